/*
 * feeds — see feeds.h.
 */
#include "feeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* A rendition of a feed made on request: its view (kept alive), the feed,
 * the parameters of the request. */
struct feed_arg {
	struct kg_view *view;
	const struct kg_feed_entry *e;
	struct kg_feed_params p;   /* strings point into the view, or filter */
	struct kg_filter filter;   /* the request's own */
};

static int
make_feed(void *arg, struct kg_rendered *r, struct kg_err *err)
{
	struct feed_arg *fa = arg;

	if (kg_rendered_feed(r, fa->view->milestones.v, fa->view->milestones.n, &fa->p, NULL,
	    fa->e->events.last_modified, fa->e->has_token, true, err) < 0)
		return kg_err_prefix(err, "feed '%s'", fa->e->name ? fa->e->name : "default");
	return 0;
}

static void
free_feed(void *arg)
{
	struct feed_arg *fa = arg;

	kg_view_unref(fa->view);
	kg_filter_clear(&fa->filter);
	free(fa);
}

/* The feed rq names: /feed.ics (no rest), or /feeds/NAME.ics; NULL when
 * there is no such feed. */
static struct kg_feed_entry *
feed_of(const struct kg_request *rq)
{
	char name[128];
	size_t n;

	if (rq->rest == NULL)
		return kg_view_feed(rq->view, NULL);
	n = strlen(rq->rest);
	if (n <= 4 || n >= sizeof(name) + 4 || strcmp(rq->rest + n - 4, ".ics") != 0)
		return NULL;
	memcpy(name, rq->rest, n - 4);
	name[n - 4] = '\0';
	return kg_view_feed(rq->view, name);
}

bool
kg_feeds_access(struct kg_request *rq)
{
	const struct kg_feed_entry *e = feed_of(rq);

	/* An unknown feed and a wrong token look the same. */
	if (e == NULL || !kg_server_token_ok(e->has_token, e->token_digest, rq->token))
		return false;
	/* Filters on a public feed would reach a private feed's milestones. */
	if ((rq->args.given & KG_ARG_FILTER) && !e->has_token && rq->view->any_token)
		return false;
	return true;
}

enum MHD_Result
kg_feeds_serve(struct kg_request *rq)
{
	struct kg_feed_entry *e = feed_of(rq);
	const struct kg_args *a = &rq->args;
	enum kg_feed_span span = a->given & KG_ARG_SPAN ? a->span : e->params.span;
	struct kg_cache_spec spec = { .make = make_feed, .free_arg = free_feed };
	struct feed_arg *fa;
	char context[64];

	if (!kg_args_only(&rq->args, KG_ARG_FILTER | KG_ARG_VIEW | KG_ARG_SPAN))
		return kg_reply_error(rq, 400, rq->args.bad);
	if (!(a->given & KG_ARG_FILTER) && a->view == KG_FEED_EVENTS && span == e->params.span)
		return kg_reply_rendered(rq, &e->events);

	/* Another view, span or filter: made on request, once per view. */
	if ((fa = calloc(1, sizeof(*fa))) == NULL || kg_filter_copy(&fa->filter, &a->filter) < 0) {
		free(fa);
		return kg_reply_error(rq, 500, "out of memory");
	}
	fa->view = kg_view_ref(rq->view);
	fa->e = e;
	fa->p = e->params;
	fa->p.view = a->view;
	fa->p.span = span;
	fa->p.extra_filter = &fa->filter;
	spec.arg = fa;
	snprintf(context, sizeof(context), "%zu %d %d", (size_t)(e - rq->view->feeds),
	    (int)a->view, (int)span);
	if (kg_cache_key(&spec, "feed", context, a) < 0) {
		free_feed(fa);
		return kg_reply_error(rq, 500, "out of memory");
	}
	return kg_reply_cached(rq, &spec);
}
