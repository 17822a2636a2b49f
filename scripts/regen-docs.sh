#!/usr/bin/env bash
# The generated publications: docs/classification.md (the hand-written
# docs/classification-preface.md, then `dts-rules standard` of the default
# classifier) and docs/indicators.md (`dts-report --definitions` of the
# shipped indicator and targets files).
#
#   scripts/regen-docs.sh [BUILDDIR]          rewrite both (default BUILDDIR: build)
#   scripts/regen-docs.sh --check BUILDDIR    exit 1 when a committed copy differs
#                                             (the meson test docs-generated)
set -euo pipefail
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  cat "$src/docs/classification-preface.md"
  "$build/tools/dts-rules" standard "$src/classifiers/cn-digital-trade.xml"
} > "$tmp/classification.md"
"$build/tools/dts-report" --definitions \
  --indicators "$src/indicators/hangzhou-annex.csv" \
  --targets "$src/indicators/hangzhou-targets.csv" > "$tmp/indicators.md"
status=0
for f in classification.md indicators.md; do
  if [ $check = 1 ]; then
    if ! cmp -s "$tmp/$f" "$src/docs/$f"; then
      echo "docs/$f differs from what the tools generate (- committed, + generated):"
      diff -u "$src/docs/$f" "$tmp/$f" | head -40 || true
      echo "regenerate: bash scripts/regen-docs.sh $build, review the diff, commit"
      status=1
    fi
  else
    cp "$tmp/$f" "$src/docs/$f"
  fi
done
exit $status
