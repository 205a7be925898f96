/* chart.h - the report's charts as display lists (vector paths + text items), with SVG
 * and PNG export. The files of render/chart/ are the only ones that include cairo
 * (chart_impl.h says which file holds what).
 *
 * A chart is built by one tl_chart_<kind>() call from plain data (arrays of values,
 * labels, UTC day numbers or microseconds); nothing from the findings model, so the
 * module stays reusable and computes nothing from evidence. Building draws every shape
 * with cairo and captures each fill and stroke (cairo_copy_path, user space) into the
 * display list below; labels are NOT turned into glyph paths but kept as text items,
 * so the PDF writer can set them as real, searchable text in the document font. SVG and
 * PNG export replay the same display list through cairo, drawing the text items with
 * DejaVu Sans.
 *
 * Coordinates: points (1/72 in), origin at the chart's top-left corner, Y down, the
 * chart spanning [0,width] x [0,height]. A PDF writer flips Y (y_pdf = top - y).
 *
 * Colours are opaque 0xRRGGBB (no transparency anywhere: PDF/A-1 forbids it). The
 * categorical palette is Okabe & Ito (2008), "Color Universal Design", safe for the
 * common colour-vision deficiencies; see tl_chart_palette. The heatmap's sequential
 * scale is ColorBrewer's YlGnBu (Brewer, colorbrewer2.org), also colour-blind safe.
 */
#ifndef TL_RENDER_CHART_CHART_H
#define TL_RENDER_CHART_CHART_H

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

/* ---- Display list ------------------------------------------------------------------ */

enum { TL_CHART_SEG_MOVE, TL_CHART_SEG_LINE, TL_CHART_SEG_CURVE, TL_CHART_SEG_CLOSE };

/* One path segment. MOVE and LINE use (x[0],y[0]); CURVE is a cubic Bezier with control
 * points 0 and 1 ending at point 2; CLOSE uses no point (closes the current subpath). */
typedef struct tl_chart_seg {
	int kind;
	double x[3], y[3];
} tl_chart_seg_t;

enum { TL_CHART_FILL, TL_CHART_STROKE };
enum { TL_CHART_JOIN_MITER, TL_CHART_JOIN_ROUND, TL_CHART_JOIN_BEVEL };
enum { TL_CHART_CAP_BUTT, TL_CHART_CAP_ROUND, TL_CHART_CAP_SQUARE };

/* One painted path: segs[first_seg .. first_seg+nseg) of the chart, filled (non-zero
 * winding rule) or stroked. For strokes: line_width, join, cap, and a dash when
 * dash_on > 0 (dash_on on, dash_off off, phase 0; whole points, as libharu 2.3.0's
 * HPDF_Page_SetDash takes integers). Miter limit is 10 (PDF's default). When clipped,
 * the path is painted only inside the rectangle (clip_x, clip_y, clip_w, clip_h). */
typedef struct tl_chart_path {
	int op; /* TL_CHART_FILL or TL_CHART_STROKE */
	uint32_t rgb;
	double line_width;
	int join, cap;
	int dash_on, dash_off;
	int clipped;
	double clip_x, clip_y, clip_w, clip_h;
	size_t first_seg, nseg;
} tl_chart_path_t;

enum { TL_CHART_ANCHOR_LEFT, TL_CHART_ANCHOR_CENTRE, TL_CHART_ANCHOR_RIGHT };

/* One label. (x, y) is a point on the text's baseline: its left end, centre or right end
 * according to anchor, measured along the text's direction. rotate is 0 (left to right)
 * or 90 (turned 90 degrees counter-clockwise: reads bottom to top, as a Y-axis title).
 * text is valid UTF-8 without control characters (invalid input bytes were replaced by
 * U+FFFD when recorded). after_path: the number of paths painted before this text; the
 * charts only put text on top of paths, so drawing all paths and then all texts is
 * equivalent. Widths in the layout came from the chart's measure function. */
typedef struct tl_chart_text {
	char *text; /* owned by the chart */
	double x, y, size;
	int anchor;
	int rotate; /* 0 or 90 */
	int bold;
	uint32_t rgb;
	size_t after_path;
} tl_chart_text_t;

/* A chart's display list. Read-only for users; free with tl_chart_free. */
typedef struct tl_chart {
	double width, height; /* points */
	tl_chart_path_t *paths;
	size_t npaths;
	tl_chart_seg_t *segs;
	size_t nsegs;
	tl_chart_text_t *texts;
	size_t ntexts;
	size_t elided; /* labels shortened with "…" to fit their space (0: all in full) */
	size_t cap_paths, cap_segs, cap_texts; /* internal */
} tl_chart_t;

void tl_chart_free(tl_chart_t *c); /* accepts NULL */

/* ---- Options common to every chart -------------------------------------------------- */

/* Width in points of utf8 set at size points, bold or regular. Every layout decision
 * that depends on text width (margins, tick spacing, legends, elision) goes through
 * this one function, so the PDF writer can plug in its font's metrics
 * (HPDF_Font_TextWidth) and the layout fits the font the text is finally set in. */
typedef double (*tl_chart_measure_fn)(void *ctx, const char *utf8, double size, int bold);

typedef struct tl_chart_opts {
	double width, height;  /* points; each within [TL_CHART_MIN_SIZE, TL_CHART_MAX_SIZE] */
	double font_size;      /* tick labels and legend; 0 = 8 pt. Title 1.25x, caption 0.875x */
	const char *title;     /* bold line at the top, or NULL */
	const char *caption;   /* small line at the bottom ("Source: ..."), or NULL */
	tl_chart_measure_fn measure; /* NULL = cairo's metrics of DejaVu Sans */
	void *measure_ctx;
} tl_chart_opts_t;

#define TL_CHART_MIN_SIZE 72.0
#define TL_CHART_MAX_SIZE 2000.0
#define TL_CHART_MAX_SERIES 8       /* categories in one chart: fold the rest into "Other" */
#define TL_CHART_MAX_ROWS 200       /* rows of a bar, forest or timeline chart */
#define TL_CHART_MAX_BINS 10000     /* histogram bins; also days of the daily chart */

/* The categorical palette, in the order series take it: blue #0072B2, orange #E69F00,
 * bluish green #009E73, vermillion #D55E00, sky blue #56B4E9, reddish purple #CC79A7,
 * yellow #F0E442, grey #999999 (good for "Other"). Text and axes are near-black #222222;
 * event windows are a pale yellow (#F7F0C6); gaps are hatched grey on white. */
extern const uint32_t tl_chart_palette[TL_CHART_MAX_SERIES];

/* ---- Chart kinds ------------------------------------------------------------------- *
 * Each returns TL_OK and sets *out (free with tl_chart_free), or TL_EINVAL (bad size, a
 * count above a cap, a negative or non-finite value where one is required, ranges out of
 * order) with *out untouched. Empty data is not an error: the chart says "No data".
 * Strings are copied; the caller keeps ownership of everything passed in. */

/* A span of time in UTC microseconds, [start_us, end_us). */
typedef struct tl_chart_span {
	int64_t start_us, end_us;
	const char *label; /* event windows: short label drawn above the plot; else NULL */
} tl_chart_span_t;

/* (1) Daily counts stacked by category. counts[s * ndays + d] is series s on day
 * first_day + d (UTC day number, days since 1970-01-01). Event windows are shaded and
 * labelled; gaps (no data, which is not zero) are hatched over whatever lies there.
 * y_title names the unit, e.g. "Lookups per day". */
typedef struct tl_chart_daily {
	int64_t first_day;
	size_t ndays;
	size_t nseries;
	const char *const *series; /* nseries names */
	const double *counts;
	const tl_chart_span_t *windows;
	size_t nwindows;
	const tl_chart_span_t *gaps;
	size_t ngaps;
	const char *y_title;
} tl_chart_daily_t;
int tl_chart_daily(const tl_chart_opts_t *o, const tl_chart_daily_t *d, tl_chart_t **out);

/* (2) Shares with confidence intervals: one horizontal bar per row from 0 to value, a
 * whisker lo..hi, and "value (lo–hi)" beside it. Values are fractions in [0,1] drawn as
 * percentages. colour: palette index, or -1 for the first colour. */
typedef struct tl_chart_share_row {
	const char *label;
	double value, lo, hi;
	int colour;
} tl_chart_share_row_t;
typedef struct tl_chart_shares {
	const tl_chart_share_row_t *rows;
	size_t n;
	const char *x_title; /* e.g. "Share of lookups (%), 95% confidence interval" */
} tl_chart_shares_t;
int tl_chart_shares(const tl_chart_opts_t *o, const tl_chart_shares_t *d, tl_chart_t **out);

/* (3) Hour-of-day x weekday heatmap. cells[day][hour], day 0 = first row label; NaN marks
 * a cell without data (hatched). Scale from 0 to the largest value, legend at right. */
typedef struct tl_chart_heatmap {
	double cells[7][24];
	const char *row_labels[7]; /* NULL entries default to Mon..Sun */
	const char *x_title;       /* e.g. "Hour of day (UTC)" */
	const char *scale_title;   /* e.g. "Lookups" */
} tl_chart_heatmap_t;
int tl_chart_heatmap(const tl_chart_opts_t *o, const tl_chart_heatmap_t *d, tl_chart_t **out);

/* (3b) Small multiples of hour-of-day x weekday grids sharing one colour scale (0 to the
 * largest value of all grids) and one legend, drawn as a horizontal colour bar at the top.
 * Grids are laid out row-major, per_row side by side (fewer when the width would make the
 * cells narrower than TL_CHART_HM_MIN_CELL), each with its own weekday labels and hour
 * ticks. Above each grid: its title (bold; drawn once across the row when every grid of the
 * row has the same title, as an organisation over its local and UTC grids) and its
 * subtitle (e.g. "Local time (Europe/Moscow)" or "UTC"). A grid with a note draws no cells
 * but the note in an outlined box of the grid's size (e.g. "Same as UTC: the display zone
 * is UTC"); its cells are ignored. NaN cells are hatched ("No data" in the legend). The
 * cell height follows the chart height (at most 1.6 font sizes; TL_EINVAL when it would
 * fall below one font size); tl_chart_heatmaps_height gives the height that suits the
 * width. The x title is drawn once below the last row. */
#define TL_CHART_MAX_GRIDS 40
#define TL_CHART_HM_MIN_CELL 5.0 /* points: narrowest cell before grids are stacked */
typedef struct tl_chart_heatmap_grid {
	const char *title;    /* bold heading, e.g. the organisation; may be NULL */
	const char *subtitle; /* e.g. "Local time (Europe/Moscow)"; may be NULL */
	double cells[7][24];  /* [day][hour], as tl_chart_heatmap_t */
	const char *note;     /* non-NULL: no grid drawn, this text in its place */
} tl_chart_heatmap_grid_t;
typedef struct tl_chart_heatmaps {
	const tl_chart_heatmap_grid_t *grids;
	size_t n;                  /* 0..TL_CHART_MAX_GRIDS; 0 draws "No data" */
	size_t per_row;            /* grids side by side; 0 = 2 */
	const char *row_labels[7]; /* NULL entries default to Mon..Sun */
	const char *x_title;       /* e.g. "Hour of day, in the zone named above each grid" */
	const char *scale_title;   /* e.g. "Lookups" */
} tl_chart_heatmaps_t;
int tl_chart_heatmaps(const tl_chart_opts_t *o, const tl_chart_heatmaps_t *d,
		      tl_chart_t **out);
/* The chart height (points) at which tl_chart_heatmaps draws d at o->width with cells
 * about as high as they are wide (o->height is not used but must be valid). TL_OK and
 * *height, or TL_EINVAL as tl_chart_heatmaps. The result may exceed TL_CHART_MAX_SIZE:
 * the caller then shows fewer grids. */
int tl_chart_heatmaps_height(const tl_chart_opts_t *o, const tl_chart_heatmaps_t *d,
			     double *height);

/* (4) Name lifecycle timeline, one row per name: resolving periods (solid bars), NXDOMAIN
 * periods (open bars), first-query marks (diamonds) and an arrow to the successor row at
 * successor_us. Axis from t0_us to t1_us, or from the data when t1_us <= t0_us. */
typedef struct tl_chart_name_row {
	const char *name;
	const tl_chart_span_t *resolving;
	size_t nresolving;
	const tl_chart_span_t *nxdomain;
	size_t nnxdomain;
	const int64_t *first_query_us;
	size_t nfirst;
	int successor; /* row index, or -1 */
	int64_t successor_us;
} tl_chart_name_row_t;
typedef struct tl_chart_timeline {
	const tl_chart_name_row_t *rows;
	size_t n;
	int64_t t0_us, t1_us;
} tl_chart_timeline_t;
int tl_chart_timeline(const tl_chart_opts_t *o, const tl_chart_timeline_t *d, tl_chart_t **out);

/* (5) Histogram over bins given by nbins+1 increasing edges (all > 0 when log_x), with a
 * vertical reference line at ref (e.g. the TTL) labelled ref_label; ref NaN = none.
 * (7) The permutation null is the same with log_x = 0 and ref the observed value. */
typedef struct tl_chart_histogram {
	const double *edges;
	const double *counts;
	size_t nbins;
	int log_x;
	double ref;
	const char *ref_label; /* e.g. "TTL 300 s" or "Observed 2.31" */
	const char *x_title;   /* e.g. "Time between lookups (s, log scale)" */
	const char *y_title;   /* e.g. "Intervals" */
} tl_chart_histogram_t;
int tl_chart_histogram(const tl_chart_opts_t *o, const tl_chart_histogram_t *d,
		       tl_chart_t **out);
/* (7) Permutation null: tl_chart_histogram with a linear axis and the observed value
 * marked "Observed <value label>" in vermillion; the bars in grey-blue. */
int tl_chart_null(const tl_chart_opts_t *o, const tl_chart_histogram_t *d, tl_chart_t **out);

/* (6) Forest plot of rate ratios on a log axis with a dashed reference line at 1. A row
 * whose ratio or bounds are not finite and positive is shown as "not estimable". */
typedef struct tl_chart_forest_row {
	const char *label;
	double ratio, lo, hi;
} tl_chart_forest_row_t;
typedef struct tl_chart_forest {
	const tl_chart_forest_row_t *rows;
	size_t n;
	const char *x_title;     /* e.g. "Rate ratio (log scale)" */
	const char *value_title; /* heading of the figures column, e.g. "Ratio (95% CI)" */
} tl_chart_forest_t;
int tl_chart_forest(const tl_chart_opts_t *o, const tl_chart_forest_t *d, tl_chart_t **out);

/* ---- Export -------------------------------------------------------------------------- *
 * Deterministic bytes: the same chart gives the same SVG and PNG in any run and in any
 * order of calls. Text is drawn with the font family "DejaVu Sans" (found through
 * fontconfig); if it resolves to another family the export fails with TL_EUNSUPPORTED
 * rather than silently drawing with a different font. */

/* Appends the chart as SVG 1.1 (text as glyph outlines) to out. */
int tl_chart_svg(const tl_chart_t *c, tl_buf_t *out);
/* Appends the chart as an opaque RGB PNG on white, scale pixels per point
 * (0 < scale <= 16, at most 20000 pixels a side), to out. */
int tl_chart_png(const tl_chart_t *c, double scale, tl_buf_t *out);
/* The same, written to path: TL_OK, TL_EINVAL, or the error of opening or writing. */
int tl_chart_write_svg(const tl_chart_t *c, const char *path);
int tl_chart_write_png(const tl_chart_t *c, const char *path, double scale);

/* A chart made ready to stand on its own, for publication: a bold heading above it (e.g.
 * "Figure 3. Lookups per day by organisation"), a caption and a footer below it (e.g. the
 * report ID), each wrapped to the width, with margins around the chart wide enough for
 * every label it draws: a label that reaches past the chart's edge widens the frame
 * instead of being cut. Text is measured with DejaVu Sans through cairo, as the SVG and
 * PNG export draws it. font_size: caption and footer (0 = 8 pt); the heading is 1.2x.
 * Returns TL_OK and *out (free with tl_chart_free), TL_EINVAL, or TL_EUNSUPPORTED when
 * DejaVu Sans is not what fontconfig finds. */
typedef struct tl_chart_frame {
	const char *heading; /* or NULL */
	const char *caption; /* or NULL */
	const char *footer;  /* or NULL */
	double font_size;
} tl_chart_frame_t;
int tl_chart_frame(const tl_chart_t *c, const tl_chart_frame_t *fr, tl_chart_t **out);

/* Text that travels inside an exported file, for catalogues and screen readers: SVG
 * <title> and <desc> (SVG 1.1 section 5.4), PNG iTXt chunks "Title" and "Description"
 * (PNG section 11.3.4). NULL or empty fields are left out. */
typedef struct tl_chart_meta {
	const char *title;
	const char *desc;
} tl_chart_meta_t;
/* tl_chart_svg and tl_chart_png with that text added (m may be NULL). */
int tl_chart_svg_meta(const tl_chart_t *c, const tl_chart_meta_t *m, tl_buf_t *out);
int tl_chart_png_meta(const tl_chart_t *c, double scale, const tl_chart_meta_t *m,
		      tl_buf_t *out);

/* Drops cairo's font caches (fontconfig and FreeType state): call once at exit, after the
 * last chart is freed, so that leak checkers see no memory held. Optional. */
void tl_chart_release(void);

/* ---- Axis ticks (used by the charts; public for tests and for the PDF tables) ------- */

#define TL_CHART_MAX_TICKS 40
#define TL_CHART_TICK_LABEL 24

typedef struct tl_chart_ticks {
	double lo, hi; /* axis range: linear and log extend the data range to nice values */
	size_t n;
	double v[TL_CHART_MAX_TICKS];
	char label[TL_CHART_MAX_TICKS][TL_CHART_TICK_LABEL];
} tl_chart_ticks_t;

/* Steps of 1, 2 or 5 times a power of ten, at most max_ticks ticks (2..TL_CHART_MAX_TICKS)
 * covering [lo, hi]; labels with ',' thousands separators and as many decimals as the
 * step needs, or as percentages of fractions ("20%") when percent. lo == hi is widened;
 * 0..0 gives 0..1. TL_EINVAL for non-finite input or lo > hi. */
int tl_chart_ticks_linear(double lo, double hi, unsigned max_ticks, int percent,
			  tl_chart_ticks_t *out);
/* Log axis for 0 < lo <= hi: whole decades (every k-th decade when there are many), or
 * 1-2-5 ticks within a range of 1-2-5 values when the data spans two decades or fewer. */
int tl_chart_ticks_log(double lo, double hi, unsigned max_ticks, tl_chart_ticks_t *out);
/* Date axis over UTC days [day_lo, day_hi] (fractional days allowed; range kept as given):
 * the finest of every day, 2 days, week (Mondays), 2 weeks, month, 2, 3, 6 months, year,
 * 2, 5, 10 years that gives at most max_ticks ticks. v[] holds day numbers. Labels: days
 * and weeks "2 May"; months "May", with the year on the first tick and on January
 * ("May 2016", "Jan 2017"); years "2016". */
int tl_chart_ticks_date(double day_lo, double day_hi, unsigned max_ticks, tl_chart_ticks_t *out);

/* Version of the cairo library in use (run time). */
const char *tl_chart_cairo_version(void);
/* The run-time version of fontconfig (the charts' SVG and PNG exports find DejaVu with it). */
const char *tl_chart_fontconfig_version(void);

#endif
