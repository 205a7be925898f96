/* chart_frame.c - a chart framed to stand on its own: a heading above, a caption and a
 * footer below, and margins wide enough for all of its ink. */
#include "render/chart/chart_impl.h"

/* ---- Framing and metadata for publication -------------------------------------------- */

#define FRAME_PAD 10.0
#define ASCENT 0.93 /* DejaVu Sans ascent, in ems: baseline below a line's top */

typedef struct extent {
	double x0, y0, x1, y1;
} extent_t;

static void ext_add(extent_t *e, double x, double y)
{
	if (!isfinite(x) || !isfinite(y))
		return;
	e->x0 = fmin(e->x0, x);
	e->y0 = fmin(e->y0, y);
	e->x1 = fmax(e->x1, x);
	e->y1 = fmax(e->y1, y);
}

/* Where a chart puts ink: the canvas, every path (inside its clip, with half the line
 * width around strokes) and every label as SVG and PNG draw it (cairo's ink extents of
 * DejaVu Sans). A label may reach past the canvas (a last tick label centred on the axis
 * end): the frame then grows rather than cutting it. */
static extent_t chart_extent(const tl_chart_t *c, cairo_t *cr)
{
	extent_t e = {0, 0, c->width, c->height};
	for (size_t i = 0; i < c->npaths; i++) {
		const tl_chart_path_t *pa = &c->paths[i];
		double m = pa->op == TL_CHART_STROKE ? pa->line_width / 2 + 0.5 : 0.5;
		for (size_t k = pa->first_seg; k < pa->first_seg + pa->nseg && k < c->nsegs; k++) {
			const tl_chart_seg_t *sg = &c->segs[k];
			int np = sg->kind == TL_CHART_SEG_CURVE ? 3
				 : sg->kind == TL_CHART_SEG_CLOSE ? 0
								  : 1;
			for (int q = 0; q < np; q++) {
				double x0 = sg->x[q] - m, x1 = sg->x[q] + m;
				double y0 = sg->y[q] - m, y1 = sg->y[q] + m;
				if (pa->clipped) {
					x0 = fmax(x0, pa->clip_x);
					y0 = fmax(y0, pa->clip_y);
					x1 = fmin(x1, pa->clip_x + pa->clip_w);
					y1 = fmin(y1, pa->clip_y + pa->clip_h);
					if (x0 > x1 || y0 > y1)
						continue;
				}
				ext_add(&e, x0, y0);
				ext_add(&e, x1, y1);
			}
		}
	}
	for (size_t i = 0; i < c->ntexts; i++) {
		const tl_chart_text_t *t = &c->texts[i];
		cairo_text_extents_t te;
		tl_chart_set_font(cr, t->bold);
		cairo_set_font_size(cr, t->size);
		cairo_text_extents(cr, t->text, &te);
		if (te.width <= 0 || te.height <= 0)
			continue;
		double dx = t->anchor == TL_CHART_ANCHOR_CENTRE	 ? -te.x_advance / 2
			    : t->anchor == TL_CHART_ANCHOR_RIGHT ? -te.x_advance
								 : 0;
		/* the ink box along the text (u) and across it (v, down), half a point of
		 * anti-aliasing around it */
		double u0 = dx + te.x_bearing - 0.5, u1 = dx + te.x_bearing + te.width + 0.5;
		double v0 = te.y_bearing - 0.5, v1 = te.y_bearing + te.height + 0.5;
		if (t->rotate == 90) { /* turned counter-clockwise: (u, v) -> (v, -u) */
			ext_add(&e, t->x + v0, t->y - u1);
			ext_add(&e, t->x + v1, t->y - u0);
		} else {
			ext_add(&e, t->x + u0, t->y + v0);
			ext_add(&e, t->x + u1, t->y + v1);
		}
	}
	return e;
}

static void push_text(tl_chart_t *c, const char *s, double x, double y, double size, int bold,
		      uint32_t rgb)
{
	tl_chart_grow((void **)&c->texts, &c->cap_texts, c->ntexts + 1, sizeof(*c->texts));
	tl_chart_text_t *t = &c->texts[c->ntexts++];
	memset(t, 0, sizeof(*t));
	t->text = tl_chart_clean_utf8(s);
	t->x = x;
	t->y = y;
	t->size = size;
	t->anchor = TL_CHART_ANCHOR_LEFT;
	t->bold = bold;
	t->rgb = rgb;
	t->after_path = c->npaths;
}

/* Splits s into lines no wider than maxw (cairo's widths of DejaVu Sans, as the export
 * draws them): breaks at spaces and at '\n'; a word wider than a line is broken between
 * code points. Appends each line NUL-terminated to out; returns the number of lines. */
static size_t wrap(cairo_t *cr, const char *s, double size, int bold, double maxw, tl_buf_t *out)
{
	size_t n = 0;
	tl_buf_t line, word;
	tl_buf_init(&line);
	tl_buf_init(&word);
	for (const char *p = s;;) {
		size_t wl = strcspn(p, " \n");
		/* the line with the next word, or the word alone on a new line */
		tl_buf_clear(&word);
		tl_buf_append(&word, line.data ? line.data : "", line.len);
		if (line.len && wl)
			tl_buf_putc(&word, ' ');
		tl_buf_append(&word, p, wl);
		if (line.len && tl_chart_cairo_measure(cr, word.data, size, bold) > maxw) {
			tl_buf_append(out, line.data, line.len + 1);
			n++;
			tl_buf_clear(&line);
			tl_buf_clear(&word);
			tl_buf_append(&word, p, wl);
		}
		/* a word too wide for any line: cut it between code points */
		while (word.len && tl_chart_cairo_measure(cr, word.data, size, bold) > maxw) {
			size_t cut = word.len;
			do {
				do
					cut--;
				while (cut > 0 && ((unsigned char)word.data[cut] & 0xc0) == 0x80);
				char keep = word.data[cut];
				word.data[cut] = '\0';
				int fits =
				    tl_chart_cairo_measure(cr, word.data, size, bold) <= maxw;
				word.data[cut] = keep;
				if (fits)
					break;
			} while (cut > 1);
			if (cut == 0)
				break;
			tl_buf_append(out, word.data, cut);
			tl_buf_putc(out, '\0');
			n++;
			size_t rest = word.len - cut;
			memmove(word.data, word.data + cut, rest);
			word.len = rest;
			word.data[rest] = '\0';
		}
		tl_buf_clear(&line);
		if (word.len)
			tl_buf_append(&line, word.data, word.len);
		p += wl;
		if (*p == '\n' || !*p) {
			if (line.len || *p == '\n') {
				tl_buf_append(out, line.data ? line.data : "", line.len);
				tl_buf_putc(out, '\0');
				n++;
			}
			tl_buf_clear(&line);
		}
		if (!*p)
			break;
		p++;
	}
	tl_buf_free(&line);
	tl_buf_free(&word);
	return n;
}

/* Sets the lines of text (wrap's output) from the top y, returns the y below them. */
static double put_lines(tl_chart_t *c, const tl_buf_t *lines, size_t n, double x, double y,
			double size, double lead, int bold, uint32_t rgb)
{
	const char *l = lines->data;
	for (size_t i = 0; i < n; i++) {
		push_text(c, l, x, y + size * ASCENT, size, bold, rgb);
		y += size * lead;
		l += strlen(l) + 1;
	}
	return y;
}

int tl_chart_frame(const tl_chart_t *c, const tl_chart_frame_t *fr, tl_chart_t **out)
{
	if (!c || !fr || !out || (fr->font_size != 0 && !(fr->font_size >= 4 && fr->font_size <= 24)))
		return TL_EINVAL;
	double fs = fr->font_size != 0 ? fr->font_size : 8.0, hs = fs * 1.2;
	cairo_rectangle_t r = {0, 0, 1, 1};
	cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &r);
	cairo_t *cr = cairo_create(rec);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		abort(); /* cairo fails here only when out of memory */
	if (!tl_chart_font_is_dejavu(cr)) {
		cairo_destroy(cr);
		cairo_surface_destroy(rec);
		return TL_EUNSUPPORTED;
	}
	extent_t e = chart_extent(c, cr);
	double fw = (e.x1 - e.x0) + 2 * FRAME_PAD, tw = fw - 2 * FRAME_PAD;
	tl_buf_t head, cap, foot;
	tl_buf_init(&head);
	tl_buf_init(&cap);
	tl_buf_init(&foot);
	size_t nh = fr->heading && *fr->heading ? wrap(cr, fr->heading, hs, 1, tw, &head) : 0;
	size_t nc = fr->caption && *fr->caption ? wrap(cr, fr->caption, fs, 0, tw, &cap) : 0;
	size_t nf = fr->footer && *fr->footer ? wrap(cr, fr->footer, fs, 0, tw, &foot) : 0;
	cairo_destroy(cr);
	cairo_surface_destroy(rec);

	tl_chart_t *o = tl_xcalloc(1, sizeof(*o));
	o->width = ceil(fw);
	o->elided = c->elided;
	double y = FRAME_PAD;
	y = put_lines(o, &head, nh, FRAME_PAD, y, hs, 1.3, 1, C_TEXT);
	if (nh)
		y += 6;
	double ox = FRAME_PAD - e.x0, oy = y - e.y0;
	/* the chart itself, moved to its place: paths first, as replay draws them */
	o->segs = tl_xcalloc(c->nsegs ? c->nsegs : 1, sizeof(*o->segs));
	o->cap_segs = c->nsegs ? c->nsegs : 1;
	o->nsegs = c->nsegs;
	for (size_t i = 0; i < c->nsegs; i++) {
		o->segs[i] = c->segs[i];
		for (int q = 0; q < 3; q++) {
			o->segs[i].x[q] += ox;
			o->segs[i].y[q] += oy;
		}
	}
	o->paths = tl_xcalloc(c->npaths ? c->npaths : 1, sizeof(*o->paths));
	o->cap_paths = c->npaths ? c->npaths : 1;
	o->npaths = c->npaths;
	for (size_t i = 0; i < c->npaths; i++) {
		o->paths[i] = c->paths[i];
		o->paths[i].clip_x += ox;
		o->paths[i].clip_y += oy;
	}
	/* the heading lines were pushed before any path: they stay before the chart's */
	for (size_t i = 0; i < c->ntexts; i++) {
		const tl_chart_text_t *t = &c->texts[i];
		tl_chart_grow((void **)&o->texts, &o->cap_texts, o->ntexts + 1, sizeof(*o->texts));
		tl_chart_text_t *d = &o->texts[o->ntexts++];
		*d = *t;
		d->text = tl_xstrdup(t->text);
		d->x += ox;
		d->y += oy;
	}
	y += e.y1 - e.y0;
	if (nc || nf)
		y += 8;
	y = put_lines(o, &cap, nc, FRAME_PAD, y, fs, 1.35, 0, C_MUTED);
	if (nc && nf)
		y += 4;
	y = put_lines(o, &foot, nf, FRAME_PAD, y, fs, 1.35, 0, C_MUTED);
	o->height = ceil(y + FRAME_PAD);
	tl_buf_free(&head);
	tl_buf_free(&cap);
	tl_buf_free(&foot);
	*out = o;
	return TL_OK;
}

