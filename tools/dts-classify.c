/*
 * dts-classify — batch classification: every input record comes out
 * classified, or goes to the rejects with its line and reason.
 *
 * The command-line layer over dts_batch (dts/batch.h: N threads, results
 * in input order) and the record writers (dts/records.h): options, the
 * outputs written via temporary files, progress, the messages.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

/* Our callbacks' own codes, below DTS_EUSER (never a library error). */
enum { STOP_STRICT = DTS_EUSER, FAIL_OUT = DTS_EUSER - 1, FAIL_REJ = DTS_EUSER - 2,
       FAIL_REV = DTS_EUSER - 3 };

typedef struct opts {
	tool_reading rd;
	const char *output, *rejects, *summary, *review;
	dts_records_format format;
	int threads, strict, explain, quiet, progress, bom, review_column;
} opts;

typedef struct run {
	const opts *o;
	const dts_rules *rules;
	tool_out out, rej, sum, rev;
	dts_records *w_out, *w_rej, *w_show, *w_rev;
	const char *path;        /* the input being read */
	unsigned shown_rejects;  /* on stderr, when there is no --rejects file */
	int stopped;             /* --strict hit a reject */
	uint64_t seen, bytes;    /* for the progress line */
	int64_t size_total;
	dts_source *first;       /* kept open: later inputs must have its columns */
	struct timespec start, last_progress;
} run;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress(run *R, int final)
{
	double el = seconds_since(&R->start);

	if (!final && seconds_since(&R->last_progress) < 0.5)
		return;
	clock_gettime(CLOCK_MONOTONIC, &R->last_progress);
	fprintf(stderr, "\r%s: %llu records, %.1f MB/s", tool_name, (unsigned long long)R->seen,
		el > 0 ? (double)R->bytes / 1e6 / el : 0.0);
	if (R->size_total > 0)
		fprintf(stderr, ", %.0f%%", 100.0 * (double)R->bytes / (double)R->size_total);
	fputs(final ? "\n" : "   ", stderr);
}

/* The writers' bytes into the outputs; a short write names the output. */
static int put_out(const void *d, size_t n, void *p)
{
	return fwrite(d, 1, n, ((run *)p)->out.f) == n ? 0 : FAIL_OUT;
}

static int put_rej(const void *d, size_t n, void *p)
{
	return fwrite(d, 1, n, ((run *)p)->rej.f) == n ? 0 : FAIL_REJ;
}

static int put_rev(const void *d, size_t n, void *p)
{
	return fwrite(d, 1, n, ((run *)p)->rev.f) == n ? 0 : FAIL_REV;
}

/* No rejects file: the first ten reasons on stderr. */
static int show_reject(const void *data, size_t len, void *payload)
{
	const run *R = payload;

	fprintf(stderr, "%s: %s: rejected line %.*s\n", tool_name, R->path,
		(int)(len && ((const char *)data)[len - 1] == '\n' ? len - 1 : len),
		(const char *)data);
	return 0;
}

static int on_item(const dts_batch_item *it, void *payload)
{
	run *R = payload;

	R->seen++;
	if (it->offset > R->bytes)
		R->bytes = it->offset;
	if (R->o->progress && (R->seen & 1023) == 0)
		progress(R, 0);
	if (!it->result && R->w_show && R->shown_rejects < 10)
		R->shown_rejects++, dts_records_write(R->w_show, it);
	if (!it->result && R->o->strict)
		return R->stopped = 1, STOP_STRICT;
	if (it->result && R->w_rev)
		return dts_records_write(R->w_rev, it);
	return 0;
}

/* The writers, made for the first input's columns. */
static int open_writers(run *R, const char *const *names, size_t n)
{
	unsigned fl = (R->o->explain ? DTS_RECORDS_EXPLAIN : 0) |
		      (R->o->bom ? DTS_RECORDS_BOM : 0) |
		      (R->o->review_column ? DTS_RECORDS_REVIEW : 0);

	if (dts_records_new_cb(&R->w_out, R->o->format, fl, names, n, put_out, R) < 0 ||
	    dts_records_set_rules(R->w_out, R->rules) < 0 ||
	    (R->rev.f && (dts_records_new_cb(&R->w_rev, R->o->format,
					     fl | DTS_RECORDS_REVIEW | DTS_RECORDS_REVIEW_ONLY,
					     names, n, put_rev, R) < 0 ||
			  dts_records_set_rules(R->w_rev, R->rules) < 0)) ||
	    (R->rej.f && dts_records_new_cb(&R->w_rej, DTS_RECORDS_REJECTS, 0, NULL, 0,
					    put_rej, R) < 0) ||
	    (!R->rej.f && !R->o->quiet &&
	     dts_records_new_cb(&R->w_show, DTS_RECORDS_REJECTS, 0, NULL, 0, show_reject, R) < 0))
		return tool_lib_error(NULL), -1;
	if (dts_records_write_header(R->w_out) != 0)
		return tool_out_write_failed(&R->out);
	if (R->w_rej && dts_records_write_header(R->w_rej) != 0)
		return tool_out_write_failed(&R->rej);
	if (R->w_rev && dts_records_write_header(R->w_rev) != 0)
		return tool_out_write_failed(&R->rev);
	return 0;
}

/* Classify one input; -1 on an error (said), -2 on a usage error. The
 * first input stays open (R->first): the others must have its columns. */
static int run_input(run *R, dts_batch *B, const char *path, const char *first)
{
	dts_source *in = NULL;
	const char *const *names;
	size_t n;
	int rc;

	if ((rc = tool_source_open(&in, path, &R->o->rd.in)) < 0)
		return rc;
	if ((rc = tool_source_report(in, dts_rules_fields(R->rules),
				     R->o->quiet ? TOOL_REPORT_QUIET : 0)) < 0) {
		dts_source_free(in);
		return rc;
	}
	n = dts_source_header(in, &names);
	if (!R->first) {
		R->first = in;
		if (open_writers(R, names, n) < 0)
			return -1;
	} else if (!dts_source_same_columns(R->first, in)) {
		tool_warn("%s: columns differ from those of %s; classify files with different columns separately",
			  dts_source_name(in), first);
		dts_source_free(in);
		return -1;
	}
	R->path = dts_source_name(in);
	R->size_total = dts_source_size(in);
	rc = dts_batch_run(B, in, R->w_out, R->w_rej, on_item, R);
	if (rc == FAIL_OUT || rc == FAIL_REJ || rc == FAIL_REV)
		tool_out_write_failed(rc == FAIL_OUT ? &R->out : rc == FAIL_REJ ? &R->rej : &R->rev);
	else if (rc < 0 && rc != STOP_STRICT)
		tool_lib_error(dts_source_name(in));
	if (in != R->first)
		dts_source_free(in);
	return rc < 0 && rc != STOP_STRICT ? -1 : 0;
}

static void usage(FILE *to)
{
	fprintf(to,
		"Usage: dts-classify [OPTION]... [INPUT]...\n"
		"Classify trade records (CSV, customs CBEC XML, .xlsx or .xls) into the categories of\n"
		"digital trade. Reads standard input when no INPUT is given.\n"
		"\n"
		"  -r, --rules FILE      classifier file (repeatable; default: the shipped one)\n"
		"  -o, --output FILE     write here (via a temporary file) instead of stdout\n"
		"  -f, --format FMT      csv (default) or jsonl\n"
		"      --rejects FILE    rejected records as CSV: line,reason,raw\n"
		"      --summary FILE    JSON summary: records_in, records_out, rejected,\n"
		"                        by_category, encoding, profile, binding\n"
		"  -j, --jobs N          threads that classify (default 1); same output for any N\n"
		"      --strict          stop at the first rejected record\n"
		"      --explain         add a dts_reason column: the leaves that decided\n"
		"      --bom             start CSV output with a UTF-8 BOM (for Excel)\n"
		"      --review-column   add a dts_review column: why the result is to be\n"
		"                        checked by hand (code-only, no-evidence...), empty\n"
		"                        when confident\n"
		"      --review FILE     the records to check by hand (with dts_review), same\n"
		"                        format; the summary counts them by reason\n"
		"  -d, --delimiter C     CSV separator: ',' (default), tab, ';' or '|'\n"
		"      --encoding ENC    auto (default: UTF-8, UTF-16 with a BOM, else\n"
		"                        GB18030), utf-8, utf-16le, utf-16be, gb18030, gbk\n"
		TOOL_PROFILE_USAGE
		"  -m, --map COL=FIELD   bind column COL to canonical FIELD ('-' unbinds)\n"
		"      --input-format F  auto (default), csv, xml, xlsx or xls\n"
		"      --sheet NAME      the worksheet of an .xlsx/.xls input (default: the first)\n"
		TOOL_FASTPATH_USAGE
		"  -q, --quiet           no binding and summary lines on stderr\n"
		"  -h, --help            this help\n"
		"  -V, --version         version\n"
		"\n"
		"Exit status: 0 all records classified; 1 some records rejected (or, with\n"
		"--strict, stopped at one); 2 usage error, or no column binds a field the\n"
		"classifier reads; 3 input, output or classifier could not be used.\n");
}

static int parse_args(opts *o, int argc, char **argv)
{
	enum { O_REJECTS = 256, O_SUMMARY, O_STRICT, O_EXPLAIN, O_BOM, O_REVIEW, O_REVIEW_COLUMN };
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'}, {"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'}, {"rejects", required_argument, NULL, O_REJECTS},
		{"summary", required_argument, NULL, O_SUMMARY}, {"jobs", required_argument, NULL, 'j'},
		{"strict", no_argument, NULL, O_STRICT}, {"explain", no_argument, NULL, O_EXPLAIN},
		{"bom", no_argument, NULL, O_BOM},
		{"review", required_argument, NULL, O_REVIEW},
		{"review-column", no_argument, NULL, O_REVIEW_COLUMN},
		{"delimiter", required_argument, NULL, 'd'}, {"encoding", required_argument, NULL, TOOL_O_ENCODING},
		{"map", required_argument, NULL, 'm'}, {"input-format", required_argument, NULL, TOOL_O_INPUT_FORMAT},
		TOOL_SHEET_OPTION, TOOL_PROFILE_LONGOPTS, TOOL_FASTPATH_LONGOPTS,
		{"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
	};
	char *end;
	long n;
	int c, k;

	while ((c = getopt_long(argc, argv, "r:o:f:j:d:m:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'f':
			if (strcmp(optarg, "csv") && strcmp(optarg, "jsonl"))
				return tool_warn("unknown format '%s' (csv or jsonl)", optarg), -1;
			o->format = strcmp(optarg, "csv") ? DTS_RECORDS_JSONL : DTS_RECORDS_CSV;
			break;
		case O_REJECTS: o->rejects = optarg; break;
		case O_SUMMARY: o->summary = optarg; break;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > DTS_BATCH_MAX_THREADS)
				return tool_warn("-j wants a number of threads from 1 to 256, not '%s'", optarg), -1;
			o->threads = (int)n;
			break;
		case O_STRICT: o->strict = 1; break;
		case O_EXPLAIN: o->explain = 1; break;
		case O_BOM: o->bom = 1; break;
		case O_REVIEW: o->review = optarg; break;
		case O_REVIEW_COLUMN: o->review_column = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': tool_version(); break;
		default:
			if ((k = tool_reading_option(&o->rd, c, optarg)) > 0)
				break;
			if (k == 0)
				usage(stderr);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	opts o = {.rd = TOOL_READING_INIT};
	run R = {0};
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_batch_stats st;
	dts_batch *B = NULL;
	dts_rules *rules = NULL;
	static char *stdin_name[] = {(char *)"-"};
	char **inputs = stdin_name;
	int rc = EXIT_IO, i, k, ninputs = 1;

	tool_name = "dts-classify";
	o.threads = 1;
	R.o = &o;
	/* Refuse outputs that are one file, or an input or classifier (exit 2). */
	if (parse_args(&o, argc, argv) < 0 ||
	    tool_check_paths((const char *[]){o.output, o.rejects, o.summary, o.review}, 4,
			     argv + optind, argc - optind,
			     o.rd.rules, o.rd.nrules) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	o.progress = !o.quiet && isatty(STDERR_FILENO);
	if (optind < argc)
		inputs = argv + optind, ninputs = argc - optind;
	if (!(rules = tool_load_rules(o.rd.rules, o.rd.nrules)))
		goto done;
	R.rules = rules;
	bo.threads = o.threads;
	bo.flags = (o.explain ? DTS_BATCH_EXPLAIN : 0) |
		   (o.rd.in.flags & DTS_SOURCE_REFERENCE ? DTS_BATCH_REFERENCE : 0);
	if (dts_batch_new(&B, rules, &bo) < 0 && tool_lib_error("cannot start"))
		goto done;
	if (tool_out_open(&R.out, o.output) < 0 ||
	    (o.rejects && tool_out_open(&R.rej, o.rejects) < 0) ||
	    (o.summary && tool_out_open(&R.sum, o.summary) < 0) ||
	    (o.review && tool_out_open(&R.rev, o.review) < 0))
		goto done;
	clock_gettime(CLOCK_MONOTONIC, &R.start);
	R.last_progress = R.start;
	/* Every input in turn (stdin when none) into the same outputs. */
	for (k = 0, i = 0; k < ninputs && i == 0 && !R.stopped; k++)
		i = run_input(&R, B, inputs[k], inputs[0]);
	if (i < 0) {
		rc = i == -2 ? EXIT_USAGE : EXIT_IO;
		goto done;
	}
	dts_batch_stats_get(&st, B);
	st.stopped = R.stopped;
	if (o.progress)
		progress(&R, 1);
	if (R.sum.f)
		dts_records_summary_review_file(R.sum.f, rules, &st, R.first, R.w_rev);
	/* All three or none: a rejects file that cannot be written must not
	 * leave an output that looks complete. */
	if (tool_out_commit_all((tool_out *[]){&R.out, &R.rej, &R.sum, &R.rev}, 4) < 0)
		goto done;
	if (!o.quiet)
		fprintf(stderr, "%s: %llu records in, %llu classified, %llu rejected%s%s\n",
			tool_name, (unsigned long long)st.records_in,
			(unsigned long long)st.records_out, (unsigned long long)st.rejected,
			st.stopped ? " (stopped at the first: --strict)" :
			st.rejected && o.rejects ? "; see " : "",
			!st.stopped && st.rejected && o.rejects ? o.rejects : "");
	rc = st.rejected ? EXIT_REJECTS : EXIT_OK;
	/* Nothing read is not a success (a header with no rows, an XML file
	 * with no message): say so and exit 1. */
	if (st.records_in == 0)
		tool_warn("no records in the input"), rc = EXIT_REJECTS;
done:
	dts_batch_free(B);
	if (rc == EXIT_IO || rc == EXIT_USAGE) {
		tool_out_abort(&R.out);
		tool_out_abort(&R.rej);
		tool_out_abort(&R.sum);
		tool_out_abort(&R.rev);
	}
	dts_records_free(R.w_out), dts_records_free(R.w_rej), dts_records_free(R.w_show);
	dts_records_free(R.w_rev);
	dts_source_free(R.first);
	dts_rules_free(rules);
	return rc;
}
