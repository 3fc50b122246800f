#!/usr/bin/env bash
# valkey-search on a real 3-master cluster WITHOUT its coordinator: each
# shard keeps its own index and answers FT.SEARCH from its own keys
# (../shared/reference 06c).  prefill --index creates the index on every
# master, and query sends each KNN to every master and merges the answers:
# a FLAT index gives recall@10 = 1.0 in every copy, as on one server.
. "$(dirname "$0")/../harness/lib.sh"
start_valkey_search_cluster
P=${CLUSTER_PORTS[0]}
st="$VM_TMP/st"
"$VM_BIN" prefill --cluster -p "$P" --dataset "$VM_DATASETS/siftsmall" --limit 3000 \
    --state "$st" --expand 1 --index idx --algorithm FLAT >"$VM_TMP/prefill.log" 2>&1 ||
    { cat "$VM_TMP/prefill.log"; fail "prefill"; }
docs=0
for p in "${CLUSTER_PORTS[@]}"; do
    redis-cli -p "$p" FT._LIST | grep -qx idx || fail "no index on the master at $p"
    n=$(redis-cli -p "$p" FT.INFO idx | awk 'f {print; exit} /^num_docs$/ {f=1}')
    [ "$n" -gt 1000 ] || fail "master $p indexes only $n documents"
    docs=$((docs + n))
done
assert_eq "$docs" 6000 "documents over the masters (3000 x 2 copies)"
"$VM_BIN" query --cluster -p "$P" --state "$st" -k 10 --queries 50 --json "$VM_TMP/q.json" \
    >"$VM_TMP/query.log" 2>&1 || { cat "$VM_TMP/query.log"; fail "query"; }
grep -q "each query sent to the 3 masters" "$VM_TMP/query.log" || fail "no fan-out: $(cat "$VM_TMP/query.log")"
python3 - "$VM_TMP/q.json" <<'PY' || fail "recall over the shards: $(cat "$VM_TMP/q.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["shards_merged"] == 3, d
assert d["queries"] == 100 and d["errors"] == 0, d
assert d["recall"]["mean"] == 1.0 and d["recall"]["min"] == 1.0, d["recall"]
assert all(c["mean"] == 1.0 for c in d["per_copy"]) and len(d["per_copy"]) == 2, d["per_copy"]
PY
