/* calibrate.c - the calibration study of the event test: simulated cases with known truth
 * through tl_correlate_run; false-positive rates, power, and a --check against alpha. */
#include "calgen.h"

#include "analysis/stats/rng.h"
#include "analysis/stats/stats.h"
#include "util/error.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALPHA 0.05
#define CHECK_LEVEL 0.01    /* P(X >= observed | n, alpha) below this: clearly above alpha */
#define CHECK_POWER_3X 0.90 /* least power at 3x in effects-rename */

typedef struct scenario {
	const char *name;
	const char *what;
	cal_knobs_t knobs;
} scenario_t;

/* Each null scenario adds one difficulty to the stationary one; null-all has them all.
 * The effect scenarios are realistic (sessions and retries) with and without a rename. */
static const scenario_t scenarios[] = {
	{"null-stationary", "Poisson demand, caches, office hours with DST", {0}},
	{"null-sessions", "demand in sessions, retries, refreshing resolvers", {.sessions = 1}},
	{"null-rename", "target renamed at T, lookups drop to 30-60 %; hint passed",
	 {.rename = 1}},
	{"null-rename-nohint", "as null-rename, no hint", {.rename = 2}},
	{"null-trend", "demand rises 50-100 % over the span", {.trend = 1}},
	{"null-bursts", "one-off bursts of 15-60 lookups every ~3 weeks", {.bursts = 1}},
	{"null-gaps", "2-6 sensor outages of 30 min to 3 days", {.gaps = 1}},
	{"null-two-sensors", "two sensors, own outages, 5 % seen by both",
	 {.two_sensors = 1}},
	{"null-all", "sessions, rename (hint), trend, bursts, two sensors with outages",
	 {.sessions = 1, .rename = 1, .trend = 1, .bursts = 1, .gaps = 1, .two_sensors = 1}},
	{"effects-rename", "sessions, rename (hint); 3 of 8 events at 1.5x, 2x, 3x",
	 {.sessions = 1, .rename = 1, .effects = 1}},
	{"effects-live", "sessions, name live; 3 of 8 events at 1.5x, 2x, 3x",
	 {.sessions = 1, .effects = 1}},
};
#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: calibrate [--replicates N] [--effect-replicates N] [--seed S]\n"
		"                 [--permutations N] [--scenario NAME]... [--check]\n"
		"                 [--header FILE]\n"
		"  --replicates N         cases per scenario (default 200)\n"
		"  --effect-replicates N  cases per effect scenario (default: --replicates)\n"
		"  --seed S               seed of the whole study (default 1)\n"
		"  --permutations N       draws of the permutation test per case (default 199)\n"
		"  --scenario NAME        run only NAME (repeatable; default all)\n"
		"  --check                exit 1 when a null scenario's false-positive count is\n"
		"                         clearly above alpha, or the power at 3x in\n"
		"                         effects-rename is below %.2f\n"
		"  --header FILE          write the figures as the C header the report states\n"
		"                         them from (src/model/validation.h)\n"
		"scenarios:\n",
		CHECK_POWER_3X);
	for (size_t i = 0; i < N_SCENARIOS; i++)
		fprintf(f, "  %-20s %s\n", scenarios[i].name, scenarios[i].what);
}

static int parse_u64(const char *s, uint64_t *out)
{
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* A scenario's stream of case seeds depends on the study seed and its name only, so a
 * scenario gives the same figures whichever others run with it. */
static uint64_t case_seed(uint64_t seed, const char *name, uint64_t rep)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * UINT64_C(0x100000001b3);
	uint64_t st = seed ^ h;
	st += rep * UINT64_C(0xd1342543de82ef95);
	return tl_rng_splitmix64(&st);
}

static void run_scenario(const scenario_t *sc, uint64_t n, uint64_t seed, uint64_t perms,
			 cal_tally_t *t)
{
	memset(t, 0, sizeof(*t));
	for (uint64_t r = 0; r < n; r++) {
		uint64_t cs = case_seed(seed, sc->name, r);
		cal_case_t c;
		cal_generate(&sc->knobs, cs, &c);
		tl_correlate_settings_t s = {.alpha = ALPHA,
					     .permutations = perms,
					     .seed = cs ^ UINT64_C(0x5eed5eed5eed5eed),
					     .correction = TL_CORRELATE_HOLM,
					     .hints = c.n_hints ? &c.hint : NULL,
					     .n_hints = c.n_hints};
		tl_correlate_model_t m;
		if (tl_correlate_run(&c.ctx, c.events, CAL_EVENTS, &s, &m) != TL_OK) {
			fprintf(stderr, "calibrate: %s case %" PRIu64 ": tl_correlate_run failed\n",
				sc->name, r);
			exit(1);
		}
		cal_tally_add(t, &c, &m, ALPHA);
		tl_correlate_model_free(&m);
		cal_case_free(&c);
	}
}

/* "k/n = p% [lo, hi]" with the Clopper-Pearson 95 % interval. */
static void fmt_rate(char *buf, size_t len, uint64_t k, uint64_t n)
{
	tl_interval_t iv;
	if (n == 0 || tl_stats_clopper_pearson(k, n, 0.05, &iv) != TL_OK) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%.1f%% [%.1f, %.1f] (%" PRIu64 "/%" PRIu64 ")",
		 100.0 * (double)k / (double)n, 100 * iv.lo, 100 * iv.hi, k, n);
}

static void fmt_share(char *buf, size_t len, uint64_t k, uint64_t n)
{
	if (n == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", (double)k / (double)n);
}

/* One scenario's figures as the report needs them. */
typedef struct row {
	const char *name, *what;
	int is_null;
	cal_tally_t t;
} row_t;

/* The header src/model/validation.h: the figures of this run, with the command that
 * makes them, so that the report states measured error rates and a test can make them
 * again and compare. */
static int write_header(const char *path, const row_t *rows, size_t n, uint64_t reps,
			uint64_t eff_reps, uint64_t seed, uint64_t perms)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "calibrate: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "/* validation.h - the event test's error rates measured on simulated cases "
		   "(docs/validation.md).\n"
		   " * Written by: calibrate --replicates %" PRIu64 " --effect-replicates %" PRIu64
		   " --permutations %" PRIu64 " --seed %" PRIu64 " --header FILE\n"
		   " * Do not edit: the test validation/calibrate makes it again and compares. */\n"
		   "#ifndef TL_MODEL_VALIDATION_H\n#define TL_MODEL_VALIDATION_H\n\n"
		   "#include <stddef.h>\n#include <stdint.h>\n\n",
		reps, eff_reps, perms, seed);
	fprintf(f, "#define TL_VALIDATION_METHOD_VERSION %d\n", TL_CORRELATE_METHOD_VERSION);
	fprintf(f, "#define TL_VALIDATION_ALPHA %.2f\n", ALPHA);
	fprintf(f, "#define TL_VALIDATION_COMMAND \"calibrate --replicates %" PRIu64
		   " --effect-replicates %" PRIu64 " --permutations %" PRIu64 " --seed %" PRIu64
		   "\"\n\n", reps, eff_reps, perms, seed);
	fprintf(f, "typedef struct tl_validation_row {\n"
		   "\tconst char *name;\n\tconst char *what;\n\tint null; /* no event has an "
		   "effect */\n\tuint64_t cases;\n\tuint64_t fwer_hits; /* cases with a null "
		   "event significant (primary family) */\n\tuint64_t org_hits;  /* the same, "
		   "per organisation */\n\tuint64_t eff_n[3], eff_hit[3]; /* effect events at "
		   "1.5x, 2x, 3x; of them significant */\n} tl_validation_row_t;\n\n");
	fprintf(f, "static const tl_validation_row_t tl_validation_rows[] = {\n");
	for (size_t i = 0; i < n; i++) {
		const cal_tally_t *t = &rows[i].t;
		fprintf(f, "\t{\"%s\", \"%s\", %d, %" PRIu64 ", %" PRIu64 ", %" PRIu64
			   ", {%" PRIu64 ", %" PRIu64 ", %" PRIu64 "}, {%" PRIu64 ", %" PRIu64
			   ", %" PRIu64 "}},\n",
			rows[i].name, rows[i].what, rows[i].is_null, t->cases, t->fwer_hits,
			t->org_hits, t->eff_n[0], t->eff_n[1], t->eff_n[2], t->eff_hit[0],
			t->eff_hit[1], t->eff_hit[2]);
	}
	fprintf(f, "};\n#define TL_VALIDATION_ROWS %zu\n\n#endif\n", n);
	if (fclose(f) != 0) {
		fprintf(stderr, "calibrate: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t reps = 200, eff_reps = 0, seed = 1, perms = 199;
	int check = 0, have_eff_reps = 0;
	const char *header = NULL;
	row_t rows[sizeof(scenarios) / sizeof(scenarios[0])];
	size_t n_rows = 0;
	int chosen[N_SCENARIOS] = {0};
	int any_chosen = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (strcmp(a, "--check") == 0) {
			check = 1;
			continue;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--replicates") == 0) {
			bad = parse_u64(v, &reps) != 0 || reps == 0;
		} else if (strcmp(a, "--effect-replicates") == 0) {
			bad = parse_u64(v, &eff_reps) != 0 || eff_reps == 0;
			have_eff_reps = 1;
		} else if (strcmp(a, "--header") == 0) {
			bad = v == NULL;
			header = v;
		} else if (strcmp(a, "--seed") == 0) {
			bad = parse_u64(v, &seed) != 0;
		} else if (strcmp(a, "--permutations") == 0) {
			bad = parse_u64(v, &perms) != 0;
		} else if (strcmp(a, "--scenario") == 0) {
			size_t k = 0;
			while (v != NULL && k < N_SCENARIOS && strcmp(scenarios[k].name, v) != 0)
				k++;
			bad = k == N_SCENARIOS || v == NULL;
			if (!bad) {
				chosen[k] = 1;
				any_chosen = 1;
			}
		} else {
			fprintf(stderr, "calibrate: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
		if (bad) {
			fprintf(stderr, "calibrate: %s needs %s, got '%s'\n", a,
				strcmp(a, "--scenario") == 0 ? "a scenario name"
				: strcmp(a, "--header") == 0 ? "a file name"
							      : "a whole number",
				v ? v : "nothing");
			usage(stderr);
			return 2;
		}
		i++;
	}
	if (!have_eff_reps)
		eff_reps = reps;

	printf("Calibration of the event test: alpha %.2f, Holm, seed %" PRIu64
	       ", %" PRIu64 " cases per null scenario, %" PRIu64
	       " per effect scenario, %" PRIu64 " permutations.\n\n",
	       ALPHA, seed, reps, eff_reps, perms);
	printf("| scenario | cases | lookups/case | FWER primary [95%% CI] | FWER per org [95%% CI] "
	       "| permutation rejects [95%% CI] | null tests significant | mean null RR "
	       "| not testable | power 1.5x | power 2x | power 3x |\n");
	printf("|---|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|\n");

	int failed = 0;
	char fails[N_SCENARIOS * 3][256];
	size_t n_fails = 0;
	for (size_t k = 0; k < N_SCENARIOS; k++) {
		if (any_chosen && !chosen[k])
			continue;
		const scenario_t *sc = &scenarios[k];
		int is_null = !sc->knobs.effects;
		cal_tally_t t;
		run_scenario(sc, is_null ? reps : eff_reps, seed, perms, &t);
		rows[n_rows++] = (row_t){sc->name, sc->what, is_null, t};
		char f1[96], f2[96], f3[96], ns[32], rr[32], nt[32], p[CAL_EFFECTS][32];
		fmt_rate(f1, sizeof(f1), t.fwer_hits, t.cases);
		fmt_rate(f2, sizeof(f2), t.org_hits, t.cases);
		fmt_rate(f3, sizeof(f3), t.perm_rejects, t.perm_cases);
		fmt_share(ns, sizeof(ns), t.null_sig, t.null_tests);
		if (t.null_tests)
			snprintf(rr, sizeof(rr), "%.3f", t.null_rr_sum / (double)t.null_tests);
		else
			snprintf(rr, sizeof(rr), "-");
		fmt_share(nt, sizeof(nt), t.untestable, t.events);
		for (size_t l = 0; l < CAL_EFFECTS; l++)
			fmt_share(p[l], sizeof(p[l]), t.eff_hit[l], t.eff_n[l]);
		printf("| %s | %" PRIu64 " | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		       sc->name, t.cases, (double)t.lookups / (double)t.cases, f1, f2, f3, ns, rr,
		       nt, p[0], p[1], p[2]);
		fflush(stdout);

		if (!check)
			continue;
		if (is_null) {
			const char *fam[3] = {"primary family FWER", "per-organisation family FWER",
					      "permutation test rejection rate"};
			uint64_t kk[3] = {t.fwer_hits, t.org_hits, t.perm_rejects};
			uint64_t nn[3] = {t.cases, t.cases, t.perm_cases};
			for (size_t f = 0; f < 3; f++) {
				double pv = tl_stats_binom_sf(kk[f], nn[f], ALPHA);
				if (nn[f] > 0 && pv < CHECK_LEVEL) {
					snprintf(fails[n_fails++], sizeof(fails[0]),
						 "%s: %s %" PRIu64 "/%" PRIu64
						 " is clearly above alpha %.2f (P(X >= %" PRIu64
						 ") = %.3g < %.2f)",
						 sc->name, fam[f], kk[f], nn[f], ALPHA, kk[f], pv,
						 CHECK_LEVEL);
					failed = 1;
				}
			}
		} else if (strcmp(sc->name, "effects-rename") == 0) {
			uint64_t n3 = t.eff_n[CAL_EFFECTS - 1], h3 = t.eff_hit[CAL_EFFECTS - 1];
			double pw = n3 ? (double)h3 / (double)n3 : 0;
			if (pw < CHECK_POWER_3X) {
				snprintf(fails[n_fails++], sizeof(fails[0]),
					 "%s: power at 3x %" PRIu64 "/%" PRIu64
					 " = %.3f is below %.2f",
					 sc->name, h3, n3, pw, CHECK_POWER_3X);
				failed = 1;
			}
		}
	}
	if (header && write_header(header, rows, n_rows, reps, eff_reps, seed, perms) != 0)
		return 2;
	if (check) {
		printf("\n");
		for (size_t i = 0; i < n_fails; i++)
			printf("CHECK FAILED: %s\n", fails[i]);
		printf("check: %s\n", failed ? "FAILED" : "passed");
	}
	return failed ? 1 : 0;
}
