/*
 * api — the JSON API (routes.h), read from the current view, in the shape
 * of `kigen export` (lib/export.h, docs/json.md):
 *
 *   GET /api/v1/milestones        {"as_of", "milestones": [...]}, filters
 *                                 as the feeds (args.h), as_of=
 *   GET /api/v1/upcoming?days=N   open milestones due today .. today+N
 *                                 (default 30), as `kigen upcoming`;
 *                                 filters, as_of= (the date taken as today)
 *   GET /api/v1/milestones/ID     {"milestone", "measure", "history",
 *                                 "deliveries"}: ID is the id or the UID
 *   GET /api/v1/measures          {"measures": [...]}, no parameters
 *   GET /api/v1/measures/ID       {"measure", "progress", "milestones"}
 *
 * Behind [http] feed_token when it is set.  A parameter an endpoint does
 * not take is a 400 naming it; an unknown endpoint or id a 404.  Only the
 * history and deliveries of one milestone are read from the database
 * (readers.h); everything else comes from the view.
 */
#ifndef KG_API_H
#define KG_API_H

#include <microhttpd.h>
#include <stdint.h>

#include "outbox.h"
#include "store.h"

struct kg_request;

#define KG_API_UPCOMING_DAYS 30

enum MHD_Result kg_api_milestones(struct kg_request *rq);
enum MHD_Result kg_api_upcoming(struct kg_request *rq);
enum MHD_Result kg_api_milestone(struct kg_request *rq);
enum MHD_Result kg_api_measures(struct kg_request *rq);
enum MHD_Result kg_api_measure(struct kg_request *rq);

/* Any other /api/v1/ path: the parameters checked, then a 404. */
enum MHD_Result kg_api_unknown(struct kg_request *rq);

/* Appends milestone_id's history and deliveries (readers.h) to the lists
 * (the caller clears them); -1 when the database cannot be read (logged). */
int kg_api_details(struct kg_request *rq, int64_t milestone_id,
    struct kg_change_list *history, struct kg_delivery_list *deliveries);

#endif
