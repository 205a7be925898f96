/* num.c - floor division and checked decimal parsing. */
#include "util/num.h"
#include "util/error.h"

int64_t tl_num_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	/* truncation rounded up: the remainder is non-zero and the signs differ */
	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

int tl_num_parse_u64(const char *s, size_t len, uint64_t max, unsigned flags, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 20)
		return TL_EFORMAT;
	if ((flags & TL_NUM_NO_LEADING_ZEROS) && len > 1 && s[0] == '0')
		return TL_EFORMAT;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return TL_EFORMAT;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return TL_EFORMAT;
		v = v * 10 + d;
	}
	if (v > max)
		return TL_EFORMAT;
	*out = v;
	return TL_OK;
}
