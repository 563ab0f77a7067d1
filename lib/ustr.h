/*
 * ustr — UTF-8 spans, a growable byte buffer and the numbers and years of
 * Japanese text as printed, shared by the document reader (report.c), the
 * as-of inference (asof.c) and the layouts (layout*.c).
 *
 * Everything works on text that textio already validated as UTF-8, before
 * any NFKC: the structure of a document lives in characters NFKC would
 * change (①, （）, 【】), so only the date code normalises.  A span borrows
 * its bytes; nothing here allocates except a kg_buf.
 */
#ifndef KG_USTR_H
#define KG_USTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes [s, s + len) of some UTF-8 text, borrowed. */
struct kg_span {
	const char *s;
	size_t len;
};

/* kg_cp_at's general case, by utf8proc. */
int32_t kg_cp_decode(const char *s, size_t len, size_t i, size_t *n);

/* The code point at s[i] (its byte length in *n), or -1 (n = 1) on a byte
 * that starts no valid sequence.  Inline: the readers call it at every
 * character.  ASCII and the well-formed 3-byte sequences of Japanese text
 * (no overlong form, no surrogate) are decoded here, anything else as
 * utf8proc decides (test_ustr compares the two on every kind of byte). */
static inline int32_t
kg_cp_at(const char *s, size_t len, size_t i, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (i < len && u[0] < 0x80) {
		*n = 1;
		return u[0];
	}
	if (i < len && len - i >= 3 && u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED &&
	    (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		*n = 3;
		return (int32_t)(u[0] & 0x0F) << 12 | (int32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	}
	return kg_cp_decode(s, len, i, n);
}
/* The code point that ends at s[end) (its length in *n); -1 when end == 0. */
int32_t kg_cp_before(const char *s, size_t end, size_t *n);

/* ASCII blanks, form feed, the ideographic space U+3000 and NBSP. */
bool kg_is_space(int32_t c);
/* ①..⑳ */
bool kg_is_circled(int32_t c);
/* The value of one digit: ASCII, full-width or kanji (〇一…九); else -1. */
int kg_digit_value(int32_t c);

struct kg_span kg_span_trim(struct kg_span t);
/* t without its first skip bytes, trimmed. */
struct kg_span kg_span_after(struct kg_span t, size_t skip);
bool kg_span_starts(struct kg_span t, const char *prefix);
bool kg_span_ends(struct kg_span t, const char *suffix);
bool kg_span_eq(struct kg_span a, struct kg_span b);
/* Code points in t. */
size_t kg_span_cps(struct kg_span t);
/* Byte offset of the first occurrence of w in t, or -1. */
long kg_span_find(struct kg_span t, const char *w);
/* Occurrences of w in t. */
size_t kg_span_count(struct kg_span t, const char *w);
/* A NUL-terminated copy (malloc), NULL on ENOMEM. */
char *kg_span_dup(struct kg_span t);

/* A growable NUL-terminated byte buffer; zero-initialise, kg_buf_free. */
struct kg_buf {
	char *s;
	size_t len, cap;
};

int kg_buf_add(struct kg_buf *b, const char *s, size_t n); /* -1 on ENOMEM */
/* Appends a line of running text: a PDF line break splits words, so lines
 * join without a separator, except a space between two Latin letters. */
int kg_buf_join(struct kg_buf *b, struct kg_span line);
void kg_buf_free(struct kg_buf *b);

/* If t has word at byte *i, moves *i past it. */
bool kg_eat(struct kg_span t, size_t *i, const char *word);
/* Moves *i past blanks (kg_is_space). */
void kg_skip_space(struct kg_span t, size_t *i);
/* The next blank-separated word of t from *i, moving *i past it; empty at
 * the end. */
struct kg_span kg_next_word(struct kg_span t, size_t *i);
/*
 * A number at byte *i: digits of any width, kanji numerals (二〇〇八, 十二,
 * 二十六) or 元 (the first year of an era); *i moves past it.  -1 when there
 * is none or it is absurdly large.
 */
long kg_read_number(struct kg_span t, size_t *i);
/*
 * A year at byte *i: 平成20年, 令和元年, ２０２４年 — or a bare Western year
 * (1900..2200) when !need_nen.  Blanks between the parts are allowed
 * (令和 6 年, 2024 年: PDF extraction puts them there).  Returns the
 * Gregorian year and moves *i past 年 (if any), or -1.
 */
int kg_read_year(struct kg_span t, size_t *i, bool need_nen);

#endif
