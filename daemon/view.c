/*
 * view — see view.h.
 */
#include "view.h"

#include "hosts.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feedparts.h"
#include "web.h"

/* Frees the rows and measures v owns (owned, measures_shared). */
static void
free_data(struct kg_view *v)
{
	size_t i;

	for (i = 0; i < v->milestones.n; i++)
		if (v->owned == NULL || v->owned[i])
			kg_milestone_clear(&v->milestones.v[i]);
	free(v->milestones.v);
	free(v->owned);
	free(v->prev_keep);
	for (i = 0; i < v->measures.n && !v->measures_shared; i++)
		kg_measure_clear(&v->measures.v[i]);
	free(v->measures.v);
}

/* Frees v, whose last reference is gone; returns its heir, of which v held
 * a reference. */
static struct kg_view *
view_free(struct kg_view *v)
{
	struct kg_view *heir = v->heir;
	size_t i;

	kg_cache_free(v->cache);
	kg_web_free(v->web);
	for (i = 0; i < v->nfeeds; i++) {
		kg_rendered_release(&v->feeds[i].events);
		kg_feedparts_free(v->feeds[i].parts);
		free(v->feeds[i].name);
		free(v->feeds[i].calname);
		kg_filter_clear(&v->feeds[i].filter);
	}
	free(v->feeds);
	kg_strv_clear(&v->allowed_hosts);
	kg_zone_free(v->zone);
	free(v->lead_days);
	free(v->base_url);
	free_data(v);
	free(v);
	return heir;
}

/* A loop, not recursion: a chain of heirs can be long. */
void
kg_view_unref(struct kg_view *v)
{
	while (v != NULL && atomic_fetch_sub(&v->refs, 1) == 1)
		v = view_free(v);
}

struct kg_view *
kg_view_ref(struct kg_view *v)
{
	atomic_fetch_add(&v->refs, 1);
	return v;
}

struct kg_feed_entry *
kg_view_feed(const struct kg_view *v, const char *name)
{
	size_t i;

	if (name == NULL)
		return v->nfeeds > 0 ? &v->feeds[0] : NULL;
	for (i = 1; i < v->nfeeds; i++)
		if (strcmp(v->feeds[i].name, name) == 0)
			return &v->feeds[i];
	return NULL;
}

const struct kg_milestone *
kg_view_milestone(const struct kg_view *v, const char *ref)
{
	char *end;
	long long id = strtoll(ref, &end, 10);
	bool by_id = end != ref && *end == '\0' && id > 0;
	size_t i;

	for (i = 0; i < v->milestones.n; i++) {
		const struct kg_milestone *m = &v->milestones.v[i];

		if (by_id ? m->id == id : m->uid != NULL && strcmp(m->uid, ref) == 0)
			return m;
	}
	return NULL;
}

const struct kg_measure *
kg_view_measure(const struct kg_view *v, int64_t id)
{
	size_t i;

	for (i = 0; i < v->measures.n; i++)
		if (v->measures.v[i].id == id)
			return &v->measures.v[i];
	return NULL;
}

/* Adds the feed of fc (NULL: /feed.ics), not rendered yet.  Its
 * parameters point into the view, never into the configuration, which a
 * reload frees while the publisher may still be rendering. */
static int
view_add_feed(struct kg_view *v, const struct kg_conf *c, const struct kg_feed_conf *fc,
    struct kg_err *err)
{
	struct kg_feed_entry *e = &v->feeds[v->nfeeds++];
	const char *token = fc != NULL && fc->token != NULL ? fc->token : c->feed_token;

	if ((e->calname = kg_feed_calname(c, fc)) == NULL)
		return kg_err_set(err, "out of memory");
	if (fc != NULL) {
		if ((e->name = strdup(fc->name)) == NULL || kg_filter_copy(&e->filter, &fc->filter) < 0)
			return kg_err_set(err, "out of memory");
	}
	e->has_token = token != NULL && token[0] != '\0';
	if (e->has_token)
		kg_sha256(token, strlen(token), e->token_digest);
	kg_feed_params_from_conf(&e->params, c, fc);
	e->params.name = e->calname;
	e->params.zone = v->zone;
	e->params.lead_days = v->lead_days;
	e->params.base_url = v->base_url;
	e->params.filter = &e->filter;
	e->params.view = KG_FEED_EVENTS;
	return 0;
}

int
kg_view_prepare(const struct kg_conf *c, struct kg_view **out, struct kg_err *err)
{
	struct kg_view *v;
	size_t i;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return kg_err_set(err, "out of memory");
	atomic_init(&v->refs, 1);
	v->zone = kg_zone_ref(c->zone);
	v->lead_days = calloc(c->nlead + 1, sizeof(int));
	v->feeds = calloc(c->nfeeds + 1, sizeof(*v->feeds));
	v->cache = kg_cache_new();
	if (v->lead_days == NULL || v->feeds == NULL || v->cache == NULL ||
	    (c->base_url != NULL && (v->base_url = strdup(c->base_url)) == NULL)) {
		kg_err_set(err, "out of memory");
		goto fail;
	}
	if (c->nlead)
		memcpy(v->lead_days, c->lead_days, c->nlead * sizeof(int));
	v->has_token = c->feed_token != NULL && c->feed_token[0] != '\0';
	if (v->has_token)
		kg_sha256(c->feed_token, strlen(c->feed_token), v->token_digest);
	v->stall_limit_ms = c->stall_limit_s * 1000;
	if (kg_hosts_from_conf(c, &v->allowed_hosts, err) < 0 ||
	    view_add_feed(v, c, NULL, err) < 0)
		goto fail;
	for (i = 0; i < c->nfeeds; i++)
		if (view_add_feed(v, c, &c->feeds[i], err) < 0)
			goto fail;
	for (i = 0; i < v->nfeeds; i++)
		v->any_token |= v->feeds[i].has_token;
	if (kg_web_prepare(v, c, &v->web, err) < 0)
		goto fail;
	*out = v;
	return 0;
fail:
	kg_view_unref(v);
	return -1;
}

int
kg_view_fill(struct kg_view *v, struct kg_milestone_list *milestones,
    struct kg_measure_list *measures, const struct kg_change_list *slips,
    int64_t data_version, const struct kg_view *prev, struct kg_pool *pool,
    struct kg_err *err)
{
	const struct kg_feed_entry *pe;
	struct kg_feed_entry *e;
	struct kg_render how;
	struct timespec t0, t1;
	char cc[64];
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	v->milestones = *milestones;
	v->measures = *measures;
	memset(milestones, 0, sizeof(*milestones));
	memset(measures, 0, sizeof(*measures));
	v->data_version = data_version;
	v->published_at = (int64_t)time(NULL);
	for (i = 0; i < v->milestones.n; i++)
		if ((unsigned)v->milestones.v[i].status < KG_STATUS_COUNT)
			v->by_status[v->milestones.v[i].status]++;
	for (i = 0; i < v->nfeeds; i++) {
		e = &v->feeds[i];
		pe = prev != NULL ? kg_view_feed(prev, e->name) : NULL;
		kg_render_feed(&how, cc, v->milestones.v, v->milestones.n, &e->params,
		    pe != NULL ? &pe->events : NULL, 0, e->has_token);
		if (kg_feedparts_render(&e->events, &how, v->milestones.v, v->milestones.n,
		    &e->params, pe != NULL ? pe->parts : NULL, pool, &e->parts, err) < 0)
			return kg_err_prefix(err, "feed '%s'", e->name ? e->name : "default");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	v->feeds_seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (kg_web_fill(v->web, v, slips, err) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	v->render_seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}

/* Is row m one of the ids (ascending) written since? */
static bool
written(const struct kg_id_list *ids, const struct kg_milestone *m)
{
	size_t lo = 0, hi = ids->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ids->v[mid] == m->id)
			return true;
		if (ids->v[mid] < m->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

int
kg_view_fill_delta(struct kg_view *v, const struct kg_view *prev,
    struct kg_milestone_list *changed, const struct kg_id_list *ids,
    const struct kg_change_list *slips, int64_t data_version, struct kg_pool *pool,
    struct kg_err *err)
{
	const struct kg_milestone_list *old = &prev->milestones;
	struct kg_milestone_list ms = {0};
	struct kg_measure_list measures = {0};
	size_t i = 0, j = 0, cap = old->n + changed->n;
	bool from_old;

	/* On failure v frees only what it owns: its rows, none of prev's. */
	v->measures_shared = true;
	ms.v = malloc((cap ? cap : 1) * sizeof(*ms.v));
	v->owned = malloc(cap ? cap : 1);
	v->prev_keep = calloc(old->n ? old->n : 1, 1);
	measures.v = malloc((prev->measures.n ? prev->measures.n : 1) * sizeof(*measures.v));
	if (ms.v == NULL || v->owned == NULL || v->prev_keep == NULL || measures.v == NULL) {
		free(ms.v);
		free(measures.v);
		return kg_err_set(err, "out of memory");
	}
	ms.cap = cap;
	measures.n = measures.cap = prev->measures.n;
	if (measures.n)
		memcpy(measures.v, prev->measures.v, measures.n * sizeof(*measures.v));
	while (i < old->n || j < changed->n) {
		if (i < old->n && written(ids, &old->v[i])) {
			v->prev_keep[i++] = 1;   /* its old version: prev's to free */
			continue;
		}
		from_old = j == changed->n ||
		    (i < old->n && kg_store_order_cmp(&old->v[i], &changed->v[j]) < 0);
		v->owned[ms.n] = !from_old;
		ms.v[ms.n++] = from_old ? old->v[i++] : changed->v[j++];
	}
	/* the rows are ms's now: changed keeps only its array */
	changed->n = 0;
	kg_milestone_list_clear(changed);
	return kg_view_fill(v, &ms, &measures, slips, data_version, prev, pool, err);
}

void
kg_view_hand_over(struct kg_view *prev, struct kg_view *v)
{
	free(prev->owned);
	prev->owned = v->prev_keep;
	prev->heir = kg_view_ref(v);
	prev->measures_shared = true;
	v->prev_keep = NULL;
	free(v->owned);
	v->owned = NULL;
	v->measures_shared = false;
}

int
kg_view_check_conf(const struct kg_conf *c, struct kg_err *err)
{
	struct kg_milestone_list ms = {0};
	struct kg_measure_list measures = {0};
	struct kg_view *v;
	int rc;

	if (kg_view_prepare(c, &v, err) < 0)
		return -1;
	rc = kg_view_fill(v, &ms, &measures, NULL, 0, NULL, NULL, err);
	kg_view_unref(v);
	return rc;
}
