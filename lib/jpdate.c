/*
 * jpdate — Japanese date expressions to windows.
 *
 * The text is first turned into code points with per-character NFKC
 * (kg_jptext), each mapped back to the source bytes.  The scanner then walks
 * it once; at each position it tries a small recursive-descent parse:
 *
 *   expr  := point [頃] ( (～|〜|~|から) point [頃] [まで(に)]   a range
 *                      | から | より | 以降 | 以後                   open end
 *                      | まで | までに | 迄 )?                       until
 *   point := year [fy-part | cal-part] | [year] month [day | 末 | 旬 | 中]
 *          | 第N四半期 | 上半期 | season | relative words (今年度, 年度内 …)
 *
 * and, after a match, looks at what follows (現在, 目途) for flags.  A
 * failed parse costs a few code-point comparisons, so the whole scan is
 * linear in practice.  Windows follow docs/dates.md.
 */
#include "jpdate.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---------------------------------------------------------------- text */

static int
jptext_grow(struct kg_jptext *t, size_t need)
{
	size_t cap = t->cap ? t->cap : 64;
	int32_t *cp;
	uint32_t *a, *b;

	if (need <= t->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	cp = realloc(t->cp, cap * sizeof(*cp));
	if (cp == NULL)
		return -1;
	t->cp = cp;
	a = realloc(t->src_start, cap * sizeof(*a));
	if (a == NULL)
		return -1;
	t->src_start = a;
	b = realloc(t->src_end, cap * sizeof(*b));
	if (b == NULL)
		return -1;
	t->src_end = b;
	t->cap = cap;
	return 0;
}

/* NFKC of one code point into buf (no allocation).  Composition happens only
 * within the character, which is all date matching needs. */
static size_t
nfkc_char(int32_t c, int32_t *buf, size_t cap)
{
	utf8proc_ssize_t k;
	int boundclass = 0;

	if (c < 0x80) {
		buf[0] = c;
		return 1;
	}
	k = utf8proc_decompose_char(c, buf, (utf8proc_ssize_t)cap,
	    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &boundclass);
	if (k <= 0 || (size_t)k > cap) {
		buf[0] = c;
		return 1;
	}
	if (k > 1) {
		k = utf8proc_normalize_utf32(buf, k, UTF8PROC_COMPOSE);
		if (k <= 0) {
			buf[0] = c;
			return 1;
		}
	}
	return (size_t)k;
}

int
kg_jptext_init(struct kg_jptext *t, const char *s, size_t len, struct kg_err *err)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	int32_t buf[32];
	size_t i = 0, k, j;

	memset(t, 0, sizeof(*t));
	if (len > KG_JPTEXT_MAX)
		return kg_err_set(err, "text too long (%zu bytes, at most %zu)",
		    len, KG_JPTEXT_MAX);
	if (jptext_grow(t, len + 16) < 0)
		goto nomem;
	while (i < len) {
		int32_t c;
		utf8proc_ssize_t step = utf8proc_iterate(u + i,
		    (utf8proc_ssize_t)(len - i), &c);

		if (step <= 0) {
			c = 0xFFFD;
			step = 1;
		}
		k = nfkc_char(c, buf, sizeof(buf) / sizeof(buf[0]));
		if (jptext_grow(t, t->n + k) < 0)
			goto nomem;
		for (j = 0; j < k; j++) {
			t->cp[t->n] = buf[j];
			t->src_start[t->n] = (uint32_t)i;
			t->src_end[t->n] = (uint32_t)(i + (size_t)step);
			t->n++;
		}
		i += (size_t)step;
	}
	return 0;
nomem:
	kg_jptext_release(t);
	return kg_err_set(err, "out of memory reading %zu bytes of text", len);
}

void
kg_jptext_release(struct kg_jptext *t)
{
	if (t == NULL)
		return;
	free(t->cp);
	free(t->src_start);
	free(t->src_end);
	memset(t, 0, sizeof(*t));
}

struct kg_jpctx
kg_jpctx_of(kg_day as_of)
{
	struct kg_jpctx c;

	c.as_of = as_of;
	c.fiscal_year = kg_fiscal_year(as_of);
	return c;
}

/* ------------------------------------------------------------- matching */

/* Length in code points of the UTF-8 literal lit_u8 if it occurs at cp[i], else 0. */
static size_t
match_at(const int32_t *cp, size_t n, size_t i, const char *lit_u8)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)lit_u8;
	size_t k = 0;

	while (*u) {
		int32_t c;
		utf8proc_ssize_t step = utf8proc_iterate(u, -1, &c);

		if (step <= 0 || i + k >= n || cp[i + k] != c)
			return 0;
		u += step;
		k++;
	}
	return k;
}

struct scan {
	const int32_t *cp;
	size_t n;
	const struct kg_jpctx *ctx;
	/* year for yearless months, from an earlier expression of the sentence */
	bool have_ctx;
	bool ctx_is_fy;
	int ctx_year;
	size_t ctx_src;   /* index in out of the expression that set it, or SIZE_MAX */
	kg_day ctx_ws, ctx_we; /* and its window */
	bool ctx_topic;   /* it sets the scene (平成21年度には, 平成20年８月、, 来年度の) */
	bool ctx_bare;    /* and is only a year (平成21年度, 来年度) */
	bool ctx_used;    /* a yearless date used ctx (set by parse_point) */
	bool in_quote;    /* the expression is inside 「」『』: a name's year */
	/* year for 同年 / 同年度: the last year named anywhere in the text */
	bool have_same;
	int same_fy, same_cal;
};

size_t
kg_jptext_match(const struct kg_jptext *t, size_t i, const char *lit_u8)
{
	return match_at(t->cp, t->n, i, lit_u8);
}

static size_t
lit(const struct scan *s, size_t i, const char *lit_u8)
{
	return match_at(s->cp, s->n, i, lit_u8);
}

/* The first literal of a NULL-terminated list that matches at i. */
static size_t
lit_any(const struct scan *s, size_t i, const char *const *list, size_t *which)
{
	size_t k, w;

	for (w = 0; list[w]; w++) {
		k = lit(s, i, list[w]);
		if (k) {
			if (which)
				*which = w;
			return k;
		}
	}
	return 0;
}

static int
kanji_digit(int32_t c)
{
	/* 〇 一 二 三 四 五 六 七 八 九 */
	static const int32_t table[10] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
		0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
	int d;

	for (d = 0; d < 10; d++)
		if (table[d] == c)
			return d;
	if (c == 0x96F6) /* 零 */
		return 0;
	return -1;
}

/*
 * A number at i: ASCII digits (NFKC made full-width ones ASCII; at most 4) or
 * kanji numerals, positional (二〇〇八) or with 十/百/千 (二十六).  gen allows
 * 元 (= 1, for 元年).  Returns the number of code points read, 0 if none.
 */
static size_t
read_num(const struct scan *s, size_t i, bool gen, int *val)
{
	size_t k = 0;
	int total = 0, cur = 0, d;
	bool kanji = false;

	while (i + k < s->n && s->cp[i + k] >= '0' && s->cp[i + k] <= '9') {
		if (k == 4)
			return 0;
		cur = cur * 10 + (s->cp[i + k] - '0');
		k++;
	}
	if (k) {
		*val = cur;
		return k;
	}
	if (gen && i < s->n && s->cp[i] == 0x5143) { /* 元 */
		*val = 1;
		return 1;
	}
	for (; i + k < s->n && k < 8; k++) {
		int32_t c = s->cp[i + k];

		if ((d = kanji_digit(c)) >= 0) {
			cur = cur * 10 + d;
		} else if (c == 0x5341) { /* 十 */
			total += (cur ? cur : 1) * 10;
			cur = 0;
		} else if (c == 0x767E) { /* 百 */
			total += (cur ? cur : 1) * 100;
			cur = 0;
		} else if (c == 0x5343) { /* 千 */
			total += (cur ? cur : 1) * 1000;
			cur = 0;
		} else {
			break;
		}
		kanji = true;
	}
	if (!kanji)
		return 0;
	*val = total + cur;
	return k;
}

static bool
is_ideograph(int32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

static bool
is_ascii_alnum(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* ------------------------------------------------------------- windows */

static kg_day
ymd(int y, int m, int d)
{
	return kg_day_from_civil(y, m, d);
}

static kg_day
month_last(int y, int m)
{
	return kg_day_from_civil(y, m, kg_days_in_month(y, m));
}

static bool
year_ok(int y)
{
	return y >= 1868 && y <= 2200;
}

/* Year of month m in fiscal year fy. */
static int
fy_month_year(int fy, int m)
{
	return m >= 4 ? fy : fy + 1;
}

/* A date point (what まで, から and ranges apply to). */
struct point {
	size_t a, b;            /* code-point span */
	kg_day ws, we;
	enum kg_precision prec;
	unsigned flags;
	bool has_era;           /* written with an era: 平成17～21年度, 平成20年度～21年度 */
	int era_base;
	bool western;           /* written as a 4-digit year */
	int y, m, d;            /* calendar year / month / day of the end (0 = not given) */
	bool bare;              /* only a year or fiscal year: may be context only */
	bool names_year;        /* the expression itself names a year */
	bool is_fy;             /* that year is a fiscal year */
	int year;               /* the named year */
};

enum parse_result { P_NONE, P_OK, P_INVALID };

struct era {
	const char *name;
	int base; /* Western year of 元年 */
	bool abbrev;
};

static const struct era eras[] = {
	{"令和", 2019, false}, {"平成", 1989, false}, {"昭和", 1926, false},
	{"大正", 1912, false}, {"明治", 1868, false},
	/* one-letter forms, only directly before a number (平19年, H21年度) */
	{"平", 1989, true}, {"令", 2019, true}, {"昭", 1926, true},
	{"H", 1989, true}, {"R", 2019, true}, {"S", 1926, true},
	{NULL, 0, false},
};

static void
set_fy(struct point *p, int fy)
{
	p->ws = ymd(fy, 4, 1);
	p->we = ymd(fy + 1, 3, 31);
	p->prec = KG_PREC_FISCAL_YEAR;
	p->y = fy + 1;
	p->m = 3;
}

static void
set_month(struct point *p, int y, int m)
{
	p->ws = ymd(y, m, 1);
	p->we = month_last(y, m);
	p->prec = KG_PREC_MONTH;
	p->y = y;
	p->m = m;
}

static void
set_span(struct point *p, int y1, int m1, int d1, int y2, int m2, int d2,
    enum kg_precision prec)
{
	p->ws = ymd(y1, m1, d1);
	p->we = ymd(y2, m2, d2 ? d2 : kg_days_in_month(y2, m2));
	p->prec = prec;
	p->y = y2;
	p->m = m2;
}

static void
set_quarter(struct point *p, int fy, int q)
{
	int m1 = q == 4 ? 1 : 1 + 3 * q; /* Q1 Apr, Q2 Jul, Q3 Oct, Q4 Jan */
	int y = q == 4 ? fy + 1 : fy;

	set_span(p, y, m1, 1, y, m1 + 2, 0, KG_PREC_QUARTER);
}

static void
set_half(struct point *p, int fy, bool second)
{
	if (second)
		set_span(p, fy, 10, 1, fy + 1, 3, 0, KG_PREC_HALF_YEAR);
	else
		set_span(p, fy, 4, 1, fy, 9, 0, KG_PREC_HALF_YEAR);
}

/* Season of calendar year y: 0 spring Mar–May, 1 summer, 2 autumn, 3 winter Dec–Feb. */
static void
set_season(struct point *p, int y, int season)
{
	int m1 = 3 + 3 * season;

	if (season == 3)
		set_span(p, y, 12, 1, y + 1, 2, 0, KG_PREC_SEASON);
	else
		set_span(p, y, m1, 1, y, m1 + 2, 0, KG_PREC_SEASON);
}

static const char *const seasons[] = {"春", "夏", "秋", "冬", NULL};

/* 第N四半期 at i (N a single digit 1-4).  Returns length or 0. */
static size_t
read_quarter(const struct scan *s, size_t i, int *q)
{
	size_t k = lit(s, i, "第"), j;
	int d;

	if (!k || i + k >= s->n)
		return 0;
	if (s->cp[i + k] >= '1' && s->cp[i + k] <= '4')
		d = s->cp[i + k] - '0';
	else if ((d = kanji_digit(s->cp[i + k])) < 1 || d > 4)
		return 0;
	k++;
	j = lit(s, i + k, "四半期");
	if (!j)
		return 0;
	*q = d;
	return k + j;
}

static const char *const first_half[] = {"上半期", "上期", "前半期", "前半", NULL};
static const char *const second_half[] = {"下半期", "下期", "後半期", "後半", NULL};
static const char *const fy_start[] = {"当初", "初め", "初頭", "はじめ", NULL};

/* Fiscal-year parts after 〜年度 (or a bare 年度): 末, 当初, halves, quarters, 中/内.
 * A half or quarter may follow after の (同年度の上半期中, 平成21年度の第１四半期):
 * one expression, not a year that names something. */
static size_t
fy_part(const struct scan *s, size_t i, int fy, struct point *p)
{
	size_t k, of = lit(s, i, "の");
	int q;

	if (of && (lit_any(s, i + of, first_half, NULL) || lit_any(s, i + of, second_half, NULL)
	    || read_quarter(s, i + of, &q)))
		return of + fy_part(s, i + of, fy, p);
	if ((k = lit(s, i, "末"))) {
		p->ws = p->we = ymd(fy + 1, 3, 31);
		p->prec = KG_PREC_FISCAL_YEAR_END;
		p->y = fy + 1;
		p->m = 3;
		p->d = 31;
		return k;
	}
	if ((k = lit_any(s, i, fy_start, NULL))) {
		set_month(p, fy, 4);
		return k;
	}
	if ((k = lit_any(s, i, first_half, NULL))) {
		set_half(p, fy, false);
		return k;
	}
	if ((k = lit_any(s, i, second_half, NULL))) {
		set_half(p, fy, true);
		return k;
	}
	if ((k = read_quarter(s, i, &q))) {
		set_quarter(p, fy, q);
		return k;
	}
	set_fy(p, fy);
	p->bare = true;
	return 0;
}

/* 中 or 内 that ends an expression (not the start of 中間, 内容 …). */
static size_t
within(const struct scan *s, size_t i)
{
	static const char *const not_after_naka[] = {"中間", "中心", "中小", "中止",
	    "中央", "中長", "中核", "中期", "中旬", NULL};
	static const char *const not_after_uchi[] = {"内閣", "内容", "内部",
	    "内外", "内訳", "内示", NULL};
	size_t k;

	if ((k = lit(s, i, "中")) && !lit_any(s, i, not_after_naka, NULL))
		return k;
	if ((k = lit(s, i, "内")) && !lit_any(s, i, not_after_uchi, NULL))
		return k;
	return 0;
}

/*
 * Month, then day / 末 / 旬 / 中, in year y (already decided by the caller).
 * i is at the number.  P_INVALID for an impossible month or day.
 */
static enum parse_result
month_part(const struct scan *s, size_t i, int y, struct point *p)
{
	size_t k, j;
	int m, d;

	k = read_num(s, i, false, &m);
	if (!k || !lit(s, i + k, "月"))
		return P_NONE;
	k += 1;
	p->b = i + k;
	if (m < 1 || m > 12 || !year_ok(y))
		return P_INVALID;
	set_month(p, y, m);
	i += k;
	if ((j = read_num(s, i, false, &d)) && lit(s, i + j, "日")) {
		p->b = i + j + 1;
		if (!kg_date_valid(y, m, d))
			return P_INVALID;
		p->ws = p->we = ymd(y, m, d);
		p->prec = KG_PREC_DAY;
		p->d = d;
		return P_OK;
	}
	if ((k = lit(s, i, "末日")) || (k = lit(s, i, "末"))) {
		p->ws = p->we = month_last(y, m);
		p->prec = KG_PREC_MONTH_END;
		p->b = i + k;
		return P_OK;
	}
	if ((k = lit(s, i, "上旬")) || (k = lit(s, i, "初旬"))
	    || (k = lit(s, i, "初め")) || (k = lit(s, i, "初頭"))) {
		set_span(p, y, m, 1, y, m, 10, KG_PREC_DEKAD);
	} else if ((k = lit(s, i, "中旬"))) {
		set_span(p, y, m, 11, y, m, 20, KG_PREC_DEKAD);
	} else if ((k = lit(s, i, "下旬"))) {
		p->ws = ymd(y, m, 21);
		p->we = month_last(y, m);
		p->prec = KG_PREC_DEKAD;
	} else {
		k = within(s, i);
	}
	p->b = i + k;
	return P_OK;
}

/* Calendar-year parts after 〜年: month…, 末, 内/中, seasons, halves, quarters. */
static enum parse_result
cal_part(const struct scan *s, size_t i, int y, struct point *p)
{
	enum parse_result r;
	size_t k, w;
	int q;

	r = month_part(s, i, y, p);
	if (r != P_NONE)
		return r;
	p->b = i;
	if ((k = lit(s, i, "末"))) {
		p->ws = p->we = ymd(y, 12, 31);
		p->prec = KG_PREC_YEAR_END;
		p->y = y;
		p->m = 12;
		p->d = 31;
	} else if ((k = lit_any(s, i, seasons, &w))) {
		set_season(p, y, (int)w);
	} else if ((k = lit_any(s, i, first_half, NULL))) {
		set_half(p, y, false);
	} else if ((k = lit_any(s, i, second_half, NULL))) {
		set_half(p, y, true);
	} else if ((k = read_quarter(s, i, &q))) {
		set_quarter(p, y, q);
	} else if ((k = lit_any(s, i, fy_start, NULL))) {
		set_month(p, y, 1);
	} else {
		p->ws = ymd(y, 1, 1);
		p->we = ymd(y, 12, 31);
		p->prec = KG_PREC_YEAR;
		p->y = y;
		p->m = 12;
		p->bare = true;
		if ((k = within(s, i)))
			p->bare = false;
	}
	p->b = i + k;
	return P_OK;
}

/* The year of a month written without one, at the scanner's context. */
static int
infer_year(struct scan *s, int m)
{
	s->ctx_used = true;
	if (s->have_ctx)
		return s->ctx_is_fy ? fy_month_year(s->ctx_year, m) : s->ctx_year;
	return fy_month_year(s->ctx->fiscal_year, m);
}

/* Calendar year of the as-of date (the fiscal year when there is none). */
static int
as_of_year(const struct scan *s)
{
	int y, m, d;

	if (s->ctx->as_of == KG_DAY_NONE)
		return s->ctx->fiscal_year;
	kg_civil_from_day(s->ctx->as_of, &y, &m, &d);
	return y;
}

static int
context_fy(struct scan *s)
{
	if (s->have_ctx) {
		s->ctx_used = true;
		return s->ctx_year;
	}
	return s->ctx->fiscal_year;
}

struct rel_word {
	const char *word;
	int delta;      /* years from the report's (fiscal) year */
	bool fiscal;
	bool same;      /* 同年度 / 同年: the last year named in the text */
};

static const struct rel_word rel_words[] = {
	{"再来年度", 2, true, false}, {"今年度", 0, true, false},
	{"本年度", 0, true, false}, {"当年度", 0, true, false},
	{"来年度", 1, true, false}, {"翌年度", 1, true, false},
	{"次年度", 1, true, false}, {"前年度", -1, true, false},
	{"昨年度", -1, true, false}, {"同年度", 0, true, true},
	{"今年", 0, false, false}, {"本年", 0, false, false},
	{"来年", 1, false, false}, {"翌年", 1, false, false},
	{"昨年", -1, false, false}, {"前年", -1, false, false},
	{"同年", 0, false, true},
	{NULL, 0, false, false},
};

/* Parts that may follow a bare 年度 / 年 for it to count as a date. */
static const char *const bare_fy_next[] = {"内", "中", "末", "当初", "初め",
	"初頭", "上半期", "下半期", "上期", "下期", "前半", "後半", "第", NULL};

/*
 * A point at i.  prev is the first half of a range (for 〜９月, 〜26日,
 * 平成20年度〜21年度) or NULL.  On P_OK p is filled; on P_INVALID p->b is where
 * the impossible date ends.
 */
static enum parse_result
parse_point(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k, j, w;
	int n, y, q;
	const struct era *e;

	memset(p, 0, sizeof(*p));
	p->a = i;

	/* era years: 平成21年, 平成元年度, 平19年, H21年度, 平成17～21年度 */
	for (e = eras; e->name; e++) {
		k = lit(s, i, e->name);
		if (!k)
			continue;
		if (e->abbrev && i > 0 && (is_ideograph(s->cp[i - 1])
		    || is_ascii_alnum(s->cp[i - 1])))
			break;
		j = read_num(s, i + k, !e->abbrev, &n);
		if (!j || n < 1 || n > 99)
			break;
		p->has_era = true;
		p->era_base = e->base;
		p->names_year = true;
		y = e->base + n - 1;
		k += j;
		goto year_unit;
	}
	/* Western years: 2008年, 2009年度 */
	if ((k = read_num(s, i, false, &n)) && n >= 1868 && n <= 2200
	    && (i == 0 || !is_ascii_alnum(s->cp[i - 1]))) {
		p->western = true;
		p->names_year = true;
		y = n;
		goto year_unit;
	}
	/* the second half of 平成20年度～21年度 or 2008年～2010年 */
	if (prev && (prev->has_era || prev->western) && (k = read_num(s, i, false, &n))
	    && (lit(s, i + k, "年度") || (lit(s, i + k, "年") && !lit(s, i + k, "年月")))) {
		y = prev->has_era ? prev->era_base + n - 1 : n;
		if (!prev->has_era && (n < 1868 || n > 2200))
			return P_NONE;
		p->names_year = true;
		goto year_unit;
	}
	/* relative years: 今年度, 来年度, 同年度, 今年, 翌年 … */
	for (w = 0; rel_words[w].word; w++) {
		const struct rel_word *r = &rel_words[w];

		if (!(k = lit(s, i, r->word)))
			continue;
		p->flags |= KG_JP_RELATIVE;
		if (r->same && s->have_same)
			y = r->fiscal ? s->same_fy : s->same_cal;
		else if (r->fiscal)
			y = s->ctx->fiscal_year + r->delta;
		else
			y = as_of_year(s) + r->delta;
		p->names_year = true;
		p->is_fy = r->fiscal;
		p->year = y;
		if (r->fiscal) {
			k += fy_part(s, i + k, y, p);
			k += within(s, i + k);
			p->b = i + k;
			return P_OK;
		}
		return cal_part(s, i + k, y, p);
	}
	/* bare 年度内, 年度末, 年度当初, 年度第３四半期 …: the context's fiscal year */
	if ((k = lit(s, i, "年度")) && lit_any(s, i + k, bare_fy_next, NULL)
	    && !(i > 0 && (is_ideograph(s->cp[i - 1]) || s->cp[i - 1] == 0x3005))) {
		y = context_fy(s);
		p->flags |= KG_JP_RELATIVE;
		p->is_fy = true;
		p->year = y;
		k += fy_part(s, i + k, y, p);
		k += within(s, i + k);
		p->bare = false;
		p->b = i + k;
		return P_OK;
	}
	/* bare 年内, 年末: the context's (or report's) calendar year; 年末年始
	 * is the New Year holidays, a season of every year, not a date */
	if ((k = lit(s, i, "年")) && (lit(s, i + k, "内") || lit(s, i + k, "末"))
	    && !lit(s, i + k, "内閣") && !lit(s, i + k, "末年始") && !(i > 0 && (is_ideograph(s->cp[i - 1])
	    || (s->cp[i - 1] >= '0' && s->cp[i - 1] <= '9')))) {
		int cy = s->have_ctx && !s->ctx_is_fy ? s->ctx_year : as_of_year(s);

		p->flags |= KG_JP_RELATIVE;
		return cal_part(s, i + k, cy, p);
	}
	/* 第N四半期, 上半期 / 下半期 of the context's fiscal year */
	if ((k = read_quarter(s, i, &q))) {
		set_quarter(p, context_fy(s), q);
		p->flags |= KG_JP_YEARLESS;
		p->b = i + k + within(s, i + k);
		return P_OK;
	}
	if ((k = lit(s, i, "上半期")) || (k = lit(s, i, "下半期"))) {
		set_half(p, context_fy(s), lit(s, i, "下半期") != 0);
		p->flags |= KG_JP_YEARLESS;
		p->b = i + k + within(s, i + k);
		return P_OK;
	}
	/* seasons: 今秋, 来春, 秋頃 */
	{
		static const char *const season_pre[] = {"今", "本", "来", "昨", NULL};
		static const int season_delta[] = {0, 0, 1, -1};
		static const char *const season_next[] = {"頃", "ごろ", "ころ", "に",
			"まで", "を", "以降", "から", "中", "の", NULL};
		size_t pw = 0, pk = lit_any(s, i, season_pre, &pw);

		if ((k = lit_any(s, i + pk, seasons, &w))
		    && (pk || lit_any(s, i + pk + k, season_next, NULL))
		    && !(i > 0 && is_ideograph(s->cp[i - 1]))) {
			if (pk) {
				y = as_of_year(s) + season_delta[pw];
			} else {
				y = infer_year(s, 3 + 3 * (int)w);
			}
			set_season(p, y, (int)w);
			p->flags |= pk ? KG_JP_RELATIVE : KG_JP_YEARLESS;
			p->b = i + pk + k;
			return P_OK;
		}
	}
	/* a month without a year; in a range, a day without month */
	if (read_num(s, i, false, &n)) {
		if (i > 0 && (is_ascii_alnum(s->cp[i - 1]) || kanji_digit(s->cp[i - 1]) >= 0
		    || s->cp[i - 1] == 0x5341 || s->cp[i - 1] == 0x7B2C /* 第 */))
			return P_NONE;
		if (prev && prev->d && (k = read_num(s, i, false, &n)) && lit(s, i + k, "日")) {
			p->b = i + k + 1;
			if (!kg_date_valid(prev->y, prev->m, n))
				return P_INVALID;
			p->ws = p->we = ymd(prev->y, prev->m, n);
			p->prec = KG_PREC_DAY;
			p->y = prev->y;
			p->m = prev->m;
			p->d = n;
			return P_OK;
		}
		k = read_num(s, i, false, &n);
		if (!lit(s, i + k, "月") || n < 1 || n > 12)
			return lit(s, i + k, "月") ? (p->b = i + k + 1, P_INVALID) : P_NONE;
		if (prev && prev->m) {
			y = prev->y + (n < prev->m ? 1 : 0);
		} else {
			y = infer_year(s, n);
			p->flags |= KG_JP_YEARLESS;
		}
		return month_part(s, i, y, p);
	}
	return P_NONE;

year_unit:
	p->year = y;
	if (!year_ok(y))
		return P_NONE;
	/* 平成17～21年度, 2008～2010年度: the first number has no unit */
	if (!prev && (s->cp[i + k] == '~' || s->cp[i + k] == 0x301C)) {
		size_t m1 = k + 1;
		int n2;

		j = read_num(s, i + m1, false, &n2);
		if (j) {
			int y2 = p->has_era ? p->era_base + n2 - 1 : n2;
			size_t u;

			if ((u = lit(s, i + m1 + j, "年度")) && y2 > y && year_ok(y2)) {
				p->ws = ymd(y, 4, 1);
				p->we = ymd(y2 + 1, 3, 31);
				p->y = y2 + 1;
				p->m = 3;
			} else if ((u = lit(s, i + m1 + j, "年")) && y2 > y && year_ok(y2)) {
				p->ws = ymd(y, 1, 1);
				p->we = ymd(y2, 12, 31);
				p->y = y2;
				p->m = 12;
			} else {
				return P_NONE;
			}
			p->prec = KG_PREC_RANGE;
			p->flags |= KG_JP_RANGE;
			p->b = i + m1 + j + u;
			return P_OK;
		}
	}
	if ((j = lit(s, i + k, "年度"))) {
		p->is_fy = true;
		k += j;
		k += fy_part(s, i + k, y, p);
		j = within(s, i + k);
		if (j && p->prec == KG_PREC_FISCAL_YEAR)
			p->bare = false;
		k += j;
		p->b = i + k;
		return P_OK;
	}
	if (lit(s, i + k, "今年度")) { /* the seed's typo 平成20今年度中 */
		p->is_fy = true;
		k += 3;
		k += fy_part(s, i + k, y, p);
		k += within(s, i + k);
		p->bare = false;
		p->b = i + k;
		return P_OK;
	}
	if ((j = lit(s, i + k, "年")) && !lit(s, i + k, "年間")) {
		enum parse_result r = cal_part(s, i + k + j, y, p);

		return r;
	}
	return P_NONE;
}

/* ---------------------------------------------------------------- scan */

static const char *const approx_words[] = {"頃", "ごろ", "ころ", NULL};
static const char *const range_marks[] = {"~", "〜", "から", NULL};
static const char *const from_words[] = {"から", "より", "以降", "以後", NULL};
static const char *const until_words[] = {"までに", "まで", "迄に", "迄", NULL};
static const char *const target_words[] = {"を目途", "を目処", "をめど", "目途",
	"目処", "めど", NULL};

/* A count right after a date (９月末までに37件, 平成19年度は1,089件): the date
 * bounds a tally of repeated work, not an event. */
static bool
tally_at(const struct scan *s, size_t i, bool until)
{
	/* a bound (までに) or a topic (は) counts; a plain time adverbial
	 * (今年度中に11府省庁について監査を実施) dates an event */
	static const char *const after_until[] = {"、", "で", NULL};
	static const char *const topic[] = {"には", "は", NULL};
	const char *const *particles = until ? after_until : topic;
	/* 計37件, 延べ1,250件, 更に20件程度 */
	static const char *const count_words[] = {"更に", "さらに", "合計", "計", "延べ",
		"約", NULL};
	static const char *const counters[] = {"件", "回", "名", "人", "社", "か所",
		"箇所", "校", "団体", "府省庁", "府省", NULL};
	size_t k, digits = 0;

	if ((k = lit_any(s, i, particles, NULL)))
		i += k;
	else if (!until)
		return false;
	while ((k = lit_any(s, i, count_words, NULL)))
		i += k;
	while (i < s->n && ((s->cp[i] >= '0' && s->cp[i] <= '9')
	    || (digits && s->cp[i] == ','))) {
		i++;
		digits++;
	}
	return digits && lit_any(s, i, counters, NULL);
}

/* What follows a date that may only scope later ones: a topic or a pause
 * (平成21年度には…10月, 平成20年８月、…（８月26日から…）, 来年度の演習は…
 * 平成22年秋頃), not a time adverbial of its own act (平成24年度下半期中に
 * 改訂版を作成し、第４四半期に…). */
static bool
sets_scene(const struct scan *s, size_t e)
{
	static const char *const topic[] = {"には", "は", "、", ",", "の", NULL};

	return lit_any(s, e, topic, NULL) != 0;
}

/* A whole expression at i (point plus modifiers).  On P_OK, *named tells
 * whether it names a year of its own and *bare whether it is only a year. */
static enum parse_result
parse_expr(struct scan *s, size_t i, struct kg_jpdate *out, bool *named, bool *bare)
{
	struct point a, b;
	enum parse_result r;
	size_t k, e, w;
	bool whole_years;

	r = parse_point(s, i, NULL, &a);
	if (r != P_OK) {
		out->cp_end = a.b;
		return r;
	}
	e = a.b;
	/* only whole periods (平成19年度, 平成17～21年度, 本年度下半期): may
	 * name a thing */
	whole_years = a.bare || (a.flags & KG_JP_RANGE) || a.prec == KG_PREC_HALF_YEAR
	    || a.prec == KG_PREC_QUARTER;
	if ((k = lit_any(s, e, approx_words, NULL))) {
		a.flags |= KG_JP_APPROX;
		e += k;
	}
	out->window_start = a.ws;
	out->window_end = a.we;
	out->precision = a.prec;
	out->flags = a.flags;
	if (!(a.flags & KG_JP_RANGE) && (k = lit_any(s, e, range_marks, &w))
	    && parse_point(s, e + k, &a, &b) == P_OK && b.we >= a.ws) {
		e = b.b;
		if ((k = lit_any(s, e, approx_words, NULL)))
			e += k;
		out->window_end = b.we;
		out->precision = KG_PREC_RANGE;
		out->flags |= KG_JP_RANGE | (b.flags & KG_JP_YEARLESS);
		if ((k = lit_any(s, e, until_words, NULL)))
			e += k;
		whole_years = a.bare && b.bare;
		a.bare = false;
	} else if ((k = lit_any(s, e, from_words, NULL))) {
		e += k;
		out->window_end = KG_DAY_NONE;
		out->precision = KG_PREC_OPEN_START;
		out->flags |= KG_JP_FROM;
		whole_years = a.bare = false;
	} else if ((k = lit_any(s, e, until_words, NULL))) {
		e += k;
		out->flags |= KG_JP_UNTIL;
		whole_years = a.bare = false;
	}
	out->base_start = out->window_start;
	out->base_end = out->window_end;
	out->base_precision = out->precision;
	if ((out->flags & KG_JP_UNTIL) && s->ctx->as_of != KG_DAY_NONE
	    && out->window_end > s->ctx->as_of) {
		out->window_start = s->ctx->as_of + 1;
		out->precision = KG_PREC_RANGE;
	}
	out->cp_start = i;
	out->cp_end = e;
	/* what follows: 現在 makes it a status date; 目途 a target */
	k = e;
	if (lit(s, k, "の"))
		k++;
	if (lit(s, k, "現在"))
		out->flags |= KG_JP_ASOF;
	if (lit_any(s, e, target_words, NULL))
		out->flags |= KG_JP_TARGET;
	if (lit(s, e, "に引き続き") || lit(s, e, "に続き"))
		out->flags |= KG_JP_BACKGROUND;
	/* 平成19年度の指針見直し, 昭和元年から平成元年までの記録, 本年度下半期の
	 * 取組: periods over by the as-of date naming what was done in them */
	if (whole_years && lit(s, e, "の") && s->ctx->as_of != KG_DAY_NONE
	    && out->window_end <= s->ctx->as_of)
		out->flags |= KG_JP_BACKGROUND;
	if (tally_at(s, e, (out->flags & KG_JP_UNTIL) != 0))
		out->flags |= KG_JP_TALLY;
	if (i >= 3 && lit(s, i - 3, "前回") && (s->cp[i - 1] == '(' || s->cp[i - 1] == 0xFF08))
		out->flags |= KG_JP_BACKGROUND;
	if (i >= 2 && lit(s, i - 2, "前回"))
		out->flags |= KG_JP_BACKGROUND;
	/* remember what this expression says about the year for later ones;
	 * a date naming earlier work, or a year inside a quoted title
	 * (「…（2015年度版）」), lends no year to the sentence's later dates */
	*named = a.names_year && !(out->flags & KG_JP_BACKGROUND) && !s->in_quote;
	*bare = a.bare;
	if (*named) {
		int yy, mm, dd;

		kg_civil_from_day(a.ws, &yy, &mm, &dd);
		/* 平成元年度から実施している研修について、年度内に: "since" a
		 * year before the report's says how long, it does not set the
		 * year of the sentence's later dates (同年度 still refers to it) */
		if (!(out->flags & KG_JP_FROM) || kg_fiscal_year(a.ws) >= s->ctx->fiscal_year) {
			s->have_ctx = true;
			s->ctx_is_fy = !a.is_fy && (a.prec == KG_PREC_YEAR
			    || a.prec == KG_PREC_YEAR_END) ? false : true;
			s->ctx_year = a.is_fy ? a.year : s->ctx_is_fy ? kg_fiscal_year(a.ws) : a.year;
		}
		s->have_same = true;
		s->same_fy = a.is_fy ? a.year : kg_fiscal_year(a.ws);
		s->same_cal = a.is_fy ? a.year : yy;
	}
	return P_OK;
}

void
kg_jpdate_scan_text(const struct kg_jptext *t, const struct kg_jpctx *ctx,
    struct kg_jpdate *out, size_t max, size_t *n)
{
	struct scan s;
	size_t i = 0, got = 0;
	int quote = 0, paren = 0;

	memset(&s, 0, sizeof(s));
	s.cp = t->cp;
	s.n = t->n;
	s.ctx = ctx;
	s.ctx_src = SIZE_MAX;
	while (i < t->n) {
		int32_t c = t->cp[i];
		struct kg_jpdate d;
		enum parse_result r;
		bool named = false, bare = false;

		switch (c) {
		case 0x300C: case 0x300E: quote++; break;          /* 「 『 */
		case 0x300D: case 0x300F: if (quote) quote--; break; /* 」 』 */
		case '(': paren++; break;
		case ')': if (paren) paren--; break;
		case 0x3002: /* 。 ends the sentence and its year context */
			s.have_ctx = false;
			s.ctx_src = SIZE_MAX;
			break;
		default: break;
		}
		memset(&d, 0, sizeof(d));
		s.ctx_used = false;
		s.in_quote = quote > 0;
		r = parse_expr(&s, i, &d, &named, &bare);
		if (r == P_NONE) {
			i++;
			continue;
		}
		if (r == P_INVALID) {
			i = d.cp_end > i ? d.cp_end : i + 1;
			continue;
		}
		/* 平成21年度には…10月, 平成20年８月、…（８月26日から…）: the
		 * earlier, wider date only scoped this one */
		if ((s.ctx_used || (named && s.ctx_bare)) && s.ctx_topic
		    && s.ctx_src != SIZE_MAX && s.ctx_src < got
		    && d.base_start >= s.ctx_ws && d.base_start <= s.ctx_we
		    && ((d.flags & KG_JP_RANGE) || (d.base_end != KG_DAY_NONE
		    && d.base_end - d.base_start < s.ctx_we - s.ctx_ws)))
			out[s.ctx_src].flags |= KG_JP_CONTEXT;
		if (quote)
			d.flags |= KG_JP_QUOTED;
		if (paren)
			d.flags |= KG_JP_PAREN;
		d.start = t->src_start[d.cp_start];
		d.end = t->src_end[d.cp_end - 1];
		if (got < max) {
			/* a year may turn out to be context only */
			if (named) {
				s.ctx_src = d.flags & (KG_JP_RANGE | KG_JP_FROM | KG_JP_UNTIL)
				    ? SIZE_MAX : got;
				s.ctx_ws = d.window_start;
				s.ctx_we = d.window_end;
				s.ctx_topic = sets_scene(&s, d.cp_end);
				s.ctx_bare = bare;
			}
			out[got++] = d;
		}
		i = d.cp_end;
	}
	*n = got;
}

int
kg_jpdate_scan(const char *text, size_t len, const struct kg_jpctx *ctx,
    struct kg_jpdate *out, size_t max, size_t *n, struct kg_err *err)
{
	struct kg_jptext t;

	*n = 0;
	if (kg_jptext_init(&t, text, len, err) < 0)
		return -1;
	kg_jpdate_scan_text(&t, ctx, out, max, n);
	kg_jptext_release(&t);
	return 0;
}
