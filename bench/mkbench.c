/* mkbench.c - writes a large synthetic DNS capture (classic pcap, Ethernet) for benchmarks.
 *
 * Usage: mkbench [-n MESSAGES] [-s SEED] [-p resolver|authoritative] [-o FILE]
 *        (default 5000000 messages, the resolver profile, stdout)
 *
 * Deterministic: the same arguments give the same bytes (own PRNG, no clock).
 * The traffic is a recursive resolver's view: clients send queries, the resolver
 * answers after 1-60 ms. Mix: ~200k names under .example in 3000 zones, popularity
 * skewed towards few names, plus ~20k names that do not exist; A 55%, AAAA 30%, MX 7%, TXT 8%; ~8% NXDOMAIN, some
 * NODATA, SERVFAIL and REFUSED, ~0.5% unanswered; CNAME chains on some answers;
 * EDNS (RFC 6891) on ~90% of queries, a third of them with DO; ~10% IPv6; ~2% TCP,
 * each exchange on its own connection with a three-way handshake, correct sequence
 * and acknowledgement numbers, the 2-byte length prefix (RFC 1035 4.2.2, RFC 7766)
 * and an orderly close. All checksums are correct.
 *
 * -p authoritative: the view of the servers of a signed TLD, "example." (the 3000 zones
 * are its delegations): resolvers ask without RD; most answers are referrals (2-4 NS with
 * A and some AAAA glue, and with DO the child's DS and its RRSIG, or an NSEC3 proof of no
 * DS); ~15% NXDOMAIN with the SOA and, with DO, three NSEC3 and their RRSIGs; ~2% the apex
 * (SOA, NS, DNSKEY with signatures); ECDSA P-256 signatures; ~1% TCP, ~25% IPv6. The
 * signatures are random bytes of the right length: nothing here validates.
 *
 * Addresses: clients and resolvers are synthesised in 10.0.0.0/8 (RFC 1918) and
 * 2001:db8::/32 (RFC 3849), because the IPv4 documentation blocks are far too small
 * for thousands of clients; answer data uses 198.18.0.0/15 (RFC 2544, benchmarking)
 * and 2001:db8::/32. None of it is anyone's real network. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ZONES 3000
#define N_NAMES 200000
#define N_CLIENTS4 5000
#define N_CLIENTS6 600
#define MAX_FRAME 2048
#define START_TS 1764201600000000LL /* 2025-11-27T00:00:00Z */

/* ------------------------------------------------------------ PRNG (splitmix64) */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double rnd_unit(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* A stateless hash, so that a name's answers are the same every time it is asked. */
static uint32_t hash32(uint32_t a, uint32_t b)
{
	uint64_t z = ((uint64_t)a << 32 | b) + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)(z ^ (z >> 31));
}

/* ------------------------------------------------------------ names */

struct name {
	uint8_t host[40]; /* wire labels before the zone (no terminator) */
	uint8_t host_len;
	uint16_t zone;
	uint32_t ttl;
};

struct zone {
	uint8_t wire[32]; /* "<zone>" "example" root, wire format */
	uint8_t len;
};

/* The profile: 0 a recursive resolver's view (the default), 1 an authoritative server of
 * the signed TLD "example." (-p authoritative). */
static int auth;

static struct zone zones[N_ZONES];
static struct name *names;

static const char *const SYL[64] = {
	"ka", "lo", "mi", "nu", "pe", "ra", "so", "ti", "va", "we", "xo", "yu", "za", "bo", "ce",
	"di", "fa", "ge", "hi", "jo", "ku", "le", "ma", "ne", "or", "pa", "qu", "ri", "su", "to",
	"ul", "vi", "an", "el", "in", "on", "un", "ar", "er", "ir", "bri", "cla", "dro", "fle",
	"gro", "kri", "pla", "sta", "tre", "vor", "mon", "sel", "tor", "lin", "dex", "nex", "pix",
	"zen", "hub", "net", "sys", "tek", "web", "box",
};

static const char *const HOSTS[24] = {
	"www", "mail", "api", "cdn", "static", "img", "login", "auth", "m", "app", "vpn", "ns1",
	"ns2", "smtp", "imap", "dev", "shop", "blog", "news", "status", "files", "video",
	"assets", "portal",
};

static const char *const REGIONS[6] = {"eu", "us", "ap", "sa", "af", "me"};

static size_t put_label(uint8_t *p, const char *s)
{
	size_t n = strlen(s);
	p[0] = (uint8_t)n;
	memcpy(p + 1, s, n);
	return n + 1;
}

static void make_names(void)
{
	static const uint32_t TTLS[5] = {60, 300, 900, 3600, 86400};
	char buf[32];

	for (uint32_t z = 0; z < N_ZONES; z++) {
		/* Two syllables give 4096 distinct zones; a digit on some for variety. */
		if (z % 5 == 4)
			snprintf(buf, sizeof(buf), "%s%s%u", SYL[z % 64], SYL[(z / 64) % 64], z % 10);
		else
			snprintf(buf, sizeof(buf), "%s%s", SYL[z % 64], SYL[(z / 64) % 64]);
		size_t n = put_label(zones[z].wire, buf);
		n += put_label(zones[z].wire + n, "example");
		zones[z].wire[n++] = 0;
		zones[z].len = (uint8_t)n;
	}
	names = calloc(N_NAMES, sizeof(*names));
	if (!names) {
		fprintf(stderr, "mkbench: out of memory\n");
		exit(1);
	}
	/* Name i is host k of zone i % N_ZONES with k = i / N_ZONES, so low indices are
	 * the common hosts (www, mail...) of every zone: those are drawn most often. */
	for (uint32_t i = 0; i < N_NAMES; i++) {
		struct name *nm = &names[i];
		uint32_t k = i / N_ZONES;
		size_t n = 0;
		nm->zone = (uint16_t)(i % N_ZONES);
		if (k < 24) {
			n = put_label(nm->host, HOSTS[k]);
		} else if (k % 3 == 0) {
			snprintf(buf, sizeof(buf), "host-%u", k);
			n = put_label(nm->host, buf);
		} else if (k % 3 == 1) {
			snprintf(buf, sizeof(buf), "node%u", k);
			n = put_label(nm->host, buf);
			n += put_label(nm->host + n, REGIONS[k % 6]);
		} else {
			snprintf(buf, sizeof(buf), "%s%u", SYL[k % 64], k);
			n = put_label(nm->host, buf);
			n += put_label(nm->host + n, HOSTS[k % 24]);
		}
		nm->host_len = (uint8_t)n;
		nm->ttl = TTLS[hash32(i, 7) % 5];
	}
}

/* ------------------------------------------------------------ transactions */

enum { T_A = 1, T_MX = 15, T_TXT = 16, T_AAAA = 28, T_CNAME = 5, T_SOA = 6, T_OPT = 41,
       T_NS = 2, T_DS = 43, T_RRSIG = 46, T_DNSKEY = 48, T_NSEC3 = 50 };
enum { R_NOERROR = 0, R_SERVFAIL = 2, R_NXDOMAIN = 3, R_REFUSED = 5 };

struct txn {
	uint32_t name;   /* index into names */
	uint32_t nx;     /* non-zero: the query is for a name that does not exist */
	uint32_t client; /* index into the client table of its family */
	uint16_t sport, id, qtype;
	uint8_t v6, tcp, edns, do_bit, rcode, nodata, cname, answered;
	uint8_t apex; /* authoritative profile: a question for the TLD itself */
	uint32_t cisn, sisn; /* TCP initial sequence numbers */
	uint16_t qlen, rlen; /* DNS message lengths, known once built (for TCP numbers) */
	int64_t rtt;         /* client-resolver round trip (TCP handshake) */
	int64_t lat;         /* resolver latency */
	struct txn *next_free;
};

struct event {
	int64_t ts;
	uint64_t seq; /* ties in time keep the order they were scheduled in */
	struct txn *t;
	int step;
};

static struct event *heap;
static size_t heap_len, heap_cap;
static uint64_t heap_seq;

static int ev_less(const struct event *a, const struct event *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void heap_push(int64_t ts, struct txn *t, int step)
{
	if (heap_len == heap_cap) {
		heap_cap = heap_cap ? heap_cap * 2 : 1024;
		heap = realloc(heap, heap_cap * sizeof(*heap));
		if (!heap) {
			fprintf(stderr, "mkbench: out of memory\n");
			exit(1);
		}
	}
	struct event e = {ts, heap_seq++, t, step};
	size_t i = heap_len++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!ev_less(&e, &heap[p]))
			break;
		heap[i] = heap[p];
		i = p;
	}
	heap[i] = e;
}

static struct event heap_pop(void)
{
	struct event top = heap[0];
	struct event last = heap[--heap_len];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= heap_len)
			break;
		if (c + 1 < heap_len && ev_less(&heap[c + 1], &heap[c]))
			c++;
		if (!ev_less(&heap[c], &last))
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (heap_len > 0)
		heap[i] = last;
	return top;
}

static struct txn *free_txns;

static struct txn *txn_new(void)
{
	struct txn *t = free_txns;
	if (t) {
		free_txns = t->next_free;
	} else {
		t = malloc(sizeof(*t));
		if (!t) {
			fprintf(stderr, "mkbench: out of memory\n");
			exit(1);
		}
	}
	memset(t, 0, sizeof(*t));
	return t;
}

static void txn_free(struct txn *t)
{
	t->next_free = free_txns;
	free_txns = t;
}

/* ------------------------------------------------------------ output */

static FILE *out;
static uint8_t *obuf;
static size_t olen;
#define OBUF_SIZE (1u << 20)
static uint64_t n_frames, n_bytes;

static void flush_out(void)
{
	if (olen && fwrite(obuf, 1, olen, out) != olen) {
		fprintf(stderr, "mkbench: write failed: %s\n", strerror(errno));
		exit(1);
	}
	olen = 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void write_pcap_header(void)
{
	uint8_t h[24];
	put_le32(h, 0xa1b2c3d4); /* microsecond timestamps, little-endian */
	h[4] = 2;
	h[5] = 0;
	h[6] = 4;
	h[7] = 0;
	put_le32(h + 8, 0);
	put_le32(h + 12, 0);
	put_le32(h + 16, 65535);
	put_le32(h + 20, 1); /* LINKTYPE_ETHERNET */
	memcpy(obuf, h, sizeof(h));
	olen = sizeof(h);
	n_bytes += sizeof(h);
}

static void emit_frame(int64_t ts, const uint8_t *f, size_t len)
{
	if (olen + 16 + len > OBUF_SIZE)
		flush_out();
	uint8_t *p = obuf + olen;
	put_le32(p, (uint32_t)(ts / 1000000));
	put_le32(p + 4, (uint32_t)(ts % 1000000));
	put_le32(p + 8, (uint32_t)len);
	put_le32(p + 12, (uint32_t)len);
	memcpy(p + 16, f, len);
	olen += 16 + len;
	n_frames++;
	n_bytes += 16 + len;
}

/* ------------------------------------------------------------ addresses */

static void client4(uint32_t i, uint8_t a[4])
{
	/* 10.16.0.0/12 holds the clients: 10.16.x.y with x.y from the index. */
	a[0] = 10;
	a[1] = (uint8_t)(16 + (i >> 16));
	a[2] = (uint8_t)(i >> 8);
	a[3] = (uint8_t)((i & 0xff) == 0 ? 1 : i);
	if ((i & 0xff) == 0)
		a[2] ^= 0x80; /* keep addresses distinct while avoiding .0 */
}

static void resolver4(uint8_t a[4])
{
	a[0] = 10;
	a[1] = 0;
	a[2] = 0;
	a[3] = 53;
}

static void client6(uint32_t i, uint8_t a[16])
{
	static const uint8_t pfx[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, 0x00, 0x00};
	memcpy(a, pfx, 8);
	uint32_t h = hash32(i, 99);
	put32(a + 8, h | 0x02000000u);
	put32(a + 12, i + 1);
}

static void resolver6(uint8_t a[16])
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[15] = 0x53;
}

/* ------------------------------------------------------------ DNS messages */

struct w {
	uint8_t *p;
	size_t n;
};

static void w8(struct w *w, uint32_t v)
{
	w->p[w->n++] = (uint8_t)v;
}

static void w16(struct w *w, uint32_t v)
{
	put16(w->p + w->n, v);
	w->n += 2;
}

static void w32(struct w *w, uint32_t v)
{
	put32(w->p + w->n, v);
	w->n += 4;
}

static void wbytes(struct w *w, const void *b, size_t n)
{
	memcpy(w->p + w->n, b, n);
	w->n += n;
}

static void wlabel(struct w *w, const char *s)
{
	w->n += put_label(w->p + w->n, s);
}

static void wptr(struct w *w, size_t off)
{
	w16(w, 0xc000 | (uint32_t)off); /* RFC 1035 4.1.4 */
}

/* The zone of the question name: a non-existent name has its own. */
static uint32_t txn_zone(const struct txn *t)
{
	return t->nx ? hash32(t->nx, 12) % N_ZONES : names[t->name].zone;
}

/* Writes the question name; returns the offset of the zone part (for pointers). */
static size_t wqname(struct w *w, const struct txn *t)
{
	const struct name *nm = &names[t->name];
	const struct zone *z = &zones[txn_zone(t)];
	if (t->apex) {
		wlabel(w, "example");
		w8(w, 0);
		return w->n - 9;
	}
	if (t->nx) {
		char buf[16];
		snprintf(buf, sizeof(buf), "nx%05x", hash32(t->nx, 11) & 0xfffff);
		wlabel(w, buf);
		if (auth) {
			/* at a TLD a name that does not exist is a label with no delegation */
			size_t tld = w->n;
			wlabel(w, "example");
			w8(w, 0);
			return tld;
		}
	} else {
		wbytes(w, nm->host, nm->host_len);
	}
	size_t zoff = w->n;
	wbytes(w, z->wire, z->len);
	return zoff;
}

static void wopt(struct w *w, int do_bit)
{
	/* RFC 6891 6.1.2: root owner, type OPT, class = UDP size, TTL = ext-rcode,
	 * version, flags (DO is the top bit). */
	w8(w, 0);
	w16(w, T_OPT);
	w16(w, 1232);
	w32(w, do_bit ? 0x00008000u : 0);
	w16(w, 0);
}

static size_t build_query(uint8_t *p, const struct txn *t)
{
	struct w w = {p, 0};
	w16(&w, t->id);
	w16(&w, auth ? 0 : 0x0100); /* RD from stub to resolver; resolvers ask without it */
	w16(&w, 1);
	w16(&w, 0);
	w16(&w, 0);
	w16(&w, t->edns ? 1 : 0);
	wqname(&w, t);
	w16(&w, t->qtype);
	w16(&w, 1);
	if (t->edns)
		wopt(&w, t->do_bit);
	return w.n;
}

/* Resource record header with a compressed owner; returns where RDLENGTH goes. */
static size_t wrr(struct w *w, size_t owner, uint32_t type, uint32_t ttl)
{
	wptr(w, owner);
	w16(w, type);
	w16(w, 1);
	w32(w, ttl);
	size_t at = w->n;
	w16(w, 0);
	return at;
}

static void wrdlen(struct w *w, size_t at)
{
	put16(w->p + at, (uint32_t)(w->n - at - 2));
}

/* ---- the authoritative profile: a signed TLD (RFC 4033-4035, NSEC3 RFC 5155) ---- */

/* n pseudo-random bytes for signatures, keys and digests, fixed by (a, b). */
static void wnoise(struct w *w, size_t n, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = hash32(a, b + (uint32_t)i);
		for (size_t k = 0; k < 4 && i + k < n; k++)
			w8(w, v >> (8 * k));
	}
}

/* An RRSIG (RFC 4034 3.1) over the RRset of type covered at owner, by the TLD's
 * zone-signing key: ECDSA P-256 (algorithm 13, a 64-byte signature), signer "example."
 * written without compression (RFC 4034 3.1.7). */
static void wrrsig(struct w *w, size_t owner, uint32_t covered, uint32_t labels, uint32_t ttl,
		   uint32_t seed)
{
	size_t at = wrr(w, owner, T_RRSIG, ttl);
	w16(w, covered);
	w8(w, 13);
	w8(w, labels);
	w32(w, ttl);
	w32(w, 1766880000u); /* expiration, 2025-12-28 */
	w32(w, 1764201600u); /* inception, 2025-11-27 */
	w16(w, 34505);
	wlabel(w, "example");
	w8(w, 0);
	wnoise(w, 64, seed, covered);
	wrdlen(w, at);
}

/* An NSEC3 record (RFC 5155 3.2): SHA-1, no opt-out, no iterations, no salt; its owner is
 * a 32-character base32hex label under the TLD. */
static void wnsec3(struct w *w, size_t tld, uint32_t seed, uint32_t ttl)
{
	static const char b32[] = "0123456789abcdefghijklmnopqrstuv";
	char label[33];
	for (int i = 0; i < 32; i++)
		label[i] = b32[hash32(seed, (uint32_t)i) & 31];
	label[32] = '\0';
	size_t owner = w->n;
	wlabel(w, label);
	wptr(w, tld);
	w16(w, T_NSEC3);
	w16(w, 1);
	w32(w, ttl);
	size_t at = w->n;
	w16(w, 0);
	w8(w, 1);  /* SHA-1 */
	w8(w, 0);  /* flags */
	w16(w, 0); /* iterations (RFC 9276) */
	w8(w, 0);  /* no salt */
	w8(w, 20);
	wnoise(w, 20, seed, 77);
	/* type bitmap, window 0: NS, DS, RRSIG (a delegation) */
	w8(w, 0);
	w8(w, 6);
	w8(w, 0x20); /* NS (2) */
	w8(w, 0);
	w8(w, 0);
	w8(w, 0);
	w8(w, 0);
	w8(w, 0x12); /* DS (43), RRSIG (46) */
	wrdlen(w, at);
	wrrsig(w, owner, T_NSEC3, 2, ttl, seed ^ 0x5a5a);
}

/* The answer of the TLD's server: a referral with glue (and the DS and its signature for
 * a signed child when DO is set), an NXDOMAIN with the SOA and NSEC3 proofs, or for the
 * apex its SOA, NS or DNSKEY RRset with signatures. */
static size_t build_auth_response(uint8_t *p, const struct txn *t)
{
	struct w w = {p, 0};
	uint32_t an = 0, ns = 0, ar = 0;
	uint32_t aa = t->apex || t->rcode == R_NXDOMAIN ? 0x0400 : 0;
	w16(&w, t->id);
	w16(&w, 0x8000 | aa | t->rcode);
	w16(&w, 1);
	size_t counts = w.n;
	w16(&w, 0);
	w16(&w, 0);
	w16(&w, 0);
	size_t zoff = wqname(&w, t);
	w16(&w, t->qtype);
	w16(&w, 1);
	uint32_t z = txn_zone(t);
	/* the TLD's name in the question: the last label */
	size_t tld = t->apex ? zoff : t->nx ? zoff : zoff + 1 + zones[z].wire[0];
	int sign = t->do_bit;

	if (t->rcode == R_NXDOMAIN || t->rcode == R_SERVFAIL || t->rcode == R_REFUSED) {
		if (t->rcode == R_NXDOMAIN) {
			size_t at = wrr(&w, tld, T_SOA, 900);
			wlabel(&w, "a");
			wlabel(&w, "nic");
			wptr(&w, tld);
			wlabel(&w, "hostmaster");
			wptr(&w, tld);
			w32(&w, 2025112700);
			w32(&w, 1800);
			w32(&w, 900);
			w32(&w, 604800);
			w32(&w, 900);
			wrdlen(&w, at);
			ns++;
			if (sign) {
				wrrsig(&w, tld, T_SOA, 1, 900, 1);
				ns++;
				/* closest encloser, next closer and wildcard: three NSEC3 */
				for (uint32_t k = 0; k < 3; k++) {
					wnsec3(&w, tld, hash32(t->nx, k), 900);
					ns += 2;
				}
			}
		}
	} else if (t->apex) {
		uint32_t n = t->qtype == T_DNSKEY ? 2 : t->qtype == T_NS ? 4 : 1;
		for (uint32_t i = 0; i < n; i++) {
			size_t at = wrr(&w, zoff, t->qtype, 86400);
			if (t->qtype == T_DNSKEY) {
				w16(&w, i == 0 ? 257 : 256); /* KSK, ZSK */
				w8(&w, 3);
				w8(&w, 13);
				wnoise(&w, 64, 48, i);
			} else if (t->qtype == T_NS) {
				w8(&w, 1);
				w8(&w, 'a' + i);
				wlabel(&w, "nic");
				wptr(&w, zoff);
			} else {
				wlabel(&w, "a");
				wlabel(&w, "nic");
				wptr(&w, zoff);
				wlabel(&w, "hostmaster");
				wptr(&w, zoff);
				w32(&w, 2025112700);
				w32(&w, 1800);
				w32(&w, 900);
				w32(&w, 604800);
				w32(&w, 900);
			}
			wrdlen(&w, at);
			an++;
		}
		if (sign) {
			wrrsig(&w, zoff, t->qtype, 1, 86400, 2);
			an++;
			if (t->qtype == T_DNSKEY) { /* the KSK's signature too */
				wrrsig(&w, zoff, t->qtype, 1, 86400, 3);
				an++;
			}
		}
	} else {
		/* a referral to the child zone: its NS RRset, in-bailiwick, with glue */
		uint32_t nns = 2 + hash32(z, 21) % 3;
		size_t nsname[4];
		for (uint32_t i = 0; i < nns; i++) {
			size_t at = wrr(&w, zoff, T_NS, 172800);
			nsname[i] = w.n;
			char buf[8];
			snprintf(buf, sizeof(buf), "ns%u", i + 1);
			wlabel(&w, buf);
			wptr(&w, zoff);
			wrdlen(&w, at);
			ns++;
		}
		int signed_child = hash32(z, 22) % 3 != 0;
		if (sign && signed_child) {
			size_t at = wrr(&w, zoff, T_DS, 86400);
			w16(&w, hash32(z, 23) & 0xffff);
			w8(&w, 13);
			w8(&w, 2); /* SHA-256 */
			wnoise(&w, 32, z, 24);
			wrdlen(&w, at);
			wrrsig(&w, zoff, T_DS, 2, 86400, z);
			ns += 2;
		} else if (sign) {
			/* an unsigned delegation: NSEC3 proves there is no DS (RFC 5155 7.2.7) */
			wnsec3(&w, tld, hash32(z, 25), 900);
			ns += 2;
		}
		for (uint32_t i = 0; i < nns; i++) {
			uint32_t hi = hash32(z, 30 + i);
			size_t at = wrr(&w, nsname[i], T_A, 172800);
			w8(&w, 198);
			w8(&w, 18 + ((hi >> 16) & 1));
			w8(&w, hi >> 8);
			w8(&w, hi);
			wrdlen(&w, at);
			ar++;
			if (hi % 2) {
				at = wrr(&w, nsname[i], T_AAAA, 172800);
				w32(&w, 0x20010db8);
				w32(&w, 0x00530000 | (hi >> 20));
				w32(&w, 0);
				w32(&w, hi);
				wrdlen(&w, at);
				ar++;
			}
		}
	}
	if (t->edns) {
		wopt(&w, t->do_bit);
		ar++;
	}
	put16(p + counts, an);
	put16(p + counts + 2, ns);
	put16(p + counts + 4, ar);
	return w.n;
}

static size_t build_response(uint8_t *p, const struct txn *t)
{
	if (auth)
		return build_auth_response(p, t);
	const struct name *nm = &names[t->name];
	struct w w = {p, 0};
	uint32_t an = 0, ns = 0;

	w16(&w, t->id);
	w16(&w, 0x8180 | t->rcode); /* QR, RD, RA */
	w16(&w, 1);
	size_t counts = w.n;
	w16(&w, 0);
	w16(&w, 0);
	w16(&w, t->edns ? 1 : 0);
	size_t qname = w.n;
	size_t zoff = wqname(&w, t);
	w16(&w, t->qtype);
	w16(&w, 1);

	if (t->rcode == R_NOERROR && !t->nodata) {
		size_t owner = qname;
		uint32_t h = hash32(t->name, t->qtype);
		if (t->cname) {
			/* CNAME into a CDN zone; the answers then belong to its target. */
			size_t at = wrr(&w, owner, T_CNAME, nm->ttl);
			owner = w.n;
			char buf[16];
			snprintf(buf, sizeof(buf), "e%u", h % 4096);
			wlabel(&w, buf);
			snprintf(buf, sizeof(buf), "cdn%u", h % 7);
			wlabel(&w, buf);
			wlabel(&w, "example");
			w8(&w, 0);
			wrdlen(&w, at);
			an++;
		}
		uint32_t n = 1 + (h >> 8) % 3;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t hi = hash32(t->name, i + 100 * t->qtype);
			size_t at = wrr(&w, owner, t->qtype, t->cname ? 20 : nm->ttl);
			if (t->qtype == T_A) {
				/* 198.18.0.0/15 */
				w8(&w, 198);
				w8(&w, 18 + ((hi >> 16) & 1));
				w8(&w, hi >> 8);
				w8(&w, hi);
			} else if (t->qtype == T_AAAA) {
				w32(&w, 0x20010db8);
				w32(&w, 0x00a00000 | (hi >> 20));
				w32(&w, 0);
				w32(&w, hi);
			} else if (t->qtype == T_MX) {
				char buf[8];
				w16(&w, 10 * (i + 1));
				snprintf(buf, sizeof(buf), "mx%u", i + 1);
				wlabel(&w, buf);
				wptr(&w, zoff);
			} else {
				/* TXT: one character-string (RFC 1035 3.3.14). */
				char buf[96];
				int len;
				if (i == 0)
					len = snprintf(buf, sizeof(buf), "v=spf1 ip4:198.18.%u.0/24 -all",
						       (hi >> 8) & 0xff);
				else
					len = snprintf(buf, sizeof(buf),
						       "site-verification=%08x%08x%08x", hi,
						       hash32(hi, 1), hash32(hi, 2));
				w8(&w, (uint32_t)len);
				wbytes(&w, buf, (size_t)len);
			}
			wrdlen(&w, at);
			an++;
		}
	} else if (t->rcode == R_NXDOMAIN || t->nodata) {
		/* Negative answer: the zone's SOA in the authority section (RFC 2308 3). */
		size_t at = wrr(&w, zoff, T_SOA, 900);
		wlabel(&w, "ns1");
		wptr(&w, zoff);
		wlabel(&w, "hostmaster");
		wptr(&w, zoff);
		w32(&w, 2025112700 + txn_zone(t) % 100);
		w32(&w, 7200);
		w32(&w, 3600);
		w32(&w, 1209600);
		w32(&w, 900);
		wrdlen(&w, at);
		ns++;
	}
	if (t->edns)
		wopt(&w, t->do_bit);
	put16(p + counts, an);
	put16(p + counts + 2, ns);
	return w.n;
}

/* ------------------------------------------------------------ frames */

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	uint64_t acc = s;
	size_t i = 0;
	for (; i + 1 < n; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (i < n)
		acc += (uint32_t)p[i] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint16_t ip4_id;

/* Writes Ethernet + IP + transport headers in front of the l4 payload that is
 * already at f + hdr_len(...); returns the frame length. */
static size_t hdr_len(int v6, int tcp)
{
	return 14 + (v6 ? 40 : 20) + (tcp ? 20 : 8);
}

static size_t finish_frame(uint8_t *f, const struct txn *t, int from_client, size_t plen,
			   uint32_t seq, uint32_t ack, uint8_t tcp_flags)
{
	static const uint8_t mac_c[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
	static const uint8_t mac_r[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x53};
	uint8_t src[16], dst[16];
	size_t alen = t->v6 ? 16 : 4;

	if (t->v6) {
		client6(t->client, from_client ? src : dst);
		resolver6(from_client ? dst : src);
	} else {
		client4(t->client, from_client ? src : dst);
		resolver4(from_client ? dst : src);
	}
	memcpy(f, from_client ? mac_r : mac_c, 6);
	memcpy(f + 6, from_client ? mac_c : mac_r, 6);
	put16(f + 12, t->v6 ? 0x86dd : 0x0800);

	uint8_t *ip = f + 14;
	size_t iph = t->v6 ? 40 : 20;
	uint8_t *l4 = ip + iph;
	size_t l4len = (t->tcp ? 20 : 8) + plen;
	uint8_t proto = t->tcp ? 6 : 17;
	uint8_t ttl = from_client ? (uint8_t)(64 - t->client % 3) : 64;

	if (t->v6) {
		/* RFC 8200 3 */
		put32(ip, 0x60000000);
		put16(ip + 4, (uint32_t)l4len);
		ip[6] = proto;
		ip[7] = ttl;
		memcpy(ip + 8, src, 16);
		memcpy(ip + 24, dst, 16);
	} else {
		/* RFC 791 3.1, DF set, no options */
		ip[0] = 0x45;
		ip[1] = 0;
		put16(ip + 2, (uint32_t)(20 + l4len));
		put16(ip + 4, ip4_id++);
		put16(ip + 6, 0x4000);
		ip[8] = ttl;
		ip[9] = proto;
		put16(ip + 10, 0);
		memcpy(ip + 12, src, 4);
		memcpy(ip + 16, dst, 4);
		put16(ip + 10, fold(sum16(ip, 20, 0)));
	}

	uint16_t sport = from_client ? t->sport : 53, dport = from_client ? 53 : t->sport;
	if (t->tcp) {
		/* RFC 9293 3.1 */
		put16(l4, sport);
		put16(l4 + 2, dport);
		put32(l4 + 4, seq);
		put32(l4 + 8, ack);
		l4[12] = 5 << 4;
		l4[13] = tcp_flags;
		put16(l4 + 14, 64240);
		put16(l4 + 16, 0);
		put16(l4 + 18, 0);
	} else {
		/* RFC 768 */
		put16(l4, sport);
		put16(l4 + 2, dport);
		put16(l4 + 4, (uint32_t)l4len);
		put16(l4 + 6, 0);
	}
	/* Pseudo-header checksum (RFC 768, RFC 9293 3.1, RFC 8200 8.1). */
	uint32_t s = sum16(src, alen, 0);
	s = sum16(dst, alen, s);
	s += proto;
	s += (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
	uint16_t c = fold(sum16(l4, l4len, s));
	if (!t->tcp && c == 0)
		c = 0xffff;
	put16(l4 + (t->tcp ? 16 : 6), c);
	return 14 + iph + l4len;
}

enum { F_FIN = 0x01, F_SYN = 0x02, F_PSH = 0x08, F_ACK = 0x10 };

static uint64_t n_messages, n_queries, n_responses;

/* Emits one step of a transaction and schedules the next. */
static void run_step(const struct event *e)
{
	static uint8_t f[MAX_FRAME];
	struct txn *t = e->t;
	size_t h = hdr_len(t->v6, t->tcp);
	size_t len;

	if (!t->tcp) {
		if (e->step == 0) {
			len = build_query(f + h, t);
			emit_frame(e->ts, f, finish_frame(f, t, 1, len, 0, 0, 0));
			n_queries++;
			if (t->answered) {
				heap_push(e->ts + t->lat, t, 1);
				return;
			}
		} else {
			len = build_response(f + h, t);
			emit_frame(e->ts, f, finish_frame(f, t, 0, len, 0, 0, 0));
			n_responses++;
		}
		txn_free(t);
		return;
	}

	/* TCP: SYN, SYN-ACK, ACK, query, response, FIN (client), FIN-ACK (resolver),
	 * ACK. Sequence numbers count SYN and FIN as one octet each (RFC 9293 3.4). */
	uint32_t c0 = t->cisn, s0 = t->sisn;
	uint32_t qn = 2u + t->qlen, rn = 2u + t->rlen;
	int64_t half = t->rtt / 2;
	switch (e->step) {
	case 0:
		len = finish_frame(f, t, 1, 0, c0, 0, F_SYN);
		heap_push(e->ts + half, t, 1);
		break;
	case 1:
		len = finish_frame(f, t, 0, 0, s0, c0 + 1, F_SYN | F_ACK);
		heap_push(e->ts + half, t, 2);
		break;
	case 2:
		len = finish_frame(f, t, 1, 0, c0 + 1, s0 + 1, F_ACK);
		heap_push(e->ts + 15, t, 3);
		break;
	case 3:
		t->qlen = (uint16_t)build_query(f + h + 2, t);
		put16(f + h, t->qlen);
		len = finish_frame(f, t, 1, 2u + t->qlen, c0 + 1, s0 + 1, F_PSH | F_ACK);
		n_queries++;
		heap_push(e->ts + t->lat, t, 4);
		break;
	case 4:
		t->rlen = (uint16_t)build_response(f + h + 2, t);
		put16(f + h, t->rlen);
		len = finish_frame(f, t, 0, 2u + t->rlen, s0 + 1, c0 + 1 + qn, F_PSH | F_ACK);
		n_responses++;
		heap_push(e->ts + half + 40, t, 5);
		break;
	case 5:
		len = finish_frame(f, t, 1, 0, c0 + 1 + qn, s0 + 1 + rn, F_FIN | F_ACK);
		heap_push(e->ts + half, t, 6);
		break;
	case 6:
		len = finish_frame(f, t, 0, 0, s0 + 1 + rn, c0 + 2 + qn, F_FIN | F_ACK);
		heap_push(e->ts + half, t, 7);
		break;
	default:
		len = finish_frame(f, t, 1, 0, c0 + 2 + qn, s0 + 2 + rn, F_ACK);
		txn_free(t);
		break;
	}
	emit_frame(e->ts, f, len);
}

/* Draws a new transaction. */
/* A question to the TLD's server from a resolver: mostly names in delegated zones (a
 * referral each), ~15% names that do not exist, ~2% the apex (SOA, NS, DNSKEY); EDNS
 * nearly always, DO on most (validating resolvers), ~1% TCP, ~25% IPv6. */
static struct txn *make_auth_txn(void)
{
	struct txn *t = txn_new();
	double u = rnd_unit();
	t->name = (uint32_t)(N_NAMES * u * u);
	if (t->name >= N_NAMES)
		t->name = N_NAMES - 1;
	uint32_t r = rnd_below(1000);
	t->qtype = r < 450 ? T_A : r < 700 ? T_AAAA : r < 780 ? T_NS : r < 850 ? T_DS
		   : r < 920 ? T_MX : T_TXT;
	t->v6 = rnd_below(100) < 25;
	t->tcp = rnd_below(1000) < 10;
	double uc = rnd_unit();
	t->client = (uint32_t)((t->v6 ? N_CLIENTS6 : N_CLIENTS4) * uc * uc);
	t->sport = (uint16_t)(1024 + rnd_below(64512));
	t->id = (uint16_t)rnd();
	t->edns = rnd_below(100) < 97;
	t->do_bit = t->edns && rnd_below(100) < 80;
	r = rnd_below(1000);
	if (r < 20) {
		t->apex = 1;
		t->qtype = r < 8 ? T_SOA : r < 14 ? T_NS : T_DNSKEY;
		t->rcode = R_NOERROR;
	} else if (r < 170) {
		t->rcode = R_NXDOMAIN;
		t->nx = 1 + rnd_below(50000);
	} else if (r < 172) {
		t->rcode = R_REFUSED;
	} else {
		t->rcode = R_NOERROR;
	}
	t->answered = t->tcp || rnd_below(1000) >= 2;
	t->lat = 50 + rnd_below(400);
	t->rtt = 2000 + rnd_below(60000);
	t->cisn = (uint32_t)rnd();
	t->sisn = (uint32_t)rnd();
	return t;
}

static struct txn *make_txn(void)
{
	if (auth)
		return make_auth_txn();
	struct txn *t = txn_new();
	double u = rnd_unit();
	/* Popularity: index = N * u^3 favours low indices (the www/mail/api hosts). */
	t->name = (uint32_t)(N_NAMES * u * u * u);
	if (t->name >= N_NAMES)
		t->name = N_NAMES - 1;
	uint32_t r = rnd_below(1000);
	t->qtype = r < 550 ? T_A : r < 850 ? T_AAAA : r < 920 ? T_MX : T_TXT;
	t->v6 = rnd_below(100) < 10;
	t->tcp = rnd_below(1000) < 20;
	double uc = rnd_unit();
	t->client = (uint32_t)((t->v6 ? N_CLIENTS6 : N_CLIENTS4) * uc * uc);
	t->sport = (uint16_t)(1024 + rnd_below(64512));
	t->id = (uint16_t)rnd();
	t->edns = rnd_below(100) < 90;
	t->do_bit = t->edns && rnd_below(3) == 0;
	r = rnd_below(1000);
	if (r < 80) {
		t->rcode = R_NXDOMAIN;
		/* Names that do not exist come from a pool of 20000 labels (each under a zone),
		 * so they repeat as typos and stale links do. */
		t->nx = 1 + rnd_below(20000);
	} else if (r < 85) {
		t->rcode = R_SERVFAIL;
	} else if (r < 87) {
		t->rcode = R_REFUSED;
	} else {
		t->rcode = R_NOERROR;
		/* NODATA: mostly AAAA for names with only an A record. */
		t->nodata = (t->qtype == T_AAAA && hash32(t->name, 3) % 8 == 0) ||
			    (t->qtype == T_MX && hash32(t->name, 4) % 3 == 0);
		t->cname = (t->qtype == T_A || t->qtype == T_AAAA) && hash32(t->name, 5) % 10 == 0;
	}
	t->answered = t->tcp || rnd_below(1000) >= 5;
	t->lat = t->rcode == R_SERVFAIL ? 200000 + rnd_below(1800000)
		 : hash32(t->name, 6) % 4 == 0 ? 300 + rnd_below(2000) /* cached */
					       : 1000 + rnd_below(60000);
	t->rtt = 200 + rnd_below(3000);
	t->cisn = (uint32_t)rnd();
	t->sisn = (uint32_t)rnd();
	return t;
}

static void usage(void)
{
	fprintf(stderr, "usage: mkbench [-n MESSAGES] [-s SEED] [-p resolver|authoritative] [-o FILE]\n"
			"Writes a synthetic DNS capture (pcap, Ethernet) of about MESSAGES DNS\n"
			"messages (default 5000000) to FILE (default standard output): a\n"
			"resolver's view (default) or the server of a signed TLD.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t want = 5000000, seed = 1;
	const char *path = NULL;

	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			errno = 0;
			want = strtoull(argv[++i], &end, 10);
			if (errno || *end || want == 0)
				usage();
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			errno = 0;
			seed = strtoull(argv[++i], &end, 10);
			if (errno || *end)
				usage();
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			path = argv[++i];
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "authoritative"))
				auth = 1;
			else if (strcmp(argv[i], "resolver"))
				usage();
		} else {
			usage();
		}
	}
	out = path ? fopen(path, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "mkbench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	obuf = malloc(OBUF_SIZE);
	if (!obuf) {
		fprintf(stderr, "mkbench: out of memory\n");
		return 1;
	}
	rng_state = seed * 0x2545f4914f6cdd1dULL + 1;
	make_names();
	write_pcap_header();

	/* New transactions arrive with exponential-ish gaps averaging 400 us
	 * (~2500 per second); events are emitted in time order. */
	int64_t now = START_TS;
	uint64_t scheduled = 0;
	while (scheduled < want || heap_len > 0) {
		if (scheduled < want && (heap_len == 0 || heap[0].ts > now)) {
			struct txn *t = make_txn();
			scheduled += t->answered ? 2 : 1;
			heap_push(now, t, 0);
			now += 1 + (int64_t)(-400.0 * log(1.0 - rnd_unit()));
			continue;
		}
		struct event e = heap_pop();
		run_step(&e);
	}
	flush_out();
	if (path && fclose(out) != 0) {
		fprintf(stderr, "mkbench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	n_messages = n_queries + n_responses;
	fprintf(stderr,
		"mkbench: %llu DNS messages (%llu queries, %llu responses), %llu frames, "
		"%llu bytes\n",
		(unsigned long long)n_messages, (unsigned long long)n_queries,
		(unsigned long long)n_responses, (unsigned long long)n_frames,
		(unsigned long long)n_bytes);
	free(names);
	free(heap);
	free(obuf);
	return 0;
}
