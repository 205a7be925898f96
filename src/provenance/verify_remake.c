/* verify_remake.c - the report made again: the analysis run again on the files that
 * were found unchanged, its findings compared with the document's, and the manifest and
 * PDF made again compared with the given ones byte for byte. */
#include "provenance/verify_impl.h"
#include "analysis/engine.h"
#include "render/chart/chart.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* The manifest's top-level keys whose values differ, for the message. */
static void differing_keys(const char *a, size_t na, const char *b, size_t nb, tl_buf_t *out)
{
	json_t *ja = json_loadb(a, na, 0, NULL), *jb = json_loadb(b, nb, 0, NULL);
	if (!ja || !jb) {
		tl_buf_puts(out, "(not comparable)");
	} else {
		const char *key;
		json_t *val;
		int any = 0;
		json_object_foreach(ja, key, val)
		{
			if (!json_equal(val, json_object_get(jb, key))) {
				tl_buf_printf(out, "%s%s", any ? ", " : "", key);
				any = 1;
			}
		}
		json_object_foreach(jb, key, val)
		{
			if (!json_object_get(ja, key)) {
				tl_buf_printf(out, "%s%s", any ? ", " : "", key);
				any = 1;
			}
		}
		if (!any)
			tl_buf_puts(out, "(same values, different bytes)");
	}
	json_decref(ja);
	json_decref(jb);
}

/* The findings made again against the embedded ones, or (a PDF/A-1b report carries none)
 * against the SHA-256 the manifest records. */
static void compare_findings(tl_vctx_t *v, const tl_vdoc_t *d, const tl_buf_t *again)
{
	if (d->have_findings &&
	    (again->len != d->findings.len || memcmp(again->data, d->findings.data, again->len))) {
		tl_verify_add(v, TL_VERIFY_DIFFERS, "analysis",
		              "run again: the findings differ from the embedded findings from byte "
		              "offset %zu "
		              "(%zu bytes now, %zu embedded)",
		              tl_verify_first_difference((const uint8_t *)again->data, again->len,
		                                         (const uint8_t *)d->findings.data,
		                                         d->findings.len),
		              again->len, d->findings.len);
		v->verdict->findings_differ = 1;
		tl_verify_differs(v);
		return;
	}
	if (d->have_findings) {
		tl_verify_add(v, TL_VERIFY_OK, "analysis",
		              "run again: the findings are identical (%zu bytes)", again->len);
		return;
	}
	char fh[TL_SHA256_HEX_LEN];
	const char *want = tl_verify_jstr(d->m, "findings_sha256");
	tl_verify_hex(again->data, again->len, fh);
	if (want && strcmp(want, fh) == 0) {
		tl_verify_add(v, TL_VERIFY_OK, "analysis",
		              "run again: the findings' SHA-256 is the manifest's, "
		              "%s (%zu bytes)",
		              fh, again->len);
	} else {
		tl_verify_add(v, TL_VERIFY_DIFFERS, "analysis",
		              "run again: the findings' SHA-256 is %s; the "
		              "manifest says %s",
		              fh, want ? want : "nothing");
		v->verdict->findings_differ = 1;
		tl_verify_differs(v);
	}
}

/* The manifest and the PDF made again against the given ones, byte for byte. */
static void compare_remade(tl_vctx_t *v, const tl_vdoc_t *d, const tl_verify_remade_t *r)
{
	int same_manifest = r->manifest.len == d->manifest.len &&
	                    memcmp(r->manifest.data, d->manifest.data, r->manifest.len) == 0;
	int same_pdf =
	    r->pdf.len == d->pdf.len && memcmp(r->pdf.data, d->pdf.data, d->pdf.len) == 0;
	v->verdict->remade_identical = same_manifest && same_pdf;
	if (same_manifest) {
		tl_verify_add(v, TL_VERIFY_OK, "manifest", "made again: identical (report ID %s)",
		              r->id);
	} else {
		tl_buf_t keys;
		tl_buf_init(&keys);
		differing_keys(r->manifest.data, r->manifest.len, d->manifest.data, d->manifest.len,
		               &keys);
		tl_verify_add(v, TL_VERIFY_DIFFERS, "manifest", "made again: it differs in: %s",
		              keys.data);
		tl_buf_free(&keys);
		tl_verify_differs(v);
	}
	char a[TL_SHA256_HEX_LEN];
	tl_verify_hex(r->pdf.data, r->pdf.len, a);
	if (same_pdf) {
		tl_verify_add(v, TL_VERIFY_OK, "report",
		              "made again: identical to the given file, %zu bytes, "
		              "SHA-256 %s",
		              d->pdf.len, a);
	} else {
		tl_verify_add(v, TL_VERIFY_DIFFERS, "report",
		              "made again: %zu bytes, SHA-256 %s; it differs from the given file "
		              "(%zu bytes) "
		              "from byte offset %zu (counted from 0) on",
		              r->pdf.len, a, d->pdf.len,
		              tl_verify_first_difference((const uint8_t *)r->pdf.data, r->pdf.len,
		                                         (const uint8_t *)d->pdf.data, d->pdf.len));
		tl_verify_differs(v);
	}
}

void tl_verify_remake(tl_vctx_t *v, const tl_vdoc_t *d, tl_case_t *c, const char **sets,
                      size_t n_sets)
{
	const tl_verify_maker_t *mk = v->o->maker;
	json_t *rep = json_object_get(d->m, "report");
	const char *pdfa = tl_verify_jstr(rep, "pdfa"), *date = tl_verify_jstr(rep, "date");
	const char *case_path = tl_verify_jstr(rep, "case_path");
	int64_t date_us;
	if (!pdfa || !date || !case_path || tl_time_parse(date, strlen(date), &date_us) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "report settings",
		              "the manifest's report entry is malformed");
		tl_verify_fail(v);
		return;
	}
	/* the report names the case file as its command did, wherever it is now */
	free(c->path);
	c->path = tl_xstrdup(case_path);
	tl_events_t *events = NULL;
	tl_findings_t f;
	if (mk->analyse(c, v->o->threads, &events, &f) != TL_OK) {
		tl_verify_add(v, TL_VERIFY_FAILED, "analysis",
		              "the analysis did not run (the message on standard error says why)");
		tl_verify_fail(v);
		return;
	}
	tl_buf_t again;
	tl_buf_init(&again);
	mk->findings_document(&f, &again);
	compare_findings(v, d, &again);
	tl_buf_free(&again);
	tl_verify_remake_opts_t ro = {
	    .case_path = case_path,
	    .sets = sets,
	    .n_sets = n_sets,
	    .pdfa_1b = strcmp(pdfa, "1b") == 0,
	    .draft = json_is_true(json_object_get(rep, "draft")),
	    .date_s = date_us / TL_US_PER_SEC,
	};
	tl_verify_remade_t r;
	memset(&r, 0, sizeof(r));
	tl_buf_init(&r.manifest);
	tl_buf_init(&r.pdf);
	int made = mk->make_report(&f, &ro, &r) == TL_OK;
	if (made) {
		compare_remade(v, d, &r);
	} else {
		tl_verify_add(v, TL_VERIFY_FAILED, "report",
		              "could not be made again (the message on standard error says why)");
		tl_verify_fail(v);
	}
	tl_buf_free(&r.manifest);
	tl_buf_free(&r.pdf);
	tl_findings_free(&f);
	tl_events_free(events);
	if (made)
		tl_chart_release(); /* the charts' fonts and caches, kept while reports are made */
}
