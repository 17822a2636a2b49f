/*
 * records.c — classified records as CSV or JSON lines, the rejects file and
 * the batch summary (dts/records.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "records_int.h"

/* Review reasons counted by a DTS_RECORDS_REVIEW_ONLY writer (the rule
   set's strings, compared by content). */
#define REVIEW_MAX 32

struct dts_records {
	const dts_rules *rules;
	const char *reason[REVIEW_MAX];
	uint64_t reason_n[REVIEW_MAX];
	size_t nreasons;
	uint64_t review_total;
	dts_records_format format;
	unsigned flags;
	char **header;
	size_t ncols;
	dts__buf jkeys;       /* JSONL: each column's "name": escaped, ',' before all but the first */
	size_t *jkey_off;     /* ncols + 1 offsets into jkeys */
	FILE *f;
	dts_write_cb cb;
	void *payload;
};

static const char *const result_cols[] = {
	"dts_category", "dts_rule", "dts_base", "dts_ordered", "dts_delivered",
	"dts_platform", "dts_deliverable", "dts_reason", "dts_review",
};

/* The review reason of a classified item, NULL when confident or unknown. */
static const char *item_review(const dts_records *w, const dts_batch_item *it)
{
	if (it->result && it->evidence)
		return it->evidence->review;
	return w->rules && it->result ? dts_rules_rule_review(w->rules, it->result->rule_index)
				       : NULL;
}

/* Digitally deliverable (dts_evidence.deliverable); without evidence, a
   digital category. */
static int item_deliverable(const dts_batch_item *it)
{
	if (it->evidence)
		return it->evidence->deliverable;
	return it->top >= 1 && it->top <= 4; /* TECH SERV PROD DATA */
}

int dts_records_set_rules(dts_records *w, const dts_rules *rules)
{
	if (!w || !rules)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_set_rules: NULL argument");
	w->rules = rules;
	return 0;
}

/* The JSONL keys, escaped once for the fast path (dts__records_format_memo):
 * the bytes json_kv writes before each column's value. */
static int json_keys(dts_records *w)
{
	size_t i;

	if (!(w->jkey_off = calloc(w->ncols + 1, sizeof(*w->jkey_off))))
		return -1;
	for (i = 0; i < w->ncols; i++) {
		w->jkey_off[i] = w->jkeys.len;
		if (i)
			dts__buf_ch(&w->jkeys, ',');
		dts__buf_json(&w->jkeys, w->header[i], strlen(w->header[i]));
		dts__buf_ch(&w->jkeys, ':');
	}
	w->jkey_off[w->ncols] = w->jkeys.len;
	return w->jkeys.oom ? -1 : 0;
}

static int writer_new(dts_records **out, dts_records_format format, unsigned flags,
		      const char *const *header, size_t ncols)
{
	dts_records *w;
	size_t i;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_new: NULL out");
	*out = NULL;
	if (format != DTS_RECORDS_CSV && format != DTS_RECORDS_JSONL &&
	    format != DTS_RECORDS_REJECTS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "unknown records format %d", (int)format);
	if (ncols && !header)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_new: NULL header");
	if (!(w = calloc(1, sizeof(*w))) ||
	    (ncols && !(w->header = calloc(ncols, sizeof(*w->header)))))
		goto oom;
	w->format = format;
	w->flags = flags;
	w->ncols = ncols;
	for (i = 0; i < ncols; i++)
		if (!(w->header[i] = strdup(header[i] ? header[i] : "")))
			goto oom;
	if (format == DTS_RECORDS_JSONL && json_keys(w) < 0)
		goto oom;
	*out = w;
	return 0;
oom:
	dts_records_free(w);
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

int dts_records_new_file(dts_records **out, dts_records_format format, unsigned flags,
			 const char *const *header, size_t ncols, FILE *f)
{
	int rc;

	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_new_file: NULL stream");
	if ((rc = writer_new(out, format, flags, header, ncols)) == 0)
		(*out)->f = f;
	return rc;
}

int dts_records_new_cb(dts_records **out, dts_records_format format, unsigned flags,
		       const char *const *header, size_t ncols, dts_write_cb cb,
		       void *payload)
{
	int rc;

	if (!cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_new_cb: NULL callback");
	if ((rc = writer_new(out, format, flags, header, ncols)) == 0) {
		(*out)->cb = cb;
		(*out)->payload = payload;
	}
	return rc;
}

void dts_records_free(dts_records *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; w->header && i < w->ncols; i++)
		free(w->header[i]);
	free(w->header);
	dts__buf_free(&w->jkeys);
	free(w->jkey_off);
	free(w);
}

/* ---- output ---------------------------------------------------------------- */

static int sink(FILE *f, dts_write_cb cb, void *payload, const void *data, size_t len)
{
	if (cb)
		return cb(data, len, payload);
	if (len && fwrite(data, 1, len, f) != len)
		return dts__error(DTS_EIO, NULL, 0, 0, "write failed: %s",
				  errno ? strerror(errno) : "I/O error");
	return 0;
}

int dts__records_emit(dts_records *w, const void *data, size_t len)
{
	return sink(w->f, w->cb, w->payload, data, len);
}

static int emit_buf(dts_records *w, dts__buf *b)
{
	int rc = b->oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory")
			: dts__records_emit(w, b->p ? b->p : "", b->len);

	dts__buf_free(b);
	return rc;
}

int dts_records_write_header(dts_records *w)
{
	dts__buf h = {0};
	size_t i;

	if (w->format == DTS_RECORDS_JSONL)
		return 0;
	if (w->flags & DTS_RECORDS_BOM)
		dts__buf_str(&h, "\xEF\xBB\xBF");
	if (w->format == DTS_RECORDS_REJECTS) {
		dts__buf_str(&h, "line,reason,raw\n");
		return emit_buf(w, &h);
	}
	for (i = 0; i < w->ncols; i++) {
		dts__buf_csv(&h, w->header[i], strlen(w->header[i]), ',');
		dts__buf_ch(&h, ',');
	}
	for (i = 0; i < 7; i++) {
		dts__buf_str(&h, result_cols[i]);
		dts__buf_ch(&h, i + 1 < 7 ? ',' : '\n');
	}
	if (w->flags & (DTS_RECORDS_EXPLAIN | DTS_RECORDS_REVIEW)) {
		h.len--;   /* the last result column's LF */
		if (w->flags & DTS_RECORDS_EXPLAIN)
			dts__buf_str(&h, ",dts_reason");
		if (w->flags & DTS_RECORDS_REVIEW)
			dts__buf_str(&h, ",dts_review");
		dts__buf_ch(&h, '\n');
	}
	return emit_buf(w, &h);
}

static void format_reject(dts__buf *b, const dts_batch_item *it)
{
	dts__buf esc = {0};

	dts__buf_u64(b, it->line);
	dts__buf_ch(b, ',');
	dts__buf_csv(b, it->reason, strlen(it->reason), ',');
	dts__buf_ch(b, ',');
	dts__buf_escape_raw(&esc, it->raw ? it->raw : "", it->raw_len);
	dts__buf_csv(b, esc.p ? esc.p : "", esc.len, ',');
	dts__buf_ch(b, '\n');
	if (esc.oom)
		b->oom = 1;
	dts__buf_free(&esc);
}

/* The row's own columns, each quoted as needed, each followed by ','. */
static void csv_fields(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	size_t i;

	for (i = 0; i < w->ncols; i++) {
		dts__buf_csv(out, i < it->ncols ? it->cols[i] : "",
			     i < it->ncols ? it->lens[i] : 0, ',');
		dts__buf_ch(out, ',');
	}
}

/* The result columns after the row's own, up to dts_deliverable. */
static void csv_result(dts__buf *out, const dts_batch_item *it)
{
	const dts_result *res = it->result;

	dts__buf_str(out, res->category);
	dts__buf_ch(out, ',');
	dts__buf_csv(out, res->rule, strlen(res->rule), ',');
	dts__buf_ch(out, ',');
	dts__buf_str(out, dts_base_name(res->base));
	dts__buf_ch(out, ',');
	dts__buf_ch(out, (char)('0' + res->ordered));
	dts__buf_ch(out, ',');
	dts__buf_ch(out, (char)('0' + res->delivered));
	dts__buf_ch(out, ',');
	dts__buf_ch(out, (char)('0' + res->platform));
	dts__buf_ch(out, ',');
	dts__buf_ch(out, (char)('0' + item_deliverable(it)));
}

/* dts_reason (per record) and dts_review, when asked for, and the LF. */
static void csv_tail(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	if (w->flags & DTS_RECORDS_EXPLAIN) {
		const char *why = it->explain ? it->explain : "";

		dts__buf_ch(out, ',');
		dts__buf_csv(out, why, strlen(why), ',');
	}
	if (w->flags & DTS_RECORDS_REVIEW) {
		const char *rev = item_review(w, it);

		dts__buf_ch(out, ',');
		if (rev)
			dts__buf_csv(out, rev, strlen(rev), ',');
	}
	dts__buf_ch(out, '\n');
}

static void format_csv(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	csv_fields(w, out, it);
	csv_result(out, it);
	csv_tail(w, out, it);
}

static void json_kv(dts__buf *out, const char *k, const char *v, size_t n, int first)
{
	if (!first)
		dts__buf_ch(out, ',');
	dts__buf_json(out, k, strlen(k));
	dts__buf_ch(out, ':');
	dts__buf_json(out, v, n);
}

static void jsonl_fields(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	size_t i;

	dts__buf_ch(out, '{');
	for (i = 0; i < w->ncols; i++)
		json_kv(out, w->header[i], i < it->ncols ? it->cols[i] : "",
			i < it->ncols ? it->lens[i] : 0, i == 0);
}

/* The result members after the row's own, up to dts_deliverable. */
static void jsonl_result(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	const dts_result *res = it->result;
	const char *base = dts_base_name(res->base);

	json_kv(out, "dts_category", res->category, strlen(res->category), w->ncols == 0);
	json_kv(out, "dts_rule", res->rule, strlen(res->rule), 0);
	json_kv(out, "dts_base", base, strlen(base), 0);
	dts__buf_str(out, ",\"dts_ordered\":");
	dts__buf_ch(out, (char)('0' + res->ordered));
	dts__buf_str(out, ",\"dts_delivered\":");
	dts__buf_ch(out, (char)('0' + res->delivered));
	dts__buf_str(out, ",\"dts_platform\":");
	dts__buf_ch(out, (char)('0' + res->platform));
	dts__buf_str(out, ",\"dts_deliverable\":");
	dts__buf_ch(out, (char)('0' + item_deliverable(it)));
}

static void jsonl_tail(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	if (w->flags & DTS_RECORDS_EXPLAIN) {
		const char *why = it->explain ? it->explain : "";

		json_kv(out, "dts_reason", why, strlen(why), 0);
	}
	if (w->flags & DTS_RECORDS_REVIEW) {
		const char *rev = item_review(w, it);

		json_kv(out, "dts_review", rev ? rev : "", rev ? strlen(rev) : 0, 0);
	}
	dts__buf_str(out, "}\n");
}

static void format_jsonl(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	jsonl_fields(w, out, it);
	jsonl_result(w, out, it);
	jsonl_tail(w, out, it);
}

void dts__records_format(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	if (w->format == DTS_RECORDS_REJECTS) {
		if (!it->result && it->reason)
			format_reject(out, it);
	} else if (it->result) {
		if ((w->flags & DTS_RECORDS_REVIEW_ONLY) && !item_review(w, it))
			return;
		if (w->format == DTS_RECORDS_CSV)
			format_csv(w, out, it);
		else
			format_jsonl(w, out, it);
	}
}

/* ---- the batch's fast path (issue 16) ------------------------------------ */

/*
 * The result columns depend only on the result, not on the record: each
 * thread keeps them formatted, per (category, rule, base, flags,
 * deliverable, review) key, in a direct-mapped memo. The key holds the rule
 * set's own string pointers, so a hit is the same bytes by construction;
 * a different pointer with equal text is only a miss. What else the bytes
 * depend on (format, flags, no columns) is checked on every use.
 */
static unsigned memo_bits(const dts_batch_item *it)
{
	const dts_result *res = it->result;

	return 1u | (unsigned)res->ordered << 1 | (unsigned)res->delivered << 2 |
	       (unsigned)res->platform << 3 | (unsigned)item_deliverable(it) << 4;
}

static size_t memo_hash(const dts__records_memo_slot *k)
{
	uint64_t h = (uint64_t)(uintptr_t)k->rule * UINT64_C(0x9E3779B97F4A7C15);

	h ^= (uint64_t)(uintptr_t)k->category * UINT64_C(0xC2B2AE3D27D4EB4F);
	h ^= (uint64_t)(uintptr_t)k->review * UINT64_C(0x165667B19E3779F9);
	h ^= (uint64_t)((unsigned)k->base << 8 | k->bits) * UINT64_C(0xD6E8FEB86659FD93);
	return (size_t)(h >> (64 - DTS__RECORDS_MEMO_BITS));
}

/* The result part of item's line: every result column, and with no
 * explanation also the review and the line end (the explanation is per
 * record: it and what follows are then written each time). */
static void result_part(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	if (w->format == DTS_RECORDS_CSV) {
		csv_result(out, it);
		if (!(w->flags & DTS_RECORDS_EXPLAIN))
			csv_tail(w, out, it);
	} else {
		jsonl_result(w, out, it);
		if (!(w->flags & DTS_RECORDS_EXPLAIN))
			jsonl_tail(w, out, it);
	}
}

static void memo_reset(dts__records_memo *m, const dts_records *w)
{
	if (m->arena.oom)
		dts__buf_free(&m->arena);
	memset(m->slot, 0, sizeof(m->slot));
	m->arena.len = 0;
	m->format = (int)w->format;
	m->flags = w->flags;
	m->nocols = w->ncols == 0;
	m->ready = 1;
}

static void memoized_result(const dts_records *w, dts__records_memo *m, dts__buf *out,
			    const dts_batch_item *it)
{
	dts__records_memo_slot k = {it->result->category, it->result->rule, item_review(w, it),
				    (int)it->result->base, memo_bits(it), 0, 0};
	dts__records_memo_slot *s;

	if (!m->ready || m->format != (int)w->format || m->flags != w->flags ||
	    m->nocols != (w->ncols == 0) || m->arena.len > DTS__RECORDS_MEMO_ARENA ||
	    m->arena.oom)
		memo_reset(m, w);
	s = &m->slot[memo_hash(&k)];
	if (s->bits != k.bits || s->rule != k.rule || s->category != k.category ||
	    s->review != k.review || s->base != k.base) {
		k.off = m->arena.len;
		result_part(w, &m->arena, it);
		k.len = m->arena.len - k.off;
		if (m->arena.oom) {   /* no memo: format it in place */
			s->bits = 0;
			result_part(w, out, it);
			return;
		}
		*s = k;
	}
	dts__buf_add(out, m->arena.p + s->off, s->len);
}

/* Any byte that makes a CSV field quoted (',', '"', CR, LF) in s[0, n). */
static int has_csv_special(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i c = _mm_set1_epi8(','), q = _mm_set1_epi8('"'),
		      cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');

	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i e = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, c), _mm_cmpeq_epi8(v, q)),
					 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));

		if (_mm_movemask_epi8(e))
			return 1;
	}
#endif
	for (; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

/* Any byte JSON escapes (below 0x20, '"', '\\') in s[0, n). */
static int has_json_special(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(0x20), q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');

	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i ok = _mm_cmpeq_epi8(_mm_max_epu8(v, sp), v);   /* v >= 0x20 */
		__m128i esc = _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs));

		if (_mm_movemask_epi8(ok) != 0xFFFF || _mm_movemask_epi8(esc))
			return 1;
	}
#endif
	for (; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == '"' || s[i] == '\\')
			return 1;
	return 0;
}

/* jsonl_fields with the keys escaped once and each value that JSON does
 * not escape copied between its quotes: the same bytes. */
static void jsonl_fields_fast(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	size_t i;

	dts__buf_ch(out, '{');
	for (i = 0; i < w->ncols; i++) {
		const char *v = i < it->ncols ? it->cols[i] : "";
		size_t n = i < it->ncols ? it->lens[i] : 0;

		dts__buf_add(out, w->jkeys.p + w->jkey_off[i], w->jkey_off[i + 1] - w->jkey_off[i]);
		if (has_json_special(v, n)) {
			dts__buf_json(out, v, n);
			continue;
		}
		dts__buf_ch(out, '"');
		dts__buf_add(out, v, n);
		dts__buf_ch(out, '"');
	}
}

/* When the row's values lie back to back (each followed by one byte, as
 * in a batch's block) and none would be quoted, the length of that span
 * (the values and the byte after each); else 0. */
static size_t plain_span(const dts_records *w, const dts_batch_item *it)
{
	const char *s;
	size_t i, pos = 0;

	if (w->format != DTS_RECORDS_CSV || it->ncols != w->ncols || !it->ncols)
		return 0;
	s = it->cols[0];
	for (i = 0; i < it->ncols; i++) {
		const char *f = it->cols[i];
		size_t n = it->lens[i];

		if (f != s + pos || (n && (f[0] == ' ' || f[n - 1] == ' ')))
			return 0;
		pos += n + 1;
	}
	return has_csv_special(s, pos - 1) ? 0 : pos;
}

/* The row's own columns: with a plain span, one copy of it with each
 * value's following byte made the ',' the writer puts after it. */
static void fast_fields(const dts_records *w, dts__buf *out, const dts_batch_item *it)
{
	size_t span = plain_span(w, it), at, i;
	const char *s;

	if (!span) {
		if (w->format == DTS_RECORDS_CSV)
			csv_fields(w, out, it);
		else
			jsonl_fields_fast(w, out, it);
		return;
	}
	s = it->cols[0];
	at = out->len;
	dts__buf_add(out, s, span);
	if (out->oom)
		return;
	for (i = 0; i < it->ncols; i++)
		out->p[at + (size_t)(it->cols[i] - s) + it->lens[i]] = ',';
}

void dts__records_format_memo(const dts_records *w, dts__records_memo *m, dts__buf *out,
			      const dts_batch_item *it)
{
	if (w->format == DTS_RECORDS_REJECTS || !it->result) {
		dts__records_format(w, out, it);
		return;
	}
	if ((w->flags & DTS_RECORDS_REVIEW_ONLY) && !item_review(w, it))
		return;
	fast_fields(w, out, it);
	memoized_result(w, m, out, it);
	if (w->flags & DTS_RECORDS_EXPLAIN) {
		if (w->format == DTS_RECORDS_CSV)
			csv_tail(w, out, it);
		else
			jsonl_tail(w, out, it);
	}
}

void dts__records_memo_free(dts__records_memo *m)
{
	dts__buf_free(&m->arena);
	m->ready = 0;
}

static void count_review(dts_records *w, const char *why)
{
	size_t i;

	w->review_total++;
	for (i = 0; i < w->nreasons; i++)
		if (!strcmp(w->reason[i], why)) {
			w->reason_n[i]++;
			return;
		}
	if (w->nreasons < REVIEW_MAX) {
		w->reason[w->nreasons] = why;
		w->reason_n[w->nreasons++] = 1;
	}
}

int dts_records_write(dts_records *w, const dts_batch_item *item)
{
	dts__buf b = {0};

	if (!w || !item)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_write: NULL argument");
	dts__records_format(w, &b, item);
	if (!b.len && !b.oom)
		return 0;
	if ((w->flags & DTS_RECORDS_REVIEW_ONLY) && w->format != DTS_RECORDS_REJECTS)
		count_review(w, item_review(w, item));
	return emit_buf(w, &b);
}

/* ---- the summary ------------------------------------------------------------ */

static int summary(dts__buf *b, const dts_rules *rules, const dts_batch_stats *st)
{
	const char *id = dts_rules_id(rules), *ver = dts_rules_version(rules);
	int i;

	dts__buf_str(b, "{\"classifier\":");
	dts__buf_json(b, id, strlen(id));
	dts__buf_str(b, ",\"classifier_version\":");
	dts__buf_json(b, ver, strlen(ver));
	dts__buf_str(b, ",\"records_in\":");
	dts__buf_u64(b, st->records_in);
	dts__buf_str(b, ",\"records_out\":");
	dts__buf_u64(b, st->records_out);
	dts__buf_str(b, ",\"rejected\":");
	dts__buf_u64(b, st->rejected);
	dts__buf_str(b, ",\"stopped_at_first_reject\":");
	dts__buf_str(b, st->stopped ? "true" : "false");
	dts__buf_str(b, ",\"by_category\":{");
	for (i = 0; i < DTS_CATEGORY_TOPS; i++) {
		if (i)
			dts__buf_ch(b, ',');
		dts__buf_json(b, dts_category_top((size_t)(i)), strlen(dts_category_top((size_t)(i))));
		dts__buf_ch(b, ':');
		dts__buf_u64(b, st->by_top[i]);
	}
	dts__buf_str(b, "}}\n");
	if (b->oom) {
		dts__buf_free(b);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	return 0;
}

int dts_records_summary_file(FILE *f, const dts_rules *rules, const dts_batch_stats *st)
{
	dts__buf b = {0};
	int rc;

	if (!f || !rules || !st)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_summary_file: NULL argument");
	if ((rc = summary(&b, rules, st)) < 0)
		return rc;
	rc = sink(f, NULL, NULL, b.p, b.len);
	dts__buf_free(&b);
	return rc;
}

/* The summary with the input's encoding and binding (src may be NULL). */
static int summary_source(dts__buf *b, const dts_rules *rules, const dts_batch_stats *st,
			  const dts_source *src)
{
	char *json = NULL;
	const char *enc;
	int rc;

	if ((rc = summary(b, rules, st)) < 0)
		return rc;
	if (src) {
		if ((rc = dts_binding_json(&json, dts_source_binding(src))) < 0) {
			dts__buf_free(b);
			return rc;
		}
		enc = dts_source_encoding(src);
		b->len -= 2;   /* before the closing "}\n" */
		dts__buf_str(b, ",\"encoding\":");
		dts__buf_json(b, enc, strlen(enc));
		dts__buf_str(b, ",\"profile\":");
		dts__buf_json(b, dts_source_profile(src), strlen(dts_source_profile(src)));
		dts__buf_str(b, ",\"binding\":");
		dts__buf_str(b, json);
		dts__buf_str(b, "}\n");
		free(json);
		if (b->oom) {
			dts__buf_free(b);
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		}
	}
	return 0;
}

int dts_records_summary_source_file(FILE *f, const dts_rules *rules,
				    const dts_batch_stats *st, const dts_source *src)
{
	dts__buf b = {0};
	int rc;

	if (!f || !rules || !st)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_records_summary_source_file: NULL argument");
	if ((rc = summary_source(&b, rules, st, src)) < 0)
		return rc;
	rc = sink(f, NULL, NULL, b.p, b.len);
	dts__buf_free(&b);
	return rc;
}

int dts_records_summary_cb(dts_write_cb cb, void *payload, const dts_rules *rules,
			   const dts_batch_stats *st)
{
	dts__buf b = {0};
	int rc;

	if (!cb || !rules || !st)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_records_summary_cb: NULL argument");
	if ((rc = summary(&b, rules, st)) < 0)
		return rc;
	rc = sink(NULL, cb, payload, b.p, b.len);
	dts__buf_free(&b);
	return rc;
}

/* ,"review":{"total":N,"by_reason":{...}} before the closing "}\n" of b. */
static void summary_review(dts__buf *b, const dts_records *r)
{
	size_t i, j, k, order[REVIEW_MAX];

	for (i = 0; i < r->nreasons; i++) {   /* insertion sort by bytes */
		for (j = i; j > 0 && strcmp(r->reason[order[j - 1]], r->reason[i]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	b->len -= 2;
	dts__buf_str(b, ",\"review\":{\"total\":");
	dts__buf_u64(b, r->review_total);
	dts__buf_str(b, ",\"by_reason\":{");
	for (k = 0; k < r->nreasons; k++) {
		if (k)
			dts__buf_ch(b, ',');
		dts__buf_json(b, r->reason[order[k]], strlen(r->reason[order[k]]));
		dts__buf_ch(b, ':');
		dts__buf_u64(b, r->reason_n[order[k]]);
	}
	dts__buf_str(b, "}}}\n");
}

int dts_records_summary_review_file(FILE *f, const dts_rules *rules,
				    const dts_batch_stats *st, const dts_source *src,
				    const dts_records *review)
{
	dts__buf b = {0};
	int rc;

	if (!f || !rules || !st)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_records_summary_review_file: NULL argument");
	if (!review)
		return dts_records_summary_source_file(f, rules, st, src);
	if ((rc = summary_source(&b, rules, st, src)) < 0)
		return rc;
	summary_review(&b, review);
	if (b.oom) {
		dts__buf_free(&b);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	rc = sink(f, NULL, NULL, b.p, b.len);
	dts__buf_free(&b);
	return rc;
}
