/* fuzz_case.c - libFuzzer harness: the input is a case file for tl_case_load.
 *
 * The input is written to "case.ini" in a temporary directory made once per process (and
 * removed at exit) that holds nothing else, so relative paths in the case resolve to files
 * that do not exist. A case that loads is written as JSON, then given a fixed list of
 * overrides (some valid, some refused) and written again; each JSON text must parse
 * (jansson) as one object, and every refused override must leave a message naming it. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/json/case.h"
#include "case/case.h"
#include "fuzz_common.h"
#include "util/buf.h"
#include "util/error.h"

static char base[64];    /* the per-process temporary directory */
static char path[96];    /* base/case.ini */

static void remove_base(void)
{
	if (path[0])
		unlink(path);
	if (base[0])
		rmdir(base);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0] || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(base, sizeof(base), "%s/fuzz_case.XXXXXX", tmp);
	if (!mkdtemp(base)) {
		perror("fuzz_case: mkdtemp");
		abort();
	}
	snprintf(path, sizeof(path), "%s/case.ini", base);
	atexit(remove_base);
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (size) {
		ssize_t n = write(fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			abort();
		data += n;
		size -= (size_t)n;
	}
	if (close(fd) != 0)
		abort();
}

/* Writes c as JSON and checks that the text is one well-formed JSON object. */
static void check_json(const tl_case_t *c)
{
	static tl_buf_t out;
	static int init;
	tl_json_t j;
	json_error_t jerr;

	if (!init) {
		tl_buf_init(&out);
		init = 1;
	}
	tl_buf_clear(&out);
	tl_json_init(&j, &out, 0);
	tl_case_write_json(c, &j);
	/* As reals: jansson's integers stop at INT64_MAX, a seed may be up to 2^64 - 1. */
	json_t *v = json_loadb(out.data ? out.data : "", out.len, JSON_DECODE_INT_AS_REAL, &jerr);
	if (!v || !json_is_object(v)) {
		fprintf(stderr, "fuzz_case: tl_case_write_json wrote invalid JSON (%s at %d): %.*s\n",
			jerr.text, jerr.position, (int)out.len, out.data ? out.data : "");
		abort();
	}
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Overrides as a user could type them: valid ones, and refused ones (unknown section,
	 * a bad value, too many decimals, no key). */
	static const char *const overrides[][2] = {
		{"analysis.seed", "7"},
		{"analysis.alpha", "0.0000001"},
		{"analysis.permutations", "0"},
		{"target.names", "Example.COM, mail.example."},
		{"target.ips", "192.0.2.7, 2001:db8::7"},
		{"evidence.extra", "extra.pcap"},
		{"evidence.extra.sha256",
		 "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"},
		{"evidence.extra.offset", "-1.5s"},
		{"case.examiner", "Jane Roe; John Doe"},
		{"case.report_date", "2016-02-30"},
		{"sources.timezone.Example Org", "Europe/Berlin"},
		{"events.window_before", "2h"},
		{"report.language", "de"},
		{"report.template", "my/own.tmpl"},
		{"nosection.key", "1"},
		{"case.", "x"},
		{"analysis", "1"},
	};
	static int init;
	char err[4096];
	tl_case_t *c = NULL;

	if (!init) {
		setup();
		init = 1;
	}
	write_input(data, size);
	err[0] = '\0';
	int rc = tl_case_load(path, &c, err, sizeof(err));
	if (rc != TL_OK) {
		/* Every refusal names the case file. */
		if (c != NULL || memchr(err, '\0', sizeof(err)) == NULL ||
		    strncmp(err, path, strlen(path)) != 0)
			abort();
		return 0;
	}
	check_json(c);
	(void)tl_case_org_zone(c, "Example Org");
	int zone_set = 0;
	for (size_t i = 0; i < sizeof(overrides) / sizeof(overrides[0]); i++) {
		err[0] = '\0';
		rc = tl_case_override(c, overrides[i][0], overrides[i][1], err, sizeof(err));
		if (rc != TL_OK && (rc != TL_EINVAL || strncmp(err, "override ", 9) != 0))
			abort();
		if (rc == TL_OK && strncmp(overrides[i][0], "sources.timezone.", 17) == 0)
			zone_set = 1;
	}
	check_json(c);
	/* An accepted timezone.<org> override is what the lookup then returns. */
	if (zone_set && tl_case_org_zone(c, "Example Org") == NULL)
		abort();
	tl_case_free(c);
	return 0;
}
