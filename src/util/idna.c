/* idna.c - Punycode decoding (RFC 3492) and A-label to U-label conversion for display. */
#include "util/idna.h"

#include <string.h>

#include "util/error.h"

/* RFC 3492 section 5: the Punycode parameter values. */
enum {
	PC_BASE = 36,
	PC_TMIN = 1,
	PC_TMAX = 26,
	PC_SKEW = 38,
	PC_DAMP = 700,
	PC_INITIAL_BIAS = 72,
	PC_INITIAL_N = 0x80,
	PC_DELIMITER = '-',
};

#define PC_MAXINT UINT32_MAX

/* RFC 3492 section 5: digit values; lower and upper case letters are equal. */
static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0' + 26;
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	return -1;
}

/* RFC 3492 section 6.1: bias adaptation. delta < 2^32 and the loop divides it, so
 * nothing here overflows 32 bits (section 6.4). */
static uint32_t adapt(uint32_t delta, uint32_t numpoints, int firsttime)
{
	uint32_t k = 0;
	delta = firsttime ? delta / PC_DAMP : delta / 2;
	delta += delta / numpoints;
	while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
		delta /= PC_BASE - PC_TMIN;
		k += PC_BASE;
	}
	return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

int tl_idna_punycode_decode(const char *in, size_t len, uint32_t *out, size_t outmax,
			    size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	uint32_t n = PC_INITIAL_N, i = 0, bias = PC_INITIAL_BIAS;
	size_t nout = 0, b = 0, p;

	/* Section 6.2: the basic code points are those before the last delimiter (if
	 * any); each must be basic (below 0x80). */
	for (size_t j = 0; j < len; j++)
		if (s[j] == PC_DELIMITER)
			b = j;
	for (size_t j = 0; j < b; j++) {
		if (s[j] >= 0x80)
			return TL_EFORMAT;
		if (nout >= outmax)
			return TL_ELIMIT;
		out[nout++] = s[j];
	}
	/* The delimiter is consumed only when code points were copied before it. */
	p = b > 0 ? b + 1 : 0;

	while (p < len) {
		uint32_t oldi = i, w = 1;
		for (uint32_t k = PC_BASE;; k += PC_BASE) {
			if (p >= len)
				return TL_EFORMAT; /* truncated: the integer has no last digit */
			int d = digit_value(s[p++]);
			if (d < 0)
				return TL_EFORMAT;
			uint32_t digit = (uint32_t)d;
			/* Section 6.4: i + digit * w must not exceed maxint. */
			if (digit > (PC_MAXINT - i) / w)
				return TL_EFORMAT;
			i += digit * w;
			uint32_t t = k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
			if (digit < t)
				break;
			if (w > PC_MAXINT / (PC_BASE - t))
				return TL_EFORMAT;
			w *= PC_BASE - t;
			/* k cannot wrap: w grows by at least 10 a step, so the overflow test
			 * above fails within a few digits. */
		}
		uint32_t np = (uint32_t)nout + 1;
		bias = adapt(i - oldi, np, oldi == 0);
		if (i / np > PC_MAXINT - n)
			return TL_EFORMAT;
		n += i / np;
		i %= np;
		/* Section 6.2: n below initial_n would be basic; it cannot happen because n
		 * never decreases, but the check costs nothing. */
		if (n < PC_INITIAL_N)
			return TL_EFORMAT;
		if (nout >= outmax)
			return TL_ELIMIT;
		memmove(out + i + 1, out + i, (nout - i) * sizeof(*out));
		out[i] = n;
		nout++;
		i++;
	}
	*outlen = nout;
	return TL_OK;
}

/* Whether cp may be shown in a U-label. Not the IDNA2008 tables (RFC 5892), only what
 * would make the report misleading or unreadable: invalid scalar values, controls,
 * noncharacters, invisible characters that reorder or hide text, and lookalike label
 * separators (RFC 3490 section 3.1 treats U+3002, U+FF0E and U+FF61 as dots). */
static int displayable(uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 0;
	if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
		return 0;
	if (cp == 0xa0 || cp == 0xad || cp == 0x1680 || cp == 0x180e ||
	    (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
	    (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 || cp == 0xfeff ||
	    (cp >= 0xfff9 && cp <= 0xfffb))
		return 0;
	if (cp == 0x3002 || cp == 0xff0e || cp == 0xff61)
		return 0;
	return 1;
}

static void put_utf8(tl_buf_t *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	tl_buf_append(b, u, n);
}

/* Appends the U-label for the label s[0..len) (no escapes in it) and returns 1, or
 * appends nothing and returns 0 when the label is to stay as it is. */
static int put_label(tl_buf_t *b, const char *s, size_t len)
{
	uint32_t cps[TL_IDNA_MAX_LABEL];
	size_t n = 0;
	int nonascii = 0;
	/* RFC 5890 section 2.3.1: the ACE prefix "xn--", compared case-insensitively. */
	if (len < 4 || len > TL_IDNA_MAX_LABEL || (s[0] | 0x20) != 'x' || (s[1] | 0x20) != 'n' ||
	    s[2] != '-' || s[3] != '-')
		return 0;
	if (tl_idna_punycode_decode(s + 4, len - 4, cps, TL_IDNA_MAX_LABEL, &n) != TL_OK || n == 0)
		return 0;
	for (size_t k = 0; k < n; k++) {
		if (!displayable(cps[k]))
			return 0;
		nonascii |= cps[k] >= 0x80;
	}
	/* RFC 5891 section 5.4: an A-label whose decoding is all ASCII is not one. */
	if (!nonascii)
		return 0;
	for (size_t k = 0; k < n; k++)
		put_utf8(b, cps[k]);
	return 1;
}

static int convert(const char *name, size_t len, tl_buf_t *out)
{
	int changed = 0;
	size_t p = 0;
	while (p < len) {
		size_t start = p;
		int escaped = 0;
		/* RFC 1035 section 5.1: a backslash quotes the next character (or starts
		 * \DDD, whose digits are never dots), so the label ends at a dot that no
		 * backslash quotes. */
		while (p < len && name[p] != '.') {
			if (name[p] == '\\') {
				escaped = 1;
				p++;
			}
			if (p < len)
				p++;
		}
		if (escaped || !put_label(out, name + start, p - start))
			tl_buf_append(out, name + start, p - start);
		else
			changed = 1;
		if (p < len) {
			tl_buf_putc(out, '.');
			p++;
		}
	}
	return changed;
}

int tl_idna_to_unicode(const char *name, tl_buf_t *out)
{
	tl_buf_append(out, "", 0); /* out->data is a string even for an empty name */
	return convert(name, strlen(name), out);
}

void tl_idna_display(const char *name, size_t len, tl_buf_t *out)
{
	tl_buf_append(out, "", 0);
	if (convert(name, len, out)) {
		tl_buf_puts(out, " (");
		tl_buf_append(out, name, len);
		tl_buf_putc(out, ')');
	}
}
