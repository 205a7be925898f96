/* fuzz_dns.c - libFuzzer harness: the input is one DNS message for tl_dns_decode. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "input/anomaly.h"
#include "input/dns/dns.h"
#include "input/record.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tl_arena_t arena;
	static int init;
	tl_anomalies_t an;
	tl_record_t rec;

	if (!init) {
		tl_arena_init(&arena, 0);
		init = 1;
	}
	memset(&an, 0, sizeof(an));
	tl_record_init(&rec);
	if (tl_dns_decode(data, size, &rec, &arena, &an, 1) == 0)
		fuzz_consume_record(&rec);
	tl_arena_reset(&arena);
	return 0;
}
