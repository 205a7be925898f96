/* baseline.h (model) - how the target's lookups compare with every other name's:
 * the same concentration measures for each name with enough sightings, and the
 * target's percentile rank among them. Filled by tl_baseline_finish
 * (src/analysis/baseline.h), written as JSON by tl_json_baseline (src/render). */
#ifndef TL_MODEL_BASELINE_H
#define TL_MODEL_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"

/* Which group a baseline name is listed in (the list is ordered by group first). */
enum {
	TL_BASELINE_GROUP_TARGET_IP = 0, /* resolved to at least one target address */
	TL_BASELINE_GROUP_ZONE = 1,      /* same parent (first label removed) as a target name */
	TL_BASELINE_GROUP_OTHER = 2,
};

#define TL_BASELINE_ORG_NONE UINT32_MAX

/* Concentration of one name's sightings (or the target's) over sources and organisations.
 * Every count is of raw sightings: one query record seen by one sensor; the same lookup
 * seen by two sensors counts twice (for every name alike, the target included). */
typedef struct tl_baseline_measures {
	uint64_t sightings;        /* query records */
	uint64_t n_sources;        /* distinct source addresses */
	tl_addr_t top_source;      /* source with most sightings (ties: lowest address) */
	uint32_t top_source_org;   /* its organisation: index into the model's org_names */
	uint64_t top_source_count;
	int64_t top_source_first;  /* UTC us: first and last sighting from the top source */
	int64_t top_source_last;
	double top_source_share;   /* top_source_count / sightings, 0..1 */
	double top_k_share;        /* share of the k largest sources (k: model's top_k), 0..1 */
	double hhi;                /* sum over sources of share^2, 1/n_sources..1 */
	uint64_t n_orgs;           /* distinct organisations of those sources */
	uint32_t top_org;          /* index into the model's org_names (ties: lowest index) */
	uint64_t top_org_count;
	double top_org_share;      /* 0..1 */
	double org_hhi;            /* sum over organisations of share^2 */
	int64_t first_ts, last_ts; /* UTC us: first and last sighting */
	/* First sighting (ties by time, then input, then position): where it is in the evidence. */
	uint32_t first_input;
	uint64_t first_pos;
} tl_baseline_measures_t;

/* One name with at least min_lookups sightings (target names are never listed). */
typedef struct tl_baseline_name {
	char *name;       /* lower-cased presentation form, as queried; owned by the model */
	int group;        /* TL_BASELINE_GROUP_* */
	tl_baseline_measures_t m;
	uint64_t n_ips;   /* A/AAAA addresses kept for the name (see ips_capped) */
	tl_addr_t *ips;   /* n_ips addresses, ascending (family, bytes); owned by the model */
	int ips_capped;   /* 1: the name resolved to more than the cap; the lowest are kept */
} tl_baseline_name_t;

/* Where the target stands among the baseline names. A rank is the mid-rank percentile
 * (#{x < t} + 0.5 #{x == t}) / n over the listed names, 0..1; NaN (null) when there are
 * no baseline names or the target has no sightings. */
typedef struct tl_baseline_target {
	tl_baseline_measures_t m;  /* over the sightings of every target name together */
	uint64_t n_names_seen;     /* target names with at least one sighting */
	int meets_minimum;         /* m.sightings >= min_lookups */
	double rank_top_source_share;
	double rank_hhi;
	double rank_top_org_share;
	double rank_org_hhi;
} tl_baseline_target_t;

typedef struct tl_baseline_model {
	uint64_t min_lookups;      /* setting: sightings a name needs to be listed */
	uint32_t top_k;            /* setting: k of top_k_share */
	uint32_t ip_cap;           /* setting: addresses kept per name */
	uint64_t records_counted;  /* query records counted (the sightings of every name) */
	uint64_t names_seen;       /* distinct names with at least one sighting, target included */
	uint64_t names_meeting_minimum; /* of those, non-target names listed below */
	uint64_t names_ips_capped; /* names whose address set hit ip_cap */
	uint64_t pairs_capped;     /* sightings not counted because the pair cap was reached */
	int has_target;            /* 0: no target data given; target below is all zero */
	tl_baseline_target_t target;
	tl_baseline_name_t *names; /* ordered: group asc, sightings desc, name bytes asc */
	size_t n_names;
	char **org_names;          /* copies of the organisation names, n_orgs of them */
	size_t n_orgs;
} tl_baseline_model_t;

/* Frees what the model owns (names, addresses, org names) and zeroes it. Accepts NULL.
 * (Defined in src/analysis/baseline.c.) */
void tl_baseline_model_free(tl_baseline_model_t *m);

/* Writes the model as one JSON object (src/render/json_baseline.c; keys and formats in
 * docs/findings/baseline.md). */
struct tl_json;
void tl_json_baseline(struct tl_json *j, const tl_baseline_model_t *m);

#endif
