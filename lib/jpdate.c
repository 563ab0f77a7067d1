/*
 * jpdate — Japanese date expressions to windows.
 *
 * The text is first turned into code points with per-character NFKC
 * (kg_jptext), each mapped back to the source bytes.  The scanner then walks
 * it once; at each position it tries to read an expression:
 *
 *   expr  := point [頃] ( (～|〜|~|から) point [頃] [まで(に)]   a range
 *                      | から | より | 以降 | 以後                   open end
 *                      | まで | までに | 迄 )?                       until
 *   point := year unit [part] | [year] month [day | 末 | 旬 | 中]
 *          | 第N四半期 | 上半期 | season | relative words (今年度, 年度内 …)
 *
 * Each construct of `point` is one small function (point_rules, tried in
 * order); the words each one knows are tables of (word, meaning) below, in
 * the spirit of SQLite's date.c.  After a match the scanner looks at what
 * follows (現在, 目途, a count …) for flags.  A failed attempt costs a few
 * code-point comparisons and nothing backtracks further than one
 * expression, so the whole scan is linear in the text.  Windows follow
 * docs/dates.md; every word and rule has its row in tests/unit/test_jpdate.c.
 */
#include "jpdate.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "jpchars.h"
#include "ustr.h"

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

/* Whether NFKC leaves c alone for certain: ASCII, the hiragana and
 * katakana letters and the unified ideographs, most of a report (the
 * voiced kana decompose and compose back; test_jpdate checks every one). */
static bool
nfkc_same(int32_t c)
{
	return c < 0x80 || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA)
	    || (c >= 0x4E00 && c <= 0x9FFF);
}

/* NFKC of one code point into buf (no allocation).  Composition happens only
 * within the character, which is all date matching needs. */
static size_t
nfkc_char(int32_t c, int32_t *buf, size_t cap)
{
	utf8proc_ssize_t k;
	int boundclass = 0;

	if (nfkc_same(c)) {
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

static bool
is_blank(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_latin(int32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Drops the blanks a PDF extraction leaves inside Japanese text (2024 年度,
 * 令和 6 年 10 月, 2 0 2 4 年 度, a line break inside an expression): a run
 * of blanks between two characters goes, unless one of them is a Latin
 * letter (Check PC, ISO 15408) or both are digits of numbers of their own
 * (1 2024年度, 1,000 2,000); two digits that each stand alone (2 0 2 4) are
 * one letter-spaced number.  Leading and trailing blanks stay.  In place,
 * one pass.
 */
static void
drop_pdf_blanks(struct kg_jptext *t)
{
	size_t r = 0, w = 0, e;
	int32_t before_last = 0; /* the source character before the last kept one */

	while (r < t->n) {
		int32_t a, b;

		if (!is_blank(t->cp[r])) {
			before_last = r > 0 ? t->cp[r - 1] : 0;
			t->cp[w] = t->cp[r];
			t->src_start[w] = t->src_start[r];
			t->src_end[w] = t->src_end[r];
			r++;
			w++;
			continue;
		}
		for (e = r; e < t->n && is_blank(t->cp[e]); e++)
			;
		a = w > 0 ? t->cp[w - 1] : 0;
		b = e < t->n ? t->cp[e] : 0;
		if (a == 0 || b == 0 || is_latin(a) || is_latin(b)
		    || (jp_is_digit(a) && jp_is_digit(b) && (jp_is_digit(before_last)
		    || (e + 1 < t->n && jp_is_digit(t->cp[e + 1]))))) {
			for (; r < e; r++, w++) { /* kept */
				t->cp[w] = t->cp[r];
				t->src_start[w] = t->src_start[r];
				t->src_end[w] = t->src_end[r];
			}
			continue;
		}
		r = e;
	}
	t->n = w;
}

int
kg_jptext_init(struct kg_jptext *t, const char *s, size_t len, struct kg_err *err)
{
	int32_t buf[32];
	size_t i = 0, k, j;

	memset(t, 0, sizeof(*t));
	if (len > KG_JPTEXT_MAX)
		return kg_err_set(err, "text too long (%zu bytes, at most %zu)",
		    len, KG_JPTEXT_MAX);
	if (jptext_grow(t, len + 16) < 0)
		goto nomem;
	while (i < len) {
		size_t step;
		int32_t c = kg_cp_at(s, len, i, &step);

		if (c < 0)
			c = JP_REPLACEMENT;
		k = nfkc_char(c, buf, sizeof(buf) / sizeof(buf[0]));
		if (t->n + k > t->cap && jptext_grow(t, t->n + k) < 0)
			goto nomem;
		for (j = 0; j < k; j++) {
			t->cp[t->n] = buf[j];
			t->src_start[t->n] = (uint32_t)i;
			t->src_end[t->n] = (uint32_t)(i + step);
			t->n++;
		}
		i += step;
	}
	drop_pdf_blanks(t);
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

void
kg_cpset_add(struct kg_cpset *s, int32_t c)
{
	if ((uint32_t)c < 0x10000)
		s->bits[c >> 6] |= (uint64_t)1 << (c & 63);
}

void
kg_cpset_add_first(struct kg_cpset *s, const char *word)
{
	const unsigned char *u = (const unsigned char *)word;

	if (*u)
		kg_cpset_add(s, kg_literal_cp(&u));
}

void
kg_cpset_add_firsts(struct kg_cpset *s, const char *const *words)
{
	for (; *words; words++)
		kg_cpset_add_first(s, *words);
}

/* The scanner's literals go through kg_jptext_match (jpdate.h, inline). */
static size_t
match_at(const int32_t *cp, size_t n, size_t i, const char *lit_u8)
{
	const struct kg_jptext t = { (int32_t *)cp, NULL, NULL, n, 0 };

	return kg_jptext_match(&t, i, lit_u8);
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
	bool ctx_used;    /* a yearless date used ctx (set by the point rules) */
	bool in_quote;    /* the expression is inside 「」『』: a name's year */
	struct kg_jplast last; /* for 同年 / 同年度 / 翌年度, 同月 / 翌月, 同日 / 翌日 */
};

/* The code point at i, 0 past the end. */
static int32_t
cp_at(const struct scan *s, size_t i)
{
	return i < s->n ? s->cp[i] : 0;
}

/* The code point before i, 0 at the start. */
static int32_t
cp_before(const struct scan *s, size_t i)
{
	return i > 0 ? s->cp[i - 1] : 0;
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

/* A vocabulary entry: a word and what it means to the rule that reads it. */
struct word {
	const char *text;
	int meaning;
};

/* The longest word of a table (ended by a NULL text) at i: its length, and
 * its entry in *w; 0 when none. */
static size_t
word_at(const struct scan *s, size_t i, const struct word *table, const struct word **w)
{
	size_t best = 0, k;

	for (; table->text; table++)
		if ((k = lit(s, i, table->text)) > best) {
			best = k;
			*w = table;
		}
	return best;
}

/* ------------------------------------------------------------- numbers */

/* Kanji numerals: digits (positional: 二〇〇八) and multipliers (二十六). */
struct numeral {
	int32_t cp;
	int value;
};

static const struct numeral kanji_digits[] = {
	{JP_ZERO, 0}, {JP_REI, 0}, {JP_ONE, 1}, {JP_TWO, 2}, {JP_THREE, 3},
	{JP_FOUR, 4}, {JP_FIVE, 5}, {JP_SIX, 6}, {JP_SEVEN, 7}, {JP_EIGHT, 8},
	{JP_NINE, 9},
};

static const struct numeral kanji_multipliers[] = {
	{JP_TEN, 10}, {JP_HUNDRED, 100}, {JP_THOUSAND, 1000},
};

/* The value of c in table (of n entries), or -1. */
static int
numeral_value(const struct numeral *table, size_t n, int32_t c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].cp == c)
			return table[i].value;
	return -1;
}

/* The value of a kanji digit (〇 一 … 九, 零), or -1. */
static int
kanji_digit(int32_t c)
{
	return numeral_value(kanji_digits, sizeof(kanji_digits) / sizeof(kanji_digits[0]), c);
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
	int total = 0, cur = 0, d, mul;
	bool kanji = false;

	while (jp_is_digit(cp_at(s, i + k))) {
		if (k == 4)
			return 0;
		cur = cur * 10 + (s->cp[i + k] - '0');
		k++;
	}
	if (k) {
		*val = cur;
		return k;
	}
	if (gen && cp_at(s, i) == JP_GAN) {
		*val = 1;
		return 1;
	}
	for (; i + k < s->n && k < 8; k++) {
		int32_t c = s->cp[i + k];

		if ((d = kanji_digit(c)) >= 0) {
			cur = cur * 10 + d;
		} else if ((mul = numeral_value(kanji_multipliers, sizeof(kanji_multipliers)
		    / sizeof(kanji_multipliers[0]), c)) > 0) {
			total += (cur ? cur : 1) * mul;
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

/* Whether c ends a number or an ordinal (19, 二十, 第): a number after it
 * continues that one, it starts no date. */
static bool
numeral_before(const struct scan *s, size_t i)
{
	int32_t c = cp_before(s, i);

	return jp_is_ascii_alnum(c) || kanji_digit(c) >= 0 || c == JP_TEN || c == JP_DAI;
}

/* ------------------------------------------------------------- windows */

static kg_day
ymd(int y, int m, int d)
{
	return kg_day_from_civil(y, m, d);
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
	enum kg_jp_doubt doubt;
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
set_fy(struct point *p, int fy)
{
	set_span(p, fy, 4, 1, fy + 1, 3, 31, KG_PREC_FISCAL_YEAR);
}

static void
set_year(struct point *p, int y)
{
	set_span(p, y, 1, 1, y, 12, 31, KG_PREC_YEAR);
}

static void
set_month(struct point *p, int y, int m)
{
	set_span(p, y, m, 1, y, m, 0, KG_PREC_MONTH);
}

static void
set_day(struct point *p, int y, int m, int d)
{
	set_span(p, y, m, d, y, m, d, KG_PREC_DAY);
	p->d = d;
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

/* ---------------------------------------------------------- vocabulary */

/* Eras: the Western year of their 元年.  The one-letter forms count only
 * directly before a number (平19年, H21年度, R6.4.1) and not inside a word. */
struct era {
	const char *name;
	int base;
	bool abbrev;
};

static const struct era eras[] = {
	{"令和", 2019, false}, {"平成", 1989, false}, {"昭和", 1926, false},
	{"大正", 1912, false}, {"明治", 1868, false},
	{"平", 1989, true}, {"令", 2019, true}, {"昭", 1926, true},
	{"H", 1989, true}, {"R", 2019, true}, {"S", 1926, true},
	{NULL, 0, false},
};

/* Parts of a year written after it (平成20年度末, 平成21年春, 来年度上半期,
 * 2025年央): what they mean, and after which unit they may come. */
enum part {
	PART_END,     /* 末: the last day of the (fiscal) year */
	PART_START,   /* 当初, 初め: its first month (April of a fiscal year) */
	PART_HALF1,   /* 上半期: April–September of the fiscal year */
	PART_HALF2,   /* 下半期: October–March */
	PART_SPRING,  /* 春 夏 秋 冬: seasons of the calendar year */
	PART_SUMMER,
	PART_AUTUMN,
	PART_WINTER,
	PART_MIDYEAR, /* 年央: June–July */
	PART_NEW_YEAR, /* 年明け: January */
};

enum { AFTER_FY = 1, AFTER_YEAR = 2 };

struct part_word {
	const char *text;
	enum part part;
	unsigned after;
};

static const struct part_word year_parts[] = {
	{"末", PART_END, AFTER_FY | AFTER_YEAR},
	{"当初", PART_START, AFTER_FY | AFTER_YEAR},
	{"初め", PART_START, AFTER_FY | AFTER_YEAR},
	{"初頭", PART_START, AFTER_FY | AFTER_YEAR},
	{"はじめ", PART_START, AFTER_FY | AFTER_YEAR},
	{"上半期", PART_HALF1, AFTER_FY | AFTER_YEAR},
	{"上期", PART_HALF1, AFTER_FY | AFTER_YEAR},
	{"前半期", PART_HALF1, AFTER_FY | AFTER_YEAR},
	{"前半", PART_HALF1, AFTER_FY | AFTER_YEAR},
	{"下半期", PART_HALF2, AFTER_FY | AFTER_YEAR},
	{"下期", PART_HALF2, AFTER_FY | AFTER_YEAR},
	{"後半期", PART_HALF2, AFTER_FY | AFTER_YEAR},
	{"後半", PART_HALF2, AFTER_FY | AFTER_YEAR},
	{"春", PART_SPRING, AFTER_FY | AFTER_YEAR},
	{"夏", PART_SUMMER, AFTER_FY | AFTER_YEAR},
	{"秋", PART_AUTUMN, AFTER_FY | AFTER_YEAR},
	{"冬", PART_WINTER, AFTER_FY | AFTER_YEAR},
	{"央", PART_MIDYEAR, AFTER_YEAR},
	{"明け", PART_NEW_YEAR, AFTER_YEAR},
	{NULL, PART_END, 0},
};

/* Parts of a month (平成21年３月末, ２月中旬). */
enum month_part {
	MONTH_END,     /* 末, 末日: its last day */
	MONTH_EARLY,   /* 上旬: days 1-10 */
	MONTH_MIDDLE,  /* 中旬: days 11-20 */
	MONTH_LATE,    /* 下旬: day 21 to the end */
};

static const struct word month_parts[] = {
	{"末日", MONTH_END}, {"末", MONTH_END},
	{"上旬", MONTH_EARLY}, {"初旬", MONTH_EARLY}, {"初め", MONTH_EARLY},
	{"初頭", MONTH_EARLY}, {"中旬", MONTH_MIDDLE}, {"下旬", MONTH_LATE},
	{NULL, 0},
};

/* A day's weekday in brackets, 0 = Monday as kg_weekday: 12月１日（月）,
 * （月曜日）, （月・祝）. */
static const struct word weekdays[] = {
	{"月", 0}, {"火", 1}, {"水", 2}, {"木", 3}, {"金", 4}, {"土", 5}, {"日", 6},
	{NULL, 0},
};
static const char *const weekday_tails[] = {"曜日", "曜", NULL};
static const char *const holiday_marks[] = {"・祝", "・休", NULL};

/* A clock time after a day (10:00, 16時, 16時30分, 午後２時), and the marks
 * of its end (10:00～12:00). */
static const char *const clock_prefixes[] = {"午前", "午後", NULL};
static const char *const clock_range_marks[] = {"~", "〜", "-", "から", NULL};

/* A range whose first half is a bare number borrows the unit of the second
 * (1~3月, 10-12月期, 1〜3日): the marks that may stand between the two, and
 * the word of a span of months (1~3月期: a quarter of the calendar). */
static const char *const shared_unit_marks[] = {"~", "〜", "-", NULL};
static const char *const month_span_words[] = {"期", NULL};

/* 中 or 内 that ends an expression (年度中, ３月中, 年度内), unless they
 * begin a word of their own. */
static const char *const within_words[] = {"中", "内", NULL};
static const char *const not_within[] = {"中間", "中心", "中小", "中止", "中央",
	"中長", "中核", "中期", "中旬", "内閣", "内容", "内部", "内外", "内訳", "内示",
	NULL};

/* Times relative to the report or to the last date of the text. */
enum rel_unit { REL_FY, REL_YEAR, REL_MONTH, REL_DAY };
enum rel_anchor {
	REL_REPORT, /* the report's fiscal year, the as-of date's year or month */
	REL_LAST,   /* after the last date of the text; the as-of date's when none */
	REL_SAME,   /* the last date of the text; with none the text leaves it
	               open: the as-of date's, with a doubt */
};

struct rel_word {
	const char *word;
	enum rel_unit unit;
	int delta;
	enum rel_anchor anchor;
};

static const struct rel_word rel_words[] = {
	{"今年度", REL_FY, 0, REL_REPORT}, {"本年度", REL_FY, 0, REL_REPORT},
	{"当年度", REL_FY, 0, REL_REPORT}, {"来年度", REL_FY, 1, REL_REPORT},
	{"次年度", REL_FY, 1, REL_REPORT}, {"再来年度", REL_FY, 2, REL_REPORT},
	{"前年度", REL_FY, -1, REL_REPORT}, {"昨年度", REL_FY, -1, REL_REPORT},
	{"翌年度", REL_FY, 1, REL_LAST}, {"同年度", REL_FY, 0, REL_SAME},
	{"今年", REL_YEAR, 0, REL_REPORT}, {"本年", REL_YEAR, 0, REL_REPORT},
	{"来年", REL_YEAR, 1, REL_REPORT}, {"昨年", REL_YEAR, -1, REL_REPORT},
	{"前年", REL_YEAR, -1, REL_REPORT}, {"翌年", REL_YEAR, 1, REL_LAST},
	{"同年", REL_YEAR, 0, REL_SAME},
	{"今月", REL_MONTH, 0, REL_REPORT}, {"来月", REL_MONTH, 1, REL_REPORT},
	{"先月", REL_MONTH, -1, REL_REPORT}, {"翌月", REL_MONTH, 1, REL_LAST},
	{"同月", REL_MONTH, 0, REL_SAME},
	{"翌日", REL_DAY, 1, REL_LAST}, {"同日", REL_DAY, 0, REL_SAME},
	{NULL, REL_FY, 0, REL_REPORT},
};

/* Words that begin like a relative time and are none: 同年代 (of the same
 * generation), 同年齢, 同年輩. */
static const char *const not_relative[] = {"同年代", "同年齢", "同年輩", NULL};

/* What may follow a bare 年度 for it to be the context's fiscal year
 * (年度内, 年度末, 年度当初, 年度第３四半期 …). */
static const char *const bare_fy_next[] = {"内", "中", "末", "当初", "初め",
	"初頭", "上半期", "下半期", "上期", "下期", "前半", "後半", "第", NULL};

/* What may follow a bare 年 for it to be the context's calendar year: 年内,
 * 年末, 年央, 年明け (not 年末年始, the New Year holidays of every year, nor
 * 内閣). */
static const char *const bare_year_next[] = {"内", "末", "央", "明け", NULL};
static const char *const not_bare_year[] = {"内閣", "末年始", NULL};

/* A bare half of the context's fiscal year. */
static const struct word bare_halves[] = {
	{"上半期", PART_HALF1}, {"下半期", PART_HALF2}, {"上期", PART_HALF1},
	{"下期", PART_HALF2}, {NULL, 0},
};

/* Seasons alone (秋頃, 今秋, 来春): a prefix names the year relative to the
 * as-of date; without one, what follows must show it is a time. */
static const struct word season_prefixes[] = {
	{"今", 0}, {"本", 0}, {"来", 1}, {"昨", -1}, {NULL, 0},
};
static const struct word seasons[] = {
	{"春", 0}, {"夏", 1}, {"秋", 2}, {"冬", 3}, {NULL, 0},
};
static const char *const season_next[] = {"頃", "ごろ", "ころ", "に", "まで", "を",
	"以降", "から", "中", "の", NULL};

/* A year in figures with a month (2024.4.1, 2024/4, 2024-04-01): the
 * separators, and what may not follow a year and month alone, which would
 * make it a decimal number (2024.5万件, 2020.5%). */
static const char *const numeric_seps[] = {".", "/", "-", NULL};
static const char *const decimal_units[] = {"万", "億", "兆", "千", "百", "十", "円",
	"件", "人", "%", "倍", "歳", "ト", NULL};

/* Words a month is never written after: an age (１歳６月) */
static const char *const not_before_month[] = {"歳", NULL};

/* What may follow a point. */
static const char *const approx_words[] = {"頃", "ごろ", "ころ", NULL};
static const char *const range_marks[] = {"~", "〜", "から", NULL};
static const char *const from_words[] = {"から", "より", "以降", "以後", NULL};
static const char *const until_words[] = {"までに", "まで", "迄に", "迄", NULL};
static const char *const target_words[] = {"を目途", "を目処", "をめど", "目途",
	"目処", "めど", NULL};
static const char *const asof_words[] = {"現在", "時点", NULL};
static const char *const background_words[] = {"に引き続き", "に続き", NULL};

/* Years that are no time of an event: the name of a plan, budget or
 * edition right after a whole year (2024年度年次計画, 令和６年度予算,
 * 2023年版); a year compared with (2013年度比, 平成25年度と比べて); a year
 * a group of work heads for (2030年に向けて). */
static const char *const name_nouns[] = {"年次計画", "計画", "予算", "決算", "版",
	"白書", "税制改正", "概算要求", "実績", NULL};
static const char *const baseline_words[] = {"と比べ", "と比較", "に比べ", "に比較",
	"比", "対比", "水準", "を基準", NULL};
static const char *const same_period[] = {"同月", "同期", NULL}; /* 前年同月比 */
static const char *const horizon_words[] = {"に向け", "を見据え", NULL};

/* Words before a date that make it a time of every year (毎年６月頃). */
static const char *const recurring_words[] = {"毎年度", "毎年", "例年", "各年度",
	"隔年", NULL};

/* A count right after a date (９月末までに37件, 平成19年度は1,089件): the
 * particles that may come between (a bound: までに、 / で; a topic: は), the
 * words before the number (計37件, 延べ1,250件, 更に20件程度) and the
 * counters after it. */
static const char *const tally_after_until[] = {"、", "で", NULL};
static const char *const tally_after_topic[] = {"には", "は", NULL};
static const char *const tally_count_words[] = {"更に", "さらに", "合計", "計", "延べ",
	"約", NULL};
static const char *const tally_counters[] = {"件", "回", "名", "人", "社", "か所",
	"箇所", "校", "団体", "府省庁", "府省", NULL};

/* What follows a date that only sets the scene for later ones. */
static const char *const scene_words[] = {"には", "は", "、", ",", "の", NULL};

/* An earlier round: 前回（平成18年度）, 前回平成18年度 */
static const char *const earlier_round_words[] = {"前回", "前回(", NULL};

/* Every table of words above, for kg_jpdate_word. */
struct vocabulary {
	const void *table;      /* ended by an entry whose text is NULL */
	size_t stride;
	size_t text;            /* offset of the text in an entry */
};

#define WORDS(t) {t, sizeof(t[0]), 0}
#define ENTRIES(t, type, field) {t, sizeof(t[0]), offsetof(type, field)}

static const struct vocabulary vocabularies[] = {
	ENTRIES(eras, struct era, name), ENTRIES(year_parts, struct part_word, text),
	ENTRIES(month_parts, struct word, text), ENTRIES(weekdays, struct word, text),
	ENTRIES(rel_words, struct rel_word, word), ENTRIES(bare_halves, struct word, text),
	ENTRIES(season_prefixes, struct word, text), ENTRIES(seasons, struct word, text),
	WORDS(not_relative), WORDS(weekday_tails), WORDS(holiday_marks), WORDS(clock_prefixes),
	WORDS(clock_range_marks), WORDS(shared_unit_marks), WORDS(month_span_words),
	WORDS(within_words), WORDS(not_within),
	WORDS(bare_fy_next), WORDS(bare_year_next), WORDS(not_bare_year),
	WORDS(season_next), WORDS(numeric_seps), WORDS(decimal_units),
	WORDS(not_before_month), WORDS(approx_words), WORDS(range_marks),
	WORDS(from_words), WORDS(until_words), WORDS(target_words), WORDS(asof_words),
	WORDS(background_words), WORDS(name_nouns), WORDS(baseline_words),
	WORDS(same_period), WORDS(horizon_words), WORDS(recurring_words),
	WORDS(tally_after_until), WORDS(tally_after_topic), WORDS(tally_count_words),
	WORDS(tally_counters), WORDS(scene_words), WORDS(earlier_round_words),
};

const char *
kg_jpdate_word(size_t i)
{
	size_t v;

	for (v = 0; v < sizeof(vocabularies) / sizeof(vocabularies[0]); v++) {
		const char *entry = vocabularies[v].table;
		const char *text;

		for (;; entry += vocabularies[v].stride) {
			memcpy(&text, entry + vocabularies[v].text, sizeof(text));
			if (text == NULL)
				break;
			if (i-- == 0)
				return text;
		}
	}
	return NULL;
}

/* ------------------------------------------------------- year contexts */

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

/* The year of a month written without one, at the scanner's context. */
static int
infer_year(struct scan *s, int m, struct point *p)
{
	s->ctx_used = true;
	if (s->have_ctx)
		return s->ctx_is_fy ? fy_month_year(s->ctx_year, m) : s->ctx_year;
	p->flags |= KG_JP_REPORT_YEAR;
	return fy_month_year(s->ctx->fiscal_year, m);
}

/* The fiscal year of a half, quarter or 年度… written without one. */
static int
context_fy(struct scan *s, struct point *p)
{
	if (s->have_ctx) {
		s->ctx_used = true;
		return s->ctx_year;
	}
	p->flags |= KG_JP_REPORT_YEAR;
	return s->ctx->fiscal_year;
}

/* ----------------------------------------------------------- the parts */

/* 中 or 内 that ends an expression at i: its length, else 0. */
static size_t
within(const struct scan *s, size_t i)
{
	if (lit_any(s, i, not_within, NULL))
		return 0;
	return lit_any(s, i, within_words, NULL);
}

/* At i, a mark and a number followed by unit (the ~3月 of 1~3月): the
 * length up to the unit, *n the number; else 0. */
static size_t
shared_unit(const struct scan *s, size_t i, const char *unit, int *n)
{
	size_t k, j;

	if (!(k = lit_any(s, i, shared_unit_marks, NULL)) || !(j = read_num(s, i + k, false, n))
	    || !lit(s, i + k + j, unit))
		return 0;
	return k + j;
}

/* 第N四半期 at i (N a single digit 1-4).  Returns length or 0. */
static size_t
read_quarter(const struct scan *s, size_t i, int *q)
{
	size_t k = lit(s, i, "第"), j;
	int d;

	if (!k || i + k >= s->n)
		return 0;
	if (jp_is_digit(s->cp[i + k]))
		d = s->cp[i + k] - '0';
	else
		d = kanji_digit(s->cp[i + k]);
	if (d < 1 || d > 4)
		return 0;
	k++;
	j = lit(s, i + k, "四半期");
	if (!j)
		return 0;
	*q = d;
	return k + j;
}

/* The window of part of (fiscal) year y. */
static void
apply_part(struct point *p, enum part part, int y, bool fiscal)
{
	switch (part) {
	case PART_END:
		if (fiscal)
			set_span(p, y + 1, 3, 31, y + 1, 3, 31, KG_PREC_FISCAL_YEAR_END);
		else
			set_span(p, y, 12, 31, y, 12, 31, KG_PREC_YEAR_END);
		p->d = 31;
		break;
	case PART_START:
		set_month(p, y, fiscal ? 4 : 1);
		break;
	case PART_HALF1:
	case PART_HALF2:
		set_half(p, y, part == PART_HALF2);
		break;
	case PART_SPRING:
	case PART_SUMMER:
	case PART_AUTUMN:
	case PART_WINTER:
		set_season(p, y, (int)(part - PART_SPRING));
		break;
	case PART_MIDYEAR:
		set_span(p, y, 6, 1, y, 7, 31, KG_PREC_SEASON);
		break;
	case PART_NEW_YEAR:
		set_month(p, y, 1);
		break;
	}
}

/* A part of year y at i allowed after its unit (AFTER_FY, AFTER_YEAR), or a
 * quarter: sets p and returns its length, else 0. */
static size_t
year_part(const struct scan *s, size_t i, int y, unsigned after, struct point *p)
{
	const struct part_word *w, *best = NULL;
	size_t k, len = 0;
	int q;

	if ((k = read_quarter(s, i, &q))) {
		set_quarter(p, y, q);
		return k;
	}
	for (w = year_parts; w->text; w++)
		if ((w->after & after) && (k = lit(s, i, w->text)) > len) {
			len = k;
			best = w;
		}
	if (best)
		apply_part(p, best->part, y, after == AFTER_FY);
	return len;
}

/*
 * What follows 年度 of fiscal year fy at i: 末, 当初, a half, a quarter or a
 * season (also after の: 同年度の上半期); else the whole fiscal year, which
 * may only give context (p->bare).  Returns the length read.
 */
static size_t
fy_part(const struct scan *s, size_t i, int fy, struct point *p)
{
	size_t k, of = lit(s, i, "の");
	const struct part_word *w;
	int q;

	if (of) {
		/* only a half or a quarter joins across の: 平成21年度の第１四半期 is
		 * one expression, not a year that names something */
		for (w = year_parts; w->text; w++)
			if ((w->part == PART_HALF1 || w->part == PART_HALF2)
			    && lit(s, i + of, w->text))
				break;
		if (w->text || read_quarter(s, i + of, &q))
			return of + fy_part(s, i + of, fy, p);
	}
	if ((k = year_part(s, i, fy, AFTER_FY, p)))
		return k;
	set_fy(p, fy);
	p->bare = true;
	return 0;
}

/* A clock time at i (10:00, 16時, 16時30分, 午後２時): its length, else 0. */
static size_t
read_clock(const struct scan *s, size_t i)
{
	size_t k = lit_any(s, i, clock_prefixes, NULL), j, m;
	int h, mi;

	if (!(j = read_num(s, i + k, false, &h)) || j > 2 || h > 24)
		return 0;
	k += j;
	if (cp_at(s, i + k) == ':') {
		if ((m = read_num(s, i + k + 1, false, &mi)) != 2 || mi > 59)
			return 0;
		return k + 1 + m;
	}
	if (!(j = lit(s, i + k, "時")))
		return 0;
	k += j;
	if ((m = read_num(s, i + k, false, &mi)) && m <= 2 && mi <= 59 && lit(s, i + k + m, "分"))
		k += m + 1;
	return k;
}

/*
 * What a PDF prints after a day at i: its weekday in brackets (（月）,
 * （月曜日）, （水・祝）) and a clock time or span (10:00～12:00, 16時～).
 * Returns their length; a weekday that is not the day's sets a doubt.
 */
static size_t
day_marks(const struct scan *s, size_t i, struct point *p)
{
	const struct word *w;
	size_t k = 0, j, c;

	if (cp_at(s, i) == '(' && (j = word_at(s, i + 1, weekdays, &w))) {
		j += 1;
		j += lit_any(s, i + j, weekday_tails, NULL);
		j += lit_any(s, i + j, holiday_marks, NULL);
		if (cp_at(s, i + j) == ')') {
			k = j + 1;
			if (kg_weekday(p->ws) != w->meaning)
				p->doubt = KG_JP_DOUBT_WEEKDAY;
		}
	}
	if ((c = read_clock(s, i + k))) {
		k += c;
		if ((j = lit_any(s, i + k, clock_range_marks, NULL))
		    && (c = read_clock(s, i + k + j)))
			k += j + c;
	}
	return k;
}

/*
 * What follows month m of year y at i: a day (and its weekday and time),
 * 末, 上旬 … or 中.  P_INVALID for an impossible day.
 */
static enum parse_result
month_rest(const struct scan *s, size_t i, int y, int m, struct point *p)
{
	const struct word *w;
	size_t k, j;
	int d, d2;

	set_month(p, y, m);
	if ((j = read_num(s, i, false, &d)) && (k = shared_unit(s, i + j, "日", &d2))) {
		p->b = i + j + k + 1; /* 1~3日 */
		if (!kg_date_valid(y, m, d) || !kg_date_valid(y, m, d2) || d2 < d)
			return P_INVALID;
		set_span(p, y, m, d, y, m, d2, KG_PREC_RANGE);
		p->d = d2;
		p->flags |= KG_JP_RANGE;
		return P_OK;
	}
	if (j && lit(s, i + j, "日")) {
		p->b = i + j + 1;
		if (!kg_date_valid(y, m, d))
			return P_INVALID;
		set_day(p, y, m, d);
		p->b += day_marks(s, p->b, p);
		return P_OK;
	}
	if ((k = word_at(s, i, month_parts, &w))) {
		switch ((enum month_part)w->meaning) {
		case MONTH_END:
			set_span(p, y, m, kg_days_in_month(y, m), y, m, 0, KG_PREC_MONTH_END);
			break;
		case MONTH_EARLY:
			set_span(p, y, m, 1, y, m, 10, KG_PREC_DEKAD);
			break;
		case MONTH_MIDDLE:
			set_span(p, y, m, 11, y, m, 20, KG_PREC_DEKAD);
			break;
		case MONTH_LATE:
			set_span(p, y, m, 21, y, m, 0, KG_PREC_DEKAD);
			break;
		}
	} else {
		k = within(s, i);
	}
	p->b = i + k;
	return P_OK;
}

/*
 * Month, then day / 末 / 旬 / 中, in year y (already decided by the caller).
 * i is at the number.  P_INVALID for an impossible month or day.
 */
static enum parse_result
month_part(const struct scan *s, size_t i, int y, struct point *p)
{
	size_t k, j;
	int m, m2;

	k = read_num(s, i, false, &m);
	if (k && (j = shared_unit(s, i + k, "月", &m2))) {
		p->b = i + k + j + 1; /* 1~3月, 10-12月期; 11~2月 runs into the next year */
		if (m < 1 || m > 12 || m2 < 1 || m2 > 12 || !year_ok(y))
			return P_INVALID;
		set_span(p, y, m, 1, y + (m2 < m), m2, 0, KG_PREC_RANGE);
		p->flags |= KG_JP_RANGE;
		p->b += lit_any(s, p->b, month_span_words, NULL);
		return P_OK;
	}
	if (!k || !lit(s, i + k, "月"))
		return P_NONE;
	k += 1;
	p->b = i + k;
	if (m < 1 || m > 12 || !year_ok(y))
		return P_INVALID;
	return month_rest(s, i + k, y, m, p);
}

/* Calendar-year parts after 〜年: month…, 末, 内/中, seasons, halves, quarters. */
static enum parse_result
cal_part(const struct scan *s, size_t i, int y, struct point *p)
{
	enum parse_result r;
	size_t k;

	r = month_part(s, i, y, p);
	if (r != P_NONE)
		return r;
	p->b = i;
	if (!(k = year_part(s, i, y, AFTER_YEAR, p))) {
		set_year(p, y);
		p->bare = true;
		if ((k = within(s, i)))
			p->bare = false;
	}
	p->b = i + k;
	return P_OK;
}

/* An era name at i (the longest): its length and entry, else 0. */
static size_t
era_at(const struct scan *s, size_t i, const struct era **era)
{
	const struct era *e;
	size_t k, len = 0;

	for (e = eras; e->name; e++)
		if ((k = lit(s, i, e->name)) > len) {
			len = k;
			*era = e;
		}
	return len;
}

/*
 * The same year in the other calendar, in brackets at i: （2024）, （令和６）
 * before the unit, or with it after the unit (（2019年）, （令和元年度）:
 * pass the unit written, 年 or 年度).  Returns its length, 0 when there is
 * none; a bracket naming another year sets a doubt (the first is kept).
 */
static size_t
year_alias(const struct scan *s, size_t i, int y, const char *unit, struct point *p)
{
	const struct era *era = NULL;
	size_t k = 1, j, m;
	int n, y2;

	if (cp_at(s, i) != '(')
		return 0;
	if ((j = era_at(s, i + k, &era))) {
		if (!(m = read_num(s, i + k + j, !era->abbrev, &n)) || n < 1 || n > 99)
			return 0;
		y2 = era->base + n - 1;
		k += j + m;
	} else if ((j = read_num(s, i + k, false, &n)) == 4 && year_ok(n)) {
		y2 = n;
		k += j;
	} else {
		return 0;
	}
	if (unit && (j = lit(s, i + k, "年度") ? 2 : lit(s, i + k, "年")) == 0)
		return 0;
	k += unit ? j : 0;
	if (cp_at(s, i + k) != ')')
		return 0;
	if (y2 != y)
		p->doubt = KG_JP_DOUBT_ERA_MISMATCH;
	return k + 1;
}

/* ---------------------------------------------------------- the points */

/*
 * After the number of year y (at i + k): the unit and what follows it —
 * 年度 and its parts, 年 and a month or part, or a range of years whose first
 * number has no unit (平成17～21年度, 2008～2010年度).  The other calendar's
 * year may stand in brackets before or after the unit.
 */
static enum parse_result
year_unit(struct scan *s, size_t i, size_t k, int y, const struct point *prev,
    struct point *p)
{
	size_t j, alias;

	p->year = y;
	if (!year_ok(y))
		return P_NONE;
	if ((alias = year_alias(s, i + k, y, NULL, p)) && lit(s, i + k + alias, "年"))
		k += alias;
	if (!prev && (cp_at(s, i + k) == '~' || cp_at(s, i + k) == JP_WAVE_DASH)) {
		size_t m1 = k + 1, u;
		int n2, y2;

		if (!(j = read_num(s, i + m1, false, &n2)))
			return P_NONE;
		y2 = p->has_era ? p->era_base + n2 - 1 : n2;
		if (y2 <= y || !year_ok(y2))
			return P_NONE;
		if ((u = lit(s, i + m1 + j, "年度")))
			set_span(p, y, 4, 1, y2 + 1, 3, 31, KG_PREC_RANGE);
		else if ((u = lit(s, i + m1 + j, "年")))
			set_span(p, y, 1, 1, y2, 12, 31, KG_PREC_RANGE);
		else
			return P_NONE;
		p->flags |= KG_JP_RANGE;
		p->b = i + m1 + j + u;
		return P_OK;
	}
	/* 年度, or the seed's typo 平成20今年度中 */
	if ((j = lit(s, i + k, "年度")) || (j = lit(s, i + k, "今年度"))) {
		bool typo = j == 3;

		p->is_fy = true;
		k += j;
		k += year_alias(s, i + k, y, "年度", p);
		k += fy_part(s, i + k, y, p);
		j = within(s, i + k);
		if (typo || (j && p->prec == KG_PREC_FISCAL_YEAR))
			p->bare = false;
		k += j;
		p->b = i + k;
		return P_OK;
	}
	if ((j = lit(s, i + k, "年")) && !lit(s, i + k, "年間")) {
		j += year_alias(s, i + k + j, y, "年", p);
		return cal_part(s, i + k + j, y, p);
	}
	return P_NONE;
}

/* An era year: 平成21年, 平成元年度, 平19年, H21年度, 平成17～21年度. */
static enum parse_result
point_era(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	const struct era *era = NULL;
	size_t len, j;
	int n;

	if (!(len = era_at(s, i, &era)))
		return P_NONE;
	if (era->abbrev && (jp_is_ideograph(cp_before(s, i))
	    || jp_is_ascii_alnum(cp_before(s, i))))
		return P_NONE;
	j = read_num(s, i + len, !era->abbrev, &n);
	if (!j || n < 1 || n > 99)
		return P_NONE;
	p->has_era = true;
	p->era_base = era->base;
	p->names_year = true;
	return year_unit(s, i, len + j, era->base + n - 1, prev, p);
}

/* A Western year: 2008年, 2009年度, ２００９年３月. */
static enum parse_result
point_western(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k;
	int n;

	if (!(k = read_num(s, i, false, &n)) || n < 1868 || n > 2200
	    || jp_is_ascii_alnum(cp_before(s, i)))
		return P_NONE;
	p->western = true;
	p->names_year = true;
	return year_unit(s, i, k, n, prev, p);
}

/* A fiscal year written FY2024 (FY 2024, FY2024上期). */
static enum parse_result
point_fy_prefix(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k = lit(s, i, "FY"), j;
	int n;

	(void)prev;
	if (!k || is_latin(cp_before(s, i)))
		return P_NONE;
	if (cp_at(s, i + k) == ' ')
		k++;
	if ((j = read_num(s, i + k, false, &n)) != 4 || !year_ok(n)
	    || jp_is_digit(cp_at(s, i + k + j)))
		return P_NONE;
	p->western = true;
	p->names_year = true;
	p->is_fy = true;
	p->year = n;
	k += j;
	k += fy_part(s, i + k, n, p);
	k += within(s, i + k);
	p->b = i + k;
	return P_OK;
}

/* A date in figures: 2024.4.1, 2024/4/1, 2024-04-01, 2024.4, R6.4.1,
 * H31.3.31 (not a section number 2.4(1), nor a decimal 2024.5万件). */
static enum parse_result
point_numeric(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	const struct era *era = NULL;
	size_t k, j;
	int y, m, d = 0, n;
	int32_t c = cp_before(s, i), sep;

	(void)prev;
	if (jp_is_ascii_alnum(c) || c == '.' || c == '/' || c == '-')
		return P_NONE;
	if ((k = era_at(s, i, &era)) && era->abbrev && is_latin(s->cp[i])) {
		if ((j = read_num(s, i + k, false, &n)) == 0 || j > 2 || n < 1)
			return P_NONE;
		y = era->base + n - 1;
		p->has_era = true;
		p->era_base = era->base;
		k += j;
	} else if ((k = read_num(s, i, false, &y)) == 4 && year_ok(y)) {
		p->western = true;
	} else {
		return P_NONE;
	}
	if (!lit_any(s, i + k, numeric_seps, NULL))
		return P_NONE;
	sep = s->cp[i + k++];
	if (!jp_is_digit(cp_at(s, i + k)) || (j = read_num(s, i + k, false, &m)) == 0 || j > 2
	    || m < 1 || m > 12)
		return P_NONE;
	k += j;
	if (cp_at(s, i + k) == sep && jp_is_digit(cp_at(s, i + k + 1))
	    && (j = read_num(s, i + k + 1, false, &d)) && j <= 2) {
		if (!kg_date_valid(y, m, d))
			return P_NONE;
		k += 1 + j;
	} else if (sep == '-' || lit_any(s, i + k, decimal_units, NULL)) {
		return P_NONE;
	}
	c = cp_at(s, i + k);
	if (jp_is_digit(c) || ((c == '.' || c == '/' || c == '-')
	    && jp_is_digit(cp_at(s, i + k + 1))))
		return P_NONE;
	p->names_year = true;
	p->year = y;
	if (d) {
		set_day(p, y, m, d);
		k += day_marks(s, i + k, p);
	} else {
		set_month(p, y, m);
	}
	p->b = i + k;
	return P_OK;
}

/* The second half of a range of years with the era or century of the
 * first: 平成20年度～21年度, 2008年～2010年. */
static enum parse_result
point_range_year(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k;
	int n;

	if (!prev || !(prev->has_era || prev->western) || !(k = read_num(s, i, false, &n))
	    || !(lit(s, i + k, "年度") || (lit(s, i + k, "年") && !lit(s, i + k, "年月"))))
		return P_NONE;
	if (!prev->has_era && (n < 1868 || n > 2200))
		return P_NONE;
	p->names_year = true;
	return year_unit(s, i, k, prev->has_era ? prev->era_base + n - 1 : n, prev, p);
}

/*
 * The time a relative word at i names: the fiscal or calendar year, month
 * or day, from the report (今年度, 来年) or from the last date of the text
 * (翌年度, 同年, 同月) — the as-of date's when the text has none, with a
 * doubt for 同….  Sets *y, *m, *d (0 when not of that unit).
 */
static void
relative_time(struct scan *s, const struct rel_word *r, struct point *p, int *y, int *m,
    int *d)
{
	int ay, am, ad;
	bool have;

	if (s->ctx->as_of != KG_DAY_NONE)
		kg_civil_from_day(s->ctx->as_of, &ay, &am, &ad);
	else
		ay = s->ctx->fiscal_year, am = 4, ad = 1;
	have = r->anchor != REL_REPORT && (r->unit == REL_FY || r->unit == REL_YEAR
	    ? s->last.have_year : r->unit == REL_MONTH ? s->last.have_month
	    : s->last.have_month && s->last.d);
	if (r->anchor == REL_SAME && !have)
		p->doubt = KG_JP_DOUBT_NO_ANTECEDENT;
	*m = *d = 0;
	switch (r->unit) {
	case REL_FY:
		*y = (have ? s->last.fy : s->ctx->fiscal_year) + r->delta;
		break;
	case REL_YEAR:
		*y = (have ? s->last.year : ay) + r->delta;
		break;
	case REL_MONTH:
	case REL_DAY:
		if (have)
			ay = s->last.y, am = s->last.m, ad = s->last.d;
		if (r->unit == REL_DAY) {
			kg_civil_from_day(ymd(ay, am, ad) + r->delta, y, m, d);
			break;
		}
		am += r->delta;
		*y = ay + (am > 12) - (am < 1);
		*m = am > 12 ? am - 12 : am < 1 ? am + 12 : am;
		break;
	}
}

/* Relative times: 今年度, 来年度, 同年度, 今年, 翌年, 同月, 翌月, 同日 … */
static enum parse_result
point_relative(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	const struct rel_word *r, *best = NULL;
	size_t k, len = 0;
	int y, m, d;

	(void)prev;
	if (lit_any(s, i, not_relative, NULL))
		return P_NONE;
	for (r = rel_words; r->word; r++)
		if ((k = lit(s, i, r->word)) > len) {
			len = k;
			best = r;
		}
	if (best == NULL)
		return P_NONE;
	p->flags |= KG_JP_RELATIVE;
	relative_time(s, best, p, &y, &m, &d);
	p->names_year = best->unit == REL_FY || best->unit == REL_YEAR;
	p->is_fy = best->unit == REL_FY;
	p->year = y;
	switch (best->unit) {
	case REL_YEAR:
		return cal_part(s, i + len, y, p);
	case REL_MONTH:
		if (!year_ok(y))
			return P_NONE;
		return month_rest(s, i + len, y, m, p);
	case REL_DAY:
		if (!year_ok(y))
			return P_NONE;
		set_day(p, y, m, d);
		p->b = i + len + day_marks(s, i + len, p);
		return P_OK;
	case REL_FY:
		break;
	}
	k = len + fy_part(s, i + len, y, p);
	k += within(s, i + k);
	p->b = i + k;
	return P_OK;
}

/* A bare 年度内, 年度末, 年度当初, 年度第３四半期 …: the context's fiscal
 * year (not the end of a word such as 各年度, 年々度). */
static enum parse_result
point_bare_fy(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k;
	int y;

	(void)prev;
	if (!(k = lit(s, i, "年度")) || !lit_any(s, i + k, bare_fy_next, NULL)
	    || jp_is_ideograph(cp_before(s, i)) || cp_before(s, i) == JP_ITERATION)
		return P_NONE;
	y = context_fy(s, p);
	p->flags |= KG_JP_RELATIVE;
	p->is_fy = true;
	p->year = y;
	k += fy_part(s, i + k, y, p);
	k += within(s, i + k);
	p->bare = false;
	p->b = i + k;
	return P_OK;
}

/* A bare 年内, 年末, 年央: the context's (or the as-of date's) calendar
 * year; 年明け: the January after the context's (or report's) fiscal year
 * began. */
static enum parse_result
point_bare_year(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k;
	int32_t c = cp_before(s, i);
	int y;

	(void)prev;
	if (!(k = lit(s, i, "年")) || !lit_any(s, i + k, bare_year_next, NULL)
	    || lit_any(s, i + k, not_bare_year, NULL) || jp_is_ideograph(c) || jp_is_digit(c))
		return P_NONE;
	p->flags |= KG_JP_RELATIVE;
	if (lit(s, i + k, "明け"))
		y = context_fy(s, p) + 1;
	else
		y = s->have_ctx && !s->ctx_is_fy ? s->ctx_year : as_of_year(s);
	return cal_part(s, i + k, y, p);
}

/* 第N四半期 of the context's fiscal year. */
static enum parse_result
point_quarter(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k;
	int q;

	(void)prev;
	if (!(k = read_quarter(s, i, &q)))
		return P_NONE;
	set_quarter(p, context_fy(s, p), q);
	p->flags |= KG_JP_YEARLESS;
	p->b = i + k + within(s, i + k);
	return P_OK;
}

/* 上半期 / 下半期 / 上期 / 下期 of the context's fiscal year. */
static enum parse_result
point_half(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	const struct word *w;
	size_t k;

	(void)prev;
	if (!(k = word_at(s, i, bare_halves, &w)))
		return P_NONE;
	set_half(p, context_fy(s, p), w->meaning == PART_HALF2);
	p->flags |= KG_JP_YEARLESS;
	p->b = i + k + within(s, i + k);
	return P_OK;
}

/* Seasons: 今秋, 来春, 秋頃. */
static enum parse_result
point_season(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	const struct word *pre = NULL, *season;
	size_t pk, k;
	int y;

	(void)prev;
	pk = word_at(s, i, season_prefixes, &pre);
	if (!(k = word_at(s, i + pk, seasons, &season))
	    || !(pk || lit_any(s, i + pk + k, season_next, NULL))
	    || jp_is_ideograph(cp_before(s, i)))
		return P_NONE;
	if (pk)
		y = as_of_year(s) + pre->meaning;
	else
		y = infer_year(s, 3 + 3 * season->meaning, p);
	set_season(p, y, season->meaning);
	p->flags |= pk ? KG_JP_RELATIVE : KG_JP_YEARLESS;
	p->b = i + pk + k;
	return P_OK;
}

/* A month without a year; in a range, a day without a month (26日～28日). */
static enum parse_result
point_month(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	size_t k, w;
	int n, m2, y;

	if (!(k = read_num(s, i, false, &n)))
		return P_NONE;
	if (numeral_before(s, i))
		return P_NONE;
	for (w = 0; not_before_month[w]; w++)
		if (i > 0 && lit(s, i - 1, not_before_month[w]))
			return P_NONE;
	if (prev && prev->d && lit(s, i + k, "日")) {
		p->b = i + k + 1;
		if (!kg_date_valid(prev->y, prev->m, n))
			return P_INVALID;
		set_day(p, prev->y, prev->m, n);
		p->b += day_marks(s, p->b, p);
		return P_OK;
	}
	if (!lit(s, i + k, "月") && !shared_unit(s, i + k, "月", &m2))
		return P_NONE;
	if (n < 1 || n > 12) {
		p->b = i + k + 1;
		return P_INVALID;
	}
	if (prev && prev->m) {
		y = prev->y + (n < prev->m ? 1 : 0);
	} else {
		y = infer_year(s, n, p);
		p->flags |= KG_JP_YEARLESS;
	}
	return month_part(s, i, y, p);
}

/* The constructs of a point, tried in this order at each position. */
typedef enum parse_result (*point_rule)(struct scan *s, size_t i,
    const struct point *prev, struct point *p);

static const point_rule point_rules[] = {
	point_era, point_western, point_fy_prefix, point_numeric, point_range_year,
	point_relative, point_bare_fy, point_bare_year, point_quarter, point_half,
	point_season, point_month,
};

/*
 * What the point rules can begin with, for the scanner's table of starting
 * characters (kg_jpdate_may_start): a number (point_western, point_numeric,
 * point_month: ASCII digits after NFKC, kanji numerals), a word of the
 * tables they read first (eras, relative words, halves, seasons and their
 * prefixes), and the words their code reads first.  A rule that begins
 * otherwise adds its words here, or test_jpdate's sweep of every character
 * fails.
 */
static const char *const point_openers[] = {
	"FY",       /* point_fy_prefix */
	"年",       /* point_bare_fy (年度), point_bare_year */
	"第",       /* point_quarter (read_quarter) */
	NULL,
};

static struct kg_cpset point_starts;
static pthread_once_t point_starts_once = PTHREAD_ONCE_INIT;

static void
point_starts_build(void)
{
	struct kg_cpset *p = &point_starts;
	int32_t c;
	size_t i;

	for (c = '0'; c <= '9'; c++)
		kg_cpset_add(p, c);
	for (i = 0; i < sizeof(kanji_digits) / sizeof(kanji_digits[0]); i++)
		kg_cpset_add(p, kanji_digits[i].cp);
	for (i = 0; i < sizeof(kanji_multipliers) / sizeof(kanji_multipliers[0]); i++)
		kg_cpset_add(p, kanji_multipliers[i].cp);
	for (i = 0; eras[i].name; i++)
		kg_cpset_add_first(p, eras[i].name);
	for (i = 0; rel_words[i].word; i++)
		kg_cpset_add_first(p, rel_words[i].word);
	for (i = 0; bare_halves[i].text; i++)
		kg_cpset_add_first(p, bare_halves[i].text);
	for (i = 0; season_prefixes[i].text; i++)
		kg_cpset_add_first(p, season_prefixes[i].text);
	for (i = 0; seasons[i].text; i++)
		kg_cpset_add_first(p, seasons[i].text);
	kg_cpset_add_firsts(p, point_openers);
}

bool
kg_jpdate_may_start(int32_t c)
{
	pthread_once(&point_starts_once, point_starts_build);
	return kg_cpset_has(&point_starts, c);
}

/*
 * A point at i.  prev is the first half of a range (for 〜９月, 〜26日,
 * 平成20年度〜21年度) or NULL.  On P_OK p is filled; on P_INVALID p->b is where
 * the impossible date ends.
 */
static enum parse_result
parse_point(struct scan *s, size_t i, const struct point *prev, struct point *p)
{
	enum parse_result r = P_NONE;
	size_t w;

	for (w = 0; w < sizeof(point_rules) / sizeof(point_rules[0]); w++) {
		memset(p, 0, sizeof(*p));
		p->a = i;
		if ((r = point_rules[w](s, i, prev, p)) != P_NONE)
			return r;
	}
	return r;
}

bool
kg_jpdate_starts_at(const struct kg_jptext *t, size_t i, const struct kg_jpctx *ctx)
{
	struct scan s;
	struct point p;

	memset(&s, 0, sizeof(s));
	s.cp = t->cp;
	s.n = t->n;
	s.ctx = ctx;
	s.ctx_src = SIZE_MAX;
	return parse_point(&s, i, NULL, &p) != P_NONE;
}

/* ---------------------------------------------------------------- scan */

/* Whether the word w ends right before i. */
static bool
lit_before(const struct scan *s, size_t i, const char *w)
{
	size_t n = 0;
	const char *c;

	for (c = w; *c; c++)
		n += ((unsigned char)*c & 0xC0) != 0x80;
	return n <= i && lit(s, i - n, w) == n;
}

/* The first word of a list that ends right before i. */
static bool
lit_any_before(const struct scan *s, size_t i, const char *const *list)
{
	size_t w;

	for (w = 0; list[w]; w++)
		if (lit_before(s, i, list[w]))
			return true;
	return false;
}

/* A count right after a date (９月末までに37件, 平成19年度は1,089件): the date
 * bounds a tally of repeated work, not an event.  A bound (までに) or a topic
 * (は) counts; a plain time adverbial (今年度中に11府省庁について監査を実施)
 * dates an event. */
static bool
tally_at(const struct scan *s, size_t i, bool until)
{
	size_t k, digits = 0;

	if ((k = lit_any(s, i, until ? tally_after_until : tally_after_topic, NULL)))
		i += k;
	else if (!until)
		return false;
	while ((k = lit_any(s, i, tally_count_words, NULL)))
		i += k;
	while (jp_is_digit(cp_at(s, i)) || (digits && cp_at(s, i) == ',')) {
		i++;
		digits++;
	}
	return digits && lit_any(s, i, tally_counters, NULL);
}

/* A figure (digits, then a unit of at most six characters: 2,100件, 45%,
 * 5,000億円, 3か所) ends right before i.  An ordinal counts nothing (第３回,
 * ２回目). */
static bool
figure_before(const struct scan *s, size_t i)
{
	size_t unit = 0;

	while (unit < 6 && i > unit) {
		int32_t c = s->cp[i - unit - 1];

		if (jp_is_digit(c)) {
			for (i -= unit; i > 0 && (jp_is_digit(s->cp[i - 1]) || s->cp[i - 1] == ','
			    || s->cp[i - 1] == '.'); i--)
				;
			return cp_before(s, i) != JP_DAI;
		}
		if (c == ' ' || c == '(' || c == ')' || c == JP_COMMA || c == JP_FULL_STOP
		    || c == ',' || c == JP_ME || (jp_is_hiragana(c) && c != JP_KA))
			return false;
		unit++;
	}
	return false;
}

/* A figure starts at i (34.0%, 2,100件) and ends its bracket. */
static bool
figure_in_bracket(const struct scan *s, size_t i)
{
	size_t k = 0;

	if (!jp_is_digit(cp_at(s, i)))
		return false;
	while (k < 16 && i + k < s->n && s->cp[i + k] != ')' && s->cp[i + k] != '('
	    && s->cp[i + k] != JP_FULL_STOP)
		k++;
	return cp_at(s, i + k) == ')';
}

/* Whether the date in brackets at [i, e) is the date a figure was measured:
 * 2,100件（2023年９月末）, 45%（2023年度末時点）, （平成13年度 34.0%）. */
static bool
dates_figure(const struct scan *s, size_t i, size_t e)
{
	size_t k = e + lit(s, e, "の");

	if (cp_before(s, i) != '(')
		return false;
	k += lit_any(s, k, asof_words, NULL);
	return (cp_at(s, k) == ')' && figure_before(s, i - 1)) || figure_in_bracket(s, e);
}

/* What follows a date that may only scope later ones: a topic or a pause
 * (平成21年度には…10月, 平成20年８月、…（８月26日から…）, 来年度の演習は…
 * 平成22年秋頃), not a time adverbial of its own act (平成24年度下半期中に
 * 改訂版を作成し、第４四半期に…). */
static bool
sets_scene(const struct scan *s, size_t e)
{
	return lit_any(s, e, scene_words, NULL) != 0;
}

/* Makes the span from point a to point last the antecedent of later
 * anaphora: its (fiscal) year, and its month and day when it names one. */
static void
set_antecedent(struct scan *s, const struct point *a, const struct point *last)
{
	int yy, mm, dd;

	kg_civil_from_day(a->ws, &yy, &mm, &dd);
	s->last.have_year = true;
	s->last.fy = a->is_fy ? a->year : kg_fiscal_year(a->ws);
	s->last.year = a->is_fy ? a->year : yy;
	if (last->m && last->prec <= KG_PREC_MONTH_END) { /* a day, dekad or month */
		s->last.have_month = true;
		s->last.y = last->y;
		s->last.m = last->m;
		s->last.d = last->prec == KG_PREC_DAY ? last->d : 0;
	}
}

/*
 * What follows point a in an expression: 頃, then a range to a second point
 * (left in *b), an open end (から, 以降) or a bound (まで).  Fills out's
 * window, flags and doubt; returns the end of the expression and the point
 * that ends it.  *whole_years tells whether the expression is only whole
 * periods (平成19年度, 平成17～21年度, 本年度下半期), which may name a thing.
 */
static size_t
expr_tail(struct scan *s, struct point *a, struct point *b, struct kg_jpdate *out,
    const struct point **last, bool *whole_years)
{
	struct kg_jplast saved;
	size_t k = 0, e = a->b;
	bool range;

	*last = a;
	*whole_years = a->bare || (a->flags & KG_JP_RANGE) || a->prec == KG_PREC_HALF_YEAR
	    || a->prec == KG_PREC_QUARTER;
	if ((k = lit_any(s, e, approx_words, NULL))) {
		a->flags |= KG_JP_APPROX;
		e += k;
	}
	out->window_start = a->ws;
	out->window_end = a->we;
	out->precision = a->prec;
	out->flags = a->flags;
	out->doubt = a->doubt;
	saved = s->last; /* 平成22年６月から同年12月まで: 同年 is the first point's */
	set_antecedent(s, a, a);
	range = !(a->flags & KG_JP_RANGE) && (k = lit_any(s, e, range_marks, NULL))
	    && parse_point(s, e + k, a, b) == P_OK && b->we >= a->ws;
	s->last = saved;
	if (range) {
		e = b->b;
		if ((k = lit_any(s, e, approx_words, NULL)))
			e += k;
		out->window_end = b->we;
		out->precision = KG_PREC_RANGE;
		out->flags |= KG_JP_RANGE | (b->flags & (KG_JP_YEARLESS | KG_JP_REPORT_YEAR));
		if (!out->doubt)
			out->doubt = b->doubt;
		if ((k = lit_any(s, e, until_words, NULL)))
			e += k;
		*whole_years = a->bare && b->bare;
		a->bare = false;
		*last = b;
	} else if ((k = lit_any(s, e, from_words, NULL))) {
		e += k;
		out->window_end = KG_DAY_NONE;
		out->precision = KG_PREC_OPEN_START;
		out->flags |= KG_JP_FROM;
		*whole_years = a->bare = false;
	} else if ((k = lit_any(s, e, until_words, NULL))) {
		e += k;
		out->flags |= KG_JP_UNTIL;
		*whole_years = a->bare = false;
	}
	out->base_start = out->window_start;
	out->base_end = out->window_end;
	out->base_precision = out->precision;
	/* X まで(に) still ahead: from the day after the as-of date */
	if ((out->flags & KG_JP_UNTIL) && s->ctx->as_of != KG_DAY_NONE
	    && out->window_end > s->ctx->as_of) {
		out->window_start = s->ctx->as_of + 1;
		out->precision = KG_PREC_RANGE;
	}
	return e;
}

/* Flags from the words around the expression [i, e): 現在/時点 (a status
 * date), 目途 (a target), an earlier round (前回, に引き続き, a past period
 * naming a thing), a count (a tally), a name, a baseline, a horizon, a
 * figure's date and a time of every year. */
static void
expr_marks(const struct scan *s, size_t i, size_t e, bool whole_years,
    struct kg_jpdate *out)
{
	if (lit_any(s, e + lit(s, e, "の"), asof_words, NULL))
		out->flags |= KG_JP_ASOF;
	if (lit_any(s, e, target_words, NULL))
		out->flags |= KG_JP_TARGET;
	if (lit_any(s, e, background_words, NULL))
		out->flags |= KG_JP_BACKGROUND;
	/* 平成19年度の指針見直し, 昭和元年から平成元年までの記録, 本年度下半期の
	 * 取組: periods over by the as-of date naming what was done in them */
	if (whole_years && lit(s, e, "の") && s->ctx->as_of != KG_DAY_NONE
	    && out->window_end <= s->ctx->as_of)
		out->flags |= KG_JP_BACKGROUND;
	if (tally_at(s, e, (out->flags & KG_JP_UNTIL) != 0))
		out->flags |= KG_JP_TALLY;
	if (lit_any_before(s, i, earlier_round_words))
		out->flags |= KG_JP_BACKGROUND;
	if (whole_years && lit_any(s, e, name_nouns, NULL))
		out->flags |= KG_JP_NAME;
	if (lit_any(s, e, baseline_words, NULL)
	    || (lit_any(s, e, same_period, NULL) && lit_any(s, e + 2, baseline_words, NULL)))
		out->flags |= KG_JP_BASELINE;
	if (whole_years && lit_any(s, e, horizon_words, NULL))
		out->flags |= KG_JP_HORIZON;
	if (dates_figure(s, i, e))
		out->flags |= KG_JP_FIGURE;
	if (lit_any_before(s, i, recurring_words))
		out->flags |= KG_JP_RECURRING;
}

/* Remembers what the expression from point a to point last says about the
 * year and month, for the later dates of the text: the context of yearless
 * dates, and the antecedent of 同年, 同月, 翌年度 ….  A date naming or
 * measuring something, or a year inside a quoted title (「…（2015年度
 *版）」), lends nothing.  Returns whether it names a year of its own. */
static bool
expr_remember(struct scan *s, const struct point *a, const struct point *last,
    const struct kg_jpdate *out)
{
	if ((out->flags & KG_JP_NOT_A_TIME) || s->in_quote)
		return false;
	set_antecedent(s, a, last);
	if (!a->names_year)
		return false;
	/* 平成元年度から実施している研修について、年度内に: "since" a year
	 * before the report's says how long, it does not set the year of the
	 * sentence's later dates (同年度 still refers to it) */
	if (!(out->flags & KG_JP_FROM) || kg_fiscal_year(a->ws) >= s->ctx->fiscal_year) {
		s->have_ctx = true;
		s->ctx_is_fy = a->is_fy || (a->prec != KG_PREC_YEAR
		    && a->prec != KG_PREC_YEAR_END);
		s->ctx_year = a->is_fy ? a->year : s->ctx_is_fy ? kg_fiscal_year(a->ws) : a->year;
	}
	return true;
}

/* A whole expression at i (point plus modifiers).  On P_OK, *named tells
 * whether it names a year of its own and *bare whether it is only a year. */
static enum parse_result
parse_expr(struct scan *s, size_t i, struct kg_jpdate *out, bool *named, bool *bare)
{
	struct point a, b;
	const struct point *last;
	enum parse_result r;
	bool whole_years;
	size_t e;

	r = parse_point(s, i, NULL, &a);
	if (r != P_OK) {
		out->cp_end = a.b;
		return r;
	}
	e = expr_tail(s, &a, &b, out, &last, &whole_years);
	out->cp_start = i;
	out->cp_end = e;
	expr_marks(s, i, e, whole_years, out);
	*named = expr_remember(s, &a, last, out);
	*bare = a.bare;
	return P_OK;
}

void
kg_jpdate_scan_item(const struct kg_jptext *t, const struct kg_jpctx *ctx,
    struct kg_jplast *last, struct kg_jpdate *out, size_t max, size_t *n)
{
	struct scan s;
	size_t i = 0, got = 0;
	int quote = 0, paren = 0;

	pthread_once(&point_starts_once, point_starts_build);
	memset(&s, 0, sizeof(s));
	s.cp = t->cp;
	s.n = t->n;
	s.ctx = ctx;
	s.ctx_src = SIZE_MAX;
	s.last = *last;
	while (i < t->n) {
		int32_t c = t->cp[i];
		struct kg_jpdate d;
		enum parse_result r;
		bool named = false, bare = false;

		switch (c) {
		case JP_LEFT_CORNER: case JP_LEFT_WHITE_CORNER: quote++; break;
		case JP_RIGHT_CORNER: case JP_RIGHT_WHITE_CORNER: if (quote) quote--; break;
		case '(': paren++; break;
		case ')': if (paren) paren--; break;
		case JP_FULL_STOP: /* ends the sentence and its year context */
			s.have_ctx = false;
			s.ctx_src = SIZE_MAX;
			break;
		default: break;
		}
		/* most positions of a report can start no date (a kana, a
		 * punctuation mark, most kanji) and need no try of the grammar */
		if (!kg_cpset_has(&point_starts, c)) {
			i++;
			continue;
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
		if (got == max)
			break;  /* the caller has all it asked for */
		i = d.cp_end;
	}
	*n = got;
	*last = s.last;
}

void
kg_jpdate_scan_text(const struct kg_jptext *t, const struct kg_jpctx *ctx,
    struct kg_jpdate *out, size_t max, size_t *n)
{
	struct kg_jplast none = {0};

	kg_jpdate_scan_item(t, ctx, &none, out, max, n);
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

const char *
kg_jpdate_doubt_reason(enum kg_jp_doubt d)
{
	static const char *const reasons[KG_JP_DOUBT_COUNT] = {
		[KG_JP_DOUBT_NO_ANTECEDENT] = "refers to an earlier date (同年, 同月 …) "
		    "that the text does not give; the as-of date's was taken",
		[KG_JP_DOUBT_ERA_MISMATCH] = "the era year and the Western year "
		    "disagree; the first one written was taken",
		[KG_JP_DOUBT_WEEKDAY] = "the weekday printed is not this date's",
	};

	return (unsigned)d < KG_JP_DOUBT_COUNT ? reasons[d] : NULL;
}
