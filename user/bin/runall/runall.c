/*
 * Lab 2 (a placeholder until the pager lab lands): runs lab 1's two programs, echo and
 * spacebuild, through the Parent protocol and reports how each ended.  Its tests run over
 * the reference layers: in a lab 2 tree, echo and spacebuild are the staff's binaries
 * from labs/ref/ unless make grade is given MINE=1 (handouts/lab2.md).
 */
#include <fluke/abi/error.h>
#include <fluke/parent.h>
#include <stdio.h>

/* Start argv[0] with its arguments, wait for it and return its exit status, or minus
 * the error if it could not be started. */
static int run(int argc, char **argv)
{
	/* LAB 2: BEGIN SOLUTION */
	uint32_t pid;
	int status, rc = fluke_parent_spawn(argc, argv, &pid);
	if (rc != FLUKE_SUCCESS)
		return -rc;
	rc = fluke_parent_wait(pid, &status);
	return rc == FLUKE_SUCCESS ? status : -rc;
	/* LAB 2: SKELETON */
	//| /* LAB 2: your code here */
	//| (void)argc, (void)argv;
	//| return -FLUKE_INVALID_ARGUMENT;
	/* LAB 2: END */
}

int main(void)
{
	static char *programs[] = { "echo", "spacebuild" };
	int bad = 0;
	for (unsigned i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		char *argv[] = { programs[i], 0 };
		int status = run(1, argv);
		printf("runall: %s %s %d\n", programs[i], status < 0 ? "could not start:" :
		       "exited with status", status < 0 ? -status : status);
		bad += status != 0;
	}
	return bad ? 1 : 0;
}
