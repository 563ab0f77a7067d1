/* Unit tests for lib/outbox: the unique reminder key, claiming, results,
 * crash recovery, abandoning stale rows, listing and redelivery. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbox.h"
#include "store.h"

#define NOW 1227484800 /* 2008-11-24 09:00 JST */

struct fixture {
	char dir[64];
	char path[128];
	struct kg_store *st;
	struct kg_outbox *ob;
	int64_t ms;        /* a planned milestone due 2008-12-01 */
	kg_day deadline;
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct kg_milestone m = {0};
	struct kg_err err;

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/kigen-test-outbox-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/kigen.db", fx->dir);
	if (kg_store_open(fx->path, KG_STORE_CREATE, &fx->st, &err) < 0)
		fail_msg("open: %s", err.msg);
	if (kg_outbox_open(fx->st, &fx->ob, &err) < 0)
		fail_msg("outbox: %s", err.msg);
	fx->deadline = kg_day_from_civil(2008, 12, 1);
	m.title = strdup("演習を実施");
	m.kind = KG_KIND_EXERCISE;
	m.status = KG_STATUS_PLANNED;
	m.window_start = m.window_end = fx->deadline;
	m.precision = KG_PREC_DAY;
	m.manual = true;
	if (kg_store_milestone_add(fx->st, &m, &err) < 0)
		fail_msg("milestone_add: %s", err.msg);
	fx->ms = m.id;
	kg_milestone_clear(&m);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[160];

	kg_outbox_close(fx->ob);
	kg_store_close(fx->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* Enqueues (endpoint, lead) for the fixture's milestone; returns add's result. */
static int
enqueue(struct fixture *fx, const char *endpoint, int lead, kg_day deadline, const char *id,
    int64_t expires_at)
{
	struct kg_delivery d = {0};
	struct kg_err err;
	int rc;

	d.endpoint = (char *)endpoint;
	d.milestone_id = fx->ms;
	d.lead_days = lead;
	d.deadline = deadline;
	d.type = (char *)"milestone.reminder";
	d.webhook_id = (char *)id;
	d.body = (char *)"{\"type\":\"milestone.reminder\"}";
	d.fire_at = NOW;
	d.expires_at = expires_at;
	rc = kg_outbox_add(fx->ob, &d, NOW, &err);
	if (rc < 0)
		fail_msg("add: %s", err.msg);
	return rc;
}

static void
test_unique_key(void **state)
{
	struct fixture *fx = *state;

	struct kg_err err;
	bool has;

	assert_int_equal(kg_outbox_has(fx->ob, "ops", fx->ms, 7, fx->deadline, &has, &err), 0);
	assert_false(has);
	assert_int_equal(enqueue(fx, "ops", 7, fx->deadline, "msg_a", INT64_MAX), 1);
	assert_int_equal(kg_outbox_has(fx->ob, "ops", fx->ms, 7, fx->deadline, &has, &err), 0);
	assert_true(has);
	/* Same key (a clock stepped back, a restart, a re-plan): nothing new. */
	assert_int_equal(enqueue(fx, "ops", 7, fx->deadline, "msg_b", INT64_MAX), 0);
	/* Another lead, endpoint or deadline is another reminder. */
	assert_int_equal(enqueue(fx, "ops", 1, fx->deadline, "msg_c", INT64_MAX), 1);
	assert_int_equal(enqueue(fx, "chat", 7, fx->deadline, "msg_d", INT64_MAX), 1);
	assert_int_equal(enqueue(fx, "ops", 7, fx->deadline + 7, "msg_e", INT64_MAX), 1);
}

static void
test_claim_and_results(void **state)
{
	struct fixture *fx = *state;
	struct kg_delivery_list l = {0};
	struct kg_delivery d;
	struct kg_err err;
	int64_t next;

	enqueue(fx, "ops", 7, fx->deadline, "msg_a", INT64_MAX);
	enqueue(fx, "ops", 1, fx->deadline, "msg_b", INT64_MAX);
	enqueue(fx, "chat", 7, fx->deadline, "msg_c", INT64_MAX);
	assert_int_equal(kg_outbox_next_due(fx->ob, "ops", &next, &err), 0);
	assert_int_equal(next, NOW);
	assert_int_equal(kg_outbox_next_due(fx->ob, "nobody", &next, &err), 0);
	assert_int_equal(next, INT64_MAX);

	/* Only due rows of that endpoint, at most max. */
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW - 1, 10, &l, &err), 0);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 1, &l, &err), 1);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].webhook_id, "msg_a");
	assert_string_equal(l.v[0].body, "{\"type\":\"milestone.reminder\"}");
	assert_int_equal(l.v[0].status, KG_DLV_IN_FLIGHT);
	assert_int_equal(l.v[0].attempts, 1);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 10, &l, &err), 1);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 10, &l, &err), 0);

	/* A retry keeps the id and waits. */
	assert_int_equal(kg_outbox_retry(fx->ob, l.v[0].id, NOW + 5, 500, "http 500", &err), 0);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW + 4, 10, &l, &err), 0);
	assert_int_equal(kg_outbox_next_due(fx->ob, "ops", &next, &err), 0);
	assert_int_equal(next, NOW + 5);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW + 5, 10, &l, &err), 1);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[2].webhook_id, "msg_a");
	assert_int_equal(l.v[2].attempts, 2);
	assert_int_equal(kg_outbox_delivered(fx->ob, l.v[2].id, NOW + 6, 204, &err), 0);
	assert_int_equal(kg_outbox_finish(fx->ob, l.v[1].id, KG_DLV_FAILED, NOW + 6, 0,
	    "timeout", &err), 0);

	assert_int_equal(kg_outbox_get(fx->ob, l.v[2].id, &d, &err), 0);
	assert_int_equal(d.status, KG_DLV_DELIVERED);
	assert_int_equal(d.last_http_status, 204);
	assert_null(d.last_error);
	assert_int_equal(d.done_at, NOW + 6);
	kg_delivery_clear(&d);
	assert_int_equal(kg_outbox_get(fx->ob, l.v[1].id, &d, &err), 0);
	assert_int_equal(d.status, KG_DLV_FAILED);
	assert_string_equal(d.last_error, "timeout");
	kg_delivery_clear(&d);
	assert_int_equal(kg_outbox_get(fx->ob, 999, &d, &err), -1);
	assert_string_equal(err.msg, "no delivery '999'");
	kg_delivery_list_clear(&l);
}

/* One milestone's deliveries, newest first, with its title. */
static void
test_list_milestone(void **state)
{
	struct fixture *fx = *state;
	struct kg_delivery_list l = {0};
	struct kg_err err;

	assert_int_equal(kg_outbox_list_milestone(fx->ob, fx->ms, 0, &l, &err), 0);
	assert_int_equal(l.n, 0);
	enqueue(fx, "ops", 7, fx->deadline, "msg_a", INT64_MAX);
	enqueue(fx, "chat", 1, fx->deadline, "msg_b", INT64_MAX);
	assert_int_equal(kg_outbox_list_milestone(fx->ob, fx->ms, 0, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].webhook_id, "msg_b");
	assert_string_equal(l.v[1].endpoint, "ops");
	assert_string_equal(l.v[1].milestone_title, "演習を実施");
	assert_null(l.v[1].body);
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_list_milestone(fx->ob, fx->ms, 1, &l, &err), 0);
	assert_int_equal(l.n, 1);
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_list_milestone(fx->ob, fx->ms + 1, 0, &l, &err), 0);
	assert_int_equal(l.n, 0);
}

static void
test_recover(void **state)
{
	struct fixture *fx = *state;
	struct kg_delivery_list l = {0};
	struct kg_err err;

	enqueue(fx, "ops", 7, fx->deadline, "msg_a", INT64_MAX);
	enqueue(fx, "ops", 1, fx->deadline, "msg_b", INT64_MAX);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 10, &l, &err), 2);
	kg_delivery_list_clear(&l);
	/* kill -9 here: both rows stay in_flight; the next start resumes them. */
	assert_int_equal(kg_outbox_recover(fx->ob, NOW + 60, &err), 2);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW + 59, 10, &l, &err), 0);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW + 60, 10, &l, &err), 2);
	assert_int_equal(l.v[0].attempts, 2);
	kg_delivery_list_clear(&l);
}

static void
test_abandon_stale(void **state)
{
	struct fixture *fx = *state;
	struct kg_delivery_list l = {0};
	struct kg_milestone m;
	struct kg_err err;
	char ref[24];

	/* Expired before it could go. */
	enqueue(fx, "ops", 1, fx->deadline, "msg_b", NOW - 1);
	/* Queued for a deadline the milestone no longer has. */
	enqueue(fx, "ops", 0, fx->deadline - 3, "msg_c", INT64_MAX);
	/* Claiming one reads past the two stale rows to this one. */
	enqueue(fx, "ops", 7, fx->deadline, "msg_a", INT64_MAX);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 1, &l, &err), 1);
	assert_string_equal(l.v[0].webhook_id, "msg_a");
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_list(fx->ob, 1u << KG_DLV_CANCELLED, 0, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].webhook_id, "msg_c");
	assert_string_equal(l.v[0].last_error, "milestone no longer due");
	assert_string_equal(l.v[0].milestone_title, "演習を実施");
	assert_null(l.v[0].body);
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_list(fx->ob, 1u << KG_DLV_ABANDONED, 0, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].last_error, "deadline passed");
	kg_delivery_list_clear(&l);

	/* Done milestones get nothing more: the write that made it done
	 * cancels its pending reminders at once, not at claim time. */
	enqueue(fx, "ops", -7, fx->deadline, "msg_d", INT64_MAX);
	snprintf(ref, sizeof(ref), "%lld", (long long)fx->ms);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &m, &err), 0);
	m.status = KG_STATUS_DONE;
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "done", &err), 0);
	kg_milestone_clear(&m);
	assert_int_equal(kg_outbox_list(fx->ob, 0, 1, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].webhook_id, "msg_d");
	assert_int_equal(l.v[0].status, KG_DLV_CANCELLED);
	assert_string_equal(l.v[0].last_error, "milestone no longer due");
	assert_true(l.v[0].done_at > 0);
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 10, &l, &err), 0);
}

static void
test_redeliver_and_gone(void **state)
{
	struct fixture *fx = *state;
	struct kg_delivery_list l = {0};
	struct kg_err err;
	bool gone;
	int64_t id;

	enqueue(fx, "ops", 7, fx->deadline, "msg_a", NOW + 10);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 10, &l, &err), 1);
	id = l.v[0].id;
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_redeliver(fx->ob, id, NOW, &err), -1);
	assert_string_equal(err.msg, "delivery 1 is in flight");
	assert_int_equal(kg_outbox_redeliver(fx->ob, 42, NOW, &err), -1);
	assert_string_equal(err.msg, "no delivery '42'");

	assert_int_equal(kg_outbox_finish(fx->ob, id, KG_DLV_FAILED, NOW, 410, "gone", &err), 0);
	assert_int_equal(kg_outbox_endpoint_gone(fx->ob, "ops", "http://a/", NOW, &err), 0);
	assert_int_equal(kg_outbox_endpoint_is_gone(fx->ob, "ops", "http://a/", &gone, &err), 0);
	assert_true(gone);
	/* A new url is a new start. */
	assert_int_equal(kg_outbox_endpoint_is_gone(fx->ob, "ops", "http://b/", &gone, &err), 0);
	assert_false(gone);

	/* Redelivery: same webhook-id, fresh attempts, no expiry, endpoint unmarked. */
	assert_int_equal(kg_outbox_redeliver(fx->ob, id, NOW + 3600, &err), 0);
	assert_int_equal(kg_outbox_endpoint_is_gone(fx->ob, "ops", "http://a/", &gone, &err), 0);
	assert_false(gone);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW + 3600, 10, &l, &err), 1);
	assert_string_equal(l.v[0].webhook_id, "msg_a");
	assert_int_equal(l.v[0].attempts, 1);
	assert_int_equal(l.v[0].expires_at, INT64_MAX);
	kg_delivery_list_clear(&l);
}

static void
test_deadlines(void **state)
{
	struct fixture *fx = *state;
	struct kg_deadline_list l = {0};
	struct kg_milestone m;
	struct kg_err err;
	char ref[24];

	assert_int_equal(kg_outbox_deadlines(fx->ob, fx->deadline, fx->deadline, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].milestone_id, fx->ms);
	assert_int_equal(l.v[0].deadline, fx->deadline);
	kg_deadline_list_clear(&l);
	assert_int_equal(kg_outbox_deadlines(fx->ob, fx->deadline + 1, fx->deadline + 9, &l,
	    &err), 0);
	assert_int_equal(l.n, 0);
	/* Done: no longer planned. */
	snprintf(ref, sizeof(ref), "%lld", (long long)fx->ms);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &m, &err), 0);
	m.status = KG_STATUS_DONE;
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "done", &err), 0);
	kg_milestone_clear(&m);
	assert_int_equal(kg_outbox_deadlines(fx->ob, fx->deadline - 9, fx->deadline + 9, &l,
	    &err), 0);
	assert_int_equal(l.n, 0);
}

static void
test_list_filter(void **state)
{
	struct fixture *fx = *state;
	struct kg_delivery_list l = {0};
	struct kg_err err;
	int64_t count;

	enqueue(fx, "ops", 7, fx->deadline, "msg_a", INT64_MAX);
	enqueue(fx, "ops", 1, fx->deadline, "msg_b", INT64_MAX);
	assert_int_equal(kg_outbox_claim(fx->ob, "ops", NOW, 1, &l, &err), 1);
	assert_int_equal(kg_outbox_finish(fx->ob, l.v[0].id, KG_DLV_FAILED, NOW, 0, "x", &err), 0);
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_list(fx->ob, 1u << KG_DLV_FAILED, 0, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].webhook_id, "msg_a");
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_list(fx->ob, 1u << KG_DLV_PENDING, 0, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].webhook_id, "msg_b");
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_list(fx->ob, 0, 0, &l, &err), 0);
	assert_int_equal(l.n, 2);
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_count(fx->ob, 1u << KG_DLV_FAILED | 1u << KG_DLV_PENDING,
	    &count, &err), 0);
	assert_int_equal(count, 2);
	assert_int_equal(kg_outbox_count(fx->ob, 1u << KG_DLV_DELIVERED, &count, &err), 0);
	assert_int_equal(count, 0);
	assert_string_equal(kg_delivery_status_name(KG_DLV_IN_FLIGHT), "in_flight");
	assert_int_equal(kg_delivery_status_parse("abandoned"), KG_DLV_ABANDONED);
	assert_int_equal(kg_delivery_status_parse("cancelled"), KG_DLV_CANCELLED);
	assert_string_equal(kg_delivery_status_name(KG_DLV_CANCELLED), "cancelled");
	assert_int_equal(kg_delivery_status_parse("lost"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unique_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_and_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_milestone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abandon_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redeliver_and_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup, teardown),
	};
	return cmocka_run_group_tests_name("outbox", tests, NULL, NULL);
}
