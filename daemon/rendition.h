/*
 * rendition — a feed rendered for serving: its bytes, plain and gzipped,
 * with their ETags, wrapped once in libmicrohttpd responses (200 and 304,
 * headers included) that every request re-queues.
 *
 * A feed is rendered with kg_feed_write into a sink that computes the
 * SHA-256 ETag and the gzip in one pass, so its full text is never held at
 * once.  Plain text is kept only up to 1 MiB; a bigger feed is kept gzipped
 * (about 1/14 of the size) and inflated on the fly for clients without
 * gzip (kg_rendition_inflating), with the same bytes, ETag and length.
 * libmicrohttpd refcounts responses and the bytes are refcounted with
 * them, so a connection still sending an old body keeps it alive.
 */
#ifndef KG_RENDITION_H
#define KG_RENDITION_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "feed.h"
#include "model.h"

struct kg_blob;

/* One representation of a feed.  full is NULL for the plain text of a big
 * feed: each request then inflates gz, the gzip rendition's bytes. */
struct kg_rendition {
	struct MHD_Response *full, *not_modified;
	struct kg_blob *gz;
	size_t size;               /* bytes a 200 sends */
	char etag[48];             /* quoted, strong */
};

/* A feed's renditions and the validators and caching they share. */
struct kg_rendered {
	struct kg_rendition plain, gzip;
	int64_t last_modified;
	int64_t refresh_s;
	bool private_feed;         /* Cache-Control: private (token feeds) */
};

/*
 * Renders v[0..n) with p into r (plain, and gzip when want_gzip).
 * Last-Modified is the newest updated_at of the milestones in the feed —
 * except when the bytes changed without any of them changing (one was
 * purged, the configuration changed): then it moves to now, or
 * If-Modified-Since clients would keep the old feed.  prev (may be NULL)
 * is the same feed of the previous view.  Last-Modified is at least
 * lm_floor: the other views of a feed take the events view's, so they
 * move on together.  -1 with err on failure; release r either way.
 */
int kg_rendered_make(struct kg_rendered *r, const struct kg_milestone *v, size_t n,
    const struct kg_feed_params *p, const struct kg_rendered *prev, int64_t lm_floor,
    bool private_feed, bool want_gzip, struct kg_err *err);

/* Drops r's responses and bytes (requests in flight keep theirs); r is
 * zeroed.  A zeroed r is fine. */
void kg_rendered_release(struct kg_rendered *r);

/* A new 200 response that inflates rd->gz (rd->full is NULL) for a client
 * without gzip, headers included; the caller queues and destroys it.  NULL
 * on ENOMEM. */
struct MHD_Response *kg_rendition_inflating(const struct kg_rendered *r,
    const struct kg_rendition *rd);

#endif
