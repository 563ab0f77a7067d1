/*
 * layout_fixture — a document from a string for the layout and as-of unit
 * tests.  Include after <cmocka.h>.
 */
#ifndef KG_LAYOUT_FIXTURE_H
#define KG_LAYOUT_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "layout.h"

/* Decodes text and classifies its lines into d (fails the test otherwise). */
static void
fx_doc(const char *text, struct kg_text *t, struct kg_doc *d)
{
	struct kg_err err;

	assert_int_equal(kg_text_decode(text, strlen(text), NULL, t, &err), 0);
	assert_int_equal(kg_doc_init(d, t), 0);
}

static void
fx_release(struct kg_text *t, struct kg_doc *d)
{
	kg_doc_release(d);
	kg_text_release(t);
}

/* What a layout's parse made of a text: the items and the units' text
 * and notes policy (at most FX_UNITS). */
#define FX_UNITS 8

struct fx_parsed {
	struct kg_import imp;
	char units[FX_UNITS][512];
	enum kg_unit_notes notes[FX_UNITS];
	enum kg_unit_role roles[FX_UNITS];
	size_t nunits;
};

/* Parses text with layout l into p (clear p->imp with kg_import_clear). */
__attribute__((unused)) static void
fx_parse(const struct kg_layout *l, const char *text, struct fx_parsed *p)
{
	struct kg_text t;
	struct kg_doc d;
	struct kg_err err;
	size_t i;

	memset(p, 0, sizeof(*p));
	fx_doc(text, &t, &d);
	d.out = &p->imp;
	d.err = &err;
	assert_int_equal(l->parse(&d), 0);
	for (i = 0; i < d.nunits && i < FX_UNITS; i++) {
		snprintf(p->units[i], sizeof(p->units[i]), "%.*s", (int)d.units[i].len,
			d.utext.s + d.units[i].off);
		p->notes[i] = d.units[i].notes;
		p->roles[i] = d.units[i].role;
	}
	p->nunits = d.nunits;
	fx_release(&t, &d);
}

/* The owners of measure m joined by | into buf. */
__attribute__((unused)) static const char *
fx_owners(const struct kg_measure *m, char *buf, size_t len)
{
	size_t k;

	buf[0] = '\0';
	for (k = 0; k < m->owners.n; k++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", k ? "|" : "", m->owners.v[k]);
	return buf;
}

/* The detection score of layout l on text. */
__attribute__((unused)) static int
fx_detect(const struct kg_layout *l, const char *text)
{
	struct kg_text t;
	struct kg_doc d;
	int score;

	fx_doc(text, &t, &d);
	score = l->detect(&d);
	fx_release(&t, &d);
	return score;
}

#endif
