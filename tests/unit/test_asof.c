/* Unit tests for lib/asof: the as-of date of a document's preamble, one row
 * per source, and the line it came from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "asof.h"
#include "layout_fixture.h"

static const struct {
	const char *what, *preamble;
	const char *as_of;           /* "" when nothing is found */
	enum kg_asof_source source;
	int line;                    /* 1-based line it came from */
} cases[] = {
	{"status date", " 「計画」の進捗状況について\n\n（平成20年９月30日現在）\n",
	 "2008-09-30", KG_ASOF_STATUS, 3},
	{"status date, month end, across a line break", "進捗状況について\n※2010年9\n月末時点\n",
	 "2010-09-30", KG_ASOF_STATUS, 2},
	{"status date wins over the title's period", "「計画」の進捗状況（上半期）について\n平成20年８月末現在\n",
	 "2008-08-31", KG_ASOF_STATUS, 2},
	{"half year in the title", " 「セキュア・ジャパン２００８」の進捗状況（上半期）について\n",
	 "2008-09-30", KG_ASOF_PERIOD, 1},
	{"second half", "「計画２００９」の進捗状況（下半期）について\n", "2010-03-31", KG_ASOF_PERIOD, 1},
	{"quarter on a later line", "情報セキュリティ\n２０１２年度（第３四半期）\n", "2012-12-31", KG_ASOF_PERIOD, 2},
	{"decision on the cover, letter-spaced", "サイバーセキュリティ２０２４\n\n２ ０ ２ ４ 年 ７ 月 1 0 日\n"
	 "サイバーセキュリティ戦略本部決定\n", "2024-07-10", KG_ASOF_DECISION, 3},
	{"decision on one line", "規制改革実施計画\n令和３年６月18日閣議決定\n", "2021-06-18", KG_ASOF_DECISION, 2},
	{"decision wins over an annual title", "2023年度年次報告・2024年度年次計画\n令 和 ６ 年 ７ 月 10 日\n閣 議 決 定\n",
	 "2024-07-10", KG_ASOF_DECISION, 2},
	{"a cited decision is no decision", "規制改革実施計画（令和元年6月21日閣議決定）に基づく"
	 "フォローアップ\n令和２年７月２日\n規制改革推進会議\n", "2020-07-02", KG_ASOF_MEETING, 2},
	{"meeting on the date's line", "フォローアップ結果について\n令 和 2 年 7 月 2 日規制改革推進会議\n",
	 "2020-07-02", KG_ASOF_MEETING, 2},
	{"meeting named before the date", "資料１\n第30回サイバーセキュリティ戦略本部\n令和３年９月27日\n",
	 "2021-09-27", KG_ASOF_MEETING, 3},
	{"dated cover line", "重点計画２０２３\n\n令和５年６月９日\n", "2023-06-09", KG_ASOF_COVER, 3},
	{"cover month alone: its last day", "ＫＰＩの進捗状況\n2023年12月\n", "2023-12-31", KG_ASOF_COVER, 2},
	{"a date inside a sentence is no cover", "重点計画\n令和５年６月９日に決定した計画の進捗を示す。\n", "",
	 KG_ASOF_NONE, 0},
	{"fiscal year alone in the title", "平成20年度 情報セキュリティ対策の実施状況\n", "2009-03-31", KG_ASOF_YEAR, 1},
	{"nothing", " 進捗状況について\n", "", KG_ASOF_NONE, 0},
	{"impossible date", "令和５年２月30日\n", "", KG_ASOF_NONE, 0},
};

static void
test_sources(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kg_text text;
		struct kg_doc d;
		struct kg_asof a;
		char day[KG_DATE_LEN];

		fx_doc(cases[i].preamble, &text, &d);
		assert_int_equal(kg_asof_infer(&d, &a), 0);
		if (strcmp(a.day == KG_DAY_NONE ? "" : kg_date_format(a.day, day), cases[i].as_of) != 0)
			fail_msg("%s: as of '%s', expected '%s'", cases[i].what,
				a.day == KG_DAY_NONE ? "" : day, cases[i].as_of);
		if (a.source != cases[i].source)
			fail_msg("%s: source %s, expected %s", cases[i].what,
				kg_asof_source_text(a.source), kg_asof_source_text(cases[i].source));
		if (a.day != KG_DAY_NONE && d.lines[a.line].lineno != cases[i].line)
			fail_msg("%s: line %d, expected %d", cases[i].what, d.lines[a.line].lineno,
				cases[i].line);
		fx_release(&text, &d);
	}
}

/* Only the preamble counts: a date after the first item is not read. */
static void
test_preamble_only(void **state)
{
	static const char doc[] = "重点計画\n（１）項目\n令和５年６月９日\n";
	struct kg_text text;
	struct kg_doc d;
	struct kg_asof a;

	(void)state;
	fx_doc(doc, &text, &d);
	d.preamble_end = 1;
	assert_int_equal(kg_asof_infer(&d, &a), 0);
	assert_int_equal(a.day, KG_DAY_NONE);
	fx_release(&text, &d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_preamble_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
