/* The first user task: loaded by the kernel from the boot file system. */
#ifndef KERN_INIT_ROOTTASK_H
#define KERN_INIT_ROOTTASK_H

struct thread;
struct space;

/* Load the program the command line names (init=, default "hello") and make its
 * first thread runnable. Stops the machine with a message if that fails. */
void roottask_start(const char *cmdline);
/* The first task's space (NULL until it is built): the kernel's own objects are
 * charged to it. */
struct space *roottask_space(void);
/* Whether t belongs to the first task. */
int roottask_owns(const struct thread *t);
/* s is being destroyed; if it is the first task's, the run ends (its threads
 * could never run again). */
void roottask_space_destroyed(const struct space *s);
/* t died of an unhandled exception; if it was the first task's, the run ends. */
void roottask_thread_failed(const struct thread *t);

#endif
