/* bareread.c - the speed limit the benchmark compares tealeaves with: a capture read with
 * libpcap, and over every DNS message in UDP on port 53 a bounded walk of its
 * header, every name (compression pointers followed, at most 127 hops) and every RR header
 * (type, class, TTL, rdata length; the rdata skipped). No text is made and nothing is
 * kept. It prints the messages and RRs it walked, so that run.sh can check it saw what
 * tealeaves saw.
 *
 * usage: bareread FILE.pcap|FILE.pcapng
 *
 * It reads Ethernet (with up to two VLAN tags), Linux cooked (v1) and raw IP; IPv4 without
 * fragments and IPv6 without extension headers; UDP. Everything else is counted as
 * skipped. Only the benchmark uses it. */
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct tally {
	int link; /* the capture's link type (DLT_*) */
	uint64_t frames, messages, rrs, skipped, malformed;
} tally_t;

static unsigned u16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Walks the name at m[pos..]; returns the position after it in place, or 0 if malformed. */
static size_t walk_name(const uint8_t *m, size_t len, size_t pos)
{
	size_t after = 0;
	for (int hops = 0; hops <= 127;) {
		if (pos >= len)
			return 0;
		uint8_t b = m[pos];
		if (b == 0)
			return after ? after : pos + 1;
		if ((b & 0xc0) == 0xc0) {
			if (pos + 1 >= len)
				return 0;
			if (!after)
				after = pos + 2;
			size_t target = (size_t)(b & 0x3f) << 8 | m[pos + 1];
			if (target >= pos)
				return 0;
			pos = target;
			hops++;
			continue;
		}
		if (b & 0xc0)
			return 0;
		pos += 1 + (size_t)b;
	}
	return 0;
}

static void walk_dns(const uint8_t *m, size_t len, tally_t *t)
{
	if (len < 12) {
		t->malformed++;
		return;
	}
	unsigned qd = u16(m + 4), rr = u16(m + 6) + u16(m + 8) + u16(m + 10);
	size_t pos = 12;
	for (unsigned i = 0; i < qd; i++) {
		pos = walk_name(m, len, pos);
		if (!pos || pos + 4 > len) {
			t->malformed++;
			return;
		}
		pos += 4;
	}
	for (unsigned i = 0; i < rr; i++) {
		pos = walk_name(m, len, pos);
		if (!pos || pos + 10 > len) {
			t->malformed++;
			return;
		}
		size_t rdlen = u16(m + pos + 8);
		pos += 10 + rdlen;
		if (pos > len) {
			t->malformed++;
			return;
		}
		t->rrs++;
	}
	t->messages++;
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *p)
{
	tally_t *t = (tally_t *)user;
	int link = t->link;
	size_t n = h->caplen, off = 0;
	unsigned eth = 0;
	t->frames++;
	if (link == DLT_EN10MB) {
		if (n < 14)
			goto skip;
		eth = u16(p + 12);
		off = 14;
		for (int v = 0; v < 2 && (eth == 0x8100 || eth == 0x88a8); v++) {
			if (n < off + 4)
				goto skip;
			eth = u16(p + off + 2);
			off += 4;
		}
	} else if (link == DLT_LINUX_SLL) {
		if (n < 16)
			goto skip;
		eth = u16(p + 14);
		off = 16;
	} else if (link == DLT_RAW) {
		eth = n && (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
	} else {
		goto skip;
	}
	size_t l4;
	if (eth == 0x0800) {
		if (n < off + 20 || (p[off] >> 4) != 4)
			goto skip;
		size_t ihl = (size_t)(p[off] & 0x0f) * 4;
		if (p[off + 9] != 17 || (u16(p + off + 6) & 0x3fff) != 0 || n < off + ihl + 8)
			goto skip;
		l4 = off + ihl;
	} else if (eth == 0x86dd) {
		if (n < off + 48 || p[off + 6] != 17)
			goto skip;
		l4 = off + 40;
	} else {
		goto skip;
	}
	if (u16(p + l4) != 53 && u16(p + l4 + 2) != 53)
		goto skip;
	walk_dns(p + l4 + 8, n - l4 - 8, t);
	return;
skip:
	t->skipped++;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: bareread FILE.pcap|FILE.pcapng\n", stderr);
		return 1;
	}
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(argv[1], err);
	if (!pc) {
		fprintf(stderr, "bareread: %s\n", err);
		return 1;
	}
	tally_t t;
	memset(&t, 0, sizeof(t));
	t.link = pcap_datalink(pc);
	if (pcap_loop(pc, -1, on_frame, (u_char *)&t) == -1) {
		fprintf(stderr, "bareread: %s\n", pcap_geterr(pc));
		pcap_close(pc);
		return 1;
	}
	pcap_close(pc);
	printf("bareread: %llu frames, %llu DNS messages, %llu RRs, %llu skipped, %llu malformed\n",
	       (unsigned long long)t.frames, (unsigned long long)t.messages,
	       (unsigned long long)t.rrs, (unsigned long long)t.skipped,
	       (unsigned long long)t.malformed);
	return 0;
}
