/* test_resolver.c - resolver behaviour on a constructed series: inter-arrival times and
 * their bins, periodic / later / inside-TTL classes with Wilson intervals, fingerprints
 * (modes, ties, spreads) and the lookups that break them, with positions; and the three
 * rules of the interval classification: intervals only between lookups of the same name
 * and type, negative answers judged against their negative-caching TTL (unknown: not
 * judged), intervals over a gap in coverage left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "analysis/resolver.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"

#define EPS 1e-9
#define S(x) ((int64_t)((x) * 1e6)) /* seconds after T0 -> microseconds offset */

/* Wilson references (python3 stdlib: z = statistics.NormalDist().inv_cdf(0.975);
 * d = n + z*z; c = (k + z*z/2)/d; h = z/d*sqrt(k*(n-k)/n + z*z/4); c -+ h):
 * 3/7 -> 0.158219855251 0.749541635472   2/7 -> 0.082218924004 0.641065548167
 * 4/9 -> 0.188778521098 0.733348706505   3/9 -> 0.120583818387 0.645797864420
 * 2/9 -> 0.063225107118 0.547411030893   2/2 -> 0.342380227507 1.000000000000 */

static tl_ctx_input_t inputs[2];
static tl_ctx_source_t sources[3];
static tl_ctx_org_t orgs[1];
static tl_lookup_t lookups[13];
static tl_ctx_t ctx;
static int64_t t0;
/* one sensor covering every minute of two days from t0 (tests clear bits for gaps) */
#define SPAN_MIN (2 * 24 * 60)
static uint8_t minutes[SPAN_MIN / 8 + 1];
static tl_ctx_sensor_t sensors[1];

enum { A = 0, B = 1, C = 2 };
#define FP_A (TL_LK_HAS_ID | TL_LK_HAS_IPTTL | TL_LK_HAS_EDNS | TL_LK_DO | TL_LK_MIXED_CASE)

static tl_lookup_t lk(double sec, uint32_t input, uint64_t pos, uint32_t src, uint8_t ipttl,
		      uint16_t edns, uint8_t flags, uint16_t sport, uint16_t id)
{
	tl_lookup_t l;
	memset(&l, 0, sizeof(l));
	l.ts = t0 + S(sec);
	l.input = input;
	l.pos = pos;
	l.source = src;
	l.dup_of = TL_NONE32;
	l.qtype = 1;
	l.transport = 1;
	l.ip_ttl = ipttl;
	l.edns_size = edns;
	l.opt_set = (flags & TL_LK_HAS_EDNS) && edns ? 1u << 10 : 0;
	l.flags = flags;
	l.sport = sport;
	l.id = id;
	l.answer = TL_ANS_POSITIVE;
	l.answer_src = TL_ANS_SRC_OWN;
	l.neg_ttl_s = TL_NEG_TTL_UNKNOWN;
	return l;
}

/* Source A (192.0.2.1), TTL 3600 s, tolerance 300 s; gaps:
 *   a0 0 -> a1 3600 (3600 periodic) -> a2 7300 (3700 periodic) -> a3 7310 (10 inside)
 *   -> a4 11000 (3690 periodic) -> a5 15000 (4000 later) -> a6 18900 (3900 later: the
 *   periodic band is half-open) -> a7 22499 (3599 inside)
 *   inside 2, periodic 3, later 2 of 7 intervals.
 *   Fingerprint: IP TTL 57, EDNS 1232, DO, option bit 10, mixed case, UDP; except
 *   a1: IP TTL 56 (one hop more: delta -1), and a3 (ns2 position 77), the spoof:
 *   IP TTL 120, EDNS 4096, no mixed case (delta +63).
 *   Ports 1000, 1007, ..., with a4 reusing a3's port: 7 distinct of 8; ids all distinct.
 * Source B (192.0.2.2): 3 lookups at 100, 130, 190 (gaps 30 and 60, inside); IP TTLs
 *   64, 63 and one unknown: the mode is a 1:1 tie, broken to the smaller value 63.
 *   Below min_lookups (5): no breaks looked for, although its lookups differ.
 * Source C (192.0.2.3): one lookup at 50, plus a duplicate sighting at 3600.5 that must
 *   not count. */
static void build(void)
{
	memset(&ctx, 0, sizeof(ctx));
	memset(inputs, 0, sizeof(inputs));
	inputs[0].label = "ns1";
	inputs[1].label = "ns2";
	orgs[0] = (tl_ctx_org_t){"Org", "cidr", "UTC"};
	const char *addrs[3] = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
	for (int i = 0; i < 3; i++) {
		memset(&sources[i], 0, sizeof(sources[i]));
		assert_int_equal(tl_addr_parse(addrs[i], strlen(addrs[i]), &sources[i].addr), TL_OK);
	}
	assert_int_equal(tl_time_parse("2016-05-01T00:00:00Z", 20, &t0), TL_OK);
	const uint8_t nomix = FP_A & ~TL_LK_MIXED_CASE;
	size_t n = 0;
	lookups[n++] = lk(0, 0, 1, A, 57, 1232, FP_A, 1000, 3);
	lookups[n++] = lk(50, 0, 10, C, 64, 0, TL_LK_HAS_IPTTL, 0, 0);
	lookups[n++] = lk(100, 0, 20, B, 64, 4096, TL_LK_HAS_IPTTL | TL_LK_HAS_EDNS, 0, 0);
	lookups[n++] = lk(130, 0, 21, B, 63, 512, TL_LK_HAS_IPTTL | TL_LK_HAS_EDNS, 0, 0);
	lookups[n++] = lk(190, 0, 22, B, 0, 0, TL_LK_MIXED_CASE, 0, 0);
	lookups[n++] = lk(3600, 0, 2, A, 56, 1232, FP_A, 1007, 6);
	lookups[n] = lk(3600.5, 1, 5, C, 1, 1, 0, 0, 0);
	lookups[n++].dup_of = 5;
	lookups[n++] = lk(7300, 0, 3, A, 57, 1232, FP_A, 1014, 9);
	lookups[n++] = lk(7310, 1, 77, A, 120, 4096, nomix, 1021, 12);
	lookups[n++] = lk(11000, 0, 4, A, 57, 1232, FP_A, 1021, 15);
	lookups[n++] = lk(15000, 0, 5, A, 57, 1232, FP_A, 1035, 18);
	lookups[n++] = lk(18900, 0, 6, A, 57, 1232, FP_A, 1042, 21);
	lookups[n++] = lk(22499, 0, 7, A, 57, 1232, FP_A, 1049, 24);
	ctx.inputs = inputs;
	ctx.n_inputs = 2;
	ctx.sources = sources;
	ctx.n_sources = 3;
	ctx.orgs = orgs;
	ctx.n_orgs = 1;
	ctx.lookups = lookups;
	ctx.n_lookups = n;
	ctx.n_unique = n - 1;
	ctx.ttl_s = 3600;
	ctx.ttl_method = "case";
	memset(minutes, 0xff, sizeof(minutes));
	sensors[0] = (tl_ctx_sensor_t){"s1", t0, t0 + SPAN_MIN * 60 * TL_US_PER_SEC, minutes};
	ctx.sensors = sensors;
	ctx.n_sensors = 1;
	ctx.span_start = t0;
	ctx.span_end = t0 + (int64_t)SPAN_MIN * 60 * TL_US_PER_SEC;
}

static const tl_resolver_settings_t settings = {0.05, 300, 5};

static void bins_and_intervals(void **state)
{
	(void)state;
	build();
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.n_lookups, 12);
	assert_int_equal(m.sources_single, 1); /* C: its duplicate does not make it two */
	/* edges: the fixed ones plus 3300, 3600, 3900 */
	static const int64_t edges[] = {0,    1,    10,   60,    300,   900,   1800,
					3300, 3600, 3900, 5400, 10800, 21600, 86400};
	assert_int_equal(m.bins.n, 14);
	for (size_t i = 0; i < 14; i++)
		assert_int_equal(m.bins.lower_s[i], edges[i]);
	assert_int_equal(m.n_sources, 2);
	const tl_res_source_t *a = &m.sources[0], *b = &m.sources[1];
	assert_string_equal(a->addr_text, "192.0.2.1");
	assert_string_equal(b->addr_text, "192.0.2.2");
	assert_int_equal(a->lookups, 8);
	assert_int_equal(a->first_ts, t0);
	assert_int_equal(a->last_ts, t0 + S(22499));
	/* A's gaps sorted: 10 3599 3600 3690 3700 3900 4000; type-7 quantiles:
	 * q25 at h = 1.5: 3599.5; median h = 3: 3690; q75 h = 4.5: 3800 */
	assert_int_equal(a->iat.n, 7);
	assert_true(fabs(a->iat.min_s - 10) < EPS);
	assert_true(fabs(a->iat.q25_s - 3599.5) < EPS);
	assert_true(fabs(a->iat.median_s - 3690) < EPS);
	assert_true(fabs(a->iat.q75_s - 3800) < EPS);
	assert_true(fabs(a->iat.max_s - 4000) < EPS);
	/* bins: 10 -> [10,60) #2; 3599 -> [3300,3600) #7; 3600 3690 3700 -> [3600,3900) #8;
	 * 3900 4000 -> [3900,5400) #9 */
	static const uint64_t ha[14] = {0, 0, 1, 0, 0, 0, 0, 1, 3, 2, 0, 0, 0, 0};
	for (size_t i = 0; i < 14; i++)
		assert_int_equal(a->hist[i], ha[i]);
	/* overall adds B's 30 (#2) and 60 (#3) */
	static const uint64_t hall[14] = {0, 0, 2, 1, 0, 0, 0, 1, 3, 2, 0, 0, 0, 0};
	for (size_t i = 0; i < 14; i++)
		assert_int_equal(m.hist[i], hall[i]);
	/* all gaps: 10 30 60 3599 3600 3690 3700 3900 4000: median 3600 */
	assert_int_equal(m.iat.n, 9);
	assert_true(fabs(m.iat.median_s - 3600) < EPS);
	tl_resolver_model_free(&m);
	assert_null(m.sources);
}

static void periodic_classes(void **state)
{
	(void)state;
	build();
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	const tl_res_classes_t *a = &m.sources[0].classes;
	assert_int_equal(a->n, 7);
	assert_int_equal(a->inside.count, 2);
	assert_int_equal(a->periodic.count, 3);
	assert_int_equal(a->later.count, 2);
	assert_true(fabs(a->periodic.share - 3.0 / 7) < EPS);
	assert_true(fabs(a->periodic.lo - 0.158219855251) < EPS);
	assert_true(fabs(a->periodic.hi - 0.749541635472) < EPS);
	assert_true(fabs(a->inside.lo - 0.082218924004) < EPS);
	assert_true(fabs(a->later.hi - 0.641065548167) < EPS);
	const tl_res_classes_t *b = &m.sources[1].classes;
	assert_int_equal(b->n, 2);
	assert_int_equal(b->inside.count, 2);
	assert_true(fabs(b->inside.lo - 0.342380227507) < EPS);
	assert_int_equal(b->periodic.count, 0);
	assert_true(fabs(b->periodic.share) < EPS);
	/* overall: inside 4, periodic 3, later 2 of 9 */
	assert_int_equal(m.classes.n, 9);
	assert_int_equal(m.classes.inside.count, 4);
	assert_int_equal(m.classes.periodic.count, 3);
	assert_int_equal(m.classes.later.count, 2);
	assert_true(fabs(m.classes.inside.lo - 0.188778521098) < EPS);
	assert_true(fabs(m.classes.inside.hi - 0.733348706505) < EPS);
	assert_true(fabs(m.classes.periodic.lo - 0.120583818387) < EPS);
	assert_true(fabs(m.classes.later.hi - 0.547411030893) < EPS);
	tl_resolver_model_free(&m);
}

static void fingerprints_and_breaks(void **state)
{
	(void)state;
	build();
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	const tl_res_source_t *a = &m.sources[0], *b = &m.sources[1];
	assert_true(a->checked);
	assert_int_equal(a->fp.ip_ttl.known, 8);
	assert_int_equal(a->fp.ip_ttl.value, 57);
	assert_int_equal(a->fp.ip_ttl.count, 6);
	assert_int_equal(a->fp.edns_size.value, 1232);
	assert_int_equal(a->fp.edns_size.count, 7);
	assert_int_equal(a->fp.do_bit.value, 1);
	assert_int_equal(a->fp.opt_set.value, 1u << 10);
	assert_int_equal(a->fp.mixed.value, 1);
	assert_int_equal(a->fp.mixed.count, 7);
	assert_int_equal(a->fp.transport.value, TL_TRANSPORT_UDP);
	assert_int_equal(a->fp.with_id, 8);
	assert_int_equal(a->fp.ports_distinct, 7);
	assert_true(fabs(a->fp.port_spread - 7.0 / 8) < EPS);
	assert_int_equal(a->fp.port_min, 1000);
	assert_int_equal(a->fp.port_max, 1049);
	assert_int_equal(a->fp.ids_distinct, 8);
	assert_true(fabs(a->fp.id_spread - 1.0) < EPS);
	/* B: IP TTL 64 vs 63, one each: the tie goes to 63; EDNS known for two (4096, 512) */
	assert_false(b->checked);
	assert_int_equal(b->fp.ip_ttl.known, 2);
	assert_int_equal(b->fp.ip_ttl.value, 63);
	assert_int_equal(b->fp.edns_size.known, 2);
	assert_int_equal(b->fp.edns_size.value, 512);
	assert_int_equal(b->fp.with_id, 0);
	assert_true(isnan(b->fp.port_spread));
	assert_int_equal(b->breaks, 0);
	/* breaks: a1 (IP TTL 56, delta -1), then the spoof a3 at ns2 position 77 */
	assert_int_equal(m.n_breaks, 2);
	assert_int_equal(a->breaks, 2);
	const tl_res_break_t *x = &m.breaks[0], *y = &m.breaks[1];
	assert_int_equal(x->source, 0);
	assert_int_equal(x->ts, t0 + S(3600));
	assert_int_equal(x->differs, TL_RES_FP_IPTTL);
	assert_int_equal(x->ip_ttl_delta, -1);
	assert_int_equal(y->ts, t0 + S(7310));
	assert_string_equal(y->label, "ns2");
	assert_int_equal(y->input, 1);
	assert_int_equal(y->pos, 77);
	assert_int_equal(y->differs, TL_RES_FP_IPTTL | TL_RES_FP_EDNS | TL_RES_FP_CASE);
	assert_int_equal(y->ip_ttl, 120);
	assert_int_equal(y->ip_ttl_delta, 63);
	assert_int_equal(y->edns_size, 4096);
	assert_false(y->mixed);

	tl_buf_t out;
	tl_buf_init(&out);
	tl_json_t j;
	tl_json_init(&j, &out, 0);
	tl_json_resolver(&j, &m);
	assert_non_null(strstr(out.data,
			       "{\"source\":\"192.0.2.1\",\"time\":\"2016-05-01T02:01:50.000000Z\","
			       "\"input\":\"ns2\",\"position\":77,"
			       "\"differs\":[\"ip_ttl\",\"edns_size\",\"mixed_case\"],"
			       "\"ip_ttl\":120,\"ip_ttl_delta\":63,\"edns_size\":4096,\"do\":true,"
			       "\"options\":1024,\"mixed_case\":false}"));
	assert_non_null(strstr(out.data, "{\"from_s\":3600,\"to_s\":3900}"));
	assert_non_null(strstr(out.data, "{\"from_s\":86400,\"to_s\":null}"));
	assert_non_null(strstr(out.data, "\"periodic\":{\"count\":3,\"share\":0.428571,"
					 "\"ci\":[0.158220,0.749542]}"));
	tl_buf_free(&out);
	tl_resolver_model_free(&m);
}

static void higher_minimum_checks_nothing(void **state)
{
	(void)state;
	build();
	tl_resolver_settings_t s = {0.05, 300, 20}; /* the default minimum: A has only 8 */
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &s, &m), TL_OK);
	assert_int_equal(m.n_breaks, 0);
	assert_false(m.sources[0].checked);
	tl_resolver_model_free(&m);
}

static void unknown_ttl_and_empty(void **state)
{
	(void)state;
	build();
	ctx.ttl_s = 0;
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.bins.n, 11); /* no TTL edges */
	assert_int_equal(m.classes.n, 0);
	assert_true(isnan(m.classes.periodic.share));
	assert_int_equal(m.sources[0].iat.n, 7);
	tl_buf_t out;
	tl_buf_init(&out);
	tl_json_t j;
	tl_json_init(&j, &out, 0);
	tl_json_resolver(&j, &m);
	assert_non_null(strstr(out.data, "\"ttl_s\":null"));
	assert_non_null(strstr(out.data, "\"classes\":null"));
	tl_buf_free(&out);
	tl_resolver_model_free(&m);

	tl_ctx_t e;
	memset(&e, 0, sizeof(e));
	e.ttl_s = 300;
	assert_int_equal(tl_resolver_run(&e, &settings, &m), TL_OK);
	assert_int_equal(m.n_sources, 0);
	assert_int_equal(m.n_breaks, 0);
	assert_int_equal(m.iat.n, 0);
	assert_true(isnan(m.iat.median_s));
	/* TTL 300 - tolerance 300 = 0 adds no edge; 300 is fixed; 600 is new */
	assert_int_equal(m.bins.n, 12);
	tl_resolver_model_free(&m);
}

static void one_source_all_in_one_hour(void **state)
{
	(void)state;
	build();
	ctx.n_lookups = 1; /* a0 only */
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.n_sources, 0);
	assert_int_equal(m.sources_single, 1);
	tl_resolver_model_free(&m);
	/* four lookups of B within one hour (0, 60, 600, 3000 s): all 3 intervals inside */
	build();
	static const double at_s[4] = {0, 60, 600, 3000};
	for (size_t i = 0; i < 4; i++)
		lookups[i] = lk(at_s[i], 0, i + 1, B, 64, 0, TL_LK_HAS_IPTTL, 0, 0);
	ctx.n_lookups = 4;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.n_sources, 1);
	assert_int_equal(m.sources[0].lookups, 4);
	assert_int_equal(m.sources_single, 0);
	assert_int_equal(m.classes.n, 3);
	assert_int_equal(m.classes.inside.count, 3);
	assert_true(fabs(m.classes.inside.share - 1.0) < EPS);
	assert_int_equal(m.n_breaks, 0);
	assert_false(m.sources[0].checked);
	tl_resolver_model_free(&m);
}

/* A source's lookups of one series only: a bare context with source A, TTL 3600. */
static void series(const tl_lookup_t *v, size_t n)
{
	build();
	for (size_t i = 0; i < n; i++)
		lookups[i] = v[i];
	ctx.n_lookups = n;
}

/* Rule 1: a cache holds one answer per name and type, so an interval is only ever between
 * lookups of the same name and type. A asks name 0 type A at 0 and 3650 s, name 0 type
 * AAAA at 100 s, name 1 type A at 200 s: one interval (3650 s, periodic), not three
 * (100, 100, 3450: all inside the TTL if the series were pooled). */
static void rule_same_name_and_type(void **state)
{
	(void)state;
	tl_lookup_t v[4];
	v[0] = lk(0, 0, 1, A, 57, 1232, FP_A, 1000, 1);
	v[1] = lk(100, 0, 2, A, 57, 1232, FP_A, 1001, 2);
	v[1].qtype = 28;
	v[2] = lk(200, 0, 3, A, 57, 1232, FP_A, 1002, 3);
	v[2].name = 1;
	v[3] = lk(3650, 0, 4, A, 57, 1232, FP_A, 1003, 4);
	series(v, 4);
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.n_sources, 1);
	assert_int_equal(m.sources[0].lookups, 4);
	assert_int_equal(m.classes.inside.count, 0);
	assert_int_equal(m.classes.n, 1);
	assert_int_equal(m.classes.periodic.count, 1);
	assert_int_equal(m.classes.intervals, 1);
	assert_int_equal(m.iat.n, 1);
	assert_true(fabs(m.iat.min_s - 3650) < EPS);
	tl_resolver_model_free(&m);
	/* lookups of other names and types only: listed, without an interval */
	v[3].name = 2;
	series(v, 4);
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.n_sources, 1);
	assert_int_equal(m.sources_no_repeat, 1);
	assert_int_equal(m.classes.intervals, 0);
	assert_int_equal(m.classes.n, 0);
	assert_true(isnan(m.classes.inside.share));
	tl_resolver_model_free(&m);
}

/* Rule 2: after a negative answer the cache holds it for the negative-caching TTL (RFC 2308
 * 5), not the positive TTL. NXDOMAIN with SOA minimum 900 at 0, asked again at 1000 s
 * (periodic against 900, where the positive TTL 3600 would say inside), NODATA with 900
 * then 2000 s (periodic again), then 2100 s after an NXDOMAIN without a usable SOA (TTL
 * unknown), 2200 s after a lookup whose answer nobody saw (unknown) and 2250 s after a
 * SERVFAIL (unknown): 2 periodic, 3 TTL unknown, none inside. */
static void rule_negative_ttl(void **state)
{
	(void)state;
	static const double at[6] = {0, 1000, 2000, 2100, 2200, 2250};
	static const uint8_t ans[6] = {TL_ANS_NXDOMAIN, TL_ANS_NODATA, TL_ANS_NXDOMAIN,
				       TL_ANS_UNKNOWN, TL_ANS_OTHER, TL_ANS_POSITIVE};
	static const uint32_t neg[6] = {900, 900, TL_NEG_TTL_UNKNOWN, TL_NEG_TTL_UNKNOWN,
					TL_NEG_TTL_UNKNOWN, TL_NEG_TTL_UNKNOWN};
	tl_lookup_t v[6];
	for (size_t i = 0; i < 6; i++) {
		v[i] = lk(at[i], 0, i + 1, A, 57, 1232, FP_A, (uint16_t)(1000 + i), (uint16_t)i);
		v[i].answer = ans[i];
		v[i].neg_ttl_s = neg[i];
		v[i].answer_src = ans[i] == TL_ANS_UNKNOWN ? TL_ANS_SRC_NONE : TL_ANS_SRC_OWN;
	}
	v[1].answer_src = TL_ANS_SRC_LATEST; /* its own answer lost: the latest stood in */
	series(v, 6);
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	const tl_res_classes_t *c = &m.classes;
	assert_int_equal(c->inside.count, 0);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->periodic.count, 2);
	assert_int_equal(c->later.count, 0);
	assert_int_equal(c->intervals, 5);
	assert_int_equal(c->spans_gap, 0);
	assert_int_equal(c->ttl_unknown, 3);
	assert_int_equal(c->negative, 2);
	assert_int_equal(c->inferred, 1);
	assert_int_equal(m.neg_ttl_min_s, 900);
	assert_int_equal(m.neg_ttl_max_s, 900);
	/* the histogram and the summary still hold every measured interval */
	assert_int_equal(m.iat.n, 5);
	tl_buf_t out;
	tl_buf_init(&out);
	tl_json_t j;
	tl_json_init(&j, &out, 0);
	tl_json_resolver(&j, &m);
	assert_non_null(strstr(out.data, "\"negative_ttl_s\":{\"min\":900,\"max\":900}"));
	assert_non_null(strstr(out.data, "\"classes\":{\"intervals\":5,\"spans_gap\":0,"
					 "\"ttl_unknown\":3,\"classified\":2,\"negative_ttl\":2,"
					 "\"answer_inferred\":1,\"periodic\":{\"count\":2,"));
	tl_buf_free(&out);
	tl_resolver_model_free(&m);
	/* a short negative TTL makes a quick repeat legitimate, not "inside": 60 s TTL, 100 s */
	v[0].neg_ttl_s = 60;
	v[1] = lk(100, 0, 2, A, 57, 1232, FP_A, 1001, 1);
	series(v, 2);
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.classes.n, 1);
	assert_int_equal(m.classes.inside.count, 0);
	assert_int_equal(m.classes.periodic.count, 1);
	tl_resolver_model_free(&m);
}

/* Rule 3: an interval over time no sensor covered is not classified: a lookup in the gap
 * would have split it. A asks at 0, 3650 s (periodic), 10 h (over a gap from 2 h to 8 h),
 * 10 h + 100 s (inside, both ends after the gap). Coverage of a second sensor during the
 * gap closes it (the union counts). */
static void rule_gap_in_coverage(void **state)
{
	(void)state;
	static const double at[4] = {0, 3650, 36000, 36100};
	tl_lookup_t v[4];
	for (size_t i = 0; i < 4; i++)
		v[i] = lk(at[i], 0, i + 1, A, 57, 1232, FP_A, (uint16_t)(1000 + i), (uint16_t)i);
	series(v, 4);
	for (size_t mi = 120; mi < 480; mi++)
		minutes[mi / 8] &= (uint8_t)~(1u << (mi % 8));
	tl_resolver_model_t m;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.classes.n, 2);
	assert_int_equal(m.classes.periodic.count, 1);
	assert_int_equal(m.classes.inside.count, 1);
	assert_int_equal(m.classes.intervals, 3);
	assert_int_equal(m.classes.spans_gap, 1);
	assert_int_equal(m.sources[0].classes.spans_gap, 1);
	assert_int_equal(m.iat.n, 2); /* the histogram leaves it out too */
	tl_resolver_model_free(&m);
	/* one uncovered minute is enough */
	series(v, 4);
	minutes[300 / 8] &= (uint8_t)~(1u << (300 % 8));
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.classes.spans_gap, 1);
	tl_resolver_model_free(&m);
	/* a second sensor that covered the minute closes the gap */
	static uint8_t other[SPAN_MIN / 8 + 1];
	memset(other, 0, sizeof(other));
	other[300 / 8] = (uint8_t)(1u << (300 % 8));
	tl_ctx_sensor_t two[2] = {sensors[0], {"s2", t0, t0, other}};
	ctx.sensors = two;
	ctx.n_sensors = 2;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.classes.spans_gap, 0);
	assert_int_equal(m.classes.n, 3);
	tl_resolver_model_free(&m);
	/* no coverage known at all: nothing is classified */
	series(v, 4);
	ctx.n_sensors = 0;
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.classes.spans_gap, 3);
	assert_int_equal(m.classes.n, 0);
	tl_resolver_model_free(&m);
}

static void bad_arguments(void **state)
{
	(void)state;
	build();
	tl_resolver_model_t m;
	memset(&m, 0x22, sizeof(m));
	tl_resolver_settings_t s = {0.05, 0, 20};
	assert_int_equal(tl_resolver_run(&ctx, &s, &m), TL_EINVAL);
	s = (tl_resolver_settings_t){1.0, 300, 20};
	assert_int_equal(tl_resolver_run(&ctx, &s, &m), TL_EINVAL);
	s = (tl_resolver_settings_t){0.05, 300, 0};
	assert_int_equal(tl_resolver_run(&ctx, &s, &m), TL_EINVAL);
	lookups[3].ts = t0 - 1; /* out of time order */
	assert_int_equal(tl_resolver_run(&ctx, &settings, &m), TL_EINVAL);
	assert_int_equal(m.n_lookups, 0x2222222222222222ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bins_and_intervals),
		cmocka_unit_test(periodic_classes),
		cmocka_unit_test(fingerprints_and_breaks),
		cmocka_unit_test(higher_minimum_checks_nothing),
		cmocka_unit_test(unknown_ttl_and_empty),
		cmocka_unit_test(one_source_all_in_one_hour),
		cmocka_unit_test(rule_same_name_and_type),
		cmocka_unit_test(rule_negative_ttl),
		cmocka_unit_test(rule_gap_in_coverage),
		cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
