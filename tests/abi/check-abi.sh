#!/usr/bin/env bash
# The ABI against the last release (docs/abi.md): abidiff compares
# tests/abi/libdts-0.1.0.abi (abidw of the 0.1.0 library and its public
# headers) with this build's library and include/. Added functions and
# types pass; a removed or changed function, variable or type fails.
# Usage: check-abi.sh LIBDTS.so SRCDIR
#
# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 the ABI
# changed (additions count), 8 an incompatible change (a removed symbol).
# 1, 2 and 8 fail outright; 4 fails unless the summary shows additions only.
set -uo pipefail
lib=$1 src=$2
base="$src/tests/abi/libdts-0.1.0.abi"
if ! command -v abidiff >/dev/null; then
  # CI (scripts/test.sh sets DTS_CI, as do CI services with CI) must check it.
  if [ -n "${DTS_CI:-}${CI:-}" ]; then
    echo "abi: abidiff not found (apt-get install abigail-tools, or bash scripts/deps.sh test)"
    exit 1
  fi
  echo "abi: SKIPPED: abidiff not found (bash scripts/deps.sh test installs abigail-tools)"
  exit 77
fi
# A change reviewed as compatible (docs/abi.md) is listed, with its reason,
# in libdts.abignore (abidiff's suppression format).
supp=()
[ -f "$src/tests/abi/libdts.abignore" ] && supp=(--suppressions "$src/tests/abi/libdts.abignore")
out=$(abidiff "${supp[@]}" --headers-dir2 "$src/include" "$base" "$lib" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $((rc & 3)) -ne 0 ]; then
  echo "abi: abidiff could not compare (exit $rc)"; exit 1
fi
if [ $((rc & 8)) -ne 0 ]; then
  echo "abi: FAIL: incompatible change against 0.1.0 (exit $rc): see above"; exit 1
fi
# "Functions changes summary: 0 Removed, 1 Changed (53 filtered out), 2 Added functions",
# "Function symbols changes summary: 0 Removed, 0 Added function symbols ...":
# any non-zero Removed or Changed count fails (filtered-out changes are the
# opaque handles' private structs, which callers never see).
bad=$(printf '%s\n' "$out" | grep -E 'changes summary:' |
  grep -E '(^|[^0-9])[1-9][0-9]* (Removed|Changed)' || true)
if [ $((rc & 4)) -ne 0 ] && [ -n "$bad" ]; then
  echo "abi: FAIL: removed or changed against 0.1.0 (exit $rc):"
  printf '%s\n' "$bad"
  exit 1
fi
added=$(printf '%s\n' "$out" | sed -n 's/^Functions changes summary:.* \([0-9]*\) Added.*/\1/p')
echo "abi: compatible with 0.1.0 (${added:-0} functions added)"
