/*
 * kigen-feed — the helper program that runs `kigen feed` (helper.h), the
 * one command that needs libical.  kigen executes it; run by hand it is a
 * kigen that knows only this command.
 */
#include "cli.h"

static const struct cli_command commands[] = {
	{"feed", cmd_feed, cmd_feed_usage, "the iCalendar feed, for static hosting"},
};

int
main(int argc, char **argv)
{
	return cli_main(commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}
