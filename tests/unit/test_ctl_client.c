/* Unit tests for cli/ctl_client: what `kigen status` and `kigen reload`
 * make of each kind of answer — against a stand-in daemon in a thread that
 * reads the request line and answers with bytes a row of the table gives
 * (or with nothing) — and the one-line errors when nobody listens.  Who
 * may serve the socket (owner, SO_PEERCRED) is checked by the integration
 * test 059, which can switch users. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_client.h"

/* The bound only ends a hung test, generously so on a loaded machine. */
#define TIMEOUT_MS 60000

enum answer_kind {
	SAY,        /* write the text, then close */
	SAY_MUCH,   /* KG_CTL_REPLY_MAX + 1 bytes without a newline */
	CLOSE,      /* close without a word */
	HOLD,       /* say nothing until the client gives up */
};

struct daemon {
	char dir[64];
	char path[128];
	int fd;
	pthread_t thread;
	enum answer_kind kind;
	const char *text;
	char request[KG_CTL_REQUEST_MAX + 1];
};

/* Reads the request line into d->request; then answers as told. */
static void *
serve_one(void *arg)
{
	struct daemon *d = arg;
	size_t len = 0;
	ssize_t n;
	char *much;
	int c;

	c = accept(d->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	while (len < sizeof(d->request) - 1 &&
	    (n = read(c, d->request + len, sizeof(d->request) - 1 - len)) > 0) {
		len += (size_t)n;
		if (memchr(d->request, '\n', len) != NULL)
			break;
	}
	d->request[len] = '\0';
	switch (d->kind) {
	case SAY:
		send(c, d->text, strlen(d->text), MSG_NOSIGNAL);
		break;
	case SAY_MUCH:
		much = malloc(KG_CTL_REPLY_MAX + 1);
		memset(much, 'x', KG_CTL_REPLY_MAX + 1);
		send(c, much, KG_CTL_REPLY_MAX + 1, MSG_NOSIGNAL);
		free(much);
		break;
	case CLOSE:
		break;
	case HOLD:
		while (read(c, d->request + len, 1) > 0)
			; /* until the client closes */
		break;
	}
	close(c);
	return NULL;
}

static int
setup(void **state)
{
	struct daemon *d = calloc(1, sizeof(*d));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	strcpy(d->dir, "/tmp/kigen-ctlc-XXXXXX");
	if (mkdtemp(d->dir) == NULL)
		return -1;
	snprintf(d->path, sizeof(d->path), "%s/kigen.db.sock", d->dir);
	strcpy(sa.sun_path, d->path);
	d->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(d->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(d->fd, 4) < 0)
		return -1;
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	struct daemon *d = *state;

	close(d->fd);
	unlink(d->path);
	rmdir(d->dir);
	free(d);
	return 0;
}

static void
test_answers(void **state)
{
	static const struct {
		const char *command;
		enum answer_kind kind;
		const char *text;
		int timeout_ms;
		int rc;
		const char *error; /* substring of err.msg when rc is -1 */
		bool named;        /* the message names the socket */
	} rows[] = {
		{"status", SAY, "{\"ok\":true,\"pid\":7}\n", TIMEOUT_MS, 0, NULL, false},
		/* The connection's end ends an answer as well as a newline does. */
		{"status", SAY, "{\"ok\":true,\"pid\":7}", TIMEOUT_MS, 0, NULL, false},
		/* What follows the line is not read. */
		{"status", SAY, "{\"ok\":true,\"pid\":7}\n{\"ok\":false}\n", TIMEOUT_MS, 0, NULL,
		    false},
		/* The daemon's own error is the message, as it said it. */
		{"reload", SAY, "{\"ok\":false,\"error\":\"kigen.conf:3: unknown key 'x'\"}\n",
		    TIMEOUT_MS, -1, "kigen.conf:3: unknown key 'x'", false},
		{"status", SAY, "<html>\n", TIMEOUT_MS, -1, "malformed answer on '", true},
		{"status", CLOSE, NULL, TIMEOUT_MS, -1, "kigend closed '", true},
		{"status", SAY_MUCH, NULL, TIMEOUT_MS, -1, "' longer than 65536 bytes", true},
		/* A daemon that never answers is given up on at the deadline. */
		{"status", HOLD, NULL, 200, -1, "kigend did not answer on '", true},
	};
	struct daemon *d = *state;
	char want[KG_CTL_REQUEST_MAX];
	struct kg_err err;
	json_t *reply;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		d->kind = rows[i].kind;
		d->text = rows[i].text;
		assert_int_equal(pthread_create(&d->thread, NULL, serve_one, d), 0);
		rc = cli_ctl_request(d->path, rows[i].command, rows[i].timeout_ms, NULL, &reply,
		    &err);
		pthread_join(d->thread, NULL);
		snprintf(want, sizeof(want), "%s\n", rows[i].command);
		assert_string_equal(d->request, want);
		assert_int_equal(rc, rows[i].rc);
		if (rc == 0) {
			assert_int_equal(json_integer_value(json_object_get(reply, "pid")), 7);
			json_decref(reply);
			continue;
		}
		assert_null(reply);
		if (strstr(err.msg, rows[i].error) == NULL)
			fail_msg("row %zu: '%s' lacks '%s'", i, err.msg, rows[i].error);
		assert_true((strstr(err.msg, d->path) != NULL) == rows[i].named);
	}
}

/* Nobody listening: no socket file, or a socket file a killed daemon left. */
static void
test_not_running(void **state)
{
	struct daemon *d = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char want[256];
	struct kg_err err;
	json_t *reply;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/gone.sock", d->dir);
	snprintf(want, sizeof(want), "kigend is not running (no control socket at '%s')",
	    sa.sun_path);
	assert_int_equal(cli_ctl_request(sa.sun_path, "status", TIMEOUT_MS, NULL, &reply, &err), -1);
	assert_null(reply);
	assert_string_equal(err.msg, want);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(cli_ctl_request(sa.sun_path, "status", TIMEOUT_MS, NULL, &reply, &err), -1);
	assert_string_equal(err.msg, want);
	unlink(sa.sun_path);
}

/* Requests and paths that cannot be sent are refused before connecting. */
static void
test_too_long(void **state)
{
	char command[KG_CTL_REQUEST_MAX + 1], path[200];
	struct kg_err err;
	json_t *reply;

	(void)state;
	memset(command, 's', sizeof(command) - 1);
	command[sizeof(command) - 1] = '\0';
	assert_int_equal(cli_ctl_request("/nonexistent/k.sock", command, TIMEOUT_MS, NULL, &reply,
	    &err), -1);
	assert_non_null(strstr(err.msg, "control command 'sss"));
	assert_non_null(strstr(err.msg, "' too long"));

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(cli_ctl_request(path, "status", TIMEOUT_MS, NULL, &reply, &err), -1);
	assert_non_null(strstr(err.msg, "control socket path '/ppp"));
	assert_non_null(strstr(err.msg, "' too long"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_running, setup, teardown),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
