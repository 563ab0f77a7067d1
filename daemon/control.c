/*
 * control — see control.h.  Requests are tiny and answered on the loop
 * thread as soon as their line is complete, which keeps reload atomic with
 * respect to the loop: nothing else runs while the configuration is
 * swapped.  What may be slow — a client's bytes, a client reading its
 * answer — is never waited for: each client is a loop watch with a
 * deadline, driven by readiness.
 */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "civil.h"
#include "ctl.h"
#include "log.h"

struct client {
	int fd;                   /* -1: free slot */
	int64_t deadline_ms;      /* monotonic: the end of the whole exchange */
	char in[KG_CTL_REQUEST_MAX + 1];
	size_t inlen;
	char *out;                /* the answer line, once there is one */
	size_t outlen, outoff;
};

struct kg_control {
	int fd;
	char *path;
	time_t started_at;
	struct kg_control_ops ops;
	struct kg_loop *loop;
	struct client clients[KG_CONTROL_MAX_CLIENTS];
	size_t nclients;
	bool told_full;           /* "too many clients" logged since the last free slot */
};

/* Refuses a socket whose directory others could write to (and so replace
 * the socket), unless the sticky bit protects it as in /tmp. */
static int
check_directory(const char *path, struct kg_err *err)
{
	char *copy = strdup(path);
	struct stat st;
	const char *dir;
	int rc = 0;

	if (copy == NULL)
		return kg_err_set(err, "out of memory");
	dir = dirname(copy);
	if (stat(dir, &st) < 0)
		rc = kg_err_set(err, "control socket directory '%s': %s", dir, strerror(errno));
	else if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		rc = kg_err_set(err, "control socket directory '%s' is writable by others (mode %04o)",
		    dir, (unsigned)(st.st_mode & 07777));
	free(copy);
	return rc;
}

/* Removes a socket left by a daemon that died; refuses to touch a live one
 * or anything that is not a socket. */
static int
clear_stale(const char *path, const struct sockaddr_un *sa, struct kg_err *err)
{
	struct stat st;
	int fd, live;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : kg_err_set(err, "control socket '%s': %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return kg_err_set(err, "control socket '%s' exists and is not a socket", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return kg_err_set(err, "socket: %s", strerror(errno));
	live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	if (live)
		return kg_err_set(err, "control socket '%s' is in use (is kigend already running?)", path);
	if (unlink(path) < 0)
		return kg_err_set(err, "removing stale control socket '%s': %s", path, strerror(errno));
	return 0;
}

static void on_listen(struct kg_loop *loop, int fd, short revents, void *arg);
static int64_t on_tick(struct kg_loop *loop, void *arg, int64_t now);

int
kg_control_open(const char *path, const struct kg_control_ops *ops, struct kg_loop *loop,
    struct kg_control **out, struct kg_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct kg_loop_hook hook = { .name = "control", .tick = on_tick };
	struct kg_control *c = NULL;
	mode_t old_mask;
	size_t i;
	int r;

	*out = NULL;
	if (strlen(path) >= sizeof(sa.sun_path))
		return kg_err_set(err, "control socket path '%s' too long (max %zu bytes)",
		    path, sizeof(sa.sun_path) - 1);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (check_directory(path, err) < 0 || clear_stale(path, &sa, err) < 0)
		return -1;
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->path = strdup(path)) == NULL)
		goto oom;
	c->fd = -1;
	c->ops = *ops;
	c->loop = loop;
	c->started_at = time(NULL);
	for (i = 0; i < KG_CONTROL_MAX_CLIENTS; i++)
		c->clients[i].fd = -1;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		kg_err_set(err, "socket: %s", strerror(errno));
		goto fail;
	}
	/* Born 0660: never reachable by others, not even for an instant. */
	old_mask = umask(0117);
	r = bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (r < 0) {
		kg_err_set(err, "binding control socket '%s': %s", path, strerror(errno));
		goto fail;
	}
	hook.arg = c;
	if (chmod(path, 0660) < 0 || listen(c->fd, 16) < 0) {
		kg_err_set(err, "control socket '%s': %s", path, strerror(errno));
		unlink(path);
		goto fail;
	}
	if (kg_loop_watch(loop, c->fd, POLLIN, on_listen, c, err) < 0 ||
	    kg_loop_add_hook(loop, &hook, err) < 0) {
		kg_loop_unwatch(loop, c->fd);
		unlink(path);
		goto fail;
	}
	*out = c;
	return 0;
oom:
	kg_err_set(err, "out of memory");
fail:
	if (c != NULL && c->fd >= 0)
		close(c->fd);
	if (c != NULL)
		free(c->path);
	free(c);
	return -1;
}

size_t
kg_control_clients(const struct kg_control *c)
{
	return c->nclients;
}

static json_t *
answer_status(struct kg_control *c)
{
	char started[KG_TIME_LEN];
	json_t *obj;

	kg_time_format(c->started_at, started);
	obj = json_pack("{s:b, s:s, s:I, s:s, s:I}", "ok", 1, "version", KIGEN_VERSION,
	    "pid", (json_int_t)getpid(), "started_at", started,
	    "uptime_s", (json_int_t)(time(NULL) - c->started_at));
	if (obj != NULL && c->ops.status != NULL)
		c->ops.status(c->ops.arg, obj);
	return obj;
}

static json_t *
answer_reload(struct kg_control *c, int client)
{
	struct kg_err err = { .msg = "" };
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		log_notice("reload requested on the control socket by uid %u (pid %d)",
		    (unsigned)cred.uid, (int)cred.pid);
	if (c->ops.reload == NULL)
		return json_pack("{s:b, s:s}", "ok", 0, "error", "reload is not supported");
	if (c->ops.reload(c->ops.arg, &err) < 0)
		return json_pack("{s:b, s:s}", "ok", 0, "error", err.msg);
	return json_pack("{s:b}", "ok", 1);
}

static void
client_drop(struct kg_control *c, struct client *cl)
{
	kg_loop_unwatch(c->loop, cl->fd);
	close(cl->fd);
	free(cl->out);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
	c->nclients--;
	c->told_full = false;
}

/* The answer to one request line (without its line end). */
static json_t *
answer(struct kg_control *c, struct client *cl, char *line)
{
	size_t len = strlen(line);

	if (len > 0 && line[len - 1] == '\r')
		line[len - 1] = '\0';
	if (strcmp(line, "status") == 0)
		return answer_status(c);
	if (strcmp(line, "reload") == 0)
		return answer_reload(c, cl->fd);
	return json_pack("{s:b, s:s}", "ok", 0, "error",
	    "unknown control command (try status or reload)");
}

static void on_client(struct kg_loop *loop, int fd, short revents, void *arg);

/* Sends what the socket takes now, then waits for room (POLLOUT) or drops
 * the client once all is sent or the socket failed. */
static void
client_write(struct kg_control *c, struct client *cl)
{
	struct kg_err err;
	ssize_t w;

	while (cl->outoff < cl->outlen) {
		w = send(cl->fd, cl->out + cl->outoff, cl->outlen - cl->outoff,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (kg_loop_watch(c->loop, cl->fd, POLLOUT, on_client, c, &err) == 0)
				return;
			log_err("control socket: %s", err.msg);
		} else if (w < 0) {
			log_warn("control socket: answer not delivered: %s", strerror(errno));
		}
		if (w <= 0)
			break;
		cl->outoff += (size_t)w;
	}
	client_drop(c, cl);
}

static struct client *
client_of(struct kg_control *c, int fd)
{
	size_t i;

	for (i = 0; i < KG_CONTROL_MAX_CLIENTS; i++)
		if (c->clients[i].fd == fd)
			return &c->clients[i];
	return NULL;
}

/* Readiness of a client's socket: more of its request, or room for the
 * rest of its answer. */
static void
on_client(struct kg_loop *loop, int fd, short revents, void *arg)
{
	struct kg_control *c = arg;
	struct client *cl = client_of(c, fd);
	json_t *ans;
	char *nl;
	ssize_t r;

	(void)loop;
	(void)revents;
	if (cl == NULL)
		return;
	if (cl->out != NULL) {
		client_write(c, cl);
		return;
	}
	r = recv(fd, cl->in + cl->inlen, sizeof(cl->in) - 1 - cl->inlen, MSG_DONTWAIT);
	if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (r <= 0) {
		/* A daemon probing for a live socket connects and leaves at once. */
		client_drop(c, cl);
		return;
	}
	cl->inlen += (size_t)r;
	cl->in[cl->inlen] = '\0';
	if ((nl = memchr(cl->in, '\n', cl->inlen)) == NULL) {
		if (cl->inlen == sizeof(cl->in) - 1) {
			log_warn("control socket: request line longer than %d bytes, dropped",
			    KG_CTL_REQUEST_MAX);
			client_drop(c, cl);
		}
		return;
	}
	*nl = '\0';
	ans = answer(c, cl, cl->in);
	cl->out = kg_ctl_answer_encode(ans, &cl->outlen);
	json_decref(ans);
	if (cl->out == NULL) {
		log_err("control socket: out of memory");
		client_drop(c, cl);
		return;
	}
	client_write(c, cl);
}

static void
on_listen(struct kg_loop *loop, int fd, short revents, void *arg)
{
	struct kg_control *c = arg;
	struct client *cl;
	struct kg_err err;
	int client;

	(void)revents;
	for (;;) {
		client = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (client < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("control socket: accept: %s", strerror(errno));
			return;
		}
		if (c->nclients == KG_CONTROL_MAX_CLIENTS || (cl = client_of(c, -1)) == NULL) {
			if (!c->told_full)
				log_warn("control socket: %d clients already connected; closing new "
				    "ones until one leaves", KG_CONTROL_MAX_CLIENTS);
			c->told_full = true;
			close(client);
			continue;
		}
		if (kg_loop_watch(loop, client, POLLIN, on_client, c, &err) < 0) {
			log_err("control socket: %s", err.msg);
			close(client);
			continue;
		}
		cl->fd = client;
		cl->deadline_ms = kg_loop_mono_ms() + KG_CONTROL_DEADLINE_MS;
		c->nclients++;
	}
}

/* Drops the clients past their deadline; sleeps until the next one. */
static int64_t
on_tick(struct kg_loop *loop, void *arg, int64_t now)
{
	struct kg_control *c = arg;
	int64_t mono = kg_loop_mono_ms(), wait = -1, left;
	struct client *cl;
	size_t i;

	(void)loop;
	(void)now;
	for (i = 0; i < KG_CONTROL_MAX_CLIENTS && c->nclients > 0; i++) {
		cl = &c->clients[i];
		if (cl->fd < 0)
			continue;
		left = cl->deadline_ms - mono;
		if (left > 0) {
			wait = wait < 0 || left < wait ? left : wait;
			continue;
		}
		log_warn("control socket: %s within %d ms, dropped", cl->out == NULL ?
		    "no request line" : "answer not taken", KG_CONTROL_DEADLINE_MS);
		client_drop(c, cl);
	}
	return wait;
}

void
kg_control_close(struct kg_control *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < KG_CONTROL_MAX_CLIENTS; i++)
		if (c->clients[i].fd >= 0)
			client_drop(c, &c->clients[i]);
	kg_loop_unwatch(c->loop, c->fd);
	close(c->fd);
	unlink(c->path);
	free(c->path);
	free(c);
}
