/*
 * html — see html.h.  The formatter walks the format: literal runs are
 * written as they are (they come from the program), each conversion takes
 * its argument — %s escaped, a number through fprintf with just that
 * conversion — so the escaping cannot be bypassed by a format either.
 */
#include "html.h"

#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void
kg_html_init(struct kg_html *h, FILE *f)
{
	h->f = f;
	h->failed = false;
}

bool
kg_html_failed(const struct kg_html *h)
{
	return h->failed || ferror(h->f);
}

static void
put(struct kg_html *h, const char *s, size_t n)
{
	if (n > 0 && fwrite(s, 1, n, h->f) != n)
		h->failed = true;
}

void
kg_html_markup_(struct kg_html *h, const char *lit, size_t len)
{
	put(h, lit, len);
}

void
kg_html_text_n(struct kg_html *h, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *rep;

	if (s == NULL)
		return;
	for (i = 0; i < n && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			/* C0 controls and DEL mean nothing in a page: dropped. */
			rep = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? "" : NULL;
			break;
		}
		if (rep == NULL)
			continue;
		put(h, s + run, i - run);
		put(h, rep, strlen(rep));
		run = i + 1;
	}
	put(h, s + run, i - run);
}

void
kg_html_text(struct kg_html *h, const char *s)
{
	kg_html_text_n(h, s, SIZE_MAX);
}

void
kg_html_url_part(struct kg_html *h, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[3] = {'%', 0, 0};

	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			put(h, s, 1);
			continue;
		}
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		put(h, enc, 3);
	}
}

/* One conversion spec: "%", flags, width, precision, length, conversion. */
struct spec {
	char text[24];
	bool width_star, prec_star;
	int prec;            /* a precision written as digits; -1: none */
	int length;          /* 0, 'h' (hh or h), 'l', 'L' (ll), 'z', 'j', 't' */
	char conv;
};

/* Parses the spec at fmt (after '%'); returns the byte after it, or NULL
 * for a spec this formatter does not know. */
static const char *
spec_parse(const char *fmt, struct spec *sp)
{
	const char *p = fmt;
	size_t n;

	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	p += strspn(p, "-+ #0");
	if (*p == '*') {
		sp->width_star = true;
		p++;
	} else
		p += strspn(p, "0123456789");
	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp->prec_star = true;
			p++;
		} else {
			sp->prec = atoi(p);
			p += strspn(p, "0123456789");
		}
	}
	if (p[0] == 'h') {
		sp->length = 'h';
		p += p[1] == 'h' ? 2 : 1;
	} else if (p[0] == 'l' && p[1] == 'l') {
		sp->length = 'L';
		p += 2;
	} else if (*p == 'l' || *p == 'z' || *p == 'j' || *p == 't') {
		sp->length = *p++;
	}
	sp->conv = *p;
	if (sp->conv == '\0' || strchr("diuxXfFgGeEs%", sp->conv) == NULL)
		return NULL;
	n = (size_t)(p + 1 - fmt);
	if (n + 2 > sizeof(sp->text))
		return NULL;
	sp->text[0] = '%';
	memcpy(sp->text + 1, fmt, n);
	sp->text[n + 1] = '\0';
	return p + 1;
}

/* Writes one number conversion with its arguments through fprintf.  The
 * format is a spec spec_parse checked, cut from the caller's literal format
 * that gcc checked against the arguments: not a literal here, but not from
 * outside either. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
number(struct kg_html *h, const struct spec *sp, int width, int prec, va_list *ap)
{
	FILE *f = h->f;
	int rc;

#define PRINT(type) \
	do { \
		type v_ = va_arg(*ap, type); \
		if (sp->width_star && sp->prec_star) \
			rc = fprintf(f, sp->text, width, prec, v_); \
		else if (sp->width_star || sp->prec_star) \
			rc = fprintf(f, sp->text, sp->width_star ? width : prec, v_); \
		else \
			rc = fprintf(f, sp->text, v_); \
	} while (0)

	if (strchr("fFgGeE", sp->conv) != NULL)
		PRINT(double);
	else if (strchr("di", sp->conv) != NULL) {
		switch (sp->length) {
		case 'l': PRINT(long); break;
		case 'L': PRINT(long long); break;
		case 'z': PRINT(ssize_t); break;
		case 'j': PRINT(intmax_t); break;
		case 't': PRINT(ptrdiff_t); break;
		default: PRINT(int); break;
		}
	} else {
		switch (sp->length) {
		case 'l': PRINT(unsigned long); break;
		case 'L': PRINT(unsigned long long); break;
		case 'z': PRINT(size_t); break;
		case 'j': PRINT(uintmax_t); break;
		case 't': PRINT(ptrdiff_t); break;
		default: PRINT(unsigned); break;
		}
	}
#undef PRINT
	if (rc < 0)
		h->failed = true;
}
#pragma GCC diagnostic pop

static void
vformat(struct kg_html *h, const char *fmt, va_list *ap)
{
	const char *p, *next;
	struct spec sp;
	int width, prec;

	while ((p = strchr(fmt, '%')) != NULL) {
		put(h, fmt, (size_t)(p - fmt));
		if ((next = spec_parse(p + 1, &sp)) == NULL) {
			/* gcc's format check keeps unknown specs out of the program. */
			h->failed = true;
			return;
		}
		width = sp.width_star ? va_arg(*ap, int) : 0;
		prec = sp.prec_star ? va_arg(*ap, int) : sp.prec;
		if (sp.conv == '%')
			put(h, "%", 1);
		else if (sp.conv == 's') {
			const char *s = va_arg(*ap, const char *);

			if (prec >= 0 && s != NULL)
				kg_html_text_n(h, s, kg_utf8_cut(s, strnlen(s, (size_t)prec)));
			else
				kg_html_text(h, s);
		} else
			number(h, &sp, width, prec, ap);
		fmt = next;
	}
	put(h, fmt, strlen(fmt));
}

void
kg_html_format_(struct kg_html *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(h, fmt, &ap);
	va_end(ap);
}

int
kg_html_buf_open(struct kg_html_buf *b)
{
	FILE *f;

	memset(b, 0, sizeof(*b));
	if ((f = open_memstream(&b->data, &b->len)) == NULL)
		return -1;
	kg_html_init(&b->h, f);
	return 0;
}

void
kg_html_append(struct kg_html *h, struct kg_html_buf *b)
{
	if (fflush(b->h.f) != 0)
		h->failed = true;
	if (kg_html_failed(&b->h))
		h->failed = true;
	put(h, b->data, b->len);
}

void
kg_html_buf_close(struct kg_html_buf *b)
{
	if (b->h.f != NULL)
		fclose(b->h.f);
	free(b->data);
	memset(b, 0, sizeof(*b));
}
