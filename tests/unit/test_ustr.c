/* Unit tests for lib/ustr: numbers and years as printed, spans, the
 * line-joining buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ustr.h"

static struct kg_span
S(const char *s)
{
	return (struct kg_span){s, strlen(s)};
}

static void
test_years(void **state)
{
	static const struct {
		const char *text;
		int need_nen, year;
		const char *rest; /* what follows the year */
	} cases[] = {
		{"平成20年９月", 1, 2008, "９月"},
		{"令和元年度", 1, 2019, "度"},
		{"令和 6 年 10 月", 1, 2024, " 10 月"},       /* PDF spacing */
		{"２０２４年度", 1, 2024, "度"},
		{"2024 年度", 1, 2024, "度"},
		{"二〇〇八年", 1, 2008, ""},
		{"2024", 0, 2024, ""},                        /* bare Western year */
		{"2024", 1, -1, "2024"},
		{"１８９９年", 1, -1, "１８９９年"},          /* out of range */
		{"平成100年", 1, -1, "平成100年"},
		{"令和年", 1, -1, "令和年"},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kg_span t = S(cases[i].text);

		k = 0;
		if (kg_read_year(t, &k, cases[i].need_nen) != cases[i].year)
			fail_msg("'%s': year", cases[i].text);
		if (strcmp(t.s + k, cases[i].rest) != 0)
			fail_msg("'%s': rest '%s', expected '%s'", cases[i].text, t.s + k, cases[i].rest);
	}
}

static void
test_numbers(void **state)
{
	static const struct {
		const char *text;
		long value;
	} cases[] = {
		{"12", 12}, {"１２", 12}, {"十二", 12}, {"二十六", 26}, {"元", 1},
		{"百", 100}, {"年", -1}, {"", -1}, {"99999999", -1},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k = 0;
		if (kg_read_number(S(cases[i].text), &k) != cases[i].value)
			fail_msg("'%s'", cases[i].text);
	}
}

static void
test_spans(void **state)
{
	struct kg_span t = kg_span_trim(S("\u3000 総務省、経済産業省 \t"));
	char *dup;

	(void)state;
	assert_true(kg_span_eq(t, S("総務省、経済産業省")));
	assert_true(kg_span_starts(t, "総務省"));
	assert_true(kg_span_ends(t, "産業省"));
	assert_int_equal(kg_span_cps(t), 9);
	assert_int_equal(kg_span_find(t, "、"), strlen("総務省"));
	assert_int_equal(kg_span_find(t, "外務省"), -1);
	assert_int_equal(kg_span_count(S("「a」「b」"), "「"), 2);
	assert_true(kg_span_eq(kg_span_after(S("・ 実施。"), strlen("・")), S("実施。")));
	{
		size_t i = 0;
		struct kg_span t2 = S(" 実績：12% \u3000評価：Ａ");

		assert_true(kg_span_eq(kg_next_word(t2, &i), S("実績：12%")));
		assert_true(kg_span_eq(kg_next_word(t2, &i), S("評価：Ａ")));
		assert_int_equal(kg_next_word(t2, &i).len, 0);
	}
	assert_true(kg_is_circled(0x2460));
	assert_false(kg_is_circled('1'));
	assert_int_equal(kg_digit_value(0x4E5D), 9); /* 九 */
	dup = kg_span_dup(S("abc"));
	assert_string_equal(dup, "abc");
	free(dup);
}

/* kg_cp_at decodes ASCII and 3-byte sequences itself: it agrees with
 * utf8proc on every lead byte followed by every kind of byte (ASCII, each
 * continuation byte, a lead byte), truncated or not. */
static void
test_cp_at(void **state)
{
	static const unsigned char follow[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
		0xA0, 0xBF, 0xC0, 0xC2, 0xE3, 0xF0, 0xFF};
	unsigned char b[4];
	size_t f1, f2, len, n;
	int lead, checked = 0;

	(void)state;
	for (lead = 0; lead < 256; lead++)
		for (f1 = 0; f1 < sizeof(follow); f1++)
			for (f2 = 0; f2 < sizeof(follow); f2++)
				for (len = 1; len <= 4; len++) {
					utf8proc_int32_t want = -1;
					utf8proc_ssize_t r;
					int32_t got;

					b[0] = (unsigned char)lead;
					b[1] = follow[f1];
					b[2] = follow[f2];
					b[3] = 0x80;
					r = utf8proc_iterate(b, (utf8proc_ssize_t)len, &want);
					got = kg_cp_at((const char *)b, len, 0, &n);
					assert_int_equal(got, r > 0 ? want : -1);
					assert_int_equal(n, r > 0 ? (size_t)r : 1);
					checked++;
				}
	assert_int_equal(checked, 256 * 14 * 14 * 4);
}

static void
test_buf_join(void **state)
{
	struct kg_buf b = {0};

	(void)state;
	assert_int_equal(kg_buf_join(&b, S("平成21年３月中に結果をとりまと")), 0);
	assert_int_equal(kg_buf_join(&b, S("めた。Security")), 0);
	assert_int_equal(kg_buf_join(&b, S("Center")), 0); /* two Latin words: a space */
	assert_string_equal(b.s, "平成21年３月中に結果をとりまとめた。Security Center");
	kg_buf_free(&b);
	assert_null(b.s);
	kg_buf_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_cp_at),
		cmocka_unit_test(test_buf_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
