/* fuzz_textlog.c - libFuzzer harness for the text log readers.
 *
 * Input: [selector][text]. The selector's value mod 6 picks the format
 * (0: whatever tl_textlog_sniff guesses from the text); bit 6 reads the text
 * in every format instead; bit 7 caps lines at 64 bytes so that the
 * too-long path runs. The text is read through fmemopen. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "input/anomaly.h"
#include "input/record.h"
#include "input/log/textlog.h"

static void on_record(const tl_record_t *r, void *ud)
{
	(void)ud;
	fuzz_consume_record(r);
}

static void read_as(const char *text, size_t len, tl_textlog_format_t fmt, size_t max_line)
{
	tl_anomalies_t an;
	tl_textlog_stats_t st;

	/* glibc's fmemopen refuses a zero-sized buffer: an empty log is /dev/null. */
	FILE *f = len ? fmemopen((void *)(uintptr_t)text, len, "r") : fopen("/dev/null", "r");
	if (!f)
		return;
	memset(&an, 0, sizeof(an));
	memset(&st, 0, sizeof(st));
	(void)tl_textlog_read(f, fmt, 0, max_line, &an, &st, on_record, NULL);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	size_t max_line = (sel & 0x80) ? 64 : 65536;

	if (sel & 0x40) {
		for (int f = TL_TEXT_BIND; f <= TL_TEXT_TSV; f++)
			read_as(text, len, (tl_textlog_format_t)f, max_line);
		return 0;
	}
	tl_textlog_format_t fmt = (tl_textlog_format_t)((sel & 0x3f) % 6);
	if (fmt == TL_TEXT_UNKNOWN) {
		fmt = tl_textlog_sniff(text, len);
		(void)tl_textlog_format_name(fmt);
		if (fmt == TL_TEXT_UNKNOWN)
			return 0;
	}
	read_as(text, len, fmt, max_line);
	return 0;
}
