/* validation.h - the event test's error rates measured on simulated cases (docs/validation.md).
 * Written by: calibrate --replicates 200 --effect-replicates 100 --permutations 99 --seed 1 --header FILE
 * Do not edit: the test validation/calibrate makes it again and compares. */
#ifndef TL_MODEL_VALIDATION_H
#define TL_MODEL_VALIDATION_H

#include <stddef.h>
#include <stdint.h>

#define TL_VALIDATION_METHOD_VERSION 2
#define TL_VALIDATION_ALPHA 0.05
#define TL_VALIDATION_COMMAND "calibrate --replicates 200 --effect-replicates 100 --permutations 99 --seed 1"

typedef struct tl_validation_row {
	const char *name;
	const char *what;
	int null; /* no event has an effect */
	uint64_t cases;
	uint64_t fwer_hits; /* cases with a null event significant (primary family) */
	uint64_t org_hits;  /* the same, per organisation */
	uint64_t eff_n[3], eff_hit[3]; /* effect events at 1.5x, 2x, 3x; of them significant */
} tl_validation_row_t;

static const tl_validation_row_t tl_validation_rows[] = {
	{"null-stationary", "Poisson demand, caches, office hours with DST", 1, 200, 0, 0, {0, 0, 0}, {0, 0, 0}},
	{"null-sessions", "demand in sessions, retries, refreshing resolvers", 1, 200, 2, 2, {0, 0, 0}, {0, 0, 0}},
	{"null-rename", "target renamed at T, lookups drop to 30-60 %; hint passed", 1, 200, 1, 0, {0, 0, 0}, {0, 0, 0}},
	{"null-rename-nohint", "as null-rename, no hint", 1, 200, 10, 4, {0, 0, 0}, {0, 0, 0}},
	{"null-trend", "demand rises 50-100 % over the span", 1, 200, 5, 0, {0, 0, 0}, {0, 0, 0}},
	{"null-bursts", "one-off bursts of 15-60 lookups every ~3 weeks", 1, 200, 3, 0, {0, 0, 0}, {0, 0, 0}},
	{"null-gaps", "2-6 sensor outages of 30 min to 3 days", 1, 200, 2, 1, {0, 0, 0}, {0, 0, 0}},
	{"null-two-sensors", "two sensors, own outages, 5 % seen by both", 1, 200, 2, 1, {0, 0, 0}, {0, 0, 0}},
	{"null-all", "sessions, rename (hint), trend, bursts, two sensors with outages", 1, 200, 3, 1, {0, 0, 0}, {0, 0, 0}},
	{"effects-rename", "sessions, rename (hint); 3 of 8 events at 1.5x, 2x, 3x", 0, 100, 3, 0, {100, 100, 100}, {38, 84, 93}},
	{"effects-live", "sessions, name live; 3 of 8 events at 1.5x, 2x, 3x", 0, 100, 1, 1, {100, 100, 100}, {58, 99, 100}},
};
#define TL_VALIDATION_ROWS 11

#endif
