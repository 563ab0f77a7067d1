#!/usr/bin/env python3
"""bench/import/gen.py: the benchmarks' report texts, on stdout.

  gen.py big N        a progress report (the sample's layout) with N dated
                      milestones: N/10 measures of 5 bullets, each bullet two
                      sentences with one date each (bench/import/scale.sh)
  gen.py repeat N     one bullet repeating a dated clause N times (the
                      adversarial input of issue 11)
  gen.py years N [K]  the K-th (default 1) progress report of N dated
                      milestones spread over ten years, as a plan that runs
                      for years reads: the data of bench/upcoming (and of the
                      other benchmarks that need a big database)

`years` writes what the sample's bullets say, one commitment a bullet: a
day (平成22年１月12日に), a month (平成23年３月中に), the end of a month
(平成21年２月末までに) or a fiscal year (平成24年度中に), over 2005-2014,
under measures of 4 to 12 bullets naming one to three of twelve owners.
The report is dated 2009-09-30: deadlines before it are written as done
(…を実施した), later ones as planned (…する予定).  Reports K = 1, 2, ...
are different plans (their titles differ) with different deadlines, so ten
of them make ten times the data, not ten editions of one plan.  `kigen
import` does the rest: a benchmark times what kigen understood of the
text, not what this script meant.

Deterministic: the same arguments give the same bytes."""
import random
import sys

HEAD = " 「ベンチマーク計画２００８」の進捗状況（上半期）について\n\n（※ 平成20年９月30日現在）\n\n"


def repeat(n, out):
    out.write(HEAD + "【施策名】 演習の実施（内閣官房）\n【進捗状況】\n・")
    out.write("平成20年12月１日に演習を実施し、" * n + "結果を公表する予定。\n")


def big(n, out):
    out.write(HEAD)
    verbs = ["会合を開催する予定", "報告書を公表する予定", "演習を実施する予定", "調査を開始する予定", "指針を改定する予定"]
    nouns = ["情報共有", "人材育成", "基盤整備", "国際連携", "普及啓発", "技術開発", "体制強化"]
    made = 0
    m = 0
    while made < n:
        m += 1
        out.write("【施策名】 %sに関する施策第%d号（内閣官房、総務省）\n【進捗状況】\n" % (nouns[m % len(nouns)], m))
        for b in range(5):
            if made >= n:
                break
            k = made
            month = 10 + (k % 6)
            year = 20 if month <= 12 else 21
            month = month if month <= 12 else month - 12
            day = 1 + (k * 7) % 28
            out.write("・%s分野の第%d段階として、平成%d年%d月%d日に%s。" % (nouns[(m + b) % len(nouns)], b + 1, year, month, day, verbs[(k + m) % len(verbs)]))
            made += 1
            if made < n:
                k = made
                out.write("あわせて、関係機関との調整を進め、平成21年%d月末までに%s。\n" % (1 + k % 3, verbs[(k + 2) % len(verbs)]))
                made += 1
            else:
                out.write("\n")
        out.write("\n")


YEARS_AS_OF = (2009, 9, 30)
OWNERS = ["内閣官房", "内閣府", "警察庁", "総務省", "法務省", "外務省", "文部科学省",
          "厚生労働省", "経済産業省", "国土交通省", "防衛省", "全府省庁"]
FIELDS = ["情報共有", "人材育成", "基盤整備", "国際連携", "普及啓発", "技術開発",
          "体制強化", "事案対処", "調達基準", "監査制度"]
# (object, planned form, done form): the extractor's kinds follow the verbs
ACTS = [
    ("演習", "を実施する予定", "を実施した"),
    ("報告書", "を公表する予定", "を公表した"),
    ("指針", "を改定する予定", "を改定した"),
    ("実態調査", "を開始する予定", "を開始した"),
    ("連絡会議", "を開催する予定", "を開催した"),
    ("新体制", "の運用を開始する予定", "の運用を開始した"),
    ("検討結果", "をとりまとめる予定", "をとりまとめた"),
]


def wide(n):
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def heisei(year):
    return "平成%d年" % (year - 1988)


def month_days(y, m):
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def deadline(rng):
    """A date expression and the last day of its window."""
    y = rng.randint(2005, 2014)
    m = rng.randint(1, 12)
    p = rng.random()
    if p < 0.70:
        d = rng.randint(1, month_days(y, m))
        return "%s%s月%s日に" % (heisei(y), wide(m), wide(d)), (y, m, d)
    if p < 0.85:
        return "%s%s月中に" % (heisei(y), wide(m)), (y, m, month_days(y, m))
    if p < 0.95:
        return "%s%s月末までに" % (heisei(y), wide(m)), (y, m, month_days(y, m))
    fy = y if m >= 4 else y - 1
    return "%s度中に" % heisei(fy), (fy + 1, 3, 31)


def years(n, k, out):
    rng = random.Random(20090930 * 1000 + k)
    y, m, d = YEARS_AS_OF
    out.write(" 「ベンチマーク計画第%s号」の進捗状況（上半期）について\n\n" % wide(k))
    out.write("（※ %s%s月%s日現在）\n\n" % (heisei(y), wide(m), wide(d)))
    made = measure = 0
    while made < n:
        measure += 1
        field = FIELDS[measure % len(FIELDS)]
        owners = rng.sample(OWNERS, rng.randint(1, 3))
        out.write("【施策名】 %s分野の施策第%d号（%s）\n【進捗状況】\n"
                  % (field, measure, "、".join(owners)))
        for _ in range(min(rng.randint(4, 12), n - made)):
            when, end = deadline(rng)
            obj, planned, done = rng.choice(ACTS)
            out.write("・%sの%sについて、%s%s%s。\n" % (field, rng.choice(FIELDS), when, obj,
                                                    done if end <= YEARS_AS_OF else planned))
            made += 1
        out.write("\n")


if __name__ == "__main__":
    mode, n = sys.argv[1], int(sys.argv[2])
    if mode == "years":
        years(n, int(sys.argv[3]) if len(sys.argv) > 3 else 1, sys.stdout)
    else:
        (big if mode == "big" else repeat)(n, sys.stdout)
