/* Unit tests for lib/export: the one JSON shape (keys, nulls, dates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

/* The keys of obj, in order, joined by ",". */
static void
assert_keys(json_t *obj, const char *want)
{
	char got[512] = "";
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		(void)v;
		if (got[0])
			strcat(got, ",");
		strcat(got, key);
	}
	assert_string_equal(got, want);
}

static void
assert_dump(json_t *v, const char *want)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
fill_milestone(struct kg_milestone *m)
{
	memset(m, 0, sizeof(*m));
	m->id = 7;
	m->uid = strdup("a1b2@kigen");
	m->measure_id = 3;
	m->title = strdup("演習を実施");
	m->kind = KG_KIND_EXERCISE;
	m->status = KG_STATUS_PLANNED;
	m->certainty = KG_CERT_PLANNED;
	m->window_start = kg_day_from_civil(2009, 3, 1);
	m->window_end = kg_day_from_civil(2009, 3, 31);
	m->precision = KG_PREC_MONTH;
	m->expr = strdup("平成21年３月中");
	m->sentence = strdup("平成21年３月中に演習を実施する予定。");
	m->document_id = 1;
	m->line = 120;
	m->page = 4;
	m->uncertain = true;
	m->uncertain_reason = strdup("year not given");
	m->sequence = 2;
	kg_strv_push(&m->owners, "内閣官房", (size_t)-1);
	kg_strv_push(&m->owners, "総務省", (size_t)-1);
}

static void
test_milestone(void **state)
{
	struct kg_milestone m;
	json_t *j;

	(void)state;
	fill_milestone(&m);
	j = kg_milestone_json(&m);
	assert_non_null(j);
	assert_keys(j, "id,uid,measure_id,title,kind,status,certainty,window_start,window_end,"
	    "due,precision,expr,owners,sequence,manual,gone,conflict,uncertain,"
	    "uncertain_reason,source");
	assert_dump(j,
	    "{\"id\":7,\"uid\":\"a1b2@kigen\",\"measure_id\":3,\"title\":\"演習を実施\","
	    "\"kind\":\"exercise\",\"status\":\"planned\",\"certainty\":\"planned\","
	    "\"window_start\":\"2009-03-01\",\"window_end\":\"2009-03-31\","
	    "\"due\":\"2009-03-31\",\"precision\":\"month\",\"expr\":\"平成21年３月中\","
	    "\"owners\":[\"内閣官房\",\"総務省\"],\"sequence\":2,\"manual\":false,"
	    "\"gone\":false,\"conflict\":false,\"uncertain\":true,"
	    "\"uncertain_reason\":\"year not given\",\"source\":{\"document_id\":1,"
	    "\"line\":120,\"page\":4,\"sentence\":\"平成21年３月中に演習を実施する予定。\"}}");
	json_decref(j);
	kg_milestone_clear(&m);
}

/* A manual milestone without measure, source or end: nulls, same keys. */
static void
test_milestone_nulls(void **state)
{
	struct kg_milestone m = {0};
	json_t *j;

	(void)state;
	m.id = 1;
	m.title = strdup("x");
	m.kind = KG_KIND_OTHER;
	m.window_start = kg_day_from_civil(2008, 10, 1);
	m.window_end = KG_DAY_NONE;
	m.precision = KG_PREC_OPEN_START;
	m.manual = true;
	j = kg_milestone_json(&m);
	assert_non_null(j);
	assert_dump(j,
	    "{\"id\":1,\"uid\":null,\"measure_id\":null,\"title\":\"x\",\"kind\":\"other\","
	    "\"status\":\"planned\",\"certainty\":\"none\",\"window_start\":\"2008-10-01\","
	    "\"window_end\":null,\"due\":null,\"precision\":\"open_start\",\"expr\":null,"
	    "\"owners\":[],\"sequence\":0,\"manual\":true,\"gone\":false,"
	    "\"conflict\":false,\"uncertain\":false,\"uncertain_reason\":null,"
	    "\"source\":{\"document_id\":null,\"line\":null,\"page\":null,"
	    "\"sentence\":null}}");
	json_decref(j);
	kg_milestone_clear(&m);
}

static void
test_measure(void **state)
{
	struct kg_measure m = {0};
	json_t *j;

	(void)state;
	m.id = 3;
	m.document_id = 1;
	m.title = strdup("GSOC");
	m.heading = strdup("第1章");
	kg_strv_push(&m.owners, "内閣官房", (size_t)-1);
	kg_strv_push(&m.notes, "今後も継続的に発行予定", (size_t)-1);
	j = kg_measure_json(&m);
	assert_dump(j, "{\"id\":3,\"document_id\":1,\"title\":\"GSOC\",\"owners\":[\"内閣官房\"],"
	    "\"heading\":\"第1章\",\"notes\":[\"今後も継続的に発行予定\"],\"plan\":null,"
	    "\"continues\":null}");
	json_decref(j);
	kg_measure_clear(&m);
}

static void
test_document(void **state)
{
	struct kg_document d = {0};
	json_t *j;

	(void)state;
	d.id = 1;
	d.name = strdup("secure-japan-2008-h1.txt");
	d.sha256 = strdup("ab12");
	d.as_of = kg_day_from_civil(2008, 9, 30);
	d.imported_at = 1222732800; /* 2008-09-30T00:00:00Z */
	d.summary_json = strdup("{\"done\":10}");
	j = kg_document_json(&d);
	assert_dump(j, "{\"id\":1,\"name\":\"secure-japan-2008-h1.txt\",\"sha256\":\"ab12\","
	    "\"as_of\":\"2008-09-30\",\"imported_at\":\"2008-09-30T00:00:00Z\","
	    "\"summary\":{\"done\":10},\"url\":null,\"etag\":null,\"last_modified\":null}");
	json_decref(j);
	/* a summary that is not JSON reads as null */
	free(d.summary_json);
	d.summary_json = strdup("{broken");
	j = kg_document_json(&d);
	assert_true(json_is_null(json_object_get(j, "summary")));
	json_decref(j);
	kg_document_clear(&d);
}

static void
test_listing_and_export(void **state)
{
	struct kg_milestone_list ml = {0};
	struct kg_measure_list mel = {0};
	struct kg_document doc = {0};
	json_t *j;

	(void)state;
	fill_milestone(kg_milestone_list_add(&ml));
	j = kg_listing_json(kg_day_from_civil(2008, 11, 1), &ml);
	assert_keys(j, "as_of,milestones");
	assert_string_equal(json_string_value(json_object_get(j, "as_of")), "2008-11-01");
	assert_int_equal(json_array_size(json_object_get(j, "milestones")), 1);
	json_decref(j);

	kg_measure_list_add(&mel)->id = 3;
	doc.id = 1;
	doc.as_of = KG_DAY_NONE;
	j = kg_export_json(&doc, 1, &mel, &ml);
	assert_keys(j, "version,documents,measures,milestones");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "documents")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "measures")), 1);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(json_object_get(j, "milestones"), 0), "id")), 7);
	json_decref(j);

	/* empty database: empty arrays, not nulls */
	kg_milestone_list_clear(&ml);
	kg_measure_list_clear(&mel);
	j = kg_export_json(NULL, 0, &mel, &ml);
	assert_dump(j, "{\"version\":1,\"documents\":[],\"measures\":[],\"milestones\":[]}");
	json_decref(j);
}

static bool
odd_ids(const struct kg_milestone *m, void *arg)
{
	(void)arg;
	return m->id % 2 == 1;
}

/* The streamed listing is byte for byte the tree's compact dump. */
static void
test_listing_write(void **state)
{
	static const kg_day as_of[] = {0, KG_DAY_NONE};
	struct kg_milestone_list ml = {0}, odd = {0};
	char *want, *got;
	size_t i, len, k;
	FILE *f;
	json_t *j;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct kg_milestone *m = kg_milestone_list_add(&ml);

		fill_milestone(m);
		m->id = (int64_t)i + 1;
	}
	for (i = 0; i < 3; i += 2)
		kg_milestone_copy(kg_milestone_list_add(&odd), &ml.v[i]);
	for (k = 0; k < 2; k++) {
		kg_day day = as_of[k] == 0 ? kg_day_from_civil(2008, 11, 1) : as_of[k];

		for (i = 0; i < 3; i++) {
			const struct kg_milestone_list *l = i == 0 ? &ml : i == 1 ? &odd : NULL;
			struct kg_milestone_list none = {0};

			j = kg_listing_json(day, l != NULL ? l : &none);
			want = json_dumps(j, JSON_COMPACT);
			json_decref(j);
			assert_non_null(f = open_memstream(&got, &len));
			assert_int_equal(kg_listing_write(f, day, ml.v, i == 2 ? 0 : ml.n,
			    i == 1 ? odd_ids : NULL, NULL), 0);
			fclose(f);
			assert_string_equal(got, want);
			free(got);
			free(want);
		}
	}
	kg_milestone_list_clear(&ml);
	kg_milestone_list_clear(&odd);
}

/* A delivery: every key, nulls for what has not happened (no attempt yet,
 * not done, no expiry). */
static void
test_delivery(void **state)
{
	struct kg_delivery d = {0};
	json_t *j;

	(void)state;
	d.id = 5;
	d.endpoint = (char *)"ops";
	d.milestone_id = 7;
	d.milestone_title = (char *)"演習を実施";
	d.lead_days = 7;
	d.deadline = kg_day_from_civil(2008, 12, 1);
	d.type = (char *)"milestone.reminder";
	d.webhook_id = (char *)"msg_1";
	d.fire_at = 1227484800;
	d.status = KG_DLV_PENDING;
	d.attempts = 1;
	d.next_attempt_at = 1227484805;
	d.last_attempt_at = 1227484800;
	d.last_http_status = 503;
	d.last_error = (char *)"http 503";
	d.created_at = 1227484800;
	j = kg_delivery_json(&d);
	assert_dump(j, "{\"id\":5,\"endpoint\":\"ops\",\"status\":\"pending\","
	    "\"milestone_id\":7,\"milestone_title\":\"演習を実施\",\"type\":\"milestone.reminder\","
	    "\"lead_days\":7,\"deadline\":\"2008-12-01\",\"webhook_id\":\"msg_1\",\"late\":false,"
	    "\"fire_at\":\"2008-11-24T00:00:00Z\",\"attempts\":1,"
	    "\"next_attempt_at\":\"2008-11-24T00:00:05Z\",\"last_attempt_at\":\"2008-11-24T00:00:00Z\","
	    "\"last_http_status\":503,\"last_error\":\"http 503\","
	    "\"created_at\":\"2008-11-24T00:00:00Z\",\"done_at\":null}");
	json_decref(j);
	/* Delivered: no next attempt. */
	d.status = KG_DLV_DELIVERED;
	d.done_at = 1227484806;
	d.last_error = NULL;
	j = kg_delivery_json(&d);
	assert_true(json_is_null(json_object_get(j, "next_attempt_at")));
	assert_true(json_is_null(json_object_get(j, "last_error")));
	assert_string_equal(json_string_value(json_object_get(j, "done_at")),
	    "2008-11-24T00:00:06Z");
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_milestone),
		cmocka_unit_test(test_milestone_nulls),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_listing_and_export),
		cmocka_unit_test(test_listing_write),
		cmocka_unit_test(test_delivery),
	};

	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
