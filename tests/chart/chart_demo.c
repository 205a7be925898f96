/* chart_demo.c - writes every chart kind, from made-up data, as SVG and PNG into a folder,
 * for looking at and for the byte-for-byte determinism check (tests/chart/chart.cmake).
 * Usage: chart_demo OUTDIR */
#include "render/chart/chart.h"
#include "util/error.h"
#include "util/time.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SOURCE "Source: made-up data for the chart demonstration (tealeaves tests/chart)"
#define US_DAY (INT64_C(86400) * INT64_C(1000000))

static int failed;

/* Fontconfig keeps its configuration for the life of the process (cairo cannot release
 * it); it is not a leak of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static void emit(const char *dir, const char *name, int rc, tl_chart_t *c)
{
	char path[4096];
	if (rc != TL_OK) {
		fprintf(stderr, "chart_demo: %s: %s\n", name, tl_strerror(rc));
		failed = 1;
		return;
	}
	snprintf(path, sizeof(path), "%s/%s.svg", dir, name);
	rc = tl_chart_write_svg(c, path);
	if (rc == TL_OK) {
		snprintf(path, sizeof(path), "%s/%s.png", dir, name);
		rc = tl_chart_write_png(c, path, 2.0);
	}
	if (rc != TL_OK) {
		fprintf(stderr, "chart_demo: %s: %s\n", path, tl_strerror(rc));
		failed = 1;
	}
	tl_chart_free(c);
}

/* A small deterministic pseudo-random sequence (no library randomness). */
static unsigned lcg_state = 12345;
static double lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return ((lcg_state >> 8) & 0xffff) / 65536.0;
}

static void daily(const char *dir)
{
	enum { DAYS = 92, SER = 4 };
	static double counts[SER * DAYS];
	static const char *const names[SER] = {"Ministry of Interior", "Обл. телеком",
					       "Example Hosting GmbH", "Other"};
	for (int s = 0; s < SER; s++)
		for (int d = 0; d < DAYS; d++) {
			double base = (s == 0 ? 40 : s == 1 ? 25 : s == 2 ? 12 : 8);
			double bump = (d >= 30 && d < 34 && s < 2) ? 90 : 0;
			double wk = ((d + 4) % 7 >= 5) ? 0.5 : 1.0;
			counts[s * DAYS + d] = floor((base + bump) * wk * (0.7 + 0.6 * lcg()));
		}
	int64_t day0 = tl_days_from_civil(2016, 4, 1);
	for (int s = 0; s < SER; s++)
		for (int d = 55; d < 61; d++)
			counts[s * DAYS + d] = 0;
	tl_chart_span_t win[2] = {
		{(day0 + 30) * US_DAY, (day0 + 34) * US_DAY, "Press release"},
		{(day0 + 70) * US_DAY + US_DAY / 2, (day0 + 72) * US_DAY, "Protest"},
	};
	tl_chart_span_t gap[1] = {{(day0 + 55) * US_DAY, (day0 + 61) * US_DAY, NULL}};
	tl_chart_daily_t d = {day0, DAYS, SER, names, counts, win, 2, gap, 1, "Lookups per day"};
	tl_chart_opts_t o = {480, 260, 0, "Daily lookups of the target names by organisation",
			     SOURCE, NULL, NULL};
	tl_chart_t *c = NULL;
	int rc = tl_chart_daily(&o, &d, &c);
	emit(dir, "daily", rc, c);
}

static void shares(const char *dir)
{
	tl_chart_share_row_t rows[] = {
		{"Ministry of Interior", 0.412, 0.381, 0.444, 0},
		{"Обл. телеком", 0.287, 0.259, 0.316, 1},
		{"Example Hosting GmbH", 0.153, 0.131, 0.177, 2},
		{"University network (eduroam and VPN exits)", 0.094, 0.076, 0.114, 4},
		{"Other", 0.054, 0.041, 0.070, 7},
	};
	tl_chart_shares_t d = {rows, 5, "Share of lookups (%), 95% confidence interval"};
	tl_chart_opts_t o = {480, 200, 0, "Share of lookups by organisation", SOURCE, NULL, NULL};
	tl_chart_t *c = NULL;
	int rc = tl_chart_shares(&o, &d, &c);
	emit(dir, "shares", rc, c);
}

static void heatmap(const char *dir)
{
	tl_chart_heatmap_t d;
	memset(&d, 0, sizeof(d));
	for (int r = 0; r < 7; r++)
		for (int h = 0; h < 24; h++) {
			double work = (h >= 7 && h <= 17 && r < 5) ? 30 : 4;
			d.cells[r][h] = floor(work * (0.6 + 0.8 * lcg()));
		}
	d.cells[6][3] = NAN;
	d.cells[6][4] = NAN;
	d.x_title = "Hour of day (UTC)";
	d.scale_title = "Lookups per hour";
	tl_chart_opts_t o = {480, 200, 0, "Lookups by hour and weekday: Ministry of Interior",
			     SOURCE, NULL, NULL};
	tl_chart_t *c = NULL;
	int rc = tl_chart_heatmap(&o, &d, &c);
	emit(dir, "heatmap", rc, c);
}

static void timeline(const char *dir)
{
	int64_t t0 = tl_days_from_civil(2016, 3, 1) * US_DAY;
	tl_chart_span_t r0[] = {{t0, t0 + 40 * US_DAY, NULL}};
	tl_chart_span_t n0[] = {{t0 + 40 * US_DAY, t0 + 75 * US_DAY, NULL}};
	tl_chart_span_t r1[] = {{t0 + 38 * US_DAY, t0 + 90 * US_DAY, NULL}};
	tl_chart_span_t r2[] = {{t0 + 10 * US_DAY, t0 + 20 * US_DAY, NULL},
				{t0 + 50 * US_DAY, t0 + 60 * US_DAY, NULL}};
	tl_chart_span_t n2[] = {{t0 + 20 * US_DAY, t0 + 50 * US_DAY, NULL}};
	int64_t f0[] = {t0 + 2 * US_DAY, t0 + 9 * US_DAY};
	int64_t f1[] = {t0 + 39 * US_DAY};
	int64_t f2[] = {t0 + 11 * US_DAY, t0 + 52 * US_DAY};
	tl_chart_name_row_t rows[] = {
		{"update.example-c2.net", r0, 1, n0, 1, f0, 2, 1, t0 + 40 * US_DAY},
		{"cdn7.example-c2.org", r1, 1, NULL, 0, f1, 1, -1, 0},
		{"xn--e1afmkfd.xn--p1ai (пример.рф)", r2, 2, n2, 1, f2, 2, -1, 0},
	};
	tl_chart_timeline_t d = {rows, 3, 0, 0};
	tl_chart_opts_t o = {480, 170, 0, "Lifecycle of the target names", SOURCE, NULL, NULL};
	tl_chart_t *c = NULL;
	int rc = tl_chart_timeline(&o, &d, &c);
	emit(dir, "timeline", rc, c);
}

static void histogram(const char *dir)
{
	enum { NB = 30 };
	double edges[NB + 1], counts[NB];
	for (int i = 0; i <= NB; i++)
		edges[i] = pow(10, -1 + 6.0 * i / NB); /* 0.1 s .. 100000 s */
	for (int i = 0; i < NB; i++) {
		double x = log10(edges[i]) - 2.48; /* a peak near 300 s */
		counts[i] = floor(400 * exp(-x * x * 8) + 30 * lcg());
	}
	tl_chart_histogram_t d = {edges, counts, NB, 1, 300, "TTL 300 s",
				  "Time between lookups (s, log scale)", "Intervals"};
	tl_chart_opts_t o = {480, 220, 0, "Time between repeated lookups", SOURCE, NULL, NULL};
	tl_chart_t *c = NULL;
	int rc = tl_chart_histogram(&o, &d, &c);
	emit(dir, "histogram", rc, c);
}

static void forest(const char *dir)
{
	tl_chart_forest_row_t rows[] = {
		{"Press release (2016-04-30)", 2.31, 1.80, 2.95},
		{"Protest (2016-06-10)", 1.12, 0.71, 1.70},
		{"Court hearing (2016-06-21)", 0.64, 0.41, 0.98},
		{"Holiday (2016-05-09)", 0, 0, 3.69},
		{"Outage (2016-05-26)", NAN, NAN, NAN},
	};
	tl_chart_forest_t d = {rows, 5, "Rate ratio, event window vs. baseline (log scale)",
			       "Ratio (95% CI)"};
	tl_chart_opts_t o = {480, 190, 0, "Lookups during events compared with the baseline",
			     SOURCE, NULL, NULL};
	tl_chart_t *c = NULL;
	int rc = tl_chart_forest(&o, &d, &c);
	emit(dir, "forest", rc, c);
}

static void null_dist(const char *dir)
{
	enum { NB = 40 };
	double edges[NB + 1], counts[NB];
	for (int i = 0; i <= NB; i++)
		edges[i] = 0.4 + 0.05 * i;
	for (int i = 0; i < NB; i++) {
		double x = (edges[i] + 0.025 - 1.0) / 0.18;
		counts[i] = floor(1000 * exp(-x * x / 2) * 0.05 / (0.18 * 2.5066));
	}
	tl_chart_histogram_t d = {edges, counts, NB, 0, 2.31, "Observed 2.31 (p < 0.001)",
				  "Rate ratio under random event placement", "Permutations"};
	tl_chart_opts_t o = {480, 210, 0, "Permutation test: 1,000 random placements of the events",
			     SOURCE, NULL, NULL};
	tl_chart_t *c = NULL;
	int rc = tl_chart_null(&o, &d, &c);
	emit(dir, "null", rc, c);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: chart_demo OUTDIR\n");
		return 2;
	}
	daily(argv[1]);
	shares(argv[1]);
	heatmap(argv[1]);
	timeline(argv[1]);
	histogram(argv[1]);
	forest(argv[1]);
	null_dist(argv[1]);
	tl_chart_release();
	return failed;
}
