/*
 * server — see server.h.
 */
#include "server.h"

#include <malloc.h>
#include <stdatomic.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "conns.h"
#include "hosts.h"
#include "log.h"
#include "loop.h"
#include "pool.h"
#include "publish.h"
#include "redact.h"
#include "utf8.h"

#define SERVER_MAX_DAEMONS 8
#define SERVER_MAX_URL 1024          /* longer paths: 414 */
#define SERVER_CONN_MEMORY (16 * 1024) /* request line + headers; beyond: 431 */
#define SERVER_FD_RESERVE 256        /* descriptors besides connections */

struct kg_server {
	struct MHD_Daemon *daemons[SERVER_MAX_DAEMONS];
	size_t ndaemons;
	const struct kg_conf *conf; /* loop thread only */

	/* Guards current: every request reads it, publications swap it.  A
	 * read lock (an atomic, never a sleep while nobody swaps): with a mutex
	 * the request threads queued for each other in futex calls. */
	pthread_rwlock_t lock;
	struct kg_view *current;

	struct kg_conns *conns;
	struct kg_metrics metrics;
	atomic_int_fast64_t beat_ms; /* the loop's last heartbeat (monotonic) */
	struct kg_publisher *publisher;
	bool published_once;        /* loop thread only */
	struct kg_pool *pool;       /* render threads (cache.h) */
	size_t render_memory;
	struct kg_readers *readers; /* history and deliveries for detail requests */
};

/*
 * What the server keeps per connection (libmicrohttpd's socket context),
 * also handed to the access handler as the request's context: the target
 * of the request being read, as received.
 */
struct conn {
	struct kg_conn link;        /* conns.h */
	const char *target;         /* in libmicrohttpd's read buffer; NULL: none */
	size_t target_len;          /* before libmicrohttpd cut the query off */
	bool pct_nul;               /* "%00" in the target */
	bool head_seen;             /* the access handler ran for this request */
	struct kg_cached *waited;   /* the rendition a suspended request waits for */
	size_t waited_label;
	char logged[192];           /* the target redacted, at debug level */
};

void
kg_server_renders(struct kg_server *s, struct kg_pool **pool, size_t *max_bytes)
{
	*pool = s->pool;
	*max_bytes = s->render_memory;
}

void
kg_request_wait(struct kg_request *rq, struct kg_cached *e)
{
	struct conn *c = rq->state;

	c->waited = e;
	c->waited_label = rq->label;
	MHD_suspend_connection(rq->conn);
}

/* ---- requests ---- */

static struct kg_view *
view_get(struct kg_server *s)
{
	struct kg_view *v;

	pthread_rwlock_rdlock(&s->lock);
	v = s->current != NULL ? kg_view_ref(s->current) : NULL;
	pthread_rwlock_unlock(&s->lock);
	return v;
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

/*
 * Did the request target hold a NUL?  libmicrohttpd parses the request
 * line in place and ends the target with a NUL where the space before the
 * version was, so the version begins one byte after the target's end; a
 * NUL inside the target makes the target shorter than that.  (When the
 * two are not in that layout, nothing is concluded.)
 */
static bool
target_has_nul(const struct conn *c, const char *version)
{
	uintptr_t end, v = (uintptr_t)version;

	if (c->target == NULL)
		return false;
	end = (uintptr_t)c->target + c->target_len;
	return v > end + 1 && v - end <= SERVER_CONN_MEMORY;
}

static enum MHD_Result
count_host(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		(*(int *)cls)++;
	return MHD_YES;
}

/* What is wrong with the head of the request, before routing: a NUL in
 * the target, a missing (HTTP/1.1) or doubled Host, a Host not served
 * here (421: DNS rebinding).  0 when nothing, else the status and *why. */
static unsigned
head_problem(struct kg_request *rq, const struct conn *c, const char *version,
    const char **why)
{
	const char *host = kg_request_header(rq, MHD_HTTP_HEADER_HOST);
	int hosts = 0;

	*why = "bad request target (NUL)";
	if (c->pct_nul || target_has_nul(c, version))
		return 400;
	MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, count_host, &hosts);
	*why = "one Host header is required";
	if (hosts > 1 || (hosts == 0 && strcmp(version, MHD_HTTP_VERSION_1_0) != 0))
		return 400;
	*why = "misdirected request (this server does not answer for that host)";
	if (host != NULL && rq->view != NULL && !kg_hosts_allow(&rq->view->allowed_hosts, host))
		return 421;
	return 0;
}

/* The second access-handler call: the head is complete and no body comes.
 * Takes a reference to the current view into rq. */
static enum MHD_Result
answer(struct kg_request *rq, const struct conn *c, const char *url, const char *version)
{
	const char *why;
	unsigned code;

	rq->view = view_get(rq->server);
	if ((code = head_problem(rq, c, version, &why)) != 0)
		return kg_reply_error(rq, code, why);
	if (strlen(url) > SERVER_MAX_URL)
		return kg_reply_error(rq, 414, "uri too long");
	if (url[0] != '/')
		return kg_reply_error(rq, 400, "bad request target");
	if (rq->view == NULL)
		return kg_reply_error(rq, 503, "starting: no data loaded yet");
	return kg_route_dispatch(rq, url);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	struct kg_server *s = cls;
	struct conn *c = *req_cls;
	struct kg_request rq;
	enum MHD_Result ret;
	bool first;

	(void)upload_data;
	(void)upload_size;
	if (c == NULL) /* a connection the server could not take in (ENOMEM) */
		return MHD_NO;
	first = !c->head_seen;
	if (first) {
		c->head_seen = true;
		kg_conns_head_done(s->conns, &c->link);
	}
	memset(&rq, 0, sizeof(rq));
	rq.conn = conn;
	rq.server = s;
	rq.metrics = &s->metrics;
	rq.method = method;
	rq.state = c;
	rq.label = s->metrics.nlabels - 1; /* "other" until routed */
	if (c->waited != NULL) {
		/* Resumed: the rendition it waited for is made (or failed). */
		struct kg_cached *e = c->waited;

		c->waited = NULL;
		rq.label = c->waited_label;
		ret = kg_cache_reply_waited(&rq, e);
		goto logged;
	}

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
	else
		ret = answer(&rq, c, url, version);
	kg_args_clear(&rq.args);
	kg_view_unref(rq.view);
	if (c->waited != NULL)
		return ret; /* suspended: logged when answered */
logged:
	if (kg_log_enabled(KG_LOG_DEBUG)) {
		char m[32];

		log_debug("%s %s (%s)", kg_redact(method, m, sizeof(m)), c->logged,
		    s->metrics.labels[rq.label]);
	}
	return ret;
}

/* ---- connections ---- */

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct kg_server *s = cls;
	const union MHD_ConnectionInfo *ci;
	struct conn *c = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (c != NULL)
			kg_conns_remove(s->conns, &c->link);
		free(c);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		shutdown(ci->connect_fd, SHUT_RDWR);
		return;
	}
	*socket_context = c;
	kg_conns_add(s->conns, &c->link, ci->connect_fd, kg_loop_mono_ms());
}

/* A request line was read: its target as received (before libmicrohttpd
 * cuts off and decodes the query), which becomes the request's context. */
static void *
on_target(void *cls, const char *target, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *c = ci != NULL ? ci->socket_context : NULL;

	(void)cls;
	if (c == NULL)
		return NULL;
	c->target = target;
	c->target_len = target != NULL ? strlen(target) : 0;
	c->pct_nul = target != NULL && strstr(target, "%00") != NULL;
	c->head_seen = false;
	c->logged[0] = '\0';
	if (target != NULL && kg_log_enabled(KG_LOG_DEBUG))
		kg_redact(target, c->logged, sizeof(c->logged));
	return c;
}

/* A request is over (answered, or its connection failed): the connection
 * waits for its next head. */
static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode code)
{
	struct kg_server *s = cls;
	struct conn *c = *req_cls;

	(void)conn;
	(void)code;
	if (c == NULL)
		return;
	kg_cached_unref(c->waited);
	c->waited = NULL;
	c->target = NULL;
	c->head_seen = false;
	kg_conns_wait(s->conns, &c->link, kg_loop_mono_ms());
	*req_cls = NULL;
}

/* libmicrohttpd's own messages; they may quote a request line, so they go
 * out at debug level only, redacted like logged targets. */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512], safe[512];
	size_t n;

	(void)cls;
	if (!kg_log_enabled(KG_LOG_DEBUG))
		return;
	kg_vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_debug("libmicrohttpd: %s", kg_redact(line, safe, sizeof(safe)));
}

/* ---- start / stop ---- */

/* libmicrohttpd's own connection limit: ours (conns.h) plus room for the
 * connections being closed, so that it never stops accepting first. */
static unsigned
mhd_limit(size_t max)
{
	return (unsigned)(max + max / 4 + 64);
}

/*
 * Makes room for max connections in RLIMIT_NOFILE: raises the soft limit
 * towards the hard one (systemd's default soft limit is 1024), or, when
 * even the hard limit is too low, returns a lower max (logged).
 */
static size_t
fit_fd_limit(size_t max)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)mhd_limit(max) + SERVER_FD_RESERVE;
	size_t fit;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return max;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 && getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return max;
	if (rl.rlim_cur >= want)
		return max;
	fit = rl.rlim_cur > SERVER_FD_RESERVE + 64 + 16 ?
	    (size_t)(rl.rlim_cur - SERVER_FD_RESERVE - 64) * 4 / 5 : 16;
	log_warn("[http] max_connections lowered from %zu to %zu: the limit on open files "
	    "(RLIMIT_NOFILE) is %llu", max, fit, (unsigned long long)rl.rlim_cur);
	return fit;
}

int
kg_server_resolve(const char *addr, struct addrinfo **res, struct kg_err *err)
{
	struct addrinfo hints;
	char host[256], port[8];
	unsigned portnum;
	int rc;

	*res = NULL;
	if (kg_listen_split(addr, host, sizeof(host), &portnum) < 0)
		return kg_err_set(err, "invalid listen address '%s'", addr);
	snprintf(port, sizeof(port), "%u", portnum);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, res)) != 0) {
		*res = NULL;
		return kg_err_set(err, "cannot listen on '%s': %s", addr, gai_strerror(rc));
	}
	return 0;
}

static int
server_listen(struct kg_server *s, const char *addr, size_t max, struct kg_err *err)
{
	const struct kg_conf *c = s->conf;
	struct addrinfo *res = NULL, *ai;

	if (kg_server_resolve(addr, &res, err) < 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		/* ITC: lets kg_server_quiesce stop a thread pool from accepting. */
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		    MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
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
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
		    MHD_OPTION_CONNECTION_LIMIT, mhd_limit(max),
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVER_CONN_MEMORY,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->idle_timeout_s,
		    MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		    MHD_OPTION_URI_LOG_CALLBACK, on_target, s,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
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

/* The publisher's hand-over (publish.h), on its thread. */
static void
swap_view(void *arg, struct kg_view *v)
{
	struct kg_server *s = arg;
	struct kg_view *old;

	kg_metrics_publication(&s->metrics);
	pthread_rwlock_wrlock(&s->lock);
	old = s->current;
	s->current = v;
	pthread_rwlock_unlock(&s->lock);
	log_info("published %zu milestones (%zu read), %zu feeds (data version %lld, %.3f s:"
	    " render %.3f s, feeds %.3f s)", v->milestones.n, v->milestones_read, v->nfeeds,
	    (long long)v->data_version, v->publication_seconds, v->render_seconds,
	    v->feeds_seconds);
	kg_view_unref(old);
	/* The old view's many small strings leave holes glibc keeps: give
	 * them back, or the resident size ratchets up publication by
	 * publication (bench/README.md, "memory"). */
	malloc_trim(0);
}

/* Says once per configuration what token scope means for it (server.h). */
static void
log_token_scope(const struct kg_conf *c)
{
	bool feed_token = c->feed_token != NULL && c->feed_token[0] != '\0';
	size_t i;

	for (i = 0; i < c->nfeeds && !feed_token; i++)
		if (c->feeds[i].token != NULL && c->feeds[i].token[0] != '\0') {
			log_notice("[feed:%s] has a token and [http] feed_token is empty: the API "
			    "and query filters on public feeds are off", c->feeds[i].name);
			return;
		}
}

int
kg_server_start(const struct kg_conf *conf, struct kg_server **out, struct kg_err *err)
{
	const char *labels[KG_METRICS_LABELS + 1];
	struct kg_server *s;
	size_t i, nlabels, max;

	*out = NULL;
	if (kg_nroutes >= KG_METRICS_LABELS)
		return kg_err_set(err, "too many routes for the metrics (at most %d)",
		    KG_METRICS_LABELS - 1);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return kg_err_set(err, "out of memory");
	pthread_rwlock_init(&s->lock, NULL);
	s->conf = conf;
	nlabels = kg_route_labels(kg_routes, kg_nroutes, labels);
	kg_metrics_init(&s->metrics, labels, nlabels);
	max = fit_fd_limit((size_t)conf->max_connections);
	if (kg_conns_new(max, conf->head_timeout_s * 1000, true, &s->conns, err) < 0 ||
	    kg_readers_new(conf->db != NULL ? conf->db : "", &s->readers, err) < 0) {
		kg_server_free(s);
		return -1;
	}
	kg_metrics_set_conns(&s->metrics, s->conns);
	s->render_memory = (size_t)conf->render_memory;
	if (kg_pool_new((size_t)conf->render_threads, (size_t)conf->render_queue, &s->pool,
	    err) < 0 || kg_publisher_new(conf->db, s->pool, swap_view, s, &s->publisher, err) < 0) {
		kg_server_free(s);
		return -1;
	}
	for (i = 0; i < conf->listen.n; i++) {
		if (server_listen(s, conf->listen.v[i], max, err) < 0) {
			kg_server_free(s);
			return -1;
		}
	}
	if (s->ndaemons == 0) {
		kg_server_free(s);
		return kg_err_set(err, "no address to listen on");
	}
	kg_rendition_set_copies((unsigned)(s->ndaemons * (size_t)conf->threads));
	log_token_scope(conf);
	*out = s;
	return 0;
}

void
kg_server_free(struct kg_server *s)
{
	size_t i;

	if (s == NULL)
		return;
	kg_publisher_free(s->publisher);
	/* No connection may stay suspended when libmicrohttpd stops: renders
	 * end (waiting ones cancelled) and resume theirs first. */
	if (s->pool != NULL)
		kg_pool_stop(s->pool);
	for (i = 0; i < s->ndaemons; i++)
		MHD_stop_daemon(s->daemons[i]);
	kg_pool_free(s->pool);
	kg_conns_free(s->conns);
	kg_view_unref(s->current);
	kg_readers_free(s->readers);
	pthread_rwlock_destroy(&s->lock);
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
kg_server_heartbeat(struct kg_server *s, int64_t mono_ms)
{
	atomic_store(&s->beat_ms, mono_ms);
}

int64_t
kg_server_loop_silence_ms(struct kg_server *s, int64_t mono_ms)
{
	return mono_ms - atomic_load(&s->beat_ms);
}

int
kg_server_check_conf(const struct kg_conf *conf, struct kg_err *err)
{
	return kg_view_check_conf(conf, err);
}

void
kg_server_set_conf(struct kg_server *s, const struct kg_conf *conf)
{
	s->conf = conf;
	log_token_scope(conf);
}

int
kg_server_changed(struct kg_server *s, int64_t data_version, struct kg_err *err)
{
	struct kg_view *skeleton;

	if (kg_view_prepare(s->conf, &skeleton, err) < 0)
		return -1;
	kg_publisher_request(s->publisher, skeleton, data_version);
	log_debug("publication asked for (data version %lld)", (long long)data_version);
	if (s->published_once)
		return 0;
	s->published_once = true;
	return kg_publisher_wait(s->publisher, err);
}

int
kg_server_add_metrics(struct kg_server *s, kg_metrics_fn *fn, void *arg, struct kg_err *err)
{
	return kg_metrics_add(&s->metrics, fn, arg, err);
}
