/* cmd_records.c - `tealeaves records`: every DNS message of the files, one per line; or,
 * with --case and --target, the records behind the target's lookups in a case. */
#include "cli/common.h"
#include "analysis/trace.h"
#include "render/text/records.h"
#include "input/input.h"
#include "util/error.h"
#include "util/time.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* tealeaves records --help: usage, options, examples. */
static const char records_help[] =
	"usage: tealeaves records [--format jsonl|tsv] [--port N[,N...]] FILE...\n"
	"       tealeaves records --case CASE --target [--source ADDR] [--org NAME]\n"
	"                         [--name NAME] [--from TIME] [--to TIME] [--with-duplicates]\n"
	"                         [--format jsonl|tsv] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"\n"
	"Prints every DNS message of the files, one per line, file by file; or, with --case\n"
	"and --target, the records behind the target's lookups in a case (any count in the\n"
	"findings can be listed this way).\n"
	"\n"
	"options:\n"
	"  --format jsonl|tsv   JSON lines (default) or tab-separated values with a header\n"
	"  --port N[,N...]      ports whose UDP and TCP traffic is DNS (default 53)\n"
	"  --case CASE          the case file whose target and evidence to use\n"
	"  --target             only the target's lookups (with --case)\n"
	"  --source ADDR, --org NAME, --name NAME\n"
	"                       only lookups from that address, organisation or of that name\n"
	"  --from TIME, --to TIME\n"
	"                       only [from, to), ISO 8601 UTC, e.g. 2016-09-21T04:00:00Z\n"
	"  --with-duplicates    also the sightings de-duplication removed\n"
	"  --set SECTION.KEY=VALUE, --threads N   as for analyze\n"
	"\n"
	"examples:\n"
	"  tealeaves records --format tsv samples/sensor1-ns1.pcap | head\n"
	"  tealeaves records --case samples/case.ini --target --org 'Lakeshore Health Partners'\n";

typedef struct records_ctx {
	tl_buf_t out;
	int tsv;
	const char *file;
	int write_failed;
} records_ctx_t;

static int on_record(const tl_record_t *r, void *ud)
{
	records_ctx_t *c = ud;
	if (c->tsv)
		tl_record_tsv(r, c->file, &c->out);
	else
		tl_record_json(r, c->file, &c->out);
	tl_buf_putc(&c->out, '\n');
	if (c->out.len >= (1 << 16) && tl_cli_flush_out(&c->out) != 0) {
		c->write_failed = 1;
		return 1;
	}
	return 0;
}

typedef struct trace_ctx {
	const tl_findings_t *f;
	const tl_trace_t *t;
	records_ctx_t *rc;
	uint32_t input;
} trace_ctx_t;

static int on_traced(const tl_record_t *r, void *ud)
{
	trace_ctx_t *t = ud;
	if (!tl_trace_match(t->f, t->t, t->input, r))
		return 0;
	return on_record(r, t->rc);
}

/* records --case: the records behind the target's lookups, filtered. */
static int records_for_case(const char *case_path, const tl_cli_case_opts_t *co,
			    const tl_trace_filter_t *flt, const tl_input_opts_t *opts, int tsv)
{
	tl_case_t *c;
	tl_events_t *events;
	tl_findings_t f;
	char err[4096];
	int status = tl_cli_fail(tl_make_run_case(case_path, co->sets, co->n_sets, co->threads, &c,
						  &events, &f, err, sizeof(err)),
				 err);
	if (status != EXIT_OK)
		return status;
	tl_trace_t t;
	if (tl_trace_select(&f, flt, &t) != TL_OK) {
		fprintf(stderr, "tealeaves: the filter names a source, organisation or name that "
				"has no lookup of the target in this case\n");
		status = EXIT_USAGE;
	} else {
		records_ctx_t rc = {.tsv = tsv};
		tl_buf_init(&rc.out);
		if (tsv) {
			tl_buf_puts(&rc.out, tl_record_tsv_header());
			tl_buf_putc(&rc.out, '\n');
		}
		for (size_t i = 0; i < f.ctx.n_inputs && status == EXIT_OK; i++) {
			tl_input_info_t info;
			trace_ctx_t tc = {&f, &t, &rc, (uint32_t)i};
			rc.file = f.ctx.inputs[i].path;
			int r = tl_input_read(f.ctx.inputs[i].resolved, (uint32_t)i, opts, on_traced, &tc,
					      &info);
			if (rc.write_failed)
				break;
			if (r != TL_OK)
				status = tl_cli_read_error(rc.file, r, &info);
		}
		if (rc.write_failed || tl_cli_flush_out(&rc.out) != 0 || fflush(stdout) != 0)
			status = tl_cli_output_failed();
		tl_buf_free(&rc.out);
	}
	tl_trace_free(&t);
	tl_make_case_done(c, events, &f);
	return status;
}

int tl_cli_records(int argc, char **argv)
{
	tl_cli_input_opts_t c;
	tl_cli_input_opts_init(&c);
	int tsv = 0, opt, st, target = 0, filtered = 0;
	const char *case_path = NULL;
	tl_cli_case_opts_t co;
	memset(&co, 0, sizeof(co));
	tl_addr_t source;
	tl_trace_filter_t flt = {.from = TL_TIME_NONE, .to = TL_TIME_NONE};
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:p:h", tl_cli_input_options, NULL)) != -1) {
		switch (opt) {
		case 'C':
			case_path = optarg;
			break;
		case 'T':
			target = 1;
			break;
		case 'S':
			if (tl_addr_parse(optarg, strlen(optarg), &source) != TL_OK)
				return tl_cli_usage_error("bad source address '%s'", optarg);
			flt.source = &source;
			filtered = 1;
			break;
		case 'O':
			flt.organisation = optarg;
			filtered = 1;
			break;
		case 'N':
			flt.name = optarg;
			filtered = 1;
			break;
		case 'F':
		case 'U': {
			int64_t t;
			char day[32];
			const char *ts = optarg;
			if (strlen(optarg) == 10) { /* a date alone: its first instant, UTC */
				snprintf(day, sizeof(day), "%sT00:00:00Z", optarg);
				ts = day;
			}
			if (tl_time_parse(ts, strlen(ts), &t) != TL_OK)
				return tl_cli_usage_error("bad time '%s' (ISO 8601 such as "
						   "2016-09-21T04:00:00Z, or a date)",
						   optarg);
			*(opt == 'F' ? &flt.from : &flt.to) = t;
			filtered = 1;
			break;
		}
		case 'D':
			flt.with_duplicates = 1;
			filtered = 1;
			break;
		case 's':
		case 't':
			if ((st = tl_cli_case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'f':
			if (strcmp(optarg, "tsv") == 0)
				tsv = 1;
			else if (strcmp(optarg, "jsonl") == 0)
				tsv = 0;
			else
				return tl_cli_usage_error("unknown format '%s' (jsonl or tsv)", optarg);
			break;
		case 'p':
			if (tl_cli_parse_ports(&c, optarg))
				return tl_cli_usage_error("bad port list '%s'", optarg);
			break;
		case 'h':
			fputs(records_help, stdout);
			return EXIT_OK;
		default:
			return tl_cli_usage_error("bad option for 'records'");
		}
	}
	int nfiles = argc - optind;
	if (case_path || target) {
		if (!case_path || !target || nfiles)
			return tl_cli_usage_error("records: --case CASE --target [filters], without files");
		return records_for_case(case_path, &co, &flt, &c.opts, tsv);
	}
	if (filtered || co.n_sets || co.threads)
		return tl_cli_usage_error("records: --source, --org, --name, --from, --to, --set and "
				   "--threads need --case CASE --target");
	if (nfiles < 1)
		return tl_cli_usage_error("records: no input files");
	if (tl_cli_precheck(nfiles, argv + optind))
		return EXIT_INPUT;
	records_ctx_t ctx = {.tsv = tsv};
	tl_buf_init(&ctx.out);
	if (tsv) {
		tl_buf_puts(&ctx.out, tl_record_tsv_header());
		tl_buf_putc(&ctx.out, '\n');
	}
	int status = EXIT_OK;
	for (int i = 0; i < nfiles; i++) {
		tl_input_info_t info;
		ctx.file = argv[optind + i];
		int rc = tl_input_read(ctx.file, (uint32_t)i, &c.opts, on_record, &ctx, &info);
		if (ctx.write_failed)
			break;
		if (rc != TL_OK)
			status = tl_cli_read_error(ctx.file, rc, &info);
		else if (info.anomalies.count[TL_AN_LINKTYPE_UNSUPPORTED])
			fprintf(stderr, "tealeaves: %s: %s\n", ctx.file, info.error);
	}
	if (ctx.write_failed || tl_cli_flush_out(&ctx.out) != 0 || fflush(stdout) != 0) {
		tl_buf_free(&ctx.out);
		return tl_cli_output_failed();
	}
	tl_buf_free(&ctx.out);
	return status;
}
