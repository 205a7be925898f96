/* test_textlog.c - BIND, Zeek TSV/JSON and generic CSV/TSV log readers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/log/textlog.h"
#include "util/error.h"
#include "util/time.h"

/* 2016-05-04T13:00:01Z */
#define T13 INT64_C(1462366801000000)

/* What a callback saw, copied out because records die with the callback. */
#define MAXREC 32
#define MAXANS 8
typedef struct got {
	tl_record_t r;
	char qname[1100];
	int has_qname;
	char ans_name[MAXANS][1100];
	char ans_data[MAXANS][256];
	uint16_t ans_type[MAXANS];
	uint16_t ans_class[MAXANS];
	int64_t ans_ttl[MAXANS];
	int has_edns;
	tl_edns_t edns;
	uint16_t opt[4];
} got_t;

static got_t recs[MAXREC];
static size_t nrec;
static tl_anomalies_t an;
static tl_textlog_stats_t st;

static void collect(const tl_record_t *r, void *ud)
{
	(void)ud;
	assert_true(nrec < MAXREC);
	got_t *g = &recs[nrec++];
	memset(g, 0, sizeof(*g));
	g->r = *r;
	if (r->qname) {
		assert_true(strlen(r->qname) < sizeof(g->qname));
		strcpy(g->qname, r->qname);
		g->has_qname = 1;
	}
	assert_true(r->n_answers <= MAXANS);
	assert_true(r->n_answers == 0 || r->answers != NULL);
	for (size_t i = 0; i < r->n_answers; i++) {
		strcpy(g->ans_name[i], r->answers[i].name);
		assert_true(strlen(r->answers[i].data) < sizeof(g->ans_data[i]));
		strcpy(g->ans_data[i], r->answers[i].data);
		g->ans_type[i] = r->answers[i].type;
		g->ans_class[i] = r->answers[i].rclass;
		g->ans_ttl[i] = r->answers[i].ttl;
	}
	if (r->edns) {
		g->has_edns = 1;
		g->edns = *r->edns;
		assert_true(r->edns->n_options <= 4);
		for (size_t i = 0; i < r->edns->n_options; i++)
			g->opt[i] = r->edns->option_codes[i];
	}
	/* pointers are not valid after the callback */
	g->r.qname = NULL;
	g->r.answers = NULL;
	g->r.edns = NULL;
}

static int run_n(tl_textlog_format_t fmt, const char *text, size_t len, size_t max_line)
{
	nrec = 0;
	memset(&an, 0, sizeof(an));
	memset(&st, 0xab, sizeof(st));
	FILE *f = fmemopen((void *)(uintptr_t)text, len, "r");
	assert_non_null(f);
	int rc = tl_textlog_read(f, fmt, 7, max_line, &an, &st, collect, NULL);
	fclose(f);
	return rc;
}

static int run(tl_textlog_format_t fmt, const char *text)
{
	return run_n(fmt, text, strlen(text), 0);
}

/* Exactly these anomalies and no others: kind, count, and first positions. */
static void expect_an(tl_anomaly_kind_t kind, uint64_t count, const uint64_t *pos)
{
	assert_int_equal(an.count[kind], count);
	for (uint64_t i = 0; i < count && i < TL_AN_FIRST_MAX; i++)
		assert_int_equal(an.first[kind][i], pos[i]);
}

static void expect_total(uint64_t n)
{
	assert_int_equal(tl_anomaly_total(&an), n);
}

static void addr_is(const tl_addr_t *a, const char *text)
{
	char out[TL_ADDR_STR_LEN];
	tl_addr_t want;
	assert_int_equal(tl_addr_parse(text, strlen(text), &want), TL_OK);
	if (!tl_addr_equal(a, &want)) {
		tl_addr_format(a, out);
		fail_msg("address %s, want %s", out, text);
	}
}

/* ---------------- BIND ---------------- */

static void test_bind_full(void **state)
{
	(void)state;
	const char *log = "04-May-2016 13:00:01.123 queries: info: client @0x7f0a2c0b1e10 "
			  "192.0.2.7#53124 (mail1.brand-email.example): query: "
			  "mail1.brand-email.example IN A -E(0)DC (198.51.100.53)\n";
	assert_int_equal(run(TL_TEXT_BIND, log), TL_OK);
	expect_total(0);
	assert_int_equal(nrec, 1);
	const tl_record_t *r = &recs[0].r;
	assert_int_equal(r->ts, T13 + 123000);
	addr_is(&r->src, "192.0.2.7");
	addr_is(&r->dst, "198.51.100.53");
	assert_int_equal(r->sport, 53124);
	assert_int_equal(r->transport, TL_TRANSPORT_UDP);
	assert_int_equal(r->qr, 0);
	assert_int_equal(r->known, TL_KNOWN_QR | TL_KNOWN_SPORT | TL_KNOWN_EDNS);
	assert_string_equal(recs[0].qname, "mail1.brand-email.example.");
	assert_int_equal(r->qtype, 1);
	assert_int_equal(r->qclass, 1);
	assert_int_equal(r->flags, TL_FLAG_CD); /* '-': RD clear; C: CD */
	assert_true(recs[0].has_edns);
	assert_int_equal(recs[0].edns.version, 0);
	assert_int_equal(recs[0].edns.do_bit, 1);
	assert_int_equal(recs[0].edns.udp_size, 0);
	assert_int_equal(recs[0].edns.n_options, 0);
	assert_int_equal(r->file, 7);
	assert_int_equal(r->pos, 1);
	assert_int_equal(r->latency_us, -1);
	assert_int_equal(st.lines, 1);
	assert_int_equal(st.first_ts, T13 + 123000);
	assert_int_equal(st.last_ts, T13 + 123000);
}

static void test_bind_variants(void **state)
{
	(void)state;
	const char *log =
		/* 1: no date, no category, no pointer, IPv6, TCP, case kept */
		"client 2001:db8::5#5353 (Example.COM): query: Example.COM IN AAAA +T "
		"(2001:db8::53)\n"
		/* 2: BIND 9.9 style: "addr#port:" and no server address */
		"04-May-2016 13:00:02.000 client 192.0.2.8#1024: query: example.org IN MX +\n"
		/* 3: comment and blank lines are fine */
		"# a comment\n"
		"\n"
		/* 5: pointer, view, cookie, signed, EDNS version 1, CRLF */
		"29-Feb-2016 23:59:59.999 queries: info: client @0x7f0a2c0b1e10 "
		"198.51.100.9#65535 (x.test): view internal: query: x.test CH TXT +SE(1)K "
		"(192.0.2.53)\r\n"
		/* 6: ISO time (print-time iso8601-utc), root name, no E */
		"2016-05-04T13:00:01.5Z client @0x1 192.0.2.7#53 (.): query: . IN NS - "
		"(192.0.2.53)\n"
		/* 7: E without a version (old BIND) */
		"04-May-2016 13:00:03.000 client 192.0.2.9#5000: query: a.example IN TYPE65280 "
		"+E\n";
	assert_int_equal(run(TL_TEXT_BIND, log), TL_OK);
	expect_total(0);
	assert_int_equal(nrec, 5);
	assert_int_equal(st.lines, 7);

	const tl_record_t *r = &recs[0].r;
	assert_int_equal(r->ts, TL_TIME_NONE);
	addr_is(&r->src, "2001:db8::5");
	addr_is(&r->dst, "2001:db8::53");
	assert_int_equal(r->sport, 5353);
	assert_int_equal(r->transport, TL_TRANSPORT_TCP);
	assert_int_equal(r->flags, TL_FLAG_RD);
	assert_string_equal(recs[0].qname, "Example.COM.");
	assert_int_equal(r->qtype, 28);
	assert_false(recs[0].has_edns);
	assert_true(r->known & TL_KNOWN_EDNS); /* no E: known to have no OPT */
	assert_int_equal(r->pos, 1);

	r = &recs[1].r;
	assert_int_equal(r->ts, T13 + 1000000);
	assert_int_equal(r->dst.family, 0);
	assert_int_equal(r->qtype, 15);
	assert_int_equal(r->pos, 2);

	r = &recs[2].r;
	assert_int_equal(r->ts, INT64_C(1456790399999000)); /* 2016-02-29T23:59:59.999Z */
	assert_int_equal(r->sport, 65535);
	assert_int_equal(r->qclass, 3);
	assert_int_equal(r->qtype, 16);
	assert_int_equal(r->flags, TL_FLAG_RD);
	assert_true(recs[2].has_edns);
	assert_int_equal(recs[2].edns.version, 1);
	assert_int_equal(recs[2].edns.do_bit, 0);
	assert_int_equal(recs[2].edns.n_options, 1);
	assert_int_equal(recs[2].opt[0], 10);
	assert_int_equal(r->pos, 5);

	r = &recs[3].r;
	assert_int_equal(r->ts, T13 + 500000);
	assert_string_equal(recs[3].qname, ".");
	assert_int_equal(r->qtype, 2);
	assert_int_equal(r->flags, 0);
	assert_false(recs[3].has_edns);
	assert_int_equal(r->pos, 6);

	r = &recs[4].r;
	assert_true(recs[4].has_edns);
	assert_int_equal(recs[4].edns.version, 0);
	assert_int_equal(r->qtype, 65280);
	assert_int_equal(r->pos, 7);

	/* ISO and DD-Mon-YYYY times: min and max over the file */
	assert_int_equal(st.first_ts, INT64_C(1456790399999000));
	assert_int_equal(st.last_ts, T13 + 2000000);
}

static void test_bind_bad_lines(void **state)
{
	(void)state;
	const char *tail = " client 192.0.2.7#53 (a.test): query: a.test IN A + (192.0.2.53)\n";
	char log[4096];
	snprintf(log, sizeof(log),
		 "30-Feb-2016 13:00:01.000%s"                                            /* 1 */
		 "04-Foo-2016 13:00:01.000%s"                                            /* 2 */
		 "04-May-2016 25:00:01.000%s"                                            /* 3 */
		 "04-May-2016 13:00:01.000 client 192.0.2.300#53: query: a IN A +\n"     /* 4 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a IN A + (x)\n"   /* 5 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#70000: query: a IN A +\n"    /* 6 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a..b IN A +\n"    /* 7 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a IN BOGUS +\n"   /* 8 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a IN A +Q\n"      /* 9 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a IN A +E(256)\n" /* 10 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: denied\n"                /* 11 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7: query: a IN A +\n"          /* 12 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a IN A + (1) x\n" /* 13 */
		 "May  4 13:00:01 ns1 named[1]: client 192.0.2.7#53: query: a IN A +\n"  /* 14 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a IN A\n"         /* 15 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a IN A X+\n"      /* 16 */
		 "04-May-2016 13:00:01.000 client 192.0.2.7#53: query: a BOGUS A +\n"    /* 17 */
		 "04-May-2016 13:00:01.000%s",                                           /* 18 */
		 tail, tail, tail, tail);
	assert_int_equal(run(TL_TEXT_BIND, log), TL_OK);
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].r.pos, 18);
	expect_an(TL_AN_BAD_TIMESTAMP, 3, (const uint64_t[]){1, 2, 3});
	expect_an(TL_AN_BAD_ADDRESS, 2, (const uint64_t[]){4, 5});
	expect_an(TL_AN_BAD_NAME, 1, (const uint64_t[]){7});
	expect_an(TL_AN_BAD_FIELD, 6, (const uint64_t[]){6, 8, 9, 10, 16});
	assert_int_equal(an.first[TL_AN_BAD_FIELD][4], 16);
	expect_an(TL_AN_LINE_UNPARSABLE, 5, (const uint64_t[]){11, 12, 13, 14, 15});
	expect_total(17);
}

static void test_bind_names(void **state)
{
	(void)state;
	char label63[64], label64[65];
	memset(label63, 'a', 63);
	label63[63] = 0;
	memset(label64, 'b', 64);
	label64[64] = 0;
	/* 4 labels of 63 = 4 * 64 + 1 = 257 octets: too long; 3 of 63 + "x" = 195 ok */
	char log[8192];
	snprintf(log, sizeof(log),
		 "client 192.0.2.1#1: query: %s.example IN A +\n"
		 "client 192.0.2.1#1: query: %s.example IN A +\n"
		 "client 192.0.2.1#1: query: %s.%s.%s.%s IN A +\n"
		 "client 192.0.2.1#1: query: %s.%s.%s.x IN A +\n"
		 "client 192.0.2.1#1: query: a\\032b\\.c\\\\d\\(e.example. IN A +\n"
		 "client 192.0.2.1#1: query: a\\256.example IN A +\n"
		 "client 192.0.2.1#1: query: a\\12 IN A +\n"
		 "client 192.0.2.1#1: query: .example IN A +\n"
		 "client 192.0.2.1#1: query: example.. IN A +\n"
		 "client 192.0.2.1#1: query: a\\x41b.example IN A +\n",
		 label63, label64, label63, label63, label63, label63, label63, label63, label63);
	assert_int_equal(run(TL_TEXT_BIND, log), TL_OK);
	assert_int_equal(nrec, 4);
	assert_int_equal(strlen(recs[0].qname), 63 + 9);
	assert_int_equal(recs[1].r.pos, 4);
	/* escapes normalised to the ldns style: \DDD for non-graphic, \c for specials */
	assert_string_equal(recs[2].qname, "a\\032b\\.c\\\\d\\(e.example.");
	/* outside Zeek logs "\x" is RFC 1035's "x" */
	assert_string_equal(recs[3].qname, "ax41b.example.");
	expect_an(TL_AN_BAD_NAME, 6, (const uint64_t[]){2, 3, 6, 7, 8});
	expect_total(6);
}

static void test_line_limits(void **state)
{
	(void)state;
	const char *good = "client 192.0.2.1#1: query: a.example IN A +"; /* 43 bytes */
	size_t gl = strlen(good);
	char log[1024];
	size_t n = 0;
	/* 1: exactly max_line (43) */
	n += (size_t)sprintf(log + n, "%s\n", good);
	/* 2: 44 bytes: too long */
	n += (size_t)sprintf(log + n, "%s \n", good);
	/* 3: 43 bytes + CR: fine */
	n += (size_t)sprintf(log + n, "%s\r\n", good);
	/* 4: very long line, longer than the reader's chunk is not needed: 300 bytes */
	for (int i = 0; i < 300; i++)
		log[n++] = 'z';
	log[n++] = '\n';
	/* 5: a raw NUL byte inside a name is kept (escaped), not a line end */
	memcpy(log + n, "client 192.0.2.1#1: query: a\0b IN A +\n", 38);
	n += 38;
	/* 6: last line without a newline */
	memcpy(log + n, good, gl);
	n += gl;
	assert_int_equal(run_n(TL_TEXT_BIND, log, n, gl), TL_OK);
	assert_int_equal(st.lines, 6);
	assert_int_equal(nrec, 4);
	assert_int_equal(recs[0].r.pos, 1);
	assert_int_equal(recs[1].r.pos, 3);
	assert_int_equal(recs[2].r.pos, 5);
	assert_string_equal(recs[2].qname, "a\\000b.");
	assert_int_equal(recs[3].r.pos, 6);
	expect_an(TL_AN_LINE_TOO_LONG, 2, (const uint64_t[]){2, 4});
	expect_total(2);
}

static void test_long_lines_default(void **state)
{
	(void)state;
	/* a 200 KB line across several read chunks with the default cap */
	size_t big = 200000;
	char *log = malloc(big + 200);
	assert_non_null(log);
	memset(log, 'q', big);
	log[big] = '\n';
	strcpy(log + big + 1, "client 192.0.2.1#1: query: a.example IN A +\n");
	assert_int_equal(run_n(TL_TEXT_BIND, log, strlen(log), 0), TL_OK);
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].r.pos, 2);
	expect_an(TL_AN_LINE_TOO_LONG, 1, (const uint64_t[]){1});
	expect_total(1);
	free(log);
}

static void test_empty_input(void **state)
{
	(void)state;
	assert_int_equal(run_n(TL_TEXT_BIND, "", 0, 0), TL_OK);
	assert_int_equal(st.lines, 0);
	assert_int_equal(nrec, 0);
	assert_int_equal(st.first_ts, TL_TIME_NONE);
	assert_int_equal(st.last_ts, TL_TIME_NONE);
	expect_total(0);
	FILE *f = fmemopen((void *)(uintptr_t) "x", 1, "r");
	assert_int_equal(tl_textlog_read(f, TL_TEXT_UNKNOWN, 0, 0, &an, &st, collect, NULL),
			 TL_EINVAL);
	fclose(f);
}

/* ---------------- Zeek TSV ---------------- */

#define ZEEK_HEAD                                                                            \
	"#separator \\x09\n"                                                                 \
	"#set_separator\t,\n"                                                                \
	"#empty_field\t(empty)\n"                                                            \
	"#unset_field\t-\n"                                                                  \
	"#path\tdns\n"                                                                       \
	"#open\t2016-05-04-13-00-00\n"                                                       \
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt" \
	"\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA" \
	"\tZ\tanswers\tTTLs\trejected\n"                                                     \
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount" \
	"\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount"              \
	"\tvector[string]\tvector[interval]\tbool\n"

static void test_zeek_tsv(void **state)
{
	(void)state;
	const char *log =
		ZEEK_HEAD
		/* 9: query and response, two answers */
		"1462366801.000000\tCabc\t192.0.2.7\t53124\t198.51.100.53\t53\tudp\t4242"
		"\t0.012345\tmail1.brand-email.example\t1\tC_INTERNET\t1\tA\t0\tNOERROR"
		"\tT\tF\tT\tT\t0\t192.0.2.1,192.0.2.2\t300.000000,299.900000\tF\n"
		/* 10: query only, no response seen */
		"1462366802.500000\tCdef\t2001:db8::5\t5353\t2001:db8::53\t53\ttcp\t7\t-"
		"\twww.example\t1\tC_INTERNET\t28\tAAAA\t-\t-\tF\tF\tT\tF\t0\t-\t-\tF\n"
		/* 11: NXDOMAIN without answers; Zeek escapes in the name */
		"1462366803.000000\tCghi\t192.0.2.7\t1024\t198.51.100.53\t53\tudp\t9\t0.5"
		"\tfoo\\x00bar\\x2eq.example\t1\tC_INTERNET\t16\tTXT\t3\tNXDOMAIN"
		"\tF\tF\tF\tT\t0\t-\t-\tF\n"
		/* 12: answers present but rcode unset; TXT rdata with an escaped comma */
		"1462366804.000000\tCjkl\t192.0.2.7\t1025\t198.51.100.53\t53\tudp\t10\t-"
		"\tt.example\t1\tC_INTERNET\t16\tTXT\t-\t-\tF\tF\tT\tT\t0\tTXT 3 a\\x2cb\\x01"
		"\t60.999999\tF\n"
		"#close\t2016-05-04-14-00-00\n";
	assert_int_equal(run(TL_TEXT_ZEEK_TSV, log), TL_OK);
	expect_total(0);
	assert_int_equal(st.lines, 13);
	assert_int_equal(nrec, 7);

	const tl_record_t *q = &recs[0].r, *r = &recs[1].r;
	assert_int_equal(q->ts, T13);
	assert_int_equal(q->qr, 0);
	addr_is(&q->src, "192.0.2.7");
	addr_is(&q->dst, "198.51.100.53");
	assert_int_equal(q->sport, 53124);
	assert_int_equal(q->dport, 53);
	assert_int_equal(q->id, 4242);
	assert_int_equal(q->transport, TL_TRANSPORT_UDP);
	assert_int_equal(q->known, TL_KNOWN_QR | TL_KNOWN_SPORT | TL_KNOWN_DPORT | TL_KNOWN_ID);
	assert_string_equal(recs[0].qname, "mail1.brand-email.example.");
	assert_int_equal(q->qtype, 1);
	assert_int_equal(q->qclass, 1);
	assert_int_equal(q->flags, TL_FLAG_RD);
	assert_int_equal(q->latency_us, -1);
	assert_int_equal(q->n_answers, 0);
	assert_int_equal(q->pos, 9);
	assert_int_equal(q->file, 7);

	assert_int_equal(r->qr, 1);
	assert_int_equal(r->ts, T13 + 12345);
	assert_int_equal(r->latency_us, 12345);
	addr_is(&r->src, "198.51.100.53");
	addr_is(&r->dst, "192.0.2.7");
	assert_int_equal(r->sport, 53);
	assert_int_equal(r->dport, 53124);
	assert_int_equal(r->id, 4242);
	assert_int_equal(r->rcode, 0);
	assert_int_equal(r->known, TL_KNOWN_QR | TL_KNOWN_SPORT | TL_KNOWN_DPORT | TL_KNOWN_ID |
					   TL_KNOWN_RCODE | TL_KNOWN_ANSWERS);
	assert_int_equal(r->flags, TL_FLAG_AA | TL_FLAG_RD | TL_FLAG_RA);
	assert_int_equal(r->n_answers, 2);
	assert_int_equal(r->ancount, 2);
	assert_string_equal(recs[1].ans_name[0], "mail1.brand-email.example.");
	assert_string_equal(recs[1].ans_data[0], "192.0.2.1");
	assert_string_equal(recs[1].ans_data[1], "192.0.2.2");
	assert_int_equal(recs[1].ans_type[0], TL_TYPE_UNKNOWN);
	assert_int_equal(recs[1].ans_class[0], 1);
	assert_int_equal(recs[1].ans_ttl[0], 300);
	assert_int_equal(recs[1].ans_ttl[1], 299); /* rounded down */
	assert_int_equal(r->pos, 9);

	q = &recs[2].r;
	assert_int_equal(q->ts, T13 + 1500000);
	assert_int_equal(q->transport, TL_TRANSPORT_TCP);
	addr_is(&q->src, "2001:db8::5");
	assert_int_equal(q->qtype, 28);
	assert_int_equal(q->pos, 10);

	q = &recs[3].r;
	r = &recs[4].r;
	assert_string_equal(recs[3].qname, "foo\\000bar\\.q.example.");
	assert_int_equal(q->flags, 0);
	assert_int_equal(r->rcode, 3);
	assert_int_equal(r->ts, T13 + 2500000);
	assert_int_equal(r->latency_us, 500000);
	assert_int_equal(r->n_answers, 0);
	assert_true(r->known & TL_KNOWN_ANSWERS);
	assert_int_equal(r->flags, TL_FLAG_RA);
	assert_int_equal(r->pos, 11);

	r = &recs[6].r;
	assert_int_equal(r->qr, 1);
	assert_false(r->known & TL_KNOWN_RCODE);
	assert_int_equal(r->latency_us, -1);
	assert_int_equal(r->ts, T13 + 3000000);
	assert_int_equal(r->n_answers, 1);
	assert_string_equal(recs[6].ans_data[0], "TXT 3 a,b\\001");
	assert_int_equal(recs[6].ans_ttl[0], 60);
	assert_int_equal(st.first_ts, T13);
	assert_int_equal(st.last_ts, T13 + 3000000);
}

static void test_zeek_tsv_bad(void **state)
{
	(void)state;
	const char *row = "\tC\t192.0.2.7\t1\t198.51.100.53\t53\tudp\t1\t-\ta.example\t1"
			  "\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1\t300.0\tF\n";
	char log[8192];
	snprintf(log, sizeof(log),
		 ZEEK_HEAD
		 "1462366801.0\tC\t192.0.2.7\n"                                   /* 9 */
		 "yesterday%s"                                                    /* 10 */
		 "-%s"                                                            /* 11 */
		 "1462366801.0\tC\t192.0.2.999\t1\t198.51.100.53\t53\tudp\t1\t-\ta.example\t1"
		 "\tC_INTERNET\t1\tA\t-\t-\tF\tF\tT\tT\t0\t-\t-\tF\n"              /* 12 */
		 "1462366801.0\tC\t192.0.2.7\t1\t198.51.100.53\t53\tudp\t1\t-\ta..example\t1"
		 "\tC_INTERNET\t1\tA\t-\t-\tF\tF\tT\tT\t0\t-\t-\tF\n"              /* 13 */
		 "1462366801.0\tC\t192.0.2.7\t1\t198.51.100.53\t53\tudp\t1\t-\ta.example\t1"
		 "\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1,192.0.2.2\t300.0\tF\n"
		 /* 14: TTLs do not pair with answers */
		 "1462366801.0\tC\t192.0.2.7\t99999\t198.51.100.53\t53\tudp\t1\t-\ta.example\t1"
		 "\tC_INTERNET\t1\tA\t-\t-\tF\tF\tT\tT\t0\t-\t-\tF\n"              /* 15 */
		 "1462366801.0\tC\t192.0.2.7\t1\t198.51.100.53\t53\tudp\t1\t-1\ta.example\t1"
		 "\tC_INTERNET\t1\tA\t-\t-\tF\tF\tT\tT\t0\t-\t-\tF\n"              /* 16 */
		 "1462366801.0\tC\t192.0.2.7\t1\t198.51.100.53\t53\tudp\t1\t-\ta.example\t1"
		 "\tC_INTERNET\t1\tA\t-\t-\tF\tF\tyes\tT\t0\t-\t-\tF\n"            /* 17 */
		 "1462366801.0%s",                                                /* 18 */
		 row, row, row);
	assert_int_equal(run(TL_TEXT_ZEEK_TSV, log), TL_OK);
	assert_int_equal(nrec, 2);
	assert_int_equal(recs[0].r.pos, 18);
	expect_an(TL_AN_LINE_UNPARSABLE, 1, (const uint64_t[]){9});
	expect_an(TL_AN_BAD_TIMESTAMP, 2, (const uint64_t[]){10, 11});
	expect_an(TL_AN_BAD_ADDRESS, 1, (const uint64_t[]){12});
	expect_an(TL_AN_BAD_NAME, 1, (const uint64_t[]){13});
	expect_an(TL_AN_BAD_FIELD, 4, (const uint64_t[]){14, 15, 16, 17});
	expect_total(9);
}

static void test_zeek_tsv_headers(void **state)
{
	(void)state;
	/* rows before #fields: one bad_header, no records; then a second block with a
	 * bad #fields (no query column); then a good block with fewer columns */
	const char *log = "#separator \\x09\n"
			  "1462366801.0\t192.0.2.7\t198.51.100.53\ta.example\n" /* 2 */
			  "1462366801.0\t192.0.2.7\t198.51.100.53\ta.example\n"
			  "#separator \\x09\n"
			  "#fields\tts\tid.orig_h\tid.resp_h\n" /* 5 */
			  "1462366801.0\t192.0.2.7\t198.51.100.53\n"
			  "#separator |\n"
			  "#unset_field|none\n"
			  "#fields|ts|id.orig_h|id.resp_h|query|rcode\n"
			  "1462366801.0|192.0.2.7|198.51.100.53|a.example|none\n" /* 10 */
			  "1462366801.0|192.0.2.7|198.51.100.53|none|2\n";        /* 11 */
	assert_int_equal(run(TL_TEXT_ZEEK_TSV, log), TL_OK);
	expect_an(TL_AN_BAD_HEADER, 2, (const uint64_t[]){2, 5});
	expect_total(2);
	assert_int_equal(nrec, 3);
	assert_int_equal(recs[0].r.pos, 10);
	assert_string_equal(recs[0].qname, "a.example.");
	assert_int_equal(recs[0].r.dport, 0);
	assert_false(recs[0].r.known & TL_KNOWN_DPORT);
	/* no question: qname NULL, response with SERVFAIL, answers unknown */
	assert_false(recs[1].has_qname);
	assert_int_equal(recs[1].r.qdcount, 0);
	assert_int_equal(recs[2].r.rcode, 2);
	assert_false(recs[2].r.known & TL_KNOWN_ANSWERS);
}

/* ---------------- Zeek JSON ---------------- */

static void test_zeek_json(void **state)
{
	(void)state;
	const char *log =
		"{\"ts\":1462366801.123456,\"uid\":\"C1\",\"id.orig_h\":\"192.0.2.7\","
		"\"id.orig_p\":53124,\"id.resp_h\":\"198.51.100.53\",\"id.resp_p\":53,"
		"\"proto\":\"udp\",\"trans_id\":4242,\"rtt\":0.0015,\"query\":\"mail1.example\","
		"\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":1,\"qtype_name\":\"A\","
		"\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":false,\"TC\":false,\"RD\":true,"
		"\"RA\":true,\"Z\":0,\"answers\":[\"192.0.2.1\",\"mail\\\\x09x.example\"],"
		"\"TTLs\":[300.0,59.5],\"rejected\":false}\n"
		"\n"
		/* 3: ISO ts, nested id, no response */
		"{\"ts\":\"2016-05-04T15:00:02+02:00\",\"id\":{\"orig_h\":\"2001:db8::5\","
		"\"orig_p\":5353,\"resp_h\":\"2001:db8::53\",\"resp_p\":53},\"proto\":\"tcp\","
		"\"query\":\"www.example\",\"qtype_name\":\"AAAA\",\"qclass_name\":\"C_CHAOS\"}\n"
		/* 4: not JSON */
		"{\"ts\":1462366801.0,\n"
		/* 5: no ts */
		"{\"id.orig_h\":\"192.0.2.7\",\"id.resp_h\":\"198.51.100.53\"}\n"
		/* 6: bad address */
		"{\"ts\":1462366801.0,\"id.orig_h\":\"192.0.2\",\"id.resp_h\":\"198.51.100.53\"}\n"
		/* 7: port as a string */
		"{\"ts\":1462366801.0,\"id.orig_h\":\"192.0.2.7\",\"id.resp_h\":\"198.51.100.53\","
		"\"id.orig_p\":\"53\"}\n"
		/* 8: bad name (\u0000 is escaped, but the empty label is not allowed) */
		"{\"ts\":1462366801.0,\"id.orig_h\":\"192.0.2.7\",\"id.resp_h\":\"198.51.100.53\","
		"\"query\":\"a..b\"}\n"
		/* 9: an array, not an object */
		"[1,2]\n"
		/* 10: NUL in a name, NXDOMAIN by name only, integer milliseconds ts */
		"{\"ts\":1462366801000,\"id.orig_h\":\"192.0.2.7\",\"id.resp_h\":\"198.51.100.53\","
		"\"query\":\"a\\u0000b.example\",\"rcode_name\":\"NXDOMAIN\"}\n"
		/* 11: TTLs without answers */
		"{\"ts\":1462366801.0,\"id.orig_h\":\"192.0.2.7\",\"id.resp_h\":\"198.51.100.53\","
		"\"TTLs\":[1.0]}\n";
	assert_int_equal(run(TL_TEXT_ZEEK_JSON, log), TL_OK);
	assert_int_equal(st.lines, 11);
	expect_an(TL_AN_LINE_UNPARSABLE, 2, (const uint64_t[]){4, 9});
	expect_an(TL_AN_BAD_TIMESTAMP, 1, (const uint64_t[]){5});
	expect_an(TL_AN_BAD_ADDRESS, 1, (const uint64_t[]){6});
	expect_an(TL_AN_BAD_NAME, 1, (const uint64_t[]){8});
	expect_an(TL_AN_BAD_FIELD, 2, (const uint64_t[]){7, 11});
	expect_total(7);
	assert_int_equal(nrec, 5);

	const tl_record_t *q = &recs[0].r, *r = &recs[1].r;
	assert_int_equal(q->ts, T13 + 123456);
	assert_int_equal(q->sport, 53124);
	assert_int_equal(q->id, 4242);
	assert_string_equal(recs[0].qname, "mail1.example.");
	assert_int_equal(r->ts, T13 + 123456 + 1500);
	assert_int_equal(r->latency_us, 1500);
	assert_int_equal(r->flags, TL_FLAG_RD | TL_FLAG_RA);
	assert_int_equal(r->n_answers, 2);
	assert_string_equal(recs[1].ans_data[1], "mail\\009x.example");
	assert_int_equal(recs[1].ans_ttl[0], 300);
	assert_int_equal(recs[1].ans_ttl[1], 59);

	q = &recs[2].r;
	assert_int_equal(q->ts, T13 + 1000000);
	addr_is(&q->src, "2001:db8::5");
	addr_is(&q->dst, "2001:db8::53");
	assert_int_equal(q->dport, 53);
	assert_int_equal(q->transport, TL_TRANSPORT_TCP);
	assert_int_equal(q->qtype, 28);
	assert_int_equal(q->qclass, 3);
	assert_int_equal(q->pos, 3);

	assert_string_equal(recs[3].qname, "a\\000b.example.");
	assert_int_equal(recs[3].r.ts, T13);
	assert_int_equal(recs[4].r.rcode, 3);
	assert_int_equal(recs[4].r.pos, 10);
	assert_true(recs[4].r.known & TL_KNOWN_ANSWERS);
	assert_int_equal(recs[4].r.n_answers, 0);
}

/* ---------------- generic CSV / TSV ---------------- */

static void test_csv(void **state)
{
	(void)state;
	const char *log =
		"\xef\xbb\xbfTimestamp, Client ,QNAME,qtype,rcode,answers,ttl,server,extra\r\n"
		/* 2: epoch with nanoseconds, typed and untyped answers, quoting */
		"1462366801.123456789,192.0.2.7,mail1.example,A,NOERROR,"
		"\"A 192.0.2.1|TXT \"\"v=spf1, -all\"\"|192.0.2.9\",300,198.51.100.53,x\r\n"
		/* 3: ISO with +02:00, numeric qtype and rcode, ';' separated answers */
		"2016-05-04T15:00:01+02:00,2001:db8::5,b.example,28,3,,,,\r\n"
		/* 4: query only */
		"2016-05-04T07:30:01-0530,192.0.2.7,c.example.,MX,,,,,\n"
		/* 5: Z, answers with ';' */
		"2016-05-04T13:00:01Z,192.0.2.7,d.example,A,,192.0.2.3; 192.0.2.4,,,\n"
		"# comment\n"
		/* 7: quoted empty, leap day */
		"2016-02-29T00:00:00Z,192.0.2.7,\"e.example\",\"AAAA\",\"\",\"\",\"\",\"\",\"\"\n";
	assert_int_equal(run(TL_TEXT_CSV, log), TL_OK);
	expect_total(0);
	assert_int_equal(st.lines, 7);
	assert_int_equal(nrec, 8); /* lines 2, 3, 5: query and response; 4, 7: query */

	const tl_record_t *q = &recs[0].r, *r = &recs[1].r;
	assert_int_equal(q->ts, T13 + 123456);
	assert_int_equal(q->qr, 0);
	assert_int_equal(q->known, TL_KNOWN_QR);
	addr_is(&q->src, "192.0.2.7");
	addr_is(&q->dst, "198.51.100.53");
	assert_int_equal(q->qtype, 1);
	assert_int_equal(q->qclass, 1);
	assert_int_equal(q->pos, 2);
	assert_int_equal(r->qr, 1);
	assert_int_equal(r->ts, q->ts);
	assert_int_equal(r->latency_us, -1);
	addr_is(&r->src, "198.51.100.53");
	addr_is(&r->dst, "192.0.2.7");
	assert_int_equal(r->known, TL_KNOWN_QR | TL_KNOWN_RCODE | TL_KNOWN_ANSWERS);
	assert_int_equal(r->rcode, 0);
	assert_int_equal(r->n_answers, 3);
	assert_int_equal(recs[1].ans_type[0], 1);
	assert_string_equal(recs[1].ans_data[0], "192.0.2.1");
	assert_int_equal(recs[1].ans_type[1], 16);
	assert_string_equal(recs[1].ans_data[1], "\"v=spf1, -all\"");
	assert_int_equal(recs[1].ans_type[2], TL_TYPE_UNKNOWN);
	assert_string_equal(recs[1].ans_data[2], "192.0.2.9");
	assert_string_equal(recs[1].ans_name[2], "mail1.example.");
	assert_int_equal(recs[1].ans_ttl[2], 300);

	q = &recs[2].r;
	r = &recs[3].r;
	assert_int_equal(q->ts, T13);
	assert_int_equal(q->qtype, 28);
	assert_int_equal(q->dst.family, 0);
	assert_int_equal(r->rcode, 3);
	assert_int_equal(r->n_answers, 0);
	assert_true(r->known & TL_KNOWN_ANSWERS);

	q = &recs[4].r;
	assert_int_equal(q->ts, T13);
	assert_int_equal(q->qtype, 15);
	assert_string_equal(recs[4].qname, "c.example.");
	assert_int_equal(q->pos, 4);

	r = &recs[6].r;
	assert_int_equal(r->qr, 1);
	assert_false(r->known & TL_KNOWN_RCODE);
	assert_int_equal(r->n_answers, 2);
	assert_string_equal(recs[6].ans_data[1], "192.0.2.4");
	assert_int_equal(recs[6].ans_ttl[1], -1);
	assert_int_equal(r->pos, 5);

	assert_false(recs[nrec - 1].r.qr);
	assert_int_equal(recs[nrec - 1].r.qtype, 28);
	assert_int_equal(recs[nrec - 1].r.ts, INT64_C(1456704000000000));
	assert_int_equal(recs[nrec - 1].r.pos, 7);
	assert_int_equal(st.first_ts, INT64_C(1456704000000000));
	assert_int_equal(st.last_ts, T13 + 123456);
}

static void test_csv_bad(void **state)
{
	(void)state;
	const char *log =
		"ts,src,query,qtype,rcode,ttl,client_port,server_port,id,transport\n"
		"1462366801,192.0.2.7,a.example,A,,,,,\n"                       /* 2: 9 cells */
		"1462366801,192.0.2.7,\"a.example,A,,,,,,\n"                    /* 3: open quote */
		"1462366801,192.0.2.7,a\"b.example,A,,,,,,\n"                   /* 4: stray quote */
		"1462366801,192.0.2.7,\"a.example\"x,A,,,,,,\n"                 /* 5 */
		"2016-02-30T00:00:00Z,192.0.2.7,a.example,A,,,,,,\n"            /* 6 */
		",192.0.2.7,a.example,A,,,,,,\n"                                /* 7 */
		"1462366801,,a.example,A,,,,,,\n"                               /* 8 */
		"1462366801,192.0.2.7,,A,,,,,,\n"                               /* 9 */
		"1462366801,192.0.2.7,a.example,XYZZY,,,,,,\n"                  /* 10 */
		"1462366801,192.0.2.7,a.example,A,,-5,,,,\n"                    /* 11 */
		"1462366801,192.0.2.7,a.example,A,,,65536,,,\n"                 /* 12 */
		"1462366801,192.0.2.7,a.example,A,,,,,,sctp\n"                  /* 13 */
		"1462366801,192.0.2.7,a.example,,,,,,,\n"                       /* 14 */
		"1462366801,192.0.2.7,a.example,A,BOGUS,,,,,\n"                 /* 15 */
		"1462366801,192.0.2.7,a.example,A,,,1234,53,4242,TCP\n";        /* 16 */
	assert_int_equal(run(TL_TEXT_CSV, log), TL_OK);
	expect_an(TL_AN_LINE_UNPARSABLE, 4, (const uint64_t[]){2, 3, 4, 5});
	expect_an(TL_AN_BAD_TIMESTAMP, 2, (const uint64_t[]){6, 7});
	expect_an(TL_AN_BAD_ADDRESS, 1, (const uint64_t[]){8});
	expect_an(TL_AN_BAD_NAME, 1, (const uint64_t[]){9});
	expect_an(TL_AN_BAD_FIELD, 6, (const uint64_t[]){10, 11, 12, 13, 14});
	expect_total(14);
	assert_int_equal(nrec, 1);
	const tl_record_t *q = &recs[0].r;
	assert_int_equal(q->pos, 16);
	assert_int_equal(q->sport, 1234);
	assert_int_equal(q->dport, 53);
	assert_int_equal(q->id, 4242);
	assert_int_equal(q->transport, TL_TRANSPORT_TCP);
	assert_int_equal(q->known, TL_KNOWN_QR | TL_KNOWN_SPORT | TL_KNOWN_DPORT | TL_KNOWN_ID);
}

static void test_csv_headers(void **state)
{
	(void)state;
	/* no qtype column: bad_header at line 1, and nothing else */
	assert_int_equal(run(TL_TEXT_CSV, "timestamp,client,qname\n"
					  "1462366801,192.0.2.7,a.example\n"
					  "garbage\n"),
			 TL_OK);
	expect_an(TL_AN_BAD_HEADER, 1, (const uint64_t[]){1});
	expect_total(1);
	assert_int_equal(nrec, 0);
	assert_int_equal(st.lines, 3);

	/* the header after comments and blank lines; ts and time both: ambiguous */
	assert_int_equal(run(TL_TEXT_CSV, "# export\n\nts,time,client,qname,qtype\n"
					  "1,1,192.0.2.7,a.example,A\n"),
			 TL_OK);
	expect_an(TL_AN_BAD_HEADER, 1, (const uint64_t[]){3});
	expect_total(1);
	assert_int_equal(nrec, 0);

	/* only comments: no header at all */
	assert_int_equal(run(TL_TEXT_CSV, "# nothing\n"), TL_OK);
	expect_an(TL_AN_BAD_HEADER, 1, (const uint64_t[]){1});
	assert_int_equal(nrec, 0);
}

static void test_tsv(void **state)
{
	(void)state;
	const char *log = "time\tclient_ip\tqname\tqtype\tanswers\tdst\n"
			  "1462366801.5\t192.0.2.7\ta.example\tA\tCNAME b.example.|A 192.0.2.1"
			  "\t198.51.100.53\r\n"
			  "1462366801.5\t192.0.2.7\t\"q\".example\tTYPE65280\t\t\n"
			  "1462366801.5\t192.0.2.7\ta.example\tA\n";
	assert_int_equal(run(TL_TEXT_TSV, log), TL_OK);
	expect_an(TL_AN_LINE_UNPARSABLE, 1, (const uint64_t[]){4});
	expect_total(1);
	assert_int_equal(nrec, 3);
	assert_int_equal(recs[0].r.ts, T13 + 500000);
	assert_int_equal(recs[1].r.n_answers, 2);
	assert_int_equal(recs[1].ans_type[0], 5);
	assert_string_equal(recs[1].ans_data[0], "b.example.");
	assert_int_equal(recs[1].ans_type[1], 1);
	/* TSV has no quoting: quotes are part of the name */
	assert_string_equal(recs[2].qname, "\"q\".example.");
	assert_int_equal(recs[2].r.qtype, 65280);
	assert_int_equal(recs[2].r.pos, 3);
}

/* ---------------- sniffing and names ---------------- */

static void test_sniff(void **state)
{
	(void)state;
#define SNIFF(s) tl_textlog_sniff((s), strlen(s))
	assert_int_equal(SNIFF(ZEEK_HEAD), TL_TEXT_ZEEK_TSV);
	assert_int_equal(SNIFF("\n  {\"ts\":1.0,\"id.orig_h\":\"192.0.2.1\"}\n"),
			 TL_TEXT_ZEEK_JSON);
	assert_int_equal(SNIFF("{\"query\":\"a\"}"), TL_TEXT_ZEEK_JSON);
	assert_int_equal(SNIFF("{\"name\":\"a\"}"), TL_TEXT_UNKNOWN);
	assert_int_equal(SNIFF("04-May-2016 13:00:01.123 queries: info: client @0x7f 192.0.2.7#1 "
			       "(a): query: a IN A + (192.0.2.1)\n"),
			 TL_TEXT_BIND);
	assert_int_equal(SNIFF("client 192.0.2.7#1: query: a IN A +\r\n"), TL_TEXT_BIND);
	assert_int_equal(SNIFF("timestamp,client,qname,qtype\n1,192.0.2.1,a,A\n"), TL_TEXT_CSV);
	assert_int_equal(SNIFF("\xef\xbb\xbf\"TS\",\"src\",\"Query\",\"qtype\"\r\n"), TL_TEXT_CSV);
	assert_int_equal(SNIFF("# x\nts\tsrc\tquery\tqtype\n"), TL_TEXT_TSV);
	assert_int_equal(SNIFF("time,src,name\n"), TL_TEXT_UNKNOWN);
	assert_int_equal(SNIFF(""), TL_TEXT_UNKNOWN);
	assert_int_equal(tl_textlog_sniff(NULL, 0), TL_TEXT_UNKNOWN);
	assert_int_equal(SNIFF("hello world\n"), TL_TEXT_UNKNOWN);
	assert_string_equal(tl_textlog_format_name(TL_TEXT_BIND), "bind");
	assert_string_equal(tl_textlog_format_name(TL_TEXT_ZEEK_TSV), "zeek-tsv");
	assert_string_equal(tl_textlog_format_name(TL_TEXT_ZEEK_JSON), "zeek-json");
	assert_string_equal(tl_textlog_format_name(TL_TEXT_CSV), "csv");
	assert_string_equal(tl_textlog_format_name(TL_TEXT_TSV), "tsv");
	assert_string_equal(tl_textlog_format_name(TL_TEXT_UNKNOWN), "unknown");
#undef SNIFF
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_full),	cmocka_unit_test(test_bind_variants),
		cmocka_unit_test(test_bind_bad_lines),	cmocka_unit_test(test_bind_names),
		cmocka_unit_test(test_line_limits),	cmocka_unit_test(test_long_lines_default),
		cmocka_unit_test(test_empty_input),	cmocka_unit_test(test_zeek_tsv),
		cmocka_unit_test(test_zeek_tsv_bad),	cmocka_unit_test(test_zeek_tsv_headers),
		cmocka_unit_test(test_zeek_json),	cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_bad),		cmocka_unit_test(test_csv_headers),
		cmocka_unit_test(test_tsv),		cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
