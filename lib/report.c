/*
 * report — see report.h.  The structure parser of progress reports.
 *
 * Two passes over the decoded lines.  The first classifies every line
 * (blank, page number, repeated header, page heading, 【施策名】, 【進捗状況】,
 * bullet, text) and reads the preamble before the first measure: the title,
 * the summary block and the as-of date.  The second walks the lines with a
 * small state machine that builds measures and their bullets, joining the
 * lines of a bullet without a separator (Japanese has no spaces; a PDF line
 * break only splits a word) and skipping blank lines, page numbers and page
 * headings inside it.  Every joined bullet keeps a map from its byte offsets
 * to source lines so a milestone found inside it gets its original line.
 *
 * Everything here works on the text as printed: NFKC would turn ①２００８
 * into 12008 and （） into (), so normalisation is left to the date code.
 */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "extract.h"
#include "textio.h"

#define MARK_MEASURE "施策名"   /* 【施策名】 */
#define MARK_PROGRESS "進捗状況" /* 【進捗状況】 */
/* Longest line (in code points) considered as a heading. */
#define HEADING_MAX_CP 160
/* A 【施策名】 line may continue over at most this many further lines. */
#define TITLE_MAX_JOINS 3

/* ---- UTF-8 helpers (the text is valid UTF-8 after textio) ---- */

struct span {
	const char *s;
	size_t len;
};

/* The code point at s[i], its length in *n; -1 on a (never expected) bad byte. */
static int32_t
cp_at(const char *s, size_t len, size_t i, size_t *n)
{
	utf8proc_int32_t cp = -1;
	utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		(utf8proc_ssize_t)(len - i), &cp);

	*n = r > 0 ? (size_t)r : 1;
	return r > 0 ? cp : -1;
}

/* The code point that ends at s[end), its length in *n; -1 when end == 0. */
static int32_t
cp_before(const char *s, size_t end, size_t *n)
{
	size_t i = end;

	*n = 0;
	if (end == 0)
		return -1;
	do
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
	return cp_at(s, end, i, n);
}

static bool
is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == 0x3000 || c == 0xA0;
}

static bool
isalpha_ascii(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_circled(int32_t c)
{
	return c >= 0x2460 && c <= 0x2473; /* ①..⑳ */
}

static struct span
trim(struct span t)
{
	size_t n;

	while (t.len > 0 && is_space(cp_at(t.s, t.len, 0, &n))) {
		t.s += n;
		t.len -= n;
	}
	while (t.len > 0 && is_space(cp_before(t.s, t.len, &n)))
		t.len -= n;
	return t;
}

static bool
starts_with(struct span t, const char *p)
{
	size_t n = strlen(p);

	return t.len >= n && memcmp(t.s, p, n) == 0;
}

static bool
ends_with(struct span t, const char *p)
{
	size_t n = strlen(p);

	return t.len >= n && memcmp(t.s + t.len - n, p, n) == 0;
}

static size_t
cp_count(struct span t)
{
	size_t i, n = 0;

	for (i = 0; i < t.len; i++)
		n += ((unsigned char)t.s[i] & 0xC0) != 0x80;
	return n;
}

static bool
span_eq(struct span a, struct span b)
{
	return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

/* Length of the bullet mark t starts with, or 0: ・ (U+30FB), its
 * half-width form ･ (U+FF65, CP932 0xA5), or ○ ◯ ● ◆ ◇ ■ □ ▪ used as bullets
 * in other reports of the family. */
static size_t
bullet_mark_len(struct span t)
{
	static const int32_t marks[] = {
		0x30FB, 0xFF65, 0x25CB, 0x25EF, 0x25CF, 0x25C6, 0x25C7, 0x25A0, 0x25A1, 0x25AA,
	};
	size_t i, n;
	int32_t c;

	if (t.len == 0)
		return 0;
	c = cp_at(t.s, t.len, 0, &n);
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (c == marks[i])
			return n;
	return 0;
}

/* Length of a 【word】 label t starts with (spaces allowed inside the
 * brackets: 【 施策名 】), or 0. */
static size_t
label_len(struct span t, const char *word)
{
	size_t i = 0, n, wl = strlen(word);

	if (!starts_with(t, "【"))
		return 0;
	i = strlen("【");
	while (i < t.len && is_space(cp_at(t.s, t.len, i, &n)))
		i += n;
	if (t.len - i < wl || memcmp(t.s + i, word, wl) != 0)
		return 0;
	i += wl;
	while (i < t.len && is_space(cp_at(t.s, t.len, i, &n)))
		i += n;
	if (t.len - i < strlen("】") || memcmp(t.s + i, "】", strlen("】")) != 0)
		return 0;
	return i + strlen("】");
}

/* t after its first skip bytes, trimmed. */
static struct span
after(struct span t, size_t skip)
{
	return trim((struct span){t.s + skip, t.len - skip});
}

/* ---- a growable byte buffer ---- */

struct buf {
	char *s;
	size_t len, cap;
};

static int
buf_add(struct buf *b, const char *s, size_t n)
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
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Appends a line of running text.  A PDF line break splits words, so lines
 * join without a separator, except between two Latin letters. */
static int
buf_join(struct buf *b, struct span t)
{
	if (b->len > 0 && t.len > 0) {
		unsigned char last = (unsigned char)b->s[b->len - 1], first = (unsigned char)t.s[0];

		if (isalpha_ascii(last) && isalpha_ascii(first) &&
		    buf_add(b, " ", 1) < 0)
			return -1;
	}
	return buf_add(b, t.s, t.len);
}

static char *
span_dup(struct span t)
{
	return strndup(t.s, t.len);
}

/* ---- numbers and dates as printed ---- */

static int
digit_value(int32_t c)
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

/*
 * Reads a number at t.s[*i] and advances *i: digits of any width, kanji
 * numerals (二〇〇八, 二十六, 十二) or 元 (the first year of an era).  -1 when
 * there is none or it is absurdly large.
 */
static long
read_number(struct span t, size_t *i)
{
	long total = 0, cur = -1;
	bool any = false;
	size_t n;

	while (*i < t.len) {
		int32_t c = cp_at(t.s, t.len, *i, &n);
		int d = digit_value(c);

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

/* If t.s[*i] starts with word, skips it. */
static bool
eat(struct span t, size_t *i, const char *word)
{
	size_t n = strlen(word);

	if (t.len - *i < n || memcmp(t.s + *i, word, n) != 0)
		return false;
	*i += n;
	return true;
}

static const struct {
	const char *name;
	int base; /* Gregorian year of the era's year 0 */
} eras[] = {
	{"令和", 2018}, {"平成", 1988}, {"昭和", 1925}, {"大正", 1911}, {"明治", 1867},
};

/*
 * A year at t.s[*i]: 平成20年, 令和元年, ２００８年 (need_nen), or a bare
 * Western year ２００８ when !need_nen.  Returns it and advances *i past
 * 年 (if any), or -1.
 */
static int
read_year(struct span t, size_t *i, bool need_nen)
{
	size_t k, e;
	long v;

	for (e = 0; e < sizeof(eras) / sizeof(eras[0]); e++) {
		k = *i;
		if (eat(t, &k, eras[e].name) && (v = read_number(t, &k)) > 0 && v < 100 &&
		    eat(t, &k, "年")) {
			*i = k;
			return eras[e].base + (int)v;
		}
	}
	k = *i;
	v = read_number(t, &k);
	if (v < 1900 || v > 2200)
		return -1;
	if (!eat(t, &k, "年") && need_nen)
		return -1;
	*i = k;
	return (int)v;
}

/*
 * A date at t.s[i] that ends "…現在" or "…時点": year, month, and a day,
 * 末日 or 末 (a month alone means its last day).  KG_DAY_NONE if none.
 */
static kg_day
as_of_date_at(struct span t, size_t i)
{
	int y, d = 0;
	long m, v;
	size_t k = i, n;

	if ((y = read_year(t, &i, true)) < 0 || (m = read_number(t, &i)) < 1 || m > 12 ||
	    !eat(t, &i, "月"))
		return KG_DAY_NONE;
	if (!eat(t, &i, "末日") && !eat(t, &i, "末")) {
		k = i;
		if ((v = read_number(t, &k)) >= 1 && v <= 31 && eat(t, &k, "日")) {
			d = (int)v;
			i = k;
		}
	}
	while (i < t.len && is_space(cp_at(t.s, t.len, i, &n)))
		i += n;
	if (!eat(t, &i, "現在") && !eat(t, &i, "時点"))
		return KG_DAY_NONE;
	if (d == 0)
		d = kg_days_in_month(y, (int)m);
	if (!kg_date_valid(y, (int)m, d))
		return KG_DAY_NONE;
	return kg_day_from_civil(y, (int)m, d);
}

/* The end of the period a title names: （上半期） of plan year 2008 →
 * 2008-09-30; 下半期 → 2009-03-31; 第N四半期 → its fiscal quarter's end;
 * 平成20年度 alone → 2009-03-31.  KG_DAY_NONE if the line names none. */
static kg_day
as_of_from_period(struct span t)
{
	size_t i, k, n;
	int fy = -1, quarter = 0;
	bool annual = false;
	long v;

	for (i = 0; i < t.len && fy < 0; i += n) {
		k = i;
		if ((fy = read_year(t, &k, false)) >= 0)
			annual = eat(t, &k, "度");
		cp_at(t.s, t.len, i, &n);
	}
	if (fy < 0)
		return KG_DAY_NONE;
	for (i = 0; i < t.len && quarter == 0; i += n) {
		k = i;
		if (eat(t, &k, "上半期"))
			quarter = 2;
		else if (eat(t, &k, "下半期"))
			quarter = 4;
		else if (eat(t, &k, "第") && k < t.len &&
		    (v = digit_value(cp_at(t.s, t.len, k, &n))) >= 1 && v <= 4 &&
		    (k += n, eat(t, &k, "四半期"))) /* one digit: 四 also starts 四半期 */
			quarter = (int)v;
		cp_at(t.s, t.len, i, &n);
	}
	if (quarter == 0 && !annual)
		return KG_DAY_NONE;
	switch (quarter) {
	case 1: return kg_day_from_civil(fy, 6, 30);
	case 2: return kg_day_from_civil(fy, 9, 30);
	case 3: return kg_day_from_civil(fy, 12, 31);
	default: return kg_day_from_civil(fy + 1, 3, 31);
	}
}

/* ---- lines ---- */

enum lkind {
	L_BLANK,
	L_PAGENUM,  /* "- 3 -", "３", "3/12" */
	L_REPEAT,   /* a page header repeating the report title */
	L_PAGEHEAD, /* " …に関する施策の主な進捗状況①" */
	L_MEASURE,  /* 【施策名】 */
	L_PROGRESS, /* 【進捗状況】 */
	L_BULLET,   /* ・ */
	L_TEXT,
};

struct line {
	struct span t;    /* trimmed */
	struct span head; /* L_PAGEHEAD: the heading without its page mark */
	int lineno;
	enum lkind kind;
};

static bool
is_page_number(struct span t)
{
	size_t i, n;
	bool digit = false;

	if (t.len > 24)
		return false;
	for (i = 0; i < t.len; i += n) {
		int32_t c = cp_at(t.s, t.len, i, &n);

		if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
			digit = true;
		else if (!(is_space(c) || c == '-' || c == 0xFF0D || c == 0x2010 || c == 0x2212 ||
		    c == 0x2014 || c == 0x2015 || c == '/' || c == 0xFF0F || c == '.' ||
		    c == 'p' || c == 'P'))
			return false;
	}
	return digit;
}

/* raw is the untrimmed line: PDF text keeps a page heading's leading space. */
static bool
page_heading(struct span raw, struct span t, struct span *head)
{
	struct span h = t;
	size_t n;
	bool page_mark = false;

	for (;;) {
		if (is_circled(cp_before(h.s, h.len, &n)))
			h.len -= n, page_mark = true;
		else if (ends_with(h, "（続き）"))
			h.len -= strlen("（続き）");
		else if (ends_with(h, "(続き)"))
			h.len -= strlen("(続き)");
		else
			break;
		h = trim(h);
	}
	if (h.len == 0 || cp_count(h) > 60 || bullet_mark_len(h) > 0 || starts_with(h, "【"))
		return false;
	if (!ends_with(h, "主な進捗状況") && !(ends_with(h, "進捗状況") &&
	    (page_mark || is_space(cp_at(raw.s, raw.len, 0, &n)))))
		return false;
	*head = h;
	return true;
}

/*
 * Section headings are printed doubled in the PDF text: XX, or interleaved
 * X1X1X2X2.  If t is a sequence of pieces (two code points or more) each
 * printed twice in a row, writes the pieces once into out.  The dynamic
 * programme prefers the longest piece at each position; O(n^2) compares on
 * at most HEADING_MAX_CP code points.
 */
static int
undouble(struct span t, struct buf *out, bool *found)
{
	size_t off[HEADING_MAX_CP + 1], piece[HEADING_MAX_CP + 1], ncp = 0, i, l, n;
	bool ok[HEADING_MAX_CP + 1];

	*found = false;
	out->len = 0;
	for (i = 0; i < t.len; i += n) {
		if (ncp == HEADING_MAX_CP)
			return 0;
		off[ncp++] = i;
		cp_at(t.s, t.len, i, &n);
	}
	off[ncp] = t.len;
	if (ncp < 4)
		return 0;
	ok[ncp] = true;
	for (i = ncp; i-- > 0;) {
		ok[i] = false;
		for (l = (ncp - i) / 2; l >= 2 && !ok[i]; l--) {
			size_t a = off[i], b = off[i + l], c = off[i + 2 * l];

			if (ok[i + 2 * l] && b - a == c - b && memcmp(t.s + a, t.s + b, b - a) == 0) {
				ok[i] = true;
				piece[i] = l;
			}
		}
	}
	if (!ok[0])
		return 0;
	for (i = 0; i < ncp; i += 2 * piece[i])
		if (buf_add(out, t.s + off[i], off[i + piece[i]] - off[i]) < 0)
			return -1;
	*found = true;
	return 0;
}

/* ---- the parser ---- */

struct seg {
	size_t off; /* where a source line's text starts in the joined bullet */
	int lineno;
};

struct parser {
	struct kg_import *out;
	struct kg_err *err;   /* set by a failing step other than ENOMEM */
	bool err_set;
	struct kg_jpctx ctx;  /* for the extractor: as-of date, fiscal year */
	struct kg_jplast last; /* the measure's last date, for 同年 in a later bullet */
	struct kg_text text;
	struct line *lines;
	size_t n;
	size_t title;         /* index of the first non-blank line */
	size_t first_measure; /* index of the first 【施策名】 line */
	/* walking state */
	struct span page_head;
	bool has_page_head;
	char *sub;            /* section heading for the measures that follow */
	size_t page_first;    /* first measure on the current page */
	long cur;             /* measure being built, -1 before the first */
	struct buf progress;  /* its bullets so far */
	/* the bullet being built */
	struct buf bullet;
	bool bullet_open;
	struct span bullet_mark; /* as printed; empty for a paragraph */
	struct seg *segs;
	size_t nsegs, capsegs;
	struct buf scratch;
};

static void
parser_release(struct parser *p)
{
	kg_text_release(&p->text);
	free(p->lines);
	free(p->sub);
	free(p->progress.s);
	free(p->bullet.s);
	free(p->segs);
	free(p->scratch.s);
}

static int
classify(struct parser *p)
{
	size_t i;

	p->n = p->text.nlines;
	if ((p->lines = calloc(p->n ? p->n : 1, sizeof(*p->lines))) == NULL)
		return -1;
	p->title = p->first_measure = p->n;
	for (i = 0; i < p->n; i++) {
		struct line *l = &p->lines[i];
		struct span raw = {p->text.lines[i].s, p->text.lines[i].len};

		l->t = trim(raw);
		l->lineno = p->text.lines[i].lineno;
		if (l->t.len == 0) {
			l->kind = L_BLANK;
			continue;
		}
		if (p->title == p->n) {
			p->title = i;
			l->kind = L_TEXT;
		} else if (span_eq(l->t, p->lines[p->title].t))
			l->kind = L_REPEAT;
		else if (is_page_number(l->t))
			l->kind = L_PAGENUM;
		else if (label_len(l->t, MARK_MEASURE) > 0)
			l->kind = L_MEASURE;
		else if (label_len(l->t, MARK_PROGRESS) > 0)
			l->kind = L_PROGRESS;
		else if (bullet_mark_len(l->t) > 0)
			l->kind = L_BULLET;
		else if (page_heading(raw, l->t, &l->head))
			l->kind = L_PAGEHEAD;
		else
			l->kind = L_TEXT;
		if (l->kind == L_MEASURE && p->first_measure == p->n)
			p->first_measure = i;
	}
	return 0;
}

/* The next line at or after i that carries text (not blank, page number or
 * repeated header), or p->n. */
static size_t
next_sig(const struct parser *p, size_t i)
{
	while (i < p->n && (p->lines[i].kind == L_BLANK || p->lines[i].kind == L_PAGENUM ||
	    p->lines[i].kind == L_REPEAT))
		i++;
	return i;
}

/* ---- the preamble: summary block and as-of date ---- */

/* "・・・ ２２施策（１４％）": the count and percentage (-1 when absent). */
static bool
summary_count(struct span t, long *count, long *percent)
{
	size_t i = 0, n;

	while (i < t.len) {
		int32_t c = cp_at(t.s, t.len, i, &n);

		if (c != 0x30FB && c != 0xFF65 && !is_space(c))
			break;
		i += n;
	}
	if ((*count = read_number(t, &i)) < 0 || !eat(t, &i, "施策"))
		return false;
	*percent = -1;
	if (eat(t, &i, "（") || eat(t, &i, "(")) {
		*percent = read_number(t, &i);
		if (!eat(t, &i, "％") && !eat(t, &i, "%"))
			*percent = -1;
	}
	return true;
}

static size_t
count_str(struct span t, const char *w)
{
	size_t n = 0, wl = strlen(w);
	const char *s = t.s, *end = t.s + t.len, *f;

	while ((f = memmem(s, (size_t)(end - s), w, wl)) != NULL) {
		n++;
		s = f + wl;
	}
	return n;
}

/* A summary label without its 「」. */
static json_t *
label_json(struct buf *b)
{
	struct span t = {b->s, b->len};

	t = trim(t);
	if (starts_with(t, "「") && ends_with(t, "」")) {
		t.s += strlen("「");
		t.len -= strlen("「") + strlen("」");
	}
	return json_stringn(t.s, t.len);
}

/* ①–④ labels paired in order with the "・・・ N施策（P％）" lines. */
static int
read_summary(struct parser *p)
{
	json_t *cats = json_array(), *root = NULL, *obj;
	size_t i, j, n, nmarks = 0, ncounts = 0;
	long count, percent, total = 0;
	struct buf *label = &p->scratch;
	int rc = -1;

	if (cats == NULL)
		return -1;
	for (i = 0; i < p->first_measure; i++) {
		struct line *l = &p->lines[i];

		if (l->kind == L_TEXT && is_circled(cp_at(l->t.s, l->t.len, 0, &n))) {
			struct span rest = trim((struct span){l->t.s + n, l->t.len - n});

			label->len = 0;
			if (buf_add(label, rest.s, rest.len) < 0)
				goto out;
			for (j = i + 1; j < p->first_measure &&
			    count_str((struct span){label->s, label->len}, "「") >
			    count_str((struct span){label->s, label->len}, "」"); j++) {
				if (p->lines[j].kind == L_BLANK)
					continue;
				if (p->lines[j].kind != L_TEXT ||
				    is_circled(cp_at(p->lines[j].t.s, p->lines[j].t.len, 0, &n)))
					break;
				if (buf_join(label, p->lines[j].t) < 0)
					goto out;
				i = j;
			}
			if ((obj = json_object()) == NULL || json_array_append_new(cats, obj) < 0 ||
			    json_object_set_new(obj, "mark", json_stringn(l->t.s, n)) < 0 ||
			    json_object_set_new(obj, "label", label_json(label)) < 0)
				goto out;
			nmarks++;
		} else if (l->kind == L_BULLET && summary_count(l->t, &count, &percent)) {
			if (ncounts < nmarks)
				obj = json_array_get(cats, ncounts);
			else if ((obj = json_object()) == NULL || json_array_append_new(cats, obj) < 0 ||
			    json_object_set_new(obj, "mark", json_null()) < 0 ||
			    json_object_set_new(obj, "label", json_null()) < 0)
				goto out;
			if (json_object_set_new(obj, "measures", json_integer(count)) < 0 ||
			    json_object_set_new(obj, "percent",
				percent >= 0 ? json_integer(percent) : json_null()) < 0)
				goto out;
			ncounts++;
			total += count;
		}
	}
	rc = 0;
	if (ncounts == 0)
		goto out;
	rc = -1;
	if ((root = json_object()) == NULL || json_object_set(root, "categories", cats) < 0 ||
	    json_object_set_new(root, "total", json_integer(total)) < 0 ||
	    (p->out->doc.summary_json = json_dumps(root, JSON_COMPACT)) == NULL)
		goto out;
	rc = 0;
out:
	json_decref(cats);
	json_decref(root);
	return rc;
}

/* The as-of date the preamble states: first a "…現在"/"…時点" date, then
 * the period in the title (or another preamble line). */
static int
detect_as_of(struct parser *p, kg_day *as_of)
{
	struct buf *pre = &p->scratch;
	struct span t;
	size_t i, n;

	pre->len = 0;
	for (i = 0; i < p->first_measure; i++)
		if (p->lines[i].kind != L_BLANK && buf_add(pre, p->lines[i].t.s, p->lines[i].t.len) < 0)
			return -1;
	t = (struct span){pre->s, pre->len};
	for (i = 0; i < t.len; i += n) {
		if ((*as_of = as_of_date_at(t, i)) != KG_DAY_NONE)
			return 0;
		cp_at(t.s, t.len, i, &n);
	}
	if ((*as_of = as_of_from_period(p->lines[p->title].t)) != KG_DAY_NONE)
		return 0;
	for (i = p->title + 1; i < p->first_measure; i++)
		if (p->lines[i].kind != L_BLANK &&
		    (*as_of = as_of_from_period(p->lines[i].t)) != KG_DAY_NONE)
			return 0;
	return 0;
}

/* ---- measures and bullets ---- */

static bool
bullet_complete(const struct parser *p)
{
	size_t n;
	int32_t c = cp_before(p->bullet.s, p->bullet.len, &n);

	return c == 0x3002 || c == 0xFF0E || c == 0xFF09 || c == ')'; /* 。．）) */
}

static int
bullet_add(struct parser *p, struct span t, int lineno)
{
	if (p->nsegs == p->capsegs) {
		size_t cap = p->capsegs ? p->capsegs * 2 : 16;
		struct seg *ns = realloc(p->segs, cap * sizeof(*ns));

		if (ns == NULL)
			return -1;
		p->segs = ns;
		p->capsegs = cap;
	}
	p->segs[p->nsegs].off = p->bullet.len;
	p->segs[p->nsegs].lineno = lineno;
	p->nsegs++;
	return buf_join(&p->bullet, t);
}

/* The source line of byte off of the joined bullet. */
static int
bullet_line(const struct parser *p, size_t off)
{
	size_t i = p->nsegs;

	while (i > 1 && p->segs[i - 1].off > off)
		i--;
	return i > 0 ? p->segs[i - 1].lineno : 0;
}

/* Milestones and undated commitments of the finished bullet, moved into the
 * import: measure_id is the measure's index, line the expression's line; a
 * title that names no object becomes "<kind>: <measure title>". */
static int
extract_bullet(struct parser *p)
{
	struct kg_extract x = {0};
	struct kg_measure *m;
	struct kg_milestone *ms;
	size_t i;
	int rc = -1;

	x.last = p->last; /* 同年, 同月 … refer to the measure's earlier bullets */
	if (kg_extract_text(p->bullet.s, p->bullet.len, &p->ctx, &x, p->err) < 0) {
		p->err_set = true;
		goto out;
	}
	p->last = x.last;
	m = &p->out->measures.v[p->cur];
	for (i = 0; i < x.n; i++) {
		if ((ms = kg_milestone_list_add(&p->out->milestones)) == NULL)
			goto out;
		*ms = x.v[i].m;
		memset(&x.v[i].m, 0, sizeof(x.v[i].m));
		ms->measure_id = p->cur;
		ms->line = bullet_line(p, x.v[i].expr_offset);
		p->out->uncertain += ms->uncertain;
		if (x.v[i].bare_title) { /* 公表: <measure title> */
			char *title = kg_extract_fallback_title(ms->kind, m->title);

			if (title == NULL)
				goto out;
			free(ms->title);
			ms->title = title;
		}
	}
	for (i = 0; i < x.notes.n; i++)
		if (kg_strv_push(&m->notes, x.notes.v[i], (size_t)-1) < 0)
			goto out;
	rc = 0;
out:
	kg_extract_clear(&x);
	return rc;
}

static int
flush_bullet(struct parser *p)
{
	if (!p->bullet_open)
		return 0;
	p->bullet_open = false;
	if (p->bullet.len == 0 || p->cur < 0)
		return 0;
	if ((p->progress.len > 0 && buf_add(&p->progress, "\n", 1) < 0) ||
	    buf_add(&p->progress, p->bullet_mark.s, p->bullet_mark.len) < 0 ||
	    buf_add(&p->progress, p->bullet.s, p->bullet.len) < 0)
		return -1;
	return extract_bullet(p);
}

/* Starts a bullet at line text t; its mark (if any) is kept apart so the
 * extractor sees the sentence alone. */
static int
bullet_start(struct parser *p, struct span t, int lineno)
{
	size_t mark = bullet_mark_len(t);

	if (flush_bullet(p) < 0)
		return -1;
	p->bullet.len = 0;
	p->nsegs = 0;
	p->bullet_open = true;
	p->bullet_mark = (struct span){t.s, mark};
	return bullet_add(p, after(t, mark), lineno);
}

static int
finish_measure(struct parser *p)
{
	struct kg_measure *m;

	if (flush_bullet(p) < 0)
		return -1;
	if (p->cur < 0)
		return 0;
	m = &p->out->measures.v[p->cur];
	if ((m->progress = strndup(p->progress.s ? p->progress.s : "", p->progress.len)) == NULL)
		return -1;
	p->progress.len = 0;
	return 0;
}

/* Byte offset of the （ that opens the parenthesised group ending t, or -1
 * when t does not end with a closed group. */
static long
owners_open(struct span t)
{
	size_t end = t.len, n;
	int depth = 0;
	int32_t c = cp_before(t.s, end, &n);

	if (c != 0xFF09 && c != ')')
		return -1;
	while (end > 0) {
		c = cp_before(t.s, end, &n);
		end -= n;
		if (c == 0xFF09 || c == ')')
			depth++;
		else if ((c == 0xFF08 || c == '(') && --depth == 0)
			return (long)end;
	}
	return -1;
}

/* "title（body、body・body）" → m->title and m->owners, both as printed; a
 * middle dot between two bodies separates them like 、. */
static int
split_title(struct span t, struct kg_measure *m)
{
	long open = owners_open(t);
	struct span title = t, owners = {NULL, 0};
	size_t i, n, start;

	if (open > 0) {
		cp_at(t.s, t.len, (size_t)open, &n);
		title = trim((struct span){t.s, (size_t)open});
		owners.s = t.s + open + n;
		cp_before(t.s, t.len, &i);
		owners.len = t.len - (size_t)open - n - i;
	}
	if (title.len == 0) {
		title = t;
		owners.len = 0;
	}
	if ((m->title = span_dup(title)) == NULL)
		return -1;
	for (i = start = 0; owners.s != NULL && i <= owners.len; i += n) {
		int32_t c = ',';

		n = 1;
		if (i < owners.len)
			c = cp_at(owners.s, owners.len, i, &n);
		if (c == 0x3001 || c == 0xFF0C || c == ',' || c == 0x30FB || c == 0xFF65) { /* 、，,・･ */
			struct span o = trim((struct span){owners.s + start, i - start});

			if (o.len > 0 && kg_strv_push(&m->owners, o.s, o.len) < 0)
				return -1;
			start = i + n;
		}
	}
	return 0;
}

/* A 【施策名】 line at *i, joined with up to TITLE_MAX_JOINS continuation
 * lines while its owners group is not closed; *i moves to the last one. */
static int
start_measure(struct parser *p, size_t *i)
{
	struct buf *t = &p->scratch;
	struct span first = after(p->lines[*i].t, label_len(p->lines[*i].t, MARK_MEASURE));
	struct kg_measure *m;
	size_t k = *i, j, joins;

	if (finish_measure(p) < 0)
		return -1;
	t->len = 0;
	if (buf_add(t, first.s, first.len) < 0)
		return -1;
	for (joins = 0; owners_open((struct span){t->s, t->len}) < 0 && joins < TITLE_MAX_JOINS;
	    joins++) {
		j = next_sig(p, k + 1);
		if (j >= p->n || p->lines[j].kind != L_TEXT)
			break;
		if (buf_join(t, p->lines[j].t) < 0)
			return -1;
		k = j;
	}
	*i = k;
	if ((m = kg_measure_list_add(&p->out->measures)) == NULL)
		return -1;
	p->cur = (long)p->out->measures.n - 1;
	memset(&p->last, 0, sizeof(p->last));
	m->position = (int)p->out->measures.n;
	if (split_title((struct span){t->s, t->len}, m) < 0)
		return -1;
	if (p->has_page_head && (m->heading = span_dup(p->page_head)) == NULL)
		return -1;
	if (p->sub != NULL && (m->subheading = strdup(p->sub)) == NULL)
		return -1;
	return 0;
}

/*
 * Is text line i a section heading?  Doubled lines always are.  A heading
 * printed once is accepted only when it stands alone: after a blank line or a
 * page break, before a blank line, followed by a measure or page heading, not
 * ending a sentence, and not inside an unfinished sentence.  Fills *text.
 */
static int
is_heading(struct parser *p, size_t i, struct buf *text, bool *yes)
{
	const struct line *l = &p->lines[i];
	size_t j;
	enum lkind before = i > 0 ? p->lines[i - 1].kind : L_BLANK;
	enum lkind after = i + 1 < p->n ? p->lines[i + 1].kind : L_BLANK;

	if (undouble(l->t, text, yes) < 0)
		return -1;
	if (*yes || p->cur < 0)
		return 0;
	j = next_sig(p, i + 1);
	*yes = (before == L_BLANK || before == L_PAGENUM || before == L_PAGEHEAD) &&
	    (after == L_BLANK || after == L_PAGENUM || after == L_MEASURE || after == L_PAGEHEAD) &&
	    (j == p->n || p->lines[j].kind == L_MEASURE || p->lines[j].kind == L_PAGEHEAD) &&
	    cp_count(l->t) <= 50 && !ends_with(l->t, "。") &&
	    !(p->bullet_open && !bullet_complete(p));
	return *yes ? buf_add(text, l->t.s, l->t.len) : 0;
}

/* A section heading before a measure applies to the measures that follow on
 * its page; one printed after them (at the foot of a page) to the measures of
 * the page that have none yet. */
static int
section_heading(struct parser *p, size_t i, const struct buf *text)
{
	size_t j = next_sig(p, i + 1), k;

	if (flush_bullet(p) < 0)
		return -1;
	if (j < p->n && p->lines[j].kind == L_MEASURE) {
		free(p->sub);
		return (p->sub = strndup(text->s, text->len)) == NULL ? -1 : 0;
	}
	for (k = p->page_first; k < p->out->measures.n; k++)
		if (p->out->measures.v[k].subheading == NULL &&
		    (p->out->measures.v[k].subheading = strndup(text->s, text->len)) == NULL)
			return -1;
	return 0;
}

static int
walk(struct parser *p)
{
	struct buf heading = {0};
	struct span rest;
	bool yes;
	size_t i;
	int rc = -1;

	p->cur = -1;
	for (i = 0; i < p->n; i++) {
		struct line *l = &p->lines[i];

		switch (l->kind) {
		case L_BLANK:
		case L_PAGENUM:
		case L_REPEAT:
			break;
		case L_PAGEHEAD:
			p->page_head = l->head;
			p->has_page_head = true;
			free(p->sub);
			p->sub = NULL;
			p->page_first = p->out->measures.n;
			break;
		case L_MEASURE:
			if (start_measure(p, &i) < 0)
				goto out;
			break;
		case L_PROGRESS:
			if (p->cur < 0)
				break;
			if (flush_bullet(p) < 0)
				goto out;
			rest = after(l->t, label_len(l->t, MARK_PROGRESS));
			if (rest.len > 0 && bullet_start(p, rest, l->lineno) < 0)
				goto out;
			break;
		case L_BULLET:
			if (p->cur < 0)
				break; /* the summary block's "・・・ N施策" */
			if (bullet_start(p, l->t, l->lineno) < 0)
				goto out;
			break;
		case L_TEXT:
			if (is_heading(p, i, &heading, &yes) < 0)
				goto out;
			if (yes) {
				if (section_heading(p, i, &heading) < 0)
					goto out;
			} else if (p->cur >= 0) {
				if ((p->bullet_open ? bullet_add(p, l->t, l->lineno) :
				    bullet_start(p, l->t, l->lineno)) < 0)
					goto out;
			}
			break;
		}
	}
	if (finish_measure(p) < 0)
		goto out;
	rc = 0;
out:
	free(heading.s);
	return rc;
}

/* ---- entry points ---- */

static char *
sha256_hex(const char *bytes, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char *hex;

	if (EVP_Digest(bytes, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		return NULL;
	if ((hex = malloc(mdlen * 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return hex;
}

int
kg_report_parse(const char *bytes, size_t len, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err)
{
	struct parser p;
	kg_day as_of = o != NULL ? o->as_of : KG_DAY_NONE;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.out = out;
	p.err = err;
	out->doc.as_of = KG_DAY_NONE;
	if (len > KG_REPORT_MAX_BYTES)
		return kg_err_set(err, "report is %zu bytes, above the limit of %zu MiB",
			len, KG_REPORT_MAX_BYTES >> 20);
	if (kg_text_decode(bytes, len, o != NULL ? o->encoding : NULL, &p.text, err) < 0)
		goto out;
	if (classify(&p) < 0)
		goto nomem;
	if (p.title == p.n) {
		kg_err_set(err, "empty report (no text)");
		goto out;
	}
	if (p.first_measure == p.n) {
		kg_err_set(err, "no measures found (no line starts with 【%s】)", MARK_MEASURE);
		goto out;
	}
	if ((o != NULL && o->name != NULL && (out->doc.name = strdup(o->name)) == NULL) ||
	    (out->doc.sha256 = sha256_hex(bytes, len)) == NULL ||
	    (out->doc.title = span_dup(p.lines[p.title].t)) == NULL)
		goto nomem;
	if (as_of == KG_DAY_NONE && detect_as_of(&p, &as_of) < 0)
		goto nomem;
	if (as_of == KG_DAY_NONE) {
		kg_err_set(err, "cannot tell the report's as-of date (no '…現在' date and no "
			"上半期/下半期/四半期 in the title); give it with --as-of");
		goto out;
	}
	out->doc.as_of = as_of;
	p.ctx = kg_jpctx_of(as_of);
	if (read_summary(&p) < 0 || walk(&p) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	if (!p.err_set)
		kg_err_set(err, "out of memory parsing the report");
out:
	parser_release(&p);
	return rc;
}

int
kg_report_load(const char *path, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err)
{
	struct kg_report_opts opts = {NULL, NULL, KG_DAY_NONE};
	struct stat st;
	char *bytes = NULL;
	const char *base;
	size_t got = 0;
	ssize_t r;
	int fd, rc = -1;

	memset(out, 0, sizeof(*out));
	if (o != NULL)
		opts = *o;
	if (opts.name == NULL)
		opts.name = (base = strrchr(path, '/')) != NULL ? base + 1 : path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return kg_err_set(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		kg_err_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		kg_err_set(err, "%s: not a regular file", path);
		goto out;
	}
	if ((size_t)st.st_size > KG_REPORT_MAX_BYTES) {
		kg_err_set(err, "%s: %lld bytes, above the limit of %zu MiB for a report",
			path, (long long)st.st_size, KG_REPORT_MAX_BYTES >> 20);
		goto out;
	}
	if ((bytes = malloc((size_t)st.st_size + 1)) == NULL) {
		kg_err_set(err, "%s: out of memory", path);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, bytes + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kg_err_set(err, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if ((rc = kg_report_parse(bytes, got, &opts, out, err)) < 0)
		kg_err_prefix(err, "%s", path);
out:
	free(bytes);
	close(fd);
	return rc;
}
