/*
 * oneshot — the two commands whose libraries the kigen program does not
 * link: `kigen feed` (libical) and `kigen webhook test NAME` (libcurl), so
 * that every other command starts without loading them.  kigen executes
 * kigend in a one-shot mode instead; kigend runs the command with the same
 * driver (driver.c), so options, output bytes, messages ("kigen: ...") and
 * exit codes are those of kigen:
 *
 *   kigend --render-feed [ARGS]              = kigen feed [ARGS]
 *   kigend --send-test-webhook NAME [ARGS]   = kigen webhook test NAME [ARGS]
 *
 * ARGS may hold kigen's global options (--db, --config, --as-of, --json).
 */
#ifndef KG_CLI_ONESHOT_H
#define KG_CLI_ONESHOT_H

#include "cli.h"

#define CLI_ONESHOT_FEED "--render-feed"
#define CLI_ONESHOT_WEBHOOK "--send-test-webhook"

/*
 * kigen side: replaces the process with `kigend MODE [MODE_ARG] GLOBALS
 * ARGS...`, GLOBALS being cli's database, configuration, --as-of and --json.
 * kigend is looked for next to the running kigen (the build tree), in
 * ../sbin from there (an installed tree, wherever it was installed), then in
 * the compiled-in SBINDIR.  Returns only on failure: CLI_FAIL with a message.
 */
int cli_exec_kigend(struct cli *cli, const char *mode, const char *mode_arg, int argc,
    char **argv);

/* kigend side: when argv[1] is one of the modes above, runs it and returns
 * the exit code; otherwise returns -1 and touches nothing. */
int cli_oneshot_main(int argc, char **argv);

#endif
