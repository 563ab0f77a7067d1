/*
 * export — the one JSON shape of kigen's objects (jansson), used by
 * `kigen export`, every --json listing, the HTTP API and webhook payloads.
 * Dates are "YYYY-MM-DD" or null.  The shape is documented in
 * docs/json.md; change both together.
 *
 * Absent values are null, never left out: every object of one type has the
 * same keys.  id 0 (manual: no measure, no document) is null; imported_at is
 * RFC 3339 UTC; summary is the importer's JSON object or null.
 *
 * Each function returns a new reference the caller owns (json_decref),
 * or NULL on ENOMEM.
 */
#ifndef KG_EXPORT_H
#define KG_EXPORT_H

#include <jansson.h>

#include "model.h"
#include "outbox.h"
#include "store.h"

/* {id, uid, measure_id, title, kind, status, certainty, window_start,
 *  window_end, due, precision, expr, owners: [], sequence, manual, gone,
 *  conflict, uncertain, uncertain_reason, source: {document_id, line, page,
 *  sentence}} */
json_t *kg_milestone_json(const struct kg_milestone *m);

/* {id, document_id, title, owners: [], heading, notes: [], plan, continues} */
json_t *kg_measure_json(const struct kg_measure *m);

/* {id, name, sha256, as_of, imported_at, summary, url, etag, last_modified} */
json_t *kg_document_json(const struct kg_document *d);

/* {"as_of": "YYYY-MM-DD", "milestones": [...]} */
json_t *kg_listing_json(kg_day as_of, const struct kg_milestone_list *l);

/*
 * The same listing, of the milestones of v[0..n) that keep(m, arg) wants
 * (keep NULL: all), written to f as compact JSON — byte for byte what
 * json_dumps(kg_listing_json(...), JSON_COMPACT) gives — one milestone at
 * a time, so a listing of 10^5 milestones never exists as one tree (about
 * 2 kB of jansson objects each).  -1 on ENOMEM or a failed write.
 */
int kg_listing_write(FILE *f, kg_day as_of, const struct kg_milestone *v, size_t n,
    bool (*keep)(const struct kg_milestone *m, void *arg), void *arg);

/* One record of a milestone's history (kigen history, kigen slipped):
 * {milestone_id, at, document_id, as_of, reason, created, old: {window_start,
 *  window_end, status} or null when created, new: {...}, slip_days}.
 * slip_days is new window_end - old window_end, or null. */
json_t *kg_change_json(const struct kg_change *c);

/* One webhook delivery of the outbox (kigen deliveries, the API):
 * {id, endpoint, status, milestone_id, milestone_title, type, lead_days,
 *  deadline, webhook_id, late, fire_at, attempts, next_attempt_at (pending
 *  only), last_attempt_at, last_http_status, last_error, created_at,
 *  done_at}; times RFC 3339 UTC or null. */
json_t *kg_delivery_json(const struct kg_delivery *d);

/* Version of the export shape; grows only on an incompatible change. */
#define KG_EXPORT_VERSION 1

/* The full dump of `kigen export`: {"version": 1, "documents": [...],
 * "measures": [...], "milestones": [...]}.  Borrows its arguments. */
json_t *kg_export_json(const struct kg_document *docs, size_t ndocs,
    const struct kg_measure_list *measures, const struct kg_milestone_list *milestones);

#endif
