/*
 * Unit tests for lib/fetch against a libmicrohttpd server of the test's own
 * on 127.0.0.1 (a free port): a document with validators, 304 to a
 * conditional request, 404, a slow answer, a redirect loop, a redirect to
 * another protocol, bodies above the limit (announced and not), a TLS
 * handshake with a plain HTTP server, and URLs that are not http(s).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch.h"

#define DOC "%PDF-1.4 a document\n"
#define ETAG "\"v1\""
#define LASTMOD "Tue, 30 Sep 2008 09:00:00 GMT"

static struct MHD_Daemon *server;
static unsigned short port;
/* The slow handler waits on this until the test is over (a condition, so
 * the server stops at once whatever the machine's speed). */
static pthread_mutex_t slow_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cv = PTHREAD_COND_INITIALIZER;
static bool stopping;

static ssize_t
zeros(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	if (pos >= 4096)
		return MHD_CONTENT_READER_END_OF_STREAM;
	memset(buf, '0', max < 512 ? max : 512);
	return (ssize_t)(max < 512 ? max : 512);
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned int status, const char *body, const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (location != NULL)
		MHD_add_response_header(r, "Location", location);
	if (status == 200) {
		MHD_add_response_header(r, "ETag", ETAG);
		MHD_add_response_header(r, "Last-Modified", LASTMOD);
		MHD_add_response_header(r, "Content-Type", "application/pdf");
	}
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **state)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *inm;

	(void)cls, (void)method, (void)version, (void)upload, (void)upload_len;
	if (*state == NULL) { /* headers only so far */
		*state = (void *)1;
		return MHD_YES;
	}
	if (strcmp(url, "/doc.pdf") == 0) {
		inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
		return reply(c, inm != NULL && strcmp(inm, ETAG) == 0 ? 304 : 200, DOC, NULL);
	}
	if (strcmp(url, "/loop") == 0)
		return reply(c, 302, "", "/loop");
	if (strcmp(url, "/ftp") == 0)
		return reply(c, 302, "", "ftp://127.0.0.1/doc.pdf");
	if (strcmp(url, "/moved") == 0)
		return reply(c, 301, "", "/doc.pdf");
	if (strcmp(url, "/slow") == 0) {
		pthread_mutex_lock(&slow_mu);
		while (!stopping)
			pthread_cond_wait(&slow_cv, &slow_mu);
		pthread_mutex_unlock(&slow_mu);
		return reply(c, 200, DOC, NULL);
	}
	if (strcmp(url, "/big") == 0 || strcmp(url, "/big-chunked") == 0) {
		r = MHD_create_response_from_callback(strcmp(url, "/big") == 0 ? 4096 :
		    MHD_SIZE_UNKNOWN, 512, zeros, NULL, NULL);
		ret = MHD_queue_response(c, 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	return reply(c, 404, "not here", NULL);
}

static int
setup(void **st)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};

	(void)st;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	server = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
	    0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
	if (server == NULL)
		return -1;
	info = MHD_get_daemon_info(server, MHD_DAEMON_INFO_BIND_PORT);
	port = info->port;
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	pthread_mutex_lock(&slow_mu);
	stopping = true;
	pthread_cond_broadcast(&slow_cv);
	pthread_mutex_unlock(&slow_mu);
	MHD_stop_daemon(server);
	curl_global_cleanup();
	return 0;
}

static char *
url_of(const char *scheme, const char *path)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s://127.0.0.1:%u%s", scheme, port, path);
	return buf;
}

static void
test_ok_and_not_modified(void **state)
{
	struct kg_fetch_opts o = {.url = url_of("http", "/doc.pdf")};
	struct kg_fetch_result r;
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_fetch_perform(&o, &r, &err), 0);
	assert_int_equal(r.outcome, KG_FETCH_OK);
	assert_int_equal(r.http_status, 200);
	assert_int_equal(r.len, strlen(DOC));
	assert_memory_equal(r.body, DOC, strlen(DOC));
	assert_string_equal(r.etag, ETAG);
	assert_string_equal(r.last_modified, LASTMOD);
	assert_string_equal(r.content_type, "application/pdf");
	assert_string_equal(r.final_url, o.url);
	kg_fetch_result_clear(&r);

	/* the validators of that answer make the next request conditional */
	o.etag = ETAG;
	o.last_modified = LASTMOD;
	assert_int_equal(kg_fetch_perform(&o, &r, &err), 0);
	assert_int_equal(r.outcome, KG_FETCH_NOT_MODIFIED);
	assert_int_equal(r.http_status, 304);
	assert_null(r.body);
	kg_fetch_result_clear(&r);

	/* a redirect within http is followed; the final URL is reported */
	o = (struct kg_fetch_opts){.url = url_of("http", "/moved")};
	assert_int_equal(kg_fetch_perform(&o, &r, &err), 0);
	assert_int_equal(r.outcome, KG_FETCH_OK);
	assert_string_equal(r.final_url, url_of("http", "/doc.pdf"));
	kg_fetch_result_clear(&r);
}

static void
test_failures(void **state)
{
	static const struct {
		const char *scheme, *path;
		int64_t timeout_ms;
		size_t max_bytes;
		const char *want;
	} cases[] = {
		{"http", "/missing.pdf", 0, 0, "': http 404"},
		{"http", "/loop", 0, 0, "': too many redirects (more than 5)"},
		{"http", "/ftp", 0, 0, "': redirected to a protocol other than http and https"},
		{"http", "/slow", 300, 0, "': timed out after 1 s"},
		{"http", "/big", 0, 1000, "': larger than the limit of 1000 bytes"},
		{"http", "/big-chunked", 0, 1000, "': larger than the limit of 1000 bytes"},
		{"https", "/doc.pdf", 0, 0, "': TLS failure ("},
	};
	struct kg_fetch_result r;
	struct kg_err err;
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kg_fetch_opts o = {.url = url_of(cases[i].scheme, cases[i].path),
		    .timeout_ms = cases[i].timeout_ms, .max_bytes = cases[i].max_bytes};

		snprintf(want, sizeof(want), "cannot download '%s%s", o.url, cases[i].want);
		assert_int_equal(kg_fetch_perform(&o, &r, &err), -1);
		assert_int_equal(r.outcome, KG_FETCH_FAILED);
		if (strncmp(r.error, want, strlen(want)) != 0 || strcmp(err.msg, r.error) != 0)
			fail_msg("case %zu: '%s', want '%s…'", i, r.error, want);
		assert_null(r.body);
		kg_fetch_result_clear(&r);
	}
}

static bool
always(void *arg)
{
	(*(int *)arg)++;
	return true;
}

/* A transfer its caller gives up on ends at once, whatever the server. */
static void
test_cancel(void **state)
{
	int polls = 0;
	struct kg_fetch_opts o = {.url = url_of("http", "/slow"), .cancelled = always,
		.cancel_arg = &polls};
	struct kg_fetch_result r;
	struct kg_err err;
	char want[256];

	(void)state;
	snprintf(want, sizeof(want), "cannot download '%s': cancelled", o.url);
	assert_int_equal(kg_fetch_perform(&o, &r, &err), -1);
	assert_string_equal(err.msg, want);
	assert_true(polls >= 1);
	kg_fetch_result_clear(&r);
}

static void
test_bad_urls(void **state)
{
	static const char *const urls[] = {"ftp://127.0.0.1/x.pdf", "file:///etc/passwd",
		"report.pdf", ""};
	struct kg_fetch_result r;
	struct kg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct kg_fetch_opts o = {.url = urls[i]};

		assert_int_equal(kg_fetch_perform(&o, &r, &err), -1);
		assert_non_null(strstr(err.msg, "(expected http:// or https://)"));
		assert_non_null(strstr(r.error, urls[i]));
		kg_fetch_result_clear(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_and_not_modified),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_bad_urls),
	};

	return cmocka_run_group_tests_name("fetch", tests, setup, teardown);
}
