/* lc_servers: see lc_servers.h. */
#include "lc_servers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../monitor/mon_info.h"
#include "../net/net_cluster.h"
#include "../util/clock.h"

static int first_slot(const net_cluster_node *nd)
{
    return nd->is_master && nd->nranges > 0 ? nd->ranges[0].first : -1;
}

/* A master that holds keys: on a cluster, one serving slots (a master
 * without any, a node joining, holds no key and may lack the index). */
static bool serves_slots(const lc_servers *s, int i)
{
    return s->node[i].is_master && (!s->cluster || s->node[i].slot >= 0);
}

int lc_servers_open(lc_servers *s, const net_endpoint *ep, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    net_cluster_topo topo = {0};
    int want = 1;
    if (ep->cluster) {
        if (net_cluster_fetch(ep, &topo, err) < 0)
            return -1;
        want = topo.nnodes > 0 ? topo.nnodes : 1;
    }
    s->cluster = ep->cluster;
    s->node = calloc((size_t)want, sizeof(lc_node));
    if (!s->node) {
        net_cluster_free(&topo);
        lc_servers_close(s);
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    }
    /* the seed first: single-node questions (CONFIG GET) go to the server
     * the user named */
    if (net_client_open(&s->node[0].cl, ep, ep->host, ep->port, err) < 0) {
        net_cluster_free(&topo);
        lc_servers_close(s);
        return -1;
    }
    s->n = 1;
    int seed = ep->cluster ? net_cluster_find(&topo, ep->host, ep->port) : -1;
    s->node[0].is_master = seed < 0 || topo.nodes[seed].is_master;
    s->node[0].slot = seed >= 0 ? first_slot(&topo.nodes[seed]) : -1;
    s->node[0].host = strdup(seed >= 0 ? topo.nodes[seed].host : ep->host);
    s->node[0].port = seed >= 0 ? topo.nodes[seed].port : ep->port;
    for (int i = 0; i < topo.nnodes; i++) {
        if (i == seed)
            continue;
        const net_cluster_node *nd = &topo.nodes[i];
        /* a replica, or a master with no slots (a node joining), only
         * takes CONFIG SET: one that is failed or cannot be reached (a
         * failover under way, a node being replaced) does not stop what
         * the masters serving slots are asked */
        bool minor = first_slot(nd) < 0;
        if (minor && !nd->online) {
            s->skipped++;
            continue;
        }
        vm_err e = {0};
        if (net_client_open(&s->node[s->n].cl, ep, nd->host, nd->port, &e) < 0) {
            if (minor) {
                s->skipped++;
                continue;
            }
            *err = e;
            vm_err_prefix(err, "cluster node %s:%d", nd->host, nd->port);
            net_cluster_free(&topo);
            lc_servers_close(s);
            return -1;
        }
        s->node[s->n].is_master = nd->is_master;
        s->node[s->n].host = strdup(nd->host);
        s->node[s->n].port = nd->port;
        s->node[s->n++].slot = first_slot(nd);
    }
    net_cluster_free(&topo);
    return 0;
}

void lc_servers_close(lc_servers *s)
{
    for (int i = 0; i < s->n; i++) {
        net_client_close(&s->node[i].cl);
        free(s->node[i].host);
    }
    free(s->node);
    memset(s, 0, sizeof(*s));
}

int lc_servers_describe(lc_servers *s, lc_server_desc *d, vm_err *err)
{
    return lc_server_describe(&s->node[0].cl, d, err);
}

int lc_server_describe(net_client *cl, lc_server_desc *d, vm_err *err)
{
    memset(d, 0, sizeof(*d));
    redisReply *r = net_client_cmd_ok(cl, err, "INFO", "server", NULL);
    if (!r)
        return -1;
    if (r->type == REDIS_REPLY_STRING) {
        /* Valkey says server_name:valkey and valkey_version (and a
         * redis_version for compatibility); Redis only redis_version */
        if (!mon_info_str(r->str, r->len, "server_name", d->software, sizeof(d->software)) ||
            !d->software[0])
            snprintf(d->software, sizeof(d->software), "redis");
        char key[64];
        snprintf(key, sizeof(key), "%s_version", d->software);
        if (!mon_info_str(r->str, r->len, key, d->version, sizeof(d->version)))
            mon_info_str(r->str, r->len, "redis_version", d->version, sizeof(d->version));
    }
    freeReplyObject(r);
    long long ver = 0;
    if (idx_module_info(cl, &d->search, &ver, &d->coordinator, err) < 0)
        return -1;
    if (d->search)
        idx_version_format(idx_version_decode(ver), d->search_version, sizeof(d->search_version));
    return 0;
}

int lc_servers_query_fanout(const lc_servers *s, const lc_server_desc *d, wl_fan_target *t,
                            int max)
{
    if (!s->cluster || !d->search || d->coordinator)
        return 0;
    int n = 0;
    for (int i = 0; i < s->n && n < max; i++)
        if (serves_slots(s, i)) {
            t[n].slot = s->node[i].slot;
            snprintf(t[n].host, sizeof(t[n].host), "%s", s->node[i].host);
            t[n].port = s->node[i].port;
            n++;
        }
    return n > 1 ? n : 0;
}

int lc_servers_count(lc_servers *s, const char *index, bool index_exists, uint64_t *out,
                     vm_err *err)
{
    uint64_t sum = 0;
    for (int i = 0; i < s->n; i++) {
        if (!s->node[i].is_master)
            continue;
        idx_info info;
        vm_err e = {0};
        if (index_exists && idx_info_get(&s->node[i].cl, index, &info, &e) == 0) {
            sum += info.num_docs;
            continue;
        }
        redisReply *r = net_client_cmd_ok(&s->node[i].cl, err, "DBSIZE", NULL);
        if (!r)
            return -1;
        if (r->type == REDIS_REPLY_INTEGER && r->integer > 0)
            sum += (uint64_t)r->integer;
        freeReplyObject(r);
    }
    *out = sum;
    return 0;
}

/* The named INFO fields of one section, each summed over the masters. */
static int info_sum(lc_servers *s, const char *section, const char *const *fields, int nf,
                    double *out, vm_err *err)
{
    for (int k = 0; k < nf; k++)
        out[k] = 0;
    for (int i = 0; i < s->n; i++) {
        if (!s->node[i].is_master)
            continue;
        redisReply *r = net_client_cmd_ok(&s->node[i].cl, err, "INFO", section, NULL);
        if (!r)
            return -1;
        mon_fields f = {0};
        if (r->type == REDIS_REPLY_STRING)
            mon_info_parse(r->str, r->len, &f);
        freeReplyObject(r);
        for (int k = 0; k < nf; k++) {
            const double *v = mon_fields_get(&f, fields[k]);
            if (!v) {
                mon_fields_free(&f);
                return vm_err_set(err, VM_ESERVER, "%s: INFO %s has no %s", s->node[i].cl.name, section,
                                  fields[k]);
            }
            out[k] += *v;
        }
        mon_fields_free(&f);
    }
    return 0;
}

int lc_servers_used_memory(lc_servers *s, double *out, vm_err *err)
{
    static const char *const f[] = {"used_memory"};
    return info_sum(s, "memory", f, 1, out, err);
}

int lc_servers_used_cpu(lc_servers *s, double *out, vm_err *err)
{
    static const char *const f[] = {"used_cpu_sys", "used_cpu_user"};
    double v[2];
    if (info_sum(s, "cpu", f, 2, v, err) < 0)
        return -1;
    *out = v[0] + v[1];
    return 0;
}

int lc_servers_config_set(lc_servers *s, const char *key, const char *value, vm_err *err)
{
    for (int i = 0; i < s->n; i++) {
        redisReply *r = net_client_cmd_ok(&s->node[i].cl, err, "CONFIG", "SET", key, value, NULL);
        if (!r)
            return -1;
        freeReplyObject(r);
    }
    return 0;
}

int lc_servers_index_create(lc_servers *s, const idx_spec *spec, vm_err *err)
{
    vm_err seed = {0};
    if (idx_create(&s->node[0].cl, spec, &seed) < 0 && !strstr(seed.msg, "already exists")) {
        *err = seed;
        return -1;
    }
    for (int i = 1; i < s->n; i++) {
        if (!s->node[i].is_master)
            continue;
        idx_info info;
        vm_err e = {0};
        if (idx_info_get(&s->node[i].cl, spec->name, &info, &e) == 0)
            continue; /* the coordinator passed it on */
        if (idx_create(&s->node[i].cl, spec, &e) < 0 && !strstr(e.msg, "already exists")) {
            *err = e;
            return -1;
        }
    }
    if (seed.msg[0]) { /* it was there already: the caller decides */
        *err = seed;
        return -1;
    }
    return 0;
}

int lc_servers_index_drop(lc_servers *s, const char *name, vm_err *err)
{
    int dropped = 0;
    vm_err last = {0};
    for (int i = 0; i < s->n; i++) {
        if (!s->node[i].is_master)
            continue;
        idx_info info;
        vm_err e = {0};
        if (i > 0 && dropped && idx_info_get(&s->node[i].cl, name, &info, &e) < 0)
            continue; /* gone with the seed's (coordinator) */
        if (idx_drop(&s->node[i].cl, name, &e) == 0) {
            dropped++;
        } else {
            last = e;
            if (!strstr(e.msg, "not found"))
                break;
        }
    }
    if (dropped && !last.msg[0])
        return 0;
    if (dropped && strstr(last.msg, "not found"))
        return 0;
    *err = last;
    return -1;
}

int lc_servers_index_wait(lc_servers *s, const char *name, uint64_t timeout_ms, idx_info *out,
                          vm_err *err)
{
    uint64_t end = clk_mono_ns() + timeout_ms * 1000000ull, docs = 0;
    bool first = true;
    for (int i = 0; i < s->n; i++) {
        if (!serves_slots(s, i))
            continue;
        uint64_t now = clk_mono_ns();
        uint64_t left_ms = now < end ? (end - now) / 1000000ull : 0;
        idx_info info;
        if (idx_wait_ready(&s->node[i].cl, name, left_ms, &info, err) < 0)
            return s->n > 1 ? vm_err_prefix(err, "%s", s->node[i].cl.name) : -1;
        docs += info.num_docs;
        if (first)
            *out = info;
        first = false;
    }
    out->num_docs = docs;
    return 0;
}
