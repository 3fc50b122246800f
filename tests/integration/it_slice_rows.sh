#!/usr/bin/env bash
# A loader that fetched only its rows (dataset download --rows, rows.json)
# loads its slice byte for byte as a loader with the whole file does: the
# same keys and values on the server (DEBUG DIGEST), expanded copies too
# when both are given the whole set's NormMax; a slice whose rows the
# folder lacks, and expansion without NormMax, are refused with the reason.
. "$(dirname "$0")/../harness/lib.sh"
m=$VM_TMP/mirror
bigann_mirror "$m"
start_range_http "$m"
"$VM_BIN" dataset download bigann-1M --rows 2500..5000 --mirror "$RANGE_URL" \
    --dir "$VM_TMP/ds" >"$VM_TMP/dl" 2>&1 || fail "download --rows: $(tail -3 "$VM_TMP/dl")"
part=$VM_TMP/ds/bigann-1M/rows-2500-5000
[ -f "$part/rows.json" ] || fail "no rows.json in $part"
# the whole set as one file, for the loader that has it all
whole=$VM_TMP/whole
mkdir -p "$whole"
cp "$m/bigann/base.1B.u8bin" "$whole/base.1M.u8bin"
python3 - "$whole/base.1M.u8bin" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.write(struct.pack("<I", 1000000))
PY
cp "$m/bigann/query.public.10K.u8bin" "$whole/"
R=600 # a NormMax over every norm of the set (SIFT: 511.08), given to both loaders
start_redis --enable-debug-command yes
A=$REDIS_PORT
start_redis --enable-debug-command yes
B=$REDIS_PORT
"$VM_BIN" prefill -p "$A" --dataset "$whole" --limit 10000 --slice 1/4 --expand 1 --norm-max $R \
    --state "$VM_TMP/sa" >/dev/null || fail "prefill, whole file"
"$VM_BIN" prefill -p "$B" --dataset "$part" --limit 10000 --slice 1/4 --expand 1 --norm-max $R \
    --state "$VM_TMP/sb" >"$VM_TMP/out" 2>&1 || fail "prefill, rows 2500..4999 only: $(cat "$VM_TMP/out")"
assert_eq "$(redis-cli -p "$B" DBSIZE)" 5000 "keys of slice 1/4 and its copy"
assert_eq "$(redis-cli -p "$B" DEBUG DIGEST)" "$(redis-cli -p "$A" DEBUG DIGEST)" "the same bytes"
assert_eq "$(redis-cli -p "$B" EXISTS vec:2500 vec:4999 expand_1_vec:4999 vec:2499 vec:5000)" 3 "the part's keys"

bad() { # expect-in-stderr command...
    local rc=0
    "${@:2}" >/dev/null 2>"$VM_TMP/err" || rc=$?
    [ "$rc" -ne 0 ] && grep -q -- "$1" "$VM_TMP/err" || fail "not refused ($rc): ${*:2}: $(cat "$VM_TMP/err")"
}
bad "holds ids 2500..4999 only" "$VM_BIN" prefill -p "$B" --dataset "$part" --limit 10000 --slice 2/4 \
    --state "$VM_TMP/sc"
bad "NormMax of the whole dataset" "$VM_BIN" prefill -p "$B" --dataset "$part" --limit 10000 --slice 1/4 \
    --expand 1 --state "$VM_TMP/sd"
bad "below a norm of the data" "$VM_BIN" prefill -p "$B" --dataset "$part" --limit 10000 --slice 1/4 \
    --expand 1 --norm-max 100 --state "$VM_TMP/se"
# a prepared set's manifest has its own NormMax: --norm-max replaces it in a new state
"$VM_BIN" dataset generate --n 2000 --dim 16 --queries 10 --no-gt --out "$VM_TMP/gen" >/dev/null || fail generate
"$VM_BIN" prefill -p "$B" --dataset "$VM_TMP/gen" --expand 1 --slice 0/2 --norm-max 1000 --state "$VM_TMP/sg" \
    >/dev/null || fail "--norm-max over a prepared set's NormMax"
assert_eq "$(awk '$1 == "norm_max" {print $2}' "$VM_TMP/sg/manifest")" 1000 "the given NormMax kept"
bad "expands with NormMax 1000, not 999" "$VM_BIN" prefill -p "$B" --dataset "$VM_TMP/gen" --expand 1 \
    --slice 0/2 --norm-max 999 --state "$VM_TMP/sg"
bad "recall needs every live vector" "$VM_BIN" query -p "$B" --state "$VM_TMP/sb" --index none
# a whole state that names the folder of some rows only
"$VM_BIN" prefill -p "$A" --dataset "$whole" --limit 10000 --state "$VM_TMP/all" >/dev/null || fail "prefill all"
"$VM_BIN" state merge --out "$VM_TMP/m" --dataset "$part" "$VM_TMP/all" >/dev/null || fail "merge --dataset"
bad "recall needs every row" "$VM_BIN" query -p "$B" --state "$VM_TMP/m" --index none
echo PASS
