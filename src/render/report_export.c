/* report_export.c - charts as SVG and PNG, tables as CSV, from the report's inserts. */
#include "render/report_export.h"
#include "render/report.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Publication size of a chart: a text column's width. */
#define EXPORT_WIDTH 480.0
/* PNG scale: 2 pixels per point (144 dpi). */
#define EXPORT_PNG_SCALE 2.0

/* The folder for the exported files: made when missing; what stands there must be a
 * folder (a symbolic link to one is followed: the files go inside it, nothing replaces
 * it). */
static int ensure_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return tl_errno_to_err(errno);
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory; nothing written", dir);
		return TL_EINVAL;
	}
	return TL_OK;
}

/* Writes b to dir/name through a temporary file renamed on success, replacing only a
 * regular file or nothing (util/outfile.h). */
static int write_file(const char *dir, const char *name, const tl_buf_t *b, char *err,
		      size_t errlen)
{
	char path[4096], why[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int rc = tl_outfile_write(path, b->data, b->len, why, sizeof(why));
	if (rc != TL_OK)
		snprintf(err, errlen, "%s: %s", path, why);
	return rc;
}

/* One CSV field (RFC 4180 section 2): quoted when it holds a comma, quote or line end. */
static void csv_field(tl_buf_t *b, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		tl_buf_puts(b, s);
		return;
	}
	tl_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			tl_buf_putc(b, '"');
		tl_buf_putc(b, *s);
	}
	tl_buf_putc(b, '"');
}

static void csv_table(tl_buf_t *b, const tl_insert_table_t *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			tl_buf_putc(b, ',');
		csv_field(b, t->head[c]);
	}
	tl_buf_append(b, "\r\n", 2);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				tl_buf_putc(b, ',');
			csv_field(b, t->cells[r * t->ncols + c]);
		}
		tl_buf_append(b, "\r\n", 2);
	}
}

int tl_report_export(const tl_findings_t *f, const char *charts_dir, const char *csv_dir,
		     char *err, size_t errlen)
{
	int rc = TL_OK;
	if (err && errlen)
		err[0] = '\0';
	if (charts_dir && (rc = ensure_dir(charts_dir, err, errlen)) != TL_OK)
		return rc;
	if (csv_dir && (rc = ensure_dir(csv_dir, err, errlen)) != TL_OK)
		return rc;
	const char *const *names = tl_report_insert_names();
	tl_insert_ctx_t ctx = {.width = EXPORT_WIDTH};
	for (size_t i = 0; names[i] && rc == TL_OK; i++) {
		tl_insert_t in;
		memset(&in, 0, sizeof(in));
		rc = tl_report_insert(f, names[i], &ctx, &in, err, errlen);
		if (rc != TL_OK)
			break;
		tl_buf_t b;
		tl_buf_init(&b);
		char name[512];
		if (in.kind == TL_INSERT_CHART && charts_dir) {
			rc = tl_chart_svg(in.chart, &b);
			snprintf(name, sizeof(name), "%s.svg", in.slug);
			if (rc == TL_OK)
				rc = write_file(charts_dir, name, &b, err, errlen);
			tl_buf_clear(&b);
			if (rc == TL_OK)
				rc = tl_chart_png(in.chart, EXPORT_PNG_SCALE, &b);
			snprintf(name, sizeof(name), "%s.png", in.slug);
			if (rc == TL_OK)
				rc = write_file(charts_dir, name, &b, err, errlen);
			if (rc != TL_OK && !err[0])
				snprintf(err, errlen, "chart %s: %s", in.slug, tl_strerror(rc));
		} else if (in.kind == TL_INSERT_TABLE && csv_dir) {
			csv_table(&b, &in.table);
			snprintf(name, sizeof(name), "%s.csv", in.slug);
			rc = write_file(csv_dir, name, &b, err, errlen);
		}
		tl_buf_free(&b);
		tl_insert_free(&in);
	}
	return rc;
}
