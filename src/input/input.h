/* input.h - reading one evidence file: detection, hashing, decoding, matching. */
#ifndef TL_INPUT_INPUT_H
#define TL_INPUT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "input/anomaly.h"
#include "input/capture/net.h"
#include "input/period.h"
#include "input/record.h"
#include "util/sha256.h"

typedef enum tl_format {
	TL_FORMAT_UNKNOWN = 0,
	TL_FORMAT_PCAP,
	TL_FORMAT_PCAPNG,
	TL_FORMAT_BIND,
	TL_FORMAT_ZEEK_TSV,
	TL_FORMAT_ZEEK_JSON,
	TL_FORMAT_CSV,
	TL_FORMAT_TSV,
} tl_format_t;

const char *tl_format_name(tl_format_t f);

typedef struct tl_input_opts {
	tl_net_opts_t net;
	size_t max_line;            /* text logs: longest line read (default 65536) */
	size_t match_max_pending;   /* queries awaiting a response (default 1,000,000) */
	int64_t match_timeout_us;   /* capture time a query waits (default 10 s) */
} tl_input_opts_t;

void tl_input_opts_default(tl_input_opts_t *o);

#define TL_INPUT_MAX_LINKTYPES 8

typedef struct tl_input_stats {
	uint64_t frames;       /* capture frames, or text lines */
	uint64_t messages;     /* DNS messages decoded (records emitted) */
	uint64_t queries, responses;
	uint64_t udp, tcp;
	uint64_t ipv4, ipv6;
	uint64_t matched;      /* responses matched to a query */
	uint64_t unanswered;   /* queries never matched within the timeout */
	uint64_t unmatched;    /* responses without a query */
	int64_t first_ts, last_ts; /* TL_TIME_NONE when empty */
	int linktypes[TL_INPUT_MAX_LINKTYPES];
	size_t n_linktypes;
	/* pcapng Interface Statistics Blocks: for each interface the last isb_ifdrop
	 * (packets dropped by the interface) and isb_osdrop (dropped by the OS) seen,
	 * summed over all interfaces. _known is 0 when no ISB gave the option: the
	 * capture does not say, which is not the same as nothing dropped. */
	uint64_t if_drops, os_drops;
	int if_drops_known, os_drops_known;
	/* pcapng: the periods its Interface Statistics Blocks state the capture ran
	 * (isb_starttime to isb_endtime), file times (no case offset); n 0 when none */
	tl_periods_t periods;
} tl_input_stats_t;

typedef struct tl_input_info {
	const char *path;     /* as given; borrowed */
	uint32_t index;
	tl_format_t format;
	int gzip;             /* the file was gzip-compressed */
	uint64_t size;        /* bytes of the file as stored (compressed, for .gz) */
	uint8_t sha256[TL_SHA256_LEN]; /* over exactly those bytes */
	tl_input_stats_t stats;
	tl_anomalies_t anomalies;
	char error[320];      /* what stopped or limited reading, "" if nothing */
} tl_input_info_t;

/* Called for every DNS message, in input order. The record is valid only during
 * the call. Return 0 to go on, non-zero to stop reading (tl_input_read then
 * returns TL_ESTOP). */
typedef int (*tl_record_fn)(const tl_record_t *r, void *ud);

/* Reads the file at path in one pass: detects the format (after gunzip),
 * hashes the stored bytes, decodes every DNS message and calls fn for each.
 * info is filled in (also on error, as far as it got).
 * Returns TL_OK; TL_ENOENT/TL_EACCES/TL_EIO when the file cannot be read;
 * TL_EFORMAT when it is no format we read. Bad data inside a readable file is
 * not an error: it is counted in info->anomalies. An unsupported link type is
 * counted (linktype_unsupported) and the file's frames skipped; in pcapng, once
 * per interface at its first frame, and only that interface's frames skipped. */
int tl_input_read(const char *path, uint32_t index, const tl_input_opts_t *opts,
		  tl_record_fn fn, void *ud, tl_input_info_t *info);

/* Version of libpcap in use (run time), e.g. "libpcap version 1.10.3 (...)". */
const char *tl_input_pcap_version(void);

#endif
