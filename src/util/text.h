/* text.h - what text read from files the case names may hold. */
#ifndef TL_UTIL_TEXT_H
#define TL_UTIL_TEXT_H

#include <stddef.h>

/* Text check results. */
enum { TL_TEXT_OK = 0, TL_TEXT_BAD_UTF8 = 1, TL_TEXT_CONTROL = 2 };

/* Checks s[0..len) is valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF) without control characters (C0 except tab, DEL, C1). */
int tl_text_check(const char *s, size_t len);

#endif
