/*
 * dts-rules — check, test and explain classifier files.
 *
 *   dts-rules check [--werror] FILE...   schema, compile, lint
 *   dts-rules test FILE...               run every <example>
 *   dts-rules explain [-r FILE]... FIELD=VALUE...
 *   dts-rules diff [--details FILE] OLD NEW INPUT...
 *   dts-rules standard [-f md|html|csv|xlsx] [-o FILE] FILE...
 *   dts-rules train -o MODEL [--kind mnb|cnb] [--label COL] CSV...
 *   dts-rules predict -m MODEL CSV...
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "rules_model.h"
#include "tool.h"

static void usage(FILE *to)
{
	fprintf(to,
		"Usage: dts-rules check [--werror] [-q] FILE...\n"
		"       dts-rules test [-q] FILE...\n"
		"       dts-rules explain [-r FILE]... FIELD=VALUE...\n"
		"       dts-rules diff [--details FILE] OLD.xml NEW.xml INPUT...\n"
		"       dts-rules standard [-f md|html|csv|xlsx] [-o FILE] FILE...\n"
		"       dts-rules train -o MODEL [--kind mnb|cnb] [--min-count N] [--alpha A]\n"
		"                       [--label COLUMN] CSV...\n"
		"       dts-rules predict -m MODEL CSV...\n"
		"\n"
		"check    validate against the schema, compile, and lint: rules tried on\n"
		"         every record, regexes without literal atoms, shadowed rules,\n"
		"         rules without examples, unused categories, regexes that stop\n"
		"         at the PCRE2 limits on their rule's examples\n"
		"test     classify every <example> with the whole rule set\n"
		"explain  classify one record and show every rule that matches and why;\n"
		"         without -r the default classifier is used\n"
		"diff     classify the inputs with two classifier versions and show which\n"
		"         records and how much value move between categories\n"
		"standard write the classification standard: categories and definitions,\n"
		"         evidence bands, boundary decisions, the rules of each category,\n"
		"         correspondence tables (made by classifying each code alone),\n"
		"         examples; csv and xlsx give the correspondence tables\n"
		"train    learn the model behind the rules from labelled CSV files (label:\n"
		"         --label COLUMN, default expect_leaf; rows without one are skipped);\n"
		"         the same inputs give the same bytes\n"
		"predict  the model's class, probability and runner-up for each record\n"
		"\n"
		"  -r, --rules FILE  classifier file (repeatable)\n" TOOL_PROFILE_USAGE
		"      --werror      check: warnings make the exit status 1\n"
		"      --details FILE  diff: one CSV row per record that moves\n"
		"  -f, --format FMT  standard: md (default), html, csv or xlsx\n"
		"  -o, --output FILE standard: write to FILE (default standard output);\n"
		"                    train: the model file to write\n"
		"  -m, --model FILE  predict: the model file\n"
		"      --kind K      train: cnb (complement naive Bayes, default) or mnb\n"
		"      --min-count N train: keep features seen N times or more (default 2)\n"
		"      --alpha A     train: smoothing, thousandths (default 300 = 0.3)\n"
		"      --label COL   train: the label column\n"
		"  -q, --quiet       print only problems\n"
		"  -h, --help        this help\n"
		"  -V, --version     version\n"
		"\n"
		"Exit status: 0 ok, 1 examples failed, warnings with --werror, or\n"
		"records moved (diff), 2 usage error, 3 a file could not be used.\n");
}

typedef struct opts {
	tool_reading rd;   /* -r */
	int werror, quiet;
	const char *details;
	const char *format, *output; /* standard */
	model_opts m;      /* train, predict */
} opts;

static int print_lint(const dts_lint *f, void *payload)
{
	size_t *count = payload;

	count[0]++;
	if (f->kind == DTS_LINT_SHADOWED)
		count[1]++;
	printf("%s:%u: warning: %s [%s]\n", f->file, f->line, f->message,
	       dts_lint_kind_name(f->kind));
	return 0;
}

static int cmd_check(const opts *o, char **files, int n)
{
	size_t counts[2] = {0, 0}, i, indexed = 0;
	dts_rules *rules;
	dts_rule_info info;

	if (n == 0) {
		tool_warn("check: no classifier file given");
		return EXIT_USAGE;
	}
	if (!(rules = tool_load_rules((const char *const *)files, (size_t)n)))
		return EXIT_IO;
	dts_rules_lint(rules, print_lint, counts);
	for (i = 0; i < dts_rules_count(rules); i++)
		if (dts_rules_rule(&info, rules, i) == 0 && info.indexed)
			indexed++;
	if (!o->quiet)
		printf("%s: %zu rules (%zu indexed, %zu tried on every record), %zu categories, %zu warnings (%zu shadowed)\n",
		       tool_name, dts_rules_count(rules), indexed,
		       dts_rules_count(rules) - indexed,
		       dts_rules_category_count(rules), counts[0], counts[1]);
	if (!o->quiet) {
		dts_rules_model_info mi;

		if (dts_rules_model(&mi, rules) == 0)
			printf("%s: model %s: %s (%zu classes, %zu features), min-prob %.3f, for %s  %s:%u\n",
			       tool_name, mi.id, mi.src, dts_model_class_count(mi.model),
			       dts_model_feature_count(mi.model), mi.min_prob, mi.when, mi.file,
			       mi.line);
	}
	dts_rules_free(rules);
	return o->werror && counts[0] ? EXIT_REJECTS : EXIT_OK;
}

static int print_failure(const dts_example_failure *f, void *payload)
{
	(void)payload;
	printf("%s:%u: example of rule '%s' failed: expected %s, got %s%s%s%s\n  record: %s\n",
	       f->file, f->line, f->rule, f->expected, f->got,
	       f->got_rule[0] ? " (rule '" : "", f->got_rule,
	       f->got_rule[0] ? "')" : "", f->record);
	return 0;
}

static int cmd_test(const opts *o, char **files, int n)
{
	dts_rules *rules;
	size_t total = 0, failed = 0;
	int rc;

	if (n == 0) {
		tool_warn("test: no classifier file given");
		return EXIT_USAGE;
	}
	if (!(rules = tool_load_rules((const char *const *)files, (size_t)n)))
		return EXIT_IO;
	rc = dts_rules_test(&total, &failed, rules, print_failure, NULL);
	dts_rules_free(rules);
	if (rc < 0 && rc != DTS_ETEST)
		return tool_lib_error("test");
	if (!o->quiet || failed)
		printf("%s: %zu examples, %zu passed, %zu failed\n", tool_name,
		       total, total - failed, failed);
	return failed ? EXIT_REJECTS : EXIT_OK;
}

static int cmd_explain(const opts *o, char **args, int n)
{
	dts_rules *rules = NULL;
	dts_scanner *sc = NULL;
	dts_value *vals = calloc((size_t)n + 1, sizeof(*vals));
	int rc = EXIT_OK, i;

	if (!vals)
		return EXIT_IO;
	for (i = 0; i < n; i++)
		if ((rc = dts_value_parse(&vals[i], args[i])) < 0) {
			tool_warn("explain: %s", dts_error_last()->message);
			rc = rc == DTS_ENOMEM ? EXIT_IO : EXIT_USAGE;
			goto done;
		}
	if (!(rules = tool_load_rules(o->rd.rules, o->rd.nrules))) {
		rc = EXIT_IO;
		goto done;
	}
	if (dts_scanner_new(&sc, rules, 0) < 0) {
		rc = tool_lib_error(NULL);
		goto done;
	}
	/* A failed write to standard output is finish_stdout's to report. */
	if ((i = dts_scanner_explain_text(sc, vals, (size_t)n, stdout)) < 0 && i != DTS_EIO)
		rc = tool_lib_error("explain");
done:
	dts_scanner_free(sc);
	dts_rules_free(rules);
	free(vals);
	return rc;
}

/* diff --details: one CSV row per record that moves. A failed write leaves
 * the stream's error flag set: tool_out_commit reports it, naming the file. */
static int write_moved(const dts_diff_record *r, void *payload)
{
	int rc = payload ? dts_diff_write_record(payload, r) : 0;

	return rc == DTS_EIO ? 0 : rc;
}

static int diff_input(dts_diff *d, const char *path, FILE *details, uint64_t fields,
		      const dts_source_options *in_opts)
{
	dts_source *in;
	int rc;

	if ((rc = tool_source_open(&in, path, in_opts)) < 0)
		return rc;
	if ((rc = tool_source_report(in, fields, TOOL_REPORT_NO_MAP)) < 0) {
		dts_source_free(in);
		return rc;
	}
	if ((rc = dts_diff_source(d, in, write_moved, details)) < 0)
		tool_lib_error(rc == DTS_EOVERFLOW ? "diff" : dts_source_name(in));
	dts_source_free(in);
	return rc < 0 ? -1 : 0;
}

/* The report is the library's (dts_diff_write_text); a failed write to
 * standard output is finish_stdout's to report. */
static int cmd_diff(const opts *o, char **args, int n)
{
	const char *paths[2] = {n > 0 ? args[0] : NULL, n > 1 ? args[1] : NULL};
	dts_rules *rules[2] = {NULL, NULL};
	dts_diff *d = NULL;
	dts_diff_stats st;
	tool_out out;
	int i, k, rc = EXIT_IO;

	memset(&out, 0, sizeof(out));
	if (n < 3) {
		tool_warn("diff: give OLD.xml NEW.xml and at least one input file");
		return EXIT_USAGE;
	}
	for (i = 0; i < 2; i++)
		if (!(rules[i] = tool_load_rules(&paths[i], 1)))
			goto done;
	if (dts_diff_new(&d, rules[0], rules[1], DTS_SCAN_VALID_UTF8) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	if (o->details) {
		if (tool_out_open(&out, o->details) < 0)
			goto done;
		fputs(DTS_DIFF_DETAILS_HEADER, out.f);
	}
	/* An input is checked against what either classifier reads. */
	for (i = 2; i < n; i++)
		if ((k = diff_input(d, args[i], out.f, dts_rules_fields(rules[0]) |
				    dts_rules_fields(rules[1]), &o->rd.in)) < 0) {
			rc = k == -2 ? EXIT_USAGE : EXIT_IO;
			goto done;
		}
	if (o->details && tool_out_commit(&out) < 0)
		goto done;
	dts_diff_stats_get(&st, d);
	i = dts_diff_write_text(d, tool_name, stdout);
	rc = i < 0 && i != DTS_EIO ? tool_lib_error("diff") :
	     st.moved ? EXIT_REJECTS : EXIT_OK;
done:
	if (rc == EXIT_IO || rc == EXIT_USAGE)
		tool_out_abort(&out);
	dts_diff_free(d);
	dts_rules_free(rules[0]);
	dts_rules_free(rules[1]);
	return rc;
}

/* The standard is the library's (dts_standard_write*); the tool picks the
 * format and the file. */
static int cmd_standard(const opts *o, char **files, int n)
{
	const char *outs[1] = {o->output};
	dts_rules *rules;
	tool_out out;
	int fmt = DTS_STANDARD_MD, rc = EXIT_IO;

	memset(&out, 0, sizeof(out));
	if (n == 0) {
		tool_warn("standard: no classifier file given");
		return EXIT_USAGE;
	}
	if (o->format && (fmt = dts_standard_format_parse(o->format)) < 0) {
		tool_warn("standard: %s", dts_error_last()->message);
		return EXIT_USAGE;
	}
	if (fmt == DTS_STANDARD_XLSX && (!o->output || !strcmp(o->output, "-"))) {
		tool_warn("xlsx output needs a file: use -o FILE.xlsx");
		return EXIT_USAGE;
	}
	if (tool_check_paths(outs, 1, files, n, NULL, 0) < 0)
		return EXIT_USAGE;
	if (!(rules = tool_load_rules((const char *const *)files, (size_t)n)))
		return EXIT_IO;
	if (fmt == DTS_STANDARD_XLSX) {
		if (tool_out_open_path(&out, o->output) < 0)
			goto done;
		if (dts_standard_write_xlsx(rules, out.tmp ? out.tmp : o->output) < 0) {
			rc = tool_lib_error(o->output);
			goto done;
		}
	} else {
		if (tool_out_open(&out, o->output) < 0)
			goto done;
		if (dts_standard_write(rules, fmt, out.f) < 0 && !ferror(out.f)) {
			rc = tool_lib_error("standard");
			goto done;
		}
	}
	rc = tool_out_commit(&out) < 0 ? EXIT_IO : EXIT_OK;
done:
	if (rc != EXIT_OK)
		tool_out_abort(&out);
	dts_rules_free(rules);
	return rc;
}

/*
 * Every command's result is its output: a report that could not be written
 * (a full disk, a closed pipe) must not exit 0. stdout is flushed here, once,
 * after whichever command ran, so no command can forget it.
 */
static int finish_stdout(int rc)
{
	int failed, err;

	errno = 0;
	failed = fflush(stdout) != 0;
	err = errno;
	if (!failed && !ferror(stdout))
		return rc;
	if (err)
		tool_warn("cannot write standard output: %s", strerror(err));
	else
		tool_warn("cannot write standard output");
	return EXIT_IO;
}

static const struct option longopts[] = {
	{"rules", required_argument, NULL, 'r'}, TOOL_PROFILE_LONGOPTS,
	{"werror", no_argument, NULL, 'W'},
	{"details", required_argument, NULL, 'D'},
	{"format", required_argument, NULL, 'f'},
	{"output", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"model", required_argument, NULL, 'm'},
	{"kind", required_argument, NULL, 'K'},
	{"min-count", required_argument, NULL, 'C'},
	{"alpha", required_argument, NULL, 'A'},
	{"label", required_argument, NULL, 'L'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

/* Options before the command stop at it ("+"); those after it follow. */
static int parse_opts(opts *o, int argc, char **argv, const char *optstring)
{
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
		case TOOL_O_PROFILE:
		case TOOL_O_PROFILE_DIR:
			if (tool_reading_option(&o->rd, c, optarg) < 0)
				return -1;
			break;
		case 'W': o->werror = 1; break;
		case 'D': o->details = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = o->m.output = optarg; break;
		case 'm': o->m.model = optarg; break;
		case 'L': o->m.label = optarg; break;
		case 'K':
			if (!strcmp(optarg, "mnb") || !strcmp(optarg, "cnb"))
				o->m.kind = !strcmp(optarg, "mnb") ? DTS_MODEL_MNB : DTS_MODEL_CNB;
			else {
				tool_warn("--kind: mnb or cnb, not '%s'", optarg);
				return -1;
			}
			break;
		case 'C':
		case 'A': {
			char *e;
			unsigned long v = strtoul(optarg, &e, 10);

			if (*e || !*optarg || v == 0 || v > 100000) {
				tool_warn("--%s: a whole number 1..100000, not '%s'",
					  c == 'C' ? "min-count" : "alpha", optarg);
				return -1;
			}
			*(c == 'C' ? &o->m.min_count : &o->m.alpha_milli) = (unsigned)v;
			break;
		}
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(finish_stdout(EXIT_OK));
		case 'V': tool_version(); break;
		default: usage(stderr); return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	opts o = {.rd = TOOL_READING_INIT};
	const char *cmd;
	int rc;

	tool_name = "dts-rules";
	if (parse_opts(&o, argc, argv, "+r:f:o:m:qhV") < 0)
		return EXIT_USAGE;
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	if (parse_opts(&o, argc, argv, "r:f:o:m:qhV") < 0)
		return EXIT_USAGE;
	if (strcmp(cmd, "check") == 0)
		rc = cmd_check(&o, argv + optind, argc - optind);
	else if (strcmp(cmd, "test") == 0)
		rc = cmd_test(&o, argv + optind, argc - optind);
	else if (strcmp(cmd, "explain") == 0)
		rc = cmd_explain(&o, argv + optind, argc - optind);
	else if (strcmp(cmd, "diff") == 0)
		rc = cmd_diff(&o, argv + optind, argc - optind);
	else if (strcmp(cmd, "standard") == 0)
		rc = cmd_standard(&o, argv + optind, argc - optind);
	else if (strcmp(cmd, "train") == 0)
		rc = cmd_train(&o.m, argv + optind, argc - optind);
	else if (strcmp(cmd, "predict") == 0)
		rc = cmd_predict(&o.m, argv + optind, argc - optind);
	else {
		tool_warn("unknown command '%s'", cmd);
		usage(stderr);
		rc = EXIT_USAGE;
	}
	return finish_stdout(rc);
}
