#!/usr/bin/env bash
# bench_scale: how the load client's cost grows with the number of vectors.
# `prefill` of generated 128-dim float32 vectors into a local Debian
# redis-server (started here on a free loopback port, no persistence, no
# maxmemory), at three sizes:
#     1M          1,000,000 distinct vectors
#     10M         10,000,000 distinct vectors
#     1Mx10       the 1M set with --expand 9 (10,000,000 keys: originals + 9 copies)
# recording for each run
#   - client CPU seconds per million replies: user + sys of the prefill
#     process (/usr/bin/time), divided by the keys the server holds after it;
#   - the client's peak anonymous RSS: RssAnon of /proc/PID/status sampled
#     every SAMPLE seconds during the run, the maximum (the dataset is mapped
#     from a file: its pages are RssFile, and VmHWM would count them).
# Goals, printed as ratios (<= 1 met):
#   (a) CPU per million at 10M (and 1Mx10) <= 1.15 x the 1M figure;
#   (b) peak RssAnon <= 64 MiB + 1 bit per vector per copy.
# Runs alternate the sizes (1M, 10M, 1Mx10, 1M, 10M, ...), REPS rounds; the
# medians are quoted with their spread (min-max, and (max-min)/median).
# The server is flushed (FLUSHALL SYNC) before every run, so it holds at most
# 10M keys (~8 GB with redis 7's jemalloc) at once.
#
# usage: bench/bench_scale.sh [BUILD_DIR]
#   env: REPS=3 C=4 P=16 SAMPLE=0.2 SIZES="1000000 10000000" EXPAND=9
#        BENCH_DIR=/tmp/vm-bench (the generated datasets are written there
#        once and kept: 0.5 GB + 5.1 GB)
# Public tools only: bash, awk, /proc, /usr/bin/time, redis-server, redis-cli.
. "$(dirname "$0")/bench_lib.sh"
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$here/build}}
bin=$build/valkey-memstress
REPS=${REPS:-3} C=${C:-4} P=${P:-16} SAMPLE=${SAMPLE:-0.2} EXPAND=${EXPAND:-9}
read -r -a sizes <<<"${SIZES:-1000000 10000000}"
BENCH_DIR=${BENCH_DIR:-/tmp/vm-bench}
[ -x "$bin" ] || { echo "bench_scale: no binary at $bin (build first)" >&2; exit 2; }
for t in redis-server redis-cli awk /usr/bin/time; do
    command -v "$t" >/dev/null || { echo "bench_scale: $t is not installed" >&2; exit 2; }
done

# --- the datasets -------------------------------------------------------------------
mkdir -p "$BENCH_DIR"
for n in "${sizes[@]}"; do
    d=$BENCH_DIR/gen-$n
    [ -s "$d/base.fbin" ] && [ -s "$d/manifest.json" ] && continue
    rm -rf "$d"
    echo "bench_scale: generating $n x 128 float32 in $d"
    "$bin" dataset generate --n "$n" --dim 128 --no-gt --queries 10 --out "$d" >/dev/null
done

# --- a local server -----------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vm-scale.XXXXXX")
srv=
cleanup() { [ -n "$srv" ] && kill -9 "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
bench_start_redis bench_scale "$tmp" --maxmemory 0

label() { if [ $(($1 % 1000000)) = 0 ]; then echo $(($1 / 1000000))M; else echo $(($1 / 1000))K; fi; }
steal_ticks() { awk '/^cpu /{print $9; exit}' /proc/stat; }

# run N EXPAND: one prefill; prints "keys cpu_s wall_s rssanon_kib steal_share
# user_s sys_s sleeps minor_faults" (sleeps: voluntary context switches of the
# client; on a virtual machine each costs 10-35 us of CPU, bench/README.md)
run() {
    local n=$1 x=$2 tpid pid="" k v peak=0 s0 t0 t1 keys
    redis-cli -p "$port" FLUSHALL SYNC >/dev/null
    s0=$(steal_ticks) t0=$(date +%s.%N)
    /usr/bin/time -o "$tmp/time" -f "%U %S %e %w %R" \
        "$bin" prefill -p "$port" --dataset "$BENCH_DIR/gen-$n" --expand "$x" -c "$C" -P "$P" \
        >"$tmp/out" 2>&1 &
    tpid=$!
    # the prefill process is /usr/bin/time's child
    while kill -0 "$tpid" 2>/dev/null; do
        [ -z "$pid" ] && read -r pid _ <"/proc/$tpid/task/$tpid/children" 2>/dev/null || true
        if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
            while read -r k v _; do
                [ "$k" = RssAnon: ] && [ "$v" -gt "$peak" ] && peak=$v
            done <"/proc/$pid/status" 2>/dev/null || true
        fi
        sleep "$SAMPLE"
    done
    wait "$tpid" || { cat "$tmp/out" >&2; echo "bench_scale: prefill failed" >&2; exit 1; }
    t1=$(date +%s.%N)
    keys=$(redis-cli -p "$port" DBSIZE)
    [ "$keys" = $((n * (x + 1))) ] || { echo "bench_scale: $keys keys, not $((n * (x + 1)))" >&2; exit 1; }
    [ "$peak" -gt 0 ] || { echo "bench_scale: RssAnon of prefill was never sampled" >&2; exit 1; }
    awk -v keys="$keys" -v peak="$peak" -v s0="$s0" -v s1="$(steal_ticks)" -v t0="$t0" -v t1="$t1" \
        -v hz="$(getconf CLK_TCK)" -v cpus="$(nproc)" \
        '{printf "%d %.3f %.3f %d %.4f %.2f %.2f %d %d\n", keys, $1 + $2, $3, peak,
          (s1 - s0) / hz / ((t1 - t0) * cpus), $1, $2, $4, $5}' \
        "$tmp/time"
}

echo "bench_scale: reps=$REPS C=$C P=$P sample=${SAMPLE}s server=redis-server $(redis-server --version |
    sed -n 's/.*v=\([^ ]*\).*/\1/p') :$port; $(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf '%-8s %-6s %10s %8s %8s %12s %7s %8s %8s %10s %10s\n' size round keys cpu_s wall_s rssanon_kib steal \
    user_s sys_s sleeps minflt >"$tmp/runs"
labels=()
for n in "${sizes[@]}"; do labels+=("$n:0"); done
labels+=("${sizes[0]}:$EXPAND")
for r in $(seq 1 "$REPS"); do
    for l in "${labels[@]}"; do
        n=${l%:*} x=${l#*:}
        name=$(label "$n")
        [ "$x" -gt 0 ] && name=${name}x$((x + 1))
        m=$(run "$n" "$x")
        printf '%-8s %-6s %s\n' "$name" "$r" "$m" | awk '{printf "%-8s %-6s %10d %8.3f %8.3f %12d %7.4f %8.2f %8.2f %10d %10d\n",
                $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11}' |
            tee -a "$tmp/runs"
    done
done
redis-cli -p "$port" FLUSHALL SYNC >/dev/null

# --- medians, spread, goals ----------------------------------------------------------------
awk -v base="$(label "${sizes[0]}")" '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
NR > 1 {
    s = $1; if (!(s in cnt)) order[++ns] = s
    k = ++cnt[s]; keys[s] = $3
    cpu[s, k] = $4 * 1e6 / $3; rss[s, k] = $6 / 1024
    usr[s, k] = $8 * 1e6 / $3; sy[s, k] = $9 * 1e6 / $3; slp[s, k] = $10 * 1e6 / $3
    flt[s, k] = $11 * 1e6 / $3; kps[s, k] = $3 / $5
}
END {
    printf "\n%-8s %10s %5s %22s %9s %22s %9s %8s\n", "size", "keys", "runs", "CPU s/M median (min-max)", "spread",
        "RssAnon MiB median (min-max)", "spread", "budget"
    for (i = 1; i <= ns; i++) {
        s = order[i]; n = cnt[s]
        lo = 1e300; hi = 0; rlo = 1e300; rhi = 0
        for (k = 1; k <= n; k++) {
            c[k] = cpu[s, k]; r[k] = rss[s, k]
            if (c[k] < lo) lo = c[k]; if (c[k] > hi) hi = c[k]
            if (r[k] < rlo) rlo = r[k]; if (r[k] > rhi) rhi = r[k]
        }
        mc[s] = median(c, n); mr[s] = median(r, n)
        # 64 MiB + 1 bit per vector per copy (the keys written)
        bud[s] = 64 + keys[s] / 8 / 1048576
        printf "%-8s %10d %5d %8.3f (%.3f-%.3f) %8.1f%% %9.1f (%.1f-%.1f) %8.1f%% %8.1f\n", s, keys[s], n,
            mc[s], lo, hi, 100 * (hi - lo) / mc[s], mr[s], rlo, rhi, 100 * (rhi - rlo) / mr[s], bud[s]
    }
    printf "\nper million replies, medians: %-8s %8s %8s %10s %12s %12s\n", "size", "user s", "sys s",
        "sleeps", "minor faults", "replies/s"
    for (i = 1; i <= ns; i++) {
        s = order[i]; n = cnt[s]
        for (k = 1; k <= n; k++) { a1[k] = usr[s, k]; a2[k] = sy[s, k]; a3[k] = slp[s, k]; a4[k] = flt[s, k]; a5[k] = kps[s, k] }
        printf "                              %-8s %8.3f %8.3f %10.0f %12.0f %12.0f\n", s, median(a1, n), median(a2, n),
            median(a3, n), median(a4, n), median(a5, n)
    }
    print ""
    for (i = 1; i <= ns; i++) {
        s = order[i]
        if (s != base)
            printf "goal (a) %-6s CPU per million / %s: %.3f  (<= 1.15: %s)\n", s, base, mc[s] / mc[base],
                mc[s] / mc[base] <= 1.15 ? "met" : "NOT met"
    }
    for (i = 1; i <= ns; i++) {
        s = order[i]
        printf "goal (b) %-6s RssAnon / (64 MiB + 1 bit per key): %.2f  (<= 1: %s)\n", s, mr[s] / bud[s],
            mr[s] <= bud[s] ? "met" : "NOT met"
    }
}' "$tmp/runs"
