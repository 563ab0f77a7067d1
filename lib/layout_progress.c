/*
 * layout_progress — bulleted progress reports (the "Secure Japan" half-year
 * reports and their family): 【施策名】 title（owners）, 【進捗状況】, ・ bullets,
 * page headings " …の主な進捗状況①", section headings printed doubled, and a
 * summary block (①–④ with counts) before the first measure.
 *
 * The walk is a small state machine over the lines that builds measures and
 * their bullets (one unit each), joining the lines of a bullet and skipping
 * blank lines, page numbers and page headings inside it.  It undoes the PDF
 * artefacts: words and numbers broken across lines, blank lines inside a
 * sentence, a 【施策名】 line or owners list broken over lines, a bullet that
 * continues after a page break.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define MARK_MEASURE "施策名"   /* 【施策名】 */
#define MARK_PROGRESS "進捗状況" /* 【進捗状況】 */
/* Longest line (in code points) considered as a heading. */
#define HEADING_MAX_CP 160
/* A 【施策名】 line may continue over at most this many further lines. */
#define TITLE_MAX_JOINS 3

enum lkind {
	L_OTHER,    /* blank, page number, repeated title */
	L_PAGEHEAD, /* " …に関する施策の主な進捗状況①" */
	L_MEASURE,  /* 【施策名】 */
	L_PROGRESS, /* 【進捗状況】 */
	L_BULLET,   /* ・ */
	L_TEXT,
};

struct pline {
	enum lkind kind;
	struct kg_span head; /* L_PAGEHEAD: the heading without its page mark */
};

struct walk {
	struct kg_doc *d;
	struct pline *pl;
	size_t first_measure;
	struct kg_span page_head;
	bool has_page_head;
	char *sub;           /* section heading for the measures that follow */
	size_t page_first;   /* first measure on the current page */
	long cur;            /* measure being built, -1 before the first */
	struct kg_buf scratch;
};

/* Length of the bullet mark t starts with, or 0: ・ (U+30FB), its
 * half-width form ･ (U+FF65, CP932 0xA5), or ○ ◯ ● ◆ ◇ ■ □ ▪ used as bullets
 * in other reports of the family. */
static size_t
bullet_mark_len(struct kg_span t)
{
	static const int32_t marks[] = {
		0x30FB, 0xFF65, 0x25CB, 0x25EF, 0x25CF, 0x25C6, 0x25C7, 0x25A0, 0x25A1, 0x25AA,
	};
	size_t i, n;
	int32_t c;

	if (t.len == 0)
		return 0;
	c = kg_cp_at(t.s, t.len, 0, &n);
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (c == marks[i])
			return n;
	return 0;
}

/* Length of a 【word】 label t starts with (spaces allowed inside the
 * brackets: 【 施策名 】), or 0. */
static size_t
label_len(struct kg_span t, const char *word)
{
	size_t i = 0;

	if (!kg_eat(t, &i, "【"))
		return 0;
	kg_skip_space(t, &i);
	if (!kg_eat(t, &i, word))
		return 0;
	kg_skip_space(t, &i);
	return kg_eat(t, &i, "】") ? i : 0;
}

/* raw is the untrimmed line: PDF text keeps a page heading's leading space. */
static bool
page_heading(struct kg_span raw, struct kg_span t, struct kg_span *head)
{
	struct kg_span h = t;
	size_t n;
	bool page_mark = false;

	for (;;) {
		if (kg_is_circled(kg_cp_before(h.s, h.len, &n)))
			h.len -= n, page_mark = true;
		else if (kg_span_ends(h, "（続き）"))
			h.len -= strlen("（続き）");
		else if (kg_span_ends(h, "(続き)"))
			h.len -= strlen("(続き)");
		else
			break;
		h = kg_span_trim(h);
	}
	if (h.len == 0 || kg_span_cps(h) > 60 || bullet_mark_len(h) > 0 ||
	    kg_span_starts(h, "【"))
		return false;
	if (!kg_span_ends(h, "主な進捗状況") && !(kg_span_ends(h, "進捗状況") &&
	    (page_mark || kg_is_space(kg_cp_at(raw.s, raw.len, 0, &n)))))
		return false;
	*head = h;
	return true;
}

static enum lkind
classify(const struct kg_doc *d, size_t i, struct kg_span *head)
{
	const struct kg_dline *l = &d->lines[i];

	if (l->kind != KG_LINE_TEXT)
		return L_OTHER;
	if (i == d->title)
		return L_TEXT;
	if (label_len(l->t, MARK_MEASURE) > 0)
		return L_MEASURE;
	if (label_len(l->t, MARK_PROGRESS) > 0)
		return L_PROGRESS;
	if (bullet_mark_len(l->t) > 0)
		return L_BULLET;
	if (page_heading(l->raw, l->t, head))
		return L_PAGEHEAD;
	return L_TEXT;
}

/* A line starting with 【施策名】 makes this layout certain. */
static int
progress_detect(const struct kg_doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->lines[i].kind == KG_LINE_TEXT && label_len(d->lines[i].t, MARK_MEASURE) > 0)
			return 90;
	return 0;
}

/*
 * Section headings are printed doubled in the PDF text: XX, or interleaved
 * X1X1X2X2.  If t is a sequence of pieces (two code points or more) each
 * printed twice in a row, writes the pieces once into out.  The dynamic
 * programme prefers the longest piece at each position; O(n^2) compares on
 * at most HEADING_MAX_CP code points.
 */
static int
undouble(struct kg_span t, struct kg_buf *out, bool *found)
{
	size_t off[HEADING_MAX_CP + 1], piece[HEADING_MAX_CP + 1], ncp = 0, i, l, n;
	bool ok[HEADING_MAX_CP + 1];

	*found = false;
	out->len = 0;
	for (i = 0; i < t.len; i += n) {
		if (ncp == HEADING_MAX_CP)
			return 0;
		off[ncp++] = i;
		kg_cp_at(t.s, t.len, i, &n);
	}
	off[ncp] = t.len;
	if (ncp < 4)
		return 0;
	ok[ncp] = true;
	for (i = ncp; i-- > 0;) {
		ok[i] = false;
		for (l = (ncp - i) / 2; l >= 2 && !ok[i]; l--) {
			size_t a = off[i], b = off[i + l], c = off[i + 2 * l];

			if (ok[i + 2 * l] && b - a == c - b && memcmp(t.s + a, t.s + b, b - a) == 0) {
				ok[i] = true;
				piece[i] = l;
			}
		}
	}
	if (!ok[0])
		return 0;
	for (i = 0; i < ncp; i += 2 * piece[i])
		if (kg_buf_add(out, t.s + off[i], off[i + piece[i]] - off[i]) < 0)
			return -1;
	*found = true;
	return 0;
}

/* ---- the preamble: summary block ---- */

/* "・・・ ２２施策（１４％）": the count and percentage (-1 when absent). */
static bool
summary_count(struct kg_span t, long *count, long *percent)
{
	size_t i = 0, n;

	while (i < t.len) {
		int32_t c = kg_cp_at(t.s, t.len, i, &n);

		if (c != 0x30FB && c != 0xFF65 && !kg_is_space(c))
			break;
		i += n;
	}
	if ((*count = kg_read_number(t, &i)) < 0 || !kg_eat(t, &i, "施策"))
		return false;
	*percent = -1;
	if (kg_eat(t, &i, "（") || kg_eat(t, &i, "(")) {
		*percent = kg_read_number(t, &i);
		if (!kg_eat(t, &i, "％") && !kg_eat(t, &i, "%"))
			*percent = -1;
	}
	return true;
}

/* A summary label without its 「」. */
static json_t *
label_json(struct kg_buf *b)
{
	struct kg_span t = kg_span_trim((struct kg_span){b->s, b->len});

	if (kg_span_starts(t, "「") && kg_span_ends(t, "」")) {
		t.s += strlen("「");
		t.len -= strlen("「") + strlen("」");
	}
	return json_stringn(t.s, t.len);
}

/* ①–④ labels paired in order with the "・・・ N施策（P％）" lines. */
static int
read_summary(struct walk *w)
{
	const struct kg_doc *d = w->d;
	json_t *cats = json_array(), *root = NULL, *obj;
	size_t i, j, n, nmarks = 0, ncounts = 0;
	long count, percent, total = 0;
	struct kg_buf *label = &w->scratch;
	int rc = -1;

	if (cats == NULL)
		return -1;
	for (i = 0; i < w->first_measure; i++) {
		struct kg_span t = d->lines[i].t;

		if (w->pl[i].kind == L_TEXT && kg_is_circled(kg_cp_at(t.s, t.len, 0, &n))) {
			struct kg_span rest = kg_span_after(t, n);

			label->len = 0;
			if (kg_buf_add(label, rest.s, rest.len) < 0)
				goto out;
			for (j = i + 1; j < w->first_measure &&
			    kg_span_count((struct kg_span){label->s, label->len}, "「") >
			    kg_span_count((struct kg_span){label->s, label->len}, "」"); j++) {
				if (d->lines[j].kind == KG_LINE_BLANK)
					continue;
				if (w->pl[j].kind != L_TEXT ||
				    kg_is_circled(kg_cp_at(d->lines[j].t.s, d->lines[j].t.len, 0, &n)))
					break;
				if (kg_buf_join(label, d->lines[j].t) < 0)
					goto out;
				i = j;
			}
			if ((obj = json_object()) == NULL || json_array_append_new(cats, obj) < 0 ||
			    json_object_set_new(obj, "mark", json_stringn(t.s, n)) < 0 ||
			    json_object_set_new(obj, "label", label_json(label)) < 0)
				goto out;
			nmarks++;
		} else if (w->pl[i].kind == L_BULLET && summary_count(t, &count, &percent)) {
			if (ncounts < nmarks)
				obj = json_array_get(cats, ncounts);
			else if ((obj = json_object()) == NULL || json_array_append_new(cats, obj) < 0 ||
			    json_object_set_new(obj, "mark", json_null()) < 0 ||
			    json_object_set_new(obj, "label", json_null()) < 0)
				goto out;
			if (json_object_set_new(obj, "measures", json_integer(count)) < 0 ||
			    json_object_set_new(obj, "percent",
				percent >= 0 ? json_integer(percent) : json_null()) < 0)
				goto out;
			ncounts++;
			total += count;
		}
	}
	rc = 0;
	if (ncounts == 0)
		goto out;
	rc = -1;
	if ((root = json_object()) == NULL || json_object_set(root, "categories", cats) < 0 ||
	    json_object_set_new(root, "total", json_integer(total)) < 0 ||
	    (d->out->doc.summary_json = json_dumps(root, JSON_COMPACT)) == NULL)
		goto out;
	rc = 0;
out:
	json_decref(cats);
	json_decref(root);
	return rc;
}

/* ---- measures and bullets ---- */

/* Starts a bullet at line text t; its mark (if any) is kept apart so the
 * extractor sees the sentence alone. */
static int
bullet_start(struct walk *w, struct kg_span t, int lineno)
{
	size_t mark = bullet_mark_len(t);

	if (kg_unit_start(w->d, (size_t)w->cur, KG_UNIT_TEXT, (struct kg_span){t.s, mark}) < 0)
		return -1;
	return kg_unit_line(w->d, kg_span_after(t, mark), lineno);
}

/* "title（body、body・body）" → m->title and m->owners, both as printed; a
 * middle dot between two bodies separates them like 、. */
static int
split_title(struct kg_span t, struct kg_measure *m)
{
	long open = kg_paren_open(t);
	struct kg_span title = t, owners = {NULL, 0};
	size_t n, close;

	if (open > 0) {
		kg_cp_at(t.s, t.len, (size_t)open, &n);
		title = kg_span_trim((struct kg_span){t.s, (size_t)open});
		kg_cp_before(t.s, t.len, &close);
		owners = (struct kg_span){t.s + open + n, t.len - (size_t)open - n - close};
	}
	if (title.len == 0) {
		title = t;
		owners.s = NULL;
	}
	if ((m->title = kg_span_dup(title)) == NULL)
		return -1;
	return owners.s != NULL ? kg_owners_add(&m->owners, owners, false) : 0;
}

/* A 【施策名】 line at *i, joined with up to TITLE_MAX_JOINS continuation
 * lines while its owners group is not closed; *i moves to the last one. */
static int
start_measure(struct walk *w, size_t *i)
{
	struct kg_doc *d = w->d;
	struct kg_buf *t = &w->scratch;
	struct kg_span first = kg_span_after(d->lines[*i].t, label_len(d->lines[*i].t, MARK_MEASURE));
	struct kg_measure *m;
	size_t k = *i, j, joins;
	int lineno = d->lines[*i].lineno;

	kg_unit_close(d);
	t->len = 0;
	if (kg_buf_add(t, first.s, first.len) < 0)
		return -1;
	for (joins = 0; kg_paren_open((struct kg_span){t->s, t->len}) < 0 &&
	    joins < TITLE_MAX_JOINS; joins++) {
		j = kg_doc_next(d, k + 1);
		if (j >= d->n || w->pl[j].kind != L_TEXT)
			break;
		if (kg_buf_join(t, d->lines[j].t) < 0)
			return -1;
		k = j;
	}
	*i = k;
	if ((m = kg_doc_add_item(d, lineno)) == NULL)
		return -1;
	w->cur = (long)d->out->measures.n - 1;
	if (split_title((struct kg_span){t->s, t->len}, m) < 0)
		return -1;
	if (w->has_page_head && (m->heading = kg_span_dup(w->page_head)) == NULL)
		return -1;
	if (w->sub != NULL && (m->subheading = strdup(w->sub)) == NULL)
		return -1;
	return 0;
}

/*
 * Is text line i a section heading?  Doubled lines always are.  A heading
 * printed once is accepted only when it stands alone: after a blank line or a
 * page break, before a blank line, followed by a measure or page heading, not
 * ending a sentence, and not inside an unfinished sentence.  Fills *text.
 */
static int
is_heading(struct walk *w, size_t i, struct kg_buf *text, bool *yes)
{
	const struct kg_doc *d = w->d;
	struct kg_span t = d->lines[i].t;
	size_t j;
	enum kg_line_kind before = i > 0 ? d->lines[i - 1].kind : KG_LINE_BLANK;
	enum kg_line_kind after = i + 1 < d->n ? d->lines[i + 1].kind : KG_LINE_BLANK;
	enum lkind pbefore = i > 0 ? w->pl[i - 1].kind : L_OTHER;
	enum lkind pafter = i + 1 < d->n ? w->pl[i + 1].kind : L_OTHER;

	if (undouble(t, text, yes) < 0)
		return -1;
	if (*yes || w->cur < 0)
		return 0;
	j = kg_doc_next(d, i + 1);
	*yes = (before == KG_LINE_BLANK || before == KG_LINE_PAGENUM || pbefore == L_PAGEHEAD) &&
	    (after == KG_LINE_BLANK || after == KG_LINE_PAGENUM || pafter == L_MEASURE ||
	    pafter == L_PAGEHEAD) &&
	    (j == d->n || w->pl[j].kind == L_MEASURE || w->pl[j].kind == L_PAGEHEAD) &&
	    kg_span_cps(t) <= 50 && !kg_span_ends(t, "。") &&
	    !(d->unit_open && !kg_unit_complete(d));
	return *yes ? kg_buf_add(text, t.s, t.len) : 0;
}

/* A section heading before a measure applies to the measures that follow on
 * its page; one printed after them (at the foot of a page) to the measures of
 * the page that have none yet. */
static int
section_heading(struct walk *w, size_t i, const struct kg_buf *text)
{
	struct kg_doc *d = w->d;
	size_t j = kg_doc_next(d, i + 1), k;

	kg_unit_close(d);
	if (j < d->n && w->pl[j].kind == L_MEASURE) {
		free(w->sub);
		return (w->sub = strndup(text->s, text->len)) == NULL ? -1 : 0;
	}
	for (k = w->page_first; k < d->out->measures.n; k++)
		if (d->out->measures.v[k].subheading == NULL &&
		    (d->out->measures.v[k].subheading = strndup(text->s, text->len)) == NULL)
			return -1;
	return 0;
}

static int
walk_line(struct walk *w, size_t *i, struct kg_buf *heading)
{
	struct kg_doc *d = w->d;
	const struct kg_dline *l = &d->lines[*i];
	bool yes;

	switch (w->pl[*i].kind) {
	case L_OTHER:
		return 0;
	case L_PAGEHEAD:
		w->page_head = w->pl[*i].head;
		w->has_page_head = true;
		free(w->sub);
		w->sub = NULL;
		w->page_first = d->out->measures.n;
		return 0;
	case L_MEASURE:
		return start_measure(w, i);
	case L_PROGRESS: {
		struct kg_span rest = kg_span_after(l->t, label_len(l->t, MARK_PROGRESS));

		if (w->cur < 0)
			return 0;
		kg_unit_close(d);
		return rest.len > 0 ? bullet_start(w, rest, l->lineno) : 0;
	}
	case L_BULLET:
		/* before the first measure: the summary block's "・・・ N施策" */
		return w->cur < 0 ? 0 : bullet_start(w, l->t, l->lineno);
	case L_TEXT:
		if (is_heading(w, *i, heading, &yes) < 0)
			return -1;
		if (yes)
			return section_heading(w, *i, heading);
		if (w->cur < 0)
			return 0;
		return d->unit_open ? kg_unit_line(d, l->t, l->lineno) :
		    bullet_start(w, l->t, l->lineno);
	}
	return 0;
}

static int
progress_parse(struct kg_doc *d)
{
	struct walk w = {.d = d, .cur = -1};
	struct kg_buf heading = {0};
	size_t i;
	int rc = -1;

	if ((w.pl = calloc(d->n ? d->n : 1, sizeof(*w.pl))) == NULL)
		return -1;
	w.first_measure = d->n;
	for (i = 0; i < d->n; i++) {
		w.pl[i].kind = classify(d, i, &w.pl[i].head);
		if (w.pl[i].kind == L_MEASURE && w.first_measure == d->n)
			w.first_measure = i;
	}
	d->preamble_end = w.first_measure;
	if (read_summary(&w) < 0)
		goto out;
	for (i = 0; i < d->n; i++)
		if (walk_line(&w, &i, &heading) < 0)
			goto out;
	kg_unit_close(d);
	rc = 0;
out:
	free(heading.s);
	free(w.sub);
	free(w.pl);
	kg_buf_free(&w.scratch);
	return rc;
}

const struct kg_layout kg_layout_progress = {
	.name = "progress",
	.looks_for = "lines starting with 【施策名】",
	.detect = progress_detect,
	.parse = progress_parse,
};
