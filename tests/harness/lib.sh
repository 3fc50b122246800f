# tests/harness/lib.sh — sourced by integration tests (tests/integration/it_*.sh).
#
# Starts real servers on free loopback ports and always cleans up: every
# process started here is killed and every temp folder removed on exit,
# whether the test passed, failed or was interrupted.
#   skip "reason"        exit 77 (ctest: skipped); the reason is printed
#   fail "message"       exit 1
#   start_redis [args]   -> REDIS_PORT (Debian's redis-server)
#   start_cluster        -> CLUSTER_PORTS (3 masters, redis-cli --cluster create)
#   add_replica PORT [BIN ARGS...] -> REPLICA_PORT: a new server (redis-server, or BIN ARGS), replica
#                        of the cluster master on PORT, synced
#   state_live DIR       the live vectors a --state folder records (all copies)
#   start_pushgateway    -> PGW_PORT (Debian's prometheus-pushgateway)
#   start_fault_proxy PORT -> PROXY_PORT: a TCP proxy to 127.0.0.1:PORT that
#                        injects faults; `fault MODE` switches it (pass, stall,
#                        slow, cut, reset, refuse: tests/harness/fault_proxy.py)
#   start_valkey_search  -> VS_PORT (VALKEY_SERVER + VALKEY_SEARCH_MODULE, or skip)
#   start_valkey_search_cluster [--use-coordinator] -> CLUSTER_PORTS (3 valkey-search masters, or skip)
#   prefill_search_cluster DIR  3000 siftsmall vectors + 1 copy, FLAT index "idx"
#   assert_exact_recall FILE SHARDS  query --json FILE read recall 1.0 everywhere
set -euo pipefail

VM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vm-it.XXXXXX")
VM_PIDS=()
VM_BIN=${VM_BIN:?VM_BIN must point at the valkey-memstress binary}
VM_DATASETS=${VM_DATASETS:?VM_DATASETS must point at shared/datasets}

vm_cleanup() {
    local pid
    for pid in "${VM_PIDS[@]:-}"; do
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    done
    for pid in "${VM_PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$VM_TMP"
}
trap vm_cleanup EXIT
trap 'exit 130' INT TERM

skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

assert_eq() { # actual expected what
    [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# A port nobody listens on (and whose cluster bus port, +10000, is free too).
# free_port: a loopback port free with port + 10000 (a cluster bus); with
# FREE_PORT_ALSO=N, port + N free too (valkey-search's coordinator: +20294),
# below FREE_PORT_MAX (default 55000)
free_port() {
    local p i max=${FREE_PORT_MAX:-55000} also=${FREE_PORT_ALSO:-10000}
    for i in $(seq 1 200); do
        p=$(( 20000 + RANDOM % (max - 20000) ))
        if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null &&
           ! (exec 3<>/dev/tcp/127.0.0.1/$((p + 10000))) 2>/dev/null &&
           ! (exec 3<>/dev/tcp/127.0.0.1/$((p + also))) 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    fail "no free loopback port"
}

wait_ping() { # port [cli args...]
    local port=$1 i
    shift
    for i in $(seq 1 100); do
        if redis-cli -h 127.0.0.1 -p "$port" "$@" PING 2>&1 | grep -qE "PONG|NOAUTH"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# start_server BINARY [args...]: start on a free port; sets SERVER_PORT.
start_server() {
    local bin=$1 try port dir
    shift
    for try in 1 2 3; do
        port=$(free_port)
        dir="$VM_TMP/srv-$port"
        mkdir -p "$dir"
        "$bin" ${SERVER_CONF:+"$SERVER_CONF"} --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' \
            --appendonly no --daemonize no --logfile "$dir/server.log" "$@" &
        VM_PIDS+=($!)
        if wait_ping "$port"; then
            SERVER_PORT=$port
            return 0
        fi
        kill -9 "${VM_PIDS[-1]}" 2>/dev/null || true
    done
    tail -20 "$dir/server.log" >&2 || true
    fail "$bin did not start"
}

start_redis() {
    command -v redis-server >/dev/null || skip "redis-server is not installed"
    start_server redis-server "$@"
    REDIS_PORT=$SERVER_PORT
}

# create_cluster HOST:PORT...: the nodes (already started, in CLUSTER_PORTS)
# become one cluster of masters; waits for cluster_state:ok on every node.
create_cluster() {
    redis-cli --cluster create "$@" --cluster-replicas 0 --cluster-yes \
        >"$VM_TMP/cluster-create.log" 2>&1 || { cat "$VM_TMP/cluster-create.log" >&2; fail "cluster create"; }
    local i
    for i in $(seq 1 100); do
        local ok=0 p
        for p in "${CLUSTER_PORTS[@]}"; do
            redis-cli -p "$p" CLUSTER INFO 2>/dev/null | grep -q 'cluster_state:ok' && ok=$((ok + 1))
        done
        [ "$ok" = "${#CLUSTER_PORTS[@]}" ] && return 0
        sleep 0.1
    done
    fail "cluster did not reach cluster_state:ok"
}

start_cluster() {
    command -v redis-server >/dev/null || skip "redis-server is not installed"
    CLUSTER_PORTS=()
    local i addrs=()
    for i in 1 2 3; do
        start_server redis-server --cluster-enabled yes \
            --cluster-config-file "nodes.conf" --cluster-node-timeout 3000 "$@"
        CLUSTER_PORTS+=("$SERVER_PORT")
        addrs+=("127.0.0.1:$SERVER_PORT")
    done
    create_cluster "${addrs[@]}"
}

add_replica() {
    local master=$1 id i
    shift
    [ $# -gt 0 ] || set -- redis-server
    id=$(redis-cli -p "$master" CLUSTER MYID)
    start_server "$@" --cluster-enabled yes --cluster-config-file nodes.conf \
        --cluster-node-timeout 3000
    REPLICA_PORT=$SERVER_PORT
    redis-cli --cluster add-node "127.0.0.1:$REPLICA_PORT" "127.0.0.1:$master" --cluster-slave \
        --cluster-master-id "$id" >"$VM_TMP/add-node.log" 2>&1 || { cat "$VM_TMP/add-node.log"; fail "add-node"; }
    for i in $(seq 1 100); do
        redis-cli -p "$REPLICA_PORT" INFO replication | grep -q 'master_link_status:up' && return 0
        sleep 0.1
    done
    fail "the replica :$REPLICA_PORT of :$master did not sync"
}

state_live() {
    python3 - "$1/live.bin" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
copies, n = struct.unpack_from("<IQ", b, 8)
words, at = (n + 63) // 64, 20
if b[:8] == b"VMLIVE2\0":  # only the words w0 .. w0+count-1 are stored
    words, at = struct.unpack_from("<QQ", b, 20)[1], 36
print(sum(bin(struct.unpack_from("<Q", b, at + 8 * (c * words + w))[0]).count("1")
          for c in range(copies) for w in range(words)))
PY
}

start_fault_proxy() {
    local target=$1 i
    PROXY_PORT=$(free_port)
    PROXY_CTL="$VM_TMP/proxy.mode"
    echo pass >"$PROXY_CTL"
    python3 "$(dirname "${BASH_SOURCE[0]}")/fault_proxy.py" "$PROXY_PORT" "$target" "$PROXY_CTL" \
        2>"$VM_TMP/proxy.log" &
    VM_PIDS+=($!)
    for i in $(seq 1 100); do
        grep -q listening "$VM_TMP/proxy.log" 2>/dev/null && return 0
        sleep 0.05
    done
    fail "the fault proxy did not start: $(cat "$VM_TMP/proxy.log")"
}

# fault MODE: switch the fault proxy (pass, stall, slow, cut, reset, refuse)
fault() {
    echo "$1" >"$PROXY_CTL.tmp" && mv "$PROXY_CTL.tmp" "$PROXY_CTL"
}

start_pushgateway() {
    command -v prometheus-pushgateway >/dev/null || skip "prometheus-pushgateway is not installed"
    local try i
    for try in 1 2 3; do
        PGW_PORT=$(free_port)
        prometheus-pushgateway --web.listen-address="127.0.0.1:$PGW_PORT" \
            >"$VM_TMP/pgw.log" 2>&1 &
        VM_PIDS+=($!)
        for i in $(seq 1 100); do
            curl -fsS "http://127.0.0.1:$PGW_PORT/metrics" >/dev/null 2>&1 && return 0
            sleep 0.1
        done
        kill -9 "${VM_PIDS[-1]}" 2>/dev/null || true
    done
    fail "prometheus-pushgateway did not start"
}

# start_valkey_search_cluster [--use-coordinator]: three masters of
# VALKEY_SERVER with the search module loaded — by default WITHOUT its
# coordinator (no extra ports are bound; each shard answers FT.SEARCH from
# its own keys); with --use-coordinator, FT.CREATE propagates and FT.SEARCH
# on any node merges every shard (each node also binds port + 20294).
# Sets CLUSTER_PORTS.
start_valkey_search_cluster() {
    local load=(--loadmodule "${VALKEY_SEARCH_MODULE:-}") SERVER_CONF=
    local FREE_PORT_MAX=${FREE_PORT_MAX:-55000} FREE_PORT_ALSO=${FREE_PORT_ALSO:-10000}
    if [ "${1:-}" = --use-coordinator ]; then
        # a module argument goes in a config file: on the command line
        # "--use-coordinator" would read as a directive of its own
        SERVER_CONF="$VM_TMP/coordinator.conf"
        echo "loadmodule ${VALKEY_SEARCH_MODULE:-} --use-coordinator" >"$SERVER_CONF"
        load=()
        FREE_PORT_MAX=45000 FREE_PORT_ALSO=20294
    fi
    [ -n "${VALKEY_SERVER:-}" ] || skip "VALKEY_SERVER is not set (path to a valkey-server >= 8.1.1)"
    [ -n "${VALKEY_SEARCH_MODULE:-}" ] || skip "VALKEY_SEARCH_MODULE is not set (path to libsearch.so)"
    [ -x "$VALKEY_SERVER" ] || skip "VALKEY_SERVER=$VALKEY_SERVER is not an executable"
    [ -f "$VALKEY_SEARCH_MODULE" ] || skip "VALKEY_SEARCH_MODULE=$VALKEY_SEARCH_MODULE does not exist"
    command -v redis-cli >/dev/null || skip "redis-cli is not installed"
    CLUSTER_PORTS=()
    local i addrs=()
    for i in 1 2 3; do
        start_server "$VALKEY_SERVER" "${load[@]}" --cluster-enabled yes \
            --cluster-config-file "nodes.conf" --cluster-node-timeout 3000
        CLUSTER_PORTS+=("$SERVER_PORT")
        addrs+=("127.0.0.1:$SERVER_PORT")
    done
    create_cluster "${addrs[@]}"
}

# prefill_search_cluster STATE_DIR: 3000 siftsmall vectors and one expanded
# copy into the cluster at CLUSTER_PORTS[0], with a FLAT index "idx" (exact:
# recall must read 1.0)
prefill_search_cluster() {
    "$VM_BIN" prefill --cluster -p "${CLUSTER_PORTS[0]}" --dataset "$VM_DATASETS/siftsmall" \
        --limit 3000 --state "$1" --expand 1 --index idx --algorithm FLAT \
        >"$VM_TMP/prefill.log" 2>&1 || { cat "$VM_TMP/prefill.log"; fail "prefill"; }
}

# assert_exact_recall FILE SHARDS: the query --json FILE of a run over a
# prefill_search_cluster (100 queries, 2 copies, FLAT) read recall 1.0 in
# every copy without errors, merged SHARDS masters' answers itself (0: the
# coordinator did), and saw the masters unchanged
assert_exact_recall() {
    python3 - "$1" "$2" <<'PY' || fail "recall in $1: $(cat "$1")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["shards_merged"] == int(sys.argv[2]), d
assert d["queries"] == 100 and d["errors"] == 0, d
assert d["recall"]["mean"] == 1.0 and d["recall"]["min"] == 1.0, d["recall"]
assert len(d["per_copy"]) == 2 and all(c["mean"] == 1.0 for c in d["per_copy"]), d["per_copy"]
assert d["masters_changed"] == "", d
PY
}

start_valkey_search() {
    [ -n "${VALKEY_SERVER:-}" ] || skip "VALKEY_SERVER is not set (path to a valkey-server >= 8.1.1)"
    [ -n "${VALKEY_SEARCH_MODULE:-}" ] || skip "VALKEY_SEARCH_MODULE is not set (path to libsearch.so)"
    [ -x "$VALKEY_SERVER" ] || skip "VALKEY_SERVER=$VALKEY_SERVER is not an executable"
    [ -f "$VALKEY_SEARCH_MODULE" ] || skip "VALKEY_SEARCH_MODULE=$VALKEY_SEARCH_MODULE does not exist"
    start_server "$VALKEY_SERVER" --loadmodule "$VALKEY_SEARCH_MODULE" "$@"
    VS_PORT=$SERVER_PORT
}

# bigann_mirror DIR: the catalog's bigann paths under DIR as a mirror of
# bigann-1M: bigann/base.1B.u8bin, whose header says 10^9 rows, holding
# siftsmall's 10K real rows then zeros up to 1M rows (a sparse file), and a
# 10K-row query file (the size the catalog expects)
bigann_mirror() {
    command -v python3 >/dev/null || skip "python3 not installed"
    mkdir -p "$1/bigann"
    local src=$VM_DATASETS/siftsmall-derived/base.10K.u8bin
    python3 - "$src" "$1/bigann/base.1B.u8bin" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    f.write(struct.pack("<II", 10**9, 128))
    f.write(data[8:])
    f.truncate(8 + 1000000 * 128)
PY
    cp "$src" "$1/bigann/query.public.10K.u8bin"
}

VM_HARNESS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# start_http DIR PORTFILE [--cut-once N]: tests/harness/range_http.py serving
# DIR on a free loopback port (its request log: PORTFILE.log); sets HTTP_PORT
start_http() {
    rm -f "$2" "$2.log"
    python3 "$VM_HARNESS/range_http.py" "$@" >"$2.out" 2>&1 &
    VM_PIDS+=($!)
    for _ in $(seq 1 100); do [ -s "$2" ] && break; sleep 0.1; done
    [ -s "$2" ] || fail "range_http.py did not start: $(cat "$2.out")"
    HTTP_PORT=$(cat "$2")
}

# start_range_http DIR: start_http on DIR; sets RANGE_URL (http://127.0.0.1:PORT/)
start_range_http() {
    start_http "$1" "$VM_TMP/range-http.port"
    RANGE_URL="http://127.0.0.1:$HTTP_PORT/"
}
