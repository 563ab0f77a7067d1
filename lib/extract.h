/*
 * extract — dated milestones from one bullet of a progress report.
 *
 * Splits the bullet into sentences (at 。 outside brackets), finds the date
 * expressions with jpdate, drops the ones that are not events (titles in
 * 「」, 現在 status dates, years that only give context to a later month,
 * references to an earlier round, names, baselines, horizons, recurring
 * times, a table's row of column years) and gives every remaining one a
 * status (explicit predicate first, else the window against the as-of date),
 * a certainty (予定 / 見込み / 目途), a kind (from the predicate and nouns
 * around the date), a short title, its source sentence and, when the text
 * leaves its year open, an uncertainty.  The dates that are no events are
 * listed with why (a figure's date, 2,100件（2023年９月末）, is a result as of
 * that date).  Sentences with no event that still commit to future work
 * (…予定。, 引き続き…取り組む。, 速やかに措置) become measure notes.  The
 * rules are documented in docs/dates.md.
 */
#ifndef KG_EXTRACT_H
#define KG_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "jpdate.h"
#include "model.h"

struct kg_extract_item {
	struct kg_milestone m;  /* set: title, kind, status, certainty, window_start,
	                           window_end, precision, expr (as written, line breaks
	                           already gone), sentence (the whole source sentence),
	                           uncertain and uncertain_reason.
	                           Unset (0/NULL): id, uid, measure_id, document_id, line. */
	size_t expr_offset;     /* byte offset of expr within the input text */
	bool bare_title;        /* the text names no object for the act: the title
	                           is only its verb (or empty); a caller may use
	                           kg_extract_fallback_title instead */
};

/* Why the date of a figure (2,100件（2023年９月末）) is no milestone. */
#define KG_EXTRACT_WHY_FIGURE "a figure as of that date (a result, not a deadline)"

/* A date expression that is no milestone, and why (for --explain). */
struct kg_extract_skip {
	size_t offset, len;     /* its bytes in the input text */
	const char *why;        /* static: "inside 「」: part of a name", ... */
};

/*
 * Bounds that keep extraction linear in the text: a run-on sentence is read
 * in pieces of at most KG_EXTRACT_SENTENCE_CP code points (cut at a comma
 * after that many, or hard at twice as many), so that every scan of "the
 * sentence" around a date is bounded; a text with more than
 * KG_EXTRACT_MAX_DATES date expressions is refused (a repeated clause, not
 * a plan: real bullets hold a few dates each).
 */
#define KG_EXTRACT_SENTENCE_CP 512
#define KG_EXTRACT_MAX_DATES 1000

struct kg_extract {
	struct kg_extract_item *v;
	size_t n, cap;
	struct kg_strv notes;   /* undated commitments, full sentences */
	size_t refused_at;      /* see kg_extract_text */
	struct kg_extract_skip *skipped;
	size_t nskipped, capskipped;
	struct kg_jplast last;  /* the last date of the text so far: 同年, 同月 …
	                           of the next call (the item's next bullet) refer
	                           to it */
};

/*
 * text: one bullet (or a bullet-less progress paragraph) of one measure,
 * original characters, PDF line breaks already removed by the caller.
 * Appends to out (so a caller can collect a whole measure; anaphora such as
 * 同年 refer to the last date of out's earlier texts); out must be zeroed
 * before first use.  -1 on ENOMEM or internal error (out keeps what was
 * appended before), and when text holds more than KG_EXTRACT_MAX_DATES
 * dates: "more than 1000 dates in one text ..." in err, and out->refused_at
 * is the byte offset of the first date + 1 (0 otherwise).
 */
int kg_extract_text(const char *text, size_t len, const struct kg_jpctx *ctx,
    struct kg_extract *out, struct kg_err *err);

/* Titles are at most this many code points (cut on a character boundary,
 * … at the cut). */
#define KG_TITLE_MAX_CP 32

/*
 * The title of a milestone whose bare_title is set: "<kind in Japanese>:
 * <subject>" (公表: 地方公共団体における…), subject usually the measure
 * title; the label alone when subject is NULL or empty.  At most
 * KG_TITLE_MAX_CP code points; NULL on ENOMEM.  Free with free().
 */
char *kg_extract_fallback_title(enum kg_kind kind, const char *subject);

/* "<label>: <subject>" (the label alone when subject is NULL or empty), at
 * most KG_TITLE_MAX_CP code points; NULL on ENOMEM.  Free with free(). */
char *kg_extract_label_title(const char *label, const char *subject);

/* Frees everything in x and zeroes it; accepts NULL. */
void kg_extract_clear(struct kg_extract *x);

#endif
