/*
 * zone — time zones as data: a zone of the tz database read once from its
 * TZif file (RFC 8536) into an immutable object, and conversions that read
 * only that object.
 *
 * Why not the C library: localtime_r and mktime know one zone per process,
 * chosen by the TZ environment variable, and switching it (setenv + tzset)
 * while other threads convert times is a data race — kigend's HTTP threads
 * and renderer run while a reload may change the zone.  glibc has no
 * per-zone API (no localtime_rz), and libical, whose zones kigend already
 * has, is not linked by kigen.  A TZif file is a small documented format:
 * the transitions of the past, and for every time after them the POSIX TZ
 * rule in its footer.  So a zone is loaded once (when the configuration is
 * read), shared by reference, and every conversion is a pure function of
 * it, safe from any thread.
 *
 * The same object answers what a feed's VTIMEZONE needs (the rule in force
 * as yearly rules an iCalendar RRULE can express), so every zone that
 * loads renders: the configuration check, a start and a reload accept
 * exactly the same zones.
 */
#ifndef KG_ZONE_H
#define KG_ZONE_H

#include <stdbool.h>
#include <stdint.h>

#include "civil.h"
#include "err.h"

struct kg_zone;

/*
 * Loads the zone `name` as tzdata knows it — "Asia/Tokyo", "UTC", "GMT",
 * "Etc/GMT-9", links such as "Japan" — from $TZDIR or
 * /usr/share/zoneinfo; a name that matches a zone only when case is ignored
 * ("utc", "asia/tokyo") is taken in the database's spelling.  -1 with
 * "unknown time zone '...'" when no zone has that name, or
 * "time zone '...': <why>" when its file cannot be used (its rule in force
 * cannot be written as an iCalendar rule, say).  *out has one reference.
 */
int kg_zone_load(const char *name, struct kg_zone **out, struct kg_err *err);

/* Another reference to z (thread-safe).  Returns z. */
struct kg_zone *kg_zone_ref(struct kg_zone *z);
/* Drops a reference (thread-safe); the last one frees z.  NULL is fine. */
void kg_zone_free(struct kg_zone *z);

/* The zone's name as loaded ("Asia/Tokyo"); "UTC" for NULL. */
const char *kg_zone_name(const struct kg_zone *z);

/* Conversions.  z NULL means UTC.  Pure and thread-safe. */

/* UTC offset in seconds at unix time t (east positive). */
int32_t kg_zone_offset(const struct kg_zone *z, int64_t t);
/* The date of unix time t in z. */
kg_day kg_zone_day_of_time(const struct kg_zone *z, int64_t t);
/* Today in z. */
kg_day kg_zone_today(const struct kg_zone *z);
/* Unix time of local d + minute_of_day in z.  A local time that does not
 * exist (a spring-forward gap) is read with the offset before the gap, so
 * it lands that much later, as mktime does; one that exists twice (fall
 * back) is taken at its first occurrence. */
int64_t kg_zone_time_of_local(const struct kg_zone *z, kg_day d, int minute_of_day);

/*
 * The rule in force (for a VTIMEZONE): what holds after the zone's last
 * recorded transition.  Some zones record predicted transitions decades
 * ahead (Gaza's and Casablanca's around Ramadan); the rule ignores them,
 * as a VTIMEZONE of the rules in force would — kigen's events are whole
 * days and its times UTC, so no feed entry depends on them.  Without daylight saving only std_* is set.  With
 * it, dst_start says when daylight time begins and std_start when it
 * ends, each as a yearly rule: in `month`, the weekday `wday` (0 Sunday)
 * that is the `nth` of the month (1..4, -1 the last), or — for rules
 * whose time runs past midnight — the `wday` within days `day_lo..day_hi`
 * of the month (when `yearday` is false) or of the year counted from its
 * end (-1 = 31 December; when `yearday` is true); at local time `secs`
 * (0..86399) of the offset before the change.
 */
struct kg_zone_yearly {
	int month;            /* 1..12 */
	int nth;              /* 1..4 or -1; 0: use the day window */
	int wday;             /* 0 Sunday .. 6 Saturday */
	int day_lo, day_hi;
	bool yearday;
	int32_t secs;
};

struct kg_zone_rule {
	int64_t since;                /* the rule alone holds from this instant (the
	                               * zone's last recorded transition) */
	int32_t std_off, dst_off;     /* seconds east of UTC */
	char std_abbr[16], dst_abbr[16];
	bool has_dst;
	struct kg_zone_yearly dst_start, std_start;
};

/* Fills r with z's rule in force (z NULL: UTC). */
void kg_zone_rule(const struct kg_zone *z, struct kg_zone_rule *r);

#endif
