/*
 * jpdate — Japanese date expressions in report text.
 *
 * Finds every date expression in a piece of text (one bullet of a progress
 * report) and turns each into a window [start, end] with a precision, following
 * the window conventions documented in docs/dates.md: era years (明治…令和, 元年,
 * 平19年, H21年), Western years, fiscal years and their words (今年度, 来年度,
 * 同年度, 年度内, 年度末, 年度当初 …), months, days, 上旬/中旬/下旬, 上半期/下半期,
 * 第N四半期, seasons, 末/中/内/頃, まで(に), から/以降/より and ranges.
 *
 * The text is matched after per-character Unicode NFKC (utf8proc), so
 * full-width digits, ～ and ㍻ need no special cases, while every span refers
 * to the bytes of the ORIGINAL text.  Kanji numerals (〇一二…十百千, 元) are read
 * too.  Impossible dates (２月30日) produce no expression.
 *
 * A month or day with no year takes it from the nearest earlier year in the
 * same sentence (平成21年度には…10月 → October 2009) or else from the report's
 * fiscal year (April–December in its first calendar year, January–March in
 * the next).
 *
 * Everything here is pure: no clock, no I/O.  Cost is linear in the text.
 */
#ifndef KG_JPDATE_H
#define KG_JPDATE_H

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
};

/*
 * Text after per-character NFKC, as code points, each mapped back to the
 * bytes of the source character it came from.  Invalid UTF-8 bytes become
 * U+FFFD (one per byte).
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

/* Finds every date expression of t in order; fills out[0..max) and sets *n
 * (the scan stops at the max-th: *n == max then).  Never fails. */
void kg_jpdate_scan_text(const struct kg_jptext *t, const struct kg_jpctx *ctx,
    struct kg_jpdate *out, size_t max, size_t *n);

/* The same on raw UTF-8 text.  -1 only on ENOMEM or an over-long text. */
int kg_jpdate_scan(const char *text, size_t len, const struct kg_jpctx *ctx,
    struct kg_jpdate *out, size_t max, size_t *n, struct kg_err *err);

/* A context for a report as of as_of (fiscal year derived). */
struct kg_jpctx kg_jpctx_of(kg_day as_of);

#endif
