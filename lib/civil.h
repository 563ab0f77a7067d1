/*
 * civil — proleptic Gregorian calendar dates as day numbers.
 *
 * Everything in kigen that is a date (deadlines, windows, as-of dates) is a
 * kg_day: the number of days since 1970-01-01.  Day numbers make windows,
 * comparisons and "days left" plain integer arithmetic.  KG_DAY_NONE marks an
 * absent date (an open window end; JSON null).
 */
#ifndef KG_CIVIL_H
#define KG_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

typedef int32_t kg_day;

#define KG_DAY_NONE INT32_MIN
#define KG_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

bool kg_is_leap(int year);

/* 28..31; 0 for a month outside 1..12. */
int kg_days_in_month(int year, int month);

/* True when y-m-d names a real date (year 1..9999). */
bool kg_date_valid(int year, int month, int day);

/* Day number of a valid y-m-d (the caller checks validity first). */
kg_day kg_day_from_civil(int year, int month, int day);

void kg_civil_from_day(kg_day d, int *year, int *month, int *day);

/* Strict "YYYY-MM-DD".  On failure: -1 and "invalid date '<s>' (<why>)". */
int kg_date_parse(const char *s, kg_day *out, struct kg_err *err);

/* Writes "YYYY-MM-DD" (or "" for KG_DAY_NONE) into buf; returns buf. */
char *kg_date_format(kg_day d, char buf[KG_DATE_LEN]);

#define KG_TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
/* Writes unix seconds t as RFC 3339 in UTC into buf; returns buf. */
char *kg_time_format(int64_t t, char buf[KG_TIME_LEN]);

/* Strict "YYYY-MM-DDTHH:MM:SSZ" (what kg_time_format writes) into unix
 * seconds; -1 when s is not that. */
int kg_time_parse(const char *s, int64_t *out);

/* Milliseconds of CLOCK_MONOTONIC: for deadlines and waits that must not
 * follow the wall clock (or faketime). */
int64_t kg_mono_ms(void);

/* 0 = Monday .. 6 = Sunday. */
int kg_weekday(kg_day d);

/* Last day of the month that contains d, first day likewise. */
kg_day kg_month_first(kg_day d);
kg_day kg_month_last(kg_day d);

/* Japanese fiscal year (April..March) that contains d: FY2008 = 2008-04-01..2009-03-31. */
int kg_fiscal_year(kg_day d);

/* Zone conversions (the date of an instant, the instant of a local time)
 * are lib/zone's, on a loaded zone: never through the process's TZ. */

#endif
