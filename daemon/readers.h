/*
 * readers — read-only database connections for the HTTP threads, for what
 * the view does not hold: one milestone's history and webhook deliveries
 * (the detail API and the milestone page).  Everything else a request
 * reads comes from the view (view.h).
 *
 * A small pool: a request takes a connection, reads in one read
 * transaction (a consistent picture even while kigend or the CLI write;
 * WAL readers neither wait for writers nor block them), and gives it back.
 * Connections are opened on demand, so the pool never grows beyond the
 * number of requests read at once (the HTTP threads), and are kept until
 * kg_readers_free.  Thread-safe.
 */
#ifndef KG_READERS_H
#define KG_READERS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "outbox.h"
#include "store.h"

/* Deliveries a detail shows at most (the newest). */
#define KG_READERS_DELIVERIES_MAX 200

struct kg_readers;

/* A pool for the database at path (copied); opens nothing yet.  -1 on ENOMEM. */
int kg_readers_new(const char *path, struct kg_readers **out, struct kg_err *err);

/* Closes every connection; call it when no request runs any more.  NULL ok. */
void kg_readers_free(struct kg_readers *rs);

/*
 * Appends milestone id's history (oldest first) and its newest
 * KG_READERS_DELIVERIES_MAX deliveries (newest first) to the caller's lists,
 * read in one transaction.  -1 with err when the database cannot be read.
 */
int kg_readers_details(struct kg_readers *rs, int64_t milestone_id,
    struct kg_change_list *history, struct kg_delivery_list *deliveries, struct kg_err *err);

#endif
