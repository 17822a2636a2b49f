/*
 * fuzz_profile.c — libFuzzer target for source profiles: a CSV input read
 * through dts_source, which finds its header row, chooses a profile and
 * rewrites rows (unpivot, units, periods, codes, exclusions). The first
 * byte picks a profile (0: chosen from the header, else one built-in);
 * the rest is the input, prefixed with one of the built-in layouts'
 * header rows half of the time so the plans are reached. Invariants:
 * every row is a record or a reject with a reason; a record has the
 * header's width and NUL-terminated values of the lengths given; reading
 * the same bytes twice gives the same rows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const headers[] = {
	"",
	"统一社会信用代码,企业名称,所在区县,报告期,业务描述,出口额（万元）,进口额（万元）\n",
	"订单编号,下单时间,平台,店铺,商品名称,商品编码,订单金额,币种,买家国家,订单状态\n",
	"数据年月,进出口,商品编码,商品名称,贸易方式编码,贸易方式,贸易伙伴编码,贸易伙伴名称,注册地编码,注册地名称,第一数量,第一计量单位,人民币,美元\n",
	"申报号码,交易日期,收支方向,交易编码,交易附言,交易对手国别,币种,交易金额\n",
	"单位：万元\n统一社会信用代码,所在区县,报告期,出口额,进口额\n",
};

static uint64_t digest(const char *buf, size_t len, const char *profile)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	uint64_t h = 1469598103934665603ULL;
	const char *const *names;
	dts_source_row row;
	dts_source *src;
	size_t n, i, k;
	int rc;

#define MIX(p, m) for (k = 0; k < (m); k++) h = (h ^ (unsigned char)(p)[k]) * 1099511628211ULL
	o.profile = profile;
	o.format = DTS_FORMAT_CSV;
	if (dts_source_open_buffer(&src, buf, len, "fuzz.csv", &o) < 0)
		return 0;
	n = dts_source_header(src, &names);
	MIX(dts_source_profile(src), strlen(dts_source_profile(src)));
	while ((rc = dts_source_next(&row, src)) != 0) {
		if (rc < 0 && rc != DTS_EINPUT)
			break;
		h = (h ^ (uint64_t)rc ^ (row.line << 8)) * 1099511628211ULL;
		if (rc == DTS_EINPUT) {
			if (!row.error)
				abort();
			MIX(row.error, strlen(row.error));
			continue;
		}
		if (row.ncols != n)
			abort();
		for (i = 0; i < row.ncols; i++) {
			if (row.cols[i][row.lens[i]] != '\0')
				abort();
			MIX(row.cols[i], row.lens[i]);
		}
	}
	dts_source_free(src);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {NULL, "survey", "platform-orders", "customs-stats",
					    "bop", "declaration", "canonical"};
	size_t nh = sizeof(headers) / sizeof(headers[0]);
	const char *hdr, *profile;
	char *buf;
	size_t hl;

	if (size < 1)
		return 0;
	profile = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	hdr = headers[(data[0] >> 3) % nh];
	hl = strlen(hdr);
	if (!(buf = malloc(hl + size)))
		return 0;
	memcpy(buf, hdr, hl);
	memcpy(buf + hl, data + 1, size - 1);
	if (digest(buf, hl + size - 1, profile) != digest(buf, hl + size - 1, profile))
		abort();
	free(buf);
	return 0;
}
