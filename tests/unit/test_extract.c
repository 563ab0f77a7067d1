/*
 * Unit tests for lib/extract: milestones, status, kind and notes from bullets.
 *
 * The first table is every milestone of ../shared/samples/next-report.txt as
 * listed, by hand, in next-report.expected.json (as of 2009-03-31); bullets
 * are copied with their PDF line breaks removed.  The seed rows (as of
 * 2008-09-30) come from the sample report's text; the invented rows cover
 * certainty and forms neither report has.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

struct row {
	const char *bullet;
	const char *expr;
	const char *ws, *we; /* "" = open end */
	enum kg_precision prec;
	enum kg_status status;
	enum kg_kind kind;
};

static const struct row next_rows[] = {
	{"・調査結果は、平成21年４月中旬に開催予定の情報セキュリティ政策会議に報告した上で、ホームページ等を通じて広く公表する予定。",
	    "平成21年４月中旬", "2009-04-11", "2009-04-20", KG_PREC_DEKAD, KG_STATUS_PLANNED, KG_KIND_REPORT},
	{"・事例集を活用して府省庁間で具体的な取組を共有するための説明会を、平成21年度第１四半期に開催する予定。",
	    "平成21年度第１四半期", "2009-04-01", "2009-06-30", KG_PREC_QUARTER, KG_STATUS_PLANNED, KG_KIND_MEETING},
	{"・統一基準の構成の変更、新たな脅威への対応等を盛り込んだ改訂案について、各府省庁との調整を経て、平成21年２月３日の情報セキュリティ政策会議において決定した。",
	    "平成21年２月３日", "2009-02-03", "2009-02-03", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_DECISION},
	{"・改訂後の統一基準は、平成21年度当初に各府省庁へ周知するとともに、これに対応した各府省庁の規程類の見直しを、平成21年度末までに完了させる予定。",
	    "平成21年度当初", "2009-04-01", "2009-04-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・改訂後の統一基準は、平成21年度当初に各府省庁へ周知するとともに、これに対応した各府省庁の規程類の見直しを、平成21年度末までに完了させる予定。",
	    "平成21年度末までに", "2009-04-01", "2010-03-31", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_COMPLETION},
	{"・ＧＳＯＣについては、監視対象となる府省庁を段階的に拡大するとともに、運用要員の訓練を進めてきたが、接続先となる府省庁のネットワーク構成の変更に想定以上の時間を要しているため、本格運用の開始は平成21年６月となる見込み。",
	    "平成21年６月", "2009-06-01", "2009-06-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_OPERATION_START},
	{"・情報資産のリスク分析及び外部委託先からの個人情報漏えい防止対策に関する手引きについては、２月17日に開催した有識者検討会において素案を取りまとめた。",
	    "２月17日", "2009-02-17", "2009-02-17", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_MEETING},
	{"・素案に対して地方公共団体から寄せられた意見が多岐にわたり、これを反映させる必要があることから、平成21年５月末を目途に手引きを作成し、公表する予定。",
	    "平成21年５月末", "2009-05-31", "2009-05-31", KG_PREC_MONTH_END, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・創設準備会において、協議会の目的、構成員、運営の方法等を定める規約案の検討を重ね、平成21年２月26日に「重要インフラ連絡協議会（ＣＥＰＴＯＡＲ－Ｃｏｕｎｃｉｌ）」が創設された。協議会には10分野のＣＥＰＴＯＡＲが参加し、事務局は各ＣＥＰＴＯＡＲの持ち回りとすることとされた。",
	    "平成21年２月26日", "2009-02-26", "2009-02-26", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_ESTABLISHMENT},
	{"・来年度中に、協議会としての活動計画を策定する予定。また、各ＣＥＰＴＯＡＲ間の情報共有の在り方について、協議会と連携して検討を進める予定。",
	    "来年度中", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_DECISION},
	{"・重要インフラ所管省庁の協力を得て、10分野全てについて指針の見直し項目への対応状況を調査し、各分野における安全基準等の見直しの状況を分析した結果を取りまとめ、平成21年２月に公表した。調査の結果、全ての分野で安全基準等の見直しが進められていることを確認した一方、委託先の管理等の項目については分野間で取組に差が見られた。",
	    "平成21年２月", "2009-02-01", "2009-02-28", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_PUBLICATION},
	{"・平成21年度も同様の調査を実施し、その結果を同年度末に公表する予定。",
	    "平成21年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_SURVEY},
	{"・平成21年度も同様の調査を実施し、その結果を同年度末に公表する予定。",
	    "同年度末", "2010-03-31", "2010-03-31", KG_PREC_FISCAL_YEAR_END, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・平成20年12月１日に、重要インフラ10分野の事業者及び所管省庁が参加する分野横断的演習を実施した。演習では、通信障害が複数の分野に波及する事態を想定し、情報共有の手順と連絡体制を検証した。",
	    "平成20年12月１日", "2008-12-01", "2008-12-01", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_EXERCISE},
	{"・演習で抽出された課題について、分野ごとの原因分析に時間を要しているため、結果の取りまとめ及び公表は平成21年４月下旬となる見込み。",
	    "平成21年４月下旬", "2009-04-21", "2009-04-30", KG_PREC_DEKAD, KG_STATUS_PLANNED, KG_KIND_REPORT},
	{"・検討会における議論を踏まえ、重要インフラ分野間の依存関係を整理した解析結果を報告書として取りまとめ、平成21年３月19日に公表した。報告書では、障害の波及経路を分野ごとに図示し、優先的に対策を講ずべき依存関係を示した。",
	    "平成21年３月19日", "2009-03-19", "2009-03-19", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_REPORT},
	{"・平成21年10月以降、電力や通信等の物理的な依存関係も対象に加えた解析に着手する予定。このため、各分野の事業者団体に対し、解析に必要な情報の提供について協力を依頼した。",
	    "平成21年10月以降", "2009-10-01", "", KG_PREC_OPEN_START, KG_STATUS_PLANNED, KG_KIND_LAUNCH},
	{"・研究会における検討の結果を踏まえ、企業が情報セキュリティガバナンスを導入する際の手引きを作成し、平成21年３月に公表した。",
	    "平成21年３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_PUBLICATION},
	{"・「情報システムの信頼性向上に関するガイドライン」の改訂については、業界団体からの意見を反映させるため、平成21年夏頃を目処に行う予定。",
	    "平成21年夏頃", "2009-06-01", "2009-08-31", KG_PREC_SEASON, KG_STATUS_PLANNED, KG_KIND_REVISION},
	{"・中小企業の経営者を対象とした情報セキュリティ対策セミナーを、平成21年７月〜９月に全国10都市で開催する予定。",
	    "平成21年７月〜９月", "2009-07-01", "2009-09-30", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・電気通信事業者における情報セキュリティ対策の取組状況を把握するためのアンケート調査を、平成21年１月から実施中。調査は、主要な電気通信事業者約200社を対象として、リスク評価の実施状況、委託先の管理状況等を尋ねるものである。",
	    "平成21年１月から", "2009-01-01", "", KG_PREC_OPEN_START, KG_STATUS_ONGOING, KG_KIND_SURVEY},
	{"・調査結果を踏まえて指針の改定案を取りまとめ、改定後の指針を平成二十一年十二月に告示として公布する予定。",
	    "平成二十一年十二月", "2009-12-01", "2009-12-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_REVISION},
	{"・平成21年３月上旬に、２拠点における教育プロジェクトの成果を紹介する合同成果発表会を開催し、大学、企業等から約300名が参加した。",
	    "平成21年３月上旬", "2009-03-01", "2009-03-10", KG_PREC_DEKAD, KG_STATUS_DONE, KG_KIND_MEETING},
	{"・平成21年度には、外部有識者の参画を得て行う各拠点の中間評価について、その結果を10月を目途に取りまとめる予定。",
	    "10月", "2009-10-01", "2009-10-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_REPORT},
	{"ＣＲＹＰＴＲＥＣにおける電子政府推奨暗号の安全性評価の結果を踏まえ、政府機関の情報システムで用いる暗号の移行を、平成21～25年度にかけて段階的に進める予定。",
	    "平成21～25年度", "2009-04-01", "2014-03-31", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・各府省庁が移行を進める際の具体的な手順や、移行期間中の運用上の留意点を示す移行計画を、平成21年度上半期に策定する予定。",
	    "平成21年度上半期", "2009-04-01", "2009-09-30", KG_PREC_HALF_YEAR, KG_STATUS_PLANNED, KG_KIND_DECISION},
	{"・平成21年２月に東京で開催した日・ＡＳＥＡＮ情報セキュリティ政策会議において、ＮＩＳＣが我が国の窓口として、参加国との間の連絡体制の構築に関する議論を主導した。",
	    "平成21年２月", "2009-02-01", "2009-02-28", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_MEETING},
	{"・参加各国の窓口担当者の連絡先等を共有するＰＯＣリストの作成を進めており、平成21年末を目途に第１版を各国に配布する予定。",
	    "平成21年末", "2009-12-31", "2009-12-31", KG_PREC_YEAR_END, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・全国の都道府県警察から報告された解析事例を分類・整理し、情報技術解析の手法に関する知見を反映したマニュアルの更新作業を年度内に完了し、都道府県警察に配布済み。",
	    "年度内", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_DONE, KG_KIND_REVISION},
	{"・国内関係機関が参加するデジタルフォレンジック連絡会の第１回会合を、２月中旬に開催した。会合では、証拠保全の手順や解析ツールの検証結果について情報交換を行った。",
	    "２月中旬", "2009-02-11", "2009-02-20", KG_PREC_DEKAD, KG_STATUS_DONE, KG_KIND_MEETING},
	{"・原案については、広く国民から意見を募るため、平成21年４月下旬から５月上旬まで意見募集を実施する予定。",
	    "平成21年４月下旬から５月上旬まで", "2009-04-21", "2009-05-10", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・意見募集の結果を踏まえ、平成２１年６月中に情報セキュリティ政策会議において決定する予定。",
	    "平成２１年６月中", "2009-06-01", "2009-06-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_DECISION},
};

/* Bullets of the next report that hold no milestone. */
static const char *const next_undated[] = {
	"・内閣官房において、各府省庁から回答を得た情報セキュリティマネジメント調査の集計・分析を行い、他の府省庁の参考となる取組を事例集として整理した。このうち特に優れた取組として、人事異動時の権限管理の徹底、外部委託先の監査等を含む12件を選定した。",
	"・改訂に当たっては、各府省庁の情報セキュリティ担当者との意見交換会を計４回開催し、現行基準の運用上の課題や解釈の分かれる規定を洗い出した上で、遵守事項の記述を明確化した。",
	"・不審な通信を検知した際に各府省庁へ速やかに情報提供を行うための連絡手順を整備し、全府省庁との間で試行的な運用を行った。",
	"・演習で抽出された課題について、分野ごとの原因分析に時間を要しているため、結果の取りまとめ及び公表は平成21年４月下旬となる見込み。",
	"・各拠点では、企業と連携した課題解決型学習を取り入れた演習科目を開設し、受講者数は２拠点の合計で延べ約150名となった。",
	"・暗号の危殆化に関する国内外の研究動向を調査し、電子政府推奨暗号リストに掲載された暗号について、直ちに安全性が損なわれるおそれはないことを確認した。",
	"・各府省庁から提出された施策を取りまとめ、次期年次計画の原案を作成した。原案では、本計画の進捗状況を踏まえ、事故前提社会への対応力の強化、政府機関における対策の底上げ等を重点として掲げている。",
	NULL,
};

static const struct row seed_rows[] = {
	/* the three the issue names */
	{"・政府横断的な情報収集、攻撃等の分析・解析、各政府機関への助言、各政府機関の相互連携促進及び情報共有を図るための体制（ＧＳＯＣ）の整備を平成19年度から着手し、平成20年４月から一部運用開始。平成20年度中に本格運用を開始予定。",
	    "平成20年度中", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_OPERATION_START},
	{"・有識者、各重要インフラ分野の分野委員及び重要インフラ所管省庁からなる「相互依存性解析・分野横断的演習検討会」を平成20年７月に設置し、分野横断的な演習の実施に向けた検討を実施中。平成20年12月１日に演習を実施し、平成21年３月中に結果をとりまとめた後、公表する予定。",
	    "平成20年12月１日", "2008-12-01", "2008-12-01", KG_PREC_DAY, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
	{"・有識者、各重要インフラ分野の分野委員及び重要インフラ所管省庁からなる「相互依存性解析・分野横断的演習検討会」を平成20年７月に設置し、分野横断的な演習の実施に向けた検討を実施中。平成20年12月１日に演習を実施し、平成21年３月中に結果をとりまとめた後、公表する予定。",
	    "平成21年３月中", "2009-03-01", "2009-03-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_REPORT},
	{"・有識者、各重要インフラ分野の分野委員及び重要インフラ所管省庁からなる「相互依存性解析・分野横断的演習検討会」を平成20年７月に設置し、分野横断的な演習の実施に向けた検討を実施中。平成20年12月１日に演習を実施し、平成21年３月中に結果をとりまとめた後、公表する予定。",
	    "平成20年７月", "2008-07-01", "2008-07-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_ESTABLISHMENT},
	{"・有識者、各重要インフラ分野の分野委員及び重要インフラ所管省庁からなる「相互依存性解析・分野横断的演習検討会」を平成20年７月に設置し、分野間のデータ送受信関係に焦点をあてた相互依存性解析の検討と国内外の関連研究動向調査等を実施中。平成21年３月中に結果をとりまとめた後、公表する予定。",
	    "平成21年３月中", "2009-03-01", "2009-03-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_REPORT},
	/* the design table's fourth example */
	{"・自然災害の発生等非常時における地方公共団体の情報システムに係る業務の継続、早期復旧に資するため、ＩＣＴ部門の業務継続計画（ＢＣＰ）策定に関するガイドラインを平成20年８月に作成、公表。情報資産のリスク分析、外部委託先からの個人情報漏えい防止対策のための手引き等に関しては、現在調査研究に着手。平成21年３月末を目途に作成の予定。",
	    "平成20年８月", "2008-08-01", "2008-08-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_PUBLICATION},
	{"・自然災害の発生等非常時における地方公共団体の情報システムに係る業務の継続、早期復旧に資するため、ＩＣＴ部門の業務継続計画（ＢＣＰ）策定に関するガイドラインを平成20年８月に作成、公表。情報資産のリスク分析、外部委託先からの個人情報漏えい防止対策のための手引き等に関しては、現在調査研究に着手。平成21年３月末を目途に作成の予定。",
	    "平成21年３月末", "2009-03-31", "2009-03-31", KG_PREC_MONTH_END, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・ＤＮＳキャッシュポイズニングの脆弱性に対応するため、内閣官房において、ＤＮＳサーバーの実態調査に係る説明会を９月５日に開催済み。",
	    "９月５日", "2008-09-05", "2008-09-05", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_MEETING},
	{"・関係機関の活動状況等についての情報の共有を図るために、重要インフラ事業者等を対象としたニュースレター（評価版）を平成20年６月に創刊し、平成20年９月までに７回発行。今後も継続的に発行予定。",
	    "平成20年６月", "2008-06-01", "2008-06-30", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_LAUNCH},
	{"・第20回重要インフラ専門委員会（平成20年９月12日開催）にて検討を行った「2008年度重要インフラにおける 「安全基準等の見直し状況等の把握及び検証」について」に基づき、重要インフラ所管省庁の協力を得て９月中旬より調査に着手。平成21年２月中に結果をとりまとめた後、公表する予定。",
	    "平成20年９月12日", "2008-09-12", "2008-09-12", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_MEETING},
	{"・第20回重要インフラ専門委員会（平成20年９月12日開催）にて検討を行った「2008年度重要インフラにおける 「安全基準等の見直し状況等の把握及び検証」について」に基づき、重要インフラ所管省庁の協力を得て９月中旬より調査に着手。平成21年２月中に結果をとりまとめた後、公表する予定。",
	    "９月中旬より", "2008-09-11", "", KG_PREC_OPEN_START, KG_STATUS_ONGOING, KG_KIND_LAUNCH},
	{"・「情報システムの信頼性向上に関するガイドライン」の改訂作業を実施しているところ。平成20年末を目処に改訂予定。",
	    "平成20年末", "2008-12-31", "2008-12-31", KG_PREC_YEAR_END, KG_STATUS_PLANNED, KG_KIND_REVISION},
	{"・総務省において、「国民のための情報セキュリティサイト」について、平成20年度末までに、情報通信の利用動向及び情報セキュリティの状況等を踏まえたコンテンツの更新作業を実施する予定。",
	    "平成20年度末までに", "2008-10-01", "2009-03-31", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_REVISION},
	{"・平成20年８月、関東管区警察学校において、都道府県警察の情報セキュリティ対策を担当する警部補以下（同相当職員）対象の「情報セキュリティ・アドバイザー専科」を実施（８月26日から９月26日まで実施）",
	    "８月26日から９月26日まで", "2008-08-26", "2008-09-26", KG_PREC_RANGE, KG_STATUS_DONE, KG_KIND_OTHER},
	{"・平19年10月に策定した「情報セキュリティ分野における国際協調・貢献に向けた取組み」に記載された施策を実行するための調査研究に着手。平成20年度中にいくつかの施策について具体的方向性を方針を決定する。",
	    "平19年10月", "2007-10-01", "2007-10-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_DECISION},
	{"・平成20年４月には、ＧＳＯＣの運用を開始し、年度内の本格運用に向けた体制整備に着手した。",
	    "年度内", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_OPERATION_START},
	{"・ＩＰＡにおいて、「調達におけるセキュリティ要件研究会」を設置。そこでの意見を踏まえセキュリティ機器調達支援ツールを作成。平成20今年度中の公開を予定。",
	    "平成20今年度中", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・都道府県警察において、学校等教育機関、行政機関、企業、一般国民に対し、情報セキュリティに関する意識・知識の向上を図る目的で行っているサイバーセキュリティ・カレッジを、平成21年２月のサイバー犯罪防止のための広報月間において重点的に実施する予定。",
	    "平成21年２月", "2009-02-01", "2009-02-28", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・第19回情報セキュリティ政策会議において、平成20年度末に実施する評価等の基本方針について報告・公表予定。",
	    "平成20年度末", "2009-03-31", "2009-03-31", KG_PREC_FISCAL_YEAR_END, KG_STATUS_PLANNED, KG_KIND_OTHER},
};

/* Invented sentences (as of 2008-09-30). */
static const struct row own_rows[] = {
	/* layouts: a labelled table cell (実施時期：…) with its own act per
	 * dated event, a light predicate taking its object, an ongoing word on
	 * a window that has not begun */
	{"・各府省は、押印を不要とする見直しを行う。実施時期：平成20年度検討開始、平成21年度結論・措置", "平成20年度", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_ONGOING, KG_KIND_LAUNCH},
	{"・各府省は、押印を不要とする見直しを行う。実施時期：平成20年度検討開始、平成21年度結論・措置", "平成21年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_DECISION},
	{"・各府省は、押印を不要とする見直しを行う。実施時期：平成20年度措置", "平成20年度", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_ONGOING, KG_KIND_REVISION},
	{"・総務省は、マニュアルを作成し、地方公共団体に周知する。実施時期：平成20年度下期措置", "平成20年度下期", "2008-10-01", "2009-03-31", KG_PREC_HALF_YEAR, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・実践的サイバー防御演習（CYDER）を平成20年度に全国で実施する。", "平成20年度", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
	{"・デジタル庁は、結果を公表する。実施時期：平成21年度以降継続的に措置", "平成21年度以降", "2009-04-01", "", KG_PREC_OPEN_START, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	/* family4 round: a bracket dating the noun before it, a labelled date,
	 * Xが決定, 稼働前, 終え, 適用, ことを検討 */
	{"・講演会を情報セキュリティ月間（２月１日〜３月18日）に合わせて開催する予定。", "２月１日〜３月18日", "2009-02-01", "2009-03-18", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・結果は情報セキュリティ政策会議（平成20年12月３日開催予定）に報告する。", "平成20年12月３日", "2008-12-03", "2008-12-03", KG_PREC_DAY, KG_STATUS_PLANNED, KG_KIND_MEETING},
	{"・24時間監視を開始した。実施時期：平成20年７月", "平成20年７月", "2008-07-01", "2008-07-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_LAUNCH},
	{"・平成20年７月22日の委員会において改定が決定された。", "平成20年７月22日", "2008-07-22", "2008-07-22", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_DECISION},
	{"・平成21年度以降は、稼働前の脆弱性調査を義務付ける。", "平成21年度以降", "2009-04-01", "", KG_PREC_OPEN_START, KG_STATUS_PLANNED, KG_KIND_SURVEY},
	{"・意見照会を８月下旬に終え、現在、修正案を作成中。", "８月下旬", "2008-08-21", "2008-08-31", KG_PREC_DEKAD, KG_STATUS_DONE, KG_KIND_OTHER},
	{"・指標は、平成21年３月末をめどに決定し、平成21年度から適用することとしている。", "平成21年度から", "2009-04-01", "", KG_PREC_OPEN_START, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・平成21年度以後も、同様のキャンペーンを毎年度実施することを検討している。", "平成21年度以後", "2009-04-01", "", KG_PREC_OPEN_START, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・平成20年８月、研修を実施（８月26日から９月26日まで実施）。", "８月26日から９月26日まで", "2008-08-26", "2008-09-26", KG_PREC_RANGE, KG_STATUS_DONE, KG_KIND_OTHER},
	{"・平成21年１月に開催する予定。", "平成21年１月", "2009-01-01", "2009-01-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_MEETING},
	{"・平成20年７月に第１回会合を開催した。", "平成20年７月", "2008-07-01", "2008-07-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_MEETING},
	{"・平成20年７月に報告書を公表した。", "平成20年７月", "2008-07-01", "2008-07-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_REPORT},
	{"・平成20年度中に指針を改定する見込み。", "平成20年度中", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_REVISION},
	{"・平成20年６月から実施中。", "平成20年６月から", "2008-06-01", "", KG_PREC_OPEN_START, KG_STATUS_ONGOING, KG_KIND_OTHER},
	{"・平成20年６月から継続して調査を実施。", "平成20年６月から", "2008-06-01", "", KG_PREC_OPEN_START, KG_STATUS_ONGOING, KG_KIND_SURVEY},
	{"・平成20年８月に調査を実施。", "平成20年８月", "2008-08-01", "2008-08-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_SURVEY},
	{"・平成21年２月に訓練を行う。", "平成21年２月", "2009-02-01", "2009-02-28", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
	{"・平成21年度中に運用を開始する。", "平成21年度中", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_OPERATION_START},
	{"・平成21年３月までに検討会を設置する。", "平成21年３月までに", "2008-10-01", "2009-03-31", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_ESTABLISHMENT},
	{"・平成20年９月に計画を策定した。", "平成20年９月", "2008-09-01", "2008-09-30", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_DECISION},
	{"・キャンペーンを平成20年11月に実施する。", "平成20年11月", "2008-11-01", "2008-11-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・平成20年10月１日に本格運用を開始した。", "平成20年10月１日", "2008-10-01", "2008-10-01", KG_PREC_DAY, KG_STATUS_PLANNED, KG_KIND_OPERATION_START},
	{"・平成20年５月にシステムが完成した。", "平成20年５月", "2008-05-01", "2008-05-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_COMPLETION},
	{"・平成20年度第３四半期に手引きを発行する予定。", "平成20年度第３四半期", "2008-10-01", "2008-12-31", KG_PREC_QUARTER, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・平成20年４月から平成21年３月まで実施。", "平成20年４月から平成21年３月まで", "2008-04-01", "2009-03-31", KG_PREC_RANGE, KG_STATUS_ONGOING, KG_KIND_OTHER},
	/* an act on an object: the act decides, unless it only starts or ends it */
	{"・平成20年９月12日の情報セキュリティ政策会議において改定を決定した。", "平成20年９月12日", "2008-09-12", "2008-09-12", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_DECISION},
	{"・平成20年７月に指針の改訂を公表した。", "平成20年７月", "2008-07-01", "2008-07-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_PUBLICATION},
	{"・平成20年８月に改定を完了した。", "平成20年８月", "2008-08-01", "2008-08-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_REVISION},
	{"・平成20年７月に本格運用を開始した。", "平成20年７月", "2008-07-01", "2008-07-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_OPERATION_START},
	{"・12月20日から１月14日まで、年末年始の対策キャンペーンを実施する予定。", "12月20日から１月14日まで", "2008-12-20", "2009-01-14", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・平成元年度から実施している研修について、年度内にカリキュラムを改訂した。", "年度内", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_DONE, KG_KIND_REVISION},
	/* a date alone in brackets followed by の dates the noun before it;
	 * followed by に it times the act after it */
	{"・「情報セキュリティ月間」（平成21年２月２日～３月18日）の実施に向けて、実行委員会を11月に設置する。", "平成21年２月２日～３月18日", "2009-02-02", "2009-03-18", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・「情報セキュリティ月間」（平成21年２月２日～３月18日）の実施に向けて、実行委員会を11月に設置する。", "11月", "2008-11-01", "2008-11-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_ESTABLISHMENT},
	{"・国際シンポジウム（平成21年１月20日）の開催に向けて、準備を進める。", "平成21年１月20日", "2009-01-20", "2009-01-20", KG_PREC_DAY, KG_STATUS_PLANNED, KG_KIND_MEETING},
	{"・情報セキュリティ政策会議（平成20年９月12日）に報告した。", "平成20年９月12日", "2008-09-12", "2008-09-12", KG_PREC_DAY, KG_STATUS_DONE, KG_KIND_REPORT},
	/* a call for comments is other, whatever its topic */
	{"・改訂案については、平成21年１月に意見募集を行う予定。", "平成21年１月", "2009-01-01", "2009-01-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・指針の改定案について、平成20年11月にパブリックコメントを実施する。", "平成20年11月", "2008-11-01", "2008-11-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_OTHER},
	/* the date's own act on an object never borrows an earlier clause's
	 * kind; a date qualifying a light noun (秋頃の実施) does */
	{"・実践的な演習を含む研修を平成20年10月に開始し、12月末までに受講者を登録する予定。", "12月末までに", "2008-10-01", "2008-12-31", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・実践的な演習を含む研修を平成20年10月に開始し、12月末までに受講者を登録する予定。", "平成20年10月", "2008-10-01", "2008-10-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_LAUNCH},
	{"・来年度の演習は、平成21年秋頃の実施を目途に準備を進める。", "平成21年秋頃", "2009-09-01", "2009-11-30", KG_PREC_SEASON, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
	/* 演習型, 演習形式: qualifiers, not the event; a meeting over a range in
	 * several places is a series (campaign), a single one stays a meeting */
	{"・演習型の講座を、平成20年11月から平成21年２月まで全国６都市で開催する予定。", "平成20年11月から平成21年２月まで", "2008-11-01", "2009-02-28", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・説明会を、平成20年10月～11月に各地で開催する。", "平成20年10月～11月", "2008-10-01", "2008-11-30", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_CAMPAIGN},
	{"・次回会合は平成21年１月～２月頃に開催する見込み。", "平成21年１月～２月頃", "2009-01-01", "2009-02-28", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_MEETING},
	{"・演習形式の研修を平成20年11月に実施する。", "平成20年11月", "2008-11-01", "2008-11-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・演習を平成20年11月に全国５都市で実施する。", "平成20年11月", "2008-11-01", "2008-11-30", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
};

/* The family as PDFs print it (as of 2023-09-30): blanks inside
 * expressions, weekdays, anaphora, composite cells of a reform table, ※
 * notes, open windows. */
static const struct row pdf_rows[] = {
	{"・2021 年7月下旬に公表した。", "2021 年7月下旬", "2021-07-21", "2021-07-31", KG_PREC_DEKAD, KG_STATUS_DONE, KG_KIND_PUBLICATION},
	{"・2024 年度中に実施する予定。", "2024 年度中", "2024-04-01", "2025-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・令和５年４月に開始し、同年 12 月に完了する予定。", "同年 12 月", "2023-12-01", "2023-12-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_COMPLETION},
	{"・令和５年12月１日（金）に演習を実施する。", "令和５年12月１日（金）", "2023-12-01", "2023-12-01", KG_PREC_DAY, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
	{"・令和５年10月２日（月）～６日（金）に全国で講習会を開催する。", "令和５年10月２日（月）～６日（金）", "2023-10-02", "2023-10-06", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_MEETING},
	/* a range sharing its unit: one window, not a year and a month */
	{"・2024年1~3月期に説明会を開催する。", "2024年1~3月期", "2024-01-01", "2024-03-31", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_MEETING},
	{"・12月1～5日に演習を実施する予定。", "12月1～5日", "2023-12-01", "2023-12-05", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
	/* a composite cell: one milestone per dated event, each with its kind */
	{"令和３年度検討開始、令和４年度結論・措置", "令和３年度", "2021-04-01", "2022-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_DONE, KG_KIND_LAUNCH},
	{"令和３年度検討開始、令和４年度結論・措置", "令和４年度", "2022-04-01", "2023-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_DONE, KG_KIND_DECISION},
	{"a:令和５年度検討開始、令和６年度結論", "令和５年度", "2023-04-01", "2024-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_ONGOING, KG_KIND_LAUNCH},
	{"a:令和５年度検討開始、令和６年度結論", "令和６年度", "2024-04-01", "2025-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_DECISION},
	{"令和６年度上期措置", "令和６年度上期", "2024-04-01", "2024-09-30", KG_PREC_HALF_YEAR, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"令和４年度措置済み", "令和４年度", "2022-04-01", "2023-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_DONE, KG_KIND_OTHER},
	{"・※2023年３月取組終了", "2023年３月", "2023-03-01", "2023-03-31", KG_PREC_MONTH, KG_STATUS_DONE, KG_KIND_COMPLETION},
	{"・2024年度以降も実施する。", "2024年度以降", "2024-04-01", "", KG_PREC_OPEN_START, KG_STATUS_PLANNED, KG_KIND_OTHER},
	{"・2024年３月に改定し、2024.4.1から施行する。", "2024年３月", "2024-03-01", "2024-03-31", KG_PREC_MONTH, KG_STATUS_PLANNED, KG_KIND_REVISION},
	{"・FY2024に調査を実施する。", "FY2024", "2024-04-01", "2025-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_SURVEY},
	{"・令和６（2024）年度中に公表する予定。", "令和６（2024）年度中", "2024-04-01", "2025-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_PUBLICATION},
	{"・令和４年度に着手し、翌年度に完了した。", "翌年度", "2023-04-01", "2024-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_DONE, KG_KIND_COMPLETION},
	{"・令和５年10月に公表し、翌月末までに説明会を開催する。", "翌月末までに", "2023-10-01", "2023-11-30", KG_PREC_RANGE, KG_STATUS_PLANNED, KG_KIND_MEETING},
	{"・令和６年度末に向けて取りまとめる。", "令和６年度末", "2025-03-31", "2025-03-31", KG_PREC_FISCAL_YEAR_END, KG_STATUS_PLANNED, KG_KIND_REPORT},
	/* a bracket closed inside a clause does not end it: 演習 is the object */
	{"・実践的サイバー防御演習（CYDER）を 2024 年度に全国で実施する。", "2024 年度", "2024-04-01", "2025-03-31", KG_PREC_FISCAL_YEAR, KG_STATUS_PLANNED, KG_KIND_EXERCISE},
};

static kg_day
day_of(const char *s)
{
	kg_day d;

	if (s == NULL || *s == '\0')
		return KG_DAY_NONE;
	assert_int_equal(kg_date_parse(s, &d, NULL), 0);
	return d;
}

static const struct kg_extract_item *
find(const struct kg_extract *x, const char *expr)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (x->v[i].m.expr && strcmp(x->v[i].m.expr, expr) == 0)
			return &x->v[i];
	return NULL;
}

static void
check_rows(const struct row *rows, size_t n, const char *as_of)
{
	struct kg_jpctx ctx = kg_jpctx_of(day_of(as_of));
	size_t r;

	for (r = 0; r < n; r++) {
		const struct row *w = &rows[r];
		struct kg_extract x = {0};
		const struct kg_extract_item *it;
		const struct kg_milestone *m;
		struct kg_err err;

		assert_int_equal(kg_extract_text(w->bullet, strlen(w->bullet), &ctx, &x,
		    &err), 0);
		it = find(&x, w->expr);
		if (it == NULL)
			print_error("row %zu: no milestone '%s'\n", r, w->expr);
		assert_non_null(it);
		m = &it->m;
		if (m->window_start != day_of(w->ws) || m->window_end != day_of(w->we)
		    || m->precision != w->prec || m->status != w->status
		    || m->kind != w->kind) {
			char a[KG_DATE_LEN], b[KG_DATE_LEN];

			print_error("row %zu '%s': got %s..%s %s %s %s\n", r, w->expr,
			    kg_date_format(m->window_start, a),
			    kg_date_format(m->window_end, b), kg_precision_name(m->precision),
			    kg_status_name(m->status), kg_kind_name(m->kind));
		}
		assert_int_equal(m->window_start, day_of(w->ws));
		assert_int_equal(m->window_end, day_of(w->we));
		assert_int_equal(m->precision, w->prec);
		assert_int_equal(m->status, w->status);
		assert_int_equal(m->kind, w->kind);
		assert_non_null(m->title);
		assert_non_null(m->sentence);
		assert_non_null(strstr(w->bullet, m->sentence));
		assert_non_null(strstr(m->sentence, m->expr));
		assert_int_equal(memcmp(w->bullet + it->expr_offset, m->expr,
		    strlen(m->expr)), 0);
		kg_extract_clear(&x);
	}
}

static void
test_next_report(void **state)
{
	(void)state;
	check_rows(next_rows, sizeof(next_rows) / sizeof(next_rows[0]), "2009-03-31");
}

/* Every bullet of the next report yields exactly its expected milestones:
 * 32 in all, and none from the bullets without one. */
static void
test_next_report_counts(void **state)
{
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2009-03-31"));
	size_t r, total = 0, i;

	(void)state;
	for (r = 0; r < sizeof(next_rows) / sizeof(next_rows[0]); r++) {
		struct kg_extract x = {0};
		size_t want = 0;

		if (r && strcmp(next_rows[r].bullet, next_rows[r - 1].bullet) == 0)
			continue;
		for (i = r; i < sizeof(next_rows) / sizeof(next_rows[0]); i++)
			want += strcmp(next_rows[i].bullet, next_rows[r].bullet) == 0;
		assert_int_equal(kg_extract_text(next_rows[r].bullet,
		    strlen(next_rows[r].bullet), &ctx, &x, NULL), 0);
		if (x.n != want)
			print_error("bullet %zu: %zu milestones, want %zu\n", r, x.n, want);
		assert_int_equal(x.n, want);
		total += x.n;
		kg_extract_clear(&x);
	}
	assert_int_equal(total, 32);
	for (r = 0; next_undated[r]; r++) {
		struct kg_extract x = {0};

		assert_int_equal(kg_extract_text(next_undated[r], strlen(next_undated[r]),
		    &ctx, &x, NULL), 0);
		/* the 見込み bullet is a milestone of its own measure, counted above */
		if (strstr(next_undated[r], "平成21年４月下旬") == NULL)
			assert_int_equal(x.n, 0);
		assert_int_equal(x.notes.n, 0);
		kg_extract_clear(&x);
	}
}

static void
test_seed(void **state)
{
	(void)state;
	check_rows(seed_rows, sizeof(seed_rows) / sizeof(seed_rows[0]), "2008-09-30");
}

static void
test_own(void **state)
{
	(void)state;
	check_rows(own_rows, sizeof(own_rows) / sizeof(own_rows[0]), "2008-09-30");
}

static void
test_pdf(void **state)
{
	(void)state;
	check_rows(pdf_rows, sizeof(pdf_rows) / sizeof(pdf_rows[0]), "2023-09-30");
}

/*
 * Never a silent guess: a window whose year the text leaves open is kept
 * and flagged, with a reason naming what is open; a year the text gives is
 * not flagged.
 */
static void
test_uncertain(void **state)
{
	static const struct {
		const char *as_of, *bullet, *expr, *reason; /* reason: a part of it, or NULL */
	} rows[] = {
		{"2023-09-30", "・同年12月に公表する予定。", "同年12月", "同年"},
		{"2023-09-30", "・令和５年４月に開始し、同年12月に完了する予定。", "同年12月", NULL},
		{"2023-09-30", "・令和５年12月１日（月）に演習を実施する。", "令和５年12月１日（月）", "weekday"},
		{"2023-09-30", "・令和６（2023）年度に実施する。", "令和６（2023）年度", "era"},
		/* the report's fiscal year against the tense of the date's own clause */
		{"2023-09-30", "・10月に公表した。", "10月", "reports it done"},
		{"2009-03-31", "・４月上旬に開催する予定。", "４月上旬", "plans it"},
		{"2009-03-31", "・２月末までに完了させる予定。", "２月末までに", "plans it"},
		{"2009-03-31", "・２月に公表した。", "２月", NULL},
		{"2009-03-31", "・平成21年度には、10月を目途に取りまとめる予定。", "10月", NULL},
		{"2009-03-31", "・年度内に完了した。", "年度内", NULL},
	};
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct kg_jpctx ctx = kg_jpctx_of(day_of(rows[r].as_of));
		struct kg_extract x = {0};
		const struct kg_extract_item *it;

		assert_int_equal(kg_extract_text(rows[r].bullet, strlen(rows[r].bullet), &ctx,
		    &x, NULL), 0);
		it = find(&x, rows[r].expr);
		assert_non_null(it);
		if (it->m.uncertain != (rows[r].reason != NULL))
			print_error("row %zu '%s': uncertain %d (%s)\n", r, rows[r].expr,
			    it->m.uncertain, it->m.uncertain_reason ? it->m.uncertain_reason : "-");
		assert_int_equal(it->m.uncertain, rows[r].reason != NULL);
		if (rows[r].reason)
			assert_non_null(strstr(it->m.uncertain_reason, rows[r].reason));
		else
			assert_null(it->m.uncertain_reason);
		kg_extract_clear(&x);
	}
}

/*
 * Every status word, after a date whose window alone would say otherwise
 * (as of 2008-09-30: April 2008 is over, so done; the fiscal year 2008 is
 * running, so ongoing): the word decides, and a certainty word sets the
 * certainty.
 */
static void
test_status_words(void **state)
{
	static const struct {
		const char *bullet;
		enum kg_status status;
		enum kg_certainty cert;
	} rows[] = {
		{"・平成20年４月に調査を実施する予定。", KG_STATUS_PLANNED, KG_CERT_PLANNED},
		{"・平成20年４月に調査を実施する見込み。", KG_STATUS_PLANNED, KG_CERT_EXPECTED},
		{"・平成20年４月に調査を実施する目途。", KG_STATUS_PLANNED, KG_CERT_TARGET},
		{"・平成20年４月に調査を実施する目処。", KG_STATUS_PLANNED, KG_CERT_TARGET},
		{"・平成20年４月に調査を実施するめど。", KG_STATUS_PLANNED, KG_CERT_TARGET},
		{"・平成20年度に措置済み。", KG_STATUS_DONE, KG_CERT_NONE},
		{"・平成20年度に取組終了。", KG_STATUS_DONE, KG_CERT_NONE},
		{"・平成20年４月に調査を実施中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を検討中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を推進中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を作業中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を調整中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を準備中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を運用中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を開発中。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を継続。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査を引き続き実施。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査をしている。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査をしております。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月に調査をしているところ。", KG_STATUS_ONGOING, KG_CERT_NONE},
		{"・平成20年４月の公表に向け調査。", KG_STATUS_PLANNED, KG_CERT_NONE},
		{"・平成20年４月に調査を行う方針。", KG_STATUS_PLANNED, KG_CERT_NONE},
		{"・平成20年４月に調査を行うこととしている。", KG_STATUS_PLANNED, KG_CERT_NONE},
		{"・平成20年４月に調査を行うことを検討。", KG_STATUS_PLANNED, KG_CERT_NONE},
		{"・平成20年４月に調査が開始される。", KG_STATUS_PLANNED, KG_CERT_NONE},
	};
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2008-09-30"));
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct kg_extract x = {0};

		assert_int_equal(kg_extract_text(rows[r].bullet, strlen(rows[r].bullet), &ctx,
		    &x, NULL), 0);
		assert_int_equal(x.n, 1);
		if (x.v[0].m.status != rows[r].status || x.v[0].m.certainty != rows[r].cert)
			print_error("row %zu '%s': status %d certainty %d\n", r, rows[r].bullet,
			    (int)x.v[0].m.status, (int)x.v[0].m.certainty);
		assert_int_equal(x.v[0].m.status, rows[r].status);
		assert_int_equal(x.v[0].m.certainty, rows[r].cert);
		kg_extract_clear(&x);
	}
}

/* A figure with its date is a result as of that date, not a milestone: the
 * date is skipped, and says why. */
static void
test_figures(void **state)
{
	static const struct {
		const char *bullet, *expr;
	} rows[] = {
		{"・相談件数は2,100件（2023年９月末）となった。", "2023年９月末"},
		{"・達成率は45%（2023年度）であり、2026年度までに80%とする。", "2023年度"},
		{"・平成20年度は計37件（９月末現在）を処理した。", "９月末"},
	};
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2023-09-30"));
	size_t r, i;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct kg_extract x = {0};
		bool skipped = false;

		assert_int_equal(kg_extract_text(rows[r].bullet, strlen(rows[r].bullet), &ctx,
		    &x, NULL), 0);
		assert_null(find(&x, rows[r].expr));
		for (i = 0; i < x.nskipped; i++)
			if (x.skipped[i].len == strlen(rows[r].expr) && memcmp(rows[r].bullet
			    + x.skipped[i].offset, rows[r].expr, x.skipped[i].len) == 0) {
				assert_string_equal(x.skipped[i].why, KG_EXTRACT_WHY_FIGURE);
				skipped = true;
			}
		assert_true(skipped);
		kg_extract_clear(&x);
	}
}

/*
 * Titles: what happens at the date, as a calendar entry would say it.  Real
 * sentences of the seed, the sample and the family reports (tests/data/),
 * with the as-of date of their report; bare = the text names no object for
 * the act, so the importer uses "<kind>: <measure title>" instead.
 */
struct title_row {
	const char *as_of;
	const char *sentence;
	const char *expr;
	const char *title;
	bool bare;
};

static const struct title_row title_rows[] = {
	/* secure-japan-2008-h1.txt (as of 2008-09-30) */
	{"2008-09-30", "内閣官房において、各府省庁の情報セキュリティマネジメントの調査を平成20年８月に依頼済み。", "平成20年８月", "各府省庁の情報セキュリティマネジメントの調査を依頼", false},
	{"2008-09-30", "今回調査の結果については、平成21年４月開催予定の情報セキュリティ政策会議で報告・公表するとともに、ベストプラクティスを共有する説明会等を予定。", "平成21年４月", "今回調査の結果を情報セキュリティ政策会議で報告・公表", false},
	{"2008-09-30", "ＤＮＳキャッシュポイズニングの脆弱性に対応するため、内閣官房において、ＤＮＳサーバーの実態調査に係る説明会を９月５日に開催済み。", "９月５日", "ＤＮＳサーバーの実態調査に係る説明会を開催", false},
	{"2008-09-30", "平成20年12月の政策会議において改訂案を諮る予定。", "平成20年12月", "改訂案を諮る", false},
	{"2008-09-30", "政府横断的な情報収集、攻撃等の分析・解析、各政府機関への助言、各政府機関の相互連携促進及び情報共有を図るための体制（ＧＳＯＣ）の整備を平成19年度から着手し、平成20年４月から一部運用開始。", "平成19年度から", "体制（ＧＳＯＣ）の整備を着手", false},
	{"2008-09-30", "自然災害の発生等非常時における地方公共団体の情報システムに係る業務の継続、早期復旧に資するため、ＩＣＴ部門の業務継続計画（ＢＣＰ）策定に関するガイドラインを平成20年８月に作成、公表。", "平成20年８月", "業務継続計画（ＢＣＰ）策定に関するガイドラインを作成・公表", false},
	{"2008-09-30", "情報資産のリスク分析、外部委託先からの個人情報漏えい防止対策のための手引き等に関しては、現在調査研究に着手。平成21年３月末を目途に作成の予定。", "平成21年３月末", "個人情報漏えい防止対策のための手引き等を作成", false},
	{"2008-09-30", "平成20年度はプロトタイプ版を開発するとともに、平成20年10月から内閣官房にて実証実験を実施する予定。", "平成20年10月から", "実証実験を実施", false},
	{"2008-09-30", "平成20年７月に「「重要インフラ連絡協議会（ＣＥＰＴＯＡＲ－Ｃｏｕｎｃｉｌ）」（仮称）創設準備会」を設置し、「重要インフラ連絡協議会（ＣＥＰＴＯＡＲ－Ｃｏｕｎｃｉｌ）」（仮称）の創設に向けた検討に着手。", "平成20年７月", "「「重要インフラ連絡協議会」創設準備会」を設置", false},
	{"2008-09-30", "平成20年度中に「重要インフラ連絡協議会（ＣＥＰＴＯＡＲ－Ｃｏｕｎｃｉｌ）」（仮称）が創設される見込み。", "平成20年度中", "「重要インフラ連絡協議会」が創設", false},
	{"2008-09-30", "第20回重要インフラ専門委員会（平成20年９月12日開催）にて検討を行った「2008年度重要インフラにおける 「安全基準等の見直し状況等の把握及び検証」について」に基づき、重要インフラ所管省庁の協力を得て９月中旬より調査に着手。", "平成20年９月12日", "第20回重要インフラ専門委員会を開催", false},
	{"2008-09-30", "平成21年２月中に結果をとりまとめた後、公表する予定。", "平成21年２月中", "結果をとりまとめ", false},
	{"2008-09-30", "産業構造審議会情報セキュリティ基本問題委員会において、企業の経営者が情報セキュリティガバナンス確立のために考慮すべき事項とそれを支援するために必要な施策について検討を行い、情報セキュリティに関係する既存の法制度に配慮した企業が行うべき情報の管理及び情報システムの管理に関するガイダンス等を提言する「中間とりまとめ～企業における戦略的な情報セキュリティガバナンスの確立に向けて～」を平成20年６月に公開した。", "平成20年６月", "「中間とりまとめ」を公開", false},
	{"2008-09-30", "平成20年末を目処に改訂予定。", "平成20年末", "改訂", true},
	{"2008-09-30", "平成20今年度中の公開を予定。", "平成20今年度中", "公開", true},
	{"2008-09-30", "情報セキュリティ教育に関する指導実践事例等を紹介する教員向けＷｅｂサイト（情報モラル指導ポータルサイト）を平成20年７月に公表。", "平成20年７月", "教員向けＷｅｂサイトを公表", false},
	{"2008-09-30", "都道府県警察において、学校等教育機関、行政機関、企業、一般国民に対し、情報セキュリティに関する意識・知識の向上を図る目的で行っているサイバーセキュリティ・カレッジを、平成21年２月のサイバー犯罪防止のための広報月間において重点的に実施する予定。", "平成21年２月", "サイバーセキュリティ・カレッジを重点的に実施", false},
	{"2008-09-30", "警察庁、文部科学省及び都道府県警察の協力の下、経済産業省がＮＰＯ日本ネットワークセキュリティ協会その他のＮＰＯ等と連携して実施している「インターネット安全教室」について、本年度も引き続き、全国各地で開催している。", "本年度", "「インターネット安全教室」を全国各地で開催", false},
	{"2008-09-30", "経済産業省において、専用ホームページ等を通じて、国民に情報セキュリティ対策の重要性を訴える「Check PC！キャンペーン」を平成20年度も実施する予定。", "平成20年度", "「Check PC！キャンペーン」を実施", false},
	{"2008-09-30", "送出機器のアドレスを詐称している通信であっても、本当の送出機器を探知しうるトレースバック技術に関する研究開発（平成17～21年度）等を実施しているところ。", "平成17～21年度", "トレースバック技術に関する研究開発を実施", false},
	{"2008-09-30", "平成20年度は、それぞれの拠点において実際に学生の受入が開始され、先進的な教育プログラムの開発・実施が進められるとともに、各拠点において得られた教材等の成果を効果的・効率的に普及展開していくための「拠点間教材等洗練事業」を実施している。", "平成20年度", "学生の受入が開始", false},
	{"2008-09-30", "平19年10月に策定した「情報セキュリティ分野における国際協調・貢献に向けた取組み」に記載された施策を実行するための調査研究に着手。", "平19年10月", "「国際協調・貢献に向けた取組み」を策定", false},
	{"2008-09-30", "今年度中に開催される日ＡＳＥＡＮ政策会合の創設、国際的な監視・警戒ネットワーク（ＩＷＷＮ)、重要インフラ保護に関する国際会合（Meridian）等を通じ、ＮＩＳＣが中心となって我が国の政策の推進を行う。", "今年度中", "日ＡＳＥＡＮ政策会合を開催", false},
	{"2008-09-30", "平成20年度内に開催される日ＡＳＥＡＮ情報セキュリティ政策会合の場を通じて、ＡＳＥＡＮ地域における意識・リテラシー向上を図る。", "平成20年度内", "日ＡＳＥＡＮ情報セキュリティ政策会合を開催", false},
	{"2008-09-30", "平成20年６月、警察大学校において、都道府県警察のサイバー犯罪捜査指揮を担当する警部及び警部補対象の「サイバー犯罪取締・対策専科」教養を実施。", "平成20年６月", "「サイバー犯罪取締・対策専科」教養を実施", false},
	{"2008-09-30", "平成20年８月、関東管区警察学校において、都道府県警察の情報セキュリティ対策を担当する警部補以下（同相当職員）対象の「情報セキュリティ・アドバイザー専科」を実施（８月26日から９月26日まで実施）", "８月26日から９月26日まで", "「情報セキュリティ・アドバイザー専科」を実施", false},
	{"2008-09-30", "国内関係機関とのデジタルフォレンジックに関する情報共有・情報交換を目的としたデジタルフォレンジック連絡会を平成20年度末までに開催予定。", "平成20年度末までに", "デジタルフォレンジック連絡会を開催", false},
	{"2008-09-30", "平成20年４月には、ＧＳＯＣの運用を開始し、年度内の本格運用に向けた体制整備に着手した。", "年度内", "本格運用に向けた体制整備に着手", false},
	{"2008-09-30", "内閣官房及び各府省庁では、第17回情報セキュリティ政策会議（平成20年４月22日）に報告した「２００７年度の情報セキュリティ政策の評価等」の内容もふまえつつ、情報セキュリティ政策を推進。", "平成20年４月22日", "「２００７年度の情報セキュリティ政策の評価等」を報告", false},
	/* next-report.txt (as of 2009-03-31) */
	{"2009-03-31", "調査結果は、平成21年４月中旬に開催予定の情報セキュリティ政策会議に報告した上で、ホームページ等を通じて広く公表する予定。", "平成21年４月中旬", "調査結果を情報セキュリティ政策会議に報告", false},
	{"2009-03-31", "統一基準の構成の変更、新たな脅威への対応等を盛り込んだ改訂案について、各府省庁との調整を経て、平成21年２月３日の情報セキュリティ政策会議において決定した。", "平成21年２月３日", "新たな脅威への対応等を盛り込んだ改訂案を決定", false},
	{"2009-03-31", "改訂後の統一基準は、平成21年度当初に各府省庁へ周知するとともに、これに対応した各府省庁の規程類の見直しを、平成21年度末までに完了させる予定。", "平成21年度当初", "改訂後の統一基準を各府省庁へ周知", false},
	{"2009-03-31", "情報資産のリスク分析及び外部委託先からの個人情報漏えい防止対策に関する手引きについては、２月17日に開催した有識者検討会において素案を取りまとめた。", "２月17日", "有識者検討会を開催", false},
	{"2009-03-31", "重要インフラ所管省庁の協力を得て、10分野全てについて指針の見直し項目への対応状況を調査し、各分野における安全基準等の見直しの状況を分析した結果を取りまとめ、平成21年２月に公表した。", "平成21年２月", "結果を公表", false},
	{"2009-03-31", "検討会における議論を踏まえ、重要インフラ分野間の依存関係を整理した解析結果を報告書として取りまとめ、平成21年３月19日に公表した。", "平成21年３月19日", "重要インフラ分野間の依存関係を整理した解析結果を公表", false},
	{"2009-03-31", "中小企業の経営者を対象とした情報セキュリティ対策セミナーを、平成21年７月〜９月に全国10都市で開催する予定。", "平成21年７月〜９月", "情報セキュリティ対策セミナーを全国10都市で開催", false},
	{"2009-03-31", "電気通信事業者における情報セキュリティ対策の取組状況を把握するためのアンケート調査を、平成21年１月から実施中。", "平成21年１月から", "取組状況を把握するためのアンケート調査を実施", false},
	{"2009-03-31", "ＣＲＹＰＴＲＥＣにおける電子政府推奨暗号の安全性評価の結果を踏まえ、政府機関の情報システムで用いる暗号の移行を、平成21～25年度にかけて段階的に進める予定。", "平成21～25年度", "政府機関の情報システムで用いる暗号の移行を段階的に進める", false},
	{"2009-03-31", "平成21年２月に東京で開催した日・ＡＳＥＡＮ情報セキュリティ政策会議において、ＮＩＳＣが我が国の窓口として、参加国との間の連絡体制の構築に関する議論を主導した。", "平成21年２月", "日・ＡＳＥＡＮ情報セキュリティ政策会議を開催", false},
	{"2009-03-31", "全国の都道府県警察から報告された解析事例を分類・整理し、情報技術解析の手法に関する知見を反映したマニュアルの更新作業を年度内に完了し、都道府県警察に配布済み。", "年度内", "マニュアルの更新作業を完了", false},
	{"2009-03-31", "国内関係機関が参加するデジタルフォレンジック連絡会の第１回会合を、２月中旬に開催した。", "２月中旬", "デジタルフォレンジック連絡会の第１回会合を開催", false},
	{"2009-03-31", "意見募集の結果を踏まえ、平成２１年６月中に情報セキュリティ政策会議において決定する予定。", "平成２１年６月中", "決定", true},
	/* family-2011-h2.txt (as of 2012-03-31) */
	{"2012-03-31", "移行指針を平成23年度当初に公表し、第３四半期までに各府省庁の移行計画を取りまとめた。", "第３四半期までに", "各府省庁の移行計画を取りまとめ", false},
	{"2012-03-31", "昨年度に引き続き、平成24年２月を「情報セキュリティ月間」とし、全国で啓発キャンペーンを実施した。", "平成24年２月", "「情報セキュリティ月間」", false},
	{"2012-03-31", "平成元年度から実施している情報処理技術者向けの研修について、年度内にカリキュラムを全面的に改訂した。", "平成元年度から", "情報処理技術者向けの研修を実施", false},
	{"2012-03-31", "教材の開発には前年度に着手し、平成23年９月に完成した。", "前年度", "教材の開発に着手", false},
	{"2012-03-31", "教材の開発には前年度に着手し、平成23年９月に完成した。", "平成23年９月", "完成", true},
	/* family-2013-eras.txt (as of 2013-12-31) */
	{"2013-12-31", "昭和元年から平成元年までの災害記録の電子化を、平成25年６月に完了した。", "平成25年６月", "災害記録の電子化を完了", false},
	{"2013-12-31", "平成25年12月20日に関係府省庁による検討会を開催した。", "平成25年12月20日", "関係府省庁による検討会を開催", false},
	/* family-reiwa-h1.txt (as of 2019-09-30) */
	{"2019-09-30", "日ＡＳＥＡＮ情報セキュリティ政策会議を令和元年九月十日に東京で開催した。", "令和元年九月十日", "日ＡＳＥＡＮ情報セキュリティ政策会議を東京で開催", false},
	{"2019-09-30", "平成31年３月に改訂したガイドラインに基づく説明会を、年内に全国で開催する。", "平成31年３月", "ガイドラインを改訂", false},
	{"2019-09-30", "平成31年３月に改訂したガイドラインに基づく説明会を、年内に全国で開催する。", "年内", "改訂したガイドラインに基づく説明会を全国で開催", false},
	{"2019-09-30", "令和元年７月１日から、サイバー犯罪相談窓口の受付を24時間体制とした。", "令和元年７月１日から", "サイバー犯罪相談窓口の受付を24時間体制", false},
	/* a weekday after the date belongs to it, not to the title */
	{"2025-09-30", "12月１日（月）に演習を実施", "12月１日（月）", "演習を実施", false},
	{"2023-09-30", "令和３年度検討開始、令和４年度結論・措置", "令和３年度", "検討開始", false},
	{"2023-09-30", "令和３年度検討開始、令和４年度結論・措置", "令和４年度", "結論・措置", false},
	/* secure-japan-2009-h1.txt (as of 2009-09-30) */
	{"2009-09-30", "改訂後の統一基準に基づく各府省庁の規程類の見直しについて、一部の府省庁で作業が遅れているため、平成22年３月末までに完了させる予定。", "平成22年３月末までに", "改訂後の統一基準に基づく各府省庁の規程類の見直しを完了", false},
	{"2009-09-30", "電力や通信等の物理的な依存関係を対象とした解析については、事業者団体との調整に時間を要しているため、平成21年10月以降に着手する予定。", "平成21年10月以降", "電力や通信等の物理的な依存関係を対象とした解析を着手", false},
	{"2009-09-30", "改定案に対する意見募集の結果、多数の意見が寄せられたことから、改定後の指針の公布を平成二十二年二月に延期する予定。", "平成二十二年二月", "改定後の指針の公布を延期", false},
	{"2009-09-30", "意見募集の結果を踏まえ、平成21年６月22日の情報セキュリティ政策会議において決定した。", "平成21年６月22日", "決定", true},
};

/* Code points of a UTF-8 string. */
static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void
test_titles(void **state)
{
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(title_rows) / sizeof(title_rows[0]); r++) {
		const struct title_row *w = &title_rows[r];
		struct kg_jpctx ctx = kg_jpctx_of(day_of(w->as_of));
		struct kg_extract x = {0};
		const struct kg_extract_item *it;

		assert_int_equal(kg_extract_text(w->sentence, strlen(w->sentence), &ctx, &x,
		    NULL), 0);
		it = find(&x, w->expr);
		if (it == NULL)
			print_error("title row %zu: no milestone '%s'\n", r, w->expr);
		assert_non_null(it);
		if (strcmp(it->m.title, w->title) != 0 || it->bare_title != w->bare)
			print_error("title row %zu '%s': got '%s'%s\n", r, w->expr, it->m.title,
			    it->bare_title ? " (bare)" : "");
		assert_string_equal(it->m.title, w->title);
		assert_int_equal(it->bare_title, w->bare);
		assert_true(utf8_len(it->m.title) <= KG_TITLE_MAX_CP);
		kg_extract_clear(&x);
	}
}

/* Long titles are cut on a character boundary with … at the cut. */
static void
test_title_limits(void **state)
{
	static const char long_object[] = "・平成21年３月に、「情報セキュリティ分野における"
	    "国際協調・貢献に向けた長期的かつ総合的な取組みの基本方針」を策定した。";
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2009-03-31"));
	struct kg_extract x = {0};
	char *s;

	(void)state;
	assert_int_equal(kg_extract_text(long_object, strlen(long_object), &ctx, &x, NULL), 0);
	assert_int_equal(x.n, 1);
	assert_true(utf8_len(x.v[0].m.title) <= KG_TITLE_MAX_CP);
	assert_non_null(strstr(x.v[0].m.title, "を策定"));
	kg_extract_clear(&x);

	s = kg_extract_fallback_title(KG_KIND_PUBLICATION, "地方公共団体における情報セキュリティ対策の"
	    "向上のための取組の推進");
	assert_non_null(s);
	assert_string_equal(s, "公表: 地方公共団体における情報セキュリティ対策の向上のための…");
	assert_int_equal(utf8_len(s), KG_TITLE_MAX_CP);
	free(s);
	s = kg_extract_fallback_title(KG_KIND_MEETING, "短い施策");
	assert_string_equal(s, "開催: 短い施策");
	free(s);
	s = kg_extract_fallback_title(KG_KIND_OTHER, NULL);
	assert_string_equal(s, "実施");
	free(s);
}

struct note_row {
	const char *bullet;
	const char *note;
	size_t milestones; /* of the bullet's other sentences */
};

static const struct note_row note_rows[] = {
	{"・攻撃等の横断的な分析・解析能力を一層高めるため、関係機関との連携体制の拡充に引き続き取り組む。",
	    "攻撃等の横断的な分析・解析能力を一層高めるため、関係機関との連携体制の拡充に引き続き取り組む。", 0},
	{"・来年度中に、協議会としての活動計画を策定する予定。また、各ＣＥＰＴＯＡＲ間の情報共有の在り方について、協議会と連携して検討を進める予定。",
	    "また、各ＣＥＰＴＯＡＲ間の情報共有の在り方について、協議会と連携して検討を進める予定。", 1},
	{"・関係機関の活動状況等についての情報の共有を図るために、重要インフラ事業者等を対象としたニュースレター（評価版）を平成20年６月に創刊し、平成20年９月までに７回発行。今後も継続的に発行予定。",
	    "今後も継続的に発行予定。", 1},
	{"・一部関係機関との間で攻撃等の横断的分析・解析機能の連携体制を構築。引き続き、他の関係機関との間でも連携体制の充実に努める予定。",
	    "引き続き、他の関係機関との間でも連携体制の充実に努める予定。", 0},
	/* undated plans: never given a date */
	{"速やかに措置", "速やかに措置", 0},
	{"結論を得次第速やかに措置", "結論を得次第速やかに措置", 0},
	{"・早期に結論を得る。", "早期に結論を得る。", 0},
	{"・対象を順次拡大", "対象を順次拡大", 0},
	{"・継続的に見直しを行う。", "継続的に見直しを行う。", 0},
	{"・随時更新", "随時更新", 0},
	/* a time of every year is no date */
	{"・毎年６月頃に公表する。", "毎年６月頃に公表する。", 0},
};

static void
test_notes(void **state)
{
	/* descriptions of work done or under way are no notes */
	static const char *const no_notes[] = {
		"・不審な通信を検知した際に速やかに情報提供を行う手順を整備した。",
		"・継続的に実施している。",
		"・人材活用を継続的に進め、72名の体制となった。",
	};
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2009-03-31"));
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(note_rows) / sizeof(note_rows[0]); r++) {
		struct kg_extract x = {0};

		assert_int_equal(kg_extract_text(note_rows[r].bullet,
		    strlen(note_rows[r].bullet), &ctx, &x, NULL), 0);
		if (x.notes.n != 1)
			print_error("note row %zu: %zu notes\n", r, x.notes.n);
		assert_int_equal(x.notes.n, 1);
		assert_int_equal(x.n, note_rows[r].milestones);
		assert_string_equal(x.notes.v[0], note_rows[r].note);
		kg_extract_clear(&x);
	}
	for (r = 0; r < sizeof(no_notes) / sizeof(no_notes[0]); r++) {
		struct kg_extract x = {0};

		assert_int_equal(kg_extract_text(no_notes[r], strlen(no_notes[r]), &ctx, &x,
		    NULL), 0);
		assert_int_equal(x.notes.n, 0);
		kg_extract_clear(&x);
	}
}

/* A sentence whose only dates bound counts reports figures: no milestone,
 * and no undated note either, even when it ends in 見込み. */
static void
test_tally_sentences(void **state)
{
	static const char *const tallies[] = {
		"・各地のセミナーを、９月末までに37件開催済みであり、下半期には更に20件程度が開催される見込み。",
		"・平成20年９月までに延べ120名が受講しており、今後も増加する見込み。",
	};
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2008-09-30"));
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(tallies) / sizeof(tallies[0]); r++) {
		struct kg_extract x = {0};

		assert_int_equal(kg_extract_text(tallies[r], strlen(tallies[r]), &ctx, &x,
		    NULL), 0);
		if (x.n || x.notes.n)
			print_error("'%s': %zu milestones, %zu notes\n", tallies[r], x.n,
			    x.notes.n);
		assert_int_equal(x.n, 0);
		assert_int_equal(x.notes.n, 0);
		kg_extract_clear(&x);
	}
}

/* Certainty words, and dates that are not events. */
static void
test_certainty_and_background(void **state)
{
	static const struct {
		const char *bullet;
		enum kg_certainty cert;
	} certs[] = {
		{"・平成21年３月に公表する予定。", KG_CERT_PLANNED},
		{"・平成21年３月に公表される見込み。", KG_CERT_EXPECTED},
		{"・平成21年３月を目途に公表する。", KG_CERT_TARGET},
		{"・平成21年３月末を目処に公表。", KG_CERT_TARGET},
		{"・平成21年３月に公表する。", KG_CERT_NONE},
		{"・平成20年８月に公表した。", KG_CERT_NONE},
	};
	static const char *const no_event[] = {
		"・前回（平成18年度）の調査で選定した取組を周知した。",
		"・平成20年度は、634件の講座を実施した（９月末現在）。",
		"・平成20年９月末日現在で72名の体制となった。",
		"・平成20年９月までに７回発行。",
		"・９月末までに37件開催済み。",
		"・平成19年度の指針見直しの成果を周知した。",
		"・昨年度に引き続き、優遇措置を実施中。",
		"・「２００７年度の情報セキュリティ政策の評価等」を踏まえ推進。",
		"",
		"。。。",
		/* names, baselines, horizons, cross-references, ages, figures */
		"・2024年度年次計画に基づき推進する。",
		"・令和６年度予算で措置する。",
		"・2013年度と比べて20%削減した。",
		"・2013年度比46%削減を目指す。",
		"・平成25年度決算より改善した。",
		"・2030年に向けて取組を進める。",
		"・詳細は2.4(1)に記載。",
		"・１歳６か月児健康診査を実施する。",
		"・相談件数は2,100件（2023年９月末）となった。",
		"・前年同月比で２割増加した。",
		"・毎年６月頃に公表する。",
		/* a table's row of column years */
		"2024年度 2025年度 2026年度",
		"2024年度　2025年度　2026年度～2028年度",
	};
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2008-09-30"));
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(certs) / sizeof(certs[0]); r++) {
		struct kg_extract x = {0};

		assert_int_equal(kg_extract_text(certs[r].bullet, strlen(certs[r].bullet),
		    &ctx, &x, NULL), 0);
		assert_int_equal(x.n, 1);
		assert_int_equal(x.v[0].m.certainty, certs[r].cert);
		kg_extract_clear(&x);
	}
	for (r = 0; r < sizeof(no_event) / sizeof(no_event[0]); r++) {
		struct kg_extract x = {0};

		assert_int_equal(kg_extract_text(no_event[r], strlen(no_event[r]), &ctx,
		    &x, NULL), 0);
		if (x.n)
			print_error("'%s': unexpected '%s'\n", no_event[r], x.v[0].m.expr);
		assert_int_equal(x.n, 0);
		kg_extract_clear(&x);
	}
	kg_extract_clear(NULL);
}

/* Appending: one kg_extract collects several bullets. */
static void
test_append(void **state)
{
	static const char a[] = "・平成21年３月に公表する予定。";
	static const char b[] = "・平成21年４月に開催する予定。今後も継続的に発行予定。";
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2008-09-30"));
	struct kg_extract x = {0};

	(void)state;
	assert_int_equal(kg_extract_text(a, strlen(a), &ctx, &x, NULL), 0);
	assert_int_equal(kg_extract_text(b, strlen(b), &ctx, &x, NULL), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.notes.n, 1);
	assert_string_equal(x.v[1].m.sentence, "平成21年４月に開催する予定。");
	assert_int_equal(x.v[1].expr_offset, strlen("・"));
	kg_extract_clear(&x);
	assert_int_equal(x.n, 0);
}

/* Code points of a UTF-8 string. */
static size_t
cps(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Linear cost: a run-on sentence is read in pieces, so each milestone's
 * sentence (and every scan around a date) stays bounded; a text with more
 * than KG_EXTRACT_MAX_DATES dates is refused, saying where it starts. */
static void
test_bounds(void **state)
{
	static const char clause[] = "平成20年12月１日に演習を実施し、";
	struct kg_jpctx ctx = kg_jpctx_of(day_of("2008-09-30"));
	struct kg_extract x = {0};
	struct kg_err err;
	char *text;
	size_t n, i, len;

	(void)state;
	for (n = 100; n <= KG_EXTRACT_MAX_DATES + 1; n += KG_EXTRACT_MAX_DATES + 1 - 100) {
		len = strlen("・") + n * strlen(clause) + strlen("公表する予定。");
		assert_non_null(text = malloc(len + 1));
		strcpy(text, "・");
		for (i = 0; i < n; i++)
			strcat(text, clause);
		strcat(text, "公表する予定。");
		if (n <= KG_EXTRACT_MAX_DATES) {
			assert_int_equal(kg_extract_text(text, len, &ctx, &x, &err), 0);
			assert_int_equal(x.n, n);
			assert_int_equal(x.refused_at, 0);
			for (i = 0; i < x.n; i++) {
				assert_true(cps(x.v[i].m.sentence) <= 2 * KG_EXTRACT_SENTENCE_CP);
				assert_int_equal(x.v[i].m.kind, KG_KIND_EXERCISE);
			}
			/* pieces end after a comma: the first is as long as the limit allows */
			assert_true(cps(x.v[0].m.sentence) >= KG_EXTRACT_SENTENCE_CP);
		} else {
			assert_int_equal(kg_extract_text(text, len, &ctx, &x, &err), -1);
			assert_string_equal(err.msg, "more than 1000 dates in one text (a clause "
			    "repeated?): not a plan document kigen can read");
			assert_int_equal(x.refused_at, strlen("・") + 1);
		}
		kg_extract_clear(&x);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_report),
		cmocka_unit_test(test_next_report_counts),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_own),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_uncertain),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_title_limits),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_tally_sentences),
		cmocka_unit_test(test_certainty_and_background),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
