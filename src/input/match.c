/* match.c - query/response matching with a chained hash table and a FIFO of
 * pending queries in arrival order (for timeouts and the size cap). */
#include "input/match.h"
#include "util/strmap.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

typedef struct entry {
	uint64_t hash;
	int64_t ts;
	uint64_t pos;
	tl_addr_t client, server;
	uint16_t cport, sport, id, qtype, qclass;
	uint8_t transport;
	char *qname;      /* lower-cased copy, owned */
	uint32_t next;    /* bucket chain */
	uint32_t older, newer; /* FIFO links */
	uint8_t live;
} entry_t;

struct tl_match {
	size_t max_pending;
	int64_t timeout_us;
	tl_anomalies_t *an;
	entry_t *entries;
	uint32_t n_entries, cap_entries;
	uint32_t free_head;
	uint32_t *buckets;
	uint32_t n_buckets; /* power of two */
	uint32_t oldest, newest;
	size_t pending;
	tl_match_stats_t stats;
};

tl_match_t *tl_match_new(size_t max_pending, int64_t timeout_us, tl_anomalies_t *an)
{
	tl_match_t *m = tl_xcalloc(1, sizeof(*m));
	m->max_pending = max_pending ? max_pending : 1;
	if (m->max_pending > NIL - 1)
		m->max_pending = NIL - 1;
	m->timeout_us = timeout_us;
	m->an = an;
	m->free_head = NIL;
	m->oldest = m->newest = NIL;
	m->n_buckets = 1024;
	m->buckets = tl_xmalloc(m->n_buckets * sizeof(uint32_t));
	memset(m->buckets, 0xff, m->n_buckets * sizeof(uint32_t));
	return m;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static uint64_t key_hash(const tl_addr_t *client, uint16_t cport, const tl_addr_t *server,
			 uint16_t sport, uint8_t transport, uint16_t id, const char *qname,
			 uint16_t qtype, uint16_t qclass)
{
	uint64_t h = tl_hash_mix_bytes(UINT64_C(0x243f6a8885a308d3), client->bytes, 16);
	h = tl_hash_mix_bytes(h, server->bytes, 16);
	h = tl_hash_mix(h, ((uint64_t)cport << 48) | ((uint64_t)sport << 32) | ((uint64_t)id << 16) |
			       qtype);
	h = tl_hash_mix(h, ((uint64_t)qclass << 16) | ((uint64_t)transport << 8) |
		       ((uint64_t)client->family << 4) | server->family);
	/* the name, lower-cased (RFC 4343), 8 bytes at a time */
	uint8_t chunk[8];
	size_t k = 0;
	for (const char *p = qname; *p; p++) {
		chunk[k++] = (uint8_t)lower(*p);
		if (k == 8) {
			uint64_t v;
			memcpy(&v, chunk, 8);
			h = tl_hash_mix(h, v);
			k = 0;
		}
	}
	return tl_hash_mix_bytes(h, chunk, k);
}

static int name_eq(const char *lowered, const char *name)
{
	while (*lowered && lower(*name) == *lowered) {
		lowered++;
		name++;
	}
	return *lowered == '\0' && *name == '\0';
}

static void grow_buckets(tl_match_t *m)
{
	uint32_t nb = m->n_buckets * 2;
	uint32_t *b = tl_xmalloc(nb * sizeof(uint32_t));
	memset(b, 0xff, nb * sizeof(uint32_t));
	for (uint32_t i = 0; i < m->n_entries; i++) {
		entry_t *e = &m->entries[i];
		if (!e->live)
			continue;
		uint32_t k = (uint32_t)(e->hash & (nb - 1));
		e->next = b[k];
		b[k] = i;
	}
	free(m->buckets);
	m->buckets = b;
	m->n_buckets = nb;
}

/* Unlinks entry i from its bucket and the FIFO and frees it. */
static void remove_entry(tl_match_t *m, uint32_t i)
{
	entry_t *e = &m->entries[i];
	uint32_t *pp = &m->buckets[e->hash & (m->n_buckets - 1)];
	while (*pp != i)
		pp = &m->entries[*pp].next;
	*pp = e->next;
	if (e->older != NIL)
		m->entries[e->older].newer = e->newer;
	else
		m->oldest = e->newer;
	if (e->newer != NIL)
		m->entries[e->newer].older = e->older;
	else
		m->newest = e->older;
	free(e->qname);
	e->qname = NULL;
	e->live = 0;
	e->next = m->free_head;
	m->free_head = i;
	m->pending--;
}

static void expire(tl_match_t *m, int64_t now)
{
	while (m->oldest != NIL && m->entries[m->oldest].ts < now - m->timeout_us) {
		remove_entry(m, m->oldest);
		m->stats.unanswered++;
	}
}

static void add_query(tl_match_t *m, const tl_record_t *r)
{
	if (m->pending >= m->max_pending) {
		tl_anomaly_add(m->an, TL_AN_MATCH_CAP, r->pos);
		remove_entry(m, m->oldest);
		m->stats.unanswered++;
	}
	uint32_t i;
	if (m->free_head != NIL) {
		i = m->free_head;
		m->free_head = m->entries[i].next;
	} else {
		if (m->n_entries == m->cap_entries) {
			m->cap_entries = m->cap_entries ? m->cap_entries * 2 : 256;
			m->entries = tl_xrealloc(m->entries, m->cap_entries * sizeof(entry_t));
		}
		i = m->n_entries++;
	}
	entry_t *e = &m->entries[i];
	memset(e, 0, sizeof(*e));
	e->client = r->src;
	e->server = r->dst;
	e->cport = r->sport;
	e->sport = r->dport;
	e->transport = r->transport;
	e->id = r->id;
	e->qtype = r->qtype;
	e->qclass = r->qclass;
	size_t len = strlen(r->qname);
	e->qname = tl_xmalloc(len + 1);
	for (size_t k = 0; k <= len; k++)
		e->qname[k] = lower(r->qname[k]);
	e->ts = r->ts;
	e->pos = r->pos;
	e->hash = key_hash(&e->client, e->cport, &e->server, e->sport, e->transport, e->id,
			   r->qname, e->qtype, e->qclass);
	/* grow before linking e: grow_buckets relinks every live entry */
	if (m->pending + 1 > m->n_buckets)
		grow_buckets(m);
	e->live = 1;
	uint32_t k = (uint32_t)(e->hash & (m->n_buckets - 1));
	e->next = m->buckets[k];
	m->buckets[k] = i;
	e->older = m->newest;
	e->newer = NIL;
	if (m->newest != NIL)
		m->entries[m->newest].newer = i;
	else
		m->oldest = i;
	m->newest = i;
	m->pending++;
}

static void match_response(tl_match_t *m, tl_record_t *r)
{
	uint64_t h = key_hash(&r->dst, r->dport, &r->src, r->sport, r->transport, r->id, r->qname,
			      r->qtype, r->qclass);
	uint32_t best = NIL;
	for (uint32_t i = m->buckets[h & (m->n_buckets - 1)]; i != NIL; i = m->entries[i].next) {
		entry_t *e = &m->entries[i];
		if (e->hash != h || e->id != r->id || e->cport != r->dport || e->sport != r->sport ||
		    e->transport != r->transport || e->qtype != r->qtype || e->qclass != r->qclass ||
		    !tl_addr_equal(&e->client, &r->dst) || !tl_addr_equal(&e->server, &r->src) ||
		    !name_eq(e->qname, r->qname))
			continue;
		/* the oldest pending query wins (chains hold newest first) */
		if (best == NIL || e->ts < m->entries[best].ts ||
		    (e->ts == m->entries[best].ts && e->pos < m->entries[best].pos))
			best = i;
	}
	if (best == NIL) {
		m->stats.unmatched++;
		return;
	}
	int64_t lat = r->ts - m->entries[best].ts;
	/* a response stamped before its query (clock step, merged files): keep no latency */
	r->latency_us = lat >= 0 ? lat : -1;
	r->query_pos = m->entries[best].pos; /* which query it answers, whatever the clock says */
	remove_entry(m, best);
	m->stats.matched++;
}

void tl_match_add(tl_match_t *m, tl_record_t *r)
{
	if (!r->qname || !(r->known & TL_KNOWN_QR) || !(r->known & TL_KNOWN_ID) ||
	    !(r->known & TL_KNOWN_SPORT) || !(r->known & TL_KNOWN_DPORT))
		return;
	expire(m, r->ts);
	if (r->qr)
		match_response(m, r);
	else
		add_query(m, r);
}

void tl_match_finish(tl_match_t *m)
{
	while (m->oldest != NIL) {
		remove_entry(m, m->oldest);
		m->stats.unanswered++;
	}
}

const tl_match_stats_t *tl_match_stats(const tl_match_t *m)
{
	return &m->stats;
}

void tl_match_free(tl_match_t *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->n_entries; i++)
		free(m->entries[i].qname);
	free(m->entries);
	free(m->buckets);
	free(m);
}
