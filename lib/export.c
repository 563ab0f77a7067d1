/*
 * export — see export.h.
 *
 * Builds jansson values field by field.  Absent values (NULL strings,
 * KG_DAY_NONE, id 0) become JSON null rather than being left out, so every
 * object of one type has the same keys and consumers need no "has key"
 * checks.  Any allocation failure anywhere makes the whole call return NULL.
 */
#include "export.h"


/* json_object_set_new that remembers a failure (jansson frees v either way). */
static void
put(json_t *o, const char *key, json_t *v, int *failed)
{
	if (v == NULL || json_object_set_new(o, key, v) < 0)
		*failed = 1;
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *
date_or_null(kg_day d)
{
	char buf[KG_DATE_LEN];

	return d == KG_DAY_NONE ? json_null() : json_string(kg_date_format(d, buf));
}

/* RFC 3339 in UTC, or null for 0 and INT64_MAX (never). */
static json_t *
time_or_null(int64_t t)
{
	char buf[KG_TIME_LEN];

	return t == 0 || t == INT64_MAX ? json_null() : json_string(kg_time_format(t, buf));
}

static json_t *
strv_array(const struct kg_strv *sv)
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < sv->n; i++)
		if (json_array_append_new(a, json_string(sv->v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Returns o, or NULL (and drops o) when building it failed. */
static json_t *
finish(json_t *o, int failed)
{
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
kg_milestone_json(const struct kg_milestone *m)
{
	json_t *o = json_object(), *src = json_object();
	int failed = o == NULL || src == NULL;

	if (failed) {
		json_decref(o);
		json_decref(src);
		return NULL;
	}
	put(o, "id", json_integer(m->id), &failed);
	put(o, "uid", str_or_null(m->uid), &failed);
	put(o, "measure_id", id_or_null(m->measure_id), &failed);
	put(o, "title", str_or_null(m->title), &failed);
	put(o, "kind", json_string(kg_kind_name(m->kind)), &failed);
	put(o, "status", json_string(kg_status_name(m->status)), &failed);
	put(o, "certainty", json_string(kg_certainty_name(m->certainty)), &failed);
	put(o, "window_start", date_or_null(m->window_start), &failed);
	put(o, "window_end", date_or_null(m->window_end), &failed);
	put(o, "due", date_or_null(m->window_end), &failed);
	put(o, "precision", json_string(kg_precision_name(m->precision)), &failed);
	put(o, "expr", str_or_null(m->expr), &failed);
	put(o, "owners", strv_array(&m->owners), &failed);
	put(o, "sequence", json_integer(m->sequence), &failed);
	put(o, "manual", json_boolean(m->manual), &failed);
	put(o, "gone", json_boolean(m->gone), &failed);
	put(o, "conflict", json_boolean(m->conflict), &failed);
	put(o, "uncertain", json_boolean(m->uncertain), &failed);
	put(o, "uncertain_reason", str_or_null(m->uncertain_reason), &failed);
	put(src, "document_id", id_or_null(m->document_id), &failed);
	put(src, "line", m->line ? json_integer(m->line) : json_null(), &failed);
	put(src, "page", m->page ? json_integer(m->page) : json_null(), &failed);
	put(src, "sentence", str_or_null(m->sentence), &failed);
	put(o, "source", src, &failed);
	return finish(o, failed);
}

json_t *
kg_measure_json(const struct kg_measure *m)
{
	json_t *o = json_object();
	int failed = o == NULL;

	if (failed)
		return NULL;
	put(o, "id", json_integer(m->id), &failed);
	put(o, "document_id", id_or_null(m->document_id), &failed);
	put(o, "title", str_or_null(m->title), &failed);
	put(o, "owners", strv_array(&m->owners), &failed);
	put(o, "heading", str_or_null(m->heading), &failed);
	put(o, "notes", strv_array(&m->notes), &failed);
	put(o, "plan", str_or_null(m->plan), &failed);
	put(o, "continues", id_or_null(m->continues), &failed);
	return finish(o, failed);
}

json_t *
kg_document_json(const struct kg_document *d)
{
	json_t *o = json_object(), *summary = json_null();
	int failed = o == NULL;

	if (failed)
		return NULL;
	/* summary_json was written by the importer; unparsable text is not
	 * worth failing an export over, so it reads as null. */
	if (d->summary_json != NULL) {
		json_decref(summary);
		summary = json_loads(d->summary_json, 0, NULL);
		if (summary == NULL)
			summary = json_null();
	}
	put(o, "id", json_integer(d->id), &failed);
	put(o, "name", str_or_null(d->name), &failed);
	put(o, "sha256", str_or_null(d->sha256), &failed);
	put(o, "as_of", date_or_null(d->as_of), &failed);
	put(o, "imported_at", time_or_null(d->imported_at), &failed);
	put(o, "summary", summary, &failed);
	put(o, "url", str_or_null(d->url), &failed);
	put(o, "etag", str_or_null(d->etag), &failed);
	put(o, "last_modified", str_or_null(d->last_modified), &failed);
	return finish(o, failed);
}

/* {window_start, window_end, status} of one side of a change. */
static json_t *
change_side(kg_day start, kg_day end, enum kg_status status)
{
	json_t *o = json_object();
	int failed = o == NULL;

	if (failed)
		return NULL;
	put(o, "window_start", date_or_null(start), &failed);
	put(o, "window_end", date_or_null(end), &failed);
	put(o, "status", json_string(kg_status_name(status)), &failed);
	return finish(o, failed);
}

json_t *
kg_change_json(const struct kg_change *c)
{
	json_t *o = json_object();
	int failed = o == NULL;
	bool slip = !c->created && c->old_end != KG_DAY_NONE && c->new_end != KG_DAY_NONE;

	if (failed)
		return NULL;
	put(o, "milestone_id", json_integer(c->milestone_id), &failed);
	put(o, "at", time_or_null(c->at), &failed);
	put(o, "document_id", id_or_null(c->document_id), &failed);
	put(o, "as_of", date_or_null(c->document_id ? c->as_of : KG_DAY_NONE), &failed);
	put(o, "reason", str_or_null(c->reason), &failed);
	put(o, "created", json_boolean(c->created), &failed);
	put(o, "old", c->created ? json_null() : change_side(c->old_start, c->old_end,
	    c->old_status), &failed);
	put(o, "new", change_side(c->new_start, c->new_end, c->new_status), &failed);
	put(o, "slip_days", slip ? json_integer((json_int_t)c->new_end - c->old_end)
	    : json_null(), &failed);
	return finish(o, failed);
}

json_t *
kg_delivery_json(const struct kg_delivery *d)
{
	json_t *o = json_object();
	int failed = o == NULL;

	if (failed)
		return NULL;
	put(o, "id", json_integer(d->id), &failed);
	put(o, "endpoint", str_or_null(d->endpoint), &failed);
	put(o, "status", json_string(kg_delivery_status_name(d->status)), &failed);
	put(o, "milestone_id", json_integer(d->milestone_id), &failed);
	put(o, "milestone_title", str_or_null(d->milestone_title), &failed);
	put(o, "type", str_or_null(d->type), &failed);
	put(o, "lead_days", json_integer(d->lead_days), &failed);
	put(o, "deadline", date_or_null(d->deadline), &failed);
	put(o, "webhook_id", str_or_null(d->webhook_id), &failed);
	put(o, "late", json_boolean(d->late), &failed);
	put(o, "fire_at", time_or_null(d->fire_at), &failed);
	put(o, "attempts", json_integer(d->attempts), &failed);
	put(o, "next_attempt_at", d->status == KG_DLV_PENDING ?
	    time_or_null(d->next_attempt_at) : json_null(), &failed);
	put(o, "last_attempt_at", time_or_null(d->last_attempt_at), &failed);
	put(o, "last_http_status", d->last_http_status ? json_integer(d->last_http_status) :
	    json_null(), &failed);
	put(o, "last_error", str_or_null(d->last_error), &failed);
	put(o, "created_at", time_or_null(d->created_at), &failed);
	put(o, "done_at", time_or_null(d->done_at), &failed);
	return finish(o, failed);
}

static json_t *
milestone_array(const struct kg_milestone_list *l)
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (json_array_append_new(a, kg_milestone_json(&l->v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *
kg_listing_json(kg_day as_of, const struct kg_milestone_list *l)
{
	json_t *o = json_object();
	int failed = o == NULL;

	if (failed)
		return NULL;
	put(o, "as_of", date_or_null(as_of), &failed);
	put(o, "milestones", milestone_array(l), &failed);
	return finish(o, failed);
}

/* Dumps j (taken) compactly to f.  -1 on ENOMEM or a failed write. */
static int
dump_to(FILE *f, json_t *j)
{
	int rc = j != NULL && json_dumpf(j, f, JSON_COMPACT | JSON_ENCODE_ANY) == 0 ? 0 : -1;

	json_decref(j);
	return rc;
}

int
kg_listing_write(FILE *f, kg_day as_of, const struct kg_milestone *v, size_t n,
    bool (*keep)(const struct kg_milestone *m, void *arg), void *arg)
{
	bool first = true;
	size_t i;

	/* jansson writes every value; only the punctuation of the one object
	 * and its array is written here. */
	if (fputs("{\"as_of\":", f) < 0 || dump_to(f, date_or_null(as_of)) < 0 ||
	    fputs(",\"milestones\":[", f) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (keep != NULL && !keep(&v[i], arg))
			continue;
		if ((!first && fputc(',', f) < 0) || dump_to(f, kg_milestone_json(&v[i])) < 0)
			return -1;
		first = false;
	}
	return fputs("]}", f) < 0 ? -1 : 0;
}

json_t *
kg_export_json(const struct kg_document *docs, size_t ndocs,
    const struct kg_measure_list *measures, const struct kg_milestone_list *milestones)
{
	json_t *o = json_object(), *da = json_array(), *ma = json_array();
	int failed = o == NULL || da == NULL || ma == NULL;
	size_t i;

	for (i = 0; i < ndocs && !failed; i++)
		if (json_array_append_new(da, kg_document_json(&docs[i])) < 0)
			failed = 1;
	for (i = 0; i < measures->n && !failed; i++)
		if (json_array_append_new(ma, kg_measure_json(&measures->v[i])) < 0)
			failed = 1;
	if (failed) {
		json_decref(o);
		json_decref(da);
		json_decref(ma);
		return NULL;
	}
	put(o, "version", json_integer(KG_EXPORT_VERSION), &failed);
	put(o, "documents", da, &failed);
	put(o, "measures", ma, &failed);
	put(o, "milestones", milestone_array(milestones), &failed);
	return finish(o, failed);
}
