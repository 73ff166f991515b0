#ifndef FLUKE_STDLIB_H
#define FLUKE_STDLIB_H

#include <stddef.h>

void exit(int status) __attribute__((noreturn));

#endif
