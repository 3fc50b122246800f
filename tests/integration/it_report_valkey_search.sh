#!/usr/bin/env bash
# On real valkey-search: `run default` (siftsmall, HNSW M 16) and `report`;
# the model's prediction of the module memory at the end of the run is
# compared with the measured search_used_memory_bytes and must explain it
# within 5 % (the model is within 1 % of the 100k reference; 10k vectors
# weigh the index's fixed 4.8 MB more, and a newer module may differ).
. "$(dirname "$0")/../harness/lib.sh"
start_valkey_search
command -v gnuplot >/dev/null || skip "gnuplot is not installed (Debian gnuplot-nox)"
run="$VM_TMP/run"
"$VM_BIN" run default -p "$VS_PORT" --set "dataset=$VM_DATASETS/siftsmall" \
    --set monitor.interval=200ms --out "$run" >"$VM_TMP/run.log" 2>&1 || { cat "$VM_TMP/run.log"; fail "run"; }
"$VM_BIN" report "$run" >"$VM_TMP/report.txt" || { cat "$VM_TMP/report.txt"; fail "report"; }
cat "$VM_TMP/report.txt"
line=$(grep "^model " "$VM_TMP/report.txt") || fail "no model comparison (was search_used_memory_bytes sampled?)"
pct=$(echo "$line" | sed -E 's/.*\(([0-9.]+) % explained\).*/\1/')
python3 -c "import sys; p=float(sys.argv[1]); sys.exit(0 if 95 <= p <= 105 else 1)" "$pct" \
    || fail "the model explains $pct % of the measured module memory"
for f in memory_time memory_vs_live bytes_per_vector model_vs_measured; do
    [ -s "$run/report/plots/$f.png" ] || fail "no $f plot"
done
grep -q "search module" "$run/report/summary.md" || fail "summary.md has no search module figures"
# summary.json names what was measured, as MODULE LIST and INFO server say
ver=$(redis-cli -p "$VS_PORT" MODULE LIST | awk 'f {print; exit} $0 == "ver" {f=1}')
python3 - "$run/summary.json" "$ver" <<'PY' || fail "summary.json server: $(grep '"server"' "$run/summary.json")"
import json, sys
s = json.load(open(sys.argv[1]))["server"]
v = int(sys.argv[2])
assert s["software"] == "valkey" and s["version"], s
# 1.0.x: decimal (10003); from 1.1.0: major<<16 | minor<<8 | patch (66049 = 1.2.1)
want = ("%d.%d.%d" % (v >> 16, (v >> 8) & 255, v & 255) if v >= 65536
        else "%d.%d.%d" % (v // 10000, v // 100 % 100, v % 100))
assert s["search_module"] == want, (s, v)
print("# module ver %d = %s" % (v, want))
PY
grep -q "server.search_module" "$run/report/summary.md" || fail "the report does not show the module version"
