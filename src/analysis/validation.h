/* validation.h - the event test's measured error rates, as the findings carry them. */
#ifndef TL_ANALYSIS_VALIDATION_H
#define TL_ANALYSIS_VALIDATION_H

#include "model/findings.h"

/* Sums the calibration study's rows (src/model/validation.h) into *out: all null kinds
 * together, the least favourable null kind, and the effects with a rename, each with its
 * 95% Clopper-Pearson interval. */
void tl_validation_summarise(tl_validation_summary_t *out);

#endif
