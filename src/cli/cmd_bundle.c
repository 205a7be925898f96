/* cmd_bundle.c - `tealeaves bundle`: its options, the report made (or an existing one
 * checked), and the archive written through a temporary file (provenance/bundle.h). */
#include "cli/common.h"
#include "render/chart/chart.h"
#include "provenance/cms.h"
#include "util/error.h"
#include "util/file.h"
#include "provenance/bundle.h"
#include "util/xmalloc.h"
#include "tl_version.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_REPORT_BYTES ((size_t)1 << 31)

static const struct option bundle_long[] = {
    {"output", required_argument, NULL, 'o'},   {"report", required_argument, NULL, 'r'},
    {"set", required_argument, NULL, 's'},      {"threads", required_argument, NULL, 't'},
    {"pdfa", required_argument, NULL, 'a'},     {"draft", no_argument, NULL, 'd'},
    {"sign-key", required_argument, NULL, 'k'}, {"sign-cert", required_argument, NULL, 'e'},
    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
};

static int usage(const char *msg)
{
	fprintf(stderr, "tealeaves: bundle: %s\nrun 'tealeaves help' for usage\n", msg);
	return EXIT_USAGE;
}

int tl_cli_bundle(int argc, char **argv)
{
	const char *output = NULL, *given = NULL, *sign_key = NULL, *sign_cert = NULL;
	const char *sets[64];
	size_t n_sets = 0;
	unsigned threads = 0;
	int pdfa_1b = 0, draft = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:s:t:h", bundle_long, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'r':
			given = optarg;
			break;
		case 's':
			if (n_sets == sizeof(sets) / sizeof(sets[0]))
				return usage("too many --set options");
			sets[n_sets++] = optarg;
			break;
		case 't':
			if (tl_cli_parse_threads(optarg, &threads) != 0)
				return usage("bad thread count");
			break;
		case 'a':
			if (strcmp(optarg, "1b") == 0)
				pdfa_1b = 1;
			else if (strcmp(optarg, "3b") != 0)
				return usage("--pdfa takes 3b (default) or 1b");
			break;
		case 'd':
			draft = 1;
			break;
		case 'k':
			sign_key = optarg;
			break;
		case 'e':
			sign_cert = optarg;
			break;
		case 'h':
			fputs("usage: tealeaves bundle CASE -o FILE.tar [--report FILE.pdf] [--pdfa 3b|1b]\n"
			      "                        [--draft] [--set SECTION.KEY=VALUE]... [--threads N]\n"
			      "                        [--sign-key KEY.pem --sign-cert CERT.pem]\n"
			      "\n"
			      "Writes one archive with the case file, its inputs, the report, its manifest,\n"
			      "a listing and SHA256SUMS, ready for `tealeaves verify FILE.tar`.\n"
			      "\n"
			      "options:\n"
			      "  -o, --output FILE.tar  the archive (a file name; only a regular file or\n"
			      "                         nothing is replaced)\n"
			      "  --report FILE.pdf      put this report in, after checking that the case\n"
			      "                         makes it again byte for byte\n"
			      "  --pdfa 3b|1b, --draft, --set SECTION.KEY=VALUE, --threads N,\n"
			      "  --sign-key KEY.pem --sign-cert CERT.pem   as for report\n"
			      "\n"
			      "example:\n"
			      "  tealeaves bundle samples/case.ini -o case.tar && tealeaves verify case.tar\n",
			      stdout);
			return EXIT_OK;
		default:
			return usage("bad option");
		}
	}
	if (argc - optind != 1 || !output)
		return usage("give one case file and -o FILE.tar");
	if (!sign_key != !sign_cert)
		return usage("--sign-key and --sign-cert go together");
	if (strcmp(output, TL_OUTFILE_STDOUT) == 0)
		return usage("a bundle needs a file name after -o");
	if (tl_cli_check_output(output) != EXIT_OK)
		return EXIT_OUTPUT;
	const char *case_path = argv[optind];
	tl_case_t *c = NULL;
	tl_events_t *events = NULL;
	tl_findings_t f;
	char err[4096], *tmp = NULL;
	int st = tl_cli_fail(
	    tl_make_run_case(case_path, sets, n_sets, threads, &c, &events, &f, err, sizeof(err)),
	    err);
	if (st != EXIT_OK)
		return st;
	tl_make_report_opts_t ro = {
	    .case_path = case_path,
	    .sets = sets,
	    .n_sets = n_sets,
	    .pdfa_1b = pdfa_1b,
	    .draft = draft,
	};
	tl_cli_report_program(&ro);
	tl_make_report_t r;
	memset(&r, 0, sizeof(r));
	tl_buf_t sig, old;
	tl_buf_init(&sig);
	tl_buf_init(&old);
	tl_bundle_t b;
	memset(&b, 0, sizeof(b));
	if ((st = tl_cli_fail(tl_make_need_report_date(c, case_path, &ro.date_s, err, sizeof(err)),
	                      err)) != EXIT_OK)
		goto out;
	if ((st = tl_cli_fail(tl_make_report(&f, &ro, &r, err, sizeof(err)), err)) != EXIT_OK)
		goto out;
	if (given) {
		/* an existing report goes in only if it is the one these files make */
		if (tl_file_read_buf(given, MAX_REPORT_BYTES, &old) != 0) {
			fprintf(stderr, "tealeaves: %s: %s\n", given, strerror(errno));
			st = EXIT_INPUT;
			goto out;
		}
		if (old.len != r.pdf_len || memcmp(old.data, r.pdf, r.pdf_len) != 0) {
			fprintf(stderr,
			        "tealeaves: bundle: %s is not the report these files and "
			        "options make now (run tealeaves verify %s to see why)\n",
			        given, given);
			st = EXIT_UNVERIFIED;
			goto out;
		}
		tl_buf_t p;
		tl_buf_init(&p);
		tl_buf_printf(&p, "%s.p7s", given);
		if (!sign_key && tl_file_read_buf(p.data, (size_t)64 << 20, &sig) == 0) {
			tl_cms_signer_t who;
			if (tl_cms_verify(r.pdf, r.pdf_len, (const uint8_t *)sig.data, sig.len,
			                  NULL, &who, err, sizeof(err)) != TL_OK) {
				fprintf(stderr, "tealeaves: bundle: %s: %s\n", p.data, err);
				st = EXIT_UNVERIFIED;
				tl_buf_free(&p);
				goto out;
			}
		}
		tl_buf_free(&p);
	}
	if (sign_key) {
		tl_buf_clear(&sig);
		if ((st = tl_cli_fail(tl_make_sign_report(&r, sign_key, sign_cert, &sig, err,
		                                          sizeof(err)),
		                      err)) != EXIT_OK)
			goto out;
	}

	tl_bundle_root(case_path, b.root);
	char why[256];
	if (tl_file_out_begin(output, &tmp, why, sizeof(why)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", output, why);
		st = EXIT_OUTPUT;
		goto out;
	}
	int rc = tl_bundle_write(&b, tmp, ro.date_s, c, &f, &r, &sig, err, sizeof(err));
	if (rc != TL_OK) {
		unlink(tmp);
		st = tl_cli_fail(rc, err);
		goto out;
	}
	if (tl_file_out_commit(tmp, output, why, sizeof(why)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", output, why);
		st = EXIT_OUTPUT;
		goto out;
	}
	printf("wrote %s: %zu files in %s/, report ID %s\n", output, b.n, b.root, r.id);
	for (size_t i = 0; i < b.n; i++)
		printf("  %-20s %14llu  %s\n", b.m[i].role, (unsigned long long)b.m[i].size,
		       b.m[i].name);
out:
	tl_bundle_free(&b);
	free(tmp);
	tl_buf_free(&sig);
	tl_buf_free(&old);
	tl_make_report_free(&r);
	tl_make_case_done(c, events, &f);
	tl_chart_release();
	return st;
}
