/* verify_case.c - the checks of what the report was made from: the tool and libraries
 * the manifest names against this program, the case file, its inputs and optional
 * files, this installation's template, fonts, colour profile and time-zone data, and
 * the recorded overrides and date. */
#include "provenance/verify_impl.h"
#include "util/error.h"
#include "util/tz.h"
#include "util/xmalloc.h"
#include "tl_version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replaces a case's resolved path with the located one. */
static void relocate(char **slot, const tl_found_t *f)
{
	if (!f->path)
		return;
	free(*slot);
	*slot = tl_xstrdup(f->path);
}

/* Checks one optional file of the case (organisations, mmdb, events). */
static int check_optional(tl_vctx_t *v, json_t *m, const char *key, const char *what,
                          char **resolved_slot)
{
	json_t *o = json_object_get(m, key);
	if (!o || json_is_null(o)) {
		if (resolved_slot && *resolved_slot) {
			tl_verify_add(v, TL_VERIFY_FAILED, what,
			              "the case file names one, the manifest none");
			tl_verify_fail(v);
			return 0;
		}
		return 1;
	}
	tl_want_t w;
	if (tl_verify_want_of(o, &w) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, what, "the manifest's entry is malformed");
		tl_verify_fail(v);
		return 0;
	}
	tl_found_t f;
	tl_verify_locate(v, &w, resolved_slot ? *resolved_slot : NULL, NULL, &f);
	int ok = tl_verify_file_verdict(v, what, &w, &f, 0);
	if (resolved_slot)
		relocate(resolved_slot, &f);
	free(f.path);
	return ok;
}

/* The tool and libraries the report was made with, against this build. */
static void check_tool(tl_vctx_t *v, json_t *m)
{
	json_t *t = json_object_get(m, "tool");
	const char *ver = tl_verify_jstr(t, "version"),
	           *commit = tl_verify_jstr(t, "source_commit");
	const char *libs = tl_verify_jstr(t, "libraries");
	int dirty = json_is_true(json_object_get(t, "uncommitted_changes"));
	if (!ver || !commit || !libs) {
		tl_verify_add(v, TL_VERIFY_FAILED, "tool",
		              "the manifest does not say which tool made the report");
		tl_verify_fail(v);
		return;
	}
	if (strcmp(ver, TL_VERSION) != 0 || strcmp(commit, TL_SOURCE_COMMIT) != 0) {
		tl_verify_add(
		    v, TL_VERIFY_DIFFERS, "tool",
		    "made by tealeaves %s (source commit %s); this is tealeaves %s (source commit "
		    "%s): a report can only be made again, byte for byte, by the build that made "
		    "it",
		    ver, commit, TL_VERSION, TL_SOURCE_COMMIT);
		v->verdict->tool_differs = 1;
	} else if (dirty || TL_SOURCE_DIRTY) {
		tl_verify_add(
		    v, TL_VERIFY_NOTE, "tool",
		    "tealeaves %s, source commit %s, as this program, but %s built from a tree "
		    "with uncommitted changes: the commit alone does not identify the code",
		    ver, commit, dirty ? "the report's tool was" : "this program was");
	} else {
		tl_verify_add(v, TL_VERIFY_OK, "tool",
		              "tealeaves %s, source commit %s, as this program", ver, commit);
	}
	const char *mine = v->o->libraries;
	if (strcmp(libs, mine) == 0) {
		tl_verify_add(v, TL_VERIFY_OK, "libraries", "the same versions: %s", libs);
	} else {
		tl_verify_add(v, TL_VERIFY_DIFFERS, "libraries",
		              "the report was made with: %s; this program has: %s", libs, mine);
		v->verdict->tool_differs = 1;
	}
}

/* One file of this installation's data folder (at path) against the manifest. */
static void check_data_file(tl_vctx_t *v, const char *what, const tl_want_t *w, const char *path)
{
	tl_found_t f;
	memset(&f, 0, sizeof(f));
	if (tl_sha256_file(path, &f.size, f.sha256) == 0) {
		f.path = tl_xstrdup(path);
		f.matches = strcmp(f.sha256, w->sha256) == 0 && f.size == w->size;
	}
	snprintf(f.looked, sizeof(f.looked), "at %s", path);
	tl_verify_file_verdict(v, what, w, &f, 1);
	free(f.path);
}

/* The time-zone rules against this machine's tzdata: its version, then each zone file.
 * Other rules may move local times, so a difference is the tool's side (DIFFERS). */
static void check_timezone_data(tl_vctx_t *v, json_t *m)
{
	json_t *tz = json_object_get(m, "timezone_data");
	if (!tz) {
		tl_verify_add(v, TL_VERIFY_NOTE, "time-zone data",
		              "the manifest does not record it (a tealeaves-manifest/1 report)");
		return;
	}
	if (json_is_null(tz)) {
		tl_verify_add(v, TL_VERIFY_OK, "time-zone data",
		              "none used: every time in the report is in UTC");
		return;
	}
	json_t *ver = json_object_get(tz, "version"), *zones = json_object_get(tz, "zones");
	if (!json_is_object(tz) || !(json_is_string(ver) || json_is_null(ver)) ||
	    !json_is_array(zones)) {
		tl_verify_add(v, TL_VERIFY_FAILED, "time-zone data",
		              "the manifest's entry is malformed");
		tl_verify_fail(v);
		return;
	}
	char mine[40];
	int have = tl_tz_version(mine, sizeof(mine)) == TL_OK;
	const char *want = json_is_string(ver) ? json_string_value(ver) : NULL;
	if ((want && have && strcmp(want, mine) == 0) || (!want && !have)) {
		tl_verify_add(v, TL_VERIFY_OK, "time-zone data",
		              "tzdata %s under %s, as the manifest says",
		              have ? mine : "of no stated version", tl_tz_dir());
	} else {
		tl_verify_add(
		    v, TL_VERIFY_DIFFERS, "time-zone data",
		    "the report was made with tzdata %s; this machine has %s under %s: local "
		    "times may differ",
		    want ? want : "of no stated version", have ? mine : "none of a stated version",
		    tl_tz_dir());
		v->verdict->tool_differs = 1;
	}
	size_t i;
	json_t *z;
	json_array_foreach(zones, i, z)
	{
		tl_want_t w;
		if (tl_verify_want_of(z, &w) != 0 || w.name[0] == '/' ||
		    tl_verify_has_dotdot(w.name)) {
			tl_verify_add(v, TL_VERIFY_FAILED, "time-zone file",
			              "the manifest's entry is malformed");
			tl_verify_fail(v);
			continue;
		}
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", tl_tz_dir(), w.name);
		check_data_file(v, "time-zone file", &w, path);
	}
}

/* The template, fonts and colour profile against this installation's data folder. */
static int check_data_files(tl_vctx_t *v, json_t *m, tl_case_t *c)
{
	tl_want_t w;
	tl_found_t f;
	char path[8192];
	int own_ok = 1; /* a template of the case's own was found unchanged (or there is none) */
	json_t *t = json_object_get(m, "template");
	if (tl_verify_want_of(t, &w) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "template", "the manifest's entry is malformed");
		tl_verify_fail(v);
	} else if (c && c->template_resolved) {
		/* a template of the case's own is evidence-side: it travels with the case */
		tl_verify_locate(v, &w, c->template_resolved, NULL, &f);
		own_ok = tl_verify_file_verdict(v, "template", &w, &f, 0);
		relocate(&c->template_resolved, &f);
		free(f.path);
	} else if (w.name[0] == '/' || tl_verify_has_dotdot(w.name) ||
	           strncmp(w.name, "templates/", 10)) {
		tl_verify_add(
		    v, TL_VERIFY_FAILED, "template",
		    "the manifest names %s, not a template of the data folder's templates/",
		    w.name);
		tl_verify_fail(v);
	} else {
		snprintf(path, sizeof(path), "%s/%s", v->o->data_dir, w.name);
		check_data_file(v, "template", &w, path);
	}
	json_t *fonts = json_object_get(m, "fonts");
	size_t i;
	json_t *fo;
	if (!json_is_array(fonts) || json_array_size(fonts) == 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "fonts", "the manifest lists no fonts");
		tl_verify_fail(v);
	}
	json_array_foreach(fonts, i, fo)
	{
		if (tl_verify_want_of(fo, &w) != 0) {
			tl_verify_add(v, TL_VERIFY_FAILED, "font",
			              "the manifest's entry is malformed");
			tl_verify_fail(v);
			continue;
		}
		snprintf(path, sizeof(path), "%s/fonts/%s", v->o->data_dir,
		         tl_verify_base_name(w.name));
		check_data_file(v, "font", &w, path);
	}
	if (tl_verify_want_of(json_object_get(m, "colour_profile"), &w) != 0 || w.name[0] == '/' ||
	    tl_verify_has_dotdot(w.name)) {
		tl_verify_add(v, TL_VERIFY_FAILED, "colour profile",
		              "the manifest's entry is malformed");
		tl_verify_fail(v);
		return own_ok;
	}
	snprintf(path, sizeof(path), "%s/%s", v->o->data_dir, w.name);
	check_data_file(v, "colour profile", &w, path);
	check_timezone_data(v, m);
	return own_ok;
}

/* Checks the inputs of the case against the manifest and relocates them; returns
 * 1 when all match. */
static int check_case_inputs(tl_vctx_t *v, json_t *m, tl_case_t *c)
{
	json_t *ins = json_object_get(m, "inputs");
	if (!json_is_array(ins)) {
		tl_verify_add(v, TL_VERIFY_FAILED, "inputs", "the manifest lists no inputs");
		tl_verify_fail(v);
		return 0;
	}
	if (c && json_array_size(ins) != c->n_inputs) {
		tl_verify_add(v, TL_VERIFY_FAILED, "inputs",
		              "the manifest lists %zu inputs, the case file %zu",
		              json_array_size(ins), c->n_inputs);
		tl_verify_fail(v);
		return 0;
	}
	int all = 1;
	size_t i;
	json_t *o;
	json_array_foreach(ins, i, o)
	{
		tl_want_t w;
		const char *label = tl_verify_jstr(o, "label");
		char what[96];
		snprintf(what, sizeof(what), "input %s", label ? label : "?");
		if (!label || tl_verify_want_of(o, &w) != 0) {
			tl_verify_add(v, TL_VERIFY_FAILED, what,
			              "the manifest's entry is malformed");
			tl_verify_fail(v);
			all = 0;
			continue;
		}
		tl_case_input_t *ci = NULL;
		for (size_t k = 0; c && k < c->n_inputs; k++)
			if (strcmp(c->inputs[k].label, label) == 0)
				ci = &c->inputs[k];
		if (c && (!ci || strcmp(ci->path, w.name) != 0)) {
			tl_verify_add(v, TL_VERIFY_FAILED, what,
			              "the case file has no input %s named %s", label, w.name);
			tl_verify_fail(v);
			all = 0;
			continue;
		}
		tl_found_t f;
		tl_verify_locate(v, &w, ci ? ci->resolved : NULL, NULL, &f);
		all &= tl_verify_file_verdict(v, what, &w, &f, 0);
		if (ci)
			relocate(&ci->resolved, &f);
		free(f.path);
	}
	return all;
}

/* Sets *sets to the recorded --set overrides (pointers into m). */
static int recorded_overrides(json_t *rep, const char ***sets, size_t *n)
{
	json_t *ov = json_object_get(rep, "overrides");
	*sets = NULL;
	*n = 0;
	if (!json_is_array(ov))
		return -1;
	*sets = tl_xcalloc(json_array_size(ov) + 1, sizeof(char *));
	size_t i;
	json_t *o;
	json_array_foreach(ov, i, o)
	{
		if (!json_is_string(o))
			return -1;
		(*sets)[(*n)++] = json_string_value(o);
	}
	return 0;
}

/* What besides the case file shaped the report: each recorded --set override and
 * where the report's date came from, so that a transcript shows them. */
static void settings_notes(tl_vctx_t *v, json_t *rep, const tl_case_t *c, size_t n_sets,
                           const char **sets)
{
	for (size_t i = 0; i < n_sets; i++)
		tl_verify_add(v, TL_VERIFY_NOTE, "setting",
		              "--set %s on the command line, over the case file (made "
		              "again with it)",
		              sets[i]);
	const char *date = tl_verify_jstr(rep, "date");
	if (date && c)
		tl_verify_add(v, TL_VERIFY_NOTE, "report date", "%s, %s", date,
		              c->has_report_date
		                  ? "from the case file's report_date"
		                  : "from SOURCE_DATE_EPOCH when the report was made (the case "
		                    "file has no report_date)");
	v->verdict->n_overrides = (int)n_sets;
}

/* The case file the manifest names: found unchanged and loaded with the recorded
 * overrides into *c. Returns 1 when it was. */
static int check_case_file(tl_vctx_t *v, json_t *m, const char **sets, size_t n_sets, tl_case_t **c)
{
	json_t *cf = json_object_get(m, "case_file");
	tl_want_t cw = {
	    .name = tl_verify_jstr(json_object_get(m, "report"), "case_path"),
	    .sha256 = tl_verify_jstr(cf, "sha256"),
	    .is_case_file = 1,
	};
	json_t *csz = json_object_get(cf, "size");
	if (json_is_integer(csz) && json_integer_value(csz) >= 0) {
		cw.size = (uint64_t)json_integer_value(csz);
		cw.has_size = 1;
	}
	tl_found_t f;
	tl_verify_locate(v, &cw, NULL, v->o->case_path, &f);
	int ok = tl_verify_file_verdict(v, "case file", &cw, &f, 0);
	if (ok && v->o->maker->load_case(f.path, sets, n_sets, c) != TL_OK) {
		tl_verify_add(v, TL_VERIFY_FAILED, "case file",
		              "%s could not be loaded (the message on standard "
		              "error says why)",
		              f.path);
		tl_verify_fail(v);
		*c = NULL;
		ok = 0;
	}
	free(f.path);
	return ok;
}

/* The files the case names and this installation's data files, each found and
 * checked (and the case's paths moved to where they were found). Returns 1 when all
 * that the analysis reads matched. */
static int check_case_files(tl_vctx_t *v, json_t *m, tl_case_t *c)
{
	int ok = check_case_inputs(v, m, c);
	ok &= check_optional(v, m, "organisations", "organisations", c ? &c->orgs_resolved : NULL);
	ok &= check_optional(v, m, "mmdb", "address database", c ? &c->mmdb_resolved : NULL);
	ok &= check_optional(v, m, "events", "events", c ? &c->events_resolved : NULL);
	ok &= check_data_files(v, m, c);
	return ok;
}

int tl_verify_case(tl_vctx_t *v, json_t *m, tl_case_t **c, const char ***sets, size_t *n_sets)
{
	check_tool(v, m);
	json_t *rep = json_object_get(m, "report");
	const char *case_path = tl_verify_jstr(rep, "case_path");
	if (!case_path || !tl_verify_jstr(json_object_get(m, "case_file"), "sha256")) {
		tl_verify_add(v, TL_VERIFY_FAILED, "case file",
		              "the manifest does not say which case file was used");
		tl_verify_fail(v);
		return 0;
	}
	if (recorded_overrides(rep, sets, n_sets) != 0) {
		tl_verify_add(v, TL_VERIFY_FAILED, "settings",
		              "the manifest's list of --set overrides is malformed");
		tl_verify_fail(v);
		return 0;
	}
	/* relative names in the manifest are relative to the case file's folder */
	char case_dir[8192];
	snprintf(case_dir, sizeof(case_dir), "%s", case_path);
	char *cs = strrchr(case_dir, '/');
	if (cs)
		*cs = '\0';
	else
		snprintf(case_dir, sizeof(case_dir), ".");
	v->case_dir = case_dir;
	int case_ok = check_case_file(v, m, *sets, *n_sets, c);
	int files_ok = check_case_files(v, m, case_ok ? *c : NULL);
	v->case_dir = NULL; /* it was this function's */
	settings_notes(v, rep, *c, *n_sets, *sets);
	if (!case_ok || !files_ok) {
		tl_verify_add(v, TL_VERIFY_SKIPPED, "analysis", "not run again: %s",
		              !case_ok ? "the case file the report was made from was not found"
		                       : "the files named in the manifest were not all found "
		                         "unchanged");
		return 0;
	}
	return 1;
}
