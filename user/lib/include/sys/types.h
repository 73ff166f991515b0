/* POSIX types of <unistd.h> and friends. */
#ifndef FLUKE_SYS_TYPES_H
#define FLUKE_SYS_TYPES_H

#include <stddef.h>

typedef int pid_t;
typedef int ssize_t;

#endif
