/*
 * model — the things kigen tracks, as plain C structs shared by every module.
 *
 *   document   one imported progress report (or none, for manual entries)
 *   measure    a 施策: title, responsible bodies, progress text
 *   milestone  a dated commitment of a measure: a window [start, end] whose
 *              end is the deadline, a precision, a status and a kind
 *
 * Strings in these structs are owned by the struct (malloc'd, UTF-8) and freed
 * by the matching *_clear function; a NULL string means "absent".  The enums
 * have stable lower-case names (the names used in JSON, the database and the
 * CLI); kg_*_name() returns a static string, kg_*_parse() returns -1 for an
 * unknown name.
 */
#ifndef KG_MODEL_H
#define KG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "civil.h"

enum kg_status {
	KG_STATUS_PLANNED,
	KG_STATUS_ONGOING,
	KG_STATUS_DONE,
	KG_STATUS_CANCELLED,
	KG_STATUS_COUNT
};

/* How firmly the report commits: 予定 planned, 見込み expected, 目途/目処 target. */
enum kg_certainty {
	KG_CERT_NONE,
	KG_CERT_PLANNED,
	KG_CERT_EXPECTED,
	KG_CERT_TARGET,
	KG_CERT_COUNT
};

enum kg_precision {
	KG_PREC_DAY,
	KG_PREC_DEKAD,
	KG_PREC_MONTH,
	KG_PREC_MONTH_END,
	KG_PREC_QUARTER,
	KG_PREC_HALF_YEAR,
	KG_PREC_SEASON,
	KG_PREC_YEAR,
	KG_PREC_YEAR_END,
	KG_PREC_FISCAL_YEAR,
	KG_PREC_FISCAL_YEAR_END,
	KG_PREC_RANGE,
	KG_PREC_OPEN_START,
	KG_PREC_COUNT
};

enum kg_kind {
	KG_KIND_MEETING,
	KG_KIND_PUBLICATION,
	KG_KIND_REPORT,
	KG_KIND_EXERCISE,
	KG_KIND_OPERATION_START,
	KG_KIND_REVISION,
	KG_KIND_SURVEY,
	KG_KIND_LAUNCH,
	KG_KIND_COMPLETION,
	KG_KIND_DECISION,
	KG_KIND_CAMPAIGN,
	KG_KIND_ESTABLISHMENT,
	KG_KIND_KPI_TARGET,  /* a KPI's target with its deadline (【2026年度までに 80%】) */
	KG_KIND_OTHER,
	KG_KIND_COUNT
};

const char *kg_status_name(enum kg_status s);
int kg_status_parse(const char *name);
const char *kg_certainty_name(enum kg_certainty c); /* KG_CERT_NONE -> "none" */
int kg_certainty_parse(const char *name);
const char *kg_precision_name(enum kg_precision p);
int kg_precision_parse(const char *name);
const char *kg_kind_name(enum kg_kind k);
int kg_kind_parse(const char *name);

/* Grows the array *v (of *cap elements of size sz, n in use) so that it
 * holds at least n + 1, doubling.  -1 on ENOMEM (*v is unchanged). */
int kg_array_grow(void **v, size_t *cap, size_t n, size_t sz);

/* A growable array of owned strings (owners, notes). */
struct kg_strv {
	char **v;
	size_t n, cap;
};

/* Appends a copy of s (len bytes, or strlen when len == (size_t)-1).  -1 on ENOMEM. */
int kg_strv_push(struct kg_strv *sv, const char *s, size_t len);
void kg_strv_clear(struct kg_strv *sv);
bool kg_strv_contains(const struct kg_strv *sv, const char *s);
/* The same for the len bytes at s (not NUL-terminated). */
bool kg_strv_contains_n(const struct kg_strv *sv, const char *s, size_t len);
/* The same strings in the same order. */
bool kg_strv_equal(const struct kg_strv *a, const struct kg_strv *b);
/* Equal strings, NULL equal only to NULL. */
bool kg_str_equal(const char *a, const char *b);
/* Replaces dst's strings with copies of src's.  -1 on ENOMEM (dst then
 * holds a prefix of src; clear it). */
int kg_strv_copy(struct kg_strv *dst, const struct kg_strv *src);

struct kg_document {
	int64_t id;
	char *name;          /* file name as given at import (basename) */
	char *sha256;        /* hex of the original bytes */
	char *title;         /* report title line, if found */
	kg_day as_of;
	int64_t imported_at; /* unix seconds */
	char *summary_json;  /* document-level figures (①..④ counts), JSON text or NULL */
	/* Where a downloaded document came from (NULL for a file): the URL and
	 * the validators of the response, for conditional requests. */
	char *url;
	char *etag;
	char *last_modified;
	/* Set by the store (ignored on import): */
	char *plan;          /* plan key: editions of one plan share it */
	bool standing;       /* the version that stands for its edition (plan, as_of) */
	int64_t removed_at;  /* kigen unimport time; 0 = not removed */
	int n_new, n_changed, n_gone; /* what its import did to milestones */
};

struct kg_measure {
	int64_t id;
	int64_t document_id; /* document that last mentioned it; 0 for manual */
	int position;        /* order in that document, 1-based; 0 for manual */
	int line;            /* 1-based source line where it starts (import
	                        only, not stored); 0 if none */
	char *heading;       /* page heading (section) it appeared under, or NULL */
	char *subheading;    /* best-effort sub-section heading, or NULL */
	char *title;         /* as printed, no NFKC */
	struct kg_strv owners; /* responsible bodies as printed */
	char *progress;      /* progress text, bullets joined by "\n" */
	struct kg_strv notes; /* undated commitments (今後も継続的に発行予定…) */
	/* Set by the store (ignored on import): */
	char *plan;          /* plan key of the documents that list it; NULL by hand */
	int64_t continues;   /* the measure of an earlier plan with its title; 0 none */
};

/* Fields a local edit (kigen edit, done, reopen, rm) sets apart from what
 * the reports say: struct kg_milestone.local_mask. */
enum {
	KG_LOCAL_TITLE = 1 << 0,
	KG_LOCAL_KIND = 1 << 1,
	KG_LOCAL_STATUS = 1 << 2,
	KG_LOCAL_WINDOW = 1 << 3,   /* window_start, window_end, precision */
	KG_LOCAL_MEASURE = 1 << 4,
	KG_LOCAL_ALL = (1 << 5) - 1
};

/* "title", "kind", "status", "window", "measure" for one KG_LOCAL_* bit
 * (the names JSON and the CLI use); NULL for anything else. */
const char *kg_local_field_name(unsigned bit);

struct kg_milestone {
	int64_t id;
	char *uid;           /* stable, e.g. "<hash>@kigen"; set by the store */
	int64_t measure_id;  /* 0 when not attached */
	char *title;         /* short human title */
	enum kg_kind kind;
	enum kg_status status;
	enum kg_certainty certainty;
	kg_day window_start;
	kg_day window_end;   /* the deadline; KG_DAY_NONE for open_start */
	enum kg_precision precision;
	char *expr;          /* date expression as written (source text) */
	char *sentence;      /* source sentence, line breaks removed */
	int64_t document_id; /* source document; 0 for manual */
	int line;            /* 1-based line in the source document; 0 if none */
	int page;            /* 1-based page of the source PDF; 0 if unknown */
	bool manual;         /* created or edited by hand: import must not overwrite */
	unsigned local_mask; /* KG_LOCAL_*: fields a local edit keeps over the reports */
	bool conflict;       /* a report imported after a local edit disagrees with it */
	bool gone;           /* the latest report of its plan no longer mentions it */
	bool uncertain;      /* the window rests on a guess (e.g. a year the text
	                        does not give); uncertain_reason says which */
	char *uncertain_reason;
	int64_t sequence;    /* grows on every change (iCalendar SEQUENCE) */
	int64_t created_at, updated_at, completed_at; /* unix seconds; 0 = never */
	/* Denormalised for output, filled by store queries (not stored here): */
	char *measure_title;
	struct kg_strv owners;
};

void kg_document_clear(struct kg_document *d);
void kg_measure_clear(struct kg_measure *m);
void kg_milestone_clear(struct kg_milestone *m);

/* Deep copy; -1 on ENOMEM (dst is then cleared). */
int kg_milestone_copy(struct kg_milestone *dst, const struct kg_milestone *src);

/* An owned array of milestones. */
struct kg_milestone_list {
	struct kg_milestone *v;
	size_t n, cap;
};

/* Appends a zeroed milestone and returns it, or NULL on ENOMEM. */
struct kg_milestone *kg_milestone_list_add(struct kg_milestone_list *l);
void kg_milestone_list_clear(struct kg_milestone_list *l);

struct kg_measure_list {
	struct kg_measure *v;
	size_t n, cap;
};

struct kg_measure *kg_measure_list_add(struct kg_measure_list *l);
void kg_measure_list_clear(struct kg_measure_list *l);

/* A date-like string of a document that is no milestone, and why. */
struct kg_skipped_date {
	int64_t measure_id; /* index into kg_import.measures; -1 outside any */
	char *expr;         /* as printed */
	int line;           /* 1-based source line */
	const char *why;    /* static: "inside 「」: part of a name", ... */
};

/*
 * How the importer read a document, for the import summary and
 * `kigen import --explain` (not stored): the layout, where the as-of date
 * came from, and every date-like string not taken as a milestone.
 */
struct kg_import_origin {
	const char *layout;     /* static layout name ("progress", ...) */
	const char *as_of_how;  /* static: "given with --as-of", "a status date …" */
	int as_of_line;         /* 1-based source line; 0 when given */
	char *as_of_text;       /* that line as printed; NULL when given */
	struct kg_skipped_date *skipped;
	size_t nskipped, capskipped;
	size_t uncertain;       /* how many milestones are flagged uncertain */
	size_t controls;        /* control characters removed from the text */
};

/* Appends a skipped date (expr copied from expr[0..len)).  -1 on ENOMEM. */
int kg_import_skip(struct kg_import_origin *o, int64_t measure_id, const char *expr,
    size_t len, int line, const char *why);

/*
 * What the importer produces from one report and the store merges: the
 * document, its measures in order, and each measure's milestones.
 * milestones.v[i].measure_id is an index into measures (0-based) here, not a
 * database id; the store translates.
 */
struct kg_import {
	struct kg_document doc;
	struct kg_measure_list measures;
	struct kg_milestone_list milestones;
	struct kg_import_origin origin;
};

void kg_import_clear(struct kg_import *imp);

/*
 * Filters shared by the CLI, the HTTP API and named feeds.  Values of one
 * field are OR'd, different fields AND'd.  An empty filter matches all.
 */
struct kg_filter {
	struct kg_strv owners;
	struct kg_strv kinds;
	struct kg_strv statuses;
	struct kg_strv measures; /* measure ids as decimal strings */
};

void kg_filter_clear(struct kg_filter *f);
/* Replaces dst with a copy of src.  -1 on ENOMEM (clear dst). */
int kg_filter_copy(struct kg_filter *dst, const struct kg_filter *src);
bool kg_filter_match(const struct kg_filter *f, const struct kg_milestone *m);

#endif
