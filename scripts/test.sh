#!/usr/bin/env bash
# Build and run every test: unit tests (also under ASan + UBSan) and the
# integration tests against real servers.  Installs what is missing first
# (install-deps.sh, idempotent) and redoes a half-configured build folder.
# Prints ctest's summary, the reason of every skipped test, and one closing
# "N passed, N failed" line.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/setup.sh"
build=${BUILD_DIR:-$here/build}
vm_say "test: checking dependencies (scripts/install-deps.sh)"
vm_setup_deps || exit 1
vm_setup_build "$build" RelWithDebInfo || exit 1
log="$build/ctest.log"
vm_say "test: running the tests (ctest -j2)"
(cd "$build" && ctest --output-on-failure -j2 --timeout 900 "$@") 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# ctest keeps the output of skipped tests in its log: show why each skipped
grep -h "^SKIPPED:" "$build/Testing/Temporary/LastTest.log" 2>/dev/null | sort | uniq -c | sed 's/^/skip reason:/'
passed=$(grep -cE "Test +#[0-9]+: .* Passed" "$log")
failed=$(grep -cE "Test +#[0-9]+: .*(\*\*\*Failed|\*\*\*Timeout|\*\*\*Exception|Failed)" "$log")
skipped=$(grep -cE "Test +#[0-9]+: .*Skipped" "$log")
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
