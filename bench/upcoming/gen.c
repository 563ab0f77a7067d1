/*
 * bench/upcoming/gen — data for the `kigen upcoming` benchmark.
 *
 *   gen N DB REMFILE [TASKJSON]   N milestones with deadlines spread evenly
 *                                 (pseudo-randomly, fixed seed) over ten years,
 *                                 2005-01-01 .. 2014-12-31, written through the
 *                                 store API into DB; the same deadlines as a
 *                                 remind(1) file and, when asked, as a
 *                                 Taskwarrior import file
 *   gen plan DB AS_OF DAYS        EXPLAIN QUERY PLAN of the upcoming query
 *
 * Same seed, same data: every peer sees the same deadlines and titles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define FIRST_DAY 12784 /* 2005-01-01 */
#define SPAN_DAYS 3652  /* ten years */

static const char *const owners[] = {
	"内閣官房", "総務省", "経済産業省", "警察庁", "防衛省", "文部科学省",
};
static const char *const verbs[] = {
	"演習を実施", "報告書を公表", "ガイドラインを改訂", "調査結果をとりまとめ", "運用を開始",
};

static unsigned long long rng_state = 0x2008093020090331ULL;

/* xorshift64*: fast, fixed sequence for a fixed seed. */
static unsigned long long
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int
generate(long n, const char *db, const char *rem_path, const char *task_path)
{
	struct kg_store *st = NULL;
	struct kg_err err = {{0}};
	struct kg_milestone m;
	FILE *rem = NULL, *task = NULL;
	char title[128];
	long i;
	int y, mo, d, rc = 1;

	if (kg_store_open(db, KG_STORE_CREATE, &st, &err) < 0 ||
	    kg_store_begin(st, &err) < 0)
		goto out;
	if ((rem = fopen(rem_path, "w")) == NULL) {
		perror(rem_path);
		goto out;
	}
	if (task_path != NULL && (task = fopen(task_path, "w")) == NULL) {
		perror(task_path);
		goto out;
	}
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.window_end = FIRST_DAY + (kg_day)(rng() % SPAN_DAYS);
		m.window_start = m.window_end;
		m.precision = KG_PREC_DAY;
		m.kind = (enum kg_kind)(rng() % KG_KIND_COUNT);
		m.status = rng() % 10 == 0 ? KG_STATUS_DONE : KG_STATUS_PLANNED;
		m.manual = true;
		snprintf(title, sizeof(title), "%s %ld", verbs[rng() % 5], i + 1);
		m.title = title;
		if (kg_strv_push(&m.owners, owners[rng() % 6], (size_t)-1) < 0)
			goto out;
		if (kg_store_milestone_add(st, &m, &err) < 0) {
			kg_strv_clear(&m.owners);
			goto out;
		}
		kg_civil_from_day(m.window_end, &y, &mo, &d);
		if (m.status != KG_STATUS_DONE)
			fprintf(rem, "REM %d-%02d-%02d MSG %s (%s)\n", y, mo, d, title,
			    m.owners.v[0]);
		if (task != NULL)
			fprintf(task, "{\"description\":\"%s\",\"due\":\"%04d%02d%02dT000000Z\","
			    "\"status\":\"%s\",\"project\":\"kigen\"}\n", title, y, mo, d,
			    m.status == KG_STATUS_DONE ? "completed" : "pending");
		free(m.uid);
		kg_strv_clear(&m.owners);
	}
	if (kg_store_commit(st, &err) < 0)
		goto out;
	rc = 0;
	printf("gen: %ld milestones in %s, remind file %s%s%s\n", n, db, rem_path,
	    task ? ", task import " : "", task ? task_path : "");
out:
	if (rc != 0 && err.msg[0])
		fprintf(stderr, "gen: %s\n", err.msg);
	if (rem != NULL && fclose(rem) != 0)
		rc = 1;
	if (task != NULL && fclose(task) != 0)
		rc = 1;
	kg_store_close(st);
	return rc;
}

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
	/* what `kigen upcoming` asks (cli/cmd_query.c) */
	q.open_only = true;
	q.due_from = today;
	q.due_to = today + atoi(days);
	if (kg_store_query_plan(st, &q, &lines, &err) < 0)
		goto out;
	for (i = 0; i < lines.n; i++)
		printf("%s\n", lines.v[i]);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "gen: %s\n", err.msg);
	kg_strv_clear(&lines);
	kg_store_close(st);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "plan") == 0)
		return plan(argv[2], argv[3], argv[4]);
	if (argc == 4 || argc == 5)
		return generate(atol(argv[1]), argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: gen N DB REMFILE [TASKJSON] | gen plan DB AS_OF DAYS\n");
	return 2;
}
