#!/usr/bin/env bash
# examples/kubernetes/loaders-job.yaml, run as Kubernetes would run it: for
# each completion index I of the Indexed Job, the init container's args
# (with Kubernetes' $(VAR) substitution from the pod's env) fetch loader
# I's rows, then the loader container's command writes its slice into a
# 3-master cluster.  Only the cluster's address, the mirror (an extra
# --mirror to the local range server) and the folders are this machine's.
# Afterwards: every key of bigann-1M is there once, and `state merge` of
# the pods' states is the whole run.
. "$(dirname "$0")/../harness/lib.sh"
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
JOB=$(cd "$(dirname "$0")/../../examples/kubernetes" && pwd)/loaders-job.yaml
m=$VM_TMP/mirror
bigann_mirror "$m"
start_range_http "$m"
start_cluster
mkdir -p "$VM_TMP/bin"
ln -s "$VM_BIN" "$VM_TMP/bin/valkey-memstress"
S=4
# pod I's commands, one per line: "init\t<args...>" and "main\t<args...>",
# NUL-separated arguments after substitution
python3 - "$JOB" "$S" "$VM_TMP" "${CLUSTER_PORTS[0]}" "$RANGE_URL" <<'PY' || fail "manifest"
import os, re, sys, yaml
job, S, tmp, port, mirror = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
spec = yaml.safe_load(open(job))
assert spec["spec"]["completionMode"] == "Indexed", "not an Indexed Job"
pod = spec["spec"]["template"]["spec"]
site = {"SLICES": str(S), "VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": port, "DATASET_NAME": "bigann-1M"}
def env_of(c, i):
    env = {"JOB_COMPLETION_INDEX": str(i)}
    for e in c.get("env", []):
        if "value" in e:
            env[e["name"]] = site.get(e["name"], e["value"])
    for mnt in c.get("volumeMounts", []):  # the pod's volumes: folders of this test
        env.setdefault("_mount_" + mnt["mountPath"], f"{tmp}/pod{i}{mnt['mountPath']}")
    return env
def subst(s, env):  # Kubernetes' $(VAR) expansion in command and args
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), s)
for i in range(S):
    for kind, c in [("init", pod["initContainers"][0]), ("main", pod["containers"][0])]:
        env = env_of(c, i)
        # no command: the image's ENTRYPOINT (the Containerfile's: valkey-memstress)
        command = c.get("command", ["valkey-memstress"])
        argv = [subst(a, env) for a in command] + [subst(a, env) for a in c["args"]]
        # mount paths become this pod's folders; the mirror is this machine's
        argv = [a.replace("/data", f"{tmp}/pod{i}/data").replace("/state/", f"{tmp}/state/") for a in argv]
        if kind == "init":
            argv += ["--mirror", mirror]
        envs = {k: v.replace("/data", f"{tmp}/pod{i}/data") for k, v in env.items() if not k.startswith("_")}
        with open(f"{tmp}/pod{i}.{kind}", "w") as f:
            f.write("\0".join(f"{k}={v}" for k, v in envs.items()) + "\n" + "\0".join(argv))
PY
run_pod() { # I kind: run that container's command with its env and the tool on PATH
    python3 - "$VM_TMP/pod$1.$2" "$VM_TMP/bin" <<'PY'
import os, subprocess, sys
envs, argv = open(sys.argv[1]).read().split("\n", 1)
env = dict(os.environ, PATH=sys.argv[2] + ":" + os.environ["PATH"])
env.update(dict(kv.split("=", 1) for kv in envs.split("\0")))
sys.exit(subprocess.call(argv.split("\0"), env=env))
PY
}
mkdir -p "$VM_TMP/state"
for i in $(seq 0 $((S - 1))); do run_pod "$i" init >"$VM_TMP/init$i.log" 2>&1 || { cat "$VM_TMP/init$i.log"; fail "pod $i: init"; }; done
pids=()
for i in $(seq 0 $((S - 1))); do run_pod "$i" main >"$VM_TMP/main$i.log" 2>&1 & pids+=($!); done
for i in $(seq 0 $((S - 1))); do wait "${pids[$i]}" || { cat "$VM_TMP/main$i.log"; fail "pod $i: loader"; }; done
total=0
for p in "${CLUSTER_PORTS[@]}"; do total=$((total + $(redis-cli -p "$p" DBSIZE))); done
assert_eq "$total" 1000000 "keys of the $S pods"
[ "$(du -sb "$VM_TMP/pod1/data" | cut -f1)" -lt 200000000 ] || fail "pod 1 fetched more than its rows"
"$VM_BIN" state merge --out "$VM_TMP/merged" "$VM_TMP"/state/slice-* >"$VM_TMP/out" || fail "merge: $(cat "$VM_TMP/out")"
grep -q "ids 0..999999 of every copy, 1 copies, 1000000 live" "$VM_TMP/out" || fail "merged: $(cat "$VM_TMP/out")"
echo PASS
