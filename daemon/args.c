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

bool
kg_args_add(struct kg_args *a, const char *key, const char *value)
{
	struct kg_strv *sv = NULL;
	char *end;

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
	if (strcmp(key, "view") == 0) {
		if (strcmp(value, "todo") == 0)
			a->view = KG_FEED_TODOS;
		else if (strcmp(value, "event") == 0)
			a->view = KG_FEED_EVENTS;
		else
			snprintf(a->bad, sizeof(a->bad), "invalid view '%.*s' (event or todo)",
			    quoted(value), value);
		return true;
	}
	if (strcmp(key, "days") == 0) {
		a->days = strtol(value, &end, 10);
		a->has_days = true;
		if (end == value || *end != '\0' || a->days < 0 || a->days > KG_ARGS_DAYS_MAX)
			snprintf(a->bad, sizeof(a->bad), "invalid days '%.*s' (0..%d)", quoted(value), value,
			    KG_ARGS_DAYS_MAX);
		return true;
	}
	if (strcmp(key, "owner") == 0)
		sv = &a->filter.owners;
	else if (strcmp(key, "kind") == 0) {
		sv = &a->filter.kinds;
		if (kg_kind_parse(value) < 0)
			snprintf(a->bad, sizeof(a->bad), "invalid kind '%.*s'", quoted(value), value);
	} else if (strcmp(key, "status") == 0) {
		sv = &a->filter.statuses;
		if (kg_status_parse(value) < 0)
			snprintf(a->bad, sizeof(a->bad), "invalid status '%.*s'", quoted(value), value);
	} else if (strcmp(key, "measure") == 0) {
		sv = &a->filter.measures;
		if (strtoll(value, &end, 10) <= 0 || *end != '\0')
			snprintf(a->bad, sizeof(a->bad), "invalid measure '%.*s'", quoted(value), value);
	} else {
		snprintf(a->bad, sizeof(a->bad), "unknown parameter '%.*s'", quoted(key), key);
		return false;
	}
	if (a->bad[0] == '\0' && kg_strv_push(sv, value, (size_t)-1) < 0)
		snprintf(a->bad, sizeof(a->bad), "out of memory");
	a->has_filter = true;
	return true;
}

void
kg_args_clear(struct kg_args *a)
{
	kg_filter_clear(&a->filter);
	memset(a, 0, sizeof(*a));
}
