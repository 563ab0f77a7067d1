/*
 * webhook — see webhook.h.  JSON through jansson, the milestone and measure
 * in the export shape (export.h) so a webhook, `kigen export` and the HTTP
 * API never disagree; HMAC-SHA256 and base64 from nettle, random bytes
 * from lib/hash.
 */
#include "webhook.h"

#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "hash.h"
#include "utf8.h"

#define SECRET_PREFIX "whsec_"
/* base64 of KG_WEBHOOK_KEY_MAX bytes is 88 characters. */
#define SECRET_B64_MAX 88

/* Steals data.  Returns the serialized envelope or NULL. */
static char *
envelope(const char *type, int64_t timestamp, json_t *data)
{
	char ts[KG_TIME_LEN];
	json_t *root;
	char *text = NULL;

	root = json_pack("{s:s, s:s, s:o}", "type", type, "timestamp",
	    kg_time_format(timestamp, ts), "data", data);
	if (root != NULL)
		text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return text;
}

static char *
slack_body(const char *text)
{
	json_t *root = json_pack("{s:s}", "text", text);
	char *out = root ? json_dumps(root, JSON_COMPACT) : NULL;

	json_decref(root);
	return out;
}

/* Appends printf output to a bounded buffer; silently truncates. */
static void
append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;

	if (*len >= size - 1)
		return;
	va_start(ap, fmt);
	*len += kg_vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
}

/* s with Slack's three control characters escaped (&amp; &lt; &gt;), into
 * buf (cut at a character boundary).  Returns buf. */
static const char *
slack_escape(const char *s, char *buf, size_t size)
{
	size_t len = 0, n;
	const char *rep;
	char one[2] = {0, 0};

	for (; *s != '\0'; s++) {
		rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
		    (one[0] = *s, one);
		n = strlen(rep);
		if (len + n >= size)
			break;
		memcpy(buf + len, rep, n);
		len += n;
	}
	buf[kg_utf8_cut(buf, len)] = '\0';
	return buf;
}

/* The chat line: 「…」の期限まで7日 (2008-12-01), then measure, owners, feed;
 * the title links to the milestone's page. */
static char *
slack_reminder(const struct kg_reminder *r)
{
	const struct kg_milestone *m = r->milestone;
	const char *title = m->title ? m->title : m->measure_title ? m->measure_title : "?";
	char text[4096], due[KG_DATE_LEN], esc[1024], shown[1200];
	size_t len = 0, i;

	kg_date_format(m->window_end, due);
	slack_escape(title, esc, sizeof(esc));
	if (r->url != NULL && r->url[0] != '\0')
		kg_snprintf(shown, sizeof(shown), "<%s|%s>", r->url, esc);
	else
		kg_snprintf(shown, sizeof(shown), "%s", esc);
	if (r->days_left > 0)
		append(text, sizeof(text), &len, "「%s」の期限まで%d日 (%s)", shown,
		    r->days_left, due);
	else if (r->days_left == 0)
		append(text, sizeof(text), &len, "「%s」の期限は今日です (%s)", shown, due);
	else
		append(text, sizeof(text), &len, "「%s」の期限を%d日過ぎています (%s)", shown,
		    -r->days_left, due);
	if (r->late)
		append(text, sizeof(text), &len, "（遅れて送信）");
	if (m->conflict)
		append(text, sizeof(text), &len, "\n※ 報告書と手元の変更が食い違っています"
		    " (kigen conflicts)");
	if (m->measure_title)
		append(text, sizeof(text), &len, "\n施策: %s",
		    slack_escape(m->measure_title, esc, sizeof(esc)));
	for (i = 0; i < m->owners.n; i++)
		append(text, sizeof(text), &len, "%s%s", i ? "、" : "\n担当: ",
		    slack_escape(m->owners.v[i], esc, sizeof(esc)));
	if (r->feed_url)
		append(text, sizeof(text), &len, "\n%s", r->feed_url);
	return slack_body(text);
}

char *
kg_webhook_body(enum kg_webhook_format fmt, const struct kg_reminder *r, struct kg_err *err)
{
	char sched[KG_TIME_LEN];
	json_t *data;
	char *text;

	if (fmt == KG_WEBHOOK_SLACK) {
		text = slack_reminder(r);
		goto out;
	}
	data = json_pack("{s:o, s:o, s:i, s:i, s:b, s:b, s:s, s:s?, s:s?}",
	    "milestone", kg_milestone_json(r->milestone),
	    "measure", r->measure ? kg_measure_json(r->measure) : json_null(),
	    "lead_days", r->lead_days,
	    "days_left", r->days_left,
	    "late", r->late,
	    "conflict", r->milestone->conflict,
	    "scheduled_at", kg_time_format(r->scheduled_at, sched),
	    "feed_url", r->feed_url,
	    "url", r->url);
	text = data ? envelope(r->lead_days >= 0 ? "milestone.reminder" : "milestone.overdue",
	    r->timestamp, data) : NULL;
out:
	if (text == NULL)
		kg_err_set(err, "out of memory building a webhook body");
	return text;
}

void
kg_webhook_changes(const struct kg_milestone *a, const struct kg_milestone *b, char *out,
    size_t size)
{
	size_t len = 0;
	const struct { bool differs; const char *name; } fields[] = {
		{(a->title == NULL) != (b->title == NULL) ||
		    (a->title != NULL && strcmp(a->title, b->title) != 0), "title"},
		{a->kind != b->kind, "kind"},
		{a->status != b->status, "status"},
		{a->certainty != b->certainty, "certainty"},
		{a->window_start != b->window_start || a->window_end != b->window_end ||
		    a->precision != b->precision, "window"},
		{a->gone != b->gone, "gone"},
	};
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].differs)
			append(out, size, &len, "%s%s", len ? "," : "", fields[i].name);
}

/* 「…」: 期限 2008-12-01 → 2009-01-15、planned → done (source, edition) */
static char *
slack_change(const struct kg_change_event *e)
{
	const struct kg_milestone *m = e->milestone, *p = e->previous;
	const char *title = m->title ? m->title : m->measure_title ? m->measure_title : "?";
	char text[4096], a[KG_DATE_LEN], b[KG_DATE_LEN], as_of[KG_DATE_LEN];
	size_t len = 0;

	kg_date_format(e->document->as_of, as_of);
	if (strcmp(e->type, KG_EVENT_GONE) == 0) {
		append(text, sizeof(text), &len, "「%s」は最新の報告（%s、%s現在）に載っていません",
		    title, e->document->name ? e->document->name : "?", as_of);
	} else {
		append(text, sizeof(text), &len, "「%s」が変わりました", title);
		if (p->window_end != m->window_end)
			append(text, sizeof(text), &len, "：期限 %s → %s",
			    p->window_end == KG_DAY_NONE ? "なし" : kg_date_format(p->window_end, a),
			    m->window_end == KG_DAY_NONE ? "なし" : kg_date_format(m->window_end, b));
		if (p->status != m->status)
			append(text, sizeof(text), &len, "：%s → %s", kg_status_name(p->status),
			    kg_status_name(m->status));
		append(text, sizeof(text), &len, "（%s、%s現在）",
		    e->document->name ? e->document->name : "?", as_of);
	}
	append(text, sizeof(text), &len, "\nsource: %s", e->source);
	if (e->feed_url)
		append(text, sizeof(text), &len, "\n%s", e->feed_url);
	return slack_body(text);
}

char *
kg_webhook_change_body(enum kg_webhook_format fmt, const struct kg_change_event *e,
    struct kg_err *err)
{
	char changes[128], *item, *save = NULL;
	json_t *data, *list;
	char *text = NULL;

	if (fmt == KG_WEBHOOK_SLACK) {
		text = slack_change(e);
		goto out;
	}
	kg_webhook_changes(e->previous, e->milestone, changes, sizeof(changes));
	if ((list = json_array()) == NULL)
		goto out;
	for (item = strtok_r(changes, ",", &save); item; item = strtok_r(NULL, ",", &save))
		json_array_append_new(list, json_string(item));
	data = json_pack("{s:o, s:o, s:o, s:s, s:o, s:s?}",
	    "milestone", kg_milestone_json(e->milestone),
	    "previous", kg_milestone_json(e->previous),
	    "changes", list,
	    "source", e->source,
	    "document", kg_document_json(e->document),
	    "feed_url", e->feed_url);
	text = data ? envelope(e->type, e->timestamp, data) : NULL;
out:
	if (text == NULL)
		kg_err_set(err, "out of memory building a webhook body");
	return text;
}

char *
kg_webhook_test_body(enum kg_webhook_format fmt, const char *name, int64_t now,
    struct kg_err *err)
{
	char line[512];
	json_t *data;
	char *text;

	if (fmt == KG_WEBHOOK_SLACK) {
		kg_snprintf(line, sizeof(line), "kigen: webhook「%s」のテスト送信です", name);
		text = slack_body(line);
	} else {
		data = json_pack("{s:s, s:s}", "endpoint", name, "message", "kigen webhook test");
		text = data ? envelope("webhook.test", now, data) : NULL;
	}
	if (text == NULL)
		kg_err_set(err, "out of memory building a webhook body");
	return text;
}

int
kg_webhook_new_id(char out[KG_WEBHOOK_ID_MAX], struct kg_err *err)
{
	memcpy(out, "msg_", 4);
	if (kg_random_hex(out + 4) < 0)
		return kg_err_set(err, "cannot draw random bytes for a webhook id");
	return 0;
}

int
kg_webhook_secret_decode(const char *secret, unsigned char key[KG_WEBHOOK_KEY_MAX],
    size_t *keylen, struct kg_err *err)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
	unsigned char buf[BASE64_DECODE_LENGTH(SECRET_B64_MAX)];
	struct base64_decode_ctx ctx;
	size_t len, n = sizeof(buf);
	int ok;

	if (secret == NULL)
		return kg_err_set(err, "invalid webhook secret (missing)");
	if (strncmp(secret, SECRET_PREFIX, strlen(SECRET_PREFIX)) == 0)
		secret += strlen(SECRET_PREFIX);
	len = strlen(secret);
	if (len == 0 || len % 4 != 0 || len > SECRET_B64_MAX)
		return kg_err_set(err, "invalid webhook secret (expected whsec_ and base64 of "
		    "%d..%d bytes)", KG_WEBHOOK_KEY_MIN, KG_WEBHOOK_KEY_MAX);
	/* nettle skips white space; a secret has none */
	base64_decode_init(&ctx);
	ok = strspn(secret, alphabet) == len &&
	    base64_decode_update(&ctx, &n, buf, len, secret) && base64_decode_final(&ctx);
	if (!ok) {
		explicit_bzero(buf, sizeof(buf));
		return kg_err_set(err, "invalid webhook secret (not base64)");
	}
	*keylen = n;
	if (*keylen < KG_WEBHOOK_KEY_MIN || *keylen > KG_WEBHOOK_KEY_MAX) {
		explicit_bzero(buf, sizeof(buf));
		return kg_err_set(err, "invalid webhook secret (key is %zu bytes, expected %d..%d)",
		    *keylen, KG_WEBHOOK_KEY_MIN, KG_WEBHOOK_KEY_MAX);
	}
	memcpy(key, buf, *keylen);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

int
kg_webhook_sign(const char *secret, const char *id, int64_t timestamp,
    const char *body, size_t body_len, char out[KG_WEBHOOK_SIG_MAX], struct kg_err *err)
{
	unsigned char key[KG_WEBHOOK_KEY_MAX], mac[SHA256_DIGEST_SIZE];
	char prefix[KG_WEBHOOK_ID_MAX + 32];
	struct hmac_sha256_ctx ctx;
	size_t keylen;
	int plen, rc = -1;

	if (kg_webhook_secret_decode(secret, key, &keylen, err) < 0)
		return -1;
	plen = snprintf(prefix, sizeof(prefix), "%s.%lld.", id, (long long)timestamp);
	if (plen < 0 || (size_t)plen >= sizeof(prefix)) {
		kg_err_set(err, "invalid webhook id '%s' (too long)", id);
		goto out;
	}
	hmac_sha256_set_key(&ctx, keylen, key);
	hmac_sha256_update(&ctx, (size_t)plen, (const uint8_t *)prefix);
	hmac_sha256_update(&ctx, body_len, (const uint8_t *)body);
	hmac_sha256_digest(&ctx, sizeof(mac), mac);
	memcpy(out, "v1,", 3);
	base64_encode_raw(out + 3, sizeof(mac), mac);
	out[3 + BASE64_ENCODE_RAW_LENGTH(sizeof(mac))] = '\0';
	rc = 0;
out:
	explicit_bzero(&ctx, sizeof(ctx));
	explicit_bzero(key, sizeof(key));
	return rc;
}

int64_t
kg_webhook_retry_delay(int attempts, int64_t retry_after_s, uint32_t random)
{
	static const int64_t schedule[] = {5, 300, 1800, 7200, 18000, 36000};
	size_t n = sizeof(schedule) / sizeof(schedule[0]);
	int64_t base, jitter, delay;

	if (attempts < 1)
		attempts = 1;
	base = (size_t)attempts <= n ? schedule[attempts - 1] : schedule[n - 1];
	/* jitter in -1000..1000 ten-thousandths: +/-10% of base, rounded. */
	jitter = (int64_t)(random % 2001) - 1000;
	delay = base + (base * jitter + 5000) / 10000;
	if (delay < 1)
		delay = 1;
	return retry_after_s > delay ? retry_after_s : delay;
}
