/* report_inserts_impl.h - what the files of the report's inserts share, and nothing
 * outside render/report/ may use. report_inserts.c holds the helpers and the dispatch by
 * name; report_inserts_charts.c the chart.* inserts; report_inserts_tables.c the table.*
 * inserts. */
#ifndef TL_RENDER_REPORT_REPORT_INSERTS_IMPL_H
#define TL_RENDER_REPORT_REPORT_INSERTS_IMPL_H

#include "render/fmt.h"
#include "render/report/report.h"
#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

#define LANG (&tl_lang_en)
#define US_PER_DAY 86400000000LL
#define BASELINE_ROWS 20 /* baseline names listed after the target's row */

typedef struct tbuild {
	tl_insert_table_t *t;
	size_t cap; /* cells allocated */
	size_t n;   /* cells written */
} tbuild_t;

/* report_inserts.c: text, tables and chart helpers, the words for codes */
/* Takes the buffer's text (empty string when nothing was written) and resets the buffer. */
char *tl_insert_take(tl_buf_t *b);
/* A DNS name as shown: "U-label (A-label)" for an internationalised name (util/idna.h),
 * else the name as it is. */
void tl_insert_put_dname(tl_buf_t *b, const char *name);
/* The same as a string the caller frees. */
char *tl_insert_dname(const char *name);
/* A formatted string the caller frees. */
__attribute__((format(printf, 1, 2))) char *tl_insert_fmt_str(const char *fmt, ...);
/* A UTC time in style (TL_DATE_*, TL_DATETIME_*). */
void tl_insert_put_time(tl_buf_t *b, int64_t us, int style);
/* The confidence level of alpha: "95%". */
void tl_insert_put_level(tl_buf_t *b, double alpha);
/* Where a record is in the evidence: "sensor3 #55825" (frame or line). */
void tl_insert_put_ref(tl_buf_t *b, const char *label, uint64_t pos);
/* The mnemonic of a DNS response code (RFC 6895 section 2.3): "NXDOMAIN". */
const char *tl_insert_rcode_name(unsigned rc);
/* Column spec: kind, width value, min, max, overflow, alignment. */
tl_table_col_t tl_insert_col(int kind, double value, double min, int align);
/* Table building: a table of ncols columns in in, then its header, then its cells row by
 * row (tl_insert_tb_cell owns the string it is given; _text, _buf, _uint, _time copy or
 * format). */
void tl_insert_tb_begin(tbuild_t *tb, tl_insert_t *in, size_t ncols);
void tl_insert_tb_head(tbuild_t *tb, size_t i, const char *text, tl_table_col_t c);
/* Appends one body cell (row-major); owns s. */
void tl_insert_tb_cell(tbuild_t *tb, char *s);
void tl_insert_tb_text(tbuild_t *tb, const char *s);
void tl_insert_tb_buf(tbuild_t *tb, tl_buf_t *b);
void tl_insert_tb_uint(tbuild_t *tb, uint64_t v);
void tl_insert_tb_time(tbuild_t *tb, int64_t us, int style);
/* Chart options for an insert of the given height, from the insert context. */
void tl_insert_chart_opts(const tl_insert_ctx_t *ctx, double height, tl_chart_opts_t *o);
/* Finishes a chart insert: stores c in out, or a message naming name when rc fails. */
int tl_insert_chart_done(int rc, tl_chart_t *c, tl_insert_t *out, const char *name, char *err,
			 size_t errlen);
/* Series of the daily chart and colours of the organisations: the first
 * TL_CHART_MAX_SERIES - 1 organisations get their own colour when there are more than
 * TL_CHART_MAX_SERIES; the rest share "Other" (grey, the palette's last colour). */
size_t tl_insert_org_series(const tl_profile_model_t *p, int *folded);
int tl_insert_org_colour(const tl_profile_model_t *p, size_t i);
/* Why an event was or was not tested, in words. */
const char *tl_insert_status_text(int s);
/* The name of a multiple-testing correction. */
const char *tl_insert_correction_name(int c);

/* report_inserts_charts.c: the chart inserts (chart.*) */
int tl_insert_daily(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out, char *err,
		    size_t errlen);
int tl_insert_shares(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		     char *err, size_t errlen);
int tl_insert_heatmap(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		      char *err, size_t errlen);
int tl_insert_interarrival(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
			   char *err, size_t errlen);
int tl_insert_forest(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		     char *err, size_t errlen);
int tl_insert_null(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out, char *err,
		   size_t errlen);
int tl_insert_timeline(const tl_findings_t *f, const tl_insert_ctx_t *ctx, tl_insert_t *out,
		       char *err, size_t errlen);

/* report_inserts_tables.c: the table inserts (table.*) */
int tl_insert_quality(const tl_findings_t *f, tl_insert_t *out);
int tl_insert_orgs(const tl_findings_t *f, tl_insert_t *out);
int tl_insert_baseline(const tl_findings_t *f, tl_insert_t *out);
int tl_insert_events(const tl_findings_t *f, tl_insert_t *out);
int tl_insert_manifest(const tl_findings_t *f, tl_insert_t *out);
int tl_insert_sources(const tl_findings_t *f, tl_insert_t *out);
int tl_insert_names(const tl_findings_t *f, tl_insert_t *out);

#endif
