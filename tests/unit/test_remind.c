/*
 * Unit tests for daemon/remind, the reminder hook, on a fake clock
 * (kg_remind_tick with the test's `now`): which reminders go into the
 * outbox when — the lead ones at the configured local time, overdue ones
 * after the deadline, a fire missed by a little sent late, one missed by
 * more than the catch-up window skipped, nothing twice (the same tick
 * again, a clock stepped back), nothing for done milestones or endpoints
 * whose filter does not match — the body's fields, and what `kigen status`
 * says of the plan.  Deliveries are drained: nothing is sent (their state
 * machine is test_deliver's).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "loop.h"
#include "milestone_fixture.h"
#include "outbox.h"
#include "remind.h"
#include "store.h"

#define HOUR 3600
#define DAY 86400
/* 2008-11-24 09:00 in Tokyo: the 7-day reminder of a deadline on 12-01. */
#define T0 1227484800

struct fixture {
	char dir[64], db[128];
	struct kg_conf conf;
	struct kg_store *st;
	struct kg_outbox *ob;
	struct kg_loop *loop;
	struct kg_remind *r;
	int64_t due_1201, due_1203, done_1201;
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct kg_err err;
	char path[160];
	FILE *f;

	strcpy(fx->dir, "/tmp/kigen-test-remind-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/kigen.db", fx->dir);
	snprintf(path, sizeof(path), "%s/kigen.conf", fx->dir);
	f = fopen(path, "w");
	fputs("[general]\ntimezone = Asia/Tokyo\n"
	    "[http]\nbase_url = https://cal.example.org/\n"
	    "[reminders]\nlead = 7d, 1d\nat = 09:00\ncatch_up = 1h\noverdue = 7d\n"
	    "[webhook:all]\nurl = http://127.0.0.1:9/hook\n"
	    "secret = whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"
	    "[webhook:mic]\nurl = http://127.0.0.1:9/mic\n"
	    "secret = whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\nowner = 総務省\n", f);
	fclose(f);
	if (kg_conf_load(path, &fx->conf, &err) < 0)
		fail_msg("conf: %s", err.msg);
	if (kg_store_open(fx->db, KG_STORE_CREATE, &fx->st, &err) < 0 ||
	    kg_outbox_open(fx->st, &fx->ob, &err) < 0)
		fail_msg("store: %s", err.msg);
	fx->due_1201 = fixture_milestone(fx->st, "中間評価を実施", kg_day_from_civil(2008, 12, 1),
	    KG_STATUS_PLANNED, "総務省");
	fx->due_1203 = fixture_milestone(fx->st, "基本方針を策定", kg_day_from_civil(2008, 12, 3),
	    KG_STATUS_ONGOING, "内閣官房");
	fx->done_1201 = fixture_milestone(fx->st, "済んだもの", kg_day_from_civil(2008, 12, 1),
	    KG_STATUS_DONE, "総務省");
	assert_int_equal(kg_loop_new(fx->st, &fx->loop, &err), 0);
	if (kg_remind_new(fx->loop, &fx->conf, &fx->r, &err) < 0)
		fail_msg("remind: %s", err.msg);
	kg_remind_drain(fx->r); /* enqueue, never send */
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[160];

	kg_remind_free(fx->r);
	kg_loop_free(fx->loop);
	kg_outbox_close(fx->ob);
	kg_store_close(fx->st);
	kg_conf_clear(&fx->conf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* The outbox as "endpoint:milestone:lead[:late]" lines, oldest first. */
static char *
outbox(struct fixture *fx)
{
	struct kg_delivery_list l = {0};
	struct kg_err err;
	static char buf[1024];
	size_t i, used = 0;

	assert_int_equal(kg_outbox_list(fx->ob, 0, 0, &l, &err), 0);
	buf[0] = '\0';
	for (i = l.n; i-- > 0;)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s:%lld:%d%s\n",
		    l.v[i].endpoint, (long long)l.v[i].milestone_id, l.v[i].lead_days,
		    l.v[i].late ? ":late" : "");
	kg_delivery_list_clear(&l);
	return buf;
}

static void
test_leads_and_overdue(void **state)
{
	struct fixture *fx = *state;
	char want[512];
	int64_t wait;

	/* 09:00 sharp, a week before 12-01: its 7-day reminder, to both
	 * endpoints (the milestone is 総務省's); the done one gets none. */
	wait = kg_remind_tick(fx->r, T0);
	snprintf(want, sizeof(want), "all:%lld:7\nmic:%lld:7\n", (long long)fx->due_1201,
	    (long long)fx->due_1201);
	assert_string_equal(outbox(fx), want);
	/* Next: the 7-day reminder of 12-03 in two days, past the one-day
	 * plan: the tick sleeps until the plan's horizon at most. */
	assert_true(wait > 0 && wait <= (int64_t)DAY * 1000);

	/* The same instant again: nothing new. */
	kg_remind_tick(fx->r, T0);
	assert_string_equal(outbox(fx), want);

	/* 12-03's lead of 7 days (11-26) and 12-01's of one day (11-30). */
	kg_remind_tick(fx->r, T0 + 2 * DAY);
	kg_remind_tick(fx->r, T0 + 6 * DAY);
	snprintf(want, sizeof(want), "all:%lld:7\nmic:%lld:7\nall:%lld:7\nall:%lld:1\nmic:%lld:1\n",
	    (long long)fx->due_1201, (long long)fx->due_1201, (long long)fx->due_1203,
	    (long long)fx->due_1201, (long long)fx->due_1201);
	assert_string_equal(outbox(fx), want);

	/* A week after 12-01, still open: overdue (-7). */
	kg_remind_tick(fx->r, T0 + 14 * DAY);
	snprintf(want, sizeof(want), "all:%lld:-7\nmic:%lld:-7\n", (long long)fx->due_1201,
	    (long long)fx->due_1201);
	assert_non_null(strstr(outbox(fx), want));
}

/* Missed by less than catch_up (1 h): sent, marked late.  By more:
 * skipped for good. */
static void
test_catch_up(void **state)
{
	struct fixture *fx = *state;
	char want[256];

	kg_remind_tick(fx->r, T0 + 30 * 60);
	snprintf(want, sizeof(want), "all:%lld:7:late\nmic:%lld:7:late\n",
	    (long long)fx->due_1201, (long long)fx->due_1201);
	assert_string_equal(outbox(fx), want);

	/* 12-03's 7-day fire (11-26 09:00) found at 11:00: two hours late. */
	kg_remind_tick(fx->r, T0 + 2 * DAY + 2 * HOUR);
	assert_string_equal(outbox(fx), want);
}

/* A clock stepped back re-plans, but sends nothing twice. */
static void
test_clock_back(void **state)
{
	struct fixture *fx = *state;
	char want[256];

	kg_remind_tick(fx->r, T0);
	snprintf(want, sizeof(want), "all:%lld:7\nmic:%lld:7\n", (long long)fx->due_1201,
	    (long long)fx->due_1201);
	assert_string_equal(outbox(fx), want);
	kg_remind_tick(fx->r, T0 - 3 * DAY);
	kg_remind_tick(fx->r, T0);
	assert_string_equal(outbox(fx), want);
}

/* The body: the envelope, the milestone, the lead, days left, links. */
static void
test_body(void **state)
{
	struct fixture *fx = *state;
	struct kg_delivery_list l = {0};
	struct kg_delivery d;
	struct kg_err err;
	json_error_t jerr;
	json_t *j, *data;
	char url[64];

	kg_remind_tick(fx->r, T0);
	assert_int_equal(kg_outbox_list(fx->ob, 0, 1, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(kg_outbox_get(fx->ob, l.v[0].id, &d, &err), 0);
	kg_delivery_list_clear(&l);
	assert_string_equal(d.type, "milestone.reminder");
	assert_int_equal(d.fire_at, T0);
	assert_int_equal(d.deadline, kg_day_from_civil(2008, 12, 1));
	assert_true(strncmp(d.webhook_id, "msg_", 4) == 0);
	j = json_loads(d.body, 0, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "milestone.reminder");
	assert_string_equal(json_string_value(json_object_get(j, "timestamp")),
	    "2008-11-24T00:00:00Z");
	data = json_object_get(j, "data");
	assert_int_equal(json_integer_value(json_object_get(data, "lead_days")), 7);
	assert_int_equal(json_integer_value(json_object_get(data, "days_left")), 7);
	assert_true(json_is_false(json_object_get(data, "late")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(data, "milestone"),
	    "title")), "中間評価を実施");
	assert_string_equal(json_string_value(json_object_get(data, "feed_url")),
	    "https://cal.example.org/feed.ics");
	snprintf(url, sizeof(url), "https://cal.example.org/milestones/%lld",
	    (long long)fx->due_1201);
	assert_string_equal(json_string_value(json_object_get(data, "url")), url);
	json_decref(j);
	kg_delivery_clear(&d);
}

/* What `kigen status` says of the plan. */
static void
test_status(void **state)
{
	struct fixture *fx = *state;
	json_t *o = json_object(), *rem;
	char line[200];

	kg_remind_tick(fx->r, T0);
	kg_remind_summary(fx->r, line, sizeof(line));
	/* Planned a day ahead: nothing else falls within it. */
	assert_string_equal(line, "no reminder due within a day, 2 deliveries pending");
	kg_remind_tick(fx->r, T0 + 1 * DAY + 1);
	kg_remind_summary(fx->r, line, sizeof(line));
	assert_string_equal(line,
	    "1 reminders planned, next 2008-11-26 09:00, 2 deliveries pending");
	kg_remind_status(fx->r, o);
	rem = json_object_get(o, "reminders");
	assert_int_equal(json_integer_value(json_object_get(rem, "planned")), 1);
	assert_string_equal(json_string_value(json_object_get(rem, "next")),
	    "2008-11-26T00:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(rem, "pending")), 2);
	assert_int_equal(json_integer_value(json_object_get(rem, "in_flight")), 0);
	assert_int_equal(json_integer_value(json_object_get(rem, "failed")), 0);
	assert_false(kg_remind_busy(fx->r));
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_leads_and_overdue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_catch_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
