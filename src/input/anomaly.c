/* anomaly.c - names and counting of input anomalies. */
#include "input/anomaly.h"

static const char *const names[TL_AN__COUNT] = {
	[TL_AN_FILE_TRUNCATED] = "file_truncated",
	[TL_AN_FILE_READ_ERROR] = "file_read_error",
	[TL_AN_GZIP_CORRUPT] = "gzip_corrupt",
	[TL_AN_LINKTYPE_UNSUPPORTED] = "linktype_unsupported",
	[TL_AN_TIME_BACKWARDS] = "time_backwards",
	[TL_AN_FRAME_TRUNCATED] = "frame_truncated",
	[TL_AN_L2_MALFORMED] = "l2_malformed",
	[TL_AN_L3_UNKNOWN] = "l3_not_ip",
	[TL_AN_IP_MALFORMED] = "ip_malformed",
	[TL_AN_IP_TRUNCATED] = "ip_truncated",
	[TL_AN_IP6_EXTHDR_MALFORMED] = "ip6_exthdr_malformed",
	[TL_AN_FRAG_OVERLAP] = "frag_overlap",
	[TL_AN_FRAG_CAP] = "frag_cap",
	[TL_AN_FRAG_TIMEOUT] = "frag_timeout",
	[TL_AN_FRAG_MALFORMED] = "frag_malformed",
	[TL_AN_UDP_MALFORMED] = "udp_malformed",
	[TL_AN_TCP_MALFORMED] = "tcp_malformed",
	[TL_AN_TCP_MIDSTREAM] = "tcp_midstream",
	[TL_AN_TCP_HOLE] = "tcp_hole",
	[TL_AN_TCP_FLOW_CAP] = "tcp_flow_cap",
	[TL_AN_TCP_BUFFER_CAP] = "tcp_buffer_cap",
	[TL_AN_TCP_INCOMPLETE] = "tcp_incomplete",
	[TL_AN_TCP_BAD_LENGTH] = "tcp_bad_length",
	[TL_AN_DNS_SHORT] = "dns_short",
	[TL_AN_DNS_BAD_POINTER] = "dns_bad_pointer",
	[TL_AN_DNS_POINTER_LOOP] = "dns_pointer_loop",
	[TL_AN_DNS_LABEL_TOO_LONG] = "dns_bad_label",
	[TL_AN_DNS_NAME_TOO_LONG] = "dns_name_too_long",
	[TL_AN_DNS_TRUNCATED] = "dns_truncated",
	[TL_AN_DNS_RDATA_MALFORMED] = "dns_rdata_malformed",
	[TL_AN_DNS_BAD_EDNS] = "dns_bad_edns",
	[TL_AN_DNS_TRAILING] = "dns_trailing_bytes",
	[TL_AN_LINE_TOO_LONG] = "line_too_long",
	[TL_AN_LINE_UNPARSABLE] = "line_unparsable",
	[TL_AN_BAD_TIMESTAMP] = "bad_timestamp",
	[TL_AN_BAD_ADDRESS] = "bad_address",
	[TL_AN_BAD_NAME] = "bad_name",
	[TL_AN_BAD_FIELD] = "bad_field",
	[TL_AN_BAD_HEADER] = "bad_header",
	[TL_AN_MATCH_CAP] = "match_cap",
	[TL_AN_PCAPNG_BAD_BLOCK] = "pcapng_bad_block",
	[TL_AN_PCAPNG_NO_INTERFACE] = "pcapng_no_interface",
	[TL_AN_FRAME_NO_TIMESTAMP] = "frame_no_timestamp",
};

const char *tl_anomaly_name(tl_anomaly_kind_t kind)
{
	if ((unsigned)kind >= TL_AN__COUNT || !names[kind])
		return "unknown";
	return names[kind];
}

void tl_anomaly_add(tl_anomalies_t *a, tl_anomaly_kind_t kind, uint64_t pos)
{
	if ((unsigned)kind >= TL_AN__COUNT)
		return;
	if (a->count[kind] < TL_AN_FIRST_MAX)
		a->first[kind][a->count[kind]] = pos;
	a->count[kind]++;
}

uint64_t tl_anomaly_total(const tl_anomalies_t *a)
{
	uint64_t t = 0;
	for (int k = 0; k < TL_AN__COUNT; k++)
		t += a->count[k];
	return t;
}
