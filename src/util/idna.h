/* idna.h - internationalised domain names for display: A-labels ("xn--...") decoded
 * to Unicode and validated under IDNA2008, with libidn2. */
#ifndef TL_UTIL_IDNA_H
#define TL_UTIL_IDNA_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Longest label decoded (RFC 1035 section 2.3.4); longer labels are left as they are. */
#define TL_IDNA_MAX_LABEL 63

/* Appends to out the name in presentation form (RFC 1035 section 5.1: labels separated
 * by unescaped dots, \X and \DDD escapes) with each label that starts with "xn--" (any
 * case) decoded to UTF-8. A label is left as its A-label when it contains an escape,
 * is longer than TL_IDNA_MAX_LABEL, fails to decode, decodes to nothing or to ASCII
 * only (bogus, RFC 5891 section 5.4), is not a valid A-label under IDNA2008 (RFC 5891
 * section 5.4 and RFC 5892-5893: disallowed code points such as symbols and capital
 * letters, text not in NFC, a leading combining mark, a broken bidi or context rule;
 * the letters of the A-label itself may be in any case, as DNS compares them), or
 * decodes to a code point unfit for display (controls, surrogates, above U+10FFFF,
 * noncharacters, invisible format and bidi controls, spaces, and the dot lookalikes
 * U+3002, U+FF0E, U+FF61). Dots, including a
 * trailing one, are kept. Returns 1 when some label was decoded, else 0 (out then
 * received the name unchanged). out must be initialised; the caller owns it. */
int tl_idna_to_unicode(const char *name, tl_buf_t *out);

/* Appends name[0..len) to out for a reader: "U-label form (A-label form)" when
 * tl_idna_to_unicode changes it, else the name as it is. */
void tl_idna_display(const char *name, size_t len, tl_buf_t *out);

/* Version of libidn2 in use (run time): its Unicode tables decide which labels are shown
 * decoded, so the report records it. */
const char *tl_idna_libidn2_version(void);

#endif
