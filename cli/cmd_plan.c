/*
 * cmd_plan — the commands about plans: imports (every imported version of
 * every edition), unimport (take one back), conflicts (where a report and
 * a local edit disagree), resolve (settle one), measures and owners (what
 * the plans hold, with counts).  The rules are the store's (store.h,
 * docs/ARCHITECTURE.md "Editions").
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "output.h"
#include "store.h"

const char cmd_imports_usage[] =
    "imports [--all]\n\n"
    "The imported documents, oldest first: id, plan, as-of date, file name, when\n"
    "imported (local time), whether it stands for its edition, and what its\n"
    "import did to milestones (new, changed, gone).  Documents of one plan with\n"
    "the same as-of date are versions of one edition: the one imported last\n"
    "stands.  Unimported ones are left out unless --all.\n\n"
    "  --all            also the documents taken back with 'kigen unimport'\n";

const char cmd_unimport_usage[] =
    "unimport ID [--dry-run]\n\n"
    "Take back import ID (see 'kigen imports'): the milestones are recomputed as\n"
    "if it had never been imported — the version it replaced stands again, the\n"
    "milestones only it mentioned are no longer listed, the others take what\n"
    "the remaining editions say (their SEQUENCE grows, so calendars see it).\n"
    "Ids are never reused; importing the same file again brings it back.\n\n"
    "  --dry-run        change nothing; print what would change\n";

const char cmd_conflicts_usage[] =
    "conflicts\n\n"
    "Milestones where a report imported after a local edit (done, edit, rm,\n"
    "reopen) disagrees with it: the local value stands until you resolve it.\n"
    "Each line shows the field, the local value and the report's, and which\n"
    "report says so.\n";

const char cmd_resolve_usage[] =
    "resolve ID --keep-local | --take-report\n\n"
    "Settle the conflict of milestone ID: --keep-local keeps the local values\n"
    "(until a later report disagrees again), --take-report takes the report's\n"
    "values for the fields it disagrees on.\n\n"
    "  --keep-local     the local edit stands\n"
    "  --take-report    the report stands\n";

/* ---- imports ---- */

static const char *
standing_word(const struct kg_document *d)
{
	return d->removed_at != 0 ? "removed" : d->standing ? "yes" : "replaced";
}

static json_t *
import_json(const struct kg_document *d)
{
	json_t *o = kg_document_json(d);

	if (o != NULL && json_object_update_new(o, json_pack("{s:s, s:s, s:I, s:I, s:I}",
	    "plan", d->plan ? d->plan : "", "stands", standing_word(d),
	    "milestones_new", (json_int_t)d->n_new,
	    "milestones_changed", (json_int_t)d->n_changed,
	    "milestones_gone", (json_int_t)d->n_gone)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
print_imports(struct cli *cli, const struct kg_document_list *l, bool all)
{
	static const char *const headers[] = {
		"ID", "PLAN", "AS OF", "FILE", "IMPORTED", "STANDS", "NEW", "CHANGED", "GONE",
	};
	struct out_table *t;
	char id[24], as_of[KG_DATE_LEN], when[24], n[3][16];
	const char *cells[9];
	size_t i, shown = 0;
	int rc = -1;

	if ((t = out_table_new(9, headers, NULL)) == NULL)
		return -1;
	out_table_fit(t, out_columns(), 1u << 1 | 1u << 3, 0);
	for (i = 0; i < l->n; i++) {
		const struct kg_document *d = &l->v[i];

		if (d->removed_at != 0 && !all)
			continue;
		snprintf(id, sizeof(id), "%lld", (long long)d->id);
		out_local_time(when, d->imported_at, cli->conf.zone);
		snprintf(n[0], sizeof(n[0]), "%d", d->n_new);
		snprintf(n[1], sizeof(n[1]), "%d", d->n_changed);
		snprintf(n[2], sizeof(n[2]), "%d", d->n_gone);
		cells[0] = id;
		cells[1] = d->plan;
		cells[2] = kg_date_format(d->as_of, as_of);
		cells[3] = d->name;
		cells[4] = when;
		cells[5] = standing_word(d);
		cells[6] = n[0];
		cells[7] = n[1];
		cells[8] = n[2];
		if (out_table_add(t, cells, d->removed_at != 0 ? "2" : NULL) < 0)
			goto out;
		shown++;
	}
	if (shown == 0)
		fprintf(cli->out, "no imports\n");
	else
		out_table_print(t, cli->out, cli->color);
	rc = 0;
out:
	out_table_free(t);
	return rc;
}

int
cmd_imports(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	struct kg_document_list l = {0};
	struct kg_store *st = NULL;
	json_t *arr;
	bool all = false;
	size_t i;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 'a')
			return cli_bad_option(cli, c, argv);
		all = true;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_store(cli, KG_STORE_READONLY | KG_STORE_MAPPED, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (kg_store_documents(st, &l, &cli->err) < 0)
		goto out;
	if (cli->json) {
		arr = json_array();
		for (i = 0; i < l.n && arr != NULL; i++)
			if ((l.v[i].removed_at == 0 || all) &&
			    json_array_append_new(arr, import_json(&l.v[i])) < 0) {
				json_decref(arr);
				arr = NULL;
			}
		if (out_json(cli->out, arr ? json_pack("{so}", "imports", arr) : NULL) < 0)
			goto nomem;
	} else if (print_imports(cli, &l, all) < 0) {
		goto nomem;
	}
	rc = CLI_OK;
	goto out;
nomem:
	kg_err_set(&cli->err, "out of memory");
out:
	kg_document_list_clear(&l);
	kg_store_close(st);
	return rc;
}

/* ---- unimport ---- */

/* An ID argument: a positive integer, else a usage error naming it. */
static int
id_arg(struct cli *cli, const char *s, int64_t *out)
{
	long v;

	if (cli_parse_int(cli, "ID", s, 1, LONG_MAX, &v) != CLI_OK)
		return cli_usage(cli, "invalid ID '%s' (a number, see 'kigen imports')", s);
	*out = v;
	return CLI_OK;
}

static json_t *
unimport_json(const struct kg_import_result *r, int64_t id, bool dry)
{
	json_t *o = json_pack("{s:b, s:I, s:s, s:I}", "dry_run", dry, "document_id",
	    (json_int_t)id, "plan", r->plan ? r->plan : "", "conflicts_open",
	    (json_int_t)r->conflicts_open);

	if (o != NULL && out_changes_json(o, r) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
print_unimport(struct cli *cli, const struct kg_import_result *r, int64_t id, bool dry)
{
	size_t n[KG_CH_COUNT];

	out_change_counts(r, n);
	fprintf(cli->out, "%s import %lld (plan %s): ", dry ? "dry run, nothing written:" :
	    "took back", (long long)id, r->plan ? r->plan : "");
	out_changes_line(cli->out, n);
	out_conflicts_open(cli->out, r);
	return out_changes_table(cli->out, r, cli->color);
}

int
cmd_unimport(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct kg_import_result r = {0};
	struct kg_store *st = NULL;
	const char *ref;
	bool dry = false;
	int64_t id = 0;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 'n')
			return cli_bad_option(cli, c, argv);
		dry = true;
	}
	if ((rc = cli_one_arg(cli, argc, argv, "ID", &ref)) != CLI_OK ||
	    (rc = id_arg(cli, ref, &id)) != CLI_OK)
		return rc;
	if ((rc = cli_open_store(cli, 0, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (kg_store_unimport(st, id, dry, &r, &cli->err) < 0)
		goto out;
	if ((cli->json ? out_json(cli->out, unimport_json(&r, id, dry)) :
	    print_unimport(cli, &r, id, dry)) < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	kg_import_result_clear(&r);
	kg_store_close(st);
	return rc;
}

/* A command without options or arguments that reads the database: open
 * it read-only and hand it to show (which prints, JSON or table). */
static int
read_only_listing(struct cli *cli, int argc, char **argv,
    int (*show)(struct cli *cli, struct kg_store *st))
{
	struct kg_store *st = NULL;
	int rc;

	if ((rc = cli_no_options(cli, argc, argv)) != CLI_OK)
		return rc;
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_store(cli, KG_STORE_READONLY | KG_STORE_MAPPED, &st)) != CLI_OK)
		return rc;
	rc = show(cli, st);
	kg_store_close(st);
	return rc;
}

/* The JSON object {key: [each of n items]}; NULL on ENOMEM. */
static json_t *
json_list(const char *key, size_t n, json_t *(*item)(const void *ctx, size_t i),
    const void *ctx)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n && arr != NULL; i++)
		if (json_array_append_new(arr, item(ctx, i)) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	return arr ? json_pack("{so}", key, arr) : NULL;
}

/* ---- conflicts and resolve ---- */

/* The value of field bit of m, as text. */
static void
field_text(char *buf, size_t len, const struct kg_milestone *m, unsigned bit)
{
	char a[KG_DATE_LEN], b[KG_DATE_LEN];

	switch (bit) {
	case KG_LOCAL_TITLE:
		snprintf(buf, len, "%s", m->title ? m->title : "");
		break;
	case KG_LOCAL_KIND:
		snprintf(buf, len, "%s", kg_kind_name(m->kind));
		break;
	case KG_LOCAL_STATUS:
		snprintf(buf, len, "%s", kg_status_name(m->status));
		break;
	case KG_LOCAL_WINDOW:
		snprintf(buf, len, "%s..%s", kg_date_format(m->window_start, a),
		    kg_date_format(m->window_end, b));
		break;
	default:
		snprintf(buf, len, "%lld", (long long)m->measure_id);
	}
}

static json_t *
conflict_json(const void *ctx, size_t i)
{
	const struct kg_conflict *c = &((const struct kg_conflict_list *)ctx)->v[i];
	json_t *fields = json_array();
	char as_of[KG_DATE_LEN];
	unsigned bit;

	for (bit = 1; bit & KG_LOCAL_ALL && fields != NULL; bit <<= 1)
		if ((c->fields & bit) && json_array_append_new(fields,
		    json_string(kg_local_field_name(bit))) < 0) {
			json_decref(fields);
			fields = NULL;
		}
	return json_pack("{s:o, s:o, s:o, s:s?, s:o}", "milestone", kg_milestone_json(&c->local),
	    "report", kg_milestone_json(&c->report), "fields", fields,
	    "document", c->document, "as_of", c->as_of == KG_DAY_NONE ? json_null() :
	    json_string(kg_date_format(c->as_of, as_of)));
}

static int
print_conflicts(struct cli *cli, const struct kg_conflict_list *l)
{
	static const char *const headers[] = {"ID", "TITLE", "FIELD", "LOCAL", "REPORT", "SAYS"};
	struct out_table *t;
	char id[24], local[256], report[256], says[320], as_of[KG_DATE_LEN];
	const char *cells[6];
	unsigned bit;
	size_t i;
	int rc = -1;

	if (l->n == 0) {
		fprintf(cli->out, "no conflicts\n");
		return 0;
	}
	if ((t = out_table_new(6, headers, NULL)) == NULL)
		return -1;
	out_table_fit(t, out_columns(), 1u << 3 | 1u << 4 | 1u << 5, 1u << 1);
	for (i = 0; i < l->n; i++) {
		const struct kg_conflict *c = &l->v[i];

		snprintf(id, sizeof(id), "%lld", (long long)c->local.id);
		snprintf(says, sizeof(says), "%s (as of %s)", c->document ? c->document : "?",
		    kg_date_format(c->as_of, as_of));
		for (bit = 1; bit & KG_LOCAL_ALL; bit <<= 1) {
			if (!(c->fields & bit))
				continue;
			field_text(local, sizeof(local), &c->local, bit);
			field_text(report, sizeof(report), &c->report, bit);
			cells[0] = id;
			cells[1] = c->local.title;
			cells[2] = kg_local_field_name(bit);
			cells[3] = local;
			cells[4] = report;
			cells[5] = says;
			if (out_table_add(t, cells, NULL) < 0)
				goto out;
		}
	}
	out_table_print(t, cli->out, cli->color);
	fprintf(cli->out, "settle one with 'kigen resolve ID --keep-local' or "
	    "'--take-report'\n");
	rc = 0;
out:
	out_table_free(t);
	return rc;
}

static int
show_conflicts(struct cli *cli, struct kg_store *st)
{
	struct kg_conflict_list l = {0};
	int rc = CLI_FAIL;

	if (kg_store_conflicts(st, &l, &cli->err) < 0)
		goto out;
	if ((cli->json ? out_json(cli->out, json_list("conflicts", l.n, conflict_json, &l)) :
	    print_conflicts(cli, &l)) < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	kg_conflict_list_clear(&l);
	return rc;
}

int
cmd_conflicts(struct cli *cli, int argc, char **argv)
{
	return read_only_listing(cli, argc, argv, show_conflicts);
}

int
cmd_resolve(struct cli *cli, int argc, char **argv)
{
	enum { KEEP = 1, TAKE };
	static const struct option opts[] = {
		{"keep-local", no_argument, NULL, KEEP},
		{"take-report", no_argument, NULL, TAKE},
		{NULL, 0, NULL, 0},
	};
	struct kg_store *st = NULL;
	struct kg_milestone m = {0};
	const char *ref;
	int c, rc, how = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != KEEP && c != TAKE)
			return cli_bad_option(cli, c, argv);
		if (how != 0 && how != c)
			return cli_usage(cli, "--keep-local and --take-report exclude each other");
		how = c;
	}
	if ((rc = cli_one_arg(cli, argc, argv, "ID", &ref)) != CLI_OK)
		return rc;
	if (how == 0)
		return cli_usage(cli, "missing --keep-local or --take-report");
	if ((rc = cli_open_store(cli, 0, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (kg_store_milestone_get(st, ref, &m, &cli->err) < 0 ||
	    kg_store_resolve(st, m.id, how == KEEP, &cli->err) < 0)
		goto out;
	rc = cli_print_milestone(cli, st, m.id, "resolved");
out:
	kg_milestone_clear(&m);
	kg_store_close(st);
	return rc;
}

/* ---- measures and owners ---- */

static json_t *
counts_json(json_t *o, const struct kg_counts *c)
{
	if (o != NULL && json_object_update_new(o, json_pack("{s:I, s:I, s:I, s:I}",
	    "milestones", (json_int_t)c->milestones, "open", (json_int_t)c->open,
	    "done", (json_int_t)c->done, "gone", (json_int_t)c->gone)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The count cells MILESTONES, OPEN, DONE, GONE of c into n[4][16]. */
static void
count_cells(char n[4][16], const struct kg_counts *c, const char **cells)
{
	snprintf(n[0], 16, "%zu", c->milestones);
	snprintf(n[1], 16, "%zu", c->open);
	snprintf(n[2], 16, "%zu", c->done);
	snprintf(n[3], 16, "%zu", c->gone);
	cells[0] = n[0];
	cells[1] = n[1];
	cells[2] = n[2];
	cells[3] = n[3];
}

const char cmd_measures_usage[] =
    "measures\n\n"
    "The measures (施策) the imported documents list, by id: plan, title,\n"
    "responsible bodies, and how many milestones each has (open: planned or\n"
    "ongoing and not gone).  Use an id with --measure on list, upcoming and\n"
    "overdue.\n";

const char cmd_owners_usage[] =
    "owners\n\n"
    "The responsible bodies the measures name (as printed), most milestones\n"
    "first: how many measures and milestones each has (open: planned or ongoing\n"
    "and not gone).  Use a name with --owner on list, upcoming and overdue.\n";

static int
print_measures(struct cli *cli, const struct kg_measure_list *ml,
    const struct kg_measure_counts *mc)
{
	static const char *const headers[] = {
		"ID", "PLAN", "TITLE", "OWNERS", "MILESTONES", "OPEN", "DONE", "GONE",
	};
	struct out_table *t;
	char id[24], owners[512], n[4][16];
	const char *cells[8];
	size_t i, j, used;
	int rc = -1;

	if (ml->n == 0) {
		fprintf(cli->out, "no measures\n");
		return 0;
	}
	if ((t = out_table_new(8, headers, NULL)) == NULL)
		return -1;
	out_table_fit(t, out_columns(), 1u << 1 | 1u << 3, 1u << 2);
	for (i = 0; i < ml->n; i++) {
		const struct kg_measure *m = &ml->v[i];

		snprintf(id, sizeof(id), "%lld", (long long)m->id);
		owners[0] = '\0';
		for (j = used = 0; j < m->owners.n && used < sizeof(owners); j++)
			used += (size_t)snprintf(owners + used, sizeof(owners) - used, "%s%s",
			    j ? ", " : "", m->owners.v[j]);
		cells[0] = id;
		cells[1] = m->plan ? m->plan : "(by hand)";
		cells[2] = m->title;
		cells[3] = owners;
		count_cells(n, kg_measure_counts_of(mc, m->id), cells + 4);
		if (out_table_add(t, cells, NULL) < 0)
			goto out;
	}
	out_table_print(t, cli->out, cli->color);
	rc = 0;
out:
	out_table_free(t);
	return rc;
}

struct measures {
	struct kg_measure_list ml;
	struct kg_measure_counts mc;
};

static json_t *
measure_json(const void *ctx, size_t i)
{
	const struct measures *m = ctx;

	return counts_json(kg_measure_json(&m->ml.v[i]), kg_measure_counts_of(&m->mc,
	    m->ml.v[i].id));
}

static int
show_measures(struct cli *cli, struct kg_store *st)
{
	struct measures m = {0};
	int rc = CLI_FAIL;

	if (kg_store_measures(st, &m.ml, &cli->err) < 0 ||
	    kg_store_measure_counts(st, &m.mc, &cli->err) < 0)
		goto out;
	if ((cli->json ? out_json(cli->out, json_list("measures", m.ml.n, measure_json, &m)) :
	    print_measures(cli, &m.ml, &m.mc)) < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	kg_measure_list_clear(&m.ml);
	kg_measure_counts_clear(&m.mc);
	return rc;
}

int
cmd_measures(struct cli *cli, int argc, char **argv)
{
	return read_only_listing(cli, argc, argv, show_measures);
}

static int
print_owners(struct cli *cli, const struct kg_owner_list *l)
{
	static const char *const headers[] = {
		"OWNER", "MEASURES", "MILESTONES", "OPEN", "DONE", "GONE",
	};
	struct out_table *t;
	char measures[16], n[4][16];
	const char *cells[6];
	size_t i;
	int rc = -1;

	if (l->n == 0) {
		fprintf(cli->out, "no owners\n");
		return 0;
	}
	if ((t = out_table_new(6, headers, NULL)) == NULL)
		return -1;
	out_table_fit(t, out_columns(), 1u << 0, 0);
	for (i = 0; i < l->n; i++) {
		snprintf(measures, sizeof(measures), "%zu", l->v[i].measures);
		cells[0] = l->v[i].owner;
		cells[1] = measures;
		count_cells(n, &l->v[i].c, cells + 2);
		if (out_table_add(t, cells, NULL) < 0)
			goto out;
	}
	out_table_print(t, cli->out, cli->color);
	rc = 0;
out:
	out_table_free(t);
	return rc;
}

static json_t *
owner_json(const void *ctx, size_t i)
{
	const struct kg_owner_count *o = &((const struct kg_owner_list *)ctx)->v[i];

	return counts_json(json_pack("{s:s, s:I}", "owner", o->owner, "measures",
	    (json_int_t)o->measures), &o->c);
}

static int
show_owners(struct cli *cli, struct kg_store *st)
{
	struct kg_owner_list l = {0};
	int rc = CLI_FAIL;

	if (kg_store_owners(st, &l, &cli->err) < 0)
		goto out;
	if ((cli->json ? out_json(cli->out, json_list("owners", l.n, owner_json, &l)) :
	    print_owners(cli, &l)) < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	kg_owner_list_clear(&l);
	return rc;
}

int
cmd_owners(struct cli *cli, int argc, char **argv)
{
	return read_only_listing(cli, argc, argv, show_owners);
}
