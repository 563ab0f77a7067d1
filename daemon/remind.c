/*
 * remind — see remind.h.  Enqueueing is bounded per tick (ENQUEUE_BATCH
 * fires, one transaction) so that 10^5 reminders due at once neither hold
 * the write lock for long nor stall the loop: the tick asks to run again at
 * once while fires remain.
 */
#include "remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deliver.h"
#include "log.h"
#include "outbox.h"
#include "schedule.h"
#include "store.h"
#include "webhook.h"

/* Fires enqueued per tick (one transaction). */
#define ENQUEUE_BATCH 500
/* How far ahead a plan reaches; it is rebuilt when the horizon comes. */
#define PLAN_HORIZON_S 86400

struct kg_remind {
	struct kg_loop *loop;
	struct kg_store *st;
	const struct kg_conf *conf;
	struct kg_schedule sched;
	struct kg_plan plan;
	bool replan;              /* the plan is stale: rebuild at the next tick */
	struct kg_outbox *ob;
	struct kg_deliver *deliver;
	char *feed_url;
	struct kg_measure measure; /* the last one read (measures repeat) */
};

static int
replan(struct kg_remind *r, int64_t now, struct kg_err *err)
{
	struct kg_deadline_list l = {0};
	int64_t until = now + PLAN_HORIZON_S;
	kg_day from, to;
	int rc;

	kg_plan_deadline_range(&r->sched, now, until, &from, &to);
	rc = kg_outbox_deadlines(r->ob, from, to, &l, err);
	if (rc == 0)
		rc = kg_plan_build(&r->plan, &r->sched, l.v, l.n, now, until, err);
	if (rc == 0)
		log_debug("reminders: %zu planned from %zu open deadlines", r->plan.n, l.n);
	kg_deadline_list_clear(&l);
	return rc;
}

static int
on_changed(struct kg_loop *loop, void *arg, struct kg_err *err)
{
	struct kg_remind *r = arg;

	(void)loop;
	/* Measures may have changed under the cache. */
	kg_measure_clear(&r->measure);
	r->replan = true;
	kg_deliver_poke(r->deliver);
	(void)err;
	return 0;
}

/* The measure of m, from the one-entry cache; NULL when not attached. */
static const struct kg_measure *
measure_of(struct kg_remind *r, const struct kg_milestone *m, struct kg_err *err, int *rc)
{
	*rc = 0;
	if (m->measure_id == 0)
		return NULL;
	if (r->measure.id != m->measure_id) {
		kg_measure_clear(&r->measure);
		if (kg_store_measure_get(r->st, m->measure_id, &r->measure, err) < 0) {
			kg_measure_clear(&r->measure);
			*rc = -1;
			return NULL;
		}
	}
	return &r->measure;
}

/*
 * Decides and enqueues one fire inside the open transaction: re-reads the
 * milestone (the plan may be a second behind the database), then adds one
 * row per endpoint whose filter matches.  Returns rows added, or -1.
 */
static int
enqueue_fire(struct kg_remind *r, const struct kg_fire *f, int64_t now, kg_day today,
    bool late, struct kg_err *err)
{
	struct kg_milestone m;
	struct kg_reminder rem;
	struct kg_delivery d;
	char ref[24], id[KG_WEBHOOK_ID_MAX], url[KG_URL_MAX];
	const struct kg_measure *measure;
	size_t i;
	int added = 0, rc;

	snprintf(ref, sizeof(ref), "%lld", (long long)f->milestone_id);
	if (kg_store_milestone_get(r->st, ref, &m, err) < 0)
		return 0; /* purged since the plan was made */
	if (!kg_schedule_wants(&m) || m.window_end != f->deadline) {
		kg_milestone_clear(&m);
		return 0;
	}
	measure = measure_of(r, &m, err, &rc);
	if (rc < 0)
		goto out;
	memset(&rem, 0, sizeof(rem));
	rem.milestone = &m;
	rem.measure = measure;
	rem.lead_days = f->offset_days;
	rem.days_left = f->deadline - today;
	rem.late = late;
	rem.scheduled_at = f->at;
	rem.timestamp = now;
	/* Without a base URL there is nothing to link to: nulls. */
	rem.feed_url = r->feed_url[0] != '\0' ? r->feed_url : NULL;
	rem.url = kg_milestone_url(r->conf->base_url, m.id, url, sizeof(url))[0] != '\0' ? url :
	    NULL;
	memset(&d, 0, sizeof(d));
	d.milestone_id = m.id;
	d.lead_days = f->offset_days;
	d.deadline = f->deadline;
	d.type = (char *)kg_schedule_event_type(f->offset_days);
	d.fire_at = f->at;
	d.expires_at = kg_schedule_expires_at(&r->sched, f->deadline, f->offset_days);
	d.late = late;
	for (i = 0; i < r->conf->nwebhooks && rc == 0; i++) {
		const struct kg_webhook_conf *ep = &r->conf->webhooks[i];

		bool has;

		if (!kg_webhook_conf_wants(ep, d.type) || !kg_filter_match(&ep->filter, &m))
			continue;
		if (kg_outbox_has(r->ob, ep->name, m.id, f->offset_days, f->deadline, &has,
		    err) < 0) {
			rc = -1;
			break;
		}
		if (has)
			continue;
		d.endpoint = ep->name;
		d.body = kg_webhook_body(ep->format, &rem, err);
		if (d.body == NULL || kg_webhook_new_id(id, err) < 0) {
			free(d.body);
			rc = -1;
			break;
		}
		d.webhook_id = id;
		rc = kg_outbox_add(r->ob, &d, now, err);
		if (rc > 0) {
			added++;
			log_info("reminders: %s %+dd for milestone %lld (%s) queued for %s%s",
			    d.type, f->offset_days, (long long)m.id, m.uid, ep->name,
			    late ? " (late)" : "");
			rc = 0;
		}
		free(d.body);
	}
out:
	kg_milestone_clear(&m);
	return rc < 0 ? -1 : added;
}

/* Takes up to ENQUEUE_BATCH due fires and enqueues them in one transaction.
 * Returns rows added, or -1 (the fires stay taken: the next replan, at the
 * latest at the horizon, brings back the ones still within catch-up). */
static int
enqueue_due(struct kg_remind *r, int64_t now, struct kg_err *err)
{
	const struct kg_fire *f;
	enum kg_fire_state state;
	kg_day today = kg_zone_day_of_time(r->sched.zone, now);
	size_t n, i;
	int added = 0, rc = 0;

	n = kg_plan_take_due(&r->plan, now, ENQUEUE_BATCH, &f);
	if (n == 0)
		return 0;
	if (kg_store_begin(r->st, err) < 0) {
		r->replan = true;
		return -1;
	}
	for (i = 0; i < n && rc >= 0; i++) {
		state = kg_schedule_classify(&r->sched, f[i].at, now);
		if (state == KG_FIRE_EXPIRED) {
			log_notice("reminders: %+dd for milestone %lld skipped: missed by more than "
			    "the catch-up window", f[i].offset_days, (long long)f[i].milestone_id);
			continue;
		}
		rc = enqueue_fire(r, &f[i], now, today, state == KG_FIRE_LATE, err);
		added += rc > 0 ? rc : 0;
	}
	if (rc < 0 || kg_store_commit(r->st, err) < 0) {
		kg_store_rollback(r->st);
		r->replan = true;
		return -1;
	}
	return added;
}

static int64_t
on_tick(struct kg_loop *loop, void *arg, int64_t now)
{
	struct kg_remind *r = arg;
	struct kg_err err;
	int64_t next, wait, dwait;
	int added;

	(void)loop;
	if (r->conf->nwebhooks == 0)
		return -1; /* nobody to remind; a reload may add someone */
	if (r->replan || now >= r->plan.until || now < r->plan.until - PLAN_HORIZON_S - 1) {
		/* Changed data, the horizon reached, or a clock stepped back past
		 * the plan's start: plan again from now. */
		if (replan(r, now, &err) < 0)
			log_err("reminders: %s", err.msg);
		else
			r->replan = false;
	}
	added = enqueue_due(r, now, &err);
	if (added < 0)
		log_err("reminders: %s", err.msg);
	else if (added > 0)
		kg_deliver_poke(r->deliver);
	next = kg_plan_next_at(&r->plan);
	wait = next <= now ? 0 : (next - now) * 1000;
	if (r->replan)
		wait = 1000;
	dwait = kg_deliver_tick(r->deliver, now);
	return dwait >= 0 && dwait < wait ? dwait : wait;
}

/* The feed URL payloads carry under conf; NULL on ENOMEM. */
static char *
feed_url_of(const struct kg_conf *conf)
{
	char link[KG_URL_MAX];

	return strdup(kg_conf_link(conf->base_url, "/feed.ics", link, sizeof(link)));
}

/* Points r at conf: schedule rules, feed URL (url, stolen). */
static void
adopt(struct kg_remind *r, const struct kg_conf *conf, char *url)
{
	free(r->feed_url);
	r->feed_url = url;
	r->conf = conf;
	kg_schedule_from_conf(&r->sched, conf);
	r->replan = true;
}

int
kg_remind_new(struct kg_loop *loop, const struct kg_conf *conf, struct kg_remind **out,
    struct kg_err *err)
{
	struct kg_loop_hook hook;
	struct kg_remind *r;
	int64_t now = (int64_t)time(NULL);
	char *url;
	int n;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return kg_err_set(err, "out of memory");
	r->loop = loop;
	r->st = kg_loop_store(loop);
	if ((url = feed_url_of(conf)) == NULL) {
		kg_err_set(err, "out of memory");
		goto fail;
	}
	adopt(r, conf, url);
	if (kg_outbox_open(r->st, &r->ob, err) < 0)
		goto fail;
	if ((n = kg_outbox_recover(r->ob, now, err)) < 0)
		goto fail;
	if (n > 0)
		log_notice("reminders: resuming %d deliveries cut short by the last stop", n);
	if (kg_deliver_new(loop, r->ob, conf, &r->deliver, err) < 0)
		goto fail;
	memset(&hook, 0, sizeof(hook));
	hook.name = "reminders";
	hook.arg = r;
	hook.changed = on_changed;
	hook.tick = on_tick;
	if (kg_loop_add_hook(loop, &hook, err) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	kg_remind_free(r);
	return -1;
}

int
kg_remind_set_conf(struct kg_remind *r, const struct kg_conf *conf, struct kg_err *err)
{
	char *url = feed_url_of(conf);

	if (url == NULL)
		return kg_err_set(err, "out of memory");
	if (kg_deliver_set_conf(r->deliver, conf, err) < 0) {
		free(url);
		return -1;
	}
	adopt(r, conf, url);
	return 0;
}

void
kg_remind_status(struct kg_remind *r, json_t *obj)
{
	char next[KG_TIME_LEN];
	int64_t pending = 0, failed = 0, at = kg_plan_next_at(&r->plan);
	struct kg_err err;
	bool planned = r->plan.next < r->plan.n;

	if (kg_outbox_count(r->ob, 1u << KG_DLV_PENDING, &pending, &err) < 0 ||
	    kg_outbox_count(r->ob, 1u << KG_DLV_FAILED, &failed, &err) < 0)
		log_err("reminders: %s", err.msg);
	json_object_set_new(obj, "reminders", json_pack("{s:I, s:s?, s:I, s:I, s:I}",
	    "planned", (json_int_t)(r->plan.n - r->plan.next),
	    "next", planned ? kg_time_format(at, next) : NULL,
	    "in_flight", (json_int_t)kg_deliver_in_flight(r->deliver),
	    "pending", (json_int_t)pending,
	    "failed", (json_int_t)failed));
}

void
kg_remind_summary(struct kg_remind *r, char *buf, size_t size)
{
	int64_t pending = 0, at = kg_plan_next_at(&r->plan);
	char day[KG_DATE_LEN];
	kg_day d;
	int minute;

	kg_outbox_count(r->ob, 1u << KG_DLV_PENDING, &pending, NULL);
	if (r->plan.next >= r->plan.n) {
		snprintf(buf, size, "no reminder due within a day, %lld deliveries pending",
		    (long long)pending);
		return;
	}
	d = kg_zone_day_of_time(r->sched.zone, at);
	minute = (int)((at - kg_zone_time_of_local(r->sched.zone, d, 0)) / 60);
	snprintf(buf, size, "%zu reminders planned, next %s %02d:%02d, %lld deliveries pending",
	    r->plan.n - r->plan.next, kg_date_format(d, day), minute / 60, minute % 60,
	    (long long)pending);
}

void
kg_remind_drain(struct kg_remind *r)
{
	kg_deliver_drain(r->deliver);
}

bool
kg_remind_busy(const struct kg_remind *r)
{
	return kg_deliver_busy(r->deliver);
}

void
kg_remind_free(struct kg_remind *r)
{
	if (r == NULL)
		return;
	kg_deliver_free(r->deliver);
	kg_outbox_close(r->ob);
	kg_plan_clear(&r->plan);
	kg_measure_clear(&r->measure);
	free(r->feed_url);
	free(r);
}
