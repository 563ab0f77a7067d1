/*
 * helper — kigen's helper programs, git style: commands whose libraries
 * kigen does not link run in a program of their own, so that every other
 * command starts without loading them (about 12 ms for libical and libcurl,
 * bench/README.md).
 *
 *   kigen feed            -> kigen-feed      (libical)
 *   kigen webhook test    -> kigen-webhook   (libcurl)
 *
 * A helper is a kigen that knows only its own commands: its main() runs its
 * command table through the same driver (cli_main), so options, output,
 * messages ("kigen: ...") and exit codes are kigen's.  kigen resolves its
 * global options, then replaces itself with the helper, passing --db,
 * --config, --as-of and --json before the command's own arguments; stdout,
 * stderr and the exit status so need no relaying.
 *
 * Where helpers are: next to the running kigen (the build tree), else in
 * ../libexec/kigen from its directory (an installed tree, wherever it was
 * installed, DESTDIR too), else in the compiled-in KIGEN_LIBEXECDIR/kigen.
 *
 * Adding a helper kigen-NAME:
 *   1. its commands in cli/helper_NAME.c (in libkigencli.a, so tests can
 *      link them; kigen itself must never reference them) and a thin main()
 *      in cli/libexec/kigen-NAME.c with its command table;
 *   2. Makefile: one word "NAME:pkg-config-packages" in HELPERS (built next
 *      to kigen, installed, uninstalled);
 *   3. a whole kigen command it runs: one row {"command", "kigen-NAME"} in
 *      the table in helper.c, and cli_helper_run as the command's run in
 *      cli/main.c.  A command that only needs a helper's output finds it
 *      with cli_helper_path and runs it itself (capture.h: kigen-pdftotext,
 *      kigen-fetch).
 */
#ifndef KG_CLI_HELPER_H
#define KG_CLI_HELPER_H

#include <limits.h>

#include "cli.h"

/* The path of helper program `name` ("kigen-feed"), the first executable
 * of the places above.  CLI_OK, or CLI_FAIL with a message naming them. */
int cli_helper_path(struct cli *cli, const char *name, char path[PATH_MAX]);

/*
 * The run function of every command a helper runs (cli_command.run in
 * kigen's table): looks argv[0] up in the table of helper.c and executes
 * that helper with cli_helper_exec.  Returns only on failure: CLI_FAIL.
 */
int cli_helper_run(struct cli *cli, int argc, char **argv);

/*
 * Replaces the process with helper `name` running argv[0..argc) (argv[0]
 * is the command's name) under cli's resolved global options.  Returns
 * only on failure: CLI_FAIL with a message.
 */
int cli_helper_exec(struct cli *cli, const char *name, int argc, char **argv);

#endif
