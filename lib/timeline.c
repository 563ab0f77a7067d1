/*
 * timeline — see timeline.h.
 */
#include "timeline.h"

#include <math.h>
#include <stdlib.h>

void
kg_axis_init(struct kg_axis *a, kg_day from, kg_day to, double x0, double width)
{
	a->from = from;
	a->to = to < from ? from : to;
	a->x0 = x0;
	a->width = width;
}

double
kg_axis_scale(const struct kg_axis *a)
{
	return a->width / (double)(a->to - a->from + 1);
}

double
kg_axis_x(const struct kg_axis *a, kg_day d)
{
	return a->x0 + (double)(d - a->from) * kg_axis_scale(a);
}

bool
kg_axis_clip(const struct kg_axis *a, kg_day start, kg_day end, double *x1, double *x2)
{
	kg_day last = end == KG_DAY_NONE ? a->to : end;

	if (start == KG_DAY_NONE)
		start = last;
	if (start > a->to || last < a->from || last < start)
		return false;
	*x1 = kg_axis_x(a, start < a->from ? a->from : start);
	*x2 = kg_axis_x(a, (last > a->to ? a->to : last) + 1);
	return true;
}

kg_day
kg_axis_day(const struct kg_axis *a, double x)
{
	/* A hair of slack: x(d) computed in floating point maps back to d. */
	return a->from + (kg_day)floor((x - a->x0) / kg_axis_scale(a) + 1e-9);
}

size_t
kg_axis_ticks(const struct kg_axis *a, struct kg_tick *out, size_t max)
{
	double month_px = 30.44 * kg_axis_scale(a);
	kg_day d = kg_month_first(a->from);
	size_t n = 0;
	int y, m, dd;

	if (d < a->from)
		d = kg_month_last(d) + 1;
	for (; d <= a->to; d = kg_month_last(d) + 1, n++) {
		if (n >= max)
			continue;
		kg_civil_from_day(d, &y, &m, &dd);
		out[n].day = d;
		out[n].x = kg_axis_x(a, d);
		out[n].year = y;
		out[n].month = m;
		out[n].fiscal_year = m == 4;
		out[n].label = month_px >= KG_TICK_MONTH_PX ||
		    (month_px >= KG_TICK_QUARTER_PX && (m - 1) % 3 == 0) || m == 4;
	}
	return n;
}

/* qsort has no context argument: the bars being sorted, one sort at a
 * time per thread. */
static _Thread_local const double *sort_x1;

static int
by_x1(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (sort_x1[a] != sort_x1[b])
		return sort_x1[a] < sort_x1[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

int
kg_lanes(const double *x1, const double *x2, size_t n, double gap, int max_lanes,
    int *lane, size_t *order)
{
	double ends[64];
	int used = 0, l;
	size_t i, k;

	if (max_lanes > 64)
		max_lanes = 64;
	if (max_lanes < 1)
		max_lanes = 1;
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_x1 = x1;
	qsort(order, n, sizeof(*order), by_x1);
	for (k = 0; k < n; k++) {
		i = order[k];
		for (l = 0; l < used && ends[l] + gap > x1[i]; l++)
			;
		if (l == max_lanes)
			l = max_lanes - 1;
		if (l == used)
			ends[used++] = x2[i];
		else if (x2[i] > ends[l])
			ends[l] = x2[i];
		lane[i] = l;
	}
	return used;
}
