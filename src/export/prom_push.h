/* prom_push: send samples to a Prometheus pushgateway while the run goes on.
 *
 * Each node's sample is rendered (prom_text.h) and PUT to
 *   <url>/metrics/job/<job>/run/<run id>/instance/<node>
 * so every node is its own group and a PUT replaces the group whole.  The
 * HTTP work (libcurl: HTTPS, basic auth, CA bundle) runs on a thread of its
 * own with one pending body per node — the newest — so a slow or unreachable
 * gateway never delays sampling: a failed push is retried (with backoff,
 * newest body first) and counted, never fatal.  prom_push_close() pushes
 * what is pending (so the gateway ends up with the last sample) and, when
 * asked, DELETEs the groups.
 *
 * Credentials come from the URL (https://user:pass@host) or the options;
 * they are taken out of the URL before it is used or shown, so no message,
 * log or CSV ever holds them. */
#ifndef PROM_PUSH_H
#define PROM_PUSH_H

#include <stdbool.h>
#include <stdint.h>

#include "../monitor/mon_sampler.h"
#include "../util/strbuf.h"

typedef struct prom_push_conf {
    const char *url; /* http(s)://[user:pass@]host:port[/prefix] */
    const char *job; /* default "valkey_memstress" */
    const char *run_id;
    const char *user; /* basic auth; overrides the URL's */
    const char *password;
    const char *cacert;  /* CA bundle for https */
    bool insecure;       /* skip TLS verification */
    int retries;         /* attempts per body after the first; default 3 */
    uint64_t timeout_ms; /* per request; default 5000 */
    bool delete_at_end;  /* DELETE every group at close */
    /* Extra exposition text for every body (histograms), may be NULL.
     * Called on the push thread. */
    void (*extra)(void *ctx, const char *node, strbuf *out);
    void *extra_ctx;
    mon_notice_fn notice; /* failures and recoveries, from the push thread */
    void *notice_ctx;
    /* what the run measured, pushed as valkey_memstress_server_info{server,
     * server_version, search_module} 1 (the Prometheus "info" idiom: join
     * on it rather than a label on every series); NULL = unknown */
    const char *server, *server_version, *search_module;
} prom_push_conf;

typedef struct prom_push_stats {
    uint64_t pushes;          /* bodies the gateway accepted */
    uint64_t failed_attempts; /* requests that failed (each retry counts) */
    uint64_t dropped;         /* bodies given up after all retries */
    uint64_t deleted;         /* groups deleted at close */
} prom_push_stats;

typedef struct prom_push prom_push;

/* Check the URL, start the push thread.  Nothing is sent yet. */
int prom_push_open(prom_push **p, const prom_push_conf *c, vm_err *err);
/* A mon_sink_fn: render and queue; never fails. */
int prom_push_sink(void *ctx, const mon_sample *s, vm_err *err);
/* Push what is pending, delete groups when asked, stop.  Returns 0, or -1
 * with err when the last push of some node failed (the run itself is not
 * failed by this: the caller says so and goes on). */
int prom_push_close(prom_push *p, prom_push_stats *st, vm_err *err);
/* The URL as shown to people: no credentials. */
const char *prom_push_url(const prom_push *p);

/* The group path for a node, appended to out:
 * /metrics/job/<job>/run/<id>/instance/<node>, label values that are not
 * plain [A-Za-z0-9._:~-] sent base64url-encoded ("instance@base64/..."). */
void prom_push_group_path(strbuf *out, const char *job, const char *run_id, const char *node);

#endif
