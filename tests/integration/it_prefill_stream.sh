#!/usr/bin/env bash
# dataset prepare --resp writes base.resp (prefill's HSETs for vec: /
# vector), and prefill --stream splices the originals from it: every key
# holds its vector byte for byte (hiredis, against the .fvecs source) — with
# AUTH in front of the first file run, with --limit, with connections killed
# mid-run (resent), with -P 1; other keys have no stream until `dataset
# encode` writes one for them, and without --stream the commands are built.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
src="$VM_DATASETS/siftsmall"
fvecs="$src/siftsmall_base.fvecs"
d="$VM_TMP/prepared"
"$VM_BIN" dataset prepare "$src" --out "$d" --resp >"$VM_TMP/prep.log" 2>&1 || { cat "$VM_TMP/prep.log"; fail "prepare"; }
grep -qF "RESP stream for prefill (vec:<id> vector): $d/base.resp" "$VM_TMP/prep.log" || fail "no stream: $(cat "$VM_TMP/prep.log")"
[ -s "$d/base.resp" ] && [ -s "$d/base.resp.meta" ] || fail "base.resp or its meta missing"
# redis-cli --pipe loads the same stream
redis-cli -p "$REDIS_PORT" --pipe <"$d/base.resp" >/dev/null || fail "redis-cli --pipe"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$fvecs" 10000 vec: vector || fail "keys from redis-cli --pipe"

spliced() { grep -q "spliced from $d/base.resp" "$1" || fail "not spliced: $(cat "$1")"; }
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$d" --stream -c 4 -P 16 >"$VM_TMP/a.log" 2>&1 || { cat "$VM_TMP/a.log"; fail "prefill"; }
spliced "$VM_TMP/a.log"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$fvecs" 10000 vec: vector || fail "keys after the spliced prefill"

# AUTH goes first on every connection, then the file runs
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
redis-cli -p "$REDIS_PORT" CONFIG SET requirepass "pw-$$" >/dev/null
VALKEYCLI_AUTH="pw-$$" "$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$d" --stream --limit 2345 -c 3 -P 1 \
    >"$VM_TMP/b.log" 2>&1 || { cat "$VM_TMP/b.log"; fail "prefill with AUTH"; }
spliced "$VM_TMP/b.log"
redis-cli -p "$REDIS_PORT" -a "pw-$$" --no-auth-warning CONFIG SET requirepass "" >/dev/null
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$fvecs" 2345 vec: vector || fail "keys after AUTH + --limit"

# connections killed mid-run: unanswered commands are sent again
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$d" --stream --rate 4000 -c 4 -P 8 >"$VM_TMP/c.log" 2>&1 &
pf=$!
for _ in 1 2 3 4; do
    sleep 0.4
    redis-cli -p "$REDIS_PORT" CLIENT KILL TYPE normal SKIPME yes >/dev/null
done
wait "$pf" || { cat "$VM_TMP/c.log"; fail "prefill with killed connections"; }
spliced "$VM_TMP/c.log"
grep -qE "[1-9][0-9]* reconnects" "$VM_TMP/c.log" || fail "no reconnect happened: $(cat "$VM_TMP/c.log")"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$fvecs" 10000 vec: vector || fail "keys after kills"

# other keys: --stream says the folder has none for them; without it the
# commands are built
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$d" --stream --prefix doc: --field emb 2>&1); then
    fail "--stream without a stream for doc: / emb succeeded"
fi
grep -q "has no base.resp for doc:<id> emb" <<<"$out" || fail "--stream message: $out"
[ "$(redis-cli -p "$REDIS_PORT" DBSIZE)" = 0 ] || fail "--stream without a stream wrote keys"
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$d" --prefix doc: --field emb --limit 500 >"$VM_TMP/e.log" 2>&1 ||
    { cat "$VM_TMP/e.log"; fail "prefill doc:"; }
! grep -q "spliced from" "$VM_TMP/e.log" || fail "a stream was used without --stream"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$fvecs" 500 doc: emb || fail "keys doc:"

# dataset encode writes the stream for other keys; prefill then splices it
"$VM_BIN" dataset encode "$d" --prefix doc: --field emb >"$VM_TMP/enc.log" 2>&1 || { cat "$VM_TMP/enc.log"; fail "encode"; }
grep -qx "prefix doc:" "$d/base.resp.meta" || fail "meta: $(cat "$d/base.resp.meta")"
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$d" --stream --prefix doc: --field emb -c 2 -P 32 >"$VM_TMP/f.log" 2>&1 ||
    { cat "$VM_TMP/f.log"; fail "prefill doc: from its stream"; }
spliced "$VM_TMP/f.log"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$fvecs" 10000 doc: emb || fail "keys doc: from the stream"
# and vec: / vector has no stream there any more
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$d" --stream --limit 300 2>&1); then
    fail "the doc: stream was used for vec:"
fi
grep -q "has no base.resp for vec:<id> vector" <<<"$out" || fail "--stream message: $out"
# not a prepared folder: said so
if out=$("$VM_BIN" dataset encode "$VM_TMP/nowhere" 2>&1); then fail "encode of a missing folder succeeded"; fi
grep -q "no base.fbin or base.u8bin" <<<"$out" || fail "encode message: $out"
