/*
 * generate.c — deterministic synthetic trade records (dts/gen.h), moved
 * from the dts-gen tool byte for byte: tests/cases/gen-* pin the stream.
 *
 * The same seed, size and kind give the same bytes on every machine: the
 * generator is a fixed splitmix64 stream and no field depends on the
 * locale, the clock or the libc.
 *
 * Code lists and where they come from:
 * - HS codes: 926 of the 5,612 six-digit subheadings of HS 2022
 *   (../shared/data/hs2022.csv, UN Comtrade, ODC-PDDL-1.0): every third
 *   subheading of the chapters Hangzhou exports most (33 39 42 49 61-64 73
 *   84 85 87 90 94-96) and every twelfth of the rest; written as 10-digit
 *   Chinese tariff numbers or, now and then, dotted "8471.30".
 * - EBOPS 2010 codes: ebops2010.csv (MSITS 2010 Annex I).
 * - Trade modes (监管方式): cbec-trade-modes.csv (9610 9710 9810 1210)
 *   and common customs modes; shares are the generator's, chosen so that
 *   cross-border e-commerce is about 13% of goods lines.
 * - Regions: the 13 county-level codes of hangzhou-zones.csv.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* HS 2022 six-digit subheadings, concatenated (see the header comment). */
static const char hs6[] =
	"010121010410010614020130020422020630020727020810021091030211030234030251"
	"030281030314030341030357030384030444030457030481030494030544030571030633"
	"030712030752030791030990040410040721050290051199060315070420070920070991"
	"071120071310071410080132080262080450080720081040081330090240090720090962"
	"100290100790110311110610120110120729120922121140121410130239150410150990"
	"151329151590160210160412160521160559170220180310190211190531200510200791"
	"200893200950210210220110220590230110230620240120240491250700251200251720"
	"252220252610260120261220262011270112270740271111271320280421280519281119"
	"281290281810282490282630282760283230283421283640284011284290284444284990"
	"290211290311290343290371290389290435290529290611290722290941291100291411"
	"291462291533291615291719291814291899292111292144292218292310292429292800"
	"293120293153293293293334293361293492293625293729293944294000300214300341"
	"300442300660310260310540320412320619320890321519330113330125330190330300"
	"330430330510330590330690330730330790340239340510350290360310370120370252"
	"370500380400380869381111381512382219382481382510382713382764390120390190"
	"390230390319390390390422390450390490390521390591390690390729390750390770"
	"390810390920390940391110391211391231391310391510391590391690391722391731"
	"391739391890392010392043392059392063392073392092392099392113392190392290"
	"392329392350392490392530392620392690400231400400400911401032401180401490"
	"410120410449410719411520420212420222420232420292420321420340430180440122"
	"440322440396440712440791440910441193441259441819441883442090460121470200"
	"470630480254480429480524480700481032481310481830482040482390490199490300"
	"490590490810491000491199500600510310510710511211520419520527520547520631"
	"520811520841520929521019521119521211530129530820540219540249540333540720"
	"540771540810550130550490550912550962551130551323551429551529551632560122"
	"560392560790570241570390580132580430580900590320591110600199600523600610"
	"600644610130610220610310610329610333610342610413610423610432610441610444"
	"610452610461610469610590610690610719610729610811610822610832610892610990"
	"611019611090611190611219611239611300611490611522611594611599611692611710"
	"620120620190620240620312620323620332620341620349620413620422620431620439"
	"620443620451620459620463620530620620620690620721620791620819620829620899"
	"620990621030621111621132621142621210621290621410621440621520621710630120"
	"630190630222630232630251630260630299630391630411630491630499630532630590"
	"630622630640630720630900640110640212640291640319640351640399640420640590"
	"640690660200680210680423680919681299681599690600691110700239700711701120"
	"701400701912701971710231710610711029711320711890720260720430720720720853"
	"721011721114721320721621721720721923722100722540722720730110730230730300"
	"730422730429730441730459730512730531730611730629730650730690730721730729"
	"730793730820730890731021731210731412731420731441731450731519731582731600"
	"731812731815731821731824731990732090732119732189732219732391732394732421"
	"732510732611732690740329740829741022741539750512760200760691761290780200"
	"790500810210810420810929811221811292820239820520820730820900821410830160"
	"830510830910840130840212840290840410840510840681840710840731840734840820"
	"840991841012841111841122841191841221841239841311841330841360841382841410"
	"841440841460841490841581841590841630841720841810841830841861841899841919"
	"841934841940841981842010842111842121842129842139842211842230842310842381"
	"842390842430842482842511842539842549842619842641842699842790842831842839"
	"842870842919842940842959843031843049843069843131843142843210843231843242"
	"843311843330843352843360843420843590843629843699843790843830843860843910"
	"843991844090844130844190844250844313844316844331844391844511844519844540"
	"844621844711844790844820844833844849844900845019845110845130845180845221"
	"845290845380845420845510845530845612845640845710845811845899845929845941"
	"845959845970846022846029846040846130846190846222846225846232846242846259"
	"846263846310846390846490846591846594846599846630846693846719846729846791"
	"846810846890847029847090847149847170847210847321847340847420847439847510"
	"847590847681847710847740847780847890847930847960847981847989848020848049"
	"848071848120848180848220848250848299848330848360848420848520848590848630"
	"848710850120850133850151850161850164850180850213850239850410850423850433"
	"850450850519850610850650850690850730850780850819850940851010851090851130"
	"851180851220851290851411851431851440851519851531851590851629851633851660"
	"851679851711851718851769851810851829851850851930852110852290852341852352"
	"852411852491852550852582852610852712852721852792852849852862852872852990"
	"853090853180853221853224853230853321853339853400853529853590853630853650"
	"853670853720853910853929853939853951854011854040854079854091854121854141"
	"854149854160854232854290854330854390854420854449854511854590854690854790"
	"854912854919854931854999860692870110870123870130870193870210870240870321"
	"870324870333870360870390870422870432870443870460870520870590870790870822"
	"870840870880870893870899870990871120871150871200871410871492871495871500"
	"871631871680880529880710890321890610900120900150900219900311900410900580"
	"900640900661900699900791900890901060901120901210901320901410901490901530"
	"901590901720901790901813901820901839901850901920902121902139902190902214"
	"902229902300902490902580902620902710902750902790902830902920903020903033"
	"903082903090903141903190903281903300910219910591911011911390920710930200"
	"930630940110940139940152940161940179940199940310940340940370940389940410"
	"940430940511940529940541940550940591940610950300950440950510950612950629"
	"950639950659950669950699950730950821950824950829960110960310960330960390"
	"960610960629960719960820960850960899960990961210961320961400961590961700"
	"962000970510"
	;

#define NHS6 (sizeof(hs6) / 6)

/* splitmix64: tiny, fast, and the same on every platform. */
typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static unsigned below(rng *r, unsigned n)
{
	return (unsigned)(next(r) % n);
}

/* A weighted choice: "text" with weight w. */
typedef struct wstr {
	const char *s;
	unsigned w;
} wstr;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick(rng *r, const wstr *t, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += t[i].w;
	x = below(r, total);
	for (i = 0; x >= t[i].w; i++)
		x -= t[i].w;
	return t[i].s;
}

/* Customs supervision modes; 9610+9710+9810+1210 = 13% (CBEC). */
static const wstr trade_modes[] = {
	{"0110", 600}, {"0615", 80}, {"0214", 50}, {"0715", 40},
	{"1039", 50}, {"9610", 60}, {"9710", 35}, {"9810", 20},
	{"1210", 15}, {"1233", 20}, {"2225", 10}, {"4561", 10},
	{"3339", 10},
};

static const wstr counterparts[] = {
	{"US", 180}, {"JP", 70}, {"KR", 60}, {"DE", 50}, {"GB", 45},
	{"HK", 60}, {"SG", 40}, {"AU", 35}, {"NL", 30}, {"FR", 30},
	{"MY", 30}, {"TH", 30}, {"VN", 40}, {"ID", 30}, {"RU", 35},
	{"AE", 25}, {"SA", 20}, {"BR", 25}, {"MX", 25}, {"CA", 25},
	{"IN", 25}, {"IT", 20}, {"ES", 20}, {"PL", 15}, {"MO", 5},
	{"PH", 15}, {"TR", 15}, {"CL", 10}, {"NG", 8}, {"ZA", 8},
};

/* Hangzhou county-level codes (hangzhou-zones.csv). */
static const char *const regions[] = {
	"330108", "330109", "330114", "330110", "330102", "330113", "330105",
	"330106", "330111", "330112", "330122", "330127", "330182",
};

static const wstr currencies_goods[] = {
	{"USD", 75}, {"CNY", 10}, {"EUR", 8}, {"JPY", 3}, {"HKD", 4},
};
static const wstr currencies_services[] = {
	{"USD", 65}, {"CNY", 25}, {"EUR", 6}, {"HKD", 4},
};

/* Goods descriptions by HS chapter; "" chapter is the fallback. */
typedef struct goods_desc {
	const char *chapters; /* two-digit chapters, space separated */
	const char *descs;    /* '|'-separated */
} goods_desc;

static const goods_desc goods[] = {
	{"84", "笔记本电脑|服务器整机|数控机床零件|空调压缩机|laptop computer|industrial pump|3D打印机|扫地机器人"},
	{"85", "锂离子蓄电池|智能手机|蓝牙耳机|LED灯具|集成电路|power adapter|电动牙刷|智能手表|光伏组件"},
	{"61 62 63", "女式针织上衣|男式棉制衬衫|床上用品套件|polyester jacket|婴儿连体衣|真丝围巾|yoga pants"},
	{"64", "运动鞋|leather boots|儿童凉鞋|slippers"},
	{"94", "办公椅|LED台灯|实木餐桌|wooden furniture|sofa cover"},
	{"95", "毛绒玩具|游戏手柄|board game|健身器材|fishing rod|圣诞装饰品"},
	{"", "茶叶|丝绸面料|不锈钢餐具|auto parts|化工原料|frozen fish fillets|陶瓷餐具|化妆品套装|塑料收纳盒|手提包|汽车轮毂|眼镜架"},
};

/* EBOPS 2010 codes with weights and descriptions. */
typedef struct service {
	const char *code;
	unsigned w;
	const char *descs;
} service;

static const service services[] = {
	{"SA", 40, "来料加工费|processing fee on goods owned by others"},
	{"SB", 20, "设备维修服务|aircraft engine repair"},
	{"SC1", 60, "海运运费|ocean freight charges|集装箱运输"},
	{"SC3", 30, "空运运费|air freight charges"},
	{"SD", 60, "旅游住宿|hotel accommodation|留学生活费"},
	{"SE1", 20, "建筑工程承包|overseas construction project"},
	{"SF1", 15, "跨境货物运输保险|reinsurance premium"},
	{"SG1", 20, "跨境支付服务费|payment processing fees|证券经纪佣金"},
	{"SH1", 15, "专利许可费|patent licence royalties"},
	{"SH2", 10, "商标特许经营费|franchise fee"},
	{"SH3", 25, "软件使用许可费|software licence royalties"},
	{"SH41", 10, "影视版权许可|film broadcast rights"},
	{"SI1", 20, "国际专线带宽租用|IPLC leased line|国际漫游结算"},
	{"SI21", 40, "软件定制开发|SaaS CRM subscription|ERP software implementation|APP开发"},
	{"SI22", 50, "云服务器租用|IT outsourcing services|网络安全运维|大模型API调用|cloud hosting|GPU算力租用"},
	{"SI31", 10, "新闻信息服务|online news subscription"},
	{"SI32", 15, "数据库订阅|data annotation services|数据集授权"},
	{"SJ11", 10, "研发外包|contract research and development"},
	{"SJ211", 20, "管理咨询服务|management consulting"},
	{"SJ212", 10, "审计服务|accounting services"},
	{"SJ22", 20, "广告投放服务|digital marketing campaign|市场调研报告"},
	{"SJ311", 15, "工程设计服务|architectural design"},
	{"SJ34", 10, "翻译服务|translation services"},
	{"SJ35", 15, "呼叫中心外包|customer service outsourcing"},
	{"SK11", 25, "网络游戏运营分成|music streaming royalties|短视频版权"},
	{"SK12", 10, "动漫制作|animation production"},
	{"SK21", 8, "远程医疗会诊|telemedicine consultation"},
	{"SK22", 12, "在线课程|online course subscription|线下培训"},
	{"SL1", 5, "政府服务|embassy services"},
};

/* Survey replies: enterprises describing what they sold, in either language. */
static const char survey_descs[] =
	"跨境电商平台佣金|AI model training service|数据集授权|网络游戏出海|"
	"online course subscription|cloud hosting for overseas clients|"
	"短视频内容制作|线下培训|现场安装调试|e-book sales|数字藏品|"
	"remote IT support|跨境直播带货服务|App开发|SaaS ERP订阅|"
	"market research report|跨境物流|在线翻译|网红营销推广|"
	"industrial design|大语言模型授权|software testing|酒店住宿|"
	"游戏美术外包|cross-border payment service";

static const wstr survey_channels[] = {
	{"online", 40}, {"platform", 30}, {"offline", 30},
};

/* Pick the k-th of a '|'-separated list into (s, len). */
static void pick_alt(rng *r, const char *list, const char **s, size_t *len)
{
	size_t n = 1, k;
	const char *p;

	for (p = list; *p; p++)
		n += *p == '|';
	k = below(r, (unsigned)n);
	for (p = list; k > 0; p++)
		k -= *p == '|';
	*s = p;
	*len = strcspn(p, "|");
}

/* An output line under construction. */
typedef struct line {
	char buf[1024];
	size_t len;
} line;

static void put(line *l, const char *s, size_t n)
{
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void puts_(line *l, const char *s)
{
	put(l, s, strlen(s));
}

static void putc_(line *l, char c)
{
	l->buf[l->len++] = c;
}

static void put_uint(line *l, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n < width);
	while (n)
		putc_(l, tmp[--n]);
}

static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* Period as YYYY-MM-DD, YYYY-MM or YYYYMM across 2024-2025. */
static void put_period(line *l, rng *r, int form)
{
	unsigned y = 2024 + below(r, 2), m = 1 + below(r, 12);
	unsigned d = 1 + below(r, mdays[m - 1] - (y == 2025 && m == 2));

	put_uint(l, y, 4);
	if (form != 2)
		putc_(l, '-');
	put_uint(l, m, 2);
	if (form == 0) {
		putc_(l, '-');
		put_uint(l, d, 2);
	}
}

/* Unified social credit code (GB 32100-2015) with its check character. */
static void put_enterprise(line *l, unsigned e)
{
	static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const unsigned wt[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29,
					25, 13, 8, 24, 10, 30, 28};
	char c[18];
	uint64_t h = (uint64_t)e * 0x9e3779b97f4a7c15u + 12345;
	unsigned i, sum = 0;

	memcpy(c, "91", 2);
	memcpy(c + 2, regions[e % COUNT(regions)], 6);
	for (i = 8; i < 17; i++) {
		c[i] = cs[h % 31];
		h /= 31;
	}
	for (i = 0; i < 17; i++)
		sum += (unsigned)(strchr(cs, c[i]) - cs) * wt[i];
	c[17] = cs[(31 - sum % 31) % 31];
	put(l, c, 18);
}

/* Amount with 2 decimals: 10^(lo-1) .. 10^hi, spread over magnitudes. */
static void put_value(line *l, rng *r, unsigned lo, unsigned hi)
{
	unsigned digits = lo + below(r, hi - lo + 1);
	uint64_t base = 1, v;
	unsigned i;

	for (i = 1; i < digits; i++)
		base *= 10;
	v = base + next(r) % (9 * base);
	put_uint(l, v, 1);
	putc_(l, '.');
	put_uint(l, below(r, 100), 2);
}

static void put_hs(line *l, rng *r, const char **chapter)
{
	static const char *const tails[] = {"0000", "1000", "9000", "9090", "0010"};
	const char *c = hs6 + 6 * below(r, (unsigned)NHS6);

	*chapter = c;
	if (below(r, 10) == 0) { /* dotted, as written on some forms */
		put(l, c, 4);
		putc_(l, '.');
		put(l, c + 4, 2);
		return;
	}
	put(l, c, 6);
	puts_(l, tails[below(r, COUNT(tails))]);
}

static void put_goods_desc(line *l, rng *r, const char *chapter)
{
	const char *s;
	size_t i, len;

	for (i = 0; i + 1 < COUNT(goods); i++) {
		const char *p = goods[i].chapters;

		for (; *p; p += p[2] ? 3 : 2)
			if (p[0] == chapter[0] && p[1] == chapter[1])
				goto found;
	}
found:
	pick_alt(r, goods[i].descs, &s, &len);
	put(l, s, len);
}

/* A model number, as customs declarations carry (规格型号). */
static void put_model(line *l, rng *r)
{
	puts_(l, " 型号");
	putc_(l, (char)('A' + below(r, 26)));
	putc_(l, (char)('A' + below(r, 26)));
	putc_(l, '-');
	put_uint(l, below(r, 10000), 4);
}

static const service *pick_service(rng *r)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < COUNT(services); i++)
		total += services[i].w;
	x = below(r, total);
	for (i = 0; x >= services[i].w; i++)
		x -= services[i].w;
	return &services[i];
}

/* Enterprises: 20,000, skewed so that a few trade a lot. */
static unsigned pick_enterprise(rng *r)
{
	unsigned a = below(r, 20000), b = below(r, 20000);

	return a < b ? a : b;
}

static void gen_customs(line *l, rng *r, uint64_t i)
{
	const char *mode = pick(r, trade_modes, COUNT(trade_modes));
	int cbec = mode[0] == '9' || !strcmp(mode, "1210");
	unsigned e = pick_enterprise(r);
	const char *chapter;

	put_uint(l, 290120240000000000u + i / 4, 18); /* declaration no. */
	putc_(l, '-');
	put_uint(l, 1 + i % 4, 2);                    /* item no. */
	puts_(l, cbec ? ",cbec," : ",customs,");
	putc_(l, below(r, 100) < 68 ? 'X' : 'M');
	putc_(l, ',');
	put_period(l, r, 0);
	putc_(l, ',');
	put_hs(l, r, &chapter);
	puts_(l, ",,");
	puts_(l, mode);
	putc_(l, ',');
	put_goods_desc(l, r, chapter);
	put_model(l, r);
	putc_(l, ',');
	puts_(l, pick(r, counterparts, COUNT(counterparts)));
	putc_(l, ',');
	puts_(l, regions[e % COUNT(regions)]);
	putc_(l, ',');
	put_enterprise(l, e);
	putc_(l, ',');
	if (cbec)
		puts_(l, below(r, 10) < 7 ? "platform" : "online");
	puts_(l, ",physical,");
	put_value(l, r, cbec ? 2 : 3, cbec ? 4 : 7);
	putc_(l, ',');
	puts_(l, pick(r, currencies_goods, COUNT(currencies_goods)));
}

static void gen_bop(line *l, rng *r, uint64_t i)
{
	const service *sv = pick_service(r);
	unsigned e = pick_enterprise(r);
	const char *s;
	size_t len;

	puts_(l, "BOP");
	put_uint(l, i, 12);
	puts_(l, ",bop,");
	putc_(l, below(r, 100) < 55 ? 'X' : 'M');
	putc_(l, ',');
	put_period(l, r, 1);
	puts_(l, ",,");
	puts_(l, sv->code);
	puts_(l, ",,");
	pick_alt(r, sv->descs, &s, &len);
	put(l, s, len);
	puts_(l, " 合同号HZ");
	put_uint(l, below(r, 100000000), 8);
	putc_(l, ',');
	puts_(l, pick(r, counterparts, COUNT(counterparts)));
	putc_(l, ',');
	puts_(l, regions[e % COUNT(regions)]);
	putc_(l, ',');
	put_enterprise(l, e);
	puts_(l, ",,,");
	put_value(l, r, 4, 7);
	putc_(l, ',');
	puts_(l, pick(r, currencies_services, COUNT(currencies_services)));
}

static void gen_survey(line *l, rng *r, uint64_t i)
{
	const char *channel = pick(r, survey_channels, COUNT(survey_channels));
	unsigned e = pick_enterprise(r);
	const char *s;
	size_t len;

	puts_(l, "SVY");
	put_uint(l, i, 10);
	puts_(l, ",survey,");
	putc_(l, below(r, 100) < 70 ? 'X' : 'M');
	putc_(l, ',');
	put_period(l, r, 2);
	puts_(l, ",,");
	if (below(r, 2))
		puts_(l, services[6 + below(r, 22)].code); /* SF1 .. SK22 */
	puts_(l, ",,");
	pick_alt(r, survey_descs, &s, &len);
	put(l, s, len);
	putc_(l, ',');
	puts_(l, pick(r, counterparts, COUNT(counterparts)));
	putc_(l, ',');
	puts_(l, regions[e % COUNT(regions)]);
	putc_(l, ',');
	put_enterprise(l, e);
	putc_(l, ',');
	puts_(l, channel);
	putc_(l, ',');
	puts_(l, strcmp(channel, "offline") && below(r, 10) < 8 ? "digital" : "physical");
	putc_(l, ',');
	put_value(l, r, 3, 6);
	putc_(l, ',');
	puts_(l, pick(r, currencies_services, COUNT(currencies_services)));
}

static void gen_record(line *l, rng *r, dts_gen_kind k, uint64_t i)
{
	if (k == DTS_GEN_MIXED) {
		unsigned x = below(r, 10);

		k = x < 7 ? DTS_GEN_CUSTOMS : x < 9 ? DTS_GEN_BOP : DTS_GEN_SURVEY;
	}
	l->len = 0;
	if (k == DTS_GEN_CUSTOMS)
		gen_customs(l, r, i);
	else if (k == DTS_GEN_BOP)
		gen_bop(l, r, i);
	else
		gen_survey(l, r, i);
	putc_(l, '\n');
}

static const char header[] =
	"id,source,flow,period,hs_code,ebops_code,trade_mode,description,"
	"counterpart,region,enterprise_id,channel,delivery,value,currency\n";

static const char *const kind_names[] = {"mixed", "customs", "bop", "survey"};

int dts_gen_kind_parse(dts_gen_kind *out, const char *name)
{
	size_t i;

	if (!out || !name)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_gen_kind_parse: NULL argument");
	for (i = 0; i < COUNT(kind_names); i++)
		if (!strcmp(name, kind_names[i])) {
			*out = (dts_gen_kind)i;
			return 0;
		}
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
			  "unknown kind '%s' (mixed, customs, bop or survey)", name);
}

const char *dts_gen_kind_name(dts_gen_kind kind)
{
	return (unsigned)kind < COUNT(kind_names) ? kind_names[kind] : NULL;
}

static int write_file(const void *data, size_t len, void *payload)
{
	if (fwrite(data, 1, len, payload) == len)
		return 0;
	return dts__error(DTS_EIO, NULL, 0, 0, "%s",
			  strerror(errno ? errno : EIO));
}

int dts_gen_write_cb(dts_write_cb cb, void *payload, const dts_gen_options *opts)
{
	static const dts_gen_options defaults = DTS_GEN_OPTIONS_INIT;
	const dts_gen_options *o = opts ? opts : &defaults;
	rng r;
	line l;
	uint64_t i, written = sizeof(header) - 1;
	int rc;

	if (!cb || o->version != DTS_GEN_OPTIONS_VERSION || !dts_gen_kind_name(o->kind))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_gen_write: no callback, or bad options");
	r.s = o->seed;
	if ((rc = cb(header, sizeof(header) - 1, payload)) != 0)
		return rc;
	for (i = 0; o->bytes ? written < o->bytes : i < o->records; i++) {
		gen_record(&l, &r, o->kind, i);
		if ((rc = cb(l.buf, l.len, payload)) != 0)
			return rc;
		written += l.len;
	}
	return 0;
}

int dts_gen_write(FILE *f, const dts_gen_options *opts)
{
	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_gen_write: no stream");
	errno = 0;
	return dts_gen_write_cb(write_file, f, opts);
}
