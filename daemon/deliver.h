/*
 * deliver — sends what the outbox holds, from kigend's loop thread.
 *
 * One libcurl multi handle driven through the loop (curl's socket
 * interface: its sockets are loop watches, its timer is the tick timeout),
 * so many deliveries are in flight at once without a thread of their own
 * and without blocking anything else.  Per endpoint at most `concurrency`
 * requests run; rows are claimed from the outbox only when a slot is free,
 * so memory follows the number in flight, not the backlog.
 *
 * Outcomes: 2xx delivered; 410 failed and the endpoint marked gone (no more
 * deliveries there until its url changes or a redelivery); anything else —
 * network error, timeout, 5xx, 429 — retried with the Svix schedule and
 * jitter, never sooner than Retry-After, until max_attempts (failed, kept) or
 * until the next attempt would come after the reminder's expiry
 * (abandoned).  Results are written in one transaction per tick.
 */
#ifndef KG_DELIVER_H
#define KG_DELIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "err.h"
#include "loop.h"
#include "outbox.h"

struct kg_deliver;

/* Over the loop, the outbox and the [webhook:NAME] sections of conf (all
 * borrowed: they must outlive d).  -1 with err on failure. */
int kg_deliver_new(struct kg_loop *loop, struct kg_outbox *ob, const struct kg_conf *conf,
    struct kg_deliver **out, struct kg_err *err);

/*
 * Puts a reloaded configuration into force (borrowed from now on).
 * Transfers to endpoints whose requests are unchanged (url, secret,
 * format, timeout, headers) go on; those to a changed endpoint are stopped
 * and queued again without the attempt counting; the open rows of an
 * endpoint no longer configured are cancelled ("endpoint removed from the
 * configuration"), as are those of endpoints the outbox holds but no
 * configuration has.  -1 only on ENOMEM, with nothing changed.
 */
int kg_deliver_set_conf(struct kg_deliver *d, const struct kg_conf *conf, struct kg_err *err);

/* Stops the transfers in flight (their rows go back to pending, due now,
 * the attempt uncounted) and frees d.  NULL is fine. */
void kg_deliver_free(struct kg_deliver *d);

/* The outbox has new rows, or rows changed outside (redeliver): look again
 * at the next tick.  Also re-reads the endpoints' 410 marks. */
void kg_deliver_poke(struct kg_deliver *d);

/* Records finished transfers, starts due deliveries where slots are free,
 * and returns the milliseconds until it wants to run again (-1: nothing
 * scheduled).  Called from the loop's tick with the wall-clock time. */
int64_t kg_deliver_tick(struct kg_deliver *d, int64_t now);

/* Deliveries in flight right now (for status and tests). */
size_t kg_deliver_in_flight(const struct kg_deliver *d);

/* A graceful stop begins: no new delivery starts from now on; those in
 * flight go on and their results are written as usual. */
void kg_deliver_drain(struct kg_deliver *d);

/* Whether deliveries are in flight or results wait to be written. */
bool kg_deliver_busy(const struct kg_deliver *d);

#endif
