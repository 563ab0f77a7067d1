/* Unit tests for lib/webhook: payloads (JSON envelope, slack text),
 * signatures against independently computed vectors, secrets, ids, and the
 * retry schedule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "webhook.h"

/* The Standard Webhooks specification's own example. */
#define SPEC_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
/* 32 bytes 00..1f; signature computed with python's hmac module. */
#define SEQ_SECRET "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

static void
test_sign_vectors(void **state)
{
	static const struct {
		const char *secret, *id, *body, *want;
		int64_t ts;
	} cases[] = {
		{SPEC_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "{\"test\": 2432232314}",
		    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 1614265330},
		{SEQ_SECRET, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "{\"test\": 2432232314}",
		    "v1,cAp9TQtaE2ZR9not+U8dvvN3yUkNsSp3s7Jkeij79bQ=", 1674087231},
		/* Without the prefix, as the reference libraries accept. */
		{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		    "{\"test\": 2432232314}", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		    1614265330},
	};
	char sig[KG_WEBHOOK_SIG_MAX];
	struct kg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(kg_webhook_sign(cases[i].secret, cases[i].id, cases[i].ts,
		    cases[i].body, strlen(cases[i].body), sig, &err), 0);
		assert_string_equal(sig, cases[i].want);
	}
	/* One byte of the body more: another signature. */
	assert_int_equal(kg_webhook_sign(SPEC_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek",
	    1614265330, "{\"test\": 24322323145}", 21, sig, &err), 0);
	assert_string_not_equal(sig, cases[0].want);
}

static void
test_secrets(void **state)
{
	static const struct {
		const char *secret, *msg;
	} bad[] = {
		{"whsec_", "invalid webhook secret (expected whsec_ and base64 of 24..64 bytes)"},
		{"whsec_abc", "invalid webhook secret (expected whsec_ and base64 of 24..64 bytes)"},
		{"whsec_AAAA", "invalid webhook secret (key is 3 bytes, expected 24..64)"},
		{"whsec_!!!!!!!!", "invalid webhook secret (not base64)"},
	};
	unsigned char key[KG_WEBHOOK_KEY_MAX];
	struct kg_err err;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(kg_webhook_secret_decode(bad[i].secret, key, &len, &err), -1);
		assert_string_equal(err.msg, bad[i].msg);
	}
	assert_int_equal(kg_webhook_secret_decode(SEQ_SECRET, key, &len, &err), 0);
	assert_int_equal(len, 32);
	assert_int_equal(key[0], 0);
	assert_int_equal(key[31], 31);
}

static void
test_ids(void **state)
{
	char a[KG_WEBHOOK_ID_MAX], b[KG_WEBHOOK_ID_MAX];
	struct kg_err err;
	size_t i;

	(void)state;
	assert_int_equal(kg_webhook_new_id(a, &err), 0);
	assert_int_equal(kg_webhook_new_id(b, &err), 0);
	assert_int_equal(strlen(a), 36);
	assert_memory_equal(a, "msg_", 4);
	for (i = 4; i < 36; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_not_equal(a, b);
}

static void
test_retry_delay(void **state)
{
	static const struct { int attempts; int64_t base; } cases[] = {
		{1, 5}, {2, 300}, {3, 1800}, {4, 7200}, {5, 18000}, {6, 36000}, {7, 36000},
		{20, 36000},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t lo = kg_webhook_retry_delay(cases[i].attempts, 0, 0);
		int64_t mid = kg_webhook_retry_delay(cases[i].attempts, 0, 1000);
		int64_t hi = kg_webhook_retry_delay(cases[i].attempts, 0, 2000);

		assert_int_equal(mid, cases[i].base);
		assert_true(lo <= mid && mid <= hi);
		assert_true(lo >= cases[i].base * 9 / 10 - 1);
		assert_true(hi <= cases[i].base * 11 / 10 + 1);
	}
	/* Retry-After wins when it asks for longer; never shortens the wait. */
	assert_int_equal(kg_webhook_retry_delay(1, 120, 1000), 120);
	assert_int_equal(kg_webhook_retry_delay(2, 1, 1000), 300);
}

static void
fill(struct kg_milestone *m, struct kg_measure *me)
{
	memset(m, 0, sizeof(*m));
	memset(me, 0, sizeof(*me));
	m->id = 12;
	m->uid = strdup("abc123@kigen");
	m->measure_id = 3;
	m->title = strdup("演習を実施");
	m->kind = KG_KIND_EXERCISE;
	m->status = KG_STATUS_PLANNED;
	m->window_start = m->window_end = kg_day_from_civil(2008, 12, 1);
	m->precision = KG_PREC_DAY;
	m->measure_title = strdup("官民連携の演習");
	kg_strv_push(&m->owners, "内閣官房", (size_t)-1);
	kg_strv_push(&m->owners, "総務省", (size_t)-1);
	me->id = 3;
	me->title = strdup("官民連携の演習");
	kg_strv_push(&me->owners, "内閣官房", (size_t)-1);
	kg_strv_push(&me->owners, "総務省", (size_t)-1);
}

static void
test_json_body(void **state)
{
	struct kg_milestone m;
	struct kg_measure me;
	struct kg_reminder r = {0};
	struct kg_err err;
	json_t *root, *data;
	char *body;

	(void)state;
	fill(&m, &me);
	r.milestone = &m;
	r.measure = &me;
	r.lead_days = 7;
	r.days_left = 7;
	r.scheduled_at = 1227484800;
	r.timestamp = 1227484800;
	r.feed_url = "http://127.0.0.1:5545/feed.ics";
	body = kg_webhook_body(KG_WEBHOOK_JSON, &r, &err);
	assert_non_null(body);
	root = json_loads(body, 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "type")), "milestone.reminder");
	assert_string_equal(json_string_value(json_object_get(root, "timestamp")),
	    "2008-11-24T00:00:00Z");
	data = json_object_get(root, "data");
	assert_int_equal(json_integer_value(json_object_get(data, "lead_days")), 7);
	assert_int_equal(json_integer_value(json_object_get(data, "days_left")), 7);
	assert_true(json_is_false(json_object_get(data, "late")));
	assert_true(json_is_false(json_object_get(data, "conflict")));
	assert_string_equal(json_string_value(json_object_get(data, "feed_url")),
	    "http://127.0.0.1:5545/feed.ics");
	assert_true(json_is_null(json_object_get(data, "url")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(data, "milestone"),
	    "uid")), "abc123@kigen");
	assert_string_equal(json_string_value(json_object_get(json_object_get(data, "milestone"),
	    "window_end")), "2008-12-01");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_object_get(data, "measure"), "owners"), 1)), "総務省");
	json_decref(root);
	free(body);

	/* Overdue, late, no measure, no feed; a report disagrees with an edit. */
	r.lead_days = -7;
	r.days_left = -8;
	r.late = true;
	m.conflict = true;
	r.measure = NULL;
	r.feed_url = NULL;
	r.url = "http://127.0.0.1:5545/milestones/7";
	body = kg_webhook_body(KG_WEBHOOK_JSON, &r, &err);
	root = json_loads(body, 0, NULL);
	assert_non_null(root);
	data = json_object_get(root, "data");
	assert_string_equal(json_string_value(json_object_get(root, "type")), "milestone.overdue");
	assert_true(json_is_null(json_object_get(data, "measure")));
	assert_true(json_is_null(json_object_get(data, "feed_url")));
	assert_true(json_is_true(json_object_get(data, "late")));
	assert_true(json_is_true(json_object_get(data, "conflict")));
	assert_true(json_is_true(json_object_get(json_object_get(data, "milestone"), "conflict")));
	assert_string_equal(json_string_value(json_object_get(data, "url")),
	    "http://127.0.0.1:5545/milestones/7");
	json_decref(root);
	free(body);
	body = kg_webhook_body(KG_WEBHOOK_SLACK, &r, &err);
	assert_non_null(strstr(body, "食い違っています (kigen conflicts)"));
	free(body);
	kg_milestone_clear(&m);
	kg_measure_clear(&me);
}

static void
test_slack_body(void **state)
{
	static const struct {
		int days_left;
		bool late;
		const char *want;
	} cases[] = {
		{7, false, "「演習を実施」の期限まで7日 (2008-12-01)\n施策: 官民連携の演習\n"
		    "担当: 内閣官房、総務省\nhttp://127.0.0.1:5545/feed.ics"},
		{0, false, "「演習を実施」の期限は今日です (2008-12-01)\n施策: 官民連携の演習\n"
		    "担当: 内閣官房、総務省\nhttp://127.0.0.1:5545/feed.ics"},
		{-14, true, "「演習を実施」の期限を14日過ぎています (2008-12-01)（遅れて送信）\n"
		    "施策: 官民連携の演習\n担当: 内閣官房、総務省\nhttp://127.0.0.1:5545/feed.ics"},
	};
	struct kg_milestone m;
	struct kg_measure me;
	struct kg_reminder r = {0};
	struct kg_err err;
	json_t *root;
	char *body;
	size_t i;

	(void)state;
	fill(&m, &me);
	r.milestone = &m;
	r.measure = &me;
	r.feed_url = "http://127.0.0.1:5545/feed.ics";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.days_left = cases[i].days_left;
		r.lead_days = cases[i].days_left;
		r.late = cases[i].late;
		body = kg_webhook_body(KG_WEBHOOK_SLACK, &r, &err);
		root = json_loads(body, 0, NULL);
		assert_non_null(root);
		assert_int_equal(json_object_size(root), 1);
		assert_string_equal(json_string_value(json_object_get(root, "text")), cases[i].want);
		json_decref(root);
		free(body);
	}

	/* With the page's URL the title is a link; Slack's &, <, > are escaped
	 * in every text, so a title cannot forge a link or mention @channel. */
	free(m.title);
	m.title = strdup("<!channel> R&D <b>");
	r.url = "http://127.0.0.1:5545/milestones/7";
	r.days_left = 1;
	r.late = false;
	body = kg_webhook_body(KG_WEBHOOK_SLACK, &r, &err);
	root = json_loads(body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(root, "text")),
	    "「<http://127.0.0.1:5545/milestones/7|&lt;!channel&gt; R&amp;D &lt;b&gt;>」の期限まで"
	    "1日 (2008-12-01)\n施策: 官民連携の演習\n担当: 内閣官房、総務省\n"
	    "http://127.0.0.1:5545/feed.ics");
	json_decref(root);
	free(body);
	kg_milestone_clear(&m);
	kg_measure_clear(&me);
}

static void
test_change_bodies(void **state)
{
	struct kg_milestone now, before;
	struct kg_measure me;
	struct kg_document doc = {0};
	struct kg_change_event e;
	struct kg_err err;
	json_t *root, *data;
	char *body, changes[128];

	(void)state;
	fill(&now, &me);
	kg_milestone_copy(&before, &now);
	now.window_start = now.window_end = kg_day_from_civil(2009, 1, 15);
	doc.id = 2;
	doc.name = "sj2008-h1.pdf";
	doc.as_of = kg_day_from_civil(2008, 9, 30);
	e = (struct kg_change_event){KG_EVENT_CHANGED, &now, &before, "sj", &doc, 1227484800,
		"http://127.0.0.1:5545/feed.ics"};

	kg_webhook_changes(&before, &now, changes, sizeof(changes));
	assert_string_equal(changes, "window");
	body = kg_webhook_change_body(KG_WEBHOOK_JSON, &e, &err);
	root = json_loads(body, 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "type")), "milestone.changed");
	data = json_object_get(root, "data");
	assert_string_equal(json_string_value(json_object_get(data, "source")), "sj");
	assert_int_equal(json_array_size(json_object_get(data, "changes")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(data, "changes"), 0)),
	    "window");
	assert_string_equal(json_string_value(json_object_get(json_object_get(data, "milestone"),
	    "window_end")), "2009-01-15");
	assert_string_equal(json_string_value(json_object_get(json_object_get(data, "previous"),
	    "window_end")), "2008-12-01");
	assert_string_equal(json_string_value(json_object_get(json_object_get(data, "document"),
	    "name")), "sj2008-h1.pdf");
	json_decref(root);
	free(body);
	body = kg_webhook_change_body(KG_WEBHOOK_SLACK, &e, &err);
	root = json_loads(body, 0, NULL);
	assert_non_null(strstr(json_string_value(json_object_get(root, "text")),
	    "「演習を実施」が変わりました：期限 2008-12-01 → 2009-01-15（sj2008-h1.pdf、2008-09-30現在）"));
	json_decref(root);
	free(body);

	/* gone: the status moved too */
	now.gone = true;
	now.status = KG_STATUS_DONE;
	kg_webhook_changes(&before, &now, changes, sizeof(changes));
	assert_string_equal(changes, "status,window,gone");
	e.type = KG_EVENT_GONE;
	body = kg_webhook_change_body(KG_WEBHOOK_JSON, &e, &err);
	root = json_loads(body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(root, "type")), "milestone.gone");
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(root, "data"),
	    "milestone"), "gone")));
	json_decref(root);
	free(body);
	body = kg_webhook_change_body(KG_WEBHOOK_SLACK, &e, &err);
	assert_non_null(strstr(body, "は最新の報告"));
	free(body);
	kg_milestone_clear(&now);
	kg_milestone_clear(&before);
	kg_measure_clear(&me);
}

static void
test_test_body(void **state)
{
	struct kg_err err;
	json_t *root;
	char *body;

	(void)state;
	body = kg_webhook_test_body(KG_WEBHOOK_JSON, "ops", 1227484800, &err);
	root = json_loads(body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(root, "type")), "webhook.test");
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "data"),
	    "endpoint")), "ops");
	json_decref(root);
	free(body);
	body = kg_webhook_test_body(KG_WEBHOOK_SLACK, "ops", 1227484800, &err);
	assert_string_equal(body, "{\"text\":\"kigen: webhook「ops」のテスト送信です\"}");
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_vectors),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_retry_delay),
		cmocka_unit_test(test_json_body),
		cmocka_unit_test(test_slack_body),
		cmocka_unit_test(test_change_bodies),
		cmocka_unit_test(test_test_body),
	};
	return cmocka_run_group_tests_name("webhook", tests, NULL, NULL);
}
