/*
 * conf — kigen's configuration: one table of keys (name, type, bounds,
 * default, help) parsed from an INI file with inih.
 *
 * Precedence: an explicit path (--config) > $KIGEN_CONFIG >
 * KIGEN_SYSCONFDIR/kigen/kigen.conf (when it exists) > built-in defaults.
 * Unknown sections or keys and bad values are errors reported as
 * "FILE:LINE: message".  Every key is documented in config/kigen.conf.
 */
#ifndef KG_CONF_H
#define KG_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "feed.h"
#include "model.h"
#include "zone.h"

enum kg_webhook_format { KG_WEBHOOK_JSON, KG_WEBHOOK_SLACK };

struct kg_conf_seen;

/* [feed:NAME] — a named feed at /feeds/NAME.ics. */
struct kg_feed_conf {
	char *name;
	char *token;           /* NULL: falls back to [http] feed_token */
	struct kg_filter filter;
	int show_done;         /* -1: inherit [feed] show_done */
};

/* [webhook:NAME] */
struct kg_webhook_conf {
	char *name;
	char *url;
	char *secret;          /* "whsec_<base64>" as written; never logged */
	enum kg_webhook_format format;
	struct kg_filter filter; /* owner =, kind = */
	int64_t timeout_ms;
	int max_attempts;
	int concurrency;
	struct kg_strv headers;  /* "Name: value" */
	struct kg_strv events;   /* event types it gets (KG_EVENT_*); default: reminders */
};

/* The webhook event types, the names `events =` takes. */
#define KG_EVENT_REMINDER "milestone.reminder"
#define KG_EVENT_OVERDUE "milestone.overdue"
#define KG_EVENT_CHANGED "milestone.changed"
#define KG_EVENT_GONE "milestone.gone"

/* Whether endpoint w gets events of this type. */
bool kg_webhook_conf_wants(const struct kg_webhook_conf *w, const char *type);

/* [source:NAME] — a published document kigend watches (daemon/source.h). */
struct kg_source_conf {
	char *name;
	char *url;             /* http:// or https:// */
	int64_t every_s;       /* how often to look for a new version */
	int64_t timeout_ms;    /* one download */
	bool allow_shrink;     /* import a version that drops many milestones */
};

struct kg_conf {
	char *path;            /* file it came from, or NULL for defaults */

	/* [general] */
	char *db;              /* NULL: the caller's default (XDG state dir) */
	char *timezone;        /* "Asia/Tokyo": the zone's name as tzdata spells it */
	struct kg_zone *zone;  /* that zone, loaded (lib/zone.h); owned */
	int log_level;         /* KG_LOG_* */

	/* [http] */
	struct kg_strv listen; /* "127.0.0.1:5545", "[::1]:5545" */
	char *feed_token;      /* NULL or "" = no token */
	char *base_url;        /* where kigend is reached: links in feeds, payloads */
	struct kg_strv allowed_hosts; /* Host header values served; empty: the
	                          defaults (listen hosts, localhost, base_url's
	                          host); "*": any */
	int max_connections;   /* beyond: the oldest still sending its head closes */
	int64_t head_timeout_s; /* absolute deadline of a request head */
	int64_t idle_timeout_s; /* a connection silent this long closes */
	int threads;           /* request threads per listen address */
	int64_t stall_limit_s; /* /healthz fails when the loop is stuck this long */
	int render_threads;    /* renditions made on request, at once */
	int render_queue;      /* ... and waiting; beyond: 503 */
	int64_t render_memory; /* bytes of renditions held; beyond: 503 */

	/* [feed] */
	char *feed_name;
	int64_t refresh_s;     /* REFRESH-INTERVAL, Cache-Control max-age */
	bool show_done;
	enum kg_feed_span feed_span;

	struct kg_feed_conf *feeds;
	size_t nfeeds;

	/* [reminders] durations in whole days, sorted descending for lead */
	int *lead_days;
	size_t nlead;
	int at_minute;         /* minute of the day, 09:00 = 540 */
	int64_t catch_up_s;
	int *overdue_days;
	size_t noverdue;

	struct kg_webhook_conf *webhooks;
	size_t nwebhooks;

	struct kg_source_conf *sources;
	size_t nsources;

	/* [control] */
	char *control_socket;  /* NULL: the caller's default */
	char *control_user;    /* "kigen": the user the service runs as; NULL none */

	/* "FILE:LINE: ..." for values taken with a change (duplicate leads
	 * merged): the program decides whether to show them. */
	struct kg_strv warnings;
	struct kg_conf_seen *seen; /* where each key was set (kg_conf_line) */
	size_t nseen;
};

/* Fills c with the built-in defaults.  -1 only on ENOMEM. */
int kg_conf_defaults(struct kg_conf *c, struct kg_err *err);

/*
 * Loads configuration following the precedence above; path may be NULL.
 * On error c is left cleared and err says "FILE:LINE: ..." (or why the file
 * could not be read).  The caller owns c and releases it with kg_conf_clear.
 */
int kg_conf_load(const char *path, struct kg_conf *c, struct kg_err *err);
void kg_conf_clear(struct kg_conf *c);

/* The line of c->path where key `name` of `section` ("general",
 * "webhook:ops") was set; 0 when the file did not set it. */
int kg_conf_line(const struct kg_conf *c, const char *section, const char *name);

/* A user's default database: $XDG_STATE_HOME/kigen/kigen.db, else
 * ~/.local/state/kigen/kigen.db.  New string (free it); NULL on ENOMEM. */
char *kg_conf_default_db(void);

/* "15s", "30m", "1h", "7d" (and plain seconds) -> seconds; -1 on error. */
int64_t kg_duration_parse(const char *s);

/* "host", "host:port", "[v6]" or "[v6]:port" (a listen address, a Host
 * header): host (without brackets) into host[hostsize], the port 0..65535
 * into *port, -1 when s has none.  An unbracketed host ends at the last
 * ':'.  -1 when s is not of that form (blanks, an empty host, junk after
 * "]", a port that is no number) or the host does not fit.  The one
 * parser of host:port. */
int kg_host_port_split(const char *s, char *host, size_t hostsize, int *port);

/* A listen address, "127.0.0.1:5545", "[::1]:5545", "localhost:5545": as
 * kg_host_port_split, with the port required; the configuration also
 * refuses port 0. */
int kg_listen_split(const char *s, char *host, size_t hostsize, unsigned *port);

/* Longest link kg_conf_link writes (a longer one is cut). */
#define KG_URL_MAX 512

/*
 * A link to kigend: base_url (a trailing '/' dropped), then path ("/feed.ics")
 * into buf (size bytes, cut at a character boundary); "" when base_url is
 * NULL or empty.  Returns buf.
 */
char *kg_conf_link(const char *base_url, const char *path, char *buf, size_t size);

/* kg_conf_link to milestone id's page, "<base_url>/milestones/<id>". */
char *kg_milestone_url(const char *base_url, int64_t id, char *buf, size_t size);

#endif
