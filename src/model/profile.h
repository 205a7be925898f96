/* profile.h (model) - the communication profile of the target's lookups: who looked it up,
 * how often, when, and with what kind of query. Filled by src/analysis/profile.c,
 * written by src/render/json/profile.c. Plain data; renderers only read it. */
#ifndef TL_MODEL_PROFILE_H
#define TL_MODEL_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"

/* Units: counts uint64; times UTC microseconds (int64); days = days since 1970-01-01 (UTC
 * unless said otherwise); shares doubles in 0..1 (NaN when the denominator is 0); intervals
 * lo/hi at confidence 1 - alpha (Wilson score). Weekdays 0 = Monday .. 6 = Sunday. */

/* A count out of a total, with its share and Wilson interval. For the shares of sources
 * and organisations the interval allows for lookups clustering by UTC day: Wilson with
 * the effective sample size n/deff (deff the design effect of the ratio estimator with
 * days as clusters, floored at 1; docs/statistics.md). Other counts have deff = 1. */
typedef struct tl_prof_count {
	uint64_t count;
	double share, lo, hi;
	double deff;
} tl_prof_count_t;

/* One sighting of a lookup: when, and where in the evidence. */
typedef struct tl_prof_sighting {
	int64_t ts;        /* TL_TIME_NONE when there is none */
	uint32_t input;    /* canonical input index */
	const char *label; /* the input's label (borrowed from the context) */
	uint64_t pos;      /* frame or line in the input */
} tl_prof_sighting_t;

/* Concentration of a distribution of counts. For organisations the top-k share and the
 * HHI are over entities: each attributed organisation is one, each source without an
 * attribution ("unattributed") is one of its own, never pooled with the others. */
typedef struct tl_prof_conc {
	size_t n;            /* members with at least one lookup */
	size_t entities;     /* what top_k_share and hhi count: n for sources; for
			      * organisations the attributed ones plus the unattributed
			      * sources */
	size_t k;            /* the k of top_k_share */
	double top_k_share;  /* share of the k largest; NaN when there are no lookups */
	double hhi;          /* sum of squared shares, 1/n..1; NaN when no lookups */
} tl_prof_conc_t;

typedef struct tl_prof_source {
	uint32_t source;               /* index into ctx->sources */
	tl_addr_t addr;                /* the source address (for the records filter) */
	char addr_text[TL_ADDR_STR_LEN];
	uint32_t org;                  /* index into ctx->orgs */
	const char *org_name;          /* borrowed from the context */
	tl_prof_count_t lookups;       /* share of all de-duplicated lookups */
	tl_prof_sighting_t first, last;
	uint64_t active_days;          /* UTC days with at least one lookup */
} tl_prof_source_t;

typedef struct tl_prof_org {
	uint32_t org;                  /* index into ctx->orgs */
	const char *name;              /* borrowed: the organisation name (records filter) */
	const char *tz;                /* borrowed: its display zone (IANA) */
	int tz_ok;                     /* 0 when the zone could not be loaded: local tables
	                                * are then all zero */
	tl_prof_count_t lookups;
	size_t n_sources;              /* sources of this organisation with lookups */
	tl_prof_sighting_t first, last;
	uint64_t active_days;
	uint64_t *daily;               /* owned; n_days counts, day first_day + i (UTC) */
	uint64_t hourly[24];           /* by UTC hour of day */
	uint64_t week_utc[7][24];      /* [weekday][hour] in UTC */
	uint64_t week_local[7][24];    /* [weekday][hour] in the organisation's zone */
} tl_prof_org_t;

typedef struct tl_prof_value {
	uint32_t value;
	uint64_t count;
} tl_prof_value_t;

/* What kind of queries the lookups were (they are queries: there is no rcode here; the
 * answers are examined in the names and integrity findings). */
typedef struct tl_prof_queries {
	tl_prof_value_t *qtypes;       /* owned; by count desc, then value asc */
	size_t n_qtypes;
	uint64_t transport[3];         /* TL_TRANSPORT_UNKNOWN, _UDP, _TCP */
	tl_prof_count_t rd;            /* RD set, of all lookups (a log that does not state
	                                * RD counts as clear) */
	uint64_t edns_unknown;         /* the input does not say whether EDNS was present */
	tl_prof_count_t edns_present;  /* of the lookups where it is known */
	uint64_t edns_absent;
	tl_prof_count_t do_bit;        /* DO set, of lookups with EDNS present */
	tl_prof_value_t *edns_sizes;   /* owned; UDP payload sizes of EDNS lookups, by count
	                                * desc, then size asc */
	size_t n_edns_sizes;
	tl_prof_count_t mixed_case;    /* 0x20 mixed case, of all lookups */
} tl_prof_queries_t;

typedef struct tl_profile_model {
	double alpha;
	uint64_t n_lookups;            /* de-duplicated lookups analysed */
	uint64_t n_duplicates;         /* sightings ignored as duplicates */
	tl_prof_sighting_t first, last; /* overall */
	int64_t first_day;             /* UTC day of the span's start */
	size_t n_days;                 /* days covered by the span */
	uint64_t outside_span;         /* lookups outside the span (not in the daily series) */
	uint64_t active_days;          /* overall */
	uint64_t clusters;             /* UTC days with lookups: the clusters of the design
					* effects */
	tl_prof_source_t *sources;     /* owned; by count desc, then address bytes */
	size_t n_sources;
	tl_prof_org_t *orgs;           /* owned; by count desc, then name bytes */
	size_t n_orgs;
	tl_prof_conc_t source_conc, org_conc;
	tl_prof_queries_t queries;
} tl_profile_model_t;

#endif
