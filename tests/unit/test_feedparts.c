/* Unit tests for daemon/feedparts: a feed assembled from parts is byte for
 * byte the feed kg_feed_write renders whole (a valid gzip of it); a second
 * rendition reuses the parts of unchanged events and renders the changed
 * one's; the ETag follows the data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "feedparts.h"
#include "pool.h"

#define N 2000

static struct kg_milestone_list *
milestones(void)
{
	struct kg_milestone_list *l = calloc(1, sizeof(*l));
	char buf[128];
	size_t i;

	for (i = 0; i < N; i++) {
		struct kg_milestone *m = kg_milestone_list_add(l);

		m->id = (int64_t)i + 1;
		snprintf(buf, sizeof(buf), "m%zu@kigen", i);
		m->uid = strdup(buf);
		snprintf(buf, sizeof(buf), "第%zu回の演習を実施", i);
		m->title = strdup(buf);
		m->sentence = strdup("内閣官房において、演習を実施する予定。");
		m->kind = KG_KIND_EXERCISE;
		m->status = i % 7 == 0 ? KG_STATUS_DONE : KG_STATUS_PLANNED;
		m->precision = KG_PREC_DAY;
		m->window_start = m->window_end = kg_day_from_civil(2009, 1, 1) + (kg_day)(i / 3);
		m->sequence = 1;
		m->created_at = 1220000000;
		m->updated_at = 1222000000 + (int64_t)i;
		kg_strv_push(&m->owners, i % 2 ? "内閣官房" : "総務省", (size_t)-1);
	}
	return l;
}

static int
setup(void **state)
{
	*state = milestones();
	return 0;
}

static int
teardown(void **state)
{
	kg_milestone_list_clear(*state);
	free(*state);
	return 0;
}

/* Inflates a gzip stream whole. */
static char *
gunzip(const unsigned char *gz, size_t len, size_t *out_len)
{
	z_stream zs;
	size_t cap = 1 << 20, n = 0;
	char *out = malloc(cap);
	int zr;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)gz;
	zs.avail_in = (uInt)len;
	do {
		if (n == cap)
			out = realloc(out, cap *= 2);
		zs.next_out = (Bytef *)out + n;
		zs.avail_out = (uInt)(cap - n);
		zr = inflate(&zs, Z_NO_FLUSH);
		n = cap - zs.avail_out;
	} while (zr == Z_OK);
	assert_int_equal(zr, Z_STREAM_END);
	assert_int_equal(zs.avail_in, 0); /* nothing after the trailer */
	inflateEnd(&zs);
	*out_len = n;
	return out;
}

/* The whole feed as kg_feed_write renders it. */
static char *
whole(const struct kg_milestone_list *l, const struct kg_feed_params *p, size_t *len)
{
	char *buf = NULL;
	struct kg_err err;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(kg_feed_write(l->v, l->n, p, f, &err), 0);
	fclose(f);
	return buf;
}

static void
params(struct kg_feed_params *p)
{
	static const int lead[] = {30, 7, 1, 0};

	kg_feed_params_init(p);
	p->lead_days = lead;
	p->nlead = 4;
}

static void
check_same(const struct kg_feedparts_out *o, const struct kg_milestone_list *l,
    const struct kg_feed_params *p)
{
	size_t want_len, got_len;
	char *want = whole(l, p, &want_len), *got = gunzip(o->gz, o->gz_len, &got_len);

	assert_int_equal(got_len, want_len);
	assert_int_equal(o->text_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(want);
	free(got);
}

static void
test_whole_and_reuse(void **state)
{
	struct kg_milestone_list *l = *state;
	static const int other_lead[] = {14};
	struct kg_feedparts_out a, b, c, d;
	struct kg_feed_params p;
	struct kg_err err;
	size_t made, reused;

	params(&p);
	assert_int_equal(kg_feedparts_make(l->v, l->n, &p, NULL, NULL, &a, &err), 0);
	check_same(&a, l, &p);
	kg_feedparts_counts(a.parts, &made, &reused);
	assert_int_equal(reused, 0);
	assert_true(made > N / 256 && made < N / 8); /* parts of about 64 events */

	/* The same data again: every part reused, the same bytes and name. */
	assert_int_equal(kg_feedparts_make(l->v, l->n, &p, a.parts, NULL, &b, &err), 0);
	kg_feedparts_counts(b.parts, &made, &reused);
	assert_int_equal(made, 0);
	assert_int_equal(b.gz_len, a.gz_len);
	assert_memory_equal(b.gz, a.gz, a.gz_len);
	assert_memory_equal(b.md, a.md, sizeof(a.md));

	/* One milestone changes: its part alone (or two, when its event
	 * moved a cut) is rendered; the feed is still the whole feed. */
	free(l->v[N / 2].title);
	l->v[N / 2].title = strdup("題が変わった演習");
	l->v[N / 2].sequence++;
	assert_int_equal(kg_feedparts_make(l->v, l->n, &p, b.parts, NULL, &c, &err), 0);
	check_same(&c, l, &p);
	kg_feedparts_counts(c.parts, &made, &reused);
	assert_true(made >= 1 && made <= 2);
	assert_true(reused > 0);
	assert_memory_not_equal(c.md, a.md, sizeof(a.md));

	/* Other parameters, the same rows: no event's key (nor part) is taken
	 * from the parts made under the others. */
	p.lead_days = other_lead;
	p.nlead = 1;
	assert_int_equal(kg_feedparts_make(l->v, l->n, &p, c.parts, NULL, &d, &err), 0);
	check_same(&d, l, &p);
	kg_feedparts_counts(d.parts, &made, &reused);
	assert_int_equal(reused, 0);

	free(a.gz);
	free(b.gz);
	free(c.gz);
	free(d.gz);
	kg_feedparts_free(a.parts);
	kg_feedparts_free(b.parts);
	kg_feedparts_free(c.parts);
	kg_feedparts_free(d.parts);
}

/* Rendered on render threads too, filtered, todos, none at all. */
static void
test_threads_and_views(void **state)
{
	struct kg_milestone_list *l = *state, none = {0};
	struct kg_feedparts_out o;
	struct kg_feed_params p;
	struct kg_filter f = {0};
	struct kg_pool *pool;
	struct kg_err err;

	assert_int_equal(kg_pool_new(2, 4, &pool, &err), 0);
	params(&p);
	assert_int_equal(kg_feedparts_make(l->v, l->n, &p, NULL, pool, &o, &err), 0);
	check_same(&o, l, &p);
	free(o.gz);
	kg_feedparts_free(o.parts);

	p.view = KG_FEED_TODOS;
	kg_strv_push(&f.owners, "総務省", (size_t)-1);
	p.filter = &f;
	p.show_done = false;
	assert_int_equal(kg_feedparts_make(l->v, l->n, &p, NULL, pool, &o, &err), 0);
	check_same(&o, l, &p);
	free(o.gz);
	kg_feedparts_free(o.parts);
	kg_filter_clear(&f);

	params(&p);
	assert_int_equal(kg_feedparts_make(none.v, 0, &p, NULL, pool, &o, &err), 0);
	check_same(&o, &none, &p);
	free(o.gz);
	kg_feedparts_free(o.parts);
	kg_pool_free(pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_and_views, setup, teardown),
	};

	return cmocka_run_group_tests_name("feedparts", tests, NULL, NULL);
}
