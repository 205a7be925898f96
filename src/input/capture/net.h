/* net.h - link, network and transport decoding: frames in, DNS payloads out.
 *
 * Handles the link types in tl_net_dlt_supported(), IPv4 (options, fragment
 * reassembly), IPv6 (extension headers, fragments), UDP, and TCP with per-flow
 * stream reassembly of DNS's 2-byte length-prefixed messages (RFC 1035 4.2.2,
 * RFC 7766). All state is capped; every cap hit and every malformed unit is
 * counted in the anomalies given at creation. */
#ifndef TL_INPUT_CAPTURE_NET_H
#define TL_INPUT_CAPTURE_NET_H

#include <stddef.h>
#include <stdint.h>

#include "input/anomaly.h"
#include "input/record.h"

typedef struct tl_net_opts {
	const uint16_t *ports; /* DNS ports, UDP and TCP; a payload is DNS if either port matches */
	size_t n_ports;
	size_t frag_max_datagrams; /* concurrent datagrams under reassembly */
	size_t frag_max_bytes;     /* bytes buffered for reassembly in all */
	int64_t frag_timeout_us;   /* capture time after which an incomplete datagram is dropped */
	size_t tcp_max_flows;      /* concurrent TCP flows (one direction each) */
	size_t tcp_max_buffer;     /* bytes buffered per flow direction (out-of-order + partial) */
	int64_t tcp_timeout_us;    /* idle capture time after which a flow is closed */
} tl_net_opts_t;

/* Fills defaults: port 53; 4096 datagrams, 16 MiB, 30 s; 65536 flows, 256 KiB, 120 s. */
void tl_net_opts_default(tl_net_opts_t *o);

/* Where a DNS payload came from. */
typedef struct tl_payload_meta {
	int64_t ts;    /* of the frame that completed the payload */
	uint64_t pos;  /* frame number of the frame that completed it (1-based) */
	tl_addr_t src, dst;
	uint16_t sport, dport;
	uint8_t transport; /* TL_TRANSPORT_UDP or TL_TRANSPORT_TCP */
	uint8_t ip_ttl;    /* IPv4 TTL or IPv6 hop limit of that frame */
} tl_payload_meta_t;

/* Receives one DNS message (for TCP: without the length prefix). data is valid
 * only during the call. */
typedef void (*tl_payload_fn)(const tl_payload_meta_t *m, const uint8_t *data, size_t len,
			      void *ud);

typedef struct tl_net tl_net_t;

/* opts and an are borrowed and must outlive the decoder. Free with tl_net_free. */
tl_net_t *tl_net_new(const tl_net_opts_t *opts, tl_anomalies_t *an, tl_payload_fn fn, void *ud);

/* Decodes one frame of link type dlt (a DLT_/LINKTYPE_ value as libpcap reports it).
 * caplen bytes are present in data; wirelen is the length on the wire. */
void tl_net_frame(tl_net_t *n, int dlt, int64_t ts, uint64_t pos, const uint8_t *data,
		  size_t caplen, size_t wirelen);

/* End of input: counts incomplete fragments and streams (at pos), frees their state. */
void tl_net_finish(tl_net_t *n, uint64_t pos);
void tl_net_free(tl_net_t *n);

/* 1 if tl_net_frame decodes this link type. */
int tl_net_dlt_supported(int dlt);
/* A stable name for a link type, e.g. "EN10MB", "LINUX_SLL2", or "DLT_147". */
const char *tl_net_dlt_name(int dlt, char buf[24]);

#endif
