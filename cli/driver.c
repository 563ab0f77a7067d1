/*
 * driver — how `kigen` runs a command, shared by the kigen program and its
 * helper programs (helper.h): global options (anywhere on the line),
 * configuration, the day, the database path, help, dispatch through a
 * command table, and the one place errors are printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "output.h"
#include "utf8.h"

static const char global_usage[] =
    "global options (before or after the command):\n"
    "  --db PATH        the database (default: [general] db, else\n"
    "                   $XDG_STATE_HOME/kigen/kigen.db)\n"
    "  --config FILE    configuration (default: $KIGEN_CONFIG, else\n"
    "                   " KIGEN_SYSCONFDIR "/kigen/kigen.conf when it exists)\n"
    "  --json           JSON output (the shape of 'kigen export')\n"
    "  --as-of DATE     take DATE (YYYY-MM-DD) as today; on import, the report's date\n"
    "  --help, -h       this help, or the command's\n"
    "An ID is a milestone's integer id or its full UID.\n"
    "Exit status: 0 ok, 1 failure, 2 usage error.\n";

static const struct cli_command *
command_find(const struct cli_command *commands, size_t ncommands, const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
print_overview(FILE *f, const struct cli_command *commands, size_t ncommands)
{
	size_t i;

	fprintf(f, "usage: kigen [global options] COMMAND [options] [arguments]\n"
	    "       kigen help COMMAND | kigen COMMAND --help | kigen --version\n\n"
	    "commands:\n");
	for (i = 0; i < ncommands; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n%s", global_usage);
}

static void
print_command_help(FILE *f, const struct cli_command *c)
{
	fprintf(f, "usage: kigen %s\n\n%s", c->usage, global_usage);
}

/* The first line of a command's usage, for "usage:" after a usage error. */
static void
print_synopsis(FILE *f, const struct cli_command *c)
{
	const char *nl = strchr(c->usage, '\n');
	int len = nl ? (int)(nl - c->usage) : (int)strlen(c->usage);

	fprintf(f, "usage: kigen %.*s\n", len, c->usage);
}

/* "kigen: MESSAGE" on stderr, one line, the message escaped: it may quote
 * what a user typed or a receiver answered. */
static void
print_error(const char *msg)
{
	fputs("kigen: ", stderr);
	out_escape_line(stderr, msg, strlen(msg));
	fputc('\n', stderr);
}

/* `kigen help [COMMAND]` */
static int
run_help(const struct cli_command *commands, size_t ncommands, const char *topic)
{
	const struct cli_command *c;

	if (topic == NULL) {
		print_overview(stdout, commands, ncommands);
		return CLI_OK;
	}
	if ((c = command_find(commands, ncommands, topic)) == NULL) {
		fprintf(stderr, "kigen: unknown command '");
		out_escape_line(stderr, topic, strlen(topic));
		fprintf(stderr, "' (see 'kigen --help')\n");
		return CLI_USAGE;
	}
	print_command_help(stdout, c);
	return CLI_OK;
}

int
cli_usage(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kg_vsnprintf(cli->err.msg, sizeof(cli->err.msg), fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

struct global_opts {
	const char *db, *config, *as_of;
	bool json, help, version;
};

/*
 * Takes the global options out of argv wherever they are, before or after
 * the command; the rest keeps its order.  "--" ends option processing: what
 * follows is passed on as is (a title that starts with "-").  Returns argc
 * of what is left, or -1 with a message for a global option without value.
 */
static int
take_globals(int argc, char **argv, struct global_opts *g, struct cli *cli)
{
	static const struct { const char *name; size_t off; } valued[] = {
		{"--db", offsetof(struct global_opts, db)},
		{"--config", offsetof(struct global_opts, config)},
		{"--as-of", offsetof(struct global_opts, as_of)},
	};
	int i, n = 0;
	size_t k, len;
	bool taken, rest = false;

	for (i = 0; i < argc; i++) {
		taken = false;
		for (k = 0; !rest && k < sizeof(valued) / sizeof(valued[0]) && !taken; k++) {
			len = strlen(valued[k].name);
			if (strncmp(argv[i], valued[k].name, len) != 0)
				continue;
			if (argv[i][len] == '=') {
				*(const char **)((char *)g + valued[k].off) = argv[i] + len + 1;
				taken = true;
			} else if (argv[i][len] == '\0') {
				if (i + 1 >= argc) {
					cli_usage(cli, "option '%s' needs a value", valued[k].name);
					return -1;
				}
				*(const char **)((char *)g + valued[k].off) = argv[++i];
				taken = true;
			}
		}
		if (!rest && !taken) {
			if (strcmp(argv[i], "--json") == 0)
				taken = g->json = true;
			else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
				taken = g->help = true;
			else if (strcmp(argv[i], "--version") == 0)
				taken = g->version = true;
			else if (strcmp(argv[i], "--") == 0)
				rest = true; /* kept: getopt in the command stops there too */
		}
		if (!taken)
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int
cli_main(const struct cli_command *commands, size_t ncommands, int argc, char **argv)
{
	struct cli cli = {.out = stdout, .today = KG_DAY_NONE};
	struct global_opts g = {0};
	const struct cli_command *cmd = NULL;
	char *db_default = NULL;
	const char *no_color = getenv("NO_COLOR");
	int rc = CLI_FAIL, n;

	kg_log_init("kigen", KG_LOG_WARNING);
	/* argv[0] is the program: the rest is ours to reorder */
	n = take_globals(argc - 1, argv + 1, &g, &cli);
	if (n < 0) {
		rc = CLI_USAGE;
		goto report;
	}
	if (g.version) {
		printf("kigen %s\n", KIGEN_VERSION);
		return CLI_OK;
	}
	if (n == 0) {
		print_overview(g.help ? stdout : stderr, commands, ncommands);
		return g.help ? CLI_OK : CLI_USAGE;
	}
	if (strcmp(argv[1], "help") == 0)
		return run_help(commands, ncommands, n > 1 ? argv[2] : NULL);
	if ((cmd = command_find(commands, ncommands, argv[1])) == NULL) {
		cli_usage(&cli, "unknown command '%s' (see 'kigen --help')", argv[1]);
		rc = CLI_USAGE;
		goto report;
	}
	if (g.help) {
		print_command_help(stdout, cmd);
		return CLI_OK;
	}

	cli.json = g.json;
	cli.config_path = g.config;
	cli.color = isatty(fileno(stdout)) && (no_color == NULL || no_color[0] == '\0');
	if (kg_conf_load(g.config, &cli.conf, &cli.err) < 0)
		goto report;
	if (g.as_of != NULL) {
		if (kg_date_parse(g.as_of, &cli.today, &cli.err) < 0) {
			rc = CLI_USAGE;
			goto report;
		}
		cli.as_of_given = true;
	} else {
		cli.today = kg_zone_today(cli.conf.zone);
	}
	if (g.db != NULL) {
		cli.db_path = g.db;
	} else if (cli.conf.db != NULL) {
		cli.db_path = cli.conf.db;
	} else if ((cli.db_path = db_default = kg_conf_default_db()) == NULL) {
		kg_err_set(&cli.err, "out of memory");
		goto report;
	}
	cli.db_is_default = db_default != NULL;

	/* Everything a command prints goes through the terminal escaping. */
	if ((cli.out = out_terminal(stdout)) == NULL)
		cli.out = stdout;
	rc = cmd->run(&cli, n, argv + 1);
	if (cli.out != stdout)
		fclose(cli.out);
	cli.out = stdout;
	if (fflush(stdout) != 0 && rc == CLI_OK) {
		kg_err_set(&cli.err, "cannot write output: %m");
		rc = CLI_FAIL;
	}
report:
	if (rc != CLI_OK) {
		print_error(cli.err.msg[0] ? cli.err.msg : "failed");
		if (rc == CLI_USAGE && cmd != NULL)
			print_synopsis(stderr, cmd);
	}
	kg_conf_clear(&cli.conf);
	free(db_default);
	return rc;
}
