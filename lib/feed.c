/*
 * feed — see feed.h.  Builds libical components (the calendar head, then
 * one per milestone) and lets libical serialise them (escaping, folding,
 * CRLF).  The only text built by hand is the human wording of SUMMARY,
 * DESCRIPTION and alarm texts.
 *
 * Rendering cost is linear in the number of milestones, about 30-50 µs
 * each, nearly all of it libical's; memory does not grow with them beyond
 * what the output stream keeps (bench/README.md, section "feed").
 */
#include "feed.h"

#include "conf.h"

#include <libical/ical.h>
#include <stdatomic.h>
#include <xxhash.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"


static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

void
kg_feed_params_init(struct kg_feed_params *p)
{
	memset(p, 0, sizeof(*p));
	p->name = "kigen milestones";
	p->refresh_s = 3600;
	p->show_done = true;
	p->view = KG_FEED_EVENTS;
	p->at_minute = 9 * 60;
}

void
kg_feed_params_from_conf(struct kg_feed_params *p, const struct kg_conf *c,
    const struct kg_feed_conf *fc)
{
	kg_feed_params_init(p);
	if (c->feed_name != NULL)
		p->name = c->feed_name;
	p->zone = c->zone;
	p->refresh_s = c->refresh_s;
	p->span = c->feed_span;
	p->base_url = c->base_url;
	p->show_done = fc != NULL && fc->show_done >= 0 ? fc->show_done != 0 : c->show_done;
	p->lead_days = c->lead_days;
	p->nlead = c->nlead;
	p->at_minute = c->at_minute;
	p->filter = fc != NULL ? &fc->filter : NULL;
}

char *
kg_feed_calname(const struct kg_conf *c, const struct kg_feed_conf *fc)
{
	const char *base = c->feed_name != NULL ? c->feed_name : "kigen milestones";
	char *s;

	if (fc == NULL)
		return strdup(base);
	if (asprintf(&s, "%s (%s)", base, fc->name) < 0)
		return NULL;
	return s;
}

/* The fiscal quarter (1..4, April first) of a month. */
static int
fiscal_quarter(int month)
{
	return (month + 8) % 12 / 3 + 1;
}

static const char *
season_name(int month)
{
	switch (month) {
	case 3: case 4: case 5: return "spring";
	case 6: case 7: case 8: return "summer";
	case 9: case 10: case 11: return "autumn";
	default: return "winter";
	}
}

char *
kg_feed_window_phrase(const struct kg_milestone *m, char *buf, size_t size)
{
	char s[KG_DATE_LEN], e[KG_DATE_LEN];
	int sy = 0, sm = 1, sd = 1, ey = 0, em = 1, ed = 1;
	kg_day start = m->window_start, end = m->window_end;

	if (end == KG_DAY_NONE) {
		if (start == KG_DAY_NONE)
			snprintf(buf, size, "no date");
		else
			snprintf(buf, size, "from %s on (no end date)", kg_date_format(start, s));
		return buf;
	}
	if (start == KG_DAY_NONE)
		start = end;
	kg_date_format(start, s);
	kg_date_format(end, e);
	kg_civil_from_day(start, &sy, &sm, &sd);
	kg_civil_from_day(end, &ey, &em, &ed);

	switch (m->precision) {
	case KG_PREC_DAY:
		snprintf(buf, size, "due on %s", e);
		break;
	case KG_PREC_DEKAD:
		snprintf(buf, size, "due %s %s %d (%s to %s)",
		    sd <= 10 ? "early in" : sd <= 20 ? "in the middle of" : "late in",
		    month_names[em - 1], ey, s, e);
		break;
	case KG_PREC_MONTH:
		snprintf(buf, size, "due during %s %d", month_names[em - 1], ey);
		break;
	case KG_PREC_MONTH_END:
		snprintf(buf, size, "due by the end of %s %d (%s)", month_names[em - 1], ey, e);
		break;
	case KG_PREC_QUARTER:
		snprintf(buf, size, "due within Q%d of fiscal %d (%s to %s)",
		    fiscal_quarter(sm), kg_fiscal_year(start), s, e);
		break;
	case KG_PREC_HALF_YEAR:
		snprintf(buf, size, "due within the %s half of fiscal %d (%s to %s)",
		    sm >= 4 && sm <= 9 ? "first" : "second", kg_fiscal_year(start), s, e);
		break;
	case KG_PREC_SEASON:
		snprintf(buf, size, "due in %s %d (%s to %s)", season_name(sm), sy, s, e);
		break;
	case KG_PREC_YEAR:
		snprintf(buf, size, "due within %d (%s to %s)", ey, s, e);
		break;
	case KG_PREC_YEAR_END:
		snprintf(buf, size, "due by the end of %d (%s)", ey, e);
		break;
	case KG_PREC_FISCAL_YEAR:
		snprintf(buf, size, "due within fiscal %d (%s to %s)", kg_fiscal_year(end), s, e);
		break;
	case KG_PREC_FISCAL_YEAR_END:
		snprintf(buf, size, "due by the end of fiscal %d (%s)", kg_fiscal_year(end), e);
		break;
	default: /* range, open_start with an end, anything new */
		if (start == end)
			snprintf(buf, size, "due on %s", e);
		else
			snprintf(buf, size, "due between %s and %s", s, e);
		break;
	}
	return buf;
}

/* ---- text of one milestone ---- */

/* Appends printf output to a fixed buffer; silently truncates, at a
 * character boundary (the buffer bounds a DESCRIPTION; the full sentence
 * is in the database). */
static void __attribute__((format(printf, 3, 4)))
text_add(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	kg_vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* s copied into buf (cut at a character) without control characters: an
 * .ics never carries them raw (RFC 5545 TEXT allows none but tab, and
 * libical writes a line break as \n; a calendar app may pass the rest to a
 * terminal).  Returns buf. */
static const char *
clean(const char *s, char *buf, size_t size)
{
	kg_snprintf(buf, size, "%s", s);
	kg_strip_controls(buf, "\t\n");
	return buf;
}

static const char *
milestone_title(const struct kg_milestone *m)
{
	if (m->title != NULL && m->title[0] != '\0')
		return m->title;
	if (m->measure_title != NULL && m->measure_title[0] != '\0')
		return m->measure_title;
	return m->expr != NULL ? m->expr : "milestone";
}

/* "✓ 演習を実施 (内閣官房 +2)": the title, a done mark and who is responsible,
 * short enough for a calendar cell. */
static void
summary_text(const struct kg_milestone *m, char *buf, size_t size)
{
	buf[0] = '\0';
	if (m->status == KG_STATUS_DONE)
		text_add(buf, size, "\xe2\x9c\x93 "); /* U+2713 CHECK MARK */
	text_add(buf, size, "%s", milestone_title(m));
	if (m->owners.n == 1)
		text_add(buf, size, " (%s)", m->owners.v[0]);
	else if (m->owners.n > 1)
		text_add(buf, size, " (%s +%zu)", m->owners.v[0], m->owners.n - 1);
	kg_strip_controls(buf, "\t\n"); /* libical writes a line break as \n */
}

static void
description_text(const struct kg_milestone *m, char *buf, size_t size)
{
	char phrase[160];
	size_t i;

	buf[0] = '\0';
	text_add(buf, size, "%s", kg_feed_window_phrase(m, phrase, sizeof(phrase)));
	if (m->expr != NULL && m->expr[0] != '\0')
		text_add(buf, size, " \xe2\x80\x94 %s", m->expr); /* em dash */
	if (m->uncertain)
		text_add(buf, size, "\nuncertain: %s", m->uncertain_reason ?
		    m->uncertain_reason : "the report does not settle the date");
	text_add(buf, size, "\nstatus: %s", kg_status_name(m->status));
	if (m->certainty == KG_CERT_EXPECTED || m->certainty == KG_CERT_TARGET)
		text_add(buf, size, " (%s)", kg_certainty_name(m->certainty));
	if (m->measure_title != NULL)
		text_add(buf, size, "\nmeasure: %s", m->measure_title);
	if (m->owners.n > 0) {
		text_add(buf, size, "\nresponsible: ");
		for (i = 0; i < m->owners.n; i++)
			text_add(buf, size, "%s%s", i ? ", " : "", m->owners.v[i]);
	}
	text_add(buf, size, "\nkind: %s", kg_kind_name(m->kind));
	if (m->gone)
		text_add(buf, size, "\nno longer mentioned by the latest report");
	if (m->sentence != NULL && m->sentence[0] != '\0') {
		text_add(buf, size, "\nsource");
		if (m->page > 0)
			text_add(buf, size, " (page %d)", m->page);
		text_add(buf, size, ": %s", m->sentence);
	}
	kg_strip_controls(buf, "\t\n"); /* libical writes a line break as \n */
}

/* ---- libical helpers ---- */

static struct icaltimetype
ical_date(kg_day d)
{
	struct icaltimetype t = icaltime_null_date();

	kg_civil_from_day(d, &t.year, &t.month, &t.day);
	return t;
}

static struct icaltimetype
ical_utc(int64_t unix_s)
{
	return icaltime_from_timet_with_zone((time_t)unix_s, 0, icaltimezone_get_utc_timezone());
}

static void
add_x(icalcomponent *c, const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);

	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
}

/* Whether m's event covers its window (p->span) rather than its deadline day. */
static bool
spans_window(const struct kg_milestone *m, const struct kg_feed_params *p)
{
	return p->view == KG_FEED_EVENTS && p->span == KG_SPAN_WINDOW &&
	    m->window_start != KG_DAY_NONE && m->window_end != KG_DAY_NONE &&
	    m->window_start < m->window_end;
}

/* One VALARM per lead, at the local `at` time lead days before the
 * deadline.  Triggers are relative to the deadline day's start: DTSTART of
 * a deadline-day event, DUE of a VTODO (RELATED=END); an event over its
 * window relates to its end, DTEND, the day after the deadline. */
static void
add_alarms(icalcomponent *c, const struct kg_milestone *m, const struct kg_feed_params *p)
{
	bool window = spans_window(m, p);
	char text[512], title[256];
	size_t i;

	if (m->window_end == KG_DAY_NONE ||
	    (m->status != KG_STATUS_PLANNED && m->status != KG_STATUS_ONGOING))
		return;
	clean(milestone_title(m), title, sizeof(title));
	for (i = 0; i < p->nlead; i++) {
		struct icaltriggertype trig;
		icalcomponent *alarm;
		icalproperty *tp;
		int lead = p->lead_days[i];

		if (lead < 0)
			continue;
		memset(&trig, 0, sizeof(trig));
		trig.time = icaltime_null_time();
		/* Relative to the start of the deadline day (an all-day DTSTART
		 * or DUE is local midnight). */
		trig.duration = icaldurationtype_from_int(p->at_minute * 60 -
		    (lead + (window ? 1 : 0)) * 86400);
		if (lead == 0)
			kg_snprintf(text, sizeof(text), "due today: %s", title);
		else
			kg_snprintf(text, sizeof(text), "due in %d day%s: %s", lead,
			    lead == 1 ? "" : "s", title);
		alarm = icalcomponent_new_valarm();
		icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
		tp = icalproperty_new_trigger(trig);
		if (p->view == KG_FEED_TODOS || window)
			icalproperty_add_parameter(tp, icalparameter_new_related(ICAL_RELATED_END));
		icalcomponent_add_property(alarm, tp);
		icalcomponent_add_property(alarm, icalproperty_new_description(text));
		icalcomponent_add_component(c, alarm);
	}
}

static void
add_common(icalcomponent *c, const struct kg_milestone *m, const struct kg_feed_params *p,
    char *text, size_t text_size)
{
	char uid[64], owner[256], url[KG_URL_MAX];
	int64_t stamp = m->updated_at ? m->updated_at : m->created_at;
	size_t i;

	if (m->uid != NULL)
		icalcomponent_add_property(c, icalproperty_new_uid(m->uid));
	else {
		snprintf(uid, sizeof(uid), "milestone-%lld@kigen", (long long)m->id);
		icalcomponent_add_property(c, icalproperty_new_uid(uid));
	}
	icalcomponent_add_property(c, icalproperty_new_dtstamp(ical_utc(stamp)));
	if (m->created_at)
		icalcomponent_add_property(c, icalproperty_new_created(ical_utc(m->created_at)));
	icalcomponent_add_property(c, icalproperty_new_lastmodified(ical_utc(stamp)));
	icalcomponent_add_property(c, icalproperty_new_sequence((int)m->sequence));
	summary_text(m, text, text_size);
	icalcomponent_add_property(c, icalproperty_new_summary(text));
	description_text(m, text, text_size);
	icalcomponent_add_property(c, icalproperty_new_description(text));
	for (i = 0; i < m->owners.n; i++)
		icalcomponent_add_property(c, icalproperty_new_categories(
		    clean(m->owners.v[i], owner, sizeof(owner))));
	icalcomponent_add_property(c, icalproperty_new_categories(kg_kind_name(m->kind)));
	if (kg_milestone_url(p->base_url, m->id, url, sizeof(url))[0] != '\0')
		icalcomponent_add_property(c, icalproperty_new_url(url));
}

static icalcomponent *
new_event(const struct kg_milestone *m, const struct kg_feed_params *p, char *text,
    size_t text_size)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	kg_day day = m->window_end != KG_DAY_NONE ? m->window_end : m->window_start;
	kg_day first = spans_window(m, p) ? m->window_start : day;
	enum icalproperty_status status;

	add_common(ev, m, p, text, text_size);
	icalcomponent_add_property(ev, icalproperty_new_dtstart(ical_date(first)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(ical_date(day + 1)));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	if (m->status == KG_STATUS_CANCELLED)
		status = ICAL_STATUS_CANCELLED;
	else if (m->status != KG_STATUS_DONE &&
	    (m->certainty == KG_CERT_EXPECTED || m->certainty == KG_CERT_TARGET))
		status = ICAL_STATUS_TENTATIVE;
	else
		status = ICAL_STATUS_CONFIRMED;
	icalcomponent_add_property(ev, icalproperty_new_status(status));
	add_alarms(ev, m, p);
	return ev;
}

/* When m was done: the time of a local `kigen done`, else the end of the
 * window the report gives (done during August: 08-31 00:00 local). */
static int64_t
completed_time(const struct kg_milestone *m, const struct kg_zone *zone)
{
	kg_day d = m->window_end != KG_DAY_NONE ? m->window_end : m->window_start;

	if (m->completed_at != 0 || d == KG_DAY_NONE)
		return m->completed_at ? m->completed_at : m->updated_at;
	return kg_zone_time_of_local(zone, d, 0);
}

static icalcomponent *
new_todo(const struct kg_milestone *m, const struct kg_feed_params *p, char *text,
    size_t text_size)
{
	icalcomponent *todo = icalcomponent_new_vtodo();
	static const enum icalproperty_status statuses[KG_STATUS_COUNT] = {
		[KG_STATUS_PLANNED] = ICAL_STATUS_NEEDSACTION,
		[KG_STATUS_ONGOING] = ICAL_STATUS_INPROCESS,
		[KG_STATUS_DONE] = ICAL_STATUS_COMPLETED,
		[KG_STATUS_CANCELLED] = ICAL_STATUS_CANCELLED,
	};
	bool done = m->status == KG_STATUS_DONE;

	add_common(todo, m, p, text, text_size);
	/* RFC 5545 wants DUE later than DTSTART: give a start only for a
	 * real window (or an open one, which has no DUE). */
	if (m->window_start != KG_DAY_NONE &&
	    (m->window_end == KG_DAY_NONE || m->window_start < m->window_end))
		icalcomponent_add_property(todo, icalproperty_new_dtstart(ical_date(m->window_start)));
	if (m->window_end != KG_DAY_NONE)
		icalcomponent_add_property(todo, icalproperty_new_due(ical_date(m->window_end)));
	if ((unsigned)m->status < KG_STATUS_COUNT)
		icalcomponent_add_property(todo, icalproperty_new_status(statuses[m->status]));
	icalcomponent_add_property(todo, icalproperty_new_percentcomplete(done ? 100 : 0));
	if (done)
		icalcomponent_add_property(todo, icalproperty_new_completed(ical_utc(
		    completed_time(m, p->zone))));
	add_alarms(todo, m, p);
	return todo;
}

/* ---- VTIMEZONE ---- */

/* An observance (STANDARD or DAYLIGHT) taking the zone from offset `from`
 * to `to`; its first onset is dtstart (local time before the change). */
static icalcomponent *
new_observance(icalcomponent_kind kind, int32_t from, int32_t to, const char *abbr,
    struct icaltimetype dtstart)
{
	icalcomponent *obs = icalcomponent_new(kind);

	icalcomponent_add_property(obs, icalproperty_new_dtstart(dtstart));
	icalcomponent_add_property(obs, icalproperty_new_tzoffsetfrom(from));
	icalcomponent_add_property(obs, icalproperty_new_tzoffsetto(to));
	if (abbr[0] != '\0')
		icalcomponent_add_property(obs, icalproperty_new_tzname(abbr));
	return obs;
}

/* A BYDAY value: weekday wday (0 Sunday) that is the nth (0: every) — the
 * encoding icalrecurrencetype_day_position and _day_of_week decode
 * (libical 3.0 has no encoder). */
static short
encode_day(int wday, int nth)
{
	int dow = ICAL_SUNDAY_WEEKDAY + wday;

	return (short)(nth >= 0 ? nth * 8 + dow : -(-nth * 8 + dow));
}

/* A yearly rule of lib/zone as an RRULE, and its first onset from 1970 on
 * as DTSTART (local time at offset `from`). */
static icalcomponent *
new_rule_observance(icalcomponent_kind kind, const struct kg_zone_yearly *y, int32_t from,
    int32_t to, const char *abbr)
{
	struct icalrecurrencetype r;
	struct icaltimetype start = icaltime_null_time();
	icalrecur_iterator *it;
	icalcomponent *obs;
	int i, n = 0;

	icalrecurrencetype_clear(&r);
	r.freq = ICAL_YEARLY_RECURRENCE;
	r.by_month[0] = (short)y->month;
	r.by_month[1] = ICAL_RECURRENCE_ARRAY_MAX;
	if (y->yearday)
		r.by_month[0] = ICAL_RECURRENCE_ARRAY_MAX;
	r.by_day[0] = encode_day(y->wday, y->nth);
	r.by_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
	if (y->nth == 0) {
		for (i = y->day_lo; i <= y->day_hi; i++)
			(y->yearday ? r.by_year_day : r.by_month_day)[n++] = (short)i;
		(y->yearday ? r.by_year_day : r.by_month_day)[n] = ICAL_RECURRENCE_ARRAY_MAX;
	}
	/* The first onset: the rule's first date in 1970, at its local time. */
	start.year = 1970;
	start.month = y->yearday ? 1 : y->month;
	start.day = 1;
	start.is_date = 0;
	it = icalrecur_iterator_new(r, start);
	if (it != NULL) {
		start = icalrecur_iterator_next(it);
		icalrecur_iterator_free(it);
	}
	start.hour = (int)(y->secs / 3600);
	start.minute = (int)(y->secs % 3600 / 60);
	start.second = (int)(y->secs % 60);
	obs = new_observance(kind, from, to, abbr, start);
	icalcomponent_add_property(obs, icalproperty_new_rrule(r));
	return obs;
}

/*
 * The zone's VTIMEZONE, built from lib/zone's rule in force: a fixed offset
 * (Asia/Tokyo, UTC, Etc/GMT-9) is one STANDARD observance from 1970 on;
 * daylight saving is a STANDARD and a DAYLIGHT observance with yearly
 * RRULEs.  TZID is the zone's name.  Built rather than taken from libical's
 * zone database, which knows neither UTC, GMT, the Etc zones nor the old links
 * (Japan, US/Pacific) and would carry Tokyo's LMT history: every zone
 * lib/zone loads renders, so the configuration check and the feeds accept
 * the same zones.
 */
static icalcomponent *
new_vtimezone(const struct kg_zone *zone)
{
	icalcomponent *vtz = icalcomponent_new_vtimezone();
	struct icaltimetype epoch = icaltime_null_time();
	struct kg_zone_rule r;

	kg_zone_rule(zone, &r);
	icalcomponent_add_property(vtz, icalproperty_new_tzid(kg_zone_name(zone)));
	if (!r.has_dst) {
		epoch.year = 1970;
		epoch.month = 1;
		epoch.day = 1;
		icalcomponent_add_component(vtz, new_observance(ICAL_XSTANDARD_COMPONENT,
		    r.std_off, r.std_off, r.std_abbr, epoch));
		return vtz;
	}
	icalcomponent_add_component(vtz, new_rule_observance(ICAL_XDAYLIGHT_COMPONENT,
	    &r.dst_start, r.std_off, r.dst_off, r.dst_abbr));
	icalcomponent_add_component(vtz, new_rule_observance(ICAL_XSTANDARD_COMPONENT,
	    &r.std_start, r.dst_off, r.std_off, r.std_abbr));
	return vtz;
}

/* ---- the calendar ---- */

bool
kg_feed_includes(const struct kg_feed_params *p, const struct kg_milestone *m)
{
	if (m->status == KG_STATUS_DONE && !p->show_done)
		return false;
	if (m->window_end == KG_DAY_NONE && m->window_start == KG_DAY_NONE)
		return false; /* nothing to put on a calendar */
	return (p->filter == NULL || kg_filter_match(p->filter, m)) &&
	    (p->extra_filter == NULL || kg_filter_match(p->extra_filter, m));
}

static struct icaldurationtype
duration_of(int64_t seconds)
{
	return icaldurationtype_from_int((int)(seconds > 0x7fffffff ? 0x7fffffff : seconds));
}

/* Appends the serialisation of c (then freed) to f.  -1 on ENOMEM or a
 * failed write. */
static int
append_component(FILE *f, icalcomponent *c)
{
	char *s = icalcomponent_as_ical_string_r(c);
	int rc = s != NULL && fputs(s, f) >= 0 ? 0 : -1;

	/* libical 3.0 allocates with malloc: free() releases it. */
	free(s);
	icalcomponent_free(c);
	return rc;
}

static const char feed_end[] = "END:VCALENDAR\r\n";

int
kg_feed_write_head(const struct kg_feed_params *p, FILE *f, struct kg_err *err)
{
	icalcomponent *cal = NULL, *vtz;
	icalproperty *prop;
	char *head = NULL, name[256];
	size_t head_len;
	int rc = -1;

	vtz = new_vtimezone(p->zone);
	cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_prodid(
	    "-//kigen//kigen " KIGEN_VERSION "//EN"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalcomponent_add_property(cal, icalproperty_new_name(clean(p->name, name, sizeof(name))));
	add_x(cal, "X-WR-CALNAME", clean(p->name, name, sizeof(name)));
	add_x(cal, "X-WR-TIMEZONE", kg_zone_name(p->zone));
	if (p->refresh_s > 0) {
		prop = icalproperty_new_refreshinterval(duration_of(p->refresh_s));
		icalproperty_add_parameter(prop, icalparameter_new_value(ICAL_VALUE_DURATION));
		icalcomponent_add_property(cal, prop);
		add_x(cal, "X-PUBLISHED-TTL",
		    icaldurationtype_as_ical_string(duration_of(p->refresh_s)));
	}
	icalcomponent_add_component(cal, vtz);
	/* libical writes the whole (empty) calendar: all but its END line. */
	head = icalcomponent_as_ical_string_r(cal);
	if (head != NULL && (head_len = strlen(head)) >= sizeof(feed_end) - 1 &&
	    strcmp(head + head_len - (sizeof(feed_end) - 1), feed_end) == 0 &&
	    fwrite(head, 1, head_len - (sizeof(feed_end) - 1), f) == head_len - (sizeof(feed_end) - 1))
		rc = 0;
	else
		kg_err_set(err, "cannot serialise the calendar (out of memory or a failed write)");
	free(head);
	icalcomponent_free(cal);
	return rc;
}

int
kg_feed_write_event(const struct kg_milestone *m, const struct kg_feed_params *p,
    char text[KG_FEED_TEXT_MAX], FILE *f)
{
	return append_component(f, p->view == KG_FEED_TODOS ? new_todo(m, p, text, KG_FEED_TEXT_MAX)
	    : new_event(m, p, text, KG_FEED_TEXT_MAX));
}

int
kg_feed_write_tail(FILE *f)
{
	return fputs(feed_end, f) < 0 ? -1 : 0;
}

/*
 * libical serialises the calendar's own properties and its VTIMEZONE; each
 * event is then built, serialised by libical, written to f and freed before
 * the next, and END:VCALENDAR closes the calendar — what libical would write
 * for the whole tree, without the whole tree (about 10 kB per milestone with
 * its alarms) or the whole text in memory.
 */
int
kg_feed_write(const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    FILE *f, struct kg_err *err)
{
	char *text;
	size_t i;
	int rc = -1;

	if (kg_feed_write_head(p, f, err) < 0)
		return -1;
	if ((text = malloc(KG_FEED_TEXT_MAX)) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (kg_feed_includes(p, &v[i]) && kg_feed_write_event(&v[i], p, text, f) < 0)
			goto fail;
	if (kg_feed_write_tail(f) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	kg_err_set(err, "cannot serialise the calendar (out of memory or a failed write)");
out:
	free(text);
	return rc;
}

/* ---- what an event depends on ---- */

/* Every field of struct kg_milestone goes into an event's key (those no
 * event shows too: one more render is harmless, a stale event is not).  A
 * field added to the struct changes its size: then add it below. */
_Static_assert(sizeof(struct kg_milestone) == 176,
    "kg_feed_event_key hashes every field of struct kg_milestone: add the new one");

/* The bytes a key is the hash of: every input, written one after the
 * other (strings with their length first: "ab"+"c" and "a"+"bc" differ).
 * One hash over one buffer: a streaming update per field cost ten times
 * as much (2 µs an event). */
struct key_buf {
	unsigned char small[2048], *p;
	size_t len, cap;
	bool failed;
};

static void
key_put(struct key_buf *b, const void *data, size_t n)
{
	unsigned char *np;
	size_t cap;

	if (b->len + n > b->cap) {
		for (cap = b->cap * 2; cap < b->len + n; cap *= 2)
			;
		if ((np = malloc(cap)) == NULL) {
			b->failed = true;
			return;
		}
		memcpy(np, b->p, b->len);
		if (b->p != b->small)
			free(b->p);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void
key_str(struct key_buf *b, const char *s)
{
	size_t n = s != NULL ? strlen(s) : (size_t)-1;

	key_put(b, &n, sizeof(n));
	if (s != NULL)
		key_put(b, s, n);
}

#define KEY_VAL(b, v) do { __typeof__(v) v_ = (v); key_put((b), &v_, sizeof(v_)); } while (0)

void
kg_feed_event_key(const struct kg_milestone *m, const struct kg_feed_params *p,
    unsigned char key[KG_FEED_KEY_LEN])
{
	struct key_buf b;
	XXH128_hash_t h;
	size_t i;

	b.p = b.small;
	b.len = 0;
	b.cap = sizeof(b.small);
	b.failed = false;
	/* What the parameters change in an event (not the calendar's head). */
	KEY_VAL(&b, (int)p->view);
	KEY_VAL(&b, (int)p->span);
	key_str(&b, p->base_url);
	key_str(&b, kg_zone_name(p->zone));
	KEY_VAL(&b, p->at_minute);
	KEY_VAL(&b, p->nlead);
	if (p->nlead > 0)
		key_put(&b, p->lead_days, p->nlead * sizeof(*p->lead_days));
	/* The milestone, field by field. */
	KEY_VAL(&b, m->id);
	key_str(&b, m->uid);
	KEY_VAL(&b, m->measure_id);
	key_str(&b, m->title);
	KEY_VAL(&b, (int)m->kind);
	KEY_VAL(&b, (int)m->status);
	KEY_VAL(&b, (int)m->certainty);
	KEY_VAL(&b, m->window_start);
	KEY_VAL(&b, m->window_end);
	KEY_VAL(&b, (int)m->precision);
	key_str(&b, m->expr);
	key_str(&b, m->sentence);
	KEY_VAL(&b, m->document_id);
	KEY_VAL(&b, m->line);
	KEY_VAL(&b, m->page);
	KEY_VAL(&b, m->manual);
	KEY_VAL(&b, m->local_mask);
	KEY_VAL(&b, m->conflict);
	KEY_VAL(&b, m->gone);
	KEY_VAL(&b, m->uncertain);
	key_str(&b, m->uncertain_reason);
	KEY_VAL(&b, m->sequence);
	KEY_VAL(&b, m->created_at);
	KEY_VAL(&b, m->updated_at);
	KEY_VAL(&b, m->completed_at);
	key_str(&b, m->measure_title);
	KEY_VAL(&b, m->owners.n);
	for (i = 0; i < m->owners.n; i++)
		key_str(&b, m->owners.v[i]);
	if (b.failed) {
		/* ENOMEM: a key no earlier call gave, so that whatever holds this
		 * event is rendered anew rather than taken for unchanged. */
		static atomic_uint_fast64_t unique;
		uint64_t u = atomic_fetch_add(&unique, 1);

		memset(key, 0xff, KG_FEED_KEY_LEN);
		memcpy(key, &u, sizeof(u));
	} else {
		h = XXH3_128bits(b.p, b.len);
		XXH128_canonicalFromHash((XXH128_canonical_t *)(void *)key, h);
	}
	if (b.p != b.small)
		free(b.p);
}

int
kg_feed_render(const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    char **out, size_t *len, struct kg_err *err)
{
	char *body = NULL;
	size_t body_len = 0;
	FILE *f;
	int rc;

	*out = NULL;
	*len = 0;
	if ((f = open_memstream(&body, &body_len)) == NULL)
		return kg_err_set(err, "cannot serialise the calendar (out of memory)");
	rc = kg_feed_write(v, n, p, f, err);
	if (fclose(f) != 0 && rc == 0)
		rc = kg_err_set(err, "cannot serialise the calendar (out of memory)");
	if (rc < 0) {
		free(body);
		return -1;
	}
	*out = body;
	*len = body_len;
	return 0;
}
