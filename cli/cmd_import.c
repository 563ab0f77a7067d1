/*
 * cmd_import — `kigen import FILE | URL | -`: read the document (a file,
 * a download by the kigen-fetch helper, standard input), parse it as a plan
 * document (document.h: a PDF made text by the kigen-pdftotext helper) and
 * import it as a version of an edition of its plan (kg_store_import), or
 * with --dry-run only show what would be new, changed, unchanged, gone or
 * in conflict.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"
#include "document.h"
#include "explain.h"
#include "export.h"
#include "layout.h"
#include "output.h"
#include "store.h"
#include "textio.h"

const char cmd_import_usage[] =
    "import FILE|URL|- [--encoding ENC] [--layout LAYOUT] [--dry-run | --explain]\n"
    "            [--allow-shrink]\n\n"
    "Import a plan document — a progress report, an annual-plan table, a\n"
    "reform-plan table, a numbered-heading plan or a KPI table — as the PDF\n"
    "itself or its text, from a file, an http(s) URL or standard input (-).  A\n"
    "PDF is known by its content, not its name, and read page by page; one that\n"
    "needs a password, is damaged or has no text layer (scanned) is refused.  A\n"
    "text's encoding is detected (UTF-8, then CP932, then EUC-JP) and the layout\n"
    "recognised unless given; the document's as-of date is inferred from\n"
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
    "  --encoding ENC   of a text: utf-8, cp932 (shift_jis) or euc-jp\n"
    "  --layout LAYOUT  progress, annual-table, reform-table, numbered or kpi-table\n"
    "  --dry-run        change nothing; print what would change\n"
    "  --allow-shrink   take a version that drops many of its edition's milestones\n"
    "  --explain        change nothing; print what was understood: the layout, the\n"
    "                   as-of date and its line, each item with its owners, dated\n"
    "                   milestones and undated plans, and every date that is no\n"
    "                   milestone, with why\n";


/* What was read, and from where. */
struct source {
	char *bytes;
	size_t len;
	char *name;          /* recorded as the document's name */
	const char *label;   /* how messages call it: the path, the URL, "stdin" */
	char *url;           /* a download: the URL as given, and its validators */
	char *etag;
	char *last_modified;
};

static void
source_clear(struct source *src)
{
	free(src->bytes);
	free(src->name);
	free(src->url);
	free(src->etag);
	free(src->last_modified);
	memset(src, 0, sizeof(*src));
}

static bool
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* A copy of the string member key of o, or NULL (null or absent). */
static int
meta_string(json_t *o, const char *key, char **out)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL && (*out = strdup(v)) == NULL ? -1 : 0;
}

/* Downloads url with the kigen-fetch helper. */
static int
read_url(struct cli *cli, const char *url, struct source *src)
{
	char *args[] = {(char *)url, NULL};
	struct cli_capture c;
	json_t *meta = NULL;
	int rc = CLI_FAIL;

	if (cli_helper_capture(cli, "kigen-fetch", args, NULL, 0, true, &c) != CLI_OK)
		goto out;
	if ((meta = json_loadb(c.meta, c.meta_len, 0, NULL)) == NULL) {
		kg_err_set(&cli->err, "kigen-fetch wrote no metadata for '%s'", url);
		goto out;
	}
	src->bytes = c.out;
	src->len = c.out_len;
	c.out = NULL;
	if ((src->name = kg_document_url_name(url)) == NULL || (src->url = strdup(url)) == NULL ||
	    meta_string(meta, "etag", &src->etag) < 0 ||
	    meta_string(meta, "last_modified", &src->last_modified) < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	json_decref(meta);
	cli_capture_clear(&c);
	return rc;
}

/* Reads the document FILE, URL or - (standard input) into src. */
static int
read_source(struct cli *cli, const char *arg, struct source *src)
{
	const char *base = strrchr(arg, '/');
	int fd = 0, r;

	src->label = arg;
	if (is_url(arg))
		return read_url(cli, arg, src);
	if (strcmp(arg, "-") == 0) {
		src->label = "stdin";
	} else if ((fd = open(arg, O_RDONLY | O_CLOEXEC)) < 0) {
		kg_err_set(&cli->err, "%s: %s", arg, strerror(errno));
		return CLI_FAIL;
	}
	r = kg_text_read_fd(fd, &src->bytes, &src->len, &cli->err);
	if (fd != 0)
		close(fd);
	if (r < 0) {
		kg_err_prefix(&cli->err, "%s", src->label);
		return CLI_FAIL;
	}
	if ((src->name = strdup(fd == 0 ? "stdin" : base ? base + 1 : arg)) == NULL) {
		kg_err_set(&cli->err, "out of memory");
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* kg_pdf_convert_fn: the text of a PDF, by the kigen-pdftotext helper. */
static int
pdf_to_text(void *arg, const char *pdf, size_t len, char **text, size_t *tlen,
    struct kg_err *err)
{
	struct cli *cli = arg;
	char *args[] = {NULL};
	struct cli_capture c;

	if (cli_helper_capture(cli, "kigen-pdftotext", args, pdf, len, false, &c) != CLI_OK) {
		cli_capture_clear(&c);
		return err == &cli->err ? -1 : kg_err_set(err, "%s", cli->err.msg);
	}
	*text = c.out;
	*tlen = c.out_len;
	return 0;
}

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
	if (imp->origin.controls > 0)
		fprintf(f, "%zu control character%s removed from the text (terminal escapes and "
		    "the like)\n", imp->origin.controls, imp->origin.controls == 1 ? "" : "s");
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
	    json_object_set_new(o, "uncertain", json_integer((json_int_t)imp->origin.uncertain)) < 0 ||
	    json_object_set_new(o, "as_of_from", explain_as_of_json(&imp->origin)) < 0 ||
	    json_object_set_new(o, "controls_removed",
	    json_integer((json_int_t)imp->origin.controls)) < 0) {
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
	if (imp->origin.uncertain > 0) /* never a silent guess: say how many */
		fprintf(cli->out, "%zu milestone%s uncertain: the text does not settle the date "
		    "(marked ? in 'kigen list', the reason in 'kigen show')\n", imp->origin.uncertain,
		    imp->origin.uncertain == 1 ? "" : "s");
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
	struct source src = {0};
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
	if (read_source(cli, path, &src) != CLI_OK)
		goto out;
	ro.name = src.name;
	if ((r = kg_document_parse(src.bytes, src.len, &ro, pdf_to_text, cli, &imp,
	    &cli->err)) < 0) {
		kg_err_prefix(&cli->err, "%s", src.label);
		if (r == KG_REPORT_NO_AS_OF)
			rc = CLI_USAGE;
		goto out;
	}
	/* a download: where it came from, and its validators */
	imp.doc.url = src.url;
	imp.doc.etag = src.etag;
	imp.doc.last_modified = src.last_modified;
	src.url = src.etag = src.last_modified = NULL;
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
	source_clear(&src);
	return rc;
}
