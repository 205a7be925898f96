/* test_inspect.c - `tealeaves inspect`'s description of one input, as text and as JSON,
 * from a reader result made by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "render/text/inspect.h"
#include "util/error.h"
#include "util/time.h"

/* A pcapng of 10 frames with 7 anomalies of one kind (more than the positions kept). */
static void capture(tl_input_info_t *info)
{
	memset(info, 0, sizeof(*info));
	info->path = "cap\x01ture.pcapng"; /* a control character must not reach a terminal */
	info->format = TL_FORMAT_PCAPNG;
	info->gzip = 1;
	info->size = 1234;
	info->stats.frames = 10;
	info->stats.messages = 8;
	info->stats.queries = 5;
	info->stats.responses = 3;
	info->stats.udp = 7;
	info->stats.tcp = 1;
	info->stats.ipv4 = 6;
	info->stats.ipv6 = 2;
	info->stats.matched = 3;
	info->stats.unanswered = 2;
	info->stats.first_ts = 0;
	info->stats.last_ts = 1500000; /* 1.5 s */
	info->stats.linktypes[0] = 1; /* Ethernet */
	info->stats.n_linktypes = 1;
	info->stats.os_drops_known = 1;
	info->stats.os_drops = 4;
	info->anomalies.count[TL_AN_FRAME_TRUNCATED] = 7;
	for (int i = 0; i < TL_AN_FIRST_MAX; i++)
		info->anomalies.first[TL_AN_FRAME_TRUNCATED][i] = (uint64_t)(i + 1) * 2;
}

static void text(void **state)
{
	(void)state;
	tl_input_info_t info;
	capture(&info);
	tl_buf_t b;
	tl_buf_init(&b);
	tl_inspect_text(&b, &info);
	assert_non_null(strstr(b.data, "file:        cap\\x01ture.pcapng\n"));
	assert_non_null(strstr(b.data, "format:      pcapng (gzip-compressed)\n"));
	assert_non_null(strstr(b.data, "link types:  EN10MB\n"));
	assert_non_null(strstr(b.data, "size:        1234 bytes\n"));
	assert_non_null(strstr(b.data, "first:       1970-01-01T00:00:00"));
	assert_non_null(strstr(b.data, "frames:      10\n"));
	/* what the file does not record is not reported as nothing dropped */
	assert_non_null(strstr(b.data, "drops:       4 by the OS\n"));
	assert_non_null(strstr(b.data, "messages:    8 (queries 5, responses 3; udp 7, tcp 1; "
				       "ipv4 6, ipv6 2)\n"));
	assert_non_null(strstr(b.data, "matching:    3 responses matched, 2 queries unanswered, "
				       "0 responses without a query\n"));
	assert_non_null(strstr(b.data, "anomalies:   7\n"));
	/* the first positions kept, then "..." for the ones not kept */
	assert_non_null(strstr(b.data, "  frame_truncated               7  at frame 2, 4, 6, 8, "
				       "10, ...\n"));
	assert_null(strstr(b.data, "note:"));
	assert_int_equal(b.data[b.len - 1], '\n');
	tl_buf_free(&b);

	/* a text log counts lines, not frames, and has no link types or drops */
	info.format = TL_FORMAT_BIND;
	info.gzip = 0;
	info.stats.first_ts = info.stats.last_ts = TL_TIME_NONE;
	memset(&info.anomalies, 0, sizeof(info.anomalies));
	snprintf(info.error, sizeof(info.error), "stopped at line 3");
	tl_buf_init(&b);
	tl_inspect_text(&b, &info);
	assert_non_null(strstr(b.data, "lines:       10\n"));
	assert_non_null(strstr(b.data, "first:       -\nlast:        -\n"));
	assert_null(strstr(b.data, "link types:"));
	assert_null(strstr(b.data, "drops:"));
	assert_non_null(strstr(b.data, "anomalies:   0\nnote:        stopped at line 3\n"));
	tl_buf_free(&b);
}

static void json(void **state)
{
	(void)state;
	tl_input_info_t info;
	capture(&info);
	tl_buf_t b;
	tl_buf_init(&b);
	tl_json_t j;
	tl_json_init(&j, &b, 0);
	tl_inspect_json(&j, &info, TL_OK);
	assert_non_null(strstr(b.data, "\"status\":\"ok\""));
	assert_non_null(strstr(b.data, "\"frames\":10"));
	/* the interface's drops are not in the file: null, the OS's are */
	assert_non_null(strstr(b.data, "\"capture_drops\":{\"interface\":null,\"os\":4}"));
	assert_non_null(strstr(b.data, "\"kind\":\"frame_truncated\",\"count\":7,"
				       "\"first_positions\":[2,4,6,8,10]"));
	assert_non_null(strstr(b.data, "\"note\":null"));
	tl_buf_free(&b);

	/* a file that could not be read says why, in its status */
	info.format = TL_FORMAT_CSV;
	tl_buf_init(&b);
	tl_json_init(&j, &b, 0);
	tl_inspect_json(&j, &info, TL_EFORMAT);
	assert_non_null(strstr(b.data, "\"status\":\"not a capture or log format tealeaves reads\""));
	assert_non_null(strstr(b.data, "\"lines\":10"));
	assert_null(strstr(b.data, "capture_drops"));
	tl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text),
		cmocka_unit_test(json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
