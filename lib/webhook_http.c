/*
 * webhook_http — see webhook_http.h.  The signature is computed per attempt
 * (the spec signs the attempt's timestamp); the id and body stay the same
 * on every retry of a message.
 */
#include "webhook_http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webhook.h"

static size_t
on_response(char *data, size_t size, size_t nmemb, void *userp)
{
	struct kg_webhook_attempt *a = userp;
	size_t n = size * nmemb, room = KG_WEBHOOK_RESP_MAX - a->response_len;
	size_t keep = n < room ? n : room;

	memcpy(a->response + a->response_len, data, keep);
	a->response_len += keep;
	a->response[a->response_len] = '\0';
	return n;
}

static int
add_header(struct curl_slist **list, const char *line)
{
	struct curl_slist *l = curl_slist_append(*list, line);

	if (l == NULL)
		return -1;
	*list = l;
	return 0;
}

static int
build_headers(struct kg_webhook_attempt *a, const struct kg_webhook_conf *ep,
    const char *id, int64_t now, struct kg_err *err)
{
	char sig[KG_WEBHOOK_SIG_MAX], line[KG_WEBHOOK_SIG_MAX + KG_WEBHOOK_ID_MAX + 64];
	size_t i;

	if (kg_webhook_sign(ep->secret, id, now, a->body, strlen(a->body), sig, err) < 0)
		return kg_err_prefix(err, "webhook '%s'", ep->name);
	if (add_header(&a->headers, "Content-Type: application/json") < 0 ||
	    add_header(&a->headers, "User-Agent: kigen/" KIGEN_VERSION) < 0 ||
	    add_header(&a->headers, "Expect:") < 0)
		goto nomem;
	snprintf(line, sizeof(line), "webhook-id: %s", id);
	if (add_header(&a->headers, line) < 0)
		goto nomem;
	snprintf(line, sizeof(line), "webhook-timestamp: %lld", (long long)now);
	if (add_header(&a->headers, line) < 0)
		goto nomem;
	snprintf(line, sizeof(line), "webhook-signature: %s", sig);
	if (add_header(&a->headers, line) < 0)
		goto nomem;
	for (i = 0; i < ep->headers.n; i++)
		if (add_header(&a->headers, ep->headers.v[i]) < 0)
			goto nomem;
	return 0;
nomem:
	return kg_err_set(err, "out of memory preparing a webhook request");
}

int
kg_webhook_url_check(const char *url, struct kg_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	CURLUcode rc;
	int ret = -1;

	if (u == NULL)
		return kg_err_set(err, "out of memory");
	/* No default scheme, no guessing: what curl would refuse, we refuse. */
	if ((rc = curl_url_set(u, CURLUPART_URL, url, 0)) != CURLUE_OK)
		kg_err_set(err, "invalid url '%s' (%s)", url, curl_url_strerror(rc));
	else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
		kg_err_set(err, "invalid url '%s' (only http:// and https:// are delivered to)", url);
	else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0')
		kg_err_set(err, "invalid url '%s' (no host)", url);
	else
		ret = 0;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ret;
}

int
kg_webhook_attempt_init(struct kg_webhook_attempt *a, const struct kg_webhook_conf *ep,
    const char *id, int64_t now, char *body, struct kg_err *err)
{
	long timeout_ms = ep->timeout_ms > 0 ? (long)ep->timeout_ms : 15000;
	long connect_ms = timeout_ms < KG_WEBHOOK_CONNECT_TIMEOUT_MS ? timeout_ms :
	    KG_WEBHOOK_CONNECT_TIMEOUT_MS;
	CURL *e;

	memset(a, 0, sizeof(*a));
	a->body = body;
	if (kg_webhook_url_check(ep->url, err) < 0) {
		kg_err_prefix(err, "webhook '%s'", ep->name);
		goto fail;
	}
	if (build_headers(a, ep, id, now, err) < 0)
		goto fail;
	e = a->easy = curl_easy_init();
	if (e == NULL) {
		kg_err_set(err, "cannot create a curl handle");
		goto fail;
	}
	if (curl_easy_setopt(e, CURLOPT_URL, ep->url) != CURLE_OK) {
		kg_err_set(err, "webhook '%s': invalid url '%s'", ep->name, ep->url);
		goto fail;
	}
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, a->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(a->body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, a->headers);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_response);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, a->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, a);
	return 0;
fail:
	kg_webhook_attempt_release(a);
	return -1;
}

void
kg_webhook_attempt_release(struct kg_webhook_attempt *a)
{
	if (a == NULL)
		return;
	if (a->easy)
		curl_easy_cleanup(a->easy);
	curl_slist_free_all(a->headers);
	free(a->body);
	a->easy = NULL;
	a->headers = NULL;
	a->body = NULL;
}

int64_t
kg_webhook_retry_after_parse(const char *value, int64_t now)
{
	const char *p;
	long long secs = 0;
	time_t when;

	while (isspace((unsigned char)*value))
		value++;
	if (*value == '\0')
		return 0;
	for (p = value; isdigit((unsigned char)*p); p++)
		if (secs < KG_WEBHOOK_RETRY_AFTER_MAX)
			secs = secs * 10 + (*p - '0');
	if (p != value && (*p == '\0' || isspace((unsigned char)*p)))
		return secs < KG_WEBHOOK_RETRY_AFTER_MAX ? secs : KG_WEBHOOK_RETRY_AFTER_MAX;
	when = curl_getdate(value, NULL);
	if (when == (time_t)-1 || when <= now)
		return 0;
	return when - now < KG_WEBHOOK_RETRY_AFTER_MAX ? when - now : KG_WEBHOOK_RETRY_AFTER_MAX;
}

void
kg_webhook_attempt_result(struct kg_webhook_attempt *a, CURLcode code, int64_t now,
    struct kg_webhook_result *r)
{
	struct curl_header *h;

	memset(r, 0, sizeof(*r));
	curl_easy_getinfo(a->easy, CURLINFO_RESPONSE_CODE, &r->http_status);
	if (code != CURLE_OK) {
		r->outcome = KG_WEBHOOK_RETRY;
		snprintf(r->error, sizeof(r->error), "%s", a->errbuf[0] ? a->errbuf :
		    curl_easy_strerror(code));
		return;
	}
	if (r->http_status >= 200 && r->http_status < 300) {
		r->outcome = KG_WEBHOOK_OK;
		return;
	}
	r->outcome = r->http_status == 410 ? KG_WEBHOOK_GONE : KG_WEBHOOK_RETRY;
	snprintf(r->error, sizeof(r->error), "http %ld", r->http_status);
	if (curl_easy_header(a->easy, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK)
		r->retry_after_s = kg_webhook_retry_after_parse(h->value, now);
}
