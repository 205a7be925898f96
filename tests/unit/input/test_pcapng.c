/* test_pcapng.c - the pcapng reader on hand-built files: both byte orders, sections,
 * timestamp resolutions and offsets, SPB, ISB drop counts, broken framing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/capture/pcapng.h"
#include "util/error.h"
#include "util/time.h"

/* ---- a small pcapng writer ---- */

typedef struct file {
	uint8_t b[8192];
	size_t n;
	int le;
	size_t start; /* of the open block */
} file_t;

static void put8(file_t *f, uint8_t v)
{
	assert_true(f->n < sizeof(f->b));
	f->b[f->n++] = v;
}

static void put16(file_t *f, uint16_t v)
{
	if (f->le) {
		put8(f, (uint8_t)v);
		put8(f, (uint8_t)(v >> 8));
	} else {
		put8(f, (uint8_t)(v >> 8));
		put8(f, (uint8_t)v);
	}
}

static void put32(file_t *f, uint32_t v)
{
	if (f->le) {
		put16(f, (uint16_t)v);
		put16(f, (uint16_t)(v >> 16));
	} else {
		put16(f, (uint16_t)(v >> 16));
		put16(f, (uint16_t)v);
	}
}

static void put64(file_t *f, uint64_t v)
{
	if (f->le) {
		put32(f, (uint32_t)v);
		put32(f, (uint32_t)(v >> 32));
	} else {
		put32(f, (uint32_t)(v >> 32));
		put32(f, (uint32_t)v);
	}
}

static void put_bytes(file_t *f, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(f, ((const uint8_t *)p)[i]);
}

static void pad4(file_t *f)
{
	while (f->n % 4)
		put8(f, 0);
}

static void set32(file_t *f, size_t at, uint32_t v)
{
	size_t n = f->n;
	f->n = at;
	put32(f, v);
	f->n = n;
}

static void begin(file_t *f, uint32_t type)
{
	f->start = f->n;
	put32(f, type);
	put32(f, 0); /* length, set by end() */
}

/* Pads the body, writes the trailing length, and patches the leading one. */
static void end(file_t *f)
{
	pad4(f);
	uint32_t len = (uint32_t)(f->n - f->start + 4);
	put32(f, len);
	set32(f, f->start + 4, len);
}

static void opt(file_t *f, uint16_t code, const void *val, uint16_t len)
{
	put16(f, code);
	put16(f, len);
	put_bytes(f, val, len);
	pad4(f);
}

static void opt_u8(file_t *f, uint16_t code, uint8_t v)
{
	opt(f, code, &v, 1);
}

static void opt_u64(file_t *f, uint16_t code, uint64_t v)
{
	put16(f, code);
	put16(f, 8);
	put64(f, v);
}

static void endofopt(file_t *f)
{
	put32(f, 0);
}

static void shb(file_t *f, int le, uint16_t major)
{
	f->le = le;
	begin(f, 0x0A0D0D0A);
	put32(f, 0x1A2B3C4D);
	put16(f, major);
	put16(f, 0);
	put64(f, UINT64_MAX); /* section length -1 */
	end(f);
}

/* IDB with optional if_tsresol (tsresol >= 0) and if_tsoffset (has_off). */
static void idb(file_t *f, uint16_t linktype, uint32_t snaplen, int tsresol, int has_off,
		int64_t off)
{
	begin(f, 1);
	put16(f, linktype);
	put16(f, 0);
	put32(f, snaplen);
	opt(f, 2, "eth0", 4); /* if_name: skipped */
	if (tsresol >= 0)
		opt_u8(f, 9, (uint8_t)tsresol);
	if (has_off)
		opt_u64(f, 14, (uint64_t)off);
	endofopt(f);
	end(f);
}

static const uint8_t PKT[40] = {
	0x45, 0, 0, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
};

static void epb(file_t *f, uint32_t ifid, uint64_t ts, uint32_t caplen, uint32_t wirelen)
{
	begin(f, 6);
	put32(f, ifid);
	put32(f, (uint32_t)(ts >> 32));
	put32(f, (uint32_t)ts);
	put32(f, caplen);
	put32(f, wirelen);
	put_bytes(f, PKT, caplen <= sizeof(PKT) ? caplen : sizeof(PKT));
	pad4(f);
	opt_u64(f, 4, 0); /* epb_dropcount: options after the data are skipped */
	endofopt(f);
	end(f);
}

static void spb(file_t *f, uint32_t wirelen, size_t stored)
{
	begin(f, 3);
	put32(f, wirelen);
	put_bytes(f, PKT, stored);
	end(f);
}

static void pb(file_t *f, uint16_t ifid, uint64_t ts, uint32_t caplen)
{
	begin(f, 2);
	put16(f, ifid);
	put16(f, 0xFFFF);
	put32(f, (uint32_t)(ts >> 32));
	put32(f, (uint32_t)ts);
	put32(f, caplen);
	put32(f, caplen);
	put_bytes(f, PKT, caplen);
	end(f);
}

/* ISB with isb_ifdrop / isb_osdrop when not NULL. */
static void isb(file_t *f, uint32_t ifid, const uint64_t *ifdrop, const uint64_t *osdrop)
{
	begin(f, 5);
	put32(f, ifid);
	put32(f, 0);
	put32(f, 0);
	opt_u64(f, 4, 1000); /* isb_ifrecv: ignored */
	if (ifdrop)
		opt_u64(f, 5, *ifdrop);
	if (osdrop)
		opt_u64(f, 7, *osdrop);
	endofopt(f);
	end(f);
}

#define U64(v) (&(const uint64_t){(v)})

/* A timestamp option: upper 32 bits, then lower 32 bits (4.6). */
static void opt_ts(file_t *f, uint16_t code, uint64_t v)
{
	put16(f, code);
	put16(f, 8);
	put32(f, (uint32_t)(v >> 32));
	put32(f, (uint32_t)v);
}

/* ISB taken at `taken` with isb_starttime (when start >= 0) and isb_endtime (when
 * stop >= 0). */
static void isb_times(file_t *f, uint32_t ifid, uint64_t taken, int64_t start, int64_t stop)
{
	begin(f, 5);
	put32(f, ifid);
	put32(f, (uint32_t)(taken >> 32));
	put32(f, (uint32_t)taken);
	if (start >= 0)
		opt_ts(f, 2, (uint64_t)start);
	if (stop >= 0)
		opt_ts(f, 3, (uint64_t)stop);
	endofopt(f);
	end(f);
}

static void other(file_t *f, uint32_t type, size_t body)
{
	begin(f, type);
	for (size_t i = 0; i < body; i++)
		put8(f, (uint8_t)i);
	end(f);
}

/* ---- reading ---- */

typedef struct rd {
	FILE *fp;
	tl_anomalies_t an;
	tl_pcapng_t *r;
} rd_t;

static void rd_open(rd_t *d, file_t *f, size_t n)
{
	memset(&d->an, 0, sizeof(d->an));
	/* fmemopen of 0 bytes fails on some libcs: keep one spare byte and cut after */
	d->fp = fmemopen(f->b, n ? n : 1, "rb");
	assert_non_null(d->fp);
	if (!n)
		(void)fgetc(d->fp);
	d->r = tl_pcapng_open(d->fp, &d->an);
	assert_non_null(d->r);
}

static void rd_close(rd_t *d)
{
	tl_pcapng_close(d->r);
	fclose(d->fp);
}

static void next_frame(rd_t *d, tl_pcapng_frame_t *fr)
{
	int rc = tl_pcapng_next(d->r, fr);
	if (rc != 1)
		fail_msg("expected a frame, got %d (%s)", rc, tl_pcapng_error(d->r));
}

static void expect_end(rd_t *d)
{
	tl_pcapng_frame_t fr;
	assert_int_equal(tl_pcapng_next(d->r, &fr), 0);
	assert_int_equal(tl_pcapng_next(d->r, &fr), 0);
}

static uint64_t total(const tl_anomalies_t *a)
{
	return tl_anomaly_total(a);
}

/* ---- tests ---- */

static void basic(int le)
{
	file_t f = {0};
	shb(&f, le, 1);
	idb(&f, 1, 65535, -1, 0, 0);
	other(&f, 4, 8);           /* NRB */
	other(&f, 0x0000000A, 4);  /* DSB */
	other(&f, 0x00000BAD, 12); /* custom */
	other(&f, 0x80001234, 0);  /* local use */
	epb(&f, 0, UINT64_C(1700000000123456), 40, 60);
	epb(&f, 0, UINT64_C(1700000001000000), 13, 13);

	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 1);
	assert_int_equal(fr.dlt, 1);
	assert_int_equal(fr.ifindex, 0);
	assert_int_equal(fr.section, 0);
	assert_int_equal(fr.if_first, 1);
	assert_int_equal(fr.block, TL_PCAPNG_EPB);
	assert_int_equal(fr.has_ts, 1);
	assert_int_equal(fr.ts, INT64_C(1700000000123456));
	assert_int_equal(fr.caplen, 40);
	assert_int_equal(fr.wirelen, 60);
	assert_memory_equal(fr.data, PKT, 40);
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 2);
	assert_int_equal(fr.if_first, 0);
	assert_int_equal(fr.ts, INT64_C(1700000001000000));
	assert_int_equal(fr.caplen, 13);
	assert_memory_equal(fr.data, PKT, 13);
	expect_end(&d);
	assert_int_equal(total(&d.an), 0);
	assert_string_equal(tl_pcapng_error(d.r), "");
	tl_pcapng_stats_t st;
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.frames, 2);
	assert_int_equal(st.blocks, 8);
	assert_int_equal(st.sections, 1);
	assert_int_equal(st.interfaces, 1);
	assert_int_equal(st.n_linktypes, 1);
	assert_int_equal(st.linktypes[0], 1);
	assert_int_equal(st.if_drops_known, 0);
	assert_int_equal(st.os_drops_known, 0);
	rd_close(&d);
}

static void test_little_endian(void **state)
{
	(void)state;
	basic(1);
}

static void test_big_endian(void **state)
{
	(void)state;
	basic(0);
}

/* Resolutions 10^-9, 10^-3, 2^-10 and offsets, in both byte orders. */
static void resolutions(int le)
{
	file_t f = {0};
	shb(&f, le, 1);
	idb(&f, 1, 0, 9, 0, 0);      /* 0: ns */
	idb(&f, 101, 0, 3, 0, 0);    /* 1: ms */
	idb(&f, 1, 0, 0x8a, 0, 0);   /* 2: 1/1024 s */
	idb(&f, 1, 0, -1, 1, -3600); /* 3: us, offset -1 h */
	idb(&f, 1, 0, 9, 1, -1);     /* 4: ns, offset -1 s */
	idb(&f, 1, 0, 6, 1, 100);    /* 5: us given explicitly, offset +100 s */
	epb(&f, 0, UINT64_C(1700000000123456789), 20, 20);
	epb(&f, 1, UINT64_C(1700000000123), 20, 20);
	epb(&f, 2, UINT64_C(1700000000) * 1024 + 512, 20, 20);
	epb(&f, 2, UINT64_C(1700000000) * 1024 + 1, 20, 20); /* 976.5625 us */
	epb(&f, 3, UINT64_C(1700003600000001), 20, 20);
	epb(&f, 4, 500, 20, 20); /* -1 s + 0.5 us = -999999.5 us: floor -1000000 */
	epb(&f, 4, 1500, 20, 20); /* -1 s + 1.5 us: -999998.5 us: floor -999999 */
	epb(&f, 5, 7, 20, 20);
	epb(&f, 0, 999, 20, 20); /* under 1 us: 0 */

	static const int64_t want[] = {
		INT64_C(1700000000123456), INT64_C(1700000000123000), INT64_C(1700000000500000),
		INT64_C(1700000000000976), INT64_C(1700000000000001), INT64_C(-1000000),
		INT64_C(-999999), INT64_C(100000007), 0,
	};
	static const uint32_t want_if[] = {0, 1, 2, 2, 3, 4, 4, 5, 0};
	rd_t d;
	rd_open(&d, &f, f.n);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		tl_pcapng_frame_t fr;
		next_frame(&d, &fr);
		assert_int_equal(fr.pos, i + 1);
		assert_int_equal(fr.ifindex, want_if[i]);
		assert_int_equal(fr.has_ts, 1);
		if (fr.ts != want[i])
			fail_msg("frame %zu: ts %lld, want %lld", i + 1, (long long)fr.ts,
				 (long long)want[i]);
		assert_int_equal(fr.dlt, want_if[i] == 1 ? 101 : 1);
	}
	expect_end(&d);
	assert_int_equal(total(&d.an), 0);
	tl_pcapng_stats_t st;
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.n_linktypes, 2);
	assert_int_equal(st.linktypes[0], 1);
	assert_int_equal(st.linktypes[1], 101);
	assert_int_equal(st.interfaces, 6);
	rd_close(&d);
}

static void test_resolutions_le(void **state)
{
	(void)state;
	resolutions(1);
}

static void test_resolutions_be(void **state)
{
	(void)state;
	resolutions(0);
}

/* Timestamps that do not fit: the frame comes without one, counted. */
static void test_timestamp_overflow(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, 0, 0, 0);                   /* 0: seconds */
	idb(&f, 1, 0, 6, 1, INT64_MAX);           /* 1: offset too large */
	idb(&f, 1, 0, 0x80 | 127, 0, 0);          /* 2: 2^-127 s */
	idb(&f, 1, 0, 127, 0, 0);                 /* 3: 10^-127 s */
	epb(&f, 0, UINT64_C(1) << 62, 20, 20);    /* 2^62 s: too many us */
	epb(&f, 0, UINT64_C(9223372036854), 20, 20); /* fits: 9223372036854000000 */
	epb(&f, 1, 0, 20, 20);
	epb(&f, 2, UINT64_MAX, 20, 20);
	epb(&f, 3, UINT64_MAX, 20, 20);
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.has_ts, 0);
	assert_int_equal(fr.ts, TL_TIME_NONE);
	next_frame(&d, &fr);
	assert_int_equal(fr.has_ts, 1);
	assert_int_equal(fr.ts, INT64_C(9223372036854000000));
	next_frame(&d, &fr);
	assert_int_equal(fr.has_ts, 0);
	next_frame(&d, &fr);
	assert_int_equal(fr.has_ts, 1);
	assert_int_equal(fr.ts, 0);
	next_frame(&d, &fr);
	assert_int_equal(fr.has_ts, 1);
	assert_int_equal(fr.ts, 0);
	expect_end(&d);
	assert_int_equal(d.an.count[TL_AN_BAD_TIMESTAMP], 2);
	assert_int_equal(d.an.first[TL_AN_BAD_TIMESTAMP][0], 1);
	assert_int_equal(d.an.first[TL_AN_BAD_TIMESTAMP][1], 3);
	assert_int_equal(total(&d.an), 2);
	rd_close(&d);
}

/* A second section in the other byte order: interfaces start again. */
static void test_two_sections(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	idb(&f, 101, 0, 9, 0, 0);
	epb(&f, 1, UINT64_C(5000000000), 20, 20);
	epb(&f, 0, UINT64_C(6000000), 20, 20);
	shb(&f, 0, 1);
	idb(&f, 113, 0, 3, 0, 0);
	epb(&f, 1, 1, 20, 20);    /* interface 1 is gone: frame 3 skipped */
	epb(&f, 0, 7000, 30, 40); /* frame 4 */

	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 1);
	assert_int_equal(fr.dlt, 101);
	assert_int_equal(fr.ifindex, 1);
	assert_int_equal(fr.ts, 5000000);
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 2);
	assert_int_equal(fr.dlt, 1);
	assert_int_equal(fr.ts, 6000000);
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 4);
	assert_int_equal(fr.section, 1);
	assert_int_equal(fr.dlt, 113);
	assert_int_equal(fr.ifindex, 0);
	assert_int_equal(fr.if_first, 1);
	assert_int_equal(fr.ts, 7000000);
	assert_int_equal(fr.caplen, 30);
	assert_int_equal(fr.wirelen, 40);
	assert_memory_equal(fr.data, PKT, 30);
	expect_end(&d);
	assert_int_equal(d.an.count[TL_AN_PCAPNG_NO_INTERFACE], 1);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_NO_INTERFACE][0], 3);
	assert_int_equal(total(&d.an), 1);
	tl_pcapng_stats_t st;
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.sections, 2);
	assert_int_equal(st.frames, 4);
	assert_int_equal(st.n_linktypes, 3);
	assert_int_equal(st.linktypes[2], 113);
	rd_close(&d);
}

/* EPB naming an interface that is not defined yet; an EPB before any IDB. */
static void test_undefined_interface(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	epb(&f, 0, 1, 20, 20); /* no IDB yet */
	idb(&f, 1, 0, -1, 0, 0);
	epb(&f, 1, 2, 20, 20);
	epb(&f, 0, 3, 20, 20);
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 3);
	assert_int_equal(fr.ts, 3);
	expect_end(&d);
	assert_int_equal(d.an.count[TL_AN_PCAPNG_NO_INTERFACE], 2);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_NO_INTERFACE][0], 1);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_NO_INTERFACE][1], 2);
	assert_int_equal(total(&d.an), 2);
	assert_non_null(strstr(tl_pcapng_error(d.r), "frame 1: interface 0"));
	rd_close(&d);
}

/* SPB: interface 0, no timestamp, captured length = min(room, original, snaplen). */
static void test_spb(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 0, 1);
	spb(&f, 20, 20); /* frame 1: no IDB yet */
	idb(&f, 1, 32, -1, 0, 0);
	idb(&f, 101, 0, -1, 0, 0);
	spb(&f, 40, 40); /* frame 2: snaplen 32 */
	spb(&f, 10, 10); /* frame 3: padded to 12, original 10 */
	spb(&f, 40, 24); /* frame 4: room 24 */
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 2);
	assert_int_equal(fr.block, TL_PCAPNG_SPB);
	assert_int_equal(fr.has_ts, 0);
	assert_int_equal(fr.ts, TL_TIME_NONE);
	assert_int_equal(fr.ifindex, 0);
	assert_int_equal(fr.dlt, 1);
	assert_int_equal(fr.caplen, 32);
	assert_int_equal(fr.wirelen, 40);
	assert_memory_equal(fr.data, PKT, 32);
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 3);
	assert_int_equal(fr.caplen, 10);
	assert_int_equal(fr.wirelen, 10);
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 4);
	assert_int_equal(fr.caplen, 24);
	assert_int_equal(fr.wirelen, 40);
	assert_memory_equal(fr.data, PKT, 24);
	expect_end(&d);
	assert_int_equal(d.an.count[TL_AN_PCAPNG_NO_INTERFACE], 1);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_NO_INTERFACE][0], 1);
	assert_int_equal(d.an.count[TL_AN_FRAME_NO_TIMESTAMP], 3);
	assert_int_equal(d.an.first[TL_AN_FRAME_NO_TIMESTAMP][0], 2);
	assert_int_equal(d.an.first[TL_AN_FRAME_NO_TIMESTAMP][2], 4);
	assert_int_equal(total(&d.an), 4);
	rd_close(&d);
}

/* The obsolete Packet Block (Appendix A). */
static void test_packet_block(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	idb(&f, 101, 0, 9, 0, 0);
	pb(&f, 1, UINT64_C(3000000123), 17);
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.block, TL_PCAPNG_PB);
	assert_int_equal(fr.pos, 1);
	assert_int_equal(fr.ifindex, 1);
	assert_int_equal(fr.dlt, 101);
	assert_int_equal(fr.ts, 3000000);
	assert_int_equal(fr.caplen, 17);
	assert_memory_equal(fr.data, PKT, 17);
	expect_end(&d);
	assert_int_equal(total(&d.an), 0);
	rd_close(&d);
}

/* ISB: the last value per interface, summed; sections add up. */
static void test_isb_drops(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	idb(&f, 1, 0, -1, 0, 0);
	isb(&f, 0, U64(5), U64(2));
	epb(&f, 0, 1, 20, 20);
	isb(&f, 0, U64(7), NULL);  /* ifdrop 7 replaces 5; osdrop stays 2 */
	isb(&f, 1, U64(3), NULL);
	isb(&f, 2, U64(100), U64(100)); /* no interface 2 */
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	tl_pcapng_stats_t st;
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.if_drops_known, 1);
	assert_int_equal(st.if_drops, 5);
	assert_int_equal(st.os_drops_known, 1);
	assert_int_equal(st.os_drops, 2);
	expect_end(&d);
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.if_drops, 10);
	assert_int_equal(st.os_drops, 2);
	assert_int_equal(d.an.count[TL_AN_PCAPNG_NO_INTERFACE], 1);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_NO_INTERFACE][0], 2);
	assert_int_equal(total(&d.an), 1);
	rd_close(&d);

	/* a second section keeps the first one's counts and adds its own */
	shb(&f, 0, 1);
	idb(&f, 1, 0, -1, 0, 0);
	isb(&f, 0, U64(1), U64(4));
	isb(&f, 0, U64(UINT64_MAX), NULL); /* saturates */
	rd_open(&d, &f, f.n);
	next_frame(&d, &fr);
	expect_end(&d);
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.if_drops, UINT64_MAX);
	assert_int_equal(st.os_drops, 6);
	rd_close(&d);
}

/* ISB start and end times: the periods the capture states it ran, in the
 * interface's units and offset; cumulative ISBs restate one period; without
 * isb_endtime the block's timestamp ends it; without isb_starttime, no period. */
static void test_isb_periods(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);          /* microseconds */
	idb(&f, 1, 0, 3, 1, 1000);        /* milliseconds, +1000 s */
	isb_times(&f, 0, 900, 100, 500);
	isb_times(&f, 0, 900, 100, 800);  /* cumulative: the same run, later */
	isb_times(&f, 0, 5000, 3000, -1); /* a second run, ended when taken */
	isb_times(&f, 1, 9, 2, 4);        /* 1000.002 s to 1000.004 s */
	isb_times(&f, 0, 7000, -1, 6000); /* no start: no period */
	rd_t d;
	rd_open(&d, &f, f.n);
	expect_end(&d);
	tl_pcapng_stats_t st;
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.periods.n, 3);
	assert_int_equal(st.periods.v[0].start, 100);
	assert_int_equal(st.periods.v[0].end, 800);
	assert_int_equal(st.periods.v[1].start, 3000);
	assert_int_equal(st.periods.v[1].end, 5000);
	assert_int_equal(st.periods.v[2].start, 1000002000);
	assert_int_equal(st.periods.v[2].end, 1000004000);
	assert_int_equal(st.periods.joined, 0);
	assert_int_equal(total(&d.an), 0);
	rd_close(&d);
}

/* More periods than the set holds: the closest are joined, and counted. */
static void test_periods_cap(void **state)
{
	(void)state;
	tl_periods_t p;
	memset(&p, 0, sizeof(p));
	for (int64_t k = 0; k < TL_PERIODS_MAX; k++)
		tl_periods_add(&p, k * 100, k * 100 + 10);
	assert_int_equal(p.n, TL_PERIODS_MAX);
	assert_int_equal(p.joined, 0);
	tl_periods_add(&p, 6305, 6306); /* inside the last one: nothing to join */
	assert_int_equal(p.n, TL_PERIODS_MAX);
	assert_int_equal(p.joined, 0);
	tl_periods_add(&p, 6500, 6501); /* one more: the first pair 90 apart is joined */
	assert_int_equal(p.n, TL_PERIODS_MAX);
	assert_int_equal(p.joined, 1);
	assert_int_equal(p.v[0].start, 0);
	assert_int_equal(p.v[0].end, 110);
	assert_int_equal(p.v[TL_PERIODS_MAX - 1].start, 6500);
}

/* Files without ISB drop options say nothing about drops. */
static void test_isb_without_drops(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	isb(&f, 0, NULL, NULL);
	isb(&f, 0, NULL, U64(9));
	rd_t d;
	rd_open(&d, &f, f.n);
	expect_end(&d);
	tl_pcapng_stats_t st;
	tl_pcapng_stats(d.r, &st);
	assert_int_equal(st.if_drops_known, 0);
	assert_int_equal(st.if_drops, 0);
	assert_int_equal(st.os_drops_known, 1);
	assert_int_equal(st.os_drops, 9);
	rd_close(&d);
}

/* Cut anywhere inside the last block: file_truncated at the next frame position. */
static void test_cut(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	epb(&f, 0, 1, 20, 20);
	size_t whole = f.n;
	epb(&f, 0, 2, 40, 40);
	for (size_t cut = whole + 1; cut < f.n; cut++) {
		rd_t d;
		rd_open(&d, &f, cut);
		tl_pcapng_frame_t fr;
		next_frame(&d, &fr);
		assert_int_equal(fr.pos, 1);
		assert_int_equal(tl_pcapng_next(d.r, &fr), TL_EFORMAT);
		assert_int_equal(tl_pcapng_next(d.r, &fr), TL_EFORMAT);
		assert_int_equal(d.an.count[TL_AN_FILE_TRUNCATED], 1);
		assert_int_equal(d.an.first[TL_AN_FILE_TRUNCATED][0], 2);
		assert_int_equal(total(&d.an), 1);
		assert_non_null(strstr(tl_pcapng_error(d.r), "ends inside a block"));
		rd_close(&d);
	}
	/* cut inside the SHB, and an empty file */
	for (size_t cut = 0; cut < 28; cut++) {
		rd_t d;
		rd_open(&d, &f, cut);
		tl_pcapng_frame_t fr;
		int rc = tl_pcapng_next(d.r, &fr);
		if (cut == 0) {
			assert_int_equal(rc, 0);
			assert_int_equal(total(&d.an), 0);
		} else {
			assert_int_equal(rc, TL_EFORMAT);
			assert_int_equal(d.an.count[TL_AN_FILE_TRUNCATED], 1);
			assert_int_equal(d.an.first[TL_AN_FILE_TRUNCATED][0], 1);
		}
		rd_close(&d);
	}
}

/* Broken framing stops with file_read_error at the next frame position. */
static void framing_error(file_t *f, const char *want_msg)
{
	rd_t d;
	rd_open(&d, f, f->n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 1);
	assert_int_equal(tl_pcapng_next(d.r, &fr), TL_EFORMAT);
	assert_int_equal(tl_pcapng_next(d.r, &fr), TL_EFORMAT);
	assert_int_equal(d.an.count[TL_AN_FILE_READ_ERROR], 1);
	assert_int_equal(d.an.first[TL_AN_FILE_READ_ERROR][0], 2);
	assert_int_equal(total(&d.an), 1);
	if (!strstr(tl_pcapng_error(d.r), want_msg))
		fail_msg("message '%s' lacks '%s'", tl_pcapng_error(d.r), want_msg);
	rd_close(&d);
}

static void start_file(file_t *f)
{
	memset(f, 0, sizeof(*f));
	shb(f, 1, 1);
	idb(f, 1, 0, -1, 0, 0);
	epb(f, 0, 1, 20, 20);
}

static void test_bad_trailing_length(void **state)
{
	(void)state;
	file_t f;
	start_file(&f);
	size_t st = f.n;
	epb(&f, 0, 2, 20, 20);
	set32(&f, f.n - 4, (uint32_t)(f.n - st + 4)); /* trailing length 4 too large */
	epb(&f, 0, 3, 20, 20);
	framing_error(&f, "trailing total length");
}

static void test_length_not_multiple_of_4(void **state)
{
	(void)state;
	file_t f;
	start_file(&f);
	size_t st = f.n;
	epb(&f, 0, 2, 20, 20);
	set32(&f, st + 4, (uint32_t)(f.n - st - 2));
	framing_error(&f, "bad total length");
}

static void test_length_under_12(void **state)
{
	(void)state;
	file_t f;
	start_file(&f);
	put32(&f, 6);
	put32(&f, 8);
	put32(&f, 8);
	framing_error(&f, "bad total length 8");
}

static void test_length_over_cap(void **state)
{
	(void)state;
	file_t f;
	start_file(&f);
	put32(&f, 6);
	put32(&f, TL_PCAPNG_MAX_BLOCK + 4);
	put32(&f, 0);
	framing_error(&f, "cap");
	/* exactly the cap is allowed, and then the file is cut */
	start_file(&f);
	put32(&f, 6);
	put32(&f, TL_PCAPNG_MAX_BLOCK);
	put32(&f, 0);
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(tl_pcapng_next(d.r, &fr), TL_EFORMAT);
	assert_int_equal(d.an.count[TL_AN_FILE_TRUNCATED], 1);
	assert_int_equal(d.an.count[TL_AN_FILE_READ_ERROR], 0);
	rd_close(&d);
}

static void test_bad_magic_and_no_shb(void **state)
{
	(void)state;
	file_t f;
	start_file(&f);
	size_t st = f.n;
	shb(&f, 1, 1);
	set32(&f, st + 8, 0x1A2B3C4E);
	framing_error(&f, "byte-order magic");

	/* a file that does not start with an SHB */
	memset(&f, 0, sizeof(f));
	f.le = 1;
	idb(&f, 1, 0, -1, 0, 0);
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	assert_int_equal(tl_pcapng_next(d.r, &fr), TL_EFORMAT);
	assert_int_equal(d.an.count[TL_AN_FILE_READ_ERROR], 1);
	assert_int_equal(d.an.first[TL_AN_FILE_READ_ERROR][0], 1);
	rd_close(&d);
}

/* Well-framed blocks with bad insides: counted, skipped, reading goes on. */
static void test_bad_blocks(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	/* frame 1: captured length beyond the block */
	size_t st = f.n;
	epb(&f, 0, 1, 20, 20);
	set32(&f, st + 20, 37); /* the body after the fixed fields holds 36 */
	/* frame 2: an EPB of 16 octets, too short for its fields */
	begin(&f, 6);
	put32(&f, 0);
	end(&f);
	/* an IDB whose if_tsresol has length 2: ignored, the interface keeps 10^-6 */
	begin(&f, 1);
	put16(&f, 1);
	put16(&f, 0);
	put32(&f, 0);
	opt(&f, 9, "\x09\x00", 2);
	endofopt(&f);
	end(&f);
	/* an IDB whose option runs past the block: the interface still exists */
	begin(&f, 1);
	put16(&f, 101);
	put16(&f, 0);
	put32(&f, 0);
	put16(&f, 2);
	put16(&f, 200);
	end(&f);
	/* an ISB whose drop counter has 4 octets: ignored */
	begin(&f, 5);
	put32(&f, 0);
	put64(&f, 0);
	put16(&f, 5);
	put16(&f, 4);
	put32(&f, 99);
	end(&f);
	epb(&f, 1, 2000000, 20, 20); /* frame 3, interface 1: us */
	epb(&f, 2, 3000000, 20, 20); /* frame 4, interface 2 */
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 3);
	assert_int_equal(fr.ts, 2000000);
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 4);
	assert_int_equal(fr.dlt, 101);
	expect_end(&d);
	assert_int_equal(d.an.count[TL_AN_PCAPNG_BAD_BLOCK], 5);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_BAD_BLOCK][0], 1);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_BAD_BLOCK][1], 2);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_BAD_BLOCK][2], 3);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_BAD_BLOCK][3], 3);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_BAD_BLOCK][4], 3);
	assert_int_equal(total(&d.an), 5);
	assert_non_null(strstr(tl_pcapng_error(d.r), "frame 1"));
	tl_pcapng_stats_t st2;
	tl_pcapng_stats(d.r, &st2);
	assert_int_equal(st2.if_drops_known, 0);
	rd_close(&d);
}

/* A section of major version 2 is skipped up to the next SHB (3.4). */
static void test_unknown_version_section(void **state)
{
	(void)state;
	file_t f = {0};
	shb(&f, 1, 2);
	idb(&f, 1, 0, -1, 0, 0);
	epb(&f, 0, 1, 20, 20); /* not a frame we can read: not numbered */
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	epb(&f, 0, 5, 20, 20);
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.pos, 1);
	assert_int_equal(fr.ts, 5);
	assert_int_equal(fr.section, 1);
	expect_end(&d);
	assert_int_equal(d.an.count[TL_AN_PCAPNG_BAD_BLOCK], 1);
	assert_int_equal(d.an.first[TL_AN_PCAPNG_BAD_BLOCK][0], 1);
	assert_non_null(strstr(tl_pcapng_error(d.r), "version 2.0"));
	rd_close(&d);
}

/* The data pointer stays valid until the next call, and the buffer grows. */
static void test_growing_buffer(void **state)
{
	(void)state;
	static file_t f;
	memset(&f, 0, sizeof(f));
	shb(&f, 1, 1);
	idb(&f, 1, 0, -1, 0, 0);
	begin(&f, 6);
	put32(&f, 0);
	put64(&f, 0);
	put32(&f, 6000);
	put32(&f, 6000);
	for (int i = 0; i < 6000; i++)
		put8(&f, (uint8_t)(i * 7));
	end(&f);
	epb(&f, 0, 1, 20, 20);
	rd_t d;
	rd_open(&d, &f, f.n);
	tl_pcapng_frame_t fr;
	next_frame(&d, &fr);
	assert_int_equal(fr.caplen, 6000);
	for (int i = 0; i < 6000; i++)
		assert_int_equal(fr.data[i], (uint8_t)(i * 7));
	next_frame(&d, &fr);
	assert_int_equal(fr.caplen, 20);
	expect_end(&d);
	rd_close(&d);
}

/* A block larger than one read step (1 MiB) is read whole, in steps. */
static void test_large_block(void **state)
{
	(void)state;
	const uint32_t cap = (3u << 20) + 5; /* 3 MiB and a bit */
	static file_t f;
	memset(&f, 0, sizeof(f));
	shb(&f, 0, 1);
	idb(&f, 1, 0, -1, 0, 0);
	size_t st = f.n;
	begin(&f, 6);
	put32(&f, 0);
	put64(&f, 9);
	put32(&f, cap);
	put32(&f, cap);
	FILE *fp = tmpfile();
	assert_non_null(fp);
	uint32_t len = (uint32_t)(f.n - st) + ((cap + 3) & ~3u) + 4;
	set32(&f, st + 4, len);
	assert_int_equal(fwrite(f.b, 1, f.n, fp), f.n);
	for (uint32_t i = 0; i < ((cap + 3) & ~3u); i++)
		fputc(i < cap ? (int)(i % 251) : 0, fp);
	f.n = 0;
	put32(&f, len);
	epb(&f, 0, 10, 20, 20);
	assert_int_equal(fwrite(f.b, 1, f.n, fp), f.n);
	rewind(fp);
	tl_anomalies_t an;
	memset(&an, 0, sizeof(an));
	tl_pcapng_t *r = tl_pcapng_open(fp, &an);
	tl_pcapng_frame_t fr;
	assert_int_equal(tl_pcapng_next(r, &fr), 1);
	assert_int_equal(fr.caplen, cap);
	assert_int_equal(fr.ts, 9);
	for (uint32_t i = 0; i < cap; i++)
		if (fr.data[i] != i % 251)
			fail_msg("byte %u differs", (unsigned)i);
	assert_int_equal(tl_pcapng_next(r, &fr), 1);
	assert_int_equal(fr.pos, 2);
	assert_int_equal(fr.ts, 10);
	assert_int_equal(tl_pcapng_next(r, &fr), 0);
	assert_int_equal(tl_anomaly_total(&an), 0);
	tl_pcapng_close(r);
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_little_endian),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_resolutions_le),
		cmocka_unit_test(test_resolutions_be),
		cmocka_unit_test(test_timestamp_overflow),
		cmocka_unit_test(test_two_sections),
		cmocka_unit_test(test_undefined_interface),
		cmocka_unit_test(test_spb),
		cmocka_unit_test(test_packet_block),
		cmocka_unit_test(test_isb_drops),
		cmocka_unit_test(test_isb_without_drops),
		cmocka_unit_test(test_isb_periods),
		cmocka_unit_test(test_periods_cap),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_bad_trailing_length),
		cmocka_unit_test(test_length_not_multiple_of_4),
		cmocka_unit_test(test_length_under_12),
		cmocka_unit_test(test_length_over_cap),
		cmocka_unit_test(test_bad_magic_and_no_shb),
		cmocka_unit_test(test_bad_blocks),
		cmocka_unit_test(test_unknown_version_section),
		cmocka_unit_test(test_growing_buffer),
		cmocka_unit_test(test_large_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
