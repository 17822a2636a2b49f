#!/usr/bin/env bash
# reconcile-bench.sh — generate a LEFT/RIGHT pair of record files with known
# differences, run dts-reconcile on them under /usr/bin/time -v, print the
# time and peak memory, and check that the summary shows exactly the known
# numbers of each bucket.
#
# usage: bench/reconcile-bench.sh [--quick] [-n N] [-b BUILDDIR] [-d DIR] [--keep]
#   default N = 10,000,000 records a side; --quick = 1,000,000
#   -n N        records (the test suite uses small N to check the counts)
#   -b BUILDDIR where dts-reconcile is (default: first of build*/tools on disk)
#   -d DIR      where to write the files (default: a temp directory)
set -euo pipefail
n=10000000; build=""; dir=""; keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) n=1000000 ;;
    -n) n=$2; shift ;;
    -b) build=$2; shift ;;
    -d) dir=$2; shift ;;
    --keep) keep=1 ;;
    *) echo "usage: $0 [--quick] [-n N] [-b BUILDDIR] [-d DIR] [--keep]" >&2; exit 2 ;;
  esac
  shift
done
src=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$build" ]; then exe=$build/tools/dts-reconcile
elif command -v dts-reconcile >/dev/null; then exe=$(command -v dts-reconcile)
else exe=$(ls -d "$src"/build*/tools/dts-reconcile 2>/dev/null | head -1); fi
[ -x "$exe" ] || { echo "dts-reconcile not found (use -b BUILDDIR)" >&2; exit 2; }
if [ -z "$dir" ]; then dir=$(mktemp -d); [ $keep = 1 ] || trap 'rm -rf "$dir"' EXIT; fi

# The known differences: each about 0.1% of N (at least 1).
k=$(( n / 1000 > 0 ? n / 1000 : 1 ))
lo=$k ro=$k dup=$k vd=$k cd=$k
[ $((lo + dup + vd + cd)) -lt "$n" ] || { echo "N too small" >&2; exit 2; }

# ids 1..lo: left only; lo+1..lo+dup: twice on the left; then vd value
# differences (1.00, beyond the 0.50 tolerance), cd category differences;
# the rest match, every 7th within the tolerance (+0.25). Right-only ids
# are n+1..n+ro. Keys are scrambled (i * 48271 mod 2^31-1, a bijection)
# and the right file is written in reverse order.
gen() {
  awk -v n="$n" -v lo=$lo -v ro=$ro -v dup=$dup -v vd=$vd -v cd=$cd -v side="$1" '
  function key(i) { return sprintf("K%010d", (i * 48271) % 2147483647) }
  function cat(i) { return cats[i % 5] }
  BEGIN {
    split("TECH.CLOUD SERV.FINANCE PROD.GAME DATA.PRODUCT CBEC.B2C", c, " ")
    for (j = 0; j < 5; j++) cats[j] = c[j + 1]
    print "id,period,flow,value,dts_category"
    if (side == "L") {
      for (i = 1; i <= n; i++) {
        v = (i % 100000) + 0.25
        printf "%s,2025-%02d,X,%.2f,%s\n", key(i), i % 12 + 1, v, cat(i)
        if (i > lo && i <= lo + dup)
          printf "%s,2025-%02d,X,%.2f,%s\n", key(i), i % 12 + 1, v, cat(i)
      }
    } else {
      for (i = n + ro; i > lo; i--) {
        v = (i % 100000) + 0.25; cc = cat(i)
        if (i > lo + dup && i <= lo + dup + vd) v += 1
        else if (i > lo + dup + vd && i <= lo + dup + vd + cd) cc = cat(i + 1)
        else if (i % 7 == 0) v += 0.25
        printf "%s,2025-%02d,X,%.2f,%s\n", key(i), i % 12 + 1, v, cc
      }
    }
  }'
}
echo "generating $n x $n records in $dir ..."
gen L >"$dir/left.csv"
gen R >"$dir/right.csv"
ls -l "$dir/left.csv" "$dir/right.csv" | awk '{print "  " $5 " bytes  " $NF}'

set +e
/usr/bin/time -v "$exe" --key id --tolerance 0.50 --compare value,category \
  --details "$dir/details.csv" -o "$dir/summary.txt" "$dir/left.csv" "$dir/right.csv" \
  2>"$dir/time.txt"
rc=$?
set -e
[ $rc -le 1 ] || { cat "$dir/time.txt" >&2; exit 1; }
awk -F': ' '/Elapsed \(wall clock\)/ {print "wall time:        " $2}
            /Maximum resident set size/ {printf "peak memory:      %.1f MiB\n", $2 / 1024}
            /User time/ {print "user seconds:     " $2}' "$dir/time.txt"

matched=$((n - lo - dup - vd - cd))
want_l="left  $((n + dup)) read = $matched matched + $cd category_diff + $vd value_diff + $((2 * dup)) duplicate + $lo left_only + 0 rejected"
want_r="right $((n - lo + ro)) read = $matched matched + $cd category_diff + $vd value_diff + $dup duplicate + $ro right_only + 0 rejected"
ok=1
grep -qxF "$want_l" "$dir/summary.txt" || { echo "MISMATCH, expected: $want_l"; ok=0; }
grep -qxF "$want_r" "$dir/summary.txt" || { echo "MISMATCH, expected: $want_r"; ok=0; }
grep -qx "every record is in exactly one bucket" "$dir/summary.txt" || ok=0
grep -E '^(left|right) ' "$dir/summary.txt" | tail -2
if [ $ok = 1 ]; then echo "counts: as generated"; else echo "counts: WRONG"; exit 1; fi
