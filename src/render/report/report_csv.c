/* report_csv.c - the report's tables as CSV for analysis (--csv): one value per cell, taken
 * from the findings model itself, never from the text the PDF shows. RFC 4180 (comma,
 * CRLF, quotes doubled), UTF-8 without a byte order mark, one header row whose names carry
 * the units. Columns, units and codes: docs/csv.md (keep the two in step). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/record.h"
#include "render/report/report_export.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/time.h"

/* ---- the writer ---------------------------------------------------------------------- *
 * Cells are written in order; csv_row_end() ends a row. An absent value (no time, NaN, a
 * count that is not recorded) is an empty cell, never a word such as "n/a". */

typedef struct csv {
	tl_buf_t *b;
	size_t col; /* cells written in the current row */
} csv_t;

static void sep(csv_t *w)
{
	if (w->col++)
		tl_buf_putc(w->b, ',');
}

/* A text cell: quoted when it holds a comma, a quote, CR or LF (RFC 4180 section 2.6),
 * quotes doubled (2.7). Bytes that are not UTF-8 and control characters other than CR and
 * LF become U+FFFD, so the file is always valid UTF-8 text. */
static void csv_str(csv_t *w, const char *s)
{
	sep(w);
	if (!s)
		return;
	size_t len = strlen(s);
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		tl_buf_putc(w->b, '"');
	for (size_t i = 0; i < len;) {
		size_t n = tl_utf8_len((const unsigned char *)s + i, len - i);
		unsigned char c = (unsigned char)s[i];
		if (n == 0 || (n == 1 && ((c < 0x20 && c != '\r' && c != '\n') || c == 0x7f))) {
			tl_buf_puts(w->b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (c == '"')
			tl_buf_putc(w->b, '"');
		tl_buf_append(w->b, s + i, n);
		i += n;
	}
	if (quote)
		tl_buf_putc(w->b, '"');
}

static void csv_empty(csv_t *w)
{
	sep(w);
}

static void csv_u64(csv_t *w, uint64_t v)
{
	sep(w);
	tl_buf_u64(w->b, v);
}

static void csv_i64(csv_t *w, int64_t v)
{
	sep(w);
	tl_buf_i64(w->b, v);
}

/* A real number in full: the shortest decimal that reads back as the same double. */
static void csv_num(csv_t *w, double v)
{
	sep(w);
	tl_buf_double(w->b, v);
}

/* ISO 8601 UTC with microseconds, "2016-05-04T06:10:29.123456Z"; empty for no time. */
static void csv_time(csv_t *w, int64_t us)
{
	sep(w);
	if (us == TL_TIME_NONE)
		return;
	char s[TL_TIME_ISO_LEN];
	tl_time_format_iso(us, s);
	tl_buf_puts(w->b, s);
}

static void csv_bool(csv_t *w, int v)
{
	csv_str(w, v ? "true" : "false");
}

static void csv_addr(csv_t *w, const tl_addr_t *a)
{
	char s[TL_ADDR_STR_LEN];
	tl_addr_format(a, s);
	csv_str(w, s);
}

static void csv_row_end(csv_t *w)
{
	tl_buf_append(w->b, "\r\n", 2);
	w->col = 0;
}

/* The header row: the names joined by commas (names are plain [a-z0-9_]). */
static void csv_head(csv_t *w, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		csv_str(w, names[i]);
	csv_row_end(w);
}

/* ---- quality ------------------------------------------------------------------------- */

static void t_quality(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"input", "sensor", "dns_messages", "time_resolution_us", "out_of_order",
		"truncated_answers", "unanswered_queries", "capture_drops_interface",
		"capture_drops_os", "malformed", NULL};
	const tl_quality_model_t *q = &f->quality;
	csv_head(w, head);
	for (size_t i = 0; i < q->n_inputs; i++) {
		const tl_quality_input_t *in = &q->inputs[i];
		csv_str(w, in->label);
		csv_str(w, in->sensor < q->n_sensors ? q->sensors[in->sensor].name : NULL);
		csv_u64(w, in->records);
		if (in->resolution_us > 0)
			csv_i64(w, in->resolution_us);
		else
			csv_empty(w);
		csv_u64(w, in->order_regressions);
		csv_u64(w, in->truncated);
		csv_u64(w, in->unanswered);
		if (in->if_drops_known)
			csv_u64(w, in->if_drops);
		else
			csv_empty(w);
		if (in->os_drops_known)
			csv_u64(w, in->os_drops);
		else
			csv_empty(w);
		csv_u64(w, in->malformed);
		csv_row_end(w);
	}
}

static void t_quality_malformed(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {"input", "kind", "count", "first_position", NULL};
	const tl_quality_model_t *q = &f->quality;
	csv_head(w, head);
	for (size_t i = 0; i < q->n_inputs; i++) {
		const tl_quality_input_t *in = &q->inputs[i];
		for (size_t k = 0; k < in->n_anomalies; k++) {
			const tl_quality_anomaly_t *a = &in->anomalies[k];
			csv_str(w, in->label);
			csv_str(w, a->kind);
			csv_u64(w, a->count);
			if (a->n_first)
				csv_u64(w, a->first[0]);
			else
				csv_empty(w);
			csv_row_end(w);
		}
	}
}

/* ---- profile: organisations and sources ---------------------------------------------- */

/* count, total_lookups, share, ci_low, ci_high, ci_level, design_effect */
static void share_cells(csv_t *w, const tl_profile_model_t *p, const tl_prof_count_t *c)
{
	csv_u64(w, c->count);
	csv_u64(w, p->n_lookups);
	csv_num(w, c->share);
	csv_num(w, c->lo);
	csv_num(w, c->hi);
	csv_num(w, 1.0 - p->alpha);
	csv_num(w, c->deff);
}

/* time, input, position of a record; the last two cells empty when ts is TL_TIME_NONE */
static void when_cells(csv_t *w, int64_t ts, const char *input, uint64_t pos)
{
	csv_time(w, ts);
	if (ts == TL_TIME_NONE) {
		csv_empty(w);
		csv_empty(w);
		return;
	}
	csv_str(w, input);
	csv_u64(w, pos);
}

static void sighting_cells(csv_t *w, const tl_prof_sighting_t *s)
{
	when_cells(w, s->ts, s->label, s->pos);
}

static void t_organisations(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"organisation", "display_zone", "display_zone_loaded", "sources", "lookups",
		"total_lookups", "share", "ci_low", "ci_high", "ci_level", "design_effect",
		"first_lookup_utc", "first_lookup_input", "first_lookup_position",
		"last_lookup_utc", "last_lookup_input", "last_lookup_position", "active_days",
		NULL};
	const tl_profile_model_t *p = &f->profile;
	csv_head(w, head);
	for (size_t i = 0; i < p->n_orgs; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		csv_str(w, o->name);
		csv_str(w, o->tz && *o->tz ? o->tz : "UTC");
		csv_bool(w, o->tz_ok);
		csv_u64(w, o->n_sources);
		share_cells(w, p, &o->lookups);
		sighting_cells(w, &o->first);
		sighting_cells(w, &o->last);
		csv_u64(w, o->active_days);
		csv_row_end(w);
	}
}

static void t_sources(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"source_address", "ptr_name", "organisation", "network", "asn", "lookups",
		"total_lookups", "share", "ci_low", "ci_high", "ci_level", "design_effect",
		"first_lookup_utc", "first_lookup_input", "first_lookup_position",
		"last_lookup_utc", "last_lookup_input", "last_lookup_position", "active_days",
		NULL};
	const tl_profile_model_t *p = &f->profile;
	csv_head(w, head);
	for (size_t i = 0; i < p->n_sources; i++) {
		const tl_prof_source_t *s = &p->sources[i];
		const tl_ctx_source_t *cs =
			s->source < f->ctx.n_sources ? &f->ctx.sources[s->source] : NULL;
		const tl_findings_source_t *a =
			f->source_attr && s->source < f->ctx.n_sources ? &f->source_attr[s->source]
								       : NULL;
		csv_str(w, s->addr_text);
		csv_str(w, cs && cs->ptr && *cs->ptr ? cs->ptr : NULL);
		csv_str(w, s->org_name);
		csv_str(w, a && a->network && *a->network ? a->network : NULL);
		if (a && a->has_asn)
			csv_u64(w, a->asn);
		else
			csv_empty(w);
		share_cells(w, p, &s->lookups);
		sighting_cells(w, &s->first);
		sighting_cells(w, &s->last);
		csv_u64(w, s->active_days);
		csv_row_end(w);
	}
}

/* ---- baseline ------------------------------------------------------------------------ */

static const char *group_code(int g)
{
	switch (g) {
	case TL_BASELINE_GROUP_TARGET_IP:
		return "target_address";
	case TL_BASELINE_GROUP_ZONE:
		return "zone";
	default:
		return "other";
	}
}

static void baseline_row(csv_t *w, const tl_baseline_model_t *m, const char *name,
			 const char *group, const uint64_t *names_seen,
			 const tl_baseline_measures_t *x)
{
	csv_str(w, name);
	csv_str(w, group);
	if (names_seen)
		csv_u64(w, *names_seen);
	else
		csv_empty(w);
	csv_u64(w, x->lookups);
	csv_str(w, m->counting == TL_BASELINE_COUNT_RAW ? "sightings" : "lookups");
	csv_u64(w, x->sightings);
	csv_u64(w, x->n_sources);
	int any = x->lookups > 0;
	/* the largest entity: a named organisation, or an address without one */
	if (any && x->top_org < m->n_orgs) {
		csv_str(w, m->org_names[x->top_org]);
		csv_empty(w);
	} else if (any) {
		csv_empty(w);
		csv_addr(w, &x->top_org_addr);
	} else {
		csv_empty(w);
		csv_empty(w);
	}
	if (any) {
		csv_u64(w, x->top_org_count);
		csv_num(w, x->top_org_share);
		csv_num(w, x->org_hhi);
		csv_addr(w, &x->top_source);
		csv_u64(w, x->top_source_count);
		csv_num(w, x->top_source_share);
		csv_num(w, x->hhi);
	} else {
		for (int k = 0; k < 7; k++)
			csv_empty(w);
	}
	csv_time(w, any ? x->first_ts : TL_TIME_NONE);
	csv_time(w, any ? x->last_ts : TL_TIME_NONE);
	csv_row_end(w);
}

static void t_baseline(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"name", "group", "target_names_seen", "count", "count_unit", "sightings",
		"sources", "top_organisation", "top_organisation_address", "top_organisation_count",
		"top_organisation_share", "organisation_hhi", "top_source_address",
		"top_source_count", "top_source_share", "source_hhi", "first_sighting_utc",
		"last_sighting_utc", NULL};
	const tl_baseline_model_t *m = &f->baseline;
	csv_head(w, head);
	if (m->has_target)
		baseline_row(w, m, NULL, "target", &m->target.n_names_seen, &m->target.m);
	/* every name (the PDF lists the first few) */
	for (size_t i = 0; i < m->n_names; i++)
		baseline_row(w, m, m->names[i].name, group_code(m->names[i].group), NULL,
			     &m->names[i].m);
}

/* ---- events -------------------------------------------------------------------------- */

static const char *status_code(int s)
{
	switch (s) {
	case TL_CORRELATE_TESTABLE:
		return "tested";
	case TL_CORRELATE_NO_COVERAGE:
		return "no_coverage";
	case TL_CORRELATE_NO_BASELINE:
		return "no_baseline";
	case TL_CORRELATE_SPANS_CHANGE:
		return "spans_change";
	case TL_CORRELATE_FEW_REFERENCE:
		return "few_reference";
	case TL_CORRELATE_NO_DISPERSION:
		return "no_dispersion";
	default:
		return "not_tested";
	}
}

static void t_events(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"event", "label", "category", "window_start_utc", "window_end_utc", "observed",
		"expected", "rate_ratio", "ci_low", "ci_high", "ci_level", "p_one_sided", "p_holm",
		"p_bh", "correction", "alpha", "significant", "status", NULL};
	const tl_correlate_model_t *m = &f->correlate;
	csv_head(w, head);
	if (!f->has_correlate)
		return;
	const char *corr = m->settings.correction == TL_CORRELATE_BH ? "bh" : "holm";
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_test_t *t = &m->tests[i];
		const tl_correlate_event_t *e = t->event < m->n_events ? &m->events[t->event] : NULL;
		int tested = t->status == TL_CORRELATE_TESTABLE;
		csv_u64(w, (uint64_t)t->event + 1);
		csv_str(w, e ? e->label : NULL);
		csv_str(w, e && e->category && *e->category ? e->category : NULL);
		csv_time(w, e ? e->win_start : TL_TIME_NONE);
		csv_time(w, e ? e->win_end : TL_TIME_NONE);
		csv_u64(w, t->observed);
		csv_num(w, t->expected);
		csv_num(w, tested ? t->rr : NAN);
		csv_num(w, tested ? t->rr_lo : NAN);
		csv_num(w, tested ? t->rr_hi : NAN);
		csv_num(w, m->ci_level);
		csv_num(w, tested ? t->p : NAN);
		csv_num(w, tested ? t->p_holm : NAN);
		csv_num(w, tested ? t->p_bh : NAN);
		csv_str(w, corr);
		csv_num(w, m->settings.alpha);
		if (tested)
			csv_bool(w, t->significant);
		else
			csv_empty(w);
		csv_str(w, status_code(t->status));
		csv_row_end(w);
	}
}

/* ---- manifest ------------------------------------------------------------------------ */

static void t_manifest(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"label", "path", "format", "compression", "size_bytes", "sha256",
		"first_record_utc", "last_record_utc", "dns_messages", NULL};
	const tl_ctx_t *x = &f->ctx;
	csv_head(w, head);
	for (size_t i = 0; i < x->n_inputs; i++) {
		const tl_ctx_input_t *in = &x->inputs[i];
		csv_str(w, in->label);
		csv_str(w, in->path);
		csv_str(w, tl_format_name(in->info.format));
		csv_str(w, in->info.gzip ? "gzip" : "none");
		csv_u64(w, in->info.size);
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(in->info.sha256, hex);
		csv_str(w, hex);
		/* as recorded in the file, before the case's clock correction */
		csv_time(w, in->info.stats.first_ts);
		csv_time(w, in->info.stats.last_ts);
		csv_u64(w, in->info.stats.messages);
		csv_row_end(w);
	}
}

/* ---- names --------------------------------------------------------------------------- */

/* the same for a names reference; empty cells when has is 0 */
static void ref_cells(csv_t *w, int has, const tl_names_ref_t *r)
{
	when_cells(w, has ? r->ts : TL_TIME_NONE, r->file, r->pos);
}

static void t_names(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"name", "under_examination", "first_message_utc", "last_message_utc", "queries",
		"responses", "last_success_utc", "last_success_input", "last_success_position",
		"failure_rcode", "failure_rcode_name", "failure_utc", "failure_input",
		"failure_position", "failure_exact", "first_lookup_utc", "first_lookup_input",
		"first_lookup_position", "first_querier", "first_querier_organisation",
		"successors", NULL};
	const tl_names_model_t *m = &f->names;
	csv_head(w, head);
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		csv_str(w, nm->name);
		csv_bool(w, nm->target);
		csv_time(w, nm->first_seen);
		csv_time(w, nm->last_seen);
		csv_u64(w, nm->queries);
		csv_u64(w, nm->responses);
		ref_cells(w, nm->has_success, &nm->last_success);
		if (nm->has_failure_after) {
			csv_u64(w, nm->failure_rcode);
			char rb[16];
			csv_str(w, tl_rcode_name(nm->failure_rcode, rb));
		} else {
			csv_empty(w);
			csv_empty(w);
		}
		ref_cells(w, nm->has_failure_after, &nm->failure_after);
		if (nm->has_failure_after)
			csv_bool(w, nm->failure_exact);
		else
			csv_empty(w);
		ref_cells(w, nm->has_first_query, &nm->first_query);
		if (nm->has_first_query) {
			csv_addr(w, &nm->querier);
			csv_str(w, nm->querier_org);
		} else {
			csv_empty(w);
			csv_empty(w);
		}
		csv_u64(w, nm->n_successors);
		csv_row_end(w);
	}
}

static void t_name_successors(const tl_findings_t *f, csv_t *w)
{
	static const char *const head[] = {
		"name", "successor", "address", "first_answer_utc", "first_answer_input",
		"first_answer_position", NULL};
	const tl_names_model_t *m = &f->names;
	csv_head(w, head);
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		for (size_t s = 0; s < nm->n_successors; s++) {
			const tl_names_binding_t *b = &nm->successors[s];
			csv_str(w, nm->name);
			csv_str(w, b->name);
			csv_addr(w, &b->addr);
			ref_cells(w, 1, &b->first);
			csv_row_end(w);
		}
	}
}

/* ---- dispatch ------------------------------------------------------------------------ */

typedef struct csv_table {
	const char *name;
	void (*write)(const tl_findings_t *f, csv_t *w);
} csv_table_t;

/* The tables in the order they are written; file stem and writer. */
#define CSV_TABLES(X)                                                                          \
	X("quality", t_quality)                                                                \
	X("quality-malformed", t_quality_malformed)                                            \
	X("organisations", t_organisations)                                                    \
	X("sources", t_sources)                                                                \
	X("baseline", t_baseline)                                                              \
	X("events", t_events)                                                                  \
	X("names", t_names)                                                                    \
	X("name-successors", t_name_successors)                                                \
	X("manifest", t_manifest)

#define AS_TABLE(n, fn) {n, fn},
#define AS_NAME(n, fn) n,
static const csv_table_t tables[] = {CSV_TABLES(AS_TABLE)};
static const char *const table_names[] = {CSV_TABLES(AS_NAME) NULL};

const char *const *tl_report_csv_names(void)
{
	return table_names;
}

int tl_report_csv(const tl_findings_t *f, const char *name, tl_buf_t *out)
{
	if (!f || !name || !out)
		return TL_EINVAL;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (strcmp(tables[i].name, name) == 0) {
			csv_t w = {out, 0};
			tables[i].write(f, &w);
			return TL_OK;
		}
	return TL_ENOENT;
}
