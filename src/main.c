/* main.c - the tealeaves command line: subcommands over the tealeaves library. */
#include "analysis/case.h"
#include "analysis/engine.h"
#include "analysis/events.h"
#include "analysis/trace.h"
#include "analysis/attrib.h"
#include "input/stream.h"
#include "input/textlog.h"
#include "render/chart.h"
#include "render/pdf.h"
#include "render/manifest.h"
#include "render/report.h"
#include "render/report_export.h"
#include "render/text_summary.h"
#include "input/input.h"
#include "input/dns.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/timeutil.h"
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

/* Exit codes (documented in the README and the man page). */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,  /* bad command line */
	EXIT_INPUT = 2,  /* an input could not be read or is in no known format */
	EXIT_OUTPUT = 3, /* output could not be written */
	EXIT_CASE = 4,   /* the case file (or a file it names) is invalid */
	EXIT_EVIDENCE = 5, /* evidence does not match its expected SHA-256, or changed */
};

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
	"  analyze CASE [-o FILE] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"                  run the analysis of a case file; write the findings JSON\n"
	"  profile CASE [--json] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"                  a summary of the key findings for the terminal\n"
	"  report CASE -o FILE.pdf [--pdfa 3b|1b] [--draft] [--charts DIR] [--csv DIR]\n"
	"         [--findings FILE] [--set SECTION.KEY=VALUE]... [--threads N]\n"
	"                  the evidence report (PDF/A), with its charts and tables as files\n"
	"  version         print the version, source commit and library versions\n"
	"  help            print this text\n"
	"\n"
	"exit codes: 0 ok, 1 usage, 2 unreadable or unknown input, 3 output not written,\n"
	"            4 invalid case file, 5 evidence does not match its expected SHA-256\n"
	"see tealeaves(1) for details\n";

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
	long threads;
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
				return usage_error("bad time '%s' (ISO 8601 or epoch seconds)", optarg);
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
			fputs(usage_text, stdout);
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
			fputs(usage_text, stdout);
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

/* Writes buf to path through a temporary file renamed on success, so a failed
 * run never leaves a partial file under the final name. */
static int write_atomic(const char *path, const tl_buf_t *b)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return -1;
	snprintf(tmp, n + 16, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		int e = errno;
		free(tmp);
		errno = e;
		return -1;
	}
	int bad = (b->len && fwrite(b->data, 1, b->len, f) != b->len);
	bad |= fflush(f) != 0;
	bad |= fsync(fileno(f)) != 0;
	int e = errno;
	bad |= fclose(f) != 0;
	if (!bad && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	e = errno ? errno : e;
	unlink(tmp);
	free(tmp);
	errno = e;
	return -1;
}


/* Loads the case, applies --set overrides, loads the events and runs the
 * analysis. Returns EXIT_OK with *c, *ev and *f filled (the caller frees them
 * with tl_findings_free, tl_events_free, tl_case_free), or an exit status after
 * printing one message. */
static int run_case(const char *path, const char *const *sets, size_t n_sets, long threads,
		    tl_case_t **c_out, tl_events_t **ev_out, tl_findings_t *f)
{
	char err[4096];
	tl_case_t *c = NULL;
	int rc = tl_case_load(path, &c, err, sizeof(err));
	if (rc != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		return rc == TL_EFORMAT ? EXIT_CASE : EXIT_INPUT;
	}
	for (size_t i = 0; i < n_sets; i++) {
		const char *eq = strchr(sets[i], '=');
		char key[128];
		size_t kl = eq ? (size_t)(eq - sets[i]) : 0;
		if (!eq || kl >= sizeof(key)) {
			tl_case_free(c);
			return usage_error("--set needs SECTION.KEY=VALUE, not '%s'", sets[i]);
		}
		memcpy(key, sets[i], kl);
		key[kl] = '\0';
		if (tl_case_override(c, key, eq + 1, err, sizeof(err)) != TL_OK) {
			fprintf(stderr, "tealeaves: %s\n", err);
			tl_case_free(c);
			return EXIT_CASE;
		}
	}
	tl_events_t *events = NULL;
	if (c->events_resolved) {
		rc = tl_events_load(c->events_resolved, c->window_before_us, c->window_after_us, &events,
				    err, sizeof(err));
		if (rc != TL_OK) {
			fprintf(stderr, "tealeaves: %s\n", err);
			tl_case_free(c);
			return rc == TL_EFORMAT ? EXIT_CASE : EXIT_INPUT;
		}
	}
	rc = tl_analysis_run(c, events, NULL, (unsigned)threads, TL_VERSION, f, err, sizeof(err));
	if (rc != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		tl_findings_free(f);
		tl_events_free(events);
		tl_case_free(c);
		if (rc == TL_EINVAL || (rc == TL_EIO && strstr(err, "between the two passes")))
			return EXIT_EVIDENCE;
		if (rc == TL_EFORMAT && strstr(err, ".csv"))
			return EXIT_CASE;
		return EXIT_INPUT;
	}
	*c_out = c;
	*ev_out = events;
	return EXIT_OK;
}


static int case_option(case_opts_t *o, int opt, const char *arg)
{
	if (opt == 's') {
		if (o->n_sets == sizeof(o->sets) / sizeof(o->sets[0]))
			return usage_error("too many --set options");
		o->sets[o->n_sets++] = arg;
		return EXIT_OK;
	}
	char *end;
	errno = 0;
	o->threads = strtol(arg, &end, 10);
	if (errno || *end || end == arg || o->threads < 0 || o->threads > 1024)
		return usage_error("bad thread count '%s'", arg);
	return EXIT_OK;
}

/* The findings document exactly as `analyze` writes it; the report embeds these
 * same bytes, so the two can be compared byte for byte. */
static void findings_document(const tl_findings_t *f, tl_buf_t *out)
{
	tl_json_t j;
	tl_json_init(&j, out, 1);
	tl_json_findings(&j, f);
	tl_buf_putc(out, '\n');
}

/* Frees what run_case returned. */
static void case_done(tl_case_t *c, tl_events_t *events, tl_findings_t *f)
{
	tl_findings_free(f);
	tl_events_free(events);
	tl_case_free(c);
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
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option for 'analyze'");
		}
	}
	if (argc - optind != 1)
		return usage_error("analyze: give exactly one case file");
	tl_case_t *c;
	tl_events_t *events;
	tl_findings_t f;
	int status = run_case(argv[optind], co.sets, co.n_sets, co.threads, &c, &events, &f);
	if (status != EXIT_OK)
		return status;
	tl_buf_t out;
	tl_buf_init(&out);
	findings_document(&f, &out);
	if (output) {
		if (write_atomic(output, &out) != 0) {
			fprintf(stderr, "tealeaves: %s: %s\n", output, strerror(errno));
			status = EXIT_OUTPUT;
		}
	} else if (flush_out(&out) != 0 || fflush(stdout) != 0) {
		status = output_failed();
	}
	tl_buf_free(&out);
	case_done(c, events, &f);
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
			fputs(usage_text, stdout);
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
	int status = run_case(argv[optind], co.sets, co.n_sets, co.threads, &c, &events, &f);
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
	case_done(c, events, &f);
	return status;
}

/* The versions of the linked libraries, as each reports itself at run time. */
static void library_versions(tl_buf_t *b)
{
	tl_buf_printf(b, "%s; ldns %s; jansson %s; zlib %s; %s; libmaxminddb %s; cairo %s; "
			 "libharu %s; libinih (no run-time version)",
		      tl_input_pcap_version(), tl_dns_ldns_version(), tl_textlog_jansson_version(),
		      tl_stream_zlib_version(), tl_sha256_openssl_version(),
		      tl_attrib_maxminddb_version(), tl_chart_cairo_version(),
		      tl_pdf_libharu_version());
}

/* Options that choose where output goes, or how fast it is made, and never what
 * it holds: left out of the recorded command so that the report does not depend
 * on them (its bytes must not change with the output file's name). */
static int output_only_option(const char *a, int *takes_value)
{
	static const char *const with_value[] = {"-o", "--output", "--charts", "--csv",
						 "--findings", "--threads", "-t", NULL};
	*takes_value = 0;
	for (int i = 0; with_value[i]; i++) {
		size_t n = strlen(with_value[i]);
		if (strcmp(a, with_value[i]) == 0) {
			*takes_value = 1;
			return 1;
		}
		if (strncmp(a, with_value[i], n) == 0 && a[n] == '=' && a[1] == '-')
			return 1;
	}
	return 0;
}

/* The command line as a shell would take it back: words with anything but
 * [A-Za-z0-9_./=:,+-] are single-quoted; output-only options are left out. */
static void command_line(tl_buf_t *b, int argc, char **argv)
{
	tl_buf_puts(b, "tealeaves");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int takes;
		if (output_only_option(a, &takes)) {
			i += takes;
			continue;
		}
		int plain = *a != '\0';
		for (const char *p = a; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || strchr("_./=:,+-", *p)))
				plain = 0;
		tl_buf_putc(b, ' ');
		if (plain) {
			tl_buf_puts(b, a);
			continue;
		}
		tl_buf_putc(b, '\'');
		for (const char *p = a; *p; p++) {
			if (*p == '\'')
				tl_buf_puts(b, "'\\''");
			else
				tl_buf_putc(b, *p);
		}
		tl_buf_putc(b, '\'');
	}
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
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* Where templates/, fonts/ and icc/ are: $TEALEAVES_DATA_DIR, else the source tree. */
static const char *data_dir(void)
{
	const char *d = getenv("TEALEAVES_DATA_DIR");
	return d && *d ? d : TL_DATA_DIR;
}

/* The report's date in UTC seconds: the case's report_date, else SOURCE_DATE_EPOCH
 * (reproducible-builds.org), never the clock. Returns 0 and *s, or -1. */
static int report_date(const tl_case_t *c, int64_t *s)
{
	if (c->has_report_date) {
		*s = c->report_date_us / TL_US_PER_SEC;
		return 0;
	}
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (!e || !*e)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(e, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	*s = (int64_t)v;
	return 0;
}

static int cmd_report(int argc, char **argv)
{
	const char *output = NULL, *charts = NULL, *csv = NULL, *findings_out = NULL;
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
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option for 'report'");
		}
	}
	if (argc - optind != 1 || !output)
		return usage_error("report: give one case file and -o FILE.pdf");
	tl_case_t *c;
	tl_events_t *events;
	tl_findings_t f;
	int status = run_case(argv[optind], co.sets, co.n_sets, co.threads, &c, &events, &f);
	if (status != EXIT_OK)
		return status;
	char err[4096] = "";
	tl_buf_t fj;
	tl_buf_init(&fj);
	int64_t date_s = 0;
	if (report_date(c, &date_s) != 0) {
		fprintf(stderr, "tealeaves: no report date: set [case] report_date in %s or "
				"SOURCE_DATE_EPOCH (the clock is never used)\n", argv[optind]);
		status = EXIT_CASE;
		goto out;
	}
	findings_document(&f, &fj);
	uint8_t digest[TL_SHA256_LEN];
	char fhex[TL_SHA256_HEX_LEN], id[TL_SHA256_HEX_LEN];
	tl_sha256(fj.data, fj.len, digest);
	tl_sha256_hex(digest, fhex);
	tl_buf_t mj;
	tl_buf_init(&mj);
	char tmpl[4096], fonts[4096], icc[4096];
	if (c->template_resolved)
		snprintf(tmpl, sizeof(tmpl), "%s", c->template_resolved);
	else
		snprintf(tmpl, sizeof(tmpl), "%s/templates/%s.tmpl", data_dir(), c->template_name);
	snprintf(fonts, sizeof(fonts), "%s/fonts", data_dir());
	snprintf(icc, sizeof(icc), "%s/icc/sRGB.icc", data_dir());
	tl_buf_t libs, cmd;
	tl_buf_init(&libs);
	tl_buf_init(&cmd);
	library_versions(&libs);
	command_line(&cmd, argc, argv);
	char commit[128];
	snprintf(commit, sizeof(commit), "%s%s", TL_SOURCE_COMMIT,
		 TL_SOURCE_DIRTY ? " (built from a tree with uncommitted changes)" : "");
	/* the manifest lists every file the report depends on; its hash is the report ID */
	tl_manifest_opts_t mo = {
		.template_path = tmpl,
		.fonts_dir = fonts,
		.icc_path = icc,
		.tool_version = TL_VERSION,
		.tool_commit = TL_SOURCE_COMMIT,
		.tool_dirty = TL_SOURCE_DIRTY,
		.libraries = libs.data,
		.pdfa = pdfa_1b ? "1b" : "3b",
		.draft = draft || c->draft,
		.findings_sha256 = fhex,
	};
	if (tl_manifest_json(&f, &mo, &mj, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: manifest: %s\n", err);
		tl_buf_free(&libs);
		tl_buf_free(&cmd);
		tl_buf_free(&mj);
		status = EXIT_INPUT;
		goto out;
	}
	tl_sha256(mj.data, mj.len, digest);
	tl_sha256_hex(digest, id);
	tl_report_opts_t ro = {
		.template_path = tmpl,
		.fonts_dir = fonts,
		.icc_path = icc,
		.pdfa_1b = pdfa_1b,
		.draft = draft || c->draft,
		.date_s = date_s,
		.report_id = id,
		.findings_json = (const uint8_t *)fj.data,
		.findings_len = fj.len,
		.manifest_json = (const uint8_t *)mj.data,
		.manifest_len = mj.len,
		.tool_commit = commit,
		.libraries = libs.data,
		.command = cmd.data,
		.verify_command = "run the command above on the same inputs with the same version "
				  "of the software, and compare the new file's SHA-256 with this "
				  "file's; identical inputs give identical bytes",
	};
	uint8_t *pdf = NULL;
	size_t len = 0;
	int rc = tl_report_render(&f, &ro, &pdf, &len, err, sizeof(err));
	tl_buf_free(&libs);
	tl_buf_free(&cmd);
	if (rc != TL_OK) {
		fprintf(stderr, "tealeaves: report: %s\n", err[0] ? err : tl_strerror(rc));
		tl_buf_free(&mj);
		status = EXIT_CASE;
		goto out;
	}
	tl_buf_t pb = {(char *)pdf, len, len};
	if (write_atomic(output, &pb) != 0) {
		fprintf(stderr, "tealeaves: %s: %s\n", output, strerror(errno));
		status = EXIT_OUTPUT;
	}
	/* beside the report: its manifest, and its SHA-256 as sha256sum -c reads it */
	if (status == EXIT_OK) {
		tl_buf_t side, name;
		tl_buf_init(&side);
		tl_buf_init(&name);
		tl_buf_printf(&name, "%s.manifest.json", output);
		if (write_atomic(name.data, &mj) != 0) {
			fprintf(stderr, "tealeaves: %s: %s\n", name.data, strerror(errno));
			status = EXIT_OUTPUT;
		}
		tl_sha256(pdf, len, digest);
		char phex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(digest, phex);
		const char *base = strrchr(output, '/');
		tl_buf_printf(&side, "%s  %s\n", phex, base ? base + 1 : output);
		tl_buf_clear(&name);
		tl_buf_printf(&name, "%s.sha256", output);
		if (status == EXIT_OK && write_atomic(name.data, &side) != 0) {
			fprintf(stderr, "tealeaves: %s: %s\n", name.data, strerror(errno));
			status = EXIT_OUTPUT;
		}
		tl_buf_free(&side);
		tl_buf_free(&name);
	}
	tl_buf_free(&mj);
	free(pdf);
	if (status == EXIT_OK && findings_out && write_atomic(findings_out, &fj) != 0) {
		fprintf(stderr, "tealeaves: %s: %s\n", findings_out, strerror(errno));
		status = EXIT_OUTPUT;
	}
	if (status == EXIT_OK && (charts || csv) &&
	    tl_report_export(&f, charts, csv, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		status = EXIT_OUTPUT;
	}
out:
	tl_buf_free(&fj);
	case_done(c, events, &f);
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
	int status = run_case(case_path, co->sets, co->n_sets, co->threads, &c, &events, &f);
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
	case_done(c, events, &f);
	return status;
}

static int cmd_version(void)
{
	printf("tealeaves %s\nsource commit %s%s\n", TL_VERSION, TL_SOURCE_COMMIT,
	       TL_SOURCE_DIRTY ? " (with uncommitted changes)" : "");
	tl_buf_t libs;
	tl_buf_init(&libs);
	library_versions(&libs);
	printf("libraries: %s\n", libs.data);
	tl_buf_free(&libs);
	return fflush(stdout) == 0 ? EXIT_OK : output_failed();
}

int main(int argc, char **argv)
{
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
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0)
		return cmd_version();
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	return usage_error("unknown command '%s'", cmd);
}
