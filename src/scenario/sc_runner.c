/* sc_runner: a run from start to end — open the run folder (or resume
 * from its checkpoint), the session, the servers, the outputs and the
 * monitor; walk the plan (sc_walk.c); restore the configs, stop the
 * monitor, write the summary and the last checkpoint.  Also the monitor's
 * view of the run: the labels of its samples, and the memory figures the
 * asserts read.  See sc_runner.h; the units of the runner: sc_exec.h. */
#include "sc_runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sc_exec.h"

/* --- the monitor's view of the run ------------------------------------------ */

/* Called on the monitor's thread only: the labels are copied into buffers
 * of its own (r->mon_*), which stay valid until its next sample. */
static void labels(void *ctx, mon_labels *out)
{
    sc_runner *r = ctx;
    pthread_mutex_lock(&r->mu);
    memcpy(r->mon_phase, r->phase, sizeof(r->mon_phase));
    memcpy(r->mon_step, r->step, sizeof(r->mon_step));
    pthread_mutex_unlock(&r->mu);
    out->run_id = r->c->run_id;
    out->phase = r->mon_phase;
    out->step = r->mon_step;
    if (r->session_open) {
        out->live_vectors = live_count(&r->s.st.live, LC_ALL_COPIES);
        out->inserted_total = __atomic_load_n(&r->s.st.inserted, __ATOMIC_RELAXED);
        out->deleted_total = __atomic_load_n(&r->s.st.deleted, __ATOMIC_RELAXED);
    }
}

/* Each node's used_memory, for the asserts; then the outputs. */
static int sink(void *ctx, const mon_sample *smp, vm_err *err)
{
    sc_runner *r = ctx;
    const double *um = mon_fields_get(&smp->fields, "used_memory");
    if (um) {
        pthread_mutex_lock(&r->mu);
        int i = 0;
        while (i < r->nnodes && strcmp(r->nodes[i].node, smp->node))
            i++;
        if (i == r->nnodes && i < SC_MAX_NODES) {
            snprintf(r->nodes[i].node, sizeof(r->nodes[i].node), "%s", smp->node);
            r->nnodes++;
        }
        if (i < SC_MAX_NODES)
            r->nodes[i].used = *um;
        pthread_mutex_unlock(&r->mu);
        if (!r->have_baseline) {
            r->baseline = sc_mem_now(r);
            r->have_baseline = true;
        }
    }
    return exp_sink(&r->out, smp, err);
}

/* --- opening -------------------------------------------------------------------- */

/* The state folder, the checkpoint (read back, or the first one written
 * with scenario.yaml) and the session. */
static int open_folder(sc_runner *r, vm_err *err)
{
    const sc_run_conf *c = r->c;
    char *state = sc_path_in(r, "state");
    int rc = 0;
    if (mkdir(state, 0755) < 0 && errno != EEXIST)
        rc = vm_err_set(err, VM_EIO, "%s: %s", state, strerror(errno));
    if (rc == 0 && c->resume)
        rc = sc_checkpoint_load(r, err);
    if (rc == 0 && !c->resume && c->resolved_yaml) {
        char *p = sc_path_in(r, "scenario.yaml");
        rc = sc_write_file(p, c->resolved_yaml, strlen(c->resolved_yaml), err);
        free(p);
        if (rc == 0)
            rc = sc_checkpoint_save(r, err);
    }
    lc_create_conf cc = {.state_dir = state,
                         .dataset = r->sc->dataset,
                         .prefix = r->sc->prefix,
                         .field = r->sc->field,
                         .index = r->sc->create_index ? r->sc->index.name : NULL,
                         .metric = idx_metric_name(r->sc->index.metric),
                         .limit = r->sc->limit};
    if (rc == 0)
        rc = lc_session_create(&r->s, &cc, err);
    free(state);
    if (rc < 0)
        return -1;
    r->session_open = true;
    if (lc_session_slice(&r->s, r->sc->slice_i, r->sc->slice_n, err) < 0)
        return -1;
    if (r->sc->index.tag_field && !*r->s.st.tag_field) {
        free(r->s.st.tag_field);
        r->s.st.tag_field = strdup(r->sc->index.tag_field);
    }
    if (r->sc->index.numeric_field && !*r->s.st.numeric_field) {
        free(r->s.st.numeric_field);
        r->s.st.numeric_field = strdup(r->sc->index.numeric_field);
    }
    if (r->sc->index.text_field && !*r->s.st.text_field) { /* the default text (ds_text.h) */
        free(r->s.st.text_field);
        r->s.st.text_field = strdup(r->sc->index.text_field);
        r->s.st.text = (ds_text_conf){.seed = 1};
        ds_text_conf_check(&r->s.st.text, NULL); /* the defaults: always valid */
    }
    return 0;
}

/* The servers, the summary, the outputs and the monitor. */
static int open_servers(sc_runner *r, vm_err *err)
{
    const sc_run_conf *c = r->c;
    const net_endpoint *ep = c->eng.ep;
    if (lc_servers_open(&r->srv, ep, err) < 0)
        return -1;
    r->ctl_open = true;
    lc_server_desc desc;
    if (lc_servers_describe(&r->srv, &desc, err) < 0)
        return -1;
    r->module = desc.search;
    if (c->resume && r->module) {
        idx_info info;
        vm_err e = {0};
        r->index_exists = idx_info_get(&r->srv.node[0].cl, sc_index_name(r), &info, &e) == 0;
    }
    r->sum = sum_open(c->run_id, r->sc->name, r->sc->dataset);
    if (r->sc->slice_n)
        sum_set_slice(r->sum, r->sc->slice_i, r->sc->slice_n);
    sum_set_server(r->sum, desc.software, desc.version, desc.search ? desc.search_version : NULL);
    prom_push_conf push;
    if (c->push) { /* the versions the run measured go with every push */
        push = *c->push;
        push.server = desc.software;
        push.server_version = desc.version;
        push.search_module = desc.search ? desc.search_version : NULL;
    }
    exp_conf ec = {.out_dir = c->out_dir, .push = c->push ? &push : NULL, .summary = r->sum};
    if (exp_open(&r->out, &ec, err) < 0)
        return -1;
    r->out_open = true;
    if (c->no_monitor)
        return 0; /* a loader of a sliced run: one monitor samples the cluster */
    mon_config mc = {.ep = ep,
                     .interval_ms = r->sc->interval_ms,
                     .sink = sink,
                     .sink_ctx = r,
                     .labels = labels,
                     .labels_ctx = r,
                     .live_from_labels = true};
    if (mon_start(&r->mon, &mc, err) < 0)
        return -1;
    r->mon_on = true;
    return 0;
}

/* --- closing -------------------------------------------------------------------- */

/* The first error wins: e2 into err when rc is still 0. */
static void keep_first(int *rc, vm_err *err, const vm_err *e2)
{
    if (*rc == 0) {
        *err = *e2;
        *rc = -1;
    }
}

/* Stop the monitor, save the session, close the outputs. */
static void stop_outputs(sc_runner *r, int *rc, vm_err *err)
{
    vm_err e2 = {0};
    if (r->mon_on) {
        pthread_mutex_lock(&r->mu);
        snprintf(r->phase, sizeof(r->phase), "end");
        pthread_mutex_unlock(&r->mu);
        if (mon_stop(&r->mon, &e2) < 0)
            keep_first(rc, err, &e2);
    }
    if (r->session_open) {
        r->res->live_end = live_count(&r->s.st.live, LC_ALL_COPIES);
        if (lc_session_save(&r->s, &e2) < 0)
            keep_first(rc, err, &e2);
    }
    if (r->out_open) {
        prom_push_stats ps;
        vm_err pe = {0};
        if (exp_close(&r->out, &ps, &pe) < 0)
            sc_note(r, "pushgateway: %s", pe.msg);
    }
}

/* summary.json, the last checkpoint, and everything freed. */
static void close_run(sc_runner *r, int *rc, vm_err *err)
{
    vm_err e2 = {0};
    sc_run_result *res = r->res;
    if (r->sum) {
        sum_used_memory(r->sum, &res->used_memory_start, &res->used_memory_end,
                        &res->used_memory_peak, &res->samples);
        char *p = sc_path_in(r, "summary.json");
        if (sum_write(r->sum, p, &e2) < 0)
            keep_first(rc, err, &e2);
        free(p);
        sum_free(r->sum);
    }
    if (r->ctl_open) {
        sc_checkpoint_save(r, &e2);
        lc_servers_close(&r->srv);
    }
    if (r->session_open)
        lc_session_close(&r->s);
    sc_restore_free(r);
    pthread_mutex_destroy(&r->mu);
}

int sc_run(const sc_run_conf *c, sc_run_result *res, vm_err *err)
{
    sc_runner *r = calloc(1, sizeof(*r));
    memset(res, 0, sizeof(*res));
    r->c = c;
    r->sc = c->sc;
    r->res = res;
    pthread_mutex_init(&r->mu, NULL);
    snprintf(r->phase, sizeof(r->phase), "start");
    res->leaves_total = sc_plan_leaf_count(c->sc->steps, c->sc->nsteps);
    int rc = open_folder(r, err) < 0 || open_servers(r, err) < 0 ? -1 : 0;
    if (rc == 0) {
        if (c->resume)
            sc_note(r, "resuming after %llu of %llu steps", (unsigned long long)r->resume_done,
                    (unsigned long long)res->leaves_total);
        r->leaf = 0;
        rc = sc_walk(r, c->sc->steps, c->sc->nsteps, "", err);
    }
    res->interrupted = sc_stopped(r);
    res->leaves_done = r->leaf;
    if (r->ctl_open)
        sc_restore_all(r);
    stop_outputs(r, &rc, err);
    close_run(r, &rc, err);
    free(r);
    return rc;
}
