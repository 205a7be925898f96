/* resolver.h (model) - how each source (normally a recursive resolver) asks for the target:
 * inter-arrival times, cache-miss periodicity against the TTL, and the query fingerprint
 * with the queries that break it. Filled by src/analysis/resolver.c, written by
 * src/render/json/resolver.c. Plain data; renderers only read it. */
#ifndef TL_MODEL_RESOLVER_H
#define TL_MODEL_RESOLVER_H

#include <stddef.h>
#include <stdint.h>

#include "input/record.h"

/* Units: counts uint64; times UTC microseconds; intervals between lookups in seconds
 * (double, from exact microsecond differences); shares 0..1 with Wilson intervals at
 * confidence 1 - alpha; NaN where a denominator is 0. */

#define TL_RES_MAX_BINS 16

/* Histogram bins over the measured intervals (below): bin i holds intervals in
 * [lower_s[i], lower_s[i + 1]) seconds; the last bin is unbounded above. */
typedef struct tl_res_bins {
	size_t n;
	int64_t lower_s[TL_RES_MAX_BINS];
} tl_res_bins_t;

typedef struct tl_res_count {
	uint64_t count;
	double share, lo, hi;
} tl_res_count_t;

/* Summary of inter-arrival times (quantiles: Hyndman-Fan type 7). */
typedef struct tl_res_iat {
	uint64_t n; /* number of intervals measured (those that span no gap in coverage) */
	double min_s, q25_s, median_s, q75_s, max_s; /* NaN when n = 0 */
} tl_res_iat_t;

/* An interval is the time between two consecutive lookups of the same source, name and
 * query type (a cache holds one answer per name and type, RFC 2181 5 / RFC 2308 5). It
 * is compared with the TTL of the answer the earlier of the two received: the positive
 * TTL (the model's ttl_s) after a positive answer, the negative-caching TTL after an
 * NXDOMAIN or NODATA answer with an SOA. Each interval falls in exactly one of:
 *   spans_gap:   a minute inside it that no sensor covered: not classified;
 *   ttl_unknown: otherwise, when the earlier lookup's answer, or its negative TTL, is
 *                unknown (no response, another rcode, a negative answer without an SOA):
 *                not classified;
 *   n:           classified: inside: gap < TTL; periodic: TTL <= gap < TTL + tolerance;
 *                later: gap >= TTL + tolerance. Shares are of n.
 * Only when the positive TTL is known (ttl_s > 0); all zero otherwise. */
typedef struct tl_res_classes {
	uint64_t intervals;     /* = spans_gap + ttl_unknown + n */
	uint64_t spans_gap;
	uint64_t ttl_unknown;
	uint64_t n;
	uint64_t negative;      /* of n: judged against a negative-caching TTL */
	uint64_t inferred;      /* of n: the earlier lookup had no response of its own; the
	                         * latest answer to that name and type stood in */
	tl_res_count_t inside, periodic, later;
} tl_res_classes_t;

/* The dominant value (mode; ties: smallest value) of one fingerprint component among the
 * lookups where it is known. */
typedef struct tl_res_mode {
	uint64_t known; /* lookups where the component is known; value/count meaningless if 0 */
	uint32_t value;
	uint64_t count; /* lookups with that value */
} tl_res_mode_t;

/* Fingerprint components (bits of tl_res_break_t.differs). */
enum {
	TL_RES_FP_IPTTL = 1 << 0,
	TL_RES_FP_EDNS = 1 << 1, /* EDNS UDP size, 0 = no EDNS */
	TL_RES_FP_DO = 1 << 2,
	TL_RES_FP_OPTS = 1 << 3, /* EDNS option set (bit set, as tl_lookup_t.opt_set) */
	TL_RES_FP_CASE = 1 << 4, /* 0x20 mixed case */
};

typedef struct tl_res_fingerprint {
	tl_res_mode_t ip_ttl;    /* known where the capture gave the IP TTL / hop limit */
	tl_res_mode_t edns_size; /* known where the input says whether EDNS was present */
	tl_res_mode_t do_bit;    /* as edns_size */
	tl_res_mode_t opt_set;   /* as edns_size */
	tl_res_mode_t mixed;     /* always known */
	tl_res_mode_t transport; /* always known (TL_TRANSPORT_*) */
	uint64_t with_id;        /* lookups whose id and source port are known */
	uint64_t ports_distinct, ids_distinct;
	double port_spread, id_spread; /* distinct / with_id; NaN when with_id = 0 */
	uint16_t port_min, port_max;   /* meaningful when with_id > 0 */
} tl_res_fingerprint_t;

typedef struct tl_res_source {
	uint32_t source;         /* index into ctx->sources */
	tl_addr_t addr;          /* for the records filter */
	char addr_text[TL_ADDR_STR_LEN];
	const char *org_name;    /* borrowed from the context */
	uint64_t lookups;        /* de-duplicated lookups of this source (>= 2) */
	int64_t first_ts, last_ts;
	tl_res_iat_t iat;
	uint64_t hist[TL_RES_MAX_BINS];
	tl_res_classes_t classes;
	tl_res_fingerprint_t fp;
	int checked;             /* lookups >= min_lookups: breaks were looked for */
	uint64_t breaks;
} tl_res_source_t;

/* A lookup that differs from its source's dominant fingerprint. */
typedef struct tl_res_break {
	size_t source;        /* index into model->sources */
	int64_t ts;
	uint32_t input;       /* canonical input index */
	const char *label;    /* its label, borrowed */
	uint64_t pos;         /* frame or line */
	unsigned differs;     /* TL_RES_FP_* components that differ from the dominant values */
	int has_ip_ttl, has_edns;
	uint8_t ip_ttl;
	int ip_ttl_delta;     /* ip_ttl - dominant (0 unless has_ip_ttl and a dominant exists) */
	uint16_t edns_size;
	int do_bit;
	uint32_t opt_set;
	int mixed;
} tl_res_break_t;

typedef struct tl_resolver_model {
	double alpha;
	int64_t ttl_s;              /* from the context; <= 0: unknown, no classes */
	const char *ttl_method;     /* borrowed from the context */
	int64_t tolerance_s;
	uint64_t min_lookups;       /* fingerprint breaks only for sources with this many */
	uint64_t n_lookups;         /* de-duplicated lookups */
	uint64_t sources_single;    /* sources with exactly one lookup (no interval) */
	uint64_t sources_no_repeat; /* sources with >= 2 lookups, none of the same name and
	                             * type twice (listed, without intervals) */
	uint32_t neg_ttl_min_s, neg_ttl_max_s; /* negative-caching TTLs of the classified
	                                        * intervals (meaningful when classes.negative) */
	tl_res_bins_t bins;
	uint64_t hist[TL_RES_MAX_BINS]; /* all sources */
	tl_res_iat_t iat;               /* all sources */
	tl_res_classes_t classes;       /* all sources */
	tl_res_source_t *sources;   /* owned; >= 2 lookups; by lookups desc, then address */
	size_t n_sources;
	tl_res_break_t *breaks;     /* owned; in (time, input, position) order */
	size_t n_breaks;
} tl_resolver_model_t;

#endif
