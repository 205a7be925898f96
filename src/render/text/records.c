/* records.c - the records command's output: one record as a JSON object or a TSV line.
 * Formats only: every field comes from the decoded record (src/input/record.h). */
#include "render/text/records.h"
#include "util/time.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *transport_name(uint8_t t)
{
	return t == TL_TRANSPORT_UDP ? "udp" : t == TL_TRANSPORT_TCP ? "tcp" : NULL;
}

static const struct {
	uint16_t bit;
	const char *name;
} flag_names[] = {
	{TL_FLAG_AA, "aa"}, {TL_FLAG_TC, "tc"}, {TL_FLAG_RD, "rd"},
	{TL_FLAG_RA, "ra"}, {TL_FLAG_AD, "ad"}, {TL_FLAG_CD, "cd"},
};

/* The record writer appends constant keys and separators as literals: it runs
 * once per message and dominated the cost of `records` when it went through
 * the general JSON writer. The output is the same compact JSON. */
/* s must be a string literal (sizeof gives its length) */
#define LIT(b, s) tl_buf_append((b), "" s, sizeof(s) - 1)

static void put_str(tl_buf_t *b, const char *s)
{
	if (s)
		tl_buf_json_string(b, s, strlen(s));
	else
		LIT(b, "null");
}

static void put_u64_or_null(tl_buf_t *b, int known, uint64_t v)
{
	if (known)
		tl_buf_u64(b, v);
	else
		LIT(b, "null");
}

static void put_addr(tl_buf_t *b, const tl_addr_t *a)
{
	char s[TL_ADDR_STR_LEN];
	if (!a->family) {
		LIT(b, "null");
		return;
	}
	tl_addr_format(a, s);
	tl_buf_putc(b, '"');
	tl_buf_puts(b, s); /* digits, dots, colons and hex: nothing to escape */
	tl_buf_putc(b, '"');
}

static void put_rrs(tl_buf_t *b, const tl_rr_t *rrs, size_t n)
{
	char buf[16];
	tl_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const tl_rr_t *rr = &rrs[i];
		if (i)
			tl_buf_putc(b, ',');
		LIT(b, "{\"name\":");
		put_str(b, rr->name);
		LIT(b, ",\"type\":");
		if (rr->type == TL_TYPE_UNKNOWN)
			LIT(b, "null");
		else
			put_str(b, tl_rrtype_name(rr->type, buf));
		LIT(b, ",\"ttl\":");
		if (rr->ttl < 0)
			LIT(b, "null");
		else
			tl_buf_i64(b, rr->ttl);
		LIT(b, ",\"data\":");
		put_str(b, rr->data);
		tl_buf_putc(b, '}');
	}
	tl_buf_putc(b, ']');
}

static void put_edns(tl_buf_t *b, const tl_edns_t *e)
{
	if (!e) {
		LIT(b, "null");
		return;
	}
	LIT(b, "{\"udp_size\":");
	put_u64_or_null(b, e->udp_size != 0, e->udp_size); /* 0: not stated (some logs) */
	LIT(b, ",\"version\":");
	tl_buf_u64(b, e->version);
	if (e->do_bit)
		LIT(b, ",\"do\":true,\"options\":[");
	else
		LIT(b, ",\"do\":false,\"options\":[");
	for (size_t i = 0; i < e->n_options; i++) {
		if (i)
			tl_buf_putc(b, ',');
		tl_buf_u64(b, e->option_codes[i]);
	}
	LIT(b, "],\"ecs\":");
	if (e->has_ecs) {
		LIT(b, "{\"family\":");
		tl_buf_u64(b, e->ecs_family);
		LIT(b, ",\"source_prefix\":");
		tl_buf_u64(b, e->ecs_source_prefix);
		LIT(b, ",\"scope_prefix\":");
		tl_buf_u64(b, e->ecs_scope_prefix);
		LIT(b, ",\"address\":");
		put_str(b, e->ecs_address);
		tl_buf_putc(b, '}');
	} else {
		LIT(b, "null");
	}
	tl_buf_putc(b, '}');
}

void tl_record_json(const tl_record_t *r, const char *file, tl_buf_t *out)
{
	char buf[16], ts[TL_TIME_ISO_LEN];
	tl_buf_reserve(out, 512);
	LIT(out, "{\"ts\":\"");
	tl_time_format_iso(r->ts, ts);
	tl_buf_append(out, ts, TL_TIME_ISO_LEN - 1);
	LIT(out, "\",\"src\":");
	put_addr(out, &r->src);
	LIT(out, ",\"sport\":");
	put_u64_or_null(out, r->known & TL_KNOWN_SPORT, r->sport);
	LIT(out, ",\"dst\":");
	put_addr(out, &r->dst);
	LIT(out, ",\"dport\":");
	put_u64_or_null(out, r->known & TL_KNOWN_DPORT, r->dport);
	LIT(out, ",\"transport\":");
	put_str(out, transport_name(r->transport));
	LIT(out, ",\"id\":");
	put_u64_or_null(out, r->known & TL_KNOWN_ID, r->id);
	LIT(out, ",\"qr\":");
	if (r->known & TL_KNOWN_QR)
		tl_buf_puts(out, r->qr ? "true" : "false");
	else
		LIT(out, "null");
	LIT(out, ",\"opcode\":");
	put_str(out, (r->known & TL_KNOWN_OPCODE) ? tl_opcode_name(r->opcode, buf) : NULL);
	LIT(out, ",\"rcode\":");
	put_str(out, (r->known & TL_KNOWN_RCODE) ? tl_rcode_name(r->rcode, buf) : NULL);
	LIT(out, ",\"flags\":");
	if ((r->known & TL_KNOWN_FLAGS) || r->flags_known) {
		/* a log that states only some flags (BIND: rd, cd) lists the set ones
		 * among those; docs/formats.md says which each format states */
		int first = 1;
		tl_buf_putc(out, '[');
		for (size_t i = 0; i < COUNT(flag_names); i++) {
			if (!(r->flags & flag_names[i].bit))
				continue;
			if (!first)
				tl_buf_putc(out, ',');
			tl_buf_putc(out, '"');
			tl_buf_puts(out, flag_names[i].name);
			tl_buf_putc(out, '"');
			first = 0;
		}
		tl_buf_putc(out, ']');
	} else {
		LIT(out, "null");
	}
	LIT(out, ",\"qname\":");
	put_str(out, r->qname);
	LIT(out, ",\"qtype\":");
	put_str(out, r->qname ? tl_rrtype_name(r->qtype, buf) : NULL);
	LIT(out, ",\"qclass\":");
	put_str(out, r->qname ? tl_class_name(r->qclass, buf) : NULL);
	LIT(out, ",\"answers\":");
	if (r->known & TL_KNOWN_ANSWERS)
		put_rrs(out, r->answers, r->n_answers);
	else
		LIT(out, "null");
	LIT(out, ",\"authority\":");
	if (r->known & TL_KNOWN_SECTIONS)
		put_rrs(out, r->authority, r->n_authority);
	else
		LIT(out, "null");
	LIT(out, ",\"additional\":");
	if (r->known & TL_KNOWN_SECTIONS)
		put_rrs(out, r->additional, r->n_additional);
	else
		LIT(out, "null");
	LIT(out, ",\"edns\":");
	put_edns(out, r->edns);
	LIT(out, ",\"latency_us\":");
	if (r->latency_us >= 0)
		tl_buf_i64(out, r->latency_us);
	else
		LIT(out, "null");
	if (r->partial)
		LIT(out, ",\"partial\":true");
	LIT(out, ",\"file\":");
	put_str(out, file);
	LIT(out, ",\"pos\":");
	tl_buf_u64(out, r->pos);
	tl_buf_putc(out, '}');
}

const char *tl_record_tsv_header(void)
{
	return "ts\tsrc\tsport\tdst\tdport\ttransport\tid\tqr\topcode\trcode\trcode_num\tflags\t"
	       "qname\tqtype\tqtype_num\tqclass\tancount\tnscount\tarcount\tanswers\t"
	       "edns_udp_size\tedns_do\tecs\tlatency_us\tpartial\tfile\tpos";
}

static void tsv_text(tl_buf_t *out, const char *s)
{
	if (s)
		tl_buf_text_escaped(out, s, strlen(s));
}

void tl_record_tsv(const tl_record_t *r, const char *file, tl_buf_t *out)
{
	char buf[16], ts[TL_TIME_ISO_LEN], a[TL_ADDR_STR_LEN];
	tl_time_format_iso(r->ts, ts);
	tl_buf_puts(out, ts);
	tl_buf_putc(out, '\t');
	tl_addr_format(&r->src, a);
	tl_buf_puts(out, a);
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_SPORT)
		tl_buf_u64(out, r->sport);
	tl_buf_putc(out, '\t');
	tl_addr_format(&r->dst, a);
	tl_buf_puts(out, a);
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_DPORT)
		tl_buf_u64(out, r->dport);
	tl_buf_putc(out, '\t');
	tsv_text(out, transport_name(r->transport));
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_ID)
		tl_buf_u64(out, r->id);
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_QR)
		tl_buf_u64(out, r->qr);
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_OPCODE)
		tl_buf_puts(out, tl_opcode_name(r->opcode, buf));
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_RCODE) {
		tl_buf_puts(out, tl_rcode_name(r->rcode, buf));
		tl_buf_putc(out, '\t');
		tl_buf_u64(out, r->rcode);
	} else {
		tl_buf_putc(out, '\t');
	}
	tl_buf_putc(out, '\t');
	int first = 1;
	for (size_t i = 0; i < COUNT(flag_names); i++) {
		if (r->flags & flag_names[i].bit) {
			if (!first)
				tl_buf_putc(out, ',');
			tl_buf_puts(out, flag_names[i].name);
			first = 0;
		}
	}
	tl_buf_putc(out, '\t');
	tsv_text(out, r->qname);
	tl_buf_putc(out, '\t');
	if (r->qname) {
		tl_buf_puts(out, tl_rrtype_name(r->qtype, buf));
		tl_buf_putc(out, '\t');
		tl_buf_u64(out, r->qtype);
		tl_buf_putc(out, '\t');
		tl_buf_puts(out, tl_class_name(r->qclass, buf));
	} else {
		tl_buf_append(out, "\t\t", 2);
	}
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_ANSWERS)
		tl_buf_u64(out, r->n_answers);
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_SECTIONS)
		tl_buf_u64(out, r->n_authority);
	tl_buf_putc(out, '\t');
	if (r->known & TL_KNOWN_SECTIONS)
		tl_buf_u64(out, r->n_additional);
	tl_buf_putc(out, '\t');
	/* answers as "name type ttl data" joined by " | " */
	for (size_t i = 0; (r->known & TL_KNOWN_ANSWERS) && i < r->n_answers; i++) {
		const tl_rr_t *rr = &r->answers[i];
		if (i)
			tl_buf_append(out, " | ", 3);
		tsv_text(out, rr->name);
		tl_buf_putc(out, ' ');
		tl_buf_puts(out, rr->type ? tl_rrtype_name(rr->type, buf) : "-");
		tl_buf_putc(out, ' ');
		if (rr->ttl >= 0)
			tl_buf_i64(out, rr->ttl);
		else
			tl_buf_putc(out, '-');
		tl_buf_putc(out, ' ');
		tsv_text(out, rr->data);
	}
	tl_buf_putc(out, '\t');
	if (r->edns) {
		if (r->edns->udp_size)
			tl_buf_u64(out, r->edns->udp_size);
		tl_buf_putc(out, '\t');
		tl_buf_u64(out, r->edns->do_bit);
		tl_buf_putc(out, '\t');
		if (r->edns->has_ecs) {
			tsv_text(out, r->edns->ecs_address);
			tl_buf_putc(out, '/');
			tl_buf_u64(out, r->edns->ecs_source_prefix);
		}
	} else {
		tl_buf_append(out, "\t", 1);
		tl_buf_putc(out, '\t');
	}
	tl_buf_putc(out, '\t');
	if (r->latency_us >= 0)
		tl_buf_i64(out, r->latency_us);
	tl_buf_putc(out, '\t');
	tl_buf_u64(out, r->partial);
	tl_buf_putc(out, '\t');
	tsv_text(out, file);
	tl_buf_putc(out, '\t');
	tl_buf_u64(out, r->pos);
}
