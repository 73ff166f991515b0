/* The kernel command line: "key=value" words separated by spaces (handouts/boot.md). */
#ifndef KERN_INIT_CMDLINE_H
#define KERN_INIT_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX 448

/* The command line the kernel was booted with (read by tests through GDB). */
extern char boot_cmdline[CMDLINE_MAX];

/* Copy the value of key into buf; 1 if the key is present, else 0 (buf untouched). */
int cmdline_value(const char *cmdline, const char *key, char *buf, size_t size);
/* Where the word "key=" starts, or NULL. */
const char *cmdline_find(const char *cmdline, const char *key);
/* Copy cmdline to out (size bytes, cut short if need be) without its words that
 * are key=VALUE: what the first task is given holds no nonce= (record.c). */
void cmdline_without(const char *cmdline, const char *key, char *out, size_t size);
/* The decimal or 0x-prefixed hexadecimal number s in *v: 0, or -1 if s is empty
 * or holds anything else. */
int cmdline_number(const char *s, uint64_t *v);

#endif
