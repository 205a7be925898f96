/* summary_impl.h - what the terminal summary (summary.c) and the compact JSON summary
 * (summary_json.c) share, and nothing outside render/text/ may use. */
#ifndef TL_RENDER_TEXT_SUMMARY_IMPL_H
#define TL_RENDER_TEXT_SUMMARY_IMPL_H

#include "input/record.h"
#include "render/text/summary.h"

#include <stdint.h>

#define NUM_LEN 64 /* bytes of one formatted figure */

/* summary.c */
/* UTC "YYYY-MM-DD" into out; "—" when there is no time. */
const char *tl_summary_fmt_day(char out[NUM_LEN], int64_t ts);
/* An address as text, into out. */
const char *tl_summary_addr_text(char out[TL_ADDR_STR_LEN], const tl_addr_t *a);
/* The case's number and title ("" when there is no case). */
const char *tl_summary_case_number(const tl_findings_t *f);
const char *tl_summary_case_title(const tl_findings_t *f);
/* The p-value of test t under the model's correction. */
double tl_summary_primary_p(const tl_correlate_model_t *m, const tl_correlate_test_t *t);
/* The name called name in m, or NULL. */
const tl_names_name_t *tl_summary_find_name(const tl_names_model_t *m, const char *name);
/* The label of sensor s. */
const char *tl_summary_sensor_name(const tl_findings_t *f, uint32_t s);

#endif
