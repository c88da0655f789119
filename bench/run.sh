#!/bin/sh
# Benchmarks of fgsd (called by `make bench`). Installs the tools it needs
# (scripts/deps.sh bench: wrk, nginx-light, gnuplot-nox), builds fgsd when
# build/fgsd is missing, then runs each benchmark and prints its table.
#   bench/run.sh                 all benchmarks
#   BENCH_DURATION=5 bench/run.sh   shorter runs
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

"$root/scripts/deps.sh" bench
if [ -z "${FGSD:-}" ] && [ ! -x "$root/build/fgsd" ]; then
    cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$root/build" -j "$(nproc)"
fi

"$here/mgmt.sh"
