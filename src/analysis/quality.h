/* quality.h - streaming collector of evidence integrity and quality: time
 * coverage, gaps, timestamp order and resolution, truncation (issue 4,
 * "Integrity and quality"). Counts the readers made (drops, anomalies,
 * unanswered) come from ctx->inputs[i].info at finish. */
#ifndef TL_ANALYSIS_QUALITY_H
#define TL_ANALYSIS_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "model/context.h"
#include "input/record.h"
#include "model/quality.h"

typedef struct tl_quality_settings {
	int64_t gap_threshold_us; /* no data for longer than this is a gap (default 2 h) */
	size_t max_gaps;          /* gaps listed per sensor and overall (default 1000);
				   * all are counted */
} tl_quality_settings_t;

void tl_quality_settings_default(tl_quality_settings_t *s);

typedef struct tl_quality tl_quality_t;

/* s may be NULL (defaults). Free with tl_quality_free. */
tl_quality_t *tl_quality_new(const tl_quality_settings_t *s);
void tl_quality_free(tl_quality_t *q);

/* Feeds one record of canonical input `input`, in that input's order; offset_us
 * is added to r->ts for coverage and gaps (resolution and order use r->ts). */
void tl_quality_add(tl_quality_t *q, const tl_record_t *r, uint32_t input, int64_t offset_us);

/* Adds src into dst (src unchanged). Each input is meant to be fed to one
 * collector; if both hold the same input, counts add and order regressions
 * across the boundary are not seen. */
void tl_quality_merge(tl_quality_t *dst, const tl_quality_t *src);

/* The minute-aligned span of all data: [*start, *end), end being the start of
 * the minute after the last record. TL_ELIMIT (and TL_TIME_NONE in both) when
 * there is no record. */
int tl_quality_span(const tl_quality_t *q, int64_t *start, int64_t *end);

/* Resolution and order regressions of one input (0 and 0 when it had no record),
 * for ctx->inputs[i].resolution_us and .order_regressions. */
void tl_quality_input_order(const tl_quality_t *q, uint32_t input, int64_t *resolution_us,
			    uint64_t *order_regressions);

/* Coverage of sensor (inputs i with ctx->inputs[i].sensor == sensor) over
 * [span_start, span_end) (minute-aligned), from what the sensor states about itself
 * (docs/findings/quality.md, Coverage). Each input's recorded time comes from its
 * strongest statement: declared in the case file (ctx->inputs[i].recording), else the
 * periods its pcapng Interface Statistics Blocks state (info.stats.periods), else its
 * first to its last frame (file boundaries); declared gaps are taken out of it. Silence
 * (no record for longer than gap_threshold_us) is the rule only where nothing stronger
 * is known: inside a declared recording it is a quiet period and stays covered; inside
 * a file or an ISB period, which say nothing about the time between their ends, it is a
 * gap; with no statement at all, the records joined at the threshold are the coverage.
 *
 * *primary_out is a new bitmap the caller frees with free(), bit m (byte m / 8, bit
 * m % 8) set when the START of minute m, span_start + m minutes, lies in the covered
 * time (so a minute is covered or not as a whole; the error is under one minute at each
 * end of a covered stretch). *other_out (when other_out is not NULL) is the bitmap of
 * the other coverage, one rule for all sensors (TL_QUALITY_OTHER_*, model/quality.h):
 * statements at their word when some sensor's primary took a silence out of stated
 * time, else every silence inside stated time a gap. first/last: the sensor's first and
 * last record (TL_TIME_NONE when none). */
int tl_quality_sensor_coverage(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor,
			       int64_t span_start, int64_t span_end, uint8_t **primary_out,
			       uint8_t **other_out, int64_t *first_ts, int64_t *last_ts);

/* Every sensor of ctx at once (the other coverage's rule found once): fills
 * ctx->sensors[s].minutes, .first_ts and .last_ts over [ctx->span_start, ctx->span_end)
 * and sets *other_out to a new array of ctx->n_sensors other bitmaps; the caller frees
 * each bitmap and the array with free() (also on error). */
int tl_quality_coverage(const tl_quality_t *q, tl_ctx_t *ctx, uint8_t ***other_out);

/* tl_quality_sensor_coverage without the other bitmap. */
int tl_quality_sensor_minutes(const tl_quality_t *q, const tl_ctx_t *ctx, uint32_t sensor,
			      int64_t span_start, int64_t span_end, uint8_t **minutes_out,
			      int64_t *first_ts, int64_t *last_ts);

/* Builds the model from the collector, ctx (inputs with sensors, reader info and
 * declared recording, sensors, lookups with dup_of) and the engine's clock offsets
 * between sensors (copied; may be NULL with n_offsets 0): per sensor its coverage, its
 * source, its gaps (each with its source) and quiet periods; overall the union, every
 * stretch no sensor covered as a gap, and out->other's coverage (its events are the
 * engine's to fill). out is owned by the caller (tl_quality_model_free). Returns TL_OK. */
int tl_quality_finish(const tl_quality_t *q, const tl_ctx_t *ctx,
		      const tl_quality_offset_t *offsets, size_t n_offsets,
		      tl_quality_model_t *out);

/* Frees what the model owns (not the struct); accepts NULL. */
void tl_quality_model_free(tl_quality_model_t *m);

#endif
