/*
 * page_int — what the page modules share (page.c: the frame of every page
 * and the detail pages; page_timeline.c: the timeline).  Not for other
 * modules: page.h is the contract.
 */
#ifndef KG_PAGE_INT_H
#define KG_PAGE_INT_H

#include "page.h"

/* The top of a page up to <main>: head (title "title — site name"), the
 * stylesheet, icon and script under root + "assets/", the site's header
 * with a link home.  title NULL: the site's name alone. */
void kg_page_open(struct kg_html *h, const struct kg_site *s, const char *root,
    const char *title);

/* </main>, the footer, </html>. */
void kg_page_close(struct kg_html *h);

/* Whether m is open (planned, ongoing) and its deadline is before today. */
bool kg_page_overdue(const struct kg_milestone *m, kg_day today);

/* The previous window of milestone id in s (its last move), or NULL. */
const struct kg_slip *kg_page_slip(const struct kg_site *s, int64_t id);

/* The title to show for m: its title, else its measure's, else its
 * expression. */
const char *kg_page_title(const struct kg_milestone *m);

/* A link's tail that keeps the page's date: "?as_of=YYYY-MM-DD" (sep '?')
 * or "&as_of=…" (sep '&') when the date was given, else "".  Written
 * through %s, so the & is escaped as an attribute wants.  Returns buf. */
#define KG_PAGE_AS_OF_LEN 24
const char *kg_page_as_of(char buf[KG_PAGE_AS_OF_LEN], kg_day today, bool given, char sep);

/* -1 with "cannot write the page" when h failed, else 0. */
int kg_page_done(struct kg_html *h, struct kg_err *err);

#endif
