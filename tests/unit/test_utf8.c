/* Unit tests for lib/utf8: cutting by bytes and by display columns never
 * splits a character (Japanese text, mixed widths, 4-byte characters,
 * invalid bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "utf8.h"

static void
test_cut(void **state)
{
	static const struct {
		const char *s;
		size_t len, want;
	} rows[] = {
		{"", 0, 0},
		{"abc", 2, 2},
		{"総務省", 9, 9},          /* whole */
		{"総務省", 8, 6},          /* two bytes of 省: dropped */
		{"総務省", 7, 6},
		{"総務省", 6, 6},
		{"総務省", 1, 0},
		{"a総", 2, 1},
		{"é", 1, 0},              /* 2-byte sequence */
		{"é", 2, 2},
		{"😀x", 3, 0},            /* 4-byte sequence */
		{"😀x", 4, 4},
		{"😀x", 5, 5},
		{"ab\x80\x80\x80\x80", 6, 6}, /* stray continuation bytes: kept */
		{"ab\xff", 3, 3},          /* not a lead byte */
		{"ab\xe7", 3, 2},          /* a lead byte alone at the end */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(kg_utf8_cut(rows[i].s, rows[i].len), rows[i].want);
}

static void
test_snprintf(void **state)
{
	static const struct {
		size_t size;
		const char *arg, *want;
	} rows[] = {
		{64, "内閣官房", "[内閣官房]"},
		{15, "内閣官房", "[内閣官房]"},   /* 1 + 12 + 1 bytes and the NUL */
		{14, "内閣官房", "[内閣官房"},
		{13, "内閣官房", "[内閣官"},      /* two bytes of 房: dropped */
		{12, "内閣官房", "[内閣官"},
		{11, "内閣官房", "[内閣官"},
		{10, "内閣官房", "[内閣"},
		{2, "内閣官房", "["},
		{1, "内閣官房", ""},
		{6, "abcdefgh", "[abcd"},
	};
	char buf[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		n = kg_snprintf(buf, rows[i].size, "[%s]", rows[i].arg);
		assert_string_equal(buf, rows[i].want);
		assert_int_equal(n, strlen(rows[i].want));
	}
}

static void
test_width(void **state)
{
	static const struct {
		const char *s;
		size_t width;
	} rows[] = {
		{"", 0},
		{"GSOC", 4},
		{"総務省", 6},
		{"ＧＳＯＣ", 8},          /* fullwidth Latin */
		{"ｶﾀｶﾅ", 4},             /* halfwidth katakana */
		{"e\xcc\x81", 1},          /* e + combining acute */
		{"平成20年度", 10},
		{"…", 1},
		{"\xff", 1},               /* an invalid byte counts one column */
		{"\xe5\x41\x41", 3},       /* an ideograph's lead byte, then ASCII */
		{"総\xe6\x97", 4},          /* a character cut short */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(kg_width(rows[i].s), rows[i].width);
		assert_int_equal(kg_width_clean(rows[i].s, strlen(rows[i].s)), rows[i].width);
	}
}

/* Every code point beyond ASCII measures what utf8proc_charwidth says, those that
 * kg_width takes by its shortcut (kana, ideographs, fullwidth forms)
 * included. */
static void
test_width_every_code_point(void **state)
{
	utf8proc_uint8_t buf[8];
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	int want;

	(void)state;
	for (cp = 0x80; cp <= 0x10FFFF; cp++) { /* ASCII: one column each */
		if (!utf8proc_codepoint_valid(cp))
			continue;
		n = utf8proc_encode_char(cp, buf);
		buf[n] = '\0';
		want = utf8proc_charwidth(cp);
		if (kg_width((const char *)buf) != (size_t)(want > 0 ? want : 0))
			fail_msg("U+%04X: %zu columns, utf8proc says %d", (unsigned)cp,
			    kg_width((const char *)buf), want);
		/* C1 controls aside, the one-pass measure agrees */
		if (cp > 0x9F && kg_width_clean((const char *)buf, (size_t)n) !=
		    (size_t)(want > 0 ? want : 0))
			fail_msg("U+%04X: kg_width_clean says %zu columns", (unsigned)cp,
			    kg_width_clean((const char *)buf, (size_t)n));
	}
}

static void
test_width_fit(void **state)
{
	static const struct {
		const char *s;
		size_t max;
		const char *want;
		size_t width;
	} rows[] = {
		{"総務省", 0, "総務省", 6},          /* no limit */
		{"総務省", 6, "総務省", 6},          /* fits exactly */
		{"総務省", 5, "総務…", 5},
		{"総務省", 4, "総…", 3},             /* a wide character does not half-fit */
		{"総務省", 2, "…", 1},
		{"総務省", 1, "…", 1},
		{"GSOCの整備", 10, "GSOCの整備", 10},
		{"GSOCの整備", 8, "GSOCの…", 7},
		{"GSOCの整備", 7, "GSOCの…", 7},
		{"GSOCの整備", 6, "GSOC…", 5},
		{"abc", 3, "abc", 3},
		{"abcd", 3, "ab…", 3},
		{"", 3, "", 0},
	};
	char out[64];
	size_t i, n, w;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		n = kg_width_fit(rows[i].s, rows[i].max, out, &w);
		assert_string_equal(out, rows[i].want);
		assert_int_equal(n, strlen(rows[i].want));
		assert_int_equal(w, rows[i].width);
		assert_int_equal(kg_width(out), w);
		if (rows[i].max == 0 || kg_width(rows[i].s) <= rows[i].max)
			continue;
		/* a text known to be too wide is cut alike */
		memset(out, 0, sizeof(out));
		assert_int_equal(kg_width_cut(rows[i].s, rows[i].max, out, &w), n);
		assert_string_equal(out, rows[i].want);
		assert_int_equal(w, rows[i].width);
	}
}

/* kg_width_clean measures eight ASCII bytes at a time: a control character
 * at every offset of a long text, in every word position, is seen; the
 * bytes that only look like one (0xC2 of ©) are measured. */
static void
test_width_clean(void **state)
{
	static const struct {
		const char *s;
		size_t width;
	} rows[] = {
		{"2010-01-01", 10},
		{"in 30 days", 10},
		{"planned, gone, conflict", 23},
		{"GSOCの整備 (第2期) を2009年度に", 31},
		{"\xc2\xa9 \xc2\xa0 copyright and nbsp", 22},
		{"tab\there", KG_WIDTH_CONTROL},
		{"a long run of text, then\x7f", KG_WIDTH_CONTROL},
		{"総務省\x1b[2J", KG_WIDTH_CONTROL},
		{"\xc2\x9b" "31m", KG_WIDTH_CONTROL},
		{"half a C1 at the end \xc2", 22},
	};
	char buf[40];
	size_t i, at;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(kg_width_clean(rows[i].s, strlen(rows[i].s)), rows[i].width);
	for (at = 0; at < 32; at++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(kg_width_clean(buf, 33), 33);
		buf[at] = '\x1b';
		assert_int_equal(kg_width_clean(buf, 32), KG_WIDTH_CONTROL);
		buf[at] = '\x7f';
		assert_int_equal(kg_width_clean(buf, 32), KG_WIDTH_CONTROL);
		buf[at] = '\0';
		assert_int_equal(kg_width_clean(buf, 32), KG_WIDTH_CONTROL);
		buf[at] = '\xc2';
		buf[at + 1] = '\x85';
		assert_int_equal(kg_width_clean(buf, 33), KG_WIDTH_CONTROL);
		buf[at + 1] = '\xa9';  /* © is no control */
		assert_int_equal(kg_width_clean(buf, 33), 32);
	}
}

static void
test_controls(void **state)
{
	static const struct {
		const char *in, *keep, *out;
		size_t removed;
	} rows[] = {
		{"plain 平成", "", "plain 平成", 0},
		{"a\tb\nc\rd\fe", "\t\n\r\f", "a\tb\nc\rd\fe", 0},   /* import keeps these */
		{"a\tb\nc\rd\fe", "\n", "ab\ncde", 3},                     /* a feed line */
		{"t\x1b]52;c;aGk=\x07x", "", "t]52;c;aGk=x", 2},            /* OSC 52 */
		{"\x1b[2J\x1b]0;title\x07", "\t", "[2J]0;title", 3},
		{"del\x7f", "", "del", 1},
		{"c1\xc2\x9b" "31m \xc2\x85", "", "c131m ", 2},               /* CSI, NEL */
		{"\xc2\xa9 \xc2\xa0", "", "\xc2\xa9 \xc2\xa0", 0},         /* ©, NBSP: not C1 */
		{"\x01\x02\x1f", "", "", 3},
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", rows[i].in);
		assert_int_equal(kg_strip_controls(buf, rows[i].keep), rows[i].removed);
		assert_string_equal(buf, rows[i].out);
	}
	assert_int_equal(kg_is_control("\xc2", 1, ""), 0);   /* half a C1: not yet one */
	assert_int_equal(kg_is_control("\xc2\x9b", 2, ""), 2);
	assert_int_equal(kg_is_control("\x1b", 1, ""), 1);
	assert_int_equal(kg_is_control("\t", 1, "\t"), 0);
	assert_int_equal(kg_is_control("", 0, ""), 0);
}

/* kg_control_find looks at eight bytes at a time: a control character at
 * every offset of a long text is found where kg_is_control says it starts,
 * and the bytes that only look like one (0xC2 of ©, bytes above 0x7F) are
 * passed over. */
static void
test_control_find(void **state)
{
	enum { NONE = 1000 };    /* none: the length */
	static const struct {
		const char *in, *keep;
		size_t at;
	} rows[] = {
		{"", "", 0},
		{"plain text, no control here at all", "", NONE},
		{"総務省、経済産業省、内閣官房", "", NONE},
		{"\xc2\xa9 \xc2\xa0 copyright and nbsp, long enough", "", NONE},
		{"tab\there", "\t", NONE},
		{"tab\there", "", 3},
		{"trailing half a C1 \xc2", "", NONE},
		{"a long run of text, then\x7f", "", 24},
		{"\xc2\x9b" "31m", "", 0},
	};
	char buf[40];
	size_t i, at, len;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		len = strlen(rows[i].in);
		assert_int_equal(kg_control_find(rows[i].in, len, rows[i].keep),
		    rows[i].at == NONE ? len : rows[i].at);
	}
	/* ESC, DEL and C1 at each offset of 32 bytes, in every word position */
	for (at = 0; at < 32; at++) {
		memset(buf, 'x', sizeof(buf));
		buf[at] = '\x1b';
		assert_int_equal(kg_control_find(buf, 32, ""), at);
		buf[at] = '\x7f';
		assert_int_equal(kg_control_find(buf, 32, ""), at);
		buf[at] = '\xc2';
		buf[at + 1] = '\x85';
		assert_int_equal(kg_control_find(buf, 33, ""), at);
		buf[at + 1] = '\xa9';  /* © is no control */
		assert_int_equal(kg_control_find(buf, 33, ""), 33);
	}
}

static void
test_escape(void **state)
{
	static const struct {
		const char *in, *keep, *out;
	} rows[] = {
		{"plain 平成", "", "plain 平成"},
		{"t\x1b]52;c;aGk=\x07x", "", "t^[]52;c;aGk=^Gx"},     /* OSC 52 */
		{"a\tb\nc\rd", "\t\n\r", "a\tb\nc\rd"},          /* a terminal's text */
		{"a\tb\nc\rd", "\t", "a\tb^Jc^Md"},                 /* one line */
		{"del\x7f \xc2\x9b" "31m \xc2\xa9", "", "del^? <U+009B>31m \xc2\xa9"},
		{"\x01\x1f", "", "^A^_"},
	};
	char *buf;
	size_t i, len;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		f = open_memstream(&buf, &len);
		assert_non_null(f);
		kg_escape_controls(f, rows[i].in, strlen(rows[i].in), rows[i].keep);
		assert_int_equal(fclose(f), 0);
		assert_string_equal(buf, rows[i].out);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_snprintf),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_width_every_code_point),
		cmocka_unit_test(test_width_fit),
		cmocka_unit_test(test_width_clean),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_control_find),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
