/* baseline.h - streaming collector of per-name, per-source query counts for every name,
 * so the target's concentration can be compared with that of all other names. */
#ifndef TL_ANALYSIS_BASELINE_H
#define TL_ANALYSIS_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"
#include "model/baseline.h"

#define TL_BASELINE_DEFAULT_MIN_LOOKUPS 100
#define TL_BASELINE_DEFAULT_TOP_K 2
#define TL_BASELINE_DEFAULT_IP_CAP 32
#define TL_BASELINE_DEFAULT_MAX_PAIRS (UINT64_C(1) << 26)
/* Sightings kept for the de-duplication (about 80 bytes each); beyond it the baselines
 * count raw sightings and say so. */
#define TL_BASELINE_DEFAULT_MAX_SIGHTINGS (UINT64_C(1) << 23)
#define TL_BASELINE_DEFAULT_BOOTSTRAP 2000

typedef struct tl_baseline_settings {
	uint64_t min_lookups; /* lookups a name needs to be listed (case: baseline_min_lookups) */
	uint32_t top_k;       /* k of the top-k share (case: top_k); >= 1 */
	uint32_t ip_cap;      /* A/AAAA addresses kept per name; >= 1 */
	uint64_t max_pairs;   /* distinct (name, source) pairs kept; 0 = no cap. Sightings of
			       * new pairs beyond it are counted in pairs_capped, not kept. */
	uint64_t max_sightings; /* sightings kept for de-duplication; 0 = no cap. Beyond it
				 * (over all inputs together) every count is of raw sightings. */
	uint32_t bootstrap;   /* replicates of the target's bootstrap; 0 = none */
} tl_baseline_settings_t;

/* Fills s with the defaults above. */
void tl_baseline_settings_default(tl_baseline_settings_t *s);

typedef struct tl_baseline tl_baseline_t;

/* A new empty collector; the settings are copied. Free with tl_baseline_free. */
tl_baseline_t *tl_baseline_new(const tl_baseline_settings_t *s);
void tl_baseline_free(tl_baseline_t *b);

/* Feeds one record. Counted as a sighting: qr known and 0, opcode QUERY or unknown, a
 * question; a sighting with a time is also kept for the de-duplication. Addresses: from any record with known answers that is not a known query,
 * each A (RFC 1035 3.4.1) or AAAA (RFC 3596 2.2) answer whose owner equals the qname
 * (ASCII case-insensitive, RFC 4343) adds its address to the name's set.
 * input is the canonical input index; offset_us is added to r->ts. Copies what it keeps. */
void tl_baseline_add(tl_baseline_t *b, const tl_record_t *r, uint32_t input, int64_t offset_us);

/* Adds src's counts into dst (src unchanged). Counts, first/last sightings and address
 * sets do not depend on how inputs were split or merged, as long as no pair cap is hit. */
void tl_baseline_merge(tl_baseline_t *dst, const tl_baseline_t *src);

/* Every distinct source address with a counted sighting, ascending (family, bytes), into
 * a new array *out (the caller frees it); returns how many. For attributing each address
 * once before finish. */
size_t tl_baseline_sources(const tl_baseline_t *b, tl_addr_t **out);

/* What finish needs besides the counts. */
typedef struct tl_baseline_query {
	/* Target names, lower-cased presentation form (a trailing dot is optional). */
	const char *const *target_names;
	size_t n_target_names;
	/* Names at or below these suffixes are target names too (as for the profile). */
	const char *const *target_suffixes;
	size_t n_target_suffixes;
	const tl_addr_t *target_ips;
	size_t n_target_ips;
	/* Names left out of the comparison (not listed, not the target): successors of a
	 * target name, and names known to have resolved to a target address besides those
	 * whose kept addresses show it. Any order; a trailing dot is optional. */
	const char *const *successor_names;
	size_t n_successor_names;
	const char *const *shared_addr_names;
	size_t n_shared_addr_names;
	/* Organisation of a source address: an index < n_orgs, or TL_BASELINE_ORG_NONE when
	 * the address is unattributed (it is then an entity of its own). */
	uint32_t (*org_of)(const tl_addr_t *addr, void *ud);
	void *org_ud;
	size_t n_orgs;
	const char *const *org_names; /* n_orgs names (copied into the model); may be NULL */
	/* De-duplication as for the profile: the sensor of each input (NULL: every input is
	 * sensor 0), n_sensors, their clock offsets (n_sensors^2 seconds, off[a*n+b] = b's
	 * clock minus a's; NULL: none) and the tolerance. */
	const uint32_t *input_sensor;
	size_t n_inputs;
	size_t n_sensors;
	const double *clock_offsets_s;
	int64_t dedup_tolerance_us;
	/* The target's bootstrap: seed and alpha (0 means 0.05). */
	uint64_t seed;
	double alpha;
} tl_baseline_query_t;

/* Computes the model into *out (written only on success; free with
 * tl_baseline_model_free). The collector is not changed. TL_EINVAL when org_of is NULL
 * while there are sightings, returns an index >= n_orgs other than TL_BASELINE_ORG_NONE,
 * or an input has no sensor below n_sensors. */
int tl_baseline_finish(const tl_baseline_t *b, const tl_baseline_query_t *q,
		       tl_baseline_model_t *out);

/* Frees what the model owns (names, addresses, org names) and zeroes it. Accepts NULL. */
void tl_baseline_model_free(tl_baseline_model_t *m);

#endif
