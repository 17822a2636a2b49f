/*
 * atoms.c — necessary literals of a PCRE2 pattern, for the prefilter.
 *
 * The idea of YARA's atoms and RE2's FilteredRE2: a regex is run only when
 * one of its atoms occurs in the (folded) text, so the atoms must be a
 * necessary condition of a match. Everything here leans one way: a construct
 * that is not fully understood gives up (0 atoms, the rule is unindexed).
 *
 * Each parsed item yields two sets: `exact`, every string the item can match
 * (when known and small), and `need`, strings one of which occurs in every
 * match. A sequence concatenates exact sets into a run; a branch keeps the
 * best candidate among its runs and items; an alternation takes the union.
 * Strings are folded as dts__fold_lower folds the subject.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define EXACT_MAX 16   /* strings an exact set may hold before it is dropped */
#define ATOM_MAX 64    /* bytes; a longer run is cut, it would add nothing */
#define ATOM_MIN 2     /* bytes; one ASCII byte selects too little */
#define DEPTH_MAX 200  /* group nesting */
#define MINIMIZE_MAX 1024

typedef struct str {
	const char *s;
	size_t len;
} str;

typedef struct set {
	str *v;
	size_t n, cap;
} set;

typedef struct info {
	set *exact;    /* NULL: unknown or too many */
	set *need;     /* NULL: no necessary literal known */
	bool zw;       /* zero-width: assertion, option setting, comment */
	bool noquant;  /* a quantifier after it is not understood */
	bool rep;      /* quantified with min >= 1, max > 1 */
} info;

typedef struct parser {
	const char *s;
	size_t i, n;
	dts_arena tmp;     /* every intermediate set; freed at once */
	set *empty;        /* { "" } */
	int depth;
	bool caseless, quote, fail, nomem;
} parser;

/* ---- sets ------------------------------------------------------------- */

static set *set_new(parser *p)
{
	set *x = dts__arena_alloc(&p->tmp, sizeof(*x));

	if (!x)
		p->nomem = true;
	return x;
}

static bool set_add(parser *p, set *x, const char *s, size_t len, bool dedup)
{
	size_t k;

	if (dedup)
		for (k = 0; k < x->n; k++)
			if (x->v[k].len == len && !memcmp(x->v[k].s, s, len))
				return true;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 4;
		str *v = dts__arena_alloc(&p->tmp, cap * sizeof(*v));

		if (!v) {
			p->nomem = true;
			return false;
		}
		if (x->n)
			memcpy(v, x->v, x->n * sizeof(*v));
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n].s = s;
	x->v[x->n].len = len;
	x->n++;
	return true;
}

static set *set_one(parser *p, const char *s, size_t len)
{
	set *x = set_new(p);
	char *c = dts__arena_strndup(&p->tmp, s, len);

	if (!x || !c) {
		p->nomem = true;
		return NULL;
	}
	return set_add(p, x, c, len, false) ? x : NULL;
}

/* a x b, or NULL when it would be too large (or on ENOMEM, p->nomem). */
static set *product(parser *p, const set *a, const set *b)
{
	set *x;
	size_t i, j;

	if (a->n * b->n > EXACT_MAX)
		return NULL;
	if (!(x = set_new(p)))
		return NULL;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++) {
			size_t la = a->v[i].len, lb = b->v[j].len;
			char *c;

			if (la + lb > ATOM_MAX)
				return NULL;
			if (!(c = dts__arena_alloc(&p->tmp, la + lb + 1))) {
				p->nomem = true;
				return NULL;
			}
			memcpy(c, a->v[i].s, la);
			memcpy(c + la, b->v[j].s, lb);
			if (!set_add(p, x, c, la + lb, true))
				return NULL;
		}
	}
	return x;
}

/* Shortest string of a usable set, 0 when the set is not usable. */
static size_t set_score(const set *x)
{
	size_t k, min = SIZE_MAX;

	if (!x || !x->n)
		return 0;
	for (k = 0; k < x->n; k++)
		if (x->v[k].len < min)
			min = x->v[k].len;
	return min >= ATOM_MIN ? min : 0;
}

/* Keep the candidate whose shortest atom is longest, then the smaller. */
static void consider(set **best, set *x)
{
	size_t sx = set_score(x), sb = set_score(*best);

	if (sx && (sx > sb || (sx == sb && x->n < (*best)->n)))
		*best = x;
}

/* ---- characters -------------------------------------------------------- */

static info fail_info(parser *p)
{
	info r = {0};

	p->fail = true;
	return r;
}

static info any_info(void)
{
	info r = {0};

	return r;
}

static info zw_info(bool noquant)
{
	info r = {0};

	r.zw = true;
	r.noquant = noquant;
	return r;
}

/*
 * Characters with no case variant, so a caseless match can only be the
 * character itself: CJK, Hangul, general punctuation.
 */
static bool caseless_safe(uint32_t cp)
{
	return cp < 0x80 || (cp >= 0x2000 && cp <= 0x206F) ||
	       (cp >= 0x2E80 && cp <= 0x9FFF) ||
	       (cp >= 0xAC00 && cp <= 0xD7AF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x2FFFF);
}

static size_t utf8_encode(char *b, uint32_t cp)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | (cp >> 18));
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decode one code point at s[*i]; 0 with *i unchanged when malformed. */
static bool utf8_decode(const char *s, size_t n, size_t *i, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	size_t left = n - *i, len, k;
	uint32_t c;

	if (u[0] < 0x80) {
		*cp = u[0];
		*i += 1;
		return true;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		len = 2, c = u[0] & 0x1F;
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
		len = 3, c = u[0] & 0x0F;
	else if (u[0] >= 0xF0 && u[0] <= 0xF4)
		len = 4, c = u[0] & 0x07;
	else
		return false;
	if (left < len)
		return false;
	for (k = 1; k < len; k++) {
		if ((u[k] & 0xC0) != 0x80)
			return false;
		c = (c << 6) | (u[k] & 0x3F);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return false;
	*cp = c;
	*i += len;
	return true;
}

/* A literal code point, folded the way dts__fold_lower folds the subject. */
static info lit_info(parser *p, uint32_t cp)
{
	info r = {0};
	char b[4];
	size_t len;

	if (cp == 0)
		return any_info(); /* atoms are C strings */
	if (cp == 0x212A || cp == 0x17F) {
		/* KELVIN SIGN, LONG S: they and their case mates fold to k, s */
		cp = cp == 0x212A ? 'k' : 's';
	} else if (p->caseless && !caseless_safe(cp)) {
		return any_info();
	}
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	len = utf8_encode(b, cp);
	r.exact = r.need = set_one(p, b, len);
	return r;
}

static info literal(parser *p)
{
	uint32_t cp;

	if (!utf8_decode(p->s, p->n, &p->i, &cp))
		return fail_info(p);
	return lit_info(p, cp);
}

/* ---- quantifiers ------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t read_num(const char *s, size_t *i)
{
	size_t v = 0;

	while (is_digit(s[*i])) {
		if (v < 100000)
			v = v * 10 + (size_t)(s[*i] - '0');
		(*i)++;
	}
	return v;
}

/*
 * At '{': 1 and the counts when it is a quantifier in the strict
 * {n} {n,} {n,m} forms, 0 when it is a literal brace in every PCRE2
 * version, -1 when versions disagree ({,n}, spaces) and we give up.
 */
static int read_braces(const parser *p, size_t *i, size_t *min, size_t *max)
{
	const char *s = p->s;
	size_t j = *i + 1, k;

	for (k = j; k < p->n && s[k] != '}'; k++)
		if (!is_digit(s[k]) && s[k] != ',' && s[k] != ' ' &&
		    s[k] != '\t')
			return 0;
	if (k >= p->n || k == j)
		return 0;
	if (!is_digit(s[j]))
		return -1;
	*min = read_num(s, &j);
	*max = *min;
	if (s[j] == ',') {
		j++;
		*max = SIZE_MAX;
		if (is_digit(s[j]))
			*max = read_num(s, &j);
	}
	if (s[j] != '}')
		return -1;
	*i = j + 1;
	return 1;
}

static void parse_quant(parser *p, info *it)
{
	size_t min, max, i = p->i;
	char c = p->s[i];
	int r;

	if (c == '*' || c == '+' || c == '?') {
		min = c == '+';
		max = c == '?' ? 1 : SIZE_MAX;
		i++;
	} else if (c == '{') {
		if ((r = read_braces(p, &i, &min, &max)) <= 0) {
			if (r < 0)
				p->fail = true;
			return;
		}
	} else {
		return;
	}
	if (it->noquant) {
		p->fail = true;
		return;
	}
	if (i < p->n && (p->s[i] == '?' || p->s[i] == '+'))
		i++; /* lazy, possessive: same strings */
	if (i < p->n && strchr("*+?{", p->s[i])) {
		p->fail = true;
		return;
	}
	p->i = i;
	if (it->zw)
		return;
	if (min == 0) {
		it->exact = it->need = NULL;
	} else if (max != 1) {
		it->rep = true;
	}
}

/* ---- escapes and classes --------------------------------------------- */

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_xdigit(char c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static unsigned xval(char c)
{
	return is_digit(c) ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

/* \x{h..} or \xhh, p->i just after the 'x'. */
static info parse_hex(parser *p)
{
	const char *s = p->s;
	uint32_t cp = 0;
	size_t k = 0;

	if (s[p->i] == '{') {
		for (p->i++; is_xdigit(s[p->i]) && k < 8; p->i++, k++)
			cp = cp * 16 + xval(s[p->i]);
		if (!k || s[p->i] != '}' || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return fail_info(p);
		p->i++;
		return lit_info(p, cp);
	}
	for (; k < 2 && is_xdigit(s[p->i]); p->i++, k++)
		cp = cp * 16 + xval(s[p->i]);
	return lit_info(p, cp);
}

/* Index just past the '}' of a {...} argument at s[i], or 0. */
static size_t skip_braces(const parser *p, size_t i)
{
	const char *e = memchr(p->s + i, '}', p->n - i);

	return e ? (size_t)(e - p->s) + 1 : 0;
}

static info parse_escape(parser *p)
{
	const char *s = p->s;
	unsigned char e;
	size_t j;

	if (p->i + 1 >= p->n)
		return fail_info(p);
	e = (unsigned char)s[p->i + 1];
	p->i += 2;
	if (e >= 0x80)
		return fail_info(p);
	if (!is_alnum(e))
		return lit_info(p, e);
	switch (e) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
	case 'h': case 'H': case 'v': case 'V': case 'R': case 'X': case 'C':
		return any_info();
	case 'N':
		return s[p->i] == '{' ? fail_info(p) : any_info();
	case 'p': case 'P':
		if (s[p->i] == '{') {
			if (!(j = skip_braces(p, p->i)))
				return fail_info(p);
			p->i = j;
		} else if (p->i < p->n && (unsigned char)s[p->i] < 0x80) {
			p->i++;
		} else {
			return fail_info(p);
		}
		return any_info();
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
		return zw_info(false);
	case 'Q':
		p->quote = true;
		return zw_info(true);
	case 'E':
		return zw_info(true);
	case 't': return lit_info(p, '\t');
	case 'n': return lit_info(p, '\n');
	case 'r': return lit_info(p, '\r');
	case 'f': return lit_info(p, '\f');
	case 'e': return lit_info(p, 0x1B);
	case 'a': return lit_info(p, 0x07);
	case 'x':
		return parse_hex(p);
	case 'c':
		if (p->i >= p->n || (unsigned char)s[p->i] >= 0x80)
			return fail_info(p);
		p->i++;
		return any_info();
	default: /* back references, \K, \g, \o, octal, unknown */
		return fail_info(p);
	}
}

/*
 * A POSIX class [:name:] at s[i] inside a class, by PCRE2's own test
 * (check_posix_syntax): the index past ":]", or 0 when it is not one.
 */
static size_t posix_end(const parser *p, size_t i)
{
	const char *s = p->s;
	char t = s[i + 1];
	size_t j;

	for (j = i + 2; j + 1 < p->n; j++) {
		if (s[j] == '\\' && (s[j + 1] == ']' || s[j + 1] == '\\'))
			j++;
		else if ((s[j] == '[' && s[j + 1] == t) || s[j] == ']')
			return 0;
		else if (s[j] == t && s[j + 1] == ']')
			return j + 2;
	}
	return 0;
}

/* Skip one escape inside a class; false when not understood. */
static bool class_escape(parser *p, bool *simple, char *lit)
{
	const char *s = p->s;
	unsigned char e;
	size_t j;

	*lit = 0;
	if (p->i + 1 >= p->n)
		return false;
	e = (unsigned char)s[p->i + 1];
	if (e >= 0x80)
		return false;
	if (e == 'Q') { /* \Q..\E: skip; the class is no longer simple */
		const char *end;

		end = strstr(s + p->i + 2, "\\E");
		if (!end)
			return false;
		p->i = (size_t)(end - s) + 2;
		*simple = false;
		return true;
	}
	if (!is_alnum(e)) {
		*lit = (char)e;
		p->i += 2;
		return true;
	}
	*simple = false;
	if (e == 'c') {
		p->i += 3;
		return p->i <= p->n;
	}
	if (strchr("xopPN", e) && s[p->i + 2] == '{') {
		if (!(j = skip_braces(p, p->i + 2)))
			return false;
		p->i = j;
		return true;
	}
	p->i += (e == 'p' || e == 'P') ? 3 : 2;
	return p->i <= p->n;
}

/* The one-character strings of the flagged characters. */
static info class_set(parser *p, const bool *chars)
{
	info r = {0};
	int c;

	if (!(r.exact = set_new(p)))
		return r;
	for (c = 0; c < 128; c++) {
		char b = (char)c, *one;

		if (!chars[c])
			continue;
		if (!(one = dts__arena_strndup(&p->tmp, &b, 1)))
			p->nomem = true;
		if (!one || !set_add(p, r.exact, one, 1, false))
			return r;
	}
	return r;
}

/* [..]: an exact set when it lists a few plain ASCII characters. */
static info parse_class(parser *p)
{
	const char *s = p->s;
	bool chars[128] = {0}, simple = true, first = true;
	size_t nchars = 0, j;
	char lit;
	int c;

	p->i++;
	if (p->i < p->n && s[p->i] == '^') {
		simple = false;
		p->i++;
	}
	for (;; first = false) {
		if (p->i >= p->n)
			return fail_info(p);
		lit = s[p->i];
		if (lit == ']' && !first) {
			p->i++;
			break;
		}
		if (lit == '\\') {
			if (first && (s[p->i + 1] == 'Q' || s[p->i + 1] == 'E'))
				return fail_info(p);
			if (!class_escape(p, &simple, &lit))
				return fail_info(p);
		} else if (lit == '[' && s[p->i + 1] != '\0' &&
			   strchr(":.=", s[p->i + 1]) && (j = posix_end(p, p->i))) {
			if (s[p->i + 1] != ':')
				return fail_info(p);
			p->i = j;
			simple = false;
			lit = 0;
		} else {
			p->i++;
		}
		c = (unsigned char)lit;
		if (!c)
			continue;
		if (c < 0x20 || c >= 0x7F || c == '-' || c == '[') {
			simple = false;
			/* skip the rest of a multi-byte character */
			while (p->i < p->n && ((unsigned char)s[p->i] & 0xC0) == 0x80)
				p->i++;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!chars[c]) {
			chars[c] = true;
			nchars++;
		}
	}
	if (!simple || nchars == 0 || nchars > 8)
		return any_info();
	return class_set(p, chars);
}

/* ---- groups, sequences, alternations ------------------------------------ */

static info parse_alt(parser *p);

/* Skip a group name up to `term`; false when the name is not plain. */
static bool skip_name(parser *p, size_t *i, char term)
{
	size_t j = *i;

	while (j < p->n && (is_alnum((unsigned char)p->s[j]) || p->s[j] == '_'))
		j++;
	if (j == *i || j >= p->n || p->s[j] != term)
		return false;
	*i = j + 1;
	return true;
}

/*
 * (?imnsUJ-^) and (?flags: Turning caseless on matters (non-ASCII letters
 * then break runs); turning it off is ignored, which only loses atoms.
 * Returns ')' or ':' with *i past it, or 0 when not understood (x, a, r ...).
 */
static char parse_options(parser *p, size_t *i)
{
	bool neg = false;
	size_t j;

	for (j = *i; j < p->n; j++) {
		char c = p->s[j];

		if (c == ')' || c == ':') {
			*i = j + 1;
			return c;
		}
		if (c == '-')
			neg = true;
		else if (c == 'i' && !neg)
			p->caseless = true;
		else if (!strchr("imnsUJ^", c))
			return 0;
	}
	return 0;
}

static info parse_group(parser *p)
{
	const char *s = p->s;
	bool saved = p->caseless, zw = false;
	size_t i = p->i + 1;
	info in;
	char end;

	if (++p->depth > DEPTH_MAX || i >= p->n || s[i] == '*')
		return fail_info(p);
	if (s[i] == '?') {
		char c = s[++i];

		if (c == ':' || c == '|' || c == '>') {
			i++;
		} else if (c == '=' || c == '!') {
			i++;
			zw = true;
		} else if (c == '<' && (s[i + 1] == '=' || s[i + 1] == '!')) {
			i += 2;
			zw = true;
		} else if (c == '<' || c == '\'' || (c == 'P' && s[i + 1] == '<')) {
			i += c == 'P' ? 2 : 1;
			if (!skip_name(p, &i, c == '\'' ? '\'' : '>'))
				return fail_info(p);
		} else if (c == '#') {
			const char *e = memchr(s + i, ')', p->n - i);

			if (!e)
				return fail_info(p);
			p->i = (size_t)(e - s) + 1;
			p->depth--;
			return zw_info(true);
		} else if (!(end = parse_options(p, &i))) {
			return fail_info(p);
		} else if (end == ')') {
			/* option setting: lasts to the end of the enclosing group */
			p->i = i;
			p->depth--;
			return zw_info(true);
		}
	}
	p->i = i;
	in = parse_alt(p);
	if (p->fail || p->nomem)
		return in;
	if (p->i >= p->n || s[p->i] != ')')
		return fail_info(p);
	p->i++;
	p->caseless = saved;
	p->depth--;
	if (zw)
		return zw_info(false);
	in.zw = in.noquant = in.rep = false;
	return in;
}

static info parse_atom(parser *p)
{
	const char *s = p->s;
	size_t i, min, max;

	if (p->quote) {
		if (s[p->i] == '\\' && s[p->i + 1] == 'E') {
			p->i += 2;
			p->quote = false;
			return zw_info(true);
		}
		return literal(p);
	}
	switch (s[p->i]) {
	case '(':
		return parse_group(p);
	case '[':
		return parse_class(p);
	case '.':
		p->i++;
		return any_info();
	case '^': case '$':
		p->i++;
		return zw_info(false);
	case '\\':
		return parse_escape(p);
	case '*': case '+': case '?':
		return fail_info(p);
	case '{':
		i = p->i;
		if (read_braces(p, &i, &min, &max) != 0)
			return fail_info(p);
		return literal(p);
	default:
		return literal(p);
	}
}

static info parse_item(parser *p)
{
	const char *s = p->s;
	info it = parse_atom(p);

	if (p->fail || p->nomem)
		return it;
	if (p->quote) {
		/* inside \Q..\E quantifier characters are literal; one right
		 * after \E would bind to the last quoted character */
		if (s[p->i] == '\\' && s[p->i + 1] == 'E' && s[p->i + 2] &&
		    strchr("*+?{", s[p->i + 2]))
			p->fail = true;
		return it;
	}
	if (p->i < p->n)
		parse_quant(p, &it);
	return it;
}

static info parse_seq(parser *p)
{
	set *cur = p->empty, *best = NULL, *t;
	bool broken = false;
	info r = {0}, it;

	while (p->i < p->n) {
		char c = p->s[p->i];

		if (!p->quote && (c == '|' || c == ')'))
			break;
		it = parse_item(p);
		if (p->fail || p->nomem)
			return r;
		if (it.zw)
			continue;
		if (!it.exact) {
			consider(&best, cur);
			consider(&best, it.need);
			cur = p->empty;
			broken = true;
			continue;
		}
		t = product(p, cur, it.exact);
		if (p->nomem)
			return r;
		if (it.rep || !t) {
			/* x+ : the run ends with one copy of x, a new one
			 * starts with the last copy */
			consider(&best, t ? t : cur);
			cur = it.exact;
			broken = true;
		} else {
			cur = t;
		}
	}
	consider(&best, cur);
	r.exact = broken ? NULL : cur;
	r.need = best;
	return r;
}

static bool set_union(parser *p, set **acc, const set *x, bool dedup)
{
	size_t k;

	if (!*acc && !(*acc = set_new(p)))
		return false;
	for (k = 0; k < x->n; k++)
		if (!set_add(p, *acc, x->v[k].s, x->v[k].len, dedup))
			return false;
	return true;
}

static info parse_alt(parser *p)
{
	set *ex = NULL, *nd = NULL;
	bool ex_ok = true, nd_ok = true, first = true;
	info r = {0}, b, one = {0};

	for (;;) {
		b = parse_seq(p);
		if (p->fail || p->nomem)
			return r;
		if (first)
			one = b;
		if (ex_ok && b.exact && set_union(p, &ex, b.exact, true))
			ex_ok = ex->n <= EXACT_MAX;
		else
			ex_ok = false;
		if (nd_ok && set_score(b.need) && set_union(p, &nd, b.need, false))
			nd_ok = true;
		else
			nd_ok = false;
		if (p->nomem)
			return r;
		if (p->i < p->n && p->s[p->i] == '|') {
			p->i++;
			first = false;
			continue;
		}
		break;
	}
	if (first)
		return one;
	r.exact = ex_ok ? ex : NULL;
	r.need = nd_ok ? nd : NULL;
	return r;
}

/* ---- result ------------------------------------------------------------ */

static int str_cmp(const void *a, const void *b)
{
	const str *x = a, *y = b;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->s, y->s, x->len);
	return c;
}

static bool contains(const str *hay, const str *needle)
{
	return memmem(hay->s, hay->len, needle->s, needle->len) != NULL;
}

/* Sort, drop duplicates and atoms that contain a shorter atom. */
static size_t minimize(set *x)
{
	size_t i, j, n = 0;

	if (x->n > 1)
		qsort(x->v, x->n, sizeof(*x->v), str_cmp);
	for (i = 0; i < x->n; i++) {
		bool redundant = n && !str_cmp(&x->v[n - 1], &x->v[i]);

		for (j = 0; !redundant && x->n <= MINIMIZE_MAX && j < n; j++)
			redundant = contains(&x->v[i], &x->v[j]);
		if (!redundant)
			x->v[n++] = x->v[i];
	}
	return x->n = n;
}

static int emit(char ***out, dts_arena *arena, set *x)
{
	size_t k, n = minimize(x);
	char **v;

	if (n > INT32_MAX)
		return 0;
	if (!(v = dts__arena_alloc(arena, (n + 1) * sizeof(*v))))
		return DTS_ENOMEM;
	for (k = 0; k < n; k++)
		if (!(v[k] = dts__arena_strndup(arena, x->v[k].s, x->v[k].len)))
			return DTS_ENOMEM;
	*out = v;
	return (int)n;
}

/* Leading verbs that only say how text is read: no limit, no engine. */
static const char *const text_verbs[] = {
	"(*UTF)", "(*UCP)", "(*CR)", "(*LF)", "(*CRLF)", "(*ANYCRLF)",
	"(*ANY)", "(*NUL)", "(*BSR_ANYCRLF)", "(*BSR_UNICODE)",
};

size_t dts__regex_text_verbs(const char *pattern)
{
	size_t i = 0, k;

	for (k = 0; k < sizeof(text_verbs) / sizeof(*text_verbs); k++) {
		size_t l = strlen(text_verbs[k]);

		if (!strncmp(pattern + i, text_verbs[k], l)) {
			i += l;
			k = (size_t)-1; /* again from the first: any order */
		}
	}
	return i;
}

int dts__regex_atoms(char ***out, dts_arena *arena, const char *pattern,
		     bool caseless)
{
	parser p = {0};
	info r;
	int ret = 0;

	*out = NULL;
	/* (*UCP) and the like change what \w or $ mean, never a literal. */
	pattern += dts__regex_text_verbs(pattern);
	p.s = pattern;
	p.n = strlen(pattern);
	p.caseless = caseless;
	if (!(p.empty = set_one(&p, "", 0)))
		goto done;
	r = parse_alt(&p);
	if (p.nomem || p.fail || p.i != p.n || !set_score(r.need))
		goto done;
	ret = emit(out, arena, r.need);
done:
	dts__arena_free(&p.tmp);
	if (p.nomem)
		ret = DTS_ENOMEM;
	if (ret < 0) {
		*out = NULL;
		return dts__error(ret, NULL, 0, 0, "out of memory");
	}
	return ret;
}
