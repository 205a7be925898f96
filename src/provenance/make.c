/* make.c - making a report: running a case and making, signing and writing its report, for
 * the commands that need it (report, verify, bundle). */
#include "provenance/make.h"
#include "analysis/engine.h"
#include "provenance/cms.h"
#include "provenance/manifest.h"
#include "render/json/json.h"
#include "render/report/report.h"
#include "util/error.h"
#include "util/file.h"
#include "util/time.h"
#include "tl_version.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Puts the message into err (when there is room for one) and returns rc. */
__attribute__((format(printf, 4, 5))) static int fail(int rc, char *err, size_t errlen,
						      const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int tl_make_load_case(const char *path, const char *const *sets, size_t n_sets, tl_case_t **out,
		      char *err, size_t errlen)
{
	char why[4096];
	tl_case_t *c = NULL;
	int rc = tl_case_load(path, &c, why, sizeof(why));
	if (rc != TL_OK)
		return fail(rc == TL_EFORMAT ? TL_ECASE : rc, err, errlen, "%s", why);
	for (size_t i = 0; i < n_sets; i++) {
		const char *eq = strchr(sets[i], '=');
		char key[128];
		size_t kl = eq ? (size_t)(eq - sets[i]) : 0;
		if (!eq || kl >= sizeof(key)) {
			tl_case_free(c);
			return fail(TL_EUSAGE, err, errlen,
				    "--set needs SECTION.KEY=VALUE, not '%s'", sets[i]);
		}
		memcpy(key, sets[i], kl);
		key[kl] = '\0';
		if (tl_case_override(c, key, eq + 1, why, sizeof(why)) != TL_OK) {
			tl_case_free(c);
			return fail(TL_ECASE, err, errlen, "%s", why);
		}
	}
	*out = c;
	return TL_OK;
}

int tl_make_analyse(tl_case_t *c, unsigned threads, tl_events_t **events_out, tl_findings_t *f,
		    char *err, size_t errlen)
{
	char why[4096];
	tl_events_t *events = NULL;
	if (c->events_resolved) {
		int rc = tl_events_load(c->events_resolved, c->window_before_us, c->window_after_us,
					&events, why, sizeof(why));
		if (rc != TL_OK)
			return fail(rc == TL_EFORMAT ? TL_ECASE : rc, err, errlen, "%s", why);
	}
	/* the engine says which errors are the evidence's (TL_EEVIDENCE) and which the
	 * case's (TL_ECASE); the rest are inputs that could not be read */
	int rc = tl_analysis_run(c, events, NULL, threads, TL_VERSION, f, why, sizeof(why));
	if (rc != TL_OK) {
		tl_findings_free(f);
		tl_events_free(events);
		return fail(rc, err, errlen, "%s", why);
	}
	*events_out = events;
	return TL_OK;
}

int tl_make_run_case(const char *path, const char *const *sets, size_t n_sets, unsigned threads,
		     tl_case_t **c_out, tl_events_t **events, tl_findings_t *f, char *err,
		     size_t errlen)
{
	tl_case_t *c = NULL;
	int rc = tl_make_load_case(path, sets, n_sets, &c, err, errlen);
	if (rc != TL_OK)
		return rc;
	if ((rc = tl_make_analyse(c, threads, events, f, err, errlen)) != TL_OK) {
		tl_case_free(c);
		return rc;
	}
	*c_out = c;
	return TL_OK;
}

void tl_make_case_done(tl_case_t *c, tl_events_t *events, tl_findings_t *f)
{
	if (f)
		tl_findings_free(f);
	tl_events_free(events);
	tl_case_free(c);
}

void tl_make_findings_document(const tl_findings_t *f, tl_buf_t *out)
{
	tl_json_t j;
	tl_json_init(&j, out, 1);
	tl_json_findings(&j, f);
	tl_buf_putc(out, '\n');
}

int tl_make_report_date(const tl_case_t *c, int64_t *s)
{
	if (c->has_report_date) {
		*s = c->report_date_us / TL_US_PER_SEC;
		return TL_OK;
	}
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (!e || !*e)
		return TL_ECASE;
	char *end;
	errno = 0;
	long long v = strtoll(e, &end, 10);
	if (errno || *end || v < 0 || v > INT64_C(253402300799)) /* up to 9999-12-31 */
		return TL_ECASE;
	*s = (int64_t)v;
	return TL_OK;
}

int tl_make_need_report_date(const tl_case_t *c, const char *case_path, int64_t *s, char *err,
			     size_t errlen)
{
	if (tl_make_report_date(c, s) == TL_OK)
		return TL_OK;
	return fail(TL_ECASE, err, errlen,
		    "no report date: set [case] report_date in %s or "
		    "SOURCE_DATE_EPOCH (the clock is never used)",
		    case_path);
}

int tl_make_sign_report(const tl_make_report_t *r, const char *key, const char *cert,
			tl_buf_t *sig, char *err, size_t errlen)
{
	char why[4096];
	const char *pass = getenv("TEALEAVES_KEY_PASSPHRASE");
	int rc = tl_cms_sign(r->pdf, r->pdf_len, key, pass && *pass ? pass : NULL, cert, sig, why,
			     sizeof(why));
	if (rc != TL_OK)
		return fail(rc, err, errlen, "signing: %s", why);
	return TL_OK;
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

void tl_make_report_command(const tl_make_report_opts_t *o, tl_buf_t *out)
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

int tl_make_report(const tl_findings_t *f, const tl_make_report_opts_t *o, tl_make_report_t *out,
		   char *err, size_t errlen)
{
	const tl_case_t *c = f->kase;
	char why[4096] = "";
	memset(out, 0, sizeof(*out));
	/* the command is recorded in the manifest and printed in the report: it must be
	 * text that makes the same command again */
	int text = utf8_ok(o->case_path);
	for (size_t i = 0; i < o->n_sets; i++)
		text &= utf8_ok(o->sets[i]);
	if (!text)
		return fail(TL_EUSAGE, err, errlen,
			    "the case file's path or a --set value is not valid UTF-8, "
			    "so the report could not record the command that makes it again; "
			    "rename the folder or give the path another way");
	char tmpl[PATH_MAX + 320], fonts[PATH_MAX + 16], icc[PATH_MAX + 16];
	int n1 = c->template_resolved
			 ? snprintf(tmpl, sizeof(tmpl), "%s", c->template_resolved)
			 : snprintf(tmpl, sizeof(tmpl), "%s/templates/%s.tmpl", o->data_dir,
				    c->template_name);
	int n2 = snprintf(fonts, sizeof(fonts), "%s/fonts", o->data_dir);
	int n3 = snprintf(icc, sizeof(icc), "%s/icc/sRGB.icc", o->data_dir);
	if (n1 < 0 || (size_t)n1 >= sizeof(tmpl) || n2 < 0 || (size_t)n2 >= sizeof(fonts) ||
	    n3 < 0 || (size_t)n3 >= sizeof(icc))
		return fail(TL_EUSAGE, err, errlen,
			    "the data folder %s or the template's path is too long", o->data_dir);
	tl_buf_init(&out->findings);
	tl_buf_init(&out->manifest);
	tl_make_findings_document(f, &out->findings);
	uint8_t digest[TL_SHA256_LEN];
	char fhex[TL_SHA256_HEX_LEN];
	tl_sha256(out->findings.data, out->findings.len, digest);
	tl_sha256_hex(digest, fhex);
	tl_buf_t cmd;
	tl_buf_init(&cmd);
	tl_make_report_command(o, &cmd);
	int draft = o->draft || c->draft;

	/* the manifest lists every file the report depends on; its hash is the report ID */
	tl_manifest_opts_t mo = {
		.template_path = tmpl,
		.fonts_dir = fonts,
		.icc_path = icc,
		.tool_version = TL_VERSION,
		.tool_commit = TL_SOURCE_COMMIT,
		.tool_dirty = TL_SOURCE_DIRTY,
		.libraries = o->libraries,
		.pdfa = o->pdfa_1b ? "1b" : "3b",
		.draft = draft,
		.findings_sha256 = fhex,
		.date_s = o->date_s,
		.command = cmd.data,
		.case_path = o->case_path,
		.overrides = o->sets,
		.n_overrides = o->n_sets,
	};
	int rc = tl_manifest_json(f, &mo, &out->manifest, why, sizeof(why));
	if (rc != TL_OK) {
		rc = fail(rc, err, errlen, "manifest: %s", why);
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
		.tool_commit = o->tool_commit,
		.libraries = o->libraries,
		.command = cmd.data,
		.verify_command = "tealeaves verify REPORT.pdf [--inputs FOLDER]",
		.figure_numbers = out->figures,
	};
	rc = tl_report_render(f, &ro, &out->pdf, &out->pdf_len, why, sizeof(why));
	if (rc != TL_OK) {
		/* the template (the case's, or the one it names) cannot make this report */
		rc = fail(TL_ECASE, err, errlen, "report: %s", why[0] ? why : tl_strerror(rc));
		goto done;
	}
	/* the template, fonts and colour profile were read while the PDF was made: the
	 * manifest made again now must be the same bytes, or one of them changed meanwhile
	 * (a file that could not be read as it was, hence TL_EIO) */
	tl_buf_t again;
	tl_buf_init(&again);
	if (tl_manifest_json(f, &mo, &again, why, sizeof(why)) != TL_OK ||
	    again.len != out->manifest.len ||
	    memcmp(again.data, out->manifest.data, again.len) != 0)
		rc = fail(TL_EIO, err, errlen,
			  "a file the report depends on changed while the report "
			  "was made%s%s; nothing was written",
			  why[0] ? ": " : "", why);
	tl_buf_free(&again);
done:
	tl_buf_free(&cmd);
	if (rc != TL_OK)
		tl_make_report_free(out);
	return rc;
}

void tl_make_report_free(tl_make_report_t *r)
{
	tl_buf_free(&r->findings);
	tl_buf_free(&r->manifest);
	free(r->pdf);
	r->pdf = NULL;
	r->pdf_len = 0;
}

/* Writes one file atomically (util/file.h): TL_OK, or TL_EOUTPUT with a message. */
static int write_one(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char why[256];
	if (tl_file_out_write(path, data, len, why, sizeof(why)) != TL_OK)
		return fail(TL_EOUTPUT, err, errlen, "%s: %s; nothing written", path, why);
	return TL_OK;
}

int tl_make_write_report(const tl_make_report_t *r, const char *path, char *err, size_t errlen)
{
	int rc = write_one(path, r->pdf, r->pdf_len, err, errlen);
	if (rc != TL_OK)
		return rc;
	/* beside the report: its manifest, and its SHA-256 as sha256sum -c reads it */
	tl_buf_t name, side;
	tl_buf_init(&name);
	tl_buf_init(&side);
	tl_buf_printf(&name, "%s.manifest.json", path);
	rc = write_one(name.data, r->manifest.data, r->manifest.len, err, errlen);
	uint8_t digest[TL_SHA256_LEN];
	char hex[TL_SHA256_HEX_LEN];
	tl_sha256(r->pdf, r->pdf_len, digest);
	tl_sha256_hex(digest, hex);
	const char *base = strrchr(path, '/');
	tl_buf_printf(&side, "%s  %s\n", hex, base ? base + 1 : path);
	tl_buf_clear(&name);
	tl_buf_printf(&name, "%s.sha256", path);
	if (rc == TL_OK)
		rc = write_one(name.data, side.data, side.len, err, errlen);
	tl_buf_free(&name);
	tl_buf_free(&side);
	return rc;
}
