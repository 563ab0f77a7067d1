/*
 * service — see service.h.  The reload is atomic because it happens in the
 * loop thread between iterations: the new configuration is parsed into a
 * separate struct, handed to the modules through ops.apply, and only then
 * does it replace the old one; nothing reads a half-built configuration.
 */
#include "service.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "civil.h"
#include "control.h"
#include "ctl.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "server.h"
#include "store.h"
#include "utf8.h"
#include "webhook_http.h"

#include <netdb.h>

struct kg_service {
	struct kg_service_opts opts;
	char *default_db;
	struct kg_conf *conf;
	struct kg_loop *loop;
	struct kg_control *control;
	struct kg_service_ops ops;
	bool ready;          /* READY=1 sent */
	bool stopping;       /* STOPPING=1 sent */
	int64_t drain_until_ms; /* draining after a stop signal until then; 0: not */
	bool status_stale;   /* data or configuration changed since the last STATUS */
	uint64_t watchdog_ms; /* ping interval, 0: no watchdog */
	int64_t next_ping_ms;
	int hangups;          /* SIGHUPs not yet acted on */
	int64_t next_reload_ms; /* a SIGHUP reload waits until then */
};

int
kg_service_secrets_exposed(const struct kg_conf *c, char *why, size_t size)
{
	bool secrets = c->nwebhooks > 0 || (c->feed_token != NULL && c->feed_token[0] != '\0');
	struct stat st;
	size_t i;

	for (i = 0; i < c->nfeeds; i++)
		if (c->feeds[i].token != NULL && c->feeds[i].token[0] != '\0')
			secrets = true;
	if (!secrets || c->path == NULL || stat(c->path, &st) < 0 || !(st.st_mode & S_IROTH))
		return 0;
	kg_snprintf(why, size, "config '%s' holds secrets (webhook secrets or feed tokens) and is "
	    "readable by other users (mode %04o); run: chmod o-rwx '%s'",
	    c->path, (unsigned)(st.st_mode & 07777), c->path);
	return 1;
}

/* Replaces the string *dst with a copy of src. */
static int
replace_string(char **dst, const char *src, struct kg_err *err)
{
	char *copy = strdup(src);

	if (copy == NULL)
		return kg_err_set(err, "out of memory");
	free(*dst);
	*dst = copy;
	return 0;
}

static int
copy_strv(struct kg_strv *dst, const struct kg_strv *src, struct kg_err *err)
{
	return kg_strv_copy(dst, src) < 0 ? kg_err_set(err, "out of memory") : 0;
}

/* Prefixes err with "FILE:LINE" of the key when the file set it (not for a
 * default or a command-line override).  Returns -1. */
static int
at_key(const struct kg_conf *c, const char *section, const char *key, struct kg_err *err)
{
	int line = c->path != NULL ? kg_conf_line(c, section, key) : 0;

	return line > 0 ? kg_err_prefix(err, "%s:%d", c->path, line) : -1;
}

/*
 * What a start would find out about c beyond its syntax, checked with the
 * very functions a start uses — so `--check-config`, a start and a reload,
 * which all come through here, accept exactly the same files: webhook URLs
 * by libcurl's parser, listen addresses by the server's resolver, the
 * control socket's path by the socket rule.
 */
static int
check_runtime(const struct kg_conf *c, struct kg_err *err)
{
	char section[80], sock[128];
	struct addrinfo *res;
	size_t i;

	for (i = 0; i < c->nwebhooks; i++) {
		kg_snprintf(section, sizeof(section), "webhook:%s", c->webhooks[i].name);
		if (kg_webhook_url_check(c->webhooks[i].url, err) < 0)
			return at_key(c, section, "url", err);
	}
	for (i = 0; i < c->listen.n; i++) {
		if (kg_server_resolve(c->listen.v[i], &res, err) < 0)
			return at_key(c, "http", "listen", err);
		freeaddrinfo(res);
	}
	if ((c->control_socket != NULL || c->db != NULL) &&
	    kg_ctl_socket_path(c->control_socket, c->db, sock, sizeof(sock), err) < 0)
		return at_key(c, "control", "socket", err);
	return 0;
}

int
kg_service_conf_load(const struct kg_service_opts *opts, const char *default_db,
    struct kg_conf *c, struct kg_err *err)
{
	char why[KG_ERR_MAX];
	size_t i;

	if (kg_conf_load(opts->config_path, c, err) < 0)
		return -1;
	if ((opts->db != NULL && replace_string(&c->db, opts->db, err) < 0) ||
	    (c->db == NULL && default_db != NULL && replace_string(&c->db, default_db, err) < 0) ||
	    (opts->listen != NULL && opts->listen->n > 0 && copy_strv(&c->listen, opts->listen, err) < 0)) {
		kg_conf_clear(c);
		return -1;
	}
	if (opts->log_level >= 0)
		c->log_level = opts->log_level;
	if (check_runtime(c, err) < 0) {
		kg_conf_clear(c);
		return -1;
	}
	for (i = 0; i < c->warnings.n; i++)
		log_warn("%s", c->warnings.v[i]);
	if (kg_service_secrets_exposed(c, why, sizeof(why)))
		log_warn("%s", why);
	return 0;
}

int
kg_service_new(const struct kg_service_opts *opts, const char *default_db,
    struct kg_conf *conf, struct kg_service **out, struct kg_err *err)
{
	struct kg_service *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL || (default_db != NULL && (s->default_db = strdup(default_db)) == NULL)) {
		free(s);
		return kg_err_set(err, "out of memory");
	}
	s->opts = *opts;
	s->conf = conf;
	*out = s;
	return 0;
}

const struct kg_conf *
kg_service_conf(const struct kg_service *s)
{
	return s->conf;
}

/* Settings read only at start keep their running values in `next`, so the
 * configuration in force describes what the daemon does. */
static int
keep_start_only(const struct kg_conf *cur, struct kg_conf *next, struct kg_err *err)
{
	if (!kg_str_equal(cur->db, next->db)) {
		log_warn("reload: [general] db changed to '%s'; takes effect at the next start",
		    next->db != NULL ? next->db : "(default)");
		if (replace_string(&next->db, cur->db, err) < 0)
			return -1;
	}
	if (!kg_strv_equal(&cur->listen, &next->listen)) {
		log_warn("reload: [http] listen changed; takes effect at the next start");
		if (copy_strv(&next->listen, &cur->listen, err) < 0)
			return -1;
	}
	if (cur->max_connections != next->max_connections || cur->threads != next->threads ||
	    cur->head_timeout_s != next->head_timeout_s ||
	    cur->idle_timeout_s != next->idle_timeout_s ||
	    cur->render_threads != next->render_threads ||
	    cur->render_queue != next->render_queue ||
	    cur->render_memory != next->render_memory) {
		log_warn("reload: [http] connection or render limits changed; take effect at "
		    "the next start");
		next->max_connections = cur->max_connections;
		next->threads = cur->threads;
		next->head_timeout_s = cur->head_timeout_s;
		next->idle_timeout_s = cur->idle_timeout_s;
		next->render_threads = cur->render_threads;
		next->render_queue = cur->render_queue;
		next->render_memory = cur->render_memory;
	}
	if (!kg_str_equal(cur->control_socket, next->control_socket)) {
		log_warn("reload: [control] socket changed; takes effect at the next start");
		free(next->control_socket);
		next->control_socket = NULL;
		if (cur->control_socket != NULL &&
		    replace_string(&next->control_socket, cur->control_socket, err) < 0)
			return -1;
	}
	return 0;
}

/* STATUS=, with READY=1 the first time and after a reload. */
static void
send_status(struct kg_service *s, bool ready)
{
	char line[256];

	if (s->ops.summary != NULL)
		s->ops.summary(s->ops.arg, line, sizeof(line));
	else
		kg_snprintf(line, sizeof(line), "serving on %s%s; data version %lld",
		    s->conf->listen.n > 0 ? s->conf->listen.v[0] : "no address",
		    s->conf->listen.n > 1 ? " and more" : "",
		    s->loop != NULL ? (long long)kg_loop_data_version(s->loop) : 0LL);
	if (ready || !s->ready)
		kg_notify_ready(line);
	else
		kg_notify_status("%s", line);
	s->ready = true;
	s->status_stale = false;
}

int
kg_service_reload(struct kg_service *s, struct kg_err *err)
{
	struct kg_conf *next = calloc(1, sizeof(*next));
	const char *path;

	kg_notify_reloading();
	s->next_reload_ms = kg_loop_mono_ms() + KG_SERVICE_RELOAD_GAP_MS;
	if (next == NULL) {
		kg_err_set(err, "out of memory");
		goto fail;
	}
	if (kg_service_conf_load(&s->opts, s->default_db, next, err) < 0) {
		free(next);
		next = NULL;
		goto fail;
	}
	if (keep_start_only(s->conf, next, err) < 0 ||
	    (s->ops.apply != NULL && s->ops.apply(s->ops.arg, next, err) < 0))
		goto fail;
	kg_log_set_level(next->log_level);
	kg_conf_clear(s->conf);
	free(s->conf);
	s->conf = next;
	path = next->path != NULL ? next->path : "built-in defaults";
	log_notice("configuration reloaded from %s", path);
	if (s->loop != NULL)
		kg_loop_recheck(s->loop);
	send_status(s, true);
	return 0;
fail:
	kg_conf_clear(next);
	free(next);
	log_err("reload rejected, the configuration in force stays: %s", err->msg);
	send_status(s, true);
	return -1;
}

/* SIGHUP only asks: the reload happens in the next tick, at most one per
 * KG_SERVICE_RELOAD_GAP_MS, so a storm of signals is one or two reloads. */
static void
on_hangup(struct kg_loop *loop, int signo, void *arg)
{
	struct kg_service *s = arg;

	(void)loop;
	(void)signo;
	s->hangups++;
}

/* Runs the reload SIGHUPs asked for once its time has come; returns how
 * long until then, or -1. */
static int64_t
hangup_tick(struct kg_service *s)
{
	int64_t left = s->next_reload_ms - kg_loop_mono_ms();
	struct kg_err err;

	if (s->hangups == 0)
		return -1;
	if (left > 0)
		return left;
	if (s->hangups > 1)
		log_notice("SIGHUP (%d, taken as one): reloading the configuration", s->hangups);
	else
		log_notice("SIGHUP: reloading the configuration");
	s->hangups = 0;
	kg_service_reload(s, &err);
	return -1;
}

/* Should a module hang during shutdown, SIGALRM ends the process: the
 * outbox is durable, so an abrupt end loses nothing, it only repeats. */
static void
on_stop_overdue(int signo)
{
	static const char msg[] = "kigend: shutdown took too long, exiting now\n";

	(void)signo;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing left to try */
	}
	_exit(1);
}

static void
notify_stopping(struct kg_service *s)
{
	if (!s->stopping)
		kg_notify_stopping();
	s->stopping = true;
}

/* Whether the drain is over: nothing busy, or out of time.  Stops the loop
 * then. */
static bool
drain_done(struct kg_service *s)
{
	bool busy = s->ops.busy != NULL && s->ops.busy(s->ops.arg);

	if (busy && kg_loop_mono_ms() < s->drain_until_ms)
		return false;
	if (busy)
		log_warn("stopping with work in flight after %d ms; it goes back to the outbox",
		    KG_SERVICE_DRAIN_MS);
	kg_loop_stop(s->loop);
	return true;
}

static void
on_stop(struct kg_loop *loop, int signo, void *arg)
{
	struct sigaction sa = { .sa_handler = on_stop_overdue };
	struct kg_service *s = arg;

	if (s->drain_until_ms != 0) {
		log_notice("second stop signal: stopping now");
		kg_loop_stop(loop);
		return;
	}
	log_notice("%s: stopping", signo == SIGINT ? "SIGINT" : "SIGTERM");
	notify_stopping(s);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(KG_SERVICE_STOP_MAX_S);
	s->drain_until_ms = kg_loop_mono_ms() + KG_SERVICE_DRAIN_MS;
	if (s->ops.drain != NULL)
		s->ops.drain(s->ops.arg);
	drain_done(s);
}

static int
hook_changed(struct kg_loop *loop, void *arg, struct kg_err *err)
{
	struct kg_service *s = arg;

	(void)loop;
	(void)err;
	s->status_stale = true;
	return 0;
}

/* How often a drain looks whether the work in flight finished. */
#define DRAIN_CHECK_MS 20

/* READY after the first data load (this hook runs after the others), then
 * STATUS after changes, the watchdog pings, and the end of a drain. */
static int64_t
hook_tick(struct kg_loop *loop, void *arg, int64_t now)
{
	struct kg_service *s = arg;
	int64_t mono, wait, reload;

	(void)loop;
	(void)now;
	wait = reload = hangup_tick(s);
	if (s->drain_until_ms != 0) {
		if (drain_done(s))
			return -1;
		wait = reload >= 0 && reload < DRAIN_CHECK_MS ? reload : DRAIN_CHECK_MS;
	}
	if (s->status_stale || !s->ready)
		send_status(s, false);
	if (s->watchdog_ms == 0)
		return wait;
	mono = kg_loop_mono_ms();
	if (mono >= s->next_ping_ms) {
		kg_notify_watchdog();
		s->next_ping_ms = mono + (int64_t)s->watchdog_ms;
	}
	if (wait < 0 || s->next_ping_ms - mono < wait)
		wait = s->next_ping_ms - mono;
	return wait;
}

static void
add_last_import(struct kg_service *s, json_t *obj)
{
	struct kg_document last = { 0 };
	char as_of[KG_DATE_LEN], imported[KG_TIME_LEN];
	struct kg_err err;

	if (s->loop == NULL || kg_loop_store(s->loop) == NULL ||
	    kg_store_last_import(kg_loop_store(s->loop), &last, &err) <= 0) {
		json_object_set_new(obj, "last_import", json_null());
		return;
	}
	json_object_set_new(obj, "last_import", json_pack("{s:s?, s:s, s:s}",
	    "document", last.name, "as_of", kg_date_format(last.as_of, as_of),
	    "imported_at", kg_time_format(last.imported_at, imported)));
	kg_document_clear(&last);
}

static void
control_status(void *arg, json_t *obj)
{
	struct kg_service *s = arg;
	json_t *listen = json_array();
	size_t i;

	for (i = 0; listen != NULL && i < s->conf->listen.n; i++)
		json_array_append_new(listen, json_string(s->conf->listen.v[i]));
	json_object_set_new(obj, "listen", listen);
	json_object_set_new(obj, "db", json_string(s->conf->db));
	json_object_set_new(obj, "config", s->conf->path != NULL ? json_string(s->conf->path) : json_null());
	add_last_import(s, obj);
	if (s->ops.status != NULL)
		s->ops.status(s->ops.arg, obj);
}

static int
control_reload(void *arg, struct kg_err *err)
{
	if (kg_service_reload(arg, err) < 0)
		return kg_err_prefix(err, "reload rejected, the configuration in force stays");
	return 0;
}

int
kg_service_attach(struct kg_service *s, struct kg_loop *loop,
    const struct kg_service_ops *ops, struct kg_err *err)
{
	const struct kg_control_ops control_ops = { control_status, control_reload, s };
	const struct kg_loop_hook hook = { "service", s, hook_changed, hook_tick };
	char path[128];

	s->loop = loop;
	s->ops = *ops;
	s->watchdog_ms = kg_notify_watchdog_interval_us() / 1000;
	if (kg_ctl_socket_path(s->conf->control_socket, s->conf->db, path, sizeof(path), err) < 0 ||
	    kg_control_open(path, &control_ops, loop, &s->control, err) < 0 ||
	    kg_loop_on_signal(loop, SIGHUP, on_hangup, s, err) < 0 ||
	    kg_loop_on_signal(loop, SIGTERM, on_stop, s, err) < 0 ||
	    kg_loop_on_signal(loop, SIGINT, on_stop, s, err) < 0 ||
	    kg_loop_add_hook(loop, &hook, err) < 0)
		return -1;
	log_info("control socket at %s", path);
	return 0;
}

void
kg_service_free(struct kg_service *s)
{
	if (s == NULL)
		return;
	notify_stopping(s);
	kg_control_close(s->control);
	kg_conf_clear(s->conf);
	free(s->conf);
	free(s->default_db);
	free(s);
}
