#!/usr/bin/env bash
# A replica takes over its master (CLUSTER FAILOVER) while prefill --cluster
# runs, then the old master goes away for good (killed): the engine follows
# the MOVED answers and the refreshed map to the new master, stops talking to
# the dead node instead of waiting for it, and every vector ends up exactly
# once on the master that now owns its slot.
. "$(dirname "$0")/../harness/lib.sh"
start_cluster
p0=${CLUSTER_PORTS[0]} p2=${CLUSTER_PORTS[2]}
base=$VM_DATASETS/siftsmall/siftsmall_base.fvecs
add_replica "$p2"
rp=$REPLICA_PORT

"$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8 --rate 2500 \
    >"$VM_TMP/prefill.out" 2>&1 &
pf=$!
sleep 1
redis-cli -p "$rp" CLUSTER FAILOVER | grep -q OK || fail "CLUSTER FAILOVER"
for i in $(seq 1 100); do
    redis-cli -p "$rp" ROLE | head -1 | grep -q master && break
    sleep 0.1
done
redis-cli -p "$rp" ROLE | head -1 | grep -q master || fail "the replica was not promoted"
note "failover done: :$rp is master"
sleep 0.5
pid=$(redis-cli -p "$p2" INFO server | tr -d '\r' | sed -n 's/^process_id://p')
kill -9 "$pid"
note "old master :$p2 killed"
wait "$pf" || { cat "$VM_TMP/prefill.out"; fail "prefill across the failover"; }
out=$(cat "$VM_TMP/prefill.out")
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary: $out"
"$VM_CHECK_KEYS" 127.0.0.1 "$p0" "$base" 10000 vec: vector || fail "keys after the failover"
