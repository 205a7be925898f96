/* trace.h - which evidence records lie behind a count: selects the target's
 * lookups by source, organisation, name and time, so that `tealeaves records
 * --case` can list exactly the records a finding counted. */
#ifndef TL_ANALYSIS_TRACE_H
#define TL_ANALYSIS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "model/findings.h"

typedef struct tl_trace_filter {
	const tl_addr_t *source;  /* NULL: any */
	const char *organisation; /* NULL: any; exact name as in the findings */
	const char *name;         /* NULL: any; a looked-up name, any case, trailing dot optional */
	int64_t from, to;         /* [from, to); TL_TIME_NONE: open */
	int with_duplicates;      /* 1: also sightings removed as duplicates */
} tl_trace_filter_t;

/* One selected sighting: where it is. Sorted by (input, pos). */
typedef struct tl_trace_item {
	uint32_t input;
	uint64_t pos;
	uint32_t name; /* index into f->ctx.names */
	int duplicate; /* removed as a duplicate of another sighting */
} tl_trace_item_t;

typedef struct tl_trace {
	tl_trace_item_t *items; /* owned */
	size_t n;
} tl_trace_t;

/* Selects the lookups of f that pass the filter. Returns TL_OK, or TL_EINVAL
 * when the filter names an organisation or source the findings do not know
 * (then nothing could match, and a typo should not look like "no records"). */
int tl_trace_select(const tl_findings_t *f, const tl_trace_filter_t *flt, tl_trace_t *out);

/* 1 if record r (of canonical input `input`) is one of the selected sightings:
 * a query at a selected position whose name is the selected name. */
int tl_trace_match(const tl_findings_t *f, const tl_trace_t *t, uint32_t input,
		   const tl_record_t *r);

void tl_trace_free(tl_trace_t *t);

#endif
