#!/usr/bin/env bash
# valkey-search on a real 3-master cluster WITH its coordinator
# (--use-coordinator): FT.CREATE sent to one node reaches every shard, and
# FT.SEARCH on any node merges the shards' answers (farthest first, in
# 1.0.3: ../shared/reference 06-cluster).  prefill --index creates the
# index once, every master indexes its own keys, and query sends one
# FT.SEARCH per query (no fan-out of its own) with recall@10 = 1.0 on a FLAT
# index, whatever order the merged answer comes in.
. "$(dirname "$0")/../harness/lib.sh"
start_valkey_search_cluster --use-coordinator
P=${CLUSTER_PORTS[0]}
st="$VM_TMP/st"
prefill_search_cluster "$st"
docs=0
for p in "${CLUSTER_PORTS[@]}"; do
    redis-cli -p "$p" FT._LIST | grep -qx idx || fail "no index on the master at $p"
    keys=$(redis-cli -p "$p" DBSIZE)
    [ "$keys" -gt 1000 ] || fail "master $p holds only $keys keys"
    docs=$((docs + keys))
done
assert_eq "$docs" 6000 "keys over the masters (3000 x 2 copies)"
"$VM_BIN" query --cluster -p "$P" --state "$st" -k 10 --queries 50 --json "$VM_TMP/q.json" \
    >"$VM_TMP/query.log" 2>&1 || { cat "$VM_TMP/query.log"; fail "query"; }
cat "$VM_TMP/query.log"
grep -q "each query sent to the" "$VM_TMP/query.log" && fail "fanned out although the coordinator merges"
grep -q "(100 replies)" "$VM_TMP/query.log" || fail "not one FT.SEARCH per query: $(cat "$VM_TMP/query.log")"
assert_exact_recall "$VM_TMP/q.json" 0
