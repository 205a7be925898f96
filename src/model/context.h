/* context.h - what the analysis passes share: inputs, interned names and
 * sources, the target's lookups, coverage. Built by engine.c; read by the
 * analysis modules (profile, resolver, baseline, correlate, names, quality),
 * which write their results into the findings model (src/model/findings.h). */
#ifndef TL_MODEL_CONTEXT_H
#define TL_MODEL_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "input/input.h"
#include "input/record.h"

#define TL_NONE32 UINT32_MAX

/* One evidence input, in canonical (label) order. */
typedef struct tl_ctx_input {
	const char *label;     /* from the case file */
	const char *path;      /* as written in the case file */
	const char *resolved;  /* path opened */
	uint32_t sensor;       /* index into ctx->sensors */
	int64_t offset_us;     /* clock correction from the case file, added to every time */
	tl_input_info_t info;  /* what the reader found (hash, counts, anomalies) */
	int64_t resolution_us; /* largest of 1 s, 1 ms, 1 us dividing every timestamp */
	uint64_t order_regressions; /* frames/lines earlier than the latest before them */
	/* what the operator declared in the case file (<label>.recording, <label>.gaps), true
	 * UTC, borrowed from the case; has_recording 0 when no recording was declared */
	int has_recording;
	const tl_period_t *recording;
	size_t n_recording;
	const tl_period_t *gaps;
	size_t n_gaps;
} tl_ctx_input_t;

/* A source: the client address of queries (normally a recursive resolver). */
typedef struct tl_ctx_source {
	tl_addr_t addr;
	uint32_t org;       /* index into ctx->orgs */
	const char *ptr;    /* a PTR name seen in the data for this address, or NULL */
} tl_ctx_source_t;

typedef struct tl_ctx_org {
	const char *name;   /* "unattributed" for the catch-all */
	const char *method; /* "cidr", "mmdb" or "none" */
	const char *tz;     /* IANA display zone */
} tl_ctx_org_t;

/* One sighting of a target lookup (a query for a target name, or for a name
 * that resolved to a target address). */
typedef struct tl_lookup {
	int64_t ts;         /* UTC microseconds, input offset applied */
	uint32_t input;     /* canonical input index */
	uint32_t source;    /* index into ctx->sources */
	uint32_t name;      /* index into ctx->names (lower-cased qname) */
	uint64_t pos;       /* frame or line in the input */
	uint32_t dup_of;    /* TL_NONE32, or the index of the kept sighting it duplicates */
	tl_addr_t server;   /* the query's destination (the name server asked) */
	uint16_t qtype, sport, id;
	uint16_t edns_size; /* 0: no EDNS (or unknown, see has_edns) */
	uint32_t opt_set;   /* bit i set: EDNS option code i (i < 31); bit 31: any code >= 31 */
	uint8_t transport;
	uint8_t ip_ttl;
	uint8_t flags;      /* TL_LK_* */
	uint8_t answer;     /* TL_ANS_*: what the server answered this lookup */
	uint8_t answer_src; /* TL_ANS_SRC_*: where answer and neg_ttl_s come from */
	uint32_t neg_ttl_s; /* NXDOMAIN / NODATA: the negative-caching TTL (RFC 2308 5: the
	                     * smaller of the SOA record's TTL and its MINIMUM field, from the
	                     * authority section); TL_NEG_TTL_UNKNOWN when the answer carried no
	                     * usable SOA or is not negative */
} tl_lookup_t;

/* The answer a lookup received (its rcode and answer section). */
enum {
	TL_ANS_UNKNOWN = 0,  /* no response known, or one whose rcode or answers are unknown */
	TL_ANS_POSITIVE = 1, /* NOERROR with a record of the type asked (or of an unstated type) */
	TL_ANS_NXDOMAIN = 2, /* rcode 3 (RFC 1035 4.1.1, RFC 2308 2.1) */
	TL_ANS_NODATA = 3,   /* NOERROR, answer section known and without the type (RFC 2308 2.2) */
	TL_ANS_OTHER = 4,    /* any other rcode (SERVFAIL, REFUSED, ...) */
};

/* Where a lookup's answer comes from. */
enum {
	TL_ANS_SRC_NONE = 0,   /* nowhere: answer is TL_ANS_UNKNOWN */
	TL_ANS_SRC_OWN = 1,    /* the response paired with this query, or with a sighting of
	                        * the same lookup (a duplicate, e.g. the retry that got through) */
	TL_ANS_SRC_LATEST = 2, /* no response of its own: the latest response to the same name
	                        * and type, to any client, at or before the lookup's time */
};

#define TL_NEG_TTL_UNKNOWN UINT32_MAX

enum {
	TL_LK_HAS_ID = 1 << 0,     /* id and sport are known (captures, Zeek) */
	TL_LK_HAS_IPTTL = 1 << 1,  /* ip_ttl is known (captures) */
	TL_LK_HAS_EDNS = 1 << 2,   /* whether EDNS was present is known */
	TL_LK_DO = 1 << 3,
	TL_LK_MIXED_CASE = 1 << 4, /* the qname had upper-case letters: 0x20 randomisation */
	TL_LK_RD = 1 << 5,
};

typedef struct tl_ctx_sensor {
	const char *name;
	int64_t first_ts, last_ts; /* TL_TIME_NONE when empty */
	uint8_t *minutes;          /* coverage bitmap: bit m = minute (span_start + m) starts in
	                            * covered time (the sensor's recorded time, from its own
	                            * statements, less the gaps the rule of src/analysis/quality.h
	                            * keeps; docs/findings/quality.md) */
} tl_ctx_sensor_t;

typedef struct tl_ctx {
	const struct tl_case *kase; /* the loaded case (src/case/case.h) */
	tl_ctx_input_t *inputs;
	size_t n_inputs;
	tl_ctx_sensor_t *sensors;
	size_t n_sensors;
	tl_ctx_source_t *sources;
	size_t n_sources;
	tl_ctx_org_t *orgs;
	size_t n_orgs;
	const char **names; /* interned lower-cased names, presentation form */
	size_t n_names;
	tl_lookup_t *lookups; /* sorted by (ts, input, pos); duplicates kept, marked */
	size_t n_lookups;
	size_t n_unique;      /* lookups with dup_of == TL_NONE32 */
	int64_t span_start, span_end; /* minute-aligned span of all data (UTC us) */
	int64_t ttl_s;        /* the target's TTL used by the cache-miss model */
	const char *ttl_method; /* "case" or "answers" */
} tl_ctx_t;

#endif
