#!/usr/bin/env bash
# A master of a 3-master cluster is killed (-9) and restarted on the same
# port while prefill --cluster runs: the engine reconnects with backoff,
# re-sends the commands that had no reply, retries CLUSTERDOWN / LOADING,
# and every vector still ends up exactly once on its slot's master.  The
# servers fsync every write (appendfsync always), so an acknowledged HSET
# survives the kill: losing one would be the tool's fault.
. "$(dirname "$0")/../harness/lib.sh"
start_cluster --appendonly yes --appendfsync always
p0=${CLUSTER_PORTS[0]} p2=${CLUSTER_PORTS[2]}
base=$VM_DATASETS/siftsmall/siftsmall_base.fvecs

"$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8 --rate 2000 \
    >"$VM_TMP/prefill.out" 2>&1 &
pf=$!
sleep 1.5
pid=$(redis-cli -p "$p2" INFO server | tr -d '\r' | sed -n 's/^process_id://p')
[ -n "$pid" ] || fail "no pid for :$p2"
kill -9 "$pid"
note "killed the master on :$p2 (pid $pid)"
sleep 1
dir="$VM_TMP/srv-$p2"
redis-server --port "$p2" --bind 127.0.0.1 --dir "$dir" --save '' --daemonize no \
    --logfile "$dir/server.log" --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout 3000 --appendonly yes --appendfsync always &
VM_PIDS+=($!)
wait_ping "$p2" || fail "restart of :$p2"
note "restarted :$p2"
wait "$pf" || { cat "$VM_TMP/prefill.out"; fail "prefill across the restart"; }
out=$(cat "$VM_TMP/prefill.out")
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary: $out"
rec=$(echo "$out" | sed -n 's/.*faults: \([0-9]*\) reconnects.*/\1/p')
[ "${rec:-0}" -gt 0 ] || fail "no reconnect was counted: $out"
for i in $(seq 1 100); do
    redis-cli -p "$p0" CLUSTER INFO | grep -q 'cluster_state:ok' && break
    sleep 0.1
done
"$VM_CHECK_KEYS" 127.0.0.1 "$p0" "$base" 10000 vec: vector || fail "keys after the restart"
