/*
 * Unit tests for lib/pdftext: PDFs made here with cairo (text in a Japanese
 * font, pages without text) and by hand (an encrypted one), converted, and
 * compared with the text they carry; each refusal with its message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdftext.h"
#include "textio.h"

/* fontconfig, under cairo's font selection, keeps part of its parsed
 * configuration to the end of the process: the library's, not ours. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

struct mem {
	char *s;
	size_t len;
};

static cairo_status_t
mem_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct mem *m = closure;

	m->s = realloc(m->s, m->len + len + 1);
	assert_non_null(m->s);
	memcpy(m->s + m->len, data, len);
	m->len += len;
	m->s[m->len] = '\0';
	return CAIRO_STATUS_SUCCESS;
}

/* A PDF with one page per entry of pages: its lines drawn as text ("\n"
 * separates lines), or for NULL a page with only a drawing. */
static struct mem
make_pdf(const char *const *pages, size_t npages)
{
	struct mem m = {0};
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(mem_write, &m, 420, 300);
	cairo_t *cr = cairo_create(s);
	size_t i;

	cairo_select_font_face(cr, "IPAGothic", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 12);
	for (i = 0; i < npages; i++) {
		const char *p = pages[i], *nl;
		double y = 40;
		char line[256];

		if (p == NULL) {
			cairo_rectangle(cr, 20, 20, 200, 100);
			cairo_fill(cr);
		}
		for (; p != NULL && *p; p = *nl ? nl + 1 : nl, y += 20) {
			nl = strchr(p, '\n');
			if (nl == NULL)
				nl = p + strlen(p);
			snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
			cairo_move_to(cr, 20, y);
			cairo_show_text(cr, line);
		}
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	return m;
}

static void
expect_text(const char *bytes, size_t len, const char *want)
{
	struct kg_err err = {{0}};
	char *text = NULL;
	size_t n = 0;

	if (kg_pdf_text(bytes, len, &text, &n, &err) < 0)
		fail_msg("kg_pdf_text: %s", err.msg);
	assert_string_equal(text, want);
	assert_int_equal(n, strlen(want));
	free(text);
}

static void
expect_refusal(const char *bytes, size_t len, const char *want)
{
	struct kg_err err = {{0}};
	char *text = (char *)"unchanged";
	size_t n = 1;

	assert_int_equal(kg_pdf_text(bytes, len, &text, &n, &err), -1);
	assert_null(text);
	assert_int_equal(n, 0);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, want);
}

static void
test_pages_in_order(void **state)
{
	static const char *const pages[] = {
		"【施策名】 演習の実施（内閣官房）\n・平成20年12月１日に演習を実施予定。",
		"- 2 -",
		NULL, /* a figure only: an empty page keeps its form feed */
		"平成21年３月末",
	};
	struct mem m = make_pdf(pages, 4);

	(void)state;
	assert_true(kg_text_is_pdf(m.s, m.len));
	expect_text(m.s, m.len,
	    "【施策名】 演習の実施（内閣官房）\n・平成20年12月１日に演習を実施予定。\n"
	    "\f- 2 -\n\f\f平成21年３月末\n\f");
	free(m.s);
}

static void
test_refusals(void **state)
{
	static const char *const text_pages[] = {"a page of text"};
	static const char *const blank_pages[] = {NULL, NULL};
	struct mem ok = make_pdf(text_pages, 1), scanned = make_pdf(blank_pages, 2);
	/* The smallest PDF whose standard security handler rejects the empty
	 * user password (random O and U entries): a reader must ask for one. */
	static const char encrypted[] =
	    "%PDF-1.4\n"
	    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
	    "4 0 obj << /Filter /Standard /V 1 /R 2 /P -4\n"
	    "/O <8a1f5c6e0b7d3a9e2c4f6a8b0d1e3f5a7c9e0b2d4f6a8c0e1f3a5c7e9b0d2f4a>\n"
	    "/U <1c3e5a7c9e0b2d4f6a8c0e1f3a5c7e9b8a1f5c6e0b7d3a9e2c4f6a8b0d1e3f5a> >> endobj\n"
	    "trailer << /Root 1 0 R /Size 5 /Encrypt 4 0 R\n"
	    "/ID [<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>] >>\n"
	    "%%EOF\n";
	static const char *const not_pdf[] = {
		"「セキュア・ジャパン２００８」の進捗状況（上半期）について\n",
		"<html><body>404 Not Found</body></html>\n",
		"",
	};
	size_t i;

	(void)state;
	expect_text(ok.s, ok.len, "a page of text\n\f");
	for (i = 0; i < sizeof(not_pdf) / sizeof(not_pdf[0]); i++)
		expect_refusal(not_pdf[i], strlen(not_pdf[i]), "not a PDF (no %PDF- header)");
	expect_refusal(encrypted, sizeof(encrypted) - 1, "PDF is encrypted and needs a password");
	expect_refusal(scanned.s, scanned.len,
	    "PDF has no text layer (2 pages without text: scanned images?)");
	/* Cut short anywhere (an interrupted download): damaged. */
	expect_refusal(ok.s, ok.len / 2, "damaged PDF (truncated");
	expect_refusal(ok.s, ok.len - 8, "damaged PDF (truncated");
	/* The header and the end are there, the middle is garbage. */
	memset(ok.s + 9, 'x', ok.len - 9 - 8);
	expect_refusal(ok.s, ok.len, "damaged PDF (");
	free(ok.s);
	free(scanned.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_in_order),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("pdftext", tests, NULL, NULL);
}
