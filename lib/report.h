/*
 * report — a plan document (plain text taken from a PDF: progress reports,
 * annual-plan tables, reform-plan tables, numbered-heading plans, KPI
 * tables) turned into a struct kg_import.
 *
 * The importer decodes the bytes (textio.h), classifies the lines, picks
 * the document's layout (layout.h; --layout forces one), lets it find the
 * items (measures: title, owners, headings) and the text units whose dates
 * matter, infers the as-of date from the preamble (asof.h), and hands every
 * unit to the milestone extractor (extract.h).  Results with their dates
 * (a KPI's 2,100件（2023年9月末）) are figures, not milestones; a KPI's
 * target with a deadline is a milestone of kind kpi_target.
 */
#ifndef KG_REPORT_H
#define KG_REPORT_H

#include <stddef.h>

#include "civil.h"
#include "err.h"
#include "model.h"

/* kg_report_load refuses larger files (a half-year report is about 25 KB). */
#define KG_REPORT_MAX_BYTES ((size_t)16 * 1024 * 1024)

/* kg_report_parse's result when the as-of date cannot be inferred: the
 * caller should ask for it (a usage error, not a failure of the input). */
#define KG_REPORT_NO_AS_OF (-2)

struct kg_report_opts {
	const char *name;     /* document name to record (basename of the file);
	                         NULL: kg_report_load uses the path's basename */
	const char *encoding; /* NULL = detect; "utf-8", "cp932"/"shift_jis", "euc-jp" */
	kg_day as_of;         /* KG_DAY_NONE = infer from the text */
	const char *layout;   /* NULL = detect; else a layout name (layout.h):
	                         progress, annual-table, reform-table, numbered,
	                         kpi-table */
	const char *original; /* the bytes the text came from (a PDF's), whose
	                         SHA-256 the document records; NULL: the text's */
	size_t original_len;
};

/*
 * Parses a document held in memory into out (zeroed here first; the caller
 * owns it and frees it with kg_import_clear, also after a failure).  Fills
 * doc (name, sha256 of the original bytes, title, as_of, summary_json), the
 * measures in order (title and owners as printed without NFKC, page heading,
 * subheading best effort, progress text = the item's units joined by "\n",
 * notes = undated commitments), milestones (measure_id = INDEX of the
 * measure in out->measures, document_id 0, line = 1-based source line of
 * the expression) and origin (layout, where the as-of date came from, dates
 * that are no milestones and why).
 *
 * summary_json is {"categories": [{"mark": "①", "label": "既に実施済み",
 * "measures": 22, "percent": 14}, ...], "total": 157}, or NULL when the
 * report has no summary block.
 *
 * Returns 0; KG_REPORT_NO_AS_OF (message in err) when no as-of date was
 * given and none can be inferred; -1 (message in err) for input above
 * KG_REPORT_MAX_BYTES, undecodable bytes ("invalid UTF-8 at byte N", "NUL
 * byte at byte N ..."; see textio.h), an empty report, an unknown layout
 * name, no layout that fits ("no measures found: ... (looked for ...)"), no
 * items in the forced layout, ENOMEM.
 */
int kg_report_parse(const char *bytes, size_t len, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err);

/* Reads path (refusing files above KG_REPORT_MAX_BYTES before reading them)
 * and parses it; messages are prefixed with the path. */
int kg_report_load(const char *path, const struct kg_report_opts *o,
	struct kg_import *out, struct kg_err *err);

#endif
