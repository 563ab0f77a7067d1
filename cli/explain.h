/*
 * explain — `kigen import --explain FILE`: what the importer understood of
 * a document, without writing anything: the layout, the as-of date and the
 * line it came from, each item with its owners and dated milestones
 * (expression → window, status, kind), its undated plans, and every
 * date-like string that is no milestone, with why and its line.  --json
 * prints the same as one object (docs/json.md).
 */
#ifndef KG_CLI_EXPLAIN_H
#define KG_CLI_EXPLAIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/* Prints imp (as kg_report_parse left it) to f; forced: --layout named the
 * layout.  -1 on ENOMEM. */
int explain_print(FILE *f, const struct kg_import *imp, bool forced);
int explain_json(FILE *f, const struct kg_import *imp, bool forced);

/* {"how": "...", "line": N, "text": "..."}: where the as-of date came from
 * (line and text null when given); a new reference, NULL on ENOMEM. */
json_t *explain_as_of_json(const struct kg_import_origin *o);

#endif
