#!/usr/bin/env bash
# The main job on a built-in default, from a fresh machine: install what is
# missing (install-deps.sh), configure and build the tool (a half-configured
# build/ from an earlier failed attempt is redone), start a local server on
# a free loopback port (Debian's redis-server, or
# $VALKEY_SERVER --loadmodule $VALKEY_SEARCH_MODULE when both are set), run
# the built-in scenario "quickstart" (or the one named as the first
# argument) on shared/datasets/siftsmall, stop the server, write the report
# and print its path and the run's three headline figures.  Results stay in
# runs/<run-id>/ (memory.csv, summary.json, report/index.html, ...).  Extra
# arguments go to run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/setup.sh"
dataset=${DATASET:-$here/../shared/datasets/siftsmall}
build=${BUILD_DIR:-$here/build}
bin=$build/valkey-memstress
vm_say "quickstart: checking dependencies (scripts/install-deps.sh)"
vm_setup_deps
vm_setup_build "$build" RelWithDebInfo valkey-memstress
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
up=""
for _ in $(seq 1 100); do
    redis-cli -p "$port" PING 2>/dev/null | grep -q PONG && { up=1; break; }
    sleep 0.1
done
[ -n "$up" ] || { cat "$tmp/server.log" >&2; echo "quickstart: ${server[0]} did not answer on 127.0.0.1:$port within 10 s" >&2; exit 1; }
echo "server: ${server[0]} on 127.0.0.1:$port"
cd "$here"
scenario=quickstart
case "${1:-}" in ""|-*) ;; *) scenario=$1; shift ;; esac
"$bin" run "$scenario" -p "$port" --set "dataset=$dataset" --set monitor.interval=200ms "$@" \
    | tee "$tmp/run.log"
run_dir=$(sed -n 's/^results: //p' "$tmp/run.log" | tail -1)
[ -n "$run_dir" ] || { echo "quickstart: the run named no results folder" >&2; exit 1; }
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""
vm_say "quickstart: writing the report of $run_dir"
"$bin" report "$run_dir" >"$tmp/report.log" 2>&1 || { cat "$tmp/report.log" >&2; exit 1; }
grep -v '^headline' "$tmp/report.log" | grep -i warning >&2 || true
echo "report: $(cd "$run_dir/report" && pwd)/index.html"
echo "summary: $(cd "$run_dir/report" && pwd)/summary.md"
sed -n 's/^headline *//p' "$tmp/report.log"
