/*
 * remind — kigend's reminder scheduler: the "reminders" hook of the loop.
 *
 * changed(): the database moved on (or first run): rebuild the plan of fire
 * times from the open milestones' deadlines (lib/schedule) for the next
 * day.  tick(now): enqueue what is due — in the same transaction that
 * re-reads each milestone and decides the reminder still holds, one outbox
 * row per matching endpoint, INSERT-or-ignore on the reminder's unique key —
 * then let deliver send it; return how long the loop may sleep (until the
 * next fire, the horizon, or a delivery needs attention).  Nothing polls:
 * the loop's once-a-second data_version check is the only periodic work.
 *
 * Catch-up: at start-up and after a suspend or a clock step forward, fires
 * missed by at most max(catch_up, KG_SCHEDULE_GRACE_S) are sent once,
 * marked late; older ones are skipped.  A clock stepped backwards sends
 * nothing twice: the plan never re-takes a fire, and the outbox key holds
 * across restarts.
 */
#ifndef KG_REMIND_H
#define KG_REMIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "err.h"
#include "loop.h"

struct kg_remind;

/*
 * Resumes deliveries a crash cut short (in_flight -> pending), and adds the
 * "reminders" hook to loop, whose store it uses.  conf is borrowed until
 * kg_remind_set_conf replaces it.  -1 with err on failure (start-up: the
 * daemon should not run without its outbox).
 */
int kg_remind_new(struct kg_loop *loop, const struct kg_conf *conf, struct kg_remind **out,
    struct kg_err *err);

/*
 * Puts a reloaded configuration into force (borrowed from now on): new
 * rules re-plan at the next tick; deliveries in flight to unchanged
 * endpoints go on, those to changed ones are queued again, those of
 * removed endpoints cancelled (kg_deliver_set_conf).  -1 only on ENOMEM,
 * with nothing changed.
 */
int kg_remind_set_conf(struct kg_remind *r, const struct kg_conf *conf, struct kg_err *err);

/* Adds "reminders": {planned, next, in_flight, pending, failed} to a
 * `kigen status` answer (obj borrowed). */
void kg_remind_status(struct kg_remind *r, json_t *obj);

/* "3 reminders planned, next 2008-11-24 09:00, 0 deliveries pending". */
void kg_remind_summary(struct kg_remind *r, char *buf, size_t size);

/* A graceful stop begins: reminders still go into the outbox, but no new
 * delivery starts.  kg_remind_busy() tells when those in flight are done. */
void kg_remind_drain(struct kg_remind *r);
bool kg_remind_busy(const struct kg_remind *r);

/* Stops deliveries in flight (rows back to pending) and frees r.  The loop
 * must not run r's hook afterwards.  NULL is fine. */
void kg_remind_free(struct kg_remind *r);

#endif
