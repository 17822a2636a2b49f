#!/usr/bin/env bash
# The monitoring page in a real browser (issue 18): dts-report -f html of
# the example data opened by headless Chromium, which must load it with no
# console message of level warning or error and no request (the page's CSP
# is default-src 'none': a request would be refused and logged as a console
# error); every figure of the annex table in the DOM must equal the text
# report's (dts-report -t annex, the aligned text table), and every 1-N月
# growth of the trends the --by ytd table's; a screenshot and
# an A4 PDF must be produced. check-page.py does the comparing.
# Usage: check-page.sh BUILDDIR SRCDIR [OUTDIR]   (OUTDIR keeps the files)
set -uo pipefail
build=$1 src=$2 keep=${3:-}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  # CI (scripts/test.sh sets DTS_CI, as do CI services with CI) must run it.
  if [ -n "${DTS_CI:-}${CI:-}" ]; then
    echo "browser: chromium not found (apt-get install chromium, or bash scripts/deps.sh test)"
    exit 1
  fi
  echo "browser: SKIPPED: chromium not found (bash scripts/deps.sh test installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC DTS_CLASSIFIER="$src/classifiers/cn-digital-trade.xml"
report="$build/tools/dts-report"
args=(--reported "$src/examples/reported-2025.csv" --year 2025 "$src/examples/records-2024-2025.csv")
"$report" "${args[@]}" --areas "$src/examples/areas-airport.csv" --suppress \
  -f html -o "$work/page.html" 2>/dev/null || { echo "browser: dts-report -f html failed"; exit 1; }
"$report" "${args[@]}" -t annex > "$work/annex.txt" 2>/dev/null ||
  { echo "browser: dts-report -t annex failed"; exit 1; }
# the trends' 1-N月 and their 累计同比 against the report by period
"$report" "${args[@]}" --by ytd -f csv > "$work/ytd.csv" 2>/dev/null ||
  { echo "browser: dts-report --by ytd failed"; exit 1; }
# A profile of its own, no first-run work, nothing but the file.
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-dev-shm-usage
       --user-data-dir="$work/profile" --no-first-run --disable-extensions
       --disable-sync --disable-component-update --disable-default-apps
       --enable-logging=stderr --v=0)
url="file://$work/page.html"
timeout 60 "$chromium" "${flags[@]}" --dump-dom "$url" > "$work/dom.html" 2> "$work/dom.log" ||
  { echo "browser: chromium --dump-dom failed"; tail -5 "$work/dom.log"; exit 1; }
timeout 60 "$chromium" "${flags[@]}" --window-size=1200,7800 --hide-scrollbars \
  --screenshot="$work/page.png" "$url" 2> "$work/shot.log" ||
  { echo "browser: chromium --screenshot failed"; tail -5 "$work/shot.log"; exit 1; }
timeout 60 "$chromium" "${flags[@]}" --no-pdf-header-footer \
  --print-to-pdf="$work/page.pdf" "$url" 2> "$work/pdf.log" ||
  { echo "browser: chromium --print-to-pdf failed"; tail -5 "$work/pdf.log"; exit 1; }
python3 "$src/tests/browser/check-page.py" "$work" || exit 1
if [ -n "$keep" ]; then
  mkdir -p "$keep" && cp "$work"/page.html "$work"/page.png "$work"/page.pdf "$keep"/
fi
