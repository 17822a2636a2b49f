#!/usr/bin/env bash
# The abi test's verdicts on known changes, made from the baseline itself:
# no change passes; a removed function and a grown struct fail.
# Usage: selftest.sh SRCDIR
set -uo pipefail
src=$1
base="$src/tests/abi/libdts-0.1.0.abi"
command -v abidiff >/dev/null || { echo "abi-selftest: SKIPPED: abidiff not found"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
check() { bash "$src/tests/abi/check-abi.sh" "$1" "$src" >"$tmp/out" 2>&1; }
fail=0
check "$base" || { echo "abi-selftest: the baseline against itself failed:"; cat "$tmp/out"; fail=1; }
sed "/<elf-symbol name='dts_strerror'/d" "$base" >"$tmp/removed.abi"
check "$tmp/removed.abi" && { echo "abi-selftest: a removed function passed:"; cat "$tmp/out"; fail=1; }
sed "s/<class-decl name='dts_csv_row' size-in-bits='640'/<class-decl name='dts_csv_row' size-in-bits='704'/" \
  "$base" >"$tmp/grown.abi"
cmp -s "$base" "$tmp/grown.abi" && { echo "abi-selftest: fixture: dts_csv_row not found"; fail=1; }
check "$tmp/grown.abi" && { echo "abi-selftest: a struct whose size changed passed:"; cat "$tmp/out"; fail=1; }
[ $fail = 0 ] && echo "abi-selftest: unchanged passes, removed function and grown struct fail"
exit $fail
