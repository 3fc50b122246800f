#!/usr/bin/env bash
# A sliced run (--slice I/N, docs/scaling.md) on real 3-master clusters:
# four loaders started at once leave byte for byte the keys one loader
# leaves (DEBUG DIGEST of every master), through prefill --expand, shrink
# --fraction --seed, expand and regrow; `state merge` of the four states
# equals the single loader's state; --slice 0/4 alone writes exactly its
# ids; bad slices and bad merges are refused with the reason.
. "$(dirname "$0")/../harness/lib.sh"
start_cluster --enable-debug-command yes
ONE=("${CLUSTER_PORTS[@]}")
start_cluster --enable-debug-command yes
FOUR=("${CLUSTER_PORTS[@]}")
ds=$VM_DATASETS/siftsmall
N=3000
digests() { local p; for p in "$@"; do redis-cli -p "$p" DEBUG DIGEST; done; }
keys() { local p; for p in "$@"; do redis-cli -p "$p" DBSIZE; done | awk '{t+=$1} END{print t}'; }
same() { # what
    [ "$(keys "${ONE[@]}")" = "$(keys "${FOUR[@]}")" ] ||
        fail "$1: $(keys "${ONE[@]}") keys from one loader, $(keys "${FOUR[@]}") from four"
    [ "$(digests "${ONE[@]}")" = "$(digests "${FOUR[@]}")" ] || fail "$1: the masters' digests differ"
    note "$1: $(keys "${ONE[@]}") keys, the same bytes"
}
four() { # command args...: the four loaders at once, each with its own state
    local i pids=()
    for i in 0 1 2 3; do
        "$VM_BIN" "$1" --cluster -p "${FOUR[$i % 3]}" --state "$VM_TMP/s$i" --slice "$i/4" "${@:2}" \
            >"$VM_TMP/l$i.log" 2>&1 &
        pids+=($!)
    done
    for i in 0 1 2 3; do wait "${pids[$i]}" || { cat "$VM_TMP/l$i.log"; fail "loader $i/4: $1"; }; done
}

"$VM_BIN" prefill --cluster -p "${ONE[0]}" --dataset "$ds" --limit $N --expand 1 --state "$VM_TMP/one" \
    >"$VM_TMP/one.log" || fail "prefill"
four prefill --dataset "$ds" --limit $N --expand 1
same "prefill --expand 1"
grep -q '^part_first 750$' "$VM_TMP/s1/manifest" && grep -q '^part_end 1500$' "$VM_TMP/s1/manifest" &&
    grep -q '^slice 1/4$' "$VM_TMP/s1/manifest" || fail "loader 1/4's part: $(cat "$VM_TMP/s1/manifest")"

"$VM_BIN" shrink --cluster -p "${ONE[0]}" --state "$VM_TMP/one" --fraction 0.5 --seed 7 >/dev/null || fail shrink
four shrink --fraction 0.5 --seed 7
same "shrink --fraction 0.5 --seed 7"
# the same command again draws anew (the state's second round): half of what is left
left=$(keys "${ONE[@]}")
"$VM_BIN" shrink --cluster -p "${ONE[0]}" --state "$VM_TMP/one" --fraction 0.5 --seed 7 >/dev/null || fail shrink
four shrink --fraction 0.5 --seed 7
same "a second shrink --fraction 0.5 --seed 7"
now=$(keys "${ONE[@]}")
[ $((now * 2)) -gt $((left * 9 / 10)) ] && [ $((now * 2)) -lt $((left * 11 / 10)) ] ||
    fail "a second shrink 0.5 left $now of $left"
"$VM_BIN" expand --cluster -p "${ONE[0]}" --state "$VM_TMP/one" --copies 2..2 >/dev/null || fail expand
four expand --copies 2..2
same "expand --copies 2..2"
"$VM_BIN" regrow --cluster -p "${ONE[0]}" --state "$VM_TMP/one" --fraction 0.5 --seed 3 >/dev/null || fail regrow
four regrow --fraction 0.5 --seed 3
same "regrow --fraction 0.5 --seed 3"

"$VM_BIN" state merge --out "$VM_TMP/merged" "$VM_TMP"/s{3,1,0,2} >"$VM_TMP/out" || fail "merge: $(cat "$VM_TMP/out")"
grep -q "ids 0..$((N - 1)) of every copy, 3 copies" "$VM_TMP/out" || fail "merge said: $(cat "$VM_TMP/out")"
cmp -s "$VM_TMP/merged/live.bin" "$VM_TMP/one/live.bin" || fail "the merged live set is not one loader's"
for k in inserted deleted copies step n; do
    assert_eq "$(awk -v k=$k '$1 == k {print $2}' "$VM_TMP/merged/manifest")" \
        "$(awk -v k=$k '$1 == k {print $2}' "$VM_TMP/one/manifest")" "merged $k"
done
assert_eq "$("$VM_BIN" state show "$VM_TMP/merged" | grep -c '^part: every id$')" 1 "merged part"

# --slice 0/4 alone: exactly ids 0..749 of each copy
start_redis
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" --limit $N --expand 1 --slice 0/4 >/dev/null || fail "0/4"
want=$( (seq 0 749 | sed 's/^/vec:/'; seq 0 749 | sed 's/^/expand_1_vec:/') | sort)
[ "$(redis-cli -p "$REDIS_PORT" --scan | sort)" = "$want" ] || fail "--slice 0/4 wrote other keys"

# refused, with the reason
bad() { # expect-in-stderr command...
    local rc=0
    "${@:2}" >/dev/null 2>"$VM_TMP/err" || rc=$?
    [ "$rc" -ne 0 ] && grep -q -- "$1" "$VM_TMP/err" || fail "not refused ($rc): ${*:2}: $(cat "$VM_TMP/err")"
}
bad "'4/4': I must be below N" "$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" --slice 4/4
bad "is not I/N" "$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$ds" --slice 2
bad "holds ids 750..1499 only" "$VM_BIN" shrink -p "$REDIS_PORT" --state "$VM_TMP/s1" --slice 2/4 --fraction 0.1
bad "overlap" "$VM_BIN" state merge --out "$VM_TMP/m2" "$VM_TMP/s0" "$VM_TMP/s1" "$VM_TMP/merged"
bad "no state holds ids 1500..2249" "$VM_BIN" state merge --out "$VM_TMP/m3" "$VM_TMP/s0" "$VM_TMP/s1" "$VM_TMP/s3"
bad "already holds a state" "$VM_BIN" state merge --out "$VM_TMP/merged" "$VM_TMP/s0"
"$VM_BIN" prefill -p "$REDIS_PORT" --dataset "$VM_DATASETS/siftsmall-derived/base.10K.fbin" --limit $N \
    --prefix doc: --state "$VM_TMP/other" --slice 1/4 >/dev/null || fail "other prefill"
bad "not parts of one run" "$VM_BIN" state merge --out "$VM_TMP/m4" "$VM_TMP/s0" "$VM_TMP/other"

# loaders of a scenario (--set slice=I/N --no-monitor) while one monitor
# samples; the monitor's report shows what they did together
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 100ms --out "$VM_TMP/mon" >/dev/null 2>&1 &
mon=$!
pids=()
for i in 0 1; do
    "$VM_BIN" run default -p "$REDIS_PORT" --set "dataset=$ds" --set limit=2000 --set slice=$i/2 --no-monitor \
        --out "$VM_TMP/l$i" >"$VM_TMP/l$i.log" 2>&1 &
    pids+=($!)
done
for i in 0 1; do wait "${pids[$i]}" || { cat "$VM_TMP/l$i.log"; fail "loader run $i/2"; }; done
kill -INT $mon
wait $mon || fail "monitor"
assert_eq "$(redis-cli -p "$REDIS_PORT" DBSIZE)" 2000 "keys of the two loaders' runs"
[ ! -s "$VM_TMP/l0/memory.csv" ] || [ "$(wc -l <"$VM_TMP/l0/memory.csv")" -le 3 ] || fail "a --no-monitor loader sampled"
grep -q '"slice": "1/2"' "$VM_TMP/l1/summary.json" || fail "summary.json names no slice"
"$VM_BIN" report "$VM_TMP/mon" --loader "$VM_TMP/l0" --loader "$VM_TMP/l1" --no-plots >"$VM_TMP/rep" ||
    fail "report --loader: $(cat "$VM_TMP/rep")"
grep -q '^report: 2 loaders inserted 2000 vectors' "$VM_TMP/rep" || fail "loaders' total: $(head -3 "$VM_TMP/rep")"
grep -q 'Loaders' "$VM_TMP/mon/report/summary.md" && grep -q '| 1/2 |' "$VM_TMP/mon/report/summary.md" ||
    fail "no Loaders section"
bad "no readable summary.json" "$VM_BIN" report "$VM_TMP/mon" --loader "$VM_TMP/nothing" --no-plots
echo "PASS"
