/*
 * rendition — see rendition.h.
 */
#include "rendition.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "hash.h"
#include "server.h"

/* A feed's plain text is kept for identity requests up to this size; a
 * bigger one (about 1,200 milestones with alarms) is kept gzipped only, a
 * fourteenth of the size, and inflated for each client without gzip. */
#define PLAIN_KEEP_MAX (1024 * 1024)

/* Bytes owned by the responses that send them, freed with the last
 * reference: a rendition's own response and the responses that inflate
 * the gzip rendition for clients without gzip. */
struct kg_blob {
	atomic_int refs;
	size_t len;
	size_t sealed;             /* bytes counted in live_bytes */
	char bytes[];
};

/* What every rendition's bytes take (kg_rendition_bytes). */
static atomic_size_t live_bytes;

size_t
kg_rendition_bytes(void)
{
	return atomic_load(&live_bytes);
}

static void
http_date(int64_t t, char buf[40])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* The ETag of bytes whose SHA-256 is md: a strong validator (same bytes,
 * same tag). */
static void
etag_hex(const unsigned char md[32], const char *suffix, char out[48])
{
	out[0] = '"';
	kg_hex(md, 16, out + 1);
	snprintf(out + 33, 15, "%s\"", suffix);
}

static void
etag_of(const char *body, size_t len, const char *suffix, char out[48])
{
	unsigned char md[KG_SHA256_LEN];

	kg_sha256(body, len, md);
	etag_hex(md, suffix, out);
}

/* ---- blobs and the render sink ---- */

/* Makes room for at least extra more bytes in *b (capacity *cap, NULL to
 * start), growing geometrically.  -1 on ENOMEM (*b is kept). */
static int
blob_reserve(struct kg_blob **b, size_t *cap, size_t extra)
{
	size_t len = *b != NULL ? (*b)->len : 0, want = *cap ? *cap : 64 * 1024;
	struct kg_blob *nb;

	if (*b != NULL && *cap - len >= extra)
		return 0;
	while (want - len < extra)
		want *= 2;
	if ((nb = realloc(*b, sizeof(*nb) + want)) == NULL)
		return -1;
	if (*b == NULL) {
		atomic_init(&nb->refs, 1);
		nb->len = 0;
		nb->sealed = 0;
	}
	*b = nb;
	*cap = want;
	return 0;
}

static struct kg_blob *
blob_ref(struct kg_blob *b)
{
	atomic_fetch_add(&b->refs, 1);
	return b;
}

static void
blob_unref(struct kg_blob *b)
{
	if (b == NULL || atomic_fetch_sub(&b->refs, 1) != 1)
		return;
	atomic_fetch_sub(&live_bytes, b->sealed);
	free(b);
}

/* b is complete: from now on its bytes count as held; returns them. */
static size_t
blob_seal(struct kg_blob *b)
{
	if (b == NULL || b->sealed != 0)
		return 0;
	b->sealed = sizeof(*b) + b->len;
	atomic_fetch_add(&live_bytes, b->sealed);
	return b->sealed;
}

/* libmicrohttpd's free callback gets the bytes, not the blob. */
static void
blob_unref_bytes(void *bytes)
{
	blob_unref((struct kg_blob *)(void *)((char *)bytes - offsetof(struct kg_blob, bytes)));
}

/*
 * Where a feed is rendered to, as libical writes it: the SHA-256 of the
 * text (its ETag), its gzip, and the text itself while it is at most
 * keep_max bytes.  A publication so never holds a big feed's text whole.
 */
struct sink {
	struct kg_sha256_ctx md;
	z_stream zs;
	bool gzip;
	struct kg_blob *gz, *plain;
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

	kg_sha256_update(&s->md, buf, size);
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
	kg_sha256_init(&s->md);
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
	struct kg_blob *small;

	kg_sha256_final(&s->md, md);
	/* Held for long: no spare room. */
	if (s->plain != NULL && (small = realloc(s->plain, sizeof(*small) + s->plain->len)) != NULL) {
		s->plain = small;
		s->plain_cap = small->len;
	}
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
	if (s->gzip)
		deflateEnd(&s->zs);
	blob_unref(s->gz);
	blob_unref(s->plain);
}

/* ---- renditions ---- */

/* The body of a 304, which libmicrohttpd never reads. */
static ssize_t
never_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)pos;
	(void)buf;
	(void)max;
	return MHD_CONTENT_READER_END_WITH_ERROR;
}

/* The headers a 200 and a 304 share. */
static int
add_common_headers(struct MHD_Response *resp, const struct kg_rendered *r, const char *etag,
    bool gzipped)
{
	char lm[40];
	size_t i;

	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag) != MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache_control) != MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding") != MHD_YES)
		return -1;
	if (r->last_modified > 0) {
		http_date(r->last_modified, lm);
		if (MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, lm) != MHD_YES)
			return -1;
	}
	for (i = 0; r->headers != NULL && r->headers[i] != NULL; i += 2)
		if (MHD_add_response_header(resp, r->headers[i], r->headers[i + 1]) != MHD_YES)
			return -1;
	if (gzipped && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING,
	    "gzip") != MHD_YES)
		return -1;
	return 0;
}

/* The headers of a 200 response with the bytes. */
static int
add_full_headers(struct MHD_Response *full, const struct kg_rendered *r, const char *etag,
    bool gzipped)
{
	if (MHD_add_response_header(full, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type) != MHD_YES ||
	    kg_response_common(full) < 0)
		return -1;
	return add_common_headers(full, r, etag, gzipped);
}

/* How many copies of each response (kg_rendition_set_copies), and which
 * one a thread takes. */
static unsigned copies = 1;
static atomic_uint next_slot;
static _Thread_local unsigned my_slot_plus1;

void
kg_rendition_set_copies(unsigned n)
{
	copies = n < 1 ? 1 : n > KG_RENDITION_COPIES_MAX ? KG_RENDITION_COPIES_MAX : n;
}

static unsigned
my_slot(void)
{
	if (my_slot_plus1 == 0)
		my_slot_plus1 = atomic_fetch_add(&next_slot, 1) % KG_RENDITION_COPIES_MAX + 1;
	return (my_slot_plus1 - 1) % copies;
}

struct MHD_Response *
kg_rendition_full(const struct kg_rendition *rd)
{
	return rd->full[my_slot()];
}

struct MHD_Response *
kg_rendition_not_modified(const struct kg_rendition *rd)
{
	return rd->not_modified[my_slot()];
}

/* The 200 of copy i, sending body's bytes (a reference taken).  NULL on
 * ENOMEM.  From memory, not from a sealed memfd with sendfile(2): on this
 * loopback the memfd cost 21-22 µs of CPU per request of the sample feed,
 * memory 17 µs (libmicrohttpd then writes header and body in one
 * sendmsg); bench/README.md, "feed". */
static struct MHD_Response *
full_copy(struct kg_blob *body)
{
	struct MHD_Response *resp;

	blob_ref(body);
	if ((resp = MHD_create_response_from_buffer_with_free_callback(body->len, body->bytes,
	    blob_unref_bytes)) == NULL)
		blob_unref(body);
	return resp;
}

/* Makes rd, a rendition of r whose ETag is etag: full responses sending
 * body (a reference taken over), or with body NULL none (the plain text of
 * a big feed, inflated per request from gz, of which rd takes a
 * reference); and 304s. */
static int
rendition_make(struct kg_rendition *rd, const struct kg_rendered *r, struct kg_blob *body,
    struct kg_blob *gz, size_t size, const char *etag, bool gzipped)
{
	int rc = -1;
	unsigned i;

	snprintf(rd->etag, sizeof(rd->etag), "%s", etag);
	rd->size = size;
	if (body == NULL)
		rd->gz = blob_ref(gz);
	for (i = 0; i < copies; i++) {
		if (body != NULL && ((rd->full[i] = full_copy(body)) == NULL ||
		    add_full_headers(rd->full[i], r, rd->etag, gzipped) < 0))
			goto out;
		/* Its size is the 200's: libmicrohttpd sends a Content-Length
		 * with every 304, and RFC 9110 (8.6) allows only the 200's. */
		rd->not_modified[i] = MHD_create_response_from_callback(size, 4096, never_read, NULL,
		    NULL);
		if (rd->not_modified[i] == NULL || kg_response_common(rd->not_modified[i]) < 0 ||
		    add_common_headers(rd->not_modified[i], r, rd->etag, false) < 0)
			goto out;
	}
	rc = 0;
out:
	blob_unref(body);
	return rc;
}

static void
rendition_release(struct kg_rendition *rd)
{
	unsigned i;

	for (i = 0; i < KG_RENDITION_COPIES_MAX; i++) {
		if (rd->full[i] != NULL)
			MHD_destroy_response(rd->full[i]);
		if (rd->not_modified[i] != NULL)
			MHD_destroy_response(rd->not_modified[i]);
	}
	blob_unref(rd->gz);
	memset(rd, 0, sizeof(*rd));
}

void
kg_rendered_release(struct kg_rendered *r)
{
	rendition_release(&r->plain);
	rendition_release(&r->gzip);
	memset(r, 0, sizeof(*r));
}

/*
 * Wraps the bytes of a body into r: plain (NULL for a big body: inflated
 * from gz per request), gz (NULL without gzip), total bytes of text, md
 * the digest naming the text (its ETag).  Takes plain's and gz's
 * references.  Settles Last-Modified as struct kg_render says.
 */
static int
rendered_wrap(struct kg_rendered *r, const struct kg_render *how, struct kg_blob *plain,
    struct kg_blob *gz, size_t total, const unsigned char md[32], struct kg_err *err)
{
	const struct kg_rendered *prev = how->prev;
	int64_t now = (int64_t)time(NULL);
	char etag[48], gzetag[48];
	int rc = -1;

	r->last_modified = how->last_modified;
	r->content_type = how->content_type;
	r->headers = how->headers;
	snprintf(r->cache_control, sizeof(r->cache_control), "%s", how->cache_control);
	etag_hex(md, "", etag);
	if (prev != NULL && prev->plain.etag[0] != '\0' && strcmp(prev->plain.etag, etag) != 0 &&
	    r->last_modified <= prev->last_modified)
		r->last_modified = now > prev->last_modified ? now : prev->last_modified + 1;
	if (r->last_modified < how->lm_floor)
		r->last_modified = how->lm_floor;
	r->bytes = blob_seal(plain) + blob_seal(gz);
	if (rendition_make(&r->plain, r, plain, gz, total, etag, false) < 0)
		goto out;
	plain = NULL;
	if (gz != NULL) {
		etag_of(gz->bytes, gz->len, "-gz", gzetag);
		if (rendition_make(&r->gzip, r, blob_ref(gz), NULL, gz->len, gzetag, true) < 0)
			goto out;
	}
	rc = 0;
out:
	blob_unref(gz);
	if (rc < 0)
		kg_err_set(err, "out of memory");
	return rc;
}

int
kg_rendered_render(struct kg_rendered *r, const struct kg_render *how, bool want_gzip,
    struct kg_err *err)
{
	static const cookie_io_functions_t sink_io = { .write = sink_write };
	unsigned char md[32];
	struct kg_blob *plain, *gz;
	struct sink s;
	FILE *f = NULL;
	int rc = -1;

	if (sink_open(&s, want_gzip, want_gzip ? PLAIN_KEEP_MAX : SIZE_MAX) < 0 ||
	    (f = fopencookie(&s, "w", sink_io)) == NULL) {
		kg_err_set(err, "out of memory");
		goto out;
	}
	rc = how->write(how->arg, f, err);
	if (fclose(f) != 0 && rc == 0)
		rc = kg_err_set(err, "cannot render (out of memory)");
	if (rc == 0 && sink_finish(&s, md) < 0)
		rc = kg_err_set(err, "cannot render (out of memory)");
	if (rc < 0)
		goto out;
	plain = s.plain;
	gz = want_gzip ? s.gz : NULL;
	s.plain = NULL;
	s.gz = NULL;
	rc = rendered_wrap(r, how, plain, gz, s.total, md, err);
out:
	sink_close(&s);
	return rc;
}

int
kg_rendered_gzip(struct kg_rendered *r, const struct kg_render *how, const void *gz,
    size_t gz_len, size_t text_len, const unsigned char md[32], struct kg_err *err)
{
	struct kg_blob *gzb = NULL, *plain = NULL;
	size_t cap = 0, pcap = 0;
	z_stream zs;
	int zr;

	if (blob_reserve(&gzb, &cap, gz_len) < 0)
		return kg_err_set(err, "out of memory");
	memcpy(gzb->bytes, gz, gz_len);
	gzb->len = gz_len;
	if (text_len <= PLAIN_KEEP_MAX) {
		/* A small body is also kept as text, as kg_rendered_render keeps it. */
		memset(&zs, 0, sizeof(zs));
		if (blob_reserve(&plain, &pcap, text_len + 1) < 0 ||
		    inflateInit2(&zs, 15 + 16) != Z_OK) {
			blob_unref(plain);
			blob_unref(gzb);
			return kg_err_set(err, "out of memory");
		}
		zs.next_in = (Bytef *)gzb->bytes;
		zs.avail_in = (uInt)gz_len;
		zs.next_out = (Bytef *)plain->bytes;
		zs.avail_out = (uInt)pcap;
		zr = inflate(&zs, Z_FINISH);
		plain->len = pcap - zs.avail_out;
		inflateEnd(&zs);
		if (zr != Z_STREAM_END || plain->len != text_len) {
			blob_unref(plain);
			blob_unref(gzb);
			return kg_err_set(err, "internal: the gzip of a feed does not inflate to its text");
		}
	}
	return rendered_wrap(r, how, plain, gzb, text_len, md, err);
}

/* What a feed's rendition writes: the feed. */
struct feed_body {
	const struct kg_milestone *v;
	size_t n;
	const struct kg_feed_params *p;
};

static int
feed_write(void *arg, FILE *f, struct kg_err *err)
{
	const struct feed_body *b = arg;

	return kg_feed_write(b->v, b->n, b->p, f, err);
}

void
kg_render_feed(struct kg_render *how, char cc[64], const struct kg_milestone *v, size_t n,
    const struct kg_feed_params *p, const struct kg_rendered *prev, int64_t lm_floor,
    bool private_feed)
{
	size_t i;

	memset(how, 0, sizeof(*how));
	how->content_type = "text/calendar; charset=utf-8";
	how->prev = prev;
	how->lm_floor = lm_floor;
	for (i = 0; i < n; i++)
		if (kg_feed_includes(p, &v[i]) && v[i].updated_at > how->last_modified)
			how->last_modified = v[i].updated_at;
	snprintf(cc, 64, "%s, max-age=%lld", private_feed ? "private" : "public",
	    (long long)p->refresh_s);
	how->cache_control = cc;
}

int
kg_rendered_make(struct kg_rendered *r, const struct kg_milestone *v, size_t n,
    const struct kg_feed_params *p, const struct kg_rendered *prev, int64_t lm_floor,
    bool private_feed, bool want_gzip, struct kg_err *err)
{
	struct feed_body body = { v, n, p };
	struct kg_render how;
	char cc[64];

	kg_render_feed(&how, cc, v, n, p, prev, lm_floor, private_feed);
	how.write = feed_write;
	how.arg = &body;
	return kg_rendered_render(r, &how, want_gzip, err);
}

/* A response inflating a big feed's gzip for a client without gzip. */
struct inflater {
	z_stream zs;
	struct kg_blob *gz;
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
struct MHD_Response *
kg_rendition_inflating(const struct kg_rendered *r, const struct kg_rendition *rd)
{
	struct inflater *in = calloc(1, sizeof(*in));
	struct MHD_Response *resp;

	if (in == NULL || inflateInit2(&in->zs, 15 + 16) != Z_OK) {
		free(in);
		return NULL;
	}
	in->zs.next_in = (Bytef *)rd->gz->bytes;
	in->zs.avail_in = (uInt)rd->gz->len;
	in->gz = blob_ref(rd->gz);
	resp = MHD_create_response_from_callback(rd->size, 64 * 1024, inflater_read, in,
	    inflater_free);
	if (resp == NULL) {
		inflater_free(in);
		return NULL;
	}
	if (add_full_headers(resp, r, rd->etag, false) < 0) {
		MHD_destroy_response(resp);
		return NULL;
	}
	return resp;
}
