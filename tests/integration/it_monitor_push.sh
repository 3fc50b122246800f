#!/usr/bin/env bash
# monitor --out DIR --push URL against a real redis-server and a real
# prometheus-pushgateway: both CSVs hold whole rows (every line parses with
# the header's cell count), the units sidecar and summary.json are there,
# the gateway's valkey_memstress_used_memory_bytes for the node equals the
# CSV's last used_memory, credentials given in the URL appear nowhere, and
# --push-delete removes the group at the end.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
start_pushgateway
out="$VM_TMP/out"
secret="s3cr3t-pw-$$"
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 5s --out "$out" \
    --push "http://tester:$secret@127.0.0.1:$PGW_PORT" --run-id it-push >"$VM_TMP/stdout" 2>"$VM_TMP/stderr" \
    || { cat "$VM_TMP/stderr" >&2; fail "monitor failed"; }
for f in memory.csv memory_long.csv memory.units.csv summary.json; do
    [ -s "$out/$f" ] || fail "no $f"
done
python3 - "$out" "$REDIS_PORT" <<'PY' || fail "CSV / JSON checks"
import csv, json, sys
out, port = sys.argv[1], sys.argv[2]
def rows(name):
    with open(f"{out}/{name}", newline="") as f:
        text = f.read()
    assert text.endswith("\n"), f"{name}: last line is not whole"
    r = list(csv.reader(text.splitlines()))
    for i, row in enumerate(r):
        assert len(row) == len(r[0]), f"{name}:{i+1}: {len(row)} cells, header has {len(r[0])}"
    return r
wide = rows("memory.csv")
hdr = wide[0]
assert hdr[:10] == ["time_iso","time_unix_ms","run_id","node","step","phase","live_vectors",
                    "inserted_total","deleted_total","role"], hdr[:10]
assert "used_memory" in hdr
n = len(wide) - 1
assert 20 <= n <= 27, f"{n} samples for 5 s at 200 ms"
col = {h: i for i, h in enumerate(hdr)}
for row in wide[1:]:
    assert row[col["node"]] == f"127.0.0.1:{port}", row[col["node"]]
    assert row[col["run_id"]] == "it-push"
    assert int(row[col["used_memory"]]) > 100000
    int(row[col["time_unix_ms"]])
    float(row[col["jemalloc.allocated"]])  # redis-server is built with jemalloc
    float(row[col["proc.rss_bytes"]])      # local server: RSS from /proc
lng = rows("memory_long.csv")
assert lng[0] == ["time_iso","time_unix_ms","node","metric","value","unit"], lng[0]
metrics = {r[3] for r in lng[1:]}
for m in ("used_memory", "memstats.peak.allocated", "jemalloc.active", "dbsize",
          "used_cpu_sys", "total_commands_processed", "proc.rss_bytes", "tool.live_vectors"):
    assert m in metrics, m
assert len(metrics) > 150, len(metrics)
for r in lng[1:]:
    float(r[4])
units = {r[0]: r[1] for r in rows("memory.units.csv")[1:]}
assert units["used_memory"] == "bytes" and units["mem_fragmentation_ratio"] == "ratio", units
s = json.load(open(f"{out}/summary.json"))
assert s["run_id"] == "it-push" and s["phases"][0]["phase"] == "monitor", s
node = s["nodes"][f"127.0.0.1:{port}"]
assert node["samples"] == n and node["used_memory_bytes"]["peak"] >= node["used_memory_bytes"]["start"]
assert s["push"]["pushes"] >= 1, s["push"]
assert s["server"]["software"] == "redis" and s["server"]["version"], s["server"]
last = wide[-1][col["used_memory"]]
open(f"{out}/last_used_memory", "w").write(last)
PY
# the gateway holds the last sample of the node
metrics=$(curl -fsS "http://127.0.0.1:$PGW_PORT/metrics")
line=$(grep -E "^valkey_memstress_used_memory_bytes\{.*instance=\"127.0.0.1:$REDIS_PORT\"" <<<"$metrics" | grep 'run="it-push"') \
    || fail "gateway has no valkey_memstress_used_memory_bytes for the node"
gw=${line##* }
csv_last=$(cat "$out/last_used_memory")
python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if a==b else 1)" "$gw" "$csv_last" \
    || fail "gateway used_memory $gw != CSV's last $csv_last"
grep -q '^valkey_memstress_live_vectors{' <<<"$metrics" || fail "no live_vectors"
grep -q '^# TYPE valkey_memstress_used_cpu_sys_seconds_total counter' <<<"$metrics" || fail "CPU counter"
grep -q '^# TYPE valkey_memstress_used_memory_bytes gauge' <<<"$metrics" || fail "memory gauge"
# the server measured, as an info metric (no search module on redis-server)
ver=$(redis-cli -p "$REDIS_PORT" INFO server | tr -d '\r' | sed -n 's/^redis_version://p')
grep -E "^valkey_memstress_server_info\{.*run=\"it-push\".*\} 1" <<<"$metrics" \
    | grep "server=\"redis\"" | grep "server_version=\"$ver\"" | grep -q 'search_module=""' \
    || fail "server_info: $(grep server_info <<<"$metrics")"
# no credential anywhere the tool writes
if grep -rq "$secret" "$out" "$VM_TMP/stdout" "$VM_TMP/stderr"; then fail "the push password leaked"; fi
# --push-delete: the group is gone at the end
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 1s --push "http://127.0.0.1:$PGW_PORT" \
    --run-id it-delete --push-delete 2>"$VM_TMP/stderr2" || fail "monitor --push-delete"
grep -q "groups deleted" "$VM_TMP/stderr2" || { cat "$VM_TMP/stderr2"; fail "no delete reported"; }
after=$(curl -fsS "http://127.0.0.1:$PGW_PORT/metrics")
grep -q 'run="it-delete"' <<<"$after" && fail "group not deleted"
exit 0
