/* Unit tests for lib/store: open/migrate, milestone CRUD, queries, history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "store_fixture.h"
#include "store_int.h"

static int64_t
add_measure(struct kg_store *st, const char *title, const char *owner1, const char *owner2)
{
	struct kg_measure m = {0};
	struct kg_err err;
	int64_t id;

	m.title = strdup(title);
	if (owner1)
		assert_int_equal(kg_strv_push(&m.owners, owner1, (size_t)-1), 0);
	if (owner2)
		assert_int_equal(kg_strv_push(&m.owners, owner2, (size_t)-1), 0);
	assert_int_equal(kg_strv_push(&m.notes, "今後も継続的に発行予定", (size_t)-1), 0);
	if (kg_store_measure_add(st, &m, &err) < 0)
		fail_msg("measure_add: %s", err.msg);
	id = m.id;
	kg_measure_clear(&m);
	return id;
}

static int64_t
add_ms(struct kg_store *st, const char *title, int64_t measure, enum kg_kind kind,
    enum kg_status status, const char *start, const char *end)
{
	struct kg_milestone m = {0};
	struct kg_err err;
	int64_t id;

	m.title = strdup(title);
	m.measure_id = measure;
	m.kind = kind;
	m.status = status;
	m.certainty = KG_CERT_PLANNED;
	m.window_start = start ? day(start) : KG_DAY_NONE;
	m.window_end = end ? day(end) : KG_DAY_NONE;
	m.precision = KG_PREC_MONTH;
	if (kg_store_milestone_add(st, &m, &err) < 0)
		fail_msg("milestone_add: %s", err.msg);
	assert_true(m.id > 0);
	assert_non_null(m.uid);
	assert_int_equal(m.sequence, 0);
	id = m.id;
	kg_milestone_clear(&m);
	return id;
}

static void
test_open_reopen(void **state)
{
	struct fixture *fx = *state;
	struct kg_store *ro = NULL;
	struct kg_err err;
	struct stat sb;
	char missing[160];

	/* The directory was created, the file is group-shareable (umask permitting). */
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0600, 0600);
	assert_int_equal(sb.st_mode & 0007, 0);
	kg_store_close(fx->st);
	fx->st = NULL;
	assert_int_equal(kg_store_open(fx->path, 0, &fx->st, &err), 0);
	assert_int_equal(kg_store_open(fx->path, KG_STORE_READONLY, &ro, &err), 0);
	assert_true(kg_store_data_version(ro) > 0);
	kg_store_close(ro);

	snprintf(missing, sizeof(missing), "%s/missing.db", fx->dir);
	assert_int_equal(kg_store_open(missing, KG_STORE_READONLY, &ro, &err), -1);
	assert_null(ro);
	assert_non_null(strstr(err.msg, "missing.db"));
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_int_equal(kg_store_open(missing, 0, &ro, &err), -1);
	assert_int_not_equal(access(missing, F_OK), 0);
}

static void
test_open_failures(void **state)
{
	struct fixture *fx = *state;
	struct kg_store *st = NULL;
	struct kg_err err;
	char file[160], under[200], fifo[160];
	FILE *f;

	/* A directory where the database should be: refused by name. */
	assert_int_equal(kg_store_open(fx->dir, KG_STORE_CREATE, &st, &err), -1);
	assert_null(st);
	assert_non_null(strstr(err.msg, fx->dir));
	assert_non_null(strstr(err.msg, "is a directory"));

	/* A FIFO would hang SQLite's open: refused before it. */
	snprintf(fifo, sizeof(fifo), "%s/fifo.db", fx->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(kg_store_open(fifo, KG_STORE_READONLY, &st, &err), -1);
	assert_non_null(strstr(err.msg, "is not a regular file (a FIFO)"));

	/* A missing directory is nobody's to create, unless asked. */
	snprintf(under, sizeof(under), "%s/typo/kigen.db", fx->dir);
	assert_int_equal(kg_store_open(under, KG_STORE_CREATE, &st, &err), -1);
	assert_non_null(strstr(err.msg, "kigen.db': directory '"));
	assert_non_null(strstr(err.msg, "typo' does not exist"));
	snprintf(under, sizeof(under), "%s/typo", fx->dir);
	assert_int_not_equal(access(under, F_OK), 0);

	/* Parent "directory" is a regular file: mkdir fails, nothing written. */
	snprintf(file, sizeof(file), "%s/plain", fx->dir);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	snprintf(under, sizeof(under), "%s/db/kigen.db", file);
	assert_int_equal(kg_store_open(under, KG_STORE_MKDIR, &st, &err), -1);
	assert_non_null(strstr(err.msg, "cannot create directory"));
	assert_non_null(strstr(err.msg, "plain"));
}

/* SQL run on a database file of our own making, outside the store. */
static void
sql_on(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* One integer PRAGMA of a database file, read outside the store. */
static int64_t
pragma_of(const char *path, const char *pragma)
{
	sqlite3_stmt *s;
	sqlite3 *db;
	char sql[64];
	int64_t v;

	snprintf(sql, sizeof(sql), "PRAGMA %s", pragma);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
test_open_identity(void **state)
{
	struct fixture *fx = *state;
	struct kg_store *st = NULL;
	struct kg_err err;
	char other[160], text[160], empty[160];
	FILE *f;

	/* Ours is marked. */
	assert_int_equal(pragma_of(fx->path, "application_id"), KG_STORE_APPLICATION_ID);

	/* Another program's file, at user_version 1: refused, nothing changed
	 * (no WAL switch, no table, no user_version bump). */
	snprintf(other, sizeof(other), "%s/other.db", fx->dir);
	sql_on(other, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
	    " PRAGMA user_version = 1");
	assert_int_equal(kg_store_open(other, KG_STORE_CREATE, &st, &err), -1);
	assert_non_null(strstr(err.msg, "is not a kigen database"));
	assert_int_equal(pragma_of(other, "user_version"), 1);
	assert_int_equal(pragma_of(other, "application_id"), 0);
	assert_int_equal(pragma_of(other, "schema_version"), 1);
	/* One with another application_id likewise. */
	sql_on(other, "PRAGMA application_id = 1234");
	assert_int_equal(kg_store_open(other, KG_STORE_READONLY, &st, &err), -1);
	assert_non_null(strstr(err.msg, "belongs to another program"));

	/* A file that is no SQLite database at all. */
	snprintf(text, sizeof(text), "%s/notes.txt", fx->dir);
	assert_non_null(f = fopen(text, "w"));
	fputs("not a database, but long enough to have a header of sorts..........\n"
	    "................................................................\n", f);
	fclose(f);
	assert_int_equal(kg_store_open(text, KG_STORE_CREATE, &st, &err), -1);
	assert_non_null(strstr(err.msg, text));

	/* An empty file is a new database. */
	snprintf(empty, sizeof(empty), "%s/empty.db", fx->dir);
	assert_non_null(f = fopen(empty, "w"));
	fclose(f);
	assert_int_equal(kg_store_open(empty, KG_STORE_CREATE, &st, &err), 0);
	assert_true(kg_store_created(st));
	kg_store_close(st);

	/* A kigen database from before application_id is adopted and marked. */
	sql_on(fx->path, "PRAGMA application_id = 0");
	kg_store_close(fx->st);
	fx->st = NULL;
	assert_int_equal(kg_store_open(fx->path, KG_STORE_READONLY, &st, &err), 0);
	kg_store_close(st);
	assert_int_equal(pragma_of(fx->path, "application_id"), 0);
	assert_int_equal(kg_store_open(fx->path, 0, &fx->st, &err), 0);
	assert_false(kg_store_created(fx->st));
	assert_int_equal(pragma_of(fx->path, "application_id"), KG_STORE_APPLICATION_ID);
}

static void
test_newer_schema(void **state)
{
	struct fixture *fx = *state;
	struct kg_store *st = NULL;
	struct kg_err err;

	assert_int_equal(sqlite3_exec(kg_store_db(fx->st), "PRAGMA user_version = 99",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kg_store_open(fx->path, 0, &st, &err), -1);
	assert_non_null(strstr(err.msg, "is schema v99, this kigen knows up to v"));
	assert_non_null(strstr(err.msg, fx->path));
	/* A read-only open of an unmigrated (empty) file does not migrate it. */
	assert_int_equal(sqlite3_exec(kg_store_db(fx->st), "PRAGMA user_version = 0",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kg_store_open(fx->path, KG_STORE_READONLY, &st, &err), -1);
	assert_non_null(strstr(err.msg, "needs migrating"));
}

static void
test_add_get(void **state)
{
	struct fixture *fx = *state;
	struct kg_milestone m, by_uid;
	struct kg_err err;
	int64_t meas, id;
	char ref[32];

	meas = add_measure(fx->st, "ＧＳＯＣの運用", "内閣官房", "総務省");
	id = add_ms(fx->st, "GSOC 本格運用開始", meas, KG_KIND_OPERATION_START,
	    KG_STATUS_PLANNED, "2008-04-01", "2009-03-31");
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &m, &err), 0);
	assert_int_equal(m.id, id);
	assert_string_equal(m.title, "GSOC 本格運用開始");
	assert_int_equal(m.kind, KG_KIND_OPERATION_START);
	assert_int_equal(m.window_start, day("2008-04-01"));
	assert_int_equal(m.window_end, day("2009-03-31"));
	assert_int_equal(m.precision, KG_PREC_MONTH);
	assert_int_equal(m.certainty, KG_CERT_PLANNED);
	assert_string_equal(m.measure_title, "ＧＳＯＣの運用");
	assert_int_equal(m.owners.n, 2);
	assert_string_equal(m.owners.v[0], "内閣官房");
	assert_string_equal(m.owners.v[1], "総務省");
	assert_true(m.created_at > 0);
	assert_int_equal(m.created_at, m.updated_at);
	assert_int_equal(m.completed_at, 0);
	assert_false(m.manual);
	assert_non_null(strstr(m.uid, "@kigen"));

	assert_int_equal(kg_store_milestone_get(fx->st, m.uid, &by_uid, &err), 0);
	assert_int_equal(by_uid.id, id);
	kg_milestone_clear(&by_uid);
	kg_milestone_clear(&m);

	assert_int_equal(kg_store_milestone_get(fx->st, "999", &m, &err), -1);
	assert_string_equal(err.msg, "no milestone '999'");
	assert_int_equal(kg_store_milestone_get(fx->st, "nope@kigen", &m, &err), -1);
	assert_string_equal(err.msg, "no milestone 'nope@kigen'");
}

static void
test_add_invalid(void **state)
{
	struct fixture *fx = *state;
	struct kg_milestone m = {0};
	struct kg_query q;
	struct kg_milestone_list l = {0};
	struct kg_err err;

	m.title = strdup("backwards");
	m.window_start = day("2009-03-31");
	m.window_end = day("2009-03-01");
	assert_int_equal(kg_store_milestone_add(fx->st, &m, &err), -1);
	assert_non_null(strstr(err.msg, "window starts after it ends"));
	assert_null(m.uid);
	/* A dangling measure id violates the foreign key: nothing is written. */
	m.window_start = KG_DAY_NONE;
	m.measure_id = 4242;
	assert_int_equal(kg_store_milestone_add(fx->st, &m, &err), -1);
	assert_non_null(strstr(err.msg, "FOREIGN KEY"));
	assert_int_equal(m.id, 0);
	kg_milestone_clear(&m);
	kg_query_init(&q);
	assert_int_equal(kg_store_milestones(fx->st, &q, &l, &err), 0);
	assert_int_equal(l.n, 0);
}

static void
test_update_history_purge(void **state)
{
	struct fixture *fx = *state;
	struct kg_milestone m;
	struct kg_change_list h = {0};
	struct kg_err err;
	int64_t id;
	int64_t dv;

	id = add_ms(fx->st, "手引き公表", 0, KG_KIND_PUBLICATION, KG_STATUS_PLANNED,
	    "2009-03-31", "2009-03-31");
	assert_int_equal(kg_store_milestone_get(fx->st, "1", &m, &err), 0);

	/* No change: no new sequence. */
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "edit", &err), 0);
	assert_int_equal(m.sequence, 0);
	assert_false(m.manual);

	dv = kg_store_data_version(fx->st);
	m.window_start = m.window_end = day("2009-05-31");
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "edit", &err), 0);
	assert_int_equal(m.sequence, 1);
	assert_true(m.manual);
	/* data_version only moves for other connections' commits. */
	assert_int_equal(kg_store_data_version(fx->st), dv);

	m.status = KG_STATUS_DONE;
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "done", &err), 0);
	assert_int_equal(m.sequence, 2);
	assert_true(m.completed_at > 0);
	kg_milestone_clear(&m);

	assert_int_equal(kg_store_milestone_get(fx->st, "1", &m, &err), 0);
	assert_int_equal(m.sequence, 2);
	assert_true(m.manual);
	assert_int_equal(m.status, KG_STATUS_DONE);
	assert_true(m.completed_at > 0);
	m.status = KG_STATUS_PLANNED;
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "reopen", &err), 0);
	assert_int_equal(m.completed_at, 0);
	/* Title-only edit: sequence grows, no history record. */
	free(m.title);
	m.title = strdup("手引き（改訂版）公表");
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "edit", &err), 0);
	assert_int_equal(m.sequence, 4);
	kg_milestone_clear(&m);

	assert_int_equal(kg_store_history(fx->st, id, &h, &err), 0);
	assert_int_equal(h.n, 4);
	assert_true(h.v[0].created);
	assert_string_equal(h.v[0].reason, "add");
	assert_int_equal(h.v[0].new_end, day("2009-03-31"));
	assert_false(h.v[1].created);
	assert_string_equal(h.v[1].reason, "edit");
	assert_int_equal(h.v[1].old_end, day("2009-03-31"));
	assert_int_equal(h.v[1].new_end, day("2009-05-31"));
	assert_int_equal(h.v[1].document_id, 0);
	assert_string_equal(h.v[2].reason, "done");
	assert_int_equal(h.v[2].old_status, KG_STATUS_PLANNED);
	assert_int_equal(h.v[2].new_status, KG_STATUS_DONE);
	assert_int_equal(h.v[3].new_status, KG_STATUS_PLANNED);
	kg_change_list_clear(&h);

	/* Edits are not imports: nothing slipped. */
	assert_int_equal(kg_store_slipped(fx->st, 0, &h, &err), 0);
	assert_int_equal(h.n, 0);

	assert_int_equal(kg_store_milestone_purge(fx->st, id, &err), 0);
	assert_int_equal(kg_store_milestone_get(fx->st, "1", &m, &err), -1);
	assert_int_equal(kg_store_history(fx->st, id, &h, &err), 0);
	assert_int_equal(h.n, 0);
	assert_int_equal(kg_store_milestone_purge(fx->st, id, &err), -1);
	assert_string_equal(err.msg, "no milestone '1'");
	/* Ids are never reused: "kigen show 1" cannot turn into another milestone. */
	assert_int_equal(add_ms(fx->st, "next", 0, KG_KIND_OTHER, KG_STATUS_PLANNED, NULL,
	    "2009-01-01"), id + 1);
}

struct lent {
	const struct kg_milestone_list *want;
	bool brief;
	size_t n;
};

/* The lent row is the listed one: what a brief row reads, or all of it. */
static int
check_lent(const struct kg_milestone *m, void *arg)
{
	struct lent *l = arg;
	const struct kg_milestone *w;
	size_t i;

	assert_true(l->n < l->want->n);
	w = &l->want->v[l->n++];
	assert_int_equal(m->id, w->id);
	assert_string_equal(m->title, w->title);
	assert_int_equal(m->status, w->status);
	assert_int_equal(m->window_end, w->window_end);
	assert_int_equal(m->gone, w->gone);
	assert_int_equal(m->conflict, w->conflict);
	assert_int_equal(m->uncertain, w->uncertain);
	if (w->measure_title == NULL)
		assert_null(m->measure_title);
	else
		assert_string_equal(m->measure_title, w->measure_title);
	assert_int_equal(m->owners.n, w->owners.n);
	for (i = 0; i < w->owners.n; i++)
		assert_string_equal(m->owners.v[i], w->owners.v[i]);
	if (l->brief) { /* the rest as empty columns */
		assert_null(m->uid);
		assert_null(m->sentence);
		assert_int_equal(m->window_start, KG_DAY_NONE);
		assert_int_equal(m->kind, KG_KIND_OTHER);
	} else {
		assert_string_equal(m->uid, w->uid);
		assert_int_equal(m->window_start, w->window_start);
		assert_int_equal(m->kind, w->kind);
		assert_int_equal(m->sequence, w->sequence);
	}
	return 0;
}

/* kg_store_milestones_each lends the rows kg_store_milestones lists (l),
 * brief or whole. */
static void
expect_lent(struct kg_store *st, const struct kg_query *q, const struct kg_milestone_list *l)
{
	struct kg_query bq = *q;
	struct lent lent = { l, false, 0 };
	struct kg_err err;

	for (int brief = 0; brief < 2; brief++) {
		bq.brief = lent.brief = brief;
		lent.n = 0;
		if (kg_store_milestones_each(st, &bq, check_lent, &lent, &err) < 0)
			fail_msg("query: %s", err.msg);
		assert_int_equal(lent.n, l->n);
	}
}

/* Runs q and checks the titles of the result, in order (the rows lent by
 * kg_store_milestones_each too). */
static void
expect_titles(struct kg_store *st, const struct kg_query *q, const char *const *want,
    size_t n)
{
	struct kg_milestone_list l = {0};
	struct kg_err err;
	size_t i;

	if (kg_store_milestones(st, q, &l, &err) < 0)
		fail_msg("query: %s", err.msg);
	if (l.n != n) {
		for (i = 0; i < l.n; i++)
			print_message("got %s\n", l.v[i].title);
		fail_msg("expected %zu rows, got %zu", n, l.n);
	}
	for (i = 0; i < n; i++)
		assert_string_equal(l.v[i].title, want[i]);
	expect_lent(st, q, &l);
	kg_milestone_list_clear(&l);
}

#define EXPECT(st, q, ...) do { \
	static const char *const want_[] = { __VA_ARGS__ }; \
	expect_titles(st, q, want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

static void
test_own_owners(void **state)
{
	struct fixture *fx = *state;
	struct kg_milestone m = {0}, got;
	struct kg_query q;
	struct kg_err err;
	int64_t meas = add_measure(fx->st, "演習", "内閣官房", NULL);

	m.title = strdup("演習の実施");
	m.measure_id = meas;
	m.window_start = m.window_end = day("2008-12-01");
	assert_int_equal(kg_strv_push(&m.owners, "警察庁", (size_t)-1), 0);
	assert_int_equal(kg_strv_push(&m.owners, "内閣官房", (size_t)-1), 0);
	assert_int_equal(kg_store_milestone_add(fx->st, &m, &err), 0);
	assert_int_equal(kg_store_milestone_get(fx->st, m.uid, &got, &err), 0);
	assert_int_equal(got.owners.n, 2);
	assert_string_equal(got.owners.v[0], "内閣官房");
	assert_string_equal(got.owners.v[1], "警察庁");
	/* A listing's rows, lent or copied, merge them alike. */
	kg_query_init(&q);
	EXPECT(fx->st, &q, "演習の実施");
	/* Writing back what a query returned is not a change. */
	assert_int_equal(kg_store_milestone_update(fx->st, &got, "edit", &err), 0);
	assert_int_equal(got.sequence, 0);
	kg_milestone_clear(&got);
	kg_milestone_clear(&m);

	m.title = strdup("bad owner");
	assert_int_equal(kg_strv_push(&m.owners, "a\nb", (size_t)-1), 0);
	assert_int_equal(kg_store_milestone_add(fx->st, &m, &err), -1);
	assert_non_null(strstr(err.msg, "invalid owner"));
	kg_milestone_clear(&m);
}

static void
test_queries(void **state)
{
	struct fixture *fx = *state;
	struct kg_query q;
	struct kg_milestone_list l = {0};
	struct kg_err err;
	int64_t cab, mic;
	char idbuf[24];

	cab = add_measure(fx->st, "GSOC", "内閣官房", NULL);
	mic = add_measure(fx->st, "演習", "総務省", "経済産業省");
	add_ms(fx->st, "a", cab, KG_KIND_OPERATION_START, KG_STATUS_PLANNED,
	    "2008-04-01", "2009-03-31");
	add_ms(fx->st, "b", mic, KG_KIND_EXERCISE, KG_STATUS_PLANNED,
	    "2008-12-01", "2008-12-01");
	add_ms(fx->st, "c", mic, KG_KIND_REPORT, KG_STATUS_DONE,
	    "2008-08-01", "2008-08-31");
	add_ms(fx->st, "d", 0, KG_KIND_OTHER, KG_STATUS_ONGOING, "2008-10-01", NULL);
	add_ms(fx->st, "e", cab, KG_KIND_REPORT, KG_STATUS_CANCELLED,
	    "2008-12-01", "2008-12-15");

	kg_query_init(&q);
	EXPECT(fx->st, &q, "c", "b", "e", "a", "d"); /* by due, open end last */
	q.order = KG_ORDER_ID;
	EXPECT(fx->st, &q, "a", "b", "c", "d", "e");
	q.order = KG_ORDER_DUE;

	q.due_from = day("2008-12-01");
	q.due_to = day("2008-12-31");
	EXPECT(fx->st, &q, "b", "e");
	q.open_only = true;
	EXPECT(fx->st, &q, "b");
	q.due_to = KG_DAY_NONE;
	EXPECT(fx->st, &q, "b", "a");
	q.due_from = KG_DAY_NONE;
	q.due_to = day("2008-12-31");
	EXPECT(fx->st, &q, "b");
	q.open_only = false;
	q.due_to = KG_DAY_NONE;

	assert_int_equal(kg_strv_push(&q.filter.owners, "総務省", (size_t)-1), 0);
	EXPECT(fx->st, &q, "c", "b");
	assert_int_equal(kg_strv_push(&q.filter.owners, "内閣官房", (size_t)-1), 0);
	EXPECT(fx->st, &q, "c", "b", "e", "a");
	assert_int_equal(kg_strv_push(&q.filter.kinds, "report", (size_t)-1), 0);
	EXPECT(fx->st, &q, "c", "e");
	assert_int_equal(kg_strv_push(&q.filter.statuses, "cancelled", (size_t)-1), 0);
	EXPECT(fx->st, &q, "e");
	kg_filter_clear(&q.filter);

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)mic);
	assert_int_equal(kg_strv_push(&q.filter.measures, idbuf, (size_t)-1), 0);
	EXPECT(fx->st, &q, "c", "b");
	kg_filter_clear(&q.filter);

	assert_int_equal(kg_strv_push(&q.filter.statuses, "ongoing", (size_t)-1), 0);
	assert_int_equal(kg_strv_push(&q.filter.statuses, "planned", (size_t)-1), 0);
	EXPECT(fx->st, &q, "b", "a", "d");
	kg_filter_clear(&q.filter);

	/* Owners come with every row, measure owners first. */
	assert_int_equal(kg_store_milestones(fx->st, &q, &l, &err), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[1].title, "b");
	assert_int_equal(l.v[1].owners.n, 2);
	assert_string_equal(l.v[1].owners.v[1], "経済産業省");
	assert_string_equal(l.v[1].measure_title, "演習");
	assert_int_equal(l.v[4].owners.n, 0);
	assert_null(l.v[4].measure_title);
	kg_milestone_list_clear(&l);

	/* Unknown filter values are errors naming the value. */
	assert_int_equal(kg_strv_push(&q.filter.kinds, "party", (size_t)-1), 0);
	assert_int_equal(kg_store_milestones(fx->st, &q, &l, &err), -1);
	assert_string_equal(err.msg, "unknown kind 'party'");
	kg_filter_clear(&q.filter);
	assert_int_equal(kg_strv_push(&q.filter.measures, "x1", (size_t)-1), 0);
	assert_int_equal(kg_store_milestones(fx->st, &q, &l, &err), -1);
	assert_string_equal(err.msg, "invalid measure id 'x1'");
	kg_filter_clear(&q.filter);
	assert_int_equal(l.n, 0);
}

/* The measure's title and owners a listing shows are copies in the
 * milestone's row (schema v6): a milestone moved to another measure, or
 * to none, takes that one's, and a measure renamed or given other owners
 * passes them on (the teardown checks every copy against its measure). */
static void
test_measure_copies(void **state)
{
	struct fixture *fx = *state;
	struct kg_milestone got = {0};
	struct kg_measure ms;
	struct kg_err err;
	int64_t cab = add_measure(fx->st, "GSOC", "内閣官房", NULL);
	int64_t mic = add_measure(fx->st, "演習", "総務省", "経済産業省");
	int64_t id = add_ms(fx->st, "a", cab, KG_KIND_OPERATION_START, KG_STATUS_PLANNED,
	    "2008-04-01", "2009-03-31");
	char ref[24];

	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &got, &err), 0);
	assert_string_equal(got.measure_title, "GSOC");
	got.measure_id = mic;
	kg_strv_clear(&got.owners); /* else GSOC's would stay, as its own */
	assert_int_equal(kg_store_milestone_update(fx->st, &got, "edit", &err), 0);
	kg_milestone_clear(&got);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &got, &err), 0);
	assert_string_equal(got.measure_title, "演習");
	assert_int_equal(got.owners.n, 2);
	assert_string_equal(got.owners.v[1], "経済産業省");
	assert_measure_copies(fx->st);

	/* the measure renamed, one owner fewer (what an import writes) */
	assert_int_equal(kg_store_measure_get(fx->st, mic, &ms, &err), 0);
	free(ms.title);
	ms.title = strdup("機能演習");
	kg_strv_clear(&ms.owners);
	assert_int_equal(kg_strv_push(&ms.owners, "総務省", (size_t)-1), 0);
	assert_int_equal(kg_store_begin(fx->st, &err), 0);
	assert_int_equal(kg_store_measure_write(fx->st, &ms, NULL, 0, &err), 0);
	assert_int_equal(kg_store_commit(fx->st, &err), 0);
	kg_measure_clear(&ms);
	kg_milestone_clear(&got);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &got, &err), 0);
	assert_string_equal(got.measure_title, "機能演習");
	assert_int_equal(got.owners.n, 1);
	assert_measure_copies(fx->st);

	/* out of any measure */
	got.measure_id = 0;
	kg_strv_clear(&got.owners);
	assert_int_equal(kg_store_milestone_update(fx->st, &got, "edit", &err), 0);
	kg_milestone_clear(&got);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &got, &err), 0);
	assert_null(got.measure_title);
	assert_int_equal(got.owners.n, 0);
	kg_milestone_clear(&got);
}

/* The query plan of q, its lines joined with "; " into all. */
static void
plan_of(struct kg_store *st, const struct kg_query *q, char *all, size_t cap)
{
	struct kg_strv plan = {0};
	struct kg_err err;
	size_t i;

	all[0] = '\0';
	if (kg_store_query_plan(st, q, &plan, &err) < 0)
		fail_msg("plan: %s", err.msg);
	for (i = 0; i < plan.n; i++) {
		strncat(all, plan.v[i], cap - strlen(all) - 1);
		strncat(all, "; ", cap - strlen(all) - 1);
	}
	print_message("plan: %s\n", all);
	assert_null(strstr(all, "SCAN m"));
	assert_null(strstr(all, "TEMP B-TREE FOR ORDER BY"));
	kg_strv_clear(&plan);
}

static void
test_query_plan(void **state)
{
	struct fixture *fx = *state;
	struct kg_query q;
	char all[2048];

	/* `upcoming --days 30 --owner X` as a table: the range of the
	 * index of open milestones, which holds every column a brief row
	 * reads (schema v8), rows already in output order, owners one index
	 * probe. */
	kg_query_init(&q);
	q.due_from = day("2008-12-01");
	q.due_to = day("2008-12-31");
	q.open_only = true;
	q.brief = true;
	assert_int_equal(kg_strv_push(&q.filter.owners, "総務省", (size_t)-1), 0);
	plan_of(fx->st, &q, all, sizeof(all));
	assert_non_null(strstr(all, "SEARCH m USING COVERING INDEX milestones_open"
	    " (due>? AND due<?)"));
	assert_non_null(strstr(all, "measure_owners_owner"));
	/* overdue alike */
	q.due_from = KG_DAY_NONE;
	plan_of(fx->st, &q, all, sizeof(all));
	assert_non_null(strstr(all, "SEARCH m USING COVERING INDEX milestones_open (due<?)"));
	/* Whole rows (--json): a contiguous range of the clustered key, not
	 * a table seek per entry of the index. */
	q.due_from = day("2008-12-01");
	q.brief = false;
	plan_of(fx->st, &q, all, sizeof(all));
	assert_non_null(strstr(all, "SEARCH m USING PRIMARY KEY (due>? AND due<?)"));
	assert_non_null(strstr(all, "measure_owners_owner"));
	kg_filter_clear(&q.filter);
}

static void
test_measures_documents(void **state)
{
	struct fixture *fx = *state;
	struct kg_measure_list ml = {0};
	struct kg_measure m;
	struct kg_document_list dl = {0};
	struct kg_document d;
	struct kg_err err;
	int64_t id = add_measure(fx->st, "情報セキュリティ対策", "内閣官房", "総務省");

	assert_int_equal(kg_store_measures(fx->st, &ml, &err), 0);
	assert_int_equal(ml.n, 1);
	assert_string_equal(ml.v[0].title, "情報セキュリティ対策");
	assert_int_equal(ml.v[0].owners.n, 2);
	assert_int_equal(ml.v[0].notes.n, 1);
	kg_measure_list_clear(&ml);
	assert_int_equal(kg_store_measure_get(fx->st, id, &m, &err), 0);
	assert_string_equal(m.owners.v[1], "総務省");
	kg_measure_clear(&m);
	assert_int_equal(kg_store_measure_get(fx->st, 77, &m, &err), -1);
	assert_string_equal(err.msg, "no measure '77'");

	assert_int_equal(kg_store_documents(fx->st, &dl, &err), 0);
	assert_int_equal(dl.n, 0);
	kg_document_list_clear(&dl);
	assert_int_equal(kg_store_document_get(fx->st, "report.txt", &d, &err), -1);
	assert_string_equal(err.msg, "no document 'report.txt'");
}

static void
test_transactions(void **state)
{
	struct fixture *fx = *state;
	struct kg_query q;
	struct kg_milestone_list l = {0};
	struct kg_err err;

	kg_query_init(&q);
	assert_int_equal(kg_store_begin(fx->st, &err), 0);
	add_ms(fx->st, "kept?", 0, KG_KIND_OTHER, KG_STATUS_PLANNED, NULL, "2009-01-01");
	assert_int_equal(kg_store_milestone_purge(fx->st, 99, &err), -1);
	/* The failed purge undid only itself; the caller's transaction goes on. */
	assert_int_equal(kg_store_milestones(fx->st, &q, &l, &err), 0);
	assert_int_equal(l.n, 1);
	kg_milestone_list_clear(&l);
	kg_store_rollback(fx->st);
	assert_int_equal(kg_store_milestones(fx->st, &q, &l, &err), 0);
	assert_int_equal(l.n, 0);
}

static void
test_data_version(void **state)
{
	struct fixture *fx = *state;
	struct kg_store *other;
	struct kg_err err;
	int64_t before;

	before = kg_store_data_version(fx->st);
	assert_int_equal(kg_store_open(fx->path, 0, &other, &err), 0);
	add_ms(other, "from elsewhere", 0, KG_KIND_OTHER, KG_STATUS_PLANNED, NULL, "2009-01-01");
	kg_store_close(other);
	assert_int_not_equal(kg_store_data_version(fx->st), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_history_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_owners, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measure_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measures_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_version, setup, teardown),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
