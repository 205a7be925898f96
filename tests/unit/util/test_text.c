/* test_text.c - what text from the files a case names may hold (RFC 3629 UTF-8, no
 * control characters but tab). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/text.h"

static int check(const char *s)
{
	return tl_text_check(s, strlen(s));
}

static void utf8_and_controls(void **state)
{
	(void)state;
	assert_int_equal(check(""), TL_TEXT_OK);
	assert_int_equal(check("plain ASCII\twith a tab"), TL_TEXT_OK);
	assert_int_equal(check("\xd0\x90\xd0\x9e \xc2\xab\xd0\x91\xd0\xb0\xd0\xbd\xd0\xba\xc2\xbb"),
			 TL_TEXT_OK);                                   /* АО «Банк» */
	assert_int_equal(check("\xf0\x9f\x98\x80"), TL_TEXT_OK);     /* U+1F600, 4 bytes */
	assert_int_equal(check("\xf4\x8f\xbf\xbf"), TL_TEXT_OK);     /* U+10FFFF, the last */
	assert_int_equal(check("line\nbreak"), TL_TEXT_CONTROL);
	assert_int_equal(check("\x7f"), TL_TEXT_CONTROL);            /* DEL */
	assert_int_equal(check("\xc2\x85"), TL_TEXT_CONTROL);        /* C1: NEL */
	assert_int_equal(check("\xc0\xaf"), TL_TEXT_BAD_UTF8);       /* overlong '/' */
	assert_int_equal(check("\xe0\x80\xaf"), TL_TEXT_BAD_UTF8);   /* overlong, 3 bytes */
	assert_int_equal(check("\xed\xa0\x80"), TL_TEXT_BAD_UTF8);   /* a surrogate */
	assert_int_equal(check("\xf4\x90\x80\x80"), TL_TEXT_BAD_UTF8); /* above U+10FFFF */
	assert_int_equal(check("\xd0"), TL_TEXT_BAD_UTF8);           /* cut short */
	assert_int_equal(check("\xff"), TL_TEXT_BAD_UTF8);
	/* the length given is the text: a NUL inside it is a control character */
	assert_int_equal(tl_text_check("a\0b", 3), TL_TEXT_CONTROL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_and_controls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
