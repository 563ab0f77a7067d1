/* Unit tests for lib/zone: loading zones as tzdata names them (links, case,
 * UTC and GMT, refusals), conversions checked against the C library's own
 * tz code over 150 years (run with TZ set: this test is single-threaded),
 * gaps and repeated hours, and the rule in force as a VTIMEZONE needs it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zone.h"

static struct kg_zone *
load(const char *name)
{
	struct kg_zone *z;
	struct kg_err err;

	if (kg_zone_load(name, &z, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	return z;
}

static void
test_names(void **state)
{
	static const struct {
		const char *given, *name; /* name NULL: refused with err */
		const char *err;
	} rows[] = {
		{"Asia/Tokyo", "Asia/Tokyo", NULL},
		{"UTC", "UTC", NULL},
		{"GMT", "GMT", NULL},
		{"Etc/UTC", "Etc/UTC", NULL},
		{"Etc/GMT-9", "Etc/GMT-9", NULL},
		{"Japan", "Japan", NULL},           /* a link */
		{"utc", "UTC", NULL},               /* case as users write it */
		{"asia/tokyo", "Asia/Tokyo", NULL},
		{"Asia/Tokio", NULL, "unknown time zone 'Asia/Tokio'"},
		{"Mars/Olympus_Mons", NULL, "unknown time zone 'Mars/Olympus_Mons'"},
		{"", NULL, "unknown time zone ''"},
		{"/etc/passwd", NULL, "unknown time zone '/etc/passwd'"},
		{"../../etc/passwd", NULL, "unknown time zone '../../etc/passwd'"},
		{"zone.tab", NULL, "unknown time zone 'zone.tab'"}, /* no TZif file */
		{"Asia", NULL, "unknown time zone 'Asia'"},         /* a directory */
	};
	struct kg_zone *z;
	struct kg_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].name == NULL) {
			assert_int_equal(kg_zone_load(rows[i].given, &z, &err), -1);
			assert_null(z);
			assert_string_equal(err.msg, rows[i].err);
			continue;
		}
		assert_int_equal(kg_zone_load(rows[i].given, &z, &err), 0);
		assert_string_equal(kg_zone_name(z), rows[i].name);
		assert_ptr_equal(kg_zone_ref(z), z);
		kg_zone_free(z);
		kg_zone_free(z);
	}
	assert_string_equal(kg_zone_name(NULL), "UTC");
}

static void
test_conversions(void **state)
{
	struct kg_zone *tokyo = load("Asia/Tokyo"), *utc = load("UTC"), *ny = load("America/New_York");
	struct kg_zone *berlin = load("Europe/Berlin");

	(void)state;
	/* 2008-11-30T15:00:00Z is 2008-12-01 00:00 in Tokyo. */
	assert_int_equal(kg_zone_day_of_time(tokyo, 1228057200), kg_day_from_civil(2008, 12, 1));
	assert_int_equal(kg_zone_day_of_time(tokyo, 1228057199), kg_day_from_civil(2008, 11, 30));
	assert_int_equal(kg_zone_day_of_time(utc, 1228057200), kg_day_from_civil(2008, 11, 30));
	assert_int_equal(kg_zone_day_of_time(NULL, 1228057200), kg_day_from_civil(2008, 11, 30));
	assert_int_equal(kg_zone_day_of_time(utc, -1), kg_day_from_civil(1969, 12, 31));
	assert_int_equal(kg_zone_time_of_local(tokyo, kg_day_from_civil(2008, 12, 1), 9 * 60),
	    1228089600);
	/* A spring-forward gap: 02:30 in Berlin on 2009-03-29 does not exist;
	 * it is read with the offset before (+01), landing at 03:30 CEST. */
	assert_int_equal(kg_zone_time_of_local(berlin, kg_day_from_civil(2009, 3, 29), 150),
	    1238290200);
	/* A repeated hour: 01:30 on 2008-11-02 in New York happens twice; the
	 * first (EDT) is taken. */
	assert_int_equal(kg_zone_time_of_local(ny, kg_day_from_civil(2008, 11, 2), 90),
	    1225603800);
	/* Beyond the last transition, the footer rule: 2100 in Berlin. */
	assert_int_equal(kg_zone_offset(berlin, 4118400000), 7200);  /* 2100-07-04 */
	assert_int_equal(kg_zone_offset(berlin, 4102444800), 3600);  /* 2100-01-01 */
	kg_zone_free(tokyo);
	kg_zone_free(utc);
	kg_zone_free(ny);
	kg_zone_free(berlin);
}

/* Every offset and every local 00:00 and 09:00 from 1950 to 2100 as the C
 * library's tz code has them, in zones with every kind of rule: none,
 * northern and southern daylight saving, negative DST (Dublin), half hours
 * (Lord Howe), rules past midnight (Gaza, Cairo, Nuuk). */
static void
test_against_libc(void **state)
{
	static const char *const names[] = {
		"Asia/Tokyo", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
		"Europe/Dublin", "Africa/Cairo", "Asia/Gaza", "America/Nuuk", "America/Santiago",
		"Pacific/Chatham", "UTC", "Etc/GMT-9",
	};
	struct kg_zone *z;
	struct tm tm;
	time_t tt;
	int64_t t;
	kg_day d;
	size_t i;
	int y, m, dd, minute;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		z = load(names[i]);
		setenv("TZ", names[i], 1);
		tzset();
		for (t = -631152000LL; t < 4102444800LL; t += 86400 * 3 + 3607) {
			tt = (time_t)t;
			localtime_r(&tt, &tm);
			if (tm.tm_gmtoff != kg_zone_offset(z, t))
				fail_msg("%s at %lld: libc %ld, kg_zone %d", names[i], (long long)t,
				    tm.tm_gmtoff, kg_zone_offset(z, t));
		}
		for (d = kg_day_from_civil(1950, 1, 1); d < kg_day_from_civil(2100, 1, 1); d += 5) {
			for (minute = 0; minute < 1440; minute += 540) {
				kg_civil_from_day(d, &y, &m, &dd);
				memset(&tm, 0, sizeof(tm));
				tm.tm_year = y - 1900;
				tm.tm_mon = m - 1;
				tm.tm_mday = dd;
				tm.tm_hour = minute / 60;
				tm.tm_isdst = -1;
				if ((int64_t)mktime(&tm) != kg_zone_time_of_local(z, d, minute))
					fail_msg("%s %d-%02d-%02d %d min: libc %lld, kg_zone %lld", names[i],
					    y, m, dd, minute, (long long)mktime(&tm),
					    (long long)kg_zone_time_of_local(z, d, minute));
			}
		}
		kg_zone_free(z);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_rule_in_force(void **state)
{
	struct kg_zone_rule r;
	struct kg_zone *z;

	(void)state;
	z = load("Asia/Tokyo");
	kg_zone_rule(z, &r);
	assert_false(r.has_dst);
	assert_int_equal(r.std_off, 9 * 3600);
	assert_string_equal(r.std_abbr, "JST");
	kg_zone_free(z);

	z = load("Europe/Berlin"); /* CET-1CEST,M3.5.0,M10.5.0/3 */
	kg_zone_rule(z, &r);
	assert_true(r.has_dst);
	assert_int_equal(r.std_off, 3600);
	assert_int_equal(r.dst_off, 7200);
	assert_string_equal(r.dst_abbr, "CEST");
	assert_int_equal(r.dst_start.month, 3);
	assert_int_equal(r.dst_start.nth, -1);
	assert_int_equal(r.dst_start.wday, 0);
	assert_int_equal(r.dst_start.secs, 7200);
	assert_int_equal(r.std_start.month, 10);
	assert_int_equal(r.std_start.secs, 3 * 3600);
	kg_zone_free(z);

	z = load("Asia/Gaza"); /* M3.4.4/50: the Saturday after the 4th Thursday, 02:00 */
	kg_zone_rule(z, &r);
	assert_int_equal(r.dst_start.nth, 0);
	assert_int_equal(r.dst_start.wday, 6);
	assert_int_equal(r.dst_start.day_lo, 24);
	assert_int_equal(r.dst_start.day_hi, 30);
	assert_false(r.dst_start.yearday);
	assert_int_equal(r.dst_start.secs, 7200);
	kg_zone_free(z);

	z = load("Africa/Cairo"); /* M10.5.4/24: the Friday after the last Thursday */
	kg_zone_rule(z, &r);
	assert_true(r.std_start.yearday);
	assert_int_equal(r.std_start.wday, 5);
	assert_int_equal(r.std_start.day_lo, -67); /* 26 October */
	assert_int_equal(r.std_start.day_hi, -61); /* 1 November */
	assert_int_equal(r.std_start.secs, 0);
	kg_zone_free(z);

	kg_zone_rule(NULL, &r);
	assert_false(r.has_dst);
	assert_int_equal(r.std_off, 0);
	assert_string_equal(r.std_abbr, "UTC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_against_libc),
		cmocka_unit_test(test_rule_in_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
