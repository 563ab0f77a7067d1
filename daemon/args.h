/*
 * args — the query arguments of feed and API requests, validated one by
 * one as libmicrohttpd hands them over:
 *
 *   owner= kind= status= measure=   filters (repeatable; values of one key
 *                                   OR'd, keys AND'd)
 *   view=event|todo                 the feed's view
 *   days=N                          /api/v1/upcoming's window, 0..3660
 *   token=T                         the access token, when not in the path
 *
 * Pure: no I/O, no libmicrohttpd, so tests drive it with plain strings.
 */
#ifndef KG_ARGS_H
#define KG_ARGS_H

#include <stdbool.h>

#include "feed.h"
#include "model.h"

#define KG_ARGS_MAX 32          /* query arguments per request */
#define KG_ARGS_DAYS_MAX 3660

struct kg_args {
	struct kg_filter filter;
	bool has_filter;            /* any filter argument was given */
	enum kg_feed_view view;     /* KG_FEED_EVENTS unless view=todo */
	const char *token;          /* borrowed from the request; NULL: none */
	long days;
	bool has_days;
	int count;
	char bad[160];              /* the first problem, for a 400; "" when none */
};

/*
 * Adds key=value (value NULL: a key without '=').  Returns true to go on,
 * false once the request is bad: a->bad then says why ("unknown parameter
 * 'x'", "invalid kind 'x'", "too many query parameters (at most 32)").
 * value is borrowed for a->token only; filter values are copied.
 */
bool kg_args_add(struct kg_args *a, const char *key, const char *value);

/* Frees the filter's strings; a is then zeroed. */
void kg_args_clear(struct kg_args *a);

#endif
