#!/usr/bin/env bash
# What the tool promises when the server refuses or stops answering
# (docs/faults.md), against a real redis-server:
#  * OOM with --on-error stop: the state records exactly the keys the server
#    holds (the replies in flight when the stop came are still read);
#  * the ingest-until-oom scenario records used_memory at the first refusal
#    (a sample taken then, within 5 % of the server's figure) and counts the
#    OOM replies as errors;
#  * a frozen server (SIGSTOP) ends the run after --timeout with an error
#    naming the node, instead of holding it for as long as the freeze;
#  * --on-error retry never retries a permanent error (NOPERM): it stops at once.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
P=$REDIS_PORT
pid=${VM_PIDS[-1]}
ds="$VM_DATASETS/siftsmall"

# --- OOM, --on-error stop: state = server ---------------------------------------
redis-cli -p "$P" CONFIG SET maxmemory 40mb >/dev/null
redis-cli -p "$P" CONFIG SET maxmemory-policy noeviction >/dev/null
"$VM_BIN" prefill -p "$P" --dataset "$ds" --expand 20 --state "$VM_TMP/s1" --on-error stop -c 8 -P 64 \
    >"$VM_TMP/log1" 2>&1 && fail "prefill past maxmemory succeeded"
grep -q "answered an oom error, stopping" "$VM_TMP/log1" || fail "no OOM stop: $(tail -3 "$VM_TMP/log1")"
assert_eq "$(state_live "$VM_TMP/s1")" "$(redis-cli -p "$P" DBSIZE)" "live vectors in the state after an OOM stop (server's DBSIZE)"

# --- ingest-until-oom: the figure at the first refusal ---------------------------
redis-cli -p "$P" FLUSHALL >/dev/null
cat >"$VM_TMP/oom.yaml" <<Y
name: oom
dataset: $ds
monitor: {interval: 1s}
steps:
  - config_set: {maxmemory: 48mb, maxmemory-policy: noeviction}
  - prefill: {copies: 200, stop_on_oom: true}
Y
"$VM_BIN" run "$VM_TMP/oom.yaml" -p "$P" --out "$VM_TMP/oomrun" >"$VM_TMP/log2" 2>&1 || true
line=$(grep ',first_oom,' "$VM_TMP/oomrun/checkpoints.csv") || fail "no first_oom checkpoint: $(cat "$VM_TMP/log2")"
rec=$(echo "$line" | cut -d, -f5)
redis-cli -p "$P" CONFIG SET maxmemory 48mb >/dev/null  # the run gave back its own value
now=$(redis-cli -p "$P" INFO memory | tr -d '\r' | sed -n 's/^used_memory://p')
python3 -c "import sys; r, n = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if abs(r - n) <= 0.05 * n else 1)" "$rec" "$now" \
    || fail "first_oom used_memory $rec, the server holds $now"
python3 - "$VM_TMP/oomrun/summary.json" <<'PY' || fail "the prefill phase does not count its OOM replies as errors"
import json, sys
ph = [p for p in json.load(open(sys.argv[1]))["phases"] if p["phase"] == "prefill"]
assert ph and ph[0]["errors"] > 0, ph
PY
redis-cli -p "$P" CONFIG SET maxmemory 0 >/dev/null
redis-cli -p "$P" FLUSHALL >/dev/null

# --- a frozen server: bounded by --timeout, the node named -----------------------
"$VM_BIN" prefill -p "$P" --dataset "$ds" --expand 200 --rate 20000 --timeout 3s --state "$VM_TMP/s3" \
    >"$VM_TMP/log3" 2>&1 &
pf=$!
VM_PIDS+=($pf)
sleep 1
kill -STOP "$pid"
t0=$(date +%s)
rc=0; wait "$pf" || rc=$?
t1=$(date +%s)
kill -CONT "$pid"
[ "$rc" != 0 ] || fail "prefill against a frozen server succeeded"
grep -q "127.0.0.1:$P sent no reply for 3 s" "$VM_TMP/log3" || fail "the error does not name the frozen node: $(tail -3 "$VM_TMP/log3")"
[ $((t1 - t0)) -le 15 ] || fail "a frozen server held prefill $((t1 - t0)) s with --timeout 3s"
n=$(redis-cli -p "$P" DBSIZE); s=$(state_live "$VM_TMP/s3")
# what the server acknowledged is in the state; what was in flight may have landed (at most -c x -P)
[ "$s" -le "$n" ] && [ $((n - s)) -le 64 ] || fail "state $s, server $n after the freeze"

# --- NOPERM is permanent: --on-error retry stops at once --------------------------
redis-cli -p "$P" ACL SETUSER reader on '>readerpw' '~*' '+@read' '+ping' '+info' '+cluster' '+module' '+command' >/dev/null
t0=$(date +%s)
VALKEYCLI_AUTH=readerpw "$VM_BIN" prefill -p "$P" --user reader --dataset "$ds" --limit 100 --on-error retry \
    >"$VM_TMP/log4" 2>&1 && fail "prefill without HSET permission succeeded"
t1=$(date +%s)
grep -qi "noperm" "$VM_TMP/log4" || fail "NOPERM not reported: $(tail -3 "$VM_TMP/log4")"
[ $((t1 - t0)) -le 5 ] || fail "a permanent NOPERM was retried for $((t1 - t0)) s"

# --- an idle connection is not a stalled one: a slow rate with gaps longer than --timeout completes
redis-cli -p "$P" FLUSHALL >/dev/null
"$VM_BIN" prefill -p "$P" --dataset "$ds" --limit 4 --rate 1 -c 1 -P 1 --timeout 500ms >"$VM_TMP/log5" 2>&1 \
    || fail "a prefill at 1/s with --timeout 500ms stopped: $(tail -2 "$VM_TMP/log5")"
assert_eq "$(redis-cli -p "$P" DBSIZE)" 4 "keys written at 1/s"
