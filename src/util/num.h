/* num.h - integer arithmetic that C leaves to the reader (floor division) and the
 * checked parsing of decimal numbers from untrusted text. */
#ifndef TL_UTIL_NUM_H
#define TL_UTIL_NUM_H

#include <stddef.h>
#include <stdint.h>

/* floor(a / b) for any b != 0: C's division truncates towards zero, which for a
 * negative quotient is one too high (-7 / 2 is -3; the floor is -4). The bucket of a
 * time before an origin, a day before 1970, needs the floor. */
int64_t tl_num_floor_div(int64_t a, int64_t b);

/* tl_num_parse_u64 flags */
enum {
	/* refuse "007": a value written by hand has one spelling (but "0" is fine) */
	TL_NUM_NO_LEADING_ZEROS = 1 << 0,
};

/* Parses s[0..len) as an unsigned decimal: digits only (no sign, no spaces, no
 * base prefix), at most 20 of them, no overflow, value <= max. Writes *out only on
 * success. Returns TL_OK or TL_EFORMAT. */
int tl_num_parse_u64(const char *s, size_t len, uint64_t max, unsigned flags, uint64_t *out);

#endif
