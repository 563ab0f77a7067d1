/*
 * Replays the inputs kept for the fuzz targets — tests/fuzz/regressions/X
 * (inputs that once crashed fuzz_X, since fixed) and the seed corpus
 * tests/fuzz/corpus/X — through the fuzz targets' own entry points, so
 * `make check` catches a regression without clang or libFuzzer.  Under the
 * sanitizer build a crash, leak or undefined behaviour fails the test; the
 * targets abort() on a broken invariant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_report_one
#include "../fuzz/fuzz_report.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_jpdate_one
#include "../fuzz/fuzz_jpdate.c"
#undef LLVMFuzzerTestOneInput
#include "test_files.h"

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

/* Runs fn on every file of TOP/dir; returns how many. */
static size_t
replay_dir(const char *dir, fuzz_fn fn)
{
	char path[4096];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", test_top(), dir);
	if ((d = opendir(path)) == NULL)
		fail_msg("cannot open %s", path);
	while ((e = readdir(d)) != NULL) {
		char file[8192];
		size_t len;
		char *buf;

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		buf = test_read_file(file, &len);
		assert_int_equal(fn((const uint8_t *)buf, len), 0);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void
test_report_inputs(void **state)
{
	(void)state;
	assert_true(replay_dir("tests/fuzz/regressions/report", fuzz_report_one) >= 2);
	replay_dir("tests/fuzz/corpus/report", fuzz_report_one);
}

static void
test_jpdate_inputs(void **state)
{
	(void)state;
	assert_true(replay_dir("tests/fuzz/corpus/jpdate", fuzz_jpdate_one) >= 10);
	replay_dir("tests/fuzz/regressions/jpdate", fuzz_jpdate_one);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_inputs),
		cmocka_unit_test(test_jpdate_inputs),
	};

	return cmocka_run_group_tests_name("fuzz_replay", tests, NULL, NULL);
}
