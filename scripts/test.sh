#!/usr/bin/env bash
# The whole test suite, as CI runs it: install dependencies, build with
# -Werror, run the tests, run them again under AddressSanitizer and UBSan,
# measure the library's line and branch coverage (scripts/coverage.sh), install
# into a scratch prefix and build the example against it through pkg-config,
# and run each fuzz target briefly.
#
#   bash scripts/test.sh           the whole suite (what CI runs as root)
#   bash scripts/test.sh --quick   build with -Werror, run every test except the
#                                  timing-based complexity suite, build the examples
#                                  against the installed library; no sanitizer,
#                                  coverage or fuzz builds (CI's second, non-root
#                                  stage: it proves the build and the tests as a
#                                  user, the root stage has already run the rest)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
case "${1:-}" in
  "") ;;
  --quick) quick=1 ;;
  *) echo "test.sh: unknown option '$1' (--quick)" >&2; exit 2 ;;
esac
bash scripts/deps.sh build test
# CI: checks that skip when a tool is missing (the abi test without abidiff) fail instead.
export DTS_CI=1

step() { printf '\n==== %s\n' "$*"; }

step "build and test (debugoptimized, -Werror)"
rm -rf build-test
meson setup build-test --werror >/dev/null
ninja -C build-test
if [ $quick = 1 ]; then
  meson test -C build-test --print-errorlogs --no-suite complexity
else
  meson test -C build-test --print-errorlogs
  step "reliability figures of this run (docs/reliability.md)"
  python3 scripts/show-test-output.py build-test fault complexity complexity-rules
fi

if [ $quick = 0 ]; then
step "AddressSanitizer + UBSan"
rm -rf build-asan
meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  --buildtype=debug >/dev/null
ninja -C build-asan
# The complexity suite measures time ratios: it runs in the build above;
# under the sanitizers it would only take four times as long.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs --timeout-multiplier 4 --no-suite complexity

step "coverage of lib/ (gcovr; floors in scripts/coverage.sh, docs/testing.md)"
rm -rf build-cov
bash scripts/coverage.sh build-cov
fi

step "install and build the example against the installed library"
prefix=$(mktemp -d)
meson install -C build-test --destdir "$prefix" >/dev/null
(
  # A subshell: these settings must not reach the fuzz build below.
  inst="$prefix/usr/local"
  export PKG_CONFIG_PATH="$inst/lib/x86_64-linux-gnu/pkgconfig:$inst/lib/pkgconfig:$inst/lib64/pkgconfig"
  export PKG_CONFIG_SYSROOT_DIR="$prefix"   # the .pc files name /usr/local; we installed under $prefix
  export LD_LIBRARY_PATH="$inst/lib/x86_64-linux-gnu:$inst/lib:$inst/lib64"
  cc -std=c11 -Wall -Wextra -Werror -o "$prefix/classify" examples/classify.c \
    $(pkg-config --cflags --libs dts)
  "$prefix/classify" "$inst/share/libdts/classifiers/cn-digital-trade.xml"
  cc -std=c11 -Wall -Wextra -Werror -o "$prefix/reconcile" examples/reconcile.c \
    $(pkg-config --cflags --libs dts)
  "$prefix/reconcile" examples/reconcile-left.csv examples/reconcile-right.csv id
  cc -std=c11 -Wall -Wextra -Werror -o "$prefix/aggregate_sdmx" examples/aggregate_sdmx.c \
    $(pkg-config --cflags --libs dts)
  "$prefix/aggregate_sdmx" examples/records-2024-2025.csv \
    "$inst/share/libdts/classifiers/cn-digital-trade.xml" >"$prefix/cube.xml"
  xmllint --nonet --noout --schema tests/data/sdmx-2.1/SDMXMessage.xsd "$prefix/cube.xml"
  cc -std=c11 -Wall -Wextra -Werror -o "$prefix/classify_parallel" examples/classify_parallel.c \
    $(pkg-config --cflags --libs dts)
  "$prefix/classify_parallel" "$inst/share/libdts/classifiers/cn-digital-trade.xml" \
    examples/records-2024-2025.csv 4 | tail -1
)
rm -rf "$prefix"

if [ $quick = 0 ]; then   # installs into the system's PostgreSQL: the root stage
  step "PostgreSQL extension: pg_regress, three clusters (docs/postgresql.md)"
  bash scripts/deps.sh pg
  bash tests/pg/run.sh build-test
fi

if [ $quick = 0 ] && command -v clang >/dev/null && [ -d tests/fuzz ]; then
  step "fuzz targets (short runs)"
  rm -rf build-fuzz
  CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false --buildtype=debug >/dev/null
  ninja -C build-fuzz >build-fuzz/ninja.log 2>&1 || { tail -50 build-fuzz/ninja.log; exit 1; }
  # Two targets at a time (the machines have two cores); each prints its line
  # when the pair is done, so the order of the output stays the targets' order.
  fuzz_one() { # TARGET LOG: run TARGET for FUZZ_SECONDS on a copy of its corpus
    local name corpus work
    name=$(basename "$1"); corpus="tests/fuzz/corpus/${name#fuzz_}"
    work=$(mktemp -d); cp -r "$corpus"/. "$work"/ 2>/dev/null || true
    if "$1" -max_total_time="${FUZZ_SECONDS:-20}" -print_final_stats=1 -rss_limit_mb=2048 "$work" >/dev/null 2>"$2"; then
      echo "$name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$2" || grep -o '#[0-9]* *DONE.*' "$2" | tail -1)" >>"$2.ok"
    fi
    rm -rf "$work"
  }
  targets=()
  for f in build-fuzz/tests/fuzz/fuzz_*; do
    [ -f "$f" ] && [ -x "$f" ] && targets+=("$f")
  done
  logs=$(mktemp -d)
  for ((i = 0; i < ${#targets[@]}; i += 2)); do
    for f in "${targets[@]:i:2}"; do fuzz_one "$f" "$logs/$(basename "$f")" & done
    wait
    for f in "${targets[@]:i:2}"; do
      log="$logs/$(basename "$f")"
      [ -f "$log.ok" ] || { echo "$(basename "$f") failed:"; tail -40 "$log"; exit 1; }
      cat "$log.ok"
    done
  done
  rm -rf "$logs"
  # The long campaign is scripts/fuzz-campaign.sh; its last figures:
  sed -n '/^## Fuzz campaign/,/^## [^F]/p' docs/reliability.md | grep '^| [a-z]' || true
fi
step "all tests passed"
