/*
 * deliver — see deliver.h.  The loop owns the waiting: curl tells us which
 * sockets to watch (on_socket) and when it needs a timeout call (on_timer);
 * the loop calls on_fd for ready sockets and kg_deliver_tick on every
 * iteration.  Finished transfers are parked in `done` and written to the
 * outbox together at the next tick, so a burst of completions costs one
 * transaction, not one each.  A crash between a transfer's end and that
 * write leaves the row in_flight: it is sent again after the restart
 * (at-least-once; the receiver dedupes on webhook-id).
 */
#include "deliver.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"
#include "webhook.h"
#include "webhook_http.h"

/* Retry a failed outbox write after this long. */
#define WRITE_RETRY_MS 1000

struct endpoint {
	const struct kg_webhook_conf *conf;
	size_t in_flight;
	bool gone;                /* answered 410 at this url */
};

/* One request in flight; a.user points back here. */
struct transfer {
	struct kg_webhook_attempt a;
	struct transfer *prev, *next;
	size_t ep;
	int64_t id;
	int attempts;
	int64_t expires_at;
	char webhook_id[KG_WEBHOOK_ID_MAX];
};

/* An endpoint index that no longer means anything (the endpoint changed or
 * left the configuration since). */
#define NO_EP ((size_t)-1)
/* Why the open rows of an endpoint removed from the configuration end. */
#define REMOVED "endpoint removed from the configuration"

/* A finished (or stopped) attempt waiting to be written. */
struct result {
	size_t ep;                /* or NO_EP */
	char name[80];            /* the endpoint's, for when ep is NO_EP */
	int max_attempts;
	int64_t id;
	int attempts;
	int64_t expires_at;
	bool fatal;               /* could not even be sent (unusable endpoint) */
	bool stopped;             /* stopped before it ended: requeue, uncounted */
	struct kg_webhook_result r;
	char webhook_id[KG_WEBHOOK_ID_MAX];
};

struct kg_deliver {
	struct kg_loop *loop;
	struct kg_outbox *ob;
	CURLM *multi;
	struct endpoint *eps;
	size_t neps;
	struct transfer *transfers; /* in flight, a list for shutdown */
	size_t in_flight;
	int64_t timer_at_ms;      /* curl's timeout (monotonic); -1 none */
	struct result *done;
	size_t ndone, capdone;
	int64_t write_retry_at_ms;
	struct kg_strv cancel;    /* endpoints whose open rows are to be cancelled */
	bool poked;
	bool draining;            /* stopping: start nothing new */
	unsigned int seed;        /* jitter */
};

static void
collect(struct kg_deliver *d);
static int orphans(struct kg_deliver *d, const struct kg_conf *conf, struct kg_strv *out,
    struct kg_err *err);

/* A result of an attempt at endpoint ep of row id. */
static void
result_init(const struct kg_deliver *d, struct result *r, size_t ep, int64_t id, int attempts)
{
	memset(r, 0, sizeof(*r));
	r->ep = ep;
	kg_snprintf(r->name, sizeof(r->name), "%s", d->eps[ep].conf->name);
	r->max_attempts = d->eps[ep].conf->max_attempts;
	r->id = id;
	r->attempts = attempts;
}

static int
push_result(struct kg_deliver *d, const struct result *r)
{
	if (kg_array_grow((void **)&d->done, &d->capdone, d->ndone, sizeof(*d->done)) < 0) {
		/* The row stays in_flight and is resent after a restart. */
		log_err("webhook: out of memory recording delivery %lld", (long long)r->id);
		return -1;
	}
	d->done[d->ndone++] = *r;
	return 0;
}

static void
on_fd(struct kg_loop *loop, int fd, short revents, void *arg)
{
	struct kg_deliver *d = arg;
	int mask = 0, running;

	(void)loop;
	if (revents & POLLIN)
		mask |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		mask |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		mask |= CURL_CSELECT_ERR;
	curl_multi_socket_action(d->multi, fd, mask, &running);
	collect(d);
}

static int
on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct kg_deliver *d = userp;
	struct kg_err err;
	short events = 0;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		kg_loop_unwatch(d->loop, s);
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= POLLIN;
	if (what & CURL_POLL_OUT)
		events |= POLLOUT;
	if (kg_loop_watch(d->loop, s, events, on_fd, d, &err) < 0) {
		log_err("webhook: %s", err.msg);
		return -1;
	}
	return 0;
}

static int
on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct kg_deliver *d = userp;

	(void)multi;
	d->timer_at_ms = timeout_ms < 0 ? -1 : kg_loop_mono_ms() + timeout_ms;
	return 0;
}

int
kg_deliver_new(struct kg_loop *loop, struct kg_outbox *ob, const struct kg_conf *conf,
    struct kg_deliver **out, struct kg_err *err)
{
	struct kg_deliver *d;
	long maxconnects = 0;
	size_t i;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL || (conf->nwebhooks &&
	    (d->eps = calloc(conf->nwebhooks, sizeof(*d->eps))) == NULL)) {
		free(d);
		return kg_err_set(err, "out of memory");
	}
	d->loop = loop;
	d->ob = ob;
	d->neps = conf->nwebhooks;
	d->timer_at_ms = -1;
	d->poked = true;
	d->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	for (i = 0; i < d->neps; i++) {
		d->eps[i].conf = &conf->webhooks[i];
		maxconnects += conf->webhooks[i].concurrency;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	d->multi = curl_multi_init();
	if (d->multi == NULL) {
		kg_deliver_free(d);
		return kg_err_set(err, "cannot create a curl multi handle");
	}
	curl_multi_setopt(d->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(d->multi, CURLMOPT_SOCKETDATA, d);
	curl_multi_setopt(d->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(d->multi, CURLMOPT_TIMERDATA, d);
	/* Keep one idle connection per slot: loopback receivers reuse them. */
	curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, maxconnects > 0 ? maxconnects : 1L);
	/* Rows of endpoints no longer configured would wait forever. */
	if (orphans(d, conf, &d->cancel, err) < 0) {
		kg_deliver_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

static void
transfer_free(struct kg_deliver *d, struct transfer *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		d->transfers = t->next;
	if (t->next)
		t->next->prev = t->prev;
	curl_multi_remove_handle(d->multi, t->a.easy);
	kg_webhook_attempt_release(&t->a);
	d->eps[t->ep].in_flight--;
	d->in_flight--;
	free(t);
}

/* Moves finished transfers from curl to the `done` list. */
static void
collect(struct kg_deliver *d)
{
	struct transfer *t;
	struct result r;
	CURLMsg *msg;
	int left;
	void *priv;

	while ((msg = curl_multi_info_read(d->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		t = priv;
		result_init(d, &r, t->ep, t->id, t->attempts);
		r.expires_at = t->expires_at;
		memcpy(r.webhook_id, t->webhook_id, sizeof(r.webhook_id));
		kg_webhook_attempt_result(&t->a, msg->data.result, (int64_t)time(NULL), &r.r);
		push_result(d, &r);
		transfer_free(d, t);
	}
}

/* Writes one result into the open transaction; logs what happened. */
static int
record(struct kg_deliver *d, const struct result *r, int64_t now, struct kg_err *err)
{
	struct endpoint *ep = r->ep != NO_EP ? &d->eps[r->ep] : NULL;
	const char *name = r->name;
	char why[320];
	int64_t next;

	if (r->stopped)
		return kg_outbox_requeue(d->ob, r->id, now, err);
	if (r->fatal) {
		log_err("webhook %s: delivery %lld failed: %s", name, (long long)r->id, r->r.error);
		return kg_outbox_finish(d->ob, r->id, KG_DLV_FAILED, now, 0, r->r.error, err);
	}
	switch (r->r.outcome) {
	case KG_WEBHOOK_OK:
		log_info("webhook %s: delivered %s (delivery %lld, attempt %d, http %ld)", name,
		    r->webhook_id, (long long)r->id, r->attempts, r->r.http_status);
		return kg_outbox_delivered(d->ob, r->id, now, r->r.http_status, err);
	case KG_WEBHOOK_GONE:
		log_warn("webhook %s: endpoint answered 410 Gone: no more deliveries to it",
		    name);
		if (ep != NULL) {
			ep->gone = true;
			if (kg_outbox_endpoint_gone(d->ob, name, ep->conf->url, now, err) < 0)
				return -1;
		}
		return kg_outbox_finish(d->ob, r->id, KG_DLV_FAILED, now, r->r.http_status,
		    "endpoint gone (http 410)", err);
	case KG_WEBHOOK_RETRY:
		break;
	}
	if (r->attempts >= r->max_attempts) {
		log_warn("webhook %s: delivery %lld failed after %d attempts: %s", name,
		    (long long)r->id, r->attempts, r->r.error);
		return kg_outbox_finish(d->ob, r->id, KG_DLV_FAILED, now, r->r.http_status,
		    r->r.error, err);
	}
	next = now + kg_webhook_retry_delay(r->attempts, r->r.retry_after_s,
	    (uint32_t)rand_r(&d->seed));
	if (next > r->expires_at) {
		log_warn("webhook %s: delivery %lld abandoned (deadline passed): %s", name,
		    (long long)r->id, r->r.error);
		kg_snprintf(why, sizeof(why), "deadline passed; last: %s", r->r.error);
		return kg_outbox_finish(d->ob, r->id, KG_DLV_ABANDONED, now, r->r.http_status,
		    why, err);
	}
	log_notice("webhook %s: delivery %lld attempt %d failed (%s), retry in %llds", name,
	    (long long)r->id, r->attempts, r->r.error, (long long)(next - now));
	return kg_outbox_retry(d->ob, r->id, next, r->r.http_status, r->r.error, err);
}

/* Writes the parked results, then the cancellations of removed endpoints'
 * rows, in one transaction; on failure (another writer holds the lock,
 * say) they stay parked and the write is tried again a second later: the
 * loop never waits for the lock. */
static void
flush(struct kg_deliver *d, int64_t now)
{
	struct kg_store *st = kg_loop_store(d->loop);
	struct kg_err err;
	int *cancelled = NULL; /* per removed endpoint, told once committed */
	size_t i;

	if ((d->ndone == 0 && d->cancel.n == 0) || kg_loop_mono_ms() < d->write_retry_at_ms)
		return;
	if (d->cancel.n > 0 && (cancelled = calloc(d->cancel.n, sizeof(*cancelled))) == NULL) {
		kg_err_set(&err, "out of memory");
		goto fail;
	}
	if (kg_store_begin(st, &err) < 0)
		goto fail;
	for (i = 0; i < d->ndone; i++)
		if (record(d, &d->done[i], now, &err) < 0) {
			kg_store_rollback(st);
			goto fail;
		}
	for (i = 0; i < d->cancel.n; i++)
		if ((cancelled[i] = kg_outbox_cancel_endpoint(d->ob, d->cancel.v[i], now, REMOVED,
		    &err)) < 0) {
			kg_store_rollback(st);
			goto fail;
		}
	if (kg_store_commit(st, &err) < 0)
		goto fail;
	for (i = 0; i < d->cancel.n; i++)
		if (cancelled[i] > 0)
			log_notice("webhook %s: %s: %d deliveries cancelled", d->cancel.v[i], REMOVED,
			    cancelled[i]);
	free(cancelled);
	d->ndone = 0;
	kg_strv_clear(&d->cancel);
	return;
fail:
	free(cancelled);
	log_notice("webhook: %zu delivery results wait to be recorded, retrying in %d ms: %s",
	    d->ndone + d->cancel.n, WRITE_RETRY_MS, err.msg);
	d->write_retry_at_ms = kg_loop_mono_ms() + WRITE_RETRY_MS;
}

/* Starts one claimed row.  Its body is stolen. */
static void
start(struct kg_deliver *d, size_t ep, struct kg_delivery *row, int64_t now)
{
	struct transfer *t = calloc(1, sizeof(*t));
	struct result r;
	struct kg_err err;
	char *body = row->body;

	row->body = NULL;
	result_init(d, &r, ep, row->id, row->attempts);
	r.fatal = true;
	if (t == NULL) {
		free(body);
		snprintf(r.r.error, sizeof(r.r.error), "out of memory");
		push_result(d, &r);
		return;
	}
	if (kg_webhook_attempt_init(&t->a, d->eps[ep].conf, row->webhook_id, now, body,
	    &err) < 0) {
		kg_snprintf(r.r.error, sizeof(r.r.error), "%s", err.msg);
		push_result(d, &r);
		free(t);
		return;
	}
	t->a.user = t;
	t->ep = ep;
	t->id = row->id;
	t->attempts = row->attempts;
	t->expires_at = row->expires_at;
	snprintf(t->webhook_id, sizeof(t->webhook_id), "%s", row->webhook_id);
	t->next = d->transfers;
	if (t->next)
		t->next->prev = t;
	d->transfers = t;
	d->eps[ep].in_flight++;
	d->in_flight++;
	curl_multi_add_handle(d->multi, t->a.easy);
}

/* Refreshes the 410 marks (after a poke: a redelivery may have cleared one). */
static void
refresh_gone(struct kg_deliver *d)
{
	struct kg_err err;
	size_t i;

	for (i = 0; i < d->neps; i++)
		if (kg_outbox_endpoint_is_gone(d->ob, d->eps[i].conf->name, d->eps[i].conf->url,
		    &d->eps[i].gone, &err) < 0)
			log_err("webhook %s: %s", d->eps[i].conf->name, err.msg);
}

/* Claims and starts what is due; returns the earliest future due time of
 * the endpoints with free slots (INT64_MAX none). */
static int64_t
start_due(struct kg_deliver *d, int64_t now)
{
	struct kg_delivery_list rows = {0};
	int64_t soonest = INT64_MAX, due;
	struct kg_err err;
	size_t i, j, free_slots;

	if (d->draining)
		return INT64_MAX;
	for (i = 0; i < d->neps; i++) {
		struct endpoint *ep = &d->eps[i];

		if (ep->gone || ep->in_flight >= (size_t)ep->conf->concurrency)
			continue;
		if (kg_outbox_next_due(d->ob, ep->conf->name, &due, &err) < 0) {
			log_err("webhook %s: %s", ep->conf->name, err.msg);
			continue;
		}
		if (due > now) {
			soonest = due < soonest ? due : soonest;
			continue;
		}
		free_slots = (size_t)ep->conf->concurrency - ep->in_flight;
		if (kg_outbox_claim(d->ob, ep->conf->name, now, free_slots, &rows, &err) < 0) {
			log_err("webhook %s: %s", ep->conf->name, err.msg);
			continue;
		}
		for (j = 0; j < rows.n; j++)
			start(d, i, &rows.v[j], now);
		kg_delivery_list_clear(&rows);
		/* Claimed rows may have been the last due ones, or abandoned: look
		 * again on the next tick. */
		soonest = now;
	}
	return soonest;
}

int64_t
kg_deliver_tick(struct kg_deliver *d, int64_t now)
{
	int64_t mono = kg_loop_mono_ms(), soonest, wait = -1;
	int running;

	if (d->timer_at_ms >= 0 && mono >= d->timer_at_ms) {
		d->timer_at_ms = -1;
		curl_multi_socket_action(d->multi, CURL_SOCKET_TIMEOUT, 0, &running);
		collect(d);
	}
	flush(d, now);
	if (d->poked) {
		d->poked = false;
		refresh_gone(d);
	}
	soonest = start_due(d, now);
	if (soonest != INT64_MAX)
		wait = soonest <= now ? 0 : (soonest - now) * 1000;
	if (d->ndone || d->cancel.n) {
		int64_t w = d->write_retry_at_ms - kg_loop_mono_ms();

		w = w < 0 ? 0 : w;
		wait = wait < 0 || w < wait ? w : wait;
	}
	if (d->timer_at_ms >= 0) {
		int64_t w = d->timer_at_ms - kg_loop_mono_ms();

		w = w < 0 ? 0 : w;
		wait = wait < 0 || w < wait ? w : wait;
	}
	return wait;
}

void
kg_deliver_poke(struct kg_deliver *d)
{
	d->poked = true;
}

size_t
kg_deliver_in_flight(const struct kg_deliver *d)
{
	return d->in_flight;
}

void
kg_deliver_drain(struct kg_deliver *d)
{
	d->draining = true;
}

bool
kg_deliver_busy(const struct kg_deliver *d)
{
	return d->in_flight > 0 || d->ndone > 0 || d->cancel.n > 0;
}

void
kg_deliver_free(struct kg_deliver *d)
{
	struct kg_store *st;
	struct kg_err err;
	int64_t now = (int64_t)time(NULL);
	bool txn;

	if (d == NULL)
		return;
	if (d->multi) {
		collect(d);
		flush(d, now);
		st = kg_loop_store(d->loop);
		txn = d->transfers && kg_store_begin(st, &err) == 0;
		while (d->transfers) {
			/* Stopped, not failed: back to pending, the attempt uncounted. */
			if (txn && kg_outbox_requeue(d->ob, d->transfers->id, now, &err) < 0) {
				log_err("webhook: %s", err.msg);
				kg_store_rollback(st);
				txn = false;
			}
			transfer_free(d, d->transfers);
		}
		if (txn && kg_store_commit(st, &err) < 0)
			log_err("webhook: %s", err.msg);
		curl_multi_cleanup(d->multi);
	}
	free(d->done);
	free(d->eps);
	kg_strv_clear(&d->cancel);
	free(d);
}

/* Whether a and b send the same requests (what a transfer in flight was
 * built from): then a reload lets it finish. */
static bool
same_requests(const struct kg_webhook_conf *a, const struct kg_webhook_conf *b)
{
	size_t i;

	if (strcmp(a->url, b->url) != 0 || strcmp(a->secret, b->secret) != 0 ||
	    a->format != b->format || a->timeout_ms != b->timeout_ms ||
	    a->headers.n != b->headers.n)
		return false;
	for (i = 0; i < a->headers.n; i++)
		if (strcmp(a->headers.v[i], b->headers.v[i]) != 0)
			return false;
	return true;
}

static const struct kg_webhook_conf *
webhook_named(const struct kg_conf *conf, const char *name, size_t *at)
{
	size_t i;

	for (i = 0; i < conf->nwebhooks; i++)
		if (strcmp(conf->webhooks[i].name, name) == 0) {
			*at = i;
			return &conf->webhooks[i];
		}
	return NULL;
}

/* Appends to out the endpoints with open rows in the outbox that conf does
 * not have: their rows would wait forever. */
static int
orphans(struct kg_deliver *d, const struct kg_conf *conf, struct kg_strv *out,
    struct kg_err *err)
{
	struct kg_strv open = {0};
	size_t i, at;
	int rc = 0;

	if (kg_outbox_open_endpoints(d->ob, &open, err) < 0)
		return -1;
	for (i = 0; i < open.n && rc == 0; i++)
		if (webhook_named(conf, open.v[i], &at) == NULL &&
		    !kg_strv_contains(out, open.v[i]))
			rc = kg_strv_push(out, open.v[i], (size_t)-1) < 0 ?
			    kg_err_set(err, "out of memory") : 0;
	kg_strv_clear(&open);
	return rc;
}

int
kg_deliver_set_conf(struct kg_deliver *d, const struct kg_conf *conf, struct kg_err *err)
{
	struct endpoint *eps = calloc(conf->nwebhooks + 1, sizeof(*eps));
	size_t *map = calloc(d->neps + 1, sizeof(*map));
	struct kg_strv cancel = {0};
	struct transfer *t, *next;
	const struct kg_webhook_conf *w;
	long maxconnects = 0;
	size_t i, j, stops = 0;
	struct result r;

	if (eps == NULL || map == NULL || kg_strv_copy(&cancel, &d->cancel) < 0)
		goto nomem;
	for (j = 0; j < conf->nwebhooks; j++) {
		eps[j].conf = &conf->webhooks[j];
		maxconnects += conf->webhooks[j].concurrency;
	}
	for (i = 0; i < d->neps; i++) {
		map[i] = NO_EP;
		w = webhook_named(conf, d->eps[i].conf->name, &j);
		if (w != NULL && same_requests(d->eps[i].conf, w)) {
			map[i] = j;
			eps[j].in_flight = d->eps[i].in_flight;
			eps[j].gone = d->eps[i].gone;
		} else if (w == NULL && kg_strv_push(&cancel, d->eps[i].conf->name, (size_t)-1) < 0) {
			goto nomem;
		}
	}
	for (t = d->transfers; t != NULL; t = t->next)
		stops += map[t->ep] == NO_EP;
	while (d->capdone < d->ndone + stops)
		if (kg_array_grow((void **)&d->done, &d->capdone, d->capdone, sizeof(*d->done)) < 0)
			goto nomem;
	if (orphans(d, conf, &cancel, err) < 0)
		goto fail;
	/* Nothing can fail from here on. */
	for (t = d->transfers; t != NULL; t = next) {
		next = t->next;
		if (map[t->ep] != NO_EP) {
			t->ep = map[t->ep];
			continue;
		}
		/* Its endpoint changed or left: stop it; the row goes back to the
		 * queue without the attempt counting (or is cancelled below). */
		result_init(d, &r, t->ep, t->id, t->attempts);
		r.stopped = true;
		d->done[d->ndone++] = r;
		transfer_free(d, t);
	}
	for (i = 0; i < d->ndone; i++)
		if (d->done[i].ep != NO_EP)
			d->done[i].ep = map[d->done[i].ep];
	free(d->eps);
	d->eps = eps;
	d->neps = conf->nwebhooks;
	kg_strv_clear(&d->cancel);
	d->cancel = cancel;
	d->poked = true; /* re-read the 410 marks of changed endpoints */
	curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, maxconnects > 0 ? maxconnects : 1L);
	free(map);
	return 0;
nomem:
	kg_err_set(err, "out of memory");
fail:
	free(eps);
	free(map);
	kg_strv_clear(&cancel);
	return -1;
}
