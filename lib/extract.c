/*
 * extract — milestones from one bullet: status, certainty, kind, title.
 *
 * Works on the NFKC code points of kg_jptext (so keywords are written in
 * their normalised form below) and cuts strings from the original bytes.
 *
 * Which dates are events: every expression jpdate finds, except titles in
 * 「」, 現在 status dates, a bare year that only gives its year to a later
 * month of the sentence, and references to an earlier round (前回（…）,
 * …に引き続き).
 *
 * Status: the first status word after the date in its sentence wins (済,
 * a clause-final past 〜た → done; 予定, 見込, 目途, 目処, a clause-final
 * dictionary verb, に向け → planned; 実施中, 継続, 引き続き, 〜ている →
 * ongoing); a done word on a window that starts after the as-of date counts
 * as planned (it reports a decision about the future).  Without a word, the
 * window decides: over by the as-of date → done, not begun → planned, else
 * ongoing.
 *
 * Kind: the clauses after the date are read in order; in each, the first
 * strong predicate (公表, 決定, 着手 …) wins, unless it is an object (〜を)
 * of a later strong act that is not a mere start or end (改定を決定); a light one (実施, 開催, 行う)
 * takes the kind of a noun near it (演習, 調査, 会合, セミナー …) in the
 * clause or, failing that, in the clauses before the date.  With nothing
 * after the date, the nearest keyword before it decides (本格運用の開始は…).
 * A publication of a 報告書 is a report; completing work whose own clause
 * names it (更新作業を年度内に完了) takes that work's kind.  The tables are
 * documented in docs/dates.md.
 */
#include "extract.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpchars.h"

struct keyword {
	const char *word;
	enum kg_kind kind;
	int cls;
};

enum { KW_STRONG, KW_LIGHT, KW_NOUN };

/* Longer words first where one contains another. */
static const struct keyword keywords[] = {
	{"本格運用", KG_KIND_OPERATION_START, KW_STRONG},
	{"本格稼働", KG_KIND_OPERATION_START, KW_STRONG},
	{"本格的な運用", KG_KIND_OPERATION_START, KW_STRONG},
	{"運用開始", KG_KIND_OPERATION_START, KW_STRONG},
	{"運用を開始", KG_KIND_OPERATION_START, KW_STRONG},
	{"運用の開始", KG_KIND_OPERATION_START, KW_STRONG},
	{"供用開始", KG_KIND_OPERATION_START, KW_STRONG},
	{"稼働", KG_KIND_OPERATION_START, KW_STRONG},
	{"報告書", KG_KIND_REPORT, KW_NOUN},
	{"発表会", KG_KIND_MEETING, KW_NOUN},
	{"説明会", KG_KIND_MEETING, KW_NOUN},
	{"検討会", KG_KIND_MEETING, KW_NOUN},
	{"連絡会", KG_KIND_MEETING, KW_NOUN},
	{"意見交換会", KG_KIND_MEETING, KW_NOUN},
	{"委員会", KG_KIND_MEETING, KW_NOUN},
	{"会議", KG_KIND_MEETING, KW_NOUN},
	{"会合", KG_KIND_MEETING, KW_NOUN},
	{"シンポジウム", KG_KIND_MEETING, KW_NOUN},
	{"フォーラム", KG_KIND_MEETING, KW_NOUN},
	{"ワークショップ", KG_KIND_MEETING, KW_NOUN},
	{"演習", KG_KIND_EXERCISE, KW_NOUN},
	{"訓練", KG_KIND_EXERCISE, KW_NOUN},
	{"調査", KG_KIND_SURVEY, KW_NOUN},
	{"アンケート", KG_KIND_SURVEY, KW_NOUN},
	{"キャンペーン", KG_KIND_CAMPAIGN, KW_NOUN},
	{"月間", KG_KIND_CAMPAIGN, KW_NOUN},
	{"週間", KG_KIND_CAMPAIGN, KW_NOUN},
	{"セミナー", KG_KIND_CAMPAIGN, KW_NOUN},
	/* a call for comments is its own act, whatever its topic (改定案) */
	{"意見募集", KG_KIND_OTHER, KW_NOUN},
	{"意見公募", KG_KIND_OTHER, KW_NOUN},
	{"意見照会", KG_KIND_OTHER, KW_NOUN},
	{"パブリックコメント", KG_KIND_OTHER, KW_NOUN},
	{"公表", KG_KIND_PUBLICATION, KW_STRONG},
	{"公開", KG_KIND_PUBLICATION, KW_STRONG},
	{"発行", KG_KIND_PUBLICATION, KW_STRONG},
	{"刊行", KG_KIND_PUBLICATION, KW_STRONG},
	{"発表", KG_KIND_PUBLICATION, KW_STRONG},
	{"周知", KG_KIND_PUBLICATION, KW_STRONG},
	{"配布", KG_KIND_PUBLICATION, KW_STRONG},
	{"掲載", KG_KIND_PUBLICATION, KW_STRONG},
	{"作成", KG_KIND_PUBLICATION, KW_STRONG},
	{"報告", KG_KIND_REPORT, KW_STRONG},
	{"取りまとめ", KG_KIND_REPORT, KW_STRONG},
	{"とりまとめ", KG_KIND_REPORT, KW_STRONG},
	{"取り纏め", KG_KIND_REPORT, KW_STRONG},
	{"取纏め", KG_KIND_REPORT, KW_STRONG},
	{"改訂", KG_KIND_REVISION, KW_STRONG},
	{"改定", KG_KIND_REVISION, KW_STRONG},
	{"改正", KG_KIND_REVISION, KW_STRONG},
	{"見直し", KG_KIND_REVISION, KW_STRONG},
	{"選定", KG_KIND_DECISION, KW_STRONG},
	{"更新", KG_KIND_REVISION, KW_STRONG},
	{"着手", KG_KIND_LAUNCH, KW_STRONG},
	{"開始", KG_KIND_LAUNCH, KW_STRONG},
	{"創刊", KG_KIND_LAUNCH, KW_STRONG},
	{"立ち上げ", KG_KIND_LAUNCH, KW_STRONG},
	{"始動", KG_KIND_LAUNCH, KW_STRONG},
	{"完了", KG_KIND_COMPLETION, KW_STRONG},
	{"完成", KG_KIND_COMPLETION, KW_STRONG},
	{"終了", KG_KIND_COMPLETION, KW_STRONG},
	{"終え", KG_KIND_COMPLETION, KW_STRONG},
	{"閣議決定", KG_KIND_DECISION, KW_STRONG},
	{"結論", KG_KIND_DECISION, KW_STRONG},
	{"決定", KG_KIND_DECISION, KW_STRONG},
	{"策定", KG_KIND_DECISION, KW_STRONG},
	{"決議", KG_KIND_DECISION, KW_STRONG},
	{"採択", KG_KIND_DECISION, KW_STRONG},
	{"創設", KG_KIND_ESTABLISHMENT, KW_STRONG},
	{"設置", KG_KIND_ESTABLISHMENT, KW_STRONG},
	{"設立", KG_KIND_ESTABLISHMENT, KW_STRONG},
	{"発足", KG_KIND_ESTABLISHMENT, KW_STRONG},
	/* acts of no kind of their own that still end the search for one */
	{"適用", KG_KIND_OTHER, KW_STRONG},
	{"開催", KG_KIND_MEETING, KW_LIGHT},
	{"実施", KG_KIND_OTHER, KW_LIGHT},
	{"行う", KG_KIND_OTHER, KW_LIGHT},
	{"行い", KG_KIND_OTHER, KW_LIGHT},
	{"行っ", KG_KIND_OTHER, KW_LIGHT},
	{NULL, KG_KIND_OTHER, 0},
};

struct span {
	size_t a, b; /* code points [a, b) */
};

struct bullet {
	const char *text;
	const struct kg_jptext *t;
	const struct kg_jpctx *ctx;
	const struct kg_jpdate *dates; /* all date expressions of the bullet */
	size_t nd;
};

static size_t
match(const struct bullet *bl, size_t i, const char *w)
{
	return kg_jptext_match(bl->t, i, w);
}

static int32_t
cp_at(const struct bullet *bl, size_t i)
{
	return i < bl->t->n ? bl->t->cp[i] : 0;
}

static bool
is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
opens(int32_t c)
{
	return c == JP_LEFT_CORNER || c == JP_LEFT_WHITE_CORNER || c == '('
	    || c == JP_LEFT_LENTICULAR;
}

static bool
closes(int32_t c)
{
	return c == JP_RIGHT_CORNER || c == JP_RIGHT_WHITE_CORNER || c == ')'
	    || c == JP_RIGHT_LENTICULAR;
}

/* Whether c ends a clause (or the text). */
static bool
ends_clause(int32_t c)
{
	return c == 0 || c == JP_FULL_STOP || c == JP_COMMA || c == ')';
}

/* ---------------------------------------------------------- keywords */

/* Tracks 「」『』 nesting across c; true while inside quotes. */
static bool
quote_step(int32_t c, int *quote)
{
	if (c == JP_LEFT_CORNER || c == JP_LEFT_WHITE_CORNER)
		(*quote)++;
	else if ((c == JP_RIGHT_CORNER || c == JP_RIGHT_WHITE_CORNER) && *quote)
		(*quote)--;
	return *quote > 0;
}

/* What ends a clause besides punctuation (clause_end). */
static const char *const clause_breaks[] = {"上で", "とともに", NULL};

/* Particles and a comma right after a date (skip_particles). */
static const char *const date_particles[] = {"を目途に", "を目処に", "をめどに",
	"目途に", "目処に", "に向けて", "に向け", "には", "にも", "は", "に", "の",
	"を", "も", "で", "、", NULL};

/* Particles and status words trimmed off the end of a title (trim_tail). */
static const char *const title_tails[] = {"する予定であり", "予定であり", "であり",
	"する予定", "の予定", "を予定", "予定である", "予定", "となる見込み",
	"見込み", "しているところ", "ているところ", "ところ", "している", "ている",
	"ていく", "するなど", "など", "させる", "させた", "された", "される",
	"され", "た後", "済み", "済", "を目途", "を目処", "を行う", "とした", "とし",
	"する", "した", "し", "中", "を", "に", "の", "は", "が", "である", "については",
	"について", "た", NULL};
static size_t tail_cps[sizeof(title_tails) / sizeof(title_tails[0])]; /* lengths */

/* The characters the keywords, status words, clause breaks and particles
 * begin with, and those the tails end with: the words are tried only where
 * one can start or end (most positions of a text start none), and a
 * keyword only where its own first character stands. */
static struct kg_cpset break_starts, particle_starts, tail_ends;
static struct kg_cpset keyword_starts, status_starts;
static int32_t keyword_first[sizeof(keywords) / sizeof(keywords[0])];
static size_t keyword_cps[sizeof(keywords) / sizeof(keywords[0])]; /* its length */
static pthread_once_t starts_once = PTHREAD_ONCE_INIT;
static void starts_build(void);

static const struct keyword *
keyword_at(const struct bullet *bl, size_t i, size_t *len)
{
	int32_t c = cp_at(bl, i);
	size_t k;

	*len = 0;
	if (!kg_cpset_has(&keyword_starts, c))
		return NULL;
	for (k = 0; keywords[k].word; k++)
		if (keyword_first[k] == c && (*len = match(bl, i, keywords[k].word)))
			return &keywords[k];
	return NULL;
}

/* A keyword that heads a compound noun (改定案, 改定版, 採択結果, 改定後,
 * 稼働前) names a thing, not the act. */
static bool
compound_noun(const struct bullet *bl, size_t i)
{
	static const char *const heads[] = {"案", "版", "後", "前", "結果", "状況",
		"作業", NULL};
	size_t w;

	for (w = 0; heads[w]; w++)
		if (match(bl, i, heads[w]))
			return true;
	return false;
}

/* A keyword that only qualifies another noun (演習型の講座, 演習を中心とする
 * 講座, 会議形式で) is not the event. */
static bool
qualifier(const struct bullet *bl, size_t i)
{
	static const char *const marks[] = {"型", "形式", "を中心と", NULL};
	size_t w;

	for (w = 0; marks[w]; w++)
		if (match(bl, i, marks[w]))
			return true;
	return false;
}

/* Clause end after i (exclusive): 、 。 上で とともに, a ) that closes a
 * bracket opened before i, or lim.  Quoted text does not end a clause. */
static size_t
clause_end(const struct bullet *bl, size_t i, size_t lim)
{
	int quote = 0, paren = 0;
	size_t w;

	for (; i < lim; i++) {
		int32_t c = cp_at(bl, i);

		if (quote_step(c, &quote))
			continue;
		if (c == '(')
			paren++;
		else if (c == ')' && paren)
			paren--;
		else if (c == ')' || (!paren && (c == JP_COMMA || c == JP_FULL_STOP || c == ',')))
			return i;
		for (w = 0; !paren && kg_cpset_has(&break_starts, c) && clause_breaks[w]; w++)
			if (match(bl, i, clause_breaks[w]))
				return i;
	}
	return lim;
}

/* Start of the clause that ends at i: after the previous 、 。 or a ( still
 * open at i; a bracket closed before i is part of the clause (演習（CYDER）を
 * …に実施). */
static size_t
clause_start(const struct bullet *bl, size_t i, size_t lim)
{
	int depth = 0;

	while (i > lim) {
		int32_t c = cp_at(bl, i - 1);

		if (c == JP_FULL_STOP || (depth == 0 && (c == JP_COMMA || c == ',' || c == '(')))
			break;
		if (c == ')')
			depth++;
		else if (c == '(')
			depth--;
		i--;
	}
	return i;
}

/* Starting or finishing (開始, 着手, 完了 …) is a phase of the work it
 * applies to, not an event of its own. */
static bool
aspectual(const struct keyword *k)
{
	return k->kind == KG_KIND_LAUNCH || k->kind == KG_KIND_COMPLETION;
}

/*
 * The keywords of one clause: the first predicate (a strong one, or a light
 * one used as a verb — not 実施を, 実施の), the first noun, the object (the
 * last noun before を) and the first and last keyword of any sort.  Nouns
 * count inside 「」 (「サイバーセキュリティ月間」); predicates do not.
 */
struct clause_kw {
	const struct keyword *verb, *noun, *object, *first, *last;
};

static void
clause_keywords(const struct bullet *bl, size_t a, size_t b, struct clause_kw *kw)
{
	static const char *const not_verb[] = {"を", "の", "に", "が", "は", NULL};
	int quote = 0;
	size_t i, len, w;
	bool verb_is_object = false;

	memset(kw, 0, sizeof(*kw));
	for (i = a; i < b; i++) {
		const struct keyword *k;
		bool quoted = quote_step(cp_at(bl, i), &quote);
		bool noun;

		if ((k = keyword_at(bl, i, &len)) == NULL)
			continue;
		if (qualifier(bl, i + len)) {
			i += len - 1;
			continue;
		}
		noun = k->cls == KW_NOUN || quoted || compound_noun(bl, i + len);
		if (k->cls == KW_LIGHT && !noun) {
			for (w = 0; not_verb[w]; w++)
				if (match(bl, i + len, not_verb[w]))
					noun = true;
			if (noun) { /* 本格実施を開始: not a predicate, not a thing */
				i += len - 1;
				continue;
			}
		}
		/* 開催予定の会議: the meeting is a modifier, not the event */
		if (!noun && match(bl, i + len, "予定の")) {
			i += len - 1;
			continue;
		}
		if (!kw->first)
			kw->first = k;
		kw->last = k;
		if (noun) {
			if (!kw->noun)
				kw->noun = k;
			if (match(bl, i + len, "を") || (compound_noun(bl, i + len)
			    && match(bl, i + len + 1, "を")))
				kw->object = k;
		} else if (!kw->verb || (verb_is_object && k->cls == KW_STRONG
		    && !aspectual(k))) {
			/* 改定を決定, 改定が決定された, 改訂を公表: the act done
			 * to the object is the event; 本格運用を開始, 改定を完了
			 * stay the object's */
			kw->verb = k;
			verb_is_object = match(bl, i + len, "を") || match(bl, i + len, "が");
		}
		i += len - 1;
	}
}

/* The first keyword of the nearest clause before pos (back to lim) that has
 * one, or -1. */
static int
kind_before(const struct bullet *bl, size_t pos, size_t lim)
{
	size_t b = pos, a;
	struct clause_kw kw;

	while (b > lim) {
		a = clause_start(bl, b, lim);
		clause_keywords(bl, a, b, &kw);
		if (kw.first)
			return (int)kw.first->kind;
		b = a > lim ? a - 1 : lim;
	}
	return -1;
}

/* What a light verb (実施, 開催, 行う) acts on, when its own clause names
 * nothing: the head noun of the nearest clause before the date that ends in
 * を or は (説明会を、…に開催; …の改訂については、…に行う), or -1. */
static int
kind_of_topic(const struct bullet *bl, size_t pos, size_t lim)
{
	size_t b = pos, a, e;
	struct clause_kw kw;

	while (b > lim) {
		a = clause_start(bl, b, lim);
		e = b;
		while (e > a && (cp_at(bl, e - 1) == JP_COMMA || is_space(cp_at(bl, e - 1))))
			e--;
		if (e > a && (cp_at(bl, e - 1) == JP_WO || cp_at(bl, e - 1) == JP_HA)) {
			clause_keywords(bl, a, e, &kw);
			return kw.last ? (int)kw.last->kind : -1;
		}
		b = a > lim ? a - 1 : lim;
	}
	return -1;
}

static bool
sentence_has(const struct bullet *bl, struct span sent, const char *w)
{
	size_t i;

	for (i = sent.a; i < sent.b; i++)
		if (match(bl, i, w))
			return true;
	return false;
}

/* Skips particles and a comma right after a date. */
static size_t
skip_particles(const struct bullet *bl, size_t i, size_t lim)
{
	size_t k, w;
	bool again = true;

	while (again && i < lim && kg_cpset_has(&particle_starts, cp_at(bl, i))) {
		again = false;
		for (w = 0; date_particles[w]; w++)
			if ((k = match(bl, i, date_particles[w]))) {
				i += k;
				again = true;
				break;
			}
	}
	return i;
}

/* Where the date's own clause starts: after its particles; for a date alone
 * in brackets (会議（平成20年４月22日）に報告した), after the bracket. */
static size_t
own_clause(const struct bullet *bl, const struct kg_jpdate *d, size_t lim)
{
	size_t a = skip_particles(bl, d->cp_end, lim);

	if (a < lim && cp_at(bl, a) == ')')
		a = skip_particles(bl, a + 1, lim);
	return a;
}

/* Whether [a, b) has an object (を outside brackets): the clause names an
 * act of its own (修了者を認定する). */
static bool
has_object(const struct bullet *bl, size_t a, size_t b)
{
	int depth = 0;
	size_t i;

	for (i = a; i < b; i++) {
		int32_t c = cp_at(bl, i);

		if (opens(c))
			depth++;
		else if (closes(c) && depth)
			depth--;
		else if (!depth && c == JP_WO)
			return true;
	}
	return false;
}

/* Whether [a, b) holds its event in several places (全国10都市で, 各地で):
 * over a range of dates, a series. */
static bool
several_places(const struct bullet *bl, size_t a, size_t b)
{
	static const char *const places[] = {"都市で", "か所で", "箇所で", "カ所で",
		"各地で", NULL};
	size_t i, w;

	for (i = a; i < b; i++)
		for (w = 0; places[w]; w++)
			if (match(bl, i, places[w]))
				return true;
	return false;
}

/* A meeting held over a range of dates in several places is a campaign
 * (セミナーを７月～９月に全国10都市で開催). */
static enum kg_kind
series_kind(const struct bullet *bl, const struct kg_jpdate *d, size_t a, size_t b,
    enum kg_kind k)
{
	if (k == KG_KIND_MEETING && (d->flags & KG_JP_RANGE) && several_places(bl, a, b))
		return KG_KIND_CAMPAIGN;
	return k;
}

static enum kg_kind
kind_near(const struct bullet *bl, struct span sent, const struct kg_jpdate *d,
    size_t next_date)
{
	size_t lim = next_date < sent.b ? next_date : sent.b;
	size_t a = own_clause(bl, d, lim), b;
	size_t own = clause_start(bl, d->cp_start, sent.a);
	/* a date that times the clause's own act on an object (…迄に修了者を
	 * 認定する) never borrows; one that qualifies a noun (秋頃の実施を目途に)
	 * may */
	bool own_act = !match(bl, d->cp_end, "の") && has_object(bl, a, clause_end(bl, a, lim));
	struct clause_kw kw;
	int k;

	/* the clauses after the date, up to the next date: the first that has
	 * a predicate or a noun decides */
	while (a < lim) {
		b = clause_end(bl, a, lim);
		clause_keywords(bl, a, b, &kw);
		if (kw.verb && kw.verb->cls == KW_STRONG) {
			/* 更新作業を年度内に完了: completing the work named before */
			if (kw.verb->kind == KG_KIND_COMPLETION && own < d->cp_start
			    && (k = kind_before(bl, d->cp_start, own)) >= 0)
				return (enum kg_kind)k;
			return kw.verb->kind;
		}
		if (kw.verb) {
			if (kw.object || kw.noun)
				return series_kind(bl, d, a, b,
				    (kw.object ? kw.object : kw.noun)->kind);
			k = kind_of_topic(bl, d->cp_start, sent.a);
			return series_kind(bl, d, a, b,
			    k >= 0 ? (enum kg_kind)k : kw.verb->kind);
		}
		if (kw.noun)
			return (kw.object ? kw.object : kw.noun)->kind;
		if (cp_at(bl, b) == JP_FULL_STOP)
			break;
		a = b + 1;
	}
	/* nothing after it: 本格運用の開始は平成21年６月となる見込み */
	k = own_act ? -1 : kind_before(bl, d->cp_start, sent.a);
	if (k >= 0)
		return (enum kg_kind)k;
	return (d->flags & KG_JP_FROM) ? KG_KIND_LAUNCH : KG_KIND_OTHER;
}

/* Whether the bracket holding d says when the noun before it happens: the
 * date alone followed by の or に合わせ (「…月間」（…）の実施, 月間（…）に
 * 合わせ), or the date and a light verb (会議（…開催予定）に報告する).  A
 * bracket with only the date followed by に, で … (会議（…）に報告した)
 * dates the act after it instead. */
static bool
dates_noun_before(const struct bullet *bl, const struct kg_jpdate *d)
{
	static const char *const after[] = {"の", "に合わせ", "にあわせ", "に併せ", NULL};
	const struct keyword *k;
	size_t w, len;

	if (cp_at(bl, d->cp_end) == ')') {
		for (w = 0; after[w]; w++)
			if (match(bl, d->cp_end + 1, after[w]))
				return true;
		return false;
	}
	k = keyword_at(bl, d->cp_end, &len);
	return k != NULL && k->cls == KW_LIGHT
	    && cp_at(bl, clause_end(bl, d->cp_end, bl->t->n)) == ')';
}

/* The kind of the noun right before the bracket that dates it
 * (dates_noun_before), or -1. */
static int
kind_of_bracketed(const struct bullet *bl, const struct kg_jpdate *d)
{
	size_t q = d->cp_start, k;

	if (q == 0 || cp_at(bl, q - 1) != '(' || !dates_noun_before(bl, d))
		return -1;
	q--;
	if (q > 0 && (cp_at(bl, q - 1) == JP_RIGHT_CORNER || cp_at(bl, q - 1) == JP_RIGHT_WHITE_CORNER))
		q--;
	for (k = 0; keywords[k].word; k++) {
		size_t n = keyword_cps[k];

		if (keywords[k].cls == KW_NOUN && n <= q && match(bl, q - n, keywords[k].word) == n)
			return (int)keywords[k].kind;
	}
	return -1;
}

/* Is d under a label: its sentence opens with a short "<label>:"
 * (実施時期：令和３年度検討開始、令和４年度結論), a cell of a flattened table? */
#define LABEL_MAX_CP 8

static bool
labelled(const struct bullet *bl, struct span sent, const struct kg_jpdate *d)
{
	size_t i;

	for (i = sent.a; i < d->cp_start && i <= sent.a + LABEL_MAX_CP; i++)
		if (cp_at(bl, i) == ':')
			return i > sent.a;
	return false;
}

/*
 * A date under a label (実施時期：平成26年10月) has no sentence of its own:
 * it takes the act of its own clause (令和３年度検討開始 → launch, 令和４年度
 * 結論 → decision), else it dates what the sentence before it says, whose
 * main predicate comes last.  -1 when d has no label.
 */
static int
kind_of_labelled(const struct bullet *bl, struct span sent, const struct kg_jpdate *d)
{
	struct clause_kw kw;
	size_t a, b = sent.a;

	if (!labelled(bl, sent, d))
		return -1;
	a = own_clause(bl, d, sent.b);
	clause_keywords(bl, a, clause_end(bl, a, sent.b), &kw);
	if (kw.verb)
		return (int)kw.verb->kind;
	while (b > 0 && (is_space(cp_at(bl, b - 1)) || cp_at(bl, b - 1) == JP_FULL_STOP))
		b--;
	for (a = b; a > 0 && cp_at(bl, a - 1) != JP_FULL_STOP; a--)
		;
	clause_keywords(bl, a, b, &kw);
	if (kw.last == NULL)
		return -1;
	/* 見直しを行う, 演習を実施する: a light predicate takes its object */
	if (kw.last->cls == KW_LIGHT)
		return (int)(kw.object ? kw.object : kw.verb && kw.verb->cls != KW_LIGHT ? kw.verb :
		    kw.noun ? kw.noun : kw.last)->kind;
	return (int)kw.last->kind;
}

/* The kind of the event at d; publishing a 報告書 is a report. */
static enum kg_kind
find_kind(const struct bullet *bl, struct span sent, const struct kg_jpdate *d,
    size_t next_date)
{
	enum kg_kind k;
	int kb;

	/* 「情報セキュリティ月間」（平成25年２月１日～３月18日）の…: the bracket
	 * dates the noun before it */
	if ((d->flags & KG_JP_PAREN) && (kb = kind_of_bracketed(bl, d)) >= 0)
		return (enum kg_kind)kb;
	if ((kb = kind_of_labelled(bl, sent, d)) >= 0)
		return (enum kg_kind)kb;
	/* 研究開発（平成20～22年度）: the period of a project */
	if ((d->flags & KG_JP_PAREN) && (d->flags & KG_JP_RANGE))
		return KG_KIND_OTHER;
	k = kind_near(bl, sent, d, next_date);

	if (k == KG_KIND_PUBLICATION && sentence_has(bl, sent, "報告書"))
		return KG_KIND_REPORT;
	return k;
}

/* ------------------------------------------------------------ status */

/* Status words, tried in this order: the first that matches wins. */
struct status_word {
	const char *word;
	enum kg_status status;
	enum kg_certainty cert;
	bool clause_final;  /* only where it closes its clause (※…取組終了) */
};

static const struct status_word status_words[] = {
	{"予定", KG_STATUS_PLANNED, KG_CERT_PLANNED, false},
	{"見込", KG_STATUS_PLANNED, KG_CERT_EXPECTED, false},
	{"目途", KG_STATUS_PLANNED, KG_CERT_TARGET, false},
	{"目処", KG_STATUS_PLANNED, KG_CERT_TARGET, false},
	{"めど", KG_STATUS_PLANNED, KG_CERT_TARGET, false},
	/* 措置済み; a noun of ending that closes its clause */
	{"済", KG_STATUS_DONE, KG_CERT_NONE, false},
	{"終了", KG_STATUS_DONE, KG_CERT_NONE, true},
	{"実施中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"検討中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"推進中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"作業中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"調整中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"準備中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"運用中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"開発中", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"継続", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"引き続き", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"ている", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"ております", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"ているところ", KG_STATUS_ONGOING, KG_CERT_NONE, false},
	{"に向け", KG_STATUS_PLANNED, KG_CERT_NONE, false},
	{"方針", KG_STATUS_PLANNED, KG_CERT_NONE, false},
	{"こととしている", KG_STATUS_PLANNED, KG_CERT_NONE, false},
	{"ことを検討", KG_STATUS_PLANNED, KG_CERT_NONE, false},
	{"される", KG_STATUS_PLANNED, KG_CERT_NONE, false},
	{NULL, KG_STATUS_PLANNED, KG_CERT_NONE, false},
};

static void
starts_build(void)
{
	size_t i;

	for (i = 0; keywords[i].word; i++) {
		const unsigned char *u = (const unsigned char *)keywords[i].word;

		kg_cpset_add_first(&keyword_starts, keywords[i].word);
		keyword_first[i] = kg_literal_cp(&u);
		for (keyword_cps[i] = 1; *u; keyword_cps[i]++)
			kg_literal_cp(&u);
	}
	for (i = 0; status_words[i].word; i++)
		kg_cpset_add_first(&status_starts, status_words[i].word);
	kg_cpset_add_firsts(&break_starts, clause_breaks);
	kg_cpset_add_firsts(&particle_starts, date_particles);
	for (i = 0; title_tails[i]; i++) {
		const unsigned char *u = (const unsigned char *)title_tails[i];
		int32_t c = 0;

		for (tail_cps[i] = 0; *u; tail_cps[i]++)
			c = kg_literal_cp(&u);
		kg_cpset_add(&tail_ends, c);
	}
}

/* A status word at i: sets *st and *cert (KG_CERT_NONE when the word says
 * nothing about certainty) and returns true. */
static bool
status_at(const struct bullet *bl, size_t i, enum kg_status *st, enum kg_certainty *cert)
{
	const struct status_word *w;
	int32_t c = cp_at(bl, i), next, prev;
	size_t k;

	*cert = KG_CERT_NONE;
	for (w = status_words; kg_cpset_has(&status_starts, c) && w->word; w++)
		if ((k = match(bl, i, w->word)) && (!w->clause_final
		    || ends_clause(cp_at(bl, i + k)))) {
			*st = w->status;
			*cert = w->cert;
			return true;
		}
	prev = i ? cp_at(bl, i - 1) : 0;
	if (!jp_is_hiragana(prev) && !jp_is_ideograph(prev))
		return false;
	next = cp_at(bl, i + 1);
	/* a clause-final past: 決定した。 公表した、 創設された。 */
	if (c == JP_TA && (next == JP_FULL_STOP || next == JP_COMMA || next == ')'
	    || next == 0 || match(bl, i + 1, "が"))) {
		*st = KG_STATUS_DONE;
		return true;
	}
	/* a clause-final dictionary form: 公表する。 取り組む。 周知するとともに */
	if (jp_is_dictionary_ending(c)
	    && (next == JP_FULL_STOP || next == 0 || match(bl, i + 1, "とともに")
	    || match(bl, i + 1, "ほか"))
	    && !match(bl, i - 1, "いる") && !match(bl, i - 1, "ある")
	    && !match(bl, i - 1, "れる")) {
		*st = KG_STATUS_PLANNED;
		return true;
	}
	return false;
}

/* The first status word of [a, b) outside quotes, with the first certainty
 * word of [a, cert_lim). */
static bool
first_status(const struct bullet *bl, size_t a, size_t b, size_t cert_lim,
    enum kg_status *st, enum kg_certainty *cert)
{
	bool found = false;
	int quote = 0;
	size_t i;

	for (i = a; i < cert_lim; i++) {
		enum kg_status s2;
		enum kg_certainty c2;

		if (quote_step(cp_at(bl, i), &quote) || !status_at(bl, i, &s2, &c2))
			continue;
		if (i < b && !found) {
			*st = s2;
			found = true;
		}
		if (c2 != KG_CERT_NONE) {
			*cert = c2;
			break;
		}
	}
	return found;
}

/*
 * Status words for the date d: the first in its own clause (through the
 * closing bracket of a parenthesised date); certainty from the first
 * certainty word up to the end of the sentence.
 */
static bool
status_of(const struct bullet *bl, struct span sent, const struct kg_jpdate *d,
    enum kg_status *st, enum kg_certainty *cert)
{
	size_t a = own_clause(bl, d, sent.b), b = clause_end(bl, a, sent.b), i;
	enum kg_status last;
	enum kg_certainty ignored;
	bool found = false;
	int quote = 0;

	if (first_status(bl, a, b, sent.b, st, cert))
		return true;
	/* 〜を実施し、…した。: a connective clause takes the tense of the
	 * sentence's last done or planned word (not an ongoing one, which
	 * describes the later clause's own work) */
	if (b < sent.b && b > a && (cp_at(bl, b - 1) == JP_SHI || cp_at(bl, b - 1) == JP_TE)) {
		for (i = b; i < sent.b; i++) {
			if (quote_step(cp_at(bl, i), &quote) || match(bl, i, "に向け")
			    || !status_at(bl, i, &last, &ignored))
				continue;
			if (last != KG_STATUS_ONGOING) {
				*st = last;
				found = true;
			}
		}
	}
	return found;
}

static enum kg_status
status_by_window(kg_day ws, kg_day we, kg_day as_of)
{
	if (as_of == KG_DAY_NONE)
		return KG_STATUS_PLANNED;
	if (ws > as_of)
		return KG_STATUS_PLANNED;
	if (we != KG_DAY_NONE && we <= as_of)
		return KG_STATUS_DONE;
	return KG_STATUS_ONGOING;
}

/* ------------------------------------------------------------- strings */

static char *
cut(const struct bullet *bl, size_t a, size_t b)
{
	size_t from, to;
	char *s;

	if (b <= a)
		return strdup("");
	from = bl->t->src_start[a];
	to = bl->t->src_end[b - 1];
	s = malloc(to - from + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, bl->text + from, to - from);
	s[to - from] = '\0';
	return s;
}

/* The sentence without leading ・ and blanks. */
static struct span
trim_sentence(const struct bullet *bl, struct span s)
{
	while (s.a < s.b && (is_space(cp_at(bl, s.a)) || cp_at(bl, s.a) == JP_MIDDLE_DOT))
		s.a++;
	while (s.b > s.a && is_space(cp_at(bl, s.b - 1)))
		s.b--;
	return s;
}

/* The end of sentence s before its 。, closing brackets and blanks. */
static size_t
sentence_end(const struct bullet *bl, struct span s)
{
	size_t b = s.b;

	if (b > s.a && cp_at(bl, b - 1) == JP_FULL_STOP)
		b--;
	while (b > s.a && (closes(cp_at(bl, b - 1)) || is_space(cp_at(bl, b - 1))))
		b--;
	return b;
}

/* Whether sentence s ends in a past or a state (…した。 …している。 …である。). */
static bool
reports_state(const struct bullet *bl, struct span s)
{
	size_t b = sentence_end(bl, s);
	int32_t c = b > s.a ? cp_at(bl, b - 1) : 0;

	return c == JP_TA || c == JP_DA || (b >= s.a + 2 && (match(bl, b - 2, "いる")
	    || match(bl, b - 2, "ある")));
}

/* A sentence with no event that still commits to future work. */
static bool
is_commitment(const struct bullet *bl, struct span s)
{
	static const char *const endings[] = {"予定", "予定である", "見込み",
		"見込みである", "方針", "方針である", NULL};
	size_t b = sentence_end(bl, s), w, k;
	int32_t c;

	if (b == s.a)
		return false;
	for (w = 0; endings[w]; w++) {
		size_t len = strlen(endings[w]) / 3;

		if (b >= s.a + len && (k = match(bl, b - len, endings[w])) == len)
			return true;
	}
	c = cp_at(bl, b - 1);
	if (b >= s.a + 2 && (match(bl, b - 2, "いる") || match(bl, b - 2, "ある")
	    || match(bl, b - 2, "れる")))
		return false;
	return jp_is_dictionary_ending(c);
}

/* ------------------------------------------------------------- titles */

/*
 * A title says what happens at the date, like a calendar entry: the
 * predicate after the date without place phrases (〜において, 〜にて),
 * adverbs and status words; when that predicate is only a verb, its object
 * comes from before the date (…の調査を平成20年８月に依頼済み → …の調査を
 * 依頼).  Objects are cut to their head noun phrase.  The rules are in
 * docs/dates.md ("Titles").
 */

#define OBJECT_MIN_CP 12
#define OBJECT_MAX_CP 24

struct title {
	char *s;
	size_t len, cap;
	bool oom;
};

static void
title_add(struct title *t, const char *s, size_t len)
{
	if (t->oom)
		return;
	if (t->len + len + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 64;
		char *ns;

		while (cap < t->len + len + 1)
			cap *= 2;
		if ((ns = realloc(t->s, cap)) == NULL) {
			t->oom = true;
			return;
		}
		t->s = ns;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
	t->s[t->len] = '\0';
}

/* Appends the original text of code points [a, b). */
static void
title_cps(struct title *t, const struct bullet *bl, size_t a, size_t b)
{
	size_t from, to;

	if (b <= a)
		return;
	from = bl->t->src_start[a];
	to = bl->t->src_end[b - 1];
	if (to > from)
		title_add(t, bl->text + from, to - from);
}

/* Tracks ( ) and 「」『』 nesting across c; true while inside either. */
static bool
bracket_step(int32_t c, int *depth)
{
	if (opens(c))
		(*depth)++;
	else if (closes(c) && *depth)
		(*depth)--;
	return *depth > 0;
}

/* [a, b) without trailing particles and status words. */
static size_t
trim_tail(const struct bullet *bl, size_t a, size_t b)
{
	bool trimmed = true;
	size_t w;

	while (b > a && is_space(cp_at(bl, b - 1)))
		b--;
	while (trimmed && b > a && kg_cpset_has(&tail_ends, cp_at(bl, b - 1))) {
		trimmed = false;
		for (w = 0; title_tails[w]; w++) {
			size_t len = tail_cps[w];

			if (b >= a + len && match(bl, b - len, title_tails[w]) == len) {
				b -= len;
				trimmed = true;
				break;
			}
		}
	}
	return b;
}

/* Skips what frames the event rather than saying it: blanks, adverbs
 * (引き続き, 今後も) and leading place phrases (警察大学校において). */
static size_t
skip_frame(const struct bullet *bl, size_t a, size_t b)
{
	static const char *const adverbs[] = {"引き続き", "今後も", "今後", "実際に",
		"かけて", "更に", "さらに", "順次", "、", NULL};
	static const char *const frames[] = {"において", "にて", NULL};
	bool again = true;
	size_t i, k, w;
	int depth;

	while (again) {
		again = false;
		while (a < b && is_space(cp_at(bl, a)))
			a++;
		for (w = 0; adverbs[w] && !again; w++)
			if ((k = match(bl, a, adverbs[w])) && a + k <= b) {
				a += k;
				again = true;
			}
		for (i = a, depth = 0; i < b && !again; i++) {
			int32_t c = cp_at(bl, i);

			if (bracket_step(c, &depth))
				continue;
			if (c == JP_WO || c == JP_GA) /* the object starts */
				break;
			for (w = 0; frames[w]; w++)
				if ((k = match(bl, i, frames[w])) && i + k <= b) {
					a = i + k;
					again = true;
					break;
				}
		}
	}
	return a;
}

/* The last を (else が) of [a, b) outside brackets, or b. */
static size_t
object_end(const struct bullet *bl, size_t a, size_t b)
{
	size_t i, wo = b, ga = b;
	int depth = 0;

	for (i = a; i < b; i++) {
		int32_t c = cp_at(bl, i);

		if (bracket_step(c, &depth))
			continue;
		if (c == JP_WO)
			wo = i;
		else if (c == JP_GA)
			ga = i;
	}
	return wo < b ? wo : ga;
}

/* Where the phrase ending at b starts: after the previous 、 or 。 or an
 * unclosed bracket, skipping whole bracketed groups (back to lim). */
static size_t
phrase_start(const struct bullet *bl, size_t b, size_t lim)
{
	int depth = 0;

	while (b > lim) {
		int32_t c = cp_at(bl, b - 1);

		if (closes(c))
			depth++;
		else if (opens(c) && depth)
			depth--;
		else if (depth == 0 && (opens(c) || c == JP_COMMA || c == JP_FULL_STOP || c == ','))
			break;
		b--;
	}
	return b;
}

/* A compound particle (に関する, における) ends right before keep[k]. */
static bool
after_particle(const struct bullet *bl, const size_t *keep, size_t k)
{
	static const char *const particles[] = {"に関する", "に係る", "における",
		"による", "に対する", "に関連する", "に向けた", NULL};
	size_t w, len;

	for (w = 0; particles[w]; w++) {
		len = strlen(particles[w]) / 3;
		if (keep[k - 1] + 1 >= len
		    && match(bl, keep[k - 1] + 1 - len, particles[w]) == len)
			return true;
	}
	return false;
}

/* A relative clause ends before keep[k] (…を担当する警部, …を反映した
 * マニュアル, …実施している「…」), but not a compound particle or a
 * formal noun (…導入する際の). */
static bool
after_relative(const struct bullet *bl, const size_t *keep, size_t k)
{
	int32_t c = cp_at(bl, keep[k]), prev = cp_at(bl, keep[k - 1]);
	int32_t prev2 = keep[k - 1] ? cp_at(bl, keep[k - 1] - 1) : 0;

	if (jp_is_hiragana(c) || match(bl, keep[k], "際") || match(bl, keep[k], "場合"))
		return false;
	if (prev == JP_I) /* only ている, でいる, ない */
		return prev2 == JP_TE || prev2 == JP_DE || prev2 == JP_NA;
	return (prev == JP_RU || prev == JP_TA || prev == JP_DA)
	    && !after_particle(bl, keep, k);
}

/* A の chain, a 「」 or a compound particle boundary before keep[k]. */
static bool
noun_boundary(const struct bullet *bl, const size_t *keep, size_t k)
{
	int32_t c = cp_at(bl, keep[k]), prev = cp_at(bl, keep[k - 1]);

	if (c == JP_LEFT_CORNER || c == JP_LEFT_WHITE_CORNER)
		return true;
	return !jp_is_hiragana(c) && c != '(' && (prev == JP_NO || prev == JP_RIGHT_CORNER
	    || prev == JP_RIGHT_WHITE_CORNER || after_particle(bl, keep, k));
}

static void title_object(struct title *t, const struct bullet *bl, size_t a, size_t b,
    size_t max);

/*
 * The head of keep[0..n): whole when it fits in max; else after its last
 * relative clause; else the longest の chain that fits.  Returns the index
 * of the first code point kept, n when nothing fits.
 */
static size_t
head_start(const struct bullet *bl, const size_t *keep, size_t n, size_t max)
{
	size_t k, head = 0;
	int depth = 0;

	if (n <= max)
		return 0;
	for (k = 0; k < n; k++) {
		if (k && depth == 0 && after_relative(bl, keep, k))
			head = k;
		bracket_step(cp_at(bl, keep[k]), &depth);
	}
	if (n - head <= max)
		return head;
	for (k = head, depth = 0; k < n; k++) {
		if (k > head && depth == 0 && n - k <= max && noun_boundary(bl, keep, k))
			return k;
		bracket_step(cp_at(bl, keep[k]), &depth);
	}
	return n;
}

/*
 * Appends the object [a, b) cut to its head noun phrase (head_start),
 * without asides in （）or ～～ when they do not fit; a title in 「」 that is
 * too long on its own is cut inside its brackets.  Whole when nothing fits.
 */
static void
title_object(struct title *t, const struct bullet *bl, size_t a, size_t b, size_t max)
{
	size_t *keep, n = 0, k, start = 0, i;
	int drop, paren;
	bool tilde;

	while (a < b && is_space(cp_at(bl, a)))
		a++;
	if (b <= a)
		return;
	if ((keep = malloc((b - a) * sizeof(*keep))) == NULL) {
		t->oom = true;
		return;
	}
	for (drop = 0; drop < 2; drop++) {
		for (i = a, n = 0, paren = 0, tilde = false; i < b; i++) {
			int32_t c = cp_at(bl, i);

			if (drop) {
				if (c == '(' || (c == ')' && paren)) {
					paren += c == '(' ? 1 : -1;
					continue;
				}
				if (c == '~')
					tilde = !tilde;
				if (c == '~' || paren || tilde)
					continue;
			}
			keep[n++] = i;
		}
		if ((start = head_start(bl, keep, n, max)) < n)
			break;
	}
	if (start == n && n > 2 && cp_at(bl, keep[0]) == JP_LEFT_CORNER
	    && cp_at(bl, keep[n - 1]) == JP_RIGHT_CORNER && keep[n - 1] == b - 1) {
		/* 「情報セキュリティ分野における…取組み」: its own head */
		title_add(t, "「", strlen("「"));
		title_object(t, bl, keep[0] + 1, keep[n - 1], max - 2);
		title_add(t, "」", strlen("」"));
		free(keep);
		return;
	}
	if (start == n)
		start = 0;
	for (k = start; k < n; k = i) {
		for (i = k + 1; i < n && keep[i] == keep[i - 1] + 1; i++)
			;
		title_cps(t, bl, keep[k], keep[i - 1] + 1);
	}
	free(keep);
}

/* s (owned) cut to at most max code points on a character boundary, with
 * … as the last one when cut.  NULL on ENOMEM (s is freed). */
static char *
limit_cp(char *s, size_t max)
{
	static const char ellipsis[] = "…";
	size_t i, n = 0, cut = 0;
	char *ns;

	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max - 1)
			cut = i;
	if (n <= max)
		return s;
	if ((ns = realloc(s, cut + sizeof(ellipsis))) == NULL) {
		free(s);
		return NULL;
	}
	memcpy(ns + cut, ellipsis, sizeof(ellipsis));
	return ns;
}

/* The object budget when rest code points follow it in the title. */
static size_t
object_max(size_t rest)
{
	size_t max = rest + OBJECT_MIN_CP < KG_TITLE_MAX_CP ? KG_TITLE_MAX_CP - rest : OBJECT_MIN_CP;

	return max > OBJECT_MAX_CP ? OBJECT_MAX_CP : max;
}

/* A predicate with its own object: the object cut to its head, the rest. */
static void
title_phrase(struct title *t, const struct bullet *bl, size_t a, size_t b)
{
	size_t o = object_end(bl, a, b);

	if (o <= a || o >= b) {
		title_cps(t, bl, a, b);
		return;
	}
	title_object(t, bl, a, o, object_max(b - o));
	title_cps(t, bl, o, b);
}

/*
 * A predicate that opens with a relative clause names the thing the act is
 * done to: 開催した有識者検討会において… → 有識者検討会を開催, 改訂した
 * ガイドラインに基づく… → ガイドラインを改訂.  開催予定の会議に報告: the
 * modifier only frames the act, *a moves past it.  True when t has the title.
 */
static bool
title_relative(struct title *t, const struct bullet *bl, size_t *a, size_t b)
{
	static const char *const rel[] = {"予定の", "している", "された", "される", "した",
		"する", NULL};
	const struct keyword *kw;
	size_t i = *a, k, len = 0, w, np, e;
	int depth = 0;

	for (k = i; k < b && k < i + 8; k++) /* 東京で開催した… */
		if (cp_at(bl, k) == JP_DE && keyword_at(bl, k + 1, &len)) {
			i = k + 1;
			break;
		}
	kw = keyword_at(bl, i, &len);
	if (kw == NULL || kw->cls == KW_NOUN)
		return false;
	for (w = 0; rel[w]; w++)
		if ((k = match(bl, i + len, rel[w])))
			break;
	np = i + len + k;
	if (rel[w] == NULL || np >= b || jp_is_hiragana(cp_at(bl, np)))
		return false;
	if (w == 0) {
		*a = np;
		return false;
	}
	for (e = np; e < b; e++) {
		int32_t c = cp_at(bl, e);

		if (bracket_step(c, &depth))
			continue;
		if (c == JP_NI || c == JP_DE || c == JP_WO || c == JP_HA || c == JP_GA
		    || c == JP_TO || c == JP_HE
		    || (c == JP_NO && !jp_is_hiragana(cp_at(bl, e - 1))))
			break;
	}
	title_object(t, bl, np, e, object_max(len + 1));
	title_add(t, "を", strlen("を"));
	title_cps(t, bl, i, i + len);
	return true;
}

/* 作成、公表: a bare verb right after the predicate's clause joins it. */
static void
title_verb_list(struct title *t, const struct bullet *bl, size_t b, size_t lim)
{
	const struct keyword *kw;
	size_t a, e, len;

	if (b >= lim || cp_at(bl, b) != JP_COMMA)
		return;
	a = b + 1;
	e = trim_tail(bl, a, clause_end(bl, a, lim));
	if ((kw = keyword_at(bl, a, &len)) && kw->cls != KW_NOUN && a + len == e) {
		title_add(t, "・", strlen("・"));
		title_cps(t, bl, a, e);
	}
}

/* [a, b) ends in a predicate keyword (…を実施, 一部運用開始); its length. */
static size_t
ends_in_verb(const struct bullet *bl, size_t a, size_t b)
{
	size_t k, len;

	for (k = 0; keywords[k].word; k++) {
		len = keyword_cps[k];
		if (keywords[k].cls != KW_NOUN && b >= a + len &&
		    match(bl, b - len, keywords[k].word) == len)
			return len;
	}
	return 0;
}

/* Where [a, b) starts after the last date expression in it (平成31年３月に
 *改訂したガイドライン → 改訂したガイドライン); b when a date ends it. */
static size_t
after_dates(const struct bullet *bl, size_t a, size_t b)
{
	size_t i;

	for (i = 0; i < bl->nd; i++)
		if (bl->dates[i].cp_end > a && bl->dates[i].cp_start < b)
			a = skip_particles(bl, bl->dates[i].cp_end, b);
	return a;
}

/*
 * What a bare verb after the date acts on: the noun phrase before the
 * nearest 〜を, 〜は, 〜について(は), 〜に関しては or 〜には that ends a
 * phrase before pos (back to lim); for a bare verb (bare_verb) also the
 * object of a verb of its own sentence (from own on) that it follows
 * (手引きを作成し、…公表した).  Sets *obj and returns the particle to put
 * before the verb, or NULL.
 */
static const char *
object_before(const struct bullet *bl, size_t pos, size_t lim, size_t own,
    bool bare_verb, struct span *obj)
{
	static const char *const ends[][2] = {{"については", "を"}, {"について", "を"},
		{"に関しては", "を"}, {"には", "に"}, {"を", "を"}, {"は", "を"}};
	size_t b = pos, a, e, w;

	while (b > lim) {
		a = phrase_start(bl, b, lim);
		e = b;
		while (e > a && (is_space(cp_at(bl, e - 1)) || cp_at(bl, e - 1) == JP_COMMA))
			e--;
		for (w = 0; w < sizeof(ends) / sizeof(ends[0]); w++) {
			size_t len = strlen(ends[w][0]) / 3;

			if (e > a + len && match(bl, e - len, ends[w][0]) == len) {
				obj->a = after_dates(bl, skip_frame(bl, a, e - len), e - len);
				obj->b = e - len;
				if (obj->b > obj->a)
					return ends[w][1];
			}
		}
		/* …手引きを作成し、平成21年３月に公表した: the same object */
		if (bare_verb && a >= own && ends_in_verb(bl, a, trim_tail(bl, a, e))
		    && (obj->b = object_end(bl, a, e)) < e && cp_at(bl, obj->b) == JP_WO) {
			obj->a = after_dates(bl, skip_frame(bl, a, obj->b), obj->b);
			if (obj->b > obj->a)
				return "を";
		}
		b = a > lim ? a - 1 : lim;
	}
	return NULL;
}

/* Start of the sentence before the one starting at a (a when none). */
static size_t
previous_sentence(const struct bullet *bl, size_t a)
{
	while (a > 0 && is_space(cp_at(bl, a - 1)))
		a--;
	if (a == 0 || cp_at(bl, a - 1) != JP_FULL_STOP)
		return a;
	for (a--; a > 0 && cp_at(bl, a - 1) != JP_FULL_STOP; a--)
		;
	return a;
}

/*
 * The title of the event at d.  *bare is set when the text names no object
 * for a predicate that is only a verb (or nothing): the title is then that
 * verb and a caller may prefer one of its own (kg_extract_fallback_title).
 */
static char *
make_title(const struct bullet *bl, struct span sent, const struct kg_jpdate *d,
    size_t next_date, bool *bare)
{
	size_t lim = next_date < sent.b ? next_date : sent.b;
	size_t a = own_clause(bl, d, lim), b, pa, pe, o, len, p;
	struct title t = {0};
	struct span obj;
	const char *particle = "";
	char *s;

	*bare = false;
	/* the first clause after the date that says something */
	for (;;) {
		b = clause_end(bl, a, lim);
		pa = skip_frame(bl, a, a); /* blanks only */
		pe = trim_tail(bl, pa, b);
		if (pe > pa && title_relative(&t, bl, &pa, pe))
			goto done;
		pa = skip_frame(bl, pa, pe);
		if (pe > pa || b >= lim || cp_at(bl, b) == JP_FULL_STOP)
			break;
		a = b + 1;
	}
	o = object_end(bl, pa, pe);
	len = ends_in_verb(bl, pa, pe);
	if ((o < pe && o > pa + 1) || (len && pe - len > pa + 1
	    && match(bl, pe - len - 1, "に着手"))) { /* it names its object */
		title_phrase(&t, bl, pa, pe);
		goto done;
	}
	if (o < pe) /* 研究開発（平成17～21年度）等を実施 */
		pa = o + 1;
	/* 研究開発（平成17～21年度）, 委員会（平成20年９月12日開催）, …を実施
	 * （８月26日から９月26日まで実施）: what the bracket belongs to */
	for (p = d->cp_start; p > sent.a && is_space(cp_at(bl, p - 1)); p--)
		;
	if (p > sent.a && cp_at(bl, p - 1) == '(') {
		size_t xa = skip_frame(bl, phrase_start(bl, p - 1, sent.a), p - 1);
		size_t xe = trim_tail(bl, xa, p - 1);

		if (xe > xa && ends_in_verb(bl, xa, xe)) {
			title_phrase(&t, bl, xa, xe);
			goto done;
		}
		if (xe > xa) {
			title_object(&t, bl, xa, xe, object_max(pe - pa + 1));
			particle = "を";
			goto verb;
		}
	}
	len = keyword_at(bl, pa, &len) ? len : 0;
	if ((particle = object_before(bl, d->cp_start, previous_sentence(bl, sent.a),
	    sent.a, pa + len == pe, &obj))) {
		title_object(&t, bl, obj.a, obj.b, object_max(pe - pa + 1));
		goto verb;
	}
	*bare = pe == pa || pa + len == pe;
	particle = "";
verb:
	if (pe > pa) {
		title_add(&t, particle, strlen(particle));
		title_cps(&t, bl, pa, pe);
		title_verb_list(&t, bl, b, lim);
	}
done:
	if (t.oom) {
		free(t.s);
		return NULL;
	}
	s = t.s ? t.s : strdup("");
	return s ? limit_cp(s, KG_TITLE_MAX_CP) : NULL;
}

/* ------------------------------------------------------------- driver */

static int
push_item(struct kg_extract *x, struct kg_extract_item **it)
{
	if (x->n == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 8;
		struct kg_extract_item *nv = realloc(x->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		x->v = nv;
		x->cap = ncap;
	}
	*it = &x->v[x->n];
	memset(*it, 0, sizeof(**it));
	return 0;
}

/* A run-on sentence is read in pieces (KG_EXTRACT_SENTENCE_CP): cut after
 * a comma outside brackets once the piece is that long, or anywhere once it
 * is twice as long. */
static bool
run_on_cut(int32_t c, size_t depth, size_t len)
{
	return len >= 2 * KG_EXTRACT_SENTENCE_CP ||
	    (len >= KG_EXTRACT_SENTENCE_CP && depth == 0 && (c == JP_COMMA || c == ','));
}

static bool
is_event(const struct kg_jpdate *d)
{
	return !(d->flags & (KG_JP_QUOTED | KG_JP_ASOF | KG_JP_CONTEXT | KG_JP_TALLY
	    | KG_JP_NOT_A_TIME));
}

/*
 * A date with no year written takes the report's fiscal year (docs/dates.md);
 * when its own predicate's tense contradicts that year — reported done but
 * after the as-of date, or still planned but over before it (４月上旬に開催
 * する予定 in a report as of 3/31) — the year is likely another: the reason
 * for flagging it, else NULL.
 */
static const char *
tense_doubt(const struct kg_jpdate *d, enum kg_status st, kg_day as_of)
{
	if (!(d->flags & KG_JP_REPORT_YEAR) || as_of == KG_DAY_NONE)
		return NULL;
	if (st == KG_STATUS_DONE && d->base_start > as_of)
		return "no year written: the report's fiscal year puts it after the "
		    "as-of date, though the text reports it done";
	if (st == KG_STATUS_PLANNED && d->base_end != KG_DAY_NONE && d->base_end < as_of)
		return "no year written: the report's fiscal year puts it before the "
		    "as-of date, though the text plans it";
	return NULL;
}

/* Why a date is no event, for --explain: why when given, else the first
 * flag that says so. */
static int
skip_date(struct kg_extract *x, const struct kg_jpdate *d, const char *why)
{
	static const struct {
		unsigned flag;
		const char *why;
	} whys[] = {
		{KG_JP_QUOTED, "inside 「」: part of a name"},
		{KG_JP_FIGURE, KG_EXTRACT_WHY_FIGURE},
		{KG_JP_ASOF, "a status date (…現在, …時点)"},
		{KG_JP_TALLY, "bounds a count (a tally)"},
		{KG_JP_BACKGROUND, "names earlier work"},
		{KG_JP_NAME, "names a plan, budget or edition (2024年度年次計画)"},
		{KG_JP_BASELINE, "a baseline compared with (2013年度比)"},
		{KG_JP_HORIZON, "a horizon, not a deadline (2030年に向けて)"},
		{KG_JP_RECURRING, "a time of every year (毎年６月)"},
		{KG_JP_CONTEXT, "only sets the scene for a narrower date"},
	};
	struct kg_extract_skip *k;
	size_t i;

	if (kg_array_grow((void **)&x->skipped, &x->capskipped, x->nskipped, sizeof(*k)) < 0)
		return -1;
	k = &x->skipped[x->nskipped++];
	k->offset = d->start;
	k->len = d->end - d->start;
	k->why = why ? why : "not an event";
	for (i = 0; i < sizeof(whys) / sizeof(whys[0]) && !why; i++)
		if (d->flags & whys[i].flag) {
			k->why = whys[i].why;
			break;
		}
	return 0;
}

static int
add_milestone(struct kg_extract *x, const struct bullet *bl, struct span sent,
    const struct kg_jpdate *d, size_t next_date)
{
	struct kg_extract_item *it;
	struct kg_milestone *m;
	enum kg_status st = KG_STATUS_PLANNED;
	enum kg_certainty cert = KG_CERT_NONE;
	bool have_status = false;
	const char *doubt;

	have_status = status_of(bl, sent, d, &st, &cert);
	doubt = have_status ? tense_doubt(d, st, bl->ctx->as_of) : NULL;
	if (!have_status)
		st = status_by_window(d->window_start, d->window_end, bl->ctx->as_of);
	else if ((st == KG_STATUS_DONE || st == KG_STATUS_ONGOING) &&
	    bl->ctx->as_of != KG_DAY_NONE && d->base_start > bl->ctx->as_of)
		st = KG_STATUS_PLANNED; /* 令和４年度以降継続的に: not begun yet */
	if (d->flags & KG_JP_TARGET)
		cert = KG_CERT_TARGET;
	if (st == KG_STATUS_DONE)
		cert = KG_CERT_NONE;

	if (push_item(x, &it) < 0)
		return -1;
	m = &it->m;
	m->status = st;
	m->certainty = cert;
	m->kind = find_kind(bl, sent, d, next_date);
	if (st == KG_STATUS_DONE && (d->flags & KG_JP_UNTIL)) {
		m->window_start = d->base_start;
		m->window_end = d->base_end;
		m->precision = d->base_precision;
	} else {
		m->window_start = d->window_start;
		m->window_end = d->window_end;
		m->precision = d->precision;
	}
	m->expr = cut(bl, d->cp_start, d->cp_end);
	m->sentence = cut(bl, sent.a, sent.b);
	m->title = make_title(bl, sent, d, next_date, &it->bare_title);
	if (d->doubt != KG_JP_SURE)
		doubt = kg_jpdate_doubt_reason(d->doubt);
	m->uncertain = doubt != NULL;
	m->uncertain_reason = doubt ? strdup(doubt) : NULL;
	it->expr_offset = d->start;
	x->n++;
	if (m->expr == NULL || m->sentence == NULL || m->title == NULL
	    || (doubt && m->uncertain_reason == NULL))
		return -1;
	return 0;
}

/* A table's row of column years flattened into the text (2024年度 2025年度
 * 2026年度): two or more whole years, ranges of them and nothing but
 * separators between.  They name columns; none is an event. */
static bool
year_row(const struct bullet *bl, struct span s, size_t first, size_t last)
{
	size_t i = s.a, j;

	if (last - first < 2)
		return false;
	for (j = first; j <= last; j++) {
		size_t to = j < last ? bl->dates[j].cp_start : s.b;
		enum kg_precision p = j < last ? bl->dates[j].base_precision : KG_PREC_YEAR;

		if (p != KG_PREC_YEAR && p != KG_PREC_FISCAL_YEAR && p != KG_PREC_RANGE)
			return false;
		for (; i < to; i++) {
			int32_t c = cp_at(bl, i);

			if (!is_space(c) && c != ',' && c != '~' && c != '-' && c != '/'
			    && c != '|' && c != JP_COMMA && c != JP_FULL_STOP
			    && c != JP_MIDDLE_DOT && c != JP_WAVE_DASH)
				return false;
		}
		if (j < last)
			i = bl->dates[j].cp_end;
	}
	return true;
}

/* A sentence with no date that plans work for no set time: 速やかに, 早期に,
 * 順次, 継続的に, 随時 (結論を得次第速やかに措置), unless it reports what was
 * done or is being done (…速やかに情報提供を行う手順を整備した。). */
static bool
undated_plan(const struct bullet *bl, struct span s)
{
	static const char *const adverbs[] = {"速やかに", "早期に", "早急に", "順次",
		"継続的に", "随時", NULL};
	size_t i, w;

	if (reports_state(bl, s))
		return false;
	for (i = s.a; i < s.b; i++)
		for (w = 0; adverbs[w]; w++)
			if (match(bl, i, adverbs[w]))
				return true;
	return false;
}

int
kg_extract_text(const char *text, size_t len, const struct kg_jpctx *ctx,
    struct kg_extract *out, struct kg_err *err)
{
	struct kg_jptext t;
	struct kg_jpdate *dates = NULL;
	struct bullet bl;
	size_t nd = 0, i, di = 0, depth = 0, dmax;
	struct span sent = {0, 0};
	int rc = -1;

	pthread_once(&starts_once, starts_build);
	if (kg_jptext_init(&t, text, len, err) < 0)
		return -1;
	/* one more than the limit: enough to know the text is over it */
	dmax = t.n / 2 + 1 < KG_EXTRACT_MAX_DATES + 1 ? t.n / 2 + 1 : KG_EXTRACT_MAX_DATES + 1;
	dates = calloc(dmax, sizeof(*dates));
	if (dates == NULL) {
		kg_err_set(err, "out of memory extracting milestones");
		goto out;
	}
	kg_jpdate_scan_item(&t, ctx, &out->last, dates, dmax, &nd);
	if (nd > KG_EXTRACT_MAX_DATES) {
		out->refused_at = dates[0].start + 1;
		kg_err_set(err, "more than %d dates in one text (a clause repeated?): not a plan "
		    "document kigen can read", KG_EXTRACT_MAX_DATES);
		goto out;
	}
	bl.text = text;
	bl.t = &t;
	bl.ctx = ctx;
	bl.dates = dates;
	bl.nd = nd;

	for (i = 0; i <= t.n; i++) {
		int32_t c = i < t.n ? t.cp[i] : 0;
		struct span s;
		size_t first, j, kept = 0;
		bool row;

		if (i < t.n) {
			if (opens(c))
				depth++;
			else if (closes(c) && depth)
				depth--;
			if (!(c == JP_FULL_STOP && depth == 0) && !run_on_cut(c, depth, i - sent.a))
				continue;
		}
		/* a sentence ends at i (inclusive of 。) */
		sent.b = i < t.n ? i + 1 : t.n;
		s = trim_sentence(&bl, sent);
		sent.a = sent.b;
		if (s.a >= s.b)
			continue;
		while (di < nd && dates[di].cp_start < s.a)
			di++;
		first = di;
		while (di < nd && dates[di].cp_start < s.b)
			di++;
		row = year_row(&bl, s, first, di);
		for (j = first; j < di; j++) {
			size_t next = s.b, k;

			if (row || !is_event(&dates[j])) {
				if (skip_date(out, &dates[j], row ? "names a column of a table "
				    "(a row of years)" : NULL) < 0) {
					kg_err_set(err, "out of memory extracting milestones");
					goto out;
				}
				continue;
			}
			for (k = j + 1; k < di; k++)
				if (is_event(&dates[k])) {
					next = dates[k].cp_start;
					break;
				}
			if (add_milestone(out, &bl, s, &dates[j], next) < 0) {
				kg_err_set(err, "out of memory extracting milestones");
				goto out;
			}
			kept++;
		}
		/* a sentence that dates only counts (…下半期には更に20件程度が
		 *開催される見込み) reports figures: not an undated commitment */
		for (j = first; j < di && !(dates[j].flags & KG_JP_TALLY); j++)
			;
		if (!kept && j == di && (is_commitment(&bl, s) || undated_plan(&bl, s))) {
			size_t from = t.src_start[s.a], to = t.src_end[s.b - 1];

			if (kg_strv_push(&out->notes, text + from, to - from) < 0) {
				kg_err_set(err, "out of memory extracting notes");
				goto out;
			}
		}
	}
	rc = 0;
out:
	free(dates);
	kg_jptext_release(&t);
	return rc;
}

void
kg_extract_clear(struct kg_extract *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++)
		kg_milestone_clear(&x->v[i].m);
	free(x->v);
	free(x->skipped);
	kg_strv_clear(&x->notes);
	memset(x, 0, sizeof(*x));
}

char *
kg_extract_fallback_title(enum kg_kind kind, const char *subject)
{
	static const char *const labels[KG_KIND_COUNT] = {
		[KG_KIND_MEETING] = "開催", [KG_KIND_PUBLICATION] = "公表",
		[KG_KIND_REPORT] = "報告", [KG_KIND_EXERCISE] = "演習",
		[KG_KIND_OPERATION_START] = "運用開始", [KG_KIND_REVISION] = "改訂",
		[KG_KIND_SURVEY] = "調査", [KG_KIND_LAUNCH] = "着手",
		[KG_KIND_COMPLETION] = "完了", [KG_KIND_DECISION] = "決定",
		[KG_KIND_CAMPAIGN] = "キャンペーン", [KG_KIND_ESTABLISHMENT] = "設置",
		[KG_KIND_KPI_TARGET] = "目標", [KG_KIND_OTHER] = "実施",
	};
	return kg_extract_label_title((unsigned)kind < KG_KIND_COUNT ? labels[kind] :
	    labels[KG_KIND_OTHER], subject);
}

char *
kg_extract_label_title(const char *label, const char *subject)
{
	char *s;

	if (subject == NULL || *subject == '\0')
		s = strdup(label);
	else if (asprintf(&s, "%s: %s", label, subject) < 0)
		return NULL;
	return s != NULL ? limit_cp(s, KG_TITLE_MAX_CP) : NULL;
}
