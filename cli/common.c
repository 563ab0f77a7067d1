/*
 * common — helpers every command uses (see cli.h): opening the database,
 * date/number/filter arguments and getopt errors, so that each message reads
 * the same whichever command produced it.
 */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "output.h"
#include "store.h"

/* How long a write waits for another connection's lock (an import holds it
 * for as long as it takes) before giving up. */
#define CLI_LOCK_WAIT_MS (5 * 60 * 1000)

static void
tell_waiting(void *arg, const char *holder)
{
	(void)arg;
	fputs("kigen: waiting for the database, locked by ", stderr);
	/* a command line, as its owner wrote it: one line, nothing a terminal acts on */
	out_escape_line(stderr, holder, strlen(holder));
	fputc('\n', stderr);
}

/* The per-user default database's directory is created as XDG asks; any
 * other path must have its directory already (a typo creates nothing). */
int
cli_open_store(struct cli *cli, int flags, struct kg_store **out)
{
	if (cli->db_is_default && (flags & KG_STORE_CREATE))
		flags |= KG_STORE_MKDIR;
	if (kg_store_open(cli->db_path, flags, out, &cli->err) < 0)
		return CLI_FAIL;
	if (!(flags & KG_STORE_READONLY))
		kg_store_set_wait(*out, CLI_LOCK_WAIT_MS, tell_waiting, NULL);
	return CLI_OK;
}

int
cli_parse_date(struct cli *cli, const char *s, kg_day *out)
{
	return kg_date_parse(s, out, &cli->err) < 0 ? CLI_USAGE : CLI_OK;
}

int
cli_parse_int(struct cli *cli, const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return cli_usage(cli, "invalid %s '%s' (expected an integer %ld..%ld)", opt, s,
		    min, max);
	*out = v;
	return CLI_OK;
}

int
cli_parse_kind(struct cli *cli, const char *s, enum kg_kind *out)
{
	int k = kg_kind_parse(s);

	if (k < 0)
		return cli_usage(cli, "invalid kind '%s' (see 'kigen help add')", s);
	*out = (enum kg_kind)k;
	return CLI_OK;
}

int
cli_parse_status(struct cli *cli, const char *s, enum kg_status *out)
{
	int k = kg_status_parse(s);

	if (k < 0)
		return cli_usage(cli, "invalid status '%s' (expected planned, ongoing, done "
		    "or cancelled)", s);
	*out = (enum kg_status)k;
	return CLI_OK;
}

int
cli_set_string(char **slot, const char *s)
{
	char *c = strdup(s);

	if (c == NULL)
		return -1;
	free(*slot);
	*slot = c;
	return 0;
}

int
cli_filter_option(struct cli *cli, int opt, const char *arg, char **argv,
    struct kg_filter *f)
{
	struct kg_strv *sv;
	enum kg_kind kind;
	enum kg_status status;
	long id;

	switch (opt) {
	case CLI_OPT_OWNER:
		sv = &f->owners;
		break;
	case CLI_OPT_KIND:
		if (cli_parse_kind(cli, arg, &kind) != CLI_OK)
			return CLI_USAGE;
		sv = &f->kinds;
		break;
	case CLI_OPT_STATUS:
		if (cli_parse_status(cli, arg, &status) != CLI_OK)
			return CLI_USAGE;
		sv = &f->statuses;
		break;
	case CLI_OPT_MEASURE:
		if (cli_parse_int(cli, "measure", arg, 1, LONG_MAX, &id) != CLI_OK)
			return CLI_USAGE;
		sv = &f->measures;
		break;
	default:
		return cli_bad_option(cli, opt, argv);
	}
	if (kg_strv_push(sv, arg, (size_t)-1) < 0) {
		kg_err_set(&cli->err, "out of memory");
		return CLI_FAIL;
	}
	return CLI_OK;
}

int
cli_bad_option(struct cli *cli, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (strncmp(arg, "--", 2) != 0)
		return cli_usage(cli, "unknown option '-%c'", optopt);
	if (c == ':')
		return cli_usage(cli, "option '%s' needs a value", arg);
	return cli_usage(cli, "unknown option '%s'", arg);
}

int
cli_no_options(struct cli *cli, int argc, char **argv)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	int c;

	opterr = 0;
	if ((c = getopt_long(argc, argv, ":", none, NULL)) != -1)
		return cli_bad_option(cli, c, argv);
	return CLI_OK;
}

int
cli_no_args(struct cli *cli, int argc, char **argv)
{
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	return CLI_OK;
}

int
cli_one_arg(struct cli *cli, int argc, char **argv, const char *what, const char **out)
{
	if (optind >= argc)
		return cli_usage(cli, "missing %s", what);
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind + 1]);
	*out = argv[optind];
	return CLI_OK;
}

int
cli_print_milestone(struct cli *cli, struct kg_store *st, int64_t id, const char *verb)
{
	struct kg_milestone m = {0};
	char ref[24], when[64];
	int rc = CLI_FAIL;

	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	if (kg_store_milestone_get(st, ref, &m, &cli->err) < 0)
		goto out;
	if (cli->json) {
		if (out_json(cli->out, kg_milestone_json(&m)) < 0) {
			kg_err_set(&cli->err, "out of memory");
			goto out;
		}
	} else {
		out_relative(when, sizeof(when), &m, cli->today);
		fprintf(cli->out, "%s %lld: %s (%s)\n", verb, (long long)m.id, m.title, when);
	}
	rc = CLI_OK;
out:
	kg_milestone_clear(&m);
	return rc;
}
