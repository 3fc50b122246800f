#!/usr/bin/env bash
# A master SIGKILLed during prefill --cluster, with nobody asking for a
# failover: its replica wins the election only after cluster-node-timeout
# (3 s here) and a vote, seconds after the loss.  The engine keeps reading
# the slot map while the node is down (not once, ~100 ms after the loss,
# when the map still names the dead master), follows it to the promoted
# replica, and every vector ends up on the master that now owns its slot.
. "$(dirname "$0")/../harness/lib.sh"
start_cluster
p0=${CLUSTER_PORTS[0]} p2=${CLUSTER_PORTS[2]}
base=$VM_DATASETS/siftsmall/siftsmall_base.fvecs
add_replica "$p2"
rp=$REPLICA_PORT

"$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8 --rate 2000 \
    >"$VM_TMP/prefill.out" 2>&1 &
pf=$!
VM_PIDS+=($pf)
sleep 1
pid=$(redis-cli -p "$p2" INFO server | tr -d '\r' | sed -n 's/^process_id://p')
kill -9 "$pid"
note "master :$p2 killed; its replica :$rp takes over by election"
wait "$pf" || { cat "$VM_TMP/prefill.out"; fail "prefill across the master's death"; }
out=$(cat "$VM_TMP/prefill.out")
echo "$out"
redis-cli -p "$rp" ROLE | head -1 | grep -q master || fail "the replica was not promoted"
echo "$out" | grep -q '^prefill: 10000 vectors' || fail "summary: $out"
"$VM_CHECK_KEYS" 127.0.0.1 "$p0" "$base" 10000 vec: vector || fail "keys after the failover"
