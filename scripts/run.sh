#!/bin/sh
# Starts fgsd on 127.0.0.1:8000 with SQLite under ./data, deploys a demo
# function, prints how to call it, and stays in the foreground until Ctrl-C.
set -eu
cd "$(dirname "$0")/.."
LISTEN=${FGS_LISTEN:-127.0.0.1:8000}
DATA=${FGS_DATA_DIR:-./data}
PROJECT=${FGS_PROJECT_ID:-0a1b2c3d4e5f60718293a4b5c6d7e8f9}
URL="http://$LISTEN/v2/$PROJECT/fgs"

out=$(mktemp)
build/fgsd --listen "$LISTEN" --data-dir "$DATA" --auth none >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' INT TERM EXIT
i=0
until grep -q '^listening on' "$out" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
        echo "fgsd did not start (is $LISTEN in use?)" >&2
        exit 1
    fi
    sleep 0.05
done

code=$(printf 'import json\n\ndef handler(event, context):\n    return {"hello": event.get("name", "world")}\n' | base64 -w0)
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/functions" \
    -H 'Content-Type: application/json' \
    -d '{"func_name":"demo","package":"default","runtime":"Python3.9","handler":"index.handler",
         "memory_size":128,"timeout":30,"code_type":"inline","func_code":{"file":"'"$code"'"}}')
case $status in
200) echo "deployed demo function 'demo'" ;;
409) echo "demo function 'demo' already exists" ;;
*) echo "deploying the demo function answered HTTP $status" >&2 ;;
esac

cat <<MSG

fgsd is $(head -n1 "$out") (data in $DATA, development mode: no auth).
Try, from another terminal:
  curl -s $URL/functions
  curl -s $URL/functions/demo/config
  curl -s $URL/functions/demo/code
Stop with Ctrl-C.
MSG
wait $pid
