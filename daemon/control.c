/*
 * control — see control.h.  Requests are tiny and answered synchronously on
 * the caller's thread, which keeps reload atomic with respect to the loop:
 * nothing else runs while the configuration is swapped.
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

/* How long a connected client may take to send its request line. */
#define CONTROL_CLIENT_TIMEOUT_MS 500

struct kg_control {
	int fd;
	char *path;
	time_t started_at;
	struct kg_control_ops ops;
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

int
kg_control_open(const char *path, const struct kg_control_ops *ops,
    struct kg_control **out, struct kg_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct kg_control *c = NULL;
	mode_t old_mask;
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
	c->started_at = time(NULL);
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
	if (chmod(path, 0660) < 0 || listen(c->fd, 8) < 0) {
		kg_err_set(err, "control socket '%s': %s", path, strerror(errno));
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

int
kg_control_fd(const struct kg_control *c)
{
	return c->fd;
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

/* Reads the request line (up to KG_CTL_REQUEST_MAX bytes, within the client
 * timeout) into buf without its line end.  0 on success; -1 when the client
 * left without a full line, with *timed_out telling whether it was silent. */
static int
read_request(int client, char *buf, size_t size, int *timed_out)
{
	size_t len = 0;
	ssize_t r;
	char *nl;

	*timed_out = 0;
	while (len < size - 1) {
		r = recv(client, buf + len, size - 1 - len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			*timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		nl = memchr(buf, '\n', len);
		if (nl != NULL) {
			*nl = '\0';
			if (nl > buf && nl[-1] == '\r')
				nl[-1] = '\0';
			return 0;
		}
	}
	return -1;
}

static void
serve_client(struct kg_control *c, int client)
{
	struct timeval tv = { 0, CONTROL_CLIENT_TIMEOUT_MS * 1000 };
	char line[KG_CTL_REQUEST_MAX + 1];
	json_t *answer;
	char *text;
	size_t len, off = 0;
	ssize_t w;
	int timed_out;

	setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (read_request(client, line, sizeof(line), &timed_out) < 0) {
		/* A daemon probing for a live socket connects and leaves at once. */
		if (timed_out)
			log_warn("control socket: no request line within %d ms, dropped",
			    CONTROL_CLIENT_TIMEOUT_MS);
		return;
	}
	if (strcmp(line, "status") == 0)
		answer = answer_status(c);
	else if (strcmp(line, "reload") == 0)
		answer = answer_reload(c, client);
	else
		answer = json_pack("{s:b, s:s}", "ok", 0, "error",
		    "unknown control command (try status or reload)");
	text = kg_ctl_answer_encode(answer, &len);
	json_decref(answer);
	if (text == NULL) {
		log_err("control socket: out of memory");
		return;
	}
	while (off < len) {
		w = send(client, text + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			log_warn("control socket: answer not delivered: %s", strerror(errno));
			break;
		}
		off += (size_t)w;
	}
	free(text);
}

void
kg_control_serve(struct kg_control *c)
{
	int client;

	for (;;) {
		client = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
		if (client < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("control socket: accept: %s", strerror(errno));
			return;
		}
		serve_client(c, client);
		close(client);
	}
}

void
kg_control_close(struct kg_control *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	unlink(c->path);
	free(c->path);
	free(c);
}
