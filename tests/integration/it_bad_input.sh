#!/usr/bin/env bash
# Bad input ends with one line naming the input and a non-zero exit code,
# without a crash and without a half-written CSV.
. "$(dirname "$0")/../harness/lib.sh"

expect_fail() { # what expected-substring cmd...
    local what=$1 want=$2 rc=0
    shift 2
    "$@" >"$VM_TMP/out" 2>"$VM_TMP/err" || rc=$?
    [ "$rc" -ne 0 ] || fail "$what: exit code 0"
    [ "$rc" -lt 128 ] || fail "$what: crashed (exit $rc)"
    grep -q -- "$want" "$VM_TMP/err" || fail "$what: stderr lacks '$want': $(cat "$VM_TMP/err")"
    [ "$(wc -l <"$VM_TMP/err")" -le 2 ] || fail "$what: more than one line of error: $(cat "$VM_TMP/err")"
}

port=$(free_port)
expect_fail "refused port" "127.0.0.1:$port" "$VM_BIN" prefill -p "$port" --dataset "$VM_DATASETS/siftsmall"
expect_fail "unknown host" "no-such-host.invalid" "$VM_BIN" prefill -h no-such-host.invalid --dataset "$VM_DATASETS/siftsmall"
expect_fail "unknown option" "--bogus" "$VM_BIN" prefill --bogus
expect_fail "bad number" "--limit" "$VM_BIN" prefill --limit ten --dataset x
expect_fail "rate 0" "--rate 0 would send nothing" "$VM_BIN" prefill --rate 0 --dataset x
expect_fail "rate-per-node 0" "--rate-per-node 0 would send nothing" "$VM_BIN" query --rate-per-node 0 --state x -k 10
expect_fail "missing dataset" "$VM_TMP/nope" "$VM_BIN" prefill -p "$port" --dataset "$VM_TMP/nope"
head -c 1000 "$VM_DATASETS/siftsmall/siftsmall_base.fvecs" >"$VM_TMP/trunc.fvecs"
expect_fail "truncated dataset" "trunc.fvecs: truncated" "$VM_BIN" prefill -p "$port" --dataset "$VM_TMP/trunc.fvecs"
expect_fail "monitor refused" "127.0.0.1:$port" "$VM_BIN" monitor -p "$port" --duration 1s --csv "$VM_TMP/x.csv"
[ ! -e "$VM_TMP/x.csv" ] || fail "monitor left a CSV behind after failing to connect"
expect_fail "unknown command" "frobnicate" "$VM_BIN" frobnicate

start_redis --requirepass s3cret-pw
expect_fail "wrong password" "authentication refused" "$VM_BIN" prefill -p "$REDIS_PORT" -a wrong --dataset "$VM_DATASETS/siftsmall"
grep -q wrong "$VM_TMP/err" && fail "the password was echoed"
# the right one, from the environment, works
VALKEYCLI_AUTH=s3cret-pw "$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall" --limit 10 >"$VM_TMP/out"
grep -q "^prefill: 10 vectors" "$VM_TMP/out" || fail "AUTH from VALKEYCLI_AUTH"
# and from -u with user:pass
"$VM_BIN" prefill -u "valkey://default:s3cret-pw@127.0.0.1:$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall" --limit 5 >"$VM_TMP/out"
grep -q "^prefill: 5 vectors" "$VM_TMP/out" || fail "AUTH from -u"
