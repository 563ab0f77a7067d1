/*
 * loop — see loop.h.  A poll() loop with a self-pipe: signal handlers and
 * other threads write one byte into it (a signal number, or 0 for a plain
 * wakeup), the loop thread reads it and dispatches.  The watch list is a
 * small array searched linearly: kigend watches a handful of fds (the pipe,
 * the control socket, libcurl's connections), not thousands.
 */
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "civil.h"
#include "log.h"
#include "store.h"

#define LOOP_MAX_HOOKS 16
#define LOOP_CHECK_MS 1000 /* data_version poll period */
#define LOOP_NSIG 65

struct watch {
	int fd;
	short events;
	kg_loop_fd_cb *cb;
	void *arg;
};

struct signal_slot {
	kg_loop_signal_cb *cb;
	void *arg;
	bool installed;
	struct sigaction old;
};

struct kg_loop {
	struct kg_store *st;
	int pipe_rd, pipe_wr;
	atomic_bool stop;
	atomic_bool recheck;

	struct kg_loop_hook hooks[LOOP_MAX_HOOKS];
	size_t nhooks;

	struct watch *watches;
	size_t nwatches, capwatches;

	struct signal_slot signals[LOOP_NSIG];

	int64_t data_version;
	int64_t next_check_ms;
	bool first_change_done;
	bool retry_changed;      /* a changed() hook failed: run them again */
};

/* The write end of the one loop's pipe, for the signal handler. */
static volatile sig_atomic_t loop_signal_fd = -1;

int64_t
kg_loop_mono_ms(void)
{
	return kg_mono_ms();
}

static void
pipe_poke(int fd, unsigned char byte)
{
	int saved = errno;

	/* A full pipe already guarantees a wakeup: EAGAIN is fine. */
	if (fd >= 0 && write(fd, &byte, 1) < 0) {
		/* nothing to do */
	}
	errno = saved;
}

static void
on_signal(int signo)
{
	pipe_poke(loop_signal_fd, (unsigned char)signo);
}

int
kg_loop_new(struct kg_store *st, struct kg_loop **out, struct kg_err *err)
{
	struct kg_loop *loop;
	int fds[2];

	*out = NULL;
	if (loop_signal_fd >= 0)
		return kg_err_set(err, "a loop already exists in this process");
	if ((loop = calloc(1, sizeof(*loop))) == NULL)
		return kg_err_set(err, "out of memory");
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		kg_err_set(err, "cannot create the loop's pipe: %s", strerror(errno));
		free(loop);
		return -1;
	}
	loop->st = st;
	loop->pipe_rd = fds[0];
	loop->pipe_wr = fds[1];
	atomic_init(&loop->stop, false);
	atomic_init(&loop->recheck, true);
	loop_signal_fd = fds[1];
	*out = loop;
	return 0;
}

void
kg_loop_free(struct kg_loop *loop)
{
	int i;

	if (loop == NULL)
		return;
	for (i = 0; i < LOOP_NSIG; i++)
		if (loop->signals[i].installed)
			sigaction(i, &loop->signals[i].old, NULL);
	loop_signal_fd = -1;
	close(loop->pipe_rd);
	close(loop->pipe_wr);
	free(loop->watches);
	free(loop);
}

int
kg_loop_add_hook(struct kg_loop *loop, const struct kg_loop_hook *hook, struct kg_err *err)
{
	if (loop->nhooks == LOOP_MAX_HOOKS)
		return kg_err_set(err, "too many loop hooks (adding '%s')", hook->name);
	loop->hooks[loop->nhooks++] = *hook;
	return 0;
}

static struct watch *
watch_find(struct kg_loop *loop, int fd)
{
	size_t i;

	for (i = 0; i < loop->nwatches; i++)
		if (loop->watches[i].fd == fd)
			return &loop->watches[i];
	return NULL;
}

int
kg_loop_watch(struct kg_loop *loop, int fd, short events, kg_loop_fd_cb *cb, void *arg,
    struct kg_err *err)
{
	struct watch *w = watch_find(loop, fd);

	if (w == NULL) {
		if (loop->nwatches == loop->capwatches) {
			size_t ncap = loop->capwatches ? loop->capwatches * 2 : 8;
			struct watch *nw = realloc(loop->watches, ncap * sizeof(*nw));

			if (nw == NULL)
				return kg_err_set(err, "out of memory");
			loop->watches = nw;
			loop->capwatches = ncap;
		}
		w = &loop->watches[loop->nwatches++];
		w->fd = fd;
	}
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	return 0;
}

void
kg_loop_unwatch(struct kg_loop *loop, int fd)
{
	struct watch *w = watch_find(loop, fd);

	if (w != NULL)
		*w = loop->watches[--loop->nwatches];
}

int
kg_loop_on_signal(struct kg_loop *loop, int signo, kg_loop_signal_cb *cb, void *arg,
    struct kg_err *err)
{
	struct signal_slot *slot;
	struct sigaction sa;

	if (signo <= 0 || signo >= LOOP_NSIG)
		return kg_err_set(err, "invalid signal number %d", signo);
	slot = &loop->signals[signo];
	slot->cb = cb;
	slot->arg = arg;
	if (slot->installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(signo, &sa, &slot->old) < 0)
		return kg_err_set(err, "cannot catch signal %d: %s", signo, strerror(errno));
	slot->installed = true;
	return 0;
}

void
kg_loop_stop(struct kg_loop *loop)
{
	atomic_store(&loop->stop, true);
	pipe_poke(loop->pipe_wr, 0);
}

void
kg_loop_wakeup(struct kg_loop *loop)
{
	pipe_poke(loop->pipe_wr, 0);
}

void
kg_loop_recheck(struct kg_loop *loop)
{
	atomic_store(&loop->recheck, true);
	pipe_poke(loop->pipe_wr, 0);
}

struct kg_store *
kg_loop_store(struct kg_loop *loop)
{
	return loop->st;
}

int64_t
kg_loop_data_version(const struct kg_loop *loop)
{
	return loop->data_version;
}

/* Step 1: run the changed() hooks when the database moved on.  Only the
 * first run's failure is returned; later ones are logged and survived. */
static int
loop_check_data(struct kg_loop *loop, int64_t now_ms, struct kg_err *err)
{
	bool changed = atomic_exchange(&loop->recheck, false);
	struct kg_err herr;
	size_t i;

	if (loop->st != NULL && now_ms >= loop->next_check_ms) {
		int64_t v = kg_store_data_version(loop->st);

		loop->next_check_ms = now_ms + LOOP_CHECK_MS;
		if (v != loop->data_version || loop->retry_changed) {
			loop->data_version = v;
			changed = true;
		}
		loop->retry_changed = false;
	}
	if (!changed)
		return 0;
	for (i = 0; i < loop->nhooks; i++) {
		const struct kg_loop_hook *h = &loop->hooks[i];

		if (h->changed == NULL)
			continue;
		herr.msg[0] = '\0';
		if (h->changed(loop, h->arg, &herr) == 0)
			continue;
		if (!loop->first_change_done) {
			kg_err_set(err, "%s: %s", h->name, herr.msg);
			return -1;
		}
		/* Survived, and tried again at the next check: the data it
		 * missed (a read that found the lock taken, say) is not lost. */
		log_err("%s: %s (trying again in %d ms)", h->name, herr.msg, LOOP_CHECK_MS);
		loop->retry_changed = true;
	}
	loop->first_change_done = true;
	return 0;
}

static void
loop_drain_pipe(struct kg_loop *loop)
{
	unsigned char buf[64];
	ssize_t n, i;

	while ((n = read(loop->pipe_rd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			struct signal_slot *slot = &loop->signals[buf[i] % LOOP_NSIG];

			if (buf[i] != 0 && slot->cb != NULL)
				slot->cb(loop, buf[i], slot->arg);
		}
	}
}

int
kg_loop_run(struct kg_loop *loop, struct kg_err *err)
{
	struct pollfd *pfds = NULL;
	size_t cap = 0;
	int rc = -1;

	while (!atomic_load(&loop->stop)) {
		int64_t now_ms = kg_loop_mono_ms(), timeout = -1;
		size_t i, n;
		int ready;

		if (loop_check_data(loop, now_ms, err) < 0)
			goto out;
		for (i = 0; i < loop->nhooks; i++) {
			const struct kg_loop_hook *h = &loop->hooks[i];
			int64_t t;

			if (h->tick == NULL)
				continue;
			t = h->tick(loop, h->arg, (int64_t)time(NULL));
			if (t >= 0 && (timeout < 0 || t < timeout))
				timeout = t;
		}
		if (loop->st != NULL) {
			int64_t until_check = loop->next_check_ms - kg_loop_mono_ms();

			if (until_check < 0)
				until_check = 0;
			if (timeout < 0 || until_check < timeout)
				timeout = until_check;
		}
		if (atomic_load(&loop->stop))
			break;

		n = loop->nwatches + 1;
		if (n > cap) {
			struct pollfd *np = realloc(pfds, n * sizeof(*np));

			if (np == NULL) {
				kg_err_set(err, "out of memory");
				goto out;
			}
			pfds = np;
			cap = n;
		}
		pfds[0].fd = loop->pipe_rd;
		pfds[0].events = POLLIN;
		pfds[0].revents = 0;
		for (i = 0; i < loop->nwatches; i++) {
			pfds[i + 1].fd = loop->watches[i].fd;
			pfds[i + 1].events = loop->watches[i].events;
			pfds[i + 1].revents = 0;
		}
		ready = poll(pfds, n, timeout > 0x7fffffff ? 0x7fffffff : (int)timeout);
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			kg_err_set(err, "poll: %s", strerror(errno));
			goto out;
		}
		if (pfds[0].revents)
			loop_drain_pipe(loop);
		/* A callback may add or drop watches: look each one up again. */
		for (i = 1; i < n && ready > 0; i++) {
			struct watch *w;

			if (pfds[i].revents == 0)
				continue;
			ready--;
			w = watch_find(loop, pfds[i].fd);
			if (w != NULL)
				w->cb(loop, pfds[i].fd, pfds[i].revents, w->arg);
		}
	}
	rc = 0;
out:
	free(pfds);
	return rc;
}
