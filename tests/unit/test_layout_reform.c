/* Unit tests for lib/layout_reform: rows in block order and on one line,
 * sub-items with their 実施時期 segments, notes policy, headers, headings,
 * detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "layout_fixture.h"

#define HEAD "規制改革実施計画\n令和３年６月18日\n閣議決定\nNo. 事項名 規制改革の内容 実施時期 所管府省\n"

static void
test_rows(void **state)
{
	static const struct {
		const char *what, *text, *title, *owners, *unit0, *unit1;
		enum kg_unit_notes notes0;
	} cases[] = {
		{"block order, sub-items, timing broken inside words",
		 HEAD "1 電子署名の利用\n促進\na 法務省は、利用状況を調査し、\n結論を得る。\nb 法務省は、規則を改正する。\n"
		 "a：令和３年度検\n討開始、令和４年\n度結論\nb：令和４年度措置\n法務省\n総務省\n",
		 "電子署名の利用促進", "法務省|総務省",
		 "法務省は、利用状況を調査し、結論を得る。実施時期：令和３年度検討開始、令和４年度結論",
		 "法務省は、規則を改正する。実施時期：令和４年度措置", KG_NOTES_IF_UNDATED},
		{"all cells of a row on one line, the sentence continued below",
		 HEAD "2 書面の電子化 法務省は、届出を可能と\nする。 令和３年度中に措置 法務省\n",
		 "書面の電子化", "法務省", "法務省は、届出を可能とする。実施時期：令和３年度中に措置", NULL,
		 KG_NOTES_IF_UNDATED},
		{"sub-items side by side with their timing and owner",
		 HEAD "3 資格試験 a 経済産業省は、検討し、結論を得る。 a：令和３年度結論 経済産業省\n"
		 "b 経済産業省は、省令を改正する。 b：令和４年度措置\n",
		 "資格試験", "経済産業省", "経済産業省は、検討し、結論を得る。実施時期：令和３年度結論",
		 "経済産業省は、省令を改正する。実施時期：令和４年度措置", KG_NOTES_IF_UNDATED},
		{"date spacing is no cell border; an unkeyed timing applies to all",
		 HEAD "4 本人確認\na 金融庁は、指針を改正する。\nb 金融庁は、周知する。\n令和３年 10 月に措置\n金融庁\n",
		 "本人確認", "金融庁", "金融庁は、指針を改正する。実施時期：令和３年 10 月に措置",
		 "金融庁は、周知する。実施時期：令和３年 10 月に措置", KG_NOTES_IF_UNDATED},
		{"a key for two sub-items",
		 HEAD "5 手続\na 内閣府は、調査する。\nb 内閣府は、公表する。\na,b：令和４年度措置\n内閣府\n",
		 "手続", "内閣府", "内閣府は、調査する。実施時期：令和４年度措置",
		 "内閣府は、公表する。実施時期：令和４年度措置", KG_NOTES_IF_UNDATED},
		{"措置済み: no undated plan",
		 HEAD "6 電子契約\n国土交通省は、運用を明確化する。\n措置済み\n国土交通省\n",
		 "電子契約", "国土交通省", "国土交通省は、運用を明確化する。実施時期：措置済み", NULL, KG_NOTES_NONE},
		{"a page break inside the row: page number, form feed, header again",
		 HEAD "8 診療\na 厚生労働省は、指針を\n- 3 -\n\fNo. 事項名 規制改革の内容 実施時期 所管府省\n改訂する。\n"
		 "a：令和４年\n- 4 -\n\fNo. 事項名 規制改革の内容 実施時期 所管府省\n度措置\n厚生労働省\n",
		 "診療", "厚生労働省", "厚生労働省は、指針を改訂する。実施時期：令和４年度措置", NULL,
		 KG_NOTES_IF_UNDATED},
		{"no timing at all",
		 HEAD "7 添付書類\nデジタル庁は、省略を推進する。\nデジタル庁\n",
		 "添付書類", "デジタル庁", "デジタル庁は、省略を推進する。", NULL, KG_NOTES_IF_UNDATED},
	};
	struct fx_parsed p;
	char owners[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_parse(&kg_layout_reform, cases[i].text, &p);
		if (p.imp.measures.n != 1)
			fail_msg("%s: %zu rows", cases[i].what, p.imp.measures.n);
		fx_owners(&p.imp.measures.v[0], owners, sizeof(owners));
		if (strcmp(p.imp.measures.v[0].title, cases[i].title) != 0)
			fail_msg("%s: title '%s'", cases[i].what, p.imp.measures.v[0].title);
		if (strcmp(owners, cases[i].owners) != 0)
			fail_msg("%s: owners '%s'", cases[i].what, owners);
		if (p.nunits < 1 || strcmp(p.units[0], cases[i].unit0) != 0)
			fail_msg("%s: unit '%s'", cases[i].what, p.units[0]);
		if (cases[i].unit1 != NULL && (p.nunits < 2 || strcmp(p.units[1], cases[i].unit1) != 0))
			fail_msg("%s: second unit '%s'", cases[i].what, p.units[1]);
		if (p.notes[0] != cases[i].notes0)
			fail_msg("%s: notes policy %d", cases[i].what, (int)p.notes[0]);
		kg_import_clear(&p.imp);
	}
}

/* Rows follow their numbers; headings and repeated headers end or skip. */
static void
test_structure(void **state)
{
	static const char text[] = HEAD "Ⅱ 分野別実施事項\n1．デジタル分野\n(1) 押印の見直し\n"
		"1 押印\n各府省は、見直す。\n令和３年度措置\n全府省\n"
		"10 月に開始する予定の説明会に参加する。\n"   /* a date cut off, no row 10 */
		"- 2 -\nNo. 事項名 規制改革の内容 実施時期 所管府省\n"
		"2 届出\n法務省は、電子化する。\n令和４年度措置\n法務省\n"
		"2．医療分野\n3 診療\n厚生労働省は、指針を改訂する。\n令和４年度措置\n厚生労働省\n";
	struct fx_parsed p;

	(void)state;
	fx_parse(&kg_layout_reform, text, &p);
	assert_int_equal(p.imp.measures.n, 3);
	assert_string_equal(p.units[0],
		"各府省は、見直す。10 月に開始する予定の説明会に参加する。実施時期：令和３年度措置");
	assert_string_equal(p.imp.measures.v[1].title, "届出");
	assert_string_equal(p.imp.measures.v[1].heading, "1．デジタル分野");
	assert_string_equal(p.imp.measures.v[1].subheading, "(1) 押印の見直し");
	assert_string_equal(p.imp.measures.v[2].heading, "2．医療分野");
	assert_null(p.imp.measures.v[2].subheading);
	kg_import_clear(&p.imp);
}

static void
test_detect(void **state)
{
	static const char reform[] = HEAD "1 押印\na 各府省は、見直す。\na：令和３年度措置\nb：令和４年度措置\n全府省\n";
	static const char other[] = "計画\n(ア) 総務省\n周知する。\n実施時期：令和３年度\n";

	(void)state;
	assert_int_equal(fx_detect(&kg_layout_reform, reform), 90);
	assert_int_equal(fx_detect(&kg_layout_annual, reform), 0);
	assert_int_equal(fx_detect(&kg_layout_reform, other), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
