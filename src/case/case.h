/* case.h - the case file: every setting an analysis depends on, loaded and checked. */
#ifndef TL_CASE_CASE_H
#define TL_CASE_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "input/period.h"
#include "input/record.h"
#include "util/buf.h"
#include "util/sha256.h"

/* Largest case file read (bytes); a case file is a page of settings. */
#define TL_CASE_MAX_BYTES (1u << 20)
/* Longest line libinih can hold (its INI_MAX_LINE of 200, less the line end and NUL). */
#define TL_CASE_MAX_LINE 198
#define TL_CASE_LABEL_MAX 64
#define TL_CASE_MAX_INPUTS 4096 /* [evidence] inputs in one case file */

enum { TL_CORRECTION_HOLM = 0, TL_CORRECTION_BH = 1 };

/* A declared stretch of time [start, end), UTC microseconds (the evidence's time after
 * its offset); the analysis takes it as it takes a capture's stated periods. */
typedef tl_period_t tl_case_span_t;

/* One [evidence] input. */
typedef struct tl_case_input {
	char *label;      /* letters, digits, '-', '_', '.' */
	char *path;       /* as written */
	char *resolved;   /* as written when absolute, else joined to the case file's directory */
	int has_sha256;   /* a hash taken at receipt was given; the input must match it */
	uint8_t sha256[TL_SHA256_LEN];
	char sha256_hex[TL_SHA256_HEX_LEN]; /* lower case; "" when none */
	char *sensor;     /* default: the label */
	int64_t offset_us; /* known clock correction, signed; default 0 */
	int line;         /* line of "label = path" (0 when set by an override) */
	/* <label>.recording: when the input's sensor recorded, as the operator declares it;
	 * <label>.gaps: outages the operator documented. Sorted by start, overlapping ones
	 * joined; has_recording 0 when not given (then nothing is declared recorded). */
	int has_recording;
	tl_case_span_t *recording;
	size_t n_recording;
	tl_case_span_t *gaps;
	size_t n_gaps;
	/* Chain of custody, as the case file states it (NULL when not given): when the input
	 * was received (a date, or a date and time with a zone, as written), from whom, by
	 * whom, and how (the medium, the seal, the transfer). */
	char *received, *received_from, *received_by, *received_how;
} tl_case_input_t;

/* One timezone.<organisation> key of [sources]. */
typedef struct tl_case_orgzone {
	char *organisation; /* exactly as written after "timezone." */
	char *zone;
} tl_case_orgzone_t;

/* All strings are owned by the case and freed by tl_case_free. Optional text that was not
 * given is NULL. Every setting holds its effective value: defaults filled in, overrides
 * applied. */
typedef struct tl_case {
	char *path; /* the case file as given to tl_case_load */
	char *dir;  /* its directory ("." when the path has none) */
	uint8_t file_sha256[TL_SHA256_LEN]; /* of the case file's bytes as read */
	char file_sha256_hex[TL_SHA256_HEX_LEN];
	uint64_t file_size; /* of the case file's bytes as read */

	/* [case] */
	char *number, *title; /* required */
	char *exhibit, *requester, *examiner_role, *organisation, *control_prefix;
	char **examiners; /* split on ';', trimmed, in the order written */
	size_t n_examiners;
	int has_report_date;
	int64_t report_date_us; /* 00:00 UTC of the date */
	char report_date[11];   /* "YYYY-MM-DD" or "" */
	char *timezone;         /* default "UTC" */
	uint64_t version;       /* >= 1, default 1 */
	int supplemental;       /* default 0 */

	/* [evidence], sorted by label (bytewise) */
	tl_case_input_t *inputs;
	size_t n_inputs;

	/* [target]: sorted and without duplicates */
	char **names;    /* normalised: lower case, trailing dot */
	size_t n_names;
	char **suffixes; /* likewise */
	size_t n_suffixes;
	tl_addr_t *ips;  /* sorted by family, then bytes */
	size_t n_ips;

	/* [sources] */
	char *orgs_path, *orgs_resolved; /* NULL when not given */
	char *mmdb_path, *mmdb_resolved; /* NULL when not given */
	tl_case_orgzone_t *org_zones;    /* sorted by organisation (bytewise) */
	size_t n_org_zones;

	/* [events] */
	char *events_path, *events_resolved; /* NULL when not given */
	int64_t window_before_us;            /* default 1d */
	int64_t window_after_us;             /* default 3d */

	/* [analysis] */
	int64_t dedup_tolerance_us;    /* default 2s */
	int ttl_auto;                  /* default 1 */
	int64_t ttl_us;                /* when !ttl_auto; > 0 */
	int64_t periodic_tolerance_us; /* default 5m */
	uint64_t permutations;         /* default 10000, 1..100000000 */
	uint64_t seed;                 /* default 20161031 */
	double alpha;                  /* default 0.05, 0 < alpha < 1, at most 6 decimals */
	int correction;                /* TL_CORRECTION_*, default holm */
	uint64_t baseline_min_lookups; /* default 100, >= 1 */
	int64_t gap_threshold_us;      /* default 2h, > 0 */
	uint64_t top_k;                /* default 2, >= 1 */
	uint64_t reference_weeks;      /* default 4, 1..52: the event test's reference is the
				        * same regime within this many weeks of a window */
	uint64_t min_reference_weeks;  /* default 2, 1..52: covered reference time a test needs */
	uint64_t threads;              /* default 0 (one per core), <= 1024 */

	/* [report] */
	char *template_name;     /* default "default"; a name, or a path when it holds a '/' */
	char *template_resolved; /* the resolved path when template_name is a path, else NULL */
	char *language;          /* default "en" */
	int draft;               /* default 0 */
} tl_case_t;

/* Loads and checks a case file. On success *out is a new case (free with tl_case_free).
 * On failure returns TL_EFORMAT (bad content; err holds one "path:line: message" per
 * problem, newline-separated, in line order, then the problems found after reading such
 * as missing keys), or the TL_E* of reading the file (err names the file). */
int tl_case_load(const char *path, tl_case_t **out, char *err, size_t errlen);

/* Applies a command-line override "section.key" = value ("analysis.seed", "7") with the
 * checks of the file. List keys ([target] names, suffixes, ips; [case] examiner) replace
 * the whole list; evidence keys may add an input. Relative paths in overrides are taken
 * relative to the current directory, like any command-line path. Returns TL_OK, or
 * TL_EINVAL with "override section.key: message" in err; on failure the case is unchanged
 * except for the rejected key, which keeps its previous value. */
int tl_case_override(tl_case_t *c, const char *key, const char *value, char *err, size_t errlen);

/* Display zone of an organisation from the timezone.<org> keys, or NULL. */
const char *tl_case_org_zone(const tl_case_t *c, const char *organisation);

void tl_case_free(tl_case_t *c);

#endif
