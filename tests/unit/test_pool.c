/* Unit tests for daemon/pool: every job is called exactly once (run on a
 * thread, or told the pool stopped), admission is threads + queue, jobs
 * waiting when the pool stops are not run, jobs running finish.  Jobs that
 * must hold a thread wait on a gate the test opens; every wait is for a
 * condition, with a generous deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "pool.h"

#define DEADLINE_S 60

struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool open;
	int started, ran, cancelled;
};

static struct gate g;

static int
setup(void **state)
{
	(void)state;
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	g.open = false;
	g.started = g.ran = g.cancelled = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.lock);
	return 0;
}

/* A job that holds its thread until the gate opens. */
static void
gated(void *arg, bool run)
{
	(void)arg;
	pthread_mutex_lock(&g.lock);
	if (run) {
		g.started++;
		pthread_cond_broadcast(&g.cond);
		while (!g.open)
			pthread_cond_wait(&g.cond, &g.lock);
		g.ran++;
	} else {
		g.cancelled++;
	}
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
}

/* Waits until *count reaches n; false after DEADLINE_S. */
static bool
wait_count(const int *count, int n)
{
	struct timespec until;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += DEADLINE_S;
	pthread_mutex_lock(&g.lock);
	while (*count < n && ok)
		ok = pthread_cond_timedwait(&g.cond, &g.lock, &until) == 0 || *count >= n;
	pthread_mutex_unlock(&g.lock);
	return ok;
}

static void
gate_open(void)
{
	pthread_mutex_lock(&g.lock);
	g.open = true;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
}

/* Opens the gate once the waiting jobs were told the pool stopped (or
 * after the deadline: the test then fails on the count, not by hanging). */
static void *
gate_opener(void *arg)
{
	(void)arg;
	(void)wait_count(&g.cancelled, 2);
	gate_open();
	return NULL;
}

static void
test_runs_each_job_once(void **state)
{
	struct kg_pool *p;
	struct kg_err err;
	int i;

	(void)state;
	assert_int_equal(kg_pool_new(2, 100, &p, &err), 0);
	assert_int_equal(kg_pool_threads(p), 2);
	gate_open();
	for (i = 0; i < 100; i++)
		assert_true(kg_pool_submit(p, gated, NULL));
	assert_true(wait_count(&g.ran, 100));
	kg_pool_free(p);
	assert_int_equal(g.ran, 100);
	assert_int_equal(g.started, 100);
	assert_int_equal(g.cancelled, 0);
}

static void
test_admission_is_threads_plus_queue(void **state)
{
	struct kg_pool *p;
	struct kg_err err;
	size_t waiting, running;

	(void)state;
	assert_int_equal(kg_pool_new(1, 2, &p, &err), 0);
	assert_true(kg_pool_submit(p, gated, NULL));
	assert_true(wait_count(&g.started, 1));    /* the thread holds it */
	assert_true(kg_pool_submit(p, gated, NULL));
	assert_true(kg_pool_submit(p, gated, NULL));
	assert_false(kg_pool_submit(p, gated, NULL)); /* 1 running + 2 waiting */
	kg_pool_load(p, &waiting, &running);
	assert_int_equal(waiting, 2);
	assert_int_equal(running, 1);
	gate_open();
	assert_true(wait_count(&g.ran, 3));
	kg_pool_free(p);
	assert_int_equal(g.cancelled, 0);
}

static void
test_queue_zero_takes_only_free_threads(void **state)
{
	struct kg_pool *p;
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_pool_new(2, 0, &p, &err), 0);
	assert_true(kg_pool_submit(p, gated, NULL));
	assert_true(kg_pool_submit(p, gated, NULL));
	assert_false(kg_pool_submit(p, gated, NULL));
	assert_true(wait_count(&g.started, 2));
	gate_open();
	assert_true(wait_count(&g.ran, 2));
	kg_pool_free(p);
}

static void
test_stop_cancels_waiting_finishes_running(void **state)
{
	struct kg_pool *p;
	struct kg_err err;
	size_t waiting, running;
	pthread_t opener;

	(void)state;
	assert_int_equal(kg_pool_new(1, 3, &p, &err), 0);
	assert_true(kg_pool_submit(p, gated, NULL));
	assert_true(wait_count(&g.started, 1));
	assert_true(kg_pool_submit(p, gated, NULL));
	assert_true(kg_pool_submit(p, gated, NULL));
	/* kg_pool_stop tells the waiting jobs first, then waits for the
	 * running one, which the opener lets finish. */
	assert_int_equal(pthread_create(&opener, NULL, gate_opener, NULL), 0);
	kg_pool_stop(p);
	pthread_join(opener, NULL);
	assert_int_equal(g.cancelled, 2);
	assert_int_equal(g.ran, 1);
	assert_false(kg_pool_submit(p, gated, NULL)); /* stopped */
	kg_pool_load(p, &waiting, &running);
	assert_int_equal(waiting, 0);
	assert_int_equal(running, 0);
	kg_pool_stop(p);                              /* idempotent */
	kg_pool_free(p);
	assert_int_equal(g.cancelled, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_runs_each_job_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admission_is_threads_plus_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_zero_takes_only_free_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_cancels_waiting_finishes_running, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
