/*
 * fetch — one download of a published document over HTTP(S) (libcurl).
 *
 * Sets up a libcurl easy handle for a GET of the document: http and https
 * only (redirects too, at most KG_FETCH_MAX_REDIRECTS), a total timeout and
 * a connect timeout, a body bounded to KG_TEXT_MAX_BYTES (a larger
 * Content-Length is refused before the body comes; a body that grows past
 * it is cut off), and optionally a conditional request (If-None-Match /
 * If-Modified-Since) from an earlier download's ETag and Last-Modified.
 * `kigen import URL` performs one with kg_fetch_perform (in the kigen-fetch
 * helper); kigend drives watched sources through its curl multi handle.
 * Both then read the outcome with kg_fetch_finish: the body and the
 * response's validators, "not modified", or one line saying what failed.
 */
#ifndef KG_FETCH_H
#define KG_FETCH_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

#define KG_FETCH_MAX_REDIRECTS 5
#define KG_FETCH_TIMEOUT_MS 60000         /* a whole download, by default */
#define KG_FETCH_CONNECT_TIMEOUT_MS 15000

struct kg_fetch_opts {
	const char *url;           /* http:// or https:// */
	int64_t timeout_ms;        /* 0: KG_FETCH_TIMEOUT_MS */
	size_t max_bytes;          /* 0: KG_TEXT_MAX_BYTES (textio.h) */
	const char *etag;          /* If-None-Match; NULL: none */
	const char *last_modified; /* If-Modified-Since; NULL: none */
	/* Polled during the transfer (from the thread running it); true
	 * aborts it ("cancelled").  NULL: never. */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
};

struct kg_fetch {
	CURL *easy;                /* CURLOPT_PRIVATE points at this struct */
	struct curl_slist *headers;
	char *url;
	char *body;                /* what came, NUL-terminated; owned */
	size_t len, cap, max_bytes;
	int64_t timeout_ms;
	bool too_large;            /* the body went past max_bytes */
	bool (*cancelled)(void *arg);
	void *cancel_arg;
	char errbuf[CURL_ERROR_SIZE];
	void *user;                /* the caller's, untouched here */
};

enum kg_fetch_outcome {
	KG_FETCH_OK,               /* 2xx: body and validators */
	KG_FETCH_NOT_MODIFIED,     /* 304 to a conditional request */
	KG_FETCH_FAILED,           /* error says why */
};

struct kg_fetch_result {
	enum kg_fetch_outcome outcome;
	long http_status;          /* 0 when no response */
	char *body;                /* KG_FETCH_OK: stolen from the fetch; caller frees */
	size_t len;
	char *final_url;           /* after redirects; NULL unless OK/NOT_MODIFIED */
	char *etag;                /* validators of the response; NULL when absent */
	char *last_modified;
	char *content_type;
	char error[KG_ERR_MAX];    /* KG_FETCH_FAILED: "cannot download 'URL': http 404" */
};

/*
 * Prepares f for o (copied; strings are copied too).  -1 with err set (and
 * f released) when o->url is not an http(s) URL curl accepts, or on ENOMEM.
 */
int kg_fetch_init(struct kg_fetch *f, const struct kg_fetch_opts *o, struct kg_err *err);

/* Frees the handle and what the fetch still owns; zeroed, so NULL-safe
 * and idempotent. */
void kg_fetch_release(struct kg_fetch *f);

/*
 * Reads the outcome of f's transfer, which ended with `code`, into r
 * (zeroed first; free it with kg_fetch_result_clear).  Failures, one line
 * each naming the URL: an http status other than 2xx/304 ("http 404 from
 * 'URL'"), a timeout, a TLS failure, too many redirects, a redirect to
 * another protocol, a body above the limit, a cancelled transfer, any other
 * curl error.  Returns
 * 0 when r->outcome is OK or NOT_MODIFIED, -1 when FAILED (r->error holds
 * the line; err, when not NULL, too); ENOMEM is a failure as well.
 */
int kg_fetch_finish(struct kg_fetch *f, CURLcode code, struct kg_fetch_result *r,
    struct kg_err *err);

void kg_fetch_result_clear(struct kg_fetch_result *r);

/* Blocking: init, curl_easy_perform, finish, release.  Same results. */
int kg_fetch_perform(const struct kg_fetch_opts *o, struct kg_fetch_result *r,
    struct kg_err *err);

#endif
