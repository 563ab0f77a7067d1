/*
 * rendition — a body rendered for serving (a feed, an API listing, a
 * page): its bytes, plain and gzipped, with their ETags, wrapped once in
 * libmicrohttpd responses (200 and 304, headers included) that every
 * request re-queues, and the one way to answer a request from them
 * (kg_reply_rendered: gzip when accepted, 304 when the validators match).
 *
 * Made in two steps: kg_rendered_render writes the body with a render
 * function into a sink that computes the SHA-256 ETag and the gzip in one
 * pass, so the full text is never held at once; kg_rendered_finish wraps
 * the bytes in responses with the headers (type, caching, Last-Modified),
 * which may depend on the ETag (a feed's Last-Modified does).  Plain text
 * is kept only up to 1 MiB; a bigger body is kept gzipped (a feed: about
 * 1/14 of the size) and inflated on the fly for clients without gzip,
 * with the same bytes, ETag and length.  libmicrohttpd refcounts
 * responses and the bytes are refcounted with them, so a connection still
 * sending an old body keeps it alive.  Every rendition's bytes count in
 * kg_rendition_bytes(), which bounds renditions made on request (cache.h).
 */
#ifndef KG_RENDITION_H
#define KG_RENDITION_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "feed.h"
#include "model.h"

struct kg_blob;
struct kg_request;

/* One representation.  full is NULL for the plain text of a big body:
 * each request then inflates gz, the gzip representation's bytes. */
struct kg_rendition {
	struct MHD_Response *full, *not_modified;
	struct kg_blob *body;      /* until finished: the bytes full will send */
	struct kg_blob *gz;        /* a big body's gzip, inflated per request */
	size_t size;               /* bytes a 200 sends */
	char etag[48];             /* quoted, strong */
};

/* A body's representations and the headers they share. */
struct kg_rendered {
	struct kg_rendition plain, gzip;
	int64_t last_modified;     /* 0: no Last-Modified */
	size_t bytes;              /* memory its bytes take */
	char type[48];             /* Content-Type */
	char cache_control[64];    /* "": none */
};

/* Writes a body to out; -1 with err on failure. */
typedef int kg_render_fn(void *arg, FILE *out, struct kg_err *err);

/* Renders fn(arg) into r's bytes and ETags (plain, and gzip when
 * want_gzip).  -1 with err on failure; release r either way. */
int kg_rendered_render(struct kg_rendered *r, kg_render_fn *fn, void *arg, bool want_gzip,
    struct kg_err *err);

/* Wraps r's bytes in responses: Content-Type type, Cache-Control
 * cache_control (NULL: none), Last-Modified r->last_modified (when > 0),
 * Vary: Accept-Encoding, nosniff.  -1 with err on ENOMEM. */
int kg_rendered_finish(struct kg_rendered *r, const char *type, const char *cache_control,
    struct kg_err *err);

/*
 * A feed: v[0..n) rendered with p (kg_feed_write), finished with the
 * feed's headers (Cache-Control public or, private_feed, private, max-age
 * of the refresh interval).  Last-Modified is the newest updated_at of the
 * milestones in the feed — except when the bytes changed without any of
 * them changing (one was purged, the configuration changed): then it moves
 * to now, or If-Modified-Since clients would keep the old feed.  prev (may
 * be NULL) is the same feed of the previous view.  Last-Modified is at
 * least lm_floor: the other views of a feed take the events view's, so
 * they move on together.  -1 with err on failure; release r either way.
 */
int kg_rendered_feed(struct kg_rendered *r, const struct kg_milestone *v, size_t n,
    const struct kg_feed_params *p, const struct kg_rendered *prev, int64_t lm_floor,
    bool private_feed, bool want_gzip, struct kg_err *err);

/* Drops r's responses and bytes (requests in flight keep theirs); r is
 * zeroed.  A zeroed r is fine. */
void kg_rendered_release(struct kg_rendered *r);

/* Answers rq from r: the gzip representation when rq accepts it and there
 * is one, else the plain one; 304 when If-None-Match names its ETag (weak
 * comparison) or, without If-None-Match, If-Modified-Since is not before
 * Last-Modified. */
enum MHD_Result kg_reply_rendered(struct kg_request *rq, const struct kg_rendered *r);

/* Does an Accept-Encoding value allow gzip?  "gzip", "gzip;q=0.5" yes,
 * "gzip;q=0", "identity" no. */
bool kg_rendition_accepts_gzip(const char *accept_encoding);

/* Does an If-None-Match value name etag (weak comparison, RFC 9110 13.1.2)? */
bool kg_rendition_etag_listed(const char *if_none_match, const char *etag);

/* Bytes held by every rendition alive now (any thread). */
size_t kg_rendition_bytes(void);

#endif
