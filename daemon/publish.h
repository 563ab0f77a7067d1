/*
 * publish — kigend's publisher: the thread that turns the database into
 * the next view (view.h), so that the loop thread never waits for a
 * publication.  The loop only asks (kg_publisher_request, microseconds);
 * this thread reads every milestone and measure through its own read-only
 * connection, in one read transaction (WAL: it neither waits for writers
 * nor blocks them), renders the feeds and the timeline, and hands the
 * view over to be swapped in.  Requests coalesce: while one publication
 * runs, a newer request replaces the one waiting, so a burst of imports
 * costs at most one publication more.  Until a new view is swapped in,
 * requests are served from the old one.
 */
#ifndef KG_PUBLISH_H
#define KG_PUBLISH_H

#include <stdint.h>

#include "err.h"
#include "view.h"

struct kg_publisher;

/* Takes v (a filled view) and makes it the one requests see; runs on the
 * publisher thread. */
typedef void kg_publish_fn(void *arg, struct kg_view *v);

struct kg_pool;

/* Opens db read-only and starts the thread.  publish(arg, view) receives
 * each new view.  The render threads of pool (borrowed; may be NULL) help
 * render feeds' parts.  -1 with err when the database cannot be opened. */
int kg_publisher_new(const char *db, struct kg_pool *pool, kg_publish_fn *publish, void *arg,
    struct kg_publisher **out, struct kg_err *err);

/* Stops the thread (a publication under way finishes first) and closes
 * its connection.  NULL is fine. */
void kg_publisher_free(struct kg_publisher *p);

/* Asks for a publication of the data as it is now with the configuration
 * of skeleton (kg_view_prepare; taken), data_version being what the loop
 * saw.  Replaces a request still waiting.  Never blocks on a publication. */
void kg_publisher_request(struct kg_publisher *p, struct kg_view *skeleton,
    int64_t data_version);

/* Waits until nothing is waiting or under way; returns the outcome of the
 * last publication (-1 with err when it failed).  For start-up, where
 * READY means "the feeds are rendered". */
int kg_publisher_wait(struct kg_publisher *p, struct kg_err *err);

#endif
