/*
 * rpcload [N]: IPC-heavy: N rounds (default 50) of listing the whole file
 * system through the parent's FileSystem protocol, one request per entry; prints
 * how many requests it made and a checksum of what came back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <fluke/fs.h>
#include <fluke/abi/error.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 50;
	uint32_t calls = 0, sum = 0, size;
	char name[FLUKE_FS_NAME_MAX];
	for (int r = 0; r < rounds; r++) {
		for (uint32_t i = 0;; i++) {
			calls++;
			if (fluke_fs_list(i, name, &size) != FLUKE_SUCCESS)
				break;
			for (char *p = name; *p; p++)
				sum = sum * 31 + (unsigned char)*p;
		}
	}
	printf("rpcload: %u requests, checksum %08x\n", calls, sum);
	return 0;
}
