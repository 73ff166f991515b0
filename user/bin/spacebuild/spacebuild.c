/*
 * Lab 1, exercise 3: a child space built by hand (handouts/lab1.md).  The program makes
 * a new space and gives it two areas, each a region over the program's own memory
 * imported into the child by a mapping: the two pages of its own code that hold
 * child_main (read and execute, at the same addresses), and one fresh page of data
 * (read and write) that parent and child share, whose top is the child's stack.  Then
 * it starts a thread in the child at child_main, waits until the child says it is done,
 * prints what the child computed and takes everything down again.
 */
#include <fluke/abi/error.h>
#include <fluke/pages.h>
#include <fluke/ref.h>
#include <fluke/space.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <fluke/abi/vm.h>
#include <stdio.h>

#define PAGE_DOWN(x)	((x) & ~(FLUKE_PAGE_SIZE - 1))

/* The page the child and the parent share. */
struct shared {
	volatile uint32_t done;		/* set by the child last */
	volatile uint32_t primes;	/* its answer */
	uint32_t limit;			/* its question */
};

/* Everything the child is made of; objects live in memory that allows them. */
static struct child {
	fluke_space_t space;
	fluke_ref_t space_ref;
	fluke_thread_t thread;
	fluke_region_t code, data;	/* over this program's memory */
	fluke_ref_t code_ref, data_ref;
	fluke_mapping_t code_map, data_map;	/* of each region into the child */
} child;

/* Runs in the child, on the shared page: only its own code and that page are there, so
 * it calls nothing but system calls (inline) and touches nothing but sh. */
static __attribute__((noinline)) void child_main(struct shared *sh)
{
	uint32_t count = 0;
	for (uint32_t n = 2; n < sh->limit; n++) {
		uint32_t d = 2;
		while (d * d <= n && n % d)
			d++;
		count += d * d > n;
	}
	sh->primes = count;
	sh->done = 1;
	for (;;)
		fluke_thread_yield();
}

/* Build the child: a space, the code and data regions and their mappings into it at
 * the same addresses, and a thread at child_main(sh) whose stack is the top of the
 * shared page.  Returns 0 or an error. */
static int build_child(struct child *c, struct shared *sh)
{
	/* LAB 1: BEGIN SOLUTION */
	uint32_t code = PAGE_DOWN((uint32_t)child_main), data = (uint32_t)sh;
	fluke_space_create(&c->space);
	fluke_ref_create(&c->space_ref);
	fluke_space_reference(&c->space, &c->space_ref);

	fluke_region_state_t rs = { 0, code, 2 * FLUKE_PAGE_SIZE, FLUKE_PROT_READ | FLUKE_PROT_EXEC };
	fluke_region_create(&c->code);
	fluke_region_set_state(&c->code, &rs, fluke_self_space(), 0);
	rs = (fluke_region_state_t){ 0, data, FLUKE_PAGE_SIZE, FLUKE_PROT_READ | FLUKE_PROT_WRITE };
	fluke_region_create(&c->data);
	fluke_region_set_state(&c->data, &rs, fluke_self_space(), 0);
	fluke_ref_create(&c->code_ref);
	fluke_region_reference(&c->code, &c->code_ref);
	fluke_ref_create(&c->data_ref);
	fluke_region_reference(&c->data, &c->data_ref);

	fluke_mapping_state_t ms = { 0, 0, code, 2 * FLUKE_PAGE_SIZE,
				     FLUKE_PROT_READ | FLUKE_PROT_EXEC };
	fluke_mapping_create(&c->code_map);
	int rc = fluke_mapping_set_state(&c->code_map, &ms, &c->code_ref, &c->space_ref);
	ms = (fluke_mapping_state_t){ 0, 0, data, FLUKE_PAGE_SIZE,
				      FLUKE_PROT_READ | FLUKE_PROT_WRITE };
	fluke_mapping_create(&c->data_map);
	if (rc == FLUKE_SUCCESS)
		rc = fluke_mapping_set_state(&c->data_map, &ms, &c->data_ref, &c->space_ref);
	if (rc != FLUKE_SUCCESS)
		return rc;

	/* The stack: a return address nobody uses, then the argument. */
	uint32_t *sp = (uint32_t *)(data + FLUKE_PAGE_SIZE) - 4;
	sp[0] = 0;
	sp[1] = (uint32_t)sh;
	fluke_thread_state_t ts = { .priority = FLUKE_PRIO_DEFAULT,
				    .eip = (uint32_t)child_main, .esp = (uint32_t)sp };
	fluke_thread_create(&c->thread);
	return fluke_thread_set_state(&c->thread, &ts, &c->space_ref, 0);
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)c, (void)sh, (void)child_main;
	//| return FLUKE_INVALID_ARGUMENT;
	/* LAB 1: END */
}

/* Take the child down: its thread first, then what it was running in. */
static void destroy_child(struct child *c)
{
	fluke_thread_destroy(&c->thread);
	fluke_mapping_destroy(&c->code_map);
	fluke_mapping_destroy(&c->data_map);
	fluke_region_destroy(&c->code);
	fluke_region_destroy(&c->data);
	fluke_ref_destroy(&c->code_ref);
	fluke_ref_destroy(&c->data_ref);
	fluke_space_destroy(&c->space);
	fluke_ref_destroy(&c->space_ref);
}

int main(void)
{
	struct shared *sh = fluke_pages_get(1);
	if (!sh) {
		printf("spacebuild: no memory for the shared page\n");
		return 1;
	}
	sh->done = sh->primes = 0;
	sh->limit = 10000;
	int rc = build_child(&child, sh);
	if (rc != FLUKE_SUCCESS) {
		printf("spacebuild: build_child: error %d\n", rc);
		return 1;
	}
	uint32_t turns = 0;
	while (!sh->done && turns < 10000) {	/* a dead child never finishes: give up soon */
		fluke_thread_yield();
		turns++;
	}
	fluke_thread_state_t ts;
	fluke_ref_t where;
	fluke_ref_create(&where);
	fluke_thread_get_state(&child.thread, &ts, &where, 0, 0, 0, 0);
	int own = fluke_ref_compare(&where, &child.space_ref) &&
		  !fluke_ref_compare(&where, fluke_self_space());
	fluke_ref_destroy(&where);
	destroy_child(&child);
	if (!sh->done) {
		printf("spacebuild: the child never finished\n");
		return 1;
	}
	printf("spacebuild: the child counted %u primes below %u %s\n", sh->primes, sh->limit,
	       own ? "in a space of its own" : "but not in its own space");
	int ok = own && sh->primes == 1229;
	fluke_pages_put(sh, 1);
	return ok ? 0 : 1;
}
