/*
 * hash — see hash.h.
 */
#include "hash.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

void
kg_sha256(const void *data, size_t len, unsigned char out[KG_SHA256_LEN])
{
	unsigned int n = KG_SHA256_LEN;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1)
		memset(out, 0, KG_SHA256_LEN);
}

int
kg_random_hex(char out[KG_RANDOM_HEX_LEN])
{
	unsigned char raw[(KG_RANDOM_HEX_LEN - 1) / 2];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
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
