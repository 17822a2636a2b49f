/*
 * check.c — the checks a record must pass before it is counted
 * (dts/record.h): amounts that are numbers, periods that are dates, flows
 * that are imports or exports, codes of the right shape. Tools reject a
 * record that fails, with the reason, instead of counting it wrongly
 * (DESIGN §6).
 */
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "check_int.h"
#include "../stats/period_int.h"
#include "dts/rates.h"

/* A short code normalised: *out is s itself when normalising would not
 * change it (most codes), else buf with the normalised code; the length,
 * 0 when too long to be a code. */
static size_t code_of(const char **out, char *buf, size_t cap, int field,
		      const char *s, size_t len)
{
	size_t n = 0;

	*out = buf;
	if (len >= cap)
		return 0;
	if (dts__field_normalised(field, s, len)) {
		*out = s;
		return len;
	}
	if (dts_field_normalize(buf, cap, &n, field, s, len) < 0)
		return 0;
	return n;
}

/* Every byte of x is '0'..'9': every high nibble is 3, and still 3 with
 * 6 added to every byte (no byte carries into the next once the first
 * test holds, as each is at most 0x3F). */
static int digits8(uint64_t x)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0u, three = 0x3030303030303030u;

	return (x & hi) == three && ((x + 0x0606060606060606u) & hi) == three;
}

static int digits4(uint32_t x)
{
	return (x & 0xF0F0F0F0u) == 0x30303030u &&
	       ((x + 0x06060606u) & 0xF0F0F0F0u) == 0x30303030u;
}

/* 1 when the n bytes at s are all ASCII digits: 8 or 4 at a time, the
 * last ones as the block that ends at s + n (overlapping is harmless). */
static int all_digits(const char *s, size_t n)
{
	uint64_t x;
	uint32_t a, b;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, s + i, 8);
			if (!digits8(x))
				return 0;
		}
		memcpy(&x, s + n - 8, 8);
		return digits8(x);
	}
	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		return digits4(a) && digits4(b);
	}
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * A code of digits (HS code, trade mode), 2 to 10 of them (min..max):
 * digits as bound are in normal form (no byte normalising changes is a
 * digit, code_changes below), so most codes are read as they are, with
 * no look at the table; anything else is normalised first (code_of).
 */
static int digit_code(const dts_value *v, size_t min, size_t max)
{
	char buf[64];
	const char *c;
	size_t n;

	if (v->len >= min && v->len <= max && all_digits(v->data, v->len))
		return 1;
	n = code_of(&c, buf, sizeof(buf), v->field, v->data, v->len);
	return n >= min && n <= max && all_digits(c, n);
}

static int bad(const dts_value *v, const char *what)
{
	return dts__error(DTS_EINPUT, NULL, 0, 0, "%s '%.*s' %s",
			  dts_field_name(v->field),
			  (int)(v->len > 64 ? 64 : v->len), v->data, what);
}

/* EBOPS 2010: S, a group letter A..N, then up to four digits or letters. */
static int ebops_shape(const char *c, size_t n)
{
	size_t i;

	if (n < 2 || n > 6 || c[0] != 'S' || c[1] < 'A' || c[1] > 'N')
		return 0;
	for (i = 2; i < n; i++)
		if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')))
			return 0;
	return 1;
}

/* The record's currency field, or NULL. */
static const dts_value *currency_of(const dts_value *values, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (values[i].field == DTS_F_CURRENCY && values[i].len)
			return &values[i];
	return NULL;
}

/*
 * An amount, and the currency it states agreeing with the record's
 * currency field: "$89.98" with currency CNY is two currencies for one
 * value, "¥12,800" with none is CNY or JPY.
 */
static int check_value(const dts_value *v, const dts_value *values, size_t nv,
		       dts__checked *kept)
{
	char stated[DTS_CURRENCY_SIZE], field[DTS_CURRENCY_SIZE];
	const dts_value *cur;
	dts_money m;
	int yen;

	if (dts_money_parse_currency(&m, stated, v->data, v->len) < 0)
		return bad(v, dts_error_last()->code == DTS_EOVERFLOW ?
			   "is out of range (at most 922337203685477.5807)" :
			   "is not an amount");
	if (kept) {   /* kept before the currency checks: unused on a failure */
		kept->have_value = 1;
		kept->value = m;
		memcpy(kept->stated, stated, sizeof(stated));
	}
	if (!stated[0])
		return 0;   /* most values: the currency field is not looked at */
	cur = currency_of(values, nv);
	yen = !strcmp(stated, DTS_CURRENCY_YEN);
	if (!cur)
		return yen ? bad(v, "is in yen or yuan (CNY or JPY) and the "
				 "record has no currency to say which") : 0;
	if (dts_currency_normalize(field, cur->data, cur->len) < 0)
		return bad(cur, "is not a currency");
	if (yen ? strcmp(field, "CNY") && strcmp(field, "JPY") :
		  strcmp(field, stated) != 0)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "value '%.*s' is in %s but the record's "
				  "currency is %s",
				  (int)(v->len > 64 ? 64 : v->len), v->data,
				  yen ? "yen or yuan" : stated, field);
	return 0;
}

static int check_one(const dts_value *v, const dts_value *values, size_t nv,
		     dts__checked *kept)
{
	char buf[64];
	const char *c;
	size_t n;
	dts_period_span p;
	int rc;

	if (v->len == 0)
		return 0; /* an empty field is absent, not wrong */
	switch (v->field) {
	case DTS_F_VALUE:
		return check_value(v, values, nv, kept);
	case DTS_F_PERIOD:
		/* Half years and spans of months are survey periods too; the
		 * cube may still refuse what it cannot aggregate. */
		if ((rc = dts__period_parse_span_iso(&p, kept ? &kept->period : NULL,
						     v->data, v->len)) < 0)
			return bad(v, "is not a date, month, quarter or year");
		if (kept) {
			kept->have_period = 1;
			kept->period_iso = rc;
			kept->span = p;
		}
		return 0;
	case DTS_F_FLOW:
		if (!dts_flow_parse(v->data, v->len))
			return bad(v, "is neither import nor export");
		return 0;
	case DTS_F_HS_CODE:
		if (!digit_code(v, 2, 10))
			return bad(v, "is not an HS code (2 to 10 digits)");
		return 0;
	case DTS_F_TRADE_MODE:
		if (!digit_code(v, 4, 4))
			return bad(v, "is not a customs supervision mode (4 digits)");
		return 0;
	case DTS_F_EBOPS_CODE:
		n = code_of(&c, buf, sizeof(buf), v->field, v->data, v->len);
		if (!ebops_shape(c, n))
			return bad(v, "is not an EBOPS 2010 code (SA..SN)");
		return 0;
	default:
		return 0;
	}
}

int dts__record_check_keep(const dts_value *values, size_t n,
			   dts__checked *kept)
{
	size_t i;
	int error;

	if (!values && n)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_record_check: NULL values");
	if (kept) {
		kept->have_value = 0;
		kept->have_period = 0;
		kept->period_iso = 0;
	}
	for (i = 0; i < n; i++)
		if ((error = check_one(&values[i], values, n, kept)) < 0)
			return error;
	return 0;
}

int dts_record_check(const dts_value *values, size_t n)
{
	return dts__record_check_keep(values, n, NULL);
}



/* The bytes squeeze_code (field.c) drops or changes: separators, blanks,
 * lower case; 0xE3 and 0xEF lead what fold_trim folds. */
static const unsigned char code_changes[256] = {
	['.'] = 1, ['-'] = 1, ['_'] = 1, ['/'] = 1, [' '] = 1, ['\t'] = 1,
	['\n'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1, [0xE3] = 1, [0xEF] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

/*
 * What dts_field_normalize does (field.c), read backwards: fold_trim
 * rewrites only sequences led by 0xE3 or 0xEF and trims blanks; a code
 * also loses '.', '-', '_', '/' and blanks and is upper-cased; a flow is
 * always taken as changed. test_record.c holds this against
 * dts_field_normalize.
 */
int dts__field_normalised(int field, const char *p, size_t n)
{
	dts_field_kind kind = dts_field_kind_of(field);

	if (kind == DTS_KIND_FLOW)
		return 0;
	if (kind != DTS_KIND_CODE)
		return !memchr(p, 0xE3, n) && !memchr(p, 0xEF, n) &&
		       (!n || (!dts__is_space((unsigned char)p[0]) && !dts__is_space((unsigned char)p[n - 1])));
	for (size_t i = 0; i < n; i++)
		if (code_changes[(unsigned char)p[i]])
			return 0;
	return 1;
}

int dts_record_value(dts_money *out, char currency[DTS_CURRENCY_SIZE],
		     const dts_value *values, size_t n)
{
	const dts_value *v = NULL, *cur;
	char stated[DTS_CURRENCY_SIZE], res[DTS_CURRENCY_SIZE];
	dts_money m;
	size_t i;

	if (!out || (!values && n))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_record_value: NULL argument");
	for (i = 0; i < n; i++)
		if (values[i].field == DTS_F_VALUE && values[i].len)
			v = &values[i];
	if (!v)
		return DTS_ENOTFOUND;
	cur = currency_of(values, n);
	if (dts_money_parse_currency(&m, stated, v->data, v->len) < 0 ||
	    dts_money_currency_resolve(res, stated, cur ? cur->data : NULL,
				       cur ? cur->len : 0) < 0) {
		const dts_error *e = dts_error_last();

		return dts__error(e->code, NULL, 0, 0, "value: %s", e->message);
	}
	*out = m;
	if (currency)
		memcpy(currency, res, sizeof(res));
	return 0;
}
