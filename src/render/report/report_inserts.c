/* report_inserts.c - the report's tables and charts (the template's @insert names), selected
 * from the findings model and formatted with render/fmt.h: the helpers and the dispatch
 * by name (the inserts themselves: report_inserts_charts.c and _tables.c). Nothing here is
 * estimated from evidence: every figure is a value of the model; the only arithmetic is
 * placing the model's own values on a chart (bin edges, day indices). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report/report_inserts_impl.h"
#include "util/error.h"
#include "util/idna.h"
#include "util/time.h"
#include "util/xmalloc.h"

#define DEFAULT_WIDTH 480.0

/* ---- small text helpers ------------------------------------------------------------- */

char *tl_insert_take(tl_buf_t *b)
{
	char *s = b->data ? b->data : tl_xstrdup("");
	tl_buf_init(b);
	return s;
}

void tl_insert_put_dname(tl_buf_t *b, const char *name)
{
	tl_idna_display(name, strlen(name), b);
}

char *tl_insert_dname(const char *name)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_insert_put_dname(&b, name);
	return tl_insert_take(&b);
}

char *tl_insert_fmt_str(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return tl_xstrdup("");
	char *s = tl_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void tl_insert_put_time(tl_buf_t *b, int64_t us, int style)
{
	tl_fmt_time(b, us, style, LANG);
}

void tl_insert_put_level(tl_buf_t *b, double alpha)
{
	tl_fmt_level(b, 1.0 - alpha, LANG);
}

void tl_insert_put_ref(tl_buf_t *b, const char *label, uint64_t pos)
{
	tl_buf_printf(b, "%s #%llu", label ? label : "?", (unsigned long long)pos);
}

const char *tl_insert_rcode_name(unsigned rc)
{
	switch (rc) {
	case 2:
		return "SERVFAIL";
	case 3:
		return "NXDOMAIN";
	default:
		return NULL;
	}
}

/* ---- table building ------------------------------------------------------------------ */

tl_table_col_t tl_insert_col(int kind, double value, double min, int align)
{
	tl_table_col_t c;
	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.value = value;
	c.min = min;
	c.max = 0;
	c.overflow = TL_CELL_WRAP;
	c.max_lines = 0;
	c.align = align;
	return c;
}

void tl_insert_tb_begin(tbuild_t *tb, tl_insert_t *in, size_t ncols)
{
	in->kind = TL_INSERT_TABLE;
	tb->t = &in->table;
	tb->t->ncols = ncols;
	tb->t->nrows = 0;
	tb->t->cols = tl_xcalloc(ncols, sizeof(tl_table_col_t));
	tb->t->head = tl_xcalloc(ncols, sizeof(char *));
	tb->t->cells = NULL;
	tb->cap = 0;
	tb->n = 0;
}

void tl_insert_tb_head(tbuild_t *tb, size_t i, const char *text, tl_table_col_t c)
{
	tb->t->cols[i] = c;
	tb->t->head[i] = tl_xstrdup(text);
}

void tl_insert_tb_cell(tbuild_t *tb, char *s)
{
	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 64;
		tb->t->cells = tl_xrealloc(tb->t->cells, tb->cap * sizeof(char *));
	}
	tb->t->cells[tb->n++] = s;
	tb->t->nrows = tb->n / tb->t->ncols;
}

void tl_insert_tb_text(tbuild_t *tb, const char *s)
{
	tl_insert_tb_cell(tb, tl_xstrdup(s ? s : ""));
}

void tl_insert_tb_buf(tbuild_t *tb, tl_buf_t *b)
{
	tl_insert_tb_cell(tb, tl_insert_take(b));
}

void tl_insert_tb_uint(tbuild_t *tb, uint64_t v)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_uint(&b, v, LANG);
	tl_insert_tb_buf(tb, &b);
}

void tl_insert_tb_time(tbuild_t *tb, int64_t us, int style)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_insert_put_time(&b, us, style);
	tl_insert_tb_buf(tb, &b);
}

/* ---- chart helpers ------------------------------------------------------------------- */

void tl_insert_chart_opts(const tl_insert_ctx_t *ctx, double height, tl_chart_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	double w = ctx && ctx->width > 0 ? ctx->width : DEFAULT_WIDTH;
	if (w < TL_CHART_MIN_SIZE)
		w = TL_CHART_MIN_SIZE;
	if (w > TL_CHART_MAX_SIZE)
		w = TL_CHART_MAX_SIZE;
	if (height < TL_CHART_MIN_SIZE)
		height = TL_CHART_MIN_SIZE;
	if (height > TL_CHART_MAX_SIZE)
		height = TL_CHART_MAX_SIZE;
	o->width = w;
	o->height = height;
	o->font_size = 0;
	/* The insert carries the title and the caption; the assembler sets them. */
	o->title = NULL;
	o->caption = NULL;
	o->measure = ctx ? ctx->measure : NULL;
	o->measure_ctx = ctx ? ctx->measure_ud : NULL;
}

int tl_insert_chart_done(int rc, tl_chart_t *c, tl_insert_t *out, const char *name, char *err,
			 size_t errlen)
{
	if (rc != TL_OK) {
		snprintf(err, errlen, "%s: the chart cannot be drawn at this size or with this data (%s)",
			 name, tl_strerror(rc));
		return rc;
	}
	out->kind = TL_INSERT_CHART;
	out->chart = c;
	return TL_OK;
}

size_t tl_insert_org_series(const tl_profile_model_t *p, int *folded)
{
	if (p->n_orgs <= TL_CHART_MAX_SERIES) {
		*folded = 0;
		return p->n_orgs;
	}
	*folded = 1;
	return TL_CHART_MAX_SERIES;
}

int tl_insert_org_colour(const tl_profile_model_t *p, size_t i)
{
	int folded;
	size_t ns = tl_insert_org_series(p, &folded);
	if (folded && i >= ns - 1)
		return TL_CHART_MAX_SERIES - 1;
	return (int)i;
}

/* ---- chart.event_effects, chart.permutation_null, table.events ----------------------- */

const char *tl_insert_status_text(int s)
{
	switch (s) {
	case TL_CORRELATE_TESTABLE:
		return "tested";
	case TL_CORRELATE_NO_COVERAGE:
		return "not tested: no data in the window";
	case TL_CORRELATE_NO_BASELINE:
		return "not tested: no lookups in the reference";
	case TL_CORRELATE_SPANS_CHANGE:
		return "not tested: the window spans a change of regime";
	case TL_CORRELATE_FEW_REFERENCE:
		return "not tested: too few comparable weeks";
	case TL_CORRELATE_NO_DISPERSION:
		return "not tested: too few placebo windows";
	default:
		return "not tested";
	}
}

const char *tl_insert_correction_name(int c)
{
	return c == TL_CORRELATE_BH ? "Benjamini-Hochberg" : "Holm";
}

/* ---- dispatch ------------------------------------------------------------------------ */

static const char *const insert_names[] = {
	"table.quality",   "chart.daily_lookups", "chart.org_shares",
	"table.organisations", "chart.hour_weekday", "chart.interarrival",
	"table.baseline",  "chart.event_effects", "chart.permutation_null",
	"table.events",    "chart.name_timeline", "table.manifest",
	"table.sources",   "table.names",         NULL,
};

_Static_assert(sizeof(insert_names) / sizeof(insert_names[0]) <= TL_REPORT_MAX_INSERTS + 1,
	       "more inserts than TL_REPORT_MAX_INSERTS");

const char *const *tl_report_insert_names(void)
{
	return insert_names;
}

int tl_report_insert(const tl_findings_t *f, const char *name, const tl_insert_ctx_t *ctx,
		     tl_insert_t *out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	char dummy[8];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (!f || !name || !out) {
		snprintf(err, errlen, "insert: no findings, name or output");
		return TL_EINVAL;
	}
	tl_insert_t in;
	memset(&in, 0, sizeof(in));
	int rc;
	if (strcmp(name, "table.quality") == 0)
		rc = tl_insert_quality(f, &in);
	else if (strcmp(name, "chart.daily_lookups") == 0)
		rc = tl_insert_daily(f, ctx, &in, err, errlen);
	else if (strcmp(name, "chart.org_shares") == 0)
		rc = tl_insert_shares(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.organisations") == 0)
		rc = tl_insert_orgs(f, &in);
	else if (strcmp(name, "chart.hour_weekday") == 0)
		rc = tl_insert_heatmap(f, ctx, &in, err, errlen);
	else if (strcmp(name, "chart.interarrival") == 0)
		rc = tl_insert_interarrival(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.baseline") == 0)
		rc = tl_insert_baseline(f, &in);
	else if (strcmp(name, "chart.event_effects") == 0)
		rc = tl_insert_forest(f, ctx, &in, err, errlen);
	else if (strcmp(name, "chart.permutation_null") == 0)
		rc = tl_insert_null(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.events") == 0)
		rc = tl_insert_events(f, &in);
	else if (strcmp(name, "chart.name_timeline") == 0)
		rc = tl_insert_timeline(f, ctx, &in, err, errlen);
	else if (strcmp(name, "table.manifest") == 0)
		rc = tl_insert_manifest(f, &in);
	else if (strcmp(name, "table.sources") == 0)
		rc = tl_insert_sources(f, &in);
	else if (strcmp(name, "table.names") == 0)
		rc = tl_insert_names(f, &in);
	else {
		snprintf(err, errlen, "unknown insert \"%s\"", name);
		return TL_ENOENT;
	}
	if (rc != TL_OK) {
		tl_insert_free(&in);
		return rc;
	}
	*out = in;
	return TL_OK;
}

void tl_insert_free(tl_insert_t *in)
{
	if (!in)
		return;
	free(in->title);
	free(in->caption);
	free(in->slug);
	tl_insert_table_t *t = &in->table;
	if (t->head)
		for (size_t i = 0; i < t->ncols; i++)
			free(t->head[i]);
	free(t->head);
	if (t->cells)
		for (size_t i = 0; i < t->nrows * t->ncols; i++)
			free(t->cells[i]);
	free(t->cells);
	free(t->cols);
	tl_chart_free(in->chart);
	memset(in, 0, sizeof(*in));
}
