#!/usr/bin/env bash
# prefill of siftsmall into a real redis-server leaves exactly 10,000 keys,
# each holding its vector byte for byte (checked by hiredis, not the tool).
. "$(dirname "$0")/../harness/lib.sh"
start_redis
out=$("$VM_BIN" prefill -h 127.0.0.1 -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall" -c 4 -P 8)
echo "$out"
echo "$out" | grep -q '^prefill: 10000 vectors' || fail "summary line: $out"
"$VM_CHECK_KEYS" 127.0.0.1 "$REDIS_PORT" "$VM_DATASETS/siftsmall/siftsmall_base.fvecs" 10000 vec: vector
# what each side spent: the client's CPU over the replies, the server's
# (INFO cpu) over the vectors, each per million and consistent with its total
python3 - "$out" <<'PY' || fail "CPU lines: $out"
import re, sys
out = sys.argv[1]
c = re.search(r"^prefill: client CPU ([0-9.]+) s \(user \+ sys\), ([0-9.]+) s per million replies$", out, re.M)
s = re.search(r"^prefill: server CPU ([0-9.]+) s \(INFO used_cpu_sys \+ used_cpu_user\), ([0-9.]+) s per million vectors$", out, re.M)
assert c and s, "no client or server CPU line"
for tot, per in ((float(c[1]), float(c[2])), (float(s[1]), float(s[2]))):
    # 10,000 vectors and replies: per million = 100 x the total (rounded to 2 places)
    assert per > 0 and abs(per - 100 * tot) <= 0.5 + 0.01 * per, (tot, per)
PY

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
