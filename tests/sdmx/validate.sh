#!/usr/bin/env bash
# SDMX 2.1 structure and data messages of dts-aggregate and dts-report, each
# validated with xmllint against the official schemas (tests/data/sdmx-2.1),
# for monthly, quarterly and yearly cubes, the annex (by year, month, half
# year and 1-N月 cumulative) and the boundary table,
# provisional, final and revised. Usage: validate.sh DTS_AGGREGATE DTS_REPORT SRCDIR
set -eu
agg=$1 rep=$2 src=$3
xsd=$src/tests/data/sdmx-2.1/SDMXMessage.xsd
rec=$src/examples/records-2024-2025.csv
rates=$src/examples/rates-2024-2025.csv
export SOURCE_DATE_EPOCH=0 DTS_CLASSIFIER=$src/classifiers/cn-digital-trade.xml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
check() {   # NAME COMMAND...: the command writes $tmp/NAME.xml
	local name=$1; shift
	# exit 1: some records rejected (annual records in a monthly cube)
	"$@" -o "$tmp/$name.xml" 2>/dev/null || [ $? -eq 1 ]
	xmllint --nonet --noout --schema "$xsd" "$tmp/$name.xml" 2>"$tmp/err" ||
		{ echo "FAIL $name"; head -20 "$tmp/err"; exit 1; }
	n=$((n + 1))
}
for fmt in sdmx-structure sdmx-ml; do
	check "m-$fmt" "$agg" --by period:month,flow,category:leaf --rates "$rates" -f $fmt "$rec"
	check "q-$fmt" "$agg" --by period:quarter,region:zone,base --rates "$rates" --unit wan --status final -f $fmt "$rec"
	check "y-$fmt" "$agg" --by period:year,category:top,counterpart --rates "$rates" --unit yi --status revised -f $fmt "$rec"
	check "nt-$fmt" "$agg" --by category:top,flow --rates "$rates" -f $fmt "$rec"
	check "annex-$fmt" "$rep" --rates "$rates" -t annex -f $fmt "$rec"
	check "boundary-$fmt" "$rep" --rates "$rates" -t boundary -f $fmt "$rec"
	check "annexm-$fmt" "$rep" --rates "$rates" --by month -f $fmt "$rec"
	check "annexytd-$fmt" "$rep" --rates "$rates" --by ytd -f $fmt "$rec"
	check "annexs-$fmt" "$rep" --rates "$rates" --by half -f $fmt "$rec"
done
# the data messages reference the structure's DSD (agency, id, version)
for t in m q y nt annex boundary annexm annexytd annexs; do
	dsd=$(grep -o '<structure:DataStructure id="[A-Z_]*" agencyID="LIBDTS" version="1.0">' "$tmp/$t-sdmx-structure.xml" | head -1 | sed 's/.*id="\([A-Z_]*\)".*/\1/')
	grep -q "<Ref agencyID=\"LIBDTS\" id=\"$dsd\" version=\"1.0\"/>" "$tmp/$t-sdmx-ml.xml" ||
		{ echo "FAIL $t: the data message does not reference DSD $dsd"; exit 1; }
done
grep -q '<message:DataSet action="Replace"' "$tmp/y-sdmx-ml.xml" || { echo "FAIL revised: no action Replace"; exit 1; }
grep -q 'id="OBS_STATUS" value="P"' "$tmp/m-sdmx-ml.xml" || { echo "FAIL provisional: no OBS_STATUS P"; exit 1; }
grep -q 'id="FREQ" value="M"' "$tmp/m-sdmx-ml.xml" && grep -q 'id="FREQ" value="Q"' "$tmp/q-sdmx-ml.xml" &&
	grep -q 'id="FREQ" value="A"' "$tmp/annex-sdmx-ml.xml" &&
	grep -q 'id="TIME_PERIOD" value="2025-01-01/P3M"' "$tmp/annexytd-sdmx-ml.xml" &&
	grep -q 'id="FREQ" value="S"' "$tmp/annexs-sdmx-ml.xml" &&
	grep -q 'id="TIME_PERIOD" value="2025-01-01/P1Y"' "$tmp/annexm-sdmx-ml.xml" || { echo "FAIL FREQ"; exit 1; }
# SDMX-CSV names the dataflow the structure message defines over that DSD
"$agg" --by period:year,flow --rates "$rates" -f sdmx-csv "$rec" 2>/dev/null | sed -n 2p | grep -q '^dataflow,LIBDTS:DTS_CUBE(1.0),I,' &&
	grep -q '<structure:Dataflow id="DTS_CUBE" agencyID="LIBDTS" version="1.0">' "$tmp/y-sdmx-structure.xml" ||
	{ echo "FAIL sdmx-csv: its dataflow is not in the structure message"; exit 1; }
echo "sdmx: $n messages validate; data messages reference their DSD and dataflow"
