/*
 * hosts — see hosts.h.  base_url's host comes from libcurl's URL parser,
 * the one the rest of kigen trusts with URLs.
 */
#include "hosts.h"

#include <ctype.h>
#include <curl/curl.h>
#include <string.h>

#define HOST_MAX 256

/* host as the list keeps it: lowercase, without a trailing dot, an IPv6
 * address in brackets; false when it could name nothing. */
static bool
host_key(const char *host, char key[HOST_MAX + 2])
{
	size_t i, n = strlen(host), o = 0;

	if (n > 0 && host[n - 1] == '.')
		n--;
	if (n == 0 || n >= HOST_MAX)
		return false;
	if (memchr(host, ':', n) != NULL && host[0] != '[')
		key[o++] = '[';
	for (i = 0; i < n; i++)
		key[o++] = (char)tolower((unsigned char)host[i]);
	if (key[0] == '[' && host[0] != '[')
		key[o++] = ']';
	key[o] = '\0';
	return true;
}

/* Adds host (a name or address, brackets optional) once. */
static int
add_host(struct kg_strv *out, const char *host)
{
	char key[HOST_MAX + 2];

	if (!host_key(host, key) || kg_strv_contains(out, key))
		return 0;
	return kg_strv_push(out, key, strlen(key));
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
	char name[HOST_MAX], key[HOST_MAX + 2];
	int port;

	if (allowed->n == 1 && strcmp(allowed->v[0], "*") == 0)
		return true;
	return kg_host_port_split(host, name, sizeof(name), &port) == 0 &&
	    host_key(name, key) && kg_strv_contains(allowed, key);
}
