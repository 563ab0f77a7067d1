/*
 * bench/web/render — how long kigend's pages take to render (lib/page.h),
 * in process, beside the feed of the same data (kg_feed_write, the other
 * rendition kigend makes of it) as the peer of the same run.
 *
 *   render gen N MEASURES DB     N milestones over MEASURES measures (fixed
 *                                data) through the store API: days, months,
 *                                dekads, fiscal years, multi-year ranges and
 *                                open windows over 2005-2014, two owners of
 *                                eight per measure, sentences to search
 *   render time DB AS_OF RUNS [NAME]
 *                                loads DB as kigend publishes it, then
 *                                renders each page (or only NAME) RUNS
 *                                times; one line per page: "name median_ms
 *                                p90_ms bytes"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed.h"
#include "page.h"
#include "store.h"

#define FIRST_DAY 12784 /* 2005-01-01 */
#define SPAN_DAYS 3652  /* ten years */

/* Bodies and acts as the sample report names them. */
static const char *const bodies[] = {
	"内閣官房", "内閣府", "総務省", "経済産業省", "警察庁", "文部科学省", "防衛省",
	"重要インフラ所管省庁",
};
static const char *const acts[] = {
	"演習を実施", "結果を公表", "基準を改定", "調査を実施", "本格運用を開始", "検討会を開催",
};

/* A well-mixed number from i and a salt (splitmix64's finaliser): the same
 * data on every run, no state. */
static unsigned long long
mix(unsigned long long i, unsigned long long salt)
{
	unsigned long long z = i * 0x9e3779b97f4a7c15ULL + salt;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A window of one of the precisions reports use, around day d; r picks
 * which (0..99). */
static void
window(struct kg_milestone *m, kg_day d, unsigned r)
{
	int y, mo, dd;

	kg_civil_from_day(d, &y, &mo, &dd);
	m->window_start = m->window_end = d;
	m->precision = KG_PREC_DAY;
	if (r < 40)
		return;
	if (r < 65) {
		m->window_start = kg_month_first(d);
		m->window_end = kg_month_last(d);
		m->precision = KG_PREC_MONTH;
	} else if (r < 72) {
		m->window_start = kg_day_from_civil(y, mo, 21);
		m->window_end = kg_month_last(d);
		m->precision = KG_PREC_DEKAD;
	} else if (r < 87) {
		m->window_start = kg_day_from_civil(kg_fiscal_year(d), 4, 1);
		m->window_end = kg_day_from_civil(kg_fiscal_year(d) + 1, 3, 31);
		m->precision = KG_PREC_FISCAL_YEAR;
	} else if (r < 95) {
		m->window_start = kg_day_from_civil(kg_fiscal_year(d), 4, 1);
		m->window_end = kg_day_from_civil(kg_fiscal_year(d) + 3, 3, 31);
		m->precision = KG_PREC_RANGE;
	} else {
		m->window_end = KG_DAY_NONE;
		m->precision = KG_PREC_OPEN_START;
	}
}

static int
generate(long n, long nmeasures, const char *db)
{
	struct kg_store *st = NULL;
	struct kg_err err = {{0}};
	struct kg_measure me;
	struct kg_milestone m;
	int64_t *ids = calloc((size_t)nmeasures, sizeof(*ids));
	char title[160], sentence[256];
	int y, mo, d, rc = 1;
	long i;

	if (ids == NULL || kg_store_open(db, KG_STORE_CREATE, &st, &err) < 0 ||
	    kg_store_begin(st, &err) < 0)
		goto out;
	for (i = 0; i < nmeasures; i++) {
		memset(&me, 0, sizeof(me));
		snprintf(title, sizeof(title), "施策%ld：情報セキュリティ対策の推進", i + 1);
		me.title = title;
		if (kg_strv_push(&me.owners, bodies[i % 8], (size_t)-1) < 0 ||
		    kg_strv_push(&me.owners, bodies[(i + 1 + i / 8) % 8], (size_t)-1) < 0 ||
		    kg_store_measure_add(st, &me, &err) < 0) {
			kg_strv_clear(&me.owners);
			goto out;
		}
		ids[i] = me.id;
		kg_strv_clear(&me.owners);
	}
	for (i = 0; i < n; i++) {
		const char *act = acts[mix((unsigned long long)i, 1) % 6];
		unsigned long long pick = mix((unsigned long long)i, 4) % 100;

		memset(&m, 0, sizeof(m));
		window(&m, FIRST_DAY + (kg_day)(mix((unsigned long long)i, 2) % SPAN_DAYS),
		    (unsigned)(mix((unsigned long long)i, 3) % 100));
		m.kind = (enum kg_kind)(i % KG_KIND_COUNT);
		m.status = pick < 10 ? KG_STATUS_DONE : pick < 12 ? KG_STATUS_CANCELLED :
		    pick < 20 ? KG_STATUS_ONGOING : KG_STATUS_PLANNED;
		m.manual = true;
		m.measure_id = ids[i % nmeasures];
		snprintf(title, sizeof(title), "%s（%ld）", act, i + 1);
		kg_civil_from_day(m.window_start, &y, &mo, &d);
		snprintf(sentence, sizeof(sentence), "平成%d年%d月%d日までに%sする予定。", y - 1988, mo,
		    d, act);
		m.title = title;
		m.sentence = sentence;
		if (kg_store_milestone_add(st, &m, &err) < 0)
			goto out;
		free(m.uid);
	}
	if (kg_store_commit(st, &err) < 0)
		goto out;
	printf("gen: %ld milestones over %ld measures in %s\n", n, nmeasures, db);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "render: %s\n", err.msg);
	free(ids);
	kg_store_close(st);
	return rc;
}

/* ---- timing ---- */

struct data {
	struct kg_milestone_list ms;
	struct kg_measure_list me;
	struct kg_page_index index;
	char **folded;
	struct kg_site site;
	kg_day today;
};

enum page_kind { TIMELINE, MILESTONE, MEASURE, FEED };

struct call {
	const char *name;
	enum page_kind kind;
	struct kg_page_query q;
	const struct kg_site *site;
};

static int
render_once(const struct data *d, const struct call *c, FILE *f, struct kg_err *err)
{
	static const int lead[] = {30, 7, 1, 0};
	struct kg_change_list none = {0};
	struct kg_delivery_list no = {0};
	struct kg_feed_params p;
	struct kg_html h;

	kg_html_init(&h, f);
	switch (c->kind) {
	case TIMELINE:
		return kg_page_timeline(&h, c->site, &c->q, err);
	case MILESTONE:
		return kg_page_milestone(&h, c->site, &d->ms.v[d->ms.n / 2], &d->me.v[0], &none, &no,
		    d->today, true, err);
	case MEASURE:
		return kg_page_measure(&h, c->site, &d->me.v[0], d->today, true, 1, err);
	case FEED:
		kg_feed_params_init(&p);
		p.lead_days = lead;
		p.nlead = 4;
		return kg_feed_write(d->ms.v, d->ms.n, &p, f, err);
	}
	return -1;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
time_call(const struct data *d, const struct call *c, int runs)
{
	double *t = calloc((size_t)runs, sizeof(*t)), t0;
	struct kg_err err = {{0}};
	char *buf = NULL;
	size_t len = 0;
	int i;

	if (t == NULL)
		return -1;
	for (i = 0; i < runs; i++) {
		FILE *f = open_memstream(&buf, &len);

		t0 = now_ms();
		if (f == NULL || render_once(d, c, f, &err) < 0) {
			fprintf(stderr, "render: %s: %s\n", c->name, err.msg);
			free(t);
			return -1;
		}
		fclose(f);
		t[i] = now_ms() - t0;
		if (i + 1 < runs) {
			free(buf);
			buf = NULL;
		}
	}
	qsort(t, (size_t)runs, sizeof(*t), by_value);
	printf("%s %.3f %.3f %zu\n", c->name, t[runs / 2], t[runs * 9 / 10], len);
	free(buf);
	free(t);
	return 0;
}

static int
timing(const char *db, const char *as_of, int runs, const char *only)
{
	struct data d = {0};
	struct kg_change_list slips = {0};
	struct kg_store *st = NULL;
	struct kg_err err = {{0}};
	struct kg_filter soumu = {0};
	struct kg_query q;
	struct kg_site searching;
	char *needle = NULL;
	double t0;
	size_t i;
	int rc = 1;

	kg_query_init(&q);
	if (kg_date_parse(as_of, &d.today, &err) < 0 ||
	    kg_store_open(db, KG_STORE_READONLY, &st, &err) < 0)
		goto out;
	t0 = now_ms();
	if (kg_store_milestones(st, &q, &d.ms, &err) < 0 ||
	    kg_store_measures(st, &d.me, &err) < 0 || kg_store_slipped(st, 0, &slips, &err) < 0)
		goto out;
	d.site = (struct kg_site){
		.name = "bench", .milestones = d.ms.v, .nmilestones = d.ms.n,
		.measures = d.me.v, .nmeasures = d.me.n, .index = &d.index,
	};
	if (kg_page_index(&d.site, &d.index) < 0)
		goto out;
	printf("load %.3f %.3f %zu\n", now_ms() - t0, now_ms() - t0, d.ms.n);

	/* The search's folding, once per view in kigend. */
	t0 = now_ms();
	if ((d.folded = calloc(d.ms.n + 1, sizeof(*d.folded))) == NULL)
		goto out;
	for (i = 0; i < d.ms.n; i++)
		d.folded[i] = kg_page_fold_milestone(&d.ms.v[i]);
	printf("fold %.3f %.3f %zu\n", now_ms() - t0, now_ms() - t0, d.ms.n);
	searching = d.site;
	searching.folded = d.folded;
	needle = kg_page_fold("演習");
	kg_strv_push(&soumu.owners, "総務省", (size_t)-1);
	{
		const struct kg_page_query base = {.from = KG_DAY_NONE, .to = KG_DAY_NONE,
		    .today = d.today, .page = 1};
		struct call calls[] = {
			{"timeline", TIMELINE, base, &d.site},
			{"timeline_owner", TIMELINE, base, &d.site},
			{"timeline_by_owner", TIMELINE, base, &d.site},
			{"timeline_q", TIMELINE, base, &searching},
			{"timeline_fy", TIMELINE, base, &d.site},
			{"timeline_page2", TIMELINE, base, &d.site},
			{"milestone", MILESTONE, base, &d.site},
			{"measure", MEASURE, base, &d.site},
			{"feed", FEED, base, &d.site},
		};

		calls[1].q.filter = &soumu;
		calls[2].q.group = KG_PAGE_BY_OWNER;
		calls[3].q.q = needle;
		calls[3].q.q_shown = "演習";
		calls[4].q.from = kg_day_from_civil(kg_fiscal_year(d.today), 4, 1);
		calls[4].q.to = kg_day_from_civil(kg_fiscal_year(d.today) + 1, 3, 31);
		calls[5].q.page = 2;
		for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if ((only == NULL || strcmp(only, calls[i].name) == 0) && time_call(&d, &calls[i], calls[i].kind == FEED && d.ms.n > 10000 ? 3 : runs) < 0)
				goto out;
	}
	rc = 0;
out:
	if (rc != 0 && err.msg[0])
		fprintf(stderr, "render: %s\n", err.msg);
	for (i = 0; d.folded != NULL && i < d.ms.n; i++)
		free(d.folded[i]);
	free(d.folded);
	free(needle);
	kg_filter_clear(&soumu);
	kg_change_list_clear(&slips);
	kg_page_index_clear(&d.index);
	kg_milestone_list_clear(&d.ms);
	kg_measure_list_clear(&d.me);
	kg_store_close(st);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return generate(atol(argv[2]), atol(argv[3]), argv[4]);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "time") == 0)
		return timing(argv[2], argv[3], atoi(argv[4]), argc == 6 ? argv[5] : NULL);
	fprintf(stderr, "usage: render gen N MEASURES DB | render time DB AS_OF RUNS [NAME]\n");
	return 2;
}
