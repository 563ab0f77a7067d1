/* Unit tests for lib/layout: the shared line machinery (furniture, pages,
 * repeats), units and their line maps, owners, the layout table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "layout_fixture.h"

static struct kg_span
S(const char *s)
{
	return (struct kg_span){s, strlen(s)};
}

static void
test_lines(void **state)
{
	static const char s[] = "表題\n\n本文\n- 2 -\n\f表題\n本文\n\f\fp. 4\n";
	struct kg_text text;
	struct kg_doc d;

	(void)state;
	fx_doc(s, &text, &d);
	assert_int_equal(d.n, 7);
	assert_int_equal(d.title, 0);
	assert_int_equal(d.lines[1].kind, KG_LINE_BLANK);
	assert_int_equal(d.lines[2].kind, KG_LINE_TEXT);
	assert_int_equal(d.lines[3].kind, KG_LINE_PAGENUM);
	assert_int_equal(d.lines[4].kind, KG_LINE_REPEAT);   /* the title again */
	assert_int_equal(d.lines[4].page, 2);                /* after a form feed */
	assert_true(kg_span_eq(d.lines[4].t, S("表題")));
	assert_int_equal(d.lines[6].page, 4);                /* two form feeds */
	assert_int_equal(d.lines[6].kind, KG_LINE_PAGENUM);
	assert_int_equal(d.lines[2].repeats, 2);             /* 本文 twice */
	assert_int_equal(d.lines[0].repeats, 2);
	assert_int_equal(kg_doc_next(&d, 3), 5);             /* skips furniture */
	assert_int_equal(kg_doc_page(&d, 5), 2);              /* line 5's page */
	assert_int_equal(kg_doc_page(&d, 99), 0);
	kg_doc_release(&d);
	kg_text_release(&text);
	fx_doc("表題\n本文\n", &text, &d);
	assert_int_equal(kg_doc_page(&d, 2), 0);              /* no form feed: unknown */
	fx_release(&text, &d);
}

static void
test_units(void **state)
{
	struct kg_text text;
	struct kg_doc d;
	struct kg_import imp = {0};
	const struct kg_unit *u;

	(void)state;
	fx_doc("x\n", &text, &d);
	d.out = &imp;
	assert_non_null(kg_doc_add_item(&d, 7));
	assert_int_equal(imp.measures.v[0].position, 1);
	assert_int_equal(imp.measures.v[0].line, 7);
	assert_int_equal(kg_unit_start(&d, 0, KG_UNIT_TEXT, S("・")), 0);
	assert_int_equal(kg_unit_line(&d, S("平成21年３月中に結果を"), 10), 0);
	assert_false(kg_unit_complete(&d));
	assert_int_equal(kg_unit_line(&d, S("公表する。"), 12), 0);
	assert_true(kg_unit_complete(&d));
	assert_int_equal(kg_unit_start(&d, 0, KG_UNIT_FIGURE, S("")), 0); /* closes the first */
	kg_unit_close(&d);                                                  /* empty: dropped */
	assert_int_equal(kg_unit_start(&d, 0, KG_UNIT_TARGET, S("")), 0);
	assert_int_equal(kg_unit_text(&d, "実施時期："), 0);
	assert_int_equal(kg_unit_line(&d, S("2026年度"), 20), 0);
	kg_unit_close(&d);
	assert_int_equal(d.nunits, 2);
	u = &d.units[0];
	assert_int_equal(u->len, strlen("平成21年３月中に結果を公表する。"));
	assert_int_equal(kg_unit_lineno(&d, u, 0), 10);
	assert_int_equal(kg_unit_lineno(&d, u, strlen("平成21年３月中に結果を")), 12);
	u = &d.units[1];
	assert_int_equal(u->role, KG_UNIT_TARGET);
	assert_memory_equal(d.utext.s + u->off, "実施時期：2026年度", u->len);
	assert_int_equal(kg_unit_lineno(&d, u, strlen("実施時期：")), 20);
	kg_doc_release(&d);
	kg_text_release(&text);
	kg_import_clear(&imp);
}

static void
test_owners(void **state)
{
	static const struct {
		const char *text;
		bool name, list;
	} cases[] = {
		{"総務省", true, true},
		{"内閣官房", true, true},
		{"個人情報保護委員会", true, true},
		{"全府省庁", true, true},
		{"情報流通行政局等", false, false},
		{"関係府省庁等", true, true},
		{"内閣官房、総務省", false, true},
		{"総務省 経済産業省", false, true},
		{"内閣官房・デジタル庁", false, true},
		{"において検討する省", false, false},
		{"省", false, false},
		{"2024年度", false, false},
		{"総務省、において", false, false},
		{"", false, false},
	};
	struct kg_strv owners = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (kg_owner_name(S(cases[i].text)) != cases[i].name)
			fail_msg("'%s': name", cases[i].text);
		if (kg_owner_list(S(cases[i].text)) != cases[i].list)
			fail_msg("'%s': list", cases[i].text);
	}
	assert_int_equal(kg_owners_add(&owners, S("内閣官房、総務省・\u3000経済産業省"), false), 0);
	assert_int_equal(kg_owners_add(&owners, S("総務省 外務省"), true), 0);
	assert_int_equal(owners.n, 4);
	assert_string_equal(owners.v[2], "経済産業省");
	assert_string_equal(owners.v[3], "外務省");
	kg_strv_clear(&owners);
	assert_int_equal(kg_paren_open(S("施策（内閣官房（NISC））")), strlen("施策"));
	assert_int_equal(kg_paren_open(S("施策（内閣官房")), -1);
}

static void
test_labels(void **state)
{
	static const struct {
		const char *line;
		enum kg_label label;
		const char *rest;
	} cases[] = {
		{"(ア) 内閣官房", KG_LABEL_PKANA, "内閣官房"},
		{"（イ）総務省において、", KG_LABEL_PKANA, "総務省において、"},
		{"(1) 企業における対策", KG_LABEL_PNUM, "企業における対策"},
		{"（１２）人材の育成", KG_LABEL_PNUM, "人材の育成"},
		{"ア マイナポータルの機能拡充", KG_LABEL_KANA, "マイナポータルの機能拡充"},
		{"ア　見出し", KG_LABEL_KANA, "見出し"},
		{"① 行政手続のオンライン化", KG_LABEL_CIRCLED, "行政手続のオンライン化"},
		{"1-2 重点項目", KG_LABEL_HYPHEN, "重点項目"},
		{"１－２－３ 細目", KG_LABEL_HYPHEN, "細目"},
		{"1 経済社会の活力の向上", KG_LABEL_SECTION, "経済社会の活力の向上"},
		{"２．国民の安全", KG_LABEL_SECTION, "国民の安全"},
		{"第３ 国際連携", KG_LABEL_SECTION, "国際連携"},
		{"10 月に東京で説明会を開催する", KG_LABEL_NONE, NULL},   /* a date cut off */
		{"3 件の事案を処理した", KG_LABEL_NONE, NULL},              /* a count */
		{"2024 年度中に改定する。", KG_LABEL_NONE, NULL},
		{"1 改定する。", KG_LABEL_NONE, NULL},                     /* a sentence */
		{"1-2", KG_LABEL_NONE, NULL},
		{"アンケート調査を実施", KG_LABEL_NONE, NULL},
		{"(注) 参考", KG_LABEL_NONE, NULL},
		{"", KG_LABEL_NONE, NULL},
	};
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kg_span t = S(cases[i].line);

		if (kg_label_at(t, &len) != cases[i].label)
			fail_msg("'%s': label", cases[i].line);
		if (cases[i].rest != NULL && strcmp(t.s + len, cases[i].rest) != 0)
			fail_msg("'%s': rest '%s'", cases[i].line, t.s + len);
	}
}

static void
test_glued_owners(void **state)
{
	static const struct {
		const char *line, *text, *owners;
	} cases[] = {
		{"…を支援するため、 経済産業省", "…を支援するため、", "経済産業省"},
		{"安全基準等の 国土交通省、経済産業省", "安全基準等の", "国土交通省|経済産業省"},
		{"…を開催する。　内閣官房 総務省", "…を開催する。", "内閣官房|総務省"},
		{"IoT 機器の調査", "IoT 機器の調査", ""},
		{"手引きを 2023", "手引きを 2023", ""},
		{"総務省", "総務省", ""},            /* a line of owners alone is not glued */
	};
	size_t i, k;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kg_strv owners = {0};
		struct kg_span t = kg_owners_glued(S(cases[i].line), &owners, &rc);
		char got[256] = "";

		assert_int_equal(rc, 0);
		if (!kg_span_eq(t, S(cases[i].text)))
			fail_msg("'%s': text '%.*s'", cases[i].line, (int)t.len, t.s);
		for (k = 0; k < owners.n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "|" : "",
				owners.v[k]);
		if (strcmp(got, cases[i].owners) != 0)
			fail_msg("'%s': owners '%s'", cases[i].line, got);
		kg_strv_clear(&owners);
	}
	assert_int_equal(kg_owners_lead(S("内閣官房及び経済産業省において、検討会を設置する。")),
		strlen("内閣官房及び経済産業省において、"));
	assert_int_equal(kg_owners_lead(S("厚生労働省は、要件を見直す。")), strlen("厚生労働省は、"));
	assert_int_equal(kg_owners_lead(S("2024 年度は、周知する。")), 0);
	assert_int_equal(kg_owners_lead(S("地方公共団体において、検討する。")), 0);
}

static void
test_table(void **state)
{
	struct kg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < kg_nlayouts; i++)
		assert_ptr_equal(kg_layout_find(kg_layouts[i]->name, &err), kg_layouts[i]);
	assert_null(kg_layout_find("spreadsheet", &err));
	assert_non_null(strstr(err.msg, "unknown layout 'spreadsheet' (expected progress"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_owners),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_glued_owners),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
