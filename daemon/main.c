/*
 * kigend — the kigen daemon: serves the iCalendar feeds and the JSON API
 * from memory, and re-reads the database when it changes.
 *
 * Thin on purpose: parse options, load the configuration, open the store,
 * start HTTP, run the loop, and release everything in reverse order.  The
 * work is in loop.c (scheduling), server.c (serving), reload.c (keeping
 * the served data fresh) and service.c (configuration reload, signals,
 * control socket, systemd); everything but this file links into the tests.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dbfile.h"
#include "log.h"
#include "loop.h"
#include "reload.h"
#include "remind.h"
#include "server.h"
#include "source.h"
#include "service.h"
#include "store.h"

static const char usage[] =
    "usage: kigend [--config FILE] [--db FILE] [--listen ADDR]... [--log-level LEVEL]\n"
    "       kigend --check-config [--config FILE]\n"
    "\n"
    "Serves kigen's milestones as iCalendar feeds and a JSON API, in the foreground.\n"
    "\n"
    "  -c, --config FILE     configuration file (default: $KIGEN_CONFIG, then\n"
    "                        " KIGEN_SYSCONFDIR "/kigen/kigen.conf, then built-in defaults)\n"
    "  -d, --db FILE         database (default: [general] db, then\n"
    "                        $XDG_STATE_HOME/kigen/kigen.db)\n"
    "  -l, --listen ADDR     address to serve on, host:port or [v6]:port;\n"
    "                        repeatable; replaces [http] listen (127.0.0.1:5545)\n"
    "  -L, --log-level LEVEL error, warning, notice, info or debug\n"
    "      --check-config    check the configuration and exit\n"

    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "SIGHUP or 'kigen reload' reloads the configuration (a bad file is rejected,\n"
    "the old one stays); SIGTERM and SIGINT stop gracefully.  See kigend(8).\n";

struct options {
	const char *config;
	const char *db;
	struct kg_strv listen;
	const char *log_level;
	bool check_config;
};

/* Exit code 2 on a usage error, as for kigen. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"db", required_argument, NULL, 'd'},
		{"listen", required_argument, NULL, 'l'},
		{"log-level", required_argument, NULL, 'L'},
		{"check-config", no_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "c:d:l:L:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'd': o->db = optarg; break;
		case 'l':
			if (kg_strv_push(&o->listen, optarg, (size_t)-1) < 0)
				return 1;
			break;
		case 'L':
			if (kg_log_level_parse(optarg) < 0) {
				fprintf(stderr, "kigend: invalid log level '%s' (error, warning, "
				    "notice, info, debug)\n", optarg);
				return 2;
			}
			o->log_level = optarg;
			break;
		case 'C': o->check_config = true; break;
		case 'h': fputs(usage, stdout); exit(0);
		case 'V': puts("kigend " KIGEN_VERSION); exit(0);
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kigend: unexpected argument '%s'\n%s", argv[optind], usage);
		return 2;
	}
	return 0;
}

/* The modules a reloaded configuration reaches (see service.h), and the
 * status they report. */
struct modules {
	struct kg_server *server;
	struct kg_remind *remind;
	struct kg_sources *sources;
};

static int
apply_conf(void *arg, const struct kg_conf *next, struct kg_err *err)
{
	struct modules *m = arg;

	/* The ones that can fail first, so a failure changes nothing. */
	if (kg_server_check_conf(next, err) < 0 || kg_remind_set_conf(m->remind, next, err) < 0 ||
	    kg_sources_set_conf(m->sources, next, err) < 0)
		return -1;
	kg_server_set_conf(m->server, next);
	return 0;
}

static void
status_json(void *arg, json_t *obj)
{
	kg_remind_status(((struct modules *)arg)->remind, obj);
	kg_sources_status(((struct modules *)arg)->sources, obj);
}

static void
status_line(void *arg, char *buf, size_t size)
{
	struct modules *m = arg;
	size_t len;

	kg_remind_summary(m->remind, buf, size);
	len = strlen(buf);
	if (m->sources != NULL && len + 2 < size) {
		kg_sources_summary(m->sources, buf + len + 2, size - len - 2);
		if (buf[len + 2] != '\0')
			memcpy(buf + len, ", ", 2);
	}
}

static void
drain(void *arg)
{
	struct modules *m = arg;

	kg_server_quiesce(m->server);
	kg_remind_drain(m->remind);
}

static bool
busy(void *arg)
{
	return kg_remind_busy(((struct modules *)arg)->remind);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct kg_service_opts so;
	struct kg_service_ops ops = { 0 };
	struct kg_conf *conf = NULL;
	const struct kg_conf *c;
	struct kg_err err;
	struct kg_service *svc = NULL;
	struct kg_dblock *lock = NULL;
	struct kg_store *st = NULL;
	struct kg_loop *loop = NULL;
	struct kg_server *server = NULL;
	struct modules mods = { 0 };
	struct kg_loop_hook hook;
	char *db_default = NULL;
	int rc = 1;

	memset(&o, 0, sizeof(o));
	kg_log_init("kigend", KG_LOG_INFO);
	if ((rc = parse_options(argc, argv, &o)) != 0)
		goto out;
	rc = 1;
	so = (struct kg_service_opts){ o.config, o.db, &o.listen,
	    o.log_level != NULL ? kg_log_level_parse(o.log_level) : -1 };
	if ((db_default = kg_conf_default_db()) == NULL ||
	    (conf = calloc(1, sizeof(*conf))) == NULL) {
		log_err("out of memory");
		goto out;
	}
	if (kg_service_conf_load(&so, db_default, conf, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	if (o.check_config) {
		printf("%s: ok\n", conf->path != NULL ? conf->path : "built-in defaults");
		rc = 0;
		goto out;
	}
	kg_log_set_level(conf->log_level);
	if (kg_service_new(&so, db_default, conf, &svc, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	conf = NULL; /* the service's now */
	c = kg_service_conf(svc);
	signal(SIGPIPE, SIG_IGN);

	/* The daemon lock comes before anything that writes (the outbox's
	 * recovery above all): a second kigend touches nothing. */
	if (kg_dblock_take(c->db, &lock, &err) < 0 ||
	    kg_store_open(c->db, KG_STORE_CREATE, &st, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	if (kg_store_created(st))
		log_warn("database '%s' did not exist: created a new, empty one (is the path "
		    "right?)", c->db);
	if (kg_loop_new(st, &loop, &err) < 0 ||
	    kg_server_start(c, &server, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	kg_reload_hook(server, &hook);
	mods.server = server;
	ops.apply = apply_conf;
	ops.status = status_json;
	ops.summary = status_line;
	ops.drain = drain;
	ops.busy = busy;
	ops.arg = &mods;
	/* The service's hook comes last: READY means the feeds are rendered. */
	if (kg_loop_add_hook(loop, &hook, &err) < 0 ||
	    kg_remind_new(loop, c, &mods.remind, &err) < 0 ||
	    kg_sources_new(loop, c, &mods.sources, &err) < 0 ||
	    kg_server_add_metrics(server, kg_sources_metrics, mods.sources, &err) < 0 ||
	    kg_service_attach(svc, loop, &ops, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	/* From now on the loop never sleeps on another connection's write lock:
	 * a write that finds it taken fails at once and is retried later. */
	kg_store_set_busy_timeout(st, 0);
	if (kg_loop_run(loop, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	rc = 0;
out:
	kg_remind_free(mods.remind);
	kg_server_free(server); /* before the sources: /metrics reads them */
	kg_sources_free(mods.sources);
	kg_service_free(svc);
	kg_loop_free(loop);
	kg_store_close(st);
	kg_dblock_release(lock);
	free(db_default);
	kg_conf_clear(conf);
	free(conf);
	kg_strv_clear(&o.listen);
	return rc;
}
