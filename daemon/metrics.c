/*
 * metrics — see metrics.h.
 */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conns.h"
#include "feedparts.h"
#include "loop.h"
#include "pool.h"
#include "server.h"

static const unsigned counted_codes[KG_METRICS_CODES] = {
	200, 304, 400, 404, 405, 414, 421, 429, 500, 503,
};

int
kg_metrics_init(struct kg_metrics *m, const char *const *labels, size_t nlabels)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	if (nlabels > KG_METRICS_LABELS)
		return -1;
	for (i = 0; i < nlabels; i++)
		m->labels[i] = labels[i];
	m->nlabels = nlabels;
	m->started_at = (int64_t)time(NULL);
	return 0;
}

void
kg_metrics_set_conns(struct kg_metrics *m, struct kg_conns *conns)
{
	m->conns = conns;
}

void
kg_metrics_count(struct kg_metrics *m, size_t label, unsigned code)
{
	size_t i;

	for (i = 0; i < KG_METRICS_CODES; i++)
		if (counted_codes[i] == code && label < m->nlabels)
			atomic_fetch_add(&m->requests[label][i], 1);
}

void
kg_metrics_publication(struct kg_metrics *m)
{
	atomic_fetch_add(&m->renders, 1);
}

void
kg_metrics_request_render(struct kg_metrics *m)
{
	atomic_fetch_add(&m->request_renders, 1);
}

enum MHD_Result
kg_metrics_healthz(struct kg_request *rq)
{
	const struct kg_view *v = rq->view;
	int64_t silent = kg_server_loop_silence_ms(rq->server, kg_loop_mono_ms());
	bool stalled = silent > v->stall_limit_ms;

	/* A stuck loop publishes nothing and sends no reminder: unhealthy. */
	return kg_reply_json(rq, stalled ? 503 : 200, json_pack("{s:s, s:I, s:I, s:I, s:I}",
	    "status", stalled ? "stalled" : "ok",
	    "data_version", (json_int_t)v->data_version,
	    "milestones", (json_int_t)v->milestones.n,
	    "published_at", (json_int_t)v->published_at,
	    "loop_silent_ms", (json_int_t)silent));
}

static void
metric_header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int
kg_metrics_add(struct kg_metrics *m, kg_metrics_fn *fn, void *arg, struct kg_err *err)
{
	size_t n = atomic_load(&m->nmodules);

	if (n == KG_METRICS_MODULES)
		return kg_err_set(err, "too many modules on /metrics (at most %d)",
		    KG_METRICS_MODULES);
	m->modules[n].fn = fn;
	m->modules[n].arg = arg;
	atomic_store(&m->nmodules, n + 1);
	return 0;
}

static void
conns_metrics(FILE *f, struct kg_conns *cs)
{
	struct kg_conns_stats st;

	if (cs == NULL)
		return;
	kg_conns_stats(cs, &st);
	metric_header(f, "kigend_http_connections", "gauge", "HTTP connections open.");
	fprintf(f, "kigend_http_connections %zu\n", st.open);
	metric_header(f, "kigend_http_connections_closed_total", "counter",
	    "Connections the server closed: head not complete by [http] head_timeout, "
	    "closed to make room for a new one, new ones refused.");
	fprintf(f, "kigend_http_connections_closed_total{reason=\"head_timeout\"} %llu\n"
	    "kigend_http_connections_closed_total{reason=\"evicted\"} %llu\n"
	    "kigend_http_connections_closed_total{reason=\"refused\"} %llu\n",
	    (unsigned long long)st.overdue, (unsigned long long)st.evicted,
	    (unsigned long long)st.refused);
}

static void
renders_metrics(FILE *f, struct kg_server *s)
{
	struct kg_pool *pool;
	size_t max, waiting, running;

	kg_server_renders(s, &pool, &max);
	kg_pool_load(pool, &waiting, &running);
	metric_header(f, "kigend_renders", "gauge",
	    "Renditions made on request now: running on a render thread, or waiting.");
	fprintf(f, "kigend_renders{state=\"running\"} %zu\nkigend_renders{state=\"waiting\"} %zu\n",
	    running, waiting);
	metric_header(f, "kigend_rendition_bytes", "gauge",
	    "Bytes held by rendered feeds, listings and pages (bounded by [http] render_memory "
	    "for those made on request).");
	fprintf(f, "kigend_rendition_bytes %zu\n", kg_rendition_bytes());
}

/* The label of feed i of v: its name, or "private-N" behind a token. */
static const char *
feed_label(const struct kg_view *v, size_t i, char *buf, size_t size)
{
	size_t k, nth = 0;

	if (v->feeds[i].name == NULL)
		return "default";
	if (!v->feeds[i].has_token)
		return v->feeds[i].name;
	for (k = 1; k <= i; k++)
		nth += v->feeds[k].has_token;
	snprintf(buf, size, "private-%zu", nth);
	return buf;
}

enum MHD_Result
kg_metrics_serve(struct kg_request *rq)
{
	struct kg_metrics *m = rq->metrics;
	const struct kg_view *v = rq->view;
	char *buf = NULL, label[32];
	size_t len = 0, i, k;
	enum MHD_Result ret;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return kg_reply_error(rq, 500, "out of memory");
	metric_header(f, "kigend_http_requests_total", "counter",
	    "HTTP requests answered, by route and status code.");
	for (i = 0; i < m->nlabels; i++)
		for (k = 0; k < KG_METRICS_CODES; k++) {
			uint64_t c = atomic_load(&m->requests[i][k]);

			if (c != 0)
				fprintf(f, "kigend_http_requests_total{route=\"%s\",code=\"%u\"} %llu\n",
				    m->labels[i], counted_codes[k], (unsigned long long)c);
		}
	conns_metrics(f, m->conns);
	metric_header(f, "kigend_feed_renders_total", "counter",
	    "Publications of new data: every configured feed rendered once.");
	fprintf(f, "kigend_feed_renders_total %llu\n",
	    (unsigned long long)atomic_load(&m->renders));
	renders_metrics(f, rq->server);
	metric_header(f, "kigend_feed_request_renders_total", "counter",
	    "Renditions made on request (feeds with filters or their todo view, API "
	    "listings, pages), each once per data version and parameters.");
	fprintf(f, "kigend_feed_request_renders_total %llu\n",
	    (unsigned long long)atomic_load(&m->request_renders));
	metric_header(f, "kigend_feed_render_seconds", "gauge",
	    "Time the last publication took to render every feed and the timeline.");
	fprintf(f, "kigend_feed_render_seconds %.6f\n", v->render_seconds);
	metric_header(f, "kigend_feed_render_feeds_seconds", "gauge",
	    "Of the last publication, the time rendering the feeds took (the rest: pages).");
	fprintf(f, "kigend_feed_render_feeds_seconds %.6f\n", v->feeds_seconds);
	metric_header(f, "kigend_publication_seconds", "gauge",
	    "Time the last publication took from its start to the view published: reading "
	    "the database (only the milestones changed, when that is provably all) and "
	    "rendering.");
	fprintf(f, "kigend_publication_seconds %.6f\n", v->publication_seconds);
	metric_header(f, "kigend_publication_milestones_read", "gauge",
	    "Milestones the last publication read from the database: all of them, or "
	    "those written since the publication before.");
	fprintf(f, "kigend_publication_milestones_read %zu\n", v->milestones_read);
	metric_header(f, "kigend_feed_parts", "gauge",
	    "Parts of each published feed the last publication rendered anew or reused.");
	for (i = 0; i < v->nfeeds; i++) {
		const char *name = feed_label(v, i, label, sizeof(label));
		size_t made, reused;

		kg_feedparts_counts(v->feeds[i].parts, &made, &reused);
		fprintf(f, "kigend_feed_parts{feed=\"%s\",state=\"made\"} %zu\n"
		    "kigend_feed_parts{feed=\"%s\",state=\"reused\"} %zu\n", name, made, name, reused);
	}
	metric_header(f, "kigend_feed_bytes", "gauge", "Size of each published feed.");
	for (i = 0; i < v->nfeeds; i++) {
		const char *name = feed_label(v, i, label, sizeof(label));

		fprintf(f, "kigend_feed_bytes{feed=\"%s\",encoding=\"identity\"} %zu\n"
		    "kigend_feed_bytes{feed=\"%s\",encoding=\"gzip\"} %zu\n",
		    name, v->feeds[i].events.plain.size,
		    name, v->feeds[i].events.gzip.size);
	}
	metric_header(f, "kigend_milestones", "gauge", "Milestones in the database, by status.");
	for (i = 0; i < KG_STATUS_COUNT; i++)
		fprintf(f, "kigend_milestones{status=\"%s\"} %zu\n", kg_status_name(i),
		    v->by_status[i]);
	metric_header(f, "kigend_measures", "gauge", "Measures in the database.");
	fprintf(f, "kigend_measures %zu\n", v->measures.n);
	metric_header(f, "kigend_data_version", "gauge",
	    "SQLite data_version of the published data.");
	fprintf(f, "kigend_data_version %lld\n", (long long)v->data_version);
	metric_header(f, "kigend_data_published_timestamp_seconds", "gauge",
	    "When the current data was published.");
	fprintf(f, "kigend_data_published_timestamp_seconds %lld\n", (long long)v->published_at);
	metric_header(f, "kigend_start_time_seconds", "gauge", "When kigend started.");
	fprintf(f, "kigend_start_time_seconds %lld\n", (long long)m->started_at);
	metric_header(f, "kigend_build_info", "gauge", "kigend's version.");
	fprintf(f, "kigend_build_info{version=\"%s\"} 1\n", KIGEN_VERSION);
	for (i = 0, k = atomic_load(&m->nmodules); i < k; i++)
		m->modules[i].fn(f, m->modules[i].arg);
	if (fclose(f) != 0) {
		free(buf);
		return kg_reply_error(rq, 500, "out of memory");
	}
	ret = kg_reply_text(rq, 200, "text/plain; version=0.0.4; charset=utf-8", buf, len,
	    NULL, NULL);
	free(buf);
	return ret;
}
