/* SHA-256 through mbedtls, the project's only crypto library. */
#include "util/sha256.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

_Static_assert(sizeof(mbedtls_sha256_context) <= sizeof(struct sha256_ctx), "sha256_ctx too small");

static mbedtls_sha256_context *backend(struct sha256_ctx *ctx)
{
	return (mbedtls_sha256_context *)(void *)ctx->opaque;
}

void sha256_init(struct sha256_ctx *ctx)
{
	mbedtls_sha256_init(backend(ctx));
	if (mbedtls_sha256_starts_ret(backend(ctx), 0))
		abort();
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	if (len && mbedtls_sha256_update_ret(backend(ctx), data, len))
		abort();
}

void sha256_final(struct sha256_ctx *ctx, unsigned char out[SHA256_RAW_LEN])
{
	if (mbedtls_sha256_finish_ret(backend(ctx), out))
		abort();
	mbedtls_sha256_free(backend(ctx));
}

void sha256_final_str(struct sha256_ctx *ctx, char out[DIGEST_STR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[SHA256_RAW_LEN];
	size_t i;

	sha256_final(ctx, raw);
	memcpy(out, "sha256:", 7);
	for (i = 0; i < SHA256_RAW_LEN; i++) {
		out[7 + 2 * i] = hex[raw[i] >> 4];
		out[7 + 2 * i + 1] = hex[raw[i] & 15];
	}
	out[DIGEST_STR_LEN - 1] = '\0';
}

void sha256_digest_str(const void *data, size_t len, char out[DIGEST_STR_LEN])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final_str(&ctx, out);
}

int digest_is_valid(const char *s)
{
	size_t i;

	if (strncmp(s, "sha256:", 7))
		return 0;
	for (i = 0; i < SHA256_HEX_LEN; i++) {
		char c = s[7 + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return s[7 + SHA256_HEX_LEN] == '\0';
}
