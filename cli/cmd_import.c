/*
 * cmd_import — `kigen import FILE`: parse a plan document (report.h) and
 * import it as a version of an edition of its plan (kg_store_import), or
 * with --dry-run only show what would be new, changed, unchanged, gone or
 * in conflict.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "explain.h"
#include "export.h"
#include "layout.h"
#include "output.h"
#include "report.h"
#include "store.h"

const char cmd_import_usage[] =
    "import FILE [--encoding ENC] [--layout LAYOUT] [--dry-run | --explain]\n"
    "            [--allow-shrink]\n\n"
    "Import a plan document (plain text taken from the PDF): a progress report,\n"
    "an annual-plan table, a reform-plan table, a numbered-heading plan or a KPI\n"
    "table.  The encoding is detected (UTF-8, then CP932, then EUC-JP) and the\n"
    "layout recognised unless given; the document's as-of date is inferred from\n"
    "its text (a '…現在' date, the period in its title, the date of its decision,\n"
    "meeting or cover) unless --as-of gives it, and the summary says from which\n"
    "line.  Without either, import stops and asks for --as-of.\n\n"
    "Every import is kept as an edition of its plan (the plan is named in the\n"
    "title, the edition by its as-of date; see 'kigen imports').  For each\n"
    "milestone the newest edition that mentions it decides, whatever order the\n"
    "files come in: an older edition adds history only; a milestone the newest\n"
    "edition no longer lists is gone (and comes back if a later one lists it).\n"
    "A second file of the same edition replaces the first (a correction); one\n"
    "that would make more than 20 % of the edition's milestones or measures gone,\n"
    "or drop some while adding nothing (a truncated copy), is refused unless\n"
    "--allow-shrink.  Importing a file again makes it stand again.  Fields\n"
    "edited by hand win; a report imported later that disagrees opens a\n"
    "conflict (see 'kigen conflicts').\n\n"
    "  --encoding ENC   utf-8, cp932 (shift_jis) or euc-jp\n"
    "  --layout LAYOUT  progress, annual-table, reform-table, numbered or kpi-table\n"
    "  --dry-run        change nothing; print what would change\n"
    "  --allow-shrink   take a version that drops many of its edition's milestones\n"
    "  --explain        change nothing; print what was understood: the layout, the\n"
    "                   as-of date and its line, each item with its owners, dated\n"
    "                   milestones and undated plans, and every date that is no\n"
    "                   milestone, with why\n";


/* "read as progress; as of 2008-09-30 from line 1 (…): <line>" */
static void
print_origin(FILE *f, const struct kg_import *imp)
{
	char as_of[KG_DATE_LEN];

	kg_date_format(imp->doc.as_of, as_of);
	if (imp->origin.as_of_line > 0)
		fprintf(f, "layout %s; as of %s from line %d (%s): %s\n", imp->origin.layout,
		    as_of, imp->origin.as_of_line, imp->origin.as_of_how, imp->origin.as_of_text);
	else
		fprintf(f, "layout %s; as of %s (%s)\n", imp->origin.layout, as_of,
		    imp->origin.as_of_how);
}

static json_t *
result_json(const struct kg_import *imp, const struct kg_import_result *r, bool dry_run)
{
	char as_of[KG_DATE_LEN];
	json_t *o;

	o = json_pack("{s:b, s:o, s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:I}",
	    "dry_run", dry_run,
	    "document_id", r->document_id ? json_integer(r->document_id) : json_null(),
	    "name", imp->doc.name ? imp->doc.name : "",
	    "plan", r->plan ? r->plan : "",
	    "as_of", kg_date_format(imp->doc.as_of, as_of),
	    "already_imported", r->already_imported,
	    "restood", r->restood,
	    "measures_new", (json_int_t)r->measures_new,
	    "measures_matched", (json_int_t)r->measures_matched,
	    "conflicts_open", (json_int_t)r->conflicts_open);
	if (o == NULL || out_changes_json(o, r) < 0 ||
	    json_object_set_new(o, "layout", json_string(imp->origin.layout)) < 0 ||
	    json_object_set_new(o, "as_of_from", explain_as_of_json(&imp->origin)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
print_result(struct cli *cli, const struct kg_import *imp, const struct kg_import_result *r,
    bool dry_run)
{
	char as_of[KG_DATE_LEN];
	size_t n[KG_CH_COUNT];

	out_change_counts(r, n);
	kg_date_format(imp->doc.as_of, as_of);
	if (r->already_imported && r->n == n[KG_CH_UNCHANGED]) {
		fprintf(cli->out, "%s (as of %s) was already imported: nothing changed\n",
		    imp->doc.name, as_of);
		out_conflicts_open(cli->out, r);
		return 0;
	}
	fprintf(cli->out, "%s%s (as of %s), plan %s%s: %zu measures (%zu new, %zu matched); ",
	    dry_run ? "dry run, nothing written: " : r->already_imported ? "re-imported " :
	    "imported ", imp->doc.name, as_of, r->plan ? r->plan : "",
	    r->restood ? ", stands again" : "",
	    r->measures_new + r->measures_matched, r->measures_new, r->measures_matched);
	out_changes_line(cli->out, n);
	print_origin(cli->out, imp);
	out_conflicts_open(cli->out, r);
	return out_changes_table(cli->out, r, cli->color);
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	enum {
		OPT_ENCODING = CLI_OPT_FIRST_FREE, OPT_DRY_RUN, OPT_LAYOUT, OPT_EXPLAIN,
		OPT_ALLOW_SHRINK
	};
	static const struct option opts[] = {
		{"encoding", required_argument, NULL, OPT_ENCODING},
		{"layout", required_argument, NULL, OPT_LAYOUT},
		{"explain", no_argument, NULL, OPT_EXPLAIN},
		{"dry-run", no_argument, NULL, OPT_DRY_RUN},
		{"allow-shrink", no_argument, NULL, OPT_ALLOW_SHRINK},
		{NULL, 0, NULL, 0},
	};
	struct kg_import_opts io = {0};
	struct kg_report_opts ro = {.as_of = cli->as_of_given ? cli->today : KG_DAY_NONE};
	struct kg_import imp = {0};
	struct kg_import_result res = {0};
	struct kg_store *st = NULL;
	const char *path = NULL;
	bool explain = false;
	int c, rc, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == OPT_ENCODING)
			ro.encoding = optarg;
		else if (c == OPT_DRY_RUN)
			io.dry_run = true;
		else if (c == OPT_ALLOW_SHRINK)
			io.allow_shrink = true;
		else if (c == OPT_EXPLAIN)
			explain = true;
		else if (c == OPT_LAYOUT && kg_layout_find(optarg, &cli->err) == NULL)
			return CLI_USAGE;
		else if (c == OPT_LAYOUT)
			ro.layout = optarg;
		else
			return cli_bad_option(cli, c, argv);
	}
	if ((rc = cli_one_arg(cli, argc, argv, "FILE", &path)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if ((r = kg_report_load(path, &ro, &imp, &cli->err)) < 0) {
		if (r == KG_REPORT_NO_AS_OF)
			rc = CLI_USAGE;
		goto out;
	}
	if (explain) {
		r = cli->json ? explain_json(cli->out, &imp, ro.layout != NULL) :
		    explain_print(cli->out, &imp, ro.layout != NULL);
		goto printed;
	}
	if (cli_open_store(cli, KG_STORE_CREATE, &st) != CLI_OK)
		goto out;
	if (kg_store_import(st, &imp, &io, &res, &cli->err) < 0)
		goto out;
	if (cli->json)
		r = out_json(cli->out, result_json(&imp, &res, io.dry_run));
	else
		r = print_result(cli, &imp, &res, io.dry_run);
printed:
	if (r < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	kg_import_result_clear(&res);
	kg_import_clear(&imp);
	kg_store_close(st);
	return rc;
}
