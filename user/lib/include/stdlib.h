#ifndef FLUKE_STDLIB_H
#define FLUKE_STDLIB_H

#include <stddef.h>

/* Ends the program: the first task stops the machine, a child tells its parent. */
void exit(int status) __attribute__((noreturn));

/* The heap (user/lib/malloc.c): 16-byte aligned blocks over <fluke/pages.h>. */
void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void free(void *p);

/* Start the program argv[0] of the boot file system with argv as a new child of
 * this program's parent (the Parent protocol); returns its pid, or minus a
 * FLUKE_* error. spawn_wait waits for it to end and stores its exit status (under
 * a process manager, 128 + N for a process ended by signal N); returns 0 or minus
 * a FLUKE_* error (FLUKE_NOT_FOUND: no such child). Under a process manager
 * (monitors/pm) the child is a process of the caller's, with its descriptors,
 * and <unistd.h>'s waitpid works on it too. */
int spawn(int argc, char **argv);
int spawn_wait(int pid, int *status);

int atoi(const char *s);

#endif
