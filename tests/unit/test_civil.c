/* Unit tests for lib/civil: day numbers, validity, strict parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "civil.h"

static void
test_round_trip(void **state)
{
	static const struct { int y, m, d; kg_day day; } cases[] = {
		{1970, 1, 1, 0},
		{1969, 12, 31, -1},
		{2000, 2, 29, 11016},
		{2008, 12, 1, 14214},
		{2009, 3, 31, 14334},
		{1989, 1, 8, 6947},   /* 平成元年 starts */
		{2019, 5, 1, 18017},  /* 令和元年 starts */
		{1868, 1, 25, -37231},
	};
	size_t i;
	int y, m, d;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(kg_day_from_civil(cases[i].y, cases[i].m, cases[i].d), cases[i].day);
		kg_civil_from_day(cases[i].day, &y, &m, &d);
		assert_int_equal(y, cases[i].y);
		assert_int_equal(m, cases[i].m);
		assert_int_equal(d, cases[i].d);
	}
}

static void
test_validity(void **state)
{
	(void)state;
	assert_true(kg_date_valid(2008, 2, 29));
	assert_false(kg_date_valid(2009, 2, 29));
	assert_false(kg_date_valid(1900, 2, 29));
	assert_true(kg_date_valid(2000, 2, 29));
	assert_false(kg_date_valid(2009, 4, 31));
	assert_false(kg_date_valid(2009, 13, 1));
	assert_false(kg_date_valid(2009, 0, 1));
	assert_int_equal(kg_days_in_month(2009, 2), 28);
	assert_int_equal(kg_days_in_month(2012, 2), 29);
	assert_int_equal(kg_days_in_month(2009, 12), 31);
}

static void
test_parse(void **state)
{
	struct kg_err err;
	char buf[KG_DATE_LEN];
	kg_day d;

	(void)state;
	assert_int_equal(kg_date_parse("2008-12-01", &d, &err), 0);
	assert_string_equal(kg_date_format(d, buf), "2008-12-01");
	assert_int_equal(kg_date_parse("2009-02-30", &d, &err), -1);
	assert_string_equal(err.msg, "invalid date '2009-02-30' (day out of range)");
	assert_int_equal(kg_date_parse("2009-13-01", &d, &err), -1);
	assert_string_equal(err.msg, "invalid date '2009-13-01' (month out of range)");
	assert_int_equal(kg_date_parse("2009-1-01", &d, &err), -1);
	assert_int_equal(kg_date_parse("2009/01/01", &d, &err), -1);
	assert_int_equal(kg_date_parse("", &d, &err), -1);
	assert_int_equal(kg_date_parse("2009-01-01x", &d, &err), -1);
	assert_string_equal(kg_date_format(KG_DAY_NONE, buf), "");
}

static void
test_time_parse(void **state)
{
	static const char *const bad[] = {
		"2008-11-24T00:12:09", "2008-11-24 00:12:09Z", "2008-02-30T00:00:00Z",
		"2008-11-24T24:00:00Z", "2008-11-24T00:1:009Z", "", NULL,
	};
	char buf[KG_TIME_LEN];
	int64_t t;
	size_t i;

	(void)state;
	assert_int_equal(kg_time_parse("2008-11-24T00:12:09Z", &t), 0);
	assert_int_equal(t, 1227485529);
	assert_string_equal(kg_time_format(t, buf), "2008-11-24T00:12:09Z");
	assert_int_equal(kg_time_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kg_time_parse(bad[i], &t), -1);
}

static void
test_months_and_fiscal(void **state)
{
	kg_day d = kg_day_from_civil(2009, 2, 14);

	(void)state;
	assert_int_equal(kg_month_first(d), kg_day_from_civil(2009, 2, 1));
	assert_int_equal(kg_month_last(d), kg_day_from_civil(2009, 2, 28));
	assert_int_equal(kg_fiscal_year(d), 2008);
	assert_int_equal(kg_fiscal_year(kg_day_from_civil(2008, 4, 1)), 2008);
	assert_int_equal(kg_fiscal_year(kg_day_from_civil(2008, 3, 31)), 2007);
	assert_int_equal(kg_weekday(kg_day_from_civil(2008, 12, 1)), 0); /* Monday */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_months_and_fiscal),
	};
	return cmocka_run_group_tests_name("civil", tests, NULL, NULL);
}
