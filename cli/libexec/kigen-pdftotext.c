/*
 * kigen-pdftotext — helper of `kigen import` (capture.h): the text of the
 * PDF on standard input, pages in reading order separated by form feeds
 * (pdftext.h), on standard output.  kigen itself links no poppler.
 *
 * Exit 0; or 1 with the reason on standard error, one line, as kigen
 * prints it after the document's name ("PDF is encrypted and needs a
 * password").
 */
#include <stdio.h>
#include <stdlib.h>

#include "pdftext.h"
#include "textio.h"

int
main(int argc, char **argv)
{
	struct kg_err err;
	char *pdf = NULL, *text = NULL;
	size_t len, tlen;
	int rc = 1;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: kigen-pdftotext <PDF >TEXT\n");
		return 2;
	}
	if (kg_text_read_fd(0, &pdf, &len, &err) < 0 ||
	    kg_pdf_text(pdf, len, &text, &tlen, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		goto out;
	}
	if (fwrite(text, 1, tlen, stdout) != tlen || fflush(stdout) != 0) {
		perror("kigen-pdftotext: writing the text");
		goto out;
	}
	rc = 0;
out:
	free(pdf);
	free(text);
	return rc;
}
