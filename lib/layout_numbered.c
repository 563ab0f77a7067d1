/*
 * layout_numbered — numbered-heading plans (重点計画): Ⅰ / １． / （１） /
 * ① / ア headings down to the items, each item a heading with a body, its
 * owners in brackets: 【担当】X、Y at the end of the body or on a line of
 * its own (a list that may go on over the next line), 〔所管〕X, （担当：X）,
 * or a trailing full-width parenthesis holding only names, after the body
 * or after the item's heading.
 *
 * A labelled line followed at once by another labelled line is a section
 * heading; one followed by text is an item, its body the text up to the
 * next labelled line.  The body is one unit (a ・ bullet starts another);
 * the measure's title is the heading without its label and owners.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* Openers of an owner bracket: 【担当】, 【担当府省】, 〔所管〕, （担当：…）. */
static const char *const openers[] = {"【担当", "【所管", "〔担当", "〔所管", "［担当", "［所管",
	"（担当", "(担当", "（所管", "(所管"};
static const char *const closers[] = {"】", "〕", "］", "）", ")"};

struct numbered {
	struct kg_doc *d;
	enum kg_label *label;
	size_t *label_len;
	long cur;
	struct kg_span heading, subheading;
};

static bool
roman(struct kg_span t)
{
	size_t n;
	int32_t c = t.len > 0 ? kg_cp_at(t.s, t.len, 0, &n) : 0;

	return c >= 0x2160 && c <= 0x216B; /* Ⅰ..Ⅻ */
}

static bool
labelled(const struct numbered *nb, size_t i)
{
	return nb->label[i] != KG_LABEL_NONE || roman(nb->d->lines[i].t);
}

/* The byte offset of the first owner bracket in t, its opener in *which;
 * -1 when none. */
static long
bracket_at(struct kg_span t, size_t *which)
{
	long best = -1, k;
	size_t o;

	/* every opener names 担当 or 所管: most lines hold neither */
	if (kg_span_find(t, "担当") < 0 && kg_span_find(t, "所管") < 0)
		return -1;
	for (o = 0; o < sizeof(openers) / sizeof(openers[0]); o++)
		if ((k = kg_span_find(t, openers[o])) >= 0 && (best < 0 || k < best)) {
			best = k;
			*which = o;
		}
	return best;
}

/*
 * Splits the owners off line t: an owner bracket and the names it holds or
 * that follow it, or a trailing parenthesis of names.  Adds them to owners;
 * returns the text before them.
 */
static struct kg_span
owners_off(struct kg_span t, struct kg_strv *owners, int *rc)
{
	size_t which = 0, i, c;
	long at = bracket_at(t, &which), open;
	struct kg_span names;

	*rc = 0;
	if (at >= 0) {
		i = (size_t)at + strlen(openers[which]);
		for (c = 0; c < sizeof(closers) / sizeof(closers[0]); c++) {
			long e = kg_span_find((struct kg_span){t.s + i, t.len - i}, closers[c]);
			long colon = kg_span_find((struct kg_span){t.s + i, t.len - i}, "：");

			if (e < 0)
				continue;
			if (colon >= 0 && colon < e) /* （担当：経済産業省） */
				names = (struct kg_span){t.s + i + colon + strlen("："), (size_t)(e - colon) -
				    strlen("：")};
			else                         /* 【担当】総務省、… */
				names = kg_span_after(t, i + (size_t)e + strlen(closers[c]));
			if (kg_owners_add(owners, names, true) < 0)
				*rc = -1;
			return kg_span_trim((struct kg_span){t.s, (size_t)at});
		}
	}
	t = kg_span_trim(t);
	if ((open = kg_paren_open(t)) >= 0) {
		size_t n, close;

		kg_cp_at(t.s, t.len, (size_t)open, &n);
		kg_cp_before(t.s, t.len, &close);
		names = (struct kg_span){t.s + open + n, t.len - (size_t)open - n - close};
		if (kg_owner_list(names)) {
			if (kg_owners_add(owners, names, false) < 0)
				*rc = -1;
			return kg_span_trim((struct kg_span){t.s, (size_t)open});
		}
	}
	return t;
}

static int
start_item(struct numbered *nb, size_t i)
{
	const struct kg_dline *l = &nb->d->lines[i];
	struct kg_measure *m;
	struct kg_span title;
	int rc;

	kg_unit_close(nb->d);
	if ((m = kg_doc_add_item(nb->d, l->lineno)) == NULL)
		return -1;
	nb->cur = (long)nb->d->out->measures.n - 1;
	title = owners_off(kg_span_after(l->t, nb->label_len[i]), &m->owners, &rc);
	if (rc < 0 || (m->title = kg_span_dup(title.len > 0 ? title : l->t)) == NULL ||
	    (nb->heading.len > 0 && (m->heading = kg_span_dup(nb->heading)) == NULL) ||
	    (nb->subheading.len > 0 && (m->subheading = kg_span_dup(nb->subheading)) == NULL))
		return -1;
	return 0;
}

/* Section headings: a Roman numeral or a numbered section sets the
 * heading, any other the subheading. */
static void
heading(struct numbered *nb, size_t i)
{
	struct kg_span t = nb->d->lines[i].t;

	kg_unit_close(nb->d);
	nb->cur = -1;
	if (roman(t)) {
		nb->heading = t;
		nb->subheading = (struct kg_span){NULL, 0};
	} else if (nb->label[i] == KG_LABEL_SECTION) {
		nb->heading = t;
		nb->subheading = (struct kg_span){NULL, 0};
	} else {
		nb->subheading = t;
	}
}

static int
numbered_parse(struct kg_doc *d)
{
	struct numbered nb = {.d = d, .cur = -1};
	size_t i, j;
	int rc = -1;

	if (kg_doc_labels(d, &nb.label, &nb.label_len) < 0)
		goto out;
	for (i = 0; i < d->n; i++) {
		const struct kg_dline *l = &d->lines[i];

		if (kg_doc_furniture(d, i))
			continue;
		if (labelled(&nb, i)) {
			for (j = i + 1; j < d->n && kg_doc_furniture(d, j); j++)
				;
			if (roman(l->t) || j == d->n || labelled(&nb, j)) {
				heading(&nb, i);
				continue;
			}
			if (d->preamble_end == d->n)
				d->preamble_end = i;
			if (start_item(&nb, i) < 0)
				goto out;
		} else if (nb.cur >= 0 && kg_item_line(d, (size_t)nb.cur, l->t, l->lineno, owners_off) < 0) {
			goto out;
		}
	}
	kg_unit_close(d);
	rc = 0;
out:
	free(nb.label);
	free(nb.label_len);
	return rc;
}

/* Owner brackets (【担当】, 〔所管〕) on three lines or more, and labels. */
static int
numbered_detect(const struct kg_doc *d)
{
	size_t i, which, brackets = 0, labels_seen = 0, len;

	for (i = 0; i < d->n; i++) {
		if (d->lines[i].kind != KG_LINE_TEXT)
			continue;
		brackets += bracket_at(d->lines[i].t, &which) >= 0;
		labels_seen += kg_label_at(d->lines[i].t, &len) != KG_LABEL_NONE;
	}
	if (brackets < 3)
		return 0;
	return 60 + (labels_seen >= 3 ? 25 : 0);
}

const struct kg_layout kg_layout_numbered = {
	.name = "numbered",
	.looks_for = "（１）/①/ア headings with owners in 【担当】 or 〔所管〕 brackets",
	.detect = numbered_detect,
	.parse = numbered_parse,
};
