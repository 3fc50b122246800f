#!/usr/bin/env bash
# Bad dataset input ends with one error line naming the file (and the row
# or offset where it helps) and a non-zero exit, never a crash: truncated
# files, header / size mismatch, queries of another dimension, ground-truth
# ids out of range, NaN values, a broken parquet file, an unknown name.
. "$(dirname "$0")/../harness/lib.sh"

D=$VM_DATASETS
expect_fail() { # what expected-substring cmd...
    local what=$1 want=$2 rc=0
    shift 2
    "$@" >"$VM_TMP/out" 2>"$VM_TMP/err" || rc=$?
    [ "$rc" -ne 0 ] || fail "$what: exit code 0"
    [ "$rc" -lt 128 ] || fail "$what: crashed (exit $rc)"
    grep -q -- "$want" "$VM_TMP/err" || fail "$what: stderr lacks '$want': $(cat "$VM_TMP/err")"
    [ "$(wc -l <"$VM_TMP/err")" -le 2 ] || fail "$what: more than one line of error: $(cat "$VM_TMP/err")"
}

head -c 100000 "$D/siftsmall/siftsmall_base.fvecs" >"$VM_TMP/trunc.fvecs"
expect_fail "truncated fvecs" "trunc.fvecs: truncated" "$VM_BIN" dataset info "$VM_TMP/trunc.fvecs"
head -c 100000 "$D/siftsmall-derived/base.10K.fbin" >"$VM_TMP/short.fbin"
expect_fail "fbin shorter than its header" "short.fbin: truncated: header says 10000 x 128" "$VM_BIN" dataset info "$VM_TMP/short.fbin"
{ cat "$D/siftsmall-derived/query.100.fbin"; printf 'xxxx'; } >"$VM_TMP/long.fbin"
expect_fail "fbin longer than its header" "long.fbin: header says 100 x 128" "$VM_BIN" dataset info "$VM_TMP/long.fbin"
python3 - "$VM_TMP" <<'PY'
import struct, sys
d = sys.argv[1]
open(d + '/d4.fbin', 'wb').write(struct.pack('<II', 2, 4) + struct.pack('<8f', *range(8)))
open(d + '/nan.fbin', 'wb').write(struct.pack('<II', 2, 4) + struct.pack('<8f', 0, 1, 2, 3, 4, float('nan'), 6, 7))
PY
expect_fail "queries of another dimension" "d4.fbin: queries have dimension 4" "$VM_BIN" dataset info --base "$D/siftsmall/siftsmall_base.fvecs" --queries "$VM_TMP/d4.fbin"
expect_fail "NaN" "nan.fbin: row 1 value 1 is nan" "$VM_BIN" dataset info "$VM_TMP/nan.fbin"
# ground truth naming an id past the base
python3 - "$D/siftsmall-derived/groundtruth.ids.ibin" "$VM_TMP/badgt.ibin" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[8 + 4 * 7:12 + 4 * 7] = struct.pack('<i', 123456)
open(sys.argv[2], 'wb').write(b)
PY
expect_fail "GT id out of range" "badgt.ibin: query 0 neighbour 7 is id 123456, outside 0..9999" \
    "$VM_BIN" dataset prepare --base "$D/siftsmall-derived/base.10K.fbin" --queries "$D/siftsmall-derived/query.100.fbin" --gt "$VM_TMP/badgt.ibin" --out "$VM_TMP/p"
[ ! -e "$VM_TMP/p" ] || fail "a failed prepare left its --out folder behind: $(ls -A "$VM_TMP/p")"
mkdir "$VM_TMP/mine"; touch "$VM_TMP/mine/keep"
expect_fail "GT id out of range, into a folder of the user's" "outside 0..9999" \
    "$VM_BIN" dataset prepare --base "$D/siftsmall-derived/base.10K.fbin" --queries "$D/siftsmall-derived/query.100.fbin" --gt "$VM_TMP/badgt.ibin" --out "$VM_TMP/mine"
[ -e "$VM_TMP/mine/keep" ] || fail "a failed prepare removed a folder it did not make"
# parquet cut in half; parquet given to prefill
head -c 500000 "$D/siftsmall-vdbbench/train.parquet" >"$VM_TMP/half.parquet"
expect_fail "truncated parquet" "half.parquet: no PAR1 magic" "$VM_BIN" dataset info "$VM_TMP/half.parquet"
expect_fail "prefill of parquet" "dataset prepare" "$VM_BIN" prefill -p 1 --dataset "$D/siftsmall-vdbbench"
expect_fail "not a dataset" "no dataset files recognised" "$VM_BIN" dataset info "$VM_TMP"
expect_fail "catalog name not downloaded" "'dataset download' it first" env VM_DATASET_DIR="$VM_TMP/none" "$VM_BIN" dataset info sift
expect_fail "bad metric" "--metric" "$VM_BIN" dataset info "$D/siftsmall" --metric manhattan
echo ok
