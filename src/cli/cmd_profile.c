/* cmd_profile.c - `tealeaves profile`: a summary of the key findings for the terminal
 * (render/text/summary.h). */
#include "cli/common.h"
#include "render/text/summary.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* tealeaves profile --help: usage, options, examples. */
static const char profile_help[] =
	"usage: tealeaves profile CASE [--json] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"\n"
	"Prints a summary of the key findings for the terminal.\n"
	"\n"
	"options:\n"
	"  --json               the summary as JSON\n"
	"  --set SECTION.KEY=VALUE, --threads N   as for analyze\n"
	"\n"
	"example:\n"
	"  tealeaves profile samples/case.ini\n";

/* Columns of the terminal on stdout, or 80 when it is not one. */
static int terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

int tl_cli_profile(int argc, char **argv)
{
	tl_cli_case_opts_t co;
	memset(&co, 0, sizeof(co));
	int opt, st, json = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:t:jh", tl_cli_case_options, NULL)) != -1) {
		switch (opt) {
		case 's':
		case 't':
			if ((st = tl_cli_case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(profile_help, stdout);
			return EXIT_OK;
		default:
			return tl_cli_usage_error("bad option for 'profile'");
		}
	}
	if (argc - optind != 1)
		return tl_cli_usage_error("profile: give exactly one case file");
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
	if (json) {
		tl_json_t j;
		tl_json_init(&j, &out, 0);
		tl_json_summary(&j, &f);
		tl_buf_putc(&out, '\n');
	} else {
		tl_text_summary(&out, &f, terminal_width());
	}
	if (tl_cli_flush_out(&out) != 0 || fflush(stdout) != 0)
		status = tl_cli_output_failed();
	tl_buf_free(&out);
	tl_make_case_done(c, events, &f);
	return status;
}
