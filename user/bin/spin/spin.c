/* spin [N]: CPU-bound: count the primes below N (default 20000) by trial division. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000, count = 0;
	for (int i = 2; i < n; i++) {
		int prime = 1;
		for (int d = 2; d * d <= i && prime; d++)
			prime = i % d != 0;
		count += prime;
	}
	printf("spin: %d primes below %d\n", count, n);
	return 0;
}
