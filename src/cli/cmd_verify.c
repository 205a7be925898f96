/* verify.c - `tealeaves verify`: takes the manifest and findings back out of a
 * report, finds the files the manifest names, checks every hash, runs the analysis
 * again, makes the report again and compares it with the given one byte for byte.
 * Every check prints one line: its verdict, what was compared, and the figures. */
#include "cli/cli.h"
#include "provenance/manifest.h"
#include "render/chart/chart.h"
#include "render/pdf/pdf.h"
#include "provenance/pdf_read.h"
#include "provenance/cms.h"
#include "util/error.h"
#include "provenance/tar.h"
#include "util/time.h"
#include "util/tz.h"
#include "util/xmalloc.h"
#include "tl_version.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PDF_BYTES      ((size_t)1 << 31)  /* 2 GiB: far above any report */
#define MAX_SIDE_BYTES     ((size_t)64 << 20) /* manifests, checksums, signatures */
#define SEARCH_DEPTH       16
#define SEARCH_MAX_ENTRIES 200000

/* Verdict words, fixed width in the output. */
#define V_OK      "ok"
#define V_FAILED  "FAILED"
#define V_MISSING "MISSING"
#define V_DIFFERS "DIFFERS"
#define V_NOTE    "note"
#define V_SKIPPED "skipped"

typedef struct vctx {
	const char *inputs_dir; /* --inputs, or the unpacked bundle */
	char *inputs_real;      /* its real path (files must be below it) */
	const char *pdf_path;
	const char *shown;       /* how the report is named in the output */
	const char *pdf_dir;     /* the report's folder */
	const char *case_path;   /* the case file as the report's command named it */
	const char *case_dir;    /* its folder */
	const char *tmp_dir;     /* a bundle's temporary folder, named in the output as */
	const char *tmp_name;    /* the bundle */
	int evidence_failed;     /* a file differs or is unreadable, or the document was edited */
	int missing;             /* files named in the manifest that were not found */
	int no_manifest;         /* no readable manifest: nothing could be checked */
	int tool_differs;        /* the manifest names another build, libraries or data files */
	int remade_identical;    /* the manifest and the PDF made again equal the given ones */
	int findings_differ;     /* the findings made again differ from the report's */
	char doc_suspect[300];   /* why the document looks edited ("" when it does not) */
	int n_overrides;         /* recorded --set overrides (said in the verdict) */
	int side_failed;         /* a file beside the report does not match it */
	struct strv *used;       /* bundles: real paths of the files that matched */
	struct strv *listing;    /* bundles: the lines of SHA256SUMS ("hex  name") */
	struct tree *tree;       /* the files under inputs_dir, walked once */
	const char *bundle_root; /* bundles: the unpacked top folder */
	int checks;
	tl_json_t *json;     /* --json: the checks go into this array, not to stdout */
	const char *verdict; /* for --json: the verdict's first words, and */
	char summary[8600];  /* the sentence after them */
} vctx_t;

/* 1 for the code points that could make printed text lie about itself: C1
 * controls, line and paragraph separators, and the bidirectional marks and
 * overrides (Unicode 15, UAX #9). */
static int deceptive(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x061c || cp == 0xfeff;
}

/* Appends the character at p (left bytes remain) escaped as needed; returns the
 * bytes it took. */
static size_t put_escaped_char(tl_buf_t *b, const char *p, size_t left)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = tl_utf8_len(u, left);
	if (n == 0 || u[0] < 0x20 || u[0] == 0x7f) {
		tl_buf_printf(b, "\\x%02x", u[0]);
		return 1;
	}
	if (u[0] == '\\') {
		tl_buf_puts(b, "\\\\");
		return 1;
	}
	uint32_t cp =
	    n == 1   ? u[0]
	    : n == 2 ? (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f)
	    : n == 3 ? (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f)
	             : (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
	                   (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
	if (deceptive(cp))
		tl_buf_printf(b, "\\u%04x", (unsigned)cp);
	else
		tl_buf_append(b, p, n);
	return n;
}

static void put_escaped_plain(tl_buf_t *b, const char *s)
{
	const char *end = s + strlen(s);
	while (*s)
		s += put_escaped_char(b, s, (size_t)(end - s));
}

/* Appends msg to b so that no byte of it can forge a line or drive a terminal:
 * control characters and invalid UTF-8 as \xNN, deceptive code points as \uNNNN, a
 * backslash doubled. A bundle's temporary folder is shown as "BUNDLE.tar:" (its
 * name is random, and the files are the bundle's). */
static void put_escaped(const vctx_t *v, tl_buf_t *b, const char *msg)
{
	const char *p = msg, *end = msg + strlen(msg);
	size_t tn = v->tmp_dir ? strlen(v->tmp_dir) : 0;
	while (*p) {
		if (tn && strncmp(p, v->tmp_dir, tn) == 0 && p[tn] == '/') {
			put_escaped_plain(b, v->tmp_name);
			tl_buf_putc(b, ':');
			p += tn + 1;
			continue;
		}
		size_t n = put_escaped_char(b, p, (size_t)(end - p));
		p += n;
	}
}

/* put_escaped of the formatted text. */
__attribute__((format(printf, 3, 0))) static void put_escaped_fmt(const vctx_t *v, tl_buf_t *b,
                                                                  const char *fmt, va_list ap)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	put_escaped(v, b, msg ? msg : "(out of memory)");
	free(msg);
}

__attribute__((format(printf, 4, 5))) static void line(vctx_t *v, const char *word,
                                                       const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tl_buf_t b;
	tl_buf_init(&b);
	if (!v->json)
		tl_buf_printf(&b, "%-8s %-22s ", word, what); /* --json keeps only the detail */
	put_escaped_fmt(v, &b, fmt, ap);
	va_end(ap);
	if (v->json) {
		tl_json_obj_begin(v->json);
		tl_json_key(v->json, "verdict");
		tl_json_str(v->json, word);
		tl_json_key(v->json, "check");
		tl_json_str(v->json, what);
		tl_json_key(v->json, "detail");
		tl_json_str(v->json, b.data);
		tl_json_obj_end(v->json);
	} else {
		puts(b.data);
	}
	tl_buf_free(&b);
	v->checks++;
}

/* The last line: the verdict on the whole. */
__attribute__((format(printf, 3, 4))) static void conclude(vctx_t *v, const char *verdict,
                                                           const char *fmt, ...)
{
	tl_buf_t b;
	tl_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	put_escaped_fmt(v, &b, fmt, ap);
	va_end(ap);
	snprintf(v->summary, sizeof(v->summary), "%s", b.data);
	tl_buf_free(&b);
	v->verdict = verdict;
	if (!v->json)
		printf("%s: %s\n", verdict, v->summary);
}

/* Progress lines of the text output (escaped like the checks). */
__attribute__((format(printf, 2, 3))) static void say(const vctx_t *v, const char *fmt, ...)
{
	if (v->json)
		return;
	tl_buf_t b;
	tl_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	put_escaped_fmt(v, &b, fmt, ap);
	va_end(ap);
	puts(b.data);
	tl_buf_free(&b);
}

static void fail(vctx_t *v)
{
	v->evidence_failed = 1;
}

/* A file beside the report (its checksum, its manifest, its signature) is wrong:
 * said in its own words in the verdict. */
static void side_fail(vctx_t *v)
{
	v->side_failed = 1;
}

/* What is made again differs: a failure, unless another build or other data files
 * made the report, which alone explains a difference (the verdict is then that it
 * cannot be verified here). */
static void differs(vctx_t *v)
{
	if (!v->tool_differs)
		v->evidence_failed = 1;
}

/* ---- files ---- */

/* 1 when path is a regular file that is not in the kernel's pseudo file systems
 * (/proc, /sys, /dev): a hostile manifest can name any path, and those files claim
 * to be regular while they block or never end. *size is its size. */
static int plain_file(const char *path, uint64_t *size)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	char *real = realpath(path, NULL);
	if (!real)
		return 0;
	int pseudo = strncmp(real, "/proc/", 6) == 0 || strncmp(real, "/sys/", 5) == 0 ||
	             strncmp(real, "/dev/", 5) == 0;
	free(real);
	*size = (uint64_t)st.st_size;
	return !pseudo;
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Why tl_cli_read_file failed, in words. */
static const char *read_error_text(int e)
{
	return e == EINVAL  ? "not a regular file"
	       : e == EFBIG ? "larger than any such file"
	                    : strerror(e);
}

/* 1 when a path has a ".." component. */
static int has_dotdot(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return 1;
		const char *s = strchr(p, '/');
		if (!s)
			return 0;
		p = s + 1;
	}
}

/* Under --inputs DIR (or in an unpacked bundle) a file counts only if it is a
 * regular file itself, not a symbolic link, and its real path is below DIR's real
 * path: a copy must hold the files, not point at them. */
static int confined(const vctx_t *v, const char *path)
{
	if (!v->inputs_real)
		return 1;
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	char *real = realpath(path, NULL);
	if (!real)
		return 0;
	size_t n = strlen(v->inputs_real);
	int ok = strncmp(real, v->inputs_real, n) == 0 && real[n] == '/';
	free(real);
	return ok;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

typedef struct strv {
	char **v;
	size_t n, cap;
} strv_t;

static void strv_push(strv_t *s, char *p)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = tl_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = p;
}

static void strv_free(strv_t *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* The files below a folder, walked once. */
typedef struct tree {
	strv_t files; /* relative to the folder, in walk order (see cmp_walk) */
	size_t seen;  /* directory entries read */
	int cut;      /* the walk stopped at a limit */
} tree_t;

/* Every file below dir other than a folder (symbolic links are not followed), as
 * paths relative to top, down to max_depth levels and SEARCH_MAX_ENTRIES entries;
 * t->cut says when a limit stopped it. */
static void list_files(const char *top, const char *dir, int depth, int max_depth, tree_t *t)
{
	if (depth > max_depth) {
		t->cut = 1;
		return;
	}
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (t->seen++ >= SEARCH_MAX_ENTRIES) {
			t->cut = 1;
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		tl_buf_t p;
		tl_buf_init(&p);
		tl_buf_printf(&p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p.data, &st) == 0 && S_ISDIR(st.st_mode))
			list_files(top, p.data, depth + 1, max_depth, t);
		else
			strv_push(&t->files, tl_xstrdup(p.data + strlen(top) + 1));
		tl_buf_free(&p);
	}
	closedir(d);
}

/* Walk order, whatever the order on disk: in each folder its files by name, then its
 * folders by name, each with all it holds. */
static int cmp_walk(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	for (;;) {
		const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
		size_t na = sa ? (size_t)(sa - a) : strlen(a),
		       nb = sb ? (size_t)(sb - b) : strlen(b);
		if (!sa != !sb)
			return sa ? 1 : -1; /* a file before a folder */
		int c = strncmp(a, b, na < nb ? na : nb);
		if (c == 0 && na != nb)
			c = na < nb ? -1 : 1;
		if (c != 0 || !sa)
			return c;
		a = sa + 1;
		b = sb + 1;
	}
}

static void tree_walk(const char *dir, int max_depth, tree_t *t)
{
	memset(t, 0, sizeof(*t));
	list_files(dir, dir, 0, max_depth, t);
	if (t->files.n > 1)
		qsort(t->files.v, t->files.n, sizeof(char *), cmp_walk);
}

/* What the manifest says of one file. */
typedef struct want {
	const char *name; /* as recorded */
	int is_case_file; /* the case file itself (its name is relative to where it was run) */
	uint64_t size;
	int has_size;
	const char *sha256; /* hex */
} want_t;

/* Where a file was looked for and what was found. */
typedef struct found {
	char *path;     /* the chosen file, or NULL when none exists */
	int matches;    /* its size and SHA-256 equal the manifest's */
	int size_only;  /* not read: its size differs from the manifest's */
	int search_cut; /* the search under --inputs stopped at its limits */
	uint64_t size;
	char sha256[TL_SHA256_HEX_LEN];
	char looked[16384]; /* the places tried, for the message */
} found_t;

static void add_candidate(strv_t *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], path) == 0)
			return;
	strv_push(c, tl_xstrdup(path));
}

/* Finds the file the manifest names. With --inputs DIR, only there: by its
 * recorded relative name, then at the place the case file found there gives
 * (resolved), then by its file name anywhere below DIR, so that a check of a copy
 * never passes on a file found elsewhere. Without it: at the place the case file
 * gives, then as recorded (relative names against the case file's recorded folder),
 * then beside the report. explicit (--case) comes first in both. The first
 * candidate whose size and SHA-256 match wins; when none matches, the first that
 * exists is reported. */
static void locate(vctx_t *v, const want_t *w, const char *resolved, const char *explicit,
                   found_t *f)
{
	memset(f, 0, sizeof(*f));
	strv_t cand = {0};
	char buf[8192];
	if (explicit)
		add_candidate(&cand, explicit);
	if (v->inputs_dir) {
		size_t dn = strlen(v->inputs_dir);
		if (w->name[0] != '/' && !has_dotdot(w->name)) {
			snprintf(buf, sizeof(buf), "%s/%s", v->inputs_dir, w->name);
			add_candidate(&cand, buf);
		}
		if (resolved && strncmp(resolved, v->inputs_dir, dn) == 0 && resolved[dn] == '/')
			add_candidate(&cand, resolved);
		strv_t byname = {0};
		if (!v->tree) { /* the folder is walked once for all the files looked for */
			v->tree = tl_xmalloc(sizeof(*v->tree));
			tree_walk(v->inputs_dir, SEARCH_DEPTH, v->tree);
		}
		for (size_t i = 0; i < v->tree->files.n; i++) {
			const char *rel = v->tree->files.v[i];
			if (strcmp(base_name(rel), base_name(w->name)) != 0)
				continue;
			snprintf(buf, sizeof(buf), "%s/%s", v->inputs_dir, rel);
			strv_push(&byname, tl_xstrdup(buf));
		}
		f->search_cut = v->tree->cut;
		/* in a bundle, a file stored under another name (bundle keeps names to
		 * ASCII) is found by the SHA-256 that SHA256SUMS gives it */
		for (size_t i = 0; v->listing && i < v->listing->n; i++) {
			if (strncmp(v->listing->v[i], w->sha256, 64) == 0) {
				snprintf(buf, sizeof(buf), "%s/%s", v->inputs_dir,
				         v->listing->v[i] + 66);
				strv_push(&byname, tl_xstrdup(buf));
			}
		}
		for (size_t i = 0; i < byname.n; i++)
			add_candidate(&cand, byname.v[i]);
		strv_free(&byname);
	} else {
		if (resolved)
			add_candidate(&cand, resolved);
		/* relative names are relative to the case file where the report was made */
		if (v->case_dir && w->name[0] != '/' && !w->is_case_file) {
			snprintf(buf, sizeof(buf), "%s/%s", v->case_dir, w->name);
			add_candidate(&cand, buf);
		} else {
			add_candidate(&cand, w->name);
		}
		/* beside the report: where a case unpacked with its report usually is */
		if (v->pdf_dir && w->name[0] != '/') {
			snprintf(buf, sizeof(buf), "%s/%s", v->pdf_dir, w->name);
			add_candidate(&cand, buf);
		}
		if (v->pdf_dir) {
			snprintf(buf, sizeof(buf), "%s/%s", v->pdf_dir, base_name(w->name));
			add_candidate(&cand, buf);
		}
	}
	tl_buf_t looked;
	tl_buf_init(&looked);
	for (size_t i = 0; i < cand.n; i++)
		tl_buf_printf(&looked, "%s%s", i ? ", " : "at ", cand.v[i]);
	if (v->inputs_dir)
		tl_buf_printf(&looked,
		              "%sby file name under %s (symbolic links and files "
		              "outside it do not count)",
		              cand.n ? ", and " : "", v->inputs_dir);
	if (f->search_cut)
		tl_buf_printf(&looked, "; the search stopped at %d levels of folders or %d entries",
		              SEARCH_DEPTH, SEARCH_MAX_ENTRIES);
	snprintf(f->looked, sizeof(f->looked), "%s", looked.data);
	tl_buf_free(&looked);
	for (size_t i = 0; i < cand.n; i++) {
		/* a file named with --case counts wherever it is: the user chose it */
		uint64_t size;
		if (!plain_file(cand.v[i], &size) ||
		    (!(explicit && i == 0) && !confined(v, cand.v[i])))
			continue;
		/* a file of another size is not read at all: its size is the answer */
		if (w->has_size && size != w->size) {
			if (!f->path) {
				f->path = tl_xstrdup(cand.v[i]);
				f->size = size;
				f->size_only = 1;
			}
			continue;
		}
		char hex[TL_SHA256_HEX_LEN];
		if (tl_sha256_file(cand.v[i], &size, hex) != 0)
			continue;
		int ok = strcmp(hex, w->sha256) == 0 && (!w->has_size || size == w->size);
		if (ok || !f->path || f->size_only) {
			free(f->path);
			f->path = tl_xstrdup(cand.v[i]);
			f->size = size;
			memcpy(f->sha256, hex, sizeof(hex));
			f->matches = ok;
			f->size_only = 0;
		}
		if (ok)
			break;
	}
	strv_free(&cand);
	if (f->matches && v->used) {
		char *real = realpath(f->path, NULL);
		if (real)
			strv_push(v->used, real);
	}
}

/* Prints the verdict of one located file; returns 1 when it matches. */
static int file_verdict(vctx_t *v, const char *what, const want_t *w, const found_t *f,
                        int tool_file)
{
	if (!f->path) {
		line(v, V_MISSING, what, "%s: not found (looked %s)", w->name, f->looked);
		if (tool_file)
			v->tool_differs = 1;
		else
			v->missing++;
		return 0;
	}
	if (f->matches) {
		line(v, V_OK, what, "%s: %llu bytes, SHA-256 %s", f->path,
		     (unsigned long long)f->size, f->sha256);
		return 1;
	}
	if (f->size_only)
		line(v, tool_file ? V_DIFFERS : V_FAILED, what,
		     "%s: %llu bytes; the manifest says %llu bytes (so the file was not read)",
		     f->path, (unsigned long long)f->size, (unsigned long long)w->size);
	else
		line(v, tool_file ? V_DIFFERS : V_FAILED, what,
		     "%s: %llu bytes, SHA-256 %s; the manifest says %s%llu bytes, SHA-256 %s",
		     f->path, (unsigned long long)f->size, f->sha256,
		     w->has_size ? "" : "(no size) ", (unsigned long long)w->size, w->sha256);
	if (tool_file)
		v->tool_differs = 1;
	else
		fail(v);
	return 0;
}

/* ---- the manifest ---- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *x = json_object_get(o, key);
	return json_is_string(x) ? json_string_value(x) : NULL;
}

/* {name, size, sha256} into w; returns 0, or -1 when the entry is malformed. */
static int want_of(json_t *o, want_t *w)
{
	memset(w, 0, sizeof(*w));
	if (!json_is_object(o))
		return -1;
	w->name = jstr(o, "name");
	w->sha256 = jstr(o, "sha256");
	json_t *sz = json_object_get(o, "size");
	if (json_is_integer(sz) && json_integer_value(sz) >= 0) {
		w->size = (uint64_t)json_integer_value(sz);
		w->has_size = 1;
	}
	if (!w->name || !w->sha256 || strlen(w->sha256) != TL_SHA256_HEX_LEN - 1)
		return -1;
	return 0;
}

/* Replaces a case's resolved path with the located one. */
static void relocate(char **slot, const found_t *f)
{
	if (!f->path)
		return;
	free(*slot);
	*slot = tl_xstrdup(f->path);
}

/* Checks one optional file of the case (organisations, mmdb, events). */
static int check_optional(vctx_t *v, json_t *m, const char *key, const char *what,
                          char **resolved_slot)
{
	json_t *o = json_object_get(m, key);
	if (!o || json_is_null(o)) {
		if (resolved_slot && *resolved_slot) {
			line(v, V_FAILED, what, "the case file names one, the manifest none");
			fail(v);
			return 0;
		}
		return 1;
	}
	want_t w;
	if (want_of(o, &w) != 0) {
		line(v, V_FAILED, what, "the manifest's entry is malformed");
		fail(v);
		return 0;
	}
	found_t f;
	locate(v, &w, resolved_slot ? *resolved_slot : NULL, NULL, &f);
	int ok = file_verdict(v, what, &w, &f, 0);
	if (resolved_slot)
		relocate(resolved_slot, &f);
	free(f.path);
	return ok;
}

/* The tool and libraries the report was made with, against this build. */
static void check_tool(vctx_t *v, json_t *m)
{
	json_t *t = json_object_get(m, "tool");
	const char *ver = jstr(t, "version"), *commit = jstr(t, "source_commit");
	const char *libs = jstr(t, "libraries");
	int dirty = json_is_true(json_object_get(t, "uncommitted_changes"));
	if (!ver || !commit || !libs) {
		line(v, V_FAILED, "tool", "the manifest does not say which tool made the report");
		fail(v);
		return;
	}
	if (strcmp(ver, TL_VERSION) != 0 || strcmp(commit, TL_SOURCE_COMMIT) != 0) {
		line(v, V_DIFFERS, "tool",
		     "made by tealeaves %s (source commit %s); this is tealeaves %s (source commit "
		     "%s): a report can only be made again, byte for byte, by the build that made "
		     "it",
		     ver, commit, TL_VERSION, TL_SOURCE_COMMIT);
		v->tool_differs = 1;
	} else if (dirty || TL_SOURCE_DIRTY) {
		line(v, V_NOTE, "tool",
		     "tealeaves %s, source commit %s, as this program, but %s built from a tree "
		     "with uncommitted changes: the commit alone does not identify the code",
		     ver, commit, dirty ? "the report's tool was" : "this program was");
	} else {
		line(v, V_OK, "tool", "tealeaves %s, source commit %s, as this program", ver,
		     commit);
	}
	tl_buf_t mine;
	tl_buf_init(&mine);
	tl_cli_library_versions(&mine);
	if (strcmp(libs, mine.data) == 0) {
		line(v, V_OK, "libraries", "the same versions: %s", libs);
	} else {
		line(v, V_DIFFERS, "libraries",
		     "the report was made with: %s; this program has: %s", libs, mine.data);
		v->tool_differs = 1;
	}
	tl_buf_free(&mine);
}

/* One file of this installation's data folder (at path) against the manifest. */
static void check_data_file(vctx_t *v, const char *what, const want_t *w, const char *path)
{
	found_t f;
	memset(&f, 0, sizeof(f));
	if (tl_sha256_file(path, &f.size, f.sha256) == 0) {
		f.path = tl_xstrdup(path);
		f.matches = strcmp(f.sha256, w->sha256) == 0 && f.size == w->size;
	}
	snprintf(f.looked, sizeof(f.looked), "at %s", path);
	file_verdict(v, what, w, &f, 1);
	free(f.path);
}

/* The time-zone rules against this machine's tzdata: its version, then each zone file.
 * Other rules may move local times, so a difference is the tool's side (DIFFERS). */
static void check_timezone_data(vctx_t *v, json_t *m)
{
	json_t *tz = json_object_get(m, "timezone_data");
	if (!tz) {
		line(v, V_NOTE, "time-zone data",
		     "the manifest does not record it (a tealeaves-manifest/1 report)");
		return;
	}
	if (json_is_null(tz)) {
		line(v, V_OK, "time-zone data", "none used: every time in the report is in UTC");
		return;
	}
	json_t *ver = json_object_get(tz, "version"), *zones = json_object_get(tz, "zones");
	if (!json_is_object(tz) || !(json_is_string(ver) || json_is_null(ver)) ||
	    !json_is_array(zones)) {
		line(v, V_FAILED, "time-zone data", "the manifest's entry is malformed");
		fail(v);
		return;
	}
	char mine[40];
	int have = tl_tz_version(mine, sizeof(mine)) == TL_OK;
	const char *want = json_is_string(ver) ? json_string_value(ver) : NULL;
	if ((want && have && strcmp(want, mine) == 0) || (!want && !have)) {
		line(v, V_OK, "time-zone data", "tzdata %s under %s, as the manifest says",
		     have ? mine : "of no stated version", tl_tz_dir());
	} else {
		line(v, V_DIFFERS, "time-zone data",
		     "the report was made with tzdata %s; this machine has %s under %s: local "
		     "times may differ",
		     want ? want : "of no stated version", have ? mine : "none of a stated version",
		     tl_tz_dir());
		v->tool_differs = 1;
	}
	size_t i;
	json_t *z;
	json_array_foreach(zones, i, z)
	{
		want_t w;
		if (want_of(z, &w) != 0 || w.name[0] == '/' || has_dotdot(w.name)) {
			line(v, V_FAILED, "time-zone file", "the manifest's entry is malformed");
			fail(v);
			continue;
		}
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", tl_tz_dir(), w.name);
		check_data_file(v, "time-zone file", &w, path);
	}
}

/* The template, fonts and colour profile against this installation's data folder. */
static int check_data_files(vctx_t *v, json_t *m, tl_case_t *c)
{
	want_t w;
	found_t f;
	char path[8192];
	int own_ok = 1; /* a template of the case's own was found unchanged (or there is none) */
	json_t *t = json_object_get(m, "template");
	if (want_of(t, &w) != 0) {
		line(v, V_FAILED, "template", "the manifest's entry is malformed");
		fail(v);
	} else if (c && c->template_resolved) {
		/* a template of the case's own is evidence-side: it travels with the case */
		locate(v, &w, c->template_resolved, NULL, &f);
		own_ok = file_verdict(v, "template", &w, &f, 0);
		relocate(&c->template_resolved, &f);
		free(f.path);
	} else if (w.name[0] == '/' || has_dotdot(w.name) || strncmp(w.name, "templates/", 10)) {
		line(v, V_FAILED, "template",
		     "the manifest names %s, not a template of the data folder's templates/",
		     w.name);
		fail(v);
	} else {
		snprintf(path, sizeof(path), "%s/%s", tl_cli_data_dir(), w.name);
		check_data_file(v, "template", &w, path);
	}
	json_t *fonts = json_object_get(m, "fonts");
	size_t i;
	json_t *fo;
	if (!json_is_array(fonts) || json_array_size(fonts) == 0) {
		line(v, V_FAILED, "fonts", "the manifest lists no fonts");
		fail(v);
	}
	json_array_foreach(fonts, i, fo)
	{
		if (want_of(fo, &w) != 0) {
			line(v, V_FAILED, "font", "the manifest's entry is malformed");
			fail(v);
			continue;
		}
		snprintf(path, sizeof(path), "%s/fonts/%s", tl_cli_data_dir(), base_name(w.name));
		check_data_file(v, "font", &w, path);
	}
	if (want_of(json_object_get(m, "colour_profile"), &w) != 0 || w.name[0] == '/' ||
	    has_dotdot(w.name)) {
		line(v, V_FAILED, "colour profile", "the manifest's entry is malformed");
		fail(v);
		return own_ok;
	}
	snprintf(path, sizeof(path), "%s/%s", tl_cli_data_dir(), w.name);
	check_data_file(v, "colour profile", &w, path);
	check_timezone_data(v, m);
	return own_ok;
}

/* The first byte at which a and b differ (or the shorter length). */
static size_t first_difference(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb, i = 0;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

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

/* ---- the report file and what is beside it ---- */

static void sha256_hex_of(const void *data, size_t len, char hex[TL_SHA256_HEX_LEN])
{
	uint8_t d[TL_SHA256_LEN];
	tl_sha256(data, len, d);
	tl_sha256_hex(d, hex);
}

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
static int read_side(vctx_t *v, const char *what, const char *path, int required,
                     const char *absent, tl_buf_t *b)
{
	if (tl_cli_read_file(path, MAX_SIDE_BYTES, b) == 0)
		return 1;
	if (errno == ENOENT && !required) {
		line(v, V_NOTE, what, "%s: not present%s", path, absent);
	} else {
		line(v, V_FAILED, what, "%s: %s", path, read_error_text(errno));
		side_fail(v);
	}
	return 0;
}

/* path.sha256 in sha256sum's format, when present. */
static void check_checksum_file(vctx_t *v, const char *pdf_path, const char *pdf_hex)
{
	tl_buf_t name, b;
	tl_buf_init(&name);
	tl_buf_init(&b);
	tl_buf_printf(&name, "%s.sha256", pdf_path);
	if (!read_side(v, "checksum file", name.data, 0, "", &b))
		goto out;
	if (!checksum_line_ok(&b, base_name(pdf_path))) {
		line(v, V_FAILED, "checksum file",
		     "%s is not one line \"SHA-256  %s\" (sha256sum's "
		     "format; \" *\" and a path before the name are "
		     "accepted)",
		     name.data, base_name(pdf_path));
		side_fail(v);
	} else if (strncasecmp(b.data, pdf_hex, TL_SHA256_HEX_LEN - 1) != 0) {
		line(v, V_FAILED, "checksum file", "%s records %.64s; the report's SHA-256 is %s",
		     name.data, b.data, pdf_hex);
		side_fail(v);
	} else {
		line(v, V_OK, "checksum file", "%s: the report's SHA-256 %s", name.data, pdf_hex);
	}
out:
	tl_buf_free(&name);
	tl_buf_free(&b);
}

/* path.manifest.json, when present: must equal the embedded manifest. */
static void check_side_manifest(vctx_t *v, const char *pdf_path, const tl_buf_t *embedded)
{
	tl_buf_t name, b;
	tl_buf_init(&name);
	tl_buf_init(&b);
	tl_buf_printf(&name, "%s.manifest.json", pdf_path);
	if (!read_side(v, "manifest beside", name.data, 0, "", &b))
		goto out;
	if (b.len != embedded->len || memcmp(b.data, embedded->data, b.len) != 0) {
		line(v, V_FAILED, "manifest beside",
		     "%s differs from the embedded manifest from byte offset %zu", name.data,
		     first_difference((const uint8_t *)b.data, b.len,
		                      (const uint8_t *)embedded->data, embedded->len));
		side_fail(v);
	} else {
		line(v, V_OK, "manifest beside", "%s equals the embedded manifest", name.data);
	}
out:
	tl_buf_free(&name);
	tl_buf_free(&b);
}

static void check_signature(vctx_t *v, const char *sig_path, int given, const uint8_t *pdf,
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
		line(
		    v, V_OK, "signature",
		    "%s: a valid %s signature of this file, made with the key of the certificate "
		    "whose subject reads \"%s\" (issuer \"%s\", serial %s, certificate SHA-256 %s, "
		    "validity %s to %s, not checked against any date; revocation not checked); %s",
		    sig_path, s.digest, s.subject, s.issuer, s.serial, s.cert_sha256, s.not_before,
		    s.not_after,
		    s.chain_verified ? "the certificate chains to one of the --ca certificates"
		                     : "no --ca given: a certificate can name anyone, so who holds "
		                       "the key is not established");
	} else {
		line(v, V_FAILED, "signature", "%s: %s", sig_path, err);
		side_fail(v);
	}
	tl_buf_free(&b);
}

/* ---- the whole check ---- */

typedef struct vopts {
	const char *case_path; /* --case */
	const char *signature; /* --signature */
	const char *ca;        /* --ca */
	unsigned threads;
} vopts_t;

/* Checks the inputs of the case against the manifest and relocates them; returns
 * 1 when all match. */
static int check_case_inputs(vctx_t *v, json_t *m, tl_case_t *c)
{
	json_t *ins = json_object_get(m, "inputs");
	if (!json_is_array(ins)) {
		line(v, V_FAILED, "inputs", "the manifest lists no inputs");
		fail(v);
		return 0;
	}
	if (c && json_array_size(ins) != c->n_inputs) {
		line(v, V_FAILED, "inputs", "the manifest lists %zu inputs, the case file %zu",
		     json_array_size(ins), c->n_inputs);
		fail(v);
		return 0;
	}
	int all = 1;
	size_t i;
	json_t *o;
	json_array_foreach(ins, i, o)
	{
		want_t w;
		const char *label = jstr(o, "label");
		char what[96];
		snprintf(what, sizeof(what), "input %s", label ? label : "?");
		if (!label || want_of(o, &w) != 0) {
			line(v, V_FAILED, what, "the manifest's entry is malformed");
			fail(v);
			all = 0;
			continue;
		}
		tl_case_input_t *ci = NULL;
		for (size_t k = 0; c && k < c->n_inputs; k++)
			if (strcmp(c->inputs[k].label, label) == 0)
				ci = &c->inputs[k];
		if (c && (!ci || strcmp(ci->path, w.name) != 0)) {
			line(v, V_FAILED, what, "the case file has no input %s named %s", label,
			     w.name);
			fail(v);
			all = 0;
			continue;
		}
		found_t f;
		locate(v, &w, ci ? ci->resolved : NULL, NULL, &f);
		all &= file_verdict(v, what, &w, &f, 0);
		if (ci)
			relocate(&ci->resolved, &f);
		free(f.path);
	}
	return all;
}

/* Sets *sets to the recorded --set overrides (pointers into m). */
static int recorded_overrides(json_t *rep, const char ***sets, size_t *n)
{
	json_t *ov = json_object_get(rep, "overrides");
	*sets = NULL;
	*n = 0;
	if (!json_is_array(ov))
		return -1;
	*sets = tl_xcalloc(json_array_size(ov) + 1, sizeof(char *));
	size_t i;
	json_t *o;
	json_array_foreach(ov, i, o)
	{
		if (!json_is_string(o))
			return -1;
		(*sets)[(*n)++] = json_string_value(o);
	}
	return 0;
}

/* What besides the case file shaped the report: each recorded --set override and
 * where the report's date came from, so that a transcript shows them. */
static void settings_notes(vctx_t *v, json_t *rep, const tl_case_t *c, size_t n_sets,
                           const char **sets)
{
	for (size_t i = 0; i < n_sets; i++)
		line(v, V_NOTE, "setting",
		     "--set %s on the command line, over the case file (made "
		     "again with it)",
		     sets[i]);
	const char *date = jstr(rep, "date");
	if (date && c)
		line(v, V_NOTE, "report date", "%s, %s", date,
		     c->has_report_date
		         ? "from the case file's report_date"
		         : "from SOURCE_DATE_EPOCH when the report was made (the case "
		           "file has no report_date)");
	v->n_overrides = (int)n_sets;
}

/* Runs the analysis and the report again and compares. */
static void remake(vctx_t *v, json_t *m, tl_case_t *c, const vopts_t *vo, const tl_buf_t *findings,
                   const tl_buf_t *manifest, const uint8_t *pdf, size_t pdf_len, const char **sets,
                   size_t n_sets)
{
	json_t *rep = json_object_get(m, "report");
	const char *pdfa = jstr(rep, "pdfa"), *date = jstr(rep, "date");
	const char *case_path = jstr(rep, "case_path");
	int64_t date_us;
	if (!pdfa || !date || !case_path || tl_time_parse(date, strlen(date), &date_us) != 0) {
		line(v, V_FAILED, "report settings", "the manifest's report entry is malformed");
		fail(v);
		return;
	}
	/* the report names the case file as its command did, wherever it is now */
	free(c->path);
	c->path = tl_xstrdup(case_path);
	tl_events_t *events = NULL;
	tl_findings_t f;
	fflush(stdout);
	if (tl_cli_analyse(c, vo->threads, &events, &f) != EXIT_OK) {
		line(v, V_FAILED, "analysis",
		     "the analysis did not run (the message on standard error says why)");
		fail(v);
		return;
	}
	tl_buf_t again;
	tl_buf_init(&again);
	tl_cli_findings_document(&f, &again);
	if (findings &&
	    (again.len != findings->len || memcmp(again.data, findings->data, again.len))) {
		line(v, V_DIFFERS, "analysis",
		     "run again: the findings differ from the embedded findings from byte offset "
		     "%zu "
		     "(%zu bytes now, %zu embedded)",
		     first_difference((const uint8_t *)again.data, again.len,
		                      (const uint8_t *)findings->data, findings->len),
		     again.len, findings->len);
		v->findings_differ = 1;
		differs(v);
	} else if (findings) {
		line(v, V_OK, "analysis", "run again: the findings are identical (%zu bytes)",
		     again.len);
	} else {
		/* no findings attached (PDF/A-1b): the manifest holds their SHA-256 */
		char fh[TL_SHA256_HEX_LEN];
		const char *want = jstr(m, "findings_sha256");
		sha256_hex_of(again.data, again.len, fh);
		if (want && strcmp(want, fh) == 0) {
			line(v, V_OK, "analysis",
			     "run again: the findings' SHA-256 is the manifest's, "
			     "%s (%zu bytes)",
			     fh, again.len);
		} else {
			line(v, V_DIFFERS, "analysis",
			     "run again: the findings' SHA-256 is %s; the "
			     "manifest says %s",
			     fh, want ? want : "nothing");
			v->findings_differ = 1;
			differs(v);
		}
	}
	tl_buf_free(&again);
	tl_cli_report_opts_t ro = {
	    .case_path = case_path,
	    .sets = sets,
	    .n_sets = n_sets,
	    .pdfa_1b = strcmp(pdfa, "1b") == 0,
	    .draft = json_is_true(json_object_get(rep, "draft")),
	    .date_s = date_us / TL_US_PER_SEC,
	};
	tl_cli_report_t r;
	if (tl_cli_make_report(&f, &ro, &r) != EXIT_OK) {
		line(v, V_FAILED, "report",
		     "could not be made again (the message on standard error says why)");
		fail(v);
		tl_cli_case_done(NULL, events, &f);
		return;
	}
	int same_manifest = r.manifest.len == manifest->len &&
	                    memcmp(r.manifest.data, manifest->data, r.manifest.len) == 0;
	int same_pdf = r.pdf_len == pdf_len && memcmp(r.pdf, pdf, pdf_len) == 0;
	v->remade_identical = same_manifest && same_pdf;
	if (same_manifest) {
		line(v, V_OK, "manifest", "made again: identical (report ID %s)", r.id);
	} else {
		tl_buf_t keys;
		tl_buf_init(&keys);
		differing_keys(r.manifest.data, r.manifest.len, manifest->data, manifest->len,
		               &keys);
		line(v, V_DIFFERS, "manifest", "made again: it differs in: %s", keys.data);
		tl_buf_free(&keys);
		differs(v);
	}
	char a[TL_SHA256_HEX_LEN];
	sha256_hex_of(r.pdf, r.pdf_len, a);
	if (same_pdf) {
		line(v, V_OK, "report",
		     "made again: identical to the given file, %zu bytes, "
		     "SHA-256 %s",
		     pdf_len, a);
	} else {
		line(
		    v, V_DIFFERS, "report",
		    "made again: %zu bytes, SHA-256 %s; it differs from the given file (%zu bytes) "
		    "from byte offset %zu (counted from 0) on",
		    r.pdf_len, a, pdf_len, first_difference(r.pdf, r.pdf_len, pdf, pdf_len));
		differs(v);
	}
	tl_cli_report_free(&r);
	tl_cli_case_done(NULL, events, &f);
	tl_chart_release();
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
static void document_verdict(vctx_t *v)
{
	if (!v->doc_suspect[0])
		return;
	if (v->remade_identical) {
		line(v, V_NOTE, "document",
		     "%s, but the report made again is identical to it byte "
		     "for byte, so that pattern is part of its text",
		     v->doc_suspect);
		return;
	}
	line(v, V_FAILED, "document",
	     "%s: tealeaves writes one section, so the file was edited "
	     "after it was written",
	     v->doc_suspect);
	fail(v);
}

/* A bundle holds the files of its case, the report and its side files, and the two
 * listings; anything else in it is named (a planted file would otherwise ride along
 * under a verified report). */
static void check_members(vctx_t *v)
{
	static const char *const ours[] = {"report.pdf",        "report.pdf.manifest.json",
	                                   "report.pdf.sha256", "report.pdf.p7s",
	                                   "LISTING.txt",       "SHA256SUMS"};
	tree_t tree;
	tree_walk(v->bundle_root, TL_TAR_MAX_DEPTH, &tree); /* the extractor makes nothing deeper */
	strv_t present = tree.files;
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
			line(v, V_FAILED, "bundle contents",
			     "%s: in the bundle, but neither a file of "
			     "the case that matched its manifest nor one "
			     "tealeaves writes",
			     present.v[i]);
		}
	}
	if (extra)
		fail(v);
	else
		line(v, V_OK, "bundle contents",
		     "every file in the bundle is a file of the case, "
		     "the report, its side files or the listings");
	strv_free(&present);
}

/* Verifies the report at pdf_path; prints the checks and returns the exit status. */
static int verify_pdf(vctx_t *v, const vopts_t *vo)
{
	const char *pdf_path = v->pdf_path;
	char pdf_dir[8192];
	snprintf(pdf_dir, sizeof(pdf_dir), "%s", pdf_path);
	char *slash = strrchr(pdf_dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(pdf_dir, sizeof(pdf_dir), ".");
	v->pdf_dir = pdf_dir;
	tl_buf_t pdf, manifest, findings;
	tl_buf_init(&pdf);
	tl_buf_init(&manifest);
	tl_buf_init(&findings);
	int have_findings = 0, status;
	json_t *m = NULL;
	tl_case_t *c = NULL;
	const char **sets = NULL;
	size_t n_sets = 0;
	tl_pdf_doc_t doc;
	memset(&doc, 0, sizeof(doc));
	char err[4096];

	if (tl_cli_read_file(pdf_path, MAX_PDF_BYTES, &pdf) != 0) {
		fprintf(stderr, "tealeaves: %s: %s\n", pdf_path, read_error_text(errno));
		return EXIT_INPUT;
	}
	char pdf_hex[TL_SHA256_HEX_LEN];
	sha256_hex_of(pdf.data, pdf.len, pdf_hex);
	const char *shown = v->shown ? v->shown : pdf_path;
	say(v, "verifying %s", shown);
	line(v, V_NOTE, "report file", "%zu bytes, SHA-256 %s", pdf.len, pdf_hex);
	check_checksum_file(v, pdf_path, pdf_hex);

	/* the manifest and the findings as the document carries them */
	int embedded = 0, no_attachments = 0;
	if (tl_pdf_read((const uint8_t *)pdf.data, pdf.len, &doc, err, sizeof(err)) != TL_OK) {
		line(v, V_FAILED, "document", "%s: cannot be read as a tealeaves report: %s",
		     pdf_path, err);
		fail(v);
	} else {
		/* more than one revision: judged at the end (see document_verdict) */
		size_t revisions = count_revisions((const uint8_t *)pdf.data, pdf.len);
		if (doc.updates > 0)
			snprintf(v->doc_suspect, sizeof(v->doc_suspect),
			         "%d incremental update%s appended after the document was written",
			         doc.updates, doc.updates == 1 ? " was" : "s were");
		else if (revisions > 1)
			snprintf(v->doc_suspect, sizeof(v->doc_suspect),
			         "%zu cross-reference sections (startxref ... %%%%EOF) were found",
			         revisions);
		const tl_pdf_file_t *mf = tl_pdf_doc_file(&doc, "manifest.json");
		const tl_pdf_file_t *ff = tl_pdf_doc_file(&doc, "findings.json");
		if (doc.n_files == 0) {
			/* PDF/A-1b allows no attachments: the manifest is only beside the report */
			no_attachments = 1;
		} else if (!mf) {
			line(v, V_FAILED, "embedded manifest",
			     "the document carries no manifest.json");
			fail(v);
		} else if (mf->len == 0) {
			line(v, V_FAILED, "embedded manifest", "manifest.json is empty");
			fail(v);
		} else {
			tl_buf_append(&manifest, mf->data, mf->len);
			embedded = 1;
			char mh[TL_SHA256_HEX_LEN];
			sha256_hex_of(mf->data, mf->len, mh);
			if (!doc.report_id) {
				line(v, V_FAILED, "embedded manifest",
				     "%zu bytes, SHA-256 %s; the document information has no "
				     "ReportID "
				     "to compare it with",
				     mf->len, mh);
				fail(v);
			} else if (strcmp(doc.report_id, mh) != 0) {
				line(
				    v, V_FAILED, "embedded manifest",
				    "%zu bytes, SHA-256 %s, but the report ID in the document is "
				    "%s: "
				    "the manifest or the document was changed after the report was "
				    "made",
				    mf->len, mh, doc.report_id);
				fail(v);
			} else {
				line(v, V_OK, "embedded manifest",
				     "%zu bytes; its SHA-256 is the report ID in the document, %s",
				     mf->len, mh);
			}
		}
		if (!ff && !no_attachments) {
			line(v, V_FAILED, "embedded findings",
			     "the document carries no findings.json");
			fail(v);
		} else if (ff) {
			tl_buf_append(&findings, ff->data, ff->len);
			have_findings = 1;
		}
	}
	if (embedded) {
		check_side_manifest(v, pdf_path, &manifest);
	} else if (no_attachments) {
		tl_buf_t name;
		tl_buf_init(&name);
		tl_buf_printf(&name, "%s.manifest.json", pdf_path);
		char mh[TL_SHA256_HEX_LEN];
		if (tl_cli_read_file(name.data, MAX_SIDE_BYTES, &manifest) != 0) {
			line(v, V_MISSING, "manifest",
			     "the document has no attachments (as a PDF/A-1b report), and its "
			     "manifest "
			     "is not beside it: %s: %s",
			     name.data, read_error_text(errno));
			fail(v);
		} else if (sha256_hex_of(manifest.data, manifest.len, mh),
		           !doc.report_id || strcmp(doc.report_id, mh) != 0) {
			line(v, V_FAILED, "manifest beside",
			     "%s: SHA-256 %s, but the report ID in the document is %s", name.data,
			     mh, doc.report_id ? doc.report_id : "absent");
			fail(v);
		} else {
			line(v, V_OK, "manifest beside",
			     "%s: the document has no attachments (as a PDF/A-1b report); this "
			     "manifest's SHA-256 is the report ID in the document, %s",
			     name.data, mh);
		}
		tl_buf_free(&name);
	} else {
		/* the copy beside the report still says where the inputs are */
		tl_buf_t name;
		tl_buf_init(&name);
		tl_buf_printf(&name, "%s.manifest.json", pdf_path);
		if (tl_cli_read_file(name.data, MAX_SIDE_BYTES, &manifest) == 0)
			line(v, V_NOTE, "manifest beside",
			     "%s: used to find and check the inputs in its place", name.data);
		tl_buf_free(&name);
	}
	{
		tl_buf_t sig;
		tl_buf_init(&sig);
		if (vo->signature)
			tl_buf_puts(&sig, vo->signature);
		else
			tl_buf_printf(&sig, "%s.p7s", pdf_path);
		check_signature(v, sig.data, vo->signature != NULL, (const uint8_t *)pdf.data,
		                pdf.len, vo->ca);
		tl_buf_free(&sig);
	}
	if (manifest.len == 0) {
		line(v, V_FAILED, "manifest",
		     "no manifest (or an empty one): nothing to check the "
		     "report and its inputs against");
		fail(v);
		v->no_manifest = 1;
		goto verdict;
	}
	json_error_t je;
	m = json_loadb(manifest.data, manifest.len, JSON_REJECT_DUPLICATES, &je);
	/* schema 1 lacked timezone_data; such a report is still read, and the manifest
	 * made again then differs in "schema" and "timezone_data" */
	if (!m || !json_is_object(m) || !jstr(m, "schema") ||
	    (strcmp(jstr(m, "schema"), "tealeaves-manifest/1") != 0 &&
	     strcmp(jstr(m, "schema"), TL_MANIFEST_SCHEMA) != 0)) {
		if (m)
			line(v, V_FAILED, "manifest",
			     "not a tealeaves-manifest/1 or " TL_MANIFEST_SCHEMA " document");
		else
			line(v, V_FAILED, "manifest", "not valid JSON: line %d column %d: %s",
			     je.line, je.column, je.text);
		fail(v);
		v->no_manifest = 1;
		goto verdict;
	}
	if (no_attachments) {
		const char *pdfa = jstr(json_object_get(m, "report"), "pdfa");
		if (!pdfa || strcmp(pdfa, "1b") != 0) {
			line(v, V_FAILED, "document",
			     "the manifest says PDF/A-%s, whose report carries its manifest and "
			     "findings "
			     "as attachments; this document carries none",
			     pdfa ? pdfa : "?");
			fail(v);
		}
	}
	if (have_findings) {
		const char *want = jstr(m, "findings_sha256");
		char fh[TL_SHA256_HEX_LEN];
		sha256_hex_of(findings.data, findings.len, fh);
		if (!want || strcmp(want, fh) != 0) {
			line(v, V_FAILED, "embedded findings",
			     "%zu bytes, SHA-256 %s; the manifest says %s", findings.len, fh,
			     want ? want : "nothing");
			fail(v);
		} else {
			line(v, V_OK, "embedded findings",
			     "%zu bytes; SHA-256 %s as the manifest says", findings.len, fh);
		}
	}
	check_tool(v, m);

	/* the case file */
	json_t *rep = json_object_get(m, "report");
	json_t *cf = json_object_get(m, "case_file");
	const char *case_path = jstr(rep, "case_path");
	want_t cw = {.name = case_path, .sha256 = jstr(cf, "sha256"), .is_case_file = 1};
	json_t *csz = json_object_get(cf, "size");
	if (json_is_integer(csz) && json_integer_value(csz) >= 0) {
		cw.size = (uint64_t)json_integer_value(csz);
		cw.has_size = 1;
	}
	if (!case_path || !cw.sha256) {
		line(v, V_FAILED, "case file",
		     "the manifest does not say which case file was used");
		fail(v);
		goto verdict;
	}
	if (recorded_overrides(rep, &sets, &n_sets) != 0) {
		line(v, V_FAILED, "settings",
		     "the manifest's list of --set overrides is malformed");
		fail(v);
		goto verdict;
	}
	char case_dir[8192];
	snprintf(case_dir, sizeof(case_dir), "%s", case_path);
	char *cs = strrchr(case_dir, '/');
	if (cs)
		*cs = '\0';
	else
		snprintf(case_dir, sizeof(case_dir), ".");
	v->case_path = case_path;
	v->case_dir = case_dir;
	found_t f;
	locate(v, &cw, NULL, vo->case_path, &f);
	int case_ok = file_verdict(v, "case file", &cw, &f, 0);
	if (case_ok) {
		fflush(stdout);
		if (tl_cli_load_case(f.path, sets, n_sets, &c) != EXIT_OK) {
			line(v, V_FAILED, "case file",
			     "%s could not be loaded (the message on standard "
			     "error says why)",
			     f.path);
			fail(v);
			case_ok = 0;
		}
	}
	free(f.path);
	int inputs_ok = check_case_inputs(v, m, case_ok ? c : NULL);
	inputs_ok &=
	    check_optional(v, m, "organisations", "organisations", c ? &c->orgs_resolved : NULL);
	inputs_ok &= check_optional(v, m, "mmdb", "address database", c ? &c->mmdb_resolved : NULL);
	inputs_ok &= check_optional(v, m, "events", "events", c ? &c->events_resolved : NULL);
	inputs_ok &= check_data_files(v, m, c);
	settings_notes(v, rep, c, n_sets, sets);
	/* the other checks' failures do not stop this one: what the files make now is
	 * worth knowing whatever the document says of itself */
	if (!case_ok || !inputs_ok) {
		line(v, V_SKIPPED, "analysis", "not run again: %s",
		     !case_ok ? "the case file the report was made from was not found"
		              : "the files named in the manifest were not all found unchanged");
		goto verdict;
	}
	remake(v, m, c, vo, have_findings ? &findings : NULL, &manifest, (const uint8_t *)pdf.data,
	       pdf.len, sets, n_sets);

verdict:
	document_verdict(v);
	if (v->bundle_root && !v->no_manifest)
		check_members(v);
	/* VERIFIED needs positive proof: the report made again equals the given one */
	if (v->no_manifest) {
		conclude(v, "NOT VERIFIED",
		         "%s carries no readable manifest, so nothing in it could "
		         "be checked (see the checks marked FAILED)",
		         shown);
		status = EXIT_UNVERIFIED;
	} else if (v->evidence_failed) {
		conclude(v, "NOT VERIFIED",
		         "%s or the files it names differ from what its manifest "
		         "records (see the checks marked FAILED or DIFFERS)%s",
		         shown, v->missing ? "; some files were not found (MISSING)" : "");
		status = EXIT_UNVERIFIED;
	} else if (v->missing) {
		conclude(v, "NOT VERIFIED",
		         "%d file%s named in the manifest %s not found (see the "
		         "checks marked MISSING); nothing that was found differs, "
		         "but the report could not be made again without %s",
		         v->missing, v->missing == 1 ? "" : "s", v->missing == 1 ? "was" : "were",
		         v->missing == 1 ? "it" : "them");
		status = EXIT_UNVERIFIED;
	} else if (v->tool_differs) {
		conclude(
		    v, "NOT VERIFIED",
		    "the evidence files match the SHA-256 recorded in the manifest, but the "
		    "report's findings and content were not confirmed: the manifest says it was "
		    "made by another build of tealeaves or with other libraries or data files "
		    "(see the checks marked DIFFERS)%s; only that build can make it again. This "
		    "is what the manifest claims, not a finding",
		    v->findings_differ ? ", and this build's findings differ from the report's"
		                       : "");
		status = EXIT_OTHER_TOOL;
	} else if (v->side_failed) {
		conclude(v, "NOT VERIFIED",
		         "%s: a file beside the report (its checksum, manifest or "
		         "signature) does not match it (see the checks marked "
		         "FAILED)%s",
		         shown,
		         v->remade_identical ? "; the report made again is identical to it" : "");
		status = EXIT_UNVERIFIED;
	} else if (!v->remade_identical) {
		conclude(v, "NOT VERIFIED", "the report was not made again (see the checks above)");
		status = EXIT_UNVERIFIED;
	} else {
		char with[160] = "";
		if (v->n_overrides)
			snprintf(with, sizeof(with),
			         " (made with %d --set override%s of the case "
			         "file, listed above)",
			         v->n_overrides, v->n_overrides == 1 ? "" : "s");
		conclude(v, "VERIFIED",
		         "every file matches the manifest and the report made again "
		         "is identical to %s%s%s",
		         shown, with,
		         TL_SOURCE_DIRTY
		             ? " (with a build from a tree with uncommitted changes: the "
		               "source commit alone does not identify the code)"
		             : "");
		status = EXIT_OK;
	}
	free(sets);
	json_decref(m);
	tl_case_free(c);
	tl_pdf_doc_free(&doc);
	tl_buf_free(&pdf);
	tl_buf_free(&manifest);
	tl_buf_free(&findings);
	if (v->tree) {
		strv_free(&v->tree->files);
		free(v->tree);
		v->tree = NULL;
	}
	return status;
}

/* A bundle's SHA256SUMS: every file it lists is there with that SHA-256, it lists
 * the report and its manifest, and no file in the bundle is left out of it. */
static void check_listing(vctx_t *v, const char *root)
{
	tl_buf_t b, p;
	tl_buf_init(&b);
	tl_buf_init(&p);
	tl_buf_printf(&p, "%s/SHA256SUMS", root);
	if (tl_cli_read_file(p.data, MAX_SIDE_BYTES, &b) != 0) {
		line(v, V_FAILED, "bundle listing", "SHA256SUMS: %s", read_error_text(errno));
		fail(v);
		tl_buf_free(&b);
		tl_buf_free(&p);
		return;
	}
	strv_t listed = {0};
	size_t good = 0, bad = 0;
	char *save = NULL;
	for (char *ln = strtok_r(b.data, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		if (strlen(ln) < 67 || ln[64] != ' ' || ln[65] != ' ' || ln[66] == '/' ||
		    has_dotdot(ln + 66)) {
			bad++;
			line(v, V_FAILED, "bundle listing",
			     "a line is not \"SHA-256  relative-name\": "
			     "%.200s",
			     ln);
			continue;
		}
		const char *name = ln + 66;
		strv_push(&listed, tl_xstrdup(name));
		if (v->listing)
			strv_push(v->listing, tl_xstrdup(ln));
		char hex[TL_SHA256_HEX_LEN];
		uint64_t size;
		tl_buf_clear(&p);
		tl_buf_printf(&p, "%s/%s", root, name);
		struct stat st;
		if (lstat(p.data, &st) != 0 || !S_ISREG(st.st_mode)) {
			bad++;
			line(v, V_FAILED, "bundle listing", "%s: listed, but not in the archive",
			     name);
		} else if (tl_sha256_file(p.data, &size, hex) != 0 || strncmp(hex, ln, 64) != 0) {
			bad++;
			line(v, V_FAILED, "bundle listing", "%s: SHA-256 %s; SHA256SUMS says %.64s",
			     name, hex, ln);
		} else {
			good++;
		}
	}
	tree_t tree;
	tree_walk(root, TL_TAR_MAX_DEPTH, &tree);
	strv_t present = tree.files;
	for (size_t i = 0; i < present.n; i++) {
		if (strcmp(present.v[i], "SHA256SUMS") == 0)
			continue;
		int found = 0;
		for (size_t k = 0; k < listed.n && !found; k++)
			found = strcmp(present.v[i], listed.v[k]) == 0;
		if (!found) {
			bad++;
			line(v, V_FAILED, "bundle listing",
			     "%s: in the archive, but not in SHA256SUMS", present.v[i]);
		}
	}
	static const char *const required[] = {"report.pdf", "report.pdf.manifest.json"};
	for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
		int found = 0;
		for (size_t k = 0; k < listed.n && !found; k++)
			found = strcmp(required[r], listed.v[k]) == 0;
		if (!found) {
			bad++;
			line(v, V_FAILED, "bundle listing", "SHA256SUMS does not list %s",
			     required[r]);
		}
	}
	if (bad)
		fail(v);
	else
		line(v, V_OK, "bundle listing",
		     "%zu files, each with the SHA-256 SHA256SUMS gives, "
		     "and no other file",
		     good);
	strv_free(&listed);
	strv_free(&present);
	tl_buf_free(&b);
	tl_buf_free(&p);
}

/* A bundle: unpack it into a temporary folder, check its listing, and verify the
 * report in it against the files in it. */
static int verify_bundle(vctx_t *v, const char *tar, const vopts_t *vo, const char *dir)
{
	char err[4096];
	int status;
	say(v, "unpacking %s into a temporary folder", tar);
	v->tmp_dir = dir;
	v->tmp_name = tar;
	if (tl_tar_extract(tar, dir, err, sizeof(err)) != TL_OK) {
		fprintf(stderr, "tealeaves: %s\n", err);
		return EXIT_INPUT;
	}
	/* one top-level folder holding report.pdf, as bundle writes it */
	char root[8192] = "";
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		snprintf(root, sizeof(root), "%s/%s", dir, e->d_name);
	}
	if (d)
		closedir(d);
	char pdf[8300];
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", root);
	if (n != 1 || !is_file(pdf)) {
		fprintf(stderr,
		        "tealeaves: %s: not a tealeaves bundle (one folder holding "
		        "report.pdf)\n",
		        tar);
		return EXIT_INPUT;
	}
	/* the listing: every file with its SHA-256, as sha256sum -c reads it */
	strv_t listing = {0};
	v->listing = &listing;
	check_listing(v, root);
	vctx_t inner = *v;
	inner.pdf_path = pdf;
	char shown[8400];
	snprintf(shown, sizeof(shown), "%s:%s", tar, pdf + strlen(dir) + 1);
	inner.shown = shown;
	inner.inputs_dir = root;
	inner.inputs_real = realpath(root, NULL);
	strv_t used = {0};
	inner.used = &used;
	inner.bundle_root = root;
	status = verify_pdf(&inner, vo); /* its verdict counts the listing's checks too */
	strv_free(&used);
	strv_free(&listing);
	v->listing = NULL;
	free(inner.inputs_real);
	v->verdict = inner.verdict;
	memcpy(v->summary, inner.summary, sizeof(v->summary));
	return status;
}

/* The child that verifies a bundle, for the parent's signal handlers. */
static volatile pid_t bundle_child;

static void forward_signal(int sig)
{
	if (bundle_child > 0)
		kill(bundle_child, sig);
}

/* A bundle is unpacked into a temporary folder, and the check runs in a child
 * process: whatever ends the child (an error, ^C, kill), the parent removes the
 * unpacked copy of the evidence. Returns -1 in the child (go on and verify into
 * dir), else the child's exit status. */
static int bundle_guard(char *dir, size_t dirlen)
{
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	int too_long =
	    (size_t)snprintf(dir, dirlen, "%s/tealeaves-verify.XXXXXX", tmpdir) >= dirlen;
	if (too_long)
		errno = ENAMETOOLONG;
	if (too_long || !mkdtemp(dir)) {
		fprintf(stderr, "tealeaves: cannot make a temporary folder in %s (TMPDIR): %s\n",
		        tmpdir, strerror(errno));
		return EXIT_OUTPUT;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		/* the child does not outlive a parent killed outright */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(EXIT_OUTPUT);
		return -1;
	}
	int status = EXIT_OUTPUT;
	if (pid < 0) {
		fprintf(stderr, "tealeaves: fork: %s\n", strerror(errno));
	} else {
		struct sigaction fwd, old_int, old_quit, old_term, old_hup;
		memset(&fwd, 0, sizeof(fwd));
		fwd.sa_handler = forward_signal;
		bundle_child = pid;
		/* the parent passes signals on and waits: ^C reaches both, kill only it */
		sigaction(SIGINT, &fwd, &old_int);
		sigaction(SIGQUIT, &fwd, &old_quit);
		sigaction(SIGTERM, &fwd, &old_term);
		sigaction(SIGHUP, &fwd, &old_hup);
		int wst = 0;
		while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
			;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		bundle_child = 0;
		if (WIFEXITED(wst)) {
			status = WEXITSTATUS(wst);
		} else {
			status = 128 + (WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
			fprintf(stderr,
			        "tealeaves: verify was stopped (signal %d); its unpacked copy "
			        "of the bundle is removed\n",
			        WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
		}
	}
	if (tl_tar_rmtree(dir) != 0) {
		fprintf(stderr, "tealeaves: could not remove the unpacked bundle %s\n", dir);
		if (status == EXIT_OK)
			status = EXIT_OUTPUT;
	}
	return status;
}

static const struct option verify_long[] = {
    {"inputs", required_argument, NULL, 'i'},
    {"case", required_argument, NULL, 'c'},
    {"signature", required_argument, NULL, 'g'},
    {"ca", required_argument, NULL, 'a'},
    {"threads", required_argument, NULL, 't'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int tl_cli_verify(int argc, char **argv)
{
	vctx_t v;
	memset(&v, 0, sizeof(v));
	vopts_t vo;
	memset(&vo, 0, sizeof(vo));
	int opt, json = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:t:h", verify_long, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'i':
			v.inputs_dir = optarg;
			break;
		case 'c':
			vo.case_path = optarg;
			break;
		case 'g':
			vo.signature = optarg;
			break;
		case 'a':
			vo.ca = optarg;
			break;
		case 't':
			if (tl_cli_parse_threads(optarg, &vo.threads) != 0) {
				fprintf(stderr, "tealeaves: bad thread count '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs("usage: tealeaves verify REPORT.pdf|BUNDLE.tar [--inputs DIR] [--case FILE]\n"
			      "                        [--signature FILE.p7s] [--ca CERTS.pem]\n"
			      "                        [--threads N] [--json]\n"
			      "\n"
			      "Checks every hash the report's manifest lists, runs the analysis again,\n"
			      "makes the report again and compares it byte for byte (exit 0 VERIFIED,\n"
			      "6 not verified, 7 another build or data files).\n"
			      "\n"
			      "options:\n"
			      "  --inputs DIR         look for the inputs below DIR (regular files only)\n"
			      "  --case FILE          the case file, when not where the manifest says\n"
			      "  --signature FILE.p7s check a detached CMS signature of the report\n"
			      "  --ca CERTS.pem       and the signer's certificate against these CAs\n"
			      "  --threads N          threads for reading the evidence\n"
			      "  --json               the checks and the verdict as JSON\n"
			      "\n"
			      "examples:\n"
			      "  tealeaves verify build/sample/report.pdf\n"
			      "  tealeaves verify case.tar --json\n"
			      "  tealeaves verify report.pdf --inputs /evidence/2016-001\n",
			      stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "tealeaves: bad option for 'verify'\n");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "tealeaves: verify: give one report (PDF) or bundle (tar)\n"
		                "run 'tealeaves help' for usage\n");
		return EXIT_USAGE;
	}
	const char *target = argv[optind];
	int is_tar = tl_tar_is_tar(target);
	char bundle_dir[4096] = "";
	if (v.inputs_dir && is_tar) {
		fprintf(stderr, "tealeaves: verify: a bundle is checked against its own files; "
		                "--inputs goes with a report\n");
		return EXIT_USAGE;
	}
	if (v.inputs_dir) {
		struct stat st;
		if (stat(v.inputs_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
		    !(v.inputs_real = realpath(v.inputs_dir, NULL))) {
			fprintf(stderr, "tealeaves: %s: not a folder\n", v.inputs_dir);
			return EXIT_USAGE;
		}
	}
	int status;
	if (is_tar && (status = bundle_guard(bundle_dir, sizeof(bundle_dir))) != -1)
		return status; /* the parent: the child has printed everything */
	tl_buf_t out;
	tl_json_t j;
	tl_buf_init(&out);
	if (json) {
		/* one document at the end; stdout holds nothing else */
		tl_json_init(&j, &out, 1);
		tl_json_obj_begin(&j);
		tl_json_key(&j, "schema");
		tl_json_str(&j, "tealeaves-verify/1");
		tl_json_key(&j, "target");
		tl_json_str(&j, target);
		tl_json_key(&j, "checks");
		tl_json_arr_begin(&j);
		v.json = &j;
	}
	if (is_tar) {
		status = verify_bundle(&v, target, &vo, bundle_dir);
	} else {
		v.pdf_path = target;
		status = verify_pdf(&v, &vo);
	}
	if (json) {
		tl_json_arr_end(&j);
		tl_json_key(&j, "verdict");
		if (v.verdict)
			tl_json_str(&j, v.verdict);
		else
			tl_json_null(&j);
		tl_json_key(&j, "summary");
		tl_json_str(&j, v.summary);
		tl_json_key(&j, "exit_status");
		tl_json_i64(&j, status);
		tl_json_obj_end(&j);
		tl_buf_putc(&out, '\n');
		fwrite(out.data, 1, out.len, stdout);
	}
	tl_buf_free(&out);
	free(v.inputs_real);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "tealeaves: writing output: %s\n", strerror(errno));
		status = EXIT_OUTPUT;
	}
	if (is_tar)
		exit(status); /* the child; the parent removes the unpacked copy */
	return status;
}
