/*
 * bench/upcoming/plan — the query plan of `kigen upcoming`.
 *
 *   plan DB AS_OF DAYS    EXPLAIN QUERY PLAN of the query `kigen --as-of
 *                         AS_OF upcoming --days DAYS` runs on DB
 *
 * The benchmark's data is made by `kigen import` (bench/upcoming/data.sh).
 */
#include <stdio.h>
#include <stdlib.h>

#include "store.h"

static int
plan(const char *db, const char *as_of, const char *days)
{
	struct kg_store *st = NULL;
	struct kg_strv lines = {0};
	struct kg_query q;
	struct kg_err err = {{0}};
	kg_day today;
	size_t i;
	int rc = 1;

	kg_query_init(&q);
	if (kg_date_parse(as_of, &today, &err) < 0 ||
	    kg_store_open(db, KG_STORE_READONLY, &st, &err) < 0)
		goto out;
	/* what `kigen upcoming` asks for its table (cli/cmd_query.c) */
	q.open_only = true;
	q.brief = true;
	q.due_from = today;
	q.due_to = today + atoi(days);
	if (kg_store_query_plan(st, &q, &lines, &err) < 0)
		goto out;
	for (i = 0; i < lines.n; i++)
		printf("%s\n", lines.v[i]);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "plan: %s\n", err.msg);
	kg_strv_clear(&lines);
	kg_store_close(st);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 4)
		return plan(argv[1], argv[2], argv[3]);
	fprintf(stderr, "usage: plan DB AS_OF DAYS\n");
	return 2;
}
