#!/usr/bin/env bash
# The README's first command, as a new user meets it: with a build folder
# left half-configured by a failed attempt (a CMakeCache.txt and nothing
# else), scripts/quickstart.sh redoes it, builds, runs the quickstart
# scenario, writes the report and prints the path of index.html and the
# three headline figures; the report's prefill phase counts every vector
# (a sample is taken at each step's start and end).
. "$(dirname "$0")/../harness/lib.sh"
: "${VM_SOURCE:?VM_SOURCE must point at the checkout}"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (Debian gnuplot-nox)"
build="$VM_TMP/build"
mkdir -p "$build"
printf 'CMAKE_HOME_DIRECTORY:INTERNAL=%s\n' "$VM_SOURCE" >"$build/CMakeCache.txt"
BUILD_DIR="$build" DATASET="$VM_DATASETS/siftsmall" bash "$VM_SOURCE/scripts/quickstart.sh" \
    --out "$VM_TMP/run" >"$VM_TMP/out" 2>"$VM_TMP/err" \
    || { cat "$VM_TMP/out" "$VM_TMP/err"; fail "quickstart.sh failed"; }
grep -q "half-configured" "$VM_TMP/err" || fail "the stale build folder was not noticed: $(cat "$VM_TMP/err")"
html=$(sed -n 's/^report: //p' "$VM_TMP/out")
[ -n "$html" ] && [ -s "$html" ] || fail "no report path, or it does not exist: '$html'"
[ "$html" = "$(cd "$VM_TMP/run/report" && pwd)/index.html" ] || fail "report path $html"
grep -q "Headline" "$html" || fail "index.html has no headline"
bpv=$(sed -nE 's/^bytes per live vector: ([0-9]+) B .*at 10,000 live vectors.*/\1/p' "$VM_TMP/out")
[ -n "$bpv" ] || fail "no bytes-per-vector headline: $(cat "$VM_TMP/out")"
# siftsmall: a 512-byte vector in a hash with its key; well under 4 KiB
[ "$bpv" -gt 512 ] && [ "$bpv" -lt 4096 ] || fail "bytes per live vector $bpv"
kept=$(sed -nE 's/^memory not returned after deletes: .* of the [0-9.]+ MiB that the [0-9,]+ deleted vectors took \((-?[0-9]+) %.*/\1/p' "$VM_TMP/out")
[ -n "$kept" ] || fail "no memory-not-returned headline: $(grep -i returned "$VM_TMP/out")"
if [ -z "${VALKEY_SEARCH_MODULE:-}" ]; then
    # redis-server frees a deleted hash at once: most of it comes back
    [ "$kept" -gt -20 ] && [ "$kept" -lt 50 ] || fail "redis-server kept $kept % of the deleted vectors' memory"
fi
if [ -n "${VALKEY_SERVER:-}" ] && [ -n "${VALKEY_SEARCH_MODULE:-}" ]; then
    grep -Eq '^recall@10: (0\.[89][0-9]*|1) ' "$VM_TMP/out" || fail "recall headline: $(grep -i recall "$VM_TMP/out")"
else
    grep -q '^recall: not measured (the server has no search module' "$VM_TMP/out" \
        || fail "recall headline without the module: $(grep -i recall "$VM_TMP/out")"
fi
grep -q '^- prefill: 10,000 vectors added (0 -> 10,000)' "$VM_TMP/run/report/summary.md" \
    || fail "the report's prefill phase: $(grep -i 'prefill:' "$VM_TMP/run/report/summary.md")"
