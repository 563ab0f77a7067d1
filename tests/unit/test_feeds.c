/* Unit tests for daemon/feeds' choice of representation: which
 * Accept-Encoding values get the gzip rendition, and which If-None-Match
 * values name an ETag (the 304).  The responses themselves are
 * test_rendition's; the whole exchange over HTTP is the integration
 * tests'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>

#include "feeds.h"

static void
test_accepts_gzip(void **state)
{
	static const struct {
		const char *ae;
		bool gzip;
	} rows[] = {
		{"gzip", true},
		{"GZIP", true},
		{"gzip, deflate, br", true},
		{"deflate, gzip", true},
		{"br,gzip", true},
		{"  gzip  ", true},
		{"gzip;q=0.5", true},
		{"gzip; q=1", true},
		{"gzip;q=0.001", true},
		{"deflate;q=0, gzip", true},    /* another coding's q= is not gzip's */
		{"gzip;q=0", false},
		{"gzip;q=0.0", false},
		{"gzip; q=0, deflate", false},
		{"identity", false},
		{"", false},
		{"deflate, br", false},
		{"x-gzip", false},              /* a name that merely contains gzip */
		{"gzipped", false},
		{"*", false},                   /* not named: the plain text is safe */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (kg_feeds_accepts_gzip(rows[i].ae) != rows[i].gzip)
			fail_msg("Accept-Encoding '%s': want %s", rows[i].ae,
			    rows[i].gzip ? "gzip" : "plain");
	assert_false(kg_feeds_accepts_gzip(NULL));
}

static void
test_etag_listed(void **state)
{
	static const char etag[] = "\"3f2a9c\"";
	static const struct {
		const char *inm;
		bool match;
	} rows[] = {
		{"\"3f2a9c\"", true},
		{"W/\"3f2a9c\"", true},                 /* weak comparison */
		{"\"aaaa\", \"3f2a9c\"", true},
		{"\"aaaa\",\"3f2a9c\"", true},
		{"\"3f2a9c\", \"aaaa\"", true},
		{"  \"3f2a9c\"", true},
		{"*", true},
		{"\"aaaa\", *", true},
		{"\"3f2a9\"", false},                   /* a prefix */
		{"\"3f2a9c0\"", false},                 /* longer */
		{"3f2a9c", false},                      /* unquoted */
		{"\"3F2A9C\"", false},                  /* opaque: case matters */
		{"\"aaaa\"", false},
		{"", false},
		{"W/", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (kg_feeds_etag_listed(rows[i].inm, etag) != rows[i].match)
			fail_msg("If-None-Match '%s': want %s", rows[i].inm,
			    rows[i].match ? "304" : "200");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_gzip),
		cmocka_unit_test(test_etag_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
