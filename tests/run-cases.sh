#!/usr/bin/env bash
# Data-driven tool tests (curl / PCRE2 style). Each directory under
# tests/cases/ is one case:
#   cmd               shell commands; run in a scratch copy of the case
#                     directory with the built tools first on PATH and
#                     $SRC set to the source root
#   expected/stdout   what the commands print (compared byte for byte)
#   expected/stderr   optional, compared when present
#   expected/status   optional exit status of the last command (default 0)
#   expected/FILE     any other file the commands must produce, byte for byte
# Usage: run-cases.sh BUILDDIR [CASE...]
set -u
build=$(cd "$1" && pwd); shift
src=$(cd "$(dirname "$0")/.." && pwd)
export SRC="$src" PATH="$build/tools:$PATH" LC_ALL=C.UTF-8 TZ=UTC
export DTS_CLASSIFIER="$src/classifiers/cn-digital-trade.xml"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(ls "$src/tests/cases"))
pass=0; fail=0
for name in "${cases[@]}"; do
  dir="$src/tests/cases/$name"
  [ -f "$dir/cmd" ] || continue
  work=$(mktemp -d)
  cp -r "$dir"/. "$work"/
  rm -rf "$work/expected"
  (cd "$work" && bash ./cmd >"$work/.stdout" 2>"$work/.stderr"; echo $? >"$work/.status")
  ok=1
  want_status=0; [ -f "$dir/expected/status" ] && want_status=$(cat "$dir/expected/status")
  if [ "$(cat "$work/.status")" != "$want_status" ]; then
    echo "FAIL $name: exit status $(cat "$work/.status"), expected $want_status"; ok=0
    sed 's/^/  stderr: /' "$work/.stderr" | head -20
  fi
  for exp in "$dir"/expected/*; do
    [ -e "$exp" ] || continue
    f=$(basename "$exp")
    [ "$f" = status ] && continue
    got="$work/$f"; [ "$f" = stdout ] && got="$work/.stdout"; [ "$f" = stderr ] && got="$work/.stderr"
    if ! cmp -s "$exp" "$got"; then
      echo "FAIL $name: $f differs"; ok=0
      diff -u "$exp" "$got" 2>&1 | head -40 | sed 's/^/  /'
    fi
  done
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
  rm -rf "$work"
done
echo "cases: $pass passed, $fail failed"
[ $fail = 0 ]
