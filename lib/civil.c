/*
 * civil — see civil.h.  The day-number conversions are Howard Hinnant's
 * well-known days_from_civil / civil_from_days algorithms, written out
 * for int32 day numbers.  Zone conversions are lib/zone's.
 */
#include "civil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool
kg_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
kg_days_in_month(int y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && kg_is_leap(y) ? 29 : mdays[m - 1];
}

bool
kg_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= kg_days_in_month(y, m);
}

kg_day
kg_day_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
kg_civil_from_day(kg_day z, int *year, int *month, int *day)
{
	int era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	*year = y + (m <= 2);
	*month = m;
	*day = d;
}

int
kg_date_parse(const char *s, kg_day *out, struct kg_err *err)
{
	int y, m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return kg_err_set(err, "invalid date '%s' (expected YYYY-MM-DD)",
		    s ? s : "");
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return kg_err_set(err,
			    "invalid date '%s' (expected YYYY-MM-DD)", s);
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1)
		return kg_err_set(err, "invalid date '%s' (year out of range)", s);
	if (m < 1 || m > 12)
		return kg_err_set(err, "invalid date '%s' (month out of range)", s);
	if (d < 1 || d > kg_days_in_month(y, m))
		return kg_err_set(err, "invalid date '%s' (day out of range)", s);
	*out = kg_day_from_civil(y, m, d);
	return 0;
}

char *
kg_date_format(kg_day d, char buf[KG_DATE_LEN])
{
	int y, m, dd;

	if (d == KG_DAY_NONE) {
		buf[0] = '\0';
		return buf;
	}
	kg_civil_from_day(d, &y, &m, &dd);
	if (y < 0 || y > 9999) {
		/* not a date any listing shows: cut to four digits, on purpose */
		snprintf(buf, KG_DATE_LEN, "%04u-%02u-%02u", (unsigned)abs(y) % 10000u,
		    (unsigned)m % 100u, (unsigned)dd % 100u);
		return buf;
	}
	/* digit by digit: listings format thousands of dates, and snprintf
	 * costs ten times as much */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dd / 10);
	buf[9] = (char)('0' + dd % 10);
	buf[10] = '\0';
	return buf;
}

char *
kg_time_format(int64_t t, char buf[KG_TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, KG_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
	return buf;
}

int64_t
kg_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
kg_time_parse(const char *s, int64_t *out)
{
	char date[KG_DATE_LEN];
	int hh, mm, ss, n = 0;
	kg_day d;

	if (s == NULL || strlen(s) != KG_TIME_LEN - 1 || s[10] != 'T')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (kg_date_parse(date, &d, NULL) < 0 ||
	    sscanf(s + 11, "%2d:%2d:%2dZ%n", &hh, &mm, &ss, &n) != 3 || n != 9 ||
	    hh > 23 || mm > 59 || ss > 60)
		return -1;
	*out = (int64_t)d * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

int
kg_weekday(kg_day d)
{
	/* 1970-01-01 was a Thursday (3). */
	int w = (int)((d % 7 + 7 + 3) % 7);
	return w;
}

kg_day
kg_month_first(kg_day d)
{
	int y, m, dd;

	kg_civil_from_day(d, &y, &m, &dd);
	return kg_day_from_civil(y, m, 1);
}

kg_day
kg_month_last(kg_day d)
{
	int y, m, dd;

	kg_civil_from_day(d, &y, &m, &dd);
	return kg_day_from_civil(y, m, kg_days_in_month(y, m));
}

int
kg_fiscal_year(kg_day d)
{
	int y, m, dd;

	kg_civil_from_day(d, &y, &m, &dd);
	return m >= 4 ? y : y - 1;
}
