# gen-rules.awk — a synthetic classifier of N rules for the rule-scaling
# benchmark: 40% prefix leaves (HS headings on hs_code, EBOPS prefixes on
# ebops_code), 30% set membership (trade_mode, counterpart, region), 30%
# regexes built from literal words (Chinese and Latin; about 5% of the
# words are real trade words that occur in dts-gen data, the rest are
# made-up words that never do). Deterministic: Park-Miller generator.
# usage: awk -v N=1000 [-v SEED=1] -f gen-rules.awk > rules.xml
function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
function word(   w, i) {
	if (rnd(100) < 5) return real[rnd(nreal) + 1]
	if (rnd(2)) { w = ""; for (i = 0; i < 2 + rnd(2); i++) w = w han[rnd(nhan) + 1]; return w }
	w = ""; for (i = 0; i < 5 + rnd(4); i++) w = w substr("abcdefghijklmnopqrstuvwxyz", rnd(26) + 1, 1)
	return w
}
BEGIN {
	seed = SEED ? SEED : 1
	nhan = split("数 据 云 端 智 能 软 件 平 台 服 务 网 络 游 戏 设 计 咨 询 广 告 视 频 音 乐 教 育 医 疗 金 融 支 付 物 流 电 商 跨 境 科 技 创 新 信 息", han, " ")
	nreal = split("云服务 cloud 软件 software 游戏 game 数据集 广告 在线课程 consult 专利 海运运费 茶叶 笔记本电脑 型号 合同号", real, " ")
	nebops = split("SF SG SH SH1 SH3 SH4 SI SI1 SI2 SI21 SI22 SI3 SJ SJ1 SJ2 SJ22 SJ3 SK SK1 SK2 SC SD SE SA SB", ebops, " ")
	ncp = split("US JP KR DE GB HK SG AU NL FR MY TH VN ID RU AE SA BR MX CA IN IT ES PL", cp, " ")
	split("TECH SERV PROD DATA CBEC", cats, " ")
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	printf "<classifier xmlns=\"urn:libdts:classifier:1\" id=\"bench-%d\" version=\"1\">\n", N
	for (i = 0; i < N; i++) {
		k = rnd(10)
		printf "  <rule id=\"r%d\" category=\"%s\" priority=\"%d\">\n", i, cats[rnd(5) + 1], rnd(1000)
		if (k < 4) {
			if (rnd(2)) {
				s = ""; for (j = 0; j < 1 + rnd(3); j++) s = s sprintf("%s%02d%02d", j ? " " : "", 1 + rnd(97), 1 + rnd(99))
				printf "    <prefix field=\"hs_code\">%s</prefix>\n", s
			} else
				printf "    <prefix field=\"ebops_code\">%s</prefix>\n", ebops[rnd(nebops) + 1]
		} else if (k < 7) {
			f = rnd(3); s = ""
			for (j = 0; j < 2 + rnd(4); j++) {
				if (f == 0) v = sprintf("%04d", rnd(10000))
				else if (f == 1) v = cp[rnd(ncp) + 1]
				else v = sprintf("3301%02d", 1 + rnd(30))
				s = s (j ? " " : "") v
			}
			printf "    <in field=\"%s\">%s</in>\n", f == 0 ? "trade_mode" : f == 1 ? "counterpart" : "region", s
		} else
			printf "    <regex field=\"description\" caseless=\"yes\">(%s|%s)\\s*(%s)?</regex>\n", word(), word(), word()
		print "  </rule>"
	}
	print "</classifier>"
}
