#!/bin/sh
# Starts fgsd on 127.0.0.1:8000 with SQLite under ./data, in the foreground.
set -eu
cd "$(dirname "$0")/.."
LISTEN=${FGS_LISTEN:-127.0.0.1:8000}
DATA=${FGS_DATA_DIR:-./data}
cat <<MSG
Starting fgsd on http://$LISTEN (data in $DATA, development mode: no auth).
Try, from another terminal:
  curl -s http://$LISTEN/v2/demo/fgs/functions
  curl -s -X POST http://$LISTEN/v2/demo/fgs/functions -H 'Content-Type: application/json' \\
    -d '{"func_name":"hello","package":"default","runtime":"Python3.9","handler":"index.handler",
         "memory_size":128,"timeout":30,"code_type":"inline",
         "func_code":{"file":"'"$(printf 'def handler(event, context):\n    return {"ok": True}\n' | base64 -w0)"'"}}'
Stop with Ctrl-C.
MSG
exec build/fgsd --listen "$LISTEN" --data-dir "$DATA" --auth none
