/*
 * pool — see pool.h.  The queue is a ring under one mutex, of room for
 * every job that may wait (threads + queue); threads sleep on a condition
 * variable.
 */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How much less the render threads count than request threads (nice). */
#define POOL_NICE 10

struct job {
	kg_job_fn *fn;
	void *arg;
};

struct kg_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_t *threads;
	size_t nthreads;
	struct job *ring;
	size_t cap, head, count;   /* ring of cap slots */
	size_t queue_max, running;
	bool stop;
};

static void *
worker(void *arg)
{
	struct kg_pool *p = arg;
	struct job j;

	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), POOL_NICE);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->count == 0 && !p->stop)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->count == 0)
			break;
		j = p->ring[p->head];
		p->head = (p->head + 1) % p->cap;
		p->count--;
		p->running++;
		pthread_mutex_unlock(&p->lock);
		j.fn(j.arg, true);
		pthread_mutex_lock(&p->lock);
		p->running--;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
kg_pool_new(size_t threads, size_t queue, struct kg_pool **out, struct kg_err *err)
{
	struct kg_pool *p;
	int rc;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->threads = calloc(threads, sizeof(*p->threads))) == NULL ||
	    (p->ring = calloc(threads + queue, sizeof(*p->ring))) == NULL) {
		if (p != NULL)
			free(p->threads);
		free(p);
		return kg_err_set(err, "out of memory");
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->cap = threads + queue; /* jobs waiting before a free thread takes them too */
	p->queue_max = queue;
	for (; p->nthreads < threads; p->nthreads++) {
		if ((rc = pthread_create(&p->threads[p->nthreads], NULL, worker, p)) != 0) {
			kg_pool_free(p);
			return kg_err_set(err, "cannot start a render thread: %s", strerror(rc));
		}
		pthread_setname_np(p->threads[p->nthreads], "kg-render");
	}
	*out = p;
	return 0;
}

void
kg_pool_stop(struct kg_pool *p)
{
	struct job j;
	size_t i;

	pthread_mutex_lock(&p->lock);
	if (p->stop) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	p->stop = true;
	while (p->count > 0) {
		j = p->ring[p->head];
		p->head = (p->head + 1) % p->cap;
		p->count--;
		pthread_mutex_unlock(&p->lock);
		j.fn(j.arg, false);
		pthread_mutex_lock(&p->lock);
	}
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
}

void
kg_pool_free(struct kg_pool *p)
{
	if (p == NULL)
		return;
	kg_pool_stop(p);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p->ring);
	free(p);
}

bool
kg_pool_submit(struct kg_pool *p, kg_job_fn *fn, void *arg)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	/* A free thread takes a job at once: the queue is for the others. */
	ok = !p->stop && p->count + p->running < p->nthreads + p->queue_max;
	if (ok) {
		p->ring[(p->head + p->count) % p->cap] = (struct job){ fn, arg };
		p->count++;
		pthread_cond_signal(&p->work);
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

size_t
kg_pool_threads(const struct kg_pool *p)
{
	return p->nthreads;
}

void
kg_pool_load(struct kg_pool *p, size_t *waiting, size_t *running)
{
	pthread_mutex_lock(&p->lock);
	*waiting = p->count;
	*running = p->running;
	pthread_mutex_unlock(&p->lock);
}
