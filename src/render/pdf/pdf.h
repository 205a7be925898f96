/* pdf.h - the PDF/A document writer (the one libharu user): A4 pages, text, paths, images,
 * bookmarks, links, embedded files, saved to memory. */
#ifndef TL_RENDER_PDF_PDF_H
#define TL_RENDER_PDF_PDF_H

#include <stddef.h>
#include <stdint.h>

/* Coordinates: points (1/72 inch), origin at the TOP-LEFT corner of the page, Y grows
 * downwards (the same convention as the chart recorder, so its paths replay unchanged).
 * Text is placed by its baseline. A4 is TL_PDF_PAGE_W x TL_PDF_PAGE_H. */
#define TL_PDF_PAGE_W 595.276
#define TL_PDF_PAGE_H 841.89

/* The data files a document depends on, relative to the source tree; the manifest should
 * hash the same files. */
#define TL_PDF_FILE_REGULAR "fonts/DejaVuSans.ttf"
#define TL_PDF_FILE_BOLD "fonts/DejaVuSans-Bold.ttf"
#define TL_PDF_FILE_ITALIC "fonts/DejaVuSans-Oblique.ttf"
#define TL_PDF_FILE_MONO "fonts/DejaVuSansMono.ttf"
#define TL_PDF_FILE_ICC "icc/sRGB.icc"

typedef enum {
	TL_PDF_A3B = 0, /* PDF/A-3b (default): attachments allowed */
	TL_PDF_A1B = 1, /* PDF/A-1b: no attachments */
} tl_pdf_level_t;

typedef enum {
	TL_PDF_REGULAR = 0,
	TL_PDF_BOLD,
	TL_PDF_ITALIC,
	TL_PDF_MONO,
	TL_PDF_NFONTS
} tl_pdf_font_t;

typedef struct tl_pdf_options {
	tl_pdf_level_t level;
	/* Metadata, UTF-8, each may be NULL. They go to the document information dictionary
	 * and (XML-escaped) to the XMP metadata; case_number and report_id also to XMP as
	 * tealeaves:caseNumber and tealeaves:reportId. Copied by tl_pdf_new. */
	const char *title, *subject, *author, *keywords, *case_number, *report_id;
	const char *creator;  /* the application; NULL gives "tealeaves" */
	const char *producer; /* NULL gives "tealeaves with libharu 2.3.0" */
	/* Creation (= modification) date, UTC seconds since 1970; from the case file or
	 * SOURCE_DATE_EPOCH, never the clock. Must be in years 1970..9999. */
	int64_t created;
	/* Both entries of the trailer /ID, e.g. the first 16 bytes of a content hash. */
	uint8_t doc_id[16];
	/* TrueType files for each tl_pdf_font_t (all required). libharu keeps them open and
	 * reads the glyphs at tl_pdf_save: they must not change in between. */
	const char *font_path[TL_PDF_NFONTS];
	/* ICC profile for the OutputIntent (read whole by tl_pdf_new). */
	const char *icc_path;
} tl_pdf_options_t;

typedef struct tl_pdf_rgb {
	double r, g, b; /* 0..1 */
} tl_pdf_rgb_t;

/* How a path is painted. Zero-initialised: nothing painted, width 0 (thinnest line). */
typedef struct tl_pdf_style {
	int fill, stroke;       /* paint the interior / the outline */
	int even_odd;           /* fill rule: even-odd instead of non-zero winding */
	tl_pdf_rgb_t fill_rgb, stroke_rgb;
	double line_width;
	int line_cap;           /* 0 butt, 1 round, 2 square */
	int line_join;          /* 0 miter, 1 round, 2 bevel */
	double dash[8];         /* on/off lengths; n_dash 0 = solid */
	int n_dash;
	double dash_offset;
} tl_pdf_style_t;

typedef enum {
	TL_PDF_AF_SOURCE = 0, /* /AFRelationship /Source */
	TL_PDF_AF_DATA,       /* /Data */
	TL_PDF_AF_SUPPLEMENT, /* /Supplement */
	TL_PDF_AF_UNSPECIFIED /* /Unspecified */
} tl_pdf_afrel_t;

typedef enum {
	TL_PDF_LABEL_DECIMAL = 0,
	TL_PDF_LABEL_ROMAN_LOWER,
	TL_PDF_LABEL_ROMAN_UPPER,
	TL_PDF_LABEL_NONE /* prefix only */
} tl_pdf_label_t;

typedef struct tl_pdf tl_pdf_t;                 /* a document */
typedef struct tl_pdf_outline tl_pdf_outline_t; /* a bookmark; owned by its document */
typedef struct tl_pdf_image tl_pdf_image_t;     /* an image; owned by its document */

/* Sets o to the defaults: PDF/A-3b, no metadata, created 0, zero ID, no paths. */
void tl_pdf_options_init(tl_pdf_options_t *o);

/* Creates a document with no pages: loads the fonts and the ICC profile. On success *out
 * is a document the caller frees with tl_pdf_free. On failure *out is untouched and, when
 * errmsg is not NULL, *errmsg is a message naming the file or setting and the reason,
 * which the caller frees with free(). */
int tl_pdf_new(const tl_pdf_options_t *o, tl_pdf_t **out, char **errmsg);
/* Frees doc and everything it owns (outlines, images); NULL is allowed. */
void tl_pdf_free(tl_pdf_t *doc);

/* Errors are sticky: after the first failure every drawing call returns the same code and
 * tl_pdf_save refuses, so there is never a partial document. The message of the first
 * failure ("" when none); owned by doc. */
const char *tl_pdf_errmsg(const tl_pdf_t *doc);

/* Pages. tl_pdf_page_add appends an A4 page and makes it current. Pages can be selected
 * again later (for headers and footers once the page count is known). */
int tl_pdf_page_add(tl_pdf_t *doc);
size_t tl_pdf_page_count(const tl_pdf_t *doc);
int tl_pdf_page_select(tl_pdf_t *doc, size_t index); /* 0-based */
/* Calls fn once per page in order with that page current; stops at a non-TL_OK return
 * and returns it. For "Page x of y": x = index + 1, y = count. */
typedef int (*tl_pdf_page_fn)(tl_pdf_t *doc, size_t index, size_t count, void *ctx);
int tl_pdf_each_page(tl_pdf_t *doc, tl_pdf_page_fn fn, void *ctx);

/* Text (UTF-8, Basic Multilingual Plane). Invalid UTF-8, characters outside the BMP and
 * characters the font lacks are drawn as U+FFFD, visibly, never dropped. Control
 * characters too. */
int tl_pdf_text(tl_pdf_t *doc, tl_pdf_font_t font, double size, double x, double y,
		const char *utf8);
/* Same with a colour and a rotation in degrees, counter-clockwise as seen on the page,
 * about the start of the baseline. */
int tl_pdf_text_ex(tl_pdf_t *doc, tl_pdf_font_t font, double size, double x, double y,
		   double angle, tl_pdf_rgb_t colour, const char *utf8);
/* Advance width in points of utf8 at size (with the same replacements as drawing); 0 for
 * an empty string or after an error. */
double tl_pdf_text_width(tl_pdf_t *doc, tl_pdf_font_t font, double size, const char *utf8);
/* Ascent (positive, above the baseline) and descent (positive, below) in points. */
void tl_pdf_font_metrics(tl_pdf_t *doc, tl_pdf_font_t font, double size, double *ascent,
			 double *descent);

/* Paths: begin (sets the style; libharu refuses style changes inside a path), any
 * number of move/line/curve/close, end (paints per the style). Nothing else may be drawn
 * between begin and end. */
int tl_pdf_path_begin(tl_pdf_t *doc, const tl_pdf_style_t *style);
int tl_pdf_move_to(tl_pdf_t *doc, double x, double y);
int tl_pdf_line_to(tl_pdf_t *doc, double x, double y);
int tl_pdf_curve_to(tl_pdf_t *doc, double x1, double y1, double x2, double y2, double x3,
		    double y3);
int tl_pdf_close_path(tl_pdf_t *doc);
int tl_pdf_path_end(tl_pdf_t *doc);
/* Conveniences built on the above. (x, y) of a rectangle is its top-left corner. */
int tl_pdf_line(tl_pdf_t *doc, double x1, double y1, double x2, double y2,
		const tl_pdf_style_t *style);
int tl_pdf_rect(tl_pdf_t *doc, double x, double y, double w, double h,
		const tl_pdf_style_t *style);

/* Charts: between begin and end, every coordinate given to the text, path and image
 * calls is relative to (x, y), the top-left corner of a w x h box (Y down, 1 unit =
 * 1 pt, as the chart recorder's cairo user space), and drawing is clipped to the box.
 * Not nestable. */
int tl_pdf_chart_begin(tl_pdf_t *doc, double x, double y, double w, double h);
int tl_pdf_chart_end(tl_pdf_t *doc);

/* Images: a PNG in memory, 8-bit greyscale or RGB, non-interlaced, without alpha or
 * transparency (a soft mask is not allowed in PDF/A-1); decoded and checked here (a
 * corrupt PNG is TL_EFORMAT). The pixels are copied; the image belongs to doc and can be
 * drawn any number of times. */
int tl_pdf_image_png(tl_pdf_t *doc, const void *png, size_t len, tl_pdf_image_t **out);
void tl_pdf_image_size(const tl_pdf_image_t *img, unsigned *width_px, unsigned *height_px);
/* Draws img scaled into the box with top-left (x, y) on the current page. */
int tl_pdf_image_draw(tl_pdf_t *doc, const tl_pdf_image_t *img, double x, double y,
		      double w, double h);

/* Bookmarks: parent NULL for the top level; entries appear in the order added. The
 * destination is the whole page (a direct [page /Fit] array). open: children shown. */
int tl_pdf_outline_add(tl_pdf_t *doc, tl_pdf_outline_t *parent, const char *utf8_title,
		       size_t page_index, int open, tl_pdf_outline_t **out);

/* An invisible link on the current page (box top-left (x, y), w x h) to a page. */
int tl_pdf_link(tl_pdf_t *doc, double x, double y, double w, double h, size_t page_index);

/* Page labels from page first_page on: prefix (ASCII, may be NULL) then the number in
 * style, starting at first_number (>= 1). */
int tl_pdf_page_label(tl_pdf_t *doc, size_t first_page, tl_pdf_label_t style,
		      unsigned first_number, const char *prefix);

/* Embeds a file (PDF/A-3b only; TL_EINVAL for 1b) as an associated file of the document:
 * name is the UTF-8 base name shown to the reader (no '/' or '\\'), mime e.g.
 * "application/json", description may be NULL. The bytes are copied now. */
int tl_pdf_attach(tl_pdf_t *doc, const char *name, const char *mime, tl_pdf_afrel_t rel,
		  const char *description, const void *data, size_t len);

/* Finishes the document (metadata, OutputIntent, /ID, font fixes) and writes it to a new
 * buffer *out of *len bytes that the caller frees with free(); out and len are written
 * only on success. Once only; afterwards only tl_pdf_free is allowed. */
int tl_pdf_save(tl_pdf_t *doc, uint8_t **out, size_t *len);

/* Version of libharu in use (run time). */
const char *tl_pdf_libharu_version(void);

#endif
