/*
 * document — a published document as it comes (a file, standard input, a
 * download) turned into what the importer merges: the one place that
 * decides, by content, whether the bytes are a PDF or a text report.
 *
 * A PDF ("%PDF-" within its first KiB, textio.h) is converted to text by
 * the caller's converter — kigend calls pdftext.h directly; kigen runs its
 * kigen-pdftotext helper so that it does not link poppler — and the text
 * is parsed as a report (report.h); anything else is parsed as a text
 * report in the encoding given or detected.  A name that says PDF (ending
 * in .pdf) on bytes that are not a PDF is refused: a download error page
 * or a mislabelled file, never a report.  The document's SHA-256 is always
 * that of the bytes as they came (the PDF's, not its text's), so the same
 * file imported again is recognised.
 */
#ifndef KG_DOCUMENT_H
#define KG_DOCUMENT_H

#include <stddef.h>

#include "err.h"
#include "model.h"
#include "report.h"

/* Converts a PDF's bytes into text with form feeds between pages (as
 * kg_pdf_text does): *text is a new NUL-terminated buffer of *len bytes.
 * -1 with err set (one line, not prefixed) on failure. */
typedef int kg_pdf_convert_fn(void *arg, const char *pdf, size_t pdf_len, char **text,
    size_t *len, struct kg_err *err);

/*
 * Parses the document bytes[0..len) into out (zeroed first; the caller
 * clears it with kg_import_clear, also after a failure).  o->name names it
 * (required: the file's basename, "stdin", the URL's last segment); o's
 * encoding and as-of apply to text (a PDF's text is UTF-8).  convert is
 * called for a PDF only.  Errors are those of the converter and of
 * kg_report_parse, and "not a PDF (no %PDF- header) although named .pdf"; they are
 * not prefixed with the name (the caller knows how to call the source).
 * Returns 0, -1, or KG_REPORT_NO_AS_OF as kg_report_parse does.
 */
int kg_document_parse(const char *bytes, size_t len, const struct kg_report_opts *o,
    kg_pdf_convert_fn *convert, void *arg, struct kg_import *out, struct kg_err *err);

/* The name a download is recorded under: the last segment of the URL's
 * path ("report.pdf"), else its host.  url starts with a scheme and "://".
 * New string; NULL on ENOMEM. */
char *kg_document_url_name(const char *url);

#endif
