/* lc_session: what every lifecycle command works on — the persisted state
 * (lc_state.h), the dataset it names, and the expansion plan derived from
 * NormMax.  Opening it checks that the state and the dataset agree. */
#ifndef LC_SESSION_H
#define LC_SESSION_H

#include "../dataset/ds_dataset.h"
#include "../vecmath/xp_expand.h"
#include "../workload/wl_ingest.h"
#include "lc_state.h"

typedef struct lc_session {
    lc_state st;
    ds_dataset ds;
    ds_vecfile base; /* view of ds.base limited to st.live.n rows */
    xp_plan plan;
    bool persist; /* st.dir names a folder */
    bool resumed; /* the state was read from its folder (not new) */
    ds_text text; /* the generated text, when st.text_field is set */
    bool have_text;
} lc_session;

typedef struct lc_create_conf {
    const char *state_dir; /* NULL: state kept in memory only */
    const char *dataset;
    const char *prefix;
    const char *field;
    const char *index;  /* may be NULL */
    const char *metric; /* L2 (default), COSINE, IP */
    uint64_t limit;     /* vectors per copy, 0 = all */
} lc_create_conf;

/* Open the state in conf->state_dir if it exists (its dataset and key
 * layout must match conf), else start a new one: NormMax over base and
 * queries, copy 0 all dead. */
int lc_session_create(lc_session *s, const lc_create_conf *conf, vm_err *err);
/* Open an existing state (expand, shrink, regrow, query). */
int lc_session_open(lc_session *s, const char *state_dir, vm_err *err);
int lc_session_save(lc_session *s, vm_err *err);
void lc_session_close(lc_session *s);
/* Make sure NormMax and the expansion step are known (the manifest's
 * figure, else one pass over base and queries), and saved in the state.
 * Only expansion needs them, so a plain prefill never pays for the pass. */
int lc_session_need_plan(lc_session *s, vm_err *err);
/* Take NormMax from the caller (the whole set's, when this loader has only
 * its rows): it must bound the rows present and the queries, and match a
 * state that already expands with another. */
int lc_session_set_norm_max(lc_session *s, double norm_max, vm_err *err);
/* Restrict the session to loader i of n (util/vm_slice.h) of every copy:
 * a new or whole state is narrowed to that part (bits outside it are
 * dropped: the state vouches for its part only); a state of that part is
 * kept; another part is refused.  n == 0: leave the state's part. */
int lc_session_slice(lc_session *s, uint32_t i, uint32_t n, vm_err *err);
/* Whether the dataset holds the rows of the state's part (a partial
 * download may not); -1 with err naming what to fetch. */
int lc_session_need_rows(const lc_session *s, vm_err *err);
/* The state's generated attributes, for a workload that writes keys:
 * TAG, NUMERIC and TEXT (the text built on first use); -1 with err when
 * the text configuration is bad. */
int lc_session_attrs(lc_session *s, wl_ingest *w, vm_err *err);
/* Max L2 norm over the first n rows of f. */
double lc_norm_max(const ds_vecfile *f, uint64_t n);

#endif
