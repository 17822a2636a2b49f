# Golden cases, sourced by golden.sh (helpers: group, r, f, xlsx; see there).
# Run in a scratch copy of tests/golden/input/, with the shipped classifier
# copied to c/ (DTS_CLASSIFIER=c/cn-digital-trade.xml) and SOURCE_DATE_EPOCH
# fixed. Inputs: gen-mixed.csv = dts-gen --seed 7 -n 300, gen-bop.csv =
# dts-gen --seed 3 --kind bop -n 60, mixed-bad.csv = hand-made records with
# every kind of reject, the rest copied from examples/ and tests/cases/rules-diff.
# Add a group for each new output; regen.sh rewrites expected/. Groups named
# *-xlsx are skipped when the tools are built without libxlsxwriter.

# --- dts-aggregate: every writer format -------------------------------------
by=period:year,flow,category:top
group aggregate-text
r dts-aggregate --by $by --rates rates-2024-2025.csv records-2024-2025.csv
r dts-aggregate --by period:quarter,category:leaf,base --rates rates-2024-2025.csv --unit wan --decimals 4 records-2024-2025.csv ceb621-sample.xml ceb603-sample.xml
r dts-aggregate --by region:zone,counterpart --rates rates-2024-2025.csv --unit yi gen-mixed.csv
r dts-aggregate --by period:month,flow --rates rates-2024-2025.csv mixed-bad.csv
group aggregate-csv
r dts-aggregate --by $by --rates rates-2024-2025.csv -f csv records-2024-2025.csv
r dts-aggregate --by period:quarter,category:leaf,region --rates rates-2024-2025.csv -f csv --decimals 0 gen-mixed.csv
group aggregate-sdmx-csv
r dts-aggregate --by $by --rates rates-2024-2025.csv -f sdmx-csv records-2024-2025.csv
r dts-aggregate --by period:quarter,base,category:leaf --rates rates-2024-2025.csv -f sdmx-csv --unit wan gen-bop.csv
group aggregate-sdmx-ml
r dts-aggregate --by $by --rates rates-2024-2025.csv -f sdmx-ml records-2024-2025.csv
r dts-aggregate --by period:month,counterpart --rates rates-2024-2025.csv -f sdmx-ml -o cube.xml ceb621-sample.xml
f cube.xml
group aggregate-sdmx-structure
r dts-aggregate --by $by --rates rates-2024-2025.csv -f sdmx-structure records-2024-2025.csv
r dts-aggregate --by period:quarter,category:leaf,base --rates rates-2024-2025.csv -f sdmx-structure --unit yi records-2024-2025.csv
group aggregate-bom
r dts-aggregate --by period:year --rates rates-2024-2025.csv -f csv --bom records-2024-2025.csv
r "dts-aggregate --by period:year --rates rates-2024-2025.csv -f sdmx-csv --bom --unit yi records-2024-2025.csv | od -c | head -2"
group aggregate-vintage
r dts-aggregate --by $by --rates rates-2024-2025.csv --partial --ids-in-clear --status final --vintage 2026-01-31 -o f.part records-2024-2025.csv
r dts-aggregate --by $by --rates rates-2024-2025.csv --partial --ids-in-clear --status revised -o r.part gen-mixed.csv
r dts-aggregate --merge --partial --ids-in-clear f.part r.part
r dts-aggregate --merge -f sdmx-csv f.part r.part
r dts-aggregate --merge -f sdmx-ml --status revised f.part
f f.part
group aggregate-xlsx
r dts-aggregate --by $by --rates rates-2024-2025.csv -f xlsx -o cube.xlsx records-2024-2025.csv
xlsx cube.xlsx
r dts-aggregate --by region:zone,base --rates rates-2024-2025.csv -f xlsx --unit wan -o cube2.xlsx gen-mixed.csv
xlsx cube2.xlsx
group aggregate-partial
r dts-aggregate --by $by --rates rates-2024-2025.csv --partial --id-key bureau.key -o a.part records-2024-2025.csv
r dts-aggregate --by $by --rates rates-2024-2025.csv --partial --id-key bureau.key -o b.part gen-mixed.csv ceb621-sample.xml
r dts-aggregate --merge -f csv a.part b.part
r dts-aggregate --by $by --rates rates-2024-2025.csv -f csv records-2024-2025.csv gen-mixed.csv ceb621-sample.xml
f a.part b.part
group aggregate-suppress
r dts-aggregate --by period:year,region,category:top --rates rates-2024-2025.csv --suppress records-2024-2025.csv
r dts-aggregate --by region,category:leaf --rates rates-2024-2025.csv --suppress=4 --protect 20 -f csv records-2024-2025.csv
r dts-aggregate --by region,flow,category:top --rates rates-2024-2025.csv --suppress -f sdmx-csv --unit wan gen-mixed.csv

# --- dts-report: every table in every format --------------------------------
rep="--rates rates-2024-2025.csv --reported reported-2025.csv"
group report-text
r dts-report $rep records-2024-2025.csv
r dts-report $rep --year 2024 records-2024-2025.csv
r dts-report --rates rates-2024-2025.csv --decimals 14 gen-mixed.csv
for fmt in csv sdmx-csv sdmx-ml; do
	group report-$fmt
	r dts-report $rep -t annex -f $fmt records-2024-2025.csv
	r dts-report $rep -t boundary -f $fmt records-2024-2025.csv
done
group report-sdmx-structure
r dts-report $rep -f sdmx-structure records-2024-2025.csv
r dts-report $rep -t boundary -f sdmx-structure records-2024-2025.csv
group report-notes
r dts-report $rep -t notes records-2024-2025.csv
r dts-report $rep -t notes -f csv --bom gen-mixed.csv
group report-currency
r dts-report --rates rates-usd.csv --currency USD --reported reported-2025.csv records-2024-2025.csv
r dts-report --rates rates-usd.csv --currency USD -t annex -f sdmx-csv --year 2025 records-2024-2025.csv
group report-no-data-year
r dts-report $rep --year 2026 records-2024-2025.csv
r dts-report $rep --year 2026 -f xlsx -o none.xlsx records-2024-2025.csv
group report-xlsx
r dts-report $rep -f xlsx -o annex.xlsx records-2024-2025.csv
xlsx annex.xlsx
r dts-report $rep -t boundary -f xlsx -o boundary.xlsx records-2024-2025.csv
xlsx boundary.xlsx
# --- dts-report by period (issue 15): monthly, quarterly, half-year and
# 1-N月 cumulative annex tables, year on year like for like
group report-periods-text
r dts-report $rep --by month --year 2025 records-2024-2025.csv
r dts-report $rep --by quarter records-2024-2025.csv
r dts-report $rep --by half --year 2025 records-2024-2025.csv
r dts-report $rep --by ytd --year 2025 records-2024-2025.csv
for fmt in csv sdmx-csv sdmx-ml sdmx-structure; do
	group report-periods-$fmt
	r dts-report $rep --by month --year 2025 -f $fmt records-2024-2025.csv
	r dts-report $rep --by ytd --year 2025 -f $fmt records-2024-2025.csv
done
group report-periods-xlsx
r dts-report $rep --by ytd --year 2025 -f xlsx -o ytd.xlsx records-2024-2025.csv
xlsx ytd.xlsx
group report-part-year
r "awk -F, 'NR == 1 || \$4 ~ /^2024/ || \$4 ~ /^2025-0[1-3]/ || \$4 == \"2025-Q1\"' records-2024-2025.csv > q1.csv"
r dts-report $rep -t annex -f csv q1.csv
r dts-report $rep --by ytd -f csv q1.csv
r dts-report $rep --by quarter --year 2025 -f csv q1.csv
r rm q1.csv
r dts-aggregate --by period:year,flow,category:top,base --rates rates-2024-2025.csv --partial --ids-in-clear -o yy.part records-2024-2025.csv
r dts-report $rep --by month -f csv yy.part
r rm yy.part
group report-partial
r dts-aggregate --by period:year,flow,category:top,base --rates rates-2024-2025.csv --partial --ids-in-clear -o y.part records-2024-2025.csv
r dts-report $rep -f csv y.part
f y.part
r dts-aggregate --by period:year,flow,category:top,base,source --rates rates-2024-2025.csv --partial --ids-in-clear -o ys.part records-2024-2025.csv
r dts-report $rep -t annex -f csv ys.part
group report-sources
r dts-report $rep --year 2025 -t sources records-2024-2025.csv
r dts-report $rep -t sources -f csv records-2024-2025.csv
r dts-report $rep --year 2025 -t sources -f sdmx-csv records-2024-2025.csv
group report-overlap
r dts-report --decimals 4 --overlap customs+cbec:order_no -t annex -f csv overlap.csv
r dts-report --overlap customs+cbec:order_no -t overlap overlap.csv
r dts-report --overlap customs+cbec:order_no -t overlap -f csv overlap.csv
r dts-report --decimals 4 --overlap cbec+customs:order_no -t sources overlap.csv

# --- dts-classify ------------------------------------------------------------
group classify-csv
r dts-classify -q records-2024-2025.csv
r dts-classify -q --explain gen-bop.csv
r "dts-classify -q --bom records-2024-2025.csv | head -2 | od -c | head -3"
group classify-jsonl
r dts-classify -q -f jsonl ceb621-sample.xml ceb603-sample.xml
r dts-classify -q -f jsonl --explain mixed-bad.csv
group classify-rejects
r dts-classify mixed-bad.csv
r dts-classify --rejects rej.csv --summary sum.json -o out.csv mixed-bad.csv
f out.csv rej.csv sum.json
r dts-classify --strict mixed-bad.csv
group classify-summary
r dts-classify -j 2 --summary sum.json -o out.csv gen-mixed.csv
f sum.json
r "iconv -f UTF-8 -t GB18030 records-2024-2025.csv > gb.csv && dts-classify -q -o u.csv records-2024-2025.csv && dts-classify -q --encoding gb18030 -o g.csv gb.csv && cmp u.csv g.csv && echo 'GB18030 = UTF-8'; rm -f gb.csv u.csv g.csv"
r dts-classify -q --summary sum.json -o out.csv records-2024-2025.csv
f sum.json out.csv

# --- dts-reconcile -----------------------------------------------------------
group reconcile-records
r dts-reconcile --key id --tolerance 5% --details d.csv --matrix m.csv reconcile-left.csv reconcile-right.csv
f d.csv m.csv
r dts-reconcile --key id --compare value,category,period -f csv reconcile-left.csv reconcile-right.csv
r "head -200 gen-mixed.csv > l.csv; awk -F, -v OFS=, 'NR > 1 && NR % 7 == 0 { \$14 = sprintf(\"%.2f\", \$14 + 1) } NR % 11 != 0' gen-mixed.csv | sed -n '1p;50,\$p' > rr.csv"
r dts-reconcile --key id --details d2.csv l.csv rr.csv
f d2.csv
r dts-reconcile --key id,period --compare value,category,period,flow --tolerance 0.5% -f csv l.csv rr.csv
r "rm -f l.csv rr.csv"
group reconcile-totals
r dts-aggregate --by period:quarter --rates rates-2024-2025.csv --partial --ids-in-clear -o q.part records-2024-2025.csv
r dts-reconcile --totals q.part totals-by-quarter.csv
r dts-reconcile --totals -f csv --decimals 4 q.part totals-by-quarter.csv
r dts-aggregate --by period:quarter,category:top --rates rates-2024-2025.csv -f csv -o qc.csv gen-mixed.csv
r dts-reconcile --totals -f csv qc.csv q.part
f q.part qc.csv
group reconcile-xlsx
r dts-reconcile --key id --tolerance 0.50 -f xlsx -o rec.xlsx reconcile-left.csv reconcile-right.csv
xlsx rec.xlsx
r dts-aggregate --by period:quarter --rates rates-2024-2025.csv --partial --ids-in-clear -o q.part records-2024-2025.csv
r dts-reconcile --totals -f xlsx -o tot.xlsx q.part totals-by-quarter.csv
xlsx tot.xlsx
f q.part
group reconcile-cbec
r dts-reconcile --cbec cbec-orders.csv cbec-payments.csv cbec-waybills.csv cbec-inventory.csv
r dts-reconcile --cbec -f csv --tolerance 0.50 --single-limit 100 --annual-limit 1000 cbec-orders.csv cbec-payments.csv cbec-waybills.csv cbec-inventory.csv

# --- dts-rules -----------------------------------------------------------------
group rules-explain
r dts-rules explain ebops_code=SI22 description="'阿里云 云服务器租用'"
r dts-rules explain -r c/cn-digital-trade.xml hs_code=8471300000 trade_mode=9610 description=laptop flow=X
r dts-rules explain -r new.xml -r extra.xml ebops_code=SI22 description="'cloud data exchange'"
r dts-rules explain -r old.xml -r new.xml ebops_code=SI21 description=cloud
r dts-rules explain -r old.xml description=nothing
group rules-diff
r dts-rules diff --details moved.csv old.xml new.xml diff-in.csv
f moved.csv
r dts-rules diff c/cn-digital-trade.xml old.xml gen-bop.csv mixed-bad.csv
r dts-rules diff --details moved2.csv new.xml extra.xml gen-bop.csv ceb621-sample.xml
f moved2.csv
group rules-check
r dts-rules check c/cn-digital-trade.xml
r dts-rules check old.xml
r dts-rules check new.xml extra.xml
r dts-rules check old.xml new.xml
r dts-rules check --werror -q old.xml
r dts-rules test c/cn-digital-trade.xml
r dts-rules test old.xml
r dts-rules test new.xml extra.xml

# --- dts-gen -------------------------------------------------------------------
group gen
r dts-gen --seed 5 -n 12
r dts-gen --seed 5 -n 6 --kind customs
r dts-gen --seed 9 -n 6 --kind survey
r dts-gen --seed 2 --bytes 1K --kind bop
