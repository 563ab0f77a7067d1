/*
 * kigen-fetch — helper of `kigen import URL` (capture.h): downloads URL
 * (fetch.h: http and https only, size limit, timeout, redirects), writes
 * the body on standard output and, when file descriptor 3 is open, what
 * the import records about the download on it as one JSON object:
 *
 *   {"url": "...", "final_url": "...", "http_status": 200,
 *    "etag": "\"v1\"" | null, "last_modified": "..." | null,
 *    "content_type": "application/pdf" | null}
 *
 * kigen itself links no libcurl.  Exit 0; or 1 with the reason on
 * standard error, one line ("cannot download 'URL': http 404").
 */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fetch.h"

static int
write_meta(const char *url, const struct kg_fetch_result *r)
{
	json_t *o = json_pack("{s:s, s:s, s:I, s:s?, s:s?, s:s?}", "url", url,
	    "final_url", r->final_url, "http_status", (json_int_t)r->http_status,
	    "etag", r->etag, "last_modified", r->last_modified,
	    "content_type", r->content_type);
	int rc = o != NULL ? json_dumpfd(o, 3, JSON_COMPACT) : -1;

	json_decref(o);
	return rc;
}

int
main(int argc, char **argv)
{
	struct kg_fetch_opts o = {0};
	struct kg_fetch_result r;
	struct kg_err err;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: kigen-fetch URL >BODY [3>META.json]\n");
		return 2;
	}
	o.url = argv[1];
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (kg_fetch_perform(&o, &r, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		goto out;
	}
	if (fwrite(r.body, 1, r.len, stdout) != r.len || fflush(stdout) != 0) {
		perror("kigen-fetch: writing the body");
		goto out;
	}
	if (fcntl(3, F_GETFD) >= 0 && write_meta(o.url, &r) < 0) {
		fprintf(stderr, "kigen-fetch: cannot write the metadata\n");
		goto out;
	}
	rc = 0;
out:
	kg_fetch_result_clear(&r);
	curl_global_cleanup();
	return rc;
}
