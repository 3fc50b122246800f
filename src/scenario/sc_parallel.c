/* sc_parallel: the executor of a parallel step — its children run at once,
 * one thread each, every one a leaf step with an sc_exec of its own
 * (sc_walk_leaf).  The copies every inserting child writes are planned
 * before any thread starts, and room is made for them all: two children
 * never write the same copies, and the liveness bitmaps never move while
 * another child reads them.  The end is recorded in the checkpoint, so a
 * resumed step plans the same ranges. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "sc_exec.h"

sc_step_run sc_run_parallel;

typedef struct child {
    sc_runner *r;
    const sc_step *st;
    uint32_t first, end; /* planned copy range of an inserting child */
    char path[160];
    int rc;
    vm_err err;
} child;

static void *child_main(void *arg)
{
    child *a = arg;
    a->rc = sc_walk_leaf(a->r, a->st, a->path, a->first, a->end, &a->err);
    return NULL;
}

/* The first copy the expanding children write (after it: theirs, in
 * order), recorded before the first run of the step. */
static int plan_next(sc_runner *r, const sc_step *st, uint32_t *next, uint32_t *added, vm_err *err)
{
    *added = 0;
    for (size_t i = 0; i < st->nchildren; i++)
        if (st->children[i].def->copies == SC_COPIES_NEXT)
            *added += st->children[i].copies;
    *next = r->s.st.live.copies;
    if (sc_checkpoint_resuming(r))
        *next = (uint32_t)r->target_copies - *added; /* resuming this very step */
    else if (*added && sc_checkpoint_target(r, 0, *next + *added, err) < 0)
        return -1;
    return 0;
}

/* Plan every child's copies (next: the first new copy) and make room. */
static void plan_children(sc_runner *r, const sc_step *st, const char *path, uint32_t next,
                          uint32_t added, child *kids)
{
    uint32_t room = next + added;
    for (size_t i = 0; i < st->nchildren; i++) {
        const sc_step *c = &st->children[i];
        kids[i].r = r;
        kids[i].st = c;
        if (c->def->copies == SC_COPIES_FIRST) {
            kids[i].first = 0;
            kids[i].end = 1 + c->copies;
            room = kids[i].end > room ? kids[i].end : room;
        } else if (c->def->copies == SC_COPIES_NEXT) {
            kids[i].first = next;
            kids[i].end = next += c->copies;
        }
        snprintf(kids[i].path, sizeof(kids[i].path), "%s/%zu:%s", path, i + 1, sc_step_name(c));
    }
    live_ensure_copies(&r->s.st.live, room);
}

int sc_run_parallel(sc_exec *x, const sc_step *st, vm_err *err)
{
    sc_runner *r = x->r;
    uint32_t next, added;
    if (plan_next(r, st, &next, &added, err) < 0)
        return -1;
    child *kids = calloc(st->nchildren, sizeof(child));
    pthread_t *tids = calloc(st->nchildren, sizeof(pthread_t));
    plan_children(r, st, x->path, next, added, kids);
    for (size_t i = 0; i < st->nchildren; i++)
        pthread_create(&tids[i], NULL, child_main, &kids[i]);
    int rc = 0;
    for (size_t i = 0; i < st->nchildren; i++) {
        pthread_join(tids[i], NULL);
        if (kids[i].rc < 0 && rc == 0) {
            *err = kids[i].err;
            rc = -1;
        }
    }
    free(kids);
    free(tids);
    return rc;
}
