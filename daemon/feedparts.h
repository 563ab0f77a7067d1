/*
 * feedparts — a published feed rendered in parts that the next publication
 * reuses, so that a change to one milestone costs the render of its part,
 * not of the feed; and the parts of a first publication are rendered on
 * several threads.
 *
 * The feed's events (the milestones the feed includes, in order) are cut
 * into parts of about 64 events where an event's key (kg_feed_event_key:
 * everything its text depends on) says so — a content-defined cut, so an
 * event added or changed moves the boundaries of its own part only; at
 * most 256 events a part.  A part is kept as its text's raw deflate stream
 * ended by a full flush (byte-aligned, no reference to any earlier text),
 * its CRC-32, length and SHA-256, under the key of its events.  The feed's
 * gzip is then a gzip header, the head's part (the calendar's properties
 * and VTIMEZONE, rendered every time), the events' parts, the tail's, an
 * empty final block and the trailer (RFC 1952: the CRCs combined with
 * zlib's crc32_combine) — one valid deflate stream, as pigz builds its
 * own.  Each event is still built and serialised by libical
 * (lib/feed.h); the text of a part is libical's output, kept compressed.
 *
 * The ETag of the text is the SHA-256 of the parts' SHA-256s: the same
 * data always gives the same parts, so the same ETag, across restarts.
 * Compression costs little: a part of ~55 kB is longer than deflate's
 * 32 kB window.
 */
#ifndef KG_FEEDPARTS_H
#define KG_FEEDPARTS_H

#include <stddef.h>

#include "err.h"
#include "feed.h"
#include "model.h"
#include "rendition.h"

struct kg_pool;
struct kg_feedparts;

/* A feed assembled from parts: its gzip (a new buffer), the length of its
 * text, the SHA-256 naming the text, and the parts for the next time. */
struct kg_feedparts_out {
	unsigned char *gz;
	size_t gz_len, text_len;
	unsigned char md[32];
	struct kg_feedparts *parts;
};

/*
 * The bytes of the feed v[0..n) under p, reusing the parts of prev (the
 * same feed's last parts, may be NULL) whose events did not change; parts
 * to render are shared with the pool's render threads (pool may be NULL:
 * alone).  The caller frees out->gz and out->parts.  -1 with err on
 * failure (out zeroed).
 */
int kg_feedparts_make(const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    const struct kg_feedparts *prev, struct kg_pool *pool, struct kg_feedparts_out *out,
    struct kg_err *err);

/*
 * Renders the feed v[0..n) under p into r (a gzip rendition, and the text
 * too when small: kg_rendered_gzip; how gives the headers and
 * Last-Modified), reusing the parts of prev (the same feed's last parts,
 * may be NULL) whose events did not change.  Parts to render are shared
 * with up to the pool's render threads (pool may be NULL: alone).  *parts
 * gets this rendition's parts, for the next one (free with
 * kg_feedparts_free).  -1 with err on failure (*parts NULL).
 */
int kg_feedparts_render(struct kg_rendered *r, const struct kg_render *how,
    const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    const struct kg_feedparts *prev, struct kg_pool *pool, struct kg_feedparts **parts,
    struct kg_err *err);

/* Drops the parts (those another rendition shares live on).  NULL ok. */
void kg_feedparts_free(struct kg_feedparts *fp);

/* How many parts the last kg_feedparts_render made anew and reused. */
void kg_feedparts_counts(const struct kg_feedparts *fp, size_t *made, size_t *reused);

#endif
