/*
 * capture — runs one of kigen's helper programs (helper.h) as a child and
 * takes what it wrote.  kigen-pdftotext and kigen-fetch are filters whose
 * output `kigen import` goes on with, not commands that replace kigen: the
 * child's standard input is given bytes, its standard output (and, when
 * asked, file descriptor 3, where a helper writes metadata) is captured
 * whole, and a failure is the one line it wrote on standard error.
 *
 * The child's streams are memory files (memfd), not pipes: the parent
 * writes the input before the child starts and reads the output after it
 * ended, so neither side can block on the other, and no temporary file is
 * left on disk.  Outputs are bounded by KG_TEXT_MAX_BYTES (textio.h).
 */
#ifndef KG_CLI_CAPTURE_H
#define KG_CLI_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

struct cli_capture {
	char *out;       /* its standard output, NUL-terminated */
	size_t out_len;
	char *meta;      /* what it wrote on fd 3; NULL unless asked for */
	size_t meta_len;
};

/*
 * Runs helper `name` (found with cli_helper_path) with the arguments args
 * (NULL-terminated, without the program itself), in[0..in_len) on its
 * standard input (in may be NULL: empty input), and fills c.  CLI_OK when
 * it exited 0; otherwise CLI_FAIL with its message in cli->err (the first
 * line it wrote on standard error, else how it ended).  The caller clears
 * c with cli_capture_clear, also after a failure.
 */
int cli_helper_capture(struct cli *cli, const char *name, char *const args[],
    const char *in, size_t in_len, bool want_meta, struct cli_capture *c);

void cli_capture_clear(struct cli_capture *c);

#endif
