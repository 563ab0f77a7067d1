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

#include "utf8.h"

struct out_table {
	size_t ncols, nrows, cap;
	const char *const *headers;
	const size_t *max_width;
	char *text;          /* every cell, NUL-terminated, one after another */
	size_t text_len, text_cap;
	size_t *offsets;     /* nrows * ncols: where each cell starts in text */
	size_t *widths;      /* display width of each cell, measured once */
	const char **sgr;    /* per row, static strings */
};

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

/* Appends s fitted to limit columns (0: any) and a NUL to the table's
 * text; the offset of the new cell, its width in *w, or (size_t)-1 on
 * ENOMEM. */
static size_t
text_append(struct out_table *t, const char *s, size_t limit, size_t *w)
{
	size_t at = t->text_len, need = strlen(s) + sizeof(KG_ELLIPSIS), cap;
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
	t->text_len += kg_width_fit(s, limit, t->text + at, w) + 1;
	return at;
}

int
out_table_add(struct out_table *t, const char *const *cells, const char *sgr)
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

		limit = t->max_width ? t->max_width[i] : 0;
		if ((at = text_append(t, s, limit, &w)) == (size_t)-1)
			return -1;
		t->offsets[t->nrows * t->ncols + i] = at;
		t->widths[t->nrows * t->ncols + i] = w;
	}
	t->sgr[t->nrows++] = sgr;
	return 0;
}

static void
print_row(FILE *f, const struct out_table *t, const char *const *cells,
    const size_t *cell_w, const size_t *w, const char *sgr)
{
	static const char spaces[] = "                                ";
	size_t i, pad, n, last = t->ncols;

	/* no padding after the last cell that has text */
	while (last > 1 && cells[last - 1][0] == '\0')
		last--;
	if (sgr != NULL)
		fprintf(f, "\033[%sm", sgr);
	for (i = 0; i < last; i++) {
		fputs(cells[i], f);
		if (i + 1 == last)
			break;
		for (pad = w[i] + 2 - cell_w[i]; pad > 0; pad -= n) {
			n = pad < sizeof(spaces) - 1 ? pad : sizeof(spaces) - 1;
			fwrite(spaces, 1, n, f);
		}
	}
	if (sgr != NULL)
		fputs("\033[0m", f);
	fputc('\n', f);
}

void
out_table_print(const struct out_table *t, FILE *f, bool color)
{
	size_t *w = calloc(2 * t->ncols, sizeof(*w)), *header_w;
	const char **row = calloc(t->ncols, sizeof(*row));
	size_t r, i, cw;

	if (w == NULL || row == NULL)
		goto out;
	header_w = w + t->ncols;
	for (i = 0; i < t->ncols; i++)
		w[i] = header_w[i] = kg_width(t->headers[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++)
			if ((cw = t->widths[r * t->ncols + i]) > w[i])
				w[i] = cw;
	print_row(f, t, t->headers, header_w, w, color ? "1" : NULL);
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++)
			row[i] = t->text + t->offsets[r * t->ncols + i];
		print_row(f, t, row, &t->widths[r * t->ncols], w, color ? t->sgr[r] : NULL);
	}
out:
	free(row);
	free(w);
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

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};

void
out_relative(char *buf, size_t len, const struct kg_milestone *m, kg_day today)
{
	char date[KG_DATE_LEN];
	int y, mo, d;
	long days;

	if (m->status == KG_STATUS_DONE || m->status == KG_STATUS_CANCELLED) {
		snprintf(buf, len, "%s", kg_status_name(m->status));
		return;
	}
	if (m->window_end == KG_DAY_NONE) {
		snprintf(buf, len, "from %s", kg_date_format(m->window_start, date));
		return;
	}
	days = (long)m->window_end - today;
	if (days < 0) {
		snprintf(buf, len, "%ld day%s overdue", -days, days == -1 ? "" : "s");
	} else if (days == 0) {
		snprintf(buf, len, "due today");
	} else if (m->precision == KG_PREC_MONTH) {
		kg_civil_from_day(m->window_end, &y, &mo, &d);
		snprintf(buf, len, "due during %s %d", month_names[mo - 1], y);
	} else if (m->precision == KG_PREC_FISCAL_YEAR) {
		snprintf(buf, len, "due within FY%d", kg_fiscal_year(m->window_end));
	} else if (days == 1) {
		snprintf(buf, len, "tomorrow");
	} else {
		snprintf(buf, len, "in %ld days", days);
	}
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

int
out_milestone_table(FILE *f, const struct kg_milestone_list *l, kg_day today, bool color)
{
	static const char *const headers[] = {
		"ID", "DUE", "WHEN", "STATUS", "TITLE", "MEASURE", "OWNERS",
	};
	static const size_t max_width[] = {0, 0, 0, 0, 40, 30, 0};
	struct out_table *t;
	char id[24], due[KG_DATE_LEN + 1], when[64], owners[512];
	const char *cells[7];
	size_t i;
	int rc = -1;

	if (l->n == 0) {
		fprintf(f, "no milestones\n");
		return 0;
	}
	if ((t = out_table_new(7, headers, max_width)) == NULL)
		return -1;
	for (i = 0; i < l->n; i++) {
		const struct kg_milestone *m = &l->v[i];

		snprintf(id, sizeof(id), "%lld", (long long)m->id);
		if (m->window_end == KG_DAY_NONE)
			snprintf(due, sizeof(due), "-");
		else
			kg_date_format(m->window_end, due);
		if (m->uncertain) /* the window rests on a guess: say so */
			strcat(due, "?");
		out_relative(when, sizeof(when), m, today);
		join_owners(owners, sizeof(owners), &m->owners);
		cells[0] = id;
		cells[1] = due;
		cells[2] = when;
		cells[3] = kg_status_name(m->status);
		cells[4] = m->title;
		cells[5] = m->measure_title;
		cells[6] = owners;
		if (out_table_add(t, cells, out_milestone_sgr(m, today)) < 0)
			goto out;
	}
	out_table_print(t, f, color);
	rc = 0;
out:
	out_table_free(t);
	return rc;
}

int
out_json(FILE *f, json_t *j)
{
	int rc;

	if (j == NULL)
		return -1;
	rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(j);
	return rc;
}
