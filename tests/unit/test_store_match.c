/*
 * Unit tests for lib/store_match: plan keys from titles (table), the map of
 * 64-bit keys the merge counts with, event keys and UIDs.  How well events
 * of real reports match is tested in test_store_import.c (test_event_score).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

#define SEED_TITLE "「セキュア・ジャパン２００８」の進捗状況（上半期）について"
#define NEXT_TITLE "「セキュア・ジャパン２００８」の進捗状況（下半期）について"

static void
test_plan_key(void **state)
{
	static const struct {
		const char *title, *key;
	} cases[] = {
		{ SEED_TITLE, "セキュア・ジャパン2008" },
		{ NEXT_TITLE, "セキュア・ジャパン2008" },
		{ "「セキュア・ジャパン２００９」の進捗状況（上半期）について",
		  "セキュア・ジャパン2009" },
		/* annual plans: the quoted name without its edition in brackets */
		{ "「サイバーセキュリティ2024（2023年度年次報告・2024年度年次計画）」",
		  "サイバーセキュリティ2024" },
		{ "サイバーセキュリティ２０２３\n（２０２２年度年次報告・２０２３年度年次計画）",
		  "サイバーセキュリティ2023" },
		{ "「第２次情報セキュリティ基本計画」に基づく重点施策の進捗状況について",
		  "第2次情報セキュリティ基本計画" },
		/* follow-ups and plans without quotes */
		{ "規制改革実施計画のフォローアップ結果について", "規制改革実施計画" },
		{ "デジタル社会の実現に向けた重点計画", "デジタル社会の実現に向けた重点計画" },
		{ "【別添】経済・財政再生計画 改革工程表の進捗状況", "経済・財政再生計画改革工程表" },
		{ "「」について", "「」" },
		{ NULL, "" },
	};
	size_t i;
	char *k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k = kg_store_plan_key(cases[i].title);
		assert_non_null(k);
		if (strcmp(k, cases[i].key) != 0)
			fail_msg("plan key of '%s': '%s', expected '%s'",
			    cases[i].title ? cases[i].title : "(null)", k, cases[i].key);
		free(k);
	}
}

static void
test_u64map(void **state)
{
	struct kg_u64map m = {0};
	uint64_t k;
	int64_t v;

	(void)state;
	assert_false(kg_u64map_get(&m, 42, &v));
	assert_false(kg_u64map_get(&m, 0, &v));
	for (k = 0; k < 5000; k++)
		assert_int_equal(kg_u64map_put(&m, k * 0x10001ULL, (int64_t)k), 0);
	assert_int_equal(m.n, 4999);     /* key 0 is kept apart */
	for (k = 0; k < 5000; k++) {
		assert_true(kg_u64map_get(&m, k * 0x10001ULL, &v));
		assert_int_equal(v, (int64_t)k);
	}
	assert_false(kg_u64map_get(&m, 3, NULL));
	assert_int_equal(kg_u64map_put(&m, 0x10001ULL, -7), 0);  /* replaces */
	assert_true(kg_u64map_get(&m, 0x10001ULL, &v));
	assert_int_equal(v, -7);
	assert_int_equal(m.n, 4999);
	assert_true(2 * m.n <= m.cap);
	kg_u64map_clear(&m);
	assert_int_equal(m.cap, 0);
}

static void
test_event_key(void **state)
{
	uint64_t a = kg_store_event_key("p", "m", "meeting", "平成20年12月", "文。", 0);
	char *u0 = kg_store_event_uid("p", "m", "meeting", "平成20年12月", "文。", 0);
	char *u1 = kg_store_event_uid("p", "m", "meeting", "平成20年12月", "文。", 1);

	(void)state;
	assert_int_not_equal(a, 0);
	assert_true(a == kg_store_event_key("p", "m", "meeting", "平成20年12月", "文。", 0));
	/* the k-th identical event, and field boundaries, make other keys */
	assert_true(a != kg_store_event_key("p", "m", "meeting", "平成20年12月", "文。", 1));
	assert_true(kg_store_event_key("pm", "", "x", NULL, NULL, 0) !=
	    kg_store_event_key("p", "m", "x", NULL, NULL, 0));
	assert_int_equal(strlen(u0), 32 + strlen("@kigen"));
	assert_string_not_equal(u0, u1);
	assert_non_null(strstr(u0, "@kigen"));
	free(u0);
	free(u1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_key),
		cmocka_unit_test(test_u64map),
		cmocka_unit_test(test_event_key),
	};

	return cmocka_run_group_tests_name("store_match", tests, NULL, NULL);
}
