/* lookups.h - the target's lookups: which queries count, collecting their
 * sightings from every input, and de-duplicating sightings of the same lookup
 * made by several sensors. */
#ifndef TL_ANALYSIS_LOOKUPS_H
#define TL_ANALYSIS_LOOKUPS_H

#include <stddef.h>
#include <stdint.h>

#include "model/context.h"
#include "model/lookups.h"
#include "input/record.h"

/* What counts as the target: exact names, names at or below suffixes, and
 * names seen resolving to target addresses (added after pass 1). Names are
 * lower-case presentation form with the trailing dot. */
typedef struct tl_target tl_target_t;

tl_target_t *tl_target_new(void);
void tl_target_free(tl_target_t *t);
void tl_target_add_name(tl_target_t *t, const char *name);
void tl_target_add_suffix(tl_target_t *t, const char *suffix);
/* 1 if qname (any case) is a target name or lies at or below a target suffix. */
int tl_target_match(const tl_target_t *t, const char *qname);

/* A raw sighting collected from one input; the name and source are resolved to
 * context indices when the collections are merged. */
typedef struct tl_lkcol tl_lkcol_t;

/* Collects the target's lookups (queries) of one input. t is borrowed. */
tl_lkcol_t *tl_lkcol_new(const tl_target_t *t);
/* Queries for target names become sightings; responses to them are kept with their
 * answer (rcode, negative-caching TTL) for the query they were paired with
 * (tl_record_t.query_pos) and for later lookups of the same name and type. */
void tl_lkcol_add(tl_lkcol_t *c, const tl_record_t *r, uint32_t input, int64_t offset_us);

/* Fills *lk from a query record r with a time (ts, input, pos, qtype, transport, server,
 * ID and port, IP TTL, EDNS, 0x20 case, RD): what de-duplication and the profile read.
 * source and name are 0 and dup_of is TL_NONE32; the caller sets them. */
void tl_lookup_from_record(tl_lookup_t *lk, const tl_record_t *r, uint32_t input,
			   int64_t offset_us);
void tl_lkcol_free(tl_lkcol_t *c);


/* Merges the per-input collections (in canonical input order) into ctx:
 * interns names and sources (sources get org = TL_NONE32; the caller
 * attributes them), sorts sightings by (time, input, position), estimates
 * clock offsets, and marks duplicates: a sighting at another sensor of the same
 * source, name and type within tolerance_us (plus the estimated offset between
 * the two sensors) of a kept lookup is a duplicate of it when both carry the
 * same ID and port (the same query), or other IDs but the same fingerprint
 * (IP TTL, EDNS size and options, DO, 0x20 case: a retry at another server);
 * sightings without IDs (logs) match on source, name, type and time alone. A
 * kept lookup absorbs at most one sighting per other (sensor, server asked) place:
 * a sensor that taps two servers can see a query at one and its retry at the other.
 * Each kept lookup gets the answer it received (tl_lookup_t.answer, neg_ttl_s): the
 * response paired with it or with one of its duplicate sightings, else the latest
 * response to the same name and type (any client) at or before it, else none.
 * Fills ctx->lookups, names, sources, n_unique and *st. */
void tl_lookups_build(tl_ctx_t *ctx, tl_lkcol_t *const *cols, size_t n_cols,
		      int64_t tolerance_us, tl_dedup_stats_t *st);
void tl_dedup_stats_free(tl_dedup_stats_t *st);

/* The de-duplication rule of tl_lookups_build on its own, for sightings that are not the
 * target's (the baselines): marks dup_of in lk[0..n) (indices into lk; reset first).
 * Groups are equal (source, name, qtype) fields, whatever they index; the sensor of a
 * sighting is input_sensor[lk->input]; off_s holds n_sensors x n_sensors clock offsets
 * in seconds (off_s[a * n_sensors + b]: b's clock minus a's), or NULL for none. Adds to
 * st->removed, removed_by_id and removed_as_retry only. lk's order is not changed. */
void tl_lookups_dedup(tl_lookup_t *lk, size_t n, const uint32_t *input_sensor, size_t n_sensors,
		      int64_t tolerance_us, const double *off_s, tl_dedup_stats_t *st);

#endif
