#!/bin/sh
# Installs the official Huawei Cloud Node SDK (pinned) for the interop tests
# into tests/interop/node_modules, only when it is not there yet.
set -eu
cd "$(dirname "$0")/../tests/interop"
if [ -d node_modules/@huaweicloud/huaweicloud-sdk-functiongraph ] && [ -d node_modules/uuid ]; then
    exit 0
fi
echo "interop: installing @huaweicloud/huaweicloud-sdk-functiongraph from npm"
npm install --no-audit --no-fund --loglevel=error >/dev/null
