/* Unit tests for daemon/routes: matching paths against a routing table
 * (exact and prefix patterns, first match, token prefixes), methods, and
 * the metrics labels — on a table of our own and on kigend's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "routes.h"

static enum MHD_Result
handler(struct kg_request *rq)
{
	(void)rq;
	return MHD_YES;
}

static bool
allow(struct kg_request *rq)
{
	(void)rq;
	return true;
}

static const struct kg_route table[] = {
	{"GET", "/healthz", handler, NULL, "healthz"},
	{"GET", "/feed.ics", handler, allow, "feed"},
	{"GET", "/feeds/*", handler, allow, "named_feed"},
	{"GET", "/api/v1/measures", handler, allow, "api"},
	{"GET", "/api/v1/*", handler, allow, "api"},
	{"POST", "/hooks/*", handler, allow, "hooks"},
};
#define N (sizeof(table) / sizeof(table[0]))

static void
test_find(void **state)
{
	static const struct {
		const char *path;
		bool prefixed;
		int row;            /* -1: none */
		const char *rest;   /* NULL: an exact pattern */
	} rows[] = {
		{"/healthz", false, 0, NULL},
		{"/healthz", true, -1, NULL},      /* public rows: not under /t/TOKEN/ */
		{"/healthz/", false, -1, NULL},
		{"/feed.ics", false, 1, NULL},
		{"/feed.ics", true, 1, NULL},
		{"/feed.icsx", false, -1, NULL},
		{"/feeds/soumu.ics", false, 2, "soumu.ics"},
		{"/feeds/", true, 2, ""},
		{"/feeds", false, -1, NULL},
		{"/api/v1/measures", false, 3, NULL}, /* the first match wins */
		{"/api/v1/upcoming", false, 4, "upcoming"},
		{"/api/v1/a/b", false, 4, "a/b"},
		{"/api/v2/x", false, -1, NULL},
		{"/", false, -1, NULL},
		{"", false, -1, NULL},
	};
	const struct kg_route *r;
	const char *rest;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		rest = "unset";
		r = kg_route_find(table, N, rows[i].path, rows[i].prefixed, &rest);
		if (rows[i].row < 0) {
			assert_null(r);
			continue;
		}
		assert_ptr_equal(r, &table[rows[i].row]);
		if (rows[i].rest == NULL)
			assert_null(rest);
		else
			assert_string_equal(rest, rows[i].rest);
	}
}

static void
test_methods(void **state)
{
	(void)state;
	assert_true(kg_route_allows(&table[0], "GET"));
	assert_true(kg_route_allows(&table[0], "HEAD"));
	assert_false(kg_route_allows(&table[0], "POST"));
	assert_true(kg_route_allows(&table[5], "POST"));
	assert_false(kg_route_allows(&table[5], "HEAD"));
	assert_true(kg_route_any_allows(table, N, "POST"));
	assert_false(kg_route_any_allows(table, N, "DELETE"));
	assert_false(kg_route_any_allows(table, N - 1, "POST"));
}

static void
test_labels(void **state)
{
	const char *names[N + 1];
	size_t n;

	(void)state;
	n = kg_route_labels(table, N, names);
	assert_int_equal(n, 6);
	assert_string_equal(names[0], "healthz");
	assert_string_equal(names[1], "feed");
	assert_string_equal(names[2], "named_feed");
	assert_string_equal(names[3], "api");
	assert_string_equal(names[4], "hooks");
	assert_string_equal(names[5], KG_ROUTE_OTHER);
	assert_int_equal(kg_route_label_index(names, n, "api"), 3);
	assert_int_equal(kg_route_label_index(names, n, "nosuch"), n - 1);
}

/* kigend's own table: what /metrics and the integration tests rely on. */
static void
test_kigend_table(void **state)
{
	const char *names[32];
	const struct kg_route *r;
	const char *rest;
	size_t n;

	(void)state;
	assert_true(kg_nroutes < 31);
	n = kg_route_labels(kg_routes, kg_nroutes, names);
	assert_int_equal(n, 8);
	assert_string_equal(names[0], "feed");
	assert_string_equal(names[3], "page");
	assert_string_equal(names[4], "asset");
	assert_string_equal(names[7], KG_ROUTE_OTHER);
	/* The timeline is "/" exactly, under a token prefix too; pages and
	 * assets take the rest of their paths. */
	r = kg_route_find(kg_routes, kg_nroutes, "/", true, &rest);
	assert_non_null(r);
	assert_string_equal(r->label, "page");
	assert_null(rest);
	r = kg_route_find(kg_routes, kg_nroutes, "/milestones/23.ics", false, &rest);
	assert_string_equal(r->label, "page");
	assert_string_equal(rest, "23.ics");
	r = kg_route_find(kg_routes, kg_nroutes, "/assets/style.css", true, &rest);
	assert_string_equal(r->label, "asset");
	assert_string_equal(rest, "style.css");
	assert_null(kg_route_find(kg_routes, kg_nroutes, "/milestones", false, &rest));
	r = kg_route_find(kg_routes, kg_nroutes, "/feeds/a.ics", true, &rest);
	assert_non_null(r);
	assert_string_equal(r->label, "named_feed");
	assert_string_equal(rest, "a.ics");
	assert_null(kg_route_find(kg_routes, kg_nroutes, "/metrics", true, &rest));
	r = kg_route_find(kg_routes, kg_nroutes, "/metrics", false, &rest);
	assert_non_null(r);
	assert_null(r->access);
	assert_false(kg_route_any_allows(kg_routes, kg_nroutes, "POST"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_kigend_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
