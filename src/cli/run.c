/* run.c - running a case and making its report, for the commands that need it
 * (report, verify, bundle). */
#include "cli/cli.h"
#include "analysis/attrib.h"
#include "case/mmdb.h"
#include "analysis/engine.h"
#include "case/parse.h"
#include "input/dns/dns.h"
#include "input/input.h"
#include "input/stream.h"
#include "input/log/textlog.h"
#include "render/chart/chart.h"
#include "render/json/json.h"
#include "provenance/manifest.h"
#include "render/pdf/pdf.h"
#include "render/report/report.h"
#include "provenance/cms.h"
#include "util/error.h"
#include "util/file.h"
#include "provenance/tar.h"
#include "util/time.h"
#include "util/xmalloc.h"
#include "tl_version.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tl_cli_write_atomic(const char *path, const void *data, size_t len)
{
	char why[256];
	if (tl_outfile_write(path, data, len, why, sizeof(why)) != TL_OK) {
		int e = errno;
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", path, why);
		errno = e;
		return -1;
	}
	return 0;
}

int tl_cli_check_output(const char *path)
{
	char why[256];
	if (tl_outfile_check(path, why, sizeof(why)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", path, why);
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

int tl_cli_read_file(const char *path, size_t max, tl_buf_t *out)
{
	char *data;
	size_t len;
	int rc = tl_file_read(path, max, &data, &len);
	if (rc != TL_OK) {
		/* errno is left by tl_file_read, except for the cases it names itself */
		if (rc == TL_ELIMIT)
			errno = EFBIG;
		else if (rc == TL_ENOENT)
			errno = ENOENT;
		else if (rc == TL_EACCES)
			errno = EACCES;
		return -1;
	}
	tl_buf_free(out);
	out->data = data; /* NUL-terminated, as a tl_buf_t's data always is */
	out->len = len;
	out->cap = len + 1;
	return 0;
}

int tl_cli_parse_threads(const char *arg, unsigned *threads)
{
	char *end;
	errno = 0;
	long t = strtol(arg, &end, 10);
	if (errno || *end || end == arg || t < 0 || t > 1024)
		return -1;
	*threads = (unsigned)t;
	return 0;
}

/* The folder set by tl_cli_set_data_dir; empty until then. */
static char data_dir[PATH_MAX];

int tl_cli_set_data_dir(const char *dir)
{
	char exe[PATH_MAX];
	if (dir[0] == '/') {
		if ((size_t)snprintf(data_dir, sizeof(data_dir), "%s", dir) >= sizeof(data_dir))
			goto too_long;
		return 0;
	}
	/* the kernel's link names the binary itself, with every symbolic link on the way
	 * resolved, so a link to the binary from elsewhere (/usr/bin) still finds its data */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(exe) - 1)
		goto too_long;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash) {
		errno = ENOENT;
		return -1;
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
	return 0;
too_long:
	data_dir[0] = '\0';
	errno = ENAMETOOLONG;
	return -1;
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
	              "fontconfig %s; libharu %s; %s; libinih (no run-time version)",
	              tl_input_pcap_version(), tl_dns_ldns_version(), tl_textlog_jansson_version(),
	              tl_stream_zlib_version(), tl_sha256_openssl_version(),
	              tl_mmdb_version(), tl_chart_cairo_version(),
	              tl_chart_fontconfig_version(), tl_pdf_libharu_version(),
	              tl_tar_libarchive_version());
}

void tl_cli_tool_commit(char *out, size_t n)
{
	snprintf(out, n, "%s%s", TL_SOURCE_COMMIT,
	         TL_SOURCE_DIRTY ? " (built from a tree with uncommitted changes)" : "");
}

int tl_cli_load_case(const char *path, const char *const *sets, size_t n_sets, tl_case_t **out)
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
			fprintf(stderr, "tealeaves: --set needs SECTION.KEY=VALUE, not '%s'\n",
			        sets[i]);
			tl_case_free(c);
			return EXIT_USAGE;
		}
		memcpy(key, sets[i], kl);
		key[kl] = '\0';
		if (tl_case_override(c, key, eq + 1, err, sizeof(err)) != TL_OK) {
			fprintf(stderr, "tealeaves: %s\n", err);
			tl_case_free(c);
			return EXIT_CASE;
		}
	}
	*out = c;
	return EXIT_OK;
}

int tl_cli_analyse(tl_case_t *c, unsigned threads, tl_events_t **events_out, tl_findings_t *f)
{
	char err[4096];
	tl_events_t *events = NULL;
	if (c->events_resolved) {
		int rc = tl_events_load(c->events_resolved, c->window_before_us, c->window_after_us,
		                        &events, err, sizeof(err));
		if (rc != TL_OK) {
			fprintf(stderr, "tealeaves: %s\n", err);
			return rc == TL_EFORMAT ? EXIT_CASE : EXIT_INPUT;
		}
	}
	int rc = tl_analysis_run(c, events, NULL, threads, TL_VERSION, f, err, sizeof(err));
	if (rc != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		tl_findings_free(f);
		tl_events_free(events);
		if (rc == TL_EINVAL || (rc == TL_EIO && strstr(err, "between the two passes")))
			return EXIT_EVIDENCE;
		if (rc == TL_EFORMAT && strstr(err, ".csv"))
			return EXIT_CASE;
		return EXIT_INPUT;
	}
	*events_out = events;
	return EXIT_OK;
}

int tl_cli_run_case(const char *path, const char *const *sets, size_t n_sets, unsigned threads,
                    tl_case_t **c_out, tl_events_t **events, tl_findings_t *f)
{
	tl_case_t *c = NULL;
	int st = tl_cli_load_case(path, sets, n_sets, &c);
	if (st != EXIT_OK)
		return st;
	if ((st = tl_cli_analyse(c, threads, events, f)) != EXIT_OK) {
		tl_case_free(c);
		return st;
	}
	*c_out = c;
	return EXIT_OK;
}

void tl_cli_case_done(tl_case_t *c, tl_events_t *events, tl_findings_t *f)
{
	if (f)
		tl_findings_free(f);
	tl_events_free(events);
	tl_case_free(c);
}

void tl_cli_findings_document(const tl_findings_t *f, tl_buf_t *out)
{
	tl_json_t j;
	tl_json_init(&j, out, 1);
	tl_json_findings(&j, f);
	tl_buf_putc(out, '\n');
}

int tl_cli_report_date(const tl_case_t *c, int64_t *s)
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
	if (errno || *end || v < 0 || v > INT64_C(253402300799)) /* up to 9999-12-31 */
		return -1;
	*s = (int64_t)v;
	return 0;
}

int tl_cli_need_report_date(const tl_case_t *c, const char *case_path, int64_t *s)
{
	if (tl_cli_report_date(c, s) == 0)
		return EXIT_OK;
	fprintf(stderr,
	        "tealeaves: no report date: set [case] report_date in %s or "
	        "SOURCE_DATE_EPOCH (the clock is never used)\n",
	        case_path);
	return EXIT_CASE;
}

int tl_cli_sign_report(const tl_cli_report_t *r, const char *key, const char *cert, tl_buf_t *sig)
{
	char err[4096];
	const char *pass = getenv("TEALEAVES_KEY_PASSPHRASE");
	if (tl_cms_sign(r->pdf, r->pdf_len, key, pass && *pass ? pass : NULL, cert, sig, err,
	                sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: signing: %s\n", err);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* One word as a POSIX shell takes it back: words with anything but
 * [A-Za-z0-9_./=:,+-] are single-quoted. */
static void shell_word(tl_buf_t *b, const char *a)
{
	int plain = *a != '\0';
	for (const char *p = a; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_./=:,+-", *p)))
			plain = 0;
	tl_buf_putc(b, ' ');
	if (plain) {
		tl_buf_puts(b, a);
		return;
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

void tl_cli_report_command(const tl_cli_report_opts_t *o, tl_buf_t *out)
{
	tl_buf_puts(out, "tealeaves report");
	shell_word(out, o->case_path);
	for (size_t i = 0; i < o->n_sets; i++) {
		shell_word(out, "--set");
		shell_word(out, o->sets[i]);
	}
	if (o->pdfa_1b)
		tl_buf_puts(out, " --pdfa 1b");
	if (o->draft)
		tl_buf_puts(out, " --draft");
}

/* 1 when s is valid UTF-8 (the manifest records it as JSON text, losslessly only then). */
static int utf8_ok(const char *s)
{
	size_t left = strlen(s);
	while (left) {
		size_t n = tl_utf8_len((const unsigned char *)s, left);
		if (!n)
			return 0;
		s += n;
		left -= n;
	}
	return 1;
}

int tl_cli_make_report(const tl_findings_t *f, const tl_cli_report_opts_t *o, tl_cli_report_t *out)
{
	const tl_case_t *c = f->kase;
	char err[4096] = "";
	memset(out, 0, sizeof(*out));
	/* the command is recorded in the manifest and printed in the report: it must be
	 * text that makes the same command again */
	int text = utf8_ok(o->case_path);
	for (size_t i = 0; i < o->n_sets; i++)
		text &= utf8_ok(o->sets[i]);
	if (!text) {
		fprintf(stderr,
		        "tealeaves: the case file's path or a --set value is not valid UTF-8, "
		        "so the report could not record the command that makes it again; "
		        "rename the folder or give the path another way\n");
		return EXIT_USAGE;
	}
	tl_buf_init(&out->findings);
	tl_buf_init(&out->manifest);
	tl_cli_findings_document(f, &out->findings);
	uint8_t digest[TL_SHA256_LEN];
	char fhex[TL_SHA256_HEX_LEN];
	tl_sha256(out->findings.data, out->findings.len, digest);
	tl_sha256_hex(digest, fhex);

	char tmpl[PATH_MAX + 320], fonts[PATH_MAX + 16], icc[PATH_MAX + 16], commit[160];
	int n1 = c->template_resolved
	             ? snprintf(tmpl, sizeof(tmpl), "%s", c->template_resolved)
	             : snprintf(tmpl, sizeof(tmpl), "%s/templates/%s.tmpl", tl_cli_data_dir(),
	                        c->template_name);
	int n2 = snprintf(fonts, sizeof(fonts), "%s/fonts", tl_cli_data_dir());
	int n3 = snprintf(icc, sizeof(icc), "%s/icc/sRGB.icc", tl_cli_data_dir());
	if (n1 < 0 || (size_t)n1 >= sizeof(tmpl) || n2 < 0 || (size_t)n2 >= sizeof(fonts) ||
	    n3 < 0 || (size_t)n3 >= sizeof(icc)) {
		fprintf(stderr, "tealeaves: the data folder %s or the template's path is too long\n",
		        tl_cli_data_dir());
		return EXIT_USAGE;
	}
	tl_cli_tool_commit(commit, sizeof(commit));
	tl_buf_t libs, cmd;
	tl_buf_init(&libs);
	tl_buf_init(&cmd);
	tl_cli_library_versions(&libs);
	tl_cli_report_command(o, &cmd);
	int draft = o->draft || c->draft;

	/* the manifest lists every file the report depends on; its hash is the report ID */
	tl_manifest_opts_t mo = {
	    .template_path = tmpl,
	    .fonts_dir = fonts,
	    .icc_path = icc,
	    .tool_version = TL_VERSION,
	    .tool_commit = TL_SOURCE_COMMIT,
	    .tool_dirty = TL_SOURCE_DIRTY,
	    .libraries = libs.data,
	    .pdfa = o->pdfa_1b ? "1b" : "3b",
	    .draft = draft,
	    .findings_sha256 = fhex,
	    .date_s = o->date_s,
	    .command = cmd.data,
	    .case_path = o->case_path,
	    .overrides = o->sets,
	    .n_overrides = o->n_sets,
	};
	int status = EXIT_OK;
	if (tl_manifest_json(f, &mo, &out->manifest, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: manifest: %s\n", err);
		status = EXIT_INPUT;
		goto done;
	}
	tl_sha256(out->manifest.data, out->manifest.len, digest);
	tl_sha256_hex(digest, out->id);
	tl_report_opts_t ro = {
	    .template_path = tmpl,
	    .fonts_dir = fonts,
	    .icc_path = icc,
	    .pdfa_1b = o->pdfa_1b,
	    .draft = draft,
	    .date_s = o->date_s,
	    .report_id = out->id,
	    .findings_json = (const uint8_t *)out->findings.data,
	    .findings_len = out->findings.len,
	    .manifest_json = (const uint8_t *)out->manifest.data,
	    .manifest_len = out->manifest.len,
	    .tool_commit = commit,
	    .libraries = libs.data,
	    .command = cmd.data,
	    .verify_command = "tealeaves verify REPORT.pdf [--inputs FOLDER]",
	    .figure_numbers = out->figures,
	};
	int rc = tl_report_render(f, &ro, &out->pdf, &out->pdf_len, err, sizeof(err));
	if (rc != TL_OK) {
		fprintf(stderr, "tealeaves: report: %s\n", err[0] ? err : tl_strerror(rc));
		status = EXIT_CASE;
		goto done;
	}
	/* the template, fonts and colour profile were read while the PDF was made: the
	 * manifest made again now must be the same bytes, or one of them changed meanwhile */
	tl_buf_t again;
	tl_buf_init(&again);
	if (tl_manifest_json(f, &mo, &again, err, sizeof(err)) != TL_OK ||
	    again.len != out->manifest.len ||
	    memcmp(again.data, out->manifest.data, again.len) != 0) {
		fprintf(stderr,
		        "tealeaves: a file the report depends on changed while the report "
		        "was made%s%s; nothing was written\n",
		        err[0] ? ": " : "", err);
		status = EXIT_INPUT;
	}
	tl_buf_free(&again);
done:
	tl_buf_free(&libs);
	tl_buf_free(&cmd);
	if (status != EXIT_OK)
		tl_cli_report_free(out);
	return status;
}

void tl_cli_report_free(tl_cli_report_t *r)
{
	tl_buf_free(&r->findings);
	tl_buf_free(&r->manifest);
	free(r->pdf);
	r->pdf = NULL;
	r->pdf_len = 0;
}

int tl_cli_write_report(const tl_cli_report_t *r, const char *path)
{
	if (tl_cli_write_atomic(path, r->pdf, r->pdf_len) != 0)
		return EXIT_OUTPUT;
	/* beside the report: its manifest, and its SHA-256 as sha256sum -c reads it */
	int status = EXIT_OK;
	tl_buf_t name, side;
	tl_buf_init(&name);
	tl_buf_init(&side);
	tl_buf_printf(&name, "%s.manifest.json", path);
	if (tl_cli_write_atomic(name.data, r->manifest.data, r->manifest.len) != 0)
		status = EXIT_OUTPUT;
	uint8_t digest[TL_SHA256_LEN];
	char hex[TL_SHA256_HEX_LEN];
	tl_sha256(r->pdf, r->pdf_len, digest);
	tl_sha256_hex(digest, hex);
	const char *base = strrchr(path, '/');
	tl_buf_printf(&side, "%s  %s\n", hex, base ? base + 1 : path);
	tl_buf_clear(&name);
	tl_buf_printf(&name, "%s.sha256", path);
	if (status == EXIT_OK && tl_cli_write_atomic(name.data, side.data, side.len) != 0)
		status = EXIT_OUTPUT;
	tl_buf_free(&name);
	tl_buf_free(&side);
	return status;
}
