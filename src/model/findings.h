/* findings.h (model) - everything `tealeaves analyze` found, as plain data:
 * the context (inputs, lookups, sources, organisations), the de-duplication,
 * and each module's model. Built by tl_analysis_run (src/analysis/engine.h);
 * written as JSON by tl_json_findings (src/render/json_findings.c). */
#ifndef TL_MODEL_FINDINGS_H
#define TL_MODEL_FINDINGS_H

#include "analysis/context.h"
#include "analysis/lookups.h"
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

typedef struct tl_findings {
	const struct tl_case *kase;     /* borrowed */
	const struct tl_events *events; /* borrowed; NULL when the case names none */
	const char *tool_version;
	tl_ctx_t ctx;                   /* owned (see tl_findings_free) */
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
	char orgs_sha256[65];           /* of the organisations file as the analysis read it,
					 * lower-case hex; "" when the case names none */
} tl_findings_t;

void tl_findings_free(tl_findings_t *f);

struct tl_json;
/* Writes the findings as one JSON document (keys in a fixed order). */
void tl_json_findings(struct tl_json *j, const tl_findings_t *f);

#endif
