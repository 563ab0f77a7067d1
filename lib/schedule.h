/*
 * schedule — when reminders fire (pure: no clock, no disk).
 *
 * A reminder is keyed by (milestone, offset, deadline).  The offset counts
 * days before the deadline: a lead of 7d is +7, the deadline day itself is 0,
 * and an overdue reminder 7 days after the deadline is -7 ("keyed like
 * leads").  It fires at the configured local time of day on deadline - offset
 * in the configured zone, so 09:00 stays 09:00 across DST changes.
 *
 * Catch-up policy (the systemd Persistent= question): a reminder is on time
 * when it is handled within KG_SCHEDULE_GRACE_S of its fire time, late after
 * that, and expired (never sent) once more than max(catch_up, grace) has
 * passed.  Duplicates are not this module's business: the outbox's unique key
 * makes a second enqueue of the same key a no-op, which is what makes a clock
 * stepped backwards harmless.
 */
#ifndef KG_SCHEDULE_H
#define KG_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "civil.h"
#include "conf.h"
#include "err.h"
#include "model.h"

/* A reminder handled this long after its fire time still counts as on time. */
#define KG_SCHEDULE_GRACE_S 60

/* The rules, borrowed from a kg_conf (which must outlive it). */
struct kg_schedule {
	const int *lead_days;     /* >= 0 each */
	size_t nlead;
	const int *overdue_days;  /* > 0 each: days after the deadline */
	size_t noverdue;
	int at_minute;            /* local minute of the day, 0..1439 */
	int64_t catch_up_s;       /* >= 0 */
	const struct kg_zone *zone; /* the zone of dates and fire times; NULL: UTC */
};

/* Borrows the [reminders] rules and [general] timezone of c. */
void kg_schedule_from_conf(struct kg_schedule *s, const struct kg_conf *c);

/* One (milestone, offset) reminder of one deadline. */
struct kg_fire {
	int64_t at;               /* unix seconds */
	int64_t milestone_id;
	kg_day deadline;
	int offset_days;          /* > 0 lead, 0 on the day, < 0 overdue */
};

/* Unix time of the reminder `offset_days` before `deadline`. */
int64_t kg_schedule_fire_time(const struct kg_schedule *s, kg_day deadline, int offset_days);

/* True for milestones that get reminders: planned or ongoing, with a
 * deadline, and not gone from their plan's newest edition. */
bool kg_schedule_wants(const struct kg_milestone *m);

enum kg_fire_state {
	KG_FIRE_FUTURE,  /* at > now */
	KG_FIRE_DUE,     /* on time */
	KG_FIRE_LATE,    /* missed (downtime, suspend, clock step) but still worth sending */
	KG_FIRE_EXPIRED, /* missed by more than the catch-up window: skip */
};

enum kg_fire_state kg_schedule_classify(const struct kg_schedule *s, int64_t at, int64_t now);

/* How long after now a fire at `at` stays sendable: max(catch_up, grace). */
int64_t kg_schedule_window(const struct kg_schedule *s);

/* "milestone.reminder" for offset >= 0, "milestone.overdue" otherwise. */
const char *kg_schedule_event_type(int offset_days);

/*
 * A lead reminder is no longer news once its deadline day is over; the time
 * that happens (local midnight after the deadline).  Overdue reminders do not
 * expire this way: INT64_MAX.
 */
int64_t kg_schedule_expires_at(const struct kg_schedule *s, kg_day deadline, int offset_days);

/* An open milestone's deadline: what a plan is built from. */
struct kg_deadline {
	int64_t milestone_id;
	kg_day deadline;
};

struct kg_deadline_list {
	struct kg_deadline *v;
	size_t n, cap;
};

/* Appends one; -1 on ENOMEM. */
int kg_deadline_list_add(struct kg_deadline_list *l, int64_t milestone_id, kg_day deadline);
void kg_deadline_list_clear(struct kg_deadline_list *l);

/*
 * The plan: the fires of the given open deadlines that are neither expired
 * at `now` nor later than `until` (a horizon, so memory follows what is due
 * soon rather than every reminder of the year), sorted by (at, milestone_id,
 * larger lead first).  The daemon sleeps until kg_plan_next_at, takes what is
 * due, and rebuilds the plan when the database changes or the horizon is
 * reached.  Memory: one kg_fire (24 bytes) per planned reminder.
 */
struct kg_plan {
	struct kg_fire *v;
	size_t n, cap;
	size_t next;              /* fires before this index were taken */
	int64_t until;            /* the horizon it was built for */
};

/* The range of deadlines whose fires can fall within [now - window, until]:
 * what a caller must pass to kg_plan_build. */
void kg_plan_deadline_range(const struct kg_schedule *s, int64_t now, int64_t until,
    kg_day *from, kg_day *to);

/* Replaces p's contents.  -1 only on ENOMEM ("out of memory ..."). */
int kg_plan_build(struct kg_plan *p, const struct kg_schedule *s,
    const struct kg_deadline *deadlines, size_t n, int64_t now, int64_t until,
    struct kg_err *err);

/* Time of the next untaken fire, or the horizon when there is none (the
 * plan must then be rebuilt). */
int64_t kg_plan_next_at(const struct kg_plan *p);

/*
 * Takes at most max untaken fires with at <= now: *first points at them
 * (borrowed from p, valid until the next build) and the count is returned.
 * Taking never goes back, so a clock stepped backwards re-takes nothing; the
 * caller classifies each fire (some may have expired during a suspend).
 */
size_t kg_plan_take_due(struct kg_plan *p, int64_t now, size_t max,
    const struct kg_fire **first);

void kg_plan_clear(struct kg_plan *p);

#endif
