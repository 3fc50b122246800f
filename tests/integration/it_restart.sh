#!/usr/bin/env bash
# The restart step: DEBUG RELOAD (the server saves and loads its RDB in
# place) and a restart by the user's command (SAVE, the command, then every
# node PINGed until it answers); a server that refuses DEBUG gets a message
# naming the node and the way out (with valkey-search: it_restart_search).
. "$(dirname "$0")/../harness/lib.sh"
ds="$VM_DATASETS/siftsmall"

# DEBUG RELOAD on a redis-server: the keys survive, the run completes
start_redis --enable-debug-command yes
"$VM_BIN" run restart -p "$REDIS_PORT" --out "$VM_TMP/r1" --set "dataset=$ds" --set limit=500 \
    >"$VM_TMP/r1.log" 2>&1 || { cat "$VM_TMP/r1.log"; fail "restart by DEBUG RELOAD"; }
grep -q "restart: the server(s) answered again" "$VM_TMP/r1.log" || fail "no restart note"
assert_eq "$(redis-cli -p "$REDIS_PORT" DBSIZE)" 500 "keys after DEBUG RELOAD"

# a server that refuses DEBUG: the node and the way out are named
start_redis
rc=0
"$VM_BIN" run restart -p "$REDIS_PORT" --out "$VM_TMP/r2" --set "dataset=$ds" --set limit=100 \
    >"$VM_TMP/r2.log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "DEBUG refused but the run succeeded"
grep -q "127.0.0.1:$REDIS_PORT" "$VM_TMP/r2.log" && grep -q "enable-debug-command" "$VM_TMP/r2.log" \
    || fail "refusal message: $(tail -2 "$VM_TMP/r2.log")"

# restart by command: the tool saves, the command stops the server and
# starts a new one on the same port and folder, which loads the RDB
start_redis
port=$REDIS_PORT dir="$VM_TMP/srv-$port"
cat >"$VM_TMP/cmd.yaml" <<Y
name: restart-by-command
dataset: $ds
limit: 300
steps:
  - prefill: {}
  - restart:
      how: command
      command: "redis-cli -p $port SHUTDOWN NOSAVE; sleep 0.3; redis-server --port $port --bind 127.0.0.1 --dir $dir --save '' --daemonize yes --pidfile $dir/new.pid --logfile $dir/new.log"
      timeout: 30s
Y
"$VM_BIN" run "$VM_TMP/cmd.yaml" -p "$port" --out "$VM_TMP/r3" >"$VM_TMP/r3.log" 2>&1 \
    || { cat "$VM_TMP/r3.log"; kill "$(cat "$dir/new.pid" 2>/dev/null)" 2>/dev/null; fail "restart by command"; }
assert_eq "$(redis-cli -p "$port" DBSIZE)" 300 "keys after the restart by command"
kill "$(cat "$dir/new.pid")" 2>/dev/null || true
# a command that fails is an error naming it
cat >"$VM_TMP/bad.yaml" <<Y
name: restart-fails
dataset: $ds
limit: 10
steps:
  - prefill: {}
  - restart: {how: command, command: "exit 3", timeout: 5s}
Y
start_redis
rc=0; "$VM_BIN" run "$VM_TMP/bad.yaml" -p "$REDIS_PORT" --out "$VM_TMP/r4" >"$VM_TMP/r4.log" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q "restart command 'exit 3' failed (exit 3)" "$VM_TMP/r4.log" \
    || fail "failing command: rc $rc, $(tail -1 "$VM_TMP/r4.log")"
printf 'name: x\ndataset: d\nsteps:\n  - restart: {how: command}\n' >"$VM_TMP/nocmd.yaml"
rc=0; "$VM_BIN" run "$VM_TMP/nocmd.yaml" --dry-run 2>"$VM_TMP/err" || rc=$?
assert_eq "$rc" 2 "restart by command without a command"
grep -q "nocmd.yaml:4:5: restart: how: command needs 'command'" "$VM_TMP/err" || fail "$(cat "$VM_TMP/err")"
