/*
 * libFuzzer target for the report parser (lib/report, lib/textio and, through
 * them, the layouts and the extractor).  The first byte picks the encoding
 * option, whether an as-of date is given and (bits 3..7) a forced layout; the
 * rest is the report.  Besides "no crash, no
 * leak, no undefined behaviour" it checks the import's invariants.
 *
 * Also compiled into tests/unit/test_fuzz_replay.c (with the entry point
 * renamed) to replay tests/fuzz/regressions/ in `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[] = {NULL, "utf-8", "cp932", "euc-jp"};
	struct kg_report_opts o = {.name = "fuzz.txt", .as_of = KG_DAY_NONE};
	struct kg_import imp;
	struct kg_err err;
	size_t i;

	if (size == 0)
		return 0;
	o.encoding = encodings[data[0] & 3];
	if (data[0] & 4)
		o.as_of = kg_day_from_civil(2008, 9, 30);
	if (data[0] >> 3)
		o.layout = kg_layouts[(size_t)((data[0] >> 3) - 1) % kg_nlayouts]->name;
	if (kg_report_parse((const char *)data + 1, size - 1, &o, &imp, &err) == 0) {
		if (imp.measures.n == 0 || imp.doc.as_of == KG_DAY_NONE || imp.doc.sha256 == NULL)
			abort();
		for (i = 0; i < imp.measures.n; i++)
			if (imp.measures.v[i].title == NULL || imp.measures.v[i].progress == NULL)
				abort();
		for (i = 0; i < imp.milestones.n; i++) {
			const struct kg_milestone *m = &imp.milestones.v[i];

			if (m->measure_id < 0 || (size_t)m->measure_id >= imp.measures.n || m->line < 1 ||
			    m->expr == NULL || m->window_start == KG_DAY_NONE ||
			    (m->window_end != KG_DAY_NONE && m->window_end < m->window_start))
				abort();
		}
	} else if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL || err.msg[0] == '\0') {
		abort(); /* a failure always says why */
	}
	kg_import_clear(&imp);
	return 0;
}
