/*
 * Unit tests for lib/store_import: re-import of the same report, a later
 * report of the same plan (moved deadlines, done events, gone ones and their
 * reminders cancelled), manual edit conflicts, dry runs and rollback.  The kg_import fixtures are built by
 * hand from sentences of the seed report and of ../shared/samples'
 * next-report (trimmed), so matching is tested on real wording; the last
 * test imports the two real files through the report parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbox.h"
#include "report.h"
#include "store.h"
#include "store_fixture.h"
#include "store_int.h"

#define SEED_TITLE "「セキュア・ジャパン２００８」の進捗状況（上半期）について"
#define NEXT_TITLE "「セキュア・ジャパン２００８」の進捗状況（下半期）について"

/* Sentences as the extractor gives them (line breaks removed). */
#define S_GSOC_PART "政府横断的な情報収集、攻撃等の分析・解析、各政府機関への助言、各政府機関の" \
	"相互連携促進及び情報共有を図るための体制（ＧＳＯＣ）の整備を平成19年度から着手し、" \
	"平成20年４月から一部運用開始。"
#define S_GSOC_FULL "平成20年度中に本格運用を開始予定。"
#define S_GSOC_NEXT "ＧＳＯＣについては、監視対象となる府省庁を段階的に拡大するとともに、" \
	"運用要員の訓練を進めてきたが、接続先となる府省庁のネットワーク構成の変更に想定以上の" \
	"時間を要しているため、本格運用の開始は平成21年６月となる見込み。"
#define S_BCP "自然災害の発生等非常時における地方公共団体の情報システムに係る業務の継続、" \
	"早期復旧に資するため、ＩＣＴ部門の業務継続計画（ＢＣＰ）策定に関するガイドラインを" \
	"平成20年８月に作成、公表。"
#define S_GUIDE "平成21年３月末を目途に作成の予定。"
#define S_GUIDE_MEET "情報資産のリスク分析及び外部委託先からの個人情報漏えい防止対策に関する" \
	"手引きについては、２月17日に開催した有識者検討会において素案を取りまとめた。"
#define S_GUIDE_NEXT "素案に対して地方公共団体から寄せられた意見が多岐にわたり、これを反映させる" \
	"必要があることから、平成21年５月末を目途に手引きを作成し、公表する予定。"
#define S_EX_SET "有識者、各重要インフラ分野の分野委員及び重要インフラ所管省庁からなる" \
	"「相互依存性解析・分野横断的演習検討会」を平成20年７月に設置し、分野横断的な演習の" \
	"実施に向けた検討を実施中。"
#define S_EX "平成20年12月１日に演習を実施し、平成21年３月中に結果をとりまとめた後、公表する予定。"
#define S_EX_DONE "平成20年12月１日に、重要インフラ10分野の事業者及び所管省庁が参加する分野横断的" \
	"演習を実施した。"
#define S_EX_REPORT "演習で抽出された課題について、分野ごとの原因分析に時間を要しているため、" \
	"結果の取りまとめ及び公表は平成21年４月下旬となる見込み。"
#define S_DEP "有識者、各重要インフラ分野の分野委員及び重要インフラ所管省庁からなる" \
	"「相互依存性解析・分野横断的演習検討会」を平成20年７月に設置し、分野間のデータ送受信" \
	"関係に焦点をあてた相互依存性解析の検討と国内外の関連研究動向調査等を実施中。" \
	"平成21年３月中に結果をとりまとめた後、公表する予定。"
#define S_DEP_DONE "分野間の相互依存性解析の結果を取りまとめ、平成21年３月19日に公表した。"
#define S_DEP_NEXT "平成21年10月以降、解析の対象を全分野に広げた第二段階の解析を開始する予定。"
#define S_COUNCIL "平成20年12月の政策会議において改訂案を諮る予定。"
#define S_NEW "平成21年度第１四半期に第２回会合を開催する予定。"

static void
doc(struct kg_import *imp, const char *name, const char *sha, const char *title,
    const char *as_of)
{
	memset(imp, 0, sizeof(*imp));
	imp->doc.name = strdup(name);
	imp->doc.sha256 = strdup(sha);
	imp->doc.title = strdup(title);
	imp->doc.as_of = day(as_of);
}

static void
measure(struct kg_import *imp, const char *title, const char *owner1, const char *owner2)
{
	struct kg_measure *m = kg_measure_list_add(&imp->measures);

	assert_non_null(m);
	m->title = strdup(title);
	m->position = (int)imp->measures.n;
	kg_strv_push(&m->owners, owner1, (size_t)-1);
	if (owner2)
		kg_strv_push(&m->owners, owner2, (size_t)-1);
}

/* A milestone of the last measure added. */
static void
event(struct kg_import *imp, const char *title, enum kg_kind kind, enum kg_status status,
    const char *start, const char *end, enum kg_precision prec, const char *expr,
    const char *sentence)
{
	struct kg_milestone *m = kg_milestone_list_add(&imp->milestones);

	assert_non_null(m);
	m->title = strdup(title);
	m->measure_id = (int64_t)imp->measures.n - 1;
	m->kind = kind;
	m->status = status;
	m->certainty = status == KG_STATUS_DONE ? KG_CERT_NONE : KG_CERT_PLANNED;
	m->window_start = day(start);
	m->window_end = day(end);
	m->precision = prec;
	m->expr = strdup(expr);
	m->sentence = strdup(sentence);
	m->line = 60 + (int)imp->milestones.n;
}

#define GSOC "GSOCの本格運用と分析・解析能力の強化"
#define GUIDE "地方公共団体における情報セキュリティ対策の手引きの作成"
#define GUIDE_SPACED "地方公共団体における情報セキュリティ対策の 手引きの作成"
#define EXERCISE "重要インフラ機能演習の実施"
#define DEPEND "重要インフラ分野間の相互依存性解析の推進"
#define COUNCIL "政府統一基準の見直しの実施"

static void
seed_report(struct kg_import *imp)
{
	doc(imp, "secure-japan-2008-h1.txt", "5eed", SEED_TITLE, "2008-09-30");
	measure(imp, GSOC, "内閣官房", "全府省庁");
	event(imp, "GSOC 一部運用開始", KG_KIND_OPERATION_START, KG_STATUS_DONE,
	    "2008-04-01", NULL, KG_PREC_OPEN_START, "平成20年４月から", S_GSOC_PART);
	event(imp, "GSOC 本格運用開始", KG_KIND_OPERATION_START, KG_STATUS_PLANNED,
	    "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, "平成20年度中", S_GSOC_FULL);
	measure(imp, COUNCIL, "内閣官房", NULL);
	event(imp, "改訂案を政策会議に諮る", KG_KIND_MEETING, KG_STATUS_PLANNED,
	    "2008-12-01", "2008-12-31", KG_PREC_MONTH, "平成20年12月", S_COUNCIL);
	measure(imp, GUIDE, "総務省", NULL);
	event(imp, "BCPガイドライン公表", KG_KIND_PUBLICATION, KG_STATUS_DONE,
	    "2008-08-01", "2008-08-31", KG_PREC_MONTH, "平成20年８月", S_BCP);
	event(imp, "手引き作成", KG_KIND_PUBLICATION, KG_STATUS_PLANNED,
	    "2009-03-31", "2009-03-31", KG_PREC_MONTH_END, "平成21年３月末", S_GUIDE);
	measure(imp, DEPEND, "内閣官房", NULL);
	event(imp, "解析結果の公表", KG_KIND_REPORT, KG_STATUS_PLANNED,
	    "2009-03-01", "2009-03-31", KG_PREC_MONTH, "平成21年３月中", S_DEP);
	measure(imp, EXERCISE, "内閣官房", "重要インフラ所管省庁");
	event(imp, "検討会設置", KG_KIND_ESTABLISHMENT, KG_STATUS_DONE,
	    "2008-07-01", "2008-07-31", KG_PREC_MONTH, "平成20年７月", S_EX_SET);
	event(imp, "分野横断的演習", KG_KIND_EXERCISE, KG_STATUS_PLANNED,
	    "2008-12-01", "2008-12-01", KG_PREC_DAY, "平成20年12月１日", S_EX);
	event(imp, "演習結果の公表", KG_KIND_REPORT, KG_STATUS_PLANNED,
	    "2009-03-01", "2009-03-31", KG_PREC_MONTH, "平成21年３月中", S_EX);
}

/* The next half-year: measures reordered, deadlines moved, one measure gone. */
static void
next_report(struct kg_import *imp)
{
	doc(imp, "next-report.txt", "0e87", NEXT_TITLE, "2009-03-31");
	measure(imp, EXERCISE, "内閣官房", "重要インフラ所管省庁");
	event(imp, "分野横断的演習", KG_KIND_EXERCISE, KG_STATUS_DONE,
	    "2008-12-01", "2008-12-01", KG_PREC_DAY, "平成20年12月１日", S_EX_DONE);
	event(imp, "演習結果の公表", KG_KIND_REPORT, KG_STATUS_PLANNED,
	    "2009-04-21", "2009-04-30", KG_PREC_DEKAD, "平成21年４月下旬", S_EX_REPORT);
	measure(imp, "ＧＳＯＣの本格運用と分析・解析能力の強化", "内閣官房", "全府省庁");
	event(imp, "GSOC 本格運用開始", KG_KIND_OPERATION_START, KG_STATUS_PLANNED,
	    "2009-06-01", "2009-06-30", KG_PREC_MONTH, "平成21年６月", S_GSOC_NEXT);
	measure(imp, GUIDE, "総務省", NULL);
	event(imp, "有識者検討会", KG_KIND_MEETING, KG_STATUS_DONE,
	    "2009-02-17", "2009-02-17", KG_PREC_DAY, "２月17日", S_GUIDE_MEET);
	event(imp, "手引き作成", KG_KIND_PUBLICATION, KG_STATUS_PLANNED,
	    "2009-05-31", "2009-05-31", KG_PREC_MONTH_END, "平成21年５月末", S_GUIDE_NEXT);
	measure(imp, DEPEND, "内閣官房", NULL);
	event(imp, "解析結果の公表", KG_KIND_REPORT, KG_STATUS_DONE,
	    "2009-03-19", "2009-03-19", KG_PREC_DAY, "平成21年３月19日", S_DEP_DONE);
	event(imp, "第二段階の解析開始", KG_KIND_LAUNCH, KG_STATUS_PLANNED,
	    "2009-10-01", NULL, KG_PREC_OPEN_START, "平成21年10月以降", S_DEP_NEXT);
	measure(imp, "情報セキュリティ対策のベストプラクティスの共有", "内閣官房", NULL);
	event(imp, "第２回会合", KG_KIND_MEETING, KG_STATUS_PLANNED,
	    "2009-04-01", "2009-06-30", KG_PREC_QUARTER, "平成21年度第１四半期", S_NEW);
}

static void
import_ok(struct kg_store *st, const struct kg_import *imp, bool dry,
    struct kg_import_result *res)
{
	struct kg_import_opts o = { .dry_run = dry };
	struct kg_err err;

	if (kg_store_import(st, imp, &o, res, &err) < 0)
		fail_msg("import: %s", err.msg);
}

/* The milestone whose title is t (first by id). */
static void
find(struct kg_store *st, const char *t, struct kg_milestone *out)
{
	struct kg_milestone_list l = {0};
	struct kg_query q;
	struct kg_err err;
	size_t i;

	kg_query_init(&q);
	q.order = KG_ORDER_ID;
	assert_int_equal(kg_store_milestones(st, &q, &l, &err), 0);
	for (i = 0; i < l.n; i++)
		if (strcmp(l.v[i].title, t) == 0) {
			*out = l.v[i];
			memset(&l.v[i], 0, sizeof(l.v[i]));
			kg_milestone_list_clear(&l);
			return;
		}
	fail_msg("no milestone titled %s", t);
}

static size_t
count_milestones(struct kg_store *st)
{
	struct kg_milestone_list l = {0};
	struct kg_query q;
	struct kg_err err;
	size_t n;

	kg_query_init(&q);
	assert_int_equal(kg_store_milestones(st, &q, &l, &err), 0);
	n = l.n;
	kg_milestone_list_clear(&l);
	return n;
}

/* The item about the milestone titled t (before or after). */
static const struct kg_import_item *
item(const struct kg_import_result *r, const char *t)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if ((r->items[i].after.title && strcmp(r->items[i].after.title, t) == 0) ||
		    (r->items[i].before.title && strcmp(r->items[i].before.title, t) == 0))
			return &r->items[i];
	fail_msg("no item for %s", t);
	return NULL;
}

static size_t
count_items(const struct kg_import_result *r, enum kg_change_kind what)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->items[i].what == what;
	return n;
}

static void
check_score(const char *s_old, enum kg_kind k_old, enum kg_status st_old, const char *e_old,
    const char *s_new, enum kg_kind k_new, const char *e_new, bool match)
{
	struct kg_milestone o = {0}, n = {0};
	double score;

	o.sentence = (char *)s_old;
	o.kind = k_old;
	o.status = st_old;
	o.window_start = o.window_end = day(e_old);
	n.sentence = (char *)s_new;
	n.kind = k_new;
	n.window_start = n.window_end = day(e_new);
	score = kg_store_event_score(&o, &n);
	if ((score >= 0.3) != match)
		fail_msg("score %.3f for '%s' ~ '%s', expected %s", score, s_old, s_new,
		    match ? "a match" : "no match");
	assert_true(score == kg_store_event_score(&o, &n)); /* deterministic */
}

static void
test_event_score(void **state)
{
	static const struct {
		const char *s_old;
		enum kg_kind k_old;
		enum kg_status st_old;
		const char *e_old;
		const char *s_new;
		enum kg_kind k_new;
		const char *e_new;
		bool match;
	} cases[] = {
		/* the brief's pairs from the two real reports */
		{ S_GSOC_FULL, KG_KIND_OPERATION_START, KG_STATUS_PLANNED, "2009-03-31",
		  S_GSOC_NEXT, KG_KIND_OPERATION_START, "2009-06-30", true },
		{ S_GUIDE, KG_KIND_PUBLICATION, KG_STATUS_PLANNED, "2009-03-31",
		  S_GUIDE_NEXT, KG_KIND_PUBLICATION, "2009-05-31", true },
		{ S_EX, KG_KIND_REPORT, KG_STATUS_PLANNED, "2009-03-31",
		  S_EX_REPORT, KG_KIND_REPORT, "2009-04-30", true },
		{ S_EX, KG_KIND_EXERCISE, KG_STATUS_PLANNED, "2008-12-01",
		  S_EX_DONE, KG_KIND_EXERCISE, "2008-12-01", true },
		{ S_DEP, KG_KIND_REPORT, KG_STATUS_PLANNED, "2009-03-31",
		  S_DEP_DONE, KG_KIND_REPORT, "2009-03-19", true },
		/* look-alikes that are other events */
		{ S_GSOC_PART, KG_KIND_OPERATION_START, KG_STATUS_DONE, "2008-04-01",
		  S_GSOC_NEXT, KG_KIND_OPERATION_START, "2009-06-30", false },
		{ S_BCP, KG_KIND_PUBLICATION, KG_STATUS_DONE, "2008-08-31",
		  S_GUIDE_NEXT, KG_KIND_PUBLICATION, "2009-05-31", false },
		{ S_EX, KG_KIND_EXERCISE, KG_STATUS_PLANNED, "2008-12-01",
		  S_EX_REPORT, KG_KIND_REPORT, "2009-04-30", false },
		{ S_COUNCIL, KG_KIND_MEETING, KG_STATUS_PLANNED, "2008-12-31",
		  S_NEW, KG_KIND_MEETING, "2009-06-30", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_score(cases[i].s_old, cases[i].k_old, cases[i].st_old, cases[i].e_old,
		    cases[i].s_new, cases[i].k_new, cases[i].e_new, cases[i].match);
}

static void
test_import_twice(void **state)
{
	struct fixture *fx = *state;
	struct kg_import imp;
	struct kg_import_result r1, r2;
	struct kg_document_list docs = {0};
	struct kg_measure_list ml = {0};
	struct kg_milestone m;
	struct kg_err err;

	seed_report(&imp);
	import_ok(fx->st, &imp, false, &r1);
	assert_false(r1.already_imported);
	assert_true(r1.document_id > 0);
	assert_int_equal(r1.measures_new, 5);
	assert_int_equal(r1.n, 9);
	assert_int_equal(count_items(&r1, KG_CH_NEW), 9);
	assert_int_equal(count_milestones(fx->st), 9);

	find(fx->st, "GSOC 本格運用開始", &m);
	assert_string_equal(m.uid, item(&r1, "GSOC 本格運用開始")->after.uid);
	assert_string_equal(m.measure_title, GSOC);
	assert_int_equal(m.owners.n, 2);
	assert_int_equal(m.document_id, r1.document_id);
	assert_int_equal(m.line, 62);
	assert_int_equal(m.sequence, 0);
	assert_false(m.manual);
	kg_milestone_clear(&m);

	/* The same bytes again: that version stands (again); nothing changes. */
	import_ok(fx->st, &imp, false, &r2);
	assert_true(r2.already_imported);
	assert_false(r2.restood);
	assert_int_equal(r2.document_id, r1.document_id);
	assert_int_equal(r2.n, count_items(&r2, KG_CH_UNCHANGED));
	assert_int_equal(r2.n, 9);
	assert_int_equal(count_milestones(fx->st), 9);
	assert_int_equal(kg_store_documents(fx->st, &docs, &err), 0);
	assert_int_equal(docs.n, 1);
	assert_string_equal(docs.v[0].name, "secure-japan-2008-h1.txt");
	assert_int_equal(docs.v[0].as_of, day("2008-09-30"));
	kg_document_list_clear(&docs);
	assert_int_equal(kg_store_measures(fx->st, &ml, &err), 0);
	assert_int_equal(ml.n, 5);
	kg_measure_list_clear(&ml);
	kg_import_result_clear(&r1);
	kg_import_result_clear(&r2);
	kg_import_clear(&imp);
}

static void
test_next_report(void **state)
{
	struct fixture *fx = *state;
	struct kg_import seed, next;
	struct kg_import_result r1, dry, r2;
	struct kg_change_list h = {0};
	struct kg_milestone gsoc, m;
	struct kg_measure_list ml = {0};
	const struct kg_import_item *it;
	struct kg_err err;

	seed_report(&seed);
	next_report(&next);
	import_ok(fx->st, &seed, false, &r1);
	find(fx->st, "GSOC 本格運用開始", &gsoc);

	/* Dry run: the items, and nothing written. */
	import_ok(fx->st, &next, true, &dry);
	assert_int_equal(dry.document_id, 0);
	assert_int_equal(count_milestones(fx->st), 9);
	find(fx->st, "GSOC 本格運用開始", &m);
	assert_int_equal(m.window_end, day("2009-03-31"));
	assert_int_equal(m.sequence, 0);
	kg_milestone_clear(&m);

	import_ok(fx->st, &next, false, &r2);
	assert_true(r2.document_id > r1.document_id);
	assert_int_equal(r2.measures_matched, 4);
	assert_int_equal(r2.measures_new, 1);
	/* new: meeting 2/17, launch, best-practice meeting; changed: GSOC,
	 * guide, exercise, exercise report, dependency report; gone: the
	 * partial GSOC start, the BCP guideline, the council meeting, the
	 * study group set-up. */
	assert_int_equal(count_items(&r2, KG_CH_NEW), 3);
	assert_int_equal(count_items(&r2, KG_CH_CHANGED), 5);
	assert_int_equal(count_items(&r2, KG_CH_GONE), 4);
	assert_int_equal(count_items(&r2, KG_CH_CONFLICT), 0);
	assert_int_equal(count_items(&dry, KG_CH_NEW), 3);
	assert_int_equal(count_items(&dry, KG_CH_CHANGED), 5);
	assert_int_equal(count_items(&dry, KG_CH_GONE), 4);
	assert_int_equal(r2.n, dry.n);

	it = item(&r2, "GSOC 本格運用開始");
	assert_int_equal(it->what, KG_CH_CHANGED);
	assert_string_equal(it->detail, "window 2008-04-01..2009-03-31 -> 2009-06-01..2009-06-30; "
	    "precision fiscal_year -> month");
	find(fx->st, "GSOC 本格運用開始", &m);
	assert_int_equal(m.id, gsoc.id);
	assert_string_equal(m.uid, gsoc.uid);
	assert_int_equal(m.sequence, 1);
	assert_int_equal(m.window_end, day("2009-06-30"));
	assert_int_equal(m.document_id, r2.document_id);
	assert_true(m.updated_at >= gsoc.updated_at);
	assert_string_equal(m.sentence, S_GSOC_NEXT);
	assert_int_equal(kg_store_history(fx->st, m.id, &h, &err), 0);
	assert_int_equal(h.n, 2);
	assert_true(h.v[0].created);
	assert_string_equal(h.v[0].reason, "import secure-japan-2008-h1.txt");
	assert_int_equal(h.v[0].document_id, r1.document_id);
	assert_string_equal(h.v[1].reason, "import next-report.txt");
	assert_int_equal(h.v[1].document_id, r2.document_id);
	assert_int_equal(h.v[1].old_end, day("2009-03-31"));
	assert_int_equal(h.v[1].new_end, day("2009-06-30"));
	kg_change_list_clear(&h);
	kg_milestone_clear(&m);

	assert_string_equal(item(&r2, "手引き作成")->detail,
	    "window 2009-03-31..2009-03-31 -> 2009-05-31..2009-05-31");
	assert_string_equal(item(&r2, "分野横断的演習")->detail,
	    "status planned -> done; certainty planned -> none");
	assert_int_equal(item(&r2, "演習結果の公表")->what, KG_CH_CHANGED);
	assert_int_equal(item(&r2, "第二段階の解析開始")->what, KG_CH_NEW);
	find(fx->st, "分野横断的演習", &m);
	assert_int_equal(m.status, KG_STATUS_DONE);
	/* done when the report says (its window), not when it was imported */
	assert_int_equal(m.completed_at, 0);
	kg_milestone_clear(&m);

	/* Gone is a flag: status untouched, still listed. */
	it = item(&r2, "改訂案を政策会議に諮る");
	assert_int_equal(it->what, KG_CH_GONE);
	assert_string_equal(it->detail, "not in next-report.txt");
	find(fx->st, "改訂案を政策会議に諮る", &m);
	assert_true(m.gone);
	assert_int_equal(m.status, KG_STATUS_PLANNED);
	assert_int_equal(m.sequence, 1);
	kg_milestone_clear(&m);

	/* Measures were updated in place, the renamed-by-width one too. */
	assert_int_equal(kg_store_measures(fx->st, &ml, &err), 0);
	assert_int_equal(ml.n, 6);
	assert_string_equal(ml.v[0].title, "ＧＳＯＣの本格運用と分析・解析能力の強化");
	assert_int_equal(ml.v[0].document_id, r2.document_id);
	kg_measure_list_clear(&ml);

	/* What slipped: window ends moved by the later import, oldest first. */
	assert_int_equal(kg_store_slipped(fx->st, 0, &h, &err), 0);
	assert_int_equal(h.n, 4);   /* exercise report, GSOC, guide, dependency report */
	for (size_t i = 0; i < h.n; i++) {
		assert_int_equal(h.v[i].document_id, r2.document_id);
		assert_int_not_equal(h.v[i].old_end, h.v[i].new_end);
	}
	kg_change_list_clear(&h);
	assert_int_equal(kg_store_slipped(fx->st, r1.document_id, &h, &err), 0);
	assert_int_equal(h.n, 4);
	kg_change_list_clear(&h);
	assert_int_equal(kg_store_slipped(fx->st, r2.document_id, &h, &err), 0);
	assert_int_equal(h.n, 0);
	kg_change_list_clear(&h);

	/* Dated by the edition that moved them. */
	assert_int_equal(kg_store_slipped(fx->st, 0, &h, &err), 0);
	for (size_t i = 0; i < h.n; i++)
		assert_int_equal(h.v[i].as_of, day("2009-03-31"));
	kg_change_list_clear(&h);

	/* Importing the later report again changes nothing either. */
	kg_import_result_clear(&r2);
	import_ok(fx->st, &next, false, &r2);
	assert_true(r2.already_imported);

	kg_milestone_clear(&gsoc);
	kg_import_result_clear(&r1);
	kg_import_result_clear(&r2);
	kg_import_result_clear(&dry);
	kg_import_clear(&seed);
	kg_import_clear(&next);
}

/* A newer edition that names other owners for a measure and spells its
 * title differently (a space: the same title key, so the same measure):
 * every reader sees them, listings too, which read the copies of both in
 * the milestone's row (v6). */
static void
test_owners_follow(void **state)
{
	struct fixture *fx = *state;
	struct kg_import seed, later;
	struct kg_import_result r1, r2;
	struct kg_milestone m;
	struct kg_measure ms;
	struct kg_err err;
	char ref[24];

	seed_report(&seed);
	import_ok(fx->st, &seed, false, &r1);
	find(fx->st, "手引き作成", &m);
	assert_string_equal(m.measure_title, GUIDE);
	kg_milestone_clear(&m);
	doc(&later, "later.txt", "1a7e", SEED_TITLE, "2009-03-31");
	measure(&later, GUIDE_SPACED, "経済産業省", "総務省");
	event(&later, "手引き作成", KG_KIND_PUBLICATION, KG_STATUS_PLANNED, "2009-03-31",
	    "2009-03-31", KG_PREC_DAY, "平成21年３月末", "手引きを作成する予定。");
	import_ok(fx->st, &later, false, &r2);

	find(fx->st, "手引き作成", &m);
	assert_string_equal(m.measure_title, GUIDE_SPACED);
	assert_int_equal(m.owners.n, 2);
	assert_string_equal(m.owners.v[0], "経済産業省");
	assert_string_equal(m.owners.v[1], "総務省");
	snprintf(ref, sizeof(ref), "%lld", (long long)m.id);
	kg_milestone_clear(&m);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &m, &err), 0);
	assert_int_equal(m.owners.n, 2);
	assert_string_equal(m.owners.v[0], "経済産業省");
	assert_int_equal(kg_store_measure_get(fx->st, m.measure_id, &ms, &err), 0);
	assert_int_equal(ms.owners.n, 2);
	assert_string_equal(ms.owners.v[0], "経済産業省");
	kg_measure_clear(&ms);
	kg_milestone_clear(&m);
	kg_import_result_clear(&r1);
	kg_import_result_clear(&r2);
	kg_import_clear(&seed);
	kg_import_clear(&later);
}

static void
test_manual_conflict(void **state)
{
	struct fixture *fx = *state;
	struct kg_import seed, next;
	struct kg_import_result r1, r2;
	const struct kg_import_item *it;
	struct kg_milestone m;
	struct kg_err err;

	seed_report(&seed);
	next_report(&next);
	import_ok(fx->st, &seed, false, &r1);

	/* The user moved the guide by hand and cancelled the GSOC start: only
	 * the fields edited are kept apart from the reports. */
	find(fx->st, "手引き作成", &m);
	m.window_start = m.window_end = day("2009-04-30");
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "edit", &err), 0);
	kg_milestone_clear(&m);
	find(fx->st, "GSOC 本格運用開始", &m);
	m.status = KG_STATUS_CANCELLED;
	assert_int_equal(kg_store_milestone_update(fx->st, &m, "rm", &err), 0);
	kg_milestone_clear(&m);

	import_ok(fx->st, &next, false, &r2);
	assert_int_equal(count_items(&r2, KG_CH_CONFLICT), 2);
	assert_int_equal(r2.conflicts_open, 2);
	it = item(&r2, "手引き作成");
	assert_int_equal(it->what, KG_CH_CONFLICT);
	assert_string_equal(it->detail, "local edit kept (report: window "
	    "2009-04-30..2009-04-30 -> 2009-05-31..2009-05-31)");
	assert_int_equal(it->after.window_end, day("2009-04-30"));
	assert_true(it->after.conflict);
	it = item(&r2, "GSOC 本格運用開始");
	assert_int_equal(it->what, KG_CH_CONFLICT);
	assert_non_null(strstr(it->detail, "cancelled kept (report: "));
	assert_non_null(strstr(it->detail, "status cancelled -> planned"));

	find(fx->st, "手引き作成", &m);
	assert_int_equal(m.window_end, day("2009-04-30"));
	assert_true(m.manual);
	assert_true(m.conflict);
	assert_int_equal(m.local_mask, KG_LOCAL_WINDOW);
	assert_int_equal(m.sequence, 1);
	assert_string_equal(m.sentence, S_GUIDE_NEXT);  /* source from the newer report */
	kg_milestone_clear(&m);
	/* cancelled stays; the window, not edited, is the newer report's */
	find(fx->st, "GSOC 本格運用開始", &m);
	assert_int_equal(m.status, KG_STATUS_CANCELLED);
	assert_int_equal(m.window_end, day("2009-06-30"));
	kg_milestone_clear(&m);

	kg_import_result_clear(&r1);
	kg_import_result_clear(&r2);
	kg_import_clear(&seed);
	kg_import_clear(&next);
}

/* Queues a pending reminder, due now, for the milestone titled t; returns
 * its id. */
static int64_t
remind(struct kg_store *st, struct kg_outbox *ob, const char *t)
{
	struct kg_delivery d = {0};
	struct kg_milestone m;
	struct kg_err err;

	find(st, t, &m);
	d.endpoint = (char *)"ops";
	d.milestone_id = m.id;
	d.deadline = m.window_end;
	d.type = (char *)"milestone.reminder";
	d.webhook_id = (char *)t;
	d.body = (char *)"{}";
	d.fire_at = kg_store_now();
	d.expires_at = INT64_MAX;
	assert_int_equal(kg_outbox_add(ob, &d, d.fire_at, &err), 1);
	kg_milestone_clear(&m);
	return d.milestone_id;
}

static void
test_gone_and_back(void **state)
{
	struct fixture *fx = *state;
	struct kg_import seed, next, third;
	struct kg_import_result r1, r2, r3;
	struct kg_milestone m;
	struct kg_outbox *ob;
	struct kg_delivery_list l = {0};
	struct kg_err err;
	int64_t meeting;

	seed_report(&seed);
	next_report(&next);
	seed_report(&third);  /* a later report that mentions the council again */
	free(third.doc.sha256);
	third.doc.sha256 = strdup("7h1d");
	free(third.doc.name);
	third.doc.name = strdup("third.txt");
	third.doc.as_of = day("2009-09-30");
	import_ok(fx->st, &seed, false, &r1);
	import_ok(fx->st, &next, false, &r2);
	/* a reminder waits for the meeting: the import that makes it gone
	 * cancels it (kigen deliveries shows why) */
	assert_int_equal(kg_outbox_open(fx->st, &ob, &err), 0);
	meeting = remind(fx->st, ob, "第２回会合");
	import_ok(fx->st, &third, false, &r3);
	assert_int_equal(kg_outbox_list_milestone(ob, meeting, 10, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].status, KG_DLV_CANCELLED);
	assert_string_equal(l.v[0].last_error, "milestone no longer due");
	assert_true(l.v[0].done_at > 0);
	kg_delivery_list_clear(&l);
	kg_outbox_close(ob);
	assert_int_equal(item(&r3, "改訂案を政策会議に諮る")->what, KG_CH_CHANGED);
	assert_string_equal(item(&r3, "改訂案を政策会議に諮る")->detail, "reported again");
	find(fx->st, "改訂案を政策会議に諮る", &m);
	assert_false(m.gone);
	assert_int_equal(m.sequence, 2);
	kg_milestone_clear(&m);
	/* The best-practice meeting is gone now; nothing was duplicated. */
	assert_int_equal(item(&r3, "第２回会合")->what, KG_CH_GONE);
	assert_int_equal(count_items(&r3, KG_CH_NEW), 0);
	assert_int_equal(count_milestones(fx->st), 12);

	kg_import_result_clear(&r1);
	kg_import_result_clear(&r2);
	kg_import_result_clear(&r3);
	kg_import_clear(&seed);
	kg_import_clear(&next);
	kg_import_clear(&third);
}

static void
test_rollback(void **state)
{
	struct fixture *fx = *state;
	struct kg_import seed, next;
	struct kg_import_result r1, r2;
	struct kg_document_list docs = {0};
	struct kg_milestone m;
	struct kg_measure_list ml = {0};
	struct kg_err err;
	struct kg_milestone *bad;

	seed_report(&seed);
	next_report(&next);
	import_ok(fx->st, &seed, false, &r1);
	/* The last milestone is broken: everything before it must be undone. */
	bad = &next.milestones.v[next.milestones.n - 1];
	bad->window_start = day("2009-07-01");
	assert_int_equal(kg_store_import(fx->st, &next, NULL, &r2, &err), -1);
	assert_non_null(strstr(err.msg, "window starts after it ends"));
	assert_int_equal(r2.n, 0);
	assert_int_equal(kg_store_documents(fx->st, &docs, &err), 0);
	assert_int_equal(docs.n, 1);
	kg_document_list_clear(&docs);
	assert_int_equal(count_milestones(fx->st), 9);
	find(fx->st, "GSOC 本格運用開始", &m);
	assert_int_equal(m.window_end, day("2009-03-31"));
	assert_int_equal(m.sequence, 0);
	kg_milestone_clear(&m);
	assert_int_equal(kg_store_measures(fx->st, &ml, &err), 0);
	assert_int_equal(ml.n, 5);
	assert_string_equal(ml.v[0].title, GSOC);
	kg_measure_list_clear(&ml);

	/* No sha256: refused before anything happens. */
	free(next.doc.sha256);
	next.doc.sha256 = NULL;
	assert_int_equal(kg_store_import(fx->st, &next, NULL, &r2, &err), -1);
	assert_string_equal(err.msg, "import has no document name or sha256");

	kg_import_result_clear(&r1);
	kg_import_clear(&seed);
	kg_import_clear(&next);
}

/* Locked by another writer, or full: a clear error naming the file, and
 * nothing of the import kept. */
static void
test_locked_and_full(void **state)
{
	struct fixture *fx = *state;
	struct kg_import seed, next;
	struct kg_import_result r1, r2;
	struct kg_store *other;
	struct kg_milestone m;
	struct kg_err err;
	char sql[64];
	sqlite3_stmt *s;
	int pages;

	seed_report(&seed);
	next_report(&next);
	import_ok(fx->st, &seed, false, &r1);

	assert_int_equal(kg_store_open(fx->path, 0, &other, &err), 0);
	assert_int_equal(kg_store_begin(other, &err), 0);
	kg_store_set_busy_timeout(fx->st, 50);
	assert_int_equal(kg_store_import(fx->st, &next, NULL, &r2, &err), -1);
	assert_non_null(strstr(err.msg, fx->path));
	assert_non_null(strstr(err.msg, "database is locked"));
	kg_store_rollback(other);
	kg_store_close(other);

	/* A database that cannot grow stands in for a full disk. */
	assert_int_equal(sqlite3_prepare_v2(kg_store_db(fx->st), "PRAGMA page_count", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	pages = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d", pages);
	assert_int_equal(sqlite3_exec(kg_store_db(fx->st), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kg_store_import(fx->st, &next, NULL, &r2, &err), -1);
	assert_non_null(strstr(err.msg, fx->path));
	assert_non_null(strstr(err.msg, "full"));
	find(fx->st, "GSOC 本格運用開始", &m);
	assert_int_equal(m.window_end, day("2009-03-31"));
	assert_int_equal(m.sequence, 0);
	kg_milestone_clear(&m);
	assert_int_equal(count_milestones(fx->st), 9);

	kg_import_result_clear(&r1);
	kg_import_clear(&seed);
	kg_import_clear(&next);
}

/* The id of the milestone of kind k due on end in the measure titled
 * measure (as printed in the seed), or 0. */
static int64_t
find_event(struct kg_store *st, const char *measure, enum kg_kind k, const char *end)
{
	struct kg_milestone_list l = {0};
	struct kg_query q;
	struct kg_err err;
	int64_t id = 0;
	size_t i;

	kg_query_init(&q);
	q.due_from = q.due_to = day(end);
	assert_int_equal(kg_store_milestones(st, &q, &l, &err), 0);
	for (i = 0; i < l.n && id == 0; i++)
		if (l.v[i].kind == k && l.v[i].measure_title &&
		    strcmp(l.v[i].measure_title, measure) == 0)
			id = l.v[i].id;
	kg_milestone_list_clear(&l);
	return id;
}

static void
load_report(const char *rel, struct kg_import *imp)
{
	const char *top = getenv("TOP");
	char path[4096];
	struct kg_report_opts o = {.as_of = KG_DAY_NONE};
	struct kg_err err;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	if (kg_report_load(path, &o, imp, &err) < 0)
		fail_msg("%s", err.msg);
}

/* The seed report, then the next half-year's, through the real parser: the
 * moved deadlines of the brief keep their milestone and show in slipped. */
static void
test_real_reports(void **state)
{
	static const struct {
		const char *measure;
		enum kg_kind kind;
		const char *old_end, *new_end;
		enum kg_status new_status;
	} moves[] = {
		{ GSOC, KG_KIND_OPERATION_START, "2009-03-31", "2009-06-30", KG_STATUS_PLANNED },
		{ GUIDE, KG_KIND_PUBLICATION, "2009-03-31", "2009-05-31", KG_STATUS_PLANNED },
		{ EXERCISE, KG_KIND_REPORT, "2009-03-31", "2009-04-30", KG_STATUS_PLANNED },
		{ EXERCISE, KG_KIND_EXERCISE, "2008-12-01", "2008-12-01", KG_STATUS_DONE },
		{ DEPEND, KG_KIND_REPORT, "2009-03-31", "2009-03-19", KG_STATUS_DONE },
	};
	struct fixture *fx = *state;
	struct kg_import seed, next;
	struct kg_import_result r1, r2, again;
	struct kg_change_list slips = {0};
	struct kg_milestone before, after;
	struct kg_err err;
	int64_t ids[sizeof(moves) / sizeof(moves[0])];
	char ref[24];
	size_t i, j;
	bool listed;

	load_report("data/secure-japan-2008-h1.txt", &seed);
	load_report("tests/data/next-report.txt", &next);
	import_ok(fx->st, &seed, false, &r1);
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		ids[i] = find_event(fx->st, moves[i].measure, moves[i].kind, moves[i].old_end);
		if (ids[i] == 0)
			fail_msg("seed: no %s due %s in %s", kg_kind_name(moves[i].kind),
			    moves[i].old_end, moves[i].measure);
	}
	import_ok(fx->st, &next, false, &r2);
	assert_int_equal(r2.measures_matched, 12);
	assert_int_equal(r2.measures_new, 3);
	assert_int_equal(kg_store_slipped(fx->st, r1.document_id, &slips, &err), 0);
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		snprintf(ref, sizeof(ref), "%lld", (long long)ids[i]);
		assert_int_equal(kg_store_milestone_get(fx->st, ref, &after, &err), 0);
		if (after.window_end != day(moves[i].new_end) || after.status != moves[i].new_status)
			fail_msg("%s %s: not matched to its next-report event", moves[i].measure,
			    kg_kind_name(moves[i].kind));
		assert_true(after.sequence >= 1);
		assert_int_equal(after.document_id, r2.document_id);
		for (j = 0, listed = false; j < slips.n; j++)
			listed |= slips.v[j].milestone_id == ids[i] &&
			    slips.v[j].old_end == day(moves[i].old_end) &&
			    slips.v[j].new_end == day(moves[i].new_end);
		assert_true(listed == (strcmp(moves[i].old_end, moves[i].new_end) != 0));
		kg_milestone_clear(&after);
	}
	kg_change_list_clear(&slips);

	/* The same file again changes nothing. */
	snprintf(ref, sizeof(ref), "%lld", (long long)ids[0]);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &before, &err), 0);
	import_ok(fx->st, &next, false, &again);
	assert_true(again.already_imported);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &after, &err), 0);
	assert_string_equal(after.uid, before.uid);
	assert_int_equal(after.sequence, before.sequence);
	kg_milestone_clear(&before);
	kg_milestone_clear(&after);

	kg_import_result_clear(&r1);
	kg_import_result_clear(&r2);
	kg_import_result_clear(&again);
	kg_import_clear(&seed);
	kg_import_clear(&next);
}

/* ---- editions: any order converges ---- */

/* The real editions of 「セキュア・ジャパン２００８」, parsed once. */
struct editions {
	struct kg_import h1, next, final, head;
};

static struct editions *ed;

/* The seed cut after `lines` lines, as a file would be (an interrupted copy). */
static void
load_truncated(const char *rel, int lines, const char *name, struct kg_import *imp)
{
	const char *top = getenv("TOP");
	char path[4096], *buf = NULL;
	size_t len = 0;
	FILE *f;
	struct kg_report_opts o = { .name = name, .as_of = KG_DAY_NONE };
	struct kg_err err;
	int c, n = 0;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	assert_non_null(f = fopen(path, "rb"));
	assert_non_null(buf = malloc(1 << 20));
	while (n < lines && (c = fgetc(f)) != EOF) {
		buf[len++] = (char)c;
		n += c == '\n';
	}
	fclose(f);
	if (kg_report_parse(buf, len, &o, imp, &err) < 0)
		fail_msg("%s", err.msg);
	free(buf);
}

static int
editions_setup(void **state)
{
	(void)state;
	assert_non_null(ed = calloc(1, sizeof(*ed)));
	load_report("data/secure-japan-2008-h1.txt", &ed->h1);
	load_report("tests/data/next-report.txt", &ed->next);
	load_report("tests/data/secure-japan-2008-final.txt", &ed->final);
	load_truncated("data/secure-japan-2008-h1.txt", 300, "head300.txt", &ed->head);
	return 0;
}

static int
editions_teardown(void **state)
{
	(void)state;
	kg_import_clear(&ed->h1);
	kg_import_clear(&ed->next);
	kg_import_clear(&ed->final);
	kg_import_clear(&ed->head);
	free(ed);
	return 0;
}

static const struct kg_import *
edition(const char *name)
{
	if (strcmp(name, "h1") == 0)
		return &ed->h1;
	if (strcmp(name, "next") == 0)
		return &ed->next;
	if (strcmp(name, "final") == 0)
		return &ed->final;
	if (strcmp(name, "head") == 0)
		return &ed->head;
	fail_msg("no edition %s", name);
	return NULL;
}

/* The one milestone of kind k in the measure whose title starts with
 * measure (gone or not). */
static int64_t
event_of(struct kg_store *st, const char *measure, enum kg_kind k)
{
	struct kg_milestone_list l = {0};
	struct kg_query q;
	struct kg_err err;
	int64_t id = 0;
	size_t i;

	kg_query_init(&q);
	assert_int_equal(kg_store_milestones(st, &q, &l, &err), 0);
	for (i = 0; i < l.n; i++)
		if (l.v[i].kind == k && l.v[i].measure_title &&
		    strncmp(l.v[i].measure_title, measure, strlen(measure)) == 0) {
			if (id != 0)
				fail_msg("two %s events in %s", kg_kind_name(k), measure);
			id = l.v[i].id;
		}
	kg_milestone_list_clear(&l);
	if (id == 0)
		fail_msg("no %s event in %s", kg_kind_name(k), measure);
	return id;
}

/*
 * One step of a scenario: an edition's name, or a local edit
 * "done:<measure>:<kind>" / "move:<measure>:<kind>" (window 2009-12-01..31).
 */
static void
step(struct kg_store *st, const char *what)
{
	struct kg_import_result r;
	struct kg_import_opts o = { .allow_shrink = true };
	struct kg_milestone m;
	struct kg_err err;
	char measure[256], kind[32], ref[24];
	const char *colon = strchr(what, ':');

	if (colon == NULL) {
		if (kg_store_import(st, edition(what), &o, &r, &err) < 0)
			fail_msg("import %s: %s", what, err.msg);
		kg_import_result_clear(&r);
		return;
	}
	assert_int_equal(sscanf(colon + 1, "%255[^:]:%31s", measure, kind), 2);
	snprintf(ref, sizeof(ref), "%lld", (long long)event_of(st, measure, kg_kind_parse(kind)));
	assert_int_equal(kg_store_milestone_get(st, ref, &m, &err), 0);
	if (strncmp(what, "done:", 5) == 0)
		m.status = KG_STATUS_DONE;
	else {
		m.window_start = day("2009-12-01");
		m.window_end = day("2009-12-31");
		m.precision = KG_PREC_MONTH;
	}
	if (kg_store_milestone_update(st, &m, "edit", &err) < 0)
		fail_msg("%s: %s", what, err.msg);
	kg_milestone_clear(&m);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every listed milestone as "title|start|end|status|gone|measure|sentence",
 * sorted: what must not depend on the order of imports. */
static struct kg_strv
snapshot(struct kg_store *st)
{
	struct kg_milestone_list l = {0};
	struct kg_strv sv = {0};
	struct kg_query q;
	struct kg_err err;
	char a[KG_DATE_LEN], b[KG_DATE_LEN], *line;
	size_t i;

	kg_query_init(&q);
	assert_int_equal(kg_store_milestones(st, &q, &l, &err), 0);
	for (i = 0; i < l.n; i++) {
		const struct kg_milestone *m = &l.v[i];

		assert_true(asprintf(&line, "%s|%s|%s|%s|%d|%s|%s", m->title,
		    m->window_start == KG_DAY_NONE ? "-" : kg_date_format(m->window_start, a),
		    m->window_end == KG_DAY_NONE ? "-" : kg_date_format(m->window_end, b),
		    kg_status_name(m->status), m->gone, m->measure_title ? m->measure_title : "",
		    m->sentence ? m->sentence : "") > 0);
		assert_int_equal(kg_strv_push(&sv, line, (size_t)-1), 0);
		free(line);
	}
	kg_milestone_list_clear(&l);
	qsort(sv.v, sv.n, sizeof(*sv.v), cmp_str);
	return sv;
}

/* The state after steps, in a database of its own. */
static struct kg_strv
replay_steps(const char *dir, const char *name, const char *const *steps)
{
	char path[256];
	struct kg_store *st;
	struct kg_strv sv;
	struct kg_err err;

	snprintf(path, sizeof(path), "%s/%s.db", dir, name);
	if (kg_store_open(path, KG_STORE_CREATE, &st, &err) < 0)
		fail_msg("open: %s", err.msg);
	for (; *steps != NULL; steps++)
		step(st, *steps);
	sv = snapshot(st);
	kg_store_close(st);
	return sv;
}

static void
assert_same_state(const struct kg_strv *want, const struct kg_strv *got, const char *name)
{
	size_t i;

	for (i = 0; i < want->n && i < got->n; i++)
		if (strcmp(want->v[i], got->v[i]) != 0)
			fail_msg("%s: differs from date order at %zu:\n  want %s\n  got  %s", name, i,
			    want->v[i], got->v[i]);
	if (want->n != got->n)
		fail_msg("%s: %zu milestones, date order has %zu", name, got->n, want->n);
}

/* Table: each scenario must end in the state of its reference, the same
 * editions (and edits) imported in date order once each. */
static void
test_edition_orders(void **state)
{
	static const struct {
		const char *name;
		const char *steps[10];
		const char *ref[10];
	} cases[] = {
		{ "in order", { "h1", "next", "final" }, { "h1", "next", "final" } },
		{ "reversed", { "final", "next", "h1" }, { "h1", "next", "final" } },
		{ "shuffled", { "next", "final", "h1" }, { "h1", "next", "final" } },
		{ "shuffled again", { "h1", "final", "next" }, { "h1", "next", "final" } },
		{ "duplicated", { "h1", "next", "h1", "final", "next", "final", "h1" },
		  { "h1", "next", "final" } },
		{ "truncated then full", { "head", "next", "h1", "final" },
		  { "h1", "next", "final" } },
		{ "full, truncated, full", { "h1", "head", "next", "final", "h1" },
		  { "h1", "next", "final" } },
		{ "two of three, reversed", { "final", "h1" }, { "h1", "final" } },
		{ "edits before the reports", { "h1", "done:重要インフラ機能演習:exercise",
		  "move:重要インフラ機能演習:report", "final", "next" },
		  { "h1", "next", "final", "done:重要インフラ機能演習:exercise",
		  "move:重要インフラ機能演習:report" } },
		{ "edits between", { "final", "move:重要インフラ機能演習:report", "h1",
		  "done:重要インフラ機能演習:exercise", "next" },
		  { "h1", "next", "final", "done:重要インフラ機能演習:exercise",
		  "move:重要インフラ機能演習:report" } },
	};
	struct fixture *fx = *state;
	struct kg_strv want, got;
	char name[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "ref%zu", i);
		want = replay_steps(fx->dir, name, cases[i].ref);
		snprintf(name, sizeof(name), "case%zu", i);
		got = replay_steps(fx->dir, name, cases[i].steps);
		assert_true(want.n > 0);
		assert_same_state(&want, &got, cases[i].name);
		kg_strv_clear(&want);
		kg_strv_clear(&got);
	}
}

static size_t
count_gone(struct kg_store *st)
{
	struct kg_milestone_list l = {0};
	struct kg_query q;
	struct kg_err err;
	size_t i, n = 0;

	kg_query_init(&q);
	assert_int_equal(kg_store_milestones(st, &q, &l, &err), 0);
	for (i = 0; i < l.n; i++)
		n += l.v[i].gone;
	kg_milestone_list_clear(&l);
	return n;
}

/* A truncated copy of the current edition is refused, nothing written;
 * with --allow-shrink it stands, and the full file again undoes it. */
static void
test_shrink_guard(void **state)
{
	struct fixture *fx = *state;
	struct kg_import_opts allow = { .allow_shrink = true };
	struct kg_import_result r;
	struct kg_document_list docs = {0};
	struct kg_err err;
	int64_t dv;

	import_ok(fx->st, &ed->h1, false, &r);
	kg_import_result_clear(&r);
	dv = kg_store_data_version(fx->st);
	assert_int_equal(kg_store_import(fx->st, &ed->head, NULL, &r, &err), -1);
	assert_string_equal(err.msg, "'head300.txt' would make 6 of the 54 milestones of "
	    "edition セキュア・ジャパン2008 as of 2008-09-30 gone (it adds nothing: a "
	    "truncated copy?); nothing imported (--allow-shrink imports it)");
	assert_int_equal(r.n, 0);
	assert_int_equal(kg_store_documents(fx->st, &docs, &err), 0);
	assert_int_equal(docs.n, 1);
	kg_document_list_clear(&docs);
	assert_int_equal(count_gone(fx->st), 0);
	assert_true(kg_store_data_version(fx->st) == dv);

	/* A dry run says the same. */
	allow.dry_run = true;
	assert_int_equal(kg_store_import(fx->st, &ed->head, &(struct kg_import_opts){
	    .dry_run = true }, &r, &err), -1);
	assert_non_null(strstr(err.msg, "would make 6 of the 54"));

	allow.dry_run = false;
	assert_int_equal(kg_store_import(fx->st, &ed->head, &allow, &r, &err), 0);
	assert_int_equal(count_items(&r, KG_CH_GONE), 6);
	kg_import_result_clear(&r);
	assert_int_equal(count_gone(fx->st), 6);
	assert_int_equal(count_milestones(fx->st), 54);

	/* The full file again stands again: nothing is gone. */
	import_ok(fx->st, &ed->h1, false, &r);
	assert_true(r.restood);
	assert_int_equal(count_items(&r, KG_CH_CHANGED), 6);
	kg_import_result_clear(&r);
	assert_int_equal(count_gone(fx->st), 0);
	assert_int_equal(kg_store_documents(fx->st, &docs, &err), 0);
	assert_int_equal(docs.n, 2);
	assert_true(docs.v[0].standing);
	assert_false(docs.v[1].standing);
	kg_document_list_clear(&docs);

	/* A newer edition that drops most items is no shrink: next drops 42. */
	import_ok(fx->st, &ed->next, false, &r);
	assert_int_equal(count_items(&r, KG_CH_GONE), 42);
	kg_import_result_clear(&r);
}

/* A correction (same plan, same as-of) that moves a deadline: the
 * milestone changes, keeping its id and UID, rather than going while a new
 * one comes; the first version again moves it back. */
static void
test_correction_moves(void **state)
{
	struct fixture *fx = *state;
	struct kg_import a, b;
	struct kg_import_result r;
	struct kg_milestone m1, m2;
	struct kg_milestone *ev = NULL;
	size_t i;

	seed_report(&a);
	seed_report(&b);
	free(b.doc.name);
	free(b.doc.sha256);
	b.doc.name = strdup("secure-japan-2008-h1-corrected.txt");
	b.doc.sha256 = strdup("c0cc");
	for (i = 0; i < b.milestones.n; i++)
		if (strcmp(b.milestones.v[i].title, "改訂案を政策会議に諮る") == 0)
			ev = &b.milestones.v[i];
	assert_non_null(ev);
	free(ev->expr);
	free(ev->sentence);
	ev->expr = strdup("平成21年１月");
	ev->sentence = strdup("平成21年１月の政策会議において改訂案を諮る予定。");
	ev->window_start = day("2009-01-01");
	ev->window_end = day("2009-01-31");

	import_ok(fx->st, &a, false, &r);
	kg_import_result_clear(&r);
	find(fx->st, "改訂案を政策会議に諮る", &m1);
	import_ok(fx->st, &b, false, &r);
	assert_int_equal(count_items(&r, KG_CH_CHANGED), 1);
	assert_int_equal(count_items(&r, KG_CH_NEW), 0);
	assert_int_equal(count_items(&r, KG_CH_GONE), 0);
	assert_int_equal(item(&r, "改訂案を政策会議に諮る")->what, KG_CH_CHANGED);
	kg_import_result_clear(&r);
	assert_int_equal(count_milestones(fx->st), 9);
	assert_int_equal(count_gone(fx->st), 0);
	find(fx->st, "改訂案を政策会議に諮る", &m2);
	assert_int_equal(m2.id, m1.id);
	assert_string_equal(m2.uid, m1.uid);
	assert_int_equal(m2.window_end, day("2009-01-31"));
	assert_true(m2.sequence > m1.sequence);
	kg_milestone_clear(&m2);

	import_ok(fx->st, &a, false, &r);
	assert_true(r.restood);
	assert_int_equal(count_items(&r, KG_CH_CHANGED), 1);
	assert_int_equal(count_items(&r, KG_CH_NEW) + count_items(&r, KG_CH_GONE), 0);
	kg_import_result_clear(&r);
	find(fx->st, "改訂案を政策会議に諮る", &m2);
	assert_int_equal(m2.id, m1.id);
	assert_int_equal(m2.window_end, day("2008-12-31"));
	assert_int_equal(count_milestones(fx->st), 9);
	kg_milestone_clear(&m1);
	kg_milestone_clear(&m2);
	kg_import_clear(&a);
	kg_import_clear(&b);
}

/* kigen unimport: the state as if the version had never been imported;
 * ids are not reused and SEQUENCE keeps growing; importing it again
 * brings everything back under the same ids. */
static void
test_unimport(void **state)
{
	struct fixture *fx = *state;
	struct kg_import_result r, rn;
	struct kg_strv want, before, got;
	struct kg_milestone m1, m2;
	struct kg_err err;
	const char *ref[] = { "h1", "final", NULL };
	int64_t gsoc;
	char id[24];


	want = replay_steps(fx->dir, "ref", ref);
	step(fx->st, "h1");
	import_ok(fx->st, &ed->next, false, &rn);
	step(fx->st, "final");
	before = snapshot(fx->st);
	/* next says the exercise was done; without next, h1's 予定 decides */
	gsoc = event_of(fx->st, "重要インフラ機能演習", KG_KIND_EXERCISE);
	snprintf(id, sizeof(id), "%lld", (long long)gsoc);
	assert_int_equal(kg_store_milestone_get(fx->st, id, &m1, &err), 0);

	assert_int_equal(kg_store_unimport(fx->st, rn.document_id, false, &r, &err), 0);
	assert_true(count_items(&r, KG_CH_REMOVED) > 0);
	kg_import_result_clear(&r);
	got = snapshot(fx->st);
	assert_same_state(&want, &got, "unimport next");
	kg_strv_clear(&got);
	assert_int_equal(kg_store_milestone_get(fx->st, id, &m2, &err), 0);
	assert_int_equal(m2.id, m1.id);
	assert_string_equal(m2.uid, m1.uid);
	assert_int_equal(m1.status, KG_STATUS_DONE);
	assert_int_equal(m2.status, KG_STATUS_PLANNED);
	assert_true(m2.sequence > m1.sequence);
	kg_milestone_clear(&m2);

	/* unknown, and already removed */
	assert_int_equal(kg_store_unimport(fx->st, 99, false, &r, &err), -1);
	assert_string_equal(err.msg, "no import '99'");
	assert_int_equal(kg_store_unimport(fx->st, rn.document_id, false, &r, &err), -1);
	assert_non_null(strstr(err.msg, "was already removed"));

	/* back again: the same milestones, the same ids, a newer SEQUENCE */
	import_ok(fx->st, &ed->next, false, &r);
	assert_true(r.restood);
	assert_int_equal(r.document_id, rn.document_id);
	assert_int_equal(count_items(&r, KG_CH_NEW), 0);
	kg_import_result_clear(&r);
	got = snapshot(fx->st);
	assert_same_state(&before, &got, "unimport then import again");
	kg_strv_clear(&got);
	assert_int_equal(kg_store_milestone_get(fx->st, id, &m2, &err), 0);
	assert_true(m2.sequence > m1.sequence);
	kg_milestone_clear(&m1);
	kg_milestone_clear(&m2);
	kg_strv_clear(&want);
	kg_strv_clear(&before);
	kg_import_result_clear(&rn);
}

/* kigen done, then an import of a report that still says 予定: still
 * done, listed as a conflict; both resolutions. */
static void
test_conflicts(void **state)
{
	struct fixture *fx = *state;
	struct kg_conflict_list cl = {0};
	struct kg_import_result r;
	struct kg_milestone m;
	struct kg_err err;
	int64_t id;
	char ref[64];

	step(fx->st, "h1");
	id = event_of(fx->st, "重要インフラ機能演習", KG_KIND_REPORT);
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	step(fx->st, "done:重要インフラ機能演習:report");
	assert_int_equal(kg_store_conflicts(fx->st, &cl, &err), 0);
	assert_int_equal(cl.n, 0);      /* an edit alone is no conflict */
	assert_int_equal(kg_store_resolve(fx->st, id, true, &err), -1);
	snprintf(ref, sizeof(ref), "milestone %lld has no open conflict", (long long)id);
	assert_string_equal(err.msg, ref);
	snprintf(ref, sizeof(ref), "%lld", (long long)id);

	/* The same report again still says 予定: the edit stands, in conflict. */
	import_ok(fx->st, &ed->h1, false, &r);
	assert_true(r.already_imported);
	assert_int_equal(count_items(&r, KG_CH_CONFLICT), 1);
	assert_int_equal(r.conflicts_open, 1);
	kg_import_result_clear(&r);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &m, &err), 0);
	assert_int_equal(m.status, KG_STATUS_DONE);
	assert_true(m.conflict);
	kg_milestone_clear(&m);
	assert_int_equal(kg_store_conflicts(fx->st, &cl, &err), 0);
	assert_int_equal(cl.n, 1);
	assert_int_equal(cl.v[0].local.id, id);
	assert_int_equal(cl.v[0].local.status, KG_STATUS_DONE);
	assert_int_equal(cl.v[0].report.status, KG_STATUS_PLANNED);
	assert_int_equal(cl.v[0].fields, KG_LOCAL_STATUS);
	assert_string_equal(cl.v[0].document, "secure-japan-2008-h1.txt");
	assert_int_equal(cl.v[0].as_of, day("2008-09-30"));
	kg_conflict_list_clear(&cl);

	/* --take-report: planned again, no local field left */
	assert_int_equal(kg_store_resolve(fx->st, id, false, &err), 0);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &m, &err), 0);
	assert_int_equal(m.status, KG_STATUS_PLANNED);
	assert_false(m.conflict);
	assert_int_equal(m.local_mask, 0);
	assert_false(m.manual);
	kg_milestone_clear(&m);
	assert_int_equal(kg_store_conflicts(fx->st, &cl, &err), 0);
	assert_int_equal(cl.n, 0);

	/* --keep-local: done stays, until a later report disagrees again */
	step(fx->st, "done:重要インフラ機能演習:report");
	import_ok(fx->st, &ed->next, false, &r);
	assert_int_equal(r.conflicts_open, 1);
	kg_import_result_clear(&r);
	assert_int_equal(kg_store_resolve(fx->st, id, true, &err), 0);
	assert_int_equal(kg_store_milestone_get(fx->st, ref, &m, &err), 0);
	assert_int_equal(m.status, KG_STATUS_DONE);
	assert_false(m.conflict);
	assert_int_equal(m.window_end, day("2009-04-30"));  /* the report's, not edited */
	kg_milestone_clear(&m);
	import_ok(fx->st, &ed->final, false, &r);
	assert_int_equal(r.conflicts_open, 1);
	kg_import_result_clear(&r);
	/* a version of an older edition imported now decides nothing: no
	 * new conflict */
	assert_int_equal(kg_store_resolve(fx->st, id, true, &err), 0);
	step(fx->st, "head");
	assert_int_equal(kg_store_conflicts(fx->st, &cl, &err), 0);
	assert_int_equal(cl.n, 0);
}

/* Two plans in one database never make each other's milestones gone; a
 * successor plan's measures record which earlier ones they continue. */
static void
test_two_plans(void **state)
{
	struct fixture *fx = *state;
	struct kg_import y2009;
	struct kg_import_result r;
	sqlite3_stmt *s;

	step(fx->st, "h1");
	load_report("tests/data/secure-japan-2009-h1.txt", &y2009);
	import_ok(fx->st, &y2009, false, &r);
	assert_string_equal(r.plan, "セキュア・ジャパン2009");
	assert_int_equal(count_items(&r, KG_CH_GONE), 0);
	assert_int_equal(r.measures_matched, 0);
	kg_import_result_clear(&r);
	step(fx->st, "next");
	assert_int_equal(count_gone(fx->st), 42);   /* next's own, in its plan only */
	assert_int_equal(sqlite3_prepare_v2(kg_store_db(fx->st), "SELECT count(*) FROM measures m"
	    " JOIN measures e ON e.id = m.continues WHERE m.plan = 'セキュア・ジャパン2009'"
	    " AND e.plan = 'セキュア・ジャパン2008' AND e.title_key = m.title_key", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(sqlite3_column_int(s, 0) > 0);
	sqlite3_finalize(s);
	kg_import_clear(&y2009);
}

static int
cmp_slip(const void *a, const void *b)
{
	const struct kg_change *x = a, *y = b;

	if (x->as_of != y->as_of)
		return x->as_of < y->as_of ? -1 : 1;
	if (x->old_end != y->old_end)
		return x->old_end < y->old_end ? -1 : 1;
	return (x->new_end > y->new_end) - (x->new_end < y->new_end);
}

/* What slipped does not depend on the order of imports (milestone ids do:
 * compared by edition and windows). */
static void
test_slipped_any_order(void **state)
{
	struct fixture *fx = *state;
	struct kg_change_list h = {0}, r = {0};
	struct kg_store *st;
	struct kg_err err;
	char path[256];
	size_t i;

	step(fx->st, "h1");
	step(fx->st, "next");
	step(fx->st, "final");
	assert_int_equal(kg_store_slipped(fx->st, 0, &h, &err), 0);
	snprintf(path, sizeof(path), "%s/reversed.db", fx->dir);
	assert_int_equal(kg_store_open(path, KG_STORE_CREATE, &st, &err), 0);
	step(st, "final");
	step(st, "next");
	step(st, "h1");
	assert_int_equal(kg_store_slipped(st, 0, &r, &err), 0);
	assert_true(h.n > 4);
	assert_int_equal(h.n, r.n);
	qsort(h.v, h.n, sizeof(*h.v), cmp_slip);
	qsort(r.v, r.n, sizeof(*r.v), cmp_slip);
	for (i = 0; i < h.n; i++) {
		assert_int_equal(h.v[i].as_of, r.v[i].as_of);
		assert_int_equal(h.v[i].old_end, r.v[i].old_end);
		assert_int_equal(h.v[i].new_end, r.v[i].new_end);
		assert_false(h.v[i].created);
	}
	kg_change_list_clear(&h);
	kg_change_list_clear(&r);
	kg_store_close(st);
}

/* kigen status's last import: two within one second are told apart; a
 * version taken back is not the last; kigen measures / owners counts. */
static void
test_last_import_and_counts(void **state)
{
	struct fixture *fx = *state;
	struct kg_import seed, next;
	struct kg_import_result r1, r2, r;
	struct kg_document last;
	struct kg_owner_list ol = {0};
	struct kg_measure_counts mc = {0};
	struct kg_err err;
	size_t i;

	seed_report(&seed);
	next_report(&next);
	assert_int_equal(kg_store_last_import(fx->st, &last, &err), 0);
	import_ok(fx->st, &seed, false, &r1);
	import_ok(fx->st, &next, false, &r2);
	assert_int_equal(sqlite3_exec(kg_store_db(fx->st), "UPDATE documents SET imported_at = 1",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kg_store_last_import(fx->st, &last, &err), 1);
	assert_string_equal(last.name, "next-report.txt");
	kg_document_clear(&last);
	assert_int_equal(kg_store_unimport(fx->st, r2.document_id, false, &r, &err), 0);
	kg_import_result_clear(&r);
	assert_int_equal(kg_store_last_import(fx->st, &last, &err), 1);
	assert_string_equal(last.name, "secure-japan-2008-h1.txt");
	kg_document_clear(&last);

	/* the seed: 9 milestones in 5 measures; the exercise measure has 3 */
	assert_int_equal(kg_store_measure_counts(fx->st, &mc, &err), 0);
	assert_int_equal(mc.n, 5);
	for (i = 0; i < mc.n; i++)
		if (mc.v[i].c.milestones == 3)
			assert_int_equal(mc.v[i].c.done, 1);
	kg_measure_counts_clear(&mc);
	assert_int_equal(kg_store_owners(fx->st, &ol, &err), 0);
	assert_string_equal(ol.v[0].owner, "内閣官房");       /* most milestones first */
	assert_int_equal(ol.v[0].measures, 4);
	assert_int_equal(ol.v[0].c.milestones, 7);
	for (i = 0; i < ol.n; i++)
		if (strcmp(ol.v[i].owner, "総務省") == 0)
			assert_int_equal(ol.v[i].c.milestones, 2);
	kg_owner_list_clear(&ol);

	kg_import_result_clear(&r1);
	kg_import_result_clear(&r2);
	kg_import_clear(&seed);
	kg_import_clear(&next);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_score),
		cmocka_unit_test_setup_teardown(test_import_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owners_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manual_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gone_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locked_and_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edition_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shrink_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_correction_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unimport, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_plans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_import_and_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slipped_any_order, setup, teardown),
	};

	return cmocka_run_group_tests_name("store_import", tests, editions_setup,
	    editions_teardown);
}
