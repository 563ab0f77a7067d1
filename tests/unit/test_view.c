/*
 * test_view — views filled from the one before (kg_view_fill_delta) and the
 * hand-over of the strings they share: an old view a render job still
 * holds keeps every row it lists readable through later publications
 * (ASan sees a use after free if not).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "store.h"
#include "view.h"

/* Adds milestone id titled title, due on day 20000 + id. */
static void
add(struct kg_milestone_list *l, int64_t id, const char *title)
{
	struct kg_milestone *m = kg_milestone_list_add(l);
	char uid[32];

	assert_non_null(m);
	snprintf(uid, sizeof(uid), "m%lld@test", (long long)id);
	m->id = id;
	m->uid = strdup(uid);
	m->title = strdup(title);
	m->kind = KG_KIND_EXERCISE;
	m->status = KG_STATUS_PLANNED;
	m->window_start = m->window_end = (kg_day)(20000 + id);
	m->precision = KG_PREC_DAY;
}

/* The view after prev with milestone id retitled, handed over as the
 * publisher does. */
static struct kg_view *
next_view(const struct kg_conf *c, struct kg_view *prev, int64_t id, const char *title,
    int64_t version)
{
	struct kg_milestone_list changed = {0};
	struct kg_id_list ids = {0};
	struct kg_change_list slips = {0};
	struct kg_view *v;
	struct kg_err err;

	add(&changed, id, title);
	assert_int_equal(kg_id_list_add(&ids, id), 0);
	assert_int_equal(kg_view_prepare(c, &v, &err), 0);
	if (kg_view_fill_delta(v, prev, &changed, &ids, &slips, version, NULL, &err) < 0)
		fail_msg("fill_delta: %s", err.msg);
	kg_view_hand_over(prev, v);
	kg_id_list_clear(&ids);
	kg_milestone_list_clear(&changed);
	return v;
}

static void
test_old_view_outlives_two_publications(void **state)
{
	struct kg_milestone_list ms = {0};
	struct kg_measure_list measures = {0};
	struct kg_change_list slips = {0};
	struct kg_view *v0, *v1, *v2, *job;
	struct kg_conf c;
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_conf_defaults(&c, &err), 0);
	add(&ms, 1, "one");
	add(&ms, 2, "two");
	add(&ms, 3, "three");
	assert_int_equal(kg_view_prepare(&c, &v0, &err), 0);
	if (kg_view_fill(v0, &ms, &measures, &slips, 1, NULL, NULL, &err) < 0)
		fail_msg("fill: %s", err.msg);
	job = kg_view_ref(v0);          /* a render job's reference */
	v1 = next_view(&c, v0, 2, "two, moved", 2);
	kg_view_unref(v0);              /* the publisher's, as v1 is published */
	v2 = next_view(&c, v1, 3, "three, moved", 3);
	kg_view_unref(v1);              /* v1's old row 3 is v0's row 3 */
	assert_string_equal(kg_view_milestone(job, "3")->title, "three");
	assert_string_equal(kg_view_milestone(job, "2")->title, "two");
	assert_string_equal(kg_view_milestone(v2, "3")->title, "three, moved");
	assert_string_equal(kg_view_milestone(v2, "2")->title, "two, moved");
	assert_string_equal(kg_view_milestone(v2, "1")->title, "one");
	kg_view_unref(job);
	assert_string_equal(kg_view_milestone(v2, "1")->title, "one");
	kg_view_unref(v2);
	kg_milestone_list_clear(&ms);
	kg_measure_list_clear(&measures);
	kg_conf_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_view_outlives_two_publications),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
