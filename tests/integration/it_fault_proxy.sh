#!/usr/bin/env bash
# Every fault the engine handles, injected on purpose through a TCP proxy
# between prefill and a real redis-server (tests/harness/fault_proxy.py,
# docs/faults.md): a reply cut in the middle, every connection reset, new
# connections refused for a while, a slow link — each run ends with exactly
# the dataset's keys, each holding its vector, and the state recording each
# of them; a stalled link ends the run after --timeout with an error naming
# the proxied node, the state holding only what was acknowledged.
. "$(dirname "$0")/../harness/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
start_redis
P=$REDIS_PORT
start_fault_proxy "$P"
base=$VM_DATASETS/siftsmall/siftsmall_base.fvecs
# run_with_fault NAME MODE [BACK_AFTER]: prefill 10,000 at 4,000/s through the
# proxy, MODE 0.8 s in (back to pass after BACK_AFTER s when given)
run_with_fault() {
    local name=$1 mode=$2 back=${3:-}
    redis-cli -p "$P" FLUSHALL >/dev/null
    fault pass
    "$VM_BIN" prefill -p "$PROXY_PORT" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8 --rate 4000 \
        --state "$VM_TMP/$name" >"$VM_TMP/$name.log" 2>&1 &
    local pf=$!
    VM_PIDS+=($pf)
    sleep 0.8
    fault "$mode"
    if [ -n "$back" ]; then sleep "$back"; fault pass; fi
    wait "$pf" || { cat "$VM_TMP/$name.log" "$VM_TMP/proxy.log"; fail "$name: prefill failed"; }
    "$VM_CHECK_KEYS" 127.0.0.1 "$P" "$base" 10000 vec: vector || fail "$name: keys"
    assert_eq "$(state_live "$VM_TMP/$name")" 10000 "$name: live vectors in the state"
    note "$name: $(grep -Eo 'reconnects [0-9]+|resent [0-9]+' "$VM_TMP/$name.log" | tr '\n' ' ')"
}
run_with_fault cut cut
run_with_fault reset reset
run_with_fault refuse refuse 1.5   # reset, then reconnects refused for 1.5 s
run_with_fault slow slow 1
grep -q "cut -> pass\|pass -> cut" "$VM_TMP/proxy.log" || fail "the proxy never cut a reply: $(cat "$VM_TMP/proxy.log")"

# a stalled link: bounded by --timeout, the node named, the state exact for what was acknowledged
redis-cli -p "$P" FLUSHALL >/dev/null
fault pass
"$VM_BIN" prefill -p "$PROXY_PORT" --dataset "$VM_DATASETS/siftsmall" --expand 20 -c 4 -P 8 --rate 4000 \
    --timeout 2s --state "$VM_TMP/stall" >"$VM_TMP/stall.log" 2>&1 &
pf=$!
VM_PIDS+=($pf)
sleep 0.8
fault stall
t0=$(date +%s)
rc=0; wait "$pf" || rc=$?
t1=$(date +%s)
fault pass
[ "$rc" != 0 ] || fail "prefill through a stalled link succeeded"
grep -q "127.0.0.1:$PROXY_PORT sent no reply for 2 s" "$VM_TMP/stall.log" || fail "stall: $(tail -3 "$VM_TMP/stall.log")"
[ $((t1 - t0)) -le 10 ] || fail "a stalled link held prefill $((t1 - t0)) s with --timeout 2s"
sleep 0.3
n=$(redis-cli -p "$P" DBSIZE); s=$(state_live "$VM_TMP/stall")
[ "$s" -gt 0 ] && [ "$s" -le "$n" ] && [ $((n - s)) -le 32 ] || fail "stall: state $s, server $n (in flight: at most 4 x 8)"
