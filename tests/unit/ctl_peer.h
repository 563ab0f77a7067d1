/* A control-socket client for the daemon's unit tests, written from the
 * protocol in lib/ctl.h alone: daemon tests link no cli/ code, so they
 * speak to daemon/control as any client would — one request line, one
 * answer line — with none of cli/ctl_client's trust checks, which its own
 * test covers.  Blocking, bounded by timeout_ms per read and write. */
#ifndef KG_TEST_CTL_PEER_H
#define KG_TEST_CTL_PEER_H

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"

/* Asks `command` on the socket at path.  0 with *reply (the caller
 * json_decref()s it) as kg_ctl_answer_parse() gives it; -1 with err set
 * when the socket cannot be reached, nothing arrives in time, or the answer
 * is an error. */
static int
ctl_peer_ask(const char *path, const char *command, int timeout_ms, json_t **reply,
    struct kg_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	static char buf[KG_CTL_REPLY_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int fd;

	*reply = NULL;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return kg_err_set(err, "socket failed");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    dprintf(fd, "%s\n", command) < 0) {
		close(fd);
		return kg_err_set(err, "cannot ask '%s' on '%s'", command, path);
	}
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		if (memchr(buf, '\n', len) != NULL)
			break;
	}
	close(fd);
	buf[len] = '\0';
	if (len == 0)
		return kg_err_set(err, "no answer to '%s' on '%s'", command, path);
	return kg_ctl_answer_parse(buf, path, reply, err);
}

#endif
