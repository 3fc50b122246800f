#!/usr/bin/env bash
# A report of a 3-master cluster run: every node in the memory plot and the
# node table, the per-node balance plot, and a balance finding whose shares
# add up.
. "$(dirname "$0")/../harness/lib.sh"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (Debian gnuplot-nox)"
start_cluster
run="$VM_TMP/run"
"$VM_BIN" run default -p "${CLUSTER_PORTS[0]}" --cluster --set "dataset=$VM_DATASETS/siftsmall" \
    --set monitor.interval=200ms --out "$run" >"$VM_TMP/run.log" 2>&1 || { cat "$VM_TMP/run.log"; fail "run"; }
"$VM_BIN" report "$run" >"$VM_TMP/report.txt" || { cat "$VM_TMP/report.txt"; fail "report"; }
grep -q "3 node(s)" "$VM_TMP/report.txt" || fail "report: $(head -3 "$VM_TMP/report.txt")"
[ -s "$run/report/plots/node_balance.png" ] || fail "no node balance plot"
for p in "${CLUSTER_PORTS[@]}"; do
    grep -q "127.0.0.1:$p used_memory" "$run/report/plots/memory_time.gp" || fail "node $p not in the memory plot"
    grep -q "| 127.0.0.1:$p |" "$run/report/summary.md" || fail "node $p not in the node table"
done
line=$(grep "Balance over 3 nodes" "$run/report/summary.md") || fail "no balance finding"
python3 - "$line" <<'PY' || fail "balance shares: $line"
import re, sys
shares = [float(x) for x in re.findall(r"\(([0-9.]+) %\)", sys.argv[1])]
assert len(shares) == 2 and 20 < shares[1] <= shares[0] < 50, shares
PY
