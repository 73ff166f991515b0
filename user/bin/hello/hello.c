/* The first program students see: prints its greeting and its arguments. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from user space: %s", argv[0]);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf(" (argc=%d)\n", argc);
	return 0;
}
