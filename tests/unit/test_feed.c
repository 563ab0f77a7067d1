/* Unit tests for lib/feed: the iCalendar output, parsed back with libical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"
#include "zone.h"
#include "report.h"
#include "store.h"

#define LONG_SENTENCE \
	"内閣官房情報セキュリティセンター（ＮＩＳＣ）において、政府機関の情報セキュリティ" \
	"対策のための統一基準（２００８年度版）を策定し、平成２０年度中に各府省庁における" \
	"運用を開始する予定。GSOC; a,b\\c"

static void
fill(struct kg_milestone *m, int64_t id, const char *uid, const char *title,
    enum kg_status status, enum kg_precision prec, kg_day start, kg_day end)
{
	memset(m, 0, sizeof(*m));
	m->id = id;
	m->uid = strdup(uid);
	m->title = strdup(title);
	m->status = status;
	m->precision = prec;
	m->window_start = start;
	m->window_end = end;
	m->kind = KG_KIND_EXERCISE;
	m->sequence = id;
	m->created_at = 1220000000 + id;
	m->updated_at = 1222000000 + id;
}

/* Four milestones: a day, a done month, an open-ended window, a cancelled one. */
static struct kg_milestone_list *
sample(void)
{
	struct kg_milestone_list *l = calloc(1, sizeof(*l));
	struct kg_milestone *m;

	m = kg_milestone_list_add(l);
	fill(m, 1, "a1@kigen", "分野横断的演習を実施", KG_STATUS_PLANNED, KG_PREC_DAY,
	    kg_day_from_civil(2008, 12, 1), kg_day_from_civil(2008, 12, 1));
	m->expr = strdup("平成20年12月１日");
	m->sentence = strdup(LONG_SENTENCE);
	m->measure_title = strdup("重要インフラにおける情報セキュリティ対策");
	kg_strv_push(&m->owners, "内閣官房", (size_t)-1);
	kg_strv_push(&m->owners, "総務省", (size_t)-1);

	m = kg_milestone_list_add(l);
	fill(m, 2, "b2@kigen", "結果を公表", KG_STATUS_DONE, KG_PREC_MONTH,
	    kg_day_from_civil(2008, 8, 1), kg_day_from_civil(2008, 8, 31));
	m->completed_at = 1219000000;
	kg_strv_push(&m->owners, "経済産業省", (size_t)-1);

	m = kg_milestone_list_add(l);
	fill(m, 3, "c3@kigen", "運用開始", KG_STATUS_ONGOING, KG_PREC_OPEN_START,
	    kg_day_from_civil(2009, 4, 1), KG_DAY_NONE);
	m->uncertain = true;
	m->uncertain_reason = strdup("year not given");
	m->sentence = strdup("４月から運用を開始。");
	m->page = 3;

	m = kg_milestone_list_add(l);
	fill(m, 4, "d4@kigen", "中止された調査", KG_STATUS_CANCELLED, KG_PREC_FISCAL_YEAR,
	    kg_day_from_civil(2008, 4, 1), kg_day_from_civil(2009, 3, 31));
	kg_strv_push(&m->owners, "総務省", (size_t)-1);
	return l;
}

static int
setup(void **state)
{
	*state = sample();
	return 0;
}

static int
teardown(void **state)
{
	kg_milestone_list_clear(*state);
	free(*state);
	return 0;
}

/* Zones the tests use, loaded by the group setup. */
static struct kg_zone *tokyo_zone;

static int
load_zones(void **state)
{
	struct kg_err err;

	(void)state;
	return kg_zone_load("Asia/Tokyo", &tokyo_zone, &err);
}

static int
free_zones(void **state)
{
	(void)state;
	kg_zone_free(tokyo_zone);
	return 0;
}

/* The defaults, in Tokyo as kigen's configuration has it. */
static void
params_init(struct kg_feed_params *p)
{
	kg_feed_params_init(p);
	p->zone = tokyo_zone;
}

static char *
render(const struct kg_milestone_list *l, const struct kg_feed_params *p, size_t *len)
{
	struct kg_err err = {{0}};
	char *out = NULL;
	size_t n = 0;

	if (kg_feed_render(l->v, l->n, p, &out, &n, &err) < 0)
		fail_msg("render failed: %s", err.msg);
	assert_non_null(out);
	assert_int_equal(n, strlen(out));
	if (len != NULL)
		*len = n;
	return out;
}

static icalcomponent *
find_uid(icalcomponent *cal, icalcomponent_kind kind, const char *uid)
{
	icalcomponent *c;

	for (c = icalcomponent_get_first_component(cal, kind); c != NULL;
	    c = icalcomponent_get_next_component(cal, kind))
		if (strcmp(icalcomponent_get_uid(c), uid) == 0)
			return c;
	return NULL;
}

static const char *
x_prop(icalcomponent *c, const char *name)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

static int
count(icalcomponent *c, icalcomponent_kind kind)
{
	return icalcomponent_count_components(c, kind);
}

static void
test_calendar_properties(void **state)
{
	struct kg_feed_params p;
	icalcomponent *cal, *vtz, *obs;
	char *out;

	params_init(&p);
	p.name = "Secure Japan 2008 milestones";
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_string_equal(icalproperty_get_version(
	    icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY)), "2.0");
	assert_non_null(strstr(icalproperty_get_prodid(
	    icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY)), "kigen"));
	assert_int_equal(icalproperty_get_method(
	    icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY)), ICAL_METHOD_PUBLISH);
	assert_non_null(icalcomponent_get_first_property(cal, ICAL_CALSCALE_PROPERTY));
	assert_string_equal(x_prop(cal, "X-WR-CALNAME"), "Secure Japan 2008 milestones");
	assert_string_equal(x_prop(cal, "X-WR-TIMEZONE"), "Asia/Tokyo");
	assert_string_equal(x_prop(cal, "X-PUBLISHED-TTL"), "PT1H");
	assert_non_null(strstr(out, "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));

	/* A clean TZID and only today's rule: JST, +0900 from and to. */
	assert_null(strstr(out, "freeassociation"));
	assert_null(strstr(out, "+0918"));
	vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(vtz);
	assert_string_equal(icalproperty_get_tzid(
	    icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)), "Asia/Tokyo");
	assert_int_equal(count(vtz, ICAL_ANY_COMPONENT), 1);
	obs = icalcomponent_get_first_component(vtz, ICAL_XSTANDARD_COMPONENT);
	assert_non_null(obs);
	assert_int_equal(icalproperty_get_tzoffsetfrom(
	    icalcomponent_get_first_property(obs, ICAL_TZOFFSETFROM_PROPERTY)), 9 * 3600);
	assert_int_equal(icalproperty_get_tzoffsetto(
	    icalcomponent_get_first_property(obs, ICAL_TZOFFSETTO_PROPERTY)), 9 * 3600);
	assert_null(icalcomponent_get_first_property(obs, ICAL_RRULE_PROPERTY));

	icalcomponent_free(cal);
	free(out);
}

/*
 * The VTIMEZONE is built from lib/zone's rule in force: libical, reading it
 * back, must find the same offsets as lib/zone at every hour of years where
 * the rule alone holds (after the zone's recorded history), for rules of
 * every shape: last Sunday (Berlin), first Sunday in the south with a half
 * hour (Lord Howe), a Saturday within days 24..30 (Gaza), a Friday across a
 * month's end written as days of the year (Cairo), negative DST (Dublin),
 * and fixed offsets libical's own database lacks (UTC, Etc/GMT-9).
 */
static void
test_zone_rules_round_trip(void **state)
{
	static const char *const names[] = {
		"Europe/Berlin", "Australia/Lord_Howe", "Asia/Gaza", "Africa/Cairo",
		"Europe/Dublin", "America/Nuuk", "Africa/Casablanca", "UTC", "Etc/GMT-9", "Japan",
	};
	struct kg_feed_params p;
	icalcomponent *cal, *vtz;
	icaltimezone *itz;
	struct icaltimetype tt;
	struct kg_zone_rule rule;
	struct kg_zone *z;
	struct kg_err err;
	int64_t t, start;
	int dst, n;
	size_t i;
	char *out;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(kg_zone_load(names[i], &z, &err), 0);
		params_init(&p);
		p.zone = z;
		out = render(*state, &p, NULL);
		cal = icalparser_parse_string(out);
		assert_non_null(cal);
		assert_string_equal(x_prop(cal, "X-WR-TIMEZONE"), names[i]);
		vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
		assert_non_null(vtz);
		assert_string_equal(icalproperty_get_tzid(
		    icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)), names[i]);
		kg_zone_rule(z, &rule);
		n = count(vtz, ICAL_XSTANDARD_COMPONENT) + count(vtz, ICAL_XDAYLIGHT_COMPONENT);
		assert_int_equal(n, rule.has_dst ? 2 : 1);
		itz = icaltimezone_new();
		assert_true(icaltimezone_set_component(itz, icalcomponent_new_clone(vtz)));
		/* three years, hourly, from 2040 or after the zone's recorded history */
		start = rule.since > 2208988800LL ? rule.since + 1 : 2208988800LL;
		for (t = start; t < start + 3 * 366 * 86400LL; t += 3600) {
			tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
			if (icaltimezone_get_utc_offset_of_utc_time(itz, &tt, &dst) != kg_zone_offset(z, t))
				fail_msg("%s at %lld: VTIMEZONE says %d, lib/zone %d", names[i],
				    (long long)t, icaltimezone_get_utc_offset_of_utc_time(itz, &tt, &dst),
				    kg_zone_offset(z, t));
		}
		icaltimezone_free(itz, 1);
		icalcomponent_free(cal);
		free(out);
		kg_zone_free(z);
	}
}

static void
test_events(void **state)
{
	struct kg_feed_params p;
	icalcomponent *cal, *ev;
	struct icaltimetype t;
	char *out;

	params_init(&p);
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	assert_int_equal(count(cal, ICAL_VEVENT_COMPONENT), 4);

	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "a1@kigen");
	assert_non_null(ev);
	t = icalcomponent_get_dtstart(ev);
	assert_true(t.is_date);
	assert_int_equal(t.year, 2008);
	assert_int_equal(t.month, 12);
	assert_int_equal(t.day, 1);
	t = icalcomponent_get_dtend(ev);
	assert_true(t.is_date);
	assert_int_equal(t.day, 2);
	assert_int_equal(icalcomponent_get_sequence(ev), 1);
	assert_int_equal(icaltime_as_timet(icalcomponent_get_dtstamp(ev)), 1222000001);
	assert_int_equal(icaltime_as_timet(icalproperty_get_lastmodified(
	    icalcomponent_get_first_property(ev, ICAL_LASTMODIFIED_PROPERTY))), 1222000001);
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	assert_string_equal(icalcomponent_get_summary(ev), "分野横断的演習を実施 (内閣官房 +1)");
	assert_non_null(strstr(icalcomponent_get_description(ev), "due on 2008-12-01"));
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "responsible: 内閣官房, 総務省"));
	assert_non_null(strstr(icalcomponent_get_description(ev), "source: " LONG_SENTENCE));
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "measure: 重要インフラにおける情報セキュリティ対策"));
	assert_int_equal(icalcomponent_count_properties(ev, ICAL_CATEGORIES_PROPERTY), 3);

	/* Done: a check mark, the deadline on the window's last day. */
	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "b2@kigen");
	assert_string_equal(icalcomponent_get_summary(ev), "\xe2\x9c\x93 結果を公表 (経済産業省)");
	assert_int_equal(icalcomponent_get_dtstart(ev).day, 31);
	assert_non_null(strstr(icalcomponent_get_description(ev), "due during August 2008"));

	/* Open-ended: on its first day. */
	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "c3@kigen");
	t = icalcomponent_get_dtstart(ev);
	assert_int_equal(t.month, 4);
	assert_int_equal(t.day, 1);
	assert_non_null(strstr(icalcomponent_get_description(ev), "from 2009-04-01 on"));
	assert_non_null(strstr(icalcomponent_get_description(ev), "uncertain: year not given"));
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "source (page 3): ４月から運用を開始。"));

	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "d4@kigen");
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);

	icalcomponent_free(cal);
	free(out);
}

static void
test_deterministic(void **state)
{
	struct kg_feed_params p;
	char *a, *b;
	size_t na, nb;

	params_init(&p);
	a = render(*state, &p, &na);
	b = render(*state, &p, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
}

static ssize_t
refuse_after_1k(void *cookie, const char *buf, size_t size)
{
	size_t *written = cookie;

	(void)buf;
	if (*written + size > 1024)
		return -1;
	*written += size;
	return (ssize_t)size;
}

/* A stream that fails part way (a full disk, a broken gzip): -1, named. */
static void
test_write_fails(void **state)
{
	static const cookie_io_functions_t io = { .write = refuse_after_1k };
	const struct kg_milestone_list *l = *state;
	struct kg_feed_params p;
	struct kg_err err;
	size_t written = 0;
	FILE *f = fopencookie(&written, "w", io);

	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	params_init(&p);
	assert_int_equal(kg_feed_write(l->v, l->n, &p, f, &err), -1);
	assert_non_null(strstr(err.msg, "failed write"));
	assert_true(written > 0 && written <= 1024);
	fclose(f);
}

static void
test_show_done_and_filter(void **state)
{
	struct kg_feed_params p;
	struct kg_filter f;
	icalcomponent *cal;
	char *out;

	params_init(&p);
	p.show_done = false;
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	assert_int_equal(count(cal, ICAL_VEVENT_COMPONENT), 3);
	assert_null(find_uid(cal, ICAL_VEVENT_COMPONENT, "b2@kigen"));
	/* Cancelled ones stay, so calendars drop them. */
	assert_non_null(find_uid(cal, ICAL_VEVENT_COMPONENT, "d4@kigen"));
	icalcomponent_free(cal);
	free(out);

	memset(&f, 0, sizeof(f));
	kg_strv_push(&f.owners, "総務省", (size_t)-1);
	params_init(&p);
	p.filter = &f;
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	assert_int_equal(count(cal, ICAL_VEVENT_COMPONENT), 2);
	assert_non_null(find_uid(cal, ICAL_VEVENT_COMPONENT, "a1@kigen"));
	assert_non_null(find_uid(cal, ICAL_VEVENT_COMPONENT, "d4@kigen"));
	icalcomponent_free(cal);
	free(out);
	kg_filter_clear(&f);
}

static void
test_alarms(void **state)
{
	static const int lead[] = {30, 7, 1, 0};
	static const int want[] = {-(29 * 86400 + 15 * 3600), -(6 * 86400 + 15 * 3600),
	    -15 * 3600, 9 * 3600};
	struct kg_feed_params p;
	icalcomponent *cal, *ev, *alarm;
	int i = 0;
	char *out;

	params_init(&p);
	p.lead_days = lead;
	p.nlead = 4;
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "a1@kigen");
	assert_int_equal(count(ev, ICAL_VALARM_COMPONENT), 4);
	for (alarm = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
	    alarm != NULL; alarm = icalcomponent_get_next_component(ev, ICAL_VALARM_COMPONENT)) {
		icalproperty *tp = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);

		assert_non_null(tp); /* khal crashes without one */
		assert_int_equal(icaldurationtype_as_int(icalproperty_get_trigger(tp).duration),
		    want[i++]);
		assert_non_null(icalcomponent_get_first_property(alarm, ICAL_ACTION_PROPERTY));
		assert_non_null(icalcomponent_get_first_property(alarm, ICAL_DESCRIPTION_PROPERTY));
	}
	/* No alarms for done, cancelled or open-ended milestones. */
	assert_int_equal(count(find_uid(cal, ICAL_VEVENT_COMPONENT, "b2@kigen"),
	    ICAL_VALARM_COMPONENT), 0);
	assert_int_equal(count(find_uid(cal, ICAL_VEVENT_COMPONENT, "c3@kigen"),
	    ICAL_VALARM_COMPONENT), 0);
	assert_int_equal(count(find_uid(cal, ICAL_VEVENT_COMPONENT, "d4@kigen"),
	    ICAL_VALARM_COMPONENT), 0);
	icalcomponent_free(cal);
	free(out);
}

/* span = window: a window wider than a day is one event from its first to
 * its last day (DTEND exclusive), alarms related to its end; a day, an
 * open-ended window and every VTODO stay on one day. */
static void
test_span_window(void **state)
{
	static const int lead[] = {7};
	struct kg_milestone_list *l = *state;
	struct kg_feed_params p;
	icalcomponent *cal, *ev, *alarm;
	icalproperty *tp;
	struct icaltimetype s, e;
	char *out;

	l->v[3].status = KG_STATUS_PLANNED; /* the fiscal-year window gets alarms */
	kg_feed_params_init(&p);
	p.span = KG_SPAN_WINDOW;
	p.lead_days = lead;
	p.nlead = 1;
	out = render(l, &p, NULL);
	cal = icalparser_parse_string(out);

	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "a1@kigen");
	s = icalcomponent_get_dtstart(ev);
	e = icalcomponent_get_dtend(ev);
	assert_int_equal(s.day, 1);
	assert_int_equal(e.day, 2);

	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "b2@kigen");
	s = icalcomponent_get_dtstart(ev);
	e = icalcomponent_get_dtend(ev);
	assert_true(s.is_date && e.is_date);
	assert_int_equal(s.month * 100 + s.day, 801);
	assert_int_equal(e.month * 100 + e.day, 901);

	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "c3@kigen");
	s = icalcomponent_get_dtstart(ev);
	e = icalcomponent_get_dtend(ev);
	assert_int_equal(s.year * 10000 + s.month * 100 + s.day, 20090401);
	assert_int_equal(e.year * 10000 + e.month * 100 + e.day, 20090402);

	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "d4@kigen");
	s = icalcomponent_get_dtstart(ev);
	e = icalcomponent_get_dtend(ev);
	assert_int_equal(s.year * 10000 + s.month * 100 + s.day, 20080401);
	assert_int_equal(e.year * 10000 + e.month * 100 + e.day, 20090401);
	/* 7 days before the deadline 2009-03-31 at 09:00 = DTEND - 8 days + 9 h. */
	alarm = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
	tp = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
	assert_int_equal(icaldurationtype_as_int(icalproperty_get_trigger(tp).duration),
	    -(8 * 86400) + 9 * 3600);
	assert_int_equal(icalparameter_get_related(icalproperty_get_first_parameter(tp,
	    ICAL_RELATED_PARAMETER)), ICAL_RELATED_END);
	/* The deadline day's own event keeps its alarm on DTSTART. */
	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "a1@kigen");
	tp = icalcomponent_get_first_property(icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT), ICAL_TRIGGER_PROPERTY);
	assert_null(icalproperty_get_first_parameter(tp, ICAL_RELATED_PARAMETER));
	icalcomponent_free(cal);
	free(out);

	/* Todos ignore the span. */
	p.view = KG_FEED_TODOS;
	out = render(l, &p, NULL);
	cal = icalparser_parse_string(out);
	assert_int_equal(icalcomponent_get_due(find_uid(cal, ICAL_VTODO_COMPONENT,
	    "b2@kigen")).day, 31);
	icalcomponent_free(cal);
	free(out);
}

/* With a base URL each event links to its milestone's page. */
static void
test_url(void **state)
{
	struct kg_feed_params p;
	icalcomponent *cal;
	icalproperty *u;
	char *out;

	kg_feed_params_init(&p);
	out = render(*state, &p, NULL);
	assert_null(strstr(out, "\r\nURL"));
	free(out);
	p.base_url = "https://kigen.example.org/";
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	u = icalcomponent_get_first_property(find_uid(cal, ICAL_VEVENT_COMPONENT, "c3@kigen"),
	    ICAL_URL_PROPERTY);
	assert_non_null(u);
	assert_string_equal(icalproperty_get_url(u), "https://kigen.example.org/milestones/3");
	icalcomponent_free(cal);
	free(out);
}

static void
test_todos(void **state)
{
	struct kg_feed_params p;
	icalcomponent *cal, *todo;
	struct icaltimetype t;
	char *out;

	params_init(&p);
	p.view = KG_FEED_TODOS;
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	assert_int_equal(count(cal, ICAL_VEVENT_COMPONENT), 0);
	assert_int_equal(count(cal, ICAL_VTODO_COMPONENT), 4);

	todo = find_uid(cal, ICAL_VTODO_COMPONENT, "a1@kigen");
	t = icalcomponent_get_due(todo);
	assert_true(t.is_date);
	assert_int_equal(t.day, 1);
	assert_null(icalcomponent_get_first_property(todo, ICAL_DTSTART_PROPERTY));
	assert_int_equal(icalcomponent_get_status(todo), ICAL_STATUS_NEEDSACTION);
	assert_int_equal(icalproperty_get_percentcomplete(
	    icalcomponent_get_first_property(todo, ICAL_PERCENTCOMPLETE_PROPERTY)), 0);

	todo = find_uid(cal, ICAL_VTODO_COMPONENT, "b2@kigen");
	assert_int_equal(icalcomponent_get_status(todo), ICAL_STATUS_COMPLETED);
	assert_int_equal(icalproperty_get_percentcomplete(
	    icalcomponent_get_first_property(todo, ICAL_PERCENTCOMPLETE_PROPERTY)), 100);
	assert_int_equal(icaltime_as_timet(icalproperty_get_completed(
	    icalcomponent_get_first_property(todo, ICAL_COMPLETED_PROPERTY))), 1219000000);
	assert_int_equal(icalcomponent_get_dtstart(todo).day, 1);

	todo = find_uid(cal, ICAL_VTODO_COMPONENT, "c3@kigen");
	assert_null(icalcomponent_get_first_property(todo, ICAL_DUE_PROPERTY));
	assert_int_equal(icalcomponent_get_status(todo), ICAL_STATUS_INPROCESS);
	icalcomponent_free(cal);
	free(out);

	/* Done by a report (no local done time): COMPLETED is the end of the
	 * window it gives, 2008-08-31 00:00 in Tokyo, not the import time. */
	((struct kg_milestone_list *)*state)->v[1].completed_at = 0;
	out = render(*state, &p, NULL);
	cal = icalparser_parse_string(out);
	todo = find_uid(cal, ICAL_VTODO_COMPONENT, "b2@kigen");
	assert_int_equal(icaltime_as_timet(icalproperty_get_completed(
	    icalcomponent_get_first_property(todo, ICAL_COMPLETED_PROPERTY))),
	    1220108400); /* 2008-08-30T15:00:00Z */
	icalcomponent_free(cal);
	free(out);
}

static bool
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;

	while (i < n) {
		unsigned char c = s[i];

		k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (k == 0 || i + k > n)
			return false;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

/* Every physical line: CRLF-terminated, at most 75 octets, valid UTF-8 on
 * its own (no multi-byte character split by a fold), whatever the length of
 * the ASCII text before the Japanese starts. */
static void
test_folding(void **state)
{
	struct kg_milestone_list *l = *state;
	struct kg_feed_params p;
	char title[256];
	int shift, lines = 0;

	(void)state;
	params_init(&p);
	for (shift = 0; shift < 8; shift++) {
		char *out, *line, *end;
		size_t len;

		snprintf(title, sizeof(title), "%.*s情報セキュリティ対策の統一基準を改定し公表する",
		    shift, "abcdefgh");
		free(l->v[0].title);
		l->v[0].title = strdup(title);
		out = render(l, &p, &len);
		assert_int_equal(out[len - 1], '\n');
		for (line = out; *line != '\0'; line = end + 2) {
			end = strstr(line, "\r\n");
			assert_non_null(end);
			assert_true(end - line <= 75);
			assert_true(valid_utf8((unsigned char *)line, (size_t)(end - line)));
			assert_null(memchr(line, '\n', (size_t)(end - line)));
			lines++;
		}
		free(out);
	}
	assert_true(lines > 100);
}

/* Escaping and unfolding round-trip: what goes in comes back out. */
static void
test_text_round_trip(void **state)
{
	struct kg_milestone_list *l = *state;
	struct kg_feed_params p;
	icalcomponent *cal, *ev;
	char *out;

	params_init(&p);
	free(l->v[1].title);
	l->v[1].title = strdup("a;b,c\\d\nsecond line");
	out = render(l, &p, NULL);
	assert_non_null(strstr(out, "a\\;b\\,c\\\\d\\nsecond line"));
	cal = icalparser_parse_string(out);
	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "b2@kigen");
	assert_string_equal(icalcomponent_get_summary(ev),
	    "\xe2\x9c\x93 a;b,c\\d\nsecond line (経済産業省)");
	ev = find_uid(cal, ICAL_VEVENT_COMPONENT, "a1@kigen");
	assert_non_null(strstr(icalcomponent_get_description(ev), LONG_SENTENCE));
	icalcomponent_free(cal);
	free(out);
}

static void
test_window_phrase(void **state)
{
	static const struct {
		enum kg_precision prec;
		int sy, sm, sd, ey, em, ed;
		const char *want;
	} cases[] = {
		{KG_PREC_DAY, 2008, 12, 1, 2008, 12, 1, "due on 2008-12-01"},
		{KG_PREC_DEKAD, 2008, 9, 11, 2008, 9, 20,
		    "due in the middle of September 2008 (2008-09-11 to 2008-09-20)"},
		{KG_PREC_MONTH, 2009, 3, 1, 2009, 3, 31, "due during March 2009"},
		{KG_PREC_MONTH_END, 2009, 3, 31, 2009, 3, 31, "due by the end of March 2009 (2009-03-31)"},
		{KG_PREC_QUARTER, 2009, 1, 1, 2009, 3, 31,
		    "due within Q4 of fiscal 2008 (2009-01-01 to 2009-03-31)"},
		{KG_PREC_HALF_YEAR, 2008, 10, 1, 2009, 3, 31,
		    "due within the second half of fiscal 2008 (2008-10-01 to 2009-03-31)"},
		{KG_PREC_SEASON, 2008, 12, 1, 2009, 2, 28,
		    "due in winter 2008 (2008-12-01 to 2009-02-28)"},
		{KG_PREC_YEAR_END, 2008, 12, 31, 2008, 12, 31, "due by the end of 2008 (2008-12-31)"},
		{KG_PREC_FISCAL_YEAR, 2008, 4, 1, 2009, 3, 31,
		    "due within fiscal 2008 (2008-04-01 to 2009-03-31)"},
		{KG_PREC_FISCAL_YEAR_END, 2009, 3, 31, 2009, 3, 31,
		    "due by the end of fiscal 2008 (2009-03-31)"},
		{KG_PREC_RANGE, 2008, 10, 1, 2009, 3, 31, "due between 2008-10-01 and 2009-03-31"},
		{KG_PREC_OPEN_START, 2009, 4, 1, 0, 0, 0, "from 2009-04-01 on (no end date)"},
	};
	struct kg_milestone m;
	char buf[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.precision = cases[i].prec;
		m.window_start = kg_day_from_civil(cases[i].sy, cases[i].sm, cases[i].sd);
		m.window_end = cases[i].ey ? kg_day_from_civil(cases[i].ey, cases[i].em, cases[i].ed)
		    : KG_DAY_NONE;
		assert_string_equal(kg_feed_window_phrase(&m, buf, sizeof(buf)), cases[i].want);
	}
}

/* Counts X-LIC-ERROR properties libical's parser left anywhere in c. */
static int
parse_errors(icalcomponent *c)
{
	icalcomponent *sub;
	int n = icalcomponent_count_properties(c, ICAL_XLICERROR_PROPERTY);

	for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub != NULL;
	    sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += parse_errors(sub);
	return n;
}

/*
 * The bundled sample report, imported through the real importer and store,
 * rendered and read back by libical: no parse errors, every milestone one
 * VEVENT with its UID on its deadline.  (kigend serves exactly these bytes:
 * tests/integration/030-daemon-feed.sh compares them, and checks them with
 * python3-icalendar and ical.js.)  Not checked: libical's iTIP
 * restrictions, which want an ORGANIZER in a METHOD:PUBLISH event; feeds
 * have no organizer to name, and RFC 5545 alone does not ask for one.
 */
static void
test_sample_report(void **state)
{
	const char *top = getenv("TOP");
	struct kg_import imp;
	struct kg_import_result res;
	struct kg_report_opts ro = {.as_of = KG_DAY_NONE};
	struct kg_milestone_list l = {0};
	struct kg_store *st = NULL;
	struct kg_feed_params p;
	struct kg_err err = {{0}};
	struct kg_query q;
	icalcomponent *cal, *ev;
	char path[4096], db[] = "/tmp/kigen-test-feed-XXXXXX", side[64];
	char *out;
	size_t i, len, dated = 0;
	int fd;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	memset(&res, 0, sizeof(res));
	snprintf(path, sizeof(path), "%s/data/secure-japan-2008-h1.txt", top ? top : ".");
	assert_true((fd = mkstemp(db)) >= 0);
	close(fd);
	unlink(db);
	if (kg_report_load(path, &ro, &imp, &err) < 0 ||
	    kg_store_open(db, KG_STORE_CREATE, &st, &err) < 0 ||
	    kg_store_import(st, &imp, NULL, &res, &err) < 0)
		fail_msg("%s", err.msg);
	kg_query_init(&q);
	assert_int_equal(kg_store_milestones(st, &q, &l, &err), 0);
	assert_true(l.n > 40);
	params_init(&p);
	out = render(&l, &p, &len);
	cal = icalparser_parse_string(out);
	assert_non_null(cal);
	assert_int_equal(parse_errors(cal), 0);
	for (i = 0; i < l.n; i++) {
		struct icaltimetype t;
		kg_day day = l.v[i].window_end != KG_DAY_NONE ? l.v[i].window_end
		    : l.v[i].window_start;
		int y, m, d;

		if (day == KG_DAY_NONE)
			continue;
		dated++;
		ev = find_uid(cal, ICAL_VEVENT_COMPONENT, l.v[i].uid);
		assert_non_null(ev);
		t = icalcomponent_get_dtstart(ev);
		kg_civil_from_day(day, &y, &m, &d);
		assert_true(t.is_date);
		assert_int_equal(t.year, y);
		assert_int_equal(t.month, m);
		assert_int_equal(t.day, d);
	}
	assert_int_equal(count(cal, ICAL_VEVENT_COMPONENT), dated);
	icalcomponent_free(cal);
	free(out);
	kg_milestone_list_clear(&l);
	kg_import_result_clear(&res);
	kg_import_clear(&imp);
	kg_store_close(st);
	unlink(db);
	snprintf(side, sizeof(side), "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", db);
	unlink(side);
}

/* An event's key moves with every field of the milestone and with every
 * parameter an event shows; it stays for equal inputs. */
static void
mut_id(struct kg_milestone *m) { m->id++; }
static void
mut_uid(struct kg_milestone *m) { free(m->uid); m->uid = strdup("other@kigen"); }
static void
mut_title(struct kg_milestone *m) { free(m->title); m->title = strdup("別の題"); }
static void
mut_kind(struct kg_milestone *m) { m->kind = KG_KIND_REPORT; }
static void
mut_status(struct kg_milestone *m) { m->status = KG_STATUS_DONE; }
static void
mut_certainty(struct kg_milestone *m) { m->certainty = KG_CERT_EXPECTED; }
static void
mut_start(struct kg_milestone *m) { m->window_start--; }
static void
mut_end(struct kg_milestone *m) { m->window_end++; }
static void
mut_precision(struct kg_milestone *m) { m->precision = KG_PREC_MONTH; }
static void
mut_expr(struct kg_milestone *m) { free(m->expr); m->expr = strdup("平成21年"); }
static void
mut_sentence(struct kg_milestone *m) { free(m->sentence); m->sentence = NULL; }
static void
mut_page(struct kg_milestone *m) { m->page = 9; }
static void
mut_gone(struct kg_milestone *m) { m->gone = true; }
static void
mut_uncertain(struct kg_milestone *m) { m->uncertain = true; }
static void
mut_sequence(struct kg_milestone *m) { m->sequence++; }
static void
mut_updated(struct kg_milestone *m) { m->updated_at++; }
static void
mut_completed(struct kg_milestone *m) { m->completed_at = 5; }
static void
mut_measure_title(struct kg_milestone *m) { free(m->measure_title); m->measure_title = strdup("x"); }
static void
mut_owner(struct kg_milestone *m) { kg_strv_push(&m->owners, "外務省", (size_t)-1); }
static void
mut_owner_split(struct kg_milestone *m)
{
	/* "内閣官房","総務省" -> "内閣官房総","務省": the same bytes in other strings */
	kg_strv_clear(&m->owners);
	kg_strv_push(&m->owners, "内閣官房総", (size_t)-1);
	kg_strv_push(&m->owners, "務省", (size_t)-1);
}

static void
test_event_key(void **state)
{
	static void (*const mutate[])(struct kg_milestone *) = {
		mut_id, mut_uid, mut_title, mut_kind, mut_status, mut_certainty, mut_start, mut_end,
		mut_precision, mut_expr, mut_sentence, mut_page, mut_gone, mut_uncertain,
		mut_sequence, mut_updated, mut_completed, mut_measure_title, mut_owner,
		mut_owner_split,
	};
	static const int lead[] = {7, 1}, other_lead[] = {7, 2};
	const struct kg_milestone_list *l = *state;
	unsigned char base[KG_FEED_KEY_LEN], k[KG_FEED_KEY_LEN];
	struct kg_feed_params p, q;
	struct kg_milestone m;
	size_t i;

	kg_feed_params_init(&p);
	p.lead_days = lead;
	p.nlead = 2;
	kg_feed_event_key(&l->v[0], &p, base);
	kg_milestone_copy(&m, &l->v[0]);
	kg_feed_event_key(&m, &p, k);
	assert_memory_equal(k, base, sizeof(k));       /* a copy: the same key */
	kg_milestone_clear(&m);
	for (i = 0; i < sizeof(mutate) / sizeof(mutate[0]); i++) {
		kg_milestone_copy(&m, &l->v[0]);
		mutate[i](&m);
		kg_feed_event_key(&m, &p, k);
		if (memcmp(k, base, sizeof(k)) == 0)
			fail_msg("mutation %zu leaves the key unchanged", i);
		kg_milestone_clear(&m);
	}
	q = p;
	q.view = KG_FEED_TODOS;
	kg_feed_event_key(&l->v[0], &q, k);
	assert_memory_not_equal(k, base, sizeof(k));
	q = p;
	q.lead_days = other_lead;
	kg_feed_event_key(&l->v[0], &q, k);
	assert_memory_not_equal(k, base, sizeof(k));
	q = p;
	q.base_url = "http://cal.example.org";
	kg_feed_event_key(&l->v[0], &q, k);
	assert_memory_not_equal(k, base, sizeof(k));
	q = p;
	q.name = "another calendar";             /* the head's, not an event's */
	kg_feed_event_key(&l->v[0], &q, k);
	assert_memory_equal(k, base, sizeof(k));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_calendar_properties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zone_rules_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_done_and_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_todos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_span_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_round_trip, setup, teardown),
		cmocka_unit_test(test_window_phrase),
		cmocka_unit_test(test_sample_report),
	};

	return cmocka_run_group_tests_name("feed", tests, load_zones, free_zones);
}
