#!/bin/sh
# check-exports.sh LIB INCLUDE_DIR - the dynamic symbols libfgs.so defines must
# be exactly the functions declared with FGS_EXTERN in the public headers.
set -eu
lib=$1
inc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort -u > "$tmp/exported"
grep -hv "define FGS_EXTERN" "$inc"/*.h | tr '\n' ' ' | grep -o 'FGS_EXTERN([^)]*) *[a-z_0-9]*' |
    sed 's/.*) *//' | sort -u > "$tmp/declared"
if ! cmp -s "$tmp/exported" "$tmp/declared"; then
    echo "exported (<) vs declared (>) differ:"
    diff "$tmp/exported" "$tmp/declared" || true
    exit 1
fi
echo "ok: $(wc -l < "$tmp/exported") exported symbols, all declared"
