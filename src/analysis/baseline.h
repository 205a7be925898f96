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

typedef struct tl_baseline_settings {
	uint64_t min_lookups; /* sightings a name needs to be listed (case: baseline_min_lookups) */
	uint32_t top_k;       /* k of the top-k share (case: top_k); >= 1 */
	uint32_t ip_cap;      /* A/AAAA addresses kept per name; >= 1 */
	uint64_t max_pairs;   /* distinct (name, source) pairs kept; 0 = no cap. Sightings of
			       * new pairs beyond it are counted in pairs_capped, not kept. */
} tl_baseline_settings_t;

/* Fills s with the defaults above. */
void tl_baseline_settings_default(tl_baseline_settings_t *s);

typedef struct tl_baseline tl_baseline_t;

/* A new empty collector; the settings are copied. Free with tl_baseline_free. */
tl_baseline_t *tl_baseline_new(const tl_baseline_settings_t *s);
void tl_baseline_free(tl_baseline_t *b);

/* Feeds one record. Counted as a sighting: qr known and 0, opcode QUERY or unknown, a
 * question. Addresses: from any record with known answers that is not a known query,
 * each A (RFC 1035 3.4.1) or AAAA (RFC 3596 2.2) answer whose owner equals the qname
 * (ASCII case-insensitive, RFC 4343) adds its address to the name's set.
 * input is the canonical input index; offset_us is added to r->ts. Copies what it keeps. */
void tl_baseline_add(tl_baseline_t *b, const tl_record_t *r, uint32_t input, int64_t offset_us);

/* Adds src's counts into dst (src unchanged). Counts, first/last sightings and address
 * sets do not depend on how inputs were split or merged, as long as no pair cap is hit. */
void tl_baseline_merge(tl_baseline_t *dst, const tl_baseline_t *src);

/* What finish needs besides the counts. */
typedef struct tl_baseline_query {
	/* Target names, lower-cased presentation form (a trailing dot is optional). */
	const char *const *target_names;
	size_t n_target_names;
	const tl_addr_t *target_ips;
	size_t n_target_ips;
	/* Organisation of a source address: an index < n_orgs. */
	uint32_t (*org_of)(const tl_addr_t *addr, void *ud);
	void *org_ud;
	size_t n_orgs;
	const char *const *org_names; /* n_orgs names (copied into the model); may be NULL */
} tl_baseline_query_t;

/* Computes the model into *out (written only on success; free with
 * tl_baseline_model_free). The collector is not changed. TL_EINVAL when org_of is NULL
 * while there are sightings, or returns an index >= n_orgs. */
int tl_baseline_finish(const tl_baseline_t *b, const tl_baseline_query_t *q,
		       tl_baseline_model_t *out);

#endif
