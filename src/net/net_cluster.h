/* net_cluster: the topology of a Valkey Cluster — which nodes exist
 * (masters and replicas), where to reach them, which master serves which
 * hash slot — and the key → slot function (CRC16 with hash tags).
 *
 * The topology is read with CLUSTER SHARDS (Valkey ≥ 7, lists replicas and
 * slot-less masters too), falling back to CLUSTER SLOTS on older servers.
 * Used by the engine (routing) and by the monitor (sample every node). */
#ifndef NET_CLUSTER_H
#define NET_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#include "net_client.h"
#include "net_endpoint.h"

#define NET_CLUSTER_SLOTS 16384

typedef struct net_cluster_range {
    uint16_t first, last; /* inclusive */
} net_cluster_range;

typedef struct net_cluster_node {
    char host[256];           /* where to connect (the node's endpoint, or the seed host) */
    int port;                 /* TLS port when the endpoint uses TLS and the node has one */
    char id[48];              /* node id (40 hex chars); "" when not told */
    bool is_master;
    bool online;              /* health "online" (CLUSTER SHARDS); true under CLUSTER SLOTS */
    int master;               /* replicas: index of their master in nodes[]; -1 otherwise */
    net_cluster_range *ranges; /* slots served (masters) */
    int nranges;
} net_cluster_node;

typedef struct net_cluster_topo {
    net_cluster_node *nodes;  /* masters first, then replicas */
    int nnodes;
    int nmasters;
    int16_t *slot_node;       /* [NET_CLUSTER_SLOTS]: index of the master serving the slot, -1 = none */
    bool from_shards;         /* true: CLUSTER SHARDS, false: CLUSTER SLOTS */
} net_cluster_topo;

/* The hash slot of a key: CRC16 (XMODEM) of the key, or of its hash tag —
 * the part between the first '{' and the next '}' when that is not empty —
 * modulo 16384. */
uint16_t net_cluster_slot(const void *key, size_t len);

/* Read the topology from the endpoint's own host:port (the seed node).
 * Fails with a clear message when that server is not a cluster node. */
int net_cluster_fetch(const net_endpoint *ep, net_cluster_topo *topo, vm_err *err);

/* Read it again after a change (MOVED, a node gone): asks the masters of
 * `old` in turn, then its replicas, then the seed; the first that answers
 * with a topology covering at least one slot wins.  `old` may be NULL. */
int net_cluster_refresh(const net_endpoint *ep, const net_cluster_topo *old,
                        net_cluster_topo *topo, vm_err *err);

/* On an already open client: CLUSTER SHARDS, else CLUSTER SLOTS.  Nodes
 * announcing no address get cl's host. */
int net_cluster_query(net_client *cl, const net_endpoint *ep, const char *seed_host,
                      net_cluster_topo *topo, vm_err *err);

/* Parsers of the two (RESP2) replies, exposed for tests.
 * use_tls picks "tls-port" over "port" in CLUSTER SHARDS. */
int net_cluster_parse_shards(const redisReply *r, const char *seed_host, bool use_tls,
                             net_cluster_topo *topo, vm_err *err);
int net_cluster_parse_slots(const redisReply *r, const char *seed_host,
                            net_cluster_topo *topo, vm_err *err);

/* Index of the master serving slot, -1 when none. */
static inline int net_cluster_slot_node(const net_cluster_topo *t, uint16_t slot)
{
    return t->slot_node ? t->slot_node[slot & (NET_CLUSTER_SLOTS - 1)] : -1;
}

/* Index of the node at host:port, -1 when not in the topology. */
int net_cluster_find(const net_cluster_topo *t, const char *host, int port);

/* Slots with no master (0 = the cluster is fully covered). */
int net_cluster_uncovered(const net_cluster_topo *t);

/* A deep copy (dst is overwritten, not freed). */
int net_cluster_copy(net_cluster_topo *dst, const net_cluster_topo *src, vm_err *err);

void net_cluster_free(net_cluster_topo *topo);

#endif
