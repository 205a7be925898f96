/* record.c - DNS record helpers: a cleared record, the mnemonics of types, rcodes, opcodes
 * and classes and their parsers. */
#include "input/record.h"
#include "util/error.h"
#include "util/time.h"

#include <stdio.h>
#include <string.h>

void tl_record_init(tl_record_t *r)
{
	memset(r, 0, sizeof(*r));
	r->latency_us = -1;
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
