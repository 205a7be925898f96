/* chart_export.c - a display list replayed with cairo into SVG and PNG, written to
 * files, with a title and description embedded for publication. */
#include "render/chart/chart_impl.h"

#include <cairo-ft.h>
#include <cairo-svg.h>
#include <errno.h>

/* ---- Export ---------------------------------------------------------------------------- */

static void set_rgb(cairo_t *cr, uint32_t rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
			     (rgb & 255) / 255.0);
}

int tl_chart_font_is_dejavu(cairo_t *cr)
{
	for (int bold = 0; bold <= 1; bold++) {
		tl_chart_set_font(cr, bold);
		cairo_set_font_size(cr, 10);
		cairo_scaled_font_t *sf = cairo_get_scaled_font(cr);
		if (cairo_scaled_font_get_type(sf) != CAIRO_FONT_TYPE_FT)
			return 0;
		FT_Face f = cairo_ft_scaled_font_lock_face(sf);
		int ok = f && f->family_name && strcmp(f->family_name, FONT_FAMILY) == 0 &&
			 !!(f->style_flags & FT_STYLE_FLAG_BOLD) == bold &&
			 !(f->style_flags & FT_STYLE_FLAG_ITALIC);
		cairo_ft_scaled_font_unlock_face(sf);
		if (!ok)
			return 0;
	}
	return 1;
}

static void replay_text(cairo_t *cr, const tl_chart_text_t *t)
{
	cairo_text_extents_t te;
	tl_chart_set_font(cr, t->bold);
	cairo_set_font_size(cr, t->size);
	cairo_text_extents(cr, t->text, &te);
	double dx = t->anchor == TL_CHART_ANCHOR_CENTRE	 ? -te.x_advance / 2
		    : t->anchor == TL_CHART_ANCHOR_RIGHT ? -te.x_advance
							 : 0;
	cairo_save(cr);
	cairo_translate(cr, t->x, t->y);
	if (t->rotate == 90)
		cairo_rotate(cr, -1.5707963267948966);
	cairo_move_to(cr, dx, 0);
	set_rgb(cr, t->rgb);
	cairo_show_text(cr, t->text);
	cairo_restore(cr);
}

static void replay_path(cairo_t *cr, const tl_chart_t *c, const tl_chart_path_t *pa)
{
	cairo_save(cr);
	if (pa->clipped) {
		cairo_rectangle(cr, pa->clip_x, pa->clip_y, pa->clip_w, pa->clip_h);
		cairo_clip(cr);
	}
	cairo_new_path(cr);
	for (size_t i = pa->first_seg; i < pa->first_seg + pa->nseg && i < c->nsegs; i++) {
		const tl_chart_seg_t *s = &c->segs[i];
		switch (s->kind) {
		case TL_CHART_SEG_MOVE: cairo_move_to(cr, s->x[0], s->y[0]); break;
		case TL_CHART_SEG_LINE: cairo_line_to(cr, s->x[0], s->y[0]); break;
		case TL_CHART_SEG_CURVE:
			cairo_curve_to(cr, s->x[0], s->y[0], s->x[1], s->y[1], s->x[2], s->y[2]);
			break;
		case TL_CHART_SEG_CLOSE: cairo_close_path(cr); break;
		}
	}
	set_rgb(cr, pa->rgb);
	if (pa->op == TL_CHART_FILL) {
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
		cairo_fill(cr);
	} else {
		static const cairo_line_join_t joins[] = {CAIRO_LINE_JOIN_MITER, CAIRO_LINE_JOIN_ROUND,
							  CAIRO_LINE_JOIN_BEVEL};
		static const cairo_line_cap_t caps[] = {CAIRO_LINE_CAP_BUTT, CAIRO_LINE_CAP_ROUND,
							CAIRO_LINE_CAP_SQUARE};
		cairo_set_line_width(cr, pa->line_width);
		cairo_set_line_join(cr, joins[pa->join >= 0 && pa->join < 3 ? pa->join : 0]);
		cairo_set_line_cap(cr, caps[pa->cap >= 0 && pa->cap < 3 ? pa->cap : 0]);
		cairo_set_miter_limit(cr, 10);
		if (pa->dash_on > 0) {
			double dd[2] = {pa->dash_on, pa->dash_off > 0 ? pa->dash_off : pa->dash_on};
			cairo_set_dash(cr, dd, 2, 0);
		} else {
			cairo_set_dash(cr, NULL, 0, 0);
		}
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

static int replay(const tl_chart_t *c, cairo_t *cr)
{
	if (!tl_chart_font_is_dejavu(cr))
		return TL_EUNSUPPORTED;
	size_t ti = 0;
	for (size_t i = 0; i < c->npaths; i++) {
		while (ti < c->ntexts && c->texts[ti].after_path <= i)
			replay_text(cr, &c->texts[ti++]);
		replay_path(cr, c, &c->paths[i]);
	}
	while (ti < c->ntexts)
		replay_text(cr, &c->texts[ti++]);
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? TL_OK : TL_EIO;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	tl_buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int tl_chart_svg(const tl_chart_t *c, tl_buf_t *out)
{
	if (!c || !out)
		return TL_EINVAL;
	tl_buf_t tmp;
	tl_buf_init(&tmp);
	cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_buf, &tmp, c->width, c->height);
	cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
	cairo_t *cr = cairo_create(s);
	int rc = replay(c, cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == TL_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = TL_EIO;
	cairo_surface_destroy(s);
	if (rc == TL_OK) {
		/* cairo names the page group after a process-wide surface counter
		 * ("surface17"): the only byte that depends on what was drawn before. */
		static const char key[] = "<g id=\"surface";
		char *g = tmp.data ? strstr(tmp.data, key) : NULL;
		if (g) {
			size_t at = (size_t)(g - tmp.data) + sizeof(key) - 1;
			size_t nd = strspn(tmp.data + at, "0123456789");
			tl_buf_append(out, tmp.data, at);
			tl_buf_putc(out, '1');
			tl_buf_append(out, tmp.data + at + nd, tmp.len - at - nd);
		} else {
			tl_buf_append(out, tmp.data, tmp.len);
		}
	}
	tl_buf_free(&tmp);
	return rc;
}

int tl_chart_png(const tl_chart_t *c, double scale, tl_buf_t *out)
{
	if (!c || !out || !(scale > 0 && scale <= 16))
		return TL_EINVAL;
	double wpx = ceil(c->width * scale), hpx = ceil(c->height * scale);
	if (wpx > 20000 || hpx > 20000)
		return TL_EINVAL;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wpx, (int)hpx);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return TL_ENOMEM;
	}
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	int rc = replay(c, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	if (rc == TL_OK && cairo_surface_write_to_png_stream(s, to_buf, out) != CAIRO_STATUS_SUCCESS)
		rc = TL_EIO;
	cairo_surface_destroy(s);
	return rc;
}

static int write_file(const char *path, const tl_buf_t *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return tl_errno_to_err(errno);
	int rc = TL_OK;
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
		rc = tl_errno_to_err(errno);
	if (fclose(f) != 0 && rc == TL_OK)
		rc = tl_errno_to_err(errno);
	if (rc != TL_OK)
		remove(path);
	return rc;
}

int tl_chart_write_svg(const tl_chart_t *c, const char *path)
{
	if (!path)
		return TL_EINVAL;
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = tl_chart_svg(c, &b);
	if (rc == TL_OK)
		rc = write_file(path, &b);
	tl_buf_free(&b);
	return rc;
}

int tl_chart_write_png(const tl_chart_t *c, const char *path, double scale)
{
	if (!path)
		return TL_EINVAL;
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = tl_chart_png(c, scale, &b);
	if (rc == TL_OK)
		rc = write_file(path, &b);
	tl_buf_free(&b);
	return rc;
}

/* Appends s with XML's special characters as references (s is clean UTF-8). */
static void xml_text(tl_buf_t *b, const char *s)
{
	char *t = tl_chart_clean_utf8(s);
	for (const char *p = t; *p; p++) {
		switch (*p) {
		case '&': tl_buf_puts(b, "&amp;"); break;
		case '<': tl_buf_puts(b, "&lt;"); break;
		case '>': tl_buf_puts(b, "&gt;"); break;
		case '"': tl_buf_puts(b, "&quot;"); break;
		default: tl_buf_putc(b, *p); break;
		}
	}
	free(t);
}

int tl_chart_svg_meta(const tl_chart_t *c, const tl_chart_meta_t *m, tl_buf_t *out)
{
	if (!out)
		return TL_EINVAL;
	tl_buf_t tmp;
	tl_buf_init(&tmp);
	int rc = tl_chart_svg(c, &tmp);
	/* SVG 1.1 section 5.4: <title> and <desc> as the first children of the root <svg> */
	const char *root = rc == TL_OK && tmp.data ? strstr(tmp.data, "<svg") : NULL;
	const char *gt = root ? strchr(root, '>') : NULL;
	if (rc == TL_OK && !gt)
		rc = TL_EIO;
	if (rc == TL_OK) {
		size_t at = (size_t)(gt - tmp.data) + 1;
		tl_buf_append(out, tmp.data, at);
		if (m && m->title && *m->title) {
			tl_buf_puts(out, "\n<title>");
			xml_text(out, m->title);
			tl_buf_puts(out, "</title>");
		}
		if (m && m->desc && *m->desc) {
			tl_buf_puts(out, "\n<desc>");
			xml_text(out, m->desc);
			tl_buf_puts(out, "</desc>");
		}
		tl_buf_append(out, tmp.data + at, tmp.len - at);
	}
	tl_buf_free(&tmp);
	return rc;
}

/* CRC-32 of PNG chunks (ISO 3309, as PNG section 5.5 uses it), continued from crc. */
static uint32_t png_crc(const void *data, size_t n, uint32_t crc)
{
	const unsigned char *p = data;
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void put_be32(tl_buf_t *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	tl_buf_append(b, x, 4);
}

/* One iTXt chunk (PNG section 11.3.4.5): keyword, uncompressed UTF-8 text, no language. */
static void png_itxt(tl_buf_t *b, const char *keyword, const char *text)
{
	tl_buf_t d;
	tl_buf_init(&d);
	tl_buf_puts(&d, "iTXt");
	tl_buf_append(&d, keyword, strlen(keyword) + 1);
	tl_buf_append(&d, "\0\0\0\0", 4); /* not compressed, method 0, no language, no
					   * translated keyword */
	char *t = tl_chart_clean_utf8(text);
	tl_buf_puts(&d, t);
	free(t);
	put_be32(b, (uint32_t)(d.len - 4));
	tl_buf_append(b, d.data, d.len);
	put_be32(b, png_crc(d.data, d.len, 0));
	tl_buf_free(&d);
}

int tl_chart_png_meta(const tl_chart_t *c, double scale, const tl_chart_meta_t *m,
		      tl_buf_t *out)
{
	if (!out)
		return TL_EINVAL;
	tl_buf_t tmp;
	tl_buf_init(&tmp);
	int rc = tl_chart_png(c, scale, &tmp);
	/* the text goes before the closing IEND chunk (12 bytes: length 0, type, CRC) */
	if (rc == TL_OK && (tmp.len < 12 || memcmp(tmp.data + tmp.len - 8, "IEND", 4) != 0))
		rc = TL_EIO;
	if (rc == TL_OK) {
		tl_buf_append(out, tmp.data, tmp.len - 12);
		if (m && m->title && *m->title)
			png_itxt(out, "Title", m->title);
		if (m && m->desc && *m->desc)
			png_itxt(out, "Description", m->desc);
		tl_buf_append(out, tmp.data + tmp.len - 12, 12);
	}
	tl_buf_free(&tmp);
	return rc;
}

