/* The accelerated SHA-256 gives the same digests as mbedtls, however the input is split. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/sha256.h"
#include "util/sha256_fast.h"

static void digest_in_pieces(const unsigned char *data, size_t len, unsigned seed, char out[DIGEST_STR_LEN])
{
	struct sha256_fast_ctx ctx;
	size_t off = 0;

	sha256_fast_init(&ctx);
	while (off < len) {
		size_t n;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 300;
		if (n > len - off)
			n = len - off;
		sha256_fast_update(&ctx, data + off, n);
		off += n;
	}
	sha256_fast_final_str(&ctx, out);
}

TEST(sha256_fast_matches_mbedtls)
{
	size_t len, max = 5000;
	unsigned char *data = malloc(max);
	unsigned seed = 7;

	for (len = 0; len < max; len++) {
		seed = seed * 1103515245u + 12345u;
		data[len] = (unsigned char)(seed >> 16);
	}
	for (len = 0; len < max; len += (len < 300 ? 1 : 97)) {
		char fast[DIGEST_STR_LEN], ref[DIGEST_STR_LEN];

		digest_in_pieces(data, len, (unsigned)len, fast);
		sha256_digest_str(data, len, ref);
		CHECK_STR(fast, ref);
	}
	free(data);
}

TEST(sha256_fast_known_vector)
{
	struct sha256_fast_ctx ctx;
	char out[DIGEST_STR_LEN];

	sha256_fast_init(&ctx);
	sha256_fast_update(&ctx, "abc", 3);
	sha256_fast_final_str(&ctx, out);
	CHECK_STR(out, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_fast_init(&ctx);
	sha256_fast_final_str(&ctx, out);
	CHECK_STR(out, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
