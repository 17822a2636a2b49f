#!/usr/bin/env bash
# The shared library exports exactly the dts_* functions that
# debian/libdts0.symbols lists: a new public function must be added there
# (with the version that adds it), a removed one is an ABI break.
# Usage: check-symbols.sh LIBDTS.so SRCDIR
set -euo pipefail
lib=$1 src=$2
got=$(nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "B" { print $3 }' | sort)
want=$(sed -n 's/^ \([A-Za-z0-9_]*\)@Base .*/\1/p' "$src/debian/libdts0.symbols" | sort)
if [ "$got" != "$want" ]; then
  echo "exported symbols and debian/libdts0.symbols differ (< symbols file, > library):"
  diff <(echo "$want") <(echo "$got") || true
  exit 1
fi
bad=$(echo "$got" | grep -v '^dts_' || true)
[ -z "$bad" ] || { echo "exported without the dts_ prefix: $bad"; exit 1; }
echo "symbols: $(echo "$got" | wc -l) exported, all dts_*, all in debian/libdts0.symbols"
