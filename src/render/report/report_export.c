/* report_export.c - the side files of a report: every chart as SVG and PNG, framed as a
 * figure of the report, and every table as CSV (report_csv.c). */
#include "render/report/report_export.h"
#include "render/report/report.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Publication size of a chart: a text column's width, as in the PDF; wider, in steps, when
 * a label would otherwise be shortened ("…") to fit. */
#define EXPORT_WIDTH 480.0
#define EXPORT_WIDTH_STEP 120.0
#define EXPORT_WIDTH_MAX 960.0
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
	int rc = tl_file_out_write(path, b->data, b->len, why, sizeof(why));
	if (rc != TL_OK)
		snprintf(err, errlen, "%s: %s", path, why);
	return rc;
}

static tl_export_file_t *add_file(tl_export_t *x, int csv, const char *stem, const char *ext)
{
	x->v = tl_xrealloc(x->v, (x->n + 1) * sizeof(*x->v));
	tl_export_file_t *fl = &x->v[x->n++];
	memset(fl, 0, sizeof(*fl));
	fl->csv = csv;
	size_t len = strlen(stem) + strlen(ext) + 2;
	fl->name = tl_xmalloc(len);
	snprintf(fl->name, len, "%s.%s", stem, ext);
	tl_buf_init(&fl->data);
	return fl;
}

/* The chart called name at the narrowest width from EXPORT_WIDTH up at which no label is
 * shortened (the widest tried when none is). Measured with cairo's DejaVu Sans, which the
 * export draws with. */
static int build_insert(const tl_findings_t *f, const char *name, tl_insert_t *in, char *err,
			size_t errlen)
{
	for (double w = EXPORT_WIDTH;; w += EXPORT_WIDTH_STEP) {
		tl_insert_ctx_t ctx = {.width = w};
		memset(in, 0, sizeof(*in));
		int rc = tl_report_insert(f, name, &ctx, in, err, errlen);
		if (rc != TL_OK || in->kind != TL_INSERT_CHART || !in->chart ||
		    in->chart->elided == 0 || w + EXPORT_WIDTH_STEP > EXPORT_WIDTH_MAX)
			return rc;
		tl_insert_free(in);
	}
}

/* "Figure 3. Lookups per day by organisation", as the document numbers it; the title
 * alone for a chart that is not a figure of the document. */
static void heading(tl_buf_t *b, unsigned number, const char *title)
{
	if (number)
		tl_buf_printf(b, "Figure %u.", number);
	if (title && *title)
		tl_buf_printf(b, "%s%s", number ? " " : "", title);
}

static int export_chart(tl_export_t *x, const tl_export_opts_t *o, unsigned number,
			const tl_insert_t *in)
{
	tl_buf_t head, foot, desc;
	tl_buf_init(&head);
	tl_buf_init(&foot);
	tl_buf_init(&desc);
	heading(&head, number, in->title);
	if (o->report_id && *o->report_id)
		tl_buf_printf(&foot, "Report ID %s", o->report_id);
	if (!number)
		tl_buf_printf(&foot, "%sNot a figure of the report", foot.len ? "; " : "");
	tl_buf_printf(&desc, "%s%s%s", in->caption ? in->caption : "",
		      in->caption && *in->caption && foot.len ? " " : "", foot.len ? foot.data : "");
	if (foot.len)
		tl_buf_putc(&desc, '.');
	tl_chart_frame_t fr = {head.data, in->caption, foot.data, 0};
	tl_chart_meta_t meta = {head.data, desc.data};
	tl_chart_t *framed = NULL;
	int rc = tl_chart_frame(in->chart, &fr, &framed);
	if (rc == TL_OK)
		rc = tl_chart_svg_meta(framed, &meta, &add_file(x, 0, in->slug, "svg")->data);
	if (rc == TL_OK)
		rc = tl_chart_png_meta(framed, EXPORT_PNG_SCALE, &meta,
				       &add_file(x, 0, in->slug, "png")->data);
	tl_chart_free(framed);
	tl_buf_free(&head);
	tl_buf_free(&foot);
	tl_buf_free(&desc);
	return rc;
}

int tl_report_export_build(const tl_findings_t *f, const tl_export_opts_t *o, tl_export_t *out,
			   char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (!f || !o)
		return TL_EINVAL;
	int rc = TL_OK;
	const char *const *names = tl_report_insert_names();
	for (size_t i = 0; o->charts_dir && names[i] && rc == TL_OK; i++) {
		if (strncmp(names[i], "chart.", 6) != 0)
			continue;
		tl_insert_t in;
		rc = build_insert(f, names[i], &in, err, errlen);
		if (rc != TL_OK)
			break;
		if (in.kind == TL_INSERT_CHART && in.chart) {
			unsigned number = o->figure_numbers && i < TL_REPORT_MAX_INSERTS
						  ? o->figure_numbers[i]
						  : 0;
			rc = export_chart(out, o, number, &in);
			if (rc != TL_OK)
				snprintf(err, errlen, "chart %s: %s", in.slug, tl_strerror(rc));
		}
		tl_insert_free(&in);
	}
	const char *const *tables = tl_report_csv_names();
	for (size_t i = 0; o->csv_dir && tables[i] && rc == TL_OK; i++) {
		rc = tl_report_csv(f, tables[i], &add_file(out, 1, tables[i], "csv")->data);
		if (rc != TL_OK)
			snprintf(err, errlen, "table %s: %s", tables[i], tl_strerror(rc));
	}
	return rc;
}

int tl_report_export_write(const tl_export_t *x, const tl_export_opts_t *o, char *err,
			   size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	int rc = TL_OK;
	if (o->charts_dir && (rc = ensure_dir(o->charts_dir, err, errlen)) != TL_OK)
		return rc;
	if (o->csv_dir && (rc = ensure_dir(o->csv_dir, err, errlen)) != TL_OK)
		return rc;
	for (size_t i = 0; i < x->n && rc == TL_OK; i++) {
		const char *dir = x->v[i].csv ? o->csv_dir : o->charts_dir;
		if (dir)
			rc = write_file(dir, x->v[i].name, &x->v[i].data, err, errlen);
	}
	return rc;
}

void tl_report_export_free(tl_export_t *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].name);
		tl_buf_free(&x->v[i].data);
	}
	free(x->v);
	memset(x, 0, sizeof(*x));
}
