/*
 * output — how kigen prints: aligned tables (display-width aware, so
 * Japanese titles line up), relative deadline phrases, colour only when
 * asked, and JSON through jansson.
 *
 * And nothing a terminal would act on: text from reports, from webhook
 * receivers' answers, from the command line, may hold control characters
 * (an OSC title change, a screen clear, an OSC 52 clipboard write).  One
 * escaping function, out_escape, makes every control character but tab
 * and line breaks visible (^[ for ESC, ^? for DEL, <U+009B> for C1); every
 * command writes through out_terminal's stream, which applies it to all
 * bytes, and the driver's error line goes through it too.  Only kigen's
 * own colour sequences pass, through out_raw.
 */
#ifndef KG_OUTPUT_H
#define KG_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/*
 * A table printed with columns padded to their widest cell.  Cells are
 * copied.  max_width[i] > 0 truncates column i to that many columns with
 * "…"; the last column is never padded.  A row may carry an SGR colour
 * ("31" red ...), used only when out_table_print is told so.
 */
/* Writes s[0..len) to f with every control character but tab, LF and CR
 * made visible. */
void out_escape(FILE *f, const char *s, size_t len);

/* A stream that writes to raw through out_escape (raw stays open when it
 * is closed).  NULL when it cannot be made: then write to raw. */
FILE *out_terminal(FILE *raw);

/* Writes s as it is: kigen's own escape sequences (colours) on f, whether
 * or not f is an out_terminal stream. */
void out_raw(FILE *f, const char *s);

struct out_table;
struct out_table *out_table_new(size_t ncols, const char *const *headers,
    const size_t *max_width);
/* -1 on ENOMEM. */
int out_table_add(struct out_table *t, const char *const *cells, const char *sgr);
void out_table_print(const struct out_table *t, FILE *f, bool color);
void out_table_free(struct out_table *t); /* NULL is fine */

/*
 * "in 6 days", "tomorrow", "due today", "3 days overdue", "due during
 * March 2009" (month windows), "due within FY2008", "from 2008-10-01" (open
 * windows), "done", "cancelled" — the deadline of m seen from today.
 */
void out_relative(char *buf, size_t len, const struct kg_milestone *m, kg_day today);

/* SGR colour of m's row: red overdue, yellow due within 7 days, green done,
 * dim cancelled, NULL otherwise. */
const char *out_milestone_sgr(const struct kg_milestone *m, kg_day today);

/* Prints the table of milestones (ID, DUE, WHEN, STATUS, TITLE, MEASURE,
 * OWNERS) or "no milestones"; an uncertain deadline is marked "?".  -1 on
 * ENOMEM. */
int out_milestone_table(FILE *f, const struct kg_milestone_list *l, kg_day today, bool color);

/* Prints j indented with a final newline and drops the reference.  j NULL
 * (a failed build) returns -1.  C1 characters are written \u0080..\u009f
 * (jansson leaves them raw). */
int out_json(FILE *f, json_t *j);
/* The same with jansson's dump flags of the caller's choice. */
int out_json_flags(FILE *f, json_t *j, size_t flags);

#endif
