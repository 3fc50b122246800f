#!/usr/bin/env bash
# Set-up shared by quickstart.sh, test.sh and the container build: install
# what is missing (install-deps.sh, idempotent) and configure + build a
# CMake folder.  Sourced, not run: defines vm_setup_deps and vm_setup_build.
#
# A build folder left by an earlier failed or interrupted attempt is detected
# and redone: a CMakeCache.txt without a generated build system, or one made
# from another checkout, is removed before configuring; a configure that
# fails on an existing cache is retried once from an empty folder.

vm_setup_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# One line on stderr for what is going on now (no silent minutes).
vm_say() { printf '%s\n' "$*" >&2; }

vm_setup_deps() {
    bash "$vm_setup_root/scripts/install-deps.sh" >&2
}

vm_build_stale() {
    local dir=$1 cache=$1/CMakeCache.txt home
    [ -f "$cache" ] || return 1
    [ -f "$dir/Makefile" ] || [ -f "$dir/build.ninja" ] || return 0
    home=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")
    [ "$home" = "$vm_setup_root" ] || return 0
    return 1
}

# vm_setup_build DIR BUILD_TYPE [TARGET] -- configure (when needed) and build.
# VM_CMAKE_ARGS: more -D settings for the configure step.
vm_setup_build() {
    local dir=$1 type=$2 target=${3:-} log
    log=$(mktemp)
    if vm_build_stale "$dir"; then
        vm_say "setup: $dir was left half-configured or from another checkout: configuring it anew"
        rm -rf "$dir"
    fi
    vm_say "setup: configuring $dir ($type)"
    if ! cmake -S "$vm_setup_root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" ${VM_CMAKE_ARGS:-} >"$log" 2>&1; then
        if [ -f "$dir/CMakeCache.txt" ]; then
            vm_say "setup: configure failed on the existing cache: configuring $dir from scratch"
            rm -rf "$dir"
            cmake -S "$vm_setup_root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" ${VM_CMAKE_ARGS:-} >"$log" 2>&1 || {
                cat "$log" >&2; rm -f "$log"; return 1; }
        else
            cat "$log" >&2; rm -f "$log"; return 1
        fi
    fi
    vm_say "setup: building ${target:-everything} in $dir ($(nproc) jobs)"
    if ! cmake --build "$dir" -j"$(nproc)" ${target:+--target "$target"} >"$log" 2>&1; then
        grep -E "error|Error" "$log" >&2 || cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}
