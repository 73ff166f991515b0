/*
 * Misuses the object calls on purpose, so tests can check how insanity is
 * reported (the kernel names the code and ends the run with END status=3):
 *   objfault [noobject|wrongtype|misaligned|exists|badaddr|locked|notheld|notref]
 * (default: noobject).
 */
#include <stdio.h>
#include <string.h>
#include <fluke/mutex.h>
#include <fluke/ref.h>

static fluke_mutex_t mutex;
static fluke_cond_t cond;
static char buffer[2 * FLUKE_OBJECT_SIZE] __attribute__((aligned(FLUKE_OBJECT_SIZE)));
static const fluke_mutex_t read_only;	/* .rodata: not writable */

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "noobject";
	printf("objfault: about to misuse an object call (%s)\n", how);
	if (strcmp(how, "wrongtype") == 0) {
		fluke_cond_create(&cond);
		fluke_mutex_lock((fluke_mutex_t *)&cond);		/* NOT_MUTEX */
	} else if (strcmp(how, "misaligned") == 0) {
		fluke_mutex_create((fluke_mutex_t *)(buffer + 8));	/* NOT_ALIGNED */
	} else if (strcmp(how, "exists") == 0) {
		fluke_mutex_create(&mutex);
		fluke_mutex_create(&mutex);				/* OBJECT_EXISTS */
	} else if (strcmp(how, "badaddr") == 0) {
		fluke_mutex_create((fluke_mutex_t *)&read_only);	/* INVALID_ADDRESS */
	} else if (strcmp(how, "locked") == 0) {
		fluke_mutex_create(&mutex);
		fluke_mutex_lock(&mutex);
		fluke_mutex_lock(&mutex);				/* MUTEX_LOCKED */
	} else if (strcmp(how, "notheld") == 0) {
		fluke_mutex_create(&mutex);
		fluke_mutex_unlock(&mutex);				/* MUTEX_NOT_HELD */
	} else if (strcmp(how, "notref") == 0) {
		fluke_mutex_create(&mutex);
		fluke_cond_create(&cond);
		fluke_mutex_reference(&mutex, (fluke_ref_t *)&cond);	/* NOT_REF */
	} else {
		fluke_mutex_lock(&mutex);				/* NO_OBJECT */
	}
	printf("objfault: still running after the misuse\n");
	return 1;
}
