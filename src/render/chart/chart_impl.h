/* chart_impl.h - what the chart files share and nothing outside render/chart/ may use: the
 * pen that draws into a display list, axes, labels and legends. chart.h is the public API:
 * chart.c holds the display list and the pen, chart_axes.c ticks and axes, chart_<kind>.c
 * one chart kind each, chart_frame.c the framing for publication, chart_export.c the
 * replay into SVG and PNG. */
#ifndef TL_RENDER_CHART_CHART_IMPL_H
#define TL_RENDER_CHART_CHART_IMPL_H

#include "render/chart/chart.h"
#include "render/fmt.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <cairo.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_FAMILY "DejaVu Sans"
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */
#define EN_DASH "\xe2\x80\x93"  /* U+2013 */
#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

#define C_TEXT 0x222222u
#define C_MUTED 0x555555u
#define C_GRID 0xDDDDDDu
#define C_AXIS 0x444444u
#define C_WINDOW 0xF7F0C6u
#define C_WINDOW_EDGE 0xD9C96Bu
#define C_HATCH 0x8C8C8Cu
#define C_WHITE 0xFFFFFFu
#define C_BLUE 0x0072B2u
#define C_VERMILLION 0xD55E00u
#define C_SKY 0x56B4E9u

#define PAD 6.0       /* outer margin */
#define TICK_LEN 3.0
#define CAP_H 0.72    /* cap height of DejaVu Sans, in ems: centres text vertically */
#define DESC 0.24     /* descender, in ems */

#define US_PER_DAY 86400000000.0

/* The drawing state while a chart is built: cairo does the geometry (rectangles, arcs,
 * transforms), each fill or stroke is copied out of cairo into the display list. */
typedef struct pen {
	tl_chart_t *c;
	cairo_surface_t *rec; /* recording surface: the paths are painted there too */
	cairo_t *cr;
	tl_chart_measure_fn measure;
	void *mctx;
	double fs; /* base font size */
	int clipped;
	double clip[4];
	int dash_on, dash_off;
	int join, cap;
} pen_t;

typedef struct axis {
	int log;
	double lo, hi; /* data range shown */
	double p0, p1; /* positions of lo and hi on the page */
} axis_t;

enum { TK_LINEAR, TK_PERCENT, TK_LOG, TK_DATE };

enum { LG_FILL, LG_HATCH, LG_OPEN, LG_LINE, LG_DASH, LG_DIAMOND, LG_ARROW };

typedef struct legend_item {
	int kind;
	uint32_t rgb, rgb2;
	const char *label;
} legend_item_t;

/* chart.c: the pen (drawing into the display list), text, labels and legends */
/* Selects DejaVu Sans (bold or not), unhinted, on cr. */
void tl_chart_set_font(cairo_t *cr, int bold);
/* The advance of utf8 at size points in DejaVu Sans, measured by cairo on the cairo_t ctx
 * (a tl_chart_measure_fn). */
double tl_chart_cairo_measure(void *ctx, const char *utf8, double size, int bold);
/* Starts a chart of o's size on a fresh pen: TL_OK, or TL_EINVAL for a size or font size
 * out of range. Every pen opened is closed or aborted. */
int tl_chart_pen_open(pen_t *p, const tl_chart_opts_t *o);
/* Ends drawing and returns the chart (the caller's, free with tl_chart_free). */
tl_chart_t *tl_chart_pen_close(pen_t *p);
/* Ends drawing and frees the chart: for the error paths. */
void tl_chart_pen_abort(pen_t *p);
/* Grows the array *arr of elem-byte items to hold at least need (doubling, from 64). */
void tl_chart_grow(void **arr, size_t *cap, size_t need, size_t elem);
/* Fills or strokes cairo's current path into the display list and clears it. */
void tl_chart_fill(pen_t *p, uint32_t rgb);
void tl_chart_stroke(pen_t *p, uint32_t rgb, double lw);
/* Dashes the strokes that follow (on, off in points; 0, 0 = solid). */
void tl_chart_dash(pen_t *p, int on, int off);
/* Clips the paths that follow to a rectangle, until tl_chart_no_clip. */
void tl_chart_clip_rect(pen_t *p, double x, double y, double w, double h);
void tl_chart_no_clip(pen_t *p);
void tl_chart_fill_rect(pen_t *p, double x, double y, double w, double h, uint32_t rgb);
void tl_chart_line(pen_t *p, double x0, double y0, double x1, double y1, uint32_t rgb, double lw);
/* Diagonal hatching (45 degrees, spacing 4 pt) over a white rectangle: "no data". */
void tl_chart_hatch_rect(pen_t *p, double x, double y, double w, double h);
/* Copies s with invalid UTF-8 and control characters replaced by U+FFFD: cairo refuses
 * invalid UTF-8 (the context would go into an error state), and labels come from case
 * files and evidence. */
char *tl_chart_clean_utf8(const char *s);
/* The width of s (cleaned as tl_chart_clean_utf8) with the chart's measure; 0 when the
 * measure gives no finite positive width. */
double tl_chart_measure(pen_t *p, const char *s, double size, int bold);
/* Adds a text item at (x, y), the baseline, anchored left, centre or right
 * (TL_CHART_ANCHOR_*), rotated by 0 or 90 degrees. Nothing for NULL or "". */
void tl_chart_put_text(pen_t *p, const char *s, double x, double y, double size, int anchor,
		       int rotate, int bold, uint32_t rgb);
/* The same, unrotated, cut with "…" to at most maxw points. */
void tl_chart_put_text_elided(pen_t *p, const char *s, double x, double y, double size, int anchor,
			      int bold, uint32_t rgb, double maxw);
/* snprintf into a label buffer: a longer text is cut, never overflows. */
__attribute__((format(printf, 3, 4)))
void tl_chart_fmt_into(char *out, size_t cap, const char *fmt, ...);
/* Copies b into out, cut to cap - 1 bytes as snprintf cuts (a tick label has
 * TL_CHART_TICK_LABEL bytes), and frees b. */
void tl_chart_take(char *out, size_t cap, tl_buf_t *b);
/* A diamond of radius r around (x, y) as cairo's current path (the caller fills it). */
void tl_chart_diamond(pen_t *p, double x, double y, double r);
/* Arrowhead with its tip at (x, y), pointing down (dir 1) or up (dir -1). */
void tl_chart_arrowhead(pen_t *p, double x, double y, int dir, uint32_t rgb);
/* Lays out (draw = 0) or draws the legend in rows from (x, y) within width w; returns
 * its height. Swatches are 10 pt wide, entries 12 pt apart. */
double tl_chart_legend(pen_t *p, const legend_item_t *it, size_t n, double x, double y, double w,
		       int draw);
/* Whether a caller's string is acceptable: NULL, or shorter than 4096 bytes. */
int tl_chart_check_str(const char *s);
/* Whether n spans are acceptable: at most TL_CHART_MAX_BINS, each ordered, labels
 * checked. */
int tl_chart_spans_ok(const tl_chart_span_t *s, size_t n);
/* Width of the label column: the widest label, at most 30% of the chart. */
double tl_chart_label_col(pen_t *p, const char *const *labels, size_t n, double W);

/* chart_axes.c: axes, ticks and the titles around a plot */
/* The page position of v along a (log or linear); values outside stop just beyond the
 * axis. */
double tl_chart_amap(const axis_t *a, double v);
double tl_chart_clampd(double v, double lo, double hi);
/* Ticks for a count axis from 0: whole-number steps, at most 6 ticks, 0..1 when all zero. */
void tl_chart_count_ticks(double ymax, tl_chart_ticks_t *t);
/* The widest of t's labels at size points. */
double tl_chart_ticks_width(pen_t *p, const tl_chart_ticks_t *t, double size);
/* The densest ticks of the given kind (at most 10) whose labels fit along the axis. */
void tl_chart_x_ticks(pen_t *p, int kind, axis_t *a, double lo, double hi, tl_chart_ticks_t *t);
/* Grid lines from x0 to x1 at the ticks of a vertical axis, labels left of x0. */
void tl_chart_draw_y_ticks(pen_t *p, const axis_t *a, const tl_chart_ticks_t *t, double x0,
			   double x1);
/* Axis line at y along a, tick marks and labels below; grid lines up to gy0 if gy0 < y. */
void tl_chart_draw_x_axis(pen_t *p, const axis_t *a, const tl_chart_ticks_t *t, double y,
			  double gy0);
/* Height below the plot for x tick labels, the x title (if any) and the caption. */
double tl_chart_bottom_space(pen_t *p, const tl_chart_opts_t *o, int xlabels, const char *xtitle);
/* Draws what tl_chart_bottom_space made room for: the x title centred on xc, the
 * caption. */
void tl_chart_draw_bottom(pen_t *p, const tl_chart_opts_t *o, double plot_y1, int xlabels,
			  const char *xtitle, double xc);
/* Title at the top; returns the y below it. */
double tl_chart_draw_title(pen_t *p, const tl_chart_opts_t *o);
/* Y-axis title, rotated, its glyph tops at the left margin, centred on yc. */
void tl_chart_draw_y_title(pen_t *p, const char *s, double yc);
/* The width the y title takes at the left (0 without one). */
double tl_chart_y_title_space(pen_t *p, const char *s);
/* A frame with "No data" in the middle, for a chart without data. */
void tl_chart_no_data(pen_t *p, double x0, double y0, double x1, double y1);

/* chart_export.c */
/* Is the face fontconfig gave for our family really DejaVu Sans (regular and bold)?
 * Another font would change the layout's widths and the output bytes from machine to
 * machine. Reads the FT_Face fields only, so no FreeType function is linked. */
int tl_chart_font_is_dejavu(cairo_t *cr);

#endif
