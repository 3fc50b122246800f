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
