/*
 * explain — see explain.h.  Milestones and skipped dates are grouped by
 * item with a counting sort, so the cost stays linear in the document.
 */
#include "explain.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "output.h"

/* Indices 0..n-1 ordered (stably) by the item each belongs to; first[i] ..
 * first[i + 1] are item i's, first[nitems] .. n those outside any item. */
struct groups {
	size_t *order, *first;
};

static int
group(struct groups *g, size_t n, size_t nitems, int64_t (*item_of)(const void *, size_t),
    const void *v)
{
	size_t i, k, *fill;

	g->order = calloc(n + 1, sizeof(*g->order));
	g->first = calloc(nitems + 2, sizeof(*g->first));
	fill = calloc(nitems + 2, sizeof(*fill));
	if (g->order == NULL || g->first == NULL || fill == NULL) {
		free(fill);
		return -1;
	}
	for (i = 0; i < n; i++) {
		int64_t it = item_of(v, i);

		g->first[(it >= 0 && (size_t)it < nitems ? (size_t)it : nitems) + 1]++;
	}
	for (k = 1; k <= nitems + 1; k++)
		g->first[k] += g->first[k - 1];
	for (i = 0; i < n; i++) {
		int64_t it = item_of(v, i);

		k = it >= 0 && (size_t)it < nitems ? (size_t)it : nitems;
		g->order[g->first[k] + fill[k]++] = i;
	}
	free(fill);
	return 0;
}

static void
groups_free(struct groups *g)
{
	free(g->order);
	free(g->first);
}

static int64_t
milestone_item(const void *v, size_t i)
{
	return ((const struct kg_milestone *)v)[i].measure_id;
}

static int64_t
skipped_item(const void *v, size_t i)
{
	return ((const struct kg_skipped_date *)v)[i].measure_id;
}

struct explain {
	const struct kg_import *imp;
	struct groups ms, sk;
	size_t notes;
};

static int
explain_init(struct explain *x, const struct kg_import *imp)
{
	size_t i;

	x->imp = imp;
	x->notes = 0;
	for (i = 0; i < imp->measures.n; i++)
		x->notes += imp->measures.v[i].notes.n;
	return group(&x->ms, imp->milestones.n, imp->measures.n, milestone_item, imp->milestones.v) < 0 ||
	    group(&x->sk, imp->origin.nskipped, imp->measures.n, skipped_item,
	    imp->origin.skipped) < 0 ? -1 : 0;
}

static void
explain_release(struct explain *x)
{
	groups_free(&x->ms);
	groups_free(&x->sk);
}

/* "2008-04-01..2009-03-31", "2008-12-01", "2008-10-01..open" */
static const char *
window_text(const struct kg_milestone *m, char *buf, size_t len)
{
	char a[KG_DATE_LEN], b[KG_DATE_LEN];

	kg_date_format(m->window_start, a);
	if (m->window_end == m->window_start)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s..%s", a,
		    m->window_end == KG_DAY_NONE ? "open" : kg_date_format(m->window_end, b));
	return buf;
}

static void
print_skipped(FILE *f, const struct kg_skipped_date *s)
{
	fprintf(f, "   line %d: %s is no milestone: %s\n", s->line, s->expr, s->why);
}

int
explain_print(FILE *f, const struct kg_import *imp, bool forced)
{
	struct explain x = {0};
	char as_of[KG_DATE_LEN], win[2 * KG_DATE_LEN + 8];
	size_t i, k, nm = imp->measures.n;

	if (explain_init(&x, imp) < 0) {
		explain_release(&x);
		return -1;
	}
	fprintf(f, "%s: layout %s (%s)\n", imp->doc.name ? imp->doc.name : "-",
	    imp->origin.layout, forced ? "given with --layout" : "detected");
	kg_date_format(imp->doc.as_of, as_of);
	if (imp->origin.as_of_line > 0)
		fprintf(f, "as of %s from line %d (%s): %s\n", as_of, imp->origin.as_of_line,
		    imp->origin.as_of_how, imp->origin.as_of_text);
	else
		fprintf(f, "as of %s (%s)\n", as_of, imp->origin.as_of_how);
	fprintf(f, "title: %s\n", imp->doc.title ? imp->doc.title : "");
	fprintf(f, "%zu items, %zu milestones, %zu undated plans, %zu dates that are no "
	    "milestones\n", nm, imp->milestones.n, x.notes, imp->origin.nskipped);
	for (i = 0; i <= nm; i++) {
		if (i < nm) {
			const struct kg_measure *me = &imp->measures.v[i];

			fprintf(f, "\n%d. %s (line %d)\n", me->position, me->title, me->line);
			fprintf(f, "   owners: ");
			for (k = 0; k < me->owners.n; k++)
				fprintf(f, "%s%s", k ? ", " : "", me->owners.v[k]);
			fprintf(f, "%s\n", me->owners.n ? "" : "(none)");
			for (k = x.ms.first[i]; k < x.ms.first[i + 1]; k++) {
				const struct kg_milestone *m = &imp->milestones.v[x.ms.order[k]];

				fprintf(f, "   line %d: %s → %s %s, %s, %s: %s%s%s%s\n", m->line, m->expr,
				    window_text(m, win, sizeof(win)), kg_precision_name(m->precision),
				    kg_status_name(m->status), kg_kind_name(m->kind), m->title,
				    m->uncertain ? " (uncertain: " : "",
				    m->uncertain && m->uncertain_reason ? m->uncertain_reason : "",
				    m->uncertain ? ")" : "");
			}
			for (k = 0; k < me->notes.n; k++)
				fprintf(f, "   undated: %s\n", me->notes.v[k]);
		} else if (x.sk.first[nm] < x.sk.first[nm + 1]) {
			fprintf(f, "\noutside any item:\n");
		}
		for (k = x.sk.first[i]; k < x.sk.first[i + 1]; k++)
			print_skipped(f, &imp->origin.skipped[x.sk.order[k]]);
	}
	explain_release(&x);
	return 0;
}

static json_t *
skipped_json(const struct explain *x, size_t i)
{
	json_t *a = json_array();
	size_t k;

	for (k = x->sk.first[i]; a != NULL && k < x->sk.first[i + 1]; k++) {
		const struct kg_skipped_date *s = &x->imp->origin.skipped[x->sk.order[k]];

		if (json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "line", s->line,
		    "expr", s->expr, "why", s->why)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
strv_json(const struct kg_strv *v)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; a != NULL && k < v->n; k++)
		if (json_array_append_new(a, json_string(v->v[k])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
milestone_json(const struct kg_milestone *m)
{
	char a[KG_DATE_LEN], b[KG_DATE_LEN];

	return json_pack("{s:i, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:b, s:s?, s:s, s:s}",
	    "line", m->line, "expr", m->expr, "window_start", kg_date_format(m->window_start, a),
	    "window_end", m->window_end == KG_DAY_NONE ? json_null() :
	    json_string(kg_date_format(m->window_end, b)),
	    "precision", kg_precision_name(m->precision), "status", kg_status_name(m->status),
	    "certainty", kg_certainty_name(m->certainty), "kind", kg_kind_name(m->kind),
	    "uncertain", m->uncertain, "uncertain_reason", m->uncertain_reason,
	    "title", m->title, "sentence", m->sentence ? m->sentence : "");
}

static json_t *
item_json(const struct explain *x, size_t i)
{
	const struct kg_measure *me = &x->imp->measures.v[i];
	json_t *ms = json_array();
	size_t k;

	for (k = x->ms.first[i]; ms != NULL && k < x->ms.first[i + 1]; k++)
		if (json_array_append_new(ms,
		    milestone_json(&x->imp->milestones.v[x->ms.order[k]])) < 0) {
			json_decref(ms);
			ms = NULL;
		}
	return json_pack("{s:i, s:i, s:s, s:o*, s:s?, s:o*, s:o*, s:o*}", "position", me->position,
	    "line", me->line, "title", me->title, "owners", strv_json(&me->owners),
	    "heading", me->heading, "milestones", ms, "undated", strv_json(&me->notes),
	    "not_milestones", skipped_json(x, i));
}

json_t *
explain_as_of_json(const struct kg_import_origin *o)
{
	return json_pack("{s:s, s:o, s:o}", "how", o->as_of_how,
	    "line", o->as_of_line > 0 ? json_integer(o->as_of_line) : json_null(),
	    "text", o->as_of_text != NULL ? json_string(o->as_of_text) : json_null());
}

int
explain_json(FILE *f, const struct kg_import *imp, bool forced)
{
	struct explain x = {0};
	const struct kg_import_origin *o = &imp->origin;
	char as_of[KG_DATE_LEN];
	json_t *items = json_array(), *root = NULL;
	size_t i;
	int rc = -1;

	if (explain_init(&x, imp) < 0 || items == NULL)
		goto out;
	for (i = 0; i < imp->measures.n; i++)
		if (json_array_append_new(items, item_json(&x, i)) < 0)
			goto out;
	root = json_pack("{s:s, s:s, s:b, s:s, s:o*, s:s, s:{s:I, s:I, s:I, s:I}, "
	    "s:O, s:o*}", "name", imp->doc.name ? imp->doc.name : "", "layout", o->layout,
	    "layout_forced", forced, "as_of", kg_date_format(imp->doc.as_of, as_of),
	    "as_of_from", explain_as_of_json(o),
	    "title", imp->doc.title ? imp->doc.title : "",
	    "counts", "items", (json_int_t)imp->measures.n,
	    "milestones", (json_int_t)imp->milestones.n, "undated", (json_int_t)x.notes,
	    "not_milestones", (json_int_t)o->nskipped,
	    "items", items, "not_milestones", skipped_json(&x, imp->measures.n));
	rc = out_json(f, root);
out:
	json_decref(items);
	explain_release(&x);
	return rc;
}
