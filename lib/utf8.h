/*
 * utf8 — cutting text without splitting a character.  Every truncation of
 * text that may hold more than ASCII goes through here: by bytes for
 * buffers, messages and logs (kg_snprintf, kg_utf8_cut), by display columns
 * with an ellipsis for terminal tables (kg_width_fit), so that no output of
 * kigen ever ends in half a character.
 *
 * Pure functions over NUL-terminated or counted UTF-8; widths come from
 * utf8proc (East Asian wide and fullwidth characters take two columns).
 *
 * Also what a terminal would act on: control characters (kg_is_control,
 * kg_strip_controls), which imported reports and receivers' answers may
 * carry (an OSC 52 clipboard write, a title change, a screen clear).
 */
#ifndef KG_UTF8_H
#define KG_UTF8_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define KG_ELLIPSIS "\xe2\x80\xa6" /* U+2026 "…": 3 bytes, 1 column */

/*
 * The length (1 or 2) of the control character at s[0..len), 0 when there
 * is none: C0 (U+0000..U+001F) except the characters in keep (for example
 * "\t\n\r"), DEL (U+007F) and C1 (U+0080..U+009F, two bytes in UTF-8).
 */
size_t kg_is_control(const char *s, size_t len, const char *keep);

/* Where the first control character of s[0..len) that keep does not list
 * starts (as kg_is_control sees it); len when there is none.  Text without
 * any costs a byte comparison per byte. */
size_t kg_control_find(const char *s, size_t len, const char *keep);

/* Removes every control character but those in keep from the NUL-terminated
 * s, in place; returns how many were removed. */
size_t kg_strip_controls(char *s, const char *keep);

/* Writes s[0..len) to f with every control character but those in keep
 * made visible: ^[ for ESC, ^? for DEL, <U+009B> for C1.  With keep
 * without line breaks, what is written stays on one line (a log line, an
 * error message). */
void kg_escape_controls(FILE *f, const char *s, size_t len, const char *keep);

/*
 * The length of s[0..len) without an incomplete character at its end: the
 * longest prefix that ends on a character boundary.  To cut text to at most
 * max bytes: kg_utf8_cut(s, strnlen(s, max)).  Bytes that are not UTF-8 are
 * taken as one character each.
 */
size_t kg_utf8_cut(const char *s, size_t len);

/*
 * vsnprintf and snprintf whose output, when it does not fit, is cut at a
 * character boundary.  size > 0.  Return the bytes written, NUL excluded,
 * so `used += kg_snprintf(buf + used, sizeof(buf) - used, ...)` stays in
 * bounds.
 */
size_t kg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
size_t kg_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The columns a terminal gives s: East Asian wide and fullwidth 2,
 * combining and other zero-width characters 0, others 1 (an invalid byte
 * too). */
size_t kg_width(const char *s);

/*
 * s fitted to max columns (0: no limit), written to out, which holds at
 * least strlen(s) + sizeof(KG_ELLIPSIS) bytes: s itself when it fits, else
 * its longest prefix of at most max - 1 columns followed by "…".  Returns
 * the bytes written (NUL excluded); *width gets the columns written.
 */
size_t kg_width_fit(const char *s, size_t max, char *out, size_t *width);
/* The same cut of an s known to be wider than max (> 0) columns: the
 * prefix and "…", without measuring the rest. */
size_t kg_width_cut(const char *s, size_t max, char *out, size_t *width);

/* The columns of s[0..len) as kg_width counts them, or KG_WIDTH_CONTROL
 * when it holds a control character (kg_is_control, none kept): the
 * measure and the check a table cell needs, in one pass (printable ASCII
 * eight bytes at a time). */
#define KG_WIDTH_CONTROL ((size_t)-1)
size_t kg_width_clean(const char *s, size_t len);

#endif
