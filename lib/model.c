/* model — see model.h.  Name tables and the owning containers. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[KG_STATUS_COUNT] = {
	"planned", "ongoing", "done", "cancelled",
};
static const char *const certainty_names[KG_CERT_COUNT] = {
	"none", "planned", "expected", "target",
};
static const char *const precision_names[KG_PREC_COUNT] = {
	"day", "dekad", "month", "month_end", "quarter", "half_year", "season",
	"year", "year_end", "fiscal_year", "fiscal_year_end", "range", "open_start",
};
static const char *const kind_names[KG_KIND_COUNT] = {
	"meeting", "publication", "report", "exercise", "operation_start",
	"revision", "survey", "launch", "completion", "decision", "campaign",
	"establishment", "kpi_target", "other",
};

static const char *
name_of(const char *const *names, int count, int v)
{
	return v >= 0 && v < count ? names[v] : "unknown";
}

static int
parse_name(const char *const *names, int count, const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *kg_status_name(enum kg_status s) { return name_of(status_names, KG_STATUS_COUNT, (int)s); }
int kg_status_parse(const char *n) { return parse_name(status_names, KG_STATUS_COUNT, n); }
const char *kg_certainty_name(enum kg_certainty c) { return name_of(certainty_names, KG_CERT_COUNT, (int)c); }
int kg_certainty_parse(const char *n) { return parse_name(certainty_names, KG_CERT_COUNT, n); }
const char *kg_precision_name(enum kg_precision p) { return name_of(precision_names, KG_PREC_COUNT, (int)p); }
int kg_precision_parse(const char *n) { return parse_name(precision_names, KG_PREC_COUNT, n); }
const char *kg_kind_name(enum kg_kind k) { return name_of(kind_names, KG_KIND_COUNT, (int)k); }
int kg_kind_parse(const char *n) { return parse_name(kind_names, KG_KIND_COUNT, n); }

const char *
kg_local_field_name(unsigned bit)
{
	switch (bit) {
	case KG_LOCAL_TITLE: return "title";
	case KG_LOCAL_KIND: return "kind";
	case KG_LOCAL_STATUS: return "status";
	case KG_LOCAL_WINDOW: return "window";
	case KG_LOCAL_MEASURE: return "measure";
	default: return NULL;
	}
}

int
kg_array_grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	nv = realloc(*v, ncap * sz);
	if (nv == NULL)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

int
kg_strv_push(struct kg_strv *sv, const char *s, size_t len)
{
	char *copy;

	if (len == (size_t)-1)
		len = strlen(s);
	if (kg_array_grow((void **)&sv->v, &sv->cap, sv->n, sizeof(*sv->v)) < 0)
		return -1;
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	sv->v[sv->n++] = copy;
	return 0;
}

void
kg_strv_clear(struct kg_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

bool
kg_strv_contains_n(const struct kg_strv *sv, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strlen(sv->v[i]) == len && memcmp(sv->v[i], s, len) == 0)
			return true;
	return false;
}

bool
kg_strv_contains(const struct kg_strv *sv, const char *s)
{
	return kg_strv_contains_n(sv, s, strlen(s));
}

bool
kg_strv_equal(const struct kg_strv *a, const struct kg_strv *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

bool
kg_str_equal(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int
kg_strv_copy(struct kg_strv *dst, const struct kg_strv *src)
{
	size_t i;

	kg_strv_clear(dst);
	for (i = 0; i < src->n; i++)
		if (kg_strv_push(dst, src->v[i], (size_t)-1) < 0)
			return -1;
	return 0;
}

void
kg_document_clear(struct kg_document *d)
{
	free(d->name);
	free(d->sha256);
	free(d->title);
	free(d->summary_json);
	free(d->url);
	free(d->etag);
	free(d->last_modified);
	free(d->plan);
	memset(d, 0, sizeof(*d));
}

void
kg_measure_clear(struct kg_measure *m)
{
	free(m->heading);
	free(m->subheading);
	free(m->title);
	free(m->progress);
	free(m->plan);
	kg_strv_clear(&m->owners);
	kg_strv_clear(&m->notes);
	memset(m, 0, sizeof(*m));
}

void
kg_milestone_clear(struct kg_milestone *m)
{
	free(m->uid);
	free(m->title);
	free(m->expr);
	free(m->sentence);
	free(m->measure_title);
	free(m->uncertain_reason);
	kg_strv_clear(&m->owners);
	memset(m, 0, sizeof(*m));
}

/* strdup that keeps NULL; sets *failed on ENOMEM. */
static char *
dup_or_null(const char *s, bool *failed)
{
	char *c;

	if (s == NULL)
		return NULL;
	if ((c = strdup(s)) == NULL)
		*failed = true;
	return c;
}

int
kg_milestone_copy(struct kg_milestone *dst, const struct kg_milestone *src)
{
	bool failed = false;
	size_t i;

	*dst = *src;
	memset(&dst->owners, 0, sizeof(dst->owners));
	dst->uid = dup_or_null(src->uid, &failed);
	dst->title = dup_or_null(src->title, &failed);
	dst->expr = dup_or_null(src->expr, &failed);
	dst->sentence = dup_or_null(src->sentence, &failed);
	dst->measure_title = dup_or_null(src->measure_title, &failed);
	dst->uncertain_reason = dup_or_null(src->uncertain_reason, &failed);
	for (i = 0; i < src->owners.n && !failed; i++)
		if (kg_strv_push(&dst->owners, src->owners.v[i], (size_t)-1) < 0)
			failed = true;
	if (failed) {
		kg_milestone_clear(dst);
		return -1;
	}
	return 0;
}

struct kg_milestone *
kg_milestone_list_add(struct kg_milestone_list *l)
{
	struct kg_milestone *m;

	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return NULL;
	m = &l->v[l->n++];
	memset(m, 0, sizeof(*m));
	m->window_start = m->window_end = KG_DAY_NONE;
	return m;
}

void
kg_milestone_list_clear(struct kg_milestone_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		kg_milestone_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct kg_measure *
kg_measure_list_add(struct kg_measure_list *l)
{
	struct kg_measure *m;

	if (kg_array_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return NULL;
	m = &l->v[l->n++];
	memset(m, 0, sizeof(*m));
	return m;
}

void
kg_measure_list_clear(struct kg_measure_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		kg_measure_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
kg_import_skip(struct kg_import_origin *o, int64_t measure_id, const char *expr, size_t len,
    int line, const char *why)
{
	struct kg_skipped_date *s;

	if (kg_array_grow((void **)&o->skipped, &o->capskipped, o->nskipped, sizeof(*s)) < 0)
		return -1;
	s = &o->skipped[o->nskipped];
	if ((s->expr = strndup(expr, len)) == NULL)
		return -1;
	s->measure_id = measure_id;
	s->line = line;
	s->why = why;
	o->nskipped++;
	return 0;
}

void
kg_import_clear(struct kg_import *imp)
{
	size_t i;

	kg_document_clear(&imp->doc);
	kg_measure_list_clear(&imp->measures);
	kg_milestone_list_clear(&imp->milestones);
	for (i = 0; i < imp->origin.nskipped; i++)
		free(imp->origin.skipped[i].expr);
	free(imp->origin.skipped);
	free(imp->origin.as_of_text);
	memset(&imp->origin, 0, sizeof(imp->origin));
}

void
kg_filter_clear(struct kg_filter *f)
{
	kg_strv_clear(&f->owners);
	kg_strv_clear(&f->kinds);
	kg_strv_clear(&f->statuses);
	kg_strv_clear(&f->measures);
}

int
kg_filter_copy(struct kg_filter *dst, const struct kg_filter *src)
{
	return kg_strv_copy(&dst->owners, &src->owners) | kg_strv_copy(&dst->kinds, &src->kinds) |
	    kg_strv_copy(&dst->statuses, &src->statuses) |
	    kg_strv_copy(&dst->measures, &src->measures);
}

bool
kg_filter_match(const struct kg_filter *f, const struct kg_milestone *m)
{
	char id[24];
	size_t i;
	bool hit;

	if (f->kinds.n && !kg_strv_contains(&f->kinds, kg_kind_name(m->kind)))
		return false;
	if (f->statuses.n && !kg_strv_contains(&f->statuses, kg_status_name(m->status)))
		return false;
	if (f->measures.n) {
		snprintf(id, sizeof(id), "%lld", (long long)m->measure_id);
		if (!kg_strv_contains(&f->measures, id))
			return false;
	}
	if (f->owners.n) {
		hit = false;
		for (i = 0; i < f->owners.n && !hit; i++)
			hit = kg_strv_contains(&m->owners, f->owners.v[i]);
		if (!hit)
			return false;
	}
	return true;
}
