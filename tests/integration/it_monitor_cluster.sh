#!/usr/bin/env bash
# monitor --cluster samples every node of a 3-master cluster (found from the
# topology, not from -p): each node's port is in the CSV's node column, as a
# master, with its own used_memory.
. "$(dirname "$0")/../harness/lib.sh"
start_cluster
out="$VM_TMP/out"
"$VM_BIN" monitor --cluster -p "${CLUSTER_PORTS[0]}" --interval 200ms --duration 2s --out "$out" \
    2>"$VM_TMP/stderr" || { cat "$VM_TMP/stderr" >&2; fail "monitor --cluster"; }
python3 - "$out" "${CLUSTER_PORTS[@]}" <<'PY' || fail "not every node sampled"
import csv, sys
out, ports = sys.argv[1], sys.argv[2:]
rows = list(csv.reader(open(f"{out}/memory.csv", newline="")))
col = {h: i for i, h in enumerate(rows[0])}
seen = {}
for r in rows[1:]:
    assert len(r) == len(rows[0])
    seen.setdefault(r[col["node"]], []).append(r)
for p in ports:
    node = f"127.0.0.1:{p}"
    assert node in seen, f"{node} missing; saw {sorted(seen)}"
    assert len(seen[node]) >= 5, f"{node}: {len(seen[node])} samples"
    assert all(r[col["role"]] == "master" for r in seen[node])
    assert int(seen[node][-1][col["used_memory"]]) > 100000
assert len(seen) == len(ports), sorted(seen)
PY

# A replica added while the monitor runs is found at the next topology
# refresh and sampled as a replica.
out2="$VM_TMP/out2"
"$VM_BIN" monitor --cluster -p "${CLUSTER_PORTS[1]}" --interval 200ms --duration 8s \
    --topology-refresh 300ms --out "$out2" 2>"$VM_TMP/stderr2" &
mon=$!
sleep 1
start_server redis-server --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 3000
replica=$SERVER_PORT
redis-cli --cluster add-node "127.0.0.1:$replica" "127.0.0.1:${CLUSTER_PORTS[0]}" --cluster-slave \
    >"$VM_TMP/add-node.log" 2>&1 || { cat "$VM_TMP/add-node.log"; fail "add-node"; }
for _ in $(seq 1 100); do
    redis-cli -p "$replica" ROLE 2>/dev/null | head -1 | grep -q slave && break
    sleep 0.1
done
wait "$mon" || { cat "$VM_TMP/stderr2"; fail "monitor with a joining replica"; }
# add-node makes it a master first, then a replica: the role follows
grep -q "127.0.0.1:$replica (.*) joined" "$VM_TMP/stderr2" || { cat "$VM_TMP/stderr2"; fail "no join notice"; }
python3 - "$out2" "$replica" <<'PY' || fail "the replica was not sampled"
import csv, sys
out, rport = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(f"{out}/memory.csv", newline="")))
col = {h: i for i, h in enumerate(rows[0])}
mine = [r for r in rows[1:] if r[col["node"]] == f"127.0.0.1:{rport}"]
assert len(mine) >= 5, f"{len(mine)} samples of the replica"
assert all(r[col["role"]] == "replica" for r in mine[-3:]), [r[col["role"]] for r in mine]
assert len({r[col["node"]] for r in rows[1:]}) == 4
PY

# A cluster node given without --cluster: the whole cluster is sampled.
"$VM_BIN" monitor -p "${CLUSTER_PORTS[2]}" --interval 200ms --duration 600ms --csv "$VM_TMP/auto.csv" \
    2>"$VM_TMP/stderr3" || fail "monitor without --cluster"
n=$(tail -n +2 "$VM_TMP/auto.csv" | cut -d, -f4 | sort -u | wc -l)
[ "$n" = 4 ] || { cat "$VM_TMP/stderr3"; fail "without --cluster: $n nodes sampled, expected 4"; }

# A node that dies mid-run does not stop the monitor: the others go on.
"$VM_BIN" monitor --cluster -p "${CLUSTER_PORTS[0]}" --interval 200ms --duration 3s \
    --csv "$VM_TMP/kill.csv" 2>"$VM_TMP/stderr4" &
mon=$!
sleep 1
t_kill=$(($(date +%s%3N)))
redis-cli -p "${CLUSTER_PORTS[2]}" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
wait "$mon" || { cat "$VM_TMP/stderr4"; fail "the monitor failed when a node died"; }
grep -q "127.0.0.1:${CLUSTER_PORTS[2]}" "$VM_TMP/stderr4" || { cat "$VM_TMP/stderr4"; fail "the lost node was not reported"; }
after=$(awk -F, -v t="$t_kill" -v n="127.0.0.1:${CLUSTER_PORTS[0]}" 'NR > 1 && $2 > t + 500 && $4 == n' "$VM_TMP/kill.csv" | wc -l)
[ "$after" -ge 3 ] || fail "only $after samples of a live node after the kill"
