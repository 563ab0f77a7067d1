/* Unit tests for daemon/conns: absolute head deadlines, room made for new
 * connections by closing the longest-waiting one, refusals when nobody
 * waits — on socket pairs, whose other end sees the shutdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conns.h"
#include "loop.h"

#define N 4

struct pair {
	int ours, theirs;
	struct kg_conn c;
};

static void
pairs_open(struct pair *p, size_t n)
{
	int sv[2];
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		p[i].ours = sv[0];
		p[i].theirs = sv[1];
	}
}

static void
pairs_close(struct pair *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		close(p[i].ours);
		close(p[i].theirs);
	}
}

/* Was our end shut down?  The other end then reads the end of the stream. */
static int
is_shut(const struct pair *p)
{
	char b;

	return recv(p->theirs, &b, 1, MSG_DONTWAIT) == 0;
}

static void
test_deadline(void **state)
{
	struct pair p[N];
	struct kg_conns *cs;
	struct kg_conns_stats st;
	struct kg_err err;

	(void)state;
	pairs_open(p, N);
	assert_int_equal(kg_conns_new(10, 1000, false, &cs, &err), 0);
	assert_true(kg_conns_add(cs, &p[0].c, p[0].ours, 0));
	assert_true(kg_conns_add(cs, &p[1].c, p[1].ours, 400));
	assert_true(kg_conns_add(cs, &p[2].c, p[2].ours, 500));
	kg_conns_head_done(cs, &p[2].c);          /* a request in progress */
	assert_int_equal(kg_conns_sweep(cs, 999), 1);
	assert_false(is_shut(&p[0]));
	/* Absolute: at 1000 the first head is overdue, whatever it sent. */
	assert_int_equal(kg_conns_sweep(cs, 1000), 400);
	assert_true(is_shut(&p[0]));
	assert_false(is_shut(&p[1]));
	/* The second answers a request, then waits for the next head anew. */
	kg_conns_head_done(cs, &p[1].c);
	kg_conns_wait(cs, &p[1].c, 1300);
	assert_int_equal(kg_conns_sweep(cs, 1400), 900);
	assert_int_equal(kg_conns_sweep(cs, 5000), -1);
	assert_true(is_shut(&p[1]));
	assert_false(is_shut(&p[2]));             /* busy: no head deadline */
	kg_conns_stats(cs, &st);
	assert_int_equal(st.open, 3);
	assert_int_equal(st.overdue, 2);
	kg_conns_remove(cs, &p[0].c);
	kg_conns_remove(cs, &p[1].c);
	kg_conns_remove(cs, &p[2].c);
	kg_conns_stats(cs, &st);
	assert_int_equal(st.open, 0);
	kg_conns_free(cs);
	pairs_close(p, N);
}

static void
test_room(void **state)
{
	struct pair p[N];
	struct kg_conns *cs;
	struct kg_conns_stats st;
	struct kg_err err;

	(void)state;
	pairs_open(p, N);
	assert_int_equal(kg_conns_new(2, 10000, false, &cs, &err), 0);
	assert_true(kg_conns_add(cs, &p[0].c, p[0].ours, 0));
	assert_true(kg_conns_add(cs, &p[1].c, p[1].ours, 1));
	/* A third: the longest-waiting one makes room. */
	assert_true(kg_conns_add(cs, &p[2].c, p[2].ours, 2));
	assert_true(is_shut(&p[0]));
	assert_false(is_shut(&p[1]));
	/* Both others busy with requests: the new one is refused. */
	kg_conns_head_done(cs, &p[1].c);
	kg_conns_head_done(cs, &p[2].c);
	assert_false(kg_conns_add(cs, &p[3].c, p[3].ours, 3));
	assert_true(is_shut(&p[3]));
	assert_false(is_shut(&p[1]));
	assert_false(is_shut(&p[2]));
	/* Closing ones count until libmicrohttpd removes them, but not
	 * against the limit. */
	kg_conns_stats(cs, &st);
	assert_int_equal(st.open, 4);
	assert_int_equal(st.evicted, 1);
	assert_int_equal(st.refused, 1);
	/* A shut connection is never shut again, nor waits. */
	kg_conns_wait(cs, &p[0].c, 5);
	assert_int_equal(kg_conns_sweep(cs, 100000), -1);
	kg_conns_stats(cs, &st);
	assert_int_equal(st.overdue, 0);
	kg_conns_remove(cs, &p[3].c);
	kg_conns_remove(cs, &p[0].c);
	kg_conns_remove(cs, &p[1].c);
	kg_conns_remove(cs, &p[2].c);
	kg_conns_free(cs);
	pairs_close(p, N);
}

/* The sweeper thread closes an overdue head by itself. */
static void
test_sweeper(void **state)
{
	struct pair p[1];
	struct kg_conns *cs;
	struct kg_err err;
	int i;

	(void)state;
	pairs_open(p, 1);
	assert_int_equal(kg_conns_new(10, 50, true, &cs, &err), 0);
	assert_true(kg_conns_add(cs, &p[0].c, p[0].ours, kg_loop_mono_ms()));
	for (i = 0; i < 3000 && !is_shut(&p[0]); i++)
		usleep(10000); /* a condition polled, up to 30 s */
	assert_true(is_shut(&p[0]));
	kg_conns_remove(cs, &p[0].c);
	kg_conns_free(cs);
	pairs_close(p, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_room),
		cmocka_unit_test(test_sweeper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
