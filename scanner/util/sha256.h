/* SHA-256 digests in the "sha256:<hex>" form that image manifests use. */
#ifndef CUSTOMS_UTIL_SHA256_H
#define CUSTOMS_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_RAW_LEN 32
#define SHA256_HEX_LEN 64
/* "sha256:" + 64 hex digits + NUL */
#define DIGEST_STR_LEN (7 + SHA256_HEX_LEN + 1)

/* Opaque storage big enough for the backend's context, so callers can keep it on the stack. */
struct sha256_ctx {
	_Alignas(16) unsigned char opaque[256];
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx, unsigned char out[SHA256_RAW_LEN]);
/* Writes "sha256:<hex>" into out, which holds DIGEST_STR_LEN bytes. */
void sha256_final_str(struct sha256_ctx *ctx, char out[DIGEST_STR_LEN]);
void sha256_digest_str(const void *data, size_t len, char out[DIGEST_STR_LEN]);

/* Returns 1 when s is "sha256:" followed by exactly 64 lowercase hex digits. */
int digest_is_valid(const char *s);

#endif
