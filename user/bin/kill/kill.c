/* kill [-N] PID...: send signal N (SIGTERM) to each process (a negative PID: a
 * group) of the process manager. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int sig = SIGTERM, arg = 1, status = 0;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		sig = atoi(argv[1] + 1);
		arg = 2;
	}
	if (arg >= argc) {
		printf("kill: write kill [-SIGNAL] PID...\n");
		return 2;
	}
	for (; arg < argc; arg++) {
		if (kill(atoi(argv[arg]), sig) < 0) {
			printf("kill: %s: %s\n", argv[arg], errno == ESRCH ? "no such process"
				: errno == EINVAL ? "no such signal" : "cannot signal it");
			status = 1;
		}
	}
	return status;
}
