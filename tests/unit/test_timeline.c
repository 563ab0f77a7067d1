/* Unit tests for lib/timeline: the date -> x geometry of the timeline page
 * (table-driven), clipping, the inverse, the month ticks and their labels
 * at three scales, and lanes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "timeline.h"

#define D(y, m, d) kg_day_from_civil(y, m, d)

static void
assert_near(double got, double want)
{
	if (fabs(got - want) > 1e-6)
		fail_msg("%.9f, want %.9f", got, want);
}

/* FY2008 (2008-04-01 .. 2009-03-31, 365 days) over 730 px from x0 = 10:
 * two pixels a day. */
static void
test_x(void **state)
{
	static const struct {
		int y, m, d;
		double want;
	} rows[] = {
		{2008, 4, 1, 10.0},                   /* the first day's left edge */
		{2008, 4, 2, 12.0},
		{2008, 12, 1, 10.0 + 244 * 2.0},      /* 平成20年12月１日: day 244 of FY2008 */
		{2009, 3, 31, 10.0 + 364 * 2.0},      /* the last day's left edge */
		{2009, 4, 1, 740.0},                  /* its right edge: x0 + width */
		{2008, 3, 31, 8.0},                   /* before the axis: the line goes on */
		{2010, 4, 1, 10.0 + 730 * 2.0},
	};
	struct kg_axis a;
	size_t i;

	(void)state;
	kg_axis_init(&a, D(2008, 4, 1), D(2009, 3, 31), 10.0, 730.0);
	assert_near(kg_axis_scale(&a), 2.0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		kg_day d = D(rows[i].y, rows[i].m, rows[i].d);

		assert_near(kg_axis_x(&a, d), rows[i].want);
		if (d >= a.from && d <= a.to)
			assert_int_equal(kg_axis_day(&a, kg_axis_x(&a, d)), d);
	}
	/* Within a day, x maps back to that day. */
	assert_int_equal(kg_axis_day(&a, 10.0 + 244 * 2.0 + 1.9), D(2008, 12, 1));
	assert_int_equal(kg_axis_day(&a, 9.5), D(2008, 3, 31));
	/* A backwards range is one day. */
	kg_axis_init(&a, D(2009, 1, 1), D(2008, 1, 1), 0, 100);
	assert_int_equal(a.to, a.from);
	assert_near(kg_axis_scale(&a), 100.0);
}

static void
test_clip(void **state)
{
	const struct {
		kg_day start, end;
		bool on;
		double x1, x2;
	} rows[] = {
		/* a day: exactly one day wide */
		{D(2008, 12, 1), D(2008, 12, 1), true, 10 + 244 * 2.0, 10 + 245 * 2.0},
		/* a month */
		{D(2009, 3, 1), D(2009, 3, 31), true, 10 + 334 * 2.0, 740},
		/* a range beyond both ends: the whole axis */
		{D(2005, 4, 1), D(2010, 3, 31), true, 10, 740},
		/* open-ended: to the axis' end */
		{D(2008, 10, 1), KG_DAY_NONE, true, 10 + 183 * 2.0, 740},
		/* no start: its end day */
		{KG_DAY_NONE, D(2008, 4, 1), true, 10, 12},
		/* outside */
		{D(2007, 4, 1), D(2008, 3, 31), false, 0, 0},
		{D(2009, 4, 1), D(2009, 4, 30), false, 0, 0},
		{D(2009, 4, 1), KG_DAY_NONE, false, 0, 0},
	};
	struct kg_axis a;
	double x1, x2;
	size_t i;

	(void)state;
	kg_axis_init(&a, D(2008, 4, 1), D(2009, 3, 31), 10.0, 730.0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(kg_axis_clip(&a, rows[i].start, rows[i].end, &x1, &x2), rows[i].on);
		if (!rows[i].on)
			continue;
		assert_near(x1, rows[i].x1);
		assert_near(x2, rows[i].x2);
	}
}

/* Labels follow the room a month has: every month, quarters, or Aprils. */
static void
test_ticks(void **state)
{
	static const struct {
		double width;          /* over FY2008, 365 days */
		const char *labelled;  /* months labelled, in order */
	} rows[] = {
		{1100, "4,5,6,7,8,9,10,11,12,1,2,3"},  /* 92 px a month */
		{200, "4,7,10,1"},                     /* 16.7 px: quarters */
		{60, "4"},                             /* 5 px: April only */
	};
	struct kg_tick t[20];
	struct kg_axis a;
	char got[64];
	size_t i, k, n;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		kg_axis_init(&a, D(2008, 4, 1), D(2009, 3, 31), 0, rows[i].width);
		n = kg_axis_ticks(&a, t, 20);
		assert_int_equal(n, 12);
		got[0] = '\0';
		for (k = 0; k < n; k++)
			if (t[k].label)
				snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%d",
				    got[0] ? "," : "", t[k].month);
		assert_string_equal(got, rows[i].labelled);
		assert_true(t[0].fiscal_year);
		assert_false(t[1].fiscal_year);
		assert_int_equal(t[8].day, D(2008, 12, 1));
		assert_near(t[8].x, kg_axis_x(&a, D(2008, 12, 1)));
	}
	/* A range starting mid-month marks the next month first; max bounds out. */
	kg_axis_init(&a, D(2008, 4, 15), D(2009, 3, 31), 0, 1000);
	n = kg_axis_ticks(&a, t, 3);
	assert_int_equal(n, 11);
	assert_int_equal(t[0].day, D(2008, 5, 1));
	assert_int_equal(t[2].month, 7);
}

static void
test_lanes(void **state)
{
	/* Bars by start: [0,10) [5,15) [12,20) [21,30) [0,100) */
	static const double x1[] = {12, 0, 5, 21, 0}, x2[] = {20, 10, 15, 30, 100};
	int lane[5];
	size_t order[5];

	(void)state;
	assert_int_equal(kg_lanes(x1, x2, 5, 1.0, 8, lane, order), 3);
	/* In order of x1 (ties by index): 1 [0,10) lane 0; 4 [0,100) lane 1;
	 * 2 [5,15) lane 2; 0 [12,20) lane 0 (10 + 1 <= 12); 3 [21,30) lane 0. */
	assert_int_equal(lane[1], 0);
	assert_int_equal(lane[4], 1);
	assert_int_equal(lane[2], 2);
	assert_int_equal(lane[0], 0);
	assert_int_equal(lane[3], 0);
	/* A gap of 3 px keeps [12,20) off lane 0 (10 + 3 > 12) and lane 2
	 * (ends at 15): a lane of its own. */
	assert_int_equal(kg_lanes(x1, x2, 5, 3.0, 8, lane, order), 4);
	assert_int_equal(lane[0], 3);
	/* At most two lanes: the last takes what fits nowhere. */
	assert_int_equal(kg_lanes(x1, x2, 5, 1.0, 2, lane, order), 2);
	assert_int_equal(lane[2], 1);
	assert_int_equal(kg_lanes(x1, x2, 0, 1.0, 2, lane, order), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_lanes),
	};
	return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
