/*
 * layout_annual — annual-plan tables (年次計画, 別添): items labelled by a
 * running or hierarchical number ((ア), ア, ①, (1), 1-2) under numbered
 * section headings, a text column and a 担当府省庁 column.
 *
 * PDF extraction puts the owner cell anywhere: on the label line
 * ("(ア) 内閣官房"), on a line of its own between two lines of text
 * (interleaved), as a block after the item, or glued to the end of a text
 * line after a blank.  So the parser does not look for a column: it takes
 * as items the labels of the one kind whose blocks carry owners (the other
 * kinds are headings), and inside an item it sorts lines into owner lines
 * and text.  Running headers and repeated table headers (a line printed on
 * three pages or more) and page numbers are furniture; a heading repeated
 * at the top of a page does not end the item it interrupts.
 *
 * Each item's text is one unit; its title is its first sentence without a
 * leading "<owners>において、", at most TITLE_CP characters.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* A measure's title: the first sentence, cut to this many characters. */
#define TITLE_CP 40

struct annual {
	struct kg_doc *d;
	enum kg_label *label; /* per line */
	size_t *label_len;
	enum kg_label item;   /* the label kind of items */
	struct kg_span heading, subheading;
	long cur;             /* item being read, -1 outside */
	size_t first_unit;    /* its first unit, whose first sentence titles it */
};

/* Does the block of label line i (up to the next label) name owners? */
static bool
has_owners(const struct kg_doc *d, const enum kg_label *label, const size_t *len, size_t i)
{
	struct kg_span rest = kg_span_after(d->lines[i].t, len[i]);
	size_t j;
	int rc;

	if (kg_owner_list(rest) || kg_owners_glued(rest, NULL, &rc).len < rest.len)
		return true;
	for (j = i + 1; j < d->n && label[j] == KG_LABEL_NONE; j++) {
		struct kg_span t = d->lines[j].t;

		if (d->lines[j].kind == KG_LINE_TEXT &&
		    (kg_owner_list(t) || kg_owners_glued(t, NULL, &rc).len < t.len))
			return true;
	}
	return false;
}

/* The label kind whose blocks most often carry owners (0 when none does). */
static enum kg_label
item_kind(const struct kg_doc *d, const enum kg_label *label, const size_t *len, size_t *count)
{
	size_t n[KG_LABEL_COUNT] = {0}, i;
	enum kg_label k, best = KG_LABEL_NONE;

	for (i = 0; i < d->n; i++)
		if (label[i] != KG_LABEL_NONE && has_owners(d, label, len, i))
			n[label[i]]++;
	for (k = KG_LABEL_SECTION; k < KG_LABEL_COUNT; k++)
		if (n[k] > 0 && n[k] >= n[best])
			best = k;
	*count = n[best];
	return best;
}

static bool
has_line(const struct kg_doc *d, const char *word)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->lines[i].kind == KG_LINE_TEXT && kg_span_find(d->lines[i].t, word) >= 0)
			return true;
	return false;
}

/* A 担当府省庁 column header, the words 年次計画, and items with owners. */
static int
annual_detect(const struct kg_doc *d)
{
	enum kg_label *label = NULL;
	size_t *len = NULL, items = 0;
	int score = 0;

	if (kg_doc_labels(d, &label, &len) == 0 && item_kind(d, label, len, &items) != KG_LABEL_NONE &&
	    items >= 3) {
		score = 40;
		if (has_line(d, "担当府省庁") || has_line(d, "担当府省") || has_line(d, "担当省庁"))
			score += 30;
		if (has_line(d, "年次計画"))
			score += 15;
	}
	free(label);
	free(len);
	return score;
}

/* The first sentence of the item's text, as its title. */
static int
set_title(struct annual *a)
{
	struct kg_measure *m = &a->d->out->measures.v[a->cur];
	const struct kg_unit *u = &a->d->units[a->first_unit];
	struct kg_span t = {a->d->utext.s + u->off, u->len}, s;
	long end = kg_span_find(t, "。");
	size_t i, n, cps = 0;
	struct kg_buf b = {0};
	int rc;

	if (end >= 0)
		t.len = (size_t)end;
	t = kg_span_after(t, kg_owners_lead(t));
	for (i = 0; i < t.len && cps < TITLE_CP; i += n, cps++)
		kg_cp_at(t.s, t.len, i, &n);
	s = (struct kg_span){t.s, i};
	if (i < t.len) {
		for (cps = 0, i = 0; cps < TITLE_CP - 1; i += n, cps++)
			kg_cp_at(t.s, t.len, i, &n);
		s.len = i;
	}
	rc = kg_buf_add(&b, s.s, s.len) < 0 || (s.len < t.len && kg_buf_add(&b, "…", strlen("…")) < 0) ? -1 : 0;
	if (rc == 0 && b.len > 0) {
		free(m->title);
		m->title = b.s;
		b.s = NULL;
	}
	kg_buf_free(&b);
	return rc;
}

static int
end_item(struct annual *a)
{
	kg_unit_close(a->d);
	if (a->cur >= 0 && a->d->nunits > a->first_unit && set_title(a) < 0)
		return -1;
	a->cur = -1;
	return 0;
}

static int
start_item(struct annual *a, size_t i)
{
	const struct kg_dline *l = &a->d->lines[i];
	struct kg_span rest = kg_span_after(l->t, a->label_len[i]);
	struct kg_measure *m;

	if (end_item(a) < 0 || (m = kg_doc_add_item(a->d, l->lineno)) == NULL)
		return -1;
	a->cur = (long)a->d->out->measures.n - 1;
	a->first_unit = a->d->nunits;
	if ((m->title = kg_span_dup(kg_span_trim((struct kg_span){l->t.s, a->label_len[i]}))) == NULL ||
	    (a->heading.len > 0 && (m->heading = kg_span_dup(a->heading)) == NULL) ||
	    (a->subheading.len > 0 && (m->subheading = kg_span_dup(a->subheading)) == NULL))
		return -1;
	return rest.len > 0 ? kg_item_line(a->d, (size_t)a->cur, rest, l->lineno, kg_owners_glued) : 0;
}

/* A heading line: a new one ends the item; one repeated at the top of a
 * page (the heading in force) is furniture. */
static int
heading(struct annual *a, size_t i)
{
	struct kg_span t = a->d->lines[i].t;

	if (kg_span_eq(t, a->heading) || kg_span_eq(t, a->subheading))
		return 0;
	if (end_item(a) < 0)
		return -1;
	if (a->label[i] == KG_LABEL_SECTION || a->heading.len == 0) {
		a->heading = t;
		a->subheading = (struct kg_span){NULL, 0};
	} else {
		a->subheading = t;
	}
	return 0;
}

static int
annual_parse(struct kg_doc *d)
{
	struct annual a = {.d = d, .cur = -1};
	size_t i, items;
	int rc = -1;

	if (kg_doc_labels(d, &a.label, &a.label_len) < 0)
		goto out;
	a.item = item_kind(d, a.label, a.label_len, &items);
	for (i = 0; i < d->n; i++) {
		const struct kg_dline *l = &d->lines[i];

		if (a.item == KG_LABEL_NONE || kg_doc_furniture(d, i))
			continue;
		if (a.label[i] == a.item) {
			if (d->preamble_end == d->n)
				d->preamble_end = i;
			if (start_item(&a, i) < 0)
				goto out;
		} else if (a.label[i] != KG_LABEL_NONE) {
			if (heading(&a, i) < 0)
				goto out;
		} else if (a.cur >= 0 && kg_item_line(d, (size_t)a.cur, l->t, l->lineno, kg_owners_glued) < 0) {
			goto out;
		}
	}
	rc = end_item(&a);
out:
	free(a.label);
	free(a.label_len);
	return rc;
}

const struct kg_layout kg_layout_annual = {
	.name = "annual-table",
	.looks_for = "items labelled (ア), ①, (1) or 1-2 with a 担当府省庁 column",
	.detect = annual_detect,
	.parse = annual_parse,
};
