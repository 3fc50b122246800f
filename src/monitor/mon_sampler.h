/* mon_sampler: the memory monitor's sampling loop.
 *
 * It has connections of its own, one per node (never the workload's, so a
 * sample never waits behind queued workload commands on the client side),
 * samples on a fixed schedule (t0 + k × interval, so a slow sample does not
 * drift the grid) and hands each node's sample to a sink (CSV writers, the
 * pushgateway client, the run summary...).  For a cluster (ep->cluster) the
 * nodes — every master and replica — come from net_cluster's topology and
 * are refreshed every topology_refresh_ms: nodes that join are sampled from
 * then on, nodes that leave are dropped, a node that stops answering is
 * retried with backoff while the others go on.  It can run on the caller's
 * thread (mon_run) or a thread of its own (mon_start / mon_stop). */
#ifndef MON_SAMPLER_H
#define MON_SAMPLER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../net/net_endpoint.h"
#include "mon_fields.h"
#include "mon_node.h"

/* What the run says about itself at sampling time. */
typedef struct mon_labels {
    const char *run_id;
    const char *step;
    const char *phase;
    uint64_t live_vectors;
    uint64_t inserted_total;
    uint64_t deleted_total;
} mon_labels;

typedef struct mon_sample {
    uint64_t wall_ms;
    const char *node; /* host:port */
    const char *role; /* "master", "replica", "standalone" */
    mon_labels labels;
    mon_fields fields;
} mon_sample;

typedef int (*mon_sink_fn)(void *ctx, const mon_sample *s, vm_err *err);
typedef void (*mon_labels_fn)(void *ctx, mon_labels *out);

/* A mon_labels_fn that copies the mon_labels ctx points at. */
void mon_labels_static(void *ctx, mon_labels *out);

/* Samples asked for between ticks: a run takes one at each step's start
 * and end and at the first OOM reply, so that a short step has samples of
 * its own and a figure is the one of that moment, not of the last tick. */
typedef struct mon_trigger {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* CLOCK_MONOTONIC */
    uint64_t asked, done;
} mon_trigger;

void mon_trigger_init(mon_trigger *t);
void mon_trigger_destroy(mon_trigger *t);

typedef struct mon_config {
    const net_endpoint *ep;
    uint64_t interval_ms; /* default 1000 */
    uint64_t duration_ms; /* 0 = until stopped */
    const char *sections; /* INFO sections, space-separated; default MON_DEFAULT_SECTIONS */
    mon_sink_fn sink;
    void *sink_ctx;
    mon_labels_fn labels; /* may be NULL */
    void *labels_ctx;
    unsigned sources;             /* MON_SRC_*; 0 = all */
    uint64_t topology_refresh_ms; /* cluster; 0 = every 10 s */
    /* true: the live vector count of the labels is the truth for a single
     * server (a workload is running); false: count on the node (FT num_docs,
     * else DBSIZE).  Cluster nodes always count on the node. */
    bool live_from_labels;
    mon_notice_fn notice; /* said once per event, from the sampling thread */
    void *notice_ctx;
    /* While *paused is true, ticks pass without sampling (NULL = never):
     * lets a benchmark compare with and without sampling on one schedule. */
    atomic_bool *paused;
    /* Asked-for samples (NULL = none): taken at once, off the schedule. */
    mon_trigger *trigger;
} mon_config;

/* Sample until duration_ms has passed or *stop is set (checked at least
 * every 50 ms).  Returns the number of samples (one per node per tick), or
 * -1 with err set: no node could be reached at the start, or a sink failed. */
long mon_run(const mon_config *cfg, atomic_bool *stop, vm_err *err);

typedef struct mon_thread {
    mon_config cfg;
    mon_trigger trigger;
    atomic_bool stop;
    pthread_t tid;
    long samples;
    vm_err err;
} mon_thread;

int mon_start(mon_thread *t, const mon_config *cfg, vm_err *err);
/* Stop after one last sample; returns samples taken or -1 (t->err). */
long mon_stop(mon_thread *t, vm_err *err);
/* Take a sample of every node now, with the labels of now, and wait for
 * it at most timeout_ms (a frozen node must not hold the run).  Returns
 * true when it was taken in time. */
bool mon_sample_now(mon_thread *t, uint64_t timeout_ms);

#endif
