/* cms.c - the only user of OpenSSL's CMS API: detached SignedData (RFC 5652) sign and verify. */
#include "provenance/cms.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h, whose PEM_*_CMS declarations need its macros */
#include <openssl/cms.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "util/cursor.h"
#include "util/error.h"
#include "util/file.h"
#include "util/sha256.h"
#include "util/xmalloc.h"

/* Our SignerInfo: no signed attributes, so no signingTime from the clock (RFC 5652 5.3,
 * 11.3) and the signature covers the content's digest directly (5.4); no S/MIME
 * capabilities either (they are a signed attribute). */
#define SIGN_FLAGS (CMS_DETACHED | CMS_BINARY | CMS_NOATTR | CMS_NOSMIMECAP)

/* OpenSSL error codes seen while draining its queue, so callers can tell a content
 * mismatch from a chain failure without parsing text. */
#define QUEUE_MAX_CODES 16
struct ssl_errors {
	char text[1024];
	unsigned long codes[QUEUE_MAX_CODES];
	int ncodes;
};

/* Empties OpenSSL's error queue (it is per thread) into q: each error as
 * ERR_error_string_n gives it, with the extra data some errors carry (the X.509 verify
 * error's text, for one), joined by "; ". */
static void drain_errors(struct ssl_errors *q)
{
	size_t used = 0;
	const char *data = NULL;
	int flags = 0;
	unsigned long e;
	q->text[0] = '\0';
	q->ncodes = 0;
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		char one[256];
		ERR_error_string_n(e, one, sizeof(one));
		if (q->ncodes < QUEUE_MAX_CODES)
			q->codes[q->ncodes++] = e;
		if (used + 1 >= sizeof(q->text))
			continue;
		int n = snprintf(q->text + used, sizeof(q->text) - used, "%s%s%s%s%s",
				 used ? "; " : "", one, (flags & ERR_TXT_STRING) && data && *data ?
				 " (" : "", (flags & ERR_TXT_STRING) && data ? data : "",
				 (flags & ERR_TXT_STRING) && data && *data ? ")" : "");
		if (n < 0)
			break;
		used += (size_t)n;
		if (used >= sizeof(q->text))
			used = sizeof(q->text) - 1;
	}
}

static int saw_reason(const struct ssl_errors *q, int lib, int reason)
{
	for (int i = 0; i < q->ncodes; i++)
		if (ERR_GET_LIB(q->codes[i]) == lib && ERR_GET_REASON(q->codes[i]) == reason)
			return 1;
	return 0;
}

/* Writes our sentence into err, then " [OpenSSL: ...]" with the queue text if q has any;
 * returns code. */
static int fail_q(int code, const struct ssl_errors *q, char *err, size_t errlen,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail_q(int code, const struct ssl_errors *q, char *err, size_t errlen,
		  const char *fmt, ...)
{
	if (!err || !errlen)
		return code;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < errlen && q && q->text[0])
		snprintf(err + n, errlen - (size_t)n, " [OpenSSL: %s]", q->text);
	return code;
}

/* Like fail_q, draining the queue first. */
static int fail(int code, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	struct ssl_errors q;
	drain_errors(&q);
	if (!err || !errlen)
		return code;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < errlen && q.text[0])
		snprintf(err + n, errlen - (size_t)n, " [OpenSSL: %s]", q.text);
	return code;
}

/* Reads a whole (small) file into b; what names it in messages ("the private key").
 * A pipe is fine (a key given as <(pass show key)). The reader allocates once for a
 * regular file, so key material is not left behind in freed buffers; wipe_buf clears
 * the one copy. */
static int read_file(const char *path, const char *what, tl_buf_t *b, char *err, size_t errlen)
{
	char *data = NULL;
	size_t len = 0;
	int rc = tl_file_read_any(path, TL_CMS_MAX_PEM_FILE, &data, &len);
	if (rc == TL_ELIMIT)
		return fail(TL_ELIMIT, err, errlen, "%s %s is larger than %u bytes", what, path,
			    TL_CMS_MAX_PEM_FILE);
	if (rc == TL_EIO) /* errno says why; a directory was found by reading it before */
		return fail(tl_errno_to_err(errno), err, errlen, "cannot read %s %s: %s", what,
			    path, strerror(errno));
	if (rc != TL_OK)
		return fail(rc, err, errlen, "cannot open %s %s: %s", what, path, strerror(errno));
	tl_buf_free(b);
	b->data = data; /* NUL-terminated, as a tl_buf_t's data always is */
	b->len = len;
	b->cap = len + 1;
	return TL_OK;
}

static void wipe_buf(tl_buf_t *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->cap);
	tl_buf_free(b);
}

/* Passphrase callback: hands over the caller's passphrase, never prompts. */
struct pass_ctx {
	const char *pass;
	int asked;    /* OpenSSL wanted a passphrase: the key is encrypted */
	int too_long; /* the passphrase did not fit OpenSSL's buffer */
};

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	(void)rwflag;
	struct pass_ctx *p = u;
	if (!p)
		return -1; /* certificates and CMS need no passphrase */
	p->asked = 1;
	if (!p->pass || size <= 0)
		return -1;
	size_t n = strlen(p->pass);
	if (n > (size_t)size) {
		p->too_long = 1;
		return -1;
	}
	memcpy(buf, p->pass, n);
	return (int)n;
}

static int load_key(const char *path, const char *pass, EVP_PKEY **key, char *err,
		    size_t errlen)
{
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = read_file(path, "the private key", &b, err, errlen);
	if (rc != TL_OK) {
		wipe_buf(&b);
		return rc;
	}
	BIO *bio = BIO_new_mem_buf(b.len ? b.data : "", (int)b.len);
	if (!bio) {
		wipe_buf(&b);
		return fail(TL_ENOMEM, err, errlen, "cannot read the private key %s", path);
	}
	struct pass_ctx pc = {pass, 0, 0};
	*key = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &pc);
	BIO_free(bio);
	wipe_buf(&b);
	if (*key)
		return TL_OK;
	if (pc.asked && !pass)
		return fail(TL_EINVAL, err, errlen,
			    "the private key %s is encrypted and no passphrase was given", path);
	if (pc.too_long)
		return fail(TL_EINVAL, err, errlen,
			    "the passphrase for the private key %s is too long", path);
	if (pc.asked)
		return fail(TL_EINVAL, err, errlen,
			    "the passphrase does not decrypt the private key %s", path);
	return fail(TL_EFORMAT, err, errlen, "%s holds no PEM private key", path);
}

/* Reads every PEM certificate in path into *certs (at least one). */
static int load_certs(const char *path, const char *what, STACK_OF(X509) **certs, char *err,
		      size_t errlen)
{
	tl_buf_t b;
	tl_buf_init(&b);
	int rc = read_file(path, what, &b, err, errlen);
	if (rc != TL_OK) {
		tl_buf_free(&b);
		return rc;
	}
	BIO *bio = BIO_new_mem_buf(b.len ? b.data : "", (int)b.len);
	STACK_OF(X509) *sk = sk_X509_new_null();
	if (!bio || !sk) {
		BIO_free(bio);
		sk_X509_free(sk);
		tl_buf_free(&b);
		return fail(TL_ENOMEM, err, errlen, "cannot read %s %s", what, path);
	}
	X509 *x;
	while ((x = PEM_read_bio_X509(bio, NULL, pass_cb, NULL)) != NULL) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			sk_X509_pop_free(sk, X509_free);
			BIO_free(bio);
			tl_buf_free(&b);
			return fail(TL_ENOMEM, err, errlen, "cannot read %s %s", what, path);
		}
	}
	BIO_free(bio);
	tl_buf_free(&b);
	/* Reading ends with "no start line" when no further CERTIFICATE block follows (other
	 * blocks are skipped); any other error is a damaged certificate, not the end. */
	unsigned long e = ERR_peek_last_error();
	int n = sk_X509_num(sk);
	if (e && !(ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)) {
		sk_X509_pop_free(sk, X509_free);
		return fail(TL_EFORMAT, err, errlen, "%s %s: PEM certificate %d cannot be read",
			    what, path, n + 1);
	}
	if (n <= 0) {
		sk_X509_free(sk);
		return fail(TL_EFORMAT, err, errlen, "%s %s holds no PEM certificate", what, path);
	}
	ERR_clear_error();
	*certs = sk;
	return TL_OK;
}

static int is_eddsa(const EVP_PKEY *key)
{
	return EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448");
}

int tl_cms_sign(const uint8_t *data, size_t len, const char *key_path, const char *pass,
		const char *cert_path, tl_buf_t *out, char *err, size_t errlen)
{
	ERR_clear_error();
	if (err && errlen)
		err[0] = '\0';
	if (!key_path || !cert_path || !out || (!data && len))
		return fail(TL_EINVAL, err, errlen, "CMS signing needs data, a key and a certificate");
	if (len > INT_MAX)
		return fail(TL_ELIMIT, err, errlen,
			    "cannot sign %zu bytes: OpenSSL's memory BIO takes at most %d", len,
			    INT_MAX);

	EVP_PKEY *key = NULL;
	STACK_OF(X509) *certs = NULL;
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL;
	unsigned char *der = NULL;
	int rc = load_key(key_path, pass, &key, err, errlen);
	if (rc != TL_OK)
		goto done;
	rc = load_certs(cert_path, "the certificate", &certs, err, errlen);
	if (rc != TL_OK)
		goto done;
	X509 *cert = sk_X509_value(certs, 0);
	if (X509_check_private_key(cert, key) != 1) {
		rc = fail(TL_EINVAL, err, errlen,
			  "the certificate %s does not match the private key %s: it certifies "
			  "another key", cert_path, key_path);
		goto done;
	}

	/* RFC 8419 3.1: with EdDSA the digest algorithm is SHA-512 (Ed25519). */
	const EVP_MD *md = is_eddsa(key) ? EVP_sha512() : EVP_sha256();
	cms = CMS_sign(NULL, NULL, NULL, NULL, SIGN_FLAGS | CMS_PARTIAL);
	if (!cms) {
		rc = fail(TL_ENOMEM, err, errlen, "cannot start a CMS SignedData");
		goto done;
	}
	/* Adds the certificate to SignedData.certificates too (no CMS_NOCERTS). */
	if (!CMS_add1_signer(cms, cert, key, md, SIGN_FLAGS)) {
		rc = fail(TL_EUNSUPPORTED, err, errlen,
			  "OpenSSL cannot sign CMS with the %s key in %s", EVP_PKEY_get0_type_name(key),
			  key_path);
		goto done;
	}
	/* Further certificates in cert_path (intermediate CAs) go along, in file order, so a
	 * verifier holding only the root can build the chain (RFC 5652 5.1). */
	for (int i = 1; i < sk_X509_num(certs); i++) {
		if (CMS_add1_cert(cms, sk_X509_value(certs, i)) != 1) {
			rc = fail(TL_EFORMAT, err, errlen, "cannot add certificate %d of %s", i + 1,
				  cert_path);
			goto done;
		}
	}
	in = BIO_new_mem_buf(len ? (const void *)data : "", (int)len);
	if (!in || CMS_final(cms, in, NULL, SIGN_FLAGS) != 1) {
		if (is_eddsa(key))
			rc = fail(TL_EUNSUPPORTED, err, errlen,
				  "%s cannot make CMS signatures with the %s key in %s (RFC 8419 "
				  "EdDSA in CMS is missing from OpenSSL 3.0 and 3.1); use an RSA "
				  "or ECDSA key", OpenSSL_version(OPENSSL_VERSION),
				  EVP_PKEY_get0_type_name(key), key_path);
		else
			rc = fail(TL_EUNSUPPORTED, err, errlen,
				  "OpenSSL could not sign with the %s key in %s",
				  EVP_PKEY_get0_type_name(key), key_path);
		goto done;
	}
	int n = i2d_CMS_ContentInfo(cms, &der);
	if (n <= 0) {
		rc = fail(TL_ENOMEM, err, errlen, "cannot encode the CMS signature");
		goto done;
	}

	/* Never hand out a signature that does not verify over these bytes. */
	tl_cms_signer_t s;
	char verr[1024];
	rc = tl_cms_verify(data, len, der, (size_t)n, NULL, &s, verr, sizeof(verr));
	if (rc != TL_OK) {
		rc = fail(rc == TL_ESIGNATURE ? TL_EUNSUPPORTED : rc, err, errlen,
			  "the signature made with %s and %s does not verify: %s", key_path,
			  cert_path, verr);
		goto done;
	}
	tl_buf_append(out, der, (size_t)n);
	rc = TL_OK;
done:
	OPENSSL_free(der);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	sk_X509_pop_free(certs, X509_free);
	EVP_PKEY_free(key);
	ERR_clear_error();
	return rc;
}

/* Copies n bytes of src (not NUL-terminated) into dst; too long: cut, ending in "...". */
static void set_field(char *dst, size_t size, const char *src, size_t n)
{
	if (n < size) {
		memcpy(dst, src, n);
		dst[n] = '\0';
		return;
	}
	memcpy(dst, src, size - 4);
	memcpy(dst + size - 4, "...", 4);
}

static void set_name(char *dst, size_t size, const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n;
	if (!b || X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) < 0 ||
	    (n = BIO_get_mem_data(b, &p)) < 0 || (n > 0 && !p))
		set_field(dst, size, "(unprintable)", 13);
	else
		set_field(dst, size, p ? p : "", (size_t)n);
	BIO_free(b);
}

static void set_serial(char *dst, size_t size, const ASN1_INTEGER *serial)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	if (hex)
		set_field(dst, size, hex, strlen(hex));
	else
		set_field(dst, size, "(unreadable)", 12);
	OPENSSL_free(hex);
	BN_free(bn);
}

/* "YYYY-MM-DD HH:MM:SS UTC"; ASN1_TIME_to_tm with a time given never reads the clock. */
static void set_time(char *dst, size_t size, const ASN1_TIME *t)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
		set_field(dst, size, "(invalid)", 9);
		return;
	}
	char s[64];
	int n = snprintf(s, sizeof(s), "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	set_field(dst, size, s, n > 0 ? (size_t)n : 0);
}

static const char *digest_name(int nid)
{
	switch (nid) {
	case NID_md5: return "MD5";
	case NID_sha1: return "SHA-1";
	case NID_sha224: return "SHA-224";
	case NID_sha256: return "SHA-256";
	case NID_sha384: return "SHA-384";
	case NID_sha512: return "SHA-512";
	case NID_sha3_256: return "SHA3-256";
	case NID_sha3_384: return "SHA3-384";
	case NID_sha3_512: return "SHA3-512";
	}
	return NULL;
}

static void set_oid(char *dst, size_t size, const ASN1_OBJECT *obj)
{
	char s[128];
	int n = obj ? OBJ_obj2txt(s, sizeof(s), obj, 0) : -1;
	if (n <= 0)
		set_field(dst, size, "(unknown)", 9);
	else
		set_field(dst, size, s, strlen(s));
}

static void set_key(char *dst, size_t size, X509 *cert)
{
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	char s[128], group[64];
	size_t glen = 0;
	if (!pk) {
		set_field(dst, size, "(unreadable)", 12);
		return;
	}
	const char *type = EVP_PKEY_get0_type_name(pk);
	if (EVP_PKEY_get_group_name(pk, group, sizeof(group), &glen) != 1)
		glen = 0;
	group[glen < sizeof(group) ? glen : sizeof(group) - 1] = '\0';
	int n = snprintf(s, sizeof(s), "%s%s%s %d bits", type ? type : "(unknown)",
			 glen ? " " : "", glen ? group : "", EVP_PKEY_get_bits(pk));
	set_field(dst, size, s, n > 0 ? strlen(s) : 0);
}

static int fill_signer(tl_cms_signer_t *s, CMS_SignerInfo *si, X509 *cert)
{
	memset(s, 0, sizeof(*s));
	set_name(s->subject, sizeof(s->subject), X509_get_subject_name(cert));
	set_name(s->issuer, sizeof(s->issuer), X509_get_issuer_name(cert));
	set_serial(s->serial, sizeof(s->serial), X509_get0_serialNumber(cert));
	int n = i2d_X509(cert, NULL);
	if (n <= 0)
		return TL_EFORMAT;
	unsigned char *der = tl_xmalloc((size_t)n), *p = der;
	if (i2d_X509(cert, &p) != n) {
		free(der);
		return TL_EFORMAT;
	}
	uint8_t h[TL_SHA256_LEN];
	tl_sha256(der, (size_t)n, h);
	tl_sha256_hex(h, s->cert_sha256);
	free(der);
	set_time(s->not_before, sizeof(s->not_before), X509_get0_notBefore(cert));
	set_time(s->not_after, sizeof(s->not_after), X509_get0_notAfter(cert));
	X509_ALGOR *dig = NULL, *sig = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	const char *dn = dig ? digest_name(OBJ_obj2nid(dig->algorithm)) : NULL;
	if (dn)
		set_field(s->digest, sizeof(s->digest), dn, strlen(dn));
	else
		set_oid(s->digest, sizeof(s->digest), dig ? dig->algorithm : NULL);
	set_oid(s->signature_alg, sizeof(s->signature_alg), sig ? sig->algorithm : NULL);
	set_key(s->key, sizeof(s->key), cert);
	s->signed_attributes = CMS_signed_get_attr_count(si) > 0;
	return TL_OK;
}

/* Parses sig as DER or PEM ("CMS" or "PKCS7" label) into *cms. */
static int parse_sig(const uint8_t *sig, size_t siglen, CMS_ContentInfo **cms, char *err,
		     size_t errlen)
{
	static const char pem[] = "-----BEGIN ";
	size_t lead = 0;
	while (lead < siglen && (sig[lead] == ' ' || sig[lead] == '\t' || sig[lead] == '\r' ||
				 sig[lead] == '\n'))
		lead++;
	if (siglen - lead >= sizeof(pem) - 1 && memcmp(sig + lead, pem, sizeof(pem) - 1) == 0) {
		if (siglen > INT_MAX)
			return fail(TL_EFORMAT, err, errlen, "the PEM signature is too large");
		BIO *b = BIO_new_mem_buf(sig, (int)siglen);
		/* PEM_read_bio_CMS takes the "CMS" label and, as an alias, "PKCS7" (RFC 7468
		 * 9 and 10). */
		*cms = b ? PEM_read_bio_CMS(b, NULL, pass_cb, NULL) : NULL;
		/* one block and nothing after it but white space, as for DER: a file with a
		 * second block must not verify as its first */
		int junk = 0;
		unsigned char rest[512];
		int n;
		while (*cms && (n = BIO_read(b, rest, (int)sizeof(rest))) > 0)
			for (int i = 0; i < n; i++)
				junk |= !(rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r' ||
					  rest[i] == '\n');
		BIO_free(b);
		if (!*cms)
			return fail(TL_EFORMAT, err, errlen,
				    "the signature is PEM but not a CMS or PKCS7 block");
		if (junk) {
			CMS_ContentInfo_free(*cms);
			*cms = NULL;
			return fail(TL_EFORMAT, err, errlen,
				    "the PEM signature has bytes after its END line (a second block "
				    "or other data)");
		}
		return TL_OK;
	}

	/* DER: ContentInfo is a SEQUENCE (RFC 5652 3; X.690 8.9.1 tag 0x30). Its outer
	 * header is checked here so a truncated or foreign file is named precisely. */
	tl_cursor_t c;
	tl_cur_init(&c, sig, siglen);
	uint8_t tag = tl_cur_u8(&c);
	if (!tl_cur_ok(&c))
		return fail(TL_EFORMAT, err, errlen, "the signature is empty");
	if (tag != 0x30)
		return fail(TL_EFORMAT, err, errlen,
			    "the signature is not CMS: byte 0 is 0x%02x, not 0x30, the SEQUENCE "
			    "that starts a ContentInfo (RFC 5652 3, X.690 8.9)", tag);
	uint8_t l0 = tl_cur_u8(&c);
	if (!tl_cur_ok(&c))
		return fail(TL_EFORMAT, err, errlen, "the signature is cut after 1 byte");
	if ((l0 & 0x80) && l0 != 0x80) {
		/* X.690 8.1.3.5: long form, l0 & 0x7f length octets, big-endian. */
		unsigned nl = l0 & 0x7fu;
		uint64_t total = 0;
		if (nl > 4)
			return fail(TL_EFORMAT, err, errlen,
				    "the signature is not CMS: byte 1 announces a %u-byte length "
				    "(X.690 8.1.3.5)", nl);
		for (unsigned i = 0; i < nl; i++)
			total = total << 8 | tl_cur_u8(&c);
		if (!tl_cur_ok(&c))
			return fail(TL_EFORMAT, err, errlen,
				    "the signature is cut inside its first length field");
		if (total > tl_cur_left(&c))
			return fail(TL_EFORMAT, err, errlen,
				    "the signature is cut: its ContentInfo declares %llu bytes after "
				    "offset %zu but only %zu follow", (unsigned long long)total,
				    c.pos, tl_cur_left(&c));
	} else if (!(l0 & 0x80) && l0 > tl_cur_left(&c)) {
		return fail(TL_EFORMAT, err, errlen,
			    "the signature is cut: its ContentInfo declares %u bytes after offset 2 "
			    "but only %zu follow", l0, tl_cur_left(&c));
	}
	if (siglen > LONG_MAX)
		return fail(TL_EFORMAT, err, errlen, "the signature is too large");
	const unsigned char *p = sig;
	*cms = d2i_CMS_ContentInfo(NULL, &p, (long)siglen);
	if (!*cms)
		return fail(TL_EFORMAT, err, errlen,
			    "the signature is not a CMS ContentInfo (RFC 5652 3)");
	size_t used = (size_t)(p - sig);
	if (used != siglen) {
		CMS_ContentInfo_free(*cms);
		*cms = NULL;
		return fail(TL_EFORMAT, err, errlen,
			    "the signature has %zu stray bytes after the CMS ContentInfo that ends "
			    "at offset %zu", siglen - used, used);
	}
	return TL_OK;
}

/* The content types defined for CMS: RFC 5652 4-9, RFC 3274 (compressed), RFC 5083
 * (authEnveloped). Any other type in a ContentInfo means the file is something else. */
static int is_cms_type(int nid)
{
	switch (nid) {
	case NID_pkcs7_data:
	case NID_pkcs7_signed:
	case NID_pkcs7_enveloped:
	case NID_pkcs7_digest:
	case NID_pkcs7_encrypted:
	case NID_id_smime_ct_authData:
	case NID_id_smime_ct_compressedData:
	case NID_id_smime_ct_authEnvelopedData:
		return 1;
	}
	return 0;
}

static int load_store(const char *ca_path, X509_STORE **store, char *err, size_t errlen)
{
	STACK_OF(X509) *cas = NULL;
	int rc = load_certs(ca_path, "the CA file", &cas, err, errlen);
	if (rc != TL_OK)
		return rc;
	X509_STORE *st = X509_STORE_new();
	if (!st) {
		sk_X509_pop_free(cas, X509_free);
		return fail(TL_ENOMEM, err, errlen, "cannot make a certificate store");
	}
	for (int i = 0; i < sk_X509_num(cas); i++) {
		if (X509_STORE_add_cert(st, sk_X509_value(cas, i)) != 1) {
			/* The same certificate twice is harmless; anything else is not. */
			unsigned long e = ERR_peek_last_error();
			if (ERR_GET_REASON(e) == X509_R_CERT_ALREADY_IN_HASH_TABLE) {
				ERR_clear_error();
				continue;
			}
			X509_STORE_free(st);
			sk_X509_pop_free(cas, X509_free);
			return fail(TL_EFORMAT, err, errlen,
				    "cannot use certificate %d of the CA file %s", i + 1, ca_path);
		}
	}
	sk_X509_pop_free(cas, X509_free); /* the store holds its own references */
	/* No validity-period check against the clock: see cms.h for why. */
	X509_STORE_set_flags(st, X509_V_FLAG_NO_CHECK_TIME);
	*store = st;
	return TL_OK;
}

int tl_cms_verify(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
		  const char *ca_path, tl_cms_signer_t *signer, char *err, size_t errlen)
{
	ERR_clear_error();
	if (err && errlen)
		err[0] = '\0';
	if (!signer || (!data && len) || (!sig && siglen))
		return fail(TL_EINVAL, err, errlen, "CMS verification needs data and a signature");
	if (len > INT_MAX)
		return fail(TL_ELIMIT, err, errlen,
			    "cannot verify %zu bytes: OpenSSL's memory BIO takes at most %d", len,
			    INT_MAX);

	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	BIO *content = NULL;
	struct ssl_errors q;
	int rc = parse_sig(sig, siglen, &cms, err, errlen);
	if (rc != TL_OK)
		goto done;

	const ASN1_OBJECT *type = CMS_get0_type(cms);
	int tnid = OBJ_obj2nid(type);
	if (tnid != NID_pkcs7_signed) {
		char t[80];
		if (OBJ_obj2txt(t, sizeof(t), type, 0) <= 0)
			snprintf(t, sizeof(t), "(unreadable)");
		if (is_cms_type(tnid))
			rc = fail(TL_EUNSUPPORTED, err, errlen,
				  "the signature is CMS of type %s, not SignedData (RFC 5652 5)", t);
		else
			rc = fail(TL_EFORMAT, err, errlen,
				  "the signature is not CMS: its ContentInfo has the content type %s, "
				  "which is none of CMS's (RFC 5652 3)", t);
		goto done;
	}
	if (CMS_is_detached(cms) != 1) {
		rc = fail(TL_EUNSUPPORTED, err, errlen,
			  "the signature carries its own content; expected a detached signature "
			  "(RFC 5652 5.2: eContent absent)");
		goto done;
	}
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	int nsi = sis ? sk_CMS_SignerInfo_num(sis) : 0;
	if (nsi != 1) {
		rc = fail(nsi <= 0 ? TL_EFORMAT : TL_EUNSUPPORTED, err, errlen,
			  "the signature has %d signers; expected exactly one", nsi < 0 ? 0 : nsi);
		goto done;
	}
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
	X509_ALGOR *dig = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, NULL);
	int dnid = dig ? OBJ_obj2nid(dig->algorithm) : NID_undef;
	if (dnid == NID_md5 || dnid == NID_sha1) {
		rc = fail(TL_EUNSUPPORTED, err, errlen,
			  "the signature uses the digest %s, which is not safe to rely on: "
			  "collisions are practical (RFC 6151; SHA-1 collision 2017)",
			  digest_name(dnid));
		goto done;
	}
	if (!digest_name(dnid)) {
		/* Not just caution: OpenSSL 3.0 matches an unknown digest OID in the SignerInfo
		 * to whichever digest it computed, so a damaged OID would still "verify". */
		char t[80];
		if (!dig || OBJ_obj2txt(t, sizeof(t), dig->algorithm, 1) <= 0)
			snprintf(t, sizeof(t), "(unreadable)");
		rc = fail(TL_EUNSUPPORTED, err, errlen,
			  "the signature uses the digest algorithm %s, which is not one of "
			  "SHA-224, SHA-256, SHA-384, SHA-512, SHA3-256, SHA3-384, SHA3-512", t);
		goto done;
	}
	/* RFC 5652 5.3: without signed attributes the signed content type must be id-data;
	 * with them it is signed, but a report is data either way. */
	const ASN1_OBJECT *ctype = CMS_get0_eContentType(cms);
	if (OBJ_obj2nid(ctype) != NID_pkcs7_data) {
		char t[80];
		if (!ctype || OBJ_obj2txt(t, sizeof(t), ctype, 1) <= 0)
			snprintf(t, sizeof(t), "(unreadable)");
		rc = fail(TL_EUNSUPPORTED, err, errlen,
			  "the signature is over content of type %s, not id-data "
			  "(1.2.840.113549.1.7.1, RFC 5652 4)", t);
		goto done;
	}

	/* Integrity first, against the certificate the signature carries: a wrong file is
	 * reported as such whatever the trust chain. */
	content = BIO_new_mem_buf(len ? (const void *)data : "", (int)len);
	if (!content) {
		rc = fail(TL_ENOMEM, err, errlen, "cannot read the data to verify");
		goto done;
	}
	if (CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY)
	    != 1) {
		drain_errors(&q);
		if (saw_reason(&q, ERR_LIB_CMS, CMS_R_VERIFICATION_FAILURE) ||
		    saw_reason(&q, ERR_LIB_CMS, CMS_R_CONTENT_VERIFY_ERROR))
			rc = fail_q(TL_ESIGNATURE, &q, err, errlen,
				    "the signature does not match this file: it was made for other "
				    "bytes, or the signature was altered");
		else if (saw_reason(&q, ERR_LIB_CMS, CMS_R_SIGNER_CERTIFICATE_NOT_FOUND))
			rc = fail_q(TL_EUNSUPPORTED, &q, err, errlen,
				    "the signature does not carry its signer's certificate");
		else
			rc = fail_q(TL_EUNSUPPORTED, &q, err, errlen,
				    "the signature could not be checked");
		goto done;
	}
	X509 *cert = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, &cert, NULL, NULL);
	if (!cert) {
		rc = fail(TL_EUNSUPPORTED, err, errlen,
			  "the signature does not carry its signer's certificate");
		goto done;
	}

	int chain = 0;
	if (ca_path) {
		rc = load_store(ca_path, &store, err, errlen);
		if (rc != TL_OK)
			goto done;
		BIO_free(content);
		content = BIO_new_mem_buf(len ? (const void *)data : "", (int)len);
		if (!content) {
			rc = fail(TL_ENOMEM, err, errlen, "cannot read the data to verify");
			goto done;
		}
		if (CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) != 1) {
			rc = fail(TL_EUNTRUSTED, err, errlen,
				  "the signer's certificate does not chain to a trusted certificate "
				  "in %s", ca_path);
			goto done;
		}
		chain = 1;
	}
	tl_cms_signer_t s;
	rc = fill_signer(&s, si, cert);
	if (rc != TL_OK) {
		rc = fail(rc, err, errlen, "cannot encode the signer's certificate");
		goto done;
	}
	s.chain_verified = chain;
	*signer = s;
done:
	BIO_free(content);
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return rc;
}

