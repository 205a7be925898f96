/* main.c - the tealeaves command line: subcommands over the tealeaves library. */
#include "cli/common.h"
#include "case/case.h"
#include "analysis/engine.h"
#include "case/events.h"
#include "analysis/trace.h"
#include "analysis/attrib.h"
#include "input/stream.h"
#include "input/log/textlog.h"
#include "render/chart/chart.h"
#include "render/pdf/pdf.h"
#include "render/report/report.h"
#include "render/report/report_export.h"
#include "render/text/summary.h"
#include "input/input.h"
#include "input/dns/dns.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/time.h"
#include "tl_version.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char *usage_text =
	"usage: tealeaves <command> [options] FILE...\n"
	"\n"
	"commands:\n"
	"  records [--format jsonl|tsv] [--port N[,N...]] FILE...\n"
	"                  print every DNS message, one per line, file by file\n"
	"  records --case CASE --target [--source ADDR] [--org NAME] [--name NAME]\n"
	"          [--from TIME] [--to TIME] [--with-duplicates] [--format jsonl|tsv]\n"
	"                  print the records behind the target's lookups in a case\n"
	"  inspect [--json] [--port N[,N...]] FILE...\n"
	"                  describe each input: format, hashes, times, counts, anomalies\n"
	"  analyze CASE [-o FILE|-] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"                  run the analysis of a case file; write the findings JSON\n"
	"  profile CASE [--json] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"                  a summary of the key findings for the terminal\n"
	"  report CASE -o FILE.pdf|- [--pdfa 3b|1b] [--draft] [--charts DIR] [--csv DIR]\n"
	"         [--findings FILE] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"         [--sign-key KEY.pem --sign-cert CERT.pem]\n"
	"                  the evidence report (PDF/A), with its charts and tables as files\n"
	"  verify REPORT.pdf|BUNDLE.tar [--inputs DIR] [--case FILE] [--signature FILE.p7s]\n"
	"         [--ca CERTS.pem] [--threads N] [--json]\n"
	"                  check every hash, re-make the report and compare it byte for byte\n"
	"  bundle CASE -o FILE.tar [--report FILE.pdf] [--pdfa 3b|1b] [--draft]\n"
	"         [--set SECTION.KEY=VALUE]... [--sign-key KEY.pem --sign-cert CERT.pem]\n"
	"                  one archive: the case file, its inputs, the report and its manifest\n"
	"  version         print the version, source commit and library versions\n"
	"  help            print this text\n"
	"\n"
	"exit codes: 0 ok, 1 usage, 2 unreadable or unknown input, 3 output not written,\n"
	"            4 invalid case file, 5 evidence does not match its expected SHA-256,\n"
	"            6 verify: not verified, 7 verify: not verified (the manifest names\n"
	"            another build of tealeaves, other libraries or data files)\n"
	"see tealeaves(1) for details\n";

/* Each command's own help: usage, options, examples (tealeaves CMD --help). */
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

/* The help of command name, or the global usage. */
static const char *help_of(const char *name)
{
	static const struct {
		const char *name, *text;
	} h[] = {
		{"records", records_help}, {"inspect", inspect_help}, {"analyze", analyze_help},
		{"profile", profile_help}, {"report", report_help},
	};
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		if (strcmp(h[i].name, name) == 0)
			return h[i].text;
	return usage_text;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tealeaves: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nrun 'tealeaves help' for usage\n");
	va_end(ap);
	return EXIT_USAGE;
}

#define MAX_PORTS 64

typedef struct common {
	tl_input_opts_t opts;
	uint16_t ports[MAX_PORTS];
	size_t n_ports;
} common_t;

/* Parses "53,5353" into c->ports; returns 0 or -1. */
static int parse_ports(common_t *c, const char *arg)
{
	const char *p = arg;
	while (*p) {
		char *end;
		errno = 0;
		long v = strtol(p, &end, 10);
		if (end == p || errno || v < 1 || v > 65535 || (*end && *end != ','))
			return -1;
		if (c->n_ports == MAX_PORTS)
			return -1;
		c->ports[c->n_ports++] = (uint16_t)v;
		p = *end ? end + 1 : end;
	}
	/* the reader takes these instead of its default, port 53 */
	c->opts.net.ports = c->ports;
	c->opts.net.n_ports = c->n_ports;
	return c->n_ports ? 0 : -1;
}

/* Checks that every file can be opened before any output is written, so that a
 * mistyped name fails fast and alone. Prints one line per failure. */
static int precheck(int n, char **files)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		int fd = open(files[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "tealeaves: %s: %s\n", files[i], strerror(errno));
			bad = 1;
			continue;
		}
		close(fd);
	}
	return bad;
}

static int read_error(const char *path, int rc, const tl_input_info_t *info)
{
	if (rc == TL_ENOENT || rc == TL_EACCES || rc == TL_EIO)
		fprintf(stderr, "tealeaves: %s: %s\n", path, tl_strerror(rc));
	else
		fprintf(stderr, "tealeaves: %s: %s%s%s\n", path, tl_strerror(rc),
			info->error[0] ? ": " : "", info->error);
	return EXIT_INPUT;
}

static int flush_out(tl_buf_t *b)
{
	if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
		return -1;
	tl_buf_clear(b);
	return 0;
}

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
	if (c->out.len >= (1 << 16) && flush_out(&c->out) != 0) {
		c->write_failed = 1;
		return 1;
	}
	return 0;
}

static const struct option common_long[] = {
	{"format", required_argument, NULL, 'f'},
	{"json", no_argument, NULL, 'j'},
	{"port", required_argument, NULL, 'p'},
	{"help", no_argument, NULL, 'h'},
	{"case", required_argument, NULL, 'C'},
	{"target", no_argument, NULL, 'T'},
	{"source", required_argument, NULL, 'S'},
	{"org", required_argument, NULL, 'O'},
	{"name", required_argument, NULL, 'N'},
	{"from", required_argument, NULL, 'F'},
	{"to", required_argument, NULL, 'U'},
	{"with-duplicates", no_argument, NULL, 'D'},
	{"set", required_argument, NULL, 's'},
	{"threads", required_argument, NULL, 't'},
	{NULL, 0, NULL, 0},
};

static int output_failed(void)
{
	fprintf(stderr, "tealeaves: writing output: %s\n", strerror(errno));
	return EXIT_OUTPUT;
}

/* Options shared by the commands that run a case. */
typedef struct case_opts {
	const char *sets[64];
	size_t n_sets;
	unsigned threads;
} case_opts_t;

static int case_option(case_opts_t *o, int opt, const char *arg);
static int records_for_case(const char *case_path, const case_opts_t *co,
			    const tl_trace_filter_t *flt, const tl_input_opts_t *opts, int tsv);

static int cmd_records(int argc, char **argv)
{
	common_t c;
	memset(&c, 0, sizeof(c));
	tl_input_opts_default(&c.opts);
	int tsv = 0, opt, st, target = 0, filtered = 0;
	const char *case_path = NULL;
	case_opts_t co;
	memset(&co, 0, sizeof(co));
	tl_addr_t source;
	tl_trace_filter_t flt = {.from = TL_TIME_NONE, .to = TL_TIME_NONE};
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:p:h", common_long, NULL)) != -1) {
		switch (opt) {
		case 'C':
			case_path = optarg;
			break;
		case 'T':
			target = 1;
			break;
		case 'S':
			if (tl_addr_parse(optarg, strlen(optarg), &source) != TL_OK)
				return usage_error("bad source address '%s'", optarg);
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
				return usage_error("bad time '%s' (ISO 8601 such as "
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
			if ((st = case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'f':
			if (strcmp(optarg, "tsv") == 0)
				tsv = 1;
			else if (strcmp(optarg, "jsonl") == 0)
				tsv = 0;
			else
				return usage_error("unknown format '%s' (jsonl or tsv)", optarg);
			break;
		case 'p':
			if (parse_ports(&c, optarg))
				return usage_error("bad port list '%s'", optarg);
			break;
		case 'h':
			fputs(help_of("records"), stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option for 'records'");
		}
	}
	int nfiles = argc - optind;
	if (case_path || target) {
		if (!case_path || !target || nfiles)
			return usage_error("records: --case CASE --target [filters], without files");
		return records_for_case(case_path, &co, &flt, &c.opts, tsv);
	}
	if (filtered || co.n_sets || co.threads)
		return usage_error("records: --source, --org, --name, --from, --to, --set and "
				   "--threads need --case CASE --target");
	if (nfiles < 1)
		return usage_error("records: no input files");
	if (precheck(nfiles, argv + optind))
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
			status = read_error(ctx.file, rc, &info);
		else if (info.anomalies.count[TL_AN_LINKTYPE_UNSUPPORTED])
			fprintf(stderr, "tealeaves: %s: %s\n", ctx.file, info.error);
	}
	if (ctx.write_failed || flush_out(&ctx.out) != 0 || fflush(stdout) != 0) {
		tl_buf_free(&ctx.out);
		return output_failed();
	}
	tl_buf_free(&ctx.out);
	return status;
}

static int count_only(const tl_record_t *r, void *ud)
{
	(void)r;
	(void)ud;
	return 0;
}

static void inspect_json(tl_json_t *j, const tl_input_info_t *info, int rc)
{
	char hex[TL_SHA256_HEX_LEN], name[24];
	const tl_input_stats_t *st = &info->stats;
	tl_json_obj_begin(j);
	tl_json_key(j, "file");
	tl_json_str(j, info->path);
	tl_json_key(j, "status");
	tl_json_str(j, rc == TL_OK ? "ok" : tl_strerror(rc));
	tl_json_key(j, "format");
	tl_json_str(j, tl_format_name(info->format));
	tl_json_key(j, "gzip");
	tl_json_bool(j, info->gzip);
	tl_json_key(j, "link_types");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < st->n_linktypes; i++)
		tl_json_str(j, tl_net_dlt_name(st->linktypes[i], name));
	tl_json_arr_end(j);
	tl_json_key(j, "size");
	tl_json_u64(j, info->size);
	tl_json_key(j, "sha256");
	tl_sha256_hex(info->sha256, hex);
	tl_json_str(j, hex);
	tl_json_key(j, "first_ts");
	tl_json_time(j, st->first_ts);
	tl_json_key(j, "last_ts");
	tl_json_time(j, st->last_ts);
	tl_json_key(j, info->format == TL_FORMAT_PCAP || info->format == TL_FORMAT_PCAPNG ? "frames"
											     : "lines");
	tl_json_u64(j, st->frames);
	if (info->format == TL_FORMAT_PCAP || info->format == TL_FORMAT_PCAPNG) {
		/* what the capture file itself records (pcapng statistics blocks);
		 * null means the file does not say, not that nothing was dropped */
		tl_json_key(j, "capture_drops");
		tl_json_obj_begin(j);
		tl_json_key(j, "interface");
		if (st->if_drops_known)
			tl_json_u64(j, st->if_drops);
		else
			tl_json_null(j);
		tl_json_key(j, "os");
		if (st->os_drops_known)
			tl_json_u64(j, st->os_drops);
		else
			tl_json_null(j);
		tl_json_obj_end(j);
	}
	tl_json_key(j, "messages");
	tl_json_obj_begin(j);
	tl_json_key(j, "total");
	tl_json_u64(j, st->messages);
	tl_json_key(j, "queries");
	tl_json_u64(j, st->queries);
	tl_json_key(j, "responses");
	tl_json_u64(j, st->responses);
	tl_json_key(j, "udp");
	tl_json_u64(j, st->udp);
	tl_json_key(j, "tcp");
	tl_json_u64(j, st->tcp);
	tl_json_key(j, "ipv4");
	tl_json_u64(j, st->ipv4);
	tl_json_key(j, "ipv6");
	tl_json_u64(j, st->ipv6);
	tl_json_key(j, "matched_responses");
	tl_json_u64(j, st->matched);
	tl_json_key(j, "unanswered_queries");
	tl_json_u64(j, st->unanswered);
	tl_json_key(j, "unmatched_responses");
	tl_json_u64(j, st->unmatched);
	tl_json_obj_end(j);
	tl_json_key(j, "anomalies");
	tl_json_obj_begin(j);
	tl_json_key(j, "total");
	tl_json_u64(j, tl_anomaly_total(&info->anomalies));
	tl_json_key(j, "by_kind");
	tl_json_arr_begin(j);
	for (int k = 0; k < TL_AN__COUNT; k++) {
		uint64_t n = info->anomalies.count[k];
		if (!n)
			continue;
		tl_json_obj_begin(j);
		tl_json_key(j, "kind");
		tl_json_str(j, tl_anomaly_name((tl_anomaly_kind_t)k));
		tl_json_key(j, "count");
		tl_json_u64(j, n);
		tl_json_key(j, "first_positions");
		tl_json_arr_begin(j);
		for (uint64_t i = 0; i < n && i < TL_AN_FIRST_MAX; i++)
			tl_json_u64(j, info->anomalies.first[k][i]);
		tl_json_arr_end(j);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	tl_json_key(j, "note");
	tl_json_str(j, info->error[0] ? info->error : NULL);
	tl_json_obj_end(j);
}

static void inspect_text(tl_buf_t *b, const tl_input_info_t *info)
{
	char hex[TL_SHA256_HEX_LEN], name[24], t1[TL_TIME_ISO_LEN], t2[TL_TIME_ISO_LEN];
	const tl_input_stats_t *st = &info->stats;
	int capture = info->format == TL_FORMAT_PCAP || info->format == TL_FORMAT_PCAPNG;
	tl_buf_puts(b, "file:        ");
	tl_buf_text_escaped(b, info->path, strlen(info->path));
	tl_buf_printf(b, "\nformat:      %s%s\n", tl_format_name(info->format),
		      info->gzip ? " (gzip-compressed)" : "");
	if (capture) {
		tl_buf_puts(b, "link types:  ");
		for (size_t i = 0; i < st->n_linktypes; i++)
			tl_buf_printf(b, "%s%s", i ? ", " : "",
				      tl_net_dlt_name(st->linktypes[i], name));
		tl_buf_putc(b, '\n');
	}
	tl_sha256_hex(info->sha256, hex);
	tl_buf_printf(b, "size:        %llu bytes\nsha256:      %s\n",
		      (unsigned long long)info->size, hex);
	if (st->first_ts != TL_TIME_NONE) {
		tl_time_format_iso(st->first_ts, t1);
		tl_time_format_iso(st->last_ts, t2);
		tl_buf_printf(b, "first:       %s\nlast:        %s\n", t1, t2);
	} else {
		tl_buf_puts(b, "first:       -\nlast:        -\n");
	}
	tl_buf_printf(b, "%-13s%llu\n", capture ? "frames:" : "lines:",
		      (unsigned long long)st->frames);
	if (capture) {
		tl_buf_puts(b, "drops:       ");
		if (!st->if_drops_known && !st->os_drops_known)
			tl_buf_puts(b, "not recorded in the file");
		if (st->if_drops_known)
			tl_buf_printf(b, "%llu by the interface", (unsigned long long)st->if_drops);
		if (st->os_drops_known)
			tl_buf_printf(b, "%s%llu by the OS", st->if_drops_known ? ", " : "",
				      (unsigned long long)st->os_drops);
		tl_buf_putc(b, '\n');
	}
	tl_buf_printf(b,
		      "messages:    %llu (queries %llu, responses %llu; udp %llu, tcp %llu; "
		      "ipv4 %llu, ipv6 %llu)\n",
		      (unsigned long long)st->messages, (unsigned long long)st->queries,
		      (unsigned long long)st->responses, (unsigned long long)st->udp,
		      (unsigned long long)st->tcp, (unsigned long long)st->ipv4,
		      (unsigned long long)st->ipv6);
	tl_buf_printf(b,
		      "matching:    %llu responses matched, %llu queries unanswered, "
		      "%llu responses without a query\n",
		      (unsigned long long)st->matched, (unsigned long long)st->unanswered,
		      (unsigned long long)st->unmatched);
	uint64_t total = tl_anomaly_total(&info->anomalies);
	tl_buf_printf(b, "anomalies:   %llu\n", (unsigned long long)total);
	for (int k = 0; k < TL_AN__COUNT; k++) {
		uint64_t n = info->anomalies.count[k];
		if (!n)
			continue;
		tl_buf_printf(b, "  %-22s %8llu  at %s", tl_anomaly_name((tl_anomaly_kind_t)k),
			      (unsigned long long)n, capture ? "frame" : "line");
		for (uint64_t i = 0; i < n && i < TL_AN_FIRST_MAX; i++)
			tl_buf_printf(b, "%s %llu", i ? "," : "",
				      (unsigned long long)info->anomalies.first[k][i]);
		tl_buf_puts(b, n > TL_AN_FIRST_MAX ? ", ...\n" : "\n");
	}
	if (info->error[0])
		tl_buf_printf(b, "note:        %s\n", info->error);
}

static int cmd_inspect(int argc, char **argv)
{
	common_t c;
	memset(&c, 0, sizeof(c));
	tl_input_opts_default(&c.opts);
	int json = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jp:h", common_long, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'p':
			if (parse_ports(&c, optarg))
				return usage_error("bad port list '%s'", optarg);
			break;
		case 'h':
			fputs(help_of("inspect"), stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option for 'inspect'");
		}
	}
	int nfiles = argc - optind;
	if (nfiles < 1)
		return usage_error("inspect: no input files");
	if (precheck(nfiles, argv + optind))
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
			status = read_error(path, rc, &info);
		if (json) {
			inspect_json(&j, &info, rc);
		} else {
			if (i)
				tl_buf_putc(&out, '\n');
			inspect_text(&out, &info);
		}
	}
	if (json) {
		tl_json_arr_end(&j);
		tl_json_obj_end(&j);
		tl_buf_putc(&out, '\n');
	}
	int failed = flush_out(&out) != 0 || fflush(stdout) != 0;
	tl_buf_free(&out);
	return failed ? output_failed() : status;
}

static int case_option(case_opts_t *o, int opt, const char *arg)
{
	if (opt == 's') {
		if (o->n_sets == sizeof(o->sets) / sizeof(o->sets[0]))
			return usage_error("too many --set options");
		o->sets[o->n_sets++] = arg;
		return EXIT_OK;
	}
	if (tl_cli_parse_threads(arg, &o->threads) != 0)
		return usage_error("bad thread count '%s'", arg);
	return EXIT_OK;
}

static const struct option analyze_long[] = {
	{"output", required_argument, NULL, 'o'},
	{"set", required_argument, NULL, 's'},
	{"threads", required_argument, NULL, 't'},
	{"json", no_argument, NULL, 'j'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int cmd_analyze(int argc, char **argv)
{
	const char *output = NULL;
	case_opts_t co;
	memset(&co, 0, sizeof(co));
	int opt, st;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:s:t:h", analyze_long, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 's':
		case 't':
			if ((st = case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'h':
			fputs(help_of("analyze"), stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option for 'analyze'");
		}
	}
	if (argc - optind != 1)
		return usage_error("analyze: give exactly one case file");
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
	} else if (flush_out(&out) != 0 || fflush(stdout) != 0) {
		status = output_failed();
	}
	tl_buf_free(&out);
	tl_make_case_done(c, events, &f);
	return status;
}

/* Columns of the terminal on stdout, or 80 when it is not one. */
static int terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

static int cmd_profile(int argc, char **argv)
{
	case_opts_t co;
	memset(&co, 0, sizeof(co));
	int opt, st, json = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:t:jh", analyze_long, NULL)) != -1) {
		switch (opt) {
		case 's':
		case 't':
			if ((st = case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(help_of("profile"), stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option for 'profile'");
		}
	}
	if (argc - optind != 1)
		return usage_error("profile: give exactly one case file");
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
	if (flush_out(&out) != 0 || fflush(stdout) != 0)
		status = output_failed();
	tl_buf_free(&out);
	tl_make_case_done(c, events, &f);
	return status;
}

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

static int cmd_report(int argc, char **argv)
{
	const char *output = NULL, *charts = NULL, *csv = NULL, *findings_out = NULL;
	const char *sign_key = NULL, *sign_cert = NULL;
	int pdfa_1b = 0, draft = 0, opt, st;
	case_opts_t co;
	memset(&co, 0, sizeof(co));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:s:t:h", report_long, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 's':
		case 't':
			if ((st = case_option(&co, opt, optarg)) != EXIT_OK)
				return st;
			break;
		case 'a':
			if (strcmp(optarg, "1b") == 0)
				pdfa_1b = 1;
			else if (strcmp(optarg, "3b") != 0)
				return usage_error("--pdfa takes 3b (default) or 1b, not '%s'", optarg);
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
			fputs(help_of("report"), stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option for 'report'");
		}
	}
	if (argc - optind != 1 || !output)
		return usage_error("report: give one case file and -o FILE.pdf");
	if (!sign_key != !sign_cert)
		return usage_error("report: --sign-key and --sign-cert go together");
	/* -o - writes the PDF to standard output, never to a terminal; its side files then
	 * have nowhere to go. Every other target is checked before the work. */
	int to_stdout = strcmp(output, TL_OUTFILE_STDOUT) == 0;
	if (to_stdout && isatty(STDOUT_FILENO))
		return usage_error("report: -o - writes the PDF to standard output, which is a "
				   "terminal here; redirect it or give a file name");
	if (to_stdout && pdfa_1b)
		return usage_error("report: a PDF/A-1b report keeps its manifest only in a file "
				   "beside it; give a file name");
	if (to_stdout && sign_key)
		return usage_error("report: a signed report needs a file name (its signature goes "
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
			status = output_failed();
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
static int records_for_case(const char *case_path, const case_opts_t *co, const tl_trace_filter_t *flt,
			    const tl_input_opts_t *opts, int tsv)
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
				status = read_error(rc.file, r, &info);
		}
		if (rc.write_failed || flush_out(&rc.out) != 0 || fflush(stdout) != 0)
			status = output_failed();
		tl_buf_free(&rc.out);
	}
	tl_trace_free(&t);
	tl_make_case_done(c, events, &f);
	return status;
}

static int cmd_version(void)
{
	printf("tealeaves %s\nsource commit %s%s\n", TL_VERSION, TL_SOURCE_COMMIT,
	       TL_SOURCE_DIRTY ? " (with uncommitted changes)" : "");
	tl_buf_t libs;
	tl_buf_init(&libs);
	tl_cli_library_versions(&libs);
	printf("libraries: %s\n", libs.data);
	printf("data folder: %s\n", tl_cli_data_dir());
	tl_buf_free(&libs);
	return fflush(stdout) == 0 ? EXIT_OK : output_failed();
}

#ifndef TL_DATA_DIR
#error "TL_DATA_DIR: the data folder, absolute or relative to the binary's folder"
#endif

int main(int argc, char **argv)
{
	/* where this binary's templates, fonts and colour profile are (see CMakeLists.txt) */
	if (tl_cli_set_data_dir(TL_DATA_DIR) != 0 && !getenv("TEALEAVES_DATA_DIR"))
		fprintf(stderr,
			"tealeaves: cannot find the folder this program is in (%s), so not its "
			"data folder either; set TEALEAVES_DATA_DIR\n",
			strerror(errno));
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "records") == 0)
		return cmd_records(argc - 1, argv + 1);
	if (strcmp(cmd, "inspect") == 0)
		return cmd_inspect(argc - 1, argv + 1);
	if (strcmp(cmd, "analyze") == 0)
		return cmd_analyze(argc - 1, argv + 1);
	if (strcmp(cmd, "profile") == 0)
		return cmd_profile(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(cmd, "verify") == 0)
		return tl_cli_verify(argc - 1, argv + 1);
	if (strcmp(cmd, "bundle") == 0)
		return tl_cli_bundle(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0)
		return cmd_version();
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	return usage_error("unknown command '%s'", cmd);
}
