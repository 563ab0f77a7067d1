/*
 * page — kigend's HTML pages, rendered from data (pure: no clock, no I/O
 * but the stream written to), through the escaping layer (html.h):
 *
 *   the timeline      every measure's milestones on a time axis (SVG),
 *                     with the feeds' filters, free text, a range and an
 *                     as-of date, grouped by measure or by owner
 *   a milestone       its window in words, status, measure, owners, the
 *                     source sentence with the date expression marked, its
 *                     history, reminders and webhook deliveries
 *   a measure         its progress text, undated commitments, milestones
 *
 * Links are relative (root is "" on the timeline, "../" one level down),
 * so the same bytes serve under a /t/TOKEN/ prefix and no page holds a
 * token.  Assets are linked from root + "assets/"; no page loads anything
 * from elsewhere, no page has inline script or style, and every page works
 * without its script.
 *
 * Big data stays usable: the timeline shows at most KG_PAGE_ROWS rows per
 * page (?page=N), a row with more than KG_PAGE_ROW_BARS milestones in view
 * (or too many overlapping) is drawn as a density strip per month (how
 * many are due in each), and the measure page lists at
 * most KG_PAGE_LIST milestones per page.  Cost is linear in the
 * milestones that pass the filters.
 */
#ifndef KG_PAGE_H
#define KG_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "civil.h"
#include "err.h"
#include "html.h"
#include "model.h"
#include "outbox.h"
#include "store.h"

#define KG_PAGE_ROWS 60
#define KG_PAGE_ROW_BARS 48
#define KG_PAGE_LIST 500

/* The previous window of a milestone a report moved (its last move). */
struct kg_slip {
	int64_t milestone_id;
	kg_day old_start, old_end;
};

/* What a site's pages look up per milestone, kept compact (built once per
 * view by kg_page_index): every owner once and which of them each
 * milestone has, and each milestone's window as two dense arrays (at 10^5
 * milestones a row of the timeline touches these, not the big structs). */
struct kg_page_index {
	struct kg_strv owners;       /* in order of first appearance, the measures' first */
	uint32_t *owner_at, *owner_ix; /* milestone i's owners: owners.v[owner_ix[owner_at[i]]]
	                                  .. owners.v[owner_ix[owner_at[i + 1] - 1]] */
	kg_day *start, *end;         /* milestone i's window_start, window_end */
};

/* The data every page draws on; everything borrowed. */
struct kg_site {
	const char *name;                 /* [feed] name: the site's title */
	const struct kg_milestone *milestones; /* by deadline (the store's order) */
	size_t nmilestones;
	const struct kg_measure *measures; /* in their documents' order */
	size_t nmeasures;
	const struct kg_page_index *index; /* kg_page_index of the above */
	const struct kg_slip *slips;      /* by milestone id */
	size_t nslips;
	const int *lead_days;             /* [reminders] lead, days before */
	size_t nlead;
	const int *overdue_days;          /* [reminders] overdue, days after */
	size_t noverdue;
	int at_minute;                    /* [reminders] at */
	/* Search: folded[i] is milestone i's title and sentence folded with
	 * kg_page_fold; NULL when no search is asked for. */
	char *const *folded;
};

enum kg_page_group { KG_PAGE_BY_MEASURE, KG_PAGE_BY_OWNER };

/* What the timeline's form asks for. */
struct kg_page_query {
	const struct kg_filter *filter; /* may be NULL */
	const char *q;                  /* folded with kg_page_fold; NULL: none */
	const char *q_shown;            /* q as typed, for the form */
	kg_day from, to;                /* KG_DAY_NONE: the range of the data */
	kg_day today;                   /* the date taken as today */
	bool as_of_given;               /* today came from ?as_of= */
	enum kg_page_group group;
	long page;                      /* 1-based */
};

/* The timeline page.  -1 with err when writing failed. */
int kg_page_timeline(struct kg_html *h, const struct kg_site *s, const struct kg_page_query *q,
    struct kg_err *err);

/* One milestone's page; me may be NULL (none), history oldest first,
 * deliveries newest first.  today is the date taken as today; when
 * as_of_given, links to other pages keep it (?as_of=). */
int kg_page_milestone(struct kg_html *h, const struct kg_site *s, const struct kg_milestone *m,
    const struct kg_measure *me, const struct kg_change_list *history,
    const struct kg_delivery_list *deliveries, kg_day today, bool as_of_given,
    struct kg_err *err);

/* One measure's page, its milestones' page number (1-based); today and
 * as_of_given as for kg_page_milestone. */
int kg_page_measure(struct kg_html *h, const struct kg_site *s, const struct kg_measure *me,
    kg_day today, bool as_of_given, long page, struct kg_err *err);

/* The index of s's measures and milestones into out (zeroed or cleared);
 * s->index is not read.  -1 on ENOMEM. */
int kg_page_index(const struct kg_site *s, struct kg_page_index *out);
void kg_page_index_clear(struct kg_page_index *x);

/* s folded for search (NFKC and case-folded, so ２００８ finds 2008 and
 * GSOC finds ｇｓｏｃ): a new string the caller frees; NULL on ENOMEM or
 * invalid UTF-8. */
char *kg_page_fold(const char *s);

/* What kg_site.folded holds for m: its title and sentence, folded. */
char *kg_page_fold_milestone(const struct kg_milestone *m);

#endif
