/* Unit tests for lib/webhook_http: request set-up (signed headers, the
 * endpoint's own headers) and Retry-After parsing.  Transfers themselves are
 * exercised by the integration tests against a real receiver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "webhook.h"
#include "webhook_http.h"

static void
test_retry_after(void **state)
{
	static const struct { const char *value; int64_t want; } cases[] = {
		{"120", 120},
		{" 7 ", 7},
		{"0", 0},
		{"", 0},
		{"soon", 0},
		{"99999999999999999999", KG_WEBHOOK_RETRY_AFTER_MAX},
		/* HTTP-date, 90 s after now (now = Mon, 24 Nov 2008 00:00:00 GMT). */
		{"Mon, 24 Nov 2008 00:01:30 GMT", 90},
		{"Sun, 23 Nov 2008 00:00:00 GMT", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(kg_webhook_retry_after_parse(cases[i].value, 1227484800),
		    cases[i].want);
}

static bool
has_header(const struct curl_slist *l, const char *line)
{
	for (; l; l = l->next)
		if (strcmp(l->data, line) == 0)
			return true;
	return false;
}

static void
test_attempt_init(void **state)
{
	struct kg_webhook_conf ep = {0};
	struct kg_webhook_attempt a;
	char sig[KG_WEBHOOK_SIG_MAX], line[128];
	struct kg_err err;
	const char *body = "{\"test\": 2432232314}";

	(void)state;
	ep.name = "ops";
	ep.url = "http://127.0.0.1:9/hooks";
	ep.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	ep.timeout_ms = 2000;
	kg_strv_push(&ep.headers, "X-Team: security", (size_t)-1);
	assert_int_equal(kg_webhook_attempt_init(&a, &ep, "msg_p5jXN8AQM9LWM0D4loKWxJek",
	    1614265330, strdup(body), &err), 0);
	assert_non_null(a.easy);
	assert_true(has_header(a.headers, "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek"));
	assert_true(has_header(a.headers, "webhook-timestamp: 1614265330"));
	assert_int_equal(kg_webhook_sign(ep.secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
	    body, strlen(body), sig, &err), 0);
	snprintf(line, sizeof(line), "webhook-signature: %s", sig);
	assert_true(has_header(a.headers, line));
	assert_true(has_header(a.headers, "X-Team: security"));
	assert_true(has_header(a.headers, "Content-Type: application/json"));
	kg_webhook_attempt_release(&a);
	kg_webhook_attempt_release(&a);

	/* A bad secret fails without leaking the body or naming the secret. */
	ep.secret = "whsec_AAAA";
	assert_int_equal(kg_webhook_attempt_init(&a, &ep, "msg_x", 1, strdup(body), &err), -1);
	assert_string_equal(err.msg,
	    "webhook 'ops': invalid webhook secret (key is 3 bytes, expected 24..64)");
	kg_strv_clear(&ep.headers);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_attempt_init),
	};
	return cmocka_run_group_tests_name("webhook_http", tests, NULL, NULL);
}
