#!/usr/bin/env bash
# Install and package, as the container build does it (scripts/package.sh:
# a Release build without tests, then CPack): the .deb holds the binary, the
# plugin header and its pkg-config file, a manual page that man renders and
# that names every option of `prefill --help`, and a bash completion that
# completes `valkey-memstress pre<TAB>`; its dependencies are Debian's
# runtime libraries.  `cmake --install --prefix` gives the same tree.  The
# Containerfile runs the same dependency script and package script.
. "$(dirname "$0")/../harness/lib.sh"
: "${VM_SOURCE:?VM_SOURCE must point at the checkout}"
command -v dpkg-deb >/dev/null || skip "dpkg-deb is not installed"
command -v man >/dev/null || skip "man is not installed (Debian man-db)"
build="$VM_TMP/pkg"
deb=$(BUILD_DIR="$build" VM_SKIP_DEPS=1 bash "$VM_SOURCE/scripts/package.sh" 2>"$VM_TMP/err" | tail -1) \
    || { cat "$VM_TMP/err"; fail "scripts/package.sh"; }
[ -s "$deb" ] || fail "no .deb: '$deb'"
dpkg-deb -I "$deb" >"$VM_TMP/info"
dep=$(sed -n 's/^ Depends: //p' "$VM_TMP/info")
for lib in libhiredis libcurl4 libhdf5 libssl3 libyaml libjson-c libzstd libsnappy libarchive libopenblas0 libc6; do
    echo "$dep" | grep -q "$lib" || fail "the package does not depend on $lib: $dep"
done
dpkg-deb -c "$deb" | awk '{print $6}' >"$VM_TMP/files"
for f in ./usr/bin/valkey-memstress ./usr/include/valkey-memstress/workload.h \
         ./usr/share/pkgconfig/valkey-memstress.pc ./usr/share/man/man1/valkey-memstress.1 \
         ./usr/share/bash-completion/completions/valkey-memstress; do
    grep -qx "$f" "$VM_TMP/files" || fail "the package lacks $f: $(tr '\n' ' ' <"$VM_TMP/files")"
done
root="$VM_TMP/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/valkey-memstress" version | grep -q '^valkey-memstress [0-9]' || fail "the packaged binary"
# the manual page renders and names every option prefill --help lists
MANWIDTH=200 man -l "$root/usr/share/man/man1/valkey-memstress.1" 2>"$VM_TMP/manerr" >"$VM_TMP/man.txt" \
    || fail "man -l: $(cat "$VM_TMP/manerr")"
[ ! -s "$VM_TMP/manerr" ] || fail "man warned: $(cat "$VM_TMP/manerr")"
"$root/usr/bin/valkey-memstress" prefill --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u >"$VM_TMP/opts"
[ "$(wc -l <"$VM_TMP/opts")" -gt 30 ] || fail "prefill --help lists $(wc -l <"$VM_TMP/opts") options"
sed -n '/^PREFILL/,/^[A-Z]/p' "$VM_TMP/man.txt" >"$VM_TMP/man_prefill"
while read -r o; do
    grep -q -- "$o" "$VM_TMP/man_prefill" || fail "the manual's PREFILL section lacks $o"
done <"$VM_TMP/opts"
# bash completion
comp="$root/usr/share/bash-completion/completions/valkey-memstress"
got=$(bash -c '. "$1"; COMP_WORDS=(valkey-memstress pre); COMP_CWORD=1; _valkey_memstress; echo "${COMPREPLY[*]}"' _ "$comp")
assert_eq "$got" prefill "completion of 'valkey-memstress pre'"
got=$(bash -c '. "$1"; COMP_WORDS=(valkey-memstress run grow); COMP_CWORD=2; _valkey_memstress; echo "${COMPREPLY[*]}"' _ "$comp")
assert_eq "$got" grow-shrink "completion of a scenario name"
got=$(bash -c '. "$1"; COMP_WORDS=(valkey-memstress dataset download siftsm); COMP_CWORD=3; _valkey_memstress; echo "${COMPREPLY[*]}"' _ "$comp")
assert_eq "$got" siftsmall "completion of a catalog name"
# a plugin builds against the installed header through pkg-config
cflags=$(PKG_CONFIG_PATH="$root/usr/share/pkgconfig" pkg-config --define-variable=prefix="$root/usr" --cflags valkey-memstress)
cc -shared -fPIC -Wall -Werror $cflags -DVMS_AS_PLUGIN "$VM_SOURCE/src/workload/wl_mix.c" -o "$VM_TMP/mix.so" \
    || fail "a plugin did not build with pkg-config's flags ($cflags)"
# cmake --install --prefix gives the same files
cmake --install "$build" --prefix "$VM_TMP/inst" >/dev/null || fail "cmake --install"
for f in bin/valkey-memstress share/man/man1/valkey-memstress.1 share/bash-completion/completions/valkey-memstress \
         include/valkey-memstress/workload.h share/pkgconfig/valkey-memstress.pc; do
    [ -s "$VM_TMP/inst/$f" ] || fail "cmake --install did not give $f"
done
# the container image is built by the same steps
cf="$VM_SOURCE/Containerfile"
grep -Eq '^RUN bash scripts/install-deps.sh --build' "$cf" || fail "the Containerfile does not run install-deps.sh --build"
grep -Eq 'bash scripts/package.sh' "$cf" || fail "the Containerfile does not run scripts/package.sh"
grep -q '^USER ' "$cf" && ! grep -Eq '^USER (root|0)$' "$cf" || fail "the image runs as root"
grep -q '^ENTRYPOINT \["valkey-memstress"\]' "$cf" || fail "the image's entry point is not the tool"
grep -q 'scripts/setup.sh' "$VM_SOURCE/scripts/package.sh" || fail "package.sh does not use setup.sh's build steps"
