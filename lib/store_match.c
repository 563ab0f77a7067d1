/*
 * store_match — the vocabulary of matching reports with each other: plan
 * keys from titles, how much one event's sentence looks like another's,
 * content hashes of events (UIDs and observation keys), and a small map of
 * 64-bit keys the merge counts and looks things up with.  Pure functions:
 * no SQL.  Declared in store_int.h.
 */
#include "store.h"
#include "store_int.h"
#include "hash.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Removes parenthesised parts ((…) after NFKC, 【…】) of s in place. */
static void
drop_brackets(char *s)
{
	static const char open2[] = "【", close2[] = "】";
	char *r, *w;
	int depth = 0;

	for (r = w = s; *r; r++) {
		if (*r == '(' || strncmp(r, open2, sizeof(open2) - 1) == 0) {
			depth++;
			if (*r != '(')
				r += sizeof(open2) - 2;
		} else if (depth > 0 && (*r == ')' ||
		    strncmp(r, close2, sizeof(close2) - 1) == 0)) {
			depth--;
			if (*r != ')')
				r += sizeof(close2) - 2;
		} else if (depth == 0) {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Words after a plan's name that name the report about it, not the plan. */
static const char *const report_suffixes[] = {
	"について", "の概要", "の進捗状況", "進捗状況", "のフォローアップ結果",
	"フォローアップ結果", "のフォローアップ", "フォローアップ",
};

char *
kg_store_plan_key(const char *title)
{
	static const char quote_open[] = "「", quote_close[] = "」";
	char *key, *q, *end;
	size_t len, i, n;
	bool cut;

	if (title == NULL)
		return strdup("");
	if ((key = kg_store_title_key(title)) == NULL)
		return NULL;
	/* 「セキュア・ジャパン2008」の進捗状況(上半期)について: the quoted name */
	if ((q = strstr(key, quote_open)) != NULL &&
	    (end = strstr(q, quote_close)) != NULL && end > q + sizeof(quote_open) - 1) {
		*end = '\0';
		memmove(key, q + sizeof(quote_open) - 1, strlen(q + sizeof(quote_open) - 1) + 1);
		drop_brackets(key);
		if (*key != '\0')
			return key;
		free(key);
		return kg_store_title_key(title);
	}
	drop_brackets(key);
	do {
		cut = false;
		len = strlen(key);
		for (i = 0; i < sizeof(report_suffixes) / sizeof(report_suffixes[0]); i++) {
			n = strlen(report_suffixes[i]);
			if (len > n && strcmp(key + len - n, report_suffixes[i]) == 0) {
				key[len - n] = '\0';
				cut = true;
				break;
			}
		}
	} while (cut);
	return key;
}

/* ---- event similarity ---- */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Bigrams of date and status words: every report is full of them, so they
 * say nothing about which event a sentence describes. */
static const char *const stop_bigrams[] = {
	"平成", "成年", "年月", "月日", "年度", "度中", "度末", "月中", "月末",
	"上旬", "中旬", "下旬", "予定", "見込", "込み", "目途", "目処", "する", "る予",
};

static uint64_t
pack_bigram(utf8proc_int32_t a, utf8proc_int32_t b)
{
	return (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
}

static bool
is_stop_bigram(uint64_t bg)
{
	const utf8proc_uint8_t *p;
	utf8proc_int32_t a, b;
	utf8proc_ssize_t n;
	size_t i;

	for (i = 0; i < sizeof(stop_bigrams) / sizeof(stop_bigrams[0]); i++) {
		p = (const utf8proc_uint8_t *)stop_bigrams[i];
		n = utf8proc_iterate(p, -1, &a);
		utf8proc_iterate(p + n, -1, &b);
		if (pack_bigram(a, b) == bg)
			return true;
	}
	return false;
}

/* The bigram set of s (see store_int.h); -1 on ENOMEM. */
static long
bigrams(const char *s, uint64_t **out)
{
	utf8proc_uint8_t *nfkc;
	utf8proc_int32_t cp, prev = -1;
	utf8proc_ssize_t step;
	const utf8proc_uint8_t *p;
	uint64_t *v;
	size_t n = 0, i, k;
	utf8proc_category_t cat;

	*out = NULL;
	if (s == NULL)
		return 0;
	if ((nfkc = utf8proc_NFKC((const utf8proc_uint8_t *)s)) == NULL)
		return 0;
	/* Every byte starts at most one code point: a safe bound on bigrams. */
	if ((v = malloc((strlen((char *)nfkc) + 1) * sizeof(*v))) == NULL) {
		free(nfkc);
		return -1;
	}
	for (p = nfkc; *p; p += step) {
		step = utf8proc_iterate(p, -1, &cp);
		if (step <= 0)
			break;
		cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_ZS ||
		    (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) ||
		    cp < 0x21)
			continue;
		if (prev >= 0 && !is_stop_bigram(pack_bigram(prev, cp)))
			v[n++] = pack_bigram(prev, cp);
		prev = cp;
	}
	free(nfkc);
	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = k = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	*out = v;
	return (long)k;
}

/* |A ∩ B| / min(|A|, |B|): a reworded sentence keeps most of the shorter
 * one's bigrams even when the other grew a long preamble. */
static double
overlap(const uint64_t *a, long na, const uint64_t *b, long nb)
{
	long i = 0, j = 0, common = 0;

	if (na == 0 || nb == 0)
		return 0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			common++;
			i++;
			j++;
		} else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return (double)common / (double)(na < nb ? na : nb);
}

kg_day
kg_anchor_day(const struct kg_milestone *m)
{
	return m->window_end != KG_DAY_NONE ? m->window_end : m->window_start;
}

int
kg_bigrams_of(const char *s, struct kg_bigrams *out)
{
	long n = bigrams(s, &out->v);

	out->n = n < 0 ? 0 : n;
	return n < 0 ? -1 : 0;
}

double
kg_store_match_score(const struct kg_milestone *old, const struct kg_bigrams *bo,
    const struct kg_milestone *now, const struct kg_bigrams *bn)
{
	double sim, prox, score;
	kg_day x = kg_anchor_day(old), y = kg_anchor_day(now);
	long gap;

	if (old->kind != now->kind)
		return 0;
	sim = overlap(bo->v, bo->n, bn->v, bn->n);
	if (x == KG_DAY_NONE || y == KG_DAY_NONE)
		prox = 0;
	else {
		gap = labs((long)x - (long)y);
		prox = 1.0 / (1.0 + (double)gap / 180.0);
	}
	score = sim + 0.25 * prox;
	/* Finished events stay put: a done one that "moved" is a different event. */
	if (old->status == KG_STATUS_DONE &&
	    (old->window_start != now->window_start || old->window_end != now->window_end))
		score -= 0.3;
	return score;
}

double
kg_store_event_score(const struct kg_milestone *old, const struct kg_milestone *now)
{
	struct kg_bigrams a = {0}, b = {0};
	double score = 0;

	if (old->kind == now->kind && kg_bigrams_of(old->sentence, &a) == 0 &&
	    kg_bigrams_of(now->sentence, &b) == 0)
		score = kg_store_match_score(old, &a, now, &b);
	free(a.v);
	free(b.v);
	return score;
}

/* ---- event hashes and UIDs ---- */

/* part and a unit separator, which keeps ("ab", "c") apart from ("a", "bc") */
static void
event_part(struct kg_sha256_ctx *ctx, const char *part)
{
	if (part != NULL)
		kg_sha256_update(ctx, part, strlen(part));
	kg_sha256_update(ctx, "\x1f", 1);
}

void
kg_store_event_prefix(const char *plan, const char *measure_key, struct kg_sha256_ctx *out)
{
	kg_sha256_init(out);
	event_part(out, plan);
	event_part(out, measure_key);
}

void
kg_store_event_digest_from(const struct kg_sha256_ctx *prefix, const char *kind,
    const char *expr, const char *sentence, int occurrence, unsigned char out[16])
{
	struct kg_sha256_ctx ctx = *prefix;
	unsigned char md[KG_SHA256_LEN];
	char n[16];

	event_part(&ctx, kind);
	event_part(&ctx, expr);
	event_part(&ctx, sentence);
	if (occurrence > 0)
		kg_sha256_update(&ctx, n, (size_t)snprintf(n, sizeof(n), "#%d", occurrence));
	kg_sha256_final(&ctx, md);
	memcpy(out, md, 16);
}

void
kg_store_event_digest(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence, unsigned char out[16])
{
	struct kg_sha256_ctx prefix;

	kg_store_event_prefix(plan, measure_key, &prefix);
	kg_store_event_digest_from(&prefix, kind, expr, sentence, occurrence, out);
}

uint64_t
kg_store_event_key_of(const unsigned char digest[16])
{
	uint64_t key = 0;
	int i;

	for (i = 0; i < 8; i++)
		key = key << 8 | digest[i];
	return key;
}

char *
kg_store_event_uid_of(const unsigned char digest[16])
{
	char hex[33], *uid;

	if (asprintf(&uid, "%s@kigen", kg_hex(digest, 16, hex)) < 0)
		return NULL;
	return uid;
}

uint64_t
kg_store_event_key(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence)
{
	unsigned char d[16];

	kg_store_event_digest(plan, measure_key, kind, expr, sentence, occurrence, d);
	return kg_store_event_key_of(d);
}

char *
kg_store_event_uid(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence)
{
	unsigned char d[16];

	kg_store_event_digest(plan, measure_key, kind, expr, sentence, occurrence, d);
	return kg_store_event_uid_of(d);
}

/* ---- a map of 64-bit keys ---- */

static size_t
u64_slot(const struct kg_u64map *m, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (m->cap - 1);

	while (m->k[i] != 0 && m->k[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

bool
kg_u64map_get(const struct kg_u64map *m, uint64_t key, int64_t *val)
{
	size_t i;

	if (key == 0) {
		if (m->has_zero && val != NULL)
			*val = m->zero;
		return m->has_zero;
	}
	if (m->cap == 0 || m->k[i = u64_slot(m, key)] != key)
		return false;
	if (val != NULL)
		*val = m->v[i];
	return true;
}

int
kg_u64map_put(struct kg_u64map *m, uint64_t key, int64_t val)
{
	struct kg_u64map bigger;
	size_t i;

	if (key == 0) {
		m->has_zero = true;
		m->zero = val;
		return 0;
	}
	if (2 * (m->n + 1) > m->cap) {
		/* at most half full: probes stay short */
		bigger = *m;
		bigger.n = 0;
		bigger.cap = m->cap ? 2 * m->cap : 64;
		bigger.k = calloc(bigger.cap, sizeof(*bigger.k));
		bigger.v = malloc(bigger.cap * sizeof(*bigger.v));
		if (bigger.k == NULL || bigger.v == NULL) {
			free(bigger.k);
			free(bigger.v);
			return -1;
		}
		for (i = 0; i < m->cap; i++)
			if (m->k[i] != 0) {
				size_t j = u64_slot(&bigger, m->k[i]);

				bigger.k[j] = m->k[i];
				bigger.v[j] = m->v[i];
				bigger.n++;
			}
		free(m->k);
		free(m->v);
		*m = bigger;
	}
	i = u64_slot(m, key);
	if (m->k[i] == 0)
		m->n++;
	m->k[i] = key;
	m->v[i] = val;
	return 0;
}

void
kg_u64map_clear(struct kg_u64map *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
