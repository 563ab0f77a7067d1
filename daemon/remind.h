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

#include "conf.h"
#include "err.h"
#include "loop.h"

struct kg_remind;

/*
 * Resumes deliveries a crash cut short (in_flight -> pending), and adds the
 * "reminders" hook to loop, whose store it uses.  conf is borrowed and must
 * outlive r.  With no [webhook:NAME] section nothing is hooked.  -1 with err
 * on failure (start-up: the daemon should not run without its outbox).
 */
int kg_remind_new(struct kg_loop *loop, const struct kg_conf *conf, struct kg_remind **out,
    struct kg_err *err);

/* Stops deliveries in flight (rows back to pending) and frees r.  The loop
 * must not run r's hook afterwards.  NULL is fine. */
void kg_remind_free(struct kg_remind *r);

#endif
