/*
 * layout_kpi — KPI and roadmap tables (改革工程表, KPI follow-ups of national
 * strategies): items marked ○ or numbered, each a KPI with its target and
 * deadline in brackets (【2026年度までに 80%】, 【2025年度に 500件以上】), a
 * 所管 cell, results with their dates (実績：2,100件（2023年9月末）) and an
 * evaluation letter.
 *
 * The cells of a row may come one per line or side by side on a line, so
 * each line is read for the pieces it holds rather than by column: owner
 * brackets (【所管】X) and 所管：X, target brackets (a 【】 holding a year),
 * figures (a number and its unit followed by a bracketed date), labels and
 * evaluation letters (dropped), owners glued to the end.  What remains is
 * the KPI's name (before any target or figure) or narrative text.
 *
 * A target is a KG_UNIT_TARGET unit (its deadline a kpi_target milestone), a
 * figure a KG_UNIT_FIGURE unit (its date a figure as of that date, no
 * milestone), narrative a text unit.  A ○ line always starts an item; a
 * numbered line starts one when its block holds a target, else it is a
 * heading, as is a short line right before an item.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* A figure before its bracketed date is short (73.1%, 2,100件). */
#define FIGURE_MAX_CP 24
/* A heading line before an item is short. */
#define HEADING_MAX_CP 30

struct kpi {
	struct kg_doc *d;
	long cur;
	bool named;          /* the KPI's name is complete (a target or figure came) */
	struct kg_buf name;
	struct kg_span heading;
};

static bool
is_digit(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* ○ or ◯ and the blanks after it; 0 when t has none. */
static size_t
circle_len(struct kg_span t)
{
	size_t i = 0;

	if (!kg_eat(t, &i, "○") && !kg_eat(t, &i, "◯"))
		return 0;
	kg_skip_space(t, &i);
	return i;
}

/* Does bracket content c hold a target: a year? */
static bool
target_bracket(struct kg_span c)
{
	return kg_span_find(c, "年") >= 0 && !kg_span_starts(c, "所管") && !kg_span_starts(c, "担当");
}

/* The next 【…】 of t at or after *i: its start, content and end. */
static bool
next_bracket(struct kg_span t, size_t *i, size_t *start, struct kg_span *content, size_t *end)
{
	long a = kg_span_find((struct kg_span){t.s + *i, t.len - *i}, "【"), b;

	if (a < 0)
		return false;
	*start = *i + (size_t)a;
	b = kg_span_find((struct kg_span){t.s + *start, t.len - *start}, "】");
	if (b < 0)
		return false;
	*content = (struct kg_span){t.s + *start + strlen("【"), (size_t)b - strlen("【")};
	*end = *start + (size_t)b + strlen("】");
	*i = *end;
	return true;
}

/* Is line t (or the block of lines from i) a KPI row: does it hold a
 * target bracket? */
static bool
has_target(struct kg_span t)
{
	size_t i = 0, s, e;
	struct kg_span c;

	while (next_bracket(t, &i, &s, &c, &e))
		if (target_bracket(c))
			return true;
	return false;
}

/* The byte offset where a figure "73.1%（2023年10月末）" starts in t, its end
 * in *end; -1 when t has none from *from on. */
static long
figure_at(struct kg_span t, size_t from, size_t *end)
{
	size_t i = from, n, k;
	long open, close;

	while ((open = kg_span_find((struct kg_span){t.s + i, t.len - i}, "（")) >= 0) {
		size_t o = i + (size_t)open;
		struct kg_span in;

		close = kg_span_find((struct kg_span){t.s + o, t.len - o}, "）");
		if (close < 0)
			return -1;
		in = (struct kg_span){t.s + o + strlen("（"), (size_t)close - strlen("（")};
		i = o + (size_t)close + strlen("）");
		if (kg_span_find(in, "年") < 0)
			continue;
		/* the figure: back from the bracket to a blank, a colon or the start
		 * (at most FIGURE_MAX_CP characters: a long line stays linear) */
		for (k = o; k > from && o - k < FIGURE_MAX_CP * 4; k -= n) {
			int32_t c = kg_cp_before(t.s, k, &n);

			if (kg_is_space(c) || c == 0xFF1A || c == ':')
				break;
		}
		if (k < o && is_digit(kg_cp_at(t.s, t.len, k, &n))) {
			*end = i;
			return (long)k;
		}
	}
	return -1;
}

/* An evaluation letter: A–F or N, half or full width. */
static bool
letter(struct kg_span w)
{
	size_t n;
	int32_t c = kg_cp_at(w.s, w.len, 0, &n);

	return kg_span_cps(w) == 1 &&
	    ((c >= 'A' && c <= 'F') || c == 'N' || (c >= 0xFF21 && c <= 0xFF26) || c == 0xFF2E);
}

/* Labels of cells (実績：, 最新の数値：, 累計) alone, an evaluation (評価：Ａ)
 * or its letter alone. */
static bool
noise(struct kg_span w)
{
	static const char *const labels[] = {"実績：", "実績:", "最新の数値：", "直近値：", "目標：",
		"目標値：", "累計"};
	size_t k = 0;

	if (kg_eat(w, &k, "評価：") || kg_eat(w, &k, "評価:"))
		return letter(kg_span_after(w, k));
	for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
		if (kg_span_eq(w, (struct kg_span){labels[k], strlen(labels[k])}))
			return true;
	return letter(w);
}

/* Appends the words of t that are not noise to out, one blank between
 * two (a blank still separates a name from glued owners, and date spacing
 * stays as printed). */
static int
words_of(struct kg_span t, struct kg_buf *out)
{
	size_t i = 0;

	while (i < t.len) {
		struct kg_span w = kg_next_word(t, &i);

		if (w.len == 0 || noise(w))
			continue;
		if ((out->len > 0 && kg_buf_add(out, " ", 1) < 0) || kg_buf_add(out, w.s, w.len) < 0)
			return -1;
	}
	return 0;
}

static int
unit(struct kpi *k, enum kg_unit_role role, struct kg_span t, int lineno)
{
	if (kg_unit_start(k->d, (size_t)k->cur, role, (struct kg_span){NULL, 0}) < 0 ||
	    kg_unit_line(k->d, t, lineno) < 0)
		return -1;
	kg_unit_close(k->d);
	k->named = true;
	return 0;
}

/* The rest of a line once its pieces are gone: the KPI's name (when the
 * line began before any target or figure: naming), or narrative text (one
 * unit joined across lines). */
static int
rest_of(struct kpi *k, struct kg_buf *rest, bool naming, int lineno)
{
	struct kg_measure *m = &k->d->out->measures.v[k->cur];
	struct kg_span t = {rest->s, rest->len};
	int rc;

	if (!kg_owner_list(t))
		t = kg_owners_glued(t, &m->owners, &rc);
	else
		rc = kg_owners_add(&m->owners, t, true), t.len = 0;
	if (rc < 0)
		return -1;
	if (t.len == 0)
		return 0;
	if (naming)
		return kg_buf_join(&k->name, t);
	if (!k->d->unit_open && kg_unit_start(k->d, (size_t)k->cur, KG_UNIT_TEXT,
	    (struct kg_span){NULL, 0}) < 0)
		return -1;
	return kg_unit_line(k->d, t, lineno);
}

/* Sorts one line of an item into owners, targets, figures and the rest. */
static int
item_line(struct kpi *k, struct kg_span t, int lineno)
{
	struct kg_measure *m = &k->d->out->measures.v[k->cur];
	struct kg_buf rest = {0};
	struct kg_span c;
	size_t i = 0, from = 0, s, e, fe;
	bool naming = !k->named;
	long f;
	int rc = -1;

	if (kg_eat(t, &i, "所管") && (kg_eat(t, &i, "：") || kg_eat(t, &i, ":")))
		return kg_owners_add(&m->owners, kg_span_after(t, i), true);
	i = 0;
	while (next_bracket(t, &i, &s, &c, &e)) {
		struct kg_span before = {t.s + from, s - from};

		if (kg_span_starts(c, "所管") || kg_span_starts(c, "担当")) {
			long nb = kg_span_find((struct kg_span){t.s + e, t.len - e}, "【");
			size_t stop = nb >= 0 ? e + (size_t)nb : t.len;

			if (kg_owners_add(&m->owners, (struct kg_span){t.s + e, stop - e}, true) < 0)
				goto out;
			i = stop;
		} else if (target_bracket(c)) {
			if (unit(k, KG_UNIT_TARGET, kg_span_trim(c), lineno) < 0)
				goto out;
		} else {
			continue;
		}
		if (words_of(before, &rest) < 0)
			goto out;
		from = i;
	}
	t = (struct kg_span){t.s + from, t.len - from};
	for (from = 0; (f = figure_at(t, from, &fe)) >= 0; from = fe) {
		if (words_of((struct kg_span){t.s + from, (size_t)f - from}, &rest) < 0 ||
		    unit(k, KG_UNIT_FIGURE, (struct kg_span){t.s + f, fe - (size_t)f}, lineno) < 0)
			goto out;
	}
	if (words_of((struct kg_span){t.s + from, t.len - from}, &rest) < 0 ||
	    (rest.len > 0 && rest_of(k, &rest, naming, lineno) < 0))
		goto out;
	rc = 0;
out:
	kg_buf_free(&rest);
	return rc;
}

static int
end_item(struct kpi *k)
{
	struct kg_measure *m;

	kg_unit_close(k->d);
	if (k->cur < 0)
		return 0;
	m = &k->d->out->measures.v[k->cur];
	if (k->name.len > 0) {
		free(m->title);
		if ((m->title = strndup(k->name.s, k->name.len)) == NULL)
			return -1;
	}
	k->cur = -1;
	return 0;
}

static int
start_item(struct kpi *k, size_t i, size_t skip)
{
	const struct kg_dline *l = &k->d->lines[i];
	struct kg_measure *m;

	if (end_item(k) < 0 || (m = kg_doc_add_item(k->d, l->lineno)) == NULL)
		return -1;
	k->cur = (long)k->d->out->measures.n - 1;
	k->named = false;
	k->name.len = 0;
	if ((m->title = kg_span_dup(l->t)) == NULL ||
	    (k->heading.len > 0 && (m->heading = kg_span_dup(k->heading)) == NULL))
		return -1;
	return item_line(k, kg_span_after(l->t, skip), l->lineno);
}

/* Where an item starts on line i (the length of its mark), or -1: ○, or a
 * label whose line or block (up to the next label or ○) holds a target. */
static long
item_start(const struct kg_doc *d, size_t i)
{
	size_t len, j;

	if (d->lines[i].kind != KG_LINE_TEXT)
		return -1;
	if ((len = circle_len(d->lines[i].t)) > 0)
		return (long)len;
	if (kg_label_at(d->lines[i].t, &len) == KG_LABEL_NONE)
		return -1;
	for (j = i; j < d->n; j++) {
		size_t l2;

		if (j > i && (circle_len(d->lines[j].t) > 0 ||
		    kg_label_at(d->lines[j].t, &l2) != KG_LABEL_NONE))
			break;
		if (d->lines[j].kind == KG_LINE_TEXT && has_target(d->lines[j].t))
			return (long)len;
	}
	return -1;
}

/* A short line right before an item, no piece of one: a heading. */
static bool
heading_line(const struct kg_doc *d, size_t i)
{
	struct kg_span t = d->lines[i].t;
	size_t j;

	if (kg_span_cps(t) > HEADING_MAX_CP || kg_span_find(t, "。") >= 0 ||
	    kg_span_find(t, "【") >= 0 || kg_span_find(t, "：") >= 0 || kg_owner_list(t))
		return false;
	for (j = i + 1; j < d->n && kg_doc_furniture(d, j); j++)
		;
	return j < d->n && item_start(d, j) >= 0;
}

static int
kpi_parse(struct kg_doc *d)
{
	struct kpi k = {.d = d, .cur = -1};
	size_t i;
	long skip;
	int rc = -1;

	for (i = 0; i < d->n; i++) {
		const struct kg_dline *l = &d->lines[i];

		if (kg_doc_furniture(d, i) || kg_header_line(l->t))
			continue;
		if ((skip = item_start(d, i)) >= 0) {
			if (d->preamble_end == d->n)
				d->preamble_end = i;
			if (start_item(&k, i, (size_t)skip) < 0)
				goto out;
		} else if (heading_line(d, i)) {
			if (end_item(&k) < 0)
				goto out;
			k.heading = l->t;
		} else if (k.cur >= 0 && item_line(&k, l->t, l->lineno) < 0) {
			goto out;
		}
	}
	rc = end_item(&k);
out:
	kg_buf_free(&k.name);
	return rc;
}

/* Target brackets on three lines or more, and the word KPI. */
static int
kpi_detect(const struct kg_doc *d)
{
	size_t i, targets = 0;
	bool word = false;

	for (i = 0; i < d->n; i++) {
		if (d->lines[i].kind != KG_LINE_TEXT)
			continue;
		targets += has_target(d->lines[i].t);
		word = word || kg_span_find(d->lines[i].t, "KPI") >= 0 ||
		    kg_span_find(d->lines[i].t, "ＫＰＩ") >= 0;
	}
	return targets >= 3 ? 88 + (word ? 7 : 0) : 0;
}

const struct kg_layout kg_layout_kpi = {
	.name = "kpi-table",
	.looks_for = "KPIs with targets in brackets such as 【2026年度までに 80%】",
	.detect = kpi_detect,
	.parse = kpi_parse,
};
