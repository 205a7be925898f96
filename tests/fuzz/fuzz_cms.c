/* fuzz_cms.c - libFuzzer harness: the input is a detached CMS signature for tl_cms_verify.
 *
 * Two checks per input, without a CA (ca_path NULL):
 *  1. the whole input as the signature (DER or PEM) over FUZZ_DATA, the bytes the seeds
 *     were signed over;
 *  2. the input split: its last byte n says that the n bytes before it are the data and
 *     everything before those is the signature (seed split_data.bin is a signature over
 *     "split data\n", then those 11 bytes, then 0x0b).
 * A signature that verifies must stop verifying when one byte of its data changes: if
 * both verify, the signature does not bind the bytes and the harness aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "provenance/cms.h"
#include "util/error.h"

#define FUZZ_DATA "tealeaves fuzz data\n"

/* Every text field must be a terminated string inside its array. */
static void check_signer(const tl_cms_signer_t *s)
{
	const char *const fields[] = {s->subject, s->issuer, s->serial, s->cert_sha256,
				      s->not_before, s->not_after, s->digest, s->signature_alg,
				      s->key};
	const size_t sizes[] = {sizeof(s->subject), sizeof(s->issuer), sizeof(s->serial),
				sizeof(s->cert_sha256), sizeof(s->not_before),
				sizeof(s->not_after), sizeof(s->digest),
				sizeof(s->signature_alg), sizeof(s->key)};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (memchr(fields[i], '\0', sizes[i]) == NULL)
			abort();
	if (strlen(s->cert_sha256) != 64 || s->chain_verified != 0)
		abort();
}

static void verify_one(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen)
{
	tl_cms_signer_t signer;
	char err[512];

	err[0] = '\0';
	int rc = tl_cms_verify(data, len, sig, siglen, NULL, &signer, err, sizeof(err));
	if (rc != TL_OK) {
		/* Every refusal says why, and the code has an explanation. */
		if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL ||
		    tl_strerror(rc) == NULL)
			abort();
		return;
	}
	check_signer(&signer);

	/* The same signature over data with one byte changed (or one byte more) must fail. */
	uint8_t *other = malloc(len + 1);
	if (!other)
		abort();
	size_t olen = len;
	if (len) {
		memcpy(other, data, len);
		other[len / 2] ^= 0x01;
	} else {
		other[0] = 'x';
		olen = 1;
	}
	err[0] = '\0';
	rc = tl_cms_verify(other, olen, sig, siglen, NULL, &signer, err, sizeof(err));
	free(other);
	if (rc == TL_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t fixed[] = FUZZ_DATA;

	verify_one(fixed, sizeof(fixed) - 1, data, size);

	if (size >= 1) {
		size_t n = data[size - 1];
		if (n < size) {
			size_t siglen = size - 1 - n;
			/* Exact-size copies, so that reads past either part trip ASan. */
			uint8_t *sig = malloc(siglen ? siglen : 1);
			uint8_t *d = malloc(n ? n : 1);
			if (!sig || !d)
				abort();
			memcpy(sig, data, siglen);
			memcpy(d, data + siglen, n);
			verify_one(d, n, sig, siglen);
			free(sig);
			free(d);
		}
	}
	return 0;
}
