/*
 * hash — SHA-256 (nettle), random bytes (the kernel's: getrandom(2)) and
 * the one hex encoder: content hashes of documents, UIDs, ETags, token
 * digests and random ids all go through here.  Not libcrypto: OpenSSL's
 * library takes a millisecond of every kigen run to load (bench/README.md).
 */
#ifndef KG_HASH_H
#define KG_HASH_H

#include <nettle/sha2.h>
#include <stdbool.h>
#include <stddef.h>

#define KG_SHA256_LEN 32

/* out = SHA-256 of data[0..len).  Cannot fail. */
void kg_sha256(const void *data, size_t len, unsigned char out[KG_SHA256_LEN]);

/* A SHA-256 of bytes given piece by piece: kg_sha256_init, then
 * kg_sha256_update as often as needed, then kg_sha256_final, which ends
 * it.  Nothing to free; cannot fail. */
struct kg_sha256_ctx {
	struct sha256_ctx nettle;
};

void kg_sha256_init(struct kg_sha256_ctx *ctx);
void kg_sha256_update(struct kg_sha256_ctx *ctx, const void *data, size_t len);
void kg_sha256_final(struct kg_sha256_ctx *ctx, unsigned char out[KG_SHA256_LEN]);

/* Whether a[0..n) and b[0..n) are equal, in a time that does not depend on
 * where they differ (digests of secrets). */
bool kg_memeq_secret(const void *a, const void *b, size_t n);

/* 16 fresh random bytes (the kernel's CSPRNG) as 32 hex digits and a NUL:
 * random ids and UIDs.  -1 when no random bytes could be drawn. */
#define KG_RANDOM_HEX_LEN 33
int kg_random_hex(char out[KG_RANDOM_HEX_LEN]);

/* Writes 2 * n lowercase hex digits of raw[0..n) and a NUL to out, which
 * holds at least 2 * n + 1 bytes.  Returns out. */
char *kg_hex(const unsigned char *raw, size_t n, char *out);

#endif
