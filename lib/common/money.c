/*
 * money.c — exact amounts as int64 counts of 1/10,000 unit.
 *
 * No floating point anywhere: a decimal string is read digit by digit
 * into an unsigned magnitude with explicit range checks, so "0.1" is
 * exactly 1000 and sums of a year of records do not drift.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "dts/rates.h"

/* Inputs are quoted in messages up to this many bytes. */
#define QUOTE_MAX 64

/* Up to this length the folded text lives on the stack. */
#define STACK_MAX 128

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int not_number(const char *s, size_t n)
{
	return dts__error(DTS_EINPUT, NULL, 0, 0, "not a number: '%.*s'",
			  (int)(n < QUOTE_MAX ? n : QUOTE_MAX), s);
}

/*
 * Integer part "1234" or "1,234,567": with separators, the first group
 * has 1-3 digits and every later group exactly 3. Returns the bytes
 * consumed, or 0 when the grouping is wrong (the caller reports it).
 * *ndigits counts the digits seen.
 */
static size_t scan_int(const char *s, size_t n, size_t *ndigits,
		       int *bad_group)
{
	size_t i = 0, group = 0, digits = 0;
	int grouped = 0;

	*bad_group = 0;
	for (; i < n; i++) {
		if (is_digit((unsigned char)s[i])) {
			group++;
			digits++;
			continue;
		}
		if (s[i] != ',')
			break;
		if (group == 0 || (grouped ? group != 3 : group > 3)) {
			*bad_group = 1;
			return i;
		}
		grouped = 1;
		group = 0;
	}
	if (grouped && group != 3)
		*bad_group = 1;
	*ndigits = digits;
	return i;
}

/* 10^0 .. 10^18: every power that fits an int64. */
static const uint64_t pow10_u64[] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
	10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
	100000000000ull, 1000000000000ull, 10000000000000ull,
	100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull,
};

/*
 * Magnitude of "int[.frac]" in 1/10,000 units times 10^exp into *mag, at
 * most `limit`. s holds only digits, ',' and one '.', already checked.
 * Up to 4 + exp decimals count; past them only zeros may follow. Returns
 * 0, DTS_EINPUT for a nonzero digit past them, DTS_EOVERFLOW beyond
 * limit.
 */
static int accumulate(uint64_t *mag, const char *s, size_t n, uint64_t limit,
		      int exp)
{
	uint64_t m = 0;
	size_t i = 0;
	int decimals = -1, d, keep = DTS_MONEY_DECIMALS + exp;

	for (; i < n; i++) {
		if (s[i] == ',')
			continue;
		if (s[i] == '.') {
			decimals = 0;
			continue;
		}
		d = s[i] - '0';
		if (decimals >= keep) {
			if (d != 0)
				return DTS_EINPUT;
			continue; /* trailing zeros lose nothing */
		}
		if (decimals >= 0)
			decimals++;
		if (m > (limit - (uint64_t)d) / 10)
			return DTS_EOVERFLOW;
		m = m * 10 + (uint64_t)d;
	}
	for (d = decimals < 0 ? 0 : decimals; d < keep; d++) {
		if (m > limit / 10)
			return DTS_EOVERFLOW;
		m *= 10;
	}
	*mag = m;
	return 0;
}

#define QUOTE(q, ql) (int)((ql) < QUOTE_MAX ? (ql) : QUOTE_MAX), (q)

/*
 * The unsigned number "1,234.5" (n bytes at s, no sign) times 10^exp,
 * negated when neg; messages quote q (ql bytes), the amount as folded.
 */
static int parse_number(dts_money *out, int neg, const char *s, size_t n,
			int exp, const char *q, size_t ql)
{
	size_t j, intdigits = 0, fracdigits = 0;
	int bad_group, rc;
	uint64_t mag, limit;

	j = scan_int(s, n, &intdigits, &bad_group);
	if (bad_group)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "misplaced thousands separator: '%.*s'",
				  QUOTE(q, ql));
	if (j < n && s[j] == '.')
		for (j++; j < n && is_digit((unsigned char)s[j]); j++)
			fracdigits++;
	if (j != n || intdigits + fracdigits == 0)
		return not_number(q, ql);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	rc = accumulate(&mag, s, n, limit, exp);
	if (rc == DTS_EINPUT && exp == 0)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "more than %d decimal places: '%.*s'",
				  DTS_MONEY_DECIMALS, QUOTE(q, ql));
	if (rc == DTS_EINPUT)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "more than %d decimal places for a unit of "
				  "10^%d: '%.*s'", DTS_MONEY_DECIMALS + exp,
				  exp, QUOTE(q, ql));
	if (rc == DTS_EOVERFLOW)
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "amount out of range: '%.*s'", QUOTE(q, ql));
	/* -(2^63) is representable; negate in unsigned to avoid UB. */
	*out = neg ? (dts_money)(0 - mag) : (dts_money)mag;
	return 0;
}

/* Parse n folded, trimmed bytes: dts_money_parse's syntax, times 10^exp. */
static int parse_folded(dts_money *out, const char *s, size_t n, int exp)
{
	size_t i = 0;
	int neg = 0;

	if (n == 0)
		return dts__error(DTS_EINPUT, NULL, 0, 0, "empty amount");
	if (s[0] == '+' || s[0] == '-')
		neg = s[i++] == '-';
	return parse_number(out, neg, s + i, n - i, exp, s, n);
}

/*
 * Fold and trim s (the one folding routine, field.c, turns '１２．５' into
 * "12.5") into stack or a malloc'd buffer set in *buf; the caller frees
 * *buf when it is not stack.
 */
static int fold(char **buf, char *stack, const char *s, size_t len,
		size_t *n)
{
	*buf = stack;
	if (len >= STACK_MAX && !(*buf = malloc(len + 1)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return dts_field_normalize(*buf, len + 1, n, DTS_F_VALUE, s, len);
}

int dts_money_parse(dts_money *out, const char *s, size_t len)
{
	return dts_money_parse_scaled(out, NULL, s, len, 0);
}

/* ---- currency marks --------------------------------------------------- */

/* Signs and symbols that are not ASCII, as UTF-8. */
#define MINUS_SIGN "\xe2\x88\x92" /* U+2212 */

static const struct {
	const char *mark, *iso;
} symbols[] = {
	{"$", "USD"},     {"US$", "USD"},   {"HK$", "HKD"},   {"C$", "CAD"},
	{"CA$", "CAD"},   {"A$", "AUD"},    {"AU$", "AUD"},   {"S$", "SGD"},
	{"NT$", "TWD"},   {"NZ$", "NZD"},   {"MOP$", "MOP"},
	{"\xc2\xa3", "GBP"},     /* £ */
	{"\xef\xbf\xa1", "GBP"}, /* ￡ */
	{"\xe2\x82\xac", "EUR"}, /* € */
	{"\xe2\x82\xa9", "KRW"}, /* ₩ */
	{"\xe2\x82\xb9", "INR"}, /* ₹ */
	{"\xe2\x82\xbd", "RUB"}, /* ₽ */
	{"\xe5\x86\x86", "JPY"}, /* 円 */
	{"\xe5\x85\x83", "CNY"}, /* 元 */
	{"\xc2\xa5", DTS_CURRENCY_YEN},     /* ¥ */
	{"\xef\xbf\xa5", DTS_CURRENCY_YEN}, /* ￥ */
};

/* The currency of a mark (n > 0 bytes, trimmed) into cur; 0 when none. */
static int mark_of(char cur[DTS_CURRENCY_SIZE], const char *m, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(symbols) / sizeof(*symbols); i++)
		if (strlen(symbols[i].mark) == n && !memcmp(symbols[i].mark, m, n)) {
			memcpy(cur, symbols[i].iso, strlen(symbols[i].iso) + 1);
			return 1;
		}
	/* A code: three upper-case letters, so "12abc" stays a bad number. */
	if (n == 3) {
		for (i = 0; i < 3; i++)
			if (m[i] < 'A' || m[i] > 'Z')
				return 0;
	} else if ((unsigned char)m[0] < 0x80) {
		return 0; /* names (人民币, 美元) are not ASCII */
	}
	{
		dts_error saved;
		const dts_error *e = dts_error_last();
		int ok;

		/* A miss is not an error here: keep the caller's state. */
		if (e)
			saved = *e;
		ok = dts_currency_normalize(cur, m, n) == 0;
		if (e)
			dts__error(saved.code, saved.file, saved.line,
				   saved.column, "%s", saved.message);
		else
			dts_error_clear();
		return ok;
	}
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A sign at s[i..n): its length (1, or 3 for U+2212), 0 when none. */
static size_t sign_at(const char *s, size_t i, size_t n, int *neg)
{
	if (i < n && (s[i] == '+' || s[i] == '-')) {
		*neg = s[i] == '-';
		return 1;
	}
	if (n - i >= 3 && !memcmp(s + i, MINUS_SIGN, 3)) {
		*neg = 1;
		return 3;
	}
	return 0;
}

static int is_num_char(char c)
{
	return is_digit((unsigned char)c) || c == '.' || c == ',';
}

static int marked_error(const char *why, const char *q, size_t ql)
{
	return dts__error(DTS_EINPUT, NULL, 0, 0, "%s: '%.*s'", why,
			  QUOTE(q, ql));
}

/*
 * [sign] [mark] [sign] number [mark], or all of it in parentheses, in n
 * folded, trimmed bytes. See dts_money_parse_currency().
 */
static int parse_marked(dts_money *out, char cur[DTS_CURRENCY_SIZE],
			const char *s, size_t n, int exp)
{
	size_t b = 0, e = n, i, k, m0, m1, num;
	int neg = 0, signs = 0, paren = 0, marks = 0, sneg = 0;
	char c1[DTS_CURRENCY_SIZE] = "", c2[DTS_CURRENCY_SIZE] = "";

	if (n == 0)
		return dts__error(DTS_EINPUT, NULL, 0, 0, "empty amount");
	if (s[0] == '(' || s[n - 1] == ')') {
		if (s[0] != '(' || s[n - 1] != ')' || n < 2)
			return marked_error("unbalanced parenthesis", s, n);
		paren = 1;
		b = 1;
		e = n - 1;
		while (b < e && is_blank(s[b]))
			b++;
		while (e > b && is_blank(s[e - 1]))
			e--;
	}
	i = b;
	if ((k = sign_at(s, i, e, &sneg)) > 0) {
		signs++;
		neg = sneg;
		i += k;
	}
	/* A leading mark: everything up to a sign, digit, '.' or blank. */
	for (m0 = i; i < e && !is_num_char(s[i]) && !is_blank(s[i]) &&
		     !sign_at(s, i, e, &sneg); i++)
		;
	if (i > m0) {
		if (!mark_of(c1, s + m0, i - m0))
			return marked_error(i < e ? "not a currency mark" :
					    "not a number", s, n);
		marks++;
		while (i < e && is_blank(s[i]))
			i++;
	}
	if ((k = sign_at(s, i, e, &sneg)) > 0) {
		signs++;
		neg = sneg;
		i += k;
	}
	for (num = i; i < e && is_num_char(s[i]); i++)
		;
	m1 = i;
	while (m1 < e && is_blank(s[m1]))
		m1++;
	if (m1 < e) {
		if (!mark_of(c2, s + m1, e - m1))
			return marked_error(i == num ||
					    is_num_char(s[m1]) ? "not a number" :
					    "not a currency mark", s, n);
		marks++;
	}
	if (marks > 1)
		return marked_error("two currency marks", s, n);
	if (signs + paren > 1)
		return marked_error("two signs", s, n);
	if (i == num)
		return not_number(s, n);
	{
		dts_money v;
		int rc = parse_number(&v, neg || paren, s + num, i - num, exp,
				      s, n);

		if (rc < 0)
			return rc;
		*out = v;
	}
	memcpy(cur, c1[0] ? c1 : c2, DTS_CURRENCY_SIZE);
	return 0;
}

/*
 * The common amount read in one pass: "[+-]digits[.digits]" in plain
 * ASCII, nothing to fold, trim or mark, at most 4 + exp decimals and few
 * enough integer digits that the magnitude stays under 10^18 (no range
 * check needed). 1 with *out set; 0 for anything else, which the general
 * path then decides, errors included. It gives what fold + parse_marked
 * or parse_folded give for these strings (the folding leaves them as
 * they are, there is no mark): test_money.c holds it to
 * dts__money_parse_general over edge cases and random strings.
 */
static int parse_plain(dts_money *out, const char *s, size_t len, int exp)
{
	size_t i = 0, start, fracs = 0, keep = (size_t)(DTS_MONEY_DECIMALS + exp);
	uint64_t m = 0;
	int neg = 0;

	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (start = i; i < len && is_digit((unsigned char)s[i]); i++)
		m = m * 10 + (uint64_t)(s[i] - '0');
	if (i == start || (i - start) + keep > 18)
		return 0;
	if (i < len) {
		if (s[i] != '.')
			return 0;
		for (i++; i < len && fracs < keep && is_digit((unsigned char)s[i]); i++, fracs++)
			m = m * 10 + (uint64_t)(s[i] - '0');
		if (i != len)
			return 0;
	}
	m *= pow10_u64[keep - fracs];
	*out = neg ? (dts_money)(0 - m) : (dts_money)m;
	return 1;
}

int dts_money_parse_scaled(dts_money *out, char currency[DTS_CURRENCY_SIZE],
			   const char *s, size_t len, int exp)
{
	if (!out || (!s && len > 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_parse: NULL argument");
	if (exp < 0 || exp > DTS_MONEY_EXP_MAX)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_parse: unit 10^%d out of 10^0..10^%d",
				  exp, DTS_MONEY_EXP_MAX);
	if (parse_plain(out, s, len, exp)) {
		if (currency)
			currency[0] = '\0';
		return 0;
	}
	return dts__money_parse_general(out, currency, s, len, exp);
}

int dts__money_parse_general(dts_money *out, char currency[DTS_CURRENCY_SIZE],
			     const char *s, size_t len, int exp)
{
	char stack[STACK_MAX], *buf, cur[DTS_CURRENCY_SIZE] = "";
	size_t n;
	int rc;

	if (!out || (!s && len > 0) || exp < 0 || exp > DTS_MONEY_EXP_MAX)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_parse: NULL argument or unit 10^%d", exp);
	rc = fold(&buf, stack, s, len, &n);
	if (rc == 0 && currency) {
		rc = parse_marked(out, cur, buf, n, exp);
		if (rc == 0)
			memcpy(currency, cur, sizeof(cur));
	} else if (rc == 0) {
		rc = parse_folded(out, buf, n, exp);
	}
	if (buf != stack)
		free(buf);
	return rc;
}

int dts_money_parse_currency(dts_money *out, char currency[DTS_CURRENCY_SIZE],
			     const char *s, size_t len)
{
	if (!currency)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_parse_currency: NULL currency");
	return dts_money_parse_scaled(out, currency, s, len, 0);
}

int dts_money_scale(dts_money *out, dts_money v, int exp)
{
	dts_money r;

	if (!out || exp < 0 || exp > DTS_MONEY_EXP_MAX)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_scale: NULL or unit 10^%d out of "
				  "10^0..10^%d", exp, DTS_MONEY_EXP_MAX);
	if (__builtin_mul_overflow(v, (int64_t)pow10_u64[exp], &r)) {
		char b[24];

		dts_money_format(b, sizeof(b), v, DTS_MONEY_DECIMALS);
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "amount out of range: %s times 10^%d", b, exp);
	}
	*out = r;
	return 0;
}

int dts_money_currency_resolve(char out[DTS_CURRENCY_SIZE], const char *stated,
			       const char *field, size_t field_len)
{
	char f[DTS_CURRENCY_SIZE];
	size_t b = 0;
	int yen;

	if (!out || !stated || (!field && field_len))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_currency_resolve: NULL argument");
	while (b < field_len && is_blank(field[b]))
		b++;
	yen = !strcmp(stated, DTS_CURRENCY_YEN);
	if (b == field_len) {
		if (yen)
			return dts__error(DTS_EINPUT, NULL, 0, 0,
					  "'%s' is CNY or JPY and the record "
					  "has no currency to say which",
					  DTS_CURRENCY_YEN);
		snprintf(out, DTS_CURRENCY_SIZE, "%s", stated);
		return 0;
	}
	if (dts_currency_normalize(f, field, field_len) < 0)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "currency '%.*s' is not a currency",
				  QUOTE(field, field_len));
	if (yen && strcmp(f, "CNY") && strcmp(f, "JPY"))
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "the amount is in '%s' (CNY or JPY) but the "
				  "currency field says %s", DTS_CURRENCY_YEN, f);
	if (!yen && stated[0] && strcmp(stated, f))
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "the amount is in %s but the currency field "
				  "says %s", stated, f);
	memcpy(out, f, sizeof(f));
	return 0;
}

int dts_money_add(dts_money *acc, dts_money v)
{
	dts_money sum;

	if (!acc)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "money_add: NULL");
	if (__builtin_add_overflow(*acc, v, &sum))
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "amount out of range: sum overflows");
	*acc = sum;
	return 0;
}

int dts_money_format(char *buf, size_t size, dts_money v, int decimals)
{
	uint64_t mag, div, q, r, unit;
	int n;

	if (!buf || decimals < 0 || decimals > DTS_MONEY_DECIMALS)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_format: bad buffer or decimals %d",
				  decimals);
	/* Magnitude in unsigned arithmetic, so INT64_MIN has one too. */
	mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	div = pow10_u64[DTS_MONEY_DECIMALS - decimals];
	q = mag / div;
	r = mag % div;
	if (r >= div - r)
		q++; /* half away from zero: ties go up in magnitude */
	unit = pow10_u64[decimals];
	if (decimals == 0)
		n = snprintf(buf, size, "%s%llu", v < 0 && q ? "-" : "",
			     (unsigned long long)q);
	else
		n = snprintf(buf, size, "%s%llu.%0*llu", v < 0 && q ? "-" : "",
			     (unsigned long long)(q / unit), decimals,
			     (unsigned long long)(q % unit));
	if (n < 0 || (size_t)n >= size)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_format: buffer of %zu bytes too small",
				  size);
	return n;
}

