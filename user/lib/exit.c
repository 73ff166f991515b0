/* Program exit. The first task stops the machine; under a parent (arriving with
 * the Parent protocol) exit reports the status to it instead. */
#include <stdlib.h>
#include <fluke/syscalls.h>

void exit(int status)
{
	fluke_debug_shutdown(status);
	for (;;)
		;
}
