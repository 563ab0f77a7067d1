/* Unit tests for lib/model (names, containers, filters) and lib/err. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "model.h"

static void
test_names_round_trip(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < KG_STATUS_COUNT; i++)
		assert_int_equal(kg_status_parse(kg_status_name(i)), i);
	for (i = 0; i < KG_CERT_COUNT; i++)
		assert_int_equal(kg_certainty_parse(kg_certainty_name(i)), i);
	for (i = 0; i < KG_PREC_COUNT; i++)
		assert_int_equal(kg_precision_parse(kg_precision_name(i)), i);
	for (i = 0; i < KG_KIND_COUNT; i++)
		assert_int_equal(kg_kind_parse(kg_kind_name(i)), i);
	assert_string_equal(kg_kind_name(KG_KIND_OPERATION_START), "operation_start");
	assert_string_equal(kg_precision_name(KG_PREC_OPEN_START), "open_start");
	assert_int_equal(kg_status_parse("Done"), -1);
	assert_int_equal(kg_kind_parse(""), -1);
	assert_int_equal(kg_kind_parse(NULL), -1);
	assert_string_equal(kg_status_name(KG_STATUS_COUNT), "unknown");
}

static void
test_strv(void **state)
{
	struct kg_strv sv = {0};
	int i;
	char buf[16];

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(buf, sizeof(buf), "s%d", i);
		assert_int_equal(kg_strv_push(&sv, buf, (size_t)-1), 0);
	}
	assert_int_equal(kg_strv_push(&sv, "総務省、", 9), 0); /* a byte count, not chars */
	assert_int_equal(sv.n, 21);
	assert_string_equal(sv.v[19], "s19");
	assert_string_equal(sv.v[20], "総務省");
	assert_true(kg_strv_contains(&sv, "s7"));
	assert_false(kg_strv_contains(&sv, "s70"));
	assert_true(kg_strv_contains_n(&sv, "s7x", 2));
	assert_false(kg_strv_contains_n(&sv, "s7x", 3));
	assert_false(kg_strv_contains_n(&sv, "s", 1));
	{
		struct kg_strv other = {0};

		assert_false(kg_strv_equal(&sv, &other));
		for (i = 0; i < (int)sv.n; i++)
			assert_int_equal(kg_strv_push(&other, sv.v[i], (size_t)-1), 0);
		assert_true(kg_strv_equal(&sv, &other));
		free(other.v[3]);
		other.v[3] = strdup("s30");
		assert_false(kg_strv_equal(&sv, &other));
		kg_strv_clear(&other);
	}
	assert_true(kg_str_equal(NULL, NULL));
	assert_true(kg_str_equal("総務省", "総務省"));
	assert_false(kg_str_equal("総務省", NULL));
	assert_false(kg_str_equal(NULL, ""));
	assert_false(kg_str_equal("a", "b"));
	kg_strv_clear(&sv);
	assert_int_equal(sv.n, 0);
	assert_null(sv.v);
}

static void
fill(struct kg_milestone *m)
{
	m->kind = KG_KIND_EXERCISE;
	m->status = KG_STATUS_PLANNED;
	m->measure_id = 7;
	m->title = strdup("重要インフラ機能演習");
	m->uid = strdup("abc@kigen");
	m->uncertain = true;
	m->uncertain_reason = strdup("the weekday printed is not this date's");
	kg_strv_push(&m->owners, "内閣官房", (size_t)-1);
	kg_strv_push(&m->owners, "重要インフラ所管省庁", (size_t)-1);
}

static void
test_filter(void **state)
{
	struct kg_filter f = {0};
	struct kg_milestone m = {0};

	(void)state;
	fill(&m);
	assert_true(kg_filter_match(&f, &m));            /* empty matches all */
	kg_strv_push(&f.owners, "総務省", (size_t)-1);
	assert_false(kg_filter_match(&f, &m));
	kg_strv_push(&f.owners, "内閣官房", (size_t)-1);  /* OR within a field */
	assert_true(kg_filter_match(&f, &m));
	kg_strv_push(&f.kinds, "meeting", (size_t)-1);    /* AND across fields */
	assert_false(kg_filter_match(&f, &m));
	kg_strv_push(&f.kinds, "exercise", (size_t)-1);
	assert_true(kg_filter_match(&f, &m));
	kg_strv_push(&f.measures, "8", (size_t)-1);
	assert_false(kg_filter_match(&f, &m));
	kg_strv_push(&f.measures, "7", (size_t)-1);
	assert_true(kg_filter_match(&f, &m));
	kg_strv_push(&f.statuses, "done", (size_t)-1);
	assert_false(kg_filter_match(&f, &m));
	kg_filter_clear(&f);
	kg_milestone_clear(&m);
}

static void
test_filter_copy(void **state)
{
	struct kg_filter f = {0}, g = {0};

	(void)state;
	kg_strv_push(&f.owners, "総務省", (size_t)-1);
	kg_strv_push(&f.owners, "内閣官房", (size_t)-1);
	kg_strv_push(&f.kinds, "report", (size_t)-1);
	kg_strv_push(&f.measures, "12", (size_t)-1);
	kg_strv_push(&g.statuses, "done", (size_t)-1); /* replaced, not kept */
	assert_int_equal(kg_filter_copy(&g, &f), 0);
	assert_int_equal(g.owners.n, 2);
	assert_string_equal(g.owners.v[1], "内閣官房");
	assert_ptr_not_equal(g.owners.v[1], f.owners.v[1]);
	assert_int_equal(g.kinds.n, 1);
	assert_int_equal(g.statuses.n, 0);
	assert_string_equal(g.measures.v[0], "12");
	kg_filter_clear(&f);
	assert_string_equal(g.kinds.v[0], "report"); /* g owns its copies */
	assert_int_equal(kg_strv_copy(&g.owners, &f.owners), 0);
	assert_int_equal(g.owners.n, 0);
	kg_filter_clear(&g);
}

static void
test_copy_and_lists(void **state)
{
	struct kg_milestone_list l = {0};
	struct kg_milestone src = {0}, *m;
	int i;

	(void)state;
	fill(&src);
	for (i = 0; i < 17; i++) {
		m = kg_milestone_list_add(&l);
		assert_non_null(m);
		assert_int_equal(m->window_end, KG_DAY_NONE);
		assert_int_equal(kg_milestone_copy(m, &src), 0);
	}
	assert_int_equal(l.n, 17);
	assert_string_equal(l.v[16].title, "重要インフラ機能演習");
	assert_ptr_not_equal(l.v[16].title, src.title);
	assert_true(l.v[16].uncertain);
	assert_string_equal(l.v[16].uncertain_reason, src.uncertain_reason);
	assert_ptr_not_equal(l.v[16].uncertain_reason, src.uncertain_reason);
	assert_int_equal(l.v[16].owners.n, 2);
	assert_string_equal(l.v[3].owners.v[1], "重要インフラ所管省庁");
	kg_milestone_list_clear(&l);
	kg_milestone_clear(&src);
}

static void
test_err(void **state)
{
	struct kg_err err;

	(void)state;
	assert_int_equal(kg_err_set(&err, "invalid date '%s'", "2009-02-30"), -1);
	assert_string_equal(err.msg, "invalid date '2009-02-30'");
	assert_int_equal(kg_err_prefix(&err, "%s:%d", "kigen.conf", 12), -1);
	assert_string_equal(err.msg, "kigen.conf:12: invalid date '2009-02-30'");
	assert_int_equal(kg_err_set(NULL, "ignored"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_strv),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_copy_and_lists),
		cmocka_unit_test(test_filter_copy),
		cmocka_unit_test(test_err),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
