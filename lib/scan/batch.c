/*
 * batch.c — ordered batch classification on N threads (dts/batch.h).
 *
 * Rows travel in blocks: the caller's thread reads a block from the
 * source, workers (each with its own scanner) classify and format it, and
 * the caller's thread delivers blocks in input order, so the output is the
 * same whatever the number of threads. While it has nothing to read or
 * deliver, the caller's thread classifies a block too. The same blocks and
 * threads run other per-row work (batch_int.h: dts_agg on N threads).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../write/records_int.h"
#include "batch_int.h"

#define BLOCK_ROWS 4096
/* A work batch's default: dts_agg's rows are ~1.2 us each, so a block of
 * 1024 is still a millisecond of work a hand-off, and its rows, lengths
 * and values (~350 bytes a 15-column row) stay within a core's L2 while
 * they pass from the reading thread to a worker. On 100 MB at -j 2 it
 * made 1,800 fewer page faults than 4096 (6,100 against 7,900; -j 1:
 * 4,350) for the same instructions (callgrind, 100k customs rows). */
#define WORK_BLOCK_ROWS 1024
#define BLOCK_BYTES ((size_t)1 << 20)
#define FIRST_VALS ((size_t)1 << 16)  /* values a fresh block makes room for at most */

enum { B_FREE, B_READY, B_BUSY, B_DONE };
enum { R_OK, R_READER, R_POLICY, R_FATAL }; /* classified, rejected by the reader, by the
					    policy; work: the row's error stops the run */
#define NO_RAW ((size_t)-1)    /* row_ref.raw of a work reject: none */


typedef struct row_ref {
	uint64_t line, offset;
	size_t first, ncols;  /* values: block lens [first, first + ncols) */
	size_t text;          /* the first value in the block's text, the others after it */
	int kind;             /* R_* */
	int top;
	size_t reason;        /* rejected: offset of the reason (text for R_READER, aux for R_POLICY) */
	size_t raw, raw_len;  /* rejected: the record as written, same buffer */
	size_t explain;       /* DTS_BATCH_EXPLAIN: offset in aux */
	size_t out_end, rej_end; /* formatted bytes up to and including this row */
	unsigned wflags;      /* work: what the row function said */
} row_ref;

typedef struct block {
	int state;
	uint64_t seq;
	dts__buf text;        /* values, NUL-terminated, back to back; reader rejects */
	dts__buf aux;         /* policy reasons, joined raws, explanations */
	size_t *lens;         /* per value of every row */
	size_t nvals, vals_cap;
	row_ref *rows;
	dts_result *res;      /* per row, classifying only (a work row has none) */
	dts_evidence *ev;
	size_t nrows;
	dts__buf out, rej;    /* formatted for the writers */
	dts_error fatal;      /* work: the error of the R_FATAL row */
} block;

/* Per-thread scratch: reused, so rows allocate nothing once warm. */
typedef struct scratch {
	const char **cols;    /* the row's values, pointers into the block's text */
	size_t cols_cap;
	dts__buf why;
	dts__records_memo memo;  /* the output's result columns, formatted */
} scratch;

typedef struct worker {
	struct dts_batch *B;
	int index;            /* dts__batch_work.ctx[index] */
	dts_scanner *sc;
	pthread_t th;
	int started;
} worker;

struct dts_batch {
	const dts_rules *rules;
	unsigned flags;
	int fast_out;         /* dts__records_format_memo, unless DTS_BATCH_REFERENCE */
	size_t block_rows;
	int *top_of;          /* category index -> top index */
	block *blocks;
	size_t nblocks;
	worker *workers;      /* [0] is the caller's thread (not started) */
	int nworkers;
	scratch caller;       /* the caller's thread's scratch */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int quit;
	/* the run under way */
	const dts_binding *binding;
	char sep;
	dts_records *out, *rej;
	dts_source *src;
	const dts__batch_work *work;  /* NULL: classify */
	void *work_payload;
	dts_batch_stats st;
	int read_rc;          /* the source's error, delivered after the rows before it */
	dts_error read_err;
};

/* Index of a top code in dts_category_top()'s order; anything else is NONE. */
static int top_index(const char *top)
{
	int i = top ? dts_category_top_index(top) : DTS_ENOTFOUND;

	return i >= 0 ? i : DTS_CATEGORY_TOPS - 1;
}

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- blocks ------------------------------------------------------------------ */

static void block_reset(block *b)
{
	b->text.len = b->aux.len = b->out.len = b->rej.len = 0;
	b->nvals = b->nrows = 0;
}

static void block_free(block *b)
{
	dts__buf_free(&b->text);
	dts__buf_free(&b->aux);
	dts__buf_free(&b->out);
	dts__buf_free(&b->rej);
	free(b->lens);
	free(b->rows);
	free(b->res);
	free(b->ev);
}

static int block_oom(const block *b)
{
	return b->text.oom || b->aux.oom || b->out.oom || b->rej.oom;
}

/* The CSV reader's values lie back to back, each with its NUL: then one
 * copy of the whole span gives the same bytes as one copy per value. 0
 * when they do not (the caller copies them one by one), 1 when copied. */
static int copy_span(block *b, const dts_source_row *r)
{
	const char *s = r->ncols ? r->cols[0] : NULL;
	size_t i, pos = 0;

	for (i = 0; i < r->ncols; i++) {
		if (r->cols[i] != s + pos)
			return 0;
		b->lens[b->nvals + i] = r->lens[i];
		pos += r->lens[i] + 1;
	}
	if (!pos)
		return 0;
	dts__buf_add(&b->text, s, pos);
	b->nvals += r->ncols;
	return 1;
}

/* Room for n more values. A fresh block is sized for `rows` rows like r
 * at once (values and bytes, within bounds): growing it by doubling, a
 * block at a time on each of the threads' blocks, cost more than a
 * thousand instructions a record on the first 30,000 records of -j 2. */
static int vals_room(block *b, const dts_source_row *r, size_t rows)
{
	size_t cap = (b->nvals + r->ncols) * 2, bytes = r->ncols, i;
	size_t *l;

	if (b->nvals + r->ncols <= b->vals_cap)
		return 0;
	if (!b->vals_cap && rows * r->ncols <= FIRST_VALS && rows * r->ncols > cap)
		cap = rows * r->ncols;
	if (!b->text.cap) {
		for (i = 0; i < r->ncols; i++)
			bytes += r->lens[i];
		(void)dts__buf_grow(&b->text, rows * bytes < BLOCK_BYTES ? rows * bytes
									 : BLOCK_BYTES);
	}
	if (!(l = realloc(b->lens, cap * sizeof(*l))))
		return oom();
	b->lens = l;
	b->vals_cap = cap;
	return b->text.oom ? oom() : 0;
}

static int block_push_row(block *b, const dts_source_row *r, size_t rows)
{
	row_ref *rr = &b->rows[b->nrows];
	size_t i;

	*rr = (row_ref){.line = r->line, .offset = r->offset, .top = -1};
	if (r->error) {
		rr->kind = R_READER;
		rr->raw = b->text.len;
		rr->raw_len = r->raw_len;
		dts__buf_add(&b->text, r->raw ? r->raw : "", r->raw_len);
		dts__buf_ch(&b->text, '\0');
		rr->reason = b->text.len; /* copied: the reader reuses it */
		dts__buf_str(&b->text, r->error);
		dts__buf_ch(&b->text, '\0');
		b->nrows++;
		return b->text.oom ? oom() : 0;
	}
	if (vals_room(b, r, rows) < 0)
		return oom();
	rr->first = b->nvals;
	rr->ncols = r->ncols;
	rr->text = b->text.len;
	if (copy_span(b, r) == 0) {
		for (i = 0; i < r->ncols; i++) {
			b->lens[b->nvals] = r->lens[i];
			b->nvals++;
			dts__buf_add(&b->text, r->cols[i], r->lens[i]);
			dts__buf_ch(&b->text, '\0');
		}
	}
	b->nrows++;
	return b->text.oom ? oom() : 0;
}

/* The values of row r, as pointers into the block's text, in x->cols:
 * they lie back to back there, each with its NUL (block_push_row). Made
 * per row by the thread that uses them, so the block holds no pointers
 * (they would be as many bytes again as the lengths, written by one
 * thread and read by another). */
static int row_cols(scratch *x, const block *b, const row_ref *r)
{
	const size_t *lens = b->lens + r->first;
	const char *p = b->text.p + r->text;
	size_t i;

	if (r->ncols > x->cols_cap) {
		size_t cap = r->ncols < 64 ? 64 : r->ncols;
		const char **c = realloc(x->cols, cap * sizeof(*c));

		if (!c)
			return -1;
		x->cols = c;
		x->cols_cap = cap;
	}
	for (i = 0; i < r->ncols; i++) {
		x->cols[i] = p;
		p += lens[i] + 1;
	}
	return 0;
}

/* The item for row r (its values already in x->cols when it has any). */
static void make_item(dts_batch_item *it, const block *b, const row_ref *r,
		      const scratch *x)
{
	size_t i = (size_t)(r - b->rows);

	const dts__buf *rb = r->kind == R_READER ? &b->text : &b->aux;

	memset(it, 0, sizeof(*it));
	it->line = r->line;
	it->offset = r->offset;
	it->top = -1;
	if (r->kind != R_READER) {
		it->cols = (const char *const *)x->cols;
		it->lens = b->lens + r->first;
		it->ncols = r->ncols;
	}
	if (r->kind == R_OK) {
		it->result = &b->res[i];
		it->evidence = &b->ev[i];
		it->top = r->top;
		if (r->explain != (size_t)-1)
			it->explain = b->aux.p + r->explain;
	} else {
		it->reason = rb->p + r->reason;
		it->raw = r->raw == NO_RAW ? NULL : rb->p + r->raw;
		it->raw_len = r->raw_len;
	}
}

/* ---- classifying ---------------------------------------------------------- */

static int keep_winner(const dts_match *m, void *payload)
{
	dts__buf *why = payload;

	if (!m->winner)
		return 0;
	dts__buf_str(why, m->why);
	return 1; /* the winner is all an explanation says: stop the walk */
}

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

static void classify_row(const struct dts_batch *B, block *b, row_ref *r,
			 dts_scanner *sc, scratch *x)
{
	const size_t *lens = b->lens + r->first;
	size_t ri = (size_t)(r - b->rows);
	dts_result *res = &b->res[ri];
	int rc = dts_source_classify(res, sc, B->binding, x->cols, lens, r->ncols);

	r->explain = (size_t)-1;
	if (rc == DTS_ENOMEM) { /* not the record's fault: the run fails */
		b->aux.oom = 1;
		return;
	}
	if (rc < 0) {
		const dts_error *e = dts_error_last();

		r->kind = R_POLICY;
		r->reason = b->aux.len;
		dts__buf_str(&b->aux, e ? e->message : dts_strerror(rc));
		dts__buf_ch(&b->aux, '\0');
		r->raw = b->aux.len;
		join_raw(&b->aux, x->cols, lens, r->ncols, B->sep);
		r->raw_len = b->aux.len - r->raw;
		dts__buf_ch(&b->aux, '\0');
		return;
	}
	/* The fast path's evidence and result are the record's: the explain
	 * walk below stops at the winner, before the dimensions. */
	b->ev[ri].version = DTS_EVIDENCE_VERSION;
	dts_scanner_evidence(&b->ev[ri], sc);
	if (B->flags & DTS_BATCH_EXPLAIN) {
		/* Classify again on the slow path to say why. */
		dts_value vals[DTS_F_COUNT];
		size_t n = dts_binding_values(vals, B->binding, x->cols, lens, r->ncols);
		dts_result again;

		x->why.len = 0;
		if (dts_scanner_explain(&again, sc, vals, n, keep_winner,
					&x->why) == DTS_ENOMEM || x->why.oom) {
			b->aux.oom = 1;
			return;
		}
		r->explain = b->aux.len;
		dts__buf_add(&b->aux, x->why.p ? x->why.p : "", x->why.len);
		dts__buf_ch(&b->aux, '\0');
	}
	r->top = B->top_of[res->category_index];
}

/* Work row r of block b with the thread's context: -1 when its error
 * stops the run (the rest of the block is never delivered, so it is not
 * worked). */
static int work_row(const struct dts_batch *B, block *b, row_ref *r, void *ctx,
		    scratch *x)
{
	dts_source_row row = {(const char *const *)x->cols, b->lens + r->first, r->ncols,
			      r->line, NULL, NULL, 0, r->offset};
	int rc;

	r->wflags = 0;
	r->explain = (size_t)-1;   /* work rows have no explanation */
	x->why.len = 0;
	rc = B->work->row(ctx, &row, &x->why, &r->wflags);
	if (rc == 0)
		return 0;
	if (rc == DTS_EINPUT) {
		r->kind = R_POLICY;
		r->reason = b->aux.len;
		dts__buf_str(&b->aux, x->why.p && x->why.len ? x->why.p : "rejected");
		dts__buf_ch(&b->aux, '\0');
		r->raw = NO_RAW;
		r->raw_len = 0;
		return 0;
	}
	r->kind = R_FATAL;
	if (dts_error_last())
		b->fatal = *dts_error_last();
	else
		memset(&b->fatal, 0, sizeof(b->fatal));
	b->fatal.code = rc;
	return -1;
}

static void process_block(const struct dts_batch *B, block *b, dts_scanner *sc,
			  scratch *x, void *ctx)
{
	dts_batch_item it;
	size_t i;

	if (B->work) {
		for (i = 0; i < b->nrows; i++) {
			row_ref *r = &b->rows[i];

			if (r->kind == R_READER)
				continue;
			if (row_cols(x, b, r) < 0) {
				b->aux.oom = 1;
				return;
			}
			if (work_row(B, b, r, ctx, x) < 0)
				return;
		}
		return;
	}
	/* A fresh output buffer sized once: the values and about 96 bytes
	 * of result columns a row (it grows as needed beyond). */
	if (B->out && !b->out.cap)
		(void)dts__buf_grow(&b->out, b->text.len + b->nrows * 96);
	for (i = 0; i < b->nrows; i++) {
		row_ref *r = &b->rows[i];

		if (r->kind != R_READER) {
			if (row_cols(x, b, r) < 0) {
				b->aux.oom = 1;
				return;
			}
			classify_row(B, b, r, sc, x);
		}
		make_item(&it, b, r, x);
		if (B->out && B->fast_out)
			dts__records_format_memo(B->out, &x->memo, &b->out, &it);
		else if (B->out)
			dts__records_format(B->out, &b->out, &it);
		if (B->rej)
			dts__records_format(B->rej, &b->rej, &it);
		r->out_end = b->out.len;
		r->rej_end = b->rej.len;
	}
}

/* ---- threads -------------------------------------------------------------- */

/* The ready block read first (B->mu held), or NULL. */
static block *oldest_ready(struct dts_batch *B)
{
	block *pick = NULL;
	size_t i;

	for (i = 0; i < B->nblocks; i++)
		if (B->blocks[i].state == B_READY && (!pick || B->blocks[i].seq < pick->seq))
			pick = &B->blocks[i];
	return pick;
}

/* Take the oldest ready block and classify it (B->mu held, released
 * meanwhile). 0 when there was none. */
static int take_one(struct dts_batch *B, const worker *w, scratch *x)
{
	block *pick = oldest_ready(B);

	if (!pick)
		return 0;
	pick->state = B_BUSY;
	pthread_mutex_unlock(&B->mu);
	process_block(B, pick, w->sc, x, B->work ? B->work->ctx[w->index] : NULL);
	pthread_mutex_lock(&B->mu);
	pick->state = B_DONE;
	pthread_cond_broadcast(&B->cv);
	return 1;
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	struct dts_batch *B = w->B;
	scratch x = {0};

	pthread_mutex_lock(&B->mu);
	while (!B->quit)
		if (!take_one(B, w, &x))
			pthread_cond_wait(&B->cv, &B->mu);
	pthread_mutex_unlock(&B->mu);
	dts__buf_free(&x.why);
	free(x.cols);
	dts__records_memo_free(&x.memo);
	return NULL;
}

/* ---- the batch ------------------------------------------------------------ */

static int make_tops(struct dts_batch *B)
{
	size_t i, n = B->rules ? dts_rules_category_count(B->rules) : 0;

	if (!(B->top_of = calloc(n + 1, sizeof(*B->top_of))))
		return oom();
	for (i = 0; i < n; i++) {
		dts_category_info ci;

		B->top_of[i] = DTS_CATEGORY_TOPS - 1;
		if (dts_rules_category(&ci, B->rules, i) == 0)
			B->top_of[i] = top_index(ci.top);
	}
	return 0;
}

static int make_blocks(struct dts_batch *B, int threads)
{
	size_t i;

	B->nblocks = threads == 1 ? 1 : (size_t)threads * 3;
	if (!(B->blocks = calloc(B->nblocks, sizeof(*B->blocks))))
		return oom();
	for (i = 0; i < B->nblocks; i++) {
		block *b = &B->blocks[i];

		if (!(b->rows = calloc(B->block_rows, sizeof(row_ref))))
			return oom();
		if (B->rules && (!(b->res = calloc(B->block_rows, sizeof(*b->res))) ||
				 !(b->ev = calloc(B->block_rows, sizeof(*b->ev)))))
			return oom();
	}
	return 0;
}

static int start_workers(struct dts_batch *B, int threads)
{
	int i, rc;

	if (!(B->workers = calloc((size_t)threads, sizeof(*B->workers))))
		return oom();
	B->nworkers = threads;
	for (i = 0; i < threads; i++) {
		B->workers[i].B = B;
		B->workers[i].index = i;
		if (B->rules &&  /* a work batch's contexts classify */
		    (rc = dts_scanner_new(&B->workers[i].sc, B->rules, DTS_SCAN_VALID_UTF8)) < 0)
			return rc;
	}
	for (i = 1; i < threads; i++) {
		if (dts__thread_start(&B->workers[i].th, worker_main, &B->workers[i]) != 0)
			return dts__error(DTS_ERROR, NULL, 0, 0, "cannot start worker thread %d of %d",
					  i, threads - 1);
		B->workers[i].started = 1;
	}
	return 0;
}

/* A batch; rules NULL: a work batch (no scanners). */
static int batch_new(dts_batch **out, const dts_rules *rules, const dts_batch_options *opts)
{
	static const dts_batch_options defaults = DTS_BATCH_OPTIONS_INIT;
	struct dts_batch *B;
	int threads, rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != DTS_BATCH_OPTIONS_VERSION)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_batch_options version %u, expected %u",
				  opts->version, DTS_BATCH_OPTIONS_VERSION);
	threads = opts->threads < 1 ? 1 : opts->threads;
	if (threads > DTS_BATCH_MAX_THREADS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "%d threads: at most %d",
				  opts->threads, DTS_BATCH_MAX_THREADS);
	if (!(B = calloc(1, sizeof(*B))))
		return oom();
	B->rules = rules;
	B->flags = opts->flags;
	B->fast_out = !(opts->flags & DTS_BATCH_REFERENCE);
	B->block_rows = opts->block_rows ? opts->block_rows : BLOCK_ROWS;
	pthread_mutex_init(&B->mu, NULL);
	pthread_cond_init(&B->cv, NULL);
	if ((rc = make_tops(B)) < 0 || (rc = make_blocks(B, threads)) < 0 ||
	    (rc = start_workers(B, threads)) < 0) {
		dts_batch_free(B);
		return rc;
	}
	*out = B;
	return 0;
}

int dts_batch_new(dts_batch **out, const dts_rules *rules, const dts_batch_options *opts)
{
	if (!out || !rules)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_batch_new: NULL argument");
	return batch_new(out, rules, opts);
}

int dts__batch_new_work(dts_batch **out, int threads, size_t block_rows)
{
	dts_batch_options o = DTS_BATCH_OPTIONS_INIT;

	o.threads = threads;
	o.block_rows = block_rows ? block_rows : WORK_BLOCK_ROWS;
	return batch_new(out, NULL, &o);
}

int dts__batch_threads(const dts_batch *B)
{
	return B->nworkers;
}

void dts_batch_free(dts_batch *B)
{
	int i;
	size_t j;

	if (!B)
		return;
	pthread_mutex_lock(&B->mu);
	B->quit = 1;
	pthread_cond_broadcast(&B->cv);
	pthread_mutex_unlock(&B->mu);
	for (i = 0; i < B->nworkers; i++) {
		if (B->workers[i].started)
			pthread_join(B->workers[i].th, NULL);
		dts_scanner_free(B->workers[i].sc);
	}
	for (j = 0; B->blocks && j < B->nblocks; j++)
		block_free(&B->blocks[j]);
	pthread_mutex_destroy(&B->mu);
	pthread_cond_destroy(&B->cv);
	free(B->workers);
	free(B->blocks);
	free(B->top_of);
	dts__buf_free(&B->caller.why);
	free(B->caller.cols);
	dts__records_memo_free(&B->caller.memo);
	free(B);
}

void dts_batch_stats_get(dts_batch_stats *out, const dts_batch *B)
{
	*out = B->st;
}

/* ---- a run -------------------------------------------------------------------- */

/*
 * Fill one block from the source. Returns the rows read (0 at the end);
 * *eof is set at the end of input and on a read error, which is kept in
 * B->read_rc to be returned once the rows before it are delivered.
 */
static int fill_block(struct dts_batch *B, block *b, int *eof)
{
	dts_source_row r;
	int rc;

	block_reset(b);
	while (b->nrows < B->block_rows && b->text.len < BLOCK_BYTES) {
		rc = dts_source_next(&r, B->src);
		if (rc == 0) {
			*eof = 1;
			break;
		}
		if (rc < 0 && rc != DTS_EINPUT) {
			const dts_error *e = dts_error_last();

			B->read_rc = rc;
			if (e)
				B->read_err = *e;
			else
				B->read_err.message[0] = B->read_err.file[0] = '\0';
			*eof = 1;
			break;
		}
		if ((rc = block_push_row(b, &r, B->block_rows)) < 0)
			return rc;
	}
	return (int)b->nrows;
}

static int flush(dts_records *w, const dts__buf *buf, size_t len)
{
	return w && len ? dts__records_emit(w, buf->p, len) : 0;
}

/* Deliver block b in order: counts, the callback per row, the writers. */
static int deliver(struct dts_batch *B, block *b, dts_batch_cb cb, void *payload)
{
	dts_batch_item it;
	size_t i;
	int rc;

	if (block_oom(b))
		return oom();
	for (i = 0; i < b->nrows; i++) {
		const row_ref *r = &b->rows[i];

		if (r->kind == R_FATAL) {
			const dts_error *e = &b->fatal;

			B->st.stopped = 1;
			return dts__error(e->code, e->file[0] ? e->file : NULL, e->line,
					  e->column, "%s", e->message);
		}
		B->st.records_in++;
		if (r->kind == R_OK) {
			B->st.records_out++;
			if (r->top >= 0)   /* work rows have no category */
				B->st.by_top[r->top]++;
		} else {
			B->st.rejected++;
		}
		if (r->offset > B->st.bytes)
			B->st.bytes = r->offset;
		if (!cb && !B->work)
			continue;
		/* The work's deliver is given no values (batch_int.h): making
		 * them was a tenth of the reading thread's own instructions. */
		if (!B->work && r->kind != R_READER && row_cols(&B->caller, b, r) < 0)
			return oom();
		make_item(&it, b, r, &B->caller);
		if (B->work) {
			it.cols = NULL;
			it.lens = NULL;
			it.ncols = 0;
		}
		if ((rc = B->work ? B->work->deliver(&it, r->wflags, B->work_payload) :
			  cb(&it, payload)) != 0) {
			B->st.stopped = 1;
			if (flush(B->out, &b->out, r->out_end) == 0)
				flush(B->rej, &b->rej, r->rej_end);
			return rc;
		}
	}
	if ((rc = flush(B->out, &b->out, b->out.len)) != 0)
		return rc;
	return flush(B->rej, &b->rej, b->rej.len);
}

static block *find_block(struct dts_batch *B, int state, uint64_t seq)
{
	size_t i;

	for (i = 0; i < B->nblocks; i++)
		if (B->blocks[i].state == state && (state != B_DONE || B->blocks[i].seq == seq))
			return &B->blocks[i];
	return NULL;
}

/* Read blocks, hand them to the workers, deliver them in order (B->mu held). */
static int pump(struct dts_batch *B, dts_batch_cb cb, void *payload)
{
	uint64_t seq = 0, next = 0;
	int eof = 0, rc = 0;
	block *b;

	while (rc == 0) {
		if ((b = find_block(B, B_DONE, next)) != NULL) {
			pthread_mutex_unlock(&B->mu);
			rc = deliver(B, b, cb, payload);
			pthread_mutex_lock(&B->mu);
			b->state = B_FREE;
			next++;
			continue;
		}
		if (!eof && (b = find_block(B, B_FREE, 0)) != NULL) {
			int got;

			pthread_mutex_unlock(&B->mu);
			got = fill_block(B, b, &eof);
			pthread_mutex_lock(&B->mu);
			if (got < 0) {
				rc = got;
				break;
			}
			if (got > 0) {
				b->seq = seq++;
				b->state = B_READY;
				pthread_cond_broadcast(&B->cv);
			}
			continue;
		}
		if (eof && next == seq)
			break;
		if (!take_one(B, &B->workers[0], &B->caller))
			pthread_cond_wait(&B->cv, &B->mu);
	}
	return rc;
}

static int run(dts_batch *B, dts_source *src, dts_records *writer,
	       dts_records *rejects, dts_batch_cb cb, void *payload)
{
	size_t i;
	int rc, busy;

	B->src = src;
	B->binding = dts_source_binding(src);
	B->sep = dts_source_separator(src);
	B->out = writer;
	B->rej = rejects;
	B->read_rc = 0;
	B->st.stopped = 0;
	B->st.bytes = 0;
	pthread_mutex_lock(&B->mu);
	rc = pump(B, cb, payload);
	/* Stopped early: drop what no worker holds, let them finish the rest. */
	for (i = 0; i < B->nblocks; i++)
		if (B->blocks[i].state == B_READY)
			B->blocks[i].state = B_FREE;
	do {
		busy = 0;
		for (i = 0; i < B->nblocks; i++)
			busy |= B->blocks[i].state == B_BUSY;
		if (busy)
			pthread_cond_wait(&B->cv, &B->mu);
	} while (busy);
	for (i = 0; i < B->nblocks; i++)
		B->blocks[i].state = B_FREE;
	pthread_mutex_unlock(&B->mu);
	B->src = NULL;
	B->out = B->rej = NULL;
	if (rc == 0 && B->read_rc < 0) {
		const dts_error *e = &B->read_err;

		rc = dts__error(B->read_rc, e->file[0] ? e->file : NULL, e->line, e->column,
				"%s", e->message);
	}
	return rc;
}

int dts_batch_run(dts_batch *B, dts_source *src, dts_records *writer,
		  dts_records *rejects, dts_batch_cb cb, void *payload)
{
	if (!B || !src)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_batch_run: NULL argument");
	if (!B->rules)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_batch_run: a batch without rules");
	B->work = NULL;
	return run(B, src, writer, rejects, cb, payload);
}

int dts__batch_run_work(dts_batch *B, dts_source *src, const dts__batch_work *w,
			void *payload)
{
	int rc;

	B->work = w;
	B->work_payload = payload;
	rc = run(B, src, NULL, NULL, NULL, NULL);
	B->work = NULL;
	B->work_payload = NULL;
	return rc;
}
