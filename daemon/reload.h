/*
 * reload — keeps the HTTP view in step with the database: the loop hook
 * whose changed() reads every milestone and measure from the store and
 * publishes them (kg_server_publish renders the feeds there, once per change),
 * and whose tick, run by every loop iteration, is the heartbeat /healthz
 * checks (kg_server_heartbeat).
 */
#ifndef KG_RELOAD_H
#define KG_RELOAD_H

#include "loop.h"
#include "server.h"

/* Fills hook with the "feeds" hook for server (borrowed by the hook). */
void kg_reload_hook(struct kg_server *server, struct kg_loop_hook *hook);

#endif
