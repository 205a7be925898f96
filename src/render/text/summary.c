/* summary.c - the key findings on the terminal for `tealeaves profile` (the compact JSON of
 * --json: summary_json.c). Only selects, formats and orders what the model holds. Widths
 * are counted in code points so that Cyrillic organisation names align; escaping follows
 * tl_buf_text_escaped unit by unit, so an elision never cuts a character or an escape. */
#include "render/text/summary_impl.h"

#include "case/case.h"
#include "render/fmt.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */
#define EN_DASH "\xe2\x80\x93"  /* U+2013, between the bounds of an interval */
#define KEY_W 24                /* key column of "key  value" lines */

/* snprintf into a fixed buffer; the figures written here are far shorter than the
 * buffers, and a longer one would be cut, never overflow. Through a function so that
 * the compiler's truncation guesses about the literal arguments do not apply. */
__attribute__((format(printf, 3, 4))) static void fmt_into(char *out, size_t cap,
							  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

/* ---- text units: one character as tl_buf_text_escaped renders it ---- */

/* The unit at s[i]: its bytes in s (*n) and its width once rendered (code points). */
static size_t unit(const char *s, size_t len, size_t i, size_t *n)
{
	unsigned char c = (unsigned char)s[i];
	*n = 1;
	if (c == '\t' || c == '\n' || c == '\\')
		return 2;
	if (c < 0x20 || c == 0x7f)
		return 4;
	size_t k = tl_utf8_len((const unsigned char *)s + i, len - i);
	if (k == 0)
		return 4;
	*n = k;
	return 1;
}

static size_t text_width(const char *s)
{
	size_t len = s ? strlen(s) : 0, w = 0, n;
	for (size_t i = 0; i < len; i += n)
		w += unit(s, len, i, &n);
	return w;
}

/* Appends s escaped, at most maxw code points wide: when it is wider, as many whole units
 * as fit in maxw - 1 and "…". Returns the width written. */
static size_t put_text(tl_buf_t *b, const char *s, size_t maxw)
{
	size_t len = s ? strlen(s) : 0, n;
	if (maxw == 0)
		return 0;
	if (text_width(s) <= maxw) {
		tl_buf_text_escaped(b, s ? s : "", len);
		return text_width(s);
	}
	size_t w = 0;
	for (size_t i = 0; i < len; i += n) {
		size_t uw = unit(s, len, i, &n);
		if (w + uw > maxw - 1)
			break;
		tl_buf_text_escaped(b, s + i, n);
		w += uw;
	}
	tl_buf_puts(b, ELLIPSIS);
	return w + 1;
}

static void spaces(tl_buf_t *b, size_t n)
{
	while (n--)
		tl_buf_putc(b, ' ');
}

/* ---- numbers and times: render/fmt.h, copied into the fixed buffers the lines are built
 * from (every figure is far shorter than the buffer; a longer one would be cut) ---- */

static const char *take(char *out, size_t cap, tl_buf_t *b)
{
	fmt_into(out, cap, "%s", b->data ? b->data : "");
	tl_buf_free(b);
	return out;
}

static const char *fmt_u64(char out[NUM_LEN], uint64_t v)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_uint(&b, v, NULL);
	return take(out, NUM_LEN, &b);
}

/* An identifier (a seed): digits without grouping. */
static const char *raw_u64(char out[NUM_LEN], uint64_t v)
{
	fmt_into(out, NUM_LEN, "%llu", (unsigned long long)v);
	return out;
}

static const char *fmt_i64(char out[NUM_LEN], int64_t v)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_int(&b, v, NULL);
	return take(out, NUM_LEN, &b);
}

static const char *fmt_fixed(char out[NUM_LEN], double v, int digits)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_fixed_sci(&b, v, digits, NULL);
	return take(out, NUM_LEN, &b);
}

/* A share 0..1 as a percentage with one decimal: "78.0%". */
static const char *fmt_pct(char out[NUM_LEN], double share)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_pct(&b, share, 1, NULL);
	return take(out, NUM_LEN, &b);
}

static const char *fmt_trim(char out[NUM_LEN], double v, int digits)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_trim(&b, v, digits, NULL);
	return take(out, NUM_LEN, &b);
}

/* The confidence level 1 - alpha: "95%". */
static const char *fmt_level(char out[NUM_LEN], double alpha)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_level_alpha(&b, alpha, NULL);
	return take(out, NUM_LEN, &b);
}

/* "2,589 (78.0%, 95% CI 76.5–79.3%)" */
static const char *fmt_count_share(char *out, size_t cap, uint64_t count, double share,
				   double lo, double hi, double alpha)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_count_pct_alpha(&b, count, share, lo, hi, alpha, 1, NULL);
	return take(out, cap, &b);
}

/* "76.5–79.3%" */
static const char *fmt_ci_pct(char out[NUM_LEN], double lo, double hi)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_pct_range(&b, lo, hi, 1, NULL);
	return take(out, NUM_LEN, &b);
}

static const char *fmt_p(char out[NUM_LEN], double p)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_p_round(&b, p, 4, NULL);
	return take(out, NUM_LEN, &b);
}

/* UTC "YYYY-MM-DDTHH:MM:SSZ", or the day alone; "—" when there is no time. */
static const char *fmt_iso(char out[NUM_LEN], int64_t ts, int day_only)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_time_iso(&b, ts, day_only, "\xe2\x80\x94");
	return take(out, NUM_LEN, &b);
}

static const char *fmt_time(char out[NUM_LEN], int64_t ts)
{
	return fmt_iso(out, ts, 0);
}

const char *tl_summary_fmt_day(char out[NUM_LEN], int64_t ts)
{
	return fmt_iso(out, ts, 1);
}

/* "1d 02h 03m 04s" */
static const char *fmt_duration(char out[NUM_LEN], int64_t us)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_duration_dhms(&b, us, NULL);
	return take(out, NUM_LEN, &b);
}

/* "+0.980003 s" */
static const char *fmt_offset(char out[NUM_LEN], int64_t us)
{
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_offset(&b, us, NULL);
	return take(out, NUM_LEN, &b);
}

const char *tl_summary_addr_text(char out[TL_ADDR_STR_LEN], const tl_addr_t *a)
{
	tl_addr_format(a, out);
	return out;
}

static const char *or_none(const char *s)
{
	return s ? s : "\xe2\x80\x94";
}

/* ---- lines and tables ---- */

typedef struct view {
	tl_buf_t *b;
	size_t width;
} view_t;

static void heading(view_t *v, const char *title)
{
	tl_buf_putc(v->b, '\n');
	put_text(v->b, title, v->width);
	tl_buf_putc(v->b, '\n');
}

/* "  key<pad>value": the value is text from the evidence or case, cut to the width. */
static void kv_text(view_t *v, size_t indent, const char *key, const char *value)
{
	size_t col = 2 + KEY_W;
	spaces(v->b, indent);
	size_t w = indent + put_text(v->b, key, col - indent - 2);
	spaces(v->b, col - w);
	put_text(v->b, value, v->width > col ? v->width - col : 1);
	tl_buf_putc(v->b, '\n');
}

/* The same with a value of figures (never cut). */
static void kv(view_t *v, size_t indent, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void kv(view_t *v, size_t indent, const char *key, const char *fmt, ...)
{
	va_list ap;
	char value[512];
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	size_t col = 2 + KEY_W;
	spaces(v->b, indent);
	size_t w = indent + put_text(v->b, key, col - indent - 2);
	spaces(v->b, col - w);
	tl_buf_puts(v->b, value);
	tl_buf_putc(v->b, '\n');
}

/* A line of our own words and figures (never cut). */
static void note(view_t *v, size_t indent, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(view_t *v, size_t indent, const char *fmt, ...)
{
	va_list ap;
	char line[512];
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	spaces(v->b, indent);
	tl_buf_puts(v->b, line);
	tl_buf_putc(v->b, '\n');
}

/* fixed (our words or figures, never cut) followed by text from the evidence or case, cut
 * to what is left of the width (at least TEXT_MIN code points). */
#define TEXT_MIN 8
static void put_after(view_t *v, size_t used, const char *fixed, const char *text)
{
	tl_buf_puts(v->b, fixed);
	used += text_width(fixed);
	put_text(v->b, text, v->width > used + TEXT_MIN ? v->width - used : TEXT_MIN);
	tl_buf_putc(v->b, '\n');
}

#define MAX_COLS 8
#define ELASTIC_MIN 8

/* A table: a header row and rows of cells; align 'l' or 'r' per column; one column
 * (elastic) gives up width, eliding its cells, when the table is wider than the view. */
typedef struct table {
	size_t ncols;
	const char *head[MAX_COLS];
	char align[MAX_COLS];
	int elastic; /* column index, or -1 */
	char **cells;
	size_t n, cap;
} table_t;

static void table_init(table_t *t, const char *spec, int elastic, ...)
{
	va_list ap;
	memset(t, 0, sizeof(*t));
	t->ncols = strlen(spec);
	if (t->ncols > MAX_COLS)
		abort(); /* a programming error: every table here has at most MAX_COLS columns */
	t->elastic = elastic;
	va_start(ap, elastic);
	for (size_t c = 0; c < t->ncols && c < MAX_COLS; c++) {
		t->align[c] = spec[c];
		t->head[c] = va_arg(ap, const char *);
	}
	va_end(ap);
}

static void cell(table_t *t, const char *s)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->cells = tl_xrealloc(t->cells, t->cap * sizeof(*t->cells));
	}
	t->cells[t->n++] = tl_xstrdup(s ? s : "");
}

static void put_cell(tl_buf_t *b, const char *s, size_t w, char align, int last)
{
	size_t sw = text_width(s);
	if (sw > w)
		sw = w;
	if (align == 'r')
		spaces(b, w - sw);
	put_text(b, s, w);
	if (align != 'r' && !last)
		spaces(b, w - sw);
}

static void table_print(view_t *v, table_t *t, size_t indent)
{
	size_t w[MAX_COLS], total = indent;
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = text_width(t->head[c]);
	for (size_t i = 0; i < t->n; i++) {
		size_t tw = text_width(t->cells[i]);
		if (tw > w[i % t->ncols])
			w[i % t->ncols] = tw;
	}
	for (size_t c = 0; c < t->ncols; c++)
		total += w[c] + (c ? 2 : 0);
	if (t->elastic >= 0 && total > v->width) {
		size_t e = (size_t)t->elastic, over = total - v->width;
		size_t floor = text_width(t->head[e]) > ELASTIC_MIN ? text_width(t->head[e])
								    : ELASTIC_MIN;
		if (w[e] > floor)
			w[e] = w[e] - floor > over ? w[e] - over : floor;
	}
	size_t rows = t->n / t->ncols;
	if (rows == 0) {
		spaces(v->b, indent);
		tl_buf_puts(v->b, "(none)\n");
	}
	for (size_t r = 0; rows > 0 && r <= rows; r++) {
		spaces(v->b, indent);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = r == 0 ? t->head[c] : t->cells[(r - 1) * t->ncols + c];
			if (c)
				spaces(v->b, 2);
			put_cell(v->b, s, w[c], t->align[c], c + 1 == t->ncols);
		}
		while (v->b->len > 0 && v->b->data[v->b->len - 1] == ' ')
			v->b->data[--v->b->len] = '\0';
		tl_buf_putc(v->b, '\n');
	}
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->n = t->cap = 0;
}

/* ---- sections ---- */

const char *tl_summary_case_number(const tl_findings_t *f)
{
	return f->kase ? f->kase->number : NULL;
}

const char *tl_summary_case_title(const tl_findings_t *f)
{
	return f->kase ? f->kase->title : NULL;
}

static void sec_case(view_t *v, const tl_findings_t *f)
{
	heading(v, "CASE");
	kv_text(v, 2, "Number", or_none(tl_summary_case_number(f)));
	kv_text(v, 2, "Title", or_none(tl_summary_case_title(f)));
}

static void sec_inputs(view_t *v, const tl_findings_t *f)
{
	const tl_ctx_t *ctx = &f->ctx;
	char a[NUM_LEN], b[NUM_LEN], fmt[48];
	table_t t;
	heading(v, "INPUTS");
	table_init(&t, "llrr", 0, "Label", "Format", "Messages", "Anomalies");
	int any_offset = 0;
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		const tl_input_stats_t *st = &in->info.stats;
		cell(&t, in->label);
		fmt_into(fmt, sizeof(fmt), "%s%s", tl_format_name(in->info.format),
			 in->info.gzip ? "+gzip" : "");
		cell(&t, fmt);
		cell(&t, fmt_u64(a, st->messages));
		cell(&t, fmt_u64(a, tl_anomaly_total(&in->info.anomalies)));
		any_offset |= in->offset_us != 0;
	}
	table_print(v, &t, 2);
	table_init(&t, "lll", 0, "Label", "First (as recorded)", "Last (as recorded)");
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		cell(&t, ctx->inputs[i].label);
		cell(&t, fmt_time(a, ctx->inputs[i].info.stats.first_ts));
		cell(&t, fmt_time(b, ctx->inputs[i].info.stats.last_ts));
	}
	table_print(v, &t, 2);
	for (size_t i = 0; any_offset && i < ctx->n_inputs; i++)
		if (ctx->inputs[i].offset_us != 0)
			note(v, 2, "Clock correction of %s from the case: %s", ctx->inputs[i].label,
			     fmt_offset(a, ctx->inputs[i].offset_us));
	if (ctx->span_end > ctx->span_start)
		kv(v, 2, "Span (all data)", "%s " EN_DASH " %s", fmt_time(a, ctx->span_start),
		   fmt_time(b, ctx->span_end));
	else
		kv(v, 2, "Span (all data)", "none");
}

static void list_lines(view_t *v, const char *key, const char *const *items, size_t n)
{
	if (n == 0) {
		kv_text(v, 2, key, "none");
		return;
	}
	for (size_t k = 0; k < n; k++)
		kv_text(v, 2, k == 0 ? key : "", items[k]);
}

static void sec_target(view_t *v, const tl_findings_t *f)
{
	const tl_case_t *c = f->kase;
	heading(v, "TARGET");
	if (c) {
		list_lines(v, "Names", (const char *const *)c->names, c->n_names);
		list_lines(v, "Suffixes", (const char *const *)c->suffixes, c->n_suffixes);
		if (c->n_ips == 0)
			kv_text(v, 2, "Addresses", "none");
		for (size_t k = 0; k < c->n_ips; k++) {
			char s[TL_ADDR_STR_LEN];
			kv_text(v, 2, k == 0 ? "Addresses" : "",
				tl_summary_addr_text(s, &c->ips[k]));
		}
	}
	list_lines(v, "Resolved to addresses", f->target_names_resolved,
		   f->n_target_names_resolved);
	list_lines(v, "Names looked up", f->ctx.names, f->ctx.n_names);
}

static void sighting_line(view_t *v, const char *key, const tl_prof_sighting_t *s)
{
	char a[NUM_LEN], p[NUM_LEN];
	if (s->ts == TL_TIME_NONE) {
		kv(v, 2, key, "none");
		return;
	}
	kv(v, 2, key, "%s (%s, position %s)", fmt_time(a, s->ts), s->label ? s->label : "?",
	   fmt_u64(p, s->pos));
}

static void sec_lookups(view_t *v, const tl_findings_t *f)
{
	const tl_dedup_stats_t *d = &f->dedup;
	char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN];
	heading(v, "LOOKUPS");
	kv(v, 2, "Sightings", "%s", fmt_u64(a, d->sightings));
	kv(v, 2, "Unique lookups", "%s", fmt_u64(a, d->unique));
	kv(v, 2, "Duplicates removed", "%s (same query %s, retries %s)", fmt_u64(a, d->removed),
	   fmt_u64(b, d->removed_by_id), fmt_u64(c, d->removed_as_retry));
	sighting_line(v, "First lookup", &f->profile.first);
	sighting_line(v, "Last lookup", &f->profile.last);
}

static void conc_line(view_t *v, const tl_prof_conc_t *c, const char *what)
{
	char n[NUM_LEN], k[NUM_LEN], s[NUM_LEN], h[NUM_LEN];
	kv(v, 2, what, "%s", fmt_u64(n, c->n));
	kv(v, 2, "Top-k share", "%s (k = %s)", fmt_pct(s, c->top_k_share), fmt_u64(k, c->k));
	kv(v, 2, "HHI", "%s", fmt_fixed(h, c->hhi, 3));
}

static void sec_sources(view_t *v, const tl_findings_t *f)
{
	const tl_profile_model_t *p = &f->profile;
	char a[NUM_LEN], b[NUM_LEN], lv[NUM_LEN], head[NUM_LEN + 8];
	table_t t;
	heading(v, "SOURCES");
	conc_line(v, &p->source_conc, "Sources with lookups");
	fmt_into(head, sizeof(head), "%s CI", fmt_level(lv, p->alpha));
	table_init(&t, "lllrrr", 2, "#", "Source", "Organisation", "Lookups", "Share", head);
	for (size_t i = 0; i < p->n_sources && i < TL_SUMMARY_TOP; i++) {
		const tl_prof_source_t *s = &p->sources[i];
		cell(&t, fmt_u64(a, i + 1));
		cell(&t, s->addr_text);
		cell(&t, or_none(s->org_name));
		cell(&t, fmt_u64(a, s->lookups.count));
		cell(&t, fmt_pct(a, s->lookups.share));
		cell(&t, fmt_ci_pct(b, s->lookups.lo, s->lookups.hi));
	}
	table_print(v, &t, 2);
	if (p->n_sources > TL_SUMMARY_TOP)
		note(v, 2, "(%s more sources not listed)", fmt_u64(a, p->n_sources - TL_SUMMARY_TOP));

	heading(v, "ORGANISATIONS");
	conc_line(v, &p->org_conc, "Organisations");
	table_init(&t, "llrrrr", 1, "#", "Organisation", "Sources", "Lookups", "Share", head);
	for (size_t i = 0; i < p->n_orgs && i < TL_SUMMARY_TOP; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		cell(&t, fmt_u64(a, i + 1));
		cell(&t, or_none(o->name));
		cell(&t, fmt_u64(a, o->n_sources));
		cell(&t, fmt_u64(a, o->lookups.count));
		cell(&t, fmt_pct(a, o->lookups.share));
		cell(&t, fmt_ci_pct(b, o->lookups.lo, o->lookups.hi));
	}
	table_print(v, &t, 2);
	if (p->n_orgs > TL_SUMMARY_TOP)
		note(v, 2, "(%s more organisations not listed)", fmt_u64(a, p->n_orgs - TL_SUMMARY_TOP));
}

static void class_line(view_t *v, const char *key, const tl_res_count_t *c, double alpha)
{
	char s[160];
	kv(v, 2, key, "%s", fmt_count_share(s, sizeof(s), c->count, c->share, c->lo, c->hi, alpha));
}

static const char *differs_text(char *out, size_t cap, unsigned d)
{
	static const struct {
		unsigned bit;
		const char *name;
	} parts[] = {{TL_RES_FP_IPTTL, "ttl"}, {TL_RES_FP_EDNS, "edns"}, {TL_RES_FP_DO, "do"},
		     {TL_RES_FP_OPTS, "opts"},   {TL_RES_FP_CASE, "0x20"}};
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!(d & parts[i].bit))
			continue;
		if (out[0])
			strncat(out, ",", cap - strlen(out) - 1);
		strncat(out, parts[i].name, cap - strlen(out) - 1);
	}
	return out;
}

static void sec_resolver(view_t *v, const tl_findings_t *f)
{
	const tl_resolver_model_t *r = &f->resolver;
	char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN];
	table_t t;
	heading(v, "RESOLVER BEHAVIOUR");
	if (r->ttl_s > 0)
		kv(v, 2, "TTL", "%s s (%s)", fmt_i64(a, r->ttl_s), r->ttl_method ? r->ttl_method : "?");
	else
		kv(v, 2, "TTL", "unknown (no interval classes)");
	if (r->ttl_s > 0 && r->classes.negative > 0 && r->neg_ttl_min_s == r->neg_ttl_max_s)
		kv(v, 2, "Negative TTL", "%s s (SOA of NXDOMAIN/NODATA answers)",
		   fmt_u64(a, r->neg_ttl_min_s));
	else if (r->ttl_s > 0 && r->classes.negative > 0)
		kv(v, 2, "Negative TTL", "%s-%s s (SOA of NXDOMAIN/NODATA answers)",
		   fmt_u64(a, r->neg_ttl_min_s), fmt_u64(b, r->neg_ttl_max_s));
	kv(v, 2, "Periodic tolerance", "%s s", fmt_i64(a, r->tolerance_s));
	if (r->ttl_s > 0) {
		kv(v, 2, "Intervals", "%s (same source, name and type)",
		   fmt_u64(a, r->classes.intervals));
		kv(v, 2, "Spans a gap", "%s (no sensor covered part of it; not classified)",
		   fmt_u64(a, r->classes.spans_gap));
		kv(v, 2, "TTL unknown", "%s (answer or negative TTL unknown; not classified)",
		   fmt_u64(a, r->classes.ttl_unknown));
		kv(v, 2, "Classified", "%s (%s after a negative answer, %s after an inferred one)",
		   fmt_u64(a, r->classes.n), fmt_u64(b, r->classes.negative),
		   fmt_u64(c, r->classes.inferred));
		class_line(v, "Inside TTL", &r->classes.inside, r->alpha);
		class_line(v, "Periodic", &r->classes.periodic, r->alpha);
		class_line(v, "Non-periodic (later)", &r->classes.later, r->alpha);
		table_init(&t, "llrrrr", 1, "Source", "Organisation", "Classified", "Inside TTL",
			   "Periodic", "Later");
		for (size_t i = 0; i < r->n_sources && i < TL_SUMMARY_TOP; i++) {
			const tl_res_source_t *s = &r->sources[i];
			cell(&t, s->addr_text);
			cell(&t, or_none(s->org_name));
			cell(&t, fmt_u64(a, s->classes.n));
			cell(&t, fmt_pct(a, s->classes.inside.share));
			cell(&t, fmt_pct(a, s->classes.periodic.share));
			cell(&t, fmt_pct(a, s->classes.later.share));
		}
		if (r->n_sources > 0) {
			note(v, 2, "Top sources by lookups (of %s with two or more lookups):",
			     fmt_u64(a, r->n_sources));
			table_print(v, &t, 2);
		}
	}
	kv(v, 2, "Fingerprint breaks", "%s (sources with at least %s lookups)",
	   fmt_u64(a, r->n_breaks), fmt_u64(b, r->min_lookups));
	if (r->n_breaks == 0)
		return;
	table_init(&t, "lllrl", 4, "Time", "Source", "Input", "Pos.", "Differs");
	for (size_t i = 0; i < r->n_breaks && i < TL_SUMMARY_BREAKS; i++) {
		const tl_res_break_t *k = &r->breaks[i];
		cell(&t, fmt_time(a, k->ts));
		cell(&t, k->source < r->n_sources ? r->sources[k->source].addr_text : "?");
		cell(&t, or_none(k->label));
		cell(&t, fmt_u64(b, k->pos));
		char d[96];
		cell(&t, differs_text(d, sizeof(d), k->differs));
	}
	note(v, 2, "First %s by time; differs: ttl = IP TTL, edns = EDNS size,",
	     fmt_u64(c, r->n_breaks < TL_SUMMARY_BREAKS ? r->n_breaks : TL_SUMMARY_BREAKS));
	note(v, 2, "do = DO bit, opts = EDNS options, 0x20 = mixed case");
	table_print(v, &t, 2);
}

static void rank_line(view_t *v, const char *key, double value, int pct, double rank)
{
	char a[NUM_LEN], b[NUM_LEN];
	if (pct)
		fmt_pct(a, value);
	else
		fmt_fixed(a, value, 3);
	kv(v, 2, key, "%s, percentile %s", a, fmt_fixed(b, rank * 100.0, 1));
}

static void sec_baseline(view_t *v, const tl_findings_t *f)
{
	const tl_baseline_model_t *m = &f->baseline;
	char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN];
	heading(v, "BASELINE STANDING");
	int raw = m->counting == TL_BASELINE_COUNT_RAW;
	kv(v, 2, "Baseline names", "%s (other names with at least %s %s)", fmt_u64(a, m->n_names),
	   fmt_u64(b, m->min_lookups), raw ? "sightings" : "lookups");
	kv(v, 2, "Left out", "%s successors, %s sharing an address", fmt_u64(a, m->n_excluded_successor),
	   fmt_u64(b, m->n_excluded_shared_addr));
	if (!m->has_target) {
		kv(v, 2, "Target", "no data");
		return;
	}
	const tl_baseline_target_t *t = &m->target;
	if (raw)
		kv(v, 2, "Target sightings", "%s (raw, every sensor)", fmt_u64(a, t->m.sightings));
	else
		kv(v, 2, "Target lookups", "%s (de-duplicated; unattributed addresses one by one)",
		   fmt_u64(a, t->m.lookups));
	rank_line(v, "Top-source share", t->m.top_source_share, 1, t->rank_top_source_share);
	rank_line(v, "HHI (sources)", t->m.hhi, 0, t->rank_hhi);
	rank_line(v, "Top-organisation share", t->m.top_org_share, 1, t->rank_top_org_share);
	rank_line(v, "HHI (organisations)", t->m.org_hhi, 0, t->rank_org_hhi);
	if (!isnan(t->ci_top_org_share.rank_lo))
		kv(v, 2, "Rank range", "%s to %s (top-organisation share, bootstrap over %s days)",
		   fmt_fixed(a, t->ci_top_org_share.rank_lo * 100.0, 1),
		   fmt_fixed(b, t->ci_top_org_share.rank_hi * 100.0, 1),
		   fmt_u64(c, m->bootstrap_days));
}

static const char *primary_name(int correction)
{
	return correction == TL_CORRELATE_BH ? "BH" : "Holm";
}

double tl_summary_primary_p(const tl_correlate_model_t *m, const tl_correlate_test_t *t)
{
	return m->settings.correction == TL_CORRELATE_BH ? t->p_bh : t->p_holm;
}

static const char *status_text(int st)
{
	switch (st) {
	case TL_CORRELATE_NO_COVERAGE:
		return "no covered time in the window";
	case TL_CORRELATE_SPANS_CHANGE:
		return "the window spans a change of regime";
	case TL_CORRELATE_FEW_REFERENCE:
		return "too few comparable weeks in its regime";
	case TL_CORRELATE_NO_DISPERSION:
		return "too few placebo windows for the dispersion";
	default:
		return "no lookups in the reference";
	}
}

static void sec_events(view_t *v, const tl_findings_t *f)
{
	const tl_correlate_model_t *m = &f->correlate;
	char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN], lv[NUM_LEN], h1[NUM_LEN + 8], h2[48], ci[2 * NUM_LEN + 8];
	table_t t;
	heading(v, "EVENTS");
	kv(v, 2, "Events", "%s (%s testable)", fmt_u64(a, m->n_events), fmt_u64(b, m->n_testable));
	kv(v, 2, "Significance", "alpha %s, primary correction %s",
	   fmt_trim(a, m->settings.alpha, 6), primary_name(m->settings.correction));
	kv(v, 2, "Outside windows", "%s lookups, %s covered minutes, %s per hour",
	   fmt_u64(a, m->baseline.lookups), fmt_fixed(b, m->baseline.covered_minutes, 0),
	   fmt_fixed(c, m->baseline.rate_per_hour, 2));
	kv(v, 2, "Reference", "same regime, %s weeks around each window, strata in %s",
	   fmt_u64(a, m->reference_weeks), m->strata_zone ? m->strata_zone : "UTC");
	kv(v, 2, "Regimes", "%s", fmt_u64(a, m->n_regimes));
	for (size_t i = 1; i < m->n_regimes; i++)
		kv(v, 4, "from", "%s  %s%s%s", tl_summary_fmt_day(a, m->regimes[i].start),
		   m->regimes[i].start_kind == TL_CORRELATE_HINT_STOPPED     ? "stopped: "
		   : m->regimes[i].start_kind == TL_CORRELATE_HINT_SUCCESSOR ? "successor: "
									     : "change point",
		   m->regimes[i].start_name ? m->regimes[i].start_name : "",
		   m->regimes[i].start_kind == TL_CORRELATE_HINT_CHANGEPOINT ? " in weekly counts"
									     : "");
	if (isfinite(m->dispersion.phi))
		kv(v, 2, "Dispersion", "%s estimated from %s placebo windows, %s used",
		   fmt_fixed(a, m->dispersion.phi_hat, 2), fmt_u64(b, m->dispersion.placebos),
		   fmt_fixed(c, m->dispersion.phi, 2));
	else
		kv(v, 2, "Dispersion", "not estimable (%s placebo windows): no verdicts",
		   fmt_u64(a, m->dispersion.placebos));
	fmt_level(lv, 1.0 - m->ci_level);
	fmt_into(h1, sizeof(h1), "%s CI", lv);
	fmt_into(h2, sizeof(h2), "p (%s)", primary_name(m->settings.correction));
	table_init(&t, "lrrrrrl", 0, "Event", "Obs.", "Exp.", "RR", h1, h2, "Sig.");
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_test_t *x = &m->tests[i];
		cell(&t, or_none(m->events[i].label));
		cell(&t, fmt_u64(a, x->observed));
		if (x->status != TL_CORRELATE_TESTABLE) {
			cell(&t, "n/a");
			cell(&t, "n/a");
			cell(&t, "n/a");
			cell(&t, "n/a");
			cell(&t, "not tested");
			continue;
		}
		cell(&t, fmt_fixed(a, x->expected, 2));
		cell(&t, fmt_fixed(a, x->rr, 2));
		fmt_into(ci, sizeof(ci), "%s" EN_DASH "%s", fmt_fixed(a, x->rr_lo, 2),
			 fmt_fixed(b, x->rr_hi, 2));
		cell(&t, ci);
		cell(&t, fmt_p(a, tl_summary_primary_p(m, x)));
		cell(&t, x->significant ? "yes" : "no");
	}
	table_print(v, &t, 2);
	for (size_t i = 0; i < m->n_events; i++) {
		char pre[96];
		if (m->tests[i].status == TL_CORRELATE_TESTABLE)
			continue;
		fmt_into(pre, sizeof(pre), "  Not tested (%s): ", status_text(m->tests[i].status));
		put_after(v, 0, pre, or_none(m->events[i].label));
	}
	const tl_correlate_perm_t *p = &m->perm;
	if (!p->done)
		kv(v, 2, "Permutation test", "not made (the findings JSON says why)");
	else if (p->exact)
		kv(v, 2, "Permutation test", "p = %s (exact over %s arrangements; seed %s)",
		   fmt_p(a, p->p), fmt_u64(b, p->n), raw_u64(c, p->seed));
	else
		kv(v, 2, "Permutation test", "p = %s (%s permutations, seed %s)", fmt_p(a, p->p),
		   fmt_u64(b, p->n), raw_u64(c, p->seed));
	const tl_correlate_bursts_t *bu = &m->bursts;
	kv(v, 2, "Exploratory", "busiest days, found by looking at the data (not a test)");
	kv(v, 2, "Burst days", "%s", fmt_u64(a, bu->n));
	if (bu->n == 0)
		return;
	table_init(&t, "lrrlr", 3, "Day", "Lookups", "z", "Nearest event", "Days");
	for (size_t i = 0; i < bu->n && i < TL_SUMMARY_BURSTS; i++) {
		const tl_correlate_burst_t *x = &bu->items[i];
		cell(&t, tl_summary_fmt_day(a, x->day));
		cell(&t, fmt_u64(a, x->count));
		cell(&t, fmt_fixed(a, x->z, 2));
		int has = x->nearest != UINT32_MAX && x->nearest < m->n_events;
		cell(&t, has ? m->events[x->nearest].label : "none");
		if (has)
			fmt_into(ci, sizeof(ci), "%s%s", x->distance_days > 0 ? "+" : "",
				 fmt_i64(a, x->distance_days));
		cell(&t, has ? ci : "");
	}
	table_print(v, &t, 4);
	if (bu->n > TL_SUMMARY_BURSTS)
		note(v, 4, "(%s more days not listed)", fmt_u64(a, bu->n - TL_SUMMARY_BURSTS));
}

static void ref_line(view_t *v, size_t indent, const char *key, const tl_names_ref_t *r,
		     const char *extra)
{
	char a[NUM_LEN], p[NUM_LEN];
	kv(v, indent, key, "%s%s (%s, position %s)", fmt_time(a, r->ts), extra,
	   r->file ? r->file : "?", fmt_u64(p, r->pos));
}

const tl_names_name_t *tl_summary_find_name(const tl_names_model_t *m, const char *name)
{
	for (size_t i = 0; name && i < m->n_names; i++)
		if (m->names[i].name && strcmp(m->names[i].name, name) == 0)
			return &m->names[i];
	return NULL;
}

static void querier_lines(view_t *v, size_t indent, const tl_names_name_t *n)
{
	char s[TL_ADDR_STR_LEN], line[TL_ADDR_STR_LEN + 4];
	if (!n || !n->has_first_query) {
		kv(v, indent, "First querier", "%s", n ? "none" : "not in the model");
		return;
	}
	size_t col = 2 + KEY_W;
	spaces(v->b, indent);
	size_t w = indent + put_text(v->b, "First querier", col - indent - 2);
	spaces(v->b, col - w);
	fmt_into(line, sizeof(line), "%s  ", tl_summary_addr_text(s, &n->querier));
	put_after(v, col, line, or_none(n->querier_org));
	ref_line(v, indent, "First query", &n->first_query, "");
}

static void sec_names(view_t *v, const tl_findings_t *f)
{
	const tl_names_model_t *m = &f->names;
	char a[NUM_LEN], rc[16], ex[48];
	heading(v, "NAMES");
	size_t shown = 0;
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *n = &m->names[i];
		if (!n->target)
			continue;
		shown++;
		kv_text(v, 2, "Target name", n->name);
		if (n->has_success)
			ref_line(v, 4, "Last success", &n->last_success, "");
		else
			kv(v, 4, "Last success", "none");
		if (n->has_failure_after) {
			fmt_into(ex, sizeof(ex), "First %s after", tl_rcode_name(n->failure_rcode, rc));
			ref_line(v, 4, ex, &n->failure_after,
				 n->failure_exact ? "" : " (failure cap hit: not certainly the first)");
		} else {
			kv(v, 4, "First failure after", "none");
		}
		querier_lines(v, 4, n);
		kv(v, 4, "Successors", "%s", fmt_u64(a, n->n_successors));
		for (size_t k = 0; k < n->n_successors; k++) {
			const tl_names_binding_t *s = &n->successors[k];
			char ad[TL_ADDR_STR_LEN];
			kv_text(v, 6, "Successor", s->name);
			kv(v, 8, "Address", "%s", tl_summary_addr_text(ad, &s->addr));
			ref_line(v, 8, "First answer", &s->first, "");
			querier_lines(v, 8, tl_summary_find_name(m, s->name));
		}
	}
	if (shown == 0)
		note(v, 2, "No target name in the names model.");
}

static void gap_rows(table_t *t, const char *who, const tl_quality_gap_t *g, size_t n)
{
	char a[NUM_LEN];
	for (size_t i = 0; i < n && i < TL_SUMMARY_GAPS; i++) {
		cell(t, who);
		cell(t, fmt_time(a, g[i].start));
		cell(t, fmt_time(a, g[i].end));
		cell(t, fmt_duration(a, g[i].duration_us));
		cell(t, g[i].at_edge ? "yes" : "no");
		cell(t, g[i].source ? g[i].source : "silence");
	}
}

static void drops_cell(table_t *t, uint64_t v, int known)
{
	char a[NUM_LEN];
	cell(t, known ? fmt_u64(a, v) : "unknown");
}

const char *tl_summary_sensor_name(const tl_findings_t *f, uint32_t s)
{
	if (s < f->quality.n_sensors)
		return f->quality.sensors[s].name;
	return s < f->ctx.n_sensors ? f->ctx.sensors[s].name : "?";
}

static void sec_quality(view_t *v, const tl_findings_t *f)
{
	const tl_quality_model_t *q = &f->quality;
	char a[NUM_LEN], b[NUM_LEN];
	table_t t;
	heading(v, "QUALITY");
	kv(v, 2, "Gap threshold", "%s", fmt_duration(a, q->gap_threshold_us));
	kv(v, 2, "Span minutes", "%s", fmt_u64(a, q->span_minutes));
	table_init(&t, "llrrrr", 0, "Sensor", "Coverage from", "Coverage", "Gaps", "Gap time",
		   "Quiet");
	for (size_t i = 0; i < q->n_sensors; i++) {
		const tl_quality_sensor_t *s = &q->sensors[i];
		cell(&t, or_none(s->name));
		cell(&t, s->source ? s->source : "silence");
		cell(&t, fmt_pct(a, s->coverage));
		cell(&t, fmt_u64(a, s->gaps_total));
		cell(&t, fmt_duration(a, s->gap_time_us));
		cell(&t, fmt_u64(a, s->quiet_total));
	}
	cell(&t, "no sensor (overall)");
	cell(&t, "");
	cell(&t, fmt_pct(a, q->coverage));
	cell(&t, fmt_u64(a, q->gaps_total));
	cell(&t, fmt_duration(a, q->gap_time_us));
	cell(&t, fmt_u64(a, q->quiet_total));
	table_print(v, &t, 2);
	int any = q->n_gaps > 0;
	for (size_t i = 0; i < q->n_sensors; i++)
		any |= q->sensors[i].n_gaps > 0;
	if (any) {
		note(v, 2, "First gaps (up to %d each):", TL_SUMMARY_GAPS);
		table_init(&t, "lllrll", 0, "Sensor", "From", "To", "Duration", "Edge", "Source");
		for (size_t i = 0; i < q->n_sensors; i++)
			gap_rows(&t, or_none(q->sensors[i].name), q->sensors[i].gaps,
				 q->sensors[i].n_gaps);
		gap_rows(&t, "overall", q->gaps, q->n_gaps);
		table_print(v, &t, 4);
	}
	if (q->n_offsets == 0) {
		kv(v, 2, "Clock offsets", "none estimated");
	} else {
		note(v, 2, "Clock offsets (time at B minus time at A, from lookups both saw):");
		table_init(&t, "llrrr", 0, "A", "B", "Pairs", "Median", "MAD");
		for (size_t i = 0; i < q->n_offsets; i++) {
			const tl_quality_offset_t *o = &q->offsets[i];
			cell(&t, tl_summary_sensor_name(f, o->sensor_a));
			cell(&t, tl_summary_sensor_name(f, o->sensor_b));
			cell(&t, fmt_u64(a, o->pairs));
			cell(&t, fmt_offset(a, o->median_us));
			cell(&t, fmt_offset(a, o->mad_us) + (o->mad_us >= 0));
		}
		table_print(v, &t, 4);
	}
	table_init(&t, "lrrrr", 0, "Input", "Records", "Malformed", "IF drops", "OS drops");
	for (size_t i = 0; i < q->n_inputs; i++) {
		const tl_quality_input_t *in = &q->inputs[i];
		cell(&t, or_none(in->label));
		cell(&t, fmt_u64(a, in->records));
		cell(&t, fmt_u64(a, in->malformed));
		drops_cell(&t, in->if_drops, in->if_drops_known);
		drops_cell(&t, in->os_drops, in->os_drops_known);
	}
	cell(&t, "all inputs");
	cell(&t, fmt_u64(a, q->records));
	cell(&t, fmt_u64(b, q->malformed));
	drops_cell(&t, q->if_drops, q->if_drops_known);
	drops_cell(&t, q->os_drops, q->os_drops_known);
	table_print(v, &t, 2);
}

void tl_text_summary(tl_buf_t *out, const tl_findings_t *f, int width)
{
	view_t v = {out, width < TL_SUMMARY_MIN_WIDTH ? TL_SUMMARY_MIN_WIDTH : (size_t)width};
	note(&v, 0, "tealeaves profile: key findings (facts from the findings model; times UTC)");
	sec_case(&v, f);
	sec_inputs(&v, f);
	sec_target(&v, f);
	sec_lookups(&v, f);
	sec_sources(&v, f);
	sec_resolver(&v, f);
	sec_baseline(&v, f);
	if (f->has_correlate)
		sec_events(&v, f);
	sec_names(&v, f);
	sec_quality(&v, f);
}

