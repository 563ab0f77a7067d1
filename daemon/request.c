/*
 * request — see request.h.
 */
#include "request.h"

#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "utf8.h"

/* ---- tokens ---- */

bool
kg_server_token_ok(bool required, const unsigned char want[KG_SHA256_LEN], const char *given)
{
	unsigned char got[KG_SHA256_LEN];

	if (!required)
		return true;
	if (given == NULL)
		return false;
	kg_sha256(given, strlen(given), got);
	return kg_memeq_secret(got, want, KG_SHA256_LEN);
}

bool
kg_server_token_access(struct kg_request *rq)
{
	const struct kg_view *v = rq->view;

	/* Any private feed makes the API private: it lists every milestone. */
	if (!v->any_token)
		return true;
	rq->private_reply = true;
	return v->has_token && kg_server_token_ok(true, v->token_digest, rq->token);
}

/* ---- answering ---- */

int
kg_response_common(struct MHD_Response *r)
{
	return MHD_add_response_header(r, MHD_HTTP_HEADER_X_CONTENT_TYPE_OPTIONS,
	    "nosniff") == MHD_YES ? 0 : -1;
}

enum MHD_Result
kg_reply(struct kg_request *rq, unsigned code, struct MHD_Response *r)
{
	enum MHD_Result ret = MHD_queue_response(rq->conn, code, r);

	kg_metrics_count(rq->metrics, rq->label, code);
	return ret;
}

enum MHD_Result
kg_reply_text(struct kg_request *rq, unsigned code, const char *type, const char *body,
    size_t len, const char *extra_name, const char *extra_value)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	kg_response_common(r);
	if (extra_name != NULL)
		MHD_add_response_header(r, extra_name, extra_value);
	if (rq->private_reply)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-store");
	ret = kg_reply(rq, code, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
kg_reply_error(struct kg_request *rq, unsigned code, const char *msg)
{
	char body[512];
	size_t n = kg_snprintf(body, sizeof(body), "%s\n", msg);

	return kg_reply_text(rq, code, "text/plain; charset=utf-8", body, n, NULL, NULL);
}

enum MHD_Result
kg_reply_json(struct kg_request *rq, unsigned code, json_t *j)
{
	char *s;
	enum MHD_Result ret;

	if (j == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	ret = kg_reply_text(rq, code, "application/json; charset=utf-8", s, strlen(s), NULL, NULL);
	free(s);
	return ret;
}

/* ---- reading ---- */

const char *
kg_request_header(const struct kg_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}
