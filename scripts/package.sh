#!/usr/bin/env bash
# The Debian package of the tool, built the way the container image builds
# it (Containerfile runs exactly this): the dependency script, then a
# Release build of the tool and its manual page and completion (no tests,
# no benchmarks), then CPack.  Prints the path of the .deb.
#   BUILD_DIR  the build folder (default build-release/)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/setup.sh"
build=${BUILD_DIR:-$here/build-release}
[ "${VM_SKIP_DEPS:-}" = 1 ] || vm_setup_deps
VM_CMAKE_ARGS="-DVM_TESTS=OFF -DVM_BENCH=OFF -DCMAKE_INSTALL_PREFIX=/usr" \
    vm_setup_build "$build" Release vm_docs
vm_say "package: cpack -G DEB in $build"
(cd "$build" && cpack -G DEB >/dev/null)
ls "$build"/valkey-memstress_*.deb
