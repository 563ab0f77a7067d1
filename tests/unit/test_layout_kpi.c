/* Unit tests for lib/layout_kpi: the pieces of a KPI line (targets,
 * figures, owners, labels, letters), items and headings, detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "layout_fixture.h"

#define HEAD "ＫＰＩの進捗状況\n2023年12月\n"

static void
test_items(void **state)
{
	static const struct {
		const char *what, *text, *title, *owners;
		const char *units; /* role letter and text of each unit, | between */
	} cases[] = {
		{"○ item, owner bracket glued, target, figure with a label and a letter",
		 HEAD "○ カードの保有率 【所管】デジタル庁\n【2024年度末までに 90%】\n実績：73.1%（2023年10月末） 評価：Ａ\n",
		 "カードの保有率", "デジタル庁", "T2024年度末までに 90%|F73.1%（2023年10月末）"},
		{"a name broken over two lines, 所管： on its own line",
		 HEAD "○ 基幹業務システムの移行\n率\n【2025年度末までに 100%】\n実績：12%（2023年９月末）\n評価：Ｂ\n所管：デジタル庁、総務省\n",
		 "基幹業務システムの移行率", "デジタル庁|総務省", "T2025年度末までに 100%|F12%（2023年９月末）"},
		{"a numbered row: name, target and owner on one line, result and letter below",
		 HEAD "整理番号 ＫＰＩ 目標 所管 実績 評価\n1 テレワーク導入企業の割合 【2025年に 55%】 総務省\n51.7%（2022年） Ａ\n",
		 "テレワーク導入企業の割合", "総務省", "T2025年に 55%|F51.7%（2022年）"},
		{"narrative after the figures is text",
		 HEAD "○ 申請が可能な団体の割合 【所管】こども家庭庁\n【2023年度末までに 95%】\n実績：88%（2023年９月末） 評価：Ａ\n"
		 "2023年10月に様式を統一し、\n周知した。\n",
		 "申請が可能な団体の割合", "こども家庭庁",
		 "T2023年度末までに 95%|F88%（2023年９月末）|X2023年10月に様式を統一し、周知した。"},
		{"a page break between the target and the result: the title repeated, a page number",
		 "ＫＰＩの進捗状況\n2023年12月\n○ 電子カルテの導入率 【所管】厚生労働省\n【2026年度までに 80%以上】\n- 2 -\n"
		 "\fＫＰＩの進捗状況\n実績：65%（2023年９月） 評価：Ｂ\n",
		 "電子カルテの導入率", "厚生労働省", "T2026年度までに 80%以上|F65%（2023年９月）"},
		{"a bracketed note that holds no year is no target but text",
		 HEAD "○ 教科書の導入率 【所管】文部科学省\n【2024年度に 100%（英語）】\n【参考】全学年\n",
		 "教科書の導入率", "文部科学省", "T2024年度に 100%（英語）|X【参考】全学年"},
	};
	struct fx_parsed p;
	char owners[256], units[1024];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_parse(&kg_layout_kpi, cases[i].text, &p);
		if (p.imp.measures.n != 1)
			fail_msg("%s: %zu items", cases[i].what, p.imp.measures.n);
		if (strcmp(p.imp.measures.v[0].title, cases[i].title) != 0)
			fail_msg("%s: title '%s'", cases[i].what, p.imp.measures.v[0].title);
		if (strcmp(fx_owners(&p.imp.measures.v[0], owners, sizeof(owners)), cases[i].owners) != 0)
			fail_msg("%s: owners '%s'", cases[i].what, owners);
		units[0] = '\0';
		for (k = 0; k < p.nunits; k++)
			snprintf(units + strlen(units), sizeof(units) - strlen(units), "%s%c%s", k ? "|" : "",
				p.roles[k] == KG_UNIT_TARGET ? 'T' : p.roles[k] == KG_UNIT_FIGURE ? 'F' : 'X',
				p.units[k]);
		if (strcmp(units, cases[i].units) != 0)
			fail_msg("%s: units '%s'", cases[i].what, units);
		kg_import_clear(&p.imp);
	}
}

/* A short line before an item is a heading; a numbered line without a
 * target in its block is no item. */
static void
test_headings(void **state)
{
	static const char text[] = HEAD "分野１ 行政\n○ 保有率 【所管】デジタル庁\n【2024年度末までに 90%】\n"
		"分野２ 暮らし\n1 参考となる取組\n2 遠隔医療の割合 【2026年度までに 30%】 厚生労働省\n15%（2022年度） Ｂ\n";
	struct fx_parsed p;

	(void)state;
	fx_parse(&kg_layout_kpi, text, &p);
	assert_int_equal(p.imp.measures.n, 2);
	assert_string_equal(p.imp.measures.v[0].heading, "分野１ 行政");
	assert_string_equal(p.imp.measures.v[1].title, "遠隔医療の割合");
	assert_string_equal(p.imp.measures.v[1].heading, "1 参考となる取組");
	kg_import_clear(&p.imp);
}

static void
test_detect(void **state)
{
	static const char kpi[] = HEAD "○ 保有率 【所管】デジタル庁\n【2024年度末までに 90%】\n"
		"○ 利用率 【所管】総務省\n【2025年度までに 60%】\n○ 割合 【所管】内閣府\n【2024年度中に 70%】\n";
	static const char two[] = "計画\n○ 保有率\n【2024年度末までに 90%】\n○ 利用率\n【2025年度までに 60%】\n";

	(void)state;
	assert_int_equal(fx_detect(&kg_layout_kpi, kpi), 95);
	assert_true(fx_detect(&kg_layout_numbered, kpi) < 95);
	assert_int_equal(fx_detect(&kg_layout_kpi, two), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_headings),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
