# gen-customs.awk — customs declaration lines with realistic repetition,
# the second data set of bench/run.sh (docs/performance.md). dts-gen draws
# most enterprise ids, codes and descriptions nearly uniformly; real
# declarations repeat: a few enterprises file most lines, a few HS codes
# and their descriptions cover most of the value. Here every draw is from
# a Zipf-like law, P(rank k) proportional to 1 / k^s:
#
#   enterprises   E = 20,000 ids (unified social credit code form), s = 1.1
#   HS codes      C = 3,000 ten-digit codes over 24 headings, s = 1.0
#   descriptions  3 per code (product words of its heading + a model
#                 number), s = 1.5 within the code
#   counterparts  40 countries, s = 1.2;  regions: 14 Hangzhou districts
#                 and 6 places outside, s = 0.8
#   trade modes   0110 58%, 9610 12%, 1210 8%, 9710 5%, 9810 2%, 0214 5%,
#                 0615 6%, 1233 4%;  flow X 62%, M 38%
#   periods       a day of 2024-01 .. 2025-12, uniform
#   currencies    USD 55%, CNY 25%, EUR 10%, HKD 6%, JPY 4% (bench/rates.csv)
#   values        log-uniform, 10 to 10^7, two decimals
#
# The columns are dts-gen's (the same header), so both data sets go
# through the same commands. Deterministic for a given SEED (awk's srand).
#
#   mawk -v N=1000000 -v SEED=7 -f bench/gen-customs.awk > customs.csv
BEGIN {
	if (N == "") N = 100000
	if (SEED == "") SEED = 7
	srand(SEED)
	E = 20000; C = 3000
	zipf(ent, E, 1.1); zipf(code, C, 1.0); zipf(dsc, 3, 1.5)
	nh = split("8471 8517 8542 8523 8528 8443 9503 6109 6204 8516 8509 3004 " \
		   "3304 9018 8703 8708 4202 6402 9403 8415 8504 9405 3926 7113", head, " ")
	split("笔记本电脑 手机 集成电路 存储卡 显示器 打印机 玩具 针织T恤 女式连衣裙 " \
	      "电热水壶 食品料理机 药品 化妆品 医疗器械 小型汽车 汽车零部件 手提包 运动鞋 " \
	      "家具 空调 电源适配器 LED灯具 塑料制品 首饰", word, " ")
	split("laptop phone chip card monitor printer toy t-shirt dress kettle blender " \
	      "medicine cosmetics device car parts handbag shoes furniture aircon adapter " \
	      "lamp plastics jewellery", eng, " ")
	for (i = 1; i <= C; i++) {
		h = (i - 1) % nh + 1
		cd[i] = head[h] sprintf("%06d", (i * 7919) % 1000000)
		hw[i] = h
	}
	nc = split("US JP KR DE GB FR NL IT ES AU CA SG MY TH VN ID PH IN AE SA " \
		   "BR MX RU TR PL SE CH BE AT NZ HK TW ZA NG EG CL AR PE IL PK", ctry, " ")
	zipf(cty, nc, 1.2)
	nr = split("330102 330105 330106 330108 330109 330110 330111 330112 330113 " \
		   "330114 330122 330127 330182 330183 310115 320505 440305 330205 " \
		   "330302 330402", reg, " ")
	zipf(rg, nr, 0.8)
	split("0110 9610 1210 9710 9810 0214 0615 1233", tm, " ")
	split("58 70 78 83 85 90 96 100", tmcum, " ")
	split("USD CNY EUR HKD JPY", cur, " ")
	split("55 80 90 96 100", curcum, " ")
	print "id,source,flow,period,hs_code,ebops_code,trade_mode,description," \
	      "counterpart,region,enterprise_id,channel,delivery,value,currency"
	for (n = 1; n <= N; n++) {
		e = draw(ent, E); c = draw(code, C); d = draw(dsc, 3)
		u = rand() * 100; for (t = 1; tmcum[t] < u; t++) ;
		u = rand() * 100; for (k = 1; curcum[k] < u; k++) ;
		y = 2024 + int(rand() * 2); m = 1 + int(rand() * 12); dd = 1 + int(rand() * 28)
		desc = word[hw[c]] (d == 1 ? "" : d == 2 ? " " eng[hw[c]] : "") \
		       sprintf(" 型号%c%c-%d", 65 + c % 26, 65 + (c * 7) % 26, 1000 + (c * 31 + d) % 9000)
		printf "%012d-%02d,customs,%s,%d-%02d-%02d,%s,,%s,%s,%s,%s,%s,,physical,%.2f,%s\n",
			n, 1 + n % 50, rand() < 0.62 ? "X" : "M", y, m, dd, cd[c], tm[t], desc,
			ctry[draw(cty, nc)], reg[draw(rg, nr)], eid(e), exp(log(10) * (1 + 6 * rand())),
			cur[k]
	}
}

# The cumulative distribution of ranks 1..n with exponent s, in cdf[1..n].
function zipf(cdf, n, s,    i, t) {
	t = 0
	for (i = 1; i <= n; i++) { t += 1 / i ^ s; cdf[i] = t }
	for (i = 1; i <= n; i++) cdf[i] /= t
}

# A rank drawn from cdf (binary search).
function draw(cdf, n,    u, lo, hi, mid) {
	u = rand(); lo = 1; hi = n
	while (lo < hi) { mid = int((lo + hi) / 2); if (cdf[mid] < u) lo = mid + 1; else hi = mid }
	return lo
}

# Enterprise k as an 18-character unified social credit code form: its
# district, then k * 7919 + 104729 in base 31 (one id per k).
function eid(k,    s, i, a, v) {
	a = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	v = k * 7919 + 104729
	s = ""
	for (i = 0; i < 9; i++) { s = substr(a, 1 + v % 31, 1) s; v = int(v / 31) }
	return "91330" sprintf("%03d", 100 + k % 90) s "X"
}
