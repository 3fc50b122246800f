#!/usr/bin/env bash
# Every command is in the table, and `help CMD` / `CMD --help` list every
# connection option.
. "$(dirname "$0")/../harness/lib.sh"
for cmd in dataset prefill query monitor run report version help; do
    "$VM_BIN" help | grep -q "^  $cmd " || fail "help does not list $cmd"
done
for cmd in prefill monitor run; do
    h=$("$VM_BIN" help "$cmd")
    [ "$h" = "$("$VM_BIN" "$cmd" --help)" ] || fail "help $cmd differs from $cmd --help"
    for o in -h, -p, -u, --user -a, --cluster --tls --cacert --cert --key --sni -c, --threads -P,; do
        grep -q -- "$o" <<<"$h" || fail "$cmd --help lacks $o"
    done
done
"$VM_BIN" version | grep -Eq '^valkey-memstress [0-9]+\.[0-9]+\.[0-9]+$' || fail "version"
# a mistyped command, sub-command or option suggests the nearest one (git-style)
"$VM_BIN" prefil >/dev/null 2>"$VM_TMP/err" && fail "an unknown command succeeded"
grep -q "unknown command 'prefil'; did you mean 'prefill'?" "$VM_TMP/err" || fail "prefil: $(cat "$VM_TMP/err")"
"$VM_BIN" dataset prepre 2>"$VM_TMP/err" && fail "an unknown sub-command succeeded"
grep -q "did you mean 'prepare'?" "$VM_TMP/err" || fail "dataset prepre: $(cat "$VM_TMP/err")"
"$VM_BIN" prefill --datset x 2>"$VM_TMP/err" && fail "an unknown option succeeded"
grep -q "unknown option '--datset' (see --help; did you mean --dataset?)" "$VM_TMP/err" || fail "--datset: $(cat "$VM_TMP/err")"
"$VM_BIN" zzzzqqq 2>"$VM_TMP/err" && fail "zzzzqqq succeeded"
grep -q "did you mean" "$VM_TMP/err" && fail "a suggestion for a word near nothing: $(cat "$VM_TMP/err")"
true
