/*
 * zone — see zone.h.  Reading a TZif file (RFC 8536, version 2 and later):
 * the version 1 block is skipped, the 64-bit block gives the transitions
 * and local time types, and the footer's POSIX TZ string ("CET-1CEST,
 * M3.5.0,M10.5.0/3") covers every time after the last transition.  Only
 * "Mm.w.d" rules occur in tzdata's footers, so only those are read.
 */
#include "zone.h"

#include <errno.h>
#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ZONE_FILE_MAX (256 * 1024) /* the largest tzdata file is about 3 kB */
#define DAY_S 86400

/* A POSIX TZ rule date: the wday of week `week` (5 = last) of month, at
 * secs past local midnight (may be negative or beyond a day). */
struct posix_date {
	int month, week, wday;
	int32_t secs;
};

struct ltype {
	int32_t off;
	bool dst;
};

struct kg_zone {
	atomic_int refs;
	char *name;
	int64_t *trans;       /* transition times, ascending */
	uint8_t *idx;         /* the type in force from each transition */
	size_t ntrans;
	struct ltype *types;
	size_t ntypes;
	/* after the last transition: */
	int32_t std_off, dst_off;
	char std_abbr[16], dst_abbr[16];
	bool has_dst;
	struct posix_date start, end; /* daylight time begins, ends */
};

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* ---- reading ---- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* "std offset [dst [offset] [,start,end]]": a name, alphabetic or <quoted>. */
static const char *
tz_name(const char *p, char *out, size_t size)
{
	size_t n = 0;

	if (*p == '<') {
		for (p++; *p != '\0' && *p != '>'; p++)
			if (n + 1 < size)
				out[n++] = *p;
		if (*p++ != '>')
			return NULL;
	} else {
		for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++)
			if (n + 1 < size)
				out[n++] = *p;
	}
	out[n] = '\0';
	return n >= 3 ? p : NULL;
}

/* [+-]h[h][:mm[:ss]], hours up to max_h, into seconds. */
static const char *
tz_time(const char *p, int max_h, int32_t *out)
{
	int sign = 1, part[3] = {0, 0, 0}, i;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i > 0 && *p != ':')
			break;
		if (i > 0)
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9' && part[i] < 1000)
			part[i] = part[i] * 10 + (*p++ - '0');
	}
	if (part[0] > max_h || part[1] > 59 || part[2] > 59)
		return NULL;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return p;
}

/* ",Mm.w.d[/time]" */
static const char *
tz_date(const char *p, struct posix_date *d)
{
	char *end;

	if (*p++ != ',' || *p++ != 'M')
		return NULL;
	d->month = (int)strtol(p, &end, 10);
	if (end == p || *end != '.' || d->month < 1 || d->month > 12)
		return NULL;
	p = end + 1;
	d->week = (int)strtol(p, &end, 10);
	if (end == p || *end != '.' || d->week < 1 || d->week > 5)
		return NULL;
	p = end + 1;
	d->wday = (int)strtol(p, &end, 10);
	if (end == p || d->wday < 0 || d->wday > 6)
		return NULL;
	p = end;
	d->secs = 7200;
	if (*p == '/')
		p = tz_time(p + 1, 167, &d->secs);
	return p;
}

/* The footer: -1 when it is not a rule we can follow. */
static int
parse_footer(struct kg_zone *z, const char *s)
{
	int32_t off;

	if ((s = tz_name(s, z->std_abbr, sizeof(z->std_abbr))) == NULL ||
	    (s = tz_time(s, 24, &off)) == NULL)
		return -1;
	z->std_off = -off;
	if (*s == '\0')
		return 0;
	if ((s = tz_name(s, z->dst_abbr, sizeof(z->dst_abbr))) == NULL)
		return -1;
	z->dst_off = z->std_off + 3600;
	if (*s != ',' && (s = tz_time(s, 24, &off)) != NULL)
		z->dst_off = -off;
	if (s == NULL || (s = tz_date(s, &z->start)) == NULL ||
	    (s = tz_date(s, &z->end)) == NULL || *s != '\0')
		return -1;
	z->has_dst = true;
	return 0;
}

/* Parses TZif data (version 2 or later) into z. */
static int
parse_tzif(struct kg_zone *z, const unsigned char *b, size_t len)
{
	uint32_t cnt[6]; /* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
	const unsigned char *p = b, *end = b + len, *types, *chars;
	size_t block, i, k;
	char footer[128];
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if ((size_t)(end - p) < 44 || memcmp(p, "TZif", 4) != 0 || (pass == 0 && p[4] < '2'))
			return -1;
		for (i = 0; i < 6; i++)
			cnt[i] = be32(p + 20 + 4 * i);
		p += 44;
		block = (size_t)cnt[3] * (pass ? 8 : 4) + cnt[3] + (size_t)cnt[4] * 6 + cnt[5] +
		    (size_t)cnt[2] * (pass ? 12 : 8) + cnt[1] + cnt[0];
		if ((size_t)(end - p) < block || cnt[4] == 0 || cnt[4] > 256)
			return -1;
		if (pass == 0)
			p += block;
	}
	z->ntrans = cnt[3];
	z->ntypes = cnt[4];
	z->trans = calloc(z->ntrans + 1, sizeof(*z->trans));
	z->idx = calloc(z->ntrans + 1, 1);
	z->types = calloc(z->ntypes, sizeof(*z->types));
	if (z->trans == NULL || z->idx == NULL || z->types == NULL)
		return -1;
	for (i = 0; i < z->ntrans; i++)
		z->trans[i] = be64(p + 8 * i);
	p += 8 * z->ntrans;
	for (i = 0; i < z->ntrans; i++)
		if ((z->idx[i] = p[i]) >= z->ntypes)
			return -1;
	p += z->ntrans;
	types = p;
	chars = types + 6 * z->ntypes;
	for (i = 0; i < z->ntypes; i++) {
		z->types[i].off = (int32_t)be32(types + 6 * i);
		z->types[i].dst = types[6 * i + 4] != 0;
	}
	p = chars + cnt[5] + (size_t)cnt[2] * 12 + cnt[1] + cnt[0];
	/* Footer: "\n" TZ string "\n"; empty when the last type holds forever. */
	if (p >= end || *p != '\n')
		return -1;
	for (p++, k = 0; p < end && *p != '\n' && k + 1 < sizeof(footer); p++)
		footer[k++] = (char)*p;
	footer[k] = '\0';
	if (p >= end)
		return -1;
	if (k > 0)
		return parse_footer(z, footer);
	/* No rule: the last type (or the first, without transitions) forever. */
	i = z->ntrans > 0 ? z->idx[z->ntrans - 1] : 0;
	z->std_off = z->types[i].off;
	k = types[6 * i + 5];
	snprintf(z->std_abbr, sizeof(z->std_abbr), "%.15s",
	    k < cnt[5] ? (const char *)chars + k : "");
	return 0;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (f == NULL)
		return NULL;
	if ((buf = malloc(ZONE_FILE_MAX)) != NULL) {
		n = fread(buf, 1, ZONE_FILE_MAX, f);
		if (ferror(f) || n == ZONE_FILE_MAX) {
			free(buf);
			buf = NULL;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

static const char *
zone_dir(void)
{
	const char *dir = getenv("TZDIR");

	return dir != NULL && dir[0] == '/' ? dir : "/usr/share/zoneinfo";
}

/* The case-insensitive search: nftw has no user argument. */
static __thread const char *find_name;
static __thread size_t find_base;
static __thread char *find_found;

static int
find_visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	const char *rel = path + find_base;

	(void)sb;
	(void)ftw;
	if (type == FTW_D && (strcmp(rel, "posix") == 0 || strcmp(rel, "right") == 0))
		return FTW_SKIP_SUBTREE;
	if ((type == FTW_F || type == FTW_SL) && strcasecmp(rel, find_name) == 0) {
		find_found = strdup(rel);
		return FTW_STOP;
	}
	return FTW_CONTINUE;
}

/* The database's spelling of a name written in another case, or NULL. */
static char *
find_ignoring_case(const char *name)
{
	const char *dir = zone_dir();

	find_name = name;
	find_base = strlen(dir) + 1;
	find_found = NULL;
	nftw(dir, find_visit, 16, FTW_PHYS | FTW_ACTIONRETVAL);
	return find_found;
}

/* ---- the rule in force, as iCalendar can say it ---- */

/* A POSIX rule date as a yearly rule; -1 when RRULE cannot express it. */
static int
yearly_of(const struct posix_date *d, struct kg_zone_yearly *y)
{
	int32_t k = d->secs >= 0 ? d->secs / DAY_S : -((-d->secs + DAY_S - 1) / DAY_S);
	int len = month_days[d->month - 1], lo, hi, doy0, i;

	memset(y, 0, sizeof(*y));
	y->month = d->month;
	y->secs = d->secs - k * DAY_S;
	y->wday = (int)(((d->wday + k) % 7 + 7) % 7);
	if (k == 0) {
		y->nth = d->week == 5 ? -1 : d->week;
		return 0;
	}
	if (d->week == 5 && d->month == 2)
		return -1; /* the last week of February moves with leap years */
	lo = (d->week == 5 ? len - 6 : 7 * (d->week - 1) + 1) + (int)k;
	hi = lo + 6;
	if (lo >= 1 && hi <= (d->month == 2 ? 28 : len)) {
		y->day_lo = lo;
		y->day_hi = hi;
		return 0;
	}
	/* Across a month's end: days of the year, counted from its end when
	 * after February (leap years do not move them), else from its start. */
	for (doy0 = 0, i = 0; i < d->month - 1; i++)
		doy0 += month_days[i];
	lo += doy0;
	hi += doy0;
	y->yearday = true;
	if (lo >= 60 && hi <= 365) {
		y->day_lo = lo - 366;
		y->day_hi = hi - 366;
		return 0;
	}
	if (lo >= 1 && hi <= 59) {
		y->day_lo = lo;
		y->day_hi = hi;
		return 0;
	}
	return -1;
}

void
kg_zone_rule(const struct kg_zone *z, struct kg_zone_rule *r)
{
	memset(r, 0, sizeof(*r));
	if (z == NULL) {
		snprintf(r->std_abbr, sizeof(r->std_abbr), "UTC");
		return;
	}
	r->since = z->ntrans > 0 ? z->trans[z->ntrans - 1] : INT64_MIN;
	r->std_off = z->std_off;
	r->dst_off = z->dst_off;
	memcpy(r->std_abbr, z->std_abbr, sizeof(r->std_abbr));
	memcpy(r->dst_abbr, z->dst_abbr, sizeof(r->dst_abbr));
	r->has_dst = z->has_dst;
	if (z->has_dst) {
		yearly_of(&z->start, &r->dst_start);
		yearly_of(&z->end, &r->std_start);
	}
}

/* ---- loading ---- */

int
kg_zone_load(const char *name, struct kg_zone **out, struct kg_err *err)
{
	struct kg_zone *z = NULL;
	struct kg_zone_yearly y;
	char path[1024], *canon = NULL, *data = NULL;
	size_t len = 0;

	*out = NULL;
	if (name == NULL || name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
	    strlen(name) > 255)
		return kg_err_set(err, "unknown time zone '%s'", name != NULL ? name : "");
	snprintf(path, sizeof(path), "%s/%s", zone_dir(), name);
	if ((data = read_file(path, &len)) == NULL && errno == ENOENT &&
	    (canon = find_ignoring_case(name)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", zone_dir(), canon);
		data = read_file(path, &len);
	}
	if (data == NULL || len < 4 || memcmp(data, "TZif", 4) != 0) {
		kg_err_set(err, "unknown time zone '%s'", name);
		goto fail;
	}
	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->name = strdup(canon != NULL ? canon : name)) == NULL) {
		kg_err_set(err, "out of memory");
		goto fail;
	}
	atomic_init(&z->refs, 1);
	if (parse_tzif(z, (const unsigned char *)data, len) < 0) {
		kg_err_set(err, "time zone '%s': '%s' is not a TZif file kigen can read "
		    "(version 2 or later, with an Mm.w.d rule)", name, path);
		goto fail;
	}
	if (z->has_dst && (yearly_of(&z->start, &y) < 0 || yearly_of(&z->end, &y) < 0)) {
		kg_err_set(err, "time zone '%s': its daylight-saving rule cannot be written "
		    "as an iCalendar rule", name);
		goto fail;
	}
	free(canon);
	free(data);
	*out = z;
	return 0;
fail:
	free(canon);
	free(data);
	kg_zone_free(z);
	return -1;
}

struct kg_zone *
kg_zone_ref(struct kg_zone *z)
{
	if (z != NULL)
		atomic_fetch_add(&z->refs, 1);
	return z;
}

void
kg_zone_free(struct kg_zone *z)
{
	if (z == NULL || atomic_fetch_sub(&z->refs, 1) > 1)
		return;
	free(z->name);
	free(z->trans);
	free(z->idx);
	free(z->types);
	free(z);
}

const char *
kg_zone_name(const struct kg_zone *z)
{
	return z != NULL ? z->name : "UTC";
}

/* ---- conversions ---- */

/* Unix time of a POSIX rule date in year, local time at offset off. */
static int64_t
rule_time(int year, const struct posix_date *d, int32_t off)
{
	kg_day first = kg_day_from_civil(year, d->month, 1), day;
	int len = kg_days_in_month(year, d->month);
	int first_wday = (kg_weekday(first) + 1) % 7; /* kg_weekday: 0 is Monday */

	day = first + (d->wday - first_wday + 7) % 7 + 7 * (d->week - 1);
	while (day >= first + len) /* week 5: the last one */
		day -= 7;
	return (int64_t)day * DAY_S + d->secs - off;
}

/* Offset of the footer rule at t. */
static int32_t
rule_offset(const struct kg_zone *z, int64_t t)
{
	int year, month, mday;
	int64_t start, end;
	bool dst;

	if (!z->has_dst)
		return z->std_off;
	kg_civil_from_day((kg_day)((t + z->std_off) / DAY_S - ((t + z->std_off) % DAY_S < 0)),
	    &year, &month, &mday);
	start = rule_time(year, &z->start, z->std_off);
	end = rule_time(year, &z->end, z->dst_off);
	dst = start < end ? t >= start && t < end : !(t >= end && t < start);
	return dst ? z->dst_off : z->std_off;
}

int32_t
kg_zone_offset(const struct kg_zone *z, int64_t t)
{
	size_t lo, hi, mid;

	if (z == NULL)
		return 0;
	if (z->ntrans == 0)
		return z->std_abbr[0] != '\0' || z->has_dst ? rule_offset(z, t) : z->types[0].off;
	if (t < z->trans[0])
		return z->types[0].off;
	if (t >= z->trans[z->ntrans - 1])
		return rule_offset(z, t);
	lo = 0;
	hi = z->ntrans - 1; /* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->types[z->idx[lo]].off;
}

kg_day
kg_zone_day_of_time(const struct kg_zone *z, int64_t t)
{
	int64_t local = t + kg_zone_offset(z, t);

	return (kg_day)(local / DAY_S - (local % DAY_S < 0));
}

kg_day
kg_zone_today(const struct kg_zone *z)
{
	return kg_zone_day_of_time(z, (int64_t)time(NULL));
}

int64_t
kg_zone_time_of_local(const struct kg_zone *z, kg_day d, int minute_of_day)
{
	int64_t local = (int64_t)d * DAY_S + (int64_t)minute_of_day * 60, guess;
	int32_t before, after;

	/* The offsets a day before and after: the same, except around a change
	 * (tz changes are months apart). */
	guess = local - kg_zone_offset(z, local);
	before = kg_zone_offset(z, guess - DAY_S);
	after = kg_zone_offset(z, guess + DAY_S);
	if (kg_zone_offset(z, local - before) == before)
		return local - before;   /* also the first of two occurrences */
	if (kg_zone_offset(z, local - after) == after)
		return local - after;
	return local - before;       /* in a gap */
}
