/*
 * reload — keeps the HTTP view in step with the database: the loop hook
 * whose changed() asks the publisher for a new view (kg_server_changed:
 * the loop goes on at once; the publisher thread reads and renders the
 * feeds and the timeline), and whose tick, run by every loop iteration, is
 * the heartbeat /healthz checks (kg_server_heartbeat).
 */
#ifndef KG_RELOAD_H
#define KG_RELOAD_H

#include "loop.h"
#include "server.h"

/* Fills hook with the "feeds" hook for server (borrowed by the hook). */
void kg_reload_hook(struct kg_server *server, struct kg_loop_hook *hook);

#endif
