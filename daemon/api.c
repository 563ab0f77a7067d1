/*
 * api — see api.h.  Listings are shallow copies of the view's milestones
 * (the strings stay the view's), so an answer costs one array, not a copy
 * of the data.
 */
#include "api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "server.h"

/* Milestones of the view passing f, as a shallow list: the structs are
 * copied, their strings still belong to the view.  Free with free(list->v). */
static int
select_shallow(const struct kg_view *v, const struct kg_filter *f,
    struct kg_milestone_list *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (v->milestones.n == 0)
		return 0;
	if ((out->v = malloc(v->milestones.n * sizeof(*out->v))) == NULL)
		return -1;
	out->cap = v->milestones.n;
	for (i = 0; i < v->milestones.n; i++)
		if (kg_filter_match(f, &v->milestones.v[i]))
			out->v[out->n++] = v->milestones.v[i];
	return 0;
}

/* ?view= is a feed parameter no endpoint takes. */
static const char view_given[] = "unknown parameter 'view'";

static bool
has_view(const struct kg_request *rq)
{
	return rq->args.view != KG_FEED_EVENTS;
}

/* milestones and upcoming: the listing of the view's milestones passing
 * the filters; with upcoming, only those due from today to today + days. */
static enum MHD_Result
listing(struct kg_request *rq, bool upcoming)
{
	const struct kg_view *v = rq->view;
	const struct kg_args *a = &rq->args;
	struct kg_milestone_list sel;
	kg_day today = kg_today(v->timezone);
	json_t *j;
	size_t i;

	if (has_view(rq))
		return kg_reply_error(rq, 400, view_given);
	if (a->has_days && !upcoming)
		return kg_reply_error(rq, 400, "unknown parameter 'days'");
	if (select_shallow(v, &a->filter, &sel) < 0)
		return kg_reply_error(rq, 500, "out of memory");
	if (upcoming) {
		kg_day last = today + (a->has_days ? a->days : KG_API_UPCOMING_DAYS);
		size_t k = 0;

		for (i = 0; i < sel.n; i++) {
			const struct kg_milestone *m = &sel.v[i];

			/* As `kigen upcoming`: open ones, unless a status was asked for. */
			if ((a->filter.statuses.n > 0 || m->status == KG_STATUS_PLANNED ||
			    m->status == KG_STATUS_ONGOING) && m->window_end != KG_DAY_NONE &&
			    m->window_end >= today && m->window_end <= last)
				sel.v[k++] = *m;
		}
		sel.n = k;
	}
	j = kg_listing_json(today, &sel);
	free(sel.v);
	return kg_reply_json(rq, j);
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

	if (has_view(rq))
		return kg_reply_error(rq, 400, view_given);
	if (rq->args.has_filter || rq->args.has_days)
		return kg_reply_error(rq, 400, "/api/v1/measures takes no parameters");
	if ((j = json_array()) == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	for (i = 0; i < v->measures.n; i++)
		json_array_append_new(j, kg_measure_json(&v->measures.v[i]));
	return kg_reply_json(rq, json_pack("{s:o}", "measures", j));
}

enum MHD_Result
kg_api_unknown(struct kg_request *rq)
{

	if (has_view(rq))
		return kg_reply_error(rq, 400, view_given);
	return kg_reply_error(rq, 404, "not found");
}
