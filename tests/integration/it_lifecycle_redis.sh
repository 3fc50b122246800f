#!/usr/bin/env bash
# The lifecycle on a plain redis-server (no index): prefill --expand, shrink,
# regrow and expand keep the server's key set equal to the state's live set,
# and the same seed deletes the same keys.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
A=$REDIS_PORT
start_redis
B=$REDIS_PORT
ds="$VM_DATASETS/siftsmall"
keys() { redis-cli -p "$1" --scan | sort; }
live() { grep -o 'live [0-9]*' "$VM_TMP/out" | tail -1 | cut -d' ' -f2; }

for p in $A $B; do
    "$VM_BIN" prefill -p "$p" --dataset "$ds" --state "$VM_TMP/st-$p" --expand 2 --limit 2000 >"$VM_TMP/out"
    grep -q '^prefill: 6000 vectors' "$VM_TMP/out" || fail "prefill: $(cat "$VM_TMP/out")"
done
assert_eq "$(redis-cli -p "$A" DBSIZE)" 6000 "keys after prefill --expand 2"
assert_eq "$(redis-cli -p "$A" EXISTS vec:1999 expand_1_vec:0 expand_2_vec:1999)" 3 "key names"
assert_eq "$(redis-cli -p "$A" EXISTS vec:2000)" 0 "--limit respected"
# expand_2 of vector 5 is vector 5 with one coordinate shifted by the step
orig=$(redis-cli -p "$A" --raw HGET vec:5 vector | od -An -tf4 -v | tr -s ' \n' ' ')
exp2=$(redis-cli -p "$A" --raw HGET expand_2_vec:5 vector | od -An -tf4 -v | tr -s ' \n' ' ')
step=$(awk '/^step/ {print $2}' "$VM_TMP/st-$A/manifest")
python3 - "$orig" "$exp2" "$step" <<'PY' || fail "expand_2 is not x + V_2"
import sys
a = [float(x) for x in sys.argv[1].split()][:128]
b = [float(x) for x in sys.argv[2].split()][:128]
s = float(sys.argv[3])
diff = [(i, y - x) for i, (x, y) in enumerate(zip(a, b)) if x != y]
assert diff == [(1, s)], diff   # V_2 = +s on axis 1
PY

for p in $A $B; do
    "$VM_BIN" shrink -p "$p" --state "$VM_TMP/st-$p" --fraction 0.5 --seed 7 >"$VM_TMP/out"
done
# each live vector whose seeded draw is under 0.5: about half, 3000 +- 4 sd
half=$(live)
[ "$half" -gt 2850 ] && [ "$half" -lt 3150 ] || fail "shrink 0.5 of 6000 left $half"
assert_eq "$(redis-cli -p "$A" DBSIZE)" "$half" "keys after shrink"
[ "$(keys "$A" | wc -l)" = "$half" ] || fail "key listing"
[ "$(keys "$A")" = "$(keys "$B")" ] || fail "the same seed deleted different keys"

"$VM_BIN" shrink -p "$A" --state "$VM_TMP/st-$A" --count 100 --copy 1 --seed 3 >"$VM_TMP/out"
assert_eq "$(redis-cli -p "$A" DBSIZE)" $((half - 100)) "keys after shrink --count 100 --copy 1"
# the engine's summary too: one latency line for the 100 DELs, and the client's CPU
grep -Eq '^shrink: latency del ms: .* \(100 replies\)$' "$VM_TMP/out" &&
    grep -Eq '^shrink: client CPU [0-9.]+ s \(user \+ sys\), [0-9.]+ s per million replies$' "$VM_TMP/out" ||
    fail "shrink printed no engine summary: $(cat "$VM_TMP/out")"
"$VM_BIN" regrow -p "$A" --state "$VM_TMP/st-$A" --fraction 0.5 --seed 2 >"$VM_TMP/out"
assert_eq "$(redis-cli -p "$A" DBSIZE)" "$(live)" "keys after half a regrow"
"$VM_BIN" regrow -p "$A" --state "$VM_TMP/st-$A" >"$VM_TMP/out"
assert_eq "$(redis-cli -p "$A" DBSIZE)" 6000 "keys after a full regrow"
"$VM_BIN" expand -p "$A" --state "$VM_TMP/st-$A" --copies 3..4 >"$VM_TMP/out"
assert_eq "$(redis-cli -p "$A" DBSIZE)" 10000 "keys after expand --copies 3..4"
assert_eq "$(redis-cli -p "$A" EXISTS expand_4_vec:1999)" 1 "expand_4 key"

# bad input: a clear line and a non-zero exit, the state untouched
cp "$VM_TMP/st-$A/live.bin" "$VM_TMP/live.before"
rc=0; "$VM_BIN" shrink -p "$A" --state "$VM_TMP/st-$A" --fraction 2 2>"$VM_TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- "--fraction" "$VM_TMP/err" || fail "--fraction 2 accepted"
rc=0; "$VM_BIN" shrink -p "$A" --state "$VM_TMP/nostate" --fraction 0.1 2>"$VM_TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q "no lifecycle state" "$VM_TMP/err" || fail "missing state accepted"
rc=0; "$VM_BIN" prefill -p "$A" --dataset "$VM_DATASETS/siftsmall-derived/base.10K.fbin" --state "$VM_TMP/st-$A" 2>"$VM_TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q -- "--state: .*use another state folder" "$VM_TMP/err" || fail "a state reused for another dataset"
cmp -s "$VM_TMP/live.before" "$VM_TMP/st-$A/live.bin" || fail "a refused command changed the state"

# the data's metric decides: unnormalised cosine data is refused (prepare it
# with --normalize), and inner-product data cannot be expanded
"$VM_BIN" dataset generate --n 500 --dim 16 --no-gt --out "$VM_TMP/gen" >/dev/null
sed 's/"metric": "L2"/"metric": "COSINE"/' "$VM_TMP/gen/manifest.json" >"$VM_TMP/m" && mv "$VM_TMP/m" "$VM_TMP/gen/manifest.json"
rc=0; "$VM_BIN" prefill -p "$A" --dataset "$VM_TMP/gen" --state "$VM_TMP/cos" 2>"$VM_TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q "not normalised" "$VM_TMP/err" || fail "unnormalised cosine data accepted: $(cat "$VM_TMP/err")"
sed 's/"metric": "COSINE"/"metric": "IP"/' "$VM_TMP/gen/manifest.json" >"$VM_TMP/m" && mv "$VM_TMP/m" "$VM_TMP/gen/manifest.json"
rc=0; "$VM_BIN" prefill -p "$A" --dataset "$VM_TMP/gen" --state "$VM_TMP/ip" --expand 1 2>"$VM_TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q "inner-product data cannot be expanded" "$VM_TMP/err" || fail "IP expansion accepted: $(cat "$VM_TMP/err")"
