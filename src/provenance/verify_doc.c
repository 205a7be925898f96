/* verify_doc.c - the checks of the document itself: the report's bytes against the
 * checksum file beside it, the manifest and findings it carries against its report ID,
 * the manifest beside it, a detached signature, and whether it was edited after it was
 * written. */
#include "provenance/verify_impl.h"
#include "provenance/cms.h"
#include "provenance/manifest.h"
#include "provenance/pdf_read.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One line as sha256sum writes it: 64 hex digits, a space, a space or '*' (binary
 * mode), then the report's name, possibly after a path. */
static int checksum_line_ok(const tl_buf_t *b, const char *base)
{
	if (b->len < 67 || memchr(b->data, '\0', b->len))
		return 0;
	for (int i = 0; i < 64; i++)
		if (!strchr("0123456789abcdefABCDEF", b->data[i]))
			return 0;
	if (b->data[64] != ' ' || (b->data[65] != ' ' && b->data[65] != '*'))
		return 0;
	const char *name = b->data + 66, *nl = strchr(name, '\n');
	size_t n = nl ? (size_t)(nl - name) : strlen(name);
	if (nl && nl[1] != '\0')
		return 0; /* one line only */
	size_t bl = strlen(base);
	return n >= bl && memcmp(name + n - bl, base, bl) == 0 &&
	       (n == bl || name[n - bl - 1] == '/');
}

/* Reads a file beside the report into b. Returns 1 when it was read; else says so:
 * a note when it is absent and optional (absent words why that is fine), FAILED
 * when it is unreadable, or required and absent. */
static int read_side(tl_vctx_t *v, const char *what, const char *path, int required,
                     const char *absent, tl_buf_t *b)
{
	const char *why;
	int none;
	if (tl_verify_read(path, TL_VERIFY_MAX_SIDE_BYTES, b, &why, &none) == 0)
		return 1;
	if (none && !required) {
		tl_verify_add(v, TL_VERIFY_NOTE, what, "%s: not present%s", path, absent);
	} else {
		tl_verify_add(v, TL_VERIFY_FAILED, what, "%s: %s", path, why);
		tl_verify_side_fail(v);
	}
	return 0;
}

/* path.sha256 in sha256sum's format, when present. */
static void check_checksum_file(tl_vctx_t *v, const char *pdf_path, const char *pdf_hex)
{
	tl_buf_t name, b;
	tl_buf_init(&name);
	tl_buf_init(&b);
	tl_buf_printf(&name, "%s.sha256", pdf_path);
	if (!read_side(v, "checksum file", name.data, 0, "", &b))
		goto out;
	if (!checksum_line_ok(&b, tl_verify_base_name(pdf_path))) {
		tl_verify_add(v, TL_VERIFY_FAILED, "checksum file",
		              "%s is not one line \"SHA-256  %s\" (sha256sum's "
		              "format; \" *\" and a path before the name are "
		              "accepted)",
		              name.data, tl_verify_base_name(pdf_path));
		tl_verify_side_fail(v);
	} else if (strncasecmp(b.data, pdf_hex, TL_SHA256_HEX_LEN - 1) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "checksum file",
		              "%s records %.64s; the report's SHA-256 is %s", name.data, b.data,
		              pdf_hex);
		tl_verify_side_fail(v);
	} else {
		tl_verify_add(v, TL_VERIFY_OK, "checksum file", "%s: the report's SHA-256 %s",
		              name.data, pdf_hex);
	}
out:
	tl_buf_free(&name);
	tl_buf_free(&b);
}

/* path.manifest.json, when present: must equal the embedded manifest. */
static void check_side_manifest(tl_vctx_t *v, const char *pdf_path, const tl_buf_t *embedded)
{
	tl_buf_t name, b;
	tl_buf_init(&name);
	tl_buf_init(&b);
	tl_buf_printf(&name, "%s.manifest.json", pdf_path);
	if (!read_side(v, "manifest beside", name.data, 0, "", &b))
		goto out;
	if (b.len != embedded->len || memcmp(b.data, embedded->data, b.len) != 0) {
		tl_verify_add(
		    v, TL_VERIFY_FAILED, "manifest beside",
		    "%s differs from the embedded manifest from byte offset %zu", name.data,
		    tl_verify_first_difference((const uint8_t *)b.data, b.len,
		                               (const uint8_t *)embedded->data, embedded->len));
		tl_verify_side_fail(v);
	} else {
		tl_verify_add(v, TL_VERIFY_OK, "manifest beside", "%s equals the embedded manifest",
		              name.data);
	}
out:
	tl_buf_free(&name);
	tl_buf_free(&b);
}

static void check_signature(tl_vctx_t *v, const char *sig_path, int given, const uint8_t *pdf,
                            size_t len, const char *ca)
{
	tl_buf_t b;
	tl_buf_init(&b);
	if (!read_side(v, "signature", sig_path, given, " (the report is not signed)", &b)) {
		tl_buf_free(&b);
		return;
	}
	tl_cms_signer_t s;
	char err[2048];
	int rc = tl_cms_verify(pdf, len, (const uint8_t *)b.data, b.len, ca, &s, err, sizeof(err));
	if (rc == TL_OK) {
		tl_verify_add(
		    v, TL_VERIFY_OK, "signature",
		    "%s: a valid %s signature of this file, made with the key of the certificate "
		    "whose subject reads \"%s\" (issuer \"%s\", serial %s, certificate SHA-256 %s, "
		    "validity %s to %s, not checked against any date; revocation not checked); %s",
		    sig_path, s.digest, s.subject, s.issuer, s.serial, s.cert_sha256, s.not_before,
		    s.not_after,
		    s.chain_verified ? "the certificate chains to one of the --ca certificates"
		                     : "no --ca given: a certificate can name anyone, so who holds "
		                       "the key is not established");
	} else {
		tl_verify_add(v, TL_VERIFY_FAILED, "signature", "%s: %s", sig_path, err);
		tl_verify_side_fail(v);
	}
	tl_buf_free(&b);
}

/* The revisions of a PDF: "startxref", at the start of a line, then a byte offset,
 * then "%%EOF" (ISO 32000-1 7.5.5), each ends one. The same letters inside text do
 * not count. */
static size_t count_revisions(const uint8_t *p, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i + 9 <= n; i++) {
		if (p[i] != 's' || memcmp(p + i, "startxref", 9) != 0 ||
		    (i > 0 && p[i - 1] != '\n' && p[i - 1] != '\r'))
			continue;
		size_t k = i + 9, digits = 0;
		while (k < n && (p[k] == '\r' || p[k] == '\n' || p[k] == ' '))
			k++;
		while (k < n && p[k] >= '0' && p[k] <= '9')
			k++, digits++;
		while (k < n && (p[k] == '\r' || p[k] == '\n' || p[k] == ' '))
			k++;
		if (digits && k + 5 <= n && memcmp(p + k, "%%EOF", 5) == 0)
			count++;
	}
	return count;
}

/* The document's structure, judged last: a report made again that is identical
 * byte for byte settles it (the file is then the one tealeaves writes); otherwise a
 * second revision means the file was edited. */
void tl_verify_document_verdict(tl_vctx_t *v)
{
	if (!v->doc_suspect[0])
		return;
	if (v->verdict->remade_identical) {
		tl_verify_add(v, TL_VERIFY_NOTE, "document",
		              "%s, but the report made again is identical to it byte "
		              "for byte, so that pattern is part of its text",
		              v->doc_suspect);
		return;
	}
	tl_verify_add(v, TL_VERIFY_FAILED, "document",
	              "%s: tealeaves writes one section, so the file was edited "
	              "after it was written",
	              v->doc_suspect);
	tl_verify_fail(v);
}

/* Why the document looks edited, if it does: judged at the end (document_verdict). */
static void note_revisions(tl_vctx_t *v, const tl_vdoc_t *d, const tl_pdf_doc_t *doc)
{
	size_t revisions = count_revisions((const uint8_t *)d->pdf.data, d->pdf.len);
	if (doc->updates > 0)
		snprintf(v->doc_suspect, sizeof(v->doc_suspect),
		         "%d incremental update%s appended after the document was written",
		         doc->updates, doc->updates == 1 ? " was" : "s were");
	else if (revisions > 1)
		snprintf(v->doc_suspect, sizeof(v->doc_suspect),
		         "%zu cross-reference sections (startxref ... %%%%EOF) were found",
		         revisions);
}

/* The embedded manifest: there, not empty, and its SHA-256 the document's report ID.
 * Returns 1 when it was taken into d->manifest. */
static int check_embedded_manifest(tl_vctx_t *v, tl_vdoc_t *d, const tl_pdf_doc_t *doc,
                                   const tl_pdf_file_t *mf)
{
	if (!mf) {
		tl_verify_add(v, TL_VERIFY_FAILED, "embedded manifest",
		              "the document carries no manifest.json");
		tl_verify_fail(v);
		return 0;
	}
	if (mf->len == 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "embedded manifest", "manifest.json is empty");
		tl_verify_fail(v);
		return 0;
	}
	tl_buf_append(&d->manifest, mf->data, mf->len);
	char mh[TL_SHA256_HEX_LEN];
	tl_verify_hex(mf->data, mf->len, mh);
	if (!doc->report_id) {
		tl_verify_add(v, TL_VERIFY_FAILED, "embedded manifest",
		              "%zu bytes, SHA-256 %s; the document information has no "
		              "ReportID "
		              "to compare it with",
		              mf->len, mh);
		tl_verify_fail(v);
	} else if (strcmp(doc->report_id, mh) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "embedded manifest",
		              "%zu bytes, SHA-256 %s, but the report ID in the document is "
		              "%s: "
		              "the manifest or the document was changed after the report was "
		              "made",
		              mf->len, mh, doc->report_id);
		tl_verify_fail(v);
	} else {
		tl_verify_add(v, TL_VERIFY_OK, "embedded manifest",
		              "%zu bytes; its SHA-256 is the report ID in the document, %s",
		              mf->len, mh);
	}
	return 1;
}

/* What the document carries: the manifest and the findings as attachments, or none
 * (PDF/A-1b allows none: the manifest is then only beside the report). Returns 1 when
 * the manifest was embedded. */
static int read_carried(tl_vctx_t *v, tl_vdoc_t *d, const tl_pdf_doc_t *doc)
{
	note_revisions(v, d, doc);
	const tl_pdf_file_t *mf = tl_pdf_doc_file(doc, "manifest.json");
	const tl_pdf_file_t *ff = tl_pdf_doc_file(doc, "findings.json");
	int embedded = 0;
	if (doc->n_files == 0)
		d->no_attachments = 1;
	else
		embedded = check_embedded_manifest(v, d, doc, mf);
	if (!ff && !d->no_attachments) {
		tl_verify_add(v, TL_VERIFY_FAILED, "embedded findings",
		              "the document carries no findings.json");
		tl_verify_fail(v);
	} else if (ff) {
		tl_buf_append(&d->findings, ff->data, ff->len);
		d->have_findings = 1;
	}
	return embedded;
}

/* A document without attachments (a PDF/A-1b report): the manifest beside it stands in
 * for the embedded one, when its SHA-256 is the document's report ID. */
static void check_manifest_beside_pdfa1b(tl_vctx_t *v, tl_vdoc_t *d, const tl_pdf_doc_t *doc)
{
	tl_buf_t name;
	tl_buf_init(&name);
	tl_buf_printf(&name, "%s.manifest.json", v->pdf_path);
	char mh[TL_SHA256_HEX_LEN];
	const char *why;
	int none;
	if (tl_verify_read(name.data, TL_VERIFY_MAX_SIDE_BYTES, &d->manifest, &why, &none) != 0) {
		tl_verify_add(v, TL_VERIFY_MISSING, "manifest",
		              "the document has no attachments (as a PDF/A-1b report), and its "
		              "manifest "
		              "is not beside it: %s: %s",
		              name.data, why);
		tl_verify_fail(v);
	} else if (tl_verify_hex(d->manifest.data, d->manifest.len, mh),
	           !doc->report_id || strcmp(doc->report_id, mh) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "manifest beside",
		              "%s: SHA-256 %s, but the report ID in the document is %s", name.data,
		              mh, doc->report_id ? doc->report_id : "absent");
		tl_verify_fail(v);
	} else {
		tl_verify_add(v, TL_VERIFY_OK, "manifest beside",
		              "%s: the document has no attachments (as a PDF/A-1b report); this "
		              "manifest's SHA-256 is the report ID in the document, %s",
		              name.data, mh);
	}
	tl_buf_free(&name);
}

/* The manifest beside the report: it must equal the embedded one; without attachments
 * it stands in for it; and when the document is unreadable, it still says where the
 * inputs are. */
static void check_manifest_beside(tl_vctx_t *v, tl_vdoc_t *d, const tl_pdf_doc_t *doc, int embedded)
{
	if (embedded) {
		check_side_manifest(v, v->pdf_path, &d->manifest);
		return;
	}
	if (d->no_attachments) {
		check_manifest_beside_pdfa1b(v, d, doc);
		return;
	}
	tl_buf_t name;
	tl_buf_init(&name);
	tl_buf_printf(&name, "%s.manifest.json", v->pdf_path);
	const char *why;
	int none;
	if (tl_verify_read(name.data, TL_VERIFY_MAX_SIDE_BYTES, &d->manifest, &why, &none) == 0)
		tl_verify_add(v, TL_VERIFY_NOTE, "manifest beside",
		              "%s: used to find and check the inputs in its place", name.data);
	tl_buf_free(&name);
}

/* The manifest parsed into d->m: a tealeaves manifest, or no_manifest and why. Schema 1
 * lacked timezone_data; such a report is still read, and the manifest made again then
 * differs in "schema" and "timezone_data". */
static int parse_manifest(tl_vctx_t *v, tl_vdoc_t *d)
{
	if (d->manifest.len == 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "manifest",
		              "no manifest (or an empty one): nothing to check the "
		              "report and its inputs against");
		tl_verify_fail(v);
		v->verdict->no_manifest = 1;
		return 0;
	}
	json_error_t je;
	json_t *m = json_loadb(d->manifest.data, d->manifest.len, JSON_REJECT_DUPLICATES, &je);
	const char *schema = m && json_is_object(m) ? tl_verify_jstr(m, "schema") : NULL;
	if (!schema || (strcmp(schema, "tealeaves-manifest/1") != 0 &&
	                strcmp(schema, TL_MANIFEST_SCHEMA) != 0)) {
		if (m)
			tl_verify_add(v, TL_VERIFY_FAILED, "manifest",
			              "not a tealeaves-manifest/1 or " TL_MANIFEST_SCHEMA
			              " document");
		else
			tl_verify_add(v, TL_VERIFY_FAILED, "manifest",
			              "not valid JSON: line %d column %d: %s", je.line, je.column,
			              je.text);
		json_decref(m);
		tl_verify_fail(v);
		v->verdict->no_manifest = 1;
		return 0;
	}
	d->m = m;
	return 1;
}

/* What the manifest says of the document: a report without attachments must be a
 * PDF/A-1b one, and the embedded findings must have the SHA-256 it records. */
static void check_carried_against_manifest(tl_vctx_t *v, const tl_vdoc_t *d)
{
	if (d->no_attachments) {
		const char *pdfa = tl_verify_jstr(json_object_get(d->m, "report"), "pdfa");
		if (!pdfa || strcmp(pdfa, "1b") != 0) {
			tl_verify_add(
			    v, TL_VERIFY_FAILED, "document",
			    "the manifest says PDF/A-%s, whose report carries its manifest "
			    "and findings "
			    "as attachments; this document carries none",
			    pdfa ? pdfa : "?");
			tl_verify_fail(v);
		}
	}
	if (!d->have_findings)
		return;
	const char *want = tl_verify_jstr(d->m, "findings_sha256");
	char fh[TL_SHA256_HEX_LEN];
	tl_verify_hex(d->findings.data, d->findings.len, fh);
	if (!want || strcmp(want, fh) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "embedded findings",
		              "%zu bytes, SHA-256 %s; the manifest says %s", d->findings.len, fh,
		              want ? want : "nothing");
		tl_verify_fail(v);
	} else {
		tl_verify_add(v, TL_VERIFY_OK, "embedded findings",
		              "%zu bytes; SHA-256 %s as the manifest says", d->findings.len, fh);
	}
}

int tl_verify_document(tl_vctx_t *v, tl_vdoc_t *d)
{
	char pdf_hex[TL_SHA256_HEX_LEN];
	tl_verify_hex(d->pdf.data, d->pdf.len, pdf_hex);
	tl_verify_add(v, TL_VERIFY_NOTE, "report file", "%zu bytes, SHA-256 %s", d->pdf.len,
	              pdf_hex);
	check_checksum_file(v, v->pdf_path, pdf_hex);

	tl_pdf_doc_t doc;
	memset(&doc, 0, sizeof(doc));
	char err[4096];
	int embedded = 0;
	if (tl_pdf_read((const uint8_t *)d->pdf.data, d->pdf.len, &doc, err, sizeof(err)) !=
	    TL_OK) {
		tl_verify_add(v, TL_VERIFY_FAILED, "document",
		              "%s: cannot be read as a tealeaves report: %s", v->pdf_path, err);
		tl_verify_fail(v);
	} else {
		embedded = read_carried(v, d, &doc);
	}
	check_manifest_beside(v, d, &doc, embedded);
	tl_pdf_doc_free(&doc);

	tl_buf_t sig;
	tl_buf_init(&sig);
	if (v->o->signature)
		tl_buf_puts(&sig, v->o->signature);
	else
		tl_buf_printf(&sig, "%s.p7s", v->pdf_path);
	check_signature(v, sig.data, v->o->signature != NULL, (const uint8_t *)d->pdf.data,
	                d->pdf.len, v->o->ca);
	tl_buf_free(&sig);

	if (!parse_manifest(v, d))
		return 0;
	check_carried_against_manifest(v, d);
	return 1;
}
