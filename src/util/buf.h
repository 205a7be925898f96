/* buf.h - a growable byte buffer, and a JSON writer on top of it. */
#ifndef TL_UTIL_BUF_H
#define TL_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tl_buf {
	char *data; /* owned; NUL-terminated after every append */
	size_t len, cap;
} tl_buf_t;

void tl_buf_init(tl_buf_t *b);
void tl_buf_free(tl_buf_t *b);
void tl_buf_clear(tl_buf_t *b);
void tl_buf_reserve(tl_buf_t *b, size_t extra);
void tl_buf_append(tl_buf_t *b, const void *data, size_t len);
void tl_buf_puts(tl_buf_t *b, const char *s);
void tl_buf_putc(tl_buf_t *b, char c);
void tl_buf_printf(tl_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tl_buf_u64(tl_buf_t *b, uint64_t v);
void tl_buf_i64(tl_buf_t *b, int64_t v);
/* Appends v as the shortest decimal that reads back (strtod) as exactly v: "0.1",
 * "0.77945164206086169", "1e-05", "3511"; -0 as "0". Returns -1 and appends nothing for
 * NaN or an infinity (which have no decimal form), else 0. Locale-free: tealeaves never
 * calls setlocale(), so '.' is the decimal point. */
int tl_buf_double(tl_buf_t *b, double v);
/* Appends s as text safe for a terminal or TSV cell: control characters,
 * backslash, and bytes that are not valid UTF-8 become \xHH escapes; tab and
 * newline become \t and \n. */
void tl_buf_text_escaped(tl_buf_t *b, const char *s, size_t len);
/* Length (1..4) of the valid UTF-8 sequence at s (left bytes there), or 0 when the
 * bytes there are not one (RFC 3629: no overlong forms, surrogates or values above
 * U+10FFFF). */
size_t tl_utf8_len(const unsigned char *s, size_t left);

/* JSON writer: tracks nesting so commas and colons are placed for the caller.
 * Output is compact (no spaces) and keys appear in the order written. */
#define TL_JSON_MAX_DEPTH 32
typedef struct tl_json {
	tl_buf_t *out; /* not owned */
	int depth;
	uint8_t first[TL_JSON_MAX_DEPTH]; /* no element written yet at this level */
	uint8_t after_key;
	int pretty; /* indent with two spaces per level */
} tl_json_t;

void tl_json_init(tl_json_t *j, tl_buf_t *out, int pretty);
void tl_json_obj_begin(tl_json_t *j);
void tl_json_obj_end(tl_json_t *j);
void tl_json_arr_begin(tl_json_t *j);
void tl_json_arr_end(tl_json_t *j);
void tl_json_key(tl_json_t *j, const char *key);
/* Strings: invalid UTF-8 bytes are replaced by U+FFFD; control characters escaped. */
void tl_json_str(tl_json_t *j, const char *s);
void tl_json_strn(tl_json_t *j, const char *s, size_t len);
void tl_json_u64(tl_json_t *j, uint64_t v);
void tl_json_i64(tl_json_t *j, int64_t v);
/* Fixed format: %.*f with the given digits, trailing zeros kept; NaN/inf -> null. */
void tl_json_fixed(tl_json_t *j, double v, int digits);
void tl_json_bool(tl_json_t *j, int v);
void tl_json_null(tl_json_t *j);
/* A UTC time (microseconds) as an ISO 8601 string with microseconds; null for TL_TIME_NONE. */
void tl_json_time(tl_json_t *j, int64_t us);
/* Appends a JSON string literal (with quotes) for s to b. */
void tl_buf_json_string(tl_buf_t *b, const char *s, size_t len);

#endif
