/* test_chart.c - tick choice, the display list of small charts, edge cases of every chart
 * kind, and deterministic SVG/PNG bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render/chart/chart.h"
#include "util/error.h"
#include "util/time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define US_DAY (INT64_C(86400) * INT64_C(1000000))

/* Fontconfig keeps its configuration for the life of the process; not our leak. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* A font-free measure: every byte is half an em wide. Positions become exact numbers. */
static int measure_calls;
static double fixed_measure(void *ctx, const char *s, double size, int bold)
{
	(void)ctx;
	(void)bold;
	measure_calls++;
	return 0.5 * size * (double)strlen(s);
}

static tl_chart_opts_t fixed_opts(double w, double h)
{
	tl_chart_opts_t o = {w, h, 8, NULL, NULL, fixed_measure, NULL};
	return o;
}

static const tl_chart_text_t *find_text(const tl_chart_t *c, const char *s)
{
	for (size_t i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].text, s) == 0)
			return &c->texts[i];
	return NULL;
}

static size_t count_fills(const tl_chart_t *c, uint32_t rgb)
{
	size_t n = 0;
	for (size_t i = 0; i < c->npaths; i++)
		n += c->paths[i].op == TL_CHART_FILL && c->paths[i].rgb == rgb;
	return n;
}

static size_t count_clipped(const tl_chart_t *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->npaths; i++)
		n += c->paths[i].clipped;
	return n;
}

/* ---- ticks ---- */

static void test_ticks_linear(void **state)
{
	(void)state;
	tl_chart_ticks_t t;
	assert_int_equal(tl_chart_ticks_linear(0, 87, 6, 0, &t), TL_OK);
	assert_int_equal(t.n, 6);
	assert_true(t.lo == 0 && t.hi == 100);
	assert_true(t.v[1] == 20 && t.v[5] == 100);
	assert_string_equal(t.label[0], "0");
	assert_string_equal(t.label[5], "100");

	assert_int_equal(tl_chart_ticks_linear(0, 12345, 5, 0, &t), TL_OK);
	assert_int_equal(t.n, 4);
	assert_string_equal(t.label[1], "5,000");
	assert_string_equal(t.label[3], "15,000");

	assert_int_equal(tl_chart_ticks_linear(0, 0.43, 6, 1, &t), TL_OK);
	assert_int_equal(t.n, 6);
	assert_string_equal(t.label[0], "0%");
	assert_string_equal(t.label[5], "50%");

	assert_int_equal(tl_chart_ticks_linear(0, 0.7, 8, 0, &t), TL_OK);
	assert_int_equal(t.n, 8);
	assert_string_equal(t.label[3], "0.3");

	assert_int_equal(tl_chart_ticks_linear(-3, 7, 6, 0, &t), TL_OK);
	assert_int_equal(t.n, 4); /* steps of 2 would need 7 ticks */
	assert_true(t.lo == -5 && t.hi == 10);
	assert_string_equal(t.label[0], "-5");
	assert_string_equal(t.label[1], "0"); /* never "-0" */

	assert_int_equal(tl_chart_ticks_linear(0, 0, 6, 0, &t), TL_OK); /* all zero */
	assert_true(t.lo == 0 && t.hi == 1);

	assert_int_equal(tl_chart_ticks_linear(5, 1, 6, 0, &t), TL_EINVAL);
	assert_int_equal(tl_chart_ticks_linear(0, NAN, 6, 0, &t), TL_EINVAL);
	assert_int_equal(tl_chart_ticks_linear(0, 1, 1, 0, &t), TL_EINVAL);
}

static void test_ticks_log(void **state)
{
	(void)state;
	tl_chart_ticks_t t;
	assert_int_equal(tl_chart_ticks_log(0.1, 100000, 10, &t), TL_OK);
	assert_int_equal(t.n, 7);
	assert_string_equal(t.label[0], "0.1");
	assert_string_equal(t.label[1], "1");
	assert_string_equal(t.label[6], "100,000");

	assert_int_equal(tl_chart_ticks_log(0.3, 3, 10, &t), TL_OK); /* 1-2-5 within 2 decades */
	assert_int_equal(t.n, 5);
	assert_true(t.lo == 0.2 && t.hi == 5);
	assert_string_equal(t.label[0], "0.2");
	assert_string_equal(t.label[1], "0.5");
	assert_string_equal(t.label[4], "5");

	assert_int_equal(tl_chart_ticks_log(1, 1e12, 5, &t), TL_OK); /* every third decade */
	assert_int_equal(t.n, 5);
	assert_string_equal(t.label[1], "1,000");
	assert_string_equal(t.label[2], "1,000,000");

	assert_int_equal(tl_chart_ticks_log(0, 10, 5, &t), TL_EINVAL);
	assert_int_equal(tl_chart_ticks_log(-1, 10, 5, &t), TL_EINVAL);
}

static void test_ticks_date(void **state)
{
	(void)state;
	tl_chart_ticks_t t;
	double a = (double)tl_days_from_civil(2016, 4, 20), b = (double)tl_days_from_civil(2016, 6, 10);
	assert_int_equal(tl_chart_ticks_date(a, b, 8, &t), TL_OK); /* weeks, on Mondays */
	assert_int_equal(t.n, 7);
	assert_string_equal(t.label[0], "25 Apr");
	assert_string_equal(t.label[1], "2 May");
	assert_string_equal(t.label[6], "6 Jun");
	assert_true(t.v[0] == (double)tl_days_from_civil(2016, 4, 25));

	a = (double)tl_days_from_civil(2016, 1, 15);
	b = (double)tl_days_from_civil(2016, 12, 31);
	assert_int_equal(tl_chart_ticks_date(a, b, 8, &t), TL_OK); /* every other month */
	assert_int_equal(t.n, 5);
	assert_string_equal(t.label[0], "Mar 2016");
	assert_string_equal(t.label[1], "May");
	assert_string_equal(t.label[4], "Nov");

	a = (double)tl_days_from_civil(2016, 11, 1);
	b = (double)tl_days_from_civil(2017, 3, 1);
	assert_int_equal(tl_chart_ticks_date(a, b, 6, &t), TL_OK); /* months across a year */
	assert_int_equal(t.n, 5);
	assert_string_equal(t.label[0], "Nov 2016");
	assert_string_equal(t.label[1], "Dec");
	assert_string_equal(t.label[2], "Jan 2017");

	a = (double)tl_days_from_civil(2016, 5, 1);
	assert_int_equal(tl_chart_ticks_date(a, a + 3, 8, &t), TL_OK); /* every day */
	assert_int_equal(t.n, 4);
	assert_string_equal(t.label[0], "1 May");
	assert_string_equal(t.label[3], "4 May");

	a = (double)tl_days_from_civil(2001, 1, 1);
	b = (double)tl_days_from_civil(2020, 6, 1);
	assert_int_equal(tl_chart_ticks_date(a, b, 6, &t), TL_OK); /* years */
	assert_string_equal(t.label[0], "2005");
	assert_string_equal(t.label[t.n - 1], "2020");

	assert_int_equal(tl_chart_ticks_date(b, a, 6, &t), TL_EINVAL);
}

/* ---- display list of a tiny chart, with exact positions ---- */

static void test_display_list_shares(void **state)
{
	(void)state;
	tl_chart_share_row_t rows[] = {{"A", 0.5, 0.4, 0.6, -1}};
	tl_chart_shares_t d = {rows, 1, NULL};
	tl_chart_opts_t o = fixed_opts(200, 100);
	tl_chart_t *c = NULL;
	measure_calls = 0;
	assert_int_equal(tl_chart_shares(&o, &d, &c), TL_OK);
	assert_true(measure_calls > 0); /* layout used our measure */
	assert_true(c->width == 200 && c->height == 100);
	/* 4 grid lines (0,20,40,60%), bar, whisker, left axis, x-axis line, tick marks */
	assert_int_equal(c->npaths, 9);
	assert_int_equal(c->ntexts, 6);
	assert_int_equal(count_fills(c, tl_chart_palette[0]), 1);

	/* left = 6 + 4 ("A") + 8 = 18; the value column is 19 bytes * 4 = 76 wide, so
	 * right = 200 - 6 - 76 - 8 = 110. Row: y0 = 8, height min(71.32, 25.6). */
	const tl_chart_text_t *t = find_text(c, "A");
	assert_non_null(t);
	assert_int_equal(t->anchor, TL_CHART_ANCHOR_RIGHT);
	assert_true(fabs(t->x - 12) < 1e-9);
	assert_true(fabs(t->y - (8 + 12.8 + 8 * 0.72 / 2)) < 1e-9);
	assert_int_equal(t->rotate, 0);
	assert_int_equal(t->bold, 0);
	assert_true(t->size == 8);

	t = find_text(c, "50.0% (40.0\xe2\x80\x93" "60.0)");
	assert_non_null(t);
	assert_int_equal(t->anchor, TL_CHART_ANCHOR_LEFT);
	assert_true(fabs(t->x - 115) < 1e-9);

	t = find_text(c, "20%");
	assert_non_null(t);
	assert_int_equal(t->anchor, TL_CHART_ANCHOR_CENTRE);
	assert_true(fabs(t->x - (18 + 92.0 / 3)) < 1e-9);
	assert_true(fabs(t->y - (8 + 25.6 + 3 + 2 + 8 * 0.72)) < 1e-9);
	assert_non_null(find_text(c, "60%"));
	assert_null(find_text(c, "10%")); /* 10% steps would crowd the labels */

	/* the bar: one rectangle from x = 18 to the value 0.5 */
	const tl_chart_path_t *bar = NULL;
	for (size_t i = 0; i < c->npaths; i++)
		if (c->paths[i].op == TL_CHART_FILL)
			bar = &c->paths[i];
	assert_non_null(bar);
	assert_int_equal(bar->nseg, 5); /* move, 3 lines, close */
	const tl_chart_seg_t *s = &c->segs[bar->first_seg];
	assert_int_equal(s[0].kind, TL_CHART_SEG_MOVE);
	assert_int_equal(s[4].kind, TL_CHART_SEG_CLOSE);
	/* cairo keeps path coordinates in 24.8 fixed point: 1/256 pt */
	assert_true(fabs(s[0].x[0] - 18) < 1.0 / 256);
	assert_true(fabs(s[1].x[0] - (18 + 92 * 0.5 / 0.6)) < 1.0 / 256);
	assert_true(fabs(s[2].y[0] - s[1].y[0] - 25.6 * 0.55) < 1.0 / 256);
	/* texts come after the paths they are drawn over */
	assert_int_equal(find_text(c, "A")->after_path, c->npaths - 2);
	tl_chart_free(c);
}

static void test_labels_cleaned_and_elided(void **state)
{
	(void)state;
	tl_chart_share_row_t rows[] = {
		{"bad\xff\x01x", 0.2, NAN, NAN, 1},
		{"An organisation name far too long to fit in the label column", 0.1, NAN, NAN, 2},
	};
	tl_chart_shares_t d = {rows, 2, "Share"};
	tl_chart_opts_t o = fixed_opts(300, 120);
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_shares(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "bad\xef\xbf\xbd\xef\xbf\xbdx"));
	assert_non_null(find_text(c, "20.0%")); /* no interval given: none shown */
	int elided = 0;
	for (size_t i = 0; i < c->ntexts; i++) {
		const char *s = c->texts[i].text;
		size_t n = strlen(s);
		if (strncmp(s, "An organisation", 15) == 0) {
			assert_string_equal(s + n - 3, "\xe2\x80\xa6");
			assert_true(fixed_measure(NULL, s, 8, 0) <= 300 * 0.3);
			elided = 1;
		}
	}
	assert_true(elided);
	assert_int_equal(c->elided, 1); /* the long name only: cleaning is not eliding */
	tl_chart_free(c);
}

/* ---- daily chart ---- */

static void test_daily(void **state)
{
	(void)state;
	const char *names[2] = {"Org A", "Org B"};
	double counts[2 * 10];
	for (int i = 0; i < 20; i++)
		counts[i] = i % 10 + 1;
	int64_t day0 = tl_days_from_civil(2016, 5, 2);
	tl_chart_span_t win = {(day0 + 2) * US_DAY, (day0 + 4) * US_DAY, "Raid"};
	tl_chart_span_t gap = {(day0 + 6) * US_DAY, (day0 + 7) * US_DAY, NULL};
	tl_chart_daily_t d = {day0, 10, 2, names, counts, &win, 1, &gap, 1, "Lookups per day"};
	tl_chart_opts_t o = fixed_opts(400, 200);
	o.caption = "Source: test";
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_daily(&o, &d, &c), TL_OK);
	assert_int_equal(count_fills(c, tl_chart_palette[0]), 2); /* bars + legend swatch */
	assert_int_equal(count_fills(c, tl_chart_palette[1]), 2);
	assert_int_equal(count_fills(c, 0xF7F0C6u), 2); /* window + legend swatch */
	assert_int_equal(count_clipped(c), 2);           /* gap hatch + legend hatch */
	assert_non_null(find_text(c, "Raid"));
	assert_non_null(find_text(c, "Event window"));
	assert_non_null(find_text(c, "No data (gap)"));
	assert_non_null(find_text(c, "Source: test"));
	assert_non_null(find_text(c, "Date (UTC, 2016)"));
	assert_non_null(find_text(c, "20")); /* y max is 20 */
	const tl_chart_text_t *yt = find_text(c, "Lookups per day");
	assert_non_null(yt);
	assert_int_equal(yt->rotate, 90);
	assert_non_null(find_text(c, "3 May")); /* every 2nd day: 10 daily labels do not fit */
	assert_non_null(find_text(c, "11 May"));
	assert_null(find_text(c, "4 May"));
	tl_chart_free(c);
}

static void test_daily_edges(void **state)
{
	(void)state;
	const char *one[1] = {"Only"};
	double zeros[5] = {0, 0, 0, 0, 0};
	int64_t day0 = tl_days_from_civil(2016, 5, 2);
	tl_chart_opts_t o = fixed_opts(300, 160);
	tl_chart_t *c = NULL;

	tl_chart_daily_t none = {day0, 0, 0, NULL, NULL, NULL, 0, NULL, 0, "Lookups"};
	assert_int_equal(tl_chart_daily(&o, &none, &c), TL_OK);
	assert_non_null(find_text(c, "No data"));
	tl_chart_free(c);

	tl_chart_daily_t allzero = {day0, 5, 1, one, zeros, NULL, 0, NULL, 0, "Lookups"};
	assert_int_equal(tl_chart_daily(&o, &allzero, &c), TL_OK);
	assert_int_equal(count_fills(c, tl_chart_palette[0]), 1); /* legend only: no bars */
	assert_non_null(find_text(c, "1"));                          /* axis 0..1 */
	assert_null(find_text(c, "No data"));
	tl_chart_free(c);

	/* one category, and a gap covering everything (and more) */
	double some[5] = {3, 0, 2, 0, 1};
	tl_chart_span_t all = {(day0 - 3) * US_DAY, (day0 + 9) * US_DAY, NULL};
	tl_chart_daily_t gapped = {day0, 5, 1, one, some, NULL, 0, &all, 1, "Lookups"};
	assert_int_equal(tl_chart_daily(&o, &gapped, &c), TL_OK);
	size_t hatch = 0;
	for (size_t i = 0; i < c->npaths; i++) {
		const tl_chart_path_t *p = &c->paths[i];
		if (p->clipped && p->clip_w > 100) { /* the plot-wide gap, clamped to the plot */
			hatch++;
			assert_true(p->clip_x > 6 && p->clip_x + p->clip_w <= 300 - 6);
		}
	}
	assert_int_equal(hatch, 1);
	tl_chart_free(c);

	double bad[5] = {1, -1, 0, 0, 0};
	tl_chart_daily_t neg = {day0, 5, 1, one, bad, NULL, 0, NULL, 0, NULL};
	c = NULL;
	assert_int_equal(tl_chart_daily(&o, &neg, &c), TL_EINVAL);
	assert_null(c);
	bad[1] = NAN;
	assert_int_equal(tl_chart_daily(&o, &neg, &c), TL_EINVAL);
	tl_chart_span_t back = {day0 * US_DAY, (day0 - 1) * US_DAY, NULL};
	tl_chart_daily_t rev = {day0, 5, 1, one, zeros, &back, 1, NULL, 0, NULL};
	assert_int_equal(tl_chart_daily(&o, &rev, &c), TL_EINVAL);
	tl_chart_opts_t tiny = fixed_opts(10, 10);
	assert_int_equal(tl_chart_daily(&tiny, &allzero, &c), TL_EINVAL);
	assert_null(c);
}

/* ---- the other kinds, with their edge cases ---- */

static void test_heatmap(void **state)
{
	(void)state;
	tl_chart_heatmap_t d;
	memset(&d, 0, sizeof(d));
	d.cells[0][0] = 10;
	d.cells[2][5] = NAN;
	d.x_title = "Hour of day (UTC)";
	d.scale_title = "Lookups";
	tl_chart_opts_t o = fixed_opts(400, 180);
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_heatmap(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "Mon"));
	assert_non_null(find_text(c, "Sun"));
	assert_non_null(find_text(c, "No data")); /* legend entry for the NaN cell */
	assert_non_null(find_text(c, "10"));      /* scale top */
	/* the largest cell takes the darkest colour, zero cells the lightest */
	assert_int_equal(count_fills(c, 0x0C2C84u), 1);
	assert_int_equal(count_fills(c, 0xFFFFCCu), 7 * 24 - 2);
	tl_chart_free(c);

	for (int r = 0; r < 7; r++)
		for (int h = 0; h < 24; h++)
			d.cells[r][h] = NAN;
	assert_int_equal(tl_chart_heatmap(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "No data"));
	tl_chart_free(c);

	d.cells[1][1] = -5;
	assert_int_equal(tl_chart_heatmap(&o, &d, &c), TL_EINVAL);
}

static size_t count_texts(const tl_chart_t *c, const char *s)
{
	size_t n = 0;
	for (size_t i = 0; i < c->ntexts; i++)
		n += strcmp(c->texts[i].text, s) == 0;
	return n;
}

/* No two horizontal labels overlap (boxes from fixed_measure: cap height above the
 * baseline, descender below), and every label lies inside the chart. */
static void assert_labels_apart(const tl_chart_t *c)
{
	for (size_t i = 0; i < c->ntexts; i++) {
		const tl_chart_text_t *a = &c->texts[i];
		double wa = fixed_measure(NULL, a->text, a->size, a->bold);
		double ax0 = a->x - (a->anchor == TL_CHART_ANCHOR_CENTRE ? wa / 2
				     : a->anchor == TL_CHART_ANCHOR_RIGHT ? wa : 0);
		assert_int_equal(a->rotate, 0);
		assert_true(ax0 >= 0 && ax0 + wa <= c->width + 1e-9);
		assert_true(a->y - a->size * 0.72 >= 0 && a->y + a->size * 0.24 <= c->height);
		for (size_t k = i + 1; k < c->ntexts; k++) {
			const tl_chart_text_t *b = &c->texts[k];
			double wb = fixed_measure(NULL, b->text, b->size, b->bold);
			double bx0 = b->x - (b->anchor == TL_CHART_ANCHOR_CENTRE ? wb / 2
					     : b->anchor == TL_CHART_ANCHOR_RIGHT ? wb : 0);
			int apart_x = ax0 + wa <= bx0 || bx0 + wb <= ax0;
			int apart_y = a->y + a->size * 0.24 <= b->y - b->size * 0.72 ||
				      b->y + b->size * 0.24 <= a->y - a->size * 0.72;
			if (!apart_x && !apart_y)
				print_error("\"%s\" overlaps \"%s\"\n", a->text, b->text);
			assert_true(apart_x || apart_y);
		}
	}
}

/* Two organisations, local and UTC grids each: one title per pair, one scale for all. */
static void hm_pairs(tl_chart_heatmap_grid_t g[4])
{
	memset(g, 0, 4 * sizeof(*g));
	const char *org[2] = {"Org A", "Org B"};
	for (int i = 0; i < 4; i++) {
		g[i].title = org[i / 2];
		g[i].subtitle = i % 2 ? "UTC" : (i < 2 ? "Local time (Europe/Moscow)"
						      : "Local time (America/New_York)");
	}
	g[0].cells[0][9] = 10; /* Org A local */
	g[1].cells[0][6] = 10; /* Org A UTC: the same lookups, three hours earlier */
	g[3].cells[4][23] = 30; /* Org B UTC: the largest value of all grids */
	g[2].cells[4][19] = 30;
}

static void test_heatmaps(void **state)
{
	(void)state;
	tl_chart_heatmap_grid_t g[4];
	hm_pairs(g);
	tl_chart_heatmaps_t d;
	memset(&d, 0, sizeof(d));
	d.grids = g;
	d.n = 4;
	d.x_title = "Hour of day, in the zone named above each grid";
	d.scale_title = "Lookups";
	tl_chart_opts_t o = fixed_opts(480, 100);
	double h = 0;
	assert_int_equal(tl_chart_heatmaps_height(&o, &d, &h), TL_OK);
	assert_true(h > 150 && h < 400);
	o.height = h;
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_OK);
	assert_true(c->width == 480 && c->height == h);
	/* the organisation heads its pair once; each grid has its zone and weekday labels */
	assert_int_equal(count_texts(c, "Org A"), 1);
	assert_int_equal(count_texts(c, "Org B"), 1);
	assert_true(find_text(c, "Org A")->bold);
	assert_int_equal(count_texts(c, "UTC"), 2);
	assert_int_equal(count_texts(c, "Mon"), 4);
	assert_int_equal(count_texts(c, "Sun"), 4);
	assert_int_equal(count_texts(c, "Lookups"), 1); /* one legend */
	assert_int_equal(count_texts(c, "30"), 1);      /* its top */
	assert_int_equal(count_texts(c, "Hour of day, in the zone named above each grid"), 1);
	assert_null(find_text(c, "No data"));
	/* local left of UTC on one line; the second organisation below the first */
	const tl_chart_text_t *la = find_text(c, "Local time (Europe/Moscow)");
	const tl_chart_text_t *lb = find_text(c, "Local time (America/New_York)");
	const tl_chart_text_t *ua = NULL;
	for (size_t i = 0; i < c->ntexts && !ua; i++)
		if (strcmp(c->texts[i].text, "UTC") == 0)
			ua = &c->texts[i];
	assert_true(la && lb && ua);
	assert_true(ua->y == la->y && ua->x > la->x + 200);
	assert_true(lb->y > la->y + 7 * 8);
	/* one scale: only the 30 cells are darkest, the 10s lighter; the rest lightest */
	assert_int_equal(count_fills(c, 0x0C2C84u), 2);
	assert_int_equal(count_fills(c, 0xFFFFCCu), 4 * 7 * 24 - 4);
	assert_labels_apart(c);
	tl_chart_free(c);

	/* taller than needed: cells stop growing; too low for readable rows: refused */
	o.height = h + 300;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_OK);
	assert_labels_apart(c);
	tl_chart_free(c);
	o.height = h - 60;
	c = NULL;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_EINVAL);
	assert_null(c);

	/* more organisations need more height */
	double h1 = 0;
	d.n = 2;
	assert_int_equal(tl_chart_heatmaps_height(&o, &d, &h1), TL_OK);
	assert_true(h1 < h - 50);
}

/* A narrow chart stacks the grids; a note takes a grid's place; NaN cells are hatched and
 * explained; bad data is refused. */
static void test_heatmaps_edges(void **state)
{
	(void)state;
	tl_chart_heatmap_grid_t g[4];
	hm_pairs(g);
	tl_chart_heatmaps_t d;
	memset(&d, 0, sizeof(d));
	d.grids = g;
	d.n = 4;
	d.scale_title = "Lookups";
	tl_chart_opts_t o = fixed_opts(250, 100);
	double h = 0;
	assert_int_equal(tl_chart_heatmaps_height(&o, &d, &h), TL_OK);
	o.height = h;
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_OK);
	const tl_chart_text_t *la = find_text(c, "Local time (Europe/Moscow)");
	const tl_chart_text_t *ua = NULL;
	for (size_t i = 0; i < c->ntexts && !ua; i++)
		if (strcmp(c->texts[i].text, "UTC") == 0)
			ua = &c->texts[i];
	assert_true(la && ua && ua->x == la->x && ua->y > la->y); /* stacked */
	assert_int_equal(count_texts(c, "Org A"), 2); /* each grid is headed */
	assert_labels_apart(c);
	tl_chart_free(c);

	/* a note instead of the local grid; a NaN cell in the UTC grid */
	o = fixed_opts(480, 100);
	g[0].note = "Same as UTC";
	g[0].cells[0][0] = -1; /* ignored: the note replaces the grid */
	g[1].cells[3][3] = NAN;
	d.n = 2;
	assert_int_equal(tl_chart_heatmaps_height(&o, &d, &h), TL_OK);
	o.height = h;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "Same as UTC"));
	assert_non_null(find_text(c, "No data"));
	assert_int_equal(count_texts(c, "Mon"), 1);  /* only the drawn grid is labelled */
	assert_int_equal(count_fills(c, 0x0C2C84u), 1);
	assert_int_equal(count_fills(c, 0xFFFFCCu), 7 * 24 - 2); /* the NaN and the 10 */
	assert_labels_apart(c);
	tl_chart_free(c);

	/* no grids: "No data" */
	d.n = 0;
	assert_int_equal(tl_chart_heatmaps_height(&o, &d, &h), TL_OK);
	o.height = h;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "No data"));
	tl_chart_free(c);

	/* refused: a negative cell in a drawn grid, too many grids, no grids array */
	o.height = 300;
	g[1].cells[3][3] = -2;
	d.n = 2;
	c = NULL;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_EINVAL);
	assert_int_equal(tl_chart_heatmaps_height(&o, &d, &h), TL_EINVAL);
	g[1].cells[3][3] = INFINITY;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_EINVAL);
	g[1].cells[3][3] = 0;
	d.n = TL_CHART_MAX_GRIDS + 1;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_EINVAL);
	d.n = 2;
	d.grids = NULL;
	assert_int_equal(tl_chart_heatmaps(&o, &d, &c), TL_EINVAL);
	assert_null(c);
	assert_int_equal(tl_chart_heatmaps(&o, NULL, &c), TL_EINVAL);
}

static void test_timeline(void **state)
{
	(void)state;
	int64_t t0 = tl_days_from_civil(2016, 3, 1) * US_DAY;
	tl_chart_span_t res = {t0, t0 + 10 * US_DAY, NULL};
	tl_chart_span_t nx = {t0 + 10 * US_DAY, t0 + 20 * US_DAY, NULL};
	int64_t first[1] = {t0 + US_DAY};
	tl_chart_name_row_t rows[2] = {
		{"a.example", &res, 1, &nx, 1, first, 1, 1, t0 + 10 * US_DAY},
		{"b.example", &res, 1, NULL, 0, NULL, 0, -1, 0},
	};
	tl_chart_timeline_t d = {rows, 2, 0, 0};
	tl_chart_opts_t o = fixed_opts(400, 160);
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_timeline(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "a.example"));
	assert_non_null(find_text(c, "Resolving"));
	assert_non_null(find_text(c, "NXDOMAIN"));
	assert_non_null(find_text(c, "Successor name"));
	assert_int_equal(count_fills(c, 0x0072B2u), 3); /* two bars + swatch */
	assert_int_equal(count_fills(c, 0x555555u), 2); /* arrowhead in plot + legend */
	tl_chart_free(c);

	tl_chart_timeline_t empty = {NULL, 0, 0, 0};
	assert_int_equal(tl_chart_timeline(&o, &empty, &c), TL_OK);
	assert_non_null(find_text(c, "No data"));
	tl_chart_free(c);

	rows[1].successor = 1; /* a name cannot succeed itself */
	assert_int_equal(tl_chart_timeline(&o, &d, &c), TL_EINVAL);
	rows[1].successor = 5;
	assert_int_equal(tl_chart_timeline(&o, &d, &c), TL_EINVAL);
}

static void test_histograms(void **state)
{
	(void)state;
	double edges[4] = {1, 10, 100, 1000}, counts[3] = {5, 50, 7};
	tl_chart_histogram_t d = {edges, counts, 3, 1, 300, "TTL 300 s", "Seconds", "Count"};
	tl_chart_opts_t o = fixed_opts(400, 200);
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_histogram(&o, &d, &c), TL_OK);
	const tl_chart_text_t *t = find_text(c, "TTL 300 s");
	assert_non_null(t);
	assert_int_equal(t->bold, 1);
	assert_non_null(find_text(c, "1,000"));
	assert_int_equal(count_fills(c, 0x0072B2u), 1); /* all bars in one path */
	size_t dashed = 0;
	for (size_t i = 0; i < c->npaths; i++)
		dashed += c->paths[i].dash_on > 0;
	assert_int_equal(dashed, 1);
	tl_chart_free(c);

	double zc[3] = {0, 0, 0};
	d.counts = zc;
	assert_int_equal(tl_chart_histogram(&o, &d, &c), TL_OK); /* all zero: no bars */
	assert_int_equal(count_fills(c, 0x0072B2u), 0);
	tl_chart_free(c);

	d.nbins = 0;
	assert_int_equal(tl_chart_histogram(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "No data"));
	tl_chart_free(c);

	double badedges[4] = {0, 10, 100, 1000}; /* log axis needs positive edges */
	d.nbins = 3;
	d.edges = badedges;
	assert_int_equal(tl_chart_histogram(&o, &d, &c), TL_EINVAL);
	double noninc[4] = {1, 10, 10, 1000};
	d.edges = noninc;
	assert_int_equal(tl_chart_histogram(&o, &d, &c), TL_EINVAL);

	/* permutation null: linear axis, solid observed line, default label */
	double ne[3] = {0.5, 1.0, 1.5}, nc[2] = {40, 60};
	tl_chart_histogram_t n = {ne, nc, 2, 1, 2.3, NULL, "Ratio", "Permutations"};
	assert_int_equal(tl_chart_null(&o, &n, &c), TL_OK);
	assert_non_null(find_text(c, "Observed"));
	assert_non_null(find_text(c, "2.5")); /* axis reaches the observed value */
	for (size_t i = 0; i < c->npaths; i++)
		assert_int_equal(c->paths[i].dash_on, 0);
	tl_chart_free(c);
}

static void test_forest(void **state)
{
	(void)state;
	tl_chart_forest_row_t rows[] = {
		{"E1", 2.31, 1.8, 2.95},
		{"E2", 0.64, 0.41, 0.98},
		{"E3", 0, 0, 3.69},
		{"E4", NAN, NAN, NAN},
	};
	tl_chart_forest_t d = {rows, 4, "Rate ratio (log scale)", NULL};
	tl_chart_opts_t o = fixed_opts(400, 180);
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_forest(&o, &d, &c), TL_OK);
	assert_non_null(find_text(c, "2.31 (1.80\xe2\x80\x93" "2.95)"));
	assert_non_null(find_text(c, "0.64 (0.41\xe2\x80\x93" "0.98)"));
	assert_non_null(find_text(c, "0.00 (0.00\xe2\x80\x93" "3.69)"));
	assert_non_null(find_text(c, "not estimable"));
	assert_non_null(find_text(c, "Ratio (95% CI)"));
	assert_non_null(find_text(c, "1")); /* reference at 1 is a tick */
	assert_int_equal(count_fills(c, 0x0072B2u), 2); /* markers of E1, E2 */
	tl_chart_free(c);

	for (size_t i = 0; i < 4; i++)
		rows[i] = (tl_chart_forest_row_t){"x", NAN, NAN, NAN};
	assert_int_equal(tl_chart_forest(&o, &d, &c), TL_OK);
	assert_int_equal(count_fills(c, 0x0072B2u), 0);
	tl_chart_free(c);

	tl_chart_forest_t empty = {NULL, 0, NULL, NULL};
	assert_int_equal(tl_chart_forest(&o, &empty, &c), TL_OK);
	assert_non_null(find_text(c, "No data"));
	tl_chart_free(c);
}

/* ---- export ---- */

static tl_chart_t *small_chart(void)
{
	tl_chart_share_row_t rows[] = {{"Org A", 0.6, 0.5, 0.7, 0}, {"Org B", 0.4, 0.3, 0.5, 1}};
	tl_chart_shares_t d = {rows, 2, "Share (%)"};
	tl_chart_opts_t o = {300, 120, 0, "Title", "Source: test", NULL, NULL};
	tl_chart_t *c = NULL;
	assert_int_equal(tl_chart_shares(&o, &d, &c), TL_OK);
	return c;
}

static void test_export_deterministic(void **state)
{
	(void)state;
	tl_chart_t *c = small_chart();
	tl_buf_t s1, s2, p1, p2;
	tl_buf_init(&s1);
	tl_buf_init(&s2);
	tl_buf_init(&p1);
	tl_buf_init(&p2);
	assert_int_equal(tl_chart_svg(c, &s1), TL_OK);
	assert_int_equal(tl_chart_png(c, 2, &p1), TL_OK);
	/* other surfaces in between advance cairo's counters */
	tl_chart_t *other = small_chart();
	tl_buf_t junk;
	tl_buf_init(&junk);
	assert_int_equal(tl_chart_svg(other, &junk), TL_OK);
	tl_buf_free(&junk);
	tl_chart_free(other);
	assert_int_equal(tl_chart_svg(c, &s2), TL_OK);
	assert_int_equal(tl_chart_png(c, 2, &p2), TL_OK);
	assert_true(s1.len > 1000);
	assert_int_equal(s1.len, s2.len);
	assert_memory_equal(s1.data, s2.data, s1.len);
	assert_int_equal(p1.len, p2.len);
	assert_memory_equal(p1.data, p2.data, p1.len);
	assert_memory_equal(s1.data, "<?xml", 5);
	assert_non_null(strstr(s1.data, "<g id=\"surface1\">"));
	assert_non_null(strstr(s1.data, "width=\"300pt\" height=\"120pt\""));
	assert_memory_equal(p1.data, "\x89PNG\r\n\x1a\n", 8);
	/* 600 x 240 pixels: big-endian width and height in IHDR */
	assert_memory_equal(p1.data + 16, "\x00\x00\x02\x58\x00\x00\x00\xf0", 8);
	assert_int_equal(tl_chart_png(c, 0, &p2), TL_EINVAL);
	assert_int_equal(tl_chart_png(c, 100, &p2), TL_EINVAL);
	assert_int_equal(tl_chart_write_svg(c, "/nonexistent-dir/x.svg"), TL_ENOENT);
	tl_buf_free(&s1);
	tl_buf_free(&s2);
	tl_buf_free(&p1);
	tl_buf_free(&p2);
	tl_chart_free(c);
	tl_chart_free(NULL);
}

/* A framed chart: heading, chart, caption, footer; a label that reached past the chart's
 * right edge is inside the frame; everything moved by one offset. */
static void test_frame(void **state)
{
	(void)state;
	tl_chart_t *c = small_chart();
	/* push the first label past the right edge, as a last tick label centred on the axis
	 * end can be */
	c->texts[0].anchor = TL_CHART_ANCHOR_LEFT;
	c->texts[0].x = c->width - 2;
	double ox = c->texts[1].x, oy = c->texts[1].y, sx = c->segs[0].x[0];
	const char *caption =
		"Source: a caption long enough to need several lines at this width, which the "
		"frame wraps at spaces so that no line is wider than the chart and its margins.";
	tl_chart_frame_t fr = {"Figure 12. A <heading> & more", caption, "Report ID 0123abcd", 0};
	tl_chart_t *f = NULL;
	assert_int_equal(tl_chart_frame(c, &fr, &f), TL_OK);
	assert_true(f->width > c->width + 20); /* 2 x 10 pt margin, and the label beyond */
	assert_true(f->height > c->height + 40);
	assert_int_equal(f->npaths, c->npaths);
	assert_int_equal(f->nsegs, c->nsegs);
	assert_true(f->ntexts >= c->ntexts + 4); /* heading, two caption lines, footer */
	/* one offset for paths and texts */
	double dx = f->segs[0].x[0] - sx;
	const tl_chart_text_t *t1 = find_text(f, c->texts[1].text);
	assert_non_null(t1);
	assert_true(fabs((t1->x - ox) - dx) < 1e-9);
	assert_true(t1->y - oy > 10); /* below the heading */
	/* heading first, bold, before any path; caption lines and footer after the chart */
	const tl_chart_text_t *h = find_text(f, "Figure 12. A <heading> & more");
	assert_non_null(h);
	assert_int_equal(h->bold, 1);
	assert_int_equal(h->after_path, 0);
	const tl_chart_text_t *ft = find_text(f, "Report ID 0123abcd");
	assert_non_null(ft);
	assert_true(ft->y > t1->y);
	assert_true(ft->y < f->height);
	/* texts in order: the heading (one line here), the chart's, the caption, the footer */
	assert_ptr_equal(h, &f->texts[0]);
	assert_ptr_equal(ft, &f->texts[f->ntexts - 1]);
	size_t caption_lines = 0;
	double last_y = t1->y;
	for (size_t i = 1 + c->ntexts; i + 1 < f->ntexts; i++) {
		caption_lines++;
		assert_true(f->texts[i].y > last_y);
		last_y = f->texts[i].y;
		assert_true(f->texts[i].x >= 10 - 1e-9);
		assert_int_equal(f->texts[i].after_path, f->npaths);
	}
	assert_true(caption_lines >= 2);
	assert_true(find_text(f, "Source: a caption") == NULL); /* wrapped, not one line */
	/* the moved label lies inside the frame */
	const tl_chart_text_t *moved = find_text(f, c->texts[0].text);
	assert_non_null(moved);
	assert_true(moved->x > 0 && moved->x < f->width - 10);

	/* the text travels in the files */
	tl_chart_meta_t meta = {"Figure 12. A <heading> & more", "Caption \"quoted\"."};
	tl_buf_t svg, png;
	tl_buf_init(&svg);
	tl_buf_init(&png);
	assert_int_equal(tl_chart_svg_meta(f, &meta, &svg), TL_OK);
	assert_non_null(strstr(svg.data, ">\n<title>Figure 12. A &lt;heading&gt; &amp; more</title>"
					 "\n<desc>Caption &quot;quoted&quot;.</desc>"));
	assert_int_equal(tl_chart_png_meta(f, 1, &meta, &png), TL_OK);
	assert_memory_equal(png.data + png.len - 8, "IEND", 4);
	const char *it = memmem(png.data, png.len, "iTXtTitle", 9);
	assert_non_null(it);
	assert_memory_equal(it + 9, "\0\0\0\0\0Figure 12.", 15);
	assert_non_null(memmem(png.data, png.len, "iTXtDescription", 15));
	tl_buf_free(&svg);
	tl_buf_free(&png);
	tl_chart_free(f);

	/* nothing but the chart: only the margins */
	tl_chart_frame_t bare = {NULL, NULL, NULL, 0};
	assert_int_equal(tl_chart_frame(c, &bare, &f), TL_OK);
	assert_int_equal(f->ntexts, c->ntexts);
	tl_chart_free(f);
	tl_chart_frame_t badsize = {NULL, NULL, NULL, 100};
	assert_int_equal(tl_chart_frame(c, &badsize, &f), TL_EINVAL);
	tl_chart_free(c);
}

static int teardown_all(void **state)
{
	(void)state;
	tl_chart_release();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_linear),
		cmocka_unit_test(test_ticks_log),
		cmocka_unit_test(test_ticks_date),
		cmocka_unit_test(test_display_list_shares),
		cmocka_unit_test(test_labels_cleaned_and_elided),
		cmocka_unit_test(test_daily),
		cmocka_unit_test(test_daily_edges),
		cmocka_unit_test(test_heatmap),
		cmocka_unit_test(test_heatmaps),
		cmocka_unit_test(test_heatmaps_edges),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_histograms),
		cmocka_unit_test(test_forest),
		cmocka_unit_test(test_export_deterministic),
		cmocka_unit_test(test_frame),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
