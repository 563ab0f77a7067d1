/* err — see err.h.  A message that does not fit is cut at a character
 * boundary (lib/utf8.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "utf8.h"

int
kg_err_set(struct kg_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	kg_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
kg_err_prefix(struct kg_err *err, const char *fmt, ...)
{
	char prefix[KG_ERR_MAX], old[KG_ERR_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	kg_vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	kg_snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return -1;
}
