/* record.h - one DNS message as read from a capture or a log line. */
#ifndef TL_INPUT_RECORD_H
#define TL_INPUT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "util/addr.h"
#include "util/buf.h"

enum { TL_TRANSPORT_UNKNOWN = 0, TL_TRANSPORT_UDP = 1, TL_TRANSPORT_TCP = 2 };

/* Header flags, as a bit set. */
enum {
	TL_FLAG_AA = 1 << 0,
	TL_FLAG_TC = 1 << 1,
	TL_FLAG_RD = 1 << 2,
	TL_FLAG_RA = 1 << 3,
	TL_FLAG_AD = 1 << 4,
	TL_FLAG_CD = 1 << 5,
};

/* Which fields a record actually carries (logs do not give everything). */
enum {
	TL_KNOWN_ID = 1 << 0,
	TL_KNOWN_QR = 1 << 1,
	TL_KNOWN_OPCODE = 1 << 2,
	TL_KNOWN_RCODE = 1 << 3,
	TL_KNOWN_FLAGS = 1 << 4,   /* every bit in flags is known */
	TL_KNOWN_EDNS = 1 << 5,    /* edns == NULL then means "no OPT record" */
	TL_KNOWN_SPORT = 1 << 6,
	TL_KNOWN_DPORT = 1 << 7,
	TL_KNOWN_IPTTL = 1 << 8,   /* ip_ttl holds the IPv4 TTL or IPv6 hop limit */
	TL_KNOWN_ANSWERS = 1 << 9, /* the answer section is known (possibly empty) */
	TL_KNOWN_SECTIONS = 1 << 10, /* authority and additional sections are known */
};

#define TL_TYPE_UNKNOWN 0 /* RR type not given by the source (some logs) */

typedef struct tl_rr {
	const char *name; /* owner, presentation format with trailing dot */
	uint16_t type;    /* TL_TYPE_UNKNOWN if the source did not say */
	uint16_t rclass;
	int64_t ttl;      /* -1 if unknown */
	const char *data; /* rdata as text, as ldns prints it */
} tl_rr_t;

typedef struct tl_edns {
	uint16_t udp_size;
	uint8_t version;
	uint8_t do_bit;
	size_t n_options;
	const uint16_t *option_codes; /* in wire order */
	/* EDNS client subnet (RFC 7871), if an option 8 was present and well formed */
	uint8_t has_ecs;
	uint16_t ecs_family; /* 1 = IPv4, 2 = IPv6 (IANA address family numbers) */
	uint8_t ecs_source_prefix, ecs_scope_prefix;
	const char *ecs_address; /* text form */
} tl_edns_t;

/* A DNS message. Strings and arrays point into memory owned by the reader and
 * are valid only during the callback that receives the record. */
typedef struct tl_record {
	int64_t ts; /* UTC microseconds */
	tl_addr_t src, dst;
	uint16_t sport, dport;
	uint8_t transport; /* TL_TRANSPORT_* */
	uint8_t ip_ttl;
	uint32_t known;    /* TL_KNOWN_* */

	uint16_t id;
	uint8_t qr;
	uint8_t opcode;
	uint16_t rcode;  /* with the EDNS extended bits (RFC 6891 6.1.3) */
	uint16_t flags;  /* TL_FLAG_* */
	uint16_t flags_known; /* TL_FLAG_* bits the source states (all six for captures) */
	const char *qname; /* NULL if the message has no question */
	uint16_t qtype, qclass;
	uint16_t qdcount, ancount, nscount, arcount; /* header counts as sent */

	const tl_rr_t *answers, *authority, *additional;
	size_t n_answers, n_authority, n_additional;
	const tl_edns_t *edns; /* NULL: none, or unknown (see TL_KNOWN_EDNS) */

	int64_t latency_us; /* responses matched to a query; -1 otherwise */
	uint64_t query_pos; /* a response paired with its query (src/input/match.c, or the
	                     * same log line): that query's pos in the same input; 0 otherwise */
	uint32_t file;      /* input index, 0-based in the order given */
	uint64_t pos;       /* frame number (1-based) or line number (1-based) */
	uint8_t partial;    /* some sections were dropped because they were malformed */
} tl_record_t;

/* Clears a record to "nothing known" (latency -1). */
void tl_record_init(tl_record_t *r);

/* Mnemonics: "A", "NXDOMAIN", "QUERY", "IN"; numbers for the rest
 * ("TYPE65280", "RCODE23", "CLASS3"...). Return static or buf-backed strings. */
const char *tl_rrtype_name(uint16_t type, char buf[16]);
const char *tl_rcode_name(uint16_t rcode, char buf[16]);
const char *tl_opcode_name(uint8_t opcode, char buf[16]);
const char *tl_class_name(uint16_t rclass, char buf[16]);
/* Inverse for log readers: "A" -> 1, "TYPE65280" -> 65280. TL_OK or TL_EFORMAT. */
int tl_rrtype_parse(const char *s, size_t len, uint16_t *type);
int tl_rcode_parse(const char *s, size_t len, uint16_t *rcode);
int tl_class_parse(const char *s, size_t len, uint16_t *rclass);

#endif
