/*
 * helper — see helper.h: the one place that finds and executes kigen's
 * helper programs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

#ifndef KIGEN_LIBEXECDIR
#define KIGEN_LIBEXECDIR "/usr/local/libexec"
#endif

/* Which helper program runs which kigen command: one row each. */
static const struct {
	const char *command, *program;
} helpers[] = {
	{"feed", "kigen-feed"},
	{"webhook", "kigen-webhook"},
};

/* Is dir/rel/name (rel may be "") an executable?  path gets it. */
static int
try_path(char path[PATH_MAX], const char *dir, const char *rel, const char *name)
{
	int n = snprintf(path, PATH_MAX, "%s%s/%s", dir, rel, name);

	return n > 0 && n < PATH_MAX && access(path, X_OK) == 0;
}

int
cli_helper_path(struct cli *cli, const char *name, char path[PATH_MAX])
{
	char self[PATH_MAX];
	char *slash;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len > 0) {
		self[len] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if (try_path(path, self, "", name) ||
			    try_path(path, self, "/../libexec/kigen", name))
				return CLI_OK;
		}
	}
	if (try_path(path, KIGEN_LIBEXECDIR, "/kigen", name))
		return CLI_OK;
	kg_err_set(&cli->err, "cannot find %s (next to kigen, in ../libexec/kigen or in "
	    "%s/kigen), which runs this command", name, KIGEN_LIBEXECDIR);
	return CLI_FAIL;
}

int
cli_helper_exec(struct cli *cli, const char *name, int argc, char **argv)
{
	char path[PATH_MAX], day[KG_DATE_LEN];
	char *db = NULL, *config = NULL, *as_of = NULL;
	char **args = NULL;
	int i, n = 0;

	if (cli_helper_path(cli, name, path) != CLI_OK)
		return CLI_FAIL;
	/* the helper, four globals, argv, NULL */
	if ((args = calloc((size_t)argc + 6, sizeof(*args))) == NULL ||
	    asprintf(&db, "--db=%s", cli->db_path) < 0 ||
	    (cli->config_path != NULL && asprintf(&config, "--config=%s", cli->config_path) < 0) ||
	    (cli->as_of_given &&
	    asprintf(&as_of, "--as-of=%s", kg_date_format(cli->today, day)) < 0)) {
		kg_err_set(&cli->err, "out of memory");
		goto out;
	}
	args[n++] = path;
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

int
cli_helper_run(struct cli *cli, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (strcmp(helpers[i].command, argv[0]) == 0)
			return cli_helper_exec(cli, helpers[i].program, argc, argv);
	kg_err_set(&cli->err, "no helper program runs '%s'", argv[0]);
	return CLI_FAIL;
}
