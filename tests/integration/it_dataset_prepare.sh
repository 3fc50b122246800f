#!/usr/bin/env bash
# dataset prepare / info / verify on the five copies of siftsmall in
# ../shared/datasets (fvecs, fbin, bvecs, HDF5, parquet): byte-identical
# base.fbin and query.fbin, gt.bin ids equal to the .ivecs ground truth,
# the same counts and NormMax everywhere; verify catches a corrupted file.
. "$(dirname "$0")/../harness/lib.sh"

D=$VM_DATASETS
S=$D/siftsmall-derived
out=$VM_TMP/prep
"$VM_BIN" dataset prepare "$D/siftsmall" --out "$out/fvecs" >/dev/null
"$VM_BIN" dataset prepare --base "$S/base.10K.fbin" --queries "$S/query.100.fbin" --gt "$S/GT.100x100.bin" --out "$out/fbin" >/dev/null
"$VM_BIN" dataset prepare --base "$S/siftsmall_base.bvecs" --queries "$S/siftsmall_query.bvecs" --gt "$D/siftsmall/siftsmall_groundtruth.ivecs" --out "$out/bvecs" >/dev/null
"$VM_BIN" dataset prepare "$S/siftsmall-128-euclidean.hdf5" --out "$out/hdf5" >/dev/null
"$VM_BIN" dataset prepare "$D/siftsmall-vdbbench" --out "$out/parquet" >/dev/null

for src in fbin bvecs hdf5 parquet; do
    for f in base.fbin query.fbin gt.bin; do
        cmp -s "$out/fvecs/$f" "$out/$src/$f" || fail "$src: $f differs from the fvecs one"
    done
done
# gt.bin ids (after the 8-byte header) equal the ivecs rows without their length prefix
python3 - "$out/fvecs/gt.bin" "$D/siftsmall/siftsmall_groundtruth.ivecs" <<'PY' || fail "gt.bin ids differ from siftsmall_groundtruth.ivecs"
import struct, sys
g = open(sys.argv[1], 'rb').read(); iv = open(sys.argv[2], 'rb').read()
n, k = struct.unpack('<II', g[:8])
assert (n, k) == (100, 100), (n, k)
ids = g[8:8 + 4 * n * k]
rows = b''.join(iv[r * 404 + 4:(r + 1) * 404] for r in range(100))
sys.exit(0 if ids == rows else 1)
PY

# uint8 kept as uint8 (BIGANN-style), and ground truth computed when the source has none
"$VM_BIN" dataset prepare --base "$S/base.10K.u8bin" --queries "$S/query.100.u8bin" --gt "$S/groundtruth.ids.ibin" --type uint8 --out "$out/u8" >/dev/null
cmp -s "$out/u8/base.u8bin" "$S/base.10K.u8bin" || fail "--type uint8: base.u8bin differs from the source"
cmp -s "$out/u8/gt.bin" "$out/fvecs/gt.bin" || fail "--type uint8: gt.bin differs"
"$VM_BIN" dataset prepare --base "$S/base.10K.u8bin" --queries "$S/query.100.u8bin" --gt-k 100 --out "$out/gtk" >/dev/null
# same distances rank by rank (ids may differ only inside ties)
cmp -s <(tail -c 40000 "$out/gtk/gt.bin") <(tail -c 40000 "$out/fvecs/gt.bin") || fail "--gt-k: computed distances differ"
"$VM_BIN" dataset verify "$out/gtk" --all | grep -q "0 wrong" || fail "--gt-k: computed ground truth fails verify"

norms=""
for p in "$D/siftsmall" "$S/siftsmall-128-euclidean.hdf5" "$D/siftsmall-vdbbench" "$out/fvecs" "$out/parquet"; do
    "$VM_BIN" dataset info "$p" >"$VM_TMP/info"
    grep -q "10000 x 128" "$VM_TMP/info" || fail "info $p: no '10000 x 128': $(cat "$VM_TMP/info")"
    norms+="$(awk '$1 == "norm_max" {print $2}' "$VM_TMP/info") "
done
[ "$(echo $norms | tr ' ' '\n' | sort -u | wc -l)" = 1 ] || fail "NormMax differs: $norms"
note "NormMax $norms"

"$VM_BIN" dataset info "$D/vdbbench-gt-sample" >"$VM_TMP/info"
grep -q "1000 queries x 1000 ids" "$VM_TMP/info" || fail "vdbbench-gt-sample: $(cat "$VM_TMP/info")"

"$VM_BIN" dataset verify "$out/hdf5" >"$VM_TMP/v" || fail "verify of a good folder failed: $(cat "$VM_TMP/v")"
grep -q "0 wrong" "$VM_TMP/v" || fail "verify: $(cat "$VM_TMP/v")"
grep -q "3 ok, 0 bad" "$VM_TMP/v" || fail "verify checksums: $(cat "$VM_TMP/v")"
# swap two ground-truth ids of query 0: brute force must notice, and so must the checksum
cp -r "$out/hdf5" "$out/bad"
python3 - "$out/bad/gt.bin" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
b[8:12], b[8 + 4 * 50:12 + 4 * 50] = b[8 + 4 * 50:12 + 4 * 50], b[8:12]
open(p, 'wb').write(b)
PY
rc=0
"$VM_BIN" dataset verify "$out/bad" --all >"$VM_TMP/v" || rc=$?
[ "$rc" = 1 ] || fail "verify of a corrupted gt.bin exited $rc: $(cat "$VM_TMP/v")"
grep -q "1 wrong" "$VM_TMP/v" || fail "verify did not find the swapped ids: $(cat "$VM_TMP/v")"
grep -q "1 bad" "$VM_TMP/v" || fail "verify did not flag the checksum: $(cat "$VM_TMP/v")"

# generate: reproducible from the seed, exact ground truth
"$VM_BIN" dataset generate --n 5000 --dim 16 --queries 50 --k 10 --seed 7 --out "$out/g1" >/dev/null
"$VM_BIN" dataset generate --n 5000 --dim 16 --queries 50 --k 10 --seed 7 --out "$out/g2" >/dev/null
cmp -s "$out/g1/base.fbin" "$out/g2/base.fbin" || fail "generate is not reproducible"
[ "$(stat -c %s "$out/g1/base.fbin")" = $((8 + 5000 * 16 * 4)) ] || fail "generate: base.fbin size"
"$VM_BIN" dataset verify "$out/g1" --all | grep -q "50 queries checked at depth 10 .*: 0 wrong" || fail "generated ground truth"
"$VM_BIN" dataset generate --n 3000 --dim 8 --queries 0 --no-gt --type uint8 --out "$out/g3" >/dev/null
[ "$(stat -c %s "$out/g3/base.u8bin")" = $((8 + 3000 * 8)) ] || fail "generate uint8 size"
echo "ok"
