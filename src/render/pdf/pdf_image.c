/* pdf_image.c - PNG images in the PDF: decoded here (libharu's own decoder aborts on a
 * corrupt file) and handed to libharu as raw samples. */
#include "render/pdf/pdf_impl.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <zlib.h>

#include "util/cursor.h"
#include "util/error.h"
#include "util/xmalloc.h"

/* ---- images ----------------------------------------------------------------------------- */

/* Decodes an 8-bit greyscale or RGB, non-interlaced PNG (ISO/IEC 15948 = PNG 2nd ed.)
 * into rows of samples (*raw, caller frees), checking every chunk's CRC and the exact
 * length of the image data.
 * libharu 2.3.0 defect: HPDF_LoadPngImageFromMem hands the bytes to libpng with an error
 * callback that returns instead of jumping out, so libpng abort()s the process on a
 * corrupt PNG (a damaged logo in a template would kill the run). We decode here and give
 * libharu only raw samples (HPDF_LoadRawImageFromMem). Alpha, transparency (tRNS) and
 * palettes are refused: a soft mask is not allowed in PDF/A-1 (ISO 19005-1 6.4). */
static int png_decode(tl_pdf_t *d, const uint8_t *png, size_t len, unsigned *w, unsigned *h,
		      int *channels, uint8_t **raw)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	tl_cursor_t c;
	tl_cur_init(&c, png, len);
	const uint8_t *s = tl_cur_ptr(&c, 8);
	if (!s || memcmp(s, sig, 8) != 0) { /* section 5.2 */
		tl_pdf_set_err(d, TL_EFORMAT, "PDF writer: image is not a PNG");
		return d->err;
	}
	uint32_t width = 0, height = 0;
	int ch = 0, seen_ihdr = 0, seen_iend = 0;
	tl_buf_t z;
	tl_buf_init(&z);
	const char *bad = NULL;
	int code = TL_EFORMAT;
	while (!bad && !seen_iend) {
		/* section 5.3: length, type, data, CRC over type and data */
		uint32_t n = tl_cur_u32(&c);
		size_t at = c.pos;
		const uint8_t *type = tl_cur_ptr(&c, 4);
		const uint8_t *data = n <= tl_cur_left(&c) ? tl_cur_ptr(&c, n) : NULL;
		uint32_t crc = tl_cur_u32(&c);
		if (!type || !data || !tl_cur_ok(&c)) {
			bad = "truncated";
			break;
		}
		if (crc32(crc32(0, NULL, 0), png + at, (uInt)(4 + n)) != crc) {
			bad = "chunk CRC mismatch";
			break;
		}
		if (!seen_ihdr) { /* section 5.6: IHDR first */
			tl_cursor_t ih;
			tl_cur_init(&ih, data, n);
			width = tl_cur_u32(&ih);
			height = tl_cur_u32(&ih);
			uint8_t depth = tl_cur_u8(&ih), colour = tl_cur_u8(&ih), comp = tl_cur_u8(&ih),
				filter = tl_cur_u8(&ih), interlace = tl_cur_u8(&ih);
			if (memcmp(type, "IHDR", 4) != 0 || n != 13 || !tl_cur_ok(&ih) || width == 0 ||
			    height == 0 || comp != 0 || filter != 0) { /* section 11.2.2 */
				bad = "bad IHDR";
			} else if (width > 20000 || height > 20000) {
				bad = "larger than 20000 pixels";
				code = TL_ELIMIT;
			} else if (depth != 8 || (colour != 0 && colour != 2) || interlace != 0) {
				bad = "not 8-bit greyscale or RGB without alpha, non-interlaced";
				code = TL_EUNSUPPORTED;
			}
			ch = colour == 2 ? 3 : 1;
			seen_ihdr = 1;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			tl_buf_append(&z, data, n);
		} else if (memcmp(type, "IEND", 4) == 0) {
			seen_iend = 1;
		} else if (memcmp(type, "tRNS", 4) == 0) {
			bad = "transparency (tRNS) is not allowed";
			code = TL_EUNSUPPORTED;
		} else if (!(type[0] & 0x20)) { /* section 5.4: critical chunk we do not know */
			bad = "unsupported critical chunk";
			code = TL_EUNSUPPORTED;
		}
	}
	size_t stride = (size_t)width * (size_t)ch;
	size_t want = (size_t)height * (stride + 1);
	uint8_t *rows = NULL;
	if (!bad) { /* section 10: one zlib stream, exactly want bytes */
		rows = tl_xmalloc(want + 1);
		z_stream zs;
		memset(&zs, 0, sizeof(zs));
		if (inflateInit(&zs) != Z_OK) {
			bad = "zlib error";
		} else {
			zs.next_in = (Bytef *)z.data;
			zs.avail_in = (uInt)z.len;
			zs.next_out = rows;
			zs.avail_out = (uInt)(want + 1);
			int zr = inflate(&zs, Z_FINISH);
			if (zr != Z_STREAM_END || zs.total_out != want)
				bad = "image data is corrupt or of the wrong size";
			inflateEnd(&zs);
		}
	}
	tl_buf_free(&z);
	uint8_t *out = NULL;
	if (!bad) { /* section 9: undo the per-row filters */
		out = tl_xmalloc(stride * height);
		for (size_t y = 0; y < height && !bad; y++) {
			const uint8_t *in = rows + y * (stride + 1) + 1;
			uint8_t ft = in[-1];
			uint8_t *cur = out + y * stride;
			const uint8_t *up = y ? cur - stride : NULL;
			for (size_t x = 0; x < stride; x++) {
				int a = x >= (size_t)ch ? cur[x - ch] : 0;
				int b = up ? up[x] : 0;
				int cc = up && x >= (size_t)ch ? up[x - ch] : 0;
				int pred;
				switch (ft) {
				case 0: pred = 0; break;
				case 1: pred = a; break;
				case 2: pred = b; break;
				case 3: pred = (a + b) / 2; break;
				case 4: {
					int p = a + b - cc, pa = abs(p - a), pb = abs(p - b), pc = abs(p - cc);
					pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
					break;
				}
				default: pred = -1; break;
				}
				if (pred < 0) {
					bad = "bad row filter";
					break;
				}
				cur[x] = (uint8_t)(in[x] + pred);
			}
		}
	}
	free(rows);
	if (bad) {
		free(out);
		tl_pdf_set_err(d, code, "PDF writer: PNG image: %s", bad);
		return d->err;
	}
	*w = width;
	*h = height;
	*channels = ch;
	*raw = out;
	return TL_OK;
}

int tl_pdf_image_png(tl_pdf_t *d, const void *png, size_t len, tl_pdf_image_t **out)
{
	int rc = tl_pdf_ready(d, 0);
	if (rc)
		return rc;
	if (!png || !out || len > UINT32_MAX) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: bad image arguments");
		return d->err;
	}
	unsigned w = 0, h = 0;
	int ch = 0;
	uint8_t *raw = NULL;
	if ((rc = png_decode(d, png, len, &w, &h, &ch, &raw)))
		return rc;
	/* libharu copies the samples into the image stream. */
	HPDF_Image img = HPDF_LoadRawImageFromMem(d->pdf, raw, w, h,
						  ch == 3 ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
	free(raw);
	if (!img)
		return tl_pdf_chk(d, HPDF_INVALID_IMAGE, "load image");
	struct tl_pdf_image *i = tl_xcalloc(1, sizeof(*i));
	i->img = img;
	i->w = w;
	i->h = h;
	i->next = d->images;
	d->images = i;
	*out = i;
	return TL_OK;
}

void tl_pdf_image_size(const tl_pdf_image_t *img, unsigned *w, unsigned *h)
{
	if (w)
		*w = img ? img->w : 0;
	if (h)
		*h = img ? img->h : 0;
}

int tl_pdf_image_draw(tl_pdf_t *d, const tl_pdf_image_t *img, double x, double y, double w,
		      double h)
{
	int rc = tl_pdf_ready(d, 1);
	if (rc)
		return rc;
	if (!img || d->in_path) {
		tl_pdf_set_err(d, TL_EINVAL,
			       "PDF writer: no image, or drawing an image inside a path");
		return d->err;
	}
	if (!tl_pdf_finite_all(4, x, y, w, h) || w <= 0 || h <= 0)
		return tl_pdf_bad_number(d, "image box");
	return tl_pdf_chk(
	    d,
	    HPDF_Page_DrawImage(tl_pdf_cur_page(d), img->img, (HPDF_REAL)tl_pdf_px(d, x),
				(HPDF_REAL)tl_pdf_py(d, y + h), (HPDF_REAL)w, (HPDF_REAL)h),
	    "draw image");
}

