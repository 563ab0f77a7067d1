/*
 * report — see report.h.  The importer's driver: decode, classify the
 * lines, pick the layout, let it find the items and units, infer the as-of
 * date, then turn every unit's dates into milestones.
 */
#include "report.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asof.h"
#include "extract.h"
#include "hash.h"
#include "jpdate.h"
#include "layout.h"
#include "textio.h"
#include "utf8.h"

/* Why unread date-like strings are no milestones. */
#define WHY_UNREAD "not read as a date"

struct run {
	struct kg_doc *d;
	struct kg_import *out;  /* its measures: read, and their notes added */
	struct kg_import *sink; /* where milestones and skipped dates go: out, or
	                           the helper thread's part (extract_units) */
	const struct kg_jpctx *ctx;
	struct kg_err *err;
	struct kg_jplast *last; /* per measure: its last date, for 同年, 同月 … */
	struct kg_buf *progress; /* per measure: its progress text */
	size_t from, to;        /* the units this run extracts */
	int rc;
};

/* ---- layout choice ---- */

/* The layout with the best score, or NULL when none scores. */
static const struct kg_layout *
detect(const struct kg_doc *d)
{
	const struct kg_layout *best = NULL;
	int score, top = 0;
	size_t i;

	for (i = 0; i < kg_nlayouts; i++)
		if ((score = kg_layouts[i]->detect(d)) > top) {
			top = score;
			best = kg_layouts[i];
		}
	return best;
}

/* "no measures found: ... (looked for A (progress); B (annual-table) ...)";
 * a text whose first line is already a measure has lost its title line,
 * which is what the message then says. */
static int
no_layout(struct kg_err *err, const struct kg_doc *d, const struct kg_layout *forced)
{
	char looked[KG_ERR_MAX] = "";
	size_t i, used = 0;

	if (kg_span_starts(d->lines[d->title].t, "【施策名】"))
		return kg_err_set(err, "line %d: the first line is a measure (【施策名】…), not the "
			"title: the title line that names the plan and its period is missing "
			"(e.g. 「…」の進捗状況（上半期）について)", d->lines[d->title].lineno);
	if (forced != NULL)
		return kg_err_set(err, "no measures found in the %s layout (looked for %s)",
			forced->name, forced->looks_for);
	for (i = 0; i < kg_nlayouts; i++)
		used += kg_snprintf(looked + used, sizeof(looked) - used, "%s%s (%s)",
			i ? "; " : "", kg_layouts[i]->looks_for, kg_layouts[i]->name);
	return kg_err_set(err, "no measures found: the text is in no known layout (looked for %s)",
		looked);
}

/* ---- dates that are no milestones ---- */

static int
by_start(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* A duration or ordinal after a number (3年間, 5年目, 6か月), not a date. */
static bool
duration_after(struct kg_span t, size_t i)
{
	static const char *const tails[] = {"年間", "年目", "年ぶり", "年以上", "年未満",
		"年連続", "日間", "か月", "ヶ月", "カ月", "箇月"};
	size_t k;

	for (k = 0; k < sizeof(tails) / sizeof(tails[0]) && i < t.len; k++)
		if (t.s[i] == tails[k][0] &&
		    kg_span_starts((struct kg_span){t.s + i, t.len - i}, tails[k]))
			return true;
	return false;
}

static bool
is_arabic(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool
date_unit_at(struct kg_span t, size_t i)
{
	static const char *const units[] = {"年", "月", "日", "度", "末"};
	size_t k;

	for (k = 0; k < sizeof(units) / sizeof(units[0]) && i < t.len; k++)
		if (t.s[i] == units[k][0] &&
		    kg_span_starts((struct kg_span){t.s + i, t.len - i}, units[k]))
			return true;
	return false;
}

/*
 * Date-like strings of unit text t that no expression covers: a number in
 * digits, or an era and a number, followed by 年, 月 or 日 (2024 年,
 * 令和6年, 10月) that the date grammar did not read.  Each goes to the
 * skipped list, so that --explain shows what was not understood.
 */
static const char *const unread_eras[] = {"令和", "平成", "昭和"};

/* Whether t has the first character of one of unread_eras at i. */
static bool
era_first(struct kg_span t, size_t i)
{
	const unsigned char *u;
	size_t e, n;

	for (e = 0; e < sizeof(unread_eras) / sizeof(unread_eras[0]); e++) {
		if (t.s[i] != unread_eras[e][0])
			continue;
		u = (const unsigned char *)unread_eras[e];
		kg_literal_cp(&u);
		n = (size_t)(u - (const unsigned char *)unread_eras[e]);
		if (t.len - i >= n && memcmp(t.s + i, unread_eras[e], n) == 0)
			return true;
	}
	return false;
}

static int
skip_unread(struct run *r, const struct kg_unit *u, struct kg_span t,
    size_t (*cov)[2], size_t ncov)
{
	size_t i, k, n, e, j = 0, reach = 0;
	int32_t c, prev = 0;

	/* the ranges by start, walked once: reach is the furthest end of those
	 * that start at or before i, so the cost stays linear */
	qsort(cov, ncov, sizeof(*cov), by_start);
	for (i = 0; i < t.len; prev = c, i += n) {
		c = kg_cp_at(t.s, t.len, i, &n);
		/* most characters begin neither a number nor an era, and most
		 * numbers stand inside a date read */
		if (!is_arabic(c) && !era_first(t, i))
			continue;
		for (; j < ncov && cov[j][0] <= i; j++)
			reach = cov[j][1] > reach ? cov[j][1] : reach;
		if (i < reach)
			continue;
		k = i;
		for (e = 0; !is_arabic(c) && e < sizeof(unread_eras) / sizeof(unread_eras[0]) &&
		    !kg_eat(t, &k, unread_eras[e]); e++)
			;
		if (k == i && (!is_arabic(c) || is_arabic(prev)))
			continue;
		kg_skip_space(t, &k);
		if (kg_read_number(t, &k) < 0)
			continue;
		kg_skip_space(t, &k);
		if (duration_after(t, k) || !date_unit_at(t, k) || date_unit_at(t, k + 1))
			continue;
		while (k < t.len && (is_arabic(kg_cp_at(t.s, t.len, k, &n)) ||
		    kg_is_space(kg_cp_at(t.s, t.len, k, &n)) || date_unit_at(t, k)))
			k += n;
		if (kg_import_skip(&r->sink->origin, (int64_t)u->item, t.s + i, k - i,
		    kg_unit_lineno(r->d, u, i), WHY_UNREAD) < 0)
			return -1;
		n = k - i;
		c = 0;
	}
	return 0;
}

/* The dates of a unit, and the byte ranges they cover. */
struct scanned {
	struct kg_jpdate *dates;
	size_t nd;
	size_t (*cov)[2];
};

static int
scan_unit(struct run *r, struct kg_span t, struct scanned *sc)
{
	size_t i, max = t.len / 2 + 1;

	memset(sc, 0, sizeof(*sc));
	if ((sc->dates = calloc(max, sizeof(*sc->dates))) == NULL ||
	    (sc->cov = calloc(max, sizeof(*sc->cov))) == NULL)
		return kg_err_set(r->err, "out of memory reading dates");
	if (kg_jpdate_scan(t.s, t.len, r->ctx, sc->dates, max, &sc->nd, r->err) < 0)
		return -1;
	for (i = 0; i < sc->nd; i++) {
		sc->cov[i][0] = sc->dates[i].start;
		sc->cov[i][1] = sc->dates[i].end;
	}
	return 0;
}

static void
scanned_free(struct scanned *sc)
{
	free(sc->dates);
	free(sc->cov);
}

/* ---- milestones ---- */

/* The figure of a target between two offsets: "80%" of "2026年度までに 80%". */
static struct kg_span
target_figure(struct kg_span t, size_t a, size_t b)
{
	static const char *const particles[] = {"までに", "まで", "には", "に", "で", "、", "：", ":"};
	struct kg_span f = kg_span_trim((struct kg_span){t.s + a, b - a});
	size_t k, i;

	for (k = 0; k < sizeof(particles) / sizeof(particles[0]); k++) {
		i = 0;
		if (kg_eat(f, &i, particles[k])) {
			f = kg_span_after(f, i);
			k = 0;
		}
	}
	while (kg_span_ends(f, "、") || kg_span_ends(f, "。"))
		f = kg_span_trim((struct kg_span){f.s, f.len - strlen("、")});
	return f;
}

/* A KPI target's date: a kpi_target milestone (planned, a target) whose
 * title keeps the figure: "目標: 80% <measure title>". */
static int
target_date(struct run *r, const struct kg_unit *u, struct kg_span t,
    const struct kg_jpdate *dt, size_t next, bool first)
{
	const struct kg_measure *me = &r->out->measures.v[u->item];
	struct kg_span fig = target_figure(t, dt->end, next);
	struct kg_milestone *m;
	char *subject = NULL;

	if (fig.len == 0 && first)
		fig = target_figure(t, 0, dt->start);
	if ((m = kg_milestone_list_add(&r->sink->milestones)) == NULL ||
	    asprintf(&subject, "%.*s%s%s", (int)fig.len, fig.s, fig.len ? " " : "", me->title) < 0)
		return -1;
	m->title = kg_extract_fallback_title(KG_KIND_KPI_TARGET, subject);
	free(subject);
	m->kind = KG_KIND_KPI_TARGET;
	m->status = KG_STATUS_PLANNED;
	m->certainty = KG_CERT_TARGET;
	m->window_start = dt->window_start;
	m->window_end = dt->window_end;
	m->precision = dt->precision;
	m->measure_id = (int64_t)u->item;
	m->line = kg_unit_lineno(r->d, u, dt->start);
	m->page = kg_doc_page(r->d, m->line);
	m->expr = strndup(t.s + dt->start, dt->end - dt->start);
	m->sentence = kg_span_dup(t);
	if ((m->uncertain = dt->doubt != KG_JP_SURE)) {
		r->sink->origin.uncertain++;
		if ((m->uncertain_reason = strdup(kg_jpdate_doubt_reason(dt->doubt))) == NULL)
			return -1;
	}
	return m->title == NULL || m->expr == NULL || m->sentence == NULL ? -1 : 0;
}

/*
 * A unit whose dates are read directly, not through the extractor: a KPI
 * target (each date a kpi_target milestone; the extractor's tally rule would
 * take 2026年度までに5,000件 for a count of past work) or a result (each date
 * a figure as of that date, no milestone).
 */
static int
dated_unit(struct run *r, const struct kg_unit *u, struct kg_span t)
{
	struct scanned sc;
	size_t i;
	int rc = -1;

	if (scan_unit(r, t, &sc) < 0)
		goto out;
	for (i = 0; i < sc.nd; i++) {
		const struct kg_jpdate *dt = &sc.dates[i];

		if (u->role == KG_UNIT_TARGET ?
		    target_date(r, u, t, dt, i + 1 < sc.nd ? dt[1].start : t.len, i == 0) < 0 :
		    kg_import_skip(&r->sink->origin, (int64_t)u->item, t.s + dt->start,
		    dt->end - dt->start, kg_unit_lineno(r->d, u, dt->start),
		    KG_EXTRACT_WHY_FIGURE) < 0)
			goto nomem;
	}
	if (skip_unread(r, u, t, sc.cov, sc.nd) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	kg_err_set(r->err, "out of memory reading dates");
out:
	scanned_free(&sc);
	return rc;
}

/* The act a labelled date dates, the text after it up to 、 or 。
 * (令和３年度検討開始、… → 検討開始); empty when none.  Only the next
 * ACT_MAX bytes are read (an act is a few words; a long cell stays linear);
 * a title cuts what is longer anyway. */
#define ACT_MAX 192

static struct kg_span
act_after(struct kg_span t, size_t end)
{
	size_t len = t.len - end > ACT_MAX ? kg_utf8_cut(t.s + end, ACT_MAX) : t.len - end;
	struct kg_span a = kg_span_trim((struct kg_span){t.s + end, len});
	size_t i = 0;
	long k;

	if (kg_eat(a, &i, "に"))
		a = kg_span_after(a, i);
	if ((k = kg_span_find(a, "、")) >= 0)
		a.len = (size_t)k;
	if ((k = kg_span_find(a, "。")) >= 0)
		a.len = (size_t)k;
	return a;
}

/* The title of a milestone: "<act>: <measure>" for a date in a labelled
 * cell, "<kind>: <measure>" when the text names no object, else the
 * extractor's. */
static int
retitle(const struct kg_unit *u, struct kg_span t, const struct kg_extract_item *x,
    const struct kg_measure *me, struct kg_milestone *m)
{
	char *title = NULL, *act;
	struct kg_span a;

	if (u->label > 0 && x->expr_offset >= u->label &&
	    (a = act_after(t, x->expr_offset + strlen(m->expr))).len > 0) {
		if ((act = kg_span_dup(a)) == NULL)
			return -1;
		title = kg_extract_label_title(act, me->title);
		free(act);
	} else if (x->bare_title) { /* 公表: <measure title> */
		title = kg_extract_fallback_title(m->kind, me->title);
	} else {
		return 0;
	}
	if (title == NULL)
		return -1;
	free(m->title);
	m->title = title;
	return 0;
}

/* Running text: the extractor's milestones, notes and skipped dates, moved
 * into the import; a title that names no object becomes "<kind>: <measure
 * title>". */
static int
text_unit(struct run *r, const struct kg_unit *u, struct kg_span t)
{
	struct kg_extract x = {0};
	struct kg_measure *me = &r->out->measures.v[u->item];
	struct kg_milestone *m;
	size_t (*cov)[2] = NULL;
	size_t i, ncov = 0;
	int rc = -1;

	x.last = r->last[u->item]; /* 同年 … refer to the measure's earlier units */
	if (kg_extract_text(t.s, t.len, r->ctx, &x, r->err) < 0) {
		if (x.refused_at > 0)
			kg_err_prefix(r->err, "line %d", kg_unit_lineno(r->d, u, x.refused_at - 1));
		goto out;
	}
	r->last[u->item] = x.last;
	if ((cov = calloc(x.n + x.nskipped + 1, sizeof(*cov))) == NULL)
		goto nomem;
	for (i = 0; i < x.n; i++) {
		if ((m = kg_milestone_list_add(&r->sink->milestones)) == NULL)
			goto nomem;
		*m = x.v[i].m;
		memset(&x.v[i].m, 0, sizeof(x.v[i].m));
		m->measure_id = (int64_t)u->item;
		m->line = kg_unit_lineno(r->d, u, x.v[i].expr_offset);
		r->sink->origin.uncertain += m->uncertain;
		m->page = kg_doc_page(r->d, m->line);
		cov[ncov][0] = x.v[i].expr_offset;
		cov[ncov++][1] = x.v[i].expr_offset + strlen(m->expr);
		if (retitle(u, t, &x.v[i], me, m) < 0)
			goto nomem;
	}
	for (i = 0; i < x.nskipped; i++) {
		cov[ncov][0] = x.skipped[i].offset;
		cov[ncov++][1] = x.skipped[i].offset + x.skipped[i].len;
		if (kg_import_skip(&r->sink->origin, (int64_t)u->item, t.s + x.skipped[i].offset,
		    x.skipped[i].len, kg_unit_lineno(r->d, u, x.skipped[i].offset),
		    x.skipped[i].why) < 0)
			goto nomem;
	}
	for (i = 0; i < x.notes.n && (u->notes == KG_NOTES_ALL ||
	    (u->notes == KG_NOTES_IF_UNDATED && x.n == 0)); i++)
		if (kg_strv_push(&me->notes, x.notes.v[i], (size_t)-1) < 0)
			goto nomem;
	if (skip_unread(r, u, t, cov, ncov) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	kg_err_set(r->err, "out of memory extracting milestones");
out:
	free(cov);
	kg_extract_clear(&x);
	return rc;
}

/* Units from .. to: their dates, and their text onto their measures'
 * progress (bullet marks kept, one unit a line).  r->rc: 0 or -1. */
static void *
extract_range(void *arg)
{
	struct run *r = arg;
	size_t i;

	r->rc = -1;
	for (i = r->from; i < r->to; i++) {
		const struct kg_unit *u = &r->d->units[i];
		struct kg_span t = {r->d->utext.s + u->off, u->len};
		struct kg_buf *p = &r->progress[u->item];

		if ((u->role == KG_UNIT_TEXT ? text_unit(r, u, t) : dated_unit(r, u, t)) < 0)
			return NULL;
		if ((p->len > 0 && kg_buf_add(p, "\n", 1) < 0) ||
		    kg_buf_add(p, u->mark.s, u->mark.len) < 0 || kg_buf_add(p, t.s, t.len) < 0) {
			kg_err_set(r->err, "out of memory extracting milestones");
			return NULL;
		}
	}
	r->rc = 0;
	return NULL;
}

/* Below this many bytes of unit text one thread does it all. */
#define SPLIT_MIN 65536

/*
 * Where the units can be cut in two for two threads: the cut nearest the
 * middle of their text such that no measure has units on both sides (a
 * measure's anaphora, 同年 …, run through its units in order); 0 when
 * there is none or the text is small.
 */
static size_t
split_point(const struct kg_doc *d, size_t nm)
{
	size_t *last, i, reach = 0, total = 0, done = 0, best = 0, gap = SIZE_MAX, g;

	for (i = 0; i < d->nunits; i++)
		total += d->units[i].len;
	if (total < SPLIT_MIN || (last = calloc(nm ? nm : 1, sizeof(*last))) == NULL)
		return 0;
	for (i = 0; i < d->nunits; i++)
		last[d->units[i].item] = i;
	for (i = 0; i + 1 < d->nunits; i++) {
		done += d->units[i].len;
		reach = last[d->units[i].item] > reach ? last[d->units[i].item] : reach;
		if (reach > i)
			continue;
		g = done > total / 2 ? done - total / 2 : total / 2 - done;
		if (g < gap) {
			gap = g;
			best = i + 1;
		}
	}
	free(last);
	return best;
}

/* Moves the milestones and skipped dates of part after those of out. */
static int
append_part(struct kg_import *out, struct kg_import *part)
{
	struct kg_milestone_list *a = &out->milestones, *b = &part->milestones;
	struct kg_import_origin *o = &out->origin, *q = &part->origin;
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (kg_milestone_list_add(a) == NULL)
			return -1;
		a->v[a->n - 1] = b->v[i];
	}
	b->n = 0;
	for (i = 0; i < q->nskipped; i++) {
		if (kg_array_grow((void **)&o->skipped, &o->capskipped, o->nskipped,
		    sizeof(*o->skipped)) < 0)
			return -1;
		o->skipped[o->nskipped++] = q->skipped[i];
	}
	q->nskipped = 0;
	o->uncertain += q->uncertain;
	return 0;
}

/*
 * Every unit's dates, then each measure's progress text.  A large text is
 * cut in two between measures (split_point): a helper thread extracts the
 * second part into a part of its own while this one does the first, and
 * the part is appended after, so the milestones, skipped dates and, on
 * failure, the error are those of one thread going in order.
 */
static int
extract_units(struct run *r)
{
	struct kg_doc *d = r->d;
	struct kg_import part = {0};
	struct kg_err err2 = {{0}};
	struct run r2;
	pthread_t helper;
	bool threaded = false;
	size_t i, nm = r->out->measures.n, cut;
	int rc = -1;

	if ((r->progress = calloc(nm ? nm : 1, sizeof(*r->progress))) == NULL ||
	    (r->last = calloc(nm ? nm : 1, sizeof(*r->last))) == NULL)
		goto nomem;
	r->sink = r->out;
	r->from = 0;
	r->to = d->nunits;
	r2 = *r;
	if ((cut = split_point(d, nm)) > 0) {
		r->to = r2.from = cut;
		r2.sink = &part;
		r2.err = &err2;
		threaded = pthread_create(&helper, NULL, extract_range, &r2) == 0;
	}
	extract_range(r);
	if (threaded)
		pthread_join(helper, NULL);
	else if (cut > 0 && r->rc == 0)
		extract_range(&r2);
	if (r->rc < 0)
		goto out;
	if (cut > 0 && r2.rc < 0) {
		*r->err = err2;
		goto out;
	}
	if (cut > 0 && append_part(r->out, &part) < 0)
		goto nomem;
	for (i = 0; i < nm; i++)
		if ((r->out->measures.v[i].progress = strndup(r->progress[i].s ?
		    r->progress[i].s : "", r->progress[i].len)) == NULL)
			goto nomem;
	rc = 0;
	goto out;
nomem:
	kg_err_set(r->err, "out of memory extracting milestones");
out:
	kg_import_clear(&part);
	for (i = 0; r->progress != NULL && i < nm; i++)
		kg_buf_free(&r->progress[i]);
	free(r->progress);
	free(r->last);
	r->progress = NULL;
	r->last = NULL;
	return rc;
}

/* ---- entry points ---- */

static char *
sha256_hex(const char *bytes, size_t len)
{
	unsigned char md[KG_SHA256_LEN];
	char *hex;

	if ((hex = malloc(2 * KG_SHA256_LEN + 1)) == NULL)
		return NULL;
	kg_sha256(bytes, len, md);
	return kg_hex(md, sizeof(md), hex);
}

/*
 * The document's title line, for plan identity: the first line of text,
 * unless it is a cover tag (別添２, 資料１, 参考, 別紙) or a date alone — then
 * the next one before the first item.
 */
static size_t
title_line(const struct kg_doc *d)
{
	static const char *const tags[] = {"別添", "資料", "参考", "別紙"};
	size_t i, k, j;

	for (i = kg_doc_next(d, 0); i < d->preamble_end && i < d->n; i = kg_doc_next(d, i + 1)) {
		struct kg_span t = d->lines[i].t;
		bool tag = false;
		int y;

		for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
			j = 0;
			if (kg_eat(t, &j, tags[k])) {
				kg_skip_space(t, &j);
				tag = j == t.len || (kg_read_number(t, &j) >= 0 && j == t.len);
			}
			if (tag)
				break;
		}
		j = 0;
		if (!tag && !((y = kg_read_year(t, &j, true)) > 0 && kg_span_cps(t) <= 14 &&
		    kg_span_find(t, "月") >= 0))
			return i;
	}
	return d->title;
}

/* The as-of date: given, or inferred with the line it came from.  0, -1,
 * or KG_REPORT_NO_AS_OF. */
static int
as_of_date(struct kg_doc *d, struct kg_import *out, kg_day given, struct kg_err *err)
{
	struct kg_asof a;

	out->origin.as_of_how = "given with --as-of";
	if (given != KG_DAY_NONE) {
		out->doc.as_of = given;
		return 0;
	}
	if (kg_asof_infer(d, &a) < 0)
		return kg_err_set(err, "out of memory reading the as-of date");
	if (a.day == KG_DAY_NONE) {
		kg_err_set(err, "cannot tell the document's as-of date (no '…現在' date, "
			"no 上半期/下半期/四半期 in the title, no dated decision, meeting or cover "
			"line); give it with --as-of");
		return KG_REPORT_NO_AS_OF;
	}
	out->doc.as_of = a.day;
	out->origin.as_of_how = kg_asof_source_text(a.source);
	out->origin.as_of_line = d->lines[a.line].lineno;
	if ((out->origin.as_of_text = kg_span_dup(d->lines[a.line].t)) == NULL)
		return kg_err_set(err, "out of memory reading the as-of date");
	return 0;
}

int
kg_report_parse(const char *bytes, size_t len, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err)
{
	struct kg_text text = {0};
	struct kg_doc d = {0};
	const struct kg_layout *layout = NULL, *forced = NULL;
	struct kg_jpctx ctx;
	struct run r = {.d = &d, .out = out, .ctx = &ctx, .err = err};
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->doc.as_of = KG_DAY_NONE;
	if (len > KG_REPORT_MAX_BYTES)
		return kg_err_set(err, "report is %zu bytes, above the limit of %zu MiB",
			len, KG_REPORT_MAX_BYTES >> 20);
	if (o != NULL && o->layout != NULL && (forced = kg_layout_find(o->layout, err)) == NULL)
		return -1;
	if (kg_text_decode(bytes, len, o != NULL ? o->encoding : NULL, &text, err) < 0)
		goto out;
	out->origin.controls = text.controls;
	if (kg_doc_init(&d, &text) < 0)
		goto nomem;
	d.out = out;
	d.err = err;
	if (d.title == d.n) {
		kg_err_set(err, "empty report (no text)");
		goto out;
	}
	if ((layout = forced != NULL ? forced : detect(&d)) == NULL) {
		no_layout(err, &d, NULL);
		goto out;
	}
	out->origin.layout = layout->name;
	if (layout->parse(&d) < 0) {
		if (!d.err_set)
			goto nomem;
		goto out;
	}
	if (out->measures.n == 0) {
		no_layout(err, &d, layout);
		goto out;
	}
	if ((o != NULL && o->name != NULL && (out->doc.name = strdup(o->name)) == NULL) ||
	    (out->doc.sha256 = o != NULL && o->original != NULL ?
	    sha256_hex(o->original, o->original_len) : sha256_hex(bytes, len)) == NULL ||
	    (out->doc.title = kg_span_dup(d.lines[title_line(&d)].t)) == NULL)
		goto nomem;
	if ((rc = as_of_date(&d, out, o != NULL ? o->as_of : KG_DAY_NONE, err)) < 0)
		goto out;
	rc = -1;
	ctx = kg_jpctx_of(out->doc.as_of);
	if (extract_units(&r) < 0)
		goto out;
	rc = 0;
	goto out;
nomem:
	kg_err_set(err, "out of memory parsing the report");
out:
	kg_doc_release(&d);
	kg_text_release(&text);
	return rc;
}

int
kg_report_load(const char *path, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err)
{
	struct kg_report_opts opts = {.as_of = KG_DAY_NONE};
	char *bytes = NULL;
	const char *base;
	size_t got = 0;
	int fd, rc = -1;

	memset(out, 0, sizeof(*out));
	if (o != NULL)
		opts = *o;
	if (opts.name == NULL)
		opts.name = (base = strrchr(path, '/')) != NULL ? base + 1 : path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return kg_err_set(err, "%s: %s", path, strerror(errno));
	if (kg_text_read_fd(fd, &bytes, &got, err) == 0)
		rc = kg_report_parse(bytes, got, &opts, out, err);
	if (rc < 0)
		kg_err_prefix(err, "%s", path);
	free(bytes);
	close(fd);
	return rc;
}
