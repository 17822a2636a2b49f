#!/bin/sh
# scripts/regen-model.sh BUILD [--check]
#
# Train the model behind the default classifier (classifiers/cn-digital-trade.model,
# the <model id="M1"> of cn-digital-trade.xml) from the labelled sets with
# `dts-rules train`. The sets are named here one by one, never by a pattern: a
# fresh evaluation set must not slip into the training data before it is scored
# (docs/evaluation.md §17). The simplified copies only: the normaliser folds
# traditional text, so the -tw copies would count every record twice.
# With --check, train into a temporary file and fail unless it is byte for byte
# the committed model (the meson test "model-regen"): the file is committed, and
# the test says when it is stale.
set -eu
build=${1:?usage: regen-model.sh BUILD [--check]}
here=$(cd "$(dirname "$0")/.." && pwd)
d=$here/tests/data
sets="$d/labelled.csv $d/labelled-independent.csv $d/labelled-wave2.csv $d/labelled-wave3.csv
$d/labelled-wave4.csv $d/labelled-wave5.csv $d/labelled-wave6.csv $d/labelled-wave7.csv
$d/labelled-wave8.csv $d/labelled-wave9.csv $d/labelled-wave10.csv $d/labelled-wave11.csv
$d/labelled-wave12.csv $d/labelled-wave13.csv $d/labelled-wave14.csv $d/labelled-wave15.csv
$d/labelled-wave16.csv $d/labelled-wave17.csv"
model=$here/classifiers/cn-digital-trade.model
if [ "${2:-}" = "--check" ]; then
	tmp=$(mktemp "${TMPDIR:-/tmp}/dts-model.XXXXXX")
	trap 'rm -f "$tmp"' EXIT
	# shellcheck disable=SC2086
	"$build/tools/dts-rules" train -o "$tmp" $sets
	if ! cmp -s "$tmp" "$model"; then
		echo "regen-model: $model is not what training gives; run scripts/regen-model.sh $build" >&2
		exit 1
	fi
	exit 0
fi
# shellcheck disable=SC2086
"$build/tools/dts-rules" train -o "$model" $sets
echo "regen-model: wrote $model ($(wc -c <"$model") bytes)"
