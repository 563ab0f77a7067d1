/*
 * Unit tests for lib/document: a PDF is known by its content (the
 * converter is called for it alone, whatever the name), a text named .pdf
 * is refused, the document's SHA-256 is that of the bytes as they came, and
 * the names downloads are recorded under.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "hash.h"
#include "test_files.h"

#define FAKE_PDF "%PDF-1.4\n(a report)\n%%EOF\n"

static char *sample;
static size_t sample_len;
static int conversions;

/* A converter that "finds" the sample report's text in any PDF. */
static int
fake_convert(void *arg, const char *pdf, size_t len, char **text, size_t *tlen,
    struct kg_err *err)
{
	(void)pdf, (void)len;
	conversions++;
	if (arg != NULL)
		return kg_err_set(err, "%s", (const char *)arg);
	*text = strdup(sample);
	*tlen = sample_len;
	return 0;
}

static int
setup(void **state)
{
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/data/secure-japan-2008-h1.txt", test_top());
	sample = test_read_file(path, &sample_len);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(sample);
	return 0;
}

static void
sha256_hex(const char *bytes, size_t len, char out[65])
{
	unsigned char md[KG_SHA256_LEN];

	kg_sha256(bytes, len, md);
	kg_hex(md, sizeof(md), out);
}

static void
test_by_content(void **state)
{
	static const char *const names[] = {"report.pdf", "report.txt", "stdin", "REPORT.PDF"};
	struct kg_report_opts o = {.as_of = KG_DAY_NONE, .encoding = "cp932"};
	struct kg_import imp;
	struct kg_err err;
	char sha[65];
	size_t i;

	(void)state;
	/* a PDF, whatever its name: converted, its own bytes' hash recorded, and
	 * its text read as UTF-8 whatever --encoding said */
	sha256_hex(FAKE_PDF, strlen(FAKE_PDF), sha);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		o.name = names[i];
		conversions = 0;
		if (kg_document_parse(FAKE_PDF, strlen(FAKE_PDF), &o, fake_convert, NULL, &imp,
		    &err) < 0)
			fail_msg("%s: %s", names[i], err.msg);
		assert_int_equal(conversions, 1);
		assert_int_equal(imp.measures.n, 32);
		assert_string_equal(imp.doc.name, names[i]);
		assert_string_equal(imp.doc.sha256, sha);
		kg_import_clear(&imp);
	}
	/* text: never converted, its own hash */
	o.encoding = NULL;
	o.name = "report.txt";
	conversions = 0;
	assert_int_equal(kg_document_parse(sample, sample_len, &o, fake_convert, NULL, &imp,
	    &err), 0);
	assert_int_equal(conversions, 0);
	assert_int_equal(imp.measures.n, 32);
	sha256_hex(sample, sample_len, sha);
	assert_string_equal(imp.doc.sha256, sha);
	kg_import_clear(&imp);
}

static void
test_refusals(void **state)
{
	struct kg_report_opts o = {.as_of = KG_DAY_NONE, .name = "report.pdf"};
	struct kg_import imp;
	struct kg_err err;

	(void)state;
	/* a text under a PDF's name: a download error page, a wrong file */
	assert_int_equal(kg_document_parse(sample, sample_len, &o, fake_convert, NULL, &imp,
	    &err), -1);
	assert_string_equal(err.msg, "not a PDF (no %PDF- header) although named .pdf");
	assert_int_equal(imp.measures.n, 0);
	kg_import_clear(&imp);
	/* the converter's refusal is the document's */
	assert_int_equal(kg_document_parse(FAKE_PDF, strlen(FAKE_PDF), &o, fake_convert,
	    (void *)"PDF is encrypted and needs a password", &imp, &err), -1);
	assert_string_equal(err.msg, "PDF is encrypted and needs a password");
	kg_import_clear(&imp);
}

static void
test_url_name(void **state)
{
	static const struct { const char *url, *name; } cases[] = {
		{"https://www.example.go.jp/sec/2008/report.pdf", "report.pdf"},
		{"http://127.0.0.1:8080/r.txt?from=test#top", "r.txt"},
		{"http://127.0.0.1:8080/dir/", "127.0.0.1:8080"},
		{"https://example.org", "example.org"},
		{"https://example.org?x=1", "example.org"},
	};
	size_t i;
	char *name;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		name = kg_document_url_name(cases[i].url);
		assert_non_null(name);
		if (strcmp(name, cases[i].name) != 0)
			fail_msg("%s: '%s', want '%s'", cases[i].url, name, cases[i].name);
		free(name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_content),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_url_name),
	};

	return cmocka_run_group_tests_name("document", tests, setup, teardown);
}
