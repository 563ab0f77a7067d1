/*
 * feeds — see feeds.h.
 */
#include "feeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cache.h"
#include "log.h"
#include "server.h"

bool
kg_feeds_accepts_gzip(const char *ae)
{
	const char *p = ae;

	while (p != NULL && *p != '\0') {
		size_t n;
		const char *q, *end = strchr(p, ',');

		p += strspn(p, " \t");
		n = strcspn(p, ";, \t");
		if (n == 4 && strncasecmp(p, "gzip", 4) == 0) {
			q = strstr(p, "q=");
			if (q == NULL || (end != NULL && q > end))
				return true;
			return strtod(q + 2, NULL) > 0;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return false;
}

bool
kg_feeds_etag_listed(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;

	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static int64_t
parse_http_date(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return (int64_t)timegm(&tm);
}

/* 304 when the client's validators match (If-None-Match wins over
 * If-Modified-Since, RFC 9110 13.2.2). */
static bool
not_modified(const struct kg_request *rq, const char *etag, int64_t last_modified)
{
	const char *inm = kg_request_header(rq, MHD_HTTP_HEADER_IF_NONE_MATCH);
	const char *ims;
	int64_t since;

	if (inm != NULL)
		return kg_feeds_etag_listed(inm, etag);
	ims = kg_request_header(rq, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (ims == NULL || last_modified <= 0)
		return false;
	since = parse_http_date(ims);
	return since >= 0 && last_modified <= since;
}

bool
kg_feeds_wants_gzip(const struct kg_request *rq)
{
	const char *ae = kg_request_header(rq, MHD_HTTP_HEADER_ACCEPT_ENCODING);

	return ae != NULL && kg_feeds_accepts_gzip(ae);
}

enum MHD_Result
kg_feeds_reply_made(struct kg_request *rq, int rc, struct kg_rendered *r,
    const struct kg_err *err, const char *what)
{
	enum MHD_Result ret;

	if (rc < 0) {
		log_err("%s: %s", what, err->msg);
		ret = kg_reply_error(rq, 500, "cannot render the response");
	} else
		ret = kg_feeds_reply(rq, r);
	kg_rendered_release(r);
	return ret;
}

enum MHD_Result
kg_feeds_reply(struct kg_request *rq, const struct kg_rendered *r)
{
	const struct kg_rendition *rd = kg_feeds_wants_gzip(rq) && r->gzip.full[0] != NULL ?
	    &r->gzip : &r->plain;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (not_modified(rq, rd->etag, r->last_modified))
		return kg_reply(rq, 304, kg_rendition_not_modified(rd));
	if ((resp = kg_rendition_full(rd)) != NULL)
		return kg_reply(rq, 200, resp);
	if ((resp = kg_rendition_inflating(r, rd)) == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	ret = kg_reply(rq, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A rendition of a feed made on request (cache.h): its view (kept alive),
 * the feed, the parameters of the request. */
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

	if (kg_rendered_make(r, fa->view->milestones.v, fa->view->milestones.n, &fa->p, NULL,
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
		return kg_feeds_reply(rq, &e->events);

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
