/*
 * cmd_feed — the usage of `kigen feed`, for kigen's help.  The command runs
 * in the helper program kigen-feed (helper_feed.c, helper.h), so that kigen
 * need not link libical.
 */
#include "cli.h"

const char cmd_feed_usage[] =
    "feed [--out FILE] [--feed NAME] [--view event|todo] [--span deadline|window]\n"
    "     [filters]\n\n"
    "The iCalendar feed of the milestones, as kigend serves it at /feed.ics:\n"
    "one all-day event per milestone on its deadline.  Filters are those of\n"
    "'kigen list' (--owner, --kind, --status, --measure).\n\n"
    "  --out FILE       write FILE (replaced atomically) instead of stdout\n"
    "  --feed NAME      the named feed [feed:NAME] of the configuration\n"
    "  --view todo      VTODOs (task apps) instead of VEVENTs\n"
    "  --span window    a window wider than a day as one multi-day event\n"
    "                   (default: [feed] span, else the deadline day)\n";
