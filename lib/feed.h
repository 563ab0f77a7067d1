/*
 * feed — milestones as an iCalendar (RFC 5545) feed, built with libical.
 *
 * Pure: the output depends only on the milestones and the parameters (no
 * clock, no disk), so the same data always gives the same bytes.  DTSTAMP
 * and LAST-MODIFIED come from each milestone's updated_at, SEQUENCE from its
 * sequence, so an HTTP ETag derived from the bytes stays valid until the data
 * changes.
 *
 * Each milestone becomes one all-day VEVENT on its deadline (the window's
 * last day; an open-ended window sits on its first day) — or, with the
 * window span, over its whole window when that is wider than a day — or
 * with the TODOS view one VTODO due on that day.  With a base URL each
 * carries URL: the milestone's page on kigend.  The calendar carries a VTIMEZONE for the
 * configured zone with a clean TZID ("Asia/Tokyo") and only the rules in
 * force today, not the zone's whole history.  Line folding, escaping and
 * CRLF line ends are libical's; libical 3 folds at 75 octets without
 * splitting a UTF-8 sequence (tests/unit/test_feed.c checks that).
 */
#ifndef KG_FEED_H
#define KG_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "model.h"

enum kg_feed_view {
	KG_FEED_EVENTS, /* VEVENT per milestone: what every calendar shows */
	KG_FEED_TODOS,  /* VTODO per milestone: for task apps */
};

/* What an event covers ([feed] span, ?span=). */
enum kg_feed_span {
	KG_SPAN_DEADLINE, /* the deadline day (the window's last day) */
	KG_SPAN_WINDOW,   /* a window wider than a day: from its first to its
	                     last day (DTEND the day after); others as above */
};

struct kg_feed_params {
	const char *name;       /* X-WR-CALNAME / NAME */
	const struct kg_zone *zone; /* for VTIMEZONE / X-WR-TIMEZONE; NULL: UTC */
	int64_t refresh_s;      /* REFRESH-INTERVAL and X-PUBLISHED-TTL; <= 0: omitted */
	bool show_done;         /* false: done milestones are left out */
	enum kg_feed_view view;
	enum kg_feed_span span; /* events only */
	const char *base_url;   /* URL: <base_url>/milestones/ID; NULL: no URL */
	const int *lead_days;   /* one VALARM per lead (days before the deadline) */
	size_t nlead;
	int at_minute;          /* local minute of the day the alarms fire (540 = 09:00) */
	const struct kg_filter *filter; /* NULL: every milestone */
	const struct kg_filter *extra_filter; /* a request's own, AND'd; may be NULL */
};

struct kg_conf;
struct kg_feed_conf;

/* Parameters with the defaults of the [feed] section and no alarms. */
void kg_feed_params_init(struct kg_feed_params *p);

/* Parameters of /feed.ics (fc NULL) or of the named feed fc, from the
 * configuration: zone, refresh, span, base URL, alarms ([reminders] lead
 * and at), show_done (a named feed's own, else [feed]'s) and fc's filter.  Every pointer
 * borrows from c and fc.  name is [feed] name; see kg_feed_calname. */
void kg_feed_params_from_conf(struct kg_feed_params *p, const struct kg_conf *c,
    const struct kg_feed_conf *fc);

/* The calendar name of a feed: "[feed] name", or "[feed] name (NAME)" for
 * a named feed.  New string, NULL on ENOMEM. */
char *kg_feed_calname(const struct kg_conf *c, const struct kg_feed_conf *fc);

/* Whether m goes into a feed with parameters p: it has a date, passes
 * p->filter and p->extra_filter, and is not done unless p->show_done. */
bool kg_feed_includes(const struct kg_feed_params *p, const struct kg_milestone *m);

/*
 * Renders the milestones v[0..n) that pass p->filter (and p->show_done), in
 * the given order, as a complete VCALENDAR.  Cancelled milestones are always
 * sent, with STATUS:CANCELLED, so subscribed calendars drop them.
 * On success *out is a new NUL-terminated string the caller frees (*len
 * bytes, CRLF line ends).  On failure -1: an unknown time zone
 * ("unknown time zone 'Mars/Base'") or ENOMEM.
 */
int kg_feed_render(const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    char **out, size_t *len, struct kg_err *err);

/*
 * The same calendar as kg_feed_render, written to f as it is built (one
 * component at a time), so the whole text never needs to be in memory:
 * kigend streams it into gzip and a digest.  f is not closed.  -1 on an
 * unknown time zone, ENOMEM or a failed write; f may then hold part of it.
 */
int kg_feed_write(const struct kg_milestone *v, size_t n, const struct kg_feed_params *p,
    FILE *f, struct kg_err *err);

/* The same calendar in pieces, for a caller that renders parts of it on
 * its own (kigend's feedparts.h): the head (the calendar's properties and
 * VTIMEZONE, all but END:VCALENDAR; -1 with err on an unknown zone or
 * ENOMEM), one event or todo of p->view (the caller decides which
 * milestones kg_feed_includes; text is scratch space; -1 on ENOMEM or a
 * failed write), the tail (END:VCALENDAR).  kg_feed_write is exactly
 * head, the included events in order, tail. */
#define KG_FEED_TEXT_MAX 8192 /* one DESCRIPTION; source sentences are shorter */
int kg_feed_write_head(const struct kg_feed_params *p, FILE *f, struct kg_err *err);
int kg_feed_write_event(const struct kg_milestone *m, const struct kg_feed_params *p,
    char text[KG_FEED_TEXT_MAX], FILE *f);
int kg_feed_write_tail(FILE *f);

/*
 * A 128-bit key of everything m's event (or todo) depends on under p: every
 * field of m and the parameters that show in an event (view, span, base
 * URL, zone, alarms).  Equal keys, equal event text; a different event has
 * a different key (XXH3-128: 10^5 events collide with odds below 2^-90).
 */
#define KG_FEED_KEY_LEN 16
void kg_feed_event_key(const struct kg_milestone *m, const struct kg_feed_params *p,
    unsigned char key[KG_FEED_KEY_LEN]);

/*
 * Writes a short English phrase for a milestone's window into buf (always
 * NUL-terminated, truncated to size): "due on 2008-12-01", "due during
 * March 2009", "due within fiscal 2008 (2008-04-01 to 2009-03-31)",
 * "from 2009-04-01 on (no end date)".  Returns buf.
 */
char *kg_feed_window_phrase(const struct kg_milestone *m, char *buf, size_t size);

#endif
