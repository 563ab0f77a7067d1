/*
 * conf — see conf.h.
 *
 * Every key lives in one table below (section, name, type, bounds, default,
 * help); parsing, defaults and duplicate detection all go through it, so a new
 * key is one line here plus its documentation in config/kigen.conf.  Defaults
 * are written as the strings a user would write and applied through the same
 * setters as file values, so the two cannot disagree.
 *
 * inih does the INI syntax.  Debian builds it without line numbers in
 * handlers and with a 200-byte line buffer, so the file is fed through
 * ini_parse_stream with a reader that counts lines (for "FILE:LINE:") and
 * rejects longer lines instead of letting inih split them.
 */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"
#include "webhook.h"

#ifndef KIGEN_SYSCONFDIR
#define KIGEN_SYSCONFDIR "/etc"
#endif

#define CONF_MAX_BYTES (1024 * 1024) /* a config file is small; refuse more */
#define CONF_NAME_MAX 64             /* [feed:NAME], [webhook:NAME] */
#define DAY_S 86400

enum conf_type {
	T_STRING,     /* char *; empty value = NULL */
	T_BOOL,       /* bool */
	T_TRIBOOL,    /* int: 0/1, -1 until set */
	T_INT,        /* int within [min, max] */
	T_DURATION,   /* int64_t seconds within [min, max] */
	T_DURATION_MS,/* int64_t milliseconds; written as a duration */
	T_SIZE,       /* int64_t bytes within [min, max]; 512K, 64M, 1G */
	T_DAYS,       /* int * + size_t count: comma list of whole-day durations */
	T_TIME,       /* int minute of the day, "HH:MM" */
	T_LOG_LEVEL,  /* int KG_LOG_* */
	T_TIMEZONE,   /* char *, must name a zone in the tz database */
	T_LISTEN,     /* kg_strv of host:port, comma list */
	T_HOSTS,      /* kg_strv of host names or addresses (lowercase), or "*" */
	T_URL,        /* char *, http:// or https:// */
	T_SECRET,     /* char *, whsec_<base64> */
	T_FORMAT,     /* enum kg_webhook_format */
	T_SPAN,       /* enum kg_feed_span */
	T_HEADER,     /* kg_strv "Name: value", repeatable */
	T_OWNERS,     /* kg_strv, comma list, repeatable */
	T_KINDS,      /* kg_strv of kind names, comma list, repeatable */
	T_STATUSES,   /* kg_strv of status names, comma list, repeatable */
	T_MEASURES,   /* kg_strv of measure ids, comma list, repeatable */
	T_EVENTS,     /* kg_strv of webhook event types, comma list */
};

/* Which struct a section's keys write into. */
enum conf_scope { S_GLOBAL, S_FEED, S_WEBHOOK, S_SOURCE, S_COUNT };

struct conf_key {
	const char *section;  /* "general"…, or "feed:" / "webhook:" for named ones */
	const char *name;
	enum conf_type type;
	size_t off;           /* into struct kg_conf / kg_feed_conf / kg_webhook_conf */
	size_t count_off;     /* T_DAYS: the size_t count beside the array;
	                       * T_TIMEZONE: the struct kg_zone * beside the name */
	int64_t min, max;     /* T_INT, T_DURATION*, T_DAYS (in days) */
	const char *def;      /* default as written in a file; NULL: none */
	const char *help;
};

#define G(f) offsetof(struct kg_conf, f)
#define F(f) offsetof(struct kg_feed_conf, f)
#define W(f) offsetof(struct kg_webhook_conf, f)
#define SRC(f) offsetof(struct kg_source_conf, f)

static const struct conf_key conf_keys[] = {
	{"general", "db", T_STRING, G(db), 0, 0, 0, NULL, "database file; unset: $XDG_STATE_HOME/kigen/kigen.db"},
	{"general", "timezone", T_TIMEZONE, G(timezone), G(zone), 0, 0, "Asia/Tokyo", "zone in which deadlines are dates"},
	{"general", "log_level", T_LOG_LEVEL, G(log_level), 0, 0, 0, "info", "error, warning, notice, info or debug"},
	{"http", "listen", T_LISTEN, G(listen), 0, 0, 0, "127.0.0.1:5545", "addresses kigend listens on"},
	{"http", "feed_token", T_STRING, G(feed_token), 0, 0, 0, NULL, "token required in feed URLs; empty: none"},
	{"http", "base_url", T_URL, G(base_url), 0, 0, 0, "http://127.0.0.1:5545", "how feed URLs are advertised"},
	{"http", "allowed_hosts", T_HOSTS, G(allowed_hosts), 0, 0, 0, NULL, "Host headers answered; unset: listen hosts, localhost, base_url's host"},
	{"http", "max_connections", T_INT, G(max_connections), 0, 16, 1000000, "4096", "open connections at most"},
	{"http", "head_timeout", T_DURATION, G(head_timeout_s), 0, 1, 3600, "10s", "time a client has to send a whole request head"},
	{"http", "idle_timeout", T_DURATION, G(idle_timeout_s), 0, 1, 3600, "30s", "a connection without traffic for this long closes"},
	{"http", "threads", T_INT, G(threads), 0, 1, 64, "2", "request threads per listen address"},
	{"http", "stall_limit", T_DURATION, G(stall_limit_s), 0, 1, 3600, "10s", "/healthz fails when the main loop is stuck this long"},
	{"http", "render_threads", T_INT, G(render_threads), 0, 1, 64, "2", "feeds, listings and pages made on request, at once"},
	{"http", "render_queue", T_INT, G(render_queue), 0, 0, 10000, "16", "renditions waiting for a thread; beyond: 503"},
	{"http", "render_memory", T_SIZE, G(render_memory), 0, 1024 * 1024, (int64_t)1 << 40, "256M", "bytes of renditions held; beyond: 503"},
	{"feed", "name", T_STRING, G(feed_name), 0, 0, 0, "Secure Japan 2008 milestones", "calendar name"},
	{"feed", "refresh", T_DURATION, G(refresh_s), 0, 60, 7 * DAY_S, "1h", "suggested refresh interval"},
	{"feed", "show_done", T_BOOL, G(show_done), 0, 0, 0, "yes", "include done milestones"},
	{"feed", "span", T_SPAN, G(feed_span), 0, 0, 0, "deadline", "events on the deadline day, or over the window"},
	{"feed:", "owner", T_OWNERS, F(filter.owners), 0, 0, 0, NULL, "only milestones of these owners"},
	{"feed:", "kind", T_KINDS, F(filter.kinds), 0, 0, 0, NULL, "only these kinds"},
	{"feed:", "status", T_STATUSES, F(filter.statuses), 0, 0, 0, NULL, "only these statuses"},
	{"feed:", "measure", T_MEASURES, F(filter.measures), 0, 0, 0, NULL, "only these measure ids"},
	{"feed:", "token", T_STRING, F(token), 0, 0, 0, NULL, "token of this feed; unset: [http] feed_token"},
	{"feed:", "show_done", T_TRIBOOL, F(show_done), 0, 0, 0, NULL, "unset: [feed] show_done"},
	{"reminders", "lead", T_DAYS, G(lead_days), G(nlead), 0, 366, "30d, 7d, 1d, 0d", "reminders before a deadline"},
	{"reminders", "at", T_TIME, G(at_minute), 0, 0, 0, "09:00", "local time reminders fire"},
	{"reminders", "catch_up", T_DURATION, G(catch_up_s), 0, 0, 30 * DAY_S, "1d", "send missed reminders at most this late"},
	{"reminders", "overdue", T_DAYS, G(overdue_days), G(noverdue), 1, 366, "7d, 14d", "reminders after a deadline"},
	{"webhook:", "url", T_URL, W(url), 0, 0, 0, NULL, "receiver (required)"},
	{"webhook:", "secret", T_SECRET, W(secret), 0, 0, 0, NULL, "whsec_<base64 of 24..64 bytes> (required)"},
	{"webhook:", "format", T_FORMAT, W(format), 0, 0, 0, "json", "json or slack"},
	{"webhook:", "timeout", T_DURATION_MS, W(timeout_ms), 0, 1, 300, "15s", "per-attempt timeout"},
	{"webhook:", "max_attempts", T_INT, W(max_attempts), 0, 1, 100, "8", "attempts before giving up"},
	{"webhook:", "concurrency", T_INT, W(concurrency), 0, 1, 256, "8", "deliveries in flight"},
	{"webhook:", "header", T_HEADER, W(headers), 0, 0, 0, NULL, "extra header 'Name: value'; repeatable"},
	{"webhook:", "owner", T_OWNERS, W(filter.owners), 0, 0, 0, NULL, "only milestones of these owners"},
	{"webhook:", "kind", T_KINDS, W(filter.kinds), 0, 0, 0, NULL, "only these kinds"},
	{"webhook:", "events", T_EVENTS, W(events), 0, 0, 0, KG_EVENT_REMINDER ", " KG_EVENT_OVERDUE, "event types it gets"},
	{"source:", "url", T_URL, SRC(url), 0, 0, 0, NULL, "the document to watch (required)"},
	{"source:", "every", T_DURATION, SRC(every_s), 0, 10, 30 * DAY_S, "1d", "how often to look for a new version"},
	{"source:", "timeout", T_DURATION_MS, SRC(timeout_ms), 0, 1, 600, "60s", "one download"},
	{"source:", "allow_shrink", T_BOOL, SRC(allow_shrink), 0, 0, 0, "no", "import a version that drops many milestones"},
	{"control", "socket", T_STRING, G(control_socket), 0, 0, 0, NULL, "control socket; unset: the database path + .sock"},
	{"control", "user", T_STRING, G(control_user), 0, 0, 0, "kigen", "the service's user: kigen trusts a control socket it runs"},
};

#define NKEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

/* A key set by the file: for "duplicate key" errors and kg_conf_line. */
struct kg_conf_seen {
	char section[CONF_NAME_MAX + 16];
	const struct conf_key *key;
	int line;
};

static bool
is_repeatable(enum conf_type t)
{
	return t == T_HEADER || t == T_OWNERS || t == T_KINDS || t == T_STATUSES ||
	    t == T_MEASURES;
}

/* ---- value parsers ---- */

char *
kg_conf_default_db(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *p = NULL;

	if (state != NULL && state[0] == '/') {
		if (asprintf(&p, "%s/kigen/kigen.db", state) < 0)
			return NULL;
	} else if (asprintf(&p, "%s/.local/state/kigen/kigen.db", home ? home : ".") < 0) {
		return NULL;
	}
	return p;
}

int64_t
kg_duration_parse(const char *s)
{
	static const struct { char unit; int64_t s; } units[] = {
		{'s', 1}, {'m', 60}, {'h', 3600}, {'d', DAY_S}, {'w', 7 * DAY_S},
	};
	char *end;
	long long v;
	size_t i;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v > INT32_MAX)
		return -1;
	if (*end == '\0')
		return v;
	if (end[1] != '\0')
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (*end == units[i].unit)
			return v * units[i].s;
	return -1;
}

static int
parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* "512K", "64M", "1G" or plain bytes -> bytes; -1 on error. */
static int64_t
size_parse(const char *v)
{
	static const char units[] = "KMGT";
	const char *u;
	char *end;
	long long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || n > INT32_MAX)
		return -1;
	if (*end == '\0')
		return n;
	if (end[1] != '\0' || (u = strchr(units, toupper((unsigned char)*end))) == NULL)
		return -1;
	return (int64_t)n << (10 * (u - units + 1));
}

static int
parse_int(const char *v, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Calls fn on each trimmed, non-empty item of a comma-separated list. */
static int
each_item(const char *v, int (*fn)(const char *item, void *arg), void *arg)
{
	char item[256];
	const char *p = v, *e, *comma;
	size_t len;

	for (;;) {
		comma = strchr(p, ',');
		e = comma ? comma : p + strlen(p);
		while (p < e && isspace((unsigned char)*p))
			p++;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		len = (size_t)(e - p);
		if (len == 0 || len >= sizeof(item))
			return -1;
		memcpy(item, p, len);
		item[len] = '\0';
		if (fn(item, arg) < 0)
			return -1;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

struct days_acc {
	int *v;
	size_t n;
	int64_t min, max;
};

static int
days_item(const char *item, void *arg)
{
	struct days_acc *a = arg;
	int64_t s = kg_duration_parse(item);
	int *nv;

	if (s < 0 || s % DAY_S != 0 || s / DAY_S < a->min || s / DAY_S > a->max)
		return -1;
	if ((nv = realloc(a->v, (a->n + 1) * sizeof(*nv))) == NULL)
		return -1;
	a->v = nv;
	a->v[a->n++] = (int)(s / DAY_S);
	return 0;
}

static int
int_desc(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

int
kg_host_port_split(const char *s, char *host, size_t hostsize, int *port)
{
	const char *end, *colon;
	int64_t p = -1;
	size_t n;

	if (strpbrk(s, " \t") != NULL)
		return -1;
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return -1;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL)
			return -1;
		s++;
	} else
		end = colon = strrchr(s, ':');
	if (colon != NULL &&
	    (!isdigit((unsigned char)colon[1]) || parse_int(colon + 1, 0, 65535, &p) < 0))
		return -1;
	n = end != NULL ? (size_t)(end - s) : strlen(s);
	if (n == 0 || n >= hostsize)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	*port = (int)p;
	return 0;
}

int
kg_listen_split(const char *s, char *host, size_t hostsize, unsigned *port)
{
	int p;

	if (kg_host_port_split(s, host, hostsize, &p) < 0 || p < 0)
		return -1;
	*port = (unsigned)p;
	return 0;
}

char *
kg_conf_link(const char *base_url, const char *path, char *buf, size_t size)
{
	size_t n = base_url != NULL ? strlen(base_url) : 0;

	while (n > 0 && base_url[n - 1] == '/')
		n--;
	if (n == 0)
		buf[0] = '\0';
	else
		kg_snprintf(buf, size, "%.*s%s", (int)n, base_url, path);
	return buf;
}

char *
kg_milestone_url(const char *base_url, int64_t id, char *buf, size_t size)
{
	char path[40];

	snprintf(path, sizeof(path), "/milestones/%lld", (long long)id);
	return kg_conf_link(base_url, path, buf, size);
}

/* A configured address: port 0 (any free port) only on the command line. */
static bool
listen_valid(const char *s)
{
	char host[256];
	unsigned port;

	return kg_listen_split(s, host, sizeof(host), &port) == 0 && port > 0;
}

static int
strv_item(const char *item, void *arg)
{
	return kg_strv_push(arg, item, (size_t)-1);
}

static int
listen_item(const char *item, void *arg)
{
	return listen_valid(item) ? strv_item(item, arg) : -1;
}

/* A host name, IPv4 or [IPv6] address as a Host header names it, without
 * a port; stored lowercase. */
static int
host_item(const char *item, void *arg)
{
	char host[256];
	size_t i, n = strlen(item);

	if (n >= sizeof(host))
		return -1;
	for (i = 0; i <= n; i++)
		host[i] = (char)tolower((unsigned char)item[i]);
	if (host[0] == '[' ? host[n - 1] != ']' || n < 3 ||
	    strspn(host + 1, "0123456789abcdef:.") != n - 2 :
	    strspn(host, "abcdefghijklmnopqrstuvwxyz0123456789-._") != n)
		return -1;
	return strv_item(host, arg);
}

static int
kind_item(const char *item, void *arg)
{
	return kg_kind_parse(item) < 0 ? -1 : strv_item(item, arg);
}

static int
status_item(const char *item, void *arg)
{
	return kg_status_parse(item) < 0 ? -1 : strv_item(item, arg);
}

static int
event_item(const char *item, void *arg)
{
	static const char *const types[] = {KG_EVENT_REMINDER, KG_EVENT_OVERDUE,
		KG_EVENT_CHANGED, KG_EVENT_GONE};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(item, types[i]) == 0)
			return strv_item(item, arg);
	return -1;
}

bool
kg_webhook_conf_wants(const struct kg_webhook_conf *w, const char *type)
{
	return kg_strv_contains(&w->events, type);
}

static int
measure_item(const char *item, void *arg)
{
	int64_t id;

	return parse_int(item, 1, INT64_MAX, &id) < 0 ? -1 : strv_item(item, arg);
}

/* whsec_ followed by base64 of 24..64 bytes; the decoding is webhook.c's. */
static bool
secret_valid(const char *s)
{
	unsigned char key[KG_WEBHOOK_KEY_MAX];
	size_t len;

	return strncmp(s, "whsec_", 6) == 0 && kg_webhook_secret_decode(s, key, &len, NULL) == 0;
}

static bool
url_valid(const char *s)
{
	return (strncmp(s, "http://", 7) == 0 && s[7] != '\0') ||
	    (strncmp(s, "https://", 8) == 0 && s[8] != '\0');
}

/* "Name: value" with a token name (RFC 9110) and no line breaks. */
static bool
header_valid(const char *s)
{
	const char *colon = strchr(s, ':');
	const char *p;

	if (colon == NULL || colon == s)
		return false;
	for (p = s; p < colon; p++)
		if (!isalnum((unsigned char)*p) && strchr("!#$%&'*+-.^_`|~", *p) == NULL)
			return false;
	return strpbrk(s, "\r\n") == NULL;
}

/* Replaces *slot with a copy of v (NULL for an empty value).  -1 on ENOMEM. */
static int
set_string(char **slot, const char *v)
{
	char *copy = NULL;

	if (*v != '\0' && (copy = strdup(v)) == NULL)
		return -1;
	free(*slot);
	*slot = copy;
	return 0;
}

/*
 * Writes value v of key k into the struct at base.  On a bad value: -1 with
 * a message naming the key and the value (never the value of a secret).
 */
/* A key that is one of two words: *slot = 0 for the first, 1 for the
 * second (the order of the enum it stands for). */
static int
two_words(const struct conf_key *k, const char *v, const char *w0, const char *w1, int *slot,
    struct kg_err *err)
{
	if (strcmp(v, w0) == 0 || strcmp(v, w1) == 0) {
		*slot = strcmp(v, w1) == 0;
		return 0;
	}
	return kg_err_set(err, "invalid %s '%s' (expected %s or %s)", k->name, v, w0, w1);
}

static int
conf_set(const struct conf_key *k, void *base, const char *v, struct kg_err *err)
{
	char *slot = (char *)base + k->off;
	struct kg_strv fresh = {0};
	struct days_acc days = {0};
	struct kg_zone *zone;
	int64_t n;
	bool b;
	int h, m;
	char tail;

	switch (k->type) {
	case T_STRING:
		if (set_string((char **)slot, v) < 0)
			goto nomem;
		return 0;
	case T_TIMEZONE:
		/* Loaded here, once: every program and every reload validates a
		 * zone by loading it, and uses what it loaded. */
		if (kg_zone_load(v, &zone, err) < 0)
			return -1;
		if (set_string((char **)slot, kg_zone_name(zone)) < 0) {
			kg_zone_free(zone);
			goto nomem;
		}
		kg_zone_free(*(struct kg_zone **)((char *)base + k->count_off));
		*(struct kg_zone **)((char *)base + k->count_off) = zone;
		return 0;
	case T_URL:
		if (!url_valid(v))
			return kg_err_set(err, "invalid %s '%s' (expected http:// or https:// URL)",
			    k->name, v);
		if (set_string((char **)slot, v) < 0)
			goto nomem;
		return 0;
	case T_SECRET:
		if (!secret_valid(v))
			return kg_err_set(err, "invalid secret (expected whsec_<base64 of %d..%d bytes>)",
			    KG_WEBHOOK_KEY_MIN, KG_WEBHOOK_KEY_MAX);
		if (set_string((char **)slot, v) < 0)
			goto nomem;
		return 0;
	case T_BOOL:
		if (parse_bool(v, &b) < 0)
			return kg_err_set(err, "invalid %s '%s' (expected yes or no)", k->name, v);
		*(bool *)slot = b;
		return 0;
	case T_TRIBOOL:
		if (parse_bool(v, &b) < 0)
			return kg_err_set(err, "invalid %s '%s' (expected yes or no)", k->name, v);
		*(int *)slot = b;
		return 0;
	case T_INT:
		if (parse_int(v, k->min, k->max, &n) < 0)
			return kg_err_set(err, "invalid %s '%s' (expected an integer %lld..%lld)",
			    k->name, v, (long long)k->min, (long long)k->max);
		*(int *)slot = (int)n;
		return 0;
	case T_DURATION:
	case T_DURATION_MS:
		n = kg_duration_parse(v);
		if (n < k->min || n > k->max)
			return kg_err_set(err, "invalid %s '%s' (expected a duration like 15s, 30m, 1h, 7d "
			    "between %llds and %llds)", k->name, v, (long long)k->min, (long long)k->max);
		if (k->type == T_DURATION_MS)
			n *= 1000;
		*(int64_t *)slot = n;
		return 0;
	case T_SIZE:
		n = size_parse(v);
		if (n < k->min || n > k->max)
			return kg_err_set(err, "invalid %s '%s' (expected a size like 64M or 1G, "
			    "%lldM to %lldM)", k->name, v, (long long)(k->min >> 20),
			    (long long)(k->max >> 20));
		*(int64_t *)slot = n;
		return 0;
	case T_DAYS:
		days.min = k->min;
		days.max = k->max;
		if (each_item(v, days_item, &days) < 0) {
			free(days.v);
			return kg_err_set(err, "invalid %s '%s' (expected whole days like 7d, "
			    "%lld..%lld, comma-separated)", k->name, v, (long long)k->min,
			    (long long)k->max);
		}
		qsort(days.v, days.n, sizeof(*days.v), int_desc);
		free(*(int **)slot);
		*(int **)slot = days.v;
		*(size_t *)((char *)base + k->count_off) = days.n;
		return 0;
	case T_TIME:
		if (sscanf(v, "%2d:%2d%c", &h, &m, &tail) != 2 || strlen(v) != 5 ||
		    h < 0 || h > 23 || m < 0 || m > 59)
			return kg_err_set(err, "invalid %s '%s' (expected HH:MM)", k->name, v);
		*(int *)slot = h * 60 + m;
		return 0;
	case T_LOG_LEVEL:
		if ((h = kg_log_level_parse(v)) < 0)
			return kg_err_set(err, "invalid %s '%s' (expected error, warning, notice, "
			    "info or debug)", k->name, v);
		*(int *)slot = h;
		return 0;
	case T_FORMAT:
		return two_words(k, v, "json", "slack", (int *)slot, err);
	case T_SPAN:
		return two_words(k, v, "deadline", "window", (int *)slot, err);
	case T_LISTEN:
		if (each_item(v, listen_item, &fresh) < 0) {
			kg_strv_clear(&fresh);
			return kg_err_set(err, "invalid listen '%s' (expected host:port or "
			    "[v6]:port, comma-separated)", v);
		}
		kg_strv_clear((struct kg_strv *)slot);
		*(struct kg_strv *)slot = fresh;
		return 0;
	case T_HOSTS:
		if (strcmp(v, "*") == 0 ? kg_strv_push(&fresh, v, (size_t)-1) < 0 :
		    each_item(v, host_item, &fresh) < 0) {
			kg_strv_clear(&fresh);
			return kg_err_set(err, "invalid allowed_hosts '%s' (expected host names or "
			    "addresses without a port, comma-separated, or *)", v);
		}
		kg_strv_clear((struct kg_strv *)slot);
		*(struct kg_strv *)slot = fresh;
		return 0;
	case T_HEADER:
		if (!header_valid(v))
			return kg_err_set(err, "invalid header '%s' (expected 'Name: value')", v);
		if (kg_strv_push((struct kg_strv *)slot, v, (size_t)-1) < 0)
			goto nomem;
		return 0;
	case T_OWNERS:
		if (each_item(v, strv_item, slot) < 0)
			return kg_err_set(err, "invalid owner '%s'", v);
		return 0;
	case T_KINDS:
		if (each_item(v, kind_item, slot) < 0)
			return kg_err_set(err, "invalid kind '%s' (see 'kigen help add' for kinds)", v);
		return 0;
	case T_STATUSES:
		if (each_item(v, status_item, slot) < 0)
			return kg_err_set(err, "invalid status '%s' (expected planned, ongoing, "
			    "done or cancelled)", v);
		return 0;
	case T_MEASURES:
		if (each_item(v, measure_item, slot) < 0)
			return kg_err_set(err, "invalid measure '%s' (expected measure ids)", v);
		return 0;
	case T_EVENTS:
		if (each_item(v, event_item, &fresh) < 0) {
			kg_strv_clear(&fresh);
			return kg_err_set(err, "invalid events '%s' (expected %s, %s, %s or %s, "
			    "comma-separated)", v, KG_EVENT_REMINDER, KG_EVENT_OVERDUE,
			    KG_EVENT_CHANGED, KG_EVENT_GONE);
		}
		kg_strv_clear((struct kg_strv *)slot);
		*(struct kg_strv *)slot = fresh;
		return 0;
	}
	return kg_err_set(err, "internal: key '%s' has no type", k->name);
nomem:
	return kg_err_set(err, "out of memory");
}

static enum conf_scope
scope_of(const char *section)
{
	if (strcmp(section, "feed:") == 0)
		return S_FEED;
	if (strcmp(section, "webhook:") == 0)
		return S_WEBHOOK;
	if (strcmp(section, "source:") == 0)
		return S_SOURCE;
	return S_GLOBAL;
}

/* Applies the defaults of every key of one scope to base. */
static int
apply_defaults(enum conf_scope scope, void *base, struct kg_err *err)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (scope_of(k->section) != scope)
			continue;
		if (k->type == T_TRIBOOL && k->def == NULL) /* unset: inherit */
			*(int *)((char *)base + k->off) = -1;
		else if (k->def != NULL && conf_set(k, base, k->def, err) < 0)
			return -1;
	}
	return 0;
}

int
kg_conf_defaults(struct kg_conf *c, struct kg_err *err)
{
	memset(c, 0, sizeof(*c));
	if (apply_defaults(S_GLOBAL, c, err) < 0) {
		kg_conf_clear(c);
		return -1;
	}
	return 0;
}

static void
feed_conf_clear(struct kg_feed_conf *f)
{
	free(f->name);
	free(f->token);
	kg_filter_clear(&f->filter);
}

static void
webhook_conf_clear(struct kg_webhook_conf *w)
{
	free(w->name);
	free(w->url);
	free(w->secret);
	kg_filter_clear(&w->filter);
	kg_strv_clear(&w->headers);
	kg_strv_clear(&w->events);
}

static void
source_conf_clear(struct kg_source_conf *src)
{
	free(src->name);
	free(src->url);
}

void
kg_conf_clear(struct kg_conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->path);
	free(c->db);
	free(c->timezone);
	kg_zone_free(c->zone);
	kg_strv_clear(&c->listen);
	free(c->feed_token);
	free(c->base_url);
	kg_strv_clear(&c->allowed_hosts);
	free(c->feed_name);
	for (i = 0; i < c->nfeeds; i++)
		feed_conf_clear(&c->feeds[i]);
	free(c->feeds);
	free(c->lead_days);
	free(c->overdue_days);
	for (i = 0; i < c->nwebhooks; i++)
		webhook_conf_clear(&c->webhooks[i]);
	free(c->webhooks);
	for (i = 0; i < c->nsources; i++)
		source_conf_clear(&c->sources[i]);
	free(c->sources);
	free(c->control_socket);
	free(c->control_user);
	kg_strv_clear(&c->warnings);
	free(c->seen);
	memset(c, 0, sizeof(*c));
}

/* ---- parsing a file ---- */


struct conf_parse {
	struct kg_conf *c;
	const char *path;
	FILE *fp;
	int line;              /* line the reader last returned */
	size_t bytes;
	bool too_long;         /* the reader stopped at an overlong line */
	int max_line;          /* inih's buffer size, as it tells the reader */
	bool failed;           /* first error is in err */
	struct kg_err *err;
	struct kg_conf_seen *seen;
	size_t nseen;
	int *named_line[S_COUNT]; /* first line of each named section, by scope */
};

/* fgets-style reader for inih that counts lines and refuses overlong ones. */
static char *
conf_read_line(char *str, int num, void *stream)
{
	struct conf_parse *p = stream;
	size_t len;
	int next;

	p->max_line = num;
	if (p->too_long || fgets(str, num, p->fp) == NULL)
		return NULL;
	p->line++;
	len = strlen(str);
	p->bytes += len;
	if (len > 0 && str[len - 1] != '\n' && !feof(p->fp)) {
		/* Exactly num - 1 characters followed by the newline is fine. */
		next = getc(p->fp);
		if (next != '\n' && next != EOF) {
			p->too_long = true;
			return NULL;
		}
	}
	if (p->bytes > CONF_MAX_BYTES) {
		p->too_long = true;
		return NULL;
	}
	return str;
}

static bool
name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CONF_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

/* The kinds of named sections: their array and count in struct kg_conf and
 * the size of an element, whose first member is its char *name. */
static const struct {
	size_t arr_off, n_off, size;
} named_kinds[S_COUNT] = {
	[S_FEED] = {G(feeds), G(nfeeds), sizeof(struct kg_feed_conf)},
	[S_WEBHOOK] = {G(webhooks), G(nwebhooks), sizeof(struct kg_webhook_conf)},
	[S_SOURCE] = {G(sources), G(nsources), sizeof(struct kg_source_conf)},
};
_Static_assert(offsetof(struct kg_feed_conf, name) == 0 &&
    offsetof(struct kg_webhook_conf, name) == 0 &&
    offsetof(struct kg_source_conf, name) == 0, "named sections start with their name");

/* Finds or appends the section [KIND:NAME] of scope, with its defaults;
 * remembers the line it starts on (for the checks of required keys). */
static void *
named_section(struct conf_parse *p, enum conf_scope scope, const char *name)
{
	char *slot = (char *)p->c + named_kinds[scope].arr_off, *arr, *e;
	size_t *n = (size_t *)((char *)p->c + named_kinds[scope].n_off);
	size_t size = named_kinds[scope].size, i;
	int *nl;

	memcpy(&arr, slot, sizeof(arr)); /* the array pointer, whatever its type */
	for (i = 0; i < *n; i++)
		if (strcmp(*(char **)(arr + i * size), name) == 0)
			return arr + i * size;
	if ((arr = realloc(arr, (*n + 1) * size)) == NULL)
		return NULL;
	memcpy(slot, &arr, sizeof(arr));
	if ((nl = realloc(p->named_line[scope], (*n + 1) * sizeof(*nl))) == NULL)
		return NULL;
	p->named_line[scope] = nl;
	nl[*n] = p->line;
	e = arr + *n * size;
	memset(e, 0, size);
	if ((*(char **)e = strdup(name)) == NULL)
		return NULL;
	(*n)++;
	return apply_defaults(scope, e, p->err) < 0 ? NULL : e;
}

/* Records (section, key); returns the line of an earlier setting, or 0. */
static int
seen_before(struct conf_parse *p, const char *section, const struct conf_key *k)
{
	struct kg_conf_seen *ns;
	size_t i;

	for (i = 0; i < p->nseen; i++)
		if (p->seen[i].key == k && strcmp(p->seen[i].section, section) == 0)
			return p->seen[i].line;
	if ((ns = realloc(p->seen, (p->nseen + 1) * sizeof(*ns))) == NULL)
		return 0;
	p->seen = ns;
	snprintf(ns[p->nseen].section, sizeof(ns[p->nseen].section), "%s", section);
	ns[p->nseen].key = k;
	ns[p->nseen].line = p->line;
	p->nseen++;
	return 0;
}

/* The key `name` of the section kind `prefix` ("general", "feed:"...);
 * *known_section tells whether any key has that section. */
static const struct conf_key *
key_find(const char *prefix, const char *name, bool *known_section)
{
	size_t i;

	*known_section = false;
	for (i = 0; i < NKEYS; i++) {
		if (strcmp(conf_keys[i].section, prefix) != 0)
			continue;
		*known_section = true;
		if (strcmp(conf_keys[i].name, name) == 0)
			return &conf_keys[i];
	}
	return NULL;
}

/* The inih handler: one name=value of section. */
static int
conf_handle(void *user, const char *section, const char *name, const char *value)
{
	struct conf_parse *p = user;
	const char *colon = strchr(section, ':');
	const struct conf_key *k;
	char prefix[16];
	size_t plen;
	void *base;
	bool known;
	int earlier;

	if (p->failed)
		return 0;
	plen = colon ? (size_t)(colon - section) + 1 : strlen(section);
	if (plen >= sizeof(prefix))
		plen = 0; /* longer than any section we know */
	memcpy(prefix, section, plen);
	prefix[plen] = '\0';
	k = key_find(prefix, name, &known);
	if (!known) {
		kg_err_set(p->err, "unknown section [%s]", section);
		goto fail;
	}
	if (k == NULL) {
		kg_err_set(p->err, "unknown key '%s' in [%s]", name, section);
		goto fail;
	}
	if (colon && !name_valid(colon + 1)) {
		kg_err_set(p->err, "invalid section name [%s] (use up to %d letters, digits, - "
		    "and _)", section, CONF_NAME_MAX);
		goto fail;
	}
	if (!is_repeatable(k->type) && (earlier = seen_before(p, section, k)) != 0) {
		kg_err_set(p->err, "duplicate key '%s' in [%s] (first set on line %d)",
		    name, section, earlier);
		goto fail;
	}
	base = scope_of(k->section) == S_GLOBAL ? p->c :
	    named_section(p, scope_of(k->section), colon + 1);
	if (base == NULL) {
		kg_err_set(p->err, "out of memory");
		goto fail;
	}
	if (conf_set(k, base, value, p->err) < 0)
		goto fail;
	return 1;
fail:
	kg_err_prefix(p->err, "%s:%d", p->path, p->line);
	p->failed = true;
	return 0;
}

static int
seen_line(const struct kg_conf_seen *seen, size_t n, const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(seen[i].key->name, name) == 0 && strcmp(seen[i].section, section) == 0)
			return seen[i].line;
	return 0;
}

/* Drops repeated days from a sorted list (1d, 1d, 1d would be three
 * identical VALARMs and three webhook keys of one reminder) and says so in
 * c->warnings.  -1 on ENOMEM. */
static int
merge_days(struct conf_parse *p, const char *name, int *v, size_t *n)
{
	char msg[256];
	size_t i, out = 0, dropped = 0;

	for (i = 0; i < *n; i++) {
		if (out > 0 && v[out - 1] == v[i]) {
			dropped++;
			continue;
		}
		v[out++] = v[i];
	}
	if (dropped == 0)
		return 0;
	*n = out;
	snprintf(msg, sizeof(msg), "%s:%d: [reminders] %s lists a day more than once; each "
	    "is kept once (%zu repeat%s dropped)", p->path,
	    seen_line(p->seen, p->nseen, "reminders", name), name, dropped,
	    dropped == 1 ? "" : "s");
	return kg_strv_push(&p->c->warnings, msg, (size_t)-1);
}

/* Checks what single keys cannot: required keys of named sections; merges
 * repeated days. */
static int
conf_check(struct conf_parse *p)
{
	struct kg_webhook_conf *w;
	size_t i;

	if (merge_days(p, "lead", p->c->lead_days, &p->c->nlead) < 0 ||
	    merge_days(p, "overdue", p->c->overdue_days, &p->c->noverdue) < 0)
		return kg_err_set(p->err, "out of memory");

	for (i = 0; i < p->c->nwebhooks; i++) {
		w = &p->c->webhooks[i];
		if (w->url == NULL || w->secret == NULL)
			return kg_err_set(p->err, "%s:%d: [webhook:%s] needs both url and secret",
			    p->path, p->named_line[S_WEBHOOK][i], w->name);
	}
	for (i = 0; i < p->c->nsources; i++)
		if (p->c->sources[i].url == NULL)
			return kg_err_set(p->err, "%s:%d: [source:%s] needs a url", p->path,
			    p->named_line[S_SOURCE][i], p->c->sources[i].name);
	return 0;
}

static int
conf_parse_file(const char *path, struct kg_conf *c, struct kg_err *err)
{
	struct conf_parse p = {.c = c, .path = path, .err = err};
	int rc = -1, r;
	size_t i;

	if ((p.fp = fopen(path, "r")) == NULL)
		return kg_err_set(err, "cannot read config '%s': %s", path, strerror(errno));
	r = ini_parse_stream(conf_read_line, &p, conf_handle, &p);
	if (p.failed)
		goto out;
	if (p.too_long) {
		if (p.bytes > CONF_MAX_BYTES)
			kg_err_set(err, "%s:%d: file too large (more than %d bytes)", path, p.line,
			    CONF_MAX_BYTES);
		else
			kg_err_set(err, "%s:%d: line too long (at most %d bytes)", path, p.line,
			    p.max_line - 1);
		goto out;
	}
	if (ferror(p.fp)) {
		kg_err_set(err, "cannot read config '%s': %s", path, strerror(errno));
		goto out;
	}
	if (r != 0) {
		kg_err_set(err, "%s:%d: syntax error (expected [section] or name = value)", path, r);
		goto out;
	}
	if (conf_check(&p) < 0)
		goto out;
	c->seen = p.seen;
	c->nseen = p.nseen;
	p.seen = NULL;
	rc = 0;
out:
	fclose(p.fp);
	free(p.seen);
	for (i = 0; i < S_COUNT; i++)
		free(p.named_line[i]);
	return rc;
}

int
kg_conf_line(const struct kg_conf *c, const char *section, const char *name)
{
	return seen_line(c->seen, c->nseen, section, name);
}

int
kg_conf_load(const char *path, struct kg_conf *c, struct kg_err *err)
{
	const char *env = getenv("KIGEN_CONFIG");
	const char *sys = KIGEN_SYSCONFDIR "/kigen/kigen.conf";

	if (kg_conf_defaults(c, err) < 0)
		return -1;
	if (path == NULL && env != NULL && *env != '\0')
		path = env;
	if (path == NULL && access(sys, F_OK) == 0)
		path = sys;
	if (path == NULL)
		return 0;
	if ((c->path = strdup(path)) == NULL) {
		kg_conf_clear(c);
		return kg_err_set(err, "out of memory");
	}
	if (conf_parse_file(path, c, err) < 0) {
		kg_conf_clear(c);
		return -1;
	}
	return 0;
}
