/*
 * hash — see hash.h.
 */
#include "hash.h"

#include <errno.h>
#include <nettle/memops.h>
#include <sys/random.h>
#include <sys/types.h>

void
kg_sha256_init(struct kg_sha256_ctx *ctx)
{
	sha256_init(&ctx->nettle);
}

void
kg_sha256_update(struct kg_sha256_ctx *ctx, const void *data, size_t len)
{
	sha256_update(&ctx->nettle, len, data);
}

void
kg_sha256_final(struct kg_sha256_ctx *ctx, unsigned char out[KG_SHA256_LEN])
{
	sha256_digest(&ctx->nettle, KG_SHA256_LEN, out);
}

void
kg_sha256(const void *data, size_t len, unsigned char out[KG_SHA256_LEN])
{
	struct kg_sha256_ctx ctx;

	kg_sha256_init(&ctx);
	kg_sha256_update(&ctx, data, len);
	kg_sha256_final(&ctx, out);
}

bool
kg_memeq_secret(const void *a, const void *b, size_t n)
{
	return memeql_sec(a, b, n) != 0;
}

int
kg_random_hex(char out[KG_RANDOM_HEX_LEN])
{
	unsigned char raw[(KG_RANDOM_HEX_LEN - 1) / 2];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(raw)) {
		n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno != EINTR)
			return -1;
		got += n > 0 ? (size_t)n : 0;
	}
	kg_hex(raw, sizeof(raw), out);
	return 0;
}

char *
kg_hex(const unsigned char *raw, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}
