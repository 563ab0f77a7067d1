/*
 * schedule — see schedule.h.  Fire times go through kg_zone_time_of_local
 * (a few binary searches each); a plan over 10^5 milestones would pay that
 * 4x per milestone, so the build keeps a small direct-mapped cache of local
 * fire times by day (deadlines cluster on month and fiscal-year ends).
 */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

void
kg_schedule_from_conf(struct kg_schedule *s, const struct kg_conf *c)
{
	memset(s, 0, sizeof(*s));
	s->lead_days = c->lead_days;
	s->nlead = c->nlead;
	s->overdue_days = c->overdue_days;
	s->noverdue = c->noverdue;
	s->at_minute = c->at_minute;
	s->catch_up_s = c->catch_up_s;
	s->zone = c->zone;
}

int64_t
kg_schedule_fire_time(const struct kg_schedule *s, kg_day deadline, int offset_days)
{
	return kg_zone_time_of_local(s->zone, deadline - offset_days, s->at_minute);
}

bool
kg_schedule_wants(const struct kg_milestone *m)
{
	return (m->status == KG_STATUS_PLANNED || m->status == KG_STATUS_ONGOING) &&
	    m->window_end != KG_DAY_NONE && !m->gone;
}

int64_t
kg_schedule_window(const struct kg_schedule *s)
{
	return s->catch_up_s > KG_SCHEDULE_GRACE_S ? s->catch_up_s : KG_SCHEDULE_GRACE_S;
}

enum kg_fire_state
kg_schedule_classify(const struct kg_schedule *s, int64_t at, int64_t now)
{
	if (at > now)
		return KG_FIRE_FUTURE;
	if (now - at <= KG_SCHEDULE_GRACE_S)
		return KG_FIRE_DUE;
	if (now - at <= kg_schedule_window(s))
		return KG_FIRE_LATE;
	return KG_FIRE_EXPIRED;
}

const char *
kg_schedule_event_type(int offset_days)
{
	return offset_days >= 0 ? "milestone.reminder" : "milestone.overdue";
}

int64_t
kg_schedule_expires_at(const struct kg_schedule *s, kg_day deadline, int offset_days)
{
	if (offset_days < 0)
		return INT64_MAX;
	return kg_zone_time_of_local(s->zone, deadline + 1, 0);
}

#define DAY_CACHE 4096

struct day_cache {
	kg_day day[DAY_CACHE];
	int64_t at[DAY_CACHE];
	bool used[DAY_CACHE];
};

static int64_t
cached_fire_time(struct day_cache *c, const struct kg_schedule *s, kg_day deadline,
    int offset_days)
{
	kg_day d = deadline - offset_days;
	size_t slot = (size_t)((uint32_t)d % DAY_CACHE);

	if (!c->used[slot] || c->day[slot] != d) {
		c->day[slot] = d;
		c->at[slot] = kg_schedule_fire_time(s, deadline, offset_days);
		c->used[slot] = true;
	}
	return c->at[slot];
}

static int
plan_push(struct kg_plan *p, const struct kg_fire *f)
{
	if (kg_array_grow((void **)&p->v, &p->cap, p->n, sizeof(*p->v)) < 0)
		return -1;
	p->v[p->n++] = *f;
	return 0;
}

static int
fire_cmp(const void *a, const void *b)
{
	const struct kg_fire *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->milestone_id != y->milestone_id)
		return x->milestone_id < y->milestone_id ? -1 : 1;
	/* Same instant, same milestone: the larger lead first. */
	return (x->offset_days < y->offset_days) - (x->offset_days > y->offset_days);
}

int
kg_deadline_list_add(struct kg_deadline_list *l, int64_t milestone_id, kg_day deadline)
{
	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return -1;
	l->v[l->n].milestone_id = milestone_id;
	l->v[l->n++].deadline = deadline;
	return 0;
}

void
kg_deadline_list_clear(struct kg_deadline_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
kg_plan_deadline_range(const struct kg_schedule *s, int64_t now, int64_t until,
    kg_day *from, kg_day *to)
{
	int max_lead = 0, max_overdue = 0;
	size_t i;

	for (i = 0; i < s->nlead; i++)
		max_lead = s->lead_days[i] > max_lead ? s->lead_days[i] : max_lead;
	for (i = 0; i < s->noverdue; i++)
		max_overdue = s->overdue_days[i] > max_overdue ? s->overdue_days[i] : max_overdue;
	/* A day of slack on both sides covers any zone's offset. */
	*from = kg_zone_day_of_time(s->zone, now - kg_schedule_window(s)) - max_overdue - 1;
	*to = kg_zone_day_of_time(s->zone, until) + max_lead + 1;
}

int
kg_plan_build(struct kg_plan *p, const struct kg_schedule *s,
    const struct kg_deadline *deadlines, size_t n, int64_t now, int64_t until,
    struct kg_err *err)
{
	struct day_cache *cache;
	struct kg_fire f;
	size_t i, j, nrules = s->nlead + s->noverdue;
	int rc = -1;

	p->n = 0;
	p->next = 0;
	p->until = until;
	cache = calloc(1, sizeof(*cache));
	if (cache == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		for (j = 0; j < nrules; j++) {
			f.offset_days = j < s->nlead ? s->lead_days[j] : -s->overdue_days[j - s->nlead];
			f.at = cached_fire_time(cache, s, deadlines[i].deadline, f.offset_days);
			if (f.at > until || kg_schedule_classify(s, f.at, now) == KG_FIRE_EXPIRED)
				continue;
			f.milestone_id = deadlines[i].milestone_id;
			f.deadline = deadlines[i].deadline;
			if (plan_push(p, &f) < 0)
				goto out;
		}
	}
	if (p->n > 1) /* an empty plan has no array: qsort must not see NULL */
		qsort(p->v, p->n, sizeof(*p->v), fire_cmp);
	rc = 0;
out:
	free(cache);
	if (rc < 0)
		kg_err_set(err, "out of memory building the reminder plan");
	return rc;
}

int64_t
kg_plan_next_at(const struct kg_plan *p)
{
	return p->next < p->n ? p->v[p->next].at : p->until;
}

size_t
kg_plan_take_due(struct kg_plan *p, int64_t now, size_t max, const struct kg_fire **first)
{
	size_t start = p->next;

	while (p->next < p->n && p->v[p->next].at <= now && p->next - start < max)
		p->next++;
	*first = p->v + start;
	return p->next - start;
}

void
kg_plan_clear(struct kg_plan *p)
{
	if (p == NULL)
		return;
	free(p->v);
	memset(p, 0, sizeof(*p));
}
