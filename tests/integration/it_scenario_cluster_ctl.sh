#!/usr/bin/env bash
# A scenario on a real 3-master cluster asks the cluster, not the node it
# was pointed at: config_set reaches every node (and each node gets its own
# value back, also from a resumed run's checkpoint), a checkpoint's
# used_memory is the sum over the masters, and prefill's skip_if_present
# counts the keys of all masters.
. "$(dirname "$0")/../harness/lib.sh"
start_cluster
P=${CLUSTER_PORTS[0]}
cat >"$VM_TMP/ctl.yaml" <<Y
name: cluster-ctl
dataset: $VM_DATASETS/siftsmall
limit: 3000
monitor: {interval: 200ms}
steps:
  - prefill: {}
  - config_set: {maxmemory-samples: 7}
  - checkpoint: {label: filled}
  - wait: {duration: 4s}
Y
# the nodes start with values of their own (3, 4, 5): each gets its own back
v=3
for p in "${CLUSTER_PORTS[@]}"; do
    redis-cli -p "$p" CONFIG SET maxmemory-samples "$v" >/dev/null
    v=$((v + 1))
done
"$VM_BIN" run "$VM_TMP/ctl.yaml" --cluster -p "$P" --out "$VM_TMP/a" >"$VM_TMP/log" 2>&1 &
pid=$!
# while the scenario waits, every node has the new value (each node is
# remembered once seen with it)
seen=
for _ in $(seq 1 200); do
    for p in "${CLUSTER_PORTS[@]}"; do
        case " $seen " in *" $p "*) continue ;; esac
        [ "$(redis-cli -p "$p" CONFIG GET maxmemory-samples | tail -1)" = 7 ] && seen="$seen $p"
    done
    [ "$(echo $seen | wc -w)" = "${#CLUSTER_PORTS[@]}" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
wait "$pid" || { cat "$VM_TMP/log"; fail "scenario failed"; }
[ "$(echo $seen | wc -w)" = "${#CLUSTER_PORTS[@]}" ] ||
    fail "config_set reached only:$seen (of ${CLUSTER_PORTS[*]})"
restored() {
    local p v=3
    for p in "${CLUSTER_PORTS[@]}"; do
        assert_eq "$(redis-cli -p "$p" CONFIG GET maxmemory-samples | tail -1)" "$v" \
            "maxmemory-samples restored on $p $1"
        v=$((v + 1))
    done
}
restored "at the end"
# the checkpoint keeps each node's value; a resumed run gives them back too
for p in "${CLUSTER_PORTS[@]}"; do redis-cli -p "$p" CONFIG SET maxmemory-samples 9 >/dev/null; done
"$VM_BIN" run --resume "$VM_TMP/a" --cluster -p "$P" >"$VM_TMP/log-r" 2>&1 ||
    { cat "$VM_TMP/log-r"; fail "resumed scenario failed"; }
restored "by the resumed run"
# the checkpoint's used_memory is the masters' sum: well above one node's
used=$(awk -F, '$2 == "filled" {print $5}' "$VM_TMP/a/checkpoints.csv")
[ -n "$used" ] || fail "no checkpoint row: $(cat "$VM_TMP/a/checkpoints.csv")"
sum=0; top=0
for p in "${CLUSTER_PORTS[@]}"; do
    m=$(redis-cli -p "$p" INFO memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}')
    sum=$((sum + m)); [ "$m" -gt "$top" ] && top=$m
done
python3 - "$used" "$sum" "$top" <<'PY' || fail "checkpoint used_memory $used vs masters' sum $sum (largest node $top)"
import sys
used, total, top = map(float, sys.argv[1:])
# the same sum up to what changed since (a few percent), and not one node's
sys.exit(0 if abs(used - total) <= 0.1 * total and used > 1.5 * top else 1)
PY
# a second run finds all 3000 vectors over the masters and skips the prefill
cat >"$VM_TMP/skip.yaml" <<Y
name: cluster-skip
dataset: $VM_DATASETS/siftsmall
limit: 3000
steps:
  - prefill: {skip_if_present: true}
Y
"$VM_BIN" run "$VM_TMP/skip.yaml" --cluster -p "$P" --out "$VM_TMP/b" >"$VM_TMP/log2" 2>&1 ||
    { cat "$VM_TMP/log2"; fail "second scenario failed"; }
grep -q "prefill skipped: the server already holds 3000 of the 3000 vectors" "$VM_TMP/log2" ||
    fail "skip_if_present did not count the cluster: $(grep -i prefill "$VM_TMP/log2" | head -3)"
