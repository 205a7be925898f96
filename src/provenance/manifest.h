/* manifest.h - the report's manifest: a canonical JSON listing every file the
 * report depends on (inputs, case file, organisations, events, template, fonts,
 * colour profile) with its size and SHA-256, the effective settings and the tool
 * that made it. The report ID is the SHA-256 of these exact bytes. */
#ifndef TL_PROVENANCE_MANIFEST_H
#define TL_PROVENANCE_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "model/findings.h"
#include "util/buf.h"

#define TL_MANIFEST_SCHEMA "tealeaves-manifest/2"

typedef struct tl_manifest_opts {
	const char *template_path; /* the template file used */
	const char *fonts_dir;     /* the fonts/ folder (the four DejaVu files are hashed) */
	const char *icc_path;      /* the sRGB profile */
	const char *tool_version;
	const char *tool_commit;   /* source commit recorded at build time */
	int tool_dirty;            /* built from a tree with uncommitted changes */
	const char *libraries;     /* library versions, as text */
	const char *pdfa;          /* "3b" or "1b" */
	int draft;
	const char *findings_sha256; /* hex SHA-256 of the findings JSON the report embeds */
	int64_t date_s;            /* the report's date (UTC seconds) */
	const char *command;       /* the command that makes the report, as the report prints it */
	const char *case_path;     /* the case file as that command names it */
	const char *const *overrides; /* the --set overrides in command-line order */
	size_t n_overrides;
} tl_manifest_opts_t;

/* Appends the manifest to out: compact JSON, keys in a fixed order, one final
 * newline. File names are written as the case file gives them (or, for the
 * template, fonts and profile, as paths relative to the data folder), never as
 * resolved absolute paths, so moving the files does not change the manifest.
 * Returns TL_OK, or an error with err naming a file that could not be read. */
int tl_manifest_json(const tl_findings_t *f, const tl_manifest_opts_t *o, tl_buf_t *out,
		     char *err, size_t errlen);

#endif
