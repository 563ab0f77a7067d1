/* Unit tests for daemon/hosts: the default list from listen addresses,
 * localhost and base_url; Host header values with ports, case, brackets
 * and junk; "*". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hosts.h"

static void
test_defaults(void **state)
{
	struct kg_conf c;
	struct kg_strv hosts = {0};
	struct kg_err err;
	static const struct {
		const char *host;
		bool ok;
	} rows[] = {
		{"127.0.0.1", true},
		{"127.0.0.1:5545", true},
		{"127.0.0.1:1", true},        /* any port: proxies rewrite it */
		{"localhost", true},
		{"LocalHost:5545", true},
		{"localhost.", true},
		{"[::1]:5545", true},
		{"[::1]", true},
		{"cal.example.org", true},    /* base_url */
		{"CAL.example.org:8443", true},
		{"attacker.example", false},  /* DNS rebinding */
		{"127.0.0.2", false},
		{"127.0.0.1:x", false},
		{"127.0.0.1:80:80", false},
		{"localhost@attacker.example", false},
		{"", false},
		{"[::1", false},
		{"::1", false},
		{"[::1]x", false},
		{"[::1]:", false},
		{"localhost.:5545", true},
		{"[::1].", false},
	};
	size_t i;

	(void)state;
	assert_int_equal(kg_conf_defaults(&c, &err), 0);
	kg_strv_clear(&c.listen);
	assert_int_equal(kg_strv_push(&c.listen, "127.0.0.1:5545", (size_t)-1), 0);
	assert_int_equal(kg_strv_push(&c.listen, "[::1]:5545", (size_t)-1), 0);
	free(c.base_url);
	c.base_url = strdup("https://Cal.Example.org:8443/kigen/");
	assert_int_equal(kg_hosts_from_conf(&c, &hosts, &err), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (kg_hosts_allow(&hosts, rows[i].host) != rows[i].ok)
			fail_msg("Host '%s': want %s", rows[i].host, rows[i].ok ? "allowed" : "refused");
	}
	kg_strv_clear(&hosts);
	kg_conf_clear(&c);
}

static void
test_configured(void **state)
{
	struct kg_conf c;
	struct kg_strv hosts = {0};
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_conf_defaults(&c, &err), 0);
	assert_int_equal(kg_strv_push(&c.allowed_hosts, "feeds.example.org", (size_t)-1), 0);
	assert_int_equal(kg_hosts_from_conf(&c, &hosts, &err), 0);
	assert_true(kg_hosts_allow(&hosts, "feeds.example.org:443"));
	assert_false(kg_hosts_allow(&hosts, "127.0.0.1"));   /* replaced, not added */
	assert_false(kg_hosts_allow(&hosts, "localhost"));
	kg_strv_clear(&c.allowed_hosts);
	assert_int_equal(kg_strv_push(&c.allowed_hosts, "*", (size_t)-1), 0);
	assert_int_equal(kg_hosts_from_conf(&c, &hosts, &err), 0);
	assert_true(kg_hosts_allow(&hosts, "anything.example"));
	kg_strv_clear(&hosts);
	kg_conf_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_configured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
