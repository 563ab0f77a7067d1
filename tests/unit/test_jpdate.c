/*
 * Unit tests for lib/jpdate: one table row per hand-checked expression.
 *
 * Each row gives a text, the report's as-of date, the expression the
 * scanner must find in it (as written) and the window and precision worked
 * out by hand from the conventions in docs/dates.md.  A row whose expr is
 * NULL says the text holds no date at all.  Two as-of dates are used:
 * 2008-09-30 (the seed report, FY2008 first half) and 2009-03-31 (the end of
 * FY2008).  2008 and 2012 are leap years, 2009 is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "jpdate.h"

#define H1 "2008-09-30"
#define FY "2009-03-31"
#define OPEN ""

struct row {
	const char *text;
	const char *as_of;
	const char *expr;  /* NULL: no expression expected */
	const char *ws, *we; /* "" = open end */
	enum kg_precision prec;
};

static const struct row rows[] = {
	/* the design table */
	{"平成21年３月に公表", H1, "平成21年３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"３月中に公表", H1, "３月中", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"３月末に", H1, "３月末", "2009-03-31", "2009-03-31", KG_PREC_MONTH_END},
	{"平成20年度に", H1, "平成20年度", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR},
	{"年度中に実施", H1, "年度中", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR},
	{"年度内に完了", H1, "年度内", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR},
	{"今年度中に開催", H1, "今年度中", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR},
	{"平成20年度末を目途に", H1, "平成20年度末", "2009-03-31", "2009-03-31", KG_PREC_FISCAL_YEAR_END},
	{"平成20年末を目処に", H1, "平成20年末", "2008-12-31", "2008-12-31", KG_PREC_YEAR_END},
	{"年内に策定", H1, "年内", "2008-01-01", "2008-12-31", KG_PREC_YEAR},
	{"平成21年２月上旬に", H1, "平成21年２月上旬", "2009-02-01", "2009-02-10", KG_PREC_DEKAD},
	{"平成21年２月中旬に", H1, "平成21年２月中旬", "2009-02-11", "2009-02-20", KG_PREC_DEKAD},
	{"平成21年２月下旬に", H1, "平成21年２月下旬", "2009-02-21", "2009-02-28", KG_PREC_DEKAD},
	{"第１四半期に", H1, "第１四半期", "2008-04-01", "2008-06-30", KG_PREC_QUARTER},
	{"第２四半期に", H1, "第２四半期", "2008-07-01", "2008-09-30", KG_PREC_QUARTER},
	{"第３四半期に", H1, "第３四半期", "2008-10-01", "2008-12-31", KG_PREC_QUARTER},
	{"第４四半期に", H1, "第４四半期", "2009-01-01", "2009-03-31", KG_PREC_QUARTER},
	{"平成20年度上半期", H1, "平成20年度上半期", "2008-04-01", "2008-09-30", KG_PREC_HALF_YEAR},
	{"平成20年度下半期", H1, "平成20年度下半期", "2008-10-01", "2009-03-31", KG_PREC_HALF_YEAR},
	{"平成21年春に", H1, "平成21年春", "2009-03-01", "2009-05-31", KG_PREC_SEASON},
	{"平成21年夏頃を目処に", H1, "平成21年夏頃", "2009-06-01", "2009-08-31", KG_PREC_SEASON},
	{"平成21年秋", H1, "平成21年秋", "2009-09-01", "2009-11-30", KG_PREC_SEASON},
	{"平成21年冬", H1, "平成21年冬", "2009-12-01", "2010-02-28", KG_PREC_SEASON},
	{"平成20年度当初に", H1, "平成20年度当初", "2008-04-01", "2008-04-30", KG_PREC_MONTH},
	{"平成21年度当初に", FY, "平成21年度当初", "2009-04-01", "2009-04-30", KG_PREC_MONTH},
	{"平成21年度末までに完了", FY, "平成21年度末までに", "2009-04-01", "2010-03-31", KG_PREC_RANGE},
	{"平成21年１月から実施中", FY, "平成21年１月から", "2009-01-01", OPEN, KG_PREC_OPEN_START},
	{"平成21年10月以降、", FY, "平成21年10月以降", "2009-10-01", OPEN, KG_PREC_OPEN_START},
	{"平成20年度より実施", H1, "平成20年度より", "2008-04-01", OPEN, KG_PREC_OPEN_START},
	{"平成21年７月〜９月に", FY, "平成21年７月〜９月", "2009-07-01", "2009-09-30", KG_PREC_RANGE},
	{"平成21年７月～９月に", FY, "平成21年７月～９月", "2009-07-01", "2009-09-30", KG_PREC_RANGE},
	{"平成17～21年度", H1, "平成17～21年度", "2005-04-01", "2010-03-31", KG_PREC_RANGE},
	{"平成21～25年度にかけて", FY, "平成21～25年度", "2009-04-01", "2014-03-31", KG_PREC_RANGE},
	{"平成17〜21年度", H1, "平成17〜21年度", "2005-04-01", "2010-03-31", KG_PREC_RANGE},
	{"（８月26日から９月26日まで実施）", H1, "８月26日から９月26日まで", "2008-08-26", "2008-09-26", KG_PREC_RANGE},
	{"平成21年４月下旬から５月上旬まで", FY, "平成21年４月下旬から５月上旬まで", "2009-04-21", "2009-05-10", KG_PREC_RANGE},

	/* leap years and month ends */
	{"平成20年２月下旬", H1, "平成20年２月下旬", "2008-02-21", "2008-02-29", KG_PREC_DEKAD},
	{"平成24年２月末", H1, "平成24年２月末", "2012-02-29", "2012-02-29", KG_PREC_MONTH_END},
	{"平成21年２月末", H1, "平成21年２月末", "2009-02-28", "2009-02-28", KG_PREC_MONTH_END},
	{"平成12年２月末", H1, "平成12年２月末", "2000-02-29", "2000-02-29", KG_PREC_MONTH_END},
	{"平成20年２月29日", H1, "平成20年２月29日", "2008-02-29", "2008-02-29", KG_PREC_DAY},
	{"平成23年冬", H1, "平成23年冬", "2011-12-01", "2012-02-29", KG_PREC_SEASON},
	{"平成21年４月末", H1, "平成21年４月末", "2009-04-30", "2009-04-30", KG_PREC_MONTH_END},
	{"平成21年12月末", H1, "平成21年12月末", "2009-12-31", "2009-12-31", KG_PREC_MONTH_END},
	{"平成21年３月末日", H1, "平成21年３月末日", "2009-03-31", "2009-03-31", KG_PREC_MONTH_END},
	{"平成21年６月下旬", H1, "平成21年６月下旬", "2009-06-21", "2009-06-30", KG_PREC_DEKAD},
	{"平成21年１月下旬", H1, "平成21年１月下旬", "2009-01-21", "2009-01-31", KG_PREC_DEKAD},
	{"２月末", H1, "２月末", "2009-02-28", "2009-02-28", KG_PREC_MONTH_END},
	{"２月末", "2011-09-30", "２月末", "2012-02-29", "2012-02-29", KG_PREC_MONTH_END},

	/* the fiscal-year wrap: a month with no year */
	{"１月に", H1, "１月", "2009-01-01", "2009-01-31", KG_PREC_MONTH},
	{"３月に", H1, "３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"４月に", H1, "４月", "2008-04-01", "2008-04-30", KG_PREC_MONTH},
	{"12月に", H1, "12月", "2008-12-01", "2008-12-31", KG_PREC_MONTH},
	{"３月に", FY, "３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"４月に", FY, "４月", "2008-04-01", "2008-04-30", KG_PREC_MONTH},
	{"９月５日に開催済み", H1, "９月５日", "2008-09-05", "2008-09-05", KG_PREC_DAY},
	{"２月17日に開催した", FY, "２月17日", "2009-02-17", "2009-02-17", KG_PREC_DAY},
	{"２月中旬に開催した", FY, "２月中旬", "2009-02-11", "2009-02-20", KG_PREC_DEKAD},
	{"９月末までに37件開催済み", H1, "９月末までに", "2008-09-30", "2008-09-30", KG_PREC_MONTH_END},
	{"１月１日から", H1, "１月１日から", "2009-01-01", OPEN, KG_PREC_OPEN_START},
	{"９月中旬より調査に着手", H1, "９月中旬より", "2008-09-11", OPEN, KG_PREC_OPEN_START},
	{"10月を目途に", "2011-09-30", "10月", "2011-10-01", "2011-10-31", KG_PREC_MONTH},

	/* year from the sentence */
	{"平成21年度には、その結果を10月を目途に取りまとめる", FY, "10月", "2009-10-01", "2009-10-31", KG_PREC_MONTH},
	{"平成21年度には、２月に報告する", FY, "２月", "2010-02-01", "2010-02-28", KG_PREC_MONTH},
	{"平成21年には、２月に報告する", FY, "２月", "2009-02-01", "2009-02-28", KG_PREC_MONTH},
	{"平成20年12月に開始し、３月に終了", H1, "３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"平成22年度は、５月と11月に開催", H1, "11月", "2010-11-01", "2010-11-30", KG_PREC_MONTH},
	{"平成20年８月、講習を実施（８月26日から９月26日まで実施）", H1, "８月26日から９月26日まで", "2008-08-26", "2008-09-26", KG_PREC_RANGE},
	{"平成22年度に検討した。10月に開催", H1, "10月", "2008-10-01", "2008-10-31", KG_PREC_MONTH},
	{"平成21年度も同様の調査を実施し、その結果を同年度末に公表", FY, "同年度末", "2010-03-31", "2010-03-31", KG_PREC_FISCAL_YEAR_END},
	{"平成18年４月から開始し、同年度は453件", H1, "同年度", "2006-04-01", "2007-03-31", KG_PREC_FISCAL_YEAR},
	{"平成20年６月に開始し、同年12月に完了", H1, "同年12月", "2008-12-01", "2008-12-31", KG_PREC_MONTH},
	{"平成22年度に着手し、年度内に完了", H1, "年度内", "2010-04-01", "2011-03-31", KG_PREC_FISCAL_YEAR},
	{"平成22年度に着手し、年度末までに完了", H1, "年度末までに", "2008-10-01", "2011-03-31", KG_PREC_RANGE},
	{"平成22年度は、第２四半期に", H1, "第２四半期", "2010-07-01", "2010-09-30", KG_PREC_QUARTER},

	/* relative fiscal and calendar years */
	{"来年度中に策定", FY, "来年度中", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"来年度に", H1, "来年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"翌年度に", H1, "翌年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"次年度に", H1, "次年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"前年度の", H1, "前年度", "2007-04-01", "2008-03-31", KG_PREC_FISCAL_YEAR},
	{"昨年度は", H1, "昨年度", "2007-04-01", "2008-03-31", KG_PREC_FISCAL_YEAR},
	{"本年度も", H1, "本年度", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR},
	{"今年度末までに", H1, "今年度末までに", "2008-10-01", "2009-03-31", KG_PREC_RANGE},
	{"今年度末に", H1, "今年度末", "2009-03-31", "2009-03-31", KG_PREC_FISCAL_YEAR_END},
	{"再来年度", H1, "再来年度", "2010-04-01", "2011-03-31", KG_PREC_FISCAL_YEAR},
	{"来年度当初に", H1, "来年度当初", "2009-04-01", "2009-04-30", KG_PREC_MONTH},
	{"来年度上半期に", H1, "来年度上半期", "2009-04-01", "2009-09-30", KG_PREC_HALF_YEAR},
	{"来年度第１四半期", H1, "来年度第１四半期", "2009-04-01", "2009-06-30", KG_PREC_QUARTER},
	{"年度末に", H1, "年度末", "2009-03-31", "2009-03-31", KG_PREC_FISCAL_YEAR_END},
	{"年度当初に", FY, "年度当初", "2008-04-01", "2008-04-30", KG_PREC_MONTH},
	{"年末に", H1, "年末", "2008-12-31", "2008-12-31", KG_PREC_YEAR_END},
	{"今年中に", H1, "今年中", "2008-01-01", "2008-12-31", KG_PREC_YEAR},
	{"来年３月に", H1, "来年３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"来年末", H1, "来年末", "2009-12-31", "2009-12-31", KG_PREC_YEAR_END},
	{"今秋に", H1, "今秋", "2008-09-01", "2008-11-30", KG_PREC_SEASON},
	{"来春に", H1, "来春", "2009-03-01", "2009-05-31", KG_PREC_SEASON},
	{"今冬", H1, "今冬", "2008-12-01", "2009-02-28", KG_PREC_SEASON},
	{"秋頃に", H1, "秋頃", "2008-09-01", "2008-11-30", KG_PREC_SEASON},
	{"春頃に", H1, "春頃", "2009-03-01", "2009-05-31", KG_PREC_SEASON},
	{"春までに", H1, "春までに", "2008-10-01", "2009-05-31", KG_PREC_RANGE},
	{"上半期に", FY, "上半期", "2008-04-01", "2008-09-30", KG_PREC_HALF_YEAR},
	{"下半期に", H1, "下半期", "2008-10-01", "2009-03-31", KG_PREC_HALF_YEAR},

	/* eras, 元年, typos, Western years */
	{"平成元年に", H1, "平成元年", "1989-01-01", "1989-12-31", KG_PREC_YEAR},
	{"平成元年度", H1, "平成元年度", "1989-04-01", "1990-03-31", KG_PREC_FISCAL_YEAR},
	{"令和元年５月１日", H1, "令和元年５月１日", "2019-05-01", "2019-05-01", KG_PREC_DAY},
	{"令和元年度", H1, "令和元年度", "2019-04-01", "2020-03-31", KG_PREC_FISCAL_YEAR},
	{"令和２年度末", H1, "令和２年度末", "2021-03-31", "2021-03-31", KG_PREC_FISCAL_YEAR_END},
	{"令和５年10月", H1, "令和５年10月", "2023-10-01", "2023-10-31", KG_PREC_MONTH},
	{"昭和64年１月７日", H1, "昭和64年１月７日", "1989-01-07", "1989-01-07", KG_PREC_DAY},
	{"昭和63年度", H1, "昭和63年度", "1988-04-01", "1989-03-31", KG_PREC_FISCAL_YEAR},
	{"大正15年", H1, "大正15年", "1926-01-01", "1926-12-31", KG_PREC_YEAR},
	{"明治元年", H1, "明治元年", "1868-01-01", "1868-12-31", KG_PREC_YEAR},
	{"明治33年４月", H1, "明治33年４月", "1900-04-01", "1900-04-30", KG_PREC_MONTH},
	{"平成31年４月30日", H1, "平成31年４月30日", "2019-04-30", "2019-04-30", KG_PREC_DAY},
	{"・平19年10月に策定した", H1, "平19年10月", "2007-10-01", "2007-10-31", KG_PREC_MONTH},
	{"平20年度中", H1, "平20年度中", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR},
	{"H21年度に", H1, "H21年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"Ｈ２１年度に", H1, "Ｈ２１年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"R3年度", H1, "R3年度", "2021-04-01", "2022-03-31", KG_PREC_FISCAL_YEAR},
	{"㍻21年3月", H1, "㍻21年3月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"2009年３月に", H1, "2009年３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"２００９年３月に", H1, "２００９年３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"2009年度に", H1, "2009年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"2010年1月1日", H1, "2010年1月1日", "2010-01-01", "2010-01-01", KG_PREC_DAY},
	{"2009年12月末", H1, "2009年12月末", "2009-12-31", "2009-12-31", KG_PREC_MONTH_END},
	{"2008年度～2010年度", H1, "2008年度～2010年度", "2008-04-01", "2011-03-31", KG_PREC_RANGE},
	{"2008～2010年度", H1, "2008～2010年度", "2008-04-01", "2011-03-31", KG_PREC_RANGE},
	{"2009年", H1, "2009年", "2009-01-01", "2009-12-31", KG_PREC_YEAR},
	{"平成20今年度中の公開を予定", H1, "平成20今年度中", "2008-04-01", "2009-03-31", KG_PREC_FISCAL_YEAR},
	{"平成21年", H1, "平成21年", "2009-01-01", "2009-12-31", KG_PREC_YEAR},
	{"平成21年中", H1, "平成21年中", "2009-01-01", "2009-12-31", KG_PREC_YEAR},
	{"平成21年内", H1, "平成21年内", "2009-01-01", "2009-12-31", KG_PREC_YEAR},

	/* kanji numerals */
	{"平成二十一年十二月", FY, "平成二十一年十二月", "2009-12-01", "2009-12-31", KG_PREC_MONTH},
	{"平成二十年十二月一日", H1, "平成二十年十二月一日", "2008-12-01", "2008-12-01", KG_PREC_DAY},
	{"十二月二十六日", H1, "十二月二十六日", "2008-12-26", "2008-12-26", KG_PREC_DAY},
	{"十月に", H1, "十月", "2008-10-01", "2008-10-31", KG_PREC_MONTH},
	{"平成二十一年度", H1, "平成二十一年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	{"二〇〇九年三月", H1, "二〇〇九年三月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"二千九年", H1, "二千九年", "2009-01-01", "2009-12-31", KG_PREC_YEAR},
	{"平成三十年", H1, "平成三十年", "2018-01-01", "2018-12-31", KG_PREC_YEAR},
	{"第三四半期", H1, "第三四半期", "2008-10-01", "2008-12-31", KG_PREC_QUARTER},
	{"平成二十一年三月三十一日", H1, "平成二十一年三月三十一日", "2009-03-31", "2009-03-31", KG_PREC_DAY},
	{"令和元年十月", H1, "令和元年十月", "2019-10-01", "2019-10-31", KG_PREC_MONTH},
	{"一月中旬", H1, "一月中旬", "2009-01-11", "2009-01-20", KG_PREC_DEKAD},

	/* other forms and modifiers */
	{"平成２１年６月中に", FY, "平成２１年６月中", "2009-06-01", "2009-06-30", KG_PREC_MONTH},
	{"平成21年６月頃", FY, "平成21年６月頃", "2009-06-01", "2009-06-30", KG_PREC_MONTH},
	{"平成21年６月ごろ", FY, "平成21年６月ごろ", "2009-06-01", "2009-06-30", KG_PREC_MONTH},
	{"平成21年３月初め", H1, "平成21年３月初め", "2009-03-01", "2009-03-10", KG_PREC_DEKAD},
	{"平成21年３月初旬", H1, "平成21年３月初旬", "2009-03-01", "2009-03-10", KG_PREC_DEKAD},
	{"平成21年度前半", H1, "平成21年度前半", "2009-04-01", "2009-09-30", KG_PREC_HALF_YEAR},
	{"平成21年度後半", H1, "平成21年度後半", "2009-10-01", "2010-03-31", KG_PREC_HALF_YEAR},
	{"平成21年度上期", H1, "平成21年度上期", "2009-04-01", "2009-09-30", KG_PREC_HALF_YEAR},
	{"平成21年度下期", H1, "平成21年度下期", "2009-10-01", "2010-03-31", KG_PREC_HALF_YEAR},
	{"平成21年上半期", H1, "平成21年上半期", "2009-04-01", "2009-09-30", KG_PREC_HALF_YEAR},
	{"平成21年度第3四半期", H1, "平成21年度第3四半期", "2009-10-01", "2009-12-31", KG_PREC_QUARTER},
	{"平成20年度第４四半期", H1, "平成20年度第４四半期", "2009-01-01", "2009-03-31", KG_PREC_QUARTER},
	{"平成21年度第１四半期", FY, "平成21年度第１四半期", "2009-04-01", "2009-06-30", KG_PREC_QUARTER},
	{"平成21年度上半期", FY, "平成21年度上半期", "2009-04-01", "2009-09-30", KG_PREC_HALF_YEAR},
	{"平成21年４月１日以降", H1, "平成21年４月１日以降", "2009-04-01", OPEN, KG_PREC_OPEN_START},
	{"平成21年４月以後", H1, "平成21年４月以後", "2009-04-01", OPEN, KG_PREC_OPEN_START},
	{"平成21年３月中旬まで", H1, "平成21年３月中旬まで", "2008-10-01", "2009-03-20", KG_PREC_RANGE},
	{"平成20年９月までに７回発行", H1, "平成20年９月までに", "2008-09-01", "2008-09-30", KG_PREC_MONTH},
	{"平成21年３月までに試験を完了", H1, "平成21年３月までに", "2008-10-01", "2009-03-31", KG_PREC_RANGE},
	{"平成20年度末までに開催予定", H1, "平成20年度末までに", "2008-10-01", "2009-03-31", KG_PREC_RANGE},
	{"平成21年３月迄に", H1, "平成21年３月迄に", "2008-10-01", "2009-03-31", KG_PREC_RANGE},
	{"平成20年12月～平成21年３月", H1, "平成20年12月～平成21年３月", "2008-12-01", "2009-03-31", KG_PREC_RANGE},
	{"平成20年12月～３月", H1, "平成20年12月～３月", "2008-12-01", "2009-03-31", KG_PREC_RANGE},
	{"平成20年度～21年度", H1, "平成20年度～21年度", "2008-04-01", "2010-03-31", KG_PREC_RANGE},
	{"平成21年１月26日～28日", H1, "平成21年１月26日～28日", "2009-01-26", "2009-01-28", KG_PREC_RANGE},
	{"平成21年１月～３月頃", H1, "平成21年１月～３月頃", "2009-01-01", "2009-03-31", KG_PREC_RANGE},
	{"平成21年４月から平成22年３月まで", H1, "平成21年４月から平成22年３月まで", "2009-04-01", "2010-03-31", KG_PREC_RANGE},
	{"平成21年１月２６日", H1, "平成21年１月２６日", "2009-01-26", "2009-01-26", KG_PREC_DAY},
	{"平成21年３月19日に公表", FY, "平成21年３月19日", "2009-03-19", "2009-03-19", KG_PREC_DAY},
	{"平成20年４月22日", H1, "平成20年４月22日", "2008-04-22", "2008-04-22", KG_PREC_DAY},
	{"平成21年５月末\xe3\x82\x92目途に", FY, "平成21年５月末", "2009-05-31", "2009-05-31", KG_PREC_MONTH_END},
	{"平成21年末を目途に", FY, "平成21年末", "2009-12-31", "2009-12-31", KG_PREC_YEAR_END},

	/* the Reiwa report of the family (as of 2019-09-30) */
	{"平成31年４月に改定版を決定済み", "2019-09-30", "平成31年４月", "2019-04-01", "2019-04-30", KG_PREC_MONTH},
	{"令和元年12月中旬に", "2019-09-30", "令和元年12月中旬", "2019-12-11", "2019-12-20", KG_PREC_DEKAD},
	{"令和元年11月20日から11月22日まで", "2019-09-30", "令和元年11月20日から11月22日まで", "2019-11-20", "2019-11-22", KG_PREC_RANGE},
	{"演習の結果は、年度末までに公表する。", "2019-09-30", "年度末までに", "2019-10-01", "2020-03-31", KG_PREC_RANGE},
	{"令和２年２月１日から３月18日までを", "2019-09-30", "令和２年２月１日から３月18日まで", "2020-02-01", "2020-03-18", KG_PREC_RANGE},
	{"令和元年度上半期には", "2019-09-30", "令和元年度上半期", "2019-04-01", "2019-09-30", KG_PREC_HALF_YEAR},
	{"第３四半期中に公募を開始", "2019-09-30", "第３四半期中", "2019-10-01", "2019-12-31", KG_PREC_QUARTER},
	{"令和２年１月下旬に", "2019-09-30", "令和２年１月下旬", "2020-01-21", "2020-01-31", KG_PREC_DEKAD},
	{"令和元年秋頃に", "2019-09-30", "令和元年秋頃", "2019-09-01", "2019-11-30", KG_PREC_SEASON},
	{"令和２年度当初に", "2019-09-30", "令和２年度当初", "2020-04-01", "2020-04-30", KG_PREC_MONTH},
	{"２０２０年３月末を目途に", "2019-09-30", "２０２０年３月末", "2020-03-31", "2020-03-31", KG_PREC_MONTH_END},
	{"令和元年九月十日に東京で開催した", "2019-09-30", "令和元年九月十日", "2019-09-10", "2019-09-10", KG_PREC_DAY},
	{"次回会合は来年度上半期に", "2019-09-30", "来年度上半期", "2020-04-01", "2020-09-30", KG_PREC_HALF_YEAR},
	{"令和２年夏頃までに方針を決定", "2019-09-30", "令和２年夏頃までに", "2019-10-01", "2020-08-31", KG_PREC_RANGE},
	{"年内に全国で開催する", "2019-09-30", "年内", "2019-01-01", "2019-12-31", KG_PREC_YEAR},
	{"令和元年７月１日から、", "2019-09-30", "令和元年７月１日から", "2019-07-01", OPEN, KG_PREC_OPEN_START},
	{"今年度下半期中に、", "2019-09-30", "今年度下半期中", "2019-10-01", "2020-03-31", KG_PREC_HALF_YEAR},
	{"令和２年２月29日", "2019-09-30", "令和２年２月29日", "2020-02-29", "2020-02-29", KG_PREC_DAY},
	{"２月下旬", "2019-09-30", "２月下旬", "2020-02-21", "2020-02-29", KG_PREC_DEKAD},
	{"令和元年２月", "2019-09-30", "令和元年２月", "2019-02-01", "2019-02-28", KG_PREC_MONTH},
	{"令和元年度末", "2019-09-30", "令和元年度末", "2020-03-31", "2020-03-31", KG_PREC_FISCAL_YEAR_END},
	{"前年度末", "2019-09-30", "前年度末", "2019-03-31", "2019-03-31", KG_PREC_FISCAL_YEAR_END},
	{"来年３月まで", "2019-09-30", "来年３月まで", "2019-10-01", "2020-03-31", KG_PREC_RANGE},
	{"今冬", "2019-09-30", "今冬", "2019-12-01", "2020-02-29", KG_PREC_SEASON},
	{"10月１日から12月31日まで", "2019-09-30", "10月１日から12月31日まで", "2019-10-01", "2019-12-31", KG_PREC_RANGE},
	{"令和３年度～令和５年度", "2019-09-30", "令和３年度～令和５年度", "2021-04-01", "2024-03-31", KG_PREC_RANGE},
	{"令和３～５年度", "2019-09-30", "令和３～５年度", "2021-04-01", "2024-03-31", KG_PREC_RANGE},
	{"2019年度第４四半期", "2019-09-30", "2019年度第４四半期", "2020-01-01", "2020-03-31", KG_PREC_QUARTER},
	{"2020年夏", "2019-09-30", "2020年夏", "2020-06-01", "2020-08-31", KG_PREC_SEASON},
	{"来春以降", "2019-09-30", "来春以降", "2020-03-01", OPEN, KG_PREC_OPEN_START},

	/* not dates, or impossible ones */
	{"２月30日に", H1, NULL, NULL, NULL, 0},
	{"平成21年２月29日", H1, NULL, NULL, NULL, 0},
	{"平成21年４月31日", H1, NULL, NULL, NULL, 0},
	{"平成21年13月", H1, NULL, NULL, NULL, 0},
	{"13月", H1, NULL, NULL, NULL, 0},
	{"12008年", H1, NULL, NULL, NULL, 0},
	{"３ヶ月以内に", H1, NULL, NULL, NULL, 0},
	{"10分野全て", H1, NULL, NULL, NULL, 0},
	{"第１回会合", H1, NULL, NULL, NULL, 0},
	{"政府機関統一基準", H1, NULL, NULL, NULL, 0},
	{"約200社を対象", H1, NULL, NULL, NULL, 0},
	{"ISO15408の認証", H1, NULL, NULL, NULL, 0},
	{"１年間の延長", H1, NULL, NULL, NULL, 0},
	{"21年度", H1, NULL, NULL, NULL, 0},
	{"各年度の計画", H1, NULL, NULL, NULL, 0},
	{"青春の", H1, NULL, NULL, NULL, 0},
	{"第三者評価", H1, NULL, NULL, NULL, 0},
	{"最大3年", H1, NULL, NULL, NULL, 0},
	{"平成の大合併", H1, NULL, NULL, NULL, 0},
	{"四半期ごと", H1, NULL, NULL, NULL, 0},
	{"", H1, NULL, NULL, NULL, 0},

	/* the family helper's reports (tests/data/family-*.txt) */
	{"年末年始の対策を呼びかける", "2010-09-30", NULL, NULL, NULL, 0},
	{"12月20日から１月14日まで、年末年始の対策", "2010-09-30", "12月20日から１月14日まで", "2010-12-20", "2011-01-14", KG_PREC_RANGE},
	{"平成元年度から実施している研修について、年度内に改訂した", "2012-03-31", "年度内", "2011-04-01", "2012-03-31", KG_PREC_FISCAL_YEAR},
	{"平成元年度から実施している研修について、年度内に改訂した", "2012-03-31", "平成元年度から", "1989-04-01", OPEN, KG_PREC_OPEN_START},
	{"平成18年７月から着手し、３月に完成の予定", H1, "３月", "2009-03-01", "2009-03-31", KG_PREC_MONTH},
	{"平成24年度から開始し、10月に説明会を開催", "2012-03-31", "10月", "2012-10-01", "2012-10-31", KG_PREC_MONTH},
	{"平成18年４月から開始し、同年度中に完了", H1, "同年度中", "2006-04-01", "2007-03-31", KG_PREC_FISCAL_YEAR},
	{"平成23年冬頃に", "2012-03-31", "平成23年冬頃", "2011-12-01", "2012-02-29", KG_PREC_SEASON},
	{"平成24年２月下旬に", "2012-03-31", "平成24年２月下旬", "2012-02-21", "2012-02-29", KG_PREC_DEKAD},
	{"来年度は、上半期中に", "2012-03-31", "上半期中", "2012-04-01", "2012-09-30", KG_PREC_HALF_YEAR},
	{"来年１月下旬に", "2013-12-31", "来年１月下旬", "2014-01-21", "2014-01-31", KG_PREC_DEKAD},
	{"１月末までに", "2013-12-31", "１月末までに", "2014-01-01", "2014-01-31", KG_PREC_RANGE},
	{"第３四半期までに取りまとめた", "2012-03-31", "第３四半期までに", "2011-10-01", "2011-12-31", KG_PREC_QUARTER},
	{"明治元年に", H1, "明治元年", "1868-01-01", "1868-12-31", KG_PREC_YEAR},
	{"大正元年に", H1, "大正元年", "1912-01-01", "1912-12-31", KG_PREC_YEAR},
	{"昭和元年から平成元年まで", H1, "昭和元年から平成元年まで", "1926-01-01", "1989-12-31", KG_PREC_RANGE},
	{"平成21〜25年度", H1, "平成21〜25年度", "2009-04-01", "2014-03-31", KG_PREC_RANGE},

	/* a fiscal year + の + half or quarter is one expression */
	{"同年度の上半期中に取りまとめる", H1, "同年度の上半期中", "2008-04-01", "2008-09-30", KG_PREC_HALF_YEAR},
	{"平成21年度の第１四半期に公表", H1, "平成21年度の第１四半期", "2009-04-01", "2009-06-30", KG_PREC_QUARTER},
	{"来年度の下半期に開始", H1, "来年度の下半期", "2009-10-01", "2010-03-31", KG_PREC_HALF_YEAR},
	{"2010年度の第三四半期中に", H1, "2010年度の第三四半期中", "2010-10-01", "2010-12-31", KG_PREC_QUARTER},
	{"平成22年度の後半に", H1, "平成22年度の後半", "2010-10-01", "2011-03-31", KG_PREC_HALF_YEAR},
	{"平成21年度の計画について", H1, "平成21年度", "2009-04-01", "2010-03-31", KG_PREC_FISCAL_YEAR},
	/* a past period naming earlier work lends no year to a later month;
	 * the topic year does */
	{"来年度の研修計画は、本年度上半期の実績を踏まえて、５月末迄に決定", "2009-09-30", "５月末迄に", "2009-10-01", "2010-05-31", KG_PREC_RANGE},
	{"平成20年度下半期の実績を踏まえて、12月末迄に決定", "2009-09-30", "12月末迄に", "2009-10-01", "2009-12-31", KG_PREC_RANGE},
	{"第２四半期の成果を踏まえ、11月に公表", "2009-09-30", "11月", "2009-11-01", "2009-11-30", KG_PREC_MONTH},
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

static void
test_table(void **state)
{
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		const struct row *w = &rows[r];
		struct kg_jpctx ctx = kg_jpctx_of(day_of(w->as_of));
		struct kg_jpdate out[16];
		struct kg_err err;
		size_t n = 0, i;
		bool found = false;

		assert_int_equal(kg_jpdate_scan(w->text, strlen(w->text), &ctx, out, 16,
		    &n, &err), 0);
		if (w->expr == NULL) {
			if (n)
				print_error("row %zu '%s': unexpected '%.*s'\n", r, w->text,
				    (int)(out[0].end - out[0].start), w->text + out[0].start);
			assert_int_equal(n, 0);
			continue;
		}
		for (i = 0; i < n && !found; i++) {
			size_t len = out[i].end - out[i].start;

			if (len != strlen(w->expr)
			    || memcmp(w->text + out[i].start, w->expr, len) != 0)
				continue;
			found = true;
			if (out[i].window_start != day_of(w->ws)
			    || out[i].window_end != day_of(w->we)
			    || out[i].precision != w->prec) {
				char a[KG_DATE_LEN], b[KG_DATE_LEN];

				print_error("row %zu '%s': got %s..%s %s\n", r, w->expr,
				    kg_date_format(out[i].window_start, a),
				    kg_date_format(out[i].window_end, b),
				    kg_precision_name(out[i].precision));
			}
			assert_int_equal(out[i].window_start, day_of(w->ws));
			assert_int_equal(out[i].window_end, day_of(w->we));
			assert_int_equal(out[i].precision, w->prec);
		}
		if (!found) {
			print_error("row %zu: '%s' not found in '%s'; got:\n", r, w->expr, w->text);
			for (i = 0; i < n; i++)
				print_error("  '%.*s'\n", (int)(out[i].end - out[i].start),
				    w->text + out[i].start);
		}
		assert_true(found);
	}
}

/* Flags that tell the extractor what is not an event. */
struct flag_row {
	const char *text;
	const char *expr;
	unsigned set, clear;
};

static const struct flag_row flag_rows[] = {
	{"平成21年度には、その結果を10月を目途に", "平成21年度", KG_JP_CONTEXT, 0},
	/* a year inside quotes names a title and lends no year: 来年度 scopes */
	{"来年度は、教材「基礎（2009年度版）」を年度当初に公開", "来年度", KG_JP_CONTEXT, 0},
	{"来年度は、教材「基礎（2009年度版）」を年度当初に公開", "年度当初", 0, KG_JP_CONTEXT},
	{"平成21年度には、その結果を10月を目途に", "10月", KG_JP_YEARLESS | KG_JP_TARGET, KG_JP_CONTEXT},
	{"平成21年度も調査し、その結果を同年度末に公表", "平成21年度", 0, KG_JP_CONTEXT},
	{"平成21年度中に公表。10月に開催", "平成21年度中", 0, KG_JP_CONTEXT},
	{"平成20年８月、研修を実施（８月26日から９月26日まで実施）", "平成20年８月", KG_JP_CONTEXT, 0},
	{"平成20年４月には運用を開始し、年度内の本格運用に向けた", "平成20年４月", 0, KG_JP_CONTEXT},
	{"平成20年12月に開始し、３月に終了", "平成20年12月", 0, KG_JP_CONTEXT},
	/* family-2012-q3 / family-2009-h2: a date with its own act scopes nothing;
	 * a topic year scopes a later date even when that one names its year */
	{"平成24年度下半期中に改訂版を作成し、第４四半期に配布を開始", "平成24年度下半期中", 0, KG_JP_CONTEXT},
	{"平成22年度の演習は、シナリオにより、平成22年秋頃の実施を目途に", "平成22年度", KG_JP_CONTEXT, 0},
	{"平成21年度も調査し、その結果を平成22年３月に公表", "平成21年度", 0, KG_JP_CONTEXT},
	/* tallies: 計, 延べ, 更に, 府省庁; a plain 〜に with a count is an event */
	{"９月末までに計37件のヒアリングを実施", "９月末までに", KG_JP_TALLY, 0},
	{"９月末までに延べ1,250件の通信を検知", "９月末までに", KG_JP_TALLY, 0},
	{"９月末までに18府省庁が見直しを完了", "９月末までに", KG_JP_TALLY, 0},
	{"下半期には更に20件程度が開催される見込み", "下半期", KG_JP_TALLY, 0},
	{"今年度中に11府省庁について監査を実施", "今年度中", 0, KG_JP_TALLY},
	{"９月末までに37件開催済み", "９月末までに", KG_JP_TALLY, 0},
	{"平成19年度は1,089件の講座を実施", "平成19年度", KG_JP_TALLY, 0},
	{"平成20年９月までに７回発行", "平成20年９月までに", KG_JP_TALLY, 0},
	{"平成21年９月までに調査", "平成21年９月までに", 0, KG_JP_TALLY},
	{"平成19年度の指針見直し", "平成19年度", KG_JP_BACKGROUND, 0},
	{"平成21年度の計画", "平成21年度", 0, KG_JP_BACKGROUND},
	{"平成20年９月末日現在で72名", "平成20年９月末日", KG_JP_ASOF, 0},
	{"（９月末現在）", "９月末", KG_JP_ASOF | KG_JP_PAREN, 0},
	{"平成21年５月末を目途に", "平成21年５月末", KG_JP_TARGET, KG_JP_ASOF},
	{"平成21年夏頃を目処に", "平成21年夏頃", KG_JP_TARGET | KG_JP_APPROX, 0},
	{"「2007年度「重要インフラ」指針」", "2007年度", KG_JP_QUOTED, 0},
	{"前回（平成18年度）の調査", "平成18年度", KG_JP_BACKGROUND | KG_JP_PAREN, 0},
	{"昨年度に引き続き実施", "昨年度", KG_JP_BACKGROUND | KG_JP_RELATIVE, 0},
	{"平成21年度末までに", "平成21年度末までに", KG_JP_UNTIL, KG_JP_FROM},
	{"平成21年１月から実施中", "平成21年１月から", KG_JP_FROM, KG_JP_UNTIL},
	{"平成21年７月〜９月に", "平成21年７月〜９月", KG_JP_RANGE, 0},
	{"来年度中に", "来年度中", KG_JP_RELATIVE, KG_JP_YEARLESS},
	{"２月17日に開催", "２月17日", KG_JP_YEARLESS, KG_JP_RELATIVE},
	/* past whole years naming a thing, also as a range */
	{"昭和元年から平成元年までの災害記録", "昭和元年から平成元年まで", KG_JP_BACKGROUND, 0},
	{"平成15～18年度の計画に基づき", "平成15～18年度", KG_JP_BACKGROUND, 0},
	{"平成20年４月から平成21年３月までの調査", "平成20年４月から平成21年３月まで", 0, KG_JP_BACKGROUND},
	{"平成21～23年度の計画", "平成21～23年度", 0, KG_JP_BACKGROUND},
	/* periods over by the as-of date (2009-03-31) naming what was done in
	 * them; the topic year before them still scopes the later month */
	{"本年度下半期の取組の評価を踏まえ", "本年度下半期", KG_JP_BACKGROUND, 0},
	{"第３四半期の実績を踏まえ", "第３四半期", KG_JP_BACKGROUND, 0},
	{"来年度の計画は、本年度下半期の取組を踏まえて、４月中旬迄に決定", "来年度", KG_JP_CONTEXT, 0},
	{"来年度の計画は、本年度下半期の取組を踏まえて、４月中旬迄に決定", "４月中旬迄に", KG_JP_UNTIL, KG_JP_CONTEXT},
	{"平成21年度上半期の取組", "平成21年度上半期", 0, KG_JP_BACKGROUND},
	{"本年度下半期に公表", "本年度下半期", 0, KG_JP_BACKGROUND},
	{"平成20年12月の会合で決定", "平成20年12月", 0, KG_JP_BACKGROUND},
	{"同年度の上半期中に", "同年度の上半期中", 0, KG_JP_CONTEXT | KG_JP_BACKGROUND},
};

static void
test_flags(void **state)
{
	size_t r, i;

	(void)state;
	for (r = 0; r < sizeof(flag_rows) / sizeof(flag_rows[0]); r++) {
		const struct flag_row *w = &flag_rows[r];
		struct kg_jpctx ctx = kg_jpctx_of(day_of(FY));
		struct kg_jpdate out[8];
		size_t n = 0;
		bool found = false;

		assert_int_equal(kg_jpdate_scan(w->text, strlen(w->text), &ctx, out, 8,
		    &n, NULL), 0);
		for (i = 0; i < n; i++) {
			if (out[i].end - out[i].start != strlen(w->expr)
			    || memcmp(w->text + out[i].start, w->expr, strlen(w->expr)))
				continue;
			found = true;
			if ((out[i].flags & w->set) != w->set || (out[i].flags & w->clear))
				print_error("flag row %zu '%s': flags %#x\n", r, w->expr,
				    out[i].flags);
			assert_int_equal(out[i].flags & w->set, w->set);
			assert_int_equal(out[i].flags & w->clear, 0);
		}
		assert_true(found);
	}
}

/* Spans are byte offsets into the original text, whatever NFKC did. */
static void
test_spans(void **state)
{
	static const char text[] = "・本格運用は平\xe6\x88\x90２１年６月末、次は２月。";
	struct kg_jpctx ctx = kg_jpctx_of(day_of(FY));
	struct kg_jpdate out[4];
	size_t n;

	(void)state;
	assert_int_equal(kg_jpdate_scan(text, strlen(text), &ctx, out, 4, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].start, strlen("・本格運用は"));
	assert_int_equal(out[0].end, strlen("・本格運用は平成２１年６月末"));
	assert_int_equal(out[1].start, strlen("・本格運用は平成２１年６月末、次は"));
	/* max bounds the output */
	assert_int_equal(kg_jpdate_scan(text, strlen(text), &ctx, out, 1, &n, NULL), 0);
	assert_int_equal(n, 1);
}

/* Bytes that are not UTF-8, NULs and stray marks never crash. */
static void
test_garbage(void **state)
{
	static const char bad[] = "\xff\xfe平成\x00\x80２１年\xe3\x81３月\xc0\xaf～～から";
	struct kg_jpctx ctx = kg_jpctx_of(day_of(FY));
	struct kg_jpdate out[4];
	struct kg_err err;
	size_t n;

	(void)state;
	assert_int_equal(kg_jpdate_scan(bad, sizeof(bad) - 1, &ctx, out, 4, &n, &err), 0);
	assert_int_equal(kg_jpdate_scan("～〜からまで", strlen("～〜からまで"), &ctx,
	    out, 4, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(kg_jpdate_scan("平成", strlen("平成"), &ctx, out, 4, &n, &err), 0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
