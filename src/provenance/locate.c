/* locate.c - finding the files a report's manifest names: where the case file and the
 * manifest say, beside the report, or only below --inputs DIR (or an unpacked bundle),
 * and the check of what was found. */
#include "provenance/verify_impl.h"
#include "util/xmalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* 1 when a path has a ".." component. */
int tl_verify_has_dotdot(const char *p)
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
static int confined(const tl_vctx_t *v, const char *path)
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

const char *tl_verify_base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

void tl_verify_strv_push(tl_vstrv_t *s, char *p)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = tl_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = p;
}

void tl_verify_strv_free(tl_vstrv_t *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Every file below dir other than a folder (symbolic links are not followed), as
 * paths relative to top, down to max_depth levels and TL_VERIFY_SEARCH_MAX entries;
 * t->cut says when a limit stopped it. */
static void list_files(const char *top, const char *dir, int depth, int max_depth, tl_vtree_t *t)
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
		if (t->seen++ >= TL_VERIFY_SEARCH_MAX) {
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
			tl_verify_strv_push(&t->files, tl_xstrdup(p.data + strlen(top) + 1));
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

void tl_verify_tree_walk(const char *dir, int max_depth, tl_vtree_t *t)
{
	memset(t, 0, sizeof(*t));
	list_files(dir, dir, 0, max_depth, t);
	if (t->files.n > 1)
		qsort(t->files.v, t->files.n, sizeof(char *), cmp_walk);
}

static void add_candidate(tl_vstrv_t *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], path) == 0)
			return;
	tl_verify_strv_push(c, tl_xstrdup(path));
}

/* The candidates under --inputs DIR, in order: the recorded relative name, the place
 * the case file found there gives (resolved), then every file below DIR of the same file
 * name, and in a bundle every file SHA256SUMS gives the recorded SHA-256. */
static void candidates_under_inputs(tl_vctx_t *v, const tl_want_t *w, const char *resolved,
                                    tl_vstrv_t *cand, tl_found_t *f)
{
	char buf[8192];
	size_t dn = strlen(v->inputs_dir);
	if (w->name[0] != '/' && !tl_verify_has_dotdot(w->name)) {
		snprintf(buf, sizeof(buf), "%s/%s", v->inputs_dir, w->name);
		add_candidate(cand, buf);
	}
	if (resolved && strncmp(resolved, v->inputs_dir, dn) == 0 && resolved[dn] == '/')
		add_candidate(cand, resolved);
	tl_vstrv_t byname = {0};
	if (!v->tree) { /* the folder is walked once for all the files looked for */
		v->tree = tl_xmalloc(sizeof(*v->tree));
		tl_verify_tree_walk(v->inputs_dir, TL_VERIFY_SEARCH_DEPTH, v->tree);
	}
	for (size_t i = 0; i < v->tree->files.n; i++) {
		const char *rel = v->tree->files.v[i];
		if (strcmp(tl_verify_base_name(rel), tl_verify_base_name(w->name)) != 0)
			continue;
		snprintf(buf, sizeof(buf), "%s/%s", v->inputs_dir, rel);
		tl_verify_strv_push(&byname, tl_xstrdup(buf));
	}
	f->search_cut = v->tree->cut;
	/* in a bundle, a file stored under another name (bundle keeps names to
	 * ASCII) is found by the SHA-256 that SHA256SUMS gives it */
	for (size_t i = 0; v->listing && i < v->listing->n; i++) {
		if (strncmp(v->listing->v[i], w->sha256, 64) == 0) {
			snprintf(buf, sizeof(buf), "%s/%s", v->inputs_dir, v->listing->v[i] + 66);
			tl_verify_strv_push(&byname, tl_xstrdup(buf));
		}
	}
	for (size_t i = 0; i < byname.n; i++)
		add_candidate(cand, byname.v[i]);
	tl_verify_strv_free(&byname);
}

/* The candidates without --inputs, in order: the place the case file gives (resolved),
 * the name as recorded (a relative one against the case file's recorded folder), then
 * beside the report. */
static void candidates_in_place(const tl_vctx_t *v, const tl_want_t *w, const char *resolved,
                                tl_vstrv_t *cand)
{
	char buf[8192];
	if (resolved)
		add_candidate(cand, resolved);
	/* relative names are relative to the case file where the report was made */
	if (v->case_dir && w->name[0] != '/' && !w->is_case_file) {
		snprintf(buf, sizeof(buf), "%s/%s", v->case_dir, w->name);
		add_candidate(cand, buf);
	} else {
		add_candidate(cand, w->name);
	}
	/* beside the report: where a case unpacked with its report usually is */
	if (v->pdf_dir && w->name[0] != '/') {
		snprintf(buf, sizeof(buf), "%s/%s", v->pdf_dir, w->name);
		add_candidate(cand, buf);
	}
	if (v->pdf_dir) {
		snprintf(buf, sizeof(buf), "%s/%s", v->pdf_dir, tl_verify_base_name(w->name));
		add_candidate(cand, buf);
	}
}

/* The places tried, in words, into f->looked (for a MISSING line). */
static void describe_looked(const tl_vctx_t *v, const tl_vstrv_t *cand, tl_found_t *f)
{
	tl_buf_t looked;
	tl_buf_init(&looked);
	for (size_t i = 0; i < cand->n; i++)
		tl_buf_printf(&looked, "%s%s", i ? ", " : "at ", cand->v[i]);
	if (v->inputs_dir)
		tl_buf_printf(&looked,
		              "%sby file name under %s (symbolic links and files "
		              "outside it do not count)",
		              cand->n ? ", and " : "", v->inputs_dir);
	if (f->search_cut)
		tl_buf_printf(&looked, "; the search stopped at %d levels of folders or %d entries",
		              TL_VERIFY_SEARCH_DEPTH, TL_VERIFY_SEARCH_MAX);
	snprintf(f->looked, sizeof(f->looked), "%s", looked.data);
	tl_buf_free(&looked);
}

/* Chooses among the candidates: the first whose size and SHA-256 match wins; when none
 * matches, the first that exists is reported. The first candidate is trusted wherever
 * it is when explicit (a file named with --case: the user chose it). */
static void choose(const tl_vctx_t *v, const tl_want_t *w, const tl_vstrv_t *cand, int explicit,
                   tl_found_t *f)
{
	for (size_t i = 0; i < cand->n; i++) {
		uint64_t size;
		if (!plain_file(cand->v[i], &size) ||
		    (!(explicit && i == 0) && !confined(v, cand->v[i])))
			continue;
		/* a file of another size is not read at all: its size is the answer */
		if (w->has_size && size != w->size) {
			if (!f->path) {
				f->path = tl_xstrdup(cand->v[i]);
				f->size = size;
				f->size_only = 1;
			}
			continue;
		}
		char hex[TL_SHA256_HEX_LEN];
		if (tl_sha256_file(cand->v[i], &size, hex) != 0)
			continue;
		int ok = strcmp(hex, w->sha256) == 0 && (!w->has_size || size == w->size);
		if (ok || !f->path || f->size_only) {
			free(f->path);
			f->path = tl_xstrdup(cand->v[i]);
			f->size = size;
			memcpy(f->sha256, hex, sizeof(hex));
			f->matches = ok;
			f->size_only = 0;
		}
		if (ok)
			break;
	}
}

/* Finds the file the manifest names. With --inputs DIR, only there, so that a check of
 * a copy never passes on a file found elsewhere; without it, where the case file and
 * the manifest say, and beside the report. explicit (--case) comes first in both. */
void tl_verify_locate(tl_vctx_t *v, const tl_want_t *w, const char *resolved, const char *explicit,
                      tl_found_t *f)
{
	memset(f, 0, sizeof(*f));
	tl_vstrv_t cand = {0};
	if (explicit)
		add_candidate(&cand, explicit);
	if (v->inputs_dir)
		candidates_under_inputs(v, w, resolved, &cand, f);
	else
		candidates_in_place(v, w, resolved, &cand);
	describe_looked(v, &cand, f);
	choose(v, w, &cand, explicit != NULL, f);
	tl_verify_strv_free(&cand);
	if (f->matches && v->used) {
		char *real = realpath(f->path, NULL);
		if (real)
			tl_verify_strv_push(v->used, real);
	}
}

/* Adds the check of one located file; returns 1 when it matches. */
int tl_verify_file_verdict(tl_vctx_t *v, const char *what, const tl_want_t *w, const tl_found_t *f,
                           int tool_file)
{
	if (!f->path) {
		tl_verify_add(v, TL_VERIFY_MISSING, what, "%s: not found (looked %s)", w->name,
		              f->looked);
		if (tool_file)
			v->verdict->tool_differs = 1;
		else
			v->verdict->missing++;
		return 0;
	}
	if (f->matches) {
		tl_verify_add(v, TL_VERIFY_OK, what, "%s: %llu bytes, SHA-256 %s", f->path,
		              (unsigned long long)f->size, f->sha256);
		return 1;
	}
	if (f->size_only)
		tl_verify_add(
		    v, tool_file ? TL_VERIFY_DIFFERS : TL_VERIFY_FAILED, what,
		    "%s: %llu bytes; the manifest says %llu bytes (so the file was not read)",
		    f->path, (unsigned long long)f->size, (unsigned long long)w->size);
	else
		tl_verify_add(
		    v, tool_file ? TL_VERIFY_DIFFERS : TL_VERIFY_FAILED, what,
		    "%s: %llu bytes, SHA-256 %s; the manifest says %s%llu bytes, SHA-256 %s",
		    f->path, (unsigned long long)f->size, f->sha256,
		    w->has_size ? "" : "(no size) ", (unsigned long long)w->size, w->sha256);
	if (tool_file)
		v->verdict->tool_differs = 1;
	else
		tl_verify_fail(v);
	return 0;
}

const char *tl_verify_jstr(json_t *o, const char *key)
{
	json_t *x = json_object_get(o, key);
	return json_is_string(x) ? json_string_value(x) : NULL;
}

/* {name, size, sha256} into w; returns 0, or -1 when the entry is malformed. */
int tl_verify_want_of(json_t *o, tl_want_t *w)
{
	memset(w, 0, sizeof(*w));
	if (!json_is_object(o))
		return -1;
	w->name = tl_verify_jstr(o, "name");
	w->sha256 = tl_verify_jstr(o, "sha256");
	json_t *sz = json_object_get(o, "size");
	if (json_is_integer(sz) && json_integer_value(sz) >= 0) {
		w->size = (uint64_t)json_integer_value(sz);
		w->has_size = 1;
	}
	if (!w->name || !w->sha256 || strlen(w->sha256) != TL_SHA256_HEX_LEN - 1)
		return -1;
	return 0;
}
