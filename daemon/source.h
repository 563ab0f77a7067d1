/*
 * source — kigend's watched sources: the "sources" hook of the loop.
 *
 * A [source:NAME] names a published report (PDF or text) at an http(s) URL.
 * kigend looks at it every `every`: a conditional GET (If-None-Match /
 * If-Modified-Since with the validators of the last version it imported),
 * and when a new version came, the same import as `kigen import URL`
 * (document.h, report.h) as a new edition of its plan under the editions
 * rules of the store — its shrink guard too, unless allow_shrink = yes.
 * What changed is logged, and each changed or gone milestone becomes a
 * milestone.changed / milestone.gone webhook message for the endpoints
 * whose `events` include it, signed like the reminders and queued in the
 * same durable outbox, in the transaction of the import itself.
 *
 * The download, the PDF conversion and the parse run in a worker thread,
 * one per source at a time, so the loop never waits on the network or on
 * poppler; the worker hands its result back through kg_loop_wakeup and the
 * loop thread writes it in one short transaction.  A failure (download,
 * conversion, parse, import) is logged and retried with back-off: after
 * 30 s, then 4 times longer each time, never later than `every`.  Each
 * source's state is in `kigen status` and on /metrics.
 */
#ifndef KG_SOURCE_H
#define KG_SOURCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conf.h"
#include "err.h"
#include "loop.h"

/* The first retry of a failing source; each next one waits 4 times longer,
 * at most the source's `every`. */
#define KG_SOURCE_RETRY_FIRST_S 30

struct kg_sources;

/* Adds the "sources" hook to loop (whose store it writes) for the
 * [source:NAME] sections of conf (borrowed until kg_sources_set_conf
 * replaces it).  Every source is looked at once right away.  -1 with err. */
int kg_sources_new(struct kg_loop *loop, const struct kg_conf *conf,
    struct kg_sources **out, struct kg_err *err);

/* A reloaded configuration (borrowed from now on): sources kept with the
 * same url keep their state; new or changed ones are looked at right away;
 * removed ones are cancelled.  -1 only on ENOMEM, with nothing changed. */
int kg_sources_set_conf(struct kg_sources *s, const struct kg_conf *conf,
    struct kg_err *err);

/* Adds "sources": [{name, url, state, last_check, last_change, next_check,
 * failures, last_error, checks, imports}] to a `kigen status` answer. */
void kg_sources_status(struct kg_sources *s, json_t *obj);

/* "2 sources, 1 failing" (empty when there is none). */
void kg_sources_summary(struct kg_sources *s, char *buf, size_t size);

/* The kigend_source_* families for /metrics (kg_metrics_fn: runs in an
 * HTTP thread; reads a copy kept under the module's lock). */
void kg_sources_metrics(FILE *out, void *arg);

/* Cancels the checks in flight, waits for their threads and frees s.
 * NULL is fine. */
void kg_sources_free(struct kg_sources *s);

#endif
