/* cmd_report.c - `tealeaves report`: makes the evidence report (provenance/make.h) and
 * writes it with its manifest, checksum, signature, findings, charts and tables. */
#include "cli/common.h"
#include "render/chart/chart.h"
#include "render/report/report_export.h"
#include "util/error.h"
#include "util/file.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* tealeaves report --help: usage, options, examples. */
static const char report_help[] =
	"usage: tealeaves report CASE -o FILE.pdf|- [--pdfa 3b|1b] [--draft] [--charts DIR]\n"
	"                        [--csv DIR] [--findings FILE] [--set SECTION.KEY=VALUE]...\n"
	"                        [--threads N] [--sign-key KEY.pem --sign-cert CERT.pem]\n"
	"\n"
	"Writes the evidence report (PDF/A-3b with its findings and manifest attached) and,\n"
	"beside it, FILE.pdf.manifest.json and FILE.pdf.sha256.\n"
	"\n"
	"options:\n"
	"  -o, --output FILE|-  the PDF; - writes it to standard output when that is not a\n"
	"                       terminal (no side files then); only a regular file or nothing\n"
	"                       is replaced, every target checked before any work\n"
	"  --pdfa 3b|1b         PDF/A-3b (default) or PDF/A-1b without attachments\n"
	"  --draft              mark every page DRAFT\n"
	"  --charts DIR         also each chart as SVG and PNG in DIR\n"
	"  --csv DIR            also each table as CSV in DIR\n"
	"  --findings FILE      also the findings JSON as a file\n"
	"  --sign-key KEY.pem --sign-cert CERT.pem\n"
	"                       a detached CMS signature beside the report (FILE.pdf.p7s)\n"
	"  --set SECTION.KEY=VALUE, --threads N   as for analyze\n"
	"\n"
	"examples:\n"
	"  tealeaves report samples/case.ini -o report.pdf --charts charts --csv tables\n"
	"  tealeaves report samples/case.ini -o - | ssh archive 'cat > case-2016-001.pdf'\n";

static const struct option report_long[] = {
	{"output", required_argument, NULL, 'o'},
	{"set", required_argument, NULL, 's'},
	{"threads", required_argument, NULL, 't'},
	{"pdfa", required_argument, NULL, 'a'},
	{"draft", no_argument, NULL, 'd'},
	{"charts", required_argument, NULL, 'c'},
	{"csv", required_argument, NULL, 'v'},
	{"findings", required_argument, NULL, 'f'},
	{"sign-key", required_argument, NULL, 'k'},
	{"sign-cert", required_argument, NULL, 'e'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

int tl_cli_report(int argc, char **argv)
{
	const char *output = NULL, *charts = NULL, *csv = NULL, *findings_out = NULL;
	const char *sign_key = NULL, *sign_cert = NULL;
	int pdfa_1b = 0, draft = 0, opt, st;
	tl_cli_case_opts_t co;
	memset(&co, 0, sizeof(co));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:s:t:h", report_long, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 's':
		case 't':
			if ((st = tl_cli_case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'a':
			if (strcmp(optarg, "1b") == 0)
				pdfa_1b = 1;
			else if (strcmp(optarg, "3b") != 0)
				return tl_cli_usage_error("--pdfa takes 3b (default) or 1b, not '%s'", optarg);
			break;
		case 'd':
			draft = 1;
			break;
		case 'c':
			charts = optarg;
			break;
		case 'v':
			csv = optarg;
			break;
		case 'f':
			findings_out = optarg;
			break;
		case 'k':
			sign_key = optarg;
			break;
		case 'e':
			sign_cert = optarg;
			break;
		case 'h':
			fputs(report_help, stdout);
			return EXIT_OK;
		default:
			return tl_cli_usage_error("bad option for 'report'");
		}
	}
	if (argc - optind != 1 || !output)
		return tl_cli_usage_error("report: give one case file and -o FILE.pdf");
	if (!sign_key != !sign_cert)
		return tl_cli_usage_error("report: --sign-key and --sign-cert go together");
	/* -o - writes the PDF to standard output, never to a terminal; its side files then
	 * have nowhere to go. Every other target is checked before the work. */
	int to_stdout = strcmp(output, TL_OUTFILE_STDOUT) == 0;
	if (to_stdout && isatty(STDOUT_FILENO))
		return tl_cli_usage_error("report: -o - writes the PDF to standard output, which is a "
				   "terminal here; redirect it or give a file name");
	if (to_stdout && pdfa_1b)
		return tl_cli_usage_error("report: a PDF/A-1b report keeps its manifest only in a file "
				   "beside it; give a file name");
	if (to_stdout && sign_key)
		return tl_cli_usage_error("report: a signed report needs a file name (its signature goes "
				   "beside it)");
	if (!to_stdout) {
		static const char *const side[] = {"", ".manifest.json", ".sha256", ".p7s"};
		for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
			if (i == 3 && !sign_key)
				continue;
			tl_buf_t nm;
			tl_buf_init(&nm);
			tl_buf_printf(&nm, "%s%s", output, side[i]);
			int bad = tl_cli_check_output(nm.data) != EXIT_OK;
			tl_buf_free(&nm);
			if (bad)
				return EXIT_OUTPUT;
		}
	}
	if (findings_out && tl_cli_check_output(findings_out) != EXIT_OK)
		return EXIT_OUTPUT;
	tl_case_t *c;
	tl_events_t *events;
	tl_findings_t f;
	char err[4096] = "";
	int status = tl_cli_fail(tl_make_run_case(argv[optind], co.sets, co.n_sets, co.threads,
						  &c, &events, &f, err, sizeof(err)),
				 err);
	if (status != EXIT_OK)
		return status;
	tl_make_report_opts_t ro = {
		.case_path = argv[optind],
		.sets = co.sets,
		.n_sets = co.n_sets,
		.pdfa_1b = pdfa_1b,
		.draft = draft,
	};
	tl_cli_report_program(&ro);
	tl_make_report_t r;
	memset(&r, 0, sizeof(r));
	if ((status = tl_cli_fail(tl_make_need_report_date(c, argv[optind], &ro.date_s, err,
							   sizeof(err)),
				  err)) != EXIT_OK)
		goto out;
	if ((status = tl_cli_fail(tl_make_report(&f, &ro, &r, err, sizeof(err)), err)) != EXIT_OK)
		goto out;
	/* the charts and tables are made before anything is written, so that one that cannot
	 * be made leaves no report behind either */
	tl_export_opts_t xo = {.charts_dir = charts, .csv_dir = csv, .report_id = r.id,
			       .figure_numbers = r.figures};
	tl_export_t exp;
	memset(&exp, 0, sizeof(exp));
	if ((charts || csv) && tl_report_export_build(&f, &xo, &exp, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s; nothing was written\n", err);
		tl_report_export_free(&exp);
		tl_make_report_free(&r);
		status = EXIT_OUTPUT;
		goto out;
	}
	tl_buf_t sig, sig_name;
	tl_buf_init(&sig);
	tl_buf_init(&sig_name);
	if (sign_key)
		status = tl_cli_fail(
			tl_make_sign_report(&r, sign_key, sign_cert, &sig, err, sizeof(err)), err);
	if (status == EXIT_OK && to_stdout) {
		if (fwrite(r.pdf, 1, r.pdf_len, stdout) != r.pdf_len || fflush(stdout) != 0)
			status = tl_cli_output_failed();
		else
			fprintf(stderr, "tealeaves: the PDF went to standard output with its "
					"manifest attached; no manifest or checksum file was written "
					"beside it\n");
	} else if (status == EXIT_OK) {
		status = tl_cli_fail(tl_make_write_report(&r, output, err, sizeof(err)), err);
	}
	if (status == EXIT_OK && sign_key) {
		tl_buf_printf(&sig_name, "%s.p7s", output);
		if (tl_cli_write_atomic(sig_name.data, sig.data, sig.len) != 0)
			status = EXIT_OUTPUT;
	}
	tl_buf_free(&sig);
	tl_buf_free(&sig_name);
	if (status == EXIT_OK && findings_out &&
	    tl_cli_write_atomic(findings_out, r.findings.data, r.findings.len) != 0)
		status = EXIT_OUTPUT;
	if (status == EXIT_OK && (charts || csv) &&
	    tl_report_export_write(&exp, &xo, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		status = EXIT_OUTPUT;
	}
	tl_report_export_free(&exp);
	tl_make_report_free(&r);
out:
	tl_make_case_done(c, events, &f);
	tl_chart_release();
	return status;
}
