#!/usr/bin/env python3
"""mkcorpus.py - writes the fuzz seed corpora (tests/fuzz/corpus/<target>/).

Deterministic: running it again gives the same bytes. The corpora are kept in
git; run this only to change them. Addresses are from the documentation blocks
(RFC 5737, RFC 3849), names under example. (RFC 2606)."""
import gzip
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

# ---------------------------------------------------------------- DNS (RFC 1035 4.1)


class Msg:
    def __init__(self, mid, flags):
        self.hdr = [mid, flags, 0, 0, 0, 0]
        self.body = bytearray()
        self.comp = {}

    def name(self, name):
        labels = [l for l in name.rstrip(".").split(".") if l]
        out = bytearray()
        for i in range(len(labels)):
            suffix = ".".join(labels[i:]).lower()
            if suffix in self.comp:
                out += struct.pack(">H", 0xC000 | self.comp[suffix])
                return bytes(out)
            off = 12 + len(self.body) + len(out)
            if off < 0x3FFF:
                self.comp[suffix] = off
            lab = labels[i].encode()
            out += bytes([len(lab)]) + lab
        out += b"\0"
        return bytes(out)

    def question(self, name, qtype, qclass=1):
        self.body += self.name(name)
        self.body += struct.pack(">HH", qtype, qclass)
        self.hdr[2] += 1

    def rr(self, section, name, rtype, ttl, rdata_fn, rclass=1):
        self.body += self.name(name)
        self.body += struct.pack(">HHI", rtype, rclass, ttl)
        lenpos = len(self.body)
        self.body += b"\0\0"
        rd = rdata_fn(self) if callable(rdata_fn) else rdata_fn
        self.body += rd
        struct.pack_into(">H", self.body, lenpos, len(rd))
        self.hdr[3 + section] += 1

    def opt(self, size=1232, do=False, options=b"", ext_rcode=0, version=0):
        # RFC 6891 6.1.2-6.1.3
        ttl = (ext_rcode << 24) | (version << 16) | (0x8000 if do else 0)
        self.body += b"\0" + struct.pack(">HHIH", 41, size, ttl, len(options)) + options
        self.hdr[5] += 1

    def wire(self):
        return struct.pack(">HHHHHH", *self.hdr) + bytes(self.body)


def in_name(msg_name):
    return lambda m: m.name(msg_name)


def ecs(family, prefix, addr):
    # RFC 7871 6
    nbytes = (prefix + 7) // 8
    data = struct.pack(">HBB", family, prefix, 0) + addr[:nbytes]
    return struct.pack(">HH", 8, len(data)) + data


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


def query(mid, name, qtype, edns=True, do=False, options=b""):
    m = Msg(mid, 0x0100)  # RD
    m.question(name, qtype)
    if edns:
        m.opt(do=do, options=options)
    return m.wire()


def resp_a(mid=0x1234, name="www.example.com"):
    m = Msg(mid, 0x8180)
    m.question(name, 1)
    m.rr(0, name, 1, 300, ip4("192.0.2.80"))
    m.rr(0, name, 1, 300, ip4("192.0.2.81"))
    m.opt()
    return m.wire()


def resp_big(mid=0x4321, name="big.example.com", n=60):
    """A response too big for one 576-byte fragment: used for reassembly seeds."""
    m = Msg(mid, 0x8180)
    m.question(name, 16)
    for i in range(n):
        txt = b"v=spf1 ip4:192.0.2.%d -all" % i
        m.rr(0, name, 16, 60, bytes([len(txt)]) + txt)
    m.opt(size=4096)
    return m.wire()


def dns_seeds():
    s = {}
    s["q_a"] = query(0x1234, "www.example.com", 1)
    s["q_aaaa_ecs_do"] = query(0x2345, "mail.example.org", 28, do=True,
                               options=ecs(1, 24, ip4("192.0.2.0")))
    s["q_txt_noedns"] = query(0x0001, "_dmarc.example.net", 16, edns=False)
    s["q_ecs6_cookie"] = query(0x0002, "a.b.c.example", 1,
                               options=ecs(2, 56, ip6("2001:db8:1:2::")) +
                               struct.pack(">HH", 10, 8) + b"\x01\x02\x03\x04\x05\x06\x07\x08")
    s["r_a"] = resp_a()
    m = Msg(0x3456, 0x8180)
    m.question("www.example.com", 28)
    m.rr(0, "www.example.com", 5, 3600, in_name("cdn.example.net"))
    m.rr(0, "cdn.example.net", 28, 60, ip6("2001:db8::80"))
    m.opt(do=True)
    s["r_cname_aaaa"] = m.wire()
    m = Msg(0x4567, 0x8580)
    m.question("example.com", 15)
    m.rr(0, "example.com", 15, 3600, lambda mm: struct.pack(">H", 10) + mm.name("mx1.example.com"))
    m.rr(0, "example.com", 15, 3600, lambda mm: struct.pack(">H", 20) + mm.name("mx2.example.com"))
    m.rr(2, "mx1.example.com", 1, 3600, ip4("192.0.2.25"))
    s["r_mx_aa"] = m.wire()
    m = Msg(0x5678, 0x8180)
    m.question("example.com", 16)
    m.rr(0, "example.com", 16, 300, b"\x0bv=spf1 -all\x05a\"b\\c\x04\x00\x01\xff\x7f")
    s["r_txt_odd"] = m.wire()
    m = Msg(0x6789, 0x8183)
    m.question("nope.example.com", 1)
    m.rr(1, "example.com", 6, 900, lambda mm: mm.name("ns1.example.com") +
         mm.name("hostmaster.example.com") + struct.pack(">IIIII", 2025112701, 7200, 3600,
                                                         1209600, 900))
    m.opt()
    s["r_nxdomain_soa"] = m.wire()
    m = Msg(0x789a, 0x8180)
    m.question("_sip._tcp.example.com", 33)
    m.rr(0, "_sip._tcp.example.com", 33, 60,
         lambda mm: struct.pack(">HHH", 10, 5, 5060) + mm.name("sip.example.com"))
    m.rr(0, "example.com", 257, 60, b"\x00\x05issueca.example")
    m.rr(0, "example.com", 65, 60, b"\x00\x01\x00\x00\x01\x00\x03\x02h2")
    m.rr(0, "example.com", 99, 60, b"\x03abc")  # SPF
    s["r_srv_caa_https"] = m.wire()
    m = Msg(0x89ab, 0x8180)
    m.question("80.2.0.192.in-addr.arpa", 12)
    m.rr(0, "80.2.0.192.in-addr.arpa", 12, 86400, in_name("www.example.com"))
    s["r_ptr"] = m.wire()
    m = Msg(0x9abc, 0x8190)
    m.question("example.com", 2)
    m.rr(0, "example.com", 2, 86400, in_name("ns1.example.com"))
    m.rr(0, "example.com", 2, 86400, in_name("ns2.example.com"))
    m.opt(ext_rcode=1)  # BADVERS: rcode 16 (RFC 6891 6.1.3)
    s["r_ns_badvers"] = m.wire()
    s["r_servfail_noq"] = struct.pack(">HHHHHH", 0xabcd, 0x8182, 0, 0, 0, 0)
    m = Msg(0xbcde, 0x2000)  # NOTIFY? opcode 4 is 0x2000
    m.question("example.com", 6)
    s["notify"] = m.wire()
    # Malformed on purpose.
    s["short"] = b"\x12\x34\x01\x00\x00"
    w = bytearray(struct.pack(">HHHHHH", 1, 0x0100, 1, 0, 0, 0))
    w += b"\xc0\x20\x00\x01\x00\x01"  # pointer forwards (RFC 1035 4.1.4: prior occurrence)
    s["bad_pointer_forward"] = bytes(w)
    w = bytearray(struct.pack(">HHHHHH", 2, 0x0100, 1, 0, 0, 0))
    w += b"\x01a\xc0\x0c\x00\x01\x00\x01"  # points at itself
    s["pointer_loop"] = bytes(w)
    w = bytearray(struct.pack(">HHHHHH", 3, 0x0100, 1, 0, 0, 0))
    w += b"\x40" + b"x" * 64 + b"\x00\x00\x01\x00\x01"
    s["label_64"] = bytes(w)
    w = bytearray(struct.pack(">HHHHHH", 4, 0x0100, 1, 0, 0, 0))
    w += (b"\x3f" + b"y" * 63) * 5 + b"\x00\x00\x01\x00\x01"
    s["name_too_long"] = bytes(w)
    w = bytearray(struct.pack(">HHHHHH", 5, 0x0100, 1, 0, 0, 0))
    w += b"\x81x\x00\x00\x01\x00\x01"  # label type 10
    s["label_type_10"] = bytes(w)
    s["r_a_cut_in_rdata"] = resp_a()[:-16]
    s["r_a_counts_lie"] = resp_a()[:4] + b"\x00\x01\x00\x09" + resp_a()[8:]
    m = Msg(0xcdef, 0x0100)
    m.question("x.example.com", 1)
    m.opt()
    m.opt(do=True)
    s["two_opt"] = m.wire()
    m = Msg(0xcdf0, 0x0100)
    m.question("x.example.com", 1)
    m.body += b"\0" + struct.pack(">HHIH", 41, 512, 0, 9) + struct.pack(">HH", 8, 5) + b"\x00\x01\x21\x00\x01"
    m.hdr[5] += 1
    s["ecs_bad_prefix"] = m.wire()
    s["trailing"] = query(0x0003, "t.example.com", 1) + b"\xde\xad\xbe\xef"
    m = Msg(0x0004, 0x8180)
    m.question("example.com", 1)
    m.rr(0, "example.com", 1, 60, b"\x01\x02\x03")  # A with 3 bytes
    m.rr(0, "example.com", 28, 60, b"\x20\x01")  # AAAA with 2 bytes
    s["bad_rdata_len"] = m.wire()
    return s

# ---------------------------------------------------------------- L2-L4


def csum(data):
    if len(data) % 2:
        data += b"\0"
    t = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while t >> 16:
        t = (t & 0xFFFF) + (t >> 16)
    return (~t) & 0xFFFF


def ipv4(src, dst, proto, payload, ident=1, frag=0, mf=False, ttl=64, options=b""):
    # RFC 791 3.1
    ihl = 5 + len(options) // 4
    flags_off = (0x2000 if mf else 0) | (frag // 8)
    h = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(payload), ident, flags_off,
                    ttl, proto, 0, ip4(src), ip4(dst)) + options
    h = h[:10] + struct.pack(">H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, hlim=64, ext=b""):
    # RFC 8200 3
    return struct.pack(">IHBB16s16s", 0x60000000, len(ext) + len(payload), nh, hlim,
                       ip6(src), ip6(dst)) + ext + payload


def udp(sport, dport, payload, src=None, dst=None, v6=False):
    # RFC 768; the checksum is computed for IPv6 where it is mandatory (RFC 8200 8.1)
    length = 8 + len(payload)
    h = struct.pack(">HHHH", sport, dport, length, 0)
    if v6:
        ph = ip6(src) + ip6(dst) + struct.pack(">IxxxB", length, 17)
        c = csum(ph + h + payload) or 0xFFFF
        h = h[:6] + struct.pack(">H", c)
    return h + payload


SYN, ACK, PSH, FIN, RST = 0x02, 0x10, 0x08, 0x01, 0x04


def tcp(sport, dport, seq, ack, flags, payload=b""):
    # RFC 9293 3.1; checksum left zero (decoders do not verify it)
    return struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload


def eth(payload, etype=None, vlan=None):
    if etype is None:
        etype = 0x86DD if payload[0] >> 4 == 6 else 0x0800
    h = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01"
    if vlan is not None:
        h += struct.pack(">HH", 0x8100, vlan)
    return h + struct.pack(">H", etype) + payload


C4, S4 = "192.0.2.10", "192.0.2.53"
C6, S6 = "2001:db8::10", "2001:db8::53"


def u4(sport, dport, dns, src=C4, dst=S4, **kw):
    return ipv4(src, dst, 17, udp(sport, dport, dns), **kw)


def u6(sport, dport, dns, src=C6, dst=S6):
    return ipv6(src, dst, 17, udp(sport, dport, dns, src, dst, True))


def tcp_conv(q, r, v6=False, split=None):
    """A whole TCP DNS exchange (RFC 7766), as IP packets."""
    ip = (lambda s, d, p: ipv6(s, d, 6, p)) if v6 else (lambda s, d, p: ipv4(s, d, 6, p))
    c, s = (C6, S6) if v6 else (C4, S4)
    cs, ss = 1000, 5000
    qm = struct.pack(">H", len(q)) + q
    rm = struct.pack(">H", len(r)) + r
    pk = [ip(c, s, tcp(40000, 53, cs, 0, SYN)),
          ip(s, c, tcp(53, 40000, ss, cs + 1, SYN | ACK)),
          ip(c, s, tcp(40000, 53, cs + 1, ss + 1, ACK))]
    if split:
        pk.append(ip(c, s, tcp(40000, 53, cs + 1, ss + 1, ACK | PSH, qm[:split])))
        pk.append(ip(c, s, tcp(40000, 53, cs + 1 + split, ss + 1, ACK | PSH, qm[split:])))
    else:
        pk.append(ip(c, s, tcp(40000, 53, cs + 1, ss + 1, ACK | PSH, qm)))
    pk.append(ip(s, c, tcp(53, 40000, ss + 1, cs + 1 + len(qm), ACK | PSH, rm)))
    pk.append(ip(c, s, tcp(40000, 53, cs + 1 + len(qm), ss + 1 + len(rm), FIN | ACK)))
    pk.append(ip(s, c, tcp(53, 40000, ss + 1 + len(rm), cs + 2 + len(qm), FIN | ACK)))
    return pk


def frag4(dns, mtu_payload=552, ident=0x77, order=None):
    u = udp(53, 40001, dns)
    pieces = []
    off = 0
    while off < len(u):
        chunk = u[off:off + mtu_payload]
        pieces.append(ipv4(S4, C4, 17, chunk, ident=ident, frag=off, mf=off + len(chunk) < len(u)))
        off += len(chunk)
    if order:
        pieces = [pieces[i] for i in order]
    return pieces


def frag6(dns, chunk_size=552, ident=0x12345678):
    u = udp(53, 40002, dns, S6, C6, True)
    pieces = []
    off = 0
    while off < len(u):
        chunk = u[off:off + chunk_size]
        more = off + len(chunk) < len(u)
        fh = struct.pack(">BBHI", 17, 0, off | (1 if more else 0), ident)  # RFC 8200 4.5
        pieces.append(ipv6(S6, C6, 44, chunk, ext=fh))
        off += len(chunk)
    return pieces


# Link headers for the fuzz_net selector (index into LINKTYPES in fuzz_net.c).
def l2(idx, ippkt):
    v6 = (ippkt[0] >> 4) == 6
    if idx == 0:  # NULL: host-order (we write little-endian) address family
        return struct.pack("<I", 30 if v6 else 2) + ippkt
    if idx == 1:
        return eth(ippkt, 0x86DD if v6 else 0x0800)
    if idx in (2, 3, 4, 7, 8):
        return ippkt
    if idx == 5:  # LOOP: network order
        return struct.pack(">I", 30 if v6 else 2) + ippkt
    if idx == 6:  # LINUX_SLL
        return struct.pack(">HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\x01\0\0",
                           0x86DD if v6 else 0x0800) + ippkt
    if idx == 9:  # LINUX_SLL2
        return struct.pack(">HHIHBB8s", 0x86DD if v6 else 0x0800, 0, 2, 1, 0, 6,
                           b"\x02\0\0\0\0\x01\0\0") + ippkt
    raise ValueError(idx)


def net_input(sel, frames, steps=None):
    out = bytearray([sel])
    for i, f in enumerate(frames):
        step = steps[i] if steps else 1
        out += struct.pack(">HBB", len(f), step, 0) + f
    return bytes(out)


def net_seeds():
    s = {}
    q = query(0x1234, "www.example.com", 1)
    r = resp_a()
    q6 = query(0x2345, "www.example.com", 28)
    names = ["null", "en10mb", "raw", "raw14", "linktype_raw", "loop", "sll", "ipv4", "ipv6",
             "sll2"]
    for idx, nm in enumerate(names):
        if nm == "ipv6":
            pk = [u6(40000, 53, q6), u6(53, 40000, r)]
        elif nm == "ipv4":
            pk = [u4(40000, 53, q), u4(53, 40000, r, src=S4, dst=C4)]
        else:
            pk = [u4(40000, 53, q), u4(53, 40000, r, src=S4, dst=C4), u6(40001, 53, q6)]
        s["udp_" + nm] = net_input(idx, [l2(idx, p) for p in pk])
    s["eth_vlan"] = net_input(1, [eth(u4(40000, 53, q), 0x0800, vlan=100),
                                  eth(u6(40000, 53, q6), 0x86DD, vlan=200)])
    s["eth_arp"] = net_input(1, [eth(b"\x00\x01\x08\x00\x06\x04\x00\x01" + b"\0" * 20, 0x0806)])
    s["eth_ip4_options"] = net_input(1, [eth(u4(40000, 53, q, options=b"\x94\x04\x00\x00"))])
    s["eth_tcp4"] = net_input(1, [eth(p) for p in tcp_conv(q, r)])
    s["eth_tcp4_split_prefix"] = net_input(1, [eth(p) for p in tcp_conv(q, r, split=1)])
    s["eth_tcp6_split"] = net_input(1, [eth(p, 0x86DD) for p in tcp_conv(q6, r, v6=True,
                                                                           split=9)])
    pk = tcp_conv(q, r)
    s["eth_tcp4_reordered"] = net_input(1, [eth(p) for p in pk[:3] + [pk[4], pk[3]] + pk[5:]])
    s["eth_tcp4_midstream"] = net_input(1, [eth(p) for p in pk[3:5]])
    # Two pipelined queries in one segment (RFC 7766 6.2.1.1).
    two = struct.pack(">H", len(q)) + q + struct.pack(">H", len(q6)) + q6
    s["eth_tcp4_pipelined"] = net_input(1, [eth(p) for p in pk[:3]] + [
        eth(ipv4(C4, S4, 6, tcp(40000, 53, 1001, 5001, ACK | PSH, two)))])
    big = resp_big()
    s["eth_frag4"] = net_input(1, [eth(u4(40001, 53, query(0x4321, "big.example.com", 16)))] +
                               [eth(p) for p in frag4(big)])
    s["eth_frag4_reverse"] = net_input(1, [eth(p) for p in frag4(big)[::-1]])
    s["eth_frag6"] = net_input(1, [eth(p, 0x86DD) for p in frag6(big)])
    hbh = struct.pack(">BB", 17, 0) + b"\x01\x04\0\0\0\0"  # hop-by-hop, PadN (RFC 8200 4.3)
    s["eth_ip6_hopbyhop"] = net_input(1, [eth(ipv6(C6, S6, 0, udp(40000, 53, q6, C6, S6, True),
                                                  ext=hbh), 0x86DD)])
    # Tiny caps and timeouts (selector bit 7): three datagrams under reassembly at once,
    # and one that times out.
    fr = frag4(big, ident=1) + frag4(big, ident=2) + frag4(big, ident=3)
    order = [0, 3, 6, 1, 4, 7, 2, 5, 8]
    s["caps_frag4"] = net_input(0x81, [eth(fr[i]) for i in order], steps=[1, 1, 1, 1, 20, 1, 1,
                                                                         1, 1])
    s["caps_tcp_timeout"] = net_input(0x81, [eth(p) for p in pk], steps=[1, 1, 1, 1, 40, 1, 1])
    s["port5353"] = net_input(0x41, [eth(u4(5353, 5353, q))])
    return s

# ---------------------------------------------------------------- text logs


BIND = (b"27-Nov-2025 02:00:00.123 queries: info: client @0x7f1c2c0a1b30 192.0.2.10#53124 "
        b"(www.example.com): query: www.example.com IN A +E(0)K (192.0.2.53)\n"
        b"27-Nov-2025 02:00:01.500 client @0x7f1c2c0a1b30 2001:db8::10#40000 (mail.example.org): "
        b"view internal: query: mail.example.org IN AAAA -EDC (2001:db8::53)\n"
        b"27-Nov-2025 02:00:02.000 queries: info: client 192.0.2.11#1024: query: example.net IN MX +\n")

ZEEK_FIELDS = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
               "trans_id", "rtt", "query", "qclass", "qclass_name", "qtype", "qtype_name",
               "rcode", "rcode_name", "AA", "TC", "RD", "RA", "Z", "answers", "TTLs", "rejected"]
ZEEK_TYPES = ["time", "string", "addr", "port", "addr", "port", "enum", "count", "interval",
              "string", "count", "string", "count", "string", "count", "string", "bool", "bool",
              "bool", "bool", "count", "vector[string]", "vector[interval]", "bool"]


def zeek_tsv():
    h = ("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
         "#path\tdns\n#open\t2025-11-27-02-00-00\n#fields\t" + "\t".join(ZEEK_FIELDS) +
         "\n#types\t" + "\t".join(ZEEK_TYPES) + "\n")
    rows = [
        ["1764208800.123456", "CHhAvVGS1DHFjwGM9", C4, "53124", S4, "53", "udp", "4711",
         "0.012345", "www.example.com", "1", "C_INTERNET", "1", "A", "0", "NOERROR", "F", "F",
         "T", "T", "0", "192.0.2.80,192.0.2.81", "300.000000,300.000000", "F"],
        ["1764208801.000000", "CX", C6, "40000", S6, "53", "udp", "1", "-", "nope.example.com",
         "1", "C_INTERNET", "28", "AAAA", "3", "NXDOMAIN", "F", "F", "T", "T", "0", "-", "-",
         "F"],
        ["1764208802.000000", "CY", C4, "1024", S4, "53", "tcp", "2", "-", "example.net", "-",
         "-", "-", "-", "-", "-", "F", "F", "T", "F", "0", "(empty)", "(empty)", "T"],
    ]
    return (h + "".join("\t".join(r) + "\n" for r in rows) + "#close\t2025-11-27-03-00-00\n").encode()


ZEEK_JSON = (b'{"ts":1764208800.123456,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"192.0.2.10",'
             b'"id.orig_p":53124,"id.resp_h":"192.0.2.53","id.resp_p":53,"proto":"udp",'
             b'"trans_id":4711,"rtt":0.012345,"query":"www.example.com","qclass":1,'
             b'"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,'
             b'"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,'
             b'"answers":["192.0.2.80","192.0.2.81"],"TTLs":[300.0,300.0],"rejected":false}\n'
             b'{"ts":"2025-11-27T02:00:01.000000Z","uid":"CX","id.orig_h":"2001:db8::10",'
             b'"id.orig_p":40000,"id.resp_h":"2001:db8::53","id.resp_p":53,"proto":"udp",'
             b'"trans_id":1,"query":"nope.example.com","qtype_name":"AAAA","rcode":3,'
             b'"rcode_name":"NXDOMAIN","RD":true}\n'
             b'{"ts":1764208802.5,"id.orig_h":"192.0.2.11","query":"caf\\u00e9.example",'
             b'"answers":[]}\n')


def generic(sep):
    cols = ["ts", "client", "client_port", "server", "server_port", "transport", "id", "qname",
            "qtype", "rcode", "answers", "ttl", "rtt"]
    rows = [["2025-11-27T02:00:00.123456Z", C4, "53124", S4, "53", "udp", "4711",
             "www.example.com", "A", "NOERROR", "192.0.2.80", "300", "0.0123"],
            ["1764208801", C6, "40000", S6, "53", "tcp", "1", "nope.example.com", "AAAA",
             "NXDOMAIN", "", "", ""],
            ["2025-11-27 02:00:02", "192.0.2.11", "", "", "", "", "", "example.net", "MX",
             "", "", "", ""]]
    body = sep.join(cols) + "\n" + "".join(sep.join(r) + "\n" for r in rows)
    if sep == ",":
        body += '2025-11-27T02:00:03Z,192.0.2.12,1,192.0.2.53,53,udp,9,"q,uoted.example",TXT,NOERROR,"a ""b""",60,\n'
    return body.encode()


def textlog_seeds():
    s = {}
    s["bind"] = b"\x01" + BIND
    s["zeek_tsv"] = b"\x02" + zeek_tsv()
    s["zeek_json"] = b"\x03" + ZEEK_JSON
    s["csv"] = b"\x04" + generic(",")
    s["tsv"] = b"\x05" + generic("\t")
    s["sniff_bind"] = b"\x00" + BIND
    s["sniff_zeek_tsv"] = b"\x00" + zeek_tsv()
    s["sniff_csv"] = b"\x00" + generic(",")
    s["all_formats_crlf"] = b"\x40" + BIND.replace(b"\n", b"\r\n")
    s["short_lines_zeek_json"] = b"\x83" + ZEEK_JSON
    s["bind_garbage"] = (b"\x01" + b"27-Nov-2025 25:61:00.000 client 999.1.1.1#99999 (x): query: "
                         b"\xff\xfe\x01 IN TYPE99999 +\nno timestamp here\n\n" +
                         b"27-Nov-2025 02:00:00.000 client 192.0.2.1#1: query: a" * 3)
    return s

# ---------------------------------------------------------------- capture files


def pcap(frames, linktype=1, be=False, nsec=False, snaplen=65535):
    e = ">" if be else "<"
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    out = bytearray(struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
    t = 1764208800
    for i, f in enumerate(frames):
        out += struct.pack(e + "IIII", t + i, 123456 if not nsec else 123456789, len(f), len(f))
        out += f
    return bytes(out)


def pcapng(frames_by_if):
    """frames_by_if: list of (linktype, [frames]); one IDB per entry (pcapng draft, 4.1-4.3)."""
    def block(btype, body):
        pad = (-len(body)) % 4
        tot = 12 + len(body) + pad
        return struct.pack("<II", btype, tot) + body + b"\0" * pad + struct.pack("<I", tot)
    out = bytearray(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
    for lt, _ in frames_by_if:
        # if_tsresol option (9) = 6 (microseconds), then opt_endofopt
        opts = struct.pack("<HHB3x", 9, 1, 6) + struct.pack("<HH", 0, 0)
        out += block(1, struct.pack("<HHI", lt, 0, 65535) + opts)
    ts = 1764208800 * 1000000
    for ifid, (lt, frames) in enumerate(frames_by_if):
        for f in frames:
            ts += 1000
            body = struct.pack("<IIIII", ifid, ts >> 32, ts & 0xFFFFFFFF, len(f), len(f)) + f
            body += b"\0" * ((-len(f)) % 4)
            out += block(6, body)
    return bytes(out)


def pcap_seeds():
    s = {}
    q = query(0x1234, "www.example.com", 1)
    r = resp_a()
    frames = [eth(u4(40000, 53, q)), eth(u4(53, 40000, r, src=S4, dst=C4)),
              eth(u6(40001, 53, query(0x2345, "www.example.com", 28)))]
    s["eth_le.pcap"] = pcap(frames)
    s["eth_be.pcap"] = pcap(frames, be=True)
    s["eth_nsec.pcap"] = pcap(frames, nsec=True)
    s["raw.pcap"] = pcap([u4(40000, 53, q), u4(53, 40000, r, src=S4, dst=C4)], linktype=101)
    s["sll2.pcap"] = pcap([l2(9, u4(40000, 53, q))], linktype=276)
    s["tcp.pcap"] = pcap([eth(p) for p in tcp_conv(q, r, split=5)])
    s["frag.pcap"] = pcap([eth(p) for p in frag4(resp_big())])
    s["truncated.pcap"] = pcap(frames)[:-20]
    s["unsupported_linktype.pcap"] = pcap([b"\x00" * 30], linktype=147)
    s["eth.pcap.gz"] = gzip.compress(pcap(frames), mtime=0)
    s["two_ifs.pcapng"] = pcapng([(1, frames), (101, [u4(40000, 53, q)])])
    s["bind.log"] = BIND
    s["zeek.json"] = ZEEK_JSON
    s["zeek.log"] = zeek_tsv()
    s["passive.csv"] = generic(",")
    return s


def write(target, seeds):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):
        os.unlink(os.path.join(d, name))
    for name, data in sorted(seeds.items()):
        if "." not in name:
            name += ".bin"
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print("%s: %d seeds" % (target, len(seeds)), file=sys.stderr)


def main():
    write("dns", dns_seeds())
    write("net", net_seeds())
    write("textlog", textlog_seeds())
    write("pcap", pcap_seeds())


if __name__ == "__main__":
    main()
