#!/usr/bin/env bash
# A report as a person sees it: a real run against redis-server, then
# `report`, then the HTML page opened in headless Chromium — no console
# errors, every image decoded and not blank, the expected sections there —
# and a screenshot (kept in $VM_SCREENSHOT_DIR when set, to look at).  Also:
# the same folder cut short like a crashed run still reports.
. "$(dirname "$0")/../harness/lib.sh"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (Debian gnuplot-nox)"
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || skip "chromium is not installed (Debian chromium)"

start_redis
run="$VM_TMP/run"
"$VM_BIN" run default -p "$REDIS_PORT" --set "dataset=$VM_DATASETS/siftsmall" --set monitor.interval=200ms \
    --out "$run" >/dev/null
"$VM_BIN" report "$run" >"$VM_TMP/report.txt" || { cat "$VM_TMP/report.txt"; fail "report exit"; }
grep -q "^used_memory " "$VM_TMP/report.txt" || fail "report printed no used_memory line"
rep="$run/report"
for f in index.html summary.md plots/memory_time.png plots/memory_time.svg \
         plots/memory_vs_live.png plots/memory_vs_live.svg plots/memory_time.gp plots/memory_time.dat; do
    [ -s "$rep/$f" ] || fail "report did not write $f"
done
for f in "$rep"/plots/*.png; do
    [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$f is not a PNG"
done
python3 - "$rep"/plots/*.svg <<'EOF' || fail "an SVG does not parse"
import sys, xml.etree.ElementTree as ET
for f in sys.argv[1:]:
    assert ET.parse(f).getroot().tag.endswith("svg"), f
EOF
# self-contained: nothing fetched, no scripts
if grep -Eq '<script|<link |@import|(src|href)="(https?:)?//' "$rep/index.html"; then
    fail "index.html is not self-contained"
fi
grep -q '^## Phases' "$rep/summary.md" || fail "summary.md has no phase table"
grep -q '](plots/memory_time.png)' "$rep/summary.md" || fail "summary.md does not show the plots"

chrome() { # chrome ARGS... : a fresh profile each time, nothing from the network
    local udd
    udd=$(mktemp -d "$VM_TMP/chrome.XXXXXX")
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$udd" --enable-logging=stderr --v=0 "$@"
}
console_errors() { # the page's own complaints, not Chromium's about its sandbox
    grep -E ':CONSOLE|Uncaught|Failed to load resource|net::ERR_' "$1" || true
}

chrome --window-size=1280,4200 --hide-scrollbars --screenshot="$VM_TMP/page.png" \
    "file://$rep/index.html" 2>"$VM_TMP/chrome-shot.log" >/dev/null || fail "chromium screenshot"
[ -s "$VM_TMP/page.png" ] || fail "no screenshot"
errs=$(console_errors "$VM_TMP/chrome-shot.log")
[ -z "$errs" ] || fail "console errors: $errs"
if [ -n "${VM_SCREENSHOT_DIR:-}" ]; then
    mkdir -p "$VM_SCREENSHOT_DIR" && cp "$VM_TMP/page.png" "$VM_SCREENSHOT_DIR/report-page.png"
fi

# A copy of the page with a checker appended (the report itself has no
# script): after load, every image must be decoded, sized and not one flat
# colour, and the sections must be there; the verdict goes into the DOM.
python3 - "$rep/index.html" "$rep/check.html" <<'EOF'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
check = r"""<script>
window.addEventListener('load', function () {
  var bad = [], imgs = document.images, flat = 0;
  for (var i = 0; i < imgs.length; i++) {
    var im = imgs[i];
    if (!im.complete || im.naturalWidth < 200 || im.naturalHeight < 100) { bad.push('image ' + im.alt); continue; }
    try {
      var c = document.createElement('canvas'); c.width = 64; c.height = 32;
      var g = c.getContext('2d'); g.drawImage(im, 0, 0, 64, 32);
      var d = g.getImageData(0, 0, 64, 32).data, seen = {};
      for (var j = 0; j < d.length; j += 4) seen[d[j] + ',' + d[j+1] + ',' + d[j+2]] = 1;
      if (Object.keys(seen).length < 4) bad.push('blank image ' + im.alt);
    } catch (e) { flat++; }
  }
  ['findings','plots','phases','model','scenario','environment','nodes','notes',
   'plot-memory_time','plot-memory_vs_live'].forEach(function (id) {
    if (!document.getElementById(id)) bad.push('#' + id);
  });
  var rows = document.querySelectorAll('#phases tbody tr').length;
  if (rows < 2) bad.push('phase rows ' + rows);
  if (document.querySelectorAll('#findings li').length < 1) bad.push('no findings');
  document.body.setAttribute('data-check', bad.length ? 'bad: ' + bad.join('; ')
      : 'ok images=' + imgs.length + ' rows=' + rows + ' unreadable=' + flat);
});
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", check + "</body>"))
EOF
chrome --virtual-time-budget=15000 --dump-dom "file://$rep/check.html" \
    >"$VM_TMP/dom.html" 2>"$VM_TMP/chrome-dom.log" || fail "chromium --dump-dom"
verdict=$(grep -o 'data-check="[^"]*"' "$VM_TMP/dom.html" || true)
note "page check: $verdict"
case "$verdict" in
*'"ok images='*) ;;
*) fail "page check: ${verdict:-no verdict (did the page load?)}" ;;
esac
n=$(echo "$verdict" | sed -E 's/.*images=([0-9]+).*/\1/')
[ "$n" -ge 2 ] || fail "only $n images on the page"
errs=$(console_errors "$VM_TMP/chrome-dom.log")
[ -z "$errs" ] || fail "console errors: $errs"

# Cut short like a crash: no summary.json, a half-written last line.
crash="$VM_TMP/crashed"
mkdir -p "$crash"
head -c -7 "$run/memory.csv" >"$crash/memory.csv"
"$VM_BIN" report "$crash" >"$VM_TMP/crash.txt" || fail "report of a crashed run"
grep -q "unfinished run" "$VM_TMP/crash.txt" || fail "crashed run not called unfinished"
grep -q "ends mid-line" "$crash/report/index.html" || fail "partial line not noted"
[ -s "$crash/report/plots/memory_time.png" ] || fail "no memory plot for the crashed run"

# Not a run folder: an error naming it, exit 1.
mkdir -p "$VM_TMP/empty"
if "$VM_BIN" report "$VM_TMP/empty" 2>"$VM_TMP/err.txt"; then fail "empty folder accepted"; fi
grep -q "no samples" "$VM_TMP/err.txt" || fail "empty folder: $(cat "$VM_TMP/err.txt")"
