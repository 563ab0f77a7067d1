/*
 * Unit tests for daemon/deliver, the delivery state machine: a loop (as in
 * kigend) runs in a thread and ticks the deliverer with a fake clock the
 * test sets, against a receiver of the test's own (libmicrohttpd on
 * 127.0.0.1, a free port) that answers each endpoint from a script: 2xx
 * delivered; 5xx retried on the backoff schedule and failed after
 * max_attempts; 410 failed and the endpoint marked gone (no more requests
 * there); 429 retried no sooner than Retry-After; a retry past the row's
 * expiry abandoned; at most `concurrency` requests in flight per
 * endpoint; transfers cut short by a stop queued again, uncounted.
 * What the outbox says is read through a second database connection, as
 * `kigen deliveries` would; every wait is for a condition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "deliver.h"
#include "loop.h"
#include "milestone_fixture.h"
#include "outbox.h"
#include "store.h"

#define T0 1227484800 /* the fake clock's start: 2008-11-24 09:00 JST */
#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
/* Bounds only a hung test, generously so on a loaded machine. */
#define WAIT_MS 60000

/* ---- the receiver ---- */

#define HOLD 1 /* a script step: answer 200 once the test releases it */
#define ENDPOINTS_MAX 8

struct script {
	const char *name;          /* the URL path is /NAME */
	int steps[8];              /* status of request 1, 2, ...; the last repeats */
	int nsteps;
	int requests;
	int active, max_active;
	char last_id[64];          /* webhook-id of the last request */
	char last_body[256];
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct MHD_Daemon *mhd;
	unsigned short port;
	struct script s[ENDPOINTS_MAX];
	size_t n;
	bool released;
} rx = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

struct upload {
	char body[256];
	size_t len;
};

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *data_len, void **state)
{
	struct upload *up = *state;
	struct MHD_Response *r;
	struct script *s = NULL;
	const char *id;
	enum MHD_Result ret;
	size_t i, n;
	int status;

	(void)cls, (void)method, (void)version;
	if (up == NULL) { /* headers only so far */
		*state = calloc(1, sizeof(*up));
		return *state != NULL ? MHD_YES : MHD_NO;
	}
	if (*data_len > 0) {
		n = *data_len < sizeof(up->body) - 1 - up->len ? *data_len :
		    sizeof(up->body) - 1 - up->len;
		memcpy(up->body + up->len, data, n);
		up->len += n;
		*data_len = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&rx.mu);
	for (i = 0; i < rx.n; i++)
		if (strcmp(url + 1, rx.s[i].name) == 0)
			s = &rx.s[i];
	if (s == NULL) {
		pthread_mutex_unlock(&rx.mu);
		return MHD_NO;
	}
	status = s->steps[s->requests < s->nsteps ? s->requests : s->nsteps - 1];
	s->requests++;
	id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "webhook-id");
	snprintf(s->last_id, sizeof(s->last_id), "%s", id != NULL ? id : "");
	snprintf(s->last_body, sizeof(s->last_body), "%s", up->body);
	if (++s->active > s->max_active)
		s->max_active = s->active;
	pthread_cond_broadcast(&rx.cv);
	while (status == HOLD && !rx.released)
		pthread_cond_wait(&rx.cv, &rx.mu);
	s->active--;
	pthread_mutex_unlock(&rx.mu);
	free(up);
	*state = NULL;
	r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (status == 429)
		MHD_add_response_header(r, "Retry-After", "120");
	ret = MHD_queue_response(c, status == HOLD ? 200 : (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static void
request_done(void *cls, struct MHD_Connection *c, void **state,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	free(*state);
	*state = NULL;
}

static int
group_setup(void **state)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rx.mhd = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
	    0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_END);
	if (rx.mhd == NULL)
		return -1;
	rx.port = MHD_get_daemon_info(rx.mhd, MHD_DAEMON_INFO_BIND_PORT)->port;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	pthread_mutex_lock(&rx.mu);
	rx.released = true;
	pthread_cond_broadcast(&rx.cv);
	pthread_mutex_unlock(&rx.mu);
	MHD_stop_daemon(rx.mhd);
	return 0;
}

/* Waits until endpoint name has had `requests` requests with `active` of
 * them unanswered; false at the deadline. */
static bool
wait_requests(const char *name, int requests, int active)
{
	int64_t until = kg_loop_mono_ms() + WAIT_MS;
	struct script *s = NULL;
	bool ok = false;
	size_t i;

	pthread_mutex_lock(&rx.mu);
	for (i = 0; i < rx.n; i++)
		if (strcmp(rx.s[i].name, name) == 0)
			s = &rx.s[i];
	assert_non_null(s);
	while (!(ok = s->requests == requests && s->active == active) &&
	    kg_loop_mono_ms() < until) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&rx.cv, &rx.mu, &ts);
	}
	pthread_mutex_unlock(&rx.mu);
	return ok;
}

static struct script *
script(const char *name)
{
	size_t i;

	for (i = 0; i < rx.n; i++)
		if (strcmp(rx.s[i].name, name) == 0)
			return &rx.s[i];
	fail_msg("no endpoint '%s'", name);
	return NULL;
}

/* ---- kigend's side ---- */

struct fixture {
	char dir[64], db[128];
	struct kg_conf conf;
	struct kg_store *st, *reader;    /* the loop's connection; the test's */
	struct kg_outbox *ob, *rob;
	struct kg_loop *loop;
	struct kg_deliver *d;
	int64_t milestone, deadline;
	_Atomic int64_t now;             /* the fake clock */
	pthread_t thread;
	bool running;
};

static int64_t
on_tick(struct kg_loop *loop, void *arg, int64_t now)
{
	struct fixture *fx = arg;

	(void)loop;
	(void)now; /* the fake clock's instead */
	return kg_deliver_tick(fx->d, atomic_load(&fx->now));
}

static void *
run_loop(void *arg)
{
	struct fixture *fx = arg;
	struct kg_err err;

	if (kg_loop_run(fx->loop, &err) < 0)
		fprintf(stderr, "loop: %s\n", err.msg);
	return NULL;
}

/*
 * A fixture whose configuration has one [webhook:NAME] per line of conf
 * ("NAME key = value; key = value"), each with url /NAME on the receiver,
 * whose scripts are set from steps.
 */
static struct fixture *
fixture_new(const char *const *endpoints, const int steps[][8], size_t n)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct kg_loop_hook hook = { .name = "deliver" };
	struct kg_err err;
	char path[160];
	FILE *f;
	size_t i, j;

	strcpy(fx->dir, "/tmp/kigen-test-deliver-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/kigen.db", fx->dir);
	snprintf(path, sizeof(path), "%s/kigen.conf", fx->dir);
	f = fopen(path, "w");
	pthread_mutex_lock(&rx.mu);
	memset(rx.s, 0, sizeof(rx.s));
	rx.n = n;
	rx.released = false;
	for (i = 0; i < n; i++) {
		const char *sp = strchr(endpoints[i], ' ');
		size_t len = sp != NULL ? (size_t)(sp - endpoints[i]) : strlen(endpoints[i]);
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)len, endpoints[i]);
		rx.s[i].name = strndup(name, len);
		for (j = 0; j < 8 && steps[i][j] != 0; j++)
			rx.s[i].steps[j] = steps[i][j];
		rx.s[i].nsteps = (int)j;
		fprintf(f, "[webhook:%s]\nurl = http://127.0.0.1:%u/%s\nsecret = %s\ntimeout = 300s\n",
		    name, rx.port, name, SECRET);
		for (sp = sp != NULL ? sp + 1 : NULL; sp != NULL && *sp != '\0';) {
			len = strcspn(sp, ";");
			fprintf(f, "%.*s\n", (int)len, sp);
			sp += len;
			sp += strspn(sp, "; ");
		}
	}
	pthread_mutex_unlock(&rx.mu);
	fclose(f);
	if (kg_conf_load(path, &fx->conf, &err) < 0)
		fail_msg("conf: %s", err.msg);

	if (kg_store_open(fx->db, KG_STORE_CREATE, &fx->st, &err) < 0 ||
	    kg_store_open(fx->db, 0, &fx->reader, &err) < 0 ||
	    kg_outbox_open(fx->st, &fx->ob, &err) < 0 ||
	    kg_outbox_open(fx->reader, &fx->rob, &err) < 0)
		fail_msg("store: %s", err.msg);
	fx->deadline = kg_day_from_civil(2008, 12, 1);
	fx->milestone = fixture_milestone(fx->st, "演習を実施", fx->deadline, KG_STATUS_PLANNED,
	    NULL);

	atomic_store(&fx->now, T0);
	assert_int_equal(kg_loop_new(fx->st, &fx->loop, &err), 0);
	assert_int_equal(kg_deliver_new(fx->loop, fx->ob, &fx->conf, &fx->d, &err), 0);
	hook.arg = fx;
	hook.tick = on_tick;
	assert_int_equal(kg_loop_add_hook(fx->loop, &hook, &err), 0);
	return fx;
}

/* Queues a reminder (endpoint, lead) of the fixture's milestone, due now,
 * given up after expires_at. */
static void
enqueue(struct fixture *fx, const char *endpoint, int lead, int64_t expires_at)
{
	struct kg_delivery d = {0};
	struct kg_err err;
	char id[64], body[128];

	snprintf(id, sizeof(id), "msg_%s_%d", endpoint, lead);
	snprintf(body, sizeof(body), "{\"type\":\"milestone.reminder\",\"lead\":%d}", lead);
	d.endpoint = (char *)endpoint;
	d.milestone_id = fx->milestone;
	d.lead_days = lead;
	d.deadline = fx->deadline;
	d.type = (char *)"milestone.reminder";
	d.webhook_id = id;
	d.body = body;
	d.fire_at = atomic_load(&fx->now);
	d.expires_at = expires_at;
	if (kg_outbox_add(fx->rob, &d, atomic_load(&fx->now), &err) != 1)
		fail_msg("add: %s", err.msg);
}

static void
start(struct fixture *fx)
{
	assert_int_equal(pthread_create(&fx->thread, NULL, run_loop, fx), 0);
	fx->running = true;
}

static void
stop(struct fixture *fx)
{
	if (!fx->running)
		return;
	kg_loop_stop(fx->loop);
	pthread_join(fx->thread, NULL);
	fx->running = false;
}

/* Moves the fake clock and lets the loop see it. */
static void
set_clock(struct fixture *fx, int64_t t)
{
	atomic_store(&fx->now, t);
	kg_loop_wakeup(fx->loop);
}

static void
fixture_free(struct fixture *fx)
{
	char cmd[160];
	size_t i;

	stop(fx);
	kg_deliver_free(fx->d);
	kg_loop_free(fx->loop);
	kg_outbox_close(fx->ob);
	kg_outbox_close(fx->rob);
	kg_store_close(fx->st);
	kg_store_close(fx->reader);
	kg_conf_clear(&fx->conf);
	pthread_mutex_lock(&rx.mu);
	rx.released = true;
	pthread_cond_broadcast(&rx.cv);
	for (i = 0; i < rx.n; i++)
		free((char *)rx.s[i].name);
	rx.n = 0;
	pthread_mutex_unlock(&rx.mu);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
}

/* The outbox row (endpoint, lead) as the reader sees it now. */
static bool
row(struct fixture *fx, const char *endpoint, int lead, struct kg_delivery *out)
{
	struct kg_delivery_list l = {0};
	struct kg_err err;
	bool found = false;
	size_t i;

	if (kg_outbox_list(fx->rob, 0, 0, &l, &err) < 0)
		return false; /* busy: look again */
	for (i = 0; i < l.n; i++)
		if (!found && strcmp(l.v[i].endpoint, endpoint) == 0 && l.v[i].lead_days == lead) {
			*out = l.v[i];
			memset(&l.v[i], 0, sizeof(l.v[i]));
			found = true;
		}
	kg_delivery_list_clear(&l);
	return found;
}

/* Rows in status, as the reader sees them now. */
static int64_t
count(struct fixture *fx, enum kg_delivery_status status)
{
	struct kg_err err;
	int64_t n;

	if (kg_outbox_count(fx->rob, 1u << status, &n, &err) < 0)
		fail_msg("count: %s", err.msg);
	return n;
}

/* Waits until row (endpoint, lead) has status and attempts; fills *out. */
static void
wait_row(struct fixture *fx, const char *endpoint, int lead, enum kg_delivery_status status,
    int attempts, struct kg_delivery *out)
{
	int64_t until = kg_loop_mono_ms() + WAIT_MS;
	struct kg_delivery d;

	for (;;) {
		memset(&d, 0, sizeof(d));
		if (row(fx, endpoint, lead, &d) && d.status == status && d.attempts == attempts) {
			*out = d;
			return;
		}
		if (kg_loop_mono_ms() > until)
			fail_msg("%s %+d: %s after %d attempts, not %s after %d", endpoint, lead,
			    kg_delivery_status_name(d.status), d.attempts,
			    kg_delivery_status_name(status), attempts);
		kg_delivery_clear(&d);
		usleep(10 * 1000);
	}
}

static void
test_outcomes(void **state)
{
	static const char *const endpoints[] = {
		"ok",
		"flaky",
		"gone concurrency = 1",
		"busy",
		"broken max_attempts = 2",
		"late",
	};
	static const int steps[][8] = {
		{200}, {500, 200}, {410}, {429, 204}, {503}, {500},
	};
	struct fixture *fx = fixture_new(endpoints, steps, 6);
	struct kg_delivery d, g1, g2;
	struct kg_err err;
	int64_t until;
	bool gone;

	(void)state;
	enqueue(fx, "ok", 7, INT64_MAX);
	enqueue(fx, "flaky", 7, INT64_MAX);
	enqueue(fx, "gone", 7, INT64_MAX);
	enqueue(fx, "gone", 1, INT64_MAX);
	enqueue(fx, "busy", 7, INT64_MAX);
	enqueue(fx, "broken", 7, INT64_MAX);
	enqueue(fx, "late", 7, T0 + 3); /* no retry fits before this */
	start(fx);

	/* 2xx: delivered at the first attempt, with its webhook-id and body. */
	wait_row(fx, "ok", 7, KG_DLV_DELIVERED, 1, &d);
	assert_int_equal(d.last_http_status, 200);
	assert_int_equal(d.done_at, T0);
	assert_string_equal(script("ok")->last_id, "msg_ok_7");
	assert_string_equal(script("ok")->last_body, "{\"type\":\"milestone.reminder\",\"lead\":7}");
	kg_delivery_clear(&d);

	/* 5xx: retried after the first step of the schedule, 5 s +-10%. */
	wait_row(fx, "flaky", 7, KG_DLV_PENDING, 1, &d);
	assert_int_equal(d.last_http_status, 500);
	assert_true(d.next_attempt_at >= T0 + 5 && d.next_attempt_at <= T0 + 6);
	kg_delivery_clear(&d);

	/* 429: not before its Retry-After. */
	wait_row(fx, "busy", 7, KG_DLV_PENDING, 1, &d);
	assert_int_equal(d.last_http_status, 429);
	assert_true(d.next_attempt_at >= T0 + 120);
	kg_delivery_clear(&d);

	/* A retry after the expiry: abandoned. */
	wait_row(fx, "late", 7, KG_DLV_ABANDONED, 1, &d);
	assert_non_null(strstr(d.last_error, "deadline passed; last: "));
	kg_delivery_clear(&d);

	/* 410: that delivery failed, the endpoint marked, its other row never
	 * sent. */
	assert_true(wait_requests("gone", 1, 0));
	for (until = kg_loop_mono_ms() + WAIT_MS;; usleep(10 * 1000)) {
		memset(&g1, 0, sizeof(g1));
		memset(&g2, 0, sizeof(g2));
		if (row(fx, "gone", 7, &g1) && row(fx, "gone", 1, &g2) &&
		    (g1.status == KG_DLV_FAILED || g2.status == KG_DLV_FAILED))
			break;
		kg_delivery_clear(&g1);
		kg_delivery_clear(&g2);
		assert_true(kg_loop_mono_ms() < until);
	}
	if (g1.status != KG_DLV_FAILED) {
		d = g1;
		g1 = g2;
		g2 = d;
	}
	assert_int_equal(g1.last_http_status, 410);
	assert_string_equal(g1.last_error, "endpoint gone (http 410)");
	assert_int_equal(kg_outbox_endpoint_is_gone(fx->rob, "gone", fx->conf.webhooks[2].url,
	    &gone, &err), 0);
	assert_true(gone);
	kg_delivery_clear(&g1);

	/* Five seconds on: the retries are due.  The second 5xx of an endpoint
	 * allowed two attempts fails it. */
	wait_row(fx, "broken", 7, KG_DLV_PENDING, 1, &d);
	kg_delivery_clear(&d);
	set_clock(fx, T0 + 10);
	wait_row(fx, "flaky", 7, KG_DLV_DELIVERED, 2, &d);
	assert_int_equal(d.done_at, T0 + 10);
	kg_delivery_clear(&d);
	wait_row(fx, "broken", 7, KG_DLV_FAILED, 2, &d);
	assert_int_equal(d.last_http_status, 503);
	assert_int_equal(script("broken")->requests, 2);
	kg_delivery_clear(&d);
	/* Still waiting for its Retry-After; the gone endpoint still silent. */
	assert_true(row(fx, "busy", 7, &d));
	assert_int_equal(d.status, KG_DLV_PENDING);
	kg_delivery_clear(&d);
	assert_true(row(fx, "gone", g2.lead_days, &d));
	assert_int_equal(d.status, KG_DLV_PENDING);
	assert_int_equal(d.attempts, 0);
	kg_delivery_clear(&d);
	kg_delivery_clear(&g2);
	assert_int_equal(script("gone")->requests, 1);

	set_clock(fx, T0 + 200);
	wait_row(fx, "busy", 7, KG_DLV_DELIVERED, 2, &d);
	assert_int_equal(d.last_http_status, 204);
	kg_delivery_clear(&d);
	assert_int_equal(script("ok")->requests, 1); /* delivered once, sent once */
	fixture_free(fx);
}

/* No more than `concurrency` requests of an endpoint at once; the rest wait
 * for a slot, and all get through. */
static void
test_concurrency(void **state)
{
	static const char *const endpoints[] = { "pair concurrency = 2" };
	static const int steps[][8] = { {HOLD} };
	struct fixture *fx = fixture_new(endpoints, steps, 1);
	struct kg_delivery d;
	int lead;

	(void)state;
	for (lead = 1; lead <= 5; lead++)
		enqueue(fx, "pair", lead, INT64_MAX);
	start(fx);
	assert_true(wait_requests("pair", 2, 2));
	/* Two claimed, three waiting for a slot. */
	assert_int_equal(count(fx, KG_DLV_IN_FLIGHT), 2);
	assert_int_equal(count(fx, KG_DLV_PENDING), 3);
	pthread_mutex_lock(&rx.mu);
	rx.released = true;
	pthread_cond_broadcast(&rx.cv);
	pthread_mutex_unlock(&rx.mu);
	for (lead = 1; lead <= 5; lead++) {
		wait_row(fx, "pair", lead, KG_DLV_DELIVERED, 1, &d);
		kg_delivery_clear(&d);
	}
	assert_int_equal(script("pair")->requests, 5);
	assert_int_equal(script("pair")->max_active, 2);
	fixture_free(fx);
}

/* A stop with a request unanswered: the row goes back to pending, due at
 * once, the attempt not counted. */
static void
test_stop_in_flight(void **state)
{
	static const char *const endpoints[] = { "slow" };
	static const int steps[][8] = { {HOLD} };
	struct fixture *fx = fixture_new(endpoints, steps, 1);
	struct kg_delivery d;

	(void)state;
	enqueue(fx, "slow", 3, INT64_MAX);
	start(fx);
	assert_true(wait_requests("slow", 1, 1));
	wait_row(fx, "slow", 3, KG_DLV_IN_FLIGHT, 1, &d);
	kg_delivery_clear(&d);
	stop(fx);
	assert_int_equal(kg_deliver_in_flight(fx->d), 1);
	assert_true(kg_deliver_busy(fx->d));
	kg_deliver_free(fx->d);
	fx->d = NULL;
	assert_true(row(fx, "slow", 3, &d));
	assert_int_equal(d.status, KG_DLV_PENDING);
	assert_int_equal(d.attempts, 0); /* stopped, not failed: not counted */
	assert_true(d.next_attempt_at <= (int64_t)time(NULL));
	kg_delivery_clear(&d);
	fixture_free(fx);
}

/* Draining: nothing new starts. */
static void
test_drain(void **state)
{
	static const char *const endpoints[] = { "ok" };
	static const int steps[][8] = { {200} };
	struct fixture *fx = fixture_new(endpoints, steps, 1);
	struct kg_delivery d;

	(void)state;
	enqueue(fx, "ok", 7, INT64_MAX);
	kg_deliver_drain(fx->d);
	/* One tick by hand, then the loop's own: neither starts it. */
	assert_int_equal(kg_deliver_tick(fx->d, T0), -1);
	assert_false(kg_deliver_busy(fx->d));
	assert_int_equal(kg_deliver_in_flight(fx->d), 0);
	assert_true(row(fx, "ok", 7, &d));
	assert_int_equal(d.status, KG_DLV_PENDING);
	assert_int_equal(d.attempts, 0);
	kg_delivery_clear(&d);
	assert_int_equal(script("ok")->requests, 0);
	fixture_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_concurrency),
		cmocka_unit_test(test_stop_in_flight),
		cmocka_unit_test(test_drain),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
