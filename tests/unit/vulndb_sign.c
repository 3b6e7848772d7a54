/* Unit tests for detached database signatures, with keys made by mbedtls so no openssl is needed. */
#include <stdlib.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

#include "test.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "vulndb/sign.h"
#include "vulndb/vulndb.h"

struct sign_dir {
	char root[64];
	char db[128], key[128], pub[128], sig[128];
};

static void write_text(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	CHECK(fp != NULL);
	if (!fp)
		return;
	CHECK_INT(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

/* Write a fresh key pair as PEM; curve is an mbedtls group id. */
static void make_key(mbedtls_ecp_group_id curve, const char *key_path, const char *pub_path)
{
	mbedtls_pk_context pk;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	unsigned char pem[4096];

	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	CHECK_INT(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, NULL, 0), 0);
	CHECK_INT(mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
	CHECK_INT(mbedtls_ecp_gen_key(curve, mbedtls_pk_ec(pk), mbedtls_ctr_drbg_random, &drbg), 0);
	CHECK_INT(mbedtls_pk_write_key_pem(&pk, pem, sizeof(pem)), 0);
	write_text(key_path, pem, strlen((char *)pem));
	CHECK_INT(mbedtls_pk_write_pubkey_pem(&pk, pem, sizeof(pem)), 0);
	write_text(pub_path, pem, strlen((char *)pem));
	memset(pem, 0, sizeof(pem));
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&entropy);
}

static int sign_dir_setup(struct sign_dir *d)
{
	static const char content[] = "not really a database, but any bytes can be signed\n";

	snprintf(d->root, sizeof(d->root), "/tmp/customs-sign-XXXXXX");
	if (!mkdtemp(d->root)) {
		CHECK(!"mkdtemp");
		return -1;
	}
	snprintf(d->db, sizeof(d->db), "%s/db", d->root);
	snprintf(d->key, sizeof(d->key), "%s/key.pem", d->root);
	snprintf(d->pub, sizeof(d->pub), "%s/pub.pem", d->root);
	snprintf(d->sig, sizeof(d->sig), "%s/db.sig", d->root);
	write_text(d->db, content, sizeof(content) - 1);
	make_key(MBEDTLS_ECP_DP_SECP256R1, d->key, d->pub);
	return 0;
}

static void sign_dir_remove(struct sign_dir *d)
{
	static const char *const names[] = {"db", "key.pem", "pub.pem", "db.sig", "other.pem", "other-pub.pem",
					    "p384.pem", "p384-pub.pem", "bad.sig"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[160];

		snprintf(path, sizeof(path), "%s/%s", d->root, names[i]);
		unlink(path);
	}
	rmdir(d->root);
}

TEST(vulndb_sign_roundtrip_and_tamper)
{
	struct sign_dir d;
	struct strbuf err = STRBUF_INIT;
	FILE *fp;

	if (sign_dir_setup(&d) < 0)
		return;
	CHECK_INT(vulndb_sign_file(d.db, d.key, NULL, &err), 0);
	CHECK(access(d.sig, R_OK) == 0);
	CHECK_INT(vulndb_verify_file(d.db, d.pub, NULL, &err), 0);
	CHECK_INT(vulndb_verify_file(d.db, d.pub, d.sig, &err), 0);

	/* One more byte at the end changes the digest. */
	fp = fopen(d.db, "ab");
	CHECK(fp != NULL);
	if (fp) {
		fputc('x', fp);
		fclose(fp);
	}
	CHECK_INT(vulndb_verify_file(d.db, d.pub, NULL, &err), ERR_VERIFY);
	CHECK(strstr(err.buf, "does not match") != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	strbuf_release(&err);
	sign_dir_remove(&d);
}

TEST(vulndb_sign_rejects_wrong_keys_and_signatures)
{
	struct sign_dir d;
	struct strbuf err = STRBUF_INIT;
	char other[160], other_pub[160], p384[160], p384_pub[160], bad[160], missing[160];
	unsigned char garbage[72];

	if (sign_dir_setup(&d) < 0)
		return;
	snprintf(other, sizeof(other), "%s/other.pem", d.root);
	snprintf(other_pub, sizeof(other_pub), "%s/other-pub.pem", d.root);
	snprintf(p384, sizeof(p384), "%s/p384.pem", d.root);
	snprintf(p384_pub, sizeof(p384_pub), "%s/p384-pub.pem", d.root);
	snprintf(bad, sizeof(bad), "%s/bad.sig", d.root);
	snprintf(missing, sizeof(missing), "%s/missing", d.root);
	make_key(MBEDTLS_ECP_DP_SECP256R1, other, other_pub);
	make_key(MBEDTLS_ECP_DP_SECP384R1, p384, p384_pub);

	CHECK_INT(vulndb_sign_file(d.db, d.key, NULL, &err), 0);
	CHECK_INT(vulndb_verify_file(d.db, other_pub, NULL, &err), ERR_VERIFY);

	CHECK_INT(vulndb_sign_file(d.db, p384, bad, &err), ERR_BAD_INPUT);
	CHECK(strstr(err.buf, "p-256") != NULL);
	CHECK(access(bad, F_OK) != 0);
	CHECK_INT(vulndb_verify_file(d.db, p384_pub, NULL, &err), ERR_BAD_INPUT);
	/* A private key file is not a public key. */
	CHECK_INT(vulndb_verify_file(d.db, d.key, NULL, &err), ERR_BAD_INPUT);

	memset(garbage, 0x30, sizeof(garbage));
	write_text(bad, garbage, sizeof(garbage));
	CHECK_INT(vulndb_verify_file(d.db, d.pub, bad, &err), ERR_VERIFY);
	write_text(bad, "", 0);
	CHECK_INT(vulndb_verify_file(d.db, d.pub, bad, &err), ERR_VERIFY);

	CHECK_INT(vulndb_verify_file(d.db, d.pub, missing, &err), ERR_NOT_FOUND);
	CHECK_INT(vulndb_verify_file(d.db, missing, NULL, &err), ERR_NOT_FOUND);
	CHECK_INT(vulndb_sign_file(d.db, missing, bad, &err), ERR_NOT_FOUND);
	CHECK_INT(vulndb_sign_file(missing, d.key, bad, &err), ERR_NOT_FOUND);
	strbuf_release(&err);
	sign_dir_remove(&d);
}

/* Reads the whole (small) test file into memory, as a mapping would hold it. */
static size_t read_all(const char *path, unsigned char *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	CHECK(fp != NULL);
	if (!fp)
		return 0;
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

TEST(vulndb_sign_verify_mem_checks_the_bytes_given)
{
	struct sign_dir d;
	struct strbuf err = STRBUF_INIT;
	unsigned char buf[256];
	size_t n;

	if (sign_dir_setup(&d) < 0)
		return;
	CHECK_INT(vulndb_sign_file(d.db, d.key, NULL, &err), 0);
	n = read_all(d.db, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_INT(vulndb_verify_mem(buf, n, d.db, d.pub, d.sig, &err), 0);
	/* With no signature path, it is the name's .sig, as for files. */
	CHECK_INT(vulndb_verify_mem(buf, n, d.db, d.pub, NULL, &err), 0);

	/* The file on disk no longer matters: only the bytes in memory are checked. */
	write_text(d.db, "something else entirely", 23);
	CHECK_INT(vulndb_verify_file(d.db, d.pub, NULL, &err), ERR_VERIFY);
	strbuf_reset(&err);
	CHECK_INT(vulndb_verify_mem(buf, n, d.db, d.pub, NULL, &err), 0);

	/* One changed byte, one byte less, or nothing at all does not verify. */
	buf[3] ^= 1;
	CHECK_INT(vulndb_verify_mem(buf, n, d.db, d.pub, NULL, &err), ERR_VERIFY);
	CHECK(strstr(err.buf, "does not match") != NULL);
	CHECK(strstr(err.buf, d.db) != NULL);
	CHECK(strchr(err.buf, '\n') == NULL);
	buf[3] ^= 1;
	CHECK_INT(vulndb_verify_mem(buf, n - 1, d.db, d.pub, NULL, &err), ERR_VERIFY);
	CHECK_INT(vulndb_verify_mem(buf, 0, d.db, d.pub, NULL, &err), ERR_VERIFY);
	CHECK_INT(vulndb_verify_mem(NULL, 0, d.db, d.pub, NULL, &err), ERR_VERIFY);

	/* The key and the signature are checked as for files. */
	CHECK_INT(vulndb_verify_mem(buf, n, d.db, d.key, NULL, &err), ERR_BAD_INPUT);
	CHECK_INT(vulndb_verify_mem(buf, n, "elsewhere", d.pub, NULL, &err), ERR_NOT_FOUND);
	strbuf_release(&err);
	sign_dir_remove(&d);
}

/* What scan does: open the database once, then verify the very bytes it reads from. */
TEST(vulndb_sign_verify_mem_covers_an_open_database)
{
	static const char osv[] = "{\"id\":\"GHSA-sign\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
				  "\"name\":\"left-pad\"},\"versions\":[\"1.0.0\"]}]}";
	struct sign_dir d;
	struct strbuf err = STRBUF_INIT;
	struct vulndb_builder *b = vulndb_builder_new();
	struct vulndb *db = NULL;
	unsigned char copy[4096];
	const void *data;
	size_t size, n;
	FILE *fp;

	if (sign_dir_setup(&d) < 0)
		return;
	vulndb_builder_begin_source(b, "test");
	CHECK_INT(vulndb_import_osv_buffer(b, osv, strlen(osv), "sign.json", &err), 0);
	fp = fopen(d.db, "wb");
	CHECK(fp != NULL);
	if (fp) {
		CHECK_INT(vulndb_builder_write(b, fp, 1700000000, &err), 0);
		fclose(fp);
	}
	vulndb_builder_free(b);
	CHECK_INT(vulndb_sign_file(d.db, d.key, NULL, &err), 0);
	n = read_all(d.db, copy, sizeof(copy));

	CHECK_INT(vulndb_open(d.db, &db, &err), 0);
	if (!db)
		goto out;
	vulndb_get_bytes(db, &data, &size);
	CHECK_INT(size, n);
	CHECK(memcmp(data, copy, n) == 0);
	CHECK_INT(vulndb_verify_mem(data, size, d.db, d.pub, NULL, &err), 0);

	/* A file renamed over the open one changes nothing in the mapping that is checked and used. */
	write_text(d.sig, "", 0);
	rename(d.sig, d.db);
	CHECK_INT(vulndb_sign_file(d.db, d.key, NULL, &err), 0);
	CHECK_INT(vulndb_verify_file(d.db, d.pub, NULL, &err), 0);
	vulndb_get_bytes(db, &data, &size);
	CHECK_INT(size, n);
	CHECK_INT(vulndb_verify_mem(data, size, d.db, d.pub, NULL, &err), ERR_VERIFY);
	vulndb_close(db);
out:
	strbuf_release(&err);
	sign_dir_remove(&d);
}
