/*
 * kigend — the kigen daemon: serves the iCalendar feeds and the JSON API
 * from memory, and re-reads the database when it changes.
 *
 * Thin on purpose: parse options, load the configuration, open the store,
 * start HTTP, run the loop, and release everything in reverse order.  The
 * work is in loop.c (scheduling), http.c (serving) and reload.c (keeping
 * the served data fresh); everything but this file links into the tests.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "http.h"
#include "log.h"
#include "loop.h"
#include "reload.h"
#include "remind.h"
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
    "  -V, --version         show the version\n";

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

/* --db > [general] db > the user's default. */
static char *
db_path(const struct options *o, const struct kg_conf *conf)
{
	if (o->db != NULL)
		return strdup(o->db);
	if (conf->db != NULL)
		return strdup(conf->db);
	return kg_conf_default_db();
}

static void
on_stop_signal(struct kg_loop *loop, int signo, void *arg)
{
	(void)arg;
	log_notice("%s: stopping", strsignal(signo));
	kg_loop_stop(loop);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct kg_conf conf;
	struct kg_err err;
	struct kg_store *st = NULL;
	struct kg_loop *loop = NULL;
	struct kg_http *http = NULL;
	struct kg_remind *remind = NULL;
	struct kg_loop_hook hook;
	char *db = NULL;
	int rc = 1;

	memset(&o, 0, sizeof(o));
	memset(&conf, 0, sizeof(conf));
	kg_log_init("kigend", KG_LOG_INFO);
	if ((rc = parse_options(argc, argv, &o)) != 0)
		goto out;
	rc = 1;
	if (kg_conf_load(o.config, &conf, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	if (o.check_config) {
		printf("%s: ok\n", conf.path != NULL ? conf.path : "built-in defaults");
		rc = 0;
		goto out;
	}
	kg_log_set_level(o.log_level ? kg_log_level_parse(o.log_level) : conf.log_level);
	if (o.listen.n > 0) {
		kg_strv_clear(&conf.listen);
		conf.listen = o.listen;
		memset(&o.listen, 0, sizeof(o.listen));
	}
	if ((db = db_path(&o, &conf)) == NULL) {
		log_err("out of memory");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);

	if (kg_store_open(db, KG_STORE_CREATE, &st, &err) < 0 ||
	    kg_loop_new(st, &loop, &err) < 0 ||
	    kg_loop_on_signal(loop, SIGINT, on_stop_signal, NULL, &err) < 0 ||
	    kg_loop_on_signal(loop, SIGTERM, on_stop_signal, NULL, &err) < 0 ||
	    kg_http_start(&conf, &http, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	kg_reload_hook(http, &hook);
	if (kg_loop_add_hook(loop, &hook, &err) < 0 ||
	    kg_remind_new(loop, &conf, &remind, &err) < 0 || kg_loop_run(loop, &err) < 0) {
		log_err("%s", err.msg);
		goto out;
	}
	rc = 0;
out:
	kg_remind_free(remind);
	kg_http_free(http);
	kg_loop_free(loop);
	kg_store_close(st);
	free(db);
	kg_conf_clear(&conf);
	kg_strv_clear(&o.listen);
	return rc;
}
