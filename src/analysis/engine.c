/* engine.c - the analysis run: pass 1 feeds every record to the collectors
 * (names, quality, baseline, the TTL of the target's answers, PTR names);
 * the target set is then fixed; pass 2 collects the target's lookups; then
 * de-duplication, attribution and the modules. Inputs are read by worker
 * threads, each into its own collectors, merged in canonical (label) order, so
 * nothing depends on the thread count or the order inputs were listed in. */
#include "analysis/engine.h"
#include "analysis/validation.h"
#include "analysis/attrib.h"
#include "analysis/baseline.h"
#include "analysis/correlate.h"
#include "analysis/lookups.h"
#include "analysis/names.h"
#include "analysis/profile.h"
#include "analysis/quality.h"
#include "analysis/resolver.h"
#include "util/error.h"
#include "util/strmap.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- per-input state of pass 1 ---- */

typedef struct ttl_count {
	uint32_t ttl;
	uint64_t n;
} ttl_count_t;

typedef struct ptr_obs {
	int64_t ts;
	uint32_t input;
	uint64_t pos;
	tl_addr_t addr;
	char *name;
} ptr_obs_t;

typedef struct pass1 {
	tl_names_t *names;
	tl_quality_t *quality;
	tl_baseline_t *baseline;
	const tl_target_t *explicit_target; /* case names and suffixes only */
	ttl_count_t *ttls;
	size_t n_ttls;
	ptr_obs_t *ptrs;
	size_t n_ptrs, cap_ptrs;
} pass1_t;

typedef struct job {
	const tl_case_t *c;
	const tl_input_opts_t *opts;
	tl_ctx_t *ctx;
	int pass;
	pass1_t *p1;         /* per input (pass 1) */
	tl_lkcol_t **cols;   /* per input (pass 2) */
	const tl_target_t *target;
	uint8_t (*sha1)[TL_SHA256_LEN]; /* hashes of pass 1, per input */
	int *rc;             /* per input */
	size_t next;         /* next input to read (under lock) */
	pthread_mutex_t lock;
} job_t;

typedef struct feed {
	job_t *job;
	uint32_t input;
	int64_t offset_us;
} feed_t;

static void add_ttl(pass1_t *p, uint32_t ttl)
{
	for (size_t i = 0; i < p->n_ttls; i++)
		if (p->ttls[i].ttl == ttl) {
			p->ttls[i].n++;
			return;
		}
	p->ttls = tl_xrealloc(p->ttls, (p->n_ttls + 1) * sizeof(ttl_count_t));
	p->ttls[p->n_ttls++] = (ttl_count_t){ttl, 1};
}

static int rr_is_addr(uint16_t type)
{
	return type == 1 || type == 28; /* A (RFC 1035), AAAA (RFC 3596) */
}

static void pass1_record(pass1_t *p, const tl_record_t *r, uint32_t input, int64_t offset_us)
{
	tl_names_add(p->names, r, input, offset_us);
	tl_quality_add(p->quality, r, input, offset_us);
	tl_baseline_add(p->baseline, r, input, offset_us);
	if (!(r->known & TL_KNOWN_QR) || !r->qr || !r->qname || !(r->known & TL_KNOWN_ANSWERS))
		return;
	/* the TTL the cache-miss model uses: A/AAAA answers for the target's own names */
	if (tl_target_match(p->explicit_target, r->qname)) {
		for (size_t i = 0; i < r->n_answers; i++) {
			const tl_rr_t *rr = &r->answers[i];
			if (rr_is_addr(rr->type) && rr->ttl >= 0 && rr->ttl <= UINT32_MAX &&
			    tl_target_match(p->explicit_target, rr->name))
				add_ttl(p, (uint32_t)rr->ttl);
		}
	}
	/* PTR names seen in the data (RFC 1035 3.5, RFC 3596 2.5) */
	if (r->qtype == 12 && r->ts != TL_TIME_NONE) {
		tl_addr_t a;
		if (tl_ptr_name_to_addr(r->qname, &a) != TL_OK)
			return;
		for (size_t i = 0; i < r->n_answers; i++) {
			if (r->answers[i].type != 12 || !r->answers[i].data)
				continue;
			if (p->n_ptrs == p->cap_ptrs) {
				p->cap_ptrs = p->cap_ptrs ? 2 * p->cap_ptrs : 16;
				p->ptrs = tl_xrealloc(p->ptrs, p->cap_ptrs * sizeof(ptr_obs_t));
			}
			p->ptrs[p->n_ptrs++] = (ptr_obs_t){r->ts + offset_us, input, r->pos, a,
							   tl_xstrdup(r->answers[i].data)};
		}
	}
}

static int on_record(const tl_record_t *r, void *ud)
{
	feed_t *f = ud;
	if (f->job->pass == 1)
		pass1_record(&f->job->p1[f->input], r, f->input, f->offset_us);
	else
		tl_lkcol_add(f->job->cols[f->input], r, f->input, f->offset_us);
	return 0;
}

static void *worker(void *arg)
{
	job_t *job = arg;
	for (;;) {
		pthread_mutex_lock(&job->lock);
		size_t i = job->next++;
		pthread_mutex_unlock(&job->lock);
		if (i >= job->ctx->n_inputs)
			return NULL;
		tl_ctx_input_t *in = &job->ctx->inputs[i];
		feed_t f = {job, (uint32_t)i, in->offset_us};
		tl_input_info_t info;
		int rc = tl_input_read(in->resolved, (uint32_t)i, job->opts, on_record, &f, &info);
		if (job->pass == 1) {
			in->info = info;
			memcpy(job->sha1[i], info.sha256, TL_SHA256_LEN);
		} else if (rc == TL_OK && memcmp(job->sha1[i], info.sha256, TL_SHA256_LEN) != 0) {
			rc = TL_EIO; /* the file changed between the passes */
		}
		job->rc[i] = rc;
	}
}

static void run_pass(job_t *job, unsigned threads)
{
	job->next = 0;
	size_t n = job->ctx->n_inputs;
	if (threads > n)
		threads = (unsigned)n;
	if (threads <= 1) {
		worker(job);
		return;
	}
	pthread_t *t = tl_xcalloc(threads, sizeof(pthread_t));
	unsigned started = 0;
	for (unsigned k = 0; k < threads; k++)
		if (pthread_create(&t[k], NULL, worker, job) == 0)
			started++;
		else
			break;
	if (started == 0)
		worker(job); /* no thread could start: read here */
	for (unsigned k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	free(t);
}

/* ---- helpers ---- */

static int cmp_ptr_obs(const void *pa, const void *pb)
{
	const ptr_obs_t *a = pa, *b = pb;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The baselines' attribution: every source address attributed once (CIDR file, then
 * mmdb), sorted, with the index of its organisation, or TL_BASELINE_ORG_NONE when it is
 * unattributed (an entity of its own in the concentration measures). */
typedef struct org_map {
	tl_addr_t *addrs;  /* ascending (family, bytes) */
	uint32_t *org;     /* per address */
	size_t n;
	char **names;      /* organisation names, sorted bytewise */
	size_t n_names;
} org_map_t;

static int addr_order(const tl_addr_t *a, const tl_addr_t *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, sizeof(a->bytes));
}

static uint32_t baseline_org_of(const tl_addr_t *addr, void *ud)
{
	const org_map_t *m = ud;
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = addr_order(&m->addrs[mid], addr);
		if (c == 0)
			return m->org[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return TL_BASELINE_ORG_NONE; /* not a source of the baselines: not attributed */
}

static void org_map_build(org_map_t *m, const tl_attrib_t *attrib, const tl_baseline_t *b)
{
	memset(m, 0, sizeof(*m));
	m->n = tl_baseline_sources(b, &m->addrs);
	m->org = tl_xcalloc(m->n ? m->n : 1, sizeof(uint32_t));
	char **named = tl_xcalloc(m->n ? m->n : 1, sizeof(char *)); /* per address or NULL */
	char **sorted = tl_xcalloc(m->n ? m->n : 1, sizeof(char *));
	size_t ns = 0;
	for (size_t i = 0; i < m->n; i++) {
		tl_attribution_t at;
		if (tl_attrib_lookup(attrib, &m->addrs[i], &at) == TL_ATTRIB_NONE)
			continue;
		named[i] = tl_xstrdup(at.organisation);
		sorted[ns++] = named[i];
	}
	qsort(sorted, ns, sizeof(char *), cmp_cstr);
	m->names = tl_xcalloc(ns ? ns : 1, sizeof(char *));
	for (size_t i = 0; i < ns; i++)
		if (m->n_names == 0 || strcmp(m->names[m->n_names - 1], sorted[i]) != 0)
			m->names[m->n_names++] = tl_xstrdup(sorted[i]);
	for (size_t i = 0; i < m->n; i++) {
		m->org[i] = TL_BASELINE_ORG_NONE;
		if (!named[i])
			continue;
		const char *key = named[i];
		char **hit = bsearch(&key, m->names, m->n_names, sizeof(char *), cmp_cstr);
		m->org[i] = (uint32_t)(hit - m->names);
		free(named[i]);
	}
	free(named);
	free(sorted);
}

static void org_map_free(org_map_t *m)
{
	for (size_t i = 0; i < m->n_names; i++)
		free(m->names[i]);
	free(m->names);
	free(m->addrs);
	free(m->org);
	memset(m, 0, sizeof(*m));
}

/* One test's verdict figures, NaN and 0 when it was not testable. */
static void verdict_of(const tl_correlate_test_t *t, int *testable, double *rr, double *p,
		       int *significant)
{
	*testable = t->status == TL_CORRELATE_TESTABLE;
	*rr = *testable ? t->rr : NAN;
	*p = *testable ? t->p : NAN;
	*significant = *testable && t->significant;
}

/* "Show how the result changes": the same event analysis on a copy of the context whose
 * sensors carry the other coverage (src/analysis/quality.h), each event's rate ratio, p
 * and verdict kept beside the primary ones in the quality findings. */
static int run_other(const tl_ctx_t *ctx, uint8_t *const *other_minutes,
		     const tl_events_t *events, const tl_correlate_settings_t *cs,
		     tl_findings_t *out)
{
	tl_ctx_t alt = *ctx;
	tl_ctx_sensor_t *se = tl_xcalloc(ctx->n_sensors ? ctx->n_sensors : 1, sizeof(*se));
	for (size_t s = 0; s < ctx->n_sensors; s++) {
		se[s] = ctx->sensors[s];
		se[s].minutes = other_minutes[s];
	}
	alt.sensors = se;
	tl_correlate_model_t om;
	memset(&om, 0, sizeof(om));
	int rc = tl_correlate_run(&alt, events->events, events->n, cs, &om);
	free(se);
	if (rc != TL_OK) {
		tl_correlate_model_free(&om);
		return rc;
	}
	tl_quality_other_t *o = &out->quality.other;
	const tl_correlate_model_t *pm = &out->correlate;
	size_t n = pm->n_events < om.n_events ? pm->n_events : om.n_events;
	o->events = tl_xcalloc(n ? n : 1, sizeof(*o->events));
	o->n_events = n;
	o->largest_change = SIZE_MAX;
	double largest = 0;
	for (size_t e = 0; e < n; e++) {
		tl_quality_other_event_t *x = &o->events[e];
		x->label = pm->events[e].label;
		verdict_of(&pm->tests[e], &x->testable, &x->rr, &x->p, &x->significant);
		verdict_of(&om.tests[e], &x->testable_other, &x->rr_other, &x->p_other,
			   &x->significant_other);
		if (x->testable != x->testable_other || x->significant != x->significant_other)
			o->verdicts_changed++;
		if (x->testable && x->testable_other && fabs(x->rr_other - x->rr) > largest) {
			largest = fabs(x->rr_other - x->rr);
			o->largest_change = e;
		}
	}
	o->made = 1;
	tl_correlate_model_free(&om);
	return TL_OK;
}

static unsigned default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 1024 ? (unsigned)n : 1;
}

/* Frees memory the context holds through const pointers (it owns it). */
static void free_const(const void *p)
{
	free((void *)(uintptr_t)p);
}

/* The baselines: the same de-duplication as the target's lookups (tolerance, sensors,
 * the clock offsets measured on the target's sightings), each source attributed once,
 * the target's successors and the names sharing its addresses left out of the
 * comparison, the bootstrap seeded with the case's seed. */
static int run_baseline(const tl_case_t *c, const tl_ctx_t *ctx, const tl_attrib_t *attrib,
			const tl_names_t *names, const tl_baseline_t *baseline, const char **tn,
			size_t ntn, tl_findings_t *out)
{
	org_map_t om;
	org_map_build(&om, attrib, baseline);
	/* the target's addresses: the case's, and every address a target name resolved to
	 * in the evidence */
	size_t nti = c->n_ips;
	for (size_t k = 0; k < out->names.n_names; k++)
		if (out->names.names[k].target)
			nti += out->names.names[k].n_addrs;
	tl_addr_t *ti = tl_xcalloc(nti ? nti : 1, sizeof(tl_addr_t));
	nti = 0;
	for (size_t k = 0; k < c->n_ips; k++)
		ti[nti++] = c->ips[k];
	size_t nsucc = 0;
	for (size_t k = 0; k < out->names.n_names; k++)
		if (out->names.names[k].target) {
			for (size_t a = 0; a < out->names.names[k].n_addrs; a++)
				ti[nti++] = out->names.names[k].addrs[a];
			nsucc += out->names.names[k].n_successors;
		}
	const char **succ = tl_xcalloc(nsucc ? nsucc : 1, sizeof(char *));
	nsucc = 0;
	for (size_t k = 0; k < out->names.n_names; k++)
		if (out->names.names[k].target)
			for (size_t a = 0; a < out->names.names[k].n_successors; a++)
				succ[nsucc++] = out->names.names[k].successors[a].name;
	const char **shared = NULL;
	size_t nshared = 0;
	if (nti && tl_names_resolved_to(names, ti, nti, &shared, &nshared) != TL_OK) {
		shared = NULL;
		nshared = 0;
	}
	uint32_t *isens = tl_xcalloc(ctx->n_inputs ? ctx->n_inputs : 1, sizeof(uint32_t));
	for (size_t i = 0; i < ctx->n_inputs; i++)
		isens[i] = ctx->inputs[i].sensor;
	size_t ns = ctx->n_sensors;
	double *off = tl_xcalloc(ns ? ns * ns : 1, sizeof(double));
	for (size_t k = 0; k < out->dedup.n_offsets; k++) {
		const tl_offset_est_t *e = &out->dedup.offsets[k];
		off[e->sensor_a * ns + e->sensor_b] = e->median_s;
		off[e->sensor_b * ns + e->sensor_a] = -e->median_s;
	}
	tl_baseline_query_t bq = {
		.target_names = tn,
		.n_target_names = ntn,
		.target_suffixes = (const char *const *)c->suffixes,
		.n_target_suffixes = c->n_suffixes,
		.target_ips = ti,
		.n_target_ips = nti,
		.successor_names = succ,
		.n_successor_names = nsucc,
		.shared_addr_names = shared,
		.n_shared_addr_names = nshared,
		.org_of = baseline_org_of,
		.org_ud = &om,
		.n_orgs = om.n_names,
		.org_names = (const char *const *)om.names,
		.input_sensor = isens,
		.n_inputs = ctx->n_inputs,
		.n_sensors = ns,
		.clock_offsets_s = off,
		.dedup_tolerance_us = c->dedup_tolerance_us,
		.seed = c->seed,
		.alpha = c->alpha,
	};
	int rc = tl_baseline_finish(baseline, &bq, &out->baseline);
	free(off);
	free(isens);
	free(shared);
	free(succ);
	free(ti);
	org_map_free(&om);
	return rc;
}

/* ---- the run ---- */

/* What one run holds between its phases. */
typedef struct run {
	const tl_case_t *c;
	const tl_events_t *events; /* NULL: the case names none */
	unsigned threads;
	tl_findings_t *out;
	tl_ctx_t *ctx;                /* &out->ctx */
	char *err;
	size_t errlen;
	job_t job;                    /* the two passes over the inputs */
	tl_attrib_t *attrib;          /* owned */
	tl_target_t *explicit_t;      /* the case's names and suffixes; owned */
	tl_target_t *target;          /* the same and the names resolving to its addresses; owned */
	tl_names_settings_t nset;
	tl_quality_settings_t qset;
	tl_baseline_settings_t bset;
	tl_names_t *names;            /* pass 1's collectors, merged; owned */
	tl_quality_t *quality;
	tl_baseline_t *baseline;
	tl_lkcol_t **cols;            /* pass 2's, per input; owned */
	uint8_t **other_minutes;      /* per sensor: the other coverage's bitmap; owned */
	const char **tn;              /* every target name (the case's and resolved); owned
				       * array of borrowed names */
	size_t ntn;
} run_t;

/* Inputs (already in label order) and sensors (sorted by name). */
static void setup_inputs(run_t *r)
{
	const tl_case_t *c = r->c;
	tl_ctx_t *ctx = r->ctx;
	ctx->n_inputs = c->n_inputs;
	ctx->inputs = tl_xcalloc(c->n_inputs, sizeof(tl_ctx_input_t));
	const char **sensor_names = tl_xcalloc(c->n_inputs, sizeof(char *));
	for (size_t i = 0; i < c->n_inputs; i++)
		sensor_names[i] = c->inputs[i].sensor;
	qsort(sensor_names, c->n_inputs, sizeof(char *), cmp_cstr);
	size_t ns = 0;
	for (size_t i = 0; i < c->n_inputs; i++)
		if (ns == 0 || strcmp(sensor_names[ns - 1], sensor_names[i]) != 0)
			sensor_names[ns++] = sensor_names[i];
	ctx->n_sensors = ns;
	ctx->sensors = tl_xcalloc(ns, sizeof(tl_ctx_sensor_t));
	for (size_t s = 0; s < ns; s++) {
		ctx->sensors[s].name = sensor_names[s];
		ctx->sensors[s].first_ts = ctx->sensors[s].last_ts = TL_TIME_NONE;
	}
	for (size_t i = 0; i < c->n_inputs; i++) {
		tl_ctx_input_t *in = &ctx->inputs[i];
		in->label = c->inputs[i].label;
		in->path = c->inputs[i].path;
		in->resolved = c->inputs[i].resolved;
		in->offset_us = c->inputs[i].offset_us;
		in->has_recording = c->inputs[i].has_recording;
		in->recording = c->inputs[i].recording;
		in->n_recording = c->inputs[i].n_recording;
		in->gaps = c->inputs[i].gaps;
		in->n_gaps = c->inputs[i].n_gaps;
		for (size_t s = 0; s < ns; s++)
			if (strcmp(sensor_names[s], c->inputs[i].sensor) == 0)
				in->sensor = (uint32_t)s;
	}
	free(sensor_names);
}

/* Pass 1: every record to the per-input collectors. An input that cannot be read, or
 * whose hash is not the one the case file expects, is the run's error; its collectors
 * are still merged (and freed) by merge_pass1. */
static int pass1(run_t *r)
{
	const tl_case_t *c = r->c;
	tl_ctx_t *ctx = r->ctx;
	tl_names_settings_default(&r->nset);
	tl_quality_settings_default(&r->qset);
	r->qset.gap_threshold_us = c->gap_threshold_us;
	tl_baseline_settings_default(&r->bset);
	r->bset.min_lookups = c->baseline_min_lookups;
	r->bset.top_k = (uint32_t)c->top_k;
	job_t *job = &r->job;
	job->pass = 1;
	job->p1 = tl_xcalloc(ctx->n_inputs, sizeof(pass1_t));
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		job->p1[i].names = tl_names_new(&r->nset);
		job->p1[i].quality = tl_quality_new(&r->qset);
		job->p1[i].baseline = tl_baseline_new(&r->bset);
		job->p1[i].explicit_target = r->explicit_t;
	}
	run_pass(job, r->threads);
	int rc = TL_OK;
	for (size_t i = 0; i < ctx->n_inputs && rc == TL_OK; i++) {
		const tl_ctx_input_t *in = &ctx->inputs[i];
		if (job->rc[i] != TL_OK) {
			rc = job->rc[i];
			snprintf(r->err, r->errlen, "%s: %s%s%s", in->path, tl_strerror(rc),
				 in->info.error[0] ? ": " : "", in->info.error);
		} else if (c->inputs[i].has_sha256 &&
			   memcmp(c->inputs[i].sha256, in->info.sha256, TL_SHA256_LEN) != 0) {
			char hex[TL_SHA256_HEX_LEN];
			tl_sha256_hex(in->info.sha256, hex);
			rc = TL_EEVIDENCE;
			snprintf(r->err, r->errlen,
				 "%s: SHA-256 mismatch: the case file expects %s, the file has %s; "
				 "the evidence is not what was received, nothing was analysed",
				 in->path, c->inputs[i].sha256_hex, hex);
		}
	}
	return rc;
}

/* The TTL: from the case, or the most frequent TTL of the target's A/AAAA answers (ties:
 * the larger, the authoritative value before any decrement). */
static void choose_ttl(run_t *r, const ttl_count_t *ttls, size_t n_ttls)
{
	tl_ctx_t *ctx = r->ctx;
	if (!r->c->ttl_auto) {
		ctx->ttl_s = r->c->ttl_us / TL_US_PER_SEC;
		ctx->ttl_method = "case";
		return;
	}
	size_t best = SIZE_MAX;
	for (size_t k = 0; k < n_ttls; k++) {
		r->out->ttl_answers += ttls[k].n;
		if (best == SIZE_MAX || ttls[k].n > ttls[best].n ||
		    (ttls[k].n == ttls[best].n && ttls[k].ttl > ttls[best].ttl))
			best = k;
	}
	if (best != SIZE_MAX && ttls[best].ttl > 0) {
		ctx->ttl_s = ttls[best].ttl;
		ctx->ttl_method = "answers";
	} else {
		ctx->ttl_s = 3600;
		ctx->ttl_method = "default (no answer for the target in the evidence)";
	}
}

/* Merges pass 1's collectors in input order into the first input's, then fixes the TTL
 * and feeds the PTR names to the attribution in time order. */
static void merge_pass1(run_t *r)
{
	tl_ctx_t *ctx = r->ctx;
	job_t *job = &r->job;
	ttl_count_t *ttls = NULL;
	size_t n_ttls = 0;
	ptr_obs_t *ptrs = NULL;
	size_t n_ptrs = 0;
	if (ctx->n_inputs) {
		r->names = job->p1[0].names;
		r->quality = job->p1[0].quality;
		r->baseline = job->p1[0].baseline;
	} else {
		r->names = tl_names_new(&r->nset);
		r->quality = tl_quality_new(&r->qset);
		r->baseline = tl_baseline_new(&r->bset);
	}
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		pass1_t *p = &job->p1[i];
		if (i > 0) {
			tl_names_merge(r->names, p->names);
			tl_quality_merge(r->quality, p->quality);
			tl_baseline_merge(r->baseline, p->baseline);
			tl_names_free(p->names);
			tl_quality_free(p->quality);
			tl_baseline_free(p->baseline);
		}
		for (size_t k = 0; k < p->n_ttls; k++) {
			size_t m = 0;
			while (m < n_ttls && ttls[m].ttl != p->ttls[k].ttl)
				m++;
			if (m == n_ttls) {
				ttls = tl_xrealloc(ttls, (n_ttls + 1) * sizeof(ttl_count_t));
				ttls[n_ttls++] = (ttl_count_t){p->ttls[k].ttl, 0};
			}
			ttls[m].n += p->ttls[k].n;
		}
		free(p->ttls);
		ptrs = tl_xrealloc(ptrs, (n_ptrs + p->n_ptrs + 1) * sizeof(ptr_obs_t));
		if (p->n_ptrs)
			memcpy(ptrs + n_ptrs, p->ptrs, p->n_ptrs * sizeof(ptr_obs_t));
		n_ptrs += p->n_ptrs;
		free(p->ptrs);
	}
	free(job->p1);
	job->p1 = NULL;

	choose_ttl(r, ttls, n_ttls);
	free(ttls);

	qsort(ptrs, n_ptrs, sizeof(ptr_obs_t), cmp_ptr_obs);
	for (size_t k = 0; k < n_ptrs; k++) {
		tl_attrib_add_ptr(r->attrib, &ptrs[k].addr, ptrs[k].name);
		free(ptrs[k].name);
	}
	free(ptrs);
}

/* A target of the case's names and suffixes alone. */
static tl_target_t *case_target(const tl_case_t *c)
{
	tl_target_t *t = tl_target_new();
	for (size_t i = 0; i < c->n_names; i++)
		tl_target_add_name(t, c->names[i]);
	for (size_t i = 0; i < c->n_suffixes; i++)
		tl_target_add_suffix(t, c->suffixes[i]);
	return t;
}

/* The target set: the case's names and suffixes, and the names seen resolving to the
 * case's addresses in pass 1. */
static void build_target(run_t *r)
{
	const tl_case_t *c = r->c;
	tl_findings_t *out = r->out;
	r->target = case_target(c);
	if (c->n_ips) {
		const char **rn = NULL;
		size_t nrn = 0;
		tl_names_resolved_to(r->names, c->ips, c->n_ips, &rn, &nrn);
		out->target_names_resolved = tl_xcalloc(nrn, sizeof(char *));
		for (size_t k = 0; k < nrn; k++) {
			out->target_names_resolved[k] = tl_xstrdup(rn[k]);
			tl_target_add_name(r->target, rn[k]);
		}
		out->n_target_names_resolved = nrn;
		free(rn);
	}
}

/* Pass 2: the target's lookups, from files that must be the ones pass 1 read; then
 * their de-duplication. */
static int pass2(run_t *r)
{
	tl_ctx_t *ctx = r->ctx;
	job_t *job = &r->job;
	r->cols = tl_xcalloc(ctx->n_inputs, sizeof(tl_lkcol_t *));
	for (size_t i = 0; i < ctx->n_inputs; i++)
		r->cols[i] = tl_lkcol_new(r->target);
	job->pass = 2;
	job->cols = r->cols;
	job->target = r->target;
	run_pass(job, r->threads);
	for (size_t i = 0; i < ctx->n_inputs; i++) {
		if (job->rc[i] != TL_OK) {
			snprintf(r->err, r->errlen,
				 "%s: changed or unreadable between the two passes (%s)",
				 ctx->inputs[i].path, tl_strerror(job->rc[i]));
			/* a file that reads differently the second time is not the evidence
			 * pass 1 hashed */
			return job->rc[i] == TL_EIO ? TL_EEVIDENCE : job->rc[i];
		}
	}
	tl_lookups_build(ctx, r->cols, ctx->n_inputs, r->c->dedup_tolerance_us, &r->out->dedup);
	return TL_OK;
}

/* Attributes each source once, and numbers the organisations in name order (bytewise), so
 * that indices do not depend on which source was met first. */
static void attribute_sources(run_t *r)
{
	tl_ctx_t *ctx = r->ctx;
	tl_findings_t *out = r->out;
	tl_strmap_t *oidx = tl_strmap_new();
	const char **onames = NULL;
	const char **ozones = NULL;
	const char **omethods = NULL;
	size_t no = 0;
	out->source_attr = tl_xcalloc(ctx->n_sources, sizeof(tl_findings_source_t));
	uint32_t *src_org = tl_xcalloc(ctx->n_sources, sizeof(uint32_t));
	for (size_t s = 0; s < ctx->n_sources; s++) {
		tl_attribution_t at;
		tl_attrib_lookup(r->attrib, &ctx->sources[s].addr, &at);
		uint32_t k = tl_strmap_get(oidx, at.organisation, strlen(at.organisation));
		if (k == UINT32_MAX) {
			k = (uint32_t)no++;
			tl_strmap_put(oidx, at.organisation, strlen(at.organisation), k);
			onames = tl_xrealloc(onames, no * sizeof(char *));
			ozones = tl_xrealloc(ozones, no * sizeof(char *));
			omethods = tl_xrealloc(omethods, no * sizeof(char *));
			onames[k] = tl_xstrdup(at.organisation);
			ozones[k] = tl_xstrdup(at.timezone);
			omethods[k] = at.method_name;
		}
		src_org[s] = k;
		out->source_attr[s].network = tl_xstrdup(at.network);
		out->source_attr[s].has_asn = at.has_asn;
		out->source_attr[s].asn = at.asn;
		const tl_ptr_seen_t *ps = tl_attrib_ptr(r->attrib, &ctx->sources[s].addr);
		ctx->sources[s].ptr = ps ? tl_xstrdup(ps->first) : NULL;
	}
	size_t *perm = tl_xcalloc(no, sizeof(size_t));
	for (size_t k = 0; k < no; k++)
		perm[k] = k;
	for (size_t a = 1; a < no; a++) /* insertion sort: few organisations */
		for (size_t b = a; b > 0 && strcmp(onames[perm[b - 1]], onames[perm[b]]) > 0; b--) {
			size_t t = perm[b];
			perm[b] = perm[b - 1];
			perm[b - 1] = t;
		}
	uint32_t *rank = tl_xcalloc(no, sizeof(uint32_t));
	ctx->orgs = tl_xcalloc(no, sizeof(tl_ctx_org_t));
	for (size_t k = 0; k < no; k++) {
		rank[perm[k]] = (uint32_t)k;
		ctx->orgs[k].name = onames[perm[k]];
		ctx->orgs[k].tz = ozones[perm[k]];
		ctx->orgs[k].method = omethods[perm[k]];
	}
	ctx->n_orgs = no;
	for (size_t s = 0; s < ctx->n_sources; s++)
		ctx->sources[s].org = rank[src_org[s]];
	free(perm);
	free(rank);
	free(src_org);
	free(onames);
	free(ozones);
	free(omethods);
	tl_strmap_free(oidx);
}

/* The span of the data, each sensor's coverage and each input's time resolution. */
static void coverage(run_t *r)
{
	tl_ctx_t *ctx = r->ctx;
	if (tl_quality_span(r->quality, &ctx->span_start, &ctx->span_end) != TL_OK)
		ctx->span_start = ctx->span_end = 0;
	tl_quality_coverage(r->quality, ctx, &r->other_minutes);
	for (size_t i = 0; i < ctx->n_inputs; i++)
		tl_quality_input_order(r->quality, (uint32_t)i, &ctx->inputs[i].resolution_us,
				       &ctx->inputs[i].order_regressions);
}

/* The names finding; the names that resolved to a target address are target names too. */
static int run_names(run_t *r)
{
	const tl_case_t *c = r->c;
	tl_findings_t *out = r->out;
	r->tn = tl_xcalloc(c->n_names + out->n_target_names_resolved, sizeof(char *));
	r->ntn = 0;
	for (size_t k = 0; k < c->n_names; k++)
		r->tn[r->ntn++] = c->names[k];
	for (size_t k = 0; k < out->n_target_names_resolved; k++)
		r->tn[r->ntn++] = out->target_names_resolved[k];
	tl_names_filter_t nf = {r->tn, r->ntn, c->ips, c->n_ips};
	return tl_names_finish(r->names, r->ctx, &nf, &out->names);
}

/* The data-quality finding, with the clock offsets de-duplication measured. */
static int run_quality(run_t *r)
{
	tl_findings_t *out = r->out;
	tl_quality_offset_t *qo = tl_xcalloc(out->dedup.n_offsets, sizeof(*qo));
	for (size_t k = 0; k < out->dedup.n_offsets; k++) {
		const tl_offset_est_t *e = &out->dedup.offsets[k];
		qo[k].sensor_a = e->sensor_a;
		qo[k].sensor_b = e->sensor_b;
		qo[k].pairs = e->pairs;
		qo[k].median_us = (int64_t)(e->median_s * 1e6 + (e->median_s < 0 ? -0.5 : 0.5));
		qo[k].mad_us = (int64_t)(e->mad_s * 1e6 + 0.5);
	}
	int rc = tl_quality_finish(r->quality, r->ctx, qo, out->dedup.n_offsets, &out->quality);
	free(qo);
	return rc;
}

/* The event test. The lifecycle of the target's names (where each stopped resolving and
 * where a successor first answered) is passed as hints: the test never compares across
 * them. With another coverage, the test is made again on it. */
static int run_correlate(run_t *r)
{
	const tl_case_t *c = r->c;
	tl_findings_t *out = r->out;
	size_t nh = 0;
	for (size_t k = 0; k < out->names.n_names; k++) {
		const tl_names_name_t *nm = &out->names.names[k];
		if (nm->target && nm->has_failure_after)
			nh += 1 + nm->n_successors;
	}
	tl_correlate_hint_t *hints = tl_xcalloc(nh ? nh : 1, sizeof(*hints));
	nh = 0;
	for (size_t k = 0; k < out->names.n_names; k++) {
		const tl_names_name_t *nm = &out->names.names[k];
		if (!nm->target || !nm->has_failure_after)
			continue;
		hints[nh++] = (tl_correlate_hint_t){nm->failure_after.ts, TL_CORRELATE_HINT_STOPPED,
						    nm->name};
		for (size_t q = 0; q < nm->n_successors; q++)
			hints[nh++] = (tl_correlate_hint_t){nm->successors[q].first.ts,
							    TL_CORRELATE_HINT_SUCCESSOR,
							    nm->successors[q].name};
	}
	tl_correlate_settings_t cs = {
		.alpha = c->alpha,
		.permutations = c->permutations,
		.seed = c->seed,
		.correction = c->correction == TL_CORRECTION_BH ? TL_CORRELATE_BH : TL_CORRELATE_HOLM,
		.reference_weeks = (uint32_t)c->reference_weeks,
		.min_reference_weeks = (uint32_t)c->min_reference_weeks,
		.hints = hints,
		.n_hints = nh,
	};
	int rc = tl_correlate_run(r->ctx, r->events->events, r->events->n, &cs, &out->correlate);
	if (rc != TL_OK) {
		free(hints);
		snprintf(r->err, r->errlen, "event correlation: %s", tl_strerror(rc));
		return rc;
	}
	out->has_correlate = 1;
	if (out->quality.other.differs)
		rc = run_other(r->ctx, r->other_minutes, r->events, &cs, out);
	free(hints);
	if (rc != TL_OK)
		snprintf(r->err, r->errlen, "event correlation (other coverage): %s", tl_strerror(rc));
	return rc;
}

/* The findings, in an order where each reads only what is before it. */
static int run_modules(run_t *r)
{
	const tl_case_t *c = r->c;
	tl_findings_t *out = r->out;
	tl_profile_settings_t ps = {c->alpha, (size_t)c->top_k};
	int rc = tl_profile_run(r->ctx, &ps, &out->profile);
	if (rc != TL_OK) {
		snprintf(r->err, r->errlen, "profile: %s", tl_strerror(rc));
		return rc;
	}
	tl_resolver_settings_t rs = {c->alpha, c->periodic_tolerance_us / TL_US_PER_SEC, 20};
	if (rs.tolerance_s < 1)
		rs.tolerance_s = 1;
	if ((rc = tl_resolver_run(r->ctx, &rs, &out->resolver)) != TL_OK) {
		snprintf(r->err, r->errlen, "resolver behaviour: %s", tl_strerror(rc));
		return rc;
	}
	if ((rc = run_names(r)) != TL_OK) {
		snprintf(r->err, r->errlen, "names: %s", tl_strerror(rc));
		return rc;
	}
	rc = run_baseline(c, r->ctx, r->attrib, r->names, r->baseline, r->tn, r->ntn, out);
	if (rc != TL_OK) {
		snprintf(r->err, r->errlen, "baselines: %s", tl_strerror(rc));
		return rc;
	}
	if ((rc = run_quality(r)) != TL_OK) {
		snprintf(r->err, r->errlen, "data quality: %s", tl_strerror(rc));
		return rc;
	}
	return r->events ? run_correlate(r) : TL_OK;
}

static void run_free(run_t *r)
{
	if (r->other_minutes)
		for (size_t s = 0; s < r->ctx->n_sensors; s++)
			free(r->other_minutes[s]);
	free(r->other_minutes);
	if (r->cols)
		for (size_t i = 0; i < r->ctx->n_inputs; i++)
			tl_lkcol_free(r->cols[i]);
	free(r->cols);
	free(r->tn);
	tl_target_free(r->target);
	tl_target_free(r->explicit_t);
	tl_names_free(r->names);
	tl_quality_free(r->quality);
	tl_baseline_free(r->baseline);
	tl_attrib_free(r->attrib);
	pthread_mutex_destroy(&r->job.lock);
	free(r->job.sha1);
	free(r->job.rc);
}

int tl_analysis_run(const tl_case_t *c, const tl_events_t *events, const tl_input_opts_t *opts,
		    unsigned threads, const char *tool_version, tl_findings_t *out, char *err,
		    size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->kase = c;
	out->events = events;
	out->tool_version = tool_version;
	out->ctx.kase = c;
	err[0] = '\0';
	run_t r = {
		.c = c,
		.events = events,
		.threads = threads ? threads : c->threads ? (unsigned)c->threads : default_threads(),
		.out = out,
		.ctx = &out->ctx,
		.err = err,
		.errlen = errlen,
	};
	setup_inputs(&r);
	tl_validation_summarise(&out->validation);

	int rc = tl_attrib_open(c, &r.attrib, err, errlen);
	if (rc != TL_OK)
		return rc;
	/* the manifest checks that the file it hashes later is the one read here */
	if (tl_attrib_orgs(r.attrib))
		snprintf(out->orgs_sha256, sizeof(out->orgs_sha256), "%s",
			 tl_attrib_orgs(r.attrib)->sha256_hex);

	r.explicit_t = case_target(c);

	r.job.c = c;
	r.job.opts = opts;
	r.job.ctx = r.ctx;
	r.job.sha1 = tl_xcalloc(r.ctx->n_inputs, sizeof(*r.job.sha1));
	r.job.rc = tl_xcalloc(r.ctx->n_inputs, sizeof(int));
	pthread_mutex_init(&r.job.lock, NULL);

	rc = pass1(&r);
	merge_pass1(&r);
	if (rc == TL_OK) {
		build_target(&r);
		rc = pass2(&r);
	}
	if (rc == TL_OK) {
		attribute_sources(&r);
		coverage(&r);
		rc = run_modules(&r);
	}
	run_free(&r);
	return rc;
}

void tl_findings_free(tl_findings_t *f)
{
	if (!f)
		return;
	tl_ctx_t *ctx = &f->ctx;
	tl_profile_model_free(&f->profile);
	tl_resolver_model_free(&f->resolver);
	tl_baseline_model_free(&f->baseline);
	if (f->has_correlate)
		tl_correlate_model_free(&f->correlate);
	tl_names_model_free(&f->names);
	tl_quality_model_free(&f->quality);
	tl_dedup_stats_free(&f->dedup);
	for (size_t s = 0; s < ctx->n_sources; s++) {
		free_const(ctx->sources[s].ptr);
		if (f->source_attr)
			free_const(f->source_attr[s].network);
	}
	free(f->source_attr);
	for (size_t k = 0; k < ctx->n_orgs; k++) {
		free_const(ctx->orgs[k].name);
		free_const(ctx->orgs[k].tz);
	}
	free(ctx->orgs);
	for (size_t k = 0; k < ctx->n_names; k++)
		free_const(ctx->names[k]);
	free(ctx->names);
	free(ctx->sources);
	free(ctx->lookups);
	for (size_t s = 0; s < ctx->n_sensors; s++)
		free(ctx->sensors[s].minutes);
	free(ctx->sensors);
	free(ctx->inputs);
	for (size_t k = 0; k < f->n_target_names_resolved; k++)
		free_const(f->target_names_resolved[k]);
	free(f->target_names_resolved);
	memset(f, 0, sizeof(*f));
}
