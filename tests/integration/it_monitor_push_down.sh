#!/usr/bin/env bash
# A pushgateway that is not there never stops the run: the monitor samples
# for its whole duration, writes every row, counts the failed pushes and
# exits 0 with a warning.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
port=$(free_port)
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 2s --csv "$VM_TMP/m.csv" \
    --push "http://127.0.0.1:$port" --push-retries 1 --push-timeout 500ms 2>"$VM_TMP/stderr" \
    || { cat "$VM_TMP/stderr"; fail "the run failed because the gateway is down"; }
rows=$(( $(wc -l <"$VM_TMP/m.csv") - 1 ))
[ "$rows" -ge 9 ] || fail "only $rows samples while the gateway was down"
grep -qE "0 pushes, [1-9][0-9]* failed attempts" "$VM_TMP/stderr" || { cat "$VM_TMP/stderr"; fail "failures not counted"; }
grep -q "last push failed" "$VM_TMP/stderr" || fail "no warning"
