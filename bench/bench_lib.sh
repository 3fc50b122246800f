# bench_lib.sh: what the shell benchmarks share (sourced, not run).

# bench_start_redis NAME DIR [redis-server args...]: Debian's redis-server on
# a free 127.0.0.1 port, no persistence, its files in DIR; sets port and srv
# (the pid, disowned: the caller kills it without a job notice); exits
# naming NAME when it does not start.
bench_start_redis() {
    local name=$1 dir=$2 try i
    shift 2
    srv=
    for try in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 30000))
        redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
            --dir "$dir" --logfile "$dir/server.log" "$@" &
        srv=$!
        for i in $(seq 1 50); do
            if redis-cli -p "$port" PING 2>/dev/null | grep -q PONG; then
                disown "$srv"
                return 0
            fi
            sleep 0.1
        done
        kill -9 "$srv" 2>/dev/null || true
        srv=
    done
    echo "$name: redis-server did not start" >&2
    exit 1
}
