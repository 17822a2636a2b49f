#!/usr/bin/env bash
# Run the API driver over every tests/api/cases/*.case (or those named) from the
# source root and compare its output with NAME.out byte for byte; --regen
# writes NAME.out instead. Usage: run.sh DRIVER [--regen] [NAME...]
set -u
driver=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
regen=0
if [ "${1:-}" = --regen ]; then regen=1; shift; fi
cd "$(dirname "$0")/../.." || exit 2
export LC_ALL=C.UTF-8 TZ=UTC
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd tests/api/cases && ls *.case | sed 's/\.case$//'))
fail=0
for name in "${names[@]}"; do
	c=tests/api/cases/$name.case
	got=$(mktemp)
	"$driver" "$c" > "$got" 2>&1
	st=$?
	[ $st = 0 ] || echo "[driver exit $st]" >> "$got"
	if [ $regen = 1 ]; then
		cp "$got" "tests/api/cases/$name.out"
	elif ! cmp -s "tests/api/cases/$name.out" "$got"; then
		echo "FAIL api $name: output differs from tests/api/cases/$name.out"
		diff -u "tests/api/cases/$name.out" "$got" | head -100 | sed 's/^/  /'
		fail=$((fail+1))
	fi
	rm -f "$got"
done
echo "api: $((${#names[@]} - fail)) of ${#names[@]} cases match"
[ $fail = 0 ]
