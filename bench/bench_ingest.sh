#!/usr/bin/env bash
# bench_ingest: the load engine against redis-benchmark (Debian's redis-tools),
# measured in the same run, against the same local redis-server, with the
# same connections (-c) and pipeline depth (-P):
#
#  (a) client CPU seconds (user + sys of the client process, getrusage of the
#      child) per million commands:
#        valkey-memstress prefill of N distinct 128-dim float32 vectors
#        vs redis-benchmark sending one pre-formatted HSET with a 512-byte value
#      ratio = ours / theirs, goal <= 1.0 (stretch <= 0.8).  Also shown
#      against redis-benchmark writing distinct keys: on a virtual machine
#      most of a client's CPU goes to sleeping and waking (its own and the
#      server's), and a server that works longer per command (new keys)
#      costs its client more wake-ups per million, redis-benchmark included;
#  (b) end-to-end throughput, vectors/s vs redis-benchmark ops/s (wall time of
#      the whole client process), goal >= 0.95.  The server does more work
#      for N new keys than for one key overwritten N times, so (b) is also
#      shown against redis-benchmark writing distinct keys (-r), the same
#      server work as ours.
#
# prefill is also run with --stream (the originals' commands spliced from
# the folder's base.resp, written by dataset generate --resp) and with
# VALKEY_MEMSTRESS_NO_SPLICE=1 (send() instead of spliced writes,
# src/net/net_splice.h), to show what each costs and saves.
#
# The engine alone (bench/bench_engine.c: the same HSETs through eng_run()
# with a minimal workload) is measured too, to tell the engine's cost from
# the lifecycle layer's (dataset checks, liveness state, progress).
#
# Each client's sleeps per million (voluntary context switches) and the
# server's are printed with bench/bench_wake.c's price of one sleep-and-wake
# on this machine: on a virtual machine that price, not the client's own
# code, makes most of (a) (bench/README.md).
#
# Rounds alternate the clients; the median of each figure is used, over the
# rounds the hypervisor left alone (steal below STEAL_MAX of the machine's CPU
# time; all rounds if fewer than two qualify).  On a shared virtual machine a
# round with steal reads up to 3x the CPU of a quiet one, for either client.
#
# usage: bench/bench_ingest.sh [BUILD_DIR]
#   env: N=1000000 C=4 P=16 THREADS=1 ROUNDS=5 STEAL_MAX=0.01 BENCH_DIR=/tmp/vm-bench (the
#        random dataset is written there once and kept)
. "$(dirname "$0")/bench_lib.sh"
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$here/build}}
bin=$build/valkey-memstress
engine=$build/bench/bench_engine
N=${N:-1000000} C=${C:-4} P=${P:-16} THREADS=${THREADS:-1} ROUNDS=${ROUNDS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/vm-bench}
[ -x "$bin" ] || { echo "bench_ingest: no binary at $bin (build first)" >&2; exit 2; }
for t in redis-server redis-benchmark redis-cli python3; do
    command -v "$t" >/dev/null || { echo "bench_ingest: $t is not installed" >&2; exit 2; }
done

# --- the dataset: N random 128-dim float32 vectors --------------------------------
# `dataset generate` writes a prepared folder (base.fbin + manifest); without it
# (older builds) the script writes a plain .fbin itself.  Either is kept.
mkdir -p "$BENCH_DIR"
data=$BENCH_DIR/gen-$N          # what prefill reads (folder or file)
fbin=$data/base.fbin            # what bench_engine reads
# a folder without base.resp (for prefill --stream): made again (same seed, same data)
[ -s "$fbin" ] && [ ! -s "$data/base.resp" ] && rm -rf "$data"
if [ ! -s "$fbin" ] &&
    ! "$bin" dataset generate --n "$N" --dim 128 --no-gt --resp --out "$data" >/dev/null 2>&1; then
    data=$BENCH_DIR/random-$N-128.fbin
    fbin=$data
    if [ ! -s "$data" ]; then
        # urandom bytes with each float's top exponent bit cleared (no NaN or
        # Inf, |x| < 2), behind the 8-byte header n, d
        python3 - "$N" "$data" <<'PY'
import os, struct, sys
n, path = int(sys.argv[1]), sys.argv[2]
buf = bytearray(os.urandom(n * 128 * 4))
buf[3::4] = bytes(buf[3::4]).translate(bytes(b & 0xBF for b in range(256)))
with open(path + ".tmp", "wb") as f:
    f.write(struct.pack("<II", n, 128))
    f.write(buf)
os.rename(path + ".tmp", path)
PY
    fi
fi

# --- a local server ------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vm-bench.XXXXXX")
srv=
cleanup() { [ -n "$srv" ] && kill -9 "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
bench_start_redis bench_ingest "$tmp"

# run CMD...: prints "cpu_s wall_s user_s sys_s steal server_cpu_s
# client_sleeps server_sleeps" of the child (getrusage RUSAGE_CHILDREN);
# steal is the share of the machine's CPU time that the hypervisor took
# during the run (/proc/stat), which inflates the client's measured CPU time
# on a shared virtual machine; server_cpu_s is the server's INFO cpu
# (used_cpu_sys + used_cpu_user) over the run, asked on a socket of its own
# (a redis-cli child would count as the client's CPU); the sleeps are
# voluntary context switches, the client's (ru_nvcsw) and the server
# process's (/proc/PID/status)
measure() {
    PORT=$port SRVPID=$srv python3 - "$@" <<'PY'
import os, resource, socket, subprocess, sys, time
def server_sleeps():
    with open("/proc/%s/status" % os.environ["SRVPID"]) as f:
        return sum(int(l.split()[1]) for l in f if l.startswith("voluntary_ctxt_switches"))
def steal():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[7] if len(v) > 7 else 0
def server_cpu():
    with socket.create_connection(("127.0.0.1", int(os.environ["PORT"]))) as s:
        s.sendall(b"*2\r\n$4\r\nINFO\r\n$3\r\ncpu\r\n")
        buf = b""
        while b"\r\n" not in buf or len(buf) < buf.index(b"\r\n") + 2 + int(buf[1:buf.index(b"\r\n")]):
            buf += s.recv(65536)
    f = dict(l.split(":", 1) for l in buf.decode().splitlines()[1:] if ":" in l)
    return float(f["used_cpu_sys"]) + float(f["used_cpu_user"])
c0, s0, v0, t = server_cpu(), steal(), server_sleeps(), time.monotonic()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
wall = time.monotonic() - t
share = (steal() - s0) / os.sysconf("SC_CLK_TCK") / (wall * os.cpu_count())
r = resource.getrusage(resource.RUSAGE_CHILDREN)
if p.returncode != 0:
    sys.stderr.write(p.stdout.decode(errors="replace"))
    sys.exit("bench_ingest: %s failed (%d)" % (sys.argv[1], p.returncode))
print("%.4f %.4f %.4f %.4f %.4f %.4f %d %d" % (r.ru_utime + r.ru_stime, wall, r.ru_utime, r.ru_stime, share,
                                               server_cpu() - c0, r.ru_nvcsw, server_sleeps() - v0))
PY
}
fresh() { redis-cli -p "$port" FLUSHALL SYNC >/dev/null; }

# what one sleep-and-wake costs this machine (bench/bench_wake.c), before and
# after the rounds: the unit in which a client's CPU is mostly spent here
wake=$build/bench/bench_wake
wake_us() { if [ -x "$wake" ]; then "$wake" 20000 | cut -d' ' -f1; else echo nan; fi; }
wake0=$(wake_us)

value=$(head -c 512 /dev/zero | tr '\0' v)
ours=() rb=() rbr=() eng=() snd=() bld=()
echo "bench_ingest: N=$N C=$C P=$P threads=$THREADS rounds=$ROUNDS server=redis-server :$port data=$data"
for r in $(seq 1 "$ROUNDS"); do
    fresh
    m=$(measure redis-benchmark -p "$port" -c "$C" -P "$P" -n "$N" -q HSET bench:key vector "$value")
    rb+=("$m"); echo "  round $r redis-benchmark HSET one key     cpu/wall/user/sys/steal/server/sleeps: $m"
    fresh
    m=$(measure redis-benchmark -p "$port" -c "$C" -P "$P" -n "$N" -r 1000000000 -q \
        HSET "bench:__rand_int__" vector "$value")
    rbr+=("$m"); echo "  round $r redis-benchmark HSET distinct keys cpu/wall/user/sys/steal/server/sleeps: $m"
    fresh
    m=$(measure "$bin" prefill -p "$port" --dataset "$data" -c "$C" -P "$P" --threads "$THREADS")
    ours+=("$m"); echo "  round $r valkey-memstress prefill         cpu/wall/user/sys/steal/server/sleeps: $m"
    [ "$(redis-cli -p "$port" DBSIZE)" = "$N" ] || { echo "bench_ingest: prefill left $(redis-cli -p "$port" DBSIZE) keys, not $N" >&2; exit 1; }
    if [ -s "$data/base.resp" ]; then
        fresh
        m=$(measure "$bin" prefill -p "$port" --dataset "$data" --stream -c "$C" -P "$P" --threads "$THREADS")
        bld+=("$m"); echo "  round $r valkey-memstress prefill --stream cpu/wall/user/sys/steal/server/sleeps: $m"
    fi
    fresh
    m=$(VALKEY_MEMSTRESS_NO_SPLICE=1 measure "$bin" prefill -p "$port" --dataset "$data" -c "$C" -P "$P" --threads "$THREADS")
    snd+=("$m"); echo "  round $r valkey-memstress prefill, send() cpu/wall/user/sys/steal/server/sleeps: $m"
    if [ -x "$engine" ]; then
        fresh
        m=$(measure "$engine" 127.0.0.1 "$port" "$fbin" "$C" "$P" "$THREADS")
        eng+=("$m"); echo "  round $r bench_engine (engine alone)      cpu/wall/user/sys/steal/server/sleeps: $m"
    fi
done
fresh
wake1=$(wake_us)

WAKE_US="$wake0 $wake1" STEAL_MAX=${STEAL_MAX:-0.01} python3 - "$N" "${ours[@]}" -- "${rb[@]}" -- "${rbr[@]}" -- "${eng[@]}" -- "${snd[@]}" -- "${bld[@]}" <<'PY'
import os, statistics, sys
n = int(sys.argv[1]); groups = [[]]
for a in sys.argv[2:]:
    if a == "--": groups.append([])
    else: groups[-1].append([float(x) for x in a.split()])
limit = float(os.environ["STEAL_MAX"])
def quiet(g, name):
    q = [x for x in g if x[4] <= limit]
    if len(q) < 2 and g:
        print("note: %s: %d of %d rounds under %.1f%% steal; using all" % (name, len(q), len(g), 100 * limit))
        return g
    if len(q) < len(g):
        print("note: %s: %d of %d rounds had more than %.1f%% steal, left out" % (name, len(g) - len(q), len(g), 100 * limit))
    return q
ours, rb, rbr = quiet(groups[0], "prefill"), quiet(groups[1], "redis-benchmark"), quiet(groups[2], "redis-benchmark -r")
eng = quiet(groups[3], "bench_engine") if groups[3] else []
snd = quiet(groups[4], "prefill, send()") if groups[4] else []
bld = quiet(groups[5], "prefill --stream") if len(groups) > 5 and groups[5] else []
med = lambda g, i: statistics.median(x[i] for x in g)
per_m = 1e6 / n
cpu_o, cpu_b = med(ours, 0) * per_m, med(rb, 0) * per_m
ops_o, ops_b, ops_r = n / med(ours, 1), n / med(rb, 1), n / med(rbr, 1)
print("client CPU per million: valkey-memstress %.3f s (user %.3f, sys %.3f), redis-benchmark %.3f s (user %.3f, sys %.3f)"
      % (cpu_o, med(ours, 2) * per_m, med(ours, 3) * per_m, cpu_b, med(rb, 2) * per_m, med(rb, 3) * per_m))
print("throughput: valkey-memstress %.0f vectors/s, redis-benchmark %.0f ops/s (one key), %.0f ops/s (distinct keys)"
      % (ops_o, ops_b, ops_r))
print("ratio (a) CPU per million, ours / redis-benchmark: %.2f  (goal <= 1.0, stretch <= 0.8)" % (cpu_o / cpu_b))
print("ratio (a') CPU per million vs redis-benchmark with distinct keys: %.2f  (%.3f s: a slower server wakes its client more often)"
      % (cpu_o / (med(rbr, 0) * per_m), med(rbr, 0) * per_m))
print("ratio (b) vectors/s / redis-benchmark ops/s:      %.2f  (goal >= 0.95)" % (ops_o / ops_b))
print("ratio (b') vs redis-benchmark with distinct keys:  %.2f" % (ops_o / ops_r))
print("server CPU per million (INFO cpu): %.3f s for prefill, %.3f s for redis-benchmark one key, %.3f s distinct keys"
      " (what bounds (b): the server's work per command)" % (med(ours, 5) * per_m, med(rb, 5) * per_m, med(rbr, 5) * per_m))
sl = lambda g, i: med(g, i) * per_m if g and len(g[0]) > 7 else float("nan")
print("sleeps per million (client / server process): prefill %.0f / %.0f, redis-benchmark one key %.0f / %.0f, "
      "distinct keys %.0f / %.0f" % (sl(ours, 6), sl(ours, 7), sl(rb, 6), sl(rb, 7), sl(rbr, 6), sl(rbr, 7)))
w = [float(x) for x in os.environ.get("WAKE_US", "nan nan").split()]
wu = min(w)
if wu == wu:
    print("this machine: %.1f us of CPU per sleep-and-wake (bench_wake, before / after: %.1f / %.1f); at that price the"
          " client's sleeps alone come to %.3f s per million for prefill, %.3f s for redis-benchmark one key"
          % (wu, w[0], w[-1], sl(ours, 6) * wu / 1e6, sl(rb, 6) * wu / 1e6))
if bld:
    cpu_d = med(bld, 0) * per_m
    print("prefill --stream (splicing base.resp): %.3f s CPU per million (user %.3f), %.0f vectors/s; ratio (a) %.2f, (b) %.2f"
          % (cpu_d, med(bld, 2) * per_m, n / med(bld, 1), cpu_d / cpu_b, (n / med(bld, 1)) / ops_b))
if snd:
    cpu_s = med(snd, 0) * per_m
    print("prefill writing with send() instead of splice: %.3f s CPU per million, %.0f vectors/s; ratio (a) %.2f"
          % (cpu_s, n / med(snd, 1), cpu_s / cpu_b))
if eng:
    cpu_e = med(eng, 0) * per_m
    print("engine alone: %.3f s CPU per million (user %.3f, sys %.3f), %.0f vectors/s; ratio (a) %.2f, (b) %.2f"
          % (cpu_e, med(eng, 2) * per_m, med(eng, 3) * per_m, n / med(eng, 1), cpu_e / cpu_b,
             (n / med(eng, 1)) / ops_b))
PY
