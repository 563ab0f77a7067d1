/*
 * reload — see reload.h.  A full reload per change: the sample report has a
 * few hundred milestones and the bench shows 10^5 load and render in about
 * a second, so incremental updates would buy nothing worth their bugs.
 */
#include "reload.h"

#include "store.h"

static int
reload_changed(struct kg_loop *loop, void *arg, struct kg_err *err)
{
	struct kg_store *st = kg_loop_store(loop);
	struct kg_milestone_list ms = {0};
	struct kg_measure_list measures = {0};
	struct kg_query q;
	int rc = -1;

	kg_query_init(&q);
	if (kg_store_milestones(st, &q, &ms, err) < 0 ||
	    kg_store_measures(st, &measures, err) < 0)
		goto out;
	rc = kg_server_publish(arg, &ms, &measures, kg_loop_data_version(loop), err);
out:
	kg_milestone_list_clear(&ms);
	kg_measure_list_clear(&measures);
	return rc;
}

/* Every loop iteration runs the ticks: the heartbeat /healthz checks. */
static int64_t
reload_tick(struct kg_loop *loop, void *arg, int64_t now)
{
	(void)loop;
	(void)now;
	kg_server_heartbeat(arg, kg_loop_mono_ms());
	return -1;
}

void
kg_reload_hook(struct kg_server *server, struct kg_loop_hook *hook)
{
	hook->name = "feeds";
	hook->arg = server;
	hook->changed = reload_changed;
	hook->tick = reload_tick;
}
