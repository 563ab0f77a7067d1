/*
 * service — what running as a service adds around kigend's loop:
 *
 *   - the configuration in force, loaded with the command-line overrides
 *     and the checks a server needs (secrets readable by others are warned
 *     about, see kigen.conf(5));
 *   - SIGHUP and `kigen reload`: an atomic reload — the new file is parsed
 *     completely and handed to every module before anything changes; a
 *     file with an error is rejected with FILE:LINE and the old
 *     configuration stays in force.  SIGHUPs are coalesced (one reload
 *     per KG_SERVICE_RELOAD_GAP_MS at most, however many arrive);
 *     `kigen reload` reloads at once, since it waits for the answer;
 *   - SIGTERM and SIGINT: a graceful stop, bounded in time: deliveries in
 *     flight may finish (KG_SERVICE_DRAIN_MS), then the loop stops;
 *   - the control socket (daemon/control.h) and sd_notify (daemon/notify.h):
 *     READY once the first data load is done, STATUS, WATCHDOG, RELOADING,
 *     STOPPING.
 *
 * Everything here runs in the loop thread.
 */
#ifndef KG_SERVICE_H
#define KG_SERVICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "err.h"
#include "model.h"

struct kg_loop;

/* After a stop signal, work in flight (webhook deliveries) gets this long to
 * finish before the loop stops; what is still unfinished then goes back to
 * the outbox. */
#define KG_SERVICE_DRAIN_MS 5000
/* Seconds between a stop signal and a forced exit, should a module hang. */
#define KG_SERVICE_STOP_MAX_S 20
/* SIGHUPs are coalesced: at most one reload by signal per this long. */
#define KG_SERVICE_RELOAD_GAP_MS 1000

/* What the command line says; applied over every (re)loaded file. */
struct kg_service_opts {
	const char *config_path;      /* --config, or NULL: the usual precedence */
	const char *db;               /* --db, or NULL */
	const struct kg_strv *listen; /* --listen, or NULL / empty */
	int log_level;                /* --log-level, or -1 */
};

struct kg_service_ops {
	/*
	 * Puts `next` into force in every module, or fails with err and changes
	 * nothing.  Modules may keep borrowing from `next` until the following
	 * apply; the configuration before it is freed as soon as apply returns,
	 * so a module read by other threads (HTTP) must swap under its own
	 * lock.  NULL: nothing to apply beyond the log level.
	 */
	int (*apply)(void *arg, const struct kg_conf *next, struct kg_err *err);
	/* Adds fields to a `kigen status` answer: "next_reminder",
	 * "deliveries", ... (obj borrowed).  May be NULL. */
	void (*status)(void *arg, json_t *obj);
	/* One line for systemd's STATUS=, e.g. "152 milestones, next reminder
	 * 2008-11-24 09:00, 0 pending deliveries".  May be NULL. */
	void (*summary)(void *arg, char *buf, size_t size);
	/* Graceful stop: drain() asks the modules to start no new work (no
	 * new deliveries); the loop goes on until busy() returns false or
	 * KG_SERVICE_DRAIN_MS passed, then stops.  Either may be NULL: the
	 * loop then stops at once. */
	void (*drain)(void *arg);
	bool (*busy)(void *arg);
	void *arg;
};

/*
 * Loads the configuration as kigend uses it: kg_conf_load(opts->config_path),
 * then the overrides of opts, and [general] db defaulting to default_db.
 * Warns (log) when the file holds secrets and others may read it.  c is
 * owned by the caller (kg_conf_clear); on error it is cleared and err holds
 * "FILE:LINE: message".
 */
int kg_service_conf_load(const struct kg_service_opts *opts, const char *default_db,
    struct kg_conf *c, struct kg_err *err);

/* Whether c's file holds a webhook secret or feed token and is readable by
 * others: 1 with a message in why (naming the file, its mode and the fix),
 * else 0. */
int kg_service_secrets_exposed(const struct kg_conf *c, char *why, size_t size);

struct kg_service;

/* Takes ownership of conf (heap, loaded by kg_service_conf_load; freed with
 * the service).  opts is copied shallowly: its strings must outlive s. */
int kg_service_new(const struct kg_service_opts *opts, const char *default_db,
    struct kg_conf *conf, struct kg_service **out, struct kg_err *err);

/* The configuration in force (borrowed; replaced by a successful reload). */
const struct kg_conf *kg_service_conf(const struct kg_service *s);

/*
 * Plugs the service into loop: creates the control socket ([control]
 * socket, else "<db>.sock"), catches SIGHUP, SIGTERM and SIGINT, and adds
 * the hook that sends READY after the first data load, STATUS after every
 * change and WATCHDOG pings.  Call it after the other modules' hooks, so
 * READY means "serving".  ops is copied.
 */
int kg_service_attach(struct kg_service *s, struct kg_loop *loop,
    const struct kg_service_ops *ops, struct kg_err *err);

/* Reloads the configuration (what SIGHUP and `kigen reload` do).  -1 with
 * err when the new file is rejected; the old configuration stays. */
int kg_service_reload(struct kg_service *s, struct kg_err *err);

/* Sends STOPPING, removes the control socket, frees the configuration.
 * Call it after the loop returned and the modules stopped.  NULL is fine. */
void kg_service_free(struct kg_service *s);

#endif
