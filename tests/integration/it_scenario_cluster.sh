#!/usr/bin/env bash
# The cluster-balance built-in on a real 3-master cluster: every vector
# lands on a master (the key count over the nodes is the live count), every
# node appears in the memory samples, and checkpoints are written.
. "$(dirname "$0")/../harness/lib.sh"
start_cluster
P=${CLUSTER_PORTS[0]}
out="$VM_TMP/cb"
"$VM_BIN" run cluster-balance --cluster -p "$P" --set "dataset=$VM_DATASETS/siftsmall" \
    --set limit=2000 --set monitor.interval=200ms --out "$out" >"$VM_TMP/log" 2>&1 \
    || { cat "$VM_TMP/log"; fail "cluster-balance"; }
grep -q "6 of 6 steps" "$VM_TMP/log" || fail "did not finish: $(tail -3 "$VM_TMP/log")"
total=0
for p in "${CLUSTER_PORTS[@]}"; do
    n=$(redis-cli -p "$p" DBSIZE)
    [ "$n" -gt 1000 ] || fail "node $p holds only $n keys: not balanced by slot"
    total=$((total + n))
    grep -q "127.0.0.1:$p" "$out/memory.csv" || fail "node $p missing from memory.csv"
done
assert_eq "$total" 8000 "keys over the cluster (2000 x 4 copies)"
[ "$(grep -c ',base,\|,expanded,' "$out/checkpoints.csv")" = 2 ] || fail "checkpoints.csv: $(cat "$out/checkpoints.csv")"
