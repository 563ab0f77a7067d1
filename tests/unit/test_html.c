/* Unit tests for lib/html: text from outside is escaped wherever it goes
 * (text, formats, URLs), markup only from literals, numbers formatted as
 * printf would, fragments joined, failures remembered — table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* A kg_html writing into memory; out() closes it and returns the text. */
struct mem {
	struct kg_html h;
	FILE *f;
	char *buf;
	size_t len;
};

static void
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	kg_html_init(&m->h, m->f);
}

static char *
mem_close(struct mem *m)
{
	assert_false(kg_html_failed(&m->h));
	assert_int_equal(fclose(m->f), 0);
	return m->buf;
}

struct row {
	const char *in, *want;
};

/* Each row's in written through write, compared with its want. */
static void
check_rows(void (*write)(struct kg_html *, const char *), const struct row *rows, size_t n)
{
	struct mem m;
	size_t i;
	char *s;

	for (i = 0; i < n; i++) {
		mem_open(&m);
		write(&m.h, rows[i].in);
		s = mem_close(&m);
		assert_string_equal(s, rows[i].want);
		free(s);
	}
}

static void
test_text(void **state)
{
	static const struct row rows[] = {
		{"", ""},
		{"演習を実施", "演習を実施"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"R&D \"quoted\" 'single'", "R&amp;D &quot;quoted&quot; &#39;single&#39;"},
		{"a\x01" "b\x1b[2Jc\x7f", "ab[2Jc"},           /* controls dropped */
		{"tab\there\nline", "tab\there\nline"},        /* tab and newline kept */
		{"&amp;", "&amp;amp;"},                        /* escaped again: it is text */
		{"\" onmouseover=\"x", "&quot; onmouseover=&quot;x"},
	};
	struct mem m;
	char *s;

	(void)state;
	check_rows(kg_html_text, rows, sizeof(rows) / sizeof(rows[0]));
	mem_open(&m);
	kg_html_text(&m.h, NULL);
	kg_html_text_n(&m.h, "<b>bold", 3);
	s = mem_close(&m);
	assert_string_equal(s, "&lt;b&gt;");
	free(s);
}

static void
test_format(void **state)
{
	struct mem m;
	char *s;

	(void)state;
	mem_open(&m);
	KG_HTML(&m.h, "<a href=\"m/%lld\" title=\"%s\">%s</a>", 42LL, "a\"b", "<i>x</i>");
	s = mem_close(&m);
	assert_string_equal(s, "<a href=\"m/42\" title=\"a&quot;b\">&lt;i&gt;x&lt;/i&gt;</a>");
	free(s);

	/* Numbers as printf writes them; %% and %.*s. */
	mem_open(&m);
	KG_HTML(&m.h, "%d|%5d|%-3d|%02d|%+d|%u|%ld|%lld|%zu|%x|%.1f|%.0f|%g|%%|%.*s|%.3s|%*d",
	    -7, 42, 1, 5, 3, 7u, 123456789L, -9000000000LL, (size_t)12, 255u, 2.25, 99.6, 0.5,
	    4, "<<<<<<", "abcdef", 4, 9);
	s = mem_close(&m);
	assert_string_equal(s, "-7|   42|1  |05|+3|7|123456789|-9000000000|12|ff|2.2|100|0.5|%|"
	    "&lt;&lt;&lt;&lt;|abc|   9");
	free(s);

	/* A precision cuts at a character boundary, never in a character. */
	mem_open(&m);
	KG_HTML(&m.h, "[%.*s]", 4, "演習");
	s = mem_close(&m);
	assert_string_equal(s, "[演]");
	free(s);

	/* A NULL string is nothing (one gcc cannot see is NULL). */
	mem_open(&m);
	KG_HTML(&m.h, "[%s]", getenv("KIGEN_TEST_UNSET_VARIABLE"));
	KG_HTML_LIT(&m.h, "<br>");
	s = mem_close(&m);
	assert_string_equal(s, "[]<br>");
	free(s);
}

static void
test_url_part(void **state)
{
	static const struct row rows[] = {
		{"総務省", "%E7%B7%8F%E5%8B%99%E7%9C%81"},
		{"a b&c=d?e#f", "a%20b%26c%3Dd%3Fe%23f"},
		{"\"><script>", "%22%3E%3Cscript%3E"},
		{"Az09-._~", "Az09-._~"},
		{"javascript:alert(1)", "javascript%3Aalert%281%29"},
	};

	(void)state;
	check_rows(kg_html_url_part, rows, sizeof(rows) / sizeof(rows[0]));
}

static void
test_fragments(void **state)
{
	struct kg_html_buf b;
	struct mem m;
	char *s;

	(void)state;
	assert_int_equal(kg_html_buf_open(&b), 0);
	KG_HTML(&b.h, "<g>%s</g>", "<x>");
	mem_open(&m);
	KG_HTML_LIT(&m.h, "<svg>");
	kg_html_append(&m.h, &b);
	KG_HTML_LIT(&m.h, "</svg>");
	s = mem_close(&m);
	assert_string_equal(s, "<svg><g>&lt;x&gt;</g></svg>");
	free(s);
	kg_html_buf_close(&b);
	kg_html_buf_close(&b); /* twice is harmless */
}

static ssize_t
refuse(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	(void)buf;
	(void)size;
	return -1;
}

/* A write that fails is remembered, so a page is checked once at the end. */
static void
test_failure(void **state)
{
	static const cookie_io_functions_t io = {.write = refuse};
	struct kg_html h;
	FILE *f = fopencookie(NULL, "w", io);

	(void)state;
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	kg_html_init(&h, f);
	assert_false(kg_html_failed(&h));
	KG_HTML(&h, "<p>%s</p>", "text");
	assert_true(kg_html_failed(&h));
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_url_part),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_failure),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
