/* dns.c - DNS message decoding: our own bounds-checked walk, ldns for rdata text.
 *
 * ldns is not a safe oracle for hostile input: its buffer readers only assert
 * bounds, it follows compression pointers in any direction, and ldns_wire2pkt
 * continues the next RR where the rdata parser stopped rather than at the end
 * given by RDLENGTH. So every byte of the message is walked here, through the
 * cursor, and ldns is only handed rdata fields whose extent has been checked:
 * each field becomes an ldns_rdf (split by the field layout of ldns's own RR
 * descriptor) that ldns_rdf2buffer_str prints exactly as ldns_rr2str prints
 * the rdata part of a record. Names inside rdata are decompressed here under
 * the same pointer rules as owner names, and printed by name_format, which
 * reproduces ldns_rdf2buffer_str_dname (the tests compare the two for every
 * octet value): ldns prints a name one printf call per character, which alone
 * halved the decoding rate.
 *
 * One message counts at most one anomaly: the first fault in wire order. A
 * fault in a name, an RR header or an rdata drops that RR and everything after
 * it (rec->partial = 1); what came before is kept. */
#include "input/dns/dns.h"
#include "util/cursor.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the walkers below return for bytes that hold no anomaly; anything else they return
 * is the tl_anomaly_kind_t found (0 is a kind, so success is not 0). */
#define WELL_FORMED (-1)

#define HEADER_LEN 12   /* RFC 1035 4.1.1 */
#define RR_FIXED_LEN 10 /* TYPE, CLASS, TTL, RDLENGTH: RFC 1035 4.1.3 */
#define RR_MIN_LEN 11   /* a root owner name plus the fixed part */
#define NAME_MAX_WIRE 255 /* RFC 1035 2.3.4 / 3.1: octets of a name in wire form */
#define NAME_MAX_TEXT (NAME_MAX_WIRE * 4 + 2) /* every octet as \DDD, plus "." and NUL */
/* A legitimate chain of compression pointers has at most one hop per label, and a
 * 255-octet name has at most 127 labels. */
#define MAX_POINTER_HOPS 127
#define TYPE_OPT 41     /* RFC 6891 6.1.1 */
#define EDNS_OPT_ECS 8  /* RFC 7871 6 */

enum { SEC_AN, SEC_NS, SEC_AR, SEC__COUNT };

typedef struct dec {
	const uint8_t *msg;
	size_t len;
	tl_arena_t *arena;
	tl_record_t *rec;
	int anomaly;         /* first anomaly found (tl_anomaly_kind_t), or -1 */
	ldns_buffer *text;   /* rdata text, created on first use */
	uint8_t opt_seen;
} dec_t;

static void note(dec_t *d, tl_anomaly_kind_t kind)
{
	if (d->anomaly < 0)
		d->anomaly = (int)kind;
}

/* Reads the (possibly compressed) name at msg[start..] and writes its
 * uncompressed wire form to wire[] (*wlen octets, root label included).
 * *after is the position just past the name in place. Returns WELL_FORMED, else the
 * anomaly kind. */
static int walk_name(const uint8_t *msg, size_t len, size_t start, size_t *after,
		     uint8_t wire[NAME_MAX_WIRE], size_t *wlen)
{
	/* Each fragment is a run of labels read in place: [lo, hi). Kept to tell a
	 * pointer that closes a cycle (loop) from one that merely points forward. */
	size_t frag_lo[MAX_POINTER_HOPS + 1], frag_hi[MAX_POINTER_HOPS + 1];
	size_t nfrag = 0, frag = start, wl = 0, end = 0;
	tl_cursor_t c;

	tl_cur_init(&c, msg, len);
	tl_cur_seek(&c, start);
	for (;;) {
		uint8_t b = tl_cur_u8(&c);
		if (!tl_cur_ok(&c))
			return TL_AN_DNS_TRUNCATED;
		switch (b & 0xC0) {
		case 0x00: /* RFC 1035 4.1.4: a length octet, 0 ends the name */
			if (b == 0) {
				wire[wl++] = 0;
				*wlen = wl;
				*after = end ? end : c.pos;
				return WELL_FORMED;
			}
			/* RFC 1035 2.3.4: at most 255 octets, counting the root label */
			if (wl + 1 + b + 1 > NAME_MAX_WIRE)
				return TL_AN_DNS_NAME_TOO_LONG;
			{
				const uint8_t *p = tl_cur_ptr(&c, b);
				if (!p)
					return TL_AN_DNS_TRUNCATED;
				wire[wl++] = b;
				memcpy(wire + wl, p, b);
				wl += b;
			}
			break;
		case 0xC0: { /* RFC 1035 4.1.4: a pointer, 14-bit offset from the header */
			uint8_t lo = tl_cur_u8(&c);
			if (!tl_cur_ok(&c))
				return TL_AN_DNS_TRUNCATED;
			size_t target = ((size_t)(b & 0x3F) << 8) | lo;
			if (!end)
				end = c.pos;
			frag_lo[nfrag] = frag;
			frag_hi[nfrag] = c.pos;
			nfrag++;
			/* A compressor can only refer to a name it already wrote, so a
			 * pointer must land before the fragment it sits in, and past the
			 * header (which holds no names). This also makes loops impossible. */
			if (target >= frag || target < HEADER_LEN) {
				for (size_t i = 0; i < nfrag; i++)
					if (target >= frag_lo[i] && target < frag_hi[i])
						return TL_AN_DNS_POINTER_LOOP;
				return TL_AN_DNS_BAD_POINTER;
			}
			if (nfrag > MAX_POINTER_HOPS)
				return TL_AN_DNS_POINTER_LOOP;
			frag = target;
			tl_cur_seek(&c, target);
			break;
		}
		default: /* 01 and 10: extended label types, RFC 1035 4.1.4, RFC 6891 5 */
			return TL_AN_DNS_LABEL_TOO_LONG;
		}
	}
}

/* Writes the presentation format of an uncompressed wire name to out and returns
 * its length (no NUL). Escaped as ldns_rdf2buffer_str_dname does (RFC 1035 5.1):
 * \X for . ; ( ) \, \DDD for octets outside 0x21-0x7E. Keeps the letter case. */
static size_t name_format(const uint8_t *wire, size_t wl, char out[NAME_MAX_TEXT])
{
	static const char digits[] = "0123456789";
	size_t o = 0, i = 0;

	if (wl <= 1) {
		out[0] = '.';
		return 1;
	}
	while (i < wl && wire[i]) {
		size_t n = wire[i++];
		for (size_t k = 0; k < n && i < wl; k++, i++) {
			uint8_t ch = wire[i];
			if (ch == '.' || ch == ';' || ch == '(' || ch == ')' || ch == '\\') {
				out[o++] = '\\';
				out[o++] = (char)ch;
			} else if (ch < 0x21 || ch > 0x7E) {
				out[o++] = '\\';
				out[o++] = digits[ch / 100];
				out[o++] = digits[ch / 10 % 10];
				out[o++] = digits[ch % 10];
			} else {
				out[o++] = (char)ch;
			}
		}
		out[o++] = '.';
	}
	return o;
}

static const char *name_text(tl_arena_t *arena, const uint8_t *wire, size_t wl)
{
	char out[NAME_MAX_TEXT];
	return tl_arena_strndup(arena, out, name_format(wire, wl, out));
}

/* Appends one rdata field, printed by ldns. The rdf points at checked bytes;
 * ldns only reads them (the cast drops const for its struct field). Returns WELL_FORMED,
 * or TL_AN_DNS_RDATA_MALFORMED. */
static int print_rdf(dec_t *d, ldns_rdf_type type, const uint8_t *data, size_t size)
{
	/* ldns 1.8.3 writes SvcParamKey names (svcparam_key2buffer_str) without
	 * reserving room: an assertion failure, or a heap overrun without asserts,
	 * when the buffer is nearly full. Reserve a bound on the whole field's text
	 * first: at most 9 characters per octet (a mandatory key list) plus a key. */
	if (!ldns_buffer_reserve(d->text, 10 * size + 64))
		return TL_AN_DNS_RDATA_MALFORMED;
	ldns_rdf rdf;
	rdf._size = size;
	rdf._type = type;
	rdf._data = (void *)(uintptr_t)data;
	return ldns_rdf2buffer_str(d->text, &rdf) == LDNS_STATUS_OK ? WELL_FORMED
								    : TL_AN_DNS_RDATA_MALFORMED;
}

/* Size of the rdata field of type ft at msg[pos..end), the same layout ldns's
 * wire2rdf uses; 0 when it does not fit. Names are handled by the caller. */
static size_t field_size(const uint8_t *msg, size_t pos, size_t end, ldns_rdf_type ft)
{
	tl_cursor_t c;
	tl_cur_init(&c, msg + pos, end - pos);
	size_t n;

	switch (ft) {
	case LDNS_RDF_TYPE_CLASS:
	case LDNS_RDF_TYPE_ALG:
	case LDNS_RDF_TYPE_CERTIFICATE_USAGE:
	case LDNS_RDF_TYPE_SELECTOR:
	case LDNS_RDF_TYPE_MATCHING_TYPE:
	case LDNS_RDF_TYPE_INT8:
		n = 1;
		break;
	case LDNS_RDF_TYPE_TYPE:
	case LDNS_RDF_TYPE_INT16:
	case LDNS_RDF_TYPE_CERT_ALG:
		n = 2;
		break;
	case LDNS_RDF_TYPE_TIME:
	case LDNS_RDF_TYPE_INT32:
	case LDNS_RDF_TYPE_A:
	case LDNS_RDF_TYPE_PERIOD:
		n = 4;
		break;
	case LDNS_RDF_TYPE_TSIGTIME:
	case LDNS_RDF_TYPE_EUI48:
		n = 6;
		break;
	case LDNS_RDF_TYPE_ILNP64:
	case LDNS_RDF_TYPE_EUI64:
		n = 8;
		break;
	case LDNS_RDF_TYPE_AAAA:
		n = 16;
		break;
	case LDNS_RDF_TYPE_STR: /* <character-string>, RFC 1035 3.3: length octet first */
	case LDNS_RDF_TYPE_NSEC3_SALT:
	case LDNS_RDF_TYPE_TAG:
	case LDNS_RDF_TYPE_B32_EXT:
	case LDNS_RDF_TYPE_NSEC3_NEXT_OWNER:
		n = (size_t)tl_cur_u8(&c) + 1;
		break;
	case LDNS_RDF_TYPE_INT16_DATA:
		n = (size_t)tl_cur_u16(&c) + 2;
		break;
	case LDNS_RDF_TYPE_HIP: { /* RFC 8005 5: HIT length, PK algorithm, PK length */
		size_t hit = tl_cur_u8(&c);
		tl_cur_skip(&c, 1);
		size_t pk = tl_cur_u16(&c);
		n = hit + pk + 4;
		break;
	}
	case LDNS_RDF_TYPE_APL:
	case LDNS_RDF_TYPE_B64:
	case LDNS_RDF_TYPE_HEX:
	case LDNS_RDF_TYPE_NSEC:
	case LDNS_RDF_TYPE_UNKNOWN:
	case LDNS_RDF_TYPE_SERVICE:
	case LDNS_RDF_TYPE_LOC:
	case LDNS_RDF_TYPE_WKS:
	case LDNS_RDF_TYPE_NSAP:
	case LDNS_RDF_TYPE_ATMA:
	case LDNS_RDF_TYPE_IPSECKEY:
	case LDNS_RDF_TYPE_LONG_STR:
	case LDNS_RDF_TYPE_AMTRELAY:
	case LDNS_RDF_TYPE_SVCPARAMS:
	case LDNS_RDF_TYPE_NONE:
		n = end - pos; /* the rest of the rdata */
		break;
	default:
		return 0;
	}
	if (!tl_cur_ok(&c) || n > end - pos)
		return 0;
	return n;
}

/* Formats the rdata msg[start..start+rdlen) of an RR of the given type as ldns
 * prints it. Returns WELL_FORMED and sets *text, or the anomaly kind. */
static int rdata_text(dec_t *d, uint16_t type, size_t start, size_t rdlen, const char **text)
{
	if (rdlen == 0) {
		/* ldns_rr2str's form for an RR without rdata (e.g. RFC 2136 deletes) */
		*text = tl_arena_strndup(d->arena, "\\# 0", 4);
		return WELL_FORMED;
	}
	if (!d->text) {
		d->text = ldns_buffer_new(256);
		if (!d->text) {
			fputs("tealeaves: out of memory\n", stderr);
			abort();
		}
	}
	ldns_buffer_clear(d->text);

	const ldns_rr_descriptor *desc = ldns_rr_descript(type);
	size_t max = ldns_rr_descriptor_maximum(desc), min = ldns_rr_descriptor_minimum(desc);
	size_t pos = start, end = start + rdlen, i;

	for (i = 0; pos < end && i < max; i++) {
		ldns_rdf_type ft = ldns_rr_descriptor_field_type(desc, i);
		int r;
		if (i > 0 && ldns_buffer_reserve(d->text, 1))
			ldns_buffer_write_u8(d->text, ' '); /* as ldns_rr2str joins fields */
		if (ft == LDNS_RDF_TYPE_DNAME) {
			uint8_t wire[NAME_MAX_WIRE];
			size_t wl, after;
			r = walk_name(d->msg, d->len, pos, &after, wire, &wl);
			if (r != WELL_FORMED)
				return r;
			if (after > end) /* the name runs out of its rdata */
				return TL_AN_DNS_RDATA_MALFORMED;
			char tmp[NAME_MAX_TEXT];
			size_t tl = name_format(wire, wl, tmp);
			r = ldns_buffer_reserve(d->text, tl) ? WELL_FORMED : TL_AN_DNS_RDATA_MALFORMED;
			if (r == WELL_FORMED)
				ldns_buffer_write(d->text, tmp, tl);
			pos = after;
		} else {
			size_t n = field_size(d->msg, pos, end, ft);
			if (n == 0)
				return TL_AN_DNS_RDATA_MALFORMED;
			r = print_rdf(d, ft, d->msg + pos, n);
			pos += n;
		}
		if (r != WELL_FORMED)
			return r;
	}
	/* Every octet must belong to a field, and every mandatory field be there. */
	if (pos != end || i < min || ldns_buffer_status(d->text) != LDNS_STATUS_OK)
		return TL_AN_DNS_RDATA_MALFORMED;
	*text = tl_arena_strndup(d->arena, (const char *)ldns_buffer_begin(d->text),
				 ldns_buffer_position(d->text));
	return WELL_FORMED;
}

/* EDNS client subnet, RFC 7871 6. Returns 1 if well formed. */
static int parse_ecs(dec_t *d, tl_cursor_t *o, size_t olen, tl_edns_t *e)
{
	if (olen < 4)
		return 0;
	uint16_t family = tl_cur_u16(o);
	uint8_t source = tl_cur_u8(o), scope = tl_cur_u8(o);
	unsigned maxbits = family == 1 ? 32 : family == 2 ? 128 : 0;
	if (!maxbits || source > maxbits || scope > maxbits)
		return 0;
	/* the address is truncated to SOURCE PREFIX-LENGTH bits, rounded up to octets */
	size_t nbytes = ((size_t)source + 7) / 8;
	if (olen - 4 != nbytes)
		return 0;
	uint8_t addr[16] = {0};
	tl_cur_copy(o, addr, nbytes);
	if (!tl_cur_ok(o))
		return 0;
	char buf[INET6_ADDRSTRLEN];
	if (!inet_ntop(family == 1 ? AF_INET : AF_INET6, addr, buf, sizeof(buf)))
		return 0;
	e->has_ecs = 1;
	e->ecs_family = family;
	e->ecs_source_prefix = source;
	e->ecs_scope_prefix = scope;
	e->ecs_address = tl_arena_strdup(d->arena, buf);
	return 1;
}

/* The OPT pseudo-RR (RFC 6891 6.1.2): CLASS is the UDP payload size, TTL holds the
 * extended RCODE, VERSION and the DO bit, RDATA a list of options. */
static void parse_opt(dec_t *d, int owner_is_root, uint16_t rclass, uint32_t ttl,
		      size_t start, size_t rdlen)
{
	tl_edns_t *e = tl_arena_alloc(d->arena, sizeof(*e));
	memset(e, 0, sizeof(*e));
	e->udp_size = rclass;
	e->version = (uint8_t)(ttl >> 16);
	e->do_bit = (uint8_t)((ttl >> 15) & 1);
	/* RFC 6891 6.1.3: the upper 8 bits of the 12-bit RCODE */
	d->rec->rcode = (uint16_t)(((ttl >> 24) << 4) | (d->rec->rcode & 0x0F));
	if (!owner_is_root) /* RFC 6891 6.1.2: the owner MUST be the root */
		note(d, TL_AN_DNS_BAD_EDNS);

	uint16_t *codes = tl_arena_alloc(d->arena, (rdlen / 4 + 1) * sizeof(*codes));
	size_t n = 0;
	int ecs_done = 0;
	tl_cursor_t c;
	tl_cur_init(&c, d->msg + start, rdlen);
	while (tl_cur_left(&c) > 0) {
		/* RFC 6891 6.1.2: OPTION-CODE, OPTION-LENGTH, OPTION-DATA */
		if (tl_cur_left(&c) < 4) {
			note(d, TL_AN_DNS_BAD_EDNS);
			break;
		}
		uint16_t code = tl_cur_u16(&c), olen = tl_cur_u16(&c);
		if (tl_cur_left(&c) < olen) {
			note(d, TL_AN_DNS_BAD_EDNS);
			break;
		}
		codes[n++] = code;
		tl_cursor_t o = tl_cur_sub(&c, olen);
		if (code == EDNS_OPT_ECS && !ecs_done) {
			ecs_done = 1;
			if (!parse_ecs(d, &o, olen, e))
				note(d, TL_AN_DNS_BAD_EDNS);
		}
	}
	e->n_options = n;
	e->option_codes = codes;
	d->rec->edns = e;
}

/* Decodes one section; returns 1 if all its RRs were read, 0 at the first fault. */
static int read_section(dec_t *d, tl_cursor_t *c, int sec, uint16_t count)
{
	/* No more RRs can be kept than fit in the bytes left. */
	size_t cap = tl_cur_left(c) / RR_MIN_LEN;
	if (cap > count)
		cap = count;
	tl_rr_t *rrs = cap ? tl_arena_alloc(d->arena, cap * sizeof(*rrs)) : NULL;
	size_t n = 0;
	int complete = 1;

	for (uint16_t i = 0; i < count; i++) {
		uint8_t wire[NAME_MAX_WIRE];
		size_t wl, after;
		int r = walk_name(d->msg, d->len, c->pos, &after, wire, &wl);
		if (r != WELL_FORMED) {
			note(d, (tl_anomaly_kind_t)r);
			complete = 0;
			break;
		}
		tl_cur_seek(c, after);
		uint16_t type = tl_cur_u16(c), rclass = tl_cur_u16(c);
		uint32_t ttl = tl_cur_u32(c);
		uint16_t rdlen = tl_cur_u16(c);
		size_t rdstart = c->pos;
		tl_cur_skip(c, rdlen); /* RFC 1035 4.1.3: RDLENGTH octets of RDATA */
		if (!tl_cur_ok(c)) {
			note(d, TL_AN_DNS_TRUNCATED);
			complete = 0;
			break;
		}
		if (type == TYPE_OPT && sec == SEC_AR) {
			/* RFC 6891 6.1.1: at most one OPT; it is not listed as an RR */
			if (d->opt_seen)
				note(d, TL_AN_DNS_BAD_EDNS);
			else
				parse_opt(d, wl == 1, rclass, ttl, rdstart, rdlen);
			d->opt_seen = 1;
			continue;
		}
		if (type == TYPE_OPT) /* RFC 6891 6.1.1: only in the additional section */
			note(d, TL_AN_DNS_BAD_EDNS);
		const char *text = NULL;
		r = rdata_text(d, type, rdstart, rdlen, &text);
		if (r != WELL_FORMED) {
			note(d, (tl_anomaly_kind_t)r);
			complete = 0;
			break;
		}
		if (n < cap) { /* always true: each RR took at least RR_MIN_LEN bytes */
			tl_rr_t *rr = &rrs[n++];
			rr->name = name_text(d->arena, wire, wl);
			rr->type = type;
			rr->rclass = rclass;
			rr->ttl = ttl;
			rr->data = text;
		}
	}
	switch (sec) {
	case SEC_AN:
		d->rec->answers = rrs;
		d->rec->n_answers = n;
		break;
	case SEC_NS:
		d->rec->authority = rrs;
		d->rec->n_authority = n;
		break;
	default:
		d->rec->additional = rrs;
		d->rec->n_additional = n;
		break;
	}
	return complete;
}

static void reset_dns_fields(tl_record_t *rec)
{
	rec->known &= ~(uint32_t)(TL_KNOWN_ID | TL_KNOWN_QR | TL_KNOWN_OPCODE | TL_KNOWN_RCODE |
				  TL_KNOWN_FLAGS | TL_KNOWN_EDNS | TL_KNOWN_ANSWERS |
				  TL_KNOWN_SECTIONS);
	rec->id = 0;
	rec->qr = 0;
	rec->opcode = 0;
	rec->rcode = 0;
	rec->flags = 0;
	rec->qname = NULL;
	rec->qtype = rec->qclass = 0;
	rec->qdcount = rec->ancount = rec->nscount = rec->arcount = 0;
	rec->answers = rec->authority = rec->additional = NULL;
	rec->n_answers = rec->n_authority = rec->n_additional = 0;
	rec->edns = NULL;
	rec->partial = 0;
}

int tl_dns_decode(const uint8_t *msg, size_t len, tl_record_t *rec, tl_arena_t *arena,
		  tl_anomalies_t *an, uint64_t pos)
{
	dec_t d = {.msg = msg, .len = msg ? len : 0, .arena = arena, .rec = rec, .anomaly = -1};
	tl_cursor_t c;

	reset_dns_fields(rec);
	tl_cur_init(&c, msg, d.len);

	/* RFC 1035 4.1.1: the 12-octet header */
	if (tl_cur_left(&c) < HEADER_LEN) {
		tl_anomaly_add(an, TL_AN_DNS_SHORT, pos);
		return TL_EFORMAT;
	}
	rec->id = tl_cur_u16(&c);
	uint16_t fl = tl_cur_u16(&c);
	rec->qdcount = tl_cur_u16(&c);
	rec->ancount = tl_cur_u16(&c);
	rec->nscount = tl_cur_u16(&c);
	rec->arcount = tl_cur_u16(&c);
	rec->qr = (uint8_t)(fl >> 15);
	rec->opcode = (uint8_t)((fl >> 11) & 0x0F);
	rec->rcode = fl & 0x0F;
	/* RFC 1035 4.1.1 (AA TC RD RA), RFC 4035 3.2 (AD CD) */
	rec->flags = (uint16_t)(((fl & 0x0400) ? TL_FLAG_AA : 0) | ((fl & 0x0200) ? TL_FLAG_TC : 0) |
				((fl & 0x0100) ? TL_FLAG_RD : 0) | ((fl & 0x0080) ? TL_FLAG_RA : 0) |
				((fl & 0x0020) ? TL_FLAG_AD : 0) | ((fl & 0x0010) ? TL_FLAG_CD : 0));
	rec->known |= TL_KNOWN_ID | TL_KNOWN_QR | TL_KNOWN_OPCODE | TL_KNOWN_RCODE | TL_KNOWN_FLAGS;
	/* every header flag is on the wire: flags_known says so bit by bit too */
	rec->flags_known = TL_FLAG_AA | TL_FLAG_TC | TL_FLAG_RD | TL_FLAG_RA | TL_FLAG_AD | TL_FLAG_CD;

	int ok = 1;
	/* RFC 1035 4.1.2: QNAME, QTYPE, QCLASS; only the first question is kept */
	for (uint16_t i = 0; i < rec->qdcount && ok; i++) {
		uint8_t wire[NAME_MAX_WIRE];
		size_t wl, after;
		int r = walk_name(msg, d.len, c.pos, &after, wire, &wl);
		if (r != WELL_FORMED) {
			note(&d, (tl_anomaly_kind_t)r);
			ok = 0;
			break;
		}
		tl_cur_seek(&c, after);
		uint16_t qtype = tl_cur_u16(&c), qclass = tl_cur_u16(&c);
		if (!tl_cur_ok(&c)) {
			note(&d, TL_AN_DNS_TRUNCATED);
			ok = 0;
			break;
		}
		if (i == 0) {
			rec->qname = name_text(arena, wire, wl);
			rec->qtype = qtype;
			rec->qclass = qclass;
		}
	}

	int an_ok = ok && read_section(&d, &c, SEC_AN, rec->ancount);
	int ns_ok = an_ok && read_section(&d, &c, SEC_NS, rec->nscount);
	int ar_ok = ns_ok && read_section(&d, &c, SEC_AR, rec->arcount);
	if (an_ok)
		rec->known |= TL_KNOWN_ANSWERS;
	if (ns_ok && ar_ok)
		rec->known |= TL_KNOWN_SECTIONS;
	/* Without the whole additional section, a missing OPT may just be unread. */
	if (ar_ok || rec->edns)
		rec->known |= TL_KNOWN_EDNS;
	if (!ar_ok)
		rec->partial = 1;
	else if (tl_cur_left(&c) > 0)
		note(&d, TL_AN_DNS_TRAILING); /* RFC 1035 4.1: nothing follows the sections */

	if (d.anomaly >= 0)
		tl_anomaly_add(an, (tl_anomaly_kind_t)d.anomaly, pos);
	if (d.text)
		ldns_buffer_free(d.text);
	return TL_OK;
}

const char *tl_dns_ldns_version(void)
{
	return ldns_version();
}
