/*
 * Unit tests for cli/cmd_deliveries, `kigen deliveries` and `kigen
 * redeliver` run as kigen runs them (a struct cli over a database of the
 * test's own, output into memory): the table (local times, results, failed
 * rows red when colour is on), the filters and the limit, the --json shape,
 * "no deliveries", redelivering a row, and the usage errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "milestone_fixture.h"
#include "outbox.h"
#include "store.h"

#define T0 1227484800 /* 2008-11-24 09:00 JST */

struct fixture {
	char dir[64], db[128];
	struct cli cli;
	char *out;
	size_t len;
};

static void
add(struct kg_outbox *ob, int64_t milestone, const char *endpoint, int lead, const char *id)
{
	struct kg_delivery d = {0};
	struct kg_err err;

	d.endpoint = (char *)endpoint;
	d.milestone_id = milestone;
	d.lead_days = lead;
	d.deadline = kg_day_from_civil(2008, 12, 1);
	d.type = (char *)"milestone.reminder";
	d.webhook_id = (char *)id;
	d.body = (char *)"{}";
	d.fire_at = T0;
	d.expires_at = INT64_MAX;
	assert_int_equal(kg_outbox_add(ob, &d, T0, &err), 1);
}

/* Three deliveries of one milestone: 1 delivered, 2 failed, 3 waiting
 * for a retry. */
static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct kg_delivery_list l = {0};
	struct kg_store *st;
	struct kg_outbox *ob;
	struct kg_err err;
	int64_t ms;

	strcpy(fx->dir, "/tmp/kigen-test-dlv-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/kigen.db", fx->dir);
	assert_int_equal(kg_store_open(fx->db, KG_STORE_CREATE, &st, &err), 0);
	assert_int_equal(kg_outbox_open(st, &ob, &err), 0);
	ms = fixture_milestone(st, "演習を実施", kg_day_from_civil(2008, 12, 1),
	    KG_STATUS_PLANNED, NULL);
	add(ob, ms, "ops", 7, "msg_a");
	add(ob, ms, "ops", 1, "msg_b");
	add(ob, ms, "mic", 7, "msg_c");
	assert_int_equal(kg_outbox_claim(ob, "ops", T0, 2, &l, &err), 2);
	assert_int_equal(kg_outbox_claim(ob, "mic", T0, 1, &l, &err), 1);
	kg_delivery_list_clear(&l);
	assert_int_equal(kg_outbox_delivered(ob, 1, T0 + 10, 200, &err), 0);
	assert_int_equal(kg_outbox_finish(ob, 2, KG_DLV_FAILED, T0 + 20, 500, "http 500",
	    &err), 0);
	assert_int_equal(kg_outbox_retry(ob, 3, T0 + 300, 503, "http 503", &err), 0);
	kg_outbox_close(ob);
	kg_store_close(st);

	assert_int_equal(kg_conf_defaults(&fx->cli.conf, &err), 0);
	free(fx->cli.conf.timezone);
	fx->cli.conf.timezone = strdup("Asia/Tokyo");
	kg_zone_free(fx->cli.conf.zone);
	assert_int_equal(kg_zone_load("Asia/Tokyo", &fx->cli.conf.zone, &err), 0);
	fx->cli.db_path = fx->db;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[160];

	kg_conf_clear(&fx->cli.conf);
	free(fx->out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* Runs cmd with the arguments (NULL-terminated) as kigen would; its
 * output is in fx->out. */
static int
run(struct fixture *fx, int (*cmd)(struct cli *, int, char **), ...)
{
	char *argv[16];
	va_list ap;
	int argc = 0, rc;
	FILE *f;

	free(fx->out);
	fx->out = NULL;
	f = open_memstream(&fx->out, &fx->len);
	fx->cli.out = f;
	fx->cli.err.msg[0] = '\0';
	argv[argc++] = (char *)"cmd";
	va_start(ap, cmd);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	optind = 0;
	rc = cmd(&fx->cli, argc, argv);
	fclose(f);
	return rc;
}

static void
test_table(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, cmd_deliveries, NULL), CLI_OK);
	assert_string_equal(fx->out,
	    "ID  STATUS     ENDPOINT  LEAD  DEADLINE    TRIES  WHEN              RESULT        MILESTONE\n"
	    "3   pending    mic       +7d   2008-12-01  1      2008-11-24 09:05  503 http 503  演習を実施\n"
	    "2   failed     ops       +1d   2008-12-01  1      2008-11-24 09:00  500 http 500  演習を実施\n"
	    "1   delivered  ops       +7d   2008-12-01  1      2008-11-24 09:00  200           演習を実施\n");

	/* Colour: the failed row in red, the header bold. */
	fx->cli.color = true;
	assert_int_equal(run(fx, cmd_deliveries, "--failed", NULL), CLI_OK);
	assert_true(strncmp(fx->out, "\033[1mID", 6) == 0);
	assert_non_null(strstr(fx->out, "\n\033[31m2   failed"));
	assert_null(strstr(fx->out, "delivered"));
	fx->cli.color = false;

	assert_int_equal(run(fx, cmd_deliveries, "--pending", NULL), CLI_OK);
	assert_non_null(strstr(fx->out, "\n3   pending"));
	assert_null(strstr(fx->out, "failed"));
	assert_null(strstr(fx->out, "delivered"));

	assert_int_equal(run(fx, cmd_deliveries, "--limit", "1", NULL), CLI_OK);
	assert_non_null(strstr(fx->out, "\n3   pending"));
	assert_null(strstr(fx->out, "\n2 "));
}

static void
test_json(void **state)
{
	static const char *const keys[] = {"id", "endpoint", "status", "milestone_id",
	    "milestone_title", "type", "lead_days", "deadline", "webhook_id", "late", "fire_at",
	    "attempts", "next_attempt_at", "last_attempt_at", "last_http_status", "last_error",
	    "created_at", "done_at"};
	struct fixture *fx = *state;
	json_error_t jerr;
	json_t *j, *a, *d;
	size_t i;

	fx->cli.json = true;
	assert_int_equal(run(fx, cmd_deliveries, NULL), CLI_OK);
	j = json_loads(fx->out, 0, &jerr);
	assert_non_null(j);
	a = json_object_get(j, "deliveries");
	assert_int_equal(json_array_size(a), 3);
	d = json_array_get(a, 0);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_get(d, keys[i]) == NULL)
			fail_msg("no key '%s'", keys[i]);
	assert_int_equal(json_integer_value(json_object_get(d, "id")), 3);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "pending");
	assert_string_equal(json_string_value(json_object_get(d, "next_attempt_at")),
	    "2008-11-24T00:05:00Z");
	assert_int_equal(json_integer_value(json_object_get(d, "last_http_status")), 503);
	d = json_array_get(a, 2);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "delivered");
	assert_true(json_is_null(json_object_get(d, "next_attempt_at")));
	assert_true(json_is_null(json_object_get(d, "last_error")));
	assert_string_equal(json_string_value(json_object_get(d, "webhook_id")), "msg_a");
	json_decref(j);
	fx->cli.json = false;
}

static void
test_redeliver(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, cmd_redeliver, "2", NULL), CLI_OK);
	assert_string_equal(fx->out, "delivery 2 to ops queued again (webhook-id msg_b)\n");
	assert_int_equal(run(fx, cmd_deliveries, "--failed", NULL), CLI_OK);
	assert_string_equal(fx->out, "no deliveries\n");
	assert_int_equal(run(fx, cmd_deliveries, "--pending", NULL), CLI_OK);
	assert_non_null(strstr(fx->out, "\n2   pending"));

	assert_int_equal(run(fx, cmd_redeliver, "99", NULL), CLI_FAIL);
	assert_string_equal(fx->cli.err.msg, "no delivery '99'");
}

static void
test_usage_errors(void **state)
{
	static const struct {
		bool redeliver;
		const char *args[3];
		const char *msg;   /* a part of the message */
	} rows[] = {
		{false, {"--limit", "many"}, "--limit"},
		{false, {"--limit", "-1"}, "--limit"},
		{false, {"--bogus"}, "--bogus"},
		{false, {"extra"}, "unexpected argument 'extra'"},
		{true, {NULL}, "missing ID"},
		{true, {"x"}, "ID"},
		{true, {"0"}, "ID"},
		{true, {"1", "2"}, "'2'"},
	};
	struct fixture *fx = *state;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		rc = run(fx, rows[i].redeliver ? cmd_redeliver : cmd_deliveries, rows[i].args[0],
		    rows[i].args[1], rows[i].args[2]);
		if (rc != CLI_USAGE || strstr(fx->cli.err.msg, rows[i].msg) == NULL)
			fail_msg("row %zu: %d '%s', want usage error with '%s'", i, rc,
			    fx->cli.err.msg, rows[i].msg);
		assert_string_equal(fx->out, "");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redeliver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
