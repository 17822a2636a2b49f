/*
 * dts-gen — deterministic synthetic trade records for tests and benchmarks.
 *
 *   dts-gen [--seed N] [--records N | --bytes SIZE] [--kind K] [-o FILE]
 *
 * The generator is the library's (dts/gen.h, lib/gen/generate.c); this is
 * its command line: options, the output file written completely or not at
 * all, exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static void usage(FILE *to)
{
	fprintf(to,
		"Usage: dts-gen [--seed N] [--records N | --bytes SIZE] [--kind KIND] [-o FILE]\n"
		"\n"
		"Write synthetic trade records as CSV, the same bytes for the same\n"
		"seed, size and kind.\n"
		"\n"
		"  -s, --seed N       generator seed (default 1)\n"
		"  -n, --records N    number of records (default 1000)\n"
		"  -b, --bytes SIZE   records until the output reaches SIZE bytes;\n"
		"                     suffix K, M or G for KiB, MiB, GiB\n"
		"  -k, --kind KIND    mixed (default), customs, bop or survey\n"
		"  -o, --output FILE  write FILE (complete or not at all) instead of stdout\n"
		"  -h, --help         this help\n"
		"  -V, --version      version\n"
		"\n"
		"Exit status: 0 ok, 2 usage error, 3 the output could not be written.\n");
}

static int parse_u64(const char *s, uint64_t *out, int suffix)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-' || *s == '\0')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (suffix && *end) {
		unsigned shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' ? 20 :
				 *end == 'G' ? 30 : 0;

		if (!shift || end[1] || v > (UINT64_MAX >> shift))
			return -1;
		v <<= shift;
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

typedef struct opts {
	dts_gen_options gen;
	const char *output;
} opts;

static int parse_args(opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"seed", required_argument, NULL, 's'},
		{"records", required_argument, NULL, 'n'},
		{"bytes", required_argument, NULL, 'b'},
		{"kind", required_argument, NULL, 'k'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c, nsize = 0;

	while ((c = getopt_long(argc, argv, "s:n:b:k:o:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_u64(optarg, &o->gen.seed, 0) < 0)
				goto bad;
			break;
		case 'n':
			nsize++;
			if (parse_u64(optarg, &o->gen.records, 0) < 0)
				goto bad;
			break;
		case 'b': /* --bytes 0: the header alone */
			nsize++;
			o->gen.records = 0;
			if (parse_u64(optarg, &o->gen.bytes, 1) < 0)
				goto bad;
			break;
		case 'k':
			if (dts_gen_kind_parse(&o->gen.kind, optarg) < 0)
				goto bad;
			break;
		case 'o': o->output = optarg; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': tool_version(); break;
		default: usage(stderr); return -1;
		}
	}
	if (nsize > 1) {
		tool_warn("give --records or --bytes, not both");
		return -1;
	}
	if (optind < argc) {
		tool_warn("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
bad:
	tool_warn("invalid value '%s' for -%c", optarg, c);
	return -1;
}

/* Written through tool_out: a temporary file renamed when complete. */
static int write_output(const opts *o)
{
	tool_out out;

	if (tool_out_open(&out, o->output) < 0)
		return EXIT_IO;
	setvbuf(out.f, NULL, _IOFBF, 1 << 20);
	if (dts_gen_write(out.f, &o->gen) < 0) {
		tool_warn("%s: %s", o->output ? o->output : "standard output",
			  dts_error_last()->message);
		tool_out_abort(&out);
		return EXIT_IO;
	}
	return tool_out_commit(&out) < 0 ? EXIT_IO : EXIT_OK;
}

int main(int argc, char **argv)
{
	opts o = {DTS_GEN_OPTIONS_INIT, NULL};

	tool_name = "dts-gen";
	if (parse_args(&o, argc, argv) < 0)
		return EXIT_USAGE;
	return write_output(&o);
}
