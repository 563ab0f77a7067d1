/*
 * reload — see reload.h.
 */
#include "reload.h"

static int
reload_changed(struct kg_loop *loop, void *arg, struct kg_err *err)
{
	return kg_server_changed(arg, kg_loop_data_version(loop), err);
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
