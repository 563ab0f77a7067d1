/*
 * err — a caller-owned error context.
 *
 * Functions in lib/ never print.  A function that can fail takes a
 * `struct kg_err *` as its last argument, fills it with a one-line, lowercase
 * message that names the thing at fault and quotes the value, and returns -1
 * (or NULL).  The program's edge (cli main, daemon request handler) reports
 * the message once.  `err` may be NULL when the caller does not care.  A
 * message longer than KG_ERR_MAX - 1 bytes is cut at a character boundary.
 */
#ifndef KG_ERR_H
#define KG_ERR_H

#include <stddef.h>

#define KG_ERR_MAX 512

struct kg_err {
	char msg[KG_ERR_MAX];
};

/* Format a message into err (if not NULL).  Always returns -1 so callers can
 * write `return kg_err_set(err, "...")`. */
int kg_err_set(struct kg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the existing message with "<prefix>: " (e.g. a file name).  Returns -1. */
int kg_err_prefix(struct kg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
