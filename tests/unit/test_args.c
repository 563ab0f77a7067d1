/* Unit tests for daemon/args: the query arguments of feeds, the API and the
 * pages, table-driven — each row a query, whether it is accepted, what it
 * set or the message of its 400. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* Feeds key=value pairs ("k=v&k2=v2", no percent-decoding) into a; the
 * token stays borrowed from a static buffer until the next call. */
static void
feed(struct kg_args *a, const char *query)
{
	static char buf[512];
	char *p, *save = NULL, *eq;

	strcpy(buf, query);
	for (p = strtok_r(buf, "&", &save); p != NULL; p = strtok_r(NULL, "&", &save)) {
		eq = strchr(p, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (!kg_args_add(a, p, eq))
			break;
	}
}

static void
test_values(void **state)
{
	struct kg_args a = {0};

	(void)state;
	feed(&a, "owner=総務省&owner=内閣官房&kind=exercise&status=done&measure=12&view=todo"
	    "&span=window&days=14&as_of=2008-11-24&q=演習&from=2008-04-01&to=2009-03-31"
	    "&group=owner&page=3&token=tok");
	assert_string_equal(a.bad, "");
	assert_int_equal(a.filter.owners.n, 2);
	assert_string_equal(a.filter.owners.v[1], "内閣官房");
	assert_int_equal(a.filter.kinds.n, 1);
	assert_int_equal(a.filter.statuses.n, 1);
	assert_string_equal(a.filter.measures.v[0], "12");
	assert_int_equal(a.view, KG_FEED_TODOS);
	assert_int_equal(a.span, KG_SPAN_WINDOW);
	assert_int_equal(a.days, 14);
	assert_int_equal(a.as_of, kg_day_from_civil(2008, 11, 24));
	assert_string_equal(a.q, "演習");
	assert_int_equal(a.from, kg_day_from_civil(2008, 4, 1));
	assert_int_equal(a.to, kg_day_from_civil(2009, 3, 31));
	assert_int_equal(a.group, KG_GROUP_OWNER);
	assert_int_equal(a.page, 3);
	assert_string_equal(a.token, "tok");
	assert_int_equal(a.given, KG_ARG_FILTER | KG_ARG_VIEW | KG_ARG_SPAN | KG_ARG_DAYS |
	    KG_ARG_AS_OF | KG_ARG_Q | KG_ARG_FROM | KG_ARG_TO | KG_ARG_GROUP | KG_ARG_PAGE);
	kg_args_clear(&a);
	assert_int_equal(a.given, 0);
	assert_null(a.q);

	/* Empty values, as an empty form sends them, are not given. */
	feed(&a, "q=&owner=&kind=&status=&measure=&from=&to=&as_of=&days=&page=&group=&span="
	    "&view=");
	assert_string_equal(a.bad, "");
	assert_null(a.q);
	assert_int_equal(a.given, 0);
	assert_int_equal(a.filter.owners.n, 0);
	kg_args_clear(&a);
}

static void
test_bad(void **state)
{
	static const struct {
		const char *query, *bad;
	} rows[] = {
		{"kind=nonsense", "invalid kind 'nonsense'"},
		{"status=late", "invalid status 'late'"},
		{"measure=0", "invalid measure '0'"},
		{"measure=3x", "invalid measure '3x'"},
		{"view=list", "invalid view 'list' (event or todo)"},
		{"span=week", "invalid span 'week' (deadline or window)"},
		{"group=kind", "invalid group 'kind' (measure or owner)"},
		{"days=-3", "invalid days '-3' (0..3660)"},
		{"days=3661", "invalid days '3661' (0..3660)"},
		{"page=0", "invalid page '0' (1..100000)"},
		{"as_of=2009-02-30", "invalid as_of '2009-02-30' (expected YYYY-MM-DD)"},
		{"from=today", "invalid from 'today' (expected YYYY-MM-DD)"},
		{"color=red", "unknown parameter 'color'"},
		{"owner=a&color=red&kind=x", "unknown parameter 'color'"},
		{"kind=x&days=1", "invalid kind 'x'"},  /* the first problem */
		{"a=1&a=1&a=1", "unknown parameter 'a'"},
	};
	struct kg_args a = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		feed(&a, rows[i].query);
		assert_string_equal(a.bad, rows[i].bad);
		kg_args_clear(&a);
	}
}

static void
test_limits(void **state)
{
	struct kg_args a = {0};
	char q[300];
	int i;

	(void)state;
	for (i = 0; i < KG_ARGS_MAX; i++)
		assert_true(kg_args_add(&a, "owner", "x"));
	assert_false(kg_args_add(&a, "owner", "x"));
	assert_string_equal(a.bad, "too many query parameters (at most 32)");
	kg_args_clear(&a);

	memset(q, 'a', sizeof(q) - 1);
	q[sizeof(q) - 1] = '\0';
	kg_args_add(&a, "q", q);
	assert_string_equal(a.bad, "q is too long (at most 200 bytes)");
	kg_args_clear(&a);

	/* A quoted value is cut at a character boundary, 60 bytes at most. */
	kg_args_add(&a, "kind", "演習演習演習演習演習演習演習演習演習演習演習演習");
	assert_string_equal(a.bad, "invalid kind '演習演習演習演習演習演習演習演習演習演習'");
	kg_args_clear(&a);
}

static void
test_only(void **state)
{
	static const struct {
		const char *query;
		unsigned allowed;
		const char *bad; /* NULL: accepted */
	} rows[] = {
		{"owner=x&as_of=2008-09-30", KG_ARG_FILTER | KG_ARG_AS_OF, NULL},
		{"days=3", KG_ARG_FILTER, "unknown parameter 'days'"},
		{"view=todo", KG_ARG_FILTER | KG_ARG_AS_OF, "unknown parameter 'view'"},
		{"status=done&kind=report", KG_ARG_AS_OF, "unknown parameter 'status'"},
		{"q=x&span=window", KG_ARG_Q, "unknown parameter 'span'"},
		{"token=t", 0, NULL},             /* a token is never a parameter */
		{"", 0, NULL},
	};
	struct kg_args a = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		feed(&a, rows[i].query);
		assert_string_equal(a.bad, "");
		assert_int_equal(kg_args_only(&a, rows[i].allowed), rows[i].bad == NULL);
		assert_string_equal(a.bad, rows[i].bad != NULL ? rows[i].bad : "");
		kg_args_clear(&a);
	}
}

/* Canonical text: the same meaning, the same text; a different one,
 * another; the token never in it. */
static void
test_canonical(void **state)
{
	static const struct {
		const char *a, *b;
		bool same;
	} rows[] = {
		{"kind=report&kind=exercise", "kind=exercise&kind=report", true},
		{"kind=report&kind=report", "kind=report", true},
		{"owner=x&kind=report", "kind=report&owner=x", true},
		{"owner=x&token=one", "owner=x&token=two", true},
		{"owner=x", "owner=y", false},
		{"owner=x", "measure=1", false},
		{"owner=x&owner=y", "owner=x", false},
		{"view=todo", "", false},
		{"view=event", "", false},     /* given or not: a handler may tell */
		{"days=3", "days=4", false},
		{"as_of=2008-09-30", "as_of=2008-10-01", false},
		{"q=a", "q=b", false},
	};
	struct kg_args a = {0};
	char *x, *y;
	size_t i, xn, yn;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		feed(&a, rows[i].a);
		x = kg_args_canonical(&a, &xn);
		kg_args_clear(&a);
		feed(&a, rows[i].b);
		y = kg_args_canonical(&a, &yn);
		kg_args_clear(&a);
		assert_non_null(x);
		assert_non_null(y);
		if ((xn == yn && memcmp(x, y, xn) == 0) != rows[i].same)
			fail_msg("'%s' vs '%s': want %s", rows[i].a, rows[i].b,
			    rows[i].same ? "the same" : "different");
		assert_null(strstr(x, "one"));
		free(x);
		free(y);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_canonical),
	};
	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
