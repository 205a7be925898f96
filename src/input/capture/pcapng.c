/* pcapng.c - pcapng blocks to frames: framing checks, interfaces per section,
 * timestamps, drop statistics. Section numbers cite draft-ietf-opsawg-pcapng. */
#include "input/capture/pcapng.h"
#include "util/cursor.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Block types (10.1) */
#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_PB 0x00000002u
#define BT_SPB 0x00000003u
#define BT_ISB 0x00000005u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define READ_STEP ((size_t)1 << 20)

/* Option codes */
#define OPT_ENDOFOPT 0
#define IF_TSRESOL 9
#define IF_TSOFFSET 14
#define ISB_STARTTIME 2
#define ISB_ENDTIME 3
#define ISB_IFDROP 5
#define ISB_OSDROP 7

typedef struct iface {
	int dlt;
	uint32_t snaplen;    /* 0: no limit (4.2) */
	uint8_t tsresol;     /* if_tsresol, default 6 (4.2) */
	int64_t tsoffset;    /* if_tsoffset in seconds, default 0 */
	uint8_t used;        /* a frame of it was returned */
	uint8_t ifdrop_known, osdrop_known;
	uint64_t ifdrop, osdrop; /* last ISB values */
} iface_t;

struct tl_pcapng {
	FILE *fp;
	tl_anomalies_t *an;
	uint8_t *buf; /* the current block, whole */
	size_t buf_cap;
	uint64_t off;  /* bytes consumed from fp: offset of the next block */
	int le;        /* current section is little-endian */
	int in_section;
	int skip_section; /* a section of an unknown major version (3.4) */
	iface_t *ifs;
	size_t n_if, cap_if;
	uint32_t section; /* index of the current section */
	int done;         /* 0 while reading; else what every further call returns */
	tl_pcapng_stats_t st; /* drop sums of the closed sections */
	char msg[256];    /* why reading stopped */
	char note[256];   /* first non-fatal note */
};

tl_pcapng_t *tl_pcapng_open(FILE *fp, tl_anomalies_t *an)
{
	tl_pcapng_t *r = tl_xcalloc(1, sizeof(*r));
	r->fp = fp;
	r->an = an;
	return r;
}

void tl_pcapng_close(tl_pcapng_t *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->ifs);
	free(r);
}

const char *tl_pcapng_error(const tl_pcapng_t *r)
{
	return r->msg[0] ? r->msg : r->note;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void sum_drops(const iface_t *ifs, size_t n, tl_pcapng_stats_t *st)
{
	for (size_t i = 0; i < n; i++) {
		if (ifs[i].ifdrop_known) {
			st->if_drops = sat_add(st->if_drops, ifs[i].ifdrop);
			st->if_drops_known = 1;
		}
		if (ifs[i].osdrop_known) {
			st->os_drops = sat_add(st->os_drops, ifs[i].osdrop);
			st->os_drops_known = 1;
		}
	}
}

void tl_pcapng_stats(const tl_pcapng_t *r, tl_pcapng_stats_t *out)
{
	*out = r->st;
	sum_drops(r->ifs, r->n_if, out);
}

/* ---- reading numbers in the section's byte order (3.6.1), through the cursor ---- */

static uint16_t rd16(tl_cursor_t *c, int le)
{
	const uint8_t *p = tl_cur_ptr(c, 2);
	if (!p)
		return 0;
	return le ? (uint16_t)(p[0] | (p[1] << 8)) : (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t rd32(tl_cursor_t *c, int le)
{
	const uint8_t *p = tl_cur_ptr(c, 4);
	if (!p)
		return 0;
	if (le)
		return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
		       ((uint32_t)p[3] << 24);
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t rd64(tl_cursor_t *c, int le)
{
	uint32_t a = rd32(c, le), b = rd32(c, le);
	return le ? ((uint64_t)b << 32) | a : ((uint64_t)a << 32) | b;
}

/* ---- messages and stops ---- */

static void set_note(tl_pcapng_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_note(tl_pcapng_t *r, const char *fmt, ...)
{
	if (r->note[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->note, sizeof(r->note), fmt, ap);
	va_end(ap);
}

/* Stops reading: counts kind at the next frame position, keeps the message. */
static int stop(tl_pcapng_t *r, tl_anomaly_kind_t kind, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int stop(tl_pcapng_t *r, tl_anomaly_kind_t kind, int rc, const char *fmt, ...)
{
	int n = snprintf(r->msg, sizeof(r->msg), "after frame %" PRIu64 ", block at byte %" PRIu64
			 ": ", r->st.frames, r->off);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(r->msg)) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->msg + n, sizeof(r->msg) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	tl_anomaly_add(r->an, kind, r->st.frames + 1);
	r->done = rc;
	return rc;
}

/* Reads exactly n bytes into dst. Returns 1, or 0 at a clean end of file before
 * the first byte (only if may_end), or a stop code. */
static int read_exact(tl_pcapng_t *r, uint8_t *dst, size_t n, int may_end)
{
	size_t got = fread(dst, 1, n, r->fp);
	if (got == n)
		return 1;
	if (ferror(r->fp))
		return stop(r, TL_AN_FILE_READ_ERROR, TL_EIO, "read error");
	if (got == 0 && may_end)
		return 0;
	return stop(r, TL_AN_FILE_TRUNCATED, TL_EFORMAT,
		     "the file ends inside a block");
}

static void grow(tl_pcapng_t *r, size_t need)
{
	if (need <= r->buf_cap)
		return;
	size_t cap = r->buf_cap ? r->buf_cap : 4096;
	while (cap < need)
		cap *= 2;
	r->buf = tl_xrealloc(r->buf, cap);
	r->buf_cap = cap;
}

/* ---- timestamps ---- */

/* units of 10^-e or 2^-e seconds (if_tsresol, 4.2), plus offset_s seconds
 * (if_tsoffset), to microseconds, rounded toward minus infinity. The units are
 * unsigned (4.3), so the division truncates toward minus infinity; the offset is
 * whole seconds and adds exactly. Returns 0, or -1 if the result does not fit in
 * an int64 (or would be TL_TIME_NONE). */
static int to_us(uint64_t units, uint8_t resol, int64_t offset_s, int64_t *out)
{
	__extension__ typedef unsigned __int128 u128;
	unsigned e = resol & 0x7f;
	u128 num = (u128)units * 1000000u; /* < 2^84 */
	u128 q;
	if (resol & 0x80) {
		q = num >> e; /* e <= 127 */
	} else if (e > 38) {
		q = 0; /* 10^e > 2^84 > num */
	} else {
		u128 den = 1;
		for (unsigned i = 0; i < e; i++)
			den *= 10;
		q = num / den;
	}
	if (q > (u128)INT64_MAX)
		return -1;
	int64_t us = (int64_t)q, off;
	if (__builtin_mul_overflow(offset_s, TL_US_PER_SEC, &off) ||
	    __builtin_add_overflow(us, off, &us) || us == TL_TIME_NONE)
		return -1;
	*out = us;
	return 0;
}

/* ---- blocks ---- */

/* Walks an option list (3.5): calls fn for each option until opt_endofopt or the
 * end of the block. Returns 0, or -1 if an option runs past the block. */
typedef void (*opt_fn)(tl_pcapng_t *r, uint16_t code, tl_cursor_t *val, void *ud);

static int walk_options(tl_pcapng_t *r, tl_cursor_t *c, opt_fn fn, void *ud)
{
	/* 3.5: readers must not assume an opt_endofopt; the block's end ends the list.
	 * Fewer than 4 octets left cannot hold an option header: treated as the end
	 * (such bytes can only be padding). */
	while (tl_cur_left(c) >= 4) {
		uint16_t code = rd16(c, r->le);
		uint16_t len = rd16(c, r->le);
		if (code == OPT_ENDOFOPT)
			return 0;
		size_t padded = ((size_t)len + 3) & ~(size_t)3;
		if (tl_cur_left(c) < len)
			return -1;
		tl_cursor_t val = tl_cur_sub(c, len);
		/* the final option's padding may be missing; anything else is there */
		tl_cur_skip(c, padded - len <= tl_cur_left(c) ? padded - len : tl_cur_left(c));
		fn(r, code, &val, ud);
	}
	return 0;
}

struct idb_opts {
	iface_t *ifc;
	int bad; /* an option of the wrong length */
};

static void idb_opt(tl_pcapng_t *r, uint16_t code, tl_cursor_t *val, void *ud)
{
	struct idb_opts *o = ud;
	if (code == IF_TSRESOL) {
		if (tl_cur_left(val) != 1) { /* fixed length 1 (4.2, Table 3) */
			o->bad = 1;
			return;
		}
		o->ifc->tsresol = tl_cur_u8(val);
	} else if (code == IF_TSOFFSET) {
		if (tl_cur_left(val) != 8) { /* fixed length 8, signed seconds (4.2) */
			o->bad = 1;
			return;
		}
		o->ifc->tsoffset = (int64_t)rd64(val, r->le);
	}
}

static void bad_block(tl_pcapng_t *r, uint64_t pos, const char *what)
{
	tl_anomaly_add(r->an, TL_AN_PCAPNG_BAD_BLOCK, pos);
	set_note(r, "frame %" PRIu64 ", block at byte %" PRIu64 ": %s", pos, r->off, what);
}

static void add_linktype(tl_pcapng_stats_t *st, int dlt)
{
	for (size_t i = 0; i < st->n_linktypes; i++)
		if (st->linktypes[i] == dlt)
			return;
	if (st->n_linktypes < TL_PCAPNG_MAX_LINKTYPES)
		st->linktypes[st->n_linktypes++] = dlt;
}

/* Interface Description Block (4.2): LinkType, Reserved, SnapLen, options. */
static void do_idb(tl_pcapng_t *r, tl_cursor_t *c)
{
	uint64_t next = r->st.frames + 1;
	r->st.interfaces++;
	if (r->n_if >= TL_PCAPNG_MAX_IFACES) {
		bad_block(r, next, "more interfaces in one section than tealeaves keeps; ignored");
		return;
	}
	if (r->n_if == r->cap_if) {
		r->cap_if = r->cap_if ? r->cap_if * 2 : 4;
		r->ifs = tl_xrealloc(r->ifs, r->cap_if * sizeof(*r->ifs));
	}
	iface_t *ifc = &r->ifs[r->n_if++];
	memset(ifc, 0, sizeof(*ifc));
	ifc->tsresol = 6; /* 4.2: without if_tsresol, 10^-6 */
	if (tl_cur_left(c) < 8) {
		/* the Interface ID is still taken (ids count IDBs, 4.2); a link type of -1
		 * is one nobody decodes, so its frames are counted and skipped */
		ifc->dlt = -1;
		bad_block(r, next, "Interface Description Block too short for its fields");
		return;
	}
	ifc->dlt = rd16(c, r->le);
	(void)rd16(c, r->le); /* Reserved: must be ignored by readers */
	ifc->snaplen = rd32(c, r->le);
	add_linktype(&r->st, ifc->dlt);
	struct idb_opts o = {ifc, 0};
	if (walk_options(r, c, idb_opt, &o) != 0)
		bad_block(r, next, "an IDB option runs past the end of its block");
	else if (o.bad)
		bad_block(r, next, "an IDB option has the wrong length (ignored)");
}

struct isb_opts {
	iface_t *ifc;
	int bad;
	int has_start, has_end;
	uint64_t start, end; /* in the interface's units */
};

/* A timestamp option: upper 32 bits, then lower 32 bits, as in an EPB (4.3, 4.6). */
static uint64_t rd_ts(tl_cursor_t *c, int le)
{
	uint32_t hi = rd32(c, le), lo = rd32(c, le);
	return ((uint64_t)hi << 32) | lo;
}

static void isb_opt(tl_pcapng_t *r, uint16_t code, tl_cursor_t *val, void *ud)
{
	struct isb_opts *o = ud;
	if (code == ISB_STARTTIME || code == ISB_ENDTIME) {
		if (tl_cur_left(val) != 8) { /* 8 octets (4.6, Table 7) */
			o->bad = 1;
			return;
		}
		if (code == ISB_STARTTIME) {
			o->start = rd_ts(val, r->le);
			o->has_start = 1;
		} else {
			o->end = rd_ts(val, r->le);
			o->has_end = 1;
		}
		return;
	}
	if (code != ISB_IFDROP && code != ISB_OSDROP)
		return;
	if (tl_cur_left(val) != 8) { /* both are 64-bit counters (4.6, Table 7) */
		o->bad = 1;
		return;
	}
	uint64_t v = rd64(val, r->le);
	if (code == ISB_IFDROP) {
		o->ifc->ifdrop = v;
		o->ifc->ifdrop_known = 1;
	} else {
		o->ifc->osdrop = v;
		o->ifc->osdrop_known = 1;
	}
}

/* Interface Statistics Block (4.6): Interface ID, timestamp, options. The counters
 * are totals since the capture began, so the last ISB of an interface wins. The
 * capture's start and end times (isb_starttime, isb_endtime; else the block's own
 * timestamp, when the statistics were taken) state a period the capture ran. */
static void do_isb(tl_pcapng_t *r, tl_cursor_t *c)
{
	uint64_t next = r->st.frames + 1;
	if (tl_cur_left(c) < 12) {
		bad_block(r, next, "Interface Statistics Block too short for its fields");
		return;
	}
	uint32_t ifid = rd32(c, r->le);
	uint64_t taken = rd_ts(c, r->le); /* when the statistics were taken */
	if (ifid >= r->n_if) {
		tl_anomaly_add(r->an, TL_AN_PCAPNG_NO_INTERFACE, next);
		set_note(r, "block at byte %" PRIu64 ": statistics for interface %" PRIu32
			 ", which has no Interface Description Block", r->off, ifid);
		return;
	}
	/* parse into a copy, so a block with a bad option changes nothing */
	iface_t tmp = r->ifs[ifid];
	struct isb_opts o = {&tmp, 0, 0, 0, 0, 0};
	if (walk_options(r, c, isb_opt, &o) != 0) {
		bad_block(r, next, "an ISB option runs past the end of its block");
		return;
	}
	if (o.bad) {
		bad_block(r, next, "an ISB counter or time has the wrong length");
		return;
	}
	r->ifs[ifid] = tmp;
	int64_t a, b;
	if (o.has_start && to_us(o.start, tmp.tsresol, tmp.tsoffset, &a) == 0 &&
	    to_us(o.has_end ? o.end : taken, tmp.tsresol, tmp.tsoffset, &b) == 0)
		tl_periods_add(&r->st.periods, a, b);
}

/* Section Header Block (4.1) after its byte order is known; c is at Major Version. */
static void do_shb(tl_pcapng_t *r, tl_cursor_t *c)
{
	/* a new section: the old one's interfaces end with it (4.2) */
	sum_drops(r->ifs, r->n_if, &r->st);
	r->n_if = 0;
	if (r->in_section)
		r->section++;
	r->in_section = 1;
	r->st.sections++;
	uint16_t major = rd16(c, r->le);
	uint16_t minor = rd16(c, r->le);
	(void)rd64(c, r->le); /* Section Length: may be -1; we never seek */
	/* 4.1: major version 1 (minor 0, or 2 read as 0). A reader that cannot read a
	 * section must skip to the next SHB (3.4). Other minor versions of major 1 are
	 * read: a minor change keeps old fields where they are. */
	r->skip_section = major != 1;
	if (r->skip_section) {
		char what[96];
		snprintf(what, sizeof(what), "section of pcapng version %u.%u skipped",
			 (unsigned)major, (unsigned)minor);
		bad_block(r, r->st.frames + 1, what);
	}
}

/* A packet block's shared part: interface check, timestamp, data. Returns 1 if the
 * frame is to be returned. */
static int packet(tl_pcapng_t *r, tl_pcapng_frame_t *out, int block, uint32_t ifid,
		  uint64_t units, int has_units, uint32_t caplen, uint32_t wirelen,
		  const uint8_t *data)
{
	uint64_t pos = r->st.frames;
	if (ifid >= r->n_if) {
		/* 4.3: "The interface ID MUST be valid" */
		tl_anomaly_add(r->an, TL_AN_PCAPNG_NO_INTERFACE, pos);
		set_note(r, "frame %" PRIu64 ": interface %" PRIu32
			 " has no Interface Description Block in its section; skipped", pos, ifid);
		return 0;
	}
	iface_t *ifc = &r->ifs[ifid];
	memset(out, 0, sizeof(*out));
	out->pos = pos;
	out->dlt = ifc->dlt;
	out->ifindex = ifid;
	out->section = r->section;
	out->if_first = !ifc->used;
	ifc->used = 1;
	out->block = block;
	out->ts = TL_TIME_NONE;
	if (has_units) {
		if (to_us(units, ifc->tsresol, ifc->tsoffset, &out->ts) == 0) {
			out->has_ts = 1;
		} else {
			out->ts = TL_TIME_NONE;
			tl_anomaly_add(r->an, TL_AN_BAD_TIMESTAMP, pos);
			set_note(r, "frame %" PRIu64 ": timestamp out of range", pos);
		}
	}
	out->caplen = caplen;
	out->wirelen = wirelen;
	out->data = data;
	return 1;
}

/* Enhanced Packet Block (4.3) and the obsolete Packet Block (Appendix A): the same
 * fields, except that the Packet Block has a 16-bit Interface ID and a 16-bit drop
 * count. */
static int do_epb(tl_pcapng_t *r, tl_cursor_t *c, tl_pcapng_frame_t *out, int block)
{
	uint64_t pos = ++r->st.frames;
	if (tl_cur_left(c) < 20) {
		bad_block(r, pos, "packet block too short for its fields; skipped");
		return 0;
	}
	uint32_t ifid;
	if (block == TL_PCAPNG_EPB) {
		ifid = rd32(c, r->le);
	} else {
		ifid = rd16(c, r->le);
		(void)rd16(c, r->le); /* Drops Count */
	}
	uint32_t hi = rd32(c, r->le), lo = rd32(c, r->le);
	uint32_t caplen = rd32(c, r->le);
	uint32_t wirelen = rd32(c, r->le);
	/* 4.3: Packet Data is Captured Packet Length octets (plus padding) inside the
	 * block; a larger claim cannot be honoured */
	if (caplen > tl_cur_left(c)) {
		bad_block(r, pos, "captured length larger than its block; frame skipped");
		return 0;
	}
	const uint8_t *data = tl_cur_ptr(c, caplen);
	return packet(r, out, block, ifid, ((uint64_t)hi << 32) | lo, 1, caplen, wirelen, data);
}

/* Simple Packet Block (4.4): Original Packet Length and data; interface 0, no
 * timestamp. The captured length is not stored: it is the smallest of the room in
 * the block, the original length, and the interface's SnapLen (if not 0). */
static int do_spb(tl_pcapng_t *r, tl_cursor_t *c, tl_pcapng_frame_t *out)
{
	uint64_t pos = ++r->st.frames;
	if (tl_cur_left(c) < 4) {
		bad_block(r, pos, "Simple Packet Block too short for its fields; skipped");
		return 0;
	}
	uint32_t wirelen = rd32(c, r->le);
	size_t room = tl_cur_left(c);
	size_t caplen = room < wirelen ? room : wirelen;
	if (r->n_if > 0 && r->ifs[0].snaplen != 0 && r->ifs[0].snaplen < caplen)
		caplen = r->ifs[0].snaplen;
	const uint8_t *data = tl_cur_ptr(c, caplen);
	if (!packet(r, out, TL_PCAPNG_SPB, 0, 0, 0, (uint32_t)caplen, wirelen, data))
		return 0;
	tl_anomaly_add(r->an, TL_AN_FRAME_NO_TIMESTAMP, pos);
	return 1;
}

int tl_pcapng_next(tl_pcapng_t *r, tl_pcapng_frame_t *out)
{
	if (r->done)
		return r->done > 0 ? 0 : r->done;
	for (;;) {
		uint8_t hdr[12];
		int rc = read_exact(r, hdr, 8, 1);
		if (rc == 0) {
			r->done = 1; /* end of file at a block boundary */
			return 0;
		}
		if (rc < 0)
			return rc;
		/* 4.1: the SHB type is a palindrome; its byte order comes from the
		 * Byte-Order Magic that follows the length */
		int shb = hdr[0] == 0x0A && hdr[1] == 0x0D && hdr[2] == 0x0D && hdr[3] == 0x0A;
		size_t have = 8;
		if (shb) {
			if ((rc = read_exact(r, hdr + 8, 4, 0)) < 0)
				return rc;
			have = 12;
			tl_cursor_t m;
			tl_cur_init(&m, hdr + 8, 4);
			uint32_t magic = rd32(&m, 1);
			if (magic == BYTE_ORDER_MAGIC)
				r->le = 1;
			else if (magic == 0x4D3C2B1Au)
				r->le = 0;
			else
				return stop(r, TL_AN_FILE_READ_ERROR, TL_EFORMAT,
					    "Section Header Block with a bad byte-order magic "
					    "(pcapng 4.1)");
		} else if (!r->in_section) {
			return stop(r, TL_AN_FILE_READ_ERROR, TL_EFORMAT,
				    "the file does not begin with a Section Header Block (pcapng 3.4)");
		}
		tl_cursor_t h;
		tl_cur_init(&h, hdr, have);
		uint32_t type = rd32(&h, r->le);
		uint32_t len = rd32(&h, r->le);
		/* 3.1: a multiple of 4, at least 12 (type and both lengths); the SHB's
		 * fixed fields need 28 (4.1); our cap keeps memory bounded */
		if (len % 4 != 0 || len < (shb ? 28u : 12u))
			return stop(r, TL_AN_FILE_READ_ERROR, TL_EFORMAT,
				    "block type 0x%08" PRIx32 " has a bad total length %" PRIu32
				    " (pcapng 3.1)", type, len);
		if (len > TL_PCAPNG_MAX_BLOCK)
			return stop(r, TL_AN_FILE_READ_ERROR, TL_EFORMAT,
				    "block type 0x%08" PRIx32 " of %" PRIu32
				    " octets is over the %" PRIu32 "-octet cap", type, len,
				    TL_PCAPNG_MAX_BLOCK);
		/* read in steps, so that a length claimed by a short (hostile) file does
		 * not make us allocate more than the file holds, plus one step */
		grow(r, have);
		memcpy(r->buf, hdr, have);
		while (have < len) {
			size_t step = len - have < READ_STEP ? len - have : READ_STEP;
			grow(r, have + step);
			if ((rc = read_exact(r, r->buf + have, step, 0)) < 0)
				return rc;
			have += step;
		}
		tl_cursor_t blk;
		tl_cur_init(&blk, r->buf, len);
		tl_cur_seek(&blk, len - 4);
		uint32_t trail = rd32(&blk, r->le);
		if (trail != len)
			return stop(r, TL_AN_FILE_READ_ERROR, TL_EFORMAT,
				    "block type 0x%08" PRIx32 ": trailing total length %" PRIu32
				    " differs from the leading %" PRIu32 " (pcapng 3.1)", type, trail,
				    len);
		r->st.blocks++;
		/* the body, between the leading length and the trailing one */
		tl_cursor_t body;
		tl_cur_init(&body, r->buf + 8, len - 12);
		int got = 0;
		if (shb) {
			tl_cur_skip(&body, 4); /* Byte-Order Magic, already read */
			do_shb(r, &body);
		} else if (r->skip_section) {
			/* 3.4: skip everything until the next Section Header Block */
		} else if (type == BT_IDB) {
			do_idb(r, &body);
		} else if (type == BT_EPB) {
			got = do_epb(r, &body, out, TL_PCAPNG_EPB);
		} else if (type == BT_SPB) {
			got = do_spb(r, &body, out);
		} else if (type == BT_PB) {
			got = do_epb(r, &body, out, TL_PCAPNG_PB);
		} else if (type == BT_ISB) {
			do_isb(r, &body);
		}
		/* Name Resolution (4.5), Decryption Secrets (4.7), Custom (4.8), local-use
		 * and unknown blocks: skipped by their length (3.1) */
		r->off += len;
		if (got)
			return 1;
	}
}
