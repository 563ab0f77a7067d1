/*
 * store — see store.h.  Opening and migrating the SQLite file, transactions,
 * and the row-level API for milestones, measures, documents and history.
 * The import merge lives in store_import.c on top of the helpers declared in
 * store_int.h.
 *
 * Schema notes:
 *  - enums are stored by their stable lower-case names (model.h), so the
 *    database reads well in the sqlite3 shell and survives enum reordering;
 *  - dates are day numbers (kg_day), NULL for KG_DAY_NONE;
 *  - a measure's owners and notes live in measure_owners / measure_notes,
 *    indexed by owner so --owner filters are one index probe per query;
 *    the owners are also joined in measures.owners, written with the row;
 *  - what a listing shows of a measure (title, joined owners) is copied
 *    into each of its milestones (measure_title, measure_owners; schema
 *    v6), so a listing reads the milestones of its window and no measures
 *    page: the insert takes them with the row, two triggers pass on a
 *    measure's new title or owners and a milestone's move to another
 *    measure (store_schema.c);
 *  - a milestone's own owners (manual entries given --owner) are a
 *    newline-joined column; the effective owners shown are the measure's
 *    followed by the milestone's own;
 *  - milestone_history holds one row per creation and per window or status
 *    change ("what slipped between two reports");
 *  - milestones is a WITHOUT ROWID table clustered on (due, id), due being
 *    window_end or DUE_OPEN for an open end: a due-date window (`upcoming`)
 *    is one contiguous range of the table, and with the measure's fields
 *    in the row (v6) the pages read are that range's, so the cost follows
 *    the rows returned, not the table size; a table listing's open rows
 *    are a range of the narrower index milestones_open (v8), which holds
 *    all a brief row reads.  Ids come
 *    from the meta counter last_milestone_id (never reused after a purge);
 *    milestones_id makes them unique and the target of foreign keys.
 */
#include "store.h"
#include "store_int.h"
#include "dbfile.h"
#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#include "outbox.h"

#define BUSY_TIMEOUT_MS 5000
/* KG_STORE_MAPPED: how much of the file is mapped (the rest is read) */
#define MAPPED_MAX 4294967296
/* KG_STORE_SMALL_CACHE: the pages SQLite's cache holds */
#define SMALL_CACHE_PAGES 16
#define STR_(x) #x
#define STR(x) STR_(x)

/* milestones.due of an open-ended window: after every real date. */
#define DUE_OPEN INT32_MAX

static int64_t
due_key(kg_day window_end)
{
	return window_end == KG_DAY_NONE ? DUE_OPEN : window_end;
}

/* Fixed statements, prepared once on first use and reused. */
static const char *const stmt_sql[KG_STMT_COUNT] = {
	[KG_STMT_DATA_VERSION] = "PRAGMA data_version",
	[KG_STMT_MS_BY_ID] = KG_MS_SELECT " WHERE m.id = ?1",
	[KG_STMT_MS_BY_UID] = KG_MS_SELECT " WHERE m.uid = ?1",
	[KG_STMT_MS_INSERT] =
	    "INSERT INTO milestones (uid, measure_id, title, kind, status, certainty,"
	    " window_start, window_end, precision, expr, sentence, document_id, line,"
	    " manual, gone, sequence, owners, created_at, updated_at, completed_at,"
	    " due, id, uncertain, uncertain_reason, page, local_mask, conflict, plan,"
	    " local_at, measure_title, measure_owners, rev)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28,"
	    " coalesce(?29, 0),"
	    " CASE WHEN ?30 THEN ?31 ELSE (SELECT title FROM measures WHERE id = ?2) END,"
	    " CASE WHEN ?30 THEN ?32 ELSE (SELECT owners FROM measures WHERE id = ?2) END, "
	    KG_REV_NEXT ")",
	[KG_STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[KG_STMT_META_BUMP] = "UPDATE meta SET value = value + 1 WHERE key = ?1"
	    " RETURNING value",
	[KG_STMT_OBS_INSERT] =
	    "INSERT INTO observations (document_id, pos, measure_id, milestone_id, ekey,"
	    " title, kind, status, certainty, window_start, window_end, precision, expr,"
	    " sentence, line, page, uncertain, uncertain_reason)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
	    " ?16, ?17, ?18)",
	[KG_STMT_EDM_INSERT] =
	    "INSERT INTO edition_measures (document_id, pos, measure_id, title, heading,"
	    " subheading, progress, owners, notes)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	/* reminders of milestones that are no longer due with that deadline;
	 * the reason is the one kg_outbox_claim gives (change messages, whose
	 * lead is KG_OUTBOX_LEAD_EVENT or more, hold whatever happens) */
	[KG_STMT_CANCEL_REMINDERS] =
	    "UPDATE outbox SET status = 'cancelled', done_at = ?1,"
	    " last_error = 'milestone no longer due'"
	    " WHERE status = 'pending' AND lead_days < " KG_OUTBOX_LEAD_EVENT_SQL
	    " AND EXISTS (SELECT 1 FROM milestones m"
	    " WHERE m.id = outbox.milestone_id AND (m.status NOT IN ('planned', 'ongoing')"
	    " OR m.gone OR m.retired OR m.window_end IS NOT outbox.deadline))",
	/* the editions engine (store_import.c) */
	[KG_STMT_PLAN_DOCS] = "SELECT id, name, as_of, stood_at, standing, removed_at"
	    " FROM documents WHERE plan = ?1 ORDER BY id",
	[KG_STMT_PLAN_OBS] = "SELECT o.document_id, o.pos, o.measure_id, o.milestone_id,"
	    " o.ekey, o.title, o.kind, o.status, o.certainty, o.window_start, o.window_end,"
	    " o.precision, o.expr, o.sentence, o.line, o.page, o.uncertain, o.uncertain_reason"
	    " FROM observations o JOIN documents d ON d.id = o.document_id WHERE d.plan = ?1",
	[KG_STMT_PLAN_EDMS] = "SELECT e.document_id, e.pos, e.measure_id, e.title, e.heading,"
	    " e.subheading, e.progress, e.owners, e.notes FROM edition_measures e"
	    " JOIN documents d ON d.id = e.document_id"
	    " WHERE d.plan = ?1 AND d.removed_at IS NULL",
	[KG_STMT_PLAN_MEASURES] = "SELECT " KG_MEASURE_COLS ", title_key, occurrence, retired"
	    " FROM measures WHERE plan = ?1 ORDER BY id",
	[KG_STMT_PLAN_MS] = "SELECT " KG_MS_COLS ", m.local_at, m.retired" KG_MS_FROM
	    " WHERE m.plan = ?1 ORDER BY m.id",
	[KG_STMT_MS_RECOMPUTE] =
	    "UPDATE milestones SET measure_id = ?2, title = ?3, kind = ?4, status = ?5,"
	    " certainty = ?6, window_start = ?7, window_end = ?8, precision = ?9,"
	    " expr = ?10, sentence = ?11, document_id = ?12, line = ?13, manual = ?14,"
	    " gone = ?15, sequence = ?16, updated_at = ?18, completed_at = ?19, due = ?20,"
	    " retired = ?21, uncertain = ?23, uncertain_reason = ?24, page = ?25,"
	    " local_mask = ?26, conflict = ?27, rev = " KG_REV_NEXT " WHERE id = ?1",
	[KG_STMT_MS_PLAN] = "SELECT coalesce(plan, '') FROM milestones WHERE id = ?1",
	[KG_STMT_MS_KEEP_LOCAL] = "UPDATE milestones SET conflict = 0, local_at = ?2,"
	    " rev = " KG_REV_NEXT " WHERE id = ?1",
	[KG_STMT_OBS_ASSIGN] = "UPDATE observations SET milestone_id = ?3"
	    " WHERE document_id = ?1 AND pos = ?2",
	[KG_STMT_OBS_DELETE_MS] = "DELETE FROM observations WHERE milestone_id = ?1",
	/* the report side of a conflict: what the deciding version said */
	[KG_STMT_OBS_DECIDING] = "SELECT o.title, o.kind, o.status, o.certainty,"
	    " o.window_start, o.window_end, o.precision, o.measure_id, d.name, d.as_of"
	    " FROM observations o JOIN documents d ON d.id = o.document_id"
	    " WHERE o.milestone_id = ?1 AND o.document_id = ?2 ORDER BY o.pos LIMIT 1",
	[KG_STMT_DOC_STAND] = "UPDATE documents SET standing = ?2, stood_at = ?3,"
	    " removed_at = CASE WHEN ?4 < 0 THEN removed_at WHEN ?4 = 0 THEN NULL ELSE ?4 END"
	    " WHERE id = ?1",
	[KG_STMT_DOC_COUNTS] = "UPDATE documents SET n_new = ?2, n_changed = ?3, n_gone = ?4"
	    " WHERE id = ?1",
	[KG_STMT_MEASURE_RETIRE] = "UPDATE measures SET retired = ?2 WHERE id = ?1",
	[KG_STMT_MEASURE_CONTINUES] = "UPDATE measures SET continues = (SELECT max(e.id)"
	    " FROM measures e WHERE e.title_key = measures.title_key AND e.plan IS NOT NULL"
	    " AND e.plan <> measures.plan AND e.id < measures.id) WHERE id = ?1",
	[KG_STMT_META_SET] = "UPDATE meta SET value = ?2 WHERE key = ?1",
	[KG_STMT_CONFLICTS] = KG_MS_SELECT " WHERE m.conflict <> 0 AND m.retired = 0"
	    " ORDER BY m.id",
	[KG_STMT_CONFLICT_COUNT] = "SELECT count(*) FROM milestones"
	    " WHERE conflict <> 0 AND retired = 0",
	[KG_STMT_DOC_LAST] = KG_DOC_SELECT " WHERE removed_at IS NULL"
	    " ORDER BY imported_at DESC, id DESC LIMIT 1",
	[KG_STMT_DOC_IMPORTED] = "UPDATE documents SET imported_at = ?2 WHERE id = ?1",
	[KG_STMT_MEASURE_COUNTS] = "SELECT coalesce(measure_id, 0), count(*),"
	    " sum(status IN ('planned', 'ongoing') AND gone = 0), sum(status = 'done'),"
	    " sum(gone <> 0) FROM milestones WHERE retired = 0 GROUP BY measure_id",
	[KG_STMT_OWN_OWNERS] = "SELECT owners, status IN ('planned', 'ongoing') AND gone = 0,"
	    " status = 'done', gone <> 0 FROM milestones"
	    " WHERE owners IS NOT NULL AND retired = 0",
	[KG_STMT_MS_NEXT_ID] = "UPDATE meta SET value = value + ?1"
	    " WHERE key = 'last_milestone_id' RETURNING value",
	[KG_STMT_MS_UPDATE] =
	    "UPDATE milestones SET measure_id = ?2, title = ?3, kind = ?4, status = ?5,"
	    " certainty = ?6, window_start = ?7, window_end = ?8, precision = ?9,"
	    " expr = ?10, sentence = ?11, document_id = ?12, line = ?13, manual = ?14,"
	    " gone = ?15, sequence = ?16, owners = ?17, updated_at = ?18,"
	    " completed_at = ?19, due = ?20, uncertain = ?23, uncertain_reason = ?24,"
	    " page = ?25, local_mask = ?26, conflict = ?27,"
	    " local_at = coalesce(?29, local_at), rev = " KG_REV_NEXT " WHERE id = ?1",
	[KG_STMT_MS_DELETE] = "DELETE FROM milestones WHERE id = ?1",
	[KG_STMT_UID_EXISTS] = "SELECT 1 FROM milestones WHERE uid = ?1",
	[KG_STMT_HIST_INSERT] =
	    "INSERT INTO milestone_history (milestone_id, at, document_id, reason,"
	    " created, old_start, old_end, new_start, new_end, old_status, new_status)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[KG_STMT_HIST_BY_MS] = KG_HIST_SELECT " WHERE h.milestone_id = ?1 ORDER BY h.id",
	/*
	 * What slipped between editions, whatever the order they were imported
	 * in: consecutive standing editions (by as-of date) of one milestone that
	 * give it different window ends.  Slips recorded by imports before
	 * editions were kept (a database from before v3) are added from the
	 * history, where no edition pair says the same.  Editions after ?1's
	 * as-of date only (0: all).
	 */
	[KG_STMT_SLIPPED] =
	    "WITH o AS (SELECT ob.milestone_id AS ms, d.id AS doc, d.name AS name,"
	    "   d.as_of AS as_of, d.imported_at AS at, ob.window_start AS ws,"
	    "   ob.window_end AS we, ob.status AS st,"
	    "   lag(ob.window_start) OVER w AS pws, lag(ob.window_end) OVER w AS pwe,"
	    "   lag(ob.status) OVER w AS pst, lag(d.id) OVER w AS pdoc"
	    "  FROM observations ob JOIN documents d ON d.id = ob.document_id"
	    "  WHERE d.standing AND ob.milestone_id IS NOT NULL"
	    "  WINDOW w AS (PARTITION BY ob.milestone_id ORDER BY d.as_of, d.id)),"
	    " s AS (SELECT * FROM o WHERE pdoc IS NOT NULL AND pwe IS NOT we),"
	    " since AS (SELECT coalesce((SELECT as_of FROM documents WHERE id = ?1), -2147483648)"
	    "   AS day)"
	    " SELECT ms, at, doc, 'import ' || name, 0, pws, pwe, ws, we, pst, st, as_of"
	    "  FROM s WHERE as_of > (SELECT day FROM since)"
	    " UNION ALL "
	    KG_HIST_SELECT " WHERE h.created = 0 AND h.old_end IS NOT h.new_end"
	    "  AND h.reason LIKE 'import %' AND d.removed_at IS NULL"
	    "  AND d.as_of > (SELECT day FROM since)"
	    "  AND NOT EXISTS (SELECT 1 FROM observations x WHERE x.milestone_id = h.milestone_id"
	    "   AND x.document_id = h.document_id AND EXISTS (SELECT 1 FROM o"
	    "   WHERE o.ms = x.milestone_id AND o.doc = x.document_id AND o.pdoc IS NOT NULL))"
	    " ORDER BY 12, 1",
	[KG_STMT_OWNERS_OF] =
	    "SELECT owner FROM measure_owners WHERE measure_id = ?1 ORDER BY position",
	[KG_STMT_NOTES_OF] =
	    "SELECT note FROM measure_notes WHERE measure_id = ?1 ORDER BY position",
	[KG_STMT_OWNER_INSERT] =
	    "INSERT INTO measure_owners (measure_id, position, owner) VALUES (?1, ?2, ?3)",
	[KG_STMT_NOTE_INSERT] =
	    "INSERT INTO measure_notes (measure_id, position, note) VALUES (?1, ?2, ?3)",
	[KG_STMT_OWNERS_DELETE] = "DELETE FROM measure_owners WHERE measure_id = ?1",
	[KG_STMT_NOTES_DELETE] = "DELETE FROM measure_notes WHERE measure_id = ?1",
	[KG_STMT_MEASURE_BY_ID] = KG_MEASURE_SELECT " WHERE id = ?1",
	/* a measure no document lists any more (unimport) is not listed */
	[KG_STMT_MEASURES_ALL] = KG_MEASURE_SELECT " WHERE retired = 0 ORDER BY id",
	[KG_STMT_MEASURE_INSERT] =
	    "INSERT INTO measures (document_id, position, heading, subheading, title,"
	    " title_key, progress, plan, occurrence, owners)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[KG_STMT_MEASURE_UPDATE] =
	    "UPDATE measures SET document_id = ?2, position = ?3, heading = ?4,"
	    " subheading = ?5, title = ?6, title_key = ?7, progress = ?8, owners = ?9"
	    " WHERE id = ?1",
	[KG_STMT_DOC_BY_ID] = KG_DOC_SELECT " WHERE id = ?1",
	[KG_STMT_DOC_BY_NAME] = KG_DOC_SELECT " WHERE name = ?1 ORDER BY id DESC LIMIT 1",
	[KG_STMT_DOC_BY_SHA] = KG_DOC_SELECT " WHERE sha256 = ?1",
	[KG_STMT_DOCS_ALL] = KG_DOC_SELECT " ORDER BY id",
	[KG_STMT_REV_BUMP] = "UPDATE meta SET value = value + 1 WHERE key = 'rev'",
	[KG_STMT_MARKS] = "SELECT (SELECT value + 0 FROM meta WHERE key = 'rev'),"
	    " (SELECT value + 0 FROM meta WHERE key = 'reshaped')",
	/* by the rev index; retired ones too (a reader drops them) */
	[KG_STMT_MS_SINCE] = "SELECT " KG_MS_COLS ", m.retired" KG_MS_FROM
	    " WHERE m.rev > ?1",
	[KG_STMT_DOC_INSERT] =
	    "INSERT INTO documents (name, sha256, title, plan, as_of, imported_at,"
	    " summary_json, url, etag, last_modified)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};

/* ---- errors, statements, transactions ---- */

int
kg_store_fail(struct kg_store *st, struct kg_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(st->db) & 0xff;
	char holder[160];

	if (err == NULL)
		return -1;
	/* A short write leaves no errno behind: SQLITE_FULL alone says it. */
	if (code == SQLITE_FULL || ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN) &&
	    sqlite3_system_errno(st->db) == ENOSPC))
		return kg_err_set(err, "database '%s': %s: no space left on device (disk full)",
		    st->path, what);
	if (code == SQLITE_BUSY) {
		kg_dbfile_writer(st->path, holder, sizeof(holder));
		return kg_err_set(err, "database '%s': %s: database is locked by %s", st->path,
		    what, holder);
	}
	return kg_err_set(err, "database '%s': %s: %s", st->path, what,
	    sqlite3_errmsg(st->db));
}

sqlite3_stmt *
kg_store_stmt(struct kg_store *st, enum kg_stmt which, struct kg_err *err)
{
	sqlite3_stmt *s = st->stmts[which];

	if (s != NULL) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(st->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
	    &s, NULL) != SQLITE_OK) {
		kg_store_fail(st, err, "prepare");
		return NULL;
	}
	st->stmts[which] = s;
	return s;
}

/* Runs a statement that returns no rows to completion. */
int
kg_store_step_done(struct kg_store *st, sqlite3_stmt *s, struct kg_err *err, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return kg_store_fail(st, err, what);
	return 0;
}

int
kg_store_exec(struct kg_store *st, const char *sql, struct kg_err *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return kg_store_fail(st, err, sql);
	return 0;
}

int
kg_store_begin(struct kg_store *st, struct kg_err *err)
{
	return kg_store_exec(st, "BEGIN IMMEDIATE", err);
}

int
kg_store_commit(struct kg_store *st, struct kg_err *err)
{
	if (kg_store_exec(st, "COMMIT", err) < 0) {
		kg_store_rollback(st);
		return -1;
	}
	return 0;
}

void
kg_store_rollback(struct kg_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The end of a write unit for readers of kg_store_marks: what it wrote
 * has a rev above the one they saw, and the next unit's rows will have a
 * rev above this one's (without the bump, they would share it: correct,
 * but a reader would read this unit's rows again). */
static int
rev_bump(struct kg_store *st, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_REV_BUMP, err);

	return s == NULL ? -1 : kg_store_step_done(st, s, err, "marking the change");
}

/*
 * A unit of change that works both on its own (BEGIN IMMEDIATE .. COMMIT)
 * and inside a caller's transaction (SAVEPOINT .. RELEASE), so that a
 * failing call undoes exactly its own writes.
 */
int
kg_store_unit_begin(struct kg_store *st, bool *outer, struct kg_err *err)
{
	*outer = sqlite3_get_autocommit(st->db) != 0;
	return kg_store_exec(st, *outer ? "BEGIN IMMEDIATE" : "SAVEPOINT kg_unit", err);
}

int
kg_store_unit_end(struct kg_store *st, bool outer, int rc, struct kg_err *err)
{
	if (rc == 0 && outer)
		rc = rev_bump(st, err);
	if (rc == 0)
		rc = outer ? kg_store_commit(st, err) : kg_store_exec(st, "RELEASE kg_unit", err);
	if (rc < 0) {
		if (outer)
			kg_store_rollback(st);
		else
			sqlite3_exec(st->db, "ROLLBACK TO kg_unit; RELEASE kg_unit",
			    NULL, NULL, NULL);
	}
	return rc;
}

/*
 * A read of several statements (a listing and its owners) in one read
 * transaction: one snapshot for all of them, and one shared lock and one
 * look at the WAL instead of one per statement (autocommit takes both
 * anew for every statement: at 800 rows, 1,700 fcntl and 900 pread calls).
 * Inside a caller's transaction it does nothing.
 */
static int
read_begin(struct kg_store *st, bool *outer, struct kg_err *err)
{
	*outer = sqlite3_get_autocommit(st->db) != 0;
	return *outer ? kg_store_exec(st, "BEGIN", err) : 0;
}

static void
read_end(struct kg_store *st, bool outer)
{
	if (outer)
		kg_store_rollback(st);
}

int64_t
kg_store_now(void)
{
	return (int64_t)time(NULL);
}

/* ---- open / close ---- */

/* mkdir -p of the directory part of path (KG_STORE_MKDIR only). */
static int
make_parent_dirs(const char *path, struct kg_err *err)
{
	char dir[PATH_MAX];
	char *p;
	size_t len = strlen(path);

	if (len >= sizeof(dir))
		return kg_err_set(err, "database path '%s' is too long", path);
	memcpy(dir, path, len + 1);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0770) < 0 && errno != EEXIST)
			return kg_err_set(err, "cannot create directory '%s': %s", dir,
			    strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0770) < 0 && errno != EEXIST)
		return kg_err_set(err, "cannot create directory '%s': %s", dir, strerror(errno));
	return 0;
}

/* One integer of a PRAGMA or query; -1 with err set when it fails (a file
 * that is no SQLite database fails here, before anything is written). */
static int
query_int(struct kg_store *st, const char *sql, int64_t *out, struct kg_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return kg_store_fail(st, err, "reading its header");
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kg_store_fail(st, err, "reading its header");
	return 0;
}

/*
 * Whether an existing file is kigen's, read before anything is written (no
 * WAL switch, no table, no user_version).  Ours: application_id says so, or
 * it is a kigen database from before application_id (user_version >= 1 and
 * kigen's tables: adopted, marked at the end of the open), or it is empty
 * (no schema at all: a new database).  Anything else belongs to another
 * program.  Sets st->fresh for an empty one.
 */
static int
check_identity(struct kg_store *st, struct kg_err *err)
{
	int64_t app, version, objects, ours;

	/* ours says so in the header: the common case, one pragma */
	if (query_int(st, "PRAGMA application_id", &app, err) < 0)
		return -1;
	if (app == KG_STORE_APPLICATION_ID)
		return 0;
	if (query_int(st, "PRAGMA user_version", &version, err) < 0 ||
	    query_int(st, "SELECT count(*) FROM sqlite_schema", &objects, err) < 0 ||
	    query_int(st, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
	    " ('meta', 'documents', 'measures', 'milestones')", &ours, err) < 0)
		return -1;
	if (app != 0)
		return kg_err_set(err, "database '%s' belongs to another program (application_id "
		    "0x%08llx); kigen leaves it alone", st->path, (unsigned long long)app);
	if (objects == 0 && version == 0) {
		st->fresh = true;
		return 0;
	}
	if (version >= 1 && ours == 4)
		return 0;
	return kg_err_set(err, "database '%s' is not a kigen database (an SQLite file with "
	    "%lld other schema objects, user_version %lld); kigen leaves it alone", st->path,
	    (long long)objects, (long long)version);
}

/* Whether the file's header carries kigen's application_id, read before
 * SQLite opens it: another program's hot journal is that program's to undo. */
static bool
has_kigen_header(const char *path)
{
	unsigned char h[72];
	bool ours;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	ours = pread(fd, h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    ((uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 | (uint32_t)h[70] << 8 | h[71]) ==
	    KG_STORE_APPLICATION_ID;
	close(fd);
	return ours;
}

/*
 * A writer that stopped in the middle of a transaction in rollback-journal
 * mode (the first import into a new database, store_import.c) leaves its
 * -journal, which a read-only connection cannot undo: SQLite's "attempt to
 * write a readonly database".  A read-write connection of a moment undoes
 * it, where the file may be written; SQLite itself decides whether the
 * journal is hot (its writer gone) or in use (then nothing happens).
 */
static void
undo_stopped_writer(const char *path)
{
	char journal[PATH_MAX];
	struct stat sb;
	sqlite3 *db = NULL;

	if ((size_t)snprintf(journal, sizeof(journal), "%s-journal", path) >= sizeof(journal) ||
	    stat(journal, &sb) < 0 || sb.st_size == 0 || !has_kigen_header(path))
		return;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
		sqlite3_exec(db, "PRAGMA application_id", NULL, NULL, NULL);
	}
	sqlite3_close(db);
}

/* SQLite counts the memory it holds (sqlite3_memory_used, which kigen
 * never reads) under a global mutex at each of its allocations: 2 % of an
 * import's instructions.  Off before SQLite starts; once it has started
 * (someone opened a database another way first) the call is refused and
 * changes nothing. */
static pthread_once_t memstatus_once = PTHREAD_ONCE_INIT;

static void
memstatus_off(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
kg_store_open(const char *path, int flags, struct kg_store **out, struct kg_err *err)
{
	struct kg_store *st;
	bool readonly = flags & KG_STORE_READONLY;
	bool existed;
	int64_t app = 0;
	mode_t mask;
	int oflags, persist = 1;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return kg_err_set(err, "no database path given");
	if (kg_dbfile_check(path, !(flags & KG_STORE_MKDIR), &existed, err) < 0)
		return -1;
	if (!existed && (readonly || !(flags & (KG_STORE_CREATE | KG_STORE_MKDIR))))
		return kg_err_set(err, "database '%s' does not exist", path);
	if (!existed && (flags & KG_STORE_MKDIR) && make_parent_dirs(path, err) < 0)
		return -1;
	if ((st = calloc(1, sizeof(*st))) == NULL || (st->path = strdup(path)) == NULL) {
		free(st);
		return kg_err_set(err, "out of memory");
	}
	st->fresh = !existed;
	pthread_once(&memstatus_once, memstatus_off);
	if (readonly && existed)
		undo_stopped_writer(path);
	oflags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (!existed)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		kg_err_set(err, "cannot open database '%s': %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* The -wal and -shm files outlive the last connection, so a reader
	 * finds its wal-index allocated: `kigen list` works on a full disk. */
	sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	if (existed && check_identity(st, err) < 0)
		goto fail;
	if (kg_store_exec(st, "PRAGMA foreign_keys = ON", err) < 0)
		goto fail;
	if (!readonly && kg_store_exec(st, "PRAGMA journal_mode = WAL;"
	    " PRAGMA journal_size_limit = 4194304", err) < 0)
		goto fail;
	/* In WAL mode NORMAL still never corrupts; a power cut may lose the
	 * last commit, and commits stop costing an fsync each. */
	if (kg_store_exec(st, "PRAGMA synchronous = NORMAL", err) < 0)
		goto fail;
	if ((flags & KG_STORE_MAPPED) && kg_store_exec(st, "PRAGMA mmap_size = " STR(MAPPED_MAX),
	    err) < 0)
		goto fail;
	/* A reader of a few pages reads each once: a small cache reuses its
	 * page buffers where the default one took new memory for every page
	 * read (upcoming at 1M milestones: 830 pages, 3.5 MB, 500 page faults). */
	if ((flags & KG_STORE_SMALL_CACHE) && kg_store_exec(st,
	    "PRAGMA cache_size = " STR(SMALL_CACHE_PAGES), err) < 0)
		goto fail;
	if (!existed) {
		/* Shared with the service's group; the umask still has its say. */
		mask = umask(0);
		umask(mask);
		if (chmod(path, 0660 & ~mask) < 0) {
			kg_err_set(err, "database '%s': chmod: %s", path, strerror(errno));
			goto fail;
		}
	}
	if (kg_store_migrate(st, readonly, err) < 0)
		goto fail;
	if (!readonly && (query_int(st, "PRAGMA application_id", &app, err) < 0 ||
	    (app != KG_STORE_APPLICATION_ID &&
	    kg_store_exec(st, "PRAGMA application_id = " STR(KG_STORE_APPLICATION_ID), err) < 0)))
		goto fail;
	*out = st;
	return 0;
fail:
	kg_store_close(st);
	if (!existed && !readonly)
		unlink(path);
	return -1;
}

bool
kg_store_created(const struct kg_store *st)
{
	return st->fresh;
}

void
kg_store_close(struct kg_store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < KG_STMT_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

void
kg_store_set_busy_timeout(struct kg_store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

/* SQLite's busy handler for kg_store_set_wait: sleeps in small steps (the
 * lock is often held for milliseconds), tells once who holds it. */
static int
wait_for_lock(void *arg, int count)
{
	struct kg_store *st = arg;
	int64_t now = kg_mono_ms();
	char holder[160];

	if (count == 0) {
		st->wait_since_ms = now;
		st->wait_told = false;
	}
	if (now - st->wait_since_ms >= st->wait_max_ms)
		return 0;
	if (!st->wait_told && now - st->wait_since_ms >= KG_STORE_WAIT_TELL_MS &&
	    st->waiting != NULL) {
		kg_dbfile_writer(st->path, holder, sizeof(holder));
		st->waiting(st->wait_arg, holder);
		st->wait_told = true;
	}
	sqlite3_sleep(count < 20 ? 5 : 50);
	return 1;
}

void
kg_store_set_wait(struct kg_store *st, int max_ms, kg_store_wait_cb *waiting, void *arg)
{
	st->wait_max_ms = max_ms;
	st->waiting = waiting;
	st->wait_arg = arg;
	sqlite3_busy_handler(st->db, wait_for_lock, st);
}

struct sqlite3 *
kg_store_db(struct kg_store *st)
{
	return st->db;
}

int64_t
kg_store_data_version(struct kg_store *st)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_DATA_VERSION, NULL);
	int64_t v = -1;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	if (s != NULL)
		sqlite3_reset(s);
	return v;
}

/*
 * Steps s to its end, handing each row to add, which appends it to list
 * (-1 on ENOMEM).  Resets s.  On failure the caller clears the list.
 */
static int
each_row(struct kg_store *st, sqlite3_stmt *s, int (*add)(sqlite3_stmt *, void *),
    void *list, const char *what, struct kg_err *err)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (add(s, list) < 0) {
			sqlite3_reset(s);
			return kg_err_set(err, "out of memory");
		}
	if (rc != SQLITE_DONE)
		kg_store_fail(st, err, what);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- column helpers ---- */

void
kg_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

void
kg_bind_day(sqlite3_stmt *s, int i, kg_day d)
{
	if (d == KG_DAY_NONE)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int(s, i, d);
}

void
kg_bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, id);
}

/* A copy of a column, NULL for NULL; sets *failed on ENOMEM. */
char *
kg_col_text(sqlite3_stmt *s, int i, bool *failed)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n;
	char *c;

	if (t == NULL)
		return NULL;
	n = (size_t)sqlite3_column_bytes(s, i);  /* after _text: the text's length */
	if ((c = malloc(n + 1)) == NULL) {
		*failed = true;
		return NULL;
	}
	memcpy(c, t, n + 1);
	return c;
}

kg_day
kg_col_day(sqlite3_stmt *s, int i)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return KG_DAY_NONE;
	return (kg_day)sqlite3_column_int(s, i);
}

/* An enum column by name; unknown names (a newer kigen wrote them) map to fallback. */
static int
col_enum(sqlite3_stmt *s, int i, int (*parse)(const char *), int fallback)
{
	int v = parse((const char *)sqlite3_column_text(s, i));

	return v < 0 ? fallback : v;
}

static int
strv_push_split(struct kg_strv *sv, const char *joined)
{
	const char *nl;

	while (joined != NULL && *joined) {
		nl = strchr(joined, '\n');
		if (nl == NULL)
			nl = joined + strlen(joined);
		if (nl > joined && !kg_strv_contains_n(sv, joined, (size_t)(nl - joined)) &&
		    kg_strv_push(sv, joined, (size_t)(nl - joined)) < 0)
			return -1;
		joined = *nl ? nl + 1 : nl;
	}
	return 0;
}

/* Reads a row of KG_MS_SELECT into m (measure owners are not filled here). */
int
kg_ms_from_row(sqlite3_stmt *s, struct kg_milestone *m)
{
	bool failed = false;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	m->uid = kg_col_text(s, 1, &failed);
	m->measure_id = sqlite3_column_int64(s, 2);
	m->title = kg_col_text(s, 3, &failed);
	m->kind = col_enum(s, 4, kg_kind_parse, KG_KIND_OTHER);
	m->status = col_enum(s, 5, kg_status_parse, KG_STATUS_PLANNED);
	m->certainty = col_enum(s, 6, kg_certainty_parse, KG_CERT_NONE);
	m->window_start = kg_col_day(s, 7);
	m->window_end = kg_col_day(s, 8);
	m->precision = col_enum(s, 9, kg_precision_parse, KG_PREC_DAY);
	m->expr = kg_col_text(s, 10, &failed);
	m->sentence = kg_col_text(s, 11, &failed);
	m->document_id = sqlite3_column_int64(s, 12);
	m->line = sqlite3_column_int(s, 13);
	m->manual = sqlite3_column_int(s, 14) != 0;
	m->gone = sqlite3_column_int(s, 15) != 0;
	m->sequence = sqlite3_column_int64(s, 16);
	/* column 17: the milestone's own owners, merged after the measure's */
	m->created_at = sqlite3_column_int64(s, 18);
	m->updated_at = sqlite3_column_int64(s, 19);
	m->completed_at = sqlite3_column_int64(s, 20);
	m->measure_title = kg_col_text(s, 21, &failed);
	m->uncertain = sqlite3_column_int(s, 22) != 0;
	m->uncertain_reason = kg_col_text(s, 23, &failed);
	m->page = sqlite3_column_int(s, 24);
	m->local_mask = (unsigned)sqlite3_column_int(s, 25) & KG_LOCAL_ALL;
	m->conflict = sqlite3_column_int(s, 26) != 0;
	if (failed) {
		kg_milestone_clear(m);
		return -1;
	}
	return 0;
}

static int
add_new_string_row(sqlite3_stmt *s, void *list)
{
	const char *v = (const char *)sqlite3_column_text(s, 0);

	return kg_strv_contains(list, v) ? 0 : kg_strv_push(list, v, (size_t)-1);
}

/* Appends the owners of measure_id to sv (no duplicates). */
static int
measure_owners(struct kg_store *st, int64_t measure_id, struct kg_strv *sv, struct kg_err *err)
{
	sqlite3_stmt *s;

	if (measure_id == 0)
		return 0;
	if ((s = kg_store_stmt(st, KG_STMT_OWNERS_OF, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, measure_id);
	return each_row(st, s, add_new_string_row, sv, "reading owners", err);
}

/* Reads a row of KG_MS_SELECT into m with its owners: the measure's
 * (measures.owners), then the milestone's own ones. */
static int
ms_from_row_owned(sqlite3_stmt *s, struct kg_milestone *m)
{
	if (kg_ms_from_row(s, m) < 0)
		return -1;
	if (strv_push_split(&m->owners, (const char *)sqlite3_column_text(s, 27)) < 0 ||
	    strv_push_split(&m->owners, (const char *)sqlite3_column_text(s, 17)) < 0) {
		kg_milestone_clear(m);
		return -1;
	}
	return 0;
}

/* Reads one milestone by the KG_STMT_MS_BY_* statement s (already bound).
 * Returns 1 when found, 0 when not, -1 on error. */
static int
ms_fetch_one(struct kg_store *st, sqlite3_stmt *s, struct kg_milestone *out, struct kg_err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return kg_store_fail(st, err, "reading milestone");
	}
	rc = ms_from_row_owned(s, out);
	sqlite3_reset(s);
	return rc < 0 ? kg_err_set(err, "out of memory") : 1;
}

int
kg_store_ms_by_id(struct kg_store *st, int64_t id, struct kg_milestone *out, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MS_BY_ID, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return ms_fetch_one(st, s, out, err);
}

/* A decimal id without sign or junk, or -1. */
static int64_t
parse_id(const char *ref)
{
	char *end;
	long long v;

	if (ref == NULL || *ref < '0' || *ref > '9')
		return -1;
	errno = 0;
	v = strtoll(ref, &end, 10);
	if (errno || *end != '\0' || v <= 0)
		return -1;
	return (int64_t)v;
}

int
kg_store_milestone_get(struct kg_store *st, const char *ref, struct kg_milestone *out,
    struct kg_err *err)
{
	sqlite3_stmt *s;
	int64_t id = parse_id(ref);
	int rc;

	memset(out, 0, sizeof(*out));
	if (ref == NULL)
		return kg_err_set(err, "no milestone given");
	if (id > 0)
		rc = kg_store_ms_by_id(st, id, out, err);
	else {
		if ((s = kg_store_stmt(st, KG_STMT_MS_BY_UID, err)) == NULL)
			return -1;
		kg_bind_text(s, 1, ref);
		rc = ms_fetch_one(st, s, out, err);
	}
	if (rc == 0)
		return kg_err_set(err, "no milestone '%s'", ref);
	return rc < 0 ? -1 : 0;
}

/* ---- milestone writes ---- */

/* The milestone's own owners: those of m->owners that its measure does not
 * already give it, newline-joined; NULL when none.  *out is malloc'd. */
static int
own_owners(struct kg_store *st, const struct kg_milestone *m, char **out, struct kg_err *err)
{
	struct kg_strv inherited = {0};
	size_t i, len = 0;
	char *buf = NULL, *p;
	int rc = -1;

	*out = NULL;
	if (m->owners.n == 0)
		return 0;
	if (measure_owners(st, m->measure_id, &inherited, err) < 0)
		goto out;
	for (i = 0; i < m->owners.n; i++) {
		if (strchr(m->owners.v[i], '\n') != NULL) {
			kg_err_set(err, "invalid owner '%s' (contains a line break)", m->owners.v[i]);
			goto out;
		}
		len += strlen(m->owners.v[i]) + 1;
	}
	if ((buf = p = malloc(len + 1)) == NULL) {
		kg_err_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < m->owners.n; i++) {
		if (kg_strv_contains(&inherited, m->owners.v[i]))
			continue;
		if (p != buf)
			*p++ = '\n';
		p = stpcpy(p, m->owners.v[i]);
	}
	*p = '\0';
	if (p == buf) {
		free(buf);
		buf = NULL;
	}
	*out = buf;
	rc = 0;
out:
	kg_strv_clear(&inherited);
	return rc;
}

/* Binds what a report says of a milestone, title to sentence, as ?base..
 * ?base+8 (the order of the milestones and observations columns). */
static void
bind_report_fields(sqlite3_stmt *s, int base, const struct kg_milestone *m)
{
	kg_bind_text(s, base, m->title);
	kg_bind_text(s, base + 1, kg_kind_name(m->kind));
	kg_bind_text(s, base + 2, kg_status_name(m->status));
	kg_bind_text(s, base + 3, kg_certainty_name(m->certainty));
	kg_bind_day(s, base + 4, m->window_start);
	kg_bind_day(s, base + 5, m->window_end);
	kg_bind_text(s, base + 6, kg_precision_name(m->precision));
	kg_bind_text(s, base + 7, m->expr);
	kg_bind_text(s, base + 8, m->sentence);
}

/* Binds the fields ?2..?15 and ?23..?27 shared by insert and update (same
 * numbering). */
static void
bind_ms_fields(sqlite3_stmt *s, const struct kg_milestone *m)
{
	sqlite3_bind_int(s, 23, m->uncertain);
	kg_bind_text(s, 24, m->uncertain_reason);
	sqlite3_bind_int(s, 25, m->page);
	sqlite3_bind_int(s, 26, (int)m->local_mask);
	sqlite3_bind_int(s, 27, m->conflict);
	kg_bind_id(s, 2, m->measure_id);
	bind_report_fields(s, 3, m);
	kg_bind_id(s, 12, m->document_id);
	sqlite3_bind_int(s, 13, m->line);
	sqlite3_bind_int(s, 14, m->manual);
	sqlite3_bind_int(s, 15, m->gone);
}

static int
validate_ms(const struct kg_milestone *m, struct kg_err *err)
{
	if (m->title == NULL || *m->title == '\0')
		return kg_err_set(err, "milestone has no title");
	if ((unsigned)m->kind >= KG_KIND_COUNT || (unsigned)m->status >= KG_STATUS_COUNT ||
	    (unsigned)m->certainty >= KG_CERT_COUNT || (unsigned)m->precision >= KG_PREC_COUNT)
		return kg_err_set(err, "milestone '%s' has an invalid kind, status, certainty "
		    "or precision", m->title);
	if (m->window_start != KG_DAY_NONE && m->window_end != KG_DAY_NONE &&
	    m->window_start > m->window_end)
		return kg_err_set(err, "milestone '%s': window starts after it ends", m->title);
	return 0;
}

int
kg_store_history_add(struct kg_store *st, const struct kg_change *c, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_HIST_INSERT, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->milestone_id);
	sqlite3_bind_int64(s, 2, c->at);
	kg_bind_id(s, 3, c->document_id);
	kg_bind_text(s, 4, c->reason);
	sqlite3_bind_int(s, 5, c->created);
	if (!c->created) {
		kg_bind_day(s, 6, c->old_start);
		kg_bind_day(s, 7, c->old_end);
		kg_bind_text(s, 10, kg_status_name(c->old_status));
	}
	kg_bind_day(s, 8, c->new_start);
	kg_bind_day(s, 9, c->new_end);
	kg_bind_text(s, 11, kg_status_name(c->new_status));
	return kg_store_step_done(st, s, err, "recording history");
}

/* 32 hex digits of fresh randomness + "@kigen", for manual entries. */
static int
random_uid(char **out, struct kg_err *err)
{
	char hex[KG_RANDOM_HEX_LEN];

	if (kg_random_hex(hex) < 0)
		return kg_err_set(err, "cannot draw random bytes for a uid");
	if (asprintf(out, "%s@kigen", hex) < 0) {
		*out = NULL;
		return kg_err_set(err, "out of memory");
	}
	return 0;
}

int
kg_store_reserve_ids(struct kg_store *st, size_t n, int64_t *first, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MS_NEXT_ID, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)n);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return kg_store_fail(st, err, "allocating milestone ids");
	}
	*first = sqlite3_column_int64(s, 0) - (int64_t)n + 1;
	return kg_store_step_done(st, s, err, "allocating milestone ids");
}

int64_t
kg_store_due_key(kg_day window_end)
{
	return due_key(window_end);
}

int
kg_store_ms_created(struct kg_store *st, const struct kg_milestone *m, int64_t document_id,
    const char *reason, struct kg_err *err)
{
	struct kg_change created = {0};

	created.milestone_id = m->id;
	created.at = m->created_at;
	created.document_id = document_id;
	created.reason = (char *)reason;
	created.created = true;
	created.new_start = m->window_start;
	created.new_end = m->window_end;
	created.new_status = m->status;
	return kg_store_history_add(st, &created, err);
}

int
kg_store_ms_created_all(struct kg_store *st, int64_t document_id, const char *reason,
    struct kg_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "INSERT INTO milestone_history (milestone_id, at,"
	    " document_id, reason, created, new_start, new_end, new_status)"
	    " SELECT id, created_at, ?1, ?2, 1, window_start, window_end, status"
	    " FROM milestones ORDER BY id", -1, &s, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return kg_store_fail(st, err, "recording history");
	}
	kg_bind_id(s, 1, document_id);
	kg_bind_text(s, 2, reason);
	rc = kg_store_step_done(st, s, err, "recording history");
	sqlite3_finalize(s);
	return rc;
}

int
kg_store_ms_insert_row(struct kg_store *st, struct kg_milestone *m, const char *plan,
    int64_t now, const struct kg_measure_listed *listed, struct kg_err *err)
{
	sqlite3_stmt *s;
	char *own = NULL;
	int64_t id;
	int rc = -1;

	if (validate_ms(m, err) < 0)
		return -1;
	if (m->uid == NULL && random_uid(&m->uid, err) < 0)
		return -1;
	if (own_owners(st, m, &own, err) < 0)
		return -1;
	if ((id = m->id) <= 0 && kg_store_reserve_ids(st, 1, &id, err) < 0)
		goto out;
	if ((s = kg_store_stmt(st, KG_STMT_MS_INSERT, err)) == NULL)
		goto out;
	m->sequence = 0;
	m->created_at = m->updated_at = now;
	/* A report's done event was done when it says, not when imported. */
	m->completed_at = m->status == KG_STATUS_DONE && plan == NULL ? now : 0;
	kg_bind_text(s, 1, m->uid);
	bind_ms_fields(s, m);
	sqlite3_bind_int64(s, 16, m->sequence);
	kg_bind_text(s, 17, own);
	sqlite3_bind_int64(s, 18, m->created_at);
	sqlite3_bind_int64(s, 19, m->updated_at);
	kg_bind_id(s, 20, m->completed_at);
	sqlite3_bind_int64(s, 21, due_key(m->window_end));
	sqlite3_bind_int64(s, 22, id);
	kg_bind_text(s, 28, plan);
	sqlite3_bind_int(s, 30, listed != NULL);
	kg_bind_text(s, 31, listed ? listed->title : NULL);
	kg_bind_text(s, 32, listed ? listed->owners : NULL);
	if (kg_store_step_done(st, s, err, "adding milestone") < 0)
		goto out;
	m->id = id;
	rc = 0;
out:
	free(own);
	return rc;
}

/* Insert without a transaction of its own; reason goes to the history. */
int
kg_store_ms_insert(struct kg_store *st, struct kg_milestone *m, const char *plan,
    int64_t document_id, const char *reason, struct kg_err *err)
{
	if (kg_store_ms_insert_row(st, m, plan, kg_store_now(), NULL, err) < 0)
		return -1;
	return kg_store_ms_created(st, m, document_id, reason, err);
}

int
kg_store_milestone_add(struct kg_store *st, struct kg_milestone *m, struct kg_err *err)
{
	bool outer;
	char *given_uid = m->uid;
	int rc;

	if (kg_store_unit_begin(st, &outer, err) < 0)
		return -1;
	m->id = 0;    /* always a new id */
	rc = kg_store_ms_insert(st, m, NULL, 0, m->document_id ? "import" : "add", err);
	rc = kg_store_unit_end(st, outer, rc, err);
	if (rc < 0) {
		if (m->uid != given_uid) {
			free(m->uid);
			m->uid = given_uid;
		}
		m->id = 0;
	}
	return rc;
}

/* True when any stored field of a and b differ (ids, uid and times aside). */
bool
kg_ms_differs(const struct kg_milestone *a, const struct kg_milestone *b)
{
	return a->measure_id != b->measure_id || !kg_str_equal(a->title, b->title) ||
	    a->kind != b->kind || a->status != b->status || a->certainty != b->certainty ||
	    a->window_start != b->window_start || a->window_end != b->window_end ||
	    a->precision != b->precision || !kg_str_equal(a->expr, b->expr) ||
	    !kg_str_equal(a->sentence, b->sentence) || a->document_id != b->document_id ||
	    a->line != b->line || a->manual != b->manual || a->gone != b->gone ||
	    a->uncertain != b->uncertain || !kg_str_equal(a->uncertain_reason,
	    b->uncertain_reason) || a->page != b->page || a->local_mask != b->local_mask ||
	    a->conflict != b->conflict || !kg_strv_equal(&a->owners, &b->owners);
}

unsigned
kg_ms_local_diff(const struct kg_milestone *a, const struct kg_milestone *b)
{
	unsigned mask = 0;

	if (!kg_str_equal(a->title, b->title))
		mask |= KG_LOCAL_TITLE;
	if (a->kind != b->kind)
		mask |= KG_LOCAL_KIND;
	if (a->status != b->status)
		mask |= KG_LOCAL_STATUS;
	if (a->window_start != b->window_start || a->window_end != b->window_end ||
	    a->precision != b->precision)
		mask |= KG_LOCAL_WINDOW;
	if (a->measure_id != b->measure_id)
		mask |= KG_LOCAL_MEASURE;
	return mask;
}

int
kg_store_meta_int(struct kg_store *st, const char *key, int64_t *out, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_META_GET, err);
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kg_store_fail(st, err, "reading meta");
	return 0;
}

/* Update without a transaction of its own.  m->id must exist. */
int
kg_store_ms_write(struct kg_store *st, struct kg_milestone *m, int64_t document_id,
    const char *reason, bool mark_manual, struct kg_err *err)
{
	struct kg_milestone old;
	struct kg_change c = {0};
	sqlite3_stmt *s;
	char *own = NULL;
	int64_t now = kg_store_now(), stand = 0;
	int rc;

	if (validate_ms(m, err) < 0)
		return -1;
	if ((rc = kg_store_ms_by_id(st, m->id, &old, err)) <= 0)
		return rc == 0 ? kg_err_set(err, "no milestone '%lld'", (long long)m->id) : -1;
	rc = -1;
	if (!kg_ms_differs(&old, m)) {
		m->sequence = old.sequence;
		m->updated_at = old.updated_at;
		m->completed_at = old.completed_at;
		rc = 0;
		goto out;
	}
	if (mark_manual) {
		m->manual = true;
		m->local_mask |= kg_ms_local_diff(&old, m);
		/* an edit settles what a report said before it */
		m->conflict = false;
		if (kg_store_meta_int(st, "last_stand", &stand, err) < 0)
			goto out;
	}
	if (own_owners(st, m, &own, err) < 0)
		goto out;
	if ((s = kg_store_stmt(st, KG_STMT_MS_UPDATE, err)) == NULL)
		goto out;
	m->sequence = old.sequence + 1;
	m->updated_at = now;
	if (m->status != KG_STATUS_DONE)
		m->completed_at = 0;
	else if (old.status == KG_STATUS_DONE)
		m->completed_at = old.completed_at;
	else   /* done by hand now, or by a report when it says */
		m->completed_at = mark_manual ? now : 0;
	sqlite3_bind_int64(s, 1, m->id);
	bind_ms_fields(s, m);
	sqlite3_bind_int64(s, 16, m->sequence);
	kg_bind_text(s, 17, own);
	sqlite3_bind_int64(s, 18, m->updated_at);
	kg_bind_id(s, 19, m->completed_at);
	sqlite3_bind_int64(s, 20, due_key(m->window_end));
	if (mark_manual)
		sqlite3_bind_int64(s, 29, stand);
	if (kg_store_step_done(st, s, err, "updating milestone") < 0)
		goto out;
	rc = 0;
	if (old.window_start != m->window_start || old.window_end != m->window_end ||
	    old.status != m->status) {
		c.milestone_id = m->id;
		c.at = now;
		c.document_id = document_id;
		c.reason = (char *)reason;
		c.old_start = old.window_start;
		c.old_end = old.window_end;
		c.old_status = old.status;
		c.new_start = m->window_start;
		c.new_end = m->window_end;
		c.new_status = m->status;
		rc = kg_store_history_add(st, &c, err);
	}
out:
	free(own);
	kg_milestone_clear(&old);
	return rc;
}

int
kg_store_cancel_reminders(struct kg_store *st, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_CANCEL_REMINDERS, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, kg_store_now());
	if (kg_store_step_done(st, s, err, "cancelling reminders") < 0)
		return -1;
	return rev_bump(st, err);
}

int
kg_store_milestone_update(struct kg_store *st, struct kg_milestone *m, const char *reason,
    struct kg_err *err)
{
	struct kg_milestone before = *m;
	bool outer;
	int rc;

	if (kg_store_unit_begin(st, &outer, err) < 0)
		return -1;
	rc = kg_store_ms_write(st, m, 0, reason ? reason : "edit", true, err);
	if (rc == 0)
		rc = kg_store_cancel_reminders(st, err);
	rc = kg_store_unit_end(st, outer, rc, err);
	if (rc < 0) {
		m->sequence = before.sequence;
		m->updated_at = before.updated_at;
		m->completed_at = before.completed_at;
		m->manual = before.manual;
	}
	return rc;
}

int
kg_store_milestone_purge(struct kg_store *st, int64_t id, struct kg_err *err)
{
	sqlite3_stmt *s;
	bool outer;
	int rc = -1;

	if (kg_store_unit_begin(st, &outer, err) < 0)
		return -1;
	/* what reports said of it goes too, or the next import brings it back */
	if ((s = kg_store_stmt(st, KG_STMT_OBS_DELETE_MS, err)) == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, id);
	if (kg_store_step_done(st, s, err, "deleting milestone") < 0)
		goto out;
	if ((s = kg_store_stmt(st, KG_STMT_MS_DELETE, err)) == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, id);
	if (kg_store_step_done(st, s, err, "deleting milestone") < 0)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		kg_err_set(err, "no milestone '%lld'", (long long)id);
		goto out;
	}
	rc = 0;
out:
	return kg_store_unit_end(st, outer, rc, err);
}

/* ---- queries ---- */

void
kg_query_init(struct kg_query *q)
{
	memset(q, 0, sizeof(*q));
	q->due_from = KG_DAY_NONE;
	q->due_to = KG_DAY_NONE;
	q->gone = -1;
	q->order = KG_ORDER_DUE;
}

/* Appends "(?, ?, ...)" with n placeholders. */
static void
append_placeholders(char *sql, size_t cap, size_t n)
{
	size_t i, len = strlen(sql);

	for (i = 0; i < n && len + 4 < cap; i++)
		len += (size_t)snprintf(sql + len, cap - len, i ? ", ?" : "(?");
	snprintf(sql + len, cap - len, ")");
}

/* The columns of a brief row (kg_query.brief), in ms_view_brief's order. */
#define MS_COLS_BRIEF \
	"m.id, m.window_end, m.status, m.gone, m.conflict, m.uncertain, m.title," \
	" m.measure_title, m.measure_owners, m.owners"
enum { BRIEF_ID, BRIEF_END, BRIEF_STATUS, BRIEF_GONE, BRIEF_CONFLICT, BRIEF_UNCERTAIN,
    BRIEF_TITLE, BRIEF_MEASURE_TITLE, BRIEF_MEASURE_OWNERS, BRIEF_OWNERS };

/* Upper bound on filter values per field: keeps the generated SQL bounded. */
#define MAX_FILTER_VALUES 64

/*
 * Builds the milestone query for q.  Every filter becomes SQL so the range
 * scan on the clustered (due, id) key does all the work and returns rows in
 * output order; owners are one probe of measure_owners_owner per query.
 * A lower bound alone keeps open ends out (window_end >= x is false for
 * them), hence the DUE_OPEN - 1 upper bound bind_query supplies.
 */
static int
build_query(const struct kg_query *q, bool brief, char *sql, size_t cap,
    struct kg_err *err)
{
	const struct kg_filter *f = &q->filter;

	if (f->owners.n > MAX_FILTER_VALUES || f->kinds.n > MAX_FILTER_VALUES ||
	    f->statuses.n > MAX_FILTER_VALUES || f->measures.n > MAX_FILTER_VALUES)
		return kg_err_set(err, "too many filter values (at most %d per field)",
		    MAX_FILTER_VALUES);
	/* a retired milestone (no edition left mentions it) is not listed */
	snprintf(sql, cap, "SELECT %s" KG_MS_FROM " WHERE m.retired = 0",
	    brief ? MS_COLS_BRIEF : KG_MS_COLS);
	if (q->due_from != KG_DAY_NONE)
		strncat(sql, " AND m.due >= ?", cap - strlen(sql) - 1);
	if (q->due_from != KG_DAY_NONE || q->due_to != KG_DAY_NONE)
		strncat(sql, " AND m.due <= ?", cap - strlen(sql) - 1);
	/* Open milestones: a brief row is all in the partial index
	 * milestones_open (schema v8), filters included, so its range is
	 * read and nothing else.  Whole rows with a lower bound (upcoming
	 * --json) read the contiguous range of the clustered table, skipping
	 * the few closed rows: one table seek per index entry costs about
	 * twice that, so the unary + keeps the planner off the index.
	 * Without a lower bound (overdue) the range reaches back to the
	 * oldest, mostly closed rows, and the index skips them. */
	if (q->open_only)
		strncat(sql, q->due_from != KG_DAY_NONE && !brief
		    ? " AND +m.status IN ('planned', 'ongoing')"
		    : " AND m.status IN ('planned', 'ongoing')", cap - strlen(sql) - 1);
	if (q->gone >= 0)
		strncat(sql, q->gone ? " AND m.gone <> 0" : " AND m.gone = 0",
		    cap - strlen(sql) - 1);
	if (f->kinds.n) {
		strncat(sql, " AND m.kind IN ", cap - strlen(sql) - 1);
		append_placeholders(sql, cap, f->kinds.n);
	}
	if (f->statuses.n) {
		strncat(sql, " AND m.status IN ", cap - strlen(sql) - 1);
		append_placeholders(sql, cap, f->statuses.n);
	}
	if (f->measures.n) {
		strncat(sql, " AND m.measure_id IN ", cap - strlen(sql) - 1);
		append_placeholders(sql, cap, f->measures.n);
	}
	if (f->owners.n) {
		/* The owner values are bound twice: the subquery, then instr(). */
		strncat(sql, " AND (m.measure_id IN (SELECT measure_id FROM measure_owners"
		    " WHERE owner IN ", cap - strlen(sql) - 1);
		append_placeholders(sql, cap, f->owners.n);
		strncat(sql, ") OR (m.owners IS NOT NULL AND (", cap - strlen(sql) - 1);
		for (size_t i = 0; i < f->owners.n; i++)
			strncat(sql, i ? " OR instr(char(10) || m.owners || char(10), ?) > 0"
			    : "instr(char(10) || m.owners || char(10), ?) > 0",
			    cap - strlen(sql) - 1);
		strncat(sql, ")))", cap - strlen(sql) - 1);
	}
	if (q->order == KG_ORDER_ID)
		strncat(sql, " ORDER BY m.id", cap - strlen(sql) - 1);
	else
		strncat(sql, " ORDER BY m.due, m.id", cap - strlen(sql) - 1);
	if (strlen(sql) + 1 >= cap)
		return kg_err_set(err, "query too long");
	return 0;
}

static int
bind_query(sqlite3_stmt *s, const struct kg_query *q, struct kg_err *err)
{
	const struct kg_filter *f = &q->filter;
	char *wrapped;
	size_t i;
	int n = 1, k;

	if (q->due_from != KG_DAY_NONE)
		sqlite3_bind_int(s, n++, q->due_from);
	if (q->due_to != KG_DAY_NONE)
		sqlite3_bind_int(s, n++, q->due_to);
	else if (q->due_from != KG_DAY_NONE)
		sqlite3_bind_int64(s, n++, DUE_OPEN - 1);
	for (i = 0; i < f->kinds.n; i++) {
		if (kg_kind_parse(f->kinds.v[i]) < 0)
			return kg_err_set(err, "unknown kind '%s'", f->kinds.v[i]);
		sqlite3_bind_text(s, n++, f->kinds.v[i], -1, SQLITE_STATIC);
	}
	for (i = 0; i < f->statuses.n; i++) {
		if (kg_status_parse(f->statuses.v[i]) < 0)
			return kg_err_set(err, "unknown status '%s'", f->statuses.v[i]);
		sqlite3_bind_text(s, n++, f->statuses.v[i], -1, SQLITE_STATIC);
	}
	for (i = 0; i < f->measures.n; i++) {
		if (parse_id(f->measures.v[i]) < 0)
			return kg_err_set(err, "invalid measure id '%s'", f->measures.v[i]);
		sqlite3_bind_int64(s, n++, parse_id(f->measures.v[i]));
	}
	for (i = 0; i < f->owners.n; i++)
		sqlite3_bind_text(s, n++, f->owners.v[i], -1, SQLITE_STATIC);
	for (i = 0; i < f->owners.n; i++) {
		if ((k = asprintf(&wrapped, "\n%s\n", f->owners.v[i])) < 0)
			return kg_err_set(err, "out of memory");
		sqlite3_bind_text(s, n++, wrapped, k, free);
	}
	return 0;
}

static int
add_ms_row(sqlite3_stmt *s, void *list)
{
	struct kg_milestone *m = kg_milestone_list_add(list);

	if (m == NULL)
		return -1;
	if (ms_from_row_owned(s, m) < 0) {
		((struct kg_milestone_list *)list)->n--;
		return -1;
	}
	return 0;
}

/* Runs the query of q reading whole rows or brief ones (MS_COLS_BRIEF),
 * in one read transaction, handing each row to add (each_row). */
static int
run_query(struct kg_store *st, const struct kg_query *q, bool brief,
    int (*add)(sqlite3_stmt *, void *), void *arg, struct kg_err *err)
{
	char sql[8192];
	sqlite3_stmt *s = NULL;
	bool outer;
	int rc = -1;

	if (build_query(q, brief, sql, sizeof(sql), err) < 0)
		return -1;
	if (read_begin(st, &outer, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		kg_store_fail(st, err, "preparing query");
	else if (bind_query(s, q, err) == 0)
		rc = each_row(st, s, add, arg, "querying milestones", err);
	sqlite3_finalize(s);
	read_end(st, outer);
	return rc;
}

int
kg_store_milestones(struct kg_store *st, const struct kg_query *q,
    struct kg_milestone_list *out, struct kg_err *err)
{
	size_t first = out->n;

	if (run_query(st, q, false, add_ms_row, out, err) == 0)
		return 0;
	while (out->n > first)
		kg_milestone_clear(&out->v[--out->n]);
	return -1;
}

/* The owners of a lent row: both newline-joined columns copied into text
 * one after the other, each line NUL-terminated and listed in v unless
 * empty or listed already (as strv_push_split does).  Reused from row to
 * row: it grows, and is freed once at the end. */
struct owners_view {
	char *text;
	size_t text_cap;
	char **v;
	size_t v_cap;
};

static int
owners_view(struct owners_view *o, sqlite3_stmt *s, struct kg_strv *out)
{
	const char *first = (const char *)sqlite3_column_text(s, BRIEF_MEASURE_OWNERS);
	size_t n1 = (size_t)sqlite3_column_bytes(s, BRIEF_MEASURE_OWNERS);
	const char *second = (const char *)sqlite3_column_text(s, BRIEF_OWNERS);
	size_t n2 = (size_t)sqlite3_column_bytes(s, BRIEF_OWNERS);
	size_t need = n1 + n2 + 2, lines = 2, i, k;
	char *p, *end, *nl;

	memset(out, 0, sizeof(*out));
	if (n1 + n2 == 0)
		return 0;
	if (need > o->text_cap) {
		if ((p = realloc(o->text, need)) == NULL)
			return -1;
		o->text = p;
		o->text_cap = need;
	}
	memcpy(o->text, first != NULL ? first : "", n1);
	o->text[n1] = '\n';
	memcpy(o->text + n1 + 1, second != NULL ? second : "", n2);
	o->text[n1 + 1 + n2] = '\0';
	for (p = o->text; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	if (lines > o->v_cap) {
		char **nv = realloc(o->v, lines * sizeof(*nv));

		if (nv == NULL)
			return -1;
		o->v = nv;
		o->v_cap = lines;
	}
	out->v = o->v;
	for (p = o->text, end = p + n1 + 1 + n2; p < end; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = end;
		*nl = '\0';
		for (k = 0, i = 0; i < out->n && !k; i++)
			k = strcmp(out->v[i], p) == 0;
		if (*p != '\0' && !k)
			out->v[out->n++] = p;
	}
	return 0;
}

/* A row of MS_COLS_BRIEF as a milestone lent to its reader: its strings
 * are the statement's (and o's), valid until the next step; the fields a
 * brief row does not read as kg_ms_from_row leaves NULL columns. */
static int
ms_view_brief(sqlite3_stmt *s, struct owners_view *o, struct kg_milestone *m)
{
	int status = kg_status_parse((const char *)sqlite3_column_text(s, BRIEF_STATUS));

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, BRIEF_ID);
	m->window_start = KG_DAY_NONE;
	m->window_end = kg_col_day(s, BRIEF_END);
	m->status = status < 0 ? KG_STATUS_PLANNED : status;
	m->kind = KG_KIND_OTHER;
	m->certainty = KG_CERT_NONE;
	m->precision = KG_PREC_DAY;
	m->gone = sqlite3_column_int(s, BRIEF_GONE) != 0;
	m->conflict = sqlite3_column_int(s, BRIEF_CONFLICT) != 0;
	m->uncertain = sqlite3_column_int(s, BRIEF_UNCERTAIN) != 0;
	/* the model's strings are not const; a lent row's are not written */
	m->title = (char *)sqlite3_column_text(s, BRIEF_TITLE);
	m->measure_title = (char *)sqlite3_column_text(s, BRIEF_MEASURE_TITLE);
	return owners_view(o, s, &m->owners);
}

struct lend {
	bool brief;
	struct owners_view owners;
	int (*each)(const struct kg_milestone *, void *);
	void *arg;
};

static int
lend_row(sqlite3_stmt *s, void *arg)
{
	struct lend *l = arg;
	struct kg_milestone m;
	int rc;

	if (l->brief) {
		if (ms_view_brief(s, &l->owners, &m) < 0)
			return -1;
		return l->each(&m, l->arg);
	}
	if (ms_from_row_owned(s, &m) < 0)
		return -1;
	rc = l->each(&m, l->arg);
	kg_milestone_clear(&m);
	return rc;
}

int
kg_store_milestones_each(struct kg_store *st, const struct kg_query *q,
    int (*each)(const struct kg_milestone *m, void *arg), void *arg, struct kg_err *err)
{
	struct lend l = { .brief = q->brief, .each = each, .arg = arg };
	int rc = run_query(st, q, q->brief, lend_row, &l, err);

	free(l.owners.text);
	free(l.owners.v);
	return rc;
}

int
kg_store_marks(struct kg_store *st, struct kg_store_marks *out, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MARKS, err);
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->rev = sqlite3_column_int64(s, 0);
		out->reshaped = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : kg_store_fail(st, err, "reading change marks");
}

int
kg_store_order_cmp_at(kg_day end_a, int64_t id_a, kg_day end_b, int64_t id_b)
{
	int64_t da = due_key(end_a), db = due_key(end_b);

	if (da != db)
		return da < db ? -1 : 1;
	return id_a < id_b ? -1 : id_a > id_b;
}

int
kg_store_order_cmp(const struct kg_milestone *a, const struct kg_milestone *b)
{
	return kg_store_order_cmp_at(a->window_end, a->id, b->window_end, b->id);
}

static int
order_cmp(const void *a, const void *b)
{
	return kg_store_order_cmp(a, b);
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
kg_id_list_add(struct kg_id_list *l, int64_t id)
{
	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return -1;
	l->v[l->n++] = id;
	return 0;
}

void
kg_id_list_clear(struct kg_id_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct since_rows {
	struct kg_milestone_list *live;
	struct kg_id_list *ids;
};

static int
add_since_row(sqlite3_stmt *s, void *arg)
{
	struct since_rows *r = arg;

	if (kg_id_list_add(r->ids, sqlite3_column_int64(s, 0)) < 0)
		return -1;
	return sqlite3_column_int(s, KG_MS_NCOLS) ? 0 : add_ms_row(s, r->live);
}

int
kg_store_milestones_since(struct kg_store *st, int64_t rev, struct kg_milestone_list *live,
    struct kg_id_list *ids, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MS_SINCE, err);
	struct since_rows r = { live, ids };
	bool outer;
	int rc = -1;

	if (s == NULL || read_begin(st, &outer, err) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, rev);
	if (each_row(st, s, add_since_row, &r, "querying changed milestones", err) == 0) {
		if (live->n > 1)
			qsort(live->v, live->n, sizeof(*live->v), order_cmp);
		if (ids->n > 1)
			qsort(ids->v, ids->n, sizeof(*ids->v), id_cmp);
		rc = 0;
	} else {
		kg_milestone_list_clear(live);
		kg_id_list_clear(ids);
	}
	read_end(st, outer);
	return rc;
}

int
kg_store_query_plan(struct kg_store *st, const struct kg_query *q, struct kg_strv *out,
    struct kg_err *err)
{
	static const char eqp[] = "EXPLAIN QUERY PLAN ";
	char sql[8192 + sizeof(eqp)];
	sqlite3_stmt *s = NULL;
	int rc = -1, step;

	memcpy(sql, eqp, sizeof(eqp));
	if (build_query(q, q->brief, sql + sizeof(eqp) - 1, sizeof(sql) - sizeof(eqp) + 1,
	    err) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return kg_store_fail(st, err, "preparing query plan");
	if (bind_query(s, q, err) < 0)
		goto out;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if (kg_strv_push(out, (const char *)sqlite3_column_text(s, 3), (size_t)-1) < 0) {
			kg_err_set(err, "out of memory");
			goto out;
		}
	if (step != SQLITE_DONE) {
		kg_store_fail(st, err, "explaining query");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

/* ---- measures ---- */
static int
add_string_row(sqlite3_stmt *s, void *list)
{
	return kg_strv_push(list, (const char *)sqlite3_column_text(s, 0), (size_t)-1);
}

static int
read_strings(struct kg_store *st, sqlite3_stmt *s, struct kg_strv *sv, struct kg_err *err)
{
	return each_row(st, s, add_string_row, sv, "reading measure", err);
}

int
kg_measure_from_row(struct kg_store *st, sqlite3_stmt *row, struct kg_measure *m,
    struct kg_err *err)
{
	sqlite3_stmt *s;
	bool failed = false;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(row, 0);
	m->document_id = sqlite3_column_int64(row, 1);
	m->position = sqlite3_column_int(row, 2);
	m->heading = kg_col_text(row, 3, &failed);
	m->subheading = kg_col_text(row, 4, &failed);
	m->title = kg_col_text(row, 5, &failed);
	m->progress = kg_col_text(row, 6, &failed);
	m->plan = kg_col_text(row, 7, &failed);
	m->continues = sqlite3_column_int64(row, 8);
	if (failed)
		return kg_err_set(err, "out of memory");
	if ((s = kg_store_stmt(st, KG_STMT_OWNERS_OF, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->id);
	if (read_strings(st, s, &m->owners, err) < 0)
		return -1;
	if ((s = kg_store_stmt(st, KG_STMT_NOTES_OF, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->id);
	return read_strings(st, s, &m->notes, err);
}

int
kg_store_measures(struct kg_store *st, struct kg_measure_list *out, struct kg_err *err)
{
	sqlite3_stmt *all = kg_store_stmt(st, KG_STMT_MEASURES_ALL, err);
	struct kg_measure *m;
	int rc;

	if (all == NULL)
		return -1;
	while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
		if ((m = kg_measure_list_add(out)) == NULL) {
			kg_err_set(err, "out of memory");
			goto fail;
		}
		if (kg_measure_from_row(st, all, m, err) < 0)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		kg_store_fail(st, err, "listing measures");
		goto fail;
	}
	sqlite3_reset(all);
	return 0;
fail:
	sqlite3_reset(all);
	kg_measure_list_clear(out);
	return -1;
}

int
kg_store_measure_get(struct kg_store *st, int64_t id, struct kg_measure *out,
    struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MEASURE_BY_ID, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		rc = kg_err_set(err, "no measure '%lld'", (long long)id);
	else if (rc != SQLITE_ROW)
		rc = kg_store_fail(st, err, "reading measure");
	else
		rc = kg_measure_from_row(st, s, out, err);
	sqlite3_reset(s);
	if (rc < 0)
		kg_measure_clear(out);
	return rc < 0 ? -1 : 0;
}

/* Replaces the rows of measure m->id's owners and notes (the owners joined
 * in its own row are written with the row); of one just inserted, only
 * adds them. */
static int
measure_strings(struct kg_store *st, const struct kg_measure *m, bool inserted,
    struct kg_err *err)
{
	static const struct {
		enum kg_stmt del, ins;
		size_t off;
	} lists[] = {
		{ KG_STMT_OWNERS_DELETE, KG_STMT_OWNER_INSERT, offsetof(struct kg_measure, owners) },
		{ KG_STMT_NOTES_DELETE, KG_STMT_NOTE_INSERT, offsetof(struct kg_measure, notes) },
	};
	const struct kg_strv *sv;
	sqlite3_stmt *s;
	size_t i, j;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		sv = (const struct kg_strv *)((const char *)m + lists[i].off);
		if (!inserted) {
			if ((s = kg_store_stmt(st, lists[i].del, err)) == NULL)
				return -1;
			sqlite3_bind_int64(s, 1, m->id);
			if (kg_store_step_done(st, s, err, "writing measure") < 0)
				return -1;
		}
		for (j = 0; j < sv->n; j++) {
			if ((s = kg_store_stmt(st, lists[i].ins, err)) == NULL)
				return -1;
			sqlite3_bind_int64(s, 1, m->id);
			sqlite3_bind_int64(s, 2, (int64_t)j);
			kg_bind_text(s, 3, sv->v[j]);
			if (kg_store_step_done(st, s, err, "writing measure") < 0)
				return -1;
		}
	}
	return 0;
}

char *
kg_store_title_key(const char *s)
{
	utf8proc_uint8_t *nfkc = utf8proc_NFKC((const utf8proc_uint8_t *)s);
	char *r, *w;

	if (nfkc == NULL)
		return NULL;
	for (r = w = (char *)nfkc; *r; r++)
		if (*r != ' ' && *r != '\t' && *r != '\n' && *r != '\r')
			*w++ = *r;
	*w = '\0';
	return (char *)nfkc;
}

/* Insert (m->id == 0) or overwrite a measure, without a transaction of its
 * own.  Its owners, newline-joined, go into its row in the same statement:
 * one write of the row, and the trigger that copies title and owners into
 * its milestones (schema v6) fires once, and only when they changed. */
int
kg_store_measure_write(struct kg_store *st, struct kg_measure *m, const char *plan,
    int occurrence, struct kg_err *err)
{
	sqlite3_stmt *s;
	char *key, *joined;
	bool insert = m->id == 0;
	int rc;

	if (m->title == NULL || *m->title == '\0')
		return kg_err_set(err, "measure has no title");
	if ((key = kg_store_title_key(m->title)) == NULL)
		return kg_err_set(err, "invalid measure title '%s' (not UTF-8)", m->title);
	if ((joined = kg_strv_join(&m->owners)) == NULL && m->owners.n > 0) {
		free(key);
		return kg_err_set(err, "out of memory");
	}
	s = kg_store_stmt(st, m->id ? KG_STMT_MEASURE_UPDATE : KG_STMT_MEASURE_INSERT, err);
	if (s == NULL) {
		free(key);
		free(joined);
		return -1;
	}
	/* Insert numbers its fields from ?1, update from ?2 (?1 is the id). */
	int base = m->id ? 2 : 1;

	if (m->id)
		sqlite3_bind_int64(s, 1, m->id);
	kg_bind_id(s, base, m->document_id);
	sqlite3_bind_int(s, base + 1, m->position);
	kg_bind_text(s, base + 2, m->heading);
	kg_bind_text(s, base + 3, m->subheading);
	kg_bind_text(s, base + 4, m->title);
	kg_bind_text(s, base + 5, key);
	kg_bind_text(s, base + 6, m->progress);
	if (m->id == 0) {
		kg_bind_text(s, 8, plan);
		sqlite3_bind_int(s, 9, occurrence);
	}
	kg_bind_text(s, m->id ? 9 : 10, joined);
	rc = kg_store_step_done(st, s, err, "writing measure");
	free(key);
	free(joined);
	if (rc < 0)
		return -1;
	if (insert)
		m->id = sqlite3_last_insert_rowid(st->db);
	return measure_strings(st, m, insert, err);
}

char *
kg_strv_join(const struct kg_strv *sv)
{
	size_t i, len = 0;
	char *buf, *p;

	if (sv->n == 0)
		return NULL;
	for (i = 0; i < sv->n; i++)
		len += strlen(sv->v[i]) + 1;
	if ((buf = p = malloc(len)) == NULL)
		return NULL;
	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			*p++ = '\n';
		p = stpcpy(p, sv->v[i]);
	}
	return buf;
}

int
kg_strv_split(struct kg_strv *sv, const char *joined)
{
	const char *nl;

	while (joined != NULL && *joined) {
		nl = strchrnul(joined, '\n');
		if (kg_strv_push(sv, joined, (size_t)(nl - joined)) < 0)
			return -1;
		joined = *nl ? nl + 1 : nl;
	}
	return 0;
}

int
kg_store_edition_measure_add(struct kg_store *st, int64_t document_id, int pos,
    const struct kg_measure *m, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_EDM_INSERT, err);
	char *owners = kg_strv_join(&m->owners), *notes = kg_strv_join(&m->notes);
	int rc = -1;

	if (s == NULL)
		goto out;
	if ((m->owners.n && owners == NULL) || (m->notes.n && notes == NULL)) {
		kg_err_set(err, "out of memory");
		goto out;
	}
	sqlite3_bind_int64(s, 1, document_id);
	sqlite3_bind_int(s, 2, pos);
	kg_bind_id(s, 3, m->id);
	kg_bind_text(s, 4, m->title);
	kg_bind_text(s, 5, m->heading);
	kg_bind_text(s, 6, m->subheading);
	kg_bind_text(s, 7, m->progress);
	kg_bind_text(s, 8, owners);
	kg_bind_text(s, 9, notes);
	rc = kg_store_step_done(st, s, err, "recording measure");
out:
	free(owners);
	free(notes);
	return rc;
}

int
kg_store_observation_add(struct kg_store *st, int64_t document_id, int pos,
    int64_t milestone_id, uint64_t ekey, const struct kg_milestone *m, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_OBS_INSERT, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, document_id);
	sqlite3_bind_int(s, 2, pos);
	kg_bind_id(s, 3, m->measure_id);
	kg_bind_id(s, 4, milestone_id);
	sqlite3_bind_int64(s, 5, (int64_t)ekey);
	bind_report_fields(s, 6, m);
	sqlite3_bind_int(s, 15, m->line);
	sqlite3_bind_int(s, 16, m->page);
	sqlite3_bind_int(s, 17, m->uncertain);
	kg_bind_text(s, 18, m->uncertain_reason);
	return kg_store_step_done(st, s, err, "recording observation");
}

int
kg_store_measure_add(struct kg_store *st, struct kg_measure *m, struct kg_err *err)
{
	bool outer;
	int rc;

	m->id = 0;
	if (kg_store_unit_begin(st, &outer, err) < 0)
		return -1;
	rc = kg_store_measure_write(st, m, NULL, 0, err);
	rc = kg_store_unit_end(st, outer, rc, err);
	if (rc < 0)
		m->id = 0;
	return rc;
}

/* ---- documents ---- */

void
kg_document_list_clear(struct kg_document_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		kg_document_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
kg_doc_from_row(sqlite3_stmt *s, struct kg_document *d)
{
	bool failed = false;

	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(s, 0);
	d->name = kg_col_text(s, 1, &failed);
	d->sha256 = kg_col_text(s, 2, &failed);
	d->title = kg_col_text(s, 3, &failed);
	d->as_of = kg_col_day(s, 4);
	d->imported_at = sqlite3_column_int64(s, 5);
	d->summary_json = kg_col_text(s, 6, &failed);
	d->url = kg_col_text(s, 7, &failed);
	d->etag = kg_col_text(s, 8, &failed);
	d->last_modified = kg_col_text(s, 9, &failed);
	d->plan = kg_col_text(s, 10, &failed);
	d->standing = sqlite3_column_int(s, 11) != 0;
	d->removed_at = sqlite3_column_int64(s, 12);
	d->n_new = sqlite3_column_int(s, 13);
	d->n_changed = sqlite3_column_int(s, 14);
	d->n_gone = sqlite3_column_int(s, 15);
	if (failed) {
		kg_document_clear(d);
		return -1;
	}
	return 0;
}

static int
add_document_row(sqlite3_stmt *s, void *list)
{
	struct kg_document_list *l = list;

	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0 ||
	    kg_doc_from_row(s, &l->v[l->n]) < 0)
		return -1;
	l->n++;
	return 0;
}

int
kg_store_documents(struct kg_store *st, struct kg_document_list *out, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_DOCS_ALL, err);

	if (s == NULL || each_row(st, s, add_document_row, out, "listing documents", err) < 0) {
		kg_document_list_clear(out);
		return -1;
	}
	return 0;
}

/* Returns 1 found, 0 not found, -1 error. */
int
kg_store_doc_fetch(struct kg_store *st, sqlite3_stmt *s, struct kg_document *out,
    struct kg_err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		rc = kg_doc_from_row(s, out) < 0 ? kg_err_set(err, "out of memory") : 1;
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = kg_store_fail(st, err, "reading document");
	sqlite3_reset(s);
	return rc;
}

int
kg_store_last_import(struct kg_store *st, struct kg_document *out, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_DOC_LAST, err);

	memset(out, 0, sizeof(*out));
	return s == NULL ? -1 : kg_store_doc_fetch(st, s, out, err);
}

int
kg_store_document_imported(struct kg_store *st, int64_t id, int64_t at, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_DOC_IMPORTED, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	return kg_store_step_done(st, s, err, "recording document");
}

int
kg_store_document_get(struct kg_store *st, const char *ref, struct kg_document *out,
    struct kg_err *err)
{
	sqlite3_stmt *s;
	int64_t id = parse_id(ref);
	int rc;

	memset(out, 0, sizeof(*out));
	if (ref == NULL)
		return kg_err_set(err, "no document given");
	s = kg_store_stmt(st, id > 0 ? KG_STMT_DOC_BY_ID : KG_STMT_DOC_BY_NAME, err);
	if (s == NULL)
		return -1;
	if (id > 0)
		sqlite3_bind_int64(s, 1, id);
	else
		kg_bind_text(s, 1, ref);
	rc = kg_store_doc_fetch(st, s, out, err);
	if (rc == 0)
		return kg_err_set(err, "no document '%s'", ref);
	return rc < 0 ? -1 : 0;
}

/* ---- history ---- */

void
kg_change_list_clear(struct kg_change_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].reason);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
status_col(sqlite3_stmt *s, int i)
{
	return col_enum(s, i, kg_status_parse, KG_STATUS_PLANNED);
}

static int
add_change_row(sqlite3_stmt *s, void *list)
{
	struct kg_change_list *l = list;
	struct kg_change *c;
	bool failed = false;

	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return -1;
	c = &l->v[l->n];
	memset(c, 0, sizeof(*c));
	c->milestone_id = sqlite3_column_int64(s, 0);
	c->at = sqlite3_column_int64(s, 1);
	c->document_id = sqlite3_column_int64(s, 2);
	c->reason = kg_col_text(s, 3, &failed);
	if (failed)
		return -1;
	c->created = sqlite3_column_int(s, 4) != 0;
	c->old_start = kg_col_day(s, 5);
	c->old_end = kg_col_day(s, 6);
	c->new_start = kg_col_day(s, 7);
	c->new_end = kg_col_day(s, 8);
	c->old_status = status_col(s, 9);
	c->new_status = status_col(s, 10);
	c->as_of = kg_col_day(s, 11);
	l->n++;
	return 0;
}

static int
read_changes(struct kg_store *st, sqlite3_stmt *s, struct kg_change_list *out,
    struct kg_err *err)
{
	if (each_row(st, s, add_change_row, out, "reading history", err) < 0) {
		kg_change_list_clear(out);
		return -1;
	}
	return 0;
}

int
kg_store_history(struct kg_store *st, int64_t milestone_id, struct kg_change_list *out,
    struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_HIST_BY_MS, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, milestone_id);
	return read_changes(st, s, out, err);
}

int
kg_store_slipped(struct kg_store *st, int64_t since_doc, struct kg_change_list *out,
    struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_SLIPPED, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, since_doc);
	return read_changes(st, s, out, err);
}

/* ---- for the editions engine ---- */

/* Runs the cached statement which, bound by the caller's bind(), changes rows. */
static int
run_stmt(struct kg_store *st, sqlite3_stmt *s, const char *what, struct kg_err *err)
{
	return s == NULL ? -1 : kg_store_step_done(st, s, err, what);
}

int
kg_store_ms_recompute(struct kg_store *st, const struct kg_milestone *old,
    const struct kg_milestone *now, bool retired, bool substance, int64_t document_id,
    const char *reason, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MS_RECOMPUTE, err);
	struct kg_change c = {0};
	int64_t t = kg_store_now();

	if (s == NULL || validate_ms(now, err) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, old->id);
	bind_ms_fields(s, now);
	sqlite3_bind_int64(s, 16, old->sequence + (substance ? 1 : 0));
	sqlite3_bind_int64(s, 18, substance ? t : old->updated_at);
	kg_bind_id(s, 19, now->completed_at);
	sqlite3_bind_int64(s, 20, due_key(now->window_end));
	sqlite3_bind_int(s, 21, retired);
	if (kg_store_step_done(st, s, err, "updating milestone") < 0)
		return -1;
	if (old->window_start == now->window_start && old->window_end == now->window_end &&
	    old->status == now->status)
		return 0;
	c.milestone_id = old->id;
	c.at = t;
	c.document_id = document_id;
	c.reason = (char *)reason;
	c.old_start = old->window_start;
	c.old_end = old->window_end;
	c.old_status = old->status;
	c.new_start = now->window_start;
	c.new_end = now->window_end;
	c.new_status = now->status;
	return kg_store_history_add(st, &c, err);
}

char *
kg_store_ms_plan(struct kg_store *st, int64_t id, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MS_PLAN, err);
	char *plan = NULL;
	bool failed = false;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && (plan = kg_col_text(s, 0, &failed)) == NULL)
		kg_err_set(err, "out of memory");
	else if (rc == SQLITE_DONE)
		kg_err_set(err, "no milestone '%lld'", (long long)id);
	else if (rc != SQLITE_ROW)
		kg_store_fail(st, err, "reading milestone");
	sqlite3_reset(s);
	return plan;
}

int
kg_store_keep_local(struct kg_store *st, int64_t id, int64_t stand, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MS_KEEP_LOCAL, err);

	if (s != NULL) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, stand);
	}
	return run_stmt(st, s, "settling a conflict", err);
}

int
kg_store_uid_taken(struct kg_store *st, const char *uid, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_UID_EXISTS, err);
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, uid);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return kg_store_fail(st, err, "checking uid");
	return 0;
}

int
kg_store_observation_assign(struct kg_store *st, int64_t document_id, int pos,
    int64_t milestone_id, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_OBS_ASSIGN, err);

	if (s != NULL) {
		sqlite3_bind_int64(s, 1, document_id);
		sqlite3_bind_int(s, 2, pos);
		kg_bind_id(s, 3, milestone_id);
	}
	return run_stmt(st, s, "recording observation", err);
}

int
kg_store_document_stand(struct kg_store *st, int64_t id, bool standing, int64_t stood_at,
    int64_t removed_at, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_DOC_STAND, err);

	if (s != NULL) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, standing);
		sqlite3_bind_int64(s, 3, stood_at);
		sqlite3_bind_int64(s, 4, removed_at);
	}
	return run_stmt(st, s, "recording document", err);
}

int
kg_store_document_counts(struct kg_store *st, int64_t id, const struct kg_import_result *r,
    struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_DOC_COUNTS, err);
	int n[KG_CH_COUNT] = {0};
	size_t i;

	for (i = 0; i < r->n; i++)
		n[r->items[i].what]++;
	if (s != NULL) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, n[KG_CH_NEW]);
		sqlite3_bind_int(s, 3, n[KG_CH_CHANGED]);
		sqlite3_bind_int(s, 4, n[KG_CH_GONE]);
	}
	return run_stmt(st, s, "recording document", err);
}

int
kg_store_document_by_sha(struct kg_store *st, const char *sha256, struct kg_document *out,
    struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_DOC_BY_SHA, err);

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, sha256);
	return kg_store_doc_fetch(st, s, out, err);
}

int
kg_store_measure_retire(struct kg_store *st, int64_t id, bool retired, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MEASURE_RETIRE, err);

	if (s != NULL) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, retired);
	}
	return run_stmt(st, s, "writing measure", err);
}

int
kg_store_measure_continues(struct kg_store *st, int64_t id, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MEASURE_CONTINUES, err);

	if (s != NULL)
		sqlite3_bind_int64(s, 1, id);
	return run_stmt(st, s, "writing measure", err);
}

int
kg_store_meta_set(struct kg_store *st, const char *key, int64_t value, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_META_SET, err);

	if (s != NULL) {
		kg_bind_text(s, 1, key);
		sqlite3_bind_int64(s, 2, value);
	}
	return run_stmt(st, s, "writing meta", err);
}

/* ---- counts: kigen measures, kigen owners ---- */

static void
count_add(struct kg_counts *c, const struct kg_counts *d)
{
	c->milestones += d->milestones;
	c->open += d->open;
	c->done += d->done;
	c->gone += d->gone;
}

int
kg_store_measure_counts(struct kg_store *st, struct kg_measure_counts *out,
    struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_MEASURE_COUNTS, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (kg_array_grow((void **)&out->v, &out->cap, out->n, sizeof(*out->v)) < 0) {
			sqlite3_reset(s);
			kg_measure_counts_clear(out);
			return kg_err_set(err, "out of memory");
		}
		out->v[out->n].measure_id = sqlite3_column_int64(s, 0);
		out->v[out->n].c = (struct kg_counts){ (size_t)sqlite3_column_int64(s, 1),
		    (size_t)sqlite3_column_int64(s, 2), (size_t)sqlite3_column_int64(s, 3),
		    (size_t)sqlite3_column_int64(s, 4) };
		out->n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		kg_measure_counts_clear(out);
		return kg_store_fail(st, err, "counting milestones");
	}
	return 0;
}

const struct kg_counts *
kg_measure_counts_of(const struct kg_measure_counts *mc, int64_t measure_id)
{
	static const struct kg_counts none;
	size_t i;

	for (i = 0; i < mc->n; i++)
		if (mc->v[i].measure_id == measure_id)
			return &mc->v[i].c;
	return &none;
}

void
kg_measure_counts_clear(struct kg_measure_counts *mc)
{
	free(mc->v);
	memset(mc, 0, sizeof(*mc));
}

/* The entry of owner in l, added (zeroed) when new; NULL on ENOMEM. */
static struct kg_owner_count *
owner_entry(struct kg_owner_list *l, const char *owner, size_t len)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].owner) == len && memcmp(l->v[i].owner, owner, len) == 0)
			return &l->v[i];
	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return NULL;
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	if ((l->v[l->n].owner = strndup(owner, len)) == NULL)
		return NULL;
	return &l->v[l->n++];
}

static int
cmp_owner_count(const void *a, const void *b)
{
	const struct kg_owner_count *x = a, *y = b;

	if (x->c.milestones != y->c.milestones)
		return x->c.milestones > y->c.milestones ? -1 : 1;
	return strcmp(x->owner, y->owner);
}

/*
 * Per owner: the measures that name it and their milestones, plus the
 * milestones that name it themselves (kigen add --owner).  A milestone
 * whose measure names the owner and that names it again counts once.
 * O(measures x owners + milestones with own owners): fine for the few
 * hundred bodies a plan names.
 */
int
kg_store_owners(struct kg_store *st, struct kg_owner_list *out, struct kg_err *err)
{
	struct kg_measure_list ml = {0};
	struct kg_measure_counts mc = {0};
	struct kg_owner_count *oc;
	struct kg_counts one;
	sqlite3_stmt *s;
	const char *own, *nl;
	size_t i, j;
	int rc = -1, step;

	memset(out, 0, sizeof(*out));
	if (kg_store_measures(st, &ml, err) < 0 || kg_store_measure_counts(st, &mc, err) < 0)
		goto out;
	for (i = 0; i < ml.n; i++)
		for (j = 0; j < ml.v[i].owners.n; j++) {
			if ((oc = owner_entry(out, ml.v[i].owners.v[j],
			    strlen(ml.v[i].owners.v[j]))) == NULL)
				goto nomem;
			oc->measures++;
			count_add(&oc->c, kg_measure_counts_of(&mc, ml.v[i].id));
		}
	if ((s = kg_store_stmt(st, KG_STMT_OWN_OWNERS, err)) == NULL)
		goto out;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		one = (struct kg_counts){ 1, (size_t)sqlite3_column_int(s, 1),
		    (size_t)sqlite3_column_int(s, 2), (size_t)sqlite3_column_int(s, 3) };
		for (own = (const char *)sqlite3_column_text(s, 0); own && *own; own = nl) {
			nl = strchrnul(own, '\n');
			if ((oc = owner_entry(out, own, (size_t)(nl - own))) == NULL) {
				sqlite3_reset(s);
				goto nomem;
			}
			count_add(&oc->c, &one);
			if (*nl)
				nl++;
		}
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE) {
		kg_store_fail(st, err, "counting owners");
		goto out;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_owner_count);
	rc = 0;
	goto out;
nomem:
	kg_err_set(err, "out of memory");
out:
	if (rc < 0)
		kg_owner_list_clear(out);
	kg_measure_list_clear(&ml);
	kg_measure_counts_clear(&mc);
	return rc;
}

void
kg_owner_list_clear(struct kg_owner_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].owner);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
