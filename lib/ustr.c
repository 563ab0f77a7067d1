/*
 * ustr — see ustr.h.  Spans, the line-joining buffer, numbers and years as
 * printed in Japanese documents.
 */
#include "ustr.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int32_t
kg_cp_decode(const char *s, size_t len, size_t i, size_t *n)
{
	utf8proc_int32_t cp = -1;
	utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		(utf8proc_ssize_t)(len - i), &cp);

	*n = r > 0 ? (size_t)r : 1;
	return r > 0 ? cp : -1;
}

int32_t
kg_cp_before(const char *s, size_t end, size_t *n)
{
	size_t i = end;

	*n = 0;
	if (end == 0)
		return -1;
	do
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
	return kg_cp_at(s, end, i, n);
}

bool
kg_is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == 0x3000 || c == 0xA0;
}

bool
kg_is_circled(int32_t c)
{
	return c >= 0x2460 && c <= 0x2473;
}

int
kg_digit_value(int32_t c)
{
	static const int32_t kanji[10] = {
		0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D,
	}; /* 〇一二三四五六七八九 */
	int d;

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 0xFF10 && c <= 0xFF19)
		return c - 0xFF10;
	for (d = 0; d < 10; d++)
		if (c == kanji[d])
			return d;
	return -1;
}

struct kg_span
kg_span_trim(struct kg_span t)
{
	size_t n;

	while (t.len > 0 && kg_is_space(kg_cp_at(t.s, t.len, 0, &n))) {
		t.s += n;
		t.len -= n;
	}
	while (t.len > 0 && kg_is_space(kg_cp_before(t.s, t.len, &n)))
		t.len -= n;
	return t;
}

struct kg_span
kg_span_after(struct kg_span t, size_t skip)
{
	return kg_span_trim((struct kg_span){t.s + skip, t.len - skip});
}

bool
kg_span_starts(struct kg_span t, const char *p)
{
	size_t n = strlen(p);

	return t.len >= n && memcmp(t.s, p, n) == 0;
}

bool
kg_span_ends(struct kg_span t, const char *p)
{
	size_t n = strlen(p);

	return t.len >= n && memcmp(t.s + t.len - n, p, n) == 0;
}

bool
kg_span_eq(struct kg_span a, struct kg_span b)
{
	return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

size_t
kg_span_cps(struct kg_span t)
{
	size_t i, n = 0;

	for (i = 0; i < t.len; i++)
		n += ((unsigned char)t.s[i] & 0xC0) != 0x80;
	return n;
}

long
kg_span_find(struct kg_span t, const char *w)
{
	const char *f = memmem(t.s, t.len, w, strlen(w));

	return f != NULL ? (long)(f - t.s) : -1;
}

size_t
kg_span_count(struct kg_span t, const char *w)
{
	size_t n = 0, wl = strlen(w);
	const char *s = t.s, *end = t.s + t.len, *f;

	while ((f = memmem(s, (size_t)(end - s), w, wl)) != NULL) {
		n++;
		s = f + wl;
	}
	return n;
}

char *
kg_span_dup(struct kg_span t)
{
	return strndup(t.s != NULL ? t.s : "", t.len);
}

int
kg_buf_add(struct kg_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *ns;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((ns = realloc(b->s, cap)) == NULL)
			return -1;
		b->s = ns;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static bool
isalpha_ascii(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int
kg_buf_join(struct kg_buf *b, struct kg_span t)
{
	if (b->len > 0 && t.len > 0 && isalpha_ascii((unsigned char)b->s[b->len - 1]) &&
	    isalpha_ascii((unsigned char)t.s[0]) && kg_buf_add(b, " ", 1) < 0)
		return -1;
	return kg_buf_add(b, t.s, t.len);
}

void
kg_buf_free(struct kg_buf *b)
{
	if (b == NULL)
		return;
	free(b->s);
	memset(b, 0, sizeof(*b));
}

bool
kg_eat(struct kg_span t, size_t *i, const char *word)
{
	size_t n = strlen(word);

	if (*i > t.len || t.len - *i < n || memcmp(t.s + *i, word, n) != 0)
		return false;
	*i += n;
	return true;
}

void
kg_skip_space(struct kg_span t, size_t *i)
{
	size_t n;

	while (*i < t.len && kg_is_space(kg_cp_at(t.s, t.len, *i, &n)))
		*i += n;
}

struct kg_span
kg_next_word(struct kg_span t, size_t *i)
{
	size_t start, n;

	kg_skip_space(t, i);
	start = *i;
	while (*i < t.len && !kg_is_space(kg_cp_at(t.s, t.len, *i, &n)))
		*i += n;
	return (struct kg_span){t.s + start, *i - start};
}

long
kg_read_number(struct kg_span t, size_t *i)
{
	long total = 0, cur = -1;
	bool any = false;
	size_t n;

	while (*i < t.len) {
		int32_t c = kg_cp_at(t.s, t.len, *i, &n);
		int d = kg_digit_value(c);

		if (d >= 0)
			cur = (cur < 0 ? 0 : cur) * 10 + d;
		else if (c == 0x5341) /* 十 */
			total += (cur < 0 ? 1 : cur) * 10, cur = -1;
		else if (c == 0x767E) /* 百 */
			total += (cur < 0 ? 1 : cur) * 100, cur = -1;
		else if (c == 0x5143 && !any) { /* 元 */
			*i += n;
			return 1;
		} else
			break;
		if (cur > 1000000)
			return -1;
		any = true;
		*i += n;
	}
	return any ? total + (cur < 0 ? 0 : cur) : -1;
}

static const struct {
	const char *name;
	int base; /* Gregorian year of the era's year 0 */
} eras[] = {
	{"令和", 2018}, {"平成", 1988}, {"昭和", 1925}, {"大正", 1911}, {"明治", 1867},
};

int
kg_read_year(struct kg_span t, size_t *i, bool need_nen)
{
	size_t k, e;
	long v;

	for (e = 0; e < sizeof(eras) / sizeof(eras[0]); e++) {
		k = *i;
		if (!kg_eat(t, &k, eras[e].name))
			continue;
		kg_skip_space(t, &k);
		if ((v = kg_read_number(t, &k)) <= 0 || v >= 100)
			continue;
		kg_skip_space(t, &k);
		if (kg_eat(t, &k, "年")) {
			*i = k;
			return eras[e].base + (int)v;
		}
	}
	k = *i;
	v = kg_read_number(t, &k);
	if (v < 1900 || v > 2200)
		return -1;
	kg_skip_space(t, &k);
	if (!kg_eat(t, &k, "年")) {
		if (need_nen)
			return -1;
		k = *i;
		kg_read_number(t, &k);
	}
	*i = k;
	return (int)v;
}
