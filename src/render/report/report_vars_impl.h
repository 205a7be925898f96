/* report_vars_impl.h - what the files of the report's placeholder values share, and
 * nothing outside render/report/ may use. report_vars.c sets the values about the case,
 * the evidence, the method, the data quality and the manifest; report_vars_findings.c the
 * values of the findings (target, profile, resolver, baseline, events, names, summary). */
#ifndef TL_RENDER_REPORT_REPORT_VARS_IMPL_H
#define TL_RENDER_REPORT_REPORT_VARS_IMPL_H

#include "case/case.h"
#include "render/fmt.h"
#include "render/report/report.h"
#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

/* Wording for a value the findings do not hold (listed for the model's maintainers). */
#define NOT_RECORDED "not recorded in the findings"

typedef struct vctx {
	const tl_findings_t *f;
	const tl_case_t *c;
	tl_tvars_t *v;
	const tl_lang_t *L;
	const char *zone; /* display zone; "UTC" for UTC */
	int utc;          /* the display zone is UTC */
	double level;     /* confidence level of the shares' intervals (1 - alpha) */
	tl_buf_t b;       /* scratch: the value being built */
} vctx_t;

/* report_vars.c: the helpers (the case, the evidence, the method and the data quality
 * are set there too) */
/* Sets key to the scratch buffer's text and empties it. */
void tl_vars_put(vctx_t *x, tl_tvars_t *v, const char *key);
/* s, or "" for NULL. */
const char *tl_vars_or_empty(const char *s);
/* A DNS name for prose: without the root's trailing dot (which reads as a full stop); an
 * internationalised name as "U-label (A-label)" (util/idna.h). */
void tl_vars_put_name(tl_buf_t *b, const char *name);
/* Joins items in words: "a", "a and b", "a, b and c". */
void tl_vars_put_and(tl_buf_t *b, size_t i, size_t n);
/* A time in the display zone with the zone named; beside it UTC when the zone is not UTC:
 * "2016-05-04 09:10 Europe/Moscow (06:10 UTC)". */
void tl_vars_put_time(vctx_t *x, int64_t us);
/* "frame 123" or "line 123" of an input, by its format. */
void tl_vars_put_pos(vctx_t *x, uint32_t input, const char *label, uint64_t pos);

/* report_vars_findings.c: what the analysis found */
/* Each sets the placeholders of one part of the report (templates/README.md): the
 * target and its lookups, the profile, resolver behaviour, the baseline, the event test
 * and its validation, the names. */
void tl_vars_target(vctx_t *x);
void tl_vars_profile(vctx_t *x);
void tl_vars_resolver(vctx_t *x);
void tl_vars_baseline(vctx_t *x);
/* method.validation: the error rates measured for this version of the event test on
 * simulated cases with known truth (src/model/validation.h, docs/validation.md). */
void tl_vars_validation(vctx_t *x);
void tl_vars_events(vctx_t *x);
void tl_vars_names(vctx_t *x);
/* summary.timing: what the event test found, in words and counts, without p-values. */
void tl_vars_summary_timing(vctx_t *x);
/* summary.names: what happened to each name under examination, one sentence each. */
void tl_vars_summary_names(vctx_t *x);

#endif
