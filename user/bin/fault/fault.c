/*
 * Faults on purpose, so tests can check how faults are reported:
 *   fault [write|divide|int3|gpf]      (default: write to address 0)
 * An unknown mode is refused with the list of modes (exit status 2), without
 * faulting.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "write";
	if (strcmp(how, "write") != 0 && strcmp(how, "divide") != 0 &&
	    strcmp(how, "int3") != 0 && strcmp(how, "gpf") != 0) {
		printf("fault: unknown mode '%s'; the modes are write, divide, int3 and gpf\n",
		       how);
		return 2;
	}
	printf("fault: about to fault (%s)\n", how);
	if (strcmp(how, "divide") == 0) {
		/* In assembly: the compiler may rewrite a C division it can see. */
		__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
	} else if (strcmp(how, "int3") == 0) {
		__asm__ volatile("int3");
	} else if (strcmp(how, "gpf") == 0) {
		__asm__ volatile("cli");	/* privileged in ring 3 */
	} else {
		*(volatile int *)0 = 1;
	}
	printf("fault: still running after the fault\n");
	return 1;
}
