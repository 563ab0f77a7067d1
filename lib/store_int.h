/*
 * store_int — internals shared by the store's own files (store.c,
 * store_import.c).  Not a public contract: other modules use store.h.
 *
 * Functions named kg_store_ms_* / kg_store_measure_write work inside the
 * caller's transaction and never begin or end one themselves; the public
 * wrappers in store.c add the transaction.
 */
#ifndef KG_STORE_INT_H
#define KG_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "hash.h"
#include "store.h"

/* Column lists every reader of these tables uses (kg_ms_from_row etc.). */
#define KG_MS_COLS \
	"m.id, m.uid, m.measure_id, m.title, m.kind, m.status, m.certainty," \
	" m.window_start, m.window_end, m.precision, m.expr, m.sentence, m.document_id," \
	" m.line, m.manual, m.gone, m.sequence, m.owners, m.created_at, m.updated_at," \
	" m.completed_at, m.measure_title, m.uncertain, m.uncertain_reason, m.page," \
	" m.local_mask, m.conflict, m.measure_owners"
/* The measure's title and owners are copies in the milestone's row (schema
 * v6): a listing reads no measures page. */
#define KG_MS_FROM " FROM milestones m"
#define KG_MS_SELECT "SELECT " KG_MS_COLS KG_MS_FROM
/* Columns of KG_MS_SELECT: a query may append its own after them. */
#define KG_MS_NCOLS 28
/* The rev of a milestone written now: above every rev a reader that took
 * its snapshot before this write unit has seen (v7, kg_store_marks). */
#define KG_REV_NEXT "(SELECT value + 1 FROM meta WHERE key = 'rev')"
#define KG_MEASURE_COLS \
	"id, document_id, position, heading, subheading, title, progress, plan, continues"
#define KG_MEASURE_SELECT "SELECT " KG_MEASURE_COLS " FROM measures"
#define KG_MEASURE_NCOLS 9
#define KG_DOC_SELECT \
	"SELECT id, name, sha256, title, as_of, imported_at, summary_json, url, etag," \
	" last_modified, plan, standing, removed_at, n_new, n_changed, n_gone FROM documents"
#define KG_HIST_SELECT \
	"SELECT h.milestone_id, h.at, h.document_id, h.reason, h.created, h.old_start," \
	" h.old_end, h.new_start, h.new_end, h.old_status, h.new_status, d.as_of" \
	" FROM milestone_history h LEFT JOIN documents d ON d.id = h.document_id"

enum kg_stmt {
	KG_STMT_DATA_VERSION,
	KG_STMT_MS_BY_ID,
	KG_STMT_MS_BY_UID,
	KG_STMT_MS_INSERT,
	KG_STMT_MS_NEXT_ID,
	KG_STMT_META_GET,
	KG_STMT_META_BUMP,
	KG_STMT_OBS_INSERT,
	KG_STMT_EDM_INSERT,
	KG_STMT_CANCEL_REMINDERS,
	KG_STMT_PLAN_DOCS,
	KG_STMT_PLAN_OBS,
	KG_STMT_PLAN_EDMS,
	KG_STMT_PLAN_MEASURES,
	KG_STMT_PLAN_MS,
	KG_STMT_MS_RECOMPUTE,
	KG_STMT_MS_PLAN,
	KG_STMT_MS_KEEP_LOCAL,
	KG_STMT_OBS_ASSIGN,
	KG_STMT_OBS_DELETE_MS,
	KG_STMT_OBS_DECIDING,
	KG_STMT_DOC_STAND,
	KG_STMT_DOC_COUNTS,
	KG_STMT_MEASURE_RETIRE,
	KG_STMT_MEASURE_CONTINUES,
	KG_STMT_META_SET,
	KG_STMT_CONFLICTS,
	KG_STMT_CONFLICT_COUNT,
	KG_STMT_MEASURE_COUNTS,
	KG_STMT_DOC_LAST,
	KG_STMT_DOC_IMPORTED,
	KG_STMT_OWN_OWNERS,
	KG_STMT_MS_UPDATE,
	KG_STMT_MS_DELETE,
	KG_STMT_UID_EXISTS,
	KG_STMT_HIST_INSERT,
	KG_STMT_HIST_BY_MS,
	KG_STMT_SLIPPED,
	KG_STMT_OWNERS_OF,
	KG_STMT_NOTES_OF,
	KG_STMT_OWNER_INSERT,
	KG_STMT_NOTE_INSERT,
	KG_STMT_OWNERS_DELETE,
	KG_STMT_NOTES_DELETE,
	KG_STMT_MEASURE_BY_ID,
	KG_STMT_MEASURES_ALL,
	KG_STMT_MEASURE_INSERT,
	KG_STMT_MEASURE_UPDATE,
	KG_STMT_DOC_BY_ID,
	KG_STMT_DOC_BY_NAME,
	KG_STMT_DOC_BY_SHA,
	KG_STMT_DOCS_ALL,
	KG_STMT_DOC_INSERT,
	KG_STMT_REV_BUMP,
	KG_STMT_MARKS,
	KG_STMT_MS_SINCE,
	KG_STMT_COUNT
};

struct kg_store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmts[KG_STMT_COUNT];
	bool fresh;               /* created (or found empty) by this open */
	int wait_max_ms;          /* kg_store_set_wait */
	kg_store_wait_cb *waiting;
	void *wait_arg;
	int64_t wait_since_ms;    /* when the current wait began */
	bool wait_told;
};

/* Runs the missing migrations (store_schema.c); a read-only store is
 * refused when it needs any. */
int kg_store_migrate(struct kg_store *st, bool readonly, struct kg_err *err);

/* Runs sql (several statements) to completion. */
int kg_store_exec(struct kg_store *st, const char *sql, struct kg_err *err);

/* "database '<path>': <what>: <sqlite message>"; returns -1. */
int kg_store_fail(struct kg_store *st, struct kg_err *err, const char *what);

/* The cached statement, reset and unbound; NULL (err set) on failure.  A
 * statement must not be fetched again while a caller is still stepping it. */
sqlite3_stmt *kg_store_stmt(struct kg_store *st, enum kg_stmt which, struct kg_err *err);
int kg_store_step_done(struct kg_store *st, sqlite3_stmt *s, struct kg_err *err,
    const char *what);

/* Own transaction when none is open, else a savepoint; unit_end commits or
 * releases when rc == 0, rolls back otherwise, and returns the final rc. */
int kg_store_unit_begin(struct kg_store *st, bool *outer, struct kg_err *err);
int kg_store_unit_end(struct kg_store *st, bool outer, int rc, struct kg_err *err);

int64_t kg_store_now(void);

void kg_bind_text(sqlite3_stmt *s, int i, const char *v);   /* NULL -> NULL */
void kg_bind_day(sqlite3_stmt *s, int i, kg_day d);         /* NONE -> NULL */
void kg_bind_id(sqlite3_stmt *s, int i, int64_t id);        /* 0 -> NULL */
char *kg_col_text(sqlite3_stmt *s, int i, bool *failed);
kg_day kg_col_day(sqlite3_stmt *s, int i);

/* Row of KG_MS_SELECT / KG_DOC_SELECT into a zeroed struct; -1 on ENOMEM
 * (owners are not filled: see kg_store_milestones). */
int kg_ms_from_row(sqlite3_stmt *s, struct kg_milestone *m);
int kg_doc_from_row(sqlite3_stmt *s, struct kg_document *d);
/* Row of KG_MEASURE_SELECT columns into m, owners and notes read. */
int kg_measure_from_row(struct kg_store *st, sqlite3_stmt *row, struct kg_measure *m,
    struct kg_err *err);

/* Milestone by id with owners: 1 found, 0 not found, -1 error. */
int kg_store_ms_by_id(struct kg_store *st, int64_t id, struct kg_milestone *out,
    struct kg_err *err);
/* Document by a bound KG_STMT_DOC_BY_* statement: 1 / 0 / -1 likewise. */
int kg_store_doc_fetch(struct kg_store *st, sqlite3_stmt *s, struct kg_document *out,
    struct kg_err *err);

/* True when a stored field differs (id, uid, sequence and times aside). */
bool kg_ms_differs(const struct kg_milestone *a, const struct kg_milestone *b);
/* The KG_LOCAL_* fields in which a and b differ. */
unsigned kg_ms_local_diff(const struct kg_milestone *a, const struct kg_milestone *b);

/* An integer of the meta table (0 when absent). */
int kg_store_meta_int(struct kg_store *st, const char *key, int64_t *out, struct kg_err *err);

/* n new milestone ids, never used before: first .. first + n - 1. */
int kg_store_reserve_ids(struct kg_store *st, size_t n, int64_t *first, struct kg_err *err);

/* Insert / overwrite a milestone, with a history record carrying
 * document_id (0 = none) and reason.  No transaction of their own.
 * ms_insert takes m->id when positive (reserved by kg_store_reserve_ids),
 * else a new one; it records plan (NULL: made by hand).  ms_write with mark_manual
 * (CLI edits) sets m->manual, adds the changed fields to m->local_mask and
 * settles an open conflict. */
int kg_store_ms_insert(struct kg_store *st, struct kg_milestone *m, const char *plan,
    int64_t document_id, const char *reason, struct kg_err *err);
int kg_store_ms_write(struct kg_store *st, struct kg_milestone *m, int64_t document_id,
    const char *reason, bool mark_manual, struct kg_err *err);
int kg_store_history_add(struct kg_store *st, const struct kg_change *c, struct kg_err *err);
/* The two halves of ms_insert, for a caller that writes many (an import):
 * the row alone, made at now; and the history record of its creation
 * (m's id, created_at, window and status), which does not need the row
 * written yet while foreign keys are not enforced.  The row copies its
 * measure's title and owners (schema v6): listed gives them when the
 * caller has just written that measure row with them (NULL: read from it). */
struct kg_measure_listed {
	const char *title;
	const char *owners;     /* newline-joined (kg_strv_join), NULL none */
};
int kg_store_ms_insert_row(struct kg_store *st, struct kg_milestone *m, const char *plan,
    int64_t now, const struct kg_measure_listed *listed, struct kg_err *err);
int kg_store_ms_created(struct kg_store *st, const struct kg_milestone *m,
    int64_t document_id, const char *reason, struct kg_err *err);
/* ms_created of every milestone, by id: for a change that filled the
 * table from empty (each row made at its created_at). */
int kg_store_ms_created_all(struct kg_store *st, int64_t document_id, const char *reason,
    struct kg_err *err);
/* milestones.due of a window ending at window_end (open: after every date). */
int64_t kg_store_due_key(kg_day window_end);

/* Insert (id 0) or overwrite a measure with its owners and notes; an
 * inserted one records plan (NULL: made by hand) and its occurrence among
 * the plan's measures of the same title. */
int kg_store_measure_write(struct kg_store *st, struct kg_measure *m, const char *plan,
    int occurrence, struct kg_err *err);

/* What document_id says about a measure (position pos, m->id the measure it
 * is) and about a milestone (m->measure_id a database id; milestone_id the
 * milestone it is, 0 none; ekey its kg_store_event_key). */
int kg_store_edition_measure_add(struct kg_store *st, int64_t document_id, int pos,
    const struct kg_measure *m, struct kg_err *err);
int kg_store_observation_add(struct kg_store *st, int64_t document_id, int pos,
    int64_t milestone_id, uint64_t ekey, const struct kg_milestone *m, struct kg_err *err);

/* Marks 'cancelled' the pending reminders of milestones no longer due with
 * their deadline (done, cancelled, gone, retired, moved), and bumps
 * meta.rev (kg_store_marks): the last step of every write unit that
 * changes milestones. */
int kg_store_cancel_reminders(struct kg_store *st, struct kg_err *err);

/* The strings of sv joined by newlines; NULL when empty or on ENOMEM.
 * kg_strv_split appends the lines of joined (NULL: none) to sv; -1 on
 * ENOMEM. */
char *kg_strv_join(const struct kg_strv *sv);
int kg_strv_split(struct kg_strv *sv, const char *joined);

/* ---- for the editions engine (store_import.c); no transaction of their own ---- */

/*
 * Rewrites milestone old->id as now (report and local fields, gone,
 * conflict, local_mask) and retired; owners and the milestone's own fields
 * are not touched.  substance: SEQUENCE grows and updated_at is now
 * (calendars see it); window or status changes are recorded in the history
 * with document_id and reason.
 */
int kg_store_ms_recompute(struct kg_store *st, const struct kg_milestone *old,
    const struct kg_milestone *now, bool retired, bool substance, int64_t document_id,
    const char *reason, struct kg_err *err);
/* The plan key of milestone id (malloc'd; "" for one made by hand); NULL
 * with err. */
char *kg_store_ms_plan(struct kg_store *st, int64_t id, struct kg_err *err);
/* keep-local: conflict settled, local fields kept until a later report. */
int kg_store_keep_local(struct kg_store *st, int64_t id, int64_t stand, struct kg_err *err);
/* 1 when a milestone has uid, 0 when not, -1 on error. */
int kg_store_uid_taken(struct kg_store *st, const char *uid, struct kg_err *err);
/* observations.milestone_id of (document_id, pos). */
int kg_store_observation_assign(struct kg_store *st, int64_t document_id, int pos,
    int64_t milestone_id, struct kg_err *err);
/* standing and stood_at of a version; removed_at: < 0 unchanged, 0 cleared,
 * else set. */
int kg_store_document_stand(struct kg_store *st, int64_t id, bool standing,
    int64_t stood_at, int64_t removed_at, struct kg_err *err);
/* imported_at of a version imported again. */
int kg_store_document_imported(struct kg_store *st, int64_t id, int64_t at,
    struct kg_err *err);
/* The counts of what importing it did (kigen imports). */
int kg_store_document_counts(struct kg_store *st, int64_t id,
    const struct kg_import_result *r, struct kg_err *err);
/* The document with these bytes (removed ones too): 1 found, 0 not, -1. */
int kg_store_document_by_sha(struct kg_store *st, const char *sha256,
    struct kg_document *out, struct kg_err *err);
/* measures.retired; and, for a new measure, the measure of another plan
 * with the same title it continues. */
int kg_store_measure_retire(struct kg_store *st, int64_t id, bool retired,
    struct kg_err *err);
int kg_store_measure_continues(struct kg_store *st, int64_t id, struct kg_err *err);
/* Sets an integer of the meta table. */
int kg_store_meta_set(struct kg_store *st, const char *key, int64_t value,
    struct kg_err *err);

/* Matching key of a title: NFKC, whitespace removed.  malloc'd; NULL when s
 * is not valid UTF-8 or on ENOMEM. */
char *kg_store_title_key(const char *s);

/*
 * Plan key of a document title (store_import.c), after NFKC and without
 * whitespace: the name in the first 「…」 when there is one
 * (「セキュア・ジャパン２００８」の進捗状況（上半期）について →
 * セキュア・ジャパン2008), else the title; parenthesised parts ((…), 【…】)
 * and trailing report words (について, の進捗状況, フォローアップ結果, の概要…)
 * removed.  "" for NULL; NULL when not UTF-8 or on ENOMEM.  malloc'd.
 */
char *kg_store_plan_key(const char *title);

/*
 * The content hash of an imported event: sha256 over plan, measure title
 * key, kind name, expression and sentence (NULL as "", each followed by a
 * unit separator), and "#k" for the k-th identical event (k > 0); its first
 * 16 bytes are the digest.  The event key is the digest's
 * first 8 bytes (observations.ekey: finds the milestone an identical event
 * had before); the UID its 16 in hex + "@kigen" (malloc'd, NULL on ENOMEM),
 * the UID of a milestone first seen in that event.  kg_store_event_key and
 * kg_store_event_uid hash and derive in one call.
 */
void kg_store_event_digest(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence, unsigned char out[16]);
/* The same in two steps, for many events of one measure: the hash state
 * after plan and measure key, then each event's digest from a copy of it. */
void kg_store_event_prefix(const char *plan, const char *measure_key,
    struct kg_sha256_ctx *out);
void kg_store_event_digest_from(const struct kg_sha256_ctx *prefix, const char *kind,
    const char *expr, const char *sentence, int occurrence, unsigned char out[16]);
uint64_t kg_store_event_key_of(const unsigned char digest[16]);
char *kg_store_event_uid_of(const unsigned char digest[16]);
uint64_t kg_store_event_key(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence);
char *kg_store_event_uid(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence);

/* A map of 64-bit keys to integers (open addressing, at most half full):
 * linear-time lookups for the merge.  Zeroed is empty. */
struct kg_u64map {
	uint64_t *k;     /* 0 marks a free slot; key 0 lives in zero/has_zero */
	int64_t *v;
	size_t n, cap;
	bool has_zero;
	int64_t zero;
};
/* True when key is there (its value into *val unless val is NULL). */
bool kg_u64map_get(const struct kg_u64map *m, uint64_t key, int64_t *val);
int kg_u64map_put(struct kg_u64map *m, uint64_t key, int64_t val); /* -1 on ENOMEM */
void kg_u64map_clear(struct kg_u64map *m);

/*
 * The distinct character bigrams of a sentence after NFKC, leaving out
 * digits, whitespace, punctuation and the bigrams of date and status words
 * (dates move between reports; the words around them stay).  Sorted.
 * kg_bigrams_of fills out (v malloc'd, free it); -1 on ENOMEM.
 */
struct kg_bigrams {
	uint64_t *v;
	long n;
};
int kg_bigrams_of(const char *s, struct kg_bigrams *out);

/* The day a milestone is anchored on for date proximity: its window's end,
 * else its start. */
kg_day kg_anchor_day(const struct kg_milestone *m);

/* kg_store_event_score with the two sentences' bigrams already made. */
double kg_store_match_score(const struct kg_milestone *old, const struct kg_bigrams *bo,
    const struct kg_milestone *now, const struct kg_bigrams *bn);

/* How much the imported milestone now looks like the earlier event old:
 * 0 for a different kind; else the bigram overlap of their sentences
 * (digits, spaces, punctuation ignored) + 0.25 x date proximity, minus 0.3
 * when old was done and its window moved.  Imports match at >= 0.3. */
double kg_store_event_score(const struct kg_milestone *old, const struct kg_milestone *now);

#endif
