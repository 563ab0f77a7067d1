/* Unit tests for the control socket: lib/ctl (path rule, answer line) and
 * daemon/control (server) served by a loop (daemon/loop) running in a
 * thread, as in kigend, asked by a plain protocol client (ctl_peer.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "civil.h"
#include "control.h"
#include "ctl.h"
#include "ctl_peer.h"
#include "loop.h"

/* Answers come from a thread of this process; the bound only ends a hung
 * test, generously so on a loaded machine. */
#define TIMEOUT_MS 60000

struct fixture {
	char dir[64];
	char path[128];
	struct kg_loop *loop;
	struct kg_control *ctl;
	pthread_t thread;
	int reloads;
	const char *reload_error; /* NULL: reload succeeds */
};

static void
status_fields(void *arg, json_t *obj)
{
	(void)arg;
	json_object_set_new(obj, "db", json_string("/tmp/x.db"));
}

static int
reload(void *arg, struct kg_err *err)
{
	struct fixture *f = arg;

	f->reloads++;
	if (f->reload_error != NULL)
		return kg_err_set(err, "%s", f->reload_error);
	return 0;
}

static void *
serve(void *arg)
{
	struct fixture *f = arg;
	struct kg_err err;

	if (kg_loop_run(f->loop, &err) < 0)
		fprintf(stderr, "loop: %s\n", err.msg);
	return NULL;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kg_control_ops ops = { status_fields, reload, f };
	struct kg_err err;

	strcpy(f->dir, "/tmp/kigen-ctl-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/kigen.db.sock", f->dir);
	if (kg_loop_new(NULL, &f->loop, &err) < 0 ||
	    kg_control_open(f->path, &ops, f->loop, &f->ctl, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	pthread_create(&f->thread, NULL, serve, f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	kg_loop_stop(f->loop);
	pthread_join(f->thread, NULL);
	kg_control_close(f->ctl);
	kg_loop_free(f->loop);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
test_socket_path(void **state)
{
	char buf[128], longdb[200];
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_ctl_socket_path("/run/kigen/control.sock", "/var/lib/kigen/kigen.db",
	    buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/run/kigen/control.sock");
	assert_int_equal(kg_ctl_socket_path("", "/home/a/.local/state/kigen/kigen.db", buf,
	    sizeof(buf), &err), 0);
	assert_string_equal(buf, "/home/a/.local/state/kigen/kigen.db.sock");
	assert_int_equal(kg_ctl_socket_path(NULL, "run/kigen.db", buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "run/kigen.db.sock");

	memset(longdb, 'a', sizeof(longdb) - 1);
	longdb[0] = '/';
	longdb[sizeof(longdb) - 1] = '\0';
	assert_int_equal(kg_ctl_socket_path(NULL, longdb, buf, sizeof(buf), &err), -1);
	assert_non_null(strstr(err.msg, "too long (max 107 bytes); set [control] socket"));
	longdb[103] = '\0'; /* 103 + ".sock" = 108: one byte too many */
	assert_int_equal(kg_ctl_socket_path(NULL, longdb, buf, sizeof(buf), &err), -1);
	longdb[102] = '\0';
	assert_int_equal(kg_ctl_socket_path(NULL, longdb, buf, sizeof(buf), &err), 0);
	assert_int_equal(kg_ctl_socket_path(NULL, NULL, buf, sizeof(buf), &err), -1);
}

/* The answer line, as the server encodes it and the client parses it. */
static void
test_answer_line(void **state)
{
	static const struct {
		const char *text, *err; /* err NULL: accepted */
	} rows[] = {
		{"{\"ok\":true,\"pid\":7}\n", NULL},
		{"{\"ok\":true} trailing", NULL},
		{"{\"ok\":false,\"error\":\"x.conf:3: bad\"}\n", "x.conf:3: bad"},
		{"{\"ok\":false}\n", "kigend refused the request"},
		{"{\"ok\":1}\n", "kigend refused the request"},
		{"[1]\n", "malformed answer on 's': not a JSON object"},
		{"{\"ok\":tru\n", "malformed answer on 's': "},
		{"", "malformed answer on 's': "},
	};
	struct kg_err err;
	json_t *reply, *answer;
	char *line;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		reply = (json_t *)&err; /* must be reset */
		if (rows[i].err == NULL) {
			assert_int_equal(kg_ctl_answer_parse(rows[i].text, "s", &reply, &err), 0);
			assert_true(json_is_true(json_object_get(reply, "ok")));
			json_decref(reply);
			continue;
		}
		assert_int_equal(kg_ctl_answer_parse(rows[i].text, "s", &reply, &err), -1);
		assert_null(reply);
		assert_non_null(strstr(err.msg, rows[i].err));
	}
	answer = json_pack("{s:b, s:s}", "ok", 1, "db", "平成.db");
	line = kg_ctl_answer_encode(answer, &len);
	assert_non_null(line);
	assert_int_equal(len, strlen("{\"ok\":true,\"db\":\"平成.db\"}\n"));
	assert_memory_equal(line, "{\"ok\":true,\"db\":\"平成.db\"}\n", len);
	free(line);
	json_decref(answer);
}

static void
test_status(void **state)
{
	struct fixture *f = *state;
	struct kg_err err;
	struct stat st;
	json_t *reply;

	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);

	assert_int_equal(ctl_peer_ask(f->path, "status", TIMEOUT_MS, &reply, &err), 0);
	assert_true(json_is_true(json_object_get(reply, "ok")));
	assert_string_equal(json_string_value(json_object_get(reply, "version")), KIGEN_VERSION);
	assert_int_equal(json_integer_value(json_object_get(reply, "pid")), getpid());
	assert_true(json_integer_value(json_object_get(reply, "uptime_s")) >= 0);
	assert_int_equal(strlen(json_string_value(json_object_get(reply, "started_at"))), 20);
	assert_string_equal(json_string_value(json_object_get(reply, "db")), "/tmp/x.db");
	json_decref(reply);
}

static void
test_reload(void **state)
{
	struct fixture *f = *state;
	struct kg_err err;
	json_t *reply;

	assert_int_equal(ctl_peer_ask(f->path, "reload", TIMEOUT_MS, &reply, &err), 0);
	json_decref(reply);
	assert_int_equal(f->reloads, 1);

	f->reload_error = "kigen.conf:7: unknown key 'colour' in [feed]";
	assert_int_equal(ctl_peer_ask(f->path, "reload", TIMEOUT_MS, &reply, &err), -1);
	assert_null(reply);
	assert_string_equal(err.msg, "kigen.conf:7: unknown key 'colour' in [feed]");
	assert_int_equal(f->reloads, 2);
}

static void
test_unknown_command(void **state)
{
	struct fixture *f = *state;
	struct kg_err err;
	json_t *reply;

	assert_int_equal(ctl_peer_ask(f->path, "shutdown", TIMEOUT_MS, &reply, &err), -1);
	assert_non_null(strstr(err.msg, "unknown control command"));
	assert_int_equal(f->reloads, 0);
}

/* A client that connects and says nothing is dropped; the next one is served. */
static void
test_silent_client(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct kg_err err;
	json_t *reply;
	char c;
	int fd;

	strcpy(sa.sun_path, f->path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(read(fd, &c, 1), 0); /* closed by the server */
	close(fd);
	assert_int_equal(ctl_peer_ask(f->path, "status", TIMEOUT_MS, &reply, &err), 0);
	json_decref(reply);
}

static void
test_in_use(void **state)
{
	struct fixture *f = *state;
	struct kg_control_ops ops = { 0 };
	struct kg_control *second;
	struct kg_err err;

	assert_int_equal(kg_control_open(f->path, &ops, f->loop, &second, &err), -1);
	assert_non_null(strstr(err.msg, "is in use (is kigend already running?)"));
}

static void
test_stale_socket(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct kg_control_ops ops = { 0 };
	char dir[] = "/tmp/kigen-ctl-XXXXXX";
	struct kg_control *ctl;
	struct kg_loop *loop;
	struct kg_err err;
	json_t *reply;
	int fd;

	(void)state;
	assert_int_equal(kg_loop_new(NULL, &loop, &err), 0);
	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/k.sock", dir);

	/* A socket file nobody listens on: what a killed daemon leaves, taken
	 * over (what a client says of it: test_ctl_client). */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(ctl_peer_ask(sa.sun_path, "status", TIMEOUT_MS, &reply, &err), -1);
	assert_int_equal(kg_control_open(sa.sun_path, &ops, loop, &ctl, &err), 0);
	kg_control_close(ctl);
	assert_int_equal(access(sa.sun_path, F_OK), -1); /* removed on close */

	/* Not a socket: left alone. */
	fd = open(sa.sun_path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(kg_control_open(sa.sun_path, &ops, loop, &ctl, &err), -1);
	assert_non_null(strstr(err.msg, "exists and is not a socket"));
	unlink(sa.sun_path);

	/* A directory anyone may write to could have the socket replaced. */
	chmod(dir, 0777);
	assert_int_equal(kg_control_open(sa.sun_path, &ops, loop, &ctl, &err), -1);
	assert_non_null(strstr(err.msg, "is writable by others (mode 0777)"));
	rmdir(dir);
	kg_loop_free(loop);
}

/* A client that sends its request one byte at a time, slower than any
 * person types, stalls nobody: others are answered meanwhile, and it is
 * dropped at its deadline although it keeps sending. */
static void
test_slow_client(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int64_t start = kg_mono_ms();
	struct kg_err err;
	json_t *reply;
	char c;
	int fd, i;
	ssize_t r = 1;

	strcpy(sa.sun_path, f->path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	for (i = 0; r > 0 && i < 200; i++) {
		/* "statu", never the line end */
		r = send(fd, &"statu"[i % 5], 1, MSG_NOSIGNAL);
		if (i < 3) {
			assert_int_equal(ctl_peer_ask(f->path, "status", 5000, &reply, &err), 0);
			json_decref(reply);
		}
		usleep(50 * 1000);
		if (recv(fd, &c, 1, MSG_DONTWAIT) == 0)
			break; /* closed by the server */
	}
	assert_true(i < 200);
	assert_true(kg_mono_ms() - start >= KG_CONTROL_DEADLINE_MS);
	close(fd);
	assert_int_equal(ctl_peer_ask(f->path, "status", 5000, &reply, &err), 0);
	json_decref(reply);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_path),
		cmocka_unit_test(test_answer_line),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_use, setup, teardown),
		cmocka_unit_test(test_stale_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
