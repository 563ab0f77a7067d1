/*
 * redact — see redact.h.  Decoding is libmicrohttpd's MHD_http_unescape
 * (in place, length-counted, so a decoded NUL is kept and escaped).
 */
#include "redact.h"

#include <microhttpd.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

#define REDACT_WORK 2048   /* longer text is cut: logs need no more */
#define REDACT_ROUNDS 4    /* decodings of a doubly (triply…) encoded text */
#define MASK "***"

/* One decoding of buf[0..len) (buf[len] is a NUL) in place; the new
 * length.  MHD_http_unescape stops at a NUL, which an earlier round may
 * have decoded: each NUL-separated piece is decoded on its own. */
static size_t
decode_once(char *buf, size_t len)
{
	size_t r = 0, w = 0, piece;

	while (r <= len) {
		piece = strlen(buf + r);
		memmove(buf + w, buf + r, piece + 1);
		w += MHD_http_unescape(buf + w);
		r += piece;
		if (r < len)
			buf[w++] = '\0';
		r++;
	}
	buf[w] = '\0';
	return w;
}

/* Decodes buf (len bytes, NUL after) until it no longer changes. */
static size_t
decode(char *buf, size_t len)
{
	size_t n;
	int round;

	for (round = 0; round < REDACT_ROUNDS; round++) {
		n = decode_once(buf, len);
		if (n == len)
			break;
		len = n;
	}
	return len;
}

static bool
is_end(char c, const char *ends)
{
	return c == '\0' || strchr(ends, c) != NULL;
}

/* Marks mask[from..) up to a byte of ends (or len). */
static size_t
mark(const char *s, size_t len, size_t from, const char *ends, bool *mask)
{
	size_t i;

	for (i = from; i < len && !is_end(s[i], ends); i++)
		mask[i] = true;
	return i;
}

/* The two rules of redact.h over s[0..len). */
static void
find_tokens(const char *s, size_t len, bool *mask)
{
	size_t i, j;

	for (i = 0; i < len; i++) {
		/* A segment "t": between slashes, or a slash and the end. */
		if (s[i] == '/' && i + 1 < len && (s[i + 1] == 't' || s[i + 1] == 'T') &&
		    (i + 2 == len || s[i + 2] == '/')) {
			for (j = i + 2; j < len && s[j] == '/'; j++)
				;
			mark(s, len, j, "/?#&;", mask);
		}
		if (len - i >= 6 && strncasecmp(s + i, "token=", 6) == 0)
			mark(s, len, i + 6, "&;# \t", mask);
	}
}

char *
kg_redact(const char *in, char *out, size_t size)
{
	char work[REDACT_WORK + 1];
	bool mask[REDACT_WORK];
	size_t len = strnlen(in, REDACT_WORK), i, o = 0;

	if (size == 0)
		return out;
	memcpy(work, in, len);
	work[len] = '\0';
	len = decode(work, len);
	memset(mask, 0, len * sizeof(*mask));
	find_tokens(work, len, mask);
	for (i = 0; i < len && o + 1 < size; i++) {
		unsigned char c = (unsigned char)work[i];
		char piece[8];
		size_t n;

		if (mask[i]) {
			if (i > 0 && mask[i - 1])
				continue;
			memcpy(piece, MASK, n = sizeof(MASK) - 1);
		} else if (c < 0x20 || c == 0x7f) {
			n = (size_t)kg_snprintf(piece, sizeof(piece), "\\x%02x", c);
		} else {
			piece[0] = (char)c;
			n = 1;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, piece, n);
		o += n;
	}
	o = kg_utf8_cut(out, o);
	out[o] = '\0';
	return out;
}
