/* Unit tests for daemon/service: configuration load with overrides, the
 * secrets check, atomic reload (good file, bad file, refusing module), and
 * the service plugged into a running loop: control socket, SIGHUP, READY,
 * SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_peer.h"
#include "log.h"
#include "loop.h"
#include "service.h"

/* Answers come from a thread of this process; the bound only ends a hung
 * test, generously so on a loaded machine. */
#define TIMEOUT_MS 60000

#define SECRET "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX" /* bytes 0..23 */

struct fixture {
	char dir[64];
	char conf[128];
	char sock[128];
	int applied;
	int refuse;            /* apply fails */
	char applied_name[64]; /* [feed] name seen by the last apply */
	volatile int busy;     /* work in flight, for the drain */
	int drains;
};

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/kigen-svc-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->conf, sizeof(f->conf), "%s/kigen.conf", f->dir);
	snprintf(f->sock, sizeof(f->sock), "%s/control.sock", f->dir);
	unsetenv("KIGEN_CONFIG");
	kg_log_init("test", KG_LOG_ERR);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->conf);
	unlink(f->sock);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
apply(void *arg, const struct kg_conf *next, struct kg_err *err)
{
	struct fixture *f = arg;

	if (f->refuse)
		return kg_err_set(err, "feeds: cannot use time zone '%s'", next->timezone);
	f->applied++;
	snprintf(f->applied_name, sizeof(f->applied_name), "%s", next->feed_name);
	return 0;
}

static void
test_secrets_exposed(void **state)
{
	struct fixture *f = *state;
	struct kg_service_opts opts = { .config_path = f->conf, .log_level = -1 };
	struct kg_conf c;
	struct kg_err err;
	char why[512];

	write_file(f->conf, "[webhook:ops]\nurl = http://127.0.0.1:9/x\nsecret = " SECRET "\n", 0644);
	assert_int_equal(kg_service_conf_load(&opts, "/tmp/x.db", &c, &err), 0);
	assert_int_equal(kg_service_secrets_exposed(&c, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "readable by other users (mode 0644); run: chmod o-rwx '"));
	assert_null(strstr(why, SECRET));
	chmod(f->conf, 0640);
	assert_int_equal(kg_service_secrets_exposed(&c, why, sizeof(why)), 0);
	kg_conf_clear(&c);

	/* A feed token is a secret too; no secret at all is nothing to hide. */
	write_file(f->conf, "[http]\nfeed_token = abc123\n", 0644);
	assert_int_equal(kg_service_conf_load(&opts, NULL, &c, &err), 0);
	assert_int_equal(kg_service_secrets_exposed(&c, why, sizeof(why)), 1);
	kg_conf_clear(&c);
	write_file(f->conf, "[feed]\nname = x\n", 0644);
	assert_int_equal(kg_service_conf_load(&opts, NULL, &c, &err), 0);
	assert_int_equal(kg_service_secrets_exposed(&c, why, sizeof(why)), 0);
	kg_conf_clear(&c);
}

static void
test_overrides(void **state)
{
	struct fixture *f = *state;
	struct kg_strv listen = { 0 };
	struct kg_service_opts opts = { .config_path = f->conf, .log_level = -1 };
	struct kg_conf c;
	struct kg_err err;

	write_file(f->conf, "[general]\nlog_level = warning\n", 0600);
	assert_int_equal(kg_service_conf_load(&opts, "/tmp/default.db", &c, &err), 0);
	assert_string_equal(c.db, "/tmp/default.db");
	assert_int_equal(c.log_level, KG_LOG_WARNING);
	assert_string_equal(c.listen.v[0], "127.0.0.1:5545");
	kg_conf_clear(&c);

	kg_strv_push(&listen, "127.0.0.1:6000", (size_t)-1);
	opts.db = "/tmp/given.db";
	opts.listen = &listen;
	opts.log_level = KG_LOG_DEBUG;
	write_file(f->conf, "[general]\ndb = /tmp/file.db\n", 0600);
	assert_int_equal(kg_service_conf_load(&opts, "/tmp/default.db", &c, &err), 0);
	assert_string_equal(c.db, "/tmp/given.db");
	assert_int_equal(c.listen.n, 1);
	assert_string_equal(c.listen.v[0], "127.0.0.1:6000");
	assert_int_equal(c.log_level, KG_LOG_DEBUG);
	kg_conf_clear(&c);
	kg_strv_clear(&listen);

	write_file(f->conf, "[general]\ncolour = blue\n", 0600);
	assert_int_equal(kg_service_conf_load(&opts, NULL, &c, &err), -1);
	assert_non_null(strstr(err.msg, "kigen.conf:2: "));
}

static struct kg_service *
new_service(struct fixture *f, const struct kg_service_opts *opts)
{
	struct kg_conf *c = calloc(1, sizeof(*c));
	struct kg_service *s;
	struct kg_err err;

	assert_int_equal(kg_service_conf_load(opts, "/tmp/k.db", c, &err), 0);
	assert_int_equal(kg_service_new(opts, "/tmp/k.db", c, &s, &err), 0);
	(void)f;
	return s;
}

static void
test_reload(void **state)
{
	struct fixture *f = *state;
	struct kg_service_opts opts = { .config_path = f->conf, .log_level = -1 };
	struct kg_service *s;
	struct kg_err err;

	/* Not attached to a loop: no modules to apply to, still atomic. */
	write_file(f->conf, "[feed]\nname = first\n[http]\nlisten = 127.0.0.1:7001\n", 0600);
	s = new_service(f, &opts);
	write_file(f->conf, "[feed]\nname = second\n[http]\nlisten = 127.0.0.1:7002\n", 0600);
	assert_int_equal(kg_service_reload(s, &err), 0);
	assert_string_equal(kg_service_conf(s)->feed_name, "second");
	/* listen is read at start only: the running value stays in force */
	assert_string_equal(kg_service_conf(s)->listen.v[0], "127.0.0.1:7001");

	write_file(f->conf, "[feed]\nname = third\nrefresh = soon\n", 0600);
	assert_int_equal(kg_service_reload(s, &err), -1);
	assert_non_null(strstr(err.msg, "kigen.conf:3: "));
	assert_string_equal(kg_service_conf(s)->feed_name, "second");
	kg_service_free(s);
}

static void
drain(void *arg)
{
	((struct fixture *)arg)->drains++;
}

static bool
busy(void *arg)
{
	return ((struct fixture *)arg)->busy;
}

struct running {
	struct kg_loop *loop;
	int rc;
};

static void *
run_loop(void *arg)
{
	struct running *r = arg;
	struct kg_err err;

	r->rc = kg_loop_run(r->loop, &err);
	return NULL;
}

/* Waits until *counter (set by the loop thread) reaches value, for at most
 * TIMEOUT_MS; returns what it holds then. */
static int
wait_for(const int *counter, int value)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (*(volatile const int *)counter >= value)
			break;
		usleep(10000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 < TIMEOUT_MS);
	return *(volatile const int *)counter;
}

static void
test_attached(void **state)
{
	struct fixture *f = *state;
	struct kg_service_opts opts = { .config_path = f->conf, .log_level = -1 };
	struct kg_service_ops ops = { .apply = apply, .drain = drain, .busy = busy, .arg = f };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { TIMEOUT_MS / 1000, 0 };
	struct running r = { 0 };
	struct kg_service *s;
	struct kg_err err;
	pthread_t thread;
	json_t *reply;
	char notify[160], buf[256];
	ssize_t n;
	int nfd;

	/* Receive sd_notify messages like systemd would. */
	snprintf(notify, sizeof(notify), "%s/notify", f->dir);
	strcpy(sa.sun_path, notify);
	nfd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(nfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(nfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setenv("NOTIFY_SOCKET", notify, 1);

	snprintf(buf, sizeof(buf), "[feed]\nname = first\n[control]\nsocket = %s\n", f->sock);
	write_file(f->conf, buf, 0600);
	s = new_service(f, &opts);
	assert_int_equal(kg_loop_new(NULL, &r.loop, &err), 0);
	assert_int_equal(kg_service_attach(s, r.loop, &ops, &err), 0);
	assert_int_equal(pthread_create(&thread, NULL, run_loop, &r), 0);

	n = recv(nfd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "READY=1\nSTATUS=serving on 127.0.0.1:5545; data version 0");

	assert_int_equal(ctl_peer_ask(f->sock, "status", TIMEOUT_MS, &reply, &err), 0);
	assert_string_equal(json_string_value(json_object_get(reply, "db")), "/tmp/k.db");
	assert_string_equal(json_string_value(json_object_get(reply, "config")), f->conf);
	assert_string_equal(json_string_value(json_array_get(json_object_get(reply, "listen"), 0)),
	    "127.0.0.1:5545");
	assert_true(json_is_null(json_object_get(reply, "last_import")));
	json_decref(reply);

	/* kigen reload: a good file, then a bad one that changes nothing. */
	write_file(f->conf, "[feed]\nname = second\n", 0600);
	assert_int_equal(ctl_peer_ask(f->sock, "reload", TIMEOUT_MS, &reply, &err), 0);
	json_decref(reply);
	assert_int_equal(f->applied, 1);
	assert_string_equal(f->applied_name, "second");
	write_file(f->conf, "[feed]\nname = third\nbogus = 1\n", 0600);
	assert_int_equal(ctl_peer_ask(f->sock, "reload", TIMEOUT_MS, &reply, &err), -1);
	assert_non_null(strstr(err.msg, "reload rejected, the configuration in force stays: "));
	assert_non_null(strstr(err.msg, "kigen.conf:3: "));
	assert_int_equal(f->applied, 1);

	/* SIGHUP does the same; a module refusing the file also changes nothing. */
	write_file(f->conf, "[feed]\nname = fourth\n", 0600);
	kill(getpid(), SIGHUP);
	assert_int_equal(wait_for(&f->applied, 2), 2);
	assert_string_equal(f->applied_name, "fourth");
	f->refuse = 1;
	write_file(f->conf, "[feed]\nname = fifth\n", 0600);
	assert_int_equal(ctl_peer_ask(f->sock, "reload", TIMEOUT_MS, &reply, &err), -1);
	assert_non_null(strstr(err.msg, "cannot use time zone"));
	assert_int_equal(f->applied, 2);

	/* SIGTERM with work in flight: the loop drains (still answering on the
	 * control socket) until the work is done, then stops; STOPPING said. */
	f->busy = 1;
	kill(getpid(), SIGTERM);
	assert_int_equal(wait_for(&f->drains, 1), 1);
	assert_int_equal(ctl_peer_ask(f->sock, "status", TIMEOUT_MS, &reply, &err), 0);
	json_decref(reply);
	f->busy = 0;
	pthread_join(thread, NULL);
	alarm(0);
	assert_int_equal(r.rc, 0);
	for (;;) {
		n = recv(nfd, buf, sizeof(buf) - 1, 0);
		assert_true(n > 0);
		buf[n] = '\0';
		if (strcmp(buf, "STOPPING=1") == 0)
			break;
	}
	kg_service_free(s);
	kg_loop_free(r.loop);
	assert_int_equal(access(f->sock, F_OK), -1); /* socket removed */
	unsetenv("NOTIFY_SOCKET");
	close(nfd);
	unlink(notify);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_secrets_exposed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attached, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
