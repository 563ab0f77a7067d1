/*
 * html — HTML written so that text from outside cannot become markup.
 *
 * A page is written to a stream through three kinds of call:
 *
 *   KG_HTML_LIT(h, "<p>")                markup: a string literal only
 *   KG_HTML(h, "<a href=\"%lld\">%s</a>", id, title)
 *                                        a literal format: markup around
 *                                        values; every %s is escaped
 *   kg_html_text(h, s)                   text, escaped
 *
 * The macros accept nothing but a string literal as markup or format (a
 * variable does not compile: the literal is glued to ""), so runtime text
 * reaches the page only escaped — & < > " ' as entities, C0 controls but
 * tab and newline dropped — which is safe in element content and in a
 * quoted attribute value.  The API makes the unsafe thing impossible, not
 * merely avoidable; there is no "raw" call for strings.  URLs built from
 * values go through kg_html_url_part (percent-encoding, also safe as
 * HTML), and a fragment rendered apart (struct kg_html_buf) is joined with
 * kg_html_append, which takes only what another kg_html wrote.
 *
 * Formats take printf's conversions for numbers (d i u x ld lu lld llu zu
 * f g with flags, width and precision, * included), %s and %.*s (escaped)
 * and %%; gcc checks the arguments against the format.  A failed write
 * (ENOMEM, a full disk) is remembered: kg_html_failed says so at the end,
 * so callers check once.
 */
#ifndef KG_HTML_H
#define KG_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct kg_html {
	FILE *f;             /* borrowed: where the page goes */
	bool failed;
};

/* Writes to f (borrowed, not closed). */
void kg_html_init(struct kg_html *h, FILE *f);

/* Whether any write failed since kg_html_init. */
bool kg_html_failed(const struct kg_html *h);

/* Markup from a string literal. */
#define KG_HTML_LIT(h, lit) kg_html_markup_((h), "" lit "", sizeof(lit) - 1)

/* Markup from a literal format with its values; %s escaped. */
#define KG_HTML(h, fmt, ...) kg_html_format_((h), "" fmt "", __VA_ARGS__)

/* s (NULL: nothing) as text: escaped. */
void kg_html_text(struct kg_html *h, const char *s);

/* The first n bytes of s as text: escaped. */
void kg_html_text_n(struct kg_html *h, const char *s, size_t n);

/* s percent-encoded for a path segment or a query value (everything but
 * A-Z a-z 0-9 - . _ ~ as %XX), which needs no further escaping in HTML. */
void kg_html_url_part(struct kg_html *h, const char *s);

/* A fragment rendered apart, in memory, through its own kg_html. */
struct kg_html_buf {
	struct kg_html h;
	char *data;
	size_t len;
};

/* Opens b: write to b->h.  -1 on ENOMEM. */
int kg_html_buf_open(struct kg_html_buf *b);

/* Appends what b->h wrote so far to h. */
void kg_html_append(struct kg_html *h, struct kg_html_buf *b);

/* Frees b; a zeroed b is fine. */
void kg_html_buf_close(struct kg_html_buf *b);

/* What the macros call; use the macros. */
void kg_html_markup_(struct kg_html *h, const char *lit, size_t len);
void kg_html_format_(struct kg_html *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
