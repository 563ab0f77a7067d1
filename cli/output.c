/*
 * output — see output.h.
 *
 * Widths and truncation are lib/utf8's: a terminal shows 総務省 in six
 * columns, not nine bytes or three code points, and a cut never falls
 * inside a character.
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "utf8.h"

/* ---- escaping ---- */

void
out_escape(FILE *f, const char *s, size_t len)
{
	kg_escape_controls(f, s, len, "\t\n\r");
}

void
out_escape_line(FILE *f, const char *s, size_t len)
{
	kg_escape_controls(f, s, len, "\t");
}

/* The one terminal stream (out_raw must know it). */
struct terminal {
	FILE *raw;
	bool pass;           /* out_raw is writing */
	bool held;           /* a 0xC2 ended the last chunk: C1 or not, the next says */
};

static FILE *terminal_stream;
static struct terminal terminal;

static ssize_t
terminal_write(void *cookie, const char *buf, size_t size)
{
	struct terminal *t = cookie;
	ssize_t taken = (ssize_t)size;
	char pair[2];

	if (size == 0)
		return 0;
	if (t->pass)
		return (ssize_t)fwrite(buf, 1, size, t->raw);
	if (t->held) {
		pair[0] = (char)0xc2;
		pair[1] = buf[0];
		out_escape(t->raw, pair, 2);
		t->held = false;
		buf++;
		size--;
		if (size == 0)
			return taken;
	}
	/* A C1 character is two bytes: one cut by the buffer waits for the next. */
	t->held = (unsigned char)buf[size - 1] == 0xc2;
	out_escape(t->raw, buf, size - t->held);
	return taken;
}

static int
terminal_close(void *cookie)
{
	struct terminal *t = cookie;

	if (t->held)
		fputc(0xc2, t->raw);
	t->held = false;
	terminal_stream = NULL;
	return fflush(t->raw) == 0 ? 0 : EOF;
}

FILE *
out_terminal(FILE *raw)
{
	cookie_io_functions_t io = { .write = terminal_write, .close = terminal_close };

	if (terminal_stream != NULL)
		return NULL;
	terminal = (struct terminal){ .raw = raw };
	terminal_stream = fopencookie(&terminal, "w", io);
	return terminal_stream;
}

void
out_raw(FILE *f, const char *s)
{
	if (f != terminal_stream || f == NULL) {
		fputs(s, f);
		return;
	}
	fflush(f);
	terminal.pass = true;
	fputs(s, f);
	fflush(f);
	terminal.pass = false;
}

struct out_table {
	size_t ncols, nrows, cap;
	const char *const *headers;
	const size_t *max_width;
	char *text;          /* every cell, NUL-terminated, one after another */
	size_t text_len, text_cap;
	size_t *offsets;     /* nrows * ncols: where each cell starts in text */
	size_t *widths;      /* display width of each cell, measured once */
	const char **sgr;    /* per row, static strings */
	size_t fit;          /* total width to print in (0: any) */
	unsigned flex;       /* bit i: column i gives up width to fit */
	unsigned keep;       /* of those, the ones that give it up last */
};

/* How much of a table out_table_print writes at once. */
#define PRINT_CHUNK 65536

/* A column that gives up width keeps at least this many columns (or its
 * header's width). */
#define FLEX_MIN 12
/* ... unless the terminal is too narrow even then: down to two columns and "…". */
#define FLEX_LAST 3

struct out_table *
out_table_new(size_t ncols, const char *const *headers, const size_t *max_width)
{
	struct out_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ncols = ncols;
	t->headers = headers;
	t->max_width = max_width;
	return t;
}

/* Appends s (len bytes, width columns) fitted to limit columns (0: any)
 * and a NUL to the table's text; the offset of the new cell, its width in
 * *w, or (size_t)-1 on ENOMEM. */
static size_t
text_append(struct out_table *t, const char *s, size_t len, size_t width, size_t limit,
    size_t *w)
{
	size_t at = t->text_len, need = len + sizeof(KG_ELLIPSIS), cap;
	char *nt;

	if (t->text_cap - t->text_len < need) {
		cap = t->text_cap ? t->text_cap : 4096;
		while (cap - t->text_len < need)
			cap *= 2;
		if ((nt = realloc(t->text, cap)) == NULL)
			return (size_t)-1;
		t->text = nt;
		t->text_cap = cap;
	}
	if (limit == 0 || width <= limit) {
		memcpy(t->text + at, s, len + 1);
		*w = width;
		t->text_len += len + 1;
	} else {
		t->text_len += kg_width_cut(s, limit, t->text + at, w) + 1;
	}
	return at;
}

int
out_table_add(struct out_table *t, const char *const *cells, const char *sgr)
{
	return out_table_add_known(t, cells, NULL, sgr);
}

int
out_table_add_known(struct out_table *t, const char *const *cells, const size_t *widths,
    const char *sgr)
{
	size_t i, cap, w, limit, at;
	size_t *no, *nw;
	const char **ns;

	if (t->nrows == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		if ((no = realloc(t->offsets, cap * t->ncols * sizeof(*no))) == NULL)
			return -1;
		t->offsets = no;
		if ((nw = realloc(t->widths, cap * t->ncols * sizeof(*nw))) == NULL)
			return -1;
		t->widths = nw;
		if ((ns = realloc(t->sgr, cap * sizeof(*ns))) == NULL)
			return -1;
		t->sgr = ns;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		const char *s = cells[i] ? cells[i] : "";
		char *shown = NULL;
		size_t shown_len, len = strlen(s), width;
		FILE *m;

		if (widths == NULL || (width = widths[i]) == OUT_WIDTH_UNKNOWN)
			width = kg_width_clean(s, len);

		/* Measure a cell as it will look: escaped. */
		if (width == KG_WIDTH_CONTROL) {
			if ((m = open_memstream(&shown, &shown_len)) != NULL) {
				kg_escape_controls(m, s, len, ""); /* a cell is one line: tabs too */
				if (fclose(m) == 0) {
					s = shown;
					len = shown_len;
				}
			}
			width = kg_width(s);
		}
		limit = t->max_width ? t->max_width[i] : 0;
		at = text_append(t, s, len, width, limit, &w);
		if (shown != NULL)
			free(shown);
		if (at == (size_t)-1)
			return -1;
		t->offsets[t->nrows * t->ncols + i] = at;
		t->widths[t->nrows * t->ncols + i] = w;
	}
	t->sgr[t->nrows++] = sgr;
	return 0;
}

void
out_table_fit(struct out_table *t, size_t width, unsigned flex, unsigned keep)
{
	t->fit = width;
	t->flex = flex | keep;
	t->keep = keep;
}

/* Appends one row to p (a line, its newline included), each cell cut to
 * its column's width w[i] (with "…") and padded, within the colour sgr
 * when there is one; returns the end.  Room: see out_table_print. */
static char *
put_row(char *p, const struct out_table *t, const char *const *cells,
    const size_t *cell_w, const size_t *w, const char *sgr)
{
	size_t i, pad, n, cw, last = t->ncols;

	/* no padding after the last cell that has text */
	while (last > 1 && cells[last - 1][0] == '\0')
		last--;
	if (sgr != NULL)
		p += sprintf(p, "\033[%sm", sgr);
	for (i = 0; i < last; i++) {
		cw = cell_w[i];
		if (cw > w[i]) {
			p += kg_width_cut(cells[i], w[i], p, &cw);
		} else {
			n = strlen(cells[i]);
			memcpy(p, cells[i], n);
			p += n;
		}
		if (i + 1 == last)
			break;
		pad = w[i] + 2 - cw;
		memset(p, ' ', pad);
		p += pad;
	}
	if (sgr != NULL)
		p = stpcpy(p, "\033[0m");
	*p++ = '\n';
	return p;
}

/* The flex column (of those in mask) that gives up a column next: the
 * widest above its floor; ncols when none can. */
static size_t
next_to_narrow(const struct out_table *t, const size_t *w, const size_t *header_w,
    unsigned mask, size_t floor)
{
	size_t i, widest = t->ncols, floor_w;

	for (i = 0; i < t->ncols; i++) {
		floor_w = header_w[i] > floor ? header_w[i] : floor;
		if ((mask & 1u << i) && w[i] > floor_w &&
		    (widest == t->ncols || w[i] > w[widest]))
			widest = i;
	}
	return widest;
}

/* Narrows the flex columns of w, widest first and the kept ones last,
 * until the row fits in t->fit: down to FLEX_MIN (or the header) while that
 * is enough, then, on a very narrow terminal, down to FLEX_LAST. */
static void
fit_widths(const struct out_table *t, size_t *w, const size_t *header_w)
{
	static const size_t none[32];
	size_t total = 0, i;

	for (i = 0; i < t->ncols; i++)
		total += w[i] + (i + 1 < t->ncols ? 2 : 0);
	while (t->fit > 0 && total > t->fit) {
		if ((i = next_to_narrow(t, w, header_w, t->flex & ~t->keep, FLEX_MIN)) == t->ncols &&
		    (i = next_to_narrow(t, w, header_w, t->keep, FLEX_MIN)) == t->ncols &&
		    (i = next_to_narrow(t, w, none, t->flex, FLEX_LAST)) == t->ncols)
			break;
		w[i]--;
		total--;
	}
}

void
out_table_print(const struct out_table *t, FILE *f, bool color)
{
	size_t *w = calloc(2 * t->ncols, sizeof(*w)), *header_w;
	const char **row = calloc(t->ncols, sizeof(*row));
	char *buf = NULL, *p;
	size_t r, i, cw, room;

	if (w == NULL || row == NULL)
		goto out;
	header_w = w + t->ncols;
	for (i = 0; i < t->ncols; i++)
		w[i] = header_w[i] = kg_width(t->headers[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++)
			if ((cw = t->widths[r * t->ncols + i]) > w[i])
				w[i] = cw;
	fit_widths(t, w, header_w);
	/* One row at most: its cells (the longest row's text, its cells one
	 * after another in t->text, or the headers), each with an ellipsis,
	 * the padding to the widths, two colour sequences and a newline.  Rows
	 * go out in chunks of PRINT_CHUNK and raw: out_table_add escaped every
	 * cell, and the terminal stream would look at each byte a second
	 * time. */
	room = 0;
	for (r = 0; r < t->nrows; r++) {
		cw = (r + 1 < t->nrows ? t->offsets[(r + 1) * t->ncols] : t->text_len) -
		    t->offsets[r * t->ncols];
		if (cw > room)
			room = cw;
	}
	room += 2 * 16 + 2;
	for (i = 0; i < t->ncols; i++)
		room += strlen(t->headers[i]) + sizeof(KG_ELLIPSIS) + w[i] + 2;
	if ((buf = malloc(PRINT_CHUNK + room)) == NULL)
		goto out;
	p = put_row(buf, t, t->headers, header_w, w, color ? "1" : NULL);
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++)
			row[i] = t->text + t->offsets[r * t->ncols + i];
		p = put_row(p, t, row, &t->widths[r * t->ncols], w, color ? t->sgr[r] : NULL);
		if ((size_t)(p - buf) >= PRINT_CHUNK || r + 1 == t->nrows) {
			*p = '\0';
			out_raw(f, buf);
			p = buf;
		}
	}
	if (p != buf) { /* the headers alone */
		*p = '\0';
		out_raw(f, buf);
	}
out:
	free(buf);
	free(row);
	free(w);
}

void
out_local_time(char buf[24], int64_t t, const struct kg_zone *zone)
{
	char day[KG_DATE_LEN];
	kg_day d;
	int64_t minutes;

	if (t == 0 || t == INT64_MAX) {
		strcpy(buf, "-");
		return;
	}
	d = kg_zone_day_of_time(zone, t);
	minutes = (t - kg_zone_time_of_local(zone, d, 0)) / 60;
	snprintf(buf, 24, "%s %02d:%02d", kg_date_format(d, day), (int)(minutes / 60),
	    (int)(minutes % 60));
}

size_t
out_columns(void)
{
	const char *c = getenv("COLUMNS");
	char *end;
	long v;

	if (c != NULL && *c != '\0') {
		v = strtol(c, &end, 10);
		if (*end == '\0' && v >= 20 && v <= 1000)
			return (size_t)v;
	}
	return 100;
}

void
out_table_free(struct out_table *t)
{
	if (t == NULL)
		return;
	free(t->text);
	free(t->offsets);
	free(t->widths);
	free(t->sgr);
	free(t);
}

/* "3 days", "4 months", "2 years": days up to 99, then months, then years. */
/* Appends s to buf (len bytes, NUL-terminated, the text ASCII: cut at any
 * byte when full) from used; returns the new length.  The table's cells
 * are built with put and put_num, not snprintf: a listing makes four per
 * row, and each snprintf costs several hundred instructions. */
static size_t
put(char *buf, size_t len, size_t used, const char *s)
{
	size_t n = strlen(s);

	if (n > len - 1 - used)
		n = len - 1 - used;
	memcpy(buf + used, s, n);
	used += n;
	buf[used] = '\0';
	return used;
}

/* Appends the decimal digits of n (and a '-') to buf, as put does. */
static size_t
put_num(char *buf, size_t len, size_t used, long long n)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long long u = n < 0 ? 0 - (unsigned long long)n : (unsigned long long)n;

	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (n < 0)
		*--p = '-';
	return put(buf, len, used, p);
}

/* "3 days", "1 month", "2 years" from used. */
static size_t
put_span(char *buf, size_t len, size_t used, long days)
{
	long n = days;
	const char *unit = " day";

	if (days >= 730) {
		n = days / 365;
		unit = " year";
	} else if (days >= 100) {
		n = days / 30;
		unit = " month";
	}
	used = put(buf, len, put_num(buf, len, used, n), unit);
	return n == 1 ? used : put(buf, len, used, "s");
}

void
out_relative(char *buf, size_t len, const struct kg_milestone *m, kg_day today)
{
	long days;

	if (m->window_end == KG_DAY_NONE) {
		put(buf, len, 0, "-");
		return;
	}
	days = (long)m->window_end - today;
	if (days == 0)
		put(buf, len, 0, "today");
	else if (days > 0)
		put_span(buf, len, put(buf, len, 0, "in "), days);
	else
		put(buf, len, put_span(buf, len, 0, -days), " ago");
}

const char *
out_milestone_sgr(const struct kg_milestone *m, kg_day today)
{
	switch (m->status) {
	case KG_STATUS_DONE:
		return "32";
	case KG_STATUS_CANCELLED:
		return "2";
	default:
		break;
	}
	if (m->window_end == KG_DAY_NONE)
		return NULL;
	if (m->window_end < today)
		return "31";
	if (m->window_end - today <= 7)
		return "33";
	return NULL;
}

/* "a, b, c" into buf, cut short (at a byte) when it does not fit. */
static void
join_owners(char *buf, size_t len, const struct kg_strv *owners)
{
	size_t j, n, used = 0;

	for (j = 0; j < owners->n; j++) {
		if (j > 0 && used + 2 < len) {
			memcpy(buf + used, ", ", 2);
			used += 2;
		}
		n = strlen(owners->v[j]);
		if (n > len - 1 - used)
			n = len - 1 - used;
		memcpy(buf + used, owners->v[j], n);
		used += n;
	}
	buf[used] = '\0';
}

/* "planned", "planned, gone", "done, conflict": the status and what else
 * a reader must know at a glance; returns its length. */
static size_t
status_text(char *buf, size_t len, const struct kg_milestone *m)
{
	size_t used = put(buf, len, 0, kg_status_name(m->status));

	used = put(buf, len, used, m->gone ? ", gone" : "");
	return put(buf, len, used, m->conflict ? ", conflict" : "");
}

/* A milestone table being built: a listing's rows come by deadline, and
 * the deadline's two cells are made once per date. */
struct out_milestones {
	struct out_table *t;
	kg_day today;
	bool made;           /* due and when are made, for end */
	kg_day end;
	char due[KG_DATE_LEN + 1], when[64];
};

struct out_milestones *
out_milestones_new(kg_day today, size_t width)
{
	static const char *const headers[] = {
		"ID", "DUE", "WHEN", "STATUS", "TITLE", "MEASURE", "OWNERS",
	};
	struct out_milestones *ms = calloc(1, sizeof(*ms));

	if (ms == NULL || (ms->t = out_table_new(7, headers, NULL)) == NULL) {
		free(ms);
		return NULL;
	}
	/* title, measure and owners give up width to fit the terminal */
	out_table_fit(ms->t, width, 1u << 5 | 1u << 6, 1u << 4);
	ms->today = today;
	return ms;
}

int
out_milestones_add(struct out_milestones *ms, const struct kg_milestone *m)
{
	char id[24], due[KG_DATE_LEN + 2], status[48], owners[512];
	const char *cells[7];
	size_t widths[7], n;

	if (!ms->made || m->window_end != ms->end) {
		ms->made = true;
		ms->end = m->window_end;
		if (m->window_end == KG_DAY_NONE)
			put(ms->due, sizeof(ms->due), 0, "-");
		else
			kg_date_format(m->window_end, ms->due);
		out_relative(ms->when, sizeof(ms->when), m, ms->today);
	}
	/* the cells made here are printable ASCII: as wide as long */
	widths[0] = put_num(id, sizeof(id), 0, m->id);
	n = put(due, sizeof(due), 0, ms->due);
	if (m->uncertain) /* the window rests on a guess: say so */
		n = put(due, sizeof(due), n, "?");
	widths[1] = n;
	widths[2] = strlen(ms->when);
	widths[3] = status_text(status, sizeof(status), m);
	widths[4] = widths[5] = widths[6] = OUT_WIDTH_UNKNOWN;
	join_owners(owners, sizeof(owners), &m->owners);
	cells[0] = id;
	cells[1] = due;
	cells[2] = ms->when;
	cells[3] = status;
	cells[4] = m->title;
	cells[5] = m->measure_title;
	cells[6] = owners;
	return out_table_add_known(ms->t, cells, widths, out_milestone_sgr(m, ms->today));
}

void
out_milestones_print(const struct out_milestones *ms, FILE *f, bool color)
{
	if (ms->t->nrows == 0)
		fprintf(f, "no milestones\n");
	else
		out_table_print(ms->t, f, color);
}

void
out_milestones_free(struct out_milestones *ms)
{
	if (ms == NULL)
		return;
	out_table_free(ms->t);
	free(ms);
}

void
out_local_fields(char *buf, size_t len, unsigned mask)
{
	unsigned bit;
	size_t used = 0;

	buf[0] = '\0';
	for (bit = 1; bit & KG_LOCAL_ALL; bit <<= 1)
		if ((mask & bit) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			    kg_local_field_name(bit));
}

int
out_json_flags(FILE *f, json_t *j, size_t flags)
{
	char *text, *p;
	size_t run;

	if (j == NULL)
		return -1;
	text = json_dumps(j, flags);
	json_decref(j);
	if (text == NULL)
		return -1;
	/* jansson escapes C0 and DEL but writes C1 as is (valid JSON, yet a
	 * terminal may act on it): \u0085 keeps the data and the terminal
	 * safe, where out_escape's <U+0085> would change the string. */
	for (p = text; *p != '\0'; p += run) {
		if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 &&
		    (unsigned char)p[1] <= 0x9f) {
			fprintf(f, "\\u%04x", (unsigned char)p[1]);
			run = 2;
			continue;
		}
		for (run = 1; p[run] != '\0' && (unsigned char)p[run] != 0xc2; run++)
			;
		fwrite(p, 1, run, f);
	}
	fputc('\n', f);
	free(text);
	return 0;
}

int
out_json(FILE *f, json_t *j)
{
	return out_json_flags(f, j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

/* ---- what an import or unimport changed ---- */

void
out_change_counts(const struct kg_import_result *r, size_t n[KG_CH_COUNT])
{
	size_t i;

	for (i = 0; i < KG_CH_COUNT; i++)
		n[i] = 0;
	for (i = 0; i < r->n; i++)
		n[r->items[i].what]++;
}

void
out_changes_line(FILE *f, const size_t n[KG_CH_COUNT])
{
	fprintf(f, "milestones: %zu new, %zu changed, %zu unchanged, %zu gone, %zu conflict%s",
	    n[KG_CH_NEW], n[KG_CH_CHANGED], n[KG_CH_UNCHANGED], n[KG_CH_GONE],
	    n[KG_CH_CONFLICT], n[KG_CH_CONFLICT] == 1 ? "" : "s");
	if (n[KG_CH_REMOVED] > 0)
		fprintf(f, ", %zu removed", n[KG_CH_REMOVED]);
	fputc('\n', f);
}

void
out_conflicts_open(FILE *f, const struct kg_import_result *r)
{
	if (r->conflicts_open > 0)
		fprintf(f, "%zu conflict%s open between reports and local edits (see 'kigen "
		    "conflicts')\n", r->conflicts_open, r->conflicts_open == 1 ? "" : "s");
}

int
out_changes_json(json_t *o, const struct kg_import_result *r)
{
	json_t *counts = json_object(), *items = json_array(), *it;
	size_t n[KG_CH_COUNT], i;
	int failed = counts == NULL || items == NULL;

	out_change_counts(r, n);
	for (i = 0; i < KG_CH_COUNT && !failed; i++)
		failed = json_object_set_new(counts, kg_change_name(i),
		    json_integer((json_int_t)n[i])) < 0;
	for (i = 0; i < r->n && !failed; i++) {
		it = json_pack("{s:s, s:o, s:s?}", "what", kg_change_name(r->items[i].what),
		    "milestone", kg_milestone_json(&r->items[i].after),
		    "detail", r->items[i].detail);
		failed = json_array_append_new(items, it) < 0;
	}
	if (failed) {
		json_decref(counts);
		json_decref(items);
		return -1;
	}
	return json_object_set_new(o, "counts", counts) < 0 ||
	    json_object_set_new(o, "items", items) < 0 ? -1 : 0;
}

int
out_changes_table(FILE *f, const struct kg_import_result *r, bool color)
{
	static const char *const headers[] = {"WHAT", "ID", "DUE", "TITLE", "DETAIL"};
	struct out_table *t;
	char id[24], due[KG_DATE_LEN];
	const char *cells[5];
	size_t i, shown = 0;
	int rc = -1;

	if ((t = out_table_new(5, headers, NULL)) == NULL)
		return -1;
	out_table_fit(t, out_columns(), 1u << 4, 1u << 3);
	for (i = 0; i < r->n; i++) {
		const struct kg_milestone *m = &r->items[i].after;

		if (r->items[i].what == KG_CH_UNCHANGED)
			continue;
		if (m->id)
			snprintf(id, sizeof(id), "%lld", (long long)m->id);
		else
			snprintf(id, sizeof(id), "-");
		cells[0] = kg_change_name(r->items[i].what);
		cells[1] = id;
		cells[2] = m->window_end == KG_DAY_NONE ? "open" : kg_date_format(m->window_end, due);
		cells[3] = m->title;
		cells[4] = r->items[i].detail;
		if (out_table_add(t, cells, NULL) < 0)
			goto out;
		shown++;
	}
	if (shown > 0)
		out_table_print(t, f, color);
	rc = 0;
out:
	out_table_free(t);
	return rc;
}
