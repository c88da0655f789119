#!/bin/sh
# Invocation performance of fgsd, measured on 127.0.0.1 only.
#
# fgsd (and so every instance it starts) runs pinned to core 0, wrk to core 1.
# For a Python and a Node.js function that return a small JSON object it
# measures, each run BENCH_DURATION seconds:
#   warm req/s with 1 connection and with BENCH_CONNS connections
#   warm latency p50 / p99 (1 connection)
#   cold start: time of the first invocation of BENCH_COLD new functions
#   (new code digest each, so a new pool and a new sandbox), median and max
# and prints a Markdown table.
#
# Environment: FGSD (default build/fgsd), BENCH_DURATION (default 5),
# BENCH_CONNS (default 4), BENCH_COLD (default 5).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
FGSD=${FGSD:-$root/build/fgsd}
DURATION=${BENCH_DURATION:-5}
CONNS=${BENCH_CONNS:-4}
COLD=${BENCH_COLD:-5}
PROJECT=0a1b2c3d4e5f60718293a4b5c6d7e8f9

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$FGSD" ] || die "no fgsd at $FGSD"
command -v wrk >/dev/null || die "wrk is missing"
command -v curl >/dev/null || die "curl is missing"
[ "$(id -u)" = 0 ] || die "fgsd needs root to start sandboxed instances"
case $DURATION$CONNS$COLD in *[!0-9]*) die "BENCH_DURATION, BENCH_CONNS and BENCH_COLD are numbers" ;; esac
[ "$COLD" -ge 1 ] && [ "$COLD" -le 50 ] || die "BENCH_COLD must be 1..50"

PIN_SRV=""
PIN_WRK=""
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    PIN_SRV="taskset -c 0"
    PIN_WRK="taskset -c 1"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fgs-bench-invoke.XXXXXX")
srv_pid=""
cleanup() {
    if [ -n "$srv_pid" ] && kill -0 "$srv_pid" 2>/dev/null; then
        kill -TERM "$srv_pid" 2>/dev/null || true
        i=0
        while kill -0 "$srv_pid" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$srv_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

$PIN_SRV "$FGSD" --listen 127.0.0.1:0 --data-dir "$work/data" --auth none --log-level warn \
    >"$work/out" 2>"$work/err" &
srv_pid=$!
i=0
while ! grep -q '^listening on' "$work/out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 200 ] || die "fgsd did not start: $(cat "$work/err")"
    sleep 0.05
done
base=$(sed -n 's/^listening on //p' "$work/out")
api="$base/v2/$PROJECT/fgs"

b64() { printf '%s' "$1" | base64 -w0; }
create() { # name runtime code
    curl -sf -o /dev/null -X POST "$api/functions" -H 'Content-Type: application/json' -d \
        "{\"func_name\":\"$1\",\"package\":\"default\",\"runtime\":\"$2\",\"handler\":\"index.handler\",\"memory_size\":256,\"timeout\":10,\"code_type\":\"inline\",\"func_code\":{\"file\":\"$(b64 "$3")\"}}" ||
        die "cannot create $1"
}
invoke_time() { # name -> seconds of one invocation
    curl -sf -o "$work/resp" -w '%{time_total}' -X POST "$api/functions/$1/invocations" \
        -H 'Content-Type: application/json' -d '{"n":1}' || die "invoke $1 failed"
}

PY='def handler(event, context):
    return {"n": event.get("n", 0) + 1}
'
JS='exports.handler = async (event) => ({ n: (event.n || 0) + 1 });
'
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"n":1}'
wrk.headers["Content-Type"] = "application/json"
LUA

# wrk output -> "req/s p50 p99" (latencies in ms)
wrk_run() { # name conns
    $PIN_WRK wrk -t1 -c"$2" -d"${DURATION}s" --latency -s "$work/post.lua" \
        "$api/functions/$1/invocations" >"$work/wrk" 2>&1 || die "wrk failed: $(cat "$work/wrk")"
    grep -q 'Non-2xx' "$work/wrk" && die "wrk saw errors: $(cat "$work/wrk")"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec/ { rps = $2 }
        $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
        $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
        END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }' "$work/wrk"
}

median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f %.1f", m * 1000, a[NR] * 1000 }'; }

echo "| runtime | warm req/s (1 conn) | warm req/s ($CONNS conns) | warm p50 / p99 ms (1 conn) | cold start median / max ms ($COLD new functions) |"
echo "|---|---|---|---|---|"
for rt in Python3.9 Node.js18.15; do
    case $rt in Python*) code=$PY; tag=py; cmt="#" ;; *) code=$JS; tag=js; cmt="//" ;; esac
    create "warm$tag" "$rt" "$code"
    invoke_time "warm$tag" >/dev/null
    grep -q '"n": *2' "$work/resp" || die "unexpected result: $(cat "$work/resp")"
    set -- $(wrk_run "warm$tag" 1)
    one_rps=$1 p50=$2 p99=$3
    set -- $(wrk_run "warm$tag" "$CONNS")
    many_rps=$1
    : >"$work/cold"
    n=0
    while [ $n -lt "$COLD" ]; do
        n=$((n + 1))
        # a distinct digest per function: a new pool, a new sandbox
        create "cold$tag$n" "$rt" "$code
$cmt $n"
        sleep 0.2
        invoke_time "cold$tag$n" >>"$work/cold"
        grep -q '"n": *2' "$work/resp" || die "unexpected cold result: $(cat "$work/resp")"
        echo >>"$work/cold"
    done
    cold=$(grep . "$work/cold" | median)
    echo "| $rt | $one_rps | $many_rps | $p50 / $p99 | ${cold% *} / ${cold#* } |"
done
echo
echo "fgsd $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
