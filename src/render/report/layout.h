/* layout.h - text wrapping, paragraphs and tables with page breaks; independent of any PDF
 * library (text is measured through a callback). Numbers and dates: render/fmt.h. */
#ifndef TL_RENDER_REPORT_LAYOUT_H
#define TL_RENDER_REPORT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* Width in points of utf8[0..len) in font (caller's font number) at size points.
 * Must be deterministic and monotonic: a longer prefix is never narrower. */
typedef double (*tl_measure_fn)(void *ud, const char *utf8, size_t len, int font, double size);

/* How text is measured and which marks are drawn where text is broken or cut. */
typedef struct tl_font {
	tl_measure_fn measure;
	void *ud;          /* passed to measure; not owned */
	int font;          /* passed to measure */
	double size;       /* points */
	const char *cont;  /* mark after a line broken inside a word; NULL = TL_LAYOUT_CONT */
	const char *ellip; /* mark after elided text; NULL = TL_LAYOUT_ELLIPSIS */
} tl_font_t;

#define TL_LAYOUT_CONT "\xe2\x86\xa9"     /* U+21A9 "↩": the word goes on, next line */
#define TL_LAYOUT_ELLIPSIS "\xe2\x80\xa6" /* U+2026 "…": text cut here */

/* What to draw after a line's text. */
enum { TL_MARK_NONE = 0, TL_MARK_CONT = 1, TL_MARK_ELIDE = 2 };

/* One laid-out line: bytes text[off..off+len) then the mark. */
typedef struct tl_line {
	size_t off, len;
	int mark;     /* TL_MARK_* */
	double width; /* measured width of the text plus its mark */
	int overfull; /* 1 when even one character (and mark) is wider than the line */
} tl_line_t;

typedef struct tl_lines {
	tl_line_t *v; /* owned */
	size_t n, cap;
} tl_lines_t;

void tl_lines_init(tl_lines_t *l);
void tl_lines_free(tl_lines_t *l);

/* Returns the mark string for mark (TL_MARK_CONT / TL_MARK_ELIDE) under f, "" for NONE. */
const char *tl_layout_mark(const tl_font_t *f, int mark);

/*
 * Wraps text[0..len) (UTF-8) to width points, appending lines to out (which the caller
 * initialised; it is not cleared). '\n' is a hard break (an empty paragraph gives one empty
 * line; "\r\n" is taken as one break). Lines break at spaces; spaces at a break are dropped,
 * leading spaces of the text and after a hard break are kept. A word wider than the line is
 * broken: after the last '.' that fits (DNS names), else after the last '-', each only when
 * that fills at least half the line, otherwise after the last character that fits; such a
 * line gets TL_MARK_CONT and the mark counts towards the width. Breaks are only ever at code-point boundaries (bytes that are not
 * valid UTF-8 count as one character each). A line always holds at least one character, so
 * a line narrower than one character gives overfull lines, never a loop.
 * Returns TL_OK, or TL_EINVAL when f or its measure is NULL or width is not a number.
 */
int tl_layout_wrap(const tl_font_t *f, const char *text, size_t len, double width,
		   tl_lines_t *out);

/*
 * Elides text[0..len) to one line of width points: when it fits (and holds no '\n') *keep = len
 * and 0 is returned; otherwise *keep is the longest code-point prefix (trailing spaces
 * dropped, cut at the first '\n') that fits together with the ellipsis and 1 is returned
 * (the caller draws text[0..*keep) then the ellipsis; *keep may be 0).
 */
int tl_layout_elide(const tl_font_t *f, const char *text, size_t len, double width,
		    size_t *keep);

/* Tables. */
enum { TL_COL_FIXED = 0, TL_COL_PROP = 1, TL_COL_FIT = 2 };
enum { TL_CELL_WRAP = 0, TL_CELL_ELIDE = 1 };
enum { TL_ALIGN_LEFT = 0, TL_ALIGN_RIGHT = 1, TL_ALIGN_CENTER = 2 };
enum { TL_SPAN_NONE = 0, TL_SPAN_ABOVE = 1, TL_SPAN_BELOW = 2 };
/* Where a laid-out cell is: in its column, or on a line of its own across the table. */
enum { TL_PLACE_COLUMN = 0, TL_PLACE_ABOVE = 1, TL_PLACE_BELOW = 2 };

/* Steps in which whole-word tables make text smaller (points). */
#define TL_LAYOUT_SIZE_STEP 0.5

typedef struct tl_table_col {
	int kind;         /* TL_COL_* */
	double value;     /* FIXED: width in points; PROP: weight (> 0); FIT: unused */
	double min, max;  /* PROP and FIT: limits of the width (max 0 = none) */
	int overflow;     /* TL_CELL_WRAP or TL_CELL_ELIDE (body cells; headers always wrap) */
	size_t max_lines; /* WRAP: at most this many lines, the last elided (0 = no limit) */
	int align;        /* TL_ALIGN_*: for the renderer, layout ignores it */
	int span;         /* TL_SPAN_*: NONE = a column; ABOVE / BELOW = each of its cells (the
			   * header's too) on a line of its own across the whole table, above or
			   * below the row's other cells (a name leading its row, a hash) */
} tl_table_col_t;

typedef struct tl_table_spec {
	const tl_font_t *head_font; /* header row */
	const tl_font_t *body_font;
	double leading;             /* line height as a multiple of the font size */
	double pad_x, pad_y;        /* inside each cell, each side */
	double width;               /* width available for the whole table */
	size_t ncols;
	const tl_table_col_t *cols; /* ncols */
	const char *const *head;    /* ncols header texts (NULL = empty) */
	size_t nrows;
	const char *const *cells;   /* nrows * ncols body texts, row-major (NULL = empty) */
	double min_size;            /* > 0: whole words (see tl_table_layout), text made no
				     * smaller than this (points) but to keep a word whole;
				     * 0: a word wider than its column is broken with the mark */
} tl_table_spec_t;

typedef struct tl_table_cell {
	tl_lines_t lines; /* offsets into the cell's text as given in the spec */
	double size;      /* font size of the lines (points); line height size * leading */
	double x, w;      /* the cell's box: left edge from the table's left, and width
			   * (padding included: text starts at x + pad_x) */
	double y;         /* top of the first line below the top of the row (the header row
			   * for header cells), the top padding included */
	int place;        /* TL_PLACE_*: ABOVE / BELOW for span columns and lifted cells */
	int lifted;       /* 1: a word did not fit the column even at min_size, so the cell
			   * was placed on a line of its own above the row (drawn left-aligned) */
} tl_table_cell_t;

typedef struct tl_table {
	size_t ncols, nrows;
	double *col_w;           /* ncols widths, padding included (0 for span columns); owned */
	double width;            /* sum of col_w (spec->width when every column spans) */
	double head_size, size;  /* header and body font sizes chosen for the whole table */
	double head_h;           /* header row height, padding included */
	double *row_h;           /* nrows body row heights, padding included; owned */
	tl_table_cell_t *head;   /* ncols; owned */
	tl_table_cell_t *cells;  /* nrows * ncols; owned */
} tl_table_t;

/*
 * Lays out a table: column widths, then every cell wrapped or elided in its column.
 * Widths: FIXED columns take value; FIT columns their widest cell (each hard line of each body
 * cell unbroken, the header's widest word) plus padding, within [min, max]; PROP columns share
 * what is left by weight, at least min each. When the columns are wider than spec->width, FIT
 * columns are narrowed towards their min (in proportion to their room to shrink); if that is
 * not enough, TL_EINVAL. Cells hold offsets into the texts of spec, which must outlive t.
 *
 * Whole words (spec->min_size > 0): no word (a DNS name, an address, a hash, a number) is
 * ever broken, so that a text search finds it; lines break at spaces only. Each column needs
 * its widest word (header and body; a body word wider than the column's max, or than half the
 * table's width when it has none, does not count) plus padding, and at least its min. The whole table is set
 * at the largest size, from the fonts' own down to min_size in TL_LAYOUT_SIZE_STEP steps, at
 * which these needs fit spec->width (else at min_size), and no column gets less than its need
 * while the needs fit. A cell whose widest word is still wider than its column is set smaller,
 * down to min_size; if that is not enough it is lifted onto a line of its own across the table
 * above the row's other cells, at the largest size down to min_size at which the word fits
 * that line. A word that does not fit the whole width even at min_size (a 253-character name)
 * is set at the size at which it just fits: smaller than min_size, but whole. Span columns
 * (TL_SPAN_ABOVE/BELOW) are always on lines of their own, set in the same way.
 * Returns TL_OK (t filled; free with tl_table_free) or TL_EINVAL.
 */
int tl_table_layout(const tl_table_spec_t *spec, tl_table_t *t);
void tl_table_free(tl_table_t *t);

/* One page's share of a table: the header row then body rows first..first+count-1. */
typedef struct tl_table_page {
	size_t first, count;
	int overfull; /* 1 when the only row here is taller than a whole page (header included) */
} tl_table_page_t;

/*
 * Breaks t across pages. first_avail is the height left on the current page, page_avail that
 * of a fresh page. Every page repeats the header. When the header and the first row do not fit
 * in first_avail, the first entry has count 0: start the table on a fresh page. A row taller
 * than a fresh page goes alone on its page, marked overfull. A table without rows gives one
 * page with count 0 (just the header). *pages is allocated (caller frees with free()).
 * Returns TL_OK or TL_EINVAL (page_avail not positive).
 */
int tl_table_paginate(const tl_table_t *t, double first_avail, double page_avail,
		      tl_table_page_t **pages, size_t *npages);

#endif
