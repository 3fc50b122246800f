#!/usr/bin/env bash
# prefill --cluster on a real 3-master cluster: every siftsmall vector ends up
# exactly once, byte for byte, on the master that owns its key's slot —
# (1) on a stable cluster, (2) with one slot half-migrated (MIGRATING /
# IMPORTING) so that its keys are only reachable through ASK, (3) while
# `redis-cli --cluster reshard` moves 3000 slots during the load (MOVED).
# Checked by vm_check_keys (hiredis, CLUSTER KEYSLOT from the server).
. "$(dirname "$0")/../harness/lib.sh"
start_cluster
p0=${CLUSTER_PORTS[0]} p1=${CLUSTER_PORTS[1]} p2=${CLUSTER_PORTS[2]}
base=$VM_DATASETS/siftsmall/siftsmall_base.fvecs
check() { "$VM_CHECK_KEYS" 127.0.0.1 "$p0" "$base" 10000 vec: vector || fail "$1: keys"; }
flush() { local p; for p in "${CLUSTER_PORTS[@]}"; do redis-cli -p "$p" FLUSHALL >/dev/null; done; }

# (1) stable cluster, seed = the second node
srv_cpu() { # INFO cpu used_cpu_sys + used_cpu_user, summed over the nodes
    local p t=0
    for p in "${CLUSTER_PORTS[@]}"; do
        t=$(redis-cli -p "$p" INFO cpu | awk -F: -v t="$t" '/^used_cpu_(sys|user):/{t+=$2} END{print t}')
    done
    echo "$t"
}
c0=$(srv_cpu)
out=$("$VM_BIN" prefill --cluster -h 127.0.0.1 -p "$p1" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8)
c1=$(srv_cpu)
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary: $out"
check stable
# the servers' CPU is the masters' sum: within what all three spent around
# the run, and well above one master's share of it
# (the per-million figure has the digits: 10,000 vectors = 1/100 of a million)
rep=$(echo "$out" | sed -n 's/^prefill: server CPU [0-9.]* s (INFO used_cpu_sys + used_cpu_user, summed over the masters), \([0-9.]*\) s per million vectors$/\1/p')
[ -n "$rep" ] || fail "no server CPU line summed over the masters: $out"
python3 -c "import sys; r, a = float('$rep') / 100, float('$c1') - float('$c0'); print('server CPU', r, 'of', a); sys.exit(0 if 0.5 * a <= r <= a + 0.002 else 1)" ||
    fail "server CPU $rep s, the three nodes spent $c0 -> $c1 s around the run"

# (2) one slot half-migrated: new keys of that slot are answered with ASK
flush
slot=$(redis-cli -p "$p0" CLUSTER KEYSLOT vec:0)
src='' dst=''
for p in "${CLUSTER_PORTS[@]}"; do
    if redis-cli -p "$p" GET vec:0 | grep -q MOVED; then dst=${dst:-$p}; else src=$p; fi
done
[ -n "$src" ] && [ -n "$dst" ] || fail "cannot find the owner of slot $slot"
src_id=$(redis-cli -p "$src" CLUSTER MYID) dst_id=$(redis-cli -p "$dst" CLUSTER MYID)
redis-cli -p "$dst" CLUSTER SETSLOT "$slot" IMPORTING "$src_id" | grep -q OK || fail "IMPORTING"
redis-cli -p "$src" CLUSTER SETSLOT "$slot" MIGRATING "$dst_id" | grep -q OK || fail "MIGRATING"
out=$("$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 2 -P 4)
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary (ASK): $out"
asks=$(echo "$out" | sed -n 's/.* MOVED and \([0-9]*\) ASK followed.*/\1/p')
[ "${asks:-0}" -gt 0 ] || fail "no ASK was followed: $out"
# keys of the slot were written to the importing node only
[ "$(redis-cli -p "$src" CLUSTER COUNTKEYSINSLOT "$slot")" = 0 ] || fail "keys left on the migrating node"
[ "$(redis-cli -p "$dst" CLUSTER COUNTKEYSINSLOT "$slot")" -gt 0 ] || fail "nothing on the importing node"
for p in "${CLUSTER_PORTS[@]}"; do redis-cli -p "$p" CLUSTER SETSLOT "$slot" NODE "$dst_id" >/dev/null; done
for i in $(seq 1 50); do
    [ "$(redis-cli -p "$p2" CLUSTER COUNTKEYSINSLOT "$slot" 2>&1)" != "" ] && break; sleep 0.1
done
check ask

# (3) reshard 3000 slots from the first master to the second while loading
flush
id0=$(redis-cli -p "$p0" CLUSTER MYID) id1=$(redis-cli -p "$p1" CLUSTER MYID)
"$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8 --rate 2500 \
    >"$VM_TMP/prefill.out" 2>&1 &
pf=$!
sleep 0.5
redis-cli --cluster reshard "127.0.0.1:$p0" --cluster-from "$id0" --cluster-to "$id1" \
    --cluster-slots 3000 --cluster-yes --cluster-pipeline 5 >"$VM_TMP/reshard.log" 2>&1 ||
    { tail "$VM_TMP/reshard.log"; fail "reshard"; }
kill -0 "$pf" 2>/dev/null || note "warning: the prefill ended before the reshard did"
wait "$pf" || { cat "$VM_TMP/prefill.out"; fail "prefill during reshard"; }
out=$(cat "$VM_TMP/prefill.out")
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary (reshard): $out"
moved=$(echo "$out" | sed -n 's/.*nodes, \([0-9]*\) MOVED.*/\1/p')
[ "${moved:-0}" -gt 0 ] || fail "no MOVED was followed during the reshard: $out"
check reshard

# (4) a per-node rate bounds the whole run: 3 nodes x 300/s for 1 s
flush
out=$("$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 2 -P 4 \
    --rate-per-node 300 --test-time 1s)
echo "$out"
n=$(echo "$out" | sed -n 's/^prefill: \([0-9]*\) vectors.*/\1/p')
[ "${n:-0}" -gt 0 ] && [ "$n" -lt 3000 ] || fail "--rate-per-node 300 for 1 s wrote $n vectors"
total=0
for p in "${CLUSTER_PORTS[@]}"; do total=$((total + $(redis-cli -p "$p" DBSIZE))); done
assert_eq "$total" "$n" "keys in the cluster after a per-node-paced run"

# (5) a replica that has gone away (killed, still in the cluster's map) does
# not stop a prefill — not the load, not the index step that asks every node
flush
start_server redis-server --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout 3000
pr=$SERVER_PORT rpid=${VM_PIDS[-1]}
redis-cli --cluster add-node "127.0.0.1:$pr" "127.0.0.1:$p0" --cluster-slave \
    --cluster-master-id "$(redis-cli -p "$p0" CLUSTER MYID)" >"$VM_TMP/add-node.log" 2>&1 ||
    { cat "$VM_TMP/add-node.log"; fail "add a replica"; }
joined() { # listed by the seed, and a replica by its own account
    redis-cli -p "$p0" CLUSTER SHARDS | grep -qx "$pr" &&
        [ "$(redis-cli -p "$pr" ROLE | head -1)" = slave ]
}
for i in $(seq 1 100); do
    joined && break
    sleep 0.1
done
joined || fail "the replica on $pr never joined"
kill -9 "$rpid"
out=$("$VM_BIN" prefill --cluster -p "$p0" --dataset "$VM_DATASETS/siftsmall" -c 2 -P 8 \
    --index idx 2>&1) || { echo "$out"; fail "prefill with a replica gone"; }
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary (replica gone): $out"
check "replica gone"
# ...nor a scenario's config_set, which says it left that node out
cat >"$VM_TMP/cfg.yaml" <<Y
name: cfg
dataset: $VM_DATASETS/siftsmall
limit: 100
steps:
  - config_set: {maxmemory-samples: 7}
Y
"$VM_BIN" run "$VM_TMP/cfg.yaml" --cluster -p "$p0" --out "$VM_TMP/cfg" >"$VM_TMP/cfg.log" 2>&1 ||
    { cat "$VM_TMP/cfg.log"; fail "config_set with a replica gone"; }
grep -q "maxmemory-samples = 7 on every node but 1 failed or unreachable one without slots" \
    "$VM_TMP/cfg.log" || fail "config_set did not say it left the replica out: $(cat "$VM_TMP/cfg.log")"
