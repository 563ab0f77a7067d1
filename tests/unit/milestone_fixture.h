/*
 * milestone_fixture — a milestone added by hand to a test's database, one
 * day wide, for the tests of what follows deadlines (test_outbox,
 * test_deliver, test_remind).
 */
#ifndef KG_TEST_MILESTONE_FIXTURE_H
#define KG_TEST_MILESTONE_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "store.h"

/* Adds `title` due on `due` with status and one owner (NULL: none) to st;
 * returns its id. */
static int64_t
fixture_milestone(struct kg_store *st, const char *title, kg_day due, enum kg_status status,
    const char *owner)
{
	struct kg_milestone m = {0};
	struct kg_err err;
	int64_t id;

	m.title = strdup(title);
	m.kind = KG_KIND_EXERCISE;
	m.status = status;
	m.window_start = m.window_end = due;
	m.precision = KG_PREC_DAY;
	m.manual = true;
	if (owner != NULL && kg_strv_push(&m.owners, owner, (size_t)-1) < 0)
		fail_msg("out of memory");
	if (kg_store_milestone_add(st, &m, &err) < 0)
		fail_msg("milestone_add: %s", err.msg);
	id = m.id;
	kg_milestone_clear(&m);
	return id;
}

#endif
