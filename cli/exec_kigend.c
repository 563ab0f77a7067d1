/*
 * exec_kigend — kigen's half of the one-shot modes (oneshot.h): find kigend
 * and execute it with the command's arguments and the global options, so
 * stdout, stderr and the exit status are kigend's, unchanged.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oneshot.h"

#ifndef KIGEN_SBINDIR
#define KIGEN_SBINDIR "/usr/local/sbin"
#endif

/* The first executable kigend of: next to this program, ../sbin from it,
 * SBINDIR.  Returns 0 with path filled, or -1. */
static int
find_kigend(char path[PATH_MAX])
{
	char self[PATH_MAX];
	char *slash;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len > 0) {
		self[len] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if (snprintf(path, PATH_MAX, "%s/kigend", self) < PATH_MAX &&
			    access(path, X_OK) == 0)
				return 0;
			if (snprintf(path, PATH_MAX, "%s/../sbin/kigend", self) < PATH_MAX &&
			    access(path, X_OK) == 0)
				return 0;
		}
	}
	snprintf(path, PATH_MAX, "%s/kigend", KIGEN_SBINDIR);
	return access(path, X_OK) == 0 ? 0 : -1;
}

int
cli_exec_kigend(struct cli *cli, const char *mode, const char *mode_arg, int argc,
    char **argv)
{
	char path[PATH_MAX], day[KG_DATE_LEN];
	char *db = NULL, *config = NULL, *as_of = NULL;
	char **args = NULL;
	int i, n = 0;

	if (find_kigend(path) < 0) {
		kg_err_set(&cli->err, "cannot find kigend (next to kigen, in ../sbin or in %s), "
		    "which runs this command", KIGEN_SBINDIR);
		return CLI_FAIL;
	}
	/* kigend, mode, its argument, four globals, argv, NULL */
	if ((args = calloc((size_t)argc + 8, sizeof(*args))) == NULL ||
	    asprintf(&db, "--db=%s", cli->db_path) < 0 ||
	    (cli->config_path != NULL && asprintf(&config, "--config=%s", cli->config_path) < 0) ||
	    (cli->as_of_given &&
	    asprintf(&as_of, "--as-of=%s", kg_date_format(cli->today, day)) < 0)) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	args[n++] = path;
	args[n++] = (char *)mode;
	if (mode_arg != NULL)
		args[n++] = (char *)mode_arg;
	args[n++] = db;
	if (config != NULL)
		args[n++] = config;
	if (as_of != NULL)
		args[n++] = as_of;
	if (cli->json)
		args[n++] = (char *)"--json";
	for (i = 0; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fflush(NULL);
	execv(path, args);
	kg_err_set(&cli->err, "cannot run '%s': %s", path, strerror(errno));
out:
	free(args);
	free(db);
	free(config);
	free(as_of);
	return CLI_FAIL;
}
