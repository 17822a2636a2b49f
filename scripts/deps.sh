#!/usr/bin/env bash
# Install what libdts needs on a fresh Debian (bookworm, minbase or larger).
#
#   bash scripts/deps.sh [build|test|bench|deb|ci|all ...]   (default: build)
#
# This is the one list of packages: the README's commands, .ci/run, the
# benchmarks and the packaging check all call it. Each group says what it
# is for; a group includes nothing of another, so ask for the ones you need
# (test.sh asks for "build test"). Uses sudo when not root.
set -euo pipefail

# The compiler, meson and the libraries the build links. zlib1g-dev: the
# pkg-config file of libxlsxwriter asks for -lz. libopencc-dev: traditional
# to simplified Chinese folding (its data, tw2sp.json, is libopencc-data).
# libzip-dev: reading .xlsx. libicu-dev: toneless pinyin of the homophone typo
# fallback, written into a table at build time (lib/scan/pinyin_gen.c). libglpk-dev: the LP of the suppression audit
# (lib/stats/audit.c). nettle-dev: SHA-256 of the inputs a cube partial
# records.
build=(build-essential meson ninja-build pkg-config python3
       libxml2-dev libpcre2-dev libxlsxwriter-dev zlib1g-dev libopencc-dev libzip-dev libicu-dev
       libglpk-dev nettle-dev)
# The test suite: Check, xmllint (SDMX-ML against the schemas), unzip (xlsx
# parts), /usr/bin/time (peak memory in the reconcile case), clang and its
# sanitizer/libFuzzer runtime (fuzz targets), abigail-tools (abidiff: the
# ABI against the last release, tests/abi), gcovr (scripts/coverage.sh),
# opencc (the CLI: scripts/gen-trad-set.py and the tests/data/*-tw.csv sets),
# libicu-dev (NFKC, the reference for the full-width folding's unit test),
# chromium (tests/browser: the monitoring page of dts-report -f html opened
# headless in a real browser, its DOM, screenshot and PDF checked) and
# fonts-wqy-microhei (a CJK font, so the page's Chinese renders in them).
test=(check libxml2-utils unzip time clang libclang-rt-14-dev abigail-tools gcovr opencc libicu-dev
      chromium fonts-wqy-microhei)
# bench/run.sh: mawk (the awk baseline), hyperfine (timing), node + npm
# (DuckDB from the npm registry), valgrind (instruction counts),
# libvectorscan-dev (bench/prefilter: the literal prefilter against
# Vectorscan; libdts itself does not use it, docs/engine.md).
bench=(mawk time hyperfine nodejs npm valgrind libvectorscan-dev)
# debian/ packaging and its check in a fresh root.
deb=(dpkg-dev debhelper fakeroot lintian debootstrap)
# .ci/run on the host: it makes the fresh root everything else runs in.
ci=(debootstrap)
# The PostgreSQL extension (pg/, tests/pg, docs/postgresql.md): the server
# (its contrib modules, postgres_fdw among them, are in postgresql-15 since
# PostgreSQL 10), its PGXS headers (which pull clang-14 and llvm-14 for the
# JIT bitcode), PL/Proxy for RUN ON ALL; postgresql-common gives
# pg_virtualenv (make installcheck as any user).
pg=(postgresql-15 postgresql-server-dev-15 postgresql-15-plproxy postgresql-common)

want=()
[ $# -gt 0 ] || set -- build
for g in "$@"; do
  case "$g" in
    build) want+=("${build[@]}") ;;
    test) want+=("${test[@]}") ;;
    bench) want+=("${bench[@]}") ;;
    deb) want+=("${deb[@]}") ;;
    ci) want+=("${ci[@]}") ;;
    pg) want+=("${pg[@]}") ;;
    all) want+=("${build[@]}" "${test[@]}" "${bench[@]}" "${deb[@]}" "${pg[@]}") ;;
    list) printf '%s\n' "${build[@]}" "${test[@]}" "${bench[@]}" "${deb[@]}" "${pg[@]}" | sort -u; exit 0 ;;
    *) echo "deps.sh: unknown group '$g' (build, test, bench, deb, ci, pg, all, list)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  # node and npm may come from elsewhere than Debian (they conflict then).
  case "$p" in nodejs|npm) command -v "${p%js}" >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || {
    echo "deps.sh: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "deps.sh: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null || {
  echo "deps.sh: apt-get install failed for: ${missing[*]}" >&2; exit 1; }
# Installing postgresql-15 in a fresh CI root creates the cluster 15/main and
# may start it; the tests make their own clusters (tests/pg), so under CI one
# that this run just installed is stopped again, leaving nothing running.
if [ "${DTS_CI:-}" = 1 ] && printf '%s\n' "${missing[@]}" | grep -qx postgresql-15 &&
   command -v pg_lsclusters >/dev/null; then
  pg_lsclusters -h 2>/dev/null | awk '$4 == "online" { print $1, $2 }' |
    while read -r ver name; do "${sudo[@]}" pg_ctlcluster "$ver" "$name" stop || true; done
fi
