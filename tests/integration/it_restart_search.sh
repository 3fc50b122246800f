#!/usr/bin/env bash
# The restart step on valkey-search (built-in scenario `restart`, DEBUG
# RELOAD): the index is ready after the load and recall is exactly 1.0
# after the restart.
. "$(dirname "$0")/../harness/lib.sh"
ds="$VM_DATASETS/siftsmall"
# valkey-search: the index after the load, recall after the restart
start_valkey_search --enable-debug-command yes
"$VM_BIN" run restart -p "$VS_PORT" --out "$VM_TMP/r5" --set "dataset=$ds" --set limit=2000 \
    >"$VM_TMP/r5.log" 2>&1 || { cat "$VM_TMP/r5.log"; fail "restart on valkey-search"; }
grep -q "the index was ready" "$VM_TMP/r5.log" || fail "no index-ready note"
python3 - "$VM_TMP/r5/summary.json" <<'PY' || fail "recall after the restart"
import json, sys
d = json.load(open(sys.argv[1]))
q = [p for p in d["phases"] if p.get("phase") == "query-after-restart"]
assert q, [p.get("phase") for p in d["phases"]]
r = q[-1]["recall"]["mean"]
assert r == 1.0, r
print("# recall after the restart: %s" % r)
PY
note "$(grep 'restart (' "$VM_TMP/r5.log")"
