/*
 * bench/feed/render — how long kg_feed_render takes for the milestones of a
 * database (all of them, by deadline, VEVENTs with four alarms each, as
 * kigend's /feed.ics).
 *
 *   render DB [RUNS]   prints "N milestones, B bytes, load L ms, render
 *                      median M ms (min m, max x)" over RUNS renders (5)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "feed.h"
#include "store.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const int lead[] = {30, 7, 1, 0};
	struct kg_milestone_list l = {0};
	struct kg_store *st = NULL;
	struct kg_feed_params p;
	struct kg_err err = {{0}};
	struct kg_query q;
	double t0, load_ms, *ms = NULL;
	size_t len = 0;
	int runs = argc > 2 ? atoi(argv[2]) : 5, i, rc = 1;

	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: render DB [RUNS]\n");
		return 2;
	}
	if ((ms = calloc((size_t)runs, sizeof(*ms))) == NULL)
		goto out;
	kg_query_init(&q);
	t0 = now_ms();
	if (kg_store_open(argv[1], KG_STORE_READONLY, &st, &err) < 0 ||
	    kg_store_milestones(st, &q, &l, &err) < 0) {
		fprintf(stderr, "render: %s\n", err.msg);
		goto out;
	}
	load_ms = now_ms() - t0;
	kg_feed_params_init(&p);
	p.lead_days = lead;
	p.nlead = 4;
	for (i = 0; i < runs; i++) {
		char *body;

		t0 = now_ms();
		if (kg_feed_render(l.v, l.n, &p, &body, &len, &err) < 0) {
			fprintf(stderr, "render: %s\n", err.msg);
			goto out;
		}
		ms[i] = now_ms() - t0;
		free(body);
	}
	qsort(ms, (size_t)runs, sizeof(*ms), by_value);
	printf("%zu milestones, %zu bytes, load %.1f ms, render median %.1f ms (min %.1f, max %.1f)\n",
	    l.n, len, load_ms, ms[runs / 2], ms[0], ms[runs - 1]);
	rc = 0;
out:
	free(ms);
	kg_milestone_list_clear(&l);
	kg_store_close(st);
	return rc;
}
