#!/usr/bin/env bash
# The PostgreSQL extension's tests (docs/postgresql.md, issue 17):
#
#   bash tests/pg/run.sh BUILD [build|regress|multinode|all]   (default all)
#
# BUILD is a meson build directory (build-test in scripts/test.sh): the
# extension is built against its libdts (rpath to BUILD/lib) and installed
# into Debian's PostgreSQL 15 (root, or sudo); `regress` runs pg_regress
# (make installcheck, pg/sql/dts.sql) under pg_virtualenv; `multinode`
# runs tests/pg/multinode.sh (a coordinator and two shards). Needs
# `bash scripts/deps.sh pg`. Takes about half a minute.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: tests/pg/run.sh BUILD [build|regress|multinode|all]}" && pwd)
what=${2:-all}
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
flags=(DTS_CFLAGS="-I$src/include -I$build/include"
       DTS_LIBS="-L$build/lib -ldts -Wl,-rpath,$build/lib"
       DTS_CLASSIFIER_DIR="$src/classifiers")

step() { printf -- '-- pg: %s\n' "$*"; }

build_ext() {
  step "build and install the extension against $build"
  make -s -C "$src/pg" clean >/dev/null
  make -s -C "$src/pg" "${flags[@]}" >/dev/null
  "${sudo[@]}" make -s -C "$src/pg" install "${flags[@]}" >/dev/null
}

regress() {
  step "pg_regress (make installcheck) under pg_virtualenv"
  local out; out=$(mktemp -d)
  if ! pg_virtualenv -v 15 make -s -C "$src/pg" installcheck "${flags[@]}" REGRESS_OUT="$out"; then
    cat "$out/regression.diffs" 2>/dev/null | head -100
    rm -rf "$out"
    return 1
  fi
  rm -rf "$out"
}

case "$what" in
  build) build_ext ;;
  regress) regress ;;
  multinode) bash "$src/tests/pg/multinode.sh" "$build" ;;
  all) build_ext; regress; bash "$src/tests/pg/multinode.sh" "$build" ;;
  *) echo "run.sh: unknown step '$what' (build, regress, multinode, all)" >&2; exit 2 ;;
esac
