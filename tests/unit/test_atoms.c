/*
 * test_atoms.c — regex atoms: a table of patterns with their expected
 * atoms, and a differential test against PCRE2 itself: whenever a random
 * pattern matches a subject, the folded subject must contain an atom.
 */
#include "check_main.h"
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- helpers ----------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The atoms of `pat`, sorted and joined with '|', or "" when none. */
static const char *atoms_of(const char *pat, bool caseless)
{
	static char buf[4096];
	dts_arena arena = {0};
	char **v;
	int n, k;

	n = dts__regex_atoms(&v, &arena, pat, caseless);
	ck_assert_int_ge(n, 0);
	buf[0] = '\0';
	if (n > 0) {
		ck_assert_ptr_nonnull(v);
		qsort(v, (size_t)n, sizeof(*v), cmp_str);
		for (k = 0; k < n; k++) {
			size_t used = strlen(buf);

			snprintf(buf + used, sizeof(buf) - used, "%s%s",
				 k ? "|" : "", v[k]);
		}
	} else {
		ck_assert_ptr_null(v);
	}
	dts__arena_free(&arena);
	return buf;
}

/* ---- table ------------------------------------------------------------- */

static const struct {
	const char *pat;
	bool caseless;
	const char *want; /* sorted, '|'-joined; "" = no atoms */
} table[] = {
	{"云计算|云服务|\\b(IaaS|PaaS|SaaS)\\b|cloud", true,
	 "cloud|iaas|paas|saas|云服务|云计算"},
	{"soft(ware)?", false, "soft"},
	{"soft(ware)?", true, "soft"},
	{"a.b", false, ""},
	{"(?x)abc", false, ""},
	{"\\d+", false, ""},
	{"abc|\\w+", false, ""},
	{"(foo|bar)baz", false, "barbaz|foobaz"},
	{"(foo|bar)\\d+baz", false, "baz"},
	{"(foo|bar)\\d+ba", false, "bar|foo"},
	{"(fo|ba)\\d+bazooka", false, "bazooka"},
	{"Software", false, "software"},
	{"SOFTWARE", true, "software"},
	{"", false, ""},
	{"a", false, ""},
	{"云", true, "云"},
	{"ab+c", false, "ab"},
	{"xab+cd", false, "xab"},
	{"xa+bcd", false, "abcd"},
	{"abc*d", false, "ab"},
	{"x{2}yz", false, "xyz"},
	{"ab{0,3}cd", false, "cd"},
	{"ab{,3}cd", false, ""},          /* versions disagree: give up */
	{"ab{x}cd", false, "ab{x}cd"},    /* a literal brace */
	{"\\.com|\\.net", false, ".com|.net"},
	{"a\\|b", false, "a|b"},          /* one atom: "a|b" */
	{"\\bapp\\b", true, "app"},
	{"^api$", false, "api"},
	{"(?=foo)bar", false, "bar"},
	{"(?<!x)store", false, "store"},
	{"(?!cloud)\\w+", false, ""},
	{"(a)\\1", false, ""},
	{"(?<n>ab)\\k<n>", false, ""},
	{"(?(1)a|b)", false, ""},
	{"a\\Kbc", false, ""},
	/* verbs that only say how text is read leave literals alone */
	{"(*UTF)abc", false, "abc"},
	{"(*UCP)(*CRLF)cloud", false, "cloud"},
	{"(*NO_JIT)abc", false, ""},   /* refused by the loader anyway */
	{"(*COMMIT)abc", false, ""},
	{"(?R)?abc", false, ""},
	{"ab(?C1)cd", false, ""},
	{"[ab]cd", false, "acd|bcd"},
	{"[Ss]oftware", false, "software"},
	{"[^ab]cd", false, "cd"},
	{"[]a]xy", false, "]xy|axy"},
	{"[[:alpha:]]xy", false, "xy"},
	{"[a-c]xy", false, "xy"},
	{"[\\]]xy", false, "]xy"},
	{"\\x{4e91}计算", true, "云计算"},
	{"\\x41BC", false, "abc"},
	{"\\Qa.b\\E", false, "a.b"},
	{"\\Qa.b\\E+", false, ""},
	{"(?i)café", false, "caf"},
	{"café", false, "café"},
	{"café", true, "caf"},
	{"(?i:é)ab|xyz", false, "ab|xyz"},
	{"\u212Aelvin", false, "kelvin"},
	{"\u017Fun", true, "sun"},
	{"(?:Mr|Ms)\\. Smith", false, "mr. smith|ms. smith"},
	{"(a|b)(c|d)", false, "ac|ad|bc|bd"},
	{"(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q)xy", false, "xy"},
	{"(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p)xy", false, "axy|bxy|cxy|dxy|exy|fxy|gxy|hxy|ixy|jxy|kxy|lxy|mxy|nxy|oxy|pxy"},
	{"\\p{Han}+云", false, "云"},
	{"\\p{Han}+云服", false, "云服"},
	{"a(?#comment)b", false, "ab"},
	{"a(?#comment)*b", false, ""},
	{"(?|(ab)|(cd))", false, "ab|cd"},
	{"(?>abc|abd)", false, "abc|abd"},
	{"x*abc|abc", false, "abc"},
	{"(?:abc|abcdef)", false, "abc"},
	{"saas|sa", false, "sa"},
	{"(\\Qa)b\\E)c", false, "a)bc"},
	{"(?:(?i)xy)éa", false, "xyéa"},   /* (?i) ends with its group */
	{"(?i)xyéa", false, "xy"},
	{"ab(?i)cd|éf", false, ""},        /* (?i) carries into later branches */
	{"x[^\\]]yz", false, "yz"},
	{"[a\\]b]{2}c", false, "]c|ac|bc"},
	{"a(?=b)c", false, "ac"},          /* zero-width: the run goes on */
	{"a\\tb", false, "a\tb"},
	{"\\x{212A}elvin", true, "kelvin"},
	{"(ab", false, ""},
	{"ab)", false, ""},
	{"[ab", false, ""},
	{"ab\\", false, ""},
};

START_TEST(test_table)
{
	const char *got = atoms_of(table[_i].pat, table[_i].caseless);

	ck_assert_msg(!strcmp(got, table[_i].want),
		      "pattern %s (caseless %d): got {%s}, want {%s}",
		      table[_i].pat, table[_i].caseless, got, table[_i].want);
}
END_TEST

START_TEST(test_long_literal)
{
	char pat[5000];
	const char *got;

	memset(pat, 'q', sizeof(pat) - 1);
	pat[sizeof(pat) - 1] = '\0';
	got = atoms_of(pat, false);
	ck_assert_uint_ge(strlen(got), 2);
	ck_assert_ptr_null(strchr(got, '|'));

	memset(pat, '(', sizeof(pat) - 1);
	got = atoms_of(pat, false); /* too deep, and unbalanced */
	ck_assert_str_eq(got, "");
}
END_TEST

START_TEST(test_big_alternation)
{
	char pat[60000];
	size_t used = 0;
	dts_arena arena = {0};
	char **v;
	int k, n;

	for (k = 0; k < 3000; k++)
		used += (size_t)snprintf(pat + used, sizeof(pat) - used,
					 "%sw%04d", k ? "|" : "", k);
	n = dts__regex_atoms(&v, &arena, pat, true);
	ck_assert_int_eq(n, 3000);
	dts__arena_free(&arena);
}
END_TEST

/* ---- differential -------------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* A pattern AST just rich enough to sample subjects from. */
enum { N_LEAF, N_SEQ, N_ALT, N_GROUP, N_LOOK, N_QUANT };

typedef struct tnode {
	int kind;
	char text[24];         /* leaf: pattern text; group: opener */
	const char *samp[6];   /* leaf: strings it can match */
	int nsamp;
	int min, max;          /* quantifier; max -1 = unbounded */
	char qtext[12];
	struct tnode *kids[4];
	int nkids;
} tnode;

static tnode pool[4096];
static int npool, ngroup;

static const struct {
	const char *text;
	const char *samp[4];
} leaves[] = {
	{"a", {"a", "A"}}, {"b", {"b", "B"}}, {"c", {"c"}},
	{"A", {"A", "a"}}, {"B", {"B"}}, {"k", {"k", "K", "\u212A"}},
	{"K", {"K", "k", "\u212A"}}, {"s", {"s", "S", "\u017F"}},
	{"S", {"S", "s"}}, {"云", {"云"}}, {"计", {"计"}},
	{"é", {"é", "É"}}, {"É", {"É", "é"}}, {"\u212A", {"\u212A", "k", "K"}},
	{"\u017F", {"\u017F", "s", "S"}}, {"\uFF21", {"\uFF21", "\uFF41"}},
	{"\\.", {"."}}, {"\\-", {"-"}}, {"\\(", {"("}}, {"\\|", {"|"}},
	{".", {"a", "云", "x", "."}}, {"\\d", {"1", "7"}},
	{"\\w", {"a", "Z", "_"}}, {"\\s", {" "}}, {"\\W", {"-", " "}},
	{"[ab]", {"a", "b", "A"}}, {"[^a]", {"b", "云"}}, {"[a-c]", {"b", "C"}},
	{"[Kk]", {"k", "K", "\u212A"}}, {"[[:alpha:]]", {"q", "A"}},
	{"[]a]", {"]", "a"}}, {"[\\]b]", {"]", "b"}}, {"[a\\-]", {"-", "a"}},
	{"\\b", {""}}, {"\\B", {""}}, {"^", {""}}, {"$", {""}},
	{"(?i)", {""}}, {"(?-i)", {""}}, {"\\Qa.b\\E", {"a.b", "A.B"}},
	{"\\x{4e91}", {"云"}}, {"\\x41", {"A", "a"}}, {"\\t", {"\t"}},
	{"{", {"{"}}, {"}", {"}"}}, {"x{y}", {"x{y}"}}, {"]", {"]"}},
	{"\\x{e9}", {"é", "É"}}, {"\\p{Han}", {"云", "计"}}, {"\\Q)|\\E", {")|"}},
	{"(?#c)", {""}}, {"a{,2}", {"a{,2}", "aa"}}, {"[\\x{4e91}b]", {"云", "b"}},
	{"ab", {"ab", "AB", "aB"}}, {"云计", {"云计"}}, {"sk", {"sk", "\u017F\u212A"}},
};

static const char *quants[] = {"?", "*", "+", "{2}", "{1,3}", "{0,2}", "{2,}", "{1}"};
static const int qmin[] = {0, 0, 1, 2, 1, 0, 2, 1};
static const int qmax[] = {1, -1, -1, 2, 3, 2, -1, 1};

static tnode *new_node(int kind)
{
	tnode *t;

	ck_assert_int_lt(npool, (int)(sizeof(pool) / sizeof(pool[0])));
	t = &pool[npool++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	return t;
}

static tnode *gen_alt(int depth);

static tnode *gen_item(int depth)
{
	tnode *t, *q;
	int r = (int)rnd(100), k;

	if (depth > 0 && r < 22) {
		static const char *openers[] = {"(", "(?:", "(?i:", "(?>", "(?|", "(?<g"};
		t = new_node(N_GROUP);
		k = (int)rnd(6);
		if (k == 5)
			snprintf(t->text, sizeof(t->text), "(?<g%d>", ngroup++);
		else
			snprintf(t->text, sizeof(t->text), "%s", openers[k]);
		t->kids[t->nkids++] = gen_alt(depth - 1);
	} else if (depth > 0 && r < 27) {
		static const char *looks[] = {"(?=", "(?!", "(?<=", "(?<!"};
		t = new_node(N_LOOK);
		snprintf(t->text, sizeof(t->text), "%s", looks[rnd(4)]);
		t->kids[t->nkids++] = gen_alt(0);
	} else {
		t = new_node(N_LEAF);
		k = (int)rnd(sizeof(leaves) / sizeof(leaves[0]));
		snprintf(t->text, sizeof(t->text), "%s", leaves[k].text);
		for (t->nsamp = 0; t->nsamp < 4 && leaves[k].samp[t->nsamp]; t->nsamp++)
			t->samp[t->nsamp] = leaves[k].samp[t->nsamp];
	}
	if (t->kind != N_LOOK && rnd(100) < 25) {
		static const char *suffix[] = {"", "", "?", "+"};
		k = (int)rnd(8);
		q = new_node(N_QUANT);
		q->min = qmin[k];
		q->max = qmax[k];
		snprintf(q->qtext, sizeof(q->qtext), "%s%s", quants[k], suffix[rnd(4)]);
		q->kids[q->nkids++] = t;
		t = q;
	}
	return t;
}

static tnode *gen_seq(int depth)
{
	tnode *t = new_node(N_SEQ);
	int n = 1 + (int)rnd(4);

	while (t->nkids < n)
		t->kids[t->nkids++] = gen_item(depth);
	return t;
}

static tnode *gen_alt(int depth)
{
	tnode *t = new_node(N_ALT);
	int n = rnd(3) ? 1 : 2 + (int)rnd(3);

	while (t->nkids < n)
		t->kids[t->nkids++] = gen_seq(depth);
	return t;
}

static void cat(char *buf, size_t size, const char *s)
{
	size_t used = strlen(buf);

	snprintf(buf + used, size - used, "%s", s);
}

static void render(const tnode *t, char *buf, size_t size)
{
	int k;

	switch (t->kind) {
	case N_LEAF:
		cat(buf, size, t->text);
		break;
	case N_SEQ:
		for (k = 0; k < t->nkids; k++)
			render(t->kids[k], buf, size);
		break;
	case N_ALT:
		for (k = 0; k < t->nkids; k++) {
			if (k)
				cat(buf, size, "|");
			render(t->kids[k], buf, size);
		}
		break;
	case N_GROUP: case N_LOOK:
		cat(buf, size, t->text);
		render(t->kids[0], buf, size);
		cat(buf, size, ")");
		break;
	case N_QUANT:
		render(t->kids[0], buf, size);
		cat(buf, size, t->qtext);
		break;
	}
}

static void sample(const tnode *t, char *buf, size_t size)
{
	int k, n;

	switch (t->kind) {
	case N_LEAF:
		cat(buf, size, t->samp[rnd((uint32_t)t->nsamp)]);
		break;
	case N_SEQ:
		for (k = 0; k < t->nkids; k++)
			sample(t->kids[k], buf, size);
		break;
	case N_ALT:
		sample(t->kids[rnd((uint32_t)t->nkids)], buf, size);
		break;
	case N_GROUP:
		sample(t->kids[0], buf, size);
		break;
	case N_LOOK: /* sometimes satisfy a lookahead by accident */
		break;
	case N_QUANT:
		n = t->min + (int)rnd(3);
		if (t->max >= 0 && n > t->max)
			n = t->max;
		for (k = 0; k < n; k++)
			sample(t->kids[0], buf, size);
		break;
	}
}

static void noise(char *buf, size_t size)
{
	static const char *alpha[] = {"a", "B", "k", "s", "云", "x", " ", "é", "\u212A", "1"};
	int k, n = (int)rnd(4);

	for (k = 0; k < n; k++)
		cat(buf, size, alpha[rnd(10)]);
}

static size_t local_fold(char *out, const char *in, size_t len)
{
	return dts__fold_lower(out, in, len);
}

typedef struct diff_stats {
	long compiled, with_atoms, matches, checked;
} diff_stats;

static void check_subjects(const char *pat, bool caseless, pcre2_code *re,
			   const tnode *root, diff_stats *st)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	dts_arena arena = {0};
	char **atoms, subj[2048], folded[2048];
	int n, k, j, rc;

	n = dts__regex_atoms(&atoms, &arena, pat, caseless);
	dts_loop_assert(n >= 0, "atoms of /%s/: %d", pat, n);
	st->with_atoms += n > 0;
	for (k = 0; k < 24; k++) {
		bool found = false;

		subj[0] = '\0';
		noise(subj, sizeof(subj));
		sample(root, subj, sizeof(subj));
		if (rnd(4) == 0)
			sample(root, subj, sizeof(subj));
		noise(subj, sizeof(subj));
		if (strlen(subj) >= sizeof(subj) - 1)
			continue; /* truncated, maybe inside a character */
		rc = pcre2_match(re, (PCRE2_SPTR)subj, strlen(subj), 0, 0, md, NULL);
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
			continue; /* a pathological random pattern */
		dts_loop_assert(rc >= 0 || rc == PCRE2_ERROR_NOMATCH,
			      "pcre2_match %d on /%s/ '%s'", rc, pat, subj);
		if (rc < 0)
			continue;
		st->matches++;
		if (n == 0)
			continue;
		st->checked++;
		local_fold(folded, subj, strlen(subj));
		for (j = 0; j < n && !found; j++)
			found = strstr(folded, atoms[j]) != NULL;
		dts_loop_assert(found, "/%s/%s matches '%s' but no atom (first %s)",
			      pat, caseless ? "i" : "", subj, atoms[0]);
	}
	pcre2_match_data_free(md);
	dts__arena_free(&arena);
}

START_TEST(test_differential)
{
	diff_stats st = {0};
	char pat[1024];
	int round;

	rng_state = 0x9E3779B97F4A7C15ull;
	for (round = 0; round < 32000; round++) {
		bool caseless = rnd(2);
		tnode *root;
		pcre2_code *re;
		int err;
		PCRE2_SIZE off;

		npool = ngroup = 0;
		root = gen_alt(3);
		pat[0] = '\0';
		render(root, pat, sizeof(pat));
		re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				   PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0),
				   &err, &off, NULL);
		if (!re)
			continue;
		st.compiled++;
		check_subjects(pat, caseless, re, root, &st);
		pcre2_code_free(re);
	}
	/* the test has teeth only if enough cases reach the assertion */
	ck_assert_int_ge(st.compiled, 20000);
	ck_assert_int_ge(st.with_atoms, 5000);
	ck_assert_int_ge(st.checked, 50000);
}
END_TEST

static Suite *atoms_suite(void)
{
	Suite *s = suite_create("atoms");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_table, 0,
			    (int)(sizeof(table) / sizeof(table[0])));
	tcase_add_test(tc, test_long_literal);
	tcase_add_test(tc, test_big_alternation);
	tcase_add_test(tc, test_differential);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(atoms_suite());
}
