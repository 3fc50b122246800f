#!/usr/bin/env bash
# The README's main job: `run default` (a built-in scenario) leaves
# memory.csv and summary.json in the run folder; samples carry the phase
# labels; memory grows with the vectors; report reads the folder back.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
out="$VM_TMP/run1"
"$VM_BIN" run default -p "$REDIS_PORT" --set "dataset=$VM_DATASETS/siftsmall" \
    --set monitor.interval=200ms --out "$out" >"$VM_TMP/log" || { cat "$VM_TMP/log"; fail "run default"; }
[ -s "$out/memory.csv" ] || fail "no memory.csv"
[ -s "$out/summary.json" ] || fail "no summary.json"
python3 - "$out/summary.json" <<'PY' || fail "summary.json: the prefill phase did not load 10000 vectors"
import json, sys
d = json.load(open(sys.argv[1]))
pre = [p for p in d["phases"] if p["phase"] == "prefill"]
assert pre and pre[0]["vectors"] == 10000, d["phases"]
# the client's CPU for the phase's operations: some, and no more than two
# cores' worth of the phase; none for a phase without operations
cpu = pre[0]["client_cpu_seconds"]
assert cpu is not None and 0 < cpu <= 2 * pre[0]["seconds"] + 0.05, pre[0]
assert all(p["client_cpu_seconds"] is None for p in d["phases"] if p["operations"] == 0), d["phases"]
PY
# what was measured: the server answering INFO server on this port
want=$(redis-cli -p "$REDIS_PORT" INFO server | tr -d '\r' | awk -F: '$1 == "redis_version" {print $2}')
python3 - "$out/summary.json" "$want" <<'PY' || fail "summary.json server: $(grep -A1 '"server"' "$out/summary.json")"
import json, sys
s = json.load(open(sys.argv[1]))["server"]
assert s == {"software": "redis", "version": sys.argv[2], "search_module": None}, s
PY
grep -q ',baseline,' "$out/memory.csv" || fail "no baseline sample"
grep -q ',settle,' "$out/memory.csv" || fail "no settle sample"
col=$(head -1 "$out/memory.csv" | tr ',' '\n' | grep -nx used_memory | cut -d: -f1)
first=$(sed -n 2p "$out/memory.csv" | cut -d, -f"$col")
last=$(tail -1 "$out/memory.csv" | cut -d, -f"$col")
[ $((last - first)) -gt 5000000 ] || fail "used_memory grew by only $((last - first)) bytes for 10k vectors"
"$VM_BIN" report "$out" >"$VM_TMP/report.log" 2>&1 || { cat "$VM_TMP/report.log"; fail "report"; }
grep -Eq '^- prefill: the client used [0-9.e-]+ s of CPU for 10000 operations \([0-9.e+-]+ s per million\)\.$' \
    "$out/report/summary.md" || fail "the report has no client CPU finding for the prefill: $(grep -i client "$out/report/summary.md")"
[ "$(redis-cli -p "$REDIS_PORT" DBSIZE)" = 10000 ] || fail "DBSIZE"
