/*
 * kigen-webhook — the helper program that runs `kigen webhook test NAME`
 * (helper.h), the one command that needs libcurl.  kigen executes it; run
 * by hand it is a kigen that knows only this command.
 */
#include "cli.h"

static const struct cli_command commands[] = {
	{"webhook", cmd_webhook, cmd_webhook_usage, "send a signed test event to an endpoint"},
};

int
main(int argc, char **argv)
{
	return cli_main(commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}
