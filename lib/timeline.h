/*
 * timeline — the geometry of the timeline page (pure, no I/O): where a
 * date lies on the time axis, which month starts the axis marks and which
 * of them get a label, and how the bars of one row share lanes.
 *
 * Days are kg_day (civil.h).  A day d covers [x(d), x(d + 1)) on the axis,
 * so a window [start, end] (inclusive) is drawn from x(start) to
 * x(end + 1): a one-day window is exactly one day wide, and adjacent
 * windows touch without overlapping.
 */
#ifndef KG_TIMELINE_H
#define KG_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "civil.h"

struct kg_axis {
	kg_day from, to;     /* the days shown, inclusive; from <= to */
	double x0, width;    /* from's left edge at x0, to's right edge at x0 + width */
};

/* An axis showing [from, to] (to < from is taken as from) over width px
 * starting at x0. */
void kg_axis_init(struct kg_axis *a, kg_day from, kg_day to, double x0, double width);

/* Pixels per day. */
double kg_axis_scale(const struct kg_axis *a);

/* The left edge of day d; days outside the axis lie beyond its ends (the
 * line goes on), so callers clip with kg_axis_clip. */
double kg_axis_x(const struct kg_axis *a, kg_day d);

/*
 * The part of the window [start, end] on the axis: *x1 = x(start),
 * *x2 = x(end + 1), both clipped to the axis.  end KG_DAY_NONE is an open
 * end (to the axis' end).  False when nothing of it is on the axis.
 */
bool kg_axis_clip(const struct kg_axis *a, kg_day start, kg_day end, double *x1, double *x2);

/* The day at x (the inverse of kg_axis_x, rounded down). */
kg_day kg_axis_day(const struct kg_axis *a, double x);

/* A month start on the axis. */
struct kg_tick {
	kg_day day;          /* the 1st of a month */
	double x;
	int year, month;
	bool fiscal_year;    /* April 1st: a fiscal year starts */
	bool label;          /* room for its month's label */
};

/* Below this width of a month (px) only quarters get labels, below
 * KG_TICK_QUARTER_PX only April. */
#define KG_TICK_MONTH_PX 24.0
#define KG_TICK_QUARTER_PX 9.0

/*
 * The month starts within [from, to] into out[0..max), in order; each
 * gets a label when there is room: every month when a month is at least
 * KG_TICK_MONTH_PX wide, the quarters' first months (April, July, October,
 * January) from KG_TICK_QUARTER_PX, else April only.  Returns how many
 * there are (may exceed max: only max are written).
 */
size_t kg_axis_ticks(const struct kg_axis *a, struct kg_tick *out, size_t max);

/*
 * Lanes: puts each of the n bars [x1[i], x2[i]) (in any order) into the
 * lowest lane where it keeps gap px from the bars already there, taking
 * bars in order of x1 (then index, so the result is deterministic).
 * lane[i] gets its lane, 0-based; at most max_lanes lanes are used, the
 * last one taking every bar that fits nowhere.  Returns the number of
 * lanes used (0 for n = 0).  order is scratch for n indices.  O(n log n +
 * n * max_lanes).
 */
int kg_lanes(const double *x1, const double *x2, size_t n, double gap, int max_lanes,
    int *lane, size_t *order);

#endif
