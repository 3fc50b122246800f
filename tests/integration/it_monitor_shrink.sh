#!/usr/bin/env bash
# derived.unreturned_bytes against a real grow / shrink: the monitor samples
# redis-server while 60,000 vectors go in (rate-limited, so the way up has
# many points) and half of them are deleted.  For every row after the shrink,
# the CSV's derived.unreturned_bytes must equal used_memory minus the
# used_memory of the way up at the same live count (DBSIZE here), linearly
# interpolated — recomputed independently from the CSV itself.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
out="$VM_TMP/out"
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 100ms --duration 60s --out "$out" --sources info,dbsize \
    2>"$VM_TMP/mon.log" &
mon=$!
sleep 0.5
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall" --expand 5 --state "$VM_TMP/st" \
    --rate 30000 -c 4 >/dev/null 2>&1 || fail "prefill"
sleep 0.5
"$VM_BIN" shrink -p "$REDIS_PORT" --state "$VM_TMP/st" --count 30000 --rate 30000 >/dev/null 2>&1 \
    || fail "shrink"
sleep 0.5
kill -INT "$mon"
wait "$mon" || { cat "$VM_TMP/mon.log"; fail "monitor"; }
python3 - "$out/memory.csv" <<'PY' || fail "derived.unreturned_bytes does not match the way up"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
c = {h: i for i, h in enumerate(rows[0])}
pts, top, after = [], -1.0, []
for r in rows[1:]:
    live, used = float(r[c["dbsize"]]), float(r[c["used_memory"]])
    assert float(r[c["derived.live_vectors"]]) == live
    if live >= top:
        top = live
        if pts and pts[-1][0] == live:
            pts[-1] = (live, used)
        else:
            pts.append((live, used))
        assert float(r[c["derived.unreturned_bytes"]]) == 0
    else:
        after.append((live, used, float(r[c["derived.unreturned_bytes"]])))
assert top == 60000, top
assert len(pts) >= 10, f"only {len(pts)} points on the way up"
assert after and after[-1][0] == 30000, after[-1:] or "no sample after the shrink"
def up(x):
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 <= x < x1:
            return y0 + (x - x0) / (x1 - x0) * (y1 - y0)
    return pts[-1][1] if x >= pts[-1][0] else None
for live, used, got in after:
    want = used - up(live)
    assert abs(got - want) <= 1e-6 * max(1.0, abs(want)), (live, used, got, want)
live, used, got = after[-1]
print(f"30000 live after a shrink from 60000: unreturned {got:.0f} bytes "
      f"(used_memory {used:.0f}, way up {up(live):.0f})")
PY
