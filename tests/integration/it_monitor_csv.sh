#!/usr/bin/env bash
# monitor writes a CSV whose header names used_memory and one whole row per
# interval; every row has as many cells as the header.
. "$(dirname "$0")/../harness/lib.sh"
start_redis
csv="$VM_TMP/m.csv"
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 2s --csv "$csv"
head -1 "$csv" | tr ',' '\n' | grep -qx used_memory || fail "header lacks used_memory"
rows=$(( $(wc -l <"$csv") - 1 ))
[ "$rows" -ge 9 ] && [ "$rows" -le 11 ] || fail "expected ~10 rows for 2s at 200ms, got $rows"
ncol=$(head -1 "$csv" | awk -F, '{print NF}')
awk -F, -v n="$ncol" 'NF != n { bad = 1 } END { exit bad }' "$csv" || fail "a row has the wrong cell count"
col=$(head -1 "$csv" | tr ',' '\n' | grep -nx used_memory | cut -d: -f1)
um=$(sed -n 2p "$csv" | cut -d, -f"$col")
[ "$um" -gt 100000 ] || fail "used_memory '$um' is not a plausible byte count"
