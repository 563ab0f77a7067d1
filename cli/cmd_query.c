/*
 * cmd_query — the commands that read: list, upcoming, overdue (one listing
 * with different date bounds), show, export, history, slipped.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "output.h"
#include "store.h"
#include "utf8.h"

#define FILTERS_USAGE \
    "filters (repeat one to OR its values; different filters are AND'd):\n" \
    "  --owner NAME     responsible body, as printed (総務省)\n" \
    "  --kind KIND      meeting, publication, report, exercise, operation_start,\n" \
    "                   revision, survey, launch, completion, decision, campaign,\n" \
    "                   establishment, kpi_target, other\n" \
    "  --status STATUS  planned, ongoing, done, cancelled\n" \
    "  --measure ID     measure id\n" \
    "  --gone           only milestones the newest report of their plan no\n" \
    "                   longer lists\n" \
    "  --no-gone        none of those\n"

const char cmd_list_usage[] =
    "list [filters]\n\n"
    "All milestones by deadline, any status; gone ones are marked.  The table\n"
    "fits the terminal ($COLUMNS, else 100 columns): long titles are cut with\n"
    "'…'.  WHEN is the deadline from today (in 3 days, today, 5 days ago); a\n"
    "DUE marked '?' rests on a guess (see 'kigen show').\n\n" FILTERS_USAGE;

const char cmd_upcoming_usage[] =
    "upcoming [--days N | --until DATE] [filters]\n\n"
    "Open (planned or ongoing) milestones due from today (see --as-of) to N days\n"
    "ahead (default 30) or to DATE, by deadline.  With --status, that status\n"
    "instead of open ones.  Gone milestones are left out unless --gone.\n\n"
    "  --days N         how many days ahead, 0..36500\n"
    "  --until DATE     last deadline to show (YYYY-MM-DD)\n" FILTERS_USAGE;

const char cmd_overdue_usage[] =
    "overdue [filters]\n\n"
    "Open (planned or ongoing) milestones whose deadline is before today.  Gone\n"
    "milestones are left out unless --gone.\n\n"
    FILTERS_USAGE;

const char cmd_show_usage[] =
    "show ID\n\n"
    "One milestone in full: window, precision, measure, owners, source sentence.\n";

const char cmd_export_usage[] =
    "export\n\n"
    "Every document, measure and milestone as one JSON document (always JSON;\n"
    "the shape is in docs/json.md).\n";

const char cmd_history_usage[] =
    "history ID\n\n"
    "The recorded changes of one milestone's window and status, oldest first:\n"
    "by whom (an import of a report, or an edit) and from what to what.\n";

const char cmd_slipped_usage[] =
    "slipped [--since DOC]\n\n"
    "Deadlines that reports moved, and by how many days: from one edition of a\n"
    "plan to the next (whatever order they were imported in), oldest first;\n"
    "DATE is the as-of date of the edition that moved it.\n\n"
    "  --since DOC      only moves made by editions after DOC's as-of date\n"
    "                   (a document id or name)\n";

enum listing { LIST_ALL, LIST_UPCOMING, LIST_OVERDUE };

static int
add_table_row(const struct kg_milestone *m, void *ms)
{
	return out_milestones_add(ms, m);
}

/* Runs q and prints the result as a table (of what q->brief reads, each
 * row lent by the store straight into the table) or {"as_of",
 * "milestones"}. */
static int
print_listing(struct cli *cli, struct kg_store *st, struct kg_query *q)
{
	struct kg_milestone_list l = {0};
	struct out_milestones *ms = NULL;
	int rc = CLI_FAIL;

	if (cli->json) {
		if (kg_store_milestones(st, q, &l, &cli->err) < 0)
			goto out;
		if (out_json(cli->out, kg_listing_json(cli->today, &l)) < 0) {
			kg_err_set(&cli->err, "out of memory");
			goto out;
		}
		rc = CLI_OK;
		goto out;
	}
	q->brief = true;
	if ((ms = out_milestones_new(cli->today, out_columns())) == NULL) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	if (kg_store_milestones_each(st, q, add_table_row, ms, &cli->err) < 0)
		goto out;
	out_milestones_print(ms, cli->out, cli->color);
	rc = CLI_OK;
out:
	out_milestones_free(ms);
	kg_milestone_list_clear(&l);
	return rc;
}

static int
run_listing(struct cli *cli, int argc, char **argv, enum listing which)
{
	enum { OPT_DAYS = CLI_OPT_FIRST_FREE, OPT_UNTIL, OPT_GONE, OPT_NO_GONE };
#define GONE_OPTIONS \
	{"gone", no_argument, NULL, OPT_GONE}, \
	{"no-gone", no_argument, NULL, OPT_NO_GONE}
	static const struct option all_opts[] = {
		CLI_FILTER_OPTIONS,
		GONE_OPTIONS,
		{"days", required_argument, NULL, OPT_DAYS},
		{"until", required_argument, NULL, OPT_UNTIL},
		{NULL, 0, NULL, 0},
	};
	static const struct option filter_opts[] = {
		CLI_FILTER_OPTIONS, GONE_OPTIONS, {NULL, 0, NULL, 0},
	};
#undef GONE_OPTIONS
	struct kg_store *st = NULL;
	struct kg_query q;
	long days = 30;
	kg_day until = KG_DAY_NONE;
	bool days_given = false;
	int c, rc, gone = which == LIST_ALL ? -1 : 0;

	kg_query_init(&q);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", which == LIST_UPCOMING ? all_opts : filter_opts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_DAYS:
			if ((rc = cli_parse_int(cli, "--days", optarg, 0, 36500, &days)) != CLI_OK)
				goto out;
			days_given = true;
			break;
		case OPT_UNTIL:
			if ((rc = cli_parse_date(cli, optarg, &until)) != CLI_OK)
				goto out;
			break;
		case OPT_GONE:
		case OPT_NO_GONE:
			gone = c == OPT_GONE;
			break;
		default: /* a filter option, or an unknown one */
			if ((rc = cli_filter_option(cli, c, optarg, argv, &q.filter)) != CLI_OK)
				goto out;
		}
	}
	if ((rc = cli_no_args(cli, argc, argv)) != CLI_OK)
		goto out;
	if (days_given && until != KG_DAY_NONE) {
		rc = cli_usage(cli, "--days and --until exclude each other");
		goto out;
	}
	/* upcoming and overdue are about open milestones, unless a status is asked */
	q.open_only = which != LIST_ALL && q.filter.statuses.n == 0;
	q.gone = gone;
	if (which == LIST_UPCOMING) {
		q.due_from = cli->today;
		q.due_to = until != KG_DAY_NONE ? until : cli->today + (kg_day)days;
	} else if (which == LIST_OVERDUE) {
		q.due_to = cli->today - 1;
	}
	/* a due window is a few pages; the others reach back to the oldest */
	if ((rc = cli_open_store(cli, KG_STORE_READONLY |
	    (which == LIST_UPCOMING ? KG_STORE_SMALL_CACHE : KG_STORE_MAPPED), &st)) != CLI_OK)
		goto out;
	rc = print_listing(cli, st, &q);
out:
	kg_store_close(st);
	kg_filter_clear(&q.filter);
	return rc;
}

int
cmd_list(struct cli *cli, int argc, char **argv)
{
	return run_listing(cli, argc, argv, LIST_ALL);
}

int
cmd_upcoming(struct cli *cli, int argc, char **argv)
{
	return run_listing(cli, argc, argv, LIST_UPCOMING);
}

int
cmd_overdue(struct cli *cli, int argc, char **argv)
{
	return run_listing(cli, argc, argv, LIST_OVERDUE);
}

/* Parses a command that takes exactly one ID and no options. */
static int
one_id(struct cli *cli, int argc, char **argv, const char **id)
{
	int rc = cli_no_options(cli, argc, argv);

	return rc != CLI_OK ? rc : cli_one_arg(cli, argc, argv, "ID", id);
}

static void
show_line(FILE *f, const char *label, const char *value)
{
	if (value != NULL && value[0] != '\0')
		fprintf(f, "%-10s %s\n", label, value);
}

/* How firmly the report commits, in its own word: "予定 (planned)"; NULL
 * for none. */
static const char *
certainty_label(enum kg_certainty c)
{
	static const char *const labels[KG_CERT_COUNT] = {
		[KG_CERT_PLANNED] = "予定 (planned)",
		[KG_CERT_EXPECTED] = "見込み (expected)",
		[KG_CERT_TARGET] = "目途 (target)",
	};

	return (unsigned)c < KG_CERT_COUNT ? labels[c] : NULL;
}

static void
show_milestone(struct cli *cli, const struct kg_milestone *m)
{
	char buf[1024], a[KG_DATE_LEN], b[KG_DATE_LEN], when[64];
	size_t i, used = 0;
	FILE *f = cli->out;

	snprintf(buf, sizeof(buf), "%lld", (long long)m->id);
	show_line(f, "id", buf);
	show_line(f, "uid", m->uid);
	show_line(f, "title", m->title);
	show_line(f, "kind", kg_kind_name(m->kind));
	show_line(f, "status", kg_status_name(m->status));
	show_line(f, "certainty", certainty_label(m->certainty));
	snprintf(buf, sizeof(buf), "%s .. %s (%s)", kg_date_format(m->window_start, a),
	    m->window_end == KG_DAY_NONE ? "open" : kg_date_format(m->window_end, b),
	    kg_precision_name(m->precision));
	show_line(f, "window", buf);
	out_relative(when, sizeof(when), m, cli->today);
	snprintf(buf, sizeof(buf), "%s, %s", m->window_end == KG_DAY_NONE ? "none" :
	    kg_date_format(m->window_end, a), when);
	show_line(f, "due", buf);
	if (m->uncertain) {
		kg_snprintf(buf, sizeof(buf), "yes%s%s", m->uncertain_reason ? ": " : "",
		    m->uncertain_reason ? m->uncertain_reason : "");
		show_line(f, "uncertain", buf);
	}
	if (m->measure_id != 0) {
		kg_snprintf(buf, sizeof(buf), "%lld %s", (long long)m->measure_id,
		    m->measure_title ? m->measure_title : "");
		show_line(f, "measure", buf);
	}
	buf[0] = '\0';
	for (i = 0; i < m->owners.n; i++)
		used += kg_snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? ", " : "",
		    m->owners.v[i]);
	show_line(f, "owners", buf);
	show_line(f, "expr", m->expr);
	if (m->document_id != 0) {
		used = (size_t)snprintf(buf, sizeof(buf), "document %lld, line %d",
		    (long long)m->document_id, m->line);
		if (m->page > 0 && used < sizeof(buf))
			snprintf(buf + used, sizeof(buf) - used, ", page %d", m->page);
		show_line(f, "source", buf);
	}
	show_line(f, "sentence", m->sentence);
	if (m->document_id == 0) {
		show_line(f, "edited", "by hand: added with kigen add");
	} else if (m->local_mask != 0) {
		used = (size_t)snprintf(buf, sizeof(buf), "by hand: ");
		out_local_fields(buf + used, sizeof(buf) - used, m->local_mask);
		show_line(f, "edited", buf);
	}
	if (m->conflict)
		show_line(f, "conflict", "a report imported after the edit disagrees "
		    "(kigen conflicts)");
	if (m->gone)
		show_line(f, "gone", "the newest report of its plan no longer lists it");
	snprintf(buf, sizeof(buf), "%lld", (long long)m->sequence);
	show_line(f, "sequence", buf);
}

int
cmd_show(struct cli *cli, int argc, char **argv)
{
	struct kg_store *st = NULL;
	struct kg_milestone m = {0};
	const char *id;
	int rc;

	if ((rc = one_id(cli, argc, argv, &id)) != CLI_OK)
		return rc;
	if ((rc = cli_open_store(cli, KG_STORE_READONLY | KG_STORE_SMALL_CACHE, &st)) != CLI_OK)
		goto out;
	rc = CLI_FAIL;
	if (kg_store_milestone_get(st, id, &m, &cli->err) < 0)
		goto out;
	if (cli->json) {
		if (out_json(cli->out, kg_milestone_json(&m)) < 0) {
			kg_err_set(&cli->err, "out of memory");
			goto out;
		}
	} else {
		show_milestone(cli, &m);
	}
	rc = CLI_OK;
out:
	kg_milestone_clear(&m);
	kg_store_close(st);
	return rc;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	struct kg_store *st = NULL;
	struct kg_document_list docs = {0};
	struct kg_measure_list measures = {0};
	struct kg_milestone_list milestones = {0};
	struct kg_query q;
	int rc;

	kg_query_init(&q);
	q.order = KG_ORDER_ID;
	if ((rc = cli_no_options(cli, argc, argv)) != CLI_OK ||
	    (rc = cli_no_args(cli, argc, argv)) != CLI_OK ||
	    (rc = cli_open_store(cli, KG_STORE_READONLY | KG_STORE_MAPPED, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (kg_store_documents(st, &docs, &cli->err) < 0 ||
	    kg_store_measures(st, &measures, &cli->err) < 0 ||
	    kg_store_milestones(st, &q, &milestones, &cli->err) < 0)
		goto out;
	if (out_json(cli->out, kg_export_json(docs.v, docs.n, &measures, &milestones)) < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	kg_document_list_clear(&docs);
	kg_measure_list_clear(&measures);
	kg_milestone_list_clear(&milestones);
	kg_store_close(st);
	return rc;
}

/* A deadline for a change table: the date, or "open". */
static const char *
due_text(kg_day d, char buf[KG_DATE_LEN])
{
	return d == KG_DAY_NONE ? "open" : kg_date_format(d, buf);
}

/* Prints changes as JSON ({"changes": [...]}) or as a table.  titles (may be
 * NULL) gives a title per change for the slipped view. */
static int
print_changes(struct cli *cli, const struct kg_change_list *l, const char *const *titles)
{
	static const char *const headers[] = {"DATE", "REASON", "DUE", "STATUS", "SLIP", "TITLE"};
	static const size_t max_width[] = {0, 40, 0, 0, 0, 40};
	struct out_table *t = NULL;
	json_t *arr, *o;
	char date[KG_DATE_LEN], a[KG_DATE_LEN], b[KG_DATE_LEN], due[40], status[40], slip[32];
	const char *cells[6];
	size_t i;
	int rc = CLI_FAIL;

	if (cli->json) {
		arr = json_array();
		for (i = 0; i < l->n && arr != NULL; i++)
			if (json_array_append_new(arr, kg_change_json(&l->v[i])) < 0) {
				json_decref(arr);
				arr = NULL;
			}
		o = arr ? json_pack("{so}", "changes", arr) : NULL;
		if (out_json(cli->out, o) < 0)
			goto nomem;
		return CLI_OK;
	}
	if (l->n == 0) {
		fprintf(cli->out, "no changes\n");
		return CLI_OK;
	}
	if ((t = out_table_new(titles ? 6 : 5, headers, max_width)) == NULL)
		goto nomem;
	for (i = 0; i < l->n; i++) {
		const struct kg_change *ch = &l->v[i];
		bool moved = !ch->created && ch->old_end != ch->new_end;

		/* slips are dated by the edition that says so, changes by when */
		kg_date_format(titles != NULL && ch->as_of != KG_DAY_NONE ? ch->as_of :
		    kg_zone_day_of_time(cli->conf.zone, ch->at), date);
		if (moved)
			snprintf(due, sizeof(due), "%s -> %s", due_text(ch->old_end, a),
			    due_text(ch->new_end, b));
		else
			snprintf(due, sizeof(due), "%s", due_text(ch->new_end, a));
		if (!ch->created && ch->old_status != ch->new_status)
			snprintf(status, sizeof(status), "%s -> %s", kg_status_name(ch->old_status),
			    kg_status_name(ch->new_status));
		else
			snprintf(status, sizeof(status), "%s", kg_status_name(ch->new_status));
		slip[0] = '\0';
		if (moved && ch->old_end != KG_DAY_NONE && ch->new_end != KG_DAY_NONE)
			snprintf(slip, sizeof(slip), "%+d days", (int)(ch->new_end - ch->old_end));
		cells[0] = date;
		cells[1] = ch->created ? "created" : ch->reason;
		cells[2] = due;
		cells[3] = status;
		cells[4] = slip;
		cells[5] = titles ? titles[i] : NULL;
		if (out_table_add(t, cells, NULL) < 0)
			goto nomem;
	}
	out_table_print(t, cli->out, cli->color);
	rc = CLI_OK;
	goto out;
nomem:
	kg_err_set(&cli->err, "out of memory");
out:
	out_table_free(t);
	return rc;
}

int
cmd_history(struct cli *cli, int argc, char **argv)
{
	struct kg_store *st = NULL;
	struct kg_milestone m = {0};
	struct kg_change_list l = {0};
	const char *id;
	int rc;

	if ((rc = one_id(cli, argc, argv, &id)) != CLI_OK)
		return rc;
	if ((rc = cli_open_store(cli, KG_STORE_READONLY | KG_STORE_SMALL_CACHE, &st)) != CLI_OK)
		goto out;
	rc = CLI_FAIL;
	if (kg_store_milestone_get(st, id, &m, &cli->err) < 0 ||
	    kg_store_history(st, m.id, &l, &cli->err) < 0)
		goto out;
	if (!cli->json)
		fprintf(cli->out, "%lld %s\n", (long long)m.id, m.title);
	rc = print_changes(cli, &l, NULL);
out:
	kg_change_list_clear(&l);
	kg_milestone_clear(&m);
	kg_store_close(st);
	return rc;
}

int
cmd_slipped(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"since", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct kg_store *st = NULL;
	struct kg_document doc = {0};
	struct kg_change_list l = {0};
	struct kg_milestone m = {0};
	const char *since = NULL;
	char **titles = NULL, ref[24];
	size_t i;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 's')
			return cli_bad_option(cli, c, argv);
		since = optarg;
	}
	if ((rc = cli_no_args(cli, argc, argv)) != CLI_OK ||
	    (rc = cli_open_store(cli, KG_STORE_READONLY | KG_STORE_MAPPED, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (since != NULL && kg_store_document_get(st, since, &doc, &cli->err) < 0)
		goto out;
	if (kg_store_slipped(st, doc.id, &l, &cli->err) < 0)
		goto out;
	if ((titles = calloc(l.n + 1, sizeof(*titles))) == NULL) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	for (i = 0; i < l.n && !cli->json; i++) {
		snprintf(ref, sizeof(ref), "%lld", (long long)l.v[i].milestone_id);
		if (kg_store_milestone_get(st, ref, &m, &cli->err) < 0)
			goto out;
		if (asprintf(&titles[i], "%s %s", ref, m.title) < 0) {
			titles[i] = NULL;
			kg_err_set(&cli->err, "out of memory");
			goto out;
		}
		kg_milestone_clear(&m);
	}
	rc = print_changes(cli, &l, (const char *const *)titles);
out:
	for (i = 0; titles != NULL && i < l.n; i++)
		free(titles[i]);
	free(titles);
	kg_milestone_clear(&m);
	kg_change_list_clear(&l);
	kg_document_clear(&doc);
	kg_store_close(st);
	return rc;
}
