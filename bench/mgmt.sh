#!/bin/sh
# Management-API throughput of fgsd, measured with wrk on 127.0.0.1.
#
# fgsd runs pinned to core 0 (taskset -c 0) with --auth none and a fresh data
# dir; wrk runs pinned to core 1. After checking that every endpoint answers
# correctly it measures, each for BENCH_DURATION seconds:
#   GET  .../functions/{urn}/config      32 connections   req/s
#   GET  .../functions?maxitems=50       32 connections   req/s
#   POST .../functions (new function and project per request)   creates/s
#   GET  .../functions/{urn}/config      1 connection     p50 / p99 latency
# and prints a Markdown table next to the targets.
#
# Environment: FGSD (default build/fgsd), BENCH_FUNCS (functions created up
# front, default 100), BENCH_DURATION (seconds per run, default 10),
# BENCH_CONNS (default 32), FGSD_THREADS (fgsd --threads; default: fgsd's own),
# BENCH_COMMIT (commit to print when FGSD is not built from this tree).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
FGSD=${FGSD:-$root/build/fgsd}
FUNCS=${BENCH_FUNCS:-100}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNS:-32}
PROJECT=0a1b2c3d4e5f60718293a4b5c6d7e8f9
TARGET_GET=20000
TARGET_CREATE=1000

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$FGSD" ] || die "no fgsd at $FGSD (run 'make build' first)"
command -v wrk >/dev/null || die "wrk is missing (scripts/deps.sh bench installs it)"
command -v curl >/dev/null || die "curl is missing"
case $DURATION in ''|*[!0-9]*) die "BENCH_DURATION must be a number of seconds" ;; esac
case $FUNCS in ''|*[!0-9]*) die "BENCH_FUNCS must be a number" ;; esac
[ "$FUNCS" -ge 50 ] || die "BENCH_FUNCS must be at least 50 (the list page size)"

# Pinning: server on core 0, load generator on core 1 (needs 2 cores).
cores=$(nproc)
if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
    PIN_SRV="taskset -c 0"
    PIN_WRK="taskset -c 1"
else
    echo "bench: fewer than 2 cores or no taskset; running unpinned" >&2
    PIN_SRV=""
    PIN_WRK=""
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fgs-bench.XXXXXX")
srv_pid=""
cleanup() {
    if [ -n "$srv_pid" ] && kill -0 "$srv_pid" 2>/dev/null; then
        kill -TERM "$srv_pid" 2>/dev/null || true
        i=0
        while kill -0 "$srv_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$srv_pid" 2>/dev/null || true
    fi
    if [ -n "${BENCH_KEEP:-}" ]; then
        echo "bench: kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- start fgsd
set -- --listen 127.0.0.1:0 --data-dir "$work/data" --auth none --log-level warn
if [ -n "${FGSD_THREADS:-}" ]; then set -- "$@" --threads "$FGSD_THREADS"; fi
mkdir -p "$work/data"
# shellcheck disable=SC2086
$PIN_SRV "$FGSD" "$@" >"$work/stdout" 2>"$work/stderr" &
srv_pid=$!
i=0
until grep -q '^listening on http://' "$work/stdout" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 200 ] || ! kill -0 "$srv_pid" 2>/dev/null; then
        cat "$work/stderr" >&2
        die "fgsd did not start"
    fi
    sleep 0.05
done
BASE=$(head -n1 "$work/stdout" | sed 's/^listening on //')
case $BASE in http://127.0.0.1:[0-9]*) ;; *) die "unexpected fgsd address: $BASE" ;; esac
API="$BASE/v2/$PROJECT/fgs"

# --- seed N functions (and check every create)
CODE=$(printf 'def handler(event, context):\n    return {"ok": True}\n' | base64 | tr -d '\n')
body() {
    printf '{"func_name":"%s","package":"default","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":30,"code_type":"inline","func_code":{"file":"%s"}}' "$1" "$CODE"
}
n=1
while [ $n -le "$FUNCS" ]; do
    st=$(curl -s -o "$work/resp" -w '%{http_code}' --max-time 10 -X POST "$API/functions" \
        -H 'Content-Type: application/json' -d "$(body "fn$n")")
    [ "$st" = 200 ] || die "seeding fn$n answered HTTP $st: $(head -c 300 "$work/resp")"
    n=$((n + 1))
done

# URN exactly as clients use it: the one create answered, without :latest.
URN=$(sed -n 's/.*"func_urn":"\([^"]*\)".*/\1/p' "$work/resp" | sed 's/:latest$//')
URN=${URN%:fn"$FUNCS"}:fn1
case $URN in urn:fss:*:$PROJECT:function:default:fn1) ;; *) die "could not derive a URN: $URN" ;; esac
CONFIG_URL="$API/functions/$URN/config"
LIST_URL="$API/functions?maxitems=50"
CREATE_URL="$BASE/"

# --- correctness checks before measuring
st=$(curl -s -o "$work/resp" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' "$CONFIG_URL")
[ "$st" = 200 ] || die "GET config answered HTTP $st"
grep -q "\"func_urn\":\"$URN:latest\"" "$work/resp" || die "GET config body lacks func_urn $URN:latest"
grep -q '"func_name":"fn1"' "$work/resp" || die "GET config body lacks func_name fn1"

st=$(curl -s -o "$work/resp" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' "$LIST_URL")
[ "$st" = 200 ] || die "GET list answered HTTP $st"
items=$(grep -o '"func_urn":' "$work/resp" | wc -l)
[ "$items" -eq 50 ] || die "GET list?maxitems=50 returned $items functions"
grep -q "\"count\":$FUNCS" "$work/resp" || die "GET list count is not $FUNCS"

check_pid=ffffffffffffffffffffffffffffffff
st=$(curl -s -o "$work/resp" -w '%{http_code}' --max-time 10 -X POST \
    "$BASE/v2/$check_pid/fgs/functions" -H 'Content-Type: application/json' -d "$(body probe)")
[ "$st" = 200 ] || die "POST create (other project) answered HTTP $st: $(head -c 300 "$work/resp")"
grep -q "\"func_urn\":\"urn:fss:[^\"]*:$check_pid:function:default:probe:latest\"" "$work/resp" ||
    die "POST create body lacks the expected func_urn"
echo "bench: endpoints answer correctly (config, list of 50 of $FUNCS, create); fgsd at $BASE" >&2

# --- measurements (each bounded by wrk -d and a hard timeout)
export BENCH_DIR="$here"
export BENCH_CODE_B64="$CODE"
hard=$((DURATION + 30))

run_wrk() { # name conns script url
    name=$1 conns=$2 script=$3 url=$4
    echo "bench: $name: wrk -t1 -c$conns -d${DURATION}s" >&2
    # shellcheck disable=SC2086
    timeout "$hard" $PIN_WRK wrk -t1 -c"$conns" -d"${DURATION}s" --timeout 5s -s "$here/$script" "$url" \
        >"$work/wrk-$name.txt" 2>&1 || die "wrk failed for $name: $(tail -5 "$work/wrk-$name.txt")"
    line=$(grep '^BENCH ' "$work/wrk-$name.txt") || die "no summary from wrk for $name"
    echo "$line" >"$work/$name.res"
    kill -0 "$srv_pid" 2>/dev/null || die "fgsd died during $name (see stderr below)
$(tail -20 "$work/stderr")"
}
field() { # name key
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$work/$1.res"
}
errors() { # name -> total errors of any kind
    echo $(($(field "$1" err_connect) + $(field "$1" err_read) + $(field "$1" err_write) \
        + $(field "$1" err_timeout) + $(field "$1" err_status)))
}

run_wrk get_config "$CONNS" get.lua "$CONFIG_URL"
run_wrk latency 1 get.lua "$CONFIG_URL"
run_wrk get_list "$CONNS" get.lua "$LIST_URL"
export BENCH_RUN_TAG
BENCH_RUN_TAG=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
run_wrk create "$CONNS" create.lua "$CREATE_URL"

# The creates really made functions: look one up through the API in its own
# project (wrk may consume the first counter value while it starts up).
created=$(field create requests)
found=""
for k in 1 2 3; do
    cpid=$(printf '%s%08x%016x' "$BENCH_RUN_TAG" 1 "$k")
    st=$(curl -s -o "$work/resp" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
        "$BASE/v2/$cpid/fgs/functions")
    if [ "$st" = 200 ] && grep -q "\"func_name\":\"bench_$k\"" "$work/resp"; then
        found=$k
        break
    fi
done
[ -n "$found" ] || die "none of the first benchmark creates is listed in its project"

# --- report
rps() { printf '%.0f' "$(field "$1" rps)"; }
ms() { awk -v us="$(field "$1" "$2")" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
verdict() { [ "$1" -ge "$2" ] && echo "met" || echo "MISSED"; }

if [ -n "${BENCH_COMMIT:-}" ]; then
    commit=$BENCH_COMMIT
else
    commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
    git -C "$root" diff --quiet HEAD -- src include 2>/dev/null || commit="$commit (+ uncommitted changes)"
fi
load=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)

g=$(rps get_config) l=$(rps get_list) c=$(rps create)
cat <<EOF

## Management API

Date: $(date -u '+%Y-%m-%d %H:%M UTC') · commit $commit · machine: $cores cores (${cpu:-unknown CPU})
fgsd pinned to core 0 (\`--auth none\`, SQLite, $FUNCS functions seeded); wrk 1 thread pinned to core 1; ${DURATION} s per run; load average at the end: $load.

| Measurement | Connections | Result | Target | Errors |
|---|---|---|---|---|
| GET function config | $CONNS | $g req/s | ≥ $TARGET_GET req/s ($(verdict "$g" $TARGET_GET)) | $(errors get_config) |
| GET function list (maxitems=50) | $CONNS | $l req/s | — | $(errors get_list) |
| POST create function | $CONNS | $c functions/s | ≥ $TARGET_CREATE /s ($(verdict "$c" $TARGET_CREATE)) | $(errors create) |
| GET function config latency | 1 | p50 $(ms latency p50_us), p99 $(ms latency p99_us) | — | $(errors latency) |

Creates: $created requests, each a new function in its own project.
EOF
