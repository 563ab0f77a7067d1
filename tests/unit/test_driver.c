/*
 * Unit tests for cli/driver, how `kigen` runs a command (cli_main over a
 * table of real commands, stdout and stderr captured): exit codes 0 / 1 /
 * 2, the one error line "kigen: <message>" and the synopsis after a usage
 * error, global options anywhere on the line, --version and help, and the
 * --json shapes of show and list (docs/json.md).  Each run has its own
 * empty configuration and database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int
cmd_boom(struct cli *cli, int argc, char **argv)
{
	(void)cli, (void)argc, (void)argv;
	return CLI_FAIL; /* and no message */
}

static const char cmd_boom_usage[] = "boom\n\nFails, saying nothing.\n";

static const struct cli_command commands[] = {
	{"add", cmd_add, cmd_add_usage, "add a milestone"},
	{"list", cmd_list, cmd_list_usage, "list milestones"},
	{"show", cmd_show, cmd_show_usage, "show one milestone"},
	{"boom", cmd_boom, cmd_boom_usage, "fail"},
};

struct fixture {
	char dir[64], db[128], conf[128];
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	FILE *f;

	strcpy(fx->dir, "/tmp/kigen-test-driver-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->db, sizeof(fx->db), "%s/kigen.db", fx->dir);
	snprintf(fx->conf, sizeof(fx->conf), "%s/kigen.conf", fx->dir);
	if ((f = fopen(fx->conf, "w")) == NULL)
		return -1;
	fputs("[general]\ntimezone = Asia/Tokyo\n", f);
	fclose(f);
	unsetenv("NO_COLOR");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* The whole of file path, as a new string. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

struct run {
	int rc;
	char *out, *err;
};

/* Runs `kigen --db DB --config CONF ARGS...` (NULL-terminated), capturing
 * what it prints. */
static struct run
run(const struct fixture *fx, ...)
{
	char *argv[32], opath[160], epath[160];
	struct run r;
	va_list ap;
	int argc = 0, saved_out, saved_err, fd;

	argv[argc++] = (char *)"kigen";
	argv[argc++] = (char *)"--db";
	argv[argc++] = (char *)fx->db;
	argv[argc++] = (char *)"--config";
	argv[argc++] = (char *)fx->conf;
	va_start(ap, fx);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);

	snprintf(opath, sizeof(opath), "%s/out", fx->dir);
	snprintf(epath, sizeof(epath), "%s/err", fx->dir);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	fd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	close(fd);
	fd = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	optind = 0; /* each command's getopt starts afresh */
	r.rc = cli_main(commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	r.out = slurp(opath);
	r.err = slurp(epath);
	return r;
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Exit codes and what goes where: one line "kigen: <message>" on stderr,
 * then the command's synopsis after a usage error; nothing on stdout. */
static void
test_errors(void **state)
{
	static const struct {
		const char *args[6];
		int rc;
		const char *err;  /* all of stderr */
	} rows[] = {
		{{"frobnicate"}, 2,
		    "kigen: unknown command 'frobnicate' (see 'kigen --help')\n"},
		{{"help", "frobnicate"}, 2,
		    "kigen: unknown command 'frobnicate' (see 'kigen --help')\n"},
		{{"list", "--as-of"}, 2, "kigen: option '--as-of' needs a value\n"},
		{{"--as-of", "2009-02-30", "list"}, 2,
		    "kigen: invalid date '2009-02-30' (day out of range)\n"
		    "usage: kigen list [filters]\n"},
		{{"list", "--as-of=2009-13-01"}, 2,
		    "kigen: invalid date '2009-13-01' (month out of range)\n"
		    "usage: kigen list [filters]\n"},
		{{"list", "--kind", "bogus"}, 2,
		    "kigen: invalid kind 'bogus' (see 'kigen help add')\n"
		    "usage: kigen list [filters]\n"},
		{{"show", "99"}, 1, "kigen: no milestone '99'\n"},
		{{"boom"}, 1, "kigen: failed\n"},
	};
	struct fixture *fx = *state;
	struct run r;
	size_t i;

	r = run(fx, "add", "期限", "--due", "2026-03-31", NULL);
	assert_int_equal(r.rc, 0);
	run_free(&r);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *const *a = rows[i].args;

		r = run(fx, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r.rc != rows[i].rc || strcmp(r.err, rows[i].err) != 0)
			fail_msg("row %zu: exit %d, stderr '%s'; want %d, '%s'", i, r.rc, r.err,
			    rows[i].rc, rows[i].err);
		assert_string_equal(r.out, "");
		run_free(&r);
	}
}

static void
test_version_and_help(void **state)
{
	struct fixture *fx = *state;
	char want[256];
	struct run r;

	r = run(fx, "--version", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "kigen " KIGEN_VERSION "\n");
	run_free(&r);

	/* No command: the overview, on stderr as a usage error. */
	r = run(fx, NULL);
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "usage: kigen [global options] COMMAND"));
	assert_non_null(strstr(r.err, "  show         show one milestone\n"));
	run_free(&r);

	/* Asked for: on stdout. */
	r = run(fx, "--help", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "usage: kigen [global options] COMMAND"));
	assert_string_equal(r.err, "");
	run_free(&r);

	/* A command's help, however asked, before anything is opened. */
	r = run(fx, "add", "--help", NULL);
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out, "usage: kigen add TITLE --due DATE", 33) == 0);
	assert_non_null(strstr(r.out, "Exit status: 0 ok, 1 failure, 2 usage error.\n"));
	run_free(&r);
	r = run(fx, "help", "list", NULL);
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out, "usage: kigen list [filters]\n", 28) == 0);
	run_free(&r);
	assert_int_equal(access(fx->db, F_OK), -1);

	/* Reading commands do not create a database. */
	r = run(fx, "show", "1", NULL);
	assert_int_equal(r.rc, 1);
	snprintf(want, sizeof(want), "kigen: database '%s' does not exist\n", fx->db);
	assert_string_equal(r.err, want);
	run_free(&r);
	assert_int_equal(access(fx->db, F_OK), -1);
}

/* The keys docs/json.md gives a milestone, and their JSON types. */
static void
assert_milestone_shape(json_t *m)
{
	static const struct {
		const char *key;
		json_type type;
		bool nullable;
	} keys[] = {
		{"id", JSON_INTEGER, false},
		{"uid", JSON_STRING, false},
		{"measure_id", JSON_INTEGER, true},
		{"title", JSON_STRING, false},
		{"kind", JSON_STRING, false},
		{"status", JSON_STRING, false},
		{"certainty", JSON_STRING, false},
		{"window_start", JSON_STRING, true},
		{"window_end", JSON_STRING, true},
		{"due", JSON_STRING, true},
		{"precision", JSON_STRING, false},
		{"expr", JSON_STRING, true},
		{"owners", JSON_ARRAY, false},
		{"sequence", JSON_INTEGER, false},
		{"manual", JSON_TRUE, false},
		{"gone", JSON_FALSE, false},
		{"conflict", JSON_FALSE, false},
		{"uncertain", JSON_FALSE, false},
		{"uncertain_reason", JSON_STRING, true},
		{"source", JSON_OBJECT, false},
	};
	json_t *v;
	size_t i;

	assert_true(json_is_object(m));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = json_object_get(m, keys[i].key);
		if (v == NULL)
			fail_msg("no key '%s'", keys[i].key);
		if (json_typeof(v) != keys[i].type && !(keys[i].nullable && json_is_null(v)))
			fail_msg("key '%s' of type %d, want %d", keys[i].key, json_typeof(v),
			    keys[i].type);
	}
	v = json_object_get(m, "source");
	assert_non_null(json_object_get(v, "document_id"));
	assert_non_null(json_object_get(v, "line"));
	assert_non_null(json_object_get(v, "page"));
	assert_non_null(json_object_get(v, "sentence"));
}

static void
test_json_shapes(void **state)
{
	struct fixture *fx = *state;
	json_error_t jerr;
	json_t *j, *m;
	struct run r;

	/* Global options before or after the command, or between its own. */
	r = run(fx, "add", "中間評価を実施", "--as-of", "2026-01-10", "--due", "2026-03-31",
	    "--owner", "総務省", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "added 1: 中間評価を実施 (in 80 days)\n");
	assert_string_equal(r.err, "");
	run_free(&r);

	r = run(fx, "--json", "show", "1", NULL);
	assert_int_equal(r.rc, 0);
	j = json_loads(r.out, 0, &jerr);
	assert_non_null(j);
	assert_milestone_shape(j);
	assert_string_equal(json_string_value(json_object_get(j, "title")), "中間評価を実施");
	assert_string_equal(json_string_value(json_object_get(j, "due")), "2026-03-31");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "owners"), 0)),
	    "総務省");
	json_decref(j);
	run_free(&r);

	r = run(fx, "list", "--as-of", "2026-01-10", "--json", NULL);
	assert_int_equal(r.rc, 0);
	j = json_loads(r.out, 0, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "as_of")), "2026-01-10");
	assert_int_equal(json_array_size(json_object_get(j, "milestones")), 1);
	m = json_array_get(json_object_get(j, "milestones"), 0);
	assert_milestone_shape(m);
	assert_int_equal(json_integer_value(json_object_get(m, "id")), 1);
	json_decref(j);
	run_free(&r);

	/* "--" ends the options: a title that starts with a dash. */
	r = run(fx, "add", "--due", "2026-04-01", "--", "--draft--", NULL);
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out, "added 2: --draft-- (", 20) == 0);
	run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_and_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_shapes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
