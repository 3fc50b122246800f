#!/usr/bin/env bash
# bench_monitor: workload throughput with the memory monitor sampling at 1 s
# vs without it, in one run, as a ratio (goal >= 0.99).  Starts a server on a
# free loopback port — valkey-search when VALKEY_SERVER and
# VALKEY_SEARCH_MODULE are set (then FT.INFO and the search fields are
# sampled too), else Debian's redis-server — and runs bench_monitor (see
# bench_monitor.c) against it.
#
# usage: bench/bench_monitor.sh [BUILD_DIR]
#   env: ROUNDS=4 SECONDS_PER_ROUND=5 INTERVAL=1s C=8 P=16
#        DATASET=../shared/datasets/siftsmall
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$here/build}}
bench=$build/bench/bench_monitor
[ -x "$bench" ] || { echo "bench_monitor: no $bench (build first)" >&2; exit 2; }
export VM_BIN=${VM_BIN:-$build/valkey-memstress}
export VM_DATASETS=${VM_DATASETS:-$here/../shared/datasets}
. "$here/tests/harness/lib.sh"
if [ -n "${VALKEY_SERVER:-}" ] && [ -n "${VALKEY_SEARCH_MODULE:-}" ]; then
    start_valkey_search
    port=$VS_PORT
    "$VM_BIN" prefill -p "$port" --dataset "${DATASET:-$VM_DATASETS/siftsmall}" --prefix bench: \
        --index bench --algorithm HNSW --m 16 --ef-construction 100 >/dev/null
    server="valkey-search"
else
    start_redis
    port=$REDIS_PORT
    server="redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')"
fi
echo "bench_monitor: $server on port $port, $(nproc) cores"
"$bench" -p "$port" --dataset "${DATASET:-$VM_DATASETS/siftsmall}" --rounds "${ROUNDS:-4}" \
    --seconds "${SECONDS_PER_ROUND:-5}" --interval "${INTERVAL:-1s}" -c "${C:-8}" -P "${P:-16}" \
    --out "$VM_TMP/out"
