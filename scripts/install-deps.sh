#!/usr/bin/env bash
# Install every build and test dependency from Debian's packages.
# Idempotent: does nothing when everything is already there.
#   --build   only what building the tool and its package needs (the
#             container image's build stage uses this)
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake pkg-config file
  libhiredis-dev libssl-dev libcmocka-dev
  libcurl4-openssl-dev libhdf5-dev libyaml-dev libopenblas-dev libzstd-dev libsnappy-dev libarchive-dev
  libjson-c-dev
)
TEST_PKGS=(
  clang libclang-rt-14-dev
  redis-server redis-tools prometheus-pushgateway
  gnuplot-nox curl python3 python3-yaml openssl man-db
  chromium
  libfaiss-dev
)

PKGS=("${BUILD_PKGS[@]}")
case "${1:-}" in
  --build) ;;
  "") PKGS+=("${TEST_PKGS[@]}") ;;
  *) echo "install-deps: unknown argument '$1' (only --build)" >&2; exit 2 ;;
esac

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#PKGS[@]} packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]} (apt-get, a few minutes)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
