#!/usr/bin/env bash
# The README's main job: `run default` leaves memory.csv and summary.json in
# the run folder; memory grows with the vectors; report reads it back.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
out="$VM_TMP/run1"
"$VM_BIN" run default -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall" --interval 200ms --out "$out"
[ -s "$out/memory.csv" ] || fail "no memory.csv"
[ -s "$out/summary.json" ] || fail "no summary.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['phases'][0]['vectors']==10000, d" "$out/summary.json" \
    || fail "summary.json vectors"
grep -q ',prefill,' "$out/memory.csv" || note "no sample fell inside the (fast) prefill phase"
grep -q ',baseline,' "$out/memory.csv" || fail "no baseline sample"
grep -q ',settle,' "$out/memory.csv" || fail "no settle sample"
col=$(head -1 "$out/memory.csv" | tr ',' '\n' | grep -nx used_memory | cut -d: -f1)
first=$(sed -n 2p "$out/memory.csv" | cut -d, -f"$col")
last=$(tail -1 "$out/memory.csv" | cut -d, -f"$col")
[ $((last - first)) -gt 5000000 ] || fail "used_memory grew by only $((last - first)) bytes for 10k vectors"
"$VM_BIN" report "$out" | grep -q "used_memory" || fail "report"
[ "$(redis-cli -p "$REDIS_PORT" DBSIZE)" = 10000 ] || fail "DBSIZE"
