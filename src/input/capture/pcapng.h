/* pcapng.h - a bounds-checked, pull-style reader of pcapng capture files
 * (draft-ietf-opsawg-pcapng, "PCAP Now Generic").
 *
 * Why our own: libpcap 1.10 refuses files whose interfaces have different link
 * types and does not expose the Interface Statistics Block (drop counts).
 *
 * The reader reads its FILE* front to back with fread only (never seeks: in
 * tealeaves the FILE* is a hashing, gunzipping stream). Every block is read whole
 * into one growing buffer (capped at TL_PCAPNG_MAX_BLOCK) and parsed through the
 * cursor. Bad data inside a well-framed block is counted as an anomaly and the
 * block (or its bad part) skipped; a block whose framing is broken stops reading.
 *
 * Frame numbers count every packet block (Enhanced, Simple and the obsolete
 * Packet Block), from 1, in file order, as tshark numbers frames; a packet block
 * that is skipped (undefined interface, inconsistent lengths) still has its number.
 *
 * Anomalies (in the tl_anomalies_t given at open), at the frame's number or, for
 * blocks that are not packets, at the number the next frame would have:
 *   file_truncated       the file ends inside a block (reading stops)
 *   file_read_error      broken framing: block lengths that differ, are not a
 *                        multiple of 4, are under 12 or over the cap; no SHB first;
 *                        a bad byte-order magic; an I/O error (reading stops)
 *   pcapng_bad_block     a well-framed block whose fields contradict its length
 *                        (captured length beyond the block, body too short, an
 *                        option running past the block or of the wrong length), or
 *                        a section of a major version other than 1 (skipped, 3.4)
 *   pcapng_no_interface  a packet or statistics block names an interface with no
 *                        IDB in the section (4.2); the block is skipped
 *   bad_timestamp        a timestamp that does not fit in int64 microseconds; the
 *                        frame is returned without a timestamp
 *   frame_no_timestamp   a Simple Packet Block's frame: it has no timestamp (4.4)
 */
#ifndef TL_INPUT_CAPTURE_PCAPNG_H
#define TL_INPUT_CAPTURE_PCAPNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "input/anomaly.h"
#include "input/period.h"

/* Largest block read (64 MiB); a longer one stops reading (file_read_error). */
#define TL_PCAPNG_MAX_BLOCK ((uint32_t)64 << 20)
/* Interfaces kept per section; IDBs beyond are counted (pcapng_bad_block) and
 * ignored, so blocks naming them count as pcapng_no_interface. */
#define TL_PCAPNG_MAX_IFACES 65536
/* Distinct link types remembered for tl_pcapng_stats (like the input stats). */
#define TL_PCAPNG_MAX_LINKTYPES 8

/* Which block carried a frame. */
enum {
	TL_PCAPNG_EPB = 6, /* Enhanced Packet Block (4.3) */
	TL_PCAPNG_SPB = 3, /* Simple Packet Block (4.4): no timestamp, interface 0 */
	TL_PCAPNG_PB = 2,  /* obsolete Packet Block (Appendix A) */
};

typedef struct tl_pcapng_frame {
	uint64_t pos;         /* frame number, 1-based */
	int dlt;              /* the interface's LinkType (a LINKTYPE_ value) */
	uint32_t ifindex;     /* Interface ID within its section */
	uint32_t section;     /* 0 for the first section */
	int if_first;         /* 1 for the first frame returned for this interface */
	int block;            /* TL_PCAPNG_EPB, _SPB or _PB */
	/* UTC microseconds (if_tsresol and if_tsoffset applied, fractions of a
	 * microsecond dropped, i.e. rounded toward minus infinity). A Simple Packet
	 * Block has no timestamp (4.4), and a timestamp that overflows has none we can
	 * give: then has_ts is 0 and ts is TL_TIME_NONE. The caller decides how to
	 * date such a frame (tealeaves uses the previous frame's time, see input.c). */
	int has_ts;
	int64_t ts;
	uint32_t caplen;      /* bytes at data */
	uint32_t wirelen;     /* original length (may be less than caplen in bad files) */
	const uint8_t *data;  /* owned by the reader; valid until the next call */
} tl_pcapng_frame_t;

typedef struct tl_pcapng_stats {
	uint64_t frames;      /* packet blocks seen (the last frame number) */
	uint64_t blocks;      /* blocks read, of every type */
	uint32_t sections;    /* Section Header Blocks read */
	uint64_t interfaces;  /* IDBs read, all sections */
	/* Interface Statistics Blocks (4.6): for each interface the last isb_ifdrop
	 * (drops by the interface) and isb_osdrop (drops by the OS) seen, summed over
	 * all interfaces of all sections (saturating). _known: at least one interface
	 * gave that option; 0 means the file does not say (not that nothing was lost). */
	uint64_t if_drops, os_drops;
	int if_drops_known, os_drops_known;
	/* The periods the ISBs state the capture ran: isb_starttime to isb_endtime (or,
	 * without isb_endtime, to the block's timestamp), if_tsresol and if_tsoffset
	 * applied, over all interfaces and sections. An ISB without isb_starttime states
	 * no period. */
	tl_periods_t periods;
	/* Distinct link types of the IDBs, in the order first seen (capped). */
	int linktypes[TL_PCAPNG_MAX_LINKTYPES];
	size_t n_linktypes;
} tl_pcapng_stats_t;

typedef struct tl_pcapng tl_pcapng_t;

/* Starts reading fp at its current position (the first byte of a pcapng file).
 * fp and an are borrowed; they must outlive the reader, which neither closes fp
 * nor reads ahead of what it returns. Free with tl_pcapng_close. Never NULL. */
tl_pcapng_t *tl_pcapng_open(FILE *fp, tl_anomalies_t *an);

/* Reads up to the next frame. Returns 1 and fills *out; 0 at the end of the file;
 * or a negative TL_E* code when reading stopped (the anomaly is already counted
 * and tl_pcapng_error says why: TL_EFORMAT for broken framing or a truncated
 * file, TL_EIO for a read error). After 0 or a negative value, every further
 * call returns the same. */
int tl_pcapng_next(tl_pcapng_t *r, tl_pcapng_frame_t *out);

/* Why reading stopped, or else the first thing worth a note (a skipped section,
 * the first inconsistent block); "" if nothing. Owned by the reader. */
const char *tl_pcapng_error(const tl_pcapng_t *r);

/* Counts so far (drop sums include the current section). */
void tl_pcapng_stats(const tl_pcapng_t *r, tl_pcapng_stats_t *out);

/* Frees the reader; safe on NULL. Does not close fp. */
void tl_pcapng_close(tl_pcapng_t *r);

#endif
