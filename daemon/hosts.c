/*
 * hosts — see hosts.h.  base_url's host comes from libcurl's URL parser,
 * the one the rest of kigen trusts with URLs.
 */
#include "hosts.h"

#include <ctype.h>
#include <curl/curl.h>
#include <string.h>

#define HOST_MAX 256

/* Adds host (bracketed when it is an IPv6 address), lowercase, once. */
static int
add_host(struct kg_strv *out, const char *host)
{
	char buf[HOST_MAX + 2];
	size_t i, n = strlen(host), o = 0;

	if (n == 0 || n >= HOST_MAX)
		return 0; /* nothing a Host header could name */
	if (strchr(host, ':') != NULL && host[0] != '[')
		buf[o++] = '[';
	for (i = 0; i < n; i++)
		buf[o++] = (char)tolower((unsigned char)host[i]);
	if (buf[0] == '[' && host[0] != '[')
		buf[o++] = ']';
	buf[o] = '\0';
	if (kg_strv_contains(out, buf))
		return 0;
	return kg_strv_push(out, buf, o);
}

/* Adds the host of url (nothing when it has none or does not parse). */
static int
add_url_host(struct kg_strv *out, const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	int rc = 0;

	if (u == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		rc = add_host(out, host);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

int
kg_hosts_from_conf(const struct kg_conf *c, struct kg_strv *out, struct kg_err *err)
{
	char host[HOST_MAX];
	unsigned port;
	size_t i;

	kg_strv_clear(out);
	if (c->allowed_hosts.n > 0) {
		if (kg_strv_copy(out, &c->allowed_hosts) < 0)
			return kg_err_set(err, "out of memory");
		return 0;
	}
	for (i = 0; i < c->listen.n; i++)
		if (kg_listen_split(c->listen.v[i], host, sizeof(host), &port) == 0 &&
		    add_host(out, host) < 0)
			return kg_err_set(err, "out of memory");
	if (add_host(out, "localhost") < 0 ||
	    (c->base_url != NULL && add_url_host(out, c->base_url) < 0))
		return kg_err_set(err, "out of memory");
	return 0;
}

bool
kg_hosts_allow(const struct kg_strv *allowed, const char *host)
{
	char name[HOST_MAX];
	const char *end;
	size_t i, n;

	if (allowed->n == 1 && strcmp(allowed->v[0], "*") == 0)
		return true;
	if (host[0] == '[')
		end = strchr(host, ']') != NULL ? strchr(host, ']') + 1 : host + strlen(host);
	else
		end = strchr(host, ':') != NULL ? strchr(host, ':') : host + strlen(host);
	if (*end != '\0' && (*end != ':' || strspn(end + 1, "0123456789") != strlen(end + 1)))
		return false; /* junk after the host */
	n = (size_t)(end - host);
	if (n > 0 && host[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(name))
		return false;
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)host[i]);
	name[n] = '\0';
	return kg_strv_contains(allowed, name);
}
