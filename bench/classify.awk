# classify.awk — what an analyst would script instead of dts-aggregate:
# the same trade modes, EBOPS prefixes, HS codes and 16 description
# keywords as a CASE, then GROUP BY month, top category (records, value
# in CNY). Input: dts-gen CSV (no quoted commas). Used by bench/run.sh;
# bench/duckdb.mjs runs the same logic as SQL.
BEGIN {
	FS = ","
	while ((getline line < RATES) > 0) {
		split(line, f, ",")
		if (f[1] != "period") rate[f[1] "," f[2]] = f[3]
	}
	rate["2024,CNY"] = 1; rate["2025,CNY"] = 1
}
NR == 1 { next }
{
	mode = $7; eb = $6; d = $8
	if (mode ~ /^(9610|9710|9810|1210|1239)$/) cat = "CBEC"
	else if (mode != "") cat = "NONE"
	else if ($13 ~ /physical|offline/) cat = "NONE"
	else if (d ~ /大模型|人工智能|云服务|cloud|软件|software|SaaS/) cat = "TECH"
	else if (d ~ /数据集|data/) cat = "DATA"
	else if (d ~ /游戏|game|广告|marketing/) cat = "PROD"
	else if (d ~ /在线课程|online course|consult/) cat = "SERV"
	else if (eb ~ /^SI/) cat = "TECH"
	else if (eb ~ /^S[FGHJK]/) cat = "SERV"
	else cat = "NONE"
	p = $4
	month = length(p) == 6 ? substr(p, 1, 4) "-" substr(p, 5, 2) : substr(p, 1, 7)
	k = month "," cat
	n[k]++
	v[k] += $14 * rate[substr(p, 1, 4) "," $15]
}
END { for (k in n) printf "%s,%d,%.2f\n", k, n[k], v[k] }
