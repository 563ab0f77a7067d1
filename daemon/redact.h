/*
 * redact — a request target (or a libmicrohttpd message quoting one) as it
 * may go into the log: tokens hidden, control characters escaped.
 *
 * Tokens hide behind many spellings of the same request (`/t/TOKEN/…`,
 * `//t/TOKEN/`, `/t/TOKEN` at the end, `/t%2FTOKEN`, `?token=`,
 * `%3ftoken=`, `;TOKEN=`…).  So the text is percent-decoded first (again
 * while that changes it, a few rounds: a doubly encoded `%253f` too), and
 * then masked by what it says, not by where the router would look:
 *
 *   - the segment after any path segment "t" (any case; empty segments
 *     from doubled slashes skipped), up to the next / ? # & ; or the end;
 *   - the value after any "token=" (any case, anywhere), up to & ; # or
 *     white space or the end.
 *
 * A masked value becomes "***".  Bytes below 0x20 and 0x7f are written as
 * \xNN, so a request cannot forge log lines.  Pure.
 */
#ifndef KG_REDACT_H
#define KG_REDACT_H

#include <stddef.h>

/* Writes the redacted form of in into out[size] (always NUL-terminated,
 * cut at a character boundary when too long).  Returns out. */
char *kg_redact(const char *in, char *out, size_t size);

#endif
