/* rng.h - a seeded, platform-independent pseudo-random generator for permutation tests. */
#ifndef TL_ANALYSIS_STATS_RNG_H
#define TL_ANALYSIS_STATS_RNG_H

#include <stddef.h>
#include <stdint.h>

/*
 * xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * 2018/2021), seeded by splitmix64 (Steele, Lea & Flood 2014, as used by Vigna) from one
 * 64-bit seed. Only fixed-width unsigned integer arithmetic is used, so the same seed
 * gives the same sequence on every platform and compiler. Not for cryptography: it is
 * here so that a permutation test recorded with its seed can be re-run bit for bit.
 * The state is a plain value owned by the caller; nothing is allocated.
 */
typedef struct {
	uint64_t s[4];
} tl_rng_t;

/* One step of splitmix64: advances *state by 0x9e3779b97f4a7c15 and returns the mixed
 * value. Exposed for tests and for deriving sub-seeds. */
uint64_t tl_rng_splitmix64(uint64_t *state);

/* Seeds r with four successive splitmix64 outputs from seed (never the all-zero state,
 * since splitmix64 is a bijection of its counter and four zeros cannot follow). */
void tl_rng_seed(tl_rng_t *r, uint64_t seed);

/* Next 64 bits of xoshiro256**. */
uint64_t tl_rng_next(tl_rng_t *r);

/* Uniform integer in [0, bound), without modulo bias: draws below 2^64 mod bound are
 * rejected and redrawn (expected draws < 2). bound = 0 returns 0 without drawing. */
uint64_t tl_rng_below(tl_rng_t *r, uint64_t bound);

/* Uniform double in [0, 1): the top 53 bits times 2^-53, so every multiple of 2^-53 is
 * equally likely and 1.0 is never returned. */
double tl_rng_double(tl_rng_t *r);

/* Fisher-Yates (Durstenfeld) shuffle of a[0..n) with tl_rng_below: every permutation
 * equally likely. */
void tl_rng_shuffle(tl_rng_t *r, size_t *a, size_t n);

#endif
