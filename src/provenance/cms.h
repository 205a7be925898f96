/* cms.h - detached CMS signatures (RFC 5652 SignedData) over a report, through OpenSSL. */
#ifndef TL_PROVENANCE_CMS_H
#define TL_PROVENANCE_CMS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Files read by tl_cms_sign and tl_cms_verify (key, certificate, CA list) larger than
 * this are refused; PEM keys and certificates are a few kilobytes. */
#define TL_CMS_MAX_PEM_FILE (16u * 1024 * 1024)

typedef struct tl_cms_signer {
	char subject[1024];      /* RFC 2253 one-line form of the signer certificate's subject */
	char issuer[1024];
	char serial[128];        /* hex, upper case as `openssl x509 -serial` prints it */
	char cert_sha256[65];    /* SHA-256 of the signer certificate's DER, lower-case hex */
	char not_before[32], not_after[32]; /* "YYYY-MM-DD HH:MM:SS UTC" */
	char digest[32];         /* e.g. "SHA-256" */
	char signature_alg[64];  /* e.g. "rsaEncryption", "ecdsa-with-SHA256" */
	char key[64];            /* the signer's public key, e.g. "RSA 2048 bits" */
	int signed_attributes;   /* 1 when the SignerInfo carries signed attributes (RFC 5652
				  * 5.3); ours never do, `openssl cms -sign` adds them */
	int chain_verified;      /* 1 when checked against trusted CA certificates (ca_path given) */
} tl_cms_signer_t;
/* Text fields are NUL-terminated; a value too long for its field is cut and ends in "...".
 * Subject and issuer use RFC 2253 escaping (non-ASCII and control bytes as \XX), so they
 * are safe to print. */

/* Signs data: DER-encoded detached CMS SignedData in *out (tl_buf_t from util/buf.h).
 * key_path: PEM private key; pass: its passphrase or NULL (an encrypted key without a
 * passphrase is an error saying so, never a terminal prompt). cert_path: PEM certificate
 * matching the key (mismatch is an error saying so).
 * cert_path may hold further certificates after the signer's (intermediate CAs); they
 * are carried in the SignedData too, so that a verifier with only the root can build the
 * chain.
 *
 * The SignedData (RFC 5652 5.1) has eContentType id-data with the content left out
 * (detached), the signer's certificate, and one SignerInfo identified by issuer and serial
 * number, digest SHA-256 and NO signed attributes: with none, the signature is computed
 * over the digest of the bytes themselves (RFC 5652 5.4) and no signingTime from the clock
 * enters the output. Consequences:
 *  - RSA keys (PKCS#1 v1.5, deterministic) give byte-identical output for the same data,
 *    key and certificate, on every run.
 *  - ECDSA keys give a valid signature that differs on each run: OpenSSL 3.0 draws a
 *    random nonce per signature (it has no RFC 6979 deterministic mode in CMS).
 *  - Ed25519 and Ed448 keys are refused with TL_EUNSUPPORTED by OpenSSL 3.0 and 3.1,
 *    whose CMS code cannot sign or verify with EdDSA keys (RFC 8419); the message says so.
 *  - The signature asserts nothing about when it was made.
 * Before returning, the new signature is checked against data (tl_cms_verify without a
 * CA), so a signature that does not verify is never handed out.
 *
 * Returns TL_OK with the DER appended to *out (out must be initialised; the caller frees
 * it); otherwise a TL_E* code with err naming the file and the reason: TL_ENOENT,
 * TL_EACCES, TL_EIO for unreadable files, TL_EFORMAT when a file holds no PEM key or
 * certificate, TL_EINVAL for a missing or wrong passphrase or a certificate that does not
 * match the key, TL_EUNSUPPORTED for key types OpenSSL cannot use here, TL_ELIMIT for
 * data above 2 GiB - 1 (OpenSSL's memory BIO takes an int length). *out is unchanged on
 * error. */
int tl_cms_sign(const uint8_t *data, size_t len, const char *key_path, const char *pass,
		const char *cert_path, tl_buf_t *out, char *err, size_t errlen);

/* Checks a detached signature (DER; also accept PEM "-----BEGIN CMS-----"/PKCS7) over data.
 * ca_path NULL: the signature is checked against the certificate it carries (integrity and
 * signer identity, no trust chain; chain_verified 0). ca_path given: a PEM file of trusted
 * certificates; the signer's chain must verify too. Returns TL_OK with *signer filled, or
 * TL_EFORMAT when the signature file is not CMS, or a distinct code when the signature does
 * not match the data (TL_ESIGNATURE), or the chain does not verify (TL_EUNTRUSTED); err
 * says which in plain words.
 *
 * Without ca_path the signer's identity is only what its own certificate claims: anyone
 * can make a certificate with any subject. Compare cert_sha256 with the certificate you
 * expect, or give ca_path.
 *
 * Chain checks (ca_path given) use OpenSSL's CMS defaults - the S/MIME signing purpose,
 * so a certificate whose extended key usage leaves out emailProtection is refused, as by
 * `openssl cms -verify -CAfile` - with one change: X509_V_FLAG_NO_CHECK_TIME, so the
 * validity periods of the certificates are NOT compared with any time. Why: our
 * signatures carry no signing time (no signed attributes, and no trusted timestamp), so
 * today's date says nothing about whether the certificate was valid when the report was
 * signed, and checking against the clock would turn a sound signature into a failure once
 * the certificate expires and would make the verdict depend on the day it is asked.
 * not_before and not_after are returned so that the reader can judge them against the
 * report's date. No revocation (CRL, OCSP) is checked.
 *
 * Also refused with TL_EUNSUPPORTED: signatures with no or several signers (we report
 * one), with embedded content (expected detached), other CMS content types than
 * SignedData, signed content types other than id-data, digests MD5 and SHA-1 (collisions
 * are practical: RFC 6151, the 2017 SHA-1 collision) and digests other than SHA-2 and
 * SHA-3 (OpenSSL 3.0 would match an unknown digest OID to the digest it computed). A
 * signature without its signer's certificate is TL_EUNSUPPORTED too. Signatures made with
 * signed attributes (e.g. by `openssl cms -sign` without -noattr) are accepted; the
 * messageDigest attribute is then what binds the bytes (RFC 5652 5.4).
 *
 * What TL_OK proves: the signature value was made over these bytes with the key of the
 * certificate whose fingerprint is cert_sha256, with the digest named. Parts of a
 * SignedData that no signature covers (its version, the outer digestAlgorithms set, the
 * letter case of the signer identifier's name, some tags OpenSSL parses leniently) can be
 * altered without failing verification, as with any CMS verifier: a verified .p7s is not
 * necessarily byte for byte the file that was made.
 *
 * *signer is written only on TL_OK. Never touches the clock. */
int tl_cms_verify(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
		  const char *ca_path, tl_cms_signer_t *signer, char *err, size_t errlen);

#endif
