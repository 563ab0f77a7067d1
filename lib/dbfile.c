/*
 * dbfile — see dbfile.h.
 *
 * Who holds the write lock: in WAL mode SQLite's writer holds a POSIX
 * record lock on byte 120 of the "-shm" file (WAL_WRITE_LOCK, the first of
 * the wal-index locks at offset 120, as SQLite's file-format notes on the
 * wal-index describe), so fcntl(F_GETLK) there names the process.  Its
 * command line says what it is; the daemon lock file holds kigend's pid.
 * This only ever reads: a wrong guess costs a less precise message.
 */
#include "dbfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

#define WAL_WRITE_LOCK_OFFSET 120

struct kg_dblock {
	int fd;
};

static const char *
file_type(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a file";
}

/* The directory part of path ("." when there is none); new string. */
static char *
dir_of(const char *path)
{
	char *copy = strdup(path), *dir;

	if (copy == NULL)
		return NULL;
	dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

/* The one message for a database whose directory is missing. */
static int
dir_missing(const char *path, const char *dir, struct kg_err *err)
{
	return kg_err_set(err, "database '%s': directory '%s' does not exist (kigen does "
	    "not create it: check the path, or create the directory first)", path, dir);
}

int
kg_dbfile_check(const char *path, bool dir_must_exist, bool *exists, struct kg_err *err)
{
	struct stat sb;
	char *dir;
	int rc = 0;

	*exists = false;
	if (stat(path, &sb) == 0) {
		*exists = true;
		if (S_ISDIR(sb.st_mode))
			return kg_err_set(err, "database '%s' is a directory", path);
		if (!S_ISREG(sb.st_mode))
			return kg_err_set(err, "database '%s' is not a regular file (%s)", path,
			    file_type(sb.st_mode));
		return 0;
	}
	if (errno != ENOENT && errno != ENOTDIR)
		return kg_err_set(err, "database '%s': %s", path, strerror(errno));
	if (!dir_must_exist)
		return 0;
	if ((dir = dir_of(path)) == NULL)
		return kg_err_set(err, "out of memory");
	if (stat(dir, &sb) < 0)
		rc = dir_missing(path, dir, err);
	else if (!S_ISDIR(sb.st_mode))
		rc = kg_err_set(err, "database '%s': '%s' is not a directory", path, dir);
	free(dir);
	return rc;
}

char *
kg_dbfile_canonical(const char *path, struct kg_err *err)
{
	char *copy, *dir, *base, *real, *out = NULL;

	if ((real = realpath(path, NULL)) != NULL)
		return real;
	if (errno != ENOENT) {
		kg_err_set(err, "database '%s': %s", path, strerror(errno));
		return NULL;
	}
	/* Not there yet: its directory's canonical path and its name. */
	if ((copy = strdup(path)) == NULL || (dir = dir_of(path)) == NULL) {
		free(copy);
		kg_err_set(err, "out of memory");
		return NULL;
	}
	base = basename(copy);
	if ((real = realpath(dir, NULL)) == NULL && (errno == ENOENT || errno == ENOTDIR))
		dir_missing(path, dir, err);
	else if (real == NULL)
		kg_err_set(err, "database '%s': directory '%s': %s", path, dir, strerror(errno));
	else if (asprintf(&out, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", base) < 0) {
		out = NULL;
		kg_err_set(err, "out of memory");
	}
	free(real);
	free(dir);
	free(copy);
	return out;
}

/* The pid written in the lock file, or 0. */
static long
lock_file_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int
kg_dblock_take(const char *path, struct kg_dblock **out, struct kg_err *err)
{
	struct kg_dblock *l = NULL;
	char *canon, *lock = NULL, pid[32];
	int fd = -1, n;

	*out = NULL;
	if ((canon = kg_dbfile_canonical(path, err)) == NULL)
		return -1;
	if (asprintf(&lock, "%s.lock", canon) < 0) {
		lock = NULL;
		kg_err_set(err, "out of memory");
		goto fail;
	}
	/* 0660 like the database: the service's group shares both. */
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660)) < 0) {
		kg_err_set(err, "database lock '%s': %s", lock, strerror(errno));
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			kg_err_set(err, "database '%s' is in use by another kigend (pid %ld; lock '%s')",
			    canon, lock_file_pid(fd), lock);
		else
			kg_err_set(err, "database lock '%s': %s", lock, strerror(errno));
		goto fail;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		kg_err_set(err, "database lock '%s': %s", lock, strerror(errno));
		goto fail;
	}
	if ((l = malloc(sizeof(*l))) == NULL) {
		kg_err_set(err, "out of memory");
		goto fail;
	}
	l->fd = fd;
	*out = l;
	free(lock);
	free(canon);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	free(lock);
	free(canon);
	return -1;
}

void
kg_dblock_release(struct kg_dblock *l)
{
	if (l == NULL)
		return;
	close(l->fd); /* closing the last descriptor drops the flock */
	free(l);
}

/* The pid holding SQLite's WAL write lock of path, or 0. */
static long
writer_pid(const char *path)
{
	struct flock fl = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = WAL_WRITE_LOCK_OFFSET, .l_len = 1,
	};
	char shm[PATH_MAX];
	int fd;

	if ((size_t)snprintf(shm, sizeof(shm), "%s-shm", path) >= sizeof(shm) ||
	    (fd = open(shm, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return 0;
	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
		fl.l_pid = 0;
	close(fd);
	return fl.l_pid > 0 ? (long)fl.l_pid : 0;
}

/* kigend's pid from the daemon lock file beside path, or 0. */
static long
daemon_pid(const char *path)
{
	char *canon = kg_dbfile_canonical(path, NULL), lock[PATH_MAX];
	long pid = 0;
	int fd;

	if (canon != NULL && (size_t)snprintf(lock, sizeof(lock), "%s.lock", canon) < sizeof(lock) &&
	    (fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		pid = lock_file_pid(fd);
		close(fd);
	}
	free(canon);
	return pid;
}

/* "kigen import" from /proc/PID/cmdline: the program's name and the first
 * word that is neither an option nor an option's value. */
static void
command_of(long pid, char *buf, size_t size)
{
	static const char *const with_value[] = { "--db", "--config", "--as-of", NULL };
	char path[64], args[1024], *p, *end, *prog, *word = NULL;
	bool skip = false;
	size_t i;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, args, sizeof(args) - 1);
	close(fd);
	if (n <= 0)
		return;
	args[n] = '\0';
	end = args + n;
	prog = strrchr(args, '/') ? strrchr(args, '/') + 1 : args;
	for (p = args + strlen(args) + 1; p < end && word == NULL; p += strlen(p) + 1) {
		if (skip)
			skip = false;
		else if (p[0] != '-')
			word = p;
		else
			for (i = 0; with_value[i] != NULL; i++)
				skip |= strcmp(p, with_value[i]) == 0;
	}
	/* at most 64 and 32 bytes of them, cut between characters */
	kg_snprintf(buf, size, "%.*s%s%.*s", (int)kg_utf8_cut(prog, strnlen(prog, 64)), prog,
	    word != NULL ? " " : "", word != NULL ? (int)kg_utf8_cut(word, strnlen(word, 32)) : 0,
	    word != NULL ? word : "");
}

void
kg_dbfile_writer(const char *path, char *buf, size_t size)
{
	long pid = writer_pid(path);
	char cmd[128];

	if (pid == 0) {
		snprintf(buf, size, "another connection");
		return;
	}
	if (pid == daemon_pid(path)) {
		snprintf(buf, size, "kigend (pid %ld)", pid);
		return;
	}
	command_of(pid, cmd, sizeof(cmd));
	if (cmd[0] == '\0')
		snprintf(buf, size, "pid %ld", pid);
	else
		snprintf(buf, size, "%s (pid %ld)", cmd, pid);
}
