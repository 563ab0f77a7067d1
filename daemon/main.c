/* kigend — placeholder until the daemon lands (issue 4). */
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "kigend: not yet: the daemon arrives with the HTTP feed work\n");
	return 1;
}
