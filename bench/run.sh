#!/bin/sh
# Benchmarks of fgsd (called by `make bench`). Installs the tools it needs
# (scripts/deps.sh bench: wrk, nginx-light, gnuplot-nox), builds fgsd when
# build/fgsd is missing, then runs each benchmark and prints its table.
#   bench/run.sh                    all benchmarks (mgmt, then invoke)
#   bench/run.sh mgmt               only the management API
#   BENCH_DURATION=5 bench/run.sh   shorter runs
# The invocation benchmark starts sandboxed instances and so needs root; it is
# skipped (with a note) otherwise.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

"$root/scripts/deps.sh" bench
if [ -z "${FGSD:-}" ] && [ ! -x "$root/build/fgsd" ]; then
    cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$root/build" -j "$(nproc)"
fi

[ $# -gt 0 ] || set -- mgmt invoke
for b in "$@"; do
    case $b in
    mgmt) "$here/mgmt.sh" ;;
    invoke)
        if [ ! -x "$here/invoke.sh" ]; then
            echo "bench: no bench/invoke.sh, skipping the invocation benchmark" >&2
        elif [ "$(id -u)" != 0 ]; then
            echo "bench: the invocation benchmark needs root (sandboxed instances), skipping it" >&2
        else
            "$here/invoke.sh"
        fi
        ;;
    *) echo "bench: unknown benchmark '$b' (mgmt, invoke)" >&2; exit 2 ;;
    esac
done
