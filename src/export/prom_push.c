/* prom_push: see prom_push.h. */
#include "prom_push.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../util/clock.h"
#include "../util/vm_grow.h"
#include "prom_text.h"

typedef struct pp_node {
    char *name;
    char *body;     /* newest unsent body, NULL when none */
    uint64_t seq;   /* samples queued for this node */
    bool pushed_ok; /* its last request succeeded */
} pp_node;

struct prom_push {
    prom_push_conf c;
    char *base; /* URL without credentials and trailing '/' */
    char *info; /* the server_info metric, rendered at open (its strings are the caller's) */
    char *user, *password;
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pp_node *nodes;
    size_t n, cap;
    bool closing, thread_up;
    prom_push_stats st;
    bool failing; /* in a run of failures (for notices) */
    vm_err last_err;
    CURL *curl;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool plain_value(const char *v)
{
    if (!*v)
        return false;
    for (; *v; v++) {
        char c = *v;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '~' || c == '-'))
            return false;
    }
    return true;
}

static void add_b64url(strbuf *out, const char *v)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const unsigned char *p = (const unsigned char *)v;
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i += 3) {
        unsigned x = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        sb_addch(out, tab[(x >> 18) & 63]);
        sb_addch(out, tab[(x >> 12) & 63]);
        sb_addch(out, i + 1 < n ? tab[(x >> 6) & 63] : '=');
        sb_addch(out, i + 2 < n ? tab[x & 63] : '=');
    }
}

static void add_pair(strbuf *out, const char *k, const char *v)
{
    if (plain_value(v)) {
        sb_addf(out, "/%s/%s", k, v);
    } else {
        sb_addf(out, "/%s@base64/", k);
        if (*v)
            add_b64url(out, v);
        else
            sb_addch(out, '='); /* an empty value */
    }
}

void prom_push_group_path(strbuf *out, const char *job, const char *run_id, const char *node)
{
    sb_addstr(out, "/metrics");
    add_pair(out, "job", job);
    add_pair(out, "run", run_id ? run_id : "");
    add_pair(out, "instance", node);
}

/* Split credentials out of the URL: base (no user:pass@, no trailing '/'). */
static int split_url(prom_push *p, const char *url, vm_err *err)
{
    CURLU *u = curl_url();
    if (!u)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    int rc = 0;
    char *scheme = NULL, *user = NULL, *pass = NULL, *full = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        rc = vm_err_param(err, "push", VM_EINPUT,
                          "push URL is not a URL (http[s]://host:port[/path])");
        goto out;
    }
    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    if (!scheme || (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
        rc = vm_err_param(err, "push", VM_EINPUT, "push URL scheme must be http or https");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE) == CURLUE_OK && user)
        p->user = strdup(user);
    if (curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE) == CURLUE_OK && pass)
        p->password = strdup(pass);
    curl_url_set(u, CURLUPART_USER, NULL, 0);
    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
    curl_url_set(u, CURLUPART_QUERY, NULL, 0);
    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    if (curl_url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK) {
        rc = vm_err_param(err, "push", VM_EINPUT, "push URL is not a URL");
        goto out;
    }
    size_t n = strlen(full);
    while (n && full[n - 1] == '/')
        n--;
    p->base = strndup(full, n);
out:
    curl_free(scheme);
    curl_free(user);
    if (pass) {
        memset(pass, 0, strlen(pass));
        curl_free(pass);
    }
    curl_free(full);
    curl_url_cleanup(u);
    return rc;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    strbuf *sb = ud;
    if (sb->len < 300)
        sb_add(sb, ptr, size * nmemb < 300 ? size * nmemb : 300);
    return size * nmemb;
}

/* One request: PUT body (or DELETE when body is NULL). 0 or -1 with err. */
static int request(prom_push *p, const char *node, const char *body, vm_err *err)
{
    strbuf url = STRBUF_INIT, resp = STRBUF_INIT;
    sb_addstr(&url, p->base);
    prom_push_group_path(&url, p->c.job, p->c.run_id, node);
    CURL *c = p->curl;
    curl_easy_reset(c);
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url.buf);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)p->c.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)p->c.timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "valkey-memstress");
    if (p->user || p->password) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, p->user ? p->user : "");
        curl_easy_setopt(c, CURLOPT_PASSWORD, p->password ? p->password : "");
    }
    if (p->c.cacert)
        curl_easy_setopt(c, CURLOPT_CAINFO, p->c.cacert);
    if (p->c.insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    struct curl_slist *hdr = NULL;
    if (body) {
        hdr = curl_slist_append(hdr, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
    }
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    int rc = 0;
    if (cc != CURLE_OK)
        rc = vm_err_set(err, VM_ECONN, "push to %s: %s", p->base,
                        ebuf[0] ? ebuf : curl_easy_strerror(cc));
    else if (status < 200 || status >= 300) {
        for (size_t i = 0; i < resp.len; i++)
            if (resp.buf[i] == '\n' || resp.buf[i] == '\r')
                resp.buf[i] = ' ';
        rc = vm_err_set(err, VM_ESERVER, "push to %s: HTTP %ld %.200s", p->base, status,
                        resp.len ? resp.buf : "");
    }
    curl_slist_free_all(hdr);
    sb_release(&url);
    sb_release(&resp);
    return rc;
}

static void say(prom_push *p, const char *msg)
{
    if (p->c.notice)
        p->c.notice(p->c.notice_ctx, msg);
}

/* valkey_memstress_server_info{server="valkey",server_version="9.0.4",
 * search_module="1.2.1"} 1 */
static void server_info(const prom_push_conf *c, strbuf *out)
{
    if (!c->server && !c->search_module)
        return;
    sb_addstr(out, "# TYPE " PROM_PREFIX "server_info gauge\n" PROM_PREFIX "server_info{server=\"");
    prom_add_label_value(out, c->server ? c->server : "");
    sb_addstr(out, "\",server_version=\"");
    prom_add_label_value(out, c->server_version ? c->server_version : "");
    sb_addstr(out, "\",search_module=\"");
    prom_add_label_value(out, c->search_module ? c->search_module : "");
    sb_addstr(out, "\"} 1\n");
}

/* Push one node's body with retries; called without the lock held. */
static int push_body(prom_push *p, size_t idx, char *body)
{
    /* closing while the gateway fails: one attempt, so a dead gateway does
     * not hold the end of the run for retries × timeout per node */
    pthread_mutex_lock(&p->mu);
    int tries = p->closing && p->failing ? 1 : p->c.retries + 1;
    pthread_mutex_unlock(&p->mu);
    uint64_t backoff_ms = 200;
    for (int t = 0; t < tries; t++) {
        pthread_mutex_lock(&p->mu);
        const char *node = p->nodes[idx].name;
        uint64_t failed = p->st.failed_attempts;
        pthread_mutex_unlock(&p->mu);
        strbuf full = STRBUF_INIT;
        sb_addstr(&full, body);
        if (p->c.extra)
            p->c.extra(p->c.extra_ctx, node, &full);
        if (p->info)
            sb_addstr(&full, p->info);
        sb_addf(&full,
                "# TYPE " PROM_PREFIX "push_failures_total counter\n" PROM_PREFIX
                "push_failures_total %llu\n",
                (unsigned long long)failed);
        vm_err e = {0};
        int rc = request(p, node, full.buf, &e);
        sb_release(&full);
        pthread_mutex_lock(&p->mu);
        if (rc == 0) {
            p->st.pushes++;
            p->nodes[idx].pushed_ok = true;
            bool was = p->failing;
            p->failing = false;
            pthread_mutex_unlock(&p->mu);
            if (was)
                say(p, "push: the pushgateway answers again");
            return 0;
        }
        p->st.failed_attempts++;
        p->nodes[idx].pushed_ok = false;
        p->last_err = e;
        bool first = !p->failing;
        p->failing = true;
        bool newer = p->nodes[idx].body != NULL; /* a newer sample came: send that */
        pthread_mutex_unlock(&p->mu);
        if (first) {
            char msg[640];
            snprintf(msg, sizeof(msg), "%s (retrying; failures are counted, the run goes on)",
                     e.msg);
            say(p, msg);
        }
        if (newer)
            return -1;
        if (t + 1 < tries)
            clk_sleep_ns(backoff_ms * 1000000ull), backoff_ms *= 2;
    }
    pthread_mutex_lock(&p->mu);
    p->st.dropped++;
    pthread_mutex_unlock(&p->mu);
    return -1;
}

/* Push every pending body once (with retries).  Returns when none is left. */
static void drain(prom_push *p)
{
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t idx = p->n;
        char *body = NULL;
        for (size_t i = 0; i < p->n; i++)
            if (p->nodes[i].body) {
                idx = i;
                body = p->nodes[i].body;
                p->nodes[i].body = NULL;
                break;
            }
        pthread_mutex_unlock(&p->mu);
        if (!body)
            return;
        push_body(p, idx, body);
        free(body);
    }
}

static void *push_main(void *arg)
{
    prom_push *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        for (;;) {
            bool pending = false;
            for (size_t i = 0; i < p->n && !pending; i++)
                pending = p->nodes[i].body != NULL;
            if (pending || p->closing)
                break;
            pthread_cond_wait(&p->cv, &p->mu);
        }
        bool closing = p->closing;
        pthread_mutex_unlock(&p->mu);
        drain(p);
        if (closing)
            break;
    }
    drain(p); /* samples queued while the last round ran */
    if (p->c.delete_at_end) {
        for (size_t i = 0; i < p->n; i++) {
            vm_err e = {0};
            if (request(p, p->nodes[i].name, NULL, &e) == 0)
                p->st.deleted++;
            else
                say(p, e.msg);
        }
    }
    return NULL;
}

int prom_push_open(prom_push **out, const prom_push_conf *c, vm_err *err)
{
    *out = NULL;
    pthread_once(&curl_once, curl_init_once);
    prom_push *p = calloc(1, sizeof(*p));
    if (!p)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    p->c = *c;
    strbuf info = STRBUF_INIT;
    server_info(c, &info);
    p->info = info.len ? sb_detach(&info, NULL) : NULL;
    sb_release(&info);
    p->c.server = p->c.server_version = p->c.search_module = NULL;
    if (!p->c.job || !p->c.job[0])
        p->c.job = "valkey_memstress";
    if (p->c.retries <= 0)
        p->c.retries = c->retries < 0 ? 0 : 3;
    if (!p->c.timeout_ms)
        p->c.timeout_ms = 5000;
    if (split_url(p, c->url, err) < 0) {
        free(p->info);
        free(p->user);
        free(p->password);
        free(p);
        return -1;
    }
    if (c->user) {
        free(p->user);
        p->user = strdup(c->user);
    }
    if (c->password) {
        free(p->password);
        p->password = strdup(c->password);
    }
    p->curl = curl_easy_init();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (!p->curl || pthread_create(&p->tid, NULL, push_main, p) != 0) {
        prom_push_stats st;
        prom_push_close(p, &st, NULL);
        return vm_err_set(err, VM_EINTERNAL, "cannot start the push thread");
    }
    p->thread_up = true;
    *out = p;
    return 0;
}

int prom_push_sink(void *ctx, const mon_sample *s, vm_err *err)
{
    (void)err;
    prom_push *p = ctx;
    prom_set set = {0};
    prom_set_add_sample(&set, s);
    strbuf body = STRBUF_INIT;
    sb_init(&body, 16384);
    prom_set_render(&set, &body);
    prom_set_free(&set);
    char *b = sb_detach(&body, NULL);
    pthread_mutex_lock(&p->mu);
    size_t i = 0;
    while (i < p->n && strcmp(p->nodes[i].name, s->node))
        i++;
    if (i == p->n) {
        VM_GROW(p->nodes, p->n + 1, p->cap);
        p->nodes[p->n++] = (pp_node){strdup(s->node), NULL, 0, false};
    }
    free(p->nodes[i].body); /* an older sample not yet sent: the newer wins */
    p->nodes[i].body = b;
    p->nodes[i].seq++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

int prom_push_close(prom_push *p, prom_push_stats *st, vm_err *err)
{
    if (!p)
        return 0;
    if (p->thread_up) {
        pthread_mutex_lock(&p->mu);
        p->closing = true;
        pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->tid, NULL);
    }
    int rc = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!p->nodes[i].pushed_ok && rc == 0) {
            rc = -1;
            if (err)
                *err = p->last_err;
        }
    if (st)
        *st = p->st;
    for (size_t i = 0; i < p->n; i++) {
        free(p->nodes[i].name);
        free(p->nodes[i].body);
    }
    free(p->nodes);
    if (p->curl)
        curl_easy_cleanup(p->curl);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->base);
    free(p->info);
    free(p->user);
    if (p->password)
        memset(p->password, 0, strlen(p->password));
    free(p->password);
    free(p);
    return rc;
}

const char *prom_push_url(const prom_push *p)
{
    return p->base;
}
