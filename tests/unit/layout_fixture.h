/*
 * layout_fixture — a document from a string for the layout and as-of unit
 * tests.  Include after <cmocka.h>.
 */
#ifndef KG_LAYOUT_FIXTURE_H
#define KG_LAYOUT_FIXTURE_H

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
