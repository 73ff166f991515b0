/* Kernel self-tests chosen with ktest= on the command line (handouts/boot.md). */
#ifndef KERN_INIT_KTEST_H
#define KERN_INIT_KTEST_H

/* Run the self-test the command line names, if any; a test ends the run itself. */
void ktest_run(const char *cmdline);

#endif
