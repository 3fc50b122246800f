#!/usr/bin/env bash
# A sliced run on valkey-search: four loaders prefill a FLAT index with an
# expanded copy and shrink with one seed; a loader's state alone is refused
# by query (recall needs every live vector); the merged state gives recall
# 1.0 in every copy, asked whole and asked by two query slices.
. "$(dirname "$0")/../harness/lib.sh"
start_valkey_search
P=$VS_PORT
ds=$VM_DATASETS/siftsmall
pids=()
for i in 0 1 2 3; do
    "$VM_BIN" prefill -p "$P" --dataset "$ds" --limit 4000 --expand 1 --slice $i/4 --state "$VM_TMP/s$i" \
        --index idx --algorithm FLAT >"$VM_TMP/l$i.log" 2>&1 &
    pids+=($!)
done
for i in 0 1 2 3; do wait "${pids[$i]}" || { cat "$VM_TMP/l$i.log"; fail "loader $i/4"; }; done
for i in 0 1 2 3; do
    "$VM_BIN" shrink -p "$P" --state "$VM_TMP/s$i" --slice $i/4 --fraction 0.5 --seed 7 >/dev/null || fail "shrink $i/4"
done
rc=0
"$VM_BIN" query -p "$P" --state "$VM_TMP/s1" --json "$VM_TMP/q.json" 2>"$VM_TMP/err" || rc=$?
[ $rc -ne 0 ] && grep -q "merge the loaders' states first" "$VM_TMP/err" || fail "a slice's state queried: $(cat "$VM_TMP/err")"
"$VM_BIN" state merge --out "$VM_TMP/merged" "$VM_TMP"/s{0,1,2,3} >/dev/null || fail "merge"
live=$("$VM_BIN" state show "$VM_TMP/merged" | awk '/^copy/ {t += $3} END {print t}')
assert_eq "$(redis-cli -p "$P" DBSIZE)" "$live" "keys = the merged live set"
check() { # json what
    python3 - "$1" "$2" <<'PY' || fail "recall $2: $(cat "$1")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["errors"] == 0 and d["queries"] > 0, d
assert d["recall"]["mean"] == 1.0 and d["recall"]["min"] == 1.0, d["recall"]
assert len(d["per_copy"]) == 2 and all(c["mean"] == 1.0 for c in d["per_copy"]), d["per_copy"]
PY
}
"$VM_BIN" query -p "$P" --state "$VM_TMP/merged" --index idx --json "$VM_TMP/q.json" >/dev/null || fail "query merged"
check "$VM_TMP/q.json" "merged"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["queries"])' "$VM_TMP/q.json")" 200 "queries, whole"
n=0
for i in 0 1; do
    "$VM_BIN" query -p "$P" --state "$VM_TMP/merged" --index idx --slice $i/2 --json "$VM_TMP/q$i.json" >/dev/null ||
        fail "query --slice $i/2"
    check "$VM_TMP/q$i.json" "query slice $i/2"
    n=$((n + $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["queries"])' "$VM_TMP/q$i.json")))
done
assert_eq "$n" 200 "the two query slices ask every query once"
echo PASS
