/*
 * pdftext — see pdftext.h.  Poppler-glib opens the document from memory
 * (no temporary file), each page's text comes from poppler_page_get_text
 * (reading order), and the pages are glued with form feeds into one
 * growing buffer (ustr.h) bounded by KG_TEXT_MAX_BYTES.
 */
#include "pdftext.h"

#include <poppler.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "textio.h"
#include "ustr.h"

/* True when the page's text holds anything but white space. */
static bool
has_text(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t' && *s != '\f')
			return true;
	return false;
}

/* Poppler reports recoverable damage ("Syntax Error: ...") through glib's
 * log under the domain "Poppler"; the library must not print. */
static void
quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	(void)domain;
	(void)level;
	(void)message;
	(void)data;
}

static int
open_doc(const char *bytes, size_t len, PopplerDocument **doc, struct kg_err *err)
{
	GBytes *gb = g_bytes_new_static(bytes, len);
	GError *gerr = NULL;
	int rc = 0;

	*doc = poppler_document_new_from_bytes(gb, NULL, &gerr);
	g_bytes_unref(gb);
	if (*doc != NULL)
		return 0;
	if (gerr != NULL && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
		rc = kg_err_set(err, "PDF is encrypted and needs a password");
	else
		rc = kg_err_set(err, "damaged PDF (%s)", gerr != NULL ? gerr->message : "cannot open it");
	g_clear_error(&gerr);
	return rc;
}

int
kg_pdf_text(const char *bytes, size_t len, char **out, size_t *outlen, struct kg_err *err)
{
	PopplerDocument *doc = NULL;
	struct kg_buf b = {0};
	guint handler;
	int i, npages, empty = 0, rc = -1;

	*out = NULL;
	*outlen = 0;
	if (!kg_text_is_pdf(bytes, len))
		return kg_err_set(err, "not a PDF (no %%PDF- header)");
	if (len > KG_TEXT_MAX_BYTES)
		return kg_err_set(err, "PDF is %zu bytes, above the limit of %zu MiB", len,
		    KG_TEXT_MAX_BYTES >> 20);
	/* A PDF ends with %%EOF (readers accept it within the last 1 KiB): a
	 * truncated download would otherwise give the text of fewer pages. */
	if (memmem(bytes + (len > 1024 ? len - 1024 : 0), len > 1024 ? 1024 : len, "%%EOF", 5) == NULL)
		return kg_err_set(err, "damaged PDF (truncated: no %%%%EOF at its end)");
	handler = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
	    G_LOG_FLAG_RECURSION, quiet, NULL);
	if (open_doc(bytes, len, &doc, err) < 0)
		goto out;
	npages = poppler_document_get_n_pages(doc);
	if (npages <= 0) {
		kg_err_set(err, "damaged PDF (no pages)");
		goto out;
	}
	for (i = 0; i < npages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *text;
		size_t n;
		int r;

		if (page == NULL) {
			kg_err_set(err, "damaged PDF (page %d of %d cannot be read)", i + 1, npages);
			goto out;
		}
		text = poppler_page_get_text(page);
		g_object_unref(page);
		if (text == NULL || !has_text(text))
			empty++;
		n = text != NULL ? strlen(text) : 0;
		r = kg_buf_add(&b, text ? text : "", n);
		if (r == 0 && n > 0 && text[n - 1] != '\n')
			r = kg_buf_add(&b, "\n", 1);
		if (r == 0)
			r = kg_buf_add(&b, "\f", 1);
		g_free(text);
		if (r < 0) {
			kg_err_set(err, "out of memory reading page %d of the PDF", i + 1);
			goto out;
		}
		if (b.len > KG_TEXT_MAX_BYTES) {
			kg_err_set(err, "PDF text is above the limit of %zu MiB",
			    KG_TEXT_MAX_BYTES >> 20);
			goto out;
		}
	}
	if (empty == npages) {
		kg_err_set(err, "PDF has no text layer (%d page%s without text: scanned images?)",
		    npages, npages == 1 ? "" : "s");
		goto out;
	}
	*out = b.s;
	*outlen = b.len;
	b.s = NULL;
	rc = 0;
out:
	free(b.s);
	if (doc != NULL)
		g_object_unref(doc);
	g_log_remove_handler("Poppler", handler);
	return rc;
}
