/*
 * helper_webhook — `kigen webhook test NAME` as the helper program
 * kigen-webhook runs it (helper.h): a signed webhook.test event sent to
 * [webhook:NAME] now, not through the outbox, with the request a delivery
 * sends (lib/webhook_http.h).  The one command that needs libcurl.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "webhook.h"
#include "webhook_http.h"

/* `webhook test NAME` (argv[0] = "webhook"): *out is [webhook:NAME] of the
 * configuration.  CLI_OK or CLI_USAGE. */
static int
webhook_test_arg(struct cli *cli, int argc, char **argv,
    const struct kg_webhook_conf **out)
{
	size_t i;

	if (argc != 3 || strcmp(argv[1], "test") != 0)
		return cli_usage(cli, "expected 'webhook test NAME'");
	for (i = 0; i < cli->conf.nwebhooks; i++)
		if (strcmp(cli->conf.webhooks[i].name, argv[2]) == 0) {
			*out = &cli->conf.webhooks[i];
			return CLI_OK;
		}
	return cli_usage(cli, "no [webhook:%s] in the configuration", argv[2]);
}

int
cmd_webhook(struct cli *cli, int argc, char **argv)
{
	const struct kg_webhook_conf *ep = NULL;
	struct kg_webhook_attempt a = {0};
	struct kg_webhook_result res;
	char id[KG_WEBHOOK_ID_MAX];
	int64_t now = (int64_t)time(NULL);
	CURLcode code;
	char *body;
	int rc;

	if ((rc = webhook_test_arg(cli, argc, argv, &ep)) != CLI_OK)
		return rc;
	rc = CLI_FAIL;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	body = kg_webhook_test_body(ep->format, ep->name, now, &cli->err);
	if (body == NULL || kg_webhook_new_id(id, &cli->err) < 0) {
		free(body);
		goto out;
	}
	if (kg_webhook_attempt_init(&a, ep, id, now, body, &cli->err) < 0)
		goto out;
	code = curl_easy_perform(a.easy);
	kg_webhook_attempt_result(&a, code, (int64_t)time(NULL), &res);
	if (res.http_status)
		fprintf(cli->out, "webhook %s: HTTP %ld (webhook-id %s)\n", ep->name,
		    res.http_status, id);
	if (a.response_len)
		fprintf(cli->out, "%s%s", a.response,
		    a.response[a.response_len - 1] == '\n' ? "" : "\n");
	if (res.outcome != KG_WEBHOOK_OK) {
		kg_err_set(&cli->err, "webhook '%s': %s", ep->name, res.error);
		goto out;
	}
	rc = CLI_OK;
out:
	kg_webhook_attempt_release(&a);
	curl_global_cleanup();
	return rc;
}
