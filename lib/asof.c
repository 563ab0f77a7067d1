/*
 * asof — see asof.h.  The preamble is read with its blanks removed (a PDF
 * letter-spaces cover lines: 令 和 2 年 7 月 2 日, 閣 議 決 定), line by line
 * for the cover rules and joined for the status date, which a line break
 * may cut in two.
 */
#include "asof.h"

#include <stdlib.h>
#include <string.h>

/* The longest body name or decision line considered, in code points. */
#define COVER_MAX_CP 40

struct pre {
	const struct kg_doc *d;
	struct kg_buf text;  /* non-blank preamble lines, blanks removed, joined */
	size_t *off;         /* off[i]: where line i starts in text; off[n] = len */
	size_t n;            /* preamble lines */
};

static struct kg_span
line_of(const struct pre *p, size_t i)
{
	return (struct kg_span){p->text.s + p->off[i], p->off[i + 1] - p->off[i]};
}

static int
pre_init(struct pre *p, const struct kg_doc *d)
{
	size_t i, j, n;

	memset(p, 0, sizeof(*p));
	p->d = d;
	p->n = d->preamble_end;
	if ((p->off = calloc(p->n + 1, sizeof(*p->off))) == NULL ||
	    kg_buf_add(&p->text, "", 0) < 0)
		return -1;
	for (i = 0; i < p->n; i++) {
		struct kg_span t = d->lines[i].t;

		p->off[i] = p->text.len;
		if (d->lines[i].kind == KG_LINE_BLANK)
			continue;
		for (j = 0; j < t.len; j += n)
			if (!kg_is_space(kg_cp_at(t.s, t.len, j, &n)) &&
			    kg_buf_add(&p->text, t.s + j, n) < 0)
				return -1;
	}
	p->off[p->n] = p->text.len;
	return 0;
}

static void
pre_release(struct pre *p)
{
	kg_buf_free(&p->text);
	free(p->off);
}

/* The preamble line that holds byte off of the joined text. */
static size_t
line_at(const struct pre *p, size_t off)
{
	size_t i = 0;

	while (i + 1 < p->n && p->off[i + 1] <= off)
		i++;
	return i;
}

/* Year, month and (0 when absent) day at t.s[*i], moving *i past them. */
static bool
read_date(struct kg_span t, size_t *i, int *y, int *m, int *d)
{
	size_t k = *i;
	long v;

	*d = 0;
	if ((*y = kg_read_year(t, &k, true)) < 0 || (v = kg_read_number(t, &k)) < 1 || v > 12 ||
	    !kg_eat(t, &k, "月"))
		return false;
	*m = (int)v;
	*i = k;
	if ((v = kg_read_number(t, &k)) >= 1 && v <= 31 && kg_eat(t, &k, "日")) {
		*d = (int)v;
		*i = k;
	}
	return true;
}

static kg_day
day_of(int y, int m, int d)
{
	if (d == 0)
		d = kg_days_in_month(y, m);
	return kg_date_valid(y, m, d) ? kg_day_from_civil(y, m, d) : KG_DAY_NONE;
}

/* A date at t.s[i] followed by 現在 or 時点 (末日/末: the month's end). */
static kg_day
status_date_at(struct kg_span t, size_t i)
{
	int y, m, d;

	if (!read_date(t, &i, &y, &m, &d))
		return KG_DAY_NONE;
	if (d == 0 && !kg_eat(t, &i, "末日"))
		kg_eat(t, &i, "末");
	if (!kg_eat(t, &i, "現在") && !kg_eat(t, &i, "時点"))
		return KG_DAY_NONE;
	return day_of(y, m, d);
}

/* The end of the period line t names: 上半期 of plan year 2008 →
 * 2008-09-30, 下半期 → 2009-03-31, 第N四半期 → its fiscal quarter's end;
 * with annual, N年度 alone → the end of that fiscal year. */
static kg_day
period_end(struct kg_span t, bool annual_ok)
{
	size_t i, k, n;
	int fy = -1, quarter = 0;
	bool annual = false;
	long v;

	for (i = 0; i < t.len && fy < 0; i += n) {
		k = i;
		if ((fy = kg_read_year(t, &k, false)) >= 0)
			annual = kg_eat(t, &k, "度");
		kg_cp_at(t.s, t.len, i, &n);
	}
	if (fy < 0)
		return KG_DAY_NONE;
	for (i = 0; i < t.len && quarter == 0; i += n) {
		k = i;
		if (kg_eat(t, &k, "上半期"))
			quarter = 2;
		else if (kg_eat(t, &k, "下半期"))
			quarter = 4;
		else if (kg_eat(t, &k, "第") && k < t.len &&
		    (v = kg_digit_value(kg_cp_at(t.s, t.len, k, &n))) >= 1 && v <= 4 &&
		    (k += n, kg_eat(t, &k, "四半期"))) /* one digit: 四 also starts 四半期 */
			quarter = (int)v;
		kg_cp_at(t.s, t.len, i, &n);
	}
	if (quarter == 0 && !(annual && annual_ok))
		return KG_DAY_NONE;
	switch (quarter) {
	case 1: return kg_day_from_civil(fy, 6, 30);
	case 2: return kg_day_from_civil(fy, 9, 30);
	case 3: return kg_day_from_civil(fy, 12, 31);
	default: return kg_day_from_civil(fy + 1, 3, 31);
	}
}

static bool
is_decision(struct kg_span t)
{
	return t.len > 0 && kg_span_cps(t) <= COVER_MAX_CP && !kg_span_starts(t, "（") &&
	    (kg_span_ends(t, "決定") || kg_span_ends(t, "改定"));
}

/* A body that meets: …会議, …本部, …委員会, 審議会, 協議会, 部会, 懇談会. */
static bool
is_meeting(struct kg_span t)
{
	static const char *const bodies[] = {
		"会議", "本部", "委員会", "審議会", "協議会", "部会", "懇談会",
	};
	size_t i;

	if (t.len == 0 || kg_span_cps(t) > COVER_MAX_CP)
		return false;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		if (kg_span_ends(t, bodies[i]))
			return true;
	return false;
}

/* The non-blank preamble line before (dir -1) or after (+1) line i, or -1. */
static long
neighbour(const struct pre *p, size_t i, int dir)
{
	long j = (long)i + dir;

	while (j >= 0 && (size_t)j < p->n && line_of(p, (size_t)j).len == 0)
		j += dir;
	return j >= 0 && (size_t)j < p->n ? j : -1;
}

static bool
neighbour_is(const struct pre *p, size_t i, bool (*what)(struct kg_span))
{
	long a = neighbour(p, i, -1), b = neighbour(p, i, +1);

	return (a >= 0 && what(line_of(p, (size_t)a))) || (b >= 0 && what(line_of(p, (size_t)b)));
}

/* A line that starts with a date: what it says of the document. */
static enum kg_asof_source
cover_line(const struct pre *p, size_t i, kg_day *day)
{
	struct kg_span t = line_of(p, i), rest;
	size_t k = 0;
	int y, m, d;

	if (!read_date(t, &k, &y, &m, &d) || (*day = day_of(y, m, d)) == KG_DAY_NONE)
		return KG_ASOF_NONE;
	kg_eat(t, &k, "付");
	rest = (struct kg_span){t.s + k, t.len - k};
	if (rest.len > 0 && d > 0 && is_decision(rest))
		return KG_ASOF_DECISION;
	if (rest.len > 0 && d > 0 && is_meeting(rest))
		return KG_ASOF_MEETING;
	if (rest.len > 0)
		return KG_ASOF_NONE;
	if (d > 0 && neighbour_is(p, i, is_decision))
		return KG_ASOF_DECISION;
	if (d > 0 && neighbour_is(p, i, is_meeting))
		return KG_ASOF_MEETING;
	return KG_ASOF_COVER;
}

static void
found(struct kg_asof *out, kg_day day, enum kg_asof_source s, size_t line)
{
	out->day = day;
	out->source = s;
	out->line = line;
}

/* The period the title names, else the first preamble line that names one. */
static bool
period_found(const struct pre *p, bool annual, struct kg_asof *out)
{
	enum kg_asof_source s = annual ? KG_ASOF_YEAR : KG_ASOF_PERIOD;
	size_t title = p->d->title, i;
	kg_day day;

	if (title < p->n && (day = period_end(line_of(p, title), annual)) != KG_DAY_NONE) {
		found(out, day, s, title);
		return true;
	}
	for (i = 0; i < p->n; i++)
		if ((day = period_end(line_of(p, i), annual)) != KG_DAY_NONE) {
			found(out, day, s, i);
			return true;
		}
	return false;
}

int
kg_asof_infer(const struct kg_doc *d, struct kg_asof *out)
{
	struct pre p;
	struct kg_span all;
	kg_day day, cover[KG_ASOF_YEAR + 1];
	size_t i, n, at[KG_ASOF_YEAR + 1];
	enum kg_asof_source s;

	found(out, KG_DAY_NONE, KG_ASOF_NONE, 0);
	if (pre_init(&p, d) < 0) {
		pre_release(&p);
		return -1;
	}
	all = (struct kg_span){p.text.s, p.text.len};
	for (i = 0; i < all.len; i += n) {
		if ((day = status_date_at(all, i)) != KG_DAY_NONE) {
			found(out, day, KG_ASOF_STATUS, line_at(&p, i));
			goto out;
		}
		kg_cp_at(all.s, all.len, i, &n);
	}
	if (period_found(&p, false, out))
		goto out;
	for (s = KG_ASOF_NONE; s <= KG_ASOF_YEAR; s++)
		cover[s] = KG_DAY_NONE;
	for (i = 0; i < p.n; i++)
		if ((s = cover_line(&p, i, &day)) != KG_ASOF_NONE && cover[s] == KG_DAY_NONE) {
			cover[s] = day;
			at[s] = i;
		}
	for (s = KG_ASOF_DECISION; s <= KG_ASOF_COVER; s++)
		if (cover[s] != KG_DAY_NONE) {
			found(out, cover[s], s, at[s]);
			goto out;
		}
	period_found(&p, true, out);
out:
	pre_release(&p);
	return 0;
}

const char *
kg_asof_source_text(enum kg_asof_source s)
{
	switch (s) {
	case KG_ASOF_STATUS: return "a status date (…現在, …時点)";
	case KG_ASOF_PERIOD: return "the half year or quarter it names";
	case KG_ASOF_DECISION: return "the date of its decision";
	case KG_ASOF_MEETING: return "the date of the meeting it was submitted to";
	case KG_ASOF_COVER: return "the date on its cover";
	case KG_ASOF_YEAR: return "the end of the fiscal year it names";
	case KG_ASOF_NONE: break;
	}
	return "nothing";
}
