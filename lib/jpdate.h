/*
 * jpdate — Japanese date expressions in report text.
 *
 * Finds every date expression in a piece of text (one bullet or item of a
 * plan document) and turns each into a window [start, end] with a
 * precision, following the window conventions documented in docs/dates.md:
 * era years (明治…令和, 元年, 平19年, H21年, R6.4.1), Western years (2024年,
 * FY2024, 2024.4.1), an era and a Western year together (令和６（2024）年度),
 * fiscal years and their words (今年度, 来年度, 同年度, 年度内, 年度末, 年度当初
 * …), months, days with their weekday and clock time (12月１日（月）10:00～),
 * 上旬/中旬/下旬, 上半期/下半期, 第N四半期, seasons, 年央, 年明け, 末/中/内/頃,
 * anaphora (同年, 同月, 翌年度 …), まで(に), から/以降/より and ranges.
 *
 * The text is matched after per-character Unicode NFKC (utf8proc), so
 * full-width digits, ～ and ㍻ need no special cases, and without the blanks a
 * PDF extraction puts inside Japanese text (2024 年度, 1 0 月); every span
 * still refers to the bytes of the ORIGINAL text.  Kanji numerals (〇一二…十百
 * 千, 元) are read too.  Impossible dates (２月30日) produce no expression.
 *
 * A month or day with no year takes it from the nearest earlier year in the
 * same sentence (平成21年度には…10月 → October 2009) or else from the report's
 * fiscal year (April–December in its first calendar year, January–March in
 * the next).  A year the text leaves open is never guessed silently: the
 * expression carries a doubt (kg_jpdate_doubt_reason).
 *
 * Everything here is pure: no clock, no I/O.  Cost is linear in the text.
 */
#ifndef KG_JPDATE_H
#define KG_JPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "civil.h"
#include "err.h"
#include "model.h"

/* What the scanner needs to know about the report. */
struct kg_jpctx {
	kg_day as_of;    /* the report's as-of date */
	int fiscal_year; /* the report's fiscal year (the FY containing as_of) */
};

/* Flags of one expression. */
enum {
	KG_JP_UNTIL    = 1u << 0,  /* X まで / までに */
	KG_JP_FROM     = 1u << 1,  /* X から / 以降 / より: open end */
	KG_JP_RANGE    = 1u << 2,  /* X～Y, X〜Y, X から Y まで */
	KG_JP_YEARLESS = 1u << 3,  /* no year written: taken from context */
	KG_JP_TARGET   = 1u << 4,  /* followed by (を)目途 / 目処 / めど */
	KG_JP_APPROX   = 1u << 5,  /* 頃 / ごろ */
	KG_JP_ASOF     = 1u << 6,  /* followed by 現在: a status date, not an event */
	KG_JP_QUOTED   = 1u << 7,  /* inside 「…」 or 『…』 (a title) */
	KG_JP_PAREN    = 1u << 8,  /* inside （…） */
	KG_JP_CONTEXT  = 1u << 9,  /* only gives its year to a later, narrower
	                              yearless date of the same sentence inside
	                              its window (平成21年度には…10月) */
	KG_JP_RELATIVE = 1u << 10, /* 今年度, 来年度, 同年度, 年度内 …: year from
	                              the report or an earlier expression */
	KG_JP_BACKGROUND = 1u << 11, /* a reference to an earlier round:
	                                前回（平成18年度）, 昨年度に引き続き,
	                                平成19年度の (a past year naming a thing) */
	KG_JP_TALLY    = 1u << 12, /* bounds a count: ９月末までに37件 */
	KG_JP_NAME     = 1u << 13, /* a year naming a plan, budget or edition:
	                              2024年度年次計画, 令和６年度予算, 2023年版 */
	KG_JP_BASELINE = 1u << 14, /* a year compared with: 2013年度比,
	                              平成25年度と比べて, 前年同月比 */
	KG_JP_HORIZON  = 1u << 15, /* a year a group of work heads for, not a
	                              deadline: 2030年に向けて */
	KG_JP_FIGURE   = 1u << 16, /* the date a figure was measured: 2,100件
	                              （2023年９月末）, （平成13年度 34.0%） */
	KG_JP_RECURRING = 1u << 17, /* every year, not one date: 毎年６月頃 */
	KG_JP_REPORT_YEAR = 1u << 18, /* no year in the text: the report's
	                                 fiscal year decided it */
};

/* Dates that name, compare, count from or measure something, or recur:
 * no time of an event (a milestone), and they lend later dates no year. */
#define KG_JP_NOT_A_TIME (KG_JP_BACKGROUND | KG_JP_NAME | KG_JP_BASELINE \
	| KG_JP_HORIZON | KG_JP_FIGURE | KG_JP_RECURRING)

/* Why a window may be wrong: the text leaves its year or month open, or
 * contradicts itself.  The window is still the conventional reading. */
enum kg_jp_doubt {
	KG_JP_SURE = 0,
	KG_JP_DOUBT_NO_ANTECEDENT, /* 同年, 同月 … with no earlier date in the
	                              text: taken from the as-of date */
	KG_JP_DOUBT_ERA_MISMATCH,  /* 令和６（2023）年度: the era and Western
	                              years disagree (the first one is kept) */
	KG_JP_DOUBT_WEEKDAY,       /* 12月１日（月） on a date that is no Monday */
	KG_JP_DOUBT_COUNT
};

struct kg_jpdate {
	size_t start, end;        /* byte span [start, end) in the ORIGINAL text */
	size_t cp_start, cp_end;  /* the same span in kg_jptext code points */
	kg_day window_start;
	kg_day window_end;        /* inclusive deadline; KG_DAY_NONE for open_start */
	enum kg_precision precision;
	/* The window of X itself, before まで(に) turned it into a range from
	 * the day after the as-of date (equal to the window otherwise). */
	kg_day base_start, base_end;
	enum kg_precision base_precision;
	unsigned flags;           /* KG_JP_* */
	enum kg_jp_doubt doubt;
};

/* One lowercase phrase saying why a window with doubt d may be wrong
 * ("同年 has no earlier year in the text: taken from the as-of date"); NULL
 * for KG_JP_SURE.  Static. */
const char *kg_jpdate_doubt_reason(enum kg_jp_doubt d);

/*
 * Text after per-character NFKC, as code points, each mapped back to the
 * bytes of the source character it came from.  Invalid UTF-8 bytes become
 * U+FFFD (one per byte).  Blanks (space, tab, line breaks, the ideographic
 * space) between two characters are dropped, as a PDF extraction's artefacts
 * — unless one side is a Latin letter (words keep their spaces) or both are
 * digits of two numbers (1 2024年度); digits standing one by one are a
 * letter-spaced number and join (2 0 2 4 年).
 */
struct kg_jptext {
	int32_t *cp;
	uint32_t *src_start; /* byte offset of the source character of cp[i] */
	uint32_t *src_end;   /* one past its last byte */
	size_t n;
	size_t cap;
};

#define KG_JPTEXT_MAX ((size_t)16 << 20) /* longest input accepted: 16 MiB */

/* Fills t (which must be zeroed or released) from s[0..len).  -1 with a
 * message when len exceeds KG_JPTEXT_MAX or on ENOMEM. */
int kg_jptext_init(struct kg_jptext *t, const char *s, size_t len, struct kg_err *err);
void kg_jptext_release(struct kg_jptext *t);

/* The code point at *u of a literal (valid UTF-8 written in a source
 * file), *u moved past it. */
static inline int32_t
kg_literal_cp(const unsigned char **u)
{
	const unsigned char *p = *u;
	int32_t c;

	if (p[0] < 0x80) {
		c = p[0];
		*u = p + 1;
	} else if (p[0] < 0xE0) {
		c = (int32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		*u = p + 2;
	} else if (p[0] < 0xF0) {
		c = (int32_t)(p[0] & 0x0F) << 12 | (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		*u = p + 3;
	} else {
		c = (int32_t)(p[0] & 0x07) << 18 | (int32_t)(p[1] & 0x3F) << 12 |
		    (int32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
		*u = p + 4;
	}
	return c;
}

/*
 * Length in code points of the UTF-8 literal lit if t has it at code point
 * i (compared after NFKC: pass the normalised form), else 0.  Inline: the
 * scanner and the extractor try their literals at every position of every
 * report, and nearly all fail on the first character.
 */
static inline size_t
kg_jptext_match(const struct kg_jptext *t, size_t i, const char *lit)
{
	const unsigned char *u = (const unsigned char *)lit;
	size_t k = 0;

	while (*u) {
		if (i + k >= t->n || t->cp[i + k] != kg_literal_cp(&u))
			return 0;
		k++;
	}
	return k;
}

/*
 * A set of code points: the characters a word of some vocabulary can begin
 * with, so that a scanner tries its words only where one can start (most
 * positions of a report start none).  Exact over the Basic Multilingual
 * Plane; every code point beyond it counts as in the set.  Zeroed: empty.
 */
struct kg_cpset {
	uint64_t bits[0x10000 / 64];
};

static inline bool
kg_cpset_has(const struct kg_cpset *s, int32_t c)
{
	return (uint32_t)c >= 0x10000 || ((s->bits[c >> 6] >> (c & 63)) & 1);
}

void kg_cpset_add(struct kg_cpset *s, int32_t c);

/* Adds the first code point of the UTF-8 literal word (in NFKC form, as
 * kg_jptext_match takes it; "" adds none), or of each word of a
 * NULL-terminated list. */
void kg_cpset_add_first(struct kg_cpset *s, const char *word);
void kg_cpset_add_firsts(struct kg_cpset *s, const char *const *words);

/* Whether a date expression can begin with code point c (of kg_jptext):
 * the scanner tries the grammar only there. */
bool kg_jpdate_may_start(int32_t c);

/* Whether the grammar reads a date at code point i of t, trying every rule
 * whatever the character there: what kg_jpdate_may_start must agree with
 * (tests/unit/test_jpdate.c sweeps every character). */
bool kg_jpdate_starts_at(const struct kg_jptext *t, size_t i, const struct kg_jpctx *ctx);

/* The last date a text named, which 同年, 同月, 翌年度 … refer to.  Zeroed:
 * none yet. */
struct kg_jplast {
	bool have_year, have_month;
	int fy, year;   /* its fiscal and calendar year */
	int y, m, d;    /* its calendar month (and day; 0 when it names none) */
};

/* Finds every date expression of t in order; fills out[0..max) and sets *n
 * (the scan stops at the max-th: *n == max then).  Never fails. */
void kg_jpdate_scan_text(const struct kg_jptext *t, const struct kg_jpctx *ctx,
    struct kg_jpdate *out, size_t max, size_t *n);

/* The same for one more piece of an item (the next bullet of a measure):
 * *last is the item's last date before t, for t's anaphora, and becomes its
 * last date after t. */
void kg_jpdate_scan_item(const struct kg_jptext *t, const struct kg_jpctx *ctx,
    struct kg_jplast *last, struct kg_jpdate *out, size_t max, size_t *n);

/* The same on raw UTF-8 text.  -1 only on ENOMEM or an over-long text. */
int kg_jpdate_scan(const char *text, size_t len, const struct kg_jpctx *ctx,
    struct kg_jpdate *out, size_t max, size_t *n, struct kg_err *err);

/* The i-th word of the grammar's vocabulary (eras, parts of a year or
 * month, relative words, the words around a date that flag it …), NULL past
 * the last: tests/unit/test_jpdate.c holds a row for each.  Static. */
const char *kg_jpdate_word(size_t i);

/* A context for a report as of as_of (fiscal year derived). */
struct kg_jpctx kg_jpctx_of(kg_day as_of);

#endif
