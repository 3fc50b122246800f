#!/usr/bin/env bash
# The main job on a built-in default: build the tool if needed, start a
# local server on a free loopback port (Debian's redis-server, or
# $VALKEY_SERVER --loadmodule $VALKEY_SEARCH_MODULE when both are set), run
# the built-in scenario "default" (or the one named as the first argument)
# on shared/datasets/siftsmall, and stop the server.  Results stay in
# runs/<run-id>/ (memory.csv, summary.json, ...).  Extra arguments go to run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dataset=${DATASET:-$here/../shared/datasets/siftsmall}
bin=$here/build/valkey-memstress
[ -f "$here/build/CMakeCache.txt" ] || cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$here/build" -j"$(nproc)" --target valkey-memstress >/dev/null
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
port=$(( 20000 + RANDOM % 30000 ))
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
if [ -n "${VALKEY_SERVER:-}" ] && [ -n "${VALKEY_SEARCH_MODULE:-}" ]; then
    server=("$VALKEY_SERVER" --loadmodule "$VALKEY_SEARCH_MODULE")
else
    server=(redis-server)
fi
"${server[@]}" --port "$port" --bind 127.0.0.1 --dir "$tmp" --save '' --appendonly no \
    --logfile "$tmp/server.log" &
pid=$!
for _ in $(seq 1 100); do
    redis-cli -p "$port" PING 2>/dev/null | grep -q PONG && break
    sleep 0.1
done
echo "server: ${server[0]} on 127.0.0.1:$port"
cd "$here"
scenario=default
case "${1:-}" in ""|-*) ;; *) scenario=$1; shift ;; esac
"$bin" run "$scenario" -p "$port" --set "dataset=$dataset" --set monitor.interval=200ms "$@"
