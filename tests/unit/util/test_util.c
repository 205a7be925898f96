/* test_util.c - cursor, buffer escaping, JSON writer, arena, SHA-256 wrapper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/cursor.h"
#include "util/error.h"
#include "util/sha256.h"

static void cursor_reads_big_endian_and_stops_at_end(void **state)
{
	(void)state;
	const uint8_t data[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
	tl_cursor_t c;
	tl_cur_init(&c, data, sizeof(data));
	assert_int_equal(tl_cur_u16(&c), 0x1234);
	assert_int_equal(tl_cur_left(&c), 3);
	assert_int_equal(tl_cur_u32(&c), 0); /* only 3 bytes left: error, zero */
	assert_false(tl_cur_ok(&c));
	assert_int_equal(tl_cur_u8(&c), 0); /* error is sticky */
	assert_int_equal(tl_cur_left(&c), 0);
	tl_cur_init(&c, data, sizeof(data));
	tl_cur_skip(&c, 1);
	assert_int_equal(tl_cur_u32le(&c), 0x9a785634);
	assert_true(tl_cur_ok(&c));
	assert_null(tl_cur_ptr(&c, 1));
}

static void cursor_sub_is_clamped(void **state)
{
	(void)state;
	const uint8_t data[] = {1, 2, 3, 4};
	tl_cursor_t c, s;
	tl_cur_init(&c, data, sizeof(data));
	tl_cur_skip(&c, 1);
	s = tl_cur_sub(&c, 10);
	assert_int_equal(tl_cur_left(&s), 3);
	assert_false(tl_cur_ok(&c));
	assert_int_equal(tl_cur_u8(&s), 2);
	tl_cur_init(&c, data, sizeof(data));
	s = tl_cur_sub(&c, 2);
	assert_true(tl_cur_ok(&c));
	assert_int_equal(tl_cur_u16(&s), 0x0102);
	assert_int_equal(tl_cur_u16(&c), 0x0304);
	tl_cur_seek(&c, 5);
	assert_false(tl_cur_ok(&c));
}

static void json_writer_places_commas_and_escapes(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_buf_init(&b);
	tl_json_t j;
	tl_json_init(&j, &b, 0);
	tl_json_obj_begin(&j);
	tl_json_key(&j, "a");
	tl_json_u64(&j, 18446744073709551615ULL);
	tl_json_key(&j, "s");
	tl_json_strn(&j, "q\"\\\n\x01\xff\xc3\xa9", 8);
	tl_json_key(&j, "l");
	tl_json_arr_begin(&j);
	tl_json_i64(&j, -5);
	tl_json_null(&j);
	tl_json_bool(&j, 1);
	tl_json_fixed(&j, 0.125, 2);
	tl_json_arr_end(&j);
	tl_json_key(&j, "e");
	tl_json_obj_begin(&j);
	tl_json_obj_end(&j);
	tl_json_obj_end(&j);
	assert_string_equal(b.data, "{\"a\":18446744073709551615,\"s\":\"q\\\"\\\\\\n\\u0001\\ufffd\xc3\xa9\","
				    "\"l\":[-5,null,true,0.12],\"e\":{}}");
	tl_buf_free(&b);
}

static void json_pretty_output(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_buf_init(&b);
	tl_json_t j;
	tl_json_init(&j, &b, 1);
	tl_json_obj_begin(&j);
	tl_json_key(&j, "x");
	tl_json_arr_begin(&j);
	tl_json_u64(&j, 1);
	tl_json_arr_end(&j);
	tl_json_obj_end(&j);
	assert_string_equal(b.data, "{\n  \"x\": [\n    1\n  ]\n}");
	tl_buf_free(&b);
}

static void text_escaping_for_terminals(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_buf_init(&b);
	/* tab, newline, backslash, ESC, an invalid byte, a valid two-byte char, an overlong form */
	tl_buf_text_escaped(&b, "a\tb\nc\\\x1b\xfe\xd0\x96\xc0\xaf", 12);
	assert_string_equal(b.data, "a\\tb\\nc\\\\\\x1b\\xfe\xd0\x96\\xc0\\xaf");
	tl_buf_free(&b);
}

static void numbers_and_printf(void **state)
{
	(void)state;
	tl_buf_t b;
	tl_buf_init(&b);
	tl_buf_i64(&b, INT64_MIN);
	tl_buf_putc(&b, ' ');
	tl_buf_u64(&b, 0);
	tl_buf_printf(&b, " %s-%03d", "x", 7);
	assert_string_equal(b.data, "-9223372036854775808 0 x-007");
	tl_buf_free(&b);
}

/* Shortest decimals that read back exactly: what the CSV tables write. */
static void doubles_round_trip_in_shortest_form(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *s;
	} cases[] = {
		{0.1, "0.1"},	{0.25, "0.25"}, {1.0, "1"},	   {3511.0, "3511"},
		{-0.0, "0"},	{1e-05, "1e-05"}, {2587.0 / 3319.0, "0.7794516420608617"},
		{1.0 / 3.0, "0.3333333333333333"}, {0.1 + 0.2, "0.30000000000000004"},
		{-2.5, "-2.5"}, {1e300, "1e+300"}, {5e-324, "5e-324"},
	};
	tl_buf_t b;
	tl_buf_init(&b);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tl_buf_clear(&b);
		assert_int_equal(tl_buf_double(&b, cases[i].v), 0);
		assert_string_equal(b.data, cases[i].s);
		assert_true(strtod(b.data, NULL) == cases[i].v);
	}
	/* no decimal form: nothing written */
	tl_buf_clear(&b);
	assert_int_equal(tl_buf_double(&b, NAN), -1);
	assert_int_equal(tl_buf_double(&b, INFINITY), -1);
	assert_int_equal(tl_buf_double(&b, -INFINITY), -1);
	assert_int_equal(b.len, 0);
	/* every double of a sweep reads back bit for bit */
	uint64_t x = 0x9E3779B97F4A7C15u;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double v;
		memcpy(&v, &x, sizeof(v));
		if (!isfinite(v))
			continue;
		tl_buf_clear(&b);
		assert_int_equal(tl_buf_double(&b, v), 0);
		double back = strtod(b.data, NULL);
		assert_memory_equal(&back, v == 0 ? &(double){0} : &v, sizeof(v));
	}
	tl_buf_free(&b);
}

static void arena_allocations_are_aligned_and_survive_growth(void **state)
{
	(void)state;
	tl_arena_t a;
	tl_arena_init(&a, 64);
	char *s1 = tl_arena_strdup(&a, "hello");
	void *big = tl_arena_alloc(&a, 1000); /* larger than a block */
	char *s2 = tl_arena_strndup(&a, "worldwide", 5);
	memset(big, 0xab, 1000);
	assert_string_equal(s1, "hello");
	assert_string_equal(s2, "world");
	assert_int_equal((uintptr_t)big % _Alignof(max_align_t), 0);
	assert_int_equal((uintptr_t)s2 % _Alignof(max_align_t), 0);
	tl_arena_reset(&a);
	char *s3 = tl_arena_strdup(&a, "again");
	assert_string_equal(s3, "again");
	tl_arena_free(&a);
}

static void sha256_known_vectors(void **state)
{
	(void)state;
	uint8_t d[TL_SHA256_LEN];
	char hex[TL_SHA256_HEX_LEN];
	tl_sha256("abc", 3, d); /* FIPS 180-2 appendix B.1 */
	tl_sha256_hex(d, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	tl_sha256("", 0, d);
	tl_sha256_hex(d, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* incremental equals one-shot */
	tl_sha256_t *s = tl_sha256_new();
	tl_sha256_update(s, "a", 1);
	tl_sha256_update(s, "bc", 2);
	uint8_t d2[TL_SHA256_LEN];
	tl_sha256_final(s, d2);
	tl_sha256_free(s);
	tl_sha256("abc", 3, d);
	assert_memory_equal(d, d2, TL_SHA256_LEN);
}

/* A file's SHA-256 as tl_sha256 gives it for its bytes (across read chunks); a FIFO
 * is refused without blocking, a missing file says so. */
static void sha256_of_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/tl-test-sha.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64], fifo[64];
	snprintf(path, sizeof(path), "%s/f", dir);
	snprintf(fifo, sizeof(fifo), "%s/p", dir);
	size_t n = 200000;
	unsigned char *bytes = malloc(n);
	for (size_t i = 0; i < n; i++)
		bytes[i] = (unsigned char)(i * 7 + 3);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
	uint8_t d[TL_SHA256_LEN];
	char want[TL_SHA256_HEX_LEN], hex[TL_SHA256_HEX_LEN];
	tl_sha256(bytes, n, d);
	tl_sha256_hex(d, want);
	uint64_t size = 0;
	assert_int_equal(tl_sha256_file(path, &size, hex), 0);
	assert_int_equal(size, n);
	assert_string_equal(hex, want);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(tl_sha256_file(fifo, &size, hex), TL_EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tl_sha256_file(dir, &size, hex), TL_EINVAL);
	assert_int_equal(errno, EINVAL);
	unlink(path);
	assert_int_equal(tl_sha256_file(path, &size, hex), TL_ENOENT);
	assert_int_equal(errno, ENOENT);
	unlink(fifo);
	rmdir(dir);
	free(bytes);
}

static void error_strings(void **state)
{
	(void)state;
	assert_string_equal(tl_strerror(TL_ENOENT), "no such file or directory");
	assert_string_equal(tl_strerror(12345), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cursor_reads_big_endian_and_stops_at_end),
		cmocka_unit_test(cursor_sub_is_clamped),
		cmocka_unit_test(json_writer_places_commas_and_escapes),
		cmocka_unit_test(json_pretty_output),
		cmocka_unit_test(doubles_round_trip_in_shortest_form),
		cmocka_unit_test(text_escaping_for_terminals),
		cmocka_unit_test(numbers_and_printf),
		cmocka_unit_test(arena_allocations_are_aligned_and_survive_growth),
		cmocka_unit_test(sha256_known_vectors),
		cmocka_unit_test(sha256_of_files),
		cmocka_unit_test(error_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
