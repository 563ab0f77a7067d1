/*
 * textio — see textio.h.  Decoding of report files: encoding detection,
 * conversion to UTF-8 with iconv (glibc), validation (kg_cp_at), and the
 * split into lines that keep their original numbers.
 */
#include "textio.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ustr.h"

enum enc { ENC_AUTO, ENC_UTF8, ENC_CP932, ENC_EUCJP };

static const struct {
	const char *name;
	enum enc enc;
} enc_names[] = {
	{"auto", ENC_AUTO},
	{"utf-8", ENC_UTF8}, {"utf8", ENC_UTF8},
	{"cp932", ENC_CP932}, {"shift_jis", ENC_CP932}, {"shift-jis", ENC_CP932},
	{"sjis", ENC_CP932}, {"windows-31j", ENC_CP932},
	{"euc-jp", ENC_EUCJP}, {"eucjp", ENC_EUCJP}, {"euc-jp-ms", ENC_EUCJP},
};

/* iconv names and the names kigen reports. */
static const char *const iconv_name[] = {
	[ENC_CP932] = "CP932", [ENC_EUCJP] = "EUC-JP-MS",
};
static const char *const enc_label[] = {
	[ENC_UTF8] = "utf-8", [ENC_CP932] = "cp932", [ENC_EUCJP] = "euc-jp-ms",
};

/* Offset of the first invalid UTF-8 sequence in s[0..len), or len. */
static size_t
utf8_invalid_at(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (kg_cp_at(s, len, i, &n) < 0)
			return i;
		i += n;
	}
	return len;
}

/*
 * Converts s[0..len) from the iconv encoding `from` to UTF-8 into a new
 * NUL-terminated buffer.  Returns 0, 1 with *bad_at set when the input is
 * invalid (or cut short) at that byte, or -1 with a message on a system error.
 */
static int
iconv_to_utf8(const char *from, const char *s, size_t len, char **out,
	size_t *outlen, size_t *bad_at, struct kg_err *err)
{
	iconv_t cd;
	char *buf, *in = (char *)s, *o;
	size_t cap = len * 3 + 16, inleft = len, oleft, r;
	int rc = 0;

	*out = NULL;
	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return kg_err_set(err, "cannot convert from %s: %s", from, strerror(errno));
	if ((buf = malloc(cap)) == NULL) {
		rc = kg_err_set(err, "out of memory decoding %zu bytes", len);
		goto out;
	}
	o = buf;
	oleft = cap - 1;
	while (inleft > 0) {
		r = iconv(cd, &in, &inleft, &o, &oleft);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			char *nb = realloc(buf, cap * 2);

			if (nb == NULL) {
				rc = kg_err_set(err, "out of memory decoding %zu bytes", len);
				goto out;
			}
			buf = nb;
			cap *= 2;
			o = buf + used;
			oleft = cap - 1 - used;
			continue;
		}
		/* EILSEQ or EINVAL (a sequence cut short by the end of input). */
		*bad_at = (size_t)(in - s);
		rc = 1;
		goto out;
	}
	*o = '\0';
	*outlen = (size_t)(o - buf);
	*out = buf;
	buf = NULL;
out:
	free(buf);
	iconv_close(cd);
	return rc;
}

/* Half-width katakana (U+FF61..U+FF9F) in UTF-8 s: rare in reports, frequent
 * in EUC-JP bytes misread as CP932. */
static size_t
halfwidth_kana(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i + 2 < len; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)s[i + 1],
			c = (unsigned char)s[i + 2];

		if ((a == 0xEF && b == 0xBD && c >= 0xA1) || (a == 0xEF && b == 0xBE && c <= 0x9F))
			n++;
	}
	return n;
}

/*
 * Takes the form feeds out of line l, which starts on page `page`: leading
 * ones are skipped (each starts a page before the line's first character),
 * later ones become spaces (the page changes after that character).  Sets
 * l->page and returns the page the next line starts on.
 */
static int
page_of_line(struct kg_text_line *l, int page)
{
	char *s, *ff;

	while (l->len > 0 && l->s[0] == '\f') {
		l->s++;
		l->len--;
		page++;
	}
	l->page = page;
	for (s = (char *)l->s; (ff = memchr(s, '\f', l->len - (size_t)(s - l->s))) != NULL;
	    s = ff + 1) {
		*ff = ' ';
		page++;
	}
	return page;
}

static int
split_lines(struct kg_text *t, struct kg_err *err)
{
	size_t i, start = 0, cap = 64;
	int lineno = 1, page = 1;
	bool paged = memchr(t->utf8, '\f', t->len) != NULL;

	if ((t->lines = malloc(cap * sizeof(*t->lines))) == NULL)
		return kg_err_set(err, "out of memory splitting lines");
	for (i = 0; i <= t->len; i++) {
		char c = i < t->len ? t->utf8[i] : '\n';

		if (c != '\n' && c != '\r')
			continue;
		/* The final line end makes no empty line of its own. */
		if (i == t->len && start == t->len && t->nlines > 0)
			break;
		if (t->nlines == cap) {
			struct kg_text_line *nl = realloc(t->lines, cap * 2 * sizeof(*nl));

			if (nl == NULL)
				return kg_err_set(err, "out of memory splitting lines");
			t->lines = nl;
			cap *= 2;
		}
		t->lines[t->nlines].s = t->utf8 + start;
		t->lines[t->nlines].len = i - start;
		t->lines[t->nlines].lineno = lineno++;
		t->lines[t->nlines].page = 0;
		if (paged)
			page = page_of_line(&t->lines[t->nlines], page);
		t->nlines++;
		if (c == '\r' && i + 1 < t->len && t->utf8[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	return 0;
}

static int
parse_encoding(const char *name, enum enc *enc, struct kg_err *err)
{
	size_t i;

	*enc = ENC_AUTO;
	if (name == NULL)
		return 0;
	for (i = 0; i < sizeof(enc_names) / sizeof(enc_names[0]); i++)
		if (strcasecmp(name, enc_names[i].name) == 0) {
			*enc = enc_names[i].enc;
			return 0;
		}
	return kg_err_set(err, "unknown encoding '%s' (expected utf-8, cp932 or euc-jp)", name);
}

/* Decodes with one legacy encoding; on invalid input sets *bad_at. */
static int
decode_legacy(enum enc enc, const char *bytes, size_t len, struct kg_text *out,
	size_t *bad_at, struct kg_err *err)
{
	int rc = iconv_to_utf8(iconv_name[enc], bytes, len, &out->utf8, &out->len, bad_at, err);

	if (rc == 0)
		out->encoding = enc_label[enc];
	return rc;
}

/* Auto-detection when the bytes are not UTF-8 (invalid at utf8_bad). */
static int
decode_detect(const char *bytes, size_t len, size_t utf8_bad, struct kg_text *out,
	struct kg_err *err)
{
	struct kg_text sj = {0}, eu = {0};
	size_t bad_sj = 0, bad_eu = 0;
	int rsj, reu, rc = -1;

	if ((rsj = decode_legacy(ENC_CP932, bytes, len, &sj, &bad_sj, err)) < 0 ||
	    (reu = decode_legacy(ENC_EUCJP, bytes, len, &eu, &bad_eu, err)) < 0)
		goto out;
	if (rsj == 1 && reu == 1) {
		rc = kg_err_set(err, "invalid UTF-8 at byte %zu (nor CP932: byte %zu, "
			"nor EUC-JP: byte %zu; give --encoding)", utf8_bad, bad_sj, bad_eu);
		goto out;
	}
	if (reu == 1 || (rsj == 0 &&
	    halfwidth_kana(sj.utf8, sj.len) <= halfwidth_kana(eu.utf8, eu.len))) {
		*out = sj;
		sj.utf8 = NULL;
	} else {
		*out = eu;
		eu.utf8 = NULL;
	}
	rc = 0;
out:
	free(sj.utf8);
	free(eu.utf8);
	return rc;
}

int
kg_text_decode(const char *bytes, size_t len, const char *encoding,
	struct kg_text *out, struct kg_err *err)
{
	static const char bom[] = "\xEF\xBB\xBF";
	const char *nul;
	enum enc enc;
	size_t bad, skip = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > KG_TEXT_MAX_BYTES)
		return kg_err_set(err, "input is %zu bytes, above the limit of %zu MiB",
			len, KG_TEXT_MAX_BYTES >> 20);
	if (parse_encoding(encoding, &enc, err) < 0)
		return -1;
	if (len >= 2 && ((unsigned char)bytes[0] == 0xFF || (unsigned char)bytes[0] == 0xFE) &&
	    ((unsigned char)bytes[1] ^ (unsigned char)bytes[0]) == 0x01)
		return kg_err_set(err, "UTF-16 text is not supported (convert it to UTF-8)");
	if ((nul = memchr(bytes, '\0', len)) != NULL)
		return kg_err_set(err, "NUL byte at byte %zu (binary data, not a text report)",
			(size_t)(nul - bytes));
	if (len >= 3 && memcmp(bytes, bom, 3) == 0 && enc != ENC_CP932 && enc != ENC_EUCJP)
		skip = 3;

	if (enc == ENC_AUTO || enc == ENC_UTF8) {
		bad = skip + utf8_invalid_at(bytes + skip, len - skip);
		if (bad == len) {
			if ((out->utf8 = malloc(len - skip + 1)) == NULL)
				return kg_err_set(err, "out of memory reading %zu bytes", len);
			memcpy(out->utf8, bytes + skip, len - skip);
			out->utf8[len - skip] = '\0';
			out->len = len - skip;
			out->encoding = enc_label[ENC_UTF8];
		} else if (enc == ENC_UTF8 || skip > 0) {
			return kg_err_set(err, "invalid UTF-8 at byte %zu", bad);
		} else if (decode_detect(bytes, len, bad, out, err) < 0) {
			return -1;
		}
	} else {
		rc = decode_legacy(enc, bytes, len, out, &bad, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return kg_err_set(err, "invalid %s at byte %zu", enc_label[enc], bad);
	}
	out->controls = kg_strip_controls(out->utf8, "\t\n\r\f");
	out->len = strlen(out->utf8);
	return split_lines(out, err);
}

void
kg_text_release(struct kg_text *t)
{
	if (t == NULL)
		return;
	free(t->utf8);
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

bool
kg_text_is_pdf(const char *bytes, size_t len)
{
	return memmem(bytes, len < 1024 ? len : 1024, "%PDF-", 5) != NULL;
}

int
kg_text_read_fd(int fd, char **bytes, size_t *len, struct kg_err *err)
{
	size_t cap = 65536, got = 0;
	struct stat st;
	char *buf, *nb;
	ssize_t r;

	*bytes = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0)
		return kg_err_set(err, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))
		return kg_err_set(err, "not a regular file");
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > KG_TEXT_MAX_BYTES)
		return kg_err_set(err, "%lld bytes, above the limit of %zu MiB",
			(long long)st.st_size, KG_TEXT_MAX_BYTES >> 20);
	if (S_ISREG(st.st_mode))
		cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap)) == NULL)
		return kg_err_set(err, "out of memory reading %zu bytes", cap);
	for (;;) {
		if (got + 1 >= cap) {
			if (cap > KG_TEXT_MAX_BYTES) {
				free(buf);
				return kg_err_set(err, "more than %zu MiB, the limit",
					KG_TEXT_MAX_BYTES >> 20);
			}
			if ((nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return kg_err_set(err, "out of memory reading %zu bytes", cap * 2);
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + got, cap - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kg_err_set(err, "%s", strerror(errno));
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got > KG_TEXT_MAX_BYTES) {
		free(buf);
		return kg_err_set(err, "more than %zu MiB, the limit", KG_TEXT_MAX_BYTES >> 20);
	}
	buf[got] = '\0';
	*bytes = buf;
	*len = got;
	return 0;
}
