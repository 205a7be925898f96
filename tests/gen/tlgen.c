/* tlgen.c - writes the deterministic test captures and logs, and the demo samples.
 *
 * Usage: tlgen OUTDIR            the fixed test set (tests/golden compares against it)
 *        tlgen --samples OUTDIR  the synthetic demonstration set kept in samples/
 *
 * Every byte written depends only on this file: fixed timestamps, fixed addresses,
 * no clock, and a seeded PRNG of our own. DNS messages are built with ldns; the
 * malformed ones are written by hand. pcap files go through libpcap; pcapng (which
 * libpcap 1.10 cannot write) and a big-endian pcap are written by the small writers
 * below. This is test tooling: it aborts on any error instead of recovering. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ldns/ldns.h>
#include <pcap/pcap.h>
#include <zlib.h>

#define NS_PER_S 1000000000LL
#define NS_PER_US 1000LL
/* 2024-03-01T12:00:00Z: the start of every test capture */
#define T0 (1709294400LL * NS_PER_S)

static const char *outdir;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("tlgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory");
	return q;
}

/* ---- deterministic PRNG (xorshift64*) ---- */

static uint64_t rng_state = 0x7465616c65617665ULL; /* "tealeave" */

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rng_below(uint32_t n)
{
	return (uint32_t)(rng_next() % n);
}

/* ---- byte buffers ---- */

struct bytes {
	uint8_t *p;
	size_t n, cap;
};

static void b_need(struct bytes *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	while (b->cap < b->n + more)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->p = xrealloc(b->p, b->cap);
}

static void b_put(struct bytes *b, const void *src, size_t n)
{
	b_need(b, n);
	if (n)
		memcpy(b->p + b->n, src, n);
	b->n += n;
}

static void b_u8(struct bytes *b, unsigned v)
{
	uint8_t x = (uint8_t)v;

	b_put(b, &x, 1);
}

static void b_be16(struct bytes *b, unsigned v)
{
	b_u8(b, v >> 8);
	b_u8(b, v);
}

static void b_be32(struct bytes *b, uint32_t v)
{
	b_be16(b, v >> 16);
	b_be16(b, v & 0xffff);
}

static void b_le16(struct bytes *b, unsigned v)
{
	b_u8(b, v);
	b_u8(b, v >> 8);
}

static void b_le32(struct bytes *b, uint32_t v)
{
	b_le16(b, v & 0xffff);
	b_le16(b, v >> 16);
}

static void b_set_be16(struct bytes *b, size_t at, unsigned v)
{
	b->p[at] = (uint8_t)(v >> 8);
	b->p[at + 1] = (uint8_t)v;
}

static void b_set_le32(struct bytes *b, size_t at, uint32_t v)
{
	b->p[at] = (uint8_t)v;
	b->p[at + 1] = (uint8_t)(v >> 8);
	b->p[at + 2] = (uint8_t)(v >> 16);
	b->p[at + 3] = (uint8_t)(v >> 24);
}

static void b_free(struct bytes *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

static char *path_join(const char *name)
{
	size_t n = strlen(outdir) + strlen(name) + 2;
	char *p = xrealloc(NULL, n);

	snprintf(p, n, "%s/%s", outdir, name);
	return p;
}

static void write_file(const char *name, const void *data, size_t n)
{
	char *path = path_join(name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
	free(path);
}

/* ---- DNS messages (ldns) ---- */

enum { F_AA = 1, F_TC = 2, F_RD = 4, F_RA = 8, F_AD = 16, F_CD = 32 };

#define MAX_RRS 40

struct msg {
	uint16_t id;
	int qr;
	int opcode;
	unsigned rcode; /* with the EDNS extended bits (RFC 6891 6.1.3) */
	unsigned flags;
	const char *qname; /* NULL: no question */
	const char *qtype;
	const char *an[MAX_RRS], *ns[8], *ar[8]; /* RRs in presentation format, NULL-ended */
	int edns;
	unsigned udp_size, edns_version;
	int do_bit;
	int ecs_family; /* 0 none, 1 IPv4, 2 IPv6 (RFC 7871 6) */
	const char *ecs_addr;
	unsigned ecs_source, ecs_scope;
};

static void push_rrs(ldns_pkt *p, ldns_pkt_section sec, const char *const *rrs, size_t max)
{
	for (size_t i = 0; i < max && rrs[i]; i++) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL);

		if (st != LDNS_STATUS_OK)
			die("ldns cannot parse \"%s\": %s", rrs[i], ldns_get_errorstr_by_id(st));
		ldns_pkt_push_rr(p, sec, rr);
	}
}

/* The EDNS client subnet option (RFC 7871 6): code 8, family, prefixes and the
 * address cut to ceil(source/8) octets. */
static ldns_rdf *ecs_option(const struct msg *m)
{
	uint8_t addr[16];
	size_t alen = (m->ecs_source + 7) / 8;
	struct bytes b = { 0 };
	ldns_rdf *rdf;

	if (inet_pton(m->ecs_family == 1 ? AF_INET : AF_INET6, m->ecs_addr, addr) != 1)
		die("bad ECS address %s", m->ecs_addr);
	b_be16(&b, 8);
	b_be16(&b, (unsigned)(4 + alen));
	b_be16(&b, (unsigned)m->ecs_family);
	b_u8(&b, m->ecs_source);
	b_u8(&b, m->ecs_scope);
	b_put(&b, addr, alen);
	rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, b.n, b.p);
	b_free(&b);
	return rdf;
}

static void dns_build(const struct msg *m, struct bytes *out)
{
	ldns_pkt *p = ldns_pkt_new();
	uint8_t *wire = NULL;
	size_t n = 0;

	if (!p)
		die("ldns_pkt_new failed");
	ldns_pkt_set_id(p, m->id);
	ldns_pkt_set_qr(p, m->qr != 0);
	ldns_pkt_set_opcode(p, (ldns_pkt_opcode)m->opcode);
	ldns_pkt_set_rcode(p, (uint8_t)(m->rcode & 0xf));
	ldns_pkt_set_aa(p, (m->flags & F_AA) != 0);
	ldns_pkt_set_tc(p, (m->flags & F_TC) != 0);
	ldns_pkt_set_rd(p, (m->flags & F_RD) != 0);
	ldns_pkt_set_ra(p, (m->flags & F_RA) != 0);
	ldns_pkt_set_ad(p, (m->flags & F_AD) != 0);
	ldns_pkt_set_cd(p, (m->flags & F_CD) != 0);
	if (m->qname) {
		char q[512];
		ldns_rr *rr = NULL;

		snprintf(q, sizeof q, "%s IN %s", m->qname, m->qtype ? m->qtype : "A");
		if (ldns_rr_new_question_frm_str(&rr, q, NULL, NULL) != LDNS_STATUS_OK)
			die("ldns cannot parse question \"%s\"", q);
		ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, rr);
	}
	push_rrs(p, LDNS_SECTION_ANSWER, m->an, MAX_RRS);
	push_rrs(p, LDNS_SECTION_AUTHORITY, m->ns, 8);
	push_rrs(p, LDNS_SECTION_ADDITIONAL, m->ar, 8);
	if (m->edns || (m->rcode >> 4)) {
		ldns_pkt_set_edns_udp_size(p, (uint16_t)(m->udp_size ? m->udp_size : 1232));
		ldns_pkt_set_edns_extended_rcode(p, (uint8_t)(m->rcode >> 4));
		ldns_pkt_set_edns_version(p, (uint8_t)m->edns_version);
		ldns_pkt_set_edns_do(p, m->do_bit != 0);
		if (m->ecs_family)
			ldns_pkt_set_edns_data(p, ecs_option(m));
	}
	if (ldns_pkt2wire(&wire, p, &n) != LDNS_STATUS_OK)
		die("ldns_pkt2wire failed for id %u", m->id);
	out->n = 0;
	b_put(out, wire, n);
	free(wire);
	ldns_pkt_free(p);
}

/* The query that goes with a response description (same id, name, type, EDNS). */
static struct msg query_of(const struct msg *r)
{
	struct msg q = { 0 };

	q.id = r->id;
	q.opcode = r->opcode;
	q.flags = r->flags & (F_RD | F_CD);
	q.qname = r->qname;
	q.qtype = r->qtype;
	q.edns = r->edns;
	q.udp_size = r->udp_size;
	q.edns_version = r->edns_version;
	q.do_bit = r->do_bit;
	q.ecs_family = r->ecs_family;
	q.ecs_addr = r->ecs_addr;
	q.ecs_source = r->ecs_source;
	q.ecs_scope = 0;
	return q;
}

/* ---- capture writers ---- */

enum sink_kind { SINK_LIBPCAP, SINK_PCAP_BE, SINK_PCAPNG };
enum sink_post { POST_PLAIN, POST_GZIP, POST_CUT };

#define MAX_IFACES 4

struct sink {
	enum sink_kind kind;
	enum sink_post post;
	size_t cut;        /* POST_CUT: bytes removed from the end */
	const char *name;  /* file name under outdir */
	unsigned snaplen;
	/* libpcap */
	pcap_t *pc;
	pcap_dumper_t *dump;
	int nano;
	/* memory image: every sink writes here first, the file is made on close */
	FILE *mf;
	char *mbuf;
	size_t mlen;
	struct bytes own; /* SINK_PCAP_BE and SINK_PCAPNG */
	int if_nano[MAX_IFACES];
	size_t n_if;
};

static void sink_open_pcap(struct sink *s, const char *name, int dlt, unsigned snaplen, int nano,
			   enum sink_post post, size_t cut)
{
	memset(s, 0, sizeof *s);
	s->kind = SINK_LIBPCAP;
	s->post = post;
	s->cut = cut;
	s->name = name;
	s->snaplen = snaplen;
	s->nano = nano;
	s->pc = pcap_open_dead_with_tstamp_precision(dlt, (int)snaplen,
						     nano ? PCAP_TSTAMP_PRECISION_NANO
							  : PCAP_TSTAMP_PRECISION_MICRO);
	if (!s->pc)
		die("pcap_open_dead failed");
	s->mf = open_memstream(&s->mbuf, &s->mlen);
	if (!s->mf)
		die("open_memstream: %s", strerror(errno));
	s->dump = pcap_dump_fopen(s->pc, s->mf);
	if (!s->dump)
		die("pcap_dump_fopen: %s", pcap_geterr(s->pc));
}

/* A pcap file as a big-endian host writes it (magic a1b2c3d4 in big-endian order);
 * libpcap only writes host order, so this is done by hand. */
static void sink_open_pcap_be(struct sink *s, const char *name, int linktype)
{
	memset(s, 0, sizeof *s);
	s->kind = SINK_PCAP_BE;
	s->name = name;
	s->snaplen = 65535;
	b_be32(&s->own, 0xa1b2c3d4);
	b_be16(&s->own, 2);
	b_be16(&s->own, 4);
	b_be32(&s->own, 0);
	b_be32(&s->own, 0);
	b_be32(&s->own, s->snaplen);
	b_be32(&s->own, (uint32_t)linktype);
}

static void ng_block_end(struct bytes *b, size_t start)
{
	while ((b->n - start) % 4)
		b_u8(b, 0);
	b_le32(b, (uint32_t)(b->n - start + 4));
	b_set_le32(b, start + 4, (uint32_t)(b->n - start));
}

/* pcapng (draft-ietf-opsawg-pcapng): one Section Header Block, little-endian. */
static void sink_open_pcapng(struct sink *s, const char *name)
{
	size_t st;

	memset(s, 0, sizeof *s);
	s->kind = SINK_PCAPNG;
	s->name = name;
	s->snaplen = 262144;
	st = s->own.n;
	b_le32(&s->own, 0x0a0d0d0a);
	b_le32(&s->own, 0);
	b_le32(&s->own, 0x1a2b3c4d);
	b_le16(&s->own, 1);
	b_le16(&s->own, 0);
	b_le32(&s->own, 0xffffffff); /* section length unknown (-1) */
	b_le32(&s->own, 0xffffffff);
	ng_block_end(&s->own, st);
}

/* Interface Description Block; nano adds if_tsresol = 9. Returns the interface id. */
static uint32_t sink_add_iface(struct sink *s, int linktype, const char *if_name, int nano)
{
	size_t st = s->own.n;

	if (s->kind != SINK_PCAPNG || s->n_if == MAX_IFACES)
		die("bad interface");
	b_le32(&s->own, 1);
	b_le32(&s->own, 0);
	b_le16(&s->own, (unsigned)linktype);
	b_le16(&s->own, 0);
	b_le32(&s->own, s->snaplen);
	if (if_name) { /* if_name (2) */
		b_le16(&s->own, 2);
		b_le16(&s->own, (unsigned)strlen(if_name));
		b_put(&s->own, if_name, strlen(if_name));
		while (s->own.n % 4)
			b_u8(&s->own, 0);
	}
	if (nano) { /* if_tsresol (9): 10^-9 */
		b_le16(&s->own, 9);
		b_le16(&s->own, 1);
		b_u8(&s->own, 9);
		b_u8(&s->own, 0);
		b_u8(&s->own, 0);
		b_u8(&s->own, 0);
	}
	b_le32(&s->own, 0); /* opt_endofopt */
	ng_block_end(&s->own, st);
	s->if_nano[s->n_if] = nano;
	return (uint32_t)s->n_if++;
}

static void sink_write(struct sink *s, uint32_t ifidx, int64_t ts, const uint8_t *data,
		       size_t len)
{
	size_t cap = len < s->snaplen ? len : s->snaplen;

	if (s->kind == SINK_LIBPCAP) {
		struct pcap_pkthdr h;

		memset(&h, 0, sizeof h);
		h.ts.tv_sec = (time_t)(ts / NS_PER_S);
		h.ts.tv_usec = (suseconds_t)(s->nano ? ts % NS_PER_S : ts % NS_PER_S / NS_PER_US);
		h.caplen = (bpf_u_int32)cap;
		h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)s->dump, &h, data);
	} else if (s->kind == SINK_PCAP_BE) {
		b_be32(&s->own, (uint32_t)(ts / NS_PER_S));
		b_be32(&s->own, (uint32_t)(ts % NS_PER_S / NS_PER_US));
		b_be32(&s->own, (uint32_t)cap);
		b_be32(&s->own, (uint32_t)len);
		b_put(&s->own, data, cap);
	} else {
		size_t st = s->own.n;
		uint64_t units = (uint64_t)(s->if_nano[ifidx] ? ts : ts / NS_PER_US);

		if (ifidx >= s->n_if)
			die("no interface %u", ifidx);
		b_le32(&s->own, 6); /* Enhanced Packet Block */
		b_le32(&s->own, 0);
		b_le32(&s->own, ifidx);
		b_le32(&s->own, (uint32_t)(units >> 32));
		b_le32(&s->own, (uint32_t)units);
		b_le32(&s->own, (uint32_t)cap);
		b_le32(&s->own, (uint32_t)len);
		b_put(&s->own, data, cap);
		ng_block_end(&s->own, st);
	}
}

static void write_gzip(const char *name, const void *data, size_t n)
{
	/* gzopen's header carries mtime 0 and no file name, so it is deterministic. */
	char *path = path_join(name);
	gzFile gz = gzopen(path, "wb9");

	if (!gz)
		die("%s: cannot open for gzip", path);
	if (gzwrite(gz, data, (unsigned)n) != (int)n || gzclose(gz) != Z_OK)
		die("%s: gzip write failed", path);
	free(path);
}

static void sink_close(struct sink *s)
{
	const uint8_t *data;
	size_t n;

	if (s->kind == SINK_LIBPCAP) {
		pcap_dump_close(s->dump); /* closes s->mf; mbuf/mlen are final */
		pcap_close(s->pc);
		data = (const uint8_t *)s->mbuf;
		n = s->mlen;
	} else {
		data = s->own.p;
		n = s->own.n;
	}
	if (s->post == POST_CUT) {
		if (s->cut > n)
			die("cut too long");
		n -= s->cut;
	}
	if (s->post == POST_GZIP)
		write_gzip(s->name, data, n);
	else
		write_file(s->name, data, n);
	free(s->mbuf);
	b_free(&s->own);
}

/* ---- link, network and transport framing ---- */

enum link { L_ETH, L_VLAN, L_QINQ, L_SLL, L_SLL2, L_RAW, L_NULL_LE, L_NULL_BE, L_WIFI };

struct iface {
	struct sink *s;
	uint32_t idx;
	enum link link;
};

struct ep {
	int v6;
	uint8_t a[16];
	uint16_t port;
};

static struct ep mkep(const char *addr, uint16_t port)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	e.port = port;
	e.v6 = strchr(addr, ':') != NULL;
	if (inet_pton(e.v6 ? AF_INET6 : AF_INET, addr, e.a) != 1)
		die("bad address %s", addr);
	return e;
}

/* A locally administered MAC derived from the IP address. */
static void put_mac(struct bytes *b, const struct ep *e)
{
	const uint8_t *tail = e->v6 ? e->a + 12 : e->a;

	b_u8(b, 0x02);
	b_u8(b, 0x00);
	b_put(b, tail, 4);
}

/* Wraps the IP packet ip (from src to dst) in the interface's link header and writes it. */
static void send_ip(struct iface *i, int64_t ts, const struct ep *src, const struct ep *dst,
		    const struct bytes *ip)
{
	struct bytes f = { 0 };
	unsigned etype = src->v6 ? 0x86dd : 0x0800;
	int to_server = dst->port == 53;

	switch (i->link) {
	case L_ETH:
	case L_VLAN:
	case L_QINQ:
		put_mac(&f, dst);
		put_mac(&f, src);
		if (i->link == L_QINQ) { /* IEEE 802.1ad service tag, then a customer tag */
			b_be16(&f, 0x88a8);
			b_be16(&f, 10);
		}
		if (i->link != L_ETH) {
			b_be16(&f, 0x8100);
			b_be16(&f, i->link == L_QINQ ? 20 : 100);
		}
		b_be16(&f, etype);
		break;
	case L_SLL: /* Linux cooked capture v1 */
		b_be16(&f, to_server ? 4 : 0); /* outgoing : to us */
		b_be16(&f, 1);                 /* ARPHRD_ETHER */
		b_be16(&f, 6);
		put_mac(&f, src);
		b_be16(&f, 0);
		b_be16(&f, etype);
		break;
	case L_SLL2:
		b_be16(&f, etype);
		b_be16(&f, 0);
		b_be32(&f, 2); /* interface index */
		b_be16(&f, 1);
		b_u8(&f, to_server ? 4 : 0);
		b_u8(&f, 6);
		put_mac(&f, src);
		b_be16(&f, 0);
		break;
	case L_RAW:
		break;
	case L_NULL_LE: /* AF_ value in the writer's byte order: 2 IPv4, 30 IPv6 (Darwin) */
		b_le32(&f, src->v6 ? 30 : 2);
		break;
	case L_NULL_BE: /* 24 is IPv6 on NetBSD/OpenBSD */
		b_be32(&f, src->v6 ? 24 : 2);
		break;
	case L_WIFI: /* 802.11 data frame, From DS, then LLC/SNAP */
		b_be16(&f, 0x0802);
		b_be16(&f, 0);
		put_mac(&f, dst);
		put_mac(&f, src);
		put_mac(&f, src);
		b_be16(&f, 0);
		b_u8(&f, 0xaa);
		b_u8(&f, 0xaa);
		b_u8(&f, 0x03);
		b_u8(&f, 0);
		b_u8(&f, 0);
		b_u8(&f, 0);
		b_be16(&f, etype);
		break;
	}
	b_put(&f, ip->p, ip->n);
	sink_write(i->s, i->idx, ts, f.p, f.n);
	b_free(&f);
}

static uint32_t csum_add(uint32_t acc, const uint8_t *p, size_t n)
{
	for (size_t k = 0; k + 1 < n; k += 2)
		acc += (uint32_t)(p[k] << 8 | p[k + 1]);
	if (n & 1)
		acc += (uint32_t)(p[n - 1] << 8);
	return acc;
}

static uint16_t csum_fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* Transport checksum with the pseudo-header (RFC 768, RFC 793 3.1, RFC 8200 8.1). */
static uint16_t l4_csum(const struct ep *s, const struct ep *d, uint8_t proto,
			const uint8_t *l4, size_t n)
{
	uint32_t acc = 0;
	size_t alen = s->v6 ? 16 : 4;

	acc = csum_add(acc, s->a, alen);
	acc = csum_add(acc, d->a, alen);
	acc += proto;
	acc += (uint32_t)(n & 0xffff) + (uint32_t)(n >> 16);
	acc = csum_add(acc, l4, n);
	return csum_fold(acc);
}

static void udp_build(const struct ep *s, const struct ep *d, const struct bytes *pl,
		      struct bytes *out)
{
	uint16_t c;

	out->n = 0;
	b_be16(out, s->port);
	b_be16(out, d->port);
	b_be16(out, (unsigned)(8 + pl->n));
	b_be16(out, 0);
	b_put(out, pl->p, pl->n);
	c = l4_csum(s, d, 17, out->p, out->n);
	b_set_be16(out, 6, c ? c : 0xffff);
}

enum { TH_FIN = 1, TH_SYN = 2, TH_RST = 4, TH_PSH = 8, TH_ACK = 16 };

static void tcp_build(const struct ep *s, const struct ep *d, uint32_t seq, uint32_t ack,
		      unsigned flags, const uint8_t *data, size_t n, struct bytes *out)
{
	out->n = 0;
	b_be16(out, s->port);
	b_be16(out, d->port);
	b_be32(out, seq);
	b_be32(out, ack);
	b_u8(out, 5 << 4);
	b_u8(out, flags);
	b_be16(out, 65535);
	b_be16(out, 0);
	b_be16(out, 0);
	b_put(out, data, n);
	b_set_be16(out, 16, l4_csum(s, d, 6, out->p, out->n));
}

static uint16_t next_ipid = 0x1000;

/* IPv6 extension headers to put before the transport header. */
enum { X_HBH = 1, X_DST = 2, X_RT = 4 };

/* IPv4 header (RFC 791 3.1) with the given fragment field, or IPv6 (RFC 8200 3)
 * with the extension headers in xh and, if frag_hdr, a Fragment header. */
static void ip_build(const struct ep *s, const struct ep *d, uint8_t proto, const uint8_t *pl,
		     size_t n, unsigned xh, uint16_t ipid, unsigned frag, int frag_hdr,
		     uint32_t frag_id, struct bytes *out)
{
	uint8_t ttl = s->port == 53 ? 57 : 64;

	out->n = 0;
	if (!s->v6) {
		b_u8(out, 0x45);
		b_u8(out, 0);
		b_be16(out, (unsigned)(20 + n));
		b_be16(out, ipid);
		b_be16(out, frag);
		b_u8(out, ttl);
		b_u8(out, proto);
		b_be16(out, 0);
		b_put(out, s->a, 4);
		b_put(out, d->a, 4);
		b_set_be16(out, 10, csum_fold(csum_add(0, out->p, 20)));
		b_put(out, pl, n);
		return;
	}
	uint8_t chain[8];
	size_t nc = 0;
	if (xh & X_HBH)
		chain[nc++] = 0;
	if (xh & X_DST)
		chain[nc++] = 60;
	if (xh & X_RT)
		chain[nc++] = 43;
	if (frag_hdr)
		chain[nc++] = 44;
	chain[nc] = proto;
	size_t extlen = 0;
	for (size_t k = 0; k < nc; k++)
		extlen += 8;
	b_be32(out, 0x60000000);
	b_be16(out, (unsigned)(extlen + n));
	b_u8(out, chain[0]);
	b_u8(out, ttl);
	b_put(out, s->a, 16);
	b_put(out, d->a, 16);
	for (size_t k = 0; k < nc; k++) {
		b_u8(out, chain[k + 1]);
		if (chain[k] == 44) { /* RFC 8200 4.5 */
			b_u8(out, 0);
			b_be16(out, frag);
			b_be32(out, frag_id);
		} else if (chain[k] == 43) { /* type 0 routing header, segments left 0 */
			b_u8(out, 0);
			b_u8(out, 0);
			b_u8(out, 0);
			b_be32(out, 0);
		} else { /* options header holding one PadN option (RFC 8200 4.2) */
			b_u8(out, 0);
			b_u8(out, 1);
			b_u8(out, 4);
			b_be32(out, 0);
		}
	}
	b_put(out, pl, n);
}

/* One UDP datagram carrying payload, unfragmented. */
static void udp_send_x(struct iface *i, int64_t ts, const struct ep *s, const struct ep *d,
		       const struct bytes *pl, unsigned xh)
{
	struct bytes u = { 0 }, ip = { 0 };

	udp_build(s, d, pl, &u);
	ip_build(s, d, 17, u.p, u.n, xh, next_ipid++, 0, 0, 0, &ip);
	send_ip(i, ts, s, d, &ip);
	b_free(&u);
	b_free(&ip);
}

static void udp_send(struct iface *i, int64_t ts, const struct ep *s, const struct ep *d,
		     const struct bytes *pl)
{
	udp_send_x(i, ts, s, d, pl, 0);
}

/* The DNS message m from s to d over UDP. */
static void dns_udp(struct iface *i, int64_t ts, const struct ep *s, const struct ep *d,
		    const struct msg *m)
{
	struct bytes w = { 0 };

	dns_build(m, &w);
	udp_send(i, ts, s, d, &w);
	b_free(&w);
}

/* A query (built from the response description r) at ts and r after latency_us. */
static void exchange(struct iface *i, int64_t ts, int64_t latency_us, const struct ep *c,
		     const struct ep *s, const struct msg *r)
{
	struct msg q = query_of(r);

	dns_udp(i, ts, c, s, &q);
	dns_udp(i, ts + latency_us * NS_PER_US, s, c, r);
}

/* A UDP datagram split into IP fragments of at most chunk payload bytes (a multiple of
 * 8, RFC 791 3.2 / RFC 8200 4.5), sent in the order given by order[] (NULL: in order),
 * each 100 us after the previous. */
static void udp_send_frag(struct iface *i, int64_t ts, const struct ep *s, const struct ep *d,
			  const struct bytes *pl, size_t chunk, const int *order)
{
	struct bytes u = { 0 }, ip = { 0 };
	size_t nfrag;
	uint16_t ipid = next_ipid++;

	udp_build(s, d, pl, &u);
	nfrag = (u.n + chunk - 1) / chunk;
	for (size_t k = 0; k < nfrag; k++) {
		size_t f = order ? (size_t)order[k] : k;
		size_t off = f * chunk;
		size_t len = u.n - off < chunk ? u.n - off : chunk;
		int more = f + 1 < nfrag;

		if (s->v6)
			ip_build(s, d, 17, u.p + off, len, 0, 0, (unsigned)(off | (size_t)more), 1,
				 0xabc00000u + ipid, &ip);
		else
			ip_build(s, d, 17, u.p + off, len, 0, ipid,
				 (unsigned)((off / 8) | (more ? 0x2000 : 0)), 0, 0, &ip);
		send_ip(i, ts + (int64_t)k * 100 * NS_PER_US, s, d, &ip);
	}
	b_free(&u);
	b_free(&ip);
}

/* ---- TCP conversations ---- */

struct tcp {
	struct iface *i;
	struct ep c, s;
	uint32_t cisn, sisn; /* initial sequence numbers */
	uint32_t cnext, snext; /* relative offsets of the next byte each side sends */
};

/* One segment: from the client if from_c, starting at relative data offset rel. */
static void tcp_seg(struct tcp *t, int64_t ts, int from_c, unsigned flags, uint32_t rel,
		    const uint8_t *data, size_t n)
{
	struct bytes seg = { 0 }, ip = { 0 };
	const struct ep *s = from_c ? &t->c : &t->s, *d = from_c ? &t->s : &t->c;
	uint32_t seq = (from_c ? t->cisn : t->sisn) + 1 + rel;
	uint32_t ack = (from_c ? t->sisn : t->cisn) + 1 + (from_c ? t->snext : t->cnext);

	if (flags & TH_SYN)
		seq--;
	if (!(flags & TH_ACK))
		ack = 0;
	tcp_build(s, d, seq, ack, flags, data, n, &seg);
	ip_build(s, d, 6, seg.p, seg.n, 0, next_ipid++, 0x4000, 0, 0, &ip);
	send_ip(t->i, ts, s, d, &ip);
	b_free(&seg);
	b_free(&ip);
}

/* Sends data in order from one side and advances its offset. */
static void tcp_data(struct tcp *t, int64_t ts, int from_c, const uint8_t *data, size_t n)
{
	uint32_t *next = from_c ? &t->cnext : &t->snext;

	tcp_seg(t, ts, from_c, TH_ACK | TH_PSH, *next, data, n);
	*next += (uint32_t)n;
}

static void tcp_handshake(struct tcp *t, int64_t ts)
{
	tcp_seg(t, ts, 1, TH_SYN, 0, NULL, 0);
	tcp_seg(t, ts + 200 * NS_PER_US, 0, TH_SYN | TH_ACK, 0, NULL, 0);
	tcp_seg(t, ts + 400 * NS_PER_US, 1, TH_ACK, 0, NULL, 0);
}

/* Client FIN, server FIN, final ACK. */
static void tcp_close(struct tcp *t, int64_t ts)
{
	tcp_seg(t, ts, 1, TH_FIN | TH_ACK, t->cnext, NULL, 0);
	t->cnext++;
	tcp_seg(t, ts + 200 * NS_PER_US, 0, TH_FIN | TH_ACK, t->snext, NULL, 0);
	t->snext++;
	tcp_seg(t, ts + 400 * NS_PER_US, 1, TH_ACK, t->cnext, NULL, 0);
}

/* The DNS message with its two-octet length prefix (RFC 1035 4.2.2). */
static void tcp_framed(const struct msg *m, struct bytes *out)
{
	struct bytes w = { 0 };

	dns_build(m, &w);
	out->n = 0;
	b_be16(out, (unsigned)w.n);
	b_put(out, w.p, w.n);
	b_free(&w);
}

static void tcp_init(struct tcp *t, struct iface *i, const char *caddr, uint16_t cport,
		     const char *saddr, uint32_t cisn, uint32_t sisn)
{
	memset(t, 0, sizeof *t);
	t->i = i;
	t->c = mkep(caddr, cport);
	t->s = mkep(saddr, 53);
	t->cisn = cisn;
	t->sisn = sisn;
}

/* ---- the test set ---- */

static const struct msg R_A = {
	.id = 0x1001, .qr = 1, .flags = F_RD | F_RA, .qname = "www.example.", .qtype = "A",
	.an = { "www.example. 300 IN A 192.0.2.80" } };

/* Every supported link type carries the same small exchange (IPv4, and IPv6 where the
 * link type allows it), so their outputs differ only in what the link layer changes. */
static void gen_linktype(const char *name, int dlt, enum link link, int with_v6)
{
	struct sink s;
	struct iface i;
	struct ep c4 = mkep("192.0.2.10", 40001), s4 = mkep("198.51.100.53", 53);
	struct ep c6 = mkep("2001:db8::10", 40002), s6 = mkep("2001:db8:53::53", 53);
	struct msg r6 = {
		.id = 0x1002, .qr = 1, .flags = F_RD | F_RA, .qname = "www.example.",
		.qtype = "AAAA", .an = { "www.example. 300 IN AAAA 2001:db8::80" } };

	if (link == L_NULL_BE)
		sink_open_pcap_be(&s, name, dlt);
	else
		sink_open_pcap(&s, name, dlt, 65535, 0, POST_PLAIN, 0);
	i.s = &s;
	i.idx = 0;
	i.link = link;
	exchange(&i, T0, 1500, &c4, &s4, &R_A);
	if (with_v6)
		exchange(&i, T0 + NS_PER_S, 2500, &c6, &s6, &r6);
	sink_close(&s);
}

/* Every answer type, NXDOMAIN, latencies, an unanswered query and a lone response. */
static void gen_types(void)
{
	static const struct msg rs[] = {
		{ .id = 0x2001, .qr = 1, .flags = F_RD | F_RA, .qname = "www.example.", .qtype = "A",
		  .an = { "www.example. 300 IN A 192.0.2.80", "www.example. 300 IN A 192.0.2.81" } },
		{ .id = 0x2002, .qr = 1, .flags = F_RD | F_RA, .qname = "www.example.",
		  .qtype = "AAAA", .an = { "www.example. 300 IN AAAA 2001:db8::80" } },
		{ .id = 0x2003, .qr = 1, .flags = F_RD | F_RA, .qname = "mail.example.",
		  .qtype = "CNAME", .an = { "mail.example. 600 IN CNAME mx1.example." } },
		{ .id = 0x2004, .qr = 1, .flags = F_RD | F_RA, .qname = "example.", .qtype = "MX",
		  .an = { "example. 3600 IN MX 10 mx1.example.", "example. 3600 IN MX 20 mx2.example." },
		  .ar = { "mx1.example. 3600 IN A 192.0.2.25" } },
		{ .id = 0x2005, .qr = 1, .flags = F_AA, .qname = "example.", .qtype = "NS",
		  .an = { "example. 86400 IN NS ns1.example.", "example. 86400 IN NS ns2.example." },
		  .ar = { "ns1.example. 86400 IN A 198.51.100.53",
			  "ns2.example. 86400 IN AAAA 2001:db8:53::53" } },
		{ .id = 0x2006, .qr = 1, .flags = F_RD | F_RA, .qname = "80.2.0.192.in-addr.arpa.",
		  .qtype = "PTR", .an = { "80.2.0.192.in-addr.arpa. 3600 IN PTR www.example." } },
		{ .id = 0x2007, .qr = 1, .flags = F_RD | F_RA, .qname = "example.", .qtype = "TXT",
		  .an = { "example. 300 IN TXT \"v=spf1 -all\"",
			  "example. 300 IN TXT \"two words\" \"and a \\\"quote\\\"\"" } },
		{ .id = 0x2008, .qr = 1, .flags = F_AA, .qname = "example.", .qtype = "SOA",
		  .an = { "example. 3600 IN SOA ns1.example. hostmaster.example. 2024030101 7200 "
			  "900 1209600 300" } },
		{ .id = 0x2009, .qr = 1, .flags = F_RD | F_RA, .qname = "_sip._tcp.example.",
		  .qtype = "SRV", .an = { "_sip._tcp.example. 300 IN SRV 10 60 5060 sip.example." } },
		{ .id = 0x200a, .qr = 1, .flags = F_RD | F_RA, .qname = "example.", .qtype = "CAA",
		  .an = { "example. 300 IN CAA 0 issue \"ca.example\"" } },
		{ .id = 0x200b, .qr = 1, .flags = F_RD | F_RA, .qname = "www.example.",
		  .qtype = "A",
		  .an = { "www.example. 300 IN CNAME web.example.", "web.example. 300 IN A 192.0.2.82" } },
		{ .id = 0x200c, .qr = 1, .rcode = LDNS_RCODE_NXDOMAIN, .flags = F_RD | F_RA,
		  .qname = "nope.example.", .qtype = "A",
		  .ns = { "example. 300 IN SOA ns1.example. hostmaster.example. 2024030101 7200 900 "
			  "1209600 300" } },
		{ .id = 0x200d, .qr = 1, .rcode = LDNS_RCODE_SERVFAIL, .flags = F_RD | F_RA,
		  .qname = "broken.example.", .qtype = "A" },
		{ .id = 0x200e, .qr = 1, .rcode = LDNS_RCODE_REFUSED, .flags = F_RD,
		  .qname = "other.test.", .qtype = "A" },
	};
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep srv = mkep("198.51.100.53", 53);
	int64_t t = T0;

	sink_open_pcap(&s, "types.pcap", DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	for (size_t k = 0; k < sizeof rs / sizeof rs[0]; k++) {
		struct ep cli = mkep("192.0.2.10", (uint16_t)(41000 + k));

		exchange(&i, t, 800 + (int64_t)k * 250, &cli, &srv, &rs[k]);
		t += 500 * 1000 * NS_PER_US / 2; /* 250 ms apart */
	}
	/* a query that is never answered */
	struct ep cli = mkep("192.0.2.11", 42000);
	struct msg q = { .id = 0x20f0, .flags = F_RD, .qname = "silent.example.", .qtype = "A" };
	dns_udp(&i, t, &cli, &srv, &q);
	/* a response to a query not in the capture */
	struct msg r = R_A;
	r.id = 0x20f1;
	dns_udp(&i, t + 1000 * NS_PER_US, &srv, &cli, &r);
	/* the same id from another client port: must not match the first query */
	struct ep cli2 = mkep("192.0.2.11", 42001);
	r.id = 0x20f0;
	r.qname = "silent.example.";
	dns_udp(&i, t + 2000 * NS_PER_US, &srv, &cli2, &r);
	sink_close(&s);
}

/* EDNS: DO, client subnet v4 and v6, an extended rcode, and a plain EDNS size. */
static void gen_edns(void)
{
	static const struct msg rs[] = {
		{ .id = 0x3001, .qr = 1, .flags = F_RD | F_RA | F_AD, .qname = "signed.example.",
		  .qtype = "A", .edns = 1, .udp_size = 1232, .do_bit = 1,
		  .an = { "signed.example. 300 IN A 192.0.2.53" } },
		{ .id = 0x3002, .qr = 1, .flags = F_RD | F_RA, .qname = "cdn.example.",
		  .qtype = "A", .edns = 1, .udp_size = 4096, .ecs_family = 1,
		  .ecs_addr = "203.0.113.0", .ecs_source = 24, .ecs_scope = 24,
		  .an = { "cdn.example. 60 IN A 203.0.113.99" } },
		{ .id = 0x3003, .qr = 1, .flags = F_RD | F_RA, .qname = "cdn.example.",
		  .qtype = "AAAA", .edns = 1, .udp_size = 4096, .ecs_family = 2,
		  .ecs_addr = "2001:db8:1234::", .ecs_source = 48, .ecs_scope = 40,
		  .an = { "cdn.example. 60 IN AAAA 2001:db8:cd::1" } },
		{ .id = 0x3004, .qr = 1, .rcode = 16, .flags = F_RD, .qname = "future.example.",
		  .qtype = "A", .edns = 1, .udp_size = 1232, .edns_version = 1 },
		{ .id = 0x3005, .qr = 1, .rcode = 23, .flags = F_RD | F_RA,
		  .qname = "cookie.example.", .qtype = "A", .edns = 1, .udp_size = 1232 },
	};
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep c4 = mkep("192.0.2.20", 43000), s4 = mkep("198.51.100.53", 53);
	struct ep c6 = mkep("2001:db8::20", 43001), s6 = mkep("2001:db8:53::53", 53);

	sink_open_pcap(&s, "edns.pcap", DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	for (size_t k = 0; k < sizeof rs / sizeof rs[0]; k++) {
		int v6 = k % 2 == 1;

		exchange(&i, T0 + (int64_t)k * NS_PER_S, 3000 + (int64_t)k, v6 ? &c6 : &c4,
			 v6 ? &s6 : &s4, &rs[k]);
	}
	sink_close(&s);
}

/* IPv6 with hop-by-hop, destination options and routing headers before UDP. */
static void gen_ipv6_ext(void)
{
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep c = mkep("2001:db8::30", 44000), srv = mkep("2001:db8:53::53", 53);
	struct msg r = { .id = 0x4001, .qr = 1, .flags = F_RD | F_RA, .qname = "v6.example.",
			 .qtype = "AAAA", .an = { "v6.example. 300 IN AAAA 2001:db8::6" } };
	struct msg q = query_of(&r);
	struct bytes w = { 0 };

	sink_open_pcap(&s, "ipv6-ext.pcap", DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	dns_build(&q, &w);
	udp_send_x(&i, T0, &c, &srv, &w, X_HBH | X_DST);
	dns_build(&r, &w);
	udp_send_x(&i, T0 + 700 * NS_PER_US, &srv, &c, &w, X_HBH);
	r.id = 0x4002;
	q = query_of(&r);
	dns_build(&q, &w);
	udp_send_x(&i, T0 + NS_PER_S, &c, &srv, &w, X_RT | X_DST);
	dns_build(&r, &w);
	udp_send_x(&i, T0 + NS_PER_S + 900 * NS_PER_US, &srv, &c, &w, X_DST);
	b_free(&w);
	sink_close(&s);
}

/* A response large enough to need fragments: 30 TXT records of 100 octets. */
static void big_response(uint16_t id, const char *qname, struct bytes *w)
{
	static char rrs[30][200];
	struct msg r = { .id = id, .qr = 1, .flags = F_RD | F_RA, .qname = qname, .qtype = "TXT",
			 .edns = 1, .udp_size = 4096 };

	for (int k = 0; k < 30; k++) {
		char text[101];

		for (int j = 0; j < 100; j++)
			text[j] = (char)('a' + (k + j) % 26);
		text[100] = 0;
		snprintf(rrs[k], sizeof rrs[k], "%s 300 IN TXT \"%02d%s\"", qname, k, text + 2);
		r.an[k] = rrs[k];
	}
	dns_build(&r, w);
}

static void gen_frag(int v6)
{
	static const int ooo[] = { 2, 0, 1 };
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep c = v6 ? mkep("2001:db8::40", 45000) : mkep("192.0.2.40", 45000);
	struct ep srv = v6 ? mkep("2001:db8:53::53", 53) : mkep("198.51.100.53", 53);
	struct ep c2 = c;
	struct bytes w = { 0 };
	struct msg q = { .id = 0x5001, .flags = F_RD, .qname = "big.example.", .qtype = "TXT",
			 .edns = 1, .udp_size = 4096 };

	c2.port = 45001;
	sink_open_pcap(&s, v6 ? "frag6.pcap" : "frag4.pcap", DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	/* in order */
	dns_udp(&i, T0, &c, &srv, &q);
	big_response(0x5001, "big.example.", &w);
	udp_send_frag(&i, T0 + 5000 * NS_PER_US, &srv, &c, &w, 1232, NULL);
	/* out of order: last fragment first */
	q.id = 0x5002;
	q.qname = "big2.example.";
	dns_udp(&i, T0 + NS_PER_S, &c2, &srv, &q);
	big_response(0x5002, "big2.example.", &w);
	udp_send_frag(&i, T0 + NS_PER_S + 6000 * NS_PER_US, &srv, &c2, &w, 1232, ooo);
	b_free(&w);
	sink_close(&s);
}

static struct msg tq(uint16_t id, const char *name)
{
	struct msg q = { .id = id, .flags = F_RD, .qname = name, .qtype = "A" };

	return q;
}

static struct msg tr(uint16_t id, const char *name, const char *rr)
{
	struct msg r = { .id = id, .qr = 1, .flags = F_RD | F_RA, .qname = name, .qtype = "A" };

	r.an[0] = rr;
	return r;
}

/* The TCP cases, one per file so each golden output reads on its own. */
static void gen_tcp(const char *name, int which)
{
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct tcp t;
	struct bytes a = { 0 }, b = { 0 }, both = { 0 };
	struct msg q1 = tq(0x6001, "t1.example."), q2 = tq(0x6002, "t2.example.");
	struct msg q3 = tq(0x6003, "t3.example.");
	struct msg r1 = tr(0x6001, "t1.example.", "t1.example. 60 IN A 192.0.2.61");
	struct msg r2 = tr(0x6002, "t2.example.", "t2.example. 60 IN A 192.0.2.62");
	struct msg r3 = tr(0x6003, "t3.example.", "t3.example. 60 IN A 192.0.2.63");
	int64_t ms = 1000 * NS_PER_US, t0 = T0 + 10 * ms;

	sink_open_pcap(&s, name, DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	tcp_init(&t, &i, "192.0.2.60", 46000, "198.51.100.53", 1000000, 2000000);
	switch (which) {
	case 0: /* basic: one query, one response, clean open and close */
		tcp_handshake(&t, T0);
		tcp_framed(&q1, &a);
		tcp_data(&t, t0, 1, a.p, a.n);
		tcp_framed(&r1, &a);
		tcp_data(&t, t0 + 2 * ms, 0, a.p, a.n);
		tcp_close(&t, t0 + 4 * ms);
		break;
	case 1: /* two messages in one segment, each way */
		tcp_handshake(&t, T0);
		tcp_framed(&q1, &a);
		tcp_framed(&q2, &b);
		b_put(&both, a.p, a.n);
		b_put(&both, b.p, b.n);
		tcp_data(&t, t0, 1, both.p, both.n);
		tcp_framed(&r1, &a);
		tcp_framed(&r2, &b);
		both.n = 0;
		b_put(&both, a.p, a.n);
		b_put(&both, b.p, b.n);
		tcp_data(&t, t0 + 3 * ms, 0, both.p, both.n);
		tcp_close(&t, t0 + 5 * ms);
		break;
	case 2: /* messages split across segments, including inside the length prefix */
		tcp_handshake(&t, T0);
		tcp_framed(&q1, &a);
		tcp_data(&t, t0, 1, a.p, 1);
		tcp_data(&t, t0 + ms, 1, a.p + 1, a.n - 1);
		tcp_framed(&r1, &b);
		tcp_data(&t, t0 + 3 * ms, 0, b.p, 7);
		tcp_data(&t, t0 + 4 * ms, 0, b.p + 7, 20);
		tcp_data(&t, t0 + 5 * ms, 0, b.p + 27, b.n - 27);
		tcp_close(&t, t0 + 7 * ms);
		break;
	case 3: /* retransmissions: the same bytes twice each way */
		tcp_handshake(&t, T0);
		tcp_framed(&q1, &a);
		tcp_seg(&t, t0, 1, TH_ACK | TH_PSH, 0, a.p, a.n);
		tcp_seg(&t, t0 + 200 * ms, 1, TH_ACK | TH_PSH, 0, a.p, a.n);
		t.cnext += (uint32_t)a.n;
		tcp_framed(&r1, &b);
		tcp_seg(&t, t0 + 202 * ms, 0, TH_ACK | TH_PSH, 0, b.p, b.n);
		tcp_seg(&t, t0 + 402 * ms, 0, TH_ACK | TH_PSH, 0, b.p, b.n);
		t.snext += (uint32_t)b.n;
		tcp_close(&t, t0 + 500 * ms);
		break;
	case 4: /* out of order: the response's second half arrives first */
		tcp_handshake(&t, T0);
		tcp_framed(&q1, &a);
		tcp_data(&t, t0, 1, a.p, a.n);
		tcp_framed(&r1, &b);
		tcp_seg(&t, t0 + 2 * ms, 0, TH_ACK | TH_PSH, 30, b.p + 30, b.n - 30);
		tcp_seg(&t, t0 + 3 * ms, 0, TH_ACK | TH_PSH, 0, b.p, 30);
		t.snext += (uint32_t)b.n;
		tcp_close(&t, t0 + 5 * ms);
		break;
	case 5: /* capture starts mid-stream (no handshake), at a message boundary */
		t.cnext = 500;
		t.snext = 700;
		tcp_framed(&q2, &a);
		tcp_data(&t, T0, 1, a.p, a.n);
		tcp_framed(&r2, &b);
		tcp_data(&t, T0 + 2 * ms, 0, b.p, b.n);
		tcp_close(&t, T0 + 4 * ms);
		break;
	case 6: /* a hole: the second of three queries was never captured */
		tcp_handshake(&t, T0);
		tcp_framed(&q1, &a);
		tcp_data(&t, t0, 1, a.p, a.n);
		tcp_framed(&q2, &a);
		t.cnext += (uint32_t)a.n; /* sent, not captured */
		tcp_framed(&q3, &a);
		tcp_data(&t, t0 + 2 * ms, 1, a.p, a.n);
		tcp_framed(&r1, &b);
		tcp_data(&t, t0 + 3 * ms, 0, b.p, b.n);
		tcp_framed(&r2, &b);
		tcp_data(&t, t0 + 4 * ms, 0, b.p, b.n);
		tcp_framed(&r3, &b);
		tcp_data(&t, t0 + 5 * ms, 0, b.p, b.n);
		tcp_close(&t, t0 + 7 * ms);
		break;
	case 7: /* FIN after half a message */
		tcp_handshake(&t, T0);
		tcp_framed(&q1, &a);
		tcp_data(&t, t0, 1, a.p, a.n);
		tcp_framed(&r1, &b);
		tcp_data(&t, t0 + 2 * ms, 0, b.p, b.n);
		tcp_framed(&q2, &a);
		tcp_data(&t, t0 + 3 * ms, 1, a.p, a.n / 2);
		tcp_close(&t, t0 + 4 * ms);
		break;
	default:
		die("no tcp case %d", which);
	}
	b_free(&a);
	b_free(&b);
	b_free(&both);
	sink_close(&s);
}

/* Hand-written DNS header (RFC 1035 4.1.1). */
static void hdr(struct bytes *b, uint16_t id, unsigned flags, unsigned qd, unsigned an,
		unsigned ns, unsigned ar)
{
	b->n = 0;
	b_be16(b, id);
	b_be16(b, flags);
	b_be16(b, qd);
	b_be16(b, an);
	b_be16(b, ns);
	b_be16(b, ar);
}

static void label(struct bytes *b, const char *s)
{
	b_u8(b, (unsigned)strlen(s));
	b_put(b, s, strlen(s));
}

/* Names and sections that break RFC 1035 in the ways decoders get wrong. */
static void gen_malformed(void)
{
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep c = mkep("192.0.2.70", 47000), srv = mkep("198.51.100.53", 53);
	struct bytes b = { 0 };
	int64_t t = T0, step = 100 * 1000 * NS_PER_US;
	struct msg ok = tq(0x7000, "fine.example.");

	sink_open_pcap(&s, "malformed.pcap", DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	/* 1: a well-formed query, so the file is not all bad */
	dns_udp(&i, t, &c, &srv, &ok);
	/* 2: question name is a pointer forward, past itself (RFC 1035 4.1.4) */
	hdr(&b, 0x7001, 0x0100, 1, 0, 0, 0);
	b_u8(&b, 0xc0);
	b_u8(&b, 0x20);
	b_be16(&b, 1);
	b_be16(&b, 1);
	while (b.n < 0x30)
		b_u8(&b, 0);
	udp_send(&i, t += step, &c, &srv, &b);
	/* 3: pointer loop made only of backward pointers: offset 12 holds label "a" and
	 * then a pointer to 12 again */
	hdr(&b, 0x7002, 0x0100, 1, 0, 0, 0);
	label(&b, "a");
	b_u8(&b, 0xc0);
	b_u8(&b, 12);
	b_be16(&b, 1);
	b_be16(&b, 1);
	udp_send(&i, t += step, &c, &srv, &b);
	/* 4: a pointer to itself in the answer owner */
	hdr(&b, 0x7003, 0x8180, 1, 1, 0, 0);
	label(&b, "loop");
	label(&b, "example");
	b_u8(&b, 0);
	b_be16(&b, 1);
	b_be16(&b, 1);
	b_u8(&b, 0xc0 | (unsigned)(b.n >> 8));
	b_u8(&b, (unsigned)(b.n & 0xff));
	b_be16(&b, 1);
	b_be16(&b, 1);
	b_be32(&b, 60);
	b_be16(&b, 4);
	b_be32(&b, 0xc0000201);
	udp_send(&i, t += step, &srv, &c, &b);
	/* 5: label type 01 (extended label, RFC 6891 obsoleted it) */
	hdr(&b, 0x7004, 0x0100, 1, 0, 0, 0);
	b_u8(&b, 0x41);
	b_put(&b, "x", 1);
	b_u8(&b, 0);
	b_be16(&b, 1);
	b_be16(&b, 1);
	udp_send(&i, t += step, &c, &srv, &b);
	/* 6: label type 10 (reserved) */
	hdr(&b, 0x7005, 0x0100, 1, 0, 0, 0);
	label(&b, "ok");
	b_u8(&b, 0x80);
	b_u8(&b, 0x05);
	b_u8(&b, 0);
	b_be16(&b, 1);
	b_be16(&b, 1);
	udp_send(&i, t += step, &c, &srv, &b);
	/* 7: a name of 5 labels of 63 octets: 321 octets, over the 255 limit (RFC 1035 2.3.4) */
	hdr(&b, 0x7006, 0x0100, 1, 0, 0, 0);
	for (int k = 0; k < 5; k++) {
		char l[64];

		memset(l, 'a' + k, 63);
		l[63] = 0;
		label(&b, l);
	}
	b_u8(&b, 0);
	b_be16(&b, 1);
	b_be16(&b, 1);
	udp_send(&i, t += step, &c, &srv, &b);
	/* 8: shorter than a header */
	b.n = 0;
	b_be16(&b, 0x7007);
	b_be16(&b, 0x0100);
	b_be16(&b, 1);
	udp_send(&i, t += step, &c, &srv, &b);
	/* 9: answer count says 3, one answer present */
	hdr(&b, 0x7008, 0x8180, 1, 3, 0, 0);
	label(&b, "short");
	label(&b, "example");
	b_u8(&b, 0);
	b_be16(&b, 1);
	b_be16(&b, 1);
	b_be16(&b, 0xc00c);
	b_be16(&b, 1);
	b_be16(&b, 1);
	b_be32(&b, 60);
	b_be16(&b, 4);
	b_be32(&b, 0xc0000208);
	udp_send(&i, t += step, &srv, &c, &b);
	/* 10: an A record whose rdata is 3 octets */
	hdr(&b, 0x7009, 0x8180, 1, 1, 0, 0);
	label(&b, "odd");
	label(&b, "example");
	b_u8(&b, 0);
	b_be16(&b, 1);
	b_be16(&b, 1);
	b_be16(&b, 0xc00c);
	b_be16(&b, 1);
	b_be16(&b, 1);
	b_be32(&b, 60);
	b_be16(&b, 3);
	b_u8(&b, 192);
	b_u8(&b, 0);
	b_u8(&b, 2);
	udp_send(&i, t += step, &srv, &c, &b);
	/* 11: a good query followed by 5 stray octets */
	dns_build(&ok, &b);
	b.p[0] = 0x70;
	b.p[1] = 0x0a;
	b_put(&b, "junk!", 5);
	udp_send(&i, t += step, &c, &srv, &b);
	/* 12: rdlength runs past the end of the message */
	hdr(&b, 0x700b, 0x8180, 1, 1, 0, 0);
	label(&b, "long");
	label(&b, "example");
	b_u8(&b, 0);
	b_be16(&b, 1);
	b_be16(&b, 1);
	b_be16(&b, 0xc00c);
	b_be16(&b, 16);
	b_be16(&b, 1);
	b_be32(&b, 60);
	b_be16(&b, 200);
	label(&b, "only a few octets");
	udp_send(&i, t += step, &srv, &c, &b);
	/* 13: a well-formed response to query 1, to show decoding goes on */
	struct msg r = tr(0x7000, "fine.example.", "fine.example. 60 IN A 192.0.2.71");
	dns_udp(&i, t += step, &srv, &c, &r);
	b_free(&b);
	sink_close(&s);
}

/* Frames cut by a 96-octet snaplen: the query fits, the responses do not. */
static void gen_snaplen(void)
{
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep c = mkep("192.0.2.80", 48000), srv = mkep("198.51.100.53", 53);
	struct ep c6 = mkep("2001:db8::80", 48001), s6 = mkep("2001:db8:53::53", 53);
	struct msg r = { .id = 0x8001, .qr = 1, .flags = F_RD | F_RA, .qname = "cut.example.",
			 .qtype = "A",
			 .an = { "cut.example. 60 IN A 192.0.2.1", "cut.example. 60 IN A 192.0.2.2",
				 "cut.example. 60 IN A 192.0.2.3" } };

	sink_open_pcap(&s, "snaplen.pcap", DLT_EN10MB, 96, 0, POST_PLAIN, 0);
	exchange(&i, T0, 1000, &c, &srv, &r);
	r.id = 0x8002;
	exchange(&i, T0 + NS_PER_S, 1000, &c6, &s6, &r);
	sink_close(&s);
}

/* pcapng with an Ethernet interface (microseconds) and a raw IP one (nanoseconds). */
static void gen_pcapng(void)
{
	struct sink s;
	struct iface eth, raw;
	struct ep c = mkep("192.0.2.90", 49000), srv = mkep("198.51.100.53", 53);
	struct ep c6 = mkep("2001:db8::90", 49001), s6 = mkep("2001:db8:53::53", 53);
	struct msg r = R_A;

	sink_open_pcapng(&s, "two-if.pcapng");
	eth.s = raw.s = &s;
	eth.idx = sink_add_iface(&s, 1, "eth0", 0);
	eth.link = L_ETH;
	raw.idx = sink_add_iface(&s, 101, "tun0", 1);
	raw.link = L_RAW;
	r.id = 0x9001;
	exchange(&eth, T0, 1200, &c, &srv, &r);
	r.id = 0x9002;
	r.qtype = "AAAA";
	r.an[0] = "www.example. 300 IN AAAA 2001:db8::80";
	r.an[1] = NULL;
	exchange(&raw, T0 + NS_PER_S + 123, 1300, &c6, &s6, &r);
	r.id = 0x9003;
	r.qtype = "A";
	r.an[0] = "www.example. 300 IN A 192.0.2.80";
	exchange(&eth, T0 + 2 * NS_PER_S, 900, &c, &srv, &r);
	sink_close(&s);
}

/* Nanosecond timestamps: sub-microsecond parts that must not leak into microseconds. */
static void gen_nano(void)
{
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep c = mkep("192.0.2.91", 49100), srv = mkep("198.51.100.53", 53);
	struct msg r = R_A, q;

	sink_open_pcap(&s, "nano.pcap", DLT_EN10MB, 65535, 1, POST_PLAIN, 0);
	r.id = 0x9101;
	q = query_of(&r);
	dns_udp(&i, T0 + 123456789, &c, &srv, &q);
	dns_udp(&i, T0 + 124000999, &srv, &c, &r); /* 544.210 us later */
	r.id = 0x9102;
	q = query_of(&r);
	dns_udp(&i, T0 + NS_PER_S + 999999999, &c, &srv, &q);
	dns_udp(&i, T0 + 2 * NS_PER_S + 1, &srv, &c, &r);
	sink_close(&s);
}

/* The same small exchange, gzip-compressed; and cut short inside its last record. */
static void gen_gzip_and_cut(void)
{
	static const char *names[] = { "gzip.pcap.gz", "cut.pcap" };
	struct ep c = mkep("192.0.2.92", 49200), srv = mkep("198.51.100.53", 53);

	for (int k = 0; k < 2; k++) {
		struct sink s;
		struct iface i = { &s, 0, L_ETH };
		struct msg r = R_A;

		sink_open_pcap(&s, names[k], DLT_EN10MB, 65535, 0, k ? POST_CUT : POST_GZIP, 20);
		for (int j = 0; j < 3; j++) {
			r.id = (uint16_t)(0x9200 + 16 * k + j);
			exchange(&i, T0 + j * NS_PER_S, 700 + j, &c, &srv, &r);
		}
		sink_close(&s);
	}
}

/* A capture whose clock steps back by two seconds between exchanges. */
static void gen_timeback(void)
{
	static const int64_t at[] = { 5, 3, 6 };
	struct sink s;
	struct iface i = { &s, 0, L_ETH };
	struct ep c = mkep("192.0.2.93", 49300), srv = mkep("198.51.100.53", 53);
	struct msg r = R_A;

	sink_open_pcap(&s, "timeback.pcap", DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	for (int j = 0; j < 3; j++) {
		r.id = (uint16_t)(0x9300 + j);
		exchange(&i, T0 + at[j] * NS_PER_S, 400, &c, &srv, &r);
	}
	sink_close(&s);
}

static void gen_captures(void)
{
	gen_timeback();
	gen_linktype("eth.pcap", DLT_EN10MB, L_ETH, 1);
	gen_linktype("vlan.pcap", DLT_EN10MB, L_VLAN, 1);
	gen_linktype("qinq.pcap", DLT_EN10MB, L_QINQ, 1);
	gen_linktype("sll.pcap", DLT_LINUX_SLL, L_SLL, 1);
	gen_linktype("sll2.pcap", DLT_LINUX_SLL2, L_SLL2, 1);
	gen_linktype("raw.pcap", DLT_RAW, L_RAW, 1);
	gen_linktype("null-le.pcap", DLT_NULL, L_NULL_LE, 1);
	gen_linktype("null-be.pcap", 0, L_NULL_BE, 1);
	gen_linktype("wifi.pcap", DLT_IEEE802_11, L_WIFI, 0);
	gen_types();
	gen_edns();
	gen_ipv6_ext();
	gen_frag(0);
	gen_frag(1);
	gen_tcp("tcp-basic.pcap", 0);
	gen_tcp("tcp-pipeline.pcap", 1);
	gen_tcp("tcp-split.pcap", 2);
	gen_tcp("tcp-retrans.pcap", 3);
	gen_tcp("tcp-ooo.pcap", 4);
	gen_tcp("tcp-midstream.pcap", 5);
	gen_tcp("tcp-hole.pcap", 6);
	gen_tcp("tcp-fin-partial.pcap", 7);
	gen_malformed();
	gen_snaplen();
	gen_pcapng();
	gen_nano();
	gen_gzip_and_cut();
}

/* ---- text logs ---- */

static void b_printf(struct bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void b_printf(struct bytes *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf failed");
	b_need(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

static void write_bytes(const char *name, struct bytes *b)
{
	write_file(name, b->p, b->n);
	b_free(b);
}

static const char *const month_abbr[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Civil date of a day count since 1970-01-01 (proleptic Gregorian). */
static void civil(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

struct tparts {
	int y, mon, d, h, mi, s, ms, us;
	int64_t epoch;
};

static struct tparts tsplit(int64_t ns)
{
	struct tparts p;
	int64_t sec = ns / NS_PER_S, sod = sec % 86400;

	civil(sec / 86400, &p.y, &p.mon, &p.d);
	p.h = (int)(sod / 3600);
	p.mi = (int)(sod / 60 % 60);
	p.s = (int)(sod % 60);
	p.us = (int)(ns % NS_PER_S / NS_PER_US);
	p.ms = p.us / 1000;
	p.epoch = sec;
	return p;
}

/* BIND's default print-time: "01-Mar-2024 12:00:00.123". */
static void b_bind_time(struct bytes *b, int64_t ns)
{
	struct tparts p = tsplit(ns);

	b_printf(b, "%02d-%s-%04d %02d:%02d:%02d.%03d", p.d, month_abbr[p.mon - 1], p.y, p.h, p.mi,
		 p.s, p.ms);
}

static void b_iso_time(struct bytes *b, int64_t ns)
{
	struct tparts p = tsplit(ns);

	b_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", p.y, p.mon, p.d, p.h, p.mi, p.s, p.us);
}

static void b_epoch_time(struct bytes *b, int64_t ns)
{
	struct tparts p = tsplit(ns);

	b_printf(b, "%lld.%06d", (long long)p.epoch, p.us);
}

/* BIND 9 query log: the 9.16+ layout, the category-prefixed one, the pre-9.11 one
 * without the client object, a view, and lines that must be counted as bad. */
static void gen_bind(void)
{
	struct bytes b = { 0 };
	int64_t s = NS_PER_S;

	b_bind_time(&b, T0);
	b_printf(&b, " client @0x7f3a5c001230 192.0.2.10#40001 (www.example): query: www.example "
		     "IN A +E(0)K (198.51.100.53)\n");
	b_bind_time(&b, T0 + s + 250 * 1000 * NS_PER_US);
	b_printf(&b, " queries: info: client @0x7f3a5c001230 2001:db8::10#40002 (www.example): "
		     "query: www.example IN AAAA -ED (2001:db8:53::53)\n");
	b_bind_time(&b, T0 + 2 * s + 500 * 1000 * NS_PER_US);
	b_printf(&b, " client 192.0.2.11#40003: query: mail.example IN MX + (198.51.100.53)\n");
	b_bind_time(&b, T0 + 3 * s);
	b_printf(&b, " client @0x7f3a5c001230 192.0.2.12#40004 (txt.example): view internal: "
		     "query: txt.example IN TXT +T (198.51.100.53)\n");
	b_printf(&b, "this line is not a query log line\n");
	b_printf(&b, "\n");
	b_printf(&b, "31-Feb-2024 12:00:04.000 client @0x7f3a5c001230 192.0.2.13#40005 "
		     "(bad.example): query: bad.example IN A + (198.51.100.53)\n");
	b_bind_time(&b, T0 + 5 * s);
	b_printf(&b, " client @0x7f3a5c001230 192.0.2.13#40006 (svc.example): query: svc.example "
		     "IN TYPE65 +E(0)DC (198.51.100.53)\n");
	b_bind_time(&b, T0 + 6 * s);
	b_printf(&b, " client @0x7f3a5c001230 192.0.2.13#40007 (_sip._tcp.example): query: "
		     "_sip._tcp.example IN SRV +E(0) (198.51.100.53)\n");
	b_bind_time(&b, T0 + 4 * s); /* earlier than the line before */
	b_printf(&b, " client @0x7f3a5c001230 192.0.2.14#40008 (back.example): query: "
		     "back.example CH TXT - (198.51.100.53)\n");
	b_bind_time(&b, T0 + 7 * s);
	b_printf(&b, " client @0x7f3a5c001230 999.0.2.1#40009 (addr.example): query: "
		     "addr.example IN A + (198.51.100.53)\n");
	write_bytes("bind.log", &b);
}

struct zrow {
	int64_t ts;
	const char *uid, *orig_h, *orig_p, *resp_h, *resp_p, *proto, *trans_id, *rtt, *query;
	const char *qclass, *qclass_name, *qtype, *qtype_name, *rcode, *rcode_name;
	const char *aa, *tc, *rd, *ra, *answers, *ttls;
};

static const struct zrow zrows[] = {
	{ 0, "CHhAvVGS1DHFjwGM9", "192.0.2.10", "40001", "198.51.100.53", "53", "udp", "4097",
	  "0.001500", "www.example", "1", "C_INTERNET", "1", "A", "0", "NOERROR", "F", "F", "T", "T",
	  "192.0.2.80,192.0.2.81", "300.000000,300.000000" },
	{ 1, "C4J4Th3PJpwUYZZ6gc", "2001:db8::10", "40002", "2001:db8:53::53", "53", "udp", "4098",
	  "0.002500", "www.example", "1", "C_INTERNET", "28", "AAAA", "0", "NOERROR", "F", "F", "T",
	  "T", "2001:db8::80", "300.000000" },
	{ 2, "CtPZjS20MLrsMUOJi2", "192.0.2.11", "40003", "198.51.100.53", "53", "udp", "4099",
	  "0.000800", "nope.example", "1", "C_INTERNET", "1", "A", "3", "NXDOMAIN", "F", "F", "T",
	  "T", "-", "-" },
	{ 3, "CUM0KZ3MLUfNB0cl11", "192.0.2.12", "40004", "198.51.100.53", "53", "udp", "4100", "-",
	  "silent.example", "1", "C_INTERNET", "1", "A", "-", "-", "F", "F", "T", "F", "-", "-" },
	{ 4, "CmES5u32sYpV7JYN", "192.0.2.13", "40005", "198.51.100.53", "53", "tcp", "4101",
	  "0.004000", "mail.example", "1", "C_INTERNET", "15", "MX", "0", "NOERROR", "T", "F", "T",
	  "T", "mx1.example", "3600.000000" },
	{ 5, "CP5puj4I8PtEU4qzYg", "192.0.2.14", "x", "198.51.100.53", "53", "udp", "4102",
	  "0.001000", "badport.example", "1", "C_INTERNET", "1", "A", "0", "NOERROR", "F", "F", "T",
	  "T", "192.0.2.1", "60.000000" },
	{ 6, "C37jN32gN3y3AZzyf6", "192.0.2.15", "40007", "198.51.100.53", "53", "udp", "4103",
	  "0.001200", "www.example", "1", "C_INTERNET", "5", "CNAME", "0", "NOERROR", "F", "F", "T",
	  "T", "web.example", "300.000000" },
	{ 7, "C0LAHyvtKSQHyJxIl", "192.0.2.16", "40008", "198.51.100.53", "53", "udp", "4104",
	  "0.000900", "empty.example", "1", "C_INTERNET", "16", "TXT", "0", "NOERROR", "F", "F",
	  "T", "T", "(empty)", "(empty)" },
};

#define N_ZROWS (sizeof zrows / sizeof zrows[0])

/* Zeek dns.log, TSV with its header block. */
static void gen_zeek_tsv(void)
{
	struct bytes b = { 0 };

	b_printf(&b, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
		     "#unset_field\t-\n#path\tdns\n#open\t2024-03-01-12-00-00\n");
	b_printf(&b, "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\t"
		     "trans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\t"
		     "rcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n");
	b_printf(&b, "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\t"
		     "string\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\t"
		     "count\tvector[string]\tvector[interval]\tbool\n");
	for (size_t k = 0; k < N_ZROWS; k++) {
		const struct zrow *z = &zrows[k];

		b_epoch_time(&b, T0 + z->ts * NS_PER_S + (int64_t)k * 1000 * NS_PER_US);
		b_printf(&b,
			 "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s"
			 "\t0\t%s\t%s\tF\n",
			 z->uid, z->orig_h, z->orig_p, z->resp_h, z->resp_p, z->proto, z->trans_id,
			 z->rtt, z->query, z->qclass, z->qclass_name, z->qtype, z->qtype_name,
			 z->rcode, z->rcode_name, z->aa, z->tc, z->rd, z->ra, z->answers, z->ttls);
	}
	b_printf(&b, "#close\t2024-03-01-12-00-10\n");
	write_bytes("zeek.log", &b);
}

static int is_unset(const char *v)
{
	return strcmp(v, "-") == 0;
}

/* A Zeek vector ("a,b") as a JSON array; strings quoted unless numbers. */
static void b_json_vec(struct bytes *b, const char *v, int numbers)
{
	b_printf(b, "[");
	if (strcmp(v, "(empty)") != 0) {
		const char *p = v;

		for (int first = 1;; first = 0) {
			const char *e = strchr(p, ',');
			int n = (int)(e ? (size_t)(e - p) : strlen(p));

			b_printf(b, numbers ? "%s%.*s" : "%s\"%.*s\"", first ? "" : ",", n, p);
			if (!e)
				break;
			p = e + 1;
		}
	}
	b_printf(b, "]");
}

/* Zeek dns.log as JSON lines (unset fields are left out, as Zeek does). */
static void gen_zeek_json(void)
{
	struct bytes b = { 0 };

	for (size_t k = 0; k < N_ZROWS; k++) {
		const struct zrow *z = &zrows[k];

		if (strcmp(z->orig_p, "x") == 0)
			continue; /* JSON cannot carry that mistake the same way */
		b_printf(&b, "{\"ts\":");
		b_epoch_time(&b, T0 + z->ts * NS_PER_S + (int64_t)k * 1000 * NS_PER_US);
		b_printf(&b,
			 ",\"uid\":\"%s\",\"id.orig_h\":\"%s\",\"id.orig_p\":%s,\"id.resp_h\":\"%s\","
			 "\"id.resp_p\":%s,\"proto\":\"%s\",\"trans_id\":%s",
			 z->uid, z->orig_h, z->orig_p, z->resp_h, z->resp_p, z->proto, z->trans_id);
		if (!is_unset(z->rtt))
			b_printf(&b, ",\"rtt\":%s", z->rtt);
		b_printf(&b,
			 ",\"query\":\"%s\",\"qclass\":%s,\"qclass_name\":\"%s\",\"qtype\":%s,"
			 "\"qtype_name\":\"%s\"",
			 z->query, z->qclass, z->qclass_name, z->qtype, z->qtype_name);
		if (!is_unset(z->rcode))
			b_printf(&b, ",\"rcode\":%s,\"rcode_name\":\"%s\"", z->rcode, z->rcode_name);
		b_printf(&b, ",\"AA\":%s,\"TC\":%s,\"RD\":%s,\"RA\":%s,\"Z\":0",
			 *z->aa == 'T' ? "true" : "false", *z->tc == 'T' ? "true" : "false",
			 *z->rd == 'T' ? "true" : "false", *z->ra == 'T' ? "true" : "false");
		if (!is_unset(z->answers)) {
			b_printf(&b, ",\"answers\":");
			b_json_vec(&b, z->answers, 0);
			b_printf(&b, ",\"TTLs\":");
			b_json_vec(&b, z->ttls, 1);
		}
		b_printf(&b, ",\"rejected\":false}\n");
	}
	b_printf(&b, "{\"ts\":1709294420.0,\"uid\":\"Cbroken\",\"query\":\"cut.example\"\n");
	b_printf(&b, "{\"uid\":\"Cnots\",\"id.orig_h\":\"192.0.2.17\",\"query\":\"nots.example\","
		     "\"qtype_name\":\"A\"}\n");
	write_bytes("zeek.json", &b);
}

/* The generic passive-DNS table, comma separated with a header row. */
static void gen_csv(void)
{
	struct bytes b = { 0 };
	int64_t s = NS_PER_S;

	b_printf(&b, "timestamp,client,server,qname,qtype,rcode,answers,ttl\n");
	b_iso_time(&b, T0);
	b_printf(&b, ",192.0.2.10,198.51.100.53,www.example,A,NOERROR,192.0.2.80|192.0.2.81,300\n");
	b_iso_time(&b, T0 + s);
	b_printf(&b, ",2001:db8::10,2001:db8:53::53,www.example.,AAAA,0,2001:db8::80,300\n");
	b_iso_time(&b, T0 + 2 * s);
	b_printf(&b, ",192.0.2.11,198.51.100.53,nope.example,A,NXDOMAIN,,\n");
	b_iso_time(&b, T0 + 3 * s);
	b_printf(&b, ",192.0.2.12,198.51.100.53,example,TXT,NOERROR,\"\"\"v=spf1 -all\"\"\","
		     "3600\n");
	b_iso_time(&b, T0 + 4 * s);
	b_printf(&b, ",192.0.2.12,198.51.100.53,www.example,A,NOERROR,"
		     "CNAME web.example.;A 192.0.2.82,60\n");
	b_printf(&b, "yesterday,192.0.2.13,198.51.100.53,when.example,A,NOERROR,192.0.2.1,60\n");
	b_iso_time(&b, T0 + 5 * s);
	b_printf(&b, ",not-an-address,198.51.100.53,who.example,A,NOERROR,192.0.2.1,60\n");
	b_iso_time(&b, T0 + 6 * s);
	b_printf(&b, ",192.0.2.14,198.51.100.53,query.only.example,MX,,,\n");
	b_iso_time(&b, T0 + 7 * s);
	b_printf(&b, ",192.0.2.15,198.51.100.53,cols.example,A\n");
	write_bytes("pdns.csv", &b);
}

/* The generic table, tab separated, with epoch times and the optional columns. */
static void gen_tsv(void)
{
	struct bytes b = { 0 };
	int64_t s = NS_PER_S;

	b_printf(&b, "ts\tsrc\tclient_port\tdst\tserver_port\tid\ttransport\tquery\tqclass\t"
		     "qtype\trcode\tanswers\tttl\n");
	b_epoch_time(&b, T0 + 123456 * NS_PER_US);
	b_printf(&b, "\t192.0.2.10\t40001\t198.51.100.53\t53\t4097\tudp\twww.example\tIN\tA\t"
		     "NOERROR\t192.0.2.80\t300\n");
	b_epoch_time(&b, T0 + s);
	b_printf(&b, "\t192.0.2.10\t40002\t198.51.100.53\t53\t4098\ttcp\texample\tIN\tSOA\t"
		     "NOERROR\tns1.example. hostmaster.example. 2024030101 7200 900 1209600 300"
		     "\t3600\n");
	b_epoch_time(&b, T0 + 2 * s);
	b_printf(&b, "\t192.0.2.11\t40003\t198.51.100.53\t53\t70000\tudp\tbig-id.example\tIN\tA\t"
		     "NOERROR\t192.0.2.1\t60\n");
	b_epoch_time(&b, T0 + 3 * s);
	b_printf(&b, "\t192.0.2.11\t40004\t198.51.100.53\t53\t4100\tudp\tchaos.example\tCH\tTXT\t"
		     "REFUSED\t\t\n");
	write_bytes("pdns.tsv", &b);
}

static void gen_textlogs(void)
{
	gen_bind();
	gen_zeek_tsv();
	gen_zeek_json();
	gen_csv();
	gen_tsv();
}

/* ---- the demonstration samples ---- */

/* One frame of a sample capture, kept until all are sorted by time. */
struct sframe {
	int64_t t;
	size_t seq;
	struct ep s, d;
	struct bytes w;
};

struct sset {
	struct sframe *f;
	size_t n, cap;
};

static void sset_add(struct sset *ss, int64_t t, const struct ep *s, const struct ep *d,
		     const struct msg *m)
{
	struct sframe *x;

	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? 2 * ss->cap : 256;
		ss->f = xrealloc(ss->f, ss->cap * sizeof *ss->f);
	}
	x = &ss->f[ss->n];
	memset(x, 0, sizeof *x);
	x->t = t;
	x->seq = ss->n++;
	x->s = *s;
	x->d = *d;
	dns_build(m, &x->w);
}

static int sframe_cmp(const void *a, const void *b)
{
	const struct sframe *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void sset_write(struct sset *ss, struct iface *i)
{
	qsort(ss->f, ss->n, sizeof *ss->f, sframe_cmp);
	for (size_t k = 0; k < ss->n; k++) {
		udp_send(i, ss->f[k].t, &ss->f[k].s, &ss->f[k].d, &ss->f[k].w);
		b_free(&ss->f[k].w);
	}
	free(ss->f);
	ss->f = NULL;
	ss->n = ss->cap = 0;
}

/* A name the demo resolves, with its answer and the authority asked on a miss. */
struct sname {
	const char *qname, *qtype, *rdata; /* rdata NULL: NXDOMAIN */
	uint32_t ttl;
	const char *auth; /* authoritative server address */
};

static const struct sname benign[] = {
	{ "www.shop.example.", "A", "203.0.113.10", 300, "203.0.113.201" },
	{ "www.shop.example.", "AAAA", "2001:db8:5::10", 300, "203.0.113.201" },
	{ "cdn.news.example.", "A", "203.0.113.20", 60, "203.0.113.202" },
	{ "mail.corp.example.", "A", "192.0.2.5", 3600, "198.51.100.54" },
	{ "corp.example.", "MX", "10 mail.corp.example.", 3600, "198.51.100.54" },
	{ "login.corp.example.", "A", "192.0.2.6", 3600, "198.51.100.54" },
	{ "time.corp.example.", "A", "192.0.2.7", 3600, "198.51.100.54" },
	{ "www.search.example.", "A", "203.0.113.30", 300, "203.0.113.203" },
	{ "www.search.example.", "AAAA", "2001:db8:5::30", 300, "203.0.113.203" },
	{ "updates.vendor.example.", "A", "203.0.113.40", 600, "203.0.113.204" },
};

#define N_BENIGN (sizeof benign / sizeof benign[0])

struct cache_ent {
	char key[160];
	int64_t until;
};

struct demo {
	struct sset s1, s2;     /* sensor 1 (client side), sensor 2 (resolver upstream) */
	struct bytes bind;      /* the resolver's query log */
	struct cache_ent cache[512];
	size_t n_cache;
	struct ep resolver4, resolver6;
};

/* A resolution seen by both sensors: client query and answer on sensor 1, the
 * resolver's own query upstream on sensor 2 when its cache had no fresh copy. */
static void demo_resolve(struct demo *d, int64_t t, const struct ep *client, const char *qname,
			 const char *qtype, const char *rdata, uint32_t ttl, const char *auth)
{
	char rr[300], soa[200], key[160];
	const struct ep *res = client->v6 ? &d->resolver6 : &d->resolver4;
	struct msg r = { .id = (uint16_t)rng_next(), .qr = 1, .flags = F_RD | F_RA,
			 .qname = qname, .qtype = qtype, .edns = 1, .udp_size = 1232 };
	struct msg q;
	int64_t lat = (int64_t)(300 + rng_below(900)) * NS_PER_US;
	size_t slot;
	int hit = 0;

	snprintf(key, sizeof key, "%s/%s", qname, qtype);
	for (slot = 0; slot < d->n_cache; slot++)
		if (strcmp(d->cache[slot].key, key) == 0)
			break;
	if (slot < d->n_cache && d->cache[slot].until > t)
		hit = 1;
	if (rdata) {
		snprintf(rr, sizeof rr, "%s %u IN %s %s", qname, ttl, qtype, rdata);
		r.an[0] = rr;
	} else {
		r.rcode = LDNS_RCODE_NXDOMAIN;
		snprintf(soa, sizeof soa, "example. 300 IN SOA a.iana-servers.example. "
					  "hostmaster.example. 2024030100 1800 900 604800 300");
		r.ns[0] = soa;
	}
	if (!hit) {
		struct ep up = mkep("198.51.100.53", (uint16_t)(1024 + rng_below(60000)));
		struct ep a = mkep(auth, 53);
		struct msg ur = r, uq;
		int64_t ulat = (int64_t)(8000 + rng_below(40000)) * NS_PER_US;

		ur.id = (uint16_t)rng_next();
		ur.flags = F_AA;
		ur.do_bit = 1;
		uq = query_of(&ur);
		sset_add(&d->s2, t + 150 * NS_PER_US, &up, &a, &uq);
		sset_add(&d->s2, t + 150 * NS_PER_US + ulat, &a, &up, &ur);
		lat += ulat + 300 * NS_PER_US;
		if (slot == d->n_cache && d->n_cache < 512)
			d->n_cache++;
		if (slot < 512) {
			snprintf(d->cache[slot].key, sizeof d->cache[slot].key, "%s", key);
			d->cache[slot].until = t + (int64_t)(rdata ? ttl : 300) * NS_PER_S;
		}
	}
	q = query_of(&r);
	sset_add(&d->s1, t, client, res, &q);
	sset_add(&d->s1, t + lat, res, client, &r);
	/* BIND logs the name without the trailing dot */
	char c_addr[INET6_ADDRSTRLEN], r_addr[INET6_ADDRSTRLEN];
	inet_ntop(client->v6 ? AF_INET6 : AF_INET, client->a, c_addr, sizeof c_addr);
	inet_ntop(res->v6 ? AF_INET6 : AF_INET, res->a, r_addr, sizeof r_addr);
	int nl = (int)strlen(qname) - 1;
	b_bind_time(&d->bind, t);
	b_printf(&d->bind, " queries: info: client @0x7f3a5c0%05x %s#%u (%.*s): query: %.*s IN %s "
			   "+E(0) (%s)\n",
		 (unsigned)(client->a[client->v6 ? 15 : 3]) * 16, c_addr, client->port, nl, qname, nl,
		 qname, qtype, r_addr);
}

struct pending {
	int64_t t;
	int client;
	int kind; /* 0 benign, 1 beacon, 2 tunnel, 3 dga */
	size_t which;
	char name[120];
};

static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static void gen_samples(void)
{
	static struct demo d;
	static struct pending ev[400];
	size_t n = 0;
	const char *clients[] = { "192.0.2.66", "192.0.2.67", "192.0.2.68", "2001:db8:66::66" };
	int64_t start = 1709301600LL * NS_PER_S; /* 2024-03-01T14:00:00Z */
	int64_t span = 30 * 60 * NS_PER_S, s = NS_PER_S;

	d.resolver4 = mkep("198.51.100.53", 53);
	d.resolver6 = mkep("2001:db8:53::53", 53);
	/* ordinary traffic from every client */
	for (int k = 0; k < 90; k++, n++) {
		ev[n].t = start + (int64_t)(rng_next() % (uint64_t)(span / NS_PER_US)) * NS_PER_US;
		ev[n].client = (int)rng_below(4);
		ev[n].kind = 0;
		ev[n].which = rng_below(N_BENIGN);
	}
	/* the workstation 192.0.2.66 beacons every minute or so */
	for (int k = 0; k < 30; k++, n++) {
		ev[n].t = start + 17 * s + k * 60 * s + (int64_t)rng_below(4000) * 1000 * NS_PER_US;
		ev[n].client = 0;
		ev[n].kind = 1;
	}
	/* a burst of TXT lookups whose labels carry hex-encoded data */
	for (int k = 0; k < 20; k++, n++) {
		char hex[33];

		for (int j = 0; j < 32; j++)
			hex[j] = "0123456789abcdef"[rng_below(16)];
		hex[32] = 0;
		ev[n].t = start + 14 * 60 * s + k * 7 * s + (int64_t)rng_below(900) * NS_PER_US * 1000;
		ev[n].client = 0;
		ev[n].kind = 2;
		snprintf(ev[n].name, sizeof ev[n].name, "%s.%02d.t.exfil.example.", hex, k);
	}
	/* algorithmically generated names, most of which do not exist */
	for (int k = 0; k < 15; k++, n++) {
		char lab[13];

		for (int j = 0; j < 12; j++)
			lab[j] = (char)('a' + rng_below(26));
		lab[12] = 0;
		ev[n].t = start + 5 * 60 * s + k * 2 * s + (int64_t)rng_below(1500) * 1000 * NS_PER_US;
		ev[n].client = 0;
		ev[n].kind = 3;
		snprintf(ev[n].name, sizeof ev[n].name, "%s.example.", lab);
	}
	qsort(ev, n, sizeof ev[0], pending_cmp);
	for (size_t k = 0; k < n; k++) {
		struct ep c = mkep(clients[ev[k].client], (uint16_t)(49152 + rng_below(16384)));
		const struct sname *b = &benign[ev[k].which];

		switch (ev[k].kind) {
		case 0:
			demo_resolve(&d, ev[k].t, &c, b->qname, b->qtype, b->rdata, b->ttl, b->auth);
			break;
		case 1:
			demo_resolve(&d, ev[k].t, &c, "update.badcdn.example.", "A", "203.0.113.66", 60,
				     "203.0.113.53");
			break;
		case 2:
			demo_resolve(&d, ev[k].t, &c, ev[k].name, "TXT", "\"ack\"", 0, "203.0.113.54");
			break;
		default:
			demo_resolve(&d, ev[k].t, &c, ev[k].name, "A",
				     k % 5 == 4 ? "203.0.113.99" : NULL, 300, "203.0.113.1");
			break;
		}
	}

	struct sink s1, s2;
	struct iface i1 = { &s1, 0, L_ETH }, i2 = { &s2, 0, L_ETH };
	sink_open_pcap(&s1, "demo-sensor1.pcap", DLT_EN10MB, 65535, 0, POST_PLAIN, 0);
	sset_write(&d.s1, &i1);
	sink_close(&s1);
	sink_open_pcapng(&s2, "demo-sensor2.pcapng");
	i2.idx = sink_add_iface(&s2, 1, "upstream0", 0);
	sset_write(&d.s2, &i2);
	sink_close(&s2);
	write_bytes("demo-queries.log", &d.bind);

	/* passive DNS history of the beacon name over the month before, in time order */
	static struct pending rows[200];
	size_t nr = 0;
	for (int day = 0; day < 29; day++) {
		int64_t t = 1706745600LL * NS_PER_S + (int64_t)day * 86400 * s; /* from 2024-02-01 */
		int sightings = 1 + (int)rng_below(3);

		for (int k = 0; k < sightings; k++, nr++) {
			const char *ip = day < 19 ? "198.51.100.200" : "203.0.113.66";

			rows[nr].t = t + (int64_t)rng_below(86400) * s;
			snprintf(rows[nr].name, sizeof rows[nr].name,
				 ",192.0.2.%u,198.51.100.53,update.badcdn.example,A,NOERROR,%s,60",
				 60 + rng_below(10), ip);
		}
		if (day >= 24) {
			rows[nr].t = t + (int64_t)rng_below(86400) * s;
			snprintf(rows[nr].name, sizeof rows[nr].name,
				 ",192.0.2.66,198.51.100.53,%08x.t.exfil.example,TXT,NOERROR,"
				 "\"\"\"ack\"\"\",0",
				 (unsigned)rng_next());
			nr++;
		}
	}
	qsort(rows, nr, sizeof rows[0], pending_cmp);
	struct bytes csv = { 0 };
	b_printf(&csv, "timestamp,client,server,qname,qtype,rcode,answers,ttl\n");
	for (size_t k = 0; k < nr; k++) {
		b_iso_time(&csv, rows[k].t);
		b_printf(&csv, "%s\n", rows[k].name);
	}
	write_bytes("demo-pdns.csv", &csv);
}

int main(int argc, char **argv)
{
	int samples = 0;

	if (argc == 3 && strcmp(argv[1], "--samples") == 0) {
		samples = 1;
		outdir = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		outdir = argv[1];
	} else {
		fprintf(stderr, "usage: tlgen OUTDIR | tlgen --samples OUTDIR\n");
		return 2;
	}
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
		die("%s: %s", outdir, strerror(errno));
	if (samples) {
		gen_samples();
	} else {
		gen_captures();
		gen_textlogs();
	}
	return 0;
}
