/*
 * web — see web.h.  Handlers gather what a page shows (the view's data,
 * a milestone's history and deliveries through readers.h) and hand it to
 * the pure renderer (lib/page.h) as the writer of a rendition; serving is
 * the feeds' (ETag, gzip, 304).
 */
#include "web.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "assets.h"
#include "cache.h"
#include "feeds.h"
#include "log.h"
#include "page.h"
#include "server.h"

/* No inline script or style, nothing from elsewhere, no framing, forms
 * only to kigend itself. */
#define CSP "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; " \
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

static const char *const page_headers[] = {
	"Content-Security-Policy", CSP,
	"Referrer-Policy", "no-referrer",
	"X-Frame-Options", "DENY",
	NULL,
};

#define HTML_TYPE "text/html; charset=utf-8"

struct asset {
	const char *name;
	struct kg_rendered r;
};

struct kg_web {
	struct kg_site site;         /* points into the view and here */
	struct kg_page_index index;
	struct kg_slip *slips;
	size_t nslips;
	char *name;
	int *lead_days, *overdue_days;
	bool private_pages;          /* a token is needed: Cache-Control private */
	const struct kg_zone *zone;  /* the view's */
	struct asset *assets;
	size_t nassets;
	/* Two locks, so that folding 10^5 sentences for a first search does
	 * not hold up the page everybody opens. */
	pthread_mutex_t home_lock;   /* guards home_day, home */
	kg_day home_day;             /* the day home was rendered for */
	struct kg_rendered home;     /* "/" without parameters */
	pthread_mutex_t fold_lock;   /* guards folded */
	char **folded;               /* the search's text, built on the first q= */
};

/* ---- rendering ---- */

enum job_kind { JOB_TIMELINE, JOB_MILESTONE, JOB_MEASURE };

/* What one page shows: the writer's argument. */
struct job {
	enum job_kind kind;
	const struct kg_site *site;
	const struct kg_page_query *q;
	const struct kg_milestone *m;
	const struct kg_measure *me;
	const struct kg_change_list *history;
	const struct kg_delivery_list *deliveries;
	kg_day today;
	bool as_of_given;          /* links keep ?as_of= */
	long page;
};

static int
job_write(void *arg, FILE *f, struct kg_err *err)
{
	const struct job *j = arg;
	struct kg_html h;

	kg_html_init(&h, f);
	switch (j->kind) {
	case JOB_TIMELINE:
		return kg_page_timeline(&h, j->site, j->q, err);
	case JOB_MILESTONE:
		return kg_page_milestone(&h, j->site, j->m, j->me, j->history, j->deliveries,
		    j->today, j->as_of_given, err);
	case JOB_MEASURE:
		return kg_page_measure(&h, j->site, j->me, j->today, j->as_of_given, j->page, err);
	}
	return kg_err_set(err, "no such page");
}

static int
render_page(const struct kg_web *w, const struct job *j, struct kg_rendered *r,
    bool want_gzip, struct kg_err *err)
{
	struct kg_render how = {
		.content_type = HTML_TYPE,
		.headers = page_headers,
		.cache_control = w->private_pages ? "private, no-cache" : "no-cache",
		.write = job_write,
		.arg = (void *)j,
	};

	memset(r, 0, sizeof(*r));
	return kg_rendered_render(r, &how, want_gzip, err);
}

/* Renders j for this request and answers with it. */
static enum MHD_Result
reply_page(struct kg_request *rq, const struct job *j)
{
	struct kg_rendered r;
	struct kg_err err;
	int rc;

	kg_metrics_request_render(rq->metrics);
	rc = render_page(rq->view->web, j, &r, kg_feeds_wants_gzip(rq), &err);
	return kg_feeds_reply_made(rq, rc, &r, &err, "page");
}

/* A page made on request (cache.h): its view (kept alive), the job, and
 * what the job points to that is the request's. */
struct page_arg {
	struct kg_view *view;
	struct job j;
	struct kg_site site;
	struct kg_page_query q;
	struct kg_filter filter;
	char *needle, *q_shown;
};

static char *const *folded(struct kg_web *w);

static int
make_page(void *arg, struct kg_rendered *r, struct kg_err *err)
{
	struct page_arg *pa = arg;
	struct kg_web *w = pa->view->web;

	/* Folding 10^5 sentences for a first search is the render's work. */
	if (pa->needle != NULL && (pa->site.folded = folded(w)) == NULL)
		return kg_err_set(err, "out of memory");
	return render_page(w, &pa->j, r, true, err);
}

static void
free_page(void *arg)
{
	struct page_arg *pa = arg;

	kg_view_unref(pa->view);
	kg_filter_clear(&pa->filter);
	free(pa->needle);
	free(pa->q_shown);
	free(pa);
}

/* Answers with the page of pa (taken), made once per view, day and
 * parameters on a render thread. */
static enum MHD_Result
reply_cached_page(struct kg_request *rq, struct page_arg *pa)
{
	struct kg_cache_spec spec = { .make = make_page, .arg = pa, .free_arg = free_page };
	char context[64];

	pa->j.site = &pa->site;
	pa->j.q = &pa->q;
	snprintf(context, sizeof(context), "%d %lld %d", (int)pa->j.kind,
	    pa->j.me != NULL ? (long long)pa->j.me->id : 0LL, (int)pa->j.today);
	if (kg_cache_key(&spec, "page", context, &rq->args) < 0) {
		free_page(pa);
		return kg_reply_error(rq, 500, "out of memory");
	}
	return kg_reply_cached(rq, &spec);
}

static struct page_arg *
page_arg_new(struct kg_request *rq, enum job_kind kind)
{
	struct page_arg *pa = calloc(1, sizeof(*pa));

	if (pa == NULL)
		return NULL;
	pa->view = kg_view_ref(rq->view);
	pa->site = pa->view->web->site;
	pa->j.kind = kind;
	return pa;
}

static int
render_home(struct kg_web *w, kg_day today, struct kg_err *err)
{
	struct kg_page_query q = {.from = KG_DAY_NONE, .to = KG_DAY_NONE, .today = today,
	    .page = 1};
	struct job j = {.kind = JOB_TIMELINE, .site = &w->site, .q = &q, .today = today};

	kg_rendered_release(&w->home);
	if (render_page(w, &j, &w->home, true, err) < 0) {
		kg_rendered_release(&w->home);
		w->home_day = KG_DAY_NONE;
		return -1;
	}
	w->home_day = today;
	return 0;
}

/* ---- the view's pages ---- */

/* A change's milestone and its place in the list, for a stable sort. */
struct change_ref {
	int64_t milestone_id;
	size_t at;
};

static int
by_milestone_then_at(const void *a, const void *b)
{
	const struct change_ref *x = a, *y = b;

	if (x->milestone_id != y->milestone_id)
		return x->milestone_id < y->milestone_id ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* The last move of each milestone a report moved (l is oldest first), by
 * milestone id. */
static int
take_slips(struct kg_web *w, const struct kg_change_list *l)
{
	struct change_ref *refs = calloc(l->n + 1, sizeof(*refs));
	size_t i;

	if (refs == NULL || (w->slips = calloc(l->n + 1, sizeof(*w->slips))) == NULL) {
		free(refs);
		return -1;
	}
	for (i = 0; i < l->n; i++)
		refs[i] = (struct change_ref){l->v[i].milestone_id, i};
	qsort(refs, l->n, sizeof(*refs), by_milestone_then_at);
	for (i = 0; i < l->n; i++) {
		const struct kg_change *c = &l->v[refs[i].at];

		if (i + 1 < l->n && refs[i + 1].milestone_id == c->milestone_id)
			continue; /* a later move of the same milestone follows */
		w->slips[w->nslips++] = (struct kg_slip){c->milestone_id, c->old_start, c->old_end};
	}
	free(refs);
	return 0;
}

static int
int_copy(int **dst, const int *src, size_t n)
{
	if ((*dst = calloc(n + 1, sizeof(int))) == NULL)
		return -1;
	if (n > 0)
		memcpy(*dst, src, n * sizeof(int));
	return 0;
}

static const char *
asset_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot != NULL && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot != NULL && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot != NULL && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "application/octet-stream";
}

static int
asset_write(void *arg, FILE *f, struct kg_err *err)
{
	const struct kg_asset *a = arg;

	if (fwrite(a->bytes, 1, a->len, f) != a->len)
		return kg_err_set(err, "cannot write asset '%s'", a->name);
	return 0;
}

static int
render_assets(struct kg_web *w, struct kg_err *err)
{
	size_t n;

	for (n = 0; kg_assets[n].name != NULL; n++)
		;
	if ((w->assets = calloc(n + 1, sizeof(*w->assets))) == NULL)
		return kg_err_set(err, "out of memory");
	for (; w->nassets < n; w->nassets++) {
		const struct kg_asset *a = &kg_assets[w->nassets];
		struct kg_render how = {
			.content_type = asset_type(a->name),
			.headers = page_headers,
			.cache_control = "no-cache",
			.write = asset_write,
			.arg = (void *)a,
		};

		w->assets[w->nassets].name = a->name;
		if (kg_rendered_render(&w->assets[w->nassets].r, &how, true, err) < 0) {
			w->nassets++;
			return -1;
		}
	}
	return 0;
}

int
kg_web_prepare(const struct kg_view *v, const struct kg_conf *c, struct kg_web **out,
    struct kg_err *err)
{
	struct kg_web *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (w == NULL)
		return kg_err_set(err, "out of memory");
	pthread_mutex_init(&w->home_lock, NULL);
	pthread_mutex_init(&w->fold_lock, NULL);
	w->home_day = KG_DAY_NONE;
	w->zone = v->zone;
	w->private_pages = v->any_token;
	if ((w->name = strdup(c->feed_name != NULL ? c->feed_name : "kigen")) == NULL ||
	    int_copy(&w->lead_days, c->lead_days, c->nlead) < 0 ||
	    int_copy(&w->overdue_days, c->overdue_days, c->noverdue) < 0) {
		kg_web_free(w);
		return kg_err_set(err, "out of memory");
	}
	w->site = (struct kg_site){
		.name = w->name,
		.index = &w->index,
		.lead_days = w->lead_days, .nlead = c->nlead,
		.overdue_days = w->overdue_days, .noverdue = c->noverdue,
		.at_minute = c->at_minute,
	};
	*out = w;
	return 0;
}

int
kg_web_fill(struct kg_web *w, const struct kg_view *v, const struct kg_change_list *slips,
    struct kg_err *err)
{
	const struct kg_change_list none = {0};

	if (take_slips(w, slips != NULL ? slips : &none) < 0)
		return kg_err_set(err, "out of memory");
	w->site.milestones = v->milestones.v;
	w->site.nmilestones = v->milestones.n;
	w->site.measures = v->measures.v;
	w->site.nmeasures = v->measures.n;
	w->site.slips = w->slips;
	w->site.nslips = w->nslips;
	if (kg_page_index(&w->site, &w->index) < 0)
		return kg_err_set(err, "out of memory");
	if (render_assets(w, err) < 0 || render_home(w, kg_zone_today(w->zone), err) < 0)
		return -1;
	return 0;
}

void
kg_web_free(struct kg_web *w)
{
	size_t i;

	if (w == NULL)
		return;
	kg_rendered_release(&w->home);
	for (i = 0; i < w->nassets; i++)
		kg_rendered_release(&w->assets[i].r);
	for (i = 0; w->folded != NULL && i < w->site.nmilestones; i++)
		free(w->folded[i]);
	free(w->folded);
	free(w->assets);
	kg_page_index_clear(&w->index);
	free(w->slips);
	free(w->name);
	free(w->lead_days);
	free(w->overdue_days);
	pthread_mutex_destroy(&w->home_lock);
	pthread_mutex_destroy(&w->fold_lock);
	free(w);
}

/* ---- access ---- */

bool
kg_web_public(struct kg_request *rq)
{
	(void)rq;
	return true;
}

/* ---- handlers ---- */

static kg_day
today_of(const struct kg_request *rq)
{
	return rq->args.given & KG_ARG_AS_OF ? rq->args.as_of : kg_zone_today(rq->view->zone);
}

/* The search's folded text of every milestone, built once per view. */
static char *const *
folded(struct kg_web *w)
{
	size_t i;

	pthread_mutex_lock(&w->fold_lock);
	if (w->folded == NULL && (w->folded = calloc(w->site.nmilestones + 1,
	    sizeof(*w->folded))) != NULL)
		for (i = 0; i < w->site.nmilestones; i++)
			w->folded[i] = kg_page_fold_milestone(&w->site.milestones[i]);
	pthread_mutex_unlock(&w->fold_lock);
	return w->folded;
}

enum MHD_Result
kg_web_timeline(struct kg_request *rq)
{
	struct kg_web *w = rq->view->web;
	struct kg_args *a = &rq->args;
	struct page_arg *pa;
	struct kg_page_query *q;
	struct kg_err err;
	enum MHD_Result ret;
	kg_day today = today_of(rq);

	if (!kg_args_only(a, KG_ARG_FILTER | KG_ARG_Q | KG_ARG_FROM | KG_ARG_TO | KG_ARG_AS_OF |
	    KG_ARG_GROUP | KG_ARG_PAGE))
		return kg_reply_error(rq, 400, a->bad);
	if (a->given == 0) {
		/* The page everybody opens: cached, rendered again once a day. */
		pthread_mutex_lock(&w->home_lock);
		if (w->home_day != today && render_home(w, today, &err) < 0) {
			pthread_mutex_unlock(&w->home_lock);
			log_err("page: %s", err.msg);
			return kg_reply_error(rq, 500, "cannot render the page");
		}
		ret = kg_feeds_reply(rq, &w->home);
		pthread_mutex_unlock(&w->home_lock);
		return ret;
	}
	if ((pa = page_arg_new(rq, JOB_TIMELINE)) == NULL ||
	    kg_filter_copy(&pa->filter, &a->filter) < 0) {
		if (pa != NULL)
			free_page(pa);
		return kg_reply_error(rq, 500, "out of memory");
	}
	q = &pa->q;
	q->filter = &pa->filter;
	q->from = a->given & KG_ARG_FROM ? a->from : KG_DAY_NONE;
	q->to = a->given & KG_ARG_TO ? a->to : KG_DAY_NONE;
	if (q->from != KG_DAY_NONE && q->to != KG_DAY_NONE && q->to < q->from) {
		kg_day t = q->to;

		q->to = q->from;
		q->from = t;
	}
	q->today = pa->j.today = today;
	q->as_of_given = a->given & KG_ARG_AS_OF;
	q->group = a->group == KG_GROUP_OWNER ? KG_PAGE_BY_OWNER : KG_PAGE_BY_MEASURE;
	q->page = a->given & KG_ARG_PAGE ? a->page : 1;
	if (a->q != NULL) {
		if ((pa->needle = kg_page_fold(a->q)) == NULL) {
			free_page(pa);
			return kg_reply_error(rq, 400, "q is not valid UTF-8");
		}
		if ((pa->q_shown = strdup(a->q)) == NULL) {
			free_page(pa);
			return kg_reply_error(rq, 500, "out of memory");
		}
		q->q = pa->needle;
		q->q_shown = pa->q_shown;
	}
	return reply_cached_page(rq, pa);
}

/* "ID" or "ID.ics" of rq->rest: the milestone and whether .ics was asked. */
static const struct kg_milestone *
milestone_of(const struct kg_request *rq, bool *ics)
{
	char ref[128];
	size_t n = strlen(rq->rest);

	*ics = n > 4 && strcmp(rq->rest + n - 4, ".ics") == 0;
	if (*ics)
		n -= 4;
	if (n == 0 || n >= sizeof(ref))
		return NULL;
	memcpy(ref, rq->rest, n);
	ref[n] = '\0';
	return kg_view_milestone(rq->view, ref);
}

/* /milestones/ID.ics: the default feed's calendar with this milestone only. */
static enum MHD_Result
milestone_ics(struct kg_request *rq, const struct kg_milestone *m)
{
	const struct kg_feed_entry *e = kg_view_feed(rq->view, NULL);
	struct kg_feed_params p = e->params;
	struct kg_rendered r;
	struct kg_err err;
	int rc;

	p.filter = NULL;
	p.extra_filter = NULL;
	p.show_done = true;
	memset(&r, 0, sizeof(r));
	kg_metrics_request_render(rq->metrics);
	rc = kg_rendered_make(&r, m, 1, &p, NULL, 0, rq->view->has_token, kg_feeds_wants_gzip(rq),
	    &err);
	return kg_feeds_reply_made(rq, rc, &r, &err, "milestone calendar");
}

enum MHD_Result
kg_web_milestone(struct kg_request *rq)
{
	struct kg_change_list history = {0};
	struct kg_delivery_list deliveries = {0};
	const struct kg_milestone *m;
	struct job j = {.kind = JOB_MILESTONE, .site = &rq->view->web->site};
	enum MHD_Result ret;
	bool ics;

	if ((m = milestone_of(rq, &ics)) == NULL)
		return kg_reply_error(rq, 404, "no such milestone");
	if (!kg_args_only(&rq->args, ics ? 0 : KG_ARG_AS_OF))
		return kg_reply_error(rq, 400, rq->args.bad);
	if (ics)
		return milestone_ics(rq, m);
	if (kg_api_details(rq, m->id, &history, &deliveries) < 0)
		ret = kg_reply_error(rq, 500, "cannot read the database");
	else {
		j.m = m;
		j.me = kg_view_measure(rq->view, m->measure_id);
		j.history = &history;
		j.deliveries = &deliveries;
		j.today = today_of(rq);
		j.as_of_given = rq->args.given & KG_ARG_AS_OF;
		ret = reply_page(rq, &j);
	}
	kg_change_list_clear(&history);
	kg_delivery_list_clear(&deliveries);
	return ret;
}

enum MHD_Result
kg_web_measure(struct kg_request *rq)
{
	const struct kg_measure *me;
	struct page_arg *pa;
	char *end;
	long long id = strtoll(rq->rest, &end, 10);

	if (end == rq->rest || *end != '\0' || id <= 0 ||
	    (me = kg_view_measure(rq->view, id)) == NULL)
		return kg_reply_error(rq, 404, "no such measure");
	if (!kg_args_only(&rq->args, KG_ARG_AS_OF | KG_ARG_PAGE))
		return kg_reply_error(rq, 400, rq->args.bad);
	if ((pa = page_arg_new(rq, JOB_MEASURE)) == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	pa->j.me = me;
	pa->j.today = today_of(rq);
	pa->j.as_of_given = rq->args.given & KG_ARG_AS_OF;
	pa->j.page = rq->args.given & KG_ARG_PAGE ? rq->args.page : 1;
	return reply_cached_page(rq, pa);
}

enum MHD_Result
kg_web_asset(struct kg_request *rq)
{
	const struct kg_web *w = rq->view->web;
	size_t i;

	if (!kg_args_only(&rq->args, 0))
		return kg_reply_error(rq, 400, rq->args.bad);
	for (i = 0; i < w->nassets; i++)
		if (strcmp(w->assets[i].name, rq->rest) == 0)
			return kg_feeds_reply(rq, &w->assets[i].r);
	return kg_reply_error(rq, 404, "not found");
}
