/* Unit tests for daemon/rendition: what a body rendered once carries into
 * its responses — the ETags (the text's SHA-256; the gzip's own, "-gz"),
 * the 200 and 304 headers of each representation, the plain text of a big
 * body kept only gzipped (inflated per request), Last-Modified settled
 * against the previous rendition and the floor, the bytes counted while a
 * rendition lives, and a feed's rendition (kg_rendered_make) naming the
 * very bytes kg_feed_render writes.  Which representation a request gets is
 * test_feeds'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "feed.h"
#include "hash.h"
#include "rendition.h"

/* A body of `len` bytes: `line` repeated, cut at len. */
struct body {
	const char *line;
	size_t len;
	int fail;                  /* the writer fails */
};

static int
write_body(void *arg, FILE *f, struct kg_err *err)
{
	const struct body *b = arg;
	size_t n = strlen(b->line), done;

	if (b->fail)
		return kg_err_set(err, "cannot read the milestones (test)");
	for (done = 0; done < b->len; done += n)
		fwrite(b->line, 1, b->len - done < n ? b->len - done : n, f);
	return 0;
}

static char *
body_text(const struct body *b)
{
	char *s = malloc(b->len + 1);
	size_t n = strlen(b->line), i;

	for (i = 0; i < b->len; i++)
		s[i] = b->line[i % n];
	s[b->len] = '\0';
	return s;
}

/* The ETag kigend gives the bytes s[0..len): quoted, the first 16 bytes of
 * their SHA-256 in hex. */
static void
want_etag(const void *s, size_t len, char out[48])
{
	unsigned char md[KG_SHA256_LEN];

	kg_sha256(s, len, md);
	out[0] = '"';
	kg_hex(md, 16, out + 1);
	strcpy(out + 33, "\"");
}

static const char *
header(struct MHD_Response *r, const char *name)
{
	return MHD_get_response_header(r, name);
}

static void
render(struct kg_rendered *r, struct body *b, bool gzip, const struct kg_rendered *prev,
    int64_t last_modified, int64_t floor)
{
	struct kg_render how = {
		.content_type = "text/html; charset=utf-8",
		.cache_control = "no-cache",
		.last_modified = last_modified,
		.prev = prev,
		.lm_floor = floor,
		.write = write_body,
		.arg = b,
	};
	struct kg_err err;

	memset(r, 0, sizeof(*r)); /* as every caller hands it over */
	assert_int_equal(kg_rendered_render(r, &how, gzip, &err), 0);
}

static void
test_small_body(void **state)
{
	struct body b = { "<li>2025-03-31 中間評価</li>\n", 5000, 0 };
	char *text = body_text(&b), etag[48];
	struct kg_rendered r;
	struct MHD_Response *full, *nm;

	(void)state;
	kg_rendition_set_copies(1);
	render(&r, &b, true, NULL, 1700000000, 0);
	want_etag(text, b.len, etag);
	assert_string_equal(r.plain.etag, etag);
	assert_int_equal(r.plain.size, b.len);
	assert_null(r.plain.gz);
	assert_int_equal(r.last_modified, 1700000000);

	/* The plain 200: its type, validators and cache rule; no encoding. */
	full = kg_rendition_full(&r.plain);
	assert_non_null(full);
	assert_string_equal(header(full, "Content-Type"), "text/html; charset=utf-8");
	assert_string_equal(header(full, "ETag"), etag);
	assert_string_equal(header(full, "Cache-Control"), "no-cache");
	assert_string_equal(header(full, "Vary"), "Accept-Encoding");
	assert_string_equal(header(full, "Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
	assert_string_equal(header(full, "X-Content-Type-Options"), "nosniff");
	assert_null(header(full, "Content-Encoding"));

	/* The gzip 200: its own ETag, smaller, encoded; the same other headers. */
	full = kg_rendition_full(&r.gzip);
	assert_non_null(full);
	assert_int_equal(strlen(r.gzip.etag), 2 + 32 + 3);
	assert_memory_equal(r.gzip.etag + 33, "-gz\"", 4);
	assert_string_not_equal(r.gzip.etag, r.plain.etag);
	assert_true(r.gzip.size > 0 && r.gzip.size < b.len / 4);
	assert_string_equal(header(full, "ETag"), r.gzip.etag);
	assert_string_equal(header(full, "Content-Encoding"), "gzip");
	assert_string_equal(header(full, "Vary"), "Accept-Encoding");

	/* The 304s: the validators again, no type and no encoding. */
	nm = kg_rendition_not_modified(&r.plain);
	assert_string_equal(header(nm, "ETag"), etag);
	assert_string_equal(header(nm, "Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
	assert_null(header(nm, "Content-Type"));
	nm = kg_rendition_not_modified(&r.gzip);
	assert_string_equal(header(nm, "ETag"), r.gzip.etag);
	assert_null(header(nm, "Content-Encoding"));

	kg_rendered_release(&r);
	assert_null(r.plain.full[0]);
	kg_rendered_release(&r); /* a zeroed one is fine */
	free(text);
}

/* The same bytes, the same tags; other bytes, other tags.  Without gzip
 * there is no gzip rendition. */
static void
test_etags_follow_bytes(void **state)
{
	struct body a = { "2026-01-15\n", 300, 0 }, b = { "2026-01-16\n", 300, 0 };
	struct kg_rendered r1, r2, r3, r4;

	(void)state;
	render(&r1, &a, true, NULL, 0, 0);
	render(&r2, &a, true, NULL, 0, 0);
	render(&r3, &b, true, NULL, 0, 0);
	render(&r4, &a, false, NULL, 0, 0);
	assert_string_equal(r1.plain.etag, r2.plain.etag);
	assert_string_equal(r1.gzip.etag, r2.gzip.etag);
	assert_string_not_equal(r1.plain.etag, r3.plain.etag);
	assert_string_not_equal(r1.gzip.etag, r3.gzip.etag);
	assert_string_equal(r4.plain.etag, r1.plain.etag);
	assert_null(r4.gzip.full[0]);
	assert_int_equal(r4.gzip.etag[0], '\0');
	/* No Last-Modified given: none sent. */
	assert_null(header(kg_rendition_full(&r1.plain), "Last-Modified"));
	kg_rendered_release(&r1);
	kg_rendered_release(&r2);
	kg_rendered_release(&r3);
	kg_rendered_release(&r4);
}

/* Over 1 MiB with gzip: the text is kept only gzipped, and a client
 * without gzip gets it inflated, under the text's own ETag and length.
 * Without gzip the text is kept, whatever its size. */
static void
test_big_body(void **state)
{
	struct body b = { "BEGIN:VEVENT\r\nSUMMARY:令和8年度末までに策定\r\nEND:VEVENT\r\n",
	    3 * 1024 * 1024 + 7, 0 };
	char *text = body_text(&b), etag[48];
	struct kg_rendered r, plain_only;
	struct MHD_Response *resp;

	(void)state;
	render(&r, &b, true, NULL, 1700000000, 0);
	want_etag(text, b.len, etag);
	assert_null(r.plain.full[0]);
	assert_non_null(r.plain.gz);
	assert_non_null(r.plain.not_modified[0]);
	assert_int_equal(r.plain.size, b.len);
	assert_string_equal(r.plain.etag, etag);
	assert_non_null(r.gzip.full[0]);
	assert_true(r.gzip.size < b.len / 10);
	/* Kept: the gzip, and the bytes count for no more than twice it. */
	assert_true(r.bytes < 2 * r.gzip.size + 4096);

	resp = kg_rendition_inflating(&r, &r.plain);
	assert_non_null(resp);
	assert_string_equal(header(resp, "ETag"), etag);
	assert_null(header(resp, "Content-Encoding"));
	MHD_destroy_response(resp);

	render(&plain_only, &b, false, NULL, 0, 0);
	assert_non_null(plain_only.plain.full[0]);
	assert_string_equal(plain_only.plain.etag, etag);
	kg_rendered_release(&plain_only);
	kg_rendered_release(&r);
	free(text);
}

/* Last-Modified: moved to now when the bytes changed but the data's time
 * did not (a purge, a reload), kept when the bytes are the same, never
 * below the floor. */
static void
test_last_modified(void **state)
{
	struct body a = { "one\n", 100, 0 }, b = { "two\n", 100, 0 };
	struct kg_rendered prev, same, changed, newer, floored;
	int64_t before = (int64_t)time(NULL);

	(void)state;
	render(&prev, &a, true, NULL, 1600000000, 0);
	render(&same, &a, true, &prev, 1600000000, 0);
	assert_int_equal(same.last_modified, 1600000000);
	render(&changed, &b, true, &prev, 1600000000, 0);
	assert_true(changed.last_modified >= before);
	assert_true(changed.last_modified <= (int64_t)time(NULL));
	/* The data moved on by itself: its own time stands. */
	render(&newer, &b, true, &prev, 1600000100, 0);
	assert_int_equal(newer.last_modified, 1600000100);
	render(&floored, &a, true, NULL, 1600000000, 1650000000);
	assert_int_equal(floored.last_modified, 1650000000);
	assert_string_equal(header(kg_rendition_full(&floored.gzip), "Last-Modified"),
	    "Fri, 15 Apr 2022 05:20:00 GMT");
	kg_rendered_release(&prev);
	kg_rendered_release(&same);
	kg_rendered_release(&changed);
	kg_rendered_release(&newer);
	kg_rendered_release(&floored);
}

/* Bytes count while some rendition holds them, and no longer after. */
static void
test_bytes_counted(void **state)
{
	struct body b = { "x", 200000, 0 };
	struct kg_rendered r;
	size_t base = kg_rendition_bytes();

	(void)state;
	render(&r, &b, true, NULL, 0, 0);
	assert_true(r.bytes >= b.len);
	assert_int_equal(kg_rendition_bytes(), base + r.bytes);
	kg_rendered_release(&r);
	assert_int_equal(kg_rendition_bytes(), base);
}

/* One copy of each response per request thread, up to the maximum. */
static void
test_copies(void **state)
{
	struct body b = { "copies\n", 70, 0 };
	struct kg_rendered r;
	unsigned i;

	(void)state;
	kg_rendition_set_copies(4);
	render(&r, &b, true, NULL, 0, 0);
	for (i = 0; i < 4; i++) {
		assert_non_null(r.plain.full[i]);
		assert_non_null(r.gzip.not_modified[i]);
		assert_string_equal(header(r.gzip.full[i], "ETag"), r.gzip.etag);
	}
	assert_null(r.plain.full[4]);
	assert_true(kg_rendition_full(&r.plain) == r.plain.full[0]); /* this thread's */
	kg_rendered_release(&r);
	kg_rendition_set_copies(1000);
	render(&r, &b, false, NULL, 0, 0);
	assert_non_null(r.plain.full[KG_RENDITION_COPIES_MAX - 1]);
	kg_rendered_release(&r);
	kg_rendition_set_copies(1);
}

static void
test_writer_fails(void **state)
{
	struct body b = { "x", 10, 1 };
	struct kg_render how = { .content_type = "text/plain", .cache_control = "no-cache",
	    .write = write_body, .arg = &b };
	struct kg_rendered r;
	struct kg_err err;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(kg_rendered_render(&r, &how, true, &err), -1);
	assert_string_equal(err.msg, "cannot read the milestones (test)");
	kg_rendered_release(&r);
}

/* A body gzipped elsewhere (feedparts): its text's digest names it, and a
 * gzip that does not inflate to the text's length is refused. */
static void
test_gzip_made_elsewhere(void **state)
{
	static const char text[] = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	struct kg_render how = { .content_type = "text/calendar; charset=utf-8",
	    .cache_control = "public, max-age=3600" };
	unsigned char gz[256], md[KG_SHA256_LEN];
	char etag[48];
	struct kg_rendered r;
	struct kg_err err;
	z_stream zs;

	(void)state;
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)text;
	zs.avail_in = sizeof(text) - 1;
	zs.next_out = gz;
	zs.avail_out = sizeof(gz);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	deflateEnd(&zs);
	kg_sha256(text, sizeof(text) - 1, md);
	want_etag(text, sizeof(text) - 1, etag);

	memset(&r, 0, sizeof(r));
	assert_int_equal(kg_rendered_gzip(&r, &how, gz, zs.total_out, sizeof(text) - 1, md, &err),
	    0);
	assert_string_equal(r.plain.etag, etag);
	assert_non_null(r.plain.full[0]); /* small: kept as text too */
	assert_int_equal(r.plain.size, sizeof(text) - 1);
	assert_int_equal(r.gzip.size, zs.total_out);
	assert_string_equal(header(kg_rendition_full(&r.gzip), "Cache-Control"),
	    "public, max-age=3600");
	kg_rendered_release(&r);

	memset(&r, 0, sizeof(r));
	assert_int_equal(kg_rendered_gzip(&r, &how, gz, zs.total_out, sizeof(text), md, &err), -1);
	kg_rendered_release(&r);
	assert_string_equal(err.msg, "internal: the gzip of a feed does not inflate to its text");
}

/* A feed's rendition: the bytes kg_feed_render writes, text/calendar, the
 * refresh as max-age, private for a private feed, Last-Modified the newest
 * updated_at among the milestones the feed shows. */
static void
test_feed(void **state)
{
	struct kg_milestone v[3];
	struct kg_feed_params p;
	struct kg_rendered r;
	struct kg_err err;
	char *ics, etag[48];
	size_t len;

	(void)state;
	memset(v, 0, sizeof(v));
	v[0].id = 1;
	v[0].uid = (char *)"a@kigen";
	v[0].title = (char *)"中間取りまとめ";
	v[0].window_start = v[0].window_end = 20000;
	v[0].updated_at = 1700000000;
	v[1].id = 2;
	v[1].uid = (char *)"b@kigen";
	v[1].title = (char *)"最終報告";
	v[1].window_start = v[1].window_end = 20100;
	v[1].updated_at = 1700000500;
	v[2].id = 3;
	v[2].uid = (char *)"c@kigen";
	v[2].title = (char *)"done, so not in the feed";
	v[2].window_start = v[2].window_end = 20200;
	v[2].status = KG_STATUS_DONE;
	v[2].updated_at = 1800000000;
	kg_feed_params_init(&p);
	p.refresh_s = 3600;
	p.show_done = false;
	assert_int_equal(kg_feed_render(v, 3, &p, &ics, &len, &err), 0);
	want_etag(ics, len, etag);

	memset(&r, 0, sizeof(r));
	assert_int_equal(kg_rendered_make(&r, v, 3, &p, NULL, 0, false, true, &err), 0);
	assert_string_equal(r.plain.etag, etag);
	assert_int_equal(r.plain.size, len);
	assert_int_equal(r.last_modified, 1700000500);
	assert_string_equal(header(kg_rendition_full(&r.plain), "Content-Type"),
	    "text/calendar; charset=utf-8");
	assert_string_equal(header(kg_rendition_full(&r.gzip), "Cache-Control"),
	    "public, max-age=3600");
	kg_rendered_release(&r);

	memset(&r, 0, sizeof(r));
	assert_int_equal(kg_rendered_make(&r, v, 3, &p, NULL, 0, true, false, &err), 0);
	assert_string_equal(header(kg_rendition_full(&r.plain), "Cache-Control"),
	    "private, max-age=3600");
	kg_rendered_release(&r);
	free(ics);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_body),
		cmocka_unit_test(test_etags_follow_bytes),
		cmocka_unit_test(test_big_body),
		cmocka_unit_test(test_last_modified),
		cmocka_unit_test(test_bytes_counted),
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_writer_fails),
		cmocka_unit_test(test_gzip_made_elsewhere),
		cmocka_unit_test(test_feed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
