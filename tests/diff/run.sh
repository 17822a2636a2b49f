#!/bin/bash
# run.sh DIFF_PATHS DTS_GEN DTS_CLASSIFY SRCDIR DTS_AGGREGATE [--sanitized] — the fast
# path against the reference path (tests/diff/meson.build). Exit 0 when every
# input reads, classifies and writes the same on both paths.
# --sanitized (the ASan/UBSan build): the per-record comparison and the edge
# cases as always; the tools' outputs on one seed of each kind instead of
# three, and the output options on the rows made for the output's paths
# only (a tool run costs a second there; the plain build runs them all).
set -u
diff_paths=$1 gen=$2 classify=$3 src=$4 aggregate=$5 sanitized=${6:-}
rules=$src/classifiers/cn-digital-trade.xml
tmp=$(mktemp -d /tmp/dts-diff.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
# same A B: the same bytes, or neither written (a run that stopped before output)
same() { { [ ! -e "$1" ] && [ ! -e "$2" ]; } || cmp -s "$1" "$2"; }

inputs=()
for kind in mixed customs bop survey; do
	for seed in 1 2 3; do
		"$gen" --seed "$seed" --kind "$kind" -n 4000 -o "$tmp/gen-$kind-$seed.csv" || exit 1
		inputs+=("$tmp/gen-$kind-$seed.csv")
	done
done
# one larger input, past the 1 MiB read block and the encoding window
"$gen" --seed 7 --bytes 3M -o "$tmp/gen-3m.csv" || exit 1
inputs+=("$tmp/gen-3m.csv")

# 1. per record: the sources, the reject policy, every kernel level
corpus=("$src"/tests/fuzz/corpus/csv/*)
"$diff_paths" "$rules" --edge "$tmp" "${inputs[@]}" "${corpus[@]}" > "$tmp/records.log" || fail=1
grep -v '/corpus/' "$tmp/records.log"
echo "fuzz corpus: $(grep -c '/corpus/' "$tmp/records.log") inputs"

# rows the output's fast path (a plain row copied as it lies, the result
# columns memoized, JSON values copied when JSON escapes nothing) must
# leave to the general writer: values that need requoting (a space at an
# edge, a comma or quote from a quoted field or from a ';' input), quotes
# that need none, empty values, a backslash, a tab, CRLF and a BOM
{
	printf '\xEF\xBB\xBFid,flow,period,hs_code,description,counterpart,currency,value\r\n'
	for k in $(seq 1 300); do
		case $((k % 9)) in
		0) printf 'Q%d,M,2024-05,851712," lead space",US,USD,%d.50\r\n' $k $k ;;
		1) printf 'Q%d,M,2024-05,851712,"trail space ",US,USD,%d.50\r\n' $k $k ;;
		2) printf 'Q%d,M,2024-05,851712,"cloud, servers",US,USD,%d.50\r\n' $k $k ;;
		3) printf '"Q%d",M,2024-05,"851712","needless quotes",US,USD,%d.50\r\n' $k $k ;;
		4) printf 'Q%d,M,2024-05,851712,,US,USD,%d.50\r\n' $k $k ;;
		5) printf 'Q%d,M,2024-05,851712,"5"" disk",US,USD,%d.50\r\n' $k $k ;;
		6) printf 'Q%d,M,2024-05,851712,software licence,US,USD,%d.50,extra\r\n' $k $k ;;
		7) printf 'Q%d,M,2024-05,851712,back\\slash\ttab 云服务,US,USD,%d.50\r\n' $k $k ;;
		*) printf 'Q%d,M,2024-05,851712,plain row %d,US,USD,%d.50\r\n' $k $k $k ;;
		esac
	done
} > "$tmp/edge-requote.csv"
{
	printf 'id;flow;period;hs_code;description;counterpart;currency;value\n'
	for k in $(seq 1 200); do
		case $((k % 3)) in
		0) printf 'S%d;M;2024-05;851712;cloud, servers;US;USD;%d.50\n' $k $k ;;
		1) printf 'S%d;M;2024-05;851712;"say ""hi""";US;USD;%d.50\n' $k $k ;;
		*) printf 'S%d;M;2024-05;851712;plain %d;US;USD;%d.50\n' $k $k $k ;;
		esac
	done
} > "$tmp/edge-semicolon.csv"

# the inputs of the tool runs below: all of them, or one seed a kind
tool_inputs=("${inputs[@]}")
option_inputs=("$tmp/gen-mixed-1.csv" "$tmp/gen-survey-2.csv" "$tmp"/edge-*.csv)
if [ "$sanitized" = --sanitized ]; then
	tool_inputs=("$tmp"/gen-*-1.csv "$tmp/gen-3m.csv")
	# the output options on the rows written for the output's paths
	option_inputs=("$tmp/gen-mixed-1.csv" "$tmp/edge-requote.csv" "$tmp/edge-semicolon.csv")
fi

# 2. the tool's outputs, rejects, summary and exit status, byte for byte
for in in "${tool_inputs[@]}" "$tmp"/edge-*.csv; do
	for path in fast ref; do
		extra=()
		[ $path = ref ] && extra=(--reference-path)
		case $in in *semicolon*) extra+=(-d ';') ;; esac
		# a run that writes nothing must not compare the last input's files
		rm -f "$tmp/out.$path" "$tmp/rej.$path" "$tmp/sum.$path"
		"$classify" -q -r "$rules" "${extra[@]}" -o "$tmp/out.$path" --rejects "$tmp/rej.$path" \
			--summary "$tmp/sum.$path" "$in" 2> "$tmp/err.$path"
		echo $? > "$tmp/rc.$path"
	done
	for f in out rej sum err rc; do
		if ! same "$tmp/$f.fast" "$tmp/$f.ref"; then
			echo "FAIL: $(basename "$in"): dts-classify $f differs (fast vs --reference-path)"
			diff "$tmp/$f.fast" "$tmp/$f.ref" | head -5
			fail=1
		fi
	done
done
# the output options and thread counts: the output's fast path against the
# reference (--reference-path also formats every row on the general path)
for in in "${option_inputs[@]}"; do
	for opt in "-j 2" "-j 3" "-f jsonl" "-f jsonl -j 2 --review-column" "--explain" \
		   "--explain -f jsonl" "--review-column --bom" "--review REV -j 2"; do
		for path in fast ref; do
			extra=()
			[ $path = ref ] && extra=(--reference-path)
			case $in in *semicolon*) extra+=(-d ';') ;; esac
			rm -f "$tmp/out.$path"
			# shellcheck disable=SC2086 # the options are words
			"$classify" -q -r "$rules" "${extra[@]}" ${opt/REV/$tmp/rev.$path} \
				-o "$tmp/out.$path" "$in" 2> "$tmp/err.$path"
			echo $? > "$tmp/rc.$path"
			[ -f "$tmp/rev.$path" ] || : > "$tmp/rev.$path"
		done
		for f in out err rc rev; do
			if ! same "$tmp/$f.fast" "$tmp/$f.ref"; then
				echo "FAIL: $(basename "$in") $opt: dts-classify $f differs (fast vs --reference-path)"
				diff "$tmp/$f.fast" "$tmp/$f.ref" | head -5
				fail=1
			fi
		done
		rm -f "$tmp/rev.fast" "$tmp/rev.ref"
	done
done
# dts-aggregate: the table, the partial (with contributions) and stderr
for in in "${tool_inputs[@]}" "$tmp"/edge-*.csv; do
	for path in fast ref; do
		extra=()
		[ $path = ref ] && extra=(--reference-path)
		"$aggregate" -r "$rules" "${extra[@]}" --by period:month,flow,category:leaf,base \
			--rates "$src/bench/rates.csv" -o "$tmp/agg.$path" "$in" 2> "$tmp/aerr.$path"
		echo $? > "$tmp/arc.$path"
		"$aggregate" -r "$rules" "${extra[@]}" --by period:year,category:top --partial \
			--ids-in-clear --contributions --rates "$src/bench/rates.csv" \
			-o "$tmp/part.$path" "$in" 2>> "$tmp/aerr.$path"
		echo $? >> "$tmp/arc.$path"
	done
	for f in agg part aerr arc; do
		if ! cmp -s "$tmp/$f.fast" "$tmp/$f.ref"; then
			echo "FAIL: $(basename "$in"): dts-aggregate $f differs (fast vs --reference-path)"
			diff "$tmp/$f.fast" "$tmp/$f.ref" | head -5
			fail=1
		fi
	done
done
# the verify mode on a whole run: same output, no difference found
"$classify" -q -r "$rules" --verify-every 1 -o "$tmp/out.verify" "$tmp/gen-3m.csv" ||
	[ $? -eq 1 ] || { echo "FAIL: --verify-every 1"; fail=1; }
"$classify" -q -r "$rules" -o "$tmp/out.fast" "$tmp/gen-3m.csv"
cmp -s "$tmp/out.fast" "$tmp/out.verify" || { echo "FAIL: --verify-every output differs"; fail=1; }
[ $fail = 0 ] && echo "diff-paths: fast and reference paths agree on ${#inputs[@]} generated inputs (${#tool_inputs[@]} through the tools), $(ls "$tmp"/edge-*.csv | wc -l) edge cases, ${#corpus[@]} corpus inputs"
exit $fail
