/* lc_prefill: see lc_prefill.h. */
#include "lc_prefill.h"

#include <stdlib.h>
#include <string.h>

#include "../net/net_client.h"
#include "lc_ops.h"
#include "lc_servers.h"

/* The index on every master of a cluster: without the coordinator each
 * one needs its own FT.CREATE (lc_servers.h).  Without --index, a PING
 * still proves connectivity and AUTH before the load starts — through the
 * servers when they could all be opened, else to the seed alone (a node
 * that cannot be reached is the engine's to wait for, not a reason to
 * refuse the load). */
static int prepare_index(const lc_prefill_conf *conf, lc_servers *sv, const net_endpoint *ep,
                         uint32_t dim, lc_prefill_result *res, vm_err *err)
{
    if (!conf->create_index) {
        net_client own, *cl = sv ? &sv->node[0].cl : &own;
        if (!sv && net_client_open(&own, ep, ep->host, ep->port, err) < 0)
            return -1;
        redisReply *r = net_client_cmd_ok(cl, err, "PING", NULL);
        if (r)
            freeReplyObject(r);
        if (!sv)
            net_client_close(&own);
        return r ? 0 : -1;
    }
    lc_server_desc d;
    int rc = lc_servers_describe(sv, &d, err);
    if (rc == 0 && !d.search) {
        res->module_missing = true;
    } else if (rc == 0) {
        idx_spec s = conf->index;
        s.dim = dim;
        s.prefix = conf->prefix;
        s.field = conf->field;
        s.expand_prefix = true;
        rc = lc_servers_index_create(sv, &s, err);
        res->index_created = rc == 0;
        /* the loaders of a sliced run share one index: the first creates it */
        if (rc < 0 && conf->slice_n && strstr(err->msg, "already exists")) {
            vm_err_clear(err);
            rc = 0;
        }
    }
    return rc;
}

int lc_prefill(const lc_prefill_conf *conf, const eng_config *eng, const lc_progress *prog,
               lc_prefill_result *res, vm_err *err)
{
    memset(res, 0, sizeof(*res));
    lc_create_conf cc = {.state_dir = conf->state_dir,
                         .dataset = conf->dataset,
                         .prefix = conf->prefix,
                         .field = conf->field,
                         .index = conf->create_index ? conf->index.name : NULL,
                         .metric = idx_metric_name(conf->index.metric),
                         .limit = conf->limit};
    lc_session s;
    if (lc_session_create(&s, &cc, err) < 0)
        return -1;
    /* the attributes belong to the state: expand and regrow write them too */
    if (conf->index.tag_field) {
        free(s.st.tag_field);
        s.st.tag_field = strdup(conf->index.tag_field);
    }
    if (conf->index.numeric_field) {
        free(s.st.numeric_field);
        s.st.numeric_field = strdup(conf->index.numeric_field);
    }
    if (conf->index.text_field) {
        ds_text_conf text = conf->text;
        if (ds_text_conf_check(&text, err) < 0) {
            lc_session_close(&s);
            return -1;
        }
        free(s.st.text_field);
        s.st.text_field = strdup(conf->index.text_field);
        s.st.text = text; /* with the defaults filled in */
    }
    if (lc_session_slice(&s, conf->slice_i, conf->slice_n, err) < 0 ||
        (conf->norm_max > 0 && lc_session_set_norm_max(&s, conf->norm_max, err) < 0) ||
        lc_session_need_rows(&s, err) < 0) {
        lc_session_close(&s);
        return -1;
    }
    res->dim = s.st.dim;
    res->norm_max = s.st.norm_max;
    /* every node: for the index, and for the servers' CPU over the load
     * (to weigh the client's against), which is not worth failing for */
    vm_err ignored = {0};
    lc_servers sv;
    bool have_sv = lc_servers_open(&sv, eng->ep, conf->create_index ? err : &ignored) == 0;
    if (!have_sv && conf->create_index) {
        lc_session_close(&s);
        return -1;
    }
    int rc = prepare_index(conf, have_sv ? &sv : NULL, eng->ep, s.st.dim, res, err);
    res->server_cpu_s = -1;
    if (rc == 0) {
        lc_op_result r;
        double cpu0 = -1, cpu1 = -1;
        if (have_sv)
            (void)lc_servers_used_cpu(&sv, &cpu0, &ignored);
        /* skip_live: a re-run completes, never duplicates */
        lc_insert_opts o = {.skip_live = true, .stream = conf->stream};
        rc = lc_insert_copies(&s, eng, 0, 1 + conf->expand, &o, prog, &r, err);
        res->vectors = r.ok;
        res->errors = r.errors;
        memcpy(res->first_error, r.first_error, sizeof(res->first_error));
        memcpy(res->stream, r.stream, sizeof(res->stream));
        res->seconds = r.seconds;
        if (cpu0 >= 0 && lc_servers_used_cpu(&sv, &cpu1, &ignored) == 0 && cpu1 >= cpu0) {
            res->server_cpu_s = cpu1 - cpu0;
            for (int i = 0; i < sv.n; i++)
                res->servers += sv.node[i].is_master;
        }
    }
    if (have_sv)
        lc_servers_close(&sv);
    lc_session_close(&s);
    return rc;
}
