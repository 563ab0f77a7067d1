/*
 * Unit tests for lib/textio's pages and content detection (its decoding is
 * covered through test_report): a table of texts with form feeds and the
 * page each line must carry, then a table of byte strings that are or are
 * not PDFs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "textio.h"

#define MAXL 8

static const struct {
	const char *text;
	size_t nlines;
	const char *lines[MAXL]; /* each line's text, form feeds removed */
	int pages[MAXL];
} page_cases[] = {
	/* no form feed: pages unknown */
	{"a\nb\n", 2, {"a", "b"}, {0, 0}},
	/* what pdftext.h writes: a form feed before each page after the first */
	{"a\nb\n\fc\n\fd\n", 4, {"a", "b", "c", "d"}, {1, 1, 2, 3}},
	/* what pdftotext writes: one after every page, the last one too */
	{"a\n\fb\n\f", 3, {"a", "b", ""}, {1, 2, 3}},
	/* an empty page: two form feeds in a row */
	{"a\n\f\fb\n", 2, {"a", "b"}, {1, 3}},
	/* a form feed inside a line: a space there; the next line is on the
	 * next page */
	{"a\fb\nc\n", 2, {"a b", "c"}, {1, 2}},
	/* CRLF line ends keep their numbering */
	{"x\r\n\fy\r\n", 2, {"x", "y"}, {1, 2}},
};

static void
test_pages(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(page_cases) / sizeof(page_cases[0]); i++) {
		struct kg_text t;
		struct kg_err err;

		assert_int_equal(kg_text_decode(page_cases[i].text, strlen(page_cases[i].text),
		    NULL, &t, &err), 0);
		if (t.nlines != page_cases[i].nlines)
			fail_msg("case %zu: %zu lines, want %zu", i, t.nlines, page_cases[i].nlines);
		for (k = 0; k < t.nlines; k++) {
			const char *want = page_cases[i].lines[k];

			if (t.lines[k].len != strlen(want) || memcmp(t.lines[k].s, want, strlen(want)) != 0)
				fail_msg("case %zu line %zu: '%.*s', want '%s'", i, k,
				    (int)t.lines[k].len, t.lines[k].s, want);
			if (t.lines[k].page != page_cases[i].pages[k])
				fail_msg("case %zu line %zu: page %d, want %d", i, k, t.lines[k].page,
				    page_cases[i].pages[k]);
			assert_int_equal(t.lines[k].lineno, (int)k + 1);
		}
		kg_text_release(&t);
	}
}

static const struct {
	const char *bytes;
	size_t len;
	bool pdf;
} sniff_cases[] = {
	{"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n", 14, true},
	{"\xEF\xBB\xBF%PDF-1.4\n", 12, true},      /* junk before the header */
	{"%PDF", 4, false},                         /* cut short */
	{"%!PS-Adobe-3.0\n", 15, false},
	{"<html><body>Not Found</body></html>", 35, false},
	{"\xE3\x80\x8C\xE3\x82\xBB", 6, false},     /* 「セ */
	{"", 0, false},
};

static void
test_is_pdf(void **state)
{
	char far[2048];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sniff_cases) / sizeof(sniff_cases[0]); i++)
		if (kg_text_is_pdf(sniff_cases[i].bytes, sniff_cases[i].len) != sniff_cases[i].pdf)
			fail_msg("case %zu: is_pdf != %d", i, sniff_cases[i].pdf);
	/* The header is looked for in the first KiB only. */
	memset(far, ' ', sizeof(far));
	memcpy(far + 1019, "%PDF-", 5);
	assert_true(kg_text_is_pdf(far, sizeof(far)));
	memcpy(far + 1019, "     ", 5);
	memcpy(far + 1020, "%PDF-", 5);
	assert_false(kg_text_is_pdf(far, sizeof(far)));
}

/* Reading a pipe (standard input), a directory, and more than the limit. */
static void
test_read_fd(void **state)
{
	char dir[] = "/tmp/kigen-test-textio-XXXXXX", path[256], *bytes;
	int fds[2], fd;
	size_t len;
	struct kg_err err;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "%PDF-1.4\n", 9), 9);
	close(fds[1]);
	assert_int_equal(kg_text_read_fd(fds[0], &bytes, &len, &err), 0);
	close(fds[0]);
	assert_int_equal(len, 9);
	assert_string_equal(bytes, "%PDF-1.4\n");
	free(bytes);

	assert_non_null(mkdtemp(dir));
	fd = open(dir, O_RDONLY);
	assert_int_equal(kg_text_read_fd(fd, &bytes, &len, &err), -1);
	assert_string_equal(err.msg, "not a regular file");
	assert_null(bytes);
	close(fd);

	/* a file: refused before it is read (sparse: no disk used) */
	snprintf(path, sizeof(path), "%s/huge", dir);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	assert_int_equal(ftruncate(fd, (off_t)KG_TEXT_MAX_BYTES + 1), 0);
	assert_int_equal(kg_text_read_fd(fd, &bytes, &len, &err), -1);
	assert_non_null(strstr(err.msg, "above the limit of 16 MiB"));
	close(fd);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_is_pdf),
		cmocka_unit_test(test_read_fd),
	};

	return cmocka_run_group_tests_name("textio", tests, NULL, NULL);
}
