/*
 * page_timeline — the timeline page (page.h): the filter form, then two
 * SVGs side by side sharing their rows' geometry — the labels, which stay
 * put, and the bars on the time axis, which scroll horizontally on a
 * narrow screen.
 *
 * Steps: select the milestones (filters, free text), group them into rows
 * (by measure or by owner; a milestone with two owners is in both owners'
 * rows), pick the range (the form's, else the data's in whole fiscal
 * years), lay out one page of rows (lanes so that bars do not overlap; a
 * crowded row becomes a density strip per month), then write.  Every step
 * is linear in the selected milestones but the sorts of rows and lanes.
 */
#include "page_int.h"

#include <search.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "timeline.h"
#include "utf8.h"

#define AXIS_PX 1100.0      /* the time axis' width */
#define LABEL_PX 300        /* the labels' column */
#define LABEL_COLUMNS 40    /* display columns of a label before "…" */
#define HEAD_PX 46          /* the axis' band: fiscal years, then months */
#define LANE_PX 16
#define BAR_PX 11
#define ROW_PAD_PX 6
#define LANES_MAX 12        /* a row needing more is drawn as a density strip */
#define TICK_MIN_PX 3.0     /* a one-day bar is at least this wide */
#define RANGE_DAYS_MAX (60 * 366)
#define DENSITY_LEVELS 5

struct row {
	const char *label;
	const struct kg_measure *measure; /* by measure: the row's; else NULL */
	const char *owner;                /* by owner: the row's; else NULL */
	size_t first, n;                  /* its milestones: members[first..first+n) */
};

struct layout {
	const struct kg_site *s;
	const struct kg_page_query *q;
	size_t *sel, nsel;       /* indices of the selected milestones */
	struct row *rows;
	size_t nrows;
	size_t *members;         /* milestone indices, row by row */
	size_t *row_of_id;       /* by measure, ids dense enough: id -> row */
	int64_t max_id;
	struct kg_axis axis;
	bool filtered;           /* a filter or q narrows the milestones */
};

/* ---- selection ---- */

static bool
filter_active(const struct kg_filter *f)
{
	return f != NULL && (f->owners.n || f->kinds.n || f->statuses.n || f->measures.n);
}

static int
select_milestones(struct layout *L)
{
	const struct kg_site *s = L->s;
	const struct kg_page_query *q = L->q;
	size_t i;

	if ((L->sel = malloc((s->nmilestones + 1) * sizeof(*L->sel))) == NULL)
		return -1;
	for (i = 0; i < s->nmilestones; i++) {
		const struct kg_milestone *m = &s->milestones[i];

		if (m->window_start == KG_DAY_NONE && m->window_end == KG_DAY_NONE)
			continue;
		if (q->filter != NULL && !kg_filter_match(q->filter, m))
			continue;
		if (q->q != NULL && (s->folded == NULL || s->folded[i] == NULL ||
		    strstr(s->folded[i], q->q) == NULL))
			continue;
		L->sel[L->nsel++] = i;
	}
	L->filtered = filter_active(q->filter) || q->q != NULL;
	return 0;
}

/* ---- rows ---- */

/* A key of the row index: a measure id and its row. */
struct key {
	int64_t id;
	size_t row;
};

static int
by_id(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The row of each membership (milestone sel[k] in row), in two passes: the
 * count of each row, then the members in place.  row_of(L, k, j) gives the
 * j-th row of milestone sel[k], or (size_t)-1 after the last. */
typedef size_t row_of_fn(const struct layout *L, const struct key *keys, size_t nkeys,
    size_t k, size_t j);

static size_t
measure_row_of(const struct layout *L, const struct key *keys, size_t nkeys, size_t k, size_t j)
{
	const struct kg_milestone *m = &L->s->milestones[L->sel[k]];
	struct key want = {.id = m->measure_id}, *hit;

	if (j > 0)
		return (size_t)-1;
	if (L->row_of_id != NULL)
		return m->measure_id > 0 && m->measure_id <= L->max_id ?
		    L->row_of_id[m->measure_id] : L->nrows - 1;
	hit = bsearch(&want, keys, nkeys, sizeof(*keys), by_id);
	return hit != NULL ? hit->row : L->nrows - 1; /* the last row: no measure */
}

static size_t
owner_row_of(const struct layout *L, const struct key *keys, size_t nkeys, size_t k, size_t j)
{
	const struct kg_page_index *x = L->s->index;
	size_t i = L->sel[k], n = x->owner_at[i + 1] - x->owner_at[i];

	(void)keys;
	(void)nkeys;
	if (n == 0)
		return j == 0 ? L->nrows - 1 : (size_t)-1; /* the last row: no owner */
	return j < n ? x->owner_ix[x->owner_at[i] + j] : (size_t)-1;
}

static int
fill_members(struct layout *L, const struct key *keys, size_t nkeys, row_of_fn *row_of)
{
	size_t k, j, r, total = 0, *at;

	for (k = 0; k < L->nsel; k++)
		for (j = 0; (r = row_of(L, keys, nkeys, k, j)) != (size_t)-1; j++) {
			L->rows[r].n++;
			total++;
		}
	if ((L->members = malloc((total + 1) * sizeof(*L->members))) == NULL ||
	    (at = calloc(L->nrows, sizeof(*at))) == NULL)
		return -1;
	for (r = 0, total = 0; r < L->nrows; r++) {
		L->rows[r].first = total;
		total += L->rows[r].n;
	}
	for (k = 0; k < L->nsel; k++)
		for (j = 0; (r = row_of(L, keys, nkeys, k, j)) != (size_t)-1; j++)
			L->members[L->rows[r].first + at[r]++] = L->sel[k];
	free(at);
	return 0;
}

static int
rows_by_measure(struct layout *L)
{
	const struct kg_site *s = L->s;
	struct key *keys;
	size_t i;
	int rc;

	if ((L->rows = calloc(s->nmeasures + 1, sizeof(*L->rows))) == NULL ||
	    (keys = calloc(s->nmeasures + 1, sizeof(*keys))) == NULL)
		return -1;
	for (i = 0; i < s->nmeasures; i++) {
		L->rows[i].label = s->measures[i].title;
		L->rows[i].measure = &s->measures[i];
		keys[i].id = s->measures[i].id;
		keys[i].row = i;
	}
	L->rows[i].label = "(no measure)";
	L->nrows = s->nmeasures + 1;
	qsort(keys, s->nmeasures, sizeof(*keys), by_id);
	/* Ids are handed out by a counter: usually a table indexed by id beats
	 * a binary search per milestone (cache misses at 10^5). */
	L->max_id = s->nmeasures > 0 ? keys[s->nmeasures - 1].id : 0;
	if (L->max_id > 0 && (size_t)L->max_id <= 16 * s->nmeasures + 1024 &&
	    (L->row_of_id = malloc(((size_t)L->max_id + 1) * sizeof(*L->row_of_id))) != NULL) {
		for (i = 0; i <= (size_t)L->max_id; i++)
			L->row_of_id[i] = L->nrows - 1;
		for (i = 0; i < s->nmeasures; i++)
			if (keys[i].id > 0)
				L->row_of_id[keys[i].id] = keys[i].row;
	}
	rc = fill_members(L, keys, s->nmeasures, measure_row_of);
	free(keys);
	return rc;
}

/* Owners by their names through a hash table (hsearch_r): one lookup per
 * owner of a measure or milestone, no sort — at 10^5 milestones sorting
 * their owners' names was most of a publication after one change. */
int
kg_page_index(const struct kg_site *s, struct kg_page_index *out)
{
	struct hsearch_data names;
	ENTRY e, *hit;
	size_t i, j = 0, k, n = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&names, 0, sizeof(names));
	for (i = 0; i < s->nmeasures; i++)
		n += s->measures[i].owners.n;
	for (i = 0; i < s->nmilestones; i++)
		n += s->milestones[i].owners.n;
	if (hcreate_r(2 * n + 16, &names) == 0)
		return -1;
	if ((out->owner_at = calloc(s->nmilestones + 1, sizeof(*out->owner_at))) == NULL ||
	    (out->owner_ix = calloc(n + 1, sizeof(*out->owner_ix))) == NULL ||
	    (out->start = calloc(s->nmilestones + 1, sizeof(*out->start))) == NULL ||
	    (out->end = calloc(s->nmilestones + 1, sizeof(*out->end))) == NULL)
		goto out;
	/* Each name gets the next row when it first appears, the measures'
	 * first; each milestone's owners become indexes: none per request. */
	for (i = 0; i < s->nmeasures + s->nmilestones; i++) {
		const struct kg_milestone *m = i < s->nmeasures ? NULL :
		    &s->milestones[i - s->nmeasures];
		const struct kg_strv *o = m == NULL ? &s->measures[i].owners : &m->owners;

		if (m != NULL) {
			out->start[i - s->nmeasures] = m->window_start;
			out->end[i - s->nmeasures] = m->window_end;
			out->owner_at[i - s->nmeasures] = (uint32_t)j;
		}
		for (k = 0; k < o->n; k++) {
			e.key = o->v[k];
			e.data = (void *)(uintptr_t)out->owners.n;
			if (hsearch_r(e, ENTER, &hit, &names) == 0)
				goto out;
			if (hit->data == e.data && kg_strv_push(&out->owners, e.key, (size_t)-1) < 0)
				goto out;
			if (m != NULL)
				out->owner_ix[j++] = (uint32_t)(uintptr_t)hit->data;
		}
	}
	out->owner_at[s->nmilestones] = (uint32_t)j;
	rc = 0;
out:
	hdestroy_r(&names);
	if (rc < 0)
		kg_page_index_clear(out);
	return rc;
}

void
kg_page_index_clear(struct kg_page_index *x)
{
	kg_strv_clear(&x->owners);
	free(x->owner_at);
	free(x->owner_ix);
	free(x->start);
	free(x->end);
	memset(x, 0, sizeof(*x));
}

/* One row per owner of the site, then one for milestones without. */
static int
rows_by_owner(struct layout *L)
{
	const struct kg_strv *o = &L->s->index->owners;
	size_t i;

	if ((L->rows = calloc(o->n + 1, sizeof(*L->rows))) == NULL)
		return -1;
	for (i = 0; i < o->n; i++)
		L->rows[i].label = L->rows[i].owner = o->v[i];
	L->rows[i].label = "(no owner)";
	L->nrows = o->n + 1;
	return fill_members(L, NULL, 0, owner_row_of);
}

/* Drops the rows not shown: empty ones when the milestones are narrowed
 * (and always the catch-all last row when empty). */
static void
rows_compact(struct layout *L)
{
	size_t i, k = 0;

	for (i = 0; i < L->nrows; i++) {
		bool last = i == L->nrows - 1;

		if (L->rows[i].n > 0 || (!L->filtered && !last && L->q->group == KG_PAGE_BY_MEASURE))
			L->rows[k++] = L->rows[i];
	}
	L->nrows = k;
}

/* ---- range ---- */

static void
pick_range(struct layout *L)
{
	const struct kg_page_query *q = L->q;
	kg_day lo = KG_DAY_NONE, hi = KG_DAY_NONE, from, to;
	size_t k;

	for (k = 0; k < L->nsel; k++) {
		kg_day s = L->s->index->start[L->sel[k]], e = L->s->index->end[L->sel[k]];
		kg_day a = s != KG_DAY_NONE ? s : e, b = e != KG_DAY_NONE ? e : s;

		if (lo == KG_DAY_NONE || a < lo)
			lo = a;
		if (hi == KG_DAY_NONE || b > hi)
			hi = b;
	}
	if (lo == KG_DAY_NONE)
		lo = hi = q->today;
	if (q->as_of_given) {
		lo = q->today < lo ? q->today : lo;
		hi = q->today > hi ? q->today : hi;
	}
	/* Whole fiscal years: April 1st to March 31st. */
	from = kg_day_from_civil(kg_fiscal_year(lo), 4, 1);
	to = kg_day_from_civil(kg_fiscal_year(hi) + 1, 3, 31);
	if (q->from != KG_DAY_NONE)
		from = q->from;
	if (q->to != KG_DAY_NONE)
		to = q->to;
	if (to < from)
		to = from;
	if (to - from > RANGE_DAYS_MAX)
		to = from + RANGE_DAYS_MAX;
	kg_axis_init(&L->axis, from, to, 0, AXIS_PX);
}

/* ---- links ---- */

/* "?key=value&…" of the query with from, to and page replaced (KG_DAY_NONE,
 * 0: left out) and group as given; nothing when nothing is left.  Callers
 * put it after "./" (the timeline) or "feed.ics". */
static void
query_link(struct kg_html *h, const struct kg_page_query *q, kg_day from, kg_day to,
    enum kg_page_group group, long page)
{
	static const char *const keys[] = {"owner", "kind", "status", "measure"};
	const struct kg_strv *lists[4] = {NULL};
	char d[KG_DATE_LEN];
	bool first = true;
	size_t i, j;

#define SEP() do { if (first) KG_HTML_LIT(h, "?"); else KG_HTML_LIT(h, "&amp;"); \
	first = false; } while (0)

	if (q->filter != NULL) {
		lists[0] = &q->filter->owners;
		lists[1] = &q->filter->kinds;
		lists[2] = &q->filter->statuses;
		lists[3] = &q->filter->measures;
	}
	for (i = 0; i < 4; i++)
		for (j = 0; lists[i] != NULL && j < lists[i]->n; j++) {
			SEP();
			KG_HTML(h, "%s=", keys[i]);
			kg_html_url_part(h, lists[i]->v[j]);
		}
	if (q->q_shown != NULL) {
		SEP();
		KG_HTML_LIT(h, "q=");
		kg_html_url_part(h, q->q_shown);
	}
	if (from != KG_DAY_NONE) {
		SEP();
		KG_HTML(h, "from=%s", kg_date_format(from, d));
	}
	if (to != KG_DAY_NONE) {
		SEP();
		KG_HTML(h, "to=%s", kg_date_format(to, d));
	}
	if (q->as_of_given) {
		SEP();
		KG_HTML(h, "as_of=%s", kg_date_format(q->today, d));
	}
	if (group == KG_PAGE_BY_OWNER) {
		SEP();
		KG_HTML_LIT(h, "group=owner");
	}
	if (page > 1) {
		SEP();
		KG_HTML(h, "page=%ld", page);
	}
#undef SEP
}

/* ---- the form ---- */

static void
select_options(struct kg_html *h, const char *name, const char *all, const char *const *values,
    size_t n, const struct kg_strv *chosen)
{
	size_t i;

	KG_HTML(h, "<select name=\"%s\"><option value=\"\">%s</option>", name, all);
	for (i = 0; i < n; i++)
		KG_HTML(h, "<option%s>%s</option>",
		    chosen != NULL && kg_strv_contains(chosen, values[i]) ? " selected" : "",
		    values[i]);
	KG_HTML_LIT(h, "</select>");
}

static void
date_input(struct kg_html *h, const char *label, const char *name, kg_day d)
{
	char buf[KG_DATE_LEN];

	KG_HTML(h, "<label>%s <input type=\"date\" name=\"%s\" value=\"%s\"></label>", label, name,
	    d != KG_DAY_NONE ? kg_date_format(d, buf) : "");
}

static void
form(struct kg_html *h, const struct kg_site *s, const struct kg_page_query *q)
{
	const char *kinds[KG_KIND_COUNT], *statuses[KG_STATUS_COUNT];
	const struct kg_filter *f = q->filter;
	size_t i;

	for (i = 0; i < KG_KIND_COUNT; i++)
		kinds[i] = kg_kind_name((enum kg_kind)i);
	for (i = 0; i < KG_STATUS_COUNT; i++)
		statuses[i] = kg_status_name((enum kg_status)i);
	KG_HTML_LIT(h, "<form class=\"filters\" method=\"get\" action=\"./\">"
	    "<label class=\"q\">Search <input type=\"search\" name=\"q\" value=\"");
	kg_html_text(h, q->q_shown);
	KG_HTML_LIT(h, "\" placeholder=\"title or sentence\"></label><label>Owner ");
	select_options(h, "owner", "all owners", (const char *const *)s->index->owners.v,
	    s->index->owners.n,
	    f != NULL ? &f->owners : NULL);
	KG_HTML_LIT(h, "</label><label>Kind ");
	select_options(h, "kind", "all kinds", kinds, KG_KIND_COUNT, f != NULL ? &f->kinds : NULL);
	KG_HTML_LIT(h, "</label><label>Status ");
	select_options(h, "status", "all", statuses, KG_STATUS_COUNT,
	    f != NULL ? &f->statuses : NULL);
	KG_HTML_LIT(h, "</label>");
	date_input(h, "From", "from", q->from);
	date_input(h, "To", "to", q->to);
	date_input(h, "As of", "as_of", q->as_of_given ? q->today : KG_DAY_NONE);
	KG_HTML(h, "<label>Rows <select name=\"group\"><option value=\"measure\"%s>by measure"
	    "</option><option value=\"owner\"%s>by owner</option></select></label>",
	    q->group == KG_PAGE_BY_MEASURE ? " selected" : "",
	    q->group == KG_PAGE_BY_OWNER ? " selected" : "");
	for (i = 0; f != NULL && i < f->measures.n; i++)
		KG_HTML(h, "<input type=\"hidden\" name=\"measure\" value=\"%s\">", f->measures.v[i]);
	KG_HTML_LIT(h, "<button type=\"submit\">Show</button> <a href=\"./\">reset</a></form>");
}

/* ---- the axis ---- */

static void
axis_head(struct kg_html *bars, const struct layout *L, double height)
{
	const struct kg_axis *a = &L->axis;
	struct kg_tick ticks[RANGE_DAYS_MAX / 28 + 2];
	size_t n = kg_axis_ticks(a, ticks, sizeof(ticks) / sizeof(ticks[0])), i;
	int fy = kg_fiscal_year(a->from);
	kg_day fy_from, fy_to;
	double x;

	if (n > sizeof(ticks) / sizeof(ticks[0]))
		n = sizeof(ticks) / sizeof(ticks[0]);
	KG_HTML(bars, "<g class=\"axis\"><rect class=\"band\" x=\"0\" y=\"0\" width=\"%.1f\" "
	    "height=\"%d\"/>", a->width, HEAD_PX);
	for (i = 0; i < n; i++)
		KG_HTML(bars, "<line class=\"grid%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.0f\"/>",
		    ticks[i].fiscal_year ? " fy" : "", ticks[i].x, ticks[i].x,
		    ticks[i].fiscal_year ? 4 : HEAD_PX - 16, height);
	/* Fiscal years: a label linking to that year alone (a zoom). */
	for (; (fy_from = kg_day_from_civil(fy, 4, 1)) <= a->to; fy++) {
		fy_to = kg_day_from_civil(fy + 1, 3, 31);
		x = kg_axis_x(a, fy_from < a->from ? a->from : fy_from);
		if (x > a->width - 40)
			break;
		KG_HTML_LIT(bars, "<a class=\"zoom\" href=\"./");
		query_link(bars, L->q, fy_from, fy_to, L->q->group, 0);
		KG_HTML(bars, "\"><title>FY%d: %d-04-01 – %d-03-31</title><text class=\"fy\" "
		    "x=\"%.1f\" y=\"17\">FY%d</text></a>", fy, fy, fy + 1, x + 4, fy);
	}
	for (i = 0; i < n; i++)
		if (ticks[i].label && ticks[i].x < a->width - 10)
			KG_HTML(bars, "<text class=\"month\" x=\"%.1f\" y=\"%d\">%d</text>",
			    ticks[i].x + 3, HEAD_PX - 6, ticks[i].month);
	KG_HTML_LIT(bars, "</g>");
}

/* ---- one row ---- */

/* A bar's look: "tick" (one day), "soft" (longer than a quarter), else a
 * plain bar; "open" without an end. */
static const char *
bar_shape(const struct kg_milestone *m)
{
	if (m->window_end == KG_DAY_NONE)
		return "open";
	if (m->window_start == KG_DAY_NONE || m->window_start == m->window_end)
		return "tick";
	return m->window_end - m->window_start > 92 ? "soft" : "bar";
}

struct bar {
	size_t index;            /* into s->milestones */
	double x1, x2;           /* drawn extent (a tick widened) */
	kg_day end;              /* the deadline, or the start of an open window */
};

static void
draw_bar(struct kg_html *h, const struct layout *L, const struct bar *b, double y,
    const char *root)
{
	const struct kg_milestone *m = &L->s->milestones[b->index];
	const struct kg_slip *slip = kg_page_slip(L->s, m->id);
	char s[KG_DATE_LEN], e[KG_DATE_LEN], phrase[160], keep[KG_PAGE_AS_OF_LEN];
	double o1, o2, mid = y + BAR_PX / 2.0;
	const char *shape = bar_shape(m);

	kg_feed_window_phrase(m, phrase, sizeof(phrase));
	KG_HTML(h, "<a href=\"%smilestones/%lld%s\" class=\"ms s-%s %s%s%s%s\" data-id=\"%lld\" "
	    "data-start=\"%s\" data-end=\"%s\"><title>%s — %s (%s%s)</title>",
	    root, (long long)m->id, kg_page_as_of(keep, L->q->today, L->q->as_of_given, '?'),
	    kg_status_name(m->status), shape,
	    kg_page_overdue(m, L->q->today) ? " overdue" : "", m->gone ? " gone" : "",
	    m->uncertain ? " uncertain" : "", (long long)m->id,
	    kg_date_format(m->window_start, s), kg_date_format(m->window_end, e),
	    kg_page_title(m), phrase, kg_status_name(m->status),
	    kg_page_overdue(m, L->q->today) ? ", overdue" : m->gone ? ", gone" : "");
	if (slip != NULL && kg_axis_clip(&L->axis, slip->old_start, slip->old_end, &o1, &o2)) {
		KG_HTML(h, "<rect class=\"ghost\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/>",
		    o1, y, o2 - o1 < TICK_MIN_PX ? TICK_MIN_PX : o2 - o1, BAR_PX);
		if (b->x2 != o2)
			KG_HTML(h, "<line class=\"slip\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			    "marker-end=\"url(#arrow)\"/>", o2, mid, b->x2, mid);
	}
	KG_HTML(h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"2\"",
	    b->x1, y, b->x2 - b->x1, BAR_PX);
	if (strcmp(shape, "open") == 0)
		KG_HTML_LIT(h, " mask=\"url(#fade)\"");
	KG_HTML_LIT(h, "/></a>");
}

/* A crowded row: how many milestones end in each month, darker for more. */
static void
draw_density(struct kg_html *h, const struct layout *L, const struct bar *bars, size_t n,
    double y)
{
	const struct kg_axis *a = &L->axis;
	size_t months = (size_t)((a->to - a->from) / 28 + 2), i, max = 1, *count;
	kg_day d;
	int yy, mm, dd, y0, m0;

	if ((count = calloc(months, sizeof(*count))) == NULL) {
		h->failed = true;
		return;
	}
	kg_civil_from_day(a->from, &y0, &m0, &dd);
	for (i = 0; i < n; i++) {
		kg_day end = bars[i].end;
		size_t k;

		if (end < a->from || end > a->to)
			continue;
		kg_civil_from_day(end, &yy, &mm, &dd);
		k = (size_t)((yy - y0) * 12 + (mm - m0));
		if (k < months && ++count[k] > max)
			max = count[k];
	}
	for (i = 0, d = kg_month_first(a->from); i < months && d <= a->to;
	    i++, d = kg_month_last(d) + 1) {
		double x1, x2;

		if (count[i] == 0 || !kg_axis_clip(a, d, kg_month_last(d), &x1, &x2))
			continue;
		kg_civil_from_day(d, &yy, &mm, &dd);
		KG_HTML(h, "<rect class=\"density d%zu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%d\"><title>%zu due in %d-%02d</title></rect>",
		    1 + (count[i] * (DENSITY_LEVELS - 1) + max - 1) / max, x1, y, x2 - x1, BAR_PX,
		    count[i], yy, mm);
	}
	free(count);
}

static int
by_bar_x(const void *pa, const void *pb)
{
	const struct bar *a = pa, *b = pb;

	if (a->x1 != b->x1)
		return a->x1 < b->x1 ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Writes row r at y into the two SVGs; returns its height, or -1 on ENOMEM. */
static int
draw_row(struct kg_html *labels, struct kg_html *bars, const struct layout *L,
    const struct row *r, size_t nr, double y, const char *root)
{
	struct bar *b = malloc((r->n + 1) * sizeof(*b));
	double *x1 = malloc((r->n + 1) * sizeof(*x1)), *x2 = malloc((r->n + 1) * sizeof(*x2));
	size_t *order = malloc((r->n + 1) * sizeof(*order)), n = 0, i;
	int *lane = malloc((r->n + 1) * sizeof(*lane)), lanes = 1, height = -1;
	bool dense;
	char fitted[4 * LABEL_COLUMNS + 8], keep[KG_PAGE_AS_OF_LEN];
	size_t w;

	if (b == NULL || x1 == NULL || x2 == NULL || order == NULL || lane == NULL)
		goto out;
	for (i = 0; i < r->n; i++) {
		size_t k = L->members[r->first + i];
		kg_day start = L->s->index->start[k], end = L->s->index->end[k];

		if (!kg_axis_clip(&L->axis, start, end, &b[n].x1, &b[n].x2))
			continue;
		if (b[n].x2 - b[n].x1 < TICK_MIN_PX) {
			double c = (b[n].x1 + b[n].x2) / 2;

			b[n].x1 = c - TICK_MIN_PX / 2;
			b[n].x2 = c + TICK_MIN_PX / 2;
		}
		b[n].index = k;
		b[n].end = end != KG_DAY_NONE ? end : start;
		n++;
	}
	dense = n > KG_PAGE_ROW_BARS;
	if (!dense && n > 0) {
		qsort(b, n, sizeof(*b), by_bar_x);
		for (i = 0; i < n; i++) {
			x1[i] = b[i].x1;
			x2[i] = b[i].x2;
		}
		lanes = kg_lanes(x1, x2, n, 2.0, LANES_MAX + 1, lane, order);
		if (lanes > LANES_MAX) {
			dense = true;
			lanes = 1;
		}
	}
	height = lanes * LANE_PX + ROW_PAD_PX;

	/* The label: the measure's page, or the owner's rows. */
	KG_HTML(labels, "<g class=\"label\"><rect class=\"row-bg%s\" x=\"0\" y=\"%.1f\" "
	    "width=\"%d\" height=\"%d\"/>", nr % 2 ? " odd" : "", y, LABEL_PX, height);
	if (r->measure != NULL)
		KG_HTML(labels, "<a href=\"%smeasures/%lld%s\">", root, (long long)r->measure->id,
		    kg_page_as_of(keep, L->q->today, L->q->as_of_given, '?'));
	else if (r->owner != NULL) {
		KG_HTML_LIT(labels, "<a href=\"?owner=");
		kg_html_url_part(labels, r->owner);
		KG_HTML_LIT(labels, "\">");
	}
	kg_width_fit(r->label != NULL ? r->label : "", LABEL_COLUMNS, fitted, &w);
	KG_HTML(labels, "<title>%s%s", r->label, r->measure != NULL && r->measure->owners.n ?
	    " — " : "");
	for (i = 0; r->measure != NULL && i < r->measure->owners.n; i++)
		KG_HTML(labels, "%s%s", i ? "、" : "", r->measure->owners.v[i]);
	KG_HTML(labels, " (%zu)</title><text x=\"8\" y=\"%.1f\">%s</text>", r->n,
	    y + 4 + BAR_PX - 1, fitted);
	if (r->measure != NULL || r->owner != NULL)
		KG_HTML_LIT(labels, "</a>");
	KG_HTML_LIT(labels, "</g>");

	KG_HTML(bars, "<g class=\"row\" data-row=\"%zu\" data-count=\"%zu\"><rect class=\"row-bg%s\" "
	    "x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/>", nr, r->n, nr % 2 ? " odd" : "", y,
	    L->axis.width, height);
	if (dense)
		draw_density(bars, L, b, n, y + 4);
	else
		for (i = 0; i < n; i++)
			draw_bar(bars, L, &b[i], y + 4 + lane[i] * LANE_PX, root);
	KG_HTML_LIT(bars, "</g>");
out:
	free(b);
	free(x1);
	free(x2);
	free(order);
	free(lane);
	return height;
}

/* ---- the page ---- */

static void
legend(struct kg_html *h)
{
	KG_HTML_LIT(h, "<ul class=\"legend\">"
	    "<li><span class=\"key s-planned\"></span>planned</li>"
	    "<li><span class=\"key s-ongoing\"></span>ongoing</li>"
	    "<li><span class=\"key s-done\"></span>done</li>"
	    "<li><span class=\"key s-cancelled\"></span>cancelled</li>"
	    "<li><span class=\"key overdue\"></span>overdue</li>"
	    "<li><span class=\"key gone\"></span>gone from the latest report</li>"
	    "<li><span class=\"key ghost\"></span>window before a report moved it</li>"
	    "<li><span class=\"key tick\"></span>a day · a month · a long window · no end</li>"
	    "</ul>");
}

static void
pager(struct kg_html *h, const struct layout *L, long page, long pages, size_t first,
    size_t last)
{
	KG_HTML(h, "<nav class=\"pager\">rows %zu–%zu of %zu", first + 1, last, L->nrows);
	if (page > 1) {
		KG_HTML_LIT(h, " · <a rel=\"prev\" href=\"./");
		query_link(h, L->q, L->q->from, L->q->to, L->q->group, page - 1);
		KG_HTML_LIT(h, "\">‹ previous</a>");
	}
	if (page < pages) {
		KG_HTML_LIT(h, " · <a rel=\"next\" href=\"./");
		query_link(h, L->q, L->q->from, L->q->to, L->q->group, page + 1);
		KG_HTML_LIT(h, "\">next ›</a>");
	}
	KG_HTML_LIT(h, "</nav>");
}

static void
write_timeline(struct kg_html *h, const struct layout *L, struct kg_html_buf *lb,
    struct kg_html_buf *bb, double height)
{
	const struct kg_axis *a = &L->axis;
	char f[KG_DATE_LEN], t[KG_DATE_LEN], d[KG_DATE_LEN];
	double x;

	KG_HTML(h, "<div class=\"timeline\"><svg class=\"tl-labels\" width=\"%d\" height=\"%.0f\" "
	    "viewBox=\"0 0 %d %.0f\" preserveAspectRatio=\"xMinYMin slice\" role=\"list\">"
	    "<text class=\"head\" x=\"8\" y=\"%d\">%s</text>", LABEL_PX, height, LABEL_PX, height,
	    HEAD_PX - 6, L->q->group == KG_PAGE_BY_OWNER ? "owner" : "measure");
	kg_html_append(h, lb);
	KG_HTML(h, "</svg><div class=\"tl-scroll\"><svg class=\"tl-bars\" width=\"%.0f\" "
	    "height=\"%.0f\" data-from=\"%s\" data-to=\"%s\" data-x0=\"%.1f\" data-width=\"%.1f\" "
	    "data-today=\"%s\"><defs><linearGradient id=\"fadeg\"><stop offset=\"0.6\" "
	    "stop-color=\"#fff\"/><stop offset=\"1\" stop-color=\"#000\"/></linearGradient>"
	    "<mask id=\"fade\" maskContentUnits=\"objectBoundingBox\"><rect width=\"1\" height=\"1\" "
	    "fill=\"url(#fadeg)\"/></mask><marker id=\"arrow\" viewBox=\"0 0 6 6\" refX=\"5\" "
	    "refY=\"3\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path class=\"arrowhead\" "
	    "d=\"M0,0 L6,3 L0,6 z\"/></marker></defs>", a->width, height,
	    kg_date_format(a->from, f), kg_date_format(a->to, t), a->x0, a->width,
	    kg_date_format(L->q->today, d));
	axis_head(h, L, height);
	kg_html_append(h, bb);
	if (L->q->today >= a->from && L->q->today <= a->to) {
		x = kg_axis_x(a, L->q->today) + kg_axis_scale(a) / 2;
		KG_HTML(h, "<g class=\"today\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.0f\"/>"
		    "<text x=\"%.1f\" y=\"%d\">%s %s</text></g>", x, x, HEAD_PX - 14, height, x + 3,
		    HEAD_PX - 16, L->q->as_of_given ? "as of" : "today", d);
	}
	KG_HTML_LIT(h, "</svg></div></div>");
}

int
kg_page_timeline(struct kg_html *h, const struct kg_site *s, const struct kg_page_query *q,
    struct kg_err *err)
{
	struct layout L = {.s = s, .q = q};
	struct kg_html_buf lb = {0}, bb = {0};
	char f[KG_DATE_LEN], t[KG_DATE_LEN], d[KG_DATE_LEN];
	long pages, page;
	size_t first, last, i;
	double y = HEAD_PX;
	int rowh, rc = -1;

	if (select_milestones(&L) < 0 ||
	    (q->group == KG_PAGE_BY_OWNER ? rows_by_owner(&L) : rows_by_measure(&L)) < 0 ||
	    kg_html_buf_open(&lb) < 0 || kg_html_buf_open(&bb) < 0) {
		kg_err_set(err, "out of memory");
		goto out;
	}
	rows_compact(&L);
	pick_range(&L);
	pages = L.nrows > 0 ? (long)((L.nrows + KG_PAGE_ROWS - 1) / KG_PAGE_ROWS) : 1;
	page = q->page < 1 ? 1 : q->page > pages ? pages : q->page;
	first = (size_t)(page - 1) * KG_PAGE_ROWS;
	last = first + KG_PAGE_ROWS < L.nrows ? first + KG_PAGE_ROWS : L.nrows;
	for (i = first; i < last; i++) {
		if ((rowh = draw_row(&lb.h, &bb.h, &L, &L.rows[i], i, y, "")) < 0) {
			kg_err_set(err, "out of memory");
			goto out;
		}
		y += rowh;
	}

	kg_page_open(h, s, "", NULL);
	form(h, s, q);
	KG_HTML(h, "<p class=\"summary\"><strong>%zu</strong> milestone%s in <strong>%zu</strong> "
	    "row%s · %s <strong>%s</strong> · %s – %s · <a href=\"", L.nsel, L.nsel == 1 ? "" : "s",
	    L.nrows, L.nrows == 1 ? "" : "s", q->as_of_given ? "as of" : "today",
	    kg_date_format(q->today, d), kg_date_format(L.axis.from, f),
	    kg_date_format(L.axis.to, t));
	KG_HTML_LIT(h, "./");
	query_link(h, q, KG_DAY_NONE, KG_DAY_NONE, q->group, 0);
	KG_HTML_LIT(h, "\">whole range</a></p>");
	legend(h);
	if (L.nrows == 0)
		KG_HTML_LIT(h, "<p class=\"empty\">No milestone matches.</p>");
	else {
		write_timeline(h, &L, &lb, &bb, y + 4);
		if (pages > 1)
			pager(h, &L, page, pages, first, last);
	}
	KG_HTML_LIT(h, "<p class=\"feeds\">The same milestones as a calendar: <a href=\"feed.ics");
	{
		struct kg_page_query only = {.filter = q->filter};

		query_link(h, &only, KG_DAY_NONE, KG_DAY_NONE, KG_PAGE_BY_MEASURE, 0);
	}
	KG_HTML_LIT(h, "\">feed.ics</a> (with <code>?span=window</code>: windows as multi-day "
	    "events).</p>");
	kg_page_close(h);
	rc = kg_page_done(h, err);
out:
	kg_html_buf_close(&lb);
	kg_html_buf_close(&bb);
	free(L.sel);
	free(L.rows);
	free(L.members);
	free(L.row_of_id);
	return rc;
}
