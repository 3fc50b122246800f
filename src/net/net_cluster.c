/* net_cluster: topology and slots; see net_cluster.h.
 *
 * CRC16 is written here (a dozen lines) rather than taken from a library:
 * Debian packages no client library that exports Valkey's key-slot function
 * (hiredis has none), and it is on the routing hot path. */
#include "net_cluster.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/vm_grow.h"

/* CRC16/XMODEM: polynomial 0x1021, initial value 0, no reflection — the
 * variant the cluster specification names.  The 256-entry table is built on
 * first use from the polynomial. */
static uint16_t crc16_table[256];
static pthread_once_t crc16_once = PTHREAD_ONCE_INIT;

static void crc16_build(void)
{
    for (int b = 0; b < 256; b++) {
        uint16_t c = (uint16_t)(b << 8);
        for (int i = 0; i < 8; i++)
            c = (uint16_t)(c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1);
        crc16_table[b] = c;
    }
}

static uint16_t crc16(const unsigned char *p, size_t n)
{
    uint16_t c = 0;
    for (size_t i = 0; i < n; i++)
        c = (uint16_t)((c << 8) ^ crc16_table[((c >> 8) ^ p[i]) & 0xff]);
    return c;
}

uint16_t net_cluster_slot(const void *key, size_t len)
{
    pthread_once(&crc16_once, crc16_build);
    const unsigned char *k = key;
    const unsigned char *open = memchr(k, '{', len);
    if (open) {
        size_t rest = len - (size_t)(open - k) - 1;
        const unsigned char *close = memchr(open + 1, '}', rest);
        if (close && close > open + 1) /* "{}" is no tag: hash the whole key */
            return crc16(open + 1, (size_t)(close - open - 1)) & (NET_CLUSTER_SLOTS - 1);
    }
    return crc16(k, len) & (NET_CLUSTER_SLOTS - 1);
}

/* --- building a topology ------------------------------------------------ */

static int topo_init(net_cluster_topo *t, vm_err *err)
{
    memset(t, 0, sizeof(*t));
    t->slot_node = malloc(NET_CLUSTER_SLOTS * sizeof(int16_t));
    if (!t->slot_node)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    for (int i = 0; i < NET_CLUSTER_SLOTS; i++)
        t->slot_node[i] = -1;
    return 0;
}

void net_cluster_free(net_cluster_topo *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->nnodes; i++)
        free(t->nodes[i].ranges);
    free(t->nodes);
    free(t->slot_node);
    memset(t, 0, sizeof(*t));
}

static bool is_str(const redisReply *r)
{
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

static bool str_is(const redisReply *r, const char *s)
{
    return is_str(r) && r->len == strlen(s) && memcmp(r->str, s, r->len) == 0;
}

/* An integer reply, or a string holding one (some servers send slots as strings). */
static bool get_int(const redisReply *r, long long *v)
{
    if (!r)
        return false;
    if (r->type == REDIS_REPLY_INTEGER) {
        *v = r->integer;
        return true;
    }
    if (is_str(r) && r->len > 0 && r->len < 24) {
        char buf[24], *end;
        memcpy(buf, r->str, r->len);
        buf[r->len] = '\0';
        *v = strtoll(buf, &end, 10);
        return *end == '\0';
    }
    return false;
}

static void copy_str(char *dst, size_t cap, const redisReply *r)
{
    size_t n = 0;
    if (is_str(r)) {
        n = r->len < cap - 1 ? r->len : cap - 1;
        memcpy(dst, r->str, n);
    }
    dst[n] = '\0';
}

/* A usable address: not empty, not "?" (unknown endpoint). */
static bool usable_host(const redisReply *r)
{
    return is_str(r) && r->len > 0 && !(r->len == 1 && r->str[0] == '?');
}

static int add_node(net_cluster_topo *t, const net_cluster_node *n, vm_err *err)
{
    if (t->nnodes >= 32767)
        return vm_err_set(err, VM_ESERVER, "cluster topology: too many nodes");
    t->nodes = vm_xrealloc_array(t->nodes, (size_t)t->nnodes + 1, sizeof(*t->nodes));
    t->nodes[t->nnodes] = *n;
    return t->nnodes++;
}

static int add_range(net_cluster_topo *t, int node, long long first, long long last,
                     vm_err *err)
{
    if (first < 0 || last >= NET_CLUSTER_SLOTS || first > last)
        return vm_err_set(err, VM_ESERVER, "cluster topology: bad slot range %lld-%lld", first,
                          last);
    net_cluster_node *n = &t->nodes[node];
    net_cluster_range *r = n->ranges =
        vm_xrealloc_array(n->ranges, (size_t)n->nranges + 1, sizeof(*n->ranges));
    r[n->nranges].first = (uint16_t)first;
    r[n->nranges].last = (uint16_t)last;
    n->nranges++;
    for (long long s = first; s <= last; s++)
        t->slot_node[s] = (int16_t)node;
    return 0;
}

/* Masters first, then replicas, with each replica's master index fixed up. */
static int order_nodes(net_cluster_topo *t, vm_err *err)
{
    net_cluster_node *sorted = malloc((size_t)(t->nnodes ? t->nnodes : 1) * sizeof(*sorted));
    int *newpos = malloc((size_t)(t->nnodes ? t->nnodes : 1) * sizeof(int));
    if (!sorted || !newpos) {
        free(sorted);
        free(newpos);
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    }
    int k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < t->nnodes; i++)
            if (t->nodes[i].is_master == (pass == 0)) {
                newpos[i] = k;
                sorted[k++] = t->nodes[i];
            }
    t->nmasters = 0;
    for (int i = 0; i < t->nnodes; i++) {
        if (sorted[i].is_master)
            t->nmasters++;
        if (sorted[i].master >= 0)
            sorted[i].master = newpos[sorted[i].master];
    }
    for (int s = 0; s < NET_CLUSTER_SLOTS; s++)
        if (t->slot_node[s] >= 0)
            t->slot_node[s] = (int16_t)newpos[t->slot_node[s]];
    free(t->nodes);
    t->nodes = sorted;
    free(newpos);
    return 0;
}

/* A RESP2 map: a flat array of key, value, key, value... */
static const redisReply *map_get(const redisReply *m, const char *key)
{
    if (!m || m->type != REDIS_REPLY_ARRAY)
        return NULL;
    for (size_t i = 0; i + 1 < m->elements; i += 2)
        if (str_is(m->element[i], key))
            return m->element[i + 1];
    return NULL;
}

static int shard_node(const redisReply *nd, const char *seed_host, bool use_tls,
                      net_cluster_node *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    out->master = -1;
    if (!nd || nd->type != REDIS_REPLY_ARRAY)
        return vm_err_set(err, VM_ESERVER, "CLUSTER SHARDS: a node is not a map");
    const redisReply *endpoint = map_get(nd, "endpoint"), *ip = map_get(nd, "ip");
    if (usable_host(endpoint))
        copy_str(out->host, sizeof(out->host), endpoint);
    else if (usable_host(ip))
        copy_str(out->host, sizeof(out->host), ip);
    else
        snprintf(out->host, sizeof(out->host), "%s", seed_host);
    long long port = 0, tls_port = 0;
    bool has_port = get_int(map_get(nd, "port"), &port);
    bool has_tls = get_int(map_get(nd, "tls-port"), &tls_port);
    if (use_tls && has_tls && tls_port > 0)
        port = tls_port;
    else if (!has_port && has_tls)
        port = tls_port;
    if (port < 1 || port > 65535)
        return vm_err_set(err, VM_ESERVER, "CLUSTER SHARDS: node %s has no usable port",
                          out->host);
    out->port = (int)port;
    copy_str(out->id, sizeof(out->id), map_get(nd, "id"));
    const redisReply *role = map_get(nd, "role");
    out->is_master = str_is(role, "master") || str_is(role, "primary");
    const redisReply *health = map_get(nd, "health");
    out->online = !health || str_is(health, "online");
    return 0;
}

int net_cluster_parse_shards(const redisReply *r, const char *seed_host, bool use_tls,
                             net_cluster_topo *topo, vm_err *err)
{
    if (!r || r->type != REDIS_REPLY_ARRAY)
        return vm_err_set(err, VM_ESERVER, "CLUSTER SHARDS: reply is not an array");
    if (topo_init(topo, err) < 0)
        return -1;
    topo->from_shards = true;
    for (size_t s = 0; s < r->elements; s++) {
        const redisReply *shard = r->element[s];
        const redisReply *slots = map_get(shard, "slots"), *nodes = map_get(shard, "nodes");
        if (!nodes || nodes->type != REDIS_REPLY_ARRAY) {
            net_cluster_free(topo);
            return vm_err_set(err, VM_ESERVER, "CLUSTER SHARDS: shard %zu has no node list", s);
        }
        int master = -1;
        int first_idx = topo->nnodes;
        for (size_t i = 0; i < nodes->elements; i++) {
            net_cluster_node n;
            if (shard_node(nodes->element[i], seed_host, use_tls, &n, err) < 0) {
                net_cluster_free(topo);
                return -1;
            }
            int idx = add_node(topo, &n, err);
            if (idx < 0) {
                net_cluster_free(topo);
                return -1;
            }
            /* after a failover the shard lists the failed old master too,
             * still with role master (Valkey 8.1: first): the online one
             * serves the slots */
            if (n.is_master && (master < 0 || (!topo->nodes[master].online && n.online)))
                master = idx;
        }
        for (int i = first_idx; i < topo->nnodes; i++)
            if (i != master)
                topo->nodes[i].master = master;
        if (master < 0) /* a shard whose master failed: no slots to route */
            continue;
        if (slots && slots->type == REDIS_REPLY_ARRAY) {
            for (size_t i = 0; i + 1 < slots->elements; i += 2) {
                long long a, b;
                if (!get_int(slots->element[i], &a) || !get_int(slots->element[i + 1], &b)) {
                    net_cluster_free(topo);
                    return vm_err_set(err, VM_ESERVER, "CLUSTER SHARDS: slots are not numbers");
                }
                if (add_range(topo, master, a, b, err) < 0) {
                    net_cluster_free(topo);
                    return -1;
                }
            }
        }
    }
    return order_nodes(topo, err) < 0 ? (net_cluster_free(topo), -1) : 0;
}

static int slots_node(const redisReply *nd, const char *seed_host, net_cluster_node *out,
                      vm_err *err)
{
    memset(out, 0, sizeof(*out));
    out->master = -1;
    out->online = true;
    long long port;
    if (!nd || nd->type != REDIS_REPLY_ARRAY || nd->elements < 2 ||
        !get_int(nd->element[1], &port) || port < 1 || port > 65535)
        return vm_err_set(err, VM_ESERVER, "CLUSTER SLOTS: a node entry has no port");
    if (usable_host(nd->element[0]))
        copy_str(out->host, sizeof(out->host), nd->element[0]);
    else
        snprintf(out->host, sizeof(out->host), "%s", seed_host);
    out->port = (int)port;
    if (nd->elements > 2)
        copy_str(out->id, sizeof(out->id), nd->element[2]);
    return 0;
}

/* The same node seen in another range: by id when known, else by address. */
static int find_same(const net_cluster_topo *t, const net_cluster_node *n)
{
    for (int i = 0; i < t->nnodes; i++) {
        if (n->id[0] ? strcmp(t->nodes[i].id, n->id) == 0
                     : (t->nodes[i].port == n->port && !strcmp(t->nodes[i].host, n->host)))
            return i;
    }
    return -1;
}

int net_cluster_parse_slots(const redisReply *r, const char *seed_host,
                            net_cluster_topo *topo, vm_err *err)
{
    if (!r || r->type != REDIS_REPLY_ARRAY)
        return vm_err_set(err, VM_ESERVER, "CLUSTER SLOTS: reply is not an array");
    if (topo_init(topo, err) < 0)
        return -1;
    for (size_t s = 0; s < r->elements; s++) {
        const redisReply *e = r->element[s];
        long long a, b;
        if (!e || e->type != REDIS_REPLY_ARRAY || e->elements < 3 ||
            !get_int(e->element[0], &a) || !get_int(e->element[1], &b)) {
            net_cluster_free(topo);
            return vm_err_set(err, VM_ESERVER, "CLUSTER SLOTS: entry %zu is malformed", s);
        }
        int master = -1;
        for (size_t i = 2; i < e->elements; i++) {
            net_cluster_node n;
            if (slots_node(e->element[i], seed_host, &n, err) < 0) {
                net_cluster_free(topo);
                return -1;
            }
            n.is_master = i == 2;
            int idx = find_same(topo, &n);
            if (idx < 0 && (idx = add_node(topo, &n, err)) < 0) {
                net_cluster_free(topo);
                return -1;
            }
            /* a node that masters any range is a master (a reply that also
             * lists it as someone's replica is inconsistent: keep it master) */
            if (i == 2) {
                master = idx;
                topo->nodes[idx].is_master = true;
                topo->nodes[idx].master = -1;
            } else if (!topo->nodes[idx].is_master) {
                topo->nodes[idx].master = master;
            }
        }
        if (add_range(topo, master, a, b, err) < 0) {
            net_cluster_free(topo);
            return -1;
        }
    }
    return order_nodes(topo, err) < 0 ? (net_cluster_free(topo), -1) : 0;
}

/* --- asking a server ------------------------------------------------------ */

int net_cluster_query(net_client *cl, const net_endpoint *ep, const char *seed_host,
                      net_cluster_topo *topo, vm_err *err)
{
    redisReply *r = net_client_cmd(cl, err, "CLUSTER", "SHARDS", NULL);
    if (!r)
        return -1;
    int rc;
    if (r->type != REDIS_REPLY_ERROR) {
        rc = net_cluster_parse_shards(r, seed_host, ep->tls.enabled, topo, err);
        freeReplyObject(r);
        return rc < 0 ? vm_err_prefix(err, "%s", cl->name) : 0;
    }
    bool disabled = r->len && strstr(r->str, "cluster support disabled");
    freeReplyObject(r);
    if (disabled)
        return vm_err_param(err, "cluster", VM_EINPUT,
                            "%s is not a cluster node (cluster support disabled)", cl->name);
    /* older servers: no CLUSTER SHARDS */
    r = net_client_cmd(cl, err, "CLUSTER", "SLOTS", NULL);
    if (!r)
        return -1;
    if (r->type == REDIS_REPLY_ERROR) {
        vm_err_set(err, VM_ESERVER, "%s: CLUSTER SLOTS failed: %.*s", cl->name, (int)r->len,
                   r->str);
        freeReplyObject(r);
        return -1;
    }
    rc = net_cluster_parse_slots(r, seed_host, topo, err);
    freeReplyObject(r);
    return rc < 0 ? vm_err_prefix(err, "%s", cl->name) : 0;
}

static int fetch_from(const net_endpoint *ep, const char *host, int port,
                      net_cluster_topo *topo, vm_err *err)
{
    net_client cl;
    if (net_client_open(&cl, ep, host, port, err) < 0)
        return -1;
    cl.timeout_ms = 5000;
    int rc = net_cluster_query(&cl, ep, host, topo, err);
    net_client_close(&cl);
    return rc;
}

int net_cluster_fetch(const net_endpoint *ep, net_cluster_topo *topo, vm_err *err)
{
    return fetch_from(ep, ep->host, ep->port, topo, err);
}

int net_cluster_refresh(const net_endpoint *ep, const net_cluster_topo *old,
                        net_cluster_topo *topo, vm_err *err)
{
    vm_err last = {0};
    int n = old ? old->nnodes : 0;
    /* nodes are masters first: ask masters, then replicas, then the seed */
    for (int i = 0; i <= n; i++) {
        const char *host = i < n ? old->nodes[i].host : ep->host;
        int port = i < n ? old->nodes[i].port : ep->port;
        if (fetch_from(ep, host, port, topo, &last) < 0) {
            if (last.code == VM_EAUTH || last.code == VM_EINPUT)
                break; /* the same answer from every node */
            continue;
        }
        if (topo->nmasters > 0 && net_cluster_uncovered(topo) < NET_CLUSTER_SLOTS)
            return 0;
        net_cluster_free(topo);
        vm_err_set(&last, VM_ESERVER, "%s:%d: cluster topology has no slots assigned", host,
                   port);
    }
    if (err)
        *err = last;
    return -1;
}

int net_cluster_find(const net_cluster_topo *t, const char *host, int port)
{
    for (int i = 0; i < t->nnodes; i++)
        if (t->nodes[i].port == port && !strcmp(t->nodes[i].host, host))
            return i;
    return -1;
}

int net_cluster_uncovered(const net_cluster_topo *t)
{
    if (!t->slot_node)
        return NET_CLUSTER_SLOTS;
    int n = 0;
    for (int s = 0; s < NET_CLUSTER_SLOTS; s++)
        n += t->slot_node[s] < 0;
    return n;
}

int net_cluster_copy(net_cluster_topo *dst, const net_cluster_topo *src, vm_err *err)
{
    if (topo_init(dst, err) < 0)
        return -1;
    dst->nmasters = src->nmasters;
    dst->from_shards = src->from_shards;
    if (src->slot_node)
        memcpy(dst->slot_node, src->slot_node, NET_CLUSTER_SLOTS * sizeof(int16_t));
    dst->nodes = calloc((size_t)(src->nnodes ? src->nnodes : 1), sizeof(net_cluster_node));
    if (!dst->nodes) {
        net_cluster_free(dst);
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    }
    for (int i = 0; i < src->nnodes; i++) {
        dst->nodes[i] = src->nodes[i];
        dst->nodes[i].ranges = NULL;
        dst->nnodes = i + 1;
        if (src->nodes[i].nranges) {
            size_t sz = (size_t)src->nodes[i].nranges * sizeof(net_cluster_range);
            dst->nodes[i].ranges = malloc(sz);
            if (!dst->nodes[i].ranges) {
                net_cluster_free(dst);
                return vm_err_set(err, VM_ENOMEM, "out of memory");
            }
            memcpy(dst->nodes[i].ranges, src->nodes[i].ranges, sz);
        }
    }
    return 0;
}
