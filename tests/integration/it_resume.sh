#!/usr/bin/env bash
# A prefill killed with SIGKILL half-way and resumed with run --resume ends
# with exactly the expected key set, each key holding its vector; Ctrl-C
# (SIGINT) finishes in-flight work, writes checkpoint and summary, and the
# resumed run completes too.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
P=$REDIS_PORT
cat >"$VM_TMP/load.yaml" <<Y
name: load
dataset: $VM_DATASETS/siftsmall
monitor: {interval: 200ms}
steps:
  - prefill: {copies: 1, rate: 4000}
  - shrink: {fraction: 0.25, seed: 3}
Y
out="$VM_TMP/run"
"$VM_BIN" run "$VM_TMP/load.yaml" -p "$P" --out "$out" >"$VM_TMP/log1" 2>&1 &
pid=$!
VM_PIDS+=($pid)
for _ in $(seq 1 100); do   # until a good part is in, then kill hard
    n=$(redis-cli -p "$P" DBSIZE)
    [ "$n" -ge 6000 ] && break
    sleep 0.1
done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
n=$(redis-cli -p "$P" DBSIZE)
[ "$n" -gt 0 ] && [ "$n" -lt 20000 ] || fail "the kill did not land half-way ($n keys)"
note "killed at $n keys"
cp "$out/memory.csv" "$VM_TMP/wide_before"; cp "$out/memory_long.csv" "$VM_TMP/long_before"
"$VM_BIN" run --resume "$out" -p "$P" >"$VM_TMP/log2" 2>&1 || { cat "$VM_TMP/log2"; fail "resume"; }
grep -q "2 of 2 steps" "$VM_TMP/log2" || fail "resume did not finish: $(tail -3 "$VM_TMP/log2")"
# the shrink deletes each vector whose seeded draw is under 0.25: 15000 +- 4 sd left
left=$(redis-cli -p "$P" DBSIZE)
[ "$left" -gt 14760 ] && [ "$left" -lt 15240 ] || fail "keys after resume: 20000 written, 25 % deleted: $left"
assert_eq "$(state_live "$out/state")" "$left" "the state's live set after resume"
# every CSV row from before the kill is still there, first, and one header
python3 - "$VM_TMP/wide_before" "$out/memory.csv" "$VM_TMP/long_before" "$out/memory_long.csv" <<'PY' \
    || fail "the resumed run lost CSV rows written before the kill"
import sys
for before, after in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    b = open(before).read().split("\n")[:-1]      # whole rows only
    a = open(after).read().split("\n")
    assert len(b) > 5, (before, len(b))
    assert a[:len(b)] == b, (after, len(b), [i for i, (x, y) in enumerate(zip(a, b)) if x != y][:3])
    assert len(a) > len(b) + 1, (after, "no rows from the resumed run")
    assert sum(1 for l in a if l.startswith("time_iso,")) == 1, (after, "header written twice")
PY
# the keys are exactly the live ones of the state, and hold their vectors
python3 - "$out/state/live.bin" "$P" <<'PY' || fail "server keys differ from the state's live set"
import struct, subprocess, sys
b = open(sys.argv[1], "rb").read()
copies, n = struct.unpack_from("<IQ", b, 8)
w0, words, at = 0, (n + 63) // 64, 20
if b[:8] == b"VMLIVE2\0":  # live_file.h: words w0 .. w0+count-1
    (w0, words), at = struct.unpack_from("<QQ", b, 20), 36
want = set()
for c in range(copies):
    for i in range(64 * w0, min(n, 64 * (w0 + words))):
        w = struct.unpack_from("<Q", b, at + 8 * (c * words + i // 64 - w0))[0]
        if w >> (i % 64) & 1:
            want.add(("expand_%d_vec:%d" % (c, i)) if c else ("vec:%d" % i))
keys = set(subprocess.run(["redis-cli", "-p", sys.argv[2], "--scan"],
                          capture_output=True, text=True).stdout.split())
assert keys == want, (len(keys), len(want), sorted(keys ^ want)[:5])
PY
redis-cli -p "$P" EXISTS vec:0 >/dev/null

# SIGINT: finish in-flight, checkpoint + summary, exit 130; then resume
redis-cli -p "$P" FLUSHALL >/dev/null
out2="$VM_TMP/run2"
"$VM_BIN" run "$VM_TMP/load.yaml" -p "$P" --out "$out2" >"$VM_TMP/log3" 2>&1 &
pid=$!
VM_PIDS+=($pid)
for _ in $(seq 1 100); do
    [ "$(redis-cli -p "$P" DBSIZE)" -ge 4000 ] && break
    sleep 0.1
done
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
assert_eq "$rc" 130 "exit code after Ctrl-C"
[ -s "$out2/summary.json" ] || fail "no summary after Ctrl-C"
grep -q "^done 0" "$out2/checkpoint" || fail "checkpoint after Ctrl-C: $(cat "$out2/checkpoint")"
"$VM_BIN" run --resume "$out2" -p "$P" >"$VM_TMP/log4" 2>&1 || { cat "$VM_TMP/log4"; fail "resume after Ctrl-C"; }
assert_eq "$(redis-cli -p "$P" DBSIZE)" "$left" "keys after Ctrl-C and resume (the same draws as the killed run)"
