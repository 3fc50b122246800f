#!/usr/bin/env bash
# valkey-search on a real 3-master cluster WITHOUT its coordinator: each
# shard keeps its own index and answers FT.SEARCH from its own keys
# (../shared/reference 06c).  prefill --index creates the index on every
# master, and query sends each KNN to every master and merges the answers:
# a FLAT index gives recall@10 = 1.0 in every copy, as on one server — also
# when the slot map changes while the queries run.
. "$(dirname "$0")/../harness/lib.sh"
start_valkey_search_cluster
P=${CLUSTER_PORTS[0]}
st="$VM_TMP/st"
prefill_search_cluster "$st"
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
assert_exact_recall "$VM_TMP/q.json" 3

# The slot map changing under a fanned-out query run: a slot that routed
# one master's part (it holds no key, so it can be moved by CLUSTER SETSLOT)
# moves to another master, and the engine re-reads the map after its
# connections are killed.  Each part still reaches its own master (they are
# sent by address, not by slot): every query still merges all three shards.
# (Routed by slot, two parts went to one master after the change: recall
# read 0.75 with no error.)
read -r X F Y < <(python3 - "${CLUSTER_PORTS[@]}" <<'PY'
import subprocess, sys
ports = sys.argv[1:]
def cli(p, *a):
    return subprocess.run(["redis-cli", "-p", p, *a], capture_output=True, text=True).stdout
first = {}
for p in ports:
    me = [l for l in cli(p, "CLUSTER", "NODES").splitlines() if "myself" in l][0].split()
    first[p] = min(int(r.split("-")[0]) for r in me[8:] if r[0].isdigit())
for p in ports:
    if cli(p, "CLUSTER", "COUNTKEYSINSLOT", str(first[p])).strip() == "0":
        print(p, first[p], [q for q in ports if q != p][0])
        break
PY
)
[ -n "$X" ] || fail "no master's first slot is empty"
# query_while N PORT [kill]: a rate-limited query run (q$N.json, query$N.log: 4 s,
# long enough that the change lands inside it on a loaded machine)
# during which the empty slot F moves to the master at PORT; with kill, every
# client connection is then killed, so that the engine re-reads the map
query_while() {
    local n=$1 to=$2 id p qp
    "$VM_BIN" query --cluster -p "$P" --state "$st" -k 10 --queries 50 --rate 25 \
        --json "$VM_TMP/q$n.json" >"$VM_TMP/query$n.log" 2>&1 &
    qp=$!
    sleep 1
    id=$(redis-cli -p "$to" CLUSTER MYID)
    for p in "$to" "${CLUSTER_PORTS[@]}"; do redis-cli -p "$p" CLUSTER SETSLOT "$F" NODE "$id" >/dev/null; done
    if [ "${3:-}" = kill ]; then
        for p in "${CLUSTER_PORTS[@]}"; do redis-cli -p "$p" CLIENT KILL TYPE normal >/dev/null; done
    fi
    wait "$qp" || { cat "$VM_TMP/query$n.log"; return 1; }
}
query_while 2 "$Y" kill || fail "query while the map changed"
cat "$VM_TMP/query2.log"
grep -Eq "[1-9][0-9]* map refreshes" "$VM_TMP/query2.log" || fail "the engine never re-read the map: $(cat "$VM_TMP/query2.log")"
python3 - "$VM_TMP/q2.json" <<'PY' || fail "recall after the map changed: $(cat "$VM_TMP/q2.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["queries"] == 100 and d["errors"] == 0, d
assert d["recall"]["mean"] == 1.0 and d["recall"]["min"] == 1.0, d["recall"]
PY

# A master joining while the queries run: the parts are pinned to the masters
# of the start, so the new one is never asked.  Its slot holds no key here
# (recall stays 1.0), but query has to say that the masters changed and
# which one joined: with keys moved onto it, recall would read low.
start_server "$VALKEY_SERVER" --loadmodule "$VALKEY_SEARCH_MODULE" --cluster-enabled yes \
    --cluster-config-file "nodes.conf" --cluster-node-timeout 3000
D=$SERVER_PORT
redis-cli -p "$P" CLUSTER MEET 127.0.0.1 "$D" >/dev/null
for i in $(seq 1 100); do
    known=0
    for p in "${CLUSTER_PORTS[@]}"; do
        redis-cli -p "$p" CLUSTER NODES | grep -q ":$D@" && known=$((known + 1))
    done
    [ "$known" = 3 ] && break
    sleep 0.1
done
[ "$known" = 3 ] || fail "the new node at $D did not join"
query_while 3 "$D" || fail "query while a master joined"
grep -q "warning: the masters changed during the queries (127.0.0.1:$D joined)" "$VM_TMP/query3.log" ||
    fail "no warning for the master that joined: $(cat "$VM_TMP/query3.log")"
python3 - "$VM_TMP/q3.json" "$D" <<'PY' || fail "after a master joined: $(cat "$VM_TMP/q3.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["queries"] == 100 and d["errors"] == 0 and d["shards_merged"] == 3, d
assert d["masters_changed"] == "127.0.0.1:%s joined" % sys.argv[2], d["masters_changed"]
assert d["recall"]["mean"] == 1.0, d["recall"]
PY
