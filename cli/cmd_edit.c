/*
 * cmd_edit — the commands that write milestones: add, done, reopen, edit, rm.
 *
 * Every argument is checked before the database is opened, so a bad value
 * writes nothing (and does not even create the file).  Each change is one
 * store call, which is one transaction.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "output.h"
#include "store.h"

#define KINDS_USAGE \
    "kinds: meeting, publication, report, exercise, operation_start, revision,\n" \
    "survey, launch, completion, decision, campaign, establishment, kpi_target,\n" \
    "other\n"

const char cmd_add_usage[] =
    "add TITLE --due DATE [--from DATE] [--measure ID] [--owner NAME]... [--kind KIND]\n\n"
    "Add a milestone by hand (planned, kind 'other' unless --kind).  --from makes\n"
    "the deadline a window [--from, --due].  --measure attaches it to a measure,\n"
    "whose owners it then shows too.  Prints the new milestone's id.\n\n"
    "  --due DATE       the deadline (YYYY-MM-DD)\n"
    "  --from DATE      the window's first day (default: the deadline)\n"
    "  --measure ID     measure id (see 'kigen export')\n"
    "  --owner NAME     responsible body; repeatable\n"
    "  --kind KIND      what happens at the deadline\n\n" KINDS_USAGE;

const char cmd_done_usage[] =
    "done ID\n\n"
    "Mark a milestone done (recorded in its history; calendars see a new\n"
    "sequence).\n";

const char cmd_reopen_usage[] =
    "reopen ID\n\n"
    "Mark a done or cancelled milestone planned again.\n";

const char cmd_edit_usage[] =
    "edit ID [--title TEXT] [--due DATE] [--from DATE] [--kind KIND] [--owner NAME]...\n"
    "        [--measure ID] [--status STATUS]\n\n"
    "Change a milestone.  The fields changed are 'edited by hand': they win over\n"
    "what the reports say (the other fields keep following them), and a report\n"
    "imported later that disagrees opens a conflict (kigen conflicts).  --due\n"
    "alone keeps the window's first\n"
    "day when it is not after the new deadline.  --owner replaces the\n"
    "milestone's own owners (a measure's owners always show).\n\n" KINDS_USAGE;

const char cmd_rm_usage[] =
    "rm ID [--purge]\n\n"
    "Cancel a milestone: it stays in the database as 'cancelled', so importing\n"
    "the report again does not bring it back.  --purge deletes it, its history\n"
    "and what the reports said of it for good.\n";

/* Window from --from/--due: start <= end; precision day, month or range. */
static int
set_window(struct cli *cli, struct kg_milestone *m, kg_day from, kg_day due)
{
	char a[KG_DATE_LEN], b[KG_DATE_LEN];

	if (from == KG_DAY_NONE)
		from = m->window_start != KG_DAY_NONE && m->window_start <= due ?
		    m->window_start : due;
	if (from > due)
		return cli_usage(cli, "invalid window: --from %s is after the deadline %s",
		    kg_date_format(from, a), kg_date_format(due, b));
	m->window_start = from;
	m->window_end = due;
	if (from == due)
		m->precision = KG_PREC_DAY;
	else if (from == kg_month_first(due) && due == kg_month_last(due))
		m->precision = KG_PREC_MONTH; /* reads "due during March 2009" */
	else
		m->precision = KG_PREC_RANGE;
	return CLI_OK;
}

/* Checks that the measure of --measure exists. */
static int
check_measure(struct cli *cli, struct kg_store *st, int64_t id)
{
	struct kg_measure me = {0};
	int rc;

	rc = kg_store_measure_get(st, id, &me, &cli->err) < 0 ? CLI_FAIL : CLI_OK;
	kg_measure_clear(&me);
	return rc;
}

enum { OPT_DUE = CLI_OPT_FIRST_FREE, OPT_FROM, OPT_TITLE, OPT_PURGE };

/* Options of add (is_add) and edit, applied to m as they come; *from and
 * *due collect the dates, *changes counts the options. */
static int
edit_options(struct cli *cli, int argc, char **argv, bool is_add, struct kg_milestone *m,
    kg_day *from, kg_day *due, int *changes)
{
#define COMMON_OPTS \
	{"due", required_argument, NULL, OPT_DUE}, \
	{"from", required_argument, NULL, OPT_FROM}, \
	{"owner", required_argument, NULL, CLI_OPT_OWNER}, \
	{"kind", required_argument, NULL, CLI_OPT_KIND}, \
	{"measure", required_argument, NULL, CLI_OPT_MEASURE}
	static const struct option add_opts[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
	static const struct option edit_opts[] = {
		COMMON_OPTS,
		{"title", required_argument, NULL, OPT_TITLE},
		{"status", required_argument, NULL, CLI_OPT_STATUS},
		{NULL, 0, NULL, 0},
	};
#undef COMMON_OPTS
	bool owners_given = false;
	int c, rc = CLI_OK;
	long id;

	opterr = 0;
	while (rc == CLI_OK &&
	    (c = getopt_long(argc, argv, ":", is_add ? add_opts : edit_opts, NULL)) != -1) {
		(*changes)++;
		switch (c) {
		case OPT_DUE:
			rc = cli_parse_date(cli, optarg, due);
			break;
		case OPT_FROM:
			rc = cli_parse_date(cli, optarg, from);
			break;
		case OPT_TITLE:
			if (optarg[0] == '\0')
				rc = cli_usage(cli, "invalid title '' (empty)");
			else if (cli_set_string(&m->title, optarg) < 0)
				rc = CLI_FAIL;
			break;
		case CLI_OPT_OWNER:
			if (!owners_given)
				kg_strv_clear(&m->owners);
			owners_given = true;
			if (kg_strv_push(&m->owners, optarg, (size_t)-1) < 0)
				rc = CLI_FAIL;
			break;
		case CLI_OPT_KIND:
			rc = cli_parse_kind(cli, optarg, &m->kind);
			break;
		case CLI_OPT_STATUS:
			rc = cli_parse_status(cli, optarg, &m->status);
			break;
		case CLI_OPT_MEASURE:
			if ((rc = cli_parse_int(cli, "measure", optarg, 1, LONG_MAX, &id)) == CLI_OK)
				m->measure_id = id;
			break;
		default:
			rc = cli_bad_option(cli, c, argv);
		}
	}
	if (rc == CLI_FAIL)
		kg_err_set(&cli->err, "out of memory");
	return rc;
}

int
cmd_add(struct cli *cli, int argc, char **argv)
{
	struct kg_store *st = NULL;
	struct kg_milestone m = {0};
	kg_day from = KG_DAY_NONE, due = KG_DAY_NONE;
	const char *title = NULL;
	int rc, changes = 0;

	m.kind = KG_KIND_OTHER;
	m.status = KG_STATUS_PLANNED;
	m.window_start = m.window_end = KG_DAY_NONE;
	m.manual = true;
	if ((rc = edit_options(cli, argc, argv, true, &m, &from, &due, &changes)) != CLI_OK)
		goto out;
	if ((rc = cli_one_arg(cli, argc, argv, "TITLE", &title)) != CLI_OK)
		goto out;
	if (title[0] == '\0') {
		rc = cli_usage(cli, "invalid title '' (empty)");
		goto out;
	}
	if (due == KG_DAY_NONE) {
		rc = cli_usage(cli, "missing --due DATE");
		goto out;
	}
	if ((rc = set_window(cli, &m, from, due)) != CLI_OK)
		goto out;
	if ((m.title = strdup(title)) == NULL) {
		rc = CLI_FAIL;
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	if ((rc = cli_open_store(cli, KG_STORE_CREATE, &st)) != CLI_OK)
		goto out;
	rc = CLI_FAIL;
	if (m.measure_id != 0 && check_measure(cli, st, m.measure_id) != CLI_OK)
		goto out;
	if (kg_store_milestone_add(st, &m, &cli->err) < 0)
		goto out;
	rc = cli_print_milestone(cli, st, m.id, "added");
out:
	kg_milestone_clear(&m);
	kg_store_close(st);
	return rc;
}

int
cmd_edit(struct cli *cli, int argc, char **argv)
{
	struct kg_store *st = NULL;
	struct kg_milestone m = {0};
	kg_day from = KG_DAY_NONE, due = KG_DAY_NONE;
	int64_t old_measure;
	int rc, changes = 0;
	const char *id = NULL;

	/* options are checked once without the database, then applied to it */
	if ((rc = edit_options(cli, argc, argv, false, &m, &from, &due, &changes)) != CLI_OK)
		goto out;
	if ((rc = cli_one_arg(cli, argc, argv, "ID", &id)) != CLI_OK)
		goto out;
	if (changes == 0) {
		rc = cli_usage(cli, "nothing to change (see 'kigen help edit')");
		goto out;
	}
	kg_milestone_clear(&m);
	if ((rc = cli_open_store(cli, 0, &st)) != CLI_OK)
		goto out;
	rc = CLI_FAIL;
	if (kg_store_milestone_get(st, id, &m, &cli->err) < 0)
		goto out;
	old_measure = m.measure_id;
	optind = 0;
	from = due = KG_DAY_NONE;
	if ((rc = edit_options(cli, argc, argv, false, &m, &from, &due, &changes)) != CLI_OK)
		goto out;
	if (from != KG_DAY_NONE || due != KG_DAY_NONE) {
		if (due == KG_DAY_NONE)
			due = m.window_end;
		if (due == KG_DAY_NONE) {
			rc = cli_usage(cli, "milestone %s has an open window: give --due too", id);
			goto out;
		}
		if ((rc = set_window(cli, &m, from, due)) != CLI_OK)
			goto out;
	}
	rc = CLI_FAIL;
	if (m.measure_id != old_measure && check_measure(cli, st, m.measure_id) != CLI_OK)
		goto out;
	m.manual = true;
	if (kg_store_milestone_update(st, &m, "edit", &cli->err) < 0)
		goto out;
	rc = cli_print_milestone(cli, st, m.id, "edited");
out:
	kg_milestone_clear(&m);
	kg_store_close(st);
	return rc;
}

/* Options of done, reopen and rm: the ID, and --purge for rm. */
static int
id_and_purge(struct cli *cli, int argc, char **argv, bool purge_ok, bool *purge,
    const char **id)
{
	static const struct option opts[] = {
		{"purge", no_argument, NULL, OPT_PURGE},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != OPT_PURGE || !purge_ok)
			return cli_bad_option(cli, c == OPT_PURGE ? '?' : c, argv);
		*purge = true;
	}
	return cli_one_arg(cli, argc, argv, "ID", id);
}

/* done / reopen / rm: one status change, recorded with `reason`. */
static int
set_status(struct cli *cli, int argc, char **argv, enum kg_status status,
    const char *reason, const char *verb)
{
	struct kg_store *st = NULL;
	struct kg_milestone m = {0};
	const char *id = NULL;
	bool purge = false;
	int rc;

	if ((rc = id_and_purge(cli, argc, argv, status == KG_STATUS_CANCELLED, &purge,
	    &id)) != CLI_OK)
		return rc;
	if ((rc = cli_open_store(cli, 0, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (kg_store_milestone_get(st, id, &m, &cli->err) < 0)
		goto out;
	if (purge) {
		if (kg_store_milestone_purge(st, m.id, &cli->err) < 0)
			goto out;
		if (cli->json)
			fprintf(cli->out, "{\"purged\": %lld}\n", (long long)m.id);
		else
			fprintf(cli->out, "purged %lld: %s\n", (long long)m.id, m.title);
		rc = CLI_OK;
		goto out;
	}
	if (m.status != status) {
		m.status = status;
		if (kg_store_milestone_update(st, &m, reason, &cli->err) < 0)
			goto out;
	}
	rc = cli_print_milestone(cli, st, m.id, verb);
out:
	kg_milestone_clear(&m);
	kg_store_close(st);
	return rc;
}

int
cmd_done(struct cli *cli, int argc, char **argv)
{
	return set_status(cli, argc, argv, KG_STATUS_DONE, "done", "done");
}

int
cmd_reopen(struct cli *cli, int argc, char **argv)
{
	return set_status(cli, argc, argv, KG_STATUS_PLANNED, "reopen", "reopened");
}

int
cmd_rm(struct cli *cli, int argc, char **argv)
{
	return set_status(cli, argc, argv, KG_STATUS_CANCELLED, "rm", "cancelled");
}
