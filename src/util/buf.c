/* buf.c - growable buffer, escaping, and a small JSON writer with fixed output. */
#include "util/buf.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tl_buf_init(tl_buf_t *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void tl_buf_free(tl_buf_t *b)
{
	free(b->data);
	tl_buf_init(b);
}

void tl_buf_clear(tl_buf_t *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void tl_buf_reserve(tl_buf_t *b, size_t extra)
{
	if (b->cap - b->len > extra)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len <= extra)
		cap *= 2;
	b->data = tl_xrealloc(b->data, cap);
	b->cap = cap;
}

void tl_buf_append(tl_buf_t *b, const void *data, size_t len)
{
	tl_buf_reserve(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void tl_buf_puts(tl_buf_t *b, const char *s)
{
	tl_buf_append(b, s, strlen(s));
}

void tl_buf_putc(tl_buf_t *b, char c)
{
	tl_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void tl_buf_printf(tl_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		tl_buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
}

void tl_buf_u64(tl_buf_t *b, uint64_t v)
{
	char tmp[24];
	int i = 23;
	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tl_buf_append(b, tmp + i, (size_t)(23 - i));
}

int tl_buf_double(tl_buf_t *b, double v)
{
	if (!isfinite(v))
		return -1;
	if (v == 0)
		v = 0; /* no "-0" */
	/* 17 significant digits always read back (IEEE 754 binary64); fewer often do, and
	 * the fewest that do is the one a reader expects to see. */
	char tmp[40];
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(tmp, sizeof(tmp), "%.*g", digits, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	tl_buf_puts(b, tmp);
	return 0;
}

void tl_buf_i64(tl_buf_t *b, int64_t v)
{
	if (v < 0) {
		tl_buf_putc(b, '-');
		tl_buf_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		tl_buf_u64(b, (uint64_t)v);
	}
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid (RFC 3629). */
size_t tl_utf8_len(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void tl_buf_text_escaped(tl_buf_t *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	tl_buf_reserve(b, len);
	while (i < len) {
		unsigned char c = u[i];
		if (c == '\t') {
			tl_buf_append(b, "\\t", 2);
			i++;
		} else if (c == '\n') {
			tl_buf_append(b, "\\n", 2);
			i++;
		} else if (c == '\\') {
			tl_buf_append(b, "\\\\", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			tl_buf_append(b, e, 4);
			i++;
		} else {
			size_t n = tl_utf8_len(u + i, len - i);
			if (n == 0) {
				char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
				tl_buf_append(b, e, 4);
				i++;
			} else {
				tl_buf_append(b, s + i, n);
				i += n;
			}
		}
	}
}

void tl_buf_json_string(tl_buf_t *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	tl_buf_reserve(b, len + 2);
	b->data[b->len++] = '"';
	size_t i = 0;
	while (i < len) {
		unsigned char c = u[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			/* fast path for plain ASCII runs */
			size_t j = i + 1;
			while (j < len && u[j] >= 0x20 && u[j] < 0x80 && u[j] != '"' && u[j] != '\\')
				j++;
			tl_buf_append(b, s + i, j - i);
			i = j;
			continue;
		}
		switch (c) {
		case '"': tl_buf_append(b, "\\\"", 2); i++; continue;
		case '\\': tl_buf_append(b, "\\\\", 2); i++; continue;
		case '\n': tl_buf_append(b, "\\n", 2); i++; continue;
		case '\r': tl_buf_append(b, "\\r", 2); i++; continue;
		case '\t': tl_buf_append(b, "\\t", 2); i++; continue;
		default: break;
		}
		if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			tl_buf_append(b, e, 6);
			i++;
			continue;
		}
		size_t n = tl_utf8_len(u + i, len - i);
		if (n == 0) {
			tl_buf_append(b, "\\ufffd", 6);
			i++;
		} else {
			tl_buf_append(b, s + i, n);
			i += n;
		}
	}
	tl_buf_putc(b, '"');
}

void tl_json_init(tl_json_t *j, tl_buf_t *out, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void newline(tl_json_t *j)
{
	tl_buf_putc(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		tl_buf_append(j->out, "  ", 2);
}

/* Called before every value or key. */
static void pre_value(tl_json_t *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (!j->first[j->depth])
		tl_buf_putc(j->out, ',');
	if (j->pretty && j->depth > 0)
		newline(j);
	j->first[j->depth] = 0;
}

static void open(tl_json_t *j, char c)
{
	pre_value(j);
	tl_buf_putc(j->out, c);
	if (j->depth + 1 >= TL_JSON_MAX_DEPTH)
		abort(); /* a programming error: our documents are shallow */
	j->depth++;
	j->first[j->depth] = 1;
}

static void close_(tl_json_t *j, char c)
{
	int empty = j->first[j->depth];
	j->depth--;
	if (j->pretty && !empty)
		newline(j);
	tl_buf_putc(j->out, c);
}

void tl_json_obj_begin(tl_json_t *j) { open(j, '{'); }
void tl_json_obj_end(tl_json_t *j) { close_(j, '}'); }
void tl_json_arr_begin(tl_json_t *j) { open(j, '['); }
void tl_json_arr_end(tl_json_t *j) { close_(j, ']'); }

void tl_json_key(tl_json_t *j, const char *key)
{
	pre_value(j);
	tl_buf_json_string(j->out, key, strlen(key));
	tl_buf_putc(j->out, ':');
	if (j->pretty)
		tl_buf_putc(j->out, ' ');
	j->after_key = 1;
}

void tl_json_strn(tl_json_t *j, const char *s, size_t len)
{
	pre_value(j);
	tl_buf_json_string(j->out, s, len);
}

void tl_json_str(tl_json_t *j, const char *s)
{
	if (!s) {
		tl_json_null(j);
		return;
	}
	tl_json_strn(j, s, strlen(s));
}

void tl_json_u64(tl_json_t *j, uint64_t v)
{
	pre_value(j);
	tl_buf_u64(j->out, v);
}

void tl_json_i64(tl_json_t *j, int64_t v)
{
	pre_value(j);
	tl_buf_i64(j->out, v);
}

void tl_json_fixed(tl_json_t *j, double v, int digits)
{
	if (!isfinite(v)) {
		tl_json_null(j);
		return;
	}
	pre_value(j);
	/* "%.*f" is locale-independent here: we never call setlocale() */
	if (v == 0)
		v = 0; /* no "-0.000" */
	tl_buf_printf(j->out, "%.*f", digits, v);
}

void tl_json_bool(tl_json_t *j, int v)
{
	pre_value(j);
	tl_buf_puts(j->out, v ? "true" : "false");
}

void tl_json_null(tl_json_t *j)
{
	pre_value(j);
	tl_buf_append(j->out, "null", 4);
}

void tl_json_time(tl_json_t *j, int64_t us)
{
	char iso[TL_TIME_ISO_LEN];
	if (us == TL_TIME_NONE) {
		tl_json_null(j);
		return;
	}
	tl_time_format_iso(us, iso);
	tl_json_str(j, iso);
}
