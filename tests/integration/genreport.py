#!/usr/bin/python3
# genreport.py N: a progress report (the layout of data/) with N dated
# milestones, ten per measure, on stdout, for tests and benchmarks that
# need a big database made the way users make one: by kigen import.
# Deterministic; dates spread over FY2008-FY2013.
import sys

n = int(sys.argv[1])
per = 10
kinds = ["演習を実施", "会議を開催", "報告書を公表", "調査を実施", "説明会を開催"]
digits = "０１２３４５６７８９"
def fw(k):
    return "".join(digits[int(c)] for c in str(k))
out = ["「大量試験計画２００８」の進捗状況（上半期）について", ""]
m = 0
i = 0
while m < n:
    i += 1
    out.append("【施策名】 試験施策第%d号の推進（内閣官房、総務省）" % i)
    out.append("【進捗状況】")
    for j in range(per):
        if m >= n:
            break
        year = 20 + (m % 6)
        month = 1 + (m * 7) % 12
        day = 1 + (m * 11) % 28
        out.append("・第%d回の%sについて、平成%d年%s月%s日に%s予定。" %
                   (j + 1, "試験" + str(i), year, fw(month), fw(day), kinds[(i + j) % 5]))
        m += 1
    out.append("")
sys.stdout.write("\n".join(out) + "\n")
