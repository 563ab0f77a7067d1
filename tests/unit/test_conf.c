/* Unit tests for lib/conf: defaults, every value type, every error with
 * FILE:LINE, long lines, precedence, and the shipped example file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"

#define SECRET32 "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" /* 24 bytes */

static char tmp_path[64];

/* Writes text to a fresh temporary file; returns its path (static). */
static const char *
write_conf(const char *text)
{
	int fd;

	snprintf(tmp_path, sizeof(tmp_path), "/tmp/kigen-conf-XXXXXX");
	fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return tmp_path;
}

static int
teardown(void **state)
{
	(void)state;
	if (tmp_path[0])
		unlink(tmp_path);
	tmp_path[0] = '\0';
	unsetenv("KIGEN_CONFIG");
	return 0;
}

/* Everything but db and control_socket, which the example sets for the service. */
static void
assert_defaults_but_paths(const struct kg_conf *c)
{
	assert_string_equal(c->timezone, "Asia/Tokyo");
	assert_int_equal(c->log_level, KG_LOG_INFO);
	assert_int_equal(c->listen.n, 1);
	assert_string_equal(c->listen.v[0], "127.0.0.1:5545");
	assert_null(c->feed_token);
	assert_string_equal(c->base_url, "http://127.0.0.1:5545");
	assert_string_equal(c->feed_name, "Secure Japan 2008 milestones");
	assert_int_equal(c->refresh_s, 3600);
	assert_true(c->show_done);
	assert_int_equal(c->feed_span, KG_SPAN_DEADLINE);
	assert_int_equal(c->nfeeds, 0);
	assert_int_equal(c->nlead, 4);
	assert_int_equal(c->lead_days[0], 30);
	assert_int_equal(c->lead_days[1], 7);
	assert_int_equal(c->lead_days[2], 1);
	assert_int_equal(c->lead_days[3], 0);
	assert_int_equal(c->at_minute, 540);
	assert_int_equal(c->catch_up_s, 86400);
	assert_int_equal(c->noverdue, 2);
	assert_int_equal(c->overdue_days[0], 14);
	assert_int_equal(c->overdue_days[1], 7);
	assert_int_equal(c->nwebhooks, 0);
}

static void
assert_defaults(const struct kg_conf *c)
{
	assert_defaults_but_paths(c);
	assert_null(c->db);
	assert_null(c->control_socket);
}

static void
test_defaults(void **state)
{
	struct kg_conf c;
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_conf_defaults(&c, &err), 0);
	assert_defaults(&c);
	kg_conf_clear(&c);
	kg_conf_clear(&c); /* twice is harmless */
	kg_conf_clear(NULL);
}

/* The shipped example documents the defaults: loading it changes nothing
 * but the two paths it sets for the service. */
static void
test_example_file_is_defaults(void **state)
{
	const char *top = getenv("TOP");
	char path[1024];
	struct kg_conf c;
	struct kg_err err;

	(void)state;
	snprintf(path, sizeof(path), "%s/config/kigen.conf", top ? top : ".");
	if (kg_conf_load(path, &c, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(c.path, path);
	assert_defaults_but_paths(&c);
	assert_string_equal(c.db, "/var/lib/kigen/kigen.db");
	assert_string_equal(c.control_socket, "/run/kigen/control.sock");
	kg_conf_clear(&c);
}

static void
test_durations(void **state)
{
	static const struct { const char *s; int64_t v; } cases[] = {
		{"15s", 15}, {"30m", 1800}, {"1h", 3600}, {"7d", 604800}, {"2w", 1209600},
		{"90", 90}, {"0d", 0},
		{"", -1}, {"h", -1}, {"1x", -1}, {"1hh", -1}, {"-1s", -1}, {"1.5h", -1},
		{" 1h", -1}, {"99999999999s", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(kg_duration_parse(cases[i].s), cases[i].v);
	assert_int_equal(kg_duration_parse(NULL), -1);
}

static void
test_every_type(void **state)
{
	struct kg_conf c;
	struct kg_err err;
	const char *path = write_conf(
	    "[general]\n"
	    "db = /tmp/x.db\n"
	    "timezone = UTC\n"
	    "log_level = debug\n"
	    "[http]\n"
	    "listen = 127.0.0.1:8080, [::1]:8080 ; two\n"
	    "feed_token = s3cret\n"
	    "base_url = https://cal.example.org\n"
	    "[feed]\n"
	    "refresh = 30m\n"
	    "show_done = no\n"
	    "span = window\n"
	    "[feed:soumu]\n"
	    "owner = 総務省\n"
	    "owner = 内閣官房, 警察庁\n"
	    "kind = exercise, report\n"
	    "status = planned\n"
	    "measure = 3, 12\n"
	    "[reminders]\n"
	    "lead = 1d, 14d\n"
	    "at = 08:30\n"
	    "catch_up = 12h\n"
	    "overdue = 3d\n"
	    "[webhook:ops]\n"
	    "url = http://127.0.0.1:9000/hook\n"
	    "secret = " SECRET32 "\n"
	    "format = slack\n"
	    "timeout = 5s\n"
	    "max_attempts = 3\n"
	    "concurrency = 2\n"
	    "header = X-Team: security\n"
	    "header = X-Other: 1\n"
	    "kind = meeting\n"
	    "events = milestone.changed, milestone.gone\n"
	    "[webhook:min]\n"
	    "url = https://h.example/x\n"
	    "secret = " SECRET32 "\n"
	    "[source:sj]\n"
	    "url = https://www.example.go.jp/sj2008-h1.pdf\n"
	    "every = 12h\n"
	    "timeout = 2m\n"
	    "allow_shrink = yes\n"
	    "[source:min]\n"
	    "url = http://127.0.0.1:8000/r.txt\n"
	    "[control]\n"
	    "socket = /tmp/k.sock\n");

	(void)state;
	if (kg_conf_load(path, &c, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(c.db, "/tmp/x.db");
	assert_string_equal(c.timezone, "UTC");
	assert_int_equal(c.log_level, KG_LOG_DEBUG);
	assert_int_equal(c.listen.n, 2);
	assert_string_equal(c.listen.v[1], "[::1]:8080");
	assert_string_equal(c.feed_token, "s3cret");
	assert_string_equal(c.base_url, "https://cal.example.org");
	assert_int_equal(c.refresh_s, 1800);
	assert_false(c.show_done);
	assert_int_equal(c.feed_span, KG_SPAN_WINDOW);
	assert_int_equal(c.nfeeds, 1);
	assert_string_equal(c.feeds[0].name, "soumu");
	assert_int_equal(c.feeds[0].filter.owners.n, 3);
	assert_string_equal(c.feeds[0].filter.owners.v[2], "警察庁");
	assert_int_equal(c.feeds[0].filter.kinds.n, 2);
	assert_int_equal(c.feeds[0].filter.statuses.n, 1);
	assert_string_equal(c.feeds[0].filter.measures.v[1], "12");
	assert_int_equal(c.feeds[0].show_done, -1);
	assert_null(c.feeds[0].token);
	assert_int_equal(c.nlead, 2);
	assert_int_equal(c.lead_days[0], 14); /* sorted descending */
	assert_int_equal(c.lead_days[1], 1);
	assert_int_equal(c.at_minute, 8 * 60 + 30);
	assert_int_equal(c.catch_up_s, 43200);
	assert_int_equal(c.noverdue, 1);
	assert_int_equal(c.overdue_days[0], 3);
	assert_int_equal(c.nwebhooks, 2);
	assert_string_equal(c.webhooks[0].url, "http://127.0.0.1:9000/hook");
	assert_string_equal(c.webhooks[0].secret, SECRET32);
	assert_int_equal(c.webhooks[0].format, KG_WEBHOOK_SLACK);
	assert_int_equal(c.webhooks[0].timeout_ms, 5000);
	assert_int_equal(c.webhooks[0].max_attempts, 3);
	assert_int_equal(c.webhooks[0].concurrency, 2);
	assert_int_equal(c.webhooks[0].headers.n, 2);
	assert_string_equal(c.webhooks[0].headers.v[0], "X-Team: security");
	assert_string_equal(c.webhooks[0].filter.kinds.v[0], "meeting");
	/* a webhook with only the required keys gets the defaults */
	assert_int_equal(c.webhooks[1].format, KG_WEBHOOK_JSON);
	assert_int_equal(c.webhooks[1].timeout_ms, 15000);
	assert_int_equal(c.webhooks[1].max_attempts, 8);
	assert_int_equal(c.webhooks[1].concurrency, 8);
	/* events: the list given, else reminders only */
	assert_true(kg_webhook_conf_wants(&c.webhooks[0], KG_EVENT_CHANGED));
	assert_true(kg_webhook_conf_wants(&c.webhooks[0], KG_EVENT_GONE));
	assert_false(kg_webhook_conf_wants(&c.webhooks[0], KG_EVENT_REMINDER));
	assert_true(kg_webhook_conf_wants(&c.webhooks[1], KG_EVENT_REMINDER));
	assert_true(kg_webhook_conf_wants(&c.webhooks[1], KG_EVENT_OVERDUE));
	assert_false(kg_webhook_conf_wants(&c.webhooks[1], KG_EVENT_CHANGED));
	assert_int_equal(c.nsources, 2);
	assert_string_equal(c.sources[0].name, "sj");
	assert_string_equal(c.sources[0].url, "https://www.example.go.jp/sj2008-h1.pdf");
	assert_int_equal(c.sources[0].every_s, 12 * 3600);
	assert_int_equal(c.sources[0].timeout_ms, 120000);
	assert_true(c.sources[0].allow_shrink);
	assert_int_equal(c.sources[1].every_s, 86400);
	assert_int_equal(c.sources[1].timeout_ms, 60000);
	assert_false(c.sources[1].allow_shrink);
	assert_string_equal(c.control_socket, "/tmp/k.sock");
	kg_conf_clear(&c);
}

/* Every error names the file and line; the message names the value. */
static void
test_errors(void **state)
{
	static const struct { const char *text; int line; const char *msg; } cases[] = {
		{"[general]\nnope = 1\n", 2, "unknown key 'nope' in [general]"},
		{"[bogus]\nx = 1\n", 2, "unknown section [bogus]"},
		{"[feed:]\nowner = a\n", 2, "invalid section name [feed:]"},
		{"[feed:a b]\nowner = a\n", 2, "invalid section name [feed:a b]"},
		{"[general]\nlog_level = loud\n", 2, "invalid log_level 'loud'"},
		{"[general]\ntimezone = Asia/Tokio\n", 2, "unknown time zone 'Asia/Tokio'"},
		{"\n[general]\ntimezone = UTC\ntimezone = UTC\n", 4,
		    "duplicate key 'timezone' in [general] (first set on line 3)"},
		{"[http]\nlisten = localhost\n", 2, "invalid listen 'localhost'"},
		{"[http]\nlisten = 127.0.0.1:99999\n", 2, "invalid listen"},
		{"[http]\nlisten = 127.0.0.1:1,\n", 2, "invalid listen"},
		{"[http]\nlisten = 127.0.0.1:0\n", 2, "invalid listen '127.0.0.1:0'"},
		{"[http]\nbase_url = ftp://x\n", 2, "invalid base_url 'ftp://x'"},
		{"[feed]\nspan = week\n", 2, "invalid span 'week' (expected deadline or window)"},
		{"[feed]\nrefresh = soon\n", 2, "invalid refresh 'soon'"},
		{"[feed]\nrefresh = 10s\n", 2, "invalid refresh '10s'"},
		{"[feed]\nshow_done = maybe\n", 2, "invalid show_done 'maybe'"},
		{"[feed:x]\nkind = party\n", 2, "invalid kind 'party'"},
		{"[feed:x]\nstatus = late\n", 2, "invalid status 'late'"},
		{"[feed:x]\nmeasure = abc\n", 2, "invalid measure 'abc'"},
		{"[reminders]\nlead = 12h\n", 2, "invalid lead '12h'"},
		{"[reminders]\nlead = 400d\n", 2, "invalid lead '400d'"},
		{"[reminders]\noverdue = 0d\n", 2, "invalid overdue '0d'"},
		{"[reminders]\nat = 9am\n", 2, "invalid at '9am'"},
		{"[reminders]\nat = 24:00\n", 2, "invalid at '24:00'"},
		{"[webhook:a]\nurl = http://x/\nsecret = hunter2\n", 3, "invalid secret"},
		{"[webhook:a]\nurl = http://x/\nsecret = whsec_c2hvcnQ=\n", 3, "invalid secret"},
		{"[webhook:a]\nurl = http://x/\nsecret = whsec_!!!!\n", 3, "invalid secret"},
		{"[webhook:a]\nformat = xml\n", 2, "invalid format 'xml'"},
		{"[webhook:a]\nmax_attempts = 0\n", 2, "invalid max_attempts '0'"},
		{"[webhook:a]\ntimeout = 1h\n", 2, "invalid timeout '1h'"},
		{"[webhook:a]\nheader = no colon\n", 2, "invalid header 'no colon'"},
		{"\n\n[webhook:a]\nurl = http://x/\n", 4, "[webhook:a] needs both url and secret"},
		{"[webhook:a]\nevents = milestone.moved\n", 2, "invalid events 'milestone.moved'"},
		{"[webhook:a]\nevents =\n", 2, "invalid events ''"},
		{"[source:a]\nurl = file:///etc/passwd\n", 2, "invalid url 'file:///etc/passwd'"},
		{"[source:a]\nurl = http://x/\nevery = 9s\n", 3, "invalid every '9s'"},
		{"[source:a]\nallow_shrink = perhaps\n", 2, "invalid allow_shrink 'perhaps'"},
		{"\n[source:a]\nevery = 1h\n", 3, "[source:a] needs a url"},
		{"[general]\nthis is not ini\n", 2, "syntax error"},
	};
	struct kg_conf c;
	struct kg_err err;
	char want[256];
	size_t i;
	const char *path;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path = write_conf(cases[i].text);
		assert_int_equal(kg_conf_load(path, &c, &err), -1);
		snprintf(want, sizeof(want), "%s:%d: %s", path, cases[i].line, cases[i].msg);
		if (strncmp(err.msg, want, strlen(want)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err.msg, want);
		assert_null(c.timezone); /* left cleared */
		unlink(path);
	}
}

/* A secret never appears in an error message. */
static void
test_secret_not_echoed(void **state)
{
	struct kg_conf c;
	struct kg_err err;
	const char *path = write_conf("[webhook:a]\nsecret = whsec_TOPSECRET\n");

	(void)state;
	assert_int_equal(kg_conf_load(path, &c, &err), -1);
	assert_null(strstr(err.msg, "TOPSECRET"));
}

static void
test_long_line(void **state)
{
	char text[600], want[256];
	struct kg_conf c;
	struct kg_err err;
	const char *path;

	(void)state;
	/* 199 bytes of content is the most inih takes: accepted */
	snprintf(text, sizeof(text), "[feed]\nname = %0*d\n", 199 - 7, 0);
	path = write_conf(text);
	if (kg_conf_load(path, &c, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(strlen(c.feed_name), 192);
	kg_conf_clear(&c);
	unlink(path);

	snprintf(text, sizeof(text), "[feed]\n\nname = %0*d\n", 300, 0);
	path = write_conf(text);
	assert_int_equal(kg_conf_load(path, &c, &err), -1);
	snprintf(want, sizeof(want), "%s:3: line too long", path);
	assert_memory_equal(err.msg, want, strlen(want));
}

static void
test_missing_file(void **state)
{
	struct kg_conf c;
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_conf_load("/nonexistent/kigen.conf", &c, &err), -1);
	assert_string_equal(err.msg,
	    "cannot read config '/nonexistent/kigen.conf': No such file or directory");
}

/* --config (the path argument) beats $KIGEN_CONFIG, which beats defaults. */
static void
test_precedence(void **state)
{
	struct kg_conf c;
	struct kg_err err;
	char env_path[64];
	const char *path;

	(void)state;
	path = write_conf("[general]\nlog_level = error\n");
	snprintf(env_path, sizeof(env_path), "%s", path);
	setenv("KIGEN_CONFIG", env_path, 1);
	assert_int_equal(kg_conf_load(NULL, &c, &err), 0);
	assert_int_equal(c.log_level, KG_LOG_ERR);
	assert_string_equal(c.path, env_path);
	kg_conf_clear(&c);

	path = write_conf("[general]\nlog_level = debug\n");
	assert_int_equal(kg_conf_load(path, &c, &err), 0);
	assert_int_equal(c.log_level, KG_LOG_DEBUG);
	kg_conf_clear(&c);
	unlink(env_path);

	setenv("KIGEN_CONFIG", "/nonexistent/k.conf", 1);
	assert_int_equal(kg_conf_load(NULL, &c, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/k.conf"));
}

/* The one host:port parser (the configuration and kigend's --listen). */
/* Links from base_url: one slash between it and the path, none without it. */
static void
test_links(void **state)
{
	static const struct {
		const char *base, *path, *want;
	} rows[] = {
		{"http://127.0.0.1:5545", "/feed.ics", "http://127.0.0.1:5545/feed.ics"},
		{"https://kigen.example.org/", "/feed.ics", "https://kigen.example.org/feed.ics"},
		{"https://example.org/kigen//", "/x", "https://example.org/kigen/x"},
		{"https://example.org/t/TOKEN", "/x", "https://example.org/t/TOKEN/x"},
		{"", "/feed.ics", ""},
		{NULL, "/feed.ics", ""},
	};
	char buf[KG_URL_MAX], small[24];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_string_equal(kg_conf_link(rows[i].base, rows[i].path, buf, sizeof(buf)),
		    rows[i].want);
	assert_string_equal(kg_milestone_url("http://h:1/", 42, buf, sizeof(buf)),
	    "http://h:1/milestones/42");
	assert_string_equal(kg_milestone_url(NULL, 42, buf, sizeof(buf)), "");
	/* Cut to fit, at a character boundary. */
	assert_string_equal(kg_conf_link("http://例え.jp", "/milestones/1", small, sizeof(small)),
	    "http://例え.jp/milest");
}

/* host[:port] (kg_host_port_split; a Host header value) and, where the
 * port is there, the same as a listen address (kg_listen_split). */
static void
test_host_port_split(void **state)
{
	static const struct {
		const char *in, *host;  /* host NULL: refused */
		int port;               /* -1: none (no listen address) */
	} rows[] = {
		{"127.0.0.1:5545", "127.0.0.1", 5545},
		{"[::1]:5545", "::1", 5545},
		{"localhost:0", "localhost", 0},
		{"[fe80::1%eth0]:80", "fe80::1%eth0", 80},
		{"host:65535", "host", 65535},
		{"例え.jp:8443", "例え.jp", 8443},
		{"localhost", "localhost", -1},
		{"[::1]", "::1", -1},
		{"127.0.0.1:80:80", "127.0.0.1:80", 80}, /* the last ':'; no host matches it */
		{"::1]:80", "::1]", 80},           /* getaddrinfo refuses it later */
		{"host:65536", NULL, 0},
		{"host:", NULL, 0},
		{"host:+80", NULL, 0},
		{"host:-1", NULL, 0},
		{"host:80x", NULL, 0},
		{":80", NULL, 0},
		{"[]:80", NULL, 0},
		{"[]", NULL, 0},
		{"[::1:80", NULL, 0},
		{"[::1", NULL, 0},
		{"[::1]x", NULL, 0},
		{"[::1]:", NULL, 0},
		{"a b:80", NULL, 0},
		{"", NULL, 0},
	};
	char host[16];
	unsigned uport;
	int port;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool listen = rows[i].host != NULL && rows[i].port >= 0;

		port = 12345;
		if (kg_host_port_split(rows[i].in, host, sizeof(host), &port) !=
		    (rows[i].host != NULL ? 0 : -1))
			fail_msg("'%s': want %s", rows[i].in, rows[i].host ? "accepted" : "refused");
		if (rows[i].host != NULL) {
			assert_string_equal(host, rows[i].host);
			assert_int_equal(port, rows[i].port);
		}
		uport = 12345;
		if (kg_listen_split(rows[i].in, host, sizeof(host), &uport) != (listen ? 0 : -1))
			fail_msg("'%s' as a listen address: want %s", rows[i].in,
			    listen ? "accepted" : "refused");
		if (listen)
			assert_int_equal(uport, (unsigned)rows[i].port);
	}
	/* a host that does not fit */
	assert_int_equal(kg_listen_split("0123456789abcdef:1", host, sizeof(host), &uport), -1);
	assert_int_equal(kg_listen_split("0123456789abcde:1", host, sizeof(host), &uport), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_teardown(test_example_file_is_defaults, teardown),
		cmocka_unit_test(test_durations),
		cmocka_unit_test_teardown(test_every_type, teardown),
		cmocka_unit_test_teardown(test_errors, teardown),
		cmocka_unit_test_teardown(test_secret_not_echoed, teardown),
		cmocka_unit_test_teardown(test_long_line, teardown),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test_teardown(test_precedence, teardown),
		cmocka_unit_test(test_host_port_split),
		cmocka_unit_test(test_links),
	};

	unsetenv("KIGEN_CONFIG");
	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
