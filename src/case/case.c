/* case.c - reads the case file (INI, through libinih), checks every value, fills defaults. */
#include "case/case.h"
#include "case/parse.h"
#include "util/error.h"
#include "util/text.h"
#include "util/file.h"
#include "util/num.h"
#include "util/strmap.h"
#include "util/time.h"
#include "util/tz.h"
#include "util/xmalloc.h"

#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SEC_CASE, SEC_EVIDENCE, SEC_TARGET, SEC_SOURCES, SEC_EVENTS, SEC_ANALYSIS, SEC_REPORT,
       SEC_COUNT };
static const char *const section_names[SEC_COUNT] = {"case",    "evidence", "target", "sources",
						     "events",  "analysis", "report"};

typedef struct seen_key {
	char *key; /* "section\nname" */
	int line;
} seen_key_t;

typedef struct ctx {
	tl_case_t *c;
	const char *path; /* for messages; NULL for an override */
	const char *okey; /* the override's key, for messages */
	char *err;
	size_t errlen, errused;
	int nerr;
	/* the reader over the file's bytes */
	const char *data;
	size_t len, pos;
	int line, cur_indented;
	int sec_line[SEC_COUNT];
	char *prev_sec, *prev_name; /* the last key the handler saw, for continuation lines */
	seen_key_t *seen;
	size_t n_seen, cap_seen;
	tl_strmap_t *seen_map; /* key -> index in seen: a long file stays linear */
} ctx_t;

static void errf(ctx_t *x, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void errf(ctx_t *x, int line, const char *fmt, ...)
{
	x->nerr++;
	if (!x->err || x->errlen == 0 || x->errused + 1 >= x->errlen)
		return;
	char *p = x->err + x->errused;
	size_t room = x->errlen - x->errused;
	int n;
	if (x->errused > 0) {
		*p++ = '\n';
		room--;
		x->errused++;
	}
	if (!x->path)
		n = snprintf(p, room, "override %s: ", x->okey);
	else if (line > 0)
		n = snprintf(p, room, "%s:%d: ", x->path, line);
	else
		n = snprintf(p, room, "%s: ", x->path);
	if (n < 0 || (size_t)n >= room) {
		x->errused = x->errlen - 1;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(p + n, room - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= room - (size_t)n)
		x->errused = x->errlen - 1;
	else
		x->errused += (size_t)n + (size_t)m;
}

static int section_id(const char *s)
{
	for (int i = 0; i < SEC_COUNT; i++)
		if (strcmp(s, section_names[i]) == 0)
			return i;
	return -1;
}

/* ---- the reader: feeds libinih one checked line at a time and counts lines ---- */

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Checks what libinih would refuse, so that every bad line is reported, not just the first:
 * a section header without ']', and a line that is neither comment, header nor key. */
static int check_line(ctx_t *x, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && blank(s[i]))
		i++;
	if (i == n || s[i] == ';' || s[i] == '#')
		return 1;
	if (i > 0 && x->prev_name)
		return 1; /* a continuation line; the handler decides */
	if (s[i] == '[') {
		const char *close = memchr(s + i, ']', n - i);
		if (!close) {
			errf(x, x->line, "section header without ']'");
			return 0;
		}
		char name[TL_CASE_MAX_LINE + 1];
		size_t k = (size_t)(close - (s + i + 1));
		memcpy(name, s + i + 1, k);
		name[k] = '\0';
		int id = section_id(name);
		if (id < 0)
			errf(x, x->line, "unknown section [%s]", name);
		else if (x->sec_line[id] == 0)
			x->sec_line[id] = x->line;
		free(x->prev_name);
		x->prev_name = NULL;
		return 1;
	}
	for (size_t k = i; k < n; k++)
		if (s[k] == '=' || s[k] == ':')
			return 1;
	errf(x, x->line, "syntax error (expected 'key = value' or '[section]')");
	return 0;
}

static char *reader(char *str, int num, void *stream)
{
	ctx_t *x = stream;
	if (x->pos >= x->len)
		return NULL;
	const char *s = x->data + x->pos;
	const char *nl = memchr(s, '\n', x->len - x->pos);
	size_t n = nl ? (size_t)(nl - s) : x->len - x->pos;
	x->pos += n + (nl ? 1 : 0);
	x->line++;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (x->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3; /* a UTF-8 byte order mark */
		n -= 3;
	}
	int ok = 1;
	int t = tl_text_check(s, n);
	if (t == TL_TEXT_BAD_UTF8) {
		errf(x, x->line, "invalid UTF-8");
		ok = 0;
	} else if (t == TL_TEXT_CONTROL) {
		errf(x, x->line, "control character");
		ok = 0;
	} else if (n > TL_CASE_MAX_LINE || n + 2 > (size_t)num) {
		errf(x, x->line, "line longer than %d bytes", TL_CASE_MAX_LINE);
		ok = 0;
	} else {
		ok = check_line(x, s, n);
	}
	if (!ok)
		n = 0; /* libinih sees an empty line: one report per problem */
	x->cur_indented = n > 0 && blank(s[0]);
	memcpy(str, s, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

/* ---- value setters ---- */

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = tl_xstrdup(v);
}

static void bad(ctx_t *x, int line, const char *what, const char *v, const char *sec,
		const char *key, const char *expected)
{
	errf(x, line, "bad %s '%s' for '%s' in [%s]: expected %s", what, v, key, sec, expected);
}

static int parse_yesno(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return TL_EFORMAT;
	return TL_OK;
}

static int set_zone(ctx_t *x, int line, const char *sec, const char *key, const char *v,
		    char **dst)
{
	int r = tl_tz_check(v);
	if (r == TL_EINVAL) {
		bad(x, line, "time zone", v, sec, key, "an IANA zone name such as Europe/Moscow");
		return r;
	}
	if (r != TL_OK) {
		errf(x, line, "unknown time zone '%s' for '%s' in [%s] (not found under %s)", v, key,
		     sec, tl_tz_dir());
		return r;
	}
	set_str(dst, v);
	return TL_OK;
}

static int set_duration(ctx_t *x, int line, const char *sec, const char *key, const char *v,
			int allow_negative, int positive, int64_t *dst)
{
	int64_t us;
	if (tl_duration_parse(v, allow_negative, &us) != TL_OK) {
		bad(x, line, "duration", v, sec, key,
		    allow_negative ? "a signed integer with unit s, m, h or d"
				   : "an integer with unit s, m, h or d");
		return TL_EFORMAT;
	}
	if (positive && us <= 0) {
		bad(x, line, "duration", v, sec, key, "more than zero");
		return TL_EFORMAT;
	}
	*dst = us;
	return TL_OK;
}

static int set_u64(ctx_t *x, int line, const char *sec, const char *key, const char *v,
		   uint64_t min, uint64_t max, uint64_t *dst)
{
	uint64_t u;
	if (tl_num_parse_u64(v, strlen(v), max, TL_NUM_NO_LEADING_ZEROS, &u) != TL_OK ||
	    u < min) {
		char exp[96];
		snprintf(exp, sizeof(exp), "an integer from %llu to %llu", (unsigned long long)min,
			 (unsigned long long)max);
		bad(x, line, "value", v, sec, key, exp);
		return TL_EFORMAT;
	}
	*dst = u;
	return TL_OK;
}

static char *path_resolve(const ctx_t *x, const char *p)
{
	/* case-relative for the file; command-line overrides are relative to the current
	 * directory like every other command-line path, so they stay as written */
	const char *dir = x->path ? x->c->dir : ".";
	if (p[0] == '/' || strcmp(dir, ".") == 0)
		return tl_xstrdup(p);
	size_t a = strlen(dir), b = strlen(p);
	char *r = tl_xmalloc(a + b + 2);
	memcpy(r, dir, a);
	r[a] = '/';
	memcpy(r + a + 1, p, b + 1);
	return r;
}

static void set_path(ctx_t *x, const char *v, char **path, char **resolved)
{
	set_str(path, v);
	free(*resolved);
	*resolved = path_resolve(x, v);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *trimmed_dup(const char *s, size_t n)
{
	while (n > 0 && blank(*s)) {
		s++;
		n--;
	}
	while (n > 0 && blank(s[n - 1]))
		n--;
	return tl_xstrndup(s, n);
}

/* Splits v on sep into trimmed items; refuses empty items. Returns the count or -1. */
static long split_list(const char *v, char sep, char ***items)
{
	size_t n = 0, cap = 4;
	char **it = tl_xmalloc(cap * sizeof(*it));
	for (const char *p = v;;) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *s = trimmed_dup(p, len);
		if (s[0] == '\0' && !e && n > 0) {
			free(s); /* "a, b," : a list may end with its separator (before a continuation) */
			break;
		}
		if (s[0] == '\0') {
			free(s);
			strv_free(it, n);
			return -1;
		}
		if (n == cap) {
			cap *= 2;
			it = tl_xrealloc(it, cap * sizeof(*it));
		}
		it[n++] = s;
		if (!e)
			break;
		p = e + 1;
	}
	*items = it;
	return (long)n;
}

/* Replaces (or, for a continuation line, extends) a list. */
static void list_put(char ***dst, size_t *n, char **items, size_t k, int append)
{
	if (!append) {
		strv_free(*dst, *n);
		*dst = NULL;
		*n = 0;
	}
	*dst = tl_xrealloc(*dst, (*n + k + 1) * sizeof(**dst));
	memcpy(*dst + *n, items, k * sizeof(*items));
	*n += k;
	free(items);
}

static int set_case(ctx_t *x, int line, const char *k, const char *v, int cont)
{
	tl_case_t *c = x->c;
	static const struct {
		const char *key;
		size_t off;
	} texts[] = {
		{"number", offsetof(tl_case_t, number)},
		{"title", offsetof(tl_case_t, title)},
		{"exhibit", offsetof(tl_case_t, exhibit)},
		{"requester", offsetof(tl_case_t, requester)},
		{"examiner_role", offsetof(tl_case_t, examiner_role)},
		{"organisation", offsetof(tl_case_t, organisation)},
		{"control_prefix", offsetof(tl_case_t, control_prefix)},
	};
	if (cont && strcmp(k, "examiner") != 0) {
		errf(x, line, "continuation line for '%s' in [case]: only lists may continue", k);
		return TL_EFORMAT;
	}
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (strcmp(k, texts[i].key) == 0) {
			set_str((char **)(void *)((char *)c + texts[i].off), v);
			return TL_OK;
		}
	}
	if (strcmp(k, "examiner") == 0) {
		char **items;
		long n = split_list(v, ';', &items);
		if (n < 0) {
			bad(x, line, "value", v, "case", k, "names separated by ';'");
			return TL_EFORMAT;
		}
		list_put(&c->examiners, &c->n_examiners, items, (size_t)n, cont);
		return TL_OK;
	}
	if (strcmp(k, "report_date") == 0) {
		int64_t us;
		if (tl_date_parse(v, strlen(v), &us) != TL_OK) {
			bad(x, line, "date", v, "case", k, "YYYY-MM-DD");
			return TL_EFORMAT;
		}
		c->has_report_date = 1;
		c->report_date_us = us;
		memcpy(c->report_date, v, 11);
		return TL_OK;
	}
	if (strcmp(k, "timezone") == 0)
		return set_zone(x, line, "case", k, v, &c->timezone);
	if (strcmp(k, "version") == 0)
		return set_u64(x, line, "case", k, v, 1, 1000000, &c->version);
	if (strcmp(k, "supplemental") == 0) {
		if (parse_yesno(v, &c->supplemental) != TL_OK) {
			bad(x, line, "value", v, "case", k, "yes or no");
			return TL_EFORMAT;
		}
		return TL_OK;
	}
	errf(x, line, "unknown key '%s' in [case]", k);
	return TL_EFORMAT;
}

static int label_ok(const char *s, size_t n)
{
	if (n == 0 || n > TL_CASE_LABEL_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return 0;
	}
	return 1;
}

static tl_case_input_t *input_find(tl_case_t *c, const char *label, size_t n)
{
	for (size_t i = 0; i < c->n_inputs; i++)
		if (strlen(c->inputs[i].label) == n && memcmp(c->inputs[i].label, label, n) == 0)
			return &c->inputs[i];
	return NULL;
}

static tl_case_input_t *input_add(tl_case_t *c, const char *label, size_t n)
{
	c->inputs = tl_xrealloc(c->inputs, (c->n_inputs + 1) * sizeof(*c->inputs));
	tl_case_input_t *in = &c->inputs[c->n_inputs++];
	memset(in, 0, sizeof(*in));
	in->label = tl_xstrndup(label, n);
	return in;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int cmp_span(const void *a, const void *b)
{
	const tl_case_span_t *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* Parses "start/end, start/end, ..." (times as in the events file: a date, or a date
 * and time with a zone) into *out, appended when append; sorted, overlapping and
 * touching spans joined. Reports each bad item with its line. */
static int set_spans(ctx_t *x, int line, const char *k, const char *v, int append,
		     tl_case_span_t **out, size_t *n)
{
	char **items;
	long m = split_list(v, ',', &items);
	if (m < 0) {
		bad(x, line, "value", v, "evidence", k,
		    "a comma-separated list of start/end without empty items");
		return TL_EFORMAT;
	}
	tl_case_span_t *sp = tl_xcalloc((size_t)m + 1, sizeof(*sp));
	int rc = TL_OK;
	for (long i = 0; i < m; i++) {
		const char *it = items[i], *slash = strchr(it, '/');
		int64_t a = 0, b = 0;
		if (!slash || strchr(slash + 1, '/') ||
		    tl_when_parse(it, (size_t)(slash - it), &a) != TL_OK ||
		    tl_when_parse(slash + 1, strlen(slash + 1), &b) != TL_OK) {
			bad(x, line, "time interval", it, "evidence", k,
			    "start/end, each a date (YYYY-MM-DD) or a date and time with a zone "
			    "(2016-05-04T00:00Z)");
			rc = TL_EFORMAT;
		} else if (b <= a) {
			bad(x, line, "time interval", it, "evidence", k, "an end after its start");
			rc = TL_EFORMAT;
		}
		sp[i] = (tl_case_span_t){a, b};
	}
	strv_free(items, (size_t)m);
	if (rc != TL_OK) {
		free(sp);
		return rc;
	}
	size_t have = append ? *n : 0;
	tl_case_span_t *all = tl_xcalloc(have + (size_t)m + 1, sizeof(*all));
	if (have)
		memcpy(all, *out, have * sizeof(*all));
	memcpy(all + have, sp, (size_t)m * sizeof(*all));
	free(sp);
	size_t t = have + (size_t)m, w = 0;
	qsort(all, t, sizeof(*all), cmp_span);
	for (size_t i = 0; i < t; i++) {
		if (w > 0 && all[i].start <= all[w - 1].end) {
			if (all[i].end > all[w - 1].end)
				all[w - 1].end = all[i].end;
		} else {
			all[w++] = all[i];
		}
	}
	free(*out);
	*out = all;
	*n = w;
	return TL_OK;
}

static int set_evidence(ctx_t *x, int line, const char *k, const char *v, int cont)
{
	static const char *const attrs[] = {".sha256",   ".sensor",        ".offset",
					    ".recording", ".gaps",          ".received",
					    ".received_from", ".received_by", ".received_how"};
	size_t kl = strlen(k), ll = kl;
	int attr = -1;
	for (int i = 0; i < (int)(sizeof(attrs) / sizeof(attrs[0])); i++) {
		size_t al = strlen(attrs[i]);
		if (kl > al && strcmp(k + kl - al, attrs[i]) == 0) {
			attr = i;
			ll = kl - al;
		}
	}
	if (!label_ok(k, ll)) {
		errf(x, line,
		     "bad input label '%.*s' in [evidence]: use up to %d letters, digits, '-', '_' "
		     "and '.'",
		     (int)ll, k, TL_CASE_LABEL_MAX);
		return TL_EFORMAT;
	}
	if (cont && attr != 3 && attr != 4) {
		errf(x, line, "continuation line for '%s' in [evidence]: only lists may continue", k);
		return TL_EFORMAT;
	}
	tl_case_t *c = x->c;
	tl_case_input_t *in = input_find(c, k, ll);
	if (!in && c->n_inputs >= TL_CASE_MAX_INPUTS) {
		errf(x, line, "more than %d inputs in [evidence]: split the evidence into cases, "
			      "or merge captures first", TL_CASE_MAX_INPUTS);
		return TL_EFORMAT;
	}
	if (!in && attr >= 0 && !x->path) {
		errf(x, line, "no input '%.*s' (set evidence.%.*s to its path first)", (int)ll, k,
		     (int)ll, k);
		return TL_EFORMAT;
	}
	if (attr == 0) {
		uint8_t d[TL_SHA256_LEN];
		size_t n = strlen(v);
		int ok = n == 64;
		for (size_t i = 0; ok && i < 32; i++) {
			int h = hexval(v[2 * i]), l = hexval(v[2 * i + 1]);
			ok = h >= 0 && l >= 0;
			d[i] = (uint8_t)(ok ? h * 16 + l : 0);
		}
		if (!ok) {
			bad(x, line, "SHA-256", v, "evidence", k, "64 hex digits");
			return TL_EFORMAT;
		}
		if (!in)
			in = input_add(c, k, ll);
		in->has_sha256 = 1;
		memcpy(in->sha256, d, sizeof(d));
		tl_sha256_hex(d, in->sha256_hex);
	} else if (attr == 1) {
		if (!label_ok(v, strlen(v))) {
			bad(x, line, "sensor name", v, "evidence", k,
			    "letters, digits, '-', '_' and '.'");
			return TL_EFORMAT;
		}
		if (!in)
			in = input_add(c, k, ll);
		set_str(&in->sensor, v);
	} else if (attr == 2) {
		int64_t us;
		if (set_duration(x, line, "evidence", k, v, 1, 0, &us) != TL_OK)
			return TL_EFORMAT;
		if (!in)
			in = input_add(c, k, ll);
		in->offset_us = us;
	} else if (attr == 3 || attr == 4) {
		tl_case_span_t *sp = NULL;
		size_t n = 0;
		if (in && cont) {
			sp = attr == 3 ? in->recording : in->gaps;
			n = attr == 3 ? in->n_recording : in->n_gaps;
		}
		if (set_spans(x, line, k, v, cont, &sp, &n) != TL_OK) {
			if (!cont)
				free(sp);
			return TL_EFORMAT;
		}
		if (!in)
			in = input_add(c, k, ll);
		if (attr == 3) {
			if (!cont)
				free(in->recording);
			in->recording = sp;
			in->n_recording = n;
			in->has_recording = 1;
		} else {
			if (!cont)
				free(in->gaps);
			in->gaps = sp;
			in->n_gaps = n;
		}
	} else if (attr == 5) {
		int64_t us;
		if (tl_when_parse(v, strlen(v), &us) != TL_OK) {
			bad(x, line, "time", v, "evidence", k,
			    "a date (YYYY-MM-DD) or a date and time with a zone (2016-10-03T14:20Z)");
			return TL_EFORMAT;
		}
		if (!in)
			in = input_add(c, k, ll);
		set_str(&in->received, v);
	} else if (attr >= 6) {
		if (!in)
			in = input_add(c, k, ll);
		set_str(attr == 6 ? &in->received_from
				  : attr == 7 ? &in->received_by : &in->received_how,
			v);
	} else {
		if (!in)
			in = input_add(c, k, ll);
		set_path(x, v, &in->path, &in->resolved);
		in->line = line;
	}
	return TL_OK;
}

static int set_target(ctx_t *x, int line, const char *k, const char *v, int cont)
{
	tl_case_t *c = x->c;
	int is_names = strcmp(k, "names") == 0, is_suffixes = strcmp(k, "suffixes") == 0;
	if (!is_names && !is_suffixes && strcmp(k, "ips") != 0) {
		errf(x, line, "unknown key '%s' in [target]", k);
		return TL_EFORMAT;
	}
	char **items;
	long n = split_list(v, ',', &items);
	if (n < 0) {
		bad(x, line, "value", v, "target", k, "a comma-separated list without empty items");
		return TL_EFORMAT;
	}
	int rc = TL_OK;
	if (is_names || is_suffixes) {
		for (long i = 0; i < n; i++) {
			char norm[TL_DNS_NAME_LEN];
			if (tl_dns_name_normalise(items[i], strlen(items[i]), norm) != TL_OK) {
				bad(x, line, "DNS name", items[i], "target", k,
				    "labels of a-z, 0-9, '-' and '_' (A-labels for IDNs)");
				rc = TL_EFORMAT;
				continue;
			}
			free(items[i]);
			items[i] = tl_xstrdup(norm);
		}
		if (rc != TL_OK) {
			strv_free(items, (size_t)n);
			return rc;
		}
		if (is_names)
			list_put(&c->names, &c->n_names, items, (size_t)n, cont);
		else
			list_put(&c->suffixes, &c->n_suffixes, items, (size_t)n, cont);
		return TL_OK;
	}
	tl_addr_t *a = tl_xmalloc((size_t)n * sizeof(*a));
	for (long i = 0; i < n; i++) {
		if (strchr(items[i], '%') || tl_addr_parse(items[i], strlen(items[i]), &a[i]) != TL_OK) {
			bad(x, line, "IP address", items[i], "target", k, "IPv4 or IPv6 addresses");
			rc = TL_EFORMAT;
		}
	}
	strv_free(items, (size_t)n);
	if (rc != TL_OK) {
		free(a);
		return rc;
	}
	if (!cont)
		c->n_ips = 0;
	c->ips = tl_xrealloc(c->ips, (c->n_ips + (size_t)n + 1) * sizeof(*c->ips));
	memcpy(c->ips + c->n_ips, a, (size_t)n * sizeof(*a));
	c->n_ips += (size_t)n;
	free(a);
	return TL_OK;
}

static int set_sources(ctx_t *x, int line, const char *k, const char *v, int cont)
{
	tl_case_t *c = x->c;
	if (cont) {
		errf(x, line, "continuation line for '%s' in [sources]: only lists may continue", k);
		return TL_EFORMAT;
	}
	if (strcmp(k, "organisations") == 0) {
		set_path(x, v, &c->orgs_path, &c->orgs_resolved);
		return TL_OK;
	}
	if (strcmp(k, "mmdb") == 0) {
		set_path(x, v, &c->mmdb_path, &c->mmdb_resolved);
		return TL_OK;
	}
	if (strncmp(k, "timezone.", 9) == 0 && k[9] != '\0') {
		char *zone = NULL;
		if (set_zone(x, line, "sources", k, v, &zone) != TL_OK)
			return TL_EFORMAT;
		for (size_t i = 0; i < c->n_org_zones; i++) {
			if (strcmp(c->org_zones[i].organisation, k + 9) == 0) {
				free(c->org_zones[i].zone);
				c->org_zones[i].zone = zone;
				return TL_OK;
			}
		}
		c->org_zones = tl_xrealloc(c->org_zones, (c->n_org_zones + 1) * sizeof(*c->org_zones));
		c->org_zones[c->n_org_zones].organisation = tl_xstrdup(k + 9);
		c->org_zones[c->n_org_zones++].zone = zone;
		return TL_OK;
	}
	errf(x, line, "unknown key '%s' in [sources]", k);
	return TL_EFORMAT;
}

static int set_events(ctx_t *x, int line, const char *k, const char *v, int cont)
{
	tl_case_t *c = x->c;
	if (cont) {
		errf(x, line, "continuation line for '%s' in [events]: only lists may continue", k);
		return TL_EFORMAT;
	}
	if (strcmp(k, "file") == 0) {
		set_path(x, v, &c->events_path, &c->events_resolved);
		return TL_OK;
	}
	if (strcmp(k, "window_before") == 0)
		return set_duration(x, line, "events", k, v, 0, 0, &c->window_before_us);
	if (strcmp(k, "window_after") == 0)
		return set_duration(x, line, "events", k, v, 0, 0, &c->window_after_us);
	errf(x, line, "unknown key '%s' in [events]", k);
	return TL_EFORMAT;
}

/* alpha: "0." and one to six digits, more than zero; exact in decimal, so it is recorded as
 * written by a six-digit fixed format. */
static int parse_alpha(const char *v, double *out)
{
	size_t n = strlen(v);
	if (n < 3 || n > 8 || v[0] != '0' || v[1] != '.')
		return TL_EFORMAT;
	uint64_t num = 0, den = 1;
	for (size_t i = 2; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return TL_EFORMAT;
		num = num * 10 + (uint64_t)(v[i] - '0');
		den *= 10;
	}
	if (num == 0)
		return TL_EFORMAT;
	*out = (double)num / (double)den;
	return TL_OK;
}

static int set_analysis(ctx_t *x, int line, const char *k, const char *v, int cont)
{
	tl_case_t *c = x->c;
	const char *s = "analysis";
	if (cont) {
		errf(x, line, "continuation line for '%s' in [analysis]: only lists may continue", k);
		return TL_EFORMAT;
	}
	if (strcmp(k, "dedup_tolerance") == 0)
		return set_duration(x, line, s, k, v, 0, 0, &c->dedup_tolerance_us);
	if (strcmp(k, "ttl") == 0) {
		if (strcmp(v, "auto") == 0) {
			c->ttl_auto = 1;
			c->ttl_us = 0;
			return TL_OK;
		}
		int64_t us;
		if (tl_duration_parse(v, 0, &us) != TL_OK || us <= 0) {
			bad(x, line, "value", v, s, k, "auto or a duration of more than zero");
			return TL_EFORMAT;
		}
		c->ttl_auto = 0;
		c->ttl_us = us;
		return TL_OK;
	}
	if (strcmp(k, "periodic_tolerance") == 0)
		return set_duration(x, line, s, k, v, 0, 0, &c->periodic_tolerance_us);
	if (strcmp(k, "permutations") == 0)
		return set_u64(x, line, s, k, v, 1, 100000000, &c->permutations);
	if (strcmp(k, "seed") == 0)
		return set_u64(x, line, s, k, v, 0, UINT64_MAX, &c->seed);
	if (strcmp(k, "alpha") == 0) {
		if (parse_alpha(v, &c->alpha) != TL_OK) {
			bad(x, line, "value", v, s, k, "a number between 0 and 1 such as 0.05");
			return TL_EFORMAT;
		}
		return TL_OK;
	}
	if (strcmp(k, "correction") == 0) {
		if (strcmp(v, "holm") == 0)
			c->correction = TL_CORRECTION_HOLM;
		else if (strcmp(v, "bh") == 0)
			c->correction = TL_CORRECTION_BH;
		else {
			bad(x, line, "value", v, s, k, "holm or bh");
			return TL_EFORMAT;
		}
		return TL_OK;
	}
	if (strcmp(k, "baseline_min_lookups") == 0)
		return set_u64(x, line, s, k, v, 1, UINT32_MAX, &c->baseline_min_lookups);
	if (strcmp(k, "gap_threshold") == 0)
		return set_duration(x, line, s, k, v, 0, 1, &c->gap_threshold_us);
	if (strcmp(k, "top_k") == 0)
		return set_u64(x, line, s, k, v, 1, 1000, &c->top_k);
	if (strcmp(k, "threads") == 0)
		return set_u64(x, line, s, k, v, 0, 1024, &c->threads);
	if (strcmp(k, "reference_weeks") == 0)
		return set_u64(x, line, s, k, v, 1, 52, &c->reference_weeks);
	if (strcmp(k, "min_reference_weeks") == 0)
		return set_u64(x, line, s, k, v, 1, 52, &c->min_reference_weeks);
	errf(x, line, "unknown key '%s' in [analysis]", k);
	return TL_EFORMAT;
}

static int language_ok(const char *v)
{
	/* a BCP 47 shape: a 2-3 letter primary tag, then subtags of 1-8 letters or digits */
	size_t i = 0;
	while (v[i] >= 'a' && v[i] <= 'z')
		i++;
	if (i < 2 || i > 3)
		return 0;
	while (v[i] == '-') {
		size_t j = ++i;
		while ((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		       (v[i] >= '0' && v[i] <= '9'))
			i++;
		if (i == j || i - j > 8)
			return 0;
	}
	return v[i] == '\0';
}

static int set_report(ctx_t *x, int line, const char *k, const char *v, int cont)
{
	tl_case_t *c = x->c;
	if (cont) {
		errf(x, line, "continuation line for '%s' in [report]: only lists may continue", k);
		return TL_EFORMAT;
	}
	if (strcmp(k, "template") == 0) {
		set_str(&c->template_name, v);
		free(c->template_resolved);
		c->template_resolved = strchr(v, '/') ? path_resolve(x, v) : NULL;
		return TL_OK;
	}
	if (strcmp(k, "language") == 0) {
		if (!language_ok(v)) {
			bad(x, line, "value", v, "report", k, "a language tag such as en or de-CH");
			return TL_EFORMAT;
		}
		set_str(&c->language, v);
		return TL_OK;
	}
	if (strcmp(k, "draft") == 0) {
		if (parse_yesno(v, &c->draft) != TL_OK) {
			bad(x, line, "value", v, "report", k, "yes or no");
			return TL_EFORMAT;
		}
		return TL_OK;
	}
	errf(x, line, "unknown key '%s' in [report]", k);
	return TL_EFORMAT;
}

static int set_key(ctx_t *x, int sec, const char *k, const char *v, int line, int cont)
{
	if (v[0] == '\0') {
		errf(x, line, "empty value for '%s' in [%s]", k, section_names[sec]);
		return TL_EFORMAT;
	}
	switch (sec) {
	case SEC_CASE: return set_case(x, line, k, v, cont);
	case SEC_EVIDENCE: return set_evidence(x, line, k, v, cont);
	case SEC_TARGET: return set_target(x, line, k, v, cont);
	case SEC_SOURCES: return set_sources(x, line, k, v, cont);
	case SEC_EVENTS: return set_events(x, line, k, v, cont);
	case SEC_ANALYSIS: return set_analysis(x, line, k, v, cont);
	default: return set_report(x, line, k, v, cont);
	}
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	ctx_t *x = user;
	int line = x->line;
	int sec = section_id(section);
	if (section[0] == '\0') {
		errf(x, line, "key '%s' outside any section", name);
		return 1;
	}
	if (sec < 0)
		return 1; /* the section header was reported */
	int cont = x->cur_indented && x->prev_name && strcmp(x->prev_name, name) == 0 &&
		   strcmp(x->prev_sec, section) == 0;
	if (!cont) {
		size_t sl = strlen(section), nl = strlen(name);
		char *key = tl_xmalloc(sl + nl + 2);
		memcpy(key, section, sl);
		key[sl] = '\n';
		memcpy(key + sl + 1, name, nl + 1);
		if (!x->seen_map)
			x->seen_map = tl_strmap_new();
		uint32_t first = tl_strmap_get(x->seen_map, key, sl + nl + 1);
		if (first != UINT32_MAX) {
			errf(x, line, "duplicate key '%s' in [%s] (first on line %d)", name, section,
			     x->seen[first].line);
			free(key);
			return 1;
		}
		if (x->n_seen == x->cap_seen) {
			x->cap_seen = x->cap_seen ? 2 * x->cap_seen : 64;
			x->seen = tl_xrealloc(x->seen, x->cap_seen * sizeof(*x->seen));
		}
		tl_strmap_put(x->seen_map, key, sl + nl + 1, (uint32_t)x->n_seen);
		x->seen[x->n_seen].key = key;
		x->seen[x->n_seen++].line = line;
		free(x->prev_sec);
		free(x->prev_name);
		x->prev_sec = tl_xstrdup(section);
		x->prev_name = tl_xstrdup(name);
	}
	set_key(x, sec, name, value, line, cont);
	return 1;
}

/* ---- finishing: defaults, order, cross-checks ---- */

static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const tl_case_input_t *)a)->label, ((const tl_case_input_t *)b)->label);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_addr(const void *a, const void *b)
{
	return tl_addr_cmp(a, b);
}

static int cmp_orgzone(const void *a, const void *b)
{
	return strcmp(((const tl_case_orgzone_t *)a)->organisation,
		      ((const tl_case_orgzone_t *)b)->organisation);
}

static void strv_sort_unique(char **v, size_t *n)
{
	if (*n == 0)
		return;
	qsort(v, *n, sizeof(*v), cmp_str);
	size_t w = 1;
	for (size_t i = 1; i < *n; i++) {
		if (strcmp(v[i], v[w - 1]) == 0)
			free(v[i]);
		else
			v[w++] = v[i];
	}
	*n = w;
}

static void normalise(tl_case_t *c)
{
	for (size_t i = 0; i < c->n_inputs; i++)
		if (!c->inputs[i].sensor)
			c->inputs[i].sensor = tl_xstrdup(c->inputs[i].label);
	if (c->n_inputs > 1)
		qsort(c->inputs, c->n_inputs, sizeof(*c->inputs), cmp_input);
	strv_sort_unique(c->names, &c->n_names);
	strv_sort_unique(c->suffixes, &c->n_suffixes);
	if (c->n_ips > 1) {
		qsort(c->ips, c->n_ips, sizeof(*c->ips), cmp_addr);
		size_t w = 1;
		for (size_t i = 1; i < c->n_ips; i++)
			if (tl_addr_cmp(&c->ips[i], &c->ips[w - 1]) != 0)
				c->ips[w++] = c->ips[i];
		c->n_ips = w;
	}
	if (c->n_org_zones > 1)
		qsort(c->org_zones, c->n_org_zones, sizeof(*c->org_zones), cmp_orgzone);
}

static void defaults(tl_case_t *c)
{
	c->timezone = tl_xstrdup("UTC");
	c->version = 1;
	c->window_before_us = 86400 * TL_US_PER_SEC;
	c->window_after_us = 3 * 86400 * TL_US_PER_SEC;
	c->dedup_tolerance_us = 2 * TL_US_PER_SEC;
	c->ttl_auto = 1;
	c->periodic_tolerance_us = 300 * TL_US_PER_SEC;
	c->permutations = 10000;
	c->seed = 20161031;
	c->alpha = 0.05;
	c->correction = TL_CORRECTION_HOLM;
	c->baseline_min_lookups = 100;
	c->gap_threshold_us = 7200 * TL_US_PER_SEC;
	c->top_k = 2;
	c->reference_weeks = 4;
	c->min_reference_weeks = 2;
	c->threads = 0;
	c->template_name = tl_xstrdup("default");
	c->language = tl_xstrdup("en");
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return tl_xstrdup(".");
	if (slash == path)
		return tl_xstrdup("/");
	return tl_xstrndup(path, (size_t)(slash - path));
}

static void ctx_free(ctx_t *x)
{
	for (size_t i = 0; i < x->n_seen; i++)
		free(x->seen[i].key);
	free(x->seen);
	tl_strmap_free(x->seen_map);
	free(x->prev_sec);
	free(x->prev_name);
}

int tl_case_load(const char *path, tl_case_t **out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	char *data;
	size_t len;
	int rc = tl_file_read(path, TL_CASE_MAX_BYTES, &data, &len);
	if (rc != TL_OK) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path,
				 rc == TL_ELIMIT ? "larger than 1 MiB, not a case file"
						 : tl_strerror(rc));
		return rc;
	}
	tl_case_t *c = tl_xcalloc(1, sizeof(*c));
	c->path = tl_xstrdup(path);
	c->dir = dir_of(path);
	tl_sha256(data, len, c->file_sha256);
	tl_sha256_hex(c->file_sha256, c->file_sha256_hex);
	c->file_size = len;
	defaults(c);

	ctx_t x;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.path = path;
	x.err = err;
	x.errlen = errlen;
	x.data = data;
	x.len = len;
	int line = ini_parse_stream(reader, &x, handler, &x);
	if (line > 0 && x.nerr == 0)
		errf(&x, line, "syntax error (expected 'key = value' or '[section]')");
	free(data);

	/* required keys and cross-references, after the whole file was read */
	if (!c->number)
		errf(&x, x.sec_line[SEC_CASE], "missing required key 'number' in [case]");
	if (!c->title)
		errf(&x, x.sec_line[SEC_CASE], "missing required key 'title' in [case]");
	for (size_t i = 0; i < c->n_inputs; i++) {
		const tl_case_input_t *in = &c->inputs[i];
		if (!in->path)
			errf(&x, x.sec_line[SEC_EVIDENCE],
			     "input '%s' has settings but no path ('%s = path' missing in [evidence])",
			     in->label, in->label);
	}
	if (c->n_inputs == 0)
		errf(&x, x.sec_line[SEC_EVIDENCE], "no input in [evidence]: at least one is required");
	if (c->n_names + c->n_suffixes + c->n_ips == 0)
		errf(&x, x.sec_line[SEC_TARGET],
		     "no target: give 'names', 'suffixes' or 'ips' in [target]");
	int nerr = x.nerr;
	ctx_free(&x);
	if (nerr > 0) {
		tl_case_free(c);
		return TL_EFORMAT;
	}
	normalise(c);
	*out = c;
	return TL_OK;
}

int tl_case_override(tl_case_t *c, const char *key, const char *value, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	ctx_t x;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.okey = key;
	x.err = err;
	x.errlen = errlen;
	const char *dot = strchr(key, '.');
	int sec = -1;
	if (dot) {
		char s[16];
		size_t n = (size_t)(dot - key);
		if (n < sizeof(s)) {
			memcpy(s, key, n);
			s[n] = '\0';
			sec = section_id(s);
		}
	}
	int t = tl_text_check(value, strlen(value));
	if (!dot || dot[1] == '\0' || sec < 0)
		errf(&x, 0, "expected section.key with a section of the case file");
	else if (t == TL_TEXT_BAD_UTF8)
		errf(&x, 0, "invalid UTF-8");
	else if (t == TL_TEXT_CONTROL)
		errf(&x, 0, "control character");
	else if (tl_text_check(key, strlen(key)) != TL_TEXT_OK)
		errf(&x, 0, "invalid key");
	else
		set_key(&x, sec, dot + 1, value, 0, 0);
	int nerr = x.nerr;
	ctx_free(&x);
	if (nerr > 0)
		return TL_EINVAL;
	normalise(c);
	return TL_OK;
}

const char *tl_case_org_zone(const tl_case_t *c, const char *organisation)
{
	size_t lo = 0, hi = c->n_org_zones;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(organisation, c->org_zones[mid].organisation);
		if (r == 0)
			return c->org_zones[mid].zone;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void tl_case_free(tl_case_t *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->dir);
	free(c->number);
	free(c->title);
	free(c->exhibit);
	free(c->requester);
	free(c->examiner_role);
	free(c->organisation);
	free(c->control_prefix);
	strv_free(c->examiners, c->n_examiners);
	free(c->timezone);
	for (size_t i = 0; i < c->n_inputs; i++) {
		free(c->inputs[i].label);
		free(c->inputs[i].path);
		free(c->inputs[i].resolved);
		free(c->inputs[i].sensor);
		free(c->inputs[i].recording);
		free(c->inputs[i].gaps);
		free(c->inputs[i].received);
		free(c->inputs[i].received_from);
		free(c->inputs[i].received_by);
		free(c->inputs[i].received_how);
	}
	free(c->inputs);
	strv_free(c->names, c->n_names);
	strv_free(c->suffixes, c->n_suffixes);
	free(c->ips);
	free(c->orgs_path);
	free(c->orgs_resolved);
	free(c->mmdb_path);
	free(c->mmdb_resolved);
	for (size_t i = 0; i < c->n_org_zones; i++) {
		free(c->org_zones[i].organisation);
		free(c->org_zones[i].zone);
	}
	free(c->org_zones);
	free(c->events_path);
	free(c->events_resolved);
	free(c->template_name);
	free(c->template_resolved);
	free(c->language);
	free(c);
}
