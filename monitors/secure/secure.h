/*
 * The security monitor's policy (monitors/secure, handouts/lab6.md): what its
 * children may do, from rules written as KEY=VALUE, one a line of a policy file
 * in the boot file system (policy=FILE) or joined by '+' in the monitor's mode
 * (stack=secure:open=hello:ro+mem=64):
 *   open=NAME:ro|rw  FileSystem OPEN of NAME is allowed (NAME ending in '*':
 *                    every name it begins, the flat boot file system's
 *                    directories); ro and rw say the same today, since the
 *                    boot file system is read-only
 *   deny=NAME        OPEN of NAME (or NAME*) is refused
 *   mem=PAGES        MemPool pages all the children's clients may hold at once
 *                    (0: no cap)
 *   cpu=INSTRUCTIONS guest instructions each child's space may run, counted by
 *                    the kernel (time-stamp counts: <fluke/abi/vm.h>); a K, M or G
 *                    after the number multiplies it by a thousand, a million or a
 *                    billion (cpu=50M; 0: no budget)
 *   spawn=N          Parent SPAWNs each child may make (default 0)
 *   rate=BYTES       Console bytes each child may write a timer tick of guest time,
 *                    in bursts of RATE_BURST ticks' worth (0: no limit)
 *   denials=N        refusals before the child is ended (0: never; default 8)
 *   block=none|ro|rw the Block protocol (the swap disk): none (the default), SIZE
 *                    and READ, or everything
 *   crash=N          a test hook: the monitor faults on its Nth request served
 * open and deny rules are numbered from 1 in the order read (the file's, then
 * the mode's); the first that matches a name decides, and a name no rule
 * matches is refused.
 */
#ifndef SECURE_H
#define SECURE_H

#include <fluke/fs.h>
#include <stdint.h>

#define SECURE_RULES	32
#define RATE_BURST	8

struct secure_rule {
	char name[FLUKE_FS_NAME_MAX];	/* without the '*' */
	int prefix;			/* NAME*: every name that begins with name */
	int allow;			/* open= (1) or deny= (0) */
	int write;			/* open=NAME:rw */
};

struct secure_policy {
	struct secure_rule rules[SECURE_RULES];
	uint32_t nrules;
	uint32_t mem, spawn, rate, denials, crash;
	uint64_t cpu;			/* cpu=, in instructions */
	int block;			/* BLOCK_NONE, BLOCK_RO, BLOCK_RW */
	const char *file;		/* policy=, or NULL */
};

enum { BLOCK_NONE, BLOCK_RO, BLOCK_RW };

/* The defaults: nothing may be opened, spawned or touched on the disk; eight
 * refusals end the child. */
void policy_init(struct secure_policy *p);
/* Read the rules of mode (its '+'-joined words; NULL: none), and of the file its
 * policy= names first. 0, or -1 after saying on the console what is wrong:
 * the file's line or the mode's word, and the fix. */
int policy_read(struct secure_policy *p, const char *mode);
/* The number (from 1) of the first rule matching name, or 0 if none does. */
uint32_t policy_match(const struct secure_policy *p, const char *name);

#endif
