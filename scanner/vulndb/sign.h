/* Detached ECDSA P-256 signatures over whole database files, compatible with `openssl dgst -sha256`. */
#ifndef CUSTOMS_VULNDB_SIGN_H
#define CUSTOMS_VULNDB_SIGN_H

#include <stddef.h>

#include "util/strbuf.h"

/*
 * Sign the SHA-256 of every byte of db_path with the EC P-256 private key in
 * key_pem_path and write the DER signature to sig_out_path (db_path + ".sig"
 * when NULL), atomically. ERR_NOT_FOUND/ERR_IO for unreadable files,
 * ERR_BAD_INPUT for a key that does not parse or is not P-256.
 */
int vulndb_sign_file(const char *db_path, const char *key_pem_path, const char *sig_out_path,
		     struct strbuf *err);

/*
 * Check the detached signature sig_path (db_path + ".sig" when NULL) of
 * db_path against the P-256 public key in pub_pem_path. ERR_VERIFY when the
 * signature is malformed or does not match; the codes above otherwise.
 */
int vulndb_verify_file(const char *db_path, const char *pub_pem_path, const char *sig_path,
		       struct strbuf *err);

/*
 * The same check over size bytes already in memory, such as the mapping of
 * an open database (vulndb_get_bytes()): what is verified is then exactly
 * what is used, even if the file is replaced in between. name is the
 * database's path, for messages and for the default sig_path (name + ".sig"
 * when sig_path is NULL). The same codes as vulndb_verify_file().
 */
int vulndb_verify_mem(const void *data, size_t size, const char *name, const char *pub_pem_path,
		      const char *sig_path, struct strbuf *err);

#endif
