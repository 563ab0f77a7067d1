/*
 * source — see source.h.  Each source has at most one check in flight: a
 * struct check shared with its worker thread, which fills the outcome and
 * then sets `done` (release) and wakes the loop; the loop thread reads it
 * only after seeing `done` (acquire) and joining the thread.  Everything
 * else of a source belongs to the loop thread, except the copy of the
 * counters that /metrics reads under `mu`.
 */
#include "source.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "document.h"
#include "fetch.h"
#include "log.h"
#include "outbox.h"
#include "pdftext.h"
#include "store.h"
#include "utf8.h"
#include "webhook.h"

/* Change messages not delivered within this are abandoned. */
#define EVENT_TTL_S (7 * 86400)
/* The loop never waits for another connection's write lock (main.c): an
 * import that finds it taken is written again this much later, the parse
 * kept, at most WRITE_TRIES times before it counts as a failure. */
#define WRITE_RETRY_MS 1000
#define WRITE_TRIES 30

enum outcome { CK_NOT_MODIFIED, CK_NEW, CK_FAILED };

struct check {
	pthread_t thread;
	struct kg_loop *loop;
	char *url, *etag, *last_modified; /* inputs, copies */
	int64_t timeout_ms;
	atomic_bool cancel;
	atomic_bool done;
	bool joined;                      /* the loop thread has joined it */
	int write_tries;                  /* imports that found the database locked */
	int64_t write_at_ms;              /* monotonic: when to try the write again */
	/* outputs, the worker's until done */
	enum outcome outcome;
	struct kg_import imp;             /* CK_NEW; its doc has url and validators */
	char error[KG_ERR_MAX];           /* CK_FAILED */
};

struct source {
	char *name, *url;
	int64_t every_s, timeout_ms;
	bool allow_shrink;
	char *etag, *last_modified;       /* validators of the version last seen */
	int64_t next_at;                  /* wall clock, unix seconds */
	struct check *check;              /* in flight, or NULL */
	int failures;                     /* in a row */
	int64_t last_check, last_change;  /* 0: never */
	uint64_t checks, imports, errors;
	char *last_error;
};

/* What /metrics reads, copied after every change. */
struct metric {
	char name[64];
	int64_t v[5]; /* in the order of families[] */
};

static const struct {
	const char *name, *type, *help;
} families[] = {
	{"kigend_source_checks_total", "counter", "Looks at a watched source (downloads tried)."},
	{"kigend_source_imports_total", "counter", "New editions imported from a watched source."},
	{"kigend_source_errors_total", "counter", "Failed looks at a watched source."},
	{"kigend_source_failures", "gauge", "Failures in a row (0: the last look worked)."},
	{"kigend_source_last_change_seconds", "gauge",
	    "When a watched source last brought a new edition (unix time; 0 never)."},
};

struct kg_sources {
	struct kg_loop *loop;
	const struct kg_conf *conf;
	struct kg_outbox *ob;
	struct source *v;
	size_t n;
	char *feed_url;
	pthread_mutex_t mu;
	struct metric *m;
	size_t nm;
};

/* Poppler is used by one conversion at a time. */
static pthread_mutex_t pdf_mu = PTHREAD_MUTEX_INITIALIZER;

static int
convert_pdf(void *arg, const char *pdf, size_t len, char **text, size_t *tlen,
    struct kg_err *err)
{
	int rc;

	(void)arg;
	pthread_mutex_lock(&pdf_mu);
	rc = kg_pdf_text(pdf, len, text, tlen, err);
	pthread_mutex_unlock(&pdf_mu);
	return rc;
}

static bool
cancelled(void *arg)
{
	return atomic_load(&((struct check *)arg)->cancel);
}

static int
dup_or_null(char **slot, const char *s)
{
	*slot = NULL;
	return s != NULL && (*slot = strdup(s)) == NULL ? -1 : 0;
}

/* The worker: download, convert, parse.  Writes only into c. */
static void *
work(void *arg)
{
	struct check *c = arg;
	struct kg_fetch_opts o = {.url = c->url, .timeout_ms = c->timeout_ms, .etag = c->etag,
		.last_modified = c->last_modified, .cancelled = cancelled, .cancel_arg = c};
	struct kg_report_opts ro = {.as_of = KG_DAY_NONE};
	struct kg_fetch_result r;
	struct kg_err err;
	char *name = NULL;

	c->outcome = CK_FAILED;
	if (kg_fetch_perform(&o, &r, &err) < 0) {
		kg_snprintf(c->error, sizeof(c->error), "%s", r.error);
		goto out;
	}
	if (r.outcome == KG_FETCH_NOT_MODIFIED) {
		c->outcome = CK_NOT_MODIFIED;
		goto out;
	}
	if ((ro.name = name = kg_document_url_name(c->url)) == NULL) {
		kg_snprintf(c->error, sizeof(c->error), "out of memory");
		goto out;
	}
	if (kg_document_parse(r.body, r.len, &ro, convert_pdf, NULL, &c->imp, &err) < 0) {
		kg_snprintf(c->error, sizeof(c->error), "%s: %s", c->url, err.msg);
		goto out;
	}
	if (dup_or_null(&c->imp.doc.url, c->url) < 0 ||
	    dup_or_null(&c->imp.doc.etag, r.etag) < 0 ||
	    dup_or_null(&c->imp.doc.last_modified, r.last_modified) < 0) {
		kg_snprintf(c->error, sizeof(c->error), "out of memory");
		goto out;
	}
	c->outcome = CK_NEW;
out:
	free(name);
	kg_fetch_result_clear(&r);
	atomic_store_explicit(&c->done, true, memory_order_release);
	kg_loop_wakeup(c->loop);
	return NULL;
}

static void
check_free(struct check *c)
{
	if (c == NULL)
		return;
	free(c->url);
	free(c->etag);
	free(c->last_modified);
	kg_import_clear(&c->imp);
	free(c);
}

/* Stops src's check in flight, if any, and waits for its thread. */
static void
check_cancel(struct source *src)
{
	if (src->check == NULL)
		return;
	atomic_store(&src->check->cancel, true);
	if (!src->check->joined)
		pthread_join(src->check->thread, NULL);
	check_free(src->check);
	src->check = NULL;
}

static void
publish_metrics(struct kg_sources *S)
{
	struct metric *m = calloc(S->n ? S->n : 1, sizeof(*m));
	size_t i;

	if (m == NULL)
		return; /* /metrics keeps the previous copy */
	for (i = 0; i < S->n; i++) {
		const struct source *src = &S->v[i];

		kg_snprintf(m[i].name, sizeof(m[i].name), "%s", src->name);
		m[i].v[0] = (int64_t)src->checks;
		m[i].v[1] = (int64_t)src->imports;
		m[i].v[2] = (int64_t)src->errors;
		m[i].v[3] = src->failures;
		m[i].v[4] = src->last_change;
	}
	pthread_mutex_lock(&S->mu);
	free(S->m);
	S->m = m;
	S->nm = S->n;
	pthread_mutex_unlock(&S->mu);
}

static void
start(struct kg_sources *S, struct source *src, int64_t now)
{
	struct check *c = calloc(1, sizeof(*c));
	int e;

	src->last_check = now;
	if (c == NULL || (c->url = strdup(src->url)) == NULL ||
	    dup_or_null(&c->etag, src->etag) < 0 ||
	    dup_or_null(&c->last_modified, src->last_modified) < 0) {
		check_free(c);
		log_err("source %s: out of memory", src->name);
		src->next_at = now + KG_SOURCE_RETRY_FIRST_S;
		return;
	}
	c->loop = S->loop;
	c->timeout_ms = src->timeout_ms;
	if ((e = pthread_create(&c->thread, NULL, work, c)) != 0) {
		log_err("source %s: cannot start a thread: %s", src->name, strerror(e));
		check_free(c);
		src->next_at = now + KG_SOURCE_RETRY_FIRST_S;
		return;
	}
	log_debug("source %s: looking at %s%s", src->name, src->url,
	    src->etag || src->last_modified ? " (conditional)" : "");
	src->check = c;
}

static void
failed(struct source *src, int64_t now, const char *why)
{
	int64_t delay = KG_SOURCE_RETRY_FIRST_S;
	int i;

	src->errors++;
	src->failures++;
	for (i = 1; i < src->failures && delay < src->every_s; i++)
		delay *= 4;
	if (delay > src->every_s)
		delay = src->every_s;
	src->next_at = now + delay;
	free(src->last_error);
	src->last_error = strdup(why);
	log_warn("source %s: %s (failure %d in a row; next try in %llds)", src->name, why,
	    src->failures, (long long)delay);
}

static void
succeeded(struct source *src, int64_t now)
{
	if (src->failures > 0)
		log_notice("source %s: works again after %d failure%s", src->name, src->failures,
		    src->failures == 1 ? "" : "s");
	src->failures = 0;
	free(src->last_error);
	src->last_error = NULL;
	src->next_at = now + src->every_s;
}

/* Queues the change message of item it for every endpoint that wants it.
 * In the caller's transaction. */
static int
queue_event(struct kg_sources *S, const struct source *src, const struct kg_import_item *it,
    const struct kg_document *doc, int64_t now, struct kg_err *err)
{
	bool gone = it->what == KG_CH_GONE;
	const struct kg_milestone *prev = &it->before;
	struct kg_change_event ev;
	struct kg_milestone m = {0};
	struct kg_delivery d = {0};
	char ref[24], id[KG_WEBHOOK_ID_MAX];
	size_t i;
	int rc = 0;

	kg_snprintf(ref, sizeof(ref), "%lld", (long long)prev->id);
	if (kg_store_milestone_get(kg_loop_store(S->loop), ref, &m, err) < 0)
		return -1;
	ev = (struct kg_change_event){gone ? KG_EVENT_GONE : KG_EVENT_CHANGED, &m, prev,
		src->name, doc, now, S->feed_url};
	d.milestone_id = m.id;
	d.lead_days = gone ? KG_OUTBOX_LEAD_GONE : KG_OUTBOX_LEAD_CHANGED;
	d.deadline = (kg_day)doc->id;
	d.type = (char *)ev.type;
	d.fire_at = now;
	d.expires_at = now + EVENT_TTL_S;
	for (i = 0; i < S->conf->nwebhooks && rc == 0; i++) {
		const struct kg_webhook_conf *ep = &S->conf->webhooks[i];

		if (!kg_webhook_conf_wants(ep, ev.type) || !kg_filter_match(&ep->filter, &m))
			continue;
		d.endpoint = ep->name;
		if ((d.body = kg_webhook_change_body(ep->format, &ev, err)) == NULL ||
		    kg_webhook_new_id(id, err) < 0) {
			rc = -1;
		} else {
			d.webhook_id = id;
			rc = kg_outbox_add(S->ob, &d, now, err) < 0 ? -1 : 0;
		}
		free(d.body);
	}
	kg_milestone_clear(&m);
	return rc;
}

/* Logs one changed or gone milestone. */
static void
log_item(const struct source *src, const struct kg_import_item *it)
{
	const struct kg_milestone *b = &it->before, *a = &it->after;
	char from[KG_DATE_LEN], to[KG_DATE_LEN], changes[128];

	if (it->what == KG_CH_GONE) {
		log_info("source %s: milestone %lld (%s) is gone", src->name, (long long)b->id,
		    b->title ? b->title : "?");
		return;
	}
	kg_webhook_changes(b, a, changes, sizeof(changes));
	log_info("source %s: milestone %lld (%s) changed: %s; due %s -> %s, %s -> %s",
	    src->name, (long long)a->id, a->title ? a->title : "?", changes,
	    b->window_end == KG_DAY_NONE ? "open" : kg_date_format(b->window_end, from),
	    a->window_end == KG_DAY_NONE ? "open" : kg_date_format(a->window_end, to),
	    kg_status_name(b->status), kg_status_name(a->status));
}

/* Imports the new version of src as an edition, with its change messages,
 * in one transaction. */
static int
import(struct kg_sources *S, struct source *src, struct check *c, int64_t now,
    struct kg_err *err)
{
	struct kg_store *st = kg_loop_store(S->loop);
	struct kg_import_result res = {0};
	struct kg_import_opts io = {.allow_shrink = src->allow_shrink};
	size_t i, n[KG_CH_COUNT] = {0};
	char as_of[KG_DATE_LEN];
	int rc = -1;

	if (kg_store_begin(st, err) < 0)
		return -1;
	if (kg_store_import(st, &c->imp, &io, &res, err) < 0)
		goto out;
	c->imp.doc.id = res.document_id;
	for (i = 0; i < res.n; i++) {
		n[res.items[i].what]++;
		if ((res.items[i].what == KG_CH_CHANGED || res.items[i].what == KG_CH_GONE) &&
		    queue_event(S, src, &res.items[i], &c->imp.doc, now, err) < 0)
			goto out;
	}
	if (kg_store_commit(st, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		kg_store_rollback(st);
	else if (res.already_imported)
		log_info("source %s: %s (as of %s) was already imported", src->name,
		    c->imp.doc.name, kg_date_format(c->imp.doc.as_of, as_of));
	else {
		src->imports++;
		src->last_change = now;
		log_notice("source %s: imported %s (as of %s): %zu new, %zu changed, %zu gone, "
		    "%zu conflicts", src->name, c->imp.doc.name,
		    kg_date_format(c->imp.doc.as_of, as_of), n[KG_CH_NEW], n[KG_CH_CHANGED],
		    n[KG_CH_GONE], n[KG_CH_CONFLICT]);
		for (i = 0; i < res.n; i++)
			if (res.items[i].what == KG_CH_CHANGED || res.items[i].what == KG_CH_GONE)
				log_item(src, &res.items[i]);
		/* our own commit: data_version does not see it */
		kg_loop_recheck(S->loop);
	}
	kg_import_result_clear(&res);
	return rc;
}

/* Takes the finished check of src (again, when its write found the
 * database locked). */
static void
finish(struct kg_sources *S, struct source *src, int64_t now)
{
	struct check *c = src->check;
	struct kg_err err;
	int rc;

	if (!c->joined) {
		pthread_join(c->thread, NULL);
		c->joined = true;
		src->checks++;
	}
	src->check = NULL;
	switch (c->outcome) {
	case CK_NOT_MODIFIED:
		log_debug("source %s: not modified", src->name);
		succeeded(src, now);
		break;
	case CK_FAILED:
		failed(src, now, c->error);
		break;
	case CK_NEW:
		rc = import(S, src, c, now, &err);
		if (rc < 0 && strstr(err.msg, "database is locked") != NULL &&
		    ++c->write_tries < WRITE_TRIES) {
			log_debug("source %s: %s; writing again in %d ms", src->name, err.msg,
			    WRITE_RETRY_MS);
			c->write_at_ms = kg_mono_ms() + WRITE_RETRY_MS;
			src->check = c;
			return;
		}
		if (rc < 0) {
			failed(src, now, err.msg);
			break;
		}
		free(src->etag);
		free(src->last_modified);
		src->etag = c->imp.doc.etag;
		src->last_modified = c->imp.doc.last_modified;
		c->imp.doc.etag = c->imp.doc.last_modified = NULL;
		succeeded(src, now);
		break;
	}
	check_free(c);
	publish_metrics(S);
}

static int64_t
tick(struct kg_loop *loop, void *arg, int64_t now)
{
	struct kg_sources *S = arg;
	int64_t wait = -1, w;
	size_t i;

	(void)loop;
	for (i = 0; i < S->n; i++) {
		struct source *src = &S->v[i];

		if (src->check != NULL &&
		    atomic_load_explicit(&src->check->done, memory_order_acquire) &&
		    src->check->write_at_ms <= kg_mono_ms())
			finish(S, src, now);
		if (src->check == NULL && now >= src->next_at)
			start(S, src, now);
		if (src->check != NULL && src->check->joined) { /* a write to try again */
			w = src->check->write_at_ms - kg_mono_ms();
			wait = wait < 0 || w < wait ? (w < 0 ? 0 : w) : wait;
			continue;
		}
		if (src->check != NULL)
			continue; /* its worker wakes the loop */
		w = (src->next_at - now) * 1000;
		wait = wait < 0 || w < wait ? w : wait;
	}
	return wait;
}

static void
source_clear(struct source *src)
{
	check_cancel(src);
	free(src->name);
	free(src->url);
	free(src->etag);
	free(src->last_modified);
	free(src->last_error);
	memset(src, 0, sizeof(*src));
}

/* A new source starts from the validators of the last version imported
 * from its url (so a restart costs a 304, not a download); none when there
 * is no such version or the store cannot say. */
static void
load_validators(struct kg_sources *S, struct source *src)
{
	struct kg_document_list docs = {0};
	const struct kg_document *last = NULL;
	struct kg_err err;
	size_t i;

	if (kg_store_documents(kg_loop_store(S->loop), &docs, &err) < 0) {
		log_warn("source %s: %s", src->name, err.msg);
		return;
	}
	for (i = 0; i < docs.n; i++)
		if (docs.v[i].url != NULL && strcmp(docs.v[i].url, src->url) == 0 &&
		    (last == NULL || docs.v[i].id > last->id))
			last = &docs.v[i];
	if (last != NULL && (dup_or_null(&src->etag, last->etag) < 0 ||
	    dup_or_null(&src->last_modified, last->last_modified) < 0))
		log_warn("source %s: out of memory", src->name);
	kg_document_list_clear(&docs);
}

/* Builds the sources of conf, taking over the state (validators, counters,
 * a check in flight) of S's source of the same name and url; the others
 * are cancelled.  What can fail is allocated before anything moves, so a
 * failure (ENOMEM, -1) leaves S as it was. */
static int
use_conf(struct kg_sources *S, const struct kg_conf *conf, struct kg_err *err)
{
	size_t n = conf->nsources, i, j;
	struct source *v = calloc(n ? n : 1, sizeof(*v));
	long *match = calloc(n ? n : 1, sizeof(*match));
	int64_t now = (int64_t)time(NULL);
	char *feed_url = NULL;

	if (v == NULL || match == NULL || asprintf(&feed_url, "%s/feed.ics",
	    conf->base_url ? conf->base_url : "") < 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		const struct kg_source_conf *sc = &conf->sources[i];

		match[i] = -1;
		for (j = 0; j < S->n; j++)
			if (strcmp(S->v[j].name, sc->name) == 0 && strcmp(S->v[j].url, sc->url) == 0)
				match[i] = (long)j;
		if ((v[i].name = strdup(sc->name)) == NULL ||
		    (match[i] < 0 && (v[i].url = strdup(sc->url)) == NULL))
			goto nomem;
	}
	for (i = 0; i < n; i++) {
		char *name = v[i].name, *url = v[i].url;

		if (match[i] >= 0) {
			struct source *old = &S->v[match[i]];

			free(old->name);
			v[i] = *old;
			v[i].name = name;
			memset(old, 0, sizeof(*old));
		} else {
			v[i].url = url;
			v[i].next_at = now;
			load_validators(S, &v[i]);
		}
		v[i].every_s = conf->sources[i].every_s;
		v[i].timeout_ms = conf->sources[i].timeout_ms;
		v[i].allow_shrink = conf->sources[i].allow_shrink;
		if (v[i].next_at > now + v[i].every_s)
			v[i].next_at = now + v[i].every_s;
	}
	for (j = 0; j < S->n; j++)
		if (S->v[j].name != NULL)
			source_clear(&S->v[j]);
	free(S->v);
	free(match);
	S->v = v;
	S->n = n;
	S->conf = conf;
	free(S->feed_url);
	S->feed_url = feed_url;
	publish_metrics(S);
	return 0;
nomem:
	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].name);
		free(v[i].url);
	}
	free(v);
	free(match);
	free(feed_url);
	return kg_err_set(err, "out of memory");
}

int
kg_sources_new(struct kg_loop *loop, const struct kg_conf *conf, struct kg_sources **out,
    struct kg_err *err)
{
	struct kg_loop_hook hook = {.name = "sources", .tick = tick};
	struct kg_sources *S;

	*out = NULL;
	if ((S = calloc(1, sizeof(*S))) == NULL)
		return kg_err_set(err, "out of memory");
	S->loop = loop;
	pthread_mutex_init(&S->mu, NULL);
	/* before any worker thread: libcurl's global state is not thread-safe */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	hook.arg = S;
	if (kg_outbox_open(kg_loop_store(loop), &S->ob, err) < 0 ||
	    use_conf(S, conf, err) < 0 || kg_loop_add_hook(loop, &hook, err) < 0) {
		kg_sources_free(S);
		return -1;
	}
	*out = S;
	return 0;
}

int
kg_sources_set_conf(struct kg_sources *S, const struct kg_conf *conf, struct kg_err *err)
{
	if (use_conf(S, conf, err) < 0)
		return -1;
	kg_loop_wakeup(S->loop);
	return 0;
}

static json_t *
time_or_null(int64_t t)
{
	char buf[KG_TIME_LEN];

	return t > 0 ? json_string(kg_time_format(t, buf)) : json_null();
}

void
kg_sources_status(struct kg_sources *S, json_t *obj)
{
	json_t *list = json_array(), *o;
	size_t i;

	for (i = 0; list != NULL && i < S->n; i++) {
		const struct source *src = &S->v[i];

		o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:i, s:s?, s:I, s:I}",
		    "name", src->name, "url", src->url,
		    "state", src->check ? "checking" : src->failures ? "failing" : "ok",
		    "last_check", time_or_null(src->last_check),
		    "last_change", time_or_null(src->last_change),
		    "next_check", src->check ? json_null() : time_or_null(src->next_at),
		    "failures", src->failures, "last_error", src->last_error,
		    "checks", (json_int_t)src->checks, "imports", (json_int_t)src->imports);
		json_array_append_new(list, o);
	}
	if (list != NULL)
		json_object_set_new(obj, "sources", list);
}

void
kg_sources_summary(struct kg_sources *S, char *buf, size_t size)
{
	size_t i, failing = 0;

	for (i = 0; i < S->n; i++)
		failing += S->v[i].failures > 0;
	if (S->n == 0)
		buf[0] = '\0';
	else
		kg_snprintf(buf, size, "%zu source%s, %zu failing", S->n, S->n == 1 ? "" : "s",
		    failing);
}

void
kg_sources_metrics(FILE *out, void *arg)
{
	struct kg_sources *S = arg;
	size_t f, i;

	pthread_mutex_lock(&S->mu);
	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", families[f].name, families[f].help,
		    families[f].name, families[f].type);
		for (i = 0; i < S->nm; i++)
			fprintf(out, "%s{source=\"%s\"} %lld\n", families[f].name, S->m[i].name,
			    (long long)S->m[i].v[f]);
	}
	pthread_mutex_unlock(&S->mu);
}

void
kg_sources_free(struct kg_sources *S)
{
	size_t i;

	if (S == NULL)
		return;
	for (i = 0; i < S->n; i++)
		source_clear(&S->v[i]);
	free(S->v);
	kg_outbox_close(S->ob);
	free(S->feed_url);
	free(S->m);
	pthread_mutex_destroy(&S->mu);
	free(S);
}
