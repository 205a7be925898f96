/* truth.c - the sample case's ground truth recovered by the analysis (ctest case/truth).
 *
 * Usage: truth CASE GROUND_TRUTH
 * Loads the case (tl_case_load) and its events (tl_events_load), runs the whole analysis
 * (tl_analysis_run) and compares the findings model with samples/ground-truth.json (written by
 * tools/mkcase from what it put into the files). Every comparison is printed as
 *   "ok    WHAT: truth T; found F"   or   "FAIL  WHAT: truth T; found F"
 * so a reader sees what was checked. A failing comparison listed below as a known
 * discrepancy (a diagnosed fault in the analysis or in the truth, owned by someone else)
 * prints "KNOWN DISCREPANCY: ..." with the diagnosis and does not fail the test; if it
 * starts to pass, the line says so (take it off the list). Exit 0 when nothing else
 * failed, 1 otherwise, 2 when the case or the truth cannot be read.
 *
 * Two runs:
 *  1. The case as committed. Its [target] holds the target name and its successor
 *     (hw1.contact-partner.example), so the findings' totals (lookups, profile, events)
 *     also hold the successor's lookups. The ground truth counts the target NAME only. So the
 *     counts are compared per name: the context's sightings (ctx.lookups, each with its
 *     interned name, its source, and dup_of = the kept sighting it duplicates) filtered to
 *     mail1.hallworth-email.example. These are the engine's own de-duplicated lookups,
 *     not a recount: only the filter by name is done here.
 *  2. The same case with the target narrowed to the target name alone (names overridden,
 *     any addresses dropped), so that the profile's per-source and per-organisation figures,
 *     shares and 95% intervals are of exactly the population the truth counts.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "analysis/engine.h"
#include "case/events.h"
#include "model/findings.h"
#include "util/error.h"
#include "util/time.h"

#define TARGET "mail1.hallworth-email.example."
#define MAX_SENSORS 8

static unsigned n_ok, n_fail, n_known, n_fixed;

/* Prints one comparison. known: NULL, or the diagnosis of a known discrepancy (the check
 * then does not fail the test). */
static void report(int ok, const char *known, const char *what, const char *truth,
		   const char *found)
{
	if (ok && known) {
		n_fixed++;
		printf("ok    %s: truth %s; found %s (listed as a known discrepancy but now agrees: "
		       "take it off the list)\n", what, truth, found);
	} else if (ok) {
		n_ok++;
		printf("ok    %s: truth %s; found %s\n", what, truth, found);
	} else if (known) {
		n_known++;
		printf("KNOWN DISCREPANCY: %s: truth %s; found %s\n    diagnosis: %s\n", what, truth,
		       found, known);
	} else {
		n_fail++;
		printf("FAIL  %s: truth %s; found %s\n", what, truth, found);
	}
}

__attribute__((format(printf, 1, 2))) static void info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("info  ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

/* An exact count. known: NULL, or the diagnosis of a known discrepancy that explains
 * exactly found = truth + delta; any other difference fails. */
__attribute__((format(printf, 5, 6))) static void check_u64(const char *known, int64_t delta,
							       uint64_t truth, uint64_t found,
							       const char *fmt, ...)
{
	char what[512], t[32], f[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(t, sizeof(t), "%llu", (unsigned long long)truth);
	snprintf(f, sizeof(f), "%llu", (unsigned long long)found);
	if (known && (delta == 0 || (int64_t)(found - truth) != delta) && found != truth)
		known = NULL; /* not the diagnosed difference: a failure */
	if (known && delta == 0)
		known = NULL;
	report(truth == found, known, what, t, f);
}

/* ---- the ground truth (jansson) ---- */

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("truth: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* The member at a dotted path ("lifecycle.successor_first_frame"); dies when missing. */
static json_t *jget(json_t *o, const char *path)
{
	char key[128];
	const char *p = path;
	json_t *v = o;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key))
			die("ground truth: path too long: %s", path);
		memcpy(key, p, n);
		key[n] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
		if (!v)
			die("ground truth: no %s", path);
		p += n + (dot != NULL);
	}
	return v;
}

static const char *jstr(json_t *o, const char *path)
{
	json_t *v = jget(o, path);
	if (!json_is_string(v))
		die("ground truth: %s is not a string", path);
	return json_string_value(v);
}

static uint64_t ju64(json_t *o, const char *path)
{
	json_t *v = jget(o, path);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		die("ground truth: %s is not a count", path);
	return (uint64_t)json_integer_value(v);
}

static double jnum(json_t *o, const char *path)
{
	json_t *v = jget(o, path);
	if (!json_is_number(v))
		die("ground truth: %s is not a number", path);
	return json_number_value(v);
}

static int64_t jtime(json_t *o, const char *path)
{
	const char *s = jstr(o, path);
	int64_t us;
	if (tl_time_parse(s, strlen(s), &us) != TL_OK)
		die("ground truth: %s is not a time: %s", path, s);
	return us;
}

static void fmt_time(int64_t us, char out[TL_TIME_ISO_LEN])
{
	if (us == TL_TIME_NONE)
		snprintf(out, TL_TIME_ISO_LEN, "none");
	else
		tl_time_format_iso(us, out);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- what the truth and the findings share: sensors and names ---- */

typedef struct sensors {
	size_t n;
	int truth_no[MAX_SENSORS];   /* ctx sensor -> the truth's sensor number (1..), 0: none */
	double offset_s[MAX_SENSORS]; /* the truth's clock offset of that sensor (vs UTC) */
} sensors_t;

/* The truth names sensors by their capture file; the case by labels. A ctx sensor is the
 * truth's sensor whose file is the basename of one of the sensor's inputs. */
static void map_sensors(const tl_findings_t *f, json_t *gt, sensors_t *s)
{
	memset(s, 0, sizeof(*s));
	s->n = f->ctx.n_sensors;
	if (s->n > MAX_SENSORS)
		die("more than %d sensors", MAX_SENSORS);
	json_t *ts = jget(gt, "parameters.sensors");
	for (size_t i = 0; i < f->ctx.n_inputs; i++) {
		const tl_ctx_input_t *in = &f->ctx.inputs[i];
		for (size_t k = 0; k < json_array_size(ts); k++) {
			json_t *t = json_array_get(ts, k);
			if (strcmp(base_name(in->path), jstr(t, "file")) == 0) {
				s->truth_no[in->sensor] = (int)ju64(t, "sensor");
				s->offset_s[in->sensor] = jnum(t, "clock_offset_seconds");
			}
		}
	}
}

static int ctx_sensor_of(const sensors_t *s, int truth_no)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->truth_no[i] == truth_no)
			return (int)i;
	return -1;
}

static uint32_t name_index(const tl_ctx_t *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->n_names; i++)
		if (strcmp(ctx->names[i], name) == 0)
			return (uint32_t)i;
	return TL_NONE32;
}

/* The truth's file name of a model's input (by canonical index). */
static const char *input_file(const tl_findings_t *f, uint32_t input)
{
	return input < f->ctx.n_inputs ? base_name(f->ctx.inputs[input].path) : "?";
}

/* A sensor-stamped time turned into true time with the truth's clock offsets. */
static int64_t true_time(const tl_findings_t *f, const sensors_t *s, uint32_t input, int64_t ts)
{
	if (input >= f->ctx.n_inputs || ts == TL_TIME_NONE)
		return ts;
	double off = s->offset_s[f->ctx.inputs[input].sensor];
	return ts - (int64_t)llround(off * 1e6);
}

static int addr_text_eq(const tl_addr_t *a, const char *text)
{
	char buf[TL_ADDR_STR_LEN];
	tl_addr_format(a, buf);
	return strcmp(buf, text) == 0;
}

/* ---- running the analysis ---- */

static int analyse(tl_case_t *c, tl_findings_t *f, tl_events_t **ev)
{
	char err[4096];
	*ev = NULL;
	if (c->events_resolved) {
		int rc = tl_events_load(c->events_resolved, c->window_before_us, c->window_after_us,
					ev, err, sizeof(err));
		if (rc != TL_OK)
			die("%s", err);
	}
	/* two threads: results never depend on it (the determinism test checks that) */
	int rc = tl_analysis_run(c, *ev, NULL, 2, "test", f, err, sizeof(err));
	if (rc != TL_OK)
		die("analysis failed: %s", err);
	return TL_OK;
}

/* ---- the checks ---- */

/* Per-source and per-organisation figures of the target name, and the de-duplication. */
struct per_name;
static const char *known_dedup(const struct per_name *p);

typedef struct per_name {
	uint32_t name;
	uint64_t sightings, unique;
	uint64_t *src_sight, *src_unique; /* per ctx source */
	uint64_t sensor_sight[MAX_SENSORS];
	uint64_t a, aaaa;
	uint64_t multi, multi_retry, multi_same_id; /* kept lookups seen by >1 sensor */
	uint64_t pairs[MAX_SENSORS][MAX_SENSORS];   /* ctx sensors a < b both saw the lookup */
	/* Kept lookups that are a retry of an earlier kept lookup (same source, type and
	 * fingerprint, at most 3 s later): a de-duplication fault; none is expected. */
	uint64_t extra, extra_a, extra_aaaa;
	uint64_t *src_extra;
	uint64_t sensor_extra[MAX_SENSORS];
	uint64_t extra_as_mirror; /* of them, whose earlier lookup has only same-ID duplicates */
} per_name_t;

static void count_name(const tl_findings_t *f, uint32_t name, per_name_t *p)
{
	const tl_ctx_t *ctx = &f->ctx;
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->src_sight = calloc(ctx->n_sources + 1, sizeof(uint64_t));
	p->src_unique = calloc(ctx->n_sources + 1, sizeof(uint64_t));
	p->src_extra = calloc(ctx->n_sources + 1, sizeof(uint64_t));
	/* per kept lookup: the sensors that saw it, and whether a duplicate had another ID */
	unsigned *mask = calloc(ctx->n_lookups + 1, sizeof(unsigned));
	unsigned char *retry = calloc(ctx->n_lookups + 1, 1);
	if (!p->src_sight || !p->src_unique || !p->src_extra || !mask || !retry)
		abort();
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *l = &ctx->lookups[i];
		if (l->name != name)
			continue;
		uint32_t sensor = ctx->inputs[l->input].sensor;
		p->sightings++;
		p->src_sight[l->source]++;
		p->sensor_sight[sensor]++;
		p->a += l->qtype == 1;
		p->aaaa += l->qtype == 28;
		size_t kept = l->dup_of == TL_NONE32 ? i : l->dup_of;
		mask[kept] |= 1u << sensor;
		if (l->dup_of == TL_NONE32) {
			p->unique++;
			p->src_unique[l->source]++;
		} else {
			/* a duplicate of a kept sighting of the same name (the de-duplication only
			 * joins the same source, name and type) */
			const tl_lookup_t *k = &ctx->lookups[l->dup_of];
			if (k->name != name || k->source != l->source)
				printf("FAIL  sighting %zu is a duplicate of another name or source\n", i),
					n_fail++;
			if (k->id != l->id || k->sport != l->sport)
				retry[kept] = 1;
		}
	}
	/* A retry after a lost answer goes to another server 0.8-1.2 s later. Between 15 and 29
	 * August sensor 3 sees ns2's traffic and its own, so when a lookup's query and its retry
	 * went to ns2 and ns3, sensor 3 holds both; the engine absorbs at most one sighting per
	 * other sensor and none from the kept sighting's sensor, so one of them stays a lookup.
	 * Found here as a kept lookup at most 3 s after an earlier kept lookup of the same
	 * source, name and type with the same fingerprint (a resolver does not ask again within
	 * the TTL; spoofed queries differ in fingerprint). */
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *l = &ctx->lookups[i];
		if (l->name != name || l->dup_of != TL_NONE32)
			continue;
		for (size_t j = i; j-- > 0;) {
			const tl_lookup_t *e = &ctx->lookups[j];
			if (l->ts - e->ts > 3 * TL_US_PER_SEC)
				break;
			if (e->name != name || e->dup_of != TL_NONE32 || e->source != l->source ||
			    e->qtype != l->qtype || e->ip_ttl != l->ip_ttl ||
			    e->edns_size != l->edns_size || (e->flags & TL_LK_DO) != (l->flags & TL_LK_DO))
				continue;
			uint32_t sensor = ctx->inputs[l->input].sensor;
			p->extra++;
			p->src_extra[l->source]++;
			p->sensor_extra[sensor]++;
			p->extra_a += l->qtype == 1;
			p->extra_aaaa += l->qtype == 28;
			p->extra_as_mirror += !retry[j];
			char a[TL_TIME_ISO_LEN], b[TL_TIME_ISO_LEN], src[TL_ADDR_STR_LEN];
			tl_time_format_iso(e->ts, a);
			tl_time_format_iso(l->ts, b);
			tl_addr_format(&ctx->sources[l->source].addr, src);
			info("a retry kept as its own lookup: %s at %s (%s frame %llu, ID %u), %.3f s "
			     "after the lookup at %s (%s frame %llu, ID %u)", src, b,
			     ctx->inputs[l->input].label, (unsigned long long)l->pos, l->id,
			     (double)(l->ts - e->ts) / 1e6, a, ctx->inputs[e->input].label,
			     (unsigned long long)e->pos, e->id);
			break;
		}
	}
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		if (__builtin_popcount(mask[i]) < 2)
			continue;
		p->multi++;
		if (retry[i])
			p->multi_retry++;
		else
			p->multi_same_id++;
		for (size_t a = 0; a < ctx->n_sensors; a++)
			for (size_t b = a + 1; b < ctx->n_sensors; b++)
				if ((mask[i] >> a & 1) && (mask[i] >> b & 1))
					p->pairs[a][b]++;
	}
	free(mask);
	free(retry);
}

static void per_name_free(per_name_t *p)
{
	free(p->src_sight);
	free(p->src_unique);
	free(p->src_extra);
}

static uint32_t source_index(const tl_ctx_t *ctx, const char *addr)
{
	for (size_t i = 0; i < ctx->n_sources; i++)
		if (addr_text_eq(&ctx->sources[i].addr, addr))
			return (uint32_t)i;
	return TL_NONE32;
}

static uint64_t org_sum(const tl_ctx_t *ctx, const uint64_t *per_source, const char *org)
{
	uint64_t n = 0;
	for (size_t i = 0; i < ctx->n_sources; i++)
		if (strcmp(ctx->orgs[ctx->sources[i].org].name, org) == 0)
			n += per_source[i];
	return n;
}

static void check_lookups(const tl_findings_t *f, json_t *gt, const sensors_t *s)
{
	const tl_ctx_t *ctx = &f->ctx;
	json_t *tg = jget(gt, "target");
	puts("\n== lookups of " TARGET " (the engine's sightings of that name; run 1) ==");
	per_name_t pn;
	const per_name_t *p = &pn;
	count_name(f, name_index(ctx, TARGET), &pn);
	const char *dk = known_dedup(p);
	check_u64(dk, (int64_t)p->extra, ju64(tg, "sightings"), p->sightings, "sightings");
	check_u64(dk, (int64_t)p->extra, ju64(tg, "unique_lookups"), p->unique,
		  "de-duplicated lookups");
	json_t *bs = jget(tg, "by_sensor_sightings");
	for (size_t i = 0; i < s->n; i++) {
		char key[32];
		snprintf(key, sizeof(key), "sensor%d", s->truth_no[i]);
		check_u64(dk, (int64_t)p->sensor_extra[i], ju64(bs, key), p->sensor_sight[i],
			  "sightings at %s (%s)", key,
			  ctx->sensors[i].name);
	}
	check_u64(dk, (int64_t)p->extra_a, ju64(tg, "by_qtype_sightings.A"), p->a,
		  "sightings of type A");
	check_u64(dk, (int64_t)p->extra_aaaa, ju64(tg, "by_qtype_sightings.AAAA"), p->aaaa,
		  "sightings of type AAAA");

	/* per source: every source the truth lists, and no other source */
	json_t *bys = jget(tg, "by_source");
	uint64_t listed = 0;
	for (size_t k = 0; k < json_array_size(bys); k++) {
		json_t *t = json_array_get(bys, k);
		const char *addr = jstr(t, "source");
		uint32_t si = source_index(ctx, addr);
		uint64_t fs = si == TL_NONE32 ? 0 : p->src_sight[si];
		uint64_t fu = si == TL_NONE32 ? 0 : p->src_unique[si];
		int64_t dx = si == TL_NONE32 ? 0 : (int64_t)p->src_extra[si];
		listed += fu;
		check_u64(dk, dx, ju64(t, "sightings"), fs, "sightings from %s", addr);
		check_u64(dk, dx, ju64(t, "unique"), fu, "de-duplicated lookups from %s", addr);
		const char *org = si == TL_NONE32 ? "(no such source)"
						  : ctx->orgs[ctx->sources[si].org].name;
		report(strcmp(org, jstr(t, "organisation")) == 0, NULL, "organisation of source",
		       jstr(t, "organisation"), org);
	}
	check_u64(dk, (int64_t)p->extra, ju64(tg, "unique_lookups"), listed,
		  "de-duplicated lookups from the truth's sources (none from any other source)");

	/* per organisation: sightings as the truth gives them; de-duplicated lookups as the sum
	 * of the truth's sources of the organisation */
	json_t *byo = jget(tg, "by_organisation");
	for (size_t k = 0; k < json_array_size(byo); k++) {
		json_t *t = json_array_get(byo, k);
		const char *org = jstr(t, "organisation");
		uint64_t fs = 0, fu = 0, tu = 0;
		for (size_t i = 0; i < ctx->n_sources; i++)
			if (strcmp(ctx->orgs[ctx->sources[i].org].name, org) == 0) {
				fs += p->src_sight[i];
				fu += p->src_unique[i];
			}
		for (size_t j = 0; j < json_array_size(bys); j++)
			if (strcmp(jstr(json_array_get(bys, j), "organisation"), org) == 0)
				tu += ju64(json_array_get(bys, j), "unique");
		int64_t dx = (int64_t)org_sum(ctx, p->src_extra, org);
		check_u64(dk, dx, ju64(t, "sightings"), fs, "sightings from organisation %s", org);
		check_u64(dk, dx, tu, fu, "de-duplicated lookups from organisation %s", org);
	}

	/* the profile counts all target names together: per source it must be the sum over the
	 * names the engine counted of that name's lookups, which holds the target name's */
	int consistent = 1;
	for (size_t k = 0; k < f->profile.n_sources; k++) {
		const tl_prof_source_t *ps = &f->profile.sources[k];
		uint64_t sum = 0;
		for (size_t i = 0; i < ctx->n_lookups; i++)
			sum += ctx->lookups[i].source == ps->source &&
			       ctx->lookups[i].dup_of == TL_NONE32;
		if (sum != ps->lookups.count || ps->lookups.count < p->src_unique[ps->source])
			consistent = 0;
	}
	report(consistent, NULL,
	       "profile per-source counts = the engine's de-duplicated lookups of all target names "
	       "(>= the target name's)", "consistent", consistent ? "consistent" : "inconsistent");

	puts("\n== de-duplication and clock offsets ==");
	json_t *d = jget(tg, "duplicates");
	/* duplicates removed = sightings - lookups, of the target name (one lookup seen by three
	 * sensors has two removed) */
	check_u64(NULL, 0, ju64(tg, "sightings") - ju64(tg, "unique_lookups"),
		  p->sightings - p->unique, "duplicate sightings removed (target name)");
	check_u64(NULL, 0, ju64(d, "unique_lookups_seen_by_more_than_one_sensor"), p->multi,
		  "lookups seen by more than one sensor");
	/* the truth's causes: a retry at another server (another ID and port: the kept lookup has
	 * a duplicate with another ID) or sensor 3's mirror of ns2 (the same packets) */
	check_u64(dk, -(int64_t)p->extra_as_mirror, ju64(d, "by_retry_after_lost_answer"),
		  p->multi_retry,
		  "of them, retries after a lost answer (a duplicate with another ID)");
	check_u64(dk, (int64_t)p->extra_as_mirror, ju64(d, "by_sensor3_mirror_of_ns2"),
		  p->multi_same_id,
		  "of them, sensor 3's mirror of ns2 (duplicates with the same ID and port)");
	for (int a = 1; a <= 3; a++)
		for (int b = a + 1; b <= 3; b++) {
			char key[64];
			snprintf(key, sizeof(key), "pairs.sensor%d+sensor%d", a, b);
			int ca = ctx_sensor_of(s, a), cb = ctx_sensor_of(s, b);
			uint64_t found = 0;
			if (ca >= 0 && cb >= 0)
				found = ca < cb ? p->pairs[ca][cb] : p->pairs[cb][ca];
			check_u64(NULL, 0, ju64(d, key), found,
				  "lookups seen by both sensor%d and sensor%d", a, b);
		}
	info("engine totals over all target names: sightings %llu, lookups %llu, removed %llu "
	     "(by ID %llu, as retries %llu)", (unsigned long long)f->dedup.sightings,
	     (unsigned long long)f->dedup.unique, (unsigned long long)f->dedup.removed,
	     (unsigned long long)f->dedup.removed_by_id,
	     (unsigned long long)f->dedup.removed_as_retry);

	/* clock offset between sensors 2 and 3: the truth gives each sensor's offset against
	 * UTC; the engine estimates b's clock minus a's from the same queries seen at both */
	int c2 = ctx_sensor_of(s, 2), c3 = ctx_sensor_of(s, 3);
	const tl_offset_est_t *est = NULL;
	for (size_t i = 0; i < f->dedup.n_offsets; i++) {
		const tl_offset_est_t *o = &f->dedup.offsets[i];
		if ((int)o->sensor_a == (c2 < c3 ? c2 : c3) && (int)o->sensor_b == (c2 < c3 ? c3 : c2))
			est = o;
	}
	double want = c2 < c3 ? s->offset_s[c3] - s->offset_s[c2] : s->offset_s[c2] - s->offset_s[c3];
	char t[64], fo[96];
	snprintf(t, sizeof(t), "%.6f s", want);
	if (est)
		snprintf(fo, sizeof(fo), "%.6f s (MAD %.6f s, %llu pairs)", est->median_s, est->mad_s,
			 (unsigned long long)est->pairs);
	else
		snprintf(fo, sizeof(fo), "no estimate");
	/* 10 ms: the mirror copies are stamped by sensor 3 when they arrive, a few microseconds
	 * after ns2's own capture */
	report(est && fabs(est->median_s - want) <= 0.010, NULL,
	       "clock offset sensor3 minus sensor2 (within 10 ms)", t, fo);
	int qok = 0;
	for (size_t i = 0; i < f->quality.n_offsets; i++) {
		const tl_quality_offset_t *q = &f->quality.offsets[i];
		if (est && q->sensor_a == est->sensor_a && q->sensor_b == est->sensor_b &&
		    llabs(q->median_us - (int64_t)llround(want * 1e6)) <= 10000)
			qok = 1;
	}
	report(qok, NULL, "the same offset in the quality findings", t, qok ? "present" : "absent");
	per_name_free(&pn);
}

/* Run 2: the profile of the target name alone. */
static void check_shares(const tl_findings_t *f, json_t *gt)
{
	const tl_profile_model_t *pm = &f->profile;
	json_t *tg = jget(gt, "target");
	json_t *bys = jget(tg, "by_source");
	double total = (double)ju64(tg, "unique_lookups");
	puts("\n== profile of " TARGET " alone (run 2: target narrowed to that name) ==");
	per_name_t p;
	count_name(f, name_index(&f->ctx, TARGET), &p);
	const char *dk = known_dedup(&p);
	check_u64(dk, (int64_t)p.extra, ju64(tg, "unique_lookups"), pm->n_lookups, "profile lookups");
	check_u64(NULL, 0, ju64(tg, "sightings") - ju64(tg, "unique_lookups"), pm->n_duplicates,
		  "profile duplicates ignored");
	for (size_t k = 0; k < json_array_size(bys); k++) {
		json_t *t = json_array_get(bys, k);
		const tl_prof_source_t *ps = NULL;
		for (size_t i = 0; i < pm->n_sources; i++)
			if (strcmp(pm->sources[i].addr_text, jstr(t, "source")) == 0)
				ps = &pm->sources[i];
		check_u64(dk, ps ? (int64_t)p.src_extra[ps->source] : 0, ju64(t, "unique"),
			  ps ? ps->lookups.count : 0,
			  "profile lookups from %s", jstr(t, "source"));
	}
	check_u64(NULL, 0, json_array_size(bys), pm->n_sources, "profile sources");
	json_t *byo = jget(tg, "by_organisation");
	for (size_t k = 0; k < json_array_size(byo); k++) {
		const char *org = jstr(json_array_get(byo, k), "organisation");
		uint64_t tu = 0;
		for (size_t j = 0; j < json_array_size(bys); j++)
			if (strcmp(jstr(json_array_get(bys, j), "organisation"), org) == 0)
				tu += ju64(json_array_get(bys, j), "unique");
		const tl_prof_org_t *po = NULL;
		for (size_t i = 0; i < pm->n_orgs; i++)
			if (strcmp(pm->orgs[i].name, org) == 0)
				po = &pm->orgs[i];
		check_u64(dk, (int64_t)org_sum(&f->ctx, p.src_extra, org), tu,
			  po ? po->lookups.count : 0, "profile lookups from %s", org);
		/* the true share: the organisation's lookups among the target's lookups, as the
		 * generator counted them (sum of its sources' unique lookups / all unique lookups) */
		double share = (double)tu / total;
		char t[64], fo[128];
		snprintf(t, sizeof(t), "%.6f", share);
		if (po)
			snprintf(fo, sizeof(fo), "%.6f, %.0f%% interval [%.6f, %.6f]", po->lookups.share,
				 100 * (1 - pm->alpha), po->lookups.lo, po->lookups.hi);
		else
			snprintf(fo, sizeof(fo), "not listed");
		char what[256];
		snprintf(what, sizeof(what), "share of %s within the reported interval", org);
		report(po && po->lookups.lo <= share && share <= po->lookups.hi, NULL, what, t, fo);
	}
	check_u64(NULL, 0, json_array_size(byo), pm->n_orgs, "profile organisations");
	per_name_free(&p);
}

static const char *status_name(int st)
{
	return st == TL_CORRELATE_TESTABLE	 ? "testable"
	       : st == TL_CORRELATE_NO_COVERAGE ? "not testable (no coverage)"
						  : "not testable (no baseline)";
}

static void check_events(const tl_findings_t *f, json_t *gt, const char *known_cover)
{
	puts("\n== events (run 1: all lookups the case counts; primary family) ==");
	if (!f->has_correlate) {
		report(0, NULL, "events analysed", "yes", "no events file");
		return;
	}
	const tl_correlate_model_t *m = &f->correlate;
	json_t *tev = jget(gt, "events.events");
	int64_t rename = jtime(gt, "lifecycle.target_nxdomain_from");
	/* the bank organisation (its own tests, secondary family) */
	const char *bank = jstr(json_array_get(jget(gt, "target.by_organisation"), 0), "organisation");
	size_t bank_k = SIZE_MAX;
	for (size_t i = 0; i < m->n_orgs; i++)
		if (strcmp(m->orgs[i].name, bank) == 0)
			bank_k = i;
	json_t *spoof = jget(gt, "spoofed_queries");
	for (size_t k = 0; k < json_array_size(tev); k++) {
		json_t *t = json_array_get(tev, k);
		const char *label = jstr(t, "label");
		size_t e = SIZE_MAX;
		for (size_t i = 0; i < m->n_events; i++)
			if (strcmp(m->events[i].label, label) == 0)
				e = i;
		if (e == SIZE_MAX) {
			report(0, NULL, label, "an event", "not in the findings");
			continue;
		}
		const tl_correlate_test_t *x = &m->tests[e];
		int injected = json_is_true(jget(t, "injected_effect"));
		json_t *srr = jget(t, "seen_rate_ratio");
		char what[512], tr[160], fo[256];
		snprintf(fo, sizeof(fo), "%s, observed %llu, expected %.1f, RR %.3f [%.3f, %.3f], "
			 "p %.6f, Holm %.6f, BH %.6f, %s", status_name(x->status),
			 (unsigned long long)x->observed, x->expected, x->rr, x->rr_lo, x->rr_hi, x->p,
			 x->p_holm, x->p_bh, x->significant ? "significant" : "not significant");
		if (json_is_null(srr)) {
			/* the truth makes no claim: the window lies after the bank's demand ended or
			 * outside the data. The last event (9 October) is outside the data: the
			 * analysis must say it cannot be tested. */
			if (m->events[e].win_start >= f->ctx.span_end) {
				snprintf(what, sizeof(what), "event '%s' (window outside the data)", label);
				report(x->status == TL_CORRELATE_NO_COVERAGE, NULL, what,
				       "not testable", fo);
			} else {
				info("event '%s': the truth gives no rate ratio (window after the rename); "
				     "found %s", label, fo);
			}
			continue;
		}
		snprintf(tr, sizeof(tr), "%s (x%.1f injected; truth's seen rate ratio %.4f)",
			 injected ? "significant" : "not significant",
			 jnum(t, "injected_multiplier"), json_number_value(srr));
		snprintf(what, sizeof(what), "event '%s'", label);
		/* An injected rise that the whole lookups show (all-sources p below Holm's
		 * smallest threshold) but that rests mostly on one source is missed by design:
		 * the verdict needs it without the top source too (docs/statistics.md, "No
		 * single source"). That is power given up to stay calibrated, listed as such. */
		const char *power = NULL;
		double thr = m->settings.alpha / (double)(m->n_testable ? m->n_testable : 1);
		if (injected && !x->significant && x->status == TL_CORRELATE_TESTABLE &&
		    x->p_all_sources < thr && x->has_top && x->p_without_top >= thr)
			power = "the rise rests mostly on one source (the bank resolver named in the "
				"findings); without it the calibrated p is above Holm's threshold, so "
				"the test, which must not let one address decide, does not call it";
		snprintf(fo + strlen(fo), sizeof(fo) - strlen(fo), "; all sources p %.6f, without "
			 "the top source p %.6f", x->p_all_sources, x->p_without_top);
		report(x->status == TL_CORRELATE_TESTABLE && x->significant == injected, power, what,
		       tr, fo);

		/* the window's time with data: the truth's hours outside the whole-data gap */
		double hours = jnum(t, "window_hours_with_data");
		snprintf(tr, sizeof(tr), "%.1f h", hours);
		snprintf(fo, sizeof(fo), "%.1f h", m->events[e].covered_minutes / 60.0);
		snprintf(what, sizeof(what), "time with data in the window of '%s' (within 1 h)", label);
		report(fabs(m->events[e].covered_minutes / 60.0 - hours) <= 1.0,
		       m->events[e].covered_minutes / 60.0 < hours ? known_cover : NULL, what, tr, fo);

		/* the bank's lookups in the window, exact where the window ends before the rename
		 * (the truth counts up to the rename and leaves out the spoofed queries, which carry a
		 * bank address and so are the bank's lookups to the analysis) */
		if (bank_k != SIZE_MAX && jnum(t, "window_hours_before_rename") * 3600e6 >=
						  (double)(m->events[e].win_end - m->events[e].win_start) &&
		    m->events[e].win_end <= rename) {
			uint64_t want = (uint64_t)llround(jnum(t, "bank_lookups_seen")), spoofed = 0;
			for (size_t i = 0; i < json_array_size(spoof); i++) {
				int64_t st = jtime(json_array_get(spoof, i), "time");
				spoofed += st >= m->events[e].win_start && st < m->events[e].win_end;
			}
			const tl_correlate_test_t *bx = &m->org_tests[bank_k * m->n_events + e];
			check_u64(NULL, 0, want + spoofed, bx->observed,
				  "bank lookups in the window of '%s' (+%llu spoofed)", label,
				  (unsigned long long)spoofed);
			info("  bank alone: RR %.3f [%.3f, %.3f], Holm %.6f, %s (truth's hour-of-week "
			     "adjusted seen RR %.4f)", bx->rr, bx->rr_lo, bx->rr_hi, bx->p_holm,
			     bx->significant ? "significant" : "not significant", json_number_value(srr));
		}
	}
	const tl_correlate_perm_t *pp = &m->perm;
	if (pp->done)
		info("permutation test of the whole event set: %u events (%u clipped, %u left out), "
		     "%llu-week cycle, %s over %llu arrangements, statistic %.4f/h (outside %.4f/h), "
		     "null mean %.4f, p = %.6f (smallest possible %.6f)", pp->n_events, pp->n_clipped,
		     pp->n_excluded, (unsigned long long)pp->weeks, pp->exact ? "exact" : "random",
		     (unsigned long long)pp->n, pp->in_rate, pp->out_rate, pp->null_mean, pp->p,
		     pp->p_min);
	else
		info("permutation test: not made");
	info("bursts (exploratory): %llu of %llu days used, %zu bursts",
	     (unsigned long long)m->bursts.days_used, (unsigned long long)m->bursts.days_total,
	     m->bursts.n);
}

static const tl_quality_gap_t *overlapping(const tl_quality_gap_t *g, size_t n, int64_t s,
					   int64_t e)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].start < e && g[i].end > s)
			return &g[i];
	return NULL;
}

/* A gap found with its start and end within tol of the truth's. */
static void check_gap(const tl_findings_t *f, const sensors_t *s, int sensor,
		      const tl_quality_gap_t *g, size_t n, int64_t ts, int64_t te, const char *what)
{
	/* 20 min: a gap is measured between real records, and at night a sensor's records are
	 * minutes apart; the records around it carry the sensor's clock offset */
	const int64_t tol = 20 * 60 * TL_US_PER_SEC;
	const tl_quality_gap_t *x = overlapping(g, n, ts, te);
	char t[80], fo[160], a[TL_TIME_ISO_LEN], b[TL_TIME_ISO_LEN];
	fmt_time(ts, a);
	fmt_time(te, b);
	snprintf(t, sizeof(t), "%s to %s", a, b);
	if (!x) {
		report(0, NULL, what, t, "no gap there");
		return;
	}
	fmt_time(x->start, a);
	fmt_time(x->end, b);
	double off = sensor >= 0 ? s->offset_s[sensor] : 0;
	int64_t xs = x->start - (int64_t)llround(off * 1e6), xe = x->end - (int64_t)llround(off * 1e6);
	snprintf(fo, sizeof(fo), "%s to %s (%+.0f s, %+.0f s)", a, b, (double)(xs - ts) / 1e6,
		 (double)(xe - te) / 1e6);
	report(xs <= ts && xs >= ts - tol && xe >= te && xe <= te + tol, NULL, what, t, fo);
	(void)f;
}

static void check_quality(const tl_findings_t *f, json_t *gt, const sensors_t *s,
			  const char *known_cover)
{
	const tl_quality_model_t *q = &f->quality;
	puts("\n== quality ==");
	int c2 = ctx_sensor_of(s, 2);
	int64_t os = jtime(gt, "integrity.sensor_outage.start"),
		oe = jtime(gt, "integrity.sensor_outage.end");
	int64_t gs = jtime(gt, "integrity.whole_data_gap.start"),
		ge = jtime(gt, "integrity.whole_data_gap.end");
	if (c2 < 0) {
		report(0, NULL, "sensor 2 in the case", "present", "absent");
		return;
	}
	const tl_quality_sensor_t *qs = &q->sensors[c2];
	check_gap(f, s, c2, qs->gaps, qs->n_gaps, os, oe,
		  "sensor 2's outage found as a gap of that sensor (within 20 min, true time)");
	check_gap(f, s, -1, q->gaps, q->n_gaps, gs, ge,
		  "the whole-data gap found as an overall gap (within 20 min)");
	/* the generator writes traffic around the clock: no other gap than these */
	check_u64(NULL, 0, 1, q->gaps_total, "overall gaps (threshold %lld s)",
		  (long long)(q->gap_threshold_us / TL_US_PER_SEC));
	for (size_t i = 0; i < q->n_sensors; i++)
		check_u64(NULL, 0, (int)i == c2 ? 2 : 1, q->sensors[i].gaps_total,
			  "gaps of sensor%d (the whole-data gap%s)", s->truth_no[i],
			  (int)i == c2 ? " and the outage" : "");
	/* time with data: the span less the gaps the truth names (the sensors captured all the
	 * time otherwise) */
	double span_min = (double)q->span_minutes;
	for (size_t i = 0; i < q->n_sensors; i++) {
		double want = (span_min - (double)(ge - gs) / 60e6 -
			       ((int)i == c2 ? (double)(oe - os) / 60e6 : 0)) / span_min;
		char t[32], fo[64], what[128];
		snprintf(t, sizeof(t), "%.4f", want);
		snprintf(fo, sizeof(fo), "%.4f (%llu minutes with a record)", q->sensors[i].coverage,
			 (unsigned long long)q->sensors[i].minutes_covered);
		snprintf(what, sizeof(what), "time coverage of sensor%d (within 0.01)", s->truth_no[i]);
		report(fabs(q->sensors[i].coverage - want) <= 0.01,
		       q->sensors[i].coverage < want ? known_cover : NULL, what, t, fo);
	}
	/* what each capture states of its own recording (samples/README.md, The files): sensor
	 * 2's pcapng has an ISB with its start and end times, the others are classic pcap and
	 * state only their first and last packet. Neither speaks for the time inside, so the
	 * outage and the whole-data gap above are gaps by silence, and the event test is made
	 * again with the captures taken at their word. */
	for (size_t i = 0; i < q->n_sensors; i++) {
		char what[128];
		const char *want = (int)i == c2 ? "capture statistics" : "file boundaries";
		snprintf(what, sizeof(what), "what sensor%d's capture states of its recording",
			 s->truth_no[i]);
		report(strcmp(q->sensors[i].recorded_source, want) == 0, NULL, what, want,
		       q->sensors[i].recorded_source);
	}
	report(q->other.made && strcmp(q->other.rule, "silences as recorded time") == 0, NULL,
	       "events tested again with the captures taken at their word", "yes",
	       q->other.made ? q->other.rule : "no");
	uint64_t drops = ju64(gt, "integrity.sensor2_interface_drops");
	for (size_t i = 0; i < q->n_inputs; i++) {
		const tl_quality_input_t *in = &q->inputs[i];
		int is2 = (int)in->sensor == c2;
		char t[32], fo[32], what[128];
		snprintf(t, sizeof(t), is2 ? "%llu" : "unknown", (unsigned long long)drops);
		if (in->if_drops_known)
			snprintf(fo, sizeof(fo), "%llu", (unsigned long long)in->if_drops);
		else
			snprintf(fo, sizeof(fo), "unknown");
		snprintf(what, sizeof(what), "interface drops recorded by %s", input_file(f, (uint32_t)i));
		report(strcmp(t, fo) == 0, NULL, what, t, fo);
	}
}

static void check_names(const tl_findings_t *f, json_t *gt, const sensors_t *s,
			const char *known_nx)
{
	const tl_names_model_t *nm = &f->names;
	json_t *lc = jget(gt, "lifecycle");
	puts("\n== names: the rename ==");
	const char *succ = jstr(gt, "parameters.successor_name");
	char succ_dot[300];
	snprintf(succ_dot, sizeof(succ_dot), "%s.", succ);
	const tl_names_name_t *tn = NULL, *sn = NULL;
	for (size_t i = 0; i < nm->n_names; i++) {
		if (strcmp(nm->names[i].name, TARGET) == 0)
			tn = &nm->names[i];
		if (strcmp(nm->names[i].name, succ_dot) == 0)
			sn = &nm->names[i];
	}
	if (!tn || !sn) {
		report(0, NULL, "target and successor in the names findings", "both",
		       !tn ? "no target" : "no successor");
		return;
	}
	int64_t rename = jtime(lc, "target_nxdomain_from");
	char t[160], fo[200], a[TL_TIME_ISO_LEN], b[TL_TIME_ISO_LEN];

	/* last successful answer: the truth gives the query's true time; the findings the
	 * response's time at its sensor. Compared in true time (the truth's clock offsets) within
	 * 0.5 s (the server's answer follows the query by well under that). */
	int64_t want = jtime(lc, "target_last_noerror_lookup");
	fmt_time(want, a);
	snprintf(t, sizeof(t), "%s (query)", a);
	if (tn->has_success) {
		int64_t tt = true_time(f, s, tn->last_success.input, tn->last_success.ts);
		fmt_time(tn->last_success.ts, b);
		snprintf(fo, sizeof(fo), "%s at %s frame %llu (true time %+.3f s from the truth)", b,
			 input_file(f, tn->last_success.input),
			 (unsigned long long)tn->last_success.pos, (double)(tt - want) / 1e6);
		report(tt < rename && llabs(tt - want) <= 500000, NULL,
		       "target's last successful answer, before the rename", t, fo);
	} else {
		report(0, NULL, "target's last successful answer", t, "none");
	}

	/* independent evidence: the earliest lookup (query) of the target after the rename, in
	 * true time, from the engine's sightings (the server answers NXDOMAIN from the rename) */
	uint32_t tix = name_index(&f->ctx, TARGET);
	const tl_lookup_t *first_after = NULL;
	int64_t first_tt = 0;
	for (size_t i = 0; i < f->ctx.n_lookups; i++) {
		const tl_lookup_t *l = &f->ctx.lookups[i];
		int64_t tt = true_time(f, s, l->input, l->ts);
		if (l->name == tix && tt >= rename && (!first_after || tt < first_tt)) {
			first_after = l;
			first_tt = tt;
		}
	}
	if (first_after) {
		char src[TL_ADDR_STR_LEN];
		tl_addr_format(&f->ctx.sources[first_after->source].addr, src);
		fmt_time(first_tt, b);
		info("earliest query of the target after the rename (true time): %s from %s, %s "
		     "frame %llu", b, src, input_file(f, first_after->input),
		     (unsigned long long)first_after->pos);
	}

	want = jtime(lc, "target_first_nxdomain_lookup");
	fmt_time(want, a);
	snprintf(t, sizeof(t), "NXDOMAIN for the query of %s", a);
	if (tn->has_failure_after) {
		int64_t tt = true_time(f, s, tn->failure_after.input, tn->failure_after.ts);
		fmt_time(tn->failure_after.ts, b);
		snprintf(fo, sizeof(fo), "rcode %u at %s, %s frame %llu (true time %+.3f s from the "
			 "truth)", tn->failure_rcode, b, input_file(f, tn->failure_after.input),
			 (unsigned long long)tn->failure_after.pos, (double)(tt - want) / 1e6);
		/* the known discrepancy (the truth's time is wrong) only while the analysis' time
		 * is that of the earliest query after the rename */
		int as_diagnosed = first_after && tt < want && llabs(tt - first_tt) <= 500000;
		report(tn->failure_rcode == 3 && tt >= rename && llabs(tt - want) <= 500000,
		       as_diagnosed ? known_nx : NULL,
		       "target's first NXDOMAIN after it, on or after the rename", t, fo);
	} else {
		report(0, NULL, "target's first NXDOMAIN", t, "none");
	}
	/* the successor: the same address, first answered after the target's last success */
	const char *saddr = jstr(lc, "successor_address");
	int64_t created = jtime(lc, "successor_created");
	const tl_names_binding_t *sb = NULL;
	for (size_t i = 0; i < tn->n_successors; i++)
		if (strcmp(tn->successors[i].name, succ_dot) == 0 &&
		    addr_text_eq(&tn->successors[i].addr, saddr))
			sb = &tn->successors[i];
	fmt_time(created, a);
	snprintf(t, sizeof(t), "%s on %s, from %s", succ, saddr, a);
	if (sb) {
		fmt_time(sb->first.ts, b);
		snprintf(fo, sizeof(fo), "listed, first answer %s (%zu successor(s))", b,
			 tn->n_successors);
	} else {
		snprintf(fo, sizeof(fo), "not listed (%zu successor(s))", tn->n_successors);
	}
	report(sb && true_time(f, s, sb->first.input, sb->first.ts) >= created, NULL,
	       "successor of the target on the same address", t, fo);

	/* first querier of the successor: source, organisation, time, file and frame */
	const char *q = jstr(lc, "successor_first_querier");
	const char *qorg = jstr(lc, "successor_first_querier_organisation");
	int64_t qt = jtime(lc, "successor_first_seen");
	const char *qfile = jstr(lc, "successor_first_file");
	uint64_t qpos = ju64(lc, "successor_first_frame");
	fmt_time(qt, a);
	snprintf(t, sizeof(t), "%s (%s) at %s, %s frame %llu", q, qorg, a, qfile,
		 (unsigned long long)qpos);
	if (sn->has_first_query) {
		char src[TL_ADDR_STR_LEN];
		tl_addr_format(&sn->querier, src);
		fmt_time(sn->first_query.ts, b);
		snprintf(fo, sizeof(fo), "%s (%s) at %s, %s frame %llu", src,
			 sn->querier_org ? sn->querier_org : "no organisation", b,
			 input_file(f, sn->first_query.input), (unsigned long long)sn->first_query.pos);
		/* the truth's time is the frame's time as the sensor stamped it: exact */
		report(strcmp(src, q) == 0 && sn->querier_org && strcmp(sn->querier_org, qorg) == 0 &&
			       sn->first_query.ts == qt &&
			       strcmp(input_file(f, sn->first_query.input), qfile) == 0 &&
			       sn->first_query.pos == qpos,
		       NULL, "first querier of the successor", t, fo);
	} else {
		report(0, NULL, "first querier of the successor", t, "none");
	}
	uint32_t six = name_index(&f->ctx, succ_dot);
	uint64_t su = 0;
	for (size_t i = 0; i < f->ctx.n_lookups; i++)
		su += f->ctx.lookups[i].name == six && f->ctx.lookups[i].dup_of == TL_NONE32;
	check_u64(NULL, 0, ju64(lc, "successor_unique_lookups"), su,
		  "de-duplicated lookups of the successor");
}

static void check_spoofed(const tl_findings_t *f, json_t *gt)
{
	const tl_resolver_model_t *r = &f->resolver;
	json_t *sp = jget(gt, "spoofed_queries");
	puts("\n== resolver behaviour: spoofed queries among the fingerprint breaks ==");
	uint64_t matched = 0;
	for (size_t i = 0; i < json_array_size(sp); i++) {
		json_t *t = json_array_get(sp, i);
		json_t *pos = jget(t, "positions");
		for (size_t k = 0; k < json_array_size(pos); k++) {
			json_t *p = json_array_get(pos, k);
			const char *file = jstr(p, "file");
			uint64_t at = ju64(p, "pos");
			int in_case = 0;
			for (size_t j = 0; j < f->ctx.n_inputs; j++)
				in_case |= strcmp(input_file(f, (uint32_t)j), file) == 0;
			char what[256], tr[256], fo[256];
			snprintf(tr, sizeof(tr), "%s %s %llu from %s", file, jstr(p, "unit"),
				 (unsigned long long)at, jstr(t, "claimed_source"));
			if (!in_case) {
				info("spoofed query at %s: not in the case's evidence", tr);
				continue;
			}
			const tl_res_break_t *b = NULL;
			for (size_t j = 0; j < r->n_breaks; j++)
				if (strcmp(input_file(f, r->breaks[j].input), file) == 0 &&
				    r->breaks[j].pos == at)
					b = &r->breaks[j];
			if (b)
				snprintf(fo, sizeof(fo), "a break of %s (IP TTL %u, EDNS %u, DO %d, "
					 "0x20 %d)", r->sources[b->source].addr_text, b->ip_ttl,
					 b->edns_size, b->do_bit, b->mixed);
			else
				snprintf(fo, sizeof(fo), "not among the %zu breaks", r->n_breaks);
			snprintf(what, sizeof(what), "spoofed query %s", jstr(t, "time"));
			int ok = b && strcmp(r->sources[b->source].addr_text,
					     jstr(t, "claimed_source")) == 0;
			matched += ok;
			report(ok, NULL, what, tr, fo);
		}
	}
	info("fingerprint breaks in all: %zu, of them spoofed queries of the truth: %llu",
	     r->n_breaks, (unsigned long long)matched);
}

/* The interval classes against what the truth explains. The generator's resolvers are
 * single caches that ask again for a name and type only when the cached answer (positive
 * 3600 s, negative parameters.negative_ttl) expired, so the only intervals shorter than
 * the answer's TTL are those with a spoofed query at one end (a forged query does not
 * reset the real cache). Found here from the spoofed queries' positions: the previous and
 * next kept lookup of the same source, name and type, less than the TTL away (September,
 * before the rename: positive answers). Intervals over the whole-data gap must be left out,
 * and the negative TTL must be the generator's. */
static void check_resolver_classes(const tl_findings_t *f, json_t *gt)
{
	const tl_ctx_t *ctx = &f->ctx;
	const tl_resolver_model_t *r = &f->resolver;
	puts("\n== resolver behaviour: intervals inside the TTL, negative TTL, gaps ==");
	json_t *sp = jget(gt, "spoofed_queries");
	int64_t ttl_us = (int64_t)ju64(gt, "parameters.target_ttl") * TL_US_PER_SEC;
	unsigned char *spoof = calloc(ctx->n_lookups + 1, 1);
	unsigned char *ends = calloc(ctx->n_lookups + 1, 1); /* later end of an inside interval */
	uint64_t *want = calloc(ctx->n_sources + 1, sizeof(uint64_t));
	if (!spoof || !ends || !want)
		abort();
	for (size_t i = 0; i < json_array_size(sp); i++) {
		json_t *pos = jget(json_array_get(sp, i), "positions");
		for (size_t k = 0; k < json_array_size(pos); k++) {
			json_t *p = json_array_get(pos, k);
			for (size_t l = 0; l < ctx->n_lookups; l++) {
				const tl_lookup_t *e = &ctx->lookups[l];
				if (e->dup_of == TL_NONE32 && e->pos == ju64(p, "pos") &&
				    strcmp(input_file(f, e->input), jstr(p, "file")) == 0)
					spoof[l] = 1;
			}
		}
	}
	int64_t gap_a = jtime(gt, "integrity.whole_data_gap.start");
	int64_t gap_b = jtime(gt, "integrity.whole_data_gap.end");
	uint64_t over_gap = 0, want_all = 0;
	for (size_t i = 0; i < ctx->n_lookups; i++) {
		const tl_lookup_t *q = &ctx->lookups[i];
		if (q->dup_of != TL_NONE32)
			continue;
		/* the previous kept lookup of the same source, name and type */
		size_t j = i;
		const tl_lookup_t *p = NULL;
		while (j-- > 0) {
			const tl_lookup_t *e = &ctx->lookups[j];
			if (e->dup_of == TL_NONE32 && e->source == q->source && e->name == q->name &&
			    e->qtype == q->qtype) {
				p = e;
				break;
			}
		}
		if (!p)
			continue;
		if (p->ts < gap_b && q->ts > gap_a) {
			over_gap++;
			continue;
		}
		if ((spoof[i] || spoof[j]) && q->ts - p->ts < ttl_us && !ends[i]) {
			ends[i] = 1;
			want[q->source]++;
			want_all++;
		}
	}
	check_u64(NULL, 0, want_all, r->classes.inside.count,
		  "intervals inside the TTL (all of them explained by a spoofed query at one end)");
	for (size_t k = 0; k < r->n_sources; k++)
		check_u64(NULL, 0, want[r->sources[k].source], r->sources[k].classes.inside.count,
			  "intervals inside the TTL of %s", r->sources[k].addr_text);
	check_u64(NULL, 0, over_gap, r->classes.spans_gap,
		  "intervals over the whole-data gap, left out of the classes");
	uint64_t neg = ju64(gt, "parameters.negative_ttl");
	check_u64(NULL, 0, neg, r->classes.negative ? r->neg_ttl_min_s : 0,
		  "negative TTL used (smallest)");
	check_u64(NULL, 0, neg, r->classes.negative ? r->neg_ttl_max_s : 0,
		  "negative TTL used (largest)");
	info("intervals: %llu, classified %llu, after a negative answer %llu, TTL unknown %llu, "
	     "inside the TTL %llu (%.2f%%)", (unsigned long long)r->classes.intervals,
	     (unsigned long long)r->classes.n, (unsigned long long)r->classes.negative,
	     (unsigned long long)r->classes.ttl_unknown,
	     (unsigned long long)r->classes.inside.count, 100.0 * r->classes.inside.share);
	free(spoof);
	free(ends);
	free(want);
}

/* ---- known discrepancies (diagnosed; owned by others). Keep each with its diagnosis. ---- */

/* The analysis over-counts by two (src/analysis/lookups.c, tl_lookups_build): a kept lookup
 * absorbs at most one sighting per OTHER sensor. During the mirror (15-29 Aug) sensor 3 sees
 * both ns2 and ns3. For two lookups of 198.51.100.29 the query went to one of them and the
 * retry (after a lost answer) to the other, so sensor 3 holds two queries of the lookup (its
 * own and ns2's mirrored) and sensor 2 one; the kept sighting absorbs one sighting of each
 * other sensor, and the second at sensor 3 stays a lookup of its own (the info lines name
 * them; on 24 Aug the kept one is even ns2's retry, as sensor 3's fast clock puts the
 * original later). Every count of the target name that holds them is two high (sightings
 * too: the truth counts a lookup once per sensor), and one of the two is classed a mirror
 * copy instead of a retry. Fix: let a kept lookup absorb a retry (another ID, same
 * fingerprint) or a mirrored copy at a sensor that already gave one, e.g. at most one per
 * (sensor, server address) or per (sensor, ID and port). Accepted only while exactly these
 * two are found and each count differs by exactly what they explain. */
/* No known discrepancy is listed today: the three found while this test was written
 * (de-duplication at a sensor tapping two servers, the truth's first NXDOMAIN taken in
 * generation order, coverage counted only near records) are fixed. A new one is listed
 * here with its diagnosis, never by loosening a check. */
static const char *known_dedup(const struct per_name *p)
{
	(void)p;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: truth CASE GROUND_TRUTH\n");
		return 2;
	}
	json_error_t jerr;
	json_t *gt = json_load_file(argv[2], 0, &jerr);
	if (!gt)
		die("%s:%d: %s", argv[2], jerr.line, jerr.text);
	char err[4096];
	tl_case_t *c = NULL;
	if (tl_case_load(argv[1], &c, err, sizeof(err)) != TL_OK)
		die("%s", err);

	/* run 1: the case as committed */
	printf("run 1: %s as written (target: %zu names, %zu suffixes, %zu addresses)\n", argv[1],
	       c->n_names, c->n_suffixes, c->n_ips);
	tl_findings_t f;
	tl_events_t *ev;
	analyse(c, &f, &ev);
	sensors_t s;
	map_sensors(&f, gt, &s);
	for (size_t i = 0; i < s.n; i++)
		if (!s.truth_no[i])
			die("sensor %s is none of the truth's capture files", f.ctx.sensors[i].name);
	uint32_t tix = name_index(&f.ctx, TARGET);
	if (tix == TL_NONE32)
		die("the findings hold no lookup of %s", TARGET);
	{
		char names[1024] = "";
		for (size_t i = 0; i < f.n_target_names_resolved; i++) {
			strncat(names, i ? ", " : "", sizeof(names) - strlen(names) - 1);
			strncat(names, f.target_names_resolved[i], sizeof(names) - strlen(names) - 1);
		}
		info("names that resolved to the case's addresses (counted with the target): %s",
		     f.n_target_names_resolved ? names : "none");
	}
	check_lookups(&f, gt, &s);
	check_events(&f, gt, NULL);
	check_quality(&f, gt, &s, NULL);
	check_names(&f, gt, &s, NULL);
	check_spoofed(&f, gt);
	check_resolver_classes(&f, gt);
	tl_findings_free(&f);
	tl_events_free(ev);

	/* run 2: the target name alone. The case's address list is set aside for the run (no
	 * override can empty a list) and put back before the case is freed. */
	if (tl_case_override(c, "target.names", TARGET, err, sizeof(err)) != TL_OK)
		die("%s", err);
	size_t n_ips = c->n_ips;
	size_t n_suffixes = c->n_suffixes;
	c->n_ips = 0;
	c->n_suffixes = 0;
	printf("\nrun 2: the same case with the target narrowed to %s\n", TARGET);
	analyse(c, &f, &ev);
	check_shares(&f, gt);
	tl_findings_free(&f);
	tl_events_free(ev);
	c->n_ips = n_ips;
	c->n_suffixes = n_suffixes;
	tl_case_free(c);
	json_decref(gt);

	printf("\n%u ok, %u failed, %u known discrepancies%s\n", n_ok + n_fixed, n_fail, n_known,
	       n_fixed ? " (some listed as known now agree: update truth.c)" : "");
	return n_fail ? 1 : 0;
}
