/*
 * bench/import/bench: in-process time of kg_report_parse (decode, structure,
 * milestone extraction) on one report, and of kg_text_decode alone (the
 * floor: reading the bytes as UTF-8 lines).  Prints the median, the 10th and
 * the 90th percentile of RUNS runs in microseconds, one line per step.
 *   bench FILE [RUNS] [ENCODING]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "textio.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
print_stats(const char *what, double *t, int runs)
{
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%-8s median %8.1f us  p10 %8.1f us  p90 %8.1f us  (%d runs)\n", what,
		t[runs / 2], t[runs / 10], t[runs * 9 / 10], runs);
}

int
main(int argc, char **argv)
{
	struct kg_report_opts o = {.name = "bench.txt", .as_of = KG_DAY_NONE};
	struct kg_import imp;
	struct kg_text text;
	struct kg_err err;
	int runs = argc > 2 ? atoi(argv[2]) : 500, i;
	double *parse, *decode, t0;
	size_t len;
	char *bytes;
	long n;
	FILE *f;

	if (argc < 2 || runs < 10) {
		fprintf(stderr, "usage: bench FILE [RUNS>=10] [ENCODING]\n");
		return 2;
	}
	o.encoding = argc > 3 ? argv[3] : NULL;
	if ((f = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	bytes = malloc((size_t)n + 1);
	parse = calloc((size_t)runs, sizeof(*parse));
	decode = calloc((size_t)runs, sizeof(*decode));
	if (bytes == NULL || parse == NULL || decode == NULL ||
	    fread(bytes, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "bench: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	len = (size_t)n;
	for (i = 0; i < runs; i++) {
		t0 = now_us();
		if (kg_report_parse(bytes, len, &o, &imp, &err) < 0) {
			fprintf(stderr, "bench: %s\n", err.msg);
			return 1;
		}
		parse[i] = now_us() - t0;
		if (i == 0)
			printf("%s: %zu bytes, %zu measures, %zu milestones\n", argv[1], len,
				imp.measures.n, imp.milestones.n);
		kg_import_clear(&imp);
		t0 = now_us();
		if (kg_text_decode(bytes, len, o.encoding, &text, &err) < 0) {
			fprintf(stderr, "bench: %s\n", err.msg);
			return 1;
		}
		decode[i] = now_us() - t0;
		kg_text_release(&text);
	}
	print_stats("parse", parse, runs);
	print_stats("decode", decode, runs);
	free(parse);
	free(decode);
	free(bytes);
	return 0;
}
