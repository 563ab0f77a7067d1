/*
 * args — the query arguments of feed, API and page requests, validated one
 * by one as libmicrohttpd hands them over:
 *
 *   owner= kind= status= measure=   filters (repeatable; values of one key
 *                                   OR'd, keys AND'd)
 *   view=event|todo                 the feed's view
 *   span=deadline|window            the feed's events: the deadline day, or
 *                                   the whole window (feed.h)
 *   days=N                          /api/v1/upcoming's window, 0..3660
 *   as_of=YYYY-MM-DD                the date taken as today (API, pages)
 *   q=TEXT                          free text over titles and sentences
 *   from= to=YYYY-MM-DD             the range a timeline shows
 *   group=measure|owner             rows of the timeline
 *   page=N                          a page of a long listing, 1..100000
 *   token=T                         the access token, when not in the path
 *
 * An empty value (owner=, from=: what the empty fields of a GET form send)
 * counts as not given.  Each handler says which of them it takes
 * (kg_args_only); the others are a 400 naming the first one given.  A zeroed struct is "nothing given";
 * a field holds a value only when its bit is in `given`.  Pure: no I/O, no
 * libmicrohttpd, so tests drive it with plain strings.
 */
#ifndef KG_ARGS_H
#define KG_ARGS_H

#include <stdbool.h>

#include "civil.h"
#include "feed.h"
#include "model.h"

#define KG_ARGS_MAX 32          /* query arguments per request */
#define KG_ARGS_DAYS_MAX 3660
#define KG_ARGS_Q_MAX 200       /* bytes of q= */
#define KG_ARGS_PAGE_MAX 100000

/* The parameters a request gave (bits of kg_args.given). */
enum {
	KG_ARG_FILTER = 1 << 0,     /* owner, kind, status, measure */
	KG_ARG_VIEW = 1 << 1,
	KG_ARG_SPAN = 1 << 2,
	KG_ARG_DAYS = 1 << 3,
	KG_ARG_AS_OF = 1 << 4,
	KG_ARG_Q = 1 << 5,
	KG_ARG_FROM = 1 << 6,
	KG_ARG_TO = 1 << 7,
	KG_ARG_GROUP = 1 << 8,
	KG_ARG_PAGE = 1 << 9,
	KG_ARG_COUNT_ = 10
};

enum kg_group { KG_GROUP_MEASURE, KG_GROUP_OWNER };

struct kg_args {
	struct kg_filter filter;
	unsigned given;             /* KG_ARG_* bits */
	enum kg_feed_view view;     /* KG_FEED_EVENTS unless view=todo */
	enum kg_feed_span span;     /* KG_SPAN_DEADLINE unless span=window */
	const char *token;          /* borrowed from the request; NULL: none */
	long days;
	kg_day as_of, from, to;
	char *q;                    /* owned */
	enum kg_group group;
	long page;
	int count;
	const char *first[KG_ARG_COUNT_]; /* the first key given of each bit */
	char bad[160];              /* the first problem, for a 400; "" when none */
};

/*
 * Adds key=value (value NULL: a key without '=').  Returns true to go on,
 * false once the request is bad: a->bad then says why ("unknown parameter
 * 'x'", "invalid kind 'x'", "too many query parameters (at most 32)").
 * value is borrowed for a->token only; other values are copied.
 */
bool kg_args_add(struct kg_args *a, const char *key, const char *value);

/*
 * The parameters a gave, the token aside, as one canonical text: two
 * requests that mean the same (values in another order, a value twice)
 * give the same text; the key of renditions made on request (cache.h).
 * New string of *len bytes (free it); NULL on ENOMEM.
 */
char *kg_args_canonical(const struct kg_args *a, size_t *len);

/* Whether a gave only parameters among the bits of allowed; if not, a->bad
 * names the first other one ("unknown parameter 'days'"). */
bool kg_args_only(struct kg_args *a, unsigned allowed);

/* Frees what a owns; a is then zeroed. */
void kg_args_clear(struct kg_args *a);

#endif
