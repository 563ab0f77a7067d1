/*
 * libFuzzer target for the date scanner (lib/jpdate) and the milestone
 * extractor (lib/extract) on one bullet of arbitrary bytes.  The first byte
 * picks the report's as-of date among a few; the rest is the text.  Checks
 * that spans (of milestones and of skipped dates) stay inside the text,
 * windows are ordered and an uncertain milestone says why.
 *
 * Also compiled into tests/unit/test_fuzz_replay.c to replay
 * tests/fuzz/regressions/ in `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "extract.h"
#include "jpdate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int as_of[4][3] = {
		{2008, 9, 30}, {2009, 3, 31}, {2019, 9, 30}, {2000, 2, 29},
	};
	struct kg_jpdate found[64];
	struct kg_extract x = {0};
	struct kg_jpctx ctx;
	struct kg_err err;
	const char *text = (const char *)data + 1;
	size_t len, n = 0, i;

	if (size == 0)
		return 0;
	len = size - 1;
	ctx = kg_jpctx_of(kg_day_from_civil(as_of[data[0] & 3][0], as_of[data[0] & 3][1],
		as_of[data[0] & 3][2]));
	if (kg_jpdate_scan(text, len, &ctx, found, 64, &n, &err) == 0) {
		if (n > 64)
			abort();
		for (i = 0; i < n; i++)
			if (found[i].start >= found[i].end || found[i].end > len ||
			    (found[i].window_end != KG_DAY_NONE &&
			     found[i].window_end < found[i].window_start) ||
			    (unsigned)found[i].doubt >= KG_JP_DOUBT_COUNT)
				abort();
	}
	if (kg_extract_text(text, len, &ctx, &x, &err) == 0) {
		for (i = 0; i < x.n; i++)
			if (x.v[i].expr_offset >= len || x.v[i].m.expr == NULL ||
			    (x.v[i].m.window_end != KG_DAY_NONE &&
			     x.v[i].m.window_end < x.v[i].m.window_start) ||
			    x.v[i].m.uncertain != (x.v[i].m.uncertain_reason != NULL))
				abort();
		for (i = 0; i < x.nskipped; i++)
			if (x.skipped[i].offset + x.skipped[i].len > len || x.skipped[i].why == NULL)
				abort();
	}
	kg_extract_clear(&x);
	return 0;
}
