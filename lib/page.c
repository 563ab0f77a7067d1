/*
 * page — see page.h.  The frame every page shares and the two detail
 * pages; the timeline is page_timeline.c.
 */
#include "page_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "feed.h"

/* ---- the frame ---- */

void
kg_page_open(struct kg_html *h, const struct kg_site *s, const char *root, const char *title)
{
	KG_HTML(h, "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<meta name=\"color-scheme\" content=\"light dark\">"
	    "<title>%s%s%s</title>"
	    "<link rel=\"stylesheet\" href=\"%sassets/style.css\">"
	    "<link rel=\"icon\" href=\"%sassets/icon.svg\" type=\"image/svg+xml\">"
	    "<script src=\"%sassets/app.js\" defer></script></head>"
	    "<body><header><a class=\"home\" href=\"%s\"><img src=\"%sassets/icon.svg\" alt=\"\" "
	    "width=\"22\" height=\"22\"> %s</a></header><main>",
	    title != NULL ? title : "", title != NULL ? " — " : "", s->name, root, root, root,
	    root[0] != '\0' ? root : "./", root, s->name);
}

void
kg_page_close(struct kg_html *h)
{
	KG_HTML_LIT(h, "</main><footer>kigen " KIGEN_VERSION "</footer></body></html>\n");
}

const char *
kg_page_as_of(char buf[KG_PAGE_AS_OF_LEN], kg_day today, bool given, char sep)
{
	char d[KG_DATE_LEN];

	if (!given)
		buf[0] = '\0';
	else
		snprintf(buf, KG_PAGE_AS_OF_LEN, "%cas_of=%s", sep, kg_date_format(today, d));
	return buf;
}

int
kg_page_done(struct kg_html *h, struct kg_err *err)
{
	return kg_html_failed(h) ? kg_err_set(err, "cannot write the page") : 0;
}

bool
kg_page_overdue(const struct kg_milestone *m, kg_day today)
{
	return (m->status == KG_STATUS_PLANNED || m->status == KG_STATUS_ONGOING) &&
	    m->window_end != KG_DAY_NONE && m->window_end < today;
}

const struct kg_slip *
kg_page_slip(const struct kg_site *s, int64_t id)
{
	size_t lo = 0, hi = s->nslips;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->slips[mid].milestone_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nslips && s->slips[lo].milestone_id == id ? &s->slips[lo] : NULL;
}

const char *
kg_page_title(const struct kg_milestone *m)
{
	if (m->title != NULL && m->title[0] != '\0')
		return m->title;
	if (m->measure_title != NULL && m->measure_title[0] != '\0')
		return m->measure_title;
	return m->expr != NULL ? m->expr : "milestone";
}

/* ---- search ---- */

char *
kg_page_fold(const char *s)
{
	return (char *)utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)(s != NULL ? s : ""));
}

char *
kg_page_fold_milestone(const struct kg_milestone *m)
{
	char *both, *folded;

	/* A newline cannot come from a search box: the two never run together. */
	if (asprintf(&both, "%s\n%s", m->title != NULL ? m->title : "",
	    m->sentence != NULL ? m->sentence : "") < 0)
		return NULL;
	folded = kg_page_fold(both);
	free(both);
	return folded;
}

/* ---- pieces of the detail pages ---- */

static void
status_badge(struct kg_html *h, const struct kg_milestone *m, kg_day today)
{
	KG_HTML(h, "<span class=\"badge s-%s\">%s</span>", kg_status_name(m->status),
	    kg_status_name(m->status));
	if (kg_page_overdue(m, today))
		KG_HTML(h, "<span class=\"badge overdue\">overdue by %d day%s</span>",
		    (int)(today - m->window_end), today - m->window_end == 1 ? "" : "s");
	if (m->gone)
		KG_HTML_LIT(h, "<span class=\"badge gone\">gone from the latest report</span>");
	if (m->conflict)
		KG_HTML_LIT(h, "<span class=\"badge conflict\">conflict</span>");
}

/* "in 7 days", "today", "3 days ago" for the deadline, when it has one. */
static void
days_left(struct kg_html *h, const struct kg_milestone *m, kg_day today)
{
	int d;

	if (m->window_end == KG_DAY_NONE)
		return;
	d = (int)(m->window_end - today);
	if (d == 0)
		KG_HTML_LIT(h, " (today)");
	else if (d > 0)
		KG_HTML(h, " (in %d day%s)", d, d == 1 ? "" : "s");
	else
		KG_HTML(h, " (%d day%s ago)", -d, d == -1 ? "" : "s");
}

/* The sentence with the first occurrence of the expression marked. */
static void
sentence_marked(struct kg_html *h, const struct kg_milestone *m)
{
	const char *at = m->expr != NULL && m->expr[0] != '\0' && m->sentence != NULL ?
	    strstr(m->sentence, m->expr) : NULL;

	KG_HTML_LIT(h, "<blockquote class=\"sentence\">");
	if (at == NULL)
		kg_html_text(h, m->sentence);
	else {
		kg_html_text_n(h, m->sentence, (size_t)(at - m->sentence));
		KG_HTML(h, "<mark>%s</mark>", m->expr);
		kg_html_text(h, at + strlen(m->expr));
	}
	KG_HTML_LIT(h, "</blockquote>");
}

static void
owners_text(struct kg_html *h, const struct kg_strv *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		KG_HTML(h, "%s%s", i ? "、" : "", o->v[i]);
	if (o->n == 0)
		KG_HTML_LIT(h, "—");
}

static void
window_cell(struct kg_html *h, kg_day start, kg_day end)
{
	char a[KG_DATE_LEN], b[KG_DATE_LEN];

	if (start == end || start == KG_DAY_NONE)
		KG_HTML(h, "%s", end != KG_DAY_NONE ? kg_date_format(end, b) : "—");
	else
		KG_HTML(h, "%s – %s", kg_date_format(start, a),
		    end != KG_DAY_NONE ? kg_date_format(end, b) : "(no end)");
}

/* A section's heading, and what it says when it has nothing to show (n is
 * 0).  Returns whether there is something to show. */
static bool
section(struct kg_html *h, const char *title, size_t n, const char *none)
{
	KG_HTML(h, "<h2>%s</h2>", title);
	if (n == 0)
		KG_HTML(h, "<p class=\"empty\">%s</p>", none);
	return n > 0;
}

static void
history_table(struct kg_html *h, const struct kg_change_list *l)
{
	char at[KG_TIME_LEN];
	size_t i;

	if (!section(h, "History", l->n, "Nothing recorded."))
		return;
	KG_HTML_LIT(h, "<table class=\"history\"><thead><tr><th>when</th><th>why</th>"
	    "<th>window</th><th>status</th><th>moved</th></tr></thead><tbody>");
	for (i = 0; i < l->n; i++) {
		const struct kg_change *c = &l->v[i];

		KG_HTML(h, "<tr><td><time>%s</time></td><td>%s</td><td>", kg_time_format(c->at, at),
		    c->reason != NULL ? c->reason : "");
		if (!c->created && (c->old_start != c->new_start || c->old_end != c->new_end)) {
			KG_HTML_LIT(h, "<del>");
			window_cell(h, c->old_start, c->old_end);
			KG_HTML_LIT(h, "</del> → ");
		}
		window_cell(h, c->new_start, c->new_end);
		KG_HTML_LIT(h, "</td><td>");
		if (!c->created && c->old_status != c->new_status)
			KG_HTML(h, "%s → ", kg_status_name(c->old_status));
		KG_HTML(h, "%s</td><td>", kg_status_name(c->new_status));
		if (c->created)
			KG_HTML_LIT(h, "created");
		else if (c->old_end != KG_DAY_NONE && c->new_end != KG_DAY_NONE &&
		    c->old_end != c->new_end)
			KG_HTML(h, "%+d days", (int)(c->new_end - c->old_end));
		KG_HTML_LIT(h, "</td></tr>");
	}
	KG_HTML_LIT(h, "</tbody></table>");
}

/* The configured reminders of m: the days they fire at the `at` time. */
static void
reminders(struct kg_html *h, const struct kg_site *s, const struct kg_milestone *m,
    kg_day today)
{
	char d[KG_DATE_LEN];
	size_t i;
	bool open = m->status == KG_STATUS_PLANNED || m->status == KG_STATUS_ONGOING;

	if (!section(h, "Reminders", open && m->window_end != KG_DAY_NONE && !m->gone,
	    "None: only open milestones with a deadline get reminders."))
		return;
	KG_HTML_LIT(h, "<ul class=\"reminders\">");
	/* Leads are sorted longest first, overdue days too: in time order, the
	 * leads, then the overdue days backwards. */
	for (i = 0; i < s->nlead + s->noverdue; i++) {
		int off = i < s->nlead ? s->lead_days[i] :
		    -s->overdue_days[s->noverdue - 1 - (i - s->nlead)];
		kg_day day = m->window_end - off;

		KG_HTML(h, "<li class=\"%s\"><time>%s %02d:%02d</time> — ",
		    day < today ? "past" : "next", kg_date_format(day, d), s->at_minute / 60,
		    s->at_minute % 60);
		if (off > 0)
			KG_HTML(h, "%d day%s before", off, off == 1 ? "" : "s");
		else if (off == 0)
			KG_HTML_LIT(h, "on the day");
		else
			KG_HTML(h, "%d day%s overdue", -off, off == -1 ? "" : "s");
		KG_HTML_LIT(h, "</li>");
	}
	KG_HTML_LIT(h, "</ul>");
}

static void
deliveries_table(struct kg_html *h, const struct kg_delivery_list *l)
{
	char t[KG_TIME_LEN];
	size_t i;

	if (!section(h, "Webhook deliveries", l->n, "None yet."))
		return;
	KG_HTML_LIT(h, "<table class=\"deliveries\"><thead><tr><th>endpoint</th><th>reminder</th>"
	    "<th>state</th><th>attempts</th><th>last attempt</th><th>last answer</th></tr>"
	    "</thead><tbody>");
	for (i = 0; i < l->n; i++) {
		const struct kg_delivery *d = &l->v[i];

		KG_HTML(h, "<tr><td>%s</td><td>%s, %d day%s %s</td><td class=\"dlv-%s\">%s</td>"
		    "<td>%d</td><td>", d->endpoint, d->type, d->lead_days < 0 ? -d->lead_days :
		    d->lead_days, d->lead_days == 1 || d->lead_days == -1 ? "" : "s",
		    d->lead_days < 0 ? "after" : "before", kg_delivery_status_name(d->status),
		    kg_delivery_status_name(d->status), d->attempts);
		if (d->last_attempt_at != 0)
			KG_HTML(h, "<time>%s</time>", kg_time_format(d->last_attempt_at, t));
		KG_HTML_LIT(h, "</td><td>");
		if (d->last_http_status != 0)
			KG_HTML(h, "HTTP %ld ", d->last_http_status);
		if (d->last_error != NULL)
			KG_HTML(h, "<span class=\"error\">%s</span>", d->last_error);
		KG_HTML_LIT(h, "</td></tr>");
	}
	KG_HTML_LIT(h, "</tbody></table>");
}

/* ---- the milestone page ---- */

int
kg_page_milestone(struct kg_html *h, const struct kg_site *s, const struct kg_milestone *m,
    const struct kg_measure *me, const struct kg_change_list *history,
    const struct kg_delivery_list *deliveries, kg_day today, bool as_of_given,
    struct kg_err *err)
{
	char phrase[160], d[KG_DATE_LEN], q[KG_PAGE_AS_OF_LEN], amp[KG_PAGE_AS_OF_LEN];

	kg_page_as_of(q, today, as_of_given, '?');
	kg_page_as_of(amp, today, as_of_given, '&');
	kg_page_open(h, s, "../", kg_page_title(m));
	KG_HTML(h, "<nav class=\"crumbs\"><a href=\"../%s\">timeline</a>%s", q,
	    me != NULL ? " › " : "");
	if (me != NULL)
		KG_HTML(h, "<a href=\"../measures/%lld%s\">%s</a>", (long long)me->id, q, me->title);
	KG_HTML(h, "</nav><article class=\"milestone\" data-id=\"%lld\"><h1>%s</h1><p>",
	    (long long)m->id, kg_page_title(m));
	status_badge(h, m, today);
	KG_HTML(h, "</p><dl class=\"facts\"><dt>window</dt><dd>%s",
	    kg_feed_window_phrase(m, phrase, sizeof(phrase)));
	days_left(h, m, today);
	KG_HTML(h, "</dd><dt>as written</dt><dd>%s</dd><dt>precision</dt><dd>%s</dd>"
	    "<dt>kind</dt><dd>%s</dd><dt>certainty</dt><dd>%s</dd><dt>owners</dt><dd>",
	    m->expr != NULL ? m->expr : "—", kg_precision_name(m->precision),
	    kg_kind_name(m->kind), kg_certainty_name(m->certainty));
	owners_text(h, &m->owners);
	KG_HTML_LIT(h, "</dd><dt>measure</dt><dd>");
	if (me != NULL)
		KG_HTML(h, "<a href=\"../measures/%lld%s\">%s</a>", (long long)me->id, q, me->title);
	else
		KG_HTML_LIT(h, "—");
	KG_HTML_LIT(h, "</dd>");
	if (m->uncertain)
		KG_HTML(h, "<dt>uncertain</dt><dd>%s</dd>", m->uncertain_reason != NULL ?
		    m->uncertain_reason : "the report does not settle the date");
	if (m->manual)
		KG_HTML_LIT(h, "<dt>edited</dt><dd>by hand: reports do not overwrite the edited "
		    "fields</dd>");
	KG_HTML(h, "<dt>source</dt><dd>%s", m->document_id != 0 ? "report" : "entered by hand");
	if (m->document_id != 0)
		KG_HTML(h, " %lld", (long long)m->document_id);
	if (m->line > 0)
		KG_HTML(h, ", line %d", m->line);
	if (m->page > 0)
		KG_HTML(h, ", page %d", m->page);
	KG_HTML(h, "</dd><dt>as of</dt><dd>%s</dd></dl>", kg_date_format(today, d));
	if (m->sentence != NULL && m->sentence[0] != '\0')
		sentence_marked(h, m);
	history_table(h, history);
	reminders(h, s, m, today);
	deliveries_table(h, deliveries);
	KG_HTML(h, "<p class=\"links\"><a href=\"%lld.ics\">this milestone as iCalendar</a> · "
	    "<a href=\"../api/v1/milestones/%lld\">JSON</a>", (long long)m->id, (long long)m->id);
	if (me != NULL)
		KG_HTML(h, " · <a href=\"../?measure=%lld%s\">its measure on the timeline</a>",
		    (long long)me->id, amp);
	KG_HTML_LIT(h, "</p></article>");
	kg_page_close(h);
	return kg_page_done(h, err);
}

/* ---- the measure page ---- */

int
kg_page_measure(struct kg_html *h, const struct kg_site *s, const struct kg_measure *me,
    kg_day today, bool as_of_given, long page, struct kg_err *err)
{
	const char *p, *nl;
	char phrase[160], q[KG_PAGE_AS_OF_LEN], amp[KG_PAGE_AS_OF_LEN];
	size_t i, n = 0, shown = 0, skip;

	for (i = 0; i < s->nmilestones; i++)
		n += s->milestones[i].measure_id == me->id;
	if (page < 1 || (size_t)(page - 1) * KG_PAGE_LIST >= n)
		page = 1;
	skip = (size_t)(page - 1) * KG_PAGE_LIST;

	kg_page_as_of(q, today, as_of_given, '?');
	kg_page_as_of(amp, today, as_of_given, '&');
	kg_page_open(h, s, "../", me->title);
	KG_HTML(h, "<nav class=\"crumbs\"><a href=\"../%s\">timeline</a></nav>"
	    "<article class=\"measure\" data-id=\"%lld\"><h1>%s</h1><dl class=\"facts\">"
	    "<dt>owners</dt><dd>", q, (long long)me->id, me->title);
	owners_text(h, &me->owners);
	KG_HTML_LIT(h, "</dd>");
	if (me->heading != NULL)
		KG_HTML(h, "<dt>section</dt><dd>%s</dd>", me->heading);
	KG_HTML_LIT(h, "</dl>");
	if (me->progress != NULL && me->progress[0] != '\0') {
		KG_HTML_LIT(h, "<h2>Progress</h2><ul class=\"progress\">");
		for (p = me->progress; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
			nl = p + strcspn(p, "\n");
			KG_HTML_LIT(h, "<li>");
			kg_html_text_n(h, p, (size_t)(nl - p));
			KG_HTML_LIT(h, "</li>");
		}
		KG_HTML_LIT(h, "</ul>");
	}
	if (me->notes.n > 0) {
		KG_HTML_LIT(h, "<h2>Undated commitments</h2><ul class=\"notes\">");
		for (i = 0; i < me->notes.n; i++)
			KG_HTML(h, "<li>%s</li>", me->notes.v[i]);
		KG_HTML_LIT(h, "</ul>");
	}
	KG_HTML(h, "<h2>Milestones (%zu)</h2>", n);
	if (n > 0)
		KG_HTML_LIT(h, "<table class=\"milestones\"><thead><tr><th>due</th><th>window</th>"
		    "<th>status</th><th>milestone</th></tr></thead><tbody>");
	for (i = 0; i < s->nmilestones && shown < KG_PAGE_LIST; i++) {
		const struct kg_milestone *m = &s->milestones[i];
		char due[KG_DATE_LEN];

		if (m->measure_id != me->id || (skip > 0 && skip--))
			continue;
		shown++;
		KG_HTML(h, "<tr class=\"s-%s%s%s\"><td>%s</td><td>%s</td><td>%s%s</td>"
		    "<td><a href=\"../milestones/%lld%s\">%s</a></td></tr>", kg_status_name(m->status),
		    kg_page_overdue(m, today) ? " overdue" : "", m->gone ? " gone" : "",
		    m->window_end != KG_DAY_NONE ? kg_date_format(m->window_end, due) : "—",
		    kg_feed_window_phrase(m, phrase, sizeof(phrase)), kg_status_name(m->status),
		    kg_page_overdue(m, today) ? ", overdue" : "", (long long)m->id, q,
		    kg_page_title(m));
	}
	if (n > 0)
		KG_HTML_LIT(h, "</tbody></table>");
	if (n > KG_PAGE_LIST) {
		KG_HTML(h, "<nav class=\"pager\">milestones %zu–%zu of %zu",
		    (size_t)(page - 1) * KG_PAGE_LIST + 1, (size_t)(page - 1) * KG_PAGE_LIST + shown,
		    n);
		if (page > 1)
			KG_HTML(h, " · <a rel=\"prev\" href=\"?page=%ld%s\">‹ previous</a>", page - 1,
			    amp);
		if ((size_t)page * KG_PAGE_LIST < n)
			KG_HTML(h, " · <a rel=\"next\" href=\"?page=%ld%s\">next ›</a>", page + 1,
			    amp);
		KG_HTML_LIT(h, "</nav>");
	}
	KG_HTML(h, "<p class=\"links\"><a href=\"../?measure=%lld%s\">on the timeline</a> · "
	    "<a href=\"../feed.ics?measure=%lld\">as a calendar</a> · "
	    "<a href=\"../api/v1/measures/%lld\">JSON</a></p></article>", (long long)me->id, amp,
	    (long long)me->id, (long long)me->id);
	kg_page_close(h);
	return kg_page_done(h, err);
}
