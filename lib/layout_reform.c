/*
 * layout_reform — regulatory-reform tables (規制改革実施計画 and their
 * follow-ups): rows No. / 事項名 / 規制改革の内容 with lettered sub-items
 * (a, b, c) / 実施時期 keyed by letter (a：令和３年度検討開始、令和４年度結論・措置
 * b：措置済み) / 所管府省.
 *
 * A row starts at a line "N 事項名" whose N follows the previous row's
 * number (or restarts at 1; the first row after a table header may have any
 * number) and runs to the next row or heading.  PDF
 * extraction gives its cells one after the other (block order) or, for
 * cells of one line, side by side on one line separated by blanks; so each
 * line is cut into tokens at the blanks that separate cells — not at those
 * of date spacing (令和３年 10 月) or Latin words (IoT 機器) — and every token
 * is sorted into a column: a letter alone opens a sub-item, "a：" opens a
 * 実施時期 segment, a list of names is the 所管府省 cell, a short phrase
 * before any content is the 事項名, a phrase with a date that ends in 措置,
 * 結論, 検討開始 or 済み (or follows a finished sentence) is 実施時期, and the
 * rest is content.
 *
 * Each sub-item becomes one unit, "<content>実施時期：<its segment>", so the
 * extractor dates the content by its own timing (a labelled date takes the
 * kind of the sentence before it) and a composite cell gives one milestone
 * per dated event.  The content is an undated plan only when its timing
 * gives no date (速やかに措置); 措置済み without a date gives nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define LETTERS 26
/* A 事項名 line is short: longer phrases are content. */
#define TITLE_MAX_CP 30

enum col { C_TITLE, C_CONTENT, C_TIMING, C_OWNER };

struct piece {
	enum col col;
	int key;            /* content: its sub-item letter (0..25), -1 unlettered */
	struct kg_span t;
	int lineno;
};

struct reform {
	struct kg_doc *d;
	long cur;           /* measure of the row being read, -1 outside */
	long number;        /* its No. */
	struct piece *p;
	size_t np, cap;
	int key;            /* sub-item of the content being read */
	bool title_done;
	struct kg_span heading, subheading;
};

static bool
is_digit(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool
is_ascii_alnum(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A sub-item letter: a-z or ａ-ｚ; its index, or -1. */
static int
letter(int32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 0xFF41 && c <= 0xFF5A)
		return c - 0xFF41;
	return -1;
}

/* A timing key at t.s[i]: letters (a, a,b, a・b) then ：or :.  Its letters
 * as a bit mask, *end past the colon; 0 when there is none. */
static uint32_t
key_at(struct kg_span t, size_t i, size_t *end)
{
	uint32_t mask = 0;
	size_t n;
	int k;

	while (i < t.len && (k = letter(kg_cp_at(t.s, t.len, i, &n))) >= 0) {
		mask |= 1u << k;
		i += n;
		if (kg_eat(t, &i, "：") || kg_eat(t, &i, ":")) {
			*end = i;
			return mask;
		}
		if (!kg_eat(t, &i, ",") && !kg_eat(t, &i, "、") && !kg_eat(t, &i, "・") &&
		    !kg_eat(t, &i, "，"))
			return 0;
	}
	return 0;
}

/* A letter standing alone (followed by a blank or the end): a sub-item. */
static int
marker_at(struct kg_span t, size_t i)
{
	size_t n, m;
	int k = i < t.len ? letter(kg_cp_at(t.s, t.len, i, &n)) : -1;

	if (k < 0 || (i + n < t.len && !kg_is_space(kg_cp_at(t.s, t.len, i + n, &m))))
		return -1;
	return k;
}

/* Is the blank run [a, b) of t a border between two cells? */
static bool
cell_border(struct kg_span t, size_t start, size_t a, size_t b)
{
	size_t n, k;
	int32_t prev = kg_cp_before(t.s, a, &n), next = kg_cp_at(t.s, t.len, b, &n);

	if (key_at(t, b, &k) != 0 || marker_at(t, b) >= 0 || (a - start <= 3 && marker_at(t, start) >= 0))
		return true;
	return !(is_digit(prev) || is_digit(next) || is_ascii_alnum(prev) || is_ascii_alnum(next));
}

/* The next cell of line t from *i ([start, end) trimmed), moving *i. */
static struct kg_span
next_cell(struct kg_span t, size_t *i)
{
	size_t start, a, b, n;

	kg_skip_space(t, i);
	start = *i;
	while (*i < t.len) {
		if (!kg_is_space(kg_cp_at(t.s, t.len, *i, &n))) {
			*i += n;
			continue;
		}
		a = *i;
		b = a;
		kg_skip_space(t, &b);
		if (b < t.len && cell_border(t, start, a, b))
			return (struct kg_span){t.s + start, a - start};
		*i = b;
	}
	return (struct kg_span){t.s + start, *i - start};
}

/* "N 事項名": the row number, or -1. */
static long
row_number(struct kg_span t, size_t *len)
{
	size_t i = 0, n, k;
	long v;

	if (t.len == 0 || !is_digit(kg_cp_at(t.s, t.len, 0, &n)))
		return -1;
	v = kg_read_number(t, &i);
	k = i;
	if (v < 1 || v > 999 || i >= t.len || !kg_is_space(kg_cp_at(t.s, t.len, i, &n)))
		return -1;
	kg_skip_space(t, &i);
	if (i == k || kg_counter_at(t, i))
		return -1;
	*len = i;
	return v;
}

static bool
roman_heading(struct kg_span t)
{
	size_t n;
	int32_t c = kg_cp_at(t.s, t.len, 0, &n);

	return t.len > 0 && c >= 0x2160 && c <= 0x216B; /* Ⅰ..Ⅻ */
}

/* Words that end a 実施時期 phrase. */
static bool
timing_phrase(struct kg_span t)
{
	static const char *const ends[] = {"措置", "結論", "検討開始", "措置済み", "措置済",
		"済み", "開始", "実施", "以降"};
	size_t k, i, n;
	bool date = false;

	if (kg_span_find(t, "は、") >= 0 || kg_span_ends(t, "。"))
		return false;
	for (i = 0; i < t.len && !date; i += n)
		date = is_digit(kg_cp_at(t.s, t.len, i, &n)) || kg_digit_value(kg_cp_at(t.s, t.len, i, &n)) >= 0;
	for (k = 0; k < sizeof(ends) / sizeof(ends[0]); k++)
		if (kg_span_ends(t, ends[k]))
			return date || kg_span_find(t, "済") >= 0;
	return kg_span_eq(t, (struct kg_span){"措置済み", strlen("措置済み")}) ||
	    kg_span_find(t, "速やかに") >= 0;
}

/* A cell that starts a sentence of content: "<owners>は、…", "…において、". */
static bool
content_start(struct kg_span t)
{
	return kg_span_find(t, "は、") >= 0 || kg_span_find(t, "において、") >= 0;
}

static int
add_piece(struct reform *r, enum col col, struct kg_span t, int lineno)
{
	struct piece *p;

	if (t.len == 0)
		return 0;
	if (kg_array_grow((void **)&r->p, &r->cap, r->np, sizeof(*r->p)) < 0)
		return -1;
	p = &r->p[r->np++];
	p->col = col;
	p->key = col == C_CONTENT ? r->key : -1;
	p->t = t;
	p->lineno = lineno;
	return 0;
}

/*
 * The column of cell c: a timing key or a list of names say it; before any
 * content a short phrase is the 事項名; a sentence's start or end is
 * content; a 実施時期 phrase, or the continuation of one, is timing; the
 * rest continues the content.
 */
static enum col
classify(struct reform *r, struct kg_span c)
{
	size_t k;

	if (key_at(c, 0, &k) != 0)
		return C_TIMING;
	if (kg_owner_list(c))
		return C_OWNER;
	if (!r->title_done && !content_start(c) && kg_span_find(c, "、") < 0 &&
	    kg_span_find(c, "。") < 0 && kg_span_cps(c) <= TITLE_MAX_CP)
		return C_TITLE;
	r->title_done = true;
	if (content_start(c) || kg_span_ends(c, "。"))
		return C_CONTENT;
	if (timing_phrase(c) || (r->np > 0 && r->p[r->np - 1].col == C_TIMING))
		return C_TIMING;
	return C_CONTENT;
}

/* Sorts the cells of one line of a row into pieces. */
static int
row_line(struct reform *r, struct kg_span t, int lineno)
{
	size_t i = 0;

	while (i < t.len) {
		struct kg_span c = next_cell(t, &i);
		int k = marker_at(c, 0);

		if (c.len == 0)
			break;
		if (k >= 0) {
			size_t n;

			r->key = k;
			r->title_done = true;
			kg_cp_at(c.s, c.len, 0, &n);
			c = kg_span_after(c, n);
			if (c.len == 0)
				continue;
			if (add_piece(r, C_CONTENT, c, lineno) < 0)
				return -1;
			continue;
		}
		if (add_piece(r, classify(r, c), c, lineno) < 0)
			return -1;
	}
	return 0;
}

/* ---- a finished row into a measure and its units ---- */

/* Appends the pieces of content key (or the unlettered ones) to the unit. */
static int
emit_content(struct reform *r, int key)
{
	size_t i;
	bool any = false, ended = true;

	for (i = 0; i < r->np; i++)
		if (r->p[i].col == C_CONTENT && r->p[i].key == key) {
			if (kg_unit_line(r->d, r->p[i].t, r->p[i].lineno) < 0)
				return -1;
			any = true;
			ended = kg_span_ends(r->p[i].t, "。");
		}
	return any && !ended ? kg_unit_text(r->d, "。") : 0;
}

/*
 * Appends the 実施時期 text that applies to sub-item key (-1: all of it):
 * the segments whose key names it, or unkeyed ones.  *done is set when it
 * reports the work done (済) so the content is no undated plan.
 */
static int
emit_timing(struct reform *r, int key, bool *done)
{
	uint32_t mask = UINT32_MAX, want = key >= 0 ? 1u << key : UINT32_MAX;
	bool label = false;
	size_t i, j, k, n;

	*done = false;
	for (i = 0; i < r->np; i++) {
		struct kg_span t = r->p[i].t;
		size_t from = 0;

		if (r->p[i].col != C_TIMING)
			continue;
		for (j = 0; j <= t.len; j += n) {
			uint32_t m = 0;

			n = 1;
			if (j < t.len) {
				kg_cp_at(t.s, t.len, j, &n);
				if (j == 0 || kg_is_space(kg_cp_before(t.s, j, &k)) ||
				    kg_span_ends((struct kg_span){t.s, j}, "、"))
					m = key_at(t, j, &k);
			}
			if (j < t.len && m == 0)
				continue;
			if (mask & want) {
				struct kg_span seg = kg_span_trim((struct kg_span){t.s + from, j - from});

				while (kg_span_ends(seg, "、"))
					seg = kg_span_trim((struct kg_span){seg.s, seg.len - strlen("、")});
				if (seg.len > 0 && !label && kg_unit_label(r->d, "実施時期：") < 0)
					return -1;
				label = label || seg.len > 0;
				if (seg.len > 0 && kg_unit_line(r->d, seg, r->p[i].lineno) < 0)
					return -1;
				*done = *done || kg_span_find(seg, "済") >= 0;
			}
			if (j < t.len) {
				mask = m;
				from = k;
				n = k - j;
			}
		}
	}
	return 0;
}

static int
emit_unit(struct reform *r, int key)
{
	bool done;

	if (kg_unit_start(r->d, (size_t)r->cur, KG_UNIT_TEXT, (struct kg_span){NULL, 0}) < 0 ||
	    emit_content(r, key) < 0 || emit_timing(r, key, &done) < 0)
		return -1;
	kg_unit_notes(r->d, done ? KG_NOTES_NONE : KG_NOTES_IF_UNDATED);
	kg_unit_close(r->d);
	return 0;
}

static int
end_row(struct reform *r)
{
	struct kg_measure *m;
	struct kg_buf title = {0};
	bool seen[LETTERS + 1] = {false};
	size_t i;
	int rc = -1;

	if (r->cur < 0)
		return 0;
	m = &r->d->out->measures.v[r->cur];
	for (i = 0; i < r->np; i++) {
		if (r->p[i].col == C_TITLE && kg_buf_join(&title, r->p[i].t) < 0)
			goto out;
		if (r->p[i].col == C_OWNER && kg_owners_add(&m->owners, r->p[i].t, true) < 0)
			goto out;
	}
	if (title.len > 0) {
		free(m->title);
		m->title = title.s;
		title.s = NULL;
	}
	for (i = 0; i < r->np; i++) {
		int key = r->p[i].key;

		if (r->p[i].col != C_CONTENT || seen[key + 1])
			continue;
		seen[key + 1] = true;
		if (emit_unit(r, key) < 0)
			goto out;
	}
	rc = 0;
out:
	kg_buf_free(&title);
	r->cur = -1;
	r->np = 0;
	return rc;
}

static int
start_row(struct reform *r, size_t i, long number, size_t len)
{
	const struct kg_dline *l = &r->d->lines[i];
	struct kg_measure *m;
	char no[32];

	if (end_row(r) < 0 || (m = kg_doc_add_item(r->d, l->lineno)) == NULL)
		return -1;
	snprintf(no, sizeof(no), "No.%ld", number);
	if ((m->title = strdup(no)) == NULL ||
	    (r->heading.len > 0 && (m->heading = kg_span_dup(r->heading)) == NULL) ||
	    (r->subheading.len > 0 && (m->subheading = kg_span_dup(r->subheading)) == NULL))
		return -1;
	r->cur = (long)r->d->out->measures.n - 1;
	r->number = number;
	r->key = -1;
	r->title_done = false;
	return row_line(r, kg_span_after(l->t, len), l->lineno);
}

/* Is line i a heading (Ⅱ …, 1．…, (1) …)? */
static bool
heading_line(const struct kg_doc *d, size_t i)
{
	size_t len;
	enum kg_label lab = kg_label_at(d->lines[i].t, &len);

	return roman_heading(d->lines[i].t) || lab == KG_LABEL_PNUM ||
	    (lab == KG_LABEL_SECTION && row_number(d->lines[i].t, &len) < 0);
}

static void
heading(struct reform *r, struct kg_span t)
{
	size_t len;

	if (roman_heading(t)) {
		r->heading = t;
		r->subheading = (struct kg_span){NULL, 0};
	} else if (kg_label_at(t, &len) == KG_LABEL_SECTION) {
		r->heading = t;
		r->subheading = (struct kg_span){NULL, 0};
	} else {
		r->subheading = t;
	}
}

static bool
reform_skip(const struct kg_doc *d, size_t i)
{
	return d->lines[i].kind != KG_LINE_TEXT || kg_header_line(d->lines[i].t);
}

static int
reform_parse(struct kg_doc *d)
{
	struct reform r = {.d = d, .cur = -1, .number = 0};
	size_t i, len;
	long no;
	bool header = false; /* a table header came and no row since */
	int rc = -1;

	for (i = 0; i < d->n; i++) {
		const struct kg_dline *l = &d->lines[i];

		if (l->kind == KG_LINE_TEXT && kg_header_line(l->t))
			header = true;
		if (reform_skip(d, i))
			continue;
		no = row_number(l->t, &len);
		if (no > 0 && (no == r.number + 1 || no == 1 || (header && r.number == 0))) {
			header = false;
			if (d->preamble_end == d->n)
				d->preamble_end = i;
			if (start_row(&r, i, no, len) < 0)
				goto out;
		} else if (heading_line(d, i)) {
			if (end_row(&r) < 0)
				goto out;
			heading(&r, l->t);
		} else if (r.cur >= 0 && row_line(&r, l->t, l->lineno) < 0) {
			goto out;
		}
	}
	rc = end_row(&r);
out:
	free(r.p);
	return rc;
}

/* 実施時期 and 所管府省 column headers, keyed timings (a：), the plan's name. */
static int
reform_detect(const struct kg_doc *d)
{
	bool timing = false, owner = false, name = false;
	size_t i, keys = 0, k;
	int score;

	for (i = 0; i < d->n; i++) {
		struct kg_span t = d->lines[i].t;

		if (d->lines[i].kind != KG_LINE_TEXT)
			continue;
		timing = timing || kg_span_find(t, "実施時期") >= 0;
		owner = owner || kg_span_find(t, "所管府省") >= 0 || kg_span_find(t, "所管省庁") >= 0;
		name = name || kg_span_find(t, "規制改革") >= 0;
		keys += key_at(t, 0, &k) != 0;
	}
	score = (timing && owner ? 50 : 0) + (keys >= 2 ? 30 : 0) + (name ? 10 : 0);
	return timing && owner ? score : 0;
}

const struct kg_layout kg_layout_reform = {
	.name = "reform-table",
	.looks_for = "rows with a 実施時期 column keyed a：, b： and a 所管府省 column",
	.detect = reform_detect,
	.parse = reform_parse,
};
