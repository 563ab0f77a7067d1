/*
 * kigen — the command-line program: the command table, run by the driver
 * (driver.c).  Commands live in cli/cmd_*.c; see cli.h for how to add one.
 * feed and webhook run in helper programs (helper.h).
 */
#include "cli.h"
#include "helper.h"

/* The command table: one row per command, in the order `kigen --help` shows. */
static const struct cli_command commands[] = {
	{"import", cmd_import, cmd_import_usage, "import a plan document as an edition of its plan"},
	{"imports", cmd_imports, cmd_imports_usage, "the imported documents and their editions"},
	{"unimport", cmd_unimport, cmd_unimport_usage, "take an import back"},
	{"add", cmd_add, cmd_add_usage, "add a milestone by hand"},
	{"list", cmd_list, cmd_list_usage, "list milestones"},
	{"upcoming", cmd_upcoming, cmd_upcoming_usage, "milestones due in the next days"},
	{"overdue", cmd_overdue, cmd_overdue_usage, "open milestones past their deadline"},
	{"show", cmd_show, cmd_show_usage, "one milestone in full"},
	{"done", cmd_done, cmd_done_usage, "mark a milestone done"},
	{"reopen", cmd_reopen, cmd_reopen_usage, "mark a milestone planned again"},
	{"edit", cmd_edit, cmd_edit_usage, "change a milestone"},
	{"rm", cmd_rm, cmd_rm_usage, "cancel a milestone (--purge: delete it)"},
	{"history", cmd_history, cmd_history_usage, "changes of one milestone"},
	{"slipped", cmd_slipped, cmd_slipped_usage, "deadlines that moved between reports"},
	{"conflicts", cmd_conflicts, cmd_conflicts_usage, "where a report and a local edit disagree"},
	{"resolve", cmd_resolve, cmd_resolve_usage, "settle a conflict"},
	{"measures", cmd_measures, cmd_measures_usage, "the measures, with their milestones"},
	{"owners", cmd_owners, cmd_owners_usage, "the responsible bodies, with counts"},
	{"export", cmd_export, cmd_export_usage, "everything as one JSON document"},
	{"feed", cli_helper_run, cmd_feed_usage, "the iCalendar feed, for static hosting"},
	{"status", cmd_status, cmd_status_usage, "is kigend running, and what is it doing"},
	{"reload", cmd_reload, cmd_reload_usage, "make kigend reload its configuration"},
	{"deliveries", cmd_deliveries, cmd_deliveries_usage, "webhook deliveries and their state"},
	{"redeliver", cmd_redeliver, cmd_redeliver_usage, "send a webhook delivery again"},
	{"webhook", cli_helper_run, cmd_webhook_usage, "send a signed test event to an endpoint"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

int
main(int argc, char **argv)
{
	return cli_main(commands, NCOMMANDS, argc, argv);
}
