/*
 * helper_feed — `kigen feed` as the helper program kigen-feed runs it
 * (helper.h): the iCalendar feed kigend serves, written to stdout or a
 * file, for static hosting.  Same renderer and parameters as kigend's
 * /feed.ics (and /feeds/NAME.ics with --feed), so the same data gives the
 * same bytes.  The one command that needs libical.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "feed.h"
#include "store.h"

/* Writes len bytes to path through a temporary file and rename(), so a web
 * server never serves half a feed. */
static int
write_atomically(const char *path, const char *data, size_t len, struct kg_err *err)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int rc = -1;

	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0)
		return kg_err_set(err, "out of memory");
	if ((f = fopen(tmp, "wb")) == NULL) {
		kg_err_set(err, "cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		f = NULL;
		kg_err_set(err, "cannot write '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) < 0) {
		kg_err_set(err, "cannot replace '%s': %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	free(tmp);
	return rc;
}

static const struct kg_feed_conf *
find_feed(const struct kg_conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nfeeds; i++)
		if (strcmp(c->feeds[i].name, name) == 0)
			return &c->feeds[i];
	return NULL;
}

/* An option that is one of two words: *out = 0 for w0, 1 for w1. */
static int
two_words(struct cli *cli, const char *what, const char *v, const char *w0, const char *w1,
    int *out)
{
	if (strcmp(v, w0) != 0 && strcmp(v, w1) != 0)
		return cli_usage(cli, "invalid %s '%s' (%s or %s)", what, v, w0, w1);
	*out = strcmp(v, w1) == 0;
	return CLI_OK;
}

int
cmd_feed(struct cli *cli, int argc, char **argv)
{
	enum { OPT_OUT = CLI_OPT_FIRST_FREE, OPT_FEED, OPT_VIEW, OPT_SPAN };
	static const struct option opts[] = {
		CLI_FILTER_OPTIONS,
		{"out", required_argument, NULL, OPT_OUT},
		{"feed", required_argument, NULL, OPT_FEED},
		{"view", required_argument, NULL, OPT_VIEW},
		{"span", required_argument, NULL, OPT_SPAN},
		{NULL, 0, NULL, 0},
	};
	const struct kg_feed_conf *fc = NULL;
	struct kg_milestone_list l = {0};
	struct kg_feed_params p;
	struct kg_store *st = NULL;
	struct kg_query q;
	const char *out = NULL;
	enum kg_feed_view view = KG_FEED_EVENTS;
	int span = -1; /* -1: the configuration's */
	int word;
	char *body = NULL, *calname = NULL;
	size_t len;
	int c, rc;

	kg_query_init(&q);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case OPT_OUT:
			out = optarg;
			break;
		case OPT_FEED:
			if ((fc = find_feed(&cli->conf, optarg)) == NULL) {
				rc = cli_usage(cli, "no feed '%s' in the configuration ([feed:%s])",
				    optarg, optarg);
				goto out;
			}
			break;
		case OPT_VIEW:
			if ((rc = two_words(cli, "view", optarg, "event", "todo", &word)) != CLI_OK)
				goto out;
			view = word == 1 ? KG_FEED_TODOS : KG_FEED_EVENTS;
			break;
		case OPT_SPAN:
			if ((rc = two_words(cli, "span", optarg, "deadline", "window", &word)) != CLI_OK)
				goto out;
			span = word == 1 ? KG_SPAN_WINDOW : KG_SPAN_DEADLINE;
			break;
		default: /* a filter option, or an unknown one */
			if ((rc = cli_filter_option(cli, c, optarg, argv, &q.filter)) != CLI_OK)
				goto out;
		}
	}
	if ((rc = cli_no_args(cli, argc, argv)) != CLI_OK ||
	    (rc = cli_open_store(cli, KG_STORE_READONLY | KG_STORE_MAPPED, &st)) != CLI_OK)
		goto out;
	rc = CLI_FAIL;
	if (kg_store_milestones(st, &q, &l, &cli->err) < 0)
		goto out;
	if ((calname = kg_feed_calname(&cli->conf, fc)) == NULL) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	kg_feed_params_from_conf(&p, &cli->conf, fc);
	p.name = calname;
	p.view = view;
	if (span >= 0)
		p.span = span;
	if (kg_feed_render(l.v, l.n, &p, &body, &len, &cli->err) < 0)
		goto out;
	if (out != NULL) {
		if (write_atomically(out, body, len, &cli->err) < 0)
			goto out;
	} else if (fwrite(body, 1, len, cli->out) != len) {
		kg_err_set(&cli->err, "cannot write the feed: %s", strerror(errno));
		goto out;
	}
	rc = CLI_OK;
out:
	free(body);
	free(calname);
	kg_milestone_list_clear(&l);
	kg_filter_clear(&q.filter);
	kg_store_close(st);
	return rc;
}
