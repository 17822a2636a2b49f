/*
 * dts-classify — batch classification: every input record comes out
 * classified, or goes to the rejects with its line and reason.
 *
 * Records travel in blocks: the main thread reads a block, workers (each
 * with its own scanner) classify and format it, and the main thread writes
 * blocks in input order, so the output is the same whatever -j is.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "input.h"

#define BLOCK_ROWS 4096
#define BLOCK_BYTES (1u << 20)

typedef enum { FMT_CSV, FMT_JSONL } out_format;

typedef struct opts {
	const char **rules;
	size_t nrules;
	const char **map;
	size_t nmap;
	const char *output, *rejects, *summary;
	out_format format;
	input_options in;
	int threads, strict, explain, quiet, progress;
} opts;

/* ---- blocks ------------------------------------------------------------- */

enum { B_FREE, B_READY, B_BUSY, B_DONE };

typedef struct row_ref {
	size_t first;      /* index of the first column in block->lens */
	size_t ncols;
	uint64_t line;
	const char *error; /* reader's reject reason (copied into text) */
	size_t raw;        /* offset of raw bytes in text, for rejects */
	size_t raw_len;
} row_ref;

typedef struct block {
	int state;
	uint64_t seq;
	dts__buf text;              /* column values, NUL-terminated, back to back */
	size_t *offs, *lens;   /* per column of every row */
	size_t ncols_total, ncols_cap;
	row_ref rows[BLOCK_ROWS];
	size_t nrows;
	dts__buf out, rej;          /* formatted output and rejects */
	uint64_t nout, nrej;
	uint64_t by_top[8];    /* by top category index (< 6), for the summary */
	const input *src;
} block;

typedef struct run {
	const opts *o;
	const dts_rules *rules;
	const char *const *header;
	size_t ncols;
	const dts_binding *binding;
	int *top_of;           /* category index -> top index (0..5) */
	block *blocks;
	size_t nblocks;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	int error;
	dts_scanner *inline_sc; /* the main thread's scanner */
	int inline_only;        /* -j 1 or --strict: no workers */
	input *first_input;     /* owns the header strings */
} run;

static int block_push_row(block *b, const input_row *r)
{
	row_ref *rr = &b->rows[b->nrows];
	size_t i;

	memset(rr, 0, sizeof(*rr));
	rr->line = r->line;
	if (r->error) {
		rr->raw = b->text.len;
		rr->raw_len = r->raw_len;
		dts__buf_add(&b->text, r->raw, r->raw_len);
		dts__buf_ch(&b->text, '\0');
		rr->error = r->error; /* copied below: the reader reuses it */
		{
			size_t at = b->text.len;

			dts__buf_str(&b->text, r->error);
			dts__buf_ch(&b->text, '\0');
			rr->first = at; /* reuse `first` as the offset of the reason */
		}
		b->nrows++;
		return b->text.oom ? -1 : 0;
	}
	if (b->ncols_total + r->ncols > b->ncols_cap) {
		size_t cap = (b->ncols_total + r->ncols) * 2;
		size_t *o = realloc(b->offs, cap * sizeof(*o));
		size_t *l = o ? realloc(b->lens, cap * sizeof(*l)) : NULL;

		if (o)
			b->offs = o;
		if (!o || !l)
			return -1;
		b->lens = l;
		b->ncols_cap = cap;
	}
	rr->first = b->ncols_total;
	rr->ncols = r->ncols;
	for (i = 0; i < r->ncols; i++) {
		b->offs[b->ncols_total] = b->text.len;
		b->lens[b->ncols_total] = r->lens[i];
		b->ncols_total++;
		dts__buf_add(&b->text, r->cols[i], r->lens[i]);
		dts__buf_ch(&b->text, '\0');
	}
	b->nrows++;
	return b->text.oom ? -1 : 0;
}

static void block_reset(block *b)
{
	b->text.len = 0;
	b->ncols_total = 0;
	b->nrows = 0;
	b->out.len = 0;
	b->rej.len = 0;
	b->nout = b->nrej = 0;
	memset(b->by_top, 0, sizeof(b->by_top));
}

static void block_free(block *b)
{
	dts__buf_free(&b->text);
	dts__buf_free(&b->out);
	dts__buf_free(&b->rej);
	free(b->offs);
	free(b->lens);
}

/* ---- formatting one record ---------------------------------------------- */

static void emit_reject(block *b, uint64_t line, const char *why,
			const char *raw, size_t raw_len)
{
	dts__buf esc = {0};

	dts__buf_u64(&b->rej, line);
	dts__buf_ch(&b->rej, ',');
	dts__buf_csv(&b->rej, why, strlen(why), ',');
	dts__buf_ch(&b->rej, ',');
	dts__buf_escape_raw(&esc, raw, raw_len);
	dts__buf_csv(&b->rej, esc.p ? esc.p : "", esc.len, ',');
	dts__buf_ch(&b->rej, '\n');
	dts__buf_free(&esc);
	b->nrej++;
}

/* Re-create a record's text from its fields, for the rejects file. */
static void join_raw(dts__buf *raw, const char *const *cols, const size_t *lens,
		     size_t ncols, char sep)
{
	size_t i;

	for (i = 0; i < ncols; i++) {
		if (i)
			dts__buf_ch(raw, sep);
		dts__buf_csv(raw, cols[i], lens[i], sep);
	}
}

static const char *const result_cols[] = {
	"dts_category", "dts_rule", "dts_base", "dts_ordered", "dts_delivered",
	"dts_platform", "dts_reason",
};

static void emit_csv(dts__buf *out, const run *R, const char *const *cols,
		     const size_t *lens, size_t ncols, const dts_result *res,
		     const char *reason)
{
	size_t i;

	for (i = 0; i < R->ncols; i++) {
		dts__buf_csv(out, i < ncols ? cols[i] : "", i < ncols ? lens[i] : 0, ',');
		dts__buf_ch(out, ',');
	}
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
	if (reason) {
		dts__buf_ch(out, ',');
		dts__buf_csv(out, reason, strlen(reason), ',');
	}
	dts__buf_ch(out, '\n');
}

static void json_kv(dts__buf *out, const char *k, const char *v, size_t n, int first)
{
	if (!first)
		dts__buf_ch(out, ',');
	dts__buf_json(out, k, strlen(k));
	dts__buf_ch(out, ':');
	dts__buf_json(out, v, n);
}

static void emit_jsonl(dts__buf *out, const run *R, const char *const *cols,
		       const size_t *lens, size_t ncols, const dts_result *res,
		       const char *reason)
{
	size_t i;

	dts__buf_ch(out, '{');
	for (i = 0; i < R->ncols; i++)
		json_kv(out, R->header[i], i < ncols ? cols[i] : "",
			i < ncols ? lens[i] : 0, i == 0);
	json_kv(out, "dts_category", res->category, strlen(res->category), R->ncols == 0);
	json_kv(out, "dts_rule", res->rule, strlen(res->rule), 0);
	json_kv(out, "dts_base", dts_base_name(res->base),
		strlen(dts_base_name(res->base)), 0);
	dts__buf_str(out, ",\"dts_ordered\":");
	dts__buf_ch(out, (char)('0' + res->ordered));
	dts__buf_str(out, ",\"dts_delivered\":");
	dts__buf_ch(out, (char)('0' + res->delivered));
	dts__buf_str(out, ",\"dts_platform\":");
	dts__buf_ch(out, (char)('0' + res->platform));
	if (reason)
		json_kv(out, "dts_reason", reason, strlen(reason), 0);
	dts__buf_str(out, "}\n");
}

typedef struct why_ctx {
	dts__buf text;
} why_ctx;

static int keep_winner(const dts_match *m, void *payload)
{
	why_ctx *w = payload;

	if (!m->winner)
		return 0;
	dts__buf_str(&w->text, m->why);
	return 1; /* the winner is all --explain reports: stop the walk */
}

static int classify_row(dts_result *res, char *why, size_t wn, dts__buf *reason,
			dts_scanner *sc, const run *R, const char *const *cols,
			const size_t *lens, size_t ncols)
{
	dts_value vals[DTS_F_COUNT];
	size_t n;
	why_ctx w = {{0}};
	int rc = input_classify(res, why, wn, sc, R->binding, cols, lens, ncols);

	if (rc < 0 || !R->o->explain)
		return rc;
	/* --explain: classify again on the slow path to say why. */
	n = dts_binding_values(vals, R->binding, cols, lens, ncols);
	dts_scanner_explain(res, sc, vals, n, keep_winner, &w);
	reason->len = 0;
	dts__buf_add(reason, w.text.p ? w.text.p : "", w.text.len);
	dts__buf_ch(reason, '\0');
	dts__buf_free(&w.text);
	return 0;
}

/* Per-thread scratch for process_row: reused, so rows allocate nothing. */
typedef struct scratch {
	dts__buf raw, reason;
	char why[1200];
} scratch;

static void scratch_free(scratch *x)
{
	dts__buf_free(&x->raw);
	dts__buf_free(&x->reason);
}

/* Classify one row into b's output, or b's rejects with the reason. */
static void process_row(const run *R, block *b, dts_scanner *sc, scratch *x,
			uint64_t line, const char *const *cols,
			const size_t *lens, size_t nc)
{
	dts_result res;
	const char *reason;

	if (classify_row(&res, x->why, sizeof(x->why), &x->reason, sc, R, cols,
			 lens, nc) < 0) {
		x->raw.len = 0;
		join_raw(&x->raw, cols, lens, nc,
			 R->o->in.separator ? R->o->in.separator : ',');
		emit_reject(b, line, x->why, x->raw.p ? x->raw.p : "", x->raw.len);
		return;
	}
	reason = R->o->explain ? x->reason.p : NULL;
	if (R->o->format == FMT_CSV)
		emit_csv(&b->out, R, cols, lens, nc, &res, reason);
	else
		emit_jsonl(&b->out, R, cols, lens, nc, &res, reason);
	b->by_top[R->top_of[res.category_index]]++;
	b->nout++;
}

static void process_block(const run *R, block *b, dts_scanner *sc)
{
	const char *cols[DTS_CSV_MAX_FIELDS];
	scratch x = {0};
	size_t i, j;

	for (i = 0; i < b->nrows; i++) {
		const row_ref *r = &b->rows[i];
		size_t nc = r->ncols < DTS_CSV_MAX_FIELDS ? r->ncols : DTS_CSV_MAX_FIELDS;

		if (r->error) {
			emit_reject(b, r->line, b->text.p + r->first,
				    b->text.p + r->raw, r->raw_len);
			continue;
		}
		for (j = 0; j < nc; j++)
			cols[j] = b->text.p + b->offs[r->first + j];
		process_row(R, b, sc, &x, r->line, cols, b->lens + r->first, nc);
	}
	scratch_free(&x);
}

/* ---- workers ---------------------------------------------------------------- */

/* The ready block read first (R->mu held), or NULL. */
static block *oldest_ready(run *R)
{
	block *pick = NULL;
	size_t i;

	for (i = 0; i < R->nblocks; i++)
		if (R->blocks[i].state == B_READY &&
		    (!pick || R->blocks[i].seq < pick->seq))
			pick = &R->blocks[i];
	return pick;
}

static void *worker(void *arg)
{
	run *R = arg;
	dts_scanner *sc = NULL;

	if (dts_scanner_new(&sc, R->rules, DTS_SCAN_VALID_UTF8) < 0) {
		pthread_mutex_lock(&R->mu);
		R->error = 1;
		pthread_cond_broadcast(&R->cv);
		pthread_mutex_unlock(&R->mu);
		return NULL;
	}
	pthread_mutex_lock(&R->mu);
	for (;;) {
		block *pick = oldest_ready(R);

		if (!pick) {
			if (R->stop)
				break;
			pthread_cond_wait(&R->cv, &R->mu);
			continue;
		}
		pick->state = B_BUSY;
		pthread_mutex_unlock(&R->mu);
		process_block(R, pick, sc);
		pthread_mutex_lock(&R->mu);
		pick->state = B_DONE;
		pthread_cond_broadcast(&R->cv);
	}
	pthread_mutex_unlock(&R->mu);
	dts_scanner_free(sc);
	return NULL;
}

/* ---- the run ------------------------------------------------------------------- */

typedef struct totals {
	uint64_t in, out, rejected, by_top[8];
	uint64_t bytes;
	struct timespec start, last_progress;
	int64_t size_total;
	int stopped; /* --strict hit a reject */
	unsigned shown_rejects; /* on stderr, when there is no --rejects file */
} totals;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress(totals *t, int final)
{
	double el = seconds_since(&t->start);

	if (!final && seconds_since(&t->last_progress) < 0.5)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t->last_progress);
	fprintf(stderr, "\r%s: %llu records, %.1f MB/s", tool_name,
		(unsigned long long)t->in, el > 0 ? (double)t->bytes / 1e6 / el : 0.0);
	if (t->size_total > 0)
		fprintf(stderr, ", %.0f%%", 100.0 * (double)t->bytes / (double)t->size_total);
	fputs(final ? "\n" : "   ", stderr);
}

static int write_block(block *b, tool_out *out, tool_out *rej, totals *t,
		       const opts *o)
{
	size_t i;

	if (b->out.oom || b->rej.oom || b->text.oom) {
		tool_warn("out of memory");
		return -1;
	}
	if (b->out.len && fwrite(b->out.p, 1, b->out.len, out->f) != b->out.len)
		return tool_out_write_failed(out);
	if (rej->f && b->rej.len && fwrite(b->rej.p, 1, b->rej.len, rej->f) != b->rej.len)
		return tool_out_write_failed(rej);
	t->in += b->nout + b->nrej;
	t->out += b->nout;
	t->rejected += b->nrej;
	for (i = 0; i < 8; i++)
		t->by_top[i] += b->by_top[i];
	if (b->nrej && !rej->f && !o->quiet) {
		/* No rejects file: say the first ten reasons on stderr. */
		const char *p = b->rej.p, *end = b->rej.p + b->rej.len;

		while (p < end && t->shown_rejects < 10) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			fprintf(stderr, "%s: %s: rejected line %.*s\n", tool_name,
				input_path(b->src), (int)((nl ? nl : end) - p), p);
			p = nl ? nl + 1 : end;
			t->shown_rejects++;
		}
	}
	return 0;
}

/* Fill one block from the input; 1 when filled, 0 at end of input, -1 on error. */
static int fill_block(block *b, input *in, totals *t)
{
	input_row r;
	int rc;

	block_reset(b);
	b->src = in;
	while (b->nrows < BLOCK_ROWS && b->text.len < BLOCK_BYTES) {
		rc = input_next(in, &r);
		if (rc == 0)
			break;
		if (rc < 0 && rc != DTS_EINPUT)
			return -1;
		if (block_push_row(b, &r) < 0) {
			tool_warn("out of memory");
			return -1;
		}
		t->bytes = r.offset > t->bytes ? r.offset : t->bytes;
	}
	return b->nrows > 0;
}

/* The main thread takes the oldest ready block itself (R->mu held). */
static int help(run *R)
{
	block *pick = oldest_ready(R);

	if (!pick)
		return 0;
	pick->state = B_BUSY;
	pthread_mutex_unlock(&R->mu);
	process_block(R, pick, R->inline_sc);
	pthread_mutex_lock(&R->mu);
	pick->state = B_DONE;
	pthread_cond_broadcast(&R->cv);
	return 1;
}

/* Main loop: read blocks, hand them to workers, write them back in order. */
static int pump(run *R, input *in, tool_out *out, tool_out *rej, totals *t,
		uint64_t *seq)
{
	size_t i;
	int eof = 0, rc = 0;
	uint64_t next_write = *seq;

	pthread_mutex_lock(&R->mu);
	while (rc == 0) {
		block *w = NULL;

		for (i = 0; i < R->nblocks; i++)
			if (R->blocks[i].state == B_DONE && R->blocks[i].seq == next_write)
				w = &R->blocks[i];
		if (w) {
			pthread_mutex_unlock(&R->mu);
			rc = write_block(w, out, rej, t, R->o);
			if (R->o->progress)
				progress(t, 0);
			pthread_mutex_lock(&R->mu);
			w->state = B_FREE;
			next_write++;
			continue;
		}
		if (R->error) {
			rc = -1;
			break;
		}
		if (!eof) {
			block *f = NULL;

			for (i = 0; i < R->nblocks && !f; i++)
				if (R->blocks[i].state == B_FREE)
					f = &R->blocks[i];
			if (f) {
				int got;

				pthread_mutex_unlock(&R->mu);
				got = fill_block(f, in, t);
				pthread_mutex_lock(&R->mu);
				if (got < 0) {
					rc = -1;
					break;
				}
				if (got == 0) {
					eof = 1;
					continue;
				}
				f->seq = (*seq)++;
				f->state = B_READY;
				pthread_cond_broadcast(&R->cv);
				continue;
			}
		}
		if (eof && next_write == *seq)
			break;
		if (help(R)) /* nothing to read or write: classify a block too */
			continue;
		pthread_cond_wait(&R->cv, &R->mu);
	}
	pthread_mutex_unlock(&R->mu);
	/* On an error the caller stops the workers; blocks still queued are
	 * finished by them and dropped. */
	return rc;
}

/*
 * -j 1 and --strict: read, classify and format in this thread, straight
 * from the reader's buffers (no copy into blocks), with the same
 * process_row as the workers, so the output is the same bytes.
 */
static int run_inline(run *R, input *in, tool_out *out, tool_out *rej,
		      totals *t)
{
	block *b = &R->blocks[0];
	scratch x = {0};
	input_row r;
	int rc;

	block_reset(b);
	b->src = in;
	while ((rc = input_next(in, &r)) != 0) {
		if (rc < 0 && rc != DTS_EINPUT)
			break;
		if (r.error)
			emit_reject(b, r.line, r.error, r.raw, r.raw_len);
		else
			process_row(R, b, R->inline_sc, &x, r.line, r.cols,
				    r.lens, r.ncols);
		t->bytes = r.offset > t->bytes ? r.offset : t->bytes;
		if (R->o->strict && b->nrej)
			t->stopped = 1;
		if (t->stopped || b->out.len >= BLOCK_BYTES ||
		    b->rej.len >= BLOCK_BYTES) {
			if ((rc = write_block(b, out, rej, t, R->o)) < 0)
				break;
			block_reset(b);
			if (R->o->progress)
				progress(t, 0);
			if (t->stopped)
				break;
		}
	}
	if (rc == 0 && !t->stopped)
		rc = write_block(b, out, rej, t, R->o);
	scratch_free(&x);
	return rc < 0 ? -1 : 0;
}

static void write_header(tool_out *out, const run *R)
{
	dts__buf h = {0};
	size_t i, nres = R->o->explain ? 7 : 6;

	if (R->o->format == FMT_JSONL)
		return;
	for (i = 0; i < R->ncols; i++) {
		dts__buf_csv(&h, R->header[i], strlen(R->header[i]), ',');
		dts__buf_ch(&h, ',');
	}
	for (i = 0; i < nres; i++) {
		dts__buf_str(&h, result_cols[i]);
		dts__buf_ch(&h, i + 1 < nres ? ',' : '\n');
	}
	fwrite(h.p, 1, h.len, out->f);
	dts__buf_free(&h);
}

/* Every input must have the first one's columns: the output has one header. */
static int same_header(const run *R, const input *in)
{
	const char *const *names;
	size_t n = input_header(in, &names), i;

	if (n != R->ncols)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], R->header[i]) != 0)
			return 0;
	return 1;
}

static const char *const tops[] = {"CBEC", "TECH", "SERV", "PROD", "DATA", "NONE"};

/* Written into s, opened with the other outputs and committed with them. */
static void write_summary(tool_out *s, const totals *t, const dts_rules *rules)
{
	size_t i;

	if (!s->f)
		return;
	fprintf(s->f, "{\"classifier\":\"%s\",\"classifier_version\":\"%s\",",
		dts_rules_id(rules), dts_rules_version(rules));
	fprintf(s->f, "\"records_in\":%llu,\"records_out\":%llu,\"rejected\":%llu,",
		(unsigned long long)t->in, (unsigned long long)t->out,
		(unsigned long long)t->rejected);
	fprintf(s->f, "\"stopped_at_first_reject\":%s,\"by_category\":{",
		t->stopped ? "true" : "false");
	for (i = 0; i < 6; i++)
		fprintf(s->f, "%s\"%s\":%llu", i ? "," : "", tops[i],
			(unsigned long long)t->by_top[i]);
	fprintf(s->f, "}}\n");
}

/* Refuse outputs that are one file, or an input or classifier (exit 2). */
static int check_paths(const opts *o, char **inputs, int ninputs)
{
	const char *outs[3] = {o->output, o->rejects, o->summary};

	return tool_check_paths(outs, 3, inputs, ninputs, (const char *const *)o->rules,
				o->nrules);
}

static int top_index(const char *top)
{
	int i;

	for (i = 0; i < 6; i++)
		if (strcmp(top, tops[i]) == 0)
			return i;
	return 5;
}

static int run_inputs(run *R, char **inputs, int ninputs, tool_out *out,
		      tool_out *rej, totals *t)
{
	static char *stdin_name[] = {(char *)"-"};
	uint64_t seq = 0;
	int i, rc = 0;

	if (ninputs == 0) {
		inputs = stdin_name;
		ninputs = 1;
	}
	for (i = 0; i < ninputs && rc == 0 && !t->stopped; i++) {
		input *in = NULL;
		const char *const *names;

		if ((rc = input_open(&in, inputs[i], &R->o->in)) < 0)
			return rc;
		if (i == 0) {
			R->ncols = input_header(in, &names);
			R->header = names;
			R->binding = input_binding(in);
			write_header(out, R);
		} else if (!same_header(R, in)) {
			tool_warn("%s: columns differ from those of %s; classify files with different columns separately",
				  input_path(in), inputs[0]);
			input_free(in);
			return -1;
		}
		R->binding = input_binding(in);
		t->size_total = input_size(in);
		rc = R->inline_only ? run_inline(R, in, out, rej, t) :
				    pump(R, in, out, rej, t, &seq);
		/* The first input's header strings live in its reader: keep the
		 * first input open until the end (header pointers), free others. */
		if (i == 0)
			R->first_input = in;
		else
			input_free(in);
	}
	return rc;
}

static void usage(FILE *to)
{
	fprintf(to,
		"Usage: dts-classify [OPTION]... [INPUT]...\n"
		"Classify trade records (CSV or customs CBEC XML) into the categories of\n"
		"digital trade. Reads standard input when no INPUT is given.\n"
		"\n"
		"  -r, --rules FILE      classifier file (repeatable; default: the shipped one)\n"
		"  -o, --output FILE     write here (via a temporary file) instead of stdout\n"
		"  -f, --format FMT      csv (default) or jsonl\n"
		"      --rejects FILE    rejected records as CSV: line,reason,raw\n"
		"      --summary FILE    JSON summary: records_in, records_out, rejected, by_category\n"
		"  -j, --jobs N          threads that classify (default 1); same output for any N\n"
		"      --strict          stop at the first rejected record\n"
		"      --explain         add a dts_reason column: the leaves that decided\n"
		"  -d, --delimiter C     CSV separator: ',' (default), tab, ';' or '|'\n"
		"      --encoding ENC    utf-8 (default), gb18030 or gbk\n"
		"  -m, --map COL=FIELD   bind column COL to canonical FIELD ('-' unbinds)\n"
		"      --input-format F  auto (default), csv or xml\n"
		"  -q, --quiet           no summary line on stderr\n"
		"  -h, --help            this help\n"
		"  -V, --version         version\n"
		"\n"
		"Exit status: 0 all records classified; 1 some records rejected (or, with\n"
		"--strict, stopped at one); 2 usage error; 3 input, output or classifier\n"
		"could not be used.\n");
}

static int parse_args(opts *o, int argc, char **argv)
{
	enum { O_REJECTS = 256, O_SUMMARY, O_STRICT, O_EXPLAIN, O_ENCODING, O_INFMT };
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"rejects", required_argument, NULL, O_REJECTS},
		{"summary", required_argument, NULL, O_SUMMARY},
		{"jobs", required_argument, NULL, 'j'},
		{"strict", no_argument, NULL, O_STRICT},
		{"explain", no_argument, NULL, O_EXPLAIN},
		{"delimiter", required_argument, NULL, 'd'},
		{"encoding", required_argument, NULL, O_ENCODING},
		{"map", required_argument, NULL, 'm'},
		{"input-format", required_argument, NULL, O_INFMT},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	long n;
	int c;

	while ((c = getopt_long(argc, argv, "r:o:f:j:d:m:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o->rules[o->nrules++] = optarg; break;
		case 'o': o->output = optarg; break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				o->format = FMT_CSV;
			else if (strcmp(optarg, "jsonl") == 0)
				o->format = FMT_JSONL;
			else {
				tool_warn("unknown format '%s' (csv or jsonl)", optarg);
				return -1;
			}
			break;
		case O_REJECTS: o->rejects = optarg; break;
		case O_SUMMARY: o->summary = optarg; break;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256) {
				tool_warn("-j wants a number of threads from 1 to 256, not '%s'", optarg);
				return -1;
			}
			o->threads = (int)n;
			break;
		case O_STRICT: o->strict = 1; break;
		case O_EXPLAIN: o->explain = 1; break;
		case 'd':
			if (tool_parse_separator(&o->in.separator, optarg) < 0) {
				tool_warn("-d wants ',', tab, ';' or '|', not '%s'", optarg);
				return -1;
			}
			break;
		case O_ENCODING: o->in.encoding = optarg; break;
		case 'm': o->map[o->nmap++] = optarg; break;
		case O_INFMT:
			if (strcmp(optarg, "auto") == 0)
				o->in.format = INPUT_AUTO;
			else if (strcmp(optarg, "csv") == 0)
				o->in.format = INPUT_CSV;
			else if (strcmp(optarg, "xml") == 0)
				o->in.format = INPUT_XML;
			else {
				tool_warn("unknown input format '%s' (auto, csv or xml)", optarg);
				return -1;
			}
			break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': tool_version(); break;
		default: usage(stderr); return -1;
		}
	}
	o->in.map = o->map;
	o->in.nmap = o->nmap;
	return 0;
}

static int setup_run(run *R, const opts *o, const dts_rules *rules)
{
	size_t i;

	R->o = o;
	R->rules = rules;
	R->top_of = calloc(dts_rules_category_count(rules) + 1, sizeof(*R->top_of));
	if (!R->top_of)
		return -1;
	for (i = 0; i < dts_rules_category_count(rules); i++) {
		dts_category_info ci;

		dts_rules_category(&ci, rules, i);
		R->top_of[i] = top_index(ci.top);
	}
	R->nblocks = o->strict ? 1 : (size_t)(o->threads * 3);
	R->blocks = calloc(R->nblocks, sizeof(*R->blocks));
	pthread_mutex_init(&R->mu, NULL);
	pthread_cond_init(&R->cv, NULL);
	if (!R->blocks)
		return -1;
	R->inline_only = o->threads == 1 || o->strict;
	return dts_scanner_new(&R->inline_sc, rules, DTS_SCAN_VALID_UTF8) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	opts o = {0};
	run R = {0};
	totals t = {0};
	tool_out out = {0}, rej = {0}, sum = {0};
	dts_rules *rules = NULL;
	pthread_t th[256];
	int nth = 0, rc = EXIT_IO, i;

	tool_name = "dts-classify";
	o.threads = 1;
	o.rules = calloc((size_t)argc + 1, sizeof(*o.rules));
	o.map = calloc((size_t)argc + 1, sizeof(*o.map));
	if (!o.rules || !o.map)
		return EXIT_IO;
	if (parse_args(&o, argc, argv) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	o.progress = !o.quiet && isatty(STDERR_FILENO);
	if (check_paths(&o, argv + optind, argc - optind) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (!(rules = tool_load_rules(o.rules, o.nrules)))
		goto done;
	if (setup_run(&R, &o, rules) < 0) {
		tool_warn("cannot start: %s", dts_error_last() ? dts_error_last()->message : "out of memory");
		goto done;
	}
	if (tool_out_open(&out, o.output) < 0 ||
	    (o.rejects && tool_out_open(&rej, o.rejects) < 0) ||
	    (o.summary && tool_out_open(&sum, o.summary) < 0))
		goto done;
	if (o.rejects)
		fputs("line,reason,raw\n", rej.f);
	/* -j N: N threads classify, the main thread (which also reads and
	 * writes) and N - 1 workers. */
	for (i = 0; !R.inline_only && i < o.threads - 1; i++)
		if (pthread_create(&th[nth], NULL, worker, &R) == 0)
			nth++;
	if (!R.inline_only && nth == 0) {
		tool_warn("cannot start worker threads");
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t.start);
	t.last_progress = t.start;
	if ((i = run_inputs(&R, argv + optind, argc - optind, &out, &rej, &t)) < 0) {
		rc = i == -2 ? EXIT_USAGE : EXIT_IO;
		goto done;
	}
	if (o.progress)
		progress(&t, 1);
	write_summary(&sum, &t, rules);
	/* All three or none: a rejects file that cannot be written must not
	 * leave an output that looks complete. */
	if (tool_out_commit_all((tool_out *[]){&out, &rej, &sum}, 3) < 0)
		goto done;
	if (!o.quiet)
		fprintf(stderr, "%s: %llu records in, %llu classified, %llu rejected%s%s\n",
			tool_name, (unsigned long long)t.in, (unsigned long long)t.out,
			(unsigned long long)t.rejected,
			t.stopped ? " (stopped at the first: --strict)" :
			t.rejected && o.rejects ? "; see " : "",
			!t.stopped && t.rejected && o.rejects ? o.rejects : "");
	rc = t.rejected ? EXIT_REJECTS : EXIT_OK;
	/* Nothing read is not a success (a header with no rows, an XML file
	 * with no message): say so and exit 1. */
	if (t.in == 0) {
		tool_warn("no records in the input");
		rc = EXIT_REJECTS;
	}
done:
	pthread_mutex_lock(&R.mu);
	R.stop = 1;
	pthread_cond_broadcast(&R.cv);
	pthread_mutex_unlock(&R.mu);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	if (rc == EXIT_IO || rc == EXIT_USAGE) {
		tool_out_abort(&out);
		tool_out_abort(&rej);
		tool_out_abort(&sum);
	}
	for (i = 0; R.blocks && (size_t)i < R.nblocks; i++)
		block_free(&R.blocks[i]);
	free(R.blocks);
	free(R.top_of);
	input_free(R.first_input);
	dts_scanner_free(R.inline_sc);
	dts_rules_free(rules);
	free(o.rules);
	free(o.map);
	return rc;
}
