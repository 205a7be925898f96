/* link.c - link layers: Ethernet with 802.1Q/802.1ad tags, Linux cooked (SLL and
 * SLL2), raw IP, and BSD loopback (DLT_NULL, DLT_LOOP); the network layer each
 * frame carries. */
#include "input/capture/capture_impl.h"
#include "input/capture/net.h"

#include <pcap/pcap.h>
#include <stdio.h>

#include "util/cursor.h"

/* Link-type values as libpcap reports them. DLT_RAW is 12 on most systems and 14 on
 * OpenBSD; files may also carry LINKTYPE_RAW (101). DLT_LOOP is 108 except on
 * OpenBSD, where 12 is DLT_LOOP, but there libpcap maps it and we read 12 as raw IP. */
enum {
	LT_RAW_12 = 12,
	LT_RAW_14 = 14,
	LT_RAW_101 = 101,
	LT_LOOP = 108,
};

#define MAX_VLAN_TAGS 8      /* stacked 802.1Q/802.1ad tags before we call the frame bad */

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_8021Q 0x8100
#define ETH_8021AD 0x88a8
#define ETH_QINQ_OLD 0x9100
#define ARPHRD_NETLINK_ 824 /* Linux: SLL protocol field holds a netlink protocol */

int tl_net_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_NULL:
	case DLT_EN10MB:
	case LT_RAW_12:
	case LT_RAW_14:
	case LT_RAW_101:
	case LT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

const char *tl_net_dlt_name(int dlt, char buf[24])
{
	/* libpcap names only its own platform's DLT_RAW; all three values are raw IP. */
	if (dlt == LT_RAW_12 || dlt == LT_RAW_14 || dlt == LT_RAW_101)
		return "RAW";
	const char *s = pcap_datalink_val_to_name(dlt);
	if (s)
		return s;
	snprintf(buf, 24, "DLT_%d", dlt);
	return buf;
}

static int ethertype_l3(tl_net_t *n, uint16_t et, uint64_t pos)
{
	if (et == ETH_IPV4)
		return L3_V4;
	if (et == ETH_IPV6)
		return L3_V6;
	anom(n, TL_AN_L3_UNKNOWN, pos); /* ARP, LLDP, 802.3 length field... */
	return L3_NONE;
}

static int is_vlan(uint16_t et)
{
	return et == ETH_8021Q || et == ETH_8021AD || et == ETH_QINQ_OLD;
}

/* Skips 802.1Q / 802.1ad tags (each: 2-octet TCI, then the next type). */
static int vlan_l3(tl_net_t *n, tl_cursor_t *c, uint16_t et, uint64_t pos)
{
	for (int depth = 0; is_vlan(et); depth++) {
		if (depth >= MAX_VLAN_TAGS) {
			anom(n, TL_AN_L2_MALFORMED, pos);
			return L3_NONE;
		}
		if (tl_cur_left(c) < 4) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		tl_cur_skip(c, 2);
		et = tl_cur_u16(c);
	}
	return ethertype_l3(n, et, pos);
}

/* Linux cooked headers: the protocol field is an ethertype except for a few
 * hardware types (netlink carries a netlink protocol there). */
static int sll_l3(tl_net_t *n, tl_cursor_t *c, uint16_t hatype, uint16_t proto, uint64_t pos)
{
	if (hatype == ARPHRD_NETLINK_) {
		anom(n, TL_AN_L3_UNKNOWN, pos);
		return L3_NONE;
	}
	return vlan_l3(n, c, proto, pos);
}

/* BSD loopback address family values for IPv4 and IPv6 (BSDs differ for IPv6). */
static int af_l3(tl_net_t *n, uint32_t af, uint64_t pos)
{
	if (af == 2)
		return L3_V4;
	if (af == 24 || af == 28 || af == 30)
		return L3_V6;
	anom(n, TL_AN_L3_UNKNOWN, pos);
	return L3_NONE;
}

int tl_net_link_l3(tl_net_t *n, int dlt, tl_cursor_t *c, uint64_t pos)
{
	switch (dlt) {
	case DLT_EN10MB: {
		if (tl_cur_left(c) < 14) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		tl_cur_skip(c, 12); /* destination, source */
		return vlan_l3(n, c, tl_cur_u16(c), pos);
	}
	case DLT_LINUX_SLL: {
		/* packet type, ARPHRD type, address length, 8 address bytes, protocol */
		if (tl_cur_left(c) < 16) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		tl_cur_skip(c, 2);
		uint16_t hatype = tl_cur_u16(c);
		tl_cur_skip(c, 10);
		uint16_t proto = tl_cur_u16(c);
		return sll_l3(n, c, hatype, proto, pos);
	}
	case DLT_LINUX_SLL2: {
		/* protocol, reserved, interface index, ARPHRD type, packet type,
		 * address length, 8 address bytes */
		if (tl_cur_left(c) < 20) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		uint16_t proto = tl_cur_u16(c);
		tl_cur_skip(c, 6);
		uint16_t hatype = tl_cur_u16(c);
		tl_cur_skip(c, 10);
		return sll_l3(n, c, hatype, proto, pos);
	}
	case LT_RAW_12:
	case LT_RAW_14:
	case LT_RAW_101:
		return L3_BYVERSION;
	case DLT_IPV4:
		return L3_V4;
	case DLT_IPV6:
		return L3_V6;
	case DLT_NULL: {
		/* Written in the capturing host's byte order: a family value fits in
		 * 16 bits, so a big value means the other order. */
		if (tl_cur_left(c) < 4) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		uint32_t af = tl_cur_u32le(c);
		if (af > 0xffff)
			af = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) | (af << 24);
		return af_l3(n, af, pos);
	}
	case LT_LOOP:
		if (tl_cur_left(c) < 4) {
			anom(n, TL_AN_FRAME_TRUNCATED, pos);
			return L3_NONE;
		}
		return af_l3(n, tl_cur_u32(c), pos); /* network byte order */
	default:
		anom(n, TL_AN_LINKTYPE_UNSUPPORTED, pos);
		return L3_NONE;
	}
}

