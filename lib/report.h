/*
 * report — a progress report file ("Secure Japan" half-year reports and their
 * family: plain text taken from a PDF) turned into a struct kg_import.
 *
 * The parser finds the structure first, on the text as printed: the report
 * title, the summary block (①–④ with counts and percentages), page headings
 * (" …の主な進捗状況①"), section headings (printed doubled, XX or X1X1X2X2;
 * tied to measures best effort), 【施策名】 title（owners）, 【進捗状況】 and
 * ・ bullets.  It undoes the PDF artefacts: words and numbers broken across
 * lines, blank lines inside a sentence, page-number lines, repeated page
 * headers, a 【施策名】 line or owners list broken over two lines, a bullet
 * that continues after a page break.  Each bullet, its line breaks removed, is
 * then handed to the milestone extractor (extract.h).
 *
 * The as-of date comes from --as-of, else from a "…現在" / "…時点" date
 * before the first measure (平成20年９月30日現在, 2008年9月末時点), else from
 * the title's period: （上半期） of plan year 2008 → 2008-09-30, 下半期 →
 * 2009-03-31, 第N四半期 → the end of that fiscal quarter, 平成20年度 alone →
 * the end of that fiscal year.
 */
#ifndef KG_REPORT_H
#define KG_REPORT_H

#include <stddef.h>

#include "civil.h"
#include "err.h"
#include "model.h"

/* kg_report_load refuses larger files (a half-year report is about 25 KB). */
#define KG_REPORT_MAX_BYTES ((size_t)16 * 1024 * 1024)

struct kg_report_opts {
	const char *name;     /* document name to record (basename of the file);
	                         NULL: kg_report_load uses the path's basename */
	const char *encoding; /* NULL = detect; "utf-8", "cp932"/"shift_jis", "euc-jp" */
	kg_day as_of;         /* KG_DAY_NONE = detect from the text */
	const char *original; /* the bytes the text came from (a PDF's), whose
	                         SHA-256 the document records; NULL: the text's */
	size_t original_len;
};

/*
 * Parses a report held in memory into out (zeroed here first; the caller owns
 * it and frees it with kg_import_clear, also after a failure).  Fills doc
 * (name, sha256 of the original bytes, title, as_of, summary_json), the
 * measures in order (title as printed without NFKC, owners as printed, page
 * heading, subheading best effort, progress text = the bullets joined by
 * "\n", notes = undated commitments) and milestones (measure_id = INDEX of
 * the measure in out->measures, document_id 0, line = 1-based source line of
 * the expression).
 *
 * summary_json is {"categories": [{"mark": "①", "label": "既に実施済み",
 * "measures": 22, "percent": 14}, ...], "total": 157}, or NULL when the
 * report has no summary block.
 *
 * Errors (-1, message in err): input above KG_REPORT_MAX_BYTES, undecodable
 * bytes ("invalid UTF-8 at byte N", "NUL byte at byte N ..."; see textio.h),
 * an empty report, no measures found, as-of not detectable and not given,
 * ENOMEM.
 */
int kg_report_parse(const char *bytes, size_t len, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err);

/* Reads path (refusing files above KG_REPORT_MAX_BYTES before reading them)
 * and parses it; messages are prefixed with the path. */
int kg_report_load(const char *path, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err);

#endif
