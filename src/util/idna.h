/* idna.h - internationalised domain names for display: A-labels ("xn--...") decoded
 * to Unicode (Punycode, RFC 3492), without libidn. */
#ifndef TL_UTIL_IDNA_H
#define TL_UTIL_IDNA_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Longest label decoded (RFC 1035 section 2.3.4); longer labels are left as they are. */
#define TL_IDNA_MAX_LABEL 63

/* Decodes the Punycode string in[0..len) (the label without its "xn--" prefix) into
 * at most outmax code points at out (caller's array), following RFC 3492 section 6.2
 * with its overflow checks. On success writes the count to *outlen and returns TL_OK;
 * TL_EFORMAT for a non-basic input byte, a bad digit, truncation or overflow;
 * TL_ELIMIT when the output would exceed outmax. Nothing here checks what the code
 * points are: see tl_idna_to_unicode. */
int tl_idna_punycode_decode(const char *in, size_t len, uint32_t *out, size_t outmax,
			    size_t *outlen);

/* Appends to out the name in presentation form (RFC 1035 section 5.1: labels separated
 * by unescaped dots, \X and \DDD escapes) with each label that starts with "xn--" (any
 * case) decoded to UTF-8. A label is left as its A-label when it contains an escape,
 * is longer than TL_IDNA_MAX_LABEL, fails to decode, decodes to nothing or to ASCII
 * only (bogus, RFC 5891 section 5.4), or decodes to a code point unfit for display
 * (controls, surrogates, above U+10FFFF, noncharacters, invisible format and bidi
 * controls, spaces, and the dot lookalikes U+3002, U+FF0E, U+FF61). Dots, including a
 * trailing one, are kept. Returns 1 when some label was decoded, else 0 (out then
 * received the name unchanged). out must be initialised; the caller owns it. */
int tl_idna_to_unicode(const char *name, tl_buf_t *out);

/* Appends name[0..len) to out for a reader: "U-label form (A-label form)" when
 * tl_idna_to_unicode changes it, else the name as it is. */
void tl_idna_display(const char *name, size_t len, tl_buf_t *out);

#endif
