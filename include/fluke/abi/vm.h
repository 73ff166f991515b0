/*
 * The memory model (handouts/api.md, "Memory"): spaces, regions and mappings.
 * A region exports [start_va, start_va + size) of its space; a mapping imports
 * [region_off, region_off + size) of a region at [start_va, ...) of its space.
 * Translation follows mapping -> region -> the region's space -> ... down to
 * physical memory, and the access allowed is the minimum of every prot on the way.
 */
#ifndef FLUKE_VM_H
#define FLUKE_VM_H

#include <stdint.h>

#define FLUKE_PROT_NONE		0x0
#define FLUKE_PROT_READ		0x1
#define FLUKE_PROT_WRITE	0x2
#define FLUKE_PROT_EXEC		0x4
#define FLUKE_PROT_CREATE_OB	0x8	/* objects may be created here (with WRITE) */
#define FLUKE_PROT_ALL		0xf

/* Space (Fluke's "task"). Link: the keeper port (its threads' exceptions that no
 * handler takes; <fluke/keeper.h>). The CPU figures are time-stamp counts: under
 * QEMU -icount shift=0 and Bochs (the grader's emulators), guest instructions. */
typedef struct fluke_space_state {
	uint32_t hash;
	uint32_t mem_limit;	/* bytes of kernel memory its threads may have charged */
	uint32_t mem_used;	/* bytes charged now; read-only (set_state ignores it) */
	uint64_t cpu_limit;	/* counts its threads may run; 0: no limit */
	uint64_t cpu_used;	/* counts its threads have run, the kernel's work for them
				 * included; read-only */
} fluke_space_state_t;

/* Region. Links: the space it exports, the keeper port (faults translation cannot
 * resolve past this region; <fluke/keeper.h>). */
typedef struct fluke_region_state {
	uint32_t hash;
	uint32_t start_va;	/* page aligned, in the region's space */
	uint32_t size;		/* bytes, page aligned */
	uint32_t prot;		/* the most any mapping derived from it may allow */
} fluke_region_state_t;

/* Mapping. Links: the region it imports, the space it lives in. */
typedef struct fluke_mapping_state {
	uint32_t hash;
	uint32_t region_off;	/* page aligned offset in the region */
	uint32_t start_va;	/* page aligned, in the mapping's space */
	uint32_t size;		/* bytes, page aligned */
	uint32_t prot;		/* wanted; the region's prot bounds it */
} fluke_mapping_state_t;

/* The most pages one fluke_region_search looks at (16 MiB of the region): the
 * kernel is not preempted, so a call stays short; *offset says where to go on. */
#define FLUKE_SEARCH_PAGES	4096

/* The most pages a region whose writes fluke_region_dirty tracks may have (64 MiB):
 * the kernel keeps one bit a page, in one small allocation. */
#define FLUKE_DIRTY_PAGES	16384

/* One object found by fluke_region_search. */
typedef struct fluke_search_entry {
	uint32_t va;		/* its address in the region's space */
	uint32_t type;		/* FLUKE_TYPE_* */
} fluke_search_entry_t;

/* Kernel counters (fluke_vm_stats), for tests that check nothing leaks. */
typedef struct fluke_vm_stats {
	uint32_t free_pages;	/* in the kernel's pool */
	uint32_t pool_pages;	/* size of the pool */
	uint32_t live_objects;	/* objects in the table */
	uint32_t user_pages;	/* physical pages given to the first task */
	uint32_t kmem_pages;	/* pages the kernel's small-object allocator holds */
	uint32_t kmem_bytes;	/* bytes of them in use */
} fluke_vm_stats_t;

#endif
