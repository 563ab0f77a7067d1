/*
 * fetch — see fetch.h.  The body grows in one buffer bounded by max_bytes;
 * the validators and the content type are read from the last response's
 * headers (curl_easy_header) once the transfer is over.  Every failure
 * message has the same form, "cannot download 'URL': why".
 */
#include "fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textio.h"
#include "utf8.h"

static size_t
on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct kg_fetch *f = userp;
	size_t n = size * nmemb, cap;
	char *nb;

	if (f->len + n > f->max_bytes) {
		f->too_large = true;
		return 0; /* curl ends the transfer with CURLE_WRITE_ERROR */
	}
	if (f->len + n + 1 > f->cap) {
		for (cap = f->cap ? f->cap : 65536; cap < f->len + n + 1; cap *= 2)
			;
		if ((nb = realloc(f->body, cap)) == NULL)
			return 0;
		f->body = nb;
		f->cap = cap;
	}
	memcpy(f->body + f->len, data, n);
	f->len += n;
	f->body[f->len] = '\0';
	return n;
}

static int
on_progress(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct kg_fetch *f = userp;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return f->cancelled(f->cancel_arg) ? 1 : 0;
}

static bool
http_url(const char *url)
{
	return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

static int
add_header(struct kg_fetch *f, const char *name, const char *value)
{
	struct curl_slist *l;
	char *line;

	if (asprintf(&line, "%s: %s", name, value) < 0)
		return -1;
	l = curl_slist_append(f->headers, line);
	free(line);
	if (l == NULL)
		return -1;
	f->headers = l;
	return 0;
}

int
kg_fetch_init(struct kg_fetch *f, const struct kg_fetch_opts *o, struct kg_err *err)
{
	CURL *e;

	memset(f, 0, sizeof(*f));
	f->max_bytes = o->max_bytes ? o->max_bytes : KG_TEXT_MAX_BYTES;
	f->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : KG_FETCH_TIMEOUT_MS;
	if (!http_url(o->url))
		return kg_err_set(err, "invalid url '%s' (expected http:// or https://)", o->url);
	if ((f->url = strdup(o->url)) == NULL ||
	    (o->etag != NULL && add_header(f, "If-None-Match", o->etag) < 0) ||
	    (o->last_modified != NULL && add_header(f, "If-Modified-Since", o->last_modified) < 0)) {
		kg_err_set(err, "out of memory preparing a download");
		goto fail;
	}
	if ((e = f->easy = curl_easy_init()) == NULL) {
		kg_err_set(err, "cannot create a curl handle");
		goto fail;
	}
	if (curl_easy_setopt(e, CURLOPT_URL, f->url) != CURLE_OK) {
		kg_err_set(err, "invalid url '%s'", f->url);
		goto fail;
	}
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)KG_FETCH_MAX_REDIRECTS);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)f->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(f->timeout_ms <
	    KG_FETCH_CONNECT_TIMEOUT_MS ? f->timeout_ms : KG_FETCH_CONNECT_TIMEOUT_MS));
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->max_bytes);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "kigen/" KIGEN_VERSION);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, f->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, f);
	if (o->cancelled != NULL) {
		f->cancelled = o->cancelled;
		f->cancel_arg = o->cancel_arg;
		curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(e, CURLOPT_XFERINFODATA, f);
		curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	}
	return 0;
fail:
	kg_fetch_release(f);
	return -1;
}

void
kg_fetch_release(struct kg_fetch *f)
{
	if (f == NULL)
		return;
	if (f->easy)
		curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->headers);
	free(f->url);
	free(f->body);
	memset(f, 0, sizeof(*f));
}

void
kg_fetch_result_clear(struct kg_fetch_result *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r->final_url);
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	memset(r, 0, sizeof(*r));
}

/* A copy of the last response's header `name`, NULL when absent. */
static int
header_dup(CURL *e, const char *name, char **out)
{
	struct curl_header *h;

	*out = NULL;
	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return 0;
	return (*out = strdup(h->value)) == NULL ? -1 : 0;
}

static bool
tls_failure(CURLcode c)
{
	switch (c) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		return true;
	default:
		return false;
	}
}

/* Why the transfer failed, into r->error. */
static void
why(struct kg_fetch *f, CURLcode code, struct kg_fetch_result *r)
{
	const char *detail = f->errbuf[0] ? f->errbuf : curl_easy_strerror(code);
	char what[256];

	if (code == CURLE_OK)
		kg_snprintf(what, sizeof(what), "http %ld", r->http_status);
	else if (f->too_large || code == CURLE_FILESIZE_EXCEEDED)
		kg_snprintf(what, sizeof(what), "larger than the limit of %zu %s",
		    f->max_bytes % (1 << 20) ? f->max_bytes : f->max_bytes >> 20,
		    f->max_bytes % (1 << 20) ? "bytes" : "MiB");
	else if (code == CURLE_OPERATION_TIMEDOUT)
		kg_snprintf(what, sizeof(what), "timed out after %lld s",
		    (long long)((f->timeout_ms + 999) / 1000));
	else if (code == CURLE_TOO_MANY_REDIRECTS)
		kg_snprintf(what, sizeof(what), "too many redirects (more than %d)",
		    KG_FETCH_MAX_REDIRECTS);
	else if (code == CURLE_ABORTED_BY_CALLBACK)
		kg_snprintf(what, sizeof(what), "cancelled");
	else if (code == CURLE_UNSUPPORTED_PROTOCOL)
		kg_snprintf(what, sizeof(what), "redirected to a protocol other than http and https");
	else if (tls_failure(code))
		kg_snprintf(what, sizeof(what), "TLS failure (%s)", detail);
	else
		kg_snprintf(what, sizeof(what), "%s", detail);
	kg_snprintf(r->error, sizeof(r->error), "cannot download '%s': %s", f->url, what);
}

int
kg_fetch_finish(struct kg_fetch *f, CURLcode code, struct kg_fetch_result *r,
    struct kg_err *err)
{
	char *final = NULL;

	memset(r, 0, sizeof(*r));
	r->outcome = KG_FETCH_FAILED;
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &r->http_status);
	if (code != CURLE_OK || (r->http_status != 304 &&
	    (r->http_status < 200 || r->http_status > 299))) {
		why(f, code, r);
		return kg_err_set(err, "%s", r->error);
	}
	curl_easy_getinfo(f->easy, CURLINFO_EFFECTIVE_URL, &final);
	if ((r->final_url = strdup(final != NULL ? final : f->url)) == NULL ||
	    header_dup(f->easy, "ETag", &r->etag) < 0 ||
	    header_dup(f->easy, "Last-Modified", &r->last_modified) < 0 ||
	    header_dup(f->easy, "Content-Type", &r->content_type) < 0) {
		kg_fetch_result_clear(r);
		r->outcome = KG_FETCH_FAILED;
		kg_snprintf(r->error, sizeof(r->error), "out of memory downloading '%s'", f->url);
		return kg_err_set(err, "%s", r->error);
	}
	if (r->http_status == 304) {
		r->outcome = KG_FETCH_NOT_MODIFIED;
		return 0;
	}
	r->outcome = KG_FETCH_OK;
	r->body = f->body != NULL ? f->body : strdup("");
	r->len = f->len;
	f->body = NULL;
	f->len = f->cap = 0;
	if (r->body == NULL) {
		kg_fetch_result_clear(r);
		r->outcome = KG_FETCH_FAILED;
		kg_snprintf(r->error, sizeof(r->error), "out of memory downloading '%s'", f->url);
		return kg_err_set(err, "%s", r->error);
	}
	return 0;
}

int
kg_fetch_perform(const struct kg_fetch_opts *o, struct kg_fetch_result *r,
    struct kg_err *err)
{
	struct kg_err e = {{0}};
	struct kg_fetch f;
	int rc;

	memset(r, 0, sizeof(*r));
	if (kg_fetch_init(&f, o, &e) < 0) {
		r->outcome = KG_FETCH_FAILED;
		kg_snprintf(r->error, sizeof(r->error), "%s", e.msg);
		return kg_err_set(err, "%s", e.msg);
	}
	rc = kg_fetch_finish(&f, curl_easy_perform(f.easy), r, err);
	kg_fetch_release(&f);
	return rc;
}
