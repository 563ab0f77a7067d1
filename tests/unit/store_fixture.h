/*
 * store_fixture — a fresh database in a temporary directory for each store
 * test (test_store.c, test_store_import.c), removed afterwards.
 */
#ifndef KG_TEST_STORE_FIXTURE_H
#define KG_TEST_STORE_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

struct fixture {
	char dir[64];
	char path[128];
	struct kg_store *st;
};

/* The database lives one directory down: KG_STORE_MKDIR creates it. */
static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct kg_err err;

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/kigen-test-store-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/sub/kigen.db", fx->dir);
	if (kg_store_open(fx->path, KG_STORE_MKDIR, &fx->st, &err) < 0)
		fail_msg("open: %s", err.msg);
	*state = fx;
	return 0;
}

/* The copies of a measure's title and owners in its milestones (schema v6,
 * what a listing shows) equal the measure's own: checked after every store
 * test, whatever writes it made. */
static void
assert_measure_copies(struct kg_store *st)
{
	sqlite3_stmt *s;

	if (st == NULL)
		return;
	assert_int_equal(sqlite3_prepare_v2(kg_store_db(st), "SELECT count(*) FROM"
	    " milestones m LEFT JOIN measures ms ON ms.id = m.measure_id"
	    " WHERE m.measure_title IS NOT ms.title OR m.measure_owners IS NOT ms.owners",
	    -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[160];

	assert_measure_copies(fx->st);
	kg_store_close(fx->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* "YYYY-MM-DD" -> kg_day; NULL -> KG_DAY_NONE. */
static kg_day
day(const char *s)
{
	kg_day d;

	if (s == NULL)
		return KG_DAY_NONE;
	if (kg_date_parse(s, &d, NULL) < 0)
		fail_msg("bad test date %s", s);
	return d;
}

#endif
