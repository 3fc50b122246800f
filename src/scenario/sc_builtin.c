/* sc_builtin: built-in scenarios; see sc_builtin.h.  The dataset defaults
 * to the small siftsmall set beside the checkout; --set dataset=PATH picks
 * another. */
#include "sc_builtin.h"

#include <string.h>

#define DS "dataset: ../shared/datasets/siftsmall\n"
#define IDX "index: {name: idx, algorithm: HNSW, m: 16, ef_construction: 200, metric: L2}\n"
#define MON "monitor: {interval: 1s}\n"
/* default's and quickstart's first steps */
#define FILL_AND_QUERY                                                                             \
    "  - wait: {duration: 1s, label: baseline}\n"                                                  \
    "  - create_index: {}\n"                                                                       \
    "  - prefill: {skip_if_present: true}\n"                                                       \
    "  - wait: {until: indexed, timeout: 10m}\n"                                                   \
    "  - query: {k: 10, ef_runtime: 64}\n"

const sc_builtin sc_builtins[] = {
    {"default", "prefill the dataset while sampling memory, then query it (the quickstart)",
     "name: default\n" DS IDX MON
     "steps:\n" FILL_AND_QUERY
     "  - wait: {duration: 2s, label: settle}\n"},
    {"quickstart",
     "the README's main job: prefill and query, delete half, let memory settle, query again",
     "name: quickstart\n" DS IDX MON
     "steps:\n" FILL_AND_QUERY
     "  - shrink: {fraction: 0.5, seed: 7}\n"
     "  - wait: {until: memory_stable, window: 2s, tolerance: 0.02, timeout: 1m, label: settle}\n"
     "  - query: {k: 10, ef_runtime: 64}\n"},
    {"grow-shrink", "grow / shrink cycles: the hysteresis of memory against live vectors",
     "name: grow-shrink\n" DS IDX MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true}\n"
     "  - repeat:\n"
     "      times: 3\n"
     "      steps:\n"
     "        - expand: {copies: 2}\n"
     "        - query: {k: 10, ef_runtime: 64}\n"
     "        - shrink: {fraction: 0.5, seed: 7}\n"
     "        - wait: {until: memory_stable, window: 3s, tolerance: 0.02, timeout: 1m}\n"
     "        - regrow: {fraction: 1}\n"
     "  - drop_index: {}\n"},
    {"expansion", "expand to 8x the dataset, measuring recall and memory at each step",
     "name: expansion\n" DS IDX MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true}\n"
     "  - query: {k: 10, ef_runtime: 64}\n"
     "  - repeat:\n"
     "      times: 7\n"
     "      steps:\n"
     "        - expand: {copies: 1}\n"
     "        - wait: {until: indexed}\n"
     "        - query: {k: 10, ef_runtime: 64}\n"
     "        - checkpoint: {label: grown}\n"},
    {"fragmentation", "random deletes: how much memory comes back, and how fragmented it is",
     "name: fragmentation\n" DS IDX MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true, copies: 3}\n"
     "  - checkpoint: {label: full}\n"
     "  - shrink: {fraction: 0.25, seed: 1}\n"
     "  - wait: {until: memory_stable, window: 3s, tolerance: 0.02, timeout: 1m}\n"
     "  - checkpoint: {label: deleted-25}\n"
     "  - shrink: {fraction: 0.5, seed: 2}\n"
     "  - wait: {until: memory_stable, window: 3s, tolerance: 0.02, timeout: 1m}\n"
     "  - checkpoint: {label: deleted-62}\n"
     "  - query: {k: 10}\n"},
    {"drop-recreate", "drop the index and create it again: is the memory released?",
     "name: drop-recreate\n" DS IDX MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true}\n"
     "  - wait: {until: indexed}\n"
     "  - checkpoint: {label: indexed}\n"
     "  - repeat:\n"
     "      times: 3\n"
     "      steps:\n"
     "        - drop_index: {}\n"
     "        - wait: {until: memory_stable, window: 3s, tolerance: 0.02, timeout: 1m}\n"
     "        - checkpoint: {label: dropped}\n"
     "        - create_index: {}\n"
     "        - wait: {until: indexed}\n"
     "        - checkpoint: {label: recreated}\n"
     "  - query: {k: 10}\n"},
    {"ingest-until-oom", "ingest expanded copies under maxmemory until the first OOM reply",
     "name: ingest-until-oom\n" DS IDX MON
     "steps:\n"
     "  - config_set: {maxmemory: 64mb, maxmemory-policy: noeviction}\n"
     "  - create_index: {}\n"
     "  - prefill: {copies: 200, stop_on_oom: true}\n"
     "  - checkpoint: {label: oom}\n"},
    {"query-while-ingest", "queries against the index while it grows",
     "name: query-while-ingest\n" DS IDX MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true}\n"
     "  - parallel:\n"
     "      steps:\n"
     "        - expand: {copies: 3}\n"
     "        - mixed: {query_share: 1.0, duration: 10s, k: 10}\n"
     "  - wait: {until: indexed}\n"
     "  - query: {k: 10}\n"},
    {"mixed-70-30", "a 70/30 query / ingest mix against a live index",
     "name: mixed-70-30\n" DS IDX MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true}\n"
     "  - mixed: {query_share: 0.7, duration: 10s, k: 10}\n"
     "  - query: {k: 10}\n"},
    {"cluster-balance", "memory per node of a cluster as the index grows",
     "name: cluster-balance\n" DS IDX MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true}\n"
     "  - checkpoint: {label: base}\n"
     "  - expand: {copies: 3}\n"
     "  - wait: {until: memory_stable, window: 3s, tolerance: 0.02, timeout: 1m}\n"
     "  - checkpoint: {label: expanded}\n"},
    {"text-grow-shrink",
     "a TEXT + vector index (valkey-search 1.2) grown, half deleted, regrown: the module's "
     "memory and each attribute's indexed bytes (FT.INFO) at each step",
     "name: text-grow-shrink\n" DS
     "index: {name: idx, algorithm: HNSW, m: 16, ef_construction: 200, metric: L2, "
     "text_field: body}\n" MON
     "steps:\n"
     "  - create_index: {}\n"
     "  - prefill: {skip_if_present: true}\n"
     "  - wait: {until: indexed, timeout: 10m}\n"
     "  - info: {label: built}\n"
     "  - expand: {copies: 1}\n"
     "  - shrink: {fraction: 0.5, seed: 7}\n"
     "  - wait: {until: memory_stable, window: 2s, tolerance: 0.02, timeout: 1m}\n"
     "  - info: {label: shrunk}\n"
     "  - regrow: {fraction: 1}\n"
     "  - query: {k: 10, ef_runtime: 64}\n"
     "  - info: {label: regrown}\n"},
    {"restart",
     "the index built live, then after the server reloads its RDB (DEBUG RELOAD): memory "
     "before and after the load, backfill or not, recall after",
     "name: restart\n" DS IDX MON
     "steps:\n" FILL_AND_QUERY
     "  - wait: {until: memory_stable, window: 2s, tolerance: 0.02, timeout: 1m, label: built}\n"
     "  - restart: {how: debug-reload, timeout: 5m}\n"
     "  - wait: {until: memory_stable, window: 2s, tolerance: 0.02, timeout: 1m, label: loaded}\n"
     "  - query: {k: 10, ef_runtime: 64, label: query-after-restart}\n"},
    {NULL, NULL, NULL},
};

const sc_builtin *sc_builtin_find(const char *name)
{
    for (const sc_builtin *b = sc_builtins; b->name; b++)
        if (!strcmp(b->name, name))
            return b;
    return NULL;
}
