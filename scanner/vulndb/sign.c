/* Detached ECDSA P-256 signatures for database files: DER over SHA-256 of the file, as openssl writes them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "vulndb/sign.h"

/* A P-256 DER signature is at most 72 bytes; anything much longer is not one. */
#define SIG_MAX_BYTES 256

static int open_error(struct strbuf *err, const char *what, const char *path)
{
	int code = errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;

	return error_code(err, code, "cannot open %s '%s': %s", what, path, strerror(errno));
}

/* The database may be hundreds of megabytes, so it is hashed in pieces rather than read whole. */
static int hash_file(const char *path, unsigned char digest[SHA256_RAW_LEN], struct strbuf *err)
{
	struct sha256_ctx ctx;
	unsigned char buf[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return open_error(err, "database", path);
	sha256_init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sha256_update(&ctx, buf, n);
	if (ferror(fp)) {
		fclose(fp);
		return error_code(err, ERR_IO, "cannot read database '%s'", path);
	}
	fclose(fp);
	sha256_final(&ctx, digest);
	return 0;
}

static int key_error(struct strbuf *err, int mbed_ret, const char *what, const char *path)
{
	if (mbed_ret == MBEDTLS_ERR_PK_FILE_IO_ERROR) {
		FILE *fp = fopen(path, "rb");

		if (!fp)
			return open_error(err, what, path);
		fclose(fp);
		return error_code(err, ERR_IO, "cannot read %s '%s'", what, path);
	}
	if (mbed_ret == MBEDTLS_ERR_PK_PASSWORD_REQUIRED)
		return error_code(err, ERR_BAD_INPUT, "%s '%s' is encrypted; give an unencrypted pem key", what,
				  path);
	return error_code(err, ERR_BAD_INPUT, "%s '%s' cannot be parsed as a pem or der key (mbedtls error -0x%04x)",
			  what, path, (unsigned)-mbed_ret);
}

/* Only one curve is accepted so that a signature means the same thing to every verifier. */
static int require_p256(mbedtls_pk_context *pk, const char *what, const char *path, struct strbuf *err)
{
	mbedtls_pk_type_t type = mbedtls_pk_get_type(pk);
	int rsa = type == MBEDTLS_PK_RSA || type == MBEDTLS_PK_RSASSA_PSS;

	if (type != MBEDTLS_PK_ECKEY && type != MBEDTLS_PK_ECDSA)
		return error_code(err, ERR_BAD_INPUT, "%s '%s' holds an %s key, not an ec p-256 (prime256v1) key",
				  what, path, rsa ? "rsa" : "unsupported");
	if (mbedtls_pk_ec(*pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1)
		return error_code(err, ERR_BAD_INPUT,
				  "%s '%s' holds an ec key on another curve, not an ec p-256 (prime256v1) key", what, path);
	return 0;
}

int vulndb_sign_file(const char *db_path, const char *key_pem_path, const char *sig_out_path,
		     struct strbuf *err)
{
	static const char personalisation[] = "customs vulndb sign";
	unsigned char digest[SHA256_RAW_LEN];
	unsigned char sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	size_t sig_len = 0;
	mbedtls_pk_context pk;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	struct strbuf default_sig = STRBUF_INIT;
	struct atomic_file af;
	int ret, mret;

	if (!sig_out_path) {
		strbuf_addf(&default_sig, "%s.sig", db_path);
		sig_out_path = default_sig.buf;
	}
	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);

	ret = hash_file(db_path, digest, err);
	if (ret < 0)
		goto out;
	mret = mbedtls_pk_parse_keyfile(&pk, key_pem_path, NULL);
	if (mret != 0) {
		ret = key_error(err, mret, "private key", key_pem_path);
		goto out;
	}
	ret = require_p256(&pk, "private key", key_pem_path, err);
	if (ret < 0)
		goto out;
	mret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)personalisation,
				     sizeof(personalisation) - 1);
	if (mret != 0) {
		ret = error_code(err, ERR_FAILED, "cannot seed the random generator (mbedtls error -0x%04x)",
				 (unsigned)-mret);
		goto out;
	}
	mret = mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA256, digest, sizeof(digest), sig, &sig_len, mbedtls_ctr_drbg_random,
			       &drbg);
	if (mret != 0) {
		ret = error_code(err, ERR_FAILED, "cannot sign '%s' (mbedtls error -0x%04x)", db_path,
				 (unsigned)-mret);
		goto out;
	}

	/* A half-written signature would fail verification later, so it replaces the old one whole. */
	ret = atomic_file_open(&af, sig_out_path, err);
	if (ret < 0)
		goto out;
	if (fwrite(sig, 1, sig_len, af.fp) != sig_len) {
		atomic_file_abort(&af);
		ret = error_code(err, ERR_IO, "cannot write signature '%s': %s", sig_out_path, strerror(errno));
		goto out;
	}
	ret = atomic_file_commit(&af, err);
out:
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&entropy);
	mbedtls_pk_free(&pk);
	mbedtls_platform_zeroize(digest, sizeof(digest));
	strbuf_release(&default_sig);
	return ret;
}

/*
 * Check the signature of data (size bytes), or of the file name when data is
 * NULL. The key and the signature are checked before the database is read,
 * so a bad key is reported as such whatever state the database is in.
 */
static int verify(const char *name, const void *data, size_t size, const char *pub_pem_path,
		  const char *sig_path, struct strbuf *err)
{
	unsigned char digest[SHA256_RAW_LEN];
	unsigned char sig[SIG_MAX_BYTES + 1];
	size_t sig_len;
	mbedtls_pk_context pk;
	struct strbuf default_sig = STRBUF_INIT;
	FILE *fp;
	int ret, mret;

	if (!sig_path) {
		strbuf_addf(&default_sig, "%s.sig", name);
		sig_path = default_sig.buf;
	}
	mbedtls_pk_init(&pk);

	mret = mbedtls_pk_parse_public_keyfile(&pk, pub_pem_path);
	if (mret != 0) {
		ret = key_error(err, mret, "public key", pub_pem_path);
		goto out;
	}
	ret = require_p256(&pk, "public key", pub_pem_path, err);
	if (ret < 0)
		goto out;

	fp = fopen(sig_path, "rb");
	if (!fp) {
		ret = open_error(err, "signature", sig_path);
		goto out;
	}
	sig_len = fread(sig, 1, sizeof(sig), fp);
	if (ferror(fp)) {
		fclose(fp);
		ret = error_code(err, ERR_IO, "cannot read signature '%s'", sig_path);
		goto out;
	}
	fclose(fp);
	if (sig_len == 0 || sig_len > SIG_MAX_BYTES) {
		ret = error_code(err, ERR_VERIFY, "signature '%s' is not an ecdsa signature (%s)", sig_path,
				 sig_len ? "too long" : "empty");
		goto out;
	}

	if (data) {
		struct sha256_ctx ctx;

		sha256_init(&ctx);
		sha256_update(&ctx, data, size);
		sha256_final(&ctx, digest);
	} else {
		ret = hash_file(name, digest, err);
		if (ret < 0)
			goto out;
	}
	mret = mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, digest, sizeof(digest), sig, sig_len);
	if (mret != 0)
		ret = error_code(err, ERR_VERIFY, "signature '%s' does not match '%s' and key '%s'", sig_path, name,
				 pub_pem_path);
out:
	mbedtls_pk_free(&pk);
	strbuf_release(&default_sig);
	return ret;
}

int vulndb_verify_file(const char *db_path, const char *pub_pem_path, const char *sig_path, struct strbuf *err)
{
	return verify(db_path, NULL, 0, pub_pem_path, sig_path, err);
}

int vulndb_verify_mem(const void *data, size_t size, const char *name, const char *pub_pem_path,
		      const char *sig_path, struct strbuf *err)
{
	/* Any non-NULL pointer stands for zero bytes: NULL means "read the file" to verify(). */
	static const unsigned char empty[1];

	return verify(name, size ? data : empty, size, pub_pem_path, sig_path, err);
}
