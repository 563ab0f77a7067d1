/*
 * webhook_http — one HTTP attempt to deliver a webhook message.
 *
 * Sets up a libcurl easy handle: POST of the body with the Standard Webhooks
 * headers signed for this attempt (webhook-id, webhook-timestamp,
 * webhook-signature), the endpoint's own headers, connect and total
 * timeouts, no redirects, http(s) only, and a response buffer bounded to
 * KG_WEBHOOK_RESP_MAX bytes (the rest is read and dropped so the connection
 * can be reused).  kigend drives many attempts through one curl multi
 * handle; `kigen webhook test` performs one with curl_easy_perform.  Both
 * then classify the outcome with kg_webhook_attempt_result.
 */
#ifndef KG_WEBHOOK_HTTP_H
#define KG_WEBHOOK_HTTP_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "err.h"

#define KG_WEBHOOK_RESP_MAX 4096
/* Connecting never waits longer than this, whatever the total timeout. */
#define KG_WEBHOOK_CONNECT_TIMEOUT_MS 10000
/* A Retry-After longer than this is read as this. */
#define KG_WEBHOOK_RETRY_AFTER_MAX (24 * 3600)

struct kg_webhook_attempt {
	CURL *easy;
	struct curl_slist *headers;
	char *body;                       /* owned */
	char response[KG_WEBHOOK_RESP_MAX + 1]; /* NUL-terminated prefix of the answer */
	size_t response_len;
	char errbuf[CURL_ERROR_SIZE];
	void *user;                       /* the caller's, untouched here */
};

/*
 * Whether url is one a delivery can use, by libcurl's own URL parser (the
 * one every attempt goes through): an absolute http:// or https:// URL
 * with a host.  -1 with "invalid url '...' (why)" otherwise.
 */
int kg_webhook_url_check(const char *url, struct kg_err *err);

/*
 * Prepares an attempt of message `id` with `body` (stolen: freed by
 * release, even on failure) to endpoint ep, signed with timestamp `now`.
 * On failure -1, err set, and the attempt released.  The easy handle's
 * CURLOPT_PRIVATE points at a.
 */
int kg_webhook_attempt_init(struct kg_webhook_attempt *a, const struct kg_webhook_conf *ep,
    const char *id, int64_t now, char *body, struct kg_err *err);
void kg_webhook_attempt_release(struct kg_webhook_attempt *a); /* zeroed: NULL-safe */

enum kg_webhook_outcome {
	KG_WEBHOOK_OK,     /* 2xx */
	KG_WEBHOOK_RETRY,  /* network error, timeout, any other status */
	KG_WEBHOOK_GONE,   /* 410: stop sending to this endpoint */
};

struct kg_webhook_result {
	enum kg_webhook_outcome outcome;
	long http_status;          /* 0 when no response */
	int64_t retry_after_s;     /* from a Retry-After header; 0 = none */
	char error[256];           /* "" on success; "http 500", "timeout ..." */
};

/* Classifies a finished attempt whose transfer ended with `code`. */
void kg_webhook_attempt_result(struct kg_webhook_attempt *a, CURLcode code, int64_t now,
    struct kg_webhook_result *r);

/* Seconds from a Retry-After value (delta-seconds or HTTP-date) relative to
 * now, clamped to 0..KG_WEBHOOK_RETRY_AFTER_MAX; 0 when unparsable. */
int64_t kg_webhook_retry_after_parse(const char *value, int64_t now);

#endif
