/*
 * store_import — merging a parsed report (struct kg_import) into the store.
 *
 * Identity.  A document is known by the sha256 of its bytes: the same bytes
 * twice change nothing.  Documents of one plan share a plan key: the title
 * NFKC'd, with parenthesised parts (（上半期）, （下半期）, dates) and a
 * trailing 「について」 removed, so the first- and second-half reports of
 * 「セキュア・ジャパン２００８」 are one plan.  Measures match earlier
 * measures of the plan by title (NFKC, whitespace ignored); milestones match
 * within their measure by the same event (kg_store_event_score).  A new
 * milestone's UID is a hash of (plan, measure title, kind, expression,
 * sentence), computed once at first insert and never recomputed.
 *
 * Matched milestones take the report's window, status and text.  Only a
 * change of title, kind, status, certainty, window, precision or the gone
 * flag bumps SEQUENCE and counts as "changed"; a reworded sentence or a new
 * line number is stored quietly, so calendars are not told about rewording.
 * Manual (CLI-edited) and cancelled milestones are never overwritten: a
 * differing report is a conflict.  Milestones of the plan that the report
 * no longer mentions are flagged gone, not cancelled.
 *
 * Everything happens in one transaction; a dry run computes the same items
 * and rolls back.
 */
#include "store.h"
#include "store_int.h"
#include "hash.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* A match needs at least this score (see kg_store_event_score). */
#define MATCH_THRESHOLD 0.3

void
kg_import_result_clear(struct kg_import_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		kg_milestone_clear(&r->items[i].before);
		kg_milestone_clear(&r->items[i].after);
		free(r->items[i].detail);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

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

/*
 * The distinct character bigrams of s after NFKC, leaving out digits,
 * whitespace, punctuation and stop_bigrams (dates move between reports;
 * the words around them stay).  Sorted; *out malloc'd.  Returns the
 * count, or -1.
 */
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

static kg_day
anchor_day(const struct kg_milestone *m)
{
	return m->window_end != KG_DAY_NONE ? m->window_end : m->window_start;
}

double
kg_store_event_score(const struct kg_milestone *old, const struct kg_milestone *now)
{
	uint64_t *a = NULL, *b = NULL;
	long na, nb;
	double sim, prox, score;
	kg_day x = anchor_day(old), y = anchor_day(now);
	long gap;

	if (old->kind != now->kind)
		return 0;
	na = bigrams(old->sentence, &a);
	nb = bigrams(now->sentence, &b);
	sim = overlap(a, na, b, nb);
	free(a);
	free(b);
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

/* ---- event hashes and UIDs ---- */

/* sha256(plan, measure, kind, expr, sentence[, "#k"]) into md[32]; 0 or -1. */
static int
event_hash(const char *plan, const char *measure_key, const char *kind, const char *expr,
    const char *sentence, int occurrence, unsigned char md[EVP_MAX_MD_SIZE])
{
	const char *parts[5] = { plan, measure_key, kind, expr, sentence };
	unsigned int mdlen = 0;
	char saltbuf[16];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t i;
	int ok;

	if (ctx == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (i = 0; i < 5 && ok; i++) {
		/* A unit separator keeps ("ab", "c") apart from ("a", "bc"). */
		ok = EVP_DigestUpdate(ctx, parts[i] ? parts[i] : "", parts[i] ? strlen(parts[i]) : 0)
		    && EVP_DigestUpdate(ctx, "\x1f", 1);
	}
	if (ok && occurrence > 0) {
		snprintf(saltbuf, sizeof(saltbuf), "#%d", occurrence);
		ok = EVP_DigestUpdate(ctx, saltbuf, strlen(saltbuf));
	}
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	return ok && mdlen >= 16 ? 0 : -1;
}

uint64_t
kg_store_event_key(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	uint64_t key = 0;
	int i;

	if (event_hash(plan, measure_key, kind, expr, sentence, occurrence, md) < 0)
		return 0;
	for (i = 0; i < 8; i++)
		key = key << 8 | md[i];
	return key;
}

char *
kg_store_event_uid(const char *plan, const char *measure_key, const char *kind,
    const char *expr, const char *sentence, int occurrence)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[33], *uid;

	if (event_hash(plan, measure_key, kind, expr, sentence, occurrence, md) < 0)
		return NULL;
	if (asprintf(&uid, "%s@kigen", kg_hex(md, 16, hex)) < 0)
		return NULL;
	return uid;
}

/* ---- a set of 64-bit keys ---- */

static size_t
u64_slot(const struct kg_u64set *s, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (s->cap - 1);

	while (s->v[i] != 0 && s->v[i] != key)
		i = (i + 1) & (s->cap - 1);
	return i;
}

bool
kg_u64set_has(const struct kg_u64set *s, uint64_t key)
{
	if (key == 0)
		return s->has_zero;
	return s->cap > 0 && s->v[u64_slot(s, key)] == key;
}

int
kg_u64set_add(struct kg_u64set *s, uint64_t key)
{
	struct kg_u64set bigger;
	size_t i;

	if (key == 0) {
		s->has_zero = true;
		return 0;
	}
	if (2 * (s->n + 1) > s->cap) {
		/* at most half full: probes stay short */
		bigger = (struct kg_u64set){ NULL, 0, s->cap ? 2 * s->cap : 64, s->has_zero };
		if ((bigger.v = calloc(bigger.cap, sizeof(*bigger.v))) == NULL)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->v[i] != 0) {
				bigger.v[u64_slot(&bigger, s->v[i])] = s->v[i];
				bigger.n++;
			}
		free(s->v);
		*s = bigger;
	}
	i = u64_slot(s, key);
	if (s->v[i] == 0) {
		s->v[i] = key;
		s->n++;
	}
	return 0;
}

void
kg_u64set_clear(struct kg_u64set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- the merge ---- */

struct merge {
	struct kg_store *st;
	const struct kg_import *imp;
	struct kg_import_result *out;
	struct kg_err *err;
	char *plan;
	char *reason;               /* "import <name>" */
	int64_t doc_id;
	int64_t *measure_db;        /* import measure index -> measures.id */
	char **measure_key;         /* import measure index -> title key */
	struct kg_milestone_list old;
	int *old_taken_by;          /* old index -> new index + 1, 0 = unmatched */
	int *new_match;             /* new index -> old index + 1, 0 = new */
	int64_t *new_id;            /* new index -> the milestone it is now */
};

static struct kg_import_item *
add_item(struct merge *mg, enum kg_change_kind what)
{
	struct kg_import_result *r = mg->out;
	struct kg_import_item *it;

	if (kg_array_grow((void **)&r->items, &r->cap, r->n, sizeof(*r->items)) < 0) {
		kg_err_set(mg->err, "out of memory");
		return NULL;
	}
	it = &r->items[r->n++];
	memset(it, 0, sizeof(*it));
	it->what = what;
	return it;
}

static int
insert_document(struct merge *mg)
{
	const struct kg_document *d = &mg->imp->doc;
	sqlite3_stmt *s = kg_store_stmt(mg->st, KG_STMT_DOC_INSERT, mg->err);
	int64_t stand;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, d->name);
	kg_bind_text(s, 2, d->sha256);
	kg_bind_text(s, 3, d->title);
	kg_bind_text(s, 4, mg->plan);
	kg_bind_day(s, 5, d->as_of);
	sqlite3_bind_int64(s, 6, kg_store_now());
	kg_bind_text(s, 7, d->summary_json);
	kg_bind_text(s, 8, d->url);
	kg_bind_text(s, 9, d->etag);
	kg_bind_text(s, 10, d->last_modified);
	if (kg_store_step_done(mg->st, s, mg->err, "recording document") < 0)
		return -1;
	mg->doc_id = sqlite3_last_insert_rowid(mg->st->db);
	/* The new version stands for its edition (plan, as_of). */
	if ((s = kg_store_stmt(mg->st, KG_STMT_META_BUMP, mg->err)) == NULL)
		return -1;
	kg_bind_text(s, 1, "last_stand");
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return kg_store_fail(mg->st, mg->err, "recording document");
	}
	stand = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if ((s = kg_store_stmt(mg->st, KG_STMT_DOC_STAND, mg->err)) == NULL)
		return -1;
	kg_bind_text(s, 1, mg->plan);
	sqlite3_bind_int64(s, 2, mg->doc_id);
	sqlite3_bind_int64(s, 3, stand);
	kg_bind_day(s, 4, d->as_of);
	return kg_store_step_done(mg->st, s, mg->err, "recording document");
}

/*
 * Maps each imported measure to a measure of the plan with the same title
 * key (each earlier measure used once, lowest id first), updating it from
 * the report, or inserts it.
 */
static int
merge_measures(struct merge *mg)
{
	const struct kg_measure_list *ml = &mg->imp->measures;
	struct kg_strv keys = {0};
	int64_t *ids = NULL;
	size_t nids = 0, capids = 0, i, j;
	sqlite3_stmt *s;
	struct kg_measure m;
	int64_t ids_max = 0;
	int rc = -1, step, occurrence;

	if ((s = kg_store_stmt(mg->st, KG_STMT_MEASURES_OF_PLAN, mg->err)) == NULL)
		return -1;
	kg_bind_text(s, 1, mg->plan);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (kg_array_grow((void **)&ids, &capids, nids, sizeof(*ids)) < 0 ||
		    kg_strv_push(&keys, (const char *)sqlite3_column_text(s, 1), (size_t)-1) < 0) {
			sqlite3_reset(s);
			kg_err_set(mg->err, "out of memory");
			goto out;
		}
		ids[nids++] = sqlite3_column_int64(s, 0);
		if (ids[nids - 1] > ids_max)
			ids_max = ids[nids - 1];
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE) {
		kg_store_fail(mg->st, mg->err, "reading measures");
		goto out;
	}
	for (i = 0; i < ml->n; i++) {
		if (ml->v[i].title == NULL ||
		    (mg->measure_key[i] = kg_store_title_key(ml->v[i].title)) == NULL) {
			kg_err_set(mg->err, "measure %zu has no valid title", i + 1);
			goto out;
		}
		m = ml->v[i];               /* shallow: measure_write only reads it */
		m.id = 0;
		m.document_id = mg->doc_id;
		for (j = 0; j < nids; j++)
			if (ids[j] != 0 && strcmp(keys.v[j], mg->measure_key[i]) == 0) {
				m.id = ids[j];
				ids[j] = 0;         /* used */
				break;
			}
		occurrence = 0;
		if (m.id)
			mg->out->measures_matched++;
		else {
			mg->out->measures_new++;
			for (j = 0; j < nids; j++)
				occurrence += strcmp(keys.v[j], mg->measure_key[i]) == 0;
			for (j = 0; j < i; j++)
				occurrence += mg->measure_db[j] > ids_max &&
				    strcmp(mg->measure_key[j], mg->measure_key[i]) == 0;
		}
		if (kg_store_measure_write(mg->st, &m, mg->plan, occurrence, mg->err) < 0 ||
		    kg_store_edition_measure_add(mg->st, mg->doc_id, (int)i, &m, mg->err) < 0)
			goto out;
		mg->measure_db[i] = m.id;
	}
	rc = 0;
out:
	free(ids);
	kg_strv_clear(&keys);
	return rc;
}

/* The import's measure index of milestone m, or -1 when unattached. */
static long
measure_index(const struct merge *mg, const struct kg_milestone *m)
{
	if (m->measure_id < 0 || (size_t)m->measure_id >= mg->imp->measures.n)
		return -1;
	return (long)m->measure_id;
}

static int64_t
measure_db_id(const struct merge *mg, const struct kg_milestone *m)
{
	long i = measure_index(mg, m);

	return i < 0 ? 0 : mg->measure_db[i];
}

struct candidate {
	double score;
	size_t new_i, old_j;
};

static int
cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->new_i != y->new_i)
		return x->new_i < y->new_i ? -1 : 1;
	return x->old_j < y->old_j ? -1 : x->old_j > y->old_j;
}

/*
 * Pairs imported milestones with earlier ones of the same measure: every
 * pair scoring at least MATCH_THRESHOLD, best first (ties by position), each
 * side used once.  Deterministic: the result depends only on the inputs.
 */
static int
match_events(struct merge *mg)
{
	const struct kg_milestone_list *nl = &mg->imp->milestones;
	struct candidate *c = NULL;
	size_t n = 0, cap = 0, i, j;
	double score;

	for (i = 0; i < nl->n; i++)
		for (j = 0; j < mg->old.n; j++) {
			if (mg->old.v[j].measure_id != measure_db_id(mg, &nl->v[i]))
				continue;
			score = kg_store_event_score(&mg->old.v[j], &nl->v[i]);
			if (score < MATCH_THRESHOLD)
				continue;
			if (kg_array_grow((void **)&c, &cap, n, sizeof(*c)) < 0) {
				free(c);
				return kg_err_set(mg->err, "out of memory");
			}
			c[n++] = (struct candidate){ score, i, j };
		}
	if (n > 1)
		qsort(c, n, sizeof(*c), cmp_candidate);
	for (i = 0; i < n; i++) {
		if (mg->new_match[c[i].new_i] || mg->old_taken_by[c[i].old_j])
			continue;
		mg->new_match[c[i].new_i] = (int)c[i].old_j + 1;
		mg->old_taken_by[c[i].old_j] = (int)c[i].new_i + 1;
	}
	free(c);
	return 0;
}

/* Fields that, when they change, make a new calendar version. */
static bool
substance_differs(const struct kg_milestone *a, const struct kg_milestone *b)
{
	return strcmp(a->title ? a->title : "", b->title ? b->title : "") != 0 ||
	    a->kind != b->kind || a->status != b->status || a->certainty != b->certainty ||
	    a->window_start != b->window_start || a->window_end != b->window_end ||
	    a->precision != b->precision || a->gone != b->gone || a->uncertain != b->uncertain;
}

static void
format_window(char *buf, size_t cap, const struct kg_milestone *m)
{
	char a[KG_DATE_LEN], b[KG_DATE_LEN];

	snprintf(buf, cap, "%s..%s",
	    m->window_start == KG_DAY_NONE ? "" : kg_date_format(m->window_start, a),
	    m->window_end == KG_DAY_NONE ? "" : kg_date_format(m->window_end, b));
}

/* "window A -> B; status x -> y; title changed", or NULL when none differ. */
static char *
describe_change(const struct kg_milestone *from, const struct kg_milestone *to)
{
	char buf[512] = "", w1[32], w2[32];
	size_t len = 0;

	if (from->window_start != to->window_start || from->window_end != to->window_end) {
		format_window(w1, sizeof(w1), from);
		format_window(w2, sizeof(w2), to);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "window %s -> %s", w1, w2);
	}
	if (from->status != to->status && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%sstatus %s -> %s",
		    len ? "; " : "", kg_status_name(from->status), kg_status_name(to->status));
	if (from->kind != to->kind && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%skind %s -> %s",
		    len ? "; " : "", kg_kind_name(from->kind), kg_kind_name(to->kind));
	if (from->certainty != to->certainty && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%scertainty %s -> %s",
		    len ? "; " : "", kg_certainty_name(from->certainty),
		    kg_certainty_name(to->certainty));
	if (from->precision != to->precision && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%sprecision %s -> %s",
		    len ? "; " : "", kg_precision_name(from->precision),
		    kg_precision_name(to->precision));
	if (strcmp(from->title ? from->title : "", to->title ? to->title : "") != 0 &&
	    len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%stitle changed",
		    len ? "; " : "");
	if (from->gone != to->gone && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    len ? "; " : "", to->gone ? "no longer reported" : "reported again");
	return len ? strdup(buf) : NULL;
}

/* The earlier milestone old as the report now describes it (owned copy). */
static int
as_reported(struct merge *mg, const struct kg_milestone *old, const struct kg_milestone *now,
    struct kg_milestone *out)
{
	bool failed = false;

	if (kg_milestone_copy(out, old) < 0)
		return kg_err_set(mg->err, "out of memory");
#define TAKE(f) do { free(out->f); out->f = now->f ? strdup(now->f) : NULL; \
	failed |= now->f && !out->f; } while (0)
	TAKE(title);
	TAKE(expr);
	TAKE(sentence);
	TAKE(uncertain_reason);
#undef TAKE
	out->kind = now->kind;
	out->status = now->status;
	out->certainty = now->certainty;
	out->window_start = now->window_start;
	out->window_end = now->window_end;
	out->precision = now->precision;
	out->uncertain = now->uncertain;
	out->page = now->page;
	out->document_id = mg->doc_id;
	out->line = now->line;
	out->gone = false;
	if (failed) {
		kg_milestone_clear(out);
		return kg_err_set(mg->err, "out of memory");
	}
	return 0;
}

/* Stores the report's source reference without a new version. */
static int
touch_source(struct merge *mg, const struct kg_milestone *m)
{
	sqlite3_stmt *s = kg_store_stmt(mg->st, KG_STMT_MS_SOURCE, mg->err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->id);
	kg_bind_id(s, 2, m->document_id);
	sqlite3_bind_int(s, 3, m->line);
	kg_bind_text(s, 4, m->expr);
	kg_bind_text(s, 5, m->sentence);
	return kg_store_step_done(mg->st, s, mg->err, "updating milestone source");
}

static int
merge_matched(struct merge *mg, size_t i, struct kg_milestone *old)
{
	const struct kg_milestone *now = &mg->imp->milestones.v[i];
	struct kg_milestone after;
	struct kg_import_item *it;
	bool protected = old->manual || old->status == KG_STATUS_CANCELLED;
	enum kg_change_kind what;
	char *detail = NULL;
	int rc = -1;

	mg->new_id[i] = old->id;
	if (as_reported(mg, old, now, &after) < 0)
		return -1;
	if (!substance_differs(old, &after))
		what = KG_CH_UNCHANGED;
	else if (protected && (after.gone = old->gone, substance_differs(old, &after)))
		what = KG_CH_CONFLICT;
	else
		what = KG_CH_CHANGED;
	after.gone = false;

	if (what == KG_CH_CONFLICT) {
		char *change = describe_change(old, &after);

		if (asprintf(&detail, "%s kept (report: %s)",
		    old->status == KG_STATUS_CANCELLED ? "cancelled" : "manual edit",
		    change ? change : "differs") < 0)
			detail = NULL;
		free(change);
		/* Only the gone flag moves: the report mentions it again. */
		if (old->gone) {
			struct kg_milestone again;

			if (kg_milestone_copy(&again, old) < 0)
				goto oom;
			again.gone = false;
			rc = kg_store_ms_write(mg->st, &again, mg->doc_id, mg->reason, false, mg->err);
			kg_milestone_clear(&again);
			if (rc < 0)
				goto out;
			rc = -1;
		}
	} else if (what == KG_CH_CHANGED) {
		detail = describe_change(old, &after);
		if (kg_store_ms_write(mg->st, &after, mg->doc_id, mg->reason, false, mg->err) < 0)
			goto out;
	} else if (!protected && touch_source(mg, &after) < 0) {
		goto out;
	}
	if ((it = add_item(mg, what)) == NULL)
		goto out;
	it->detail = detail;
	detail = NULL;
	if (kg_milestone_copy(&it->before, old) < 0)
		goto oom;
	it->after = after;
	memset(&after, 0, sizeof(after));
	rc = 0;
	goto out;
oom:
	kg_err_set(mg->err, "out of memory");
out:
	free(detail);
	kg_milestone_clear(&after);
	return rc;
}

/* Returns 1 when uid is taken, 0 when free, -1 on error. */
static int
uid_taken(struct kg_store *st, const char *uid, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_UID_EXISTS, err);
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, uid);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return kg_store_fail(st, err, "checking uid");
	return 0;
}

static int
merge_new(struct merge *mg, size_t i)
{
	const struct kg_milestone *now = &mg->imp->milestones.v[i];
	struct kg_milestone m;
	struct kg_import_item *it;
	long mi = measure_index(mg, now);
	int salt, taken;

	if (kg_milestone_copy(&m, now) < 0)
		return kg_err_set(mg->err, "out of memory");
	free(m.uid);
	m.uid = NULL;
	kg_strv_clear(&m.owners);
	m.measure_id = measure_db_id(mg, now);
	m.document_id = mg->doc_id;
	m.manual = false;
	m.gone = false;
	m.local_mask = 0;
	m.conflict = false;
	for (salt = 0;; salt++) {
		m.uid = kg_store_event_uid(mg->plan, mi < 0 ? "" : mg->measure_key[mi],
		    kg_kind_name(m.kind), m.expr, m.sentence, salt);
		if (m.uid == NULL) {
			kg_err_set(mg->err, "cannot compute a uid");
			goto fail;
		}
		if ((taken = uid_taken(mg->st, m.uid, mg->err)) < 0)
			goto fail;
		if (!taken)
			break;
		free(m.uid);
		m.uid = NULL;
	}
	if (kg_store_ms_insert(mg->st, &m, mg->plan, mg->doc_id, mg->reason, mg->err) < 0)
		goto fail;
	mg->new_id[i] = m.id;
	if ((it = add_item(mg, KG_CH_NEW)) == NULL)
		goto fail;
	it->after = m;
	return 0;
fail:
	kg_milestone_clear(&m);
	return -1;
}

/* What the document said about each of its milestones, and which milestone
 * each one is now (struct merge.new_id). */
static int
record_observations(struct merge *mg)
{
	const struct kg_milestone_list *nl = &mg->imp->milestones;
	struct kg_u64set seen = {0};
	struct kg_milestone o;
	uint64_t key;
	long mi;
	size_t i;
	int occurrence, rc = -1;

	for (i = 0; i < nl->n; i++) {
		mi = measure_index(mg, &nl->v[i]);
		occurrence = 0;
		do
			key = kg_store_event_key(mg->plan, mi < 0 ? "" : mg->measure_key[mi],
			    kg_kind_name(nl->v[i].kind), nl->v[i].expr, nl->v[i].sentence,
			    occurrence++);
		while (kg_u64set_has(&seen, key));
		if (kg_u64set_add(&seen, key) < 0) {
			kg_err_set(mg->err, "out of memory");
			goto out;
		}
		o = nl->v[i];   /* shallow: only read */
		o.measure_id = measure_db_id(mg, &nl->v[i]);
		if (kg_store_observation_add(mg->st, mg->doc_id, (int)i, mg->new_id[i], key, &o,
		    mg->err) < 0)
			goto out;
	}
	rc = 0;
out:
	kg_u64set_clear(&seen);
	return rc;
}

static int
merge_gone(struct merge *mg, struct kg_milestone *old)
{
	struct kg_import_item *it;
	struct kg_milestone flagged;

	if (old->gone)
		return 0;
	if (kg_milestone_copy(&flagged, old) < 0)
		return kg_err_set(mg->err, "out of memory");
	flagged.gone = true;
	if (kg_store_ms_write(mg->st, &flagged, mg->doc_id, mg->reason, false, mg->err) < 0 ||
	    (it = add_item(mg, KG_CH_GONE)) == NULL) {
		kg_milestone_clear(&flagged);
		return -1;
	}
	it->before = flagged;
	it->before.gone = false;
	if (asprintf(&it->detail, "not in %s", mg->imp->doc.name) < 0)
		it->detail = NULL;
	return 0;
}

static int
run_merge(struct merge *mg)
{
	const struct kg_milestone_list *nl = &mg->imp->milestones;
	size_t i;

	if (insert_document(mg) < 0 || merge_measures(mg) < 0)
		return -1;
	if (kg_store_ms_of_plan(mg->st, mg->plan, &mg->old, mg->err) < 0)
		return -1;
	/* Only milestones some import created take part; hand-made ones are the user's. */
	if ((mg->old_taken_by = calloc(mg->old.n + 1, sizeof(int))) == NULL ||
	    (mg->new_match = calloc(nl->n + 1, sizeof(int))) == NULL ||
	    (mg->new_id = calloc(nl->n + 1, sizeof(int64_t))) == NULL)
		return kg_err_set(mg->err, "out of memory");
	if (match_events(mg) < 0)
		return -1;
	for (i = 0; i < nl->n; i++) {
		if (mg->new_match[i]) {
			if (merge_matched(mg, i, &mg->old.v[mg->new_match[i] - 1]) < 0)
				return -1;
		} else if (merge_new(mg, i) < 0) {
			return -1;
		}
	}
	for (i = 0; i < mg->old.n; i++)
		if (!mg->old_taken_by[i] && merge_gone(mg, &mg->old.v[i]) < 0)
			return -1;
	return record_observations(mg);
}

int
kg_store_import(struct kg_store *st, const struct kg_import *imp, bool dry_run,
    struct kg_import_result *out, struct kg_err *err)
{
	struct merge mg = { .st = st, .imp = imp, .out = out, .err = err };
	struct kg_document known;
	sqlite3_stmt *s;
	bool outer;
	int rc = -1, found;

	memset(out, 0, sizeof(*out));
	if (imp->doc.sha256 == NULL || imp->doc.name == NULL)
		return kg_err_set(err, "import has no document name or sha256");
	if ((s = kg_store_stmt(st, KG_STMT_DOC_BY_SHA, err)) == NULL)
		return -1;
	kg_bind_text(s, 1, imp->doc.sha256);
	if ((found = kg_store_doc_fetch(st, s, &known, err)) < 0)
		return -1;
	if (found) {
		out->already_imported = true;
		out->document_id = known.id;
		kg_document_clear(&known);
		return 0;
	}
	if ((mg.plan = kg_store_plan_key(imp->doc.title)) == NULL)
		return kg_err_set(err, "invalid document title '%s' (not UTF-8)", imp->doc.title);
	mg.measure_db = calloc(imp->measures.n + 1, sizeof(*mg.measure_db));
	mg.measure_key = calloc(imp->measures.n + 1, sizeof(*mg.measure_key));
	if (mg.measure_db == NULL || mg.measure_key == NULL ||
	    asprintf(&mg.reason, "import %s", imp->doc.name) < 0) {
		mg.reason = NULL;
		kg_err_set(err, "out of memory");
		goto out;
	}
	if (kg_store_unit_begin(st, &outer, err) < 0)
		goto out;
	rc = run_merge(&mg);
	if (rc == 0 && !dry_run)
		rc = kg_store_cancel_reminders(st, err);
	if (dry_run && rc == 0) {
		/* Same items, nothing kept: undo through the failure path. */
		kg_store_unit_end(st, outer, -1, NULL);
		mg.doc_id = 0;
		for (size_t i = 0; i < out->n; i++)
			if (out->items[i].what == KG_CH_NEW)
				out->items[i].after.id = 0;
	} else {
		rc = kg_store_unit_end(st, outer, rc, err);
	}
	out->document_id = rc == 0 ? mg.doc_id : 0;
out:
	if (rc < 0)
		kg_import_result_clear(out);
	for (size_t i = 0; mg.measure_key && i < imp->measures.n; i++)
		free(mg.measure_key[i]);
	free(mg.measure_key);
	free(mg.measure_db);
	free(mg.plan);
	free(mg.reason);
	free(mg.old_taken_by);
	free(mg.new_match);
	free(mg.new_id);
	kg_milestone_list_clear(&mg.old);
	return rc;
}
