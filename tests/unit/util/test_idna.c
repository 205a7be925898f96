/* test_idna.c - A-labels to U-labels in presentation-form names (the RFC 3492 section
 * 7.1 samples), IDNA2008 validation, and the "U-label (A-label)" display form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/idna.h"

/* Converts name and checks the result and the return value. */
static void check(const char *name, const char *want, int changed)
{
	tl_buf_t b;
	tl_buf_init(&b);
	assert_int_equal(tl_idna_to_unicode(name, &b), changed);
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	tl_buf_free(&b);
}

static void unchanged(const char *name)
{
	check(name, name, 0);
}

static void rfc3492_samples_as_labels(void **state)
{
	(void)state;
	/* (A) Arabic decodes, but ends in U+061F ARABIC QUESTION MARK, which IDNA2008
	 * disallows (RFC 5892): not a valid A-label, so it stays (see idna2008_validation). */
	unchanged("xn--egbpdaj6bu4bxfgehfvwxn");
	check("xn--ihqwcrb4cv8a8dqg056pqjye", "他们为什么不说中文", 1); /* (B) */
	check("xn--ihqwctvzc91f659drss3x8bo0yb", "他們爲什麽不說中文", 1); /* (C) */
	check("xn--Proprostnemluvesky-uyb24dma41a", "Pročprostěnemluvíčesky", 1); /* (D) */
	check("xn--PorqunopuedensimplementehablarenEspaol-fmd56a",
	      "PorquénopuedensimplementehablarenEspañol", 1); /* (J) */
	check("xn--3B-ww4c5e180e575a65lsy2b", "3年B組金八先生", 1); /* (L) */
	check("xn--Hello-Another-Way--fc4qua05auwb3674vfr0b", "Hello-Another-Way-それぞれの場所",
	      1); /* (N) */
	check("xn--2-u9tlzr9756bt3uc0v", "ひとつ屋根の下2", 1); /* (O) */
	check("xn--MajiKoi5-783gue6qz075azm5e", "MajiでKoiする5秒前", 1); /* (P) */
	check("xn--de-jg4avhby1noc0d", "パフィーdeルンバ", 1); /* (Q) */
	check("xn--d9juau41awczczp", "そのスピードで", 1); /* (R) */
}

static void names_of_several_labels(void **state)
{
	(void)state;
	check("xn--mnchen-3ya", "münchen", 1);
	check("xn--mnchen-3ya.example", "münchen.example", 1);
	check("www.xn--mnchen-3ya.xn--3b-ww4c5e180e575a65lsy2b.example.",
	      "www.münchen.3年b組金八先生.example.", 1);
	check("xn--mnchen-3ya.example.", "münchen.example.", 1); /* trailing dot kept */
	check("XN--MNCHEN-3YA.EXAMPLE", "MüNCHEN.EXAMPLE", 1);    /* prefix and digits in caps */
	check("Xn--mnchen-3ya.xN--mnchen-3ya", "münchen.münchen", 1);
	/* A bad label beside a good one: only the good one changes. */
	check("xn--mnchen-3y.xn--mnchen-3ya.", "xn--mnchen-3y.münchen.", 1);
	/* Empty labels and the root stay. */
	check("a..xn--mnchen-3ya", "a..münchen", 1);
	unchanged(".");
	unchanged("");
	unchanged("www.example.com.");
	unchanged("xn-mnchen-3ya.example"); /* one hyphen: no ACE prefix */
	unchanged("xnn--mnchen-3ya.example");
}

static void invalid_labels_stay(void **state)
{
	(void)state;
	unchanged("xn--zzzzzzzzzzzzzzzzzzzzzzzz.example");   /* overflow (RFC 3492 6.4) */
	unchanged("xn--mnchen-3y.example");                  /* truncated integer */
	unchanged("xn--mnchen-3y!.example");                 /* bad digit */
	unchanged("xn--mnchen_3ya.example");                 /* '_' is no digit */
	unchanged("xn--.example");                           /* decodes to nothing */
	unchanged("xn--abc-.example");                       /* ASCII only (RFC 5891 5.4) */
	unchanged("xn--en32g.example");                      /* U+110000 */
	unchanged("xn--ib9b.example");                       /* U+D800, a surrogate */
	unchanged("xn--a-rc4g.example");                     /* "a" U+D800 */
	unchanged("xn--fa.example");                         /* U+0085, a C1 control */
	unchanged("xn--zvg.example");                        /* U+202E, right-to-left override */
	unchanged("xn--tda610n.example");                    /* U+00FC U+200B, zero width space */
	unchanged("xn--ab-r13a.example");                    /* U+3002, a dot lookalike */
	unchanged("xn--0n7c.example");                       /* U+FFFE, a noncharacter */
	unchanged("xn--m\xc3\xbcnchen-3ya.example");         /* non-basic byte in the label */
	/* Longer than 63 octets (RFC 1035 2.3.4): not decoded even though it would be (to 58
	 * a and one u-umlaut). */
	unchanged("xn--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-y9f");
}

/* Labels whose Punycode decodes, to code points a reader could display, but that are
 * not valid A-labels under IDNA2008 (RFC 5891 5.4, RFC 5892, RFC 5893): shown as the
 * A-label, as they were not before libidn2 checked them. */
static void idna2008_validation(void **state)
{
	(void)state;
	unchanged("xn--n3h.example");        /* U+2603 snowman: symbols are DISALLOWED */
	unchanged("xn--mnchen-psa.example"); /* "mÜnchen": a capital letter is DISALLOWED */
	unchanged("xn--nchen-1pa.example");  /* "Ünchen" */
	/* "mu" U+0308 "nchen": looks like münchen but is not in NFC (a spoof) */
	unchanged("xn--munchen-gie.example");
	unchanged("xn--abc-jdc.example");    /* a leading combining mark (RFC 5891 4.2.3.2) */
	unchanged("xn--ab-wld.example");     /* "ab" and Hebrew alef: the bidi rule */
	unchanged("xn--jm6c.example");       /* U+FB01, the "fi" ligature: not in NFKC form */
	unchanged("xn--egbpdaj6bu4bxfgehfvwxn.example"); /* ends in U+061F */
	/* and valid ones beside them still change */
	check("xn--n3h.xn--mnchen-3ya.example", "xn--n3h.münchen.example", 1);
	check("xn--zca.example", "ß.example", 1); /* a deviation: IDNA2008 keeps it */
	/* a capital A-label is the same label (DNS ignores ASCII case), checked in lower
	 * case and shown with its letters as written */
	check("XN--MNCHEN-3YA", "MüNCHEN", 1);
	check("xn--3B-ww4c5e180e575a65lsy2b", "3年B組金八先生", 1);
}

static void escaped_labels_stay(void **state)
{
	(void)state;
	unchanged("xn--mnchen-3ya\\.example");   /* one label with an escaped dot */
	unchanged("\\120n--mnchen-3ya.example"); /* \DDD for 'x' */
	unchanged("xn--mnchen-3ya\\");           /* a trailing backslash */
	/* Would decode (to "mnch\\101n" and U+00D6), but holds an escape, so it is kept. */
	unchanged("xn--mnch\\101n-3ya.example");
	check("xn--mnchen-3ya.a\\.b.", "münchen.a\\.b.", 1);
	/* The escaped dot does not end the label, so "xn--..." after it is not a label start. */
	unchanged("a\\.xn--mnchen-3ya.example");
	check("a\\\\.xn--mnchen-3ya", "a\\\\.münchen", 1); /* an escaped backslash, then a dot */
}

static void display_form(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_buf_init(&b);
	const char *n = "xn--mnchen-3ya.example";
	tl_idna_display(n, strlen(n), &b);
	assert_string_equal(b.data, "münchen.example (xn--mnchen-3ya.example)");
	/* Appends; a length shorter than the string (the prose drops the root dot). */
	tl_buf_clear(&b);
	tl_buf_puts(&b, "name: ");
	n = "xn--mnchen-3ya.example.";
	tl_idna_display(n, strlen(n) - 1, &b);
	assert_string_equal(b.data, "name: münchen.example (xn--mnchen-3ya.example)");
	tl_buf_clear(&b);
	n = "www.example.com.";
	tl_idna_display(n, strlen(n), &b);
	assert_string_equal(b.data, "www.example.com.");
	tl_buf_clear(&b);
	n = "xn--abc-.example";
	tl_idna_display(n, strlen(n), &b);
	assert_string_equal(b.data, "xn--abc-.example");
	tl_buf_free(&b);
	/* An empty name still leaves a string in a fresh buffer. */
	tl_buf_init(&b);
	tl_idna_display("", 0, &b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	tl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3492_samples_as_labels),
		cmocka_unit_test(names_of_several_labels),
		cmocka_unit_test(invalid_labels_stay),
		cmocka_unit_test(idna2008_validation),
		cmocka_unit_test(escaped_labels_stay),
		cmocka_unit_test(display_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
