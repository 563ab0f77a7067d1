/*
 * store — all of kigen's state in one SQLite file.
 *
 * The database is the single source of truth shared by the CLI (which writes
 * in transactions) and kigend (which notices changes through
 * kg_store_data_version and re-plans).  WAL mode, busy_timeout, foreign keys
 * on; the schema is versioned with PRAGMA user_version and migrated forward
 * on open (never on a read-only open).
 *
 * Every function returns 0 on success and -1 with a message in err on
 * failure, unless documented otherwise.  A function that fails inside a
 * multi-row change rolls it back: the database is never left half-written.
 * Lists filled by query functions are owned by the caller (kg_*_list_clear).
 */
#ifndef KG_STORE_H
#define KG_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

struct kg_store;
struct sqlite3;

enum {
	KG_STORE_READONLY = 1 << 0, /* open read-only; fail if the file is missing */
	KG_STORE_CREATE = 1 << 1,   /* create the file if missing (its directory must exist) */
	KG_STORE_MKDIR = 1 << 2,    /* create the file and its directory: only for the
	                             * per-user default path, as XDG asks */
	KG_STORE_MAPPED = 1 << 3,   /* read the file through mmap, not into SQLite's
	                             * own page cache: for a short-lived reader of
	                             * most of the file (it reads each page once) */
	KG_STORE_SMALL_CACHE = 1 << 4, /* a page cache of 16 pages: for a
	                             * short-lived reader of a few pages, each read
	                             * once (a due window, one milestone), which the
	                             * default cache gave new memory page by page */
};

/* PRAGMA application_id of a kigen database ("kign"). */
#define KG_STORE_APPLICATION_ID 0x6b69676e

/*
 * Opens (and migrates) the database at path.  *out is owned by the caller
 * and released with kg_store_close.
 *
 * Refused with one line before anything is changed (no WAL switch, no
 * table, no user_version): a directory, a FIFO or any other non-regular
 * file, a missing directory (unless KG_STORE_MKDIR), a file that is no
 * SQLite database, and an SQLite file of another program (its
 * application_id, or tables that are not kigen's).  A kigen database from
 * before application_id (user_version >= 1 with kigen's tables) is adopted
 * and marked.  A failure for want of disk space says so.
 */
int kg_store_open(const char *path, int flags, struct kg_store **out, struct kg_err *err);
void kg_store_close(struct kg_store *st); /* NULL is fine */

/* True when this open created the database (or found the file empty):
 * kigend says so loudly, since a mistyped path would serve nothing. */
bool kg_store_created(const struct kg_store *st);

/* How long a write waits for another connection's lock before failing with
 * "database is locked" (default 5000 ms; the daemon may want less). */
void kg_store_set_busy_timeout(struct kg_store *st, int ms);

/* After waiting this long for the write lock, kg_store_set_wait's callback
 * is told who holds it. */
#define KG_STORE_WAIT_TELL_MS 1000
typedef void kg_store_wait_cb(void *arg, const char *holder);

/*
 * How a writer waits for another connection's write lock (instead of the
 * 5 s busy timeout): up to max_ms, and once per wait, after
 * KG_STORE_WAIT_TELL_MS, waiting(arg, holder) is called with who holds it
 * ("kigen import (pid 9131)", dbfile.h) so a person is not left guessing.
 * A wait that runs out fails with "database is locked by <holder>".
 */
void kg_store_set_wait(struct kg_store *st, int max_ms, kg_store_wait_cb *waiting, void *arg);

/* The underlying handle, for store-layer modules with SQL of their own
 * (outbox.c).  Borrowed: valid until kg_store_close. */
struct sqlite3 *kg_store_db(struct kg_store *st);

/* Explicit transactions for callers that combine several calls. */
int kg_store_begin(struct kg_store *st, struct kg_err *err);
int kg_store_commit(struct kg_store *st, struct kg_err *err);
void kg_store_rollback(struct kg_store *st);

/* PRAGMA data_version: changes when another connection committed.  Cheap;
 * the daemon polls it about once a second. */
int64_t kg_store_data_version(struct kg_store *st);

/* ---- milestones ---- */

/* Resolves "ID" as the CLI and API accept it: the integer id or the full UID.
 * Not found: -1, "no milestone '<ref>'". */
int kg_store_milestone_get(struct kg_store *st, const char *ref,
    struct kg_milestone *out, struct kg_err *err);

/* Inserts m (manual entry or import).  Sets m->id, m->uid (unless the caller
 * gave one), m->sequence = 0, created/updated times. */
int kg_store_milestone_add(struct kg_store *st, struct kg_milestone *m, struct kg_err *err);

/* Writes every field of m over the row m->id, bumps sequence when anything
 * changed, sets updated_at (and completed_at on a change to done), and
 * records window/status changes in the history with `reason` ("edit",
 * "done", "import <doc name>"...).  m->sequence is updated. */
int kg_store_milestone_update(struct kg_store *st, struct kg_milestone *m,
    const char *reason, struct kg_err *err);

/* Deletes the milestone and its history for good (rm --purge). */
int kg_store_milestone_purge(struct kg_store *st, int64_t id, struct kg_err *err);

enum kg_order {
	KG_ORDER_DUE,      /* window_end, then id; open ends last */
	KG_ORDER_ID,
};

struct kg_query {
	struct kg_filter filter;
	kg_day due_from;   /* window_end >= due_from; KG_DAY_NONE = no bound */
	kg_day due_to;     /* window_end <= due_to; KG_DAY_NONE = no bound */
	bool open_only;    /* only planned/ongoing (upcoming, overdue, reminders) */
	int gone;          /* -1 any, 0 not gone, 1 only gone (see kg_milestone.gone) */
	enum kg_order order;
	/* kg_store_milestones_each only: only what a listing table shows is
	 * read: id, title, status, window_end, gone, conflict, uncertain,
	 * measure_title and owners; the other fields are as for an empty
	 * column (0, NULL, KG_DAY_NONE, the enums' fallbacks).  The text
	 * columns a table never shows (sentence, expression, uid) are most of
	 * a row's cost. */
	bool brief;
};

/* Sets q to "everything, by due date" (gone ones too). */
void kg_query_init(struct kg_query *q);

/* Milestones matching q, with measure_title and owners filled in.  A due
 * range reads the table's clustered (due, id) range, or milestones_open
 * for a brief listing of open ones; filters that SQL cannot use cheaply
 * run in C. */
int kg_store_milestones(struct kg_store *st, const struct kg_query *q,
    struct kg_milestone_list *out, struct kg_err *err);

/*
 * The milestones of q (as kg_store_milestones, in the same order) handed
 * one by one to each, in one read transaction, nothing kept: a listing
 * pays for no copy of its rows.  m is lent for the call: with q->brief its
 * strings and owners are the store's own, valid until each returns
 * (kg_milestone_copy keeps one).  each returns 0 to go on, -1 when out of
 * memory (the call then stops and fails with "out of memory").
 */
int kg_store_milestones_each(struct kg_store *st, const struct kg_query *q,
    int (*each)(const struct kg_milestone *m, void *arg), void *arg, struct kg_err *err);

/*
 * Following the database by its changes (kigend's publisher).  rev grows
 * with every write unit that changed milestones, and every milestone
 * written carries a rev above the rev of every snapshot taken before the
 * write: the milestones changed since a snapshot that saw rev R are those
 * of kg_store_milestones_since(R).  reshaped grows with every change that
 * cannot be followed that way (a milestone deleted, any measure or
 * document written, observations rewritten): a reader that sees it move
 * reads everything again.  Read both in the same read transaction as the
 * data they describe.
 */
struct kg_store_marks {
	int64_t rev, reshaped;
};

/* An owned, growing array of ids. */
struct kg_id_list {
	int64_t *v;
	size_t n, cap;
};
int kg_id_list_add(struct kg_id_list *l, int64_t id); /* -1 on ENOMEM */
void kg_id_list_clear(struct kg_id_list *l);

int kg_store_marks(struct kg_store *st, struct kg_store_marks *out, struct kg_err *err);

/* The milestones written after rev: the ids of all of them appended to
 * ids (ascending), the ones still listed (not retired) to live, in kg_store_milestones'
 * order (KG_ORDER_DUE), measure_title and owners filled in.  Cost follows
 * the rows written (an index on rev), not the table.  On failure both
 * lists are cleared. */
int kg_store_milestones_since(struct kg_store *st, int64_t rev, struct kg_milestone_list *live,
    struct kg_id_list *ids, struct kg_err *err);

/* The order of KG_ORDER_DUE listings: due date (open ends last), then id;
 * <0, 0, >0 as for qsort.  _at compares by those two fields alone. */
int kg_store_order_cmp(const struct kg_milestone *a, const struct kg_milestone *b);
int kg_store_order_cmp_at(kg_day end_a, int64_t id_a, kg_day end_b, int64_t id_b);

/* The EXPLAIN QUERY PLAN lines of the SQL kg_store_milestones runs for q,
 * appended to out (tests and the benchmark show the index use with it). */
int kg_store_query_plan(struct kg_store *st, const struct kg_query *q, struct kg_strv *out,
    struct kg_err *err);

/* ---- measures and documents ---- */

/* Every measure still listed by a document (or made by hand), by id. */
int kg_store_measures(struct kg_store *st, struct kg_measure_list *out, struct kg_err *err);
int kg_store_measure_get(struct kg_store *st, int64_t id, struct kg_measure *out,
    struct kg_err *err);
/* Inserts a manual measure (title + owners); sets m->id. */
int kg_store_measure_add(struct kg_store *st, struct kg_measure *m, struct kg_err *err);

/* Listed milestones (not retired) and, of them, open ones (planned or
 * ongoing, not gone), done ones and gone ones. */
struct kg_counts {
	size_t milestones, open, done, gone;
};

/* Per measure id (0: milestones attached to none). */
struct kg_measure_counts {
	struct {
		int64_t measure_id;
		struct kg_counts c;
	} *v;
	size_t n, cap;
};
int kg_store_measure_counts(struct kg_store *st, struct kg_measure_counts *out,
    struct kg_err *err);
/* The counts of measure_id (all zero when it has none). */
const struct kg_counts *kg_measure_counts_of(const struct kg_measure_counts *mc,
    int64_t measure_id);
void kg_measure_counts_clear(struct kg_measure_counts *mc);

/* Every responsible body: the measures that name it and their milestones
 * (with those that name it themselves), most milestones first. */
struct kg_owner_count {
	char *owner;
	size_t measures;
	struct kg_counts c;
};
struct kg_owner_list {
	struct kg_owner_count *v;
	size_t n, cap;
};
int kg_store_owners(struct kg_store *st, struct kg_owner_list *out, struct kg_err *err);
void kg_owner_list_clear(struct kg_owner_list *l);

struct kg_document_list {
	struct kg_document *v;
	size_t n, cap;
};
void kg_document_list_clear(struct kg_document_list *l);
int kg_store_documents(struct kg_store *st, struct kg_document_list *out, struct kg_err *err);
/* The document imported (or re-imported) last and not taken back: 1 found,
 * 0 none, -1 error.  Two imports within one second are told apart by id. */
int kg_store_last_import(struct kg_store *st, struct kg_document *out, struct kg_err *err);
/* By id, or by name when ref is not a number. */
int kg_store_document_get(struct kg_store *st, const char *ref, struct kg_document *out,
    struct kg_err *err);

/* ---- history and slips ---- */

struct kg_change {
	int64_t milestone_id;
	int64_t at;               /* unix seconds */
	int64_t document_id;      /* the import that made it; 0 for CLI edits */
	kg_day as_of;             /* that document's as-of date; KG_DAY_NONE for none */
	char *reason;
	kg_day old_start, old_end, new_start, new_end;
	enum kg_status old_status, new_status;
	bool created;             /* first record: old_* are meaningless */
};

struct kg_change_list {
	struct kg_change *v;
	size_t n, cap;
};
void kg_change_list_clear(struct kg_change_list *l);

int kg_store_history(struct kg_store *st, int64_t milestone_id,
    struct kg_change_list *out, struct kg_err *err);

/* Window ends that moved from one edition of a plan to the next (by as-of
 * date, whatever the order of imports), for editions after since_doc's
 * as-of date (0 = all), oldest edition first; document_id and as_of are the
 * later edition's, at its import time. */
int kg_store_slipped(struct kg_store *st, int64_t since_doc,
    struct kg_change_list *out, struct kg_err *err);

/* ---- editions: import, unimport, conflicts ---- */

/*
 * What an import, an unimport or a resolve did to one milestone.  REMOVED:
 * no import left mentions it (kigen unimport): it is kept but no longer
 * listed.  CONFLICT: a report imported after a local edit disagrees with
 * it (the local fields stand; kigen resolve).
 */
enum kg_change_kind {
	KG_CH_NEW, KG_CH_CHANGED, KG_CH_UNCHANGED, KG_CH_GONE, KG_CH_CONFLICT, KG_CH_REMOVED,
	KG_CH_COUNT
};

/* "new", "changed", "unchanged", "gone", "conflict", "removed". */
const char *kg_change_name(enum kg_change_kind k);

struct kg_import_item {
	enum kg_change_kind what;
	struct kg_milestone before; /* as stored before; zeroed for NEW */
	struct kg_milestone after;  /* as stored after (id 0 for NEW on a dry run) */
	char *detail;               /* e.g. "window 2009-03-31.. -> 2009-06-30.." */
};

struct kg_import_result {
	int64_t document_id;        /* the version; 0 on a dry run of a new file */
	char *plan;                 /* plan key (kg_store_plan_key of the title) */
	bool already_imported;      /* these bytes already stood for their edition */
	bool restood;               /* a version imported (or unimported) before stands again */
	size_t measures_new, measures_matched;
	size_t conflicts_open;      /* open conflicts in the database afterwards */
	struct kg_import_item *items; /* every milestone that changed, and those
	                               * the imported version mentions */
	size_t n, cap;
};
void kg_import_result_clear(struct kg_import_result *r);

struct kg_import_opts {
	bool dry_run;        /* compute the items, write nothing */
	bool allow_shrink;   /* take a version that drops many of its edition's items */
};

/*
 * Imports a parsed document as a version of an edition of its plan (plan:
 * kg_store_plan_key of its title; edition: plan and as-of date) and
 * recomputes the plan's milestones from its editions (the rule is in
 * store_import.c and docs/ARCHITECTURE.md, "Editions").  The one entry
 * point of the CLI and kigend.
 *
 * The same bytes again make that version stand again (nothing else
 * changes unless another version of its edition stood meanwhile).  A new
 * version of an edition that stood replaces it, unless it would make more
 * than 20 % of that edition's milestones or measures gone, or drop any
 * while adding nothing, and !o->allow_shrink: then -1, "'<name>' would make
 * N of the M milestones of edition <plan> <as-of> gone (...)", nothing
 * written.  Parsing and matching happen outside the write lock; the write
 * is one short transaction (or a savepoint inside the caller's).
 */
int kg_store_import(struct kg_store *st, const struct kg_import *imp,
    const struct kg_import_opts *o, struct kg_import_result *out, struct kg_err *err);

/*
 * Removes version document_id from its edition, as if it had never been
 * imported: the version that stood before it stands again, or the edition
 * is gone; the plan is recomputed.  The document row is kept, marked
 * removed (ids are never reused); importing the same bytes again brings it
 * back.  Unknown or already removed: -1, "no import 'N'" / "import N (...)
 * was already removed".
 */
int kg_store_unimport(struct kg_store *st, int64_t document_id, bool dry_run,
    struct kg_import_result *out, struct kg_err *err);

/* A milestone with an open conflict, both sides: local is the row as it
 * stands (the local fields win), report what the deciding report says;
 * fields are the KG_LOCAL_* they disagree on. */
struct kg_conflict {
	struct kg_milestone local;
	struct kg_milestone report;
	unsigned fields;
	char *document;      /* name of the report that decides */
	kg_day as_of;        /* its as-of date */
};

struct kg_conflict_list {
	struct kg_conflict *v;
	size_t n, cap;
};
void kg_conflict_list_clear(struct kg_conflict_list *l);

/* Every open conflict, by milestone id. */
int kg_store_conflicts(struct kg_store *st, struct kg_conflict_list *out, struct kg_err *err);

/*
 * Settles the open conflict of milestone id: keep_local keeps the local
 * fields (until a later report disagrees again); otherwise the fields the
 * report disagrees on go back to the report's.  No open conflict: -1,
 * "milestone N has no open conflict".
 */
int kg_store_resolve(struct kg_store *st, int64_t id, bool keep_local, struct kg_err *err);

#endif
