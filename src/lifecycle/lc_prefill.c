/* lc_prefill: see lc_prefill.h. */
#include "lc_prefill.h"

#include <string.h>

#include "../dataset/ds_dataset.h"
#include "../net/net_client.h"
#include "../workload/wl_ingest.h"

static int prepare_index(const lc_prefill_conf *conf, const net_endpoint *ep, uint32_t dim,
                         lc_prefill_result *res, vm_err *err)
{
    net_client cl;
    if (net_client_open(&cl, ep, ep->host, ep->port, err) < 0)
        return -1;
    int rc = 0;
    if (conf->create_index) {
        bool present = false;
        rc = idx_module_present(&cl, &present, err);
        if (rc == 0 && !present) {
            res->module_missing = true;
        } else if (rc == 0) {
            idx_spec s = conf->index;
            s.dim = dim;
            s.prefix = conf->prefix;
            s.field = conf->field;
            rc = idx_create(&cl, &s, err);
            res->index_created = rc == 0;
        }
    } else {
        /* still prove connectivity and AUTH before the load starts */
        redisReply *r = net_client_cmd_ok(&cl, err, "PING", NULL);
        if (!r)
            rc = -1;
        else
            freeReplyObject(r);
    }
    net_client_close(&cl);
    return rc;
}

int lc_prefill(const lc_prefill_conf *conf, const eng_config *eng, const lc_progress *prog,
               lc_prefill_result *res, vm_err *err)
{
    memset(res, 0, sizeof(*res));
    ds_dataset ds;
    if (ds_dataset_open(&ds, conf->dataset, err) < 0)
        return -1;
    uint64_t n = ds.base.n;
    if (conf->limit && conf->limit < n)
        n = conf->limit;
    res->dim = ds.base.dim;
    int rc = prepare_index(conf, eng->ep, ds.base.dim, res, err);
    if (rc == 0) {
        wl_ingest w;
        wl_ingest_init(&w, &ds.base, conf->prefix, conf->field, 0, n);
        eng_workload wl = wl_ingest_workload(&w);
        if (prog && prog->on_start)
            prog->on_start(prog->ctx, n, &w.done);
        eng_stats st;
        rc = eng_run(eng, &wl, prog ? prog->tick : NULL, prog ? prog->ctx : NULL, 200, &st, err);
        res->vectors = atomic_load(&w.done);
        res->errors = atomic_load(&w.errors);
        memcpy(res->first_error, w.first_error, sizeof(res->first_error));
        res->seconds = st.seconds;
    }
    ds_dataset_close(&ds);
    return rc;
}
