/*
 * mkpdf — test tool: lays out a report text as the PDF a ministry would
 * publish, so that tests can import "the PDF itself" without shipping one.
 *
 *   mkpdf [--two-column N] [--image-only] IN.txt OUT.pdf
 *
 * The text is set with pango in a Japanese font (IPAGothic) on landscape A4
 * pages, as the slides behind the half-year reports are.  A line starting
 * with a space begins a new page (the convention of the extracted sample
 * text: its page headings keep their leading space); a page that fills up
 * continues on the next one.  Every page but the first carries a running
 * header (the report's title, its first line) and every page a page number
 * at its foot ("- 3 -").  Source lines stay lines (they are already broken
 * mid-sentence, as PDF text is); blank lines are a small gap.
 *
 * --two-column N sets page N (1-based) in two columns of a smaller font:
 * its heading spans the page, the rest flows from the left column into the
 * right one, and lines wider than a column wrap — which breaks sentences
 * at new places.  --image-only draws each page as a bitmap: a "scanned"
 * PDF with no text layer.
 *
 * Exit 0, or 1 with a message on stderr.  Not part of kigen: built and run
 * by the tests only.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 842.0 /* A4 landscape, points */
#define PAGE_H 595.0
#define MARGIN 40.0
#define BODY_TOP 70.0
#define BODY_BOTTOM (PAGE_H - 60.0)
#define FONT "IPAGothic"
#define BODY_PT 9.0
#define COLUMN_PT 6.5
#define GUTTER 40.0
#define IMAGE_SCALE 2.0 /* pixels per point of a scanned page */

struct line {
	const char *s;
	size_t len;
};

/* One page: lines [first, last) of the text, set in one or two columns. */
struct page {
	size_t first, last;
	bool two_columns;
};

struct doc {
	struct line *lines;
	size_t nlines;
	struct page *pages;
	size_t npages, cappages;
};

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	do {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap + 1)) == NULL)
				abort();
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void
split_lines(struct doc *d, char *text, size_t len)
{
	size_t i, start = 0, cap = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		if (d->nlines == cap) {
			cap = cap ? cap * 2 : 256;
			if ((d->lines = realloc(d->lines, cap * sizeof(*d->lines))) == NULL)
				abort();
		}
		d->lines[d->nlines].s = text + start;
		d->lines[d->nlines].len = i - start - (i > start && text[i - 1] == '\r');
		d->nlines++;
		start = i + 1;
	}
}

static PangoLayout *
new_layout(cairo_t *cr, double pt, double width)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);

	pango_font_description_set_size(fd, (int)(pt * PANGO_SCALE));
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	return l;
}

/* Height in points of line ln set at width w (0 for a blank line's gap). */
static double
line_height(cairo_t *cr, const struct line *ln, double pt, double w)
{
	PangoLayout *l;
	int h;

	if (ln->len == 0) /* a gap, except in columns: poppler reads a column as
	                     one flow only while its lines are evenly spaced */
		return pt == COLUMN_PT ? 0 : pt * 0.6;
	l = new_layout(cr, pt, w);
	pango_layout_set_text(l, ln->s, (int)ln->len);
	pango_layout_get_size(l, NULL, &h);
	g_object_unref(l);
	return (double)h / PANGO_SCALE + pt * 0.3;
}

/* Draws ln at (x, *y) and moves *y down. */
static void
draw_line(cairo_t *cr, const struct line *ln, double pt, double x, double w, double *y)
{
	PangoLayout *l;

	if (ln->len > 0) {
		l = new_layout(cr, pt, w);
		pango_layout_set_text(l, ln->s, (int)ln->len);
		cairo_move_to(cr, x, *y);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	*y += line_height(cr, ln, pt, w);
}

static void
add_page(struct doc *d, size_t first, size_t last, bool two)
{
	if (d->npages == d->cappages) {
		d->cappages = d->cappages ? d->cappages * 2 : 16;
		if ((d->pages = realloc(d->pages, d->cappages * sizeof(*d->pages))) == NULL)
			abort();
	}
	d->pages[d->npages++] = (struct page){first, last, two};
}

/* Cuts the text into pages: at lines starting with a space, and where a
 * page is full.  The two-column page is never cut further (a smaller font
 * in two columns holds what one column held). */
static void
paginate(struct doc *d, cairo_t *cr, size_t two_column)
{
	size_t i, first = 0;
	double y = BODY_TOP, h;

	for (i = 0; i < d->nlines; i++) {
		bool starts = i > first && d->lines[i].len > 0 && d->lines[i].s[0] == ' ';

		h = line_height(cr, &d->lines[i], BODY_PT, PAGE_W - 2 * MARGIN);
		if (d->npages + 1 != two_column && !starts && i > first && y + h > BODY_BOTTOM)
			starts = true;
		if (starts) {
			add_page(d, first, i, d->npages + 1 == two_column);
			first = i;
			y = BODY_TOP;
		}
		y += h;
	}
	add_page(d, first, d->nlines, d->npages + 1 == two_column);
}

static void
draw_page(cairo_t *cr, const struct doc *d, size_t n)
{
	const struct page *p = &d->pages[n];
	double y = BODY_TOP, col_w = (PAGE_W - 2 * MARGIN - GUTTER) / 2, x, budget = 0;
	char num[32];
	struct line ln;
	size_t i;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	if (n > 0) {
		double hy = 24;

		draw_line(cr, &d->lines[0], 7, MARGIN, PAGE_W - 2 * MARGIN, &hy);
	}
	snprintf(num, sizeof(num), "- %zu -", n + 1);
	ln = (struct line){num, strlen(num)};
	y = PAGE_H - 36;
	draw_line(cr, &ln, 8, PAGE_W / 2 - 12, 60, &y);

	y = BODY_TOP;
	if (!p->two_columns) {
		for (i = p->first; i < p->last; i++)
			draw_line(cr, &d->lines[i], BODY_PT, MARGIN, PAGE_W - 2 * MARGIN, &y);
		return;
	}
	/* The heading spans the page; the rest flows through two columns. */
	i = p->first;
	if (i < p->last)
		draw_line(cr, &d->lines[i++], BODY_PT, MARGIN, PAGE_W - 2 * MARGIN, &y);
	y += BODY_PT;
	for (size_t j = i; j < p->last; j++)
		budget += line_height(cr, &d->lines[j], COLUMN_PT, col_w);
	budget /= 2;
	{
		double top = y, used = 0;

		x = MARGIN;
		for (; i < p->last; i++) {
			double h = line_height(cr, &d->lines[i], COLUMN_PT, col_w);

			if (x == MARGIN && used > 0 && used + h / 2 > budget) {
				x = MARGIN + col_w + GUTTER;
				y = top;
			}
			used += h;
			draw_line(cr, &d->lines[i], COLUMN_PT, x, col_w, &y);
		}
	}
}

int
main(int argc, char **argv)
{
	size_t two_column = 0, len, n;
	bool image_only = false;
	struct doc d = {0};
	cairo_surface_t *pdf;
	cairo_t *cr;
	char *text;
	int i = 1;

	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--two-column") == 0 && i + 1 < argc)
			two_column = (size_t)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--image-only") == 0)
			image_only = true;
		else
			break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: mkpdf [--two-column N] [--image-only] IN.txt OUT.pdf\n");
		return 2;
	}
	if ((text = read_all(argv[i], &len)) == NULL) {
		perror(argv[i]);
		return 1;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		memmove(text, text + 3, (len -= 3) + 1);
	split_lines(&d, text, len);
	pdf = cairo_pdf_surface_create(argv[i + 1], PAGE_W, PAGE_H);
	cr = cairo_create(pdf);
	paginate(&d, cr, two_column);
	for (n = 0; n < d.npages; n++) {
		if (image_only) {
			cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
			    (int)(PAGE_W * IMAGE_SCALE), (int)(PAGE_H * IMAGE_SCALE));
			cairo_t *icr = cairo_create(img);

			cairo_scale(icr, IMAGE_SCALE, IMAGE_SCALE);
			draw_page(icr, &d, n);
			cairo_destroy(icr);
			cairo_save(cr);
			cairo_scale(cr, 1 / IMAGE_SCALE, 1 / IMAGE_SCALE);
			cairo_set_source_surface(cr, img, 0, 0);
			cairo_paint(cr);
			cairo_restore(cr);
			cairo_surface_destroy(img);
		} else {
			draw_page(cr, &d, n);
		}
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "mkpdf: %s: %s\n", argv[i + 1],
		    cairo_status_to_string(cairo_surface_status(pdf)));
		return 1;
	}
	cairo_surface_destroy(pdf);
	free(d.lines);
	free(d.pages);
	free(text);
	return 0;
}
