#!/bin/sh
# Installs the Debian packages fgs needs to build and test, calling apt-get
# only for packages that are missing, so a second run is a quick no-op.
#   scripts/deps.sh            build + test dependencies
#   scripts/deps.sh bench      also the benchmark tools
set -eu

pkgs="build-essential cmake pkg-config clang libclang-rt-14-dev
libmicrohttpd-dev libjansson-dev libsqlite3-dev libssl-dev libzip-dev
libcurl4-openssl-dev zlib1g-dev unzip zip libseccomp-dev libcap-dev"
[ "${1:-}" = bench ] && pkgs="$pkgs wrk nginx-light gnuplot-nox"

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
