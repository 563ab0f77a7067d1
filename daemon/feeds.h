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
 * Its todo view is rendered on first request; a feed with query filters
 * (or a span other than its own) is rendered for that request only.
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

/* Does an Accept-Encoding value allow gzip?  "gzip", "gzip;q=0.5" yes,
 * "gzip;q=0", "identity" no. */
bool kg_feeds_accepts_gzip(const char *accept_encoding);

/* Does an If-None-Match value name etag (weak comparison, RFC 9110 13.1.2)? */
bool kg_feeds_etag_listed(const char *if_none_match, const char *etag);

#endif
