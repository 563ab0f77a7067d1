/* kigen — placeholder, replaced by the command table. */
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "kigen: not yet\n");
	return 1;
}
