/* period.h - a short, capped set of recording periods a capture states about itself
 * (pcapng Interface Statistics Blocks: isb_starttime to isb_endtime). Fixed size, so
 * it can be copied with the input's statistics; hitting the cap is counted. */
#ifndef TL_INPUT_PERIOD_H
#define TL_INPUT_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/* Periods kept per input. A capture that states more (an ISB every few minutes over a
 * long capture, each for a separate run) has the nearest ones joined, and counted. */
#define TL_PERIODS_MAX 64

typedef struct tl_period {
	int64_t start, end; /* UTC microseconds as the capture states them, start <= end */
} tl_period_t;

typedef struct tl_periods {
	tl_period_t v[TL_PERIODS_MAX]; /* disjoint, by start */
	size_t n;
	uint64_t joined; /* periods joined to a neighbour because the set was full: the
			  * time between them counts as stated although no ISB states it */
} tl_periods_t;

/* Adds [start, end] (ignored when end < start): overlapping or touching periods
 * become one (the ISBs of one interface are cumulative, so each restates the
 * earlier ones). When the set is full, the two periods with the shortest time
 * between them are joined and `joined` counts it. */
void tl_periods_add(tl_periods_t *p, int64_t start, int64_t end);

#endif
