#!/usr/bin/env bash
# prefill of siftsmall into a real redis-server leaves exactly 10,000 keys,
# each holding its vector byte for byte (checked by hiredis, not the tool).
. "$(dirname "$0")/../harness/lib.sh"
start_redis
out=$("$VM_BIN" prefill -h 127.0.0.1 -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8)
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors' || fail "summary line: $out"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$VM_DATASETS/siftsmall/siftsmall_base.fvecs" 10000 vec: vector

# --limit, --prefix and --field, from a single .fvecs file
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall/siftsmall_base.fvecs" \
    --limit 123 --prefix doc: --field emb -c 3 --threads 2 -P 1 >/dev/null
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$VM_DATASETS/siftsmall/siftsmall_base.fvecs" 123 doc: emb

# spliced writes need a pipe per connection (two descriptors more): with
# room for the sockets only (hard limit 64, 40 connections) the engine
# copies instead, and with a low soft limit it raises it; either way every
# vector arrives byte for byte
for lim in "-n 64" "-S -n 64"; do
    redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
    (ulimit $lim && "$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall" --limit 3000 \
        -c 40 -P 4 >"$VM_TMP/fd.log" 2>&1) || { cat "$VM_TMP/fd.log"; fail "prefill -c 40 under ulimit $lim"; }
    "$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$VM_DATASETS/siftsmall/siftsmall_base.fvecs" 3000 vec: vector
done
