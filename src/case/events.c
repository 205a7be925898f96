/* events.c - reads the events CSV into windows, in a fixed order. */
#include "case/events.h"
#include "case/parse.h"
#include "util/error.h"
#include "util/file.h"
#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void msg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void msg(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void tl_events_free(tl_events_t *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		free(e->events[i].label);
		free(e->events[i].category);
	}
	free(e->events);
	free(e->path);
	free(e);
}

static int cmp_event(const void *a, const void *b)
{
	const tl_event_t *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	int r = strcmp(x->label, y->label);
	if (r != 0)
		return r;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* One data row into ev; returns TL_OK or TL_EFORMAT with the message written. */
static int parse_row(const char *path, int line, const char *const *f, int nf,
		     int64_t dbefore, int64_t dafter, tl_event_t *ev, char *err, size_t errlen)
{
	memset(ev, 0, sizeof(*ev));
	ev->line = line;
	if (tl_when_parse(f[0], strlen(f[0]), &ev->start) != TL_OK) {
		msg(err, errlen,
		    "%s:%d: bad start '%s' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z or "
		    "with an offset such as +02:00)",
		    path, line, f[0]);
		return TL_EFORMAT;
	}
	if (f[1][0] == '\0') {
		ev->end = ev->start;
		ev->point = 1;
	} else if (tl_when_parse(f[1], strlen(f[1]), &ev->end) != TL_OK) {
		msg(err, errlen,
		    "%s:%d: bad end '%s' (expected empty, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z or "
		    "with an offset such as +02:00)",
		    path, line, f[1]);
		return TL_EFORMAT;
	} else if (ev->end < ev->start) {
		msg(err, errlen, "%s:%d: end '%s' is before start '%s'", path, line, f[1], f[0]);
		return TL_EFORMAT;
	}
	if (f[2][0] == '\0' || f[3][0] == '\0') {
		msg(err, errlen, "%s:%d: empty %s", path, line, f[2][0] == '\0' ? "label" : "category");
		return TL_EFORMAT;
	}
	ev->before = dbefore;
	ev->after = dafter;
	for (int k = 4; k < nf; k++) {
		if (f[k][0] == '\0')
			continue;
		int64_t us;
		if (tl_duration_parse(f[k], 0, &us) != TL_OK) {
			msg(err, errlen,
			    "%s:%d: bad %s '%s' (expected a duration such as 12h, 1d or seconds)", path,
			    line, k == 4 ? "before" : "after", f[k]);
			return TL_EFORMAT;
		}
		if (k == 4)
			ev->before = us;
		else
			ev->after = us;
	}
	ev->win_start = ev->start - ev->before;
	ev->win_end = ev->end + ev->after;
	ev->label = tl_xstrdup(f[2]);
	ev->category = tl_xstrdup(f[3]);
	return TL_OK;
}

int tl_events_load(const char *path, int64_t default_before, int64_t default_after,
		   tl_events_t **out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	char *data;
	size_t len;
	int rc = tl_file_read(path, TL_EVENTS_MAX_BYTES, &data, &len);
	if (rc != TL_OK) {
		msg(err, errlen, "%s: %s", path,
		    rc == TL_ELIMIT ? "larger than 16 MiB" : tl_strerror(rc));
		return rc;
	}
	tl_events_t *e = tl_xcalloc(1, sizeof(*e));
	e->path = tl_xstrdup(path);
	tl_sha256(data, len, e->sha256);
	tl_sha256_hex(e->sha256, e->sha256_hex);
	size_t cap = 0;
	int ncols = 0, line = 0;
	size_t pos = 0;
	while (rc == TL_OK) {
		char *store;
		const char *f[TL_CSV_MAX_FIELDS];
		int nf = tl_csv_next(path, data, len, &pos, &line, &store, f, err, errlen);
		if (nf == 0)
			break;
		if (nf < 0) {
			rc = TL_EFORMAT;
			break;
		}
		if (line == 1) {
			int ok = (nf == 4 || nf == 6) && strcmp(f[0], "start") == 0 &&
				 strcmp(f[1], "end") == 0 && strcmp(f[2], "label") == 0 &&
				 strcmp(f[3], "category") == 0 &&
				 (nf == 4 || (strcmp(f[4], "before") == 0 && strcmp(f[5], "after") == 0));
			if (ok) {
				ncols = nf;
			} else {
				msg(err, errlen,
				    "%s:1: expected the header 'start,end,label,category' or "
				    "'start,end,label,category,before,after'",
				    path);
				rc = TL_EFORMAT;
			}
			free(store);
			continue;
		}
		if (nf != ncols) {
			msg(err, errlen, "%s:%d: %d fields, expected %d as in the header", path, line,
			    nf, ncols);
			rc = TL_EFORMAT;
			free(store);
			break;
		}
		if (e->n == cap) {
			cap = cap ? cap * 2 : 32;
			e->events = tl_xrealloc(e->events, cap * sizeof(*e->events));
		}
		rc = parse_row(path, line, f, nf, default_before, default_after, &e->events[e->n],
			       err, errlen);
		if (rc == TL_OK)
			e->n++;
		free(store);
	}
	if (rc == TL_OK && line == 0) {
		msg(err, errlen, "%s: empty file (the header 'start,end,label,category' is required)",
		    path);
		rc = TL_EFORMAT;
	}
	free(data);
	if (rc != TL_OK) {
		tl_events_free(e);
		return rc;
	}
	if (e->n > 1)
		qsort(e->events, e->n, sizeof(*e->events), cmp_event);
	*out = e;
	return TL_OK;
}
