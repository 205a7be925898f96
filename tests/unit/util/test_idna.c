/* test_idna.c - Punycode decoding (RFC 3492 section 7.1 samples), A-labels to U-labels
 * in presentation-form names, and the "U-label (A-label)" display form. */
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

/* RFC 3492 section 7.1, decoded to code points (the samples' own values). */
static void decode_gives_the_rfc_code_points(void **state)
{
	(void)state;
	static const uint32_t arabic[] = {0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628,
					  0x062A, 0x0643, 0x0644, 0x0645, 0x0648, 0x0634,
					  0x0639, 0x0631, 0x0628, 0x064A, 0x061F};
	static const uint32_t japanese[] = {0x0033, 0x5E74, 0x0042, 0x7D44,
					    0x91D1, 0x516B, 0x5148, 0x751F};
	uint32_t out[TL_IDNA_MAX_LABEL];
	size_t n = 99;
	const char *a = "egbpdaj6bu4bxfgehfvwxn";
	assert_int_equal(tl_idna_punycode_decode(a, strlen(a), out, TL_IDNA_MAX_LABEL, &n), TL_OK);
	assert_int_equal(n, sizeof(arabic) / sizeof(arabic[0]));
	assert_memory_equal(out, arabic, sizeof(arabic));
	const char *l = "3B-ww4c5e180e575a65lsy2b";
	assert_int_equal(tl_idna_punycode_decode(l, strlen(l), out, TL_IDNA_MAX_LABEL, &n), TL_OK);
	assert_int_equal(n, sizeof(japanese) / sizeof(japanese[0]));
	assert_memory_equal(out, japanese, sizeof(japanese));
	/* A code point above U+10FFFF decodes (the label check rejects it later). */
	assert_int_equal(tl_idna_punycode_decode("en32g", 5, out, TL_IDNA_MAX_LABEL, &n), TL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0x110000);
}

static void decode_errors(void **state)
{
	(void)state;
	uint32_t out[TL_IDNA_MAX_LABEL];
	size_t n = 99;
	const char *zz = "zzzzzzzzzzzzzzzzzzzzzzzz";
	assert_int_equal(tl_idna_punycode_decode(zz, strlen(zz), out, TL_IDNA_MAX_LABEL, &n),
			 TL_EFORMAT);
	assert_int_equal(tl_idna_punycode_decode("mnchen-3y", 9, out, TL_IDNA_MAX_LABEL, &n),
			 TL_EFORMAT); /* truncated */
	assert_int_equal(tl_idna_punycode_decode("mnchen-3y!", 10, out, TL_IDNA_MAX_LABEL, &n),
			 TL_EFORMAT); /* '!' is no digit */
	assert_int_equal(tl_idna_punycode_decode("m\xc3\xbc-3ya", 7, out, TL_IDNA_MAX_LABEL, &n),
			 TL_EFORMAT); /* non-basic before the delimiter */
	/* Leading delimiter: not consumed (nothing before it), so it is a bad digit. */
	assert_int_equal(tl_idna_punycode_decode("-3ya", 4, out, TL_IDNA_MAX_LABEL, &n),
			 TL_EFORMAT);
	/* Output bounded by the caller's array. */
	assert_int_equal(tl_idna_punycode_decode("mnchen-3ya", 10, out, 6, &n), TL_ELIMIT);
	assert_int_equal(tl_idna_punycode_decode("mnchen-3ya", 10, out, 7, &n), TL_OK);
	assert_int_equal(n, 7);
	/* Errors leave *outlen alone. */
	n = 99;
	assert_int_equal(tl_idna_punycode_decode("mnchen-3y", 9, out, TL_IDNA_MAX_LABEL, &n),
			 TL_EFORMAT);
	assert_int_equal(n, 99);
}

static void rfc3492_samples_as_labels(void **state)
{
	(void)state;
	check("xn--egbpdaj6bu4bxfgehfvwxn",
	      "\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639"
	      "\u0631\u0628\u064A\u061F",
	      1); /* (A) Arabic */
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
	/* Longer than 63 octets (RFC 1035 2.3.4): not decoded even though it would be. */
	unchanged("xn--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-y9f");
	/* Its decoding works when asked directly: 58 a and one u-umlaut. */
	uint32_t out[64];
	size_t n = 0;
	const char *longp = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-y9f";
	assert_int_equal(tl_idna_punycode_decode(longp, strlen(longp), out, 64, &n), TL_OK);
	assert_int_equal(n, 59);
	assert_int_equal(out[58], 0xfc);
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
		cmocka_unit_test(decode_gives_the_rfc_code_points),
		cmocka_unit_test(decode_errors),
		cmocka_unit_test(rfc3492_samples_as_labels),
		cmocka_unit_test(names_of_several_labels),
		cmocka_unit_test(invalid_labels_stay),
		cmocka_unit_test(escaped_labels_stay),
		cmocka_unit_test(display_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
