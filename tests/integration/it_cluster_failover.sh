#!/usr/bin/env bash
# A master of a 3-master cluster with one replica goes away while
# prefill --cluster runs, and every vector ends up exactly once on the
# master that now owns its slot.  Two ways (FAILOVER_MODE):
#  * manual (this test): the replica takes over (CLUSTER FAILOVER), then the
#    old master is killed: the engine follows the MOVED answers and the
#    refreshed map, and stops talking to the dead node;
#  * election (it_cluster_failover_kill): the master is SIGKILLed with nobody
#    asking; its replica wins the election only after cluster-node-timeout
#    (3 s) and a vote.  The engine keeps reading the map while the node is
#    down (it used to read it once, ~100 ms after the loss, when the map
#    still named the dead master, then retried that address for 60 s).
. "$(dirname "$0")/../harness/lib.sh"
mode=${FAILOVER_MODE:-manual}
start_cluster
p0=${CLUSTER_PORTS[0]} p2=${CLUSTER_PORTS[2]}
base=$VM_DATASETS/siftsmall/siftsmall_base.fvecs
add_replica "$p2"
rp=$REPLICA_PORT
"$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8 --rate 2500 \
    >"$VM_TMP/prefill.out" 2>&1 &
pf=$!
VM_PIDS+=($pf)
sleep 1
if [ "$mode" = manual ]; then
    redis-cli -p "$rp" CLUSTER FAILOVER | grep -q OK || fail "CLUSTER FAILOVER"
    for i in $(seq 1 100); do
        redis-cli -p "$rp" ROLE | head -1 | grep -q master && break
        sleep 0.1
    done
    redis-cli -p "$rp" ROLE | head -1 | grep -q master || fail "the replica was not promoted"
    note "failover done: :$rp is master"
    sleep 0.5
fi
pid=$(redis-cli -p "$p2" INFO server | tr -d '\r' | sed -n 's/^process_id://p')
kill -9 "$pid"
note "master :$p2 killed ($mode failover)"
wait "$pf" || { cat "$VM_TMP/prefill.out"; fail "prefill across the failover ($mode)"; }
out=$(cat "$VM_TMP/prefill.out")
echo "$out"
redis-cli -p "$rp" ROLE | head -1 | grep -q master || fail "the replica was not promoted"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary: $out"
"$VM_CHECK_KEYS" 127.0.0.1 "$p0" "$base" 10000 vec: vector || fail "keys after the failover"
