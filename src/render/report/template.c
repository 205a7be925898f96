/* template.c - the report template language: parser, key table, and filling into blocks. */
#include "render/report/template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/strmap.h"
#include "util/xmalloc.h"

#define MAX_DEPTH 32               /* nested @if/@each/@box */
#define MAX_TEMPLATE (4u << 20)    /* a template larger than 4 MiB is refused */

/* The key table. */

enum { V_TEXT, V_BOOL, V_LIST };

typedef struct tvar {
	char *key;
	int type;
	char *text;
	int on;
	tl_tvars_t **items;
	size_t n, cap;
} tvar_t;

struct tl_tvars {
	tl_strmap_t *map;
	tvar_t *v;
	size_t n, cap;
};

tl_tvars_t *tl_tvars_new(void)
{
	tl_tvars_t *v = tl_xcalloc(1, sizeof(*v));
	v->map = tl_strmap_new();
	return v;
}

static void tvar_clear(tvar_t *e)
{
	free(e->text);
	e->text = NULL;
	for (size_t i = 0; i < e->n; i++)
		tl_tvars_free(e->items[i]);
	free(e->items);
	e->items = NULL;
	e->n = e->cap = 0;
}

void tl_tvars_free(tl_tvars_t *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		tvar_clear(&v->v[i]);
		free(v->v[i].key);
	}
	free(v->v);
	tl_strmap_free(v->map);
	free(v);
}

static const tvar_t *tvars_get(const tl_tvars_t *v, const char *key, size_t len)
{
	uint32_t i = tl_strmap_get(v->map, key, len);
	return i == UINT32_MAX ? NULL : &v->v[i];
}

static tvar_t *tvars_slot(tl_tvars_t *v, const char *key)
{
	size_t len = strlen(key);
	uint32_t i = tl_strmap_get(v->map, key, len);

	if (i != UINT32_MAX)
		return &v->v[i];
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = tl_xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	memset(&v->v[v->n], 0, sizeof(v->v[0]));
	v->v[v->n].key = tl_xstrdup(key);
	v->v[v->n].type = V_BOOL;
	tl_strmap_put(v->map, key, len, (uint32_t)v->n);
	return &v->v[v->n++];
}

void tl_tvars_set(tl_tvars_t *v, const char *key, const char *text)
{
	tvar_t *e = tvars_slot(v, key);
	char *copy = tl_xstrdup(text ? text : "");

	tvar_clear(e);
	e->type = V_TEXT;
	e->text = copy;
}

void tl_tvars_set_bool(tl_tvars_t *v, const char *key, int on)
{
	tvar_t *e = tvars_slot(v, key);

	tvar_clear(e);
	e->type = V_BOOL;
	e->on = on != 0;
}

void tl_tvars_set_list(tl_tvars_t *v, const char *key)
{
	tvar_t *e = tvars_slot(v, key);

	if (e->type != V_LIST) {
		tvar_clear(e);
		e->type = V_LIST;
	}
}

tl_tvars_t *tl_tvars_add_item(tl_tvars_t *v, const char *key)
{
	tvar_t *e;

	tl_tvars_set_list(v, key);
	e = tvars_slot(v, key);
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->items = tl_xrealloc(e->items, e->cap * sizeof(*e->items));
	}
	e->items[e->n] = tl_tvars_new();
	return e->items[e->n++];
}

/* The parsed template: a tree of nodes. */

typedef struct seg {
	int is_key;
	char *s; /* literal text, or the key */
	int line, col;
} seg_t;

typedef struct text {
	seg_t *v;
	size_t n;
} text_t;

enum {
	N_TEXT, N_ITEM, N_BLANK, N_TITLE, N_SUBTITLE, N_LOGO, N_FIELD, N_SECTION, N_BOX, N_INSERT,
	N_PAGEBREAK, N_IF, N_EACH,
};

typedef struct node node_t;
typedef struct nodes {
	node_t **v;
	size_t n, cap;
} nodes_t;

struct node {
	int kind, line, col; /* col of the key or name for N_IF, N_EACH, N_INSERT */
	int level, neg, has_else;
	char *name; /* box kind, insert name, @if key, @each list */
	char *var;  /* @each */
	text_t a, b;
	nodes_t body, alt;
};

struct tl_template {
	char *name;
	nodes_t top;
};

static void text_free(text_t *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].s);
	free(t->v);
}

static void nodes_free(nodes_t *l);

static void node_free(node_t *n)
{
	free(n->name);
	free(n->var);
	text_free(&n->a);
	text_free(&n->b);
	nodes_free(&n->body);
	nodes_free(&n->alt);
	free(n);
}

static void nodes_free(nodes_t *l)
{
	for (size_t i = 0; i < l->n; i++)
		node_free(l->v[i]);
	free(l->v);
}

static void nodes_push(nodes_t *l, node_t *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = tl_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = n;
}

void tl_template_free(tl_template_t *t)
{
	if (t == NULL)
		return;
	nodes_free(&t->top);
	free(t->name);
	free(t);
}

/* Parser. */

typedef struct parser {
	const char *name;
	const char *ln; /* the current line */
	size_t len;     /* its length without the line end */
	int line;
	tl_template_error_t *err;
	/* col_of's last answer on this line: columns are asked for left to right, so
	 * counting on from here keeps a long line linear */
	const char *col_ln;
	size_t col_k;
	int col_c;
} parser_t;

__attribute__((format(printf, 4, 5))) static int fail_at(tl_template_error_t *err,
							  const char *name, int line_col[2],
							  const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err) {
		err->line = line_col[0];
		err->col = line_col[1];
		snprintf(err->msg, sizeof(err->msg), "%s:%d:%d: %s", name ? name : "template",
			 line_col[0], line_col[1], what);
	}
	return TL_EFORMAT;
}

/* Column (1-based, in characters) of byte i of the current line. */
static int col_of(parser_t *p, size_t i)
{
	int c = 1;
	size_t k = 0;

	if (p->col_ln == p->ln && p->col_k <= i) {
		k = p->col_k;
		c = p->col_c;
	}
	while (k < i && k < p->len) {
		size_t n = tl_utf8_len((const unsigned char *)p->ln + k, p->len - k);
		k += n ? n : 1;
		c++;
	}
	p->col_ln = p->ln;
	p->col_k = k;
	p->col_c = c;
	return c;
}

#define PFAIL(p, i, ...) fail_at((p)->err, (p)->name, (int[2]){(p)->line, col_of((p), (i))}, \
				 __VA_ARGS__)

static int is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Checks the key at ln[a..b): non-empty segments of [A-Za-z0-9_] joined by single dots.
 * Returns the byte index of the fault or SIZE_MAX when the key is good. */
static size_t key_fault(const char *ln, size_t a, size_t b)
{
	if (a == b)
		return a;
	for (size_t i = a; i < b; i++) {
		if (!is_key_char(ln[i]))
			return i;
		if (ln[i] == '.' && (i == a || i + 1 == b || ln[i + 1] == '.'))
			return i;
	}
	return SIZE_MAX;
}

static void text_push(text_t *t, int is_key, const char *s, size_t n, int line, int col)
{
	/* capacity: the next power of two at or above n (grown geometrically) */
	if ((t->n & (t->n - 1)) == 0)
		t->v = tl_xrealloc(t->v, (t->n ? t->n * 2 : 1) * sizeof(*t->v));
	t->v[t->n++] = (seg_t){is_key, tl_xstrndup(s, n), line, col};
}

/* Parses ln[a..b) (already trimmed) as text with escapes and placeholders. */
static int parse_text(parser_t *p, size_t a, size_t b, text_t *out)
{
	tl_buf_t lit;
	size_t i = a;
	int rc = TL_OK;

	tl_buf_init(&lit);
	while (i < b) {
		char c = p->ln[i];
		if (c == '\\') {
			if (i + 1 < b && strchr("\\{}@-|", p->ln[i + 1]) != NULL) {
				char e = p->ln[i + 1];
				tl_buf_putc(&lit, e);
				i += 2;
				/* "\{{" and "\}}" write both braces */
				if ((e == '{' || e == '}') && i < b && p->ln[i] == e) {
					tl_buf_putc(&lit, e);
					i++;
				}
				continue;
			}
			rc = PFAIL(p, i, "unknown escape: a backslash is written \\\\ and escapes only "
					 "\\ { } @ - |");
			break;
		}
		if (c == '{' && i + 1 < b && p->ln[i + 1] == '{') {
			size_t k = i + 2, ke, j, bad;
			while (k < b && is_blank(p->ln[k]))
				k++;
			ke = k;
			while (ke < b && is_key_char(p->ln[ke]))
				ke++;
			j = ke;
			while (j < b && is_blank(p->ln[j]))
				j++;
			if (j + 1 >= b || p->ln[j] != '}' || p->ln[j + 1] != '}') {
				const char *close = NULL;
				for (size_t q = i + 2; q + 1 < b; q++)
					if (p->ln[q] == '}' && p->ln[q + 1] == '}') {
						close = p->ln + q;
						break;
					}
				if (close == NULL)
					rc = PFAIL(p, i, "unterminated placeholder: '{{' without '}}' on "
							 "this line");
				else if (ke == k)
					rc = PFAIL(p, j, "placeholder name expected after '{{'");
				else
					rc = PFAIL(p, j, "invalid character in placeholder name (names "
							 "are letters, digits, '_' and '.')");
				break;
			}
			bad = key_fault(p->ln, k, ke);
			if (bad != SIZE_MAX) {
				rc = ke == k ? PFAIL(p, i, "empty placeholder '{{}}'")
					     : PFAIL(p, bad, "misplaced '.' in placeholder name");
				break;
			}
			if (lit.len) {
				text_push(out, 0, lit.data, lit.len, p->line, 0);
				tl_buf_clear(&lit);
			}
			text_push(out, 1, p->ln + k, ke - k, p->line, col_of(p, i));
			i = j + 2;
			continue;
		}
		if (c == '}' && i + 1 < b && p->ln[i + 1] == '}') {
			rc = PFAIL(p, i, "'}}' without '{{' (a literal brace is written \\})");
			break;
		}
		tl_buf_putc(&lit, c);
		i++;
	}
	if (rc == TL_OK && lit.len)
		text_push(out, 0, lit.data, lit.len, p->line, 0);
	tl_buf_free(&lit);
	return rc;
}

/* Skips blanks from i; returns the new index. */
static size_t skip_blank(const parser_t *p, size_t i)
{
	while (i < p->len && is_blank(p->ln[i]))
		i++;
	return i;
}

/* End of the word ([a-z_]) starting at i. */
static size_t word_end(const parser_t *p, size_t i)
{
	while (i < p->len && ((p->ln[i] >= 'a' && p->ln[i] <= 'z') || p->ln[i] == '_'))
		i++;
	return i;
}

/* Reads a key at i (into *key), checking it; returns TL_OK and *end, or fails. */
static int read_key(parser_t *p, size_t i, const char *what, char **key, size_t *end)
{
	size_t e = i, bad;

	while (e < p->len && is_key_char(p->ln[e]))
		e++;
	if (e == i)
		return PFAIL(p, i, "%s expected", what);
	bad = key_fault(p->ln, i, e);
	if (bad != SIZE_MAX)
		return PFAIL(p, bad, "misplaced '.' in %s", what);
	*key = tl_xstrndup(p->ln + i, e - i);
	*end = e;
	return TL_OK;
}

static int expect_eol(parser_t *p, size_t i, const char *dir)
{
	i = skip_blank(p, i);
	if (i < p->len)
		return PFAIL(p, i, "unexpected text after @%s", dir);
	return TL_OK;
}

typedef struct frame {
	node_t *n;
	nodes_t *list; /* where lines go now */
} frame_t;

static node_t *node_new(int kind, int line, int col)
{
	node_t *n = tl_xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

static size_t trim_end(const parser_t *p, size_t a, size_t b)
{
	while (b > a && is_blank(p->ln[b - 1]))
		b--;
	return b;
}

/* Parses one directive line (p->ln[at] == '@'). */
static int parse_directive(parser_t *p, size_t at, frame_t *st, int *depth)
{
	size_t w = at + 1, we = word_end(p, w), i;
	size_t dlen = we - w;
	const char *d = p->ln + w;
	nodes_t *out = st[*depth].list;
	node_t *n = NULL;
	int rc = TL_OK;

#define IS(s) (dlen == strlen(s) && memcmp(d, s, dlen) == 0)
	if (w < p->len && p->ln[w] == '#')
		return TL_OK; /* comment */
	if (we < p->len && !is_blank(p->ln[we]))
		return PFAIL(p, at, "unknown directive (a literal '@' at the start of a line is "
				    "written \\@)");
	i = skip_blank(p, we);
	if (IS("title") || IS("subtitle") || IS("logo")) {
		size_t e = trim_end(p, i, p->len);
		if (i == e)
			return PFAIL(p, we, "@%.*s needs a text", (int)dlen, d);
		n = node_new(IS("title") ? N_TITLE : IS("subtitle") ? N_SUBTITLE : N_LOGO, p->line,
			     0);
		rc = parse_text(p, i, e, &n->a);
	} else if (IS("field")) {
		size_t bar = i, e = trim_end(p, i, p->len);
		while (bar < e && !(p->ln[bar] == '|' && (bar == i || p->ln[bar - 1] != '\\')))
			bar++;
		if (bar >= e || trim_end(p, i, bar) == i)
			return PFAIL(p, i, "@field needs LABEL | TEXT");
		n = node_new(N_FIELD, p->line, 0);
		rc = parse_text(p, i, trim_end(p, i, bar), &n->a);
		if (rc == TL_OK)
			rc = parse_text(p, skip_blank(p, bar + 1), e, &n->b);
	} else if (IS("section")) {
		size_t e = trim_end(p, i, p->len);
		if (i >= e || p->ln[i] < '1' || p->ln[i] > '3' ||
		    (i + 1 < e && !is_blank(p->ln[i + 1])))
			return PFAIL(p, i, "@section needs a level (1, 2 or 3), then a title");
		if (skip_blank(p, i + 1) >= e)
			return PFAIL(p, i + 1, "@section needs a title after its level");
		n = node_new(N_SECTION, p->line, 0);
		n->level = p->ln[i] - '0';
		rc = parse_text(p, skip_blank(p, i + 1), e, &n->a);
	} else if (IS("box")) {
		size_t ke = word_end(p, i), e = trim_end(p, i, p->len);
		if (ke == i || (ke < p->len && !is_blank(p->ln[ke])))
			return PFAIL(p, i, "@box needs a kind (lower-case letters and '_')");
		if (*depth + 1 >= MAX_DEPTH)
			return PFAIL(p, at, "blocks nested too deeply (more than %d)", MAX_DEPTH - 1);
		n = node_new(N_BOX, p->line, col_of(p, at));
		n->name = tl_xstrndup(p->ln + i, ke - i);
		ke = skip_blank(p, ke);
		if (ke < e)
			rc = parse_text(p, ke, e, &n->a);
		if (rc == TL_OK) {
			nodes_push(out, n);
			++*depth;
			st[*depth] = (frame_t){n, &n->body};
			return TL_OK;
		}
	} else if (IS("insert")) {
		char *key = NULL;
		size_t e;
		rc = read_key(p, i, "name of a table or chart after @insert", &key, &e);
		if (rc != TL_OK)
			return rc;
		n = node_new(N_INSERT, p->line, col_of(p, i));
		n->name = key;
		rc = expect_eol(p, e, "insert");
	} else if (IS("pagebreak")) {
		rc = expect_eol(p, we, "pagebreak");
		if (rc != TL_OK)
			return rc;
		n = node_new(N_PAGEBREAK, p->line, 0);
	} else if (IS("if")) {
		int neg = i < p->len && p->ln[i] == '!';
		char *key = NULL;
		size_t e;
		if (*depth + 1 >= MAX_DEPTH)
			return PFAIL(p, at, "blocks nested too deeply (more than %d)", MAX_DEPTH - 1);
		rc = read_key(p, i + (size_t)neg, "key after @if", &key, &e);
		if (rc != TL_OK)
			return rc;
		n = node_new(N_IF, p->line, col_of(p, i + (size_t)neg));
		n->name = key;
		n->neg = neg;
		rc = expect_eol(p, e, "if");
		if (rc == TL_OK) {
			nodes_push(out, n);
			++*depth;
			st[*depth] = (frame_t){n, &n->body};
			return TL_OK;
		}
	} else if (IS("else")) {
		node_t *open = st[*depth].n;
		rc = expect_eol(p, we, "else");
		if (rc != TL_OK)
			return rc;
		if (open == NULL || open->kind != N_IF)
			return PFAIL(p, at, "@else without @if");
		if (open->has_else)
			return PFAIL(p, at, "second @else for the @if on line %d", open->line);
		open->has_else = 1;
		st[*depth].list = &open->alt;
		return TL_OK;
	} else if (IS("end")) {
		rc = expect_eol(p, we, "end");
		if (rc != TL_OK)
			return rc;
		if (*depth == 0)
			return PFAIL(p, at, "@end without an open @if, @each or @box");
		--*depth;
		return TL_OK;
	} else if (IS("each")) {
		char *key = NULL, *var = NULL;
		size_t e, v;
		if (*depth + 1 >= MAX_DEPTH)
			return PFAIL(p, at, "blocks nested too deeply (more than %d)", MAX_DEPTH - 1);
		rc = read_key(p, i, "list name after @each", &key, &e);
		if (rc != TL_OK)
			return rc;
		v = skip_blank(p, e);
		if (!(v + 2 <= p->len && memcmp(p->ln + v, "as", 2) == 0 && v > e &&
		      v + 2 < p->len && is_blank(p->ln[v + 2]))) {
			free(key);
			return PFAIL(p, v, "@each needs LIST as NAME");
		}
		v = skip_blank(p, v + 2);
		rc = read_key(p, v, "item name after 'as'", &var, &e);
		if (rc == TL_OK && strchr(var, '.') != NULL)
			rc = PFAIL(p, v, "item name after 'as' must not contain '.'");
		if (rc == TL_OK)
			rc = expect_eol(p, e, "each");
		if (rc != TL_OK) {
			free(key);
			free(var);
			return rc;
		}
		n = node_new(N_EACH, p->line, col_of(p, i));
		n->name = key;
		n->var = var;
		nodes_push(out, n);
		++*depth;
		st[*depth] = (frame_t){n, &n->body};
		return TL_OK;
	} else {
		return PFAIL(p, at, "unknown directive @%.*s (a literal '@' at the start of a line "
				    "is written \\@)",
			     (int)dlen, d);
	}
#undef IS
	if (rc != TL_OK) {
		if (n)
			node_free(n);
		return rc;
	}
	nodes_push(out, n);
	return TL_OK;
}

int tl_template_parse(const char *text, size_t len, const char *name, tl_template_t **out,
		      tl_template_error_t *err)
{
	tl_template_t *t = tl_xcalloc(1, sizeof(*t));
	frame_t st[MAX_DEPTH];
	parser_t p;
	memset(&p, 0, sizeof(p));
	p.name = name ? name : "template";
	p.err = err;
	size_t s = 0;
	int depth = 0, rc = TL_OK;

	if (err)
		memset(err, 0, sizeof(*err));
	t->name = tl_xstrdup(p.name);
	st[0] = (frame_t){NULL, &t->top};
	/* A UTF-8 byte order mark at the start is allowed (editors write one). */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		s = 3;
	while (s < len || (s == len && p.line == 0 && len == 0)) {
		const char *nl = memchr(text + s, '\n', len - s);
		size_t e = nl ? (size_t)(nl - text) : len, i;
		p.line++;
		p.ln = text + s;
		p.len = e - s;
		if (p.len && p.ln[p.len - 1] == '\r')
			p.len--;
		/* The whole line must be valid UTF-8 without control characters. */
		for (i = 0; i < p.len;) {
			size_t k = tl_utf8_len((const unsigned char *)p.ln + i, p.len - i);
			if (k == 0) {
				rc = PFAIL(&p, i, "not valid UTF-8");
				goto done;
			}
			if (k == 1 && (unsigned char)p.ln[i] < 0x20 && p.ln[i] != '\t') {
				rc = PFAIL(&p, i, "control character 0x%02x",
					   (unsigned)(unsigned char)p.ln[i]);
				goto done;
			}
			i += k;
		}
		i = skip_blank(&p, 0);
		if (i == p.len) {
			nodes_push(st[depth].list, node_new(N_BLANK, p.line, 0));
		} else if (p.ln[i] == '@') {
			rc = parse_directive(&p, i, st, &depth);
			if (rc != TL_OK)
				goto done;
		} else {
			int item = p.ln[i] == '-' && i + 1 < p.len && is_blank(p.ln[i + 1]);
			node_t *n = node_new(item ? N_ITEM : N_TEXT, p.line, 0);
			if (item)
				i = skip_blank(&p, i + 1);
			rc = parse_text(&p, i, trim_end(&p, i, p.len), &n->a);
			if (rc != TL_OK) {
				node_free(n);
				goto done;
			}
			nodes_push(st[depth].list, n);
		}
		if (!nl)
			break;
		s = e + 1;
	}
	if (depth > 0) {
		node_t *open = st[depth].n;
		const char *what = open->kind == N_IF ? "@if" : open->kind == N_EACH ? "@each"
										    : "@box";
		rc = fail_at(err, p.name, (int[2]){open->line, 1},
			     "%s is not closed by @end before the end of the file", what);
	}
done:
	if (rc != TL_OK) {
		tl_template_free(t);
		return rc;
	}
	*out = t;
	return TL_OK;
}

int tl_template_load(const char *path, tl_template_t **out, tl_template_error_t *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (err)
		memset(err, 0, sizeof(*err));
	rc = tl_file_read_any(path, MAX_TEMPLATE, &data, &len);
	if (rc != TL_OK) {
		if (err && rc == TL_ELIMIT)
			snprintf(err->msg, sizeof(err->msg), "%s: template larger than %u bytes",
				 path, MAX_TEMPLATE);
		else if (err && rc == TL_EIO)
			snprintf(err->msg, sizeof(err->msg), "%s: cannot read the template", path);
		else if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: cannot open the template: %s",
				 path, tl_strerror(rc));
		return rc;
	}
	rc = tl_template_parse(data, len, path, out, err);
	free(data);
	return rc;
}

/* Keys as documented. */

typedef struct scope_name {
	const char *var;
	const char *doc; /* the list's documented name + "[]" */
} scope_name_t;

static void doc_name(tl_buf_t *out, const char *key, const scope_name_t *sc, int nsc)
{
	const char *dot = strchr(key, '.');
	size_t first = dot ? (size_t)(dot - key) : strlen(key);

	tl_buf_clear(out);
	for (int i = nsc - 1; i >= 0; i--)
		if (strlen(sc[i].var) == first && memcmp(sc[i].var, key, first) == 0) {
			tl_buf_puts(out, sc[i].doc);
			if (dot)
				tl_buf_puts(out, dot);
			return;
		}
	tl_buf_puts(out, key);
}

typedef void (*key_fn)(void *ud, const char *name, int kind, int line);

static void keys_text(const text_t *t, const scope_name_t *sc, int nsc, key_fn fn, void *ud)
{
	tl_buf_t b;

	tl_buf_init(&b);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].is_key) {
			doc_name(&b, t->v[i].s, sc, nsc);
			fn(ud, b.data, TL_TKEY_TEXT, t->v[i].line);
		}
	tl_buf_free(&b);
}

static void keys_nodes(const nodes_t *l, scope_name_t *sc, int nsc, key_fn fn, void *ud)
{
	for (size_t i = 0; i < l->n; i++) {
		const node_t *n = l->v[i];
		tl_buf_t b;
		tl_buf_init(&b);
		keys_text(&n->a, sc, nsc, fn, ud);
		keys_text(&n->b, sc, nsc, fn, ud);
		if (n->kind == N_IF || n->kind == N_INSERT || n->kind == N_EACH) {
			doc_name(&b, n->name, sc, nsc);
			fn(ud, b.data, n->kind == N_IF ? TL_TKEY_COND
				     : n->kind == N_INSERT ? TL_TKEY_INSERT : TL_TKEY_LIST,
			   n->line);
		}
		if (n->kind == N_EACH) {
			tl_buf_puts(&b, "[]");
			sc[nsc] = (scope_name_t){n->var, b.data};
			keys_nodes(&n->body, sc, nsc + 1, fn, ud);
		} else {
			keys_nodes(&n->body, sc, nsc, fn, ud);
			keys_nodes(&n->alt, sc, nsc, fn, ud);
		}
		tl_buf_free(&b);
	}
}

void tl_template_keys(const tl_template_t *t,
		      void (*fn)(void *ud, const char *name, int kind, int line), void *ud)
{
	scope_name_t sc[MAX_DEPTH + 1];

	keys_nodes(&t->top, sc, 0, fn, ud);
}

/* Filling. */

typedef struct scope {
	const char *var;
	const tl_tvars_t *rec;
} scope_t;

typedef struct filler {
	const tl_template_t *t;
	const tl_tvars_t *root;
	scope_t sc[MAX_DEPTH + 1];
	int nsc;
	tl_tdoc_t *doc;
	tl_template_error_t *err;
	tl_buf_t para; /* the paragraph or item being collected */
	int para_kind; /* 0 when none */
	int para_line;
} filler_t;

void tl_tdoc_free(tl_tdoc_t *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].text);
		free(d->v[i].label);
		free(d->v[i].name);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static tl_tblock_t *emit(filler_t *f, int kind, int line)
{
	tl_tdoc_t *d = f->doc;
	tl_tblock_t *b;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = tl_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	b = &d->v[d->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->line = line;
	b->text = tl_xstrdup("");
	b->label = tl_xstrdup("");
	b->name = tl_xstrdup("");
	return b;
}

static void set_str(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = tl_xstrndup(s, n);
}

/* Finds key: its first part may name an @each item in scope (innermost first). */
static const tvar_t *lookup(const filler_t *f, const char *key, int *is_record)
{
	const char *dot = strchr(key, '.');
	size_t first = dot ? (size_t)(dot - key) : strlen(key);

	*is_record = 0;
	for (int i = f->nsc - 1; i >= 0; i--)
		if (strlen(f->sc[i].var) == first && memcmp(f->sc[i].var, key, first) == 0) {
			if (!dot) {
				*is_record = 1;
				return NULL;
			}
			return tvars_get(f->sc[i].rec, dot + 1, strlen(dot + 1));
		}
	return tvars_get(f->root, key, strlen(key));
}

__attribute__((format(printf, 4, 5))) static int ffail(filler_t *f, int line, int col,
							const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fail_at(f->err, f->t->name, (int[2]){line, col}, "%s", what);
}

static int fill_text(filler_t *f, const text_t *t, tl_buf_t *out)
{
	for (size_t i = 0; i < t->n; i++) {
		const seg_t *s = &t->v[i];
		const tvar_t *v;
		int rec;
		if (!s->is_key) {
			tl_buf_puts(out, s->s);
			continue;
		}
		v = lookup(f, s->s, &rec);
		if (rec)
			return ffail(f, s->line, s->col,
				     "{{%s}} is a list item: name one of its fields", s->s);
		if (v == NULL)
			return ffail(f, s->line, s->col, "unknown placeholder {{%s}}", s->s);
		if (v->type != V_TEXT)
			return ffail(f, s->line, s->col,
				     v->type == V_LIST ? "{{%s}} is a list: use @each"
						       : "{{%s}} is a yes/no value: use @if",
				     s->s);
		tl_buf_puts(out, v->text);
	}
	return TL_OK;
}

static void flush(filler_t *f)
{
	if (f->para_kind) {
		tl_tblock_t *b = emit(f, f->para_kind, f->para_line);
		set_str(&b->text, f->para.data ? f->para.data : "", f->para.len);
		tl_buf_clear(&f->para);
		f->para_kind = 0;
	}
}

static int truth(const tvar_t *v)
{
	if (v == NULL)
		return 0;
	if (v->type == V_TEXT)
		return v->text[0] != '\0';
	if (v->type == V_LIST)
		return v->n > 0;
	return v->on;
}

static int fill_nodes(filler_t *f, const nodes_t *l);

static int fill_node(filler_t *f, const node_t *n)
{
	tl_buf_t b;
	const tvar_t *v;
	tl_tblock_t *blk;
	int rc = TL_OK, rec;

	switch (n->kind) {
	case N_BLANK:
		flush(f);
		return TL_OK;
	case N_TEXT:
	case N_ITEM:
		if (n->kind == N_ITEM || f->para_kind == 0) {
			flush(f);
			f->para_kind = n->kind == N_ITEM ? TL_TB_ITEM : TL_TB_PARA;
			f->para_line = n->line;
		} else if (f->para.len) {
			tl_buf_putc(&f->para, ' ');
		}
		return fill_text(f, &n->a, &f->para);
	case N_IF:
		v = lookup(f, n->name, &rec);
		return fill_nodes(f, (rec || truth(v)) != n->neg ? &n->body : &n->alt);
	case N_EACH:
		v = lookup(f, n->name, &rec);
		if (v == NULL || rec)
			return ffail(f, n->line, n->col, "unknown list %s", n->name);
		if (v->type != V_LIST)
			return ffail(f, n->line, n->col, "%s is not a list", n->name);
		if (f->nsc >= MAX_DEPTH)
			return ffail(f, n->line, n->col, "%s: lists nested too deeply", n->name);
		for (size_t i = 0; i < v->n && rc == TL_OK; i++) {
			f->sc[f->nsc++] = (scope_t){n->var, v->items[i]};
			rc = fill_nodes(f, &n->body);
			f->nsc--;
		}
		return rc;
	case N_INSERT:
		v = lookup(f, n->name, &rec);
		if (v == NULL || rec)
			return ffail(f, n->line, n->col, "unknown table or chart @insert %s",
				     n->name);
		flush(f);
		blk = emit(f, TL_TB_INSERT, n->line);
		set_str(&blk->name, n->name, strlen(n->name));
		return TL_OK;
	case N_PAGEBREAK:
		flush(f);
		emit(f, TL_TB_PAGEBREAK, n->line);
		return TL_OK;
	default:
		break;
	}
	/* Blocks with texts: title, subtitle, logo, field, section, box. */
	flush(f);
	tl_buf_init(&b);
	rc = fill_text(f, &n->a, &b);
	if (rc == TL_OK) {
		static const int kinds[] = {[N_TITLE] = TL_TB_TITLE, [N_SUBTITLE] = TL_TB_SUBTITLE,
					    [N_LOGO] = TL_TB_LOGO, [N_FIELD] = TL_TB_FIELD,
					    [N_SECTION] = TL_TB_SECTION, [N_BOX] = TL_TB_BOX_BEGIN};
		blk = emit(f, kinds[n->kind], n->line);
		blk->level = n->level;
		if (n->kind == N_FIELD || n->kind == N_BOX)
			set_str(&blk->label, b.data ? b.data : "", b.len);
		else
			set_str(&blk->text, b.data ? b.data : "", b.len);
		if (n->kind == N_BOX)
			set_str(&blk->name, n->name, strlen(n->name));
		if (n->kind == N_FIELD) {
			tl_buf_clear(&b);
			rc = fill_text(f, &n->b, &b);
			if (rc == TL_OK)
				set_str(&f->doc->v[f->doc->n - 1].text, b.data ? b.data : "", b.len);
		}
		if (rc == TL_OK && n->kind == N_BOX) {
			rc = fill_nodes(f, &n->body);
			flush(f);
			if (rc == TL_OK)
				emit(f, TL_TB_BOX_END, n->line);
		}
	}
	tl_buf_free(&b);
	return rc;
}

static int fill_nodes(filler_t *f, const nodes_t *l)
{
	for (size_t i = 0; i < l->n; i++) {
		int rc = fill_node(f, l->v[i]);
		if (rc != TL_OK)
			return rc;
	}
	return TL_OK;
}

int tl_template_render(const tl_template_t *t, const tl_tvars_t *vars, tl_tdoc_t *doc,
		       tl_template_error_t *err)
{
	filler_t f;
	int rc;

	memset(doc, 0, sizeof(*doc));
	if (err)
		memset(err, 0, sizeof(*err));
	memset(&f, 0, sizeof(f));
	f.t = t;
	f.root = vars;
	f.doc = doc;
	f.err = err;
	tl_buf_init(&f.para);
	rc = fill_nodes(&f, &t->top);
	if (rc == TL_OK)
		flush(&f);
	tl_buf_free(&f.para);
	return rc == TL_OK ? TL_OK : TL_EINVAL;
}
