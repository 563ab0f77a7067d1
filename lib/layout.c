/*
 * layout — see layout.h.  The machinery every layout shares: the classified
 * lines of a document (furniture, pages, repeats), units with their line
 * maps, and the recognition of responsible bodies.
 */
#include "layout.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

const struct kg_layout *const kg_layouts[] = {
	&kg_layout_progress,
	&kg_layout_annual,
	&kg_layout_reform,
	&kg_layout_numbered,
	&kg_layout_kpi,
};
const size_t kg_nlayouts = sizeof(kg_layouts) / sizeof(kg_layouts[0]);

const struct kg_layout *
kg_layout_find(const char *name, struct kg_err *err)
{
	char names[256] = "";
	size_t i, used = 0;

	for (i = 0; i < kg_nlayouts; i++)
		if (strcmp(kg_layouts[i]->name, name) == 0)
			return kg_layouts[i];
	for (i = 0; i < kg_nlayouts; i++)
		used += kg_snprintf(names + used, sizeof(names) - used, "%s%s",
			i == 0 ? "" : i + 1 == kg_nlayouts ? " or " : ", ", kg_layouts[i]->name);
	kg_err_set(err, "unknown layout '%s' (expected %s)", name, names);
	return NULL;
}

/* ---- lines ---- */

static bool
is_page_number(struct kg_span t)
{
	size_t i, n;
	bool digit = false;

	if (t.len > 24)
		return false;
	for (i = 0; i < t.len; i += n) {
		int32_t c = kg_cp_at(t.s, t.len, i, &n);

		if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
			digit = true;
		else if (!(kg_is_space(c) || c == '-' || c == 0xFF0D || c == 0x2010 || c == 0x2212 ||
		    c == 0x2014 || c == 0x2015 || c == '/' || c == 0xFF0F || c == '.' ||
		    c == 'p' || c == 'P'))
			return false;
	}
	return digit;
}

static uint64_t
hash_span(struct kg_span t)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < t.len; i++)
		h = (h ^ (unsigned char)t.s[i]) * 1099511628211ULL;
	return h;
}

/* Counts the lines of each text with an open-addressing table of line
 * indices: linear in the document. */
static int
count_repeats(struct kg_doc *d)
{
	size_t cap = 64, i, j, *slot;

	while (cap < d->n * 2)
		cap *= 2;
	if ((slot = malloc(cap * sizeof(*slot))) == NULL)
		return -1;
	for (j = 0; j < cap; j++)
		slot[j] = SIZE_MAX;
	for (i = 0; i < d->n; i++) {
		if (d->lines[i].kind == KG_LINE_BLANK)
			continue;
		for (j = hash_span(d->lines[i].t) & (cap - 1); slot[j] != SIZE_MAX;
		    j = (j + 1) & (cap - 1))
			if (kg_span_eq(d->lines[slot[j]].t, d->lines[i].t))
				break;
		if (slot[j] == SIZE_MAX)
			slot[j] = i;
		d->lines[slot[j]].repeats++;
	}
	for (i = 0; i < d->n; i++) {
		if (d->lines[i].kind == KG_LINE_BLANK)
			continue;
		for (j = hash_span(d->lines[i].t) & (cap - 1);
		    !kg_span_eq(d->lines[slot[j]].t, d->lines[i].t); j = (j + 1) & (cap - 1))
			;
		d->lines[i].repeats = d->lines[slot[j]].repeats;
	}
	free(slot);
	return 0;
}

int
kg_doc_init(struct kg_doc *d, const struct kg_text *text)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->n = text->nlines;
	if ((d->lines = calloc(d->n ? d->n : 1, sizeof(*d->lines))) == NULL)
		return -1;
	d->title = d->n;
	for (i = 0; i < d->n; i++) {
		struct kg_dline *l = &d->lines[i];

		l->raw = (struct kg_span){text->lines[i].s, text->lines[i].len};
		l->t = kg_span_trim(l->raw);
		l->lineno = text->lines[i].lineno;
		l->page = text->lines[i].page; /* textio counts the form feeds */
		if (l->t.len == 0)
			l->kind = KG_LINE_BLANK;
		else if (d->title == d->n)
			d->title = i;
		else if (kg_span_eq(l->t, d->lines[d->title].t))
			l->kind = KG_LINE_REPEAT;
		else if (is_page_number(l->t))
			l->kind = KG_LINE_PAGENUM;
	}
	d->preamble_end = d->n;
	return count_repeats(d);
}

void
kg_doc_release(struct kg_doc *d)
{
	if (d == NULL)
		return;
	free(d->lines);
	kg_buf_free(&d->utext);
	free(d->segs);
	free(d->units);
	memset(d, 0, sizeof(*d));
}

int
kg_doc_page(const struct kg_doc *d, int lineno)
{
	return lineno < 1 || (size_t)lineno > d->n ? 0 : d->lines[lineno - 1].page;
}

size_t
kg_doc_next(const struct kg_doc *d, size_t i)
{
	while (i < d->n && d->lines[i].kind != KG_LINE_TEXT)
		i++;
	return i;
}

/* A line printed this often (running header, table header) is furniture. */
#define FURNITURE_REPEATS 3

bool
kg_doc_furniture(const struct kg_doc *d, size_t i)
{
	const struct kg_dline *l = &d->lines[i];
	size_t len;

	return l->kind != KG_LINE_TEXT || (l->repeats >= FURNITURE_REPEATS &&
	    kg_span_cps(l->t) >= 8 && kg_span_find(l->t, "。") < 0 && !kg_owner_list(l->t) &&
	    kg_label_at(l->t, &len) == KG_LABEL_NONE);
}

/* ---- units ---- */

int
kg_unit_start(struct kg_doc *d, size_t item, enum kg_unit_role role, struct kg_span mark)
{
	struct kg_unit *u;

	kg_unit_close(d);
	if (kg_array_grow((void **)&d->units, &d->capunits, d->nunits, sizeof(*d->units)) < 0)
		return -1;
	u = &d->units[d->nunits];
	memset(u, 0, sizeof(*u));
	u->item = item;
	u->role = role;
	u->mark = mark;
	u->off = d->utext.len;
	u->seg = d->nsegs;
	d->unit_open = true;
	return 0;
}

int
kg_unit_line(struct kg_doc *d, struct kg_span t, int lineno)
{
	struct kg_unit *u;

	if (!d->unit_open)
		return 0;
	u = &d->units[d->nunits];
	if (kg_array_grow((void **)&d->segs, &d->capsegs, d->nsegs, sizeof(*d->segs)) < 0)
		return -1;
	d->segs[d->nsegs].off = d->utext.len - u->off;
	d->segs[d->nsegs].lineno = lineno;
	d->nsegs++;
	u->nseg++;
	if (kg_buf_join(&d->utext, t) < 0)
		return -1;
	u->len = d->utext.len - u->off;
	return 0;
}

int
kg_unit_text(struct kg_doc *d, const char *s)
{
	struct kg_unit *u;

	if (!d->unit_open)
		return 0;
	u = &d->units[d->nunits];
	if (kg_buf_add(&d->utext, s, strlen(s)) < 0)
		return -1;
	u->len = d->utext.len - u->off;
	return 0;
}

int
kg_unit_label(struct kg_doc *d, const char *label)
{
	if (!d->unit_open)
		return 0;
	d->units[d->nunits].label = d->units[d->nunits].len;
	return kg_unit_text(d, label);
}

void
kg_unit_notes(struct kg_doc *d, enum kg_unit_notes notes)
{
	if (d->unit_open)
		d->units[d->nunits].notes = notes;
}

void
kg_unit_close(struct kg_doc *d)
{
	struct kg_unit *u;

	if (!d->unit_open)
		return;
	u = &d->units[d->nunits];
	d->unit_open = false;
	if (u->len == 0) {
		d->utext.len = u->off;
		d->nsegs = u->seg;
		return;
	}
	d->nunits++;
}

bool
kg_unit_complete(const struct kg_doc *d)
{
	const struct kg_unit *u;
	size_t n;
	int32_t c;

	if (!d->unit_open || d->units[d->nunits].len == 0)
		return false;
	u = &d->units[d->nunits];
	c = kg_cp_before(d->utext.s + u->off, u->len, &n);
	return c == 0x3002 || c == 0xFF0E || c == 0xFF09 || c == ')'; /* 。．）) */
}

int
kg_unit_lineno(const struct kg_doc *d, const struct kg_unit *u, size_t off)
{
	const struct kg_seg *s = d->segs + u->seg;
	size_t lo = 0, hi = u->nseg;

	/* the last segment starting at or before off: a binary search, as a
	 * unit may span many lines and hold many dates */
	if (u->nseg == 0)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return s[lo].lineno;
}

/* ---- items and owners ---- */

int
kg_item_line(struct kg_doc *d, size_t item, struct kg_span t, int lineno,
    struct kg_span (*split)(struct kg_span t, struct kg_strv *owners, int *rc))
{
	struct kg_measure *m = &d->out->measures.v[item];
	struct kg_span mark = {NULL, 0};
	int rc;

	if (kg_owner_list(t))
		return kg_owners_add(&m->owners, t, true);
	t = split(t, &m->owners, &rc);
	if (rc < 0)
		return -1;
	if (t.len == 0)
		return 0;
	if (kg_span_starts(t, "・")) {
		mark = (struct kg_span){t.s, strlen("・")};
		t = kg_span_after(t, mark.len);
		kg_unit_close(d);
	}
	if (!d->unit_open && kg_unit_start(d, item, KG_UNIT_TEXT, mark) < 0)
		return -1;
	return kg_unit_line(d, t, lineno);
}

struct kg_measure *
kg_doc_add_item(struct kg_doc *d, int lineno)
{
	struct kg_measure *m = kg_measure_list_add(&d->out->measures);

	if (m != NULL) {
		m->position = (int)d->out->measures.n;
		m->line = lineno;
	}
	return m;
}

/* Bodies whose names no suffix rule finds, and collective names. */
static const char *const owner_names[] = {
	"内閣官房", "内閣府", "内閣法制局", "人事院", "会計検査院", "宮内庁", "デジタル庁",
	"復興庁", "全府省庁", "各府省庁", "関係府省庁", "全府省", "各府省", "関係府省",
	"関係省庁", "各省庁", "全省庁", "重要インフラ所管省庁", "内閣サイバーセキュリティセンター",
	"大臣官房", "各局", "各部",
};

/* Suffixes of a body's name; a name is at most OWNER_MAX_CP code points. */
static const char *const owner_suffixes[] = {
	"省", "庁", "府", "委員会", "本部", "官房", "センター", "事務局",
};
#define OWNER_MAX_CP 16

static bool
owner_char(int32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x30A0 && c <= 0x30FF && c != 0x30FB) ||
	    (c >= 0x3041 && c <= 0x3096) || (c >= 0xFF21 && c <= 0xFF3A) ||
	    (c >= 'A' && c <= 'Z');
}

/* Particles and verbs no body's name holds (こども家庭庁 has kana, but
 * none of these): a line of running text ending in 省 is no name. */
static const char *const not_in_names[] = {
	"を", "が", "は", "に", "で", "と", "の", "する", "した", "おいて",
};

bool
kg_owner_name(struct kg_span t)
{
	size_t i, n;

	t = kg_span_trim(t);
	for (i = 0; i < sizeof(not_in_names) / sizeof(not_in_names[0]); i++)
		if (kg_span_find(t, not_in_names[i]) >= 0)
			return false;
	if (kg_span_ends(t, "等"))
		t.len -= strlen("等");
	if (t.len == 0 || kg_span_cps(t) > OWNER_MAX_CP)
		return false;
	for (i = 0; i < t.len; i += n)
		if (!owner_char(kg_cp_at(t.s, t.len, i, &n)))
			return false;
	for (i = 0; i < sizeof(owner_names) / sizeof(owner_names[0]); i++)
		if (kg_span_eq(t, (struct kg_span){owner_names[i], strlen(owner_names[i])}))
			return true;
	for (i = 0; i < sizeof(owner_suffixes) / sizeof(owner_suffixes[0]); i++)
		if (kg_span_ends(t, owner_suffixes[i]) && t.len > strlen(owner_suffixes[i]))
			return true;
	return false;
}

static bool
owner_sep(int32_t c, bool at_space)
{
	return c == 0x3001 || c == 0xFF0C || c == ',' || c == 0x30FB || c == 0xFF65 ||
	    (at_space && kg_is_space(c)); /* 、，,・･ */
}

/* Calls fn on each name of list t; stops at the first nonzero return. */
static int
each_owner(struct kg_span t, bool at_space, int (*fn)(struct kg_span, void *), void *arg)
{
	size_t i, n = 1, start = 0;
	int r;

	for (i = 0; i <= t.len; i += n) {
		int32_t c = ',';

		n = 1;
		if (i < t.len)
			c = kg_cp_at(t.s, t.len, i, &n);
		if (owner_sep(c, at_space)) {
			struct kg_span o = kg_span_trim((struct kg_span){t.s + start, i - start});

			if (o.len > 0 && (r = fn(o, arg)) != 0)
				return r;
			start = i + n;
		}
	}
	return 0;
}

static int
not_owner(struct kg_span o, void *arg)
{
	(*(size_t *)arg)++;
	return kg_owner_name(o) ? 0 : 1;
}

bool
kg_owner_list(struct kg_span t)
{
	size_t names = 0;

	return each_owner(t, true, not_owner, &names) == 0 && names > 0;
}

static int
push_owner(struct kg_span o, void *arg)
{
	struct kg_strv *owners = arg;

	if (kg_strv_contains_n(owners, o.s, o.len))
		return 0;
	return kg_strv_push(owners, o.s, o.len) < 0 ? -1 : 0;
}

int
kg_owners_add(struct kg_strv *owners, struct kg_span list, bool at_space)
{
	return each_owner(list, at_space, push_owner, owners);
}

#define GLUED_MAX 256

struct kg_span
kg_owners_glued(struct kg_span t, struct kg_strv *owners, int *rc)
{
	size_t i, n;
	bool blank = false;

	*rc = 0;
	t = kg_span_trim(t);
	/* the leftmost blank after which only names follow, among the last
	 * GLUED_MAX bytes: owner lists are short, and a long line stays linear */
	i = t.len > GLUED_MAX ? kg_utf8_cut(t.s, t.len - GLUED_MAX) : 0;
	for (; i < t.len; i += n) {
		struct kg_span tail = {t.s + i, t.len - i};

		if (kg_is_space(kg_cp_at(t.s, t.len, i, &n))) {
			blank = true;
			continue;
		}
		if (!blank)
			continue;
		blank = false;
		if (!kg_owner_list(tail))
			continue;
		if (owners != NULL && kg_owners_add(owners, tail, true) < 0)
			*rc = -1;
		return kg_span_trim((struct kg_span){t.s, i});
	}
	return t;
}

/* Is t owner names joined by 及び, 、 or ・? */
static bool
owner_phrase(struct kg_span t)
{
	long k;

	while ((k = kg_span_find(t, "及び")) >= 0) {
		if (!kg_owner_list((struct kg_span){t.s, (size_t)k}))
			return false;
		t = (struct kg_span){t.s + k + strlen("及び"), t.len - (size_t)k - strlen("及び")};
	}
	return kg_owner_list(t);
}

size_t
kg_owners_lead(struct kg_span t)
{
	static const char *const seps[] = {"において、", "は、"};
	size_t s;
	long k;

	for (s = 0; s < sizeof(seps) / sizeof(seps[0]); s++)
		if ((k = kg_span_find(t, seps[s])) > 0 && owner_phrase((struct kg_span){t.s, (size_t)k}))
			return (size_t)k + strlen(seps[s]);
	return 0;
}

static bool
is_digit(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool
is_katakana(int32_t c)
{
	return c >= 0x30A2 && c <= 0x30F3;
}

/* Digits at t.s[*i] (at most max), moving *i past them; how many. */
static size_t
digits(struct kg_span t, size_t *i, size_t max)
{
	size_t n, k = 0;

	while (*i < t.len && k < max && is_digit(kg_cp_at(t.s, t.len, *i, &n))) {
		*i += n;
		k++;
	}
	return k;
}

static bool
eat_any(struct kg_span t, size_t *i, const char *const *words)
{
	for (; *words != NULL; words++)
		if (kg_eat(t, i, *words))
			return true;
	return false;
}

static const char *const opens[] = {"(", "（", NULL};
static const char *const closes[] = {")", "）", NULL};
static const char *const hyphens[] = {"-", "－", "‐", "−", NULL};
static const char *const dots[] = {".", "．", "、", NULL};

/* Column names of the tables of the family. */
static const char *const header_words[] = {
	"No.", "No", "№", "番号", "整理番号", "項番", "事項名", "規制改革の内容", "内容",
	"実施時期", "所管府省", "所管府省庁", "所管省庁", "所管", "担当府省庁", "措置状況",
	"備考", "KPI", "ＫＰＩ", "目標", "目標値", "実績", "最新の数値", "評価",
};

bool
kg_header_line(struct kg_span t)
{
	size_t i = 0, k;
	bool any = false;

	while (i < t.len) {
		struct kg_span w = kg_next_word(t, &i);

		if (w.len == 0)
			break;
		for (k = 0; k < sizeof(header_words) / sizeof(header_words[0]); k++)
			if (kg_span_eq(w, (struct kg_span){header_words[k], strlen(header_words[k])}))
				break;
		if (k == sizeof(header_words) / sizeof(header_words[0]))
			return false;
		any = true;
	}
	return any;
}

bool
kg_counter_at(struct kg_span t, size_t i)
{
	static const char *const units[] = {"年", "月", "日", "か", "カ", "ヶ", "件", "名", "人",
		"%", "％", "倍", NULL};
	size_t n;

	return i >= t.len || is_digit(kg_cp_at(t.s, t.len, i, &n)) || eat_any(t, &i, units);
}

/* A section label is followed by a heading, not by a date or a count cut
 * off at the start of a line (10 月に…, 3 件), nor by a sentence. */
static bool
heading_text(struct kg_span t, size_t i)
{
	return !kg_counter_at(t, i) && kg_span_find(t, "。") < 0;
}

enum kg_label
kg_label_at(struct kg_span t, size_t *len)
{
	enum kg_label kind = KG_LABEL_NONE;
	size_t i = 0, k, n;
	int32_t c;
	bool dai;

	*len = 0;
	if (t.len == 0)
		return KG_LABEL_NONE;
	c = kg_cp_at(t.s, t.len, 0, &n);
	if (eat_any(t, &i, opens)) {
		k = i;
		if (digits(t, &i, 2) > 0 && eat_any(t, &i, closes))
			kind = KG_LABEL_PNUM;
		else if ((i = k) < t.len && is_katakana(kg_cp_at(t.s, t.len, i, &n)) &&
		    (i += n, eat_any(t, &i, closes)))
			kind = KG_LABEL_PKANA;
	} else if (kg_is_circled(c)) {
		i = n;
		kind = KG_LABEL_CIRCLED;
	} else if (is_katakana(c) && n < t.len && kg_is_space(kg_cp_at(t.s, t.len, n, &k))) {
		i = n;
		kind = KG_LABEL_KANA;
	} else if ((dai = kg_eat(t, &i, "第")), digits(t, &i, 2) > 0) {
		k = i;
		if (!dai && eat_any(t, &i, hyphens) && digits(t, &i, 3) > 0) {
			for (k = i; eat_any(t, &i, hyphens) && digits(t, &i, 3) > 0; k = i)
				;
			i = k;
			kind = KG_LABEL_HYPHEN;
			if (i >= t.len || !kg_is_space(kg_cp_at(t.s, t.len, i, &n)))
				return KG_LABEL_NONE;
		} else {
			i = k;
			if (!eat_any(t, &i, dots) &&
			    (i >= t.len || !kg_is_space(kg_cp_at(t.s, t.len, i, &n))))
				return KG_LABEL_NONE;
			kind = KG_LABEL_SECTION;
		}
	}
	if (kind == KG_LABEL_NONE)
		return kind;
	kg_skip_space(t, &i);
	if (kind == KG_LABEL_SECTION && !heading_text(t, i))
		return KG_LABEL_NONE;
	*len = i;
	return kind;
}

int
kg_doc_labels(const struct kg_doc *d, enum kg_label **label, size_t **len)
{
	size_t i;

	*label = calloc(d->n + 1, sizeof(**label));
	*len = calloc(d->n + 1, sizeof(**len));
	if (*label == NULL || *len == NULL)
		return -1;
	for (i = 0; i < d->n; i++)
		if (d->lines[i].kind == KG_LINE_TEXT)
			(*label)[i] = kg_label_at(d->lines[i].t, &(*len)[i]);
	return 0;
}

long
kg_paren_open(struct kg_span t)
{
	size_t end = t.len, n;
	int depth = 0;
	int32_t c = kg_cp_before(t.s, end, &n);

	if (c != 0xFF09 && c != ')')
		return -1;
	while (end > 0) {
		c = kg_cp_before(t.s, end, &n);
		end -= n;
		if (c == 0xFF09 || c == ')')
			depth++;
		else if ((c == 0xFF08 || c == '(') && --depth == 0)
			return (long)end;
	}
	return -1;
}
