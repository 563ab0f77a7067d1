/*
 * status, reload — the two commands that talk to the running kigend, over
 * its control socket (lib/ctl.h, ctl_client.h), never over HTTP.  Where the
 * socket is: [control] socket, else beside the database ("<db>.sock"), so
 * `kigen --db X status` asks the daemon serving X.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "ctl_client.h"
#include "output.h"

/* Status is instant; a reload parses one file and swaps it in. */
#define STATUS_TIMEOUT_MS 5000
#define RELOAD_TIMEOUT_MS 15000

const char cmd_status_usage[] =
    "status\n\n"
    "Whether kigend runs on this database and, if so: version, uptime, listening\n"
    "addresses, next reminder due, pending and failed deliveries, watched\n"
    "sources (failing ones with their last error), last import (times in the\n"
    "configured time zone; --json gives them in UTC).\n"
    "Asks over the control socket ([control] socket, else the database path\n"
    "with .sock appended).  Exit status 1 when the daemon is not running.\n";

const char cmd_reload_usage[] =
    "reload\n\n"
    "Makes kigend reload its configuration, like SIGHUP, and reports whether it\n"
    "worked: a file with an error is rejected (FILE:LINE: message) and the\n"
    "configuration in force stays.\n";

static int
ask(struct cli *cli, const char *command, int timeout_ms, json_t **reply)
{
	char path[128];

	if (kg_ctl_socket_path(cli->conf.control_socket, cli->db_path, path, sizeof(path),
	    &cli->err) < 0)
		return CLI_FAIL;
	return cli_ctl_request(path, command, timeout_ms, cli->conf.control_user, reply,
	    &cli->err) < 0 ? CLI_FAIL : CLI_OK;
}

static const char *
field(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "?";
}

static void
print_uptime(FILE *out, json_int_t s)
{
	if (s >= 86400)
		fprintf(out, "%lldd %lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		fprintf(out, "%lldh %lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else if (s >= 60)
		fprintf(out, "%lldm %llds", (long long)(s / 60), (long long)(s % 60));
	else
		fprintf(out, "%llds", (long long)s);
}

/* A time of the daemon's answer (RFC 3339, UTC) in the configured zone:
 * "2008-11-24 09:00 Asia/Tokyo"; as given when it is not one. */
static const char *
local(char buf[64], const json_t *obj, const char *key, const struct kg_zone *zone)
{
	const char *s = field(obj, key);
	char day[24];
	int64_t t;

	if (kg_time_parse(s, &t) < 0)
		return s;
	out_local_time(day, t, zone);
	snprintf(buf, 64, "%s %s", day, kg_zone_name(zone));
	return buf;
}

static void
print_status(FILE *out, const json_t *st, const struct kg_zone *tz)
{
	char when[64];
	const json_t *listen = json_object_get(st, "listen"), *v;
	const json_t *rem = json_object_get(st, "reminders");
	const json_t *imp = json_object_get(st, "last_import");
	size_t i;

	fprintf(out, "kigend %s is running (pid %lld, up ", field(st, "version"),
	    (long long)json_integer_value(json_object_get(st, "pid")));
	print_uptime(out, json_integer_value(json_object_get(st, "uptime_s")));
	fprintf(out, ")\n  listening:     ");
	json_array_foreach(listen, i, v)
		fprintf(out, "%shttp://%s", i > 0 ? ", " : "", json_string_value(v));
	fprintf(out, "\n  database:      %s\n", field(st, "db"));
	fprintf(out, "  config:        %s\n",
	    json_is_string(json_object_get(st, "config")) ? field(st, "config") : "(built-in defaults)");
	if (json_is_object(rem)) {
		if (json_is_string(json_object_get(rem, "next")))
			fprintf(out, "  next reminder: %s (%lld planned within a day)\n",
			    local(when, rem, "next", tz),
			    (long long)json_integer_value(json_object_get(rem, "planned")));
		else
			fprintf(out, "  next reminder: none within a day\n");
		fprintf(out, "  deliveries:    %lld pending, %lld failed, %lld in flight\n",
		    (long long)json_integer_value(json_object_get(rem, "pending")),
		    (long long)json_integer_value(json_object_get(rem, "failed")),
		    (long long)json_integer_value(json_object_get(rem, "in_flight")));
	}
	json_array_foreach(json_object_get(st, "sources"), i, v) {
		fprintf(out, "  source %s: ", field(v, "name"));
		if (json_integer_value(json_object_get(v, "failures")) > 0)
			fprintf(out, "failing (%lld in a row: %s)", (long long)json_integer_value(
			    json_object_get(v, "failures")), field(v, "last_error"));
		else
			fprintf(out, "%s", field(v, "state"));
		if (json_is_string(json_object_get(v, "last_change")))
			fprintf(out, ", last new edition %s", local(when, v, "last_change", tz));
		if (json_is_string(json_object_get(v, "next_check")))
			fprintf(out, ", next look %s", local(when, v, "next_check", tz));
		fputc('\n', out);
	}
	if (json_is_object(imp))
		fprintf(out, "  last import:   %s (as of %s, imported %s)\n", field(imp, "document"),
		    field(imp, "as_of"), local(when, imp, "imported_at", tz));
	else
		fprintf(out, "  last import:   none\n");
}

int
cmd_status(struct cli *cli, int argc, char **argv)
{
	json_t *reply;
	int rc;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, "status takes no arguments");
	rc = ask(cli, "status", STATUS_TIMEOUT_MS, &reply);
	if (rc != CLI_OK)
		return rc;
	json_object_del(reply, "ok");
	if (cli->json) {
		json_object_set_new(reply, "running", json_true());
		out_json_flags(cli->out, json_incref(reply), JSON_INDENT(2) | JSON_SORT_KEYS);
	} else {
		print_status(cli->out, reply, cli->conf.zone);
	}
	json_decref(reply);
	return CLI_OK;
}

int
cmd_reload(struct cli *cli, int argc, char **argv)
{
	json_t *reply;
	int rc;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, "reload takes no arguments");
	rc = ask(cli, "reload", RELOAD_TIMEOUT_MS, &reply);
	if (rc != CLI_OK)
		return rc;
	json_decref(reply);
	if (cli->json)
		fprintf(cli->out, "{\"reloaded\": true}\n");
	else
		fprintf(cli->out, "configuration reloaded\n");
	return CLI_OK;
}
