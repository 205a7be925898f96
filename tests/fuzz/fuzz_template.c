/* fuzz_template.c - libFuzzer harness: the input is a report template for tl_template_parse.
 *
 * Parsing only, no PDF: a template that parses has its keys listed (tl_template_keys), and
 * is then filled (tl_template_render) from values made up for exactly those keys: text for
 * placeholders and inserts, yes for conditions, one record for each list, whose fields are
 * the keys reported as "LIST[].field" (nested lists likewise). A parse failure must name a
 * line and column inside the input; a filled document must hold only terminated strings. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "render/report/template.h"
#include "util/error.h"

typedef struct key {
	char *name;
	int kind;
} tkey_t;

typedef struct keys {
	tkey_t *v;
	size_t n, cap;
} keys_t;

static void add_key(void *ud, const char *name, int kind, int line)
{
	keys_t *k = ud;

	if (name == NULL || line < 1 || kind < TL_TKEY_TEXT || kind > TL_TKEY_INSERT)
		abort();
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->v = realloc(k->v, k->cap * sizeof(*k->v));
		if (!k->v)
			abort();
	}
	k->v[k->n].name = strdup(name);
	if (!k->v[k->n].name)
		abort();
	k->v[k->n++].kind = kind;
}

/* By name; for one name used in several ways, text last, so that it is the value set
 * (text is also true for "@if"). */
static int cmp_key(const void *a, const void *b)
{
	static const int rank[] = {[TL_TKEY_COND] = 0, [TL_TKEY_LIST] = 1, [TL_TKEY_INSERT] = 2,
				   [TL_TKEY_TEXT] = 3};
	const tkey_t *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : rank[x->kind] - rank[y->kind];
}

/* Fills v from the sorted keys v[0..n), each read from byte off on (the prefix before off
 * is the same for all of them: the path of lists down to v). Keys with "[]" at their first
 * list are contiguous in sorted order, so each list is made once, with one record. */
static void build(tl_tvars_t *v, const tkey_t *k, size_t n, size_t off)
{
	size_t i = 0;

	while (i < n) {
		const char *name = k[i].name + off;
		const char *br = strstr(name, "[]");
		if (br == NULL) {
			if (k[i].kind == TL_TKEY_COND)
				tl_tvars_set_bool(v, name, 1);
			else if (k[i].kind == TL_TKEY_LIST)
				tl_tvars_set_list(v, name);
			else
				tl_tvars_set(v, name, "{{not.a.placeholder}} \\@value");
			i++;
			continue;
		}
		size_t pre = (size_t)(br - name) + 2; /* "LIST[]" */
		size_t j = i + 1;
		while (j < n && strncmp(k[j].name + off, name, pre) == 0)
			j++;
		char *list = strndup(name, pre - 2);
		if (!list)
			abort();
		tl_tvars_t *rec = tl_tvars_add_item(v, list);
		free(list);
		/* The record's fields: keys "LIST[].field", read from "field" on; "LIST[]" alone
		 * (the item itself) names no field. */
		size_t a = i;
		while (a < j && k[a].name[off + pre] != '.')
			a++;
		size_t b = a;
		while (b < j && k[b].name[off + pre] == '.')
			b++;
		if (a < b)
			build(rec, k + a, b - a, off + pre + 1);
		i = j;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_template_t *t = NULL;
	tl_template_error_t err;

	int rc = tl_template_parse((const char *)data, size, "fuzz.tmpl", &t, &err);
	if (rc != TL_OK) {
		/* A syntax error names the file, a line of the input and a column. */
		if (rc != TL_EFORMAT || t != NULL || err.line < 1 || err.col < 1 ||
		    memchr(err.msg, '\0', sizeof(err.msg)) == NULL ||
		    strncmp(err.msg, "fuzz.tmpl:", 10) != 0 || (size_t)err.line > size + 1)
			abort();
		return 0;
	}

	keys_t keys = {NULL, 0, 0};
	tl_template_keys(t, add_key, &keys);
	if (keys.n > 1)
		qsort(keys.v, keys.n, sizeof(*keys.v), cmp_key);
	tl_tvars_t *vars = tl_tvars_new();
	build(vars, keys.v, keys.n, 0);

	tl_tdoc_t doc;
	rc = tl_template_render(t, vars, &doc, &err);
	if (rc != TL_OK && (rc != TL_EINVAL || err.line < 1 || err.col < 0 ||
			    strncmp(err.msg, "fuzz.tmpl:", 10) != 0))
		abort();
	volatile size_t sink = 0;
	for (size_t i = 0; rc == TL_OK && i < doc.n; i++) {
		const tl_tblock_t *b = &doc.v[i];
		if (b->kind < TL_TB_TITLE || b->kind > TL_TB_PAGEBREAK || b->line < 1 ||
		    !b->text || !b->label || !b->name)
			abort();
		sink += strlen(b->text) + strlen(b->label) + strlen(b->name);
	}
	(void)sink;
	tl_tdoc_free(&doc);
	tl_tvars_free(vars);
	for (size_t i = 0; i < keys.n; i++)
		free(keys.v[i].name);
	free(keys.v);
	tl_template_free(t);
	return 0;
}
