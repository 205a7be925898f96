/* test_profile.c - the communication profile on a hand-built context: counts, shares,
 * Wilson intervals, top-k and HHI, calendars in UTC and in local zones across the 2016
 * New York DST switch, first/last sightings, active days, query kinds, edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "analysis/profile.h"
#include "analysis/stats/stats.h"
#include "render/json/json.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"

static int64_t at(const char *iso)
{
	int64_t us;
	assert_int_equal(tl_time_parse(iso, strlen(iso), &us), TL_OK);
	return us;
}

/* Wilson references: python3 standard library,
 *   z = statistics.NormalDist().inv_cdf(0.975); d = n + z*z; c = (k + z*z/2)/d;
 *   h = z/d * math.sqrt(k*(n-k)/n + z*z/4); (c - h, c + h)
 * 3/7 -> 0.158219855251 0.749541635472   2/7 -> 0.082218924004 0.641065548167
 * 5/7 -> 0.358934451833 0.917781075996   6/7 -> 0.486872170726 0.974320375655
 * 4/5 -> 0.375534629763 0.963775891368   2/4 -> 0.150038989152 0.849961010848
 * 1/1 -> 0.206549314377 1.000000000000 */
#define EPS 1e-9

static tl_ctx_input_t inputs[2];
static tl_ctx_source_t sources[4];
static tl_ctx_org_t orgs[3];
static tl_lookup_t lookups[8];
static tl_ctx_t ctx;

static tl_lookup_t lk(const char *iso, uint32_t input, uint64_t pos, uint32_t src, uint16_t qtype,
		      uint8_t transport, uint8_t flags, uint16_t edns)
{
	tl_lookup_t l;
	memset(&l, 0, sizeof(l));
	l.ts = at(iso);
	l.input = input;
	l.pos = pos;
	l.source = src;
	l.dup_of = TL_NONE32;
	l.qtype = qtype;
	l.transport = transport;
	l.flags = flags;
	l.edns_size = edns;
	return l;
}

static void src(int i, const char *addr, uint32_t org)
{
	memset(&sources[i], 0, sizeof(sources[i]));
	assert_int_equal(tl_addr_parse(addr, strlen(addr), &sources[i].addr), TL_OK);
	sources[i].org = org;
}

/* The case:
 *  org 0 "Beta Org" (America/New_York): 192.0.2.20 (src 0), 192.0.2.10 (src 1)
 *  org 1 "Alpha Org" (Europe/Moscow): 198.51.100.5 (src 2)
 *  org 2 "Empty" (UTC): 203.0.113.9 (src 3), which has only a duplicate sighting
 *  L0 03-12 12:00Z src1 ns1/1  A    udp RD EDNS 4096 DO   NY Sat 07 EST
 *  L1 03-13 06:30Z src0 ns1/2  A    udp RD EDNS 4096 0x20 NY Sun 01:30 EST
 *  L2 03-13 06:30:01Z src3 ns2/1 duplicate of L1 (qtype 99, tcp: must not count)
 *  L3 03-13 07:30Z src0 ns2/2  AAAA tcp RD EDNS 1232 DO   NY Sun 03:30 EDT
 *  L4 03-13 12:00Z src2 ns1/4  A    udp -- EDNS absent    MSK Sun 15:00
 *  L5 03-14 03:00Z src0 ns1/3  MX   udp RD EDNS 512 0x20  NY Sun 23:00 EDT
 *  L6 03-14 03:00Z src1 ns2/3  AAAA udp RD (EDNS unknown) NY Sun 23:00 EDT
 *  L7 03-14 21:30Z src2 ns2/4  A    udp RD (EDNS unknown) MSK Tue 00:30 */
static void build(void)
{
	memset(&ctx, 0, sizeof(ctx));
	memset(inputs, 0, sizeof(inputs));
	inputs[0].label = "ns1";
	inputs[1].label = "ns2";
	orgs[0] = (tl_ctx_org_t){"Beta Org", "cidr", "America/New_York"};
	orgs[1] = (tl_ctx_org_t){"Alpha Org", "cidr", "Europe/Moscow"};
	orgs[2] = (tl_ctx_org_t){"Empty", "cidr", "UTC"};
	src(0, "192.0.2.20", 0);
	src(1, "192.0.2.10", 0);
	src(2, "198.51.100.5", 1);
	src(3, "203.0.113.9", 2);
	const uint8_t E = TL_LK_HAS_EDNS, RD = TL_LK_RD, DO = TL_LK_DO, MX = TL_LK_MIXED_CASE;
	lookups[0] = lk("2016-03-12T12:00:00Z", 0, 1, 1, 1, 1, RD | E | DO, 4096);
	lookups[1] = lk("2016-03-13T06:30:00Z", 0, 2, 0, 1, 1, RD | E | MX, 4096);
	lookups[2] = lk("2016-03-13T06:30:01Z", 1, 1, 3, 99, 2, 0, 0);
	lookups[2].dup_of = 1;
	lookups[3] = lk("2016-03-13T07:30:00Z", 1, 2, 0, 28, 2, RD | E | DO, 1232);
	lookups[4] = lk("2016-03-13T12:00:00Z", 0, 4, 2, 1, 1, E, 0);
	lookups[5] = lk("2016-03-14T03:00:00Z", 0, 3, 0, 15, 1, RD | E | MX, 512);
	lookups[6] = lk("2016-03-14T03:00:00Z", 1, 3, 1, 28, 1, RD, 0);
	lookups[7] = lk("2016-03-14T21:30:00Z", 1, 4, 2, 1, 1, RD, 0);
	ctx.inputs = inputs;
	ctx.n_inputs = 2;
	ctx.sources = sources;
	ctx.n_sources = 4;
	ctx.orgs = orgs;
	ctx.n_orgs = 3;
	ctx.lookups = lookups;
	ctx.n_lookups = 8;
	ctx.n_unique = 7;
	ctx.span_start = at("2016-03-12T12:00:00Z");
	ctx.span_end = at("2016-03-14T21:31:00Z");
	ctx.ttl_s = 3600;
}

static const tl_profile_settings_t settings = {0.05, 2};

static void counts_shares_concentration(void **state)
{
	(void)state;
	build();
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.n_lookups, 7);
	assert_int_equal(m.n_duplicates, 1);
	/* sources: 192.0.2.20 has 3; 192.0.2.10 and 198.51.100.5 have 2 each and are ordered
	 * by address bytes (192 < 198); 203.0.113.9 has only a duplicate and is absent */
	assert_int_equal(m.n_sources, 3);
	assert_string_equal(m.sources[0].addr_text, "192.0.2.20");
	assert_string_equal(m.sources[1].addr_text, "192.0.2.10");
	assert_string_equal(m.sources[2].addr_text, "198.51.100.5");
	assert_int_equal(m.sources[0].lookups.count, 3);
	assert_int_equal(m.sources[0].source, 0);
	assert_string_equal(m.sources[0].org_name, "Beta Org");
	assert_true(fabs(m.sources[0].lookups.share - 3.0 / 7) < EPS);
	assert_true(fabs(m.sources[0].lookups.lo - 0.158219855251) < EPS);
	assert_true(fabs(m.sources[0].lookups.hi - 0.749541635472) < EPS);
	assert_true(fabs(m.sources[2].lookups.lo - 0.082218924004) < EPS);
	assert_true(fabs(m.sources[2].lookups.hi - 0.641065548167) < EPS);
	/* HHI = (3^2 + 2^2 + 2^2) / 7^2 = 17/49; top-2 = (3 + 2)/7 */
	assert_int_equal(m.source_conc.n, 3);
	assert_true(fabs(m.source_conc.hhi - 17.0 / 49) < EPS);
	assert_true(fabs(m.source_conc.top_k_share - 5.0 / 7) < EPS);
	/* organisations: Beta 5, Alpha 2; Empty has none and is absent */
	assert_int_equal(m.n_orgs, 2);
	assert_string_equal(m.orgs[0].name, "Beta Org");
	assert_string_equal(m.orgs[1].name, "Alpha Org");
	assert_int_equal(m.orgs[0].lookups.count, 5);
	assert_int_equal(m.orgs[0].n_sources, 2);
	assert_int_equal(m.orgs[1].n_sources, 1);
	assert_true(fabs(m.orgs[0].lookups.lo - 0.358934451833) < EPS);
	assert_true(fabs(m.orgs[0].lookups.hi - 0.917781075996) < EPS);
	/* HHI = (25 + 4)/49; top-2 of two organisations = 1 */
	assert_true(fabs(m.org_conc.hhi - 29.0 / 49) < EPS);
	assert_true(fabs(m.org_conc.top_k_share - 1.0) < EPS);
	tl_profile_model_free(&m);
	assert_null(m.sources);
}

static void calendars_across_dst(void **state)
{
	(void)state;
	build();
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	/* span 2016-03-12T12:00Z .. 2016-03-14T21:31Z: three UTC days */
	assert_int_equal(m.first_day, tl_days_from_civil(2016, 3, 12));
	assert_int_equal(m.n_days, 3);
	assert_int_equal(m.outside_span, 0);
	const tl_prof_org_t *beta = &m.orgs[0], *alpha = &m.orgs[1];
	/* Beta: 12th L0; 13th L1, L3; 14th L5, L6 */
	assert_int_equal(beta->daily[0], 1);
	assert_int_equal(beta->daily[1], 2);
	assert_int_equal(beta->daily[2], 2);
	assert_int_equal(alpha->daily[0], 0);
	assert_int_equal(alpha->daily[1], 1);
	assert_int_equal(alpha->daily[2], 1);
	/* UTC hours of Beta: 12, 6, 7, 3, 3 */
	assert_int_equal(beta->hourly[3], 2);
	assert_int_equal(beta->hourly[6], 1);
	assert_int_equal(beta->hourly[7], 1);
	assert_int_equal(beta->hourly[12], 1);
	assert_int_equal(beta->hourly[1], 0);
	/* weekday x hour in UTC (Mon = 0 .. Sun = 6) */
	assert_int_equal(beta->week_utc[5][12], 1);
	assert_int_equal(beta->week_utc[6][6], 1);
	assert_int_equal(beta->week_utc[6][7], 1);
	assert_int_equal(beta->week_utc[0][3], 2);
	/* and in New York: Sat 07 EST; Sun 01:30 EST; Sun 03:30 EDT (02:00-03:00 does not
	 * exist that day); Mon 03:00Z is Sun 23:00 EDT (twice) */
	assert_true(beta->tz_ok);
	assert_int_equal(beta->week_local[5][7], 1);
	assert_int_equal(beta->week_local[6][1], 1);
	assert_int_equal(beta->week_local[6][2], 0);
	assert_int_equal(beta->week_local[6][3], 1);
	assert_int_equal(beta->week_local[6][23], 2);
	assert_int_equal(beta->week_local[0][3], 0);
	uint64_t total = 0;
	for (int d = 0; d < 7; d++)
		for (int h = 0; h < 24; h++)
			total += beta->week_local[d][h];
	assert_int_equal(total, 5);
	/* Moscow (UTC+3 all 2016): Sun 12Z -> Sun 15; Mon 21:30Z -> Tue 00:30 */
	assert_int_equal(alpha->week_utc[6][12], 1);
	assert_int_equal(alpha->week_utc[0][21], 1);
	assert_int_equal(alpha->week_local[6][15], 1);
	assert_int_equal(alpha->week_local[1][0], 1);
	tl_profile_model_free(&m);
}

static void sightings_and_active_days(void **state)
{
	(void)state;
	build();
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.first.ts, at("2016-03-12T12:00:00Z"));
	assert_string_equal(m.first.label, "ns1");
	assert_int_equal(m.first.pos, 1);
	assert_int_equal(m.last.ts, at("2016-03-14T21:30:00Z"));
	assert_string_equal(m.last.label, "ns2");
	assert_int_equal(m.last.pos, 4);
	assert_int_equal(m.active_days, 3);
	/* 192.0.2.20: L1 (ns1/2) .. L5 (ns1/3), days 13 and 14 */
	assert_int_equal(m.sources[0].first.pos, 2);
	assert_string_equal(m.sources[0].first.label, "ns1");
	assert_int_equal(m.sources[0].last.ts, at("2016-03-14T03:00:00Z"));
	assert_int_equal(m.sources[0].last.pos, 3);
	assert_int_equal(m.sources[0].active_days, 2);
	/* 192.0.2.10: L0 (12th) and L6 (14th): 2 active days, not 3 */
	assert_int_equal(m.sources[1].active_days, 2);
	assert_string_equal(m.sources[1].last.label, "ns2");
	/* Beta: first L0, last L6 (same time as L5 but later input), 3 days */
	assert_int_equal(m.orgs[0].first.pos, 1);
	assert_string_equal(m.orgs[0].last.label, "ns2");
	assert_int_equal(m.orgs[0].last.pos, 3);
	assert_int_equal(m.orgs[0].active_days, 3);
	assert_int_equal(m.orgs[1].active_days, 2);
	tl_profile_model_free(&m);
}

static void query_kinds(void **state)
{
	(void)state;
	build();
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	const tl_prof_queries_t *q = &m.queries;
	/* A x4, AAAA x2, MX x1; the duplicate's qtype 99 is not counted */
	assert_int_equal(q->n_qtypes, 3);
	assert_int_equal(q->qtypes[0].value, 1);
	assert_int_equal(q->qtypes[0].count, 4);
	assert_int_equal(q->qtypes[1].value, 28);
	assert_int_equal(q->qtypes[1].count, 2);
	assert_int_equal(q->qtypes[2].value, 15);
	assert_int_equal(q->transport[TL_TRANSPORT_UDP], 6);
	assert_int_equal(q->transport[TL_TRANSPORT_TCP], 1);
	assert_int_equal(q->transport[TL_TRANSPORT_UNKNOWN], 0);
	assert_int_equal(q->rd.count, 6);
	assert_true(fabs(q->rd.lo - 0.486872170726) < EPS);
	assert_true(fabs(q->rd.hi - 0.974320375655) < EPS);
	/* EDNS known for 5: present 4, absent 1; unknown 2 */
	assert_int_equal(q->edns_unknown, 2);
	assert_int_equal(q->edns_absent, 1);
	assert_int_equal(q->edns_present.count, 4);
	assert_true(fabs(q->edns_present.share - 0.8) < EPS);
	assert_true(fabs(q->edns_present.lo - 0.375534629763) < EPS);
	assert_true(fabs(q->edns_present.hi - 0.963775891368) < EPS);
	/* DO: 2 of the 4 with EDNS */
	assert_int_equal(q->do_bit.count, 2);
	assert_true(fabs(q->do_bit.lo - 0.150038989152) < EPS);
	assert_true(fabs(q->do_bit.hi - 0.849961010848) < EPS);
	/* sizes: 4096 x2, then 512 and 1232 once each (ascending) */
	assert_int_equal(q->n_edns_sizes, 3);
	assert_int_equal(q->edns_sizes[0].value, 4096);
	assert_int_equal(q->edns_sizes[0].count, 2);
	assert_int_equal(q->edns_sizes[1].value, 512);
	assert_int_equal(q->edns_sizes[2].value, 1232);
	assert_int_equal(q->mixed_case.count, 2);
	assert_true(fabs(q->mixed_case.share - 2.0 / 7) < EPS);
	tl_profile_model_free(&m);
}

static void json_is_stable(void **state)
{
	(void)state;
	build();
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	tl_buf_t a, b;
	tl_buf_init(&a);
	tl_buf_init(&b);
	tl_json_t j;
	tl_json_init(&j, &a, 0);
	tl_json_profile(&j, &m);
	tl_json_init(&j, &b, 0);
	tl_json_profile(&j, &m);
	assert_string_equal(a.data, b.data);
	assert_non_null(strstr(a.data, "{\"alpha\":0.050000,\"lookups\":7,\"duplicates_ignored\":1,"
					"\"first\":{\"time\":\"2016-03-12T12:00:00.000000Z\","
					"\"input\":\"ns1\",\"position\":1}"));
	assert_non_null(strstr(a.data, "\"daily\":[{\"date\":\"2016-03-12\",\"count\":1},"
				       "{\"date\":\"2016-03-13\",\"count\":2},"
				       "{\"date\":\"2016-03-14\",\"count\":2}]"));
	assert_non_null(strstr(a.data, "{\"source\":\"192.0.2.20\",\"organisation\":\"Beta Org\","
				       "\"lookups\":3,\"share\":0.428571,\"ci\":[0.158220,0.749542]"));
	assert_non_null(strstr(a.data, "\"hhi\":0.346939"));
	tl_buf_free(&a);
	tl_buf_free(&b);
	tl_profile_model_free(&m);
}

static void empty_context(void **state)
{
	(void)state;
	tl_ctx_t e;
	memset(&e, 0, sizeof(e));
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&e, &settings, &m), TL_OK);
	assert_int_equal(m.n_lookups, 0);
	assert_int_equal(m.n_sources, 0);
	assert_int_equal(m.n_orgs, 0);
	assert_int_equal(m.n_days, 0);
	assert_int_equal(m.first.ts, TL_TIME_NONE);
	assert_true(isnan(m.source_conc.hhi));
	assert_true(isnan(m.queries.rd.share));
	tl_buf_t b;
	tl_buf_init(&b);
	tl_json_t j;
	tl_json_init(&j, &b, 0);
	tl_json_profile(&j, &m);
	assert_non_null(strstr(b.data, "\"first\":null"));
	assert_non_null(strstr(b.data, "\"hhi\":null"));
	tl_buf_free(&b);
	tl_profile_model_free(&m);
}

static void one_lookup_one_hour_bad_zone(void **state)
{
	(void)state;
	build();
	ctx.n_lookups = 1; /* only L0 (src 1, Beta) */
	ctx.n_unique = 1;
	orgs[0].tz = "Nowhere/Atlantis";
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.n_sources, 1);
	assert_true(fabs(m.sources[0].lookups.share - 1.0) < EPS);
	assert_true(fabs(m.sources[0].lookups.lo - 0.206549314377) < EPS);
	assert_true(fabs(m.sources[0].lookups.hi - 1.0) < EPS);
	assert_true(fabs(m.source_conc.hhi - 1.0) < EPS);
	assert_true(fabs(m.source_conc.top_k_share - 1.0) < EPS);
	assert_int_equal(m.orgs[0].hourly[12], 1);
	assert_false(m.orgs[0].tz_ok); /* no local table from a zone that does not load */
	assert_int_equal(m.orgs[0].week_local[5][12], 0);
	assert_int_equal(m.orgs[0].week_local[5][7], 0);
	assert_int_equal(m.first.pos, m.last.pos);
	tl_profile_model_free(&m);
}

static void bad_arguments(void **state)
{
	(void)state;
	build();
	tl_profile_model_t m;
	memset(&m, 0x11, sizeof(m));
	tl_profile_settings_t bad = {0, 2};
	assert_int_equal(tl_profile_run(&ctx, &bad, &m), TL_EINVAL);
	bad = (tl_profile_settings_t){0.05, 0};
	assert_int_equal(tl_profile_run(&ctx, &bad, &m), TL_EINVAL);
	lookups[3].source = 17; /* out of range */
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_EINVAL);
	assert_int_equal(m.n_lookups, 0x1111111111111111ULL); /* untouched */
}

/* Unattributed sources are entities of their own in the organisations' concentration:
 * pooled, sources 0 (3 lookups) and 1 (2) would be one organisation of 5. */
static void unattributed_entities(void **state)
{
	(void)state;
	build();
	orgs[0] = (tl_ctx_org_t){"unattributed", "none", "UTC"};
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	/* the table keeps one "unattributed" row of 5 with its 2 sources */
	assert_int_equal(m.n_orgs, 2);
	assert_string_equal(m.orgs[0].name, "unattributed");
	assert_int_equal(m.orgs[0].lookups.count, 5);
	assert_int_equal(m.orgs[0].n_sources, 2);
	/* the concentration: entities 3, 2 (the two addresses) and 2 (Alpha Org):
	 * HHI (9 + 4 + 4)/49, top-2 5/7; pooled it would be 29/49 and 1 */
	assert_int_equal(m.org_conc.n, 2);
	assert_int_equal(m.org_conc.entities, 3);
	assert_true(fabs(m.org_conc.hhi - 17.0 / 49) < EPS);
	assert_true(fabs(m.org_conc.top_k_share - 5.0 / 7) < EPS);
	tl_profile_model_free(&m);
}

/* The share intervals allow for clustering by UTC day. Day 1: four lookups, all from
 * Beta (src 0); day 2: four, all from Alpha (src 2). p = 1/2, S = 2^2 + 2^2 = 8,
 * v_clu = 2/1 * 8/64 = 1/4, v_srs = (1/4)/8: deff 8, so the interval is Wilson's on
 * n_eff = 1. */
static void design_effect(void **state)
{
	(void)state;
	build();
	static const char *const times[] = {
		"2016-03-13T01:00:00Z", "2016-03-13T02:00:00Z", "2016-03-13T03:00:00Z",
		"2016-03-13T04:00:00Z", "2016-03-14T01:00:00Z", "2016-03-14T02:00:00Z",
		"2016-03-14T03:00:00Z", "2016-03-14T04:00:00Z"};
	for (int i = 0; i < 8; i++)
		lookups[i] = lk(times[i], 0, (uint64_t)i + 1, i < 4 ? 0 : 2, 1, 1, 0, 0);
	ctx.n_unique = 8;
	tl_profile_model_t m;
	assert_int_equal(tl_profile_run(&ctx, &settings, &m), TL_OK);
	assert_int_equal(m.clusters, 2);
	assert_int_equal(m.n_orgs, 2);
	assert_true(fabs(m.orgs[0].lookups.deff - 8.0) < 1e-12);
	tl_interval_t iv;
	assert_int_equal(tl_stats_wilson_deff(4, 8, 8.0, 0.05, &iv), TL_OK);
	assert_true(fabs(m.orgs[0].lookups.lo - iv.lo) < 1e-15);
	assert_true(fabs(m.orgs[0].lookups.hi - iv.hi) < 1e-15);
	/* far wider than the plain interval */
	assert_int_equal(tl_stats_wilson(4, 8, 0.05, &iv), TL_OK);
	assert_true(m.orgs[0].lookups.lo < iv.lo - 0.1);
	/* each source is one organisation's only source: the same design effect */
	assert_true(fabs(m.sources[0].lookups.deff - 8.0) < 1e-12);
	tl_profile_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_shares_concentration),
		cmocka_unit_test(unattributed_entities),
		cmocka_unit_test(design_effect),
		cmocka_unit_test(calendars_across_dst),
		cmocka_unit_test(sightings_and_active_days),
		cmocka_unit_test(query_kinds),
		cmocka_unit_test(json_is_stable),
		cmocka_unit_test(empty_context),
		cmocka_unit_test(one_lookup_one_hour_bad_zone),
		cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
