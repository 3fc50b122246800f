#!/usr/bin/env bash
# `model --plan`: the issue's example (1e9 x 128 HNSW M 16 on 64 GiB nodes)
# prints shards and prefill hours, the same as --json says; shards x usable
# memory holds the total; errors name the option; --from takes the ingest
# rate of a real run folder (run default against a local redis-server).
. "$(dirname "$0")/../harness/lib.sh"
plan=(model --plan --vectors 1e9 --dim 128 --algorithm HNSW --m 16 --node-memory 64GiB)
"$VM_BIN" "${plan[@]}" >"$VM_TMP/plan.txt" || fail "model --plan"
"$VM_BIN" "${plan[@]}" --json >"$VM_TMP/plan.json" || fail "model --plan --json"
shards=$(awk '/^shards:/ {print $2}' "$VM_TMP/plan.txt")
hours=$(awk '/^prefill hours:/ {print $3}' "$VM_TMP/plan.txt")
[ -n "$shards" ] && [ "$shards" -ge 1 ] || fail "no shard count in: $(cat "$VM_TMP/plan.txt")"
[ -n "$hours" ] || fail "no prefill hours in: $(cat "$VM_TMP/plan.txt")"
grep -q "^headroom 0.280 " "$VM_TMP/plan.txt" || fail "the headroom and its reasons are not printed"
grep -q "^  HNSW level 0 " "$VM_TMP/plan.txt" || fail "no per-component bytes per vector"
grep -q "assumed" "$VM_TMP/plan.txt" || fail "the default ingest rate is not called an assumption"
python3 - "$VM_TMP/plan.json" "$shards" "$hours" <<'PY' || fail "table and JSON disagree"
import json, math, sys
d = json.load(open(sys.argv[1]))
shards, hours = int(sys.argv[2]), float(sys.argv[3])
assert d["shards"] == shards, (d["shards"], shards)
assert abs(d["hours"] - hours) < 0.01, (d["hours"], hours)
assert d["vectors"] == 10**9 and d["node_memory_bytes"] == 64 << 30, d
# every shard fits the usable memory; one shard fewer would not hold the total
usable = d["headroom"]["usable_bytes_per_node"]
assert d["used_memory_per_shard_bytes"] <= usable, d
assert d["vectors_per_shard"] == math.ceil(10**9 / shards), d
assert d["bytes_per_vector_total"] * 10**9 > (shards - 1) * usable, d
# hours = vectors / (rate per shard x shards), server-bound
assert abs(hours - 10**9 / (d["rate_per_shard"] * shards) / 3600) < 0.01, d
print("# %d shards, %.2f hours, %.1f B/vector" % (shards, hours, d["bytes_per_vector_total"]))
PY
# --expand 9 of 1e8 is the same plan; more vectors, at least as many shards
"$VM_BIN" model --plan --vectors 100000000 --expand 9 --dim 128 --node-memory 64G --json \
    >"$VM_TMP/x.json" || fail "--expand"
grep -q "\"shards\": $shards," "$VM_TMP/x.json" || fail "--expand 9 of 1e8 is not 1e9's plan"
"$VM_BIN" model --plan --vectors 2e9 --dim 128 --node-memory 64GiB --json >"$VM_TMP/2e9.json" \
    || fail "2e9"
s2=$(awk -F'[:,]' '/"shards"/ {print $2 + 0}' "$VM_TMP/2e9.json")
[ "$s2" -gt "$shards" ] || fail "2e9 vectors need $s2 shards, not more than 1e9's $shards"

# errors name the option
set +e
"$VM_BIN" "${plan[@]/64GiB/1MiB}" 2>"$VM_TMP/e1"; rc1=$?
"$VM_BIN" "${plan[@]/64GiB/64XB}" 2>"$VM_TMP/e2"; rc2=$?
"$VM_BIN" "${plan[@]}" --headroom 1.5 2>"$VM_TMP/e3"; rc3=$?
"$VM_BIN" "${plan[@]}" --from "$VM_TMP/nowhere" 2>"$VM_TMP/e4"; rc4=$?
"$VM_BIN" model --dim 128 --vectors 10 --node-memory 64G 2>"$VM_TMP/e5"; rc5=$?
set -e
for i in 1 2 3 4 5; do
    eval "rc=\$rc$i"
    [ "$rc" -ne 0 ] || fail "error case $i exited 0"
done
grep -q -- "--node-memory: .*base" "$VM_TMP/e1" || fail "too little node memory: $(cat "$VM_TMP/e1")"
grep -q -- "--node-memory: '64XB'" "$VM_TMP/e2" || fail "bad size: $(cat "$VM_TMP/e2")"
grep -q -- "--headroom: " "$VM_TMP/e3" || fail "bad headroom: $(cat "$VM_TMP/e3")"
grep -q -- "--from: " "$VM_TMP/e4" || fail "bad --from: $(cat "$VM_TMP/e4")"
grep -q -- "--plan" "$VM_TMP/e5" || fail "plan option without --plan: $(cat "$VM_TMP/e5")"

# --from: a real run's prefill rate per master, said to be measured
command -v redis-server >/dev/null || { note "no redis-server: --from not checked"; exit 0; }
start_redis
out="$VM_TMP/run1"
"$VM_BIN" run default -p "$REDIS_PORT" --set "dataset=$VM_DATASETS/siftsmall" \
    --set monitor.interval=200ms --out "$out" >"$VM_TMP/log" || { cat "$VM_TMP/log"; fail "run default"; }
"$VM_BIN" "${plan[@]}" --from "$out" --json >"$VM_TMP/from.json" || fail "--from RUN_DIR"
python3 - "$out/summary.json" "$VM_TMP/from.json" <<'PY' || fail "--from rate"
import json, sys
run, plan = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
pre = [p for p in run["phases"] if p["step"].endswith(":prefill")]
rate = sum(p["vectors"] for p in pre) / sum(p["seconds"] for p in pre)  # one standalone server
assert abs(plan["rate_per_shard"] - rate) / rate < 1e-4, (plan["rate_per_shard"], rate)
assert plan["rate_source"].startswith("measured"), plan["rate_source"]
assert abs(plan["hours"] - 10**9 / (min(rate * plan["shards"], plan["loader_rate"] * plan["loaders"])) / 3600) < 0.01 * plan["hours"], plan
print("# --from: %.0f vectors/s per shard -> %.3f hours" % (rate, plan["hours"]))
PY
