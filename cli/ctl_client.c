/*
 * ctl_client — see ctl_client.h.  A blocking client with a bounded answer
 * and a deadline: the CLI asks one question and exits, so there is nothing
 * to overlap.
 */
#include "ctl_client.h"

#include "civil.h"

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Waits for fd to become ready for `events` before the deadline. */
static int
wait_fd(int fd, short events, int64_t deadline, const char *path, struct kg_err *err)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int r;

	for (;;) {
		left = deadline - kg_mono_ms();
		if (left <= 0)
			return kg_err_set(err, "kigend did not answer on '%s' in time", path);
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return kg_err_set(err, "control socket '%s': %s", path, strerror(errno));
	}
}

/* uid of service_user, or (uid_t)-1 when none is named or known. */
static uid_t
service_uid(const char *service_user)
{
	struct passwd *pw;

	if (service_user == NULL || service_user[0] == '\0' ||
	    (pw = getpwnam(service_user)) == NULL)
		return (uid_t)-1;
	return pw->pw_uid;
}

static bool
trusted(uid_t uid, uid_t service)
{
	return uid == geteuid() || uid == 0 || (service != (uid_t)-1 && uid == service);
}

/* The socket file and the process behind it must be ours, root's or the
 * service's: in a shared sticky directory anyone could have made it. */
static int
check_peer(int fd, const char *path, const char *service_user, struct kg_err *err)
{
	uid_t service = service_uid(service_user);
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct stat sb;

	if (lstat(path, &sb) < 0)
		return kg_err_set(err, "control socket '%s': %s", path, strerror(errno));
	if (!trusted(sb.st_uid, service))
		return kg_err_set(err, "control socket '%s' belongs to uid %u, not to you, root or "
		    "the service user '%s': not trusting it (someone else may have put it there)",
		    path, (unsigned)sb.st_uid, service_user != NULL ? service_user : "");
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return kg_err_set(err, "control socket '%s': cannot tell who serves it: %s", path,
		    strerror(errno));
	if (cred.uid != sb.st_uid && !trusted(cred.uid, service))
		return kg_err_set(err, "control socket '%s' is served by uid %u (pid %d), not by its "
		    "owner, you, root or the service user: not trusting it", path,
		    (unsigned)cred.uid, (int)cred.pid);
	return 0;
}

static int
connect_socket(const char *path, struct kg_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return kg_err_set(err, "control socket path '%s' too long", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return kg_err_set(err, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno == ENOENT || errno == ECONNREFUSED)
		kg_err_set(err, "kigend is not running (no control socket at '%s')", path);
	else if (errno == EACCES || errno == EPERM)
		kg_err_set(err, "permission denied on control socket '%s' (is your user in the daemon's group?)", path);
	else
		kg_err_set(err, "cannot connect to control socket '%s': %s", path, strerror(errno));
	close(fd);
	return -1;
}

/* Reads until the peer closes or a newline arrives; buf gets a C string. */
static int
read_reply(int fd, char *buf, size_t size, int64_t deadline, const char *path,
    struct kg_err *err)
{
	size_t len = 0;
	ssize_t r;

	for (;;) {
		if (wait_fd(fd, POLLIN, deadline, path, err) < 0)
			return -1;
		r = read(fd, buf + len, size - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kg_err_set(err, "reading from '%s': %s", path, strerror(errno));
		len += (size_t)r;
		buf[len] = '\0';
		if (r == 0 || memchr(buf, '\n', len) != NULL)
			break;
		if (len == size - 1)
			return kg_err_set(err, "answer on '%s' longer than %zu bytes", path, size - 1);
	}
	if (len == 0)
		return kg_err_set(err, "kigend closed '%s' without answering", path);
	return 0;
}

int
cli_ctl_request(const char *socket_path, const char *command, int timeout_ms,
    const char *service_user, json_t **reply, struct kg_err *err)
{
	int64_t deadline = kg_mono_ms() + timeout_ms;
	char line[KG_CTL_REQUEST_MAX];
	char *buf = NULL;
	size_t len, off = 0;
	ssize_t w;
	int fd, rc = -1;

	*reply = NULL;
	len = (size_t)snprintf(line, sizeof(line), "%s\n", command);
	if (len >= sizeof(line))
		return kg_err_set(err, "control command '%s' too long", command);
	fd = connect_socket(socket_path, err);
	if (fd < 0)
		return -1;
	if (check_peer(fd, socket_path, service_user, err) < 0)
		goto out;
	while (off < len) {
		if (wait_fd(fd, POLLOUT, deadline, socket_path, err) < 0)
			goto out;
		w = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			kg_err_set(err, "writing to '%s': %s", socket_path, strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	buf = malloc(KG_CTL_REPLY_MAX + 1);
	if (buf == NULL) {
		kg_err_set(err, "out of memory");
		goto out;
	}
	if (read_reply(fd, buf, KG_CTL_REPLY_MAX + 1, deadline, socket_path, err) < 0)
		goto out;
	rc = kg_ctl_answer_parse(buf, socket_path, reply, err);
out:
	free(buf);
	close(fd);
	return rc;
}
