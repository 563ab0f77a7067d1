/* Unit tests for lib/page: the timeline, milestone and measure pages
 * rendered from a small site — rows per measure and per owner, a bar at
 * the x of its date, filters and search narrowing rows, text from reports
 * escaped everywhere, slips, density strips, paging, and what the detail
 * pages show. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "timeline.h"

#define D(y, m, d) kg_day_from_civil(y, m, d)
#define EVIL "<script>alert(\"x\")</script> & 'co'"

struct fixture {
	struct kg_milestone_list ms;
	struct kg_measure_list me;
	struct kg_page_index index;
	struct kg_slip slips[1];
	char **folded;
	size_t nfolded;
	struct kg_site site;
};

static struct kg_milestone *
add(struct fixture *fx, int64_t id, int64_t measure, const char *title, enum kg_status st,
    kg_day start, kg_day end, const char *owner)
{
	struct kg_milestone *m = kg_milestone_list_add(&fx->ms);

	m->id = id;
	m->measure_id = measure;
	m->title = strdup(title);
	m->status = st;
	m->window_start = start;
	m->window_end = end;
	m->precision = start == end ? KG_PREC_DAY : KG_PREC_RANGE;
	if (owner != NULL)
		kg_strv_push(&m->owners, owner, (size_t)-1);
	return m;
}

static struct kg_measure *
measure(struct fixture *fx, int64_t id, const char *title, const char *owner)
{
	struct kg_measure *me = kg_measure_list_add(&fx->me);

	me->id = id;
	me->title = strdup(title);
	kg_strv_push(&me->owners, owner, (size_t)-1);
	return me;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct kg_milestone *m;
	size_t i;

	measure(fx, 1, "重要インフラ機能演習の実施", "内閣官房");
	measure(fx, 2, "GSOCの本格運用", "内閣官房");
	measure(fx, 3, EVIL, "総務省");
	measure(fx, 4, "安全基準等の策定・見直し", "経済産業省"); /* no milestone */
	fx->me.v[0].progress = strdup("・平成20年12月１日に演習を実施\n・結果を公表");
	m = add(fx, 23, 1, "演習を実施", KG_STATUS_PLANNED, D(2008, 12, 1), D(2008, 12, 1),
	    "内閣官房");
	m->expr = strdup("平成20年12月１日");
	m->sentence = strdup("平成20年12月１日に演習を実施し、結果をとりまとめる予定。");
	m = add(fx, 24, 1, "結果を公表", KG_STATUS_PLANNED, D(2009, 3, 1), D(2009, 3, 31),
	    "内閣官房");
	kg_strv_push(&m->owners, "総務省", (size_t)-1);
	m = add(fx, 7, 2, "ＧＳＯＣの本格運用を開始", KG_STATUS_ONGOING, D(2008, 4, 1),
	    D(2009, 3, 31), "内閣官房");
	m->sentence = strdup("平成20年度中にＧＳＯＣの本格運用を開始予定。");
	add(fx, 9, 3, EVIL, KG_STATUS_DONE, D(2008, 8, 1), D(2008, 8, 31), "総務省");
	m = add(fx, 10, 3, "運用開始", KG_STATUS_ONGOING, D(2008, 10, 1), KG_DAY_NONE, "総務省");
	m->gone = true;
	m = add(fx, 11, 0, "手で加えた期限", KG_STATUS_PLANNED, D(2008, 6, 1), D(2008, 6, 30), NULL);
	fx->slips[0] = (struct kg_slip){24, D(2008, 12, 1), D(2008, 12, 31)};
	fx->folded = calloc(fx->ms.n, sizeof(*fx->folded));
	fx->nfolded = fx->ms.n;
	for (i = 0; i < fx->ms.n; i++)
		fx->folded[i] = kg_page_fold_milestone(&fx->ms.v[i]);
	fx->site = (struct kg_site){
		.name = "Secure Japan 2008 milestones",
		.milestones = fx->ms.v, .nmilestones = fx->ms.n,
		.measures = fx->me.v, .nmeasures = fx->me.n,
		.index = &fx->index,
		.slips = fx->slips, .nslips = 1,
	};
	assert_int_equal(kg_page_index(&fx->site, &fx->index), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < fx->nfolded; i++)
		free(fx->folded[i]);
	free(fx->folded);
	kg_milestone_list_clear(&fx->ms);
	kg_measure_list_clear(&fx->me);
	kg_page_index_clear(&fx->index);
	free(fx);
	return 0;
}

static struct kg_page_query
query(kg_day today)
{
	return (struct kg_page_query){.from = KG_DAY_NONE, .to = KG_DAY_NONE, .today = today,
	    .page = 1};
}

/* A page rendered into memory by draw(h, arg, err); the caller frees it.
 * Not inlined: gcc then takes the text for the local pointer it was
 * built in (open_memstream) and warns of a dangling pointer. */
static __attribute__((noinline)) char *
page_text(int (*draw)(struct kg_html *, const void *, struct kg_err *), const void *arg)
{
	struct kg_html h;
	struct kg_err err;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	kg_html_init(&h, f);
	if (draw(&h, arg, &err) < 0)
		fail_msg("%s", err.msg);
	fclose(f);
	return buf;
}

struct timeline_call {
	const struct kg_site *s;
	const struct kg_page_query *q;
};

static int
draw_timeline(struct kg_html *h, const void *arg, struct kg_err *err)
{
	const struct timeline_call *c = arg;

	return kg_page_timeline(h, c->s, c->q, err);
}

static char *
timeline(const struct kg_site *s, const struct kg_page_query *q)
{
	struct timeline_call c = {s, q};

	return page_text(draw_timeline, &c);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay += strlen(needle))
		n++;
	return n;
}

/* Whether some tag of page has an event handler attribute (on…=). */
static bool
has_handler(const char *page)
{
	const char *p, *q;
	bool in_tag = false;

	for (p = page; *p != '\0'; p++) {
		if (*p == '<')
			in_tag = true;
		else if (*p == '>')
			in_tag = false;
		else if (in_tag && strncmp(p, " on", 3) == 0) {
			for (q = p + 3; *q >= 'a' && *q <= 'z'; q++)
				;
			if (q > p + 3 && *q == '=')
				return true;
		}
	}
	return false;
}

/* Nothing from the data becomes markup: the only script is the page's own,
 * no inline style, no handler. */
static void
assert_no_injection(const char *page)
{
	assert_int_equal(count(page, "<script"), count(page, "<script src=\""));
	assert_null(strstr(page, "<script>alert"));
	assert_null(strstr(page, "style=\""));
	assert_false(has_handler(page));
}

static void
test_rows_and_bars(void **state)
{
	struct fixture *fx = *state;
	struct kg_page_query q = query(D(2008, 11, 24));
	struct kg_axis a;
	char want[128], *p, *bar;

	q.as_of_given = true;
	p = timeline(&fx->site, &q);
	assert_no_injection(p);
	/* One row per measure (the one without milestones too) and one for the
	 * milestone of no measure. */
	assert_int_equal(count(p, "<g class=\"row\""), 5);
	assert_non_null(strstr(p, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
	    "&#39;co&#39;"));
	/* The range: whole fiscal years around the data, FY2008 here. */
	assert_non_null(strstr(p, "data-from=\"2008-04-01\" data-to=\"2009-03-31\""));
	/* The exercise of 2008-12-01 at the x of its date. */
	kg_axis_init(&a, D(2008, 4, 1), D(2009, 3, 31), 0, 1100);
	bar = strstr(p, "data-id=\"23\"");
	assert_non_null(bar);
	snprintf(want, sizeof(want), "<rect x=\"%.1f\"", kg_axis_x(&a, D(2008, 12, 1)));
	assert_non_null(strstr(bar, want));
	assert_non_null(strstr(p, "class=\"ms s-planned tick\" data-id=\"23\""));
	/* The as-of line, statuses, the open window, gone, the slip's ghost. */
	assert_non_null(strstr(p, "as of 2008-11-24"));
	assert_non_null(strstr(p, "class=\"ms s-ongoing open gone\" data-id=\"10\""));
	assert_non_null(strstr(p, "mask=\"url(#fade)\""));
	bar = strstr(p, "data-id=\"24\"");
	assert_non_null(strstr(bar, "class=\"ghost\""));
	assert_non_null(strstr(bar, "marker-end=\"url(#arrow)\""));
	/* Links are relative: they work under /t/TOKEN/ too; and they keep
	 * the as-of date. */
	assert_non_null(strstr(p, "href=\"milestones/23?as_of=2008-11-24\""));
	assert_non_null(strstr(p, "href=\"measures/1?as_of=2008-11-24\""));
	assert_non_null(strstr(p, "href=\"assets/style.css\""));
	assert_null(strstr(p, "href=\"/"));
	assert_null(strstr(p, "http"));
	free(p);

	/* Overdue as of later. */
	q.today = D(2009, 1, 5);
	p = timeline(&fx->site, &q);
	assert_non_null(strstr(p, "class=\"ms s-planned tick overdue\" data-id=\"23\""));
	free(p);
}

static void
test_filters_and_search(void **state)
{
	struct fixture *fx = *state;
	struct kg_page_query q = query(D(2008, 11, 24));
	struct kg_filter f = {0};
	char *p, *needle;

	/* An owner: only rows with its milestones. */
	kg_strv_push(&f.owners, "総務省", (size_t)-1);
	q.filter = &f;
	p = timeline(&fx->site, &q);
	assert_int_equal(count(p, "<g class=\"row\""), 2);
	assert_int_equal(count(p, "class=\"ms "), 3);
	assert_non_null(strstr(p, "<option selected>総務省</option>"));
	assert_non_null(strstr(p, "href=\"feed.ics?owner=%E7%B7%8F%E5%8B%99%E7%9C%81\""));
	free(p);
	kg_filter_clear(&f);

	/* Free text, folded: ｇｓｏｃ (full width) finds ＧＳＯＣ. */
	needle = kg_page_fold("gsoc");
	fx->site.folded = fx->folded;
	q.filter = NULL;
	q.q = needle;
	q.q_shown = "gsoc";
	p = timeline(&fx->site, &q);
	assert_int_equal(count(p, "<g class=\"row\""), 1);
	assert_non_null(strstr(p, "data-id=\"7\""));
	assert_non_null(strstr(p, "value=\"gsoc\""));
	free(p);
	free(needle);

	/* Nothing matches: a message, no timeline. */
	q.q = q.q_shown = "no such words";
	p = timeline(&fx->site, &q);
	assert_non_null(strstr(p, "No milestone matches."));
	assert_null(strstr(p, "tl-bars"));
	free(p);
}

static void
test_by_owner(void **state)
{
	struct fixture *fx = *state;
	struct kg_page_query q = query(D(2008, 11, 24));
	char *p, *soumu;

	q.group = KG_PAGE_BY_OWNER;
	p = timeline(&fx->site, &q);
	/* 内閣官房, 総務省, and the milestone of no owner; 経済産業省 has none. */
	assert_int_equal(count(p, "<g class=\"row\""), 3);
	soumu = strstr(p, "<a href=\"?owner=%E7%B7%8F%E5%8B%99%E7%9C%81\">");
	assert_non_null(soumu);
	assert_true(soumu > strstr(p, "<a href=\"?owner=%E5%86%85%E9%96%A3%E5%AE%98%E6%88%BF\">"));
	/* A milestone of two owners is in both rows. */
	assert_int_equal(count(p, "data-id=\"24\""), 2);
	/* The owners, once each, the measures' first: 内閣官房 総務省 経済産業省;
	 * milestone 24 (index 1) has 内閣官房 and 総務省. */
	assert_int_equal(fx->index.owners.n, 3);
	assert_string_equal(fx->index.owners.v[2], "経済産業省");
	assert_int_equal(fx->index.owner_at[2] - fx->index.owner_at[1], 2);
	assert_int_equal(fx->index.owner_ix[fx->index.owner_at[1] + 1], 1);
	assert_int_equal(fx->index.end[1], D(2009, 3, 31));
	assert_non_null(strstr(p, "<option value=\"owner\" selected>"));
	free(p);
}

static void
test_range_and_zoom(void **state)
{
	struct fixture *fx = *state;
	struct kg_page_query q = query(D(2008, 11, 24));
	char *p;

	q.from = D(2008, 11, 1);
	q.to = D(2008, 12, 31);
	p = timeline(&fx->site, &q);
	assert_non_null(strstr(p, "data-from=\"2008-11-01\" data-to=\"2008-12-31\""));
	/* Zoomed in, every month is labelled; bars outside are left out. */
	assert_null(strstr(p, "data-id=\"9\""));
	assert_non_null(strstr(p, "data-id=\"23\""));
	/* Fiscal-year labels zoom into their year, keeping the query. */
	assert_non_null(strstr(p, "href=\"./?from=2008-04-01&amp;to=2009-03-31\""));
	free(p);
}

static void
test_density_and_pages(void **state)
{
	struct fixture *fx = *state;
	struct kg_page_query q = query(D(2008, 11, 24));
	char title[32], *p;
	int64_t i;

	/* 100 milestones in one measure: a density strip, not 100 bars. */
	for (i = 0; i < 100; i++)
		add(fx, 1000 + i, 2, "多数", KG_STATUS_PLANNED, D(2008, 4, 1) + (kg_day)(i * 3),
		    D(2008, 4, 1) + (kg_day)(i * 3), NULL);
	/* and 70 more measures: two pages of rows. */
	for (i = 0; i < 70; i++) {
		snprintf(title, sizeof(title), "施策%lld", (long long)i);
		measure(fx, 100 + i, title, "内閣府");
	}
	fx->site.milestones = fx->ms.v;
	fx->site.nmilestones = fx->ms.n;
	fx->site.measures = fx->me.v;
	fx->site.nmeasures = fx->me.n;
	kg_page_index_clear(&fx->index);
	assert_int_equal(kg_page_index(&fx->site, &fx->index), 0);
	p = timeline(&fx->site, &q);
	assert_non_null(strstr(p, "class=\"density d"));
	assert_null(strstr(p, "data-id=\"1050\""));
	assert_int_equal(count(p, "<g class=\"row\""), KG_PAGE_ROWS);
	assert_non_null(strstr(p, "rows 1–60 of 75"));
	assert_non_null(strstr(p, "<a rel=\"next\" href=\"./?page=2\">"));
	free(p);
	q.page = 2;
	p = timeline(&fx->site, &q);
	assert_int_equal(count(p, "<g class=\"row\""), 15);
	assert_non_null(strstr(p, "<a rel=\"prev\" href=\"./\">"));
	free(p);
}

struct milestone_call {
	const struct kg_site *s;
	const struct kg_milestone *m;
	const struct kg_measure *me;
	const struct kg_change_list *h;
	const struct kg_delivery_list *d;
};

static int
draw_milestone(struct kg_html *h, const void *arg, struct kg_err *err)
{
	const struct milestone_call *c = arg;

	return kg_page_milestone(h, c->s, c->m, c->me, c->h, c->d, D(2008, 11, 24), true, err);
}

static char *
render_milestone(struct fixture *fx, const struct kg_milestone *m, const struct kg_measure *me,
    const struct kg_change_list *h, const struct kg_delivery_list *d)
{
	struct milestone_call c = {&fx->site, m, me, h, d};

	return page_text(draw_milestone, &c);
}

static void
test_milestone_page(void **state)
{
	static const int leads[] = {7, 0}, overdue[] = {14, 7};
	struct fixture *fx = *state;
	struct kg_change_list h = {0};
	struct kg_delivery_list d = {0};
	struct kg_change c = {0};
	struct kg_delivery dl = {0};
	char *p;

	fx->site.lead_days = leads;
	fx->site.nlead = 2;
	fx->site.overdue_days = overdue;
	fx->site.noverdue = 2;
	fx->site.at_minute = 9 * 60;
	c.milestone_id = 23;
	c.at = 1222819200;
	c.reason = (char *)"import secure-japan-2008-h1.txt";
	c.created = true;
	c.new_start = c.new_end = D(2008, 11, 28);
	h.v = &c;
	h.n = 1;
	dl.endpoint = (char *)"ops";
	dl.type = (char *)"milestone.reminder";
	dl.lead_days = 7;
	dl.status = KG_DLV_FAILED;
	dl.attempts = 8;
	dl.last_http_status = 502;
	dl.last_error = (char *)"<html>bad gateway</html>";
	d.v = &dl;
	d.n = 1;
	p = render_milestone(fx, &fx->ms.v[0], &fx->me.v[0], &h, &d);
	assert_no_injection(p);
	assert_non_null(strstr(p, "<h1>演習を実施</h1>"));
	assert_non_null(strstr(p, "due on 2008-12-01 (in 7 days)"));
	/* The sentence, its date expression marked. */
	assert_non_null(strstr(p, "<blockquote class=\"sentence\"><mark>平成20年12月１日</mark>に演習を実施し"));
	assert_non_null(strstr(p, "import secure-japan-2008-h1.txt"));
	/* Reminders in time order: 7 days before, the day, 7 and 14 days after. */
	assert_true(strstr(p, "2008-11-24 09:00") < strstr(p, "2008-12-01 09:00"));
	assert_true(strstr(p, "2008-12-08 09:00") < strstr(p, "2008-12-15 09:00"));
	assert_non_null(strstr(p, "HTTP 502 <span class=\"error\">&lt;html&gt;bad gateway&lt;/html&gt;"));
	assert_non_null(strstr(p, "href=\"23.ics\""));
	/* Links keep the date the page was asked for. */
	assert_non_null(strstr(p, "href=\"../measures/1?as_of=2008-11-24\""));
	assert_non_null(strstr(p, "href=\"../?measure=1&amp;as_of=2008-11-24\""));
	assert_non_null(strstr(p, "href=\"../assets/style.css\""));
	free(p);

	/* A title that is markup, no measure, nothing recorded. */
	memset(&h, 0, sizeof(h));
	memset(&d, 0, sizeof(d));
	p = render_milestone(fx, &fx->ms.v[3], NULL, &h, &d);
	assert_no_injection(p);
	assert_non_null(strstr(p, "<title>&lt;script&gt;alert"));
	assert_non_null(strstr(p, "Nothing recorded."));
	free(p);
}

static int
draw_measure(struct kg_html *h, const void *arg, struct kg_err *err)
{
	const struct fixture *fx = arg;

	return kg_page_measure(h, &fx->site, &fx->me.v[0], D(2008, 11, 24), false, 1, err);
}

static void
test_measure_page(void **state)
{
	char *buf = page_text(draw_measure, *state);

	assert_no_injection(buf);
	assert_non_null(strstr(buf, "<li>・平成20年12月１日に演習を実施</li><li>・結果を公表</li>"));
	assert_non_null(strstr(buf, "Milestones (2)"));
	assert_non_null(strstr(buf, "href=\"../milestones/24\""));
	assert_non_null(strstr(buf, "href=\"../?measure=1\""));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rows_and_bars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters_and_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range_and_zoom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_density_and_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_milestone_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measure_page, setup, teardown),
	};
	return cmocka_run_group_tests_name("page", tests, NULL, NULL);
}
