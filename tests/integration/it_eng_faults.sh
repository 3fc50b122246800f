#!/usr/bin/env bash
# The load engine on one redis-server: run bounds (--requests, --test-time with
# --rate), lost connections (CLIENT KILL mid-run: reconnect, re-send, every
# vector still there byte for byte), error replies classified (OOM at
# maxmemory) with the stop policy, and open-loop latency that includes the
# time commands waited while the server was paused (no coordinated omission).
. "$(dirname "$0")/../harness/lib.sh"
start_redis
ds=$VM_DATASETS/siftsmall
base=$ds/siftsmall_base.fvecs
cli() { redis-cli -p "$REDIS_PORT" "$@"; }
num() { sed -n "s/$1/\\1/p"; }

# --- bounds -------------------------------------------------------------------
out=$("$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" --requests 500 -c 3 -P 4)
echo "$out"
echo "$out" | grep -q '^prefill: 500 vectors' || fail "--requests 500: $out"
assert_eq "$(cli DBSIZE)" 500 "keys after --requests 500"
cli FLUSHALL >/dev/null
out=$("$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" --rate 2000 --test-time 1s -c 2 -P 4)
echo "$out"
n=$(echo "$out" | num '^prefill: \([0-9]*\) vectors.*')
[ "$n" -gt 0 ] && [ "$n" -lt 6000 ] || fail "--rate 2000 --test-time 1s wrote $n vectors"
assert_eq "$(cli DBSIZE)" "$n" "keys after --test-time"

# --- connections killed mid-run ------------------------------------------------
cli FLUSHALL >/dev/null
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" --rate 4000 -c 4 -P 8 >"$VM_TMP/kill.out" 2>&1 &
pf=$!
for t in 0.5 0.5 0.5; do
    sleep "$t"
    cli CLIENT KILL TYPE normal SKIPME yes >/dev/null
done
wait "$pf" || { cat "$VM_TMP/kill.out"; fail "prefill with killed connections"; }
out=$(cat "$VM_TMP/kill.out")
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors.* 0 errors' || fail "summary after kills: $out"
rec=$(echo "$out" | num '.*faults: \([0-9]*\) reconnects.*')
[ "${rec:-0}" -gt 0 ] || fail "no reconnect counted: $out"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$base" 10000 vec: vector || fail "keys after kills"

# --- error replies: OOM counted, then the stop policy ---------------------------
cli FLUSHALL >/dev/null
cli CONFIG SET maxmemory-policy noeviction >/dev/null
used=$(cli INFO memory | tr -d '\r' | num '^used_memory:\(.*\)')
cli CONFIG SET maxmemory $((used + 1000000)) >/dev/null
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" -c 2 -P 8 2>&1); then
    fail "prefill into a full server succeeded: $out"
fi
echo "$out"
echo "$out" | grep -q "first: OOM" || fail "first error is not OOM: $out"
oom=$(echo "$out" | num '.*error replies by class: .*oom \([0-9]*\).*')
[ "${oom:-0}" -gt 0 ] || fail "OOM not counted: $out"
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" -c 1 -P 1 --on-error stop 2>&1); then
    fail "--on-error stop did not fail: $out"
fi
echo "$out"
echo "$out" | grep -q "answered an oom error, stopping: OOM" || fail "--on-error stop: $out"
cli CONFIG SET maxmemory 0 >/dev/null

# --- open loop: a 600 ms pause shows in the latency of every command due in it --
cli FLUSHALL >/dev/null
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" --limit 4000 --rate 2000 -c 2 -P 4 \
    >"$VM_TMP/pause.out" 2>&1 &
pf=$!
sleep 0.5
cli CLIENT PAUSE 600 WRITE >/dev/null
wait "$pf" || { cat "$VM_TMP/pause.out"; fail "prefill across a pause"; }
out=$(cat "$VM_TMP/pause.out")
echo "$out"
p90=$(echo "$out" | num '.*latency .* p90 \([0-9.]*\),.*')
awk -v v="$p90" 'BEGIN { exit !(v >= 100) }' ||
    fail "open-loop p90 is $p90 ms: the commands due during the 600 ms pause were not counted"
