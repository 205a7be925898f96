/* test_lookups.c - target matching, collection, offsets and de-duplication. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/lookups.h"
#include "util/time.h"

static void target_matches_names_and_suffixes_at_label_boundaries(void **state)
{
	(void)state;
	tl_target_t *t = tl_target_new();
	tl_target_add_name(t, "mail1.brand-email.example.");
	tl_target_add_suffix(t, "contact.example.");
	assert_true(tl_target_match(t, "MAIL1.Brand-Email.example."));
	assert_false(tl_target_match(t, "mail2.brand-email.example."));
	assert_true(tl_target_match(t, "contact.example."));
	assert_true(tl_target_match(t, "a.b.contact.example."));
	assert_false(tl_target_match(t, "xcontact.example."));
	/* "a\.contact.example." is one label "a.contact" under example.: not below */
	assert_false(tl_target_match(t, "a\\.contact.example."));
	/* but "a\\\\.contact.example." is the label "a\\" followed by contact.example. */
	assert_true(tl_target_match(t, "a\\\\.contact.example."));
	tl_target_free(t);
}

static tl_record_t query(int64_t ts, const char *src, uint16_t sport, uint16_t id, const char *qname,
			 uint64_t pos)
{
	tl_record_t r;
	tl_record_init(&r);
	assert_int_equal(tl_addr_parse(src, strlen(src), &r.src), 0);
	r.ts = ts;
	r.sport = sport;
	r.id = id;
	r.qname = qname;
	r.qtype = 1;
	r.qclass = 1;
	r.pos = pos;
	r.known = TL_KNOWN_QR | TL_KNOWN_ID | TL_KNOWN_SPORT;
	return r;
}

#define S(x) ((int64_t)(x) * TL_US_PER_SEC)

static void collects_queries_only_with_fingerprint_bits(void **state)
{
	(void)state;
	tl_target_t *t = tl_target_new();
	tl_target_add_name(t, "t.example.");
	tl_lkcol_t *c = tl_lkcol_new(t);
	tl_record_t q = query(S(100), "192.0.2.1", 5000, 7, "T.example.", 3);
	q.known |= TL_KNOWN_IPTTL | TL_KNOWN_EDNS;
	q.ip_ttl = 57;
	uint16_t opts[] = {8, 10, 65001};
	tl_edns_t e = {.udp_size = 4096, .do_bit = 1, .n_options = 3, .option_codes = opts};
	q.edns = &e;
	tl_lkcol_add(c, &q, 2, S(1));
	tl_record_t resp = q;
	resp.qr = 1; /* responses are not lookups */
	tl_lkcol_add(c, &resp, 2, 0);
	tl_record_t other = query(S(100), "192.0.2.1", 5000, 7, "u.example.", 4);
	tl_lkcol_add(c, &other, 2, 0);

	tl_ctx_input_t inputs[3];
	memset(inputs, 0, sizeof(inputs));
	tl_ctx_t ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.inputs = inputs;
	ctx.n_inputs = 3;
	ctx.n_sensors = 1;
	tl_dedup_stats_t st;
	tl_lookups_build(&ctx, &c, 1, S(2), &st);
	assert_int_equal(ctx.n_lookups, 1);
	const tl_lookup_t *l = &ctx.lookups[0];
	assert_int_equal(l->ts, S(101)); /* offset applied */
	assert_int_equal(l->input, 2);
	assert_int_equal(l->pos, 3);
	assert_int_equal(l->ip_ttl, 57);
	assert_int_equal(l->edns_size, 4096);
	assert_int_equal(l->opt_set, (1u << 8) | (1u << 10) | (1u << 31));
	assert_int_equal(l->flags, TL_LK_HAS_ID | TL_LK_HAS_IPTTL | TL_LK_HAS_EDNS | TL_LK_DO |
					   TL_LK_MIXED_CASE);
	assert_string_equal(ctx.names[l->name], "t.example.");
	tl_dedup_stats_free(&st);
	free(ctx.lookups);
	free(ctx.sources);
	for (size_t i = 0; i < ctx.n_names; i++)
		free((void *)(uintptr_t)ctx.names[i]);
	free(ctx.names);
	tl_lkcol_free(c);
	tl_target_free(t);
}

static void free_ctx(tl_ctx_t *ctx)
{
	free(ctx->lookups);
	free(ctx->sources);
	for (size_t i = 0; i < ctx->n_names; i++)
		free((void *)(uintptr_t)ctx->names[i]);
	free(ctx->names);
}

/* Two sensors; sensor 1's clock runs 0.8 s fast. Queries from one resolver are
 * seen at both (same ID and port) three times, and once only at sensor 0. A
 * different resolver's query at the same time is not a duplicate. */
static void dedup_across_sensors_with_estimated_offset(void **state)
{
	(void)state;
	tl_target_t *t = tl_target_new();
	tl_target_add_name(t, "t.example.");
	tl_lkcol_t *c0 = tl_lkcol_new(t), *c1 = tl_lkcol_new(t);
	int64_t fast = 800000;
	for (int i = 0; i < 3; i++) {
		tl_record_t a = query(S(1000 + 3600 * i), "192.0.2.1", (uint16_t)(4000 + i),
				      (uint16_t)(10 + i), "t.example.", (uint64_t)(1 + i));
		tl_lkcol_add(c0, &a, 0, 0);
		tl_record_t b = a;
		b.ts += fast;
		b.pos = (uint64_t)(11 + i);
		tl_lkcol_add(c1, &b, 1, 0);
	}
	tl_record_t only0 = query(S(20000), "192.0.2.1", 4100, 99, "t.example.", 9);
	tl_lkcol_add(c0, &only0, 0, 0);
	tl_record_t other = query(S(1000), "198.51.100.9", 4000, 10, "t.example.", 20);
	tl_lkcol_add(c1, &other, 1, 0);
	/* same resolver, same time, but another ID: a different query, not a duplicate */
	tl_record_t diffid = query(S(1000) + fast, "192.0.2.1", 4000, 11, "t.example.", 21);
	tl_lkcol_add(c1, &diffid, 1, 0);

	tl_ctx_input_t inputs[2];
	memset(inputs, 0, sizeof(inputs));
	inputs[1].sensor = 1;
	tl_ctx_t ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.inputs = inputs;
	ctx.n_inputs = 2;
	ctx.n_sensors = 2;
	tl_lkcol_t *cols[2] = {c0, c1};
	tl_dedup_stats_t st;
	/* tolerance 0.5 s is smaller than the 0.8 s offset: only the estimate makes them match */
	tl_lookups_build(&ctx, cols, 2, 500000, &st);
	assert_int_equal(st.sightings, 9);
	assert_int_equal(st.removed, 3);
	assert_int_equal(st.removed_by_id, 3);
	assert_int_equal(st.unique, 6);
	assert_int_equal(ctx.n_unique, 6);
	assert_int_equal(st.n_offsets, 1);
	assert_int_equal(st.offsets[0].pairs, 3);
	assert_true(st.offsets[0].median_s > 0.7999 && st.offsets[0].median_s < 0.8001);
	/* every duplicate is a sensor-1 sighting pointing at the sensor-0 one */
	size_t dups = 0;
	for (size_t i = 0; i < ctx.n_lookups; i++) {
		const tl_lookup_t *l = &ctx.lookups[i];
		if (l->dup_of == TL_NONE32)
			continue;
		dups++;
		assert_int_equal(l->input, 1);
		assert_int_equal(ctx.lookups[l->dup_of].input, 0);
		assert_int_equal(ctx.lookups[l->dup_of].id, l->id);
	}
	assert_int_equal(dups, 3);
	tl_dedup_stats_free(&st);
	free_ctx(&ctx);
	tl_lkcol_free(c0);
	tl_lkcol_free(c1);
	tl_target_free(t);
}

/* Logs without IDs: same source, name and type within the tolerance at two
 * sensors is one lookup; a kept lookup absorbs one sighting per other sensor. */
static void dedup_without_ids_absorbs_once_per_sensor(void **state)
{
	(void)state;
	tl_target_t *t = tl_target_new();
	tl_target_add_name(t, "t.example.");
	tl_lkcol_t *c0 = tl_lkcol_new(t), *c1 = tl_lkcol_new(t);
	tl_record_t a = query(S(50), "192.0.2.1", 0, 0, "t.example.", 1);
	a.known = TL_KNOWN_QR;
	tl_lkcol_add(c0, &a, 0, 0);
	tl_record_t b1 = a, b2 = a;
	b1.ts += 300000;
	b1.pos = 1;
	b2.ts += 600000;
	b2.pos = 2;
	tl_lkcol_add(c1, &b1, 1, 0);
	tl_lkcol_add(c1, &b2, 1, 0); /* second sighting at sensor 1: a second lookup */
	tl_ctx_input_t inputs[2];
	memset(inputs, 0, sizeof(inputs));
	inputs[1].sensor = 1;
	tl_ctx_t ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.inputs = inputs;
	ctx.n_inputs = 2;
	ctx.n_sensors = 2;
	tl_lkcol_t *cols[2] = {c0, c1};
	tl_dedup_stats_t st;
	tl_lookups_build(&ctx, cols, 2, S(2), &st);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.removed_by_id, 0);
	assert_int_equal(st.n_offsets, 0);
	assert_int_equal(ctx.lookups[1].dup_of, 0); /* b1 (the nearer) is the duplicate */
	assert_int_equal(ctx.lookups[2].dup_of, TL_NONE32);
	tl_dedup_stats_free(&st);
	free_ctx(&ctx);
	tl_lkcol_free(c0);
	tl_lkcol_free(c1);
	tl_target_free(t);
}

/* A resolver whose answer was lost asks another server with a new ID a second
 * later: one lookup. A query with another IP TTL (another sender) at the same
 * moment is not folded into it. */
static void retry_at_another_server_is_one_lookup_unless_fingerprint_differs(void **state)
{
	(void)state;
	tl_target_t *t = tl_target_new();
	tl_target_add_name(t, "t.example.");
	tl_lkcol_t *c0 = tl_lkcol_new(t), *c1 = tl_lkcol_new(t);
	tl_record_t a = query(S(100), "192.0.2.1", 4000, 1, "t.example.", 1);
	a.known |= TL_KNOWN_IPTTL;
	a.ip_ttl = 53;
	tl_lkcol_add(c0, &a, 0, 0);
	tl_record_t retry = a;
	retry.ts += 900000;
	retry.id = 2;
	retry.sport = 4001;
	retry.pos = 1;
	tl_lkcol_add(c1, &retry, 1, 0);
	tl_record_t b = query(S(500), "192.0.2.1", 4000, 3, "t.example.", 2);
	b.known |= TL_KNOWN_IPTTL;
	b.ip_ttl = 53;
	tl_lkcol_add(c0, &b, 0, 0);
	tl_record_t spoof = b;
	spoof.ts += 500000;
	spoof.id = 4;
	spoof.ip_ttl = 239;
	spoof.pos = 2;
	tl_lkcol_add(c1, &spoof, 1, 0);
	tl_ctx_input_t inputs[2];
	memset(inputs, 0, sizeof(inputs));
	inputs[1].sensor = 1;
	tl_ctx_t ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.inputs = inputs;
	ctx.n_inputs = 2;
	ctx.n_sensors = 2;
	tl_lkcol_t *cols[2] = {c0, c1};
	tl_dedup_stats_t st;
	tl_lookups_build(&ctx, cols, 2, S(2), &st);
	assert_int_equal(st.sightings, 4);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.removed_as_retry, 1);
	assert_int_equal(st.removed_by_id, 0);
	assert_int_equal(ctx.lookups[1].dup_of, 0);          /* the retry */
	assert_int_equal(ctx.lookups[3].dup_of, TL_NONE32);  /* the other sender */
	tl_dedup_stats_free(&st);
	free_ctx(&ctx);
	tl_lkcol_free(c0);
	tl_lkcol_free(c1);
	tl_target_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(target_matches_names_and_suffixes_at_label_boundaries),
		cmocka_unit_test(collects_queries_only_with_fingerprint_bits),
		cmocka_unit_test(dedup_across_sensors_with_estimated_offset),
		cmocka_unit_test(dedup_without_ids_absorbs_once_per_sensor),
		cmocka_unit_test(retry_at_another_server_is_one_lookup_unless_fingerprint_differs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
