/* Unit tests for cli/output, how kigen prints: tables aligned by display
 * width (a kanji takes two columns), cells cut with "…" never inside a
 * character, tables fitted to the terminal, colours only when asked, the
 * relative deadline phrases and row colours, local times, $COLUMNS, and
 * JSON printing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "utf8.h"
#include "zone.h"

/* What print(t) writes, as a new string. */
static char *
printed(const struct out_table *t, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	out_table_print(t, f, color);
	fclose(f);
	return buf;
}

/* Every line of s has the display width of its first line's text up to
 * column `col`'s start: the columns line up on a terminal. */
static size_t
width_before(const char *line, const char *cell)
{
	const char *at = strstr(line, cell);
	char prefix[256];

	assert_non_null(at);
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(at - line), line);
	return kg_width(prefix);
}

static void
test_japanese_columns_line_up(void **state)
{
	static const char *const headers[] = {"ID", "OWNER", "TITLE"};
	static const char *const rows[][3] = {
		{"1", "総務省", "基本計画の策定"},
		{"22", "内閣官房", "interim report"},
		{"333", "MIC", "ﾃｽﾄ half-width kana"},
	};
	struct out_table *t = out_table_new(3, headers, NULL);
	char *s, *line, *save = NULL;
	size_t i, owner_at = 0, title_at = 0;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(out_table_add(t, rows[i], NULL), 0);
	s = printed(t, false);
	assert_string_equal(s,
	    "ID   OWNER     TITLE\n"
	    "1    総務省    基本計画の策定\n"
	    "22   内閣官房  interim report\n"
	    "333  MIC       ﾃｽﾄ half-width kana\n");
	/* The same by measure: each column starts at the same display column. */
	for (line = strtok_r(s, "\n", &save), i = 0; line != NULL;
	    line = strtok_r(NULL, "\n", &save), i++) {
		const char *owner = i == 0 ? "OWNER" : rows[i - 1][1];
		const char *title = i == 0 ? "TITLE" : rows[i - 1][2];

		if (i == 0) {
			owner_at = width_before(line, owner);
			title_at = width_before(line, title);
		}
		assert_int_equal(width_before(line, owner), owner_at);
		assert_int_equal(width_before(line, title), title_at);
	}
	assert_int_equal(i, 4);
	free(s);
	out_table_free(t);
}

/* max_width cuts a cell to that many columns, "…" included, never in the
 * middle of a character (a kanji that would straddle the edge goes). */
static void
test_max_width(void **state)
{
	static const char *const headers[] = {"TITLE", "X"};
	static const size_t max[] = {7, 0};
	static const char *const rows[][2] = {
		{"令和六年度末", "a"},   /* 12 columns: 3 kanji and … */
		{"abcdefghij", "b"},     /* 6 letters and … */
		{"abcdefg", "c"},        /* exactly 7: kept */
	};
	struct out_table *t = out_table_new(2, headers, max);
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(out_table_add(t, rows[i], NULL), 0);
	s = printed(t, false);
	assert_string_equal(s,
	    "TITLE    X\n"
	    "令和六…  a\n"
	    "abcdef…  b\n"
	    "abcdefg  c\n");
	free(s);
	out_table_free(t);
}

/* Fitted to a width: the flexible column gives up width; the last cell
 * is not padded; an empty last cell leaves no trailing spaces. */
static void
test_fit(void **state)
{
	static const char *const headers[] = {"ID", "TITLE", "OWNER"};
	static const char *const rows[][3] = {
		{"1", "デジタル社会の実現に向けた重点計画の改定", "デジタル庁"},
		{"2", "short", ""},
	};
	struct out_table *t = out_table_new(3, headers, NULL);
	char *s, *line, *save = NULL;
	size_t i, owner_at = 0;

	(void)state;
	assert_int_equal(out_table_add(t, rows[0], NULL), 0);
	assert_int_equal(out_table_add(t, rows[1], NULL), 0);
	out_table_fit(t, 40, 1u << 1, 0);
	s = printed(t, false);
	for (line = strtok_r(s, "\n", &save), i = 0; line != NULL;
	    line = strtok_r(NULL, "\n", &save), i++) {
		if (kg_width(line) > 40)
			fail_msg("'%s' is %zu columns wide", line, kg_width(line));
		assert_true(line[strlen(line) - 1] != ' ');
		if (i == 0)
			owner_at = width_before(line, "OWNER");
		/* The title cut short, the owner still in the OWNER column. */
		if (i == 1) {
			assert_non_null(strstr(line, "…"));
			assert_int_equal(width_before(line, "デジタル庁"), owner_at);
		}
		if (i == 2)
			assert_string_equal(line, "2   short");
	}
	assert_int_equal(i, 3);
	free(s);
	out_table_free(t);
}

/* A row's colour only when told: SGR around the row, reset after. */
static void
test_color(void **state)
{
	static const char *const headers[] = {"ID", "TITLE"};
	static const char *const row[] = {"7", "期限切れ"};
	struct out_table *t = out_table_new(2, headers, NULL);
	char *s;

	(void)state;
	assert_int_equal(out_table_add(t, row, "31"), 0);
	s = printed(t, true);
	assert_string_equal(s, "\033[1mID  TITLE\033[0m\n\033[31m7   期限切れ\033[0m\n");
	free(s);
	s = printed(t, false);
	assert_string_equal(s, "ID  TITLE\n7   期限切れ\n");
	free(s);
	out_table_free(t);
}

static void
test_relative(void **state)
{
	static const struct {
		int start, end;  /* days from today; 99999: none */
		const char *want;
	} rows[] = {
		{0, 0, "today"},
		{1, 1, "in 1 day"},
		{-1, -1, "1 day ago"},
		{6, 6, "in 6 days"},
		{-3, -3, "3 days ago"},
		{-30, 6, "in 6 days"},       /* a window: its end */
		{120, 120, "in 4 months"},
		{-120, -120, "4 months ago"},
		{800, 800, "in 2 years"},
		{0, 99999, "-"},             /* an open window */
	};
	kg_day today = kg_day_from_civil(2008, 11, 24);
	struct kg_milestone m;
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.window_start = today + rows[i].start;
		m.window_end = rows[i].end == 99999 ? KG_DAY_NONE : today + rows[i].end;
		out_relative(buf, sizeof(buf), &m, today);
		if (strcmp(buf, rows[i].want) != 0)
			fail_msg("row %zu: '%s', want '%s'", i, buf, rows[i].want);
	}
}

static void
test_row_colours(void **state)
{
	static const struct {
		int due;
		enum kg_status status;
		const char *sgr;
	} rows[] = {
		{-1, KG_STATUS_PLANNED, "31"},   /* overdue: red */
		{0, KG_STATUS_PLANNED, "33"},    /* due within 7 days: yellow */
		{7, KG_STATUS_ONGOING, "33"},
		{8, KG_STATUS_PLANNED, NULL},
		{-5, KG_STATUS_DONE, "32"},      /* done: green, even past */
		{-5, KG_STATUS_CANCELLED, "2"},  /* cancelled: dim */
	};
	kg_day today = kg_day_from_civil(2008, 11, 24);
	struct kg_milestone m;
	const char *sgr;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.window_start = m.window_end = today + rows[i].due;
		m.status = rows[i].status;
		sgr = out_milestone_sgr(&m, today);
		if (!(sgr == NULL ? rows[i].sgr == NULL :
		    rows[i].sgr != NULL && strcmp(sgr, rows[i].sgr) == 0))
			fail_msg("row %zu: '%s', want '%s'", i, sgr ? sgr : "(none)",
			    rows[i].sgr ? rows[i].sgr : "(none)");
	}
}

static void
test_local_time_and_columns(void **state)
{
	struct kg_zone *tokyo, *utc;
	struct kg_err err;
	char buf[24];

	(void)state;
	assert_int_equal(kg_zone_load("Asia/Tokyo", &tokyo, &err), 0);
	assert_int_equal(kg_zone_load("UTC", &utc, &err), 0);
	out_local_time(buf, 1227484800, tokyo); /* 2008-11-24 00:00 UTC */
	assert_string_equal(buf, "2008-11-24 09:00");
	out_local_time(buf, 1227484800, utc);
	assert_string_equal(buf, "2008-11-24 00:00");
	out_local_time(buf, 0, tokyo);
	assert_string_equal(buf, "-");
	out_local_time(buf, INT64_MAX, tokyo);
	assert_string_equal(buf, "-");
	kg_zone_free(tokyo);
	kg_zone_free(utc);

	setenv("COLUMNS", "132", 1);
	assert_int_equal(out_columns(), 132);
	setenv("COLUMNS", "5", 1);      /* too narrow to be true */
	assert_int_equal(out_columns(), 100);
	setenv("COLUMNS", "wide", 1);
	assert_int_equal(out_columns(), 100);
	unsetenv("COLUMNS");
	assert_int_equal(out_columns(), 100);
}

static void
test_json(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(out_json(f, json_pack("{s:s, s:[i]}", "title", "策定", "ids", 7)), 0);
	assert_int_equal(out_json(f, NULL), -1);
	fclose(f);
	assert_string_equal(buf, "{\n  \"title\": \"策定\",\n  \"ids\": [\n    7\n  ]\n}\n");
	free(buf);
}

/* Prints the milestone table of the n milestones of m to f. */
static void
print_milestones(FILE *f, const struct kg_milestone *m, size_t n, kg_day today)
{
	struct out_milestones *ms = out_milestones_new(today, 100);
	size_t i;

	assert_non_null(ms);
	for (i = 0; i < n; i++)
		assert_int_equal(out_milestones_add(ms, &m[i]), 0);
	out_milestones_print(ms, f, false);
	out_milestones_free(ms);
}

/* The milestone table: its header, an uncertain deadline marked "?", or
 * "no milestones". */
static void
test_milestone_table(void **state)
{
	kg_day today = kg_day_from_civil(2008, 11, 24);
	struct kg_milestone m[4];
	const char *line;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	print_milestones(f, NULL, 0, today);
	fflush(f);
	assert_string_equal(buf, "no milestones\n");

	memset(m, 0, sizeof(m));
	m[0].id = 3;
	m[0].title = (char *)"中間評価を実施";
	m[0].window_start = m[0].window_end = today + 6;
	m[1].id = 4;
	m[1].title = (char *)"年度内に結論";
	m[1].window_start = m[1].window_end = today + 100;
	m[1].uncertain = true;
	/* the same deadline, certain; then none */
	m[2] = m[1];
	m[2].id = 5;
	m[2].uncertain = false;
	m[3].id = 6;
	m[3].title = (char *)"常時";
	m[3].window_start = today;
	m[3].window_end = KG_DAY_NONE;
	rewind(f);
	print_milestones(f, m, 4, today);
	fputc('\0', f);
	fclose(f);
	assert_non_null(strstr(buf, "ID"));
	assert_non_null(strstr(buf, "TITLE"));
	assert_non_null(strstr(buf, "2008-11-30"));
	assert_non_null(strstr(buf, "in 6 days"));
	assert_non_null(strstr(buf, "中間評価を実施"));
	assert_non_null(line = strstr(buf, "\n4 "));
	assert_memory_equal(line, "\n4   2009-03-04?  in 3 months", 28);
	assert_non_null(line = strstr(buf, "\n5 "));
	assert_memory_equal(line, "\n5   2009-03-04   in 3 months", 28);
	assert_non_null(line = strstr(buf, "\n6 "));
	assert_memory_equal(line, "\n6   -            -     ", 24);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_japanese_columns_line_up),
		cmocka_unit_test(test_max_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_row_colours),
		cmocka_unit_test(test_local_time_and_columns),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_milestone_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
