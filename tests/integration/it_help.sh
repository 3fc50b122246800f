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
