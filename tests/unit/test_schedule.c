/* Unit tests for lib/schedule: fire times (Tokyo and DST zones), the
 * catch-up classification, and the plan across clock steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "zone.h"

static const int leads[] = {30, 7, 1, 0};
static const int overdue[] = {7, 14};

/* Zones by name, loaded once and freed by the group's teardown. */
static struct kg_zone *zones[8];
static size_t nzones;

static const struct kg_zone *
zone(const char *name)
{
	struct kg_err err;
	size_t i;

	for (i = 0; i < nzones; i++)
		if (strcmp(kg_zone_name(zones[i]), name) == 0)
			return zones[i];
	assert_true(nzones < 8);
	if (kg_zone_load(name, &zones[nzones], &err) < 0)
		fail_msg("%s", err.msg);
	return zones[nzones++];
}

static int
free_zones(void **state)
{
	(void)state;
	while (nzones > 0)
		kg_zone_free(zones[--nzones]);
	return 0;
}

static void
tokyo(struct kg_schedule *s, int64_t catch_up_s)
{
	memset(s, 0, sizeof(*s));
	s->lead_days = leads;
	s->nlead = 4;
	s->overdue_days = overdue;
	s->noverdue = 2;
	s->at_minute = 9 * 60;
	s->catch_up_s = catch_up_s;
	s->zone = zone("Asia/Tokyo");
}

static kg_day
day(int y, int m, int d)
{
	return kg_day_from_civil(y, m, d);
}

static void
test_fire_times(void **state)
{
	static const struct {
		const char *tz;
		int y, m, d, offset, minute;
		int64_t at;
	} cases[] = {
		/* The 2008-12-01 exercise at 09:00 JST. */
		{"Asia/Tokyo", 2008, 12, 1, 30, 540, 1225497600},
		{"Asia/Tokyo", 2008, 12, 1, 7, 540, 1227484800},
		{"Asia/Tokyo", 2008, 12, 1, 1, 540, 1228003200},
		{"Asia/Tokyo", 2008, 12, 1, 0, 540, 1228089600},
		{"Asia/Tokyo", 2008, 12, 1, -7, 540, 1228694400},
		/* New York left DST on 2008-11-02: 09:00 local on both sides. */
		{"America/New_York", 2008, 11, 3, 1, 540, 1225634400},
		{"America/New_York", 2008, 11, 3, 2, 540, 1225544400},
		{"America/New_York", 2008, 11, 3, 7, 540, 1225112400},
		/* Berlin entered DST on 2009-03-29. */
		{"Europe/Berlin", 2009, 3, 30, 1, 540, 1238310000},
		{"Europe/Berlin", 2009, 3, 30, 2, 540, 1238227200},
	};
	struct kg_schedule s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tokyo(&s, 86400);
		s.zone = zone(cases[i].tz);
		s.at_minute = cases[i].minute;
		assert_int_equal(kg_schedule_fire_time(&s, day(cases[i].y, cases[i].m, cases[i].d),
		    cases[i].offset), cases[i].at);
	}
	/* A lead reminder is stale after its deadline day; overdue ones are not. */
	tokyo(&s, 86400);
	assert_int_equal(kg_schedule_expires_at(&s, day(2008, 12, 1), 7), 1228143600);
	assert_int_equal(kg_schedule_expires_at(&s, day(2008, 12, 1), -7), INT64_MAX);
	assert_string_equal(kg_schedule_event_type(0), "milestone.reminder");
	assert_string_equal(kg_schedule_event_type(-7), "milestone.overdue");
}

static void
test_classify(void **state)
{
	static const struct {
		int64_t catch_up, delta; /* now - at */
		enum kg_fire_state want;
	} cases[] = {
		{86400, -1, KG_FIRE_FUTURE},
		{86400, 0, KG_FIRE_DUE},
		{86400, KG_SCHEDULE_GRACE_S, KG_FIRE_DUE},
		{86400, KG_SCHEDULE_GRACE_S + 1, KG_FIRE_LATE},
		{86400, 86400, KG_FIRE_LATE},
		{86400, 86401, KG_FIRE_EXPIRED},
		/* No catch-up: only the grace period. */
		{0, 30, KG_FIRE_DUE},
		{0, KG_SCHEDULE_GRACE_S + 1, KG_FIRE_EXPIRED},
	};
	struct kg_schedule s;
	size_t i;
	const int64_t at = 1227484800;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tokyo(&s, cases[i].catch_up);
		assert_int_equal(kg_schedule_classify(&s, at, at + cases[i].delta), cases[i].want);
	}
}

static void
test_wants(void **state)
{
	struct kg_milestone m = {0};

	(void)state;
	m.window_end = day(2008, 12, 1);
	m.status = KG_STATUS_PLANNED;
	assert_true(kg_schedule_wants(&m));
	m.status = KG_STATUS_ONGOING;
	assert_true(kg_schedule_wants(&m));
	m.status = KG_STATUS_DONE;
	assert_false(kg_schedule_wants(&m));
	m.status = KG_STATUS_CANCELLED;
	assert_false(kg_schedule_wants(&m));
	m.status = KG_STATUS_PLANNED;
	m.window_end = KG_DAY_NONE; /* open end: nothing to count down to */
	assert_false(kg_schedule_wants(&m));
	m.window_end = day(2008, 12, 1);
	m.gone = true; /* the newest edition of its plan no longer lists it */
	assert_false(kg_schedule_wants(&m));
}

#define FAR INT64_MAX

static void
test_plan(void **state)
{
	struct kg_deadline l[] = {
		{1, 0}, /* 2008-12-01, set below */
		{5, 0}, /* 2008-11-30 */
	};
	struct kg_schedule s;
	struct kg_plan p = {0};
	const struct kg_fire *f;
	struct kg_err err;
	int64_t now = 1227484800 - 10; /* 2008-11-24 08:59:50 JST */

	(void)state;
	l[0].deadline = day(2008, 12, 1);
	l[1].deadline = day(2008, 11, 30);
	tokyo(&s, 86400);
	assert_int_equal(kg_plan_build(&p, &s, l, 2, now, FAR, &err), 0);
	/* Milestone 1: 7d, 1d, 0d, -7, -14 (30d expired long ago); milestone 5:
	 * 7d (11-23 09:00, missed by a day less 10 s: still within catch-up),
	 * 1d, 0d, -7, -14. */
	assert_int_equal(p.n, 10);
	assert_int_equal(kg_plan_take_due(&p, now, 100, &f), 1);
	assert_int_equal(f[0].milestone_id, 5);
	assert_int_equal(f[0].offset_days, 7);
	assert_int_equal(kg_schedule_classify(&s, f[0].at, now), KG_FIRE_LATE);
	assert_int_equal(kg_plan_next_at(&p), 1227484800);
	assert_int_equal(kg_plan_take_due(&p, now, 100, &f), 0);

	now += 15;
	assert_int_equal(kg_plan_take_due(&p, now, 100, &f), 1);
	assert_int_equal(f[0].milestone_id, 1);
	assert_int_equal(f[0].offset_days, 7);
	assert_int_equal(f[0].deadline, day(2008, 12, 1));
	assert_int_equal(kg_schedule_classify(&s, f[0].at, now), KG_FIRE_DUE);
	/* A clock stepped back re-takes nothing. */
	assert_int_equal(kg_plan_take_due(&p, now - 3600, 100, &f), 0);

	/* Suspend until 2008-11-30 10:00: 11-29 09:00 (milestone 5, 1d) expired,
	 * 11-30 09:00 (milestone 1 lead 1, milestone 5 lead 0) late; taken two
	 * at a time. */
	now = 1228003200 + 3600;
	assert_int_equal(kg_plan_take_due(&p, now, 2, &f), 2);
	assert_int_equal(f[0].milestone_id, 5);
	assert_int_equal(f[0].offset_days, 1);
	assert_int_equal(kg_schedule_classify(&s, f[0].at, now), KG_FIRE_EXPIRED);
	assert_int_equal(f[1].milestone_id, 1);
	assert_int_equal(f[1].offset_days, 1);
	assert_int_equal(kg_schedule_classify(&s, f[1].at, now), KG_FIRE_LATE);
	assert_int_equal(kg_plan_take_due(&p, now, 2, &f), 1);
	assert_int_equal(f[0].milestone_id, 5);
	assert_int_equal(f[0].offset_days, 0);
	assert_int_equal(kg_plan_next_at(&p), 1228089600);

	/* Rebuilt after a restart at the same moment: the late ones are planned
	 * again (the outbox ignores what it already has); the expired one is not. */
	assert_int_equal(kg_plan_build(&p, &s, l, 2, now, FAR, &err), 0);
	assert_int_equal(p.n, 7);
	assert_int_equal(kg_plan_take_due(&p, now, 100, &f), 2);

	/* A moved deadline moves its fires. */
	l[0].deadline = day(2008, 12, 8);
	assert_int_equal(kg_plan_build(&p, &s, l, 2, now, FAR, &err), 0);
	assert_int_equal(kg_plan_take_due(&p, now, 100, &f), 1);
	assert_int_equal(f[0].milestone_id, 5);

	/* A horizon a day ahead keeps only 12-01's and 11-30's 09:00 fires. */
	assert_int_equal(kg_plan_build(&p, &s, l, 2, now, now + 86400, &err), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(kg_plan_take_due(&p, now + 86400, 100, &f), 2);
	assert_int_equal(f[1].deadline, day(2008, 12, 8));
	assert_int_equal(f[1].offset_days, 7);
	assert_int_equal(kg_plan_next_at(&p), now + 86400);
	kg_plan_clear(&p);
	kg_plan_clear(&p);
}

static void
test_deadline_range(void **state)
{
	struct kg_schedule s;
	kg_day from, to;

	(void)state;
	tokyo(&s, 86400);
	/* now 2008-11-24 09:00 JST, horizon a day later; leads up to 30 days,
	 * overdue up to 14, catch-up a day, a day of slack each side. */
	kg_plan_deadline_range(&s, 1227484800, 1227484800 + 86400, &from, &to);
	assert_int_equal(from, day(2008, 11, 23) - 14 - 1);
	assert_int_equal(to, day(2008, 11, 25) + 30 + 1);
}

/* 10^5 deadlines plan quickly (the day cache) and in time order. */
static void
test_plan_large(void **state)
{
	struct kg_deadline_list l = {0};
	struct kg_schedule s;
	struct kg_plan p = {0};
	struct kg_err err;
	size_t i;

	(void)state;
	tokyo(&s, 86400);
	for (i = 0; i < 100000; i++)
		assert_int_equal(kg_deadline_list_add(&l, (int64_t)i + 1,
		    day(2009, 1, 1) + (kg_day)(i % 400)), 0);
	assert_int_equal(kg_plan_build(&p, &s, l.v, l.n, 1227484800, FAR, &err), 0);
	assert_int_equal(p.n, 600000);
	for (i = 1; i < p.n; i++)
		assert_true(p.v[i - 1].at <= p.v[i].at);
	kg_plan_clear(&p);
	kg_deadline_list_clear(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fire_times),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_wants),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_deadline_range),
		cmocka_unit_test(test_plan_large),
	};
	return cmocka_run_group_tests_name("schedule", tests, NULL, free_zones);
}
