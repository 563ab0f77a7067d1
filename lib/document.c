/*
 * document — see document.h.
 */
#include "document.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "textio.h"

static bool
named_pdf(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && strcasecmp(name + n - 4, ".pdf") == 0;
}

int
kg_document_parse(const char *bytes, size_t len, const struct kg_report_opts *o,
    kg_pdf_convert_fn *convert, void *arg, struct kg_import *out, struct kg_err *err)
{
	struct kg_report_opts text_opts = *o;
	char *text = NULL;
	size_t tlen = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!kg_text_is_pdf(bytes, len)) {
		if (named_pdf(o->name))
			return kg_err_set(err, "not a PDF (no %%PDF- header) although named .pdf");
		return kg_report_parse(bytes, len, o, out, err);
	}
	if (convert(arg, bytes, len, &text, &tlen, err) < 0)
		return -1;
	text_opts.encoding = "utf-8";
	text_opts.original = bytes;
	text_opts.original_len = len;
	rc = kg_report_parse(text, tlen, &text_opts, out, err);
	free(text);
	return rc;
}

char *
kg_document_url_name(const char *url)
{
	const char *p = strstr(url, "://"), *end, *seg;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "?#");
	for (seg = end; seg > p && seg[-1] != '/'; seg--)
		;
	if (seg == p || seg == end) /* no path, or it ends in '/' */
		return strndup(p, strcspn(p, "/?#"));
	return strndup(seg, (size_t)(end - seg));
}
