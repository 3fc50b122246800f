/* eng_route: where each command goes.  Without a cluster there is one
 * node.  With one, each worker keeps its own slot → node map, built from the
 * topology read before the run and corrected as the cluster answers:
 *   MOVED slot host:port  the slot has moved for good: fix that slot now,
 *                         re-send, and read the whole map again soon;
 *   ASK slot host:port    the key may be on a node importing the slot: send
 *                         ASKING and the command there, once, map unchanged;
 * and a lost connection or CLUSTERDOWN also asks for a fresh map (a failover
 * moves slots to a promoted replica).  Maps are read at most every 100 ms
 * per worker, with the blocking control client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"
#include "../util/vm_grow.h"
#include "eng_int.h"

static void count_down(eng_thread *t)
{
    t->ndown = 0;
    for (int i = 0; i < t->nnodes; i++)
        if (!t->nodes[i].gone)
            for (int k = 0; k < t->nclients; k++)
                t->ndown += !t->nodes[i].conns[k].up;
}

/* Add host:port with its connections.  At the start a failed connection
 * fails the run (err set, -1); later it is retried with backoff. */
static int add_node(eng_thread *t, const char *host, int port, bool strict, vm_err *err)
{
    t->nodes = vm_xrealloc_array(t->nodes, (size_t)t->nnodes + 1, sizeof(*t->nodes));
    int idx = t->nnodes;
    eng_node *n = &t->nodes[idx];
    memset(n, 0, sizeof(*n));
    snprintf(n->host, sizeof(n->host), "%s", host);
    n->port = port;
    eng_sched_init(&n->sched, (double)t->cfg->rate_per_node_ops / t->nthreads, t->sh->t0_ns);
    n->conns = calloc((size_t)t->nclients, sizeof(eng_conn));
    if (!n->conns)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    t->nnodes++;
    uint64_t now = clk_mono_ns();
    for (int k = 0; k < t->nclients; k++) {
        eng_conn *c = &n->conns[k];
        if (eng_conn_init(c, t, idx, err) < 0)
            return -1;
        vm_err e = {0};
        if (eng_conn_connect(c, strict ? 5000 : 1000, &e) < 0) {
            if (strict) {
                *err = e;
                return -1;
            }
            snprintf(n->last_error, sizeof(n->last_error), "%s", e.msg);
            c->down_since_ns = now;
            c->backoff_ms = 10;
            c->retry_at_ns = now + 10000000ull;
            t->ndown++;
        }
    }
    return idx;
}

static int find_node(const eng_thread *t, const char *host, int port)
{
    for (int i = 0; i < t->nnodes; i++)
        if (t->nodes[i].port == port && !strcmp(t->nodes[i].host, host))
            return i;
    return -1;
}

int eng_route_node_for(eng_thread *t, const char *host, int port)
{
    int i = find_node(t, host, port);
    if (i >= 0) {
        if (t->nodes[i].gone) {
            t->nodes[i].gone = false;
            count_down(t);
        }
        return i;
    }
    vm_err e = {0};
    i = add_node(t, host, port, false, &e);
    if (i < 0)
        t->err = e;
    return i;
}

/* Map every slot of topo onto the thread's nodes; nodes that serve no slot
 * any more are marked gone (they drain, they are not reconnected). */
static int apply_topology(eng_thread *t, const net_cluster_topo *topo, bool strict, vm_err *err)
{
    int *map = malloc((size_t)(topo->nmasters ? topo->nmasters : 1) * sizeof(int));
    if (!map)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    bool *keep = calloc((size_t)t->nnodes + (size_t)topo->nmasters + 1, sizeof(bool));
    if (!keep) {
        free(map);
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    }
    for (int m = 0; m < topo->nmasters; m++) {
        map[m] = -1;
        if (topo->nodes[m].nranges == 0)
            continue; /* a master without slots: nothing to send it */
        int i = find_node(t, topo->nodes[m].host, topo->nodes[m].port);
        if (i < 0) {
            i = add_node(t, topo->nodes[m].host, topo->nodes[m].port, strict, err);
            if (i < 0) {
                free(map);
                free(keep);
                return -1;
            }
        }
        map[m] = i;
        keep[i] = true;
    }
    for (int i = 0; i < t->nnodes; i++)
        t->nodes[i].gone = !keep[i];
    for (int s = 0; s < NET_CLUSTER_SLOTS; s++) {
        int m = topo->slot_node[s];
        t->slot_node[s] = (int16_t)(m >= 0 && m < topo->nmasters ? map[m] : -1);
    }
    free(map);
    free(keep);
    count_down(t);
    return 0;
}

int eng_route_init(eng_thread *t, vm_err *err)
{
    if (!t->cluster) {
        const net_endpoint *ep = t->cfg->ep;
        return add_node(t, ep->host, ep->port, true, err) < 0 ? -1 : 0;
    }
    t->slot_node = malloc(NET_CLUSTER_SLOTS * sizeof(int16_t));
    if (!t->slot_node)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    if (net_cluster_copy(&t->topo, t->sh->topo, err) < 0)
        return -1;
    return apply_topology(t, &t->topo, true, err);
}

void eng_route_free(eng_thread *t)
{
    for (int i = 0; i < t->nnodes; i++) {
        if (t->nodes[i].conns)
            for (int k = 0; k < t->nclients; k++)
                eng_conn_free(&t->nodes[i].conns[k]);
        free(t->nodes[i].conns);
    }
    free(t->nodes);
    t->nodes = NULL;
    t->nnodes = 0;
    free(t->slot_node);
    t->slot_node = NULL;
    net_cluster_free(&t->topo);
}

int eng_route_node(eng_thread *t, eng_item *it)
{
    if (!t->cluster)
        return 0;
    if (it->flags & ENG_F_PINNED) {
        if (it->node >= 0 && it->node < t->nnodes && !t->nodes[it->node].gone)
            return it->node;
        it->flags &= (uint8_t)~ENG_F_PINNED; /* it serves no slot now: by slot */
    }
    if (it->flags & ENG_F_ASK) {
        if (it->node >= 0 && it->node < t->nnodes && !t->nodes[it->node].gone)
            return it->node;
        it->flags &= (uint8_t)~ENG_F_ASK;
    }
    if (it->slot < 0) {
        /* any master: round-robin over the live ones */
        for (int k = 0; k < t->nnodes; k++) {
            int i = (t->rr_master + k) % t->nnodes;
            if (!t->nodes[i].gone && t->nodes[i].up) {
                t->rr_master = (i + 1) % t->nnodes;
                return i;
            }
        }
        return t->nnodes ? t->rr_master % t->nnodes : -1;
    }
    int n = t->slot_node[it->slot & (NET_CLUSTER_SLOTS - 1)];
    if (n < 0)
        t->need_refresh = true;
    return n;
}

/* A decimal number in [p, end) (bounded: the bytes need no NUL); *p moves
 * past it.  false when there is no digit or it has more than 18. */
static bool take_num(const char **p, const char *end, long *out)
{
    const char *q = *p;
    bool neg = q < end && *q == '-';
    q += neg;
    long v = 0;
    int digits = 0;
    while (q < end && *q >= '0' && *q <= '9' && digits < 18) {
        v = v * 10 + (*q++ - '0');
        digits++;
    }
    if (!digits || (q < end && *q >= '0' && *q <= '9'))
        return false;
    *out = neg ? -v : v;
    *p = q;
    return true;
}

int eng_route_parse_redirect(const char *msg, size_t len, int *slot, char *host, size_t host_cap,
                             int *port)
{
    /* "MOVED 3999 127.0.0.1:6381" / "ASK 3999 [::1]:6381" / "MOVED 3999 :6381" */
    const char *p = memchr(msg, ' ', len), *end = msg + len;
    if (!p)
        return -1;
    p++;
    long s;
    if (!take_num(&p, end, &s) || p >= end || *p != ' ' || s < 0 || s >= NET_CLUSTER_SLOTS)
        return -1;
    p++;
    const char *colon = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == ':')
            colon = q;
    if (!colon || colon + 1 >= end)
        return -1;
    const char *pp = colon + 1;
    long pt;
    if (!take_num(&pp, end, &pt) || pp != end || pt < 1 || pt > 65535)
        return -1;
    const char *hs = p, *he = colon;
    if (he > hs && *hs == '[' && he[-1] == ']') {
        hs++;
        he--;
    }
    if ((size_t)(he - hs) >= host_cap)
        return -1;
    memcpy(host, hs, (size_t)(he - hs));
    host[he - hs] = '\0';
    *slot = (int)s;
    *port = (int)pt;
    return 0;
}

static int redirect_target(eng_thread *t, eng_conn *c, const char *msg, size_t len, int *slot)
{
    char host[256];
    int port;
    if (eng_route_parse_redirect(msg, len, slot, host, sizeof(host), &port) < 0)
        return -1;
    if (!host[0]) /* the node does not know its address: the one we used */
        snprintf(host, sizeof(host), "%s", t->nodes[c->node].host);
    return eng_route_node_for(t, host, port);
}

int eng_route_moved(eng_thread *t, eng_conn *c, eng_item *it, const char *msg, size_t len)
{
    int slot;
    int n = redirect_target(t, c, msg, len, &slot);
    if (n < 0)
        return -1;
    t->slot_node[slot] = (int16_t)n;
    it->slot = slot;
    it->flags &= (uint8_t) ~(ENG_F_ASK | ENG_F_PINNED);
    t->need_refresh = true;
    eng_pend_push(t, it);
    return 0;
}

int eng_route_ask(eng_thread *t, eng_conn *c, eng_item *it, const char *msg, size_t len)
{
    int slot;
    int n = redirect_target(t, c, msg, len, &slot);
    if (n < 0)
        return -1;
    it->flags |= ENG_F_ASK;
    it->node = n;
    eng_pend_push(t, it);
    return 0;
}

void eng_route_refresh(eng_thread *t, uint64_t now_ns)
{
    if (!t->cluster || !t->need_refresh || now_ns - t->last_refresh_ns < ENG_REFRESH_EVERY_NS)
        return;
    t->last_refresh_ns = now_ns;
    t->st->topology_refreshes++;
    net_cluster_topo nt;
    vm_err e = {0};
    if (net_cluster_refresh(t->cfg->ep, &t->topo, &nt, &e) < 0)
        return; /* keep the map we have; ask again in 100 ms */
    t->need_refresh = false;
    net_cluster_free(&t->topo);
    t->topo = nt;
    if (apply_topology(t, &t->topo, false, &e) < 0)
        t->need_refresh = true;
}

int eng_route_resp_slot(const char *buf, size_t len)
{
    /* *<argc>\r\n$<n>\r\n<cmd>\r\n$<n>\r\n<key>\r\n */
    const char *p = buf, *end = buf + len;
    long argc;
    if (len < 4 || *p++ != '*' || !take_num(&p, end, &argc) || argc < 2 || end - p < 2)
        return ENG_SLOT_ANY;
    p += 2;
    for (int i = 0; i < 2; i++) {
        long n;
        if (p >= end || *p++ != '$' || !take_num(&p, end, &n) || n < 0 || end - p < 2 + n)
            return ENG_SLOT_ANY;
        p += 2;
        if (i == 1)
            return net_cluster_slot(p, (size_t)n);
        p += n + 2;
    }
    return ENG_SLOT_ANY;
}
