/*
 * output — how kigen prints: aligned tables (display-width aware, so
 * Japanese titles line up), relative deadline phrases, colour only when
 * asked, and JSON through jansson.
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
 * (a failed build) returns -1. */
int out_json(FILE *f, json_t *j);

#endif
