/*
 * The child as a debugging target. Its threads are objects in memory the
 * debugger holds: its main thread in the monitor's struct fluke_proc, the rest
 * wherever the child put them, in its ELF areas or its MemPool grants, which
 * fluke_region_search lists. Its memory: an address in an ELF area (text, data,
 * stack) is the debugger's own page (area mem), written directly even where the
 * child may only read (a breakpoint's int3 in its text); any other address is
 * reached through a one-page window, a region over that page of the child's
 * space mapped into the debugger's, copied by probe_copy, which an exception
 * handler stops at a fault (an address the child has no memory at) instead of
 * the fault ending the debugger: every thread that reaches the child's memory
 * (the session's, and server threads in the exception hook) installs it.
 * Threads the scan finds in the child's memory that run in another space (the
 * child is a monitor keeping its own child's) are resumed at once: stopping
 * them is harmless (their calls restart), though one stopped by its own
 * monitor would be resumed too.
 * Invariants (mon.lock held): every thread in threads[] with stopped set has
 * its registers in st and does not run; breakpoints[] lists every int3 the
 * debugger has written into the child, with the byte it replaced, and no other
 * byte of the child differs from what the child (or GDB's M/X) wrote.
 * Watchpoints are single steps, not page protection: while one is set every
 * thread resumed runs with TF, and the exception hook compares the watched bytes
 * after each instruction, resuming the thread at once while they are unchanged
 * (a write of the same value is no hit, as with GDB's own software watchpoints).
 * Only write watchpoints (Z2) exist: a read leaves nothing to compare.
 */
#include "debug.h"
#include <fluke/proc.h>
#include <fluke/grant.h>
#include <fluke/start.h>
#include <fluke/exception.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <fluke/syscalls.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE		4096u
#define WINDOW_VA	0xb0000000u	/* a page of the debugger's space nothing else uses */
#define TF		0x100u
#define SEG_UCODE	0x1b		/* the kernel's user selectors (kern/arch/mmu.h) */
#define SEG_UDATA	0x23

struct target tgt;

static struct {
	uint32_t va;
	uint8_t saved;
	int used;
} breaks[DBG_BREAKS];

/* Write watchpoints (Z2): while any is set, every resumed thread runs with TF,
 * and each single-step trap compares the watched bytes with what they held. */
#define WATCH_MAX	16		/* bytes one watchpoint covers */
static struct {
	uint32_t va, len;
	uint8_t old[WATCH_MAX];
	int used;
} watches[DBG_WATCHES];
static int nwatches;

static fluke_region_t window_region;
static fluke_mapping_t window_mapping;
static fluke_ref_t window_ref, scratch_ref, space_ref;
static uint32_t area_va[FLUKE_PROC_AREAS];	/* each area's address in the child */

static struct fluke_proc *proc(void)
{
	return &tgt.m->children[tgt.slot].proc;
}

/* Copy n bytes from src to dst; the bytes not copied (a fault stopped it). */
uint32_t probe_copy(void *dst, const void *src, uint32_t n);
extern char probe_insn[], probe_fixup[];
__asm__(".text\n"
	".globl probe_copy, probe_insn, probe_fixup\n"
	"probe_copy:\n\tpushl %esi\n\tpushl %edi\n"
	"\tmovl 12(%esp), %edi\n\tmovl 16(%esp), %esi\n\tmovl 20(%esp), %ecx\n"
	"\tcld\n"
	"probe_insn:\n\trep movsb\n"
	"probe_fixup:\n\tmovl %ecx, %eax\n\tpopl %edi\n\tpopl %esi\n\tret\n");

/* The session thread's exception handler: a fault in probe_copy ends the copy. */
static void probe_fault(uint32_t exc, uint32_t code, uint32_t addr)
{
	fluke_thread_saved_t s;
	fluke_thread_get_saved_state(&s);
	if (s.eip == (uint32_t)probe_insn) {
		s.eip = (uint32_t)probe_fixup;
		fluke_thread_set_saved_state(&s);
		return;
	}
	printf("debug: exception %u (code 0x%x, address 0x%08x) at eip 0x%08x in the debugger\n",
	       exc, code, addr, s.eip);
	exit(255);
}

void target_init(struct fluke_monitor *m, uint32_t slot)
{
	tgt.m = m;
	tgt.slot = slot;
	tgt.attached = 1;
	fluke_ref_create(&window_ref);
	fluke_ref_create(&scratch_ref);
	fluke_ref_create(&space_ref);
	fluke_region_create(&window_region);
	fluke_mapping_create(&window_mapping);
	struct fluke_proc *p = proc();
	for (unsigned i = 0; i < FLUKE_PROC_AREAS; i++) {
		fluke_mapping_state_t ms;
		if (p->areas[i].size && fluke_mapping_get_state(&p->areas[i].mapping, &ms, 0, 0) == 0)
			area_va[i] = ms.start_va;
	}
}

void target_thread_init(void)
{
	fluke_exception_handler(probe_fault);
}

/* --- Threads ------------------------------------------------------------------ */

uint32_t target_tid(const struct dthread *t)
{
	return t - tgt.threads + 1;
}

/* A thread object found at obj: note it, and stop it if stop (then it is in
 * the table only if it runs in the child's space). */
static void found(fluke_thread_t *obj, int stop)
{
	struct dthread *t, *free_entry = 0;
	for (t = tgt.threads; t < tgt.threads + DBG_THREADS; t++) {
		if (t->obj == obj) {
			t->seen = 1;
			break;
		}
		if (!t->obj && !free_entry)
			free_entry = t;
	}
	if (t == tgt.threads + DBG_THREADS) {
		if (!free_entry)
			return;
		t = free_entry;
		t->obj = obj;
		t->seen = 1;
		t->stopped = 0;
	}
	if (stop && !t->stopped) {
		fluke_ref_clear(&space_ref);
		if (fluke_thread_get_state(obj, &t->st, &space_ref, 0, 0, 0, 0) != 0) {
			t->obj = 0;
			return;
		}
		if (!fluke_ref_compare(&space_ref, &proc()->space_ref)) {
			/* Not started, or not the child's: a thread the child keeps for a
			 * child of its own (the child is a monitor). It runs on. */
			if (fluke_ref_type(&space_ref) != FLUKE_TYPE_NONE) {
				t->st.flags &= ~FLUKE_THREAD_STOPPED;
				fluke_thread_set_state(obj, &t->st, 0, 0);
			}
			t->obj = 0;
			return;
		}
		t->stopped = 1;
	}
}

static void search(const fluke_region_t *r, uint32_t size, int stop)
{
	fluke_search_entry_t e[16];
	uint32_t off = 0, n;
	do {
		n = 16;
		if (fluke_region_search(r, &off, size - off, e, &n) != 0)
			return;
		for (uint32_t i = 0; i < n; i++)
			if (e[i].type == FLUKE_TYPE_THREAD)
				found((fluke_thread_t *)e[i].va, stop);
	} while (off < size);
}

static int search_grant(void *arg, char *mem, uint32_t size, const fluke_region_t *region)
{
	(void)mem;
	search(region, size, *(int *)arg);
	return 0;
}

void target_scan(int stop)
{
	struct fluke_proc *p = proc();
	for (struct dthread *t = tgt.threads; t < tgt.threads + DBG_THREADS; t++)
		t->seen = 0;
	found(&p->thread, stop);
	for (unsigned i = 0; i < FLUKE_PROC_AREAS; i++)
		if (p->areas[i].size)
			search(&p->areas[i].region, p->areas[i].size, stop);
	fluke_grant_each(tgt.m->children[tgt.slot].client, search_grant, &stop);
	for (struct dthread *t = tgt.threads; t < tgt.threads + DBG_THREADS; t++)
		if (t->obj && !t->seen)
			t->obj = 0;		/* gone */
}

void target_stop_all(void)
{
	target_scan(1);
}

struct dthread *target_thread(uint32_t tid)
{
	if (tid == 0 || tid == (uint32_t)-1) {
		if (tgt.stop.tid && tgt.threads[tgt.stop.tid - 1].obj)
			return &tgt.threads[tgt.stop.tid - 1];
		for (struct dthread *t = tgt.threads; t < tgt.threads + DBG_THREADS; t++)
			if (t->obj)
				return t;
		return 0;
	}
	if (tid > DBG_THREADS || !tgt.threads[tid - 1].obj)
		return 0;
	return &tgt.threads[tid - 1];
}

/* LAB 4: BEGIN SOLUTION */
static int breakpoint_at(uint32_t va)
{
	for (int i = 0; i < DBG_BREAKS; i++)
		if (breaks[i].used && breaks[i].va == va)
			return i;
	return -1;
}
/* LAB 4: END */

/* GDB's signal for the exception or fault k reports. */
static int signal_of(const fluke_keeper_msg_t *k)
{
	/* LAB 4: BEGIN SOLUTION */
	if (k->kind == FLUKE_KEEPER_PAGE_FAULT)
		return SIG_SEGV;
	switch (k->exc) {
	case FLUKE_EXC_DEBUG: case FLUKE_EXC_BREAKPOINT: return SIG_TRAP;
	case FLUKE_EXC_DIVIDE: return SIG_FPE;
	case FLUKE_EXC_INVALID_OP: return SIG_ILL;
	case FLUKE_EXC_GENERAL: case FLUKE_EXC_PAGE_FAULT: return SIG_SEGV;
	case FLUKE_EXC_INSANITY: return SIG_SYS;
	default: return SIG_TRAP;
	}
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)k;
	//| return SIG_TRAP;
	/* LAB 4: END */
}

/* The table's thread that ref names, or NULL. */
static struct dthread *thread_of(const fluke_ref_t *ref)
{
	for (struct dthread *t = tgt.threads; t < tgt.threads + DBG_THREADS; t++) {
		if (!t->obj)
			continue;
		fluke_thread_reference(t->obj, &scratch_ref);
		if (fluke_ref_compare(&scratch_ref, ref))
			return t;
	}
	return 0;
}

/* A watched range whose bytes changed: its address in *va (and its new bytes
 * kept as the old), 1; else 0. */
static int watch_hit(uint32_t *va)
{
	for (int i = 0; i < DBG_WATCHES; i++) {
		uint8_t now[WATCH_MAX];
		if (!watches[i].used)
			continue;
		uint32_t n = target_read(watches[i].va, now, watches[i].len);
		if (n == watches[i].len && memcmp(now, watches[i].old, n) != 0) {
			memcpy(watches[i].old, now, n);
			*va = watches[i].va;
			return 1;
		}
	}
	return 0;
}

int target_exception(const fluke_keeper_msg_t *k, const fluke_ref_t *ref)
{
	struct dthread *t;
	uint32_t watched = 0;
	int watch = 0;
	if (nwatches && k->kind == FLUKE_KEEPER_EXCEPTION && k->exc == FLUKE_EXC_DEBUG) {
		target_scan(0);
		t = thread_of(ref);
		if (t && !t->gdb_step && !(watch = watch_hit(&watched))) {
			/* A step of the watch, no change: on to the next instruction. */
			if (fluke_thread_get_state(t->obj, &t->st, 0, 0, 0, 0, 0) == 0) {
				t->st.flags &= ~FLUKE_THREAD_STOPPED;
				t->st.eflags |= TF;
				fluke_thread_set_state(t->obj, &t->st, 0, 0);
			}
			return 1;
		}
	}
	/* Stop everything first: the faulting thread is among them. */
	target_stop_all();
	if (!(t = thread_of(ref)))
		return 0;
	/* LAB 4: BEGIN SOLUTION */
	int bp = k->kind == FLUKE_KEEPER_EXCEPTION && k->exc == FLUKE_EXC_BREAKPOINT &&
		 breakpoint_at(t->st.eip - 1) >= 0;
	if (bp)
		t->st.eip--;		/* run the instruction under it when resumed */
	if (k->kind == FLUKE_KEEPER_EXCEPTION && k->exc == FLUKE_EXC_DEBUG)
		t->st.eflags &= ~TF;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here: a breakpoint's trap (bp), a step's */
	//| int bp = 0;
	/* LAB 4: END */
	if (tgt.stop.pending)
		return 1;		/* one stop at a time: this one strikes again */
	tgt.stop = (struct stop){ .pending = 1, .signal = signal_of(k), .tid = target_tid(t),
				  .swbreak = bp, .watch = watch, .addr = watch ? watched : k->addr };
	if (tgt.stop.signal == SIG_SEGV)
		printf("debug: %s: thread %u: %s at eip 0x%08x, address 0x%08x: SIGSEGV to GDB\n",
		       tgt.m->children[tgt.slot].name, target_tid(t),
		       k->kind == FLUKE_KEEPER_PAGE_FAULT || k->exc == FLUKE_EXC_PAGE_FAULT ?
		       "page fault" : "general protection", k->eip, k->addr);
	return 1;
}

/* --- Registers ---------------------------------------------------------------- */

/* LAB 4: BEGIN SOLUTION */
/* GDB's i386 order: eax ecx edx ebx esp ebp esi edi eip eflags cs ss ds es fs gs. */
static uint32_t *reg_slot(struct dthread *t, uint32_t n)
{
	fluke_thread_state_t *s = &t->st;
	uint32_t *gp[10] = { &s->eax, &s->ecx, &s->edx, &s->ebx, &s->esp, &s->ebp, &s->esi,
			     &s->edi, &s->eip, &s->eflags };
	return n < 10 ? gp[n] : 0;
}
/* LAB 4: END */

int target_reg_get(const struct dthread *t, uint32_t n, uint32_t *v)
{
	/* LAB 4: BEGIN SOLUTION */
	if (n >= 16)
		return -1;
	if (n >= 10)
		*v = n == 10 ? SEG_UCODE : SEG_UDATA;
	else
		*v = *reg_slot((struct dthread *)t, n);
	return 0;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)t, (void)n, (void)v;
	//| return -1;
	/* LAB 4: END */
}

int target_reg_set(struct dthread *t, uint32_t n, uint32_t v)
{
	/* LAB 4: BEGIN SOLUTION */
	if (n >= 16)
		return -1;
	if (n < 10)			/* the selectors are the kernel's */
		*reg_slot(t, n) = v;
	return 0;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)t, (void)n, (void)v;
	//| return -1;
	/* LAB 4: END */
}

/* --- Memory ------------------------------------------------------------------- */

/* LAB 4: BEGIN SOLUTION */
/* The debugger's address of child address va and how many bytes from it lie in
 * the same ELF area (in *n), or NULL if va is in none. */
static char *area_at(uint32_t va, uint32_t *n)
{
	struct fluke_proc *p = proc();
	for (unsigned i = 0; i < FLUKE_PROC_AREAS; i++) {
		uint32_t size = p->areas[i].size;
		if (size && va >= area_va[i] && va - area_va[i] < size) {
			*n = size - (va - area_va[i]);
			return p->areas[i].mem + (va - area_va[i]);
		}
	}
	return 0;
}

/* Point the window at the child's page holding va: its address here. */
static char *window_at(uint32_t va)
{
	fluke_region_state_t rs = { 0, va & ~(PAGE - 1), PAGE, FLUKE_PROT_ALL };
	static int mapped;
	if (fluke_region_set_state(&window_region, &rs, &proc()->space_ref, 0) != 0)
		return 0;
	if (!mapped) {
		fluke_mapping_state_t ms = { 0, 0, WINDOW_VA, PAGE,
					     FLUKE_PROT_READ | FLUKE_PROT_WRITE };
		fluke_region_reference(&window_region, &window_ref);
		if (fluke_mapping_set_state(&window_mapping, &ms, &window_ref, fluke_self_space()))
			return 0;
		mapped = 1;
	}
	return (char *)WINDOW_VA + (va & (PAGE - 1));
}

/* Copy n bytes between the child's va and buf (to the child if write). */
static uint32_t access(uint32_t va, void *buf, uint32_t n, int write)
{
	uint32_t done = 0;
	while (done < n) {
		uint32_t a = va + done, chunk, room;
		char *here = area_at(a, &room);
		if (!here) {
			here = window_at(a);
			room = PAGE - (a & (PAGE - 1));
		}
		if (!here)
			break;
		chunk = n - done < room ? n - done : room;
		uint32_t left = write ? probe_copy(here, (char *)buf + done, chunk)
				      : probe_copy((char *)buf + done, here, chunk);
		done += chunk - left;
		if (left)
			break;
	}
	return done;
}
/* LAB 4: END */

uint32_t target_read(uint32_t va, void *buf, uint32_t n)
{
	/* LAB 4: BEGIN SOLUTION */
	uint32_t got = access(va, buf, n, 0);
	for (int i = 0; i < DBG_BREAKS; i++)
		if (breaks[i].used && breaks[i].va - va < got)
			((uint8_t *)buf)[breaks[i].va - va] = breaks[i].saved;
	return got;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)va, (void)buf, (void)n;
	//| return 0;
	/* LAB 4: END */
}

uint32_t target_write(uint32_t va, const void *buf, uint32_t n)
{
	/* LAB 4: BEGIN SOLUTION */
	uint32_t put = access(va, (void *)buf, n, 1);
	static const uint8_t int3 = 0xcc;
	for (int i = 0; i < DBG_BREAKS; i++) {
		if (breaks[i].used && breaks[i].va - va < put) {
			breaks[i].saved = ((const uint8_t *)buf)[breaks[i].va - va];
			access(breaks[i].va, (void *)&int3, 1, 1);
		}
	}
	return put;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)va, (void)buf, (void)n;
	//| return 0;
	/* LAB 4: END */
}

int target_break_set(uint32_t va)
{
	/* LAB 4: BEGIN SOLUTION */
	static const uint8_t int3 = 0xcc;
	int i = breakpoint_at(va);
	if (i >= 0)
		return 0;
	for (i = 0; i < DBG_BREAKS && breaks[i].used; i++)
		;
	uint8_t saved;
	if (i == DBG_BREAKS || access(va, &saved, 1, 0) != 1 ||
	    access(va, (void *)&int3, 1, 1) != 1)
		return -1;
	breaks[i].va = va;
	breaks[i].saved = saved;
	breaks[i].used = 1;
	return 0;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)va;
	//| return -1;
	/* LAB 4: END */
}

int target_break_clear(uint32_t va)
{
	/* LAB 4: BEGIN SOLUTION */
	int i = breakpoint_at(va);
	if (i < 0)
		return -1;
	access(va, &breaks[i].saved, 1, 1);
	breaks[i].used = 0;
	return 0;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)va;
	//| return -1;
	/* LAB 4: END */
}

void target_break_clear_all(void)
{
	for (int i = 0; i < DBG_BREAKS; i++)
		if (breaks[i].used)
			target_break_clear(breaks[i].va);
	for (int i = 0; i < DBG_WATCHES; i++)
		watches[i].used = 0;
	nwatches = 0;
}

/* --- Running ------------------------------------------------------------------ */

int target_watch_set(uint32_t va, uint32_t len)
{
	int i;
	for (i = 0; i < DBG_WATCHES && watches[i].used; i++)
		;
	if (i == DBG_WATCHES || len == 0 || len > WATCH_MAX ||
	    target_read(va, watches[i].old, len) != len)
		return -1;
	watches[i].va = va;
	watches[i].len = len;
	watches[i].used = 1;
	nwatches++;
	return 0;
}

int target_watch_clear(uint32_t va, uint32_t len)
{
	for (int i = 0; i < DBG_WATCHES; i++) {
		if (watches[i].used && watches[i].va == va && watches[i].len == len) {
			watches[i].used = 0;
			nwatches--;
			return 0;
		}
	}
	return -1;
}

static void resume_one(struct dthread *t, int step)
{
	if (!t->obj || !t->stopped)
		return;
	t->gdb_step = step;
	/* LAB 4: BEGIN SOLUTION */
	t->st.eflags = step || nwatches ? t->st.eflags | TF : t->st.eflags & ~TF;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here: a step runs one instruction (every thread does, while
	//|  * a watchpoint is set) */
	/* LAB 4: END */
	t->st.flags &= ~FLUKE_THREAD_STOPPED;
	t->stopped = 0;
	fluke_thread_set_state(t->obj, &t->st, 0, 0);
}

/* Clear the last stop: the next one is reported. */
static void resumed(void)
{
	tgt.stop.pending = 0;
	tgt.running = 1;
}

void target_resume(struct dthread *t, int step, int others)
{
	resumed();
	if (t)
		resume_one(t, step);
	if (others)
		for (struct dthread *o = tgt.threads; o < tgt.threads + DBG_THREADS; o++)
			if (o != t)
				resume_one(o, 0);
}

/* One vCont action at *p ("c", "s", "Csig", "Ssig", "t", then ":tid" or not):
 * *step and *tid (0: every thread), *p past it; -1 if malformed. */
static int vcont_action(const char **p, int *step, uint32_t *tid, int *sig)
{
	const char *s = *p;
	*sig = 0;
	*tid = 0;
	char a = *s++;
	if (a != 'c' && a != 's' && a != 'C' && a != 'S' && a != 't')
		return -1;
	uint32_t v;
	if ((a == 'C' || a == 'S') && hex_parse(&s, &v) == 0)
		*sig = v;
	else if (a == 'C' || a == 'S')
		return -1;
	*step = a == 's' || a == 'S' ? 1 : a == 't' ? -1 : 0;
	if (*s == ':') {
		s++;
		if (s[0] == '-' && s[1] == '1')
			s += 2;
		else if (hex_parse(&s, tid) != 0 || *tid == 0)
			return -1;
	}
	if (*s && *s != ';')
		return -1;
	*p = *s ? s + 1 : s;
	return 0;
}

int target_vcont(const char *actions)
{
	/* First check the whole packet, then act: each thread takes the first action
	 * naming it or every thread. */
	enum { NONE = -2 };
	int what[DBG_THREADS], sig;
	for (int i = 0; i < DBG_THREADS; i++)
		what[i] = NONE;
	const char *p = actions;
	int fatal = 0;
	while (*p) {
		int step;
		uint32_t tid;
		if (vcont_action(&p, &step, &tid, &sig) != 0)
			return -1;
		if (sig && sig != SIG_TRAP && sig != SIG_INT)
			fatal = sig;
		for (int i = 0; i < DBG_THREADS; i++)
			if (what[i] == NONE && (tid == 0 || tid == (uint32_t)i + 1))
				what[i] = step;
	}
	if (fatal) {			/* passing a fault on: the child dies of it */
		target_kill(fatal);
		return 0;
	}
	resumed();
	for (int i = 0; i < DBG_THREADS; i++)
		if (what[i] >= 0)
			resume_one(&tgt.threads[i], what[i]);
	return 0;
}

void target_kill(int signal)
{
	target_break_clear_all();
	if (signal)
		tgt.stop = (struct stop){ .pending = 1, .exited = 1, .signal = signal };
	else
		tgt.attached = 0;	/* GDB expects no answer */
	tgt.running = 1;
	if (tgt.m->children[tgt.slot].state == MON_RUNNING)
		fluke_monitor_end(tgt.m, tgt.slot, 255, 1);
}
