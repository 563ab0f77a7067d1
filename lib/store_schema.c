/*
 * store_schema — the database schema as a list of forward migrations, and
 * the step that runs them when a database is opened (store.h).
 *
 * migrations[v] takes a database from user_version v to v + 1: SQL, then
 * an optional C step for what SQL alone cannot compute (NFKC plan keys,
 * event hashes).  To change the schema, append one entry; never edit a
 * shipped one.  kg_store_migrate runs the missing ones in one transaction
 * and sets user_version.
 *
 *   v1  documents, measures, milestones, history
 *   v2  the webhook outbox (lib/outbox.c) and endpoint state
 *   v3  editions: every imported version is kept (observations: what it
 *       said about each milestone; edition_measures: its measures), local
 *       edits apart (local_mask), open conflicts, retired rows; the fields
 *       uncertain / uncertain_reason / page of a milestone and url / etag /
 *       last_modified of a document; the outbox status 'cancelled'
 *   v4  measures.owners: a measure's owners newline-joined beside its rows
 *       in measure_owners, so a listing reads them with the measure's title
 *       (one join) instead of one query per measure
 *   v5  edition_measures as a rowid table (long progress paragraphs stay
 *       in their page instead of an overflow page each)
 *   v6  milestones.measure_title / measure_owners: what a listing shows of
 *       the measure, in the milestone's row (a due window reads only its
 *       own pages), kept true by two triggers
 *   v7  marks for readers that follow the database by its changes
 *       (kigend's publisher): milestones.rev with its index, meta.rev and
 *       meta.reshaped, and the triggers that bump reshaped (store.h,
 *       kg_store_marks)
 *   v8  milestones_open: the open milestones by deadline with the columns
 *       a listing table shows, in place of milestones_open_due
 */
#include "store.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int migrate_v3_data(struct kg_store *st, struct kg_err *err);

/* The outbox as of v3; v2 had the same table without 'cancelled'. */
#define OUTBOX_TABLE(name, statuses) \
	"CREATE TABLE " name " (" \
	"  id INTEGER PRIMARY KEY," \
	"  endpoint TEXT NOT NULL," \
	"  milestone_id INTEGER NOT NULL REFERENCES milestones(id) ON DELETE CASCADE," \
	"  lead_days INTEGER NOT NULL," \
	"  deadline INTEGER NOT NULL," \
	"  type TEXT NOT NULL," \
	"  webhook_id TEXT NOT NULL UNIQUE," \
	"  body TEXT NOT NULL," \
	"  fire_at INTEGER NOT NULL," \
	"  expires_at INTEGER," \
	"  late INTEGER NOT NULL DEFAULT 0," \
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (" statuses "))," \
	"  attempts INTEGER NOT NULL DEFAULT 0," \
	"  next_attempt_at INTEGER NOT NULL," \
	"  last_attempt_at INTEGER," \
	"  last_http_status INTEGER," \
	"  last_error TEXT," \
	"  created_at INTEGER NOT NULL," \
	"  done_at INTEGER," \
	"  UNIQUE (endpoint, milestone_id, lead_days, deadline)" \
	");"
/* What one document said about a measure: WITHOUT ROWID in v3, a rowid
 * table from v5 on (options). */
#define EDITION_MEASURES_TABLE(name, options) \
	"CREATE TABLE " name " (" \
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE," \
	"  pos INTEGER NOT NULL," \
	"  measure_id INTEGER REFERENCES measures(id) ON DELETE SET NULL," \
	"  title TEXT NOT NULL," \
	"  heading TEXT," \
	"  subheading TEXT," \
	"  progress TEXT," \
	"  owners TEXT,"  /* newline-joined */ \
	"  notes TEXT,"   /* newline-joined */ \
	"  PRIMARY KEY (document_id, pos)" \
	")" options ";"
/* A trigger that bumps meta.reshaped (v7). */
#define RESHAPED_TRIGGER(name, event, when) \
	"CREATE TRIGGER " name " AFTER " event when \
	" BEGIN UPDATE meta SET value = value + 1 WHERE key = 'reshaped'; END;"
#define OUTBOX_INDEXES \
	"CREATE INDEX outbox_pending ON outbox(endpoint, next_attempt_at)" \
	"  WHERE status = 'pending';" \
	"CREATE INDEX outbox_status ON outbox(status, id);" \
	"CREATE INDEX outbox_milestone ON outbox(milestone_id);"

static const struct migration {
	const char *sql;
	int (*data)(struct kg_store *st, struct kg_err *err);
} migrations[] = {
	/* v0 -> v1: documents, measures, milestones, history. */
	{
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT"
	") WITHOUT ROWID;"
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  title TEXT,"
	"  plan TEXT NOT NULL DEFAULT '',"
	"  as_of INTEGER,"
	"  imported_at INTEGER NOT NULL,"
	"  summary_json TEXT"
	");"
	"CREATE TABLE measures ("
	"  id INTEGER PRIMARY KEY,"
	"  document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,"
	"  position INTEGER NOT NULL DEFAULT 0,"
	"  heading TEXT,"
	"  subheading TEXT,"
	"  title TEXT NOT NULL,"
	"  title_key TEXT NOT NULL,"
	"  progress TEXT"
	");"
	"CREATE INDEX measures_title_key ON measures(title_key);"
	"CREATE TABLE measure_owners ("
	"  measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  PRIMARY KEY (measure_id, position)"
	") WITHOUT ROWID;"
	"CREATE INDEX measure_owners_owner ON measure_owners(owner, measure_id);"
	"CREATE TABLE measure_notes ("
	"  measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  note TEXT NOT NULL,"
	"  PRIMARY KEY (measure_id, position)"
	") WITHOUT ROWID;"
	"CREATE TABLE milestones ("
	"  due INTEGER NOT NULL,"
	"  id INTEGER NOT NULL,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  measure_id INTEGER REFERENCES measures(id) ON DELETE SET NULL,"
	"  title TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  certainty TEXT NOT NULL,"
	"  window_start INTEGER,"
	"  window_end INTEGER,"
	"  precision TEXT NOT NULL,"
	"  expr TEXT,"
	"  sentence TEXT,"
	"  document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  manual INTEGER NOT NULL DEFAULT 0,"
	"  gone INTEGER NOT NULL DEFAULT 0,"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  owners TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  completed_at INTEGER,"
	"  PRIMARY KEY (due, id)"
	") WITHOUT ROWID;"
	"CREATE UNIQUE INDEX milestones_id ON milestones(id);"
	"CREATE INDEX milestones_open_due ON milestones(due)"
	"  WHERE status IN ('planned', 'ongoing');"
	"INSERT INTO meta (key, value) VALUES ('last_milestone_id', 0);"
	"CREATE INDEX milestones_measure ON milestones(measure_id);"
	"CREATE TABLE milestone_history ("
	"  id INTEGER PRIMARY KEY,"
	"  milestone_id INTEGER NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,"
	"  reason TEXT NOT NULL,"
	"  created INTEGER NOT NULL DEFAULT 0,"
	"  old_start INTEGER, old_end INTEGER,"
	"  new_start INTEGER, new_end INTEGER,"
	"  old_status TEXT, new_status TEXT"
	");"
	"CREATE INDEX milestone_history_milestone ON milestone_history(milestone_id, id);"
	"CREATE INDEX milestone_history_document ON milestone_history(document_id);",
	NULL },
	/* v1 -> v2: the webhook outbox (lib/outbox.c) and endpoint state. */
	{
	OUTBOX_TABLE("outbox", "'pending', 'in_flight', 'delivered', 'failed', 'abandoned'")
	OUTBOX_INDEXES
	"CREATE TABLE webhook_endpoints ("
	"  name TEXT PRIMARY KEY,"
	"  gone_url TEXT,"
	"  gone_at INTEGER"
	") WITHOUT ROWID;",
	NULL },
	/* v2 -> v3: editions, local edits, new fields, outbox 'cancelled'. */
	{
	"ALTER TABLE milestones ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE milestones ADD COLUMN uncertain_reason TEXT;"
	"ALTER TABLE milestones ADD COLUMN page INTEGER NOT NULL DEFAULT 0;"
	/* plan key of an imported milestone; NULL for one made by hand */
	"ALTER TABLE milestones ADD COLUMN plan TEXT;"
	"ALTER TABLE milestones ADD COLUMN local_mask INTEGER NOT NULL DEFAULT 0;"
	/* meta.last_stand when the local edit (or a resolve) was made */
	"ALTER TABLE milestones ADD COLUMN local_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE milestones ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;"
	/* no standing edition mentions it any more (unimport): kept, not listed */
	"ALTER TABLE milestones ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX milestones_plan ON milestones(plan) WHERE plan IS NOT NULL;"
	"CREATE INDEX milestones_conflict ON milestones(id) WHERE conflict <> 0;"
	"ALTER TABLE documents ADD COLUMN url TEXT;"
	"ALTER TABLE documents ADD COLUMN etag TEXT;"
	"ALTER TABLE documents ADD COLUMN last_modified TEXT;"
	/* the version of its edition (plan, as_of) that counts */
	"ALTER TABLE documents ADD COLUMN standing INTEGER NOT NULL DEFAULT 1;"
	/* meta.last_stand when it last became the standing version */
	"ALTER TABLE documents ADD COLUMN stood_at INTEGER NOT NULL DEFAULT 0;"
	/* kigen unimport: kept (ids are never reused), out of every edition */
	"ALTER TABLE documents ADD COLUMN removed_at INTEGER;"
	/* what its import did, for kigen imports */
	"ALTER TABLE documents ADD COLUMN n_new INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE documents ADD COLUMN n_changed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE documents ADD COLUMN n_gone INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX documents_plan ON documents(plan, as_of);"
	"ALTER TABLE measures ADD COLUMN plan TEXT;"
	/* identity within a plan: (plan, title_key, occurrence) */
	"ALTER TABLE measures ADD COLUMN occurrence INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE measures ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
	/* the measure of an earlier plan this one continues (same title) */
	"ALTER TABLE measures ADD COLUMN continues INTEGER"
	"  REFERENCES measures(id) ON DELETE SET NULL;"
	"CREATE INDEX measures_plan ON measures(plan, title_key);"
	/* what one document said about a measure */
	EDITION_MEASURES_TABLE("edition_measures", " WITHOUT ROWID")
	/* what one document said about a milestone */
	"CREATE TABLE observations ("
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  measure_id INTEGER REFERENCES measures(id) ON DELETE SET NULL,"
	"  milestone_id INTEGER REFERENCES milestones(id) ON DELETE SET NULL,"
	"  ekey INTEGER NOT NULL,"  /* content hash: kg_store_event_key */
	"  title TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  certainty TEXT NOT NULL,"
	"  window_start INTEGER,"
	"  window_end INTEGER,"
	"  precision TEXT NOT NULL,"
	"  expr TEXT,"
	"  sentence TEXT,"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  page INTEGER NOT NULL DEFAULT 0,"
	"  uncertain INTEGER NOT NULL DEFAULT 0,"
	"  uncertain_reason TEXT,"
	"  PRIMARY KEY (document_id, pos)"
	") WITHOUT ROWID;"
	"CREATE INDEX observations_milestone ON observations(milestone_id);"
	/* grows each time a version stands (import or re-import) */
	"INSERT INTO meta (key, value) VALUES ('last_stand', 0);"
	/* CHECK constraints cannot be altered: the outbox is copied over. */
	OUTBOX_TABLE("outbox_v3",
	    "'pending', 'in_flight', 'delivered', 'failed', 'abandoned', 'cancelled'")
	"INSERT INTO outbox_v3 SELECT * FROM outbox;"
	"DROP TABLE outbox;"
	"ALTER TABLE outbox_v3 RENAME TO outbox;"
	OUTBOX_INDEXES,
	migrate_v3_data },
	/* v3 -> v4: a measure's owners in its row (kg_store_milestones reads
	 * them with the measure's title); measure_owners stays the index the
	 * --owner filter probes. */
	{
	"ALTER TABLE measures ADD COLUMN owners TEXT;"  /* newline-joined, by position */
	"UPDATE measures SET owners = (SELECT group_concat(owner, char(10)) FROM"
	"  (SELECT owner FROM measure_owners o WHERE o.measure_id = measures.id"
	"   ORDER BY o.position));",
	NULL },
	/* v4 -> v5: edition_measures as a rowid table.  WITHOUT ROWID keeps a
	 * row in its b-tree page only up to about 1 KB and sends the rest to an
	 * overflow page of its own; a measure's progress paragraph is often
	 * longer, and such a row took 4.6 KB (a third of the database at 100k
	 * milestones).  A rowid table keeps rows up to a page inline. */
	{
	EDITION_MEASURES_TABLE("edition_measures_v5", "")
	"INSERT INTO edition_measures_v5 SELECT document_id, pos, measure_id, title, heading,"
	"  subheading, progress, owners, notes FROM edition_measures;"
	"DROP TABLE edition_measures;"
	"ALTER TABLE edition_measures_v5 RENAME TO edition_measures;",
	NULL },
	/* v5 -> v6: the measure's title and owners (measures.owners) copied
	 * into each of its milestones, so that a listing reads the rows of its
	 * due window and nothing else: through the join, each row of a window
	 * read one measures page (measures rows are large: progress text), 700
	 * random pages for 789 rows at 100k milestones.  Kept true by SQL
	 * itself: the milestone insert takes them with the row (KG_STMT_MS_INSERT;
	 * an import passes those of a measure it has just written),
	 * a measure renamed or given other owners passes them on to its
	 * milestones, and a milestone moved to another measure takes that
	 * one's.  The WHEN clauses keep the rewrite of an unchanged measure (an
	 * import writes every measure again) and the update of a milestone that
	 * stays with its measure free of any extra write. */
	{
	"ALTER TABLE milestones ADD COLUMN measure_title TEXT;"
	"ALTER TABLE milestones ADD COLUMN measure_owners TEXT;"  /* newline-joined */
	"UPDATE milestones SET (measure_title, measure_owners) = (SELECT title, owners"
	"  FROM measures ms WHERE ms.id = milestones.measure_id)"
	"  WHERE measure_id IS NOT NULL;"
	"CREATE TRIGGER measures_listed AFTER UPDATE OF title, owners ON measures"
	"  WHEN NEW.title IS NOT OLD.title OR NEW.owners IS NOT OLD.owners BEGIN"
	"  UPDATE milestones SET measure_title = NEW.title, measure_owners = NEW.owners"
	"   WHERE measure_id = NEW.id;"
	"  END;"
	"CREATE TRIGGER milestones_measure_moved AFTER UPDATE OF measure_id ON milestones"
	"  WHEN NEW.measure_id IS NOT OLD.measure_id BEGIN"
	"  UPDATE milestones SET (measure_title, measure_owners) = (SELECT title, owners"
	"   FROM measures ms WHERE ms.id = NEW.measure_id)"
	"   WHERE due = NEW.due AND id = NEW.id;"
	"  END;",
	NULL },
	/* v6 -> v7: change marks (kg_store_marks).  A milestone's statements
	 * set its rev to meta.rev + 1 (KG_REV_NEXT) and write units bump
	 * meta.rev, so the rows written since a reader's snapshot are those
	 * above the rev it saw.  What a reader cannot follow row by row bumps
	 * meta.reshaped: a deleted milestone, any write to measures or
	 * documents, an observation rewritten or deleted (new observations
	 * come with their document), and an update of a milestone that did
	 * not set its rev (the guard that keeps a forgotten statement from
	 * going unseen).  These are rare or come with a document; the inserts
	 * and updates of milestones, which imports make by the 100,000, run no
	 * trigger body. */
	{
	"ALTER TABLE milestones ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX milestones_rev ON milestones(rev);"
	"INSERT INTO meta (key, value) VALUES ('rev', 0), ('reshaped', 0);"
	RESHAPED_TRIGGER("milestones_deleted", "DELETE ON milestones", "")
	RESHAPED_TRIGGER("milestones_unmarked", "UPDATE ON milestones",
	    " WHEN NEW.rev <= (SELECT value + 0 FROM meta WHERE key = 'rev')")
	RESHAPED_TRIGGER("measures_inserted", "INSERT ON measures", "")
	RESHAPED_TRIGGER("measures_updated", "UPDATE ON measures", "")
	RESHAPED_TRIGGER("measures_deleted", "DELETE ON measures", "")
	RESHAPED_TRIGGER("documents_inserted", "INSERT ON documents", "")
	RESHAPED_TRIGGER("documents_updated", "UPDATE ON documents", "")
	RESHAPED_TRIGGER("documents_deleted", "DELETE ON documents", "")
	RESHAPED_TRIGGER("observations_updated", "UPDATE ON observations", "")
	RESHAPED_TRIGGER("observations_deleted", "DELETE ON observations", ""),
	NULL },
	/* v7 -> v8: the index of open milestones by deadline carries what a
	 * listing table shows and filters on (kg_query.brief), so that
	 * `upcoming` and `overdue` read that narrow index alone: the table's
	 * rows hold 33 columns (sentence, expression, plan...) whose record
	 * header every row read decoded.  It replaces milestones_open_due,
	 * which the webhook deadlines (outbox.c) read the same way. */
	{
	"DROP INDEX milestones_open_due;"
	"CREATE INDEX milestones_open ON milestones(due, id, status, gone, retired, kind,"
	"  measure_id, conflict, uncertain, window_end, title, measure_title, measure_owners,"
	"  owners) WHERE status IN ('planned', 'ongoing');",
	NULL },
};

#define KG_SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int
user_version(struct kg_store *st, int *out, struct kg_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return kg_store_fail(st, err, "reading schema version");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return kg_store_fail(st, err, "reading schema version");
	return 0;
}

int
kg_store_migrate(struct kg_store *st, bool readonly, struct kg_err *err)
{
	char sql[64];
	int v, rc = -1;

	if (user_version(st, &v, err) < 0)
		return -1;
	if (v > KG_SCHEMA_VERSION)
		return kg_err_set(err, "database '%s' is schema v%d, this kigen knows up to v%d",
		    st->path, v, KG_SCHEMA_VERSION);
	if (v == KG_SCHEMA_VERSION)
		return 0;
	if (readonly)
		return kg_err_set(err, "database '%s' is schema v%d and needs migrating to v%d; "
		    "open it read-write once", st->path, v, KG_SCHEMA_VERSION);
	if (kg_store_begin(st, err) < 0)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (user_version(st, &v, err) < 0)
		goto out;
	for (; v < KG_SCHEMA_VERSION; v++) {
		if (kg_store_exec(st, migrations[v].sql, err) < 0)
			goto out;
		if (migrations[v].data != NULL && migrations[v].data(st, err) < 0)
			goto out;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", KG_SCHEMA_VERSION);
	if (kg_store_exec(st, sql, err) < 0)
		goto out;
	rc = kg_store_commit(st, err);
out:
	if (rc < 0)
		kg_store_rollback(st);
	return rc;
}

/* ---- v3: the editions of a v2 database ---- */

/* Prepares sql on st (finalised by the caller); NULL with err set. */
static sqlite3_stmt *
prepare(struct kg_store *st, const char *sql, struct kg_err *err)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		kg_store_fail(st, err, "migrating to v3");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Plan keys by the v3 rule (kg_store_plan_key); each document stands, the
 * last imported of an edition (plan, as_of) alone when there are several,
 * as v2 let the last import decide. */
static int
v3_documents(struct kg_store *st, struct kg_err *err)
{
	sqlite3_stmt *sel = prepare(st, "SELECT id, title FROM documents ORDER BY id", err);
	sqlite3_stmt *upd = prepare(st, "UPDATE documents SET plan = ?2, stood_at = ?1"
	    " WHERE id = ?1", err);
	char *plan;
	int rc = -1, step;

	if (sel == NULL || upd == NULL)
		goto out;
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		plan = kg_store_plan_key((const char *)sqlite3_column_text(sel, 1));
		if (plan == NULL) {
			kg_err_set(err, "document %lld: title is not valid UTF-8",
			    (long long)sqlite3_column_int64(sel, 0));
			goto out;
		}
		sqlite3_reset(upd);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_text(upd, 2, plan, -1, free);
		if (kg_store_step_done(st, upd, err, "migrating documents") < 0)
			goto out;
	}
	if (step != SQLITE_DONE) {
		kg_store_fail(st, err, "migrating documents");
		goto out;
	}
	rc = kg_store_exec(st,
	    "UPDATE documents SET standing = id = (SELECT max(d.id) FROM documents d"
	    "  WHERE d.plan = documents.plan AND d.as_of IS documents.as_of);"
	    "UPDATE meta SET value = (SELECT coalesce(max(id), 0) FROM documents)"
	    "  WHERE key = 'last_stand';"
	    "UPDATE measures SET plan = (SELECT plan FROM documents d"
	    "  WHERE d.id = measures.document_id);"
	    "UPDATE measures SET occurrence = (SELECT count(*) FROM measures e"
	    "  WHERE e.plan = measures.plan AND e.title_key = measures.title_key"
	    "  AND e.id < measures.id) WHERE plan IS NOT NULL;"
	    "UPDATE milestones SET plan = (SELECT plan FROM documents d"
	    "  WHERE d.id = milestones.document_id),"
	    "  local_mask = CASE WHEN manual THEN 31 ELSE 0 END"
	    "  WHERE document_id IS NOT NULL;", err);
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

/*
 * One observation per imported milestone, as v2 knew it: a gone one in the
 * document that last mentioned it, the others in the plan's last import
 * (which mentioned them all).  What each earlier report said is lost in
 * v2; the current fields stand in for it.  The SQL names its columns: a
 * later version's columns do not exist yet when this step runs.
 */
static int
v3_observations(struct kg_store *st, struct kg_err *err)
{
	enum { C_ID, C_PLAN, C_MKEY, C_KIND, C_EXPR, C_SENTENCE, C_GONE, C_DOC, C_LAST,
	    C_FIELDS };
	static const char select[] = "SELECT m.id, m.plan, ms.title_key, m.kind, m.expr,"
	    " m.sentence, m.gone, m.document_id,"
	    " (SELECT max(d.id) FROM documents d WHERE d.plan = m.plan),"
	    " m.measure_id, m.title, m.kind, m.status, m.certainty, m.window_start,"
	    " m.window_end, m.precision, m.expr, m.sentence, m.line"
	    " FROM milestones m LEFT JOIN measures ms ON ms.id = m.measure_id"
	    " WHERE m.plan IS NOT NULL ORDER BY m.id";
	static const char insert[] = "INSERT INTO observations (document_id, pos,"
	    " milestone_id, ekey, measure_id, title, kind, status, certainty, window_start,"
	    " window_end, precision, expr, sentence, line) VALUES (?1, ?2, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	sqlite3_stmt *sel = prepare(st, select, err), *ins = prepare(st, insert, err);
	struct kg_u64map seen = {0};
	uint64_t key;
	int rc = -1, step, occurrence, i;

	if (sel == NULL || ins == NULL)
		goto out;
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		/* identical events of one plan: the first, the second... */
		occurrence = 0;
		do
			key = kg_store_event_key((const char *)sqlite3_column_text(sel, C_PLAN),
			    (const char *)sqlite3_column_text(sel, C_MKEY),
			    (const char *)sqlite3_column_text(sel, C_KIND),
			    (const char *)sqlite3_column_text(sel, C_EXPR),
			    (const char *)sqlite3_column_text(sel, C_SENTENCE), occurrence++);
		while (kg_u64map_get(&seen, key, NULL));
		if (kg_u64map_put(&seen, key, 1) < 0) {
			kg_err_set(err, "out of memory");
			goto out;
		}
		sqlite3_reset(ins);
		sqlite3_bind_value(ins, 1, sqlite3_column_value(sel,
		    sqlite3_column_int(sel, C_GONE) ? C_DOC : C_LAST));
		sqlite3_bind_value(ins, 2, sqlite3_column_value(sel, C_ID));
		sqlite3_bind_int64(ins, 3, (int64_t)key);
		for (i = C_FIELDS; i < sqlite3_column_count(sel); i++)
			sqlite3_bind_value(ins, 4 + i - C_FIELDS, sqlite3_column_value(sel, i));
		if (kg_store_step_done(st, ins, err, "migrating milestones") < 0)
			goto out;
	}
	if (step != SQLITE_DONE) {
		kg_store_fail(st, err, "migrating milestones");
		goto out;
	}
	rc = 0;
out:
	kg_u64map_clear(&seen);
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return rc;
}

/* What each document said about a measure: its current fields, in the
 * document that last updated it and in each document holding one of its
 * milestones' observations.  A measure's id is a unique position. */
static const char v3_edition_measures[] =
	"INSERT INTO edition_measures (document_id, pos, measure_id, title, heading,"
	"  subheading, progress, owners, notes)"
	" SELECT x.document_id, m.id, m.id, m.title, m.heading, m.subheading, m.progress,"
	"  (SELECT group_concat(owner, char(10)) FROM (SELECT owner FROM measure_owners o"
	"    WHERE o.measure_id = m.id ORDER BY o.position)),"
	"  (SELECT group_concat(note, char(10)) FROM (SELECT note FROM measure_notes n"
	"    WHERE n.measure_id = m.id ORDER BY n.position))"
	" FROM (SELECT document_id, id AS measure_id FROM measures WHERE plan IS NOT NULL"
	"  UNION SELECT document_id, measure_id FROM observations"
	"  WHERE measure_id IS NOT NULL) x"
	" JOIN measures m ON m.id = x.measure_id;";

static int
migrate_v3_data(struct kg_store *st, struct kg_err *err)
{
	if (v3_documents(st, err) < 0 || v3_observations(st, err) < 0)
		return -1;
	return kg_store_exec(st, v3_edition_measures, err);
}
