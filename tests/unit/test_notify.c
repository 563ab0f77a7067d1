/* Unit tests for daemon/notify: the messages reach $NOTIFY_SOCKET as
 * systemd expects them, and nothing happens without it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

struct receiver {
	char dir[64];
	char path[96];
	int fd;
};

static int
setup(void **state)
{
	struct receiver *r = calloc(1, sizeof(*r));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { 30, 0 };

	strcpy(r->dir, "/tmp/kigen-notify-XXXXXX");
	if (mkdtemp(r->dir) == NULL)
		return -1;
	snprintf(r->path, sizeof(r->path), "%s/notify", r->dir);
	strcpy(sa.sun_path, r->path);
	r->fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (bind(r->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setenv("NOTIFY_SOCKET", r->path, 1);
	*state = r;
	return 0;
}

static int
teardown(void **state)
{
	struct receiver *r = *state;

	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	close(r->fd);
	unlink(r->path);
	rmdir(r->dir);
	free(r);
	return 0;
}

static const char *
next_message(struct receiver *r)
{
	static char buf[512];
	ssize_t n = recv(r->fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return "";
	buf[n] = '\0';
	return buf;
}

static void
test_messages(void **state)
{
	struct receiver *r = *state;
	const char *m;

	kg_notify_ready("serving 12 milestones on 127.0.0.1:5545");
	assert_string_equal(next_message(r), "READY=1\nSTATUS=serving 12 milestones on 127.0.0.1:5545");
	kg_notify_status("next reminder %s", "2008-11-24 09:00");
	assert_string_equal(next_message(r), "STATUS=next reminder 2008-11-24 09:00");
	kg_notify_reloading();
	m = next_message(r);
	assert_true(strncmp(m, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0);
	assert_true(strtoull(m + 27, NULL, 10) > 0);
	kg_notify_watchdog();
	assert_string_equal(next_message(r), "WATCHDOG=1");
	kg_notify_stopping();
	assert_string_equal(next_message(r), "STOPPING=1");
}

static void
test_watchdog_interval(void **state)
{
	char pid[32];

	(void)state;
	assert_int_equal(kg_notify_watchdog_interval_us(), 0);
	setenv("WATCHDOG_USEC", "60000000", 1);
	assert_int_equal(kg_notify_watchdog_interval_us(), 30000000);
	/* A watchdog meant for another process is not ours. */
	snprintf(pid, sizeof(pid), "%d", (int)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(kg_notify_watchdog_interval_us(), 0);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(kg_notify_watchdog_interval_us(), 30000000);
}

/* Without $NOTIFY_SOCKET nothing is sent anywhere: the receiver, still
 * bound, gets nothing, and every call returns. */
static void
test_without_systemd(void **state)
{
	struct receiver *r = *state;
	char buf[64];

	unsetenv("NOTIFY_SOCKET");
	kg_notify_ready("x");
	kg_notify_status("y");
	kg_notify_reloading();
	kg_notify_watchdog();
	kg_notify_stopping();
	assert_int_equal(recv(r->fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	assert_int_equal(kg_notify_watchdog_interval_us(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_without_systemd, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
