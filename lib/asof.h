/*
 * asof — the date a document speaks as of, inferred from its preamble (the
 * lines before its first item), and the line it came from.
 *
 * The sources, strongest first:
 *   1. a status date: 平成20年９月30日現在, 2010年9月末時点 (a month alone
 *      means its last day);
 *   2. the half year or quarter the title (or another preamble line) names:
 *      （上半期） of plan year 2008 → 2008-09-30, 下半期 → 2009-03-31,
 *      第N四半期 → the end of that fiscal quarter;
 *   3. a decision on the cover: a line that starts with a full date and
 *      ends, there or on the next line, in 決定 (閣議決定, …本部決定; letter
 *      spacing as in 閣 議 決 定 is ignored).  A date in brackets before
 *      決定 — （令和元年6月21日閣議決定） — cites another document and is
 *      not one;
 *   4. the meeting the document was submitted to: a line holding only a
 *      date next to a line naming a body that meets (…会議, …本部,
 *      …委員会, 審議会, 協議会, 部会, 懇談会);
 *   5. a cover line holding only a date (a month alone: its last day);
 *   6. a fiscal year the title names alone (平成20年度 → 2009-03-31).
 * Blanks inside the text (PDF letter spacing) are ignored throughout.
 */
#ifndef KG_ASOF_H
#define KG_ASOF_H

#include <stddef.h>

#include "civil.h"
#include "layout.h"

enum kg_asof_source {
	KG_ASOF_NONE,
	KG_ASOF_STATUS,
	KG_ASOF_PERIOD,
	KG_ASOF_DECISION,
	KG_ASOF_MEETING,
	KG_ASOF_COVER,
	KG_ASOF_YEAR,
};

struct kg_asof {
	kg_day day;                 /* KG_DAY_NONE when nothing was found */
	enum kg_asof_source source;
	size_t line;                /* index into d->lines of the line it came from */
};

/* Searches lines [0, d->preamble_end) of d.  -1 only on ENOMEM. */
int kg_asof_infer(const struct kg_doc *d, struct kg_asof *out);

/* "a status date (…現在)", "the period in the title", …; static. */
const char *kg_asof_source_text(enum kg_asof_source s);

#endif
