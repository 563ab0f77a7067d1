/* Unit tests for lib/layout_numbered: items and section headings, every
 * form of owner bracket, bullets, furniture, detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "layout_fixture.h"

#define HEAD "重点計画\n令和５年６月９日\n閣議決定\nⅠ 重点施策\n（１）行政手続\n"

static void
test_owners(void **state)
{
	static const struct {
		const char *what, *text, *title, *owners, *unit;
	} cases[] = {
		{"【担当】 at the end of the body", HEAD "① 引越し\n転出届を可能とする。【担当】デジタル庁、総務省\n",
		 "引越し", "デジタル庁|総務省", "転出届を可能とする。"},
		{"【担当】 on its own line, the list going on below",
		 HEAD "① 人材\n計画を見直す。\n【担当】デジタル庁、\n内閣官房\n",
		 "人材", "デジタル庁|内閣官房", "計画を見直す。"},
		{"〔所管〕 on its own line", HEAD "① 子育て\n申請を可能と\nする。\n〔所管〕こども家庭庁\n",
		 "子育て", "こども家庭庁", "申請を可能とする。"},
		{"a trailing parenthesis of names after the body", HEAD "① 添付書類\n連携を開始する。（法務省）\n",
		 "添付書類", "法務省", "連携を開始する。"},
		{"a trailing parenthesis of names after the heading",
		 HEAD "① 電子証明書の搭載（デジタル庁、総務省）\n搭載を開始した。\n",
		 "電子証明書の搭載", "デジタル庁|総務省", "搭載を開始した。"},
		{"（担当：…） inside the bracket", HEAD "① 補助事業\n公募を行う。（担当：経済産業省）\n",
		 "補助事業", "経済産業省", "公募を行う。"},
		{"a parenthesis that is no owner stays", HEAD "① 制度（仮称）の創設\n創設する。【担当府省】内閣府\n",
		 "制度（仮称）の創設", "内閣府", "創設する。"},
	};
	struct fx_parsed p;
	char owners[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_parse(&kg_layout_numbered, cases[i].text, &p);
		if (p.imp.measures.n != 1)
			fail_msg("%s: %zu items", cases[i].what, p.imp.measures.n);
		fx_owners(&p.imp.measures.v[0], owners, sizeof(owners));
		if (strcmp(p.imp.measures.v[0].title, cases[i].title) != 0)
			fail_msg("%s: title '%s'", cases[i].what, p.imp.measures.v[0].title);
		if (strcmp(owners, cases[i].owners) != 0)
			fail_msg("%s: owners '%s'", cases[i].what, owners);
		if (p.nunits != 1 || strcmp(p.units[0], cases[i].unit) != 0)
			fail_msg("%s: unit '%s'", cases[i].what, p.units[0]);
		kg_import_clear(&p.imp);
	}
}

/* A heading followed at once by another is a section; the deepest one
 * with a body is the item; bullets are units; the running header and page
 * numbers are furniture, even inside a sentence. */
static void
test_structure(void **state)
{
	static const char text[] = HEAD "① マイナポータル\nア 引越し\n転出届を\n- 2 -\n重点計画\n"
		"可能とする。【担当】総務省\nイ 子育て\n・申請を可能とする。\n・周知する。\n【担当】内閣府\n"
		"② 添付書類\n連携を開始する。（法務省）\n２．事業者\n（１）中小企業\n① 支援\n公募する。【担当】経済産業省\n";
	struct fx_parsed p;

	(void)state;
	fx_parse(&kg_layout_numbered, text, &p);
	assert_int_equal(p.imp.measures.n, 4);
	assert_string_equal(p.imp.measures.v[0].title, "引越し");
	assert_string_equal(p.units[0], "転出届を可能とする。");
	assert_string_equal(p.units[1], "申請を可能とする。");
	assert_string_equal(p.units[2], "周知する。");
	assert_string_equal(p.imp.measures.v[1].heading, "Ⅰ 重点施策");
	assert_string_equal(p.imp.measures.v[1].subheading, "① マイナポータル");
	assert_string_equal(p.imp.measures.v[2].title, "添付書類");
	assert_string_equal(p.imp.measures.v[3].heading, "２．事業者");
	assert_string_equal(p.imp.measures.v[3].subheading, "（１）中小企業");
	kg_import_clear(&p.imp);
}

static void
test_detect(void **state)
{
	static const char numbered[] = HEAD "① 引越し\n可能とする。【担当】総務省\n② 子育て\n周知する。"
		"【担当】内閣府\n③ 添付書類\n開始する。〔所管〕法務省\n";
	static const char two[] = HEAD "① 引越し\n可能とする。【担当】総務省\n";

	(void)state;
	assert_int_equal(fx_detect(&kg_layout_numbered, numbered), 85);
	assert_int_equal(fx_detect(&kg_layout_annual, numbered), 0);
	assert_int_equal(fx_detect(&kg_layout_numbered, two), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owners),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
