/* Kernel printing to the console (formatting: lib/fmt.c). */
#ifndef KERN_LIB_PRINTF_H
#define KERN_LIB_PRINTF_H

#include <fmt.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vkprintf(const char *fmt, va_list ap);

#endif
