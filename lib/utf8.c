/*
 * utf8 — see utf8.h.
 */
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* The length of the sequence a lead byte starts (1 for ASCII and for bytes
 * that start no sequence). */
static size_t
seq_len(unsigned char c)
{
	return c >= 0xF8 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

size_t
kg_utf8_cut(const char *s, size_t len)
{
	size_t i = len, back = 0;

	/* back to the start of the last character: at most 3 continuation bytes */
	while (i > 0 && back < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
		i--;
		back++;
	}
	if (i == 0 || ((unsigned char)s[i - 1] & 0xC0) != 0xC0)
		return len; /* ends on ASCII, or continuation bytes with no lead */
	return seq_len((unsigned char)s[i - 1]) > back + 1 ? i - 1 : len;
}

size_t
kg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);
	size_t len;

	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	if ((size_t)n < size)
		return (size_t)n;
	len = kg_utf8_cut(buf, size - 1);
	buf[len] = '\0';
	return len;
}

size_t
kg_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = kg_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Three-byte characters that take two columns, as utf8proc_charwidth
 * says (tests/unit/test_utf8.c compares every code point): the ideographic
 * space and punctuation, kana, the CJK ideographs and the fullwidth forms,
 * what Japanese text is mostly made of (the commonest first). */
static const struct {
	uint32_t lo, hi;
} wide3[] = {
	{0x4E00, 0x9FFF}, {0x3041, 0x3096}, {0x309B, 0x30FF}, {0x3000, 0x3029},
	{0xFF01, 0xFF60},
};

/* char_width of a character that is not ASCII: the table, else utf8proc. */
static size_t
char_width_table(const char *s, size_t left, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t r;
	uint32_t c;
	size_t i;
	int w;

	if ((u[0] & 0xF0) == 0xE0 && left >= 3 && (u[1] & 0xC0) == 0x80 &&
	    (u[2] & 0xC0) == 0x80) {
		/* every code point in wide3 is well-formed as three bytes */
		c = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		for (i = 0; i < sizeof(wide3) / sizeof(wide3[0]); i++)
			if (c >= wide3[i].lo && c <= wide3[i].hi) {
				*n = 3;
				return 2;
			}
	}
	if ((r = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)left, &cp)) <= 0) {
		*n = 1; /* invalid UTF-8: the byte counts as one column */
		return 1;
	}
	*n = (size_t)r;
	w = utf8proc_charwidth(cp);
	return w > 0 ? (size_t)w : 0;
}

/* Whether U+3000 + the six bits of b1 and b2 (the two trailing bytes of a
 * character whose lead byte is 0xE3) is in wide3. */
static inline bool
kana3(unsigned char b1, unsigned char b2)
{
	uint32_t c = (uint32_t)(b1 & 0x3F) << 6 | (b2 & 0x3F);

	return c <= 0x029 || (c >= 0x041 && c <= 0x096) || (c >= 0x09B && c <= 0x0FF);
}

/* The columns of the character at s, whose length goes to *n.  Inline for
 * what most of a listing is made of: ASCII, and the ideographs U+5000 ..
 * U+9FFF (lead bytes 0xE5 .. 0xE9), all inside wide3's first range. */
static inline size_t
char_width(const char *s, size_t left, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*n = 1;
		return 1;
	}
	if (u[0] >= 0xE5 && u[0] <= 0xE9 && left >= 3 && (u[1] & 0xC0) == 0x80 &&
	    (u[2] & 0xC0) == 0x80) {
		*n = 3;
		return 2;
	}
	return char_width_table(s, left, n);
}

size_t
kg_is_control(const char *s, size_t len, const char *keep)
{
	unsigned char c = len > 0 ? (unsigned char)s[0] : 0;

	if (len == 0)
		return 0;
	if (c < 0x20)
		return c != 0 && strchr(keep, c) != NULL ? 0 : 1;
	if (c == 0x7f)
		return 1;
	if (c == 0xc2 && len > 1 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f)
		return 2;
	return 0;
}

/* Whether any byte of the 8 in x may start a control character: below
 * 0x20, 0x7F, or the 0xC2 that starts a C1 one.  Word-at-a-time ("has a
 * byte less than n" / "has a zero byte" bit tricks, exact as a yes or no):
 * a listing's text is looked at once per byte, and this is most of it. */
static int
may_hold_control(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t del = x ^ (ones * 0x7f), c2 = x ^ (ones * 0xc2);

	return (((x - ones * 0x20) & ~x) | ((del - ones) & ~del) | ((c2 - ones) & ~c2)) &
	    highs ? 1 : 0;
}

size_t
kg_control_find(const char *s, size_t len, const char *keep)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t x;
	size_t i = 0;

	for (;;) {
		/* no control character starts with any other byte */
		for (; i + 8 <= len; i += 8) {
			memcpy(&x, u + i, 8);
			if (may_hold_control(x))
				break;
		}
		while (i < len && u[i] >= 0x20 && u[i] != 0x7f && u[i] != 0xc2)
			i++;
		if (i == len || kg_is_control(s + i, len - i, keep) > 0)
			return i;
		i++;
	}
}

size_t
kg_strip_controls(char *s, const char *keep)
{
	size_t in = 0, out = 0, len = strlen(s), run, removed = 0;

	while (in < len) {
		run = kg_control_find(s + in, len - in, keep);
		memmove(s + out, s + in, run);
		out += run;
		in += run;
		if (in < len) {
			in += kg_is_control(s + in, len - in, keep);
			removed++;
		}
	}
	s[out] = '\0';
	return removed;
}

void
kg_escape_controls(FILE *f, const char *s, size_t len, const char *keep)
{
	size_t i = 0, run = 0, n;

	while ((i += kg_control_find(s + i, len - i, keep)) < len) {
		n = kg_is_control(s + i, len - i, keep);
		fwrite(s + run, 1, i - run, f);
		if (n == 2)
			fprintf(f, "<U+%04X>", (unsigned char)s[i + 1]);
		else
			fprintf(f, "^%c", s[i] == 0x7f ? '?' : s[i] + 0x40);
		i += n;
		run = i;
	}
	fwrite(s + run, 1, len - run, f);
}

size_t
kg_width(const char *s)
{
	size_t len = strlen(s), i = 0, w = 0, n;

	while (i < len) {
		w += char_width(s + i, len - i, &n);
		i += n;
	}
	return w;
}

size_t
kg_width_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	const uint64_t highs = 0x8080808080808080u;
	size_t i = 0, w = 0, n;
	uint64_t x;

	while (i < len) {
		if (u[i] < 0x80) {
			/* printable ASCII (numbers, dates), eight bytes at a time */
			if (i + 8 <= len) {
				memcpy(&x, u + i, 8);
				if (!(x & highs) && !may_hold_control(x)) {
					w += 8;
					i += 8;
					continue;
				}
			}
			if (u[i] < 0x20 || u[i] == 0x7f)
				return KG_WIDTH_CONTROL;
			w++;
			i++;
			continue;
		}
		/* a run of wide three-byte characters: the ideographs
		 * char_width takes inline, and the kana and CJK punctuation
		 * of wide3 (lead byte 0xE3) */
		while (i + 3 <= len && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80 &&
		    (u[i] - 0xE5u <= 4u || (u[i] == 0xE3 && kana3(u[i + 1], u[i + 2])))) {
			w += 2;
			i += 3;
		}
		if (i == len || u[i] < 0x80)
			continue;
		if (u[i] == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return KG_WIDTH_CONTROL;
		w += char_width(s + i, len - i, &n);
		i += n;
	}
	return w;
}

size_t
kg_width_cut(const char *s, size_t max, char *out, size_t *width)
{
	size_t len = strlen(s), i = 0, w = 0, cw, n;

	/* up to the first character that leaves no room for an ellipsis */
	while (i < len) {
		cw = char_width(s + i, len - i, &n);
		if (w + cw > max - 1)
			break;
		w += cw;
		i += n;
	}
	memcpy(out, s, i);
	memcpy(out + i, KG_ELLIPSIS, sizeof(KG_ELLIPSIS));
	*width = w + 1;
	return i + sizeof(KG_ELLIPSIS) - 1;
}

size_t
kg_width_fit(const char *s, size_t max, char *out, size_t *width)
{
	size_t len = strlen(s), w = kg_width(s);

	if (max == 0 || w <= max) {
		memcpy(out, s, len + 1);
		*width = w;
		return len;
	}
	return kg_width_cut(s, max, out, width);
}
