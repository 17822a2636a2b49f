/*
 * tool.h — what every libdts command-line tool shares: GNU-style messages,
 * exit codes, the default classifier, loading rules. Tools stay thin
 * layers over the library; anything about data belongs in lib/.
 */
#ifndef DTS_TOOL_H
#define DTS_TOOL_H

#include <stdio.h>

#include "dts.h"

/* Exit codes, the same for every tool (documented in each man page). */
#define EXIT_OK 0        /* success */
#define EXIT_REJECTS 1   /* success, but some records were rejected / checks failed */
#define EXIT_USAGE 2     /* bad command line */
#define EXIT_IO 3        /* an input, output or rule file could not be used */

extern const char *tool_name;

/* "prog: message\n" on stderr. */
void tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog: <last libdts error as file:line:col: message>\n" on stderr;
 * returns the exit code for the error (EXIT_IO or EXIT_USAGE). */
int tool_lib_error(const char *context);

/* Print "prog (libdts) VERSION" and exit 0. */
void tool_version(void);

/* A shipped data file, e.g. "indicators/hangzhou-zones.csv": the
 * installed DTS_DATADIR/NAME when readable, else the source tree's copy
 * (for running from a build directory). In a static buffer. */
const char *tool_data_file(const char *name);

/* Compile the given files, or when n == 0 the default classifier:
 * $DTS_CLASSIFIER if set, else tool_data_file's
 * classifiers/cn-digital-trade.xml. Prints the error and returns NULL on
 * failure. */
dts_rules *tool_load_rules(const char *const *paths, size_t n);

/* dts_source_open (dts/source.h) with the error printed, naming the input:
 * -2 when an option or --map entry is wrong (a usage error, exit 2), -1
 * when the input cannot be used. *out is NULL on error. */
int tool_source_open(dts_source **out, const char *path,
		     const dts_source_options *opts);

/* What every tool says about an input it opened: unless TOOL_REPORT_QUIET,
 * "prog: NAME: encoding ENC; binding: COL→field, ...; unbound: COL, ..."
 * on stderr, with "profile P (N rows above the header skipped; unit U); "
 * before "binding" when a source profile other than the canonical one
 * reads it (its binding is then of the canonical columns it gives); then dts_binding_check against `fields`, the fields the
 * classifier reads (dts_rules_fields; 0 when the input needs no
 * classifier): a warning naming the decisive fields the input lacks, or,
 * when no column binds a field the classifier reads, the error naming the
 * input and its columns and -2 (a usage error: exit 2; --map fixes it).
 * -1 when out of memory (said). The messages end "use --map COLUMN=FIELD",
 * or with TOOL_REPORT_NO_MAP (a tool without --map) "name its columns
 * after the fields"; for customs XML, whose columns are fixed, nothing. */
enum { TOOL_REPORT_QUIET = 1u, TOOL_REPORT_NO_MAP = 2u };
int tool_source_report(const dts_source *src, uint64_t fields, unsigned flags);

/* -d: "," "tab" "\t" ";" "|" -> the separator byte in *out; else -1,
 * said on stderr. */
int tool_parse_separator(char *out, const char *s);
/* --decimals: 0..14 into *out; else -1, said on stderr. */
int tool_parse_decimals(int *out, const char *s);
/* --status NAME (dts_status_parse) into *out; warns and returns -1 when unknown. */
int tool_parse_status(int *out, const char *s);

/*
 * How records are read, as the command line gave it: classifier files
 * (-r), column bindings (-m), and `in`, the dts_source_options for
 * dts_source_open: those bindings, the CSV separator (-d), the encoding
 * (--encoding), the input format (--input-format), the worksheet of a
 * workbook (--sheet). Start from
 * TOOL_READING_INIT; do not copy it (in.map points into it).
 */
typedef struct tool_reading {
	const char *rules[64];
	size_t nrules;
	const char *map[256];
	size_t nmap;
	dts_source_options in;
} tool_reading;

#define TOOL_READING_INIT { .in = DTS_SOURCE_OPTIONS_INIT }
/* getopt values of the long-only reading options */
enum { TOOL_O_ENCODING = 'E', TOOL_O_INPUT_FORMAT = 'F', TOOL_O_SHEET = 0x200 };
/* --sheet NAME: the worksheet of an .xlsx/.xls input (default: the first) */
#define TOOL_SHEET_OPTION {"sheet", required_argument, NULL, TOOL_O_SHEET}
/* --profile NAME|FILE and --profile-dir DIR (dts/profile.h): above any
 * short option letter, so no tool's own options collide with them. */
enum { TOOL_O_PROFILE = 0x170, TOOL_O_PROFILE_DIR = 0x171 };
#define TOOL_PROFILE_LONGOPTS \
	{"profile", required_argument, NULL, TOOL_O_PROFILE}, \
	{"profile-dir", required_argument, NULL, TOOL_O_PROFILE_DIR}
#define TOOL_PROFILE_USAGE \
	"      --profile P       the source profile: a built-in name (customs-stats,\n" \
	"                        declaration, bop, platform-orders, survey, canonical)\n" \
	"                        or a profile file; default: chosen from the header\n" \
	"      --profile-dir D   more profiles (D/*.xml), tried with the built-in ones\n"

/* --reference-path and --verify-every N (dts/source.h: the CSV reader's
 * reference path, and every Nth fast record checked against it). */
enum { TOOL_O_REFERENCE = 0x172, TOOL_O_VERIFY_EVERY = 0x173 };
#define TOOL_FASTPATH_LONGOPTS \
	{"reference-path", no_argument, NULL, TOOL_O_REFERENCE}, \
	{"verify-every", required_argument, NULL, TOOL_O_VERIFY_EVERY}
#define TOOL_FASTPATH_USAGE \
	"      --reference-path  read CSV on the reference path (slower, same rows)\n" \
	"      --verify-every N  re-read every Nth CSV record on the reference path\n" \
	"                        and stop (exit 3) if the two paths differ\n"

/* Take getopt option c ('r', 'm', 'd', TOOL_O_ENCODING,
 * TOOL_O_INPUT_FORMAT, TOOL_O_SHEET, TOOL_O_PROFILE or TOOL_O_PROFILE_DIR) with its argument into *r: 1 when it was one of
 * these, 0 when not, -1 when its value is wrong (said on stderr). */
int tool_reading_option(tool_reading *r, int c, const char *arg);

#include "tool_out.h"

/* ---- tables to output paths (tool_table.c) ---------------------------- */

/* Write t in `format` (text csv sdmx-csv sdmx-ml xlsx) to path (NULL or
 * "-" = stdout; xlsx needs a path), all or nothing (tool_out.h). Sets the
 * SDMX-ML Prepared time from $SOURCE_DATE_EPOCH. 0, or -1 with the
 * problem printed. */
int tool_write_table(dts_table *t, const char *format, const char *path);
/* The table t, or else the book b, as an xlsx file at path. 0 or -1. */
int tool_write_xlsx(const dts_table *t, const dts_book *b, const char *path);
/* 0 when XML can carry every cell of t; else "FORMAT output: row R, column
 * C: ..." on stderr and -1. */
int tool_table_check_text(const dts_table *t, const char *format);

#endif
