/* sample_analysis.h - for unit tests that need real findings: the sample case (samples/)
 * loaded and analysed once per test group. Include it once, in one test file; it defines
 * the group's setup and teardown and the three objects they fill. */
#ifndef TL_TESTS_SAMPLE_ANALYSIS_H
#define TL_TESTS_SAMPLE_ANALYSIS_H

#include <stdio.h>

#include "analysis/engine.h"
#include "case/case.h"
#include "case/events.h"
#include "util/error.h"

#ifndef TL_TEST_DATA_DIR
#define TL_TEST_DATA_DIR "tests"
#endif
#define SAMPLE TL_TEST_DATA_DIR "/../samples/case.ini"

static tl_case_t *kase;
static tl_events_t *events;
static tl_findings_t findings;

/* The sample case, its events and its findings (one thread: the findings do not depend on
 * the thread count, and the tests run in parallel). */
static int sample_setup(void **state)
{
	(void)state;
	char err[2048];
	if (tl_case_load(SAMPLE, &kase, err, sizeof(err)) != TL_OK ||
	    (kase->events_resolved &&
	     tl_events_load(kase->events_resolved, kase->window_before_us, kase->window_after_us,
			    &events, err, sizeof(err)) != TL_OK) ||
	    tl_analysis_run(kase, events, NULL, 1, "test", &findings, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int sample_teardown(void **state)
{
	(void)state;
	tl_findings_free(&findings);
	tl_events_free(events);
	tl_case_free(kase);
	return 0;
}

#endif
