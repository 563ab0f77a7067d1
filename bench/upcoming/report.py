#!/usr/bin/env python3
"""bench/upcoming/report.py: a progress report for the benchmarks, on stdout.

  report.py N [K]    the K-th (default 1) report of N dated milestones

The report has the bundled sample's layout (a title, a status date, then
measures: 【施策名】 title (owners), 【進捗状況】 and bullets).  Each bullet
carries one dated commitment, the way the sample's bullets do: a day
(平成22年１月12日に), a month (平成23年３月中に), the end of a month
(平成21年２月末までに) or a fiscal year (平成24年度中に), over the ten
years 2005-2014.  The report is dated 2009-09-30 (mid-span): deadlines
before it are written as done (…を実施した), later ones as planned
(…する予定).  `kigen import` does the rest: what the benchmarks time is
what kigen understood of this text, not what this script meant.

Reports K = 1, 2, ... are different plans (their titles differ) with
different deadlines, so that ten of them make ten times the data, not ten
editions of one plan.  Deterministic: the same arguments give the same
bytes."""
import random
import sys

AS_OF = (2009, 9, 30)
FIRST_YEAR, LAST_YEAR = 2005, 2014
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
DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def wide(n):
    return str(n).translate(DIGITS)


def heisei(year):
    return "平成%d年" % (year - 1988)


def month_days(y, m):
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def deadline(rng):
    """A date expression and the last day of its window."""
    y = rng.randint(FIRST_YEAR, LAST_YEAR)
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


def report(n, k, out):
    rng = random.Random(20090930 * 1000 + k)
    out.write(" 「ベンチマーク計画第%s号」の進捗状況（上半期）について\n\n" % wide(k))
    out.write("（※ %s%s月%s日現在）\n\n" % (heisei(AS_OF[0]), wide(AS_OF[1]), wide(AS_OF[2])))
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
            form = done if end <= AS_OF else planned
            out.write("・%sの%sについて、%s%s%s。\n"
                      % (field, rng.choice(FIELDS), when, obj, form))
            made += 1
        out.write("\n")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: report.py N [K]")
    report(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else 1, sys.stdout)
