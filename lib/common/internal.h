/*
 * internal.h — shared by the library's source files, never installed.
 *
 * The error setter; the one whole-file reader; the one hash (hash.h); the
 * 128-bit form of exact amounts; the rule AST the loader
 * (rules/rules_xml.c) builds and the compiler (rules/rules.c), scanner
 * (scan/scanner.c) and linter (rules/lint.c) read, and the arena that owns
 * it. Paths in this file are relative to lib/.
 */
#ifndef DTS_INTERNAL_H
#define DTS_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "dts.h"
#include "hash.h"

/* ---- errors (common/error.c) ------------------------------------------- */

/* Record an error for this thread and return `code`. file may be NULL. */
int dts__error(int code, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- threads (common/thread.c) ---------------------------------------- */

/* pthread_create(th, NULL, fn, arg) with every signal blocked in the new
 * thread, so that process signals reach the caller's threads only (what a
 * program's handlers expect of a library). pthread_create's result. */
int dts__thread_start(pthread_t *th, void *(*fn)(void *), void *arg);

/* ---- exact percentages (stats/percent.c) ------------------------------ */

/* 100 * num / den at 10^-DTS_AMOUNT_DECIMALS, truncated toward zero, with
 * *inexact 1 when digits were cut off (so "> goal" can be decided
 * exactly); the core of dts_amount_percent(). DTS_EINVAL for den 0,
 * DTS_EOVERFLOW past the amount range. */
int dts__amount_percent(dts_amount *out, int *inexact, const dts_amount *num,
			const dts_amount *den);

/* ---- whole files (common/file.c) --------------------------------------- */

/* path must stay inside dir: relative, no "..", no symlink at any step. */
#define DTS__READ_BENEATH 0x1u
/* "-" is standard input (left open), and a FIFO, device or socket is read
 * to its end, its open waiting for a writer like any reader's: for inputs
 * a user may pipe in. Directories are still refused. Not with BENEATH. */
#define DTS__READ_STREAM 0x2u

/*
 * Read the whole regular file `path` (relative to `dir` with
 * DTS__READ_BENEATH, else as given) into a malloc'd NUL-terminated buffer.
 * Never blocks on a FIFO; refuses anything not a regular file (unless
 * DTS__READ_STREAM), and files over max bytes (DTS_ELIMIT). Errors name the path and are reported at
 * efile:eline:ecol (efile NULL: at the path itself). The one reader of
 * whole files in the library: use it, do not fopen.
 */
int dts__read_file(char **out, size_t *len, const char *dir, const char *path,
		   unsigned flags, size_t max, const char *efile,
		   unsigned eline, unsigned ecol);

/* ---- text -------------------------------------------------------------- */

/* ASCII white space as isspace() has it in the C locale, without the
 * locale: what normalising trims (field.c), and what the checks and the
 * period parser skip, which must agree with it. */
static inline int dts__is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Number of LF bytes in b[0..len): readers keep line numbers with it. */
static inline uint64_t dts__count_nl(const char *b, size_t len)
{
	const char *p = b, *e = b + len;
	uint64_t n = 0;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* ---- exact amounts (stats/amount.c) ------------------------------------ */

__extension__ typedef __int128 dts__i128;
__extension__ typedef unsigned __int128 dts__u128;

/* A dts_amount as the 128-bit integer it stands for, and back. */
static inline dts__i128 dts__amount_get(const dts_amount *a)
{
	return (dts__i128)(((dts__u128)(uint64_t)a->hi << 64) | a->lo);
}

static inline void dts__amount_set(dts_amount *a, dts__i128 v)
{
	a->lo = (uint64_t)(dts__u128)v;
	a->hi = (int64_t)(v >> 64);
}

/* *acc += v, or DTS_EOVERFLOW with *acc unchanged: the one exact
 * accumulation of amounts, money sums and cube cells. */
static inline int dts__add128(dts__i128 *acc, dts__i128 v)
{
	dts__i128 r;

	if (__builtin_add_overflow(*acc, v, &r))
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "amount sum overflows 128 bits");
	*acc = r;
	return 0;
}

/* ---- libxml2 (common/xml.c) -------------------------------------------- */

/* Initialise libxml2 once per process; call before any parse. */
void dts__xml_init(void);

/* Silence libxml2's printing generic error function in this thread for
 * the duration of a parse, then give the caller's back (common/xml.c). */
typedef struct dts_xml_saved {
	void (*func)(void);
	void *ctx;
} dts_xml_saved;
void dts__xml_quiet(dts_xml_saved *saved);
void dts__xml_restore(const dts_xml_saved *saved);

/* ---- arena (common/arena.c): many small blocks freed at once ----------- */

typedef struct dts_arena {
	struct dts_arena_block *head;
} dts_arena;

void *dts__arena_alloc(dts_arena *a, size_t size); /* zeroed, 16-aligned; NULL on ENOMEM */
char *dts__arena_strndup(dts_arena *a, const char *s, size_t len);
char *dts__arena_strdup(dts_arena *a, const char *s);
void dts__arena_free(dts_arena *a);

/* ---- growable pointer array -------------------------------------------- */

typedef struct dts_vec {
	void **items;
	size_t len, cap;
} dts_vec;

int dts__vec_push(dts_vec *v, void *item); /* 0 or DTS_ENOMEM */

/* Grow the array *p of *cap elements of `elem` bytes (doubling, from 16)
 * until it holds `need`; 0, or DTS_ENOMEM with the error set. */
int dts__grow(void **p, size_t *cap, size_t need, size_t elem);
void dts__vec_free(dts_vec *v);            /* frees the array, not the items */

/* ---- the rule AST ------------------------------------------------------ */

typedef enum dts_node_kind {
	DTS_N_ALL,      /* every kid matches */
	DTS_N_ANY,      /* some kid matches */
	DTS_N_NOT,      /* the single kid does not match */
	DTS_N_IN,       /* field equals one of values (<eq> has one value) */
	DTS_N_PREFIX,   /* field starts with one of values */
	DTS_N_RANGE,    /* lo <= field <= hi, each compared on the bound's length */
	DTS_N_REGEX,    /* PCRE2 pattern finds a match in field */
	DTS_N_CONTAINS, /* field contains one of values as a substring */
	DTS_N_PRESENT,  /* field is not empty */
	DTS_N_EMPTY,    /* field is empty */
	DTS_N_AMOUNT    /* the value field, parsed as money, compares with amount */
} dts_node_kind;

typedef enum dts_amount_op {
	DTS_OP_LT, DTS_OP_LE, DTS_OP_GT, DTS_OP_GE, DTS_OP_EQ, DTS_OP_NE
} dts_amount_op;

typedef struct dts_node {
	dts_node_kind kind;
	unsigned line, col;     /* position of the element */
	const char *elem;       /* element name as written ("eq", "in" ...) */
	int field;              /* dts_field for leaves; -1 for combinators */

	struct dts_node **kids; /* ALL, ANY, NOT */
	size_t nkids;

	/*
	 * IN, PREFIX, CONTAINS: the values, already normalised as the field
	 * is (dts_field_normalize). For text fields, IN compares ASCII
	 * caseless: its values are stored lower-cased. CONTAINS stores them
	 * lower-cased when caseless. IN values are sorted (strcmp) and unique.
	 */
	char **values;
	size_t *lens;
	size_t nvalues;
	const char *list;       /* list id when the values came from a list file */
	/*
	 * CONTAINS except="...": longer terms, normalised as the values are;
	 * an occurrence of a value that lies inside an occurrence of one of
	 * them does not count (数字人 inside 数字人民币).
	 */
	char **except;
	size_t *except_lens;
	size_t nexcept;

	char *lo, *hi;          /* RANGE bounds, normalised */

	char *pattern;          /* REGEX source as written */
	pcre2_code *re;         /* REGEX compiled (UTF, JIT when enabled) */
	bool jit;               /* REGEX: JIT code exists, match with pcre2_jit_match */
	bool caseless;          /* REGEX, CONTAINS */

	dts_amount_op op;       /* AMOUNT */
	dts_money amount;
} dts_node;

typedef struct dts_example {
	unsigned line;
	const char *expect;     /* expected category code */
	dts_value *values;      /* raw (not normalised) field values */
	size_t nvalues;
} dts_example;

typedef struct dts_rule {
	const char *id;
	const char *category;   /* code as written */
	int category_index;     /* filled by the compiler */
	int priority;
	int base;               /* dts_base, or -1 when not set */
	int ordered, delivered, platform; /* 1, 0, or -1 when not set */
	const char *file;
	unsigned line;
	const char *source;     /* <source> texts joined with "; ", or "" */
	dts_node *cond;         /* one node; several conditions are wrapped in ALL */
	dts_example *examples;
	size_t nexamples;
	size_t written;         /* written order across all files, from 0 */
	const char *review;     /* review="..." reason, or NULL: results need no review */
	int dimension;          /* dts_dimension: DTS_DIM_SOLD for category rules */
	int evidence;           /* dimension rules: the dts_delivery_evidence /
				   dts_order_evidence / 1 yes 2 no they give */
	uint32_t fields;        /* bit f: the rule tests field f for a value,
				   outside <not> and <empty> (compiler) */
} dts_rule;

typedef struct dts_category {
	const char *code;
	const char *top;        /* part before the first '.' */
	const char *zh, *en;
	const char *file;
	unsigned line;
	const char *def_zh, *def_en; /* <definition lang=...> texts, or NULL */
} dts_category;

/*
 * What the loader produces: rules and categories in written order, all
 * memory in `arena` except the pcre2 codes, listed in `regexes`.
 */
typedef struct dts_rulebook {
	dts_arena arena;
	dts_vec rules;          /* dts_rule *, written order */
	dts_vec categories;     /* dts_category *, declaration order */
	dts_vec regexes;        /* pcre2_code *, to free */
	dts_vec files;          /* const char * (arena), file names loaded */
	const char *id, *version; /* of the first classifier loaded */
	pcre2_match_context *mctx; /* limits for every match */
	dts_vec bands;          /* dts_band_info * (dts/standard.h), <standard> order */
	dts_vec decisions;      /* dts_decision_info *, <standard> order */
	struct dts__model_use *model; /* the <model> element, or NULL (rules/model_use.c) */
} dts_rulebook;

/*
 * Loader (rules/rules_xml.c). Appends the rules and categories of one classifier
 * to `book`. Validates against the embedded RELAX NG schema unless
 * DTS_RULES_NO_SCHEMA; refuses DTDs and entities; checks that every field
 * is canonical, every regex compiles, every enum attribute is valid.
 * Does NOT check categories or duplicate ids across files: the compiler
 * does. Errors carry file:line:col.
 */
int dts__load_file(dts_rulebook *book, const char *path,
		   const dts_rules_options *opts);
int dts__load_buffer(dts_rulebook *book, const char *name,
		     const char *basedir, const char *xml, size_t len,
		     const dts_rules_options *opts);

/* The RELAX NG schema, embedded at build time (schema_data.c). */
extern const char dts__schema_rng[];
extern const size_t dts__schema_rng_len;

/*
 * Run a <regex> node's pattern on subject s the way classification does:
 * with its JIT code when it has some, else the interpreter, under the rule
 * set's limits. The scanner and the loader's trial run both call this, so
 * what `dts-rules check` accepts is what classification runs.
 */
static inline int dts__regex_exec(const dts_node *n, const char *s,
				  size_t len, pcre2_match_data *md,
				  pcre2_match_context *mctx)
{
	/* Values are valid UTF-8 by now; the JIT entry skips every check. */
	return n->jit ? pcre2_jit_match(n->re, (PCRE2_SPTR)s, len, 0, 0, md,
					mctx) :
		pcre2_match(n->re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK,
			    md, mctx);
}

/* ---- regex atoms (rules/atoms.c) --------------------------------------- */

/*
 * Literal atoms of a PCRE2 pattern: a set of strings such that any subject
 * the pattern matches contains at least one of them (lower-cased ASCII,
 * since the prefilter scans lower-cased text). Returns the number of atoms
 * (>0) with *out an array of NUL-terminated strings allocated in `arena`,
 * 0 when the pattern has no usable atom (the rule is then unindexed), or
 * DTS_ENOMEM. Conservative: when in doubt, returns 0.
 */
int dts__regex_atoms(char ***out, dts_arena *arena, const char *pattern,
		     bool caseless);

/*
 * Length of the leading verbs of `pattern` that only say how text is read
 * ((*UTF) (*UCP) (*CR) (*LF) (*CRLF) (*ANYCRLF) (*ANY) (*NUL)
 * (*BSR_ANYCRLF) (*BSR_UNICODE)): the only leading verbs a rule may use.
 */
size_t dts__regex_text_verbs(const char *pattern);

/* ---- Aho-Corasick automaton (rules/aho.c) ------------------------------ */

typedef struct dts_aho dts_aho;

/* Build an automaton over `n` patterns; pattern i reports id ids[i]. */
int dts__aho_build(dts_aho **out, const char *const *pats, const size_t *lens,
		   const uint32_t *ids, size_t n);
void dts__aho_free(dts_aho *a);

/* The automaton's non-empty patterns, bytewise sorted (k < npatterns), and
 * its number of states: for benchmarks and tests. */
size_t dts__aho_npatterns(const dts_aho *a);
void dts__aho_pattern(const char **s, size_t *len, uint32_t *id,
		      const dts_aho *a, size_t k);
size_t dts__aho_states(const dts_aho *a);

/*
 * Scan text; call hit(id, payload) for every occurrence of every pattern
 * (an id may be reported more than once). Allocation-free.
 */
void dts__aho_scan(const dts_aho *a, const char *text, size_t len,
		   void (*hit)(uint32_t id, void *payload), void *payload);

/* dts_money_parse_scaled without its fast path for plain ASCII decimals
 * (common/money.c): the reference the fast path is tested against. */
int dts__money_parse_general(dts_money *out, char currency[DTS_CURRENCY_SIZE],
			     const char *s, size_t len, int exp);

/* ---- normalisation helpers (record/field.c) ---------------------------- */

/*
 * Prefilter folding: ASCII upper to lower, and the two non-ASCII
 * characters PCRE2 folds onto ASCII letters in caseless UTF mode
 * (U+212A KELVIN SIGN -> 'k', U+017F LONG S -> 's'). Output never longer
 * than input; out must hold len + 1 bytes.
 */
size_t dts__fold_lower(char *out, const char *in, size_t len);
/* A column header's lookup key as dts_field_alias() compares it (BOM and
 * blanks dropped, full-width folded, ASCII lower-cased, runs of blanks,
 * '_' and '-' one '_'); its length, or 0 when empty or over cap - 1. */
size_t dts__header_key(char *key, size_t cap, const char *h, size_t len);

/*
 * Text folding of a text field, after dts_field_normalize() (DESIGN:
 * normalisation; docs/rule-language.md "Normalisation"). Records, rule
 * values and examples go through the same two steps, so they compare equal.
 *
 * dts__text_t2s: traditional Chinese to simplified, phrase by phrase, with
 * OpenCC's tw2sp configuration (Taiwan phrases and variants to mainland
 * simplified: 軟體 -> 软件, 資料 -> 数据, 伺服器 -> 服务器). Only a text that
 * holds a traditional character (lib/record/trad_set.h) or a character
 * outside the BMP is converted; any other text is left alone (returns 0,
 * *out untouched), which keeps simplified text, ASCII and codes off the
 * converter. Returns 1 with *out a malloc'd NUL-terminated string of
 * *outlen bytes (the caller frees it), DTS_ENOMEM, or DTS_EIO when the
 * OpenCC configuration cannot be loaded (message from OpenCC). The
 * converter is opened once per process (pthread_once) and shared; OpenCC
 * keeps no per-call state in it and its maintainer states a converter may
 * be shared between threads (BYVoid/OpenCC#231, covered by its unit tests),
 * so this is thread-safe (dts-classify -j 4 gives the -j 1 output).
 *
 * dts__text_fold_inplace: the variants (帐 -> 账) and spaces inside CJK
 * text: a run of ASCII blanks between two CJK ideographs goes ("数据 标注"
 * -> "数据标注"). Never longer than its input; returns the new length.
 * Pure, thread-safe.
 */
int dts__text_t2s(const char *in, size_t len, char **out, size_t *outlen);
/* dts__needs_t2s: 1 when dts__text_t2s would convert the valid UTF-8 at
 * in; reference: the character walk the fast scan is held to (tests). */
int dts__needs_t2s(const char *in, size_t len, int reference);
size_t dts__text_fold_inplace(char *s, size_t len);

/* The rule set a scanner was made for (scan/scanner.c), or NULL. */
const dts_rules *dts__scanner_rules(const dts_scanner *s);

/* One period of one annex indicator, from the report-by-period grid
 * (lib/report/periods.c): the exact value and its year-on-year growth as
 * dts_report_period_table() shows it ("" or "not comparable"). */
struct dts_report;
struct dts_cube;
typedef struct dts__period_point {
	int have;                 /* the column exists */
	dts_amount value;         /* exact, base units */
	char growth[64];
} dts__period_point;
/* For each of the nids indicators ids[k] and the years year (y 0) and
 * year - 1 (y 1), out[(k * 2 + y) * 13 + m - 1] gets the column ending in
 * month m (a month, or 1-m月 for DTS_REPORT_BY_YTD) and [... + 12] the
 * year's not-allocated cell: one grid, one walk of the cube. Errors
 * those of dts_report_period_table(), DTS_ENOTFOUND (an unknown id). */
int dts__report_period_points(dts__period_point *out,
			      const struct dts_report *r,
			      const struct dts_cube *cube, int by, int year,
			      const char *const *ids, size_t nids);

#endif
