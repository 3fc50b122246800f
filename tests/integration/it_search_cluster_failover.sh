#!/usr/bin/env bash
# valkey-search on a 3-master cluster without the coordinator, one master
# with a replica: the master is SIGKILLed while `query` fans out its KNN
# queries.  The replica is elected (after cluster-node-timeout), the parts
# pinned to the dead master go by slot to it, every query is answered and
# recall stays exactly 1.0 (FLAT); query says which master took over from
# which, and no keys count as missed; the client does not spin while the
# node is down (its CPU stays a fraction of the run's time).
. "$(dirname "$0")/../harness/lib.sh"
start_valkey_search_cluster
p0=${CLUSTER_PORTS[0]} p2=${CLUSTER_PORTS[2]}
add_replica "$p2" "$VALKEY_SERVER" --loadmodule "$VALKEY_SEARCH_MODULE"
rp=$REPLICA_PORT
prefill_search_cluster "$VM_TMP/state"
for i in $(seq 1 100); do   # the replica has the index and the documents
    [ "$(redis-cli -p "$rp" FT.INFO idx 2>/dev/null | awk 'f {print; exit} $0 == "num_docs" {f=1}')" = \
      "$(redis-cli -p "$p2" FT.INFO idx | awk 'f {print; exit} $0 == "num_docs" {f=1}')" ] && break
    sleep 0.1
done
"$VM_BIN" query --cluster -p "$p0" --state "$VM_TMP/state" --index idx -k 10 --rate 25 \
    --json "$VM_TMP/q.json" >"$VM_TMP/query.log" 2>&1 &
qf=$!
VM_PIDS+=($qf)
sleep 2
pid=$(redis-cli -p "$p2" INFO server | tr -d '\r' | sed -n 's/^process_id://p')
kill -9 "$pid"
note "master :$p2 killed during the queries; its replica :$rp is elected"
wait "$qf" || { cat "$VM_TMP/query.log"; fail "query across the master's death"; }
cat "$VM_TMP/query.log"
redis-cli -p "$rp" ROLE | head -1 | grep -q master || fail "the replica was not promoted"
python3 - "$VM_TMP/q.json" "$rp" "$p2" <<'PY' || fail "recall or failover report: $(cat "$VM_TMP/q.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["queries"] == 200 and d["errors"] == 0, d  # 100 queries in each of 2 copies
assert d["recall"]["mean"] == 1.0 and d["recall"]["min"] == 1.0, d["recall"]
assert d["masters_changed"] == "", d["masters_changed"]
assert d["seconds"] > 0
assert ("127.0.0.1:%s took over from 127.0.0.1:%s" % (sys.argv[2], sys.argv[3])) in d["failovers"], d["failovers"]
PY
# the wait for the election is a sleep, not a spin
cpu=$(sed -nE 's/^query: client CPU ([0-9.]+) s .*/\1/p' "$VM_TMP/query.log")
secs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$VM_TMP/q.json")
python3 -c "import sys; c, s = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if c < 0.25 * s else 1)" "$cpu" "$secs" \
    || fail "the client used $cpu s of CPU in a $secs s run across the failover (spinning?)"
