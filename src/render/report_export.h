/* report_export.h - the report's charts and tables as files for publication:
 * every chart as SVG and PNG, every table as CSV (RFC 4180). */
#ifndef TL_RENDER_REPORT_EXPORT_H
#define TL_RENDER_REPORT_EXPORT_H

#include <stddef.h>

#include "model/findings.h"

/* Writes "<slug>.svg" and "<slug>.png" (2x) of every chart into charts_dir and
 * "<slug>.csv" of every table into csv_dir (either may be NULL; each directory is
 * created if missing). Each file is written under a temporary name and renamed.
 * Returns TL_OK, or an error with err naming the file. */
int tl_report_export(const tl_findings_t *f, const char *charts_dir, const char *csv_dir,
		     char *err, size_t errlen);

#endif
