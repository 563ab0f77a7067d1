/*
 * outbox — see outbox.h.  Statements are prepared once per kg_outbox and
 * reused: the daemon runs them thousands of times a second when a large
 * batch of reminders comes due.  Claiming reads a bounded batch through the
 * partial index on pending rows, so a backlog of 10^5 due rows costs
 * O(batch) per claim, not O(backlog).
 */
#include "outbox.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* last_error of a reminder abandoned because its time is over */
#define EXPIRED "deadline passed"

static const char *const status_names[KG_DLV_COUNT] = {
	"pending", "in_flight", "delivered", "failed", "abandoned", "cancelled",
};

const char *
kg_delivery_status_name(enum kg_delivery_status s)
{
	return (unsigned)s < KG_DLV_COUNT ? status_names[s] : "?";
}

int
kg_delivery_status_parse(const char *name)
{
	int i;

	for (i = 0; i < KG_DLV_COUNT; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

void
kg_delivery_clear(struct kg_delivery *d)
{
	if (d == NULL)
		return;
	free(d->endpoint);
	free(d->type);
	free(d->webhook_id);
	free(d->body);
	free(d->last_error);
	free(d->milestone_title);
	memset(d, 0, sizeof(*d));
}

void
kg_delivery_list_clear(struct kg_delivery_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		kg_delivery_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct kg_delivery *
list_add(struct kg_delivery_list *l)
{
	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return NULL;
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	return &l->v[l->n++];
}

/* 1 << the status code of o.status, for status masks in SQL. */
#define STATUS_BIT \
	"(1 << CASE o.status WHEN 'pending' THEN 0 WHEN 'in_flight' THEN 1" \
	" WHEN 'delivered' THEN 2 WHEN 'failed' THEN 3 WHEN 'abandoned' THEN 4 ELSE 5 END)"

/* Columns every reader uses, in the order row_read expects. */
#define ROW_COLS \
	"o.id, o.endpoint, o.milestone_id, o.lead_days, o.deadline, o.type, o.webhook_id," \
	" o.fire_at, o.expires_at, o.late, o.status, o.attempts, o.next_attempt_at," \
	" o.last_attempt_at, o.last_http_status, o.last_error, o.created_at, o.done_at"
#define ROW_NCOLS 18

enum stmt {
	ST_DEADLINES,
	ST_ADD,
	ST_HAS,
	ST_RECOVER,
	ST_CLAIM_SELECT,
	ST_MARK_IN_FLIGHT,
	ST_NEXT_DUE,
	ST_DELIVERED,
	ST_RETRY,
	ST_FINISH,
	ST_LIST,
	ST_LIST_MILESTONE,
	ST_GET,
	ST_COUNT_STATUS,
	ST_REDELIVER,
	ST_STATUS_OF,
	ST_UNGONE,
	ST_GONE,
	ST_IS_GONE,
	ST_REQUEUE,
	ST_CANCEL_ENDPOINT,
	ST_OPEN_ENDPOINTS,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	/* due = window_end for dated windows: the open-deadline index. */
	[ST_DEADLINES] = "SELECT id, window_end FROM milestones"
	    " WHERE status IN ('planned', 'ongoing') AND due BETWEEN ?1 AND ?2"
	    " AND window_end IS NOT NULL AND gone = 0 AND retired = 0",
	[ST_ADD] = "INSERT INTO outbox (endpoint, milestone_id, lead_days, deadline, type,"
	    " webhook_id, body, fire_at, expires_at, late, status, attempts,"
	    " next_attempt_at, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending', 0, ?11, ?11)"
	    " ON CONFLICT (endpoint, milestone_id, lead_days, deadline) DO NOTHING",
	[ST_HAS] = "SELECT 1 FROM outbox WHERE endpoint = ?1 AND milestone_id = ?2"
	    " AND lead_days = ?3 AND deadline = ?4",
	[ST_RECOVER] = "UPDATE outbox SET status = 'pending', next_attempt_at = ?1"
	    " WHERE status = 'in_flight'",
	/* expired / stale say whether the row still holds. */
	[ST_CLAIM_SELECT] = "SELECT " ROW_COLS ", o.body,"
	    " o.expires_at IS NOT NULL AND o.expires_at <= ?2,"
	    " m.id IS NULL OR (o.lead_days < " KG_OUTBOX_LEAD_EVENT_SQL
	    "   AND (m.status NOT IN ('planned', 'ongoing') OR m.gone OR m.retired"
	    "   OR m.window_end IS NOT o.deadline))"
	    " FROM outbox o LEFT JOIN milestones m ON m.id = o.milestone_id"
	    " WHERE o.status = 'pending' AND o.endpoint = ?1 AND o.next_attempt_at <= ?2"
	    " ORDER BY o.next_attempt_at, o.id LIMIT ?3",
	[ST_MARK_IN_FLIGHT] = "UPDATE outbox SET status = 'in_flight', attempts = attempts + 1,"
	    " last_attempt_at = ?2 WHERE id = ?1",
	[ST_NEXT_DUE] = "SELECT MIN(next_attempt_at) FROM outbox"
	    " WHERE status = 'pending' AND endpoint = ?1",
	[ST_DELIVERED] = "UPDATE outbox SET status = 'delivered', done_at = ?2,"
	    " last_http_status = ?3, last_error = NULL WHERE id = ?1",
	[ST_RETRY] = "UPDATE outbox SET status = 'pending', next_attempt_at = ?2,"
	    " last_http_status = ?3, last_error = ?4 WHERE id = ?1",
	[ST_FINISH] = "UPDATE outbox SET status = ?2, done_at = ?3,"
	    " last_http_status = ?4, last_error = ?5 WHERE id = ?1",
	[ST_LIST] = "SELECT " ROW_COLS ", m.title"
	    " FROM outbox o LEFT JOIN milestones m ON m.id = o.milestone_id"
	    " WHERE ?1 = 0 OR (?1 & " STATUS_BIT ") <> 0"
	    " ORDER BY o.id DESC LIMIT ?2",
	[ST_LIST_MILESTONE] = "SELECT " ROW_COLS ", m.title"
	    " FROM outbox o LEFT JOIN milestones m ON m.id = o.milestone_id"
	    " WHERE o.milestone_id = ?1 ORDER BY o.id DESC LIMIT ?2",
	[ST_GET] = "SELECT " ROW_COLS ", o.body FROM outbox o WHERE o.id = ?1",
	[ST_COUNT_STATUS] = "SELECT count(*) FROM outbox o"
	    " WHERE ?1 = 0 OR (?1 & " STATUS_BIT ") <> 0",
	[ST_REDELIVER] = "UPDATE outbox SET status = 'pending', attempts = 0,"
	    " next_attempt_at = ?2, expires_at = NULL, done_at = NULL"
	    " WHERE id = ?1 AND status <> 'in_flight'",
	[ST_STATUS_OF] = "SELECT status FROM outbox WHERE id = ?1",
	[ST_UNGONE] = "DELETE FROM webhook_endpoints"
	    " WHERE name = (SELECT endpoint FROM outbox WHERE id = ?1)",
	[ST_GONE] = "INSERT INTO webhook_endpoints (name, gone_url, gone_at) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (name) DO UPDATE SET gone_url = excluded.gone_url,"
	    " gone_at = excluded.gone_at",
	[ST_IS_GONE] = "SELECT 1 FROM webhook_endpoints WHERE name = ?1 AND gone_url = ?2",
	[ST_REQUEUE] = "UPDATE outbox SET status = 'pending', next_attempt_at = ?2,"
	    " attempts = max(attempts - 1, 0) WHERE id = ?1 AND status = 'in_flight'",
	[ST_CANCEL_ENDPOINT] = "UPDATE outbox SET status = 'cancelled', done_at = ?2,"
	    " last_error = ?3 WHERE endpoint = ?1 AND status IN ('pending', 'in_flight')",
	[ST_OPEN_ENDPOINTS] = "SELECT DISTINCT endpoint FROM outbox"
	    " WHERE status IN ('pending', 'in_flight') ORDER BY endpoint",
};

struct kg_outbox {
	struct kg_store *st;
	sqlite3 *db;
	sqlite3_stmt *stmts[ST_COUNT];
};

static int
fail(struct kg_outbox *ob, struct kg_err *err, const char *what)
{
	return kg_err_set(err, "outbox: %s: %s", what, sqlite3_errmsg(ob->db));
}

int
kg_outbox_open(struct kg_store *st, struct kg_outbox **out, struct kg_err *err)
{
	struct kg_outbox *ob;
	int i;

	*out = NULL;
	ob = calloc(1, sizeof(*ob));
	if (ob == NULL)
		return kg_err_set(err, "out of memory");
	ob->st = st;
	ob->db = kg_store_db(st);
	for (i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(ob->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &ob->stmts[i], NULL) != SQLITE_OK) {
			fail(ob, err, "preparing statements");
			kg_outbox_close(ob);
			return -1;
		}
	*out = ob;
	return 0;
}

void
kg_outbox_close(struct kg_outbox *ob)
{
	int i;

	if (ob == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(ob->stmts[i]);
	free(ob);
}

static sqlite3_stmt *
stmt(struct kg_outbox *ob, enum stmt which)
{
	sqlite3_stmt *s = ob->stmts[which];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Steps a statement that returns no rows.  -1 with err on failure. */
static int
run(struct kg_outbox *ob, sqlite3_stmt *s, const char *what, struct kg_err *err)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE) {
		fail(ob, err, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

static char *
col_text(sqlite3_stmt *s, int i, bool *nomem)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	char *copy;

	if (t == NULL)
		return NULL;
	copy = strdup((const char *)t);
	if (copy == NULL)
		*nomem = true;
	return copy;
}

static int64_t
col_time(sqlite3_stmt *s, int i, int64_t if_null)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? if_null : sqlite3_column_int64(s, i);
}

/* Reads ROW_COLS into d.  -1 on ENOMEM. */
static int
row_read(sqlite3_stmt *s, struct kg_delivery *d)
{
	const unsigned char *status;
	bool nomem = false;
	int st;

	d->id = sqlite3_column_int64(s, 0);
	d->endpoint = col_text(s, 1, &nomem);
	d->milestone_id = sqlite3_column_int64(s, 2);
	d->lead_days = sqlite3_column_int(s, 3);
	d->deadline = (kg_day)sqlite3_column_int(s, 4);
	d->type = col_text(s, 5, &nomem);
	d->webhook_id = col_text(s, 6, &nomem);
	d->fire_at = sqlite3_column_int64(s, 7);
	d->expires_at = col_time(s, 8, INT64_MAX);
	d->late = sqlite3_column_int(s, 9) != 0;
	status = sqlite3_column_text(s, 10);
	st = status ? kg_delivery_status_parse((const char *)status) : -1;
	d->status = st < 0 ? KG_DLV_PENDING : (enum kg_delivery_status)st;
	d->attempts = sqlite3_column_int(s, 11);
	d->next_attempt_at = sqlite3_column_int64(s, 12);
	d->last_attempt_at = col_time(s, 13, 0);
	d->last_http_status = (long)sqlite3_column_int64(s, 14);
	d->last_error = col_text(s, 15, &nomem);
	d->created_at = sqlite3_column_int64(s, 16);
	d->done_at = col_time(s, 17, 0);
	return nomem ? -1 : 0;
}

int
kg_outbox_deadlines(struct kg_outbox *ob, kg_day from, kg_day to,
    struct kg_deadline_list *out, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_DEADLINES);
	int rc;

	sqlite3_bind_int(s, 1, from);
	sqlite3_bind_int(s, 2, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (kg_deadline_list_add(out, sqlite3_column_int64(s, 0),
		    (kg_day)sqlite3_column_int(s, 1)) < 0) {
			sqlite3_reset(s);
			return kg_err_set(err, "out of memory reading deadlines");
		}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : fail(ob, err, "reading deadlines");
}

int
kg_outbox_add(struct kg_outbox *ob, const struct kg_delivery *d, int64_t now,
    struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_ADD);

	sqlite3_bind_text(s, 1, d->endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, d->milestone_id);
	sqlite3_bind_int(s, 3, d->lead_days);
	sqlite3_bind_int(s, 4, d->deadline);
	sqlite3_bind_text(s, 5, d->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, d->webhook_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, d->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, d->fire_at);
	if (d->expires_at != INT64_MAX)
		sqlite3_bind_int64(s, 9, d->expires_at);
	sqlite3_bind_int(s, 10, d->late);
	sqlite3_bind_int64(s, 11, now);
	if (run(ob, s, "adding a reminder", err) < 0)
		return -1;
	return sqlite3_changes(ob->db) > 0;
}

int
kg_outbox_has(struct kg_outbox *ob, const char *endpoint, int64_t milestone_id,
    int lead_days, kg_day deadline, bool *has, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_HAS);
	int rc;

	sqlite3_bind_text(s, 1, endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, milestone_id);
	sqlite3_bind_int(s, 3, lead_days);
	sqlite3_bind_int(s, 4, deadline);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(ob, err, "looking up a reminder");
	*has = rc == SQLITE_ROW;
	return 0;
}

int
kg_outbox_recover(struct kg_outbox *ob, int64_t now, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_RECOVER);

	sqlite3_bind_int64(s, 1, now);
	if (run(ob, s, "recovering deliveries", err) < 0)
		return -1;
	return sqlite3_changes(ob->db);
}

/* Marks row id in_flight (claimed), or as ended (why != NULL): abandoned
 * when expired, else cancelled. */
static int
claim_mark(struct kg_outbox *ob, int64_t id, int64_t now, const char *why,
    struct kg_err *err)
{
	sqlite3_stmt *u;

	if (why) {
		u = stmt(ob, ST_FINISH);
		sqlite3_bind_int64(u, 1, id);
		sqlite3_bind_text(u, 2, kg_delivery_status_name(strcmp(why, EXPIRED) == 0 ?
		    KG_DLV_ABANDONED : KG_DLV_CANCELLED), -1, SQLITE_STATIC);
		sqlite3_bind_int64(u, 3, now);
		sqlite3_bind_text(u, 5, why, -1, SQLITE_STATIC);
	} else {
		u = stmt(ob, ST_MARK_IN_FLIGHT);
		sqlite3_bind_int64(u, 1, id);
		sqlite3_bind_int64(u, 2, now);
	}
	return run(ob, u, "claiming deliveries", err);
}

/*
 * Claims from one batch of at most max due rows; *seen = rows read.  The
 * batch is read to the end before any row changes: updating rows under an
 * open SELECT on the same index is not something to rely on.
 */
static int
claim_batch(struct kg_outbox *ob, const char *endpoint, int64_t now, size_t max,
    struct kg_delivery_list *out, size_t *seen, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_CLAIM_SELECT);
	size_t first = out->n, i, nstale = 0;
	int64_t *stale_ids = NULL;
	const char **stale_why = NULL;
	struct kg_delivery *d;
	bool nomem = false;
	int rc, claimed = -1;

	*seen = 0;
	stale_ids = malloc(max * sizeof(*stale_ids));
	stale_why = malloc(max * sizeof(*stale_why));
	if (stale_ids == NULL || stale_why == NULL)
		goto nomem;
	sqlite3_bind_text(s, 1, endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		(*seen)++;
		if (sqlite3_column_int(s, ROW_NCOLS + 1) || sqlite3_column_int(s, ROW_NCOLS + 2)) {
			stale_ids[nstale] = sqlite3_column_int64(s, 0);
			stale_why[nstale++] = sqlite3_column_int(s, ROW_NCOLS + 1) ?
			    EXPIRED : "milestone no longer due";
			continue;
		}
		d = list_add(out);
		if (d == NULL || row_read(s, d) < 0 ||
		    (d->body = col_text(s, ROW_NCOLS, &nomem)) == NULL)
			goto nomem;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		fail(ob, err, "claiming deliveries");
		goto out;
	}
	for (i = 0; i < nstale; i++)
		if (claim_mark(ob, stale_ids[i], now, stale_why[i], err) < 0)
			goto out;
	for (i = first; i < out->n; i++) {
		d = &out->v[i];
		if (claim_mark(ob, d->id, now, NULL, err) < 0)
			goto out;
		d->status = KG_DLV_IN_FLIGHT;
		d->attempts++;
		d->last_attempt_at = now;
	}
	claimed = (int)(out->n - first);
	goto out;
nomem:
	sqlite3_reset(s);
	kg_err_set(err, "out of memory claiming deliveries");
out:
	free(stale_ids);
	free(stale_why);
	return claimed;
}

int
kg_outbox_claim(struct kg_outbox *ob, const char *endpoint, int64_t now, size_t max,
    struct kg_delivery_list *out, struct kg_err *err)
{
	size_t total = 0, seen, first = out->n;
	int n;

	if (max == 0)
		return 0;
	if (kg_store_begin(ob->st, err) < 0)
		return -1;
	/* Abandoned rows use up a batch without filling it: read on. */
	do {
		n = claim_batch(ob, endpoint, now, max - total, out, &seen, err);
		if (n < 0)
			goto fail;
		total += (size_t)n;
	} while (total < max && seen > 0 && (size_t)n < seen);
	if (kg_store_commit(ob->st, err) < 0)
		goto fail;
	return (int)total;
fail:
	kg_store_rollback(ob->st);
	while (out->n > first)
		kg_delivery_clear(&out->v[--out->n]);
	return -1;
}

int
kg_outbox_next_due(struct kg_outbox *ob, const char *endpoint, int64_t *out,
    struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_NEXT_DUE);
	int rc;

	sqlite3_bind_text(s, 1, endpoint, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return fail(ob, err, "finding the next delivery");
	}
	*out = col_time(s, 0, INT64_MAX);
	sqlite3_reset(s);
	return 0;
}

int
kg_outbox_delivered(struct kg_outbox *ob, int64_t id, int64_t now, long http_status,
    struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_DELIVERED);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, http_status);
	return run(ob, s, "recording a delivery", err);
}

static void
bind_result(sqlite3_stmt *s, int col, long http_status, const char *error)
{
	if (http_status)
		sqlite3_bind_int64(s, col, http_status);
	if (error && *error)
		sqlite3_bind_text(s, col + 1, error, -1, SQLITE_STATIC);
}

int
kg_outbox_retry(struct kg_outbox *ob, int64_t id, int64_t next_at, long http_status,
    const char *error, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_RETRY);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, next_at);
	bind_result(s, 3, http_status, error);
	return run(ob, s, "recording a retry", err);
}

int
kg_outbox_requeue(struct kg_outbox *ob, int64_t id, int64_t now, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_REQUEUE);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return run(ob, s, "returning a delivery to the queue", err);
}

int
kg_outbox_cancel_endpoint(struct kg_outbox *ob, const char *endpoint, int64_t now,
    const char *why, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_CANCEL_ENDPOINT);

	sqlite3_bind_text(s, 1, endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, why, -1, SQLITE_STATIC);
	if (run(ob, s, "cancelling deliveries", err) < 0)
		return -1;
	return sqlite3_changes(ob->db);
}

int
kg_outbox_open_endpoints(struct kg_outbox *ob, struct kg_strv *out, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_OPEN_ENDPOINTS);
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (kg_strv_push(out, (const char *)sqlite3_column_text(s, 0), (size_t)-1) < 0) {
			sqlite3_reset(s);
			return kg_err_set(err, "out of memory");
		}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : fail(ob, err, "listing endpoints");
}

int
kg_outbox_finish(struct kg_outbox *ob, int64_t id, enum kg_delivery_status status,
    int64_t now, long http_status, const char *error, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_FINISH);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, kg_delivery_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	bind_result(s, 4, http_status, error);
	return run(ob, s, "recording a failure", err);
}

/* The rows of a listing statement s (?2 its limit), each with its
 * milestone's title, appended to out. */
static int
list_read(struct kg_outbox *ob, sqlite3_stmt *s, size_t limit, struct kg_delivery_list *out,
    struct kg_err *err)
{
	struct kg_delivery *d;
	bool nomem = false;
	int rc;

	sqlite3_bind_int64(s, 2, limit ? (sqlite3_int64)limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		d = list_add(out);
		if (d == NULL || row_read(s, d) < 0 ||
		    ((d->milestone_title = col_text(s, ROW_NCOLS, &nomem)), nomem)) {
			sqlite3_reset(s);
			return kg_err_set(err, "out of memory listing deliveries");
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : fail(ob, err, "listing deliveries");
}

int
kg_outbox_list(struct kg_outbox *ob, unsigned statuses, size_t limit,
    struct kg_delivery_list *out, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_LIST);

	sqlite3_bind_int64(s, 1, statuses);
	return list_read(ob, s, limit, out, err);
}

int
kg_outbox_list_milestone(struct kg_outbox *ob, int64_t milestone_id, size_t limit,
    struct kg_delivery_list *out, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_LIST_MILESTONE);

	sqlite3_bind_int64(s, 1, milestone_id);
	return list_read(ob, s, limit, out, err);
}

int
kg_outbox_count(struct kg_outbox *ob, unsigned statuses, int64_t *out, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_COUNT_STATUS);
	int rc;

	sqlite3_bind_int64(s, 1, statuses);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : fail(ob, err, "counting deliveries");
}

int
kg_outbox_get(struct kg_outbox *ob, int64_t id, struct kg_delivery *out, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_GET);
	bool nomem = false;
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return kg_err_set(err, "no delivery '%lld'", (long long)id);
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return fail(ob, err, "reading a delivery");
	}
	if (row_read(s, out) < 0 || (out->body = col_text(s, ROW_NCOLS, &nomem)) == NULL) {
		sqlite3_reset(s);
		kg_delivery_clear(out);
		return kg_err_set(err, "out of memory reading a delivery");
	}
	sqlite3_reset(s);
	return 0;
}

int
kg_outbox_redeliver(struct kg_outbox *ob, int64_t id, int64_t now, struct kg_err *err)
{
	sqlite3_stmt *s;
	int rc = -1;

	if (kg_store_begin(ob->st, err) < 0)
		return -1;
	s = stmt(ob, ST_REDELIVER);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	if (run(ob, s, "redelivering", err) < 0)
		goto out;
	if (sqlite3_changes(ob->db) == 0) {
		s = stmt(ob, ST_STATUS_OF);
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW)
			kg_err_set(err, "delivery %lld is in flight", (long long)id);
		else
			kg_err_set(err, "no delivery '%lld'", (long long)id);
		sqlite3_reset(s);
		goto out;
	}
	s = stmt(ob, ST_UNGONE);
	sqlite3_bind_int64(s, 1, id);
	rc = run(ob, s, "redelivering", err);
out:
	if (rc < 0) {
		kg_store_rollback(ob->st);
		return -1;
	}
	return kg_store_commit(ob->st, err);
}

int
kg_outbox_endpoint_gone(struct kg_outbox *ob, const char *endpoint, const char *url,
    int64_t now, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_GONE);

	sqlite3_bind_text(s, 1, endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	return run(ob, s, "marking an endpoint gone", err);
}

int
kg_outbox_endpoint_is_gone(struct kg_outbox *ob, const char *endpoint, const char *url,
    bool *gone, struct kg_err *err)
{
	sqlite3_stmt *s = stmt(ob, ST_IS_GONE);
	int rc;

	sqlite3_bind_text(s, 1, endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(ob, err, "reading endpoint state");
	*gone = rc == SQLITE_ROW;
	return 0;
}
