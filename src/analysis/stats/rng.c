/* rng.c - splitmix64 and xoshiro256**, from the authors' published descriptions. */
#include "analysis/stats/rng.h"

uint64_t tl_rng_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void tl_rng_seed(tl_rng_t *r, uint64_t seed)
{
	uint64_t st = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = tl_rng_splitmix64(&st);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t tl_rng_next(tl_rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint64_t tl_rng_below(tl_rng_t *r, uint64_t bound)
{
	if (bound == 0)
		return 0;
	/* (2^64 - bound) mod bound = 2^64 mod bound: the count of low values that would
	 * make r % bound favour small results. Rejecting them leaves an exact multiple of
	 * bound equally likely values. */
	uint64_t threshold = (0 - bound) % bound;
	for (;;) {
		uint64_t v = tl_rng_next(r);
		if (v >= threshold)
			return v % bound;
	}
}

double tl_rng_double(tl_rng_t *r)
{
	return (double)(tl_rng_next(r) >> 11) * 0x1.0p-53;
}

void tl_rng_shuffle(tl_rng_t *r, size_t *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)tl_rng_below(r, (uint64_t)i);
		size_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}
