/*
 * layout — the document layouts of the family, behind one small interface,
 * and the line machinery they share.
 *
 * A document arrives as decoded lines (textio.h).  kg_doc_init classifies
 * what every layout treats alike: blank lines, page-number lines, the title
 * repeated as a running header, form feeds (the page of each line).  Each
 * layout (struct kg_layout) gives a detection score from the lines; the
 * importer (report.c) runs the best one's parse, or the one --layout names.
 *
 * A parse finds the document's items — measures: title, owners, headings —
 * and the pieces of their text whose dates matter ("units": a bullet, a
 * table cell, a sub-item with its 実施時期), each joined across PDF line
 * breaks with a map from its bytes to source lines.  A parse dates nothing:
 * report.c then infers the as-of date from the preamble (asof.h) and hands
 * every unit to the milestone extractor (extract.h).  That split keeps each
 * layout a structure parser of a few hundred lines.
 *
 * Owners: the bodies responsible for an item are recognised from a table of
 * names and suffixes (kg_owner_name), because a table's 担当 column reaches
 * the text interleaved with other columns, as a block after the item, or
 * glued to the end of a line.
 */
#ifndef KG_LAYOUT_H
#define KG_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "model.h"
#include "textio.h"
#include "ustr.h"

enum kg_line_kind {
	KG_LINE_TEXT,
	KG_LINE_BLANK,
	KG_LINE_PAGENUM, /* "- 3 -", "３", "3/12", "p. 4" */
	KG_LINE_REPEAT,  /* the title line printed again as a running header */
};

struct kg_dline {
	struct kg_span raw; /* as decoded, without a leading form feed */
	struct kg_span t;   /* trimmed */
	int lineno;         /* 1-based line in the original input */
	int page;           /* 1-based, counted by textio from form feeds; 0
	                       when the text has none */
	enum kg_line_kind kind;
	unsigned repeats;   /* lines of the document with the same trimmed text */
};

/* What the dates of a unit are. */
enum kg_unit_role {
	KG_UNIT_TEXT,   /* running text: dated commitments become milestones */
	KG_UNIT_TARGET, /* a KPI target: its deadline is a kpi_target milestone */
	KG_UNIT_FIGURE, /* a result: its dates are figures as of that date */
};

/* Which of a unit's undated commitments become the measure's notes. */
enum kg_unit_notes {
	KG_NOTES_ALL,        /* every one (running text) */
	KG_NOTES_IF_UNDATED, /* only when the unit gave no milestone: a table's
	                        content whose deadline is in another cell */
	KG_NOTES_NONE,       /* none (work reported done, 措置済み) */
};

/* Where a source line's text starts inside a unit. */
struct kg_seg {
	size_t off;
	int lineno;
};

struct kg_unit {
	size_t item;           /* index of its measure in out->measures */
	enum kg_unit_role role;
	enum kg_unit_notes notes;
	struct kg_span mark;   /* a bullet mark as printed, kept for the progress text */
	size_t off, len;       /* its text in kg_doc.utext */
	size_t label;          /* where a labelled cell starts (実施時期：…), 0 if
	                          none: its milestones are titled "<act>: <item>" */
	size_t seg, nseg;      /* its line map in kg_doc.segs */
};

struct kg_doc {
	struct kg_dline *lines;
	size_t n;
	size_t title;          /* the title line (first non-blank unless a layout
	                          knows better); n when the text is empty */
	size_t preamble_end;   /* set by a parse: first line of the first item */
	struct kg_import *out; /* a parse appends measures (title, owners,
	                          heading, subheading, position) */
	struct kg_buf utext;   /* the units' text, one after the other */
	struct kg_seg *segs;
	size_t nsegs, capsegs;
	struct kg_unit *units;
	size_t nunits, capunits;
	bool unit_open;
	struct kg_err *err;    /* a parse that fails for a reason other than
	                          ENOMEM sets it and err_set */
	bool err_set;
};

struct kg_layout {
	const char *name;      /* the --layout name */
	const char *looks_for; /* what detect looks for, for the message when no
	                          layout fits */
	/* 0 (not this layout) .. 100 (surely this one). */
	int (*detect)(const struct kg_doc *d);
	/* Items and units into d; 0, or -1 (ENOMEM, or d->err set). */
	int (*parse)(struct kg_doc *d);
};

/* Every layout, in the order detection prefers on a tie. */
extern const struct kg_layout *const kg_layouts[];
extern const size_t kg_nlayouts;

extern const struct kg_layout kg_layout_progress, kg_layout_annual, kg_layout_reform,
	kg_layout_numbered, kg_layout_kpi;

/* The layout called name, or NULL with "unknown layout 'X' (expected
 * progress, …)" in err. */
const struct kg_layout *kg_layout_find(const char *name, struct kg_err *err);

/* Classifies text's lines into d (zeroed here); -1 on ENOMEM.  d borrows
 * text, which must outlive it. */
int kg_doc_init(struct kg_doc *d, const struct kg_text *text);
void kg_doc_release(struct kg_doc *d);

/* The next line at or after i that is not blank, a page number or a
 * repeated title; d->n if none. */
size_t kg_doc_next(const struct kg_doc *d, size_t i);

/* The page of source line lineno (1-based) when the text has form feeds
 * (a PDF's pages; textio.h counts them), else 0 (unknown). */
int kg_doc_page(const struct kg_doc *d, int lineno);

/* Is line i furniture for a table or heading layout: blank, a page number,
 * the title again, or a running or table header (a line printed on three
 * pages or more that is no sentence, no label and no list of owners)? */
bool kg_doc_furniture(const struct kg_doc *d, size_t i);

/* ---- units ---- */

/* Closes the open unit (if any) and opens one for measure item. */
int kg_unit_start(struct kg_doc *d, size_t item, enum kg_unit_role role, struct kg_span mark);
/* Joins source line text (lineno) to the open unit (kg_buf_join). */
int kg_unit_line(struct kg_doc *d, struct kg_span t, int lineno);
/* Appends literal text that comes from no line (a label between cells). */
int kg_unit_text(struct kg_doc *d, const char *s);
/* Appends a cell label ("実施時期：") after which the unit's text is a cell
 * of dates for the text before it: milestones dated there are titled by
 * their act and the item ("検討開始: 電子署名の利用促進"). */
int kg_unit_label(struct kg_doc *d, const char *label);
/* Sets the notes policy of the open unit (KG_NOTES_ALL by default). */
void kg_unit_notes(struct kg_doc *d, enum kg_unit_notes notes);
/* Closes the open unit; an empty one is dropped. */
void kg_unit_close(struct kg_doc *d);
/* The open unit ends a sentence or a bracket (。．）)). */
bool kg_unit_complete(const struct kg_doc *d);
/* The source line of byte off of unit u. */
int kg_unit_lineno(const struct kg_doc *d, const struct kg_unit *u, size_t off);

/* ---- items and owners ---- */

/*
 * A line of item's text: a line of names alone adds owners; otherwise
 * split takes the owners the line holds off it (kg_owners_glued, or a
 * layout's brackets); a ・ bullet opens a new unit; the rest joins the open
 * unit of the item (or opens one).  -1 on ENOMEM.
 */
int kg_item_line(struct kg_doc *d, size_t item, struct kg_span t, int lineno,
    struct kg_span (*split)(struct kg_span t, struct kg_strv *owners, int *rc));

/* Appends a measure starting at source line lineno (position and line
 * set) and returns it, or NULL on ENOMEM. */
struct kg_measure *kg_doc_add_item(struct kg_doc *d, int lineno);

/* Is t the name of a responsible body (総務省, 内閣官房, 全府省庁, 関係府省庁
 * 等 …)?  A table of names plus the suffixes 省 庁 府 委員会 本部 (and 等). */
bool kg_owner_name(struct kg_span t);
/* Is t a list of owner names only, separated by 、，,・ or blanks? */
bool kg_owner_list(struct kg_span t);
/* Appends the names of list t, split at 、，,・･ (and at blanks when
 * at_space), trimmed, to owners (no duplicates).  -1 on ENOMEM. */
int kg_owners_add(struct kg_strv *owners, struct kg_span list, bool at_space);
/* Byte offset of the （ or ( opening the bracketed group that ends t, or -1
 * when t does not end with a closed group. */
long kg_paren_open(struct kg_span t);
/* Splits the glued owner lists off the end of line t: "…を 総務省" or
 * "…。 内閣官房、総務省" (a blank, then only names).  Adds them to owners
 * (when not NULL) and returns the text before them, trimmed. */
struct kg_span kg_owners_glued(struct kg_span t, struct kg_strv *owners, int *rc);
/* The length of a leading "<owners>において、" or "<owners>は、" (owners
 * joined by 及び, 、 or ・), or 0. */
size_t kg_owners_lead(struct kg_span t);

/* ---- labels of numbered items and headings ---- */

enum kg_label {
	KG_LABEL_NONE,
	KG_LABEL_SECTION, /* 1 見出し, １．見出し, 第１ 見出し */
	KG_LABEL_PNUM,    /* (1) （１） */
	KG_LABEL_PKANA,   /* (ア) （ア） */
	KG_LABEL_KANA,    /* ア 見出し (a blank after one katakana) */
	KG_LABEL_CIRCLED, /* ① */
	KG_LABEL_HYPHEN,  /* 1-2 １－２ 3-1-4 */
	KG_LABEL_COUNT,
};

/* Is t a table's header: only column names (No. 事項名 実施時期 所管府省,
 * 整理番号 ＫＰＩ 目標 所管 実績 評価 …), printed again on every page? */
bool kg_header_line(struct kg_span t);

/* Does t.s[i] hold no heading text: the end, a digit, or a unit or counter
 * that shows a date or count cut off at the start of a line (10 月に…)? */
bool kg_counter_at(struct kg_span t, size_t i);

/* The label t starts with, its length in *len including the blanks after
 * it; KG_LABEL_NONE (len 0) when there is none.  A section label needs text
 * after it that does not start with a digit (1 2024 is no label). */
enum kg_label kg_label_at(struct kg_span t, size_t *len);

/* The label of every line of d (KG_LABEL_NONE for lines that are not text)
 * and its length, in two new arrays of d->n + 1 (free both, also after a
 * failure).  -1 on ENOMEM. */
int kg_doc_labels(const struct kg_doc *d, enum kg_label **label, size_t **len);

#endif
