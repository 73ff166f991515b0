/*
 * Starting a program in a new space (for monitors). The child's memory is pages
 * of the monitor's own (<fluke/pages.h>), each area exported by a region over
 * the monitor's space and imported by a mapping into the child's: revoking or
 * destroying it is the monitor's to do. The child starts with the convention of
 * <fluke/start.h>: argc, argv, a struct fluke_start_info holding its Parent
 * reference, and FLUKE_START_CHILD.
 */
#ifndef FLUKE_PROC_H
#define FLUKE_PROC_H

#include <fluke/space.h>
#include <fluke/thread.h>

#define FLUKE_PROC_AREAS	16	/* the stack, ELF segments (and a fork's heap copies) */
#define FLUKE_PROC_STACK	(16 * 4096u)	/* the stack: areas[0], */
#define FLUKE_PROC_STACK_TOP	0xC0000000u	/* ending here in the child */

struct fluke_proc_area {
	fluke_region_t region;		/* over mem, in the monitor's space */
	fluke_mapping_t mapping;	/* of region into the child */
	fluke_ref_t region_ref;
	char *mem;			/* the pages, at the monitor's addresses */
	uint32_t size;			/* bytes; 0: unused */
	uint32_t va, prot;		/* where in the child, and how mapped */
};

/* Must live in memory that allows objects (a global, or malloc). */
struct fluke_proc {
	fluke_space_t space;
	fluke_thread_t thread;
	fluke_ref_t space_ref;
	struct fluke_proc_area areas[FLUKE_PROC_AREAS];
	uint32_t flags;			/* set before fluke_proc_start: the thread flags its
					 * thread starts with (FLUKE_THREAD_STOPPED: a
					 * debugger's child waits for it at its entry) */
};

/* Load the ELF image [elf, elf + size) into a new space and start its thread
 * with argv and a Parent reference pointing where parent points; keeper (may be
 * NULL) becomes the space's keeper port, which gets the exceptions the program
 * does not handle itself (<fluke/keeper.h>). Returns 0,
 * FLUKE_INVALID_ARGUMENT (not an i386 ELF program) or FLUKE_NO_MEMORY; on
 * failure nothing is left behind. */
int fluke_proc_start(struct fluke_proc *p, const void *elf, uint32_t size, int argc,
		     char **argv, const fluke_ref_t *parent, const fluke_ref_t *keeper);
/* The pieces of fluke_proc_start, for a monitor that builds a process another
 * way (a fork): begin makes the space (keeper as in fluke_proc_start) and the
 * thread object, not started; add_area gives it area i, size bytes of fresh
 * zeroed pages mapped at va with prot. FLUKE_SUCCESS or FLUKE_NO_MEMORY; on
 * failure fluke_proc_destroy takes back what was made. */
int fluke_proc_begin(struct fluke_proc *p, const fluke_ref_t *keeper);
int fluke_proc_add_area(struct fluke_proc *p, unsigned i, uint32_t va, uint32_t size,
			uint32_t prot);
/* Whether [elf, elf + size) has the headers of an i386 ELF program (its
 * segments are checked as it loads). */
int fluke_proc_valid(const void *elf, uint32_t size);
/* The bytes of an ELF file of file_size bytes that fluke_proc_start reads, given
 * its first have bytes at elf: up to the end of its last loaded segment (the
 * symbols and debugging sections after it are never read). file_size if the
 * headers are not all among those bytes or the file is no ELF program. */
uint32_t fluke_proc_image_size(const void *elf, uint32_t have, uint32_t file_size);
/* Whether the file name is a program a monitor may start (at boot or by SPAWN):
 * every file but the root (the first task, never anyone's child) and the boot
 * configuration. The one rule, for every monitor and the root's boot check. */
int fluke_is_program(const char *name);
/* Stop it and take back everything: its thread, space, memory and every object
 * that lived in that memory. */
void fluke_proc_destroy(struct fluke_proc *p);

#endif
