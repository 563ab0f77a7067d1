#!/usr/bin/env python3
"""bench/import/gen.py: test reports for bench/import/scale.sh, on stdout.

  gen.py big N        a progress report (the sample's layout) with N dated
                      milestones: N/10 measures of 5 bullets, each bullet two
                      sentences with one date each
  gen.py repeat N     one bullet repeating a dated clause N times (the
                      adversarial input of issue 11)

Deterministic: the same arguments give the same bytes."""
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


if __name__ == "__main__":
    (big if sys.argv[1] == "big" else repeat)(int(sys.argv[2]), sys.stdout)
