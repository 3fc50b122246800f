#!/usr/bin/env bash
# Against valkey-search: the monitor reads the module's INFO fields and
# FT.INFO per index — after loading 10,000 vectors into an HNSW index the
# CSV shows ft.num_docs = 10000 and search_used_memory_bytes > 0, the long
# file has the index's vector capacity, and bytes per vector are derived.
. "$(dirname "$0")/../harness/lib.sh"
start_valkey_search
"$VM_BIN" prefill -p "$VS_PORT" --dataset "$VM_DATASETS/siftsmall" --index idx --algorithm HNSW \
    --m 16 --ef-construction 100 --metric L2 -c 4 >/dev/null 2>&1 || fail "prefill"
out="$VM_TMP/out"
"$VM_BIN" monitor -p "$VS_PORT" --interval 200ms --duration 1s --out "$out" 2>"$VM_TMP/stderr" \
    || { cat "$VM_TMP/stderr"; fail "monitor"; }
grep -q "FT.INFO" "$VM_TMP/stderr" && { cat "$VM_TMP/stderr"; fail "FT.INFO reported unsupported"; }
python3 - "$out" <<'PY' || fail "search fields"
import csv, sys
out = sys.argv[1]
rows = list(csv.reader(open(f"{out}/memory.csv", newline="")))
col = {h: i for i, h in enumerate(rows[0])}
last = rows[-1]
assert float(last[col["ft.num_docs"]]) == 10000, last[col["ft.num_docs"]]
assert float(last[col["search_used_memory_bytes"]]) > 1e6
assert float(last[col["ft.vector_capacity"]]) >= 10000
bpv = float(last[col["derived.search_memory_per_vector_bytes"]])
assert 500 < bpv < 10000, bpv
metrics = {r[3] for r in csv.reader(open(f"{out}/memory_long.csv", newline=""))}
assert "ft.idx.vector.capacity" in metrics, sorted(m for m in metrics if m.startswith("ft."))
assert "ft.idx.state_ready" in metrics
PY
