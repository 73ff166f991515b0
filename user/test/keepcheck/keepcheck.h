/*
 * keepcheck: what its check files share. The first task (A) builds a space C,
 * runs child threads there on A's program text, and keeps C's memory and
 * exceptions itself.
 */
#ifndef KEEPCHECK_H
#define KEEPCHECK_H

#include <stdint.h>
#include <fluke/abi/boot.h>
#include <fluke/ipc.h>
#include <fluke/keeper.h>
#include <fluke/space.h>
#include <fluke/test.h>
#include <fluke/thread.h>

#define PAGE		4096u
#define DATA_C		0x50000000u	/* C's view of the region A keeps */
#define STACK_C		0x60000000u	/* C's two stack pages */
#define BACK_A		0x70000000u	/* A's side of that region: backed on demand */

extern struct fluke_boot_info *boot;
extern fluke_thread_t child, child2;
extern fluke_region_t reg_data;		/* A's region at BACK_A, kept by A */
extern fluke_mapping_t map_data;	/* ... imported by C at DATA_C */
extern fluke_mapping_t backing[];	/* the pages backing it, by page number */
extern fluke_ref_t ref_self, ref_c, ref_port, ref_thread, ref_about;
extern fluke_keeper_msg_t msg;		/* the request next_request received */

/* One page of A's free memory, zeroed: its address in A. */
uint32_t take_page(void);
/* Make r the region [va, va + size) of space, with prot and keeper (refs, may be 0). */
int region(fluke_region_t *r, const fluke_ref_t *space, uint32_t va, uint32_t size,
	   uint32_t prot, const fluke_ref_t *keeper);
/* Make m map r from offset off into space at [va, va + size) with prot. */
int mapping(fluke_mapping_t *m, fluke_region_t *r, uint32_t off, const fluke_ref_t *space,
	    uint32_t va, uint32_t size, uint32_t prot);
/* Build C (A's text, two stack pages, A as its keeper) and run child at fn(a1, a2);
 * start_child2 runs child2 in the same C on the second stack page. 0 on success. */
int start_child(void (*fn)(uint32_t, uint32_t), uint32_t a1, uint32_t a2);
int start_child2(void (*fn)(uint32_t, uint32_t), uint32_t a1, uint32_t a2);
/* Destroy C and its threads. */
void stop_child(void);
/* Wait for the next keeper request into msg, answering the last one first if
 * answer (with fail: "could not handle it"). 0, or -1 if it was no keeper request. */
int next_request(int answer, int fail);

void syscalls(void);

#endif
