#!/usr/bin/env bash
# `model` on its own, and `report` comparing the model with the memory real
# valkey-search 1.0.3 measured: a run folder rebuilt from the reference
# transcript ($VM_REFERENCE, 100k x 128-d HNSW M 16: insert, delete half,
# reinsert) — the report must explain the module memory of every phase.
. "$(dirname "$0")/../harness/lib.sh"
ref="${VM_REFERENCE:-$VM_DATASETS/../reference}/valkey-search-1.0.3/05-bench-100k-hnsw-1conn.txt"
[ -f "$ref" ] || skip "reference transcript $ref not found"

# model: a table, JSON, and errors that name the option
"$VM_BIN" model --algorithm HNSW --dim 128 --vectors 100000 --m 16 >"$VM_TMP/model.txt" \
    || fail "model exit"
grep -q "^search module total" "$VM_TMP/model.txt" || fail "model: no module total"
grep -q "^HNSW level 0" "$VM_TMP/model.txt" || fail "model: no level-0 component"
"$VM_BIN" model --release 1.0 --dim 128 --vectors 100000 --json >"$VM_TMP/model.json" \
    || fail "model --json"
measured=$(awk '/phase=after_insert/ {for (i=1;i<=NF;i++) if ($i ~ /^search_used_memory_bytes=/) {sub(/.*=/, "", $i); print $i}}' "$ref")
empty=$(awk '/phase=empty/ {for (i=1;i<=NF;i++) if ($i ~ /^search_used_memory_bytes=/) {sub(/.*=/, "", $i); print $i}}' "$ref")
python3 - "$VM_TMP/model.json" "$measured" "$empty" <<'PY' || fail "model JSON against the reference"
import json, sys
d = json.load(open(sys.argv[1]))
pred = d["module_bytes"] + int(sys.argv[3])
meas = int(sys.argv[2])
names = [c["name"] for c in d["components"]]
assert "vectors" in names and "HNSW upper levels" in names, names
assert d["capacity"] == 102400, d["capacity"]
assert abs(pred - meas) / meas < 0.01, (pred, meas)
assert d["params"]["release"] == "1.0", d["params"]
print("# model %d vs measured %d bytes (%+.2f %%)" % (pred, meas, (pred - meas) / meas * 100))
PY
# the default is the current line, 1.2: against 1.2.1's 10,000 x 128 (keys vec:<id>)
ref12="$VM_DATASETS/../reference/valkey-search-1.2.1/02-deletes-reclaimable.txt"
if [ -f "$ref12" ]; then
    "$VM_BIN" model --dim 128 --vectors 10000 --key-length 8 --json >"$VM_TMP/model12.json" \
        || fail "model 1.2 --json"
    meas12=$(grep -m1 '^search_used_memory_bytes:' "$ref12" | tr -dc 0-9)
    python3 - "$VM_TMP/model12.json" "$meas12" <<'PY' || fail "model 1.2 against 1.2.1"
import json, sys
d = json.load(open(sys.argv[1]))
pred, meas = d["module_bytes"] + 55416, int(sys.argv[2])  # + the module before any index
assert d["params"]["release"] == "1.2", d["params"]
assert abs(pred - meas) / meas < 0.01, (pred, meas)
print("# model 1.2: %d vs measured %d bytes on 1.2.1 (%+.2f %%)" % (pred, meas, (pred - meas) / meas * 100))
PY
fi
set +e
"$VM_BIN" model --vectors 10 2>"$VM_TMP/err1"; rc1=$?
"$VM_BIN" model --dim 8 --vectors 10 --algorithm IVF 2>"$VM_TMP/err2"; rc2=$?
"$VM_BIN" model --dim 8 --vectors 10 --type FLOAT16 2>"$VM_TMP/err3"; rc3=$?
set -e
[ "$rc1" = 2 ] && grep -q -- "--dim" "$VM_TMP/err1" || fail "model without --dim: rc $rc1"
[ "$rc2" = 2 ] && grep -q -- "--algorithm" "$VM_TMP/err2" || fail "model --algorithm IVF: rc $rc2"
[ "$rc3" = 2 ] && grep -q "FLOAT32" "$VM_TMP/err3" || fail "model --type FLOAT16: rc $rc3"

# a run folder from the transcript's snapshots
run="$VM_TMP/ref-run"
mkdir -p "$run"
python3 - "$ref" "$run" <<'PY'
import json, os, re, sys
src, out = sys.argv[1], sys.argv[2]
phase = {"empty": "baseline", "after_create": "create", "after_insert": "insert",
         "after_del_50000": "delete", "after_del_+12s": "delete", "after_del_purge": "delete",
         "after_reinsert_50000_new": "reinsert"}
cols = ["used_memory", "used_memory_rss", "allocator_allocated", "allocator_active",
        "allocator_resident", "mem_fragmentation_ratio", "search_used_memory_bytes"]
t, prev, deleted, rows = 1795272700000, 0, 0, []
for line in open(src):
    if not line.startswith("SNAPSHOT phase="):
        continue
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    live = int(kv["dbsize"])
    deleted += max(0, prev - live)
    prev = live
    t += 10000
    rows.append([str(t), "127.0.0.1:7100", "ref-05", phase[kv["phase"]], str(live), str(deleted)]
                + [kv[c] for c in cols] + [kv["vec_capacity"] if kv["vec_capacity"] != "None" else ""])
with open(os.path.join(out, "memory.csv"), "w") as f:
    f.write("time_unix_ms,node,run_id,phase,live_vectors,deleted_total," + ",".join(cols)
            + ",ft.vector_capacity\n")
    f.writelines(",".join(r) + "\n" for r in rows)
json.dump({"run_id": "ref-05", "scenario": "reference 05-bench",
           "server": {"software": "valkey", "version": "8.1.1", "search_module": "1.0.3"},
           "index": {"algorithm": "HNSW", "dim": 128, "m": 16, "prefix": "vec:"}},
          open(os.path.join(out, "summary.json"), "w"))
PY
"$VM_BIN" report "$run" >"$VM_TMP/report.txt" || { cat "$VM_TMP/report.txt"; fail "report"; }
grep -q "^model .*explained" "$VM_TMP/report.txt" || fail "report printed no model line"
md="$run/report/summary.md"
grep -q "after deleting 50 % of the vectors (100,000 -> 50,000), search memory fell 3\." "$md" \
    || fail "no deletion finding"
[ -s "$run/report/plots/model_vs_measured.png" ] || fail "no model plot"
# every phase end with vectors: explained within 99-101 %, capacity as FT.INFO
python3 - "$md" <<'PY' || fail "model table"
import re, sys
rows = [l for l in open(sys.argv[1]) if re.match(r"\| (insert|delete|reinsert) \|", l)]
model = [r for r in rows if "%" in r and "/" in r]
assert len(model) >= 3, model
for r in model:
    cells = [c.strip() for c in r.strip().strip("|").split("|")]
    explained = float(cells[6].split()[0])
    assert 99.0 <= explained <= 101.0, r
    cap_model, cap_meas = [c.strip() for c in cells[10].split("/")]
    assert cap_model == cap_meas, r
print("# %d phase ends explained within 1 %%" % len(model))
PY
