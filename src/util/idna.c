/* idna.c - A-labels to U-labels for display, decoded and validated by libidn2 (IDNA2008,
 * RFC 5890-5893, with UTS #46 non-transitional processing), the one libidn2 user. */
#include "util/idna.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* Whether cp may be shown in a U-label. libidn2's IDNA2008 checks already refuse most of
 * these; this list stays as a second line against what would make the report misleading
 * or unreadable: invalid scalar values, controls, noncharacters, invisible characters
 * that reorder or hide text (IDNA2008 allows the joiners U+200C and U+200D in some
 * contexts; a report does not show them), and lookalike label separators (RFC 3490
 * section 3.1 treats U+3002, U+FF0E and U+FF61 as dots). */
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

/* The next code point of the UTF-8 string s[*i..n), or UINT32_MAX for a byte sequence
 * that is not UTF-8 (libidn2 writes UTF-8; this is not trusted blindly). */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
	unsigned c = s[(*i)++];
	size_t more;
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf)
		more = 1;
	else if (c >= 0xe0 && c <= 0xef)
		more = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		more = 3;
	else
		return UINT32_MAX;
	if (n - *i < more)
		return UINT32_MAX;
	uint32_t cp = c & (0x3fu >> more);
	for (size_t k = 0; k < more; k++) {
		unsigned t = s[(*i)++];
		if ((t & 0xc0) != 0x80)
			return UINT32_MAX;
		cp = cp << 6 | (t & 0x3f);
	}
	/* overlong forms */
	if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000))
		return UINT32_MAX;
	return cp;
}

/* 1 when the A-label s[0..len) (ASCII) is valid under IDNA2008: libidn2 decodes it,
 * checks the U-label (RFC 5891 section 5.4: the code points of RFC 5892, the context
 * rules, NFC, no leading combining mark, the bidi rule of RFC 5893) and encodes it
 * again. DNS compares ASCII without case (RFC 4343), and an A-label in capitals is the
 * same label, so the check is made on the label in lower case and must give it back
 * exactly: UTS #46 mapping would otherwise pass a U-label that is not one (capital
 * letters, a dot lookalike, a character that maps to nothing). */
static int valid_alabel(const char *s, size_t len)
{
	char lower[TL_IDNA_MAX_LABEL + 1];
	for (size_t k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c >= 0x80 || c == 0)
			return 0;
		lower[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	lower[len] = '\0';
	uint8_t *back = NULL;
	int rc = idn2_lookup_u8((const uint8_t *)lower, &back, IDN2_NONTRANSITIONAL);
	int ok = rc == IDN2_OK && back && strcmp((const char *)back, lower) == 0;
	idn2_free(back);
	return ok;
}

/* Appends the U-label for the label s[0..len) (no escapes in it) and returns 1, or
 * appends nothing and returns 0 when the label is to stay as it is. */
static int put_label(tl_buf_t *b, const char *s, size_t len)
{
	char label[TL_IDNA_MAX_LABEL + 1];
	/* RFC 5890 section 2.3.1: the ACE prefix "xn--", compared case-insensitively. */
	if (len < 4 || len > TL_IDNA_MAX_LABEL || (s[0] | 0x20) != 'x' || (s[1] | 0x20) != 'n' ||
	    s[2] != '-' || s[3] != '-')
		return 0;
	if (!valid_alabel(s, len))
		return 0;
	/* Decoded as written, so the ASCII letters keep their case (RFC 3492 appendix A:
	 * the case of the basic code points is carried through). */
	memcpy(label, s, len);
	label[len] = '\0';
	char *u = NULL;
	if (idn2_to_unicode_8z8z(label, &u, 0) != IDN2_OK || !u) {
		idn2_free(u);
		return 0;
	}
	const unsigned char *p = (const unsigned char *)u;
	size_t n = strlen(u), i = 0;
	int nonascii = 0;
	while (i < n) {
		uint32_t cp = next_cp(p, n, &i);
		if (!displayable(cp)) {
			idn2_free(u);
			return 0;
		}
		nonascii |= cp >= 0x80;
	}
	/* RFC 5891 section 5.4: an A-label whose decoding is all ASCII is not one. */
	if (nonascii && n)
		tl_buf_append(b, u, n);
	idn2_free(u);
	return nonascii && n;
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

const char *tl_idna_libidn2_version(void)
{
	const char *v = idn2_check_version(NULL);
	return v ? v : "unknown";
}
