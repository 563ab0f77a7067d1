/*
 * jpchars — the Japanese characters the date scanner and the extractor test
 * one code point at a time, by name.
 *
 * Both modules work on text after per-character NFKC (lib/jpdate.h), so a
 * character that NFKC folds away never occurs there: full-width parentheses,
 * colon, tilde and digits arrive as their ASCII forms, the ideographic space
 * as U+0020 and the half-width middle dot as ・.  Only the forms that survive
 * NFKC are named here; words are matched as UTF-8 literals instead
 * (kg_jptext_match).
 */
#ifndef KG_JPCHARS_H
#define KG_JPCHARS_H

#include <stdbool.h>
#include <stdint.h>

enum {
	/* punctuation and brackets */
	JP_COMMA = 0x3001,          /* 、 */
	JP_FULL_STOP = 0x3002,      /* 。 */
	JP_ITERATION = 0x3005,      /* 々 */
	JP_LEFT_CORNER = 0x300C,    /* 「 */
	JP_RIGHT_CORNER = 0x300D,   /* 」 */
	JP_LEFT_WHITE_CORNER = 0x300E,  /* 『 */
	JP_RIGHT_WHITE_CORNER = 0x300F, /* 』 */
	JP_LEFT_LENTICULAR = 0x3010,    /* 【 */
	JP_RIGHT_LENTICULAR = 0x3011,   /* 】 */
	JP_WAVE_DASH = 0x301C,      /* 〜 (NFKC keeps it; ～ becomes ~) */
	JP_MIDDLE_DOT = 0x30FB,     /* ・ */
	JP_REPLACEMENT = 0xFFFD,    /* an invalid byte of the source */

	/* hiragana: particles and verb endings */
	JP_I = 0x3044,  /* い */
	JP_U = 0x3046,  /* う */
	JP_KU = 0x304F, /* く */
	JP_KA = 0x304B, /* か (3か所) */
	JP_GA = 0x304C, /* が */
	JP_GU = 0x3050, /* ぐ */
	JP_SHI = 0x3057, /* し */
	JP_SU = 0x3059, /* す */
	JP_TA = 0x305F, /* た */
	JP_DA = 0x3060, /* だ */
	JP_TSU = 0x3064, /* つ */
	JP_TE = 0x3066, /* て */
	JP_DE = 0x3067, /* で */
	JP_TO = 0x3068, /* と */
	JP_NA = 0x306A, /* な */
	JP_NI = 0x306B, /* に */
	JP_NO = 0x306E, /* の */
	JP_HA = 0x306F, /* は */
	JP_BU = 0x3076, /* ぶ */
	JP_HE = 0x3078, /* へ */
	JP_MU = 0x3080, /* む */
	JP_RU = 0x308B, /* る */
	JP_WO = 0x3092, /* を */

	/* numerals */
	JP_ZERO = 0x3007,   /* 〇 */
	JP_REI = 0x96F6,    /* 零 */
	JP_ONE = 0x4E00,    /* 一 */
	JP_TWO = 0x4E8C,    /* 二 */
	JP_THREE = 0x4E09,  /* 三 */
	JP_FOUR = 0x56DB,   /* 四 */
	JP_FIVE = 0x4E94,   /* 五 */
	JP_SIX = 0x516D,    /* 六 */
	JP_SEVEN = 0x4E03,  /* 七 */
	JP_EIGHT = 0x516B,  /* 八 */
	JP_NINE = 0x4E5D,   /* 九 */
	JP_TEN = 0x5341,    /* 十 */
	JP_HUNDRED = 0x767E, /* 百 */
	JP_THOUSAND = 0x5343, /* 千 */
	JP_GAN = 0x5143,    /* 元: the first year of an era */
	JP_DAI = 0x7B2C,    /* 第: ordinal prefix */
	JP_ME = 0x76EE,     /* 目: ordinal suffix (２回目) */
};

static inline bool
jp_is_hiragana(int32_t c)
{
	return c >= 0x3041 && c <= 0x309F;
}

/* CJK unified ideographs and extension A */
static inline bool
jp_is_ideograph(int32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

static inline bool
jp_is_digit(int32_t c)
{
	return c >= '0' && c <= '9';
}

static inline bool
jp_is_ascii_alnum(int32_t c)
{
	return jp_is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The last kana of a verb in its dictionary form (する, 図る, 取り組む,
 * 努める …): う く ぐ す つ ぶ む る. */
static inline bool
jp_is_dictionary_ending(int32_t c)
{
	return c == JP_U || c == JP_KU || c == JP_GU || c == JP_SU || c == JP_TSU
	    || c == JP_BU || c == JP_MU || c == JP_RU;
}

#endif
