/*
 * serialburst: says it waits for a key, reads one, then prints LINES lines, line i
 * the alphabet rotated by i (so no line has a letter twice, and two lines that
 * differ in their rotation end differently), then "serialburst: done" and exits 0.
 * The grader holds its end of the serial line meanwhile (grade/lab0_shell.py,
 * serial-once): the burst outgrows the socket, and each byte must still reach the
 * console once.
 */
#include <stdio.h>

#define LINES	64
#define LETTERS	26

int main(void)
{
	char line[LETTERS + 1];
	printf("serialburst: press a key\n");
	if (getchar() < 0)
		return 1;
	for (int i = 0; i < LINES; i++) {
		for (int k = 0; k < LETTERS; k++)
			line[k] = (char)('A' + (i + k) % LETTERS);
		line[LETTERS] = '\0';
		puts(line);
	}
	printf("serialburst: done\n");
	return 0;
}
