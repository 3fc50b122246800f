#!/usr/bin/env bash
# dataset download --rows / --slice against a local Range-capable server:
# a big-ann base transfers only the 8-byte header and rows A..B's bytes
# (asked ranges and bytes sent read from the server's log), the file holds
# rows A..B of the source with n patched, rows.json says so, a cut
# transfer resumes from where it stopped; --slice 1/3 takes the formula's
# range; a sharded parquet base on a HuggingFace endpoint (HF_ENDPOINT)
# fetches only the shards holding the rows; HF_TOKEN reaches the hub host
# (and no other) and appears in nothing the tool prints or writes; bad
# --rows / --slice name the option.
. "$(dirname "$0")/../harness/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"

D=$VM_DATASETS
HARNESS=$(cd "$(dirname "$0")/../harness" && pwd)
json_num() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
sent_for() { awk -v p="$2" '$1 == "SENT" && index($2, p) {s += $3} END {print s + 0}' "$1"; }
TOKEN="hf_tok_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export HF_TOKEN=$TOKEN # set throughout: it must reach only the hub's host

# the catalog's bigann-1M paths under a mirror: a base whose header says
# 10^9 rows (sparse past the 10K real rows), the query file whole
m=$VM_TMP/mirror
mkdir -p "$m/bigann"
src=$D/siftsmall-derived/base.10K.u8bin
python3 - "$src" "$m/bigann/base.1B.u8bin" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    f.write(struct.pack("<II", 10**9, 128))
    f.write(data[8:])
    f.truncate(8 + 1000000 * 128)  # enough for bigann-1M's rows; zeros after 10K
PY
cp "$src" "$m/bigann/query.public.10K.u8bin"
start_http "$m" "$VM_TMP/p1"
mirror="http://127.0.0.1:$HTTP_PORT/"
log=$VM_TMP/p1.log
out=$VM_TMP/ds

# 1. rows 1000..3000: the header and those rows' bytes, nothing else of the base
"$VM_BIN" dataset download bigann-1M --rows 1000..3000 --mirror "$mirror" --dir "$out" >"$VM_TMP/o1" 2>"$VM_TMP/e1"
part=$out/bigann-1M/rows-1000-3000
f=$part/base.1M.u8bin
[ "$(stat -c %s "$f")" = $((8 + 2000 * 128)) ] || fail "rows file size $(stat -c %s "$f")"
grep -q "GET /bigann/base.1B.u8bin range=bytes=0-7 " "$log" || fail "no header range: $(cat "$log")"
grep -q "GET /bigann/base.1B.u8bin range=bytes=$((8 + 1000 * 128))-$((8 + 3000 * 128 - 1)) " "$log" ||
    fail "rows range not asked: $(cat "$log")"
[ "$(grep -c "GET /bigann/base.1B.u8bin" "$log")" = 2 ] || fail "more than two requests for the base"
[ "$(sent_for "$log" /bigann/base.1B.u8bin)" = $((8 + 2000 * 128)) ] || fail "bytes sent $(sent_for "$log" /bigann/base.1B.u8bin)"
cmp -s <(tail -c +9 "$f") <(tail -c +$((9 + 1000 * 128)) "$src" | head -c $((2000 * 128))) || fail "rows differ from the source's 1000..2999"
"$VM_BIN" dataset info "$f" | grep -q "2000 x 128 uint8" || fail "header not patched: $("$VM_BIN" dataset info "$f")"
cmp -s "$part/query.public.10K.u8bin" "$src" || fail "query file not fetched whole"
[ "$(json_num "$part/rows.json" rows_first)" = 1000 ] || fail "rows.json: $(cat "$part/rows.json")"
[ "$(json_num "$part/rows.json" rows_end)" = 3000 ] || fail "rows.json: $(cat "$part/rows.json")"
[ "$(json_num "$part/rows.json" rows_total)" = 1000000 ] || fail "rows.json: $(cat "$part/rows.json")"
[ "$(json_num "$part/rows.json" file)" = base.1M.u8bin ] || fail "rows.json: $(cat "$part/rows.json")"
grep -q "auth=yes" "$log" && fail "HF_TOKEN was sent to a non-HuggingFace host"

# 2. --slice 1/3 of 1M rows: [333333, 666666)
"$VM_BIN" dataset download bigann-1M --slice 1/3 --mirror "$mirror" --dir "$out" >"$VM_TMP/o2"
s=$out/bigann-1M/rows-333333-666666
[ "$(json_num "$s/rows.json" rows_first)" = 333333 ] || fail "slice rows.json: $(cat "$s/rows.json" 2>&1)"
[ "$(json_num "$s/rows.json" rows_end)" = 666666 ] || fail "slice rows.json: $(cat "$s/rows.json")"
[ "$(stat -c %s "$s/base.1M.u8bin")" = $((8 + 333333 * 128)) ] || fail "slice size"
grep -q "range=bytes=$((8 + 333333 * 128))-$((8 + 666666 * 128 - 1)) " "$log" || fail "slice range not asked"

# 3. a cut transfer resumes with a range from where the part stopped
start_http "$m" "$VM_TMP/p2" --cut-once 100000
rc=0
"$VM_BIN" dataset download bigann-1M --rows 1000..3000 --mirror "http://127.0.0.1:$HTTP_PORT/" --dir "$VM_TMP/ds2" >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "the cut transfer reported success"
p2=$VM_TMP/ds2/bigann-1M/rows-1000-3000
[ -s "$p2/base.1M.u8bin.part" ] || fail "no partial file kept"
"$VM_BIN" dataset download bigann-1M --rows 1000..3000 --mirror "http://127.0.0.1:$HTTP_PORT/" --dir "$VM_TMP/ds2" >"$VM_TMP/o3"
grep -q "(resumed)" "$VM_TMP/o3" || fail "not resumed: $(cat "$VM_TMP/o3")"
grep -q "range=bytes=$((8 + 1000 * 128 + 100000))-$((8 + 3000 * 128 - 1)) " "$VM_TMP/p2.log" ||
    fail "resume did not continue the rows range: $(cat "$VM_TMP/p2.log")"
cmp -s "$p2/base.1M.u8bin" "$f" || fail "resumed rows file differs"

# 4. bad --rows / --slice name the option, exit non-zero, no crash
for bad in 5..2 abc 0..2000000 "--slice 3/3" "--slice x"; do
    case $bad in --*) args=($bad) ;; *) args=(--rows "$bad") ;; esac
    rc=0
    "$VM_BIN" dataset download bigann-1M "${args[@]}" --mirror "$mirror" --dir "$out" >/dev/null 2>"$VM_TMP/e4" || rc=$?
    [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] || fail "$bad: exit $rc"
    grep -q -- "${args[0]}" "$VM_TMP/e4" || fail "$bad: error does not name ${args[0]}: $(cat "$VM_TMP/e4")"
done

# 5. a HuggingFace entry on HF_ENDPOINT: 26 shards of 10000 rows, rows
# 15000..25000 live in shards 1 and 2, fetched whole; the others only
# answer footer (suffix-range) requests
hub=$VM_TMP/hub
sd=$hub/datasets/Qdrant/dbpedia-entities-openai3-text-embedding-3-large-1536-1M/resolve/main/data
mkdir -p "$sd"
for i in $(seq 0 25); do ln -s "$D/siftsmall-vdbbench/train.parquet" "$sd/train-$(printf %05d "$i")-of-00026.parquet"; done
start_http "$hub" "$VM_TMP/p3"
export HF_ENDPOINT="http://127.0.0.1:$HTTP_PORT"
hlog=$VM_TMP/p3.log
"$VM_BIN" dataset download dbpedia-openai3-1536-1M --rows 15000..25000 --dir "$out" >"$VM_TMP/o5" 2>"$VM_TMP/e5" ||
    fail "HF download: $(cat "$VM_TMP/e5")"
hp=$out/dbpedia-openai3-1536-1M/rows-15000-25000
for k in rows_first:10000 rows_end:30000 rows_total:260000 asked_first:15000 asked_end:25000 file:train-00001-of-00026.parquet; do
    [ "$(json_num "$hp/rows.json" "${k%%:*}")" = "${k#*:}" ] || fail "parquet rows.json ${k%%:*}: $(cat "$hp/rows.json")"
done
whole=$(grep "^GET .*range=- " "$hlog" | grep -o 'train-[0-9]*-of' | sort | tr '\n' ' ')
[ "$whole" = "train-00001-of train-00002-of " ] || fail "whole shards fetched: '$whole'"
cmp -s "$hp/train-00002-of-00026.parquet" "$D/siftsmall-vdbbench/train.parquet" || fail "shard differs"
[ ! -e "$hp/train-00000-of-00026.parquet" ] || fail "shard 0 fetched"
grep -q "^GET /datasets/Qdrant/.*/resolve/main/data/train-00025-of-00026.parquet range=bytes=-8 " "$hlog" ||
    fail "HF_ENDPOINT / footer probe not used: $(head -3 "$hlog")"
# the token: in every request to the hub, the right one, and nowhere else
grep "^GET" "$hlog" | grep -q "auth=no" && fail "a hub request without the token"
want=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
grep -q "AUTH bearer sha256=$want" "$hlog" || fail "the hub did not receive HF_TOKEN as a bearer"
for x in "$VM_TMP"/o* "$VM_TMP"/e*; do grep -qF "$TOKEN" "$x" && fail "HF_TOKEN printed in $x"; done
grep -rqF "$TOKEN" "$out" "$VM_TMP/ds2" && fail "HF_TOKEN written to a file"
echo ok
