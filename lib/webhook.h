/*
 * webhook — what a reminder webhook says and how it is signed (pure: no
 * network; the only outside input is the kernel's random generator for ids).
 *
 * Messages follow the Standard Webhooks specification: a JSON envelope
 * {"type", "timestamp", "data"} (or, for format = slack, {"text"} readable
 * in a chat), headers webhook-id / webhook-timestamp / webhook-signature,
 * and signature "v1," + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))
 * where key is the base64-decoded secret after its "whsec_" prefix.  The id
 * is minted once per message and kept across retries so receivers can
 * dedupe; the timestamp is the time of each attempt.
 */
#ifndef KG_WEBHOOK_H
#define KG_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "err.h"
#include "model.h"

#define KG_WEBHOOK_ID_MAX 40   /* "msg_" + 32 hex + NUL */
#define KG_WEBHOOK_SIG_MAX 64  /* "v1," + 44 base64 + NUL */
#define KG_WEBHOOK_KEY_MIN 24  /* secret length bounds, decoded bytes */
#define KG_WEBHOOK_KEY_MAX 64

/* What one reminder message is about.  Everything is borrowed. */
struct kg_reminder {
	const struct kg_milestone *milestone; /* owners and measure_title filled */
	const struct kg_measure *measure;     /* NULL when not attached */
	int lead_days;          /* the offset: > 0 before, 0 on, < 0 after the deadline */
	int days_left;          /* deadline - today when the message was made */
	bool late;              /* sent after downtime (catch-up), not at its time */
	int64_t scheduled_at;   /* when it was meant to fire, unix seconds */
	int64_t timestamp;      /* when the event was raised, unix seconds */
	const char *feed_url;   /* NULL: JSON null */
	const char *url;        /* the milestone's page; NULL: JSON null */
};

/*
 * The body of a reminder: for KG_WEBHOOK_JSON the envelope
 * {"type": "milestone.reminder"|"milestone.overdue", "timestamp": RFC 3339,
 *  "data": {milestone (export shape), measure (export shape or null),
 *  lead_days, days_left, late, scheduled_at, feed_url, url}};
 * for KG_WEBHOOK_SLACK {"text": "「…」の期限まで7日 (2008-12-01)…"}, the
 * title a link to url when there is one (<url|title>), and &, <, > of
 * every text escaped as Slack's mrkdwn wants, so a title cannot mention
 * @channel or forge a link.
 * Returns a new string the caller frees, or NULL with err set.
 */
char *kg_webhook_body(enum kg_webhook_format fmt, const struct kg_reminder *r,
    struct kg_err *err);

/* What one milestone.changed or milestone.gone message is about: a watched
 * source brought a new edition (daemon/source.h).  Everything is borrowed. */
struct kg_change_event {
	const char *type;                     /* KG_EVENT_CHANGED or KG_EVENT_GONE */
	const struct kg_milestone *milestone; /* as it stands now (owners and
	                                         measure_title filled) */
	const struct kg_milestone *previous;  /* as it stood before the edition */
	const char *source;                   /* [source:NAME] */
	const struct kg_document *document;   /* the edition that says so */
	int64_t timestamp;                    /* when the event was raised */
	const char *feed_url;                 /* NULL: JSON null */
};

/* The names of the fields that differ between a and b (title, kind,
 * status, certainty, window, gone), comma-separated into out.  Empty when
 * none does. */
void kg_webhook_changes(const struct kg_milestone *a, const struct kg_milestone *b,
    char *out, size_t size);

/*
 * The body of a change event: for KG_WEBHOOK_JSON the envelope
 * {"type": "milestone.changed"|"milestone.gone", "timestamp",
 *  "data": {milestone, previous (export shape), changes: ["window", ...],
 *  source, document (export shape), feed_url}};
 * for KG_WEBHOOK_SLACK a chat line.  New string, or NULL with err set.
 */
char *kg_webhook_change_body(enum kg_webhook_format fmt, const struct kg_change_event *e,
    struct kg_err *err);

/* The body of a "webhook.test" event for endpoint `name` raised at `now`. */
char *kg_webhook_test_body(enum kg_webhook_format fmt, const char *name, int64_t now,
    struct kg_err *err);

/* Writes a fresh random message id "msg_<32 hex>" into out.  -1 when the
 * random generator fails. */
int kg_webhook_new_id(char out[KG_WEBHOOK_ID_MAX], struct kg_err *err);

/*
 * Decodes a secret ("whsec_<base64>", the prefix optional as in the
 * reference libraries) into key (KG_WEBHOOK_KEY_MAX bytes) and *keylen.
 * -1 with "invalid webhook secret (...)" when it is not base64 or its key is
 * outside KG_WEBHOOK_KEY_MIN..KG_WEBHOOK_KEY_MAX bytes.  The message never
 * contains the secret.
 */
int kg_webhook_secret_decode(const char *secret, unsigned char key[KG_WEBHOOK_KEY_MAX],
    size_t *keylen, struct kg_err *err);

/* webhook-signature value "v1,<base64>" of id.timestamp.body into out. */
int kg_webhook_sign(const char *secret, const char *id, int64_t timestamp,
    const char *body, size_t body_len, char out[KG_WEBHOOK_SIG_MAX], struct kg_err *err);

/*
 * Seconds to wait before the next attempt after `attempts` failed ones
 * (1-based).  Base schedule as Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * then 10 h again; jitter of up to +/-10% from `random` (any uint32); never
 * sooner than a receiver's Retry-After (retry_after_s, 0 = none).
 */
int64_t kg_webhook_retry_delay(int attempts, int64_t retry_after_s, uint32_t random);

#endif
