/* Unit tests for daemon/loop: change detection through a second store
 * connection, ticks and their timeouts, fd watches, signals, stop. */
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
#include <unistd.h>

#include "loop.h"
#include "store.h"

struct counts {
	int changed, ticks, fd_events, signals;
	int fail_changed;     /* changed() fails this many times */
	int fail_call;        /* ... or on this call only (1-based) */
	int stop_after_changes;
	int idle_after_ticks; /* then tick returns -1: no deadline of its own */
	struct kg_store *writer; /* second connection: commits between ticks */
	int writes_left;
	int64_t first_tick_ms, last_tick_ms;
};

static int
on_changed(struct kg_loop *loop, void *arg, struct kg_err *err)
{
	struct counts *c = arg;

	c->changed++;
	if (c->fail_changed > 0 || c->fail_call == c->changed) {
		c->fail_changed--;
		return kg_err_set(err, "cannot load (test)");
	}
	if (c->stop_after_changes && c->changed >= c->stop_after_changes)
		kg_loop_stop(loop);
	return 0;
}

static int64_t
on_tick(struct kg_loop *loop, void *arg, int64_t now)
{
	struct counts *c = arg;

	(void)loop;
	assert_true(now > 1000000000); /* wall-clock seconds */
	c->ticks++;
	c->last_tick_ms = kg_loop_mono_ms();
	if (c->first_tick_ms == 0)
		c->first_tick_ms = c->last_tick_ms;
	if (c->writer != NULL && c->writes_left > 0 && c->ticks % 3 == 0) {
		struct kg_milestone m;
		struct kg_err err;

		memset(&m, 0, sizeof(m));
		m.title = (char *)"written by another connection";
		m.window_start = m.window_end = 14214;
		assert_int_equal(kg_store_milestone_add(c->writer, &m, &err), 0);
		free(m.uid);
		c->writes_left--;
	}
	if (c->idle_after_ticks && c->ticks >= c->idle_after_ticks)
		return -1;
	return 50;
}

static char *
temp_db(void)
{
	char *path = strdup("/tmp/kigen-test-loop-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return path;
}

static void
remove_db(char *path)
{
	char side[512];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	free(path);
}

/* Commits from another connection show up as changed() calls, about one
 * per second at most, plus the one at start. */
static void
test_changes_detected(void **state)
{
	struct kg_store *st, *writer;
	struct kg_loop *loop;
	struct kg_err err;
	struct counts c;
	struct kg_loop_hook hook = {"test", NULL, on_changed, on_tick};
	char *path = temp_db();

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(kg_store_open(path, KG_STORE_CREATE, &st, &err), 0);
	assert_int_equal(kg_store_open(path, 0, &writer, &err), 0);
	c.writer = writer;
	c.writes_left = 1;
	c.stop_after_changes = 2;
	hook.arg = &c;
	assert_int_equal(kg_loop_new(st, &loop, &err), 0);
	assert_int_equal(kg_loop_add_hook(loop, &hook, &err), 0);
	assert_int_equal(kg_loop_run(loop, &err), 0);
	assert_int_equal(c.changed, 2);
	assert_true(kg_loop_data_version(loop) != 0);
	/* The second change was seen on a data_version check, not at once. */
	assert_true(c.last_tick_ms - c.first_tick_ms >= 900);
	kg_loop_free(loop);
	kg_store_close(writer);
	kg_store_close(st);
	remove_db(path);
}

static int64_t
recheck_tick(struct kg_loop *loop, void *arg, int64_t now)
{
	(void)arg;
	(void)now;
	kg_loop_recheck(loop);
	return -1;
}

/* A failing changed() stops the loop at start, and is survived later. */
static void
test_first_change_failure(void **state)
{
	struct kg_loop *loop;
	struct kg_err err;
	struct counts c;
	struct kg_loop_hook hook = {"feeds", NULL, on_changed, NULL};

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fail_changed = 1;
	hook.arg = &c;
	assert_int_equal(kg_loop_new(NULL, &loop, &err), 0);
	assert_int_equal(kg_loop_add_hook(loop, &hook, &err), 0);
	assert_int_equal(kg_loop_run(loop, &err), -1);
	assert_string_equal(err.msg, "feeds: cannot load (test)");
	kg_loop_free(loop);

	/* Later: logged, and the next change is handled again. */
	memset(&c, 0, sizeof(c));
	c.fail_call = 2;
	c.stop_after_changes = 3;
	hook.arg = &c;
	hook.tick = recheck_tick;
	assert_int_equal(kg_loop_new(NULL, &loop, &err), 0);
	assert_int_equal(kg_loop_add_hook(loop, &hook, &err), 0);
	assert_int_equal(kg_loop_run(loop, &err), 0);
	assert_int_equal(c.changed, 3);
	kg_loop_free(loop);
}

static void
on_readable(struct kg_loop *loop, int fd, short revents, void *arg)
{
	struct counts *c = arg;
	char buf[16];

	assert_true(revents & POLLIN);
	assert_true(read(fd, buf, sizeof(buf)) > 0);
	c->fd_events++;
	kg_loop_unwatch(loop, fd);
	raise(SIGUSR1);
}

static void
on_usr1(struct kg_loop *loop, int signo, void *arg)
{
	struct counts *c = arg;

	assert_int_equal(signo, SIGUSR1);
	c->signals++;
	kg_loop_stop(loop);
}

/* A watched fd's callback runs in the loop; a signal raised there is
 * delivered to its handler through the pipe, in the loop thread. */
static void
test_watch_and_signal(void **state)
{
	struct kg_loop *loop;
	struct kg_err err;
	struct counts c;
	int fds[2];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "x", 1), 1);
	assert_int_equal(kg_loop_new(NULL, &loop, &err), 0);
	assert_int_equal(kg_loop_watch(loop, fds[0], POLLIN, on_readable, &c, &err), 0);
	assert_int_equal(kg_loop_on_signal(loop, SIGUSR1, on_usr1, &c, &err), 0);
	assert_int_equal(kg_loop_run(loop, &err), 0);
	assert_int_equal(c.fd_events, 1);
	assert_int_equal(c.signals, 1);
	kg_loop_free(loop);
	close(fds[0]);
	close(fds[1]);
}

struct stopper {
	struct kg_loop *loop;
	struct counts *c;
};

/* Stops the loop once it has ticked three times and gone idle (a condition,
 * not a delay: a loaded machine only makes it later). */
static void *
stop_when_idle(void *arg)
{
	struct stopper *s = arg;

	while (*(volatile int *)&s->c->ticks < 3)
		usleep(1000);
	kg_loop_stop(s->loop);
	return NULL;
}

/* Ticks follow their own timeouts (50 ms here), and another thread can stop
 * the loop while it sleeps with no deadline at all.  alarm() ends the test
 * if the stop never wakes the loop. */
static void
test_ticks_and_stop_from_thread(void **state)
{
	struct kg_loop *loop;
	struct kg_err err;
	struct counts c;
	struct kg_loop_hook hook = {"ticker", NULL, NULL, on_tick};
	struct stopper s;
	pthread_t th;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.idle_after_ticks = 3;
	hook.arg = &c;
	assert_int_equal(kg_loop_new(NULL, &loop, &err), 0);
	assert_int_equal(kg_loop_add_hook(loop, &hook, &err), 0);
	s.loop = loop;
	s.c = &c;
	assert_int_equal(pthread_create(&th, NULL, stop_when_idle, &s), 0);
	alarm(120);
	assert_int_equal(kg_loop_run(loop, &err), 0);
	alarm(0);
	pthread_join(th, NULL);
	/* Three ticks, no fourth after the stop; the ticks never came sooner
	 * than their 50 ms timeouts (a lower bound: a loaded machine only
	 * spreads them out). */
	assert_int_equal(c.ticks, 3);
	assert_true(c.last_tick_ms - c.first_tick_ms >= 2 * 45);
	kg_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_detected),
		cmocka_unit_test(test_first_change_failure),
		cmocka_unit_test(test_watch_and_signal),
		cmocka_unit_test(test_ticks_and_stop_from_thread),
	};

	return cmocka_run_group_tests_name("loop", tests, NULL, NULL);
}
