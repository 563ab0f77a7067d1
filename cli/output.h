/*
 * output — how kigen prints: aligned tables (display-width aware, so
 * Japanese titles line up), relative deadline phrases, colour only when
 * asked, and JSON through jansson.
 *
 * And nothing a terminal would act on: text from reports, from webhook
 * receivers' answers, from the command line, may hold control characters
 * (an OSC title change, a screen clear, an OSC 52 clipboard write).  One
 * escaping function, out_escape, makes every control character but tab
 * and line breaks visible (^[ for ESC, ^? for DEL, <U+009B> for C1; lib/utf8's
 * kg_escape_controls); every command writes through out_terminal's
 * stream, which applies it to all bytes, and the driver's error line (one
 * line always: out_escape_line) goes through it too.  Only kigen's
 * own colour sequences pass, through out_raw, and tables, whose every cell
 * out_table_add escaped already (a listing's bytes are looked at once).
 */
#ifndef KG_OUTPUT_H
#define KG_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "zone.h"
#include "store.h"

/*
 * A table printed with columns padded to their widest cell.  Cells are
 * copied with every control character made visible, tabs too (a cell is
 * one line).  max_width[i] > 0 truncates column i to that many columns with
 * "…"; the last column is never padded.  A row may carry an SGR colour
 * ("31" red ...), used only when out_table_print is told so.
 */
/* Writes s[0..len) to f with every control character but tab, LF and CR
 * made visible. */
void out_escape(FILE *f, const char *s, size_t len);
/* The same for a value that must stay on one line (an error message, a
 * lock holder's command line): line breaks are made visible too (^J). */
void out_escape_line(FILE *f, const char *s, size_t len);

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
/* The same with the display width of some cells known to the caller,
 * which made them and knows them free of control characters (its own
 * ASCII: numbers, dates); OUT_WIDTH_UNKNOWN for the others, measured and
 * escaped as out_table_add does. */
#define OUT_WIDTH_UNKNOWN ((size_t)-1)
int out_table_add_known(struct out_table *t, const char *const *cells, const size_t *widths,
    const char *sgr);
/* Print rows at most width columns wide (0: any): the columns whose bit is
 * set in flex give up width, widest first, down to 12 columns or their
 * header, then those in keep (a title); cut cells end in "…", never inside
 * a character. */
void out_table_fit(struct out_table *t, size_t width, unsigned flex, unsigned keep);
void out_table_print(const struct out_table *t, FILE *f, bool color);

/* "2008-11-24 09:00": unix time t in zone; "-" for 0 or INT64_MAX. */
void out_local_time(char buf[24], int64_t t, const struct kg_zone *zone);

/* The width tables fit in: $COLUMNS (20..1000), else 100. */
size_t out_columns(void);
void out_table_free(struct out_table *t); /* NULL is fine */

/*
 * The deadline of m seen from today, in one form: "in 6 days", "today",
 * "3 days ago"; spans of 100 days and more in months ("in 4 months"), of
 * two years and more in years; "-" for an open window (no deadline).
 */
void out_relative(char *buf, size_t len, const struct kg_milestone *m, kg_day today);

/* SGR colour of m's row: red overdue, yellow due within 7 days, green done,
 * dim cancelled, NULL otherwise. */
const char *out_milestone_sgr(const struct kg_milestone *m, kg_day today);

/* The table of milestones (ID, DUE, WHEN, STATUS, TITLE, MEASURE, OWNERS)
 * seen from today, fitted to width columns (out_table_fit); NULL on
 * ENOMEM.  A row per out_milestones_add (m is copied: it may be lent; an
 * uncertain deadline is marked "?", STATUS says "gone" and "conflict"; -1
 * on ENOMEM), then out_milestones_print prints it, or "no milestones" when
 * it has no row. */
struct out_milestones;
struct out_milestones *out_milestones_new(kg_day today, size_t width);
int out_milestones_add(struct out_milestones *ms, const struct kg_milestone *m);
void out_milestones_print(const struct out_milestones *ms, FILE *f, bool color);
void out_milestones_free(struct out_milestones *ms); /* NULL is fine */

/* "status, window": the fields of a KG_LOCAL_* mask, into buf. */
void out_local_fields(char *buf, size_t len, unsigned mask);

/* What an import or an unimport changed (struct kg_import_result): the
 * counts by kind of change; "milestones: N new, N changed, ..." with a
 * newline; "N conflicts open ..." when any; {"counts", "items"} added to o
 * (-1 on ENOMEM); the table of the items that are not unchanged (WHAT, ID,
 * DUE, TITLE, DETAIL), fitted to out_columns (-1 on ENOMEM). */
void out_change_counts(const struct kg_import_result *r, size_t n[KG_CH_COUNT]);
void out_changes_line(FILE *f, const size_t n[KG_CH_COUNT]);
void out_conflicts_open(FILE *f, const struct kg_import_result *r);
int out_changes_json(json_t *o, const struct kg_import_result *r);
int out_changes_table(FILE *f, const struct kg_import_result *r, bool color);

/* Prints j indented with a final newline and drops the reference.  j NULL
 * (a failed build) returns -1.  C1 characters are written \u0080..\u009f
 * (jansson leaves them raw). */
int out_json(FILE *f, json_t *j);
/* The same with jansson's dump flags of the caller's choice. */
int out_json_flags(FILE *f, json_t *j, size_t flags);

#endif
