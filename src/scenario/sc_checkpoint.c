/* sc_checkpoint: the run's progress in the run folder's `checkpoint` file,
 * what run --resume reads back:
 *
 *   done N                     leaf steps done
 *   target LEAF LIVE COPIES    the target of the leaf step in progress
 *                              (a shrink's live count, an insert's copies)
 *   restore KEY VALUE          a config to give back on every node
 *   restore-node NODE KEY VALUE   ... on one node (they differed)
 *
 * Written whole through a temporary file, so a crash leaves the old one or
 * the new one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "sc_exec.h"

int sc_checkpoint_save(sc_runner *r, vm_err *err)
{
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "done %llu\n", (unsigned long long)r->leaf);
    if (r->have_target)
        sb_addf(&b, "target %llu %llu %llu\n", (unsigned long long)r->target_leaf,
                (unsigned long long)r->target_live, (unsigned long long)r->target_copies);
    for (size_t i = 0; i < r->nrestore; i++) {
        if (r->restore_node[i])
            sb_addf(&b, "restore-node %s %s %s\n", r->restore_node[i], r->restore[i].key,
                    r->restore[i].value);
        else
            sb_addf(&b, "restore %s %s\n", r->restore[i].key, r->restore[i].value);
    }
    char *p = sc_path_in(r, "checkpoint");
    int rc = sc_write_file(p, b.buf, b.len, err);
    free(p);
    sb_release(&b);
    return rc;
}

/* One line of the file. */
static void load_line(sc_runner *r, const char *line)
{
    unsigned long long a, b, c;
    char name[1024], node[300];
    if (sscanf(line, "done %llu", &a) == 1) {
        r->resume_done = a;
    } else if (sscanf(line, "target %llu %llu %llu", &a, &b, &c) == 3) {
        r->have_target = true;
        r->target_leaf = a;
        r->target_live = b;
        r->target_copies = c;
    } else if (sscanf(line, "restore-node %299s %1023s", node, name) == 2) {
        /* the value is the rest of the line, spaces and all ("" allowed) */
        const char *v = line + strlen("restore-node ") + strlen(node) + 1 + strlen(name);
        sc_restore_add(r, node, name, *v == ' ' ? v + 1 : "");
    } else if (sscanf(line, "restore %1023s", name) == 1) {
        const char *v = line + strlen("restore ") + strlen(name);
        sc_restore_add(r, NULL, name, *v == ' ' ? v + 1 : "");
    }
}

int sc_checkpoint_load(sc_runner *r, vm_err *err)
{
    char *p = sc_path_in(r, "checkpoint");
    FILE *f = fopen(p, "r");
    if (!f) {
        vm_err_set(err, VM_EINPUT, "--resume %s: no checkpoint there (%s)", r->c->out_dir,
                   strerror(errno));
        free(p);
        return -1;
    }
    char line[4096];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        load_line(r, line);
    }
    fclose(f);
    free(p);
    return 0;
}

bool sc_checkpoint_resuming(const sc_runner *r)
{
    return r->have_target && r->target_leaf == r->leaf;
}

int sc_checkpoint_target(sc_runner *r, uint64_t live, uint64_t copies, vm_err *err)
{
    r->have_target = true;
    r->target_leaf = r->leaf;
    r->target_live = live;
    r->target_copies = copies;
    return sc_checkpoint_save(r, err);
}
