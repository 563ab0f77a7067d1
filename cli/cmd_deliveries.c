/*
 * cmd_deliveries — the webhook outbox from the command line: deliveries
 * (what was sent, what waits, what failed), redeliver (queue one again; the
 * daemon picks it up within a second), and the usage of `webhook test NAME`
 * (one signed webhook.test event sent right now, the receiver's answer
 * printed), which runs in the helper kigen-webhook (helper_webhook.c).
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "export.h"
#include "outbox.h"
#include "output.h"
#include "store.h"
#include "utf8.h"

const char cmd_deliveries_usage[] =
    "deliveries [--failed | --pending] [--limit N]\n\n"
    "Webhook deliveries, newest first: endpoint, reminder (lead days and\n"
    "deadline), status (pending, in_flight, delivered, failed, abandoned,\n"
    "cancelled), attempts, the last HTTP status or error.  Times are local.\n"
    "A reminder is cancelled when its milestone is no longer due with that\n"
    "deadline: done, cancelled, moved, or gone from its plan's newest report.\n\n"
    "  --failed         only failed and abandoned ones\n"
    "  --pending        only those still to be sent (pending, in_flight)\n"
    "  --limit N        at most N rows (default 100; 0 = all)\n";

const char cmd_redeliver_usage[] =
    "redeliver ID\n\n"
    "Queues delivery ID (see `kigen deliveries`) again with a fresh round of\n"
    "attempts and the same webhook-id, so receivers can still dedupe.  A\n"
    "running kigend sends it within a second.  An endpoint that answered 410\n"
    "is unblocked by this.\n";

const char cmd_webhook_usage[] =
    "webhook test NAME\n\n"
    "Sends a signed webhook.test event to [webhook:NAME] now (not through the\n"
    "outbox) and prints the receiver's HTTP status and answer.  Fails unless\n"
    "the answer is 2xx.\n";


static int
print_json(struct cli *cli, const struct kg_delivery_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < l->n; i++)
		if (json_array_append_new(a, kg_delivery_json(&l->v[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	return out_json(cli->out, a ? json_pack("{s:o}", "deliveries", a) : NULL);
}

static int
print_table(struct cli *cli, const struct kg_delivery_list *l)
{
	static const char *const headers[] = {"ID", "STATUS", "ENDPOINT", "LEAD", "DEADLINE",
	    "TRIES", "WHEN", "RESULT", "MILESTONE"};
	static const size_t widths[] = {0, 0, 0, 0, 0, 0, 0, 40, 0};
	const struct kg_zone *zone = cli->conf.zone;
	char id[24], lead[16], deadline[KG_DATE_LEN], tries[16], when[24], result[320];
	const char *cells[9];
	struct out_table *t;
	size_t i;

	if (l->n == 0) {
		fprintf(cli->out, "no deliveries\n");
		return 0;
	}
	t = out_table_new(9, headers, widths);
	if (t == NULL)
		return -1;
	for (i = 0; i < l->n; i++) {
		const struct kg_delivery *d = &l->v[i];

		snprintf(id, sizeof(id), "%lld", (long long)d->id);
		snprintf(lead, sizeof(lead), "%+dd%s", d->lead_days, d->late ? " late" : "");
		snprintf(tries, sizeof(tries), "%d", d->attempts);
		/* When it went (or gave up), or when it will be tried next. */
		out_local_time(when, d->done_at ? d->done_at : d->status == KG_DLV_PENDING ?
		    d->next_attempt_at : d->last_attempt_at, zone);
		if (d->last_http_status && d->last_error)
			kg_snprintf(result, sizeof(result), "%ld %s", d->last_http_status,
			    d->last_error);
		else if (d->last_http_status)
			snprintf(result, sizeof(result), "%ld", d->last_http_status);
		else
			kg_snprintf(result, sizeof(result), "%s", d->last_error ? d->last_error : "-");
		cells[0] = id;
		cells[1] = kg_delivery_status_name(d->status);
		cells[2] = d->endpoint;
		cells[3] = lead;
		cells[4] = kg_date_format(d->deadline, deadline);
		cells[5] = tries;
		cells[6] = when;
		cells[7] = result;
		cells[8] = d->milestone_title ? d->milestone_title : "-";
		if (out_table_add(t, cells, d->status == KG_DLV_FAILED ||
		    d->status == KG_DLV_ABANDONED ? "31" : NULL) < 0) {
			out_table_free(t);
			return -1;
		}
	}
	out_table_print(t, cli->out, cli->color);
	out_table_free(t);
	return 0;
}

int
cmd_deliveries(struct cli *cli, int argc, char **argv)
{
	enum { OPT_FAILED = CLI_OPT_FIRST_FREE, OPT_PENDING, OPT_LIMIT };
	static const struct option opts[] = {
		{"failed", no_argument, NULL, OPT_FAILED},
		{"pending", no_argument, NULL, OPT_PENDING},
		{"limit", required_argument, NULL, OPT_LIMIT},
		{NULL, 0, NULL, 0},
	};
	struct kg_delivery_list l = {0};
	struct kg_store *st = NULL;
	struct kg_outbox *ob = NULL;
	unsigned statuses = 0;
	long limit = 100;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FAILED:
			statuses |= 1u << KG_DLV_FAILED | 1u << KG_DLV_ABANDONED;
			break;
		case OPT_PENDING:
			statuses |= 1u << KG_DLV_PENDING | 1u << KG_DLV_IN_FLIGHT;
			break;
		case OPT_LIMIT:
			if ((rc = cli_parse_int(cli, "--limit", optarg, 0, 100000000, &limit)) != CLI_OK)
				return rc;
			break;
		default:
			return cli_bad_option(cli, c, argv);
		}
	}
	if ((rc = cli_no_args(cli, argc, argv)) != CLI_OK ||
	    (rc = cli_open_store(cli, 0, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (kg_outbox_open(st, &ob, &cli->err) < 0 ||
	    kg_outbox_list(ob, statuses, (size_t)limit, &l, &cli->err) < 0)
		goto out;
	if ((cli->json ? print_json(cli, &l) : print_table(cli, &l)) < 0) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	rc = CLI_OK;
out:
	kg_delivery_list_clear(&l);
	kg_outbox_close(ob);
	kg_store_close(st);
	return rc;
}

int
cmd_redeliver(struct cli *cli, int argc, char **argv)
{
	struct kg_store *st = NULL;
	struct kg_outbox *ob = NULL;
	struct kg_delivery d = {0};
	const char *ref;
	long id;
	int rc;

	if ((rc = cli_no_options(cli, argc, argv)) != CLI_OK ||
	    (rc = cli_one_arg(cli, argc, argv, "ID", &ref)) != CLI_OK ||
	    (rc = cli_parse_int(cli, "ID", ref, 1, LONG_MAX, &id)) != CLI_OK)
		return rc;
	if ((rc = cli_open_store(cli, 0, &st)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	if (kg_outbox_open(st, &ob, &cli->err) < 0 ||
	    kg_outbox_redeliver(ob, id, (int64_t)time(NULL), &cli->err) < 0 ||
	    kg_outbox_get(ob, id, &d, &cli->err) < 0)
		goto out;
	fprintf(cli->out, "delivery %ld to %s queued again (webhook-id %s)\n", id, d.endpoint,
	    d.webhook_id);
	rc = CLI_OK;
out:
	kg_delivery_clear(&d);
	kg_outbox_close(ob);
	kg_store_close(st);
	return rc;
}
