/*
 * feeds — serving the iCalendar feeds: /feed.ics (every milestone, the
 * [feed] section) and /feeds/NAME.ics (a [feed:NAME] section), the routes'
 * handler and access rule (routes.h).
 *
 *   ?owner= &kind= &status= &measure=   (values of one key OR'd, keys
 *                                       AND'd, on top of the feed's own)
 *   ?view=todo                          VTODOs instead of VEVENTs
 *   ?span=deadline|window               events on the deadline day, or
 *                                       over the window ([feed] span)
 *
 * A feed without query filters is served from its rendition in the view
 * (rendition.h): the gzip one when Accept-Encoding allows gzip, else the
 * plain one; 304 when If-None-Match names its ETag (weak comparison) or,
 * without If-None-Match, If-Modified-Since is not before Last-Modified.
 * Its todo view, another span and query filters are renditions made on
 * request, once per view and canonical set of parameters (cache.h), whose
 * Last-Modified is at least the feed's.
 */
#ifndef KG_FEEDS_H
#define KG_FEEDS_H

#include <microhttpd.h>
#include <stdbool.h>

struct kg_request;

/* The access rule: the feed exists and the request's token is its own
 * token, or [http] feed_token, when one is set.  When some feed is
 * private, query filters are refused on a public feed (they could select
 * what only a private feed shows). */
bool kg_feeds_access(struct kg_request *rq);

/* The handler of both feed routes. */
enum MHD_Result kg_feeds_serve(struct kg_request *rq);

struct kg_rendered;

/* Answers rq with the rendition r (rendition.h), a feed's or a page's: the
 * gzip one when the request accepts gzip and r has one, else the plain
 * one (inflated on the fly when only gzip is kept); 304 when the client's
 * validators match. */
enum MHD_Result kg_feeds_reply(struct kg_request *rq, const struct kg_rendered *r);

struct kg_err;

/* Answers rq with r, a rendition made for this request when rc is 0, else
 * with a 500 (logged as "what: err"); releases r either way. */
enum MHD_Result kg_feeds_reply_made(struct kg_request *rq, int rc, struct kg_rendered *r,
    const struct kg_err *err, const char *what);

/* Does rq accept gzip (Accept-Encoding)? */
bool kg_feeds_wants_gzip(const struct kg_request *rq);

/* Does an Accept-Encoding value allow gzip?  "gzip", "gzip;q=0.5" yes,
 * "gzip;q=0", "identity" no. */
bool kg_feeds_accepts_gzip(const char *accept_encoding);

/* Does an If-None-Match value name etag (weak comparison, RFC 9110 13.1.2)? */
bool kg_feeds_etag_listed(const char *if_none_match, const char *etag);

#endif
