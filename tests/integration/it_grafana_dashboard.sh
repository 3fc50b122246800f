#!/usr/bin/env bash
# grafana/valkey-memstress.json: a well-formed dashboard (unique panel ids,
# every query scoped to the job / run variables, the report's panels), and
# every metric it queries is one the tool really pushes — checked against a
# real prometheus-pushgateway after a real run.  Metrics that only exist
# with valkey-search or a query workload are allowed to be absent here.
. "$(dirname "$0")/../harness/lib.sh"
dash="${VM_SOURCE:?VM_SOURCE must point at the source tree}/grafana/valkey-memstress.json"
[ -f "$dash" ] || fail "no $dash"
start_redis
start_pushgateway
run="$VM_TMP/run"
"$VM_BIN" run default -p "$REDIS_PORT" --set "dataset=$VM_DATASETS/siftsmall" \
    --set monitor.interval=200ms --out "$run" --push "http://127.0.0.1:$PGW_PORT" \
    >"$VM_TMP/run.log" 2>&1 || { cat "$VM_TMP/run.log"; fail "run with --push"; }
curl -fsS "http://127.0.0.1:$PGW_PORT/metrics" >"$VM_TMP/metrics.txt" || fail "pushgateway /metrics"
run_id=$(cat "$run/run_id" 2>/dev/null || python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['run_id'])" "$run/summary.json")

python3 - "$dash" "$VM_TMP/metrics.txt" "$run_id" <<'EOF' || fail "dashboard check"
import json, re, sys
dash = json.load(open(sys.argv[1]))
metrics = open(sys.argv[2]).read()
run_id = sys.argv[3]
problems = []

panels = [p for p in dash["panels"] if p["type"] != "row"]
ids = [p["id"] for p in dash["panels"]]
if len(ids) != len(set(ids)):
    problems.append("duplicate panel ids")
titles = {p["title"] for p in panels}
# the report's plots, under the same names
for want in ["Memory over time", "Memory against live vectors", "Bytes per live vector",
             "Fragmentation", "Recall and throughput", "Latency percentiles", "Per-node balance"]:
    if want not in titles:
        problems.append("no panel '%s'" % want)
names = [v["name"] for v in dash["templating"]["list"]]
for v in ["job", "run", "instance"]:
    if v not in names:
        problems.append("no $%s variable" % v)
if not any(a.get("expr", "").find("valkey_memstress_sample_info") >= 0 for a in dash["annotations"]["list"]):
    problems.append("no phase annotation")

# every query is scoped to the run and names valkey_memstress_ metrics
used = set()
for p in panels:
    for g in ("x", "y", "w", "h"):
        if g not in p["gridPos"]:
            problems.append("%s: gridPos.%s" % (p["title"], g))
    for t in p["targets"]:
        e = t["expr"]
        if 'job=~"$job"' not in e or 'run=~"$run"' not in e:
            problems.append("%s: query not scoped to $job / $run: %s" % (p["title"], e))
        for m in re.findall(r"\b(valkey_memstress_[a-z0-9_]+)\s*\{", e):
            used.add(m)
if not used:
    problems.append("no metric names found in the queries")

# pushed series, with the grouping labels
pushed = {}
for line in metrics.splitlines():
    m = re.match(r"^(valkey_memstress_[a-z0-9_]+)\{([^}]*)\}", line)
    if m:
        pushed.setdefault(m.group(1), []).append(m.group(2))
ours = [l for ls in pushed.values() for l in ls if 'run="%s"' % run_id in l]
if not ours:
    problems.append("the gateway holds no series of run %s" % run_id)
for l in ours[:50]:
    for k in ("job=", "instance=", "run="):
        if k not in l:
            problems.append("pushed series without %s: %s" % (k, l))
# absent without valkey-search (search_*, ft_*) or without queries (latency)
optional = re.compile(r"valkey_memstress_(search_|derived_search_|ft_|command_latency_seconds|.*recall)")
for m in sorted(used):
    base = re.sub(r"_(bucket|count|sum)$", "", m)
    if m not in pushed and base not in pushed and not optional.match(m):
        problems.append("the dashboard queries %s, which the tool does not push" % m)
print("dashboard: %d panels, %d metric names, all pushed or optional" % (len(panels), len(used)))
if problems:
    print("\n".join(problems))
    sys.exit(1)
EOF
