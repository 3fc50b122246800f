#!/usr/bin/env bash
# Scenarios through the CLI: the built-ins are listed and validate; bad
# files fail validation with file:line:col and exit 2; the grow / shrink
# built-in runs to completion on a real redis-server (no index) with the
# key set the state says; a custom scenario drives config_set (restored at
# the end), checkpoint, info (INFO memory and modules into info-<leaf>.txt),
# assert (a failing one gives a non-zero exit) and an external workload
# plugin (examples/plugins: mix.so).
. "$(dirname "$0")/../harness/lib.sh"
n=$("$VM_BIN" run --list | wc -l)
[ "$n" -ge 7 ] || fail "run --list names $n built-ins"
for s in $("$VM_BIN" run --list | awk '{print $1}'); do
    "$VM_BIN" run "$s" --dry-run --set "dataset=$VM_DATASETS/siftsmall" >/dev/null || fail "dry-run $s"
done

cat >"$VM_TMP/typo.yaml" <<'Y'
name: typo
dataset: somewhere
steps:
  - create_index: {}
  - shrnk: {fraction: 0.5}
Y
rc=0; "$VM_BIN" run "$VM_TMP/typo.yaml" --dry-run 2>"$VM_TMP/err" || rc=$?
assert_eq "$rc" 2 "exit code of a typo"
grep -q "typo.yaml:5:5: unknown step 'shrnk'" "$VM_TMP/err" || fail "typo message: $(cat "$VM_TMP/err")"
cat >"$VM_TMP/type.yaml" <<'Y'
name: wrong-type
dataset: somewhere
steps:
  - query: {k: ten}
Y
rc=0; "$VM_BIN" run "$VM_TMP/type.yaml" --dry-run 2>"$VM_TMP/err" || rc=$?
assert_eq "$rc" 2 "exit code of a wrong type"
grep -q "type.yaml:4:16: 'k' must be a whole number, got 'ten'" "$VM_TMP/err" || fail "type message: $(cat "$VM_TMP/err")"
rc=0; "$VM_BIN" run nosuch --dry-run 2>"$VM_TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "unknown scenario 'nosuch'" "$VM_TMP/err" || fail "unknown built-in"

start_redis
P=$REDIS_PORT
out="$VM_TMP/gs"
"$VM_BIN" run grow-shrink -p "$P" --set "dataset=$VM_DATASETS/siftsmall" --set limit=1000 \
    --set monitor.interval=200ms --out "$out" >"$VM_TMP/log" || { cat "$VM_TMP/log"; fail "grow-shrink"; }
grep -q "run .*: 18 of 18 steps" "$VM_TMP/log" || fail "grow-shrink did not finish: $(tail -3 "$VM_TMP/log")"
live=$(sed -n 's/.* \([0-9]*\) live vectors.*/\1/p' "$VM_TMP/log" | tail -1)
assert_eq "$(redis-cli -p "$P" DBSIZE)" "$live" "server keys vs the run's live count"
assert_eq "$live" 7000 "live after three expand 2 / shrink / regrow cycles"
for f in scenario.yaml checkpoint memory.csv summary.json state/live.bin; do
    [ -s "$out/$f" ] || fail "run folder lacks $f"
done
python3 - "$out/summary.json" <<'PY' || fail "summary.json phases"
import json, sys
d = json.load(open(sys.argv[1]))
names = [p["phase"] for p in d["phases"]]
assert names.count("shrink") == 3 and names.count("expand") == 3, names
PY

# a custom scenario: config_set restored, checkpoint, plugin, asserts
redis-cli -p "$P" FLUSHALL >/dev/null
before=$(redis-cli -p "$P" CONFIG GET maxmemory-samples | tail -1)
cat >"$VM_TMP/custom.yaml" <<Y
name: custom
dataset: $VM_DATASETS/siftsmall
limit: 500
monitor: {interval: 200ms}
steps:
  - config_set: {maxmemory-samples: 7}
  - prefill: {copies: 1}
  - checkpoint: {label: loaded}
  - info: {label: loaded}
  - workload: {name: mix, plugin: $VM_PLUGIN_DIR/mix.so, query_share: 0, duration: 1s}
  - assert: {bytes_per_vector_max: 100000}
  - assert: {recall_min: 0.9}
Y
rc=0; "$VM_BIN" run "$VM_TMP/custom.yaml" -p "$P" --out "$VM_TMP/c" >"$VM_TMP/log" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$VM_TMP/log"; fail "a failing assertion must exit 1 (got $rc)"; }
grep -q "assertions 1 passed, 1 failed" "$VM_TMP/log" || fail "assert counts: $(tail -2 "$VM_TMP/log")"
grep -q "^PASS .*bytes per live vector" "$VM_TMP/c/assertions.txt" || fail "assertions.txt"
grep -q "^FAIL .*recall" "$VM_TMP/c/assertions.txt" || fail "assertions.txt recall"
grep -q "mix: .* operations" "$VM_TMP/log" || fail "plugin workload did not report"
grep -q ",loaded,.*,1000," "$VM_TMP/c/checkpoints.csv" || fail "checkpoint: $(cat "$VM_TMP/c/checkpoints.csv")"
# info: the server's INFO memory and modules at that point (leaf 3), keys untouched
grep -q "^# info loaded at .*step 4:info, leaf 3, 1000 live vectors" "$VM_TMP/c/info-3.txt" || fail "info header: $(head -2 "$VM_TMP/c/info-3.txt")"
grep -q "^## node 127.0.0.1:$P (standalone)" "$VM_TMP/c/info-3.txt" || fail "info node: $(grep '^##' "$VM_TMP/c/info-3.txt")"
grep -q "^used_memory:[0-9]" "$VM_TMP/c/info-3.txt" && grep -q "^# Modules" "$VM_TMP/c/info-3.txt" || fail "info sections"
grep -q "info loaded: INFO memory and modules of 1 node in info-3.txt" "$VM_TMP/log" || fail "info note"
assert_eq "$(redis-cli -p "$P" CONFIG GET maxmemory-samples | tail -1)" "$before" "config restored"
assert_eq "$(redis-cli -p "$P" DBSIZE)" 1000 "keys after the custom run (rewrites add none)"

# --push: samples and the scenario's latency per operation reach a real
# pushgateway
start_pushgateway
redis-cli -p "$P" FLUSHALL >/dev/null
"$VM_BIN" run default -p "$P" --set "dataset=$VM_DATASETS/siftsmall" --set limit=1000 \
    --set monitor.interval=200ms --push "http://127.0.0.1:$PGW_PORT" --out "$VM_TMP/pushed" >"$VM_TMP/log" 2>&1 \
    || { cat "$VM_TMP/log"; fail "run --push"; }
curl -fsS "http://127.0.0.1:$PGW_PORT/metrics" >"$VM_TMP/metrics"
grep -q '^valkey_memstress_used_memory_bytes{' "$VM_TMP/metrics" || fail "no memory gauge pushed"
grep -q 'valkey_memstress_command_latency_seconds_count{.*op="hset"' "$VM_TMP/metrics" \
    || fail "no hset latency pushed: $(grep -c latency "$VM_TMP/metrics") latency lines"

# parallel: an expand child writes the next copies (1..3), not past the
# room made for it, while the other child runs
redis-cli -p "$P" FLUSHALL >/dev/null
"$VM_BIN" run query-while-ingest -p "$P" --set "dataset=$VM_DATASETS/siftsmall" --set limit=500 \
    --set monitor.interval=200ms --out "$VM_TMP/qwi" >"$VM_TMP/log" 2>&1 || { cat "$VM_TMP/log"; fail "query-while-ingest"; }
grep -qx "copies 4" "$VM_TMP/qwi/state/manifest" || fail "parallel expand: $(grep copies "$VM_TMP/qwi/state/manifest")"
assert_eq "$(redis-cli -p "$P" EXISTS expand_1_vec:0 expand_3_vec:499 expand_4_vec:0)" 2 "parallel expand wrote copies 1..3"
assert_eq "$(redis-cli -p "$P" DBSIZE)" 2000 "keys after query-while-ingest"
# text-grow-shrink on a plain server (no index): every key, expanded ones
# too, carries its original's generated text; the state keeps how
redis-cli -p "$P" FLUSHALL >/dev/null
"$VM_BIN" run text-grow-shrink -p "$P" --set "dataset=$VM_DATASETS/siftsmall" --set limit=300 \
    --set monitor.interval=200ms --out "$VM_TMP/tgs" >"$VM_TMP/log" 2>&1 || { cat "$VM_TMP/log"; fail "text-grow-shrink"; }
grep -qx "text_field body" "$VM_TMP/tgs/state/manifest" || fail "text_field not in the state"
t0=$(redis-cli -p "$P" HGET vec:7 body) t1=$(redis-cli -p "$P" HGET expand_1_vec:7 body)
[ -n "$t0" ] && [ "$t0" = "$t1" ] || fail "text of vec:7 '$t0' and of its copy '$t1'"
