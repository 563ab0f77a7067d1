/*
 * outbox — the durable queue of webhook deliveries (store layer: SQL on the
 * store's connection, tables from migration v2 in store.c).
 *
 * One row per (endpoint, milestone, lead, deadline): the UNIQUE key makes a
 * second enqueue of the same reminder a no-op, whatever the clock did.  A row
 * carries everything a delivery needs — the message id (webhook-id, stable
 * across retries), the body, attempts, the next attempt time — so the daemon
 * can be killed at any instant: rows it had claimed (in_flight) go back to
 * pending at the next start (kg_outbox_recover).  Delivery is at-least-once.
 *
 *   pending -> in_flight -> delivered
 *                        -> pending (retry later)
 *                        -> failed (max attempts, or the endpoint said 410)
 *   pending -> abandoned (at claim time: the deadline passed)
 *   pending -> cancelled (the milestone is no longer due with that deadline:
 *                         done, cancelled, gone from its plan's newest
 *                         edition, moved or removed; marked by the store
 *                         write that changed it, or at claim time; or its
 *                         endpoint left the configuration)
 *   in_flight -> pending (requeued: the attempt was stopped, not counted)
 *   any but in_flight -> pending (kg_outbox_redeliver)
 *
 * Change messages (milestone.changed, milestone.gone, from a watched
 * source: daemon/source.h) share the table and the delivery: their key is
 * (endpoint, milestone, KG_OUTBOX_LEAD_CHANGED or _GONE, the id of the
 * edition that raised them), so each edition tells each endpoint once, and
 * they hold whatever the milestone's status and deadline (only their
 * expiry ends them).
 *
 * Functions return 0 (or a count) on success and -1 with err set.  Writes
 * that are not given a transaction by the caller run in their own; the
 * per-result functions (kg_outbox_delivered, _retry, _finish) are meant to
 * be batched by the caller inside kg_store_begin/kg_store_commit.
 */
#ifndef KG_OUTBOX_H
#define KG_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "civil.h"
#include "err.h"
#include "schedule.h"
#include "store.h"

/* lead_days of change messages, beyond any reminder offset (|lead| <= 366);
 * their `deadline` is the id of the edition (document) that raised them. */
#define KG_OUTBOX_LEAD_EVENT 100000
#define KG_OUTBOX_STR_(x) #x
#define KG_OUTBOX_STR(x) KG_OUTBOX_STR_(x)
#define KG_OUTBOX_LEAD_EVENT_SQL KG_OUTBOX_STR(KG_OUTBOX_LEAD_EVENT) /* in SQL text */
#define KG_OUTBOX_LEAD_CHANGED (KG_OUTBOX_LEAD_EVENT + 1)
#define KG_OUTBOX_LEAD_GONE (KG_OUTBOX_LEAD_EVENT + 2)

enum kg_delivery_status {
	KG_DLV_PENDING,
	KG_DLV_IN_FLIGHT,
	KG_DLV_DELIVERED,
	KG_DLV_FAILED,
	KG_DLV_ABANDONED,
	KG_DLV_CANCELLED,
	KG_DLV_COUNT
};

const char *kg_delivery_status_name(enum kg_delivery_status s);
int kg_delivery_status_parse(const char *name); /* -1 if unknown */

struct kg_delivery {
	int64_t id;
	char *endpoint;           /* [webhook:NAME] */
	int64_t milestone_id;
	int lead_days;            /* offset: > 0 before, 0 on, < 0 after the deadline */
	kg_day deadline;
	char *type;               /* "milestone.reminder", "milestone.overdue" */
	char *webhook_id;         /* "msg_..." */
	char *body;               /* NULL in listings (kg_outbox_list) */
	int64_t fire_at;          /* when the schedule wanted it */
	int64_t expires_at;       /* give up after this; INT64_MAX never */
	bool late;                /* enqueued by catch-up */
	enum kg_delivery_status status;
	int attempts;
	int64_t next_attempt_at;
	int64_t last_attempt_at;  /* 0 never */
	long last_http_status;    /* 0 none */
	char *last_error;         /* NULL none */
	int64_t created_at;
	int64_t done_at;          /* delivered/failed/abandoned/cancelled time; 0 otherwise */
	char *milestone_title;    /* listings only; NULL otherwise */
};

void kg_delivery_clear(struct kg_delivery *d);

struct kg_delivery_list {
	struct kg_delivery *v;
	size_t n, cap;
};

void kg_delivery_list_clear(struct kg_delivery_list *l);

/* Prepared statements over st (borrowed: must outlive the outbox). */
struct kg_outbox;

int kg_outbox_open(struct kg_store *st, struct kg_outbox **out, struct kg_err *err);
void kg_outbox_close(struct kg_outbox *ob); /* NULL is fine */

/*
 * Inserts d as a pending row (endpoint, milestone_id, lead_days, deadline,
 * type, webhook_id, body, fire_at, expires_at, late; next_attempt_at =
 * created_at = now) unless its key exists.  Returns 1 when inserted, 0 when
 * the reminder was already there, -1 on error.  Runs in the caller's
 * transaction (the one that decided the reminder is due).
 */
int kg_outbox_add(struct kg_outbox *ob, const struct kg_delivery *d, int64_t now,
    struct kg_err *err);

/* Appends the open (planned, ongoing) milestones with a deadline in
 * [from, to] to out, gone and retired ones left out: what a reminder plan
 * is built from (the partial index on open deadlines answers it). */
int kg_outbox_deadlines(struct kg_outbox *ob, kg_day from, kg_day to,
    struct kg_deadline_list *out, struct kg_err *err);

/* True when the reminder (endpoint, milestone, lead, deadline) is already
 * in the outbox, whatever its status: lets a re-plan skip building bodies
 * for reminders it has handled. */
int kg_outbox_has(struct kg_outbox *ob, const char *endpoint, int64_t milestone_id,
    int lead_days, kg_day deadline, bool *has, struct kg_err *err);

/* Start-up: every in_flight row (a delivery cut short by a crash) becomes
 * pending, due now.  Returns how many. */
int kg_outbox_recover(struct kg_outbox *ob, int64_t now, struct kg_err *err);

/*
 * Claims up to max pending rows of endpoint due at now (oldest due first):
 * marks them in_flight, counts the attempt, and appends them (with body) to
 * out.  First ends the due rows that no longer hold: abandoned when
 * expired, cancelled when the milestone is no longer due with that
 * deadline (kg_schedule_wants).  One transaction.
 * Returns the number claimed.
 */
int kg_outbox_claim(struct kg_outbox *ob, const char *endpoint, int64_t now, size_t max,
    struct kg_delivery_list *out, struct kg_err *err);

/* Earliest next_attempt_at among the pending rows of endpoint; INT64_MAX
 * when there are none. */
int kg_outbox_next_due(struct kg_outbox *ob, const char *endpoint, int64_t *out,
    struct kg_err *err);

/* Outcomes of one attempt of row id. */
int kg_outbox_delivered(struct kg_outbox *ob, int64_t id, int64_t now, long http_status,
    struct kg_err *err);
int kg_outbox_retry(struct kg_outbox *ob, int64_t id, int64_t next_at, long http_status,
    const char *error, struct kg_err *err);
/* An attempt stopped before it ended (a reload changed its endpoint, a
 * shutdown): row id goes back to pending, due at now, and the attempt is
 * not counted. */
int kg_outbox_requeue(struct kg_outbox *ob, int64_t id, int64_t now, struct kg_err *err);

/* Every pending or in-flight row of endpoint becomes cancelled, with why as
 * its last error (an endpoint removed from the configuration).  Returns how
 * many. */
int kg_outbox_cancel_endpoint(struct kg_outbox *ob, const char *endpoint, int64_t now,
    const char *why, struct kg_err *err);

/* Appends the names of the endpoints that have pending or in-flight rows
 * to out (sorted). */
int kg_outbox_open_endpoints(struct kg_outbox *ob, struct kg_strv *out, struct kg_err *err);

/* status: KG_DLV_FAILED or KG_DLV_ABANDONED. */
int kg_outbox_finish(struct kg_outbox *ob, int64_t id, enum kg_delivery_status status,
    int64_t now, long http_status, const char *error, struct kg_err *err);

/* Rows for `kigen deliveries`: statuses is a bit mask of 1 << status
 * (0 = all), newest first, at most limit (0 = no limit); milestone_title
 * filled, body not loaded. */
int kg_outbox_list(struct kg_outbox *ob, unsigned statuses, size_t limit,
    struct kg_delivery_list *out, struct kg_err *err);

/* The rows of one milestone, newest first, at most limit (0 = no
 * limit); milestone_title filled, body not loaded. */
int kg_outbox_list_milestone(struct kg_outbox *ob, int64_t milestone_id, size_t limit,
    struct kg_delivery_list *out, struct kg_err *err);

/* Rows whose status is in the mask statuses (1 << status; 0 = all). */
int kg_outbox_count(struct kg_outbox *ob, unsigned statuses, int64_t *out,
    struct kg_err *err);

/* One row by id, body included.  Not found: -1, "no delivery '<id>'". */
int kg_outbox_get(struct kg_outbox *ob, int64_t id, struct kg_delivery *out,
    struct kg_err *err);

/*
 * Queues row id again, due now, with a fresh round of attempts and no
 * expiry (an operator asked for it), keeping its webhook-id; clears a 410
 * mark of its endpoint.  An in_flight row is refused: "delivery <id> is in
 * flight".
 */
int kg_outbox_redeliver(struct kg_outbox *ob, int64_t id, int64_t now, struct kg_err *err);

/* An endpoint that answered 410 at url: no more deliveries there until its
 * url changes or a delivery is redelivered. */
int kg_outbox_endpoint_gone(struct kg_outbox *ob, const char *endpoint, const char *url,
    int64_t now, struct kg_err *err);
/* True when endpoint is marked gone for this url. */
int kg_outbox_endpoint_is_gone(struct kg_outbox *ob, const char *endpoint, const char *url,
    bool *gone, struct kg_err *err);

#endif
