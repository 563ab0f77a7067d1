/*
 * args — see args.h.  Messages quote at most 60 bytes of a value, cut at a
 * character boundary.
 */
#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* How much of a value a message quotes: 60 bytes at most, whole characters. */
static int
quoted(const char *v)
{
	return (int)kg_utf8_cut(v, strnlen(v, 60));
}

/* A word out of a list of names: its index, or -1 (a->bad says so). */
static int
word(struct kg_args *a, const char *key, const char *value, const char *const *names,
    int n, const char *expected)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(value, names[i]) == 0)
			return i;
	snprintf(a->bad, sizeof(a->bad), "invalid %s '%.*s' (%s)", key, quoted(value), value,
	    expected);
	return -1;
}

static void
date_arg(struct kg_args *a, const char *key, const char *value, kg_day *out)
{
	struct kg_err err;

	if (kg_date_parse(value, out, &err) < 0)
		snprintf(a->bad, sizeof(a->bad), "invalid %s '%.*s' (expected YYYY-MM-DD)", key,
		    quoted(value), value);
}

static void
number_arg(struct kg_args *a, const char *key, const char *value, long min, long max,
    long *out)
{
	char *end;

	*out = strtol(value, &end, 10);
	if (end == value || *end != '\0' || *out < min || *out > max)
		snprintf(a->bad, sizeof(a->bad), "invalid %s '%.*s' (%ld..%ld)", key, quoted(value),
		    value, min, max);
}

static const char *const filter_keys[] = {"owner", "kind", "status", "measure"};

/* The index of a filter key in filter_keys, or -1. */
static int
filter_index(const char *key)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(key, filter_keys[i]) == 0)
			return i;
	return -1;
}

/* The filter list key names (its value checked), or NULL when key is no
 * filter. */
static struct kg_strv *
filter_of(struct kg_args *a, const char *key, const char *value)
{
	char *end;

	if (strcmp(key, "owner") == 0)
		return &a->filter.owners;
	if (strcmp(key, "kind") == 0) {
		if (kg_kind_parse(value) < 0)
			snprintf(a->bad, sizeof(a->bad), "invalid kind '%.*s'", quoted(value), value);
		return &a->filter.kinds;
	}
	if (strcmp(key, "status") == 0) {
		if (kg_status_parse(value) < 0)
			snprintf(a->bad, sizeof(a->bad), "invalid status '%.*s'", quoted(value), value);
		return &a->filter.statuses;
	}
	if (strcmp(key, "measure") == 0) {
		if (strtoll(value, &end, 10) <= 0 || *end != '\0')
			snprintf(a->bad, sizeof(a->bad), "invalid measure '%.*s'", quoted(value), value);
		return &a->filter.measures;
	}
	return NULL;
}

/* The bit of a non-filter key, or 0. */
static unsigned
bit_of(const char *key)
{
	static const struct { const char *key; unsigned bit; } keys[] = {
		{"view", KG_ARG_VIEW}, {"span", KG_ARG_SPAN}, {"days", KG_ARG_DAYS},
		{"as_of", KG_ARG_AS_OF}, {"q", KG_ARG_Q}, {"from", KG_ARG_FROM},
		{"to", KG_ARG_TO}, {"group", KG_ARG_GROUP}, {"page", KG_ARG_PAGE},
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i].key) == 0)
			return keys[i].bit;
	return 0;
}

/* Index of a single bit. */
static int
bit_index(unsigned bit)
{
	return __builtin_ctz(bit);
}

/* Records that key (of bit) was given. */
static void
mark(struct kg_args *a, unsigned bit, const char *static_key)
{
	if (!(a->given & bit))
		a->first[bit_index(bit)] = static_key;
	a->given |= bit;
}

bool
kg_args_add(struct kg_args *a, const char *key, const char *value)
{
	static const char *const views[] = {"event", "todo"};
	static const char *const spans[] = {"deadline", "window"};
	static const char *const groups[] = {"measure", "owner"};
	struct kg_strv *sv;
	unsigned bit;
	int w;
	long l;

	if (a->bad[0] != '\0')
		return false;
	if (++a->count > KG_ARGS_MAX) {
		snprintf(a->bad, sizeof(a->bad), "too many query parameters (at most %d)",
		    KG_ARGS_MAX);
		return false;
	}
	if (value == NULL)
		value = "";
	if (strcmp(key, "token") == 0) {
		a->token = value;
		return true;
	}
	/* An empty value is what an empty field of a GET form sends: none. */
	if (value[0] == '\0' && (filter_index(key) >= 0 || bit_of(key) != 0))
		return true;
	if ((sv = filter_of(a, key, value)) != NULL) {
		mark(a, KG_ARG_FILTER, filter_keys[filter_index(key)]);
		if (a->bad[0] == '\0' && kg_strv_push(sv, value, (size_t)-1) < 0)
			snprintf(a->bad, sizeof(a->bad), "out of memory");
		return true;
	}
	if ((bit = bit_of(key)) == 0) {
		snprintf(a->bad, sizeof(a->bad), "unknown parameter '%.*s'", quoted(key), key);
		return false;
	}
	mark(a, bit, NULL);
	switch (bit) {
	case KG_ARG_VIEW:
		if ((w = word(a, key, value, views, 2, "event or todo")) >= 0)
			a->view = w == 1 ? KG_FEED_TODOS : KG_FEED_EVENTS;
		break;
	case KG_ARG_SPAN:
		if ((w = word(a, key, value, spans, 2, "deadline or window")) >= 0)
			a->span = w == 1 ? KG_SPAN_WINDOW : KG_SPAN_DEADLINE;
		break;
	case KG_ARG_GROUP:
		if ((w = word(a, key, value, groups, 2, "measure or owner")) >= 0)
			a->group = w == 1 ? KG_GROUP_OWNER : KG_GROUP_MEASURE;
		break;
	case KG_ARG_DAYS:
		number_arg(a, key, value, 0, KG_ARGS_DAYS_MAX, &a->days);
		break;
	case KG_ARG_PAGE:
		number_arg(a, key, value, 1, KG_ARGS_PAGE_MAX, &l);
		a->page = l;
		break;
	case KG_ARG_AS_OF:
		date_arg(a, key, value, &a->as_of);
		break;
	case KG_ARG_FROM:
		date_arg(a, key, value, &a->from);
		break;
	case KG_ARG_TO:
		date_arg(a, key, value, &a->to);
		break;
	case KG_ARG_Q:
		if (strlen(value) > KG_ARGS_Q_MAX)
			snprintf(a->bad, sizeof(a->bad), "q is too long (at most %d bytes)",
			    KG_ARGS_Q_MAX);
		else if (a->q == NULL && (a->q = strdup(value)) == NULL)
			snprintf(a->bad, sizeof(a->bad), "out of memory");
		break;
	}
	return true;
}

static int
by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* "name=v1\x1fv2\n": sv's values sorted, each once. */
static int
canonical_list(FILE *f, const char *name, const struct kg_strv *sv)
{
	char **v;
	size_t i;
	int rc = 0;

	if (sv->n == 0)
		return 0;
	if ((v = malloc(sv->n * sizeof(*v))) == NULL)
		return -1;
	memcpy(v, sv->v, sv->n * sizeof(*v));
	qsort(v, sv->n, sizeof(*v), by_string);
	fprintf(f, "%s=", name);
	for (i = 0; i < sv->n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			fprintf(f, "%s%s", i > 0 ? "\x1f" : "", v[i]);
	if (fputc('\n', f) < 0)
		rc = -1;
	free(v);
	return rc;
}

char *
kg_args_canonical(const struct kg_args *a, size_t *len)
{
	char *buf = NULL;
	FILE *f;

	*len = 0;
	if ((f = open_memstream(&buf, len)) == NULL)
		return NULL;
	canonical_list(f, "owner", &a->filter.owners);
	canonical_list(f, "kind", &a->filter.kinds);
	canonical_list(f, "status", &a->filter.statuses);
	canonical_list(f, "measure", &a->filter.measures);
	if (a->given & KG_ARG_VIEW)
		fprintf(f, "view=%d\n", (int)a->view);
	if (a->given & KG_ARG_SPAN)
		fprintf(f, "span=%d\n", (int)a->span);
	if (a->given & KG_ARG_DAYS)
		fprintf(f, "days=%ld\n", a->days);
	if (a->given & KG_ARG_AS_OF)
		fprintf(f, "as_of=%d\n", (int)a->as_of);
	if (a->given & KG_ARG_Q)
		fprintf(f, "q=%s\n", a->q != NULL ? a->q : "");
	if (a->given & KG_ARG_FROM)
		fprintf(f, "from=%d\n", (int)a->from);
	if (a->given & KG_ARG_TO)
		fprintf(f, "to=%d\n", (int)a->to);
	if (a->given & KG_ARG_GROUP)
		fprintf(f, "group=%d\n", (int)a->group);
	if (a->given & KG_ARG_PAGE)
		fprintf(f, "page=%ld\n", a->page);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool
kg_args_only(struct kg_args *a, unsigned allowed)
{
	static const char *const names[KG_ARG_COUNT_] = {
		NULL, "view", "span", "days", "as_of", "q", "from", "to", "group", "page",
	};
	unsigned extra = a->given & ~allowed;
	int i;

	if (extra == 0)
		return true;
	i = bit_index(extra & -extra);
	snprintf(a->bad, sizeof(a->bad), "unknown parameter '%s'",
	    a->first[i] != NULL ? a->first[i] : names[i]);
	return false;
}

void
kg_args_clear(struct kg_args *a)
{
	kg_filter_clear(&a->filter);
	free(a->q);
	memset(a, 0, sizeof(*a));
}
