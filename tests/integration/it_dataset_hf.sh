#!/usr/bin/env bash
# HuggingFace-layout folders (parquet shards under data/ or the converter's
# refs/convert/parquet/, string ids, a LIST<DOUBLE> or LIST<FLOAT> column
# named after the model) written by vm_hf_parquet from siftsmall's 10,000
# base rows, and `dataset prepare --queries-from-base`: queries held out by
# the documented seeded rule, exact ground truth that verify finds right,
# byte-identical output for the same seed; rows.json of a partial download.
. "$(dirname "$0")/../harness/lib.sh"

[ -n "$VM_HF_PARQUET" ] || skip "VM_HF_PARQUET (tests/vm_hf_parquet) not set"
SRC=$VM_DATASETS/siftsmall/siftsmall_base.fvecs
[ -r "$SRC" ] || skip "no $SRC"
T=$VM_TMP
COL=text-embedding-3-small-128-embedding
"$VM_HF_PARQUET" "$SRC" "$T/hf" data 3 double "$COL" || fail "vm_hf_parquet data"
"$VM_HF_PARQUET" "$SRC" "$T/conv" convert 4 float emb || fail "vm_hf_parquet convert"
[ -f "$T/hf/data/train-00002-of-00003.parquet" ] || fail "no data/ shards: $(find "$T/hf")"
[ -f "$T/conv/refs/convert/parquet/default/train/0003.parquet" ] || fail "no converter shards"

"$VM_BIN" dataset info "$T/hf" >"$T/info" || fail "info of a HuggingFace folder: $(cat "$T/info")"
grep -q "HuggingFace parquet" "$T/info" || fail "info format: $(cat "$T/info")"
grep -q "\[$COL\]" "$T/info" || fail "info: the only list of doubles not guessed: $(cat "$T/info")"
grep -q "10000 x 128 float64" "$T/info" || fail "info counts: $(cat "$T/info")"
grep -q "norm_max *511.082" "$T/info" || fail "info norm_max: $(cat "$T/info")"
# the folder of the shards themselves (0000.parquet ...), given directly
"$VM_BIN" dataset info "$T/conv/refs/convert/parquet/default/train" >"$T/info2" ||
    fail "info of the shards' own folder: $(cat "$T/info2")"
grep -q "HuggingFace parquet" "$T/info2" && grep -q "10000 x 128 float32" "$T/info2" ||
    fail "the shards' own folder: $(cat "$T/info2")"

# held out: 100 rows, ground truth over the 9,900 left; verify --all finds it exact
"$VM_BIN" dataset prepare "$T/hf" --queries-from-base 100 --gt-k 100 --out "$T/p1" >"$T/out" ||
    fail "prepare --queries-from-base: $(cat "$T/out")"
grep -q "column guessed" "$T/out" || fail "prepare does not say the column was guessed: $(cat "$T/out")"
grep -q "9900 base + 100 queries x 128, ground truth depth 100" "$T/out" || fail "prepare: $(cat "$T/out")"
"$VM_BIN" dataset verify "$T/p1" --all >"$T/v" || fail "verify: $(cat "$T/v")"
grep -q "100 queries checked at depth 100 against brute force: 0 wrong" "$T/v" || fail "verify: $(cat "$T/v")"

# the manifest names the rows; the rows are the ones the documented rule
# draws (Floyd over splitmix64, prep_holdout.h); query i is source row
# held_out[i]; the base is every other row, in order
cat >"$T/check.py" <<'PY'
import json, struct, sys
d, src, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
m = json.load(open(d + '/manifest.json'))
h = m['queries_from_base']
assert (h['count'], h['seed'], m['base_count'], m['query_count']) == (100, seed, 9900, 100), h
M = (1 << 64) - 1
state = seed
def unit():
    global state
    state = (state + 0x9e3779b97f4a7c15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return ((z ^ (z >> 31)) >> 11) * 2.0 ** -53
n, q, taken = 10000, 100, set()
for j in range(n - q, n):
    t = min(int(unit() * (j + 1)), j)
    taken.add(j if t in taken else t)
assert h['held_out'] == sorted(taken), 'held_out is not what the rule draws'
raw = open(src, 'rb').read()
rows = [raw[i * 516 + 4:(i + 1) * 516] for i in range(n)]
def fbin(p):
    b = open(p, 'rb').read(); k, dim = struct.unpack('<II', b[:8])
    return [b[8 + i * dim * 4:8 + (i + 1) * dim * 4] for i in range(k)]
assert fbin(d + '/query.fbin') == [rows[i] for i in h['held_out']], 'queries'
assert fbin(d + '/base.fbin') == [rows[i] for i in range(n) if i not in taken], 'base'
PY
python3 "$T/check.py" "$T/p1" "$SRC" 1 || fail "held-out rows, queries or base differ from the source"

# the same seed: the same bytes; another seed: other rows
"$VM_BIN" dataset prepare "$T/hf" --queries-from-base 100 --gt-k 100 --seed 1 --out "$T/p2" >/dev/null ||
    fail "second prepare"
for f in base.fbin query.fbin gt.bin manifest.json; do
    cmp -s "$T/p1/$f" "$T/p2/$f" || fail "seed 1 twice: $f differs"
done
"$VM_BIN" dataset prepare "$T/hf" --queries-from-base 100 --seed 7 --out "$T/p7" >"$T/out" ||
    fail "prepare --seed 7: $(cat "$T/out")"
grep -q "ground truth depth 100" "$T/out" || fail "--gt-k does not default to 100: $(cat "$T/out")"
cmp -s "$T/p1/query.fbin" "$T/p7/query.fbin" && fail "seed 7 held out the same rows as seed 1"
python3 "$T/check.py" "$T/p7" "$SRC" 7 || fail "seed 7: held-out rows, queries or base differ from the source"
python3 "$T/check.py" "$T/p7" "$SRC" 1 2>/dev/null && fail "the check does not tell seed 7 from seed 1"
"$VM_BIN" dataset verify "$T/p7" --all | grep -q ": 0 wrong" || fail "seed 7: verify"

# the converter's layout, LIST<FLOAT> `emb`, 4 shards: the same prepared files
"$VM_BIN" dataset prepare "$T/conv" --queries-from-base 100 --gt-k 100 --out "$T/pc" >"$T/out" ||
    fail "prepare refs/convert/parquet: $(cat "$T/out")"
grep -q "\[emb\]" "$T/out" || fail "emb column: $(cat "$T/out")"
for f in base.fbin query.fbin gt.bin; do
    cmp -s "$T/p1/$f" "$T/pc/$f" || fail "refs/convert/parquet LIST<FLOAT>: $f differs from data/ LIST<DOUBLE>"
done

# two lists of floats: the column must be named
"$VM_HF_PARQUET" "$SRC" "$T/two" data 2 float vec_a vec_b || fail "vm_hf_parquet two columns"
rc=0
"$VM_BIN" dataset info "$T/two" >/dev/null 2>"$T/err" || rc=$?
[ "$rc" != 0 ] || fail "two embedding columns accepted without --column"
grep -q -- "--column: .*several lists of numbers (vec_a, vec_b)" "$T/err" || fail "ambiguous column: $(cat "$T/err")"
"$VM_BIN" dataset info "$T/two" --column vec_b | grep -q "\[vec_b\]" || fail "--column vec_b"
rc=0
"$VM_BIN" dataset info "$T/two" --column nope >/dev/null 2>"$T/err" || rc=$?
[ "$rc" != 0 ] && grep -q -- "--column: .*no column 'nope'" "$T/err" || fail "--column nope: $(cat "$T/err")"

# refused combinations, each naming the option
refused() { # expected-text args...
    local want=$1 rc=0
    shift
    "$VM_BIN" dataset prepare "$@" >/dev/null 2>"$T/err" || rc=$?
    [ "$rc" != 0 ] || fail "accepted: $*"
    grep -q -- "$want" "$T/err" || fail "$*: $(cat "$T/err") (wanted: $want)"
    [ ! -e "$T/bad" ] || fail "$*: left $T/bad behind"
}
refused "--queries-from-base: 10000 queries out of a base of 10000 rows" "$T/hf" --queries-from-base 10000 --out "$T/bad"
refused "--queries-from-base: 0 queries" "$T/hf" --queries-from-base 0 --out "$T/bad"
refused "--queries-from-base: .*already has queries" "$VM_DATASETS/siftsmall" --queries-from-base 10 --out "$T/bad"
refused "--gt-k: ground truth 200 deep, but only 50 base rows" "$T/hf" --queries-from-base 9950 --gt-k 200 --out "$T/bad"

# a partial download: rows.json copied unchanged, no computed ground truth
mkdir -p "$T/part"
ln -s "$T/hf/data" "$T/part/data"
printf '{"rows_first":0,"rows_end":10000,"rows_total":1000000,"source":"test"}\n' >"$T/part/rows.json"
"$VM_BIN" dataset info "$T/part" | grep -q "partial .*rows 0..10000 of 1000000" || fail "info: partial not shown"
refused "--gt-k: .*holds only rows 0..10000 of 1000000.*exact ground truth needs every row" "$T/part" --gt-k 10 --out "$T/bad"
refused "--queries-from-base: .*exact ground truth needs every row" "$T/part" --queries-from-base 10 --out "$T/bad"
"$VM_BIN" dataset prepare "$T/part" --out "$T/pp" >/dev/null || fail "prepare of a partial download"
cmp -s "$T/part/rows.json" "$T/pp/rows.json" || fail "rows.json not copied unchanged"
cmp -s "$T/p1/base.fbin" "$T/pp/base.fbin" && fail "partial: the base should hold all 10000 rows"
[ "$(stat -c %s "$T/pp/base.fbin")" = $((8 + 10000 * 128 * 4)) ] || fail "partial: base.fbin size"
echo "ok"
