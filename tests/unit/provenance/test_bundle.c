/* test_bundle.c - the bundle's top folder, named after the case file. (Writing a bundle
 * is checked end to end by tests/provenance: members, listing, SHA256SUMS, verify.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "provenance/bundle.h"

static void root_named_after_the_case(void **state)
{
	(void)state;
	char root[TL_BUNDLE_ROOT_LEN];
	tl_bundle_root("samples/case.ini", root);
	assert_string_equal(root, "case");
	tl_bundle_root("/cases/SAMPLE-2016_001.v2.ini", root);
	assert_string_equal(root, "SAMPLE-2016_001");
	/* a name is kept to letters, digits, '-' and '_': it is a folder in every tar */
	tl_bundle_root("dir/m\xc3\xbcller case.ini", root);
	assert_string_equal(root, "m__ller_case");
	/* nothing left before the first '.': "case" */
	tl_bundle_root(".hidden.ini", root);
	assert_string_equal(root, "case");
	tl_bundle_root("", root);
	assert_string_equal(root, "case");
	/* cut to the buffer, never past it */
	char longname[600];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	tl_bundle_root(longname, root);
	assert_int_equal(strlen(root), TL_BUNDLE_ROOT_LEN - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_named_after_the_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
