#!/usr/bin/env bash
# bench_report: how fast `report` reads a long run, as a ratio against one
# awk pass over the same files (the anchor, measured in the same run).
# A synthetic run folder like the monitor writes — 3 nodes, 1 s samples for
# MINUTES minutes: memory.csv (50 columns) and memory_long.csv (~500 metrics
# per sample, most of them jemalloc per-bin figures the report skips) — is
# generated in a temp folder, then timed:
#   anchor   awk -F, summing a column of both files
#   read     report --no-plots (read, analyse, model, HTML + Markdown)
#   full     report (plus gnuplot's 8 PNG + SVG pictures)
# Prints seconds and read/anchor, full/anchor.  Goal: read/anchor <= 3.
#
# usage: bench/bench_report.sh [BUILD_DIR]     env: MINUTES=20 NODES=3
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$here/build}}
bin=$build/valkey-memstress
[ -x "$bin" ] || { echo "bench_report: no $bin (build first)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vm-bench-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" "${MINUTES:-20}" "${NODES:-3}" <<'PY'
import math, os, random, sys
out, minutes, nodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
core = ["used_memory", "used_memory_rss", "used_memory_peak", "used_memory_dataset",
        "mem_fragmentation_ratio", "allocator_allocated", "allocator_active", "allocator_resident",
        "allocator_frag_ratio", "search_used_memory_bytes", "ft.num_docs", "ft.vector_capacity"]
extra = ["jemalloc.bin.%d.%s" % (s, f) for s in range(8, 8 + 8 * 55, 8)
         for f in ("allocated", "nmalloc", "ndalloc", "curregs", "curslabs", "regs", "pgs", "util", "nonfull_slabs")]
extra = extra[:490 - len(core)]
wide_cols = core + ["x%d" % i for i in range(50 - len(core))]
t0 = 1795272700000
n = minutes * 60
with open(os.path.join(out, "memory.csv"), "w") as w, open(os.path.join(out, "memory_long.csv"), "w") as l:
    w.write("time_iso,time_unix_ms,run_id,node,step,phase,live_vectors,inserted_total,deleted_total," + ",".join(wide_cols) + "\n")
    l.write("time_iso,time_unix_ms,node,metric,value,unit\n")
    for i in range(n):
        cycle = (i // 120) % 2
        live = (i % 120) * 1000 if cycle == 0 else (120 - i % 120) * 500
        phase = "grow" if cycle == 0 else "shrink"
        for k in range(nodes):
            node = "10.0.0.%d:6379" % (k + 1)
            t = t0 + i * 1000 + k * 3
            iso = "2026-11-21T14:%02d:%02d.%03dZ" % ((i // 60) % 60, i % 60, k * 3)
            used = 1e6 + live * 1956 / nodes + random.random() * 1e5
            vals = [used, used * 1.1, used * 1.2, used * 0.8, 1.1, used, used * 1.05, used * 1.1, 1.05,
                    live * 1137 / nodes, live / nodes, 10240 * (1 + live // 10240)] + [0] * (len(wide_cols) - len(core))
            w.write("%s,%d,bench,%s,%s,%s,%d,%d,0,%s\n" % (iso, t, node, phase, phase, live, live,
                    ",".join("%.6g" % v for v in vals)))
            for name, v in zip(core, vals):
                l.write("%s,%d,%s,%s,%.6g,bytes\n" % (iso, t, node, name, v))
            for name in extra:
                l.write("%s,%d,%s,%s,%d,count\n" % (iso, t, node, name, random.randrange(100000)))
PY
size=$(du -sm "$tmp" | cut -f1)
now() { date +%s.%N; }
a0=$(now); awk -F, '{s += $5} END {print s > "/dev/null"}' "$tmp/memory_long.csv" "$tmp/memory.csv"; a1=$(now)
r0=$(now); "$bin" report "$tmp" --no-plots --out "$tmp/r1" >/dev/null; r1=$(now)
f0=$(now); "$bin" report "$tmp" --out "$tmp/r2" >/dev/null; f1=$(now)
python3 - "$size" "$a0" "$a1" "$r0" "$r1" "$f0" "$f1" <<'PY'
import sys
size, a0, a1, r0, r1, f0, f1 = sys.argv[1], *map(float, sys.argv[2:])
a, r, f = a1 - a0, r1 - r0, f1 - f0
print("bench_report: %s MB run folder: awk pass %.2f s, report --no-plots %.2f s, report %.2f s" % (size, a, r, f))
print("read/anchor %.2f (goal <= 3), full/anchor %.2f" % (r / a, f / a))
PY
