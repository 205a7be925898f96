/* mkcase.h - shared pieces of the sample-case generator: PRNG, frames, output files. */
#ifndef MKCASE_H
#define MKCASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- deterministic randomness (xoshiro256**, seeded by splitmix64) ---- */
typedef struct mk_rng {
	uint64_t s[4];
} mk_rng_t;

void mk_rng_seed(mk_rng_t *r, uint64_t seed, uint64_t stream);
uint64_t mk_rng_u64(mk_rng_t *r);
double mk_rng_unit(mk_rng_t *r);                /* [0, 1) */
uint32_t mk_rng_below(mk_rng_t *r, uint32_t n); /* [0, n) */
double mk_rng_exp(mk_rng_t *r, double mean);    /* exponential, no libm */
double mk_log(double x);                        /* natural log, basic arithmetic only */
double mk_exp(double x);                        /* e^x for 0 <= x <= 16, likewise */

/* ---- addresses and frames ---- */
typedef struct mk_addr {
	int v6;
	uint8_t b[16]; /* IPv4 in the first 4 bytes */
} mk_addr_t;

int mk_addr_parse(const char *s, mk_addr_t *a);
void mk_addr_str(const mk_addr_t *a, char *out, size_t n);

/* Frame built into a malloc'd buffer (caller frees). Ethernet + IPv4/IPv6 + UDP or TCP,
 * with correct checksums. For TCP, flags/seq/ack are given and payload may be empty. */
typedef struct mk_l4 {
	int tcp;
	uint16_t sport, dport;
	uint8_t ttl;
	uint16_t ip_id;
	uint32_t seq, ack;
	uint8_t tcp_flags;
	const uint8_t *mac_src, *mac_dst;
} mk_l4_t;

#define MK_TCP_FIN 0x01
#define MK_TCP_SYN 0x02
#define MK_TCP_PSH 0x08
#define MK_TCP_ACK 0x10

uint8_t *mk_frame(const mk_addr_t *src, const mk_addr_t *dst, const mk_l4_t *l4,
		  const uint8_t *payload, size_t plen, uint32_t *out_len);

/* ---- output files: plain or gzip (fixed header: mtime 0, OS 255) ---- */
extern int mk_gz_level; /* 9 (the sample's); mkcase --fast sets 1 (only 1 and 9) */
FILE *mk_out_open(const char *path, int gz);
int mk_out_close(FILE *f);

/* pcapng writer (libpcap 1.10 cannot write pcapng) */
void mk_pcapng_header(FILE *f, const char *if_name, const char *if_descr);
void mk_pcapng_packet(FILE *f, int64_t ts_us, const uint8_t *data, uint32_t len);
void mk_pcapng_stats(FILE *f, int64_t ts_us, int64_t start_us, int64_t end_us, uint64_t recv,
		     uint64_t drop);

#endif
