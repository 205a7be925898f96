/* anomaly.h - bad input is counted by kind, with the first few positions. */
#ifndef TL_INPUT_ANOMALY_H
#define TL_INPUT_ANOMALY_H

#include <stdint.h>

/* Keep names in anomaly.c in the same order. Append; never renumber lightly:
 * names (not numbers) are what outputs show. */
typedef enum tl_anomaly_kind {
	/* file level */
	TL_AN_FILE_TRUNCATED,      /* capture ends inside a record */
	TL_AN_FILE_READ_ERROR,     /* libpcap or zlib stopped with an error */
	TL_AN_GZIP_CORRUPT,        /* compressed stream is damaged */
	TL_AN_LINKTYPE_UNSUPPORTED,/* frames of a link type we do not decode */
	TL_AN_TIME_BACKWARDS,      /* earlier than the latest frame/line before it */
	/* link and network layers */
	TL_AN_FRAME_TRUNCATED,     /* captured length too short for the headers */
	TL_AN_L2_MALFORMED,        /* bad link-layer header */
	TL_AN_L3_UNKNOWN,          /* not IPv4/IPv6 (ARP etc.): not DNS, counted */
	TL_AN_IP_MALFORMED,        /* bad version, header length, total length */
	TL_AN_IP_TRUNCATED,        /* datagram longer than what was captured */
	TL_AN_IP6_EXTHDR_MALFORMED,
	TL_AN_FRAG_OVERLAP,        /* overlapping fragments with different bytes */
	TL_AN_FRAG_CAP,            /* reassembly cap (datagrams or bytes) hit */
	TL_AN_FRAG_TIMEOUT,        /* datagram never completed */
	TL_AN_FRAG_MALFORMED,      /* bad offsets or sizes */
	TL_AN_UDP_MALFORMED,
	TL_AN_TCP_MALFORMED,
	TL_AN_TCP_MIDSTREAM,       /* stream seen without its start */
	TL_AN_TCP_HOLE,            /* bytes missing in a stream; skipped */
	TL_AN_TCP_FLOW_CAP,        /* too many concurrent flows */
	TL_AN_TCP_BUFFER_CAP,      /* out-of-order or message buffer cap hit */
	TL_AN_TCP_INCOMPLETE,      /* stream ended inside a message */
	TL_AN_TCP_BAD_LENGTH,      /* length prefix too small for a DNS header */
	/* DNS */
	TL_AN_DNS_SHORT,           /* fewer than 12 bytes */
	TL_AN_DNS_BAD_POINTER,     /* compression pointer not strictly backwards */
	TL_AN_DNS_POINTER_LOOP,    /* too many pointers followed */
	TL_AN_DNS_LABEL_TOO_LONG,  /* label type 01/10 or length > 63 (RFC 1035 2.3.4) */
	TL_AN_DNS_NAME_TOO_LONG,   /* name over 255 octets */
	TL_AN_DNS_TRUNCATED,       /* a section ends before its count (data cut) */
	TL_AN_DNS_RDATA_MALFORMED, /* rdata ldns could not parse */
	TL_AN_DNS_BAD_EDNS,        /* OPT record malformed or repeated */
	TL_AN_DNS_TRAILING,        /* bytes after the last section */
	/* text logs */
	TL_AN_LINE_TOO_LONG,
	TL_AN_LINE_UNPARSABLE,
	TL_AN_BAD_TIMESTAMP,
	TL_AN_BAD_ADDRESS,
	TL_AN_BAD_NAME,
	TL_AN_BAD_FIELD,
	TL_AN_BAD_HEADER,
	/* matching */
	TL_AN_MATCH_CAP,           /* too many pending queries; oldest dropped */
	/* pcapng (src/input/capture/pcapng.h) */
	TL_AN_PCAPNG_BAD_BLOCK,    /* block fields contradict its length, bad option, bad version */
	TL_AN_PCAPNG_NO_INTERFACE, /* block names an interface with no IDB in its section */
	TL_AN_FRAME_NO_TIMESTAMP,  /* frame without a timestamp (SPB): dated by the previous one */
	TL_AN__COUNT
} tl_anomaly_kind_t;

#define TL_AN_FIRST_MAX 5

typedef struct tl_anomalies {
	uint64_t count[TL_AN__COUNT];
	uint64_t first[TL_AN__COUNT][TL_AN_FIRST_MAX]; /* positions of the first few */
} tl_anomalies_t;

/* Snake-case name of a kind, e.g. "dns_bad_pointer". */
const char *tl_anomaly_name(tl_anomaly_kind_t kind);
/* Counts one anomaly at pos (frame or line number). */
void tl_anomaly_add(tl_anomalies_t *a, tl_anomaly_kind_t kind, uint64_t pos);
uint64_t tl_anomaly_total(const tl_anomalies_t *a);

#endif
