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

/* How the counts behind the measures were made (tl_baseline_model_t.counting). */
enum {
	TL_BASELINE_COUNT_LOOKUPS = 0, /* de-duplicated lookups, the profile's rule */
	TL_BASELINE_COUNT_RAW = 1,     /* raw sightings: the sightings cap was reached */
};

/* Concentration of one name's lookups (or the target's) over sources and organisations.
 * The measures are computed over `lookups`: sightings de-duplicated across sensors with
 * the rule of the profile (src/analysis/lookups.h), or raw sightings when the model's
 * counting is TL_BASELINE_COUNT_RAW (then lookups == sightings).
 * Organisation measures are over *entities*: each named organisation (CIDR file or mmdb)
 * is one entity; each unattributed address is an entity of its own, never pooled with
 * other unattributed addresses. */
typedef struct tl_baseline_measures {
	uint64_t sightings;        /* query records (raw; a lookup seen by two sensors twice) */
	uint64_t lookups;          /* the counting unit of every measure below */
	uint64_t n_sources;        /* distinct source addresses with lookups */
	tl_addr_t top_source;      /* source with most lookups (ties: lowest address) */
	uint32_t top_source_org;   /* its organisation: index into org_names, or
				    * TL_BASELINE_ORG_NONE (unattributed) */
	uint64_t top_source_count;
	int64_t top_source_first;  /* UTC us: first and last sighting from the top source */
	int64_t top_source_last;
	double top_source_share;   /* top_source_count / lookups, 0..1 */
	double top_k_share;        /* share of the k largest sources (k: model's top_k), 0..1 */
	double hhi;                /* sum over sources of share^2, 1/n_sources..1 */
	uint64_t n_orgs;           /* entities: named organisations + unattributed addresses */
	uint64_t n_named_orgs;     /* of those, named organisations */
	uint64_t n_unattributed;   /* of those, unattributed addresses */
	uint64_t unattributed_count; /* lookups from unattributed addresses, together */
	uint32_t top_org;          /* the largest entity: index into org_names, or
				    * TL_BASELINE_ORG_NONE when it is an unattributed address
				    * (top_org_addr) or there are no lookups. Ties: named
				    * organisations first (lowest index), then lowest address */
	tl_addr_t top_org_addr;    /* the unattributed address when top_org is NONE */
	uint64_t top_org_count;
	double top_org_share;      /* 0..1 */
	double org_hhi;            /* sum over entities of share^2 */
	int64_t first_ts, last_ts; /* UTC us: first and last sighting */
	/* First sighting (ties by time, then input, then position): where it is in the evidence. */
	uint32_t first_input;
	uint64_t first_pos;
} tl_baseline_measures_t;

/* One name with at least min_lookups lookups (target names, and names left out of the
 * comparison, are never listed). */
typedef struct tl_baseline_name {
	char *name;       /* lower-cased presentation form, as queried; owned by the model */
	int group;        /* TL_BASELINE_GROUP_* */
	tl_baseline_measures_t m;
	uint64_t n_ips;   /* A/AAAA addresses kept for the name (see ips_capped) */
	tl_addr_t *ips;   /* n_ips addresses, ascending (family, bytes); owned by the model */
	int ips_capped;   /* 1: the name resolved to more than the cap; the lowest are kept */
} tl_baseline_name_t;

/* A bootstrap interval for one of the target's measures and the ranks at its ends. */
typedef struct tl_baseline_interval {
	double lo, hi;           /* percentile bootstrap interval of the measure (NaN: none) */
	double rank_lo, rank_hi; /* the target's percentile rank at lo and at hi */
} tl_baseline_interval_t;

/* Where the target stands among the baseline names. A rank is the mid-rank percentile
 * (#{x < t} + 0.5 #{x == t}) / n over the listed names, 0..1; NaN (null) when there are
 * no baseline names or the target has no lookups. */
typedef struct tl_baseline_target {
	tl_baseline_measures_t m;  /* over the lookups of every target name together */
	uint64_t n_names_seen;     /* target names with at least one sighting */
	int meets_minimum;         /* m.lookups >= min_lookups */
	double rank_top_source_share;
	double rank_hhi;
	double rank_top_org_share;
	double rank_org_hhi;
	/* Stability: a bootstrap with the target's UTC days as clusters (each day drawn with
	 * all its lookups by source), the model's bootstrap_reps and seed; intervals at
	 * confidence 1 - alpha; NaN when there is no bootstrap (no replicates, or raw
	 * counting, which keeps no times). */
	tl_baseline_interval_t ci_top_source_share, ci_hhi, ci_top_org_share, ci_org_hhi;
} tl_baseline_target_t;

/* Why a name with enough lookups was left out of the comparison. */
enum {
	TL_BASELINE_EXCL_SUCCESSOR = 0,  /* the names finding lists it as a successor of a
					  * target name */
	TL_BASELINE_EXCL_SHARED_ADDR = 1, /* it resolved to a target address */
};

typedef struct tl_baseline_excluded {
	char *name;       /* owned by the model */
	int reason;       /* TL_BASELINE_EXCL_* */
	uint64_t lookups;
} tl_baseline_excluded_t;

typedef struct tl_baseline_model {
	uint64_t min_lookups;      /* setting: lookups a name needs to be listed */
	uint32_t top_k;            /* setting: k of top_k_share */
	uint32_t ip_cap;           /* setting: addresses kept per name */
	uint64_t records_counted;  /* query records counted (the sightings of every name) */
	uint64_t names_seen;       /* distinct names with at least one sighting, target included */
	uint64_t names_meeting_minimum; /* of those, non-target names listed below (excluded
					 * names not counted) */
	uint64_t names_ips_capped; /* names whose address set hit ip_cap */
	uint64_t pairs_capped;     /* sightings not counted because the pair cap was reached */
	int counting;              /* TL_BASELINE_COUNT_* */
	int64_t dedup_tolerance_us; /* the tolerance of the de-duplication */
	uint64_t lookups_counted;  /* de-duplicated lookups of every name (= records_counted
				    * less the duplicates and the sightings without a time) */
	uint32_t bootstrap_reps;   /* replicates of the target's bootstrap (0: none) */
	uint64_t bootstrap_seed;
	uint64_t bootstrap_days;   /* UTC days with target lookups: the clusters drawn */
	double alpha;              /* of the bootstrap intervals */
	tl_baseline_excluded_t *excluded; /* names left out of the comparison, by name bytes */
	size_t n_excluded;
	uint64_t n_excluded_successor, n_excluded_shared_addr;
	int has_target;            /* 0: no target data given; target below is all zero */
	tl_baseline_target_t target;
	tl_baseline_name_t *names; /* ordered: group asc, sightings desc, name bytes asc */
	size_t n_names;
	char **org_names;          /* copies of the organisation names, n_orgs of them */
	size_t n_orgs;
} tl_baseline_model_t;

#endif
