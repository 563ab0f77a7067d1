/* Unit tests for lib/layout_annual: detection, and one table row per way
 * PDF extraction places the 担当府省庁 cell, plus furniture and headings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "layout_fixture.h"

#define HEAD "別添 2024 年度年次計画\n項番 担当府省庁 2024 年度年次計画\n"

static void
test_owner_cells(void **state)
{
	static const struct {
		const char *what, *text, *owners, *unit, *title;
	} cases[] = {
		{"owner on the label line",
		 "計画\n" HEAD "(ア) 内閣官房\n内閣官房において、演習を\n実施する。\n(イ) 総務省\n総務省において、周知する。\n",
		 "内閣官房", "内閣官房において、演習を実施する。", "演習を実施する"},
		{"owner interleaved between two lines of text",
		 "計画\n" HEAD "(ア) 金融庁において、実態を把握するため、\n金融庁\n調査を実施する。\n(イ) 総務省\n総務省において、周知する。\n",
		 "金融庁", "金融庁において、実態を把握するため、調査を実施する。", "実態を把握するため、調査を実施する"},
		{"owners as a block after the item",
		 "計画\n" HEAD "(ア) 内閣官房及び警察庁において、注意喚起を行う。\n内閣官房\n警察庁\n(イ) 総務省\n周知する。\n",
		 "内閣官房|警察庁", "内閣官房及び警察庁において、注意喚起を行う。", "注意喚起を行う"},
		{"owner glued to the end of a line",
		 "計画\n" HEAD "(ア) 経済産業省において、中小企業を支援するため、 経済産業省\n説明会を開催する。\n(イ) 総務省\n周知する。\n",
		 "経済産業省", "経済産業省において、中小企業を支援するため、説明会を開催する。",
		 "中小企業を支援するため、説明会を開催する"},
		{"two owners on the label line, split at ・",
		 "計画\n" HEAD "(ア) 総務省・経済産業省\n手引きを改定する。\n(イ) 総務省\n周知する。\n",
		 "総務省|経済産業省", "手引きを改定する。", "手引きを改定する"},
		{"a page break inside the item: page number, form feed, headers",
		 "計画\n" HEAD "(ア) 総務省\n総務省において、その結果を\n- 4 -\n\f" HEAD "2025 年２月に公表する。\n(イ) 総務省\n周知する。\n"
		 "- 5 -\n\f" HEAD "(ウ) 総務省\n周知する。\n",
		 "総務省", "総務省において、その結果を2025 年２月に公表する。", "その結果を2025 年２月に公表する"},
		{"a long first sentence makes a title of 40 characters",
		 "計画\n" HEAD "(ア) 総務省\n地方公共団体における情報セキュリティポリシーに関するガイドラインを改定し、周知する。\n(イ) 総務省\n周知する。\n",
		 "総務省", "地方公共団体における情報セキュリティポリシーに関するガイドラインを改定し、周知する。",
		 "地方公共団体における情報セキュリティポリシーに関するガイドラインを改定し、周知…"},
	};
	struct fx_parsed p;
	char owners[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_parse(&kg_layout_annual, cases[i].text, &p);
		if (p.imp.measures.n < 2)
			fail_msg("%s: %zu items", cases[i].what, p.imp.measures.n);
		if (strcmp(fx_owners(&p.imp.measures.v[0], owners, sizeof(owners)), cases[i].owners) != 0)
			fail_msg("%s: owners '%s'", cases[i].what, owners);
		if (strcmp(p.units[0], cases[i].unit) != 0)
			fail_msg("%s: text '%s'", cases[i].what, p.units[0]);
		if (strcmp(p.imp.measures.v[0].title, cases[i].title) != 0)
			fail_msg("%s: title '%s'", cases[i].what, p.imp.measures.v[0].title);
		kg_import_clear(&p.imp);
	}
}

/* Labels without owners are headings; a heading printed again at the top
 * of a page does not end the item it interrupts. */
static void
test_headings(void **state)
{
	static const char text[] = "計画\n" HEAD "1 経済社会の活力\n(1) 企業の対策\n・国は、推進する。\n"
		"(ア) 総務省\n総務省において、その結果を\n- 2 -\n\f" HEAD "1 経済社会の活力\n(1) 企業の対策\n"
		"公表する。\n(イ) 総務省\n周知する。\n(2) 地域の対策\n(ア) 総務省\n支援する。\n- 3 -\n\f" HEAD;
	struct fx_parsed p;

	(void)state;
	fx_parse(&kg_layout_annual, text, &p);
	assert_int_equal(p.imp.measures.n, 3);
	assert_string_equal(p.units[0], "総務省において、その結果を公表する。");
	assert_string_equal(p.imp.measures.v[0].heading, "1 経済社会の活力");
	assert_string_equal(p.imp.measures.v[0].subheading, "(1) 企業の対策");
	assert_string_equal(p.imp.measures.v[2].subheading, "(2) 地域の対策");
	assert_int_equal(p.imp.measures.v[2].line, 18);
	kg_import_clear(&p.imp);
}

static void
test_detect(void **state)
{
	static const char annual[] = "計画\n" HEAD "(ア) 総務省\n周知する。\n(イ) 総務省\n改定する。\n"
		"(ウ) 内閣官房\n実施する。\n";
	static const char few[] = "計画\n(ア) 総務省\n周知する。\n";

	(void)state;
	assert_int_equal(fx_detect(&kg_layout_annual, annual), 70 + 15);
	assert_int_equal(fx_detect(&kg_layout_progress, annual), 0);
	assert_int_equal(fx_detect(&kg_layout_reform, annual), 0);
	assert_int_equal(fx_detect(&kg_layout_annual, few), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_cells),
		cmocka_unit_test(test_headings),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
