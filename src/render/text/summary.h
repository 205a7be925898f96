/* text_summary.h - `tealeaves profile CASE`: the key findings as a readable terminal summary,
 * and the same key figures as one compact JSON object (--json). Renderers only: every
 * figure is read from the findings model (src/model/findings.h); nothing is computed. */
#ifndef TL_RENDER_TEXT_SUMMARY_H
#define TL_RENDER_TEXT_SUMMARY_H

#include "model/findings.h"
#include "util/buf.h"

#define TL_SUMMARY_SCHEMA "tealeaves-summary/1"
#define TL_SUMMARY_MIN_WIDTH 40  /* narrower widths are taken as this */
#define TL_SUMMARY_TOP 5         /* sources, organisations and resolver sources listed */
#define TL_SUMMARY_BREAKS 5      /* fingerprint breaks listed (the first, by time) */
#define TL_SUMMARY_GAPS 3        /* gaps listed per sensor and overall (the first, by start) */
#define TL_SUMMARY_BURSTS 10     /* exploratory burst days listed (the first, by day) */

/*
 * Appends the summary to out as UTF-8 text lines, each ending in '\n', in these plainly
 * labelled sections: CASE, INPUTS, TARGET, LOOKUPS, SOURCES, ORGANISATIONS, RESOLVER
 * BEHAVIOUR, BASELINE STANDING, EVENTS (only when the case names events), NAMES, QUALITY.
 *
 * width: terminal columns (80 when not a terminal; below TL_SUMMARY_MIN_WIDTH it is taken as
 * that). Width is counted in code points. Text that comes from the evidence or the case
 * (names, labels, organisation and event names) is escaped like tl_buf_text_escaped
 * (control characters and invalid UTF-8 as \xHH) and, where it would not fit, cut at a
 * code-point boundary and ended with "…" (U+2026); numbers are never cut (a line of figures
 * may be wider than a very narrow terminal).
 *
 * Formats: integers with ',' thousands separators; shares as percentages with one decimal,
 * intervals as "lo–hi%" at the model's confidence; HHI with 3 decimals; rate ratios and
 * expected counts with 2 decimals; p-values with 4 decimals ("< 0.0001" below that); times
 * UTC "YYYY-MM-DDTHH:MM:SSZ" (sub-seconds cut, not rounded); durations "1d 02h 03m 04s"
 * (whole seconds, cut); "n/a" where the model holds no value (NaN); "∞" for an infinite
 * bound. The same model always gives the same bytes (no locale, no clock). f is read only.
 */
void tl_text_summary(tl_buf_t *out, const tl_findings_t *f, int width);

/*
 * Writes the summary as ONE compact JSON object (keys always present, in this order; null
 * where the model holds no value). Shares, intervals, ratios and p-values with 6 decimals
 * (tl_json_fixed), counts as integers, times ISO 8601 UTC (tl_time_format_iso):
 *   schema ("tealeaves-summary/1"),
 *   case {number, title},
 *   span {start, end},
 *   inputs [{label, format, gzip, messages, first, last, clock_offset_us, anomalies}],
 *   target {names, suffixes, ips, names_resolved_to_ips, names_looked_up},
 *   lookups {sightings, unique, duplicates_removed, duplicates_same_query,
 *            duplicates_retries, first, last},
 *   sources {count, top_k, top_k_share, hhi, confidence,
 *            top [{address, organisation, lookups, share, ci [lo, hi]}]},
 *   organisations {count, top_k, top_k_share, hhi, confidence,
 *            top [{name, lookups, share, ci [lo, hi]}]},
 *   resolver {ttl_s, ttl_method, tolerance_s, confidence, intervals,
 *            inside_ttl {count, share, ci}, periodic {...}, later {...},
 *            sources [{address, organisation, intervals, inside_ttl, periodic, later}] (shares),
 *            fingerprint_breaks, first_breaks [{time, input, position, source, differs [...]}]},
 *   baseline {names, min_lookups, target_sightings, top_source_share,
 *            top_source_share_percentile, hhi, hhi_percentile, top_org_share,
 *            top_org_share_percentile, org_hhi, org_hhi_percentile}  (percentiles 0..1),
 *   events null | {correction, alpha, ci_level,
 *            tests [{label, status, observed, expected, rr, ci [lo, hi], p_adjusted,
 *                    significant}],
 *            permutation {done, p, n, exact, seed},
 *            bursts {exploratory: true, days [{day, lookups, z}]}},
 *   names [{name, last_success {time, input, position} | null,
 *           failure_after {time, rcode, input, position, exact} | null,
 *           first_query {source, organisation, time, input, position} | null,
 *           successors [{name, address, first_answer {time, input, position},
 *                        first_query {...} | null}]}]  (target names only),
 *   quality {gap_threshold_s, sensors [{name, coverage, gaps, gap_time_s}],
 *            overall {gaps, gap_time_s}, clock_offsets [{sensor_a, sensor_b, pairs,
 *            median_s, mad_s}], inputs [{label, malformed, if_drops, os_drops}],
 *            malformed, if_drops, os_drops}
 * Lists are cut like the text (TL_SUMMARY_*). f is read only.
 */
void tl_json_summary(tl_json_t *j, const tl_findings_t *f);

#endif
