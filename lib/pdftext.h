/*
 * pdftext — the text of a PDF, page by page in reading order (poppler-glib).
 *
 * A published report is a PDF; the importer reads text (textio.h, report.h).
 * kg_pdf_text turns the PDF's bytes into the UTF-8 text the importer would
 * get from a careful PDF-to-text conversion: each page's text in reading
 * order (poppler's, which follows columns), its lines ending in "\n", and a
 * form feed ("\f") after every page, as pdftotext writes them, so that the
 * page of every line is known (textio counts form feeds) — a one-page PDF's
 * too.
 *
 * It refuses, with one line each and nothing half-done: bytes that are not
 * a PDF (no "%PDF-" header), a PDF that needs a user password, a damaged PDF
 * (poppler cannot open it, or a page cannot be read), and a PDF with no text
 * layer at all (every page empty: scanned images).  Poppler's own warnings
 * about recoverable damage go to the log at debug level, never to stderr.
 *
 * This module links poppler-glib (and with it glib and cairo): only the
 * programs that convert PDFs link it (kigend, the kigen-pdftotext helper);
 * `kigen` itself tells a PDF by its magic bytes (kg_text_sniff in textio.h)
 * and hands it to the helper.
 */
#ifndef KG_PDFTEXT_H
#define KG_PDFTEXT_H

#include <stddef.h>

#include "err.h"

/*
 * Converts the PDF bytes[0..len) into *out, a new NUL-terminated UTF-8
 * string of *outlen bytes (the caller frees it).  On failure returns -1,
 * *out = NULL and err holds one of:
 *   "not a PDF (no %PDF- header)"
 *   "PDF is encrypted and needs a password"
 *   "damaged PDF (truncated: no %%EOF at its end)"
 *   "damaged PDF (<what poppler said>)"
 *   "PDF has no text layer (N pages without text: scanned images?)"
 *   "PDF text is above the limit of N MiB"
 *   "out of memory ..."
 * Inputs above KG_TEXT_MAX_BYTES (textio.h) are refused before poppler
 * sees them.
 */
int kg_pdf_text(const char *bytes, size_t len, char **out, size_t *outlen,
	struct kg_err *err);

#endif
