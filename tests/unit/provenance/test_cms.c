/* test_cms.c - detached CMS signatures: sign, verify, signer fields, every refusal, openssl CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h, whose PEM_*_CMS declarations need its macros */
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/buf.h"
#include "provenance/cms.h"
#include "util/error.h"

/* Keys and certificates made once for the whole group (RSA key generation is slow). */
static char dir[64];
static EVP_PKEY *rsa, *ec, *ed, *ca_key, *other_key, *mid_key;
static X509 *rsa_cert, *ec_cert, *ed_cert, *ca_cert, *leaf_cert, *other_cert, *mid_cert,
	*deep_cert;

static const char *const files[] = {
	"rsa.key", "rsa.crt", "rsa-enc.key", "rsa-trad.key", "ec.key", "ec.crt", "ed.key",
	"ed.crt", "ca.crt", "leaf.crt", "other.crt", "cas.crt", "empty.crt", "data.bin",
	"sig.p7s", "cli.p7s", "cli-attr.p7s", "other.bin", "chain.crt", "deep.crt", "bad-cas.crt",
};

static const char *path(const char *name)
{
	static char bufs[8][128];
	static int next;
	char *p = bufs[next++ % 8];
	snprintf(p, sizeof(bufs[0]), "%s/%s", dir, name);
	return p;
}

static void write_bytes(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(path(name), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Reads a whole file; the caller frees. */
static uint8_t *read_bytes(const char *name, size_t *len)
{
	FILE *f = fopen(path(name), "rb");
	assert_non_null(f);
	uint8_t *d = NULL;
	*len = 0;
	for (;;) {
		d = realloc(d, *len + 4096);
		assert_non_null(d);
		size_t n = fread(d + *len, 1, 4096, f);
		*len += n;
		if (n < 4096)
			break;
	}
	fclose(f);
	return d;
}

static int write_key(const char *name, EVP_PKEY *k)
{
	FILE *f = fopen(path(name), "w");
	if (!f)
		return -1;
	int ok = PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	return fclose(f) == 0 && ok == 1 ? 0 : -1;
}

static int write_certs(const char *name, X509 *a, X509 *b)
{
	FILE *f = fopen(path(name), "w");
	if (!f)
		return -1;
	int ok = PEM_write_X509(f, a) && (!b || PEM_write_X509(f, b));
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	int ok = e && X509_add_ext(x, e, -1) == 1;
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

/* A certificate for key with the fixed validity 2020-01-01 .. 2021-01-01 (long expired:
 * the chain check must not compare it with the clock). issuer NULL: self-signed. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, long serial, X509 *issuer,
		       EVP_PKEY *issuer_key, int ca)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	int ok = x && name && X509_set_version(x, 2) &&
		 ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
		 X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					    (const unsigned char *)"Example Lab", -1, -1, 0) &&
		 X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					    (const unsigned char *)cn, -1, -1, 0) &&
		 X509_set_subject_name(x, name) &&
		 X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) &&
		 X509_set_pubkey(x, key) &&
		 ASN1_TIME_set_string(X509_getm_notBefore(x), "20200101000000Z") &&
		 ASN1_TIME_set_string(X509_getm_notAfter(x), "20210101000000Z");
	X509_NAME_free(name);
	if (ok && ca)
		ok = add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") == 0 &&
		     add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") == 0;
	EVP_PKEY *signer = issuer_key ? issuer_key : key;
	const EVP_MD *md = EVP_PKEY_is_a(signer, "ED25519") ? NULL : EVP_sha256();
	if (ok)
		ok = X509_sign(x, signer, md) > 0;
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tl-test-cms-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	rsa = EVP_RSA_gen(2048);
	ec = EVP_EC_gen("P-256");
	ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	ca_key = EVP_EC_gen("P-256");
	other_key = EVP_EC_gen("P-256");
	mid_key = EVP_EC_gen("P-256");
	if (!rsa || !ec || !ed || !ca_key || !other_key || !mid_key)
		return -1;
	rsa_cert = make_cert(rsa, "tealeaves test signer", 0x1a2b3c, NULL, NULL, 0);
	ec_cert = make_cert(ec, "ec signer", 7, NULL, NULL, 0);
	ed_cert = make_cert(ed, "ed signer", 8, NULL, NULL, 0);
	ca_cert = make_cert(ca_key, "Test CA", 1, NULL, NULL, 1);
	leaf_cert = make_cert(rsa, "issued signer", 2, ca_cert, ca_key, 0);
	other_cert = make_cert(other_key, "Other CA", 3, NULL, NULL, 1);
	mid_cert = make_cert(mid_key, "Test Intermediate", 4, ca_cert, ca_key, 1);
	deep_cert = mid_cert ? make_cert(rsa, "deep signer", 5, mid_cert, mid_key, 0) : NULL;
	if (!rsa_cert || !ec_cert || !ed_cert || !ca_cert || !leaf_cert || !other_cert ||
	    !mid_cert || !deep_cert)
		return -1;
	FILE *f = fopen(path("bad-cas.crt"), "w");
	if (!f || !PEM_write_X509(f, ca_cert) ||
	    fputs("-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n", f) < 0 ||
	    fclose(f) != 0)
		return -1;
	f = fopen(path("rsa-enc.key"), "w");
	if (!f || PEM_write_PrivateKey(f, rsa, EVP_aes_256_cbc(), NULL, 0, NULL,
				       (void *)"s3cret pass") != 1 || fclose(f) != 0)
		return -1;
	BIO *b = BIO_new_file(path("rsa-trad.key"), "w");
	int ok = b && PEM_write_bio_PrivateKey_traditional(b, rsa, EVP_aes_128_cbc(), NULL, 0,
							    NULL, (void *)"s3cret pass") == 1;
	if (BIO_free(b) != 1 || !ok)
		return -1;
	f = fopen(path("empty.crt"), "w");
	if (!f || fputs("no certificates here\n", f) < 0 || fclose(f) != 0)
		return -1;
	if (write_key("rsa.key", rsa) || write_key("ec.key", ec) || write_key("ed.key", ed) ||
	    write_certs("rsa.crt", rsa_cert, NULL) || write_certs("ec.crt", ec_cert, NULL) ||
	    write_certs("ed.crt", ed_cert, NULL) || write_certs("ca.crt", ca_cert, NULL) ||
	    write_certs("leaf.crt", leaf_cert, NULL) ||
	    write_certs("other.crt", other_cert, NULL) ||
	    write_certs("cas.crt", other_cert, ca_cert) ||
	    write_certs("chain.crt", deep_cert, mid_cert) || write_certs("deep.crt", deep_cert, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(path(files[i]));
	int rc = rmdir(dir);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(ed);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(mid_key);
	X509_free(mid_cert);
	X509_free(deep_cert);
	X509_free(rsa_cert);
	X509_free(ec_cert);
	X509_free(ed_cert);
	X509_free(ca_cert);
	X509_free(leaf_cert);
	X509_free(other_cert);
	return rc;
}

/* A stand-in for a report: PDF-looking bytes with every byte value, including CR and LF
 * that a text-mode signer would alter. */
static const uint8_t *pdf(size_t *len)
{
	static uint8_t d[3000];
	static const char head[] = "%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\n";
	memcpy(d, head, sizeof(head) - 1);
	for (size_t i = sizeof(head) - 1; i < sizeof(d); i++)
		d[i] = (uint8_t)(i * 7 + (i >> 8));
	*len = sizeof(d);
	return d;
}

static void sign_ok(const uint8_t *data, size_t len, const char *key, const char *pass,
		    const char *crt, tl_buf_t *out)
{
	char err[2048] = "";
	tl_buf_init(out);
	int rc = tl_cms_sign(data, len, path(key), pass, path(crt), out, err, sizeof(err));
	if (rc != TL_OK)
		fail_msg("sign failed (%d): %s", rc, err);
	assert_true(out->len > 100);
}

static void cert_sha256(X509 *x, char hex[65])
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	assert_true(n > 0);
	unsigned char h[32];
	unsigned int hl = 0;
	assert_int_equal(EVP_Digest(der, (size_t)n, h, &hl, EVP_sha256(), NULL), 1);
	assert_int_equal(hl, 32);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	OPENSSL_free(der);
}

static void rsa_signature_verifies_and_names_the_signer(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &sig);
	tl_cms_signer_t s;
	memset(&s, 0x55, sizeof(s));
	char err[1024] = "x";
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)sig.data, sig.len, NULL, &s, err,
				       sizeof(err)), TL_OK);
	assert_string_equal(err, "");
	assert_string_equal(s.subject, "CN=tealeaves test signer,O=Example Lab");
	assert_string_equal(s.issuer, "CN=tealeaves test signer,O=Example Lab");
	assert_string_equal(s.serial, "1A2B3C");
	char want[65];
	cert_sha256(rsa_cert, want);
	assert_string_equal(s.cert_sha256, want);
	assert_string_equal(s.not_before, "2020-01-01 00:00:00 UTC");
	assert_string_equal(s.not_after, "2021-01-01 00:00:00 UTC");
	assert_string_equal(s.digest, "SHA-256");
	assert_string_equal(s.signature_alg, "rsaEncryption");
	assert_string_equal(s.key, "RSA 2048 bits");
	assert_int_equal(s.signed_attributes, 0);
	assert_int_equal(s.chain_verified, 0);

	/* The structure is what cms.h promises: detached, one signer with its certificate,
	 * no signed attributes. */
	const unsigned char *p = (const unsigned char *)sig.data;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig.len);
	assert_non_null(cms);
	assert_int_equal(CMS_is_detached(cms), 1);
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	assert_int_equal(sk_X509_num(certs), 1);
	assert_int_equal(X509_cmp(sk_X509_value(certs, 0), rsa_cert), 0);
	sk_X509_pop_free(certs, X509_free);
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	assert_int_equal(sk_CMS_SignerInfo_num(sis), 1);
	assert_true(CMS_signed_get_attr_count(sk_CMS_SignerInfo_value(sis, 0)) <= 0);
	CMS_ContentInfo_free(cms);
	tl_buf_free(&sig);
}

static void rsa_signature_is_the_same_bytes_every_run(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t a, b, c;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &a);
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* The encrypted copy of the same key signs identically. */
	sign_ok(d, len, "rsa-enc.key", "s3cret pass", "rsa.crt", &c);
	assert_int_equal(a.len, c.len);
	assert_memory_equal(a.data, c.data, a.len);
	tl_buf_free(&a);
	tl_buf_free(&b);
	tl_buf_free(&c);
}

static void changed_data_is_a_mismatch(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig, other;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &sig);
	uint8_t *copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, d, len);
	copy[1234] ^= 0x01;
	tl_cms_signer_t s;
	memset(&s, 0x55, sizeof(s));
	tl_cms_signer_t before = s;
	char err[1024];
	assert_int_equal(tl_cms_verify(copy, len, (const uint8_t *)sig.data, sig.len, NULL, &s,
				       err, sizeof(err)), TL_ESIGNATURE);
	assert_non_null(strstr(err, "the signature does not match this file: it was made for "
				    "other bytes"));
	assert_memory_equal(&s, &before, sizeof(s)); /* untouched on error */
	/* One byte fewer is a mismatch too. */
	assert_int_equal(tl_cms_verify(d, len - 1, (const uint8_t *)sig.data, sig.len, NULL, &s,
				       err, sizeof(err)), TL_ESIGNATURE);
	/* A valid signature of other bytes. */
	sign_ok(copy, len, "rsa.key", NULL, "rsa.crt", &other);
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)other.data, other.len, NULL, &s,
				       err, sizeof(err)), TL_ESIGNATURE);
	assert_non_null(strstr(err, "does not match this file"));
	assert_int_equal(tl_cms_verify(copy, len, (const uint8_t *)other.data, other.len, NULL,
				       &s, err, sizeof(err)), TL_OK);
	/* The last byte of the DER is the end of the RSA signature value: still CMS, wrong
	 * signature. */
	sig.data[sig.len - 1] ^= 0x40;
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)sig.data, sig.len, NULL, &s, err,
				       sizeof(err)), TL_ESIGNATURE);
	assert_int_equal(ERR_peek_error(), 0); /* the queue is left empty */
	free(copy);
	tl_buf_free(&sig);
	tl_buf_free(&other);
}

static void expect_format(const uint8_t *sig, size_t siglen, const char *want)
{
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_cms_signer_t s;
	char err[1024];
	int rc = tl_cms_verify(d, len, sig, siglen, NULL, &s, err, sizeof(err));
	if (rc != TL_EFORMAT || !strstr(err, want))
		fail_msg("rc %d, err \"%s\", wanted TL_EFORMAT and \"%s\"", rc, err, want);
}

static void corrupt_signature_is_a_format_error(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &sig);
	const uint8_t *der = (const uint8_t *)sig.data;

	expect_format(NULL, 0, "the signature is empty");
	expect_format(d, len, "byte 0 is 0x25, not 0x30");
	expect_format(der, 1, "cut after 1 byte");
	expect_format(der, 3, "cut inside its first length field");
	expect_format(der, sig.len - 1, "declares");
	expect_format(der, sig.len / 2, "only");
	static const uint8_t tiny[] = {0x30, 0x05, 0x02, 0x01};
	expect_format(tiny, sizeof(tiny), "declares 5 bytes after offset 2 but only 2 follow");
	static const uint8_t huge_len[] = {0x30, 0x88, 1, 2, 3, 4, 5, 6, 7, 8};
	expect_format(huge_len, sizeof(huge_len), "8-byte length");

	/* Well-formed DER that is not a ContentInfo: the signer's certificate. */
	unsigned char *cder = NULL;
	int n = i2d_X509(rsa_cert, &cder);
	assert_true(n > 0);
	expect_format(cder, (size_t)n, "not a CMS ContentInfo");
	OPENSSL_free(cder);

	/* Damage inside the structure: the OID of the content type. */
	uint8_t *bad = malloc(sig.len + 3);
	assert_non_null(bad);
	memcpy(bad, der, sig.len);
	assert_int_equal(bad[4], 0x06); /* ContentInfo.contentType, an OID of 9 bytes */
	assert_int_equal(bad[5], 0x09);
	assert_int_equal(bad[14], 0x02); /* 1.2.840.113549.1.7.2, signedData */
	bad[14] = 42;
	expect_format(bad, sig.len, "its ContentInfo has the content type 1.2.840.113549.1.7.42, "
				    "which is none of CMS's");
	memcpy(bad, der, sig.len);
	bad[4] = 0x04; /* an OCTET STRING where the OID belongs */
	expect_format(bad, sig.len, "not a CMS ContentInfo");
	/* Stray bytes after a good signature. */
	memcpy(bad, der, sig.len);
	memcpy(bad + sig.len, "xyz", 3);
	expect_format(bad, sig.len + 3, "3 stray bytes after the CMS ContentInfo that ends at "
					"offset");
	expect_format((const uint8_t *)"-----BEGIN CMS-----\nAAAA\n-----END CMS-----\n", 42,
		      "PEM but not a CMS or PKCS7 block");
	assert_int_equal(ERR_peek_error(), 0);
	free(bad);
	tl_buf_free(&sig);
}

static void pem_signatures_are_read(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &sig);
	const unsigned char *p = (const unsigned char *)sig.data;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig.len);
	assert_non_null(cms);
	BIO *b = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_CMS(b, cms), 1);
	char *pem = NULL;
	long n = BIO_get_mem_data(b, &pem);
	assert_true(n > 0);
	assert_memory_equal(pem, "-----BEGIN CMS-----", 19);
	tl_cms_signer_t s;
	char err[1024];
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)pem, (size_t)n, NULL, &s, err,
				       sizeof(err)), TL_OK);
	assert_string_equal(s.subject, "CN=tealeaves test signer,O=Example Lab");

	/* The same under the PKCS7 label (RFC 7468 10), with a leading blank line. */
	tl_buf_t relabeled;
	tl_buf_init(&relabeled);
	tl_buf_puts(&relabeled, "\n-----BEGIN PKCS7-----");
	const char *body = strchr(pem, '\n');
	const char *end = strstr(pem, "-----END CMS-----");
	assert_non_null(body);
	assert_non_null(end);
	tl_buf_append(&relabeled, body, (size_t)(end - body));
	tl_buf_puts(&relabeled, "-----END PKCS7-----\n");
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)relabeled.data, relabeled.len,
				       NULL, &s, err, sizeof(err)), TL_OK);
	assert_int_equal(tl_cms_verify(d, len - 1, (const uint8_t *)relabeled.data,
				       relabeled.len, NULL, &s, err, sizeof(err)),
			 TL_ESIGNATURE);
	/* two blocks in one file, or anything after the END line: refused, so that a file
	 * cannot verify as its first block while holding something else */
	tl_buf_t twice;
	tl_buf_init(&twice);
	tl_buf_append(&twice, pem, (size_t)n);
	tl_buf_append(&twice, pem, (size_t)n);
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)twice.data, twice.len, NULL, &s,
				       err, sizeof(err)), TL_EFORMAT);
	assert_non_null(strstr(err, "bytes after its END line"));
	tl_buf_clear(&twice);
	tl_buf_append(&twice, pem, (size_t)n);
	tl_buf_puts(&twice, "\n \t\r\n");
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)twice.data, twice.len, NULL, &s,
				       err, sizeof(err)), TL_OK);
	tl_buf_free(&twice);
	tl_buf_free(&relabeled);
	BIO_free(b);
	CMS_ContentInfo_free(cms);
	tl_buf_free(&sig);
}

static void expect_sign_error(const char *key, const char *pass, const char *crt, int want_rc,
			      const char *want)
{
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t out;
	tl_buf_init(&out);
	char err[2048];
	int rc = tl_cms_sign(d, len, path(key), pass, path(crt), &out, err, sizeof(err));
	if (rc != want_rc || !strstr(err, want))
		fail_msg("rc %d, err \"%s\", wanted %d and \"%s\"", rc, err, want_rc, want);
	assert_int_equal(out.len, 0);
	assert_int_equal(ERR_peek_error(), 0);
	tl_buf_free(&out);
}

static void key_and_certificate_errors_are_explained(void **state)
{
	(void)state;
	char msg[512];
	snprintf(msg, sizeof(msg), "the certificate %s does not match the private key %s",
		 path("rsa.crt"), path("ec.key"));
	expect_sign_error("ec.key", NULL, "rsa.crt", TL_EINVAL, msg);
	snprintf(msg, sizeof(msg), "the private key %s is encrypted and no passphrase was given",
		 path("rsa-enc.key"));
	expect_sign_error("rsa-enc.key", NULL, "rsa.crt", TL_EINVAL, msg);
	expect_sign_error("rsa-trad.key", NULL, "rsa.crt", TL_EINVAL,
			  "is encrypted and no passphrase was given");
	snprintf(msg, sizeof(msg), "the passphrase does not decrypt the private key %s",
		 path("rsa-enc.key"));
	expect_sign_error("rsa-enc.key", "wrong", "rsa.crt", TL_EINVAL, msg);
	expect_sign_error("rsa-trad.key", "wrong", "rsa.crt", TL_EINVAL,
			  "the passphrase does not decrypt");
	snprintf(msg, sizeof(msg), "cannot open the private key %s: No such file",
		 path("missing.key"));
	expect_sign_error("missing.key", NULL, "rsa.crt", TL_ENOENT, msg);
	snprintf(msg, sizeof(msg), "cannot open the certificate %s: No such file",
		 path("missing.crt"));
	expect_sign_error("rsa.key", NULL, "missing.crt", TL_ENOENT, msg);
	snprintf(msg, sizeof(msg), "%s holds no PEM private key", path("rsa.crt"));
	expect_sign_error("rsa.crt", NULL, "rsa.crt", TL_EFORMAT, msg);
	snprintf(msg, sizeof(msg), "the certificate %s holds no PEM certificate", path("rsa.key"));
	expect_sign_error("rsa.key", NULL, "rsa.key", TL_EFORMAT, msg);

	/* Both encrypted forms work with the passphrase. */
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig;
	sign_ok(d, len, "rsa-trad.key", "s3cret pass", "rsa.crt", &sig);
	tl_buf_free(&sig);
}

static void ecdsa_signatures_verify_but_differ(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t a, b;
	sign_ok(d, len, "ec.key", NULL, "ec.crt", &a);
	sign_ok(d, len, "ec.key", NULL, "ec.crt", &b);
	/* A random nonce per ECDSA signature (cms.h). */
	assert_false(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	tl_cms_signer_t s;
	char err[1024];
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)a.data, a.len, NULL, &s, err,
				       sizeof(err)), TL_OK);
	assert_string_equal(s.signature_alg, "ecdsa-with-SHA256");
	assert_string_equal(s.key, "EC prime256v1 256 bits");
	assert_string_equal(s.digest, "SHA-256");
	assert_string_equal(s.subject, "CN=ec signer,O=Example Lab");
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)b.data, b.len, NULL, &s, err,
				       sizeof(err)), TL_OK);
	assert_int_equal(tl_cms_verify(d, len - 1, (const uint8_t *)b.data, b.len, NULL, &s, err,
				       sizeof(err)), TL_ESIGNATURE);
	tl_buf_free(&a);
	tl_buf_free(&b);
}

static void ed25519_depends_on_the_openssl_version(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	if (OpenSSL_version_num() < 0x30200000UL) {
		/* OpenSSL 3.0 and 3.1 have no EdDSA in CMS (RFC 8419). */
		char msg[512];
		snprintf(msg, sizeof(msg), "cannot make CMS signatures with the ED25519 key in %s",
			 path("ed.key"));
		expect_sign_error("ed.key", NULL, "ed.crt", TL_EUNSUPPORTED, msg);
		expect_sign_error("ed.key", NULL, "ed.crt", TL_EUNSUPPORTED, "use an RSA or ECDSA key");
		return;
	}
	tl_buf_t a, b;
	sign_ok(d, len, "ed.key", NULL, "ed.crt", &a);
	sign_ok(d, len, "ed.key", NULL, "ed.crt", &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	tl_buf_free(&a);
	tl_buf_free(&b);
}

static void expect_verify(const tl_buf_t *sig, const char *ca, int want_rc, int want_chain,
			  const char *want_err)
{
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_cms_signer_t s;
	memset(&s, 0, sizeof(s));
	s.chain_verified = 7;
	char err[2048];
	int rc = tl_cms_verify(d, len, (const uint8_t *)sig->data, sig->len, ca ? path(ca) : NULL,
			       &s, err, sizeof(err));
	if (rc != want_rc || (want_err && !strstr(err, want_err)))
		fail_msg("rc %d, err \"%s\", wanted %d and \"%s\"", rc, err, want_rc,
			 want_err ? want_err : "");
	if (rc == TL_OK)
		assert_int_equal(s.chain_verified, want_chain);
	else
		assert_int_equal(s.chain_verified, 7);
}

static void chain_is_checked_against_the_ca_file(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t self, issued;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &self);
	sign_ok(d, len, "rsa.key", NULL, "leaf.crt", &issued);

	/* The self-signed certificate as its own trust anchor; it expired in 2021, and
	 * validity periods are not compared with the clock (cms.h). */
	expect_verify(&self, "rsa.crt", TL_OK, 1, NULL);
	expect_verify(&self, NULL, TL_OK, 0, NULL);
	char msg[512];
	snprintf(msg, sizeof(msg), "the signer's certificate does not chain to a trusted "
		 "certificate in %s", path("other.crt"));
	expect_verify(&self, "other.crt", TL_EUNTRUSTED, 0, msg);
	expect_verify(&self, "other.crt", TL_EUNTRUSTED, 0,
		      "(Verify error: self-signed certificate)");

	/* A certificate issued by a CA: trusted through it, also when the CA file holds
	 * other certificates first. */
	expect_verify(&issued, "ca.crt", TL_OK, 1, NULL);
	expect_verify(&issued, "cas.crt", TL_OK, 1, NULL);
	expect_verify(&issued, "other.crt", TL_EUNTRUSTED, 0,
		      "(Verify error: unable to get local issuer certificate)");
	expect_verify(&issued, NULL, TL_OK, 0, NULL);

	/* A mismatch is reported as such whatever the trust. */
	tl_cms_signer_t s;
	char err[1024];
	assert_int_equal(tl_cms_verify(d, len - 1, (const uint8_t *)issued.data, issued.len,
				       path("other.crt"), &s, err, sizeof(err)), TL_ESIGNATURE);

	/* CA files that cannot be used. */
	snprintf(msg, sizeof(msg), "the CA file %s holds no PEM certificate", path("empty.crt"));
	expect_verify(&issued, "empty.crt", TL_EFORMAT, 0, msg);
	snprintf(msg, sizeof(msg), "cannot open the CA file %s: No such file", path("none.crt"));
	expect_verify(&issued, "none.crt", TL_ENOENT, 0, msg);

	snprintf(msg, sizeof(msg), "the CA file %s: PEM certificate 2 cannot be read",
		 path("bad-cas.crt"));
	expect_verify(&issued, "bad-cas.crt", TL_EFORMAT, 0, msg);

	tl_cms_signer_t ok;
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)issued.data, issued.len,
				       path("ca.crt"), &ok, err, sizeof(err)), TL_OK);
	assert_string_equal(ok.subject, "CN=issued signer,O=Example Lab");
	assert_string_equal(ok.issuer, "CN=Test CA,O=Example Lab");
	assert_string_equal(ok.serial, "02");

	/* Through an intermediate CA: it travels in the SignedData when the certificate file
	 * holds it after the signer's; without it the chain cannot be built from the root. */
	tl_buf_t deep, alone;
	sign_ok(d, len, "rsa.key", NULL, "chain.crt", &deep);
	sign_ok(d, len, "rsa.key", NULL, "deep.crt", &alone);
	assert_true(deep.len > alone.len);
	expect_verify(&deep, "ca.crt", TL_OK, 1, NULL);
	expect_verify(&alone, "ca.crt", TL_EUNTRUSTED, 0,
		      "(Verify error: unable to get local issuer certificate)");
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)deep.data, deep.len,
				       path("ca.crt"), &ok, err, sizeof(err)), TL_OK);
	assert_string_equal(ok.subject, "CN=deep signer,O=Example Lab");
	assert_string_equal(ok.issuer, "CN=Test Intermediate,O=Example Lab");
	char want[65];
	cert_sha256(deep_cert, want);
	assert_string_equal(ok.cert_sha256, want);
	tl_buf_free(&deep);
	tl_buf_free(&alone);
	tl_buf_free(&self);
	tl_buf_free(&issued);
}

/* Builds a SignedData with OpenSSL directly, for shapes tl_cms_sign never makes. */
static void make_cms(const uint8_t *d, size_t len, const EVP_MD *md, unsigned flags,
		     tl_buf_t *out)
{
	BIO *in = BIO_new_mem_buf(d, (int)len);
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
	assert_non_null(cms);
	assert_non_null(CMS_add1_signer(cms, rsa_cert, rsa, md, flags));
	assert_int_equal(CMS_final(cms, in, NULL, flags), 1);
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);
	assert_true(n > 0);
	tl_buf_init(out);
	tl_buf_append(out, der, (size_t)n);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
}

static void unsupported_shapes_are_refused(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig;
	make_cms(d, len, EVP_sha1(), CMS_DETACHED | CMS_BINARY | CMS_NOATTR, &sig);
	expect_verify(&sig, NULL, TL_EUNSUPPORTED, 0, "uses the digest SHA-1, which is not safe");
	tl_buf_free(&sig);
	make_cms(d, len, EVP_sha256(), CMS_BINARY | CMS_NOATTR, &sig);
	expect_verify(&sig, NULL, TL_EUNSUPPORTED, 0, "carries its own content");
	tl_buf_free(&sig);
	make_cms(d, len, EVP_sha256(), CMS_DETACHED | CMS_BINARY | CMS_NOATTR | CMS_NOCERTS,
		 &sig);
	expect_verify(&sig, NULL, TL_EUNSUPPORTED, 0, "does not carry its signer's certificate");
	tl_buf_free(&sig);

	/* SHA-512 and signed attributes (what `openssl cms -sign` makes) are fine. */
	make_cms(d, len, EVP_sha512(), CMS_DETACHED | CMS_BINARY, &sig);
	tl_cms_signer_t s;
	char err[1024];
	assert_int_equal(tl_cms_verify(d, len, (const uint8_t *)sig.data, sig.len, NULL, &s, err,
				       sizeof(err)), TL_OK);
	assert_string_equal(s.digest, "SHA-512");
	assert_int_equal(s.signed_attributes, 1);
	assert_int_equal(tl_cms_verify(d, len - 1, (const uint8_t *)sig.data, sig.len, NULL, &s,
				       err, sizeof(err)), TL_ESIGNATURE);
	tl_buf_free(&sig);

	/* A CMS that is not SignedData: a digest-only message (RFC 5652 7). */
	BIO *in = BIO_new_mem_buf(d, (int)len);
	CMS_ContentInfo *dg = CMS_digest_create(in, EVP_sha256(), CMS_BINARY);
	assert_non_null(dg);
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(dg, &der);
	assert_true(n > 0);
	tl_buf_init(&sig);
	tl_buf_append(&sig, der, (size_t)n);
	expect_verify(&sig, NULL, TL_EUNSUPPORTED, 0, "not SignedData");
	OPENSSL_free(der);
	CMS_ContentInfo_free(dg);
	BIO_free(in);
	tl_buf_free(&sig);
}

/* Index of the last occurrence of needle in hay, or -1. */
static long last_index(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	for (size_t i = n - m + 1; i-- > 0;)
		if (memcmp(hay + i, needle, m) == 0)
			return (long)i;
	return -1;
}

/* OpenSSL 3.0 itself accepts these damaged signatures as valid (it matches an unknown
 * digest OID to the digest it computed, and ignores eContentType without signed
 * attributes); tl_cms_verify must not. */
static void fields_openssl_ignores_are_checked(void **state)
{
	(void)state;
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &sig);
	uint8_t *der = (uint8_t *)sig.data;
	static const uint8_t sha256_oid[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
					     0x03, 0x04, 0x02, 0x01};
	long at = last_index(der, sig.len, sha256_oid, sizeof(sha256_oid));
	assert_true(at > 100); /* the SignerInfo's, after the certificate */
	der[at + 10] = 0x7f;   /* 2.16.840.1.101.3.4.2.127: no such digest */
	expect_verify(&sig, NULL, TL_EUNSUPPORTED,
		      0, "the digest algorithm 2.16.840.1.101.3.4.2.127, which is not one of");
	der[at + 10] = 0x01;
	expect_verify(&sig, NULL, TL_OK, 0, NULL);

	static const uint8_t data_oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
					   0x01, 0x07, 0x01};
	at = last_index(der, 80, data_oid, sizeof(data_oid));
	assert_true(at > 0); /* encapContentInfo.eContentType */
	der[at + 10] = 0x05; /* digestedData */
	expect_verify(&sig, NULL, TL_EUNSUPPORTED, 0,
		      "over content of type 1.2.840.113549.1.7.5, not id-data");
	tl_buf_free(&sig);
}

static int have_openssl_cli(void)
{
	return system("openssl version >/dev/null 2>&1") == 0;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The openssl command line agrees: it verifies our output, makes the very same bytes from
 * the same key with -noattr, and its default signatures (with signed attributes) verify
 * with ours. */
static void openssl_cli_agrees(void **state)
{
	(void)state;
	if (!have_openssl_cli())
		skip();
	size_t len;
	const uint8_t *d = pdf(&len);
	tl_buf_t sig;
	sign_ok(d, len, "rsa.key", NULL, "rsa.crt", &sig);
	write_bytes("data.bin", d, len);
	write_bytes("sig.p7s", sig.data, sig.len);
#define VERIFY "openssl cms -verify -binary -inform DER -in %s -content %s -noverify " \
	"-out /dev/null 2>/dev/null"
	assert_int_equal(run(VERIFY, path("sig.p7s"), path("data.bin")), 0);
	assert_int_equal(run("openssl cms -verify -binary -inform DER -in %s -content %s "
			     "-CAfile %s -no_check_time -out /dev/null 2>/dev/null",
			     path("sig.p7s"), path("data.bin"), path("rsa.crt")), 0);
	uint8_t *other = malloc(len);
	assert_non_null(other);
	memcpy(other, d, len);
	other[0] ^= 1;
	write_bytes("other.bin", other, len);
	assert_true(run(VERIFY, path("sig.p7s"), path("other.bin")) != 0);

	assert_int_equal(run("openssl cms -sign -binary -noattr -md sha256 -signer %s -inkey %s "
			     "-in %s -outform DER -out %s", path("rsa.crt"), path("rsa.key"),
			     path("data.bin"), path("cli.p7s")), 0);
	size_t clen;
	uint8_t *cli = read_bytes("cli.p7s", &clen);
	assert_int_equal(clen, sig.len);
	assert_memory_equal(cli, sig.data, clen);
	free(cli);

	assert_int_equal(run("openssl cms -sign -binary -signer %s -inkey %s -in %s -outform PEM "
			     "-out %s", path("rsa.crt"), path("rsa.key"), path("data.bin"),
			     path("cli-attr.p7s")), 0);
	cli = read_bytes("cli-attr.p7s", &clen);
	tl_cms_signer_t s;
	char err[1024];
	assert_int_equal(tl_cms_verify(d, len, cli, clen, NULL, &s, err, sizeof(err)), TL_OK);
	assert_int_equal(s.signed_attributes, 1);
	assert_string_equal(s.subject, "CN=tealeaves test signer,O=Example Lab");
	assert_int_equal(tl_cms_verify(other, len, cli, clen, NULL, &s, err, sizeof(err)),
			 TL_ESIGNATURE);
	free(cli);
	free(other);
	tl_buf_free(&sig);
}

static void codes_are_explained(void **state)
{
	(void)state;
	assert_string_equal(tl_strerror(TL_ESIGNATURE),
			    "the signature does not match the signed file");
	assert_string_equal(tl_strerror(TL_EUNTRUSTED),
			    "the signer's certificate is not trusted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rsa_signature_verifies_and_names_the_signer),
		cmocka_unit_test(rsa_signature_is_the_same_bytes_every_run),
		cmocka_unit_test(changed_data_is_a_mismatch),
		cmocka_unit_test(corrupt_signature_is_a_format_error),
		cmocka_unit_test(pem_signatures_are_read),
		cmocka_unit_test(key_and_certificate_errors_are_explained),
		cmocka_unit_test(ecdsa_signatures_verify_but_differ),
		cmocka_unit_test(ed25519_depends_on_the_openssl_version),
		cmocka_unit_test(chain_is_checked_against_the_ca_file),
		cmocka_unit_test(unsupported_shapes_are_refused),
		cmocka_unit_test(fields_openssl_ignores_are_checked),
		cmocka_unit_test(openssl_cli_agrees),
		cmocka_unit_test(codes_are_explained),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
