/* pdf_finish.c - embedded files, and what is written when the document is saved: the
 * XMP metadata, the info dictionary, the OutputIntent, /ID, the fonts' ToUnicode maps. */
#include "render/pdf/pdf_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/time.h"
#include "util/xmalloc.h"

/* ---- embedded files -------------------------------------------------------------------- */

/* "D:YYYYMMDDHHmmSS+00'00'" (PDF 1.7 section 7.9.4). Not 'Z': libharu 2.3.0 rejects it
 * in its own date handling (error 0x1039), so the same form is used everywhere. */
static void pdf_date(int64_t t, char out[32])
{
	int64_t days = t / 86400, sec = t % 86400, y;
	unsigned m, dd;
	tl_civil_from_days(days, &y, &m, &dd);
	snprintf(out, 32, "D:%04d%02u%02u%02d%02d%02d+00'00'", (int)y, m, dd, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

/* "YYYY-MM-DDTHH:MM:SS+00:00", the same instant for XMP (ISO 19005-1 6.7.3). */
static void xmp_date(int64_t t, char out[32])
{
	int64_t days = t / 86400, sec = t % 86400, y;
	unsigned m, dd;
	tl_civil_from_days(days, &y, &m, &dd);
	snprintf(out, 32, "%04d-%02u-%02uT%02d:%02d:%02d+00:00", (int)y, m, dd,
		 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

static int cmp_att(const void *a, const void *b)
{
	return strcmp(((const attachment_t *)a)->key, ((const attachment_t *)b)->key);
}

int tl_pdf_attach(tl_pdf_t *d, const char *name, const char *mime, tl_pdf_afrel_t rel,
		  const char *description, const void *data, size_t len)
{
	static const char *const rels[] = {"Source", "Data", "Supplement", "Unspecified"};
	int rc = tl_pdf_ready(d, 0);
	if (rc)
		return rc;
	if (d->level != TL_PDF_A3B) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: PDF/A-1b does not allow embedded files");
		return d->err;
	}
	if (!name || !*name || strchr(name, '/') || strchr(name, '\\') || !mime ||
	    (unsigned)rel > TL_PDF_AF_UNSPECIFIED || (!data && len) || len > UINT32_MAX ||
	    strlen(name) > 255) {
		tl_pdf_set_err(d, TL_EINVAL, "PDF writer: bad attachment arguments");
		return d->err;
	}
	for (const char *p = mime; *p; p++) /* RFC 2045 section 5.1 token characters */
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p > 0x7E || strchr("()<>@,;:\\\"[]?=", *p)) {
			tl_pdf_set_err(d, TL_EINVAL, "PDF writer: bad MIME type \"%s\"", mime);
			return d->err;
		}
	/* The /F name and name-tree key: ASCII, other bytes as '_' (the real name is /UF). */
	char *key = tl_xstrdup(name);
	for (char *p = key; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E)
			*p = '_';
	for (size_t i = 0; i < d->natt; i++)
		if (strcmp(d->att[i].key, key) == 0) {
			tl_pdf_set_err(d, TL_EINVAL, "PDF writer: two attachments named %s", key);
			free(key);
			return d->err;
		}
	HPDF_MMgr mm = d->pdf->mmgr;
	HPDF_Xref xref = d->pdf->xref;
	char date[32];
	pdf_date(d->created, date);

	/* The /EmbeddedFile stream (PDF 1.7 section 7.11.4), compressed. */
	HPDF_Dict ef = HPDF_DictStream_New(mm, xref);
	if (!ef) {
		free(key);
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "attachment");
	}
	ef->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Dict params = HPDF_Dict_New(mm);
	HPDF_Dict efd = HPDF_Dict_New(mm);
	HPDF_Dict fs = HPDF_Dict_New(mm);
	if (!params || !efd || !fs) {
		free(key);
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "attachment");
	}
	tl_pdf_chk(d, HPDF_Dict_AddName(ef, "Type", "EmbeddedFile"), "attachment");
	tl_pdf_chk(d, HPDF_Dict_AddName(ef, "Subtype", mime), "attachment");
	tl_pdf_chk(d, HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len), "attachment");
	tl_pdf_chk(d, HPDF_Dict_Add(params, "ModDate", HPDF_String_New(mm, date, NULL)),
		   "attachment");
	tl_pdf_chk(d, HPDF_Dict_Add(ef, "Params", params), "attachment");
	if (len)
		tl_pdf_chk(d, HPDF_Stream_Write(ef->stream, data, (HPDF_UINT)len),
			   "attachment data");

	/* The file specification (section 7.11.3) with the PDF/A-3 keys (ISO 19005-3
	 * 6.8): /UF, /AFRelationship; it is an associated file of the document (/AF). */
	tl_pdf_chk(d, HPDF_Xref_Add(xref, fs), "attachment");
	tl_pdf_chk(d, HPDF_Dict_AddName(fs, "Type", "Filespec"), "attachment");
	tl_pdf_chk(d, HPDF_Dict_Add(fs, "F", HPDF_String_New(mm, key, NULL)), "attachment");
	tl_pdf_chk(d, HPDF_Dict_Add(fs, "UF", tl_pdf_text_string(d, name)), "attachment");
	tl_pdf_chk(d, HPDF_Dict_Add(efd, "F", ef), "attachment");
	tl_pdf_chk(d, HPDF_Dict_Add(efd, "UF", ef), "attachment");
	tl_pdf_chk(d, HPDF_Dict_Add(fs, "EF", efd), "attachment");
	tl_pdf_chk(d, HPDF_Dict_AddName(fs, "AFRelationship", rels[rel]), "attachment");
	if (description)
		tl_pdf_chk(d, HPDF_Dict_Add(fs, "Desc", tl_pdf_text_string(d, description)),
			   "attachment");
	if (d->err) {
		free(key);
		return d->err;
	}
	d->att = tl_xrealloc(d->att, (d->natt + 1) * sizeof(*d->att));
	d->att[d->natt].key = key;
	d->att[d->natt].filespec = fs;
	d->natt++;
	return TL_OK;
}

/* ---- finishing ------------------------------------------------------------------------- */

static void xmp_prop(tl_buf_t *b, const char *tag, const char *v)
{
	if (!v)
		return;
	tl_buf_printf(b, "   <%s>", tag);
	tl_pdf_xml_escaped(b, v);
	tl_buf_printf(b, "</%s>\n", tag);
}

static void xmp_alt(tl_buf_t *b, const char *tag, const char *v)
{
	if (!v)
		return;
	tl_buf_printf(b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", tag);
	tl_pdf_xml_escaped(b, v);
	tl_buf_printf(b, "</rdf:li></rdf:Alt></%s>\n", tag);
}

static void xmp_ext_property(tl_buf_t *b, const char *name, const char *desc)
{
	tl_buf_printf(b,
		      "        <rdf:li rdf:parseType=\"Resource\">\n"
		      "         <pdfaProperty:name>%s</pdfaProperty:name>\n"
		      "         <pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
		      "         <pdfaProperty:category>external</pdfaProperty:category>\n"
		      "         <pdfaProperty:description>%s</pdfaProperty:description>\n"
		      "        </rdf:li>\n",
		      name, desc);
}

/* The XMP packet (ISO 19005-1 6.7), mirroring the document information dictionary; the
 * case number and report ID use our own schema, described by a PDF/A extension schema
 * (6.7.8) so validators accept it. */
static void build_xmp(const tl_pdf_t *d, tl_buf_t *b)
{
	char date[32];
	xmp_date(d->created, date);
	tl_buf_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		       "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		       " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
	tl_buf_printf(b,
		      "  <rdf:Description rdf:about=\"\" "
		      "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
		      "   <pdfaid:part>%d</pdfaid:part>\n"
		      "   <pdfaid:conformance>B</pdfaid:conformance>\n"
		      "  </rdf:Description>\n",
		      d->level == TL_PDF_A1B ? 1 : 3);
	tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" "
		       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		       "   <dc:format>application/pdf</dc:format>\n");
	xmp_alt(b, "dc:title", d->title);
	if (d->author) {
		tl_buf_puts(b, "   <dc:creator><rdf:Seq><rdf:li>");
		tl_pdf_xml_escaped(b, d->author);
		tl_buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	xmp_alt(b, "dc:description", d->subject);
	tl_buf_puts(b, "  </rdf:Description>\n");
	tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	xmp_prop(b, "xmp:CreateDate", date);
	xmp_prop(b, "xmp:ModifyDate", date);
	xmp_prop(b, "xmp:MetadataDate", date);
	xmp_prop(b, "xmp:CreatorTool", d->creator);
	tl_buf_puts(b, "  </rdf:Description>\n");
	tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	xmp_prop(b, "pdf:Producer", d->producer);
	xmp_prop(b, "pdf:Keywords", d->keywords);
	tl_buf_puts(b, "  </rdf:Description>\n");
	if (d->case_number || d->report_id) {
		tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" "
			       "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
			       "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
			       "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
			       "   <pdfaExtension:schemas>\n"
			       "    <rdf:Bag>\n"
			       "     <rdf:li rdf:parseType=\"Resource\">\n"
			       "      <pdfaSchema:schema>tealeaves evidence report</pdfaSchema:schema>\n"
			       "      <pdfaSchema:namespaceURI>" XMP_NS "</pdfaSchema:namespaceURI>\n"
			       "      <pdfaSchema:prefix>tealeaves</pdfaSchema:prefix>\n"
			       "      <pdfaSchema:property>\n"
			       "       <rdf:Seq>\n");
		xmp_ext_property(b, "caseNumber", "Case number the report belongs to");
		xmp_ext_property(b, "reportId", "Report ID: short form of the manifest hash");
		tl_buf_puts(b, "       </rdf:Seq>\n"
			       "      </pdfaSchema:property>\n"
			       "     </rdf:li>\n"
			       "    </rdf:Bag>\n"
			       "   </pdfaExtension:schemas>\n"
			       "  </rdf:Description>\n");
		tl_buf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:tealeaves=\"" XMP_NS "\">\n");
		xmp_prop(b, "tealeaves:caseNumber", d->case_number);
		xmp_prop(b, "tealeaves:reportId", d->report_id);
		tl_buf_puts(b, "  </rdf:Description>\n");
	}
	tl_buf_puts(b, " </rdf:RDF>\n</x:xmpmeta>\n");
	/* Padding lets an editor update the packet in place (XMP Part 1, 7.3.2). */
	for (int i = 0; i < 20; i++)
		tl_buf_puts(b, "                                                                   "
			       "                                \n");
	tl_buf_puts(b, "<?xpacket end=\"w\"?>");
}

static int info_set(tl_pdf_t *d, HPDF_Dict info, const char *key, const char *v)
{
	if (!v)
		return d->err;
	void *s = tl_pdf_text_string(d, v);
	if (!s)
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "document information");
	return tl_pdf_chk(d, HPDF_Dict_Add(info, key, s), "document information");
}

static int finish_info(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	/* A fresh information dictionary replaces libharu's (which says "Haru Free PDF
	 * Library" as producer, so the XMP would disagree with it). */
	HPDF_Dict info = HPDF_Dict_New(mm);
	if (!info || tl_pdf_chk(d, HPDF_Xref_Add(d->pdf->xref, info), "document information"))
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "document information");
	char date[32];
	pdf_date(d->created, date);
	info_set(d, info, "Title", d->title);
	info_set(d, info, "Author", d->author);
	info_set(d, info, "Subject", d->subject);
	info_set(d, info, "Keywords", d->keywords);
	info_set(d, info, "Creator", d->creator);
	info_set(d, info, "Producer", d->producer);
	info_set(d, info, "CreationDate", date);
	info_set(d, info, "ModDate", date);
	info_set(d, info, "CaseNumber", d->case_number);
	info_set(d, info, "ReportID", d->report_id);
	d->pdf->info = info;
	return d->err;
}

static int finish_metadata(tl_pdf_t *d)
{
	HPDF_Dict md = HPDF_DictStream_New(d->pdf->mmgr, d->pdf->xref);
	if (!md)
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "metadata");
	/* libharu 2.3.0 defect: its metadata stream says /SubType; the key is /Subtype. The
	 * stream stays unfiltered (ISO 19005-1 6.7.2). */
	md->filter = HPDF_STREAM_FILTER_NONE;
	tl_pdf_chk(d, HPDF_Dict_AddName(md, "Type", "Metadata"), "metadata");
	tl_pdf_chk(d, HPDF_Dict_AddName(md, "Subtype", "XML"), "metadata");
	tl_buf_t b;
	tl_buf_init(&b);
	build_xmp(d, &b);
	tl_pdf_chk(d, HPDF_Stream_Write(md->stream, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len),
		   "metadata");
	tl_buf_free(&b);
	return tl_pdf_chk(d, HPDF_Dict_Add(d->pdf->catalog, "Metadata", md), "metadata");
}

static int finish_output_intent(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	/* libharu 2.3.0 defect: HPDF_PDFA_AppendOutputIntents writes the key
	 * "DestOutputProfile " (trailing space), so validators find no profile. The
	 * OutputIntent (PDF 1.7 section 14.11.5; ISO 19005-1 6.2.2) is built here. */
	HPDF_Dict icc = HPDF_DictStream_New(mm, d->pdf->xref);
	HPDF_Dict oi = HPDF_Dict_New(mm);
	HPDF_Array arr = HPDF_Array_New(mm);
	if (!icc || !oi || !arr)
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "OutputIntent");
	icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	tl_pdf_chk(d, HPDF_Dict_AddNumber(icc, "N", 3), "OutputIntent");
	tl_pdf_chk(d, HPDF_Dict_AddName(icc, "Alternate", "DeviceRGB"), "OutputIntent");
	tl_pdf_chk(d, HPDF_Stream_Write(icc->stream, d->icc, (HPDF_UINT)d->icc_len),
		   "OutputIntent");
	tl_pdf_chk(d, HPDF_Dict_AddName(oi, "Type", "OutputIntent"), "OutputIntent");
	tl_pdf_chk(d, HPDF_Dict_AddName(oi, "S", "GTS_PDFA1"), "OutputIntent");
	tl_pdf_chk(d,
		   HPDF_Dict_Add(oi, "OutputConditionIdentifier",
				 HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL)),
		   "OutputIntent");
	tl_pdf_chk(d, HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL)),
		   "OutputIntent");
	tl_pdf_chk(
	    d, HPDF_Dict_Add(oi, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL)),
	    "OutputIntent");
	tl_pdf_chk(d, HPDF_Dict_Add(oi, "DestOutputProfile", icc), "OutputIntent");
	tl_pdf_chk(d, HPDF_Array_Add(arr, oi), "OutputIntent");
	return tl_pdf_chk(d, HPDF_Dict_Add(d->pdf->catalog, "OutputIntents", arr), "OutputIntent");
}

static int finish_id(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	/* The trailer /ID is the caller's, both entries (PDF 1.7 section 14.4). libharu 2.3.0
	 * would take MD5("libHaru" + ctime()) in PDF/A mode, which we do not use; preset, the
	 * array is kept as is. */
	HPDF_Array id = HPDF_Array_New(mm);
	if (!id)
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "ID");
	tl_pdf_chk(d, HPDF_Array_Add(id, HPDF_Binary_New(mm, d->doc_id, 16)), "ID");
	tl_pdf_chk(d, HPDF_Array_Add(id, HPDF_Binary_New(mm, d->doc_id, 16)), "ID");
	return tl_pdf_chk(d, HPDF_Dict_Add(d->pdf->trailer, "ID", id), "ID");
}

/* A ToUnicode CMap for libharu's UTF-8 CID fonts, where CID = the BMP code point: 255
 * ranges <XX00> <XXFF> -> <XX00> (a bfrange may vary only in its last byte, Adobe
 * technical note 5411), leaving out the surrogates D800-DFFF. */
static void build_tounicode(tl_buf_t *b)
{
	tl_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
		       "12 dict begin\n"
		       "begincmap\n"
		       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		       "/CMapName /Adobe-Identity-UCS def\n"
		       "/CMapType 2 def\n"
		       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	int rows[256], n = 0;
	for (int hi = 0; hi < 256; hi++)
		if (hi < 0xD8 || hi > 0xDF)
			rows[n++] = hi;
	for (int i = 0; i < n; i += 100) {
		int k = n - i < 100 ? n - i : 100;
		tl_buf_printf(b, "%d beginbfrange\n", k);
		for (int j = i; j < i + k; j++)
			tl_buf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", rows[j], rows[j], rows[j]);
		tl_buf_puts(b, "endbfrange\n");
	}
	tl_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static int finish_fonts(tl_pdf_t *d)
{
	HPDF_MMgr mm = d->pdf->mmgr;
	for (int f = 0; f < TL_PDF_NFONTS && !d->err; f++) {
		/* libharu 2.3.0 defect: its ToUnicode CMap for UTF-8 fonts uses begincidrange,
		 * which is not a ToUnicode operator (poppler warns; other readers may not
		 * extract the text). A correct map replaces it. */
		HPDF_Dict tu = HPDF_DictStream_New(mm, d->pdf->xref);
		if (!tu)
			return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "ToUnicode");
		tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
		tl_buf_t b;
		tl_buf_init(&b);
		build_tounicode(&b);
		tl_pdf_chk(d, HPDF_Stream_Write(tu->stream, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len),
			   "ToUnicode");
		tl_buf_free(&b);
		tl_pdf_chk(d, HPDF_Dict_Add(d->font[f], "ToUnicode", tu), "ToUnicode");
	}
	return d->err;
}

static int finish_attachments(tl_pdf_t *d)
{
	if (d->natt == 0)
		return d->err;
	HPDF_MMgr mm = d->pdf->mmgr;
	HPDF_Array af = HPDF_Array_New(mm);
	HPDF_Array names = HPDF_Array_New(mm);
	HPDF_Dict ef_tree = HPDF_Dict_New(mm);
	HPDF_Dict names_dict = HPDF_Dict_New(mm);
	if (!af || !names || !ef_tree || !names_dict)
		return tl_pdf_chk(d, HPDF_FAILD_TO_ALLOC_MEM, "attachments");
	/* /AF in the order attached; the name tree sorted by key (PDF 1.7 section 7.9.6). */
	for (size_t i = 0; i < d->natt; i++)
		tl_pdf_chk(d, HPDF_Array_Add(af, d->att[i].filespec), "attachments");
	qsort(d->att, d->natt, sizeof(*d->att), cmp_att);
	for (size_t i = 0; i < d->natt; i++) {
		tl_pdf_chk(d, HPDF_Array_Add(names, HPDF_String_New(mm, d->att[i].key, NULL)),
			   "attachments");
		tl_pdf_chk(d, HPDF_Array_Add(names, d->att[i].filespec), "attachments");
	}
	tl_pdf_chk(d, HPDF_Dict_Add(ef_tree, "Names", names), "attachments");
	tl_pdf_chk(d, HPDF_Dict_Add(names_dict, "EmbeddedFiles", ef_tree), "attachments");
	tl_pdf_chk(d, HPDF_Dict_Add(d->pdf->catalog, "Names", names_dict), "attachments");
	return tl_pdf_chk(d, HPDF_Dict_Add(d->pdf->catalog, "AF", af), "attachments");
}

int tl_pdf_save(tl_pdf_t *d, uint8_t **out, size_t *len)
{
	int rc = tl_pdf_ready(d, 0);
	if (rc)
		return rc;
	if (!out || !len || d->npages == 0 || d->in_path || d->in_chart) {
		tl_pdf_set_err(d, TL_EINVAL,
			       "PDF writer: nothing to save, or a path or chart still open");
		return d->err;
	}
	d->saved = 1;
	/* PDF/A-1 is based on PDF 1.4 (ISO 19005-1 6.1.2); PDF/A-3 on PDF 1.7, which
	 * associated files need. libharu has no setter for the header version. */
	d->pdf->pdf_version = d->level == TL_PDF_A1B ? HPDF_VER_14 : HPDF_VER_17;
	if (d->outlines)
		tl_pdf_chk(d, HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE), "page mode");
	if (finish_info(d) || finish_metadata(d) || finish_output_intent(d) || finish_id(d) ||
	    finish_fonts(d) || finish_attachments(d))
		return d->err;
	if (tl_pdf_chk(d, HPDF_SaveToStream(d->pdf), "save"))
		return d->err;
	HPDF_UINT32 size = HPDF_GetStreamSize(d->pdf);
	uint8_t *buf = tl_xmalloc(size ? size : 1);
	size_t got = 0;
	while (got < size) {
		HPDF_UINT32 n = size - (HPDF_UINT32)got;
		HPDF_STATUS st = HPDF_ReadFromStream(d->pdf, buf + got, &n);
		got += n;
		if (st == HPDF_STREAM_EOF || n == 0)
			break;
		if (st != HPDF_OK) {
			free(buf);
			return tl_pdf_chk(d, st, "read saved document");
		}
	}
	if (got != size || d->err) {
		free(buf);
		tl_pdf_set_err(d, TL_EIO, "PDF writer: saved %zu of %u bytes", got, (unsigned)size);
		return d->err;
	}
	*out = buf;
	*len = got;
	return TL_OK;
}

