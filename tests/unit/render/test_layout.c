/* test_layout.c - wrapping (DNS names, Cyrillic, over-long words), elision, tables broken
 * across pages with repeated headers. The number and date formats: test_fmt.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report/layout.h"
#include "util/buf.h"
#include "util/error.h"

/* A monospaced measure: every character (a valid UTF-8 sequence, or a stray byte) is
 * size/10 points wide, so at size 10 a width of N holds N characters. */
static int measure_calls;
static double mono(void *ud, const char *s, size_t len, int font, double size)
{
	size_t i = 0, n = 0;

	(void)ud;
	(void)font;
	measure_calls++;
	while (i < len) {
		size_t k = tl_utf8_len((const unsigned char *)s + i, len - i);
		i += k ? k : 1;
		n++;
	}
	return (double)n * size / 10.0;
}

static const tl_font_t F = {mono, NULL, 0, 10.0, NULL, NULL};

static char *line_text(const char *text, const tl_line_t *l)
{
	char *s = malloc(l->len + 1);
	memcpy(s, text + l->off, l->len);
	s[l->len] = '\0';
	return s;
}

static void expect_line(const char *text, const tl_lines_t *ls, size_t i, const char *want,
			int mark)
{
	char *s;

	assert_true(i < ls->n);
	s = line_text(text, &ls->v[i]);
	assert_string_equal(s, want);
	assert_int_equal(ls->v[i].mark, mark);
	free(s);
}

static void test_wrap_words(void **state)
{
	const char *t = "the quick brown fox jumps";
	tl_lines_t ls;

	(void)state;
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, t, strlen(t), 10, &ls), TL_OK);
	assert_int_equal(ls.n, 3);
	expect_line(t, &ls, 0, "the quick", TL_MARK_NONE);
	expect_line(t, &ls, 1, "brown fox", TL_MARK_NONE);
	expect_line(t, &ls, 2, "jumps", TL_MARK_NONE);
	assert_true(ls.v[0].width == 9.0);
	tl_lines_free(&ls);

	/* Exactly the width fits; hard breaks, CRLF, an empty paragraph, leading spaces kept. */
	t = "  ab cd\r\n\nefghij klmn   ";
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, t, strlen(t), 7, &ls), TL_OK);
	assert_int_equal(ls.n, 4);
	expect_line(t, &ls, 0, "  ab cd", TL_MARK_NONE);
	expect_line(t, &ls, 1, "", TL_MARK_NONE);
	expect_line(t, &ls, 2, "efghij", TL_MARK_NONE);
	expect_line(t, &ls, 3, "klmn", TL_MARK_NONE);
	tl_lines_free(&ls);

	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(NULL, t, strlen(t), 7, &ls), TL_EINVAL);
	assert_int_equal(tl_layout_wrap(&F, t, strlen(t), NAN, &ls), TL_EINVAL);
	assert_int_equal(tl_layout_wrap(&F, "", 0, 7, &ls), TL_OK);
	assert_int_equal(ls.n, 1);
	assert_int_equal(ls.v[0].len, 0);
	tl_lines_free(&ls);
}

/* Every line is within width and joined (marks removed) gives back the text. */
static void check_lossless(const char *t, const tl_lines_t *ls, double width)
{
	tl_buf_t b;

	tl_buf_init(&b);
	for (size_t i = 0; i < ls->n; i++) {
		assert_true(ls->v[i].width <= width);
		assert_int_equal(ls->v[i].overfull, 0);
		tl_buf_append(&b, t + ls->v[i].off, ls->v[i].len);
		/* never cut inside a multi-byte character */
		assert_true(ls->v[i].off + ls->v[i].len == strlen(t) ||
			    ((unsigned char)t[ls->v[i].off + ls->v[i].len] & 0xC0) != 0x80);
		if (i + 1 < ls->n)
			assert_int_equal(ls->v[i].mark, TL_MARK_CONT);
	}
	assert_int_equal(ls->v[ls->n - 1].mark, TL_MARK_NONE);
	assert_string_equal(b.data, t);
	tl_buf_free(&b);
}

static void test_wrap_dns_name(void **state)
{
	char name[254];
	tl_lines_t ls;
	size_t n = 0;

	(void)state;
	tl_lines_init(&ls);
	/* 253 characters: labels "host-NN-abcdefghijk" (19) with dots, the longest name DNS
	 * allows in text form (RFC 1035 section 2.3.4: 255 octets on the wire). */
	for (int i = 0; n < 253; i++) {
		char lab[32];
		int k = snprintf(lab, sizeof(lab), "%shost-%02d-abcdefghijk", i ? "." : "", i);
		for (int j = 0; j < k && n < 253; j++)
			name[n++] = lab[j];
	}
	name[n] = '\0';
	assert_int_equal(strlen(name), 253);

	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, name, n, 50, &ls), TL_OK);
	check_lossless(name, &ls, 50);
	/* breaks after the last '.' that fits (with the mark): 2 labels + dot = 40 chars,
	 * 3 labels would be 60 */
	assert_true(ls.n >= 6);
	for (size_t i = 0; i + 1 < ls.n; i++) {
		assert_int_equal(name[ls.v[i].off + ls.v[i].len - 1], '.');
		assert_int_equal(ls.v[i].len, 40);
	}
	assert_string_equal(tl_layout_mark(&F, ls.v[0].mark), "\xe2\x86\xa9");
	tl_lines_free(&ls);

	/* A width where the last dot would leave the line less than half full: break at the
	 * last '-' instead (after "host-00-" is 8, after the dot 20 of 22). */
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, name, n, 22, &ls), TL_OK);
	check_lossless(name, &ls, 22);
	expect_line(name, &ls, 0, "host-00-abcdefghijk.", TL_MARK_CONT);
	tl_lines_free(&ls);
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, name, n, 18, &ls), TL_OK);
	check_lossless(name, &ls, 18);
	expect_line(name, &ls, 0, "host-00-", TL_MARK_CONT);
	tl_lines_free(&ls);

	/* A 63-character label has no '.' or '-': broken anywhere, 9 characters + mark. */
	memset(name, 'x', 63);
	name[63] = '\0';
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, name, 63, 10, &ls), TL_OK);
	check_lossless(name, &ls, 10);
	assert_int_equal(ls.n, 7);
	assert_int_equal(ls.v[0].len, 9);
	assert_true(ls.v[0].width == 10.0);
	tl_lines_free(&ls);
}

#define POLAR "\xd0\x9f\xd0\xbe\xd0\xbb\xd1\x8f\xd1\x80\xd0\xbd\xd1\x8b\xd0\xb9" /* Полярный */
#define BANK "\xd0\x91\xd0\xb0\xd0\xbd\xd0\xba"                                 /* Банк */

static void test_wrap_cyrillic(void **state)
{
	const char *t = "\xd0\x90\xd0\x9e \xc2\xab" BANK " " POLAR "\xc2\xbb " BANK;
	/* "АО «Банк Полярный» Банк" */
	tl_lines_t ls;

	(void)state;
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, t, strlen(t), 9, &ls), TL_OK);
	assert_int_equal(ls.n, 3);
	expect_line(t, &ls, 0, "\xd0\x90\xd0\x9e \xc2\xab" BANK, TL_MARK_NONE); /* АО «Банк */
	expect_line(t, &ls, 1, POLAR "\xc2\xbb", TL_MARK_NONE);                /* Полярный» */
	assert_int_equal(ls.v[1].overfull, 0);
	expect_line(t, &ls, 2, BANK, TL_MARK_NONE);
	tl_lines_free(&ls);

	/* The word wider than the line: 4 letters (8 bytes) + mark per line, never half a
	 * letter. */
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, POLAR, strlen(POLAR), 5, &ls), TL_OK);
	assert_int_equal(ls.n, 2);
	expect_line(POLAR, &ls, 0, "\xd0\x9f\xd0\xbe\xd0\xbb\xd1\x8f", TL_MARK_CONT);
	expect_line(POLAR, &ls, 1, "\xd1\x80\xd0\xbd\xd1\x8b\xd0\xb9", TL_MARK_NONE);
	check_lossless(POLAR, &ls, 5);
	tl_lines_free(&ls);
}

static void test_wrap_narrow(void **state)
{
	const char *bad = "ab\xff\xfe" "cd";
	tl_lines_t ls;

	(void)state;
	/* Narrower than one character: one character a line, flagged, and it ends. */
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, "abc", 3, 0.5, &ls), TL_OK);
	assert_int_equal(ls.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(ls.v[i].len, 1);
		assert_int_equal(ls.v[i].overfull, 1);
	}
	assert_int_equal(ls.v[0].mark, TL_MARK_CONT);
	assert_int_equal(ls.v[2].mark, TL_MARK_NONE);
	tl_lines_free(&ls);

	/* Invalid bytes count as one character each and never stop the wrap. */
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, bad, strlen(bad), 4, &ls), TL_OK);
	assert_int_equal(ls.n, 2);
	assert_int_equal(ls.v[0].len, 3);
	assert_int_equal(ls.v[1].len, 3);
	tl_lines_free(&ls);
}

static void test_wrap_long_word_lines(void **state)
{
	const char *t = "see averyveryverylongword now";
	tl_lines_t ls;

	(void)state;
	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, t, strlen(t), 8, &ls), TL_OK);
	/* "averyveryverylongword" (21) moves to its own line and breaks 7 + mark at a time;
	 * its tail shares a line with the next word when that fits. */
	assert_int_equal(ls.n, 5);
	expect_line(t, &ls, 0, "see", TL_MARK_NONE);
	expect_line(t, &ls, 1, "averyve", TL_MARK_CONT);
	expect_line(t, &ls, 2, "ryveryl", TL_MARK_CONT);
	expect_line(t, &ls, 3, "ongword", TL_MARK_NONE);
	expect_line(t, &ls, 4, "now", TL_MARK_NONE);
	tl_lines_free(&ls);

	tl_lines_init(&ls);
	assert_int_equal(tl_layout_wrap(&F, "abcdefghij xy", 13, 6, &ls), TL_OK);
	assert_int_equal(ls.n, 3);
	expect_line("abcdefghij xy", &ls, 0, "abcde", TL_MARK_CONT);
	expect_line("abcdefghij xy", &ls, 1, "fghij", TL_MARK_NONE); /* "fghij xy" is 8 */
	expect_line("abcdefghij xy", &ls, 2, "xy", TL_MARK_NONE);
	tl_lines_free(&ls);
}

static void test_elide(void **state)
{
	const char *t = "mail.example.org";
	size_t keep = 99;

	(void)state;
	assert_int_equal(tl_layout_elide(&F, t, strlen(t), 16, &keep), 0);
	assert_int_equal(keep, 16);
	assert_int_equal(tl_layout_elide(&F, t, strlen(t), 8, &keep), 1);
	assert_int_equal(keep, 7); /* "mail.ex" + "…" = 8 */
	assert_int_equal(tl_layout_elide(&F, "ab cd", 5, 4, &keep), 1);
	assert_int_equal(keep, 2); /* "ab" (the space before the cut dropped) + "…" */
	assert_int_equal(tl_layout_elide(&F, "ab\ncd", 5, 10, &keep), 1);
	assert_int_equal(keep, 2); /* only the first line shown, and marked */
	assert_int_equal(tl_layout_elide(&F, POLAR, strlen(POLAR), 4, &keep), 1);
	assert_int_equal(keep, 6); /* three letters of two bytes */
	assert_int_equal(tl_layout_elide(&F, "abc", 3, 0.5, &keep), 1);
	assert_int_equal(keep, 0);
}

static void test_table_widths(void **state)
{
	const tl_table_col_t cols[4] = {
		{TL_COL_FIXED, 20, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_FIT, 0, 6, 14, TL_CELL_ELIDE, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_PROP, 1, 5, 0, TL_CELL_WRAP, 2, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_PROP, 3, 5, 0, TL_CELL_WRAP, 0, TL_ALIGN_RIGHT, TL_SPAN_NONE},
	};
	const char *head[4] = {"Name", "Organisation name", "Note", "Lookups"};
	const char *cells[2 * 4] = {
		"a.example", "ACME", "one two three four five six seven eight", "3,511",
		"b", "Very Long Organisation Name Ltd", NULL, "12",
	};
	tl_table_spec_t sp = {&F, &F, 1.0, 1, 1, 100, 4, cols, head, 2, cells, 0};
	tl_table_t t;

	(void)state;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_true(t.col_w[0] == 20);
	/* FIT: widest body line 31 + 2 > max 14 -> 14 (header words: "Organisation" 12) */
	assert_true(t.col_w[1] == 14);
	/* PROP: 100 - 34 = 66 shared 1:3 */
	assert_true(fabs(t.col_w[2] - 16.5) < 1e-9);
	assert_true(fabs(t.col_w[3] - 49.5) < 1e-9);
	assert_true(fabs(t.width - 100) < 1e-9);
	/* header "Organisation name" wraps in 12 inner points: 2 lines of 10 + padding */
	assert_int_equal(t.head[1].lines.n, 2);
	assert_true(t.head_h == 22.0);
	/* elided cell: 12 inner points hold 11 characters and "…" */
	assert_int_equal(t.cells[4 + 1].lines.n, 1);
	assert_int_equal(t.cells[4 + 1].lines.v[0].len, 11);
	assert_int_equal(t.cells[4 + 1].lines.v[0].mark, TL_MARK_ELIDE);
	assert_int_equal(t.cells[1].lines.v[0].mark, TL_MARK_NONE);
	/* max_lines 2: three lines in 14.5 points cut to two, the rest elided into the last */
	assert_int_equal(t.cells[2].lines.n, 2);
	assert_int_equal(t.cells[2].lines.v[0].mark, TL_MARK_NONE);
	assert_int_equal(t.cells[2].lines.v[0].len, 13); /* "one two three" */
	assert_int_equal(t.cells[2].lines.v[1].mark, TL_MARK_ELIDE);
	assert_int_equal(t.cells[2].lines.v[1].len, 13); /* "four five six" + "…" */
	assert_true(t.cells[2].lines.v[1].width == 14.0);
	assert_true(t.row_h[0] == 22.0);
	assert_true(t.row_h[1] == 12.0);
	tl_table_free(&t);

	/* Too narrow: FIT columns shrink towards their min first ... */
	sp.width = 40; /* 20 + 14 + 2 * 5 = 44: FIT 14 -> 10, PROP at their min 5 */
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_true(fabs(t.col_w[1] - 10) < 1e-9);
	assert_true(fabs(t.col_w[2] - 5) < 1e-9);
	assert_true(fabs(t.col_w[3] - 5) < 1e-9);
	assert_true(fabs(t.width - 40) < 1e-9);
	tl_table_free(&t);
	/* ... and when that is not enough the layout says so. */
	sp.width = 30;
	assert_int_equal(tl_table_layout(&sp, &t), TL_EINVAL);
	tl_table_free(&t);
}

static void test_table_pages(void **state)
{
	enum { N = 12 };
	const tl_table_col_t cols[2] = {
		{TL_COL_FIXED, 10, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_PROP, 1, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
	};
	const char *head[2] = {"Day", "Lookups"};
	const char *cells[N * 2];
	char tall[128];
	tl_table_spec_t sp = {&F, &F, 1.0, 1, 1, 30, 2, cols, head, N, cells, 0};
	tl_table_t t;
	tl_table_page_t *pg;
	size_t np, covered = 0;

	(void)state;
	/* row heights: 1 line (12) except row 5 with 3 lines (32) and row 9 with 9 (92) */
	memset(tall, 0, sizeof(tall));
	for (int i = 0; i < 9; i++)
		memcpy(tall + i * 11, "abcdefghij ", i < 8 ? 11 : 10);
	for (int i = 0; i < N; i++) {
		cells[i * 2] = "d";
		cells[i * 2 + 1] = "1";
	}
	cells[5 * 2] = "aaaa bbbb cccc";
	cells[9 * 2 + 1] = tall;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_true(t.head_h == 12);
	assert_true(t.row_h[0] == 12);
	assert_true(t.row_h[5] == 32);
	assert_true(t.row_h[9] == 92);

	/* 30 points left on this page (header + 1 row), 60 on each fresh page. */
	assert_int_equal(tl_table_paginate(&t, 30, 60, &pg, &np), TL_OK);
	assert_int_equal(np, 6);
	assert_int_equal(pg[0].first, 0);
	assert_int_equal(pg[0].count, 1);
	assert_int_equal(pg[1].first, 1);
	assert_int_equal(pg[1].count, 4); /* 12 + 4 * 12 = 60 */
	assert_int_equal(pg[2].first, 5);
	assert_int_equal(pg[2].count, 2); /* 12 + 32 + 12 = 56 */
	assert_int_equal(pg[3].first, 7);
	assert_int_equal(pg[3].count, 2);
	assert_int_equal(pg[4].first, 9);
	assert_int_equal(pg[5].first, 10);
	assert_int_equal(pg[5].count, 2);
	for (size_t i = 0; i < np; i++) {
		double h = t.head_h; /* the header is repeated on every page */
		for (size_t r = pg[i].first; r < pg[i].first + pg[i].count; r++)
			h += t.row_h[r];
		if (!pg[i].overfull)
			assert_true(h <= (i == 0 ? 30 : 60));
		assert_int_equal(pg[i].first, covered);
		covered += pg[i].count;
	}
	assert_int_equal(covered, N);
	/* the 92-point row does not fit a 60-point page: alone, flagged */
	for (size_t i = 0; i < np; i++)
		if (pg[i].first == 9) {
			assert_int_equal(pg[i].count, 1);
			assert_int_equal(pg[i].overfull, 1);
		} else {
			assert_int_equal(pg[i].overfull, 0);
		}
	free(pg);

	/* Not even the header and one row fit here: an empty first entry (new page). */
	assert_int_equal(tl_table_paginate(&t, 20, 60, &pg, &np), TL_OK);
	assert_int_equal(pg[0].count, 0);
	assert_int_equal(pg[1].first, 0);
	assert_int_equal(pg[1].count, 4);
	free(pg);
	assert_int_equal(tl_table_paginate(&t, 20, 0, &pg, &np), TL_EINVAL);
	tl_table_free(&t);

	/* No rows: one page with the header alone. */
	sp.nrows = 0;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_int_equal(tl_table_paginate(&t, 100, 100, &pg, &np), TL_OK);
	assert_int_equal(np, 1);
	assert_int_equal(pg[0].count, 0);
	free(pg);
	tl_table_free(&t);
}

/* Whole-word tables (min_size > 0): a name too wide for its column is set smaller in steps,
 * down to min_size; one that does not fit even then is lifted onto a line of its own above
 * its row; a 253-character name (the longest DNS name) is set smaller than min_size there,
 * on one line, never broken. */
static void test_table_whole_words(void **state)
{
	const tl_table_col_t cols[2] = {
		{TL_COL_FIT, 0, 0, 30, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_PROP, 1, 5, 0, TL_CELL_WRAP, 0, TL_ALIGN_RIGHT, TL_SPAN_NONE},
	};
	const char *head[2] = {"Name", "Value"};
	char n40[41], n50[51], n253[254];
	memset(n40, 'a', 40);
	n40[9] = n40[19] = n40[29] = n40[39] = '.';
	n40[40] = '\0';
	memset(n50, 'b', 50);
	n50[24] = n50[49] = '.';
	n50[50] = '\0';
	/* four labels: 63 + 63 + 63 + 61 characters and three dots */
	memset(n253, 'c', 253);
	n253[63] = n253[127] = n253[191] = '.';
	n253[253] = '\0';
	const char *cells[4 * 2] = {
		"a.example.", "12,345", n40, "1", n253, "7", n50, "2",
	};
	tl_table_spec_t sp = {&F, &F, 1.0, 1, 1, 60, 2, cols, head, 4, cells, 6.5};
	tl_table_t t;

	(void)state;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	/* needs: Name 12 (its words wider than its max 30 do not count), Value 8: size 10 */
	assert_true(t.size == 10.0 && t.head_size == 10.0);
	assert_true(t.col_w[0] == 30.0);
	assert_true(t.col_w[1] == 30.0);
	assert_true(t.width == 60.0);
	/* fits its column as it is */
	assert_true(t.cells[0].size == 10.0);
	assert_int_equal(t.cells[0].place, TL_PLACE_COLUMN);
	/* 40 characters in 28 points: 7 pt (10, 9.5, ... 7.5 are too wide), in its column */
	assert_true(t.cells[2].size == 7.0);
	assert_int_equal(t.cells[2].place, TL_PLACE_COLUMN);
	assert_int_equal(t.cells[2].lifted, 0);
	assert_int_equal(t.cells[2].lines.n, 1);
	assert_int_equal(t.cells[2].lines.v[0].len, 40);
	assert_int_equal(t.cells[2].lines.v[0].mark, TL_MARK_NONE);
	assert_true(t.row_h[1] == 1 + 10 + 1); /* the other cell's line is the taller */
	/* 253 characters: not in 28 points at 6.5 (164.45), nor in the 58 of the whole width;
	 * lifted and set at the size at which they just fit, in hundredths: 2.29 pt */
	const tl_table_cell_t *c = &t.cells[4];
	assert_int_equal(c->lifted, 1);
	assert_int_equal(c->place, TL_PLACE_ABOVE);
	assert_true(c->x == 0 && c->w == 60.0);
	assert_true(fabs(c->size - 2.29) < 1e-9);
	assert_int_equal(c->lines.n, 1);
	assert_int_equal(c->lines.v[0].len, 253);
	assert_int_equal(c->lines.v[0].mark, TL_MARK_NONE);
	assert_true(c->lines.v[0].width <= 58.0);
	/* above the row's other cells: the value's line starts below it */
	assert_true(c->y == 1.0);
	assert_true(fabs(t.cells[5].y - (1 + 2.29)) < 1e-9);
	assert_int_equal(t.cells[5].place, TL_PLACE_COLUMN);
	assert_true(fabs(t.row_h[2] - (1 + 2.29 + 10 + 1)) < 1e-9);
	/* 50 characters: not in the column even at 6.5 (32.5 > 28), but in the whole width
	 * at the table's size */
	assert_int_equal(t.cells[6].lifted, 1);
	assert_true(t.cells[6].size == 10.0);
	assert_int_equal(t.cells[6].lines.n, 1);
	tl_table_free(&t);

	/* The same as legacy layout (min_size 0): the long names are broken, with the mark. */
	sp.min_size = 0;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_int_equal(t.cells[4].lifted, 0);
	assert_true(t.cells[4].lines.n > 1);
	assert_int_equal(t.cells[4].lines.v[0].mark, TL_MARK_CONT);
	tl_table_free(&t);
}

/* The whole table is set smaller, in steps, until the columns' words fit; when they do not
 * fit even at min_size, the table still lays out, no word broken. */
static void test_table_whole_size(void **state)
{
	const tl_table_col_t cols[3] = {
		{TL_COL_FIT, 0, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_FIT, 0, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_PROP, 1, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
	};
	const char *head[3] = {"A", "B", "C"};
	const char *cells[3] = {"abcdefghij", "0123456789", "2001:db8::1"};
	tl_table_spec_t sp = {&F, &F, 1.0, 1, 1, 33, 3, cols, head, 1, cells, 6.5};
	tl_table_t t;

	(void)state;
	/* needs at 10: 12 + 12 + 13 = 37; at 9: 11 + 11 + 11.9 = 33.9; at 8.5: 32.35 <= 33 */
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_true(t.size == 8.5);
	assert_true(t.head_size == 8.5);
	for (size_t c = 0; c < 3; c++) {
		assert_true(t.cells[c].size == 8.5);
		assert_int_equal(t.cells[c].lines.n, 1);
		assert_int_equal(t.cells[c].place, TL_PLACE_COLUMN);
	}
	tl_table_free(&t);

	/* 24 points (half: 12): even at 6.5 the needs (8.5 + 8.5 + 9.15) do not fit; every
	 * column shrinks towards its min, and each word is set smaller or lifted, never
	 * broken. */
	sp.width = 24;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_true(t.size == 6.5);
	assert_true(fabs(t.width - 24) < 1e-9);
	for (size_t c = 0; c < 3; c++) {
		const tl_table_cell_t *x = &t.cells[c];
		assert_int_equal(x->lines.n, 1);
		assert_int_equal(x->lines.v[0].mark, TL_MARK_NONE);
		assert_int_equal(x->lines.v[0].len, strlen(cells[c]));
		assert_true(x->lines.v[0].width <= x->w - 2 + 1e-9);
	}
	tl_table_free(&t);

	/* 20 points: each word is wider than half the table, so none counts (they are the
	 * outliers): the table stays at 10 pt and each word is set smaller or lifted. */
	sp.width = 20;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_true(t.size == 10);
	assert_true(fabs(t.width - 20) < 1e-9);
	for (size_t c = 0; c < 3; c++) {
		const tl_table_cell_t *x = &t.cells[c];
		assert_int_equal(x->lines.n, 1);
		assert_int_equal(x->lines.v[0].mark, TL_MARK_NONE);
		assert_int_equal(x->lines.v[0].len, strlen(cells[c]));
		assert_true(x->lines.v[0].width <= x->w - 2 + 1e-9);
	}
	tl_table_free(&t);
}

/* Span columns: each of their cells (the header's too) on a line of its own across the
 * table, above or below the row's other cells. */
static void test_table_span(void **state)
{
	const tl_table_col_t cols[3] = {
		{TL_COL_FIT, 0, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_ABOVE},
		{TL_COL_PROP, 1, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_NONE},
		{TL_COL_FIT, 0, 0, 0, TL_CELL_WRAP, 0, TL_ALIGN_LEFT, TL_SPAN_BELOW},
	};
	const char *head[3] = {"Name", "Count", "SHA-256"};
	const char *cells[3] = {"mail1.quayside-email.example.", "3",
				"3c07161f18eb1b6ad83cceed1c785994"};
	tl_table_spec_t sp = {&F, &F, 1.0, 1, 1, 40, 3, cols, head, 1, cells, 6.5};
	tl_table_t t;

	(void)state;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	assert_true(t.col_w[0] == 0 && t.col_w[2] == 0);
	assert_true(t.col_w[1] == 40);
	assert_true(t.width == 40);
	assert_int_equal(t.head[0].place, TL_PLACE_ABOVE);
	assert_int_equal(t.head[1].place, TL_PLACE_COLUMN);
	assert_int_equal(t.head[2].place, TL_PLACE_BELOW);
	assert_true(t.head[0].y == 1 && t.head[1].y == 11 && t.head[2].y == 21);
	assert_true(t.head_h == 32);
	/* 29 characters fit the 38 inner points at 10 pt; 32 digits too */
	assert_true(t.cells[0].size == 10 && t.cells[0].w == 40 && t.cells[0].x == 0);
	assert_int_equal(t.cells[0].lifted, 0);
	assert_true(t.cells[2].size == 10);
	assert_int_equal(t.cells[2].lines.n, 1);
	assert_true(t.row_h[0] == 32);
	tl_table_free(&t);

	/* a span cell too wide for the table at 10 pt is set smaller, whole */
	sp.width = 25;
	assert_int_equal(tl_table_layout(&sp, &t), TL_OK);
	/* 23 inner points: 29 characters are 23.2 points at 8 pt, 21.75 at 7.5 */
	assert_true(t.cells[0].size == 7.5);
	assert_int_equal(t.cells[0].lines.n, 1);
	tl_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_words),
		cmocka_unit_test(test_wrap_dns_name),
		cmocka_unit_test(test_wrap_cyrillic),
		cmocka_unit_test(test_wrap_narrow),
		cmocka_unit_test(test_wrap_long_word_lines),
		cmocka_unit_test(test_elide),
		cmocka_unit_test(test_table_widths),
		cmocka_unit_test(test_table_pages),
		cmocka_unit_test(test_table_whole_words),
		cmocka_unit_test(test_table_whole_size),
		cmocka_unit_test(test_table_span),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
