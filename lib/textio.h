/*
 * textio — the bytes of a report file as UTF-8 lines.
 *
 * Reports come as UTF-8 (with or without a BOM) or in the legacy Japanese
 * encodings, which in practice are CP932 (what Windows calls Shift_JIS; the
 * reports' ① exists only there) and EUC-JP-MS.  kg_text_decode detects the
 * encoding (UTF-8 first; then whichever of CP932 and EUC-JP-MS decodes the
 * bytes, preferring the one that yields fewer half-width katakana, since
 * EUC-JP text often also decodes as CP932 into half-width kana noise; CP932 on
 * a tie) or takes the caller's, converts with iconv and splits the result into
 * lines at LF, CRLF or a lone CR.  Line k of the result is line k of the
 * original file (no legacy encoding uses CR or LF bytes inside a character),
 * so line numbers refer to the original text.
 *
 * Pages: a form feed ("\f", what PDF-to-text conversions put after each page,
 * and what pdftext.h writes) starts a new page.  Form feeds are not part of
 * a line's text (leading ones are skipped, others read as a space); each
 * line carries the page its first character is on, counted from 1, or 0 for
 * every line of a text without form feeds (pages unknown).
 *
 * Nothing is replaced silently: a NUL byte (binary data, UTF-16) or a byte
 * sequence invalid in the encoding is an error naming its byte offset in the
 * original input.  Control characters other than tab and line breaks (LF,
 * CR, and the form feed that ends a PDF page) are removed, and counted:
 * C0, DEL and C1 — a report's terminal escapes (a title change, a screen
 * clear, an OSC 52 clipboard write) must reach neither the database nor a
 * terminal or calendar later.
 */
#ifndef KG_TEXTIO_H
#define KG_TEXTIO_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The largest input accepted: a half-year report is about 25 KB. */
#define KG_TEXT_MAX_BYTES ((size_t)16 * 1024 * 1024)

struct kg_text_line {
	const char *s;  /* points into kg_text.utf8; not NUL-terminated */
	size_t len;     /* bytes, without the line end (and without form feeds) */
	int lineno;     /* 1-based line number in the original input */
	int page;       /* 1-based page (form feeds count pages); 0 when the text
	                   has no form feed at all */
};

struct kg_text {
	char *utf8;                 /* the decoded text (BOM removed), NUL-terminated */
	size_t len;
	struct kg_text_line *lines; /* every line, blank ones included */
	size_t nlines;
	const char *encoding;       /* static: "utf-8", "cp932" or "euc-jp-ms" */
	size_t controls;            /* control characters removed (see below) */
};

/*
 * Decodes bytes[0..len) into out (released with kg_text_release, also after
 * a failure).  encoding: NULL or "auto" to detect; "utf-8"/"utf8";
 * "cp932"/"shift_jis"/"sjis"/"windows-31j"; "euc-jp"/"eucjp"/"euc-jp-ms".
 * Fails with -1 and a message for: more than KG_TEXT_MAX_BYTES, a NUL byte
 * ("NUL byte at byte N (binary data, not a text report)"), UTF-16, an
 * unknown encoding name, bytes invalid in the encoding ("invalid UTF-8 at
 * byte N ..."), or ENOMEM.
 */
int kg_text_decode(const char *bytes, size_t len, const char *encoding,
	struct kg_text *out, struct kg_err *err);

void kg_text_release(struct kg_text *t);

/*
 * Reads all of fd (a file, or a pipe such as standard input) into *bytes, a
 * new NUL-terminated buffer the caller frees, of *len bytes.  Refuses more
 * than KG_TEXT_MAX_BYTES ("N bytes, above the limit of 16 MiB"; before
 * reading when fd is a file) and a directory or block device ("not a
 * regular file").  Messages do not name the source: the caller prefixes it.
 */
int kg_text_read_fd(int fd, char **bytes, size_t *len, struct kg_err *err);

/* True when bytes[0..len) is a PDF: "%PDF-" within the first 1024 bytes, as
 * PDF readers accept it.  Detection is by content, never by file name. */
bool kg_text_is_pdf(const char *bytes, size_t len);

#endif
