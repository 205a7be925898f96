/* period.c - the capped set of stated recording periods. */
#include "input/period.h"

#include <string.h>

/* Joins v[i] and v[i + 1] of n periods; returns the new count. */
static size_t join_next(tl_period_t *v, size_t n, size_t i)
{
	if (v[i + 1].end > v[i].end)
		v[i].end = v[i + 1].end;
	memmove(&v[i + 1], &v[i + 2], (n - i - 2) * sizeof(v[0]));
	return n - 1;
}

void tl_periods_add(tl_periods_t *p, int64_t start, int64_t end)
{
	if (end < start)
		return;
	tl_period_t v[TL_PERIODS_MAX + 1];
	size_t n = p->n, i = 0; /* i: first period starting after start */
	memcpy(v, p->v, n * sizeof(v[0]));
	while (i < n && v[i].start <= start)
		i++;
	memmove(&v[i + 1], &v[i], (n - i) * sizeof(v[0]));
	v[i] = (tl_period_t){start, end};
	n++;
	if (i > 0 && v[i - 1].end >= v[i].start) {
		n = join_next(v, n, i - 1);
		i--;
	}
	while (i + 1 < n && v[i].end >= v[i + 1].start)
		n = join_next(v, n, i);
	if (n > TL_PERIODS_MAX) {
		/* full: join the closest neighbours (the first such pair, so the result
		 * depends only on the periods) */
		size_t best = 0;
		for (size_t k = 1; k + 1 < n; k++)
			if (v[k + 1].start - v[k].end < v[best + 1].start - v[best].end)
				best = k;
		n = join_next(v, n, best);
		p->joined++;
	}
	memcpy(p->v, v, n * sizeof(v[0]));
	p->n = n;
}
