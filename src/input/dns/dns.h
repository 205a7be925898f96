/* dns.h - DNS message decoding (the one file that includes ldns). */
#ifndef TL_INPUT_DNS_DNS_H
#define TL_INPUT_DNS_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "input/anomaly.h"
#include "input/record.h"
#include "util/arena.h"

/* Decodes the message msg[0..len) into the DNS fields of rec (id, qr, opcode,
 * rcode, flags, question, sections, EDNS, counts, known bits, partial); leaves
 * ts, addresses, ports, transport, file and pos alone. Strings and arrays are
 * allocated in arena. Malformed parts are counted in an at pos; what was read
 * safely before the fault is kept (rec->partial = 1).
 * Returns TL_OK when rec holds at least a header, TL_EFORMAT when nothing
 * usable could be read (the anomaly is counted either way). */
int tl_dns_decode(const uint8_t *msg, size_t len, tl_record_t *rec, tl_arena_t *arena,
		  tl_anomalies_t *an, uint64_t pos);

/* Version string of the ldns library in use. */
const char *tl_dns_ldns_version(void);

#endif
