/* SHA-256 with the x86 SHA extensions, falling back to mbedtls through util/sha256.h. */
#include "util/sha256_fast.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI_CODE 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/* FIPS 180-4, 4.2.2 and 5.3.3. */
static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t initial_state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static pthread_once_t detect_once = PTHREAD_ONCE_INIT;
static int use_sha_ni;

#ifdef HAVE_SHA_NI_CODE
static void detect_cpu(void)
{
	unsigned int eax, ebx, ecx, edx;
	const char *env = getenv("CUSTOMS_SHA256");

	if (env && !strcmp(env, "portable"))
		return;
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return;
	/* SSSE3 (byte shuffle) and SSE4.1 (blend) are used beside the SHA instructions. */
	if (!(ecx & (1u << 9)) || !(ecx & (1u << 19)))
		return;
	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		return;
	use_sha_ni = !!(ebx & (1u << 29));
}

/*
 * The SHA instructions keep the eight working variables in two registers
 * ordered (A,B,E,F) and (C,D,G,H), high lane first; sha256rnds2 does two
 * rounds and returns the new (A,B,E,F), whose old value becomes (C,D,G,H).
 */
__attribute__((target("sha,ssse3,sse4.1"))) static void sha_ni_blocks(uint32_t state[8],
								      const unsigned char *p, size_t nblocks)
{
	const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i abcd = _mm_loadu_si128((const __m128i *)(const void *)&state[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)(const void *)&state[4]);
	__m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
	__m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
	__m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);

	while (nblocks--) {
		__m128i saved_abef = abef, saved_cdgh = cdgh;
		__m128i w[4];
		int r;

		for (r = 0; r < 4; r++)
			w[r] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * r)),
						byte_swap);
#pragma GCC unroll 16
		for (r = 0; r < 16; r++) {
			__m128i k;

			if (r >= 4) {
				/* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time. */
				__m128i t = _mm_sha256msg1_epu32(w[r & 3], w[(r + 1) & 3]);
				t = _mm_add_epi32(t, _mm_alignr_epi8(w[(r + 3) & 3], w[(r + 2) & 3], 4));
				w[r & 3] = _mm_sha256msg2_epu32(t, w[(r + 3) & 3]);
			}
			k = _mm_add_epi32(
			    w[r & 3],
			    _mm_loadu_si128((const __m128i *)(const void *)&round_constants[4 * r]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(k, 0x0E));
		}
		abef = _mm_add_epi32(abef, saved_abef);
		cdgh = _mm_add_epi32(cdgh, saved_cdgh);
		p += 64;
	}

	{
		__m128i feba = _mm_shuffle_epi32(abef, 0x1B);
		__m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
		_mm_storeu_si128((__m128i *)(void *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
		_mm_storeu_si128((__m128i *)(void *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
	}
}
#else
static void detect_cpu(void)
{
}

static void sha_ni_blocks(uint32_t state[8], const unsigned char *p, size_t nblocks)
{
	abort();
}
#endif

int sha256_fast_is_accelerated(void)
{
	pthread_once(&detect_once, detect_cpu);
	return use_sha_ni;
}

void sha256_fast_init(struct sha256_fast_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->accelerated = sha256_fast_is_accelerated();
	if (ctx->accelerated)
		memcpy(ctx->state, initial_state, sizeof(initial_state));
	else
		sha256_init(&ctx->portable);
}

void sha256_fast_update(struct sha256_fast_ctx *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (!ctx->accelerated) {
		sha256_update(&ctx->portable, data, len);
		return;
	}
	ctx->total_len += len;
	if (ctx->block_len) {
		size_t take = 64 - ctx->block_len;

		if (take > len)
			take = len;
		memcpy(ctx->block + ctx->block_len, p, take);
		ctx->block_len += take;
		p += take;
		len -= take;
		if (ctx->block_len < 64)
			return;
		sha_ni_blocks(ctx->state, ctx->block, 1);
		ctx->block_len = 0;
	}
	if (len >= 64) {
		sha_ni_blocks(ctx->state, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	if (len) {
		memcpy(ctx->block, p, len);
		ctx->block_len = len;
	}
}

void sha256_fast_final_str(struct sha256_fast_ctx *ctx, char out[DIGEST_STR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t bits;
	int i;

	if (!ctx->accelerated) {
		sha256_final_str(&ctx->portable, out);
		return;
	}
	bits = ctx->total_len * 8;
	ctx->block[ctx->block_len++] = 0x80;
	if (ctx->block_len > 56) {
		memset(ctx->block + ctx->block_len, 0, 64 - ctx->block_len);
		sha_ni_blocks(ctx->state, ctx->block, 1);
		ctx->block_len = 0;
	}
	memset(ctx->block + ctx->block_len, 0, 56 - ctx->block_len);
	for (i = 0; i < 8; i++)
		ctx->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_ni_blocks(ctx->state, ctx->block, 1);

	memcpy(out, "sha256:", 7);
	for (i = 0; i < 32; i++) {
		unsigned char byte = (unsigned char)(ctx->state[i / 4] >> (24 - 8 * (i % 4)));
		out[7 + 2 * i] = hex[byte >> 4];
		out[7 + 2 * i + 1] = hex[byte & 15];
	}
	out[DIGEST_STR_LEN - 1] = '\0';
}
