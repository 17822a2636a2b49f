/*
 * load.c — reading a model file (docs/rule-language.md "The model file")
 * and turning its counts into weights.
 *
 *   dts-model 1
 *   kind mnb|cnb
 *   alpha A.AAA          additive smoothing
 *   min-count N          the pruning training used (kept for the record)
 *   min-records N
 *   records N            records trained on
 *   classes N            then N lines "c<TAB>CODE<TAB>RECORDS", codes ascending
 *   features N           then N lines "f<TAB>KEY<TAB>C:N C:N ...", keys ascending
 *   end
 *
 * Every error names the file and line.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

#define MODEL_MAX_FILE ((size_t)256 << 20)

typedef struct parser {
	const char *name;
	const char *p, *end;
	unsigned line;
	char *cur;            /* the current line, NUL-terminated (a copy) */
	size_t curcap;
} parser;

static int bad(parser *ps, const char *what)
{
	return dts__error(DTS_ESYNTAX, ps->name, ps->line, 0, "model file: %s", what);
}

/* The next line into ps->cur; 0 at the end of input. */
static int next_line(parser *ps)
{
	const char *nl;
	size_t n;

	if (ps->p >= ps->end)
		return 0;
	nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
	n = nl ? (size_t)(nl - ps->p) : (size_t)(ps->end - ps->p);
	if (n + 1 > ps->curcap) {
		char *c = realloc(ps->cur, n + 1);

		if (!c)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		ps->cur = c;
		ps->curcap = n + 1;
	}
	memcpy(ps->cur, ps->p, n);
	ps->cur[n] = '\0';
	ps->line++; /* before the check: its error names this line */
	if (memchr(ps->cur, '\0', n) || (n && ps->cur[n - 1] == '\r'))
		return bad(ps, "a NUL byte or CR in a line");
	ps->p += n + (nl != NULL);
	return 1;
}

/* A decimal number 0..max from s, to *end. */
static int number(unsigned long long *out, const char *s, const char **end,
		  unsigned long long max)
{
	unsigned long long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	*end = p;
	return 0;
}

/* "WORD N" exactly. */
static int header_num(parser *ps, const char *word, unsigned long long *out,
		      unsigned long long max)
{
	size_t w = strlen(word);
	const char *e;
	int rc;
	char msg[96];

	snprintf(msg, sizeof(msg), "expected \"%s N\"", word);
	if ((rc = next_line(ps)) <= 0)
		return rc < 0 ? rc : bad(ps, "the file ends early");
	if (strncmp(ps->cur, word, w) || ps->cur[w] != ' ' ||
	    number(out, ps->cur + w + 1, &e, max) < 0 || *e)
		return bad(ps, msg);
	return 0;
}

static int head(parser *ps, dts_model *m, unsigned *alpha)
{
	unsigned long long v, frac;
	const char *e;
	int rc;

	if ((rc = next_line(ps)) <= 0)
		return rc < 0 ? rc : bad(ps, "empty file, not a model");
	if (strncmp(ps->cur, "dts-model ", 10))
		return bad(ps, "not a model file (no \"dts-model 1\" line)");
	if (strcmp(ps->cur + 10, "1"))
		return bad(ps, "unknown model version (this library reads 1)");
	if ((rc = next_line(ps)) <= 0)
		return rc < 0 ? rc : bad(ps, "the file ends early");
	if (!strcmp(ps->cur, "kind mnb"))
		m->kind = DTS_MODEL_MNB;
	else if (!strcmp(ps->cur, "kind cnb"))
		m->kind = DTS_MODEL_CNB;
	else
		return bad(ps, "expected \"kind mnb\" or \"kind cnb\"");
	if ((rc = next_line(ps)) <= 0)
		return rc < 0 ? rc : bad(ps, "the file ends early");
	if (strncmp(ps->cur, "alpha ", 6) || number(&v, ps->cur + 6, &e, 1000) < 0 ||
	    *e != '.' || strlen(e + 1) != 3 || number(&frac, e + 1, &e, 999) < 0 || *e)
		return bad(ps, "expected \"alpha N.NNN\" (three decimals)");
	*alpha = (unsigned)(v * 1000 + frac);
	if (!*alpha)
		return bad(ps, "alpha must be above 0");
	if ((rc = header_num(ps, "min-count", &v, UINT32_MAX)) < 0 ||
	    (rc = header_num(ps, "min-records", &v, UINT32_MAX)) < 0 ||
	    (rc = header_num(ps, "records", &v, UINT32_MAX)) < 0)
		return rc;
	if (!v)
		return bad(ps, "records must be above 0");
	if ((rc = header_num(ps, "classes", &v, 1000000)) < 0)
		return rc;
	if (v < 2)
		return bad(ps, "a model needs at least 2 classes");
	if (v > DTS_MODEL_MAX_CLASSES)
		return dts__error(DTS_ELIMIT, ps->name, ps->line, 0,
				  "model file: %llu classes, at most %d", v, DTS_MODEL_MAX_CLASSES);
	m->ncls = (size_t)v;
	return 0;
}

static int key_ok(const char *k, size_t n)
{
	if (!n || n > DTS__MODEL_KEY_MAX || !memchr(k, ':', n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)k[i] <= ' ')
			return 0;
	return dts_utf8_valid(k, n, NULL);
}

static int classes(parser *ps, dts_model *m, double *recs)
{
	double total = 0;
	size_t i;
	int rc;

	if (!(m->cls = dts__arena_alloc(&m->arena, m->ncls * sizeof(*m->cls))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (i = 0; i < m->ncls; i++) {
		unsigned long long v;
		const char *e, *tab;

		if ((rc = next_line(ps)) <= 0)
			return rc < 0 ? rc : bad(ps, "the file ends early");
		tab = ps->cur[0] == 'c' && ps->cur[1] == '\t' ? strchr(ps->cur + 2, '\t') : NULL;
		if (!tab || tab == ps->cur + 2 ||
		    number(&v, tab + 1, &e, UINT32_MAX) < 0 || *e || !v)
			return bad(ps, "expected \"c<TAB>CODE<TAB>RECORDS\" (RECORDS above 0)");
		if (!(m->cls[i] = dts__arena_strndup(&m->arena, ps->cur + 2,
						     (size_t)(tab - ps->cur - 2))))
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		for (const char *c = m->cls[i]; *c; c++)
			if ((unsigned char)*c <= ' ')
				return bad(ps, "a class code with a blank");
		if (i && strcmp(m->cls[i - 1], m->cls[i]) >= 0)
			return bad(ps, "classes out of order or repeated (byte order, each once)");
		recs[i] = (double)v;
		total += (double)v;
	}
	for (i = 0; i < m->ncls; i++)
		m->prior[i] = log(recs[i] / total);
	return 0;
}

/*
 * What weigh() needs besides the counts: each feature's total nf[f] and
 * each class's nc[c], added as doubles of the float counts in the order
 * a pass over the dense rows would add them (features, then classes,
 * ascending), so the same doubles even past 2^53.
 */
typedef struct totals {
	double nc[DTS_MODEL_MAX_CLASSES];
	double *nf;
} totals;

/* One "f<TAB>KEY<TAB>C:N ..." line into row i of m->w (zeroed). */
static int feature_line(parser *ps, dts_model *m, size_t i, totals *t)
{
	const char *key = ps->cur + 2, *tab, *p;
	float *row = &m->w[i * m->ncls];
	long last = -1;

	if (ps->cur[0] != 'f' || ps->cur[1] != '\t' || !(tab = strchr(key, '\t')))
		return bad(ps, "expected \"f<TAB>KEY<TAB>CLASS:COUNT ...\"");
	if (!key_ok(key, (size_t)(tab - key)))
		return bad(ps, "a feature key must be TAG:TEXT, UTF-8, without blanks, at most 96 bytes");
	if (!(m->keys[i] = dts__arena_strndup(&m->arena, key, (size_t)(tab - key))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (i && strcmp(m->keys[i - 1], m->keys[i]) >= 0)
		return bad(ps, "features out of order or repeated (byte order, each once)");
	for (p = tab + 1;;) {
		unsigned long long c, n;

		if (number(&c, p, &p, m->ncls - 1) < 0 || *p != ':' ||
		    number(&n, p + 1, &p, UINT32_MAX) < 0 || !n || (long)c <= last)
			return bad(ps, "expected CLASS:COUNT pairs, classes ascending and in range, counts above 0");
		row[c] = (float)n;
		t->nf[i] += row[c];
		t->nc[c] += row[c];
		last = (long)c;
		if (!*p)
			return 0;
		if (*p++ != ' ')
			return bad(ps, "CLASS:COUNT pairs are separated by one space");
	}
}

/*
 * log(k + alpha) for the whole numbers k a weight is made of, each worked
 * out once into v[k] (NAN until then): the same log() of the same double
 * as a call per (feature, class), and ncls times fewer calls. The counts
 * are whole (a float of at most 2^32 is), so are their differences and
 * their sums in doubles (under 2^38 within a feature).
 */
typedef struct logmemo {
	double alpha;
	double *v;
	size_t n;
} logmemo;

static double log_count(logmemo *lm, double k)
{
	double *v;

	if (!(k < (double)lm->n))
		return log(k + lm->alpha);
	v = &lm->v[(size_t)k];
	if (isnan(*v))
		*v = log(k + lm->alpha);
	return *v;
}

/*
 * Counts (held in m->w as floats) to weights, by the kind:
 * CNB -(log(nf - n + alpha) - log(all - nc[c] + alpha * V)),
 * MNB log(n + alpha) - log(nc[c] + alpha * V). The class term is the
 * same for every feature; a class that never saw the feature (n = 0,
 * most of them) takes the feature's log(nf + alpha) in CNB.
 */
static int weigh(dts_model *m, const totals *t, double alpha)
{
	double lc[DTS_MODEL_MAX_CLASSES], all = 0, V = (double)m->nfeat;
	size_t f, c, K = m->ncls, k;
	logmemo lm = {alpha, NULL, 0};

	for (c = 0; c < K; c++)
		all += t->nc[c];
	for (c = 0; c < K; c++)
		lc[c] = m->kind == DTS_MODEL_CNB ? log(all - t->nc[c] + alpha * V) :
						   log(t->nc[c] + alpha * V);
	lm.n = all < 65535 ? (size_t)all + 1 : 65536;
	if (!(lm.v = malloc(lm.n * sizeof(*lm.v))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (k = 0; k < lm.n; k++)
		lm.v[k] = NAN;
	for (f = 0; f < m->nfeat; f++) {
		float *row = &m->w[f * K];
		double nf = t->nf[f], none = log_count(&lm, m->kind == DTS_MODEL_CNB ? nf : 0);

		for (c = 0; c < K; c++) {
			double l = row[c] == 0 ? none :
				   log_count(&lm, m->kind == DTS_MODEL_CNB ? nf - row[c] : row[c]);

			/* CNB: what the other classes say, negated */
			row[c] = m->kind == DTS_MODEL_CNB ? (float)-(l - lc[c]) :
							    (float)(l - lc[c]);
		}
	}
	free(lm.v);
	if (m->kind == DTS_MODEL_CNB)
		for (c = 0; c < K; c++)
			m->prior[c] = 0; /* complement NB decides on the features alone */
	return 0;
}

static int index_keys(dts_model *m)
{
	size_t cap = 16, i;

	while (cap < 2 * m->nfeat)
		cap *= 2;
	if (!(m->slots = calloc(cap, sizeof(*m->slots))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	m->mask = cap - 1;
	for (i = 0; i < m->nfeat; i++) {
		size_t h = (size_t)dts__fnv(m->keys[i], strlen(m->keys[i])) & m->mask;

		while (m->slots[h])
			h = (h + 1) & m->mask;
		m->slots[h] = (uint32_t)i + 1;
	}
	return 0;
}

long dts__model_find(const dts_model *m, const char *key, size_t len)
{
	return dts__model_find_hashed(m, key, len, dts__fnv(key, len));
}

long dts__model_find_hashed(const dts_model *m, const char *key, size_t len,
			    uint64_t hash)
{
	size_t h;

	for (h = (size_t)hash & m->mask; m->slots[h]; h = (h + 1) & m->mask) {
		const char *k = m->keys[m->slots[h] - 1];

		if (!strncmp(k, key, len) && !k[len])
			return (long)m->slots[h] - 1;
	}
	return -1;
}

static int body(parser *ps, dts_model *m)
{
	double recs[DTS_MODEL_MAX_CLASSES];
	unsigned long long nf;
	unsigned alpha = 0;
	totals t = {{0}, NULL};
	size_t i;
	int rc;

	if ((rc = head(ps, m, &alpha)) < 0 || (rc = classes(ps, m, recs)) < 0 ||
	    (rc = header_num(ps, "features", &nf, 50000000)) < 0)
		return rc;
	m->nfeat = (size_t)nf;
	if (!(m->keys = calloc(m->nfeat ? m->nfeat : 1, sizeof(*m->keys))) ||
	    !(m->w = calloc(m->nfeat ? m->nfeat * m->ncls : 1, sizeof(*m->w))) ||
	    !(t.nf = calloc(m->nfeat ? m->nfeat : 1, sizeof(*t.nf))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (i = 0; i < m->nfeat; i++) {
		if ((rc = next_line(ps)) <= 0) {
			rc = rc < 0 ? rc : bad(ps, "the file ends before its features do");
			goto done;
		}
		if ((rc = feature_line(ps, m, i, &t)) < 0)
			goto done;
	}
	if ((rc = next_line(ps)) <= 0)
		rc = rc < 0 ? rc : bad(ps, "no \"end\" line (a cut file?)");
	else if (strcmp(ps->cur, "end"))
		rc = bad(ps, "expected \"end\" after the features");
	else if (ps->p != ps->end)
		rc = (ps->line++, bad(ps, "text after \"end\""));
	else if ((rc = weigh(m, &t, alpha / 1000.0)) == 0)
		rc = index_keys(m);
done:
	free(t.nf);
	return rc;
}

int dts_model_load_buffer(dts_model **out, const char *name, const char *text, size_t len)
{
	parser ps = {name ? name : "(buffer)", text, text + len, 0, NULL, 0};
	dts_model *m;
	int rc;

	if (!out || (!text && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_load_buffer: NULL argument");
	*out = NULL;
	if (!text)
		ps.p = ps.end = "";
	if (!(m = calloc(1, sizeof(*m))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	rc = body(&ps, m);
	free(ps.cur);
	if (rc < 0) {
		dts_model_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int dts_model_load(dts_model **out, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!out || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_load: NULL argument");
	*out = NULL;
	if ((rc = dts__read_file(&text, &len, NULL, path, 0, MODEL_MAX_FILE, NULL, 0, 0)) < 0)
		return rc;
	rc = dts_model_load_buffer(out, path, text, len);
	free(text);
	return rc;
}

void dts_model_free(dts_model *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->w);
	free(m->slots);
	dts__arena_free(&m->arena);
	free(m);
}

size_t dts_model_class_count(const dts_model *m)
{
	return m ? m->ncls : 0;
}

const char *dts_model_class(const dts_model *m, size_t i)
{
	return m && i < m->ncls ? m->cls[i] : NULL;
}

size_t dts_model_feature_count(const dts_model *m)
{
	return m ? m->nfeat : 0;
}
