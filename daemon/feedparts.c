/*
 * feedparts — see feedparts.h.
 */
#include "feedparts.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>
#include <zlib.h>

#include "hash.h"
#include "pool.h"
#include "store.h"

#define PART_EVENTS_MAX 256
#define PART_CUT_MASK 63          /* a cut after an event whose key ends so: ~64 a part */
#define PART_LEVEL 6              /* deflate level, as the whole-body renditions */

/* One part: its events' text, compressed; shared by the renditions that
 * contain it. */
struct part {
	atomic_int refs;
	unsigned char key[KG_FEED_KEY_LEN];  /* of its events (all zero: head, tail) */
	unsigned char md[KG_SHA256_LEN];     /* SHA-256 of its text */
	uint32_t crc;                        /* CRC-32 of its text */
	size_t text_len, gz_len;
	unsigned char gz[];                  /* raw deflate, ending in a full flush */
};

/* An event of the feed as the last render saw it: where it sits in the
 * store's order, the bytes of its struct (fingerprint) and its key. */
struct event {
	int64_t id;
	kg_day end;
	uint64_t row;                       /* XXH3 of the struct's bytes */
	unsigned char key[KG_FEED_KEY_LEN];
};

struct kg_feedparts {
	struct part **v;
	size_t n, made, reused;
	struct event *ev;                   /* its events, for the next render */
	size_t nev;
	unsigned char params[KG_FEED_KEY_LEN]; /* what the parameters put in a key */
};

static void
part_unref(struct part *pt)
{
	if (pt != NULL && atomic_fetch_sub(&pt->refs, 1) == 1)
		free(pt);
}

/* A part of text[0..len): compressed, summed and digested.  NULL on ENOMEM. */
static struct part *
part_new(const unsigned char key[KG_FEED_KEY_LEN], const char *text, size_t len)
{
	z_stream zs;
	struct part *pt, *small;
	size_t bound;
	int zr;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, PART_LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, len) + 16; /* + the full flush's empty stored block */
	if ((pt = malloc(sizeof(*pt) + bound)) == NULL) {
		deflateEnd(&zs);
		return NULL;
	}
	atomic_init(&pt->refs, 1);
	memcpy(pt->key, key, KG_FEED_KEY_LEN);
	kg_sha256(text, len, pt->md);
	pt->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)text, (uInt)len);
	pt->text_len = len;
	zs.next_in = (Bytef *)text;
	zs.avail_in = (uInt)len;
	zs.next_out = pt->gz;
	zs.avail_out = (uInt)bound;
	zr = deflate(&zs, Z_FULL_FLUSH);
	pt->gz_len = bound - zs.avail_out;
	deflateEnd(&zs);
	if (zr != Z_OK || zs.avail_in != 0) {
		free(pt);
		return NULL;
	}
	/* Kept for long: the bound was the text's size, the stream a
	 * fourteenth of it. */
	if ((small = realloc(pt, sizeof(*pt) + pt->gz_len)) != NULL)
		pt = small;
	return pt;
}

/* ---- rendering parts, on several threads ---- */

/* A part to make: events idx[first .. first + count) of v. */
struct job {
	size_t first, count;
	unsigned char key[KG_FEED_KEY_LEN];
	struct part *out;
};

/* The parts to make and who makes them: the publisher and helpers on the
 * render threads take jobs in turn.  v, idx and p belong to the caller,
 * which waits until every job is done; a helper that starts later finds
 * none left and touches nothing but this struct (refcounted). */
struct work {
	atomic_int refs;
	atomic_size_t next;
	size_t n;
	struct job *jobs;
	const struct kg_milestone *v;
	const size_t *idx;
	const struct kg_feed_params *p;
	pthread_mutex_t lock;
	pthread_cond_t all_done;
	size_t done;
	bool failed;
};

static void
work_unref(struct work *w)
{
	if (atomic_fetch_sub(&w->refs, 1) != 1)
		return;
	pthread_cond_destroy(&w->all_done);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* Renders job j's events into a part.  -1 on ENOMEM. */
static int
make_part(const struct work *w, struct job *j, char *text)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	int rc = 0;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return -1;
	for (i = j->first; i < j->first + j->count && rc == 0; i++)
		rc = kg_feed_write_event(&w->v[w->idx[i]], w->p, text, f);
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && (j->out = part_new(j->key, buf, len)) == NULL)
		rc = -1;
	free(buf);
	return rc;
}

static void
take_jobs(struct work *w)
{
	char *text = malloc(KG_FEED_TEXT_MAX);
	size_t i;
	int rc;

	while ((i = atomic_fetch_add(&w->next, 1)) < w->n) {
		rc = text != NULL ? make_part(w, &w->jobs[i], text) : -1;
		pthread_mutex_lock(&w->lock);
		w->done++;
		w->failed |= rc < 0;
		if (w->done == w->n)
			pthread_cond_signal(&w->all_done);
		pthread_mutex_unlock(&w->lock);
	}
	free(text);
}

static void
helper(void *arg, bool run)
{
	if (run)
		take_jobs(arg);
	work_unref(arg);
}

/* Makes jobs[0..n), with as many render threads as take part.  -1 when
 * one failed (ENOMEM). */
static int
make_parts(struct job *jobs, size_t n, const struct kg_milestone *v, const size_t *idx,
    const struct kg_feed_params *p, struct kg_pool *pool)
{
	struct work *w;
	size_t helpers, i;
	bool failed;

	if (n == 0)
		return 0;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	atomic_init(&w->refs, 1);
	atomic_init(&w->next, 0);
	w->n = n;
	w->jobs = jobs;
	w->v = v;
	w->idx = idx;
	w->p = p;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->all_done, NULL);
	if (pool != NULL) {
		/* One helper per render thread, while there is more than one job. */
		helpers = kg_pool_threads(pool);
		for (i = 0; i < helpers && i + 1 < n; i++) {
			atomic_fetch_add(&w->refs, 1);
			if (!kg_pool_submit(pool, helper, w)) {
				atomic_fetch_sub(&w->refs, 1);
				break;
			}
		}
	}
	take_jobs(w);
	pthread_mutex_lock(&w->lock);
	while (w->done < w->n)
		pthread_cond_wait(&w->all_done, &w->lock);
	failed = w->failed;
	pthread_mutex_unlock(&w->lock);
	work_unref(w);
	return failed ? -1 : 0;
}

/* ---- the feed ---- */

/* The parts of prev by key: an open-addressing table of prev->n * 2 slots. */
struct index {
	struct part **slot;
	size_t cap;
};

static size_t
slot_of(const unsigned char key[KG_FEED_KEY_LEN], size_t cap)
{
	uint64_t h;

	memcpy(&h, key, sizeof(h));
	return (size_t)(h % cap);
}

static int
index_build(struct index *ix, const struct kg_feedparts *prev)
{
	size_t i, s;

	ix->cap = prev != NULL ? prev->n * 2 + 1 : 1;
	if ((ix->slot = calloc(ix->cap, sizeof(*ix->slot))) == NULL)
		return -1;
	for (i = 0; prev != NULL && i < prev->n; i++) {
		for (s = slot_of(prev->v[i]->key, ix->cap); ix->slot[s] != NULL; s = (s + 1) % ix->cap)
			;
		ix->slot[s] = prev->v[i];
	}
	return 0;
}

static struct part *
index_find(const struct index *ix, const unsigned char key[KG_FEED_KEY_LEN])
{
	size_t s;

	for (s = slot_of(key, ix->cap); ix->slot[s] != NULL; s = (s + 1) % ix->cap)
		if (memcmp(ix->slot[s]->key, key, KG_FEED_KEY_LEN) == 0)
			return ix->slot[s];
	return NULL;
}

/* Cuts the included events idx[0..n) (keys[i]: event i's) into jobs;
 * returns how many (jobs holds n at least). */
static size_t
cut(const unsigned char (*keys)[KG_FEED_KEY_LEN], size_t n, struct job *jobs)
{
	XXH3_state_t st;
	XXH128_hash_t h;
	size_t i, k = 0, first = 0;

	for (i = 0; i < n; i++) {
		if (i == first)
			XXH3_128bits_reset(&st);
		XXH3_128bits_update(&st, keys[i], KG_FEED_KEY_LEN);
		if ((keys[i][KG_FEED_KEY_LEN - 1] & PART_CUT_MASK) != 0 &&
		    i - first + 1 < PART_EVENTS_MAX && i + 1 < n)
			continue;
		h = XXH3_128bits_digest(&st);
		memset(&jobs[k], 0, sizeof(jobs[k]));
		XXH128_canonicalFromHash((XXH128_canonical_t *)(void *)jobs[k].key, h);
		jobs[k].first = first;
		jobs[k].count = i - first + 1;
		k++;
		first = i + 1;
	}
	return k;
}

/* The head (the calendar's properties, VTIMEZONE) as a part. */
static struct part *
head_part(const struct kg_feed_params *p, struct kg_err *err)
{
	static const unsigned char none[KG_FEED_KEY_LEN];
	char *buf = NULL;
	size_t len = 0;
	struct part *pt = NULL;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (f == NULL) {
		kg_err_set(err, "out of memory");
		return NULL;
	}
	rc = kg_feed_write_head(p, f, err);
	if (fclose(f) != 0 && rc == 0)
		rc = kg_err_set(err, "out of memory");
	if (rc == 0 && (pt = part_new(none, buf, len)) == NULL)
		kg_err_set(err, "out of memory");
	free(buf);
	return pt;
}

static struct part *
tail_part(void)
{
	static const unsigned char none[KG_FEED_KEY_LEN];
	char *buf = NULL;
	size_t len = 0;
	struct part *pt = NULL;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	if (kg_feed_write_tail(f) == 0 && fclose(f) == 0)
		pt = part_new(none, buf, len);
	else
		fclose(f);
	free(buf);
	return pt;
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/*
 * The gzip of head, parts[0..n), tail into *out (a new buffer of *len
 * bytes), the text's length and the SHA-256 of the parts' SHA-256s.
 * RFC 1952: a 10-byte header (no name, no time, Unix), one deflate stream
 * (the parts' raw deflate, each ended by a full flush, then an empty final
 * block), CRC-32 and length of the text, little-endian.
 */
static int
assemble(const struct part *head, struct part *const *parts, size_t n,
    const struct part *tail, unsigned char **out, size_t *len, size_t *text_len,
    unsigned char md[KG_SHA256_LEN])
{
	static const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	static const unsigned char final_block[2] = {0x03, 0x00}; /* fixed Huffman, BFINAL, EOB */
	struct kg_sha256_ctx ctx;
	unsigned char *buf, *o;
	size_t total = sizeof(header) + head->gz_len + tail->gz_len + sizeof(final_block) + 8, i;
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t text = 0;
	const struct part *pt;

	for (i = 0; i < n; i++)
		total += parts[i]->gz_len;
	if ((buf = malloc(total)) == NULL)
		return -1;
	kg_sha256_init(&ctx);
	memcpy(buf, header, sizeof(header));
	o = buf + sizeof(header);
	for (i = 0; i < n + 2; i++) {
		pt = i == 0 ? head : i == n + 1 ? tail : parts[i - 1];
		memcpy(o, pt->gz, pt->gz_len);
		o += pt->gz_len;
		crc = crc32_combine(crc, pt->crc, (z_off_t)pt->text_len);
		text += pt->text_len;
		kg_sha256_update(&ctx, pt->md, sizeof(pt->md));
	}
	memcpy(o, final_block, sizeof(final_block));
	o += sizeof(final_block);
	put_le32(o, (uint32_t)crc);
	put_le32(o + 4, (uint32_t)text);
	kg_sha256_final(&ctx, md);
	*out = buf;
	*len = total;
	*text_len = text;
	return 0;
}

/* What the parameters put in every event's key: the key of an empty
 * milestone under p. */
static void
params_key(const struct kg_feed_params *p, unsigned char out[KG_FEED_KEY_LEN])
{
	struct kg_milestone none;

	memset(&none, 0, sizeof(none));
	kg_feed_event_key(&none, p, out);
}

/*
 * The key of event m into e, taken from prev's events when prev, under
 * the same parameters, had an event of the same bytes: a view's rows are
 * immutable and a view filled from the one before shares the unchanged
 * rows' strings with it (view.h), so the same bytes are the same text —
 * hashing 176 bytes instead of every string (most of a publication after
 * one change at 10^5).  prev's events are in the store's order, as v is:
 * *j walks them along.  Rows of another order only miss (computed anew).
 */
static void
event_key(const struct kg_milestone *m, const struct kg_feed_params *p,
    const struct kg_feedparts *prev, const struct kg_feedparts *fp, size_t *j,
    struct event *e)
{
	const struct event *pe;

	e->id = m->id;
	e->end = m->window_end;
	e->row = XXH3_64bits(m, sizeof(*m));
	if (prev != NULL && memcmp(prev->params, fp->params, KG_FEED_KEY_LEN) == 0) {
		while (*j < prev->nev && kg_store_order_cmp_at(prev->ev[*j].end, prev->ev[*j].id,
		    m->window_end, m->id) < 0)
			(*j)++;
		pe = *j < prev->nev ? &prev->ev[*j] : NULL;
		if (pe != NULL && pe->id == m->id && pe->row == e->row) {
			memcpy(e->key, pe->key, KG_FEED_KEY_LEN);
			return;
		}
	}
	kg_feed_event_key(m, p, e->key);
}

int
kg_feedparts_make(const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    const struct kg_feedparts *prev, struct kg_pool *pool, struct kg_feedparts_out *out,
    struct kg_err *err)
{
	unsigned char (*keys)[KG_FEED_KEY_LEN] = NULL;
	size_t *idx = NULL, *todo = NULL, ninc = 0, njobs, ntodo = 0, i, j = 0;
	struct job *jobs = NULL, *fresh = NULL;
	struct kg_feedparts *fp = NULL;
	struct part *head = NULL, *tail = NULL, *found;
	struct index ix = {0};
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if ((head = head_part(p, err)) == NULL)
		goto out;
	if ((idx = malloc((n + 1) * sizeof(*idx))) == NULL ||
	    (keys = malloc((n + 1) * sizeof(*keys))) == NULL ||
	    (jobs = malloc((n + 1) * sizeof(*jobs))) == NULL ||
	    (todo = malloc((n + 1) * sizeof(*todo))) == NULL ||
	    (fp = calloc(1, sizeof(*fp))) == NULL ||
	    (tail = tail_part()) == NULL || index_build(&ix, prev) < 0)
		goto nomem;
	if ((fp->ev = malloc((n + 1) * sizeof(*fp->ev))) == NULL)
		goto nomem;
	params_key(p, fp->params);
	for (i = 0; i < n; i++)
		if (kg_feed_includes(p, &v[i])) {
			event_key(&v[i], p, prev, fp, &j, &fp->ev[ninc]);
			memcpy(keys[ninc], fp->ev[ninc].key, KG_FEED_KEY_LEN);
			idx[ninc++] = i;
		}
	fp->nev = ninc;
	njobs = cut((const unsigned char (*)[KG_FEED_KEY_LEN])keys, ninc, jobs);
	if ((fp->v = calloc(njobs + 1, sizeof(*fp->v))) == NULL ||
	    (fresh = malloc((njobs + 1) * sizeof(*fresh))) == NULL)
		goto nomem;
	fp->n = njobs;
	for (i = 0; i < njobs; i++) {
		if ((found = index_find(&ix, jobs[i].key)) != NULL) {
			atomic_fetch_add(&found->refs, 1);
			fp->v[i] = found;
			fp->reused++;
		} else {
			fresh[ntodo] = jobs[i];
			todo[ntodo++] = i;
		}
	}
	if (make_parts(fresh, ntodo, v, idx, p, pool) < 0) {
		for (i = 0; i < ntodo; i++)
			part_unref(fresh[i].out);
		goto nomem;
	}
	for (i = 0; i < ntodo; i++)
		fp->v[todo[i]] = fresh[i].out;
	fp->made = ntodo;
	if (assemble(head, fp->v, fp->n, tail, &out->gz, &out->gz_len, &out->text_len,
	    out->md) < 0)
		goto nomem;
	out->parts = fp;
	fp = NULL;
	rc = 0;
	goto out;
nomem:
	kg_err_set(err, "out of memory");
out:
	kg_feedparts_free(fp);
	part_unref(head);
	part_unref(tail);
	free(ix.slot);
	free(fresh);
	free(todo);
	free(jobs);
	free(keys);
	free(idx);
	return rc;
}

int
kg_feedparts_render(struct kg_rendered *r, const struct kg_render *how,
    const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    const struct kg_feedparts *prev, struct kg_pool *pool, struct kg_feedparts **parts,
    struct kg_err *err)
{
	struct kg_feedparts_out out;
	int rc;

	*parts = NULL;
	if (kg_feedparts_make(v, n, p, prev, pool, &out, err) < 0)
		return -1;
	rc = kg_rendered_gzip(r, how, out.gz, out.gz_len, out.text_len, out.md, err);
	free(out.gz);
	if (rc < 0)
		kg_feedparts_free(out.parts);
	else
		*parts = out.parts;
	return rc;
}

void
kg_feedparts_free(struct kg_feedparts *fp)
{
	size_t i;

	if (fp == NULL)
		return;
	for (i = 0; i < fp->n; i++)
		part_unref(fp->v[i]);
	free(fp->v);
	free(fp->ev);
	free(fp);
}

void
kg_feedparts_counts(const struct kg_feedparts *fp, size_t *made, size_t *reused)
{
	*made = fp != NULL ? fp->made : 0;
	*reused = fp != NULL ? fp->reused : 0;
}
