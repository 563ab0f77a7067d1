/*
 * store_import — a plan's state as a function of its editions and of the
 * user's own edits: kg_store_import, kg_store_unimport, kg_store_resolve,
 * kg_store_conflicts (store.h).
 *
 * Words.  A document (one imported file) is a *version*; the versions of
 * one plan with the same as-of date are one *edition*, and the one imported
 * (or re-imported) last *stands* for it.  What a version said about each
 * milestone is an *observation* (table observations), about each measure
 * an edition_measures row.  Nothing an import does is irreversible: no
 * version and no observation is ever overwritten.
 *
 * The rule.  Sort the standing versions of a plan by as-of date and replay
 * them: the first one's events start a *chain* each; each later one's
 * events are matched to the chains so far (same measure, same kind; the
 * same words first, then sentence similarity and date proximity, best
 * pairs first, kg_store_event_score); an unmatched event starts a chain.
 * A chain is a milestone.  Its report fields (title, kind, status, window,
 * source...) are those of its newest observation; it is gone when the
 * newest edition of its plan is not among them.  A milestone that no
 * standing version mentions but an older version of an edition does is
 * gone, with that version's word; one no version mentions any more
 * (kigen unimport) is retired: kept, not listed.  Local edits (local_mask)
 * win over the report fields they cover; a report imported after the edit
 * that disagrees with it opens a conflict (kigen conflicts, kigen resolve).
 *
 * Since the replay depends only on the standing versions, any order of
 * imports converges to the same chains and states; an import replays only
 * from its own edition on (editions before it keep their stored chains:
 * the common case, a new newest edition, matches just itself).  Chains take
 * the milestone id their observations had (the smallest, first chain
 * first), or the id an identical event (same event key) had in any version
 * of the plan, or (adopt_superseded) the id of an orphan whose last word is
 * a replaced version of the chain's first edition, paired as editions are:
 * so a correction or a re-import keeps ids and UIDs, and a correction that
 * moves a date changes the milestone; only a chain with none gets a new id.
 *
 * Cost.  Everything is read in one read transaction, computed in memory,
 * and written in one short write transaction that only upgrades the read
 * (kg_store_import: parse and match outside the write lock); when another
 * connection wrote meanwhile, the whole is computed again under the lock.
 * Matching is bucketed by (measure, kind); identical words pair through a
 * hash; only what is left is scored, in full up to PAIR_LIMIT pairs per
 * bucket and otherwise against the NEAREST chains by date, and each
 * distinct sentence's bigrams are made once: linear in the events, not in
 * their pairs.
 */
#include "store.h"
#include "store_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A match needs at least this score (see kg_store_event_score). */
#define MATCH_THRESHOLD 0.3
/* Pairs of one bucket scored in full; beyond it, each event is scored
 * against its NEAREST chains by date only. */
#define PAIR_LIMIT 4096
#define NEAREST 16
/* A new version of an edition may make at most this share of the
 * edition's milestones (or measures) gone without --allow-shrink. */
#define SHRINK_PERCENT 20

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
	free(r->plan);
	memset(r, 0, sizeof(*r));
}

/* ---- the plan in memory ---- */

/* What one version said about one milestone. */
struct obs {
	struct kg_milestone m;  /* report fields; m.measure_id is a measure row id,
	                           or -(k + 1) for the k-th measure new with the
	                           incoming version */
	int64_t doc;            /* 0: the incoming version (no row yet) */
	int pos;
	int occurrence;         /* k-th event of its version with the same words */
	int64_t ms;             /* the milestone it was (stored, or by event key) */
	int64_t ms_stored;      /* observations.milestone_id as stored */
	uint64_t ekey;          /* kg_store_event_key with occurrence */
	uint64_t words;         /* the same without occurrence: same words */
	size_t ed;              /* edition index (standing ones only) */
	long chain;
	long bg;                /* index into plan.bg; -1 until needed */
	bool owned;             /* m's strings are ours */
	const unsigned char *digest; /* the incoming version's: its event digest */
};

/* What one version said about one measure. */
struct edm {
	struct kg_measure m;    /* m.id: the measure row (or placeholder) */
	int64_t doc;
	kg_day as_of;
	int64_t stood_at;
	long ed;                /* edition index, -1 when not standing */
	bool owned;
};

struct pdoc {
	int64_t id;
	char *name;
	kg_day as_of;
	int64_t stood_at;
	bool standing;          /* after this change */
	bool was_standing;      /* before it */
	bool removed;
};

struct edition {
	kg_day as_of;
	int64_t doc;
	int64_t stood_at;
	size_t first, n;        /* its observations in plan.obs */
};

struct chain {
	size_t first, last;     /* first and newest observation (indexes in obs) */
	int64_t id;             /* milestone id; 0 new */
	size_t ed;              /* edition of last */
	size_t bucket;
};

struct bucket {
	int64_t measure;
	int kind;
	long *chains;
	size_t n, cap;
};

/* A measure row of the plan (or one the incoming version brings). */
struct pmeasure {
	struct kg_measure row;  /* as stored; id < 0 for a new one */
	char *key;
	int occurrence;
	bool retired;
	int64_t written_id;     /* its id once written (new ones get one) */
	const struct edm *decide;   /* what the newest edition listing it says */
	bool written;           /* by this change, with decide's fields */
	struct kg_measure_listed listed;   /* then: its title and owners */
	char *owners;           /* listed.owners, ours */
};

struct plan {
	struct kg_store *st;
	struct kg_err *err;
	char *key;
	int64_t stand;          /* stood_at of the incoming version */
	struct pdoc *docs;
	size_t ndocs, capdocs;
	struct edition *eds;
	size_t neds, caped;
	struct obs *obs;        /* standing versions', edition by edition */
	size_t nobs, capobs;
	struct obs *old;        /* other versions' (not removed): orphans' last word */
	size_t nold, capold;
	struct edm *edms;
	size_t nedms, capedms;
	struct pmeasure *pm;
	size_t npm, cappm;
	struct chain *ch;
	size_t nch, capch;
	struct bucket *bk;
	size_t nbk, capbk;
	struct kg_u64map bucket_of;  /* (measure, kind) -> bucket */
	struct kg_u64map prior;      /* event key -> smallest milestone id, any version */
	struct kg_u64map sentence_bg;/* sentence hash -> bg index */
	struct kg_bigrams *bg;
	size_t nbg, capbg;
	struct kg_milestone_list rows;  /* the plan's milestones as stored, by id */
	int64_t *row_local_at;
	bool *row_retired;
	struct kg_u64map row_of;     /* milestone id -> rows index */
	struct kg_u64map pm_of;      /* measure id (placeholders too) -> pm index */
	int64_t incoming_doc;        /* the imported version (0: new, no row yet; -1 none) */
	int64_t resolve_id;          /* kigen resolve --take-report: that milestone */
};

/* Grows *v (n in use, *cap slots of sz) by one zeroed slot; NULL on ENOMEM. */
static void *
grow(void *pv, size_t *n, size_t *cap, size_t sz)
{
	void **v = pv;
	char *slot;

	if (kg_array_grow(v, cap, *n, sz) < 0)
		return NULL;
	slot = (char *)*v + (*n)++ * sz;
	memset(slot, 0, sz);
	return slot;
}

static void
obs_clear(struct obs *o)
{
	if (o->owned)
		kg_milestone_clear(&o->m);
}

static void
plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->ndocs; i++)
		free(p->docs[i].name);
	for (i = 0; i < p->nobs; i++)
		obs_clear(&p->obs[i]);
	for (i = 0; i < p->nold; i++)
		obs_clear(&p->old[i]);
	for (i = 0; i < p->nedms; i++)
		if (p->edms[i].owned)
			kg_measure_clear(&p->edms[i].m);
	for (i = 0; i < p->npm; i++) {
		kg_measure_clear(&p->pm[i].row);
		free(p->pm[i].key);
		free(p->pm[i].owners);
	}
	for (i = 0; i < p->nbk; i++)
		free(p->bk[i].chains);
	for (i = 0; i < p->nbg; i++)
		free(p->bg[i].v);
	free(p->docs);
	free(p->eds);
	free(p->obs);
	free(p->old);
	free(p->edms);
	free(p->pm);
	free(p->ch);
	free(p->bk);
	free(p->bg);
	free(p->row_local_at);
	free(p->row_retired);
	kg_u64map_clear(&p->bucket_of);
	kg_u64map_clear(&p->prior);
	kg_u64map_clear(&p->sentence_bg);
	kg_u64map_clear(&p->row_of);
	kg_u64map_clear(&p->pm_of);
	kg_milestone_list_clear(&p->rows);
	free(p->key);
	memset(p, 0, sizeof(*p));
}

static int
oom(struct plan *p)
{
	return kg_err_set(p->err, "out of memory");
}

/* ---- reading the plan ---- */

enum {
	DOC_ID, DOC_NAME, DOC_AS_OF, DOC_STOOD_AT, DOC_STANDING, DOC_REMOVED
};

static int
load_docs(struct plan *p)
{
	sqlite3_stmt *s = kg_store_stmt(p->st, KG_STMT_PLAN_DOCS, p->err);
	struct pdoc *d;
	bool failed = false;
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, p->key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((d = grow(&p->docs, &p->ndocs, &p->capdocs, sizeof(*d))) == NULL) {
			sqlite3_reset(s);
			return oom(p);
		}
		d->id = sqlite3_column_int64(s, DOC_ID);
		d->name = kg_col_text(s, DOC_NAME, &failed);
		d->as_of = kg_col_day(s, DOC_AS_OF);
		d->stood_at = sqlite3_column_int64(s, DOC_STOOD_AT);
		d->standing = d->was_standing = sqlite3_column_int(s, DOC_STANDING) != 0;
		d->removed = sqlite3_column_type(s, DOC_REMOVED) != SQLITE_NULL;
		if (failed) {
			sqlite3_reset(s);
			return oom(p);
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kg_store_fail(p->st, p->err, "reading documents");
}

static struct pdoc *
find_doc(struct plan *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->ndocs; i++)
		if (p->docs[i].id == id)
			return &p->docs[i];
	return NULL;
}

/*
 * Makes doc (a row of docs) the standing version of its edition and the
 * others of that edition not; doc NULL with as_of: the edition's standing
 * version is the one that stood last among those not removed (unimport).
 */
static void
stand(struct plan *p, struct pdoc *doc, kg_day as_of)
{
	struct pdoc *best = doc;
	size_t i;

	for (i = 0; i < p->ndocs; i++) {
		struct pdoc *d = &p->docs[i];

		if (d->as_of != as_of)
			continue;
		d->standing = false;
		if (doc == NULL && !d->removed && (best == NULL || d->stood_at > best->stood_at ||
		    (d->stood_at == best->stood_at && d->id > best->id)))
			best = d;
	}
	if (best != NULL)
		best->standing = true;
}

static int
cmp_edition(const void *a, const void *b)
{
	const struct edition *x = a, *y = b;

	if (x->as_of != y->as_of)
		return x->as_of < y->as_of ? -1 : 1;
	return 0;
}

/* The editions (standing versions) by as-of date; incoming: the incoming
 * version's edition uses doc 0 until written. */
static int
make_editions(struct plan *p)
{
	struct edition *e;
	size_t i;

	p->neds = 0;
	for (i = 0; i < p->ndocs; i++) {
		if (!p->docs[i].standing)
			continue;
		if ((e = grow(&p->eds, &p->neds, &p->caped, sizeof(*e))) == NULL)
			return oom(p);
		e->as_of = p->docs[i].as_of;
		e->doc = p->docs[i].id;
		e->stood_at = p->docs[i].stood_at;
	}
	if (p->neds > 1)
		qsort(p->eds, p->neds, sizeof(*p->eds), cmp_edition);
	return 0;
}

static long
edition_of_doc(const struct plan *p, int64_t doc)
{
	size_t i;

	for (i = 0; i < p->neds; i++)
		if (p->eds[i].doc == doc)
			return (long)i;
	return -1;
}

/* The first edition not older than as_of. */
static size_t
lower_edition(const struct plan *p, kg_day as_of)
{
	size_t i;

	for (i = 0; i < p->neds && p->eds[i].as_of < as_of; i++)
		;
	return i;
}

/* The report fields of an observations row (KG_OBS_SELECT). */
static int
obs_from_row(sqlite3_stmt *s, struct obs *o)
{
	bool failed = false;
	int k;

	memset(o, 0, sizeof(*o));
	o->owned = true;
	o->bg = -1;
	o->chain = -1;
	o->doc = sqlite3_column_int64(s, 0);
	o->pos = sqlite3_column_int(s, 1);
	o->m.measure_id = sqlite3_column_int64(s, 2);
	o->ms = o->ms_stored = sqlite3_column_int64(s, 3);
	o->ekey = (uint64_t)sqlite3_column_int64(s, 4);
	o->m.title = kg_col_text(s, 5, &failed);
	o->m.kind = (k = kg_kind_parse((const char *)sqlite3_column_text(s, 6))) < 0 ?
	    KG_KIND_OTHER : k;
	o->m.status = (k = kg_status_parse((const char *)sqlite3_column_text(s, 7))) < 0 ?
	    KG_STATUS_PLANNED : k;
	o->m.certainty = (k = kg_certainty_parse((const char *)sqlite3_column_text(s, 8))) < 0 ?
	    KG_CERT_NONE : k;
	o->m.window_start = kg_col_day(s, 9);
	o->m.window_end = kg_col_day(s, 10);
	o->m.precision = (k = kg_precision_parse((const char *)sqlite3_column_text(s, 11))) < 0 ?
	    KG_PREC_DAY : k;
	o->m.expr = kg_col_text(s, 12, &failed);
	o->m.sentence = kg_col_text(s, 13, &failed);
	o->m.line = sqlite3_column_int(s, 14);
	o->m.page = sqlite3_column_int(s, 15);
	o->m.uncertain = sqlite3_column_int(s, 16) != 0;
	o->m.uncertain_reason = kg_col_text(s, 17, &failed);
	o->m.document_id = o->doc;
	return failed ? -1 : 0;
}

/*
 * Every observation of the plan's versions that are not removed: the
 * standing ones' into obs (edition by edition, in position order), the
 * others' into old; and every version's event keys (removed ones too) into
 * prior.  skip: a version whose observations are replaced (0 none).
 */
static int
load_observations(struct plan *p, int64_t skip)
{
	sqlite3_stmt *s = kg_store_stmt(p->st, KG_STMT_PLAN_OBS, p->err);
	struct obs o, *slot;
	struct pdoc *d;
	int64_t have;
	long ed;
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, p->key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (obs_from_row(s, &o) < 0) {
			obs_clear(&o);
			goto nomem;
		}
		if (o.ms != 0 && (!kg_u64map_get(&p->prior, o.ekey, &have) || o.ms < have) &&
		    kg_u64map_put(&p->prior, o.ekey, o.ms) < 0) {
			obs_clear(&o);
			goto nomem;
		}
		d = find_doc(p, o.doc);
		if (d == NULL || d->removed || o.doc == skip) {
			obs_clear(&o);
			continue;
		}
		ed = d->standing ? edition_of_doc(p, o.doc) : -1;
		slot = ed >= 0 ? grow(&p->obs, &p->nobs, &p->capobs, sizeof(*slot)) :
		    grow(&p->old, &p->nold, &p->capold, sizeof(*slot));
		if (slot == NULL) {
			obs_clear(&o);
			goto nomem;
		}
		o.ed = ed >= 0 ? (size_t)ed : 0;
		*slot = o;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kg_store_fail(p->st, p->err, "reading observations");
nomem:
	sqlite3_reset(s);
	return oom(p);
}

static int
cmp_obs(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;

	if (x->ed != y->ed)
		return x->ed < y->ed ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Sorts obs edition by edition and records each edition's range. */
static void
index_editions(struct plan *p)
{
	size_t i;

	if (p->nobs > 1)
		qsort(p->obs, p->nobs, sizeof(*p->obs), cmp_obs);
	for (i = 0; i < p->neds; i++)
		p->eds[i].n = 0;
	for (i = p->nobs; i-- > 0;) {
		p->eds[p->obs[i].ed].first = i;
		p->eds[p->obs[i].ed].n++;
	}
}

static int
load_edms(struct plan *p, int64_t skip)
{
	sqlite3_stmt *s = kg_store_stmt(p->st, KG_STMT_PLAN_EDMS, p->err);
	struct edm *e;
	struct pdoc *d;
	bool failed = false;
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, p->key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		d = find_doc(p, sqlite3_column_int64(s, 0));
		if (d == NULL || d->removed || d->id == skip)
			continue;
		if ((e = grow(&p->edms, &p->nedms, &p->capedms, sizeof(*e))) == NULL)
			goto nomem;
		e->owned = true;
		e->doc = d->id;
		e->as_of = d->as_of;
		e->stood_at = d->stood_at;
		e->ed = d->standing ? edition_of_doc(p, d->id) : -1;
		e->m.document_id = d->id;
		e->m.position = sqlite3_column_int(s, 1) + 1;
		e->m.id = sqlite3_column_int64(s, 2);
		e->m.title = kg_col_text(s, 3, &failed);
		e->m.heading = kg_col_text(s, 4, &failed);
		e->m.subheading = kg_col_text(s, 5, &failed);
		e->m.progress = kg_col_text(s, 6, &failed);
		if (failed || kg_strv_split(&e->m.owners, (const char *)sqlite3_column_text(s, 7)) < 0 ||
		    kg_strv_split(&e->m.notes, (const char *)sqlite3_column_text(s, 8)) < 0)
			goto nomem;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kg_store_fail(p->st, p->err, "reading measures");
nomem:
	sqlite3_reset(s);
	return oom(p);
}

static int
load_measures(struct plan *p)
{
	sqlite3_stmt *s = kg_store_stmt(p->st, KG_STMT_PLAN_MEASURES, p->err);
	struct pmeasure *m;
	bool failed = false;
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, p->key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((m = grow(&p->pm, &p->npm, &p->cappm, sizeof(*m))) == NULL)
			goto nomem;
		if (kg_measure_from_row(p->st, s, &m->row, p->err) < 0) {
			sqlite3_reset(s);
			return -1;
		}
		m->key = kg_col_text(s, KG_MEASURE_NCOLS, &failed);
		m->occurrence = sqlite3_column_int(s, KG_MEASURE_NCOLS + 1);
		m->retired = sqlite3_column_int(s, KG_MEASURE_NCOLS + 2) != 0;
		if (failed || kg_u64map_put(&p->pm_of, (uint64_t)m->row.id, (int64_t)p->npm - 1) < 0)
			goto nomem;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kg_store_fail(p->st, p->err, "reading measures");
nomem:
	sqlite3_reset(s);
	return oom(p);
}

/* The plan's milestones as stored, by id, with local_at and retired. */
static int
load_rows(struct plan *p)
{
	sqlite3_stmt *s = kg_store_stmt(p->st, KG_STMT_PLAN_MS, p->err);
	struct kg_milestone *m;
	size_t cap = 0;
	int rc;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, p->key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((m = kg_milestone_list_add(&p->rows)) == NULL)
			goto nomem;
		if (kg_ms_from_row(s, m) < 0) {
			p->rows.n--;
			goto nomem;
		}
		if (p->rows.n > cap) {
			int64_t *la;
			bool *re;

			cap = p->rows.cap;
			la = realloc(p->row_local_at, cap * sizeof(*la));
			if (la != NULL)
				p->row_local_at = la;
			re = realloc(p->row_retired, cap * sizeof(*re));
			if (re != NULL)
				p->row_retired = re;
			if (la == NULL || re == NULL)
				goto nomem;
		}
		p->row_local_at[p->rows.n - 1] = sqlite3_column_int64(s, KG_MS_NCOLS);
		p->row_retired[p->rows.n - 1] = sqlite3_column_int(s, KG_MS_NCOLS + 1) != 0;
		if (kg_u64map_put(&p->row_of, (uint64_t)m->id, (int64_t)p->rows.n - 1) < 0)
			goto nomem;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kg_store_fail(p->st, p->err, "reading milestones");
nomem:
	sqlite3_reset(s);
	return oom(p);
}

/* The stored row of milestone id, or NULL. */
static struct kg_milestone *
row_of(struct plan *p, int64_t id, size_t *index)
{
	int64_t i;

	if (id == 0 || !kg_u64map_get(&p->row_of, (uint64_t)id, &i))
		return NULL;
	if (index != NULL)
		*index = (size_t)i;
	return &p->rows.v[i];
}

/* The measure row (pm) of measure id (a placeholder too), or NULL. */
static struct pmeasure *
pm_of(const struct plan *p, int64_t id)
{
	int64_t i;

	return id != 0 && kg_u64map_get(&p->pm_of, (uint64_t)id, &i) ? &p->pm[i] : NULL;
}

/* The title key of measure id (a placeholder too), "" when unknown. */
static const char *
measure_key_of(const struct plan *p, int64_t id)
{
	const struct pmeasure *pm = pm_of(p, id);

	return pm != NULL ? pm->key : "";
}

/* The words of o: its event key without occurrence (made when first needed
 * for an observation read from the database). */
static uint64_t
words_of(struct plan *p, struct obs *o)
{
	if (o->words == 0)
		o->words = kg_store_event_key(p->key, measure_key_of(p, o->m.measure_id),
		    kg_kind_name(o->m.kind), o->m.expr, o->m.sentence, 0);
	return o->words;
}

/* ---- replay: chains ---- */

static uint64_t
bucket_key(int64_t measure, int kind)
{
	return (uint64_t)measure * 64 + (uint64_t)kind + 1;
}

static long
bucket_of(struct plan *p, const struct obs *o, bool create)
{
	uint64_t key = bucket_key(o->m.measure_id, o->m.kind);
	struct bucket *b;
	int64_t i;

	if (kg_u64map_get(&p->bucket_of, key, &i))
		return (long)i;
	if (!create)
		return -1;
	if ((b = grow(&p->bk, &p->nbk, &p->capbk, sizeof(*b))) == NULL ||
	    kg_u64map_put(&p->bucket_of, key, (int64_t)p->nbk - 1) < 0)
		return oom(p);
	b->measure = o->m.measure_id;
	b->kind = o->m.kind;
	return (long)p->nbk - 1;
}

/* A new chain starting at observation i. */
static int
chain_new(struct plan *p, size_t i)
{
	struct chain *c;
	struct bucket *b;
	long bi = bucket_of(p, &p->obs[i], true);

	if (bi < 0 || (c = grow(&p->ch, &p->nch, &p->capch, sizeof(*c))) == NULL)
		return bi < 0 ? -1 : oom(p);
	c->first = c->last = i;
	c->ed = p->obs[i].ed;
	c->bucket = (size_t)bi;
	p->obs[i].chain = (long)p->nch - 1;
	b = &p->bk[bi];
	if (kg_array_grow((void **)&b->chains, &b->cap, b->n, sizeof(*b->chains)) < 0)
		return oom(p);
	b->chains[b->n++] = (long)p->nch - 1;
	return 0;
}

static void
chain_extend(struct plan *p, long c, size_t i)
{
	p->ch[c].last = i;
	p->ch[c].ed = p->obs[i].ed;
	p->obs[i].chain = c;
}

/* FNV-1a of s: the key a sentence's bigrams are cached under. */
static uint64_t
text_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; s != NULL && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The bigrams of observation o's sentence, made once per distinct sentence. */
static const struct kg_bigrams *
bigrams_of(struct plan *p, struct obs *o)
{
	uint64_t h;
	int64_t i;
	struct kg_bigrams *b;

	if (o->bg >= 0)
		return &p->bg[o->bg];
	h = text_hash(o->m.sentence);
	if (!kg_u64map_get(&p->sentence_bg, h, &i)) {
		if ((b = grow(&p->bg, &p->nbg, &p->capbg, sizeof(*b))) == NULL)
			return NULL;
		if (kg_bigrams_of(o->m.sentence, b) < 0 ||
		    kg_u64map_put(&p->sentence_bg, h, (int64_t)p->nbg - 1) < 0)
			return NULL;
		i = (int64_t)p->nbg - 1;
	}
	o->bg = (long)i;
	return &p->bg[i];
}

struct candidate {
	double score;
	size_t item;    /* index into pair_bucket's items */
	long target;    /* index into its targets */
};

static int
cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return (x->target > y->target) - (x->target < y->target);
}

/* Targets by the day they are anchored on (then by order): for NEAREST. */
struct anchored {
	kg_day day;
	long target;
};

static int
cmp_anchored(const void *a, const void *b)
{
	const struct anchored *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->target > y->target) - (x->target < y->target);
}

static kg_day
anchor_of(const struct kg_milestone *m)
{
	kg_day d = kg_anchor_day(m);

	return d == KG_DAY_NONE ? INT32_MAX : d;
}

static int
add_candidate(struct plan *p, struct candidate **c, size_t *n, size_t *cap, size_t item,
    struct obs *now, long target, struct obs *old)
{
	double score;

	/* both made first: making one may move the other */
	if (bigrams_of(p, old) == NULL || bigrams_of(p, now) == NULL)
		return oom(p);
	score = kg_store_match_score(&old->m, &p->bg[old->bg], &now->m, &p->bg[now->bg]);
	if (score < MATCH_THRESHOLD)
		return 0;
	if (kg_array_grow((void **)c, cap, *n, sizeof(**c)) < 0)
		return oom(p);
	(*c)[(*n)++] = (struct candidate){ score, item, target };
	return 0;
}

/*
 * Pairs the events items[0..ni) (observations of one bucket of one
 * edition, in position order) with the earlier words targets[0..nt) (each
 * a chain's newest observation, or a superseded version's): first the same
 * words (k-th with k-th), then by score, best first; all pairs of a small
 * bucket, else each event with the NEAREST targets by date.  pair[i]: the
 * target index of items[i], -1 for none.
 */
static int
pair_bucket(struct plan *p, const size_t *items, size_t ni, struct obs *const *targets,
    size_t nt, long *pair)
{
	struct candidate *c = NULL;
	struct anchored *by_day = NULL;
	struct kg_u64map words = {0};   /* words -> first target index */
	size_t n = 0, cap = 0, i, j, k, lo, hi, nli = 0, nlt = 0;
	size_t *li = NULL, *lt = NULL;  /* items and targets left for scoring */
	bool *taken = NULL;
	int64_t at;
	int rc = -1;

	for (i = 0; i < ni; i++)
		pair[i] = -1;
	taken = calloc(nt + 1, sizeof(*taken));
	li = malloc((ni + 1) * sizeof(*li));
	lt = malloc((nt + 1) * sizeof(*lt));
	if (taken == NULL || li == NULL || lt == NULL)
		goto nomem;
	/* The same words: the target that says exactly this. */
	for (j = nt; j-- > 0;)
		if (kg_u64map_put(&words, words_of(p, targets[j]), (int64_t)j) < 0)
			goto nomem;
	for (i = 0; i < ni; i++) {
		struct obs *o = &p->obs[items[i]];

		if (!kg_u64map_get(&words, words_of(p, o), &at))
			continue;
		for (j = (size_t)at; j < nt; j++)
			if (!taken[j] && targets[j]->words == o->words)
				break;
		if (j == nt)
			continue;
		taken[j] = true;
		pair[i] = (long)j;
	}
	/* The rest by score. */
	for (i = 0; i < ni; i++)
		if (pair[i] < 0)
			li[nli++] = i;
	for (j = 0; j < nt; j++)
		if (!taken[j])
			lt[nlt++] = j;
	if (nli == 0 || nlt == 0) {
		rc = 0;
		goto out;
	}
	if (nli * nlt <= PAIR_LIMIT) {
		for (i = 0; i < nli; i++)
			for (j = 0; j < nlt; j++)
				if (add_candidate(p, &c, &n, &cap, li[i], &p->obs[items[li[i]]],
				    (long)lt[j], targets[lt[j]]) < 0)
					goto out;
	} else {
		if ((by_day = malloc(nlt * sizeof(*by_day))) == NULL)
			goto nomem;
		for (j = 0; j < nlt; j++)
			by_day[j] = (struct anchored){ anchor_of(&targets[lt[j]]->m), (long)lt[j] };
		qsort(by_day, nlt, sizeof(*by_day), cmp_anchored);
		for (i = 0; i < nli; i++) {
			struct obs *o = &p->obs[items[li[i]]];
			kg_day d = anchor_of(&o->m);

			/* lo: first target not before d; widen towards the closer side */
			for (lo = 0, hi = nlt; lo < hi;) {
				size_t mid = (lo + hi) / 2;

				if (by_day[mid].day < d)
					lo = mid + 1;
				else
					hi = mid;
			}
			hi = lo;
			for (k = 0; k < NEAREST && (lo > 0 || hi < nlt); k++) {
				bool left = lo > 0 && (hi == nlt ||
				    (int64_t)d - by_day[lo - 1].day <= (int64_t)by_day[hi].day - d);
				long t = left ? by_day[--lo].target : by_day[hi++].target;

				if (add_candidate(p, &c, &n, &cap, li[i], o, t, targets[t]) < 0)
					goto out;
			}
		}
	}
	if (n > 1)
		qsort(c, n, sizeof(*c), cmp_candidate);
	for (i = 0; i < n; i++)
		if (pair[c[i].item] < 0 && !taken[c[i].target]) {
			pair[c[i].item] = c[i].target;
			taken[c[i].target] = true;
		}
	rc = 0;
	goto out;
nomem:
	oom(p);
out:
	free(c);
	free(by_day);
	free(taken);
	free(li);
	free(lt);
	kg_u64map_clear(&words);
	return rc;
}

static int
cmp_by_bucket(const void *a, const void *b, void *arg)
{
	const struct plan *p = arg;
	const size_t *x = a, *y = b;
	const struct obs *ox = &p->obs[*x], *oy = &p->obs[*y];

	if (ox->m.measure_id != oy->m.measure_id)
		return ox->m.measure_id < oy->m.measure_id ? -1 : 1;
	if (ox->m.kind != oy->m.kind)
		return ox->m.kind < oy->m.kind ? -1 : 1;
	return (*x > *y) - (*x < *y);
}

/* Matches edition e's events to the chains before it; the rest start chains. */
static int
match_edition(struct plan *p, size_t e)
{
	struct edition *ed = &p->eds[e];
	size_t *items = NULL, i, j, g, k, nbefore = p->nch;
	long *cands = NULL, *pair = NULL, bi;
	struct obs **targets = NULL;
	size_t nc, capc = 0, capt = 0;
	int rc = -1;

	if (ed->n == 0)
		return 0;
	items = malloc(ed->n * sizeof(*items));
	pair = malloc(ed->n * sizeof(*pair));
	if (items == NULL || pair == NULL)
		goto nomem;
	for (i = 0; i < ed->n; i++)
		items[i] = ed->first + i;
	qsort_r(items, ed->n, sizeof(*items), cmp_by_bucket, p);
	for (g = 0; g < ed->n; g = j) {
		for (j = g + 1; j < ed->n &&
		    p->obs[items[j]].m.measure_id == p->obs[items[g]].m.measure_id &&
		    p->obs[items[j]].m.kind == p->obs[items[g]].m.kind; j++)
			;
		nc = 0;
		if ((bi = bucket_of(p, &p->obs[items[g]], false)) >= 0) {
			struct bucket *b = &p->bk[bi];

			for (k = 0; k < b->n; k++) {
				if ((size_t)b->chains[k] >= nbefore)
					continue;
				if (kg_array_grow((void **)&cands, &capc, nc, sizeof(*cands)) < 0 ||
				    kg_array_grow((void **)&targets, &capt, nc, sizeof(*targets)) < 0)
					goto nomem;
				targets[nc] = &p->obs[p->ch[b->chains[k]].last];
				cands[nc++] = b->chains[k];
			}
		}
		if (nc == 0)
			continue;
		if (pair_bucket(p, items + g, j - g, targets, nc, pair) < 0)
			goto out;
		for (k = 0; k < j - g; k++)
			if (pair[k] >= 0)
				chain_extend(p, cands[pair[k]], items[g + k]);
	}
	for (i = 0; i < ed->n; i++)
		if (p->obs[ed->first + i].chain < 0 && chain_new(p, ed->first + i) < 0)
			goto out;
	rc = 0;
	goto out;
nomem:
	oom(p);
out:
	free(items);
	free(pair);
	free(cands);
	free(targets);
	return rc;
}

/*
 * The chains of the standing versions: editions before `from` as stored
 * (an observation continues the chain of its stored milestone), the others
 * matched again in as-of order.
 */
static int
replay(struct plan *p, size_t from)
{
	struct kg_u64map chain_of = {0};  /* stored milestone id -> chain */
	size_t e, i;
	int64_t c;
	int rc = -1;

	for (e = 0; e < from && e < p->neds; e++)
		for (i = p->eds[e].first; i < p->eds[e].first + p->eds[e].n; i++) {
			struct obs *o = &p->obs[i];

			if (o->ms != 0 && kg_u64map_get(&chain_of, (uint64_t)o->ms, &c) &&
			    p->ch[c].ed < e && bucket_of(p, o, false) == (long)p->ch[c].bucket) {
				chain_extend(p, (long)c, i);
				continue;
			}
			if (chain_new(p, i) < 0 ||
			    (o->ms != 0 && kg_u64map_put(&chain_of, (uint64_t)o->ms,
			    (int64_t)p->nch - 1) < 0))
				goto out;
		}
	for (; e < p->neds; e++)
		if (match_edition(p, e) < 0)
			goto out;
	rc = 0;
out:
	kg_u64map_clear(&chain_of);
	return rc;
}

struct claim {
	long chain;
	int64_t id;
};

static int
cmp_claim(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;

	if (x->chain != y->chain)
		return x->chain < y->chain ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Each chain takes the smallest milestone id one of its observations had
 * that no earlier chain took; 0 when none is left (a new milestone). */
static int
assign_ids(struct plan *p)
{
	struct claim *cl;
	struct kg_u64map taken = {0};
	size_t n = 0, i;

	if ((cl = malloc((p->nobs + 1) * sizeof(*cl))) == NULL)
		return oom(p);
	for (i = 0; i < p->nobs; i++)
		if (p->obs[i].ms != 0 && row_of(p, p->obs[i].ms, NULL) != NULL)
			cl[n++] = (struct claim){ p->obs[i].chain, p->obs[i].ms };
	if (n > 1)
		qsort(cl, n, sizeof(*cl), cmp_claim);
	for (i = 0; i < n; i++) {
		if (p->ch[cl[i].chain].id != 0 || kg_u64map_get(&taken, (uint64_t)cl[i].id, NULL))
			continue;
		if (kg_u64map_put(&taken, (uint64_t)cl[i].id, 1) < 0) {
			free(cl);
			kg_u64map_clear(&taken);
			return oom(p);
		}
		p->ch[cl[i].chain].id = cl[i].id;
	}
	free(cl);
	kg_u64map_clear(&taken);
	return 0;
}

/* ---- states ---- */

/* What a milestone becomes: borrowed fields (from its stored row and the
 * observation that decides it), and how that differs from before. */
struct state {
	struct kg_milestone m;      /* shallow */
	struct kg_milestone *row;   /* as stored, NULL for a new one */
	const struct obs *decide;   /* NULL: retired */
	long chain;                 /* -1: not in a standing version */
	bool retired;
	bool incoming;              /* the incoming version mentions it */
	bool substance;             /* a change calendars are told about */
	bool write;                 /* any stored field changes */
	enum kg_change_kind what;
	bool report;                /* an item: it changed, or the version mentions it */
	char *uid;                  /* a new one's (owned) */
};

/* m takes the report fields of o, except those local_mask keeps. */
static void
apply_report(struct kg_milestone *m, const struct obs *o, unsigned local_mask)
{
	const struct kg_milestone *r = &o->m;

	if (!(local_mask & KG_LOCAL_TITLE))
		m->title = r->title;
	if (!(local_mask & KG_LOCAL_KIND))
		m->kind = r->kind;
	if (!(local_mask & KG_LOCAL_STATUS)) {
		m->status = r->status;
		m->certainty = r->certainty;
	}
	if (!(local_mask & KG_LOCAL_WINDOW)) {
		m->window_start = r->window_start;
		m->window_end = r->window_end;
		m->precision = r->precision;
	}
	if (!(local_mask & KG_LOCAL_MEASURE))
		m->measure_id = r->measure_id;
	m->expr = r->expr;
	m->sentence = r->sentence;
	m->document_id = o->doc;
	m->line = r->line;
	m->page = r->page;
	m->uncertain = r->uncertain;
	m->uncertain_reason = r->uncertain_reason;
}

/* A change of these makes a new calendar version (SEQUENCE). */
static bool
substance_differs(const struct kg_milestone *a, const struct kg_milestone *b)
{
	return !kg_str_equal(a->title, b->title) || a->kind != b->kind || a->status != b->status ||
	    a->certainty != b->certainty || a->window_start != b->window_start ||
	    a->window_end != b->window_end || a->precision != b->precision ||
	    a->gone != b->gone || a->uncertain != b->uncertain;
}

static int64_t
stood_at_of(const struct plan *p, int64_t doc)
{
	size_t i;

	for (i = 0; i < p->ndocs; i++)
		if (p->docs[i].id == doc)
			return p->docs[i].stood_at;
	return 0;
}

/* Which of the local fields of s disagree with what its report says now. */
static unsigned
disagreement(const struct state *s)
{
	struct kg_milestone r = s->m;

	if (s->decide == NULL || s->m.local_mask == 0)
		return 0;
	apply_report(&r, s->decide, 0);
	return kg_ms_local_diff(&s->m, &r) & s->m.local_mask;
}

/* s->m from its row (or fresh) and its deciding observation. */
static void
settle(struct plan *p, struct state *s, size_t row_index)
{
	struct kg_milestone *row = s->row;

	if (row != NULL)
		s->m = *row;
	else {
		memset(&s->m, 0, sizeof(s->m));
		s->m.window_start = s->m.window_end = KG_DAY_NONE;
	}
	memset(&s->m.owners, 0, sizeof(s->m.owners));
	/* resolve --take-report: the fields the report disagrees on are its again */
	if (row != NULL && row->id == p->resolve_id)
		s->m.local_mask &= ~disagreement(s);
	if (s->decide != NULL)
		apply_report(&s->m, s->decide, s->m.local_mask);
	s->m.manual = s->m.local_mask != 0;
	s->m.gone = s->chain < 0 || p->ch[s->chain].ed + 1 != p->neds;
	/* a report imported after the local edit that disagrees with it */
	s->m.conflict = disagreement(s) != 0 && s->decide != NULL &&
	    stood_at_of(p, s->decide->doc) > (row != NULL ? p->row_local_at[row_index] : 0);
	if (s->m.status != KG_STATUS_DONE)
		s->m.completed_at = 0;
	else if (row == NULL || row->status != KG_STATUS_DONE)
		s->m.completed_at = 0;   /* done when the report says */
}

/* How s differs from its row; sets what, substance, write. */
static void
classify(struct plan *p, struct state *s, size_t row_index)
{
	const struct kg_milestone *row = s->row;
	bool was_retired = row != NULL && p->row_retired[row_index];

	if (row == NULL) {
		s->what = KG_CH_NEW;
		s->substance = s->write = s->report = true;
		return;
	}
	s->substance = substance_differs(row, &s->m) || was_retired != s->retired;
	s->write = s->substance || was_retired != s->retired || kg_ms_differs(row, &s->m) ||
	    row->conflict != s->m.conflict;
	if (s->retired && !was_retired)
		s->what = KG_CH_REMOVED;
	else if (s->m.conflict && !row->conflict)
		s->what = KG_CH_CONFLICT;
	else if (s->m.gone && !row->gone && !was_retired)
		s->what = KG_CH_GONE;
	else if (s->substance)
		s->what = KG_CH_CHANGED;
	else
		s->what = KG_CH_UNCHANGED;
	s->report = s->what != KG_CH_UNCHANGED || s->incoming;
}

struct states {
	struct state *v;
	size_t n;
	size_t *row_state;      /* rows index -> states index + 1, 0 none */
};

static void
states_free(struct states *ss)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		free(ss->v[i].uid);
	free(ss->v);
	free(ss->row_state);
	memset(ss, 0, sizeof(*ss));
}

/* Orphans' last word: the newest observation of each milestone among the
 * versions that do not stand (and are not removed), by as-of then stood_at. */
static int
last_words(struct plan *p, struct kg_u64map *best)
{
	size_t i;
	int64_t j;

	for (i = 0; i < p->nold; i++) {
		const struct obs *o = &p->old[i];
		const struct pdoc *d = find_doc(p, o->doc), *e;

		if (o->ms == 0 || d == NULL)
			continue;
		if (kg_u64map_get(best, (uint64_t)o->ms, &j)) {
			e = find_doc(p, p->old[j].doc);
			if (e != NULL && (e->as_of > d->as_of ||
			    (e->as_of == d->as_of && e->stood_at >= d->stood_at)))
				continue;
		}
		if (kg_u64map_put(best, (uint64_t)o->ms, (int64_t)i) < 0)
			return oom(p);
	}
	return 0;
}

/* One side of adopt_superseded's matching: a new chain's first event, or
 * an orphan's last word. */
struct adoptee {
	size_t ed;
	int64_t measure;
	int kind;
	bool target;
	size_t i;       /* the chain, or the index in old */
};

static int
cmp_adoptee(const void *a, const void *b)
{
	const struct adoptee *x = a, *y = b;

	if (x->ed != y->ed)
		return x->ed < y->ed ? -1 : 1;
	if (x->measure != y->measure)
		return x->measure < y->measure ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->target != y->target)
		return x->target ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * A correction (a new version of an edition) may say differently what the
 * version it supersedes said of an event: a moved date, a reworded
 * sentence.  A chain new in an edition takes the id of a milestone that no
 * chain has and whose last word is a superseded version of that same
 * edition, paired as editions are with each other (pair_bucket): that
 * milestone changes, rather than going while a new one comes.
 */
static int
adopt_superseded(struct plan *p)
{
	struct kg_u64map best = {0}, taken = {0};
	struct adoptee *v = NULL, *a;
	struct obs **targets = NULL;
	size_t n = 0, cap = 0, i, g, j, k, ni, *items = NULL;
	long *pair = NULL;
	int64_t at;
	int rc = -1;

	for (i = 0; i < p->nch && p->ch[i].id != 0; i++)
		;
	if (i == p->nch || p->nold == 0)
		return 0;
	if (last_words(p, &best) < 0)
		goto out;
	for (i = 0; i < p->nch; i++) {
		if (p->ch[i].id != 0) {
			if (kg_u64map_put(&taken, (uint64_t)p->ch[i].id, 1) < 0)
				goto nomem;
			continue;
		}
		if ((a = grow(&v, &n, &cap, sizeof(*a))) == NULL)
			goto nomem;
		*a = (struct adoptee){ p->obs[p->ch[i].first].ed,
		    p->obs[p->ch[i].first].m.measure_id, p->obs[p->ch[i].first].m.kind, false, i };
	}
	for (i = 0; i < p->nold; i++) {
		const struct obs *o = &p->old[i];
		const struct pdoc *d;

		if (o->ms == 0 || !kg_u64map_get(&best, (uint64_t)o->ms, &at) || (size_t)at != i ||
		    kg_u64map_get(&taken, (uint64_t)o->ms, NULL) || row_of(p, o->ms, NULL) == NULL ||
		    (d = find_doc(p, o->doc)) == NULL)
			continue;
		if ((k = lower_edition(p, d->as_of)) == p->neds || p->eds[k].as_of != d->as_of)
			continue;
		if ((a = grow(&v, &n, &cap, sizeof(*a))) == NULL)
			goto nomem;
		*a = (struct adoptee){ k, o->m.measure_id, o->m.kind, true, i };
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_adoptee);
	items = malloc((n + 1) * sizeof(*items));
	targets = malloc((n + 1) * sizeof(*targets));
	pair = malloc((n + 1) * sizeof(*pair));
	if (items == NULL || targets == NULL || pair == NULL)
		goto nomem;
	for (g = 0; g < n; g = j) {
		for (j = g + 1; j < n && v[j].ed == v[g].ed && v[j].measure == v[g].measure &&
		    v[j].kind == v[g].kind; j++)
			;
		for (ni = 0; g + ni < j && !v[g + ni].target; ni++)
			items[ni] = p->ch[v[g + ni].i].first;
		for (k = g + ni; k < j; k++)
			targets[k - g - ni] = &p->old[v[k].i];
		if (ni == 0 || ni == j - g)
			continue;
		if (pair_bucket(p, items, ni, targets, j - g - ni, pair) < 0)
			goto out;
		for (k = 0; k < ni; k++)
			if (pair[k] >= 0)
				p->ch[v[g + k].i].id = targets[pair[k]]->ms;
	}
	rc = 0;
	goto out;
nomem:
	oom(p);
out:
	free(v);
	free(items);
	free(targets);
	free(pair);
	kg_u64map_clear(&best);
	kg_u64map_clear(&taken);
	return rc;
}

static int
compute_states(struct plan *p, int64_t incoming, struct states *ss)
{
	struct kg_u64map best = {0};
	struct state *s;
	size_t i, ri = 0;
	int64_t j;
	int rc = -1;

	ss->v = calloc(p->nch + p->rows.n + 1, sizeof(*ss->v));
	ss->row_state = calloc(p->rows.n + 1, sizeof(*ss->row_state));
	if (ss->v == NULL || ss->row_state == NULL)
		return oom(p);
	for (i = 0; i < p->nobs; i++)
		if (p->obs[i].doc == incoming)
			ss->v[p->obs[i].chain].incoming = true;
	for (i = 0; i < p->nch; i++) {
		s = &ss->v[ss->n++];
		s->chain = (long)i;
		s->decide = &p->obs[p->ch[i].last];
		s->row = row_of(p, p->ch[i].id, &ri);
		if (s->row != NULL)
			ss->row_state[ri] = ss->n;
		settle(p, s, ri);
		classify(p, s, ri);
	}
	if (last_words(p, &best) < 0)
		goto out;
	for (ri = 0; ri < p->rows.n; ri++) {
		if (ss->row_state[ri])
			continue;
		s = &ss->v[ss->n++];
		ss->row_state[ri] = ss->n;
		s->chain = -1;
		s->row = &p->rows.v[ri];
		s->decide = kg_u64map_get(&best, (uint64_t)s->row->id, &j) ? &p->old[j] : NULL;
		s->retired = s->decide == NULL;
		settle(p, s, ri);
		classify(p, s, ri);
	}
	rc = 0;
out:
	kg_u64map_clear(&best);
	return rc;
}

/* ---- measures ---- */

/* a decides over b: a standing edition over none, a newer one over an
 * older; among versions that do not stand, the newest, then the one that
 * stood last. */
static bool
edm_newer(const struct edm *a, const struct edm *b)
{
	if (b == NULL)
		return true;
	if (a->ed >= 0 || b->ed >= 0)
		return a->ed > b->ed;
	return a->as_of > b->as_of || (a->as_of == b->as_of && a->stood_at > b->stood_at);
}

/* Each measure's deciding edm (pm.decide), in one pass over them. */
static void
measure_decisions(struct plan *p)
{
	struct pmeasure *pm;
	size_t i;

	for (i = 0; i < p->npm; i++)
		p->pm[i].decide = NULL;
	for (i = 0; i < p->nedms; i++)
		if ((pm = pm_of(p, p->edms[i].m.id)) != NULL && edm_newer(&p->edms[i], pm->decide))
			pm->decide = &p->edms[i];
}

/* True when measure row r must take the fields of e (NULL: retire it). */
static bool
measure_differs(const struct pmeasure *pm, const struct edm *e)
{
	const struct kg_measure *r = &pm->row, *m;

	if (e == NULL)
		return !pm->retired;
	m = &e->m;
	return pm->retired || r->id < 0 || !kg_str_equal(r->title, m->title) ||
	    !kg_str_equal(r->heading, m->heading) || !kg_str_equal(r->subheading, m->subheading) ||
	    !kg_str_equal(r->progress, m->progress) || r->document_id != e->doc ||
	    r->position != m->position || !kg_strv_equal(&r->owners, &m->owners) ||
	    !kg_strv_equal(&r->notes, &m->notes);
}

/* ---- the incoming version ---- */

/* What kg_store_import works out before touching the database. */
struct incoming {
	const struct kg_import *imp;
	char *plan;
	char **mkey;            /* per imported measure: title key */
	int *mocc;              /* per imported measure: k-th with that key */
	uint64_t *words, *ekey; /* per milestone */
	int *occurrence;
	unsigned char (*digest)[16];   /* per milestone: kg_store_event_digest */
	struct kg_sha256_ctx *prefix;  /* per measure, and one for none: kg_store_event_prefix */
};

static void
incoming_free(struct incoming *in, size_t nmeasures)
{
	size_t i;

	for (i = 0; in->mkey != NULL && i < nmeasures; i++)
		free(in->mkey[i]);
	free(in->mkey);
	free(in->mocc);
	free(in->words);
	free(in->ekey);
	free(in->occurrence);
	free(in->digest);
	free(in->prefix);
	free(in->plan);
	memset(in, 0, sizeof(*in));
}

static long
measure_index(const struct kg_import *imp, const struct kg_milestone *m)
{
	if (m->measure_id < 0 || (size_t)m->measure_id >= imp->measures.n)
		return -1;
	return (long)m->measure_id;
}

/* Plan and measure keys, each event's words and event key: hashing and
 * NFKC, done before any lock is taken. */
static int
incoming_prepare(struct incoming *in, const struct kg_import *imp, struct kg_err *err)
{
	const struct kg_measure_list *ml = &imp->measures;
	const struct kg_milestone_list *nl = &imp->milestones;
	struct kg_u64map seen = {0};
	size_t i;
	int64_t k;
	long mi;
	int rc = -1;

	in->imp = imp;
	if ((in->plan = kg_store_plan_key(imp->doc.title)) == NULL)
		return kg_err_set(err, "invalid document title '%s' (not UTF-8)", imp->doc.title);
	in->mkey = calloc(ml->n + 1, sizeof(*in->mkey));
	in->mocc = calloc(ml->n + 1, sizeof(*in->mocc));
	in->words = calloc(nl->n + 1, sizeof(*in->words));
	in->ekey = calloc(nl->n + 1, sizeof(*in->ekey));
	in->occurrence = calloc(nl->n + 1, sizeof(*in->occurrence));
	in->digest = calloc(nl->n + 1, sizeof(*in->digest));
	in->prefix = calloc(ml->n + 1, sizeof(*in->prefix));
	if (in->mkey == NULL || in->mocc == NULL || in->words == NULL || in->ekey == NULL ||
	    in->occurrence == NULL || in->digest == NULL || in->prefix == NULL)
		goto nomem;
	for (i = 0; i < ml->n; i++) {
		if (ml->v[i].title == NULL || (in->mkey[i] = kg_store_title_key(ml->v[i].title)) ==
		    NULL) {
			kg_err_set(err, "measure %zu has no valid title", i + 1);
			goto out;
		}
		/* the k-th measure of this document with that title */
		k = 0;
		kg_u64map_get(&seen, text_hash(in->mkey[i]), &k);
		in->mocc[i] = (int)k;
		if (kg_u64map_put(&seen, text_hash(in->mkey[i]), k + 1) < 0)
			goto nomem;
	}
	kg_u64map_clear(&seen);
	/* each measure's events hash on from where its key leaves off */
	kg_store_event_prefix(in->plan, "", &in->prefix[ml->n]);
	for (i = 0; i < ml->n; i++)
		kg_store_event_prefix(in->plan, in->mkey[i], &in->prefix[i]);
	for (i = 0; i < nl->n; i++) {
		const struct kg_milestone *m = &nl->v[i];
		const struct kg_sha256_ctx *prefix = &in->prefix[(mi = measure_index(imp, m)) < 0 ?
		    ml->n : (size_t)mi];

		/* one hash per event; a k-th identical one (k > 0) needs two */
		kg_store_event_digest_from(prefix, kg_kind_name(m->kind), m->expr, m->sentence, 0,
		    in->digest[i]);
		in->words[i] = kg_store_event_key_of(in->digest[i]);
		k = 0;
		kg_u64map_get(&seen, in->words[i], &k);
		in->occurrence[i] = (int)k;
		if (kg_u64map_put(&seen, in->words[i], k + 1) < 0)
			goto nomem;
		if (k > 0)
			kg_store_event_digest_from(prefix, kg_kind_name(m->kind), m->expr,
			    m->sentence, (int)k, in->digest[i]);
		in->ekey[i] = kg_store_event_key_of(in->digest[i]);
	}
	rc = 0;
	goto out;
nomem:
	kg_err_set(err, "out of memory");
out:
	kg_u64map_clear(&seen);
	return rc;
}

/* The key a measure is found under: its title key and k-th occurrence. */
static uint64_t
measure_identity(const char *key, int occurrence)
{
	return text_hash(key) * 31 + (uint64_t)occurrence + 1;
}

/* The measure rows the incoming measures are: (title key, k-th) of the
 * plan, or new rows (placeholder ids -1, -2, ...). */
static int
add_incoming_measures(struct plan *p, const struct incoming *in, int64_t *ids)
{
	const struct kg_measure_list *ml = &in->imp->measures;
	struct kg_u64map by_identity = {0};
	struct pmeasure *pm;
	struct edm *e;
	size_t i;
	int64_t next = -1, j;
	int rc = -1;

	for (i = 0; i < p->npm; i++)
		if (kg_u64map_put(&by_identity, measure_identity(p->pm[i].key, p->pm[i].occurrence),
		    (int64_t)i) < 0)
			goto nomem;
	for (i = 0; i < ml->n; i++) {
		ids[i] = 0;
		if (kg_u64map_get(&by_identity, measure_identity(in->mkey[i], in->mocc[i]), &j) &&
		    p->pm[j].occurrence == in->mocc[i] && strcmp(p->pm[j].key, in->mkey[i]) == 0)
			ids[i] = p->pm[j].row.id;
		if (ids[i] == 0) {
			if ((pm = grow(&p->pm, &p->npm, &p->cappm, sizeof(*pm))) == NULL ||
			    (pm->key = strdup(in->mkey[i])) == NULL ||
			    kg_u64map_put(&p->pm_of, (uint64_t)next, (int64_t)p->npm - 1) < 0)
				goto nomem;
			pm->row.id = ids[i] = next--;
			pm->occurrence = in->mocc[i];
		}
		if ((e = grow(&p->edms, &p->nedms, &p->capedms, sizeof(*e))) == NULL)
			goto nomem;
		e->m = ml->v[i];       /* shallow: strings belong to the import */
		e->m.id = ids[i];
		e->m.position = (int)i + 1;
		e->m.document_id = 0;
		e->doc = 0;
		e->as_of = in->imp->doc.as_of;
		e->stood_at = p->stand;
		e->ed = edition_of_doc(p, 0);
	}
	rc = 0;
	goto out;
nomem:
	oom(p);
out:
	kg_u64map_clear(&by_identity);
	return rc;
}

static int
add_incoming_obs(struct plan *p, const struct incoming *in, const int64_t *mids)
{
	const struct kg_milestone_list *nl = &in->imp->milestones;
	long ed = edition_of_doc(p, 0), mi;
	struct obs *o;
	size_t i;

	for (i = 0; i < nl->n; i++) {
		if ((o = grow(&p->obs, &p->nobs, &p->capobs, sizeof(*o))) == NULL)
			return oom(p);
		o->m = nl->v[i];       /* shallow */
		memset(&o->m.owners, 0, sizeof(o->m.owners));
		o->m.measure_id = (mi = measure_index(in->imp, &nl->v[i])) < 0 ? 0 : mids[mi];
		o->m.document_id = 0;
		o->doc = 0;
		o->pos = (int)i;
		o->occurrence = in->occurrence[i];
		o->words = in->words[i];
		o->ekey = in->ekey[i];
		o->digest = in->digest[i];
		kg_u64map_get(&p->prior, o->ekey, &o->ms);
		o->ed = (size_t)ed;
		o->chain = -1;
		o->bg = -1;
	}
	return 0;
}

/* ---- results ---- */

static struct kg_import_item *
add_item(struct plan *p, struct kg_import_result *out, enum kg_change_kind what)
{
	struct kg_import_item *it;

	if ((it = grow(&out->items, &out->n, &out->cap, sizeof(*it))) == NULL) {
		oom(p);
		return NULL;
	}
	it->what = what;
	return it;
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

#define ADD(...) do { if (len < sizeof(buf)) len += (size_t)snprintf(buf + len, \
	sizeof(buf) - len, __VA_ARGS__); } while (0)
	if (from->window_start != to->window_start || from->window_end != to->window_end) {
		format_window(w1, sizeof(w1), from);
		format_window(w2, sizeof(w2), to);
		ADD("window %s -> %s", w1, w2);
	}
	if (from->status != to->status)
		ADD("%sstatus %s -> %s", len ? "; " : "", kg_status_name(from->status),
		    kg_status_name(to->status));
	if (from->kind != to->kind)
		ADD("%skind %s -> %s", len ? "; " : "", kg_kind_name(from->kind),
		    kg_kind_name(to->kind));
	if (from->certainty != to->certainty)
		ADD("%scertainty %s -> %s", len ? "; " : "", kg_certainty_name(from->certainty),
		    kg_certainty_name(to->certainty));
	if (from->precision != to->precision)
		ADD("%sprecision %s -> %s", len ? "; " : "", kg_precision_name(from->precision),
		    kg_precision_name(to->precision));
	if (!kg_str_equal(from->title, to->title))
		ADD("%stitle changed", len ? "; " : "");
	if (from->uncertain != to->uncertain)
		ADD("%s%s", len ? "; " : "", to->uncertain ? "now uncertain" : "no longer uncertain");
	if (from->gone != to->gone)
		ADD("%s%s", len ? "; " : "", to->gone ? "no longer reported" : "reported again");
#undef ADD
	return len ? strdup(buf) : NULL;
}

/* The name of the newest edition's standing version (for "not in X"). */
static const char *
newest_name(struct plan *p)
{
	const struct pdoc *d = p->neds ? find_doc(p, p->eds[p->neds - 1].doc) : NULL;

	return d != NULL && d->name != NULL ? d->name : "the newest edition";
}

static char *
detail_of(struct plan *p, const struct state *s)
{
	struct kg_milestone r;
	char *change, *d = NULL;

	switch (s->what) {
	case KG_CH_CHANGED:
		return describe_change(s->row, &s->m);
	case KG_CH_GONE:
		if (asprintf(&d, "not in %s", newest_name(p)) < 0)
			return NULL;
		return d;
	case KG_CH_REMOVED:
		return strdup("no import mentions it any more");
	case KG_CH_CONFLICT:
		r = s->m;
		apply_report(&r, s->decide, 0);
		change = describe_change(&s->m, &r);
		if (asprintf(&d, "%s kept (report: %s)", s->m.status == KG_STATUS_CANCELLED &&
		    (s->m.local_mask & KG_LOCAL_STATUS) ? "cancelled" : "local edit",
		    change ? change : "differs") < 0)
			d = NULL;
		free(change);
		return d;
	default:
		return NULL;
	}
}

/* One item per milestone that changed or that the incoming version
 * mentions; owners and measure titles as stored. */
static int
make_items(struct plan *p, const struct states *ss, struct kg_import_result *out)
{
	struct kg_import_item *it;
	const struct state *s;
	struct kg_milestone after;
	size_t i;

	for (i = 0; i < ss->n; i++) {
		s = &ss->v[i];
		if (!s->report)
			continue;
		if ((it = add_item(p, out, s->what)) == NULL)
			return -1;
		after = s->m;
		if (s->row != NULL)
			after.owners = s->row->owners;
		if (s->row != NULL && kg_milestone_copy(&it->before, s->row) < 0)
			return oom(p);
		if (kg_milestone_copy(&it->after, &after) < 0)
			return oom(p);
		if (it->after.measure_id < 0)
			it->after.measure_id = 0;  /* a measure not written yet */
		if (s->what != KG_CH_UNCHANGED && s->what != KG_CH_NEW &&
		    (it->detail = detail_of(p, s)) == NULL &&
		    s->what != KG_CH_CHANGED)
			return oom(p);
	}
	return 0;
}

/* ---- writing ---- */

/* The real id of a measure id that may be a placeholder (new measure). */
static int64_t
measure_real_id(const struct plan *p, int64_t id)
{
	const struct pmeasure *pm;

	if (id >= 0)
		return id;
	return (pm = pm_of(p, id)) != NULL ? pm->written_id : 0;
}

/* Measure rows take the fields of the newest edition that lists them;
 * new ones are inserted (written_id), ones no version lists are retired. */
static int
write_measures(struct plan *p)
{
	struct kg_measure m;
	struct pmeasure *pm;
	const struct edm *e;
	size_t i;

	measure_decisions(p);
	for (i = 0; i < p->npm; i++) {
		pm = &p->pm[i];
		e = pm->decide;
		pm->written_id = pm->row.id;
		if (!measure_differs(pm, e))
			continue;
		if (e == NULL) {
			if (kg_store_measure_retire(p->st, pm->row.id, true, p->err) < 0)
				return -1;
			continue;
		}
		m = e->m;               /* shallow: measure_write only reads it */
		m.id = pm->row.id > 0 ? pm->row.id : 0;
		m.document_id = e->doc;
		if (kg_store_measure_write(p->st, &m, p->key, pm->occurrence, p->err) < 0)
			return -1;
		if (pm->row.id < 0 && kg_store_measure_continues(p->st, m.id, p->err) < 0)
			return -1;
		pm->written_id = m.id;
		if ((pm->owners = kg_strv_join(&e->m.owners)) == NULL && e->m.owners.n > 0)
			return oom(p);
		pm->listed.title = e->m.title;
		pm->listed.owners = pm->owners;
		pm->written = true;
		if (pm->retired && kg_store_measure_retire(p->st, m.id, false, p->err) < 0)
			return -1;
	}
	return 0;
}

/* The incoming version's document row; every doc 0 becomes its id. */
static int
write_document(struct plan *p, const struct kg_document *d, int64_t *id)
{
	sqlite3_stmt *s = kg_store_stmt(p->st, KG_STMT_DOC_INSERT, p->err);
	size_t i;

	if (s == NULL)
		return -1;
	kg_bind_text(s, 1, d->name);
	kg_bind_text(s, 2, d->sha256);
	kg_bind_text(s, 3, d->title);
	kg_bind_text(s, 4, p->key);
	kg_bind_day(s, 5, d->as_of);
	sqlite3_bind_int64(s, 6, kg_store_now());
	kg_bind_text(s, 7, d->summary_json);
	kg_bind_text(s, 8, d->url);
	kg_bind_text(s, 9, d->etag);
	kg_bind_text(s, 10, d->last_modified);
	if (kg_store_step_done(p->st, s, p->err, "recording document") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(kg_store_db(p->st));
	for (i = 0; i < p->ndocs; i++)
		if (p->docs[i].id == 0)
			p->docs[i].id = *id;
	for (i = 0; i < p->neds; i++)
		if (p->eds[i].doc == 0)
			p->eds[i].doc = *id;
	for (i = 0; i < p->nobs; i++)
		if (p->obs[i].doc == 0)
			p->obs[i].doc = p->obs[i].m.document_id = *id;
	for (i = 0; i < p->nedms; i++)
		if (p->edms[i].doc == 0)
			p->edms[i].doc = p->edms[i].m.document_id = *id;
	return 0;
}

/* standing / stood_at / removed_at of every version whose state moved. */
static int
write_standing(struct plan *p, int64_t touched, int64_t removed_at)
{
	size_t i;

	for (i = 0; i < p->ndocs; i++) {
		struct pdoc *d = &p->docs[i];

		if (d->standing == d->was_standing && d->id != touched)
			continue;
		if (kg_store_document_stand(p->st, d->id, d->standing, d->stood_at,
		    d->id == touched ? removed_at : -1, p->err) < 0)
			return -1;
	}
	return 0;
}

/* The uids given to new milestones in this change (a uid's hash, the next
 * key on a collision -> its state): their rows are written after all of
 * them are known. */
struct given {
	struct kg_u64map of;
	const struct states *ss;
};

static bool
given_has(const struct given *g, const char *uid)
{
	uint64_t k;
	int64_t j;

	for (k = text_hash(uid); kg_u64map_get(&g->of, k, &j); k++)
		if (strcmp(g->ss->v[j].uid, uid) == 0)
			return true;
	return false;
}

static int
given_add(struct given *g, size_t state)
{
	uint64_t k;

	for (k = text_hash(g->ss->v[state].uid); kg_u64map_get(&g->of, k, NULL); k++)
		;
	return kg_u64map_put(&g->of, k, (int64_t)state);
}

/* A new milestone row and its place in the table's key (due, id). */
struct fresh {
	int64_t due, id;
	size_t state;
	const struct kg_measure_listed *listed;  /* its measure's, when just written */
};

static int
cmp_fresh(const void *a, const void *b)
{
	const struct fresh *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The milestones table's own indexes (its uid constraint aside) while the
 * table is filled from empty: dropped before its rows go in and made again
 * from their statements after, in the same transaction.  SQLite makes an
 * index from a sort of the rows, far cheaper than as many inserts at
 * random places of it.
 */
struct rebuild {
	char **sql;
	size_t n, cap;
};

static void
rebuild_clear(struct rebuild *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->sql[i]);
	free(r->sql);
	memset(r, 0, sizeof(*r));
}

static int
indexes_drop(struct plan *p, struct rebuild *r)
{
	sqlite3_stmt *s = NULL;
	char *drop = NULL, **slot;
	bool failed = false;
	int step = SQLITE_ERROR;

	/* what makes them, and one statement that drops them all */
	if (sqlite3_prepare_v2(kg_store_db(p->st), "SELECT sql, format('DROP INDEX \"%w\";',"
	    " name) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'milestones'"
	    " AND sql IS NOT NULL ORDER BY rowid", -1, &s, NULL) == SQLITE_OK) {
		while (!failed && (step = sqlite3_step(s)) == SQLITE_ROW) {
			if ((slot = grow(&r->sql, &r->n, &r->cap, sizeof(*slot))) == NULL ||
			    (*slot = kg_col_text(s, 0, &failed)) == NULL)
				failed = true;
			else    /* %z: the string so far is freed, even on ENOMEM */
				failed = (drop = sqlite3_mprintf("%z%s", drop,
				    sqlite3_column_text(s, 1))) == NULL;
		}
	}
	sqlite3_finalize(s);
	if (failed)
		step = oom(p);
	else if (step != SQLITE_DONE)
		step = kg_store_fail(p->st, p->err, "reading indexes");
	else
		step = drop == NULL ? 0 : kg_store_exec(p->st, drop, p->err);
	sqlite3_free(drop);
	return step;
}

static int
indexes_make(struct plan *p, const struct rebuild *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (kg_store_exec(p->st, r->sql[i], p->err) < 0)
			return -1;
	return 0;
}

/* New milestone i's uid (from its first event; salted while taken) and
 * id; empty: the table had no row before the change, so that only the
 * change's own uids can be taken. */
static int
name_new(struct plan *p, struct states *ss, size_t i, int64_t id, bool empty,
    struct given *g)
{
	struct state *s = &ss->v[i];
	const struct obs *first = &p->obs[p->ch[s->chain].first];
	int salt, taken;

	for (salt = first->occurrence;; salt++) {
		free(s->uid);
		s->uid = first->digest != NULL && salt == first->occurrence ?
		    kg_store_event_uid_of(first->digest) :
		    kg_store_event_uid(p->key, measure_key_of(p, first->m.measure_id),
		    kg_kind_name(first->m.kind), first->m.expr, first->m.sentence, salt);
		if (s->uid == NULL)
			return oom(p);
		taken = given_has(g, s->uid);
		if (!taken && !empty && (taken = kg_store_uid_taken(p->st, s->uid, p->err)) < 0)
			return -1;
		if (!taken)
			break;
	}
	if (given_add(g, i) < 0)
		return oom(p);
	s->m.uid = s->uid;
	s->m.id = id;
	p->ch[s->chain].id = id;
	return 0;
}

/* 1 when the milestones table has no row, 0 when it has, -1 on error. */
static int
milestones_empty(struct plan *p)
{
	sqlite3_stmt *s = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(kg_store_db(p->st), "SELECT NOT EXISTS"
	    " (SELECT 1 FROM milestones)", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		rc = sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	return rc < 0 ? kg_store_fail(p->st, p->err, "reading milestones") : rc;
}

/* Inserts new milestones (in the order of the table's key, so that its
 * pages fill one after the other), rewrites changed ones (history under
 * reason, in the order of states), and records which milestone each
 * observation now is.  empty: the milestones table has no row yet. */
static int
write_milestones(struct plan *p, struct states *ss, const char *reason, int64_t doc,
    bool empty)
{
	struct given g = { .ss = ss };
	struct rebuild r = {0};
	struct fresh *fresh = NULL;
	struct pmeasure *pm;
	struct state *s;
	size_t i, nnew = 0, k = 0;
	int64_t next = 0, now = kg_store_now();
	int rc = -1;

	/* the new ones' ids in one go */
	for (i = 0; i < ss->n; i++)
		nnew += ss->v[i].row == NULL;
	if (nnew > 0 && kg_store_reserve_ids(p->st, nnew, &next, p->err) < 0)
		return -1;
	if (nnew > 0 && (fresh = calloc(nnew, sizeof(*fresh))) == NULL)
		return oom(p);

	/* the new ones named, then their rows in the table's key order */
	for (i = 0; i < ss->n; i++) {
		s = &ss->v[i];
		pm = pm_of(p, s->m.measure_id);
		s->m.measure_id = measure_real_id(p, s->m.measure_id);
		if (s->decide != NULL && s->m.document_id == 0)
			s->m.document_id = s->decide->doc;
		if (s->row != NULL)
			continue;
		if (name_new(p, ss, i, next++, empty, &g) < 0)
			goto out;
		fresh[k].due = kg_store_due_key(s->m.window_end);
		fresh[k].id = s->m.id;
		fresh[k].listed = pm != NULL && pm->written ? &pm->listed : NULL;
		fresh[k++].state = i;
	}
	if (nnew > 1)
		qsort(fresh, nnew, sizeof(*fresh), cmp_fresh);
	if (empty && nnew > 0 && indexes_drop(p, &r) < 0)
		goto out;
	for (k = 0; k < nnew; k++)
		if (kg_store_ms_insert_row(p->st, &ss->v[fresh[k].state].m, p->key, now,
		    fresh[k].listed, p->err) < 0)
			goto out;
	/* the indexes back before any row refers to a milestone (a change
	 * inside a caller's transaction checks foreign keys: the history's
	 * parent key is milestones_id) */
	if (indexes_make(p, &r) < 0)
		goto out;
	/* history, in the order of states: the same ids as row by row */
	if (empty && nnew > 0 && kg_store_ms_created_all(p->st, doc, reason, p->err) < 0)
		goto out;
	for (i = 0; i < ss->n && !empty; i++) {
		s = &ss->v[i];
		if (s->row == NULL ? kg_store_ms_created(p->st, &s->m, doc, reason, p->err) < 0 :
		    s->write && kg_store_ms_recompute(p->st, s->row, &s->m, s->retired,
		    s->substance, doc, reason, p->err) < 0)
			goto out;
	}
	for (i = 0; i < p->nobs; i++) {
		struct obs *o = &p->obs[i];
		int64_t id = p->ch[o->chain].id;

		o->m.measure_id = measure_real_id(p, o->m.measure_id);
		if (o->owned && id == o->ms_stored)
			continue;
		if (o->owned) {
			if (kg_store_observation_assign(p->st, o->doc, o->pos, id, p->err) < 0)
				goto out;
		} else if (kg_store_observation_add(p->st, o->doc, o->pos, id, o->ekey, &o->m,
		    p->err) < 0) {
			goto out;
		}
	}
	rc = 0;
out:
	rebuild_clear(&r);
	kg_u64map_clear(&g.of);
	free(fresh);
	return rc;
}

static int
write_incoming_measures(struct plan *p, int64_t doc)
{
	struct kg_measure m;
	size_t i;

	for (i = 0; i < p->nedms; i++) {
		if (p->edms[i].owned || p->edms[i].doc != doc)
			continue;
		m = p->edms[i].m;
		m.id = measure_real_id(p, m.id);
		if (kg_store_edition_measure_add(p->st, doc, m.position - 1, &m, p->err) < 0)
			return -1;
	}
	return 0;
}

/* ---- the shrink guard ---- */

/*
 * A new version of an edition that already had one standing may not make
 * more than SHRINK_PERCENT of that version's milestones or measures gone,
 * nor drop any while adding and changing nothing (a truncated copy):
 * -1 with the reason, unless allowed.
 */
static int
shrink_guard(struct plan *p, const struct states *ss, const char *name)
{
	const struct pdoc *old = NULL;
	struct kg_u64map now = {0};
	size_t i, total = 0, lost = 0, mtotal = 0, mlost = 0;
	bool adds = false;
	char as_of[KG_DATE_LEN];
	int rc = -1;

	for (i = 0; i < p->ndocs; i++)
		if (p->docs[i].was_standing && !p->docs[i].standing && !p->docs[i].removed)
			old = &p->docs[i];
	if (old == NULL)
		return 0;
	for (i = 0; i < ss->n; i++)
		adds |= ss->v[i].incoming && (ss->v[i].what == KG_CH_NEW ||
		    ss->v[i].what == KG_CH_CHANGED);
	for (i = 0; i < p->nobs; i++)
		if (p->obs[i].doc == p->incoming_doc &&
		    kg_u64map_put(&now, (uint64_t)p->ch[p->obs[i].chain].id + 1, 1) < 0)
			goto nomem;
	for (i = 0; i < p->nold; i++)
		if (p->old[i].doc == old->id && p->old[i].ms != 0) {
			total++;
			lost += !kg_u64map_get(&now, (uint64_t)p->old[i].ms + 1, NULL);
		}
	kg_u64map_clear(&now);
	for (i = 0; i < p->nedms; i++)
		if (p->edms[i].doc == p->incoming_doc &&
		    kg_u64map_put(&now, (uint64_t)p->edms[i].m.id, 1) < 0)
			goto nomem;
	for (i = 0; i < p->nedms; i++)
		if (p->edms[i].doc == old->id) {
			mtotal++;
			mlost += !kg_u64map_get(&now, (uint64_t)p->edms[i].m.id, NULL);
		}
	kg_date_format(old->as_of, as_of);
	if (lost * 100 > total * SHRINK_PERCENT || (lost > 0 && !adds))
		kg_err_set(p->err, "'%s' would make %zu of the %zu milestones of edition %s as of "
		    "%s gone (%s); nothing imported (--allow-shrink imports it)", name, lost, total,
		    p->key, as_of, adds ? "more than 20 %" : "it adds nothing: a truncated copy?");
	else if (mlost * 100 > mtotal * SHRINK_PERCENT)
		kg_err_set(p->err, "'%s' would make %zu of the %zu measures of edition %s as of %s "
		    "gone (more than 20 %%); nothing imported (--allow-shrink imports it)", name, mlost,
		    mtotal, p->key, as_of);
	else
		rc = 0;
	goto out;
nomem:
	oom(p);
out:
	kg_u64map_clear(&now);
	return rc;
}

/* ---- one change to a plan ---- */

enum change_kind { CH_IMPORT, CH_UNIMPORT, CH_RESOLVE };

struct change {
	enum change_kind kind;
	const struct incoming *in;      /* CH_IMPORT */
	const struct kg_import_opts *opts;
	int64_t doc;                    /* CH_UNIMPORT */
	int64_t milestone;              /* CH_RESOLVE */
	bool take_report;
};

/* Returned by run() when an optimistic attempt met another writer. */
#define RETRY 1

static bool
busy(struct kg_store *st)
{
	int code = sqlite3_extended_errcode(kg_store_db(st));

	return (code & 0xff) == SQLITE_BUSY;
}

/* The plan key and the row of document id (unimport), or of milestone id
 * (resolve); 0 found, -1 with the message. */
static int
plan_of(struct plan *p, const struct change *ch)
{
	struct kg_document d;
	struct kg_milestone m;
	char ref[24];
	int rc;

	snprintf(ref, sizeof(ref), "%lld", (long long)(ch->kind == CH_UNIMPORT ? ch->doc :
	    ch->milestone));
	if (ch->kind == CH_UNIMPORT) {
		if (kg_store_document_get(p->st, ref, &d, p->err) < 0)
			return kg_err_set(p->err, "no import '%s'", ref);
		rc = d.removed_at != 0 ? kg_err_set(p->err, "import %s (%s) was already removed",
		    ref, d.name) : 0;
		if (rc == 0 && (p->key = d.plan ? strdup(d.plan) : strdup("")) == NULL)
			rc = oom(p);
		kg_document_clear(&d);
		return rc;
	}
	if (kg_store_milestone_get(p->st, ref, &m, p->err) < 0)
		return -1;
	rc = !m.conflict ? kg_err_set(p->err, "milestone %s has no open conflict", ref) : 0;
	if (rc == 0 && (p->key = kg_store_ms_plan(p->st, m.id, p->err)) == NULL)
		rc = -1;
	kg_milestone_clear(&m);
	return rc;
}

static int
run(struct kg_store *st, const struct change *ch, bool optimistic,
    struct kg_import_result *out, struct kg_err *err)
{
	const struct kg_import *imp = ch->kind == CH_IMPORT ? ch->in->imp : NULL;
	struct plan p = { .st = st, .err = err, .incoming_doc = -1 };
	struct states ss = {0};
	struct kg_document known = {0};
	struct pdoc *d = NULL;
	int64_t *mids = NULL, doc = 0, now = kg_store_now();
	const char *reason_name = NULL;
	char *reason = NULL;
	bool outer = sqlite3_get_autocommit(kg_store_db(st)) != 0, dry, already = false;
	size_t from, i;
	int rc = -1, found = 0, empty;

	dry = ch->kind == CH_IMPORT ? ch->opts->dry_run : ch->opts != NULL && ch->opts->dry_run;
	if (kg_store_exec(st, !outer ? "SAVEPOINT kg_change" : optimistic ? "BEGIN" :
	    "BEGIN IMMEDIATE", err) < 0)
		return -1;
	/* which plan, and which versions stand after the change */
	if (ch->kind == CH_IMPORT) {
		if ((p.key = strdup(ch->in->plan)) == NULL) {
			oom(&p);
			goto out;
		}
	} else if (plan_of(&p, ch) < 0) {
		goto out;
	}
	if (load_docs(&p) < 0 || kg_store_meta_int(st, "last_stand", &p.stand, err) < 0)
		goto out;
	if (ch->kind == CH_IMPORT) {
		p.stand++;
		if ((found = kg_store_document_by_sha(st, imp->doc.sha256, &known, err)) < 0)
			goto out;
		if (found && (d = find_doc(&p, known.id)) == NULL) {
			kg_err_set(err, "'%s' was imported before as document %lld of another plan "
			    "('%s')", imp->doc.name, (long long)known.id, known.plan ? known.plan : "");
			goto out;
		}
		if (found) {
			already = d->was_standing && !d->removed;
			out->restood = !already;
		} else if ((d = grow(&p.docs, &p.ndocs, &p.capdocs, sizeof(*d))) == NULL) {
			oom(&p);
			goto out;
		} else if ((d->name = strdup(imp->doc.name)) == NULL) {
			oom(&p);
			goto out;
		} else {
			d->as_of = imp->doc.as_of;
		}
		d->removed = false;
		d->stood_at = p.stand;
		p.incoming_doc = d->id;
		reason_name = d->name;
		stand(&p, d, d->as_of);
	} else if (ch->kind == CH_UNIMPORT) {
		if ((d = find_doc(&p, ch->doc)) == NULL) {
			kg_err_set(err, "no import '%lld'", (long long)ch->doc);
			goto out;
		}
		d->removed = true;
		reason_name = d->name;
		stand(&p, NULL, d->as_of);
	}
	if (make_editions(&p) < 0 || load_observations(&p, 0) < 0 || load_measures(&p) < 0 ||
	    load_edms(&p, 0) < 0)
		goto out;
	if (ch->kind == CH_IMPORT && p.incoming_doc == 0) {
		if ((mids = calloc(imp->measures.n + 1, sizeof(*mids))) == NULL) {
			oom(&p);
			goto out;
		}
		if (add_incoming_measures(&p, ch->in, mids) < 0 || add_incoming_obs(&p, ch->in,
		    mids) < 0)
			goto out;
		for (i = 0; i < imp->measures.n; i++)
			if (mids[i] < 0)
				out->measures_new++;
			else
				out->measures_matched++;
	}
	index_editions(&p);
	if (load_rows(&p) < 0)
		goto out;
	if (ch->kind == CH_IMPORT)
		from = already ? p.neds : (size_t)edition_of_doc(&p, p.incoming_doc);
	else if (ch->kind == CH_UNIMPORT)
		from = lower_edition(&p, d->as_of);
	else
		from = p.neds;
	if (ch->kind == CH_RESOLVE)
		p.resolve_id = ch->milestone;
	if (replay(&p, from) < 0 || assign_ids(&p) < 0 || adopt_superseded(&p) < 0 ||
	    compute_states(&p, p.incoming_doc, &ss) < 0)
		goto out;
	if (ch->kind == CH_IMPORT && !already && !ch->opts->allow_shrink &&
	    shrink_guard(&p, &ss, imp->doc.name) < 0)
		goto out;
	if (dry) {
		rc = make_items(&p, &ss, out);
		goto out;           /* rolled back below */
	}
	if (asprintf(&reason, "%s %s", ch->kind == CH_IMPORT ? "import" :
	    ch->kind == CH_UNIMPORT ? "unimport" : "resolve", reason_name ? reason_name :
	    "--take-report") < 0) {
		reason = NULL;
		oom(&p);
		goto out;
	}
	if (ch->kind == CH_IMPORT) {
		if (p.incoming_doc == 0 && write_document(&p, &imp->doc, &doc) < 0)
			goto out;
		if (p.incoming_doc != 0) {
			doc = p.incoming_doc;
			/* imported again: its import time is now's */
			if (kg_store_document_imported(st, doc, now, err) < 0)
				goto out;
		}
		p.incoming_doc = doc;
		if (kg_store_meta_set(st, "last_stand", p.stand, err) < 0)
			goto out;
	} else if (ch->kind == CH_UNIMPORT) {
		doc = ch->doc;
	}
	if (write_standing(&p, doc, ch->kind == CH_UNIMPORT ? now : 0) < 0 ||
	    write_measures(&p) < 0 || (empty = milestones_empty(&p)) < 0 ||
	    write_milestones(&p, &ss, reason, ch->kind == CH_RESOLVE ? 0 : doc, empty) < 0)
		goto out;
	if (ch->kind == CH_IMPORT && !found && write_incoming_measures(&p, doc) < 0)
		goto out;
	if (make_items(&p, &ss, out) < 0)
		goto out;
	if (ch->kind == CH_IMPORT && kg_store_document_counts(st, doc, out, err) < 0)
		goto out;
	if (kg_store_cancel_reminders(st, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc == 0 && !dry) {
		if (outer)
			rc = kg_store_commit(st, err);
		else
			rc = kg_store_exec(st, "RELEASE kg_change", err);
	}
	if (rc < 0 && optimistic && outer && busy(st))
		rc = RETRY;
	if (rc != 0 || dry) {
		if (outer)
			kg_store_rollback(st);
		else
			sqlite3_exec(kg_store_db(st), "ROLLBACK TO kg_change; RELEASE kg_change",
			    NULL, NULL, NULL);
	}
	if (rc == 0) {
		out->document_id = dry ? 0 : doc;
		out->already_imported = already;
		out->plan = p.key;
		p.key = NULL;
	}
	free(reason);
	free(mids);
	kg_document_clear(&known);
	states_free(&ss);
	plan_free(&p);
	return rc;
}

/* ---- the public functions ---- */

const char *
kg_change_name(enum kg_change_kind k)
{
	static const char *const names[KG_CH_COUNT] = {
		"new", "changed", "unchanged", "gone", "conflict", "removed",
	};

	return (unsigned)k < KG_CH_COUNT ? names[k] : "?";
}

/* Open conflicts after a change (the import summary says how many). */
static int
count_conflicts(struct kg_store *st, size_t *out, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_CONFLICT_COUNT, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : kg_store_fail(st, err, "counting conflicts");
}

/*
 * The first import into a database this process has just created: true
 * when its journal could be made a rollback journal for the change.  Its
 * pages are then written once, into the file (the journal keeps only the
 * few pages of the empty schema), instead of once into the WAL and again
 * at the checkpoint: 110 MB twice at 100,000 milestones, and each page
 * read looked up in the WAL index.  The change stays one transaction, and
 * a crash leaves the hot journal that undoes it.  Anyone else who opened
 * the file meanwhile keeps it in WAL mode (the switch is refused), and so
 * does a dry run.  journal_wal switches back after the change.
 */
static bool
journal_rollback(struct kg_store *st, const struct change *ch)
{
	sqlite3 *db = kg_store_db(st);
	sqlite3_stmt *s = NULL;
	bool empty = false;

	if (ch->kind != CH_IMPORT || ch->opts->dry_run || !kg_store_created(st) ||
	    !sqlite3_get_autocommit(db))
		return false;
	if (sqlite3_prepare_v2(db, "SELECT NOT EXISTS (SELECT 1 FROM documents)", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		empty = sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	return empty && sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) == SQLITE_OK;
}

/* Back to WAL after journal_rollback, and a read, which makes the -wal and
 * -shm files every database keeps (kg_store_open: SQLITE_FCNTL_PERSIST_WAL).
 * Should it fail, the next kg_store_open sets WAL again. */
static void
journal_wal(struct kg_store *st)
{
	sqlite3_exec(kg_store_db(st), "PRAGMA journal_mode = WAL; SELECT 1 FROM meta LIMIT 1",
	    NULL, NULL, NULL);
}

/* A change in a read transaction upgraded to write, and again under the
 * write lock when another connection wrote in between. */
static int
change_plan(struct kg_store *st, const struct change *ch, struct kg_import_result *out,
    struct kg_err *err)
{
	bool rollback;
	int rc;

	memset(out, 0, sizeof(*out));
	rollback = journal_rollback(st, ch);
	/* A big plan touches many pages of several indexes at once: a page cache
	 * of 64 MiB for the change (the default 2 MiB makes it read them again
	 * and again), back to the default afterwards. */
	sqlite3_exec(kg_store_db(st), "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	/* A change deletes no row and writes only ids it has read or written
	 * in its own transaction (documents, measures, milestones of the plan):
	 * its foreign keys are not looked up (a probe of each parent per row
	 * written, 7 % of an import's instructions), and are again after it.
	 * tests/integration/021-cli-editions.sh checks them after each change. */
	sqlite3_exec(kg_store_db(st), "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	if ((rc = run(st, ch, true, out, err)) == RETRY) {
		kg_import_result_clear(out);
		rc = run(st, ch, false, out, err);
	}
	if (rc == 0)
		rc = count_conflicts(st, &out->conflicts_open, err);
	sqlite3_exec(kg_store_db(st), "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	sqlite3_exec(kg_store_db(st), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rollback)
		journal_wal(st);
	if (rc != 0)
		kg_import_result_clear(out);
	return rc == 0 ? 0 : -1;
}

int
kg_store_import(struct kg_store *st, const struct kg_import *imp,
    const struct kg_import_opts *o, struct kg_import_result *out, struct kg_err *err)
{
	static const struct kg_import_opts defaults = {0};
	struct incoming in = {0};
	struct change ch = { .kind = CH_IMPORT, .in = &in, .opts = o ? o : &defaults };
	int rc;

	memset(out, 0, sizeof(*out));
	if (imp->doc.sha256 == NULL || imp->doc.name == NULL)
		return kg_err_set(err, "import has no document name or sha256");
	if (imp->doc.as_of == KG_DAY_NONE)
		return kg_err_set(err, "import '%s' has no as-of date", imp->doc.name);
	rc = incoming_prepare(&in, imp, err);
	if (rc == 0)
		rc = change_plan(st, &ch, out, err);
	incoming_free(&in, imp->measures.n);
	return rc;
}

int
kg_store_unimport(struct kg_store *st, int64_t document_id, bool dry_run,
    struct kg_import_result *out, struct kg_err *err)
{
	struct kg_import_opts o = { .dry_run = dry_run };
	struct change ch = { .kind = CH_UNIMPORT, .doc = document_id, .opts = &o };

	return change_plan(st, &ch, out, err);
}

int
kg_store_resolve(struct kg_store *st, int64_t id, bool keep_local, struct kg_err *err)
{
	struct change ch = { .kind = CH_RESOLVE, .milestone = id, .take_report = !keep_local };
	struct kg_import_result r;
	struct kg_milestone m;
	char ref[24];
	int64_t stand;
	bool outer;
	int rc;

	if (!keep_local) {
		rc = change_plan(st, &ch, &r, err);
		kg_import_result_clear(&r);
		return rc;
	}
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	if (kg_store_unit_begin(st, &outer, err) < 0)
		return -1;
	rc = kg_store_milestone_get(st, ref, &m, err);
	if (rc == 0 && !m.conflict)
		rc = kg_err_set(err, "milestone %s has no open conflict", ref);
	if (rc == 0)
		rc = kg_store_meta_int(st, "last_stand", &stand, err);
	if (rc == 0)
		rc = kg_store_keep_local(st, id, stand, err);
	kg_milestone_clear(&m);
	return kg_store_unit_end(st, outer, rc, err);
}

void
kg_conflict_list_clear(struct kg_conflict_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		kg_milestone_clear(&l->v[i].local);
		kg_milestone_clear(&l->v[i].report);
		free(l->v[i].document);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The report side of conflict c: what its deciding version says. */
static int
conflict_report(struct kg_store *st, struct kg_conflict *c, struct kg_err *err)
{
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_OBS_DECIDING, err);
	struct kg_milestone *r = &c->report;
	bool failed = false;
	int rc, k;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->local.id);
	sqlite3_bind_int64(s, 2, c->local.document_id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : kg_store_fail(st, err, "reading conflicts");
	}
	if (kg_milestone_copy(r, &c->local) < 0) {
		sqlite3_reset(s);
		return kg_err_set(err, "out of memory");
	}
	free(r->title);
	r->title = kg_col_text(s, 0, &failed);
	r->kind = (k = kg_kind_parse((const char *)sqlite3_column_text(s, 1))) < 0 ?
	    KG_KIND_OTHER : k;
	r->status = (k = kg_status_parse((const char *)sqlite3_column_text(s, 2))) < 0 ?
	    KG_STATUS_PLANNED : k;
	r->certainty = (k = kg_certainty_parse((const char *)sqlite3_column_text(s, 3))) < 0 ?
	    KG_CERT_NONE : k;
	r->window_start = kg_col_day(s, 4);
	r->window_end = kg_col_day(s, 5);
	r->precision = (k = kg_precision_parse((const char *)sqlite3_column_text(s, 6))) < 0 ?
	    KG_PREC_DAY : k;
	r->measure_id = sqlite3_column_int64(s, 7);
	c->document = kg_col_text(s, 8, &failed);
	c->as_of = kg_col_day(s, 9);
	sqlite3_reset(s);
	if (failed)
		return kg_err_set(err, "out of memory");
	c->fields = kg_ms_local_diff(&c->local, r) & c->local.local_mask;
	return 0;
}

int
kg_store_conflicts(struct kg_store *st, struct kg_conflict_list *out, struct kg_err *err)
{
	struct kg_milestone_list l = {0};
	struct kg_conflict *c;
	sqlite3_stmt *s = kg_store_stmt(st, KG_STMT_CONFLICTS, err);
	size_t i;
	int rc = -1, step;

	if (s == NULL)
		return -1;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct kg_milestone *m = kg_milestone_list_add(&l);

		if (m == NULL || kg_ms_from_row(s, m) < 0) {
			if (m != NULL)
				l.n--;
			sqlite3_reset(s);
			kg_err_set(err, "out of memory");
			goto out;
		}
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE) {
		kg_store_fail(st, err, "reading conflicts");
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		if ((c = grow(&out->v, &out->n, &out->cap, sizeof(*c))) == NULL) {
			kg_err_set(err, "out of memory");
			goto out;
		}
		c->local = l.v[i];
		memset(&l.v[i], 0, sizeof(l.v[i]));
		if (conflict_report(st, c, err) < 0)
			goto out;
	}
	rc = 0;
out:
	kg_milestone_list_clear(&l);
	if (rc < 0)
		kg_conflict_list_clear(out);
	return rc;
}
