#!/usr/bin/env bash
# SIGKILL of the monitor mid-run leaves CSVs in which every line parses:
# each row is one write(2) on an O_APPEND descriptor.  Killed three times at
# different moments, sampling fast (20 ms) so kills land mid-sample.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
for i in 1 2 3; do
    out="$VM_TMP/kill$i"
    "$VM_BIN" monitor -p "$REDIS_PORT" --interval 20ms --duration 60s --out "$out" 2>/dev/null &
    pid=$!
    # wait for rows, then kill at an odd moment
    for _ in $(seq 1 100); do [ -s "$out/memory_long.csv" ] && break; sleep 0.05; done
    sleep "0.$((RANDOM % 9 + 3))"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    python3 - "$out" <<'PY' || fail "kill $i: a CSV line does not parse"
import csv, sys
out = sys.argv[1]
for name, numeric in (("memory.csv", [1, 6, 7, 8, 10]), ("memory_long.csv", [1, 4])):
    text = open(f"{out}/{name}", newline="").read()
    assert text.endswith("\n"), f"{name}: torn last line {text[-80:]!r}"
    rows = list(csv.reader(text.splitlines()))
    assert len(rows) > 2, f"{name}: only {len(rows)} lines"
    for i, r in enumerate(rows):
        assert len(r) == len(rows[0]), f"{name}:{i+1}: {len(r)} cells"
        if i:
            for c in numeric:
                float(r[c])
print(out, "ok")
PY
done
