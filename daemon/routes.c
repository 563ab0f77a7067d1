/*
 * routes — see routes.h.  The table is the one place that knows every
 * handler; matching is a linear scan, fine for a dozen rows.
 */
#include "routes.h"

#include <string.h>

#include "api.h"
#include "feeds.h"
#include "metrics.h"
#include "server.h"
#include "web.h"

const struct kg_route kg_routes[] = {
	{"GET", "/feed.ics", kg_feeds_serve, kg_feeds_access, "feed"},
	{"GET", "/feeds/*", kg_feeds_serve, kg_feeds_access, "named_feed"},
	{"GET", "/api/v1/milestones", kg_api_milestones, kg_server_token_access, "api"},
	{"GET", "/api/v1/milestones/*", kg_api_milestone, kg_server_token_access, "api"},
	{"GET", "/api/v1/upcoming", kg_api_upcoming, kg_server_token_access, "api"},
	{"GET", "/api/v1/measures", kg_api_measures, kg_server_token_access, "api"},
	{"GET", "/api/v1/measures/*", kg_api_measure, kg_server_token_access, "api"},
	{"GET", "/api/v1/*", kg_api_unknown, kg_server_token_access, "api"},
	{"GET", "/", kg_web_timeline, kg_server_token_access, "page"},
	{"GET", "/milestones/*", kg_web_milestone, kg_server_token_access, "page"},
	{"GET", "/measures/*", kg_web_measure, kg_server_token_access, "page"},
	{"GET", "/assets/*", kg_web_asset, kg_web_public, "asset"},
	{"GET", "/healthz", kg_metrics_healthz, NULL, "healthz"},
	{"GET", "/metrics", kg_metrics_serve, NULL, "metrics"},
};

const size_t kg_nroutes = sizeof(kg_routes) / sizeof(kg_routes[0]);

const struct kg_route *
kg_route_find(const struct kg_route *table, size_t n, const char *path, bool prefixed,
    const char **rest)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		if (prefixed && table[i].access == NULL)
			continue;
		len = strlen(table[i].pattern);
		if (len > 0 && table[i].pattern[len - 1] == '*') {
			if (strncmp(path, table[i].pattern, len - 1) != 0)
				continue;
			*rest = path + len - 1;
		} else if (strcmp(path, table[i].pattern) == 0)
			*rest = NULL;
		else
			continue;
		return &table[i];
	}
	return NULL;
}

bool
kg_route_allows(const struct kg_route *r, const char *method)
{
	if (strcmp(method, MHD_HTTP_METHOD_HEAD) == 0)
		method = MHD_HTTP_METHOD_GET;
	return strcmp(r->method, method) == 0;
}

bool
kg_route_any_allows(const struct kg_route *table, size_t n, const char *method)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kg_route_allows(&table[i], method))
			return true;
	return false;
}

size_t
kg_route_labels(const struct kg_route *table, size_t n, const char **names)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (kg_route_label_index(names, k + 1, table[i].label) == k)
			names[k++] = table[i].label;
	names[k++] = KG_ROUTE_OTHER;
	return k;
}

size_t
kg_route_label_index(const char *const *names, size_t count, const char *label)
{
	size_t i;

	for (i = 0; i + 1 < count; i++)
		if (strcmp(names[i], label) == 0)
			return i;
	return count - 1;
}

static enum MHD_Result
args_each(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	return kg_args_add(cls, key, value) ? MHD_YES : MHD_NO;
}

enum MHD_Result
kg_route_dispatch(struct kg_request *rq, const char *url)
{
	char path_token[256];
	const char *end;
	size_t n;

	if (strncmp(url, "/t/", 3) == 0) {
		end = strchr(url + 3, '/');
		n = end != NULL ? (size_t)(end - url - 3) : 0;
		if (end == NULL || n == 0 || n >= sizeof(path_token))
			return kg_reply_error(rq, 404, "not found");
		memcpy(path_token, url + 3, n);
		path_token[n] = '\0';
		rq->token = path_token;
		url = end;
	}
	rq->route = kg_route_find(kg_routes, kg_nroutes, url, rq->token != NULL, &rq->rest);
	if (rq->route == NULL)
		return kg_reply_error(rq, 404, "not found");
	rq->label = kg_route_label_index(rq->metrics->labels, rq->metrics->nlabels,
	    rq->route->label);
	if (!kg_route_allows(rq->route, rq->method))
		return kg_reply_text(rq, 405, "text/plain; charset=utf-8", "method not allowed\n",
		    19, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (rq->route->access != NULL) {
		MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, args_each, &rq->args);
		if (rq->token == NULL)
			rq->token = rq->args.token;
		if (!rq->route->access(rq))
			return kg_reply_error(rq, 404, "not found");
		if (rq->args.bad[0] != '\0')
			return kg_reply_error(rq, 400, rq->args.bad);
	}
	return rq->route->handler(rq);
}
