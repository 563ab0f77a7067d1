/* Unit tests for lib/hash: SHA-256 against published test vectors, whole
 * and piece by piece, the constant-time comparison, the one hex encoder,
 * random hex ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hash.h"

static void
test_sha256(void **state)
{
	static const struct {
		const char *in, *hex;
	} rows[] = {
		/* FIPS 180-2 examples */
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	static const size_t pieces[] = {1, 2, 7, 64};
	unsigned char md[KG_SHA256_LEN];
	char hex[2 * KG_SHA256_LEN + 1];
	struct kg_sha256_ctx ctx;
	size_t i, k, at, len, n;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		kg_sha256(rows[i].in, strlen(rows[i].in), md);
		assert_string_equal(kg_hex(md, sizeof(md), hex), rows[i].hex);
		/* The same bytes in pieces of k bytes give the same digest. */
		len = strlen(rows[i].in);
		for (k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
			kg_sha256_init(&ctx);
			for (at = 0; at < len; at += n) {
				n = len - at < pieces[k] ? len - at : pieces[k];
				kg_sha256_update(&ctx, rows[i].in + at, n);
			}
			kg_sha256_final(&ctx, md);
			assert_string_equal(kg_hex(md, sizeof(md), hex), rows[i].hex);
		}
	}
}

static void
test_memeq_secret(void **state)
{
	static const struct {
		const char *a, *b;
		size_t n;
		bool equal;
	} rows[] = {
		{"", "", 0, true},
		{"abc", "abd", 2, true},   /* only the first n bytes count */
		{"abc", "abd", 3, false},
		{"xbc", "abc", 3, false},  /* first byte */
		{"abcdefgh", "abcdefgh", 8, true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(kg_memeq_secret(rows[i].a, rows[i].b, rows[i].n), rows[i].equal);
}

static void
test_hex(void **state)
{
	static const unsigned char raw[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	char out[2 * sizeof(raw) + 1];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_ptr_equal(kg_hex(raw, sizeof(raw), out), out);
	assert_string_equal(out, "00017f80abff");
	assert_string_equal(kg_hex(raw, 0, out), "");
	assert_string_equal(kg_hex(raw + 4, 1, out), "ab");
}

static void
test_random_hex(void **state)
{
	char a[KG_RANDOM_HEX_LEN], b[KG_RANDOM_HEX_LEN];

	(void)state;
	assert_int_equal(kg_random_hex(a), 0);
	assert_int_equal(kg_random_hex(b), 0);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_string_not_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_memeq_secret),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_random_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
