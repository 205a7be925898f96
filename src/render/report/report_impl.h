/* report_impl.h - what the files of the report assembler share, and nothing outside
 * render/report/ may use: the page geometry and type sizes, the assembler's state, rows of
 * laid-out text, and the helpers that measure, place and fail. report.c lays out the
 * template's blocks; report_figures.c places the inserts' charts and tables. */
#ifndef TL_RENDER_REPORT_REPORT_IMPL_H
#define TL_RENDER_REPORT_REPORT_IMPL_H

#include "render/pdf/pdf.h"
#include "render/report/report.h"

#include <stddef.h>

/* Page geometry (points; Y down from the top edge, as pdf.h). */
#define MARGIN_X 62.0
#define TEXT_W (TL_PDF_PAGE_W - 2 * MARGIN_X)
#define HEAD_Y 38.0                      /* header baseline */
#define BODY_TOP 70.0                    /* first row of the body */
#define BODY_BOTTOM (TL_PDF_PAGE_H - 64.0) /* nothing of the body below this */
#define FOOT_Y (TL_PDF_PAGE_H - 36.0)    /* footer baseline */
#define BODY_H (BODY_BOTTOM - BODY_TOP)

/* Type sizes and spacing. */
#define BODY_SIZE 10.0
#define BODY_LEAD 1.42
#define SMALL_SIZE 8.5
#define TABLE_SIZE 8.5
#define TABLE_MIN_SIZE 6.5 /* tables keep every word whole, made no smaller than this */
#define PARA_GAP 6.0
#define ITEM_GAP 3.0
#define FIELD_LABEL_W 132.0
#define BOX_PAD 8.0
#define BULLET_IND 13.0
#define LOGO_MAX_W 170.0
#define LOGO_MAX_H 64.0
#define LOGO_MAX_BYTES (16u << 20)

static const tl_pdf_rgb_t INK = {0.13, 0.13, 0.13};
static const tl_pdf_rgb_t GREY = {0.38, 0.38, 0.38};
static const tl_pdf_rgb_t NAVY = {0.05, 0.20, 0.40};
static const tl_pdf_rgb_t BLUE = {0.0, 0.447, 0.698}; /* #0072B2, the charts' first colour */
static const tl_pdf_rgb_t RED = {0.70, 0.08, 0.08};

/* One segment of text on a row: text[0..len) then a layout mark. */
typedef struct seg {
	const char *s;
	size_t len;
	const char *mark; /* "" or the mark string */
	int font;
	double size, x;
	tl_pdf_rgb_t rgb;
} seg_t;

/* One line of flowing text. */
typedef struct row {
	double pre;  /* space above when the row is not the first on its page (or box part) */
	double h;    /* line height */
	double base; /* baseline below the row's top (after pre) */
	seg_t seg[3];
	int nseg;
	int keep;    /* stay on the same page as the next row */
} row_t;

typedef struct rows {
	row_t *v;
	size_t n, cap;
} rows_t;

typedef struct asm_state {
	tl_pdf_t *doc;
	const tl_findings_t *f;
	const tl_report_opts_t *o;
	const tl_tdoc_t *td;
	char *tname; /* template file name for messages */
	char *tdir;  /* its folder, for the logo */
	double y;    /* top of the free space on the current page */
	int at_top;  /* nothing of the body on the current page yet */
	unsigned sec[3];
	unsigned ntables, nfigures;
	tl_pdf_outline_t *outl[3];
	tl_insert_t *ins; /* per block, built on first use */
	int *ins_built;
	char *err;
	size_t errlen;
	int failed;
} asm_t;

#define TRY(x)                                                                                 \
	do {                                                                                   \
		int rc_ = (x);                                                                 \
		if (rc_ != TL_OK)                                                              \
			return rc_;                                                            \
	} while (0)
#define PDF(x)                                                                                     \
	do {                                                                                       \
		int rc_ = (x);                                                                     \
		if (rc_ != TL_OK)                                                                  \
			return tl_report_pdf_fail(a, rc_);                                         \
	} while (0)

/* report.c: failures, measuring, rows of text, pages, boxes */
/* Records the first failure's message; returns rc. */
__attribute__((format(printf, 3, 4))) int tl_report_fail(asm_t *a, int rc, const char *fmt, ...);
/* A drawing call failed: the writer's message. */
int tl_report_pdf_fail(asm_t *a, int rc);
/* tl_measure_fn for the charts: text measured in the report's own fonts. */
double tl_report_chart_measure(void *ctx, const char *utf8, double size, int bold);
/* A layout font: font (TL_PDF_*) at size, measured by the document. */
tl_font_t tl_report_font_of(asm_t *a, int font, double size);
/* Baseline below the top of a line of height h set in font at size: the text's box
 * (ascent + descent) centred in the line. */
double tl_report_baseline_in(asm_t *a, int font, double size, double h);
/* Flowing text. A word wider than the line (a long DNS name, a path) is never broken, as
 * a name split over two lines cannot be found by a search: it gets a row of its own, set
 * as much smaller as it needs, and the text goes on in the next row. */
int tl_report_add_text(asm_t *a, rows_t *r, const char *text, int font, double size, double lead,
		       double x, double width, double pre, tl_pdf_rgb_t rgb);
/* Draws one row whose top (after pre) is at y. */
int tl_report_draw_row(asm_t *a, const row_t *w, double y);
/* Ends the current page (if any) and starts the next one. */
int tl_report_new_page(asm_t *a);
/* Room left on the current page. */
double tl_report_room(const asm_t *a);
/* Starts a new page unless need points fit below y (or the page is still empty). */
int tl_report_ensure(asm_t *a, double need);

/* report_figures.c: the charts and tables of the inserts, placed on the pages */
/* Builds (once) the insert of block bi. */
int tl_report_insert_get(asm_t *a, size_t bi, tl_insert_t **out);
/* Height of r's rows set one below the other. */
double tl_report_rows_h(const rows_t *r);
/* Height of a figure: its title, the chart and its caption. */
double tl_report_chart_total_h(asm_t *a, const tl_insert_t *in);
/* Records the number place_chart just gave the chart called name (report.h,
 * figure_numbers), for the charts exported beside the report. */
void tl_report_note_figure(asm_t *a, const char *name);
/* Places a chart with its numbered title and caption, on a new page when it does not fit. */
int tl_report_place_chart(asm_t *a, const tl_insert_t *in);
/* Height of a table's header and first row (what must follow a heading). */
double tl_report_table_start_h(asm_t *a, const tl_insert_table_t *it);
/* Places a table with its numbered title, broken across pages with the header repeated;
 * line and name are for messages. */
int tl_report_place_table(asm_t *a, const tl_insert_t *in, int line, const char *name);

#endif
