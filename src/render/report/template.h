/* template.h - the report's wording and section order, from a template file an organisation
 * can copy and edit (the language is documented in templates/README.md). */
#ifndef TL_RENDER_REPORT_TEMPLATE_H
#define TL_RENDER_REPORT_TEMPLATE_H

#include <stddef.h>

/* The values a template is filled from: key -> text, yes/no, or a list of records (each
 * record a table of its own). The caller formats every value; the template computes nothing. */
typedef struct tl_tvars tl_tvars_t;

tl_tvars_t *tl_tvars_new(void);
/* Frees v and every record of its lists; accepts NULL. */
void tl_tvars_free(tl_tvars_t *v);
/* Sets key to a copy of text (replacing any value). */
void tl_tvars_set(tl_tvars_t *v, const char *key, const char *text);
/* Sets key to yes (on != 0) or no. */
void tl_tvars_set_bool(tl_tvars_t *v, const char *key, int on);
/* Makes key an empty list if it is not a list yet (so "@each" over it shows nothing). */
void tl_tvars_set_list(tl_tvars_t *v, const char *key);
/* Appends a new empty record to the list key (made a list if needed) and returns it; the
 * record is owned by v. */
tl_tvars_t *tl_tvars_add_item(tl_tvars_t *v, const char *key);

/* Where and why parsing or filling failed. */
typedef struct tl_template_error {
	int line, col;  /* 1-based; col counts characters (code points) */
	char msg[400];  /* "NAME:LINE:COL: what" */
} tl_template_error_t;

typedef struct tl_template tl_template_t;

/*
 * Parses a template from text[0..len) (UTF-8). name labels error messages (e.g. the path).
 * Returns TL_OK and *out (free with tl_template_free), or TL_EFORMAT with err filled (the
 * line and column of the fault). Nothing is looked up yet: keys are checked when filled.
 */
int tl_template_parse(const char *text, size_t len, const char *name, tl_template_t **out,
		      tl_template_error_t *err);
/* Reads path and parses it. TL_EIO/TL_ENOENT/TL_EACCES (err->msg names the file) or as parse. */
int tl_template_load(const char *path, tl_template_t **out, tl_template_error_t *err);
void tl_template_free(tl_template_t *t);

/* How a key is used, for tl_template_keys. */
enum { TL_TKEY_TEXT = 0, TL_TKEY_COND = 1, TL_TKEY_LIST = 2, TL_TKEY_INSERT = 3 };

/*
 * Calls fn once for every use of a key in t, in source order, with its documented name: a key
 * read inside "@each LIST as x" as x.field is reported as "LIST[].field" (nested lists
 * likewise: "events[].tests[].p"). kind is TL_TKEY_*.
 */
void tl_template_keys(const tl_template_t *t,
		      void (*fn)(void *ud, const char *name, int kind, int line), void *ud);

/* What a filled template holds, block by block, for the report assembler to draw. */
enum {
	TL_TB_TITLE = 1,  /* text: the document's title */
	TL_TB_SUBTITLE,   /* text */
	TL_TB_LOGO,       /* text: image path as written (relative to the template's folder) */
	TL_TB_FIELD,      /* label, text: a label/value row (cover, tables of facts) */
	TL_TB_SECTION,    /* level (1..3, also the bookmark level), text: the title */
	TL_TB_PARA,       /* text: one paragraph */
	TL_TB_ITEM,       /* text: one list item (bullet) */
	TL_TB_BOX_BEGIN,  /* name: kind (interpretation, note, disclaimer, ...), label (may be "") */
	TL_TB_BOX_END,
	TL_TB_INSERT,     /* name: the table or chart the assembler draws here */
	TL_TB_PAGEBREAK,
};

typedef struct tl_tblock {
	int kind;    /* TL_TB_* */
	int level;   /* sections */
	int line;    /* template line it came from */
	char *text;  /* owned, UTF-8, never NULL ("" when none) */
	char *label; /* owned, never NULL */
	char *name;  /* owned, never NULL */
} tl_tblock_t;

typedef struct tl_tdoc {
	tl_tblock_t *v; /* owned */
	size_t n, cap;
} tl_tdoc_t;

void tl_tdoc_free(tl_tdoc_t *d);

/*
 * Fills t from vars into doc (which this initialises; free with tl_tdoc_free, also after an
 * error). Placeholders must name text values; "@if" keys absent from vars count as false;
 * "@each" lists and "@insert" names must be present. Values are copied as given, never read
 * as template syntax. Returns TL_OK, or TL_EINVAL with err naming the key and its line and
 * column (e.g. "default.tmpl:12:5: unknown placeholder {{lookups.uniq}}").
 */
int tl_template_render(const tl_template_t *t, const tl_tvars_t *vars, tl_tdoc_t *doc,
		       tl_template_error_t *err);

#endif
