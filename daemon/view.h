/*
 * view — what HTTP requests read: the milestones, the measures and every
 * configured feed already rendered, immutable once published (but for its
 * cache of renditions made on request, cache.h).
 * Requests hold a reference, so the next view can be published while old
 * requests finish; nothing here touches SQLite.
 *
 * A view is built in two steps on two threads: kg_view_prepare copies what
 * it needs of the configuration (in the loop thread, which owns it; a
 * reload frees the old one at once), kg_view_fill takes the data and
 * renders (in the publisher thread, publish.h).  Nothing in a view points
 * into a configuration.
 */
#ifndef KG_VIEW_H
#define KG_VIEW_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf.h"
#include "err.h"
#include "feed.h"
#include "hash.h"
#include "model.h"
#include "cache.h"
#include "rendition.h"
#include "store.h"

struct kg_feedparts;
struct kg_pool;
struct kg_web;

/* A feed: /feed.ics (name NULL) or a [feed:NAME] section at /feeds/NAME.ics. */
struct kg_feed_entry {
	char *name;                /* NULL: the default feed */
	char *calname;
	bool has_token;            /* its own token, else [http] feed_token */
	unsigned char token_digest[KG_SHA256_LEN];
	struct kg_filter filter;
	struct kg_feed_params params; /* strings point into the view */
	/* The events view, rendered by the publication in parts the next one
	 * reuses (feedparts.h).  Its todo view and any other span or filter
	 * are renditions made on request (cache.h): few clients want them. */
	struct kg_rendered events;
	struct kg_feedparts *parts;
};

struct kg_view {
	atomic_int refs;
	struct kg_milestone_list milestones; /* the store's order, by due date */
	struct kg_measure_list measures;
	int64_t data_version;
	int64_t published_at;
	struct kg_zone *zone;   /* a reference of its own: outlives reloads */
	int *lead_days;
	char *base_url;
	bool has_token;            /* [http] feed_token: protects the API too */
	unsigned char token_digest[KG_SHA256_LEN];
	bool any_token;            /* some feed is private: the API and ad-hoc
	                              filters need a token (server.h, feeds.h) */
	struct kg_strv allowed_hosts; /* Host headers answered (hosts.h) */
	int64_t stall_limit_ms;    /* /healthz: the loop's longest silence */
	struct kg_feed_entry *feeds; /* [0] is /feed.ics */
	size_t nfeeds;
	size_t by_status[KG_STATUS_COUNT];
	struct kg_web *web;        /* the pages' data and renditions (web.h) */
	double render_seconds;     /* how long rendering every feed and page took */
	double feeds_seconds;      /* ... of which the feeds */
	struct kg_cache *cache;    /* renditions made on request of this data */
	/* A view filled from the one before it (kg_view_fill_delta) shares
	 * the strings of the rows that did not change, and the measures, with
	 * it until kg_view_hand_over.  Which rows' strings a view frees: all
	 * (owned NULL) or those with owned[i] set.  Written by the publisher
	 * only, read by the last unref only: requests never look. */
	unsigned char *owned;
	bool measures_shared;      /* its measures' strings are another view's */
	unsigned char *prev_keep;  /* the owned[] of the view before, once this
	                              one takes over (kg_view_hand_over) */
	/* The view that took over the strings this one shares (hand-over), of
	 * which this one holds a reference: a render job may keep an old view
	 * through several publications, and its rows must outlive it. */
	struct kg_view *heir;
	/* The publication that made it (publish.c): load + fill. */
	double publication_seconds;
	size_t milestones_read;    /* rows read from the database for it */
};

/* A new view (one reference) without data: what it needs of c, copied.
 * Cheap (no rendering).  -1 with err on ENOMEM. */
int kg_view_prepare(const struct kg_conf *c, struct kg_view **out, struct kg_err *err);

/*
 * Fills a prepared view: takes the contents of milestones and measures
 * (they are left empty), renders every configured feed and the pages'
 * timeline; slips (kg_store_slipped, read; NULL: none) give the timeline
 * its moved windows.  prev (may be NULL) is the view it replaces, for
 * Last-Modified and for the parts of its feeds that did not change
 * (feedparts.h); the render threads of pool (may be NULL) help render
 * the others.  -1 with err on failure (an unknown time zone, ENOMEM); v
 * is then only fit to unref.
 */
int kg_view_fill(struct kg_view *v, struct kg_milestone_list *milestones,
    struct kg_measure_list *measures, const struct kg_change_list *slips,
    int64_t data_version, const struct kg_view *prev, struct kg_pool *pool,
    struct kg_err *err);

/*
 * Fills v with the data of prev, the view published last, and the
 * milestones written since (kg_store_milestones_since): ids (ascending)
 * every milestone written, changed (taken, left empty) those of them still
 * listed, in the store's order.  The result is the list a full read would
 * give: prev's rows but those in ids, merged with changed.  Unchanged
 * rows and the measures share their strings with prev; once v is
 * published, kg_view_hand_over(prev, v) makes them v's.  Else as
 * kg_view_fill (slips: the moved windows, unchanged since prev).
 */
int kg_view_fill_delta(struct kg_view *v, const struct kg_view *prev,
    struct kg_milestone_list *changed, const struct kg_id_list *ids,
    const struct kg_change_list *slips, int64_t data_version, struct kg_pool *pool,
    struct kg_err *err);

/* v, filled by kg_view_fill_delta from prev, takes over the strings it
 * shares: prev keeps only its rows that changed, and a reference to v (its
 * heir), so what it shares lives as long as it does.  The publisher calls it
 * once v is filled, before anyone else can drop prev's last reference. */
void kg_view_hand_over(struct kg_view *prev, struct kg_view *v);

/* Would a view under c render?  Prepares and fills one without data: what
 * a reload tries before it commits to c (a zone libical does not know, for
 * one).  -1 with err when not. */
int kg_view_check_conf(const struct kg_conf *c, struct kg_err *err);

/* Takes a reference (thread-safe); returns v. */
struct kg_view *kg_view_ref(struct kg_view *v);

/* Drops a reference (thread-safe), freeing v with the last; NULL is fine. */
void kg_view_unref(struct kg_view *v);

/* The feed called name (NULL: /feed.ics) in v, or NULL. */
struct kg_feed_entry *kg_view_feed(const struct kg_view *v, const char *name);

/* The milestone ref names in v — its id in decimal or its full UID — or
 * NULL.  Linear in the milestones (about 0.1 ms at 10^5). */
const struct kg_milestone *kg_view_milestone(const struct kg_view *v, const char *ref);

/* The measure of id in v, or NULL. */
const struct kg_measure *kg_view_measure(const struct kg_view *v, int64_t id);

#endif
