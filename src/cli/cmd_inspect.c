/* cmd_inspect.c - `tealeaves inspect`: what the reader finds of each input (format,
 * hashes, times, counts, anomalies), as text or JSON (render/text/inspect.h). */
#include "cli/common.h"
#include "render/text/inspect.h"
#include "util/error.h"

#include <getopt.h>
#include <stdio.h>

/* tealeaves inspect --help: usage, options, examples. */
static const char inspect_help[] =
	"usage: tealeaves inspect [--json] [--port N[,N...]] FILE...\n"
	"\n"
	"Describes each input: format, link types, size, SHA-256, time range, message counts\n"
	"and every anomaly found, by kind and position.\n"
	"\n"
	"options:\n"
	"  --json               one JSON document instead of text\n"
	"  --port N[,N...]      ports whose UDP and TCP traffic is DNS (default 53)\n"
	"\n"
	"examples:\n"
	"  tealeaves inspect samples/sensor2-ns2.pcapng.gz\n"
	"  tealeaves inspect --json samples/*.pcap* > inspect.json\n";

static int count_only(const tl_record_t *r, void *ud)
{
	(void)r;
	(void)ud;
	return 0;
}

int tl_cli_inspect(int argc, char **argv)
{
	tl_cli_input_opts_t c;
	tl_cli_input_opts_init(&c);
	int json = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jp:h", tl_cli_input_options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'p':
			if (tl_cli_parse_ports(&c, optarg))
				return tl_cli_usage_error("bad port list '%s'", optarg);
			break;
		case 'h':
			fputs(inspect_help, stdout);
			return EXIT_OK;
		default:
			return tl_cli_usage_error("bad option for 'inspect'");
		}
	}
	int nfiles = argc - optind;
	if (nfiles < 1)
		return tl_cli_usage_error("inspect: no input files");
	if (tl_cli_precheck(nfiles, argv + optind))
		return EXIT_INPUT;
	tl_buf_t out;
	tl_buf_init(&out);
	tl_json_t j;
	tl_json_init(&j, &out, 1);
	if (json) {
		tl_json_obj_begin(&j);
		tl_json_key(&j, "files");
		tl_json_arr_begin(&j);
	}
	int status = EXIT_OK;
	for (int i = 0; i < nfiles; i++) {
		tl_input_info_t info;
		const char *path = argv[optind + i];
		int rc = tl_input_read(path, (uint32_t)i, &c.opts, count_only, NULL, &info);
		if (rc != TL_OK)
			status = tl_cli_read_error(path, rc, &info);
		if (json) {
			tl_inspect_json(&j, &info, rc);
		} else {
			if (i)
				tl_buf_putc(&out, '\n');
			tl_inspect_text(&out, &info);
		}
	}
	if (json) {
		tl_json_arr_end(&j);
		tl_json_obj_end(&j);
		tl_buf_putc(&out, '\n');
	}
	int failed = tl_cli_flush_out(&out) != 0 || fflush(stdout) != 0;
	tl_buf_free(&out);
	return failed ? tl_cli_output_failed() : status;
}
