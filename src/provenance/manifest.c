/* manifest.c - the canonical manifest of a report (schema tealeaves-manifest/2). */
#include "render/json/case.h"
#include "provenance/manifest.h"
#include "case/case.h"
#include "case/events.h"
#include "render/pdf/pdf.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/time.h"
#include "util/tz.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hashes the file at path: size and lower-case hex SHA-256; err names the file. */
static int hash_file(const char *path, uint64_t *size, char hex[TL_SHA256_HEX_LEN], char *err,
		     size_t errlen)
{
	if (tl_sha256_file(path, size, hex) == 0)
		return TL_OK;
	int e = errno;
	snprintf(err, errlen, "%s: %s", path,
		 e == EIO ? "read error" : e == EINVAL ? "not a regular file" : strerror(e));
	return e == EIO || e == EINVAL ? TL_EIO : tl_errno_to_err(e);
}

/* {"name": name, "size": n, "sha256": hex} for the file at path. */
static int file_entry(tl_json_t *j, const char *name, const char *path, char *err, size_t errlen)
{
	uint64_t size;
	char hex[TL_SHA256_HEX_LEN];
	int rc = hash_file(path, &size, hex, err, errlen);
	if (rc != TL_OK)
		return rc;
	tl_json_obj_begin(j);
	tl_json_key(j, "name");
	tl_json_str(j, name);
	tl_json_key(j, "size");
	tl_json_u64(j, size);
	tl_json_key(j, "sha256");
	tl_json_str(j, hex);
	tl_json_obj_end(j);
	return TL_OK;
}

static int optional_file(tl_json_t *j, const char *key, const char *name, const char *path,
			 char *err, size_t errlen)
{
	tl_json_key(j, key);
	if (!path) {
		tl_json_null(j);
		return TL_OK;
	}
	return file_entry(j, name, path, err, errlen);
}

/* TL_OK when the file at path (if any) still has the SHA-256 read_hex it had when
 * the analysis read it (NULL: not recorded). */
static int same_as_read(const char *path, const char *read_hex, char *err, size_t errlen)
{
	if (!path || !read_hex)
		return TL_OK;
	uint64_t size;
	char hex[TL_SHA256_HEX_LEN];
	int rc = hash_file(path, &size, hex, err, errlen);
	if (rc != TL_OK)
		return rc;
	if (strcmp(hex, read_hex) != 0) {
		snprintf(err, errlen, "%s changed while the report was made (SHA-256 %s when the "
				      "analysis read it, %s now)", path, read_hex, hex);
		return TL_EIO;
	}
	return TL_OK;
}

/* The file's name relative to the data folder: "templates/default.tmpl". */
static const char *data_name(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strncmp(path, dir, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "timezone_data": the tzdata the report's local times come from: its version and each
 * zone file the case uses (the case's display zone and every organisation's), by name
 * relative to the tzdata folder; null when every zone is UTC, which needs no tzdata. */
static int timezone_data(tl_json_t *j, const tl_findings_t *f, char *err, size_t errlen)
{
	const tl_case_t *c = f->kase;
	size_t cap = 1 + f->ctx.n_orgs, n = 0;
	const char **zones = tl_xmalloc(cap * sizeof(*zones));
	if (!tl_tz_is_utc(c->timezone))
		zones[n++] = c->timezone;
	for (size_t i = 0; i < f->ctx.n_orgs; i++)
		if (!tl_tz_is_utc(f->ctx.orgs[i].tz))
			zones[n++] = f->ctx.orgs[i].tz;
	qsort(zones, n, sizeof(*zones), str_cmp);
	tl_json_key(j, "timezone_data");
	if (n == 0) {
		free(zones);
		tl_json_null(j);
		return TL_OK;
	}
	char version[40];
	int have_version = tl_tz_version(version, sizeof(version)) == TL_OK;
	tl_json_obj_begin(j);
	tl_json_key(j, "version");
	if (have_version)
		tl_json_str(j, version);
	else
		tl_json_null(j);
	tl_json_key(j, "zones");
	tl_json_arr_begin(j);
	int rc = TL_OK;
	for (size_t i = 0; i < n && rc == TL_OK; i++) {
		if (i > 0 && strcmp(zones[i], zones[i - 1]) == 0)
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", tl_tz_dir(), zones[i]);
		rc = file_entry(j, zones[i], path, err, errlen);
	}
	free(zones);
	if (rc != TL_OK)
		return rc;
	tl_json_arr_end(j);
	tl_json_obj_end(j);
	return TL_OK;
}

int tl_manifest_json(const tl_findings_t *f, const tl_manifest_opts_t *o, tl_buf_t *out,
		     char *err, size_t errlen)
{
	const tl_case_t *c = f->kase;
	int rc;
	tl_json_t j;
	tl_json_init(&j, out, 0);
	tl_json_obj_begin(&j);
	tl_json_key(&j, "schema");
	tl_json_str(&j, TL_MANIFEST_SCHEMA);
	tl_json_key(&j, "tool");
	tl_json_obj_begin(&j);
	tl_json_key(&j, "name");
	tl_json_str(&j, "tealeaves");
	tl_json_key(&j, "version");
	tl_json_str(&j, o->tool_version);
	tl_json_key(&j, "source_commit");
	tl_json_str(&j, o->tool_commit);
	tl_json_key(&j, "uncommitted_changes");
	tl_json_bool(&j, o->tool_dirty);
	tl_json_key(&j, "libraries");
	tl_json_str(&j, o->libraries);
	tl_json_obj_end(&j);

	tl_json_key(&j, "case_file");
	tl_json_obj_begin(&j);
	tl_json_key(&j, "name");
	{
		const char *slash = strrchr(c->path, '/');
		tl_json_str(&j, slash ? slash + 1 : c->path);
	}
	tl_json_key(&j, "size");
	tl_json_u64(&j, c->file_size);
	tl_json_key(&j, "sha256");
	tl_json_str(&j, c->file_sha256_hex);
	tl_json_obj_end(&j);

	/* the evidence: hashed while it was read for the analysis */
	tl_json_key(&j, "inputs");
	tl_json_arr_begin(&j);
	for (size_t i = 0; i < f->ctx.n_inputs; i++) {
		const tl_ctx_input_t *in = &f->ctx.inputs[i];
		char hex[TL_SHA256_HEX_LEN];
		tl_sha256_hex(in->info.sha256, hex);
		tl_json_obj_begin(&j);
		tl_json_key(&j, "label");
		tl_json_str(&j, in->label);
		tl_json_key(&j, "name");
		tl_json_str(&j, in->path);
		tl_json_key(&j, "size");
		tl_json_u64(&j, in->info.size);
		tl_json_key(&j, "sha256");
		tl_json_str(&j, hex);
		tl_json_obj_end(&j);
	}
	tl_json_arr_end(&j);

	if ((rc = optional_file(&j, "organisations", c->orgs_path, c->orgs_resolved, err,
				errlen)) != TL_OK ||
	    (rc = optional_file(&j, "mmdb", c->mmdb_path, c->mmdb_resolved, err, errlen)) != TL_OK ||
	    (rc = optional_file(&j, "events", c->events_path, c->events_resolved, err, errlen)) !=
		    TL_OK)
		return rc;
	/* the events and organisations files hashed now must be the ones the analysis read */
	if ((rc = same_as_read(c->events_resolved, f->events ? f->events->sha256_hex : NULL, err,
			       errlen)) != TL_OK ||
	    (rc = same_as_read(c->orgs_resolved, f->orgs_sha256[0] ? f->orgs_sha256 : NULL, err,
			       errlen)) != TL_OK)
		return rc;

	/* what the document is made with */
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", o->fonts_dir);
	char *cut = strrchr(dir, '/');
	if (cut)
		*cut = '\0'; /* the data folder holding fonts/ */
	/* a case's own template is named as the case file writes it, like its other files
	 * (never the resolved path, which depends on where the command ran) */
	tl_json_key(&j, "template");
	if ((rc = file_entry(&j,
			     c->template_resolved ? c->template_name
						  : data_name(o->template_path, dir),
			     o->template_path, err, errlen)) != TL_OK)
		return rc;
	static const char *const fonts[] = {TL_PDF_FILE_REGULAR, TL_PDF_FILE_BOLD,
					    TL_PDF_FILE_ITALIC, TL_PDF_FILE_MONO};
	tl_json_key(&j, "fonts");
	tl_json_arr_begin(&j);
	for (size_t i = 0; i < sizeof(fonts) / sizeof(fonts[0]); i++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", dir, fonts[i]);
		if ((rc = file_entry(&j, fonts[i], path, err, errlen)) != TL_OK)
			return rc;
	}
	tl_json_arr_end(&j);
	tl_json_key(&j, "colour_profile");
	if ((rc = file_entry(&j, data_name(o->icc_path, dir), o->icc_path, err, errlen)) != TL_OK)
		return rc;
	if ((rc = timezone_data(&j, f, err, errlen)) != TL_OK)
		return rc;

	tl_json_key(&j, "settings");
	tl_case_write_json(c, &j);
	tl_json_key(&j, "seed");
	tl_json_u64(&j, c->seed);
	tl_json_key(&j, "report");
	tl_json_obj_begin(&j);
	tl_json_key(&j, "pdfa");
	tl_json_str(&j, o->pdfa);
	tl_json_key(&j, "draft");
	tl_json_bool(&j, o->draft);
	tl_json_key(&j, "date");
	tl_json_time(&j, o->date_s * TL_US_PER_SEC);
	tl_json_key(&j, "command");
	tl_json_str(&j, o->command ? o->command : "");
	tl_json_key(&j, "case_path");
	tl_json_str(&j, o->case_path ? o->case_path : c->path);
	tl_json_key(&j, "overrides");
	tl_json_arr_begin(&j);
	for (size_t i = 0; i < o->n_overrides; i++)
		tl_json_str(&j, o->overrides[i]);
	tl_json_arr_end(&j);
	tl_json_obj_end(&j);
	tl_json_key(&j, "findings_sha256");
	tl_json_str(&j, o->findings_sha256);
	tl_json_obj_end(&j);
	tl_buf_putc(out, '\n');
	return TL_OK;
}
