/* validation.c - the calibration study's figures (src/model/validation.h) summed as the
 * report states them, with their intervals. */
#include "analysis/validation.h"

#include "analysis/stats/stats.h"
#include "model/correlate.h"
#include "model/validation.h"
#include "util/error.h"

#include <string.h>

static void rate(tl_validation_rate_t *r, uint64_t k, uint64_t n)
{
	tl_interval_t iv;
	r->k = k;
	r->n = n;
	r->lo = r->hi = 0;
	if (n > 0 && tl_stats_clopper_pearson(k, n, 0.05, &iv) == TL_OK) {
		r->lo = iv.lo;
		r->hi = iv.hi;
	}
}

void tl_validation_summarise(tl_validation_summary_t *out)
{
	memset(out, 0, sizeof(*out));
	out->measured = TL_VALIDATION_METHOD_VERSION == TL_CORRELATE_METHOD_VERSION;
	out->alpha = TL_VALIDATION_ALPHA;
	uint64_t nc = 0, nh = 0, worst_k = 0, worst_n = 1;
	uint64_t en[3] = {0}, eh[3] = {0};
	for (size_t i = 0; i < TL_VALIDATION_ROWS; i++) {
		const tl_validation_row_t *r = &tl_validation_rows[i];
		if (r->null) {
			nc += r->cases;
			nh += r->fwer_hits;
			out->null_kinds++;
			if (out->worst == NULL || r->fwer_hits * worst_n > worst_k * r->cases) {
				out->worst = r->name;
				worst_k = r->fwer_hits;
				worst_n = r->cases;
			}
		} else if (strcmp(r->name, "effects-rename") == 0) {
			for (size_t l = 0; l < 3; l++) {
				en[l] += r->eff_n[l];
				eh[l] += r->eff_hit[l];
			}
		}
	}
	rate(&out->null_all, nh, nc);
	rate(&out->null_worst, worst_k, worst_n);
	for (size_t l = 0; l < 3; l++)
		rate(&out->effect[l], eh[l], en[l]);
}
