/*
 * cmd_feed — `kigen feed`: the iCalendar feed kigend serves, written to
 * stdout or a file, for static hosting.  Same renderer and parameters as
 * kigend's /feed.ics (and /feeds/NAME.ics with --feed), so the same data
 * gives the same bytes.  kigend renders it (oneshot.h), so that kigen
 * need not link libical.
 */
#include "oneshot.h"

const char cmd_feed_usage[] =
    "feed [--out FILE] [--feed NAME] [--view event|todo] [filters]\n\n"
    "The iCalendar feed of the milestones, as kigend serves it at /feed.ics:\n"
    "one all-day event per milestone on its deadline.  Filters are those of\n"
    "'kigen list' (--owner, --kind, --status, --measure).\n\n"
    "  --out FILE       write FILE (replaced atomically) instead of stdout\n"
    "  --feed NAME      the named feed [feed:NAME] of the configuration\n"
    "  --view todo      VTODOs (task apps) instead of VEVENTs\n";

/* Rendered by kigend (oneshot.h): kigen does not link libical. */
int
cmd_feed(struct cli *cli, int argc, char **argv)
{
	return cli_exec_kigend(cli, CLI_ONESHOT_FEED, NULL, argc - 1, argv + 1);
}
