/*
 * server — see server.h.
 */
#include "server.h"

#include <malloc.h>
#include <netdb.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"

#define SERVER_MAX_DAEMONS 8
#define SERVER_MAX_URL 1024          /* longer paths: 414 */
#define SERVER_CONN_LIMIT 1024       /* per listen address */
#define SERVER_CONN_MEMORY (16 * 1024) /* request line + headers; beyond: 431 */
#define SERVER_CONN_TIMEOUT_S 15     /* idle or slow clients */

struct kg_server {
	struct MHD_Daemon *daemons[SERVER_MAX_DAEMONS];
	size_t ndaemons;
	const struct kg_conf *conf; /* loop thread only */

	pthread_mutex_t lock;       /* guards current */
	struct kg_view *current;

	struct kg_metrics metrics;
	struct kg_readers *readers; /* history and deliveries for detail requests */
};

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
	return CRYPTO_memcmp(got, want, KG_SHA256_LEN) == 0;
}

bool
kg_server_token_access(struct kg_request *rq)
{
	return kg_server_token_ok(rq->view->has_token, rq->view->token_digest, rq->token);
}

/* ---- answering ---- */

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
	if (extra_name != NULL)
		MHD_add_response_header(r, extra_name, extra_value);
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
kg_reply_json(struct kg_request *rq, json_t *j)
{
	char *s;
	enum MHD_Result ret;

	if (j == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	ret = kg_reply_text(rq, 200, "application/json; charset=utf-8", s, strlen(s), NULL, NULL);
	free(s);
	return ret;
}

const char *
kg_request_header(const struct kg_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* ---- requests ---- */

static struct kg_view *
view_get(struct kg_server *s)
{
	struct kg_view *v;

	pthread_mutex_lock(&s->lock);
	v = s->current != NULL ? kg_view_ref(s->current) : NULL;
	pthread_mutex_unlock(&s->lock);
	return v;
}

static enum MHD_Result
args_each(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	return kg_args_add(cls, key, value) ? MHD_YES : MHD_NO;
}

/* The path with a /t/TOKEN/ prefix redacted, for logs. */
static void
redact(const char *url, char *out, size_t size)
{
	const char *rest;

	if (strncmp(url, "/t/", 3) == 0 && (rest = strchr(url + 3, '/')) != NULL)
		kg_snprintf(out, size, "/t/***%s", rest);
	else if (strncmp(url, "/t/", 3) == 0)
		kg_snprintf(out, size, "/t/***");
	else
		kg_snprintf(out, size, "%s", url);
}

/* Takes off a /t/TOKEN/ prefix, routes, checks access and arguments, and
 * runs the handler. */
static enum MHD_Result
dispatch(struct kg_request *rq, const char *url)
{
	char path_token[256];
	const char *end;
	size_t n;

	if (strncmp(url, "/t/", 3) == 0) {
		end = strchr(url + 3, '/');
		n = end != NULL ? (size_t)(end - url - 3) : 0;
		if (end == NULL || n == 0 || n >= sizeof(path_token))
			return kg_reply_error(rq, 404, "not found");
		memcpy(path_token, url + 3, n);
		path_token[n] = '\0';
		rq->token = path_token;
		url = end;
	}
	rq->route = kg_route_find(kg_routes, kg_nroutes, url, rq->token != NULL, &rq->rest);
	if (rq->route == NULL)
		return kg_reply_error(rq, 404, "not found");
	rq->label = kg_route_label_index(rq->metrics->labels, rq->metrics->nlabels,
	    rq->route->label);
	if (!kg_route_allows(rq->route, rq->method))
		return kg_reply_text(rq, 405, "text/plain; charset=utf-8", "method not allowed\n",
		    19, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (rq->route->access != NULL) {
		MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, args_each, &rq->args);
		if (rq->token == NULL)
			rq->token = rq->args.token;
		if (!rq->route->access(rq))
			return kg_reply_error(rq, 404, "not found");
		if (rq->args.bad[0] != '\0')
			return kg_reply_error(rq, 400, rq->args.bad);
	}
	return rq->route->handler(rq);
}

static bool
has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);

	return (cl != NULL && strcmp(cl, "0") != 0) ||
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	static int marker;
	struct kg_server *s = cls;
	struct kg_request rq;
	enum MHD_Result ret;
	char logged[128];
	bool first = *req_cls == NULL;

	(void)version;
	(void)upload_data;
	(void)upload_size;
	memset(&rq, 0, sizeof(rq));
	rq.conn = conn;
	rq.server = s;
	rq.metrics = &s->metrics;
	rq.method = method;
	rq.label = s->metrics.nlabels - 1; /* "other" until routed */
	*req_cls = &marker;

	/* libmicrohttpd lets a request with a body be answered only now or
	 * after the whole body: answer now, and the connection closes instead
	 * of reading a body nobody wants.  Others wait for the second call,
	 * which keeps the connection alive. */
	if (!kg_route_any_allows(kg_routes, kg_nroutes, method))
		ret = kg_reply_text(&rq, 405, "text/plain; charset=utf-8", "method not allowed\n", 19,
		    MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	else if (first && has_body(conn))
		ret = kg_reply_error(&rq, 400, "a GET request has no body");
	else if (first)
		return MHD_YES;
	else if (strlen(url) > SERVER_MAX_URL)
		ret = kg_reply_error(&rq, 414, "uri too long");
	else if (url[0] != '/')
		ret = kg_reply_error(&rq, 400, "bad request target");
	else if ((rq.view = view_get(s)) == NULL)
		ret = kg_reply_error(&rq, 503, "starting: no data loaded yet");
	else
		ret = dispatch(&rq, url);
	kg_args_clear(&rq.args);
	kg_view_unref(rq.view);
	if (kg_log_enabled(KG_LOG_DEBUG)) {
		redact(url, logged, sizeof(logged));
		log_debug("%s %s (%s)", method, logged, s->metrics.labels[rq.label]);
	}
	return ret;
}

/* libmicrohttpd's own messages; they may quote a request line, so they go
 * out at debug level only, where tokens in paths are an accepted risk. */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	if (!kg_log_enabled(KG_LOG_DEBUG))
		return;
	kg_vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_debug("libmicrohttpd: %s", line);
}

/* ---- start / stop ---- */

static int
server_listen(struct kg_server *s, const char *addr, struct kg_err *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], port[8];
	unsigned portnum;
	int rc;

	if (kg_listen_split(addr, host, sizeof(host), &portnum) < 0)
		return kg_err_set(err, "invalid listen address '%s'", addr);
	snprintf(port, sizeof(port), "%u", portnum);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		return kg_err_set(err, "cannot listen on '%s': %s", addr, gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		/* ITC: lets kg_server_quiesce stop a thread pool from accepting. */
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		    MHD_USE_ERROR_LOG | MHD_USE_ITC;
		struct MHD_Daemon *d;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (s->ndaemons == SERVER_MAX_DAEMONS) {
			freeaddrinfo(res);
			return kg_err_set(err, "too many listen addresses (at most %d)",
			    SERVER_MAX_DAEMONS);
		}
		if (ai->ai_family == AF_INET6)
			flags |= MHD_USE_IPv6;
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)KG_SERVER_THREADS,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVER_CONN_LIMIT,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVER_CONN_MEMORY,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_CONN_TIMEOUT_S,
		    MHD_OPTION_END);
		if (d == NULL) {
			freeaddrinfo(res);
			return kg_err_set(err, "cannot listen on '%s' (address in use or not "
			    "available)", addr);
		}
		s->daemons[s->ndaemons++] = d;
		log_info("listening on %s", addr);
		break; /* the first usable address of the name */
	}
	freeaddrinfo(res);
	return 0;
}

int
kg_server_start(const struct kg_conf *conf, struct kg_server **out, struct kg_err *err)
{
	const char *labels[KG_METRICS_LABELS + 1];
	struct kg_server *s;
	size_t i, nlabels;

	*out = NULL;
	if (kg_nroutes >= KG_METRICS_LABELS)
		return kg_err_set(err, "too many routes for the metrics (at most %d)",
		    KG_METRICS_LABELS - 1);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return kg_err_set(err, "out of memory");
	pthread_mutex_init(&s->lock, NULL);
	s->conf = conf;
	nlabels = kg_route_labels(kg_routes, kg_nroutes, labels);
	kg_metrics_init(&s->metrics, labels, nlabels);
	if (kg_readers_new(conf->db != NULL ? conf->db : "", &s->readers, err) < 0) {
		kg_server_free(s);
		return -1;
	}
	for (i = 0; i < conf->listen.n; i++) {
		if (server_listen(s, conf->listen.v[i], err) < 0) {
			kg_server_free(s);
			return -1;
		}
	}
	if (s->ndaemons == 0) {
		kg_server_free(s);
		return kg_err_set(err, "no address to listen on");
	}
	*out = s;
	return 0;
}

void
kg_server_free(struct kg_server *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ndaemons; i++)
		MHD_stop_daemon(s->daemons[i]);
	kg_view_unref(s->current);
	kg_readers_free(s->readers);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

struct kg_readers *
kg_server_readers(const struct kg_server *s)
{
	return s->readers;
}

void
kg_server_quiesce(struct kg_server *s)
{
	MHD_socket fd;
	size_t i;

	for (i = 0; i < s->ndaemons; i++) {
		fd = MHD_quiesce_daemon(s->daemons[i]);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
}

void
kg_server_set_conf(struct kg_server *s, const struct kg_conf *conf)
{
	s->conf = conf;
}

int
kg_server_publish(struct kg_server *s, struct kg_milestone_list *milestones,
    struct kg_measure_list *measures, int64_t data_version, struct kg_err *err)
{
	struct kg_view *v, *old;

	/* s->current is only replaced here, in the loop thread: no lock. */
	if (kg_view_new(s->conf, milestones, measures, data_version, s->current, &v, err) < 0)
		return -1;
	kg_metrics_publication(&s->metrics);
	pthread_mutex_lock(&s->lock);
	old = s->current;
	s->current = v;
	pthread_mutex_unlock(&s->lock);
	kg_view_unref(old);
	/* The old view's many small strings leave holes glibc keeps: give
	 * them back, or the resident size ratchets up publication by
	 * publication (bench/README.md, "memory"). */
	malloc_trim(0);
	log_info("published %zu milestones, %zu feeds (data version %lld, %.3f s)",
	    v->milestones.n, v->nfeeds, (long long)data_version, v->render_seconds);
	return 0;
}
