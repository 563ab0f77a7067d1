/*
 * test_files — reading the repository's test data from a unit test.  Paths
 * are relative to the top of the tree: $TOP (set by tests/run.sh), else the
 * current directory.  Include after <cmocka.h>.
 */
#ifndef KG_TEST_FILES_H
#define KG_TEST_FILES_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
test_top(void)
{
	const char *t = getenv("TOP");

	return t != NULL && *t != '\0' ? t : ".";
}

/* The whole file at path (absolute or relative to the cwd), NUL-terminated,
 * in a new buffer; its length in *len.  Fails the test if unreadable. */
static char *
test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
