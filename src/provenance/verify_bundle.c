/* verify_bundle.c - a bundle (`tealeaves bundle`'s tar): unpacked into a folder the
 * caller gives, its listing SHA256SUMS checked against what it holds, its report checked
 * against the files in it, and anything else in it named. */
#include "provenance/verify_impl.h"
#include "provenance/tar.h"
#include "util/error.h"
#include "util/xmalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The members SHA256SUMS must list. */
static const char *const required[] = {"report.pdf", "report.pdf.manifest.json"};

/* Checks each line of SHA256SUMS (text, changed by strtok_r): its form, and that the
 * file it names is in the archive with that SHA-256. The names go into listed, the
 * lines into v->listing. Returns the number of good lines; *bad counts the others. */
static size_t check_listed(tl_vctx_t *v, const char *root, char *text, tl_vstrv_t *listed,
                           size_t *bad)
{
	size_t good = 0;
	char *save = NULL;
	tl_buf_t p;
	tl_buf_init(&p);
	for (char *ln = strtok_r(text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		if (strlen(ln) < 67 || ln[64] != ' ' || ln[65] != ' ' || ln[66] == '/' ||
		    tl_verify_has_dotdot(ln + 66)) {
			++*bad;
			tl_verify_add(v, TL_VERIFY_FAILED, "bundle listing",
			              "a line is not \"SHA-256  relative-name\": "
			              "%.200s",
			              ln);
			continue;
		}
		const char *name = ln + 66;
		tl_verify_strv_push(listed, tl_xstrdup(name));
		if (v->listing)
			tl_verify_strv_push(v->listing, tl_xstrdup(ln));
		char hex[TL_SHA256_HEX_LEN];
		uint64_t size;
		tl_buf_clear(&p);
		tl_buf_printf(&p, "%s/%s", root, name);
		struct stat st;
		if (lstat(p.data, &st) != 0 || !S_ISREG(st.st_mode)) {
			++*bad;
			tl_verify_add(v, TL_VERIFY_FAILED, "bundle listing",
			              "%s: listed, but not in the archive", name);
		} else if (tl_sha256_file(p.data, &size, hex) != 0 || strncmp(hex, ln, 64) != 0) {
			++*bad;
			tl_verify_add(v, TL_VERIFY_FAILED, "bundle listing",
			              "%s: SHA-256 %s; SHA256SUMS says %.64s", name, hex, ln);
		} else {
			good++;
		}
	}
	tl_buf_free(&p);
	return good;
}

static int listed_has(const tl_vstrv_t *listed, const char *name)
{
	for (size_t k = 0; k < listed->n; k++)
		if (strcmp(name, listed->v[k]) == 0)
			return 1;
	return 0;
}

/* Every file in the archive but SHA256SUMS itself is listed, and so are the report and
 * its manifest. Returns the number of failures. */
static size_t check_unlisted(tl_vctx_t *v, const char *root, const tl_vstrv_t *listed)
{
	size_t bad = 0;
	tl_vtree_t tree;
	tl_verify_tree_walk(root, TL_TAR_MAX_DEPTH, &tree);
	for (size_t i = 0; i < tree.files.n; i++) {
		if (strcmp(tree.files.v[i], "SHA256SUMS") == 0 ||
		    listed_has(listed, tree.files.v[i]))
			continue;
		bad++;
		tl_verify_add(v, TL_VERIFY_FAILED, "bundle listing",
		              "%s: in the archive, but not in SHA256SUMS", tree.files.v[i]);
	}
	for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
		if (listed_has(listed, required[r]))
			continue;
		bad++;
		tl_verify_add(v, TL_VERIFY_FAILED, "bundle listing", "SHA256SUMS does not list %s",
		              required[r]);
	}
	tl_verify_strv_free(&tree.files);
	return bad;
}

/* A bundle's SHA256SUMS: every file it lists is there with that SHA-256, it lists
 * the report and its manifest, and no file in the bundle is left out of it. */
static void check_listing(tl_vctx_t *v, const char *root)
{
	tl_buf_t b, p;
	tl_buf_init(&b);
	tl_buf_init(&p);
	tl_buf_printf(&p, "%s/SHA256SUMS", root);
	const char *why;
	int none;
	if (tl_verify_read(p.data, TL_VERIFY_MAX_SIDE_BYTES, &b, &why, &none) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "bundle listing", "SHA256SUMS: %s", why);
		tl_verify_fail(v);
		tl_buf_free(&b);
		tl_buf_free(&p);
		return;
	}
	tl_vstrv_t listed = {0};
	size_t bad = 0;
	size_t good = check_listed(v, root, b.data, &listed, &bad);
	bad += check_unlisted(v, root, &listed);
	if (bad)
		tl_verify_fail(v);
	else
		tl_verify_add(v, TL_VERIFY_OK, "bundle listing",
		              "%zu files, each with the SHA-256 SHA256SUMS gives, "
		              "and no other file",
		              good);
	tl_verify_strv_free(&listed);
	tl_buf_free(&b);
	tl_buf_free(&p);
}

/* A bundle holds the files of its case, the report and its side files, and the two
 * listings; anything else in it is named (a planted file would otherwise ride along
 * under a verified report). */
void tl_verify_bundle_members(tl_vctx_t *v)
{
	static const char *const ours[] = {"report.pdf",        "report.pdf.manifest.json",
	                                   "report.pdf.sha256", "report.pdf.p7s",
	                                   "LISTING.txt",       "SHA256SUMS"};
	tl_vtree_t tree;
	/* the extractor makes nothing deeper */
	tl_verify_tree_walk(v->bundle_root, TL_TAR_MAX_DEPTH, &tree);
	tl_vstrv_t present = tree.files;
	size_t extra = 0;
	for (size_t i = 0; i < present.n; i++) {
		int known = 0;
		for (size_t k = 0; k < sizeof(ours) / sizeof(ours[0]) && !known; k++)
			known = strcmp(present.v[i], ours[k]) == 0;
		tl_buf_t p;
		tl_buf_init(&p);
		tl_buf_printf(&p, "%s/%s", v->bundle_root, present.v[i]);
		char *real = known ? NULL : realpath(p.data, NULL);
		for (size_t k = 0; real && k < v->used->n && !known; k++)
			known = strcmp(real, v->used->v[k]) == 0;
		free(real);
		tl_buf_free(&p);
		if (!known) {
			extra++;
			tl_verify_add(v, TL_VERIFY_FAILED, "bundle contents",
			              "%s: in the bundle, but neither a file of "
			              "the case that matched its manifest nor one "
			              "tealeaves writes",
			              present.v[i]);
		}
	}
	if (extra)
		tl_verify_fail(v);
	else
		tl_verify_add(v, TL_VERIFY_OK, "bundle contents",
		              "every file in the bundle is a file of the case, "
		              "the report, its side files or the listings");
	tl_verify_strv_free(&present);
}

/* The bundle's one top-level folder into root, as bundle writes it; 1 when dir holds
 * exactly one entry and it holds report.pdf, a regular file. */
static int find_root(const char *dir, char *root, size_t rootlen, char *pdf, size_t pdflen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		snprintf(root, rootlen, "%s/%s", dir, e->d_name);
	}
	if (d)
		closedir(d);
	snprintf(pdf, pdflen, "%s/report.pdf", root);
	struct stat st;
	return n == 1 && stat(pdf, &st) == 0 && S_ISREG(st.st_mode);
}

int tl_verify_bundle(const char *tar, const char *dir, const tl_verify_opts_t *o, tl_verdict_t *vd,
                     char *err, size_t errlen)
{
	tl_vctx_t v;
	memset(&v, 0, sizeof(v));
	v.o = o;
	v.verdict = vd;
	tl_verify_say(&v, "unpacking %s into a temporary folder", tar);
	v.tmp_dir = dir;
	v.tmp_name = tar;
	int rc = tl_tar_extract(tar, dir, err, errlen);
	if (rc != TL_OK)
		return rc;
	char root[8192] = "", pdf[8300];
	if (!find_root(dir, root, sizeof(root), pdf, sizeof(pdf))) {
		snprintf(err, errlen, "%s: not a tealeaves bundle (one folder holding report.pdf)",
		         tar);
		return TL_EFORMAT;
	}
	/* the listing: every file with its SHA-256, as sha256sum -c reads it */
	tl_vstrv_t listing = {0}, used = {0};
	v.listing = &listing;
	check_listing(&v, root);
	/* the report, checked against the files in the bundle only; its verdict counts
	 * the listing's checks too */
	char shown[8400];
	snprintf(shown, sizeof(shown), "%s:%s", tar, pdf + strlen(dir) + 1);
	v.pdf_path = pdf;
	v.shown = shown;
	v.inputs_dir = root;
	v.inputs_real = realpath(root, NULL);
	if (!v.inputs_real) {
		/* without it no file could be held to the bundle's folder: stop, never search
		 * unconfined */
		int e = errno;
		snprintf(err, errlen, "%s: %s", root, strerror(e));
		tl_verify_strv_free(&used);
		tl_verify_strv_free(&listing);
		return tl_errno_to_err(e);
	}
	v.used = &used;
	v.bundle_root = root;
	rc = tl_verify_run(&v, err, errlen);
	tl_verify_strv_free(&used);
	tl_verify_strv_free(&listing);
	free(v.inputs_real);
	return rc;
}
