/*
 * rendition — a response rendered once for many requests: its bytes,
 * plain and gzipped, with their ETags, wrapped once in libmicrohttpd
 * responses (200 and 304, headers included) that every request re-queues.
 * Feeds are renditions (kg_rendered_make), and so are kigend's pages
 * (kg_rendered_render with the page's writer).
 *
 * A body is written into a sink that computes the SHA-256 ETag and the
 * gzip in one pass, so its full text is never held at once.  Plain text
 * is kept only up to 1 MiB; a bigger body is kept gzipped (a feed: about
 * 1/14 of the size) and inflated on the fly for clients without gzip
 * (kg_rendition_inflating), with the same bytes, ETag and length.
 * libmicrohttpd refcounts responses and the bytes are refcounted with
 * them, so a connection still sending an old body keeps it alive.  Every
 * rendition's bytes count in kg_rendition_bytes().
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

#define KG_RENDITION_COPIES_MAX 16

/* One representation.  full[0] is NULL for the plain text of a big feed:
 * each request then inflates gz, the gzip representation's bytes.  Each
 * response exists once per request thread (kg_rendition_set_copies):
 * libmicrohttpd counts a response's references under a mutex of its own,
 * and two threads queueing one response queued for each other in futex
 * calls at every request. */
struct kg_rendition {
	struct MHD_Response *full[KG_RENDITION_COPIES_MAX];
	struct MHD_Response *not_modified[KG_RENDITION_COPIES_MAX];
	struct kg_blob *gz;
	size_t size;               /* bytes a 200 sends */
	char etag[48];             /* quoted, strong */
};

/* A body's renditions and the validators and headers they share. */
struct kg_rendered {
	struct kg_rendition plain, gzip;
	int64_t last_modified;     /* 0: no Last-Modified */
	const char *content_type;  /* static */
	const char *const *headers; /* more headers: name, value, ..., NULL; static; or NULL */
	char cache_control[64];
	size_t bytes;              /* memory its bytes take */
};

/* How to render a body, and what to say about it. */
struct kg_render {
	const char *content_type;  /* static, e.g. "text/html; charset=utf-8" */
	const char *const *headers; /* static name, value pairs, NULL-terminated; or NULL */
	const char *cache_control; /* "public, max-age=3600", "no-cache" */
	int64_t last_modified;     /* the newest change it shows; 0: none */
	/* Last-Modified is at least lm_floor, and moves to now when the bytes
	 * differ from prev's (the same body's previous rendition, may be NULL)
	 * without last_modified having moved (a milestone was purged, the
	 * configuration changed), or If-Modified-Since clients would keep the
	 * old body. */
	const struct kg_rendered *prev;
	int64_t lm_floor;
	/* Writes the body to f; -1 with err on failure. */
	int (*write)(void *arg, FILE *f, struct kg_err *err);
	void *arg;
};

/*
 * Renders how into r: the plain rendition, and the gzip one when
 * want_gzip.  -1 with err on failure; release r either way.  Here and in
 * the two makers below, r starts zeroed (or released).
 */
int kg_rendered_render(struct kg_rendered *r, const struct kg_render *how, bool want_gzip,
    struct kg_err *err);

/*
 * A body whose bytes were made elsewhere (a feed assembled from parts,
 * feedparts.h): gz, a gzip stream of text_len bytes of text (copied), md
 * the SHA-256 that names the text (its ETag; the gzip's is its own
 * SHA-256).  The text is kept too (inflated here) when at most 1 MiB.
 * how->write is not used.  -1 with err on failure; release r either way.
 */
int kg_rendered_gzip(struct kg_rendered *r, const struct kg_render *how, const void *gz,
    size_t gz_len, size_t text_len, const unsigned char md[32], struct kg_err *err);

/* How a feed is rendered (kg_rendered_make's headers, Last-Modified and
 * their rules), for a feed rendered another way (feedparts.h); cc holds
 * the Cache-Control text.  how->write is left NULL. */
void kg_render_feed(struct kg_render *how, char cc[64], const struct kg_milestone *v, size_t n,
    const struct kg_feed_params *p, const struct kg_rendered *prev, int64_t lm_floor,
    bool private_feed);

/*
 * A feed: renders v[0..n) with p into r (plain, and gzip when want_gzip),
 * as text/calendar, Cache-Control public (private when private_feed) with
 * p's refresh as max-age.  Last-Modified is the newest updated_at of the
 * milestones in the feed, settled with prev (the same feed of the previous
 * view, may be NULL) and lm_floor as struct kg_render says: the other
 * views of a feed take the events view's as floor, so they move on
 * together.  -1 with err on failure; release r either way.
 */
int kg_rendered_make(struct kg_rendered *r, const struct kg_milestone *v, size_t n,
    const struct kg_feed_params *p, const struct kg_rendered *prev, int64_t lm_floor,
    bool private_feed, bool want_gzip, struct kg_err *err);

/* Drops r's responses and bytes (requests in flight keep theirs); r is
 * zeroed.  A zeroed r is fine. */
void kg_rendered_release(struct kg_rendered *r);

/* How many request threads there are (1..KG_RENDITION_COPIES_MAX; more
 * share copies): each rendition's responses exist that many times.  Set
 * once, before the first rendition. */
void kg_rendition_set_copies(unsigned n);

/* The calling request thread's copy of rd's 200 (NULL: none, inflate)
 * and of its 304. */
struct MHD_Response *kg_rendition_full(const struct kg_rendition *rd);
struct MHD_Response *kg_rendition_not_modified(const struct kg_rendition *rd);

/* Bytes held by every rendition alive now — published, cached, or still
 * being sent — (any thread): what [http] render_memory bounds (cache.h). */
size_t kg_rendition_bytes(void);

/* A new 200 response that inflates rd->gz (rd->full[0] is NULL) for a client
 * without gzip, headers included; the caller queues and destroys it.  NULL
 * on ENOMEM. */
struct MHD_Response *kg_rendition_inflating(const struct kg_rendered *r,
    const struct kg_rendition *rd);

#endif
