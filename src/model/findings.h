/* findings.h (model) - everything `tealeaves analyze` found, as plain data:
 * the context (inputs, lookups, sources, organisations), the de-duplication,
 * and each module's model. Built by tl_analysis_run (src/analysis/engine.h);
 * written as JSON by tl_json_findings (src/render/json/findings.c). */
#ifndef TL_MODEL_FINDINGS_H
#define TL_MODEL_FINDINGS_H

#include "model/context.h"
#include "model/lookups.h"
#include "model/baseline.h"
#include "model/correlate.h"
#include "model/names.h"
#include "model/profile.h"
#include "model/quality.h"
#include "model/resolver.h"

#define TL_FINDINGS_SCHEMA "tealeaves-findings/2"

struct tl_case;
struct tl_events;

/* One organisation as attribution found it for a source. */
typedef struct tl_findings_source {
	const char *network; /* the matched CIDR or mmdb network, "" when unattributed */
	int has_asn;
	uint32_t asn;
} tl_findings_source_t;

/* A rate measured in the calibration study: k of n, with its 95% Clopper-Pearson interval
 * (lo = hi = 0 when n is 0). */
typedef struct tl_validation_rate {
	uint64_t k, n;
	double lo, hi;
} tl_validation_rate_t;

/* The event test's error rates measured on simulated cases with known truth
 * (src/model/validation.h, docs/validation.md), as the report states them. */
typedef struct tl_validation_summary {
	int measured;                /* 0: the figures are of another version of the method */
	double alpha;                /* the significance level the study used */
	uint64_t null_kinds;         /* kinds of simulated case without an effect */
	tl_validation_rate_t null_all;   /* cases with a null event called significant */
	const char *worst;           /* the null kind with the highest rate (static); NULL if none */
	tl_validation_rate_t null_worst;
	tl_validation_rate_t effect[3]; /* effect events at 1.5x, 2x, 3x with a rename: found */
} tl_validation_summary_t;

typedef struct tl_findings {
	const struct tl_case *kase;     /* borrowed */
	const struct tl_events *events; /* borrowed; NULL when the case names none */
	const char *tool_version;
	tl_ctx_t ctx;                   /* owned (tl_findings_free, src/analysis/engine.h) */
	tl_findings_source_t *source_attr; /* per ctx source; owned */
	const char **target_names_resolved; /* names that resolved to target IPs; owned array */
	size_t n_target_names_resolved;
	uint64_t ttl_answers;           /* answers the TTL was taken from (method "answers") */
	tl_dedup_stats_t dedup;
	tl_profile_model_t profile;
	tl_resolver_model_t resolver;
	tl_baseline_model_t baseline;
	tl_correlate_model_t correlate;
	int has_correlate;              /* 0 when the case names no events file */
	tl_names_model_t names;
	tl_quality_model_t quality;
	tl_validation_summary_t validation;
	char orgs_sha256[65];           /* of the organisations file as the analysis read it,
					 * lower-case hex; "" when the case names none */
} tl_findings_t;

#endif
