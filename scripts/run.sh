#!/bin/sh
# Starts fgsd on 127.0.0.1:8000 with SQLite under ./data (AK/SK signatures
# required, as in production), deploys and invokes a demo function with the
# fgs CLI, prints how to call it, and stays in the foreground until Ctrl-C.
set -eu
cd "$(dirname "$0")/.."
LISTEN=${FGS_LISTEN:-127.0.0.1:8000}
DATA=${FGS_DATA_DIR:-./data}

out=$(mktemp)
build/fgsd --listen "$LISTEN" --data-dir "$DATA" >"$out" &
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
sleep 0.1
cat "$out"

# The CLI signs its requests with the key fgsd generated on its first start.
set -- $(grep -v '^#' "$DATA/credentials" | head -n 1)
export FGS_ENDPOINT="http://$LISTEN" FGS_AK="$1" FGS_SK="$2" FGS_PROJECT_ID="$3"

demo=$(mktemp -d)
cat >"$demo/index.py" <<'PY'
def handler(event, context):
    return {"hello": event.get("name", "world"), "function": context.getFunctionName()}
PY
if build/fgs function show demo >/dev/null 2>&1; then
    echo "demo function 'demo' already exists"
else
    build/fgs function create --name demo --runtime Python3.9 --handler index.handler \
        --code "$demo/index.py" >/dev/null && echo "deployed demo function 'demo'"
fi
rm -rf "$demo"
echo "invoking it: fgs invoke demo --data '{\"name\":\"fgs\"}'"
build/fgs invoke demo --data '{"name":"fgs"}' || echo "(invocation failed; see the message above)"

cat <<MSG

fgsd is $(head -n1 "$out") (data in $DATA).
From another terminal, with the key above:
  export FGS_ENDPOINT=$FGS_ENDPOINT FGS_AK=$FGS_AK FGS_SK=<secret key> FGS_PROJECT_ID=$FGS_PROJECT_ID
  build/fgs function list
  build/fgs invoke demo --data '{"name":"you"}'
(The secret key is in $DATA/credentials.) Stop with Ctrl-C.
MSG
wait $pid
