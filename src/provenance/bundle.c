/* bundle.c - one tar archive holding a case file, every file it names, the report made from
 * them with its manifest, checksum and signature, and a listing, so that a case can be
 * stored as one file and checked with verify. */
#include "provenance/bundle.h"
#include "provenance/tar.h"
#include "util/error.h"
#include "util/xmalloc.h"
#include "tl_version.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What is being written: the bundle's members and the archive. */
typedef struct bctx {
	tl_bundle_t *b;
	tl_tar_writer_t *w;
	char *err;
	size_t errlen;
} bctx_t;

static int name_used(const bctx_t *b, const char *name)
{
	for (size_t i = 0; i < b->b->n; i++)
		if (strcmp(b->b->m[i].name, name) == 0)
			return 1;
	return 0;
}

/* A relative path without "." or ".." components, empty components or a leading
 * slash keeps its place below the top folder (so the case file inside the bundle
 * still finds it); anything else goes to other/<label>/<file name>. */
static char *member_name(const bctx_t *b, const char *as_written, const char *label)
{
	/* "./a/./b" is kept as "a/b"; "..", empty components and absolute paths are not kept */
	tl_buf_t nb;
	tl_buf_init(&nb);
	int clean = as_written[0] != '/' && as_written[0] != '\0';
	for (const char *p = as_written; clean && *p;) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);
		if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.'))
			clean = 0;
		else if (!(n == 1 && p[0] == '.')) {
			if (nb.len)
				tl_buf_putc(&nb, '/');
			tl_buf_append(&nb, p, n);
		}
		p = s ? s + 1 : p + n;
	}
	if (!nb.len)
		clean = 0;
	if (!clean || name_used(b, nb.data)) {
		const char *base = strrchr(as_written, '/');
		tl_buf_clear(&nb);
		tl_buf_printf(&nb, "other/%s/%s", label, base ? base + 1 : as_written);
	}
	/* tar names are kept to printable ASCII, so that every tar program reads them
	 * alike: other bytes become '_' (LISTING.txt gives the name as written, and verify
	 * finds the file by its SHA-256 in SHA256SUMS) */
	int ascii = 1;
	for (const char *p = nb.data; *p; p++)
		ascii &= *p >= 0x20 && *p <= 0x7e;
	if (!ascii) {
		const char *base = strrchr(as_written, '/');
		base = base ? base + 1 : as_written;
		tl_buf_clear(&nb);
		tl_buf_printf(&nb, "other/%s/", label);
		for (const char *p = base; *p; p++)
			tl_buf_putc(&nb, *p >= 0x20 && *p <= 0x7e ? *p : '_');
	}
	return nb.data;
}

static tl_bundle_member_t *add_member(bctx_t *b, char *name, const char *role)
{
	if (b->b->n == b->b->cap) {
		b->b->cap = b->b->cap ? b->b->cap * 2 : 16;
		b->b->m = tl_xrealloc(b->b->m, b->b->cap * sizeof(*b->b->m));
	}
	tl_bundle_member_t *m = &b->b->m[b->b->n++];
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->role = tl_xstrdup(role);
	return m;
}

/* Archives the file at path; when want (hex SHA-256) is given, the bytes archived
 * must have it. Returns TL_OK or a TL_E* code with the message in b->err. */
static int add_path(bctx_t *b, char *name, const char *role, const char *path, const char *want,
                    const char *as_written)
{
	for (const char *p = name; *p; p++) {
		if (*p < 0x20 || *p > 0x7e) {
			snprintf(b->err, b->errlen,
			         "bundle: %s: names in the archive are kept to printable ASCII, so "
			         "that every tar program reads them alike, and this one is not; "
			         "rename the file (and its line in the case file) to bundle it",
			         path);
			free(name);
			return TL_EFORMAT;
		}
	}
	if (name_used(b, name)) {
		snprintf(b->err, b->errlen, "bundle: two files would be stored as %s", name);
		free(name);
		return TL_ECASE;
	}
	tl_bundle_member_t *m = add_member(b, name, role);
	if (as_written && strcmp(as_written, name) != 0)
		m->as_written = tl_xstrdup(as_written);
	char full[8192];
	snprintf(full, sizeof(full), "%s/%s", b->b->root, name);
	uint8_t d[TL_SHA256_LEN];
	char why[4096];
	if (tl_tar_add_file(b->w, full, path, d, &m->size, why, sizeof(why)) != TL_OK) {
		snprintf(b->err, b->errlen, "bundle: %s", why);
		return TL_EIO;
	}
	tl_sha256_hex(d, m->sha256);
	if (want && strcmp(want, m->sha256) != 0) {
		snprintf(b->err, b->errlen,
		         "bundle: %s changed while the bundle was made: its SHA-256 is now %s, "
		         "the report's manifest says %s",
		         path, m->sha256, want);
		return TL_EEVIDENCE;
	}
	return TL_OK;
}

static int add_bytes(bctx_t *b, const char *name, const char *role, const void *data, size_t len)
{
	tl_bundle_member_t *m = add_member(b, tl_xstrdup(name), role);
	char full[8192];
	snprintf(full, sizeof(full), "%s/%s", b->b->root, name);
	m->size = len;
	uint8_t d[TL_SHA256_LEN];
	tl_sha256(data, len, d);
	tl_sha256_hex(d, m->sha256);
	char why[4096];
	if (tl_tar_add_bytes(b->w, full, data, len, why, sizeof(why)) != TL_OK) {
		snprintf(b->err, b->errlen, "bundle: %s", why);
		return TL_EOUTPUT;
	}
	return TL_OK;
}

/* The archive's files; returns TL_OK or a TL_E* code with the message in b->err. */
static int fill(bctx_t *b, const tl_case_t *c, const tl_findings_t *f, const tl_make_report_t *r,
                const tl_buf_t *sig)
{
	int st;
	const char *cbase = strrchr(c->path, '/');
	cbase = cbase ? cbase + 1 : c->path;
	char hex[TL_SHA256_HEX_LEN];
	memcpy(hex, c->file_sha256_hex, sizeof(hex));
	if ((st = add_path(b, member_name(b, cbase, "case"), "case file", c->path, hex, cbase)) !=
	    TL_OK)
		return st;
	for (size_t i = 0; i < f->ctx.n_inputs; i++) {
		const tl_ctx_input_t *in = &f->ctx.inputs[i];
		char role[128];
		snprintf(role, sizeof(role), "input %s", in->label);
		tl_sha256_hex(in->info.sha256, hex);
		if ((st = add_path(b, member_name(b, in->path, in->label), role, in->resolved, hex,
		                   in->path)) != TL_OK)
			return st;
	}
	const struct {
		const char *role, *path, *resolved;
	} extra[] = {
	    {"organisations", c->orgs_path, c->orgs_resolved},
	    {"address database", c->mmdb_path, c->mmdb_resolved},
	    {"events", c->events_path, c->events_resolved},
	    {"template", c->template_resolved ? c->template_name : NULL, c->template_resolved},
	};
	/* these must be the bytes the manifest hashed, like the inputs */
	json_t *man = json_loadb(r->manifest.data, r->manifest.len, 0, NULL);
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		if (!extra[i].path || !extra[i].resolved)
			continue;
		const char *label = extra[i].role[0] == 'o'   ? "organisations"
		                    : extra[i].role[0] == 'a' ? "mmdb"
		                    : extra[i].role[0] == 'e' ? "events"
		                                              : "template";
		json_t *h = json_object_get(json_object_get(man, label), "sha256");
		if (!json_is_string(h)) {
			snprintf(b->err, b->errlen, "bundle: the manifest has no SHA-256 for %s",
			         extra[i].path);
			json_decref(man);
			return TL_ECASE;
		}
		st = add_path(b, member_name(b, extra[i].path, label), extra[i].role,
		              extra[i].resolved, json_string_value(h), extra[i].path);
		if (st != TL_OK) {
			json_decref(man);
			return st;
		}
	}
	json_decref(man);
	if ((st = add_bytes(b, "report.pdf", "report", r->pdf, r->pdf_len)) != TL_OK ||
	    (st = add_bytes(b, "report.pdf.manifest.json", "manifest", r->manifest.data,
	                    r->manifest.len)) != TL_OK)
		return st;
	tl_buf_t side;
	tl_buf_init(&side);
	tl_buf_printf(&side, "%s  report.pdf\n", b->b->m[b->b->n - 2].sha256);
	st = add_bytes(b, "report.pdf.sha256", "checksum", side.data, side.len);
	tl_buf_free(&side);
	if (st != TL_OK)
		return st;
	if (sig->len &&
	    (st = add_bytes(b, "report.pdf.p7s", "signature", sig->data, sig->len)) != TL_OK)
		return st;

	/* the listing for people, and the one sha256sum -c reads */
	tl_buf_t list, sums;
	tl_buf_init(&list);
	tl_buf_init(&sums);
	tl_buf_printf(&list, "tealeaves %s bundle of the case file %s\nreport ID %s\n\n",
	              TL_VERSION, cbase, r->id);
	tl_buf_printf(&list, "%-20s %14s  %-64s  %s\n", "role", "bytes", "SHA-256", "file");
	for (size_t i = 0; i < b->b->n; i++)
		tl_buf_printf(&list, "%-20s %14llu  %s  %s%s%s%s\n", b->b->m[i].role,
		              (unsigned long long)b->b->m[i].size, b->b->m[i].sha256, b->b->m[i].name,
		              b->b->m[i].as_written ? " (the case file names it \"" : "",
		              b->b->m[i].as_written ? b->b->m[i].as_written : "",
		              b->b->m[i].as_written ? "\")" : "");
	tl_buf_puts(&list, "\nTo check: tealeaves verify on this archive, or unpack it and run "
	                   "sha256sum -c SHA256SUMS in its folder, then tealeaves verify "
	                   "report.pdf --inputs .\n");
	st = add_bytes(b, "LISTING.txt", "listing", list.data, list.len);
	/* SHA256SUMS lists every other file, the listing included */
	for (size_t i = 0; i < b->b->n; i++)
		tl_buf_printf(&sums, "%s  %s\n", b->b->m[i].sha256, b->b->m[i].name);
	if (st == TL_OK)
		st = add_bytes(b, "SHA256SUMS", "checksums", sums.data, sums.len);
	tl_buf_free(&list);
	tl_buf_free(&sums);
	return st;
}

void tl_bundle_root(const char *case_path, char root[TL_BUNDLE_ROOT_LEN])
{
	const char *cbase = strrchr(case_path, '/');
	cbase = cbase ? cbase + 1 : case_path;
	size_t k = 0;
	for (const char *p = cbase; *p && *p != '.' && k + 1 < TL_BUNDLE_ROOT_LEN; p++)
		root[k++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		                           (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'
		                       ? *p
		                       : '_');
	root[k] = '\0';
	if (!k)
		snprintf(root, TL_BUNDLE_ROOT_LEN, "case");
}

int tl_bundle_write(tl_bundle_t *bundle, const char *path, int64_t date_s, const tl_case_t *c,
                    const tl_findings_t *f, const tl_make_report_t *r, const tl_buf_t *sig,
                    char *err, size_t errlen)
{
	bctx_t b = {.b = bundle, .err = err, .errlen = errlen};
	if (tl_tar_open(path, date_s, &b.w, err, errlen) != TL_OK)
		return TL_EOUTPUT;
	int rc = fill(&b, c, f, r, sig);
	if (rc != TL_OK) {
		tl_tar_abort(b.w);
		return rc;
	}
	if (tl_tar_close(b.w, err, errlen) != TL_OK)
		return TL_EOUTPUT;
	return TL_OK;
}

void tl_bundle_free(tl_bundle_t *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->m[i].name);
		free(b->m[i].role);
		free(b->m[i].as_written);
	}
	free(b->m);
	memset(b, 0, sizeof(*b));
}
