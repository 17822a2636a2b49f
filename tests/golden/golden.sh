#!/usr/bin/env bash
# Golden outputs (PCRE2's testoutput style): every output the tools write today,
# from the fixed inputs under tests/golden/input/, compared byte for byte with
# the transcripts under tests/golden/expected/ (one per group of commands in
# tests/golden/cases.sh). A mismatch prints a unified diff.
#
# Usage: golden.sh BUILDDIR [--regen] [GROUP...]
#   --regen   write the transcripts into tests/golden/expected/ instead of
#             comparing (tests/golden/regen.sh does this): a behaviour change
#             then shows as a readable git diff of expected/.
#
# A transcript holds, for each command, "$ COMMAND", its standard output, then
# "[stderr]" and its standard error when there is some, then "[exit N]" when N
# is not 0; "[file NAME]" and the file's bytes for every output file shown.
# xlsx workbooks are shown as their unzipped XML parts (the zip bytes carry
# timestamps), each part broken at "><" so a change is one readable line; the
# creation time libxlsxwriter writes into docProps/core.xml is masked, and
# xl/theme/theme1.xml (libxlsxwriter's fixed theme) is left out.
set -u
build=$(cd "$1" && pwd); shift
regen=0
if [ "${1:-}" = --regen ]; then regen=1; shift; fi
src=$(cd "$(dirname "$0")/../.." && pwd)
gdir="$src/tests/golden"
export PATH="$build/tools:$PATH" LC_ALL=C.UTF-8 TZ=UTC SOURCE_DATE_EPOCH=1767225600
unset DTS_CLASSIFIER
export DTS_CLASSIFIER=c/cn-digital-trade.xml

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$work/.out"
mkdir -p "$out"

current=""
# Without libxlsxwriter (GOLDEN_XLSX=0, set by meson) the *-xlsx groups are skipped.
xlsx_built=${GOLDEN_XLSX:-1}
skipped=" "
# group NAME: the following commands go into expected/NAME.
group() {
	if [ "$xlsx_built" = 0 ] && [[ $1 == *-xlsx ]]; then
		current="$work/.skipped"; skipped+="$1 "
	else
		current="$out/$1"
	fi
	: > "$current"
}
# r CMD...: run a command (a shell string), record its outputs and status.
r() {
	printf '$ %s\n' "$*" >> "$current"
	bash -c "$*" > "$work/.o" 2> "$work/.e"
	local st=$?
	cat "$work/.o" >> "$current"
	if [ -s "$work/.e" ]; then echo "[stderr]" >> "$current"; cat "$work/.e" >> "$current"; fi
	[ $st = 0 ] || echo "[exit $st]" >> "$current"
}
# f FILE...: show output files, then remove them.
f() {
	local x
	for x in "$@"; do
		echo "[file $x]" >> "$current"
		if [ -e "$x" ]; then cat "$x" >> "$current"; rm -f "$x"; else echo "(missing)" >> "$current"; fi
	done
}
# xlsx FILE: show the parts of a workbook, then remove it.
xlsx() {
	local x=$1 part
	echo "[xlsx $x]" >> "$current"
	if [ ! -e "$x" ]; then echo "(missing)" >> "$current"; return; fi
	for part in $(unzip -Z1 "$x" | LC_ALL=C sort); do
		[ "$part" = xl/theme/theme1.xml ] && continue
		echo "[part $part]" >> "$current"
		unzip -p "$x" "${part//\[/[[]}" | sed -e 's/></>\n</g' \
			-e 's#\(<dcterms:[a-z]* xsi:type="dcterms:W3CDTF">\)[^<]*#\1(time)#g' >> "$current"
		echo >> "$current"
	done
	rm -f "$x"
}

cp -r "$gdir/input/." "$work/"
mkdir -p "$work/c"
cp -r "$src/classifiers/cn-digital-trade.xml" "$src/classifiers/lists" \
	"$src/classifiers/cn-digital-trade.model" "$work/c/"
cd "$work" || exit 1
groups=("$@")
# shellcheck source=cases.sh
. "$gdir/cases.sh"

fail=0; n=0
for got in "$out"/*; do
	name=$(basename "$got")
	if [ ${#groups[@]} -gt 0 ] && [[ " ${groups[*]} " != *" $name "* ]]; then continue; fi
	n=$((n+1))
	if [ $regen = 1 ]; then
		cp "$got" "$gdir/expected/$name"
	elif ! cmp -s "$gdir/expected/$name" "$got"; then
		echo "FAIL golden $name: output differs from tests/golden/expected/$name"
		diff -u "$gdir/expected/$name" "$got" | sed 's/^/  /' | head -200
		fail=$((fail+1))
	fi
done
if [ $regen = 1 ]; then
	# A group no longer produced is removed, so git shows it.
	for exp in "$gdir/expected"/*; do
		[ -e "$exp" ] || continue
		[ -e "$out/$(basename "$exp")" ] || rm -f "$exp"
	done
	echo "golden: $n transcripts written to tests/golden/expected/"
	exit 0
fi
for exp in "$gdir/expected"/*; do
	[ -e "$exp" ] || continue
	name=$(basename "$exp")
	if [ ${#groups[@]} -gt 0 ] && [[ " ${groups[*]} " != *" $name "* ]]; then continue; fi
	[[ $skipped == *" $name "* ]] && continue
	[ -e "$out/$name" ] || { echo "FAIL golden $name: no longer produced"; fail=$((fail+1)); }
done
echo "golden: $((n-fail)) of $n transcripts match"
[ "$skipped" = " " ] || echo "golden: skipped (no libxlsxwriter):$skipped"
[ $fail = 0 ]
