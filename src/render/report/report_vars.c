/* report_vars.c - the report template's placeholder values (templates/README.md), each
 * selected from the findings model and formatted for reading. Nothing here computes a
 * figure: counts, shares, intervals, ranks and p-values are the model's own; where the
 * model has no value for a placeholder the text says so ("not recorded") instead of
 * guessing. Times are shown in the case's display zone, with the zone named. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "case/events.h"
#include "input/input.h"
#include "input/capture/net.h"
#include "render/fmt.h"
#include "render/report/report.h"
#include "util/error.h"
#include "util/idna.h"
#include "util/time.h"
#include "util/tz.h"

/* Wording for a value the findings do not hold (listed for the model's maintainers). */
#define NOT_RECORDED "not recorded in the findings"

typedef struct vctx {
	const tl_findings_t *f;
	const tl_case_t *c;
	tl_tvars_t *v;
	const tl_lang_t *L;
	const char *zone; /* display zone; "UTC" for UTC */
	int utc;          /* the display zone is UTC */
	double level;     /* confidence level of the shares' intervals (1 - alpha) */
	tl_buf_t b;       /* scratch: the value being built */
} vctx_t;

/* Sets key to the scratch buffer's text and empties it. */
static void put(vctx_t *x, tl_tvars_t *v, const char *key)
{
	tl_tvars_set(v, key, x->b.data ? x->b.data : "");
	tl_buf_clear(&x->b);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* A DNS name for prose: without the root's trailing dot (which reads as a full stop); an
 * internationalised name as "U-label (A-label)" (util/idna.h). */
static void put_name(tl_buf_t *b, const char *name)
{
	size_t n = strlen(name);
	if (n > 1 && name[n - 1] == '.')
		n--;
	tl_idna_display(name, n, b);
}

/* Joins items in words: "a", "a and b", "a, b and c". */
static void put_and(tl_buf_t *b, size_t i, size_t n)
{
	if (i == 0)
		return;
	tl_buf_puts(b, i + 1 == n ? " and " : ", ");
}

/* A time in the display zone with the zone named; beside it UTC when the zone is not UTC:
 * "2016-05-04 09:10 Europe/Moscow (06:10 UTC)". */
static void put_time(vctx_t *x, int64_t us)
{
	if (us == TL_TIME_NONE) {
		tl_buf_puts(&x->b, "not recorded");
		return;
	}
	tl_civil_t cv;
	if (x->utc || tl_tz_civil(x->zone, us, &cv) != TL_OK) {
		tl_fmt_time(&x->b, us, TL_DATETIME_ISO, x->L);
		return;
	}
	tl_fmt_civil(&x->b, &cv, TL_DATETIME_ISO, x->zone, x->L);
	tl_buf_puts(&x->b, " (");
	tl_fmt_time(&x->b, us, TL_DATETIME_ISO, x->L);
	tl_buf_puts(&x->b, ")");
}

/* "frame 123" or "line 123" of an input, by its format. */
static void put_pos(vctx_t *x, uint32_t input, const char *label, uint64_t pos)
{
	const tl_ctx_t *ctx = &x->f->ctx;
	int lines = 0;
	if (input < ctx->n_inputs) {
		tl_format_t fm = ctx->inputs[input].info.format;
		lines = fm != TL_FORMAT_PCAP && fm != TL_FORMAT_PCAPNG;
		if (!label)
			label = ctx->inputs[input].label;
	}
	tl_buf_printf(&x->b, "%s, %s ", label ? label : "input", lines ? "line" : "frame");
	tl_fmt_uint(&x->b, pos, x->L);
}

/* ---- case, report, organisation, examiners ---- */

static void case_vars(vctx_t *x)
{
	const tl_case_t *c = x->c;
	tl_tvars_set(x->v, "case.title", or_empty(c->title));
	tl_tvars_set(x->v, "case.number", or_empty(c->number));
	tl_tvars_set(x->v, "case.exhibit", or_empty(c->exhibit));
	tl_tvars_set(x->v, "case.requester", or_empty(c->requester));
	/* The case file has no key for further limitations: none are stated. */
	tl_tvars_set(x->v, "case.limitations", "");

	tl_tvars_set_list(x->v, "examiners");
	for (size_t i = 0; i < c->n_examiners; i++) {
		tl_tvars_t *e = tl_tvars_add_item(x->v, "examiners");
		tl_tvars_set(e, "name", c->examiners[i]);
		tl_tvars_set(e, "role", c->examiner_role ? c->examiner_role : "role not stated");
	}

	tl_tvars_set(x->v, "org.name", or_empty(c->organisation));
	/* Neither a logo nor a disclaimer is in the case model: left empty (not shown). */
	tl_tvars_set(x->v, "org.logo", "");
	tl_tvars_set(x->v, "org.disclaimer", "");

	/* A date, not a time: the calendar date written in the case file (00:00 UTC). */
	if (c->has_report_date)
		tl_fmt_time(&x->b, c->report_date_us, TL_DATE_LONG, x->L);
	else
		tl_buf_puts(&x->b, NOT_RECORDED);
	put(x, x->v, "report.date");
	tl_fmt_uint(&x->b, c->version, x->L);
	put(x, x->v, "report.version");
	tl_tvars_set_bool(x->v, "report.supplemental", c->supplemental);
	tl_tvars_set(x->v, "report.supersedes", "(its ID is " NOT_RECORDED ")");
	/* The report ID is the manifest hash, which the findings do not hold; the assembler
	 * knows it (tl_report_opts_t.report_id) and replaces this value. */
	tl_tvars_set(x->v, "report.id", NOT_RECORDED);
	tl_tvars_set(x->v, "report.local_zone", x->utc ? "" : x->zone);
}

/* ---- the target and its lookups (summary) ---- */

static void target_vars(vctx_t *x)
{
	const tl_case_t *c = x->c;
	const tl_findings_t *f = x->f;
	size_t parts = (c->n_names > 0) + (c->n_suffixes > 0) + (c->n_ips > 0), part = 0;
	if (c->n_names > 0) {
		for (size_t i = 0; i < c->n_names; i++) {
			put_and(&x->b, i, c->n_names);
			put_name(&x->b, c->names[i]);
		}
		part++;
	}
	if (c->n_suffixes > 0) {
		put_and(&x->b, part, parts);
		tl_buf_puts(&x->b, "names at or below ");
		for (size_t i = 0; i < c->n_suffixes; i++) {
			put_and(&x->b, i, c->n_suffixes);
			put_name(&x->b, c->suffixes[i]);
		}
		part++;
	}
	if (c->n_ips > 0) {
		put_and(&x->b, part, parts);
		tl_buf_puts(&x->b, "names seen resolving to ");
		for (size_t i = 0; i < c->n_ips; i++) {
			char a[TL_ADDR_STR_LEN];
			put_and(&x->b, i, c->n_ips);
			tl_addr_format(&c->ips[i], a);
			tl_buf_puts(&x->b, a);
		}
		if (f->n_target_names_resolved > 0) {
			tl_buf_puts(&x->b, " (");
			for (size_t i = 0; i < f->n_target_names_resolved; i++) {
				put_and(&x->b, i, f->n_target_names_resolved);
				put_name(&x->b, f->target_names_resolved[i]);
			}
			tl_buf_puts(&x->b, ")");
		}
	}
	put(x, x->v, "target.names");

	const tl_profile_model_t *p = &f->profile;
	tl_fmt_uint(&x->b, p->n_lookups, x->L);
	put(x, x->v, "lookups.unique");
	put_time(x, p->n_lookups ? p->first.ts : TL_TIME_NONE);
	put(x, x->v, "lookups.first");
	put_time(x, p->n_lookups ? p->last.ts : TL_TIME_NONE);
	put(x, x->v, "lookups.last");

	tl_fmt_uint(&x->b, p->n_sources, x->L);
	put(x, x->v, "sources.count");

	/* Organisations named by attribution; the catch-all for addresses no source
	 * attributes (method "none") is not an organisation and is said apart. */
	uint64_t named = 0, un_sources = 0, un_lookups = 0;
	for (size_t i = 0; i < p->n_orgs; i++) {
		const tl_prof_org_t *o = &p->orgs[i];
		int none = o->org < f->ctx.n_orgs && strcmp(f->ctx.orgs[o->org].method, "none") == 0;
		if (none) {
			un_sources += o->n_sources;
			un_lookups += o->lookups.count;
		} else {
			named++;
		}
	}
	tl_fmt_uint(&x->b, named, x->L);
	put(x, x->v, "organisations.count");
	if (un_sources > 0) {
		tl_fmt_uint(&x->b, un_sources, x->L);
		tl_buf_puts(&x->b, " of the addresses, with ");
		tl_fmt_uint(&x->b, un_lookups, x->L);
		tl_buf_puts(&x->b, un_lookups == 1 ? " lookup, " : " lookups, ");
		tl_buf_puts(&x->b, "could not be attributed to an organisation");
		put(x, x->v, "organisations.unattributed");
	}
}

/* ---- profile: the leading organisation and the top k ---- */

static void profile_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_profile_model_t *p = &f->profile;
	const tl_prof_org_t *top = NULL;
	if (p->n_orgs > 0 && p->orgs[0].lookups.count > 0) {
		const tl_prof_org_t *o = &p->orgs[0];
		int none = o->org < f->ctx.n_orgs && strcmp(f->ctx.orgs[o->org].method, "none") == 0;
		if (!none)
			top = o;
	}
	if (top) {
		tl_tvars_set(x->v, "profile.top_org.name", top->name);
		tl_fmt_count_pct_ci(&x->b, top->lookups.count, top->lookups.share, top->lookups.lo,
				    top->lookups.hi, x->level, 1, x->L);
		put(x, x->v, "profile.top_org.lookups_share_ci");
		/* the networks its sources were attributed through, in the sources' order */
		size_t nnet = 0;
		for (size_t i = 0; i < p->n_sources; i++) {
			const tl_prof_source_t *s = &p->sources[i];
			if (s->org != top->org || s->source >= f->ctx.n_sources)
				continue;
			const char *net = f->source_attr[s->source].network;
			if (!net || !net[0])
				continue;
			int seen = 0;
			for (size_t k = 0; k < i && !seen; k++) {
				const tl_prof_source_t *t = &p->sources[k];
				seen = t->org == top->org && t->source < f->ctx.n_sources &&
				       strcmp(f->source_attr[t->source].network, net) == 0;
			}
			if (seen)
				continue;
			if (nnet++)
				tl_buf_puts(&x->b, ", ");
			tl_buf_puts(&x->b, net);
		}
		if (nnet == 0)
			tl_buf_puts(&x->b, "network " NOT_RECORDED);
		put(x, x->v, "profile.top_org.networks");
	} else {
		tl_tvars_set(x->v, "profile.top_org.name", "");
		tl_tvars_set(x->v, "profile.top_org.lookups_share_ci", "");
		tl_tvars_set(x->v, "profile.top_org.networks", "");
	}

	/* "The k most active organisations together": only when there are more than k. */
	const tl_prof_conc_t *oc = &p->org_conc;
	if (oc->k >= 1 && oc->n > oc->k && !isnan(oc->top_k_share)) {
		tl_fmt_uint(&x->b, oc->k, x->L);
		put(x, x->v, "profile.top_k.count");
		/* the model holds no interval for this share */
		tl_fmt_pct(&x->b, oc->top_k_share, 1, x->L);
		tl_buf_puts(&x->b, " (no interval is recorded for this figure)");
		put(x, x->v, "profile.top_k.share_ci");
	} else {
		tl_tvars_set(x->v, "profile.top_k.count", "");
		tl_tvars_set(x->v, "profile.top_k.share_ci", "");
	}
}

/* ---- resolver behaviour ---- */

static void res_share(vctx_t *x, const tl_res_count_t *c, uint64_t n, const char *key)
{
	if (x->f->resolver.ttl_s <= 0) {
		tl_buf_puts(&x->b, "not classified (the time-to-live is not known)");
	} else if (n == 0) {
		tl_buf_puts(&x->b, "none (no source made two or more lookups)");
	} else {
		tl_fmt_count_pct_ci(&x->b, c->count, c->share, c->lo, c->hi,
				    1.0 - x->f->resolver.alpha, 1, x->L);
		tl_buf_puts(&x->b, " of ");
		tl_fmt_uint(&x->b, n, x->L);
	}
	put(x, x->v, key);
}

static void resolver_vars(vctx_t *x)
{
	const tl_resolver_model_t *r = &x->f->resolver;
	/* Empty when unknown, so the summary's "@if resolver.ttl" leaves the sentence out. */
	if (r->ttl_s > 0) {
		tl_fmt_duration(&x->b, r->ttl_s * TL_US_PER_SEC, x->L);
		if (r->ttl_method && strcmp(r->ttl_method, "case") == 0) {
			tl_buf_puts(&x->b, " (as set in the case file)");
		} else if (r->ttl_method && strcmp(r->ttl_method, "answers") == 0) {
			tl_buf_puts(&x->b, " (taken from ");
			tl_fmt_uint(&x->b, x->f->ttl_answers, x->L);
			tl_buf_puts(&x->b, x->f->ttl_answers == 1 ? " answer in the evidence)"
							      : " answers in the evidence)");
		}
	}
	put(x, x->v, "resolver.ttl");
	/* Empty unless some classified interval followed a negative answer. */
	if (r->ttl_s > 0 && r->classes.negative > 0) {
		tl_fmt_duration(&x->b, (int64_t)r->neg_ttl_min_s * TL_US_PER_SEC, x->L);
		if (r->neg_ttl_max_s != r->neg_ttl_min_s) {
			tl_buf_puts(&x->b, " to ");
			tl_fmt_duration(&x->b, (int64_t)r->neg_ttl_max_s * TL_US_PER_SEC, x->L);
		}
		tl_buf_puts(&x->b, " (from the answers' SOA records; ");
		tl_fmt_uint(&x->b, r->classes.negative, x->L);
		tl_buf_puts(&x->b, r->classes.negative == 1 ? " interval followed such an answer)"
							   : " intervals followed such an answer)");
	}
	put(x, x->v, "resolver.negative_ttl");
	res_share(x, &r->classes.inside, r->classes.n, "resolver.inside_ttl.share_ci");
	res_share(x, &r->classes.periodic, r->classes.n, "resolver.periodic.share_ci");
	tl_fmt_duration(&x->b, r->tolerance_s * TL_US_PER_SEC, x->L);
	put(x, x->v, "resolver.tolerance");
	/* Empty when every interval was classified. */
	if (r->ttl_s > 0 && (r->classes.spans_gap > 0 || r->classes.ttl_unknown > 0)) {
		tl_fmt_uint(&x->b, r->classes.spans_gap + r->classes.ttl_unknown, x->L);
		tl_buf_puts(&x->b, " of ");
		tl_fmt_uint(&x->b, r->classes.intervals, x->L);
		tl_buf_puts(&x->b, " intervals: ");
		if (r->classes.spans_gap > 0) {
			tl_fmt_uint(&x->b, r->classes.spans_gap, x->L);
			tl_buf_puts(&x->b, " contain time when no sensor recorded anything (a lookup "
					   "then would not have been seen)");
		}
		if (r->classes.spans_gap > 0 && r->classes.ttl_unknown > 0)
			tl_buf_puts(&x->b, ", and ");
		if (r->classes.ttl_unknown > 0) {
			tl_fmt_uint(&x->b, r->classes.ttl_unknown, x->L);
			tl_buf_puts(&x->b, " follow a lookup whose answer, or its caching time, is not "
					   "in the evidence");
		}
	}
	put(x, x->v, "resolver.not_classified");
	tl_fmt_uint(&x->b, r->n_breaks, x->L);
	tl_buf_puts(&x->b, " (looked for in sources with at least ");
	tl_fmt_uint(&x->b, r->min_lookups, x->L);
	tl_buf_puts(&x->b, " lookups)");
	put(x, x->v, "resolver.fingerprint_breaks");
}

/* ---- baseline ---- */

static void baseline_vars(vctx_t *x)
{
	const tl_baseline_model_t *m = &x->f->baseline;
	int raw = m->counting == TL_BASELINE_COUNT_RAW;
	tl_fmt_uint(&x->b, m->n_names, x->L);
	put(x, x->v, "baseline.names");
	tl_fmt_uint(&x->b, m->min_lookups, x->L);
	put(x, x->v, "baseline.min_lookups");
	/* how the baselines counted: one sentence */
	if (raw)
		tl_buf_puts(&x->b, "query records, where a lookup seen by several sensors counts "
				   "once for each, for these names and for the names under "
				   "examination alike (the evidence held more records than are kept "
				   "for de-duplication); each address without an attributed "
				   "organisation counts as an organisation of its own");
	else
		tl_buf_puts(&x->b, "lookups, de-duplicated across sensors by the same rule as for "
				   "the names under examination; each address without an attributed "
				   "organisation counts as an organisation of its own");
	put(x, x->v, "baseline.counting");
	if (m->has_target && m->target.m.lookups > 0) {
		const tl_baseline_measures_t *t = &m->target.m;
		tl_fmt_pct(&x->b, t->top_org_share, 1, x->L);
		tl_buf_puts(&x->b, " (");
		if (t->top_org < m->n_orgs) {
			tl_buf_puts(&x->b, m->org_names[t->top_org]);
		} else {
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&t->top_org_addr, a);
			tl_buf_puts(&x->b, "the unattributed address ");
			tl_buf_puts(&x->b, a);
		}
		tl_buf_puts(&x->b, "; counted over ");
		tl_fmt_uint(&x->b, t->lookups, x->L);
		tl_buf_puts(&x->b, raw ? " query records)" : " lookups)");
	} else {
		tl_buf_puts(&x->b, "not available (no lookups of the names under examination)");
	}
	put(x, x->v, "baseline.top_org_share");
	double rk = m->target.rank_top_org_share;
	if (!m->has_target || isnan(rk) || m->n_names == 0) {
		tl_buf_puts(&x->b, "none (no names could be compared)");
	} else {
		tl_fmt_pct(&x->b, rk, 0, x->L);
		if (rk != 0.0 && rk != 1.0)
			tl_buf_puts(&x->b, " (names with an equal share counted as half)");
	}
	put(x, x->v, "baseline.top_org_share_percentile");
	/* the stability of that rank; empty when there is none to state */
	const tl_baseline_interval_t *io = &m->target.ci_top_org_share;
	if (m->has_target && !isnan(rk) && m->n_names > 0 && !isnan(io->lo)) {
		tl_buf_puts(&x->b, "with the ");
		tl_fmt_uint(&x->b, m->bootstrap_days, x->L);
		tl_buf_puts(&x->b, m->bootstrap_days == 1 ? " day" : " days");
		tl_buf_puts(&x->b, " of lookups resampled (bootstrap, ");
		tl_fmt_uint(&x->b, m->bootstrap_reps, x->L);
		tl_buf_puts(&x->b, " replicates, seed ");
		tl_buf_u64(&x->b, m->bootstrap_seed);
		tl_buf_puts(&x->b, "), the ");
		tl_fmt_level(&x->b, 1.0 - m->alpha, x->L);
		tl_buf_puts(&x->b, " range of that share is ");
		tl_fmt_pct(&x->b, io->lo, 1, x->L);
		tl_buf_puts(&x->b, " to ");
		tl_fmt_pct(&x->b, io->hi, 1, x->L);
		if (io->rank_lo == io->rank_hi) {
			tl_buf_puts(&x->b, ", and over that whole range it is larger than for ");
			tl_fmt_pct(&x->b, io->rank_lo, 0, x->L);
		} else {
			tl_buf_puts(&x->b, ", and it is larger than for ");
			tl_fmt_pct(&x->b, io->rank_lo, 0, x->L);
			tl_buf_puts(&x->b, " to ");
			tl_fmt_pct(&x->b, io->rank_hi, 0, x->L);
		}
		tl_buf_puts(&x->b, " of the names compared");
	}
	put(x, x->v, "baseline.stability");
	if (m->n_excluded > 0) {
		tl_fmt_uint(&x->b, m->n_excluded, x->L);
		tl_buf_puts(&x->b, m->n_excluded == 1 ? " name" : " names");
		tl_buf_puts(&x->b, " with enough lookups (");
		tl_fmt_uint(&x->b, m->n_excluded_successor, x->L);
		tl_buf_puts(&x->b, m->n_excluded_successor == 1 ? " successor" : " successors");
		tl_buf_puts(&x->b, " of a name under examination, ");
		tl_fmt_uint(&x->b, m->n_excluded_shared_addr, x->L);
		tl_buf_puts(&x->b, m->n_excluded_shared_addr == 1 ? " name" : " names");
		tl_buf_puts(&x->b, " that resolved to one of its addresses), because the same users "
				   "may stand behind them");
	}
	put(x, x->v, "baseline.excluded");
}

/* ---- events ---- */

static const char *perm_reason(int reason)
{
	switch (reason) {
	case TL_CORRELATE_PERM_SHORT_SPAN: return "the data span is shorter than one week";
	case TL_CORRELATE_PERM_NO_EVENT: return "no event window lies in the whole weeks of data";
	case TL_CORRELATE_PERM_NO_COVERED: return "the event windows hold no time with data";
	case TL_CORRELATE_PERM_NO_DRAWS: return "no permutations were requested";
	default: return "the reason is " NOT_RECORDED;
	}
}

/* "k of n (p%, 95% CI lo–hi%)" for a measured rate. */
static void put_rate(vctx_t *x, const tl_validation_rate_t *r)
{
	if (r->n == 0) {
		tl_buf_puts(&x->b, "not measured");
		return;
	}
	tl_fmt_count_pct_ci(&x->b, r->k, (double)r->k / (double)r->n, r->lo, r->hi, 0.95, 1, x->L);
	tl_buf_puts(&x->b, " of ");
	tl_fmt_uint(&x->b, r->n, x->L);
}

/* A simulated scenario in words. */
static const char *scenario_words(const char *name)
{
	static const struct {
		const char *name, *words;
	} w[] = {
		{"null-stationary", "steady traffic"},
		{"null-sessions", "sessions and retries"},
		{"null-rename", "a rename the names finding shows"},
		{"null-rename-nohint", "a rename seen only in the counts"},
		{"null-trend", "a trend"},
		{"null-bursts", "bursts from one source"},
		{"null-gaps", "sensor outages"},
		{"null-two-sensors", "two sensors"},
		{"null-all", "all of these at once"},
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(w[i].name, name) == 0)
			return w[i].words;
	return name;
}

/* method.validation: the error rates measured for this version of the event test on
 * simulated cases with known truth (src/model/validation.h, docs/validation.md). */
static void validation_vars(vctx_t *x)
{
	const tl_validation_summary_t *vs = &x->f->validation;
	if (!vs->measured) {
		tl_buf_puts(&x->b, "The error rates of this version of the event test have not "
				   "been measured.");
		put(x, x->v, "method.validation");
		return;
	}
	tl_buf_puts(&x->b, "The event test's error rates were measured on simulated cases whose "
			   "truth is known (docs/validation.md; method version ");
	tl_buf_printf(&x->b, "%d", TL_CORRELATE_METHOD_VERSION);
	tl_buf_puts(&x->b, ", significance level ");
	tl_fmt_fixed(&x->b, vs->alpha, 2, x->L);
	tl_buf_puts(&x->b, "). In ");
	tl_fmt_uint(&x->b, vs->null_all.n, x->L);
	tl_buf_puts(&x->b, " simulated cases with no effect at all (");
	tl_fmt_uint(&x->b, vs->null_kinds, x->L);
	tl_buf_puts(&x->b, " kinds: steady traffic, sessions and retries, a rename with and "
			   "without the names finding, a trend, bursts from one source, sensor "
			   "outages, two sensors, and all of these at once), the procedure called "
			   "at least one of 8 events significant in ");
	put_rate(x, &vs->null_all);
	tl_buf_puts(&x->b, " cases; in the least favourable kind (");
	tl_buf_puts(&x->b, vs->worst ? scenario_words(vs->worst) : "none");
	tl_buf_puts(&x->b, ") in ");
	put_rate(x, &vs->null_worst);
	tl_buf_puts(&x->b, ". Where 3 of 8 events had a real effect and the name was renamed, it "
			   "found a threefold rise in ");
	put_rate(x, &vs->effect[2]);
	tl_buf_puts(&x->b, " events, a twofold rise in ");
	put_rate(x, &vs->effect[1]);
	tl_buf_puts(&x->b, ", and a rise by half in ");
	put_rate(x, &vs->effect[0]);
	tl_buf_puts(&x->b, ". A rise that is not found is not shown to be absent.");
	put(x, x->v, "method.validation");
}

/* A tested window whose rise shows with every source (p below alpha over the tests, the
 * Bonferroni level) and not without the source contributing most: it rests on one source. */
static int rests_on_one_source(const tl_correlate_model_t *m, const tl_correlate_test_t *t)
{
	double thr = m->settings.alpha / (double)(m->n_testable ? m->n_testable : 1);
	return t->p_all_sources < thr && !(t->p < thr);
}

/* events.check_*: each assumption of the event test as the data bear it out, in words. */
static void events_checks(vctx_t *x, const tl_correlate_model_t *m)
{
	/* regimes */
	if (m->n_regimes <= 1) {
		tl_buf_puts(&x->b, "No name under examination stopped resolving or was replaced "
				   "in the period, and the weekly counts showed no change of level");
		for (size_t i = 0; i < m->n_cptests && i < 1; i++) {
			tl_buf_puts(&x->b, " (change-point test p ");
			tl_fmt_p(&x->b, m->cptests[i].p, 3, x->L);
			tl_buf_puts(&x->b, ")");
		}
		tl_buf_puts(&x->b, ": every window was compared with the weeks around it.");
	} else {
		tl_buf_puts(&x->b, "The period falls into ");
		tl_fmt_uint(&x->b, m->n_regimes, x->L);
		tl_buf_puts(&x->b, " regimes, and each window was compared only with its own: ");
		for (size_t i = 1; i < m->n_regimes; i++) {
			const tl_correlate_regime_t *r = &m->regimes[i];
			tl_buf_puts(&x->b, i > 1 ? "; " : "");
			if (r->start_kind == TL_CORRELATE_HINT_STOPPED) {
				put_name(&x->b, or_empty(r->start_name));
				tl_buf_puts(&x->b, " stopped resolving at ");
			} else if (r->start_kind == TL_CORRELATE_HINT_SUCCESSOR) {
				put_name(&x->b, or_empty(r->start_name));
				tl_buf_puts(&x->b, " first answered with a target address at ");
			} else {
				tl_buf_puts(&x->b, "the weekly count changed level from the week of ");
			}
			put_time(x, r->start);
			if (r->start_kind == TL_CORRELATE_HINT_CHANGEPOINT) {
				tl_buf_puts(&x->b, " (change-point test p ");
				tl_fmt_p(&x->b, r->start_p, 3, x->L);
				tl_buf_puts(&x->b, ")");
			}
		}
		tl_buf_puts(&x->b, ".");
	}
	put(x, x->v, "events.check_regimes");

	/* dispersion */
	const tl_correlate_dispersion_t *d = &m->dispersion;
	if (!isfinite(d->phi)) {
		tl_buf_puts(&x->b, "Too few placebo windows (");
		tl_fmt_uint(&x->b, d->placebos, x->L);
		tl_buf_puts(&x->b, ") to measure how much the counts vary: no event was given a "
				   "verdict.");
	} else {
		tl_buf_puts(&x->b, "In ");
		tl_fmt_uint(&x->b, d->placebos, x->L);
		tl_buf_puts(&x->b, " placebo windows (the event windows moved by whole weeks, where "
				   "no event is) the counts varied ");
		tl_fmt_fixed(&x->b, d->phi_hat, 2, x->L);
		tl_buf_puts(&x->b, " times as much as chance alone would make them vary");
		if (d->phi_hat > 1.0)
			tl_buf_puts(&x->b, "; the tests allow for that much");
		else
			tl_buf_puts(&x->b, " (regular lookups, as caching resolvers make them); "
					   "the tests still allow for the variation of chance, no "
					   "less");
		tl_buf_puts(&x->b, ". On average they held ");
		tl_fmt_fixed(&x->b, d->mean_ratio, 2, x->L);
		tl_buf_puts(&x->b, " times the lookups expected of them");
		tl_buf_puts(&x->b, fabs(d->mean_ratio - 1.0) <= 0.1
					   ? ", so the expected counts are not biased."
					   : "; the expected counts may be biased by that much, which the "
					     "report cannot correct.");
	}
	put(x, x->v, "events.check_dispersion");

	/* the windows' data */
	size_t partial = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_event_t *e = &m->events[i];
		const tl_correlate_test_t *t = &m->tests[i];
		double len = (double)(e->win_end - e->win_start) / 60e6;
		if (t->status != TL_CORRELATE_TESTABLE || !(e->covered_minutes < 0.99 * len))
			continue;
		tl_buf_puts(&x->b, partial++ ? "; " : "");
		tl_buf_printf(&x->b, "%s: ", or_empty(e->label));
		tl_fmt_duration(&x->b, (int64_t)llround(e->covered_minutes * 60e6), x->L);
		tl_buf_puts(&x->b, " of ");
		tl_fmt_duration(&x->b, e->win_end - e->win_start, x->L);
		tl_buf_puts(&x->b, " with data");
	}
	if (partial == 0)
		tl_buf_puts(&x->b, "Every tested window had data throughout.");
	else
		tl_buf_puts(&x->b, ". Only time with data counts, in the window and in its "
				   "reference.");
	put(x, x->v, "events.check_windows");

	/* one source, window width */
	size_t one = 0, flip = 0, sig = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_test_t *t = &m->tests[i];
		if (t->status != TL_CORRELATE_TESTABLE)
			continue;
		if (rests_on_one_source(m, t))
			one++;
		if (!t->significant)
			continue;
		sig++;
		for (size_t k = 0; k < TL_CORRELATE_SENS_FACTORS; k++) {
			const tl_correlate_test_t *st = &m->sens[i * TL_CORRELATE_SENS_FACTORS + k].test;
			if (st->status != TL_CORRELATE_TESTABLE || !(st->p < m->settings.alpha)) {
				flip++;
				break;
			}
		}
	}
	if (one == 0)
		tl_buf_puts(&x->b, "No window's rise rested on one source alone.");
	else {
		tl_fmt_uint(&x->b, one, x->L);
		tl_buf_puts(&x->b, one == 1 ? " window showed a rise that rests mostly on one source "
					      "(named in the table of events); it is not counted as "
					      "significant."
					    : " windows showed rises that rest mostly on one source each "
					      "(named in the table of events); they are not counted as "
					      "significant.");
	}
	put(x, x->v, "events.check_sources");
	if (sig == 0)
		tl_buf_puts(&x->b, "No event was significant, so no verdict depends on the width "
				   "of its window.");
	else if (flip == 0)
		tl_buf_puts(&x->b, "Every significant rise also shows (p below the significance "
				   "level, not adjusted) with the window's margins halved and doubled.");
	else {
		tl_fmt_uint(&x->b, flip, x->L);
		tl_buf_puts(&x->b, " of ");
		tl_fmt_uint(&x->b, sig, x->L);
		tl_buf_puts(&x->b, " significant rises do not show with the margins halved or "
				   "doubled: those verdicts depend on the width of the window.");
	}
	put(x, x->v, "events.check_width");
}

static void events_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_correlate_model_t *m = &f->correlate;
	int present = f->has_correlate && m->n_events > 0;
	tl_tvars_set_bool(x->v, "events.present", present);
	tl_tvars_set_list(x->v, "events.tests");
	if (!present) {
		tl_tvars_set(x->v, "events.permutation_p", "");
		tl_tvars_set(x->v, "events.permutations", "");
		return;
	}
	/* events.tests: one record per event tested; the events that could not be tested
	 * are listed in events.untested (set only when there are any). */
	size_t untested = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_event_t *e = &m->events[i];
		const tl_correlate_test_t *t = m->tests ? &m->tests[i] : NULL;
		if (t && t->status == TL_CORRELATE_TESTABLE)
			continue;
		tl_buf_puts(&x->b, untested++ ? "; " : "");
		tl_buf_printf(&x->b, "%s (", or_empty(e->label));
		put_time(x, e->win_start);
		tl_buf_puts(&x->b, " to ");
		put_time(x, e->win_end);
		tl_buf_puts(&x->b,
			    !t ? "): the test is " NOT_RECORDED
			    : t->status == TL_CORRELATE_NO_COVERAGE
				    ? "): the window holds no time with data"
			    : t->status == TL_CORRELATE_SPANS_CHANGE
				    ? "): the window spans a change of regime (the target name "
				      "stopped resolving, a successor appeared, or the rate of "
				      "lookups changed), so no time before or after it is like it"
			    : t->status == TL_CORRELATE_FEW_REFERENCE
				    ? "): its regime holds too little comparable time around it"
			    : t->status == TL_CORRELATE_NO_DISPERSION
				    ? "): too few placebo windows to estimate how much the counts vary"
				    : "): no lookups to compare with in the reference");
	}
	if (untested)
		put(x, x->v, "events.untested");
	else
		tl_buf_clear(&x->b);
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_event_t *e = &m->events[i];
		const tl_correlate_test_t *t = m->tests ? &m->tests[i] : NULL;
		if (!t || t->status != TL_CORRELATE_TESTABLE)
			continue;
		tl_tvars_t *it = tl_tvars_add_item(x->v, "events.tests");
		tl_tvars_set(it, "label", or_empty(e->label));
		put_time(x, e->win_start);
		tl_buf_puts(&x->b, " to ");
		put_time(x, e->win_end);
		put(x, it, "window");
		tl_fmt_uint(&x->b, t->observed, x->L);
		put(x, it, "observed");
		tl_fmt_fixed(&x->b, t->expected, 1, x->L);
		put(x, it, "expected");
		tl_fmt_ratio_ci(&x->b, t->rr, t->rr_lo, t->rr_hi, m->ci_level, 2, x->L);
		put(x, it, "rate_ratio_ci");
		double pa = m->settings.correction == TL_CORRELATE_BH ? t->p_bh : t->p_holm;
		tl_fmt_p(&x->b, pa, 4, x->L);
		put(x, it, "p_adjusted");
		tl_tvars_set_bool(it, "significant", t->significant);
		put_time(x, t->ref_start);
		tl_buf_puts(&x->b, " to ");
		put_time(x, t->ref_end);
		put(x, it, "reference");
		if (t->has_top) {
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&t->top_addr, a);
			tl_buf_printf(&x->b, "%s (", a);
			tl_fmt_uint(&x->b, t->top_lookups, x->L);
			tl_buf_puts(&x->b, " lookups); without it p ");
			if (isfinite(t->p_without_top))
				tl_fmt_p(&x->b, t->p_without_top, 4, x->L);
			else
				tl_buf_puts(&x->b, "not computable (nothing else to test)");
		} else {
			tl_buf_puts(&x->b, "none: no source exceeded its expected share");
		}
		put(x, it, "top_source");
	}
	events_checks(x, m);
	const tl_correlate_perm_t *pm = &m->perm;
	if (pm->done) {
		tl_fmt_p(&x->b, pm->p, 4, x->L);
		put(x, x->v, "events.permutation_p");
		tl_fmt_uint(&x->b, pm->n, x->L);
		if (pm->exact)
			tl_buf_puts(&x->b, ", every arrangement of the event windows");
		else
			tl_buf_puts(&x->b, " random");
		if (pm->n_undefined > 0) {
			tl_buf_puts(&x->b, "; ");
			tl_fmt_uint(&x->b, pm->n_undefined, x->L);
			tl_buf_puts(&x->b, " more left out as they held no time with data");
		}
		put(x, x->v, "events.permutations");
	} else {
		tl_buf_puts(&x->b, "not computed: ");
		tl_buf_puts(&x->b, perm_reason(pm->reason));
		put(x, x->v, "events.permutation_p");
		tl_tvars_set(x->v, "events.permutations", "none");
	}
}

/* ---- evidence: the inputs ---- */

static void input_problems(vctx_t *x, size_t i)
{
	const tl_findings_t *f = x->f;
	const tl_ctx_input_t *ci = &f->ctx.inputs[i];
	const tl_quality_input_t *q = i < f->quality.n_inputs ? &f->quality.inputs[i] : NULL;
	size_t n = 0;
	int lines = ci->info.format != TL_FORMAT_PCAP && ci->info.format != TL_FORMAT_PCAPNG;
	if (q && q->malformed > 0) {
		tl_fmt_uint(&x->b, q->malformed, x->L);
		tl_buf_puts(&x->b, q->malformed == 1 ? " anomaly: " : " anomalies: ");
		for (size_t k = 0; k < q->n_anomalies; k++) {
			const tl_quality_anomaly_t *a = &q->anomalies[k];
			if (k)
				tl_buf_puts(&x->b, ", ");
			tl_fmt_uint(&x->b, a->count, x->L);
			tl_buf_printf(&x->b, " %s (", a->kind);
			tl_buf_puts(&x->b, lines ? (a->n_first == 1 ? "line " : "lines ")
						 : (a->n_first == 1 ? "frame " : "frames "));
			for (size_t p = 0; p < a->n_first; p++) {
				if (p)
					tl_buf_puts(&x->b, ", ");
				tl_fmt_uint(&x->b, a->first[p], x->L);
			}
			if (a->count > a->n_first)
				tl_buf_puts(&x->b, ", ...");
			tl_buf_puts(&x->b, ")");
		}
		n++;
	}
	if (q && q->order_regressions > 0) {
		tl_buf_puts(&x->b, n++ ? "; " : "");
		tl_fmt_uint(&x->b, q->order_regressions, x->L);
		tl_buf_puts(&x->b, q->order_regressions == 1
					   ? " record earlier than a record before it"
					   : " records earlier than a record before them");
	}
	if (ci->info.error[0]) {
		tl_buf_puts(&x->b, n++ ? "; " : "");
		tl_buf_puts(&x->b, "reading stopped or was limited: ");
		tl_buf_puts(&x->b, ci->info.error);
	}
	if (n == 0)
		tl_buf_puts(&x->b, "none");
}

static const tl_case_input_t *case_input(const tl_case_t *c, const char *label)
{
	for (size_t i = 0; label && i < c->n_inputs; i++)
		if (strcmp(c->inputs[i].label, label) == 0)
			return &c->inputs[i];
	return NULL;
}

/* evidence.receipt: which inputs the case file gives a hash taken at receipt for, and
 * plainly when it gives none. An input whose hash differs never reaches a report (the
 * analysis stops), so every hash given here matched. */
static void receipt_vars(vctx_t *x)
{
	const tl_ctx_t *ctx = &x->f->ctx;
	size_t n = ctx->n_inputs, with = 0;
	for (size_t i = 0; i < n; i++) {
		const tl_case_input_t *ci = case_input(x->c, ctx->inputs[i].label);
		with += ci && ci->has_sha256;
	}
	if (n > 0 && with == n) {
		tl_buf_puts(&x->b, n == 1 ? "The case file gives the SHA-256 hash taken when the "
					    "input was received, and it matched the file read."
					  : "The case file gives the SHA-256 hash taken when each input was "
					    "received; all ");
		if (n > 1) {
			tl_fmt_uint(&x->b, n, x->L);
			tl_buf_puts(&x->b, " matched the files read.");
		}
	} else if (with == 0) {
		tl_buf_puts(&x->b, "The case file gives no hash taken when the evidence was "
				   "received. The hashes below were computed when the files were "
				   "read for this report: they show whether a copy is identical to the "
				   "file examined, not whether the file examined is the file that was "
				   "received.");
	} else {
		tl_buf_puts(&x->b, "The case file gives the SHA-256 hash taken at receipt for ");
		tl_fmt_uint(&x->b, with, x->L);
		tl_buf_puts(&x->b, " of the ");
		tl_fmt_uint(&x->b, n, x->L);
		tl_buf_puts(&x->b, " inputs (");
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			const tl_case_input_t *ci = case_input(x->c, ctx->inputs[i].label);
			if (ci && ci->has_sha256) {
				put_and(&x->b, k++, with);
				tl_buf_puts(&x->b, ctx->inputs[i].label);
			}
		}
		tl_buf_puts(&x->b, with == 1 ? "), and it matched the file read. For "
					     : "), and each matched the file read. For ");
		k = 0;
		for (size_t i = 0; i < n; i++) {
			const tl_case_input_t *ci = case_input(x->c, ctx->inputs[i].label);
			if (!ci || !ci->has_sha256) {
				put_and(&x->b, k++, n - with);
				tl_buf_puts(&x->b, ctx->inputs[i].label);
			}
		}
		tl_buf_puts(&x->b, " it gives none: for "
				   "those, the hash below shows whether a copy is identical to the "
				   "file examined, not whether the file examined is the file that was "
				   "received.");
	}
	put(x, x->v, "evidence.receipt");
}

/* custody: each input's receipt as the case file states it; custody.stated says how
 * much of it the case file states. */
static void custody_vars(vctx_t *x)
{
	const tl_ctx_t *ctx = &x->f->ctx;
	static const char none[] = "not stated in the case file";
	size_t stated = 0, missing = 0;
	tl_tvars_set_list(x->v, "custody");
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		const tl_case_input_t *ci = case_input(x->c, in->label);
		tl_tvars_t *it = tl_tvars_add_item(x->v, "custody");
		tl_tvars_set(it, "label", or_empty(in->label));
		tl_tvars_set(it, "path", or_empty(in->path));
		const char *v[4] = {ci ? ci->received : NULL, ci ? ci->received_from : NULL,
				    ci ? ci->received_by : NULL, ci ? ci->received_how : NULL};
		static const char *const keys[4] = {"received", "received_from", "received_by",
						    "received_how"};
		for (size_t k = 0; k < 4; k++) {
			tl_tvars_set(it, keys[k], v[k] ? v[k] : none);
			stated += v[k] != NULL;
			missing += v[k] == NULL;
		}
		tl_tvars_set(it, "receipt_sha256",
			     ci && ci->has_sha256 ? ci->sha256_hex : "none given in the case file");
		missing += !(ci && ci->has_sha256);
	}
	if (stated == 0)
		tl_buf_puts(&x->b, "The case file states nothing of when, from whom or how the "
				   "evidence was received. The receipt must be documented elsewhere; "
				   "this report cannot speak for it.");
	else if (missing > 0)
		tl_buf_puts(&x->b, "Where the case file does not state a part of the receipt, the "
				   "table says so; that part must be documented elsewhere.");
	else
		tl_buf_puts(&x->b, "The case file states every part of the receipt of each input.");
	put(x, x->v, "custody.stated");
}

static void inputs_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_ctx_t *ctx = &f->ctx;
	receipt_vars(x);
	custody_vars(x);

	tl_tvars_set_list(x->v, "inputs");
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		const tl_input_info_t *info = &in->info;
		const tl_quality_input_t *q = i < f->quality.n_inputs ? &f->quality.inputs[i] : NULL;
		tl_tvars_t *it = tl_tvars_add_item(x->v, "inputs");
		tl_tvars_set(it, "label", or_empty(in->label));
		tl_tvars_set(it, "path", or_empty(in->path));
		tl_fmt_uint(&x->b, info->size, x->L);
		tl_buf_puts(&x->b, info->size == 1 ? " byte" : " bytes");
		if (info->gzip)
			tl_buf_puts(&x->b, " (gzip-compressed, as stored)");
		put(x, it, "size");
		tl_buf_puts(&x->b, tl_format_name(info->format));
		if (info->gzip)
			tl_buf_puts(&x->b, ", gzip-compressed");
		put(x, it, "format");
		for (size_t k = 0; k < info->stats.n_linktypes; k++) {
			char nb[24];
			if (k)
				tl_buf_puts(&x->b, ", ");
			tl_buf_puts(&x->b, tl_net_dlt_name(info->stats.linktypes[k], nb));
		}
		put(x, it, "link_type");
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(info->sha256, hex);
		tl_tvars_set(it, "sha256", hex);
		const tl_case_input_t *ci = case_input(x->c, in->label);
		tl_tvars_set(it, "receipt_hash",
			     ci && ci->has_sha256
				     ? "given in the case file; the file read matches it"
				     : "none given in the case file");
		/* times with the case's clock correction applied (as every finding uses them) */
		put_time(x, q ? q->first_ts : TL_TIME_NONE);
		if (in->offset_us != 0) {
			tl_buf_puts(&x->b, ", after the clock correction of ");
			tl_fmt_duration(&x->b, in->offset_us, x->L);
			tl_buf_puts(&x->b, " given in the case file");
		}
		put(x, it, "first");
		put_time(x, q ? q->last_ts : TL_TIME_NONE);
		put(x, it, "last");
		tl_fmt_uint(&x->b, info->stats.messages, x->L);
		tl_buf_puts(&x->b, " DNS messages");
		if (info->stats.frames != info->stats.messages) {
			int lines = info->format != TL_FORMAT_PCAP && info->format != TL_FORMAT_PCAPNG;
			tl_buf_puts(&x->b, " from ");
			tl_fmt_uint(&x->b, info->stats.frames, x->L);
			tl_buf_puts(&x->b, lines ? " lines" : " frames");
		}
		put(x, it, "records");
		input_problems(x, i);
		put(x, it, "problems");
	}
}

/* ---- method and tool ---- */

static void method_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_case_t *c = x->c;
	const tl_dedup_stats_t *d = &f->dedup;

	tl_buf_puts(&x->b, "A lookup seen by several sensors is counted once: a sighting at "
			   "another sensor of a query from the same source for the same name and "
			   "type, within ");
	tl_fmt_duration(&x->b, c->dedup_tolerance_us, x->L);
	tl_buf_puts(&x->b, " once measured clock offsets are allowed for, is the same lookup "
			   "when it carries the same query ID and source port, or a retry at "
			   "another server when it carries another ID but the same query "
			   "fingerprint. Of ");
	tl_fmt_uint(&x->b, d->sightings, x->L);
	tl_buf_puts(&x->b, " sightings, ");
	tl_fmt_uint(&x->b, d->removed, x->L);
	tl_buf_puts(&x->b, " were removed as duplicates (");
	tl_fmt_uint(&x->b, d->removed_by_id, x->L);
	tl_buf_puts(&x->b, " the same query, ");
	tl_fmt_uint(&x->b, d->removed_as_retry, x->L);
	tl_buf_puts(&x->b, d->removed_as_retry == 1 ? " a retry), leaving " : " retries), leaving ");
	tl_fmt_uint(&x->b, d->unique, x->L);
	tl_buf_puts(&x->b, d->unique == 1 ? " lookup." : " lookups.");
	put(x, x->v, "method.dedup");

	size_t n = 0;
	if (c->orgs_path) {
		tl_buf_printf(&x->b, "the organisations file %s (address ranges and their "
				     "organisations; SHA-256 %s, as in the manifest; the file does "
				     "not state when its ranges were assigned)",
			      c->orgs_path, f->orgs_sha256[0] ? f->orgs_sha256 : NOT_RECORDED);
		n++;
	}
	if (c->mmdb_path) {
		tl_buf_puts(&x->b, n++ ? "; " : "");
		tl_buf_printf(&x->b, "the MaxMind-format database %s (its size and SHA-256 are "
				     "listed in the manifest; the date of its data is not recorded)",
			      c->mmdb_path);
	}
	if (n == 0)
		tl_buf_puts(&x->b, "no source: every address is unattributed");
	put(x, x->v, "method.attribution_sources");

	tl_buf_puts(&x->b, "Shares of lookups are given with Wilson score intervals that allow "
			   "for lookups clustering in time: the design effect of each share is "
			   "estimated with UTC days as clusters (the variance of the ratio "
			   "estimator over that of independent lookups, at least 1), and the "
			   "interval is computed from the effective number of lookups, the count "
			   "divided by it");
	if (x->f->profile.n_orgs > 0) {
		double dmax = 1.0;
		for (size_t i = 0; i < x->f->profile.n_orgs; i++)
			if (x->f->profile.orgs[i].lookups.deff > dmax)
				dmax = x->f->profile.orgs[i].lookups.deff;
		tl_buf_puts(&x->b, " (here at most ");
		tl_fmt_fixed(&x->b, dmax, 2, x->L);
		tl_buf_puts(&x->b, " for an organisation)");
	}
	tl_buf_puts(&x->b, ". In every concentration measure (shares of the largest, "
			   "Herfindahl–Hirschman index, the comparison with other names) each "
			   "address without an attributed organisation counts as an organisation "
			   "of its own, never pooled with the others. The comparison with other "
			   "names counts their lookups de-duplicated by the same rule, leaves out "
			   "names that resolved to an address of the names under examination and "
			   "their successors, and states how stable the rank is by resampling the "
			   "UTC days of lookups (bootstrap, seeded with the seed below). "
			   "Intervals between repeated lookups of the same name and type from one "
			   "address are compared with the time-to-live of the answer to the earlier "
			   "lookup (for an answer that the name did not exist or had no record of "
			   "the type, the negative caching time its SOA record gives, RFC 2308), "
			   "and counted as close to a fixed period when they fall within ");
	tl_fmt_duration(&x->b, c->periodic_tolerance_us, x->L);
	tl_buf_puts(&x->b, " after it. Intervals containing time when no sensor recorded "
			   "anything, or following an answer whose caching time is not in the "
			   "evidence, are counted but not classified. ");
	if (f->has_correlate) {
		tl_buf_puts(&x->b, "Each event's window (by default from ");
		tl_fmt_duration(&x->b, c->window_before_us, x->L);
		tl_buf_puts(&x->b, " before the event to ");
		tl_fmt_duration(&x->b, c->window_after_us, x->L);
		tl_buf_puts(&x->b,
			    " after it, unless the events file gives other margins) is compared "
			    "only with comparable time: the same hours of the week, in the local "
			    "time (daylight saving included) of ");
		tl_buf_puts(&x->b, f->correlate.strata_zone ? f->correlate.strata_zone : "UTC");
		tl_buf_puts(&x->b, ", the zone of the organisation with the most lookups, within ");
		tl_fmt_uint(&x->b, f->correlate.reference_weeks, x->L);
		tl_buf_puts(&x->b,
			    " weeks before and after the window, outside every window, and only "
			    "while the target was in the same regime. Regimes change where a name "
			    "under examination stopped resolving, where a successor name first "
			    "answered, and where a change-point test on the weekly counts finds a "
			    "change of level; a window that spans such a change is not tested. How "
			    "much the counts vary beyond chance is estimated from placebo windows "
			    "(each window moved by whole weeks within its regime, where no event "
			    "is) and carried into the p-value and the interval, together with the "
			    "error of the expected count itself. A rise counts only if it holds "
			    "with every source and without the one source that contributes most to "
			    "it, since one address can send any number of queries; the larger of "
			    "the two one-sided p-values is adjusted for testing several events. The "
			    "intervals shown per event are not adjusted for multiplicity; the "
			    "findings also give intervals that hold for all events together. A "
			    "permutation test shifts each event by its own random whole number of "
			    "weeks within its regime and compares the rate inside the windows with "
			    "that of the shifted arrangements (an overall test, not the verdict "
			    "for any one event).");
	} else {
		tl_buf_puts(&x->b, "The case names no events, so no event was tested.");
	}
	put(x, x->v, "method.statistics");

	tl_fmt_level(&x->b, x->level, x->L);
	if (f->has_correlate && fabs(f->correlate.ci_level - x->level) > 1e-9) {
		tl_buf_puts(&x->b, " for shares; ");
		tl_fmt_level(&x->b, f->correlate.ci_level, x->L);
		tl_buf_puts(&x->b, " for rate ratios");
	}
	tl_buf_puts(&x->b, " (significance level ");
	tl_fmt_fixed(&x->b, c->alpha, c->alpha * 100 == floor(c->alpha * 100) ? 2 : 6, x->L);
	tl_buf_puts(&x->b, ")");
	put(x, x->v, "method.confidence");

	tl_buf_puts(&x->b, c->correction == TL_CORRECTION_BH ? "Benjamini–Hochberg" : "Holm");
	if (f->has_correlate) {
		tl_buf_puts(&x->b, ", over ");
		tl_fmt_uint(&x->b, f->correlate.n_testable, x->L);
		tl_buf_puts(&x->b, f->correlate.n_testable == 1 ? " event test" : " event tests");
	}
	put(x, x->v, "method.correction");
	tl_fmt_uint(&x->b, c->permutations, x->L);
	put(x, x->v, "method.permutations");
	/* an identifier, written without separators */
	tl_buf_u64(&x->b, c->seed);
	put(x, x->v, "method.seed");

	tl_tvars_set(x->v, "tool.name", "tealeaves");
	tl_tvars_set(x->v, "tool.version", f->tool_version ? f->tool_version : NOT_RECORDED);
	tl_tvars_set(x->v, "tool.commit", NOT_RECORDED);
	tl_tvars_set(x->v, "tool.libraries", NOT_RECORDED);
}

/* ---- data quality ---- */

/* "from A to B (source); ..." for listed gaps or quiet periods, and how many more. */
static void put_stretches(vctx_t *x, const tl_quality_gap_t *g, size_t n, uint64_t total,
			  int with_source)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			tl_buf_puts(&x->b, "; ");
		tl_buf_puts(&x->b, "from ");
		put_time(x, g[i].start);
		tl_buf_puts(&x->b, " to ");
		put_time(x, g[i].end);
		if (with_source && g[i].source)
			tl_buf_printf(&x->b, " (%s)", g[i].source);
	}
	if (total > n) {
		tl_buf_puts(&x->b, "; and ");
		tl_fmt_uint(&x->b, total - n, x->L);
		tl_buf_puts(&x->b, " more not listed");
	}
}

static void quality_vars(vctx_t *x)
{
	const tl_findings_t *f = x->f;
	const tl_quality_model_t *q = &f->quality;

	tl_fmt_uint(&x->b, q->gaps_total, x->L);
	if (q->gaps_total > 0) {
		tl_buf_puts(&x->b, q->gaps_total == 1 ? " period" : " periods");
		tl_buf_puts(&x->b, " in which no sensor recorded (with what says so): ");
		put_stretches(x, q->gaps, q->n_gaps, q->gaps_total, 1);
	} else {
		tl_buf_puts(&x->b, " (some sensor recorded at every minute)");
	}
	put(x, x->v, "quality.gaps");

	/* what each sensor's coverage rests on */
	for (size_t s = 0; s < q->n_sensors; s++) {
		const tl_quality_sensor_t *se = &q->sensors[s];
		if (s)
			tl_buf_puts(&x->b, "; ");
		tl_buf_printf(&x->b, "%s: ", or_empty(se->name));
		if (strcmp(se->source, TL_QUALITY_SRC_SILENCE) != 0) {
			tl_buf_puts(&x->b, se->source);
		} else if (strcmp(se->recorded_source, TL_QUALITY_SRC_SILENCE) == 0) {
			tl_buf_puts(&x->b, "silence only (the evidence states nothing of its recording)");
		} else {
			tl_buf_printf(&x->b, "%s for when recording started and stopped, silence inside "
					     "(",
				      se->recorded_source);
			tl_fmt_uint(&x->b, se->gaps_total, x->L);
			tl_buf_puts(&x->b, se->gaps_total == 1 ? " gap" : " gaps");
			tl_buf_puts(&x->b, ")");
		}
		tl_buf_puts(&x->b, ", ");
		tl_fmt_pct(&x->b, se->coverage, 1, x->L);
		tl_buf_puts(&x->b, " of the minutes");
	}
	put(x, x->v, "quality.coverage_sources");

	size_t nq = 0;
	for (size_t s = 0; s < q->n_sensors; s++)
		nq += q->sensors[s].quiet_total;
	if (nq == 0 && q->quiet_total == 0) {
		tl_buf_puts(&x->b, "none");
	} else {
		for (size_t s = 0, k = 0; s < q->n_sensors; s++) {
			const tl_quality_sensor_t *se = &q->sensors[s];
			if (!se->quiet_total)
				continue;
			if (k++)
				tl_buf_puts(&x->b, "; ");
			tl_buf_printf(&x->b, "%s: ", or_empty(se->name));
			put_stretches(x, se->quiet, se->n_quiet, se->quiet_total, 0);
		}
		if (q->quiet_total > 0) {
			tl_buf_puts(&x->b, nq ? "; of all sensors at once: " : "of all sensors at once: ");
			put_stretches(x, q->quiet, q->n_quiet, q->quiet_total, 0);
		}
	}
	tl_buf_puts(&x->b, " (time a sensor declared it recorded, without any DNS message for "
			   "longer than ");
	tl_fmt_duration(&x->b, q->gap_threshold_us, x->L);
	tl_buf_puts(&x->b, ": covered, not a gap)");
	put(x, x->v, "quality.quiet");

	/* how the event verdicts change with the other coverage */
	const tl_quality_other_t *oc = &q->other;
	if (oc->made) {
		int silence_in = oc->rule && strcmp(oc->rule, TL_QUALITY_OTHER_RECORDED) == 0;
		tl_buf_puts(&x->b, silence_in
					   ? "Some sensors' coverage rests on silence in their traffic, "
					     "which the captures themselves do not confirm; counted instead "
					     "as time the sensors recorded"
					   : "Some declared recording time held no traffic; counted instead "
					     "as gaps");
		tl_buf_puts(&x->b, " (");
		tl_fmt_pct(&x->b, oc->coverage, 1, x->L);
		tl_buf_puts(&x->b, " of the minutes covered instead of ");
		tl_fmt_pct(&x->b, q->coverage, 1, x->L);
		tl_buf_puts(&x->b, "), the event tests were made again: ");
		if (oc->verdicts_changed == 0) {
			tl_buf_puts(&x->b, "no verdict changes");
		} else {
			tl_fmt_uint(&x->b, oc->verdicts_changed, x->L);
			tl_buf_puts(&x->b, oc->verdicts_changed == 1 ? " verdict changes (" : " verdicts change (");
			for (size_t e = 0, k = 0; e < oc->n_events; e++) {
				const tl_quality_other_event_t *v = &oc->events[e];
				if (v->testable == v->testable_other && v->significant == v->significant_other)
					continue;
				put_and(&x->b, k++, oc->verdicts_changed);
				tl_buf_puts(&x->b, or_empty(v->label));
			}
			tl_buf_puts(&x->b, ")");
		}
		if (oc->largest_change < oc->n_events) {
			const tl_quality_other_event_t *v = &oc->events[oc->largest_change];
			tl_buf_printf(&x->b, "; the largest change of a rate ratio is for %s, from ",
				      or_empty(v->label));
			tl_fmt_fixed(&x->b, v->rr, 2, x->L);
			tl_buf_puts(&x->b, " to ");
			tl_fmt_fixed(&x->b, v->rr_other, 2, x->L);
		}
		tl_buf_puts(&x->b, ". Both results are in the findings (quality, other_coverage).");
	} else if (oc->differs) {
		tl_buf_puts(&x->b, "Counting silences the other way round changes the covered minutes "
				   "from ");
		tl_fmt_pct(&x->b, q->coverage, 1, x->L);
		tl_buf_puts(&x->b, " to ");
		tl_fmt_pct(&x->b, oc->coverage, 1, x->L);
		tl_buf_puts(&x->b, "; no events were tested.");
	}
	put(x, x->v, "quality.other");
	tl_fmt_duration(&x->b, q->gap_time_us, x->L);
	put(x, x->v, "quality.gap_time");

	tl_fmt_uint(&x->b, q->malformed, x->L);
	size_t nk = 0;
	for (size_t k = 0; k < TL_AN__COUNT; k++) {
		if (!q->anomaly_count[k])
			continue;
		tl_buf_puts(&x->b, nk++ ? ", " : " (");
		tl_fmt_uint(&x->b, q->anomaly_count[k], x->L);
		tl_buf_printf(&x->b, " %s", tl_anomaly_name((tl_anomaly_kind_t)k));
	}
	if (nk)
		tl_buf_puts(&x->b, ")");
	put(x, x->v, "quality.malformed");

	/* drops, as the captures report them; an input that does not say is not "none" */
	if (q->if_drops_known) {
		tl_fmt_uint(&x->b, q->if_drops, x->L);
		tl_buf_puts(&x->b, " by the network interface");
	} else {
		tl_buf_puts(&x->b, "drops by the network interface not reported");
	}
	if (q->os_drops_known) {
		tl_buf_puts(&x->b, "; ");
		tl_fmt_uint(&x->b, q->os_drops, x->L);
		tl_buf_puts(&x->b, " by the operating system");
	} else {
		tl_buf_puts(&x->b, "; drops by the operating system not reported");
	}
	size_t silent = 0;
	for (size_t i = 0; i < q->n_inputs; i++)
		silent += !q->inputs[i].if_drops_known && !q->inputs[i].os_drops_known;
	if (silent > 0) {
		tl_buf_puts(&x->b, " (");
		for (size_t i = 0, j = 0; i < q->n_inputs; i++) {
			if (q->inputs[i].if_drops_known || q->inputs[i].os_drops_known)
				continue;
			put_and(&x->b, j++, silent);
			tl_buf_puts(&x->b, or_empty(q->inputs[i].label));
		}
		tl_buf_puts(&x->b, silent == 1 ? " does not record drops)" : " do not record drops)");
	}
	put(x, x->v, "quality.drops");

	tl_fmt_uint(&x->b, q->unanswered, x->L);
	tl_buf_puts(&x->b, " (and ");
	tl_fmt_uint(&x->b, q->unmatched, x->L);
	tl_buf_puts(&x->b, q->unmatched == 1 ? " response without a matching query)"
					    : " responses without a matching query)");
	put(x, x->v, "quality.unanswered");

	/* Offsets: time at b minus time at a; positive means b's clock reads later. */
	for (size_t i = 0; i < q->n_offsets; i++) {
		const tl_quality_offset_t *o = &q->offsets[i];
		const char *a = o->sensor_a < f->ctx.n_sensors ? f->ctx.sensors[o->sensor_a].name : "?";
		const char *bn = o->sensor_b < f->ctx.n_sensors ? f->ctx.sensors[o->sensor_b].name : "?";
		if (i)
			tl_buf_puts(&x->b, "; ");
		if (o->median_us == 0) {
			tl_buf_printf(&x->b, "%s and %s showed the same time", a, bn);
		} else {
			tl_buf_printf(&x->b, "%s recorded times ", bn);
			tl_fmt_duration(&x->b, o->median_us < 0 ? -o->median_us : o->median_us, x->L);
			tl_buf_printf(&x->b, " %s than %s", o->median_us > 0 ? "later" : "earlier", a);
		}
		tl_buf_puts(&x->b, " (median over ");
		tl_fmt_uint(&x->b, o->pairs, x->L);
		tl_buf_puts(&x->b, o->pairs == 1 ? " query seen by both" : " queries seen by both");
		tl_buf_puts(&x->b, ", median absolute deviation ");
		tl_fmt_duration(&x->b, o->mad_us, x->L);
		tl_buf_puts(&x->b, ")");
	}
	put(x, x->v, "quality.clock_offsets");

	if (q->span_minutes > 0) {
		tl_buf_puts(&x->b, "the sensors together have data for ");
		tl_fmt_pct(&x->b, q->coverage, 1, x->L);
		tl_buf_puts(&x->b, " of the minutes from ");
		put_time(x, q->span_start);
		tl_buf_puts(&x->b, " to ");
		put_time(x, q->span_end);
		tl_buf_puts(&x->b, ", and no data for ");
		tl_fmt_duration(&x->b, q->gap_time_us, x->L);
		tl_buf_puts(&x->b, " in ");
		tl_fmt_uint(&x->b, q->gaps_total, x->L);
		tl_buf_puts(&x->b, q->gaps_total == 1 ? " gap" : " gaps");
	} else {
		tl_buf_puts(&x->b, "the evidence holds no timed records");
	}
	put(x, x->v, "quality.coverage");
}

/* ---- reproducibility ---- */

static void repro_vars(vctx_t *x)
{
	tl_tvars_set(x->v, "repro.command", NOT_RECORDED);
	tl_tvars_set(x->v, "repro.case_file", or_empty(x->c->path));
	tl_tvars_set(x->v, "repro.case_sha256", x->c->file_sha256_hex);
	tl_tvars_set(x->v, "repro.manifest_sha256", NOT_RECORDED);
	tl_tvars_set(x->v, "repro.verify_command", "the verify command (" NOT_RECORDED ")");
}

/* ---- name lifecycle ---- */

static void put_ref(vctx_t *x, const tl_names_ref_t *r)
{
	put_time(x, r->ts);
	tl_buf_puts(&x->b, " (");
	put_pos(x, r->input, r->file, r->pos);
	tl_buf_puts(&x->b, ")");
}

static void names_vars(vctx_t *x)
{
	const tl_names_model_t *m = &x->f->names;
	tl_tvars_set_list(x->v, "names");
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		if (!nm->target)
			continue;
		tl_tvars_t *it = tl_tvars_add_item(x->v, "names");
		put_name(&x->b, nm->name);
		put(x, it, "name");
		if (nm->has_success)
			put_ref(x, &nm->last_success);
		else
			tl_buf_puts(&x->b, "none seen");
		put(x, it, "last_success");
		if (nm->has_failure_after) {
			char rb[16];
			put_time(x, nm->failure_after.ts);
			tl_buf_printf(&x->b, ", %s (", tl_rcode_name(nm->failure_rcode, rb));
			put_pos(x, nm->failure_after.input, nm->failure_after.file,
				nm->failure_after.pos);
			tl_buf_puts(&x->b, ")");
			if (!nm->has_success)
				tl_buf_puts(&x->b, "; no successful answer was seen before it");
			if (!nm->failure_exact)
				tl_buf_puts(&x->b, "; failures were capped, so an earlier one may "
						   "exist");
		} else {
			tl_buf_puts(&x->b, "none seen");
		}
		put(x, it, "failure_after");
		if (nm->has_first_query) {
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&nm->querier, a);
			put_time(x, nm->first_query.ts);
			tl_buf_printf(&x->b, ", from %s", a);
			if (nm->querier_org)
				tl_buf_printf(&x->b, ", attributed to %s", nm->querier_org);
			tl_buf_puts(&x->b, " (");
			put_pos(x, nm->first_query.input, nm->first_query.file, nm->first_query.pos);
			tl_buf_puts(&x->b, ")");
		} else {
			tl_buf_puts(&x->b, "none seen");
		}
		put(x, it, "first_query");
		for (size_t k = 0; k < nm->n_successors; k++) {
			const tl_names_binding_t *s = &nm->successors[k];
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&s->addr, a);
			if (k)
				tl_buf_puts(&x->b, "; ");
			put_name(&x->b, s->name);
			tl_buf_printf(&x->b, " (resolving to %s, first answered ", a);
			put_time(x, s->first.ts);
			tl_buf_puts(&x->b, ")");
		}
		put(x, it, "successors");
	}
}

/* ---- the summary in plain words ---- */

/* summary.timing: what the event test found, in words and counts, without p-values. */
static void summary_timing(vctx_t *x)
{
	const tl_correlate_model_t *m = &x->f->correlate;
	if (!x->f->has_correlate || m->n_events == 0) {
		tl_tvars_set(x->v, "summary.timing", "");
		return;
	}
	size_t tested = 0, sig = 0, one = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_test_t *t = &m->tests[i];
		if (t->status != TL_CORRELATE_TESTABLE)
			continue;
		tested++;
		sig += t->significant != 0;
		one += !t->significant && rests_on_one_source(m, t);
	}
	/* "Of the 12 dated events, 10 could be tested." */
	tl_buf_puts(&x->b, "Of the ");
	tl_fmt_uint(&x->b, m->n_events, x->L);
	tl_buf_puts(&x->b, m->n_events == 1 ? " dated event, " : " dated events, ");
	if (tested == m->n_events)
		tl_buf_puts(&x->b, m->n_events == 1 ? "it could be tested. " : "all could be tested. ");
	else if (tested == 0)
		tl_buf_puts(&x->b, "none could be tested (the reasons are given with the events).");
	else {
		tl_fmt_uint(&x->b, tested, x->L);
		tl_buf_puts(&x->b, " could be tested. ");
	}
	if (tested > 0) {
		if (sig == 0) {
			tl_buf_puts(&x->b, "Around none of them did lookups rise beyond what chance "
					   "or a single source readily explains");
		} else {
			tl_buf_puts(&x->b, "Lookups rose around ");
			tl_fmt_uint(&x->b, sig, x->L);
			tl_buf_puts(&x->b, " of them (");
			for (size_t i = 0, k = 0; i < m->n_events; i++) {
				const tl_correlate_test_t *t = &m->tests[i];
				if (t->status != TL_CORRELATE_TESTABLE || !t->significant)
					continue;
				put_and(&x->b, k++, sig);
				tl_buf_printf(&x->b, "\u201c%s\u201d", or_empty(m->events[i].label));
			}
			tl_buf_puts(&x->b, ") beyond what chance or a single source readily explains");
		}
		tl_buf_puts(&x->b, ", at the ");
		tl_fmt_pct(&x->b, m->settings.alpha, 0, x->L);
		tl_buf_puts(&x->b, " level after allowing for testing ");
		tl_fmt_uint(&x->b, tested, x->L);
		tl_buf_puts(&x->b, tested == 1 ? " event" : " events");
		if (sig > 0 && sig < tested) {
			tl_buf_puts(&x->b, "; around the other ");
			tl_fmt_uint(&x->b, tested - sig, x->L);
			tl_buf_puts(&x->b, " they did not");
		}
		tl_buf_puts(&x->b, ".");
		if (one > 0) {
			tl_buf_puts(&x->b, " Around ");
			tl_fmt_uint(&x->b, one, x->L);
			tl_buf_puts(&x->b, one == 1 ? " of those other events lookups rose, but the rise "
						      "rests mostly on one source, so it is not counted."
						    : " of those other events lookups rose, but each rise "
						      "rests mostly on one source, so they are not counted.");
		}
		tl_buf_puts(&x->b, " The test asks only whether lookups rose; a fall is not "
				   "tested.");
		if (tested < m->n_events) {
			tl_buf_puts(&x->b, " ");
			tl_fmt_uint(&x->b, m->n_events - tested, x->L);
			tl_buf_puts(&x->b, m->n_events - tested == 1
						   ? " event could not be tested; the reason is given with "
						     "the events."
						   : " events could not be tested; the reasons are given with "
						     "the events.");
		}
	}
	put(x, x->v, "summary.timing");
}

/* summary.names: what happened to each name under examination, one sentence each. */
static void summary_names(vctx_t *x)
{
	const tl_names_model_t *m = &x->f->names;
	size_t n = 0;
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		if (!nm->target)
			continue;
		if (n++)
			tl_buf_puts(&x->b, " ");
		put_name(&x->b, nm->name);
		if (nm->has_failure_after && nm->has_success) {
			char rb[16];
			tl_buf_puts(&x->b, " was last answered at ");
			put_time(x, nm->last_success.ts);
			tl_buf_puts(&x->b, "; from ");
			put_time(x, nm->failure_after.ts);
			tl_buf_printf(&x->b, " lookups of it failed (%s)",
				      tl_rcode_name(nm->failure_rcode, rb));
		} else if (nm->has_failure_after) {
			tl_buf_puts(&x->b, " was never answered successfully in the evidence");
		} else if (nm->has_success) {
			tl_buf_puts(&x->b, " was answered whenever it was looked up; the last answer "
					   "is from ");
			put_time(x, nm->last_success.ts);
		} else {
			tl_buf_puts(&x->b, " was looked up, but no answer for it is in the evidence");
		}
		for (size_t k = 0; k < nm->n_successors; k++) {
			const tl_names_binding_t *sc = &nm->successors[k];
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&sc->addr, a);
			tl_buf_puts(&x->b, k ? "; and " : "; afterwards ");
			put_name(&x->b, sc->name);
			tl_buf_printf(&x->b, " answered with the same address %s, first at ", a);
			put_time(x, sc->first.ts);
		}
		tl_buf_puts(&x->b, ".");
	}
	put(x, x->v, "summary.names");
}

int tl_report_vars(const tl_findings_t *f, tl_tvars_t *vars, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!f || !vars || !f->kase) {
		if (err && errlen)
			snprintf(err, errlen, "report values: no findings or no case");
		return TL_EINVAL;
	}
	const tl_case_t *c = f->kase;
	const char *zone = c->timezone && c->timezone[0] ? c->timezone : "UTC";
	if (!tl_tz_valid(zone)) {
		if (err && errlen)
			snprintf(err, errlen, "report values: time zone %s cannot be loaded", zone);
		return TL_EINVAL;
	}
	/* English is the only wording table (tl_lang_en): "en" or "en-XX". */
	if (c->language && strcmp(c->language, "en") != 0 && strncmp(c->language, "en-", 3) != 0) {
		if (err && errlen)
			snprintf(err, errlen, "report values: no wording for language %s (only en)",
				 c->language);
		return TL_EINVAL;
	}
	vctx_t x = {
		.f = f,
		.c = c,
		.v = vars,
		.L = &tl_lang_en,
		.zone = zone,
		.utc = strcmp(zone, "UTC") == 0,
		.level = 1.0 - f->profile.alpha,
	};
	tl_buf_init(&x.b);
	case_vars(&x);
	target_vars(&x);
	profile_vars(&x);
	resolver_vars(&x);
	baseline_vars(&x);
	events_vars(&x);
	validation_vars(&x);
	inputs_vars(&x);
	method_vars(&x);
	quality_vars(&x);
	repro_vars(&x);
	names_vars(&x);
	summary_timing(&x);
	summary_names(&x);
	tl_buf_free(&x.b);
	return TL_OK;
}

/* ---- what the manifest lists besides the evidence ---- */

static int manifest_file(tl_tvars_t *v, const char *role, json_t *e, const tl_lang_t *L)
{
	if (json_is_null(e) || !e)
		return TL_OK;
	json_t *name = json_object_get(e, "name"), *size = json_object_get(e, "size"),
	       *sha = json_object_get(e, "sha256");
	if (!json_is_string(name) || !json_is_integer(size) || json_integer_value(size) < 0 ||
	    !json_is_string(sha))
		return TL_EFORMAT;
	tl_tvars_t *it = tl_tvars_add_item(v, "manifest.files");
	tl_tvars_set(it, "role", role);
	tl_tvars_set(it, "name", json_string_value(name));
	tl_buf_t b;
	tl_buf_init(&b);
	tl_fmt_uint(&b, (uint64_t)json_integer_value(size), L);
	tl_buf_puts(&b, json_integer_value(size) == 1 ? " byte" : " bytes");
	tl_tvars_set(it, "size", b.data);
	tl_buf_free(&b);
	tl_tvars_set(it, "sha256", json_string_value(sha));
	return TL_OK;
}

int tl_report_manifest_vars(const char *text, size_t len, tl_tvars_t *v)
{
	tl_tvars_set_list(v, "manifest.files");
	tl_tvars_set(v, "manifest.tzdata", "");
	if (!text)
		return TL_OK;
	const tl_lang_t *L = &tl_lang_en;
	json_error_t je;
	json_t *m = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(m)) {
		json_decref(m);
		return TL_EFORMAT;
	}
	int rc = TL_OK;
	if ((rc = manifest_file(v, "Case file", json_object_get(m, "case_file"), L)) != TL_OK ||
	    (rc = manifest_file(v, "Organisations file", json_object_get(m, "organisations"),
				L)) != TL_OK ||
	    (rc = manifest_file(v, "Address database", json_object_get(m, "mmdb"), L)) !=
		    TL_OK ||
	    (rc = manifest_file(v, "Events file", json_object_get(m, "events"), L)) != TL_OK ||
	    (rc = manifest_file(v, "Template", json_object_get(m, "template"), L)) != TL_OK)
		goto out;
	json_t *fonts = json_object_get(m, "fonts"), *e;
	size_t i;
	json_array_foreach(fonts, i, e)
		if ((rc = manifest_file(v, "Font", e, L)) != TL_OK)
			goto out;
	if ((rc = manifest_file(v, "Colour profile", json_object_get(m, "colour_profile"), L)) !=
	    TL_OK)
		goto out;
	json_t *tz = json_object_get(m, "timezone_data");
	if (json_is_object(tz)) {
		json_t *ver = json_object_get(tz, "version"), *zones = json_object_get(tz, "zones");
		tl_buf_t b;
		tl_buf_init(&b);
		if (json_is_string(ver))
			tl_buf_printf(&b, "tzdata %s", json_string_value(ver));
		else
			tl_buf_puts(&b, "tzdata of a version its files do not state");
		tl_buf_puts(&b, ", for the time zones ");
		size_t nz = json_array_size(zones);
		json_array_foreach(zones, i, e) {
			put_and(&b, i, nz);
			json_t *zn = json_object_get(e, "name");
			tl_buf_puts(&b, json_is_string(zn) ? json_string_value(zn) : "?");
			if ((rc = manifest_file(v, "Time-zone file", e, L)) != TL_OK)
				break;
		}
		tl_buf_puts(&b, " (the zone files and their SHA-256 are listed with the other "
				   "files the report depends on)");
		tl_tvars_set(v, "manifest.tzdata", b.data);
		tl_buf_free(&b);
	} else if (json_is_null(tz)) {
		tl_tvars_set(v, "manifest.tzdata", "none used: every time is shown in UTC, which "
						   "needs no time-zone data");
	}
out:
	json_decref(m);
	return rc;
}
