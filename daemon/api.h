/*
 * api — the JSON API (routes.h), read from the current view, in the shape
 * of `kigen export` (lib/export.h, docs/json.md):
 *
 *   GET /api/v1/milestones        {"as_of", "milestones": [...]}, filters
 *                                 as the feeds (args.h)
 *   GET /api/v1/upcoming?days=N   open milestones due today .. today+N
 *                                 (default 30), as `kigen upcoming`
 *   GET /api/v1/measures          {"measures": [...]}, no parameters
 *
 * Behind [http] feed_token when it is set.  A parameter an endpoint does
 * not take is a 400 naming it; an unknown endpoint a 404.
 */
#ifndef KG_API_H
#define KG_API_H

#include <microhttpd.h>

struct kg_request;

#define KG_API_UPCOMING_DAYS 30

enum MHD_Result kg_api_milestones(struct kg_request *rq);
enum MHD_Result kg_api_upcoming(struct kg_request *rq);
enum MHD_Result kg_api_measures(struct kg_request *rq);
/* Any other /api/v1/ path: the parameters checked, then a 404. */
enum MHD_Result kg_api_unknown(struct kg_request *rq);

#endif
