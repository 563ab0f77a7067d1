/* Unit tests for daemon/redact: tokens hidden in every spelling of a
 * request target, control characters escaped, cut without splitting a
 * character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "redact.h"

static void
test_tokens(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"/feed.ics", "/feed.ics"},
		{"/feeds/soumu.ics?owner=%E7%B7%8F", "/feeds/soumu.ics?owner=\xe7\xb7\x8f"},
		{"/t/SECRET/feed.ics", "/t/***/feed.ics"},
		{"//t/SECRET/feed.ics", "//t/***/feed.ics"},
		{"/t//SECRET/feed.ics", "/t//***/feed.ics"},
		{"/t/SECRET", "/t/***"},
		{"/T/SECRET/x", "/T/***/x"},
		{"/t%2FSECRET/feed.ics", "/t/***/feed.ics"},
		{"%2ft%2fSECRET%2ffeed.ics", "/t/***/feed.ics"},
		{"/feed.ics?token=SECRET", "/feed.ics?token=***"},
		{"/feed.ics?kind=report&token=SECRET&x=1", "/feed.ics?kind=report&token=***&x=1"},
		{"/feed.ics?TOKEN=SECRET", "/feed.ics?TOKEN=***"},
		{"/feed.ics%3ftoken=SECRET", "/feed.ics?token=***"},
		{"/feed.ics%253ftoken%253dSECRET", "/feed.ics?token=***"},
		{"/feed.ics;token=SECRET", "/feed.ics;token=***"},
		{"/x?%74oken=SECRET", "/x?token=***"},
		{"GET /t/SECRET/feed.ics HTTP/1.1", "GET /t/***/feed.ics HTTP/1.1"},
		{"url `/feed.ics?token=SECRET HTTP/1.1'", "url `/feed.ics?token=*** HTTP/1.1'"},
		{"/tt/notatoken", "/tt/notatoken"},
		{"/at/x", "/at/x"},
		{"/t", "/t"},
		{"/t/", "/t/"},
		{"/bad%zz%", "/bad%zz%"},
	};
	char out[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_string_equal(kg_redact(rows[i].in, out, sizeof(out)), rows[i].out);
}

static void
test_escapes(void **state)
{
	char out[256];

	(void)state;
	assert_string_equal(kg_redact("/a%0d%0aforged: line", out, sizeof(out)),
	    "/a\\x0d\\x0aforged: line");
	assert_string_equal(kg_redact("/a%00b", out, sizeof(out)), "/a\\x00b");
	assert_string_equal(kg_redact("/a%1b[2J", out, sizeof(out)), "/a\\x1b[2J");
	assert_string_equal(kg_redact("/a%7f", out, sizeof(out)), "/a\\x7f");
	/* A decoded NUL does not hide what follows it. */
	assert_string_equal(kg_redact("/x%00/t/SECRET", out, sizeof(out)), "/x\\x00/t/***");
}

static void
test_cut(void **state)
{
	char out[7];

	(void)state;
	/* "/あいう": 1 + 3 * 3 bytes; 6 bytes of room hold "/あ" and a part. */
	assert_string_equal(kg_redact("/\xe3\x81\x82\xe3\x81\x84\xe3\x81\x86", out, sizeof(out)),
	    "/\xe3\x81\x82");
	assert_string_equal(kg_redact("/t/SECRETSECRET", out, sizeof(out)), "/t/***");
	assert_string_equal(kg_redact("", out, sizeof(out)), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
