/* cmd_analyze.c - `tealeaves analyze`: runs the analysis of a case file and writes the
 * findings JSON. */
#include "cli/common.h"
#include "util/file.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* tealeaves analyze --help: usage, options, examples. */
static const char analyze_help[] =
	"usage: tealeaves analyze CASE [-o FILE|-] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"\n"
	"Runs the whole analysis of a case file and writes the findings as JSON (schema:\n"
	"docs/findings-schema.md).\n"
	"\n"
	"options:\n"
	"  -o, --output FILE|-  where to write (default: standard output); only a regular\n"
	"                       file or nothing is replaced, checked before any work\n"
	"  --set SECTION.KEY=VALUE\n"
	"                       override a case-file setting (recorded in the findings)\n"
	"  --threads N          threads for reading the evidence (results never depend on it)\n"
	"\n"
	"examples:\n"
	"  tealeaves analyze samples/case.ini -o findings.json\n"
	"  tealeaves analyze samples/case.ini --set analysis.seed=7 -o - | jq .events.tests\n";

int tl_cli_analyze(int argc, char **argv)
{
	const char *output = NULL;
	tl_cli_case_opts_t co;
	memset(&co, 0, sizeof(co));
	int opt, st;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:s:t:h", tl_cli_case_options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 's':
		case 't':
			if ((st = tl_cli_case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'h':
			fputs(analyze_help, stdout);
			return EXIT_OK;
		default:
			return tl_cli_usage_error("bad option for 'analyze'");
		}
	}
	if (argc - optind != 1)
		return tl_cli_usage_error("analyze: give exactly one case file");
	/* -o - is standard output; any other target is checked before the work */
	if (output && strcmp(output, TL_OUTFILE_STDOUT) == 0)
		output = NULL;
	if (output && tl_cli_check_output(output) != EXIT_OK)
		return EXIT_OUTPUT;
	tl_case_t *c;
	tl_events_t *events;
	tl_findings_t f;
	char err[4096];
	int status = tl_cli_fail(tl_make_run_case(argv[optind], co.sets, co.n_sets, co.threads,
						  &c, &events, &f, err, sizeof(err)),
				 err);
	if (status != EXIT_OK)
		return status;
	tl_buf_t out;
	tl_buf_init(&out);
	tl_make_findings_document(&f, &out);
	if (output) {
		if (tl_cli_write_atomic(output, out.data, out.len) != 0)
			status = EXIT_OUTPUT;
	} else if (tl_cli_flush_out(&out) != 0 || fflush(stdout) != 0) {
		status = tl_cli_output_failed();
	}
	tl_buf_free(&out);
	tl_make_case_done(c, events, &f);
	return status;
}
