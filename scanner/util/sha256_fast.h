/* SHA-256 for gigabytes of layer data: the CPU's SHA instructions when it has them, mbedtls otherwise. */
#ifndef CUSTOMS_UTIL_SHA256_FAST_H
#define CUSTOMS_UTIL_SHA256_FAST_H

#include <stddef.h>
#include <stdint.h>

#include "util/sha256.h"

/*
 * Same digests as util/sha256.h. mbedtls hashes at about the speed zlib
 * inflates, so hashing every layer twice (blob and diff_id) would double the
 * cost of reading an image; the x86 SHA extensions make it nearly free. The
 * environment variable CUSTOMS_SHA256=portable forces the mbedtls path.
 * The context lives on the caller's stack and holds no other resources.
 */
struct sha256_fast_ctx {
	uint32_t state[8];
	uint64_t total_len;
	unsigned char block[64];
	size_t block_len;
	int accelerated;
	struct sha256_ctx portable;
};

void sha256_fast_init(struct sha256_fast_ctx *ctx);
void sha256_fast_update(struct sha256_fast_ctx *ctx, const void *data, size_t len);
/* Writes "sha256:<hex>" into out, which holds DIGEST_STR_LEN bytes. */
void sha256_fast_final_str(struct sha256_fast_ctx *ctx, char out[DIGEST_STR_LEN]);

/* Returns 1 when this process hashes with the CPU's SHA instructions. */
int sha256_fast_is_accelerated(void);

#endif
