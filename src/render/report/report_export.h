/* report_export.h - the report's charts and tables as files for publication and analysis:
 * every chart as SVG and PNG, framed with its figure number, title, caption and the
 * report ID; every table as CSV (RFC 4180) of the findings' own numbers. */
#ifndef TL_RENDER_REPORT_REPORT_EXPORT_H
#define TL_RENDER_REPORT_REPORT_EXPORT_H

#include <stddef.h>

#include "model/findings.h"
#include "util/buf.h"

/* ---- CSV tables (report_csv.c) ---- */

/* The CSV tables, by file stem ("organisations", "sources", ...), NULL-terminated. */
const char *const *tl_report_csv_names(void);
/* Appends the table called name to out: UTF-8, CRLF line ends, a header row of column
 * names (docs/csv.md), one value per cell, numbers in full precision, an empty cell for a
 * value that is absent. Returns TL_OK, TL_ENOENT for a name not in the list, TL_EINVAL. */
int tl_report_csv(const tl_findings_t *f, const char *name, tl_buf_t *out);

/* ---- the files (report_export.c) ---- */

typedef struct tl_export_opts {
	const char *charts_dir; /* SVG and PNG of every chart go here; NULL: none */
	const char *csv_dir;    /* CSV of every table goes here; NULL: none */
	const char *report_id;  /* the report ID (hex), shown on every chart; may be NULL */
	/* The document's figure numbers, indexed as tl_report_insert_names() (report.h,
	 * figure_numbers); 0 or NULL: the chart is not a figure of the report. */
	const unsigned *figure_numbers;
} tl_export_opts_t;

typedef struct tl_export_file {
	int csv;   /* 1: goes to csv_dir; 0: to charts_dir */
	char *name; /* "<slug>.svg", "<slug>.png", "<stem>.csv" */
	tl_buf_t data;
} tl_export_file_t;

/* Every file, made in memory; written only when all could be made. */
typedef struct tl_export {
	tl_export_file_t *v;
	size_t n;
} tl_export_t;

/* Makes every file o asks for into *out (free with tl_report_export_free, also on
 * failure). Writes nothing. Returns TL_OK, or an error with err naming the chart. */
int tl_report_export_build(const tl_findings_t *f, const tl_export_opts_t *o, tl_export_t *out,
			   char *err, size_t errlen);
/* Writes the files of x into their directories (each created if missing; what stands
 * there must be a directory), each under a temporary name renamed on success, replacing
 * only a regular file or nothing (util/outfile.h). Returns TL_OK, or an error with err
 * naming the file. */
int tl_report_export_write(const tl_export_t *x, const tl_export_opts_t *o, char *err,
			   size_t errlen);
void tl_report_export_free(tl_export_t *x); /* accepts NULL */

#endif
