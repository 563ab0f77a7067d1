/*
 * web — kigend's pages (lib/page.h) and their assets, as routes' handlers
 * (routes.h):
 *
 *   GET /                    the timeline: filters as the feeds, q= (free
 *                            text), from= to= (the range), as_of=, group=
 *                            measure|owner, page=
 *   GET /milestones/ID       one milestone (ID: id or UID), as_of=
 *   GET /milestones/ID.ics   that milestone alone, as iCalendar
 *   GET /measures/ID         one measure, as_of=, page=
 *   GET /assets/NAME         style.css, app.js, icon.svg: compiled in
 *
 * Access: the API's rule (kg_server_token_access) — when any feed has a
 * token, pages need [http] feed_token (/t/TOKEN/…; relative links keep the
 * prefix), and without it they are off: they show every milestone, those
 * of private feeds too.  Assets are public.
 *
 * Every page is a rendition (rendition.h): ETag, gzip, 304; no-cache, so
 * browsers revalidate.  The timeline without parameters is rendered with
 * each publication (the view's) and again the first time it is asked for
 * on a later day (its "today" moved); the timeline with parameters and
 * measure pages are renditions made on request (cache.h: on a render
 * thread, once per view, day and parameters, within the render limits);
 * a milestone's page (its history and deliveries are read from the
 * database) and its .ics are rendered per request.  Headers: Content-Security-Policy (no inline script or style,
 * nothing from elsewhere), Referrer-Policy, X-Frame-Options (and, as
 * every answer, X-Content-Type-Options).
 */
#ifndef KG_WEB_H
#define KG_WEB_H

#include <microhttpd.h>
#include <stdbool.h>

#include "conf.h"
#include "err.h"
#include "store.h"

struct kg_request;
struct kg_view;

/* What the pages of one view need beyond its milestones and measures. */
struct kg_web;

/* The pages' part of a view being prepared (view.h): what they need of c
 * (the site's name, the reminder rules) copied, and of v (its zone and
 * whether tokens are needed) borrowed.  -1 with err on ENOMEM. */
int kg_web_prepare(const struct kg_view *v, const struct kg_conf *c, struct kg_web **out,
    struct kg_err *err);

/*
 * Fills w for v's data (borrowed; v is being filled, on the publisher
 * thread): the compact index, the previous windows of slips (the changes
 * of kg_store_slipped, oldest first; NULL: none), the assets, and the
 * timeline rendered for today.  -1 with err on failure.
 */
int kg_web_fill(struct kg_web *w, const struct kg_view *v, const struct kg_change_list *slips,
    struct kg_err *err);

/* Frees w (requests are done with it: the view's last reference); NULL ok. */
void kg_web_free(struct kg_web *w);

/* The access rule of the assets: anyone, with or without a token prefix. */
bool kg_web_public(struct kg_request *rq);

enum MHD_Result kg_web_timeline(struct kg_request *rq);
enum MHD_Result kg_web_milestone(struct kg_request *rq);
enum MHD_Result kg_web_measure(struct kg_request *rq);
enum MHD_Result kg_web_asset(struct kg_request *rq);

#endif
