/* report_vars_findings.c - the placeholder values of what the analysis found: the target and
 * its lookups, the profile, resolver behaviour, the baseline, the event test and its
 * validation, the names, and the summary in plain words. Selected from the model and
 * formatted; nothing is computed here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "case/events.h"
#include "input/capture/net.h"
#include "render/report/report_vars_impl.h"
#include "util/idna.h"
#include "util/time.h"

/* ---- the target and its lookups (summary) ---- */

void tl_vars_target(vctx_t *x)
{
	const tl_case_t *c = x->c;
	const tl_findings_t *f = x->f;
	size_t parts = (c->n_names > 0) + (c->n_suffixes > 0) + (c->n_ips > 0), part = 0;
	if (c->n_names > 0) {
		for (size_t i = 0; i < c->n_names; i++) {
			tl_vars_put_and(&x->b, i, c->n_names);
			tl_vars_put_name(&x->b, c->names[i]);
		}
		part++;
	}
	if (c->n_suffixes > 0) {
		tl_vars_put_and(&x->b, part, parts);
		tl_buf_puts(&x->b, "names at or below ");
		for (size_t i = 0; i < c->n_suffixes; i++) {
			tl_vars_put_and(&x->b, i, c->n_suffixes);
			tl_vars_put_name(&x->b, c->suffixes[i]);
		}
		part++;
	}
	if (c->n_ips > 0) {
		tl_vars_put_and(&x->b, part, parts);
		tl_buf_puts(&x->b, "names seen resolving to ");
		for (size_t i = 0; i < c->n_ips; i++) {
			char a[TL_ADDR_STR_LEN];
			tl_vars_put_and(&x->b, i, c->n_ips);
			tl_addr_format(&c->ips[i], a);
			tl_buf_puts(&x->b, a);
		}
		if (f->n_target_names_resolved > 0) {
			tl_buf_puts(&x->b, " (");
			for (size_t i = 0; i < f->n_target_names_resolved; i++) {
				tl_vars_put_and(&x->b, i, f->n_target_names_resolved);
				tl_vars_put_name(&x->b, f->target_names_resolved[i]);
			}
			tl_buf_puts(&x->b, ")");
		}
	}
	tl_vars_put(x, x->v, "target.names");

	const tl_profile_model_t *p = &f->profile;
	tl_fmt_uint(&x->b, p->n_lookups, x->L);
	tl_vars_put(x, x->v, "lookups.unique");
	tl_vars_put_time(x, p->n_lookups ? p->first.ts : TL_TIME_NONE);
	tl_vars_put(x, x->v, "lookups.first");
	tl_vars_put_time(x, p->n_lookups ? p->last.ts : TL_TIME_NONE);
	tl_vars_put(x, x->v, "lookups.last");

	tl_fmt_uint(&x->b, p->n_sources, x->L);
	tl_vars_put(x, x->v, "sources.count");

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
	tl_vars_put(x, x->v, "organisations.count");
	if (un_sources > 0) {
		tl_fmt_uint(&x->b, un_sources, x->L);
		tl_buf_puts(&x->b, " of the addresses, with ");
		tl_fmt_uint(&x->b, un_lookups, x->L);
		tl_buf_puts(&x->b, un_lookups == 1 ? " lookup, " : " lookups, ");
		tl_buf_puts(&x->b, "could not be attributed to an organisation");
		tl_vars_put(x, x->v, "organisations.unattributed");
	}
}

/* ---- profile: the leading organisation and the top k ---- */

void tl_vars_profile(vctx_t *x)
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
		tl_vars_put(x, x->v, "profile.top_org.lookups_share_ci");
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
		tl_vars_put(x, x->v, "profile.top_org.networks");
	} else {
		tl_tvars_set(x->v, "profile.top_org.name", "");
		tl_tvars_set(x->v, "profile.top_org.lookups_share_ci", "");
		tl_tvars_set(x->v, "profile.top_org.networks", "");
	}

	/* "The k most active organisations together": only when there are more than k. */
	const tl_prof_conc_t *oc = &p->org_conc;
	if (oc->k >= 1 && oc->n > oc->k && !isnan(oc->top_k_share)) {
		tl_fmt_uint(&x->b, oc->k, x->L);
		tl_vars_put(x, x->v, "profile.top_k.count");
		/* the model holds no interval for this share */
		tl_fmt_pct(&x->b, oc->top_k_share, 1, x->L);
		tl_buf_puts(&x->b, " (no interval is recorded for this figure)");
		tl_vars_put(x, x->v, "profile.top_k.share_ci");
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
	tl_vars_put(x, x->v, key);
}

void tl_vars_resolver(vctx_t *x)
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
	tl_vars_put(x, x->v, "resolver.ttl");
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
	tl_vars_put(x, x->v, "resolver.negative_ttl");
	res_share(x, &r->classes.inside, r->classes.n, "resolver.inside_ttl.share_ci");
	res_share(x, &r->classes.periodic, r->classes.n, "resolver.periodic.share_ci");
	tl_fmt_duration(&x->b, r->tolerance_s * TL_US_PER_SEC, x->L);
	tl_vars_put(x, x->v, "resolver.tolerance");
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
	tl_vars_put(x, x->v, "resolver.not_classified");
	tl_fmt_uint(&x->b, r->n_breaks, x->L);
	tl_buf_puts(&x->b, " (looked for in sources with at least ");
	tl_fmt_uint(&x->b, r->min_lookups, x->L);
	tl_buf_puts(&x->b, " lookups)");
	tl_vars_put(x, x->v, "resolver.fingerprint_breaks");
}

/* ---- baseline ---- */

void tl_vars_baseline(vctx_t *x)
{
	const tl_baseline_model_t *m = &x->f->baseline;
	int raw = m->counting == TL_BASELINE_COUNT_RAW;
	tl_fmt_uint(&x->b, m->n_names, x->L);
	tl_vars_put(x, x->v, "baseline.names");
	tl_fmt_uint(&x->b, m->min_lookups, x->L);
	tl_vars_put(x, x->v, "baseline.min_lookups");
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
	tl_vars_put(x, x->v, "baseline.counting");
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
	tl_vars_put(x, x->v, "baseline.top_org_share");
	double rk = m->target.rank_top_org_share;
	if (!m->has_target || isnan(rk) || m->n_names == 0) {
		tl_buf_puts(&x->b, "none (no names could be compared)");
	} else {
		tl_fmt_pct(&x->b, rk, 0, x->L);
		if (rk != 0.0 && rk != 1.0)
			tl_buf_puts(&x->b, " (names with an equal share counted as half)");
	}
	tl_vars_put(x, x->v, "baseline.top_org_share_percentile");
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
	tl_vars_put(x, x->v, "baseline.stability");
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
	tl_vars_put(x, x->v, "baseline.excluded");
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

void tl_vars_validation(vctx_t *x)
{
	const tl_validation_summary_t *vs = &x->f->validation;
	if (!vs->measured) {
		tl_buf_puts(&x->b, "The error rates of this version of the event test have not "
				   "been measured.");
		tl_vars_put(x, x->v, "method.validation");
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
	tl_vars_put(x, x->v, "method.validation");
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
				tl_vars_put_name(&x->b, tl_vars_or_empty(r->start_name));
				tl_buf_puts(&x->b, " stopped resolving at ");
			} else if (r->start_kind == TL_CORRELATE_HINT_SUCCESSOR) {
				tl_vars_put_name(&x->b, tl_vars_or_empty(r->start_name));
				tl_buf_puts(&x->b, " first answered with a target address at ");
			} else {
				tl_buf_puts(&x->b, "the weekly count changed level from the week of ");
			}
			tl_vars_put_time(x, r->start);
			if (r->start_kind == TL_CORRELATE_HINT_CHANGEPOINT) {
				tl_buf_puts(&x->b, " (change-point test p ");
				tl_fmt_p(&x->b, r->start_p, 3, x->L);
				tl_buf_puts(&x->b, ")");
			}
		}
		tl_buf_puts(&x->b, ".");
	}
	tl_vars_put(x, x->v, "events.check_regimes");

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
	tl_vars_put(x, x->v, "events.check_dispersion");

	/* the windows' data */
	size_t partial = 0;
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_event_t *e = &m->events[i];
		const tl_correlate_test_t *t = &m->tests[i];
		double len = (double)(e->win_end - e->win_start) / 60e6;
		if (t->status != TL_CORRELATE_TESTABLE || !(e->covered_minutes < 0.99 * len))
			continue;
		tl_buf_puts(&x->b, partial++ ? "; " : "");
		tl_buf_printf(&x->b, "%s: ", tl_vars_or_empty(e->label));
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
	tl_vars_put(x, x->v, "events.check_windows");

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
	tl_vars_put(x, x->v, "events.check_sources");
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
	tl_vars_put(x, x->v, "events.check_width");
}

void tl_vars_events(vctx_t *x)
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
		tl_buf_printf(&x->b, "%s (", tl_vars_or_empty(e->label));
		tl_vars_put_time(x, e->win_start);
		tl_buf_puts(&x->b, " to ");
		tl_vars_put_time(x, e->win_end);
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
		tl_vars_put(x, x->v, "events.untested");
	else
		tl_buf_clear(&x->b);
	for (size_t i = 0; i < m->n_events; i++) {
		const tl_correlate_event_t *e = &m->events[i];
		const tl_correlate_test_t *t = m->tests ? &m->tests[i] : NULL;
		if (!t || t->status != TL_CORRELATE_TESTABLE)
			continue;
		tl_tvars_t *it = tl_tvars_add_item(x->v, "events.tests");
		tl_tvars_set(it, "label", tl_vars_or_empty(e->label));
		tl_vars_put_time(x, e->win_start);
		tl_buf_puts(&x->b, " to ");
		tl_vars_put_time(x, e->win_end);
		tl_vars_put(x, it, "window");
		tl_fmt_uint(&x->b, t->observed, x->L);
		tl_vars_put(x, it, "observed");
		tl_fmt_fixed(&x->b, t->expected, 1, x->L);
		tl_vars_put(x, it, "expected");
		tl_fmt_ratio_ci(&x->b, t->rr, t->rr_lo, t->rr_hi, m->ci_level, 2, x->L);
		tl_vars_put(x, it, "rate_ratio_ci");
		double pa = m->settings.correction == TL_CORRELATE_BH ? t->p_bh : t->p_holm;
		tl_fmt_p(&x->b, pa, 4, x->L);
		tl_vars_put(x, it, "p_adjusted");
		tl_tvars_set_bool(it, "significant", t->significant);
		tl_vars_put_time(x, t->ref_start);
		tl_buf_puts(&x->b, " to ");
		tl_vars_put_time(x, t->ref_end);
		tl_vars_put(x, it, "reference");
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
		tl_vars_put(x, it, "top_source");
	}
	events_checks(x, m);
	const tl_correlate_perm_t *pm = &m->perm;
	if (pm->done) {
		tl_fmt_p(&x->b, pm->p, 4, x->L);
		tl_vars_put(x, x->v, "events.permutation_p");
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
		tl_vars_put(x, x->v, "events.permutations");
	} else {
		tl_buf_puts(&x->b, "not computed: ");
		tl_buf_puts(&x->b, perm_reason(pm->reason));
		tl_vars_put(x, x->v, "events.permutation_p");
		tl_tvars_set(x->v, "events.permutations", "none");
	}
}

/* ---- name lifecycle ---- */

static void put_ref(vctx_t *x, const tl_names_ref_t *r)
{
	tl_vars_put_time(x, r->ts);
	tl_buf_puts(&x->b, " (");
	tl_vars_put_pos(x, r->input, r->file, r->pos);
	tl_buf_puts(&x->b, ")");
}

void tl_vars_names(vctx_t *x)
{
	const tl_names_model_t *m = &x->f->names;
	tl_tvars_set_list(x->v, "names");
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		if (!nm->target)
			continue;
		tl_tvars_t *it = tl_tvars_add_item(x->v, "names");
		tl_vars_put_name(&x->b, nm->name);
		tl_vars_put(x, it, "name");
		if (nm->has_success)
			put_ref(x, &nm->last_success);
		else
			tl_buf_puts(&x->b, "none seen");
		tl_vars_put(x, it, "last_success");
		if (nm->has_failure_after) {
			char rb[16];
			tl_vars_put_time(x, nm->failure_after.ts);
			tl_buf_printf(&x->b, ", %s (", tl_rcode_name(nm->failure_rcode, rb));
			tl_vars_put_pos(x, nm->failure_after.input, nm->failure_after.file,
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
		tl_vars_put(x, it, "failure_after");
		if (nm->has_first_query) {
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&nm->querier, a);
			tl_vars_put_time(x, nm->first_query.ts);
			tl_buf_printf(&x->b, ", from %s", a);
			if (nm->querier_org)
				tl_buf_printf(&x->b, ", attributed to %s", nm->querier_org);
			tl_buf_puts(&x->b, " (");
			tl_vars_put_pos(x, nm->first_query.input, nm->first_query.file,
					nm->first_query.pos);
			tl_buf_puts(&x->b, ")");
		} else {
			tl_buf_puts(&x->b, "none seen");
		}
		tl_vars_put(x, it, "first_query");
		for (size_t k = 0; k < nm->n_successors; k++) {
			const tl_names_binding_t *s = &nm->successors[k];
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&s->addr, a);
			if (k)
				tl_buf_puts(&x->b, "; ");
			tl_vars_put_name(&x->b, s->name);
			tl_buf_printf(&x->b, " (resolving to %s, first answered ", a);
			tl_vars_put_time(x, s->first.ts);
			tl_buf_puts(&x->b, ")");
		}
		tl_vars_put(x, it, "successors");
	}
}

/* ---- the summary in plain words ---- */

void tl_vars_summary_timing(vctx_t *x)
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
				tl_vars_put_and(&x->b, k++, sig);
				tl_buf_printf(&x->b, "\u201c%s\u201d",
					      tl_vars_or_empty(m->events[i].label));
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
	tl_vars_put(x, x->v, "summary.timing");
}

void tl_vars_summary_names(vctx_t *x)
{
	const tl_names_model_t *m = &x->f->names;
	size_t n = 0;
	for (size_t i = 0; i < m->n_names; i++) {
		const tl_names_name_t *nm = &m->names[i];
		if (!nm->target)
			continue;
		if (n++)
			tl_buf_puts(&x->b, " ");
		tl_vars_put_name(&x->b, nm->name);
		if (nm->has_failure_after && nm->has_success) {
			char rb[16];
			tl_buf_puts(&x->b, " was last answered at ");
			tl_vars_put_time(x, nm->last_success.ts);
			tl_buf_puts(&x->b, "; from ");
			tl_vars_put_time(x, nm->failure_after.ts);
			tl_buf_printf(&x->b, " lookups of it failed (%s)",
				      tl_rcode_name(nm->failure_rcode, rb));
		} else if (nm->has_failure_after) {
			tl_buf_puts(&x->b, " was never answered successfully in the evidence");
		} else if (nm->has_success) {
			tl_buf_puts(&x->b, " was answered whenever it was looked up; the last answer "
					   "is from ");
			tl_vars_put_time(x, nm->last_success.ts);
		} else {
			tl_buf_puts(&x->b, " was looked up, but no answer for it is in the evidence");
		}
		for (size_t k = 0; k < nm->n_successors; k++) {
			const tl_names_binding_t *sc = &nm->successors[k];
			char a[TL_ADDR_STR_LEN];
			tl_addr_format(&sc->addr, a);
			tl_buf_puts(&x->b, k ? "; and " : "; afterwards ");
			tl_vars_put_name(&x->b, sc->name);
			tl_buf_printf(&x->b, " answered with the same address %s, first at ", a);
			tl_vars_put_time(x, sc->first.ts);
		}
		tl_buf_puts(&x->b, ".");
	}
	tl_vars_put(x, x->v, "summary.names");
}

