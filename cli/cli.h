/*
 * cli — what every `kigen` subcommand shares: the context built by main.c
 * from the global options and the configuration, the command table entry,
 * and helpers for the options and values several commands take.
 *
 * Adding a command: write `int cmd_NAME(struct cli *, int argc, char **argv)`
 * and `const char cmd_NAME_usage[]` in cli/cmd_<group>.c, declare them below
 * with CLI_COMMAND(NAME), and add one row to the table in cli/main.c.  A
 * command that needs a library kigen does not link runs in a helper
 * program instead (helper.h).
 *
 * A command gets argv[0] = its name and its own arguments; the global options
 * (--db, --config, --json, --as-of, --help) are already removed wherever they
 * were.  It returns CLI_OK, CLI_FAIL or CLI_USAGE (the exit code) and, on
 * failure, leaves one message in cli->err; main prints it once as
 * "kigen: <message>".  Commands print results to cli->out and nothing else.
 */
#ifndef KG_CLI_H
#define KG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "civil.h"
#include "conf.h"
#include "err.h"
#include "model.h"

struct kg_store;

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli {
	const char *db_path;     /* --db > [general] db > $XDG_STATE_HOME/kigen/kigen.db */
	bool db_is_default;      /* the per-user default: its directory may be created */
	const char *config_path; /* --config, or NULL (conf.h precedence) */
	struct kg_conf conf;     /* loaded configuration */
	bool json;               /* --json */
	bool as_of_given;        /* --as-of was given (import: the report's date) */
	kg_day today;            /* --as-of, else today in conf.timezone */
	FILE *out;               /* stdout */
	bool color;              /* out is a terminal and NO_COLOR is unset */
	struct kg_err err;       /* the one message of a failing command */
};

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;       /* full help: synopsis line, blank line, text */
	const char *summary;     /* one line for `kigen --help` */
};

#define CLI_COMMAND(name) \
	int cmd_##name(struct cli *cli, int argc, char **argv); \
	extern const char cmd_##name##_usage[]

CLI_COMMAND(add);
CLI_COMMAND(list);
CLI_COMMAND(upcoming);
CLI_COMMAND(overdue);
CLI_COMMAND(show);
CLI_COMMAND(done);
CLI_COMMAND(reopen);
CLI_COMMAND(edit);
CLI_COMMAND(rm);
CLI_COMMAND(export);
CLI_COMMAND(import);
CLI_COMMAND(history);
CLI_COMMAND(slipped);
CLI_COMMAND(imports);
CLI_COMMAND(unimport);
CLI_COMMAND(conflicts);
CLI_COMMAND(resolve);
CLI_COMMAND(measures);
CLI_COMMAND(owners);
CLI_COMMAND(status);
CLI_COMMAND(reload);
CLI_COMMAND(deliveries);
CLI_COMMAND(redeliver);
/* Run by helper programs (helper.h): kigen's rows run them with
 * cli_helper_run, and kigen itself references only their usage. */
CLI_COMMAND(feed);
CLI_COMMAND(webhook);

/*
 * Runs `kigen ARGS` against a command table (driver.c): takes the global
 * options, loads the configuration, dispatches, prints a failure once as
 * "kigen: <message>" (plus the synopsis after a usage error).  Returns the
 * exit code.  argv is reordered.
 */
int cli_main(const struct cli_command *commands, size_t ncommands, int argc, char **argv);

/* Sets cli->err and returns CLI_USAGE: `return cli_usage(cli, "...")`. */
int cli_usage(struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints stored milestone id after a change: as JSON, or as "<verb> <id>:
 * <title> (<when>)".  CLI_OK, or CLI_FAIL with the message. */
int cli_print_milestone(struct cli *cli, struct kg_store *st, int64_t id, const char *verb);

/* Opens the database (flags as kg_store_open).  CLI_OK, or CLI_FAIL with the
 * store's message naming the path.  A read-only command that reads most of
 * the file (export, counts over every milestone, a listing without a lower
 * bound) asks for KG_STORE_MAPPED: each page is then read once, without a
 * pread and a copy.  One that reads a few pages (a due window, one
 * milestone) asks for KG_STORE_SMALL_CACHE instead: mapped, each page it
 * touches maps its 15 neighbours too (the kernel's fault-around), which
 * cost upcoming at 1M milestones 2,400 faults, 57 MB of RSS and their
 * unmapping, where reading into a small cache takes 840 preads, 1,670
 * faults and 9 MB. */
int cli_open_store(struct cli *cli, int flags, struct kg_store **out);

/* A YYYY-MM-DD argument: CLI_OK, or CLI_USAGE with "invalid date '...' (why)". */
int cli_parse_date(struct cli *cli, const char *s, kg_day *out);

/* An integer argument of option `opt` within [min, max]: CLI_OK or CLI_USAGE. */
int cli_parse_int(struct cli *cli, const char *opt, const char *s, long min, long max,
    long *out);

/* A kind or status name: CLI_OK, or CLI_USAGE naming the value. */
int cli_parse_kind(struct cli *cli, const char *s, enum kg_kind *out);
int cli_parse_status(struct cli *cli, const char *s, enum kg_status *out);

/* Replaces *slot with a copy of s.  -1 on ENOMEM (*slot unchanged). */
int cli_set_string(char **slot, const char *s);

/*
 * Long options shared by list, upcoming and overdue (and others that filter):
 * --owner, --kind, --status, --measure, each repeatable.  CLI_FILTER_OPTIONS
 * goes into a getopt_long table; cli_filter_option handles any code
 * getopt_long returned that is none of the command's own options: a filter
 * option is validated and added (CLI_OK, CLI_USAGE for a bad value,
 * CLI_FAIL on ENOMEM); anything else ('?', ':') is reported as the unknown
 * option or missing value (cli_bad_option, CLI_USAGE).
 */
enum { CLI_OPT_OWNER = 0x100, CLI_OPT_KIND, CLI_OPT_STATUS, CLI_OPT_MEASURE, CLI_OPT_FIRST_FREE };
#define CLI_FILTER_OPTIONS \
	{"owner", required_argument, NULL, CLI_OPT_OWNER}, \
	{"kind", required_argument, NULL, CLI_OPT_KIND}, \
	{"status", required_argument, NULL, CLI_OPT_STATUS}, \
	{"measure", required_argument, NULL, CLI_OPT_MEASURE}
int cli_filter_option(struct cli *cli, int opt, const char *arg, char **argv,
    struct kg_filter *f);

/* After getopt_long (optstring starting with ':', opterr = 0) returned c,
 * '?' or ':': reports the unknown option or missing value.  CLI_USAGE. */
int cli_bad_option(struct cli *cli, int c, char **argv);

/* For commands without options: CLI_OK, or CLI_USAGE for any option. */
int cli_no_options(struct cli *cli, int argc, char **argv);

/* After getopt, for commands without arguments: CLI_OK, or CLI_USAGE
 * naming the first one ("unexpected argument 'x'"). */
int cli_no_args(struct cli *cli, int argc, char **argv);

/* After getopt: exactly one argument left (`what` names it in "missing
 * ID"); *out borrows it.  CLI_OK or CLI_USAGE. */
int cli_one_arg(struct cli *cli, int argc, char **argv, const char *what, const char **out);

#endif
