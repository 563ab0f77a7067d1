/*
 * routes — what kigend serves, as data: one row per path pattern with the
 * method it answers, who may ask, the handler, and the label its requests
 * are counted under in /metrics.  A new page or endpoint is a new row (and
 * its handler in its own file); the server (server.c) does the rest.
 *
 *   GET /feed.ics, /feeds/NAME.ics        feeds.h  (the feed's token)
 *   GET /api/v1/milestones[/ID]|upcoming|measures[/ID]
 *                                         api.h  ([http] feed_token)
 *   GET /, /milestones/ID[.ics], /measures/ID   web.h  (as the API)
 *   GET /assets/NAME                      web.h  (public, token prefix or not)
 *   GET /healthz, /metrics                metrics.h  (public)
 *
 * Patterns are an exact path, or a prefix ending in '*' that matches any
 * rest (even empty); the first matching row wins.  Rows with an access
 * rule may also be reached under a /t/TOKEN/ prefix, public rows may not.
 * HEAD is answered wherever GET is (libmicrohttpd drops the body).
 */
#ifndef KG_ROUTES_H
#define KG_ROUTES_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

struct kg_request;

typedef enum MHD_Result kg_route_handler(struct kg_request *rq);

/* May rq be answered?  Runs before the handler, after the query arguments
 * were read; a refusal is a 404, the same as an unknown path. */
typedef bool kg_route_access(struct kg_request *rq);

struct kg_route {
	const char *method;        /* "GET" */
	const char *pattern;       /* exact, or a prefix and a final star */
	kg_route_handler *handler;
	kg_route_access *access;   /* NULL: public, no query arguments read */
	const char *label;         /* kigend_http_requests_total{route=...} */
};

/* The table, in matching order. */
extern const struct kg_route kg_routes[];
extern const size_t kg_nroutes;

/* The label of requests no row matches. */
#define KG_ROUTE_OTHER "other"

/*
 * The first row of table[0..n) whose pattern matches path (and that may be
 * reached under a token prefix when prefixed); *rest is what the pattern's
 * '*' matched (maybe ""), NULL for an exact pattern.  NULL when none.  The method is not
 * matched here: see kg_route_allows.
 */
const struct kg_route *kg_route_find(const struct kg_route *table, size_t n,
    const char *path, bool prefixed, const char **rest);

/* Does row r answer method (HEAD counts as GET)? */
bool kg_route_allows(const struct kg_route *r, const char *method);

/* Does any row of table[0..n) answer method?  (Others get a 405 at once,
 * before libmicrohttpd reads a body nobody wants.) */
bool kg_route_any_allows(const struct kg_route *table, size_t n, const char *method);

/* The distinct labels of table[0..n) in order of first appearance, then
 * KG_ROUTE_OTHER: names[0..return).  names holds at least n + 1. */
size_t kg_route_labels(const struct kg_route *table, size_t n, const char **names);

/* The index of label in names[0..count) (kg_route_labels), or count - 1
 * (other) when absent. */
size_t kg_route_label_index(const char *const *names, size_t count, const char *label);

/*
 * Answers rq (its view, method and metrics set; url checked by the server)
 * through kg_routes: takes off a /t/TOKEN/ prefix (rq->token), finds the
 * row (404), sets rq->route, rq->rest and rq->label, checks the method
 * (405), reads the query arguments into rq->args when the row has an
 * access rule, asks the rule (a refusal: 404), refuses bad arguments (400)
 * and runs the handler.  rq->token may point into this call's stack: it
 * is valid until the handler returns.
 */
enum MHD_Result kg_route_dispatch(struct kg_request *rq, const char *url);

#endif
