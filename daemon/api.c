/*
 * api — see api.h.  Listings are renditions made on request (cache.h),
 * written milestone by milestone (kg_listing_write): a listing of the
 * whole view is made once per view and day, and never held as one jansson
 * tree.
 */
#include "api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "log.h"
#include "server.h"

/* The date taken as today: as_of= or today in the configured zone. */
static kg_day
today_of(const struct kg_request *rq)
{
	return rq->args.given & KG_ARG_AS_OF ? rq->args.as_of : kg_zone_today(rq->view->zone);
}

/* A listing made on request (cache.h): which milestones of the view. */
struct listing {
	struct kg_view *view;
	struct kg_filter filter;
	bool upcoming, any_status;
	kg_day today, last;
	bool private_reply;
};

/* As `kigen list` (the filters) and, upcoming, as `kigen upcoming`: open
 * ones (unless a status was asked for) due from today to the last day. */
static bool
listed(const struct kg_milestone *m, void *arg)
{
	const struct listing *l = arg;

	if (!kg_filter_match(&l->filter, m))
		return false;
	return !l->upcoming || ((l->any_status || m->status == KG_STATUS_PLANNED ||
	    m->status == KG_STATUS_ONGOING) && m->window_end != KG_DAY_NONE &&
	    m->window_end >= l->today && m->window_end <= l->last);
}

static int
write_listing(void *arg, FILE *out, struct kg_err *err)
{
	struct listing *l = arg;

	if (kg_listing_write(out, l->today, l->view->milestones.v, l->view->milestones.n, listed,
	    l) < 0)
		return kg_err_set(err, "cannot write the listing (out of memory)");
	return 0;
}

static int
make_listing(void *arg, struct kg_rendered *r, struct kg_err *err)
{
	struct listing *l = arg;
	struct kg_render how = {
		.content_type = "application/json; charset=utf-8",
		.cache_control = l->private_reply ? "private, no-store" : "no-cache",
		.write = write_listing,
		.arg = l,
	};

	return kg_rendered_render(r, &how, true, err);
}

static void
free_listing(void *arg)
{
	struct listing *l = arg;

	kg_view_unref(l->view);
	kg_filter_clear(&l->filter);
	free(l);
}

/* milestones and upcoming: the listing of the view's milestones passing
 * the filters; with upcoming, only those due from today to today + days.
 * Made once per view, day and canonical parameters. */
static enum MHD_Result
listing(struct kg_request *rq, bool upcoming)
{
	const struct kg_args *a = &rq->args;
	struct kg_cache_spec spec = { .make = make_listing, .free_arg = free_listing };
	struct listing *l;
	char context[64];

	if (!kg_args_only(&rq->args, KG_ARG_FILTER | KG_ARG_AS_OF | (upcoming ? KG_ARG_DAYS : 0)))
		return kg_reply_error(rq, 400, rq->args.bad);
	if ((l = calloc(1, sizeof(*l))) == NULL || kg_filter_copy(&l->filter, &a->filter) < 0) {
		free(l);
		return kg_reply_error(rq, 500, "out of memory");
	}
	l->view = kg_view_ref(rq->view);
	l->upcoming = upcoming;
	l->any_status = a->filter.statuses.n > 0;
	l->today = today_of(rq);
	l->last = l->today + (a->given & KG_ARG_DAYS ? a->days : KG_API_UPCOMING_DAYS);
	l->private_reply = rq->private_reply;
	spec.arg = l;
	snprintf(context, sizeof(context), "%d %d %d", (int)upcoming, (int)l->today, (int)l->last);
	if (kg_cache_key(&spec, "listing", context, a) < 0) {
		free_listing(l);
		return kg_reply_error(rq, 500, "out of memory");
	}
	return kg_reply_cached(rq, &spec);
}

enum MHD_Result
kg_api_milestones(struct kg_request *rq)
{
	return listing(rq, false);
}

enum MHD_Result
kg_api_upcoming(struct kg_request *rq)
{
	return listing(rq, true);
}

enum MHD_Result
kg_api_measures(struct kg_request *rq)
{
	const struct kg_view *v = rq->view;
	json_t *j;
	size_t i;

	if (!kg_args_only(&rq->args, 0))
		return kg_reply_error(rq, 400, "/api/v1/measures takes no parameters");
	if ((j = json_array()) == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	for (i = 0; i < v->measures.n; i++)
		json_array_append_new(j, kg_measure_json(&v->measures.v[i]));
	return kg_reply_json(rq, 200, json_pack("{s:o}", "measures", j));
}

int
kg_api_details(struct kg_request *rq, int64_t milestone_id, struct kg_change_list *history,
    struct kg_delivery_list *deliveries)
{
	struct kg_err err;

	if (kg_readers_details(kg_server_readers(rq->server), milestone_id, history, deliveries,
	    &err) < 0) {
		log_err("milestone %lld: %s", (long long)milestone_id, err.msg);
		return -1;
	}
	return 0;
}

/* GET /api/v1/milestones/ID: the milestone, its measure, history and
 * deliveries. */
enum MHD_Result
kg_api_milestone(struct kg_request *rq)
{
	const struct kg_milestone *m = kg_view_milestone(rq->view, rq->rest);
	struct kg_change_list history = {0};
	struct kg_delivery_list deliveries = {0};
	json_t *h, *d, *j = NULL;
	size_t i;

	if (!kg_args_only(&rq->args, 0))
		return kg_reply_error(rq, 400, rq->args.bad);
	if (m == NULL)
		return kg_reply_error(rq, 404, "no such milestone");
	if (kg_api_details(rq, m->id, &history, &deliveries) < 0)
		return kg_reply_error(rq, 500, "cannot read the database");
	h = json_array();
	d = json_array();
	for (i = 0; h != NULL && i < history.n; i++)
		json_array_append_new(h, kg_change_json(&history.v[i]));
	for (i = 0; d != NULL && i < deliveries.n; i++)
		json_array_append_new(d, kg_delivery_json(&deliveries.v[i]));
	if (h != NULL && d != NULL) {
		const struct kg_measure *me = kg_view_measure(rq->view, m->measure_id);

		j = json_pack("{s:o, s:o, s:o, s:o}", "milestone", kg_milestone_json(m),
		    "measure", me != NULL ? kg_measure_json(me) : json_null(),
		    "history", h, "deliveries", d);
	} else {
		json_decref(h);
		json_decref(d);
	}
	kg_change_list_clear(&history);
	kg_delivery_list_clear(&deliveries);
	return kg_reply_json(rq, 200, j);
}

/* GET /api/v1/measures/ID: the measure, its progress text and milestones. */
enum MHD_Result
kg_api_measure(struct kg_request *rq)
{
	const struct kg_view *v = rq->view;
	const struct kg_measure *me;
	char *end;
	long long id;
	json_t *a;
	size_t i;

	if (!kg_args_only(&rq->args, 0))
		return kg_reply_error(rq, 400, rq->args.bad);
	id = strtoll(rq->rest, &end, 10);
	if (end == rq->rest || *end != '\0' || id <= 0 || (me = kg_view_measure(v, id)) == NULL)
		return kg_reply_error(rq, 404, "no such measure");
	if ((a = json_array()) == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	for (i = 0; i < v->milestones.n; i++)
		if (v->milestones.v[i].measure_id == me->id)
			json_array_append_new(a, kg_milestone_json(&v->milestones.v[i]));
	return kg_reply_json(rq, 200, json_pack("{s:o, s:s?, s:o}", "measure", kg_measure_json(me),
	    "progress", me->progress, "milestones", a));
}

enum MHD_Result
kg_api_unknown(struct kg_request *rq)
{
	if (rq->args.given & KG_ARG_VIEW)
		return kg_reply_error(rq, 400, "unknown parameter 'view'");
	return kg_reply_error(rq, 404, "not found");
}
