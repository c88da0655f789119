#!/bin/sh
# Installs what is missing, builds, and runs the whole suite (unit,
# integration, interop), then the same suite under ASan+UBSan.
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc)

scripts/deps.sh
scripts/interop-deps.sh

echo "== build (gcc, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFGS_WERROR=ON >/dev/null
cmake --build build -j "$JOBS"
echo "== tests"
(cd build && ctest --output-on-failure -j "$JOBS")

echo "== build (clang, ASan+UBSan)"
CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFGS_WERROR=ON \
    -DFGS_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$JOBS"
echo "== tests under ASan+UBSan"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$JOBS")
echo "== all tests passed"
