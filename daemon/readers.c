/*
 * readers — see readers.h.  The pool is a stack under a mutex: a request
 * pops a connection (or opens one), reads, pushes it back.  A connection
 * whose read failed is closed rather than returned, so a broken one does
 * not stay in the pool.
 */
#include "readers.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	struct kg_store *st;
	struct kg_outbox *ob;
	struct reader *next;
};

struct kg_readers {
	char *path;
	pthread_mutex_t lock;
	struct reader *free;
};

int
kg_readers_new(const char *path, struct kg_readers **out, struct kg_err *err)
{
	struct kg_readers *rs = calloc(1, sizeof(*rs));

	*out = NULL;
	if (rs == NULL || (rs->path = strdup(path)) == NULL) {
		free(rs);
		return kg_err_set(err, "out of memory");
	}
	pthread_mutex_init(&rs->lock, NULL);
	*out = rs;
	return 0;
}

static void
reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	kg_outbox_close(r->ob);
	kg_store_close(r->st);
	free(r);
}

void
kg_readers_free(struct kg_readers *rs)
{
	struct reader *r;

	if (rs == NULL)
		return;
	while ((r = rs->free) != NULL) {
		rs->free = r->next;
		reader_close(r);
	}
	pthread_mutex_destroy(&rs->lock);
	free(rs->path);
	free(rs);
}

/* A connection from the pool, or a new one.  NULL with err on failure. */
static struct reader *
reader_take(struct kg_readers *rs, struct kg_err *err)
{
	struct reader *r;

	pthread_mutex_lock(&rs->lock);
	if ((r = rs->free) != NULL)
		rs->free = r->next;
	pthread_mutex_unlock(&rs->lock);
	if (r != NULL)
		return r;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		kg_err_set(err, "out of memory");
		return NULL;
	}
	if (kg_store_open(rs->path, KG_STORE_READONLY, &r->st, err) < 0 ||
	    kg_outbox_open(r->st, &r->ob, err) < 0) {
		reader_close(r);
		return NULL;
	}
	return r;
}

static void
reader_give(struct kg_readers *rs, struct reader *r)
{
	pthread_mutex_lock(&rs->lock);
	r->next = rs->free;
	rs->free = r;
	pthread_mutex_unlock(&rs->lock);
}

int
kg_readers_details(struct kg_readers *rs, int64_t milestone_id,
    struct kg_change_list *history, struct kg_delivery_list *deliveries, struct kg_err *err)
{
	struct reader *r = reader_take(rs, err);
	sqlite3 *db;
	int rc;

	if (r == NULL)
		return -1;
	db = kg_store_db(r->st);
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		kg_err_set(err, "cannot read the database: %s", sqlite3_errmsg(db));
		reader_close(r);
		return -1;
	}
	rc = kg_store_history(r->st, milestone_id, history, err) < 0 ||
	    kg_outbox_list_milestone(r->ob, milestone_id, KG_READERS_DELIVERIES_MAX, deliveries,
	    err) < 0 ? -1 : 0;
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0)
		reader_close(r);
	else
		reader_give(rs, r);
	return rc;
}
