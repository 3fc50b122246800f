#!/usr/bin/env bash
# A server frozen (SIGSTOP) for 30 s while `monitor` samples it: the monitor
# says the node stopped answering, reconnects, and after the thaw samples
# every source it sampled before — DBSIZE, MEMORY STATS and the jemalloc
# statistics — instead of calling them unsupported.  (A request that timed
# out used to stay on the connection, and its late reply was read as the
# next command's.)
. "$(dirname "$0")/../harness/lib.sh"
start_redis
pid=${VM_PIDS[-1]}
out="$VM_TMP/mon"
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 1s --duration 48s --out "$out" >"$VM_TMP/log" 2>&1 &
mpid=$!
VM_PIDS+=($mpid)
sleep 3
kill -STOP "$pid"
sleep 30
thaw=$(($(date +%s%3N)))
kill -CONT "$pid"
wait "$mpid" || { cat "$VM_TMP/log"; fail "monitor failed"; }
cat "$VM_TMP/log"
grep -q "no reply" "$VM_TMP/log" || fail "the freeze was not noticed"
grep -q "does not support DBSIZE\|does not support MEMORY STATS\|does not support jemalloc" "$VM_TMP/log" \
    && fail "a stalled source was taken for an unsupported one"
python3 - "$out/memory_long.csv" "$thaw" <<'PY' || fail "a source was not sampled after the freeze"
import csv, sys
thaw = int(sys.argv[2])
before, after = {}, {}
for row in csv.DictReader(open(sys.argv[1])):
    src = row["metric"].split(".")[0]
    if row["metric"] == "dbsize":
        src = "dbsize"
    t = int(row["time_unix_ms"])
    d = after if t > thaw + 500 else before
    d[src] = d.get(src, 0) + 1
for src in ("dbsize", "memstats", "jemalloc", "used_memory"):
    assert before.get(src), (src, "not sampled before the freeze", sorted(before))
    assert after.get(src, 0) >= 5, (src, "sampled", after.get(src, 0), "times after the thaw")
PY
