/* cmd_bundle.c - `tealeaves bundle`: one tar archive holding a case file, every file it
 * names, the report made from them with its manifest, checksum and signature, and a
 * listing, so that a case can be stored as one file and checked with verify. */
#include "cli/common.h"
#include "render/chart/chart.h"
#include "provenance/cms.h"
#include "util/error.h"
#include "util/file.h"
#include "provenance/tar.h"
#include "util/xmalloc.h"
#include "tl_version.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_REPORT_BYTES ((size_t)1 << 31)

typedef struct member {
	char *name;       /* in the archive, below the top folder */
	char *role;       /* "case file", "input s1", ... */
	char *as_written; /* the name the case file gives, when it is stored under another */
	uint64_t size;
	char sha256[TL_SHA256_HEX_LEN];
} member_t;

typedef struct bctx {
	tl_tar_writer_t *w;
	const char *root; /* the top folder */
	member_t *m;
	size_t n, cap;
	char err[4096];
} bctx_t;

static int name_used(const bctx_t *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->m[i].name, name) == 0)
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

static member_t *add_member(bctx_t *b, char *name, const char *role)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->m = tl_xrealloc(b->m, b->cap * sizeof(*b->m));
	}
	member_t *m = &b->m[b->n++];
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->role = tl_xstrdup(role);
	return m;
}

/* Archives the file at path; when want (hex SHA-256) is given, the bytes archived
 * must have it. Returns an exit status. */
static int add_path(bctx_t *b, char *name, const char *role, const char *path, const char *want,
                    const char *as_written)
{
	for (const char *p = name; *p; p++) {
		if (*p < 0x20 || *p > 0x7e) {
			fprintf(stderr,
			        "tealeaves: bundle: %s: names in the archive are kept to "
			        "printable ASCII, so that every tar program reads them alike, and "
			        "this one is not; rename the file (and its line in the case file) "
			        "to bundle it\n",
			        path);
			free(name);
			return EXIT_INPUT;
		}
	}
	if (name_used(b, name)) {
		fprintf(stderr, "tealeaves: bundle: two files would be stored as %s\n", name);
		free(name);
		return EXIT_CASE;
	}
	member_t *m = add_member(b, name, role);
	if (as_written && strcmp(as_written, name) != 0)
		m->as_written = tl_xstrdup(as_written);
	char full[8192];
	snprintf(full, sizeof(full), "%s/%s", b->root, name);
	uint8_t d[TL_SHA256_LEN];
	if (tl_tar_add_file(b->w, full, path, d, &m->size, b->err, sizeof(b->err)) != TL_OK) {
		fprintf(stderr, "tealeaves: bundle: %s\n", b->err);
		return EXIT_INPUT;
	}
	tl_sha256_hex(d, m->sha256);
	if (want && strcmp(want, m->sha256) != 0) {
		fprintf(stderr,
		        "tealeaves: bundle: %s changed while the bundle was made: its "
		        "SHA-256 is now %s, the report's manifest says %s\n",
		        path, m->sha256, want);
		return EXIT_EVIDENCE;
	}
	return EXIT_OK;
}

static int add_bytes(bctx_t *b, const char *name, const char *role, const void *data, size_t len)
{
	member_t *m = add_member(b, tl_xstrdup(name), role);
	char full[8192];
	snprintf(full, sizeof(full), "%s/%s", b->root, name);
	m->size = len;
	uint8_t d[TL_SHA256_LEN];
	tl_sha256(data, len, d);
	tl_sha256_hex(d, m->sha256);
	if (tl_tar_add_bytes(b->w, full, data, len, b->err, sizeof(b->err)) != TL_OK) {
		fprintf(stderr, "tealeaves: bundle: %s\n", b->err);
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

static const struct option bundle_long[] = {
    {"output", required_argument, NULL, 'o'},   {"report", required_argument, NULL, 'r'},
    {"set", required_argument, NULL, 's'},      {"threads", required_argument, NULL, 't'},
    {"pdfa", required_argument, NULL, 'a'},     {"draft", no_argument, NULL, 'd'},
    {"sign-key", required_argument, NULL, 'k'}, {"sign-cert", required_argument, NULL, 'e'},
    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
};

static int usage(const char *msg)
{
	fprintf(stderr, "tealeaves: bundle: %s\nrun 'tealeaves help' for usage\n", msg);
	return EXIT_USAGE;
}

/* The archive's files; returns an exit status. */
static int fill(bctx_t *b, const tl_case_t *c, const tl_findings_t *f, const tl_make_report_t *r,
                const tl_buf_t *sig)
{
	int st;
	const char *cbase = strrchr(c->path, '/');
	cbase = cbase ? cbase + 1 : c->path;
	char hex[TL_SHA256_HEX_LEN];
	memcpy(hex, c->file_sha256_hex, sizeof(hex));
	if ((st = add_path(b, member_name(b, cbase, "case"), "case file", c->path, hex, cbase)) !=
	    EXIT_OK)
		return st;
	for (size_t i = 0; i < f->ctx.n_inputs; i++) {
		const tl_ctx_input_t *in = &f->ctx.inputs[i];
		char role[128];
		snprintf(role, sizeof(role), "input %s", in->label);
		tl_sha256_hex(in->info.sha256, hex);
		if ((st = add_path(b, member_name(b, in->path, in->label), role, in->resolved, hex,
		                   in->path)) != EXIT_OK)
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
			fprintf(stderr, "tealeaves: bundle: the manifest has no SHA-256 for %s\n",
			        extra[i].path);
			json_decref(man);
			return EXIT_CASE;
		}
		st = add_path(b, member_name(b, extra[i].path, label), extra[i].role,
		              extra[i].resolved, json_string_value(h), extra[i].path);
		if (st != EXIT_OK) {
			json_decref(man);
			return st;
		}
	}
	json_decref(man);
	if ((st = add_bytes(b, "report.pdf", "report", r->pdf, r->pdf_len)) != EXIT_OK ||
	    (st = add_bytes(b, "report.pdf.manifest.json", "manifest", r->manifest.data,
	                    r->manifest.len)) != EXIT_OK)
		return st;
	tl_buf_t side;
	tl_buf_init(&side);
	tl_buf_printf(&side, "%s  report.pdf\n", b->m[b->n - 2].sha256);
	st = add_bytes(b, "report.pdf.sha256", "checksum", side.data, side.len);
	tl_buf_free(&side);
	if (st != EXIT_OK)
		return st;
	if (sig->len &&
	    (st = add_bytes(b, "report.pdf.p7s", "signature", sig->data, sig->len)) != EXIT_OK)
		return st;

	/* the listing for people, and the one sha256sum -c reads */
	tl_buf_t list, sums;
	tl_buf_init(&list);
	tl_buf_init(&sums);
	tl_buf_printf(&list, "tealeaves %s bundle of the case file %s\nreport ID %s\n\n",
	              TL_VERSION, cbase, r->id);
	tl_buf_printf(&list, "%-20s %14s  %-64s  %s\n", "role", "bytes", "SHA-256", "file");
	for (size_t i = 0; i < b->n; i++)
		tl_buf_printf(&list, "%-20s %14llu  %s  %s%s%s%s\n", b->m[i].role,
		              (unsigned long long)b->m[i].size, b->m[i].sha256, b->m[i].name,
		              b->m[i].as_written ? " (the case file names it \"" : "",
		              b->m[i].as_written ? b->m[i].as_written : "",
		              b->m[i].as_written ? "\")" : "");
	tl_buf_puts(&list, "\nTo check: tealeaves verify on this archive, or unpack it and run "
	                   "sha256sum -c SHA256SUMS in its folder, then tealeaves verify "
	                   "report.pdf --inputs .\n");
	st = add_bytes(b, "LISTING.txt", "listing", list.data, list.len);
	/* SHA256SUMS lists every other file, the listing included */
	for (size_t i = 0; i < b->n; i++)
		tl_buf_printf(&sums, "%s  %s\n", b->m[i].sha256, b->m[i].name);
	if (st == EXIT_OK)
		st = add_bytes(b, "SHA256SUMS", "checksums", sums.data, sums.len);
	tl_buf_free(&list);
	tl_buf_free(&sums);
	return st;
}

int tl_cli_bundle(int argc, char **argv)
{
	const char *output = NULL, *given = NULL, *sign_key = NULL, *sign_cert = NULL;
	const char *sets[64];
	size_t n_sets = 0;
	unsigned threads = 0;
	int pdfa_1b = 0, draft = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:s:t:h", bundle_long, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'r':
			given = optarg;
			break;
		case 's':
			if (n_sets == sizeof(sets) / sizeof(sets[0]))
				return usage("too many --set options");
			sets[n_sets++] = optarg;
			break;
		case 't':
			if (tl_cli_parse_threads(optarg, &threads) != 0)
				return usage("bad thread count");
			break;
		case 'a':
			if (strcmp(optarg, "1b") == 0)
				pdfa_1b = 1;
			else if (strcmp(optarg, "3b") != 0)
				return usage("--pdfa takes 3b (default) or 1b");
			break;
		case 'd':
			draft = 1;
			break;
		case 'k':
			sign_key = optarg;
			break;
		case 'e':
			sign_cert = optarg;
			break;
		case 'h':
			fputs("usage: tealeaves bundle CASE -o FILE.tar [--report FILE.pdf] [--pdfa 3b|1b]\n"
			      "                        [--draft] [--set SECTION.KEY=VALUE]... [--threads N]\n"
			      "                        [--sign-key KEY.pem --sign-cert CERT.pem]\n"
			      "\n"
			      "Writes one archive with the case file, its inputs, the report, its manifest,\n"
			      "a listing and SHA256SUMS, ready for `tealeaves verify FILE.tar`.\n"
			      "\n"
			      "options:\n"
			      "  -o, --output FILE.tar  the archive (a file name; only a regular file or\n"
			      "                         nothing is replaced)\n"
			      "  --report FILE.pdf      put this report in, after checking that the case\n"
			      "                         makes it again byte for byte\n"
			      "  --pdfa 3b|1b, --draft, --set SECTION.KEY=VALUE, --threads N,\n"
			      "  --sign-key KEY.pem --sign-cert CERT.pem   as for report\n"
			      "\n"
			      "example:\n"
			      "  tealeaves bundle samples/case.ini -o case.tar && tealeaves verify case.tar\n",
			      stdout);
			return EXIT_OK;
		default:
			return usage("bad option");
		}
	}
	if (argc - optind != 1 || !output)
		return usage("give one case file and -o FILE.tar");
	if (!sign_key != !sign_cert)
		return usage("--sign-key and --sign-cert go together");
	if (strcmp(output, TL_OUTFILE_STDOUT) == 0)
		return usage("a bundle needs a file name after -o");
	if (tl_cli_check_output(output) != EXIT_OK)
		return EXIT_OUTPUT;
	const char *case_path = argv[optind];
	tl_case_t *c = NULL;
	tl_events_t *events = NULL;
	tl_findings_t f;
	char err[4096], *tmp = NULL;
	int st = tl_cli_fail(
	    tl_make_run_case(case_path, sets, n_sets, threads, &c, &events, &f, err, sizeof(err)),
	    err);
	if (st != EXIT_OK)
		return st;
	tl_make_report_opts_t ro = {
	    .case_path = case_path,
	    .sets = sets,
	    .n_sets = n_sets,
	    .pdfa_1b = pdfa_1b,
	    .draft = draft,
	};
	tl_cli_report_program(&ro);
	tl_make_report_t r;
	memset(&r, 0, sizeof(r));
	tl_buf_t sig, old;
	tl_buf_init(&sig);
	tl_buf_init(&old);
	bctx_t b;
	memset(&b, 0, sizeof(b));
	if ((st = tl_cli_fail(tl_make_need_report_date(c, case_path, &ro.date_s, err, sizeof(err)),
	                      err)) != EXIT_OK)
		goto out;
	if ((st = tl_cli_fail(tl_make_report(&f, &ro, &r, err, sizeof(err)), err)) != EXIT_OK)
		goto out;
	if (given) {
		/* an existing report goes in only if it is the one these files make */
		if (tl_cli_read_file(given, MAX_REPORT_BYTES, &old) != 0) {
			fprintf(stderr, "tealeaves: %s: %s\n", given, strerror(errno));
			st = EXIT_INPUT;
			goto out;
		}
		if (old.len != r.pdf_len || memcmp(old.data, r.pdf, r.pdf_len) != 0) {
			fprintf(stderr,
			        "tealeaves: bundle: %s is not the report these files and "
			        "options make now (run tealeaves verify %s to see why)\n",
			        given, given);
			st = EXIT_UNVERIFIED;
			goto out;
		}
		tl_buf_t p;
		tl_buf_init(&p);
		tl_buf_printf(&p, "%s.p7s", given);
		if (!sign_key && tl_cli_read_file(p.data, (size_t)64 << 20, &sig) == 0) {
			tl_cms_signer_t who;
			if (tl_cms_verify(r.pdf, r.pdf_len, (const uint8_t *)sig.data, sig.len,
			                  NULL, &who, err, sizeof(err)) != TL_OK) {
				fprintf(stderr, "tealeaves: bundle: %s: %s\n", p.data, err);
				st = EXIT_UNVERIFIED;
				tl_buf_free(&p);
				goto out;
			}
		}
		tl_buf_free(&p);
	}
	if (sign_key) {
		tl_buf_clear(&sig);
		if ((st = tl_cli_fail(tl_make_sign_report(&r, sign_key, sign_cert, &sig, err,
		                                          sizeof(err)),
		                      err)) != EXIT_OK)
			goto out;
	}

	/* the top folder is named after the case file */
	const char *cbase = strrchr(case_path, '/');
	cbase = cbase ? cbase + 1 : case_path;
	char root[256];
	size_t k = 0;
	for (const char *p = cbase; *p && *p != '.' && k + 1 < sizeof(root); p++)
		root[k++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		                           (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'
		                       ? *p
		                       : '_');
	root[k] = '\0';
	if (!k)
		snprintf(root, sizeof(root), "case");
	b.root = root;
	char why[256];
	if (tl_file_out_begin(output, &tmp, why, sizeof(why)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", output, why);
		st = EXIT_OUTPUT;
		goto out;
	}
	if (tl_tar_open(tmp, ro.date_s, &b.w, err, sizeof(err)) != TL_OK) {
		unlink(tmp);
		fprintf(stderr, "tealeaves: %s\n", err);
		st = EXIT_OUTPUT;
		goto out;
	}
	st = fill(&b, c, &f, &r, &sig);
	if (st != EXIT_OK) {
		tl_tar_abort(b.w);
		unlink(tmp);
		goto out;
	}
	if (tl_tar_close(b.w, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		unlink(tmp);
		st = EXIT_OUTPUT;
		goto out;
	}
	if (tl_file_out_commit(tmp, output, why, sizeof(why)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s: %s; nothing written\n", output, why);
		st = EXIT_OUTPUT;
		goto out;
	}
	printf("wrote %s: %zu files in %s/, report ID %s\n", output, b.n, root, r.id);
	for (size_t i = 0; i < b.n; i++)
		printf("  %-20s %14llu  %s\n", b.m[i].role, (unsigned long long)b.m[i].size,
		       b.m[i].name);
out:
	for (size_t i = 0; i < b.n; i++) {
		free(b.m[i].name);
		free(b.m[i].role);
		free(b.m[i].as_written);
	}
	free(b.m);
	free(tmp);
	tl_buf_free(&sig);
	tl_buf_free(&old);
	tl_make_report_free(&r);
	tl_make_case_done(c, events, &f);
	tl_chart_release();
	return st;
}
