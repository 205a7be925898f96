/* text.c - checking text read from files: well-formed UTF-8 without control characters. */
#include "util/text.h"

int tl_text_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return TL_TEXT_CONTROL;
			p++;
			continue;
		}
		/* RFC 3629 section 4: the well-formed byte sequences */
		size_t n;
		unsigned lo = 0x80, hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0; /* no overlong */
			else if (c == 0xed)
				hi = 0x9f; /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f; /* nothing above U+10FFFF */
		} else {
			return TL_TEXT_BAD_UTF8;
		}
		if ((size_t)(end - p) <= n)
			return TL_TEXT_BAD_UTF8;
		if (p[1] < lo || p[1] > hi)
			return TL_TEXT_BAD_UTF8;
		for (size_t i = 2; i <= n; i++)
			if (p[i] < 0x80 || p[i] > 0xbf)
				return TL_TEXT_BAD_UTF8;
		/* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F */
		if (c == 0xc2 && p[1] < 0xa0)
			return TL_TEXT_CONTROL;
		p += n + 1;
	}
	return TL_TEXT_OK;
}
