/* record.c - DNS record helpers: addresses, mnemonics, JSON and TSV output. */
#include "input/record.h"
#include "util/error.h"
#include "util/timeutil.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void tl_record_init(tl_record_t *r)
{
	memset(r, 0, sizeof(*r));
	r->latency_us = -1;
}

void tl_addr_format(const tl_addr_t *a, char out[TL_ADDR_STR_LEN])
{
	out[0] = '\0';
	if (a->family == 4)
		inet_ntop(AF_INET, a->bytes, out, TL_ADDR_STR_LEN);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->bytes, out, TL_ADDR_STR_LEN);
}

int tl_addr_parse(const char *s, size_t len, tl_addr_t *a)
{
	char tmp[TL_ADDR_STR_LEN];
	if (len == 0 || len >= sizeof(tmp))
		return TL_EFORMAT;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	tl_addr_t r;
	memset(&r, 0, sizeof(r));
	if (memchr(tmp, ':', len)) {
		/* strip a zone index ("fe80::1%eth0"): it names a local interface, not an address */
		char *pct = strchr(tmp, '%');
		if (pct)
			*pct = '\0';
		if (inet_pton(AF_INET6, tmp, r.bytes) != 1)
			return TL_EFORMAT;
		r.family = 6;
	} else {
		if (inet_pton(AF_INET, tmp, r.bytes) != 1)
			return TL_EFORMAT;
		r.family = 4;
	}
	*a = r;
	return TL_OK;
}

int tl_addr_equal(const tl_addr_t *a, const tl_addr_t *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

typedef struct code_name {
	uint16_t code;
	const char *name;
} code_name_t;

/* IANA "Resource Record (RR) TYPEs" registry (RFC 1035, 3596, 4034, 6895 and others). */
static const code_name_t rrtypes[] = {
	{1, "A"},          {2, "NS"},        {3, "MD"},         {4, "MF"},
	{5, "CNAME"},      {6, "SOA"},       {7, "MB"},         {8, "MG"},
	{9, "MR"},         {10, "NULL"},     {11, "WKS"},       {12, "PTR"},
	{13, "HINFO"},     {14, "MINFO"},    {15, "MX"},        {16, "TXT"},
	{17, "RP"},        {18, "AFSDB"},    {19, "X25"},       {20, "ISDN"},
	{21, "RT"},        {22, "NSAP"},     {23, "NSAP-PTR"},  {24, "SIG"},
	{25, "KEY"},       {26, "PX"},       {27, "GPOS"},      {28, "AAAA"},
	{29, "LOC"},       {30, "NXT"},      {31, "EID"},       {32, "NIMLOC"},
	{33, "SRV"},       {34, "ATMA"},     {35, "NAPTR"},     {36, "KX"},
	{37, "CERT"},      {38, "A6"},       {39, "DNAME"},     {40, "SINK"},
	{41, "OPT"},       {42, "APL"},      {43, "DS"},        {44, "SSHFP"},
	{45, "IPSECKEY"},  {46, "RRSIG"},    {47, "NSEC"},      {48, "DNSKEY"},
	{49, "DHCID"},     {50, "NSEC3"},    {51, "NSEC3PARAM"},{52, "TLSA"},
	{53, "SMIMEA"},    {55, "HIP"},      {56, "NINFO"},     {57, "RKEY"},
	{58, "TALINK"},    {59, "CDS"},      {60, "CDNSKEY"},   {61, "OPENPGPKEY"},
	{62, "CSYNC"},     {63, "ZONEMD"},   {64, "SVCB"},      {65, "HTTPS"},
	{99, "SPF"},       {104, "NID"},     {105, "L32"},      {106, "L64"},
	{107, "LP"},       {108, "EUI48"},   {109, "EUI64"},    {249, "TKEY"},
	{250, "TSIG"},     {251, "IXFR"},    {252, "AXFR"},     {253, "MAILB"},
	{254, "MAILA"},    {255, "ANY"},     {256, "URI"},      {257, "CAA"},
	{32768, "TA"},     {32769, "DLV"},
};

/* IANA "DNS RCODEs" (RFC 1035, 2136, 6891, 8945, 7873, 8490). */
static const code_name_t rcodes[] = {
	{0, "NOERROR"},   {1, "FORMERR"},  {2, "SERVFAIL"}, {3, "NXDOMAIN"},
	{4, "NOTIMP"},    {5, "REFUSED"},  {6, "YXDOMAIN"}, {7, "YXRRSET"},
	{8, "NXRRSET"},   {9, "NOTAUTH"},  {10, "NOTZONE"}, {11, "DSOTYPENI"},
	{16, "BADVERS"},  {17, "BADKEY"},  {18, "BADTIME"}, {19, "BADMODE"},
	{20, "BADNAME"},  {21, "BADALG"},  {22, "BADTRUNC"},{23, "BADCOOKIE"},
};

static const code_name_t opcodes[] = {
	{0, "QUERY"}, {1, "IQUERY"}, {2, "STATUS"}, {4, "NOTIFY"}, {5, "UPDATE"}, {6, "DSO"},
};

static const code_name_t classes[] = {
	{1, "IN"}, {3, "CH"}, {4, "HS"}, {254, "NONE"}, {255, "ANY"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *lookup(const code_name_t *t, size_t n, uint16_t code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* tables are sorted by code */
		size_t mid = (lo + hi) / 2;
		if (t[mid].code == code)
			return t[mid].name;
		if (t[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *numbered(const char *prefix, unsigned v, char buf[16])
{
	snprintf(buf, 16, "%s%u", prefix, v);
	return buf;
}

const char *tl_rrtype_name(uint16_t type, char buf[16])
{
	const char *n = lookup(rrtypes, COUNT(rrtypes), type);
	return n ? n : numbered("TYPE", type, buf); /* RFC 3597 section 5 */
}

const char *tl_rcode_name(uint16_t rcode, char buf[16])
{
	const char *n = lookup(rcodes, COUNT(rcodes), rcode);
	return n ? n : numbered("RCODE", rcode, buf);
}

const char *tl_opcode_name(uint8_t opcode, char buf[16])
{
	const char *n = lookup(opcodes, COUNT(opcodes), opcode);
	return n ? n : numbered("OPCODE", opcode, buf);
}

const char *tl_class_name(uint16_t rclass, char buf[16])
{
	const char *n = lookup(classes, COUNT(classes), rclass);
	return n ? n : numbered("CLASS", rclass, buf); /* RFC 3597 section 5 */
}

static int ieq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++) {
		char x = a[i], y = b[i];
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/* Parses a decimal 0..65535 occupying all of s[0..len). */
static int parse_u16(const char *s, size_t len, uint16_t *out)
{
	if (len == 0 || len > 5)
		return TL_EFORMAT;
	unsigned v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return TL_EFORMAT;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return TL_EFORMAT;
	*out = (uint16_t)v;
	return TL_OK;
}

static int parse_code(const code_name_t *t, size_t n, const char *prefix, const char *s,
		      size_t len, uint16_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if (ieq(s, len, t[i].name)) {
			*out = t[i].code;
			return TL_OK;
		}
	}
	size_t pl = strlen(prefix);
	if (len > pl && ieq(s, pl, prefix))
		return parse_u16(s + pl, len - pl, out);
	return parse_u16(s, len, out);
}

int tl_rrtype_parse(const char *s, size_t len, uint16_t *type)
{
	return parse_code(rrtypes, COUNT(rrtypes), "TYPE", s, len, type);
}

int tl_rcode_parse(const char *s, size_t len, uint16_t *rcode)
{
	/* some logs write NXDOMAIN as "NXDomain" or rcodes as numbers; both are handled */
	return parse_code(rcodes, COUNT(rcodes), "RCODE", s, len, rcode);
}

int tl_class_parse(const char *s, size_t len, uint16_t *rclass)
{
	return parse_code(classes, COUNT(classes), "CLASS", s, len, rclass);
}

/* ---- output ---- */

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

static void json_addr(tl_json_t *j, const tl_addr_t *a)
{
	char s[TL_ADDR_STR_LEN];
	if (!a->family) {
		tl_json_null(j);
		return;
	}
	tl_addr_format(a, s);
	tl_json_str(j, s);
}

static void json_rrs(tl_json_t *j, const tl_rr_t *rrs, size_t n)
{
	char buf[16];
	tl_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		const tl_rr_t *rr = &rrs[i];
		tl_json_obj_begin(j);
		tl_json_key(j, "name");
		tl_json_str(j, rr->name);
		tl_json_key(j, "type");
		if (rr->type == TL_TYPE_UNKNOWN)
			tl_json_null(j);
		else
			tl_json_str(j, tl_rrtype_name(rr->type, buf));
		tl_json_key(j, "ttl");
		if (rr->ttl < 0)
			tl_json_null(j);
		else
			tl_json_i64(j, rr->ttl);
		tl_json_key(j, "data");
		tl_json_str(j, rr->data);
		tl_json_obj_end(j);
	}
	tl_json_arr_end(j);
}

static void json_edns(tl_json_t *j, const tl_record_t *r)
{
	const tl_edns_t *e = r->edns;
	if (!e) {
		tl_json_null(j);
		return;
	}
	tl_json_obj_begin(j);
	tl_json_key(j, "udp_size");
	if (e->udp_size)
		tl_json_u64(j, e->udp_size);
	else
		tl_json_null(j); /* not stated by the source (some logs) */
	tl_json_key(j, "version");
	tl_json_u64(j, e->version);
	tl_json_key(j, "do");
	tl_json_bool(j, e->do_bit);
	tl_json_key(j, "options");
	tl_json_arr_begin(j);
	for (size_t i = 0; i < e->n_options; i++)
		tl_json_u64(j, e->option_codes[i]);
	tl_json_arr_end(j);
	tl_json_key(j, "ecs");
	if (e->has_ecs) {
		tl_json_obj_begin(j);
		tl_json_key(j, "family");
		tl_json_u64(j, e->ecs_family);
		tl_json_key(j, "source_prefix");
		tl_json_u64(j, e->ecs_source_prefix);
		tl_json_key(j, "scope_prefix");
		tl_json_u64(j, e->ecs_scope_prefix);
		tl_json_key(j, "address");
		tl_json_str(j, e->ecs_address);
		tl_json_obj_end(j);
	} else {
		tl_json_null(j);
	}
	tl_json_obj_end(j);
}

void tl_record_json(const tl_record_t *r, const char *file, tl_buf_t *out)
{
	char buf[16], ts[TL_TIME_ISO_LEN];
	tl_json_t j;
	tl_json_init(&j, out, 0);
	tl_json_obj_begin(&j);
	tl_json_key(&j, "ts");
	tl_time_format_iso(r->ts, ts);
	tl_json_str(&j, ts);
	tl_json_key(&j, "src");
	json_addr(&j, &r->src);
	tl_json_key(&j, "sport");
	if (r->known & TL_KNOWN_SPORT)
		tl_json_u64(&j, r->sport);
	else
		tl_json_null(&j);
	tl_json_key(&j, "dst");
	json_addr(&j, &r->dst);
	tl_json_key(&j, "dport");
	if (r->known & TL_KNOWN_DPORT)
		tl_json_u64(&j, r->dport);
	else
		tl_json_null(&j);
	tl_json_key(&j, "transport");
	tl_json_str(&j, transport_name(r->transport));
	tl_json_key(&j, "id");
	if (r->known & TL_KNOWN_ID)
		tl_json_u64(&j, r->id);
	else
		tl_json_null(&j);
	tl_json_key(&j, "qr");
	if (r->known & TL_KNOWN_QR)
		tl_json_bool(&j, r->qr);
	else
		tl_json_null(&j);
	tl_json_key(&j, "opcode");
	if (r->known & TL_KNOWN_OPCODE)
		tl_json_str(&j, tl_opcode_name(r->opcode, buf));
	else
		tl_json_null(&j);
	tl_json_key(&j, "rcode");
	if (r->known & TL_KNOWN_RCODE)
		tl_json_str(&j, tl_rcode_name(r->rcode, buf));
	else
		tl_json_null(&j);
	tl_json_key(&j, "flags");
	if ((r->known & TL_KNOWN_FLAGS) || r->flags_known) {
		/* a log that states only some flags (BIND: rd, cd) lists the set ones
		 * among those; docs/formats.md says which each format states */
		tl_json_arr_begin(&j);
		for (size_t i = 0; i < COUNT(flag_names); i++)
			if (r->flags & flag_names[i].bit)
				tl_json_str(&j, flag_names[i].name);
		tl_json_arr_end(&j);
	} else {
		tl_json_null(&j);
	}
	tl_json_key(&j, "qname");
	tl_json_str(&j, r->qname);
	tl_json_key(&j, "qtype");
	if (r->qname)
		tl_json_str(&j, tl_rrtype_name(r->qtype, buf));
	else
		tl_json_null(&j);
	tl_json_key(&j, "qclass");
	if (r->qname)
		tl_json_str(&j, tl_class_name(r->qclass, buf));
	else
		tl_json_null(&j);
	tl_json_key(&j, "answers");
	if (r->known & TL_KNOWN_ANSWERS)
		json_rrs(&j, r->answers, r->n_answers);
	else
		tl_json_null(&j);
	tl_json_key(&j, "authority");
	if (r->known & TL_KNOWN_SECTIONS)
		json_rrs(&j, r->authority, r->n_authority);
	else
		tl_json_null(&j);
	tl_json_key(&j, "additional");
	if (r->known & TL_KNOWN_SECTIONS)
		json_rrs(&j, r->additional, r->n_additional);
	else
		tl_json_null(&j);
	tl_json_key(&j, "edns");
	json_edns(&j, r);
	tl_json_key(&j, "latency_us");
	if (r->latency_us >= 0)
		tl_json_i64(&j, r->latency_us);
	else
		tl_json_null(&j);
	if (r->partial) {
		tl_json_key(&j, "partial");
		tl_json_bool(&j, 1);
	}
	tl_json_key(&j, "file");
	tl_json_str(&j, file);
	tl_json_key(&j, "pos");
	tl_json_u64(&j, r->pos);
	tl_json_obj_end(&j);
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
