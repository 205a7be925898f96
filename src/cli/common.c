/* common.c - what the commands share: exit statuses, atomic writes, bounded reads, the
 * options and messages of several commands, the data folder and the description of this
 * program. */
#include "cli/common.h"
#include "analysis/attrib.h"
#include "case/mmdb.h"
#include "util/file.h"
#include "util/idna.h"
#include "input/dns/dns.h"
#include "input/input.h"
#include "input/log/textlog.h"
#include "input/stream.h"
#include "provenance/tar.h"
#include "render/chart/chart.h"
#include "render/pdf/pdf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/sha256.h"
#include "tl_version.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tl_cli_exit_status(int err)
{
	switch (err) {
	case TL_OK: return EXIT_OK;
	case TL_EUSAGE: return EXIT_USAGE;
	case TL_EOUTPUT: return EXIT_OUTPUT;
	case TL_ECASE: return EXIT_CASE;
	case TL_EEVIDENCE: return EXIT_EVIDENCE;
	case TL_ESIGNATURE: return EXIT_UNVERIFIED;
	case TL_EUNTRUSTED: return EXIT_UNVERIFIED;
	/* the library says which errors are the command line's, the case's, the evidence's
	 * or an output's; anything else is an input that could not be read */
	default: return EXIT_INPUT;
	}
}

int tl_cli_fail(int err, const char *msg)
{
	if (err != TL_OK)
		fprintf(stderr, "tealeaves: %s\n", msg);
	return tl_cli_exit_status(err);
}

int tl_cli_write_atomic(const char *path, const void *data, size_t len)
{
	char why[256];
	if (tl_file_out_write(path, data, len, why, sizeof(why)) != TL_OK) {
		int e = errno;
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", path, why);
		errno = e;
		return TL_EOUTPUT;
	}
	return TL_OK;
}

int tl_cli_check_output(const char *path)
{
	char why[256];
	if (tl_file_out_check(path, why, sizeof(why)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", path, why);
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

int tl_cli_parse_threads(const char *arg, unsigned *threads)
{
	char *end;
	errno = 0;
	long t = strtol(arg, &end, 10);
	if (errno || *end || end == arg || t < 0 || t > 1024)
		return TL_EUSAGE;
	*threads = (unsigned)t;
	return TL_OK;
}

/* The folder set by tl_cli_set_data_dir; empty until then. */
static char data_dir[PATH_MAX];

int tl_cli_set_data_dir(const char *dir)
{
	char exe[PATH_MAX];
	if (dir[0] == '/') {
		if ((size_t)snprintf(data_dir, sizeof(data_dir), "%s", dir) >= sizeof(data_dir))
			goto too_long;
		return TL_OK;
	}
	/* the kernel's link names the binary itself, with every symbolic link on the way
	 * resolved, so a link to the binary from elsewhere (/usr/bin) still finds its data */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return TL_ENOENT;
	if ((size_t)n >= sizeof(exe) - 1)
		goto too_long;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash) {
		errno = ENOENT;
		return TL_ENOENT;
	}
	*slash = '\0';
	/* "../share/tealeaves" from /usr/local/bin is /usr/local/share/tealeaves, which reads
	 * better in messages (exe has no links left, so cutting a component is exact) */
	while (strncmp(dir, "../", 3) == 0 && (slash = strrchr(exe, '/')) != NULL && slash != exe) {
		*slash = '\0';
		dir += 3;
	}
	if ((size_t)snprintf(data_dir, sizeof(data_dir), "%s/%s", exe, dir) >= sizeof(data_dir))
		goto too_long;
	return TL_OK;
too_long:
	data_dir[0] = '\0';
	errno = ENAMETOOLONG;
	return TL_ELIMIT;
}

const char *tl_cli_data_dir(void)
{
	const char *d = getenv("TEALEAVES_DATA_DIR");
	if (d && *d)
		return d;
	return data_dir[0] ? data_dir : ".";
}

void tl_cli_library_versions(tl_buf_t *b)
{
	tl_buf_printf(b,
		      "%s; ldns %s; jansson %s; zlib %s; %s; libmaxminddb %s; cairo %s; "
		      "fontconfig %s; libharu %s; %s; libidn2 %s; libinih (no run-time version)",
		      tl_input_pcap_version(), tl_dns_ldns_version(), tl_textlog_jansson_version(),
		      tl_stream_zlib_version(), tl_sha256_openssl_version(),
		      tl_mmdb_version(), tl_chart_cairo_version(),
		      tl_chart_fontconfig_version(), tl_pdf_libharu_version(),
		      tl_tar_libarchive_version(), tl_idna_libidn2_version());
}

/* "COMMIT" or "COMMIT (built from a tree with uncommitted changes)". */
static void tool_commit(char *out, size_t n)
{
	snprintf(out, n, "%s%s", TL_SOURCE_COMMIT,
		 TL_SOURCE_DIRTY ? " (built from a tree with uncommitted changes)" : "");
}

void tl_cli_report_program(tl_make_report_opts_t *o)
{
	/* made once: they describe the running program, which does not change */
	static tl_buf_t libs;
	static char commit[160];
	if (!libs.len) {
		tl_buf_init(&libs);
		tl_cli_library_versions(&libs);
		tool_commit(commit, sizeof(commit));
	}
	o->data_dir = tl_cli_data_dir();
	o->libraries = libs.data;
	o->tool_commit = commit;
}

int tl_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tealeaves: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nrun 'tealeaves help' for usage\n");
	va_end(ap);
	return EXIT_USAGE;
}

int tl_cli_output_failed(void)
{
	fprintf(stderr, "tealeaves: writing output: %s\n", strerror(errno));
	return EXIT_OUTPUT;
}

int tl_cli_flush_out(tl_buf_t *b)
{
	if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
		return TL_EOUTPUT;
	tl_buf_clear(b);
	return TL_OK;
}

const struct option tl_cli_input_options[] = {
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

const struct option tl_cli_case_options[] = {
	{"output", required_argument, NULL, 'o'},
	{"set", required_argument, NULL, 's'},
	{"threads", required_argument, NULL, 't'},
	{"json", no_argument, NULL, 'j'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void tl_cli_input_opts_init(tl_cli_input_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	tl_input_opts_default(&o->opts);
}

int tl_cli_parse_ports(tl_cli_input_opts_t *o, const char *arg)
{
	const char *p = arg;
	while (*p) {
		char *end;
		errno = 0;
		long v = strtol(p, &end, 10);
		if (end == p || errno || v < 1 || v > 65535 || (*end && *end != ','))
			return TL_EUSAGE;
		if (o->n_ports == TL_CLI_MAX_PORTS)
			return TL_EUSAGE;
		o->ports[o->n_ports++] = (uint16_t)v;
		p = *end ? end + 1 : end;
	}
	/* the reader takes these instead of its default, port 53 */
	o->opts.net.ports = o->ports;
	o->opts.net.n_ports = o->n_ports;
	return o->n_ports ? TL_OK : TL_EUSAGE;
}

int tl_cli_precheck(int n, char **files)
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

int tl_cli_read_error(const char *path, int rc, const tl_input_info_t *info)
{
	if (rc == TL_ENOENT || rc == TL_EACCES || rc == TL_EIO)
		fprintf(stderr, "tealeaves: %s: %s\n", path, tl_strerror(rc));
	else
		fprintf(stderr, "tealeaves: %s: %s%s%s\n", path, tl_strerror(rc),
			info->error[0] ? ": " : "", info->error);
	return EXIT_INPUT;
}

int tl_cli_case_option(tl_cli_case_opts_t *o, int opt, const char *arg)
{
	if (opt == 's') {
		if (o->n_sets == sizeof(o->sets) / sizeof(o->sets[0]))
			return tl_cli_usage_error("too many --set options");
		o->sets[o->n_sets++] = arg;
		return EXIT_OK;
	}
	if (tl_cli_parse_threads(arg, &o->threads) != 0)
		return tl_cli_usage_error("bad thread count '%s'", arg);
	return EXIT_OK;
}
