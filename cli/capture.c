/*
 * capture — see capture.h.
 */
#include "capture.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"
#include "textio.h"

#define ARGS_MAX 8

extern char **environ;

/* A memory file holding in[0..len), read from its start. */
static int
memfd_with(const char *name, const char *in, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	size_t done = 0;
	ssize_t w;

	if (fd < 0)
		return -1;
	while (done < len) {
		w = write(fd, in + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* All of memory file fd, from its start. */
static int
slurp(int fd, char **out, size_t *len, struct kg_err *err)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return kg_err_set(err, "%s", strerror(errno));
	return kg_text_read_fd(fd, out, len, err);
}

/* The helper's first line on stderr, or how it ended, into cli->err. */
static void
failure(struct cli *cli, const char *name, int errfd, int status)
{
	struct kg_err e;
	char *msg = NULL, *nl;
	size_t len = 0;

	if (slurp(errfd, &msg, &len, &e) == 0 && len > 0) {
		if ((nl = strchr(msg, '\n')) != NULL)
			*nl = '\0';
		kg_err_set(&cli->err, "%s", msg);
	} else if (WIFSIGNALED(status)) {
		kg_err_set(&cli->err, "%s was killed by signal %d", name, WTERMSIG(status));
	} else {
		kg_err_set(&cli->err, "%s failed (exit status %d)", name, WEXITSTATUS(status));
	}
	free(msg);
}

int
cli_helper_capture(struct cli *cli, const char *name, char *const args[],
    const char *in, size_t in_len, bool want_meta, struct cli_capture *c)
{
	char path[PATH_MAX], *argv[ARGS_MAX + 2];
	int infd = -1, outfd = -1, errfd = -1, metafd = -1, status = 0, rc = CLI_FAIL;
	posix_spawn_file_actions_t fa;
	bool fa_ok = false;
	size_t n = 0;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	if (cli_helper_path(cli, name, path) != CLI_OK)
		return CLI_FAIL;
	argv[n++] = path;
	while (args[n - 1] != NULL && n <= ARGS_MAX)
		argv[n] = args[n - 1], n++;
	argv[n] = NULL;
	if ((infd = memfd_with("kigen-in", in ? in : "", in ? in_len : 0)) < 0 ||
	    (outfd = memfd_create("kigen-out", MFD_CLOEXEC)) < 0 ||
	    (errfd = memfd_create("kigen-err", MFD_CLOEXEC)) < 0 ||
	    (want_meta && (metafd = memfd_create("kigen-meta", MFD_CLOEXEC)) < 0)) {
		kg_err_set(&cli->err, "cannot run %s: %s", name, strerror(errno));
		goto out;
	}
	if ((errno = posix_spawn_file_actions_init(&fa)) != 0) {
		kg_err_set(&cli->err, "cannot run %s: %s", name, strerror(errno));
		goto out;
	}
	fa_ok = true;
	if ((errno = posix_spawn_file_actions_adddup2(&fa, infd, 0)) != 0 ||
	    (errno = posix_spawn_file_actions_adddup2(&fa, outfd, 1)) != 0 ||
	    (errno = posix_spawn_file_actions_adddup2(&fa, errfd, 2)) != 0 ||
	    (want_meta && (errno = posix_spawn_file_actions_adddup2(&fa, metafd, 3)) != 0) ||
	    (errno = posix_spawn(&pid, path, &fa, NULL, argv, environ)) != 0) {
		kg_err_set(&cli->err, "cannot run '%s': %s", path, strerror(errno));
		goto out;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			kg_err_set(&cli->err, "waiting for %s: %s", name, strerror(errno));
			goto out;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		failure(cli, name, errfd, status);
		goto out;
	}
	if (slurp(outfd, &c->out, &c->out_len, &cli->err) < 0 ||
	    (want_meta && slurp(metafd, &c->meta, &c->meta_len, &cli->err) < 0)) {
		kg_err_prefix(&cli->err, "output of %s", name);
		goto out;
	}
	rc = CLI_OK;
out:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	if (infd >= 0)
		close(infd);
	if (outfd >= 0)
		close(outfd);
	if (errfd >= 0)
		close(errfd);
	if (metafd >= 0)
		close(metafd);
	return rc;
}

void
cli_capture_clear(struct cli_capture *c)
{
	if (c == NULL)
		return;
	free(c->out);
	free(c->meta);
	memset(c, 0, sizeof(*c));
}
