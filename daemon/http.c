/*
 * http — see http.h.
 *
 * Keep-alive: libmicrohttpd answers "Connection: close" when a response is
 * queued during the very first access-handler call of a request (it cannot
 * know yet whether a body follows), so the handler only marks the request
 * on that call and answers on the second.
 *
 * Speed: the rendered feeds are wrapped once per publish in MHD_Response
 * objects (headers included) that every request re-queues; libmicrohttpd
 * refcounts responses, so a connection still sending an old view's body
 * keeps that body alive after the view is gone.
 */
#include "http.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "export.h"
#include "feed.h"
#include "log.h"

#define HTTP_MAX_DAEMONS 8
#define HTTP_MAX_METRICS 8
#define HTTP_MAX_URL 1024          /* longer paths: 414 */
#define HTTP_MAX_ARGS 32           /* query arguments per request */
#define HTTP_CONN_LIMIT 1024       /* per listen address */
#define HTTP_CONN_MEMORY (16 * 1024) /* request line + headers; beyond: 431 */
#define HTTP_CONN_TIMEOUT_S 15     /* idle or slow clients */
#define HTTP_UPCOMING_DAYS 30
#define HTTP_UPCOMING_MAX 3660
/* A feed's plain text is kept for identity requests up to this size; a
 * bigger one (about 1,200 milestones with alarms) is kept gzipped only, a
 * fourteenth of the size, and inflated for each client without gzip. */
#define HTTP_PLAIN_KEEP_MAX (1024 * 1024)

enum route {
	R_FEED, R_NAMED_FEED, R_API, R_HEALTHZ, R_METRICS, R_OTHER, R_COUNT
};
static const char *const route_names[R_COUNT] = {
	"feed", "named_feed", "api", "healthz", "metrics", "other",
};
static const unsigned counted_codes[] = {200, 304, 400, 404, 405, 414, 500, 503};
#define NCODES (sizeof(counted_codes) / sizeof(counted_codes[0]))

/* Bytes owned by the responses that send them, freed with the last
 * reference: a rendition's own response and the responses that inflate
 * the gzip rendition for clients without gzip. */
struct blob {
	atomic_int refs;
	size_t len;
	char bytes[];
};

/* One representation of a feed: the bytes (owned by the MHD responses) and
 * the responses every request re-queues.  full is NULL for the plain text
 * of a big feed: each request then inflates gz, the gzip rendition's bytes. */
struct rendition {
	struct MHD_Response *full, *not_modified;
	struct blob *gz;
	size_t size;
	char etag[48];
};

struct rendered {
	struct rendition plain, gzip;
	int64_t last_modified;
	int64_t refresh_s;
	bool private_feed;
};

struct feed_entry {
	char *name;                /* NULL: the default feed */
	char *calname;
	bool has_token;
	unsigned char token_digest[32];
	struct kg_filter filter;
	struct kg_feed_params params; /* strings point into the view */
	struct rendered views[2];  /* by enum kg_feed_view */
	/* Few clients want VTODOs: that view is rendered on its first request
	 * (under todo_lock), which halves the work of a publication. */
	pthread_mutex_t todo_lock;
	bool todo_ready;
};

/* Everything a request needs, immutable once published. */
struct view {
	atomic_int refs;
	struct kg_milestone_list milestones;
	struct kg_measure_list measures;
	int64_t data_version;
	int64_t published_at;
	char *timezone;
	int *lead_days;
	bool has_token;            /* [http] feed_token: protects the API too */
	unsigned char token_digest[32];
	struct feed_entry *feeds;  /* [0] is /feed.ics */
	size_t nfeeds;
	size_t by_status[KG_STATUS_COUNT];
	double render_seconds;
};

struct metrics_hook {
	kg_http_metrics_fn *fn;
	void *arg;
};

struct kg_http {
	struct MHD_Daemon *daemons[HTTP_MAX_DAEMONS];
	size_t ndaemons;
	unsigned port;
	const struct kg_conf *conf; /* loop thread only */

	pthread_mutex_t lock;       /* guards current */
	struct view *current;

	struct metrics_hook metrics[HTTP_MAX_METRICS];
	atomic_size_t nmetrics;

	atomic_uint_fast64_t requests[R_COUNT][NCODES];
	atomic_uint_fast64_t renders;
	atomic_uint_fast64_t request_renders;
	int64_t started_at;
};

/* ---- small helpers ---- */

static void
digest(const char *s, size_t len, unsigned char out[32])
{
	unsigned int n = 32;

	EVP_Digest(s, len, out, &n, EVP_sha256(), NULL);
}

/* Constant-time in the token's content and length. */
static bool
token_ok(bool required, const unsigned char want[32], const char *given)
{
	unsigned char got[32];

	if (!required)
		return true;
	if (given == NULL)
		return false;
	digest(given, strlen(given), got);
	return CRYPTO_memcmp(got, want, 32) == 0;
}

static void
http_date(int64_t t, char buf[40])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static int64_t
parse_http_date(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return (int64_t)timegm(&tm);
}

/* The ETag of bytes whose SHA-256 is md: a strong validator (same bytes,
 * same tag). */
static void
etag_hex(const unsigned char md[32], const char *suffix, char out[48])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	out[0] = '"';
	for (i = 0; i < 16; i++) {
		out[1 + 2 * i] = hex[md[i] >> 4];
		out[2 + 2 * i] = hex[md[i] & 15];
	}
	snprintf(out + 33, 15, "%s\"", suffix);
}

static void
etag_of(const char *body, size_t len, const char *suffix, char out[48])
{
	unsigned char md[32];

	digest(body, len, md);
	etag_hex(md, suffix, out);
}

/* Does Accept-Encoding allow gzip?  "gzip", "gzip;q=0.5" yes, "gzip;q=0" no. */
static bool
accepts_gzip(const char *ae)
{
	const char *p = ae;

	while (p != NULL && *p != '\0') {
		size_t n;
		const char *q, *end = strchr(p, ',');

		p += strspn(p, " \t");
		n = strcspn(p, ";, \t");
		if (n == 4 && strncasecmp(p, "gzip", 4) == 0) {
			q = strstr(p, "q=");
			if (q == NULL || (end != NULL && q > end))
				return true;
			return strtod(q + 2, NULL) > 0;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return false;
}

/* Does an If-None-Match list name etag?  Weak comparison (RFC 9110 13.1.2). */
static bool
etag_listed(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;

	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

/* ---- blobs and the render sink ---- */

/* Makes room for at least extra more bytes in *b (capacity *cap, NULL to
 * start), growing geometrically.  -1 on ENOMEM (*b is kept). */
static int
blob_reserve(struct blob **b, size_t *cap, size_t extra)
{
	size_t len = *b != NULL ? (*b)->len : 0, want = *cap ? *cap : 64 * 1024;
	struct blob *nb;

	if (*b != NULL && *cap - len >= extra)
		return 0;
	while (want - len < extra)
		want *= 2;
	if ((nb = realloc(*b, sizeof(*nb) + want)) == NULL)
		return -1;
	if (*b == NULL) {
		atomic_init(&nb->refs, 1);
		nb->len = 0;
	}
	*b = nb;
	*cap = want;
	return 0;
}

static struct blob *
blob_ref(struct blob *b)
{
	atomic_fetch_add(&b->refs, 1);
	return b;
}

static void
blob_unref(struct blob *b)
{
	if (b != NULL && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

/* libmicrohttpd's free callback gets the bytes, not the blob. */
static void
blob_unref_bytes(void *bytes)
{
	blob_unref((struct blob *)(void *)((char *)bytes - offsetof(struct blob, bytes)));
}

/*
 * Where a feed is rendered to, as libical writes it: the SHA-256 of the
 * text (its ETag), its gzip, and the text itself while it is at most
 * keep_max bytes.  A publication so never holds a big feed's text whole.
 */
struct sink {
	EVP_MD_CTX *md;
	z_stream zs;
	bool gzip;
	struct blob *gz, *plain;
	size_t gz_cap, plain_cap, keep_max;
	size_t total; /* bytes of text */
};

/* Deflates zs's pending input into s->gz with flush; -1 on failure. */
static int
sink_deflate(struct sink *s, int flush)
{
	int zr;

	do {
		if (blob_reserve(&s->gz, &s->gz_cap, 16 * 1024) < 0)
			return -1;
		s->zs.next_out = (Bytef *)s->gz->bytes + s->gz->len;
		s->zs.avail_out = (uInt)(s->gz_cap - s->gz->len);
		zr = deflate(&s->zs, flush);
		s->gz->len = s->gz_cap - s->zs.avail_out;
		if (zr == Z_STREAM_ERROR)
			return -1;
	} while (flush == Z_FINISH ? zr != Z_STREAM_END : s->zs.avail_in > 0);
	return 0;
}

static ssize_t
sink_write(void *cookie, const char *buf, size_t size)
{
	struct sink *s = cookie;

	if (EVP_DigestUpdate(s->md, buf, size) != 1)
		return -1;
	s->total += size;
	if (s->gzip) {
		s->zs.next_in = (Bytef *)buf;
		s->zs.avail_in = (uInt)size; /* stdio hands over a buffer at a time */
		if (sink_deflate(s, Z_NO_FLUSH) < 0)
			return -1;
	}
	if (s->keep_max > 0 && (s->plain != NULL ? s->plain->len : 0) + size > s->keep_max) {
		blob_unref(s->plain);
		s->plain = NULL;
		s->keep_max = 0;
	}
	if (s->keep_max > 0) {
		if (blob_reserve(&s->plain, &s->plain_cap, size) < 0)
			return -1;
		memcpy(s->plain->bytes + s->plain->len, buf, size);
		s->plain->len += size;
	}
	return (ssize_t)size;
}

static int
sink_open(struct sink *s, bool gzip, size_t keep_max)
{
	memset(s, 0, sizeof(*s));
	s->gzip = gzip;
	s->keep_max = keep_max;
	if ((s->md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(s->md, EVP_sha256(), NULL) != 1)
		return -1;
	if (gzip && deflateInit2(&s->zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		s->gzip = false;
		return -1;
	}
	return 0;
}

/* Ends the gzip stream and the digest.  -1 on failure. */
static int
sink_finish(struct sink *s, unsigned char md[32])
{
	unsigned int n = 32;
	struct blob *small;

	if (EVP_DigestFinal_ex(s->md, md, &n) != 1)
		return -1;
	if (!s->gzip)
		return 0;
	s->zs.avail_in = 0;
	if (sink_deflate(s, Z_FINISH) < 0)
		return -1;
	if ((small = realloc(s->gz, sizeof(*small) + s->gz->len)) != NULL) {
		s->gz = small;
		s->gz_cap = small->len;
	}
	return 0;
}

static void
sink_close(struct sink *s)
{
	EVP_MD_CTX_free(s->md);
	if (s->gzip)
		deflateEnd(&s->zs);
	blob_unref(s->gz);
	blob_unref(s->plain);
}

/* ---- renditions ---- */

static int
add_feed_headers(struct MHD_Response *r, const char *etag, int64_t last_modified,
    int64_t refresh_s, bool private_feed, bool gzipped)
{
	char cc[64], lm[40];

	snprintf(cc, sizeof(cc), "%s, max-age=%lld", private_feed ? "private" : "public",
	    (long long)refresh_s);
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag) != MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cc) != MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding") != MHD_YES)
		return -1;
	if (last_modified > 0) {
		http_date(last_modified, lm);
		if (MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, lm) != MHD_YES)
			return -1;
	}
	if (gzipped && MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING,
	    "gzip") != MHD_YES)
		return -1;
	return 0;
}

/* The headers of a 200 response with a feed's bytes. */
static int
add_full_headers(struct MHD_Response *full, const struct rendered *r, const char *etag,
    bool gzipped)
{
	if (MHD_add_response_header(full, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/calendar; charset=utf-8") != MHD_YES)
		return -1;
	return add_feed_headers(full, etag, r->last_modified, r->refresh_s, r->private_feed,
	    gzipped);
}

/* Makes rd, a rendition of r whose ETag is etag: a full response sending
 * body (a reference taken over: released by libmicrohttpd, or here on
 * failure), or with body NULL none (the plain text of a big feed, inflated
 * per request from gz, of which rd takes a reference); and a 304. */
static int
rendition_make(struct rendition *rd, const struct rendered *r, struct blob *body,
    struct blob *gz, size_t size, const char *etag, bool gzipped)
{
	snprintf(rd->etag, sizeof(rd->etag), "%s", etag);
	rd->size = size;
	if (body != NULL) {
		rd->full = MHD_create_response_from_buffer_with_free_callback(body->len,
		    body->bytes, blob_unref_bytes);
		if (rd->full == NULL) {
			blob_unref(body);
			return -1;
		}
		if (add_full_headers(rd->full, r, rd->etag, gzipped) < 0)
			return -1;
	} else
		rd->gz = blob_ref(gz);
	rd->not_modified = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (rd->not_modified == NULL)
		return -1;
	return add_feed_headers(rd->not_modified, rd->etag, r->last_modified, r->refresh_s,
	    r->private_feed, false);
}

static void
rendition_release(struct rendition *rd)
{
	if (rd->full != NULL)
		MHD_destroy_response(rd->full);
	if (rd->not_modified != NULL)
		MHD_destroy_response(rd->not_modified);
	blob_unref(rd->gz);
	memset(rd, 0, sizeof(*rd));
}

static void
rendered_release(struct rendered *r)
{
	rendition_release(&r->plain);
	rendition_release(&r->gzip);
}

/*
 * Renders v[0..n) with p into r (plain, and gzip when asked).
 * Last-Modified is the newest updated_at of the milestones in the feed —
 * except when the bytes changed without any of them changing (one was
 * purged, the configuration changed): then it moves to now, or
 * If-Modified-Since clients would keep the old feed.  prev (may be NULL)
 * is the same feed of the previous view.  Last-Modified is at least
 * lm_floor: the other views of a feed take the events view's, so they
 * move on together.
 */
static int
rendered_make(struct rendered *r, const struct kg_milestone *v, size_t n,
    const struct kg_feed_params *p, const struct rendered *prev, int64_t lm_floor,
    bool private_feed, bool want_gzip, struct kg_err *err)
{
	static const cookie_io_functions_t sink_io = { .write = sink_write };
	unsigned char md[32];
	char etag[48], gzetag[48];
	struct sink s;
	struct blob *plain;
	size_t i;
	int64_t now = (int64_t)time(NULL);
	FILE *f = NULL;
	int rc = -1;

	r->last_modified = 0;
	r->refresh_s = p->refresh_s;
	r->private_feed = private_feed;
	for (i = 0; i < n; i++)
		if (kg_feed_includes(p, &v[i]) && v[i].updated_at > r->last_modified)
			r->last_modified = v[i].updated_at;
	if (sink_open(&s, want_gzip, want_gzip ? HTTP_PLAIN_KEEP_MAX : SIZE_MAX) < 0 ||
	    (f = fopencookie(&s, "w", sink_io)) == NULL) {
		kg_err_set(err, "out of memory");
		goto out;
	}
	rc = kg_feed_write(v, n, p, f, err);
	if (fclose(f) != 0 && rc == 0)
		rc = kg_err_set(err, "cannot render the feed (out of memory)");
	if (rc == 0 && sink_finish(&s, md) < 0)
		rc = kg_err_set(err, "cannot render the feed (out of memory)");
	if (rc < 0)
		goto out;
	rc = -1;
	etag_hex(md, "", etag);
	if (prev != NULL && prev->plain.etag[0] != '\0' && strcmp(prev->plain.etag, etag) != 0 &&
	    r->last_modified <= prev->last_modified)
		r->last_modified = now > prev->last_modified ? now : prev->last_modified + 1;
	if (r->last_modified < lm_floor)
		r->last_modified = lm_floor;
	plain = s.plain;
	s.plain = NULL;
	if (rendition_make(&r->plain, r, plain, s.gz, s.total, etag, false) < 0) {
		kg_err_set(err, "out of memory");
		goto out;
	}
	if (want_gzip) {
		etag_of(s.gz->bytes, s.gz->len, "-gz", gzetag);
		if (rendition_make(&r->gzip, r, blob_ref(s.gz), NULL, s.gz->len, gzetag, true) < 0) {
			kg_err_set(err, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	sink_close(&s);
	return rc;
}

/* ---- views ---- */

static void
view_unref(struct view *v)
{
	size_t i;
	int k;

	if (v == NULL || atomic_fetch_sub(&v->refs, 1) != 1)
		return;
	for (i = 0; i < v->nfeeds; i++) {
		for (k = 0; k < 2; k++)
			rendered_release(&v->feeds[i].views[k]);
		pthread_mutex_destroy(&v->feeds[i].todo_lock);
		free(v->feeds[i].name);
		free(v->feeds[i].calname);
		kg_filter_clear(&v->feeds[i].filter);
	}
	free(v->feeds);
	free(v->timezone);
	free(v->lead_days);
	kg_milestone_list_clear(&v->milestones);
	kg_measure_list_clear(&v->measures);
	free(v);
}

static struct view *
view_get(struct kg_http *http)
{
	struct view *v;

	pthread_mutex_lock(&http->lock);
	v = http->current;
	if (v != NULL)
		atomic_fetch_add(&v->refs, 1);
	pthread_mutex_unlock(&http->lock);
	return v;
}

static int
strv_copy(struct kg_strv *dst, const struct kg_strv *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (kg_strv_push(dst, src->v[i], (size_t)-1) < 0)
			return -1;
	return 0;
}

static int
filter_copy(struct kg_filter *dst, const struct kg_filter *src)
{
	return strv_copy(&dst->owners, &src->owners) | strv_copy(&dst->kinds, &src->kinds) |
	    strv_copy(&dst->statuses, &src->statuses) | strv_copy(&dst->measures, &src->measures);
}

/* The index of the feed called name (NULL: /feed.ics) in v, or -1. */
static ssize_t
feed_index(const struct view *v, const char *name)
{
	size_t i;

	if (name == NULL)
		return v->nfeeds > 0 ? 0 : -1;
	for (i = 1; i < v->nfeeds; i++)
		if (strcmp(v->feeds[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

/* Adds the feed of fc (NULL: /feed.ics) and renders it.  Its parameters
 * point into the view, not into the configuration, which a reload frees. */
static int
view_add_feed(struct view *v, const struct kg_conf *c, const struct kg_feed_conf *fc,
    const struct view *prev, struct kg_err *err)
{
	ssize_t pi = prev != NULL ? feed_index(prev, fc ? fc->name : NULL) : -1;
	const struct feed_entry *pe = pi >= 0 ? &prev->feeds[pi] : NULL;
	struct feed_entry *e = &v->feeds[v->nfeeds++];
	const char *token = fc != NULL && fc->token != NULL ? fc->token : c->feed_token;

	pthread_mutex_init(&e->todo_lock, NULL);
	if ((e->calname = kg_feed_calname(c, fc)) == NULL)
		return kg_err_set(err, "out of memory");
	if (fc != NULL) {
		if ((e->name = strdup(fc->name)) == NULL || filter_copy(&e->filter, &fc->filter) < 0)
			return kg_err_set(err, "out of memory");
	}
	e->has_token = token != NULL && token[0] != '\0';
	if (e->has_token)
		digest(token, strlen(token), e->token_digest);
	kg_feed_params_from_conf(&e->params, c, fc);
	e->params.name = e->calname;
	e->params.timezone = v->timezone;
	e->params.lead_days = v->lead_days;
	e->params.filter = &e->filter;
	e->params.view = KG_FEED_EVENTS;
	if (rendered_make(&e->views[KG_FEED_EVENTS], v->milestones.v, v->milestones.n,
	    &e->params, pe != NULL ? &pe->views[KG_FEED_EVENTS] : NULL, 0, e->has_token, true,
	    err) < 0)
		return kg_err_prefix(err, "feed '%s'", e->name ? e->name : "default");
	return 0;
}

int
kg_http_publish(struct kg_http *http, struct kg_milestone_list *milestones,
    struct kg_measure_list *measures, int64_t data_version, struct kg_err *err)
{
	const struct kg_conf *c = http->conf;
	struct view *v, *old;
	struct timespec t0, t1;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return kg_err_set(err, "out of memory");
	atomic_init(&v->refs, 1);
	v->milestones = *milestones;
	v->measures = *measures;
	memset(milestones, 0, sizeof(*milestones));
	memset(measures, 0, sizeof(*measures));
	v->data_version = data_version;
	v->published_at = (int64_t)time(NULL);
	v->timezone = strdup(c->timezone ? c->timezone : "Asia/Tokyo");
	v->lead_days = calloc(c->nlead + 1, sizeof(int));
	v->feeds = calloc(c->nfeeds + 1, sizeof(*v->feeds));
	if (v->timezone == NULL || v->lead_days == NULL || v->feeds == NULL) {
		kg_err_set(err, "out of memory");
		goto fail;
	}
	if (c->nlead)
		memcpy(v->lead_days, c->lead_days, c->nlead * sizeof(int));
	v->has_token = c->feed_token != NULL && c->feed_token[0] != '\0';
	if (v->has_token)
		digest(c->feed_token, strlen(c->feed_token), v->token_digest);
	for (i = 0; i < v->milestones.n; i++)
		if ((unsigned)v->milestones.v[i].status < KG_STATUS_COUNT)
			v->by_status[v->milestones.v[i].status]++;

	/* http->current is only replaced here, in the loop thread: no lock. */
	if (view_add_feed(v, c, NULL, http->current, err) < 0)
		goto fail;
	for (i = 0; i < c->nfeeds; i++)
		if (view_add_feed(v, c, &c->feeds[i], http->current, err) < 0)
			goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	v->render_seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	atomic_fetch_add(&http->renders, 1);

	pthread_mutex_lock(&http->lock);
	old = http->current;
	http->current = v;
	pthread_mutex_unlock(&http->lock);
	view_unref(old);
	/* The old view's many small strings leave holes glibc keeps: give
	 * them back, or the resident size ratchets up publication by
	 * publication (bench/README.md, "memory"). */
	malloc_trim(0);
	log_info("published %zu milestones, %zu feeds (data version %lld, %.3f s)",
	    v->milestones.n, v->nfeeds, (long long)data_version, v->render_seconds);
	return 0;
fail:
	view_unref(v);
	return -1;
}

/* ---- requests ---- */

struct request {
	struct MHD_Connection *conn;
	struct kg_http *http;
	struct view *view;
	const char *method;
	enum route route;
	bool head;
};

static enum MHD_Result
reply(struct request *rq, unsigned code, struct MHD_Response *r)
{
	enum MHD_Result ret = MHD_queue_response(rq->conn, code, r);
	size_t i;

	for (i = 0; i < NCODES; i++)
		if (counted_codes[i] == code)
			atomic_fetch_add(&rq->http->requests[rq->route][i], 1);
	return ret;
}

/* A response built for this request only (body copied). */
static enum MHD_Result
reply_text(struct request *rq, unsigned code, const char *type, const char *body,
    size_t len, const char *extra_name, const char *extra_value)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (extra_name != NULL)
		MHD_add_response_header(r, extra_name, extra_value);
	ret = reply(rq, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_error(struct request *rq, unsigned code, const char *msg)
{
	char body[512];
	int n = snprintf(body, sizeof(body), "%s\n", msg);

	return reply_text(rq, code, "text/plain; charset=utf-8", body,
	    (size_t)n < sizeof(body) ? (size_t)n : sizeof(body) - 1, NULL, NULL);
}

static enum MHD_Result
reply_json(struct request *rq, json_t *j)
{
	char *s;
	enum MHD_Result ret;

	if (j == NULL)
		return reply_error(rq, 500, "out of memory");
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		return reply_error(rq, 500, "out of memory");
	ret = reply_text(rq, 200, "application/json; charset=utf-8", s, strlen(s), NULL, NULL);
	free(s);
	return ret;
}

/* Query arguments, validated. */
struct args {
	struct kg_filter filter;
	bool has_filter;
	enum kg_feed_view view;
	const char *token;
	long days;
	bool has_days;
	int count;
	char bad[160];
};

static enum MHD_Result
args_each(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct args *a = cls;
	struct kg_strv *sv = NULL;
	char *end;

	(void)kind;
	if (a->bad[0] != '\0')
		return MHD_NO;
	if (++a->count > HTTP_MAX_ARGS) {
		snprintf(a->bad, sizeof(a->bad), "too many query parameters (at most %d)",
		    HTTP_MAX_ARGS);
		return MHD_NO;
	}
	if (value == NULL)
		value = "";
	if (strcmp(key, "token") == 0) {
		a->token = value;
		return MHD_YES;
	}
	if (strcmp(key, "view") == 0) {
		if (strcmp(value, "todo") == 0)
			a->view = KG_FEED_TODOS;
		else if (strcmp(value, "event") == 0)
			a->view = KG_FEED_EVENTS;
		else
			snprintf(a->bad, sizeof(a->bad), "invalid view '%.60s' (event or todo)", value);
		return MHD_YES;
	}
	if (strcmp(key, "days") == 0) {
		a->days = strtol(value, &end, 10);
		a->has_days = true;
		if (end == value || *end != '\0' || a->days < 0 || a->days > HTTP_UPCOMING_MAX)
			snprintf(a->bad, sizeof(a->bad), "invalid days '%.60s' (0..%d)", value,
			    HTTP_UPCOMING_MAX);
		return MHD_YES;
	}
	if (strcmp(key, "owner") == 0)
		sv = &a->filter.owners;
	else if (strcmp(key, "kind") == 0) {
		sv = &a->filter.kinds;
		if (kg_kind_parse(value) < 0)
			snprintf(a->bad, sizeof(a->bad), "invalid kind '%.60s'", value);
	} else if (strcmp(key, "status") == 0) {
		sv = &a->filter.statuses;
		if (kg_status_parse(value) < 0)
			snprintf(a->bad, sizeof(a->bad), "invalid status '%.60s'", value);
	} else if (strcmp(key, "measure") == 0) {
		sv = &a->filter.measures;
		if (strtoll(value, &end, 10) <= 0 || *end != '\0')
			snprintf(a->bad, sizeof(a->bad), "invalid measure '%.60s'", value);
	} else {
		snprintf(a->bad, sizeof(a->bad), "unknown parameter '%.60s'", key);
		return MHD_NO;
	}
	if (a->bad[0] == '\0' && kg_strv_push(sv, value, (size_t)-1) < 0)
		snprintf(a->bad, sizeof(a->bad), "out of memory");
	a->has_filter = true;
	return MHD_YES;
}

/* Milestones of the view passing f, as a shallow list: the structs are
 * copied, their strings still belong to the view.  Free with free(list->v). */
static int
select_shallow(const struct view *v, const struct kg_filter *f, struct kg_milestone_list *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (v->milestones.n == 0)
		return 0;
	if ((out->v = malloc(v->milestones.n * sizeof(*out->v))) == NULL)
		return -1;
	out->cap = v->milestones.n;
	for (i = 0; i < v->milestones.n; i++)
		if (kg_filter_match(f, &v->milestones.v[i]))
			out->v[out->n++] = v->milestones.v[i];
	return 0;
}

/* 304 when the client's validators match (If-None-Match wins over
 * If-Modified-Since, RFC 9110 13.2.2). */
static bool
not_modified(struct MHD_Connection *c, const char *etag, int64_t last_modified)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	const char *ims;
	int64_t since;

	if (inm != NULL)
		return etag_listed(inm, etag);
	ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (ims == NULL || last_modified <= 0)
		return false;
	since = parse_http_date(ims);
	return since >= 0 && last_modified <= since;
}

/* A response inflating a big feed's gzip for a client without gzip. */
struct inflater {
	z_stream zs;
	struct blob *gz;
};

static ssize_t
inflater_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct inflater *in = cls;
	size_t n;
	int zr;

	(void)pos; /* one response per request: libmicrohttpd reads it in order */
	in->zs.next_out = (Bytef *)buf;
	in->zs.avail_out = (uInt)(max < 0x40000000 ? max : 0x40000000);
	zr = inflate(&in->zs, Z_NO_FLUSH);
	n = (size_t)((char *)in->zs.next_out - buf);
	if (n > 0 && (zr == Z_OK || zr == Z_STREAM_END))
		return (ssize_t)n;
	return zr == Z_STREAM_END ? MHD_CONTENT_READER_END_OF_STREAM :
	    MHD_CONTENT_READER_END_WITH_ERROR;
}

static void
inflater_free(void *cls)
{
	struct inflater *in = cls;

	inflateEnd(&in->zs);
	blob_unref(in->gz);
	free(in);
}

static enum MHD_Result
reply_inflated(struct request *rq, const struct rendered *r, const struct rendition *rd)
{
	struct inflater *in = calloc(1, sizeof(*in));
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (in == NULL || inflateInit2(&in->zs, 15 + 16) != Z_OK) {
		free(in);
		return reply_error(rq, 500, "out of memory");
	}
	in->zs.next_in = (Bytef *)rd->gz->bytes;
	in->zs.avail_in = (uInt)rd->gz->len;
	in->gz = blob_ref(rd->gz);
	resp = MHD_create_response_from_callback(rd->size, 64 * 1024, inflater_read, in,
	    inflater_free);
	if (resp == NULL) {
		inflater_free(in);
		return reply_error(rq, 500, "out of memory");
	}
	if (add_full_headers(resp, r, rd->etag, false) < 0) {
		MHD_destroy_response(resp);
		return reply_error(rq, 500, "out of memory");
	}
	ret = reply(rq, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
serve_rendered(struct request *rq, const struct rendered *r)
{
	const char *ae = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	const struct rendition *rd = ae != NULL && accepts_gzip(ae) && r->gzip.full != NULL ?
	    &r->gzip : &r->plain;

	if (not_modified(rq->conn, rd->etag, r->last_modified))
		return reply(rq, 304, rd->not_modified);
	if (rd->full == NULL)
		return reply_inflated(rq, r, rd);
	return reply(rq, 200, rd->full);
}

/* Renders the todo view of e on its first use.  -1 on failure (logged). */
static int
todo_view(struct request *rq, struct feed_entry *e)
{
	struct kg_feed_params p = e->params;
	struct kg_err err;
	int rc = 0;

	pthread_mutex_lock(&e->todo_lock);
	if (!e->todo_ready) {
		p.view = KG_FEED_TODOS;
		if (rendered_make(&e->views[KG_FEED_TODOS], rq->view->milestones.v,
		    rq->view->milestones.n, &p, NULL, e->views[KG_FEED_EVENTS].last_modified,
		    e->has_token, true, &err) < 0) {
			rendered_release(&e->views[KG_FEED_TODOS]);
			log_err("feed: %s", err.msg);
			rc = -1;
		} else
			e->todo_ready = true;
	}
	pthread_mutex_unlock(&e->todo_lock);
	return rc;
}

static enum MHD_Result
serve_feed(struct request *rq, struct feed_entry *e, struct args *a)
{
	struct kg_feed_params p;
	struct rendered r;
	struct kg_err err;
	enum MHD_Result ret;
	const char *ae;

	if (!a->has_filter && a->view == KG_FEED_TODOS && todo_view(rq, e) < 0)
		return reply_error(rq, 500, "cannot render the feed");
	if (!a->has_filter)
		return serve_rendered(rq, &e->views[a->view]);

	/* Filtered on request: rendered for this request only. */
	p = e->params;
	p.view = a->view;
	p.extra_filter = &a->filter;
	memset(&r, 0, sizeof(r));
	ae = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	atomic_fetch_add(&rq->http->request_renders, 1);
	if (rendered_make(&r, rq->view->milestones.v, rq->view->milestones.n, &p, NULL,
	    e->views[KG_FEED_EVENTS].last_modified, e->has_token,
	    ae != NULL && accepts_gzip(ae), &err) < 0) {
		log_err("feed: %s", err.msg);
		ret = reply_error(rq, 500, "cannot render the feed");
	} else
		ret = serve_rendered(rq, &r);
	rendered_release(&r);
	return ret;
}

static enum MHD_Result
serve_api(struct request *rq, const char *what, struct args *a)
{
	const struct view *v = rq->view;
	struct kg_milestone_list sel;
	kg_day today = kg_today(v->timezone);
	json_t *j;
	size_t i;

	if (strcmp(what, "measures") == 0) {
		if (a->has_filter || a->has_days)
			return reply_error(rq, 400, "/api/v1/measures takes no parameters");
		if ((j = json_array()) == NULL)
			return reply_error(rq, 500, "out of memory");
		for (i = 0; i < v->measures.n; i++)
			json_array_append_new(j, kg_measure_json(&v->measures.v[i]));
		return reply_json(rq, json_pack("{s:o}", "measures", j));
	}
	if (strcmp(what, "milestones") != 0 && strcmp(what, "upcoming") != 0)
		return reply_error(rq, 404, "not found");
	if (a->has_days && strcmp(what, "upcoming") != 0)
		return reply_error(rq, 400, "unknown parameter 'days'");
	if (select_shallow(v, &a->filter, &sel) < 0)
		return reply_error(rq, 500, "out of memory");
	if (strcmp(what, "upcoming") == 0) {
		kg_day last = today + (a->has_days ? a->days : HTTP_UPCOMING_DAYS);
		size_t k = 0;

		for (i = 0; i < sel.n; i++) {
			const struct kg_milestone *m = &sel.v[i];

			/* As `kigen upcoming`: open ones, unless a status was asked for. */
			if ((a->filter.statuses.n > 0 || m->status == KG_STATUS_PLANNED ||
			    m->status == KG_STATUS_ONGOING) && m->window_end != KG_DAY_NONE && m->window_end >= today &&
			    m->window_end <= last)
				sel.v[k++] = *m;
		}
		sel.n = k;
	}
	j = kg_listing_json(today, &sel);
	free(sel.v);
	return reply_json(rq, j);
}

static enum MHD_Result
serve_healthz(struct request *rq)
{
	const struct view *v = rq->view;

	return reply_json(rq, json_pack("{s:s, s:I, s:I, s:I}", "status", "ok",
	    "data_version", (json_int_t)v->data_version,
	    "milestones", (json_int_t)v->milestones.n,
	    "published_at", (json_int_t)v->published_at));
}

static void
metric_header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static enum MHD_Result
serve_metrics(struct request *rq)
{
	struct kg_http *http = rq->http;
	const struct view *v = rq->view;
	char *buf = NULL;
	size_t len = 0, i, k, n;
	enum MHD_Result ret;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return reply_error(rq, 500, "out of memory");
	metric_header(f, "kigend_http_requests_total", "counter",
	    "HTTP requests answered, by route and status code.");
	for (i = 0; i < R_COUNT; i++)
		for (k = 0; k < NCODES; k++) {
			uint64_t c = atomic_load(&http->requests[i][k]);

			if (c != 0)
				fprintf(f, "kigend_http_requests_total{route=\"%s\",code=\"%u\"} %llu\n",
				    route_names[i], counted_codes[k], (unsigned long long)c);
		}
	metric_header(f, "kigend_feed_renders_total", "counter",
	    "Publications of new data: every configured feed rendered once.");
	fprintf(f, "kigend_feed_renders_total %llu\n",
	    (unsigned long long)atomic_load(&http->renders));
	metric_header(f, "kigend_feed_request_renders_total", "counter",
	    "Feeds rendered for a single request (query filters).");
	fprintf(f, "kigend_feed_request_renders_total %llu\n",
	    (unsigned long long)atomic_load(&http->request_renders));
	metric_header(f, "kigend_feed_render_seconds", "gauge",
	    "Time the last publication took to render every feed.");
	fprintf(f, "kigend_feed_render_seconds %.6f\n", v->render_seconds);
	metric_header(f, "kigend_feed_bytes", "gauge", "Size of each published feed.");
	for (i = 0; i < v->nfeeds; i++)
		fprintf(f, "kigend_feed_bytes{feed=\"%s\",encoding=\"identity\"} %zu\n"
		    "kigend_feed_bytes{feed=\"%s\",encoding=\"gzip\"} %zu\n",
		    v->feeds[i].name ? v->feeds[i].name : "default",
		    v->feeds[i].views[KG_FEED_EVENTS].plain.size,
		    v->feeds[i].name ? v->feeds[i].name : "default",
		    v->feeds[i].views[KG_FEED_EVENTS].gzip.size);
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
	fprintf(f, "kigend_start_time_seconds %lld\n", (long long)http->started_at);
	metric_header(f, "kigend_build_info", "gauge", "kigend's version.");
	fprintf(f, "kigend_build_info{version=\"%s\"} 1\n", KIGEN_VERSION);
	n = atomic_load(&http->nmetrics);
	for (i = 0; i < n; i++)
		http->metrics[i].fn(f, http->metrics[i].arg);
	if (fclose(f) != 0) {
		free(buf);
		return reply_error(rq, 500, "out of memory");
	}
	ret = reply_text(rq, 200, "text/plain; version=0.0.4; charset=utf-8", buf, len,
	    NULL, NULL);
	free(buf);
	return ret;
}

/* The path with a /t/TOKEN/ prefix redacted, for logs. */
static void
redact(const char *url, char *out, size_t size)
{
	const char *rest;

	if (strncmp(url, "/t/", 3) == 0 && (rest = strchr(url + 3, '/')) != NULL)
		snprintf(out, size, "/t/***%s", rest);
	else if (strncmp(url, "/t/", 3) == 0)
		snprintf(out, size, "/t/***");
	else
		snprintf(out, size, "%s", url);
}

static enum MHD_Result
route(struct request *rq, const char *url)
{
	char path_token[256], feed_name[128];
	const char *token = NULL, *name, *end;
	struct feed_entry *e;
	struct args a;
	enum MHD_Result ret;
	size_t n;

	if (strcmp(url, "/healthz") == 0 || strcmp(url, "/metrics") == 0) {
		rq->route = url[1] == 'h' ? R_HEALTHZ : R_METRICS;
		return rq->route == R_HEALTHZ ? serve_healthz(rq) : serve_metrics(rq);
	}
	if (strncmp(url, "/t/", 3) == 0) {
		end = strchr(url + 3, '/');
		n = end != NULL ? (size_t)(end - url - 3) : 0;
		if (end == NULL || n == 0 || n >= sizeof(path_token))
			return reply_error(rq, 404, "not found");
		memcpy(path_token, url + 3, n);
		path_token[n] = '\0';
		token = path_token;
		url = end;
	}

	memset(&a, 0, sizeof(a));
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, args_each, &a);
	if (token == NULL)
		token = a.token;

	if (strcmp(url, "/feed.ics") == 0) {
		rq->route = R_FEED;
		e = &rq->view->feeds[0];
	} else if (strncmp(url, "/feeds/", 7) == 0) {
		rq->route = R_NAMED_FEED;
		name = url + 7;
		n = strlen(name);
		e = NULL;
		if (n > 4 && n < sizeof(feed_name) + 4 && strcmp(name + n - 4, ".ics") == 0) {
			memcpy(feed_name, name, n - 4);
			feed_name[n - 4] = '\0';
			ssize_t i = feed_index(rq->view, feed_name);

			e = i > 0 ? &rq->view->feeds[i] : NULL;
		}
	} else if (strncmp(url, "/api/v1/", 8) == 0) {
		rq->route = R_API;
		e = NULL;
		if (!token_ok(rq->view->has_token, rq->view->token_digest, token))
			ret = reply_error(rq, 404, "not found");
		else if (a.bad[0] != '\0')
			ret = reply_error(rq, 400, a.bad);
		else if (a.view != KG_FEED_EVENTS)
			ret = reply_error(rq, 400, "unknown parameter 'view'");
		else
			ret = serve_api(rq, url + 8, &a);
		goto out;
	} else {
		rq->route = R_OTHER;
		ret = reply_error(rq, 404, "not found");
		goto out;
	}
	/* Unknown feed and wrong token look the same. */
	if (e == NULL || !token_ok(e->has_token, e->token_digest, token))
		ret = reply_error(rq, 404, "not found");
	else if (a.bad[0] != '\0')
		ret = reply_error(rq, 400, a.bad);
	else if (a.has_days)
		ret = reply_error(rq, 400, "unknown parameter 'days'");
	else
		ret = serve_feed(rq, e, &a);
out:
	kg_filter_clear(&a.filter);
	return ret;
}

static bool
has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);

	return (cl != NULL && strcmp(cl, "0") != 0) ||
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	static int marker;
	struct request rq;
	enum MHD_Result ret;
	char logged[128];
	bool first = *req_cls == NULL;

	(void)version;
	(void)upload_data;
	(void)upload_size;
	memset(&rq, 0, sizeof(rq));
	rq.conn = conn;
	rq.http = cls;
	rq.method = method;
	rq.route = R_OTHER;
	rq.head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	*req_cls = &marker;

	/* libmicrohttpd lets a request with a body be answered only now or
	 * after the whole body: answer now, and the connection closes instead
	 * of reading a body nobody wants.  Others wait for the second call,
	 * which keeps the connection alive. */
	if (!rq.head && strcmp(method, MHD_HTTP_METHOD_GET) != 0)
		ret = reply_text(&rq, 405, "text/plain; charset=utf-8", "method not allowed\n", 19,
		    MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	else if (first && has_body(conn))
		ret = reply_error(&rq, 400, "a GET request has no body");
	else if (first)
		return MHD_YES;
	else if (strlen(url) > HTTP_MAX_URL)
		ret = reply_error(&rq, 414, "uri too long");
	else if (url[0] != '/')
		ret = reply_error(&rq, 400, "bad request target");
	else if ((rq.view = view_get(rq.http)) == NULL)
		ret = reply_error(&rq, 503, "starting: no data loaded yet");
	else
		ret = route(&rq, url);
	view_unref(rq.view);
	if (kg_log_enabled(KG_LOG_DEBUG)) {
		redact(url, logged, sizeof(logged));
		log_debug("%s %s (%s)", method, logged, route_names[rq.route]);
	}
	return ret;
}

/* libmicrohttpd's own messages; they may quote a request line, so they go
 * out at debug level only, where tokens in paths are an accepted risk. */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	if (!kg_log_enabled(KG_LOG_DEBUG))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_debug("libmicrohttpd: %s", line);
}

/* ---- start / stop ---- */

/* "127.0.0.1:5545", "[::1]:5545", "localhost:5545" -> host and port. */
static int
split_listen(const char *s, char *host, size_t hostsize, char *port, size_t portsize)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	if (colon == NULL)
		return -1;
	n = (size_t)(colon - s);
	if (s[0] == '[') {
		if (n < 2 || s[n - 1] != ']')
			return -1;
		s++;
		n -= 2;
	}
	if (n == 0 || n >= hostsize || strlen(colon + 1) >= portsize)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	snprintf(port, portsize, "%s", colon + 1);
	return 0;
}

static int
http_listen(struct kg_http *http, const char *addr, struct kg_err *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], port[16];
	int rc;

	if (split_listen(addr, host, sizeof(host), port, sizeof(port)) < 0)
		return kg_err_set(err, "invalid listen address '%s'", addr);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		return kg_err_set(err, "cannot listen on '%s': %s", addr, gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		/* ITC: lets kg_http_quiesce stop a thread pool from accepting. */
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		    MHD_USE_ERROR_LOG | MHD_USE_ITC;
		struct MHD_Daemon *d;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (http->ndaemons == HTTP_MAX_DAEMONS) {
			freeaddrinfo(res);
			return kg_err_set(err, "too many listen addresses (at most %d)",
			    HTTP_MAX_DAEMONS);
		}
		if (ai->ai_family == AF_INET6)
			flags |= MHD_USE_IPv6;
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, http,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)KG_HTTP_THREADS,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONN_LIMIT,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONN_TIMEOUT_S,
		    MHD_OPTION_END);
		if (d == NULL) {
			freeaddrinfo(res);
			return kg_err_set(err, "cannot listen on '%s' (address in use or not "
			    "available)", addr);
		}
		if (http->ndaemons == 0)
			http->port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
		http->daemons[http->ndaemons++] = d;
		log_info("listening on %s", addr);
		break; /* the first usable address of the name */
	}
	freeaddrinfo(res);
	return 0;
}

int
kg_http_start(const struct kg_conf *conf, struct kg_http **out, struct kg_err *err)
{
	struct kg_http *http;
	size_t i;

	*out = NULL;
	if ((http = calloc(1, sizeof(*http))) == NULL)
		return kg_err_set(err, "out of memory");
	pthread_mutex_init(&http->lock, NULL);
	http->conf = conf;
	http->started_at = (int64_t)time(NULL);
	for (i = 0; i < conf->listen.n; i++) {
		if (http_listen(http, conf->listen.v[i], err) < 0) {
			kg_http_free(http);
			return -1;
		}
	}
	if (http->ndaemons == 0) {
		kg_http_free(http);
		return kg_err_set(err, "no address to listen on");
	}
	*out = http;
	return 0;
}

void
kg_http_free(struct kg_http *http)
{
	size_t i;

	if (http == NULL)
		return;
	for (i = 0; i < http->ndaemons; i++)
		MHD_stop_daemon(http->daemons[i]);
	view_unref(http->current);
	pthread_mutex_destroy(&http->lock);
	free(http);
}

void
kg_http_quiesce(struct kg_http *http)
{
	MHD_socket fd;
	size_t i;

	for (i = 0; i < http->ndaemons; i++) {
		fd = MHD_quiesce_daemon(http->daemons[i]);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
}

unsigned
kg_http_port(const struct kg_http *http)
{
	return http->port;
}

void
kg_http_set_conf(struct kg_http *http, const struct kg_conf *conf)
{
	http->conf = conf;
}

int
kg_http_add_metrics(struct kg_http *http, kg_http_metrics_fn *fn, void *arg,
    struct kg_err *err)
{
	size_t n = atomic_load(&http->nmetrics);

	if (n == HTTP_MAX_METRICS)
		return kg_err_set(err, "too many metrics hooks");
	http->metrics[n].fn = fn;
	http->metrics[n].arg = arg;
	atomic_store(&http->nmetrics, n + 1);
	return 0;
}
