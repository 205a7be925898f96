/* report.h - the evidence report: the findings model rendered through a template
 * into a PDF/A document, with its charts and tables. Three parts:
 *   report_vars.c    findings -> the template's placeholder values (formatted text)
 *   report_inserts.c findings -> the tables and charts named by @insert
 *   report.c         the assembler: template blocks, inserts, pages, bookmarks,
 *                    headers and footers, attachments -> PDF bytes
 * The renderer computes nothing from evidence: every figure comes from the model. */
#ifndef TL_RENDER_REPORT_REPORT_H
#define TL_RENDER_REPORT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/findings.h"
#include "render/chart/chart.h"
#include "render/report/layout.h"
#include "render/report/template.h"

/* ---- placeholder values (report_vars.c) ---- */

/* Fills vars with every placeholder templates/README.md documents, formatted for
 * reading (thousands separators, intervals, dates in the case's display zone and
 * language), from f alone. Returns TL_OK, or TL_EINVAL with a message in err. */
int tl_report_vars(const tl_findings_t *f, tl_tvars_t *vars, char *err, size_t errlen);

/* Fills the placeholders that describe the manifest (manifest.files, manifest.tzdata) from
 * the manifest's own bytes, so that what the report says of it is what it holds. With
 * json NULL the list is empty. Returns TL_OK, or TL_EFORMAT when json is not a manifest. */
int tl_report_manifest_vars(const char *json, size_t len, tl_tvars_t *vars);

/* ---- inserts (report_inserts.c) ---- */

enum { TL_INSERT_TABLE = 1, TL_INSERT_CHART = 2 };

/* A table to draw: the assembler lays it out (layout.h) and breaks it across pages
 * with the header repeated. Strings are owned by the insert. */
typedef struct tl_insert_table {
	size_t ncols, nrows;
	tl_table_col_t *cols; /* ncols column specs (width kind, overflow, alignment) */
	char **head;          /* ncols header texts */
	char **cells;         /* nrows * ncols body texts, row-major */
} tl_insert_table_t;

typedef struct tl_insert {
	int kind;               /* TL_INSERT_* */
	char *title;            /* shown above, e.g. "Table 3. Lookups by organisation" */
	char *caption;          /* shown below: the data source, units, method notes */
	char *slug;             /* file name stem for --charts and --csv, e.g. "daily-lookups" */
	tl_insert_table_t table; /* kind TABLE */
	tl_chart_t *chart;      /* kind CHART; owned */
} tl_insert_t;

/* What an insert may rely on: the width available (points) and the document's
 * text measurement, so charts and tables are laid out in the PDF's own font. */
typedef struct tl_insert_ctx {
	double width;
	tl_chart_measure_fn measure; /* as chart.h declares it; NULL: the chart's default */
	void *measure_ud;
} tl_insert_ctx_t;

/* Builds the insert called name ("table.sources", "chart.daily_lookups", ...) from f.
 * Returns TL_OK; TL_ENOENT for a name it does not know (the assembler reports it with
 * the template line); TL_EINVAL with err for data it cannot draw. */
int tl_report_insert(const tl_findings_t *f, const char *name, const tl_insert_ctx_t *ctx,
		     tl_insert_t *out, char *err, size_t errlen);
void tl_insert_free(tl_insert_t *in);
/* The names tl_report_insert knows, NULL-terminated (for --charts, --csv and checks);
 * at most TL_REPORT_MAX_INSERTS of them. */
const char *const *tl_report_insert_names(void);
#define TL_REPORT_MAX_INSERTS 32

/* ---- the document (report.c) ---- */

typedef struct tl_report_opts {
	const char *template_path; /* the template file (the case's [report] template) */
	const char *fonts_dir;     /* fonts/ with the DejaVu TTFs */
	const char *icc_path;      /* the sRGB profile for the OutputIntent */
	int pdfa_1b;               /* 1: PDF/A-1b without attachments; 0: PDF/A-3b */
	int draft;                 /* mark every page DRAFT */
	int64_t date_s;            /* report date, UTC seconds (case or SOURCE_DATE_EPOCH) */
	const char *report_id;     /* hex id shown on every page (short form) and in XMP */
	const uint8_t *findings_json; /* attached (3b) as findings.json; may be NULL */
	size_t findings_len;
	const uint8_t *manifest_json; /* attached (3b) as manifest.json; may be NULL */
	size_t manifest_len;
	/* What made the report, known to the program rather than the findings (NULL:
	 * the template says "not recorded"): */
	const char *tool_commit; /* source commit, with a note when the tree was modified */
	const char *libraries;   /* versions of the linked libraries, as text */
	const char *command;     /* the command that made the report */
	const char *verify_command; /* the command that checks it */
	/* Out, or NULL: the number the document gives each chart ("Figure 3"), indexed as
	 * tl_report_insert_names() (TL_REPORT_MAX_INSERTS entries), 0 for a chart the
	 * template does not place; the first placement when it places one twice. Written
	 * as the document is made, so that exported charts carry the same numbers. */
	unsigned *figure_numbers;
} tl_report_opts_t;

/* Renders the report. On TL_OK *pdf (malloc'd, caller frees) holds the whole file;
 * otherwise nothing is returned and err says what failed (a template error names the
 * file, line and column). */
int tl_report_render(const tl_findings_t *f, const tl_report_opts_t *o, uint8_t **pdf,
		     size_t *len, char *err, size_t errlen);

#endif
