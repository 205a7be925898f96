/* input.c - one evidence file, one pass: open and hash (stream.c), detect the
 * format, decode frames (libpcap for pcap, pcapng.c for pcapng; net.c, dns.c) or
 * lines (log/), match queries and responses (match.c), count everything. */
#include "input/input.h"
#include "input/dns/dns.h"
#include "input/match.h"
#include "input/capture/pcapng.h"
#include "input/stream.h"
#include "input/log/textlog.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/time.h"

#include <pcap/pcap.h>
#include <string.h>

const char *tl_format_name(tl_format_t f)
{
	switch (f) {
	case TL_FORMAT_PCAP: return "pcap";
	case TL_FORMAT_PCAPNG: return "pcapng";
	case TL_FORMAT_BIND: return "bind";
	case TL_FORMAT_ZEEK_TSV: return "zeek-tsv";
	case TL_FORMAT_ZEEK_JSON: return "zeek-json";
	case TL_FORMAT_CSV: return "csv";
	case TL_FORMAT_TSV: return "tsv";
	case TL_FORMAT_UNKNOWN: break;
	}
	return "unknown";
}

void tl_input_opts_default(tl_input_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	tl_net_opts_default(&o->net);
	o->max_line = 65536;
	o->match_max_pending = 1000000;
	o->match_timeout_us = 10 * TL_US_PER_SEC;
}

/* State shared by the frame and line paths while one file is read. */
typedef struct reader {
	tl_input_info_t *info;
	tl_record_fn fn;
	void *ud;
	int stop;
	tl_arena_t arena;
	tl_match_t *match;
	uint64_t line_pos;   /* text: line of the last record seen */
	int64_t line_max_ts; /* text: latest line time so far (TL_TIME_NONE before any) */
} reader_t;

static void count_ts(tl_input_stats_t *st, tl_anomalies_t *an, int64_t ts, uint64_t pos)
{
	if (st->first_ts == TL_TIME_NONE) {
		st->first_ts = st->last_ts = ts;
		return;
	}
	if (ts < st->last_ts)
		tl_anomaly_add(an, TL_AN_TIME_BACKWARDS, pos);
	if (ts < st->first_ts)
		st->first_ts = ts;
	if (ts > st->last_ts)
		st->last_ts = ts;
}

static void emit(reader_t *rd, tl_record_t *r)
{
	tl_input_stats_t *st = &rd->info->stats;
	st->messages++;
	if ((r->known & TL_KNOWN_QR) && r->qr)
		st->responses++;
	else if (r->known & TL_KNOWN_QR)
		st->queries++;
	if (r->transport == TL_TRANSPORT_UDP)
		st->udp++;
	else if (r->transport == TL_TRANSPORT_TCP)
		st->tcp++;
	if (r->src.family == 4)
		st->ipv4++;
	else if (r->src.family == 6)
		st->ipv6++;
	if (rd->stop)
		return;
	if (rd->fn(r, rd->ud))
		rd->stop = 1;
}

static void on_payload(const tl_payload_meta_t *m, const uint8_t *data, size_t len, void *ud)
{
	reader_t *rd = ud;
	tl_record_t r;
	tl_record_init(&r);
	tl_arena_reset(&rd->arena);
	if (tl_dns_decode(data, len, &r, &rd->arena, &rd->info->anomalies, m->pos) != TL_OK)
		return;
	r.ts = m->ts;
	r.pos = m->pos;
	r.file = rd->info->index;
	r.src = m->src;
	r.dst = m->dst;
	r.sport = m->sport;
	r.dport = m->dport;
	r.transport = m->transport;
	r.ip_ttl = m->ip_ttl;
	r.known |= TL_KNOWN_SPORT | TL_KNOWN_DPORT | TL_KNOWN_IPTTL;
	tl_match_add(rd->match, &r);
	emit(rd, &r);
}

static void add_linktype(tl_input_stats_t *st, int dlt)
{
	for (size_t i = 0; i < st->n_linktypes; i++)
		if (st->linktypes[i] == dlt)
			return;
	if (st->n_linktypes < TL_INPUT_MAX_LINKTYPES)
		st->linktypes[st->n_linktypes++] = dlt;
}

static int read_capture(reader_t *rd, tl_stream_t *s, const tl_input_opts_t *opts)
{
	FILE *fp = tl_stream_file(s);
	tl_input_info_t *info = rd->info;
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!p) {
		snprintf(info->error, sizeof(info->error), "libpcap: %s", errbuf);
		return TL_EFORMAT;
	}
	int dlt = pcap_datalink(p);
	add_linktype(&info->stats, dlt);
	int supported = tl_net_dlt_supported(dlt);
	if (!supported) {
		char name[24];
		tl_anomaly_add(&info->anomalies, TL_AN_LINKTYPE_UNSUPPORTED, 0);
		snprintf(info->error, sizeof(info->error),
			 "link type %s (%d) is not supported; frames counted, not decoded",
			 tl_net_dlt_name(dlt, name), dlt);
	}
	tl_net_t *net = tl_net_new(&opts->net, &info->anomalies, on_payload, rd);
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t pos = 0;
	for (;;) {
		int rc = pcap_next_ex(p, &h, &data);
		if (rc == PCAP_ERROR_BREAK)
			break;
		if (rc != 1) {
			/* libpcap reports a record cut by the end of the file as an error
			 * whose text says "truncated"; anything else ends the file too */
			const char *msg = pcap_geterr(p);
			int trunc = msg && strstr(msg, "truncated");
			tl_anomaly_add(&info->anomalies, trunc ? TL_AN_FILE_TRUNCATED : TL_AN_FILE_READ_ERROR,
				       pos + 1);
			snprintf(info->error, sizeof(info->error), "after frame %llu: %s",
				 (unsigned long long)pos, msg ? msg : "read error");
			break;
		}
		pos++;
		info->stats.frames++;
		int64_t ts = (int64_t)h->ts.tv_sec * TL_US_PER_SEC + (int64_t)h->ts.tv_usec;
		count_ts(&info->stats, &info->anomalies, ts, pos);
		if (supported)
			tl_net_frame(net, dlt, ts, pos, data, h->caplen, h->len);
		if (rd->stop)
			break;
	}
	tl_net_finish(net, pos);
	tl_net_free(net);
	pcap_close(p); /* this fclose()s fp; the stream itself stays open */
	tl_stream_file_closed(s);
	return TL_OK;
}

/* pcapng through our own reader (pcapng.h): libpcap 1.10 refuses interfaces of
 * different link types and does not give the Interface Statistics Blocks. */
static int read_pcapng(reader_t *rd, tl_stream_t *s, const tl_input_opts_t *opts)
{
	tl_input_info_t *info = rd->info;
	tl_pcapng_t *png = tl_pcapng_open(tl_stream_file(s), &info->anomalies);
	tl_net_t *net = tl_net_new(&opts->net, &info->anomalies, on_payload, rd);
	tl_pcapng_frame_t fr;
	int64_t prev_ts = TL_TIME_NONE; /* of the last frame that had a timestamp */
	int rc;
	while ((rc = tl_pcapng_next(png, &fr)) == 1) {
		int64_t ts = fr.ts;
		if (fr.has_ts) {
			count_ts(&info->stats, &info->anomalies, ts, fr.pos);
			prev_ts = ts;
		} else {
			/* A Simple Packet Block has no timestamp (pcapng 4.4), and an
			 * overflowing one is none (both counted by the reader). Such a frame
			 * is dated with the previous frame's time, the latest time known when
			 * it was written, so that matching and reassembly timeouts see
			 * capture order; before any timestamped frame that is 0 (1970-01-01),
			 * the time libpcap and Wireshark show for it. It does not move the
			 * file's first/last times. */
			ts = prev_ts != TL_TIME_NONE ? prev_ts : 0;
		}
		if (tl_net_dlt_supported(fr.dlt)) {
			tl_net_frame(net, fr.dlt, ts, fr.pos, fr.data, fr.caplen, fr.wirelen);
		} else if (fr.if_first) {
			/* once per interface, where its first frame is; its frames are
			 * counted, not decoded, and the other interfaces' frames are */
			char name[24];
			tl_anomaly_add(&info->anomalies, TL_AN_LINKTYPE_UNSUPPORTED, fr.pos);
			if (!info->error[0])
				snprintf(info->error, sizeof(info->error),
					 "section %u interface %u: link type %s (%d) is not "
					 "supported; its frames counted, not decoded",
					 (unsigned)fr.section, (unsigned)fr.ifindex,
					 tl_net_dlt_name(fr.dlt, name), fr.dlt);
		}
		if (rd->stop)
			break;
	}
	tl_pcapng_stats_t st;
	tl_pcapng_stats(png, &st);
	info->stats.frames = st.frames;
	for (size_t i = 0; i < st.n_linktypes; i++)
		add_linktype(&info->stats, st.linktypes[i]);
	info->stats.if_drops = st.if_drops;
	info->stats.if_drops_known = st.if_drops_known;
	info->stats.os_drops = st.os_drops;
	info->stats.os_drops_known = st.os_drops_known;
	info->stats.periods = st.periods;
	/* what stopped reading wins; else the reader's first note, if nothing else */
	const char *msg = tl_pcapng_error(png);
	if (rc < 0 || (msg[0] && !info->error[0]))
		snprintf(info->error, sizeof(info->error), "%s", msg);
	tl_net_finish(net, st.frames);
	tl_net_free(net);
	tl_pcapng_close(png);
	return TL_OK;
}

static void on_line_record(const tl_record_t *rec, void *ud)
{
	reader_t *rd = ud;
	/* a line's first record carries the line's time; a response record from the
	 * same line is stamped time + rtt and is not compared */
	if (rec->pos != rd->line_pos && rec->ts != TL_TIME_NONE) {
		if (rd->line_max_ts != TL_TIME_NONE && rec->ts < rd->line_max_ts)
			tl_anomaly_add(&rd->info->anomalies, TL_AN_TIME_BACKWARDS, rec->pos);
		if (rd->line_max_ts == TL_TIME_NONE || rec->ts > rd->line_max_ts)
			rd->line_max_ts = rec->ts;
	}
	rd->line_pos = rec->pos;
	/* text logs give their own latency (Zeek rtt); no matching across lines */
	tl_record_t r = *rec;
	emit(rd, &r);
}

static tl_format_t detect(const uint8_t *h, size_t n, tl_textlog_format_t *tf)
{
	*tf = TL_TEXT_UNKNOWN;
	if (n >= 4) {
		uint32_t be = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
		/* pcap: a1b2c3d4 (micro), a1b23c4d (nano), either byte order;
		 * pcapng: section header block type 0a0d0d0a */
		if (be == 0xa1b2c3d4 || be == 0xd4c3b2a1 || be == 0xa1b23c4d || be == 0x4d3cb2a1)
			return TL_FORMAT_PCAP;
		if (be == 0x0a0d0d0a)
			return TL_FORMAT_PCAPNG;
	}
	*tf = tl_textlog_sniff((const char *)h, n);
	switch (*tf) {
	case TL_TEXT_BIND: return TL_FORMAT_BIND;
	case TL_TEXT_ZEEK_TSV: return TL_FORMAT_ZEEK_TSV;
	case TL_TEXT_ZEEK_JSON: return TL_FORMAT_ZEEK_JSON;
	case TL_TEXT_CSV: return TL_FORMAT_CSV;
	case TL_TEXT_TSV: return TL_FORMAT_TSV;
	case TL_TEXT_UNKNOWN: break;
	}
	return TL_FORMAT_UNKNOWN;
}

int tl_input_read(const char *path, uint32_t index, const tl_input_opts_t *opts,
		  tl_record_fn fn, void *ud, tl_input_info_t *info)
{
	tl_input_opts_t defaults;
	if (!opts) {
		tl_input_opts_default(&defaults);
		opts = &defaults;
	}
	memset(info, 0, sizeof(*info));
	info->path = path;
	info->index = index;
	info->stats.first_ts = info->stats.last_ts = TL_TIME_NONE;

	tl_stream_t *s = NULL;
	int rc = tl_stream_open(path, &s);
	if (rc != TL_OK)
		return rc;
	info->gzip = tl_stream_is_gzip(s);
	uint8_t head[4096];
	size_t n = tl_stream_peek(s, head, sizeof(head));
	tl_textlog_format_t tf;
	info->format = detect(head, n, &tf);

	reader_t rd = {.info = info, .fn = fn, .ud = ud, .line_max_ts = TL_TIME_NONE};
	tl_arena_init(&rd.arena, 65536);
	rd.match = tl_match_new(opts->match_max_pending, opts->match_timeout_us, &info->anomalies);

	if (info->format == TL_FORMAT_PCAP) {
		rc = read_capture(&rd, s, opts);
	} else if (info->format == TL_FORMAT_PCAPNG) {
		rc = read_pcapng(&rd, s, opts);
	} else if (info->format != TL_FORMAT_UNKNOWN) {
		tl_textlog_stats_t ts = {0, TL_TIME_NONE, TL_TIME_NONE};
		rc = tl_textlog_read(tl_stream_file(s), tf, index, opts->max_line, &info->anomalies,
				     &ts, on_line_record, &rd);
		info->stats.frames = ts.lines;
		info->stats.first_ts = ts.first_ts;
		info->stats.last_ts = ts.last_ts;
	} else {
		rc = n == 0 ? TL_OK : TL_EFORMAT; /* an empty file is read as no evidence */
		if (rc != TL_OK)
			snprintf(info->error, sizeof(info->error),
				 "not a pcap, pcapng or known DNS log format");
	}
	tl_match_finish(rd.match);
	const tl_match_stats_t *ms = tl_match_stats(rd.match);
	info->stats.matched = ms->matched;
	info->stats.unanswered = ms->unanswered;
	info->stats.unmatched = ms->unmatched;
	tl_match_free(rd.match);
	tl_arena_free(&rd.arena);

	if (tl_stream_gzip_damaged(s))
		tl_anomaly_add(&info->anomalies, TL_AN_GZIP_CORRUPT, info->stats.frames);
	int frc = tl_stream_finish(s, &info->size, info->sha256);
	if (frc != TL_OK && rc == TL_OK) {
		rc = frc;
		snprintf(info->error, sizeof(info->error), "read error");
	}
	tl_stream_close(s);
	if (rc == TL_OK && rd.stop)
		rc = TL_ESTOP;
	return rc;
}

const char *tl_input_pcap_version(void)
{
	return pcap_lib_version();
}
