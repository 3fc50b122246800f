#!/usr/bin/env bash
# dataset download against a local Range-capable HTTP server serving
# ../shared/datasets: fetch + verify, never fetch twice, refuse a wrong
# checksum (non-zero exit, no file left under the name), resume a transfer
# cut midway with a range request, crop a big-ann file by range with the
# header patched, and a catalog entry through --mirror (archive unpacked,
# then usable by its NAME).
. "$(dirname "$0")/../harness/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"

D=$VM_DATASETS
HARNESS=$(cd "$(dirname "$0")/../harness" && pwd)
sum_of() { awk -v f="./$1" '$2 == f {print $1}' "$D/SHA256SUMS"; }
expect_fail() { # what cmd...
    local what=$1 rc=0
    shift
    "$@" >"$VM_TMP/out" 2>"$VM_TMP/err" || rc=$?
    [ "$rc" -ne 0 ] || fail "$what: exit code 0"
    [ "$rc" -lt 128 ] || fail "$what: crashed (exit $rc)"
}

start_http "$D" "$VM_TMP/port"
port=$HTTP_PORT
base="http://127.0.0.1:$port"
dl=$VM_TMP/dl
f=siftsmall/siftsmall_base.fvecs
sha=$(sum_of "$f")
[ ${#sha} = 64 ] || fail "no checksum for $f in SHA256SUMS"

# 1. fetch and verify
"$VM_BIN" dataset download --url "$base/$f" --sha256 "$sha" --dir "$dl" >"$VM_TMP/out"
cmp -s "$dl/siftsmall_base.fvecs" "$D/$f" || fail "downloaded file differs"
grep -q "$sha" "$dl/siftsmall_base.fvecs.sha256" || fail "no checksum recorded"
# 2. never fetched again
gets=$(grep -c "^GET" "$VM_TMP/port.log")
"$VM_BIN" dataset download --url "$base/$f" --sha256 "$sha" --dir "$dl" >"$VM_TMP/out"
grep -q "already complete" "$VM_TMP/out" || fail "second download: $(cat "$VM_TMP/out")"
[ "$(grep -c "^GET" "$VM_TMP/port.log")" = "$gets" ] || fail "a complete file was fetched again"
# 3. a different file under the same name is refused, not overwritten
expect_fail "existing different file" "$VM_BIN" dataset download --url "$base/$f" --sha256 "$(printf '%064d' 0)" --dir "$dl"
grep -q "a different file" "$VM_TMP/err" || fail "existing file: $(cat "$VM_TMP/err")"
cmp -s "$dl/siftsmall_base.fvecs" "$D/$f" || fail "existing file was touched"
# 4. a wrong checksum is refused with a non-zero exit
q=siftsmall/siftsmall_query.fvecs
expect_fail "wrong checksum" "$VM_BIN" dataset download --url "$base/$q" --sha256 "$(printf 'ab%062d' 0)" --dir "$dl"
grep -q "SHA-256" "$VM_TMP/err" || fail "wrong checksum: $(cat "$VM_TMP/err")"
[ ! -e "$dl/siftsmall_query.fvecs" ] || fail "a file with a wrong checksum was kept under its name"

# 5. a transfer cut midway, then resumed with a range request
start_http "$D" "$VM_TMP/port2" --cut-once 1000000
port2=$HTTP_PORT
dl2=$VM_TMP/dl2
rc=0
"$VM_BIN" dataset download --url "http://127.0.0.1:$port2/$f" --sha256 "$sha" --dir "$dl2" >"$VM_TMP/out" 2>"$VM_TMP/err" || rc=$?
[ "$rc" -ne 0 ] || fail "the cut transfer reported success"
[ -s "$dl2/siftsmall_base.fvecs.part" ] || fail "no partial file kept"
[ ! -e "$dl2/siftsmall_base.fvecs" ] || fail "a partial file was put in place"
"$VM_BIN" dataset download --url "http://127.0.0.1:$port2/$f" --sha256 "$sha" --dir "$dl2" >"$VM_TMP/out"
grep -q "(resumed)" "$VM_TMP/out" || fail "not resumed: $(cat "$VM_TMP/out")"
grep -q "range=bytes=[1-9][0-9]*-" "$VM_TMP/port2.log" || fail "no range request: $(cat "$VM_TMP/port2.log")"
cmp -s "$dl2/siftsmall_base.fvecs" "$D/$f" || fail "resumed file differs"

# 6. a big-ann crop by range: first 1000 rows, header patched
u=siftsmall-derived/base.10K.u8bin
"$VM_BIN" dataset download --url "$base/$u" --crop-rows 1000 --dim 128 --dir "$VM_TMP/crop" >/dev/null
c=$VM_TMP/crop/base.10K.u8bin
[ "$(stat -c %s "$c")" = $((8 + 1000 * 128)) ] || fail "crop size $(stat -c %s "$c")"
cmp -s <(tail -c +9 "$c") <(head -c $((8 + 1000 * 128)) "$D/$u" | tail -c +9) || fail "crop rows differ"
"$VM_BIN" dataset info "$c" | grep -q "1000 x 128 uint8" || fail "crop header not patched"
grep -q "range=bytes=0-128007" "$VM_TMP/port.log" || fail "crop did not ask a range"

# 7. a catalog entry through --mirror: the TEXMEX archive, unpacked, then opened by name
mirror=$VM_TMP/mirror
mkdir -p "$mirror"
tar czf "$mirror/siftsmall.tar.gz" -C "$D" siftsmall
start_http "$mirror" "$VM_TMP/port3"
port3=$HTTP_PORT
export VM_DATASET_DIR=$VM_TMP/cat
"$VM_BIN" dataset download siftsmall --mirror "http://127.0.0.1:$port3/" >"$VM_TMP/out"
for x in siftsmall_base.fvecs siftsmall_query.fvecs siftsmall_groundtruth.ivecs; do
    cmp -s "$VM_DATASET_DIR/siftsmall/$x" "$D/siftsmall/$x" || fail "catalog download: $x differs"
done
"$VM_BIN" dataset info siftsmall | grep -q "10000 x 128" || fail "the catalog name does not open"
"$VM_BIN" dataset verify siftsmall | grep -q "checksums: 1 ok, 0 bad" || fail "verify of the download's sidecar checksum"
printf 'x' >>"$VM_DATASET_DIR/siftsmall/siftsmall.tar.gz"
"$VM_BIN" dataset verify siftsmall >"$VM_TMP/out" && fail "verify missed a changed download"
grep -q "1 bad" "$VM_TMP/out" || fail "verify: $(cat "$VM_TMP/out")"
truncate -s -1 "$VM_DATASET_DIR/siftsmall/siftsmall.tar.gz"
"$VM_BIN" dataset download siftsmall --mirror "http://127.0.0.1:$port3/" | grep -q "already complete" || fail "catalog: fetched twice"
"$VM_BIN" dataset list >"$VM_TMP/list" # to a file: grep -q would cut the pipe (pipefail)
for n in bigann-100M deep-1B msspacev-10M msturing-1M text2image-100M dbpedia-openai3-1536-1M \
    dbpedia-openai3-3072-1M cohere-wiki-simple-22-12 cohere-wiki-2023-11-en; do
    grep -q "^$n " "$VM_TMP/list" || fail "dataset list lacks $n"
done
[ "$(awk 'length > 400' "$VM_TMP/list" | wc -l)" = 0 ] || fail "dataset list has lines over 400 columns"
expect_fail "unknown name" "$VM_BIN" dataset download no-such-dataset
echo ok
