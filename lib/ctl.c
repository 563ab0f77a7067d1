/*
 * ctl — see ctl.h.
 */
#include "ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

int
kg_ctl_socket_path(const char *configured, const char *db_path, char *buf,
    size_t size, struct kg_err *err)
{
	struct sockaddr_un sa;
	size_t max = sizeof(sa.sun_path) - 1;
	int n;

	if (configured != NULL && configured[0] != '\0')
		n = snprintf(buf, size, "%s", configured);
	else if (db_path != NULL && db_path[0] != '\0')
		n = snprintf(buf, size, "%s.sock", db_path);
	else
		return kg_err_set(err, "no control socket: neither [control] socket nor a database path is set");
	if (n < 0 || (size_t)n >= size || (size_t)n > max)
		return kg_err_set(err, "control socket path '%s%s' too long (max %zu bytes); set [control] socket",
		    configured != NULL && configured[0] != '\0' ? configured : db_path,
		    configured != NULL && configured[0] != '\0' ? "" : ".sock", max);
	return 0;
}

int
kg_ctl_answer_parse(const char *text, const char *socket_path, json_t **reply,
    struct kg_err *err)
{
	json_error_t jerr;
	json_t *obj, *ok;
	const char *msg;

	*reply = NULL;
	obj = json_loads(text, JSON_DISABLE_EOF_CHECK, &jerr);
	if (obj == NULL || !json_is_object(obj)) {
		kg_err_set(err, "malformed answer on '%s': %s", socket_path,
		    obj == NULL ? jerr.text : "not a JSON object");
		json_decref(obj);
		return -1;
	}
	ok = json_object_get(obj, "ok");
	if (!json_is_true(ok)) {
		msg = json_string_value(json_object_get(obj, "error"));
		kg_err_set(err, "%s", msg != NULL ? msg : "kigend refused the request");
		json_decref(obj);
		return -1;
	}
	*reply = obj;
	return 0;
}

char *
kg_ctl_answer_encode(const json_t *answer, size_t *len)
{
	char *text = answer != NULL ? json_dumps(answer, JSON_COMPACT) : NULL;

	if (text == NULL)
		return NULL;
	*len = strlen(text) + 1;
	text[*len - 1] = '\n'; /* the terminating NUL becomes the line end */
	return text;
}
